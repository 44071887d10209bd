"""Valid but suspicious input, listed in validation.csv (the compile still runs).

The main check is the unit slip: a quantity at least ``ratio`` times, or at most 1/``ratio`` of, the
enterprise's own median for that product (kg typed where tấn was due gives ×1000).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from vnindustry.sources.dataset import Dataset
from vnindustry.sources.production import Panel

VALIDATION_COLUMNS = [
    "severity", "check", "file", "line", "enterprise", "product", "industry", "period", "value", "reference",
    "message",
]


def pair_medians(values: np.ndarray, chunk: int = 65_536, *, ratio: float | None = None, workers: int = 0
                 ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Median over months of each pair's reported quantities (NaN for a pair never reported), and with ``ratio``
    the (month, pair) indices — as ``np.nonzero`` orders them — of the values at least ``ratio`` times the pair's
    median or at most 1/``ratio`` of it (pairs whose median is 0 skipped: no scale to judge by).

    Works on column blocks: a block transposed to pair-major order sorts fast, NaN (as +inf) last,
    and the median sits at positions (n−1)//2 and n//2 of the n reported values; the block's values are compared
    with their medians while in the cache. Blocks are independent and numpy releases the GIL while sorting, so
    they run on all cores.
    """
    n_months, n_pairs = values.shape
    out = np.full(n_pairs, np.nan)

    def block_median(start: int) -> tuple[np.ndarray, np.ndarray]:
        part = values[:, start:start + chunk]
        block = part.T.copy()
        count = np.count_nonzero(~np.isnan(block), axis=1)
        block[np.isnan(block)] = np.inf
        block.sort(axis=1)
        rows = np.arange(block.shape[0])
        lo, hi = np.maximum(count - 1, 0) // 2, np.minimum(count // 2, n_months - 1)
        med = 0.5 * (block[rows, lo] + block[rows, hi])
        med = out[start:start + chunk] = np.where(count > 0, med, np.nan)
        if ratio is None:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        # A pair has a far value only if its smallest or largest is: the sorted block says which pairs to look at
        # (usually none), so the month-by-month comparison covers only those.
        smallest, largest = block[:, 0], block[rows, np.maximum(count - 1, 0)]
        with np.errstate(invalid="ignore"):
            maybe = np.flatnonzero(((largest >= ratio * med) | (smallest <= med / ratio)) & (med > 0))
            some = part[:, maybe]
            flagged = (some >= ratio * med[maybe]) | (some <= med[maybe] / ratio)
        t_idx, which = np.nonzero(flagged)
        return t_idx, maybe[which] + start

    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        found = list(pool.map(block_median, range(0, n_pairs, chunk)))
    t_idx = np.concatenate([f[0] for f in found])
    pair_idx = np.concatenate([f[1] for f in found])
    order = np.lexsort((pair_idx, t_idx))  # month, then pair: np.nonzero's order over the whole panel
    return out, (t_idx[order], pair_idx[order])


def suspicious_values(panel: Panel, ratio: float, *, workers: int = 0
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(month idx, pair idx, value, median) of reported quantities far from the pair's own median."""
    values = panel.values
    median, (t_idx, pair_idx) = pair_medians(values, ratio=ratio, workers=workers)
    return t_idx, pair_idx, values[t_idx, pair_idx], median[pair_idx]


def validation_table(ds: Dataset, panel: Panel, ratio: float, *, workers: int = 0) -> pd.DataFrame:
    """All warnings about the input (call before imputation, which fills the panel in place); ``workers``
    threads (0: one per core)."""
    rows: list[dict[str, object]] = [
        {"severity": "warning", "check": w.check, "file": w.file, "line": w.line, "industry": w.code,
         "message": w.message}
        for w in ds.warnings
    ]
    periods = panel.periods
    per_month = panel.month_rows
    for t in np.nonzero(per_month == 0)[0].tolist():
        rows.append({"severity": "warning", "check": "empty_month", "file": ds.production_path.name,
                     "period": periods[t],
                     "message": "no production rows for this month inside the data's span; every index is "
                                "imputed or zero"})
    seen_products = np.zeros(len(ds.products), dtype=bool)
    seen_products[panel.pair_product] = True
    for i in np.nonzero(~seen_products)[0].tolist():
        p = ds.products[i]
        rows.append({"severity": "warning", "check": "product_without_data", "file": "products.csv",
                     "line": p.line, "product": p.code, "industry": p.industry,
                     "message": "no production rows for this product: its index is 0 in every month"})
    t_idx, pair_idx, value, median = suspicious_values(panel, ratio, workers=workers)
    for t, i, v, m in zip(t_idx.tolist(), pair_idx.tolist(), value.tolist(), median.tolist(), strict=True):
        product = ds.products[panel.pair_product[i]]
        times = v / m
        rows.append({
            "severity": "warning", "check": "suspicious_value", "file": ds.production_path.name,
            "enterprise": panel.enterprise_codes[panel.pair_enterprise[i]], "product": product.code,
            "industry": product.industry, "period": periods[t], "value": v, "reference": m,
            "message": f"{times:.4g} × the enterprise's median for this product ({m:g} {product.unit}); "
                       f"check the unit (kg vs tấn?)",
        })
    frame = pd.DataFrame(rows, columns=VALIDATION_COLUMNS)
    frame["line"] = frame["line"].astype("Int64")
    return frame
