"""The monthly bulletin from the store: figures equal the workbook's cells, wording, every format."""

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import vnindustry
from vnindustry.analysis.indicators import monthly_indicators
from vnindustry.cli import app
from vnindustry.publish.bulletin import compose_bulletin
from vnindustry.publish.document import Paragraph
from vnindustry.publish.numbers import format_change, format_number
from vnindustry.publish.writers import write_bulletin
from vnindustry.sources.gso import read_workbook
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.gso import store_workbook

DATA = Path(__file__).parent / "data"
XLSX = DATA / "gso" / "xlsx"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def _text(bulletin) -> str:
    return "\n".join(b.text for s in bulletin.sections for b in s.blocks if isinstance(b, Paragraph))


def _cell(path: Path, records, table, code, measure, period, qty=False):
    """The value of the workbook cell a record points to, read independently with openpyxl."""
    r = records[(records["table"] == table) & (records["code"] == code) & (records["measure"] == measure)
                & (records["period"] == period)].iloc[0]
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    return float(wb[r["sheet"]][r["cell"]].value)


@pytest.fixture(scope="module")
def gso_2025_02(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.db'}")
    imported = read_workbook(XLSX / "2025-02.xlsx")
    store_workbook(store, imported)
    return store, imported.records


def test_bulletin_figures_equal_the_workbook(gso_2025_02):
    store, records = gso_2025_02
    path = XLSX / "2025-02.xlsx"
    text = _text(compose_bulletin(monthly_indicators(store, "2025-02", "gso"), "vi"))
    mom = _cell(path, records, "iip", "TOTAL", "pct_prev_month", "2025-02")
    yoy = _cell(path, records, "iip", "TOTAL", "pct_same_month_last_year", "2025-02")
    ytd = _cell(path, records, "iip", "TOTAL", "pct_ytd_last_year", "2025-02")
    assert (f"Chỉ số sản xuất công nghiệp (IIP) tháng 2/2025 (năm gốc 2020) ước tính {format_change(mom - 100)} "
            "so với tháng "
            f"trước và {format_change(yoy - 100)} so với cùng kỳ năm trước.") in text
    assert f"Lũy kế 2 tháng/2025, chỉ số IIP ước tính {format_change(ytd - 100)}" in text
    retail = _cell(path, records, "retail", "TOTAL", "level", "2025-02")
    assert f"đạt {format_number(retail, 0)} tỷ đồng" in text
    exports = _cell(path, records, "exports", "TOTAL", "level", "2025-02")
    imports = _cell(path, records, "imports", "TOTAL", "level", "2025-02")
    # GSO prints 2025 trade figures as preliminary (sơ bộ), the rest as estimates (ước tính).
    status = records[(records["table"] == "exports") & (records["code"] == "TOTAL")
                     & (records["period"] == "2025-02") & (records["measure"] == "level")]["status"].iloc[0]
    word = {"estimate": "ước tính", "preliminary": "sơ bộ"}[status]
    assert f"Kim ngạch xuất khẩu hàng hóa tháng 2/2025 {word} đạt {format_number(exports / 1000, 1)} tỷ USD" in text
    balance = format_number(abs(exports - imports) / 1000, 2)  # two decimals, as GSO prints the balance
    assert f"{'xuất siêu' if exports > imports else 'nhập siêu'} {balance} tỷ USD" in text
    crude = _cell(path, records, "exports", "dau-tho", "level", "2025-02")
    assert f"không kể dầu thô đạt {format_number((exports - crude) / 1000, 1)} tỷ USD" in text


def test_sections_only_where_data_exist(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'city.db'}")
    store_compile(store, vnindustry.compile_dataset(DATA / "ppi_manual"), released_on=dt.date(2020, 6, 5))
    bulletin = compose_bulletin(monthly_indicators(store, "2020-05", "city"), "vi")
    # Five months of data: products have no year-on-year change to rank, and there is no retail or trade.
    assert [s.heading for s in bulletin.sections] == ["Sản xuất công nghiệp"]
    text = _text(bulletin)
    assert "ước tính tăng 45,9% so với tháng trước" in text  # the last month is an estimate
    assert "so với cùng kỳ" not in text.split(".")[0]  # five months of data: no year-on-year comparison


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_bulletin_text_snapshot(gso_2025_02, lang, monkeypatch):
    """Snapshot of the generated Markdown; refresh with VNINDUSTRY_UPDATE_SNAPSHOTS=1 after a deliberate change."""
    import os

    monkeypatch.setenv("VNINDUSTRY_BULLETIN_DATE", "2026-12-05")  # the date line, fixed for the snapshot
    store, _ = gso_2025_02
    md = write_bulletin(compose_bulletin(monthly_indicators(store, "2025-02", "gso"), lang), "md").decode("utf-8")
    snap = SNAPSHOTS / f"bulletin_gso_2025-02_{lang}.md"
    if os.environ.get("VNINDUSTRY_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(md, encoding="utf-8")
    assert md == snap.read_text(encoding="utf-8")


def test_english_uses_english_conventions(gso_2025_02):
    store, _ = gso_2025_02
    text = _text(compose_bulletin(monthly_indicators(store, "2025-02", "gso"), "en"))
    assert text.startswith("The index of industrial production (IIP, base year 2020) for February 2025 (estimate) "
                           "was down 2.2% "
                           "on the previous month and up 17.2% on February 2024.")
    assert re.search(r"VND \d{3},\d{3} billion", text)
    assert "Manufacture of motor vehicles" in text  # VSIC English names
    assert not re.search(r"\d,\d%", text)  # no decimal commas in English


def test_cli_every_format_and_language(gso_2025_02, tmp_path):
    store, _ = gso_2025_02
    url = str(store.engine.url)
    runner = CliRunner()
    for lang in ("vi", "en"):
        for fmt in ("md", "html", "docx", "pdf", "xlsx"):
            out = tmp_path / f"b-{lang}.{fmt}"
            args = ["bulletin", "--period", "2025-02", "--db", url, "--lang", lang, "--out", str(out)]
            res = runner.invoke(app, args)
            assert res.exit_code == 0, res.output
            assert out.stat().st_size > 1000
    assert (tmp_path / "b-vi.pdf").read_bytes().startswith(b"%PDF")
    res = runner.invoke(app, ["bulletin", "--period", "2025-02", "--db", url])
    assert res.exit_code == 0 and "\n# BÁO CÁO\n" in res.output
    assert "**Tình hình sản xuất công nghiệp và thương mại tháng 2/2025**" in res.output


def test_cli_errors(gso_2025_02, tmp_path):
    store, _ = gso_2025_02
    url = str(store.engine.url)
    runner = CliRunner()
    res = runner.invoke(app, ["bulletin", "--period", "2019-05", "--db", url])
    assert res.exit_code == 1 and "no figures for 2019-05" in res.output and "gso up to" in res.output
    res = runner.invoke(app, ["bulletin", "--period", "2025-13", "--db", url])
    assert res.exit_code == 2
    res = runner.invoke(app, ["bulletin", "--period", "2025-02", "--db", url, "--format", "pdf"])
    assert res.exit_code == 2  # binary format without --out
    res = runner.invoke(app, ["bulletin", "--period", "2025-02", "--db", url, "--format", "odt", "--out", "x"])
    assert res.exit_code == 2
