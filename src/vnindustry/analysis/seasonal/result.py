"""What :func:`~vnindustry.analysis.seasonal.adjust.seas` returns: the :class:`Adjustment` (series on the
input's index, diagnostics, the frozen spec), and how the published X-11 run of X-13 becomes one — its
saved tables read onto the series' months, the diagnostics gathered from the ``.udg``, ``.est`` and
``.acf`` files, and the verdict whether a Tết effect was separated (:func:`tet_usable`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal.saved import SavedTables
from vnindustry.analysis.seasonal.spec import AdjustSpec
from vnindustry.analysis.seasonal.x13 import X13_BUILD, X13Error, X13Output

__all__ = ["LJUNG_BOX_LAG", "T_THRESHOLD", "Adjustment", "assemble", "diagnostics", "tet_usable"]

#: Tết and working-day regressors with a smaller |t| are dropped under "auto".
T_THRESHOLD = 2.0
#: The lag of the Ljung-Box Q reported in the diagnostics (two years of monthly residuals).
LJUNG_BOX_LAG = 24

_FRAME_COLUMNS = ["period", "original", "calendar_adjusted", "seasonally_adjusted", "trend", "seasonal_factor",
                  "tet_factor"]


@dataclass(frozen=True, eq=False)
class Adjustment:
    """The result of :func:`seas`: series on the input's index, diagnostics, and the frozen spec.

    Multiplicative adjustment (``spec.transform == "log"``): factors are ratios around 1 and
    ``seasonally_adjusted = original / (seasonal_factors × tet_factors × working_day_factors)``. Additive
    (``"none"``): factors are effects in the series' unit around 0, subtracted instead.

    Attributes:
        original: the input series.
        calendar_adjusted: Tết and working-day effects removed, seasonality kept (X-13 table A18) — the
            series for Tết-adjusted year-on-year rates.
        seasonally_adjusted: seasonal and calendar effects removed (D11).
        trend: the trend-cycle (D12).
        irregular: the irregular (D13).
        seasonal_factors: seasonal factors (D10).
        tet_factors: Tết factors (A7, regARIMA holiday factors); neutral when there are no Tết regressors.
        working_day_factors: working-day factors (A6); neutral when there is no working-day regressor.
        diagnostics: AICc, Ljung-Box, M1–M11, Q, Q2, residual seasonality F-tests, QS, the regressors with
            their t-values, the outliers, the Tết window selection, X-13's warnings (those of its run without
            printed tables, ``-n``: no warning on peaks in the regARIMA residuals' spectrum, which the ``.udg``'s
            ``spcrsd`` entries still hold).
        spec: the frozen spec; ``seas(x, spec=…)`` repeats this run.
    """

    original: pd.Series
    calendar_adjusted: pd.Series
    seasonally_adjusted: pd.Series
    trend: pd.Series
    irregular: pd.Series
    seasonal_factors: pd.Series
    tet_factors: pd.Series
    working_day_factors: pd.Series
    diagnostics: dict[str, Any] = field(default_factory=dict)
    spec: AdjustSpec | None = None

    @property
    def multiplicative(self) -> bool:
        """True when factors are ratios (log transform), False when they are additive effects."""
        return self.spec is None or self.spec.transform == "log"

    def to_frame(self) -> pd.DataFrame:
        """One row per month: period (``YYYY-MM``), original, calendar_adjusted, seasonally_adjusted, trend,
        seasonal_factor, tet_factor."""
        index = self.original.index
        periods = index if isinstance(index, pd.PeriodIndex) else pd.PeriodIndex(index, freq="M")
        frame = pd.DataFrame({
            "period": [str(p) for p in periods],
            "original": self.original.to_numpy(),
            "calendar_adjusted": self.calendar_adjusted.to_numpy(),
            "seasonally_adjusted": self.seasonally_adjusted.to_numpy(),
            "trend": self.trend.to_numpy(),
            "seasonal_factor": self.seasonal_factors.to_numpy(),
            "tet_factor": self.tet_factors.to_numpy(),
        })
        return frame[_FRAME_COLUMNS]



def _table(output: X13Output, name: str, index: pd.PeriodIndex, neutral: float | None = None) -> np.ndarray:
    """A saved table's values on the months of ``index`` (``neutral`` throughout when the run saved none)."""
    if name not in output.tables:
        if neutral is None:
            raise X13Error([f"X-13 saved no table {name}"], name=output.name)
        return np.full(len(index), neutral, dtype=float)
    return output.monthly(name, index)


def _rows(output: X13Output, section: str, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of a section of the run's estimates (``regression`` or ``arima``), fields ``names``."""
    columns = output.estimates.get(section) if output.estimates else None
    if columns is None:  # no .est file: the frames are empty
        return []
    return list(zip(*(columns[n] for n in names), strict=True))


def diagnostics(output: X13Output, spec: AdjustSpec, selection: dict[str, Any]) -> dict[str, Any]:
    """``Adjustment.diagnostics`` of the published run ``output`` (see :class:`Adjustment`)."""
    udg = output.udg
    d: dict[str, Any] = {
        "x13_build": udg.get("build", X13_BUILD),
        "transform": spec.transform,
        "arima": spec.arima,
        "nobs": int(output.udg_float("nobs")) if math.isfinite(output.udg_float("nobs")) else None,
        "aicc": output.udg_float("aicc"),
        "aic": output.udg_float("aic"),
        "bic": output.udg_float("bic"),
        "loglikelihood": output.udg_float("loglikelihood"),
    }
    acf = _acf(output)
    if acf is not None:
        keys, values = acf
        lags = [int(k) for k in keys]
        lag = max((k for k in lags if k <= LJUNG_BOX_LAG), default=lags[-1])
        row = values[lags.index(lag)]
        d["ljung_box"] = {"lag": lag, "q": float(row[2]), "df": int(row[3]), "p": float(row[4])}
    for i in range(1, 12):
        d[f"M{i}"] = output.udg_float(f"f3.m{i:02d}")
    d["Q"] = output.udg_float("f3.q")
    d["Q2"] = output.udg_float("f3.qm2")
    # X-13 writes the F-test for residual seasonality in D11 as "F  p", p in per cent.
    d["residual_seasonality_f"] = {
        "f": output.udg_float("d11.f"), "p": output.udg_float("d11.f", 1) / 100,
        "f_last_3_years": output.udg_float("d11.3y.f"), "p_last_3_years": output.udg_float("d11.3y.f", 1) / 100}
    d["qs"] = {label: {"qs": output.udg_float(key), "p": output.udg_float(key, 1)}
               for label, key in (("original", "qsori"), ("residuals", "qsrsd"),
                                  ("seasonally_adjusted", "qssadj"), ("irregular", "qsirr"))
               if key in udg}
    d["identifiable_seasonality"] = udg.get("f2.idseasonal")
    windows = {w.variable: w for w in spec.tet_windows}
    regressors, outliers = [], []
    for group, variable, estimate, se, t in _rows(output, "regression", ("group", "variable", "estimate", "se",
                                                                          "t")):
        entry = {"variable": variable, "estimate": estimate, "se": se, "t": t}
        key = str(variable).lower()
        if key in windows:
            w = windows[key]
            regressors.append({**entry, "kind": "tet", "window": [w.start, w.end], "name": w.name})
        elif key == "workdays":
            regressors.append({**entry, "kind": "working_days"})
        elif "outlier" in str(group).lower() or str(variable)[:2].upper() in ("AO", "LS", "TC", "SO"):
            outliers.append(entry)
        else:
            regressors.append({**entry, "kind": str(group)})
    d["regressors"] = regressors
    d["outliers"] = outliers
    d["arima_estimates"] = [
        {"operator": operator, "factor": factor, "lag": lag, "estimate": estimate, "se": se}
        for operator, factor, lag, estimate, se in _rows(output, "arima", ("operator", "factor", "lag", "estimate",
                                                                            "se"))]
    d["tet_windows"] = {w.name: [w.start, w.end] for w in spec.tet_windows}
    d["tet"] = tet_verdict(regressors)
    d["selection"] = selection
    d["warnings"] = list(output.messages)
    return d


def _acf(output: X13Output) -> tuple[list[str], np.ndarray] | None:
    """The saved residual ACF (``.acf``: lag, ACF, SE, Ljung-Box Q, df, p) as row keys and values, or None."""
    tables = output.tables
    if "acf" not in tables:
        return None
    parsed = tables.parsed("acf") if isinstance(tables, SavedTables) else None
    if parsed is not None and not parsed.monthly:
        return (parsed.keys, parsed.values) if parsed.values.size else None
    frame = tables["acf"]
    return None if frame.empty else ([str(k) for k in frame.index], frame.to_numpy())


def tet_verdict(regressors: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether the run separated a Tết effect: Tết regressors in the model, the strongest with |t| ≥ 2."""
    t = [abs(float(r["t"])) for r in regressors if r.get("kind") == "tet" and math.isfinite(float(r["t"]))]
    if not t:
        return {"usable": False, "t_max": None, "reason": "no Tết effect was found in the series (no Tết "
                "regressor in the model)"}
    if max(t) < T_THRESHOLD:
        return {"usable": False, "t_max": max(t), "reason": f"the Tết effect is not significant (largest |t| = "
                f"{max(t):.1f} < {T_THRESHOLD:g})"}
    return {"usable": True, "t_max": max(t), "reason": f"Tết effect separated (largest |t| = {max(t):.1f})"}


def tet_usable(adjustment: Adjustment) -> bool:
    """Whether the adjustment's Tết-adjusted figures may be published as such: X-13 ran, the model has Tết
    regressors and the strongest is significant (|t| ≥ :data:`T_THRESHOLD`). Otherwise the calendar-adjusted
    series has no Tết effect removed and a "Tết-adjusted" rate would only repeat the unadjusted one."""
    return bool(adjustment.diagnostics.get("tet", {}).get("usable", False))


def assemble(y: pd.Series, original_index: pd.Index, spec: AdjustSpec, output: X13Output,
              selection: dict[str, Any]) -> Adjustment:
    """The :class:`Adjustment` of the published run ``output`` of ``spec`` on ``y`` (the prepared series),
    its series put back on the caller's ``original_index``."""
    index = y.index
    neutral = 1.0 if spec.transform == "log" else 0.0

    def out(values: pd.Series | np.ndarray, name: str) -> pd.Series:
        return pd.Series(values.to_numpy() if isinstance(values, pd.Series) else values, index=original_index,
                         name=name)

    calendar = (_table(output, "a18", index) if (spec.tet_windows or spec.working_days)
                and "a18" in output.tables else y)
    return Adjustment(
        original=out(y, "original"),
        calendar_adjusted=out(calendar, "calendar_adjusted"),
        seasonally_adjusted=out(_table(output, "d11", index), "seasonally_adjusted"),
        trend=out(_table(output, "d12", index), "trend"),
        irregular=out(_table(output, "d13", index), "irregular"),
        seasonal_factors=out(_table(output, "d10", index), "seasonal_factor"),
        tet_factors=out(_table(output, "hol", index, neutral if not spec.tet_windows else None), "tet_factor"),
        working_day_factors=out(_table(output, "td", index, neutral if not spec.working_days else None),
                                "working_day_factor"),
        diagnostics=diagnostics(output, spec, selection),
        spec=spec,
    )
