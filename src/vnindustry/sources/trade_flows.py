"""Trade flows as one tidy frame, its readers (CSV, the OEC layout), selection and the HS hierarchy.

The frame (``FLOW_COLUMNS``), one row per flow, shaped so a store table ``trade_flows`` can hold it as is:

- ``period`` (str): ``YYYY`` for a year, ``YYYY-MM`` for a month — the indices are computed per period;
- ``exporter`` (str), ``importer`` (str; ``WORLD`` = "WLD" when the flow is to all destinations);
- ``product`` (str): an HS code at 2, 4 or 6 digits (leading zeros kept), or any other product code;
- ``value`` (float ≥ 0; a missing cell is 0), ``quantity`` (float ≥ 0, NaN when not given).

A file holds either bilateral flows (an importer per row) or flows to the world, never both for one
exporter and period, since summing them would count the same exports twice.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from vnindustry.errors import InputError
from vnindustry.periods import MONTH_FORMAT_HELP, month_code, parse_month
from vnindustry.sources.csvfile import check_columns, decode_utf8, read_header

FLOW_COLUMNS = ("period", "exporter", "importer", "product", "value", "quantity")
KEY_COLUMNS = ("period", "exporter", "importer", "product")
WORLD = "WLD"
# HS 2709: "Petroleum oils and oils obtained from bituminous minerals, crude" — Viet Nam's statistics
# publish exports "excluding crude oil" (không kể dầu thô), so every selection has the switch.
CRUDE_OIL = ("2709",)

_YEAR = re.compile(r"^\d{4}$")
_HS = re.compile(r"^\d+$")
_NUMBER_FIX = "give a number ≥ 0 with a point as the decimal separator and no thousands separator (empty = 0)"


def empty_flows() -> pd.DataFrame:
    """A flows frame with no rows and the right columns and types."""
    return _typed(pd.DataFrame({c: [] for c in FLOW_COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.loc[:, list(FLOW_COLUMNS)].copy()
    for column in KEY_COLUMNS:
        frame[column] = frame[column].astype(object)
    frame["value"] = frame["value"].astype("float64")
    frame["quantity"] = frame["quantity"].astype("float64")
    return frame.reset_index(drop=True)


def _data_lines(path: Path) -> list[int]:
    """Line number (1-based) of every data record of a CSV file, as pandas numbers its rows."""
    reader = csv.reader(io.StringIO(decode_utf8(path), newline=""))
    next(reader, None)
    lines = []
    for record in reader:
        if record:  # pandas skips blank lines too
            lines.append(reader.line_num)
    return lines


class _Located:
    """Maps frame positions to file lines, computed only when an error needs them (valid files never pay)."""

    def __init__(self, path: Path, names: dict[str, str] | None = None) -> None:
        self.path = path
        # The frame's column → the file's column, so messages name the column the user sees.
        self.names = names or {}
        self._lines: list[int] | None = None

    def line(self, position: int) -> int:
        if self._lines is None:
            self._lines = _data_lines(self.path)
        return self._lines[position] if position < len(self._lines) else position + 2

    def error(self, message: str, position: int, column: str, fix: str) -> InputError:
        return InputError(message, file=self.path, line=self.line(position), column=self.names.get(column, column),
                          fix=fix)


def _field_count_error(path: Path) -> InputError:
    """The first record whose number of fields differs from the header's (slow path, only after a failure)."""
    reader = csv.reader(io.StringIO(decode_utf8(path), newline=""))
    header = next(reader, [])
    for record in reader:
        if record and len(record) != len(header):
            return InputError(f"{len(record)} fields where the header has {len(header)}", file=path,
                              line=reader.line_num, fix="check for a missing or extra comma; quote fields that "
                              "contain commas")
    return InputError("the file is not valid CSV", file=path, fix="save it as 'CSV UTF-8' from Excel")


def _read_strings(path: Path, usecols: list[str]) -> pd.DataFrame:
    """The chosen columns of a CSV file as stripped strings; a short or long row is an error naming its line."""
    try:
        with warnings.catch_warnings():
            # pandas only warns when the first data row is longer than the header: make it an error.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # No usecols: with it pandas silently drops a row's extra fields instead of refusing them.
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", index_col=False)
    except UnicodeDecodeError:
        decode_utf8(path)  # raises with the line
        raise
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        raise _field_count_error(path) from None
    # pandas pads a short row with empty strings: only a row whose last field is empty can be short, so only
    # then are the rows counted (the slow path).
    if len(frame.columns) and (frame.iloc[:, -1].isna() | (frame.iloc[:, -1] == "")).any():
        error = _field_count_error(path)
        if error.line is not None:
            raise error
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame[usecols].apply(lambda s: s.str.strip())


def _numbers(raw: pd.Series, where: _Located, column: str, *, missing: float) -> np.ndarray:
    """Parse a column of strings as numbers ≥ 0; empty cells become ``missing``; errors name the line."""
    empty = raw == ""
    values = np.array(pd.to_numeric(raw.where(~empty, "0"), errors="coerce"), dtype="float64")
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        text = raw.iloc[bad[0]]
        hint = " (is the comma a decimal or thousands separator?)" if "," in text else ""
        raise where.error(f"'{text}' is not a finite number{hint}", int(bad[0]), column, _NUMBER_FIX)
    negative = np.flatnonzero(values < 0)
    if len(negative):
        raise where.error(
            f"negative value {raw.iloc[negative[0]]}: trade flows cannot be negative", int(negative[0]), column,
            "give the flow as 0 or more (a return or correction belongs in the source's own revision, "
            "not as a negative flow)")
    values[empty.to_numpy()] = missing
    return values


def _periods(raw: pd.Series, where: _Located, column: str) -> pd.Series:
    """``YYYY`` stays; a month in any accepted form becomes ``YYYY-MM``; one frequency per file."""
    shown = where.names.get(column, column)  # "year" columns take years only; "period" columns months too
    distinct = {}
    for text in raw.unique():
        if _YEAR.match(text):
            distinct[text] = text
            continue
        key = parse_month(text) if shown == "period" else None
        if key is None:
            position = int(np.flatnonzero((raw == text).to_numpy())[0])
            fix = "write a year as YYYY or a month as YYYY-MM; " + MONTH_FORMAT_HELP if shown == "period" else (
                "write the year as YYYY, e.g. 2023")
            raise where.error(f"malformed {shown} '{text}'" if text else f"{shown} is missing", position, column,
                              fix)
        distinct[text] = month_code(key)
    periods = raw.map(distinct)
    kinds = periods.str.len()
    if kinds.nunique() > 1:
        minority = kinds.value_counts().index[-1]
        position = int(np.flatnonzero((kinds == minority).to_numpy())[0])
        raise where.error(f"'{raw.iloc[position]}' mixes years and months in one file", position, column,
                          "give one kind of period per file (all years or all months)")
    return periods


def _check_keys(frame: pd.DataFrame, where: _Located, columns: Iterable[str], fixes: dict[str, str]) -> None:
    for column in columns:
        empty = np.flatnonzero((frame[column] == "").to_numpy())
        if len(empty):
            raise where.error("value is missing", int(empty[0]), column, fixes.get(column, f"give the {column}"))


def _check_duplicates(frame: pd.DataFrame, where: _Located) -> None:
    keys = list(KEY_COLUMNS)
    repeated = np.flatnonzero(frame.duplicated(keys, keep="first").to_numpy())
    if len(repeated):
        second = int(repeated[0])
        key = frame.iloc[second][keys]
        same = np.logical_and.reduce([(frame[k] == key[k]).to_numpy() for k in keys])
        first = int(np.flatnonzero(same)[0])
        raise where.error(
            f"the flow ({', '.join(f'{k}={key[k]}' for k in keys)}) appears again "
            f"(first at line {where.line(first)})", second, "product",
            "keep one row per period, exporter, importer and product (add the values up if both are right)")


def _check_world_and_bilateral(flows: pd.DataFrame, where: _Located | None = None) -> None:
    """Refuse an exporter with both flows to the world and bilateral flows in one period (double counting)."""
    world = flows["importer"] == WORLD
    if not world.any() or world.all():
        return
    kinds = flows.assign(_world=world).groupby(["period", "exporter"])["_world"].nunique()
    mixed = kinds[kinds > 1]
    if len(mixed):
        period, exporter = mixed.index[0]
        message = (f"exporter {exporter} has both flows to the world ({WORLD}) and to single importers in "
                   f"{period}: summing them would count its exports twice")
        fix = "keep either the bilateral flows or the total to the world"
        if where is None:
            raise ValueError(f"{message} — {fix}")
        position = int(np.flatnonzero(((flows["period"] == period) & (flows["exporter"] == exporter)
                                       & world).to_numpy())[0])
        raise where.error(message, position, "importer", fix)


def read_flows_csv(path: str | Path) -> pd.DataFrame:
    """Read a trade-flows CSV into the tidy frame (``FLOW_COLUMNS``).

    Columns: ``year`` or ``period``, ``exporter``, ``product``, ``value``; optional ``importer`` (empty
    column = all destinations, ``WLD``) and ``quantity``; other columns are ignored. UTF-8 (BOM optional).
    Empty value cells are 0, negative or non-numeric values are refused; every error is an
    :class:`InputError` naming the file, line and column, with the fix.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path, fix=f"expected a CSV file at {path}")
    header = read_header(path)
    time = "year" if "year" in header else "period"
    check_columns(path, header, (time, "exporter", "product", "value"))
    optional = [c for c in ("importer", "quantity") if c in header]
    raw = _read_strings(path, [time, "exporter", "product", "value", *optional])
    return _validate(raw.rename(columns={time: "period"}), _Located(path, {"period": time}))


def read_oec_sections(path: str | Path, *, year: int | str | None = None) -> pd.DataFrame:
    """Read the OEC / Datawheel export table (``"Trade Value","Exporter Country ID",…,"Section ID",…``).

    Exporter = ``Exporter Country ID`` (e.g. ``afvnm``), product = ``Section ID`` (HS section 1–21, as text),
    importer = ``WLD``. The layout has no year column unless a ``Year`` column is present; otherwise pass
    ``year`` (a label for the file's period).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path, fix=f"expected the OEC CSV file at {path}")
    header = read_header(path)
    required = ["Trade Value", "Exporter Country ID", "Section ID"]
    check_columns(path, header, required)
    has_year = "Year" in header
    if not has_year and year is None:
        raise InputError("the file has no 'Year' column", file=path, line=1,
                         fix="pass the year it covers (year=2017 in Python, --year 2017 on the command line)")
    raw = _read_strings(path, [*required, *(["Year"] if has_year else [])])
    names = {"value": "Trade Value", "exporter": "Exporter Country ID", "product": "Section ID", "period": "Year"}
    raw = raw.rename(columns={theirs: ours for ours, theirs in names.items()})
    if not has_year:
        raw["period"] = str(year)
    return _validate(raw, _Located(path, names))


def _validate(raw: pd.DataFrame, where: _Located) -> pd.DataFrame:
    """Strings (columns named as in the frame) → the typed, checked flows frame."""
    if "importer" not in raw:
        raw["importer"] = WORLD
    else:
        raw["importer"] = raw["importer"].mask(raw["importer"] == "", WORLD)
    _check_keys(raw, where, ("exporter", "product"), {
        "exporter": "give the exporter's code (e.g. VNM)", "product": "give the product's code (e.g. HS 8517)"})
    periods = _periods(raw["period"], where, "period")
    frame = pd.DataFrame({
        "period": periods,
        "exporter": raw["exporter"],
        "importer": raw["importer"],
        "product": raw["product"],
        "value": _numbers(raw["value"], where, "value", missing=0.0),
        "quantity": (_numbers(raw["quantity"], where, "quantity", missing=np.nan) if "quantity" in raw
                     else np.full(len(raw), np.nan)),
    })
    _check_duplicates(frame, where)
    _check_world_and_bilateral(frame, where)
    return _typed(frame)


def _as_text(column: pd.Series) -> pd.Series:
    """``column.astype(str)``, or ``column`` itself when it holds plain Python strings only (no missing value, no
    subclass of ``str`` — those ``astype(str)`` turns into plain ones, or refuses): the flows read from the store,
    checked again before each index — their keys went to pandas' string type and back to Python objects
    (:func:`_typed`) for nothing, two thirds of the check of 112,000 flows."""
    if column.dtype == object and set(map(type, column.to_numpy().tolist())) == {str}:
        return column
    return column.astype(str)


def check_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Check a frame built in Python (not read from a file) and return it typed: the columns, values ≥ 0
    (NaN value = 0), no duplicate keys, no exporter with both world and bilateral flows. Raises ValueError."""
    missing = [c for c in ("period", "exporter", "product", "value") if c not in flows.columns]
    if missing:
        raise ValueError(f"flows frame lacks column(s) {', '.join(missing)}; expected {', '.join(FLOW_COLUMNS)}")
    frame = flows.copy()
    if "importer" not in frame:
        frame["importer"] = WORLD
    if "quantity" not in frame:
        frame["quantity"] = np.nan
    for column in KEY_COLUMNS:
        frame[column] = _as_text(frame[column])
    frame["value"] = pd.to_numeric(frame["value"], errors="raise").astype("float64").fillna(0.0)
    if (frame["value"] < 0).any() or not np.isfinite(frame["value"]).all():
        raise ValueError("flows have negative or infinite values: trade flows are finite and ≥ 0")
    if frame.duplicated(list(KEY_COLUMNS)).any():
        raise ValueError("flows repeat a (period, exporter, importer, product): keep one row per flow")
    _check_world_and_bilateral(frame)
    return _typed(frame)


def select_flows(
    flows: pd.DataFrame,
    *,
    periods: Iterable[str] | None = None,
    exporters: Iterable[str] | None = None,
    importers: Iterable[str] | None = None,
    products: Iterable[str] | None = None,
    exclude_crude_oil: bool = False,
    crude_oil: tuple[str, ...] = CRUDE_OIL,
) -> pd.DataFrame:
    """The flows of the given periods, exporters, importers and products (``None`` = all).

    ``exclude_crude_oil`` drops every product whose code starts with a ``crude_oil`` code (HS 2709, i.e.
    2709 and its 6-digit subheadings). An HS code that contains crude oil but cannot be split (chapter 27)
    is an error rather than a silent "excluding crude oil" that is not.
    """
    keep = pd.Series(True, index=flows.index)
    for column, wanted in (("period", periods), ("exporter", exporters), ("importer", importers),
                           ("product", products)):
        if wanted is not None:
            keep &= flows[column].isin([str(w) for w in wanted])
    selected = flows[keep]
    if exclude_crude_oil:
        codes = selected["product"].astype(str)
        coarse = sorted({c for c in codes.unique() if _HS.match(c) and len(c) >= 2 and len(c) % 2 == 0
                         and any(oil.startswith(c) and len(c) < len(oil) for oil in crude_oil)})
        if coarse:
            raise ValueError(
                f"product {coarse[0]} contains crude oil (HS {', '.join(crude_oil)}) and cannot be split: "
                "give the flows at 4 or 6 HS digits to exclude crude oil")
        selected = selected[~codes.str.startswith(crude_oil)]
    return selected.reset_index(drop=True)


def aggregate_hs(flows: pd.DataFrame, digits: int) -> pd.DataFrame:
    """Aggregate HS codes to ``digits`` (2 or 4; 6 to merge national 8-digit lines) by prefix, adding values.

    Every product must be an HS code of at least ``digits`` digits (an even number). Quantities are added
    only where one code is kept as is; merging several codes (whose units may differ) leaves NaN.
    """
    if digits not in (2, 4, 6):
        raise ValueError(f"digits must be 2, 4 or 6, got {digits}")
    codes = flows["product"].astype(str)
    bad = codes[~codes.str.fullmatch(r"\d+") | (codes.str.len() < digits) | (codes.str.len() % 2 == 1)]
    if len(bad):
        raise ValueError(f"product '{bad.iloc[0]}' is not an HS code of {digits} digits or more (2, 4, 6 or 8 "
                         "digits, leading zeros kept, e.g. '030389')")
    keys = list(KEY_COLUMNS)
    grouped = flows.assign(product=codes.str[:digits]).groupby(keys, sort=True)
    out = grouped["value"].sum().to_frame()
    out["quantity"] = grouped["quantity"].sum(min_count=1).where(grouped.size() == 1)
    return _typed(out.reset_index())
