"""The compile's month loops in C (``_month_kernel.c``), through ctypes (issue 16).

``pip install`` builds the C file as the extension ``vnindustry.compile._month_kernel``; :data:`KERNEL` is
``None`` where it was not built (no C compiler) and the callers (imputation, aggregate, disclosure) then run the
same sums in numpy — the tests set it to ``None`` to compare the two, bit for bit. Each method checks the types
and shapes C cannot, and works on one month: the callers' threads run months side by side, as ctypes releases
the GIL for the call.
"""

from __future__ import annotations

import ctypes

import numpy as np

from vnindustry.native import INT32, INT64, POINTER, address, load_library, require

_P, _N = POINTER, INT64


def _f64(a: np.ndarray) -> bool:
    return a.dtype == np.float64 and a.flags.c_contiguous


def _i64(a: np.ndarray) -> bool:
    return a.dtype == np.int64 and a.flags.c_contiguous


def _i32(a: np.ndarray) -> bool:
    return a.dtype == np.int32 and a.flags.c_contiguous


def for_panel(values: np.ndarray, flags: np.ndarray | None = None) -> MonthKernel | None:
    """The C loops for a panel they can read month by month — float64 ``values`` (and bool ``flags``) in row order
    —, else ``None`` (not built, or another layout: the numpy loops take any)."""
    ok = values.dtype == np.float64 and values.flags.c_contiguous and (
        flags is None or (flags.dtype == np.bool_ and flags.flags.c_contiguous))
    return KERNEL if ok else None


def check_indices(index: np.ndarray, size: int) -> None:
    """Stop unless every value of ``index`` is a position in an output of ``size``: the C loops write where their
    indices say. Checked once per compile by each caller (a pass per month would cost ~0.2 s), not per call."""
    require(len(index) == 0 or (int(index.min()) >= 0 and int(index.max()) < size))


class MonthKernel:
    """One month of imputation, product totals or disclosure statistics. Each method checks its arrays' types,
    lengths and layout; the values of its index arrays must have passed :func:`check_indices` for the outputs
    they index."""

    def __init__(self, library: ctypes.CDLL) -> None:
        def bind(name: str, argtypes: list, restype: type | None = None) -> ctypes._CFuncPtr:
            f = getattr(library, name)
            f.argtypes, f.restype = argtypes, restype
            return f

        self._matched = bind("vn_matched_sums", [_N, _P, _P, _P, _P, _P])
        self._impute = bind("vn_impute_month", [_N, _P, _P, _P, _P, _P, _P, INT32, _P, _P, _P, _P, _P])
        self._totals = bind("vn_product_totals", [_N, _P, _P, _P, _P, _P, _P], INT32)
        self._disclosure = bind("vn_disclosure_month", [_N, _P, _P, _P, _P, _P, _P, _P, _P, _N, _P, _P, _P, _N, _P,
                                                         _P, _P, _P])

    def matched_sums(self, prev: np.ndarray, curr: np.ndarray, pair_product: np.ndarray, n_products: int
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(Σ curr, Σ prev) per product over the pairs with a value in both months."""
        require(_f64(prev) and _f64(curr) and _i32(pair_product) and len(prev) == len(curr) == len(pair_product))
        s1, s0 = np.zeros(n_products), np.zeros(n_products)
        self._matched(len(prev), address(prev), address(curr), address(pair_product), address(s1), address(s0))
        return s1, s0

    def impute_month(self, prev: np.ndarray, curr: np.ndarray, ratio: np.ndarray, pair_product: np.ndarray,
                     gap: np.ndarray, present: np.ndarray, max_gap: int, imputed: np.ndarray, closed: np.ndarray,
                     scratch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Impute month ``curr`` in place (see ``vn_impute_month``); the pairs imputed and closed in it.
        ``scratch``: int64, room for 2 × pairs, reused month to month."""
        n = len(curr)
        require(_f64(prev) and _f64(curr) and _f64(ratio) and _i32(pair_product) and len(prev) == n
                and len(pair_product) == n and gap.dtype == np.int32 and len(gap) == n and gap.flags.c_contiguous
                and present.dtype == np.bool_ and len(present) == n and present.flags.c_contiguous
                and imputed.dtype == np.bool_ and closed.dtype == np.bool_ and len(imputed) == n
                and len(closed) == n and imputed.flags.c_contiguous and closed.flags.c_contiguous and _i64(scratch)
                and len(scratch) >= 2 * n)
        counts = np.zeros(2, dtype=np.int64)
        self._impute(n, address(prev), address(curr), address(ratio), address(pair_product), address(gap),
                     address(present), min(max(max_gap, 0), 2**31 - 1),  # a gap never passes the months
                     address(imputed), address(closed), address(scratch),
                     address(scratch[n:]), address(counts))
        return scratch[:counts[0]].copy(), scratch[n:n + counts[1]].copy()

    def product_totals(self, values: np.ndarray, flags: np.ndarray, pair_product: np.ndarray,
                       total: np.ndarray, flagged: np.ndarray, unflagged: np.ndarray) -> bool:
        """One month's Σ values, flagged part and unflagged count per product into the zeroed outputs; whether
        any cell has a value."""
        require(_f64(values) and flags.dtype == np.bool_ and flags.flags.c_contiguous and _i32(pair_product)
                and len(values) == len(flags) == len(pair_product) and _f64(total) and _f64(flagged)
                and _i64(unflagged) and len(total) == len(flagged) == len(unflagged))
        return bool(self._totals(len(values), address(values), address(flags), address(pair_product),
                                 address(total), address(flagged), address(unflagged)))

    def disclosure_month(self, values: np.ndarray, pair_product: np.ndarray, pair_el: np.ndarray,
                         pair_coef: np.ndarray, n_products: int, n_el: int, entry_el: np.ndarray,
                         entry_ne: np.ndarray, ne_node: np.ndarray, n_codes: int
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One month's (product total, product count, product top, node total, node count, node top)."""
        require(_f64(values) and _i32(pair_product) and _i32(pair_el) and _f64(pair_coef)
                and len(values) == len(pair_product) == len(pair_el) == len(pair_coef)
                and _i32(entry_el) and _i32(entry_ne) and len(entry_el) == len(entry_ne) and _i32(ne_node))
        prod = np.zeros((3, n_products))
        node = np.zeros((3, n_codes))
        el_val, ne_val = np.zeros(n_el), np.zeros(len(ne_node))
        self._disclosure(len(values), address(values), address(pair_product), address(pair_el), address(pair_coef),
                         address(prod[0]), address(prod[1]), address(prod[2]), address(el_val), len(entry_el),
                         address(entry_el), address(entry_ne), address(ne_val), len(ne_node), address(ne_node),
                         address(node[0]), address(node[1]), address(node[2]))
        return prod[0], prod[1], prod[2], node[0], node[1], node[2]


ABI = 1  # vn_abi_version() of _month_kernel.c: bump both when a signature changes
_LIBRARY = load_library(__file__, "_month_kernel", ABI)
KERNEL = None if _LIBRARY is None else MonthKernel(_LIBRARY)
