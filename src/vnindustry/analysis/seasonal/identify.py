"""Identification: the choices :func:`~vnindustry.analysis.seasonal.adjust.seas` makes when no frozen spec
is given — transform, ARIMA model and outliers (:func:`identify_transform`), outliers against Tết
(:func:`prefer_tet`), the Tết windows by AICc after a numpy pre-screen (:func:`choose_windows`), and the
weak regressors dropped — frozen at the end in an :class:`~vnindustry.analysis.seasonal.spec.AdjustSpec`
(:func:`identify`). The steps are described in :mod:`vnindustry.analysis.seasonal.adjust`.

scipy (the pre-screen's ARMA filter, the χ² quantile) is imported where identification needs it, not when
this module is: the monthly re-run of frozen specs, which identifies nothing, then starts a second sooner.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal.regressors import (
    CENTRE_SPAN,
    DEFAULT_WINDOWS,
    TetWindow,
    candidate_windows,
    tet_regressor,
)
from vnindustry.analysis.seasonal.result import T_THRESHOLD
from vnindustry.analysis.seasonal.runs import Inputs, Model, Steps, ask, drive, one_steps, regarima_request
from vnindustry.analysis.seasonal.spec import AUTOMDL, AdjustSpec
from vnindustry.analysis.seasonal.x13 import X13Error, X13Output

__all__ = ["AIRLINE", "PRESCREEN_KEEP", "TET_MONTH_SHARE", "TET_PVALUE", "TRANSFORM_AICC_DIFF", "TRANSFORM_TESTS",
           "TetOption", "TransformTest", "chi2_quantile", "identify", "identify_steps",
           "nonpositive_message", "outlier_month", "prefer_tet", "t_values", "tet_months"]

#: A chosen Tết window set must beat "no Tết" by the AICc gain of a chi-square test at this level.
TET_PVALUE = 0.01
#: Candidates the numpy pre-screen passes to X-13 (besides the model without Tết).
PRESCREEN_KEEP = 3
#: Log is kept unless the additive model's AICc is lower by more than this (X-13's ``aicdiff``).
TRANSFORM_AICC_DIFF = 2.0
#: A month is a Tết month when a window's centred share there is at least this far from 0.
TET_MONTH_SHARE = 0.1
#: The airline model, on which ``transform_test="airline"`` compares the transforms.
AIRLINE = "(0 1 1)(0 1 1)"
#: How ``transform="auto"`` compares log and none (:func:`identify_steps`).
TransformTest = Literal["identified", "airline"]
TRANSFORM_TESTS: tuple[str, ...] = ("identified", "airline")

TetOption = Literal["auto"] | bool | Sequence[TetWindow] | None


def chi2_quantile(q: float, df: int) -> float:
    """The ``q`` quantile of the χ² distribution with ``df`` degrees of freedom: 2·P⁻¹(df/2, q), P the
    regularised lower incomplete gamma function — what ``scipy.stats.chi2.ppf`` computes, to the bit, without
    loading scipy.stats (a second of start-up that the monthly re-run with frozen specs does not need)."""
    from scipy.special import gammaincinv

    return float(2 * gammaincinv(df / 2, q))


def nonpositive_message(y: pd.Series) -> str:
    """Why a log transform cannot take ``y`` (its values ≤ 0, the first three named), and what to use."""
    bad = [f"{p} = {v:g}" for p, v in y[y <= 0].head(3).items()]
    return (f"a log transform needs positive values; the series has {int((y <= 0).sum())} ≤ 0 "
            f"({', '.join(bad)}): use transform='none' (additive) or transform='auto'")


def _regression(output: X13Output, *names: str) -> list[tuple[Any, ...]]:
    """Columns ``names`` of the run's regression estimates, row by row: read from the parsed .est file (the
    frame ``output.regression`` holds the same values; building it cost more than the rest of a step's
    Python). Without an .est file, the frame's behaviour: an empty frame, which has no such column."""
    columns = output.estimates.get("regression") if output.estimates else None
    if columns is None:
        frame = output.regression
        return list(zip(*(frame[n] for n in names), strict=True))
    return list(zip(*(columns[n] for n in names), strict=True))


def t_values(output: X13Output) -> dict[str, float]:
    """The t-value of each regressor of a run, by lower-case variable name."""
    return {str(v).lower(): float(t) for v, t in _regression(output, "variable", "t")}


def found_variables(output: X13Output) -> tuple[tuple[str, ...], bool]:
    """The outliers X-13 found (or was given) and whether the model has a constant."""
    outliers, constant = [], False
    for group, variable in _regression(output, "group", "variable"):
        if str(group).lower() == "constant":
            constant = True
        elif "outlier" in str(group).lower() or str(variable)[:2].upper() in ("AO", "LS", "TC", "SO"):
            outliers.append(str(variable))
    return tuple(outliers), constant


def _arima(output: X13Output) -> Any:
    """The run's ARIMA estimates for :class:`~vnindustry.analysis.seasonal.prescreen.ArimaFilter`: the parsed
    columns (the frame ``output.arima`` holds the same values), or the frame when there are none."""
    columns = output.estimates.get("arima") if output.estimates else None
    return output.arima if columns is None else columns


def parse_tet(tet: TetOption) -> tuple[str, tuple[TetWindow, ...]]:
    """``seas``'s ``tet=`` as a mode (``auto``, ``fixed`` or ``off``) and the windows to start from."""
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


def choose_windows(inputs: Inputs, ident: X13Output, base: Model, combos: list[tuple[TetWindow, ...]],
                    selection: dict[str, Any]) -> Steps[tuple[tuple[TetWindow, ...], X13Output]]:
    """Rank the candidates (and no Tết) in numpy, estimate the best few in one X-13 process, pick by AICc."""
    from vnindustry.analysis.seasonal.prescreen import ArimaFilter, outlier_regressor, rank_candidates

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
                                 ArimaFilter(base.arima, _arima(ident)), constant="const" in base.variables)
    except (ValueError, np.linalg.LinAlgError):  # no pre-screen possible: X-13 compares them all
        scores = np.full(len(options), np.nan)
        keep_count = len(options)
    order = [int(i) for i in np.argsort(scores, kind="stable")]
    # The best few by the pre-screen, and always the model without Tết, so that "no Tết effect" is
    # decided by X-13's own AICc.
    keep = list(dict.fromkeys([0, *order[:keep_count]]))
    models = {f"c{i}": Model(base.transform, base.arima, options[i], base.working_days, base.variables)
              for i in keep}
    results = yield from ask(regarima_request(inputs, models))
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
        critical = chi2_quantile(1 - TET_PVALUE, k) - 2 * k
        selection["tet_test"] = {"aicc_gain": gain, "critical": critical, "p": TET_PVALUE, "accepted": gain > critical}
        if gain <= critical:
            best = 0
    selection["chosen_by_aicc"] = [str(w) for w in options[best]]
    output = results[f"c{best}"]
    assert isinstance(output, X13Output)
    return options[best], output


def identify_transform(inputs: Inputs, arima: str, windows: tuple[TetWindow, ...], use_wd: bool,
                        outliers: bool, selection: dict[str, Any]) -> Steps[tuple[X13Output, str]]:
    """Identify the model under both transforms and keep the one with the lower AICc (log on a tie).

    X-13's own transform test (``transform{function=auto}``) compares log and none on the airline model
    *before* outliers are identified: on a series with shocks such as the COVID lockdowns it then picks
    the additive model, whose Tết effect is a fixed number of points — too small once the series has grown,
    too large before (the demo city's IIP, issue 13). Here each transform gets its own ARIMA model and
    outliers; then both are estimated again with the same outliers (those either found) and their AICc
    (X-13's, adjusted for the log's Jacobian, so comparable) decides; as in X-13's test (``aicdiff=-2``),
    log is kept unless none is better by more than 2.
    """
    models = {"tlog": Model("log", arima, windows, use_wd, (), outliers),
              "tnone": Model("none", arima, windows, use_wd, (), outliers)}
    results = yield from ask(regarima_request(inputs, models))
    selection["runs"] += 1
    good = {name: r for name, r in results.items() if isinstance(r, X13Output)}
    if len(good) == 2:
        # Compared with the same outliers (those either found), so that the transform alone is compared:
        # each outlier is worth far more than its AICc penalty (X-13 adds it at |t| ≈ 4), and a transform
        # that leaves a few months to outliers would otherwise win by them.
        union: dict[str, None] = {}
        for r in good.values():
            found, constant = found_variables(r)
            union.update(dict.fromkeys((("const",) if constant else ()) + found))
        same = {f"s{name[1:]}": replace(models[name], arima=" ".join(r.udg.get("arimamdl", "").split()) or arima,
                                        variables=tuple(union), detect_outliers=False)
                for name, r in good.items()}
        compared = yield from ask(regarima_request(inputs, same))
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
    return months_moved(values, index, threshold=threshold)


def months_moved(values: np.ndarray, index: pd.PeriodIndex, *, threshold: float = TET_MONTH_SHARE) -> set[pd.Period]:
    """:func:`tet_months` from the windows' regressors already computed (``values``: a column a window, a row a
    month of ``index``)."""
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


def tet_outliers(inputs: Inputs, ident: X13Output, model: Model,
                  selection: dict[str, Any]) -> Steps[tuple[tuple[str, ...], X13Output]]:
    """Apply :func:`prefer_tet` to the outliers X-13 found at Tết months; returns the outliers kept and the
    regARIMA run of the model with them (its ARMA coefficients feed the next steps)."""
    found, _ = found_variables(ident)
    # The regressors the runs use (cached per span), not computed again: the months are tet_months'.
    months = months_moved(inputs.matrix(model.windows), inputs.y.index) if model.windows else set()
    candidates = [o for o in found if outlier_month(o) in months]
    if not candidates:
        return found, ident
    estimates = {str(v): e for v, e in _regression(ident, "variable", "estimate")}
    others = tuple(v for v in model.variables if v not in candidates)
    refit = (yield from ask(regarima_request(inputs, {"w": replace(model, variables=others,
                                                                   detect_outliers=False)})))["w"]
    selection["runs"] += 1
    if isinstance(refit, X13Error):
        selection["tet_outliers"] = [{"outlier": o, "kept": True, "reason": "refit failed"} for o in candidates]
        return found, ident
    t = t_values(refit)
    names = [w.variable for w in model.windows]
    t_max = max((abs(t.get(v, 0.0)) for v in names), default=0.0)
    betas = {str(v).lower(): e for v, e in _regression(refit, "variable", "estimate")}
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
    final = (yield from ask(regarima_request(inputs, {"k": replace(model, variables=tuple(
        v for v in model.variables if v not in candidates or v in kept))})))["k"]
    selection["runs"] += 1
    if isinstance(final, X13Error):
        raise final
    return outliers, final


def airline_transform(inputs: Inputs, arima: str, windows: tuple[TetWindow, ...], use_wd: bool,
                      outliers: bool, selection: dict[str, Any]) -> Steps[tuple[X13Output, str]]:
    """``transform_test="airline"``: the transforms compared as :func:`identify_transform` compares them (each
    with its own outliers, then with the same outliers, by AICc), but on the airline model; then the ARIMA
    model (``arima``: automdl) and the outliers identified under the chosen transform only.

    X-13's automdl with its outlier search runs once instead of twice, the most of a first identification's X-13
    work: on the demo city's 540 series, about 30% less CPU in all, at one X-13 process more a series. A change
    of method, not of speed alone: a series whose log and additive models differ in ARIMA model may be given the
    other transform (the README gives the counts measured on the demo city)."""
    ident, chosen = yield from identify_transform(inputs, AIRLINE, windows, use_wd, outliers, selection)
    ident = yield from one_steps(inputs, Model(chosen, arima, windows, use_wd, (), outliers))
    selection["runs"] += 1
    return ident, chosen


def identify(y: pd.Series, **options: Any) -> tuple[AdjustSpec, dict[str, Any], set[str]]:
    """Steps 1–4 of ``seas`` on the prepared series ``y`` (arguments as ``seas`` takes them; see
    :func:`identify_steps`), each X-13 run alone in its own process."""
    return drive(identify_steps(y, **options))


def identify_steps(y: pd.Series, *, tet: TetOption, working_days: Literal["auto"] | bool, transform: str,
                   outliers: bool, arima: str, candidates: Sequence[Sequence[TetWindow]] | None, forecast: int,
                   centre_span: tuple[int, int], seasonalma: str | None, exclude_tet: bool,
                   transform_test: TransformTest = "identified") -> Steps[tuple[AdjustSpec, dict[str, Any], set[str]]]:
    """Steps 1–4 of ``seas`` on the prepared series ``y`` (arguments as ``seas`` takes them), as steps.

    Returns:
        The frozen spec, the selection record (``diagnostics["selection"]``, its ``runs`` counting X-13
        processes so far) and the regressors the final run may still drop for a small X-13 t-value.
    """
    positive = bool((y > 0).all())
    if transform not in ("auto", "log", "none"):
        raise ValueError(f"transform must be 'auto', 'log' or 'none', not {transform!r}")
    if transform_test not in TRANSFORM_TESTS:
        raise ValueError(f"transform_test must be 'identified' or 'airline', not {transform_test!r}")
    if transform == "log" and not positive:
        raise ValueError(nonpositive_message(y))
    if working_days not in ("auto", True, False):
        raise ValueError(f"working_days must be 'auto', True or False, not {working_days!r}")
    if arima not in AUTOMDL:
        AdjustSpec(transform="log", arima=arima)  # validates the notation, with its message
    tet_mode, windows = parse_tet(tet)
    use_wd = working_days is not False
    inputs = Inputs(y, forecast, centre_span, exclude_tet)
    selection: dict[str, Any] = {"runs": 0}  # X-13 processes: each step below counts its own

    # 1. Transform, ARIMA model and outliers, with the default calendar regressors in the model (so that
    # the Tết swing is not taken for outliers). Always run: the ARMA coefficients feed the pre-screen.
    chosen_transform = transform if positive else "none"
    if chosen_transform == "auto":
        # With a given model (not automdl) both tests are the same: each transform on that model.
        airline = transform_test == "airline" and arima in AUTOMDL
        selection["transform_test"] = "airline" if airline else "identified"
        test = airline_transform if airline else identify_transform
        ident, chosen_transform = yield from test(inputs, arima, windows, use_wd, outliers, selection)
    else:
        ident = yield from one_steps(inputs, Model(chosen_transform, arima, windows, use_wd, (), outliers))
        selection["runs"] += 1
    model_arima = arima
    if arima in AUTOMDL:
        model_arima = " ".join(ident.udg.get("arimamdl", "").split())
        if not model_arima:
            raise X13Error(["automdl chose no model"], name="identification")
    found, constant = found_variables(ident)
    selection["identification"] = {"transform": chosen_transform, "arima": model_arima, "outliers": list(found),
                                   "constant": constant}
    if tet_mode != "off" and found:
        found, ident = yield from tet_outliers(inputs, ident, Model(chosen_transform, model_arima, windows, use_wd,
                                                           (("const",) if constant else ()) + found),
                                     selection)
    variables = (("const",) if constant else ()) + found
    # The last X-13 run of the model as it stands: its t-values are exact, its ARMA coefficients the best
    # available for the numpy steps.
    last = ident

    # 2. Tết windows by AICc.
    if tet_mode == "auto":
        combos = [tuple(c) for c in (candidates if candidates is not None else candidate_windows())]
        base = Model(chosen_transform, model_arima, (), use_wd, variables)
        windows, last = yield from choose_windows(inputs, ident, base, combos, selection)

    # 3. Drop weak regressors, the weakest first: first by the t-values of the last X-13 run, then by
    # those of the regression with its ARMA coefficients fixed (numpy); X-13's own t-values are checked
    # again in the final run.
    droppable = {w.variable for w in windows} if tet_mode == "auto" else set()
    if working_days == "auto":
        droppable.add("workdays")
    dropped: list[dict[str, Any]] = []
    if droppable:
        from vnindustry.analysis.seasonal.prescreen import ArimaFilter, gls_t_values, outlier_regressor

        y_t = np.log(y.to_numpy()) if chosen_transform == "log" else y.to_numpy()
        outlier_columns = [c for c in (outlier_regressor(v, y.index) for v in found) if c is not None]
        arima_filter = ArimaFilter(model_arima, _arima(last))
        exact: dict[str, float] | None = t_values(last)
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
