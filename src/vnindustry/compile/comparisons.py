"""Comparisons of monthly index series as GSO publishes them (docs/method.md, "Comparisons").

All functions take a (T × k) array of indices for consecutive months starting at month key ``first``
and return unrounded percentage changes; a comparison that needs a month outside the data, or divides
by zero, is NaN (an empty cell), never 0.
"""

from __future__ import annotations

import numpy as np


def _pct(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(num.shape, np.nan)
    ok = np.isfinite(num) & np.isfinite(den) & (den != 0)
    np.divide(num, den, out=out, where=ok)
    out[ok] = 100.0 * (out[ok] - 1.0)
    return out


def lagged(x: np.ndarray, lag: int) -> np.ndarray:
    """``x`` shifted down by ``lag`` rows, NaN-filled at the top."""
    out = np.full(x.shape, np.nan)
    if lag < x.shape[0]:
        out[lag:] = x[: x.shape[0] - lag]
    return out


def mom_pct(index: np.ndarray) -> np.ndarray:
    """Change on the previous month, %: 100·(I(t)/I(t−1) − 1)."""
    return _pct(index, lagged(index, 1))


def yoy_pct(index: np.ndarray) -> np.ndarray:
    """Change on the same month last year, %: 100·(I(t)/I(t−12) − 1)."""
    return _pct(index, lagged(index, 12))


def ytd_sums(index: np.ndarray, first: int) -> np.ndarray:
    """Σ I(y,1..M) for each month (y, M); NaN where January of y is before the data."""
    sums = np.full(index.shape, np.nan)
    running = np.full(index.shape[1:], np.nan)
    for t in range(index.shape[0]):
        month = (first + t) % 12  # 0 = January
        # A year that started before the data keeps a NaN running sum.
        running = index[t].copy() if month == 0 else running + index[t]
        sums[t] = running
    return sums


def ytd_pct(index: np.ndarray, first: int) -> np.ndarray:
    """Year to date on the same period last year, % (ratio of sums of monthly indices)."""
    sums = ytd_sums(index, first)
    return _pct(sums, lagged(sums, 12))


def contribution_pp(node_index: np.ndarray, node_weight: np.ndarray, root_index: np.ndarray,
                    root_weight: float) -> np.ndarray:
    """Contribution of nodes to the root's year-on-year change, percentage points.

    100·W(n)·(I(n,t) − I(n,t−12)) / (W(root)·I(root,t−12)); ``node_index`` is T × k, ``node_weight`` k.
    """
    prev = lagged(node_index, 12)
    root_prev = lagged(root_index.reshape(-1, 1), 12)
    den = root_weight * root_prev
    out = np.full(node_index.shape, np.nan)
    num = 100.0 * node_weight.reshape(1, -1) * (node_index - prev)
    ok = np.isfinite(num) & np.isfinite(den) & (den != 0)
    np.divide(num, np.broadcast_to(den, num.shape), out=out, where=ok)
    return out
