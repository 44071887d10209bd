"""Issue 13, item 3: the bulletin an office signs — letterhead and signature in every format, the base year,
the IIP table as the VSIC hierarchy, one sentence per key industry, quarter and year wording, unit-aware
decimals, GSO's diacritic style, numbered captions, the synthetic mark; snapshots of the demo city's
December and of GSO's February 2025, vi and en, md and the text of the docx and pdf.

Refresh the snapshots with VNINDUSTRY_UPDATE_SNAPSHOTS=1 after a deliberate change, and read the diff.
"""

import datetime as dt
import html
import io
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

import vnindustry
from vnindustry.analysis.indicators import monthly_indicators
from vnindustry.publish.bulletin import bulletin_date, compose_bulletin, iip_hierarchy, quarter_growth
from vnindustry.publish.document import Paragraph, Table
from vnindustry.publish.numbers import decimals_for_unit, format_quantity
from vnindustry.publish.wording import OLD_STYLE, gso_style, vi_date
from vnindustry.publish.writers import write_bulletin
from vnindustry.sources.gso import read_workbook
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.gso import store_workbook

DATA = Path(__file__).parent / "data"
SNAPSHOTS = Path(__file__).parent / "snapshots"
FORMATS = ("md", "html", "docx", "pdf", "xlsx")
TODAY = dt.date(2026, 12, 5)
CITY_RELEASE = dt.date(2026, 1, 10)  # the demo's December 2025, released on the Department's day


@pytest.fixture(autouse=True)
def _no_date_setting(monkeypatch):
    # The date line comes from the arguments here, not from whatever the environment says.
    monkeypatch.delenv("VNINDUSTRY_BULLETIN_DATE", raising=False)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The demo city (the generator's defaults, as `vnindustry demo` builds it), compiled and stored."""
    from vnindustry.demo.city import generate_city

    folder = tmp_path_factory.mktemp("city")
    result = vnindustry.compile_dataset(generate_city(folder / "city"))
    store = open_store(f"sqlite:///{folder / 'store.db'}")
    store_compile(store, result, released_on=CITY_RELEASE)
    return store.public_view()


@pytest.fixture(scope="module")
def gso():
    store = open_store("sqlite://")
    store_workbook(store, read_workbook(DATA / "gso" / "xlsx" / "2025-02.xlsx"))
    return store


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = [c for c in row.iterchildren() if c.tag.endswith("}tc")]
                    lines.append(" | ".join("\n".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                                      for p in c.iterchildren() if p.tag.endswith("}p"))
                                            for c in cells))
    footer = [p.text for s in document.sections for p in s.footer.paragraphs]
    return "\n".join([*lines, "--- footer ---", *footer]).rstrip() + "\n"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).rstrip() + "\n"


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def _snapshot(name: str, text: str) -> None:
    snap = SNAPSHOTS / name
    if os.environ.get("VNINDUSTRY_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(text, encoding="utf-8")
    assert text == snap.read_text(encoding="utf-8"), f"{name} changed (refresh with VNINDUSTRY_UPDATE_SNAPSHOTS=1)"


# --- small pieces ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("unit", "decimals"), [
    ("chiếc", 0), ("cái", 0), ("bộ", 0), ("đôi", 0), ("con", 0), ("Chiếc", 0), ("pieces", 0),
    ("nghìn cái", 1), ("Nghìn chiếc", 1), ("triệu đôi", 1), ("tấn", 1), ("nghìn lít", 1), ("Tỷ kwh", 1),
    ("tỷ đồng", 0), ("Nghìn tỷ đồng", 1), ("Triệu USD", 1), ("%", 1),
])
def test_decimals_by_unit(unit, decimals):
    assert decimals_for_unit(unit) == decimals


def test_counts_print_without_decimals():
    assert format_quantity(181.0, "chiếc") == "181"
    assert format_quantity(35114.4, "cái") == "35.114"
    assert format_quantity(1383.06, "nghìn cái") == "1.383,1"
    assert format_quantity(5044.06, "tấn", "en") == "5,044.1"


@pytest.mark.parametrize(("old", "new"), [
    ("Hoá chất", "Hóa chất"), ("điều hoà không khí", "điều hòa không khí"), ("thuỷ sản", "thủy sản"),
    ("khoẻ", "khỏe"), ("tiêu huỷ", "tiêu hủy"), ("Luỹ kế", "Lũy kế"), ("HOÀ", "HÒA"), ("hoạ sĩ", "họa sĩ"),
    # Not old style: the u of "qu" is a consonant, closed syllables carry the tone on the main vowel already.
    ("quý IV", "quý IV"), ("quỹ", "quỹ"), ("hoàn thành", "hoàn thành"), ("toán", "toán"), ("thuyết", "thuyết"),
    ("hoạt động", "hoạt động"), ("khoảng", "khoảng"),
])
def test_gso_diacritic_style(old, new):
    assert gso_style(old) == new


def test_date_line_as_decree_30_writes_it():
    assert vi_date(dt.date(2026, 12, 5)) == "ngày 05 tháng 12 năm 2026"
    assert vi_date(dt.date(2026, 2, 9)) == "ngày 09 tháng 02 năm 2026"
    assert vi_date(dt.date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"


def test_date_from_setting_else_release_else_today(monkeypatch):
    release = dt.date(2026, 1, 6)
    assert bulletin_date(release, TODAY) == (release, "release")
    assert bulletin_date(None, TODAY) == (TODAY, "today")
    monkeypatch.setenv("VNINDUSTRY_BULLETIN_DATE", "2026-01-07")
    assert bulletin_date(release, TODAY) == (dt.date(2026, 1, 7), "setting")
    monkeypatch.setenv("VNINDUSTRY_BULLETIN_DATE", "7/1/2026")
    with pytest.raises(ValueError, match="bulletin_date"):
        bulletin_date(release, TODAY)


def test_issue13_bulletin_dated_by_its_release_not_by_today(city, gso):
    """Regression (issue 13): with no bulletin_date setting the CLI and the web printed today's date on a
    month released long before; the date is the day the month's figures were released."""
    assert monthly_indicators(city, "2025-12", "city").published_on == CITY_RELEASE
    assert monthly_indicators(gso, "2025-02", "gso").published_on == dt.date(2025, 3, 6)  # GSO's own day
    head = compose_bulletin(monthly_indicators(gso, "2025-02", "gso"), "vi", today=TODAY).letterhead
    assert head is not None and head.place_date.endswith("ngày 06 tháng 3 năm 2025") and head.date_basis == "release"


# --- the demo city -----------------------------------------------------------------------------------------------

def _paragraphs(bulletin) -> list[str]:
    return [b.text for s in bulletin.sections for b in s.blocks if isinstance(b, Paragraph)]


def test_city_december(city):
    ind = monthly_indicators(city, "2025-12", "city")
    vi = compose_bulletin(ind, "vi", today=TODAY)
    text = "\n".join(_paragraphs(vi))
    # Title from the sections present: the city bulletin has no trade section.
    assert vi.title == "Tình hình sản xuất công nghiệp tháng 12/2025" and "thương mại" not in vi.title
    assert "(năm gốc 2020)" in text.split("\n")[0]
    assert "Tính chung năm 2025, chỉ số IIP" in text and "Lũy kế 12 tháng" not in text
    assert re.search(r"Tính chung quý IV/2025, chỉ số IIP ước tính (tăng|giảm) \d+,\d%", text)
    # One sentence per key industry, with its own growth (the group table's figures).
    view = ind.table("iip")
    members = view.lines(kind="group")[1:]
    assert len(members) == 4
    for x in members:
        assert sum(p.startswith(f"Ngành {gso_style(x.name_vi)[:1].lower()}{gso_style(x.name_vi)[1:]} ")
                   for p in _paragraphs(vi)) == 1
    assert "Ở chiều ngược lại" not in text or text.index("tăng cao") < text.index("Ở chiều ngược lại")
    assert not re.search(r"\b0 sản phẩm", text)
    # The quarter from the unrounded monthly levels.
    rows = view.window[view.window["code"] == "TOTAL"].drop_duplicates("period", keep="last").set_index("period")
    now = sum(rows["level"][m] for m in ("2025-10", "2025-11", "2025-12"))
    before = sum(rows["level"][m] for m in ("2024-10", "2024-11", "2024-12"))
    assert quarter_growth(view, "TOTAL", "2025-12") == pytest.approx(100 * (now / before - 1))


def test_city_iip_table_is_the_vsic_hierarchy(city):
    ind = monthly_indicators(city, "2025-12", "city")
    table = next(t for t in compose_bulletin(ind, "vi", today=TODAY).tables() if t.sheet_name == "IIP")
    codes = [row[0] for row in table.rows]
    names = [row[1] for row in table.rows]
    assert codes[0] == "" and names[0] == "Toàn ngành công nghiệp"
    assert len(set(names)) == len(names)  # no row twice
    # Single-division sections once, under the section's name, the division's code in brackets.
    assert "B (08)" in codes and "Khai khoáng khác" not in names
    assert "D (35)" in codes and "35" not in codes
    # VSIC order: sections alphabetically, each followed by its divisions in code order.
    sections = [c[0] for c in codes[1:] if c[0].isalpha()]
    assert sections == sorted(sections) == ["B", "C", "D", "E"]
    c_at, d_at = codes.index("C"), codes.index("D (35)")
    divisions = codes[c_at + 1:d_at]
    assert divisions == sorted(divisions) and divisions[0] == "10" and divisions[-1] == "33"
    assert [code for code, _ in iip_hierarchy(ind.table("iip"))] == codes


def test_city_counts_have_no_decimals(city):
    ind = monthly_indicators(city, "2025-12", "city")
    md = write_bulletin(compose_bulletin(ind, "vi", today=TODAY), "md").decode()
    counted = [line for line in md.splitlines() if re.match(r"\| [^|]+ \| (chiếc|cái|bộ|đôi|con) \|", line)]
    assert counted
    for line in counted:
        assert re.match(r"\| [^|]+ \| \w+ \| [\d.]+ \|", line), line


def test_city_quarter_and_ordinary_months(city):
    september = "\n".join(_paragraphs(compose_bulletin(monthly_indicators(city, "2025-09", "city"), "vi",
                                                       today=TODAY)))
    assert "Tính chung quý III/2025" in september and "Lũy kế 9 tháng/2025" in september
    august = "\n".join(_paragraphs(compose_bulletin(monthly_indicators(city, "2025-08", "city"), "vi", today=TODAY)))
    assert "quý" not in august and "Lũy kế 8 tháng/2025" in august and "Tính chung năm" not in august
    english = "\n".join(_paragraphs(compose_bulletin(monthly_indicators(city, "2025-09", "city"), "en",
                                                     today=TODAY)))
    assert "In the third quarter of 2025 the IIP was" in english


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_city_letterhead_in_every_format(city, lang):
    bulletin = compose_bulletin(monthly_indicators(city, "2025-12", "city"), lang, today=TODAY)
    vi = lang == "vi"
    wanted = (["UBND THÀNH PHỐ HỒ CHÍ MINH", "SỞ CÔNG THƯƠNG", "/BC-SCT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
               "Độc lập - Tự do - Hạnh phúc", "TP. Hồ Chí Minh, ngày 10 tháng 01 năm 2026", "BÁO CÁO", "Nơi nhận:",
               "Lưu: VT.", "GIÁM ĐỐC"] if vi else
              ["HO CHI MINH CITY PEOPLE'S COMMITTEE", "DEPARTMENT OF INDUSTRY AND TRADE", "/BC-SCT",
               "SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness",
               "Ho Chi Minh City, 10 January 2026", "REPORT", "DIRECTOR"])
    for fmt in FORMATS:
        data = write_bulletin(bulletin, fmt)
        text = {"docx": _docx_text, "pdf": _pdf_text, "xlsx": _xlsx_text}.get(fmt, bytes.decode)(data)
        text = " ".join(html.unescape(text).split())  # "PEOPLE'S" is escaped in HTML; the PDF wraps long lines
        for piece in wanted:
            assert piece in text, (fmt, piece)
        if not vi:
            assert "Nơi nhận" not in text and "CỘNG HÒA" not in text


def test_synthetic_mark_under_the_title_and_in_every_footer(city, gso):
    ind = monthly_indicators(city, "2025-12", "city")
    assert ind.synthetic  # the demo generator's release is marked synthetic in the store
    for lang, mark in (("vi", "DỮ LIỆU GIẢ LẬP — không phải số liệu chính thức"),
                       ("en", "SYNTHETIC DATA — not official statistics")):
        bulletin = compose_bulletin(ind, lang, today=TODAY)
        md = write_bulletin(bulletin, "md").decode()
        assert md.count(mark) == 2 and md.index(mark) < md.index("##")  # under the title, and at the end
        page = write_bulletin(bulletin, "html").decode()
        assert page.count(mark) == 2
        assert f"--- footer ---\n{mark}" in _docx_text(write_bulletin(bulletin, "docx"))
        pages = PdfReader(io.BytesIO(write_bulletin(bulletin, "pdf"))).pages
        assert all(mark in page.extract_text() for page in pages)  # the page footer
        assert mark in _xlsx_text(write_bulletin(bulletin, "xlsx"))
    # GSO's own figures are official statistics: no mark.
    plain = write_bulletin(compose_bulletin(monthly_indicators(gso, "2025-02", "gso"), "vi", today=TODAY), "md")
    assert "GIẢ LẬP" not in plain.decode()


def test_captions_numbered_once_and_md_names_no_chart(city):
    bulletin = compose_bulletin(monthly_indicators(city, "2025-12", "city"), "vi", today=TODAY)
    titles = [c.title for c in bulletin.charts()]
    assert titles == [
        "Biểu đồ 1: Tốc độ tăng/giảm chỉ số IIP so với cùng kỳ năm trước, tháng 12/2023 – tháng 12/2025 (%)",
        "Biểu đồ 2: Tốc độ tăng/giảm chỉ số sản xuất các ngành cấp II tháng 12/2025 so với cùng kỳ năm trước (%)"]
    page = write_bulletin(bulletin, "html").decode()
    for title in titles:
        assert page.count(f"<figcaption>{title}</figcaption>") == 1
    assert "Biểu đồ" not in write_bulletin(bulletin, "md").decode()


def test_no_old_diacritic_style_in_any_vietnamese_output(city, gso):
    for store, period, source in ((city, "2025-12", "city"), (gso, "2025-02", "gso")):
        bulletin = compose_bulletin(monthly_indicators(store, period, source), "vi", today=TODAY)
        for fmt in FORMATS:
            data = write_bulletin(bulletin, fmt)
            text = {"docx": _docx_text, "pdf": _pdf_text, "xlsx": _xlsx_text}.get(fmt, bytes.decode)(data)
            found = OLD_STYLE.findall(text)
            assert not found, (source, fmt, found[:5])


# --- snapshots -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_city_snapshots(city, lang):
    bulletin = compose_bulletin(monthly_indicators(city, "2025-12", "city"), lang, today=TODAY)
    _snapshot(f"issue13_bulletin_city_2025-12_{lang}.md", write_bulletin(bulletin, "md").decode())
    _snapshot(f"issue13_bulletin_city_2025-12_{lang}.docx.txt", _docx_text(write_bulletin(bulletin, "docx")))
    _snapshot(f"issue13_bulletin_city_2025-12_{lang}.pdf.txt", _pdf_text(write_bulletin(bulletin, "pdf")))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_gso_snapshots(gso, lang):
    bulletin = compose_bulletin(monthly_indicators(gso, "2025-02", "gso"), lang, today=TODAY)
    assert bulletin.title == ("Tình hình sản xuất công nghiệp và thương mại tháng 2/2025" if lang == "vi"
                              else "Industrial production and trade, February 2025")
    _snapshot(f"issue13_bulletin_gso_2025-02_{lang}.md", write_bulletin(bulletin, "md").decode())
    _snapshot(f"issue13_bulletin_gso_2025-02_{lang}.docx.txt", _docx_text(write_bulletin(bulletin, "docx")))
    _snapshot(f"issue13_bulletin_gso_2025-02_{lang}.pdf.txt", _pdf_text(write_bulletin(bulletin, "pdf")))


def test_tables_are_tables():
    # Guard for the helpers above: a Table's per-cell format wins over its column's.
    from vnindustry.publish.document import CellFormat

    table = Table("t", ["a", "b"], [CellFormat.TEXT, CellFormat.NUMBER1], [["x", 1.0]],
                  cell_formats={(0, 1): CellFormat.NUMBER0})
    assert table.format_at(0, 1) is CellFormat.NUMBER0 and table.format_at(0, 0) is CellFormat.TEXT


def test_issue13_one_table_of_source_names():
    """Regression (issue 13): the bulletin kept its own source names beside the pages'; both read
    vnindustry.names now, so a renamed source changes everywhere at once."""
    from vnindustry.names import SOURCES, source_name
    from vnindustry.publish.bulletin import source_line
    from vnindustry.web.labels import source_name as page_name

    for src in SOURCES:
        for lang in ("vi", "en"):
            assert source_name(src, lang) in source_line(src, lang) and page_name(src, lang) == source_name(src, lang)
    assert source_line("gso", "vi") == "Nguồn số liệu: Tổng cục Thống kê; Sở Công Thương trích dẫn"
    assert source_line("trade-x", "en") == "Source: trade-x"  # a user's own source, as named
