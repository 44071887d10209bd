"""The bulletin as PDF (fpdf2), with its own embedded font so every Vietnamese letter renders anywhere.

The fonts are DejaVu Sans regular and bold, shipped in ``publish/fonts/`` with their licence; the PDF
never depends on the fonts of the machine that writes or opens it. fpdf2 embeds a subset with a
ToUnicode map, so the text can also be searched and extracted with its diacritics.
"""

from __future__ import annotations

import unicodedata
from contextlib import ExitStack
from importlib.resources import as_file, files
from typing import TYPE_CHECKING

from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from vnindustry.publish.document import Bulletin, Chart, Letterhead, Paragraph, Table
from vnindustry.publish.png_chart import chart_image
from vnindustry.publish.writers.cells import format_cell, is_numeric
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

if TYPE_CHECKING:
    from PIL.Image import Image

FORMAT = "pdf"
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
BODY_PT = 10.5
TABLE_PT = 9
NOTE_PT = 8.5
CELL_PAD = (0.6, 1.2)  # mm: top/bottom, left/right
LINE_MM = 5.5
HEADER_FILL = (232, 237, 244)
CAPTION_MM = 10  # a chart's caption and the space around it


def _nfc(text: str) -> str:
    # Without a text shaper fpdf2 places a combining accent as a glyph of its own, without the font's
    # mark positioning (Vietnamese stacks two marks, as in "ế"), so decomposed input is composed into the
    # precomposed letters DejaVu Sans has for all of Vietnamese.
    return unicodedata.normalize("NFC", text)


class _BulletinPDF(FPDF):
    """A4 portrait with "Trang N" / "Page N" centred in the footer, under the synthetic-data mark if any."""

    def __init__(self, page_label: str, mark: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_label = page_label
        self.mark = mark

    def footer(self) -> None:
        if self.mark:
            self.set_y(-16)
            self.set_font(FAMILY, "B", 8)
            self.cell(0, 4, _nfc(self.mark), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 6, f"{self.page_label} {self.page_no()}", align="C")


def _column(pdf: FPDF, x: float, y: float, width: float, lines: list[tuple[str, str, float]]) -> float:
    """Centred lines (text, style, size) in a column starting at (x, y); returns the y under them."""
    pdf.set_xy(x, y)
    for text, style, size in lines:
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, size * 0.5, _nfc(text), align="C", new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def _letterhead(pdf: FPDF, head: Letterhead) -> None:
    """Decree 30/2020 layout: agency and number left, national name, motto, place and date right."""
    (parent, country), (agency, motto), (number, place_date) = head_rows(head)
    y, left_w = pdf.get_y(), pdf.epw * 0.4
    bottom_left = _column(pdf, pdf.l_margin, y, left_w, [(parent, "", 9.5), (agency, "BU", 9.5), ("", "", 3),
                                                          (number, "", 9.5)])
    bottom_right = _column(pdf, pdf.l_margin + left_w, y, pdf.epw - left_w,
                           [(country, "B", 9.5), (motto, "BU", 10), ("", "", 3), (place_date, "", 9.5)])
    pdf.set_xy(pdf.l_margin, max(bottom_left, bottom_right) + 6)
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, _nfc(head.document_kind), align="C", new_x="LMARGIN", new_y="NEXT")


def _signature(pdf: FPDF, head: Letterhead) -> None:
    """Recipients at the left, the signer's title, room to sign and the name at the right."""
    need = 5 * (len(head.signer_title) + SIGNATURE_SPACE + 2)
    if pdf.get_y() + need > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4)
    y, half = pdf.get_y(), pdf.epw / 2
    left = [(head.recipients_label, "B", 9)] if head.recipients_label else []
    left += [(item, "", 8.5) for item in recipient_lines(head)]
    pdf.set_xy(pdf.l_margin, y)
    for text, style, size in left:
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(half, size * 0.5, _nfc(text), align="L", new_x="LEFT", new_y="NEXT")
    bottom_left = pdf.get_y()
    right = [(t, "B", BODY_PT) for t in head.signer_title] + [("", "", BODY_PT)] * SIGNATURE_SPACE
    right.append((head.signer, "B", BODY_PT))
    bottom = _column(pdf, pdf.l_margin + half, y, half, right)
    pdf.set_xy(pdf.l_margin, max(bottom_left, bottom) + 2)


def _heading(pdf: FPDF, text: str, size: float, need: float) -> None:
    """A section heading, moved to a new page unless ``need`` mm of what follows fit under it."""
    if pdf.get_y() + size + need > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(0, size * 0.5, _nfc(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _paragraph(pdf: FPDF, text: str, size: float = BODY_PT, align: str = "J", style: str = "") -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, size * LINE_MM / BODY_PT, _nfc(text), align=align, new_x="LMARGIN", new_y="NEXT")


def _col_widths(pdf: FPDF, header: list[str], body: list[list[str]], numeric: list[bool]) -> list[float]:
    """Column widths (mm) that fit the page: no word broken if possible, spare room to the text columns.

    Each column needs at least its longest word (header words in bold) and would like its longest cell
    on one line and its header on two, up to a cap, so long industry names leave the numbers some room.
    """
    pad = 2 * CELL_PAD[1] + 0.5
    least, wanted = [], []
    for j, head in enumerate(header):
        pdf.set_font(FAMILY, "B", TABLE_PT)
        head_words = max((pdf.get_string_width(w) for w in head.split()), default=0.0)
        head_full = pdf.get_string_width(head)
        pdf.set_font(FAMILY, "", TABLE_PT)
        column = [row[j] for row in body]
        cell_words = max((pdf.get_string_width(w) for text in column for w in text.split()), default=0.0)
        cell_full = max((pdf.get_string_width(text) for text in column), default=0.0)
        least.append(max(head_words, cell_words) + pad)
        wanted.append(max(least[-1], min(max(cell_full, head_full / 2) + pad, 28.0 if numeric[j] else 70.0)))
    room = pdf.epw
    if sum(wanted) <= room:
        # Spare room widens the text columns; a table of numbers only keeps its natural width.
        grow = [i for i, num in enumerate(numeric) if not num]
        extra = (room - sum(wanted)) / len(grow) if grow else 0.0
        return [w + (extra if i in grow else 0.0) for i, w in enumerate(wanted)]
    if sum(least) <= room:
        slack = [w - m for w, m in zip(wanted, least, strict=True)]
        share = (room - sum(least)) / sum(slack)
        return [m + s * share for m, s in zip(least, slack, strict=True)]
    return [m * room / sum(least) for m in least]  # too wide even word by word: squeeze evenly


def _table(pdf: FPDF, table: Table, lang: str) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 35:
        pdf.add_page()
    _paragraph(pdf, table.title, BODY_PT, align="L", style="B")
    if table.unit:
        _paragraph(pdf, unit_line(table, lang), NOTE_PT, align="R")
    header = [_nfc(h) for h in table.columns] + ([_nfc(status_header(table, lang))] if table.statuses else [])
    numeric = [is_numeric(f) for f in table.formats] + ([False] if table.statuses else [])
    body = []
    for i, values in enumerate(table.rows):
        # "" for a missing figure: an empty cell.
        texts = [_nfc(format_cell(v, table.format_at(i, j), lang)) for j, v in enumerate(values)]
        body.append([*texts, _nfc(table.statuses[i])] if table.statuses else texts)
    widths = _col_widths(pdf, header, body, numeric)
    pdf.set_font(FAMILY, "", TABLE_PT)
    with pdf.table(
        col_widths=widths,
        text_align=tuple("RIGHT" if num else "LEFT" for num in numeric),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        cell_fill_mode=TableCellFillMode.NONE,
        line_height=4.6,
        width=min(sum(widths), pdf.epw),  # the sum can exceed epw by a rounding error
        v_align="MIDDLE",
        align="LEFT",  # fpdf2 centres on the page, not between our unequal margins
        padding=CELL_PAD,
    ) as grid:
        head = grid.row()
        for text in header:
            head.cell(text, align="CENTER")
        for texts in body:
            row = grid.row()
            for text in texts:
                row.cell(text)
    pdf.ln(1)
    for note in table.notes:
        _paragraph(pdf, note, NOTE_PT, align="L")
    pdf.ln(3)


def _chart_box(pdf: FPDF, image: Image) -> tuple[float, float]:
    """(width, height) in mm: the text width, or less for a chart taller than a page's text area."""
    width_px, height_px = image.size
    width = pdf.epw
    height = width * height_px / width_px
    room = pdf.page_break_trigger - pdf.t_margin - CAPTION_MM
    if height > room:
        width, height = width * room / height, room
    return width, height


def _chart(pdf: FPDF, chart: Chart, image: Image, lang: str) -> None:
    width, height = _chart_box(pdf, image)
    # The chart and its caption move to a new page together when they do not fit (unless the page is
    # still empty: a second page break would leave a blank page).
    if pdf.get_y() + 2 + height + CAPTION_MM > pdf.page_break_trigger and pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()
    pdf.ln(2)
    pdf.image(image, x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height,
              alt_text=_nfc(chart.alt or chart.title))
    pdf.ln(1)
    _paragraph(pdf, chart.title, 9, align="C")  # numbered by the composer ("Biểu đồ 1: …")
    pdf.ln(3)


def _space_needed(pdf: FPDF, block: object, images: dict[int, Image]) -> float:
    """Room (mm) the start of ``block`` needs to stay with the heading above it."""
    if isinstance(block, Chart):
        return _chart_box(pdf, images[id(block)])[1] + CAPTION_MM + 2
    return 30.0 if isinstance(block, Table) else 15.0


def write(bulletin: Bulletin) -> bytes:
    """The bulletin as PDF bytes (A4, embedded DejaVu Sans)."""
    check_bulletin(bulletin, FORMAT)
    lang = bulletin.lang
    pdf = _BulletinPDF(label("page", lang), bulletin.mark)
    pdf.set_margins(left=25, top=20, right=20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(_nfc(bulletin.title))
    if bulletin.subtitle:
        pdf.set_subject(_nfc(bulletin.subtitle))
    pdf.set_lang(LANGUAGE_TAGS[lang])
    pdf.set_creator("vnindustry")
    with ExitStack() as stack:
        # as_file gives a real path even if the package is installed zipped.
        for style, name in FONT_FILES.items():
            path = stack.enter_context(as_file(files("vnindustry.publish") / "fonts" / name))
            pdf.add_font(FAMILY, style, str(path))
        pdf.add_page()
        if bulletin.letterhead is not None:
            _letterhead(pdf, bulletin.letterhead)
        pdf.set_font(FAMILY, "B", 13 if bulletin.letterhead is not None else 15)
        pdf.multi_cell(0, 7, _nfc(bulletin.title), align="C", new_x="LMARGIN", new_y="NEXT")
        if bulletin.subtitle:
            pdf.ln(1)
            _paragraph(pdf, bulletin.subtitle, BODY_PT, align="C")
        if bulletin.mark:
            pdf.ln(1)
            _paragraph(pdf, bulletin.mark, BODY_PT, align="C", style="B")
        pdf.ln(4)
        images = {id(chart): chart_image(chart, lang) for chart in bulletin.charts()}
        for section in bulletin.sections:
            _heading(pdf, section.heading, 12.5, _space_needed(pdf, section.blocks[0], images) if section.blocks else 0)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    _paragraph(pdf, block.text)
                    pdf.ln(2)
                elif isinstance(block, Table):
                    _table(pdf, block, lang)
                elif isinstance(block, Chart):
                    _chart(pdf, block, images[id(block)], lang)
                else:
                    raise unsupported(FORMAT, block, section)
        if bulletin.letterhead is not None:
            _signature(pdf, bulletin.letterhead)
        lines = footer_lines(bulletin)
        if lines:
            pdf.ln(4)
        for line in lines:
            _paragraph(pdf, line, NOTE_PT, align="L", style="B" if line == bulletin.mark else "")
        return bytes(pdf.output())
