"""Time storing a release: ``Store.import_records`` of a month's adjusted series, on SQLite and PostgreSQL.

    python benchmarks/bench_store_write.py [--series 540] [--months 128] [--rounds 4]
                                           [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

The records are shaped as ``adjust --all`` stores them on the demo city: ``--series`` × 3 kinds (calendar
adjusted, seasonally adjusted, trend) × ``--months`` months, Vietnamese names, one value a month — 207,360 rows
by default, the 207,441 of the demo's two adjusted releases. Each round imports them as a new release (another
checksum, every value changed: a new vintage of every figure, as a month's re-run stores) into the same store, so
its indexes grow as a real store's do, twice:

- (new) the observations through the driver (``store.observed.insert_observations``: SQLite's executemany of
  tuples, PostgreSQL's ``COPY``);
- (Core) the observations through SQLAlchemy Core's executemany of dicts in 5,000-row statements, as
  ``import_records`` wrote them before issue 16 — the same rows, the rest of the import unchanged.

The two alternate (which goes first alternates too), so that the machine's drift falls on both. SQLite always
(a temporary file); PostgreSQL with ``--pg`` (an admin URL: a temporary database is created and dropped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd

KINDS = ("calendar_adjusted", "seasonally_adjusted", "trend")


def records(series: int, months: int, shift: float) -> pd.DataFrame:
    """The adjusted records of ``series`` series over ``months`` months, every value moved by ``shift``."""
    periods = [f"{2015 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    parts = []
    for s in range(series):
        for k, kind in enumerate(KINDS):
            parts.append(pd.DataFrame({
                "table": "iip", "series": f"Ngành {s} (đã điều chỉnh mùa vụ, {kind})", "code": f"C{s}~{kind}",
                "unit": "%", "period": periods, "measure": "level",
                "value": [100.0 + s + k + m / 7 + shift for m in range(months)], "status": "actual",
                "sheet": f"X-13ARIMA-SEATS ({kind})", "cell": ""}))
    return pd.concat(parts, ignore_index=True)


def core_insert(conn, rows) -> None:  # type: ignore[no-untyped-def]
    """The observations as import_records wrote them before issue 16: SQLAlchemy Core, dicts, 5,000 a statement."""
    from sqlalchemy import insert

    from vnindustry.store.observed import INSERTED_COLUMNS
    from vnindustry.store.tables import OBSERVATIONS

    dicts = [dict(zip(INSERTED_COLUMNS, r, strict=True)) for r in rows]
    for start in range(0, len(dicts), 5000):
        conn.execute(insert(OBSERVATIONS), dicts[start:start + 5000])


def run(url: str, args: argparse.Namespace) -> dict[str, list[float]]:
    import vnindustry.store.repository as repository
    from vnindustry.store import open_store

    store = open_store(url)
    fast = repository.insert_observations
    times: dict[str, list[float]] = {"new": [], "Core": []}
    counter = 0
    for r in range(args.rounds):
        order = ("new", "Core") if r % 2 == 0 else ("Core", "new")
        for method in order:
            counter += 1
            frame = records(args.series, args.months, shift=counter / 1000)
            repository.insert_observations = fast if method == "new" else core_insert  # type: ignore[assignment]
            try:
                started = time.perf_counter()
                summary = store.import_records(frame, source="bench", file=f"round {counter}",
                                               checksum=uuid.uuid4().hex, released_on=dt.date(2025, 1, 1))
                took = time.perf_counter() - started
            finally:
                repository.insert_observations = fast
            assert summary.created and summary.observations == len(frame)
            times[method].append(took)
            print(f"  round {r + 1} ({method}): {took:.2f} s, {len(frame) / took:,.0f} rows/s", flush=True)
    store.engine.dispose()
    return times


def report(name: str, times: dict[str, list[float]], rows: int) -> None:
    new, core = statistics.median(times["new"]), statistics.median(times["Core"])
    print(f"{name}: {rows:,} rows — new {new:.2f} s ({rows / new:,.0f} rows/s), Core {core:.2f} s "
          f"({rows / core:,.0f} rows/s); new is {core / new:.2f}× as fast (medians of {len(times['new'])})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int, default=540)
    parser.add_argument("--months", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--pg", help="PostgreSQL admin URL (a temporary database is created there)")
    args = parser.parse_args()
    rows = args.series * len(KINDS) * args.months
    print(f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite (a temporary file):", flush=True)
        results["SQLite"] = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args)
    if args.pg:
        from sqlalchemy import create_engine, text

        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        name = f"vnindustry_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            print("PostgreSQL:", flush=True)
            results["PostgreSQL"] = run(f"{args.pg.rsplit('/', 1)[0]}/{name}", args)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    for name, times in results.items():
        report(name, times, rows)


if __name__ == "__main__":
    sys.exit(main())
