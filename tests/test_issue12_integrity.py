"""Issue 12, item 7: the integrity walk — nothing public before its day, nothing derived from a withheld cell.

A small city is compiled and stored twice: the months to 2021-12 published long ago, and a compile that adds
January 2022 stored for a publication day 30 days after "today" (as a close does). A GSO workbook is imported for
the same day. Then the office's routine commands that write releases run as a statistician would run them, on
the CLI: ``adjust --all``, ``products score --fill-from-store`` (candidates linked to industries the compile
suppressed), ``trade import-gso`` and ``bulletin``. The test then walks every public GET route the route
matrix knows (tests/test_route_matrix.py), every series in every format and language, with ``as_of`` and
``vintage`` variants, the bulletins in every format, and reads the numbers out of each answer (JSON, CSV, HTML,
XLSX, DOCX, PDF). It compares *values*, not words:

* **embargo** — no value of the embargoed month (January 2022), nor of the embargoed GSO workbook, appears
  anywhere before the day: the set of numbers that only those releases hold (every rounding a page may print,
  in Vietnamese and English notation) must not meet the numbers of any answer;
* **confidentiality** — no withheld value (every measure of every suppressed cell), no adjusted value of a
  suppressed cell, and no key-product figure computed from a suppressed industry appears, before or after;
* **on its day** — the clock moves past the publication day and, with the same app (its response cache
  warm), the embargoed month's figures appear: the headline index on ``/`` and the exact value in the API.

The clock is Vietnam's date as the store sees it (``today_in_vietnam``), patched in every module that uses it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import vnindustry
from builders import write_csv
from test_route_matrix import PUBLIC, ROUTES
from vnindustry.cli import app as cli
from vnindustry.demo.city import generate_city
from vnindustry.store import Store, open_store
from vnindustry.store import repository as repo
from vnindustry.store.compiled import store_compile
from vnindustry.store.register import import_dataset
from vnindustry.web import create_app

pytestmark = pytest.mark.slow

TODAY = dt.date(2026, 12, 5)  # the test's "today" in Vietnam (the real date does not matter)
DAY = TODAY + dt.timedelta(days=30)  # the publication day of the embargoed month
LONG_AGO = dt.date(2022, 1, 10)
EMBARGOED = "2022-01"
GSO_WORKBOOK = Path(vnindustry.__file__).parent / "demo" / "data" / "gso" / "xlsx"
REAL_TODAY = repo.today_in_vietnam


@contextmanager
def clock(day: dt.date) -> Iterator[None]:
    """Set Vietnam's date to ``day`` for the store and every module that imported ``today_in_vietnam``."""
    with pytest.MonkeyPatch.context() as mp:
        for name, module in list(sys.modules.items()):
            if name.startswith("vnindustry") and getattr(module, "today_in_vietnam", None) is REAL_TODAY:
                mp.setattr(module, "today_in_vietnam", lambda: day)
        yield


# -- numbers out of any answer -------------------------------------------------------------------------------
NUMBER = re.compile(r"(?<![\w.,])-?(?:\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])")


def variants(value: float) -> set[str]:
    """How a page, a download or a bulletin may print ``value``: full precision, 1 or 2 decimals, in English
    notation (3.4, 1,234.5) and Vietnamese (3,4 and 1.234,5); only forms with at least 4 significant digits —
    shorter ones (a growth of 3,4%) collide with too many other figures to identify anything."""
    if value is None or not math.isfinite(value):
        return set()
    out = {repr(float(value)), f"{value:.15g}"}
    for d in (1, 2):
        en = f"{value:,.{d}f}"
        vi = en.replace(",", "\0").replace(".", ",").replace("\0", ".")
        out |= {en, en.replace(",", ""), vi, vi.replace(".", "")}
    # Whole numbers without a separator are codes as often as figures (VSIC 3230): leave them out.
    return {v for v in out if _significant(v) >= 4 and ("." in v or "," in v)}


def _significant(token: str) -> int:
    """Significant digits of a printed number: leading zeros and a decimal part's trailing zeros don't count
    (138,0 is as common as 138)."""
    digits = re.sub(r"[^0-9]", "", re.sub(r"[.,]0+$", "", token.lstrip("-"))).lstrip("0")
    return len(digits)


def tokens(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def body_text(content: bytes, content_type: str, url: str) -> str:
    """The readable text of an answer: XLSX cells, DOCX paragraphs and tables, PDF text, else the bytes."""
    if content[:2] == b"PK" and ("spreadsheet" in content_type or url.endswith(("xlsx", ".xlsx"))):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return "\n".join(" ".join("" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row)
                         for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
    if content[:2] == b"PK":  # docx
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and
                           n.endswith(".xml"))
        return re.sub(r"<[^>]+>", " ", xml)
    if content[:4] == b"%PDF":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    text = content.decode("utf-8", errors="replace")
    if "csv" in content_type:  # a field separator is not a decimal comma: "…,10,14,…" is two numbers
        text = text.replace(",", " ; ")
    # Drawing coordinates and clock times are numbers that carry no figure: leave them out (the figures a chart
    # shows are in its text, titles and data attributes, which stay).
    text = GEOMETRY.sub(" ", text)
    return TIMESTAMP.sub(" ", text)


GEOMETRY = re.compile(r'\s(?:d|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|dx|dy|width|height|points|viewBox|transform|style|'
                      r'stroke-width|stroke-dasharray|font-size|opacity|fill-opacity|offset)="[^"]*"')
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


# -- the world -----------------------------------------------------------------------------------------------
@dataclass
class World:
    url: str
    store: Store
    folder: Path
    tmp: Path
    confidential_vsic: list[str]
    cli_output: dict[str, str] = field(default_factory=dict)


def _run(args: list[str]) -> str:
    res = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
    assert res.exit_code == 0, f"vnindustry {' '.join(args)} → {res.exit_code}\n{res.output}\n{res.exception!r}"
    return res.output


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("integrity")
    url = f"sqlite:///{tmp / 'store.db'}"
    with clock(TODAY):
        store = open_store(url)
        early = generate_city(tmp / "early", n_enterprises=120, start="2019-01", end="2021-12")
        store_compile(store, vnindustry.compile_dataset(early), released_on=LONG_AGO)
        folder = generate_city(tmp / "city", n_enterprises=120, start="2019-01", end=EMBARGOED)
        import_dataset(store, folder)  # the register: base-year values for the key-product criteria
        # January closed for a day 30 days ahead: the compile stored as a release dated on it.
        store_compile(store, vnindustry.compile_dataset(folder), released_on=DAY)
        # GSO: one workbook published long ago, one for the same day ahead.
        _run(["import-workbook", str(GSO_WORKBOOK / "2024-01.xlsx"), "--db", url, "--release-date", "2024-01-29"])
        _run(["import-workbook", str(GSO_WORKBOOK / "2025-02.xlsx"), "--db", url, "--release-date", DAY.isoformat()])
        suppressed = store.suppressions()
        vsic = sorted({k.rsplit("/", 1)[1] for k in suppressed["key"] if k.startswith("city/iip/")
                       and k.rsplit("/", 1)[1].isdigit() and len(k.rsplit("/", 1)[1]) == 4})
        assert vsic, "the small city must have confidential 4-digit industries for the test to mean anything"
        divisions = {k.rsplit("/", 1)[1] for k in store.catalogue(source="city")["key"] if k.startswith("city/iip/")}
        hidden = {k.rsplit("/", 1)[1] for k in suppressed["key"] if k.startswith("city/iip/")}
        open_vsic = sorted(c for c in divisions if len(c) == 2 and c.isdigit() and c not in hidden)[:3]
        assert len(open_vsic) >= 2, "the small city must have divisions with no confidential cell"
        w = World(url, store, folder, tmp, vsic)
        # The office's routine commands, as on the README.
        w.cli_output["adjust"] = _run(["adjust", "--db", url, "--all", "--source", "city", "--workers", "2"])
        w.cli_output["trade"] = _run(["trade", "import-gso", "--db", url])
        # Candidates linked to suppressed industries: their figures must not be filled from withheld cells
        # (the command refuses naming the cell, or leaves them out); then a scoring of open industries.
        header = ["product", "name", "production_value", "production_share", "growth", "rca", "technology_level",
                  "vsic", "hs"]
        secret = write_csv(tmp / "ung_vien_mat.csv", header, [
            (f"K{i}", f"Sản phẩm {code}", "", "", "", "1.5", "3", code, "85")
            for i, code in enumerate([*vsic[:3], *open_vsic[:1]], 1)])
        res = CliRunner().invoke(cli, ["products", "score", str(secret), "--db", url, "--fill-from-store",
                                       "--release-date", TODAY.isoformat(), "--title", "Secret"],
                                 env={"COLUMNS": "200"})
        w.cli_output["score-secret"] = res.output
        candidates = write_csv(tmp / "ung_vien.csv", header, [
            (f"K{i}", f"Sản phẩm {code}", "", "", "", "1.5", "3", code, "85") for i, code in enumerate(open_vsic, 1)])
        w.cli_output["score"] = _run(["products", "score", str(candidates), "--db", url, "--fill-from-store",
                                      "--release-date", TODAY.isoformat(), "--title", "Integrity"])
        for lang in ("vi", "en"):
            for fmt in ("md", "html", "xlsx", "docx", "pdf"):
                out = tmp / f"bulletin-{lang}.{fmt}"
                _run(["bulletin", "--period", "2021-12", "--db", url, "--lang", lang, "--out", str(out)])
    return w


# -- what must not be seen -----------------------------------------------------------------------------------
def _values(frame: pd.DataFrame) -> Iterable[float]:
    return (float(v) for v in frame["value"].dropna().tolist()) if not frame.empty else ()


def public_tokens(store: Store) -> set[str]:
    """Every number the public view legitimately shows (each vintage), as a page may print it."""
    out: set[str] = set()
    public = store.public_view()
    for v in _values(public.observations(vintage="all")):
        # GSO prints comparisons as indices (previous period = 100); pages say them as changes (v − 100).
        out |= variants(v) | variants(v - 100.0) | variants(v + 100.0)
    # The figures of the visible key-product scorings (their own inputs are checked by the confidential set).
    from vnindustry.store.trade import latest_scoring

    scoring = latest_scoring(public)
    if scoring is not None:
        # (weights and shares are also printed in per cent)
        out |= {v for x in tokens(json.dumps(_plain(scoring), default=str))
                for v in variants(_float(x)) | variants(100.0 * _float(x))}
    return out


def _float(token: str) -> float:
    return float(token.replace(",", "")) if "." in token else float(token.replace(",", "."))


def _plain(obj: object) -> object:
    """A dataclass tree as plain data, for its numbers."""
    import dataclasses

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return obj.to_dict("records")
    return obj


def embargoed_tokens(store: Store) -> set[str]:
    """Numbers only the embargoed releases hold (dated after TODAY): the embargoed city month and the whole
    embargoed GSO workbook, minus every legitimately public number. (The embargoed compile also carries earlier
    city months again; their figures are mostly the published ones, or derivable from them.)"""
    every = store.observations(vintage="all")
    ahead = every[(pd.to_datetime(every["released_on"]).dt.date > TODAY)
                  & ((every["source"] != "city") | every["period"].astype(str).str.startswith("2022"))]
    assert not ahead.empty
    found: set[str] = set()
    for v in _values(ahead):
        found |= variants(v)
    return found - public_tokens(store)


def confidential_tokens(store: Store, vsic: list[str]) -> set[str]:
    """Every withheld value (all measures of every suppressed cell, and the adjusted series of a suppressed
    cell), and the key-product figures the store would give for a suppressed industry, minus public numbers."""
    from vnindustry.analysis.key_products.from_store import CandidateLink, store_values

    sup = store.suppressions()
    cells = set(zip(sup["key"], sup["period"], strict=True))
    every = store.observations(vintage="all")
    base = every["key"].str.split("~").str[0]  # an adjusted series "key~sa" belongs to its cell's key
    hit = [(b, p) in cells for b, p in zip(base, every["period"], strict=True)]
    found: set[str] = set()
    for v in _values(every[hit]):
        found |= variants(v)
    # withhold=False: what a fill that ignored confidentiality would have computed (the old leak).
    got = store_values(store, {f"C{c}": CandidateLink(c, ("85",)) for c in vsic}, market="EU", exporter="VNM",
                       withhold=False)
    for (_, criterion), v in got.items():
        if criterion != "rca":
            found |= variants(float(v))
    return found - public_tokens(store)


# -- the walk ------------------------------------------------------------------------------------------------
FORMATS = ("json", "csv", "xlsx", "sdmx-csv", "json-stat")


def public_urls(store: Store, client: TestClient) -> list[str]:
    """Every public GET route of the route matrix, with its variants; every series of the public catalogue."""
    urls: list[str] = []
    months = ["2021-11", "2021-12", EMBARGOED, "2025-02", "2024-01"]
    for (method, path), entry in ROUTES.items():
        if method != "GET" or entry.access != PUBLIC or path.startswith(("/api/v1/docs", "/portal")):
            continue
        if "{code:path}" in path or "{period}" in path:
            continue  # below, for every series and month
        for query in ({}, {"lang": "en"}, {"source": "gso"}, {"source": "gso", "lang": "en"},
                      {"format": "csv"}, {"period": EMBARGOED}, {"period": "2021-12", "lang": "en"}):
            urls.append(path + ("?" + urlencode(query) if query else ""))
    for m in months:
        for fmt in ("md", "html", "xlsx", "docx", "pdf"):
            for lang in ("vi", "en"):
                urls.append(f"/bulletins/{m}.{fmt}?lang={lang}")
    keys: list[str] = []
    offset = 0
    while True:
        page = client.get(f"/api/v1/series?limit=1000&offset={offset}").json()
        items = page.get("items", page) if isinstance(page, dict) else page
        keys += [i["code"] for i in items]
        if len(items) < 1000:
            break
        offset += 1000
    # Every series as JSON, every vintage; a spread of them in every format, language and with as_of.
    internal = sorted(set(store.catalogue()["key"]))  # includes series only embargoed releases hold
    for k in sorted(set(keys) | set(internal)):
        obs = f"/api/v1/series/{quote(k, safe='/~')}/observations"
        urls += [f"{obs}?vintage=all", f"/api/v1/series/{quote(k, safe='/~')}"]
    picked = [k for k in sorted(set(keys) | set(internal)) if k.endswith(("/TOTAL", "/C", "/KEY4"))
              or any(k.endswith("/" + c) or f"/{c}~" in k for c in ("10", "2610", "3511"))]
    for k in picked:
        obs = f"/api/v1/series/{quote(k, safe='/~')}/observations"
        for fmt in FORMATS:
            for extra in ({}, {"lang": "en", "labels": "both"}, {"as_of": DAY.isoformat()},
                          {"as_of": (DAY + dt.timedelta(days=400)).isoformat()}, {"vintage": "first"},
                          {"from": EMBARGOED}, {"lastN": "1"}):
                urls.append(f"{obs}?" + urlencode({"format": fmt, **extra}))
    return list(dict.fromkeys(urls))


def _refuse_constant(name: str) -> None:
    raise AssertionError(f"invalid JSON constant {name}")


def walk(client: TestClient, urls: list[str]) -> dict[str, str]:
    """GET every URL; the readable text of each answer (a 5xx is a failure; 4xx answers are read too)."""
    out = {}
    for u in urls:
        r = client.get(u)
        assert r.status_code < 500 and r.status_code != 429, f"GET {u} → {r.status_code}: {r.text[:300]}"
        if r.headers.get("content-type", "").startswith("application/json") and r.status_code == 200:
            json.loads(r.text, parse_constant=_refuse_constant)
        out[u] = body_text(r.content, r.headers.get("content-type", ""), u)
    return out


def leaks(bodies: dict[str, str], forbidden: set[str]) -> dict[str, list[str]]:
    """URL → the forbidden numbers its answer holds; the answers are kept in tests/artifacts/integrity/ to read."""
    found = {}
    for u, text in bodies.items():
        bad = sorted(tokens(text) & forbidden)
        if bad:
            found[u] = bad[:8]
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / (re.sub(r"[^\w.-]+", "_", u).strip("_") or "home")).write_text(text, encoding="utf-8")
    return found


TOTAL_URL = "/api/v1/series/city/iip/TOTAL/observations?vintage=all"
ARTIFACTS = Path(__file__).parent / "artifacts" / "integrity"


def test_integrity_walk(world: World) -> None:
    """Before the day: nothing embargoed, nothing confidential, on any public route; on the day (same app,
    warm cache): the embargoed month appears; confidential figures never do."""
    store = world.store
    with clock(TODAY):
        secret = embargoed_tokens(store)
        confidential = confidential_tokens(store, world.confidential_vsic)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")  # the walk is thousands of requests from one client
            app = create_app(store)
        client = TestClient(app)
        urls = public_urls(store, client)
        before = walk(client, urls)
    assert len(urls) > 300 and secret and confidential
    embargo_leaks = leaks(before, secret)
    assert not embargo_leaks, f"embargoed values public before {DAY}: {dict(list(embargo_leaks.items())[:10])}"
    conf_leaks = leaks(before, confidential)
    assert not conf_leaks, f"withheld values public: {dict(list(conf_leaks.items())[:10])}"
    # The bulletins the office wrote with the bulletin command (a publication) hold neither.
    for path in sorted(world.tmp.glob("bulletin-*.*")):
        text = body_text(path.read_bytes(), "", path.name)
        assert not tokens(text) & secret, f"{path.name}: embargoed {sorted(tokens(text) & secret)[:5]}"
        assert not tokens(text) & confidential, f"{path.name}: withheld {sorted(tokens(text) & confidential)[:5]}"

    # On the day, with the same app and its warm cache.
    with clock(DAY):
        after = walk(client, urls)
        confidential_after = confidential_tokens(store, world.confidential_vsic)
        total = store.public_view().observations(keys=["city/iip/TOTAL"], measure="level")
    jan = total[total["period"] == EMBARGOED]
    assert len(jan) == 1 and not math.isnan(float(jan["value"].iloc[0]))
    level = float(jan["value"].iloc[0])
    api = json.loads(after[TOTAL_URL])
    rows = api.get("observations", api.get("data", [])) if isinstance(api, dict) else api
    assert any(r.get("period") == EMBARGOED and r.get("value") == level for r in rows), \
        f"the embargoed month's index {level!r} is not in the API on its day: " \
        f"{[r for r in rows if r.get('period') == EMBARGOED][:4]} (answer: {after[TOTAL_URL][:300]})"
    # The home page speaks of the latest public month: December before the day, January on it.
    assert "12/2021" in before["/"] and "1/2022" not in before["/"], "the home page's month before the day"
    assert "1/2022" in after["/"], "the home page does not show the new month on its day"
    appeared = {u for u, text in after.items() if tokens(text) & secret}
    assert len(appeared) >= 5, "the embargoed figures should appear on many routes on their day"
    conf_leaks = leaks(after, confidential_after)
    assert not conf_leaks, f"withheld values public on the day: {dict(list(conf_leaks.items())[:10])}"
