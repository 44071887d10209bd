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
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import chi2

from vnindustry.analysis.seasonal.prescreen import ArimaFilter, gls_t_values, outlier_regressor, rank_candidates
from vnindustry.analysis.seasonal.regressors import (
    CENTRE_SPAN,
    DEFAULT_WINDOWS,
    TetWindow,
    candidate_windows,
    tet_regressor,
    working_day_regressor,
)
from vnindustry.analysis.seasonal.spec import AUTOMDL, AdjustSpec, render_spec
from vnindustry.analysis.seasonal.x13 import X13_BUILD, X13Error, X13Output, format_values, run_spec, run_specs

__all__ = ["MIN_MONTHS", "T_THRESHOLD", "Adjustment", "outlier_month", "prefer_tet", "seas", "tet_months",
           "tet_usable"]

#: X-11 needs three full years.
MIN_MONTHS = 36
#: Tết and working-day regressors with a smaller |t| are dropped under "auto".
T_THRESHOLD = 2.0
#: A chosen Tết window set must beat "no Tết" by the AICc gain of a chi-square test at this level.
TET_PVALUE = 0.01
#: Candidates the numpy pre-screen passes to X-13 (besides the model without Tết).
PRESCREEN_KEEP = 3
#: Log is kept unless the additive model's AICc is lower by more than this (X-13's ``aicdiff``).
TRANSFORM_AICC_DIFF = 2.0
#: A month is a Tết month when a window's centred share there is at least this far from 0.
TET_MONTH_SHARE = 0.1
#: The lag of the Ljung-Box Q reported in the diagnostics (two years of monthly residuals).
LJUNG_BOX_LAG = 24

TetOption = Literal["auto"] | bool | Sequence[TetWindow] | None
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
            their t-values, the outliers, the Tết window selection, X-13's warnings.
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
    y, original_index = _prepare(x)
    selection: dict[str, Any] = {}
    if spec is None:
        spec, selection, droppable = _identify(
            y, tet=tet, working_days=working_days, transform=transform, outliers=outliers, arima=arima,
            candidates=candidates, forecast=forecast, centre_span=centre_span, seasonalma=seasonalma,
            exclude_tet=working_days_exclude_tet)
        # The final run is also the last check of the t-values, by X-13's own estimates: a regressor the
        # pre-screen kept but X-13 finds weak is dropped and the run repeated.
        while True:
            output = _run(y, spec)
            selection["runs"] += 1
            t = _t_values(output)
            weak = {v: t.get(v, 0.0) for v in droppable if abs(t.get(v, 0.0)) < T_THRESHOLD}
            if not weak:
                return _assemble(y, original_index, spec, output, selection)
            victim = min(weak, key=lambda v: abs(weak[v]))
            droppable.discard(victim)
            selection["dropped"].append({"variable": victim, "t": weak[victim], "by": "x13"})
            spec = _without(spec, victim)
    else:
        if spec.x13_build != X13_BUILD:
            raise ValueError(f"the spec was made with X-13 build {spec.x13_build}, this is build {X13_BUILD}: "
                             "re-estimate it (seas(x) without spec=)")
        if spec.transform == "log" and (y <= 0).any():
            raise ValueError(_nonpositive_message(y))
    output = _run(y, spec)
    return _assemble(y, original_index, spec, output, selection)


def _without(spec: AdjustSpec, variable: str) -> AdjustSpec:
    if variable == "workdays":
        return replace(spec, working_days=False)
    return replace(spec, tet_windows=tuple(w for w in spec.tet_windows if w.variable != variable))


# --- input ------------------------------------------------------------------------------------------------

def _prepare(x: pd.Series) -> tuple[pd.Series, pd.Index]:
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
    expected = pd.period_range(periods[0], periods[-1], freq="M")
    if len(expected) != len(periods) or not (expected == periods).all():
        raise ValueError("the months must be consecutive, in order and each once "
                         f"({periods[0]} … {periods[-1]} has {len(periods)} entries for {len(expected)} months)")
    values = pd.to_numeric(x, errors="coerce").astype(float).to_numpy()
    if not np.isfinite(values).all():
        bad = [str(p) for p, v in zip(periods, values, strict=True) if not np.isfinite(v)][:5]
        raise ValueError(f"the series has missing or non-numeric values ({', '.join(bad)}); fill or trim them")
    return pd.Series(values, index=pd.PeriodIndex(periods, freq="M"), name=x.name), index


def _nonpositive_message(y: pd.Series) -> str:
    bad = [f"{p} = {v:g}" for p, v in y[y <= 0].head(3).items()]
    return (f"a log transform needs positive values; the series has {int((y <= 0).sum())} ≤ 0 "
            f"({', '.join(bad)}): use transform='none' (additive) or transform='auto'")


# --- X-13 runs --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Model:
    """What one regARIMA run contains (a spec under construction)."""

    transform: str
    arima: str
    windows: tuple[TetWindow, ...]
    working_days: bool
    variables: tuple[str, ...] = ()
    detect_outliers: bool = False

    @property
    def user_variables(self) -> list[str]:
        return [w.variable for w in self.windows] + (["workdays"] if self.working_days else [])


class _Inputs:
    """The series and its regressor columns, computed once per ``seas`` call, up to the forecast horizon."""

    def __init__(self, y: pd.Series, forecast: int, centre_span: tuple[int, int], exclude_tet: bool) -> None:
        self.y = y
        self.centre_span = centre_span
        self.exclude_tet = exclude_tet
        # Regressors must run through the forecasts, or X-13 stops (or, in some tools, extrapolates).
        self.span = pd.period_range(y.index[0], y.index[-1] + max(forecast, 1), freq="M")
        self.data = "".join(f"{p.year} {p.month} {v}\n"
                            for p, v in zip(y.index, format_values(y.to_numpy()), strict=True))
        self._values: dict[TetWindow | str, np.ndarray] = {}
        self._text: dict[TetWindow | str, list[str]] = {}

    def values(self, key: TetWindow | str) -> np.ndarray:
        """One regressor over ``span``."""
        if key not in self._values:
            if key == "workdays":
                series = working_day_regressor(self.span, centre_span=self.centre_span,
                                               exclude_tet=self.exclude_tet)
            else:
                assert isinstance(key, TetWindow)
                series = tet_regressor(key, self.span, centre_span=self.centre_span)
            self._values[key] = series.to_numpy()
        return self._values[key]

    def matrix(self, windows: Sequence[TetWindow], working_days: bool = False) -> np.ndarray:
        """The regressors over the series' own months, one column each."""
        keys: list[TetWindow | str] = [*windows, *(["workdays"] if working_days else [])]
        n = len(self.y)
        if not keys:
            return np.zeros((n, 0))
        return np.column_stack([self.values(k)[:n] for k in keys])

    def regressor_file(self, windows: Sequence[TetWindow], working_days: bool) -> str:
        keys: list[TetWindow | str] = [*windows, *(["workdays"] if working_days else [])]
        for key in keys:
            if key not in self._text:
                self._text[key] = format_values(self.values(key))
        columns = [self._text[k] for k in keys]
        # Free format: every number on its own line, month by month, from self.start.
        return "".join(col[i] + "\n" for i in range(len(self.span)) for col in columns)

    @property
    def start(self) -> str:
        """The regressor file's first month in X-13's notation."""
        return f"{self.span[0].year}.{self.span[0].month}"


def _spec_text(model: _Model, inputs: _Inputs, *, x11: bool, forecast: int | None = None,
               seasonalma: str | None = None, regressor_file: str = "xreg.dat") -> str:
    types = ["holiday"] * len(model.windows) + (["td"] if model.working_days else [])
    save: list[str] = []
    if x11:
        save = (["hol"] if model.windows else []) + (["td"] if model.working_days else [])
    return render_spec(title="vnindustry", transform=model.transform, arima=model.arima,  # type: ignore[arg-type]
                       user_variables=model.user_variables, user_types=types, variables=model.variables,
                       detect_outliers=model.detect_outliers, forecast=forecast, x11=x11, seasonalma=seasonalma,
                       regressor_file=regressor_file, regressor_start=inputs.start, regression_save=save,
                       check=x11)


def _regarima(inputs: _Inputs, models: dict[str, _Model]) -> dict[str, X13Output | X13Error]:
    """RegARIMA-only runs (no X-11), all in one X-13 process."""
    files = {"data.dat": inputs.data}
    specs = {}
    for name, model in models.items():
        file_name = f"x{name}.dat"
        if model.user_variables:
            files[file_name] = inputs.regressor_file(model.windows, model.working_days)
        specs[name] = _spec_text(model, inputs, x11=False, regressor_file=file_name)
    return run_specs(specs, files)


def _one(inputs: _Inputs, model: _Model) -> X13Output:
    result = _regarima(inputs, {"m": model})["m"]
    if isinstance(result, X13Error):
        raise result
    return result


def _run(y: pd.Series, spec: AdjustSpec) -> X13Output:
    """The run of a frozen spec, with X-11: the only run whose output is published."""
    inputs = _Inputs(y, spec.forecast, spec.centre_span, spec.working_days_exclude_tet)
    model = _Model(spec.transform, spec.arima, spec.tet_windows, spec.working_days, tuple(spec.variables))
    files = {"data.dat": inputs.data}
    if model.user_variables:
        files["xreg.dat"] = inputs.regressor_file(spec.tet_windows, spec.working_days)
    text = _spec_text(model, inputs, x11=True, forecast=spec.forecast, seasonalma=spec.seasonalma)
    return run_spec(text, files, name="series")


# --- identification ---------------------------------------------------------------------------------------

def _t_values(output: X13Output) -> dict[str, float]:
    frame = output.regression
    return {str(v).lower(): float(t) for v, t in zip(frame["variable"], frame["t"], strict=True)}


def _found_variables(output: X13Output) -> tuple[tuple[str, ...], bool]:
    """The outliers X-13 found (or was given) and whether the model has a constant."""
    outliers, constant = [], False
    for group, variable in zip(output.regression["group"], output.regression["variable"], strict=True):
        if str(group).lower() == "constant":
            constant = True
        elif "outlier" in str(group).lower() or str(variable)[:2].upper() in ("AO", "LS", "TC", "SO"):
            outliers.append(str(variable))
    return tuple(outliers), constant


def _tet_mode(tet: TetOption) -> tuple[str, tuple[TetWindow, ...]]:
    if isinstance(tet, str):
        if tet != "auto":
            raise ValueError(f"tet must be 'auto', True, False or a sequence of TetWindow, not {tet!r}")
        return "auto", DEFAULT_WINDOWS
    if tet is True:
        return "fixed", DEFAULT_WINDOWS
    if tet is None or tet is False:
        return "off", ()
    windows = tuple(tet)
    if not all(isinstance(w, TetWindow) for w in windows):
        raise ValueError("tet: give a sequence of TetWindow objects")
    return "fixed", windows


def _choose_windows(inputs: _Inputs, ident: X13Output, base: _Model, combos: list[tuple[TetWindow, ...]],
                    selection: dict[str, Any]) -> tuple[tuple[TetWindow, ...], X13Output]:
    """Rank the candidates (and no Tết) in numpy, estimate the best few in one X-13 process, pick by AICc."""
    y = inputs.y.to_numpy()
    y = np.log(y) if base.transform == "log" else y
    fixed = [inputs.matrix((), base.working_days)]
    for name in base.variables:
        column = outlier_regressor(name, inputs.y.index)
        if column is not None:
            fixed.append(column[:, None])
    options: list[tuple[TetWindow, ...]] = [(), *combos]
    keep_count = PRESCREEN_KEEP
    try:
        scores = rank_candidates(y, np.hstack(fixed), [inputs.matrix(c) for c in options],
                                 ArimaFilter(base.arima, ident.arima), constant="const" in base.variables)
    except (ValueError, np.linalg.LinAlgError):  # no pre-screen possible: X-13 compares them all
        scores = np.full(len(options), np.nan)
        keep_count = len(options)
    order = [int(i) for i in np.argsort(scores, kind="stable")]
    # The best few by the pre-screen, and always the model without Tết, so that "no Tết effect" is
    # decided by X-13's own AICc.
    keep = list(dict.fromkeys([0, *order[:keep_count]]))
    models = {f"c{i}": _Model(base.transform, base.arima, options[i], base.working_days, base.variables)
              for i in keep}
    results = _regarima(inputs, models)
    selection["runs"] += 1
    aicc = {i: (results[f"c{i}"].udg_float("aicc") if isinstance(results[f"c{i}"], X13Output) else math.nan)
            for i in keep}
    selection["candidates"] = [
        {"windows": [str(w) for w in options[i]], "prescreen_aicc": float(scores[i]), "aicc": aicc.get(i)}
        for i in order]
    valid = [i for i in keep if math.isfinite(aicc[i])]
    if not valid:
        raise next(r for r in results.values() if isinstance(r, X13Error))
    best = min(valid, key=lambda i: aicc[i])
    if best != 0 and 0 in valid:
        # The best of many candidates beats "no Tết" by chance more often than one test would: ask of it
        # the AICc gain a chi-square test at TET_PVALUE would (X-13's own rule for its AIC tests when
        # ``pvaictest`` is given): χ²(k, 1 − p) − 2k for k regressors.
        k = len(options[best])
        gain = aicc[0] - aicc[best]
        critical = float(chi2.ppf(1 - TET_PVALUE, k)) - 2 * k
        selection["tet_test"] = {"aicc_gain": gain, "critical": critical, "p": TET_PVALUE, "accepted": gain > critical}
        if gain <= critical:
            best = 0
    selection["chosen_by_aicc"] = [str(w) for w in options[best]]
    output = results[f"c{best}"]
    assert isinstance(output, X13Output)
    return options[best], output


def _identify_transform(inputs: _Inputs, arima: str, windows: tuple[TetWindow, ...], use_wd: bool,
                        outliers: bool, selection: dict[str, Any]) -> tuple[X13Output, str]:
    """Identify the model under both transforms and keep the one with the lower AICc (log on a tie).

    X-13's own transform test (``transform{function=auto}``) compares log and none on the airline model
    *before* outliers are identified: on a series with shocks such as the COVID lockdowns it then picks
    the additive model, whose Tết effect is a fixed number of points — too small once the series has grown,
    too large before (the demo city's IIP, issue 13). Here each transform gets its own ARIMA model and
    outliers; then both are estimated again with the same outliers (those either found) and their AICc
    (X-13's, adjusted for the log's Jacobian, so comparable) decides; as in X-13's test (``aicdiff=-2``),
    log is kept unless none is better by more than 2.
    """
    models = {"tlog": _Model("log", arima, windows, use_wd, (), outliers),
              "tnone": _Model("none", arima, windows, use_wd, (), outliers)}
    results = _regarima(inputs, models)
    selection["runs"] += 1
    good = {name: r for name, r in results.items() if isinstance(r, X13Output)}
    if len(good) == 2:
        # Compared with the same outliers (those either found), so that the transform alone is compared:
        # each outlier is worth far more than its AICc penalty (X-13 adds it at |t| ≈ 4), and a transform
        # that leaves a few months to outliers would otherwise win by them.
        union: dict[str, None] = {}
        for r in good.values():
            found, constant = _found_variables(r)
            union.update(dict.fromkeys((("const",) if constant else ()) + found))
        same = {f"s{name[1:]}": replace(models[name], arima=" ".join(r.udg.get("arimamdl", "").split()) or arima,
                                        variables=tuple(union), detect_outliers=False)
                for name, r in good.items()}
        compared = _regarima(inputs, same)
        selection["runs"] += 1
        aicc = {f"t{name[1:]}": (r.udg_float("aicc") if isinstance(r, X13Output) else math.nan)
                for name, r in compared.items()}
        selection["transform_outliers"] = [v for v in union if v != "const"]
        for r in compared.values():
            if isinstance(r, X13Error):  # e.g. two outliers of the union that cannot be told apart
                selection.setdefault("transform_errors", []).extend(r.messages)
    if len(good) != 2 or not all(math.isfinite(v) for v in aicc.values()):
        aicc = {name: (r.udg_float("aicc") if isinstance(r, X13Output) else math.nan)
                for name, r in results.items()}
    selection["transform_aicc"] = {"log": aicc["tlog"], "none": aicc["tnone"], "rule": "log unless none is "
                                   f"lower by more than {TRANSFORM_AICC_DIFF:g}"}
    if math.isfinite(aicc["tlog"]) and not aicc["tnone"] < aicc["tlog"] - TRANSFORM_AICC_DIFF:
        chosen = "tlog"
    elif math.isfinite(aicc["tnone"]):
        chosen = "tnone"
    else:
        raise next(r for r in results.values() if isinstance(r, X13Error))
    output = results[chosen]
    assert isinstance(output, X13Output)
    return output, chosen[1:]


def tet_months(windows: Sequence[TetWindow], index: pd.PeriodIndex, *, centre_span: tuple[int, int] = CENTRE_SPAN,
               threshold: float = TET_MONTH_SHARE) -> set[pd.Period]:
    """The months of ``index`` a Tết regressor could explain: where some window's centred share is at least
    ``threshold`` away from 0 (this year's Tết moved that much of the window into or out of the month)."""
    if not windows:
        return set()
    values = np.column_stack([tet_regressor(w, index, centre_span=centre_span).to_numpy() for w in windows])
    return {index[i] for i in np.flatnonzero((np.abs(values) >= threshold).any(axis=1))}


def outlier_month(name: str) -> pd.Period | None:
    """The month of an X-13 outlier name (``AO2025.Jan`` → 2025-01), None for other names."""
    match = re.match(r"^(AO|LS|TC|SO)(\d{4})\.([A-Za-z]{3})$", name.strip(), re.IGNORECASE)
    if match is None:
        return None
    return pd.Period(f"{match.group(3).capitalize()} {match.group(2)}", freq="M")


def prefer_tet(outlier_estimate: float, tet_effect: float, tet_t_max: float) -> bool:
    """The outlier-versus-Tết rule: drop an outlier at a Tết month in favour of the Tết regressors when,
    refitted without it, the regressors are significant (largest |t| ≥ :data:`T_THRESHOLD`) and their
    effect in that month goes the way the outlier did (same sign: they explain the same movement).

    An outlier against the Tết effect (a month far above what Tết leaves, say) is a shock Tết cannot
    explain and is kept, as is any outlier when the Tết regressors are not significant.
    """
    if not (math.isfinite(outlier_estimate) and math.isfinite(tet_effect) and math.isfinite(tet_t_max)):
        return False
    return tet_t_max >= T_THRESHOLD and outlier_estimate * tet_effect > 0


def _tet_outliers(inputs: _Inputs, ident: X13Output, model: _Model,
                  selection: dict[str, Any]) -> tuple[tuple[str, ...], X13Output]:
    """Apply :func:`prefer_tet` to the outliers X-13 found at Tết months; returns the outliers kept and the
    regARIMA run of the model with them (its ARMA coefficients feed the next steps)."""
    found, _ = _found_variables(ident)
    months = tet_months(model.windows, inputs.y.index, centre_span=inputs.centre_span)
    candidates = [o for o in found if outlier_month(o) in months]
    if not candidates:
        return found, ident
    estimates = dict(zip(ident.regression["variable"].astype(str), ident.regression["estimate"], strict=True))
    others = tuple(v for v in model.variables if v not in candidates)
    refit = _regarima(inputs, {"w": replace(model, variables=others, detect_outliers=False)})["w"]
    selection["runs"] += 1
    if isinstance(refit, X13Error):
        selection["tet_outliers"] = [{"outlier": o, "kept": True, "reason": "refit failed"} for o in candidates]
        return found, ident
    t = _t_values(refit)
    names = [w.variable for w in model.windows]
    t_max = max((abs(t.get(v, 0.0)) for v in names), default=0.0)
    betas = dict(zip(refit.regression["variable"].astype(str).str.lower(), refit.regression["estimate"],
                     strict=True))
    span = inputs.span
    decisions, kept = [], []
    for name in candidates:
        month = outlier_month(name)
        assert month is not None
        row = int((month - span[0]).n)
        effect = sum(float(betas.get(w.variable, 0.0)) * float(inputs.values(w)[row]) for w in model.windows)
        drop = prefer_tet(float(estimates.get(name, math.nan)), effect, t_max)
        decisions.append({"outlier": name, "estimate": float(estimates.get(name, math.nan)), "tet_effect": effect,
                          "tet_t_max": t_max, "kept": not drop})
        if not drop:
            kept.append(name)
    selection["tet_outliers"] = decisions
    outliers = tuple(o for o in found if o not in candidates or o in kept)
    if len(outliers) == len(found):
        return found, ident
    if not kept:
        return outliers, refit
    final = _regarima(inputs, {"k": replace(model, variables=tuple(v for v in model.variables
                                                                     if v not in candidates or v in kept))})["k"]
    selection["runs"] += 1
    if isinstance(final, X13Error):
        raise final
    return outliers, final


def _identify(y: pd.Series, *, tet: TetOption, working_days: Literal["auto"] | bool, transform: str,
              outliers: bool, arima: str, candidates: Sequence[Sequence[TetWindow]] | None, forecast: int,
              centre_span: tuple[int, int], seasonalma: str | None,
              exclude_tet: bool) -> tuple[AdjustSpec, dict[str, Any], set[str]]:
    positive = bool((y > 0).all())
    if transform not in ("auto", "log", "none"):
        raise ValueError(f"transform must be 'auto', 'log' or 'none', not {transform!r}")
    if transform == "log" and not positive:
        raise ValueError(_nonpositive_message(y))
    if working_days not in ("auto", True, False):
        raise ValueError(f"working_days must be 'auto', True or False, not {working_days!r}")
    if arima not in AUTOMDL:
        AdjustSpec(transform="log", arima=arima)  # validates the notation, with its message
    tet_mode, windows = _tet_mode(tet)
    use_wd = working_days is not False
    inputs = _Inputs(y, forecast, centre_span, exclude_tet)
    selection: dict[str, Any] = {"runs": 1}

    # 1. Transform, ARIMA model and outliers, with the default calendar regressors in the model (so that
    # the Tết swing is not taken for outliers). Always run: the ARMA coefficients feed the pre-screen.
    chosen_transform = transform if positive else "none"
    if chosen_transform == "auto":
        ident, chosen_transform = _identify_transform(inputs, arima, windows, use_wd, outliers, selection)
    else:
        ident = _one(inputs, _Model(chosen_transform, arima, windows, use_wd, (), outliers))
    model_arima = arima
    if arima in AUTOMDL:
        model_arima = " ".join(ident.udg.get("arimamdl", "").split())
        if not model_arima:
            raise X13Error(["automdl chose no model"], name="identification")
    found, constant = _found_variables(ident)
    selection["identification"] = {"transform": chosen_transform, "arima": model_arima, "outliers": list(found),
                                   "constant": constant}
    if tet_mode != "off" and found:
        found, ident = _tet_outliers(inputs, ident, _Model(chosen_transform, model_arima, windows, use_wd,
                                                           (("const",) if constant else ()) + found),
                                     selection)
    variables = (("const",) if constant else ()) + found
    # The last X-13 run of the model as it stands: its t-values are exact, its ARMA coefficients the best
    # available for the numpy steps.
    last = ident

    # 2. Tết windows by AICc.
    if tet_mode == "auto":
        combos = [tuple(c) for c in (candidates if candidates is not None else candidate_windows())]
        base = _Model(chosen_transform, model_arima, (), use_wd, variables)
        windows, last = _choose_windows(inputs, ident, base, combos, selection)

    # 3. Drop weak regressors, the weakest first: first by the t-values of the last X-13 run, then by
    # those of the regression with its ARMA coefficients fixed (numpy); X-13's own t-values are checked
    # again in the final run.
    droppable = {w.variable for w in windows} if tet_mode == "auto" else set()
    if working_days == "auto":
        droppable.add("workdays")
    dropped: list[dict[str, Any]] = []
    if droppable:
        y_t = np.log(y.to_numpy()) if chosen_transform == "log" else y.to_numpy()
        outlier_columns = [c for c in (outlier_regressor(v, y.index) for v in found) if c is not None]
        arima_filter = ArimaFilter(model_arima, last.arima)
        exact: dict[str, float] | None = _t_values(last)
        while True:
            names = [w.variable for w in windows] + (["workdays"] if use_wd else [])
            if not names or not droppable & set(names):
                break
            if exact is not None:
                t, by = exact, "x13"
                exact = None
            else:
                design = np.column_stack([inputs.matrix(windows, use_wd), *outlier_columns])
                try:
                    t_all = gls_t_values(y_t, design, arima_filter, constant=constant)
                except (ValueError, np.linalg.LinAlgError):
                    break  # X-13's final run still checks
                t, by = dict(zip(names, (float(v) for v in t_all[: len(names)]), strict=True)), "prescreen"
            weak = {v: t.get(v, 0.0) for v in droppable & set(names) if abs(t.get(v, 0.0)) < T_THRESHOLD}
            if not weak:
                break
            victim = min(weak, key=lambda v: abs(weak[v]))
            dropped.append({"variable": victim, "t": weak[victim], "by": by})
            droppable.discard(victim)
            if victim == "workdays":
                use_wd = False
            else:
                windows = tuple(w for w in windows if w.variable != victim)
    selection["dropped"] = dropped
    given_way = [d["outlier"] for d in selection.get("tet_outliers", []) if not d["kept"]]
    if given_way and not windows:
        # Outliers dropped for the Tết regressors, which then did not stay in the model: back they come.
        keep = set(found) | set(given_way)
        found = tuple(o for o in selection["identification"]["outliers"] if o in keep)
        selection["tet_outliers_restored"] = given_way

    spec = AdjustSpec(transform=chosen_transform, arima=model_arima, tet_windows=windows,  # type: ignore[arg-type]
                      working_days=use_wd, working_days_exclude_tet=exclude_tet, outliers=found,
                      constant=constant, forecast=forecast, centre_span=centre_span, seasonalma=seasonalma)
    remaining = droppable & set(spec.user_variables)
    return spec, selection, remaining


# --- output -----------------------------------------------------------------------------------------------

def _table(output: X13Output, name: str, index: pd.PeriodIndex, neutral: float | None = None) -> pd.Series:
    if name not in output.tables:
        if neutral is None:
            raise X13Error([f"X-13 saved no table {name}"], name=output.name)
        return pd.Series(neutral, index=index)
    return output.series(name).reindex(index)


def _diagnostics(output: X13Output, spec: AdjustSpec, selection: dict[str, Any]) -> dict[str, Any]:
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
    acf = output.tables.get("acf")
    if acf is not None and not acf.empty:
        lags = [int(k) for k in acf.index]
        lag = max((k for k in lags if k <= LJUNG_BOX_LAG), default=lags[-1])
        row = acf.iloc[lags.index(lag)]
        d["ljung_box"] = {"lag": lag, "q": float(row.iloc[2]), "df": int(row.iloc[3]), "p": float(row.iloc[4])}
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
    for row in output.regression.itertuples(index=False):
        entry = {"variable": row.variable, "estimate": row.estimate, "se": row.se, "t": row.t}
        key = str(row.variable).lower()
        if key in windows:
            w = windows[key]
            regressors.append({**entry, "kind": "tet", "window": [w.start, w.end], "name": w.name})
        elif key == "workdays":
            regressors.append({**entry, "kind": "working_days"})
        elif "outlier" in str(row.group).lower() or str(row.variable)[:2].upper() in ("AO", "LS", "TC", "SO"):
            outliers.append(entry)
        else:
            regressors.append({**entry, "kind": str(row.group)})
    d["regressors"] = regressors
    d["outliers"] = outliers
    d["arima_estimates"] = [
        {"operator": r.operator, "factor": r.factor, "lag": r.lag, "estimate": r.estimate, "se": r.se}
        for r in output.arima.itertuples(index=False)]
    d["tet_windows"] = {w.name: [w.start, w.end] for w in spec.tet_windows}
    d["tet"] = _tet_verdict(regressors)
    d["selection"] = selection
    d["warnings"] = list(output.messages)
    return d


def _tet_verdict(regressors: list[dict[str, Any]]) -> dict[str, Any]:
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


def _assemble(y: pd.Series, original_index: pd.Index, spec: AdjustSpec, output: X13Output,
              selection: dict[str, Any]) -> Adjustment:
    index = y.index
    neutral = 1.0 if spec.transform == "log" else 0.0

    def out(series: pd.Series, name: str) -> pd.Series:
        return pd.Series(series.to_numpy(), index=original_index, name=name)

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
        diagnostics=_diagnostics(output, spec, selection),
        spec=spec,
    )
