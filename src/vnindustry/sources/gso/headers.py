"""What a GSO column header says: the period it covers, the status word, and the measure.

Headers are read as one text per column (the cells of the header rows joined top to bottom) and matched
after :func:`~vnindustry.sources.gso.labels.fold` (lowercase ASCII), so "Ước tính tháng 1 năm 2021",
"Ước tính / tháng 01 / năm / 2021" (one word per row) and "ước tính tháng 01/2021" read the same.

The period is taken from the part before "so với" ("compared with"): in "Tháng 1 năm 2021 so với cùng
kỳ năm 2020" the column is about January 2021, not 2020.

GSO's own spelling varies between editions and typists; :func:`normalise_header` reads the variants alike
before any pattern is tried: a word typed twice ("Tháng 12 năm năm 2025"), "T12" for "tháng 12", "Quý 4" for
"Quý IV" (and "quí", "kì"), "Cả năm", a bracket glued to a word ("năm trước(%)"), a number glued to its word
("tháng12"). A month, quarter or "N tháng" printed without its year ("Ước tính tháng 12", "Ước tính quý IV")
is the one that ends at or before the workbook's reference month (:func:`parse_period`'s ``reference``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vnindustry.periods import month_code, month_key, month_of, year_of

__all__ = ["Period", "comparison_kind", "derive_measure", "normalise_header", "parse_period", "parse_status",
           "split_comparison"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Spelling variants, rewritten in folded text (order matters: glued numbers are split before "t12" is read).
_VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"([^\s(])\("), r"\1 ("),  # "năm trước(%)"
    (re.compile(r"\)([^\s)])"), r") \1"),
    (re.compile(r"\b(thang|quy|qui|nam)(\d)"), r"\1 \2"),  # "tháng12", "năm2025"
    (re.compile(r"\bt\.? ?(\d{1,2})\b(?! thang)"), r"thang \1"),  # "T12", "T.12" (not "12 tháng")
    (re.compile(r"\bq\.? ?(iv|iii|ii|i|[1-4])\b"), r"quy \1"),  # "Q4", "QIV"
    (re.compile(r"\bqui\b"), "quy"),  # "quí" (the older spelling)
    (re.compile(r"\bki\b"), "ky"),  # "cùng kì"
    (re.compile(r"\b(\w+)(?: \1\b)+"), r"\1"),  # a word typed twice: "năm năm 2025"
    (re.compile(r"\bca nam\b"), "nam"),  # "Cả năm 2025" is the year 2025
)

_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_QUARTER = re.compile(r"\bquy (iv|iii|ii|i|[1-4])\b(?:.*?\b(\d{4})\b)?")
# "2 tháng năm 2025", "02 tháng năm 2025", "cộng dồn 2 tháng năm 2025", "6 tháng đầu năm 2025".
# The digits must not follow "tháng" ("tháng 2 tháng" does not occur; "tháng 12 năm" is a month).
_YTD = re.compile(r"(?<!thang )\b(\d{1,2}) thang(?: dau)?(?: nam)?\s*[/-]?\s*(\d{4})\b")
_YTD_NO_YEAR = re.compile(r"(?<!thang )\b(\d{1,2}) thang\b")
# "tháng 1 năm 2021", "tháng 01/2021", "tháng 12 năm 2020", "tháng 02 năm 2025".
_MONTH = re.compile(r"\bthang (\d{1,2})(?:\s*(?:nam|/|-)\s*|\s+)(\d{4})\b")
_MONTH_NO_YEAR = re.compile(r"\bthang (\d{1,2})\b")
_YEAR = re.compile(r"\bnam (\d{4})\b")
_YEAR_ALONE = re.compile(r"^(?:(?:uoc tinh|uoc thuc hien|uoc th|uoc|so bo|thuc hien|chinh thuc|cong don|luy ke) )?nam$")

# Status words, most specific first: "Ước thực hiện" is an estimate, not an actual.
_STATUS = (
    (re.compile(r"\bso bo\b"), "preliminary"),
    (re.compile(r"\buoc\b"), "estimate"),
    (re.compile(r"\b(thuc hien|chinh thuc)\b"), "actual"),
)

# The measure a column rule's kind becomes for each kind of period (see the package docstring).
_MEASURES: dict[tuple[str, str], str] = {
    ("level", "month"): "level",
    ("level", "ytd"): "level_ytd",
    ("level", "quarter"): "level",
    ("level", "year"): "level",
    ("pct_prev", "month"): "pct_prev_month",
    ("pct_prev", "quarter"): "pct_prev_period",
    ("pct_same", "month"): "pct_same_month_last_year",
    ("pct_same", "ytd"): "pct_ytd_last_year",
    ("pct_same", "quarter"): "pct_same_period_last_year",
    ("pct_same", "year"): "pct_same_period_last_year",
    ("share", "month"): "share_pct",
    ("share", "ytd"): "share_pct_ytd",
    ("share", "quarter"): "share_pct",
    ("share", "year"): "share_pct",
}


@dataclass(frozen=True, slots=True)
class Period:
    """The period a column is about.

    Attributes:
        code: "YYYY-MM" (a month, or the last month of a year-to-date), "YYYY-Qn" or "YYYY".
        kind: "month", "ytd" (January to ``code``), "quarter" or "year".
        end: month key (:mod:`vnindustry.periods`) of the last month covered.
    """

    code: str
    kind: str
    end: int


def normalise_header(folded: str) -> str:
    """A folded header with GSO's spelling variants rewritten to one form (see the module docstring)."""
    text = folded
    for pattern, replacement in _VARIANTS:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def split_comparison(folded: str) -> tuple[str, str]:
    """``(subject, comparison)``: the folded header before and after "so với"."""
    head, sep, tail = folded.partition("so voi")
    return head.strip(), (sep + tail).strip()


def parse_period(subject: str, reference: int | None = None) -> Period | None:
    """The period named in a folded header subject (the part before "so với"), or ``None``.

    ``reference``: the month key of the workbook's reference month; with it, a month, quarter or "N tháng"
    printed without a year ("Ước tính tháng 12", "Quý IV", "9 tháng") is the latest one ending at or before
    the reference month, and "Năm" / "Cả năm" alone is the reference year (December's edition).
    """
    found = _parse_period(subject)
    if found is not None or reference is None:
        return found
    year, ref_month = year_of(reference), month_of(reference)
    if (m := _QUARTER.search(subject)) and not m[2]:
        quarter = _ROMAN[m[1]]
        y = year if 3 * quarter <= ref_month else year - 1
        return Period(f"{y}-Q{quarter}", "quarter", month_key(y, 3 * quarter))
    if m := _YTD_NO_YEAR.search(subject):
        months = int(m[1])
        if 1 <= months <= ref_month:
            key = month_key(year, months)
            return Period(month_code(key), "ytd", key)
        return None
    if m := _MONTH_NO_YEAR.search(subject):
        month = int(m[1])
        if 1 <= month <= 12:
            key = month_key(year if month <= ref_month else year - 1, month)
            return Period(month_code(key), "month", key)
        return None
    if _YEAR_ALONE.match(subject) and ref_month == 12:
        return Period(str(year), "year", month_key(year, 12))
    return None


def comparison_kind(subject: Period, comparison: str, reference: int | None = None) -> str | None:
    """"pct_prev" or "pct_same" from the period a header compares with, when it names one ("Tháng 12 năm 2025 so
    với tháng 12 năm 2024", "Quý IV năm 2025 so với quý III năm 2025"); ``None`` if it names none or another."""
    _, _, tail = comparison.partition("so voi")
    other = parse_period(tail.strip(), reference)
    if other is None or other.kind != subject.kind:
        return None
    gap = subject.end - other.end
    if gap == 12:
        return "pct_same"
    if (subject.kind == "month" and gap == 1) or (subject.kind == "quarter" and gap == 3):
        return "pct_prev"
    return None


def _parse_period(subject: str) -> Period | None:
    if m := _DATE.search(subject):
        # A point in time ("thời điểm 01/02/2025", the labour index) belongs to the month it falls in.
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if 1 <= day <= 31 and 1 <= month <= 12:
            key = month_key(year, month)
            return Period(month_code(key), "month", key)
        return None
    if (m := _QUARTER.search(subject)) and m[2]:
        quarter, year = _ROMAN[m[1]], int(m[2])
        return Period(f"{year}-Q{quarter}", "quarter", month_key(year, 3 * quarter))
    if m := _YTD.search(subject):
        months, year = int(m[1]), int(m[2])
        if 1 <= months <= 12:
            key = month_key(year, months)
            return Period(month_code(key), "ytd", key)
        return None
    if m := _MONTH.search(subject):
        month, year = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            key = month_key(year, month)
            return Period(month_code(key), "month", key)
        return None
    if m := _YEAR.search(subject):
        year = int(m[1])
        return Period(str(year), "year", month_key(year, 12))
    return None


def parse_status(folded: str) -> str | None:
    """The status word of a folded header: "estimate", "preliminary", "actual" or ``None`` (none printed)."""
    for pattern, status in _STATUS:
        if pattern.search(folded):
            return status
    return None


def derive_measure(kind: str, period_kind: str) -> str | None:
    """The record measure for a column rule ``kind`` and a period kind; ``None`` if the pair makes no sense."""
    return _MEASURES.get((kind, period_kind))
