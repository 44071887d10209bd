"""Vietnamese calendar: the lunisolar calendar at UTC+7, Tết, public holidays and working days."""

from vnindustry.calendar.holidays import Holiday, days_off, public_holidays, working_days
from vnindustry.calendar.lunar import (
    CHINA_TZ,
    VIETNAM_TZ,
    LunarDate,
    lunar_to_solar,
    solar_to_lunar,
    tet_date,
)

__all__ = [
    "CHINA_TZ",
    "VIETNAM_TZ",
    "Holiday",
    "LunarDate",
    "days_off",
    "lunar_to_solar",
    "public_holidays",
    "solar_to_lunar",
    "tet_date",
    "working_days",
]
