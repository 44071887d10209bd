"""The monthly report as an Excel workbook (issue 6): a template made for one enterprise and month, read back.

:func:`template` writes an XLSX (XlsxWriter) in Vietnamese: the sheet ``Báo cáo`` has a title with the
enterprise's name and the month ("Tháng MM/YYYY"), then one row per product of the monthly form
(:func:`~vnindustry.portal.reports.report_form`): code, name, unit, last month's and the same month last
year's figures (grey, locked), the quantity box (unlocked; data validation: a number ≥ 0) and the comment box
(unlocked). A month that already has a report is pre-filled with its values. The sheet is protected without a
password, so only the boxes can be typed in. A hidden, protected sheet (``_vnindustry``) holds the metadata:
the template version, the enterprise's code and the month.

:func:`read_upload` reads such a workbook back (openpyxl) into ``(enterprise, period, lines)``:

- not an XLSX (an old .xls, a CSV, anything else), an unreadable or oversized archive, or a workbook that is
  not one of our templates (no metadata sheet, another version) → :class:`TemplateError` saying what to do;
- an empty quantity box: the product is not reported (its line is left out); ``0`` means "produced nothing";
- a quantity must be a number (a formula's cached value is accepted; a formula never calculated is not);
  text made only of digits ("12") is read as the number, any other text ("1,5 tấn", "1.234": the comma and
  the dot are ambiguous) is refused, as are dates, TRUE/FALSE, negative and non-finite numbers;
- a comment without a quantity is refused (the comment would be lost); so is anything typed on a row without a
  product code or right of the table (no row or cell is ignored silently);
- a quantity above the plausibility ceiling (setting ``max_quantity``) is refused;
- every problem names its cell, e.g. ``Báo cáo!F7: '1,5 tấn' is not a number — type the number only``;
  all the workbook's problems are raised together (:attr:`TemplateError.problems`).

Reading is bounded in time and memory whatever the file (issue 12: a sheet inflating to 49 MB took a minute and
2.6 GB per upload). Before anything is parsed, the zip directory is checked: the sum of the members' uncompressed
sizes against ``upload_max_unzipped_bytes`` (Python's zipfile never inflates a member past its declared size, so
the declared sizes bind), each large member's compression ratio against :data:`MAX_RATIO`, and each sheet's
declared dimension against ``upload_max_cells``. The sheet is then streamed row by row (openpyxl's read-only
parser, only the rows present in the file — a row number of a billion costs nothing) and refused, naming the cap,
as soon as it holds more than ``upload_max_rows`` rows or ``upload_max_cells`` cells below the header, whatever
its declared dimension says.

Each line keeps the cells it came from (``cells``: ``{"product", "quantity", "comment"}`` → ``"Báo cáo!F7"``),
which :func:`~vnindustry.portal.reports.submit_report` ignores and :func:`locate` uses to name the cell of a
problem the service found (an unusual value to confirm, an unknown product …).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import xlsxwriter
from openpyxl.utils import get_column_letter

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.periods import month_code, parse_month
from vnindustry.portal.reports import MAX_COMMENT, report_form

TEMPLATE_VERSION = "vnindustry-report-template-1"
SHEET = "Báo cáo"
META_SHEET = "_vnindustry"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MAX_ENTRIES = 200
# A zip member that inflates more than this many times its compressed size is a bomb, not a spreadsheet: real
# sheets compress 5–30×; ~1M identical tiny cells compress ~250× (issue 12's 49 MB sheet). Only members above
# _RATIO_FLOOR bytes are judged (tiny files have meaningless ratios).
MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024
# The caps on the upload itself are settings (upload_max_unzipped_bytes, upload_max_cells, upload_max_rows).

# Layout of the report sheet (0-based for XlsxWriter; the letters are Excel's).
HEADER_ROW = 4  # Excel row 5
FIRST_ROW = HEADER_ROW + 1  # Excel row 6: the first product
COLUMNS = ("product", "name", "unit", "last_month", "last_year", "quantity", "comment")
COL = {name: i for i, name in enumerate(COLUMNS)}
LETTER = {name: "ABCDEFG"[i] for name, i in COL.items()}
WIDTHS = {"product": 14, "name": 42, "unit": 12, "last_month": 16, "last_year": 18, "quantity": 18,
          "comment": 48}

_NUMBER_FORMAT = "#,##0.###"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF and CR are text
_DIGITS = re.compile(r"^\s*\d{1,15}\s*$")
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)

Problem = dict[str, Any]


class TemplateError(InputError):
    """The upload is refused: ``problems`` lists each one (``cell`` — ``"Báo cáo!F7"`` or None for the workbook
    —, ``product``, ``field``, ``message``, ``fix``, ``code``). ``str()`` names the cells."""

    def __init__(self, problems: Sequence[Problem], *, file: str | None = None) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            p = self.problems[0]
            super().__init__(p["message"], file=file, location=p["cell"], fix=p["fix"])
        else:
            text = "; ".join(f"{p['cell'] or 'workbook'}: {p['message']}" for p in self.problems)
            super().__init__(f"{len(self.problems)} problems: {text}", file=file,
                             fix="correct each cell named and upload the file again")


def _problem(cell: str | None, product: str | None, field: str, message: str, fix: str, code: str,
             **params: object) -> Problem:
    """One problem; ``params`` (the kind of refusal and the values it names) let a page say it in its language
    (:mod:`vnindustry.portal.messages`)."""
    return {"cell": cell, "product": product, "field": field, "message": message, "fix": fix, "code": code,
            "params": params}


def file_name(enterprise: str, period: str) -> str:
    """The template's file name: ``bao-cao-E1-2020-06.xlsx``."""
    safe = re.sub(r"[^A-Za-z0-9_.\-]", "-", enterprise)
    return f"bao-cao-{safe}-{period}.xlsx"


def _vn_month(period: str) -> str:
    year, month = period.split("-")
    return f"{month}/{year}"


# -- writing --------------------------------------------------------------------------------------------------

def template(engine: Any, enterprise: str, period: str) -> bytes:
    """The XLSX template of ``enterprise``'s report for ``period`` (``YYYY-MM``; other month forms accepted).

    Raises :class:`~vnindustry.portal.reports.UnknownEnterprise` (not in the register) or
    :class:`~vnindustry.portal.reports.ReportRejected` (not a month), like :func:`report_form`.
    """
    form = report_form(engine, enterprise, period)
    month = _vn_month(form.period)
    key = parse_month(form.period)
    assert key is not None
    prev, year_ago = _vn_month(month_code(key - 1)), _vn_month(month_code(key - 12))

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": f"Báo cáo sản xuất công nghiệp tháng {month} — {form.name}",
                             "subject": f"{form.enterprise} {form.period}", "author": "vnindustry",
                             "comments": TEMPLATE_VERSION})
    add = workbook.add_format
    title = add({"bold": True, "font_size": 14})
    subtitle = add({"bold": True, "font_size": 11})
    note = add({"italic": True, "text_wrap": True, "valign": "top", "font_color": "#444444"})
    header = add({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1,
                  "bg_color": "#DCE6F1", "locked": True})
    grey_text = add({"bg_color": "#EDEDED", "border": 1, "locked": True, "valign": "top", "text_wrap": True})
    grey_number = add({"bg_color": "#EDEDED", "border": 1, "locked": True, "num_format": _NUMBER_FORMAT,
                       "valign": "top"})
    box_number = add({"border": 1, "locked": False, "num_format": _NUMBER_FORMAT, "bg_color": "#FFFFE0",
                      "valign": "top"})
    box_text = add({"border": 1, "locked": False, "text_wrap": True, "bg_color": "#FFFFE0", "valign": "top"})

    ws = workbook.add_worksheet(SHEET)
    last_col = len(COLUMNS) - 1
    ws.merge_range(0, 0, 0, last_col, f"BÁO CÁO SẢN XUẤT CÔNG NGHIỆP — Tháng {month}", title)
    ws.merge_range(1, 0, 1, last_col, f"Doanh nghiệp: {form.name} (mã {form.enterprise})", subtitle)
    ws.merge_range(2, 0, 2, last_col,
                   "Nhập sản lượng tháng này vào ô màu vàng, chỉ nhập số theo đơn vị tính (không kèm chữ). "
                   "Để trống nếu chưa báo cáo sản phẩm; nhập 0 nếu không sản xuất. Giá trị khác thường "
                   "(gấp 10 lần trở lên hoặc chỉ bằng 1/10 trở xuống so với các tháng trước) cần ghi chú lý do "
                   "và xác nhận khi gửi.", note)
    ws.set_row(2, 48)
    labels = {"product": "Mã sản phẩm", "name": "Tên sản phẩm", "unit": "Đơn vị tính",
              "last_month": f"Tháng trước ({prev})", "last_year": f"Cùng tháng năm trước ({year_ago})",
              "quantity": f"Sản lượng tháng {month}", "comment": "Ghi chú"}
    for name, col in COL.items():
        ws.write(HEADER_ROW, col, labels[name], header)
        ws.set_column(col, col, WIDTHS[name])
    ws.set_row(HEADER_ROW, 32)

    row = FIRST_ROW
    for line in form.lines:
        ws.write_string(row, COL["product"], line.product, grey_text)
        ws.write_string(row, COL["name"], line.name or "", grey_text)
        ws.write_string(row, COL["unit"], line.unit or "", grey_text)
        for name, value in (("last_month", line.last_month.quantity), ("last_year", line.last_year.quantity)):
            if value is None:
                ws.write_blank(row, COL[name], None, grey_number)
            else:
                ws.write_number(row, COL[name], value, grey_number)
        if line.current is None:
            ws.write_blank(row, COL["quantity"], None, box_number)
        else:
            ws.write_number(row, COL["quantity"], line.current, box_number)
        if line.comment:
            ws.write_string(row, COL["comment"], line.comment, box_text)
        else:
            ws.write_blank(row, COL["comment"], None, box_text)
        row += 1
    if form.lines:
        last = row - 1
        ws.data_validation(FIRST_ROW, COL["quantity"], last, COL["quantity"], {
            "validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True,
            "input_title": "Sản lượng", "input_message": "Chỉ nhập số ≥ 0 theo đơn vị tính; để trống nếu chưa "
                                                         "báo cáo.",
            "error_title": "Không phải số hợp lệ", "error_type": "stop",
            "error_message": "Sản lượng phải là một số ≥ 0 (không kèm đơn vị hay chữ)."})
        ws.data_validation(FIRST_ROW, COL["comment"], last, COL["comment"], {
            "validate": "length", "criteria": "<=", "value": MAX_COMMENT, "ignore_blank": True,
            "error_title": "Ghi chú quá dài", "error_message": f"Ghi chú tối đa {MAX_COMMENT} ký tự."})
        ws.activate()
        ws.set_selection(FIRST_ROW, COL["quantity"], FIRST_ROW, COL["quantity"])
    else:
        ws.merge_range(row, 0, row, last_col, "Doanh nghiệp chưa có sản phẩm nào trong danh mục; vui lòng liên "
                                              "hệ cơ quan thống kê.", note)
    ws.freeze_panes(FIRST_ROW, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                    "format_rows": True})

    meta = workbook.add_worksheet(META_SHEET)
    for r, (k, v) in enumerate((("template", TEMPLATE_VERSION), ("enterprise", form.enterprise),
                                ("period", form.period), ("sheet", SHEET), ("first_row", FIRST_ROW + 1),
                                ("products", len(form.lines)))):
        meta.write_string(r, 0, k)
        if isinstance(v, int):
            meta.write_number(r, 1, v)
        else:
            meta.write_string(r, 1, v)
    meta.protect()
    meta.very_hidden()
    workbook.close()
    return buffer.getvalue()


# -- reading --------------------------------------------------------------------------------------------------

def _not_ours(file: str, message: str, kind: str, **params: object) -> TemplateError:
    return TemplateError([_problem(None, None, "file", message,
                                   "download the Excel template of your enterprise for the month "
                                   "(…/reports/template.xlsx?period=YYYY-MM), fill in the yellow boxes and upload "
                                   "that file", "not_a_template", kind=kind, **params)], file=file)


def _too_big(filename: str, message: str, fix: str, kind: str, **params: object) -> TemplateError:
    return TemplateError([_problem(None, None, "file", message, fix, "upload_too_large", kind=kind, **params)],
                         file=filename)


def _check_archive(data: bytes, filename: str) -> None:
    """Refuse, before parsing, a file that is not a zip or that would inflate past the caps (zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_ours(filename, "the file is damaged: it is not a readable .xlsx workbook", "damaged") from None
    if len(infos) > MAX_ENTRIES:
        raise _not_ours(filename, f"the workbook holds {len(infos):,} files, more than a report template's "
                                  f"{MAX_ENTRIES}", "too_many_files", n=len(infos), max=MAX_ENTRIES)
    cap = int(settings.get("upload_max_unzipped_bytes"))
    total = sum(i.file_size for i in infos)
    if total > cap:
        raise _too_big(filename, f"the workbook unpacks to {total:,} bytes, more than the {cap:,} an upload may "
                                 f"(setting upload_max_unzipped_bytes)",
                       "upload the report template with only the yellow boxes filled in; a monthly report is a "
                       "few kilobytes", "unzipped", total=total, cap=cap)
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _too_big(filename, f"{info.filename} inflates {info.file_size // max(info.compress_size, 1):,}× "
                                     f"(more than {MAX_RATIO}×): a compressed bomb, not a report",
                           "upload the report template as Excel saved it", "ratio", name=info.filename,
                           ratio=info.file_size // max(info.compress_size, 1), max=MAX_RATIO)


def _open(data: bytes, filename: str) -> Any:
    """The workbook, read-only (sheets are streamed later), after the checks that need no parsing."""
    import openpyxl  # imported here: the web app need not load it before the first upload

    if not data:
        raise _not_ours(filename, "the file is empty", "empty")
    if data.startswith(_OLE_MAGIC):
        raise _not_ours(filename, "this is an old Excel 97-2003 workbook (.xls), not the .xlsx template", "xls")
    if not data.startswith(_XLSX_MAGIC):
        raise _not_ours(filename, "this is not an Excel workbook (.xlsx)", "not_xlsx")
    _check_archive(data, filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # read_only: the workbook's parts (strings, styles, sheet list) are read now, each sheet only when
            # streamed; data_only: cells give the formulas' cached values (the streaming parser below also
            # notes whether a cell has a formula, to tell an uncalculated one from an empty box).
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises KeyError, ValueError, XML errors … on a damaged or foreign file
        raise _not_ours(filename, "the file could not be read as an .xlsx workbook", "unreadable") from None
    cap = int(settings.get("upload_max_cells"))
    for ws in workbook.worksheets:
        rows, cols = ws.max_row, ws.max_column  # the declared dimension (<dimension ref="A1:G7"/>), if any
        if rows and cols and (rows - ws.min_row + 1) * (cols - ws.min_column + 1) > cap:
            declared = (rows - ws.min_row + 1) * (cols - ws.min_column + 1)
            workbook.close()
            raise _too_big(filename, f"sheet '{ws.title}' declares {declared:,} cells, more than the {cap:,} an "
                                     f"upload may (setting upload_max_cells)",
                           "upload the report template with only the yellow boxes filled in", "declared_cells",
                           sheet=ws.title, n=declared, cap=cap)
    return workbook


def _parser_class() -> type:
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's streaming sheet parser, each cell also saying whether it holds a formula."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            f = element.find(FORMULA_TAG)
            cell["formula"] = None if f is None else "=" + (f.text or "")
            return cell

    return _Parser


def _stream(workbook: Any, ws: Any) -> Iterator[tuple[int, dict[int, tuple[Any, str | None]]]]:
    """``(row number, {column: (value, formula)})`` for each row present in the sheet's XML, in order.

    openpyxl's own read-only iteration fills the gaps between rows with empty ones and trusts the declared
    dimension (a row past it is silently dropped); its parser yields only the rows the file holds, so a lying
    dimension cannot hide a row and a huge row number cannot make us iterate."""
    parser_class = _parser_class()
    with ws._get_source() as source:  # read-only worksheets stream their XML from the archive
        parser = parser_class(source, ws._shared_strings, data_only=True, epoch=workbook.epoch,
                              date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for r, cells in parser.parse():
            yield r, {c["column"]: (c["value"], c["formula"]) for c in cells}


def _meta(workbook: Any, filename: str) -> tuple[str, str, str, int]:
    if META_SHEET not in workbook.sheetnames:
        raise _not_ours(filename, "this workbook is not a vnindustry report template (its hidden metadata sheet is "
                                  "missing)", "no_metadata")
    values: dict[str, Any] = {}
    for r, cells in _stream(workbook, workbook[META_SHEET]):
        if r > 20:
            break
        key = cells.get(1, (None, None))[0]
        if isinstance(key, str):
            values[key] = cells.get(2, (None, None))[0]
    version = values.get("template")
    if version != TEMPLATE_VERSION:
        raise _not_ours(filename, f"this workbook is not a current vnindustry report template (version "
                                  f"{version!r}, expected {TEMPLATE_VERSION!r})", "old_version", version=str(version))
    enterprise, period, sheet, first = (values.get(k) for k in ("enterprise", "period", "sheet", "first_row"))
    key = parse_month(period) if isinstance(period, str) else None
    if not isinstance(enterprise, str) or not enterprise.strip() or key is None or sheet not in workbook.sheetnames \
            or isinstance(first, bool) or not isinstance(first, int | float) or not 1 <= first <= 100:
        raise _not_ours(filename, "the template's metadata is damaged (enterprise, month or layout unreadable)",
                        "bad_metadata")
    return enterprise.strip(), month_code(key), sheet, int(first)


def _number(value: Any, formula: Any, where: str, product: str | None) -> tuple[float | None, Problem | None]:
    """A quantity box's value: (number, None), (None, None) for an empty box, or (None, problem)."""
    fix = "type the number only, in the product's unit (0 for no output; leave the box empty if not reported)"

    def bad(message: str, kind: str, code: str = "invalid_quantity", **params: object) -> tuple[None, Problem]:
        return None, _problem(where, product, "quantity", message, fix, code, kind=kind, **params)

    if value is None:
        if isinstance(formula, str) and formula.startswith("="):
            return None, _problem(where, product, "quantity", f"the formula {formula} has no calculated value",
                                  "open the file in Excel or LibreOffice, let it calculate, save it and upload it "
                                  "again — or type the number", "uncalculated_formula", formula=formula)
        return None, None
    if isinstance(value, bool):
        return bad(f"{'TRUE' if value else 'FALSE'} is not a number", "boolean", value="TRUE" if value else "FALSE")
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return bad(f"{value!s} is a date or time, not a number (Excel may have turned the figure into a date)", "date",
                   value=str(value))
    if isinstance(value, str):
        if not value.strip():
            return None, None
        if _DIGITS.match(value):
            return float(int(value)), None
        if value.strip().startswith("#"):
            return bad(f"the cell shows the error {value.strip()}", "cell_error", value=value.strip()[:20])
        shown = value if len(value) <= 40 else value[:37] + "…"
        return bad(f"{shown!r} is not a number", "not_a_number", value=shown)
    if isinstance(value, int | float):
        q = float(value)
        if not math.isfinite(q):
            return bad(f"{value!r} is not a finite number", "not_finite", value=repr(value))
        if q < 0:
            return bad(f"{value:g} is negative", "negative", value=q)
        ceiling = settings.get("max_quantity")
        if q > ceiling:  # a plausibility ceiling: 1.7e308 overflowed the month's index (issue 12)
            return bad(f"{value:g} is above the plausibility ceiling of {ceiling:g} for one product and month "
                       f"(setting max_quantity)", "implausible", "implausible_quantity", value=q, ceiling=ceiling)
        return q + 0.0, None
    return bad(f"{value!r} is not a number", "not_a_number", value=repr(value)[:40])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_upload(data: bytes, filename: str = "upload.xlsx") -> tuple[str, str, list[dict[str, Any]]]:
    """Read a filled template: ``(enterprise, period, lines)``, ``lines`` as
    :func:`~vnindustry.portal.reports.submit_report` takes them (``product``, ``quantity``, ``comment``) plus
    ``cells`` (where each came from). Raises :class:`TemplateError` naming the cells (module docstring), or the
    cap a file exceeds."""
    workbook = _open(data, filename)
    try:
        enterprise, period, sheet, first = _meta(workbook, filename)
        lines, problems = _read_rows(workbook, sheet, first, filename)
    finally:
        workbook.close()
    if problems:
        raise TemplateError(problems, file=filename)
    if not lines:
        raise TemplateError([_problem(f"{sheet}!{LETTER['quantity']}{first}", None, "quantity",
                                      "no quantity is filled in", "type at least one product's quantity (0 for a "
                                      "product not produced)", "empty_report", kind="workbook")], file=filename)
    return enterprise, period, lines


def _read_rows(workbook: Any, sheet: str, first: int, filename: str
               ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The lines and problems of the report sheet's rows from ``first`` on, streamed, within the caps."""
    max_rows, max_cells = int(settings.get("upload_max_rows")), int(settings.get("upload_max_cells"))
    lines: list[dict[str, Any]] = []
    problems: list[Problem] = []
    rows = cells_seen = 0
    width = len(COLUMNS)
    for r, row in _stream(workbook, workbook[sheet]):
        row = {c: vf for c, vf in row.items() if vf[0] is not None or vf[1] is not None}
        if r < first or not row:
            continue  # the title and header rows; rows the file holds but left empty
        rows += 1
        cells_seen += len(row)
        if rows > max_rows or cells_seen > max_cells:
            what = (f"more than {max_rows:,} rows (setting upload_max_rows)" if rows > max_rows
                    else f"more than {max_cells:,} cells (setting upload_max_cells)")
            raise _too_big(filename, f"sheet '{sheet}' holds {what} below its header; the rest was not read",
                           "upload the report template with one row per product, as downloaded",
                           "rows" if rows > max_rows else "cells", sheet=sheet,
                           max=max_rows if rows > max_rows else max_cells)
        for c in sorted(c for c in row if c > width):
            shown = _text(row[c][0]) or row[c][1] or ""
            shown = shown if len(shown) <= 40 else shown[:37] + "…"
            problems.append(_problem(f"{sheet}!{get_column_letter(c)}{r}", None, "cell",
                                     f"{shown!r} is outside the table and would not be read",
                                     f"move it into the comment box ({sheet}!{LETTER['comment']}{r}) or delete it",
                                     "outside_table", value=shown, target=f"{sheet}!{LETTER['comment']}{r}"))
        cells = {name: f"{sheet}!{LETTER[name]}{r}" for name in ("product", "quantity", "comment")}
        code = _text(row.get(COL["product"] + 1, (None, None))[0])
        raw_q, formula = row.get(COL["quantity"] + 1, (None, None))
        comment = _text(row.get(COL["comment"] + 1, (None, None))[0])
        bad_text = next(((name, m) for name, text in (("product", code), ("comment", comment))
                         if (m := _CONTROL.search(text))), None)
        if bad_text is not None:  # the same rule as the web app's (web/textcheck.py): a control character is refused
            name, m = bad_text
            problems.append(_problem(cells[name], code or None, name, f"the control character U+{ord(m.group()):04X} "
                                     f"at position {m.start() + 1}", "delete it (tabs and line breaks are fine in a "
                                     "comment)", "control_character", codepoint=f"{ord(m.group()):04X}",
                                     position=m.start() + 1))
            continue
        if not code:
            if (raw_q is not None and _text(raw_q)) or formula or comment:
                problems.append(_problem(cells["product"], None, "product", "a figure or comment on a row without a "
                                         "product code", "type figures only on the rows of the template's products",
                                         "missing_product"))
            continue
        quantity, problem = _number(raw_q, formula, cells["quantity"], code)
        if problem is not None:
            problems.append(problem)
            continue
        if quantity is None:
            if comment:
                problems.append(_problem(cells["comment"], code, "comment", "a comment without a quantity",
                                         f"type the quantity in {cells['quantity']}, or delete the comment",
                                         "comment_without_quantity", target=cells["quantity"]))
            continue
        lines.append({"product": code, "quantity": quantity, "comment": comment, "cells": cells})
    return lines, problems


def locate(problems: Sequence[Mapping[str, Any]], lines: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The problems of :class:`~vnindustry.portal.reports.ReportRejected` for ``lines`` (from :func:`read_upload`)
    with each line number mapped back to its cell: ``cell`` added and the message prefixed with it."""
    out = []
    for p in problems:
        q = dict(p)
        line = p.get("line")
        cell = None
        if isinstance(line, int) and 1 <= line <= len(lines):
            cells = lines[line - 1].get("cells") or {}
            cell = cells.get(p.get("field")) or cells.get("quantity")
        q["cell"] = cell
        if cell:
            q["message"] = f"{cell}: {p.get('message')}"
        out.append(q)
    return out


__all__ = ["MEDIA_TYPE", "TEMPLATE_VERSION", "TemplateError", "file_name", "locate", "read_upload", "template"]
