"""What the bulletin's sections share: the status words, the GSO row codes the text needs, the cells of the
official-layout tables (GSO's index style, "c" for a withheld figure) and the Tết-adjusted sentence.

The sections: :mod:`~vnindustry.publish.iip_section`, :mod:`~vnindustry.publish.product_section`,
:mod:`~vnindustry.publish.retail_section`, :mod:`~vnindustry.publish.trade_section`; the document that holds
them: :mod:`~vnindustry.publish.bulletin`.
"""

from __future__ import annotations

import math

from vnindustry.analysis.indicators import Line, TableView
from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.publish.document import CONFIDENTIAL_NOTE, WITHHELD, Withheld
from vnindustry.publish.numbers import format_number
from vnindustry.publish.wording import change, month_name
from vnindustry.store.records import STATUS_VI

STATUS_EN = {"estimate": "estimate", "preliminary": "preliminary", "actual": "actual"}

# Codes the GSO importer gives to the rows the text needs (sources/gso/labels.py).
RETAIL_GOODS = ("ban-le-hang-hoa",)
CRUDE_OIL = ("dau-tho",)
DOMESTIC = ("khu-vuc-kinh-te-trong-nuoc",)
FOREIGN = ("khu-vuc-co-von-dau-tu-nn", "khu-vuc-co-von-dau-tu-nuoc-ngoai")


def status_word(status: str, lang: str) -> str:
    """A figure's status as printed: "ước tính" / "estimate" …"""
    return STATUS_VI.get(status, status) if lang == "vi" else STATUS_EN.get(status, status)


def year_month(period: str) -> tuple[int, int]:
    """ "2025-02" → (2025, 2)."""
    key = parse_month(period)
    assert key is not None
    return year_of(key), month_of(key)


def said(x: float, lang: str, then: str = "") -> str:
    """ "tăng 3,4%" plus what it is compared with, or "" for a missing figure."""
    c = change(x, lang)
    return f"{c}{then}" if c else ""


def index_cell(change_pct: float, withheld: bool = False) -> float | Withheld | None:
    """A change (−3,25) back in GSO's index style (96,75) for the official-layout tables; a gap in a row with
    confidential figures (``withheld``) is shown as "c"."""
    if math.isnan(change_pct):
        return WITHHELD if withheld else None
    return 100.0 + change_pct


def level_cell(value: float, withheld: bool = False) -> float | Withheld | None:
    """A level for a table: "c" when withheld, empty when missing."""
    if math.isnan(value):
        return WITHHELD if withheld else None
    return value


def withheld_notes(rows: list[list[object]], lang: str) -> list[str]:
    """The note explaining "c", when a table shows it."""
    return [CONFIDENTIAL_NOTE[lang]] if any(isinstance(v, Withheld) for row in rows for v in row) else []


def pct_text(x: float, lang: str) -> str:
    """ "12,3%" (one decimal)."""
    return f"{format_number(x, 1, lang)}%"


def tet_sentence(view: TableView, line: Line, period: str, subject_vi: str, subject_en: str, lang: str, *,
                 ytd_said: bool = False) -> str | None:
    """January and February only: the change on a year earlier with Tết and working-day effects removed
    (from the stored calendar-adjusted series) and, in February, the combined January–February growth."""
    _, month = year_month(period)
    if month not in (1, 2):
        return None
    from vnindustry.analysis.seasonal.stored import tet_rate_usable

    # No Tết-adjusted rate where X-13 could not separate the Tết effect (issue 13).
    adjusted = view.adjusted(line.code) if tet_rate_usable(view.rows, line.code) else None
    rate = adjusted.same_month_last_year if adjusted is not None else math.nan
    # The published year to date if there is one (unless the text already said it), else from levels.
    combined = math.nan
    if month == 2 and not ytd_said:
        combined = line.ytd if not math.isnan(line.ytd) else view.combined_growth(line.code, period)
    parts = []
    if lang == "vi":
        if not math.isnan(rate):
            parts.append(f"Loại trừ yếu tố Tết, {subject_vi} {month_name(period, lang)} {change(rate, lang)} so với "
                         "cùng kỳ năm trước")
        if not math.isnan(combined):
            parts.append(f"tính chung 2 tháng đầu năm, {subject_vi} {change(combined, lang)} so với cùng kỳ")
        if not parts:
            return None
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "."
    if not math.isnan(rate):
        parts.append(f"Adjusted for Tet and working days, {subject_en} for {month_name(period, lang)}: "
                     f"{change(rate, lang)} on a year earlier")
    if not math.isnan(combined):
        parts.append(f"January and February together: {change(combined, lang)}")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
