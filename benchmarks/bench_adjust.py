"""Time Tết-aware seasonal adjustment (``adjust_many``) on simulated monthly series; print series per second.

    python benchmarks/bench_adjust.py [--n 200] [--workers 2] [--seed 2025] [--frozen]

The series look like Vietnamese trade and production series: 8–15 years ending in 2025, a trend with
drift and wandering growth, a seasonal pattern that evolves slowly, a Tết effect for about two thirds of
them (a random one of the candidate windows, coefficient 0.05–0.25 on the log scale), a working-day effect
for some, an outlier or a level shift now and then, and noise of 1–4%. ``--frozen`` also times the monthly
re-run with each series' frozen spec (one X-13 run a series).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal import adjust_many, candidate_windows, tet_regressor, working_day_regressor
from vnindustry.analysis.seasonal.x13 import verify_binary


def simulate(rng: np.random.Generator) -> pd.Series:
    """One realistic monthly series (see the module docstring)."""
    years = int(rng.integers(8, 16))
    index = pd.period_range(end="2025-12", periods=12 * years, freq="M")
    n = len(index)
    growth = 0.005 + np.cumsum(rng.normal(0, 0.0015, n))
    level = np.cumsum(growth + rng.normal(0, 0.01, n))
    pattern = rng.normal(0, 0.07, 12)
    pattern -= pattern.mean()
    drift = np.cumsum(rng.normal(0, 0.004, (years, 12)), axis=0).ravel()
    seasonal = np.tile(pattern, years) + drift - np.repeat(drift.reshape(years, 12).mean(axis=1), 12)
    log_y = 6 + level + seasonal + rng.normal(0, rng.uniform(0.01, 0.04), n)
    if rng.random() < 2 / 3:
        combos = candidate_windows()
        window = combos[int(rng.integers(len(combos)))][int(rng.integers(3))]
        log_y += rng.uniform(0.05, 0.25) * rng.choice([-1, 1]) * tet_regressor(window, index).to_numpy()
    if rng.random() < 0.3:
        log_y += rng.uniform(0.005, 0.02) * working_day_regressor(index).to_numpy()
    if rng.random() < 0.3:
        log_y[int(rng.integers(n))] += rng.choice([-1, 1]) * rng.uniform(0.1, 0.2)
    if rng.random() < 0.2:
        log_y[int(rng.integers(n // 2, n)):] += rng.choice([-1, 1]) * rng.uniform(0.1, 0.2)
    return pd.Series(np.exp(log_y), index=index)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="series (default 200)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: all CPUs)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--frozen", action="store_true", help="also time the re-run with frozen specs")
    args = ap.parse_args()
    verify_binary()
    rng = np.random.default_rng(args.seed)
    series = {f"s{i:04d}": simulate(rng) for i in range(args.n)}
    workers = args.workers or os.cpu_count() or 1
    print(f"{args.n} series, {workers} workers, {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
          f"Python {sys.version.split()[0]}")

    start = time.perf_counter()
    results = adjust_many(series, workers=workers)
    seconds = time.perf_counter() - start
    failed = {k: v for k, v in results.items() if isinstance(v, Exception)}
    ok = [v for v in results.values() if not isinstance(v, Exception)]
    runs = [v.diagnostics["selection"]["runs"] for v in ok]
    with_tet = sum(bool(v.spec.tet_windows) for v in ok)
    print(f"automatic: {seconds:.2f} s, {args.n / seconds:.1f} series/s; {len(failed)} failed; "
          f"X-13 processes per series {np.mean(runs):.2f} (max {max(runs, default=0)}); "
          f"{with_tet} with Tết regressors")
    for key, error in list(failed.items())[:5]:
        print(f"  {key}: {error}")

    if args.frozen:
        specs = {k: v.spec for k, v in results.items() if not isinstance(v, Exception) and v.spec is not None}
        start = time.perf_counter()
        adjust_many({k: series[k] for k in specs}, workers=workers, specs=specs)
        seconds = time.perf_counter() - start
        print(f"frozen spec: {seconds:.2f} s, {len(specs) / seconds:.1f} series/s")


if __name__ == "__main__":
    main()
