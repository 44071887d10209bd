"""Issue 16: the agendas PDF draws its tables cell by cell (linkage/events.py ``_table``) instead of fpdf2's
``table()``, which measured every cell with a trial ``multi_cell`` (the demo event's 186 pages: 1.8 → 0.7 s). The
text of every page must be what ``table()`` printed; a table longer than a page repeats its header; a text wider
than its column is wrapped, nothing cut."""

from __future__ import annotations

import re
from importlib.resources import as_file, files

from fpdf import FPDF
from pypdf import PdfReader

from vnindustry.linkage.events import _table


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, 15)
    for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        with as_file(files("vnindustry.publish") / "fonts" / name) as path:
            pdf.add_font("DejaVu", style, str(path))
    pdf.add_page()
    return pdf


def _text(pdf: FPDF, tmp_path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(bytes(pdf.output()))
    return [re.sub(r"[ \t]+", " ", page.extract_text()).strip() for page in PdfReader(path).pages]  # lines kept


HEADER = ["Giờ", "Bên mua", "Nhà cung cấp"]
LONG = "Công ty TNHH Liên doanh Thiết bị Chế biến Elmarc – Sao Việt Đồng Nai (B16)"


def _rows(n: int) -> list[list[str]]:
    return [[f"{8 + i // 3:02d}:{i % 3 * 20:02d}", LONG if i % 4 == 0 else f"Công ty B{i}", f"Công ty S{i} ({i})"]
            for i in range(n)]


def test_same_text_as_fpdf2_table(tmp_path) -> None:
    rows = _rows(12)
    ours = _pdf()
    _table(ours, HEADER, rows, [30, 80, 80])
    theirs = _pdf()
    with theirs.table(col_widths=[30, 80, 80], text_align="LEFT", line_height=6) as table:
        theirs.set_font("DejaVu", "B", 10)
        table.row(HEADER)
        theirs.set_font("DejaVu", "", 10)
        for row in rows:
            table.row(row)
    assert _text(ours, tmp_path, "ours.pdf") == _text(theirs, tmp_path, "theirs.pdf")


def test_long_tables_repeat_the_header_and_wrap_without_cutting(tmp_path) -> None:
    pdf = _pdf()
    _table(pdf, HEADER, _rows(60), [30, 80, 80])
    pages = _text(pdf, tmp_path, "long.pdf")
    assert len(pages) >= 2 and all(page.startswith("Giờ Bên mua Nhà cung cấp") for page in pages)
    every = " ".join(pages)
    every = re.sub(r"\s+", " ", every)
    assert every.count("Elmarc – Sao Việt Đồng Nai (B16)") == 15 and "Công ty S59 (59)" in every
