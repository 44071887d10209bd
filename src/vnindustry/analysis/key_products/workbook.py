"""Files: the Excel template to fill in, reading criteria and weights back (xlsx or CSV), writing results.

Every problem in a file is an :class:`~vnindustry.errors.InputError` naming the file, the sheet and cell
(or the CSV line and column) and what to do.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vnindustry.errors import InputError
from vnindustry.files import atomic_write_bytes, atomic_write_text
from vnindustry.sources.csvfile import decode_utf8, read_table

from .ahp import RI_SOURCES, Weights, ahp_weights, direct_weights, weights_from_ahp
from .criteria import BY_CODE, CRITERIA, Candidate, CriteriaTable, Criterion, check_value, criterion
from .ranking import CLASS_VI
from .scoring import KeyProductResult

SHEET_README = "Hướng dẫn"
SHEET_CRITERIA = "Tiêu chí"
SHEET_PAIRWISE = "So sánh cặp"
CODE_ROW, NAME_ROW, UNIT_ROW, DATA_ROW = 1, 2, 3, 4  # rows of the criteria sheet
FIRST_CRITERION_COL = 3  # A: product code, B: product name
MATRIX_ROW, MATRIX_COL = 3, 3  # top-left of the pairwise matrix (C3)
WEIGHT_CODE = "weight"
TEMPLATE_ROWS = 100
DIRECTION_VI = {"benefit": "càng cao càng tốt", "cost": "càng thấp càng tốt"}
# Optional link columns after the criteria (code in row 1 → Vietnamese header): they tie a candidate to the
# store, for 'vnindustry products score --fill-from-store'.
LINK_COLUMNS = {"vsic": "Mã VSIC", "hs": "Mã HS"}
LINK_UNITS = {"vsic": "mã ngành (tiền tố)", "hs": "mã HS, cách nhau bởi dấu phẩy"}
_HS_CODE = re.compile(r"^\d{2}(?:\d{2}){0,3}$")

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_GREY = Font(color="808080", size=8)
_BOLD = Font(bold=True)
_FRACTION = re.compile(r"^=?\s*(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+(?:[.,]\d+)?))?\s*$")

README_VI = [
    "MẪU CHẤM ĐIỂM SẢN PHẨM CÔNG NGHIỆP CHỦ LỰC VÀ TIỀM NĂNG",
    "",
    "1. Sheet 'Tiêu chí': mỗi dòng (từ dòng 4) là một sản phẩm ứng viên: mã sản phẩm (không trùng), tên, rồi "
    "giá trị của từng tiêu chí theo đơn vị ghi ở dòng 3. Không để trống ô nào; chỉ nhập số.",
    "   Dòng 1 là mã tiêu chí dùng cho máy đọc: không sửa. Có thể xóa cả cột một tiêu chí nếu không dùng "
    "(khi đó trọng số cũng phải bỏ tiêu chí đó).",
    "2. Sheet 'So sánh cặp': ở mỗi ô màu vàng (phía trên đường chéo), nhập mức độ quan trọng của tiêu chí ở "
    "DÒNG so với tiêu chí ở CỘT theo thang Saaty: 1 = quan trọng như nhau, 3 = quan trọng hơn một chút, "
    "5 = quan trọng hơn nhiều, 7 = quan trọng hơn rất nhiều, 9 = quan trọng hơn tuyệt đối (2, 4, 6, 8 là mức "
    "trung gian). Nếu tiêu chí ở CỘT quan trọng hơn, nhập phân số dạng công thức, ví dụ =1/3 (gõ 1/3 không có "
    "dấu = thì Excel hiểu là ngày tháng).",
    "   Phía dưới đường chéo là nghịch đảo, được tính tự động. Trọng số là vectơ riêng chính của ma trận "
    "(phương pháp AHP, Saaty 1980); tỷ số nhất quán CR phải ≤ 0,1, nếu không chương trình sẽ chỉ ra cặp so "
    "sánh mâu thuẫn nhất để xem lại.",
    "   Thay cho so sánh cặp, có thể nhập trực tiếp trọng số ở cột 'Trọng số trực tiếp' (để trống toàn bộ các "
    "ô màu vàng). Nếu để trống cả hai, chương trình dùng trọng số mặc định.",
    "3. Chấm điểm: vnindustry products score TEN_FILE.xlsx --out KET_QUA.xlsx (phương pháp TOPSIS, hoặc "
    "--method wsm cho tổng có trọng số). Kết quả gồm điểm, thứ hạng, nhóm (chủ lực / tiềm năng / khác), "
    "trọng số, CR và bảng độ nhạy (mỗi trọng số thay đổi ±20%).",
    "4. Hai cột cuối 'Mã VSIC' và 'Mã HS' (không bắt buộc) nối sản phẩm với cơ sở dữ liệu: mã ngành VSIC (ví dụ "
    "1020) cho giá trị sản xuất, tỷ trọng và tăng trưởng; các mã HS (ví dụ 61, 62) cho RCA. Với "
    "--db URL --fill-from-store, các ô tiêu chí để trống được điền từ cơ sở dữ liệu; ô đã nhập tay được giữ.",
    "",
    "Các tiêu chí:",
]


def _where(sheet: str, row: int, col: int) -> str:
    return f"sheet '{sheet}', cell {get_column_letter(col)}{row}"


# ---------------------------------------------------------------- template

def write_template(path: str | Path, criteria: Sequence[Criterion] = CRITERIA, rows: int = TEMPLATE_ROWS) -> Path:
    """Write the Excel template: README (Vietnamese), candidates × criteria, pairwise matrix."""
    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = SHEET_README
    for line in README_VI:
        readme.append([line])
    for c in criteria:
        readme.append([f"   – {c.name_vi} ({c.unit_vi}; {DIRECTION_VI[c.direction]}; mã {c.code})"])
    readme["A1"].font = Font(bold=True, size=13)
    readme.column_dimensions["A"].width = 160
    for row in readme.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet(SHEET_CRITERIA)
    _criteria_sheet(ws, criteria, rows)
    pw = wb.create_sheet(SHEET_PAIRWISE)
    _pairwise_sheet(pw, criteria)
    wb.active = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def _criteria_sheet(ws: Worksheet, criteria: Sequence[Criterion], rows: int) -> None:
    ws.cell(CODE_ROW, 1, "product").font = _GREY
    ws.cell(CODE_ROW, 2, "name").font = _GREY
    ws.cell(NAME_ROW, 1, "Mã sản phẩm").font = _BOLD
    ws.cell(NAME_ROW, 2, "Tên sản phẩm").font = _BOLD
    ws.cell(UNIT_ROW, 2, "Đơn vị · hướng").font = Font(italic=True)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
    last = DATA_ROW + rows - 1
    for k, c in enumerate(criteria):
        col = FIRST_CRITERION_COL + k
        letter = get_column_letter(col)
        ws.cell(CODE_ROW, col, c.code).font = _GREY
        head = ws.cell(NAME_ROW, col, c.name_vi)
        head.font = _BOLD
        head.alignment = Alignment(wrap_text=True, vertical="top")
        head.comment = Comment(f"{c.name_en} ({c.unit_en}, {c.direction})", "vnindustry")
        ws.cell(UNIT_ROW, col, f"{c.unit_vi} · {DIRECTION_VI[c.direction]}").font = Font(italic=True)
        ws.column_dimensions[letter].width = 18
        low = c.minimum if c.minimum is not None else -1e15
        high = c.maximum if c.maximum is not None else 1e15
        dv = DataValidation(type="decimal", operator="between", formula1=repr(float(low)),
                            formula2=repr(float(high)), allow_blank=True, showErrorMessage=True,
                            errorTitle="Giá trị không hợp lệ",
                            error=f"{c.name_vi}: nhập một số ({c.unit_vi})"
                                  + (f" từ {low:g} đến {high:g}" if c.minimum is not None and c.maximum is not None
                                     else ""))
        dv.add(f"{letter}{DATA_ROW}:{letter}{last}")
        ws.add_data_validation(dv)
        for r in range(DATA_ROW, last + 1):
            ws.cell(r, col).fill = _INPUT_FILL
    for k, (code, name) in enumerate(LINK_COLUMNS.items()):
        col = FIRST_CRITERION_COL + len(criteria) + k
        ws.cell(CODE_ROW, col, code).font = _GREY
        ws.cell(NAME_ROW, col, name).font = _BOLD
        ws.cell(UNIT_ROW, col, LINK_UNITS[code]).font = Font(italic=True)
        ws.column_dimensions[get_column_letter(col)].width = 16
        for r in range(DATA_ROW, last + 1):
            ws.cell(r, col).number_format = "@"  # HS 03 keeps its leading zero
    for r in range(DATA_ROW, last + 1):
        ws.cell(r, 1).number_format = "@"  # product codes such as 1010 stay text
    ws.row_dimensions[NAME_ROW].height = 45
    ws.freeze_panes = ws.cell(DATA_ROW, FIRST_CRITERION_COL)


def _pairwise_sheet(ws: Worksheet, criteria: Sequence[Criterion]) -> None:
    n = len(criteria)
    ws.cell(1, 1, "criterion").font = _GREY
    ws.cell(2, 1, "Tiêu chí ở dòng so với tiêu chí ở cột (thang Saaty 1–9)").font = _BOLD
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 36
    dv = DataValidation(type="decimal", operator="between", formula1="0.111111", formula2="9", allow_blank=True,
                        showErrorMessage=True, errorTitle="Ngoài thang Saaty",
                        error="Nhập 1–9, hoặc phân số =1/2 … =1/9")
    ws.add_data_validation(dv)
    for i, c in enumerate(criteria):
        r, col = MATRIX_ROW + i, MATRIX_COL + i
        ws.cell(1, col, c.code).font = _GREY
        head = ws.cell(2, col, c.name_vi)
        head.font = _BOLD
        head.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = 14
        ws.cell(r, 1, c.code).font = _GREY
        ws.cell(r, 2, c.name_vi).font = _BOLD
        for j in range(n):
            cell = ws.cell(r, MATRIX_COL + j)
            if i == j:
                cell.value = 1
            elif i < j:
                cell.fill = _INPUT_FILL
                dv.add(cell.coordinate)
            else:  # lower triangle: the reciprocal of the mirror cell, computed by Excel
                mirror = f"{get_column_letter(MATRIX_COL + i)}{MATRIX_ROW + j}"
                cell.value = f'=IF(ISNUMBER({mirror}),1/{mirror},"")'
                cell.font = Font(color="808080")
            cell.number_format = "0.000"
    wcol = MATRIX_COL + n + 1
    ws.cell(1, wcol, WEIGHT_CODE).font = _GREY
    ws.cell(2, wcol, "Trọng số trực tiếp (nếu không so sánh cặp)").font = _BOLD
    ws.cell(2, wcol).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[get_column_letter(wcol)].width = 18
    wdv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                         showErrorMessage=True, error="Nhập một số ≥ 0")
    ws.add_data_validation(wdv)
    for i in range(n):
        cell = ws.cell(MATRIX_ROW + i, wcol)
        cell.fill = _INPUT_FILL
        wdv.add(cell.coordinate)
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = ws.cell(MATRIX_ROW, MATRIX_COL)


# ---------------------------------------------------------------- reading cells

def parse_judgment(text: str) -> float | None:
    """A typed number or fraction: "3", "0,5", "1/3", "=1/3" → float; None if it is none of these."""
    m = _FRACTION.match(text.strip())
    if not m:
        return None
    num = float(m.group(1).replace(",", "."))
    den = float(m.group(2).replace(",", ".")) if m.group(2) else 1.0
    return num / den if den else None


def _number(value: Any, formula: Any, where: str, file: Path, fix: str) -> float | None:
    """The number in a cell (None if blank), from its value or a simple formula such as =1/3."""
    if isinstance(value, bool):
        raise InputError(f"{value} is not a number", file=file, location=where, fix=fix)
    if isinstance(value, int | float):
        return float(value)
    if value is None and isinstance(formula, str) and formula.startswith("="):
        # A file saved by openpyxl (not Excel) has formulas without computed values; evaluate a plain ratio.
        parsed = parse_judgment(formula)
        if parsed is None:
            raise InputError(f"the formula {formula} has no computed value", file=file, location=where,
                             fix="open and save the file in Excel, or type the number")
        return parsed
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        parsed = parse_judgment(value)
        if parsed is not None:
            return parsed
    raise InputError(f"'{value}' is not a number", file=file, location=where, fix=fix)


class _Sheet:
    """A sheet read twice: values (as Excel last computed them) and formulas."""

    def __init__(self, values: Worksheet, formulas: Worksheet, file: Path) -> None:
        self.values, self.formulas, self.file, self.name = values, formulas, file, values.title

    def raw(self, row: int, col: int) -> Any:
        return self.values.cell(row, col).value

    def text(self, row: int, col: int) -> str:
        value = self.raw(row, col)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    def number(self, row: int, col: int, fix: str, *, computed: bool = False) -> float | None:
        """The cell's number or None if blank; ``computed``: a formula Excel has not evaluated is None too."""
        formula = self.formulas.cell(row, col).value
        if computed and self.raw(row, col) is None and isinstance(formula, str) and formula.startswith("="):
            return None  # the template's reciprocal formula, in a file saved without computed values
        return _number(self.raw(row, col), formula, _where(self.name, row, col), self.file, fix)


def _open(path: Path) -> tuple[Any, Any]:
    if not path.is_file():
        raise InputError("file not found", file=path, fix=f"expected it at {path}")
    try:
        return load_workbook(path, data_only=True), load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(f"cannot read it as an Excel workbook ({type(exc).__name__})", file=path,
                         fix="save it as .xlsx (Excel Workbook)") from None


def _sheet(books: tuple[Any, Any], name: str, path: Path, required: bool = True) -> _Sheet | None:
    values, formulas = books
    if name not in values.sheetnames:
        if not required:
            return None
        raise InputError(f"no sheet '{name}' (found: {', '.join(values.sheetnames)})", file=path,
                         fix="use the layout of 'vnindustry products template'")
    return _Sheet(values[name], formulas[name], path)


# ---------------------------------------------------------------- criteria

def read_criteria(path: str | Path, *, allow_blank: bool = False) -> tuple[CriteriaTable, Weights | None]:
    """The candidates table, and the weights the file holds (xlsx pairwise/direct; None = defaults).

    ``allow_blank``: an empty criterion cell is left out of the candidate's values (to be filled from the
    store) instead of being an error.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _criteria_csv(path, allow_blank), None
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"unsupported file type '{path.suffix}'", file=path, fix="give a .xlsx or .csv file")
    books = _open(path)
    sheet = _sheet(books, SHEET_CRITERIA, path)
    assert sheet is not None
    table = _criteria_xlsx(sheet, allow_blank)
    pairwise = _sheet(books, SHEET_PAIRWISE, path, required=False)
    return table, (_weights_xlsx(pairwise) if pairwise is not None else None)


def _criterion_from_header(code: str, where: str, file: Path, name: str = "") -> str | None:
    if code in BY_CODE:
        return code
    if not code:
        for c in CRITERIA:  # no code (row 1 cleared): accept the Vietnamese or English name
            if name and name.casefold() in (c.name_vi.casefold(), c.name_en.casefold()):
                return c.code
    if not code and not name:
        return None
    raise InputError(f"unknown criterion '{code or name}'", file=file, location=where,
                     fix=f"use one of {', '.join(BY_CODE)} (the template's row 1)")


def _link_column(code: str, name: str) -> str | None:
    """``vsic`` or ``hs`` if a header (code row, or the name when the code is cleared) is a link column."""
    if code in LINK_COLUMNS:
        return code
    if not code and name:
        for key, label in LINK_COLUMNS.items():
            if name.casefold() == label.casefold():
                return key
    return None


def parse_hs(text: str, *, where: str, file: str | Path | None = None) -> tuple[str, ...]:
    """HS codes from "61, 62" (commas, semicolons or spaces); InputError naming ``where`` for a bad code."""
    codes = tuple(c for c in re.split(r"[,;\s]+", text.strip()) if c)
    for c in codes:
        if not _HS_CODE.match(c):
            raise InputError(f"'{c}' is not an HS code (2, 4, 6 or 8 digits, leading zeros kept)", file=file,
                             location=where, fix="write the codes as text, comma-separated, e.g. 03, 1604")
    return codes


def _criteria_xlsx(sheet: _Sheet, allow_blank: bool = False) -> CriteriaTable:
    ws = sheet.values
    codes: list[str] = []
    cols: list[int] = []
    links: dict[str, int] = {}
    for col in range(FIRST_CRITERION_COL, ws.max_column + 1):
        link = _link_column(sheet.text(CODE_ROW, col), sheet.text(NAME_ROW, col))
        if link is not None:
            if link in links:
                raise InputError(f"column {LINK_COLUMNS[link]} appears twice (also in column "
                                 f"{get_column_letter(links[link])})", file=sheet.file,
                                 location=_where(sheet.name, CODE_ROW, col), fix="keep one")
            links[link] = col
            continue
        code = _criterion_from_header(sheet.text(CODE_ROW, col), _where(sheet.name, CODE_ROW, col), sheet.file,
                                      sheet.text(NAME_ROW, col))
        if code is None:
            continue
        if code in codes:
            first = get_column_letter(cols[codes.index(code)])
            raise InputError(f"criterion {code} appears twice (also in column {first})", file=sheet.file,
                             location=_where(sheet.name, CODE_ROW, col), fix="keep one column per criterion")
        codes.append(code)
        cols.append(col)
    candidates: list[Candidate] = []
    seen: dict[str, str] = {}
    for row in range(DATA_ROW, ws.max_row + 1):
        product, name = sheet.text(row, 1), sheet.text(row, 2)
        filled = [col for col in [*cols, *links.values()]
                  if sheet.raw(row, col) is not None and sheet.text(row, col) != ""]
        if not product and not name and not filled:
            continue  # an unused template row
        if not product:
            raise InputError("a row with values has no product code", file=sheet.file,
                             location=_where(sheet.name, row, 1), fix="enter the product's code (or clear the row)")
        here = _where(sheet.name, row, 1)
        if product in seen:
            raise InputError(f"product '{product}' appears twice (also at {seen[product]})", file=sheet.file,
                             location=here, fix="keep one row per product")
        seen[product] = f"cell A{row}"
        values: dict[str, float] = {}
        origins: dict[str, str] = {}
        for code, col in zip(codes, cols, strict=True):
            c = criterion(code)
            where = _where(sheet.name, row, col)
            fix = f"enter a number in {c.unit_vi} (decimal point or comma, no text)"
            value = sheet.number(row, col, fix)
            if value is None and allow_blank:
                continue  # to be filled from the store
            if value is None:
                raise InputError(f"{c.label()} of product '{product}' is missing", file=sheet.file, location=where,
                                 fix=f"enter a number in {c.unit_vi}; every candidate needs every criterion (or give "
                                     "its Mã VSIC / Mã HS and score with --db URL --fill-from-store)")
            values[code] = check_value(code, value, where=where, file=str(sheet.file))
            origins[code] = where
        vsic = sheet.text(row, links["vsic"]) if "vsic" in links else ""
        hs = parse_hs(sheet.text(row, links["hs"]), where=_where(sheet.name, row, links["hs"]),
                      file=sheet.file) if "hs" in links else ()
        candidates.append(Candidate(product, name, values, origins, where=_where(sheet.name, row, 1), vsic=vsic,
                                    hs=hs))
    return CriteriaTable(tuple(codes), tuple(candidates), str(sheet.file), f"sheet '{sheet.name}', row {CODE_ROW}")


def _criteria_csv(path: Path, allow_blank: bool = False) -> CriteriaTable:
    rows = read_table(path, ["product", "name"])
    header = next(csv.reader(io.StringIO(decode_utf8(path))))
    links = {key: h.strip() for h in header if (key := _link_column(h.strip(), h.strip())) is not None}
    codes = []
    for h in (h.strip() for h in header):
        if h in ("product", "name") or h in links.values():
            continue
        code = _criterion_from_header("" if h not in BY_CODE else h, f"line 1, column '{h}'", path, h)
        if code is not None:
            codes.append(code)
    raw_of = {(_criterion_from_header("" if h.strip() not in BY_CODE else h.strip(), "", path, h.strip())
               or h.strip()): h.strip() for h in header
              if h.strip() not in ("product", "name", "", *links.values())}
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    for row in rows:
        product = row["product"]
        if not product:
            raise InputError("the product code is missing", file=path, line=row.line, column="product",
                             fix="enter the product's code")
        if product in seen:
            raise InputError(f"product '{product}' appears twice (also on line {seen[product]})", file=path,
                             line=row.line, column="product", fix="keep one line per product")
        seen[product] = row.line
        values: dict[str, float] = {}
        for code in codes:
            text = row[raw_of[code]]
            where = f"line {row.line}, column '{raw_of[code]}'"
            if text == "" and allow_blank:
                continue  # to be filled from the store
            if text == "":
                raise InputError(f"{criterion(code).label()} of product '{product}' is missing", file=path,
                                 location=where, fix="enter a number; every candidate needs every criterion (or give "
                                 "its vsic / hs codes and score with --db URL --fill-from-store)")
            try:
                value = float(text)
            except ValueError:
                hint = " (use a point as the decimal mark in CSV)" if "," in text else ""
                raise InputError(f"'{text}' is not a number{hint}", file=path, location=where,
                                 fix=f"enter a number in {criterion(code).unit_vi}") from None
            values[code] = check_value(code, value, where=where, file=str(path))
        hs = parse_hs(row[links["hs"]], where=f"line {row.line}, column '{links['hs']}'", file=path) \
            if "hs" in links else ()
        candidates.append(Candidate(product, row["name"], values, {c: f"line {row.line}" for c in values},
                                    where=f"line {row.line}", vsic=row[links["vsic"]] if "vsic" in links else "",
                                    hs=hs))
    return CriteriaTable(tuple(codes), tuple(candidates), str(path), "line 1 (the header)")


# ---------------------------------------------------------------- weights

def read_weights(path: str | Path) -> Weights:
    """Weights from a pairwise matrix or a direct-weight table (xlsx sheet 'So sánh cặp', or CSV).

    CSV: either ``criterion,weight`` lines (direct weights), or a square matrix whose header is
    ``criterion,<code>,<code>…`` and whose first column repeats the codes; the lower triangle may be empty.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _weights_csv(path)
    books = _open(path)
    sheet = _sheet(books, SHEET_PAIRWISE, path)
    assert sheet is not None
    weights = _weights_xlsx(sheet)
    if weights is None:
        raise InputError("neither pairwise comparisons nor direct weights are filled in", file=path,
                         location=f"sheet '{SHEET_PAIRWISE}'", fix="fill the yellow cells above the diagonal")
    return weights


def _weights_xlsx(sheet: _Sheet) -> Weights | None:
    codes: list[str] = []
    for k in range(sheet.values.max_column):
        col = MATRIX_COL + k
        text = sheet.text(1, col)
        if not text or text == WEIGHT_CODE:
            break
        code = _criterion_from_header(text, _where(sheet.name, 1, col), sheet.file)
        assert code is not None
        row_code = sheet.text(MATRIX_ROW + k, 1)
        if row_code != code:
            raise InputError(f"row {MATRIX_ROW + k} is '{row_code}' but column {get_column_letter(col)} is '{code}'",
                             file=sheet.file, location=_where(sheet.name, MATRIX_ROW + k, 1),
                             fix="list the criteria in the same order down column A and along row 1")
        codes.append(code)
    n = len(codes)
    if n == 0:
        raise InputError("no criteria in the pairwise matrix", file=sheet.file, location=_where(sheet.name, 1, 3),
                         fix="use the layout of 'vnindustry products template'")
    fix = "enter 1–9, or a fraction as =1/3"
    upper: dict[tuple[int, int], float | None] = {}
    for i in range(n):
        for j in range(i + 1, n):
            upper[(i, j)] = sheet.number(MATRIX_ROW + i, MATRIX_COL + j, fix)
    wcol = MATRIX_COL + n + 1
    has_weight_col = sheet.text(1, wcol) == WEIGHT_CODE
    direct = [sheet.number(MATRIX_ROW + i, wcol, "enter a weight ≥ 0") if has_weight_col else None for i in range(n)]
    filled = [k for k, v in upper.items() if v is not None]
    if filled and any(w is not None for w in direct):
        raise InputError("both pairwise comparisons and direct weights are filled in", file=sheet.file,
                         location=_where(sheet.name, MATRIX_ROW, wcol),
                         fix="keep one: clear the direct weights or the comparisons")
    if filled:
        blank = [k for k, v in upper.items() if v is None]
        if blank:
            i, j = blank[0]
            raise InputError(f"comparison {codes[i]} vs {codes[j]} is missing ({len(blank)} of {len(upper)} empty)",
                             file=sheet.file, location=_where(sheet.name, MATRIX_ROW + i, MATRIX_COL + j),
                             fix="fill every yellow cell above the diagonal (1 = equally important)")
        matrix = [[1.0] * n for _ in range(n)]
        for (i, j), v in upper.items():
            assert v is not None
            matrix[i][j] = v
            lower = sheet.number(MATRIX_ROW + j, MATRIX_COL + i, fix, computed=True)
            matrix[j][i] = lower if lower is not None else 1 / v  # check_pairwise refuses a wrong reciprocal
        for i in range(n):
            diag = sheet.number(MATRIX_ROW + i, MATRIX_COL + i, "enter 1")
            matrix[i][i] = 1.0 if diag is None else diag

        def cell(i: int, j: int) -> str:
            return _where(sheet.name, MATRIX_ROW + i, MATRIX_COL + j)

        return weights_from_ahp(ahp_weights(matrix, codes, cell=cell, file=str(sheet.file)))
    if any(w is not None for w in direct):
        blank_rows = [i for i, w in enumerate(direct) if w is None]
        if blank_rows:
            i = blank_rows[0]
            raise InputError(f"the direct weight of {codes[i]} is missing", file=sheet.file,
                             location=_where(sheet.name, MATRIX_ROW + i, wcol), fix="enter a weight (0 to drop it)")
        return direct_weights({c: float(w) for c, w in zip(codes, direct, strict=True)},  # type: ignore[arg-type]
                              where=_where(sheet.name, MATRIX_ROW, wcol), file=str(sheet.file))
    return None


def _weights_csv(path: Path) -> Weights:
    rows = list(csv.reader(io.StringIO(decode_utf8(path), newline="")))
    rows = [r for r in rows if any(f.strip() for f in r)]
    if not rows:
        raise InputError("the file is empty", file=path, line=1, fix="give criterion,weight lines or a matrix")
    header = [h.strip() for h in rows[0]]
    if header[:1] != ["criterion"]:
        raise InputError(f"the first column must be 'criterion', found '{header[0]}'", file=path, line=1,
                         fix="start the header with criterion,weight (direct) or criterion,<codes> (pairwise)")
    if header == ["criterion", "weight"]:
        values: dict[str, float] = {}
        for k, r in enumerate(rows[1:], start=2):
            code = _criterion_from_header(r[0].strip(), f"line {k}, column 'criterion'", path)
            text = r[1].strip() if len(r) > 1 else ""
            number = parse_judgment(text) if text else None
            if code is None or number is None:
                raise InputError(f"'{text}' is not a weight", file=path, location=f"line {k}, column 'weight'",
                                 fix="enter a number ≥ 0")
            values[code] = number
        return direct_weights(values, where="column 'weight'", file=str(path))
    codes = [_criterion_from_header(h, f"line 1, column '{h}'", path) or h for h in header[1:]]
    n = len(codes)

    def cell(i: int, j: int) -> str:
        return f"line {i + 2}, column '{codes[j]}'"

    if len(rows) - 1 != n:
        raise InputError(f"{len(rows) - 1} matrix rows for {n} criteria", file=path, line=len(rows),
                         fix="give one line per criterion, in the header's order")
    matrix = [[math.nan] * n for _ in range(n)]
    for i, r in enumerate(rows[1:]):
        if r[0].strip() != codes[i]:
            raise InputError(f"line {i + 2} is '{r[0].strip()}' but column {i + 2} is '{codes[i]}'", file=path,
                             location=f"line {i + 2}, column 'criterion'", fix="list the criteria in the same order")
        for j in range(n):
            text = r[j + 1].strip() if j + 1 < len(r) else ""
            value = parse_judgment(text) if text else None
            if text and value is None:
                raise InputError(f"'{text}' is not a judgment", file=path, location=cell(i, j),
                                 fix="enter 1–9 or a fraction such as 1/3")
            if value is None and i < j:
                raise InputError(f"comparison {codes[i]} vs {codes[j]} is missing", file=path, location=cell(i, j),
                                 fix="fill every cell above the diagonal")
            matrix[i][j] = 1.0 if (i == j and value is None) else (value if value is not None else math.nan)
    for i in range(n):
        for j in range(i):
            if math.isnan(matrix[i][j]):
                matrix[i][j] = 1 / matrix[j][i]
    return weights_from_ahp(ahp_weights(matrix, codes, cell=cell, file=str(path)))


# ---------------------------------------------------------------- results

def ranking_rows(result: KeyProductResult) -> list[dict[str, Any]]:
    """One dict per product, best first: rank, score, class, sensitivity range and the criteria values."""
    out = []
    for item, sens in zip(result.ranking, result.sensitivity, strict=True):
        row: dict[str, Any] = {"rank": item.rank, "product": item.product, "name": item.name, "score": item.score,
                               "class": item.klass, "class_vi": CLASS_VI[item.klass],
                               "rank_min": sens.min_rank, "rank_max": sens.max_rank,
                               "class_changes": sens.class_changes, "classes": "|".join(sens.classes)}
        row.update(item.values)
        out.append(row)
    return out


def weight_rows(result: KeyProductResult) -> list[dict[str, Any]]:
    """One dict per criterion: weight, direction, origin and (for AHP) λmax, CI, RI, CR."""
    ahp = result.ahp
    return [{"criterion": code, "name_vi": criterion(code).name_vi, "direction": direction, "weight": w,
             "origin": result.weights.origin,
             "lambda_max": ahp.lambda_max if ahp else None, "ci": ahp.ci if ahp else None,
             "ri": ahp.ri if ahp else None, "cr": ahp.cr if ahp else None, "ri_table": ahp.ri_table if ahp else None}
            for code, direction, w in zip(result.spec.criteria, result.spec.directions, result.weights.values,
                                          strict=True)]


def scenario_rows(result: KeyProductResult) -> list[dict[str, Any]]:
    """The long sensitivity table: one dict per (scenario, product)."""
    products = result.table_products  # scenarios list products in the input table's order
    out = []
    for sc in result.scenarios:
        j = result.spec.criteria.index(sc.criterion)
        for i, product in enumerate(products):
            out.append({"criterion": sc.criterion, "change": sc.change, "weight": sc.weights[j], "product": product,
                        "score": sc.scores[i], "rank": sc.ranks[i], "class": sc.classes[i]})
    return out


def _csv_text(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ("" if v is None else repr(v) if isinstance(v, float) else v) for k, v in r.items()})
    return buffer.getvalue()


def companion(path: Path, kind: str) -> Path:
    """``OUT.csv`` → ``OUT.weights.csv`` / ``OUT.sensitivity.csv``."""
    return path.with_name(f"{path.stem}.{kind}{path.suffix}")


def write_result(path: str | Path, result: KeyProductResult) -> list[Path]:
    """Write the result as xlsx (one workbook) or CSV (OUT.csv + OUT.weights.csv + OUT.sensitivity.csv).

    CSV values are unrounded (full float precision, a point as decimal mark); the workbook keeps numbers as
    numbers with display formats, which Excel shows with a decimal comma under a Vietnamese locale.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        written = [atomic_write_text(path, "\ufeff" + _csv_text(ranking_rows(result)))]
        written.append(atomic_write_text(companion(path, "weights"), "\ufeff" + _csv_text(weight_rows(result))))
        written.append(atomic_write_text(companion(path, "sensitivity"),
                                         "\ufeff" + _csv_text(scenario_rows(result))))
        return written
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"unsupported output type '{path.suffix}'", file=path, fix="use --out OUT.xlsx or OUT.csv")
    return [atomic_write_bytes(path, _result_xlsx(result))]


_HEAD_VI = {"rank": "Hạng", "product": "Mã sản phẩm", "name": "Tên sản phẩm", "score": "Điểm", "class": "Nhóm (mã)",
            "class_vi": "Nhóm", "rank_min": "Hạng tốt nhất (±20%)", "rank_max": "Hạng kém nhất (±20%)",
            "class_changes": "Đổi nhóm?", "classes": "Các nhóm (±20%)", "criterion": "Mã tiêu chí",
            "name_vi": "Tiêu chí", "direction": "Hướng", "weight": "Trọng số", "origin": "Nguồn trọng số",
            "lambda_max": "λmax", "ci": "CI", "ri": "RI", "cr": "CR", "ri_table": "Bảng RI",
            "change": "Thay đổi trọng số"}
_FORMATS = {"score": "0.0000", "weight": "0.0000", "lambda_max": "0.000", "ci": "0.000", "ri": "0.00##",
            "cr": "0.000", "change": "+0%;-0%"}


def _write_rows(ws: Worksheet, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    keys = list(rows[0])
    for k, key in enumerate(keys, start=1):
        label = _HEAD_VI.get(key) or (BY_CODE[key].name_vi if key in BY_CODE else key)
        cell = ws.cell(1, k, label)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(k)].width = 36 if key in ("name", "name_vi") else 14
    for r, row in enumerate(rows, start=2):
        for k, key in enumerate(keys, start=1):
            value = row[key]
            if isinstance(value, bool):
                value = "có" if value else "không"
            cell = ws.cell(r, k, value)
            if key in _FORMATS:
                cell.number_format = _FORMATS[key]
            elif isinstance(value, float):
                cell.number_format = "#,##0.00"
    ws.freeze_panes = "A2"


def _result_xlsx(result: KeyProductResult) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Xếp hạng"
    _write_rows(ws, ranking_rows(result))
    _write_rows(wb.create_sheet("Trọng số"), weight_rows(result))
    _write_rows(wb.create_sheet("Độ nhạy"), scenario_rows(result))
    spec = wb.create_sheet("Thông số")
    spec.cell(1, 1, "Phương pháp").font = _BOLD
    spec.cell(1, 2, f"{result.spec.method} (chuẩn hóa {result.spec.normalization})")
    ahp = result.ahp
    if ahp is not None:
        spec.cell(2, 1, "Nhất quán").font = _BOLD
        spec.cell(2, 2, f"CR = {ahp.cr:.3f}".replace(".", ",") + f" (RI theo {RI_SOURCES[ahp.ri_table]})")
    spec.cell(4, 1, "Thông số cố định (JSON) — dùng lại với --spec").font = _BOLD
    for k, line in enumerate(result.spec.to_json().splitlines(), start=5):
        spec.cell(k, 1, line)
    spec.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def result_data(result: KeyProductResult) -> dict[str, Any]:
    """The result as JSON-ready data (floats unrounded)."""
    ahp = result.ahp
    table = [{"product": r.product, "name": r.name, "score": r.score, "rank": r.rank, "class": r.klass,
              **{c: r.values[c] for c in result.spec.criteria}} for r in result.ranking]
    weights = [{"criterion": c, "name_vi": criterion(c).name_vi, "name_en": criterion(c).name_en, "direction": d,
                "weight": w}
               for c, d, w in zip(result.spec.criteria, result.spec.directions, result.weights.values, strict=True)]
    ranges = [{"product": s.product, "base_rank": s.base_rank, "min_rank": s.min_rank, "max_rank": s.max_rank,
               "base_class": s.base_class, "classes": "|".join(s.classes)} for s in result.sensitivity]
    return {
        "criteria": list(result.spec.criteria),
        "weights_origin": result.weights.origin,
        "table": table, "weights": weights,
        "ahp": None if ahp is None else {"lambda_max": ahp.lambda_max, "ci": ahp.ci, "ri": ahp.ri, "cr": ahp.cr,
                                         "ri_table": ahp.ri_table},
        "sensitivity": scenario_rows(result), "ranges": ranges,
    }
