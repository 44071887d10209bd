"""Dates and times as each language writes them, one format per language (issue 13).

Vietnamese pages write a day as ``07/12/2026`` (dd/mm/yyyy, as Vietnamese offices and GSO's releases do) and
English pages as ``7 December 2026`` — never the ISO ``2026-12-07`` of the data files and URLs. A moment (a
report's submission, a closing) is Vietnam's local time: ``07/12/2026 09:30`` / ``7 December 2026, 09:30``.

The portal's pages and the public pages import :func:`format_date` from here, so the two never drift apart.
"""

from __future__ import annotations

import datetime as dt

VIETNAM = dt.timezone(dt.timedelta(hours=7))  # the city's clock (no daylight saving)
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def format_date(day: dt.date | None, lang: str) -> str:
    """A day as ``lang`` writes it: vi "07/12/2026", en "7 December 2026"; "–" for none."""
    if day is None:
        return "–"
    if isinstance(day, dt.datetime):
        day = day.date()
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_datetime(moment: dt.datetime | None, lang: str) -> str:
    """A stored moment as Vietnam's local time: vi "07/12/2026 09:30", en "7 December 2026, 09:30"; a naive
    value is taken as UTC (the store keeps UTC); "–" for none."""
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(VIETNAM)
    sep = ", " if lang == "en" else " "
    return f"{format_date(local.date(), lang)}{sep}{local:%H:%M}"


def format_month(period: str, lang: str) -> str:
    """A month ``YYYY-MM`` without the word "tháng": vi "12/2026", en "December 2026" (for "Tháng 12/2026",
    "Báo cáo tháng 12/2026", where the word is already there)."""
    year, month = int(period[:4]), int(period[5:7])
    if lang == "en":
        return f"{MONTHS_EN[month - 1]} {year}"
    return f"{month}/{year}"
