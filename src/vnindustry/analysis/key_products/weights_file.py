"""Reading weights back: a pairwise matrix or direct weights (xlsx sheet 'So sánh cặp', or CSV).

Part of the key-products files (:mod:`~vnindustry.analysis.key_products.workbook`).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from openpyxl.utils import get_column_letter

from vnindustry.errors import InputError
from vnindustry.sources.csvfile import decode_utf8

from .ahp import Weights, ahp_weights, direct_weights, weights_from_ahp
from .cells import Sheet, criterion_from_header, find_sheet, open_books, parse_judgment
from .layout import MATRIX_COL, MATRIX_ROW, SHEET_PAIRWISE, WEIGHT_CODE, sheet_cell

# ---------------------------------------------------------------- weights

def read_weights(path: str | Path) -> Weights:
    """Weights from a pairwise matrix or a direct-weight table (xlsx sheet 'So sánh cặp', or CSV).

    CSV: either ``criterion,weight`` lines (direct weights), or a square matrix whose header is
    ``criterion,<code>,<code>…`` and whose first column repeats the codes; the lower triangle may be empty.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _weights_csv(path)
    books = open_books(path)
    sheet = find_sheet(books, SHEET_PAIRWISE, path)
    assert sheet is not None
    weights = weights_xlsx(sheet)
    if weights is None:
        raise InputError("neither pairwise comparisons nor direct weights are filled in", file=path,
                         location=f"sheet '{SHEET_PAIRWISE}'", fix="fill the yellow cells above the diagonal")
    return weights


def weights_xlsx(sheet: Sheet) -> Weights | None:
    codes: list[str] = []
    for k in range(sheet.values.max_column):
        col = MATRIX_COL + k
        text = sheet.text(1, col)
        if not text or text == WEIGHT_CODE:
            break
        code = criterion_from_header(text, sheet_cell(sheet.name, 1, col), sheet.file)
        assert code is not None
        row_code = sheet.text(MATRIX_ROW + k, 1)
        if row_code != code:
            raise InputError(f"row {MATRIX_ROW + k} is '{row_code}' but column {get_column_letter(col)} is '{code}'",
                             file=sheet.file, location=sheet_cell(sheet.name, MATRIX_ROW + k, 1),
                             fix="list the criteria in the same order down column A and along row 1")
        codes.append(code)
    n = len(codes)
    if n == 0:
        raise InputError("no criteria in the pairwise matrix", file=sheet.file, location=sheet_cell(sheet.name, 1, 3),
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
                         location=sheet_cell(sheet.name, MATRIX_ROW, wcol),
                         fix="keep one: clear the direct weights or the comparisons")
    if filled:
        blank = [k for k, v in upper.items() if v is None]
        if blank:
            i, j = blank[0]
            raise InputError(f"comparison {codes[i]} vs {codes[j]} is missing ({len(blank)} of {len(upper)} empty)",
                             file=sheet.file, location=sheet_cell(sheet.name, MATRIX_ROW + i, MATRIX_COL + j),
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
            return sheet_cell(sheet.name, MATRIX_ROW + i, MATRIX_COL + j)

        return weights_from_ahp(ahp_weights(matrix, codes, cell=cell, file=str(sheet.file)))
    if any(w is not None for w in direct):
        blank_rows = [i for i, w in enumerate(direct) if w is None]
        if blank_rows:
            i = blank_rows[0]
            raise InputError(f"the direct weight of {codes[i]} is missing", file=sheet.file,
                             location=sheet_cell(sheet.name, MATRIX_ROW + i, wcol), fix="enter a weight (0 to drop it)")
        return direct_weights({c: float(w) for c, w in zip(codes, direct, strict=True)},  # type: ignore[arg-type]
                              where=sheet_cell(sheet.name, MATRIX_ROW, wcol), file=str(sheet.file))
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
            code = criterion_from_header(r[0].strip(), f"line {k}, column 'criterion'", path)
            text = r[1].strip() if len(r) > 1 else ""
            number = parse_judgment(text) if text else None
            if code is None or number is None:
                raise InputError(f"'{text}' is not a weight", file=path, location=f"line {k}, column 'weight'",
                                 fix="enter a number ≥ 0")
            values[code] = number
        return direct_weights(values, where="column 'weight'", file=str(path))
    codes = [criterion_from_header(h, f"line 1, column '{h}'", path) or h for h in header[1:]]
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
