"""The bulletin as a Word document (python-docx), laid out like a Vietnamese administrative document.

A4 with the margins of Decree 30/2020/NĐ-CP (left 30 mm, right 15 mm, top/bottom 20 mm), Times New
Roman 13 pt throughout, black headings, justified paragraphs, tables in "Table Grid" with a bold header
row repeated on every page and numbers right-aligned, charts as PNG with a caption, page numbers in the
footer. Times New Roman is named for every script slot (ASCII, high ANSI, East Asian, complex script)
and the theme fonts of the default template are removed, because Word otherwise picks a theme font
(Calibri/Cambria) or an East Asian fallback for runs it classifies differently, e.g. some diacritics.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.text.font import CT_RPr
    from docx.table import _Cell, _Row
    from docx.text.paragraph import Paragraph as DocxParagraph

from vnindustry.publish.document import Bulletin, Chart, Letterhead, Paragraph, Table
from vnindustry.publish.png_chart import png_chart, png_size
from vnindustry.publish.writers.cells import column_widths, format_cell, is_numeric
from vnindustry.publish.writers.common import (
    LANGUAGE_TAGS,
    SIGNATURE_SPACE,
    check_bulletin,
    footer_lines,
    head_rows,
    label,
    recipient_lines,
    status_header,
    unit_line,
    unsupported,
)

FORMAT = "docx"
FONT = "Times New Roman"
BODY_PT = 13  # the size of administrative documents (13–14 pt)
TABLE_PT = 11
NOTE_PT = 10
TEXT_WIDTH = Mm(165)  # A4 less the 30 mm and 15 mm margins
CHART_WIDTH = Cm(16)
MAX_CHART_HEIGHT = Cm(22)  # of the 25.7 cm text height, leaving room for the caption
BLACK = RGBColor(0, 0, 0)

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def _set_font(rpr: CT_RPr, name: str) -> None:
    """Name ``name`` for every script slot of a run-properties element and drop theme fonts (which win)."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in _FONT_ATTRS:
        rfonts.set(qn(attr), name)


def _set_language(rpr: CT_RPr, tag: str) -> None:
    """Proofing language of the text (Word's spell checker and hyphenation use it)."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _setup_styles(document: Document, lang: str) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_font(defaults, FONT)
    _set_language(defaults, LANGUAGE_TAGS[lang])
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_font(normal.element.get_or_add_rPr(), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 16), ("Subtitle", BODY_PT), ("Heading 1", 14), ("Heading 2", BODY_PT),
                       ("Caption", 11)):
        style = styles[name]
        _set_font(style.element.get_or_add_rPr(), FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = BLACK
    styles["Title"].font.bold = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The template's Title has a blue rule under it; official documents have none.
    pbdr = styles["Title"].element.pPr.find(qn("w:pBdr")) if styles["Title"].element.pPr is not None else None
    if pbdr is not None:
        pbdr.getparent().remove(pbdr)
    styles["Subtitle"].font.italic = True
    styles["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Caption"].font.bold = False
    styles["Caption"].font.italic = True
    styles["Heading 1"].paragraph_format.space_before = Pt(12)


def _setup_page(document: Document, lang: str, mark: str = "") -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if mark:  # synthetic figures: said on every page, not only on the first
        run = footer.add_run(mark)
        run.bold = True
        run.font.size = Pt(NOTE_PT)
        footer = section.footer.add_paragraph()
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{label('page', lang)} ")
    _add_page_field(footer)


def _no_borders(grid: object) -> None:
    """A layout table (letterhead, signature): no grid lines."""
    tblpr = grid._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tblpr.append(borders)


def _line(cell: _Cell, text: str, *, first: bool = False, bold: bool = False, italic: bool = False,
          underline: bool = False, size: float = BODY_PT, center: bool = True) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)


def _layout_table(document: Document, widths: tuple[float, float]) -> tuple[_Cell, _Cell]:
    grid = document.add_table(rows=1, cols=2)
    grid.autofit = False
    _no_borders(grid)
    for j, share in enumerate(widths):
        grid.columns[j].width = int(TEXT_WIDTH * share)
        grid.cell(0, j).width = grid.columns[j].width
    return grid.cell(0, 0), grid.cell(0, 1)


def _letterhead(document: Document, head: Letterhead) -> None:
    """Decree 30/2020 layout: agency and number left, national name, motto, place and date right."""
    left, right = _layout_table(document, (0.4, 0.6))
    (parent, country), (agency, motto), (number, place_date) = head_rows(head)
    _line(left, parent, first=True, size=12)
    _line(left, agency, bold=True, underline=True, size=12)
    _line(left, number, size=BODY_PT)
    _line(right, country, first=True, bold=True, size=12)
    _line(right, motto, bold=True, underline=True, size=BODY_PT)
    _line(right, place_date, italic=True, size=BODY_PT)
    kind = document.add_paragraph()
    kind.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kind.paragraph_format.space_before = Pt(18)
    kind.paragraph_format.space_after = Pt(0)
    run = kind.add_run(head.document_kind)
    run.bold = True
    run.font.size = Pt(14)


def _signature(document: Document, head: Letterhead) -> None:
    """Recipients at the left, the signer's title, room to sign and the name at the right."""
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    left, right = _layout_table(document, (0.5, 0.5))
    if head.recipients_label:
        _line(left, head.recipients_label, first=True, bold=True, italic=True, size=12, center=False)
        for item in recipient_lines(head):
            _line(left, item, size=11, center=False)
    for i, title in enumerate(head.signer_title):
        _line(right, title, first=i == 0, bold=True)
    for _ in range(SIGNATURE_SPACE):
        _line(right, "")
    _line(right, head.signer, bold=True)


def _add_page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field: Word fills in the page number when it lays the document out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row: _Row) -> None:
    """Mark a table row as a header row, repeated at the top of every page the table spans."""
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, right: bool = False,
               center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:  # an empty cell stays empty
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(TABLE_PT)


def _table(document: Document, table: Table, lang: str) -> None:
    title = document.add_paragraph(style="Caption")
    title.add_run(table.title).bold = True
    title.runs[0].italic = False
    title.paragraph_format.keep_with_next = True
    if table.unit:
        unit = document.add_paragraph()
        unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        unit.paragraph_format.space_after = Pt(2)
        unit.paragraph_format.keep_with_next = True
        run = unit.add_run(unit_line(table, lang))
        run.italic = True
        run.font.size = Pt(NOTE_PT)
    header = list(table.columns) + ([status_header(table, lang)] if table.statuses else [])
    numeric = [is_numeric(f) for f in table.formats] + ([False] if table.statuses else [])
    grid = document.add_table(rows=1 + len(table.rows), cols=len(header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Widths from the content (Word and LibreOffice otherwise split the text width evenly, squeezing
    # industry names into narrow columns); scaled to the text width.
    grid.autofit = False
    chars = column_widths(table, lang, status_header=header[-1] if table.statuses else "")
    widths = [int(TEXT_WIDTH * width / sum(chars)) for width in chars]
    # Word reads the cell widths, LibreOffice the table grid: set both.
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    # Row by row (python-docx's table.cell(i, j) and column.cells walk the whole table on every call).
    rows = list(grid.rows)
    for grid_row in rows:
        for cell, width in zip(grid_row.cells, widths, strict=True):
            cell.width = width
    _repeat_header(rows[0])
    for cell, text in zip(rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True, center=True)
    for i, (row, grid_row) in enumerate(zip(table.rows, rows[1:], strict=True)):
        texts = [format_cell(v, table.format_at(i, j), lang) for j, v in enumerate(row)]
        if table.statuses:
            texts.append(table.statuses[i])
        for j, (cell, text) in enumerate(zip(grid_row.cells, texts, strict=True)):
            _cell_text(cell, text, right=numeric[j])
    for note in table.notes:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(note)
        run.italic = True
        run.font.size = Pt(NOTE_PT)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _chart(document: Document, chart: Chart, lang: str) -> None:
    png = png_chart(chart, lang)
    width_px, height_px = png_size(png)
    if CHART_WIDTH * height_px / width_px <= MAX_CHART_HEIGHT:
        document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    else:  # a long ranking: fit the page's height (Word does not shrink an inline picture itself)
        document.add_picture(io.BytesIO(png), height=MAX_CHART_HEIGHT)
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    # Alternative text for screen readers (Word shows it under "Alt Text").
    document.inline_shapes[-1]._inline.docPr.set("descr", chart.alt or chart.title)
    caption = document.add_paragraph(chart.title, style="Caption")  # numbered by the composer
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def write(bulletin: Bulletin) -> bytes:
    """The bulletin as DOCX bytes."""
    check_bulletin(bulletin, FORMAT)
    lang = bulletin.lang
    document = docx.Document()
    _setup_styles(document, lang)
    _setup_page(document, lang, bulletin.mark)
    core = document.core_properties
    core.title = bulletin.title
    core.subject = bulletin.subtitle
    core.language = LANGUAGE_TAGS[lang]
    core.author = ""  # the template says "python-docx"
    core.last_modified_by = ""
    core.comments = ""  # the template says "generated by python-docx"
    core.keywords = bulletin.period
    core.created = core.modified = datetime.now(UTC).replace(microsecond=0)

    if bulletin.letterhead is not None:
        _letterhead(document, bulletin.letterhead)
    document.add_paragraph(bulletin.title, style="Title")
    if bulletin.subtitle:
        document.add_paragraph(bulletin.subtitle, style="Subtitle")
    if bulletin.mark:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.add_run(bulletin.mark).bold = True
    for section in bulletin.sections:
        document.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            elif isinstance(block, Table):
                _table(document, block, lang)
            elif isinstance(block, Chart):
                _chart(document, block, lang)
            else:
                raise unsupported(FORMAT, block, section)
    if bulletin.letterhead is not None:
        _signature(document, bulletin.letterhead)
    for line in footer_lines(bulletin):
        footer = document.add_paragraph()
        run = footer.add_run(line)
        run.italic = line != bulletin.mark
        run.bold = line == bulletin.mark
        run.font.size = Pt(NOTE_PT)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
