"""Period codes: ``YYYY-MM`` months (also accepted on input: ``YYYYMmm`` and ``MM/YYYY``).

Months are handled internally as integer keys ``year * 12 + month - 1`` so that "the previous month"
is ``key - 1`` and "the same month last year" is ``key - 12``.
"""

from __future__ import annotations

import re

_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})M(?P<m>\d{2})$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"),
)

MONTH_FORMAT_HELP = "write months as YYYY-MM, e.g. 2025-03 (2025M03 and 03/2025 are also accepted)"


def parse_month(text: str) -> int | None:
    """Return the month key of ``text``, or ``None`` if it is not a valid month code."""
    text = text.strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match["y"]), int(match["m"])
            if 1 <= month <= 12 and 1800 <= year <= 2200:
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
