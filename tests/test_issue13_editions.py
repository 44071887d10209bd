"""Issue 13, item 6: GSO workbooks of every edition — monthly, quarter-end (3, 6, 9) and December — for both year
layouts (``…/-2024``, read on the January 2021 sample; ``…/2025-``, on the February 2025 sample).

No real quarter-end or December workbook is at hand, so each edition is built from a sample by rewriting its
sheets the way that edition prints them (:func:`tests.builders.rewrite_sheet`), with the sample's own figures:

- **December** (2021-12, 2025-12): the month's columns move to December ("Thực hiện tháng 11", "Ước tính tháng
  12", "Tháng 12 năm 2025 so với tháng trước / cùng kỳ"), and every table gains the year — "Ước tính năm 2025"
  (level; retail with its structure "Tổng mức / Cơ cấu" under one merged heading, as the monthly sheet prints the
  month's), "Năm 2025 so với năm 2024 (%)" / "Cả năm 2025 so với năm trước" — and quarter IV ("Quý IV năm 2025 so
  với cùng kỳ năm trước", "Ước tính quý IV"), as GSO's "Số liệu thống kê tháng 12 và năm …" print them. The
  retail structure is printed for the year, not the month. The 2025 IIP and products sheets are renamed
  "2.IIPnam" / "3.SPCNnam" (December's annual sheets replace the monthly ones).
- **Quarter-end** (2021-03, 2025-09): "Quý I năm 2021 so với cùng kỳ" beside the month (March: the quarter is
  the year to date; no "3 tháng" column), "Ước tính quý III", "Quý III năm 2025 so với cùng kỳ" beside the month
  and "9 tháng" (September).
- **Monthly** (2021-05, 2025-05): the sample's layout for May, with the typos GSO's headers carry: a word typed
  twice ("năm năm"), missing diacritics ("so vơi", "Thang 5 nam 2025"), "T5" for "tháng 5", no space before
  "(%)", "cùng kì", "Tháng 5/2025" beside "Tháng 5 năm 2025", line breaks inside headers.

The labour sheets (an index at a point in time: no quarter or year) only change their date ("thời điểm
1/12/2021"). Each test asserts that every figure written lands exactly where it should (sheet, cell, period,
measure, value — the set of records equals the set of figures, so nothing is lost or invented), the rows keep the
sample's codes, and the workbook reads without a warning; one workbook adds a column that truly cannot be read,
and the only warning names file, sheet and cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from tests.builders import Printed, rewrite_sheet

from vnindustry.sources.gso import read_workbook
from vnindustry.sources.gso.layouts import EDITIONS, edition_for

SAMPLES = Path(__file__).parent / "data" / "gso" / "xlsx"
Expected = list[tuple[str, str, str, str, float]]

L, T = "Lượng", "Trị giá"


def _pair(header: tuple[object, ...], quantity: str, value: str, reads: tuple[tuple[str, str], ...],
          factor: float = 1.0) -> list[Printed]:
    """A trade table's "Lượng" / "Trị giá" pair under one merged heading (``reads`` for values; quantities get
    the ``qty_`` measures)."""
    merged = tuple(range(len(header)))
    qty = tuple((p, f"qty_{m}") for p, m in reads)
    return [Printed((*header, L), quantity, qty, factor, merged), Printed((*(None,) * len(header), T), value,
                                                                           reads, factor)]


def _relabel(ws, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    """Replace ``old`` by ``new`` in the header text of a sheet that keeps its layout (the labour index)."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and old in cell.value:
                cell.value = cell.value.replace(old, new)


def _labour(wb, old: str, new: str, sheets: tuple[str, str], period: str) -> Expected:  # type: ignore[no-untyped-def]
    """The labour sheets at another date: their figures are read for ``period``."""
    out: Expected = []
    for name in sheets:
        ws = wb[name]
        _relabel(ws, old, new)
        for row in ws.iter_rows(min_row=9):
            label = row[0].value
            for cell in row[1:3]:
                if isinstance(label, str) and isinstance(cell.value, (int, float)):
                    measure = "pct_prev_month" if cell.column == 2 else "pct_same_month_last_year"
                    out.append((name, cell.coordinate, period, measure, float(cell.value)))
    return out


# --- the 2021 layout (…/-2024), from the January 2021 sample ----------------------------------------------------

def _december_2021(wb) -> Expected:  # type: ignore[no-untyped-def]
    m, q, y, ytd = "2021-12", "2021-Q4", "2021", "2021-12"
    same, prev, sp = "pct_same_month_last_year", "pct_prev_month", "pct_same_period_last_year"
    out = rewrite_sheet(wb["IIP"], header_rows=(4, 5), first_column=2, unit_line=(3, "%"),
                        title="2. Chỉ số sản xuất công nghiệp tháng 12 và năm 2021", columns=[
        Printed(("Tháng 12 năm 2021", "so với tháng trước"), "B", ((m, prev),)),
        Printed(("Tháng 12 năm 2021", "so với cùng kỳ năm trước"), "C", ((m, same),)),
        Printed(("Quý IV năm 2021", "so với cùng kỳ năm trước"), "C", ((q, sp),), 0.97),
        Printed(("Năm 2021", "so với năm 2020"), "C", ((y, sp), (ytd, "pct_ytd_last_year")), 0.91),
    ])
    out += rewrite_sheet(wb["SP"], header_rows=(4, 5, 6), first_column=3, columns=[
        Printed(("Thực hiện", "tháng 11", "năm 2021"), "C", (("2021-11", "level"),)),
        Printed(("Ước tính", "tháng 12", "năm 2021"), "D", ((m, "level"),)),
        Printed(("Ước tính", "năm 2021", None), "D", ((y, "level"), (ytd, "level_ytd")), 11.5),
        Printed(("Tháng 12/2021", "so với ", "tháng trước (%)"), "E", ((m, prev),)),
        Printed(("Tháng 12/2021", "so với cùng kỳ", "năm trước (%)"), "F", ((m, same),)),
        Printed(("Năm 2021", "so với", "năm 2020 (%)"), "F", ((y, sp), (ytd, "pct_ytd_last_year")), 0.95),
    ])
    out += rewrite_sheet(wb["Tongmuc"], header_rows=(4, 5), first_column=3, unit_line=(3, "Tỷ đồng"), columns=[
        Printed(("Thực hiện\ntháng 11\nnăm 2021", None), "C", (("2021-11", "level"),)),
        Printed(("Ước tính\ntháng 12 năm 2021", None), "D", ((m, "level"),)),
        Printed(("Ước tính năm 2021", "Tổng mức"), "D", ((y, "level"), (ytd, "level_ytd")), 11.8, merged=(0,)),
        Printed((None, "Cơ cấu (%)"), "E", ((y, "share_pct"), (ytd, "share_pct_ytd"))),
        Printed(("Tháng 12 \nnăm 2021 \nso với cùng kỳ\nnăm 2020 (%)", None), "F", ((m, same),)),
        Printed(("Quý IV\nnăm 2021 \nso với cùng kỳ\nnăm 2020 (%)", None), "F", ((q, sp),), 0.99),
        Printed(("Năm 2021\nso với\nnăm 2020 (%)", None), "F", ((y, sp), (ytd, "pct_ytd_last_year")), 0.98),
    ])
    for name in ("18XK", "19NK"):
        out += rewrite_sheet(wb[name], header_rows=(4, 5, 6, 7), first_column=3, unit_line=(3, "Nghìn tấn; Triệu USD"),
                             columns=[
            *_pair(("Thực hiện", "tháng 11", "năm 2021"), "C", "D", (("2021-11", "level"),)),
            *_pair(("Ước tính", "tháng 12", "năm 2021"), "F", "G", ((m, "level"),)),
            *_pair(("Ước tính", "năm 2021", None), "F", "G", ((y, "level"), (ytd, "level_ytd")), 12.2),
            *_pair(("Tháng 12 năm 2021", "so với cùng kỳ", "năm trước (%)"), "I", "J", ((m, same),)),
            *_pair(("Năm 2021", "so với", "năm 2020 (%)"), "I", "J", ((y, sp), (ytd, "pct_ytd_last_year")), 0.9),
        ])
    return out + _labour(wb, "1/1/2021", "1/12/2021", ("LAO DONG", "5. LĐCN_DP"), m)


def _march_2021(wb) -> Expected:  # type: ignore[no-untyped-def]
    m, q = "2021-03", "2021-Q1"
    same, prev, sp = "pct_same_month_last_year", "pct_prev_month", "pct_same_period_last_year"
    ytd = ((m, "pct_ytd_last_year"),)
    out = rewrite_sheet(wb["IIP"], header_rows=(4, 5), first_column=2, unit_line=(3, "%"), columns=[
        Printed(("Tháng 3 năm 2021", "so với tháng trước"), "B", ((m, prev),)),
        Printed(("Tháng 3 năm 2021", "so với cùng kỳ năm trước"), "C", ((m, same),)),
        Printed(("Quý I năm 2021", "so với cùng kỳ năm trước"), "C", ((q, sp), *ytd), 0.96),
    ])
    out += rewrite_sheet(wb["SP"], header_rows=(4, 5, 6), first_column=3, columns=[
        Printed(("Thực hiện", "tháng 2", "năm 2021"), "C", (("2021-02", "level"),)),
        Printed(("Ước tính", "tháng 3", "năm 2021"), "D", ((m, "level"),)),
        Printed(("Ước tính", "quý I", "năm 2021"), "D", ((q, "level"), (m, "level_ytd")), 2.9),
        Printed(("Tháng 3/2021", "so với ", "tháng trước (%)"), "E", ((m, prev),)),
        Printed(("Tháng 3/2021", "so với cùng kỳ", "năm trước (%)"), "F", ((m, same),)),
        Printed(("Quý I/2021", "so với cùng kỳ", "năm trước (%)"), "F", ((q, sp), *ytd), 0.97),
    ])
    out += rewrite_sheet(wb["Tongmuc"], header_rows=(4, 5), first_column=3, unit_line=(3, "Tỷ đồng"), columns=[
        Printed(("Thực hiện\ntháng 2\nnăm 2021", None), "C", (("2021-02", "level"),)),
        Printed(("Ước tính\ntháng 3 năm 2021", "Tổng mức"), "D", ((m, "level"),), merged=(0,)),
        Printed((None, "Cơ cấu (%)"), "E", ((m, "share_pct"),)),
        Printed(("Ước tính\nquý I năm 2021", None), "D", ((q, "level"), (m, "level_ytd")), 2.95),
        Printed(("Tháng 3 \nnăm 2021 \nso với cùng kỳ\nnăm 2020 (%)", None), "F", ((m, same),)),
        Printed(("Quý I \nnăm 2021 \nso với cùng kỳ\nnăm 2020 (%)", None), "F", ((q, sp), *ytd), 1.01),
    ])
    for name in ("18XK", "19NK"):
        out += rewrite_sheet(wb[name], header_rows=(4, 5, 6, 7), first_column=3, unit_line=(3, "Nghìn tấn; Triệu USD"),
                             columns=[
            *_pair(("Thực hiện", "tháng 2", "năm 2021"), "C", "D", (("2021-02", "level"),)),
            *_pair(("Ước tính", "tháng 3", "năm 2021"), "F", "G", ((m, "level"),)),
            *_pair(("Ước tính", "quý I", "năm 2021"), "F", "G", ((q, "level"), (m, "level_ytd")), 3.1),
            *_pair(("Tháng 3 năm 2021", "so với cùng kỳ", "năm trước (%)"), "I", "J", ((m, same),)),
            *_pair(("Quý I năm 2021", "so với cùng kỳ", "năm trước (%)"), "I", "J", ((q, sp), *ytd), 0.94),
        ])
    return out + _labour(wb, "1/1/2021", "1/3/2021", ("LAO DONG", "5. LĐCN_DP"), m)


def _may_2021(wb) -> Expected:  # type: ignore[no-untyped-def]
    m, same, prev = "2021-05", "pct_same_month_last_year", "pct_prev_month"
    out = rewrite_sheet(wb["IIP"], header_rows=(4, 5), first_column=2, unit_line=(3, "%"), columns=[
        Printed(("Tháng 5 năm năm 2021", "so vơi tháng trước"), "B", ((m, prev),)),
        Printed(("Thang 5 nam 2021", "so với cùng kì năm trước(%)"), "C", ((m, same),)),
    ])
    out += rewrite_sheet(wb["SP"], header_rows=(4, 5, 6), first_column=3, columns=[
        Printed(("Thực hiện", "T4", "năm 2021"), "C", (("2021-04", "level"),)),
        Printed(("Ước tính", "tháng 5", "năm 2021"), "D", ((m, "level"),)),
        Printed(("Tháng 5/2021", "so với ", "tháng trước(%)"), "E", ((m, prev),)),
        Printed(("T5/2021", "so với cùng kỳ", "năm trước (%)"), "F", ((m, same),)),
    ])
    out += rewrite_sheet(wb["Tongmuc"], header_rows=(4, 5), first_column=3, unit_line=(3, "Tỷ đồng"), columns=[
        Printed(("Thực hiện\ntháng 4\nnăm 2021", None), "C", (("2021-04", "level"),)),
        Printed(("Ước tính\ntháng 5 năm năm 2021", "Tổng mức"), "D", ((m, "level"),), merged=(0,)),
        Printed((None, "Cơ cấu (%)"), "E", ((m, "share_pct"),)),
        Printed(("Tháng 5 \nnăm 2021 \nso với cùng kỳ\nnăm 2020(%)", None), "F", ((m, same),)),
    ])
    for name in ("18XK", "19NK"):
        out += rewrite_sheet(wb[name], header_rows=(4, 5, 6, 7), first_column=3, unit_line=(3, "Nghìn tấn; Triệu USD"),
                             columns=[
            *_pair(("Thực hiện", "tháng 4", "năm 2021"), "C", "D", (("2021-04", "level"),)),
            *_pair(("Uoc tinh", "T5", "nam 2021"), "F", "G", ((m, "level"),)),
            *_pair(("Tháng 5 năm 2021", "so với cùng kỳ", "năm trước(%)"), "I", "J", ((m, same),)),
        ])
    return out + _labour(wb, "1/1/2021", "1/5/2021", ("LAO DONG", "5. LĐCN_DP"), m)


# --- the 2025 layout (…/2025-), from the February 2025 sample ---------------------------------------------------

def _december_2025(wb) -> Expected:  # type: ignore[no-untyped-def]
    m, q, y = "2025-12", "2025-Q4", "2025"
    same, prev, sp, ytd = "pct_same_month_last_year", "pct_prev_month", "pct_same_period_last_year", "pct_ytd_last_year"
    out = rewrite_sheet(wb["2.IIPthang"], name="2.IIPnam", header_rows=(3, 4, 5, 6, 7), first_column=2,
                        unit_line=(2, "%"), columns=[
        Printed(("Tháng 11", "năm 2025", "so với", "cùng kỳ", "năm trước"), "B", (("2025-11", same),)),
        Printed(("Tháng 12", "năm năm 2025", "so với", "tháng ", "trước"), "C", ((m, prev),)),
        Printed(("Tháng 12/2025", None, "so với", "cùng kỳ", "năm trước(%)"), "D", ((m, same),)),
        Printed(("Quý IV", "năm 2025", "so với", "cùng kỳ", "năm trước"), "D", ((q, sp),), 0.98),
        Printed(("Năm 2025", "so với", "năm 2024 (%)", None, None), "E", ((y, sp), (m, ytd))),
    ])
    out += rewrite_sheet(wb["3.SPCNthang"], name="3.SPCNnam", header_rows=(4, 5, 6, 7), first_column=3, columns=[
        Printed(("Thực hiện", "tháng 11", "năm", 2025), "C", (("2025-11", "level"),)),
        Printed(("Ước tính", "T12", "năm", 2025), "D", ((m, "level"),)),
        Printed(("Ước tính", "quý IV", "năm", 2025), "D", ((q, "level"),), 3.05),
        Printed(("Ước tính", "năm 2025", None, None), "E", ((y, "level"), (m, "level_ytd")), 6.1),
        Printed(("Tháng 12", "năm 2025", "so với cùng kỳ ", "năm trước (%)"), "F", ((m, same),)),
        Printed(("Quý 4", "năm 2025", "so với cùng kỳ", "năm trước (%)"), "F", ((q, sp),), 1.02),
        Printed(("Cả năm", "2025 so với", "năm trước", "(%)"), "G", ((y, sp), (m, ytd))),
    ])
    out += rewrite_sheet(wb["13. Tongmuc"], header_rows=(5, 6, 7, 8, 9, 10), first_column=2, columns=[
        Printed(("Sơ bộ", "tháng 11", "năm", 2025, "(Tỷ đồng)"), "B", (("2025-11", "level"),)),
        Printed(("Ước tính", "tháng 12", "năm", 2025, "(Tỷ đồng)"), "C", ((m, "level"),)),
        Printed(("Ước tính", "quý IV năm 2025", None, None, "(Tỷ đồng)"), "C", ((q, "level"),), 2.97),
        Printed(("Ước tính năm 2025", None, "Tổng", "mức", "(Tỷ đồng)"), "D", ((y, "level"), (m, "level_ytd")),
                6.2, merged=(0,)),
        Printed((None, None, "Cơ", "cấu ", "(%)"), "E", ((y, "share_pct"), (m, "share_pct_ytd"))),
        Printed(("Tháng 12", "năm 2025", "so với", "cùng kỳ", "năm", "trước (%)"), "F", ((m, same),)),
        Printed(("Quý IV", "năm 2025", "so với", "cùng kỳ", "năm", "trước (%)"), "F", ((q, sp),), 0.99),
        Printed(("Năm 2025", "so với", "năm 2024", None, None, "(%)"), "G", ((y, sp), (m, ytd))),
    ])
    for name in ("14.XK", "15.NK"):
        out += rewrite_sheet(wb[name], header_rows=(4, 5, 6, 7), first_column=3,
                             unit_line=(3, "Nghìn tấn; Triệu USD"), columns=[
            *_pair(("Sơ bộ", "tháng 11", "năm 2025"), "C", "D", (("2025-11", "level"),)),
            *_pair(("Ước tính", "T12/2025", None), "C", "D", ((m, "level"),), 1.07),
            *_pair(("Ước tính", "năm 2025", None), "F", "G", ((y, "level"), (m, "level_ytd")), 6.3),
            *_pair(("Tháng 12 năm 2025", "so với cùng kỳ", "năm trước (%)"), "I", "J", ((m, same),)),
            *_pair(("Năm 2025", "so với", "năm 2024 (%)"), "L", "M", ((y, sp), (m, ytd))),
        ])
    return out + _labour(wb, "01/02/2025", "01/12/2025", ("4. LĐ DN", "5. LĐCN_DP"), m)


def _september_2025(wb) -> Expected:  # type: ignore[no-untyped-def]
    m, q = "2025-09", "2025-Q3"
    same, prev, sp, ytd = "pct_same_month_last_year", "pct_prev_month", "pct_same_period_last_year", "pct_ytd_last_year"
    out = rewrite_sheet(wb["2.IIPthang"], header_rows=(3, 4, 5, 6, 7), first_column=2, unit_line=(2, "%"), columns=[
        Printed(("Tháng 8", "năm 2025", "so với", "cùng kỳ", "năm trước"), "B", (("2025-08", same),)),
        Printed(("Tháng 9", "năm 2025", "so với", "tháng ", "trước"), "C", ((m, prev),)),
        Printed(("Tháng 9", "năm 2025", "so với", "cùng kỳ", "năm trước"), "D", ((m, same),)),
        Printed(("Quý III", "năm 2025", "so với", "cùng kỳ", "năm trước"), "D", ((q, sp),), 0.99),
        Printed(("9 tháng", "năm 2025", "so với", "cùng kỳ ", "năm trước"), "E", ((m, ytd),)),
    ])
    out += rewrite_sheet(wb["3.SPCNthang"], header_rows=(4, 5, 6, 7), first_column=3, columns=[
        Printed(("Thực hiện", "tháng 8", "năm", 2025), "C", (("2025-08", "level"),)),
        Printed(("Ước tính", "tháng 9", "năm", 2025), "D", ((m, "level"),)),
        Printed(("Ước tính", "quý III", "năm", 2025), "D", ((q, "level"),), 3.02),
        Printed(("Cộng dồn", "9 tháng", "năm", 2025), "E", ((m, "level_ytd"),), 4.4),
        Printed(("Tháng 9", "năm 2025", "so với cùng kỳ ", "năm trước (%)"), "F", ((m, same),)),
        Printed(("Quý III", "năm 2025", "so với", "quý II năm 2025 (%)"), "F", ((q, "pct_prev_period"),), 0.97),
        Printed(("9 tháng", "năm 2025", "so với cùng kỳ ", "năm trước (%)"), "G", ((m, ytd),)),
    ])
    out += rewrite_sheet(wb["13. Tongmuc"], header_rows=(5, 6, 7, 8, 9, 10), first_column=2, columns=[
        Printed(("Sơ bộ", "tháng 8", "năm", 2025, "(Tỷ đồng)"), "B", (("2025-08", "level"),)),
        Printed(("Ước tính", "tháng 9", "năm", 2025, "(Tỷ đồng)"), "C", ((m, "level"),)),
        Printed(("Ước tính", "quý III năm 2025", None, None, "(Tỷ đồng)"), "C", ((q, "level"),), 3.01),
        Printed(("Ước tính 9 tháng ", "năm 2025", "Tổng", "mức", "(Tỷ đồng)"), "D", ((m, "level_ytd"),), 4.5,
                merged=(0, 1)),
        Printed((None, None, "Cơ", "cấu ", "(%)"), "E", ((m, "share_pct_ytd"),)),
        Printed(("Tháng 9", "năm 2025", "so với", "cùng kỳ", "năm", "trước (%)"), "F", ((m, same),)),
        Printed(("Quý III", "năm 2025", "so với", "cùng kỳ", "năm", "trước (%)"), "F", ((q, sp),), 1.01),
        Printed(("9 tháng", "năm 2025", "so với", "cùng kỳ", "năm", "trước (%)"), "G", ((m, ytd),)),
    ])
    for name in ("14.XK", "15.NK"):
        out += rewrite_sheet(wb[name], header_rows=(4, 5, 6, 7), first_column=3,
                             unit_line=(3, "Nghìn tấn; Triệu USD"), columns=[
            *_pair(("Sơ bộ", "tháng 9", "năm 2025"), "C", "D", ((m, "level"),)),
            *_pair(("Ước tính", "quý III", "năm 2025"), "C", "D", ((q, "level"),), 2.9),
            *_pair(("Sơ bộ", "9 tháng", "năm 2025"), "F", "G", ((m, "level_ytd"),), 4.6),
            *_pair(("Tháng 9 năm 2025", "so với cùng kỳ", "năm trước (%)"), "I", "J", ((m, same),)),
            *_pair(("Quý III năm 2025", "so với cùng kỳ", "năm trước (%)"), "I", "J", ((q, sp),), 0.96),
            *_pair(("9 tháng năm 2025", "so với cùng kỳ ", "năm trước (%)"), "L", "M", ((m, ytd),)),
        ])
    return out + _labour(wb, "01/02/2025", "01/09/2025", ("4. LĐ DN", "5. LĐCN_DP"), m)


def _may_2025(wb) -> Expected:  # type: ignore[no-untyped-def]
    m, same, prev, ytd = "2025-05", "pct_same_month_last_year", "pct_prev_month", "pct_ytd_last_year"
    out = rewrite_sheet(wb["2.IIPthang"], header_rows=(3, 4, 5, 6, 7), first_column=2, unit_line=(2, "%"), columns=[
        Printed(("Tháng 04", "năm năm 2025", "so với", "cùng kỳ", "năm trước"), "B", (("2025-04", same),)),
        Printed(("T5/2025", None, "so vơi", "tháng ", "trước"), "C", ((m, prev),)),
        Printed(("Thang 05", "nam 2025", "so voi", "cung ki", "nam truoc(%)"), "D", ((m, same),)),
        Printed(("5 tháng", "năm 2025", "so với", "cùng kỳ ", "năm trước"), "E", ((m, ytd),)),
    ])
    out += rewrite_sheet(wb["3.SPCNthang"], header_rows=(4, 5, 6, 7), first_column=3, columns=[
        Printed(("Thực hiện", "tháng 04", "năm", 2025), "C", (("2025-04", "level"),)),
        Printed(("Ước tính", "tháng 5/2025", None, None), "D", ((m, "level"),)),
        Printed(("Cộng dồn", "5 tháng", "năm", 2025), "E", ((m, "level_ytd"),), 2.5),
        Printed(("Tháng 5", "năm 2025", "so với cùng kỳ ", "năm trước(%)"), "F", ((m, same),)),
        Printed(("5 tháng", "năm 2025", "so với cùng kỳ ", "năm trước (%)"), "G", ((m, ytd),)),
    ])
    out += rewrite_sheet(wb["13. Tongmuc"], header_rows=(5, 6, 7, 8, 9, 10), first_column=2, columns=[
        Printed(("Sơ bộ", "tháng 4", "năm", 2025, "(Tỷ đồng)"), "B", (("2025-04", "level"),)),
        Printed(("Ước tính", "tháng 5", "năm", 2025, "(Tỷ đồng)"), "C", ((m, "level"),)),
        Printed(("Ước tính 5 tháng ", "năm 2025", "Tổng", "mức", "(Tỷ đồng)"), "D", ((m, "level_ytd"),), 2.5,
                merged=(0, 1)),
        Printed((None, None, "Cơ", "cấu ", "(%)"), "E", ((m, "share_pct_ytd"),)),
        Printed(("Tháng 5", "năm 2025", "so với", "cùng kỳ", "năm", "trước(%)"), "F", ((m, same),)),
        Printed(("5 tháng", "năm năm 2025", "so với", "cùng kỳ", "năm", "trước (%)"), "G", ((m, ytd),)),
    ])
    for name in ("14.XK", "15.NK"):
        out += rewrite_sheet(wb[name], header_rows=(4, 5, 6, 7), first_column=3,
                             unit_line=(3, "Nghìn tấn; Triệu USD"), columns=[
            *_pair(("Sơ bộ", "T5", "năm 2025"), "C", "D", ((m, "level"),)),
            *_pair(("Sơ bộ", "5 tháng", "năm 2025"), "F", "G", ((m, "level_ytd"),), 2.5),
            *_pair(("Tháng 05 năm 2025", "so với cùng kỳ", "năm trước(%)"), "I", "J", ((m, same),)),
            *_pair(("5 tháng năm 2025", "so với cùng kì ", "năm trước (%)"), "L", "M", ((m, ytd),)),
        ])
    return out + _labour(wb, "01/02/2025", "01/05/2025", ("4. LĐ DN", "5. LĐCN_DP"), m)


EDITION_BUILDS: dict[str, tuple[str, str, Callable[..., Expected]]] = {
    # reference month: (sample, edition kind, builder)
    "2021-05": ("2021-01", "monthly", _may_2021),
    "2021-03": ("2021-01", "quarter-end", _march_2021),
    "2021-12": ("2021-01", "december", _december_2021),
    "2025-05": ("2025-02", "monthly", _may_2025),
    "2025-09": ("2025-02", "quarter-end", _september_2025),
    "2025-12": ("2025-02", "december", _december_2025),
}


def build_edition(reference: str, folder: Path) -> tuple[Path, Expected, dict[tuple[str, int], str]]:
    """The workbook of ``reference`` rewritten from its sample, the figures it must read as, and the sample's code
    of each (sheet, row) (the rows do not move, so their codes must not change)."""
    sample, _, build = EDITION_BUILDS[reference]
    original = read_workbook(SAMPLES / f"{sample}.xlsx")
    wb = openpyxl.load_workbook(SAMPLES / f"{sample}.xlsx", data_only=True)
    renamed: dict[str, str] = {}
    expected = build(wb)
    for ws in wb.worksheets:
        renamed[ws.title] = ws.title
    renames = {"2.IIPthang": "2.IIPnam", "3.SPCNthang": "3.SPCNnam"} if reference == "2025-12" else {}
    codes = {(renames.get(r.sheet, r.sheet), int("".join(ch for ch in r.cell if ch.isdigit()))): r.code
             for r in original.records.itertuples()}
    path = folder / f"{reference}.xlsx"
    wb.save(path)
    return path, expected, codes


@pytest.mark.parametrize("reference", sorted(EDITION_BUILDS))
def test_every_figure_of_the_edition_lands_where_it_should(reference: str, tmp_path: Path) -> None:
    path, expected, codes = build_edition(reference, tmp_path)
    imported = read_workbook(path)
    assert imported.reference_period == reference
    assert imported.warnings == []
    assert edition_for(int(reference[5:])).key == EDITION_BUILDS[reference][1]
    records = imported.records
    got = {(r.sheet, r.cell, r.period, r.measure): r.value for r in records.itertuples()}
    want = {(sheet, cell, period, measure): value for sheet, cell, period, measure, value in expected}
    assert len(want) == len(expected)  # the builder declares each figure once
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert not missing and not extra, (missing[:10], extra[:10])
    wrong = [(k, got[k], v) for k, v in want.items() if got[k] != v]
    assert not wrong, wrong[:10]
    # Every row keeps the sample's code (the same industry, product or commodity).
    moved = [(r.sheet, r.cell, r.code) for r in records.itertuples()
             if codes.get((r.sheet, int("".join(ch for ch in r.cell if ch.isdigit())))) != r.code]
    assert not moved, moved[:10]
    # Quarterly and annual records next to the monthly ones, under the quarter's and year's own periods.
    kinds = {"month": records["period"].str.fullmatch(r"\d{4}-\d{2}"),
             "quarter": records["period"].str.fullmatch(r"\d{4}-Q[1-4]"),
             "year": records["period"].str.fullmatch(r"\d{4}")}
    assert all(a | b | c for a, b, c in zip(*kinds.values(), strict=True))
    kind = EDITION_BUILDS[reference][1]
    assert kinds["quarter"].any() == (kind != "monthly")
    assert kinds["year"].any() == (kind == "december")


def test_december_2025_reads_the_year_the_quarter_and_the_year_to_date(tmp_path: Path) -> None:
    path, _, _ = build_edition("2025-12", tmp_path)
    r = read_workbook(path).records
    sample = read_workbook(SAMPLES / "2025-02.xlsx").records

    def one(**where: str) -> pd.Series:
        mask = pd.Series(True, index=r.index)
        for column, value in where.items():
            mask &= r[column] == value
        assert mask.sum() == 1, where
        return r[mask].iloc[0]

    def was(**where: str) -> float:
        mask = pd.Series(True, index=sample.index)
        for column, value in where.items():
            mask &= sample[column] == value
        return float(f"{float(sample[mask].iloc[0]['value']):.16g}")  # as the rewritten file holds it

    # "Năm 2025 so với năm 2024 (%)": the IIP's year, from the sample's "2 tháng" column (E9), also the year to date.
    year = one(table="iip", code="TOTAL", period="2025", measure="pct_same_period_last_year")
    assert (year["value"], year["status"], year["sheet"], year["cell"]) == (107.24, "estimate", "2.IIPnam", "F9")
    assert one(table="iip", code="TOTAL", period="2025-12", measure="pct_ytd_last_year")["cell"] == "F9"
    assert one(table="iip", code="TOTAL", period="2025-Q4", measure="pct_same_period_last_year")["value"] == \
        round(117.17 * 0.98, 4)
    # "Tháng 12 năm năm 2025 so với tháng trước" (the typo) is December on November.
    assert one(table="iip", code="TOTAL", period="2025-12", measure="pct_prev_month")["value"] == 97.77
    # Retail's year with its structure; the year's total is 100% of itself.
    assert one(table="retail", code="TOTAL", period="2025", measure="share_pct")["value"] == 100
    assert one(table="retail", code="TOTAL", period="2025", measure="level")["value"] == \
        round(was(table="retail", code="TOTAL", period="2025-02", measure="level_ytd") * 6.2, 4)
    # Trade: the year's value and quantity, in the sheet's units.
    coffee = one(table="exports", code="ca-phe", period="2025", measure="qty_level")
    assert coffee["unit"] == "Nghìn tấn"
    ytd = was(table="exports", code="ca-phe", period="2025-02", measure="qty_level_ytd")
    assert coffee["value"] == round(ytd * 6.3, 4)
    assert one(table="exports", code="TOTAL", period="2025", measure="level")["unit"] == "Triệu USD"
    # Products: "Cả năm 2025 so với năm trước" and "Quý 4" (not "Quý IV").
    coal = "than-da-than-sach"
    assert one(table="products", code=coal, period="2025", measure="pct_same_period_last_year")["value"] == \
        was(table="products", code=coal, period="2025-02", measure="pct_ytd_last_year")
    assert one(table="products", code=coal, period="2025-Q4", measure="level")["unit"] == "Nghìn tấn"


def test_a_column_that_truly_cannot_be_read_is_the_only_warning(tmp_path: Path) -> None:
    """December 2025 with one more IIP column: a plan ("Kế hoạch năm 2025", no comparison GSO's reader knows), and a
    header with a quarter after the reference month (a typo): both reported by file, sheet and cells, nothing else."""
    path, expected, _ = build_edition("2025-12", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["2.IIPnam"]
    ws["G3"], ws["G4"], ws["G9"] = "Kế hoạch", "năm 2025", 106.5
    ws["H3"], ws["H4"], ws["H5"], ws["H6"], ws["H9"] = "Quý I", "năm 2026", "so với", "cùng kỳ", 101.0
    wb.save(path)
    imported = read_workbook(path)
    assert len(imported.warnings) == 2, imported.warnings
    plan, future = imported.warnings
    assert plan.startswith("2025-12.xlsx: sheet '2.IIPnam' (iip): column G header 'Kế hoạch năm 2025'")
    assert "2.IIPnam!G3:G4" in plan and "column skipped" in plan
    assert future.startswith("2025-12.xlsx: sheet '2.IIPnam' (iip): column H header")
    assert "2026-Q1" in future and "2.IIPnam!H3:H6" in future
    got = {(r.sheet, r.cell, r.period, r.measure) for r in imported.records.itertuples()}
    assert got == {(s, c, p, m) for s, c, p, m, _ in expected}


def test_an_edition_without_its_year_is_reported(tmp_path: Path) -> None:
    """December's edition must print the year: a December workbook whose IIP sheet lost the year's column says so."""
    path, _, _ = build_edition("2025-12", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["2.IIPnam"]
    for row in ws.iter_rows(min_col=6, max_col=6):
        for cell in row:
            cell.value = None
    wb.save(path)
    text = "\n".join(read_workbook(path).warnings)
    assert "no column for pct_same_period_last_year of 2025, which the december edition of the iip table prints" \
        in text
    assert "no column for pct_ytd_last_year of 2025-12, which the iip/2025- layout prints" in text


def test_editions_are_declared_once_per_kind() -> None:
    months = sorted(m for edition in EDITIONS for m in edition.months)
    assert months == list(range(1, 13))
    assert [e.key for e in EDITIONS] == ["monthly", "quarter-end", "december"]
    assert {edition_for(m).key for m in (3, 6, 9)} == {"quarter-end"} and edition_for(12).key == "december"


def test_the_store_keeps_quarters_and_years_apart_from_months(tmp_path: Path) -> None:
    """The December 2025 edition stored next to the February 2025 sample: the quarterly and annual records are
    stored under their own periods, and the monthly readers (the indicators' monthly view, the bulletin) see months
    only — no "2025-Q4" or "2025" taken for a month."""
    from vnindustry.analysis.indicators import monthly_indicators
    from vnindustry.publish.bulletin import compose_bulletin
    from vnindustry.publish.writers import write_bulletin
    from vnindustry.store import open_store
    from vnindustry.store.gso import store_workbook

    path, _, _ = build_edition("2025-12", tmp_path)
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store_workbook(store, read_workbook(SAMPLES / "2025-02.xlsx"))
    summary = store_workbook(store, read_workbook(path), released_on=dt.date(2026, 1, 6))
    assert summary.created
    stored = store.observations(source="gso", table="iip", keys=["gso/iip/TOTAL"])
    periods = set(stored["period"])
    assert {"2025", "2025-Q4", "2025-12", "2025-11", "2025-02"} <= periods
    year = stored[(stored["period"] == "2025") & (stored["measure"] == "pct_same_period_last_year")]
    assert year["value"].tolist() == [107.24]
    # The series stay monthly (their first record is a month).
    catalogue = store.catalogue("gso")
    assert set(catalogue["frequency"]) == {"M"}
    # SDMX says each row's own frequency: a quarter is Q and a year A, never M.
    from fastapi.testclient import TestClient

    from vnindustry.web import create_app

    with TestClient(create_app(store)) as client:
        r = client.get("/api/v1/series/gso/iip/TOTAL/observations",
                       headers={"Accept": "application/vnd.sdmx.data+csv;version=2.0.0"})
        assert r.status_code == 200, r.text
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        freq = {row["TIME_PERIOD"]: row["FREQ"] for row in rows}
        assert freq["2025-Q4"] == "Q" and freq["2025"] == "A" and freq["2025-12"] == "M", freq

    view = monthly_indicators(store, "2025-12", "gso")
    assert list(view.iip_history["period"]) == sorted(view.iip_history["period"])
    assert all(len(p) == 7 and p[4] == "-" and p[5:].isdigit() for p in view.iip_history["period"])
    iip = view.table("iip")
    assert iip is not None
    total = iip.total()
    assert total is not None
    assert total.same_month_last_year == pytest.approx(17.17)
    assert total.ytd == pytest.approx(7.24)  # December's year to date is the year ("Năm 2025 so với năm 2024")
    assert all(len(p) == 7 for p in iip.window["period"])
    retail = view.table("retail")
    assert retail is not None and retail.total() is not None
    for lang in ("vi", "en"):
        bulletin = compose_bulletin(view, lang)
        for chart in bulletin.charts():
            if chart.kind == "bar_periods":
                assert not any("Q" in label or "Quý" in label for label in chart.labels), chart.labels
                assert len(chart.labels) == len(set(chart.labels)), chart.labels
        text = write_bulletin(bulletin, "md").decode("utf-8")
        assert "2025-Q" not in text and "Q4" not in text and "nan" not in text.split()


def test_trade_flows_from_the_store_take_no_quarter(tmp_path: Path) -> None:
    """GSO's trade tables in the store become flows by month and by year; a quarter is neither (and would stop
    the flows' period check), so it stays out."""
    from vnindustry.store import open_store
    from vnindustry.store.gso import store_workbook
    from vnindustry.store.trade import gso_flows

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    for reference, released in (("2025-09", dt.date(2025, 10, 6)), ("2025-12", dt.date(2026, 1, 6))):
        path, _, _ = build_edition(reference, tmp_path)
        store_workbook(store, read_workbook(path), released_on=released)
    assert "2025-Q3" in set(store.observations(source="gso", table="exports", measure="level")["period"])
    periods = set(gso_flows(store)["period"])
    assert {"2025-09", "2025-12", "2025"} <= periods
    assert not any("Q" in p for p in periods)


@pytest.mark.parametrize(("header", "reference", "code", "kind"), [
    ("Tháng 12 năm năm 2025", "2025-12", "2025-12", "month"),  # a word typed twice
    ("Ước tính T12", "2025-12", "2025-12", "month"),  # "T12", no year: the reference year
    ("Ước tính T.11/2025", "2025-12", "2025-11", "month"),
    ("Thực hiện tháng 12", "2026-01", "2025-12", "month"),  # no year, after the reference month: the year before
    ("Tháng12/2025", "2025-12", "2025-12", "month"),  # glued
    ("Ước tính quý IV", "2025-12", "2025-Q4", "quarter"),
    ("Quý 4 năm 2025", "2025-12", "2025-Q4", "quarter"),
    ("Quí IV/2025", "2025-12", "2025-Q4", "quarter"),  # the older spelling
    ("Q3-2025", "2025-09", "2025-Q3", "quarter"),
    ("Ước tính quý IV", "2026-01", "2025-Q4", "quarter"),
    ("9 tháng", "2025-09", "2025-09", "ytd"),
    ("6 tháng đầu năm 2025", "2025-06", "2025-06", "ytd"),
    ("Cả năm", "2025-12", "2025", "year"),
    ("Ước tính năm", "2025-12", "2025", "year"),
    ("Cả năm 2025", "2025-12", "2025", "year"),
    ("Ước tính năm 2025", "2025-12", "2025", "year"),
])
def test_header_variants_name_their_period(header: str, reference: str, code: str, kind: str) -> None:
    from vnindustry.periods import parse_month
    from vnindustry.sources.gso.headers import normalise_header, parse_period, split_comparison
    from vnindustry.sources.gso.labels import fold

    subject, _ = split_comparison(normalise_header(fold(header)))
    period = parse_period(subject, parse_month(reference))
    assert period is not None and (period.code, period.kind) == (code, kind)


@pytest.mark.parametrize(("header", "reference"), [
    ("Ước tính năm", "2025-11"),  # "the year" in November: not a figure GSO prints
    ("Kế hoạch", "2025-12"),
    ("Tháng 13 năm 2025", "2025-12"),
    ("12 tháng", "2025-11"),  # a year to date longer than the months reported
])
def test_headers_without_a_readable_period_name_none(header: str, reference: str) -> None:
    from vnindustry.periods import parse_month
    from vnindustry.sources.gso.headers import normalise_header, parse_period, split_comparison
    from vnindustry.sources.gso.labels import fold

    subject, _ = split_comparison(normalise_header(fold(header)))
    assert parse_period(subject, parse_month(reference)) is None


@pytest.mark.parametrize(("header", "kind"), [
    ("Tháng 12 năm 2025 so với tháng 12 năm 2024", "pct_same"),
    ("Tháng 12/2025 so với tháng 11/2025", "pct_prev"),
    ("Quý IV năm 2025 so với quý III năm 2025", "pct_prev"),
    ("Quý IV năm 2025 so với quý IV năm 2024", "pct_same"),
    ("Tháng 12 năm 2025 so với tháng 6 năm 2025", None),  # another comparison: not guessed
    ("Tháng 12 năm 2025 so với kế hoạch năm", None),
])
def test_the_compared_period_says_which_comparison(header: str, kind: str | None) -> None:
    from vnindustry.periods import parse_month
    from vnindustry.sources.gso.headers import comparison_kind, normalise_header, parse_period, split_comparison
    from vnindustry.sources.gso.labels import fold

    subject, comparison = split_comparison(normalise_header(fold(header)))
    period = parse_period(subject, parse_month("2025-12"))
    assert period is not None
    assert comparison_kind(period, comparison, parse_month("2025-12")) == kind


def test_a_figure_printed_on_two_sheets_is_read_once(tmp_path: Path) -> None:
    """December's edition may print the monthly IIP sheet beside the annual one: the figures both print are the
    same and read once, without a word; one that differs between them is reported (which sheet won)."""
    path, expected, _ = build_edition("2025-12", tmp_path)
    wb = openpyxl.load_workbook(path)
    copy = wb.copy_worksheet(wb["2.IIPnam"])
    copy.title = "2.IIPthang"
    copy["D9"] = 118.0  # December on December 2024, total industry: not the annual sheet's 117.17
    wb.save(path)
    imported = read_workbook(path)
    assert imported.layouts["2.IIPthang"] == "iip/2025-"
    got = {(r.sheet, r.cell, r.period, r.measure) for r in imported.records.itertuples()}
    assert got == {(s, c, p, m) for s, c, p, m, _ in expected}
    assert len(imported.warnings) == 1, imported.warnings
    assert "'Toàn ngành công nghiệp' pct_same_month_last_year 2025-12 at D9 repeats the series of 2.IIPnam!D9" \
        in imported.warnings[0]


def test_the_last_period_of_a_series_is_its_latest_month_not_a_quarter(tmp_path: Path) -> None:
    """March's edition prints quarter I, May's the month: the series' last period is May ("2021-Q1" sorts after
    "2021-05" as text, and would hide May from the catalogue and the pages' latest month)."""
    from vnindustry.store import open_store
    from vnindustry.store.gso import store_workbook
    from vnindustry.web.pages import SeriesIndex, latest_month

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    for reference in ("2021-03", "2021-05"):
        path, _, _ = build_edition(reference, tmp_path)
        store_workbook(store, read_workbook(path))
    catalogue = store.catalogue("gso").set_index("key")
    assert catalogue.at["gso/iip/TOTAL", "last_period"] == "2021-05"
    assert catalogue.at["gso/iip/TOTAL", "first_period"] == "2021-03"
    assert {r[0]: r[-1] for r in store.last_periods()}["gso/iip/TOTAL"] == "2021-05"
    assert latest_month(SeriesIndex.read(store), "gso") == "2021-05"


def test_a_workbook_of_annual_sheets_only_reports_december(tmp_path: Path) -> None:
    """December's annual sheets on their own ("2.IIPnam" with the quarter and the year, no month): the workbook
    reports December, and its figures are the quarter's and the year's."""
    path, expected, _ = build_edition("2025-12", tmp_path)
    wb = openpyxl.load_workbook(path)
    for name in wb.sheetnames:
        if name != "2.IIPnam":
            del wb[name]
    ws = wb["2.IIPnam"]
    ws.delete_cols(2, 3)  # November, December on November, December on December 2024: E, F become B, C
    wb.save(path)
    imported = read_workbook(path)
    assert imported.reference_period == "2025-12"
    assert imported.warnings == [
        "2025-12.xlsx: sheet '2.IIPnam' (iip): no column for pct_same_month_last_year of 2025-11, which the iip/2025- "
        "layout prints — has the layout changed?",
        "2025-12.xlsx: sheet '2.IIPnam' (iip): no column for pct_prev_month of 2025-12, which the iip/2025- layout "
        "prints — has the layout changed?",
        "2025-12.xlsx: sheet '2.IIPnam' (iip): no column for pct_same_month_last_year of 2025-12, which the iip/2025- "
        "layout prints — has the layout changed?",
    ]
    r = imported.records
    assert set(zip(r["period"], r["measure"], strict=True)) == {
        ("2025-Q4", "pct_same_period_last_year"), ("2025", "pct_same_period_last_year"),
        ("2025-12", "pct_ytd_last_year")}
    was = {(c, p, m): v for s, c, p, m, v in expected if s == "2.IIPnam"}
    assert all(was[(f"F{cell[1:]}" if cell[0] == "C" else f"E{cell[1:]}", p, m)] == v
               for cell, p, m, v in zip(r["cell"], r["period"], r["measure"], r["value"], strict=True))


def test_december_months_and_year_on_separate_sheets_read_without_a_warning(tmp_path: Path) -> None:
    """December's edition with its IIP on two sheets — the months on "2.IIPthang", quarter IV and the year on
    "2.IIPnam" — prints everything the table must: no warning, every figure read once."""
    path, expected, _ = build_edition("2025-12", tmp_path)
    wb = openpyxl.load_workbook(path)
    months = wb.copy_worksheet(wb["2.IIPnam"])
    months.title = "2.IIPthang"
    months.delete_cols(5, 2)  # the monthly sheet: B–D (November, December on November and on December 2024)
    wb["2.IIPnam"].delete_cols(2, 3)  # the annual sheet: quarter IV and the year (E, F become B, C)
    wb.save(path)
    imported = read_workbook(path)
    assert imported.warnings == []
    moved = {"E": "B", "F": "C"}
    want = {(("2.IIPthang", c) if s == "2.IIPnam" and c[0] in "BCD" else
             (s, moved[c[0]] + c[1:]) if s == "2.IIPnam" else (s, c), p, m, v) for s, c, p, m, v in expected}
    got = {((r.sheet, r.cell), r.period, r.measure, r.value) for r in imported.records.itertuples()}
    assert got == want
