"""X-13's saved monthly tables read in C (``_table_kernel.c``), through ctypes (issue 16).

``pip install`` builds the C file as the extension ``vnindustry.analysis.seasonal._table_kernel``; :data:`KERNEL`
is ``None`` where it was not built (no C compiler), and :func:`~vnindustry.analysis.seasonal.saved.parse_table`
then reads every table in Python. The kernel reads only the regular tables (a date and the same number of values
on every line, consecutive months) and says so when a table is not one; the Python reading takes those. The
tests set :data:`KERNEL` to ``None`` to compare the two.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache

import numpy as np

from vnindustry.native import INT64, POINTER, load_library

__all__ = ["KERNEL", "TableKernel", "month_keys"]

#: The signatures' version, as ``vn_abi_version()`` in the C file returns it.
ABI = 1


@lru_cache(maxsize=64)
def _keys(start: int, rows: int) -> tuple[str, ...]:
    return tuple(f"{(start + i) // 12:04d}{(start + i) % 12 + 1:02d}" for i in range(rows))


def month_keys(start: int, rows: int) -> list[str]:
    """The row keys of a table of ``rows`` consecutive months from ``start`` (year × 12 + month − 1), as X-13
    writes them ("201801"); cached per span (a run's tables share one)."""
    return list(_keys(start, rows))


class TableKernel:
    """The C reading of one saved monthly table."""

    def __init__(self, library: ctypes.CDLL) -> None:
        self._read = library.vn_x13_monthly_table
        self._read.argtypes = [ctypes.c_char_p, INT64, INT64, POINTER, INT64, POINTER]
        self._read.restype = INT64

    def monthly(self, body: bytes, width: int) -> tuple[int, np.ndarray] | None:
        """The first month (year × 12 + month − 1) and the values (rows × ``width``) of the table ``body`` — its
        text from the header on, UTF-8 —, or None when it is not a regular table of consecutive months."""
        max_rows = body.count(b"\n") + 1
        values = np.empty((max_rows, width), dtype=np.float64)
        start = np.zeros(1, dtype=np.int64)
        rows = self._read(body, len(body), width, values.ctypes.data, max_rows, start.ctypes.data)
        if rows < 0:
            return None
        return int(start[0]), values[:rows]


_LIBRARY = load_library(__file__, "_table_kernel", ABI)
KERNEL = None if _LIBRARY is None else TableKernel(_LIBRARY)
