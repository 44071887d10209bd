"""The bulletin as an Excel workbook (XlsxWriter): its text on a first sheet, then one sheet per table.

Each table sheet has the official layout: the title in row 1 (merged across the table), the unit in
row 2 ("Đơn vị tính: %"), the header in row 3, then the data, with a status column when the table has
statuses and the notes underneath. Numbers are stored as numbers, unrounded, with a number format
giving the published decimals, so readers can compute with full precision while seeing the published
figures (Excel applies the reader's own decimal separator). Missing figures are empty cells.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from vnindustry.publish.document import Bulletin, CellFormat, Chart, Paragraph, Section, Table, Withheld
from vnindustry.publish.writers.cells import column_widths, excel_number_format, is_missing, is_numeric, number_value
from vnindustry.publish.writers.common import (
    check_bulletin,
    footer_lines,
    head_rows,
    iter_blocks,
    label,
    recipient_lines,
    status_header,
    unit_line,
    unsupported,
)

FORMAT = "xlsx"
MAX_SHEET_NAME = 31
HEADER_ROW = 2  # 0-based: title (0), unit (1), header (2), data from 3
TEXT_WIDTH = 100  # characters, the text sheet's single column
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class _ExactWorksheet(Worksheet):
    """A worksheet that stores every float exactly.

    XlsxWriter writes numbers as ``{:.16G}``, 16 significant digits, which changes the last bit of many
    doubles (0.1 + 0.2 is stored as 0.3). ``repr`` is the shortest text that reads back as the same
    double (at most 17 digits), which is what Excel itself writes.
    """

    def _xml_number_element(self, number: float, attributes: Sequence[tuple[str, object]] = ()) -> None:
        attrs = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
        self.fh.write(f"<c{attrs}><v>{float(number)!r}</v></c>")


def sheet_name(wanted: str, taken: set[str], fallback: str) -> str:
    """A valid, unique sheet name from ``wanted``: ≤ 31 characters, none of []:*?/\\, no edge apostrophe.

    ``taken`` holds the casefolded names already used (Excel compares names ignoring case) and is
    updated. A clash gets " (2)", " (3)" … within the 31 characters.
    """
    name = " ".join(_FORBIDDEN.sub("-", wanted).split()).strip("'")
    if not name or name.casefold() == "history":  # "History" is reserved by Excel
        name = fallback
    name = name[:MAX_SHEET_NAME].rstrip()
    base, k = name, 2
    while name.casefold() in taken:
        suffix = f" ({k})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        k += 1
    taken.add(name.casefold())
    return name


class _Formats:
    """The workbook's cell formats, made once each (XlsxWriter formats belong to a workbook)."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._cache: dict[tuple[object, ...], Format] = {}
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"})
        self.subtitle = add({"italic": True, "text_wrap": True, "valign": "top"})
        self.heading = add({"bold": True, "font_size": 12})
        self.paragraph = add({"text_wrap": True, "valign": "top"})
        self.italic = add({"italic": True})
        self.link = add({"font_color": "blue", "underline": 1})
        self.unit = add({"italic": True, "align": "right"})
        self.header = add({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1,
                           "bg_color": "#E8EDF4"})
        self.note = add({"italic": True, "font_size": 9})
        self.head = add({"align": "center", "valign": "top", "text_wrap": True})
        self.head_bold = add({"bold": True, "align": "center", "valign": "top", "text_wrap": True})
        self.head_under = add({"bold": True, "underline": 1, "align": "center", "valign": "top", "text_wrap": True})
        self.head_italic = add({"italic": True, "align": "center", "valign": "top", "text_wrap": True})
        self.kind = add({"bold": True, "font_size": 14, "align": "center"})
        self.centre_title = add({"bold": True, "font_size": 13, "align": "center", "text_wrap": True,
                                 "valign": "top"})
        self.mark = add({"bold": True, "font_color": "#9B1C1C", "align": "center"})

    def cell(self, fmt: CellFormat | None) -> Format:
        """Bordered data cell: a number format for numeric columns, wrapped text otherwise (None = status)."""
        key = ("cell", fmt)
        if key not in self._cache:
            props: dict[str, object] = {"border": 1, "valign": "top"}
            if fmt is not None and is_numeric(fmt):
                props["num_format"] = excel_number_format(fmt)
            else:
                props["text_wrap"] = True
            self._cache[key] = self.workbook.add_format(props)
        return self._cache[key]


def _lines(text: str, width: float) -> int:
    """Rough number of wrapped lines of ``text`` in a column ``width`` characters wide."""
    return sum(max(1, math.ceil(len(part) / max(width, 1.0))) for part in text.split("\n"))


def _table_sheet(sheet: Worksheet, table: Table, lang: str, formats: _Formats) -> None:
    header = list(table.columns) + ([status_header(table, lang)] if table.statuses else [])
    ncols = len(header)
    widths = column_widths(table, lang, status_header=header[-1] if table.statuses else "")
    for j, width in enumerate(widths):
        sheet.set_column(j, j, width)
    total_width = sum(widths)

    def across(row: int, text: str, fmt: Format) -> None:
        # XlsxWriter refuses to merge a single cell.
        if ncols > 1:
            sheet.merge_range(row, 0, row, ncols - 1, text, fmt)
        else:
            sheet.write_string(row, 0, text, fmt)

    across(0, table.title, formats.title)
    sheet.set_row(0, 18 * _lines(table.title, total_width * 0.9))
    across(1, unit_line(table, lang), formats.unit)
    sheet.write_row(HEADER_ROW, 0, header, formats.header)
    header_lines = max(_lines(h, w) for h, w in zip(header, widths, strict=True))
    sheet.set_row(HEADER_ROW, 15 * header_lines + 3)

    for i, values in enumerate(table.rows):
        r = HEADER_ROW + 1 + i
        for j, value in enumerate(values):
            fmt = table.format_at(i, j)
            cell_format = formats.cell(CellFormat(fmt))
            if is_missing(value):
                sheet.write_blank(r, j, None, cell_format)  # empty, but bordered like its row
            elif isinstance(value, Withheld):
                sheet.write_string(r, j, value.symbol, cell_format)  # confidential: the symbol, no number
            elif is_numeric(fmt):
                sheet.write_number(r, j, number_value(value, fmt), cell_format)  # unrounded
            else:
                sheet.write_string(r, j, str(value), cell_format)
        if table.statuses:
            sheet.write_string(r, ncols - 1, table.statuses[i], formats.cell(None))

    r = HEADER_ROW + 1 + len(table.rows) + 1
    for note in table.notes:
        sheet.write_string(r, 0, note, formats.note)
        r += 1

    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_paper(9)  # A4
    if ncols > 6:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _text_sheet(sheet: Worksheet, bulletin: Bulletin, table_sheets: dict[int, str], formats: _Formats) -> None:
    """The text in two columns: the letterhead and signature block side by side as Decree 30/2020 lays
    them out; everything else merged across both."""
    lang = bulletin.lang
    half = TEXT_WIDTH / 2
    sheet.set_column(0, 1, half)
    r = 0

    def across(text: str, fmt: Format, height: float | None = None) -> None:
        nonlocal r
        sheet.merge_range(r, 0, r, 1, text, fmt)
        if height is not None:
            sheet.set_row(r, height)
        r += 1

    head = bulletin.letterhead
    if head is not None:
        styles = [(formats.head, formats.head_bold), (formats.head_under, formats.head_under),
                  (formats.head, formats.head_italic)]
        for (left, right), (left_fmt, right_fmt) in zip(head_rows(head), styles, strict=True):
            sheet.write_string(r, 0, left, left_fmt)
            sheet.write_string(r, 1, right, right_fmt)
            r += 1
        r += 1
        across(head.document_kind, formats.kind)
    across(bulletin.title, formats.centre_title if head is not None else formats.title,
           18 * _lines(bulletin.title, TEXT_WIDTH * 0.85))
    if bulletin.subtitle:
        across(bulletin.subtitle, formats.subtitle)
    if bulletin.mark:
        across(bulletin.mark, formats.mark)
    for section in bulletin.sections:
        r += 1
        sheet.write_string(r, 0, section.heading, formats.heading)
        r += 1
        for block in section.blocks:
            if isinstance(block, Paragraph):
                # Explicit heights: not every spreadsheet program grows a row for wrapped text on opening.
                across(block.text, formats.paragraph, 15 * _lines(block.text, TEXT_WIDTH * 0.95) + 2)
                continue
            if isinstance(block, Table):
                name = table_sheets[id(block)]
                target = "'" + name.replace("'", "''") + "'"
                text = f"{label('table', lang)}: {block.title} ({label('see_sheet', lang)} “{name}”)"
                sheet.write_url(r, 0, f"internal:{target}!A1", formats.link, string=text)
            elif isinstance(block, Chart):
                sheet.write_string(r, 0, block.title, formats.italic)  # "Biểu đồ 1: …", drawn in the PDF/DOCX
            else:
                raise unsupported(FORMAT, block, section)
            r += 1
    if head is not None:
        r += 1
        left = ([head.recipients_label] if head.recipients_label else []) + recipient_lines(head)
        right = [*head.signer_title, *[""] * 3, head.signer]
        for i in range(max(len(left), len(right))):
            if i < len(left):
                sheet.write_string(r, 0, left[i], formats.head_bold if i == 0 and head.recipients_label
                                   else formats.paragraph)
            if i < len(right) and right[i]:
                sheet.write_string(r, 1, right[i], formats.head_bold)
            r += 1
    r += 1
    for line in footer_lines(bulletin):
        sheet.write_string(r, 0, line, formats.mark if line == bulletin.mark else formats.note)
        r += 1
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def write(bulletin: Bulletin) -> bytes:
    """The bulletin as XLSX bytes."""
    check_bulletin(bulletin, FORMAT)
    lang = bulletin.lang
    buf = io.BytesIO()
    workbook = xlsxwriter.Workbook(buf, {"in_memory": True})
    workbook.set_properties({"title": bulletin.title, "subject": bulletin.subtitle, "keywords": bulletin.period,
                             "comments": " ".join(footer_lines(bulletin))})
    formats = _Formats(workbook)
    taken: set[str] = set()
    text_name = sheet_name(label("text_sheet", lang), taken, label("text_sheet", lang))
    text_sheet = workbook.add_worksheet(text_name, worksheet_class=_ExactWorksheet)
    tables: list[tuple[Section, Table, str]] = []
    for section, block in iter_blocks(bulletin):
        if isinstance(block, Table):
            fallback = f"{label('table', lang)} {len(tables) + 1}"
            tables.append((section, block, sheet_name(block.sheet_name or block.title, taken, fallback)))
    _text_sheet(text_sheet, bulletin, {id(t): name for _, t, name in tables}, formats)
    for _, table, name in tables:
        _table_sheet(workbook.add_worksheet(name, worksheet_class=_ExactWorksheet), table, lang, formats)
    if bulletin.mark:  # synthetic figures: the mark in the printed footer of every sheet
        for sheet in workbook.worksheets():
            sheet.set_footer("&C&\"-,Bold\"" + bulletin.mark.replace("&", "&&"))
    workbook.close()
    return buf.getvalue()
