"""Time one month's bulletin in each format, as a user gets it, beside floors measured in the same run.

    python benchmarks/bench_bulletin.py [--demo benchmarks/out/bulletin-demo] [--repeat 5]
                                        [--period 2025-12] [--source city] [--lang vi] [--format md …]

Builds the demo store once (``vnindustry demo --out DIR``, about two minutes) or reuses ``DIR/vnindustry.db``,
then times, for each format (md, html, xlsx, docx, pdf), best and median of ``--repeat`` runs:

- ``cli``: ``vnindustry bulletin --period P --db … --out FILE`` in a fresh process (``python -m vnindustry.cli``),
  what a user waits for, whatever the command calls as committed (one read of the store since 2026-12-06);
- ``process``: a fresh process doing what the command does without Typer's parsing — import the command line
  (every command group), open the store, :func:`vnindustry.publish.snapshot.publish_bulletin`, write the file
  (the command adds nothing when the two agree);
- ``in-process``: ``publish_bulletin`` on a fresh public view, inside this process (imports warm; the first
  call of each format not timed) — what a long-running process pays for one bulletin;
- ``route``: ``GET /bulletins/{period}.{fmt}`` through the dashboard app inside this process (httpx ASGI
  transport, the response cache emptied before each request, as a new release empties it: the catalogue and
  the months list are read again too), whatever the route calls as committed.

Floors, measured in the same run:

- ``startup`` (for the two fresh-process columns): a fresh process that imports the command line and opens the
  store — what any command on the store pays before its work (mostly pandas and SQLAlchemy being imported);
- ``month read`` (for the in-process columns): the month's observations of the source read from the public
  view, one query, masked for confidentiality — the least a bulletin of that month can read.

``beyond start-up`` is the command's median less the start-up floor's: the bulletin's own time. ``goal met``: that
and the in-process and route medians within the goal (< 1 s md, html, xlsx; < 3 s docx, pdf).

The machine's 1-minute load average is printed before and after: on a shared machine it moves the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FORMATS = ("md", "html", "xlsx", "docx", "pdf")
GOALS = {"md": 1.0, "html": 1.0, "xlsx": 1.0, "docx": 3.0, "pdf": 3.0}

PROCESS = """
import sys
from pathlib import Path
import vnindustry.cli  # the command line's start-up: every command group registered
from vnindustry.files import atomic_write_bytes
from vnindustry.publish.snapshot import publish_bulletin
from vnindustry.store import open_store
db, period, source, lang, fmt, out = sys.argv[1:]
store = open_store(db).public_view()
atomic_write_bytes(Path(out), publish_bulletin(store, period, fmt, lang, source=source))
"""

STARTUP = """
import sys
import vnindustry.cli
from vnindustry.store import open_store
open_store(sys.argv[1]).public_view()
"""


def load() -> str:
    """The 1-minute load average."""
    return f"{os.getloadavg()[0]:.2f}"


def cpu() -> str:
    """The processor's model name (Linux), else the architecture."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} ({platform.machine()})"
    except OSError:
        pass
    return platform.machine()


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return times


def fresh(args: list[str]) -> Callable[[], None]:
    """A run of ``python ARGS`` in a fresh process; a failure stops the benchmark with its error."""

    def run() -> None:
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args[:4])} … failed:\n{done.stderr[-2000:]}")
    return run


def cell(times: list[float]) -> str:
    """Best / median, in seconds."""
    return f"{min(times):.2f} / {statistics.median(times):.2f}"


def build(demo: Path) -> Path:
    """The demo store in ``demo``, built there with ``vnindustry demo`` when it has none."""
    db = demo / "vnindustry.db"
    if db.exists():
        print(f"reusing {db}")
        return db
    print(f"building the demo store in {demo} (vnindustry demo) …", flush=True)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "vnindustry.cli", "demo", "--out", str(demo)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise SystemExit(f"vnindustry demo failed:\n{done.stderr[-2000:]}")
    print(f"built in {time.perf_counter() - t0:.0f} s")
    return db


def route_times(url: str, period: str, source: str, lang: str, fmt: str, repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` downloads of the bulletin from a fresh dashboard app (after one not timed)."""
    import httpx

    from vnindustry.store import open_store
    from vnindustry.web import create_app

    os.environ["VNINDUSTRY_API_RATE_LIMIT"] = "0"
    app = create_app(open_store(url))
    path = f"/bulletins/{period}.{fmt}?source={source}&lang={lang}"

    async def go() -> list[float]:
        times = []
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench",
                                     timeout=120) as client:
            r = await client.get(path)  # warm-up: imports, templates, the months list
            if r.status_code != 200:
                raise SystemExit(f"GET {path} answered {r.status_code}: {r.text[:300]}")
            for _ in range(repeat):
                app.state.api.cache.clear()  # as a new release does: the bulletin is composed again
                t0 = time.perf_counter()
                r = await client.get(path)
                times.append(time.perf_counter() - t0)
                assert r.status_code == 200
        return times

    try:
        return asyncio.run(go())
    finally:
        app.state.api.store.engine.dispose()


def main() -> None:
    """Build or reuse the demo store, time every format, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=Path(__file__).parent / "out" / "bulletin-demo",
                        help="folder of the demo store (built there when it has no vnindustry.db)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--period", default="2025-12")
    parser.add_argument("--source", default="city")
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--format", action="append", choices=FORMATS, help="repeatable; default: all five")
    args = parser.parse_args()
    formats = args.format or list(FORMATS)
    db = build(args.demo)
    url = f"sqlite:///{db.resolve()}"

    from vnindustry.publish.snapshot import publish_bulletin
    from vnindustry.store import open_store

    store = open_store(url)
    print(f"{cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.source} {args.period} ({args.lang}); best / median of {args.repeat}, seconds; load {load()}")
    startup = timed(fresh(["-c", STARTUP, url]), args.repeat)
    month = timed(lambda: store.public_view().observations(source=args.source, start=args.period,
                                                           end=args.period), args.repeat)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            out = str(Path(tmp) / f"bulletin.{fmt}")
            cli = timed(fresh(["-m", "vnindustry.cli", "bulletin", "--period", args.period, "--db", url,
                               "--source", args.source, "--lang", args.lang, "--out", out]), args.repeat)
            process = timed(fresh(["-c", PROCESS, url, args.period, args.source, args.lang, fmt, out]), args.repeat)
            publish_bulletin(store.public_view(), args.period, fmt, args.lang, source=args.source)  # warm-up
            inside = timed(lambda fmt=fmt: publish_bulletin(store.public_view(), args.period, fmt, args.lang,
                                                            source=args.source), args.repeat)
            route = route_times(url, args.period, args.source, args.lang, fmt, args.repeat)
            rows.append((fmt, cli, process, inside, route))
            print(f"  {fmt} done (load {load()})", flush=True)
    print()
    print("| format | goal | `vnindustry bulletin` (fresh process) | fresh process, publish_bulletin | floor: start-up "
          "| beyond start-up | in-process publish_bulletin | dashboard route, in-process | floor: the month's read "
          "| goal met |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for fmt, cli, process, inside, route in rows:
        beyond = statistics.median(cli) - statistics.median(startup)
        met = max(beyond, statistics.median(inside), statistics.median(route)) < GOALS[fmt]
        print(f"| {fmt} | < {GOALS[fmt]:.0f} s | {cell(cli)} | {cell(process)} | {cell(startup)} | {beyond:.2f} "
              f"| {cell(inside)} | {cell(route)} | {cell(month)} | {'yes' if met else 'no'} |")
    print("\nbest / median of the runs, seconds; beyond start-up: the command's median less the start-up floor's")
    print(f"\nload average (1 min) at the end: {load()}")


if __name__ == "__main__":
    sys.exit(main())
