"""Stream the production table (CSV or Parquet) into a dense (month × enterprise-product) panel.

The table can be national-scale (~100 M rows), so it is never loaded into pandas. DuckDB makes three
passes over the file: the distinct (enterprise, product) pairs, the distinct periods, and one streaming
join that turns every row into integer keys ``(month index, pair index)`` which numpy scatters into a
float64 matrix (NaN = not reported). Month-by-month imputation then works on matrix rows; see
docs/architecture.md for why this beats window functions or self-joins.

Checks run on the fast path as aggregates; only when one fails is the file scanned again to find the
exact line (CSV) or row (Parquet) to report. A quantity must be a finite number ≥ 0 and at most the plausibility
ceiling (setting ``max_quantity``): one absurd figure (1.7e308) would otherwise overflow every sum it enters and
erase the month's index (issue 12), so it is refused naming its line, for ``compile`` and ``import-dataset`` alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.periods import MONTH_FORMAT_HELP, month_code, parse_month
from vnindustry.sources.csvfile import check_columns, read_header
from vnindustry.sources.dataset import PRODUCTION_COLUMNS, Dataset
from vnindustry.sources.parquet_panel import read_clean_panel

if TYPE_CHECKING:  # DuckDB loads only for the general reader (0.05 s a compile that the one-pass reader takes)
    import duckdb

_BATCH_ROWS = 1 << 20


@dataclass
class Panel:
    """Reported quantities as a dense matrix: ``values[t, i]`` for month ``first + t`` and pair ``i``."""

    first: int  # month key of row 0
    values: np.ndarray  # (T, n_pairs) float64, NaN where nothing was reported
    pair_product: np.ndarray  # (n_pairs,) int32: index into Dataset.products
    pair_enterprise: np.ndarray  # (n_pairs,) int32: index into enterprise_codes
    enterprise_codes: list[str]
    rows: int  # production rows read
    # (T,) the rows (= reported cells) of each month, counted as read: imputation fills ``values`` in place later
    month_rows: np.ndarray

    @property
    def months(self) -> list[int]:
        """Month keys of the panel rows."""
        return list(range(self.first, self.first + self.values.shape[0]))

    @property
    def periods(self) -> list[str]:
        """``YYYY-MM`` codes of the panel rows."""
        return [month_code(k) for k in self.months]


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Source:
    """The production file as a DuckDB relation expression, plus slow-path line finders."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.is_parquet = path.suffix.lower() == ".parquet"
        self.max_quantity = float("inf")  # read_panel sets the plausibility ceiling
        if self.is_parquet:
            try:
                schema = pq.read_schema(path)
            except Exception as exc:  # pyarrow raises several types for a corrupt file
                raise InputError(f"not a readable Parquet file ({exc})", file=path,
                                 fix="re-export the table as Parquet, or provide production.csv") from None
            header = list(schema.names)
            self.quantity_is_text = str(schema.field("quantity").type) in ("string", "large_string") \
                if "quantity" in header else False
        else:
            header = read_header(path)
            self.quantity_is_text = True
        check_columns(path, header, PRODUCTION_COLUMNS, line=None if self.is_parquet else 1)
        p = _sql_str(str(path))
        if self.is_parquet:
            self.sql = f"read_parquet({p})"
            text_types = ("string", "large_string")
            if any(str(schema.field(c).type) not in text_types for c in ("enterprise", "product", "period")):
                # Codes stored as numbers are compared as text, like codes read from CSV.
                self.sql = (f"(SELECT CAST(enterprise AS VARCHAR) AS enterprise, CAST(product AS VARCHAR) AS product,"
                            f" CAST(period AS VARCHAR) AS period, quantity FROM read_parquet({p}))")
        else:
            self.sql = (f"read_csv({p}, header=true, all_varchar=true, delim=',', quote='\"', escape='\"', "
                        f"auto_detect=false, columns={{'enterprise':'VARCHAR','product':'VARCHAR',"
                        f"'period':'VARCHAR','quantity':'VARCHAR'}}, strict_mode=true)")
            # CSV headers may order columns differently or carry extra ones: read by header names.
            if header[:4] != list(PRODUCTION_COLUMNS) or len(header) != 4:
                cols = ", ".join(f"'{h}':'VARCHAR'" for h in header)
                self.sql = (f"read_csv({p}, header=true, all_varchar=true, delim=',', quote='\"', escape='\"', "
                            f"auto_detect=false, columns={{{cols}}}, strict_mode=true)")

    @property
    def quantity_expr(self) -> str:
        return "TRY_CAST(quantity AS DOUBLE)" if self.quantity_is_text else "CAST(quantity AS DOUBLE)"

    def locate(self, predicate: Callable[[dict[str, str]], bool], sql_condition: str,
               con: duckdb.DuckDBPyConnection, limit: int = 1) -> list[int]:
        """Line numbers (CSV, 1-based, header = line 1) or row numbers (Parquet, 1-based) of offending rows."""
        if self.is_parquet:
            rows = con.execute(
                f"SELECT file_row_number + 1 FROM read_parquet({_sql_str(str(self.path))}, file_row_number=true) "
                f"WHERE {sql_condition} ORDER BY 1 LIMIT {limit}"
            ).fetchall()
            return [int(r[0]) for r in rows]
        found: list[int] = []
        with open(self.path, encoding="utf-8-sig", newline="", errors="replace") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader)]
            for record in reader:
                if len(record) == len(header) and predicate(dict(zip(header, record, strict=True))):
                    found.append(reader.line_num)
                    if len(found) >= limit:
                        break
        return found

    def error(self, message: str, where: list[int], *, column: str | None = None, fix: str | None = None
              ) -> InputError:
        if self.is_parquet:
            loc = f"row {where[0]}" if where else None
            return InputError(message, file=self.path, location=loc, column=column, fix=fix)
        return InputError(message, file=self.path, line=where[0] if where else None, column=column, fix=fix)

    def structural_error(self, exc: Exception) -> InputError:
        """Explain a CSV the DuckDB reader refused: bad UTF-8 or a wrong number of fields."""
        if self.is_parquet:
            return InputError(f"cannot read the Parquet file: {exc}", file=self.path)
        with open(self.path, "rb") as f:
            header_len = None
            for line_no, raw in enumerate(f, start=1):
                try:
                    text = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
                except UnicodeDecodeError as dec:
                    return InputError(f"the text is not valid UTF-8 (byte 0x{raw[dec.start]:02x})",
                                      file=self.path, line=line_no,
                                      fix="save the file as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')")
                fields = next(csv.reader(io.StringIO(text)), [])
                if header_len is None:
                    header_len = len(fields)
                elif fields and len(fields) != header_len:
                    return InputError(f"{len(fields)} fields where the header has {header_len}",
                                      file=self.path, line=line_no,
                                      fix="check for a missing or extra comma; quote fields that contain commas")
        first_line = str(exc).strip().splitlines()[0]
        return InputError(f"cannot read the CSV file: {first_line}", file=self.path)


def _connect(threads: int) -> duckdb.DuckDBPyConnection:
    import duckdb

    con = duckdb.connect()
    if threads > 0:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def read_panel(ds: Dataset, *, threads: int = 0, max_cells: int = 2_000_000_000,
               max_quantity: float | None = None) -> Panel:
    """Read and check ``ds.production_path`` into a :class:`Panel`; raises :class:`InputError`.

    ``max_quantity``: the plausibility ceiling of one quantity (default: the ``max_quantity`` setting)."""
    src = _Source(ds.production_path)
    src.max_quantity = float(settings.get("max_quantity") if max_quantity is None else max_quantity)
    if src.is_parquet:
        clean = read_clean_panel(ds, src.max_quantity, max_cells, threads)
        if clean is not None:
            return Panel(*clean)
    con = _connect(threads)
    import duckdb

    try:
        return _read(ds, src, con, max_cells)
    except duckdb.Error as exc:
        raise src.structural_error(exc) from None
    finally:
        con.close()


def _read(ds: Dataset, src: _Source, con: duckdb.DuckDBPyConnection, max_cells: int) -> Panel:
    path = src.path
    # 1. Pairs, ordered by enterprise then product so results do not depend on file order.
    con.execute(
        f"CREATE TEMP TABLE pairs AS SELECT enterprise, product, hash(enterprise, product) AS h, "
        f"(row_number() OVER (ORDER BY enterprise, product) - 1)::INTEGER AS pair "
        f"FROM (SELECT DISTINCT enterprise, product FROM {src.sql})"
    )
    for column in ("enterprise", "product"):
        if con.execute(f"SELECT count(*) FROM pairs WHERE {column} IS NULL OR trim({column}) = ''").fetchall()[0][0]:
            where = src.locate(lambda r, c=column: r.get(c, "").strip() == "",
                               f"{column} IS NULL OR trim({column}) = ''", con)
            raise src.error("value is missing", where, column=column,
                            fix=f"every row needs its {column} code")
    con.register("known_products", pa.table({"product": [p.code for p in ds.products],
                                              "pidx": pa.array(range(len(ds.products)), pa.int32())}))
    _check_known(con, src, "product", "known_products", "products.csv")
    if ds.enterprises is not None:
        con.register("known_enterprises", pa.table({"enterprise": list(ds.enterprises)}))
        _check_known(con, src, "enterprise", "known_enterprises", "enterprises.csv")
    pair_rows = con.execute(
        "SELECT pair, pidx, enterprise FROM pairs JOIN known_products USING (product) ORDER BY pair"
    ).fetchnumpy()
    n_pairs = len(pair_rows["pair"])
    if n_pairs == 0:
        raise InputError("no production rows", file=path, fix="add the monthly quantities, one row each")
    pair_product = np.asarray(pair_rows["pidx"], dtype=np.int32)
    # Pairs come sorted by enterprise, so an enterprise's index is the count of code changes before it.
    pair_codes = np.asarray(pair_rows["enterprise"], dtype=object)
    starts = np.concatenate(([True], pair_codes[1:] != pair_codes[:-1]))
    pair_enterprise = np.cumsum(starts) - 1
    enterprise_codes = pair_codes[starts]

    # 2. Periods.
    raw_periods = [r[0] for r in con.execute(f"SELECT DISTINCT period FROM {src.sql}").fetchall()]
    keys: dict[str, int] = {}
    for raw in sorted(raw_periods, key=lambda x: (x is None, x or "")):
        key = parse_month(raw) if raw is not None else None
        if key is None:
            cond = "period IS NULL" if raw is None else f"period = {_sql_str(raw)}"
            where = src.locate(lambda r, v=raw: r["period"] == (v or ""), cond, con)
            shown = "empty" if raw is None else f"'{raw}'"
            raise src.error(f"malformed period {shown}", where, column="period", fix=MONTH_FORMAT_HELP)
        keys[raw] = key
    first, last = min(keys.values()), max(keys.values())
    n_months = last - first + 1
    if n_months * n_pairs > max_cells:
        raise InputError(
            f"{n_pairs:,} enterprise-product pairs × {n_months} months exceed the engine's limit of "
            f"{max_cells:,} cells", file=path,
            fix="raise VNINDUSTRY_MAX_PANEL_CELLS if the machine has the memory (9 bytes a cell)",
        )
    con.execute("CREATE TEMP TABLE period_keys (period VARCHAR, t SMALLINT)")
    con.executemany("INSERT INTO period_keys VALUES (?, ?)", [(k, v - first) for k, v in keys.items()])

    # 3. One streaming pass: integer keys and quantities scattered into the matrix.
    values = np.full((n_months, n_pairs), np.nan)
    flat = values.reshape(-1)
    # Joining on a 64-bit hash of the two codes is ~40% faster than on the two strings; it is exact
    # as long as no two pairs share a hash, which is checked (and the string join used if they do).
    unique_hashes = con.execute("SELECT count(DISTINCT h) = count(*) FROM pairs").fetchall()[0][0]
    pair_join = ("hash(s.enterprise, s.product) = pr.h" if unique_hashes
                 else "s.enterprise = pr.enterprise AND s.product = pr.product")
    reader = con.sql(
        f"SELECT pk.t, pr.pair, {src.quantity_expr} AS q, quantity IS NULL AS missing FROM {src.sql} s "
        f"JOIN pairs pr ON {pair_join} JOIN period_keys pk ON s.period = pk.period"
    ).to_arrow_reader(_BATCH_ROWS)
    rows = 0
    for batch in reader:
        q_col = batch.column(2)
        if q_col.null_count:
            reader.close()  # the slow path queries the connection again: finish this result first
            _raise_bad_quantity(src, con, missing=bool(np.any(batch.column(3).to_numpy(zero_copy_only=False))))
        q = q_col.to_numpy()
        if not np.all(np.isfinite(q)) or np.any(q < 0) or np.any(q > src.max_quantity):
            reader.close()
            _raise_bad_quantity(src, con, missing=False)
        t = batch.column(0).to_numpy().astype(np.int64)
        flat[t * n_pairs + batch.column(1).to_numpy()] = q
        rows += len(q)
    filled = int(np.count_nonzero(~np.isnan(values)))
    if filled != rows:
        _raise_duplicate(src, con, first)
    return Panel(first, values, pair_product, pair_enterprise.astype(np.int32), list(enterprise_codes), rows,
                 np.count_nonzero(~np.isnan(values), axis=1))


def _check_known(con: duckdb.DuckDBPyConnection, src: _Source, column: str, known: str, listed_in: str) -> None:
    """Raise on the first code in ``column`` of the pairs that is not in the table ``known``."""
    unknown = con.execute(f"SELECT {column} FROM pairs ANTI JOIN {known} USING ({column}) "
                          f"ORDER BY {column} LIMIT 1").fetchall()
    if unknown:
        code = unknown[0][0]
        where = src.locate(lambda r: r[column] == code, f"{column} = {_sql_str(code)}", con)
        raise src.error(f"unknown {column} code '{code}'", where, column=column,
                        fix=f"use a code listed in {listed_in}, or add the {column} there")


def _quantity_problem(raw: str, ceiling: float = float("inf")) -> str | None:
    text = raw.strip()
    if text == "":
        return "quantity is missing"
    try:
        if not text.isascii():  # Python reads full-width digits (１２) as numbers, DuckDB does not
            raise ValueError(text)
        value = float(text)
    except ValueError:
        if "," in text:
            return f"'{raw}' is not a number (use a point as the decimal separator and no thousands separator)"
        return f"'{raw}' is not a number"
    if value != value or value in (float("inf"), float("-inf")):
        return f"'{raw}' is not a finite number"
    if value < 0:
        return f"negative quantity {raw}"
    if value > ceiling:
        return (f"quantity {raw} is above the plausibility ceiling of {ceiling:g} for one product and month "
                f"(setting max_quantity)")
    return None


def _raise_bad_quantity(src: _Source, con: duckdb.DuckDBPyConnection, *, missing: bool) -> None:
    q = src.quantity_expr
    ceiling = src.max_quantity
    cond = f"quantity IS NULL OR {q} IS NULL OR isnan({q}) OR isinf({q}) OR {q} < 0 OR {q} > {ceiling!r}"
    where = src.locate(lambda r: _quantity_problem(r["quantity"], ceiling) is not None, cond, con)
    problem = "quantity is missing or not a valid number"
    if where and not src.is_parquet:
        with open(src.path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader)]
            for record in reader:
                if reader.line_num == where[0]:
                    problem = _quantity_problem(dict(zip(header, record, strict=True))["quantity"],
                                                ceiling) or problem
                    break
    elif where:
        value = con.execute(
            f"SELECT quantity FROM read_parquet({_sql_str(str(src.path))}, file_row_number=true) "
            f"WHERE file_row_number = {where[0] - 1}").fetchall()
        problem = "quantity is missing" if not value or value[0][0] is None else \
            _quantity_problem(str(value[0][0]), ceiling) or problem
    raise src.error(problem, where, column="quantity",
                    fix="quantities are numbers ≥ 0 (write 0 for no output; leave out the row if not reported), "
                        "in the product's unit and no larger than the max_quantity setting "
                        "(VNINDUSTRY_MAX_QUANTITY) — a figure above it is a typo or a unit slip")


def _raise_duplicate(src: _Source, con: duckdb.DuckDBPyConnection, first: int) -> None:
    # Grouped by month, not by the period text: 2025-03 and 2025M03 are the same month.
    dup = con.execute(
        f"SELECT s.enterprise, s.product, pk.t FROM {src.sql} s JOIN period_keys pk USING (period) "
        f"GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL LIMIT 1").fetchall()
    assert dup, "called only when rows and filled cells disagree"
    e, p, t = dup[0]
    spellings = [r[0] for r in con.execute("SELECT period FROM period_keys WHERE t = ? ORDER BY 1", [t]).fetchall()]
    where = src.locate(
        lambda r: (r["enterprise"], r["product"]) == (e, p) and r["period"] in spellings,
        f"enterprise = {_sql_str(e)} AND product = {_sql_str(p)} AND period IN "
        f"({', '.join(_sql_str(s) for s in spellings)})", con, limit=2)
    notes = [f"also on {'row' if src.is_parquet else 'line'} {where[0]}"] if len(where) > 1 else []
    if len(spellings) > 1:
        notes.append(f"the month is written as {' and '.join(spellings)}")
    other = f" ({'; '.join(notes)})" if notes else ""
    raise src.error(f"duplicate row for enterprise '{e}', product '{p}', period {month_code(first + t)}{other}",
                    where[1:] or where, fix="keep one row per enterprise, product and month (sum them if needed)")
