"""Time ``vnindustry adjust --all`` as a user runs it beside the bare X-13 binary, in the same run.

    .venv/bin/vnindustry demo --out /tmp/adjdemo          # once: the demo city's store
    python benchmarks/bench_adjust.py --db sqlite:////tmp/adjdemo/vnindustry.db [--rounds 3] [--workers N]
    python benchmarks/bench_adjust.py --simulated [--n 200] [--frozen]       # adjust_many on simulated series

With ``--db`` (a SQLite store, copied first: the original is not touched), on every core (``--workers``):

- ``(c) first identification``: ``vnindustry adjust --db COPY --all`` in a fresh process, timed from outside,
  on a copy without frozen specs (``--reestimate`` if the store has some): every model identified, then the
  adjusted series and their frozen specs stored (``--transform-test airline``: with the cheaper, opt-in
  comparison of the transforms);
- ``(c') bare x13as over (c)``: the first identification once more on a fresh copy with ``VNINDUSTRY_X13_KEEP``
  (every X-13 process's files kept; not timed), then the bare binary over exactly those processes — the same spec
  files, batches and flags, as many at once as workers, in the order they ran: X-13's own time in (c), so that
  (c)/(c') is what the command adds to X-13 (``--skip-bare-identification`` leaves it out);
- ``(a) bare x13as``: the binary alone over exactly the spec files that ``adjust --all`` then writes for the
  frozen specs (the same text, byte for byte: the same batches, names and data files), one process per spec,
  as many at once as workers (a thread each, each run in its own temporary folder, where adjust's are:
  ``x13.work_root()``), with ``-s`` (the diagnostics file; the tables printed, X-13's default); ``(a') bare
  x13as, batched``: the same, one process per batch of specs, as ``adjust --all`` runs them; and ``(a'')``: the
  batches with adjust's own flags, ``-s -n`` (no tables printed: ``x13.RUN_FLAGS``) — X-13's work as
  ``adjust --all`` asks for it, so that (b)/(a'') is what the command adds to X-13;
- ``(b) adjust --all``: ``vnindustry adjust --db COPY --all`` again in a fresh process, timed from outside —
  start-up, reading the store, the frozen specs re-used, X-13, storing (the copy already holds these
  results, so the store finds nothing changed and writes nothing; ``(c)`` times a run that writes).

(a), (a'), (a'') and (b) alternate for ``--rounds`` rounds; medians are reported, with the machine's 1-minute load
average around each run (the machine may be shared), and the ratio (b)/(a) of series per second: the median
of each round's ratio (its (a) and (b) a few seconds apart), and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal import adjust_many, candidate_windows, tet_regressor, working_day_regressor
from vnindustry.analysis.seasonal.x13 import RUN_FLAGS, verify_binary, work_root

CLI = Path(sys.executable).with_name("vnindustry")


def simulate(rng: np.random.Generator) -> pd.Series:
    """One realistic monthly series: 8–15 years ending in 2025, a trend with drift and wandering growth, a
    slowly evolving seasonal pattern, a Tết effect for about two thirds of them (a random candidate window,
    coefficient 0.05–0.25 on the log scale), a working-day effect for some, an outlier or a level shift now
    and then, and noise of 1–4%."""
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


def simulated(args: argparse.Namespace) -> None:
    """The simulated mode: ``adjust_many`` in this process on ``--n`` simulated series."""
    rng = np.random.default_rng(args.seed)
    series = {f"s{i:04d}": simulate(rng) for i in range(args.n)}
    workers = args.workers or os.cpu_count() or 1
    start = time.perf_counter()
    results = adjust_many(series, workers=workers)
    seconds = time.perf_counter() - start
    failed = {k: v for k, v in results.items() if isinstance(v, Exception)}
    ok = [v for v in results.values() if not isinstance(v, Exception)]
    runs = [v.diagnostics["selection"]["runs"] for v in ok]
    print(f"automatic: {seconds:.2f} s, {args.n / seconds:.1f} series/s; {len(failed)} failed; X-13 processes "
          f"per series {np.mean(runs):.2f} (max {max(runs, default=0)}); "
          f"{sum(bool(v.spec.tet_windows) for v in ok)} with Tết regressors")
    for key, error in list(failed.items())[:5]:
        print(f"  {key}: {error}")
    if args.frozen:
        specs = {k: v.spec for k, v in results.items() if not isinstance(v, Exception) and v.spec is not None}
        start = time.perf_counter()
        adjust_many({k: series[k] for k in specs}, workers=workers, specs=specs)
        seconds = time.perf_counter() - start
        print(f"frozen spec: {seconds:.2f} s, {len(specs) / seconds:.1f} series/s")


# --- the store: the CLI beside the bare binary --------------------------------------------------------------

def load() -> str:
    """The 1-minute load average, for the record."""
    return f"{os.getloadavg()[0]:.2f}"


def cli(url: str, workers: int, *extra: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    """``vnindustry adjust --db URL --all`` in a fresh process: wall seconds from outside, and its stderr."""
    command = [str(CLI), "adjust", "--db", url, "--all", "--workers", str(workers), *extra]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env=None if env is None else {**os.environ, **env})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, done.stderr


def adjusted_count(stderr: str) -> tuple[int, int]:
    """(series adjusted, frozen specs re-used) from ``adjust --all``'s summary line."""
    match = re.search(r"Adjusted (\d+) of \d+ series in .*?(\d+) frozen specs re-used", " ".join(stderr.split()))
    if match is None:
        raise SystemExit(f"no summary line in adjust --all's output:\n{stderr[-2000:]}")
    return int(match.group(1)), int(match.group(2))


def spec_files(url: str, workers: int, folder: Path) -> list[list[Path]]:
    """Write the spec files ``adjust --all`` runs for the frozen specs of store ``url``: read the store as
    the CLI does (its public view, a hundred series at a time), group the series into the CLI's batches,
    name and render each spec as the batches do. One folder per spec (its .spc and data files); returns the
    folders batch by batch."""
    from vnindustry.analysis.seasonal.adjust import prepare
    from vnindustry.analysis.seasonal.frozen import batches
    from vnindustry.analysis.seasonal.runs import frozen_run
    from vnindustry.analysis.seasonal.stored import latest_specs, level_series_chunks, original_keys
    from vnindustry.store import open_store

    store = open_store(url)
    public = store.public_view(embargo=True)
    keys = original_keys(public)
    specs = latest_specs(store, keys)
    out: list[list[Path]] = []
    read = 0
    for series, _, stands_for in level_series_chunks(public, keys=keys):
        read += stands_for
        frozen = [k for k in series if k in specs]
        for group in batches(frozen, workers=workers, coming=len(keys) - read):
            folders = []
            for i, key in enumerate(group):
                name = f"s{i:04d}"
                y, _ = prepare(series[key])
                text, files = frozen_run(y, specs[key], prefix=f"{name}_")
                spec_dir = folder / f"{len(out):04d}-{name}"
                spec_dir.mkdir()
                (spec_dir / f"{name}.spc").write_text(text, encoding="ascii")
                for file_name, content in files.items():
                    (spec_dir / file_name).write_text(content, encoding="ascii")
                folders.append(spec_dir)
            out.append(folders)
    return out


def bare(binary: str, groups: list[list[Path]], workers: int, *, batched: bool, flags: tuple[str, ...] = ("-s",)
         ) -> float:
    """The bare binary over the spec folders: one process per spec (or per batch, as a metafile), ``workers``
    at a time, each in a fresh temporary folder, with X-13's ``flags`` (by default ``-s``, as the Census Bureau's
    documentation runs it: the tables printed). Returns wall seconds."""
    jobs = groups if batched else [[folder] for group in groups for folder in group]

    def run(job: list[Path]) -> None:
        with tempfile.TemporaryDirectory(prefix="bench-x13-", dir=work_root()) as tmp:
            for folder in job:
                for path in folder.iterdir():
                    shutil.copyfile(path, Path(tmp) / path.name)
            names = [folder.name.split("-", 1)[1] for folder in job]
            if len(names) == 1:
                command = [binary, names[0], *flags]
            else:
                (Path(tmp) / "batch.mta").write_text("\n".join(names) + "\n", encoding="ascii")
                command = [binary, "-m", "batch", *flags]
            done = subprocess.run(command, cwd=tmp, capture_output=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"x13as failed on {names}: {done.stdout[-500:]!r}")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, jobs))
    return time.perf_counter() - start


def replay(binary: str, kept: Path, workers: int) -> tuple[float, float, int]:
    """The bare binary over the X-13 processes a run kept (``VNINDUSTRY_X13_KEEP``): each process's inputs
    copied into a fresh temporary folder and X-13 started with the kept arguments, ``workers`` at a time, in the
    order they ran. Returns wall seconds, the processes' CPU seconds (user and system) and their number."""
    folders = sorted(p for p in kept.iterdir() if p.is_dir() and not p.name.startswith("."))

    def run(folder: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="bench-x13-", dir=work_root()) as tmp:
            for name in (folder / "inputs.txt").read_text(encoding="ascii").split():
                shutil.copyfile(folder / name, Path(tmp) / name)
            arguments = (folder / "command.txt").read_text(encoding="ascii").split()
            done = subprocess.run([binary, *arguments], cwd=tmp, capture_output=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"x13as failed on {folder}: {done.stdout[-500:]!r}")

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, folders))
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, len(folders)


def identification_floor(source: Path, tmp: Path, binary: str, workers: int, extra: tuple[str, ...],
                         seconds: float) -> None:
    """``(c')``: the first identification again on a fresh copy, its X-13 processes kept (not timed), then the bare
    binary over exactly those processes (:func:`replay`): X-13's own share of (c)."""
    copy = tmp / "kept.db"
    shutil.copyfile(source, copy)
    kept = tmp / "x13-runs"
    kept.mkdir()
    cli(f"sqlite:///{copy}", workers, *extra, env={"VNINDUSTRY_X13_KEEP": str(kept)})
    before = load()
    bare_seconds, cpu, processes = replay(binary, kept, workers)
    print(f"(c') bare x13as over the {processes} X-13 processes of (c) (their own specs, batches and flags, "
          f"{workers} at a time): {bare_seconds:.1f} s, {cpu:.1f} CPU s, {cpu / workers:.1f} s a core "
          f"(load {before} → {load()}); (c')/(c) = {bare_seconds / seconds:.2f}")
    shutil.rmtree(kept)


def from_store(args: argparse.Namespace) -> None:
    match = re.fullmatch(r"sqlite:///(.+)", args.db)
    if match is None or not Path(match.group(1)).is_file():
        raise SystemExit(f"--db {args.db}: give a SQLite store as sqlite:////absolute/path.db (it is copied, not "
                         "changed); build the demo's with: vnindustry demo --out /tmp/adjdemo")
    workers = args.workers or os.cpu_count() or 1
    info = verify_binary()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or platform.machine())
    print(f"{os.cpu_count()} CPUs ({cpu}), {workers} workers, {platform.machine()}, Python "
          f"{sys.version.split()[0]}, X-13ARIMA-SEATS {info.version} build {info.build}; load average {load()}")
    with tempfile.TemporaryDirectory(prefix="bench-adjust-") as tmp:
        work = Path(tmp) / "store.db"
        shutil.copyfile(match.group(1), work)
        url = f"sqlite:///{work}"
        from vnindustry.analysis.seasonal.stored import latest_specs, original_keys
        from vnindustry.store import open_store

        frozen_before = len(latest_specs(open_store(url), original_keys(open_store(url))))
        if not args.skip_identification or frozen_before == 0:
            extra = (("--reestimate",) if frozen_before else ()) + ("--transform-test", args.transform_test)
            before = load()
            seconds, stderr = cli(url, workers, *extra)
            n, _ = adjusted_count(stderr)
            print(f"(c) first identification ({' '.join(extra)}), vnindustry adjust --all: {n} "
                  f"series in {seconds:.1f} s, {n / seconds:.2f} series/s (load {before} → {load()})")
            if not args.skip_bare_identification:
                identification_floor(Path(match.group(1)), Path(tmp), str(info.path), workers, extra, seconds)
        specs_dir = Path(tmp) / "specs"
        specs_dir.mkdir()
        groups = spec_files(url, workers, specs_dir)
        total = sum(len(g) for g in groups)
        print(f"{total} spec files (frozen specs) in {len(groups)} batches of at most "
              f"{max(len(g) for g in groups)}")
        times: dict[str, list[float]] = {"a": [], "a'": [], "a''": [], "b": []}
        for r in range(args.rounds):
            order = ["a", "a'", "a''", "b"] if r % 2 == 0 else ["b", "a''", "a'", "a"]
            for what in order:
                before = load()
                if what == "b":
                    seconds, stderr = cli(url, workers)
                    n, reused = adjusted_count(stderr)
                    if n != total or reused != total:
                        raise SystemExit(f"adjust --all adjusted {n} series with {reused} frozen specs, not {total}")
                else:
                    seconds = bare(str(info.path), groups, workers, batched=what != "a",
                                   flags=RUN_FLAGS if what == "a''" else ("-s",))
                times[what].append(seconds)
                print(f"  round {r + 1} ({what}): {seconds:.2f} s, {total / seconds:.1f} series/s "
                      f"(load {before} → {load()})")
        one, batched, quiet, ours = (statistics.median(times[k]) for k in ("a", "a'", "a''", "b"))
        paired = [a / b for a, b in zip(times["a"], times["b"], strict=True)]
        rounds = ", ".join(f"{r:.2f}" for r in paired)
        print(f"(a)  bare x13as, one process per spec, {workers} at a time: median {one:.2f} s, "
              f"{total / one:.1f} series/s")
        print(f"(a') bare x13as, the batches of adjust --all: median {batched:.2f} s, {total / batched:.1f} series/s")
        print(f"(a'') bare x13as, the batches and flags ({' '.join(RUN_FLAGS)}) of adjust --all: median {quiet:.2f} s, "
              f"{total / quiet:.1f} series/s")
        print(f"(b)  vnindustry adjust --all (fresh process, frozen specs): median {ours:.2f} s, "
              f"{total / ours:.1f} series/s")
        # The load of a shared machine drifts between rounds: the rounds' own ratios (a and b a few seconds
        # apart) are the fairer figure; the ratio of the medians is printed too.
        print(f"ratio (b)/(a): median of the rounds' ratios {statistics.median(paired):.2f} (rounds: {rounds}); "
              f"of the medians {one / ours:.2f}; (b)/(a') of the medians {batched / ours:.2f}; (b)/(a'') of the "
              f"medians {quiet / ours:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="a SQLite store, sqlite:////path.db (copied)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of (a), (a') and (b) (default 3)")
    ap.add_argument("--transform-test", choices=("identified", "airline"), default="identified",
                    help="(c) with adjust --transform-test (default identified, the command's default; (c) only: "
                         "not with --simulated, nor with --skip-identification on a store that has frozen specs)")
    ap.add_argument("--skip-identification", action="store_true",
                    help="skip (c) when the store already has frozen specs")
    ap.add_argument("--skip-bare-identification", action="store_true",
                    help="skip (c'), the bare binary over (c)'s own X-13 processes (which first runs (c) again "
                         "on another copy, keeping its X-13 files)")
    ap.add_argument("--simulated", action="store_true", help="adjust_many on simulated series instead")
    ap.add_argument("--n", type=int, default=200, help="simulated series (default 200)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: all CPUs)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--frozen", action="store_true", help="simulated: also time the re-run with frozen specs")
    args = ap.parse_args()
    verify_binary()
    if args.simulated:
        simulated(args)
    elif args.db:
        from_store(args)
    else:
        ap.error("give --db sqlite:////path.db (a store) or --simulated")


if __name__ == "__main__":
    main()
