"""The demo city's seasons: the Tết dates, the calendar-month profiles with their Tết holiday and rush factors,
the Tết windows, and the Tết factor of a profile in each month (see the package docstring, ``Tết``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal.regressors import TetWindow, tet_regressor
from vnindustry.calendar import tet_date

# Tết Nguyên đán (first day of the lunar year, Vietnam, UTC+7). A stop-gap table until the calendar
# package computes the lunar calendar; 2018–2025 as given in the issue, the neighbouring years from the
# published lunar calendars (they coincide with the Chinese New Year in these years).
TET_DATES: dict[int, date] = {
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
}


# Calendar-month profiles (Jan..Dec, normalised to mean 1 below), the Tết holiday factor (a month holding
# every day of the holiday window) and the pre-Tết rush factor (a month holding every day of the rush
# window, for consumer goods); see TET_WINDOWS.
_PROFILES: dict[str, tuple[tuple[float, ...], float, float]] = {
    "mfg": ((0.97, 0.95, 1.00, 0.99, 1.00, 1.00, 1.00, 1.01, 1.02, 1.03, 1.05, 1.08), 0.78, 1.03),
    "food": ((1.00, 0.95, 0.97, 0.96, 0.98, 0.98, 0.99, 1.00, 1.03, 1.04, 1.05, 1.10), 0.82, 1.10),
    "bev": ((1.00, 0.95, 1.02, 1.08, 1.08, 1.03, 1.00, 0.98, 0.97, 0.96, 0.98, 1.10), 0.85, 1.15),
    "print": ((1.00, 0.90, 0.98, 0.98, 0.98, 1.00, 1.03, 1.05, 1.03, 1.02, 1.05, 1.10), 0.75, 1.05),
    "mining": ((1.05, 1.00, 1.05, 1.05, 1.00, 0.95, 0.93, 0.92, 0.92, 0.95, 1.00, 1.05), 0.80, 1.00),
    "power": ((0.95, 0.93, 1.03, 1.08, 1.07, 1.02, 1.00, 0.99, 0.98, 0.98, 0.98, 0.99), 0.92, 1.00),
    "water": ((0.99, 0.97, 1.02, 1.04, 1.04, 1.01, 0.99, 0.99, 0.98, 0.99, 0.99, 1.00), 0.96, 1.01),
    "util": ((1.00, 0.97, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.01, 1.03), 0.93, 1.02),
    # product-level patterns
    "school": ((0.80, 0.70, 0.80, 0.80, 1.00, 1.30, 1.60, 1.50, 1.00, 0.80, 0.80, 0.90), 0.78, 1.00),
    # Mid-Autumn cakes: most output in August–September, but makers bake other cakes all year, so the
    # peak stays within ~6× an ordinary month (a real unit slip is ~1000×).
    "mooncake": ((0.40, 0.30, 0.40, 0.40, 0.45, 0.60, 1.20, 2.30, 2.50, 1.00, 0.45, 0.40), 1.00, 1.00),
    "calendar": ((0.60, 0.50, 0.70, 0.70, 0.80, 0.80, 0.90, 1.00, 1.20, 1.50, 1.70, 1.60), 0.80, 1.00),
    "salt": ((1.60, 1.80, 1.90, 1.80, 1.20, 0.40, 0.20, 0.20, 0.20, 0.30, 0.80, 1.40), 0.85, 1.00),
}
#: The profile names (each product follows one).
PROFILES: tuple[str, ...] = tuple(sorted(_PROFILES))

#: The planted Tết effect: days relative to Tết (day 0 = the first day of the lunar year). Output in the
#: rush is multiplied by the profile's rush factor, in the holiday by its holiday factor, in the restart by
#: the square root of the holiday factor (half the loss); a month gets each factor to the power of the
#: share of the window's days that fall in it. The windows are among those the adjustment compares
#: (analysis/seasonal/regressors.py), so the test of the adjustment asks whether it finds an effect it can
#: represent — the question the centring, the outlier rule and the transform decide.
TET_WINDOWS: tuple[TetWindow, ...] = (
    TetWindow("rush", -14, -1), TetWindow("holiday", 0, 6), TetWindow("restart", 7, 20))
TetEffect = Literal["planted", "none", "typical"]
#: ``planted``: each year's own Tết; ``none``: no Tết effect; ``typical``: each calendar month's average
#: effect over the regressors' centring span (the share of Tết that is ordinary seasonality).
TET_EFFECTS: tuple[str, ...] = ("planted", "none", "typical")


def tet_factors(profile: str, periods: Sequence[str], effect: TetEffect = "planted") -> np.ndarray:
    """The Tết factor the generator applies to a product of ``profile`` in each month (1 = no effect).

    Args:
        profile: a profile name (:data:`PROFILES`).
        periods: months, ``YYYY-MM``.
        effect: ``planted`` (each year's Tết), ``none`` (all 1) or ``typical`` (each calendar month's
            average over the adjustment's centring span: what the centred Tết regressors leave in the
            seasonal factors and in the calendar-adjusted series).

    Returns:
        One factor a month: ``rush^s_rush · holiday^s_holiday · √holiday^s_restart``, ``s`` being the
        share of the window's days in the month (each year's shares, or their calendar-month means).
    """
    if profile not in _PROFILES:
        raise ValueError(f"unknown profile {profile!r}; one of {', '.join(PROFILES)}")
    if effect not in TET_EFFECTS:
        raise ValueError(f"effect must be one of {', '.join(TET_EFFECTS)}, got {effect!r}")
    index = pd.PeriodIndex(list(periods), freq="M")
    if effect == "none" or not len(index):
        return np.ones(len(index))
    _monthly, holiday, rush = _PROFILES[profile]
    logs = {"rush": math.log(rush), "holiday": math.log(holiday), "restart": 0.5 * math.log(holiday)}
    total = np.zeros(len(index))
    for window in TET_WINDOWS:
        shares = _window_shares(window, index)
        if effect == "typical":
            # The centred regressor is the share minus its calendar-month mean: the mean is what is left.
            shares = shares - tet_regressor(window, index).to_numpy()
        total += logs[window.name] * shares
    return np.exp(total)


def _window_shares(window: TetWindow, index: pd.PeriodIndex) -> np.ndarray:
    """Share of the window's days in each month of ``index`` (each year's own Tết)."""
    position = {(p.year, p.month): i for i, p in enumerate(index)}
    shares = np.zeros(len(index))
    for year in range(int(index.min().year) - 1, int(index.max().year) + 2):
        tet = tet_date(year)
        for offset in range(window.start, window.end + 1):
            day = tet + timedelta(days=offset)
            i = position.get((day.year, day.month))
            if i is not None:
                shares[i] += 1.0 / window.length
    return shares
