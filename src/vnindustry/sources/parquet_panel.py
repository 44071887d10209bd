"""One pass over a Parquet production table into the dense panel, for clean files (issue 16).

The general reader (:mod:`vnindustry.sources.production`) makes three DuckDB passes and a hash join on the
codes. A Parquet file already stores each row group's codes as a dictionary plus integer indices, so this
reader works on the integers: each row group's (small) dictionaries are mapped once to global ids — products
to their rank among products.csv's codes, enterprises to an id given on first sight, months through
:func:`~vnindustry.periods.parse_month` — and the rows become integer keys ``enterprise·stride + product``
without a string being compared. A bitmap of the keys seen gives, once the file is read, every pair's
place in the (enterprise, product) order the general reader uses, so the panel is identical.

It only accepts what it can check on the integers: codes stored as text without nulls or blanks, every
product in products.csv (and enterprise in enterprises.csv when there is one), well-formed months, and
quantities that are finite, ≥ 0 and within the ceiling. On anything else it returns ``None`` and the general
reader runs — it names the exact row of the problem, as before, and duplicates (found here by counting)
are reported by it too.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from vnindustry.periods import parse_month
from vnindustry.sources import panel_kernel
from vnindustry.sources.dataset import Dataset

CODE_COLUMNS = ("enterprise", "product", "period")
TEXT_TYPES = (pa.string(), pa.large_string())
# The bitmap of seen (enterprise, product) keys costs one byte a key while reading: refuse beyond ~1 GB.
MAX_KEYS = 1 << 30
# Rows a scatter step takes at once (see ``scatter``).
SCATTER_BLOCK = 1 << 15
# The bits below bit i of a 64-bit word, for i = 0…63.
_LOW_BITS = (np.uint64(1) << np.arange(64, dtype=np.uint64)) - np.uint64(1)


class _NotClean(Exception):
    """The file has something the general reader must explain (or a shape this reader does not take)."""


@dataclass
class _Chunk:
    """One record batch as integers: the key of each row's pair, its month and its quantity."""

    key: np.ndarray  # int32: provisional enterprise id << shift | product rank (< MAX_KEYS)
    month: np.ndarray | None  # uint8/uint16/int64: index into ``months``; None: every row in months[0]
    months: np.ndarray  # int64 month keys of the batch's period dictionary
    quantity: np.ndarray  # float64


class _Codes:
    """Global ids for the codes met in the file's dictionaries, with a cache for repeated dictionaries."""

    def __init__(self, ds: Dataset) -> None:
        codes = [p.code for p in ds.products]
        self.product_order = np.argsort(np.array(codes, dtype=object), kind="stable")
        self.products_sorted = pa.array([codes[i] for i in self.product_order], pa.string())
        self.known_enterprises = None if ds.enterprises is None else pa.array(list(ds.enterprises), pa.string())
        self.enterprise_array = pa.array([], pa.string())  # every enterprise met, ids = positions
        self._last: dict[str, tuple[pa.Array, np.ndarray]] = {}

    def _cached(self, column: str, dictionary: pa.Array) -> np.ndarray | None:
        if dictionary.type != pa.string():
            raise _NotClean("large strings")  # rare; the general reader takes them
        last = self._last.get(column)
        if last is not None and len(last[0]) == len(dictionary) and last[0].equals(dictionary):
            return last[1]
        return None

    def products(self, dictionary: pa.Array) -> np.ndarray:
        mapped = self._cached("product", dictionary)
        if mapped is None:
            ranks = pc.index_in(dictionary, value_set=self.products_sorted)
            if ranks.null_count:
                raise _NotClean("unknown product")
            mapped = ranks.to_numpy().astype(np.int64)
            self._last["product"] = (dictionary, mapped)
        return mapped

    def enterprise_ids_of(self, dictionary: pa.Array) -> np.ndarray:
        mapped = self._cached("enterprise", dictionary)
        if mapped is not None:
            return mapped
        if self.known_enterprises is not None and pc.index_in(dictionary, value_set=self.known_enterprises).null_count:
            raise _NotClean("unknown enterprise")
        ids = pc.index_in(dictionary, value_set=self.enterprise_array) if len(self.enterprise_array) else None
        if ids is None or ids.null_count:
            new = dictionary if ids is None else dictionary.filter(pc.is_null(ids))
            if any(v.strip() == "" for v in new.to_pylist()):
                raise _NotClean("blank enterprise")
            self.enterprise_array = pa.concat_arrays([self.enterprise_array, new.cast(pa.string())])
            ids = pc.index_in(dictionary, value_set=self.enterprise_array)
        mapped = ids.to_numpy().astype(np.int64)
        self._last["enterprise"] = (dictionary, mapped)
        return mapped

    def months(self, dictionary: pa.Array) -> np.ndarray:
        mapped = self._cached("period", dictionary)
        if mapped is None:
            keys = [parse_month(v) for v in dictionary.to_pylist()]
            if any(k is None for k in keys):
                raise _NotClean("malformed period")
            mapped = np.array(keys, dtype=np.int64)
            self._last["period"] = (dictionary, mapped)
        return mapped


def _shape_ok(schema: pa.Schema) -> bool:
    names = schema.names
    if any(names.count(c) != 1 for c in (*CODE_COLUMNS, "quantity")):
        return False
    for c in CODE_COLUMNS:
        kind = schema.field(c).type
        if pa.types.is_dictionary(kind):  # written from a categorical (pandas, R factors)
            kind = kind.value_type
        if kind not in TEXT_TYPES:
            return False
    q = schema.field("quantity").type
    return pa.types.is_floating(q) or pa.types.is_integer(q)


def read_clean_panel(ds: Dataset, max_quantity: float, max_cells: int, threads: int = 0
                     ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, list[str], int, np.ndarray] | None:
    """``(first month, values, pair_product, pair_enterprise, enterprise_codes, rows, rows per month)`` of a clean
    Parquet file, or ``None`` when the general reader must run (a problem to explain, or a shape this reader does
    not take).
    """
    # Decoded row groups come from the C library's malloc rather than Arrow's default mimalloc pool: mimalloc
    # hands freed pages back to the system and faults them in again, which on the national benchmark cost
    # ~2.5 s of system time (4.3 s against 1.7 s, wall 7–8 s against 5.6–6.1 s for the whole read).
    # A buffer remembers its pool, so restoring the default afterwards is safe.
    default_pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        return _read_clean(ds, max_quantity, max_cells, threads)
    finally:
        pa.set_memory_pool(default_pool)


def _read_clean(ds: Dataset, max_quantity: float, max_cells: int, threads: int
                ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, list[str], int, np.ndarray] | None:
    path: Path = ds.production_path
    try:
        meta = pq.ParquetFile(path)
        if not _shape_ok(meta.schema_arrow) or meta.metadata.num_rows == 0:
            return None
        n_groups = meta.metadata.num_row_groups
        single_periods = _single_periods(meta.metadata)
    except Exception:  # the general reader explains an unreadable file
        return None
    codes = _Codes(ds)
    n_products = len(ds.products)
    shift = max(int(n_products - 1).bit_length(), 1)
    workers = max(1, min(threads or os.cpu_count() or 1, 4))
    # One reader per thread: a ParquetFile is not safe to read from two threads at once (shared between the
    # threads by row group number, it hung the read, or worse, under load), and the read-ahead may hand any thread
    # any row group.
    local = threading.local()

    def own_file() -> pq.ParquetFile:
        if not hasattr(local, "file"):
            local.file = pq.ParquetFile(path, read_dictionary=list(CODE_COLUMNS))
        return local.file

    lock = threading.Lock()  # guards the code maps, which the reading threads share
    kernel = panel_kernel.KERNEL  # the row loops in C where the extension was built, else numpy's
    # The map of the keys seen, at its largest size at once: calloc maps it untouched, and a page costs memory
    # only once a key in it is marked — so it never moves, and the threads mark keys without a lock (numpy: each
    # writes True in a byte map; C: a bitmap, bits set atomically). No thread reads it until all are done.
    # ``state["end"]`` bounds the part any key reached.
    try:
        seen_map = np.zeros(MAX_KEYS, dtype=bool) if kernel is None else np.zeros(MAX_KEYS // 64, dtype=np.uint64)
    except MemoryError:  # a system that refuses to overcommit: the general reader needs no map
        return None
    state: dict[str, int] = {"end": 0}

    def load(i: int) -> list[_Chunk]:
        """Read row group ``i`` and turn its rows into integer keys, months and quantities, marking the keys seen.
        Runs on the pool's threads: decoding (pyarrow) and most of numpy's work release the GIL."""
        period = single_periods[i]
        columns = ["enterprise", "product", "quantity"] if period is not None else [*CODE_COLUMNS, "quantity"]
        table = own_file().read_row_group(i, columns=columns, use_threads=False)
        out = []
        for batch in table.to_batches():
            if batch.num_rows == 0:
                continue
            if period is None:
                ent, prod, per, qty = (batch.column(j) for j in range(4))
                period_dictionary = per.dictionary
            else:  # one month in the whole row group: its column is not decoded (``_Chunk.month`` None)
                ent, prod, qty = (batch.column(j) for j in range(3))
                per, period_dictionary = None, pa.array([period], pa.string())
            if ent.null_count or prod.null_count or (per is not None and per.null_count) or qty.null_count:
                raise _NotClean("missing value")
            q = qty.to_numpy().astype(np.float64, copy=False)
            # min and max are NaN if any value is: one comparison each covers NaN, ±inf, < 0 and the ceiling.
            low, high = q.min(), q.max()
            if not (low >= 0 and high <= max_quantity and np.isfinite(high)):
                raise _NotClean("bad quantity")
            with lock:
                e_ids = codes.enterprise_ids_of(ent.dictionary)
                p_ranks = codes.products(prod.dictionary)
                months = codes.months(period_dictionary)
            need = len(e_ids) and (int(e_ids.max()) + 1) << shift
            if need > MAX_KEYS:
                raise _NotClean("too many keys for the bitmap")
            if kernel is not None:  # one C loop, the GIL released
                keys32 = kernel.mark_keys(ent.indices.to_numpy(), prod.indices.to_numpy(), e_ids, p_ranks, shift,
                                          seen_map)
            else:
                keys = np.take(e_ids, ent.indices.to_numpy())  # np.take: ~10% less than [] with 32-bit indices
                keys <<= shift
                keys |= np.take(p_ranks, prod.indices.to_numpy())
                seen_map[keys] = True  # with 64-bit indices: numpy converts 32-bit ones element by element (2×)
                keys32 = keys.astype(np.int32)  # int32, half the memory: every key is below MAX_KEYS
            with lock:
                state["end"] = max(state["end"], need)
            index_type = np.uint8 if len(months) <= 256 else np.uint16 if len(months) <= 65536 else np.int64
            month = None if per is None else per.indices.to_numpy().astype(index_type)
            out.append(_Chunk(keys32, month, months, q))
        return out

    chunks: list[_Chunk] = []
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in _read_ahead(pool, load, n_groups, workers):
                chunks.extend(done)
    except _NotClean:
        return None
    if not chunks:
        return None
    # The months the rows use: a dictionary may hold values no row refers to (a categorical's unused ones).
    used_months = np.concatenate([
        c.months if c.month is None else c.months[np.bincount(c.month, minlength=len(c.months)) > 0]
        for c in chunks])
    first, last = int(used_months.min()), int(used_months.max())
    n_months = last - first + 1

    # Pairs in (enterprise code, product code) order: renumber the enterprises that have rows by code, then
    # rank the seen keys.
    if kernel is None:
        seen_keys = np.flatnonzero(seen_map[:state["end"]])
    else:
        seen_keys = kernel.set_bits(seen_map[:(state["end"] + 63) // 64])
    seen_map.resize(0, refcheck=False)  # its pages back to the system now, not at the return
    used = np.unique(seen_keys >> shift)
    enterprises = codes.enterprise_array.to_numpy(zero_copy_only=False)[used]
    n_ent = len(enterprises)
    by_code = np.argsort(enterprises, kind="stable")
    rank_of = np.full(len(codes.enterprise_array), -1, dtype=np.int32)
    rank_of[used[by_code]] = np.arange(n_ent, dtype=np.int32)
    sorted_keys = np.sort((rank_of[seen_keys >> shift].astype(np.int64) << shift) | (seen_keys & ((1 << shift) - 1)))
    del seen_keys
    n_pairs = len(sorted_keys)
    if n_months * n_pairs > max_cells:
        return None  # the general reader says how far over the limit it is
    if kernel is not None and any(c.month is not None and c.month.dtype == np.int64 for c in chunks):
        kernel = None  # over 65,536 months in a row group's dictionary: the C loop takes 8- and 16-bit months
    if kernel is not None:  # the C loop finds a key's pair among its enterprise's: where each one's pairs start
        start = np.searchsorted(sorted_keys >> shift, np.arange(n_ent + 1, dtype=np.int64)).astype(np.int64)
    else:
        # The same keys as a bitmap in the code order, and the set bits before each 64-bit word: a key's pair is
        # before[word] + the set bits below it in its word.
        words = np.zeros(((n_ent << shift) + 63) // 64, dtype=np.uint64)
        np.bitwise_or.at(words, sorted_keys >> 6, np.left_shift(np.uint64(1), (sorted_keys & 63).astype(np.uint64)))
        before = np.zeros(len(words), dtype=np.int64)
        np.cumsum(np.bitwise_count(words)[:-1], out=before[1:])

    # NaN-filled month by month on the pool's threads: the first touch of the panel's pages (96 M cells on the
    # national benchmark, 0.8 GB) costs the kernel more than the writing, and two threads take it in half the time.
    values = np.empty((n_months, n_pairs))
    flat = values.reshape(-1)

    mask = np.int64((1 << shift) - 1)
    # Enterprises met in code order (the usual file, sorted by enterprise) need no renumbering.
    renumber = not np.array_equal(rank_of, np.arange(len(rank_of), dtype=np.int32))

    def scatter(c: _Chunk) -> None:
        offsets = (c.months - first) * n_pairs
        one_month = c.month is None or len(c.months) == 1  # the usual layout: one offset for all rows
        if kernel is not None:
            kernel.scatter(c.key, None if one_month else c.month, offsets, rank_of if renumber else None, shift,
                           sorted_keys, start, c.quantity, flat)
            return
        # In blocks that stay in the core's cache through the numpy passes (a row group at once makes each pass go
        # to memory: ~25% slower on the national benchmark).
        for a in range(0, len(c.key), SCATTER_BLOCK):
            # 64-bit keys: numpy's gathers convert 32-bit indices element by element.
            sk = c.key[a:a + SCATTER_BLOCK].astype(np.int64)
            if renumber:  # the key with its enterprise's rank by code
                sk = (rank_of[sk >> shift].astype(np.int64) << shift) | (sk & mask)
            # The key's rank among the seen keys: the set bits before it.
            word = sk >> 6
            where = before[word]
            where += np.bitwise_count(words[word] & _LOW_BITS[sk & 63])
            where += offsets[0] if one_month else offsets[c.month[a:a + SCATTER_BLOCK]]
            flat[where] = c.quantity[a:a + SCATTER_BLOCK]

    def fill(month: int) -> None:
        values[month] = np.nan

    def present(month: int) -> int:
        return int(np.count_nonzero(~np.isnan(values[month])))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fill, range(n_months)))
        # Chunks on several threads (the loop releases the GIL); duplicates are counted once all are written, as
        # two rows of one cell in chunks written at the same moment could each find it empty.
        list(pool.map(scatter, chunks))
        month_rows = np.array(list(pool.map(present, range(n_months))), dtype=np.int64)
    cells = int(month_rows.sum())
    rows = sum(len(c.quantity) for c in chunks)
    if cells != rows:
        return None  # a duplicate row: the general reader names it
    pair_enterprise = (sorted_keys >> shift).astype(np.int32)  # an enterprise's rank by code
    enterprise_codes = enterprises[by_code].tolist()
    pair_product = codes.product_order[sorted_keys & ((1 << shift) - 1)].astype(np.int32)
    return first, values, pair_product, pair_enterprise, enterprise_codes, rows, month_rows


def _single_periods(metadata: pq.FileMetaData) -> list[str | None]:
    """For each row group, the period of every row when the file's statistics say it holds only one (a row group
    a month is the usual layout): its minimum equals its maximum and it has no nulls. A short text (a month is ≤ 10
    characters) is never a truncated bound, so equal bounds mean equal values. ``None`` where that is not known."""
    paths = [metadata.schema.column(j).path for j in range(metadata.num_columns)]
    if paths.count("period") != 1:
        return [None] * metadata.num_row_groups
    column = paths.index("period")
    out: list[str | None] = []
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(column).statistics
        ok = stats is not None and stats.has_min_max and stats.null_count == 0
        low, high = (stats.min, stats.max) if ok else (None, None)
        out.append(low if isinstance(low, str) and low == high and len(low) <= 16 else None)
    return out


def _read_ahead(pool: ThreadPoolExecutor, load: Callable[[int], list[_Chunk]], n: int, depth: int
                ) -> Iterator[list[_Chunk]]:
    """``load(0) … load(n−1)`` in order, at most ``depth`` row groups ahead on the pool's threads (bounded, so
    that decoded row groups do not pile up in memory faster than they are consumed)."""
    pending: deque[Future[list[_Chunk]]] = deque()
    for i in range(n):
        pending.append(pool.submit(load, i))
        if len(pending) > depth:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
