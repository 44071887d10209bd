"""Time the compile as a user runs it — the CLI, writing every output — beside the floor, in the same run.

    python benchmarks/generate_national.py benchmarks/data/national
    python benchmarks/bench_compile.py benchmarks/data/national [--repeat 3] [--format csv parquet]

For each repetition, each in its own fresh process (so its peak memory, max RSS, is its own):

- ``floor``: a bare DuckDB ``SELECT product, period, sum(quantity) … GROUP BY product, period`` over the same
  Parquet file, timed inside its process — the least any engine pays to read the data and add it up;
- ``decode``: PyArrow decoding the columns the compile's reader needs, as it decodes them (the codes as
  dictionaries; the enterprise column, which the floor does not read, included), on its threads, and nothing
  else — the least the compile's read stage pays (compare with the split's ``read_s``);
- ``cli``: ``vnindustry compile DATASET --out TMP [--format F]`` timed from outside, start-up to exit: Python
  and imports, reading, checks, imputation, aggregation, disclosure control and writing every file.

Prints each run, the stage split from the run's compile.json (read, impute, aggregate, disclosure, write; the
rest is start-up and imports), the machine's 1-minute load average before and after (the machine may be shared),
and a JSON summary of the best runs with the ratio cli / floor — the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import duckdb, sys, time
t = time.perf_counter()
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("SELECT product, period, sum(quantity) FROM read_parquet(?) GROUP BY product, period",
            [sys.argv[1]]).fetchall()
print(time.perf_counter() - t)
"""

# The columns the compile's one-pass reader decodes (the codes as dictionaries, as it asks for them; the period
# only where a row group's statistics do not say it holds one month), on its threads — no more than decoding.
DECODE = """
import os, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
import pyarrow as pa, pyarrow.parquet as pq
t = time.perf_counter()
pa.set_memory_pool(pa.system_memory_pool())
path = sys.argv[1]
meta = pq.ParquetFile(path).metadata
column = [meta.schema.column(j).path for j in range(meta.num_columns)].index("period")
local = threading.local()
def decode(i):
    if not hasattr(local, "file"):
        local.file = pq.ParquetFile(path, read_dictionary=["enterprise", "product", "period"])
    stats = meta.row_group(i).column(column).statistics
    one = stats is not None and stats.has_min_max and stats.null_count == 0 and stats.min == stats.max
    columns = ["enterprise", "product", "quantity"] + ([] if one else ["period"])
    return local.file.read_row_group(i, columns=columns, use_threads=False).num_rows
with ThreadPoolExecutor(max(1, min(os.cpu_count() or 1, 4))) as pool:
    rows = sum(pool.map(decode, range(meta.num_row_groups)))
print(time.perf_counter() - t)
"""

STAGES = ("read_s", "impute_s", "aggregate_s", "disclosure_s")


def run(args: list[str]) -> tuple[float, float, str]:
    """Run ``args`` in a fresh process; return (wall seconds from outside, peak RSS in GiB, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if status != 0:
        raise SystemExit(f"benchmark process failed: {' '.join(args)}\n{out}\n{err}")
    return wall, usage.ru_maxrss / 2**20, out


def cli_command() -> list[str]:
    """The installed ``vnindustry`` script beside this interpreter, else ``python -m vnindustry.cli``."""
    script = Path(sys.executable).with_name("vnindustry")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "vnindustry.cli"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    args = ap.parse_args()
    parquet = args.dataset / "production.parquet"
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(parquet).metadata.num_rows
    load_before = os.getloadavg()[0]
    floors: list[tuple[float, float]] = []
    decodes: list[float] = []
    clis: dict[str, list[tuple[float, float, dict]]] = {f: [] for f in args.format}
    scratch = Path(tempfile.mkdtemp(prefix="bench-compile-"))
    try:
        for i in range(args.repeat):
            _, f_mem, f_out = run([sys.executable, "-c", FLOOR, str(parquet)])
            f_s = float(f_out.strip().splitlines()[-1])
            floors.append((f_s, f_mem))
            _, _, d_out = run([sys.executable, "-c", DECODE, str(parquet)])
            decodes.append(float(d_out.strip().splitlines()[-1]))
            line = f"run {i + 1}: floor {f_s:.2f} s ({f_mem:.2f} GiB); decode {decodes[-1]:.2f} s"
            for fmt in args.format:
                out = scratch / fmt
                shutil.rmtree(out, ignore_errors=True)
                c_s, c_mem, _ = run([*cli_command(), "compile", str(args.dataset), "--out", str(out),
                                     "--format", fmt])
                meta = json.loads((out / "compile.json").read_text(encoding="utf-8"))
                split = {k: meta["stats"][k] for k in STAGES} | {"write_s": meta["write_s"]}
                split["startup_and_rest_s"] = round(c_s - sum(split.values()), 3)
                clis[fmt].append((c_s, c_mem, split))
                line += f"; cli --format {fmt} {c_s:.2f} s ({c_mem:.2f} GiB, ratio {c_s / f_s:.1f}) {split}"
            print(line, flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    f_best = min(s for s, _ in floors)
    summary: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "rows": rows,
        "floor_s": round(f_best, 2),
        "decode_s": round(min(decodes), 2),
    }
    for fmt, runs in clis.items():
        best = min(runs, key=lambda r: r[0])
        summary[f"cli_{fmt}_s"] = round(best[0], 2)
        summary[f"ratio_{fmt}"] = round(best[0] / f_best, 1)
        summary[f"peak_{fmt}_gib"] = round(max(m for _, m, _ in runs), 2)
        summary[f"split_{fmt}"] = best[2]
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
