"""``seas(x)``: Tết-aware calendar and seasonal adjustment of one monthly series with X-13ARIMA-SEATS.

What ``seas`` does with the defaults (every step can be fixed by an argument instead):

1. **Identify** (regARIMA runs, no X-11): ARIMA model (X-13's ``automdl``) and outliers (X-13's
   ``outlier`` spec) under the log and under no transform, with the default Tết windows and the
   working-day regressor in the model so that the Tết swing is not mistaken for outliers or for model
   structure; the transform with the lower AICc wins, log on a near tie (after the outliers, not before as
   X-13's own test: shocks such as COVID otherwise choose an additive Tết effect for a growing series).
   **Outliers versus Tết**: an outlier X-13 put on a month Tết moves (:func:`tet_months`) is refitted
   away; if the Tết regressors are then significant and move that month the way the outlier did, the
   outlier goes and Tết explains the month (:func:`prefer_tet`).
2. **Choose the Tết windows**: every candidate combination of "before", "during" and "after" windows is
   ranked by a numpy pre-screen (GLS with the ARMA coefficients of step 1 fixed); the best three and the
   model without Tết are estimated by X-13 in one process (regARIMA only, model and outliers fixed); the
   lowest AICc wins — but Tết must beat "no Tết" by the AICc gain of a χ² test at 1% (``TET_PVALUE``), as
   choosing the best of 16 candidates would otherwise find Tết effects in pure noise too often.
3. **Drop weak regressors**: while a Tết or working-day regressor has |t| < 2, the weakest is dropped (by
   X-13's t-values of step 2, then by GLS t-values in numpy; X-13's own t-values are checked again in the
   final run, which is repeated without a regressor found weak there).
4. **Freeze** the choices in an :class:`~vnindustry.analysis.seasonal.spec.AdjustSpec`.
5. **Adjust**: one X-13 run of the frozen spec with X-11. ``seas(x, spec=that_spec)`` performs exactly this
   run again, which is why the result of passing a spec back is identical to the automatic run's.

Tết and working-day regressors are declared to X-13 with ``usertype=holiday`` / ``usertype=td`` and read
from a user file that runs to the end of the forecast horizon: declared so, X-13 removes them before X-11
and reports them as calendar factors (tables A7 and A6), and the seasonally adjusted series (D11) is free
of them. (statsmodels' ``x13_arima_analysis(exog=…)`` declares no usertype, so its regressors are
"user-defined" effects that stay in the seasonally adjusted series — statsmodels issue #9313; nor does it
extend the regressors over the forecasts — issue #8954.)

The work is split by what it holds: :mod:`~vnindustry.analysis.seasonal.identify` (steps 1–4),
:mod:`~vnindustry.analysis.seasonal.runs` (the X-13 runs and their input files),
:mod:`~vnindustry.analysis.seasonal.result` (:class:`Adjustment`, the diagnostics, step 5's output); this
module keeps ``seas`` and re-exports their public names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal.identify import (
    PRESCREEN_KEEP,
    TET_MONTH_SHARE,
    TET_PVALUE,
    TRANSFORM_AICC_DIFF,
    TetOption,
    TransformTest,
    identify_steps,
    nonpositive_message,
    outlier_month,
    prefer_tet,
    t_values,
    tet_months,
)
from vnindustry.analysis.seasonal.regressors import CENTRE_SPAN, TetWindow
from vnindustry.analysis.seasonal.result import LJUNG_BOX_LAG, T_THRESHOLD, Adjustment, assemble, tet_usable
from vnindustry.analysis.seasonal.runs import Steps, drive, frozen_steps
from vnindustry.analysis.seasonal.spec import AdjustSpec
from vnindustry.analysis.seasonal.x13 import X13_BUILD

__all__ = ["LJUNG_BOX_LAG", "MIN_MONTHS", "PRESCREEN_KEEP", "TET_MONTH_SHARE", "TET_PVALUE", "TRANSFORM_AICC_DIFF",
           "T_THRESHOLD", "Adjustment", "TetOption", "TransformTest", "outlier_month", "prefer_tet", "prepare", "seas",
           "seas_steps", "tet_months", "tet_usable"]

#: X-11 needs three full years.
MIN_MONTHS = 36


def seas(
    x: pd.Series,
    *,
    tet: TetOption = "auto",
    working_days: Literal["auto"] | bool = "auto",
    transform: Literal["auto", "log", "none"] = "auto",
    outliers: bool = True,
    arima: str = "auto",
    spec: AdjustSpec | None = None,
    candidates: Sequence[Sequence[TetWindow]] | None = None,
    forecast: int = 12,
    centre_span: tuple[int, int] = CENTRE_SPAN,
    seasonalma: str | None = None,
    working_days_exclude_tet: bool = True,
    transform_test: TransformTest = "identified",
) -> Adjustment:
    """Tết-aware seasonal adjustment of a monthly series, X-13ARIMA-SEATS (X-11) with automatic choices.

    Args:
        x: monthly values on a ``PeriodIndex`` (freq M) or a ``DatetimeIndex`` of one date per month;
            consecutive months, no missing values, at least 36 of them.
        tet: ``"auto"`` — choose the windows by AICc among ``candidates`` (or none) and drop those with
            |t| < 2; ``True`` — the default windows, kept whatever their t; a sequence of
            :class:`TetWindow` — exactly these; ``False``/``None`` — no Tết regressors.
        working_days: ``"auto"`` — in the model unless |t| < 2; ``True`` — always; ``False`` — never.
        transform: ``"auto"`` (X-13 compares log and none by AICc; none if a value is ≤ 0), ``"log"``
            (multiplicative), ``"none"`` (additive).
        outliers: detect additive outliers and level shifts (X-13's ``outlier`` spec) and keep them.
        arima: ``"auto"`` — X-13's ``automdl`` with ``acceptdefault=yes``: the airline model (0 1 1)(0 1 1)
            when its residuals pass the Ljung-Box test, else X-13's full search; ``"search"`` — always the
            full search (X-13's default; ~40× slower, 1–2 s a series); or a model, ``"(0 1 1)(0 1 1)"``.
        spec: a frozen spec from an earlier run (``Adjustment.spec``): repeats that run; every other
            choice argument is then ignored.
        candidates: the Tết window combinations compared under ``tet="auto"`` (default: 16 combinations
            of before 7/10/14/20 days, during [0,3]/[0,6], after [7,14]/[7,20]).
        forecast: months of forecasts X-11 extends the series with.
        centre_span: years over which calendar regressors are centred.
        seasonalma: X-11 seasonal filter (``"s3x5"`` …), None for X-13's automatic choice.
        working_days_exclude_tet: count Tết days off as working days in the working-day regressor (the
            Tết regressors model the holiday).
        transform_test: how ``transform="auto"`` compares log and none when ``arima`` is automatic:
            ``"identified"`` — each with its own ARIMA model and outliers, then with the same outliers (issue
            13's method); ``"airline"`` — both on the airline model (with outliers, then the same outliers),
            then the model identified under the chosen one only: less X-13 work, and for some series the
            other transform (:func:`~vnindustry.analysis.seasonal.identify.airline_transform`).

    Returns:
        The :class:`Adjustment`. ``diagnostics["selection"]`` tells how the choices were made (transform
        AICc, the ranked Tết candidates with the pre-screen's and X-13's AICc, the χ² gate, the regressors
        dropped and by whose t-value, the number of X-13 processes); it is empty when ``spec`` was given.

    Raises:
        ValueError: the series is not monthly and consecutive, has missing values, is shorter than 36
            months, or has values ≤ 0 under a log transform; or the spec was made with another X-13 build.
        X13Error: X-13 refused the series or the spec (with X-13's own message).
        X13BinaryError: the X-13 binary is not the pinned one.
    """
    # The computation is seas_steps'; here each of its X-13 runs goes alone in its own process.
    return drive(seas_steps(
        x, tet=tet, working_days=working_days, transform=transform, outliers=outliers, arima=arima, spec=spec,
        candidates=candidates, forecast=forecast, centre_span=centre_span, seasonalma=seasonalma,
        working_days_exclude_tet=working_days_exclude_tet, transform_test=transform_test))


def seas_steps(
    x: pd.Series,
    *,
    tet: TetOption = "auto",
    working_days: Literal["auto"] | bool = "auto",
    transform: Literal["auto", "log", "none"] = "auto",
    outliers: bool = True,
    arima: str = "auto",
    spec: AdjustSpec | None = None,
    candidates: Sequence[Sequence[TetWindow]] | None = None,
    forecast: int = 12,
    centre_span: tuple[int, int] = CENTRE_SPAN,
    seasonalma: str | None = None,
    working_days_exclude_tet: bool = True,
    transform_test: TransformTest = "identified",
) -> Steps[Adjustment]:
    """:func:`seas` as steps (:data:`~vnindustry.analysis.seasonal.runs.Steps`): the same computation, its X-13
    runs yielded as requests, so that a caller can run the requests of many series together
    (:mod:`~vnindustry.analysis.seasonal.stepped`). ``drive(seas_steps(x, …))`` is ``seas(x, …)``."""
    y, original_index = prepare(x)
    if spec is None:
        spec, selection, droppable = yield from identify_steps(
            y, tet=tet, working_days=working_days, transform=transform, outliers=outliers, arima=arima,
            candidates=candidates, forecast=forecast, centre_span=centre_span, seasonalma=seasonalma,
            exclude_tet=working_days_exclude_tet, transform_test=transform_test)
        return (yield from final_steps(y, original_index, spec, selection, droppable))
    _check_frozen(y, spec)
    output = yield from frozen_steps(y, spec)
    return assemble(y, original_index, spec, output, {})


def final_steps(y: pd.Series, original_index: pd.Index, spec: AdjustSpec, selection: dict[str, Any],
                droppable: set[str]) -> Steps[Adjustment]:
    """Step 5 after identification: the run of the frozen spec with X-11, which is also the last check of the
    t-values, by X-13's own estimates — a regressor the pre-screen kept but X-13 finds weak is dropped and the
    run repeated."""
    while True:
        output = yield from frozen_steps(y, spec)
        selection["runs"] += 1
        t = t_values(output)
        weak = {v: t.get(v, 0.0) for v in droppable if abs(t.get(v, 0.0)) < T_THRESHOLD}
        if not weak:
            return assemble(y, original_index, spec, output, selection)
        victim = min(weak, key=lambda v: abs(weak[v]))
        droppable.discard(victim)
        selection["dropped"].append({"variable": victim, "t": weak[victim], "by": "x13"})
        spec = _without(spec, victim)


def _check_frozen(y: pd.Series, spec: AdjustSpec) -> None:
    if spec.x13_build != X13_BUILD:
        raise ValueError(f"the spec was made with X-13 build {spec.x13_build}, this is build {X13_BUILD}: "
                         "re-estimate it (seas(x) without spec=)")
    if spec.transform == "log" and (y <= 0).any():
        raise ValueError(nonpositive_message(y))


def _without(spec: AdjustSpec, variable: str) -> AdjustSpec:
    if variable == "workdays":
        return replace(spec, working_days=False)
    return replace(spec, tet_windows=tuple(w for w in spec.tet_windows if w.variable != variable))


# --- input ------------------------------------------------------------------------------------------------

def prepare(x: pd.Series) -> tuple[pd.Series, pd.Index]:
    """The series ``seas`` adjusts: float values on a monthly PeriodIndex, checked; and the caller's index,
    which the results are put back on.

    Raises:
        ValueError: not a Series, not monthly, fewer than :data:`MIN_MONTHS` months, months missing or out
            of order, or missing or non-numeric values.
    """
    if not isinstance(x, pd.Series):
        raise ValueError(f"seas() needs a pandas Series, not {type(x).__name__}")
    index = x.index
    if isinstance(index, pd.PeriodIndex):
        if index.freqstr not in ("M", "ME"):
            raise ValueError(f"seas() needs monthly periods, not freq {index.freqstr}")
        periods = index
    elif isinstance(index, pd.DatetimeIndex):
        periods = index.to_period("M")
    else:
        raise ValueError("seas() needs a monthly PeriodIndex or DatetimeIndex")
    if len(periods) < MIN_MONTHS:
        raise ValueError(f"the series has {len(periods)} months; X-13 needs at least {MIN_MONTHS} (3 years)")
    # Consecutive, in order and each once: the period ordinals (months since 1970-01) step by one.
    ordinals = periods.asi8
    if (np.diff(ordinals) != 1).any():
        expected = max(int(ordinals[-1]) - int(ordinals[0]) + 1, 0)
        raise ValueError("the months must be consecutive, in order and each once "
                         f"({periods[0]} … {periods[-1]} has {len(periods)} entries for {expected} months)")
    values = pd.to_numeric(x, errors="coerce").astype(float).to_numpy()
    if not np.isfinite(values).all():
        bad = [str(p) for p, v in zip(periods, values, strict=True) if not np.isfinite(v)][:5]
        raise ValueError(f"the series has missing or non-numeric values ({', '.join(bad)}); fill or trim them")
    return pd.Series(values, index=pd.PeriodIndex(periods, freq="M"), name=x.name), index
