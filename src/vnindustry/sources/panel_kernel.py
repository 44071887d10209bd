"""The C row loops of the one-pass Parquet reader (``_panel_kernel.c``), through ctypes (issue 16).

``pip install`` builds the C file as the extension ``vnindustry.sources._panel_kernel``; :data:`KERNEL` is
``None`` where it was not built (no C compiler), and the reader then does the same work in numpy (the tests set
it to ``None`` to compare the two). ctypes releases the GIL during each call, so the reader's threads run the
loops side by side.
"""

from __future__ import annotations

import ctypes

import numpy as np

from vnindustry.native import INT32, INT64, POINTER, address, load_library, require


class PanelKernel:
    """The two loops, with the checks on their arguments' types that C cannot make."""

    def __init__(self, library: ctypes.CDLL) -> None:
        self._mark = library.vn_mark_keys
        self._mark.argtypes = [INT64, POINTER, POINTER, POINTER, POINTER, INT32, POINTER, POINTER]
        self._mark.restype = None
        self._set_bits = library.vn_set_bits
        self._set_bits.argtypes = [POINTER, INT64, POINTER]
        self._set_bits.restype = INT64
        self._scatter = library.vn_scatter
        self._scatter.argtypes = [INT64, POINTER, POINTER, INT32, POINTER, POINTER, INT32, POINTER, INT64, POINTER,
                                  POINTER, POINTER]
        self._scatter.restype = None

    def mark_keys(self, ent_idx: np.ndarray, prod_idx: np.ndarray, e_ids: np.ndarray, p_ranks: np.ndarray,
                  shift: int, seen: np.ndarray) -> np.ndarray:
        """``keys = e_ids[ent_idx] << shift | p_ranks[prod_idx]`` as int32, each key's bit set in the bitmap
        ``seen`` (uint64 words; bit k is bit k % 64 of word k // 64). The caller guarantees every key fits
        ``seen`` (its largest enterprise id checked beforehand)."""
        ent_idx = np.ascontiguousarray(ent_idx, dtype=np.int32)
        prod_idx = np.ascontiguousarray(prod_idx, dtype=np.int32)
        e_ids = np.ascontiguousarray(e_ids, dtype=np.int64)
        p_ranks = np.ascontiguousarray(p_ranks, dtype=np.int64)
        require(len(ent_idx) == len(prod_idx) and seen.dtype == np.uint64 and seen.flags.c_contiguous
                and ((int(e_ids.max(initial=0)) << shift) | int(p_ranks.max(initial=0))) < 64 * len(seen)
                and int(e_ids.min(initial=0)) >= 0 and int(p_ranks.min(initial=0)) >= 0)
        keys = np.empty(len(ent_idx), dtype=np.int32)
        self._mark(len(keys), address(ent_idx), address(prod_idx), address(e_ids), address(p_ranks), shift,
                   address(keys), address(seen))
        return keys

    def set_bits(self, words: np.ndarray) -> np.ndarray:
        """The positions of the set bits of the bitmap ``words`` (uint64), in order (int64)."""
        require(words.dtype == np.uint64 and words.flags.c_contiguous)
        out = np.empty(int(np.bitwise_count(words).sum()), dtype=np.int64)
        self._set_bits(address(words), len(words), address(out))
        return out

    def scatter(self, keys: np.ndarray, month: np.ndarray | None, offsets: np.ndarray, rank_of: np.ndarray | None,
                shift: int, sorted_keys: np.ndarray, start: np.ndarray, quantity: np.ndarray, flat: np.ndarray
                ) -> None:
        """Each row's quantity into its cell of ``flat``: see ``vn_scatter`` in the C file. ``month`` is None
        when every row is in ``offsets[0]``'s month; ``start[r]``: the first of enterprise rank r's pairs among
        ``sorted_keys`` (``len(start)`` = enterprises + 1). Every row's key must be among ``sorted_keys``."""
        require(keys.dtype == np.int32 and quantity.dtype == np.float64 and len(keys) == len(quantity)
                and offsets.dtype == np.int64 and sorted_keys.dtype == np.int64 and sorted_keys.flags.c_contiguous
                and start.dtype == np.int64 and start.flags.c_contiguous and len(start) >= 1
                and start[-1] == len(sorted_keys) and flat.dtype == np.float64 and flat.flags.c_contiguous
                and offsets.flags.c_contiguous
                and (rank_of is None or (rank_of.dtype == np.int32 and rank_of.flags.c_contiguous))
                and (month is None or (month.dtype in (np.uint8, np.uint16) and len(month) == len(keys))))
        arrays = [np.ascontiguousarray(a) for a in (keys, quantity)]
        month = None if month is None else np.ascontiguousarray(month)
        self._scatter(len(keys), address(arrays[0]), address(month), 0 if month is None else month.itemsize,
                      address(offsets), address(rank_of), shift, address(sorted_keys), len(sorted_keys),
                      address(start), address(arrays[1]), address(flat))


ABI = 1  # vn_abi_version() of _panel_kernel.c: bump both when a signature changes
_LIBRARY = load_library(__file__, "_panel_kernel", ABI)
KERNEL = None if _LIBRARY is None else PanelKernel(_LIBRARY)
