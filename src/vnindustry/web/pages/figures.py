"""Figures in the pages' style: :func:`num`, :func:`pct` and :func:`signed` ("–" when missing, "c" when
confidential), formatted as :func:`vnindustry.publish.numbers.format_number` does, fast for vi and en
(:func:`format_figure`)."""

from __future__ import annotations

import math

from vnindustry.publish.numbers import format_number, round_half_up
from vnindustry.web.formats import CONFIDENTIAL

# The vi_VN and en_US marks of Babel's "#,##0.0…" patterns (publish.numbers): a table cell formats as
# format_number does, in a tenth of the time (a products page shows ~900 figures). Python's "," grouping
# and fixed decimals agree with Babel on the half-up rounded value, whose shortest repr has at most
# ``decimals`` decimals below 10^12 (tests/test_pages.py compares the two); anything else goes to Babel.
_MARKS = {"vi": str.maketrans(",.", ".,"), "en": str.maketrans("", "")}


def format_figure(value: float, decimals: int, lang: str) -> str:
    """``format_number(value, decimals, lang)``, fast for vi and en."""
    marks = _MARKS.get(lang)
    if marks is None or not abs(value) < 1e12:
        return format_number(value, decimals, lang)
    return f"{round_half_up(value, decimals):,.{decimals}f}".translate(marks)


def num(value: float, decimals: int, lang: str, withheld: bool = False) -> str:
    """A figure, "–" when missing, or "c" when missing because confidential (``withheld``)."""
    if value is None or math.isnan(value):
        return CONFIDENTIAL if withheld else "–"
    return format_figure(value, decimals, lang)


def pct(value: float, lang: str, withheld: bool = False) -> str:
    """``format_pct(value, 1, lang)``: "+3,4%" / "-4,4%" (fast, as :func:`format_figure`); "–" or "c"
    when missing."""
    if value is None or math.isnan(value):
        return CONFIDENTIAL if withheld else "–"
    rounded = round_half_up(value, 1)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "")
    return f"{sign}{format_figure(abs(rounded), 1, lang)}%"


def signed(value: float, decimals: int, lang: str, withheld: bool = False) -> str:
    """A signed figure, "+0,37" / "-1,51" (percentage points of a contribution); "–" or "c" when missing."""
    if value is None or math.isnan(value):
        return CONFIDENTIAL if withheld else "–"
    rounded = round_half_up(value, decimals)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "")
    return f"{sign}{format_figure(abs(rounded), decimals, lang)}"
