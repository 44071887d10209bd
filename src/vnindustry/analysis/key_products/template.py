"""The Excel template to fill in: a README in Vietnamese, the candidates × criteria sheet, the pairwise matrix.

Part of the key-products files (:mod:`~vnindustry.analysis.key_products.workbook`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vnindustry.files import atomic_write_bytes

from .criteria import CRITERIA, Criterion
from .layout import (
    BOLD,
    CODE_ROW,
    DATA_ROW,
    DIRECTION_VI,
    FIRST_CRITERION_COL,
    GREY,
    INPUT_FILL,
    LINK_COLUMNS,
    LINK_UNITS,
    MATRIX_COL,
    MATRIX_ROW,
    NAME_ROW,
    SHEET_CRITERIA,
    SHEET_PAIRWISE,
    SHEET_README,
    TEMPLATE_ROWS,
    UNIT_ROW,
    WEIGHT_CODE,
)

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
    ws.cell(CODE_ROW, 1, "product").font = GREY
    ws.cell(CODE_ROW, 2, "name").font = GREY
    ws.cell(NAME_ROW, 1, "Mã sản phẩm").font = BOLD
    ws.cell(NAME_ROW, 2, "Tên sản phẩm").font = BOLD
    ws.cell(UNIT_ROW, 2, "Đơn vị · hướng").font = Font(italic=True)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
    last = DATA_ROW + rows - 1
    for k, c in enumerate(criteria):
        col = FIRST_CRITERION_COL + k
        letter = get_column_letter(col)
        ws.cell(CODE_ROW, col, c.code).font = GREY
        head = ws.cell(NAME_ROW, col, c.name_vi)
        head.font = BOLD
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
            ws.cell(r, col).fill = INPUT_FILL
    for k, (code, name) in enumerate(LINK_COLUMNS.items()):
        col = FIRST_CRITERION_COL + len(criteria) + k
        ws.cell(CODE_ROW, col, code).font = GREY
        ws.cell(NAME_ROW, col, name).font = BOLD
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
    ws.cell(1, 1, "criterion").font = GREY
    ws.cell(2, 1, "Tiêu chí ở dòng so với tiêu chí ở cột (thang Saaty 1–9)").font = BOLD
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 36
    dv = DataValidation(type="decimal", operator="between", formula1="0.111111", formula2="9", allow_blank=True,
                        showErrorMessage=True, errorTitle="Ngoài thang Saaty",
                        error="Nhập 1–9, hoặc phân số =1/2 … =1/9")
    ws.add_data_validation(dv)
    for i, c in enumerate(criteria):
        r, col = MATRIX_ROW + i, MATRIX_COL + i
        ws.cell(1, col, c.code).font = GREY
        head = ws.cell(2, col, c.name_vi)
        head.font = BOLD
        head.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = 14
        ws.cell(r, 1, c.code).font = GREY
        ws.cell(r, 2, c.name_vi).font = BOLD
        for j in range(n):
            cell = ws.cell(r, MATRIX_COL + j)
            if i == j:
                cell.value = 1
            elif i < j:
                cell.fill = INPUT_FILL
                dv.add(cell.coordinate)
            else:  # lower triangle: the reciprocal of the mirror cell, computed by Excel
                mirror = f"{get_column_letter(MATRIX_COL + i)}{MATRIX_ROW + j}"
                cell.value = f'=IF(ISNUMBER({mirror}),1/{mirror},"")'
                cell.font = Font(color="808080")
            cell.number_format = "0.000"
    wcol = MATRIX_COL + n + 1
    ws.cell(1, wcol, WEIGHT_CODE).font = GREY
    ws.cell(2, wcol, "Trọng số trực tiếp (nếu không so sánh cặp)").font = BOLD
    ws.cell(2, wcol).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[get_column_letter(wcol)].width = 18
    wdv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                         showErrorMessage=True, error="Nhập một số ≥ 0")
    ws.add_data_validation(wdv)
    for i in range(n):
        cell = ws.cell(MATRIX_ROW + i, wcol)
        cell.fill = INPUT_FILL
        wdv.add(cell.coordinate)
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = ws.cell(MATRIX_ROW, MATRIX_COL)
