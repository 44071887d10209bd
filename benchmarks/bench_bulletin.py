"""Time one month's bulletin in each format, as a user gets it, beside floors measured in the same run.

    python benchmarks/bench_bulletin.py [--demo benchmarks/out/bulletin-demo] [--repeat 5]
                                        [--period 2025-12] [--source city] [--lang vi] [--format md …]

Builds the demo store once (``vnindustry demo --out DIR``, about a minute) or reuses ``DIR/vnindustry.db``,
then times, for each format (md, html, xlsx, docx, pdf), best and median of ``--repeat`` runs:

- ``cli``: ``vnindustry bulletin --period P --db … --out FILE`` in a fresh process (``python -m vnindustry.cli``),
  what a user waits for, whatever the command calls as committed (one read of the store since 2026-12-06);
- ``process``: a fresh process doing what the command does without Typer's parsing — start the command line
  as the command does (``vnindustry.cli.start``: the bulletin's command group, the cycle collector paused),
  open the store, :func:`vnindustry.publish.snapshot.publish_bulletin`, write the file, with the collector
  paused as the command pauses it (the command adds nothing when the two agree);
- ``in-process``: ``publish_bulletin`` on a fresh public view, inside this process (imports warm; the first
  call of each format not timed) — what a long-running process pays for one bulletin;
- ``route``: ``GET /bulletins/{period}.{fmt}`` through the dashboard app inside this process (httpx ASGI
  transport, the response cache emptied before each request, as a new release empties it: the catalogue and
  the months list are read again too), whatever the route calls as committed.

Floors, measured in the same run:

- ``startup`` (for the two fresh-process columns): a fresh process that starts the command line as
  ``vnindustry bulletin`` does (its command group registered, its commands built by Typer) and opens the
  store — what a command on the store pays before its work (mostly pandas and SQLAlchemy being imported);
  before 2026-12-06's evening every command registered and built every group (the floor of then);
- ``month read`` (for the in-process columns): the month's observations of the source read from the public
  view, one query, masked for confidentiality — the least a bulletin of that month can read.

The fresh processes read Python's bytecode cache as an installation does (:func:`fresh_environment`: where
PYTHONDONTWRITEBYTECODE is set, it is dropped for them and the cache kept in ``benchmarks/out/pycache``); each
is run once per format before the rounds, not timed.

Each format's floors are measured in rounds with its own runs (floor, command, process; month read,
in-process), so that both meet the same load.

``beyond start-up`` is the median of (command − start-up floor) over the runs paired in their rounds: the
bulletin's own time. ``goal met``: that and the in-process and route medians within the goal (< 1 s md, html,
xlsx; < 3 s docx, pdf).

Each run's CPU seconds (user + system, of this process or the fresh one) are printed too, as medians: on a shared
machine they move less than the wall clock. The machine's 1-minute load average is printed before, after each
format and at the end: on a shared machine it moves the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
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
import vnindustry.cli
from vnindustry.cli.common import short_lived
vnindustry.cli.start(["bulletin"])  # the command line's start-up: the bulletin's command group registered
db, period, source, lang, fmt, out = sys.argv[1:]
with short_lived():  # as the command: the cycle collector paused for its work
    from vnindustry.files import atomic_write_bytes
    from vnindustry.publish.snapshot import publish_bulletin
    from vnindustry.store import open_store
    store = open_store(db).public_view()
    atomic_write_bytes(Path(out), publish_bulletin(store, period, fmt, lang, source=source))
"""

STARTUP = """
import sys
import typer.main
import vnindustry.cli
from vnindustry.cli.common import short_lived
app = vnindustry.cli.start(["bulletin"])  # what `vnindustry bulletin` registers: its command group
typer.main.get_command(app)  # what running a command builds first: its group's commands and their options
with short_lived():
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


Sample = tuple[float, float]
"""One run: (wall-clock seconds, CPU seconds of this process and the processes it waited for)."""


def cpu_time() -> float:
    """CPU seconds (user + system) of this process and of its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def sample(run: Callable[[], object]) -> Sample:
    """Wall-clock and CPU seconds of ``run()``."""
    t0, c0 = time.perf_counter(), cpu_time()
    run()
    return time.perf_counter() - t0, cpu_time() - c0


def rounds(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[Sample]]:
    """Each run by name, ``repeat`` rounds of all of them in turn, so that what is compared (a command and its
    floor) meets the same load on a shared machine."""
    samples: dict[str, list[Sample]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            samples[name].append(sample(run))
    return samples


BYTECODE = Path(__file__).parent / "out" / "pycache"


def fresh_environment() -> dict[str, str]:
    """The fresh processes' environment, with Python's bytecode cache as an installation has it (pip compiles a
    package's modules; an editable install writes them on first import). Where PYTHONDONTWRITEBYTECODE is set
    (some shells and CI do) each run would compile the package's ~100 modules from source again, 0.1–0.3 s of CPU on
    the machine of the README's figures: it is dropped and the cache kept in ``benchmarks/out/pycache``
    (PYTHONPYCACHEPREFIX), out of the sources' folders; the first run of each format, not timed, fills it."""
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None and "PYTHONPYCACHEPREFIX" not in env:
        env["PYTHONPYCACHEPREFIX"] = str(BYTECODE)
    return env


ENVIRONMENT = fresh_environment()


def fresh(args: list[str]) -> Callable[[], None]:
    """A run of ``python ARGS`` in a fresh process; a failure stops the benchmark with its error."""

    def run() -> None:
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=ENVIRONMENT)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args[:4])} … failed:\n{done.stderr[-2000:]}")
    return run


def cell(samples: list[Sample]) -> str:
    """Best / median wall-clock seconds."""
    walls = [wall for wall, _ in samples]
    return f"{min(walls):.2f} / {statistics.median(walls):.2f}"


def median(samples: list[Sample], part: int = 0) -> float:
    """The median wall-clock (``part`` 0) or CPU (1) seconds."""
    return statistics.median(s[part] for s in samples)


def beyond(command: list[Sample], floor: list[Sample], part: int = 0) -> float:
    """The median of (command − floor) over runs paired in their rounds: the command's own time."""
    return statistics.median(c[part] - f[part] for c, f in zip(command, floor, strict=True))


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


def route_times(url: str, period: str, source: str, lang: str, fmt: str, repeat: int) -> list[Sample]:
    """Seconds of each of ``repeat`` downloads of the bulletin from a fresh dashboard app (after one not timed)."""
    import httpx

    from vnindustry.store import open_store
    from vnindustry.web import create_app

    os.environ["VNINDUSTRY_API_RATE_LIMIT"] = "0"
    app = create_app(open_store(url))
    path = f"/bulletins/{period}.{fmt}?source={source}&lang={lang}"

    async def go() -> list[Sample]:
        samples = []
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench",
                                     timeout=120) as client:
            r = await client.get(path)  # warm-up: imports, templates, the months list
            if r.status_code != 200:
                raise SystemExit(f"GET {path} answered {r.status_code}: {r.text[:300]}")
            for _ in range(repeat):
                app.state.api.cache.clear()  # as a new release does: the bulletin is composed again
                t0, c0 = time.perf_counter(), cpu_time()  # the request is served in a thread of this process
                r = await client.get(path)
                samples.append((time.perf_counter() - t0, cpu_time() - c0))
                assert r.status_code == 200
        return samples

    try:
        return asyncio.run(go())
    finally:
        app.state.api.store.engine.dispose()


def main() -> None:
    """Build or reuse the demo store, time every format beside its floors, print the table."""
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
    if "PYTHONPYCACHEPREFIX" in ENVIRONMENT and "PYTHONPYCACHEPREFIX" not in os.environ:
        print(f"PYTHONDONTWRITEBYTECODE is set here: the fresh processes run without it, their bytecode cached in "
              f"{BYTECODE} (as an installation has it)")

    def month_read() -> object:
        return store.public_view().observations(source=args.source, start=args.period, end=args.period)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            out = str(Path(tmp) / f"bulletin.{fmt}")
            cold_runs = {
                "startup": fresh(["-c", STARTUP, url]),
                "cli": fresh(["-m", "vnindustry.cli", "bulletin", "--period", args.period, "--db", url,
                              "--source", args.source, "--lang", args.lang, "--out", out]),
                "process": fresh(["-c", PROCESS, url, args.period, args.source, args.lang, fmt, out]),
            }
            for run in cold_runs.values():  # not timed: the bytecode cache filled, the files in the OS's cache
                run()
            cold = rounds(cold_runs, args.repeat)
            publish_bulletin(store.public_view(), args.period, fmt, args.lang, source=args.source)  # warm-up
            warm = rounds({
                "month": month_read,
                "inside": lambda fmt=fmt: publish_bulletin(store.public_view(), args.period, fmt, args.lang,
                                                           source=args.source),
            }, args.repeat)
            route = route_times(url, args.period, args.source, args.lang, fmt, args.repeat)
            rows.append((fmt, cold, warm, route))
            print(f"  {fmt} done (load {load()})", flush=True)
    print()
    print("| format | goal | `vnindustry bulletin` (fresh process) | fresh process, publish_bulletin | floor: start-up "
          "| beyond start-up | in-process publish_bulletin | dashboard route, in-process | floor: the month's read "
          "| goal met |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for fmt, cold, warm, route in rows:
        own = beyond(cold["cli"], cold["startup"])
        met = max(own, median(warm["inside"]), median(route)) < GOALS[fmt]
        print(f"| {fmt} | < {GOALS[fmt]:.0f} s | {cell(cold['cli'])} | {cell(cold['process'])} "
              f"| {cell(cold['startup'])} | {own:.2f} | {cell(warm['inside'])} | {cell(route)} "
              f"| {cell(warm['month'])} | {'yes' if met else 'no'} |")
    print("\nwall-clock seconds, best / median of the runs; beyond start-up: the median of (command − start-up "
          "floor), each command run paired with the floor's run just before it")
    print("\nCPU seconds (user + system, median; other work on the machine moves them too, through the cores' shared "
          "caches and the hypervisor, but less than the wall clock):\n")
    print("| format | `vnindustry bulletin` | fresh process, publish_bulletin | floor: start-up | beyond start-up "
          "| in-process publish_bulletin | dashboard route | floor: the month's read |")
    print("|---|---|---|---|---|---|---|---|")
    for fmt, cold, warm, route in rows:
        print(f"| {fmt} | {median(cold['cli'], 1):.2f} | {median(cold['process'], 1):.2f} "
              f"| {median(cold['startup'], 1):.2f} | {beyond(cold['cli'], cold['startup'], 1):.2f} "
              f"| {median(warm['inside'], 1):.2f} | {median(route, 1):.2f} | {median(warm['month'], 1):.2f} |")
    print(f"\nload average (1 min) at the end: {load()}")


if __name__ == "__main__":
    sys.exit(main())
