"""From completed quantities to product, leaf-industry, tree and group indices (docs/method.md).

- Product:  I(p,t) = 100·Q(p,t)/q̄₀(p)
- Leaf:     I(k,t) = Σ w(p)·I(p,t) / Σ w(p)           over the leaf's products
- Node/group: I(n,t) = Σ W(l)·I(l,t) / Σ W(l)          over the leaves under n

The imputed part of each index (J) is aggregated the same way, so imputed_share = J/I.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from vnindustry.compile import month_kernel


def product_totals(values: np.ndarray, flags: np.ndarray, pair_product: np.ndarray, n_products: int, *,
                   workers: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per product and month: Q = Σ completed quantities, the part in flagged (imputed) cells, and the
    number of pairs with an unflagged (reported) value; and per month whether it has no value at all (every
    cell NaN) — found here, where each month's cells are tested anyway, not by another pass over the panel."""
    n_months = values.shape[0]
    pair_product = pair_product.astype(np.intp, copy=False)  # np.bincount's own type: no copy a call
    total = np.zeros((n_months, n_products))
    flagged = np.zeros((n_months, n_products))
    unflagged_count = np.zeros((n_months, n_products), dtype=np.int64)
    empty = np.zeros(n_months, dtype=bool)

    kernel = month_kernel.for_panel(values, flags)
    pair_product_32 = pair_product.astype(np.int32, copy=False)
    if kernel is not None:
        month_kernel.check_indices(pair_product_32, n_products)

    def month(t: int) -> None:
        if kernel is not None:  # one C pass, the GIL released: the months side by side
            empty[t] = not kernel.product_totals(values[t], flags[t], pair_product_32, total[t], flagged[t],
                                                 unflagged_count[t])
            return
        present = ~np.isnan(values[t])
        empty[t] = not present.any()
        row = np.where(present, values[t], 0.0)
        total[t] = np.bincount(pair_product, weights=row, minlength=n_products)
        flagged[t] = np.bincount(pair_product[flags[t]], weights=row[flags[t]], minlength=n_products)
        unflagged_count[t] = np.bincount(pair_product[present & ~flags[t]], minlength=n_products)

    # Months are independent: on every core (in numpy, only the masks and gathers run without the GIL;
    # np.bincount holds it, so those sums take turns).
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(month, range(n_months)))
    return total, flagged, unflagged_count, empty


def mean_matrix(member_of: list[list[int]], weights: np.ndarray) -> np.ndarray:
    """(k × m) matrix whose column j averages the members of aggregate j with the given weights."""
    out = np.zeros((weights.shape[0], len(member_of)))
    for j, members in enumerate(member_of):
        w = weights[members]
        out[members, j] = w / w.sum()
    return out


def weighted_means(index: np.ndarray, member_of: list[list[int]], weights: np.ndarray) -> np.ndarray:
    """Weighted means of columns of ``index`` (T × k) for each aggregate (→ T × m)."""
    return index @ mean_matrix(member_of, weights)
