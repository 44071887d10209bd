"""Period codes: ``YYYY-MM`` months (also accepted on input: ``YYYYMmm`` and ``MM/YYYY``).

Months are handled internally as integer keys ``year * 12 + month - 1`` so that "the previous month"
is ``key - 1`` and "the same month last year" is ``key - 12``.
"""

from __future__ import annotations

import datetime as dt
import re

_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})M(?P<m>\d{2})$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"),
)

MONTH_FORMAT_HELP = "write months as YYYY-MM, e.g. 2025-03 (2025M03 and 03/2025 are also accepted)"
FIRST_YEAR, LAST_YEAR = 1900, 2200
"""The years a period may fall in: anything else is a typing error (``0000-01``, ``9999-12``), refused on input."""
_YEARS = r"(19\d{2}|2[01]\d{2}|2200)"
MONTH_PATTERN = rf"^{_YEARS}-(0[1-9]|1[0-2])$"
"""``YYYY-MM`` within FIRST_YEAR–LAST_YEAR, as a regular expression (for route parameters and their OpenAPI)."""
PERIOD_PATTERN = rf"^{_YEARS}(-(0[1-9]|1[0-2]|Q[1-4]))?$"
"""``YYYY``, ``YYYY-MM`` or ``YYYY-Qn`` within FIRST_YEAR–LAST_YEAR, as a regular expression."""


def parse_month(text: str) -> int | None:
    """Return the month key of ``text``, or ``None`` if it is not a valid month code."""
    text = text.strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match["y"]), int(match["m"])
            if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
                return year * 12 + month - 1
            return None
    return None


def month_key(year: int, month: int) -> int:
    """The integer key of a calendar month."""
    return year * 12 + month - 1


def month_code(key: int) -> str:
    """``YYYY-MM`` for a month key."""
    return f"{key // 12:04d}-{key % 12 + 1:02d}"


def year_of(key: int) -> int:
    """Calendar year of a month key."""
    return key // 12


def month_of(key: int) -> int:
    """Calendar month (1–12) of a month key."""
    return key % 12 + 1


_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})(?:-(?P<rest>\d{2}|Q\d)(?:-(?P<day>\d{2}))?|M(?P<m>\d{2}))?$")
_YEAR_LAST = re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$")


def period_problem(text: str) -> str | None:
    """Why ``text`` — a period as typed in a URL: ``YYYY``, ``YYYY-MM``, ``YYYY-Qn``, ``YYYY-MM-DD`` (a date),
    ``YYYYMmm`` or ``MM/YYYY`` — cannot be a period, or ``None`` when it can (or is not in one of these shapes,
    which the route's own format check refuses). Checks the year range and the month (and day) numbers."""
    text = text.strip()
    match = _YEAR_FIRST.match(text) or _YEAR_LAST.match(text)
    if match is None:
        return None
    year = int(match["y"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"the year {year} is outside {FIRST_YEAR}–{LAST_YEAR}"
    groups = match.groupdict()
    month = groups.get("m") or (groups.get("rest") if (groups.get("rest") or "Q").isdigit() else None)
    if month is not None and not 1 <= int(month) <= 12:
        return f"there is no month {int(month)} (months are 01–12)"
    quarter = groups.get("rest") if (groups.get("rest") or "").startswith("Q") else None
    if quarter is not None and quarter[1] not in "1234":
        return f"there is no quarter {quarter} (quarters are Q1–Q4)"
    if groups.get("day") is not None:
        if quarter is not None:
            return "a quarter has no day"
        try:
            dt.date(year, int(month or 0), int(groups["day"]))
        except ValueError:
            return f"there is no day {groups['day']} in {year}-{month}"
    return None
