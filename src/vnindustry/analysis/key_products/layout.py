"""The layout of the key-products template, shared by writing it and reading it back: sheet names, the rows and
columns of the criteria sheet and the pairwise matrix, the optional link columns, the cell styles.

Part of the key-products files (:mod:`~vnindustry.analysis.key_products.workbook`).
"""

from __future__ import annotations

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

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

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
GREY = Font(color="808080", size=8)
BOLD = Font(bold=True)


def sheet_cell(sheet: str, row: int, col: int) -> str:
    return f"sheet '{sheet}', cell {get_column_letter(col)}{row}"
