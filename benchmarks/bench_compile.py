"""Time the full IIP compile against the floor: a bare DuckDB GROUP BY product, period sum.

    python benchmarks/generate_national.py benchmarks/data/national
    python benchmarks/bench_compile.py benchmarks/data/national [--repeat 3]

Each measurement runs in its own process, so its peak memory (max RSS) is its own. Prints one line per
run and a summary with the ratio compile / floor; copy the summary into the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

FLOOR = """
import duckdb, sys, time
t = time.perf_counter()
con = duckdb.connect()
con.execute("SELECT product, period, sum(quantity) FROM read_parquet(?) GROUP BY product, period",
            [sys.argv[1]]).fetchall()
print(time.perf_counter() - t)
"""

COMPILE = """
import sys, time
t = time.perf_counter()
import vnindustry
r = vnindustry.compile_dataset(sys.argv[1])
print(time.perf_counter() - t)
print(r.stats, file=sys.stderr)
"""


def run(code: str, dataset: Path) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (seconds it reports, peak RSS in GiB)."""
    proc = subprocess.Popen([sys.executable, "-c", code, str(dataset)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if status != 0:
        raise SystemExit(f"benchmark process failed:\n{err}")
    if err.strip():
        print("  ", err.strip().splitlines()[-1])
    return float(out.strip().splitlines()[-1]), usage.ru_maxrss / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    parquet = args.dataset / "production.parquet"
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(parquet).metadata.num_rows
    floors, compiles = [], []
    for i in range(args.repeat):
        f_s, f_mem = run(FLOOR, parquet)
        c_s, c_mem = run(COMPILE, args.dataset)
        floors.append((f_s, f_mem))
        compiles.append((c_s, c_mem))
        print(f"run {i + 1}: floor {f_s:.2f} s ({f_mem:.2f} GiB), compile {c_s:.2f} s ({c_mem:.2f} GiB), "
              f"ratio {c_s / f_s:.1f}")
    f_best = min(s for s, _ in floors)
    c_best = min(s for s, _ in compiles)
    summary = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "rows": rows,
        "floor_s": round(f_best, 2),
        "compile_s": round(c_best, 2),
        "ratio": round(c_best / f_best, 1),
        "compile_peak_gib": round(max(m for _, m in compiles), 2),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
