"""Calendar regressors for X-13: Tết windows in the manner of the Census Bureau's genhol, and working days.

A **Tết window** is a span of days relative to Tết (day 0 = the first day of the lunar year, UTC+7):
"before" ``[-14, -1]`` (shopping and the rush to ship before the holiday), "during" ``[0, 6]`` (factories
and offices closed), "after" ``[7, 20]`` (the slow restart). For each month the raw regressor is the share
of the window's days that fall in that month (genhol's ``type=share``-like construction): a window of 14
days of which 9 fall in January gives 9/14 in January and 5/14 in February.

The shares are then **centred**: from each month we subtract the mean share of that calendar month over a
long span (1970–2070 by default, genhol's ``center=calendar``). Without that the regressor would have a
non-zero mean in January and February and would take some of the ordinary seasonal pattern away from X-11,
whose seasonal factors are meant to hold it; centred, the Tết factors average 1 for each calendar month
over the long run and say only how this year's Tết date differs from the typical one.

The **working-day** regressor is the month's number of working days (Monday–Friday less public holidays,
:func:`vnindustry.calendar.working_days`) minus the calendar month's long-run mean. By default the Tết days
off are counted as working days here (``exclude_tet=True``): the Tết windows already model the holiday, and
counting it twice would make the two regressors collinear in January and February and split one effect
between them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from vnindustry.calendar import days_off, tet_date, working_days

__all__ = [
    "CANDIDATE_AFTER",
    "CANDIDATE_BEFORE",
    "CANDIDATE_DURING",
    "CENTRE_SPAN",
    "DEFAULT_WINDOWS",
    "TetWindow",
    "candidate_windows",
    "tet_regressor",
    "tet_regressors",
    "working_day_regressor",
]

#: Years over which each calendar month's mean is taken when centring (genhol's long-run centring).
CENTRE_SPAN: tuple[int, int] = (1970, 2070)
#: Years the calendar module covers; regressors cannot be computed outside them.
_CALENDAR_SPAN = (1900, 2100)
_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")


@dataclass(frozen=True, order=True)
class TetWindow:
    """Days ``start`` … ``end`` (inclusive) relative to Tết, under a short name ("before", "during" …).

    The name becomes the X-13 variable ``tet_<name>``; it must be lower-case letters and digits.
    """

    name: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"Tết window name {self.name!r}: use 1–12 lower-case letters or digits")
        if self.start > self.end:
            raise ValueError(f"Tết window {self.name}: start {self.start} is after end {self.end}")
        if self.end - self.start > 60 or abs(self.start) > 60 or abs(self.end) > 60:
            raise ValueError(f"Tết window {self.name}: keep within 60 days of Tết")

    @property
    def variable(self) -> str:
        """The X-13 user regressor's name."""
        return f"tet_{self.name}"

    @property
    def length(self) -> int:
        """Days in the window."""
        return self.end - self.start + 1

    def __str__(self) -> str:
        return f"{self.name}[{self.start},{self.end}]"


#: The windows used while the ARIMA model and outliers are identified, and by ``tet=True``.
DEFAULT_WINDOWS: tuple[TetWindow, ...] = (
    TetWindow("before", -10, -1), TetWindow("during", 0, 6), TetWindow("after", 7, 20))
#: Candidate window lengths compared by AICc under ``tet="auto"`` (4 × 2 × 2 = 16 combinations).
CANDIDATE_BEFORE: tuple[int, ...] = (7, 10, 14, 20)
CANDIDATE_DURING: tuple[tuple[int, int], ...] = ((0, 3), (0, 6))
CANDIDATE_AFTER: tuple[tuple[int, int], ...] = ((7, 14), (7, 20))


def candidate_windows(
    before: Iterable[int] = CANDIDATE_BEFORE,
    during: Iterable[tuple[int, int]] = CANDIDATE_DURING,
    after: Iterable[tuple[int, int]] = CANDIDATE_AFTER,
) -> list[tuple[TetWindow, ...]]:
    """Every combination of one "before", one "during" and one "after" window.

    Args:
        before: lengths in days of the window ending the day before Tết (``[-n, -1]``).
        during: ``(start, end)`` of the holiday window.
        after: ``(start, end)`` of the restart window.
    """
    combos = []
    for b, d, a in itertools.product(before, during, after):
        combos.append((TetWindow("before", -int(b), -1), TetWindow("during", *d), TetWindow("after", *a)))
    return combos


@cache
def _tet(year: int) -> dt.date:
    return tet_date(year)


@cache
def _raw_shares(start: int, end: int, first_year: int, last_year: int) -> np.ndarray:
    """Raw shares (years × 12) for calendar years ``first_year`` … ``last_year``."""
    shares = np.zeros((last_year - first_year + 1, 12))
    length = end - start + 1
    # A window can reach into December before Tết or into March after it, so the Tết of the years on
    # either side of the span contribute too.
    lo, hi = max(first_year - 1, _CALENDAR_SPAN[0]), min(last_year + 1, _CALENDAR_SPAN[1])
    for year in range(lo, hi + 1):
        tet = _tet(year)
        for offset in range(start, end + 1):
            day = tet + dt.timedelta(days=offset)
            if first_year <= day.year <= last_year:
                shares[day.year - first_year, day.month - 1] += 1.0 / length
    return shares


def _periods(periods: pd.PeriodIndex | Sequence[pd.Period]) -> pd.PeriodIndex:
    index = pd.PeriodIndex(periods, freq="M")
    if len(index) and (index.min().year < _CALENDAR_SPAN[0] + 1 or index.max().year > _CALENDAR_SPAN[1] - 1):
        raise ValueError(f"calendar regressors cover {_CALENDAR_SPAN[0] + 1}–{_CALENDAR_SPAN[1] - 1} only")
    return index


def _lookup(table: np.ndarray, first_year: int, index: pd.PeriodIndex) -> np.ndarray:
    years = np.asarray(index.year) - first_year
    months = np.asarray(index.month) - 1
    return table[years, months]


def _span_of(index: pd.PeriodIndex, centre_span: tuple[int, int]) -> tuple[int, int]:
    first = min(int(index.min().year), centre_span[0]) if len(index) else centre_span[0]
    last = max(int(index.max().year), centre_span[1]) if len(index) else centre_span[1]
    return first, last


def tet_regressor(window: TetWindow, periods: pd.PeriodIndex | Sequence[pd.Period], *,
                  centre_span: tuple[int, int] = CENTRE_SPAN) -> pd.Series:
    """The centred Tết regressor of one window on monthly ``periods``.

    Args:
        window: the days around Tết.
        periods: monthly periods (any span within 1901–2099).
        centre_span: years whose calendar-month means are subtracted.

    Returns:
        A Series named ``tet_<name>`` on ``periods``: share of the window in the month minus that calendar
        month's mean share over ``centre_span``.
    """
    index = _periods(periods)
    first, last = _span_of(index, centre_span)
    table = _raw_shares(window.start, window.end, first, last)
    means = table[centre_span[0] - first: centre_span[1] - first + 1].mean(axis=0)
    values = _lookup(table - means, first, index)
    return pd.Series(values, index=index, name=window.variable)


def tet_regressors(windows: Sequence[TetWindow], periods: pd.PeriodIndex | Sequence[pd.Period], *,
                   centre_span: tuple[int, int] = CENTRE_SPAN) -> pd.DataFrame:
    """The centred regressors of several windows, one column each (see :func:`tet_regressor`)."""
    index = _periods(periods)
    names = [w.name for w in windows]
    if len(set(names)) != len(names):
        raise ValueError(f"Tết window names must differ: {names}")
    return pd.DataFrame({w.variable: tet_regressor(w, index, centre_span=centre_span) for w in windows},
                        index=index)


@cache
def _working_days_table(first_year: int, last_year: int, exclude_tet: bool) -> np.ndarray:
    table = np.zeros((last_year - first_year + 1, 12))
    for year in range(first_year, last_year + 1):
        tet = _tet(year)
        # Tết days off: the holiday (last day of the old year and the first days of the new) and the
        # substitute days for its weekend days, all within a few days of Tết.
        tet_off = [d for d in days_off(year) if -3 <= (d - tet).days <= 12] if exclude_tet else []
        for month in range(1, 13):
            table[year - first_year, month - 1] = working_days(year, month) + sum(d.month == month for d in tet_off)
    return table


def working_day_regressor(periods: pd.PeriodIndex | Sequence[pd.Period], *,
                          centre_span: tuple[int, int] = CENTRE_SPAN, exclude_tet: bool = True) -> pd.Series:
    """Working days in each month minus the calendar month's mean over ``centre_span``.

    Args:
        periods: monthly periods.
        centre_span: years whose calendar-month means are subtracted.
        exclude_tet: count Tết days off as working days (the Tết regressors model the holiday).

    Returns:
        A Series named ``workdays`` on ``periods`` (days; e.g. +1.2 = one working day more than usual).
    """
    index = _periods(periods)
    first, last = _span_of(index, centre_span)
    table = _working_days_table(first, last, exclude_tet)
    means = table[centre_span[0] - first: centre_span[1] - first + 1].mean(axis=0)
    return pd.Series(_lookup(table - means, first, index), index=index, name="workdays")
