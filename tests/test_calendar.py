"""The Vietnamese lunar calendar (UTC+7), Tết, holidays and working days."""

import datetime as dt

import pytest

from vnindustry.calendar import (
    CHINA_TZ,
    lunar_to_solar,
    public_holidays,
    solar_to_lunar,
    tet_date,
    working_days,
)


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [(1985, "1985-01-21", "1985-02-20"), (2007, "2007-02-17", "2007-02-18"), (2030, "2030-02-02", "2030-02-03")],
)
def test_vietnamese_dates_differ_from_chinese(year, vietnam, china):
    assert tet_date(year).isoformat() == vietnam
    assert tet_date(year, tz=CHINA_TZ).isoformat() == china


@pytest.mark.parametrize(
    ("year", "published"),
    # Tết as published by Viet Nam's government calendars.
    [(2018, "2018-02-16"), (2019, "2019-02-05"), (2020, "2020-01-25"), (2021, "2021-02-12"),
     (2022, "2022-02-01"), (2023, "2023-01-22"), (2024, "2024-02-10"), (2025, "2025-01-29"), (2026, "2026-02-17")],
)
def test_recent_tet_dates(year, published):
    assert tet_date(year).isoformat() == published


def test_every_tet_1970_2100_against_an_independent_implementation():
    vnlunar = pytest.importorskip("vnlunar")  # dev dependency; found correct for Viet Nam
    for year in range(1970, 2101):
        d, m, y = vnlunar.convert_lunar_to_solar(1, 1, year, 0, 7)
        assert tet_date(year) == dt.date(y, m, d), year
        assert dt.date(1, 1, 21).replace(year=year) <= tet_date(year) <= dt.date(year, 2, 20)


def test_every_lunar_month_start_2000_2040_against_an_independent_implementation():
    vnlunar = pytest.importorskip("vnlunar")
    day = dt.date(2000, 1, 1)
    while day < dt.date(2041, 1, 1):
        ours = solar_to_lunar(day)
        theirs = vnlunar.convert_solar_to_lunar(day.day, day.month, day.year, 7)
        assert (ours.day, ours.month, ours.year, int(ours.leap)) == (
            theirs["day"], theirs["month"], theirs["year"], int(theirs["leap"])), day
        day += dt.timedelta(days=9)  # every ninth day: all months, leap months included


def test_round_trip_and_leap_months():
    # 2023 has a leap second month (tháng 2 nhuận): 2023-03-22 is 1/2 nhuận.
    assert solar_to_lunar(dt.date(2023, 3, 22)) == solar_to_lunar(dt.date(2023, 3, 22))
    leap = solar_to_lunar(dt.date(2023, 3, 22))
    assert (leap.month, leap.day, leap.leap) == (2, 1, True)
    assert lunar_to_solar(2023, 2, 1, leap=True) == dt.date(2023, 3, 22)
    with pytest.raises(ValueError, match="no leap month"):
        lunar_to_solar(2024, 5, 1, leap=True)
    for day in (dt.date(1999, 12, 31), dt.date(2024, 2, 9), dt.date(2025, 1, 29)):
        lunar = solar_to_lunar(day)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day


def test_holidays_2025():
    days = {h.date: h.name_vi for h in public_holidays(2025)}
    assert days[dt.date(2025, 4, 7)] == "Giỗ Tổ Hùng Vương"  # 10/3 lunar
    assert sum(1 for n in days.values() if n == "Tết Âm lịch") == 5
    assert dt.date(2025, 1, 28) in days and dt.date(2025, 2, 1) in days  # 30 Tết … mùng 4
    assert sum(1 for n in days.values() if n == "Quốc khánh") == 2


def test_working_days():
    # January 2025: 23 weekdays minus New Year's Day and the four Tết weekdays (28–31 January).
    assert working_days(2025, 1) == 18
    # February 2025: 20 weekdays minus Monday 3 February, the day off for Tết falling on Saturday 1st.
    assert working_days(2025, 2) == 19
    # January 2012: 22 weekdays; New Year's Day on Sunday → Monday 2nd off; Tết (4 days then) from Sunday
    # 22nd (the last day of the lunar year) to Wednesday 25th → 23–25 off and Thursday 26th in lieu.
    assert working_days(2012, 1) == 22 - 5
    with pytest.raises(ValueError):
        tet_date(1700)
