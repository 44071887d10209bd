"""A quick pre-screen of candidate regressors, in numpy, with the ARIMA model held fixed.

Every X-13 estimation costs ~10 ms however small, so comparing 16 Tết window combinations in X-13 would
cost more than the whole rest of an adjustment. Given the ARIMA model and its coefficients from the
identification run, the regression part of a regARIMA model is a generalised least-squares problem: the
differenced series and regressors are whitened by the ARMA filter and regressed by OLS. With the ARMA
coefficients held fixed, the candidate with the smaller residual sum of squares has the larger likelihood,
so ranking candidates by an AICc computed from that RSS orders them almost as X-13 would (X-13 also
re-estimates the ARMA coefficients for each). Only the few best are then estimated by X-13, whose AICc
decides. The filter is conditional (zero start-up values), the same for every candidate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.signal import lfilter

__all__ = ["ArimaFilter", "gls_t_values", "outlier_regressor", "rank_candidates"]

_ORDERS = re.compile(r"\d+")
_OUTLIER = re.compile(r"^(AO|LS|TC)(\d{4})\.([A-Za-z]{3})$", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"], start=1)}
_TC_RATE = 0.7  # X-13's default temporary-change decay


class ArimaFilter:
    """Differencing and ARMA whitening of a regARIMA model with known coefficients.

    Args:
        model: X-13's notation, ``"(p d q)(P D Q)"``.
        estimates: the ARIMA estimates X-13 saved (columns operator AR/MA, factor, lag, estimate), in X-13's
            sign convention (``1 − θ₁B − …``): a frame, or the parsed .est file's columns.
    """

    def __init__(self, model: str, estimates: pd.DataFrame | Mapping[str, list[Any]]) -> None:
        orders = [int(v) for v in _ORDERS.findall(model)]
        self.d = orders[1]
        self.seasonal_d = orders[4] if len(orders) >= 6 else 0
        ar = np.zeros(1)
        ma = np.zeros(1)
        ar[0] = ma[0] = 1.0
        polys: dict[tuple[str, str], dict[int, float]] = {}
        if isinstance(estimates, pd.DataFrame):
            rows = zip(estimates["operator"], estimates["factor"], estimates["lag"], estimates["estimate"],
                       strict=True) if len(estimates.columns) else iter(())
        else:  # the parsed .est file's columns (the frame's values, without building the frame)
            rows = zip(estimates["operator"], estimates["factor"], estimates["lag"], estimates["estimate"],
                       strict=True)
        for operator, factor, lag, estimate in rows:
            key = (str(operator).upper(), str(factor).lower())
            polys.setdefault(key, {})[int(lag)] = float(estimate)
        for (operator, _factor), terms in polys.items():
            poly = np.zeros(max(terms) + 1)
            poly[0] = 1.0
            for lag, value in terms.items():
                poly[lag] = -value
            if operator == "AR":
                ar = np.convolve(ar, poly)
            elif operator == "MA":
                ma = np.convolve(ma, poly)
        self.ar = ar
        self.ma = ma

    def difference(self, values: np.ndarray) -> np.ndarray:
        """Regular and seasonal differences along the first axis."""
        out = np.asarray(values, dtype=float)
        for _ in range(self.d):
            out = out[1:] - out[:-1]
        for _ in range(self.seasonal_d):
            out = out[12:] - out[:-12]
        return out

    def whiten(self, values: np.ndarray) -> np.ndarray:
        """Differenced, then passed through φ(B)/θ(B) (conditional, zero start)."""
        return lfilter(self.ar, self.ma, self.difference(values), axis=0)


def outlier_regressor(name: str, index: pd.PeriodIndex) -> np.ndarray | None:
    """X-13's AO, LS or TC regressor on ``index`` (None for other kinds or dates outside the index).

    LS follows X-13's convention (−1 before the shift, 0 from it on); after differencing only its
    change matters.
    """
    match = _OUTLIER.match(name)
    if match is None:
        return None
    kind, year, month = match.groups()
    at = pd.Period(year=int(year), month=_MONTHS[month.lower()], freq="M")
    if at < index[0] or at > index[-1]:
        return None
    position = int((at - index[0]).n)
    values = np.zeros(len(index))
    kind = kind.upper()
    if kind == "AO":
        values[position] = 1.0
    elif kind == "LS":
        values[:position] = -1.0
    else:
        values[position:] = _TC_RATE ** np.arange(len(index) - position)
    return values


def rank_candidates(y: np.ndarray, fixed: np.ndarray, candidates: Sequence[np.ndarray], arima: ArimaFilter, *,
                    constant: bool = False) -> np.ndarray:
    """Approximate AICc of each candidate (smaller is better), for ranking only.

    Args:
        y: the (transformed) series.
        fixed: regressors in every model (outliers, working days), shape (n, k), k may be 0.
        candidates: each candidate's own regressors, shape (n, k_i), k_i may be 0 (the model without).
        arima: the fixed ARIMA filter.
        constant: the model has a trend constant (a column of ones after differencing).
    """
    e_y = arima.whiten(y)
    n = len(e_y)
    base = [arima.whiten(fixed)] if fixed.size else []
    if constant:
        base.append(lfilter(arima.ar, arima.ma, np.ones((n, 1)), axis=0))
    scores = np.empty(len(candidates))
    n_arma = (len(np.flatnonzero(arima.ar[1:])) + len(np.flatnonzero(arima.ma[1:])))
    for i, cand in enumerate(candidates):
        parts = [*base, arima.whiten(cand)] if cand.size else list(base)
        if parts:
            design = np.hstack(parts)
            coef, *_ = np.linalg.lstsq(design, e_y, rcond=None)
            resid = e_y - design @ coef
            k = design.shape[1]
        else:
            resid, k = e_y, 0
        rss = float(resid @ resid)
        params = k + n_arma + 1
        scores[i] = n * np.log(rss / n) + 2 * params * n / max(n - params - 1, 1)
    return scores


def gls_t_values(y: np.ndarray, design: np.ndarray, arima: ArimaFilter, *, constant: bool = False) -> np.ndarray:
    """t-values of the columns of ``design`` in the regARIMA model with the ARMA coefficients fixed.

    Used to drop weak regressors before X-13 confirms the rest (its own t-values have the last word).
    """
    e_y = arima.whiten(y)
    parts = [arima.whiten(design)]
    if constant:
        parts.append(lfilter(arima.ar, arima.ma, np.ones((len(e_y), 1)), axis=0))
    x = np.hstack(parts)
    coef, *_ = np.linalg.lstsq(x, e_y, rcond=None)
    resid = e_y - x @ coef
    dof = max(len(e_y) - x.shape[1], 1)
    sigma2 = float(resid @ resid) / dof
    cov = sigma2 * np.linalg.pinv(x.T @ x)
    se = np.sqrt(np.clip(np.diag(cov), 1e-300, None))
    return (coef / se)[: design.shape[1]]
