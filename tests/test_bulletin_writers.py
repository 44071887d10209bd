"""The bulletin writers (MD, HTML, DOCX, PDF, XLSX) and the charts, on hand-built bulletins.

Each format is read back with an independent reader (python-docx, pypdf, openpyxl) to check that the
Vietnamese text keeps its diacritics, that figures show as published ("3,4", "96,75", "+3,4") and that
the XLSX keeps the unrounded values.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from vnindustry.publish.chart_layout import period_label
from vnindustry.publish.document import (
    Bulletin,
    BulletinFormat,
    CellFormat,
    Chart,
    Paragraph,
    Section,
    Table,
)
from vnindustry.publish.writers import WRITERS, UnsupportedBlockError, write_bulletin
from vnindustry.publish.writers.cells import format_cell
from vnindustry.publish.writers.xlsx import sheet_name

SNAPSHOTS = Path(__file__).parent / "snapshots"

TITLE_VI = "Tình hình sản xuất công nghiệp và thương mại tháng 11 năm 2020"
PARAGRAPH_VI = (
    "Chỉ số sản xuất công nghiệp (IIP) tháng 11/2020 tăng 3,4% so với tháng trước và tăng 0,2% so với cùng kỳ "
    "năm trước. Lũy kế 11 tháng/2020, chỉ số IIP giảm 4,4% (cùng kỳ tăng 7,4%)."
)
# Values chosen to exercise rounding and storage: 0.1 + 0.2 needs 17 significant digits to round-trip.
ROWS = [
    ["Toàn ngành công nghiệp", 103.4123, 96.7512, 3.4049, 120000.0],
    ["Khai khoáng", 98.25, 100.004, -4.4, 0.1 + 0.2],
    ["Công nghiệp chế biến, chế tạo", None, 101.5, 0.04, 1234.5],
    ["Sản xuất và phân phối điện", 100.0, None, -0.04, None],
]
MONTHS = [f"{2018 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(25)]  # 2018-11 … 2020-11
MOM = [round(((i * 37) % 17 - 8) / 2.3, 4) for i in range(25)]
MOM[-1] = 3.4
INDUSTRIES = ["Sản xuất đồ uống", "Sản xuất chế biến thực phẩm", "Dệt", "Sản xuất thiết bị điện", "Khai khoáng khác"]
GROWTH = [12.45, 7.0, 0.5, -3.25, -8.04]


def _table(lang: str) -> Table:
    vi = lang == "vi"
    return Table(
        title=("Chỉ số sản xuất công nghiệp tháng 11 năm 2020" if vi
               else "Index of industrial production, November 2020"),
        columns=(["Ngành", "Chỉ số so với tháng trước", "Chỉ số so với cùng kỳ", "Tăng/giảm (%)", "Sản lượng"]
                 if vi else ["Industry", "Index, previous month = 100", "Index, same month = 100", "Change (%)",
                             "Output"]),
        formats=[CellFormat.TEXT, CellFormat.NUMBER1, CellFormat.INDEX, CellFormat.CHANGE, CellFormat.NUMBER0],
        rows=[list(r) for r in ROWS],
        unit="%",
        notes=["Số liệu tháng 11 là số ước tính.", "Ô trống: không có số liệu."] if vi
        else ["November figures are estimates.", "Empty cell: no data."],
        statuses=["ước tính"] * len(ROWS) if vi else ["estimate"] * len(ROWS),
        sheet_name="IIP tháng 11/2020" if vi else "",
    )


def _bulletin(lang: str = "vi") -> Bulletin:
    vi = lang == "vi"
    return Bulletin(
        title=TITLE_VI if vi else "Industry and trade, November 2020",
        subtitle="Sở Công Thương" if vi else "Department of Industry and Trade",
        lang=lang,
        period="2020-11",
        sections=[
            Section(
                heading="I. Sản xuất công nghiệp" if vi else "I. Industrial production",
                blocks=[
                    Paragraph(PARAGRAPH_VI if vi else "The index of industrial production (IIP) rose 3.4% on the "
                              "previous month in November 2020."),
                    _table(lang),
                    Chart(
                        title="Chỉ số IIP so với tháng trước (%)" if vi else "IIP, change on previous month (%)",
                        kind="bar_periods", labels=list(MONTHS), values=list(MOM),
                        alt="25 tháng gần nhất" if vi else "last 25 months",
                    ),
                ],
            ),
            Section(
                heading="II. Các ngành" if vi else "II. Industries",
                blocks=[
                    Chart(
                        title="Tốc độ tăng so với cùng kỳ của các ngành (%)" if vi else "Growth by industry (%)",
                        kind="barh", labels=list(INDUSTRIES), values=list(GROWTH),
                    ),
                    Paragraph("Ngành sản xuất đồ uống tăng mạnh nhất." if vi else "Beverages grew fastest."),
                ],
            ),
        ],
        footer="Nguồn: Cục Thống kê thành phố." if vi else "Source: city statistics office.",
    )


@pytest.fixture(scope="module")
def outputs() -> dict[tuple[str, BulletinFormat], bytes]:
    """Every format in both languages, written once for the module."""
    return {(lang, fmt): write_bulletin(_bulletin(lang), fmt) for lang in ("vi", "en") for fmt in BulletinFormat}


# --- cells ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "fmt", "lang", "text"), [
    (3.4049, CellFormat.NUMBER1, "vi", "3,4"),
    (3.4049, CellFormat.NUMBER1, "en", "3.4"),
    (120000.0, CellFormat.NUMBER0, "vi", "120.000"),
    (120000.0, CellFormat.NUMBER0, "en", "120,000"),
    (3.045, CellFormat.NUMBER2, "vi", "3,05"),  # half up, not banker's
    (96.7512, CellFormat.INDEX, "vi", "96,75"),
    (100.0, CellFormat.INDEX, "en", "100.00"),
    (3.4049, CellFormat.CHANGE, "vi", "+3,4"),
    (-4.4, CellFormat.CHANGE, "vi", "-4,4"),
    (3.4049, CellFormat.CHANGE, "en", "+3.4"),
    (-0.04, CellFormat.CHANGE, "vi", "0,0"),
    (-0.04, CellFormat.NUMBER1, "vi", "0,0"),
    (None, CellFormat.NUMBER1, "vi", ""),
    (float("nan"), CellFormat.CHANGE, "vi", ""),
    (None, CellFormat.TEXT, "vi", ""),
    ("Khai khoáng", CellFormat.TEXT, "vi", "Khai khoáng"),
])
def test_format_cell(value, fmt, lang, text):
    assert format_cell(value, fmt, lang) == text


def test_format_cell_rejects_text_in_a_number_column():
    with pytest.raises(TypeError, match="change cell needs a number"):
        format_cell("3,4", CellFormat.CHANGE, "vi")


# --- dispatch and errors --------------------------------------------------------------------------------------------

def test_every_format_has_a_writer():
    assert set(WRITERS) == set(BulletinFormat)


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match=r"unknown bulletin format 'rtf'; use one of md, html, docx, pdf, xlsx"):
        write_bulletin(_bulletin(), "rtf")


def test_format_without_a_writer_is_a_value_error(monkeypatch):
    monkeypatch.delitem(WRITERS, BulletinFormat.PDF)
    with pytest.raises(ValueError, match="no writer for bulletin format 'pdf'"):
        write_bulletin(_bulletin(), BulletinFormat.PDF)


@pytest.mark.parametrize("fmt", list(BulletinFormat))
def test_unsupported_block_names_format_and_block(fmt):
    class Video:
        pass

    bulletin = _bulletin()
    bulletin.sections[1].blocks.append(Video())
    with pytest.raises(UnsupportedBlockError, match=rf"the {fmt.value} bulletin writer cannot render a Video block "
                                                    r"in section 'II\. Các ngành'"):
        write_bulletin(bulletin, fmt)
    assert issubclass(UnsupportedBlockError, TypeError)


@pytest.mark.parametrize("fmt", list(BulletinFormat))
def test_malformed_blocks_are_value_errors(fmt):
    bulletin = _bulletin()
    bulletin.sections[1].blocks[0].kind = "pie"
    with pytest.raises(ValueError, match=rf"{fmt.value} bulletin: chart .* has unknown kind 'pie'"):
        write_bulletin(bulletin, fmt)
    bulletin = _bulletin()
    bulletin.sections[0].blocks[1].rows[2].pop()
    with pytest.raises(ValueError, match=r"row 3 has 4 cells for 5 columns"):
        write_bulletin(bulletin, fmt)
    bulletin = _bulletin()
    bulletin.lang = "fr"
    with pytest.raises(ValueError, match="unknown bulletin language 'fr'"):
        write_bulletin(bulletin, fmt)


# --- charts ---------------------------------------------------------------------------------------------------------

def test_period_labels():
    assert period_label("2025-03", "vi") == "3/2025"
    assert period_label("2025-03", "en") == "Mar 2025"
    assert period_label("Quý I", "vi") == "Quý I"


# --- Markdown -------------------------------------------------------------------------------------------------------

def _table_rows(markdown: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in markdown.splitlines()
            if line.startswith("| ")]


def test_markdown_vi(outputs):
    text = outputs["vi", BulletinFormat.MD].decode("utf-8")
    assert text.startswith(f"# {TITLE_VI}\n")
    assert "Chỉ số sản xuất công nghiệp" in text and "tăng 3,4%" in text
    rows = _table_rows(text)
    assert rows[0][-1] == "Trạng thái"
    assert rows[1] == ["Toàn ngành công nghiệp", "103,4", "96,75", "+3,4", "120.000", "ước tính"]
    assert rows[2][3] == "-4,4"
    assert rows[3][1] == ""  # None → empty cell
    assert "|---|---:|---:|---:|---:|---|" in text
    assert "*Đơn vị tính: %*" in text
    assert "- Số liệu tháng 11 là số ước tính." in text
    # A .md names no chart it does not carry (issue 13): the charts are in the HTML, DOCX and PDF.
    assert "Biểu đồ" not in text and "Chỉ số IIP so với tháng trước (%)" not in text


def test_markdown_en(outputs):
    text = outputs["en", BulletinFormat.MD].decode("utf-8")
    rows = _table_rows(text)
    assert rows[0][-1] == "Status"
    assert rows[1][1:5] == ["103.4", "96.75", "+3.4", "120,000"]
    assert "Chart" not in text and "*Unit: %*" in text


def test_markdown_snapshot(outputs):
    """Refresh with VNINDUSTRY_UPDATE_SNAPSHOTS=1 after a deliberate change."""
    text = outputs["vi", BulletinFormat.MD].decode("utf-8")
    snap = SNAPSHOTS / "bulletin_vi.md"
    if os.environ.get("VNINDUSTRY_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(text, encoding="utf-8")
    assert text == snap.read_text(encoding="utf-8")


def test_markdown_escapes_markup():
    bulletin = _bulletin()
    bulletin.sections[0].blocks[0] = Paragraph("a|b *c* <script>")
    text = write_bulletin(bulletin, "md").decode()
    assert r"a\|b \*c\* \<script\>" in text


# --- HTML -----------------------------------------------------------------------------------------------------------

def test_html_vi(outputs):
    html = outputs["vi", BulletinFormat.HTML].decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html and '<meta charset="utf-8">' in html
    assert "Chỉ số sản xuất công nghiệp" in html and "tăng 3,4%" in html
    assert f"<title>{TITLE_VI}</title>" in html
    assert "<caption>Chỉ số sản xuất công nghiệp tháng 11 năm 2020" in html
    assert '<td class="num">96,75</td>' in html and '<td class="num">+3,4</td>' in html
    assert '<td class="num">-4,4</td>' in html and '<td class="num">3,4</td>' not in html
    assert '<td class="num"></td>' in html  # None → empty cell
    assert '<th scope="col">Trạng thái</th>' in html and '<td class="status">ước tính</td>' in html
    assert "text-align: right" in html
    assert html.count("<svg") == 2 and html.count("</svg>") == 2
    # The caption is the chart's title, once (the composer numbers it: "Biểu đồ 1: …").
    assert "<figcaption>Chỉ số IIP so với tháng trước (%)</figcaption>" in html


def test_html_en(outputs):
    html = outputs["en", BulletinFormat.HTML].decode("utf-8")
    assert '<html lang="en">' in html
    assert '<td class="num">103.4</td>' in html and '<td class="num">+3.4</td>' in html
    assert '<td class="num">120,000</td>' in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_is_offline(outputs, lang):
    html = outputs[lang, BulletinFormat.HTML].decode("utf-8")
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", html)  # only in-page references
    assert "<script" not in html and "<link" not in html and "@import" not in html
    # The two charts' ids are prefixed, so none repeats in the document.
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert ids and len(ids) == len(set(ids))


def test_html_escapes_text():
    bulletin = _bulletin()
    bulletin.sections[0].blocks[0] = Paragraph('<script>alert("x")</script> & co')
    bulletin.sections[0].blocks[1].rows[0][0] = "<b>Toàn ngành</b>"
    html = write_bulletin(bulletin, "html").decode()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; co" in html
    assert "&lt;b&gt;Toàn ngành&lt;/b&gt;" in html


# --- DOCX -----------------------------------------------------------------------------------------------------------

def test_docx_vi(outputs):
    import docx

    data = outputs["vi", BulletinFormat.DOCX]
    assert data.startswith(b"PK")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    assert "word/document.xml" in names and "docProps/core.xml" in names
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE_VI in text and "Chỉ số sản xuất công nghiệp" in text and "tăng 3,4%" in text
    assert "Đơn vị tính: %" in text and "Chỉ số IIP so với tháng trước (%)" in text
    assert len(document.inline_shapes) == 2
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "Trạng thái"
    assert [c.text for c in table.rows[1].cells] == [
        "Toàn ngành công nghiệp", "103,4", "96,75", "+3,4", "120.000", "ước tính"]
    assert table.rows[3].cells[1].text == ""
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[2].paragraphs[0].alignment == 2  # right
    assert document.core_properties.title == TITLE_VI
    assert document.core_properties.language == "vi-VN"
    assert document.styles["Normal"].font.name == "Times New Roman"
    from docx.oxml.ns import qn

    # Times New Roman for East Asian and complex-script runs too, with no theme font overriding it.
    rfonts = document.styles["Normal"].element.rPr.rFonts
    assert {rfonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert rfonts.get(qn("w:asciiTheme")) is None


def test_docx_en(outputs):
    import docx

    document = docx.Document(io.BytesIO(outputs["en", BulletinFormat.DOCX]))
    assert [c.text for c in document.tables[0].rows[1].cells][1:4] == ["103.4", "96.75", "+3.4"]
    assert document.core_properties.language == "en-US"


# --- PDF ------------------------------------------------------------------------------------------------------------

def _pdf_text(data: bytes) -> tuple[object, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_vi(outputs):
    data = outputs["vi", BulletinFormat.PDF]
    assert data.startswith(b"%PDF-")
    reader, text = _pdf_text(data)
    flat = " ".join(text.split())
    for phrase in ("Tình hình sản xuất công nghiệp và thương mại", "công nghiệp", "ước tính", "tăng 3,4%",
                   "Chỉ số sản xuất công nghiệp (IIP) tháng 11/2020", "Đơn vị tính: %", "Trạng thái", "96,75",
                   "+3,4", "120.000", "Chỉ số IIP so với tháng trước (%)", "Trang 1"):
        assert phrase in flat, phrase
    assert sum(len(page.images) for page in reader.pages) == 2
    assert reader.metadata.title == TITLE_VI
    assert reader.trailer["/Root"]["/Lang"] == "vi-VN"
    # The bundled font is embedded: no dependence on the system's fonts.
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVu" in f for f in fonts)


def test_pdf_en(outputs):
    _, text = _pdf_text(outputs["en", BulletinFormat.PDF])
    flat = " ".join(text.split())
    assert "96.75" in flat and "+3.4" in flat and "Page 1" in flat and "Status" in flat


def test_pdf_composes_decomposed_vietnamese():
    import unicodedata

    bulletin = _bulletin()
    bulletin.sections[0].blocks[0] = Paragraph(unicodedata.normalize("NFD", PARAGRAPH_VI))
    _, text = _pdf_text(write_bulletin(bulletin, "pdf"))
    assert "Chỉ số sản xuất công nghiệp" in unicodedata.normalize("NFC", " ".join(text.split()))


# --- XLSX -----------------------------------------------------------------------------------------------------------

def test_xlsx_vi(outputs):
    import openpyxl

    data = outputs["vi", BulletinFormat.XLSX]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    assert "xl/workbook.xml" in names and "xl/worksheets/sheet2.xml" in names
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Bản tin", "IIP tháng 11-2020"]
    text = book["Bản tin"]
    assert text["A1"].value == TITLE_VI
    assert PARAGRAPH_VI in [c.value for c in text["A"]]
    sheet = book["IIP tháng 11-2020"]
    assert sheet["A1"].value == "Chỉ số sản xuất công nghiệp tháng 11 năm 2020"
    assert "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "Đơn vị tính: %"
    assert [c.value for c in sheet[3]] == ["Ngành", "Chỉ số so với tháng trước", "Chỉ số so với cùng kỳ",
                                          "Tăng/giảm (%)", "Sản lượng", "Trạng thái"]
    for i, row in enumerate(ROWS):
        cells = sheet[4 + i]
        assert [c.value for c in cells[:5]] == row  # unrounded, exactly the input floats (0.1 + 0.2 too)
        assert cells[5].value == "ước tính"
    assert sheet["B4"].number_format == "#,##0.0"
    assert sheet["C4"].number_format == "#,##0.00"
    assert sheet["D4"].number_format == "+#,##0.0;-#,##0.0;0.0"
    assert sheet["E4"].number_format == "#,##0"
    assert sheet["B6"].value is None  # a missing figure is an empty cell
    assert sheet["A9"].value == "Số liệu tháng 11 là số ước tính."
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["A"].width > 20


def test_xlsx_en(outputs):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(outputs["en", BulletinFormat.XLSX]))
    assert book.sheetnames == ["Bulletin", "Index of industrial production,"]
    sheet = book.worksheets[1]
    assert sheet["A2"].value == "Unit: %" and sheet["F3"].value == "Status"
    assert sheet["D5"].value == -4.4


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_name("Bảng [1]: IIP/tháng*?", taken, "x") == "Bảng -1-- IIP-tháng--"
    long = "Chỉ số sản xuất công nghiệp theo ngành cấp 2"
    first = sheet_name(long, taken, "x")
    assert first == long[:31].rstrip() and len(first) <= 31
    second = sheet_name(long, taken, "x")
    assert second.endswith(" (2)") and len(second) <= 31
    assert sheet_name("BẢNG [1]: IIP/THÁNG*?", taken, "x") == "BẢNG -1-- IIP-THÁNG-- (2)"
    assert sheet_name("'''", taken, "Bảng 3") == "Bảng 3"
    assert sheet_name("History", taken, "Bảng 4") == "Bảng 4"


def test_xlsx_tables_without_statuses_or_sheet_names():
    import openpyxl

    bulletin = _bulletin()
    table = bulletin.sections[0].blocks[1]
    table.statuses, table.sheet_name, table.unit = [], "", ""
    bulletin.sections[1].blocks.append(Table("Chỉ số sản xuất công nghiệp tháng 11 năm 2020", ["Số"],
                                             [CellFormat.NUMBER2], [[1.005]]))
    book = openpyxl.load_workbook(io.BytesIO(write_bulletin(bulletin, "xlsx")))
    assert book.sheetnames == ["Bản tin", "Chỉ số sản xuất công nghiệp thá", "Chỉ số sản xuất công nghiệp (2)"]
    assert book.worksheets[1].max_column == 5 and book.worksheets[1]["A2"].value is None
    assert book.worksheets[2]["A4"].value == 1.005


def test_a_long_ranking_fits_the_page():
    """A chart of 35 industries is taller than its width allows on A4: scaled to the page, no blank page."""
    import docx
    from docx.shared import Cm

    names = [f"Ngành công nghiệp chế biến, chế tạo số {i} có tên rất dài để xuống dòng" for i in range(35)]
    bulletin = _bulletin()
    bulletin.sections[1].blocks.insert(0, Chart("Xếp hạng", "barh", names, [float(35 - i) for i in range(35)]))
    reader, _ = _pdf_text(write_bulletin(bulletin, "pdf"))
    assert all("Trang" in page.extract_text() for page in reader.pages)
    assert all(len(page.extract_text().split()) > 2 for page in reader.pages)  # more than the page number
    document = docx.Document(io.BytesIO(write_bulletin(bulletin, "docx")))
    assert max(shape.height for shape in document.inline_shapes) <= Cm(22)
