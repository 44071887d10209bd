"""The Vietnamese lunisolar calendar, computed astronomically for UTC+7.

Hồ Ngọc Đức's algorithm ("Thuật toán tính âm lịch", 2004): new moons and the sun's longitude from
simplified astronomical series (after Jean Meeus, *Astronomical Algorithms*), with the Vietnamese rules —
a lunar month starts on the local day (UTC+7) of the new moon; month 11 holds the winter solstice; in a
13-month year the leap month is the first without a major solar term. The Chinese calendar applies the
same rules at UTC+8, which is why Tết differs in some years (1985: 21 January in Viet Nam, 20 February
in China). Valid 1800–2199; tested against an independent implementation for 1970–2100.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

VIETNAM_TZ = 7.0
CHINA_TZ = 8.0
_SYNODIC = 29.530588853
_EPOCH_NEW_MOON = 2415021.076998695  # the new moon of 1900-01-01, Julian day


def jd_from_date(day: int, month: int, year: int) -> int:
    """Julian day number of a Gregorian (Julian before 15 Oct 1582) calendar date."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jd = day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045
    if jd < 2299161:
        jd = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return jd


def date_from_jd(jd: int) -> dt.date:
    """The calendar date of a Julian day number."""
    if jd > 2299160:
        a = jd + 32044
        b = (4 * a + 3) // 146097
        c = a - (b * 146097) // 4
    else:
        b, c = 0, jd + 32082
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = b * 100 + d - 4800 + m // 10
    return dt.date(year, month, day)


def new_moon_day(k: int, tz: float = VIETNAM_TZ) -> int:
    """Julian day number (local date at ``tz`` hours east of UTC) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # moon's mean anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # moon's argument of latitude
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 = c1 - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(dr * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return math.floor(jd1 + c1 - delta_t + 0.5 + tz / 24)


def sun_longitude_sector(jdn: int, tz: float = VIETNAM_TZ) -> int:
    """Which 30° sector (0–11) the sun's longitude is in at local midnight starting day ``jdn``."""
    t = (jdn - 2451545.5 - tz / 24) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    lon = (l0 + dl) * dr
    lon -= math.pi * 2 * math.floor(lon / (math.pi * 2))
    return math.floor(lon / math.pi * 6)


def lunar_month_11(year: int, tz: float = VIETNAM_TZ) -> int:
    """Julian day of the first day of the lunar month holding the winter solstice of ``year``."""
    k = math.floor((jd_from_date(31, 12, year) - 2415021) / _SYNODIC)
    nm = new_moon_day(k, tz)
    if sun_longitude_sector(nm, tz) >= 9:
        nm = new_moon_day(k - 1, tz)
    return nm


def leap_month_offset(a11: int, tz: float = VIETNAM_TZ) -> int:
    """Months after month 11 (starting ``a11``) of the leap month: the first with no major solar term."""
    k = math.floor((a11 - _EPOCH_NEW_MOON) / _SYNODIC + 0.5)
    i = 1
    arc = sun_longitude_sector(new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = sun_longitude_sector(new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            return i - 1


@dataclass(frozen=True)
class LunarDate:
    """A date of the lunisolar calendar; ``leap`` marks the intercalary month."""

    year: int
    month: int
    day: int
    leap: bool = False


def solar_to_lunar(date: dt.date, tz: float = VIETNAM_TZ) -> LunarDate:
    """The lunar date of a calendar date (Vietnamese calendar at the default UTC+7)."""
    day_number = jd_from_date(date.day, date.month, date.year)
    k = math.floor((day_number - _EPOCH_NEW_MOON) / _SYNODIC)
    month_start = new_moon_day(k + 1, tz)
    if month_start > day_number:
        month_start = new_moon_day(k, tz)
    a11 = lunar_month_11(date.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = date.year
        a11 = lunar_month_11(date.year - 1, tz)
    else:
        lunar_year = date.year + 1
        b11 = lunar_month_11(date.year + 1, tz)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False, tz: float = VIETNAM_TZ) -> dt.date:
    """The calendar date of a lunar date; raises ValueError for a leap month that year does not have."""
    if month < 11:
        a11, b11 = lunar_month_11(year - 1, tz), lunar_month_11(year, tz)
    else:
        a11, b11 = lunar_month_11(year, tz), lunar_month_11(year + 1, tz)
    k = math.floor(0.5 + (a11 - _EPOCH_NEW_MOON) / _SYNODIC)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = leap_month_offset(a11, tz)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    return date_from_jd(new_moon_day(k + off, tz) + day - 1)


def tet_date(year: int, tz: float = VIETNAM_TZ) -> dt.date:
    """Tết Nguyên Đán (lunar 1/1) of ``year``; ``tz=8`` gives the Chinese New Year instead."""
    if not 1800 <= year <= 2199:
        raise ValueError(f"year {year} is outside 1800–2199")
    return lunar_to_solar(year, 1, 1, tz=tz)
