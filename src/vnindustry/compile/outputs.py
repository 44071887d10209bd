"""The files a compile writes, through Arrow's writers (issue 16: pandas' ``to_csv`` took 17 s of a national
compile's 35 s — imputed.csv alone has 2.9 M rows).

CSV is the default for every table: UTF-8, an unquoted header, text cells bare — or, in a file where some text
holds a comma, a double quote or a line break, every text cell in double quotes (Arrow's "needed" style; any CSV
reader, Excel included, reads either), figures unrounded in their shortest round-trip form (``100`` for 100.0,
``1e-05``), an empty cell for a missing figure. ``--format parquet`` writes the two large tables, products and
imputed cells, as Parquet (zstd) — what a national compile's users load into DuckDB, pandas or R —; iip.csv and
validation.csv, the tables statisticians open in Excel, stay CSV.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnindustry.files import atomic_write_text, atomic_writer

if TYPE_CHECKING:  # pandas and pyarrow load when a table is written, not when the command line starts
    import pandas as pd
    import pyarrow as pa


class OutputFormat(StrEnum):
    """How ``vnindustry compile --out`` writes the large tables (products, imputed cells)."""

    CSV = "csv"
    PARQUET = "parquet"


LARGE_TABLES = ("products", "imputed")  # written as Parquet under --format parquet


def parse_format(text: str) -> OutputFormat:
    """The :class:`OutputFormat` named ``text``; a ``ValueError`` naming the choices otherwise."""
    try:
        return OutputFormat(text.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in OutputFormat)
        raise ValueError(f"unknown output format '{text}': use one of {choices}") from None


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table: NaN and NA become nulls (empty cells), categoricals stay dictionaries."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` to ``path`` as CSV (see the module's note on the format), atomically."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    table = arrow_table(frame)
    columns = []
    quote = False  # does any text cell hold a comma, a double quote or a line break?
    for field, column in zip(table.schema, table.columns, strict=True):
        kind = field.type
        if pa.types.is_dictionary(kind):
            # Checked on the (small) dictionary; Arrow's CSV writer takes plain values, so decode it then.
            quote = quote or any(_needs_quotes(pc, chunk.dictionary) for chunk in column.chunks)
            column = column.cast(kind.value_type)
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            quote = quote or any(_needs_quotes(pc, chunk) for chunk in column.chunks)
        columns.append(column)
    table = pa.table(columns, names=table.column_names)
    header = (",".join(_header_cell(name) for name in table.column_names) + "\n").encode("utf-8")
    # Arrow quotes every text cell when asked to quote where needed ("needed"); a file with no cell that needs it
    # is written without quotes, as a person (or a naive split on commas) expects it.
    options = pcsv.WriteOptions(include_header=False, batch_size=65_536, quoting_style="needed" if quote else "none")
    with atomic_writer(path) as f:
        f.write(header)
        if table.num_rows:
            pcsv.write_csv(table, f, options)
    return path


def _needs_quotes(pc: Any, values: Any) -> bool:
    return bool(pc.any(pc.match_substring_regex(values, r'[,"\r\n]')).as_py())


def _header_cell(name: str) -> str:
    return '"' + name.replace('"', '""') + '"' if any(c in name for c in ',"\n\r') else name


def write_parquet(path: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` to ``path`` as Parquet (zstd; text columns dictionary-encoded), atomically."""
    import pyarrow.parquet as pq

    table = arrow_table(frame)
    with atomic_writer(path) as f:
        pq.write_table(table, f, compression="zstd")
    return path


def write_outputs(out: Path, tables: dict[str, pd.DataFrame], meta: dict[str, Any],
                  fmt: OutputFormat = OutputFormat.CSV, *, workers: int = 0) -> list[Path]:
    """Write each of ``tables`` (name → frame) into ``out`` (created) as ``name.csv``, or ``name.parquet`` for
    the large tables under :attr:`OutputFormat.PARQUET`, and ``compile.json`` holding ``meta`` — each file
    atomically, the tables on several threads (Arrow's writers release the GIL). Returns the paths in the
    order of ``tables``, compile.json last."""
    fmt = OutputFormat(fmt)
    out.mkdir(parents=True, exist_ok=True)

    def write(item: tuple[str, pd.DataFrame]) -> Path:
        name, frame = item
        as_parquet = fmt is OutputFormat.PARQUET and name in LARGE_TABLES
        path = write_parquet(out / f"{name}.parquet", frame) if as_parquet else write_csv(out / f"{name}.csv", frame)
        # The table in the other format, from an earlier run, would now be stale: remove it.
        path.with_suffix(".csv" if as_parquet else ".parquet").unlink(missing_ok=True)
        return path

    started = time.perf_counter()
    # The largest first, so the small ones fill in beside it.
    order = sorted(tables.items(), key=lambda item: -len(item[1]))
    with ThreadPoolExecutor(max_workers=min(len(order), workers or os.cpu_count() or 1) or 1) as pool:
        done = dict(zip((name for name, _ in order), pool.map(write, order), strict=True))
    written = [done[name] for name in tables]
    meta = {**meta, "format": fmt.value, "write_s": round(time.perf_counter() - started, 3)}
    written.append(atomic_write_text(out / "compile.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n"))
    return written
