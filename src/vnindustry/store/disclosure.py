"""What the public may see: confidential cells withheld consistently across measures, periods and vintages.

A suppressed cell (series, period) — chosen by the compile (vnindustry.compile.disclosure) and kept in the
``suppressions`` table — hides more than its level. Any published figure computed from the suppressed level
would give it back together with a published level of another period, so it is withheld too:

- month-on-month change at t and t+1 (I(t)/I(t−1));
- year-on-year change and contribution to growth at t and t+12 (I(t)/I(t−12), (I(t)−I(t−12))·W/…);
  a contribution is also withheld when the root's level 12 months earlier is (it is the denominator);
- year-to-date change at every month of the same year from t on, and of the next year from the same month
  on (Σ I over Jan..m of the year and of the year before);
- the series' seasonally adjusted, calendar adjusted and trend series (``key~…``) follow their series;
- a quarterly or annual figure of a year with a suppressed month.

The internal measures (enterprise counts, dominance shares) are never public. Suppression applies to every
vintage of the cell, so an older vintage cannot leak what a newer one hides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vnindustry.periods import parse_month

__all__ = ["FLAG", "INTERNAL_MEASURES", "Suppressed", "base_key", "mask"]

FLAG = "c"
"""Flag of a withheld (confidential) figure, as in Eurostat's and SDMX's CONF_STATUS."""

INTERNAL_MEASURES = frozenset({"enterprises", "dominant_share"})
"""Measures the compile stores for the statisticians only: who backs a cell."""


def base_key(key: str) -> str:
    """The series an adjusted series (``key~seasonally_adjusted``) was derived from; else ``key``."""
    return key.split("~", 1)[0]


def _month(period: str) -> int | None:
    try:
        return parse_month(period)
    except ValueError:
        return None


def _lags(measure: str) -> tuple[int, ...] | None:
    """Months back whose level the measure uses (None: the year-to-date rule)."""
    if "ytd" in measure:
        return None
    if "prev_month" in measure:
        return (0, 1)
    if "same_month_last_year" in measure or "contribution" in measure:
        return (0, 12)
    return (0,)


class Suppressed:
    """The suppressions table in the form :func:`mask` looks things up in: months by series key."""

    def __init__(self, suppressed: pd.DataFrame) -> None:
        self.cells: dict[str, set[int]] = {}
        self.years: dict[str, set[int]] = {}
        for key, period in zip(suppressed["key"].tolist(), suppressed["period"].tolist(), strict=True):
            m = _month(str(period))
            if m is None:
                continue
            self.cells.setdefault(key, set()).add(m)
            self.years.setdefault(key, set()).add(m // 12)

    def __len__(self) -> int:
        return sum(len(v) for v in self.cells.values())


def mask(frame: pd.DataFrame, suppressed: pd.DataFrame | Suppressed, roots: dict[str, str] | None = None, *,
         public: bool = True) -> pd.DataFrame:
    """``frame`` (observations: key, measure, period, value, …) with a ``flag`` column ("c" or "") on every
    withheld figure. ``public``: the public view — internal measures dropped and withheld values set to
    missing; otherwise (statisticians) everything is kept and only flagged.

    ``suppressed`` has columns key, period (the suppressions table), or is that table as :class:`Suppressed`;
    ``roots`` maps a key prefix ``source/table/`` to the key of that table's root (for contributions).
    """
    out = (frame[~frame["measure"].isin(INTERNAL_MEASURES)] if public else frame).copy()
    out["flag"] = ""
    found = suppressed if isinstance(suppressed, Suppressed) else Suppressed(suppressed)
    if out.empty or not found.cells:
        return out.reset_index(drop=True)
    cells, years = found.cells, found.years
    root_of = {prefix: cells.get(root, set()) for prefix, root in (roots or {}).items()}
    key_col = out["key"].astype(str)
    # Each series' key once, not each row's: a series has a row per month (57,000 rows, 540 keys, when adjust
    # reads the city's series; the split per row was a tenth of that read).
    codes, uniques = pd.factorize(key_col, use_na_sentinel=False)  # a missing key stays missing, its own
    bases = np.asarray([k.split("~", 1)[0] if isinstance(k, str) else k for k in uniques], dtype=object)
    base_col = pd.Series(bases[codes] if len(uniques) else np.array([], dtype=object), index=out.index)
    touched = base_col.isin(list(cells))
    if any(root_of.values()):
        touched |= out["measure"].astype(str).str.contains("contribution")
    withheld = np.zeros(len(out), dtype=bool)
    rows = np.flatnonzero(touched.to_numpy())  # only rows of series with a suppression are looked at
    for i, base, key, measure, period in zip(
            rows.tolist(), base_col.iloc[rows].tolist(), key_col.iloc[rows].tolist(),
            out["measure"].iloc[rows].astype(str).tolist(), out["period"].iloc[rows].astype(str).tolist(),
            strict=True):
        own = cells.get(base)
        root = root_of.get(key.rsplit("/", 1)[0] + "/", set()) if "contribution" in measure else set()
        if not own and not root:
            continue
        m = _month(period)
        if m is None:  # a quarter or a year: withheld when any of its year's months is
            withheld[i] = bool(own) and period[:4].isdigit() and int(period[:4]) in years.get(base, set())
            continue
        lags = _lags(measure)
        if lags is None:
            y, mo = divmod(m, 12)
            withheld[i] = any(s // 12 in (y, y - 1) and s % 12 <= mo for s in own or ())
        else:
            withheld[i] = any(m - lag in (own or ()) for lag in lags) or (m - 12) in root
    if public:
        out.loc[withheld, "value"] = np.nan
    out.loc[withheld, "flag"] = FLAG
    return out.reset_index(drop=True)
