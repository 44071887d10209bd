"""Time the dashboard pages' server time: the ASGI call inside the process, with and without the response cache.

    python benchmarks/bench_pages.py [--requests 200] [--enterprises 1500] [--path / --path /products …]
                                     [--uncached-requests 200] [--db sqlite:////path/vnindustry.db]

Builds a store in a temporary SQLite file from the demo city (``vnindustry.demo.city.generate_city``, compiled
and stored with ``store_compile``), creates the app (rate limit off) and sends GETs of each ``--path`` (default
``/``, ``/industries`` and ``/products``) through ``httpx.ASGITransport``: no socket, no server, so the time is
the app's own (routing, cache lookup, data queries, rendering). With ``--db`` (a SQLite store, copied first:
the original is not touched) the pages are those of that store — ``vnindustry demo``'s, say, whose trade flows,
GSO months and releases the city's compile alone does not have (``/competitiveness``, ``/trade``,
``/releases``). Three runs per page:

- cached: the response cache on (the default ``api_cache_entries``); one warm-up request, then N requests;
- invalidated: the response cache emptied before each request (untimed), as a new release retires every
  cached answer: each request queries the store and renders the page, with nothing prepared beforehand
  (no page, no catalogue) — a page's first request after a release;
- uncached: ``api_cache_entries`` = 0 (``VNINDUSTRY_API_CACHE_ENTRIES=0``), so nothing is ever kept;
- after other (``--other-release``): before each request (untimed) a release of other figures is stored, as on a
  working day a month's figures land between two visits: the pages re-render, and what they keep under narrower
  keys (the competitiveness pages' flows, under the visible trade releases) is still there.

Prints median, p95 and max per page and run. The goal: < 100 ms server time in every run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx


def build_store(url: str, folder: Path, enterprises: int) -> float:
    import vnindustry
    from vnindustry.demo.city import generate_city
    from vnindustry.store import open_store
    from vnindustry.store.compiled import store_compile

    t0 = time.perf_counter()
    store = open_store(url)
    store_compile(store, vnindustry.compile_dataset(generate_city(folder / "city", n_enterprises=enterprises)))
    store.engine.dispose()
    return time.perf_counter() - t0


def other_release(url: str, k: int) -> None:
    """A release of other figures than the page's (one GSO month's figure), dated today: what lands in the store
    between two visits to a page on a working day."""
    import datetime as dt
    import uuid

    import pandas as pd

    from vnindustry.store import open_store

    store = open_store(url)
    records = pd.DataFrame([{"table": "bench", "series": "Chỉ số thử", "code": "TOTAL", "unit": "%",
                             "period": "2025-12", "measure": "level", "value": 100.0 + k, "status": "actual",
                             "sheet": "bench", "cell": ""}])
    store.import_records(records, source="bench-other", file=f"other-{k}", checksum=uuid.uuid4().hex,
                         released_on=dt.date(2000, 1, 1))
    store.engine.dispose()


async def timed(url: str, path: str, n: int, cache_entries: int | None, *, invalidate: bool = False,
                other: bool = False) -> list[float]:
    from vnindustry.store import open_store
    from vnindustry.web import create_app

    if cache_entries is None:
        os.environ.pop("VNINDUSTRY_API_CACHE_ENTRIES", None)
    else:
        os.environ["VNINDUSTRY_API_CACHE_ENTRIES"] = str(cache_entries)
    if other:
        os.environ["VNINDUSTRY_API_RELEASE_POLL"] = "0"  # each request sees the release stored before it
    else:
        os.environ.pop("VNINDUSTRY_API_RELEASE_POLL", None)
    app = create_app(open_store(url))
    times: list[float] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        r = await client.get(path)  # warm-up: imports, templates, first render (and the cache when on)
        if r.status_code != 200:
            raise SystemExit(f"GET {path} answered {r.status_code}: {r.text[:300]}")
        for _ in range(n):
            if invalidate:
                app.state.api.cache.clear()
            if other:
                other_release(url, len(times))
            t0 = time.perf_counter()
            r = await client.get(path)
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200
    app.state.api.store.engine.dispose()
    return times


def report(name: str, times: list[float]) -> None:
    ms = sorted(1000 * t for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"{name:<24} n={len(ms):<4} median {statistics.median(ms):8.2f} ms   p95 {p95:8.2f} ms   "
          f"max {ms[-1]:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests with the cache on")
    parser.add_argument("--uncached-requests", type=int, default=200,
                        help="timed requests with the cache invalidated, and with it off")
    parser.add_argument("--enterprises", type=int, default=1500, help="enterprises in the demo city (its default)")
    parser.add_argument("--path", action="append", help="page to request (repeatable; default /, /industries, "
                        "/products)")
    parser.add_argument("--db", help="an existing SQLite store, sqlite:////path.db (copied), instead of the city")
    parser.add_argument("--other-release", action="store_true",
                        help="also time each page after a release of other figures (stored before each request, "
                             "untimed; the response cache on, the release poll at 0 s)")
    args = parser.parse_args()
    os.environ["VNINDUSTRY_API_RATE_LIMIT"] = "0"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.db'}"
        machine = f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores"
        if args.db:
            if not args.db.startswith("sqlite:///"):
                raise SystemExit(f"--db {args.db}: give a SQLite store, sqlite:////path/to/vnindustry.db")
            shutil.copyfile(args.db.removeprefix("sqlite:///"), Path(tmp) / "store.db")
            print(f"store: a copy of {args.db}; {machine}")
        else:
            built = build_store(url, Path(tmp), args.enterprises)
            print(f"store: demo city, {args.enterprises} enterprises, built in {built:.1f} s; {machine}")
        print("GET through httpx.ASGITransport (server time inside the process)")
        for path in args.path or ["/", "/industries", "/products"]:
            report(f"{path} cached", asyncio.run(timed(url, path, args.requests, None)))
            report(f"{path} invalidated", asyncio.run(timed(url, path, args.uncached_requests, None,
                                                            invalidate=True)))
            report(f"{path} uncached", asyncio.run(timed(url, path, args.uncached_requests, 0)))
            if args.other_release:
                report(f"{path} after other", asyncio.run(timed(url, path, args.uncached_requests, None, other=True)))


if __name__ == "__main__":
    sys.exit(main())
