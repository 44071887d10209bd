"""Build small dataset folders for tests (in the documented CSV format), and what several tests compare with."""

from __future__ import annotations

import csv
import math
import os
import shlex
import shutil
import sysconfig
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
    return path


def write_dataset(
    folder: Path,
    *,
    industries: Sequence[tuple[str, str, float | None]],
    products: Sequence[tuple[str, str, float, float]],
    production: Iterable[tuple[str, str, str, float]],
    groups: Sequence[tuple[str, str]] = (),
) -> Path:
    """industries: (code, parent, weight); products: (code, industry, weight, base_quantity);
    production: (enterprise, product, period, quantity); groups: (group, member industry)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "industries.csv", ["code", "parent", "name_vi", "name_en", "weight"],
              [(c, p, f"Ngành {c}", f"Industry {c}", w) for c, p, w in industries])
    write_csv(folder / "products.csv", ["code", "industry", "name_vi", "unit", "weight", "base_quantity"],
              [(c, i, f"Sản phẩm {c}", "tấn", w, q0) for c, i, w, q0 in products])
    write_csv(folder / "production.csv", ["enterprise", "product", "period", "quantity"],
              [(e, p, per, repr(float(q))) for e, p, per, q in production])
    if groups:
        write_csv(folder / "groups.csv", ["group", "name_vi", "name_en", "industry"],
                  [(g, f"Nhóm {g}", f"Group {g}", m) for g, m in groups])
    return folder


def months(start_year: int, start_month: int, n: int) -> list[str]:
    out = []
    y, m = start_year, start_month
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def one(records: pd.DataFrame, **where: str) -> pd.Series:
    """The single record matching ``where`` (column=value)."""
    mask = pd.Series(True, index=records.index)
    for column, value in where.items():
        mask &= records[column] == value
    found = records[mask]
    assert len(found) == 1, f"{len(found)} records for {where}"
    return found.iloc[0]


# -- the portal: a store with the PPI example's register and three accounts, and logging in ---------------
PORTAL_PASSWORD = "correct horse battery"


def portal_store(url: str):  # type: ignore[no-untyped-def]
    """The PPI example's register and reports in the store at ``url``, with accounts e1 and e2 (enterprises
    E1, E2) and stat (statistician), all with :data:`PORTAL_PASSWORD`."""
    from vnindustry.portal.accounts import add_user
    from vnindustry.store import open_store
    from vnindustry.store.register import import_dataset

    store = open_store(url)
    import_dataset(store, Path(__file__).parent / "data" / "ppi_manual")
    add_user(store.engine, "e1", PORTAL_PASSWORD, "enterprise", "E1")
    add_user(store.engine, "e2", PORTAL_PASSWORD, "enterprise", "E2")
    add_user(store.engine, "stat", PORTAL_PASSWORD, "statistician")
    return store


def login(app, username: str):  # type: ignore[no-untyped-def]
    """A TestClient logged in as ``username``, and the CSRF header its writes need."""
    from fastapi.testclient import TestClient

    client = TestClient(app)
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PORTAL_PASSWORD})
    assert r.status_code == 200, r.text
    return client, {"X-CSRF-Token": r.json()["csrf_token"]}


def problem(r) -> dict:  # type: ignore[no-untyped-def]
    """The problem document of response ``r`` (asserting its media type)."""
    assert r.headers["content-type"].startswith("application/problem+json"), r.text
    return r.json()  # type: ignore[no-any-return]


def add_portal_admin(store, username: str = "admin"):  # type: ignore[no-untyped-def]
    """An admin account ``username`` (password :data:`PORTAL_PASSWORD`) in a :func:`portal_store` store."""
    from vnindustry.portal.accounts import add_user

    return add_user(store.engine, username, PORTAL_PASSWORD, "admin")


# -- GSO editions: a sample workbook's sheet rewritten the way another edition prints it ------------------------
@dataclass(frozen=True)
class Printed:
    """One figure column of a rewritten GSO sheet.

    ``header``: its header cells, top to bottom (``None``: empty; line breaks and typos as printed);
    ``source``: the sample's column whose figures, times ``factor`` (then rounded to 4 decimals), it prints;
    ``reads``: the ``(period, measure)`` records the reader must make of each of its figures; ``merged``: the header
    rows whose cell is merged with the next column's (a heading over the "Lượng" / "Trị giá" pair of a trade table).
    """

    header: tuple[object, ...]
    source: str
    reads: tuple[tuple[str, str], ...]
    factor: float = 1.0
    merged: tuple[int, ...] = ()


def rewrite_sheet(ws, *, header_rows: Sequence[int], first_column: int, columns: Sequence[Printed],  # type: ignore[no-untyped-def]
                  unit_line: tuple[int, str] | None = None, name: str | None = None,
                  title: str | None = None) -> list[tuple[str, str, str, str, float]]:
    """Rewrite the figure part of sheet ``ws`` (columns from ``first_column``, rows from the header down; the label
    and unit columns stay): new header cells, merged as declared, and each column's figures taken from the
    sample's ``source`` column of the same row. ``unit_line``: (row, text) written above the rightmost column
    ("%", "Nghìn tấn; Triệu USD"); ``name`` renames the sheet, ``title`` replaces its title (A1).

    Returns the figures the reader must give: ``(sheet, cell, period, measure, value)``, one per ``reads``.
    """
    from openpyxl.utils import column_index_from_string, get_column_letter

    if name is not None:
        ws.title = name
    if title is not None:
        ws["A1"] = title
    top = min([*header_rows, *([unit_line[0]] if unit_line else [])])
    data = range(max(header_rows) + 1, ws.max_row + 1)
    sample = {(r, c): ws.cell(r, c).value for r in data for c in range(first_column, ws.max_column + 1)}
    for merged in list(ws.merged_cells.ranges):
        if merged.max_col >= first_column and merged.min_row >= top:
            ws.unmerge_cells(str(merged))
    for r in range(top, ws.max_row + 1):
        for c in range(first_column, ws.max_column + 1):
            ws.cell(r, c).value = None
    expected = []
    for j, col in enumerate(columns):
        c = first_column + j
        for i, text in enumerate(col.header):
            if text is not None:
                ws.cell(header_rows[i], c).value = text
        for i in col.merged:
            ws.merge_cells(start_row=header_rows[i], start_column=c, end_row=header_rows[i], end_column=c + 1)
        source = column_index_from_string(col.source)
        for r in data:
            value = sample.get((r, source))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                # A derived figure rounded as a typist would type it; each figure to the 16 significant digits
                # openpyxl writes, so that the expected value is the one in the file.
                figure = float(value) if col.factor == 1 else round(float(value) * col.factor, 4)
                figure = float(f"{figure:.16g}")
                ws.cell(r, c).value = figure
                expected.extend((ws.title, f"{get_column_letter(c)}{r}", period, measure, figure)
                                for period, measure in col.reads)
    if unit_line is not None:
        ws.cell(unit_line[0], first_column + len(columns) - 1).value = unit_line[1]
    return expected


def event_folder(folder: Path, code: str, date: str, rename: dict[str, str]) -> Path:
    """tests/data/linkage-event copied to ``folder`` as event ``code`` on ``date``, participants renamed (e.g.
    ``{"B1": "E2", "S1": "E1"}``: the portal's enterprises take part)."""
    import csv
    import shutil

    shutil.copytree(Path(__file__).parent / "data" / "linkage-event", folder)
    for path in folder.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        rows = [[rename.get(cell, cell) for cell in row] for row in rows]
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    (folder / "event.csv").write_text(f"event,date,name,venue\n{code},{date},Sự kiện {code},SECC\n", encoding="utf-8")
    slots = (folder / "slots.csv").read_text(encoding="utf-8").replace("2026-05-21", date)
    (folder / "slots.csv").write_text(slots, encoding="utf-8")
    return folder


def burst(writer, writers: int = 8) -> None:  # type: ignore[no-untyped-def]
    """Run ``writer(k)`` for k = 0 … ``writers``-1 in as many threads at once; re-raise the first error."""
    import threading

    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            writer(k)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def run_killed(script: str, args: Sequence[str], kill_after: float | None) -> float | None:
    """Run ``python -c script *args`` — a script that prints "ready", waits for a line on stdin, does its writes
    and prints how long they took — and SIGKILL it ``kill_after`` seconds after the go; or, with None, let it
    finish and return how long the writes took."""
    import os
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.stdin.write("go\n")
    proc.stdin.flush()
    if kill_after is None:
        took = float(proc.stdout.readline())
        proc.wait()
        return took
    time.sleep(kill_after)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return None


def c_compiler() -> str | None:
    """The C compiler ``pip install`` builds the compile's C loops with (``CC``, else Python's own), if there is one."""
    command = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shutil.which(shlex.split(command)[0])


#: Tests of the C loops themselves. Without a C compiler the install builds none and the numpy loops run (the
#: README's promise), so these are skipped; on a machine with one (CI's) they run, and the install must have
#: built the loops.
needs_c_loops = pytest.mark.skipif(c_compiler() is None,
                                   reason="no C compiler here: the install built no C loops (the numpy ones run)")


def same(a: object, b: object) -> bool:
    """Equal, NaN equal to NaN, and of the same type, through dicts, lists and tuples (diagnostics compared whole)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def gso_demo_store(path: Path) -> Any:
    """A SQLite store at ``path`` with the GSO data the demo imports (the 2012–2025 history CSVs and the monthly
    workbooks in src/vnindustry/demo/data/gso), stored as the demo stores them."""
    from vnindustry.sources.gso import read_history, read_workbook
    from vnindustry.store import open_store
    from vnindustry.store.gso import store_history, store_workbook

    data = Path(__file__).resolve().parents[1] / "src" / "vnindustry" / "demo" / "data" / "gso"
    store = open_store(f"sqlite:///{path}")
    store_history(store, read_history(data / "csv"))
    for workbook in sorted((data / "xlsx").glob("*.xlsx")):
        store_workbook(store, read_workbook(workbook))
    return store
