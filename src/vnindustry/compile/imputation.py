"""Non-response imputation, month by month (docs/method.md, "Non-response").

An enterprise that reported product p in month t−1 (or was imputed there) but not in t gets
q(e,p,t) = q(e,p,t−1) × R(p,t), where R(p,t) is the matched ratio Σq(·,p,t)/Σq(·,p,t−1) over the
enterprises that *reported* p in both months. Without matched reporters the product's leaf industry
ratio is used (a ratio of weighted quantity relatives, so units cancel), and without those the last
value is carried forward. After ``max_gap`` imputed months in a row the pair counts as closed.

Each month needs only month t−1, so the loop runs over matrix rows (vectorised across all pairs).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from vnindustry.compile import month_kernel

# Where the ratio applied to a product in a month came from.
RATIO_PRODUCT, RATIO_INDUSTRY, RATIO_CARRY = 0, 1, 2


@dataclass
class Imputation:
    """The completed panel and what was done to it."""

    values: np.ndarray  # (T, n_pairs): reported or imputed quantity; NaN where neither
    imputed: np.ndarray  # (T, n_pairs) bool
    ratio: np.ndarray  # (T, n_products): R(p,t); NaN in the first month
    ratio_source: np.ndarray  # (T, n_products) int8: RATIO_PRODUCT | RATIO_INDUSTRY | RATIO_CARRY; -1 first month
    closed: np.ndarray  # (T, n_pairs) bool: the pair was silent past max_gap and stopped being imputed in t
    # ``np.nonzero(imputed)`` and ``np.nonzero(closed)`` — (month, pair) indices in row-major order —, gathered
    # month by month in the loop (a pass over the T × pairs matrices afterwards costs more).
    imputed_cells: tuple[np.ndarray, np.ndarray] | None = None
    closed_cells: tuple[np.ndarray, np.ndarray] | None = None

    def imputed_at(self) -> tuple[np.ndarray, np.ndarray]:
        """(month, pair) indices of the imputed cells, as ``np.nonzero(self.imputed)``."""
        return self.imputed_cells if self.imputed_cells is not None else np.nonzero(self.imputed)

    def closed_at(self) -> tuple[np.ndarray, np.ndarray]:
        """(month, pair) indices of the cells closed in their month, as ``np.nonzero(self.closed)``."""
        return self.closed_cells if self.closed_cells is not None else np.nonzero(self.closed)


def matched_ratios(
    prev: np.ndarray,
    curr: np.ndarray,
    prev_reported: np.ndarray,
    curr_reported: np.ndarray,
    pair_product: np.ndarray,
    product_industry: np.ndarray,
    product_scale: np.ndarray,
    n_industries: int,
) -> tuple[np.ndarray, np.ndarray]:
    """R(p,t) for every product, and where each came from (product, industry, or carry forward = 1).

    ``product_scale`` is w(p)/q̄₀(p), which turns quantities into weighted index points so the
    industry ratio can add up products measured in different units.
    """
    n_products = product_scale.shape[0]
    matched = prev_reported & curr_reported
    pp = pair_product[matched]
    s1 = np.bincount(pp, weights=curr[matched], minlength=n_products)
    s0 = np.bincount(pp, weights=prev[matched], minlength=n_products)
    return ratios_from_sums(s1, s0, product_industry, product_scale, n_industries)


def ratios_from_sums(s1: np.ndarray, s0: np.ndarray, product_industry: np.ndarray, product_scale: np.ndarray,
                     n_industries: int) -> tuple[np.ndarray, np.ndarray]:
    """R(p,t) and its source from the matched sums Σq(·,p,t) (``s1``) and Σq(·,p,t−1) (``s0``) per product."""
    product_ok = s0 > 0  # quantities are ≥ 0, so a positive sum also means at least one matched reporter
    ratio = np.divide(s1, s0, out=np.full(len(s0), np.nan), where=product_ok)
    ind = product_industry[product_ok]
    num = np.bincount(ind, weights=(product_scale * s1)[product_ok], minlength=n_industries)
    den = np.bincount(ind, weights=(product_scale * s0)[product_ok], minlength=n_industries)
    industry_ok = den > 0
    industry_ratio = np.divide(num, den, out=np.ones(n_industries), where=industry_ok)
    fallback_ok = industry_ok[product_industry]
    ratio = np.where(product_ok, ratio, np.where(fallback_ok, industry_ratio[product_industry], 1.0))
    source = np.where(product_ok, RATIO_PRODUCT, np.where(fallback_ok, RATIO_INDUSTRY, RATIO_CARRY))
    return ratio, source.astype(np.int8)


def impute(
    values: np.ndarray,
    pair_product: np.ndarray,
    product_industry: np.ndarray,
    product_scale: np.ndarray,
    n_industries: int,
    *,
    max_gap: int = 3,
    workers: int = 0,
) -> Imputation:
    """Impute non-response in place in ``values`` (T × pairs) and return it with flags.

    ``product_industry`` maps each product to its leaf industry index (0…n_industries−1); ``workers``: threads for
    the C loops (0: one per core).
    """
    n_months, n_pairs = values.shape
    n_products = product_scale.shape[0]
    # np.bincount works on intp: give it that once, not a converted copy in each of its ~3 calls a month.
    pair_product = pair_product.astype(np.intp, copy=False)
    product_industry = product_industry.astype(np.intp, copy=False)
    imputed = np.zeros((n_months, n_pairs), dtype=bool)
    closed = np.zeros((n_months, n_pairs), dtype=bool)
    ratio = np.full((n_months, n_products), np.nan)
    source = np.full((n_months, n_products), -1, dtype=np.int8)
    gap = np.zeros(n_pairs, dtype=np.int32)  # consecutive imputed months so far
    kernel = month_kernel.for_panel(values)
    if kernel is not None:
        return _impute_in_c(kernel, values, pair_product, product_industry, product_scale, n_industries,
                            max_gap, imputed, closed, ratio, source, gap, workers or os.cpu_count() or 1)
    prev_real = ~np.isnan(values[0])
    prev_present = prev_real  # a value, reported or imputed, in month t − 1
    imputed_pairs: list[np.ndarray] = []  # per month t ≥ 1: the pairs imputed (closed) in t
    closed_pairs: list[np.ndarray] = []
    for t in range(1, n_months):
        prev, curr = values[t - 1], values[t]
        curr_real = ~np.isnan(curr)
        ratio[t], source[t] = matched_ratios(prev, curr, prev_real, curr_real, pair_product,
                                             product_industry, product_scale, n_industries)
        silent = prev_present & ~curr_real
        candidates = silent & (gap < max_gap)
        # The indices once, not a boolean mask resolved three times.
        at = np.flatnonzero(candidates)
        curr[at] = prev[at] * ratio[t][pair_product[at]]
        imputed[t] = candidates
        imputed_pairs.append(at)
        silent &= ~candidates  # now: closed in t
        closed[t] = silent
        closed_pairs.append(np.flatnonzero(silent))
        gap += candidates  # one more imputed month; a report resets the count
        gap[curr_real] = 0
        prev_real = curr_real
        prev_present = curr_real | candidates
    return Imputation(values, imputed, ratio, source, closed, _cells(imputed_pairs), _cells(closed_pairs))


def _impute_in_c(kernel: month_kernel.MonthKernel, values: np.ndarray, pair_product: np.ndarray,
                 product_industry: np.ndarray, product_scale: np.ndarray, n_industries: int, max_gap: int,
                 imputed: np.ndarray, closed: np.ndarray, ratio: np.ndarray, source: np.ndarray, gap: np.ndarray,
                 workers: int) -> Imputation:
    """:func:`impute` with each month one C pass (the same arithmetic in the same order: identical results).
    The matched sums read reported values only — imputation fills cells without one — so every month's ratios are
    found first, months side by side on the threads. A pair's imputation then needs only its own last month, so
    the pairs are split among the threads, each taking its share through the months in order."""
    n_months, n_pairs = values.shape
    n_products = product_scale.shape[0]
    pair_product = pair_product.astype(np.int32, copy=False)
    month_kernel.check_indices(pair_product, n_products)

    def sums(t: int) -> tuple[np.ndarray, np.ndarray]:
        return kernel.matched_sums(values[t - 1], values[t], pair_product, n_products)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for t, matched in enumerate(pool.map(sums, range(1, n_months)), start=1):
            ratio[t], source[t] = ratios_from_sums(*matched, product_industry, product_scale, n_industries)
        present = ~np.isnan(values[0])  # a value, reported or imputed, in the month before

        def share(bounds: tuple[int, int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
            lo, hi = bounds
            scratch = np.empty(2 * (hi - lo), dtype=np.int64)
            imputed_pairs, closed_pairs = [], []
            for t in range(1, n_months):
                at, shut = kernel.impute_month(values[t - 1, lo:hi], values[t, lo:hi], ratio[t], pair_product[lo:hi],
                                               gap[lo:hi], present[lo:hi], max_gap, imputed[t, lo:hi],
                                               closed[t, lo:hi], scratch)
                imputed_pairs.append(at + lo)
                closed_pairs.append(shut + lo)
            return imputed_pairs, closed_pairs

        edges = np.linspace(0, n_pairs, workers + 1).astype(int)
        shares = list(pool.map(share, zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True)))
    # Each month's pairs in order: the shares are consecutive ranges of pairs.
    imputed_pairs = [np.concatenate([s[0][t] for s in shares]) for t in range(n_months - 1)]
    closed_pairs = [np.concatenate([s[1][t] for s in shares]) for t in range(n_months - 1)]
    return Imputation(values, imputed, ratio, source, closed, _cells(imputed_pairs), _cells(closed_pairs))


def _cells(per_month: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(month, pair) indices from the pairs of each month t = 1, 2, … (month 0 has none)."""
    if not per_month:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    months = np.repeat(np.arange(1, len(per_month) + 1), [len(p) for p in per_month])
    return months.astype(np.intp), np.concatenate(per_month).astype(np.intp, copy=False)
