"""Issue 14, item 6: connection requests routed to associations, online programmes and credit packages, and
counted once across programmes; checked by hand on a small set (tests/data/linkage-connect)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vnindustry.cli import app
from vnindustry.errors import InputError
from vnindustry.linkage.connect import read_packages, read_requests, read_statuses, route, summarise

DATA = Path(__file__).parent / "data" / "linkage-connect"


def test_routing_by_sector_amount_tenor_and_validity() -> None:
    routes = route(read_requests(DATA / "connect.csv"), read_packages(DATA / "packages.csv"), on=dt.date(2026, 6, 1))
    by = {}
    for r in routes:
        by.setdefault(r.request, []).append(r.to)
    assert by["R1"] == ["P1", "P2"]  # 3 bn over 36 months: both open packages of the sector; P3 has expired
    assert "R2" not in by  # 30 bn: over every package's limit
    assert {"VASI", "HASI", "VPA", "VRA"} <= set(by["R3"]) and "VEIA" not in by["R3"]  # the plastics associations
    assert by["R4"] == ["E1"]  # the online programme, not a bank
    assert by["R5"] == ["P1"]  # 48 months: P2 lends 36 at most
    later = route(read_requests(DATA / "connect.csv"), read_packages(DATA / "packages.csv"), on=dt.date(2027, 3, 1))
    assert [r.to for r in later if r.request == "R1"] == ["P1"]  # P2 ended with 2026


def test_counted_once_across_programmes() -> None:
    rows = summarise(read_requests(DATA / "connect.csv"), read_statuses(DATA / "status.csv"))
    summary = {s.programme: s for s in rows}
    # R1 routed to P1 and P2 and approved by both, disbursed by P1 in two tranches; R5 routed to P1, refused.
    assert (summary["P1"].requests, summary["P1"].approved, summary["P1"].disbursed) == (2, 1, 1)
    assert summary["P1"].amount == 3e9 and summary["P2"].amount == 0
    total = summary["all"]
    assert (total.requests, total.approved, total.disbursed, total.amount) == (2, 1, 1, 3e9)


@pytest.mark.parametrize(("file", "old", "new", "column"), [
    ("connect.csv", "R1,S001,credit", "R1,S001,loan", "kind"),
    ("connect.csv", ",3000000000,36,", ",3 tỷ,36,", "amount"),
    ("connect.csv", "R5,S005,credit,mechanical,1000000000,48", "R5,S005,credit,mechanical,1000000000,", "tenor_months"),
    ("status.csv", "R1,2026-05-02,disbursed,P1,2000000000", "R1,2026-05-02,disbursed,P1,", "amount"),
    ("packages.csv", "mechanical;metal_products;electronics", "co khi", "sectors"),
])
def test_bad_lines_name_file_line_and_column(tmp_path: Path, file: str, old: str, new: str, column: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / file).write_text((folder / file).read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    reader = {"connect.csv": read_requests, "status.csv": read_statuses, "packages.csv": read_packages}[file]
    with pytest.raises(InputError) as caught:
        reader(folder / file)
    assert caught.value.column == column and caught.value.line and str(folder / file) in str(caught.value)


def test_the_commands(tmp_path: Path) -> None:
    out = tmp_path / "routes.csv"
    runner = CliRunner()
    done = runner.invoke(app, ["linkage", "connect", "route", str(DATA / "connect.csv"), "--packages",
                               str(DATA / "packages.csv"), "--out", str(out), "--on", "2026-06-01"])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("request,to,name,reason") and "R1,P1,Ngân hàng A" in text
    assert "R2" in done.output  # said: no programme takes it
    counted = runner.invoke(app, ["linkage", "connect", "summary", str(DATA / "connect.csv"), str(DATA / "status.csv")],
                            terminal_width=200)
    assert counted.exit_code == 0 and "3.000.000.000" in counted.output
