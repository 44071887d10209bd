"""Issue 16, item 3: a bulletin is composed from one read of the store (publish/snapshot.py).

- The SQL statements one bulletin issues are counted and bounded (not timed): reading the snapshot is a fixed
  handful of queries whatever the format, and composing and writing every format in both languages from it
  issues none. A section that went back to the store on its own would break the bound. The command line
  (``vnindustry bulletin``, beyond opening the store) and the dashboard's ``/bulletins/{period}.{fmt}`` keep to the
  same bound and write the same files as :func:`publish_bulletin`.
- What the snapshot reads is what the per-section reads gave: the same indicators (the month, a year earlier,
  the totals' history) as ``monthly_indicators``, and the same bulletin, in every language and format, as
  ``monthly_indicators`` + ``store_annex`` + ``compose_bulletin`` — with the annex's flows summed in the database
  and with every flow read (the fallback when the sums would not be exact).
- The charts are drawn without matplotlib: SVG written directly for the HTML, PNG drawn with Pillow from the same
  layout for the DOCX and PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

import vnindustry
from builders import event_folder
from vnindustry.analysis.indicators import bulletin_indicators, bulletin_months, monthly_indicators
from vnindustry.analysis.trade import resolve_market
from vnindustry.cli import app as cli
from vnindustry.publish.bulletin import compose_bulletin
from vnindustry.publish.chart_layout import POSITIVE, Bar, layout_chart
from vnindustry.publish.competitiveness import store_annex
from vnindustry.publish.document import BulletinFormat, Chart
from vnindustry.publish.png_chart import DPI, chart_image, png_chart, png_size
from vnindustry.publish.snapshot import publish_bulletin, read_snapshot
from vnindustry.publish.svg_chart import svg_chart, text_width, ticks
from vnindustry.publish.writers import write_bulletin
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.trade import store_flows, summed_flows
from vnindustry.web import create_app

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 12, 5)
# Statements of one bulletin of the city (its annex: flows, scoring, matchmaking outcomes): the month's
# observations, their series' and releases' attributes (store/observed.py), the suppressions and totals that mask
# them (5), the synthetic releases (1), the lineage (3),
# the summed flows (1), the scorings and the one kept (2), the outcomes with their events, profiles and
# schedules (4). Reading a table per section again would pass it.
MAX_STATEMENTS = 16


@pytest.fixture(autouse=True)
def _no_date_setting(monkeypatch):
    monkeypatch.delenv("VNINDUSTRY_BULLETIN_DATE", raising=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A small demo city (200 enterprises), its synthetic trade and scoring, a matchmaking event with outcomes,
    and GSO's February 2025 workbook."""
    from vnindustry.demo.city import generate_city
    from vnindustry.demo.trade import store_demo_trade
    from vnindustry.linkage.schedule import schedule
    from vnindustry.linkage.stored_events import import_event_folder, import_outcomes, load_event
    from vnindustry.sources.gso import read_workbook
    from vnindustry.store.gso import store_workbook

    folder = tmp_path_factory.mktemp("one-read")
    city = generate_city(folder / "city", n_enterprises=200)
    opened = open_store(f"sqlite:///{folder / 'store.db'}")
    store_compile(opened, vnindustry.compile_dataset(city), released_on=dt.date(2026, 1, 10))
    store_workbook(opened, read_workbook(DATA / "gso" / "xlsx" / "2025-02.xlsx"))
    store_demo_trade(opened, city / "products.csv")
    events = event_folder(folder / "ev", "EV1", "2026-05-21", {})
    import_event_folder(opened.engine, events)
    import_event_folder(opened.engine, events, schedule(load_event(opened.engine, "EV1")[0]))  # type: ignore[index]
    (events / "outcomes.csv").write_text(
        "event,buyer,supplier,stage,result,po_value_vnd\nEV1,B1,S1,meeting,information,\n"
        "EV1,B1,S1,6m,agreement,3000000000\nEV1,B1,S2,meeting,negotiation,\nEV1,B2,S3,meeting,no_contact,\n",
        encoding="utf-8")
    import_outcomes(opened.engine, events / "outcomes.csv")
    return opened


@contextmanager
def _statements(store):  # type: ignore[no-untyped-def]
    """The SQL statements run inside the block on ``store``'s engine (``store`` None: on every engine, such as
    the one a command opens)."""
    seen: list[str] = []
    target = Engine if store is None else store.engine

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(target, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(target, "before_cursor_execute", count)


def _content(fmt: BulletinFormat, data: bytes) -> object:
    """The file as compared: text as it is, a zip's members without their timestamps, a PDF without its dates."""
    if fmt in (BulletinFormat.DOCX, BulletinFormat.XLSX):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?", b"", z.read(n)) for n in z.namelist()}
    if fmt is BulletinFormat.PDF:
        data = re.sub(rb"/(CreationDate|ModDate) ?\(D:[^)]*\)", b"", data)
        return re.sub(rb"/ID ?\[<[0-9A-Fa-f]+> ?<[0-9A-Fa-f]+>\]", b"", data)
    return data


def _per_section(store, period: str, source: str, lang: str):  # type: ignore[no-untyped-def]
    """The bulletin as the command line composed it before the snapshot: each part reading the store."""
    return compose_bulletin(monthly_indicators(store, period, source), lang,
                            annex=store_annex(store, lang, source=source), today=TODAY)


def test_one_bulletin_is_a_bounded_number_of_statements(store) -> None:
    counts = []
    for fmt in ("md", "pdf"):
        public = store.public_view()  # a fresh view, as a command or a request has: nothing cached yet
        with _statements(public) as seen:
            publish_bulletin(public, "2025-12", fmt, "vi", source="city")
        assert 0 < len(seen) <= MAX_STATEMENTS, "\n".join(seen)
        counts.append(len(seen))
    assert counts[0] == counts[1]  # the format changes nothing in what is read


def test_the_command_line_reads_once(store, tmp_path: Path) -> None:
    """``vnindustry bulletin`` opens the store and reads the bulletin once: the same statements as opening the store
    and :func:`publish_bulletin` (so within the bound beyond the opening), and the same file."""
    url = store.engine.url.render_as_string(hide_password=False)
    with _statements(None) as opening:
        open_store(url).public_view()
    for fmt in ("md", "pdf"):
        out = tmp_path / f"bulletin.{fmt}"
        with _statements(None) as seen:
            done = CliRunner().invoke(cli, ["bulletin", "--period", "2025-12", "--db", url, "--source", "city",
                                            "--out", str(out)])
        assert done.exit_code == 0, done.output
        with _statements(None) as one_read:
            expected = publish_bulletin(open_store(url).public_view(), "2025-12", fmt, "vi", source="city")
        assert sorted(seen) == sorted(one_read) and 0 < len(seen) - len(opening) <= MAX_STATEMENTS, "\n".join(seen)
        assert _content(BulletinFormat(fmt), out.read_bytes()) == _content(BulletinFormat(fmt), expected)


def test_the_dashboard_route_reads_once(store, monkeypatch) -> None:
    """``/bulletins/{period}.{fmt}``: with the app's catalogue and months list read (the first download), each
    further format is one read of the bulletin — :func:`publish_bulletin`'s statements, within the bound — and
    the same file."""
    monkeypatch.setenv("VNINDUSTRY_API_RELEASE_POLL", "3600")  # no release check inside the counted requests
    app = create_app(store)
    client = TestClient(app)
    assert client.get("/bulletins/2025-12.html?source=city&lang=en").status_code == 200
    served = app.state.api.store  # the app's public view
    for fmt in ("md", "docx"):
        with _statements(None) as seen:
            answer = client.get(f"/bulletins/2025-12.{fmt}?source=city&lang=en")
        assert answer.status_code == 200, answer.text[:300]
        with _statements(None) as one_read:
            expected = publish_bulletin(served.public_view(), "2025-12", fmt, "en", source="city")
        assert sorted(seen) == sorted(one_read) and 0 < len(seen) <= MAX_STATEMENTS, "\n".join(seen)
        assert _content(BulletinFormat(fmt), answer.content) == _content(BulletinFormat(fmt), expected)


def test_composing_and_writing_reads_nothing(store) -> None:
    snapshot = read_snapshot(store.public_view(), "2025-12", "city")
    with _statements(store) as seen:
        for lang in ("vi", "en"):
            for fmt in BulletinFormat:
                assert snapshot.write(fmt, lang, today=TODAY)
    assert seen == []


@pytest.mark.parametrize(("source", "period"), [("city", "2025-12"), ("city", "2025-02"), ("gso", "2025-02")])
def test_the_snapshot_says_what_the_per_section_reads_said(store, source: str, period: str) -> None:
    public = store.public_view()
    snapshot = read_snapshot(public, period, source)
    for lang in ("vi", "en"):
        mine, theirs = snapshot.compose(lang, today=TODAY), _per_section(public, period, source, lang)
        for fmt in (BulletinFormat.MD, BulletinFormat.XLSX, BulletinFormat.DOCX):
            assert _content(fmt, write_bulletin(mine, fmt)) == _content(fmt, write_bulletin(theirs, fmt)), (lang, fmt)
    if source == "city":
        assert snapshot.flows is not None and not snapshot.flows.empty and snapshot.synthetic_flows
        assert snapshot.scoring is not None and snapshot.outcomes is not None


@pytest.mark.parametrize("period", ["2024-01", "2024-02", "2024-03", "2025-06", "2025-12"])
def test_the_months_read_give_the_same_indicators(store, period: str) -> None:
    public = store.public_view()
    full, read = monthly_indicators(public, period, "city"), bulletin_indicators(public, period, "city")
    assert set(full.tables) == set(read.tables) and full.iip_history.equals(read.iip_history)
    assert (full.synthetic, full.published_on) == (read.synthetic, read.published_on)
    for name, view in full.tables.items():
        for part in ("rows", "year_ago"):
            assert getattr(view, part).equals(getattr(read.tables[name], part)), (name, part)
        totals = view.rows.loc[view.rows["kind"] == "total", "key"].tolist()
        window = read.tables[name].window
        assert view.window[view.window["key"].isin(totals)].reset_index(drop=True).equals(
            window[window["key"].isin(totals)].reset_index(drop=True))
    assert bulletin_months("2025-12") == ["2023-12", "2024-11", "2024-12", "2025-11", "2025-12"]


def test_flows_summed_in_the_database_or_read_one_by_one(store, tmp_path: Path) -> None:
    public = store.public_view()
    codes = resolve_market("EU")[1]
    snapshot = read_snapshot(public, "2025-12", "city")
    summed = summed_flows(public, codes, {int(i) for i in public.visible_release_ids()})
    assert summed is not None and summed.frame.equals(snapshot.flows)
    assert summed_flows(public, codes, set()).frame.empty  # type: ignore[union-attr]
    # A second release with flows into the market (and a value that is not a whole number): the latest vintage
    # of each flow must be chosen first, so every flow is read — and the bulletin is the same as before.
    other = open_store(f"sqlite:///{tmp_path / 'copy.db'}")
    with store.engine.connect() as source, other.engine.connect() as target:
        source.connection.driver_connection.backup(target.connection.driver_connection)
    store_flows(other, pd.DataFrame({"period": ["2025"], "exporter": ["THA"], "importer": ["DEU"],
                                     "product": ["03"], "value": [1234.5], "quantity": [float("nan")]}),
                source="trade", file="one flow", released_on=dt.date(2026, 1, 20))
    copy = other.public_view()
    assert summed_flows(copy, codes, {int(i) for i in copy.visible_release_ids()}) is None
    for lang in ("vi", "en"):
        mine = read_snapshot(copy, "2025-12", "city").compose(lang, today=TODAY)
        assert write_bulletin(mine, "md") == write_bulletin(_per_section(copy, "2025-12", "city", lang), "md")


def test_a_bulletin_reads_the_public_view() -> None:
    with pytest.raises(ValueError, match="public_view"):
        read_snapshot(open_store("sqlite://"), "2025-12")


def test_the_html_charts_are_svg_without_matplotlib() -> None:
    chart = Chart("IIP", "bar_periods", [f"2025-{m:02d}" for m in range(1, 13)], [3.5, -1.25, None, *[2.0] * 9])
    svg = str(svg_chart(chart, "vi", "c1-"))
    assert svg.startswith("<svg") and svg.endswith("</svg>") and 'id="c1-title"' in svg
    assert "2/2025: -1,3</title>" in svg and ">12/2025</text>" in svg and ">0</text>" in svg  # vi numbers and months
    assert svg.count("<rect") == 1 + 11  # the background and one bar per known value
    ranked = Chart("Ngành", "barh", ["Sản xuất đồ uống", "Dệt"], [21.4, -8.4])
    assert ">21,4</text>" in str(svg_chart(ranked, "vi")) and ">-8.4</text>" in str(svg_chart(ranked, "en"))
    assert ticks(-15.3, 32.1, 6) == [-10.0, 0.0, 10.0, 20.0, 30.0]
    assert text_width("ế", 10) == text_width("e", 10) > 0  # a Vietnamese letter is as wide as its base letter


def test_the_docx_and_pdf_charts_are_png_drawn_from_the_svg_layout() -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    chart = Chart("IIP", "bar_periods", months, [3.5, -1.25, None, *[2.0] * 9])
    png = png_chart(chart, "vi")
    assert png.startswith(b"\x89PNG") and png == png_chart(chart, "vi")  # reproducible
    layout = layout_chart(chart, "vi")
    assert png_size(png) == (round(layout.width * DPI / 72), round(layout.height * DPI / 72)) == (1200, 570)
    image, scale = chart_image(chart, "vi"), DPI / 72
    bar = next(shape for shape in layout.shapes if isinstance(shape, Bar))  # January's, up: the positive colour
    centre = (round((bar.x + bar.width / 2) * scale), round((bar.y + bar.height / 2) * scale))
    assert "#{:02x}{:02x}{:02x}".format(*image.getpixel(centre)) == POSITIVE
    assert image.getpixel((2, 2)) == (255, 255, 255)
    ranked = Chart("Ngành", "barh", [f"Ngành {i}" for i in range(30)], [float(i) for i in range(30)])
    assert png_size(png_chart(ranked, "en")) == (1200, 1650)  # a long ranking: 11 in high at most
    with pytest.raises(ValueError, match="labels"):
        png_chart(Chart("x", "barh", ["a"], [1.0, 2.0]), "vi")
    # A chart with missing values (a confidential month, a month without figures) still draws.
    for chart in (Chart("Thiếu số liệu", "bar_periods", ["2020-01", "2020-02"], [None, None]),
                  Chart("Thiếu số liệu", "barh", ["A", "B"], [None, 2.0])):
        assert png_chart(chart, "vi").startswith(b"\x89PNG") and str(svg_chart(chart, "en")).startswith("<svg")


def test_writing_every_format_loads_no_matplotlib(store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    script = ("import sys; from vnindustry.store import open_store; from vnindustry.publish.snapshot import "
              "read_snapshot; snapshot = read_snapshot(open_store(sys.argv[1]).public_view(), '2025-12', 'city'); "
              "[snapshot.write(f) for f in ('md', 'html', 'xlsx', 'docx', 'pdf')]; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    done = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_regression_issue16_the_bulletin_command_imports_no_orm(store, tmp_path: Path) -> None:
    """The command reads the store (the month, the annex: flows, scorings, outcomes) over the Core tables of
    store/tables/: SQLAlchemy's ORM and the model classes (~0.1 s of its start-up) are never imported."""
    url = store.engine.url.render_as_string(hide_password=False)
    code = ("import runpy, sys\n"
            "sys.argv = ['vnindustry', 'bulletin', '--period', '2025-12', '--source', 'city', '--db', sys.argv[1],\n"
            "            '--out', sys.argv[2]]\n"
            "try:\n    runpy.run_module('vnindustry.cli', run_name='__main__')\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('ORM', 'sqlalchemy.orm' in sys.modules)\n")
    out = tmp_path / "b.md"
    done = subprocess.run([sys.executable, "-c", code, url, str(out)], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "ORM False", done.stdout + done.stderr
    assert "Chỉ số sản xuất công nghiệp" in out.read_text(encoding="utf-8")


def test_issue16_annex_read_beside_the_month_follows_the_source_found(store, monkeypatch) -> None:
    """The annex is read in a second thread, beside the month's figures, for the first source a bulletin could be
    of; when the month's figures come from the next one, the annex is read again for that one — never another
    source's annex — and a month nobody has is still the clear error."""
    import vnindustry.publish.snapshot as snapshot_module
    from vnindustry.errors import InputError

    public = store.public_view()
    monkeypatch.setattr(snapshot_module, "DEFAULT_SOURCES", ("nobody", "city"))
    guessed, named = read_snapshot(public, "2025-12"), read_snapshot(public, "2025-12", "city")
    assert guessed.source == "city" and guessed.outcomes is not None and guessed.flows is not None
    assert guessed.flows.equals(named.flows) and guessed.synthetic_flows == named.synthetic_flows
    for lang in ("vi", "en"):
        for fmt in (BulletinFormat.MD, BulletinFormat.XLSX):
            assert _content(fmt, guessed.write(fmt, lang, today=TODAY)) == _content(fmt, named.write(fmt, lang,
                                                                                               today=TODAY))
    monkeypatch.setattr(snapshot_module, "DEFAULT_SOURCES", ("city", "gso"))
    with pytest.raises(InputError, match="no figures for 1999-01 from city or gso"):
        read_snapshot(public, "1999-01")


def test_issue16_an_in_memory_store_reads_its_annex_in_its_own_thread(store) -> None:
    """An in-memory SQLite store gives each thread a connection to a database of its own (empty): the annex,
    read beside the month's figures in a second thread for a store on a file or a server, is read in the
    caller's thread there — the same bulletin as from the file."""
    memory = open_store("sqlite://")
    with store.engine.connect() as source, memory.engine.connect() as target:
        source.connection.driver_connection.backup(target.connection.driver_connection)
    from_memory = read_snapshot(memory.public_view(), "2025-12", "city")
    from_file = read_snapshot(store.public_view(), "2025-12", "city")
    assert from_memory.flows is not None and not from_memory.flows.empty and from_memory.outcomes is not None
    for fmt in (BulletinFormat.MD, BulletinFormat.XLSX):
        assert _content(fmt, from_memory.write(fmt, "vi", today=TODAY)) == _content(fmt, from_file.write(
            fmt, "vi", today=TODAY))
