"""Viet Nam's public holidays and working days per month.

Rules by period (Labour Code 2019 art. 112 from 2021; Labour Code 2012 for 2013–2020; the 1994 code as
amended in 2007 before that):

| holiday | days |
|---|---|
| Tết Dương lịch (1 January) | 1 |
| Tết Âm lịch | 4 until 2012 (the last day of the lunar year and 1–3 Tết), 5 from 2013 (the last day and 1–4 Tết) |
| Giỗ Tổ Hùng Vương (10/3 lunar) | 1, from 2007 |
| Ngày Chiến thắng (30 April), Quốc tế Lao động (1 May) | 1 each |
| Quốc khánh (2 September) | 1; 2 from 2021 (with 1 or 3 September, as the government fixes each year) |

The government fixes the exact Tết days each year (often 2 days before and 3 after lunar 1/1); the
rule above is the usual pattern, not the decree of each year. A holiday on a weekend gives a day off on
the next working day. Working days are Monday–Friday (the civil-service week) minus those days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache

from vnindustry.calendar.lunar import lunar_to_solar, tet_date

# The second National Day holiday as fixed by the government (1 or 3 September).
_NATIONAL_DAY_SECOND = {2021: 3, 2022: 1, 2023: 1, 2024: 3, 2025: 1}


@dataclass(frozen=True)
class Holiday:
    """A public holiday: its date and Vietnamese/English names."""

    date: dt.date
    name_vi: str
    name_en: str


@cache
def public_holidays(year: int) -> tuple[Holiday, ...]:
    """Public holidays falling in calendar year ``year`` (Tết days of the lunar year that starts in it)."""
    out = [Holiday(dt.date(year, 1, 1), "Tết Dương lịch", "New Year's Day")]
    tet = tet_date(year)
    tet_days = 5 if year >= 2013 else 4
    for i in range(-1, tet_days - 1):
        day = tet + dt.timedelta(days=i)
        out.append(Holiday(day, "Tết Âm lịch", "Lunar New Year (Tết)"))
    if year >= 2007:
        out.append(Holiday(lunar_to_solar(year, 3, 10), "Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration Day"))
    out.append(Holiday(dt.date(year, 4, 30), "Ngày Chiến thắng", "Reunification Day"))
    out.append(Holiday(dt.date(year, 5, 1), "Ngày Quốc tế Lao động", "International Labour Day"))
    out.append(Holiday(dt.date(year, 9, 2), "Quốc khánh", "National Day"))
    if year >= 2021:
        out.append(Holiday(dt.date(year, 9, _NATIONAL_DAY_SECOND.get(year, 3)), "Quốc khánh", "National Day"))
    return tuple(sorted(out, key=lambda h: h.date))


@cache
def days_off(year: int) -> frozenset[dt.date]:
    """Weekday dates with no work in ``year``: holidays on Mon–Fri, and the next working day for each
    holiday on a weekend (nghỉ bù)."""
    holiday_dates = {h.date for h in public_holidays(year)} | {h.date for h in public_holidays(year + 1)
                                                               if h.date.year == year}
    off: set[dt.date] = set()
    for day in sorted(holiday_dates):
        if day.weekday() < 5:
            off.add(day)
    for day in sorted(holiday_dates):
        if day.weekday() >= 5:
            substitute = day
            while substitute.weekday() >= 5 or substitute in holiday_dates or substitute in off:
                substitute += dt.timedelta(days=1)
            if substitute.year == year:
                off.add(substitute)
    return frozenset(off)


def working_days(year: int, month: int) -> int:
    """Monday–Friday days of the month that are not public holidays or substitute days off."""
    n_days = calendar.monthrange(year, month)[1]
    off = days_off(year)
    return sum(
        1 for d in range(1, n_days + 1)
        if (day := dt.date(year, month, d)).weekday() < 5 and day not in off
    )
