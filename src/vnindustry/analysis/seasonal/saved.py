"""What one X-13 run saves, read back: :class:`X13Output` and the readers of X-13's files.

- saved tables (``save=(d11 …)`` → ``NAME.d11``): a header line ``date<TAB>NAME.d11``, a line of dashes,
  then ``YYYYMM<TAB>value`` lines — a :class:`SavedTable`, as a :class:`pandas.DataFrame` on a monthly
  ``PeriodIndex`` when asked (:func:`read_table`); tables keyed by something else (``.acf``: lag, ACF, SE,
  Ljung-Box Q, df, p) keep their first column;
- the diagnostics summary (``-s`` → ``NAME.udg``): ``key: value`` lines, kept as strings;
- the estimates (``estimate{save=(est)}`` → ``NAME.est``): ``$regression$estimates`` and
  ``$arima$estimates`` sections, tab-separated.

A run's tables and estimates are parsed into numpy arrays and lists; the pandas frames are built only when
someone asks for them (``X13Output.tables[...]``, ``.regression``, ``.arima``). The published run of a frozen
spec reads its series straight from the arrays (:meth:`X13Output.monthly`): building a dozen frames per
series cost more than X-13's own run of it.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal import table_kernel

__all__ = ["SavedTable", "SavedTables", "X13Output", "parse_est", "parse_table", "parse_udg", "read_est",
           "read_table", "read_udg"]

_REGRESSION = ("$regression$estimates", ["group", "variable", "estimate", "se", "fixed"])
_ARIMA = ("$arima$estimates", ["operator", "factor", "period", "lag", "estimate", "se", "fixed"])


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


@dataclass(frozen=True, eq=False)
class SavedTable:
    """One saved table, parsed: the header's first field, the row keys, the value columns and their names.

    ``start`` is the month of the first row as ``year * 12 + month - 1`` when the table is keyed by
    consecutive ``YYYYMM`` dates (X-13's tables always are), else None.
    """

    key_name: str
    keys: list[str]
    columns: list[str]
    values: np.ndarray
    monthly: bool
    start: int | None

    def frame(self) -> pd.DataFrame:
        """The table as :func:`read_table` returns it."""
        frame = pd.DataFrame(self.values, columns=self.columns)
        if self.monthly:
            keys = self.keys
            if self.start is not None:
                # Consecutive months (always, for X-13's tables): a range is ~50× faster than parsing strings.
                frame.index = pd.period_range(f"{keys[0][:4]}-{keys[0][4:]}", periods=len(keys), freq="M")
            else:
                frame.index = pd.PeriodIndex([f"{k[:4]}-{k[4:]}" for k in keys], freq="M")
        else:
            frame.index = pd.Index(self.keys, name=self.key_name)
        return frame


def parse_table(text: str) -> SavedTable | None:
    """A saved table's text → :class:`SavedTable` (None when it has no header and dashes).

    A regular table of consecutive months (X-13's, always) is read in C where the kernel was built
    (:mod:`~vnindustry.analysis.seasonal.table_kernel`); any other, and every table without the kernel, in
    Python — the same table either way."""
    if table_kernel.KERNEL is not None:
        table = _kernel_table(text, table_kernel.KERNEL)
        if table is not None:
            return table
    lines = text.splitlines()
    if len(lines) < 2:
        return None
    header = lines[0].split("\t")
    columns = [h.strip() for h in header[1:]] or ["value"]
    key_name = header[0].strip()
    fast = _regular(lines[2:], len(header) - 1)
    if fast is not None:
        keys, values = fast
        width = values.shape[1]
    else:
        keys = []
        cells: list[list[str]] = []
        for line in (line for line in lines[2:] if line.strip()):
            fields = line.split("\t")
            keys.append(fields[0].strip())
            cells.append(fields[1:])
        width = max((len(r) for r in cells), default=len(columns))
        try:
            values = np.array(cells, dtype=float).reshape(len(cells), width)
        except ValueError:  # ragged rows or a non-number: the slow way, NaN where no number
            values = np.array([[_number(f) for f in (r + [""] * width)[:width]] for r in cells], dtype=float)
    columns = (columns + [f"col{i}" for i in range(len(columns), width)])[:width]
    monthly = (key_name.lower() == "date" and bool(keys) and set(map(len, keys)) == {6}
               and "".join(keys).isdigit())
    start = None
    if monthly:
        dates = np.fromiter(map(int, keys), dtype=np.int64, count=len(keys))
        months = dates // 100 * 12 + dates % 100 - 1
        if (np.diff(months) == 1).all():
            start = int(months[0])
    return SavedTable(key_name, keys, columns, values, monthly, start)


def _kernel_table(text: str, kernel: table_kernel.TableKernel) -> SavedTable | None:
    """:func:`parse_table` by the C kernel, or None for a table it does not read (the Python reading then does):
    the header must be ``date`` and the value columns, its first two lines broken only by ``\\n`` (where
    ``splitlines`` would see the same two lines)."""
    first = text.find("\n")
    second = text.find("\n", first + 1) if first >= 0 else -1
    if second < 0:
        return None
    head = text[:second + 1].splitlines(keepends=True)
    if len(head) != 2 or len(head[0]) != first + 1:  # another break splitlines honours (\r, \x0c, \u2028 …)
        return None
    header = text[:first].split("\t")
    if header[0].strip().lower() != "date" or len(header) < 2:
        return None
    found = kernel.monthly(text.encode("utf-8"), len(header) - 1)
    if found is None:
        return None
    start, values = found
    return SavedTable(header[0].strip(), table_kernel.month_keys(start, len(values)),
                      [h.strip() for h in header[1:]], values, True, start)


_count_tabs = operator.methodcaller("count", "\t")


def _regular(body: list[str], width: int) -> tuple[list[str], np.ndarray] | None:
    """The keys and values of a table whose every row has ``width`` values after its key, none empty and
    none with a space inside, and no blank line (X-13's tables, always): one split and one conversion for
    the whole table. None for anything else, which the line-by-line reading handles."""
    if width < 1 or not body or set(map(_count_tabs, body)) != {width}:
        return None
    tokens = "\t".join(body).split()
    if len(tokens) != len(body) * (width + 1):
        return None
    try:  # numpy reads the numbers, as it does the rows of the line-by-line reading
        values = np.array([tokens[j:: width + 1] for j in range(1, width + 1)], dtype=float).T
    except ValueError:
        return None
    return tokens[:: width + 1], np.ascontiguousarray(values)


def read_table(path: Path) -> pd.DataFrame:
    """One saved X-13 table: header, dashes, then tab-separated rows. Date-keyed tables (``YYYYMM``) get a
    monthly PeriodIndex; others keep their first column as the index."""
    table = parse_table(path.read_text(errors="replace"))
    return pd.DataFrame() if table is None else table.frame()


class SavedTables(Mapping[str, pd.DataFrame]):
    """A run's saved tables by extension: kept as text, parsed on first use, a frame on first access."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._texts: dict[str, str] = dict(texts or {})
        self._parsed: dict[str, SavedTable | None] = {}
        self._frames: dict[str, pd.DataFrame] = {}

    def parsed(self, name: str) -> SavedTable | None:
        """Table ``name`` parsed (None when its file had no rows header).

        Raises:
            KeyError: the run saved no such table.
        """
        if name not in self._parsed:
            self._parsed[name] = parse_table(self._texts[name])
        return self._parsed[name]

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            table = self.parsed(name)
            self._frames[name] = pd.DataFrame() if table is None else table.frame()
        return self._frames[name]

    def __contains__(self, name: object) -> bool:
        return name in self._texts

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def parse_udg(text: str) -> dict[str, str]:
    """The text of X-13's diagnostics summary (.udg) → ``key: value`` pairs, split at the first colon."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def read_udg(path: Path) -> dict[str, str]:
    """X-13's diagnostics summary (.udg): one ``key: value`` per line, split at the first colon."""
    return parse_udg(path.read_text(errors="replace"))


def parse_est(text: str) -> dict[str, dict[str, list[object]]]:
    """The text of an ``estimate{save=(est)}`` file → its two sections as columns (lists), with t-values.

    Keys ``regression`` (group, variable, estimate, se, fixed, t) and ``arima`` (operator, factor, period,
    lag, estimate, se, fixed, t); text fields stripped, numbers as floats (NaN where none), ``fixed`` True
    when the field is not empty.
    """
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    skip = 0
    for line in text.splitlines():
        if line.startswith("$"):
            current = sections.setdefault(line.strip().rstrip(":"), [])
            skip = 2  # the header and the dashes
            continue
        if current is None or not line.strip():
            continue
        if skip:
            skip -= 1
            continue
        current.append(line.split("\t"))

    def columns(key: str, names: list[str]) -> dict[str, list[object]]:
        width = len(names)
        rows = [(r + [""] * width)[:width] for r in sections.get(key, [])]
        data: dict[str, list[object]] = {c: [r[i].strip() for r in rows] for i, c in enumerate(names)}
        estimate = [_number(str(v)) for v in data["estimate"]]
        se = [_number(str(v)) for v in data["se"]]
        data["estimate"], data["se"] = list(estimate), list(se)
        data["fixed"] = [bool(v) for v in data["fixed"]]
        data["t"] = [e / s if s else math.nan for e, s in zip(estimate, se, strict=True)]
        return data

    return {"regression": columns(*_REGRESSION), "arima": columns(*_ARIMA)}


def _est_frame(data: dict[str, list[object]], names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(data, columns=[*names, "t"])


def read_est(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``estimate{save=(est)}`` file → (regression estimates, ARIMA estimates), with t-values.

    Sections start with ``$regression$estimates:`` / ``$arima$estimates:``; each has a header line, a line
    of dashes and tab-separated rows ending in estimate, standard error and a "fixed" flag.
    """
    parsed = parse_est(path.read_text(errors="replace"))
    return _est_frame(parsed["regression"], _REGRESSION[1]), _est_frame(parsed["arima"], _ARIMA[1])


@dataclass(eq=False)
class X13Output:
    """What one X-13 run saved: tables by extension, the .udg summary, the estimates, the messages.

    ``estimates`` holds the parsed .est file (:func:`parse_est`; empty when the run saved none);
    ``regression`` and ``arima`` are its two sections as frames.
    """

    name: str
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    udg: dict[str, str] = field(default_factory=dict)
    estimates: dict[str, dict[str, list[object]]] = field(default_factory=dict)
    model: str = ""
    messages: list[str] = field(default_factory=list)

    @cached_property
    def regression(self) -> pd.DataFrame:
        """The regression estimates: group, variable, estimate, se, fixed, t (empty without an .est file)."""
        if not self.estimates:
            return pd.DataFrame()
        return _est_frame(self.estimates["regression"], _REGRESSION[1])

    @cached_property
    def arima(self) -> pd.DataFrame:
        """The ARIMA estimates: operator, factor, period, lag, estimate, se, fixed, t."""
        if not self.estimates:
            return pd.DataFrame()
        return _est_frame(self.estimates["arima"], _ARIMA[1])

    def series(self, table: str) -> pd.Series:
        """One saved date-indexed table as a Series (its first value column).

        Raises:
            KeyError: the run did not save that table.
        """
        frame = self.tables[table]
        return frame.iloc[:, 0].rename(table)

    def monthly(self, table: str, index: pd.PeriodIndex) -> np.ndarray:
        """The first value column of a saved table on the months of ``index`` (NaN where the table has none):
        the values of ``series(table).reindex(index)``, read from the parsed arrays when they can be.

        Raises:
            KeyError: the run did not save that table.
        """
        parsed = (self.tables.parsed(table) if isinstance(self.tables, SavedTables) and table in self.tables
                  else None)
        ordinals = index.asi8 if isinstance(index, pd.PeriodIndex) and index.freqstr == "M" else None
        if (parsed is None or parsed.start is None or parsed.values.shape[1] == 0 or ordinals is None
                or len(ordinals) == 0 or (np.diff(ordinals) != 1).any()):
            return self.series(table).reindex(index).to_numpy()
        # Period ordinals count months from 1970-01.
        begin = int(ordinals[0]) + 1970 * 12 - parsed.start
        column = parsed.values[:, 0]
        n = len(index)
        if begin >= 0 and begin + n <= len(column):
            return column[begin:begin + n].copy()
        out = np.full(n, np.nan)
        lo, hi = max(begin, 0), min(begin + n, len(column))
        if lo < hi:
            out[lo - begin:hi - begin] = column[lo:hi]
        return out

    def udg_float(self, key: str, index: int = 0) -> float:
        """Field ``index`` of a .udg value as a float (NaN when the key or field is absent or not a number)."""
        value = self.udg.get(key)
        if value is None:
            return math.nan
        parts = value.split()
        try:
            return float(parts[index])
        except (IndexError, ValueError):
            return math.nan
