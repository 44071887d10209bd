"""Time the data API on one cached series: requests per second and latency percentiles, on loopback.

    python benchmarks/bench_api.py [--requests 5000] [--clients 8] [--timeout 60] [--format json]

Builds a store in a temporary SQLite file from the test data (GSO's February 2025 workbook and the PPI
manual's compiled IIP), starts ``uvicorn --factory vnindustry.web.app:create_app`` on 127.0.0.1 at a free
port (rate limit off, access log off, one worker), warms the cache with one request, then sends
``--requests`` GETs of ``/api/v1/series/gso/exports/TOTAL/observations`` from ``--clients`` concurrent
httpx clients (keep-alive), stopping at ``--timeout`` seconds whatever the count. Prints req/s, p50, p90,
p99 and max latency. The client runs on the same machine and takes CPU from the server, so figures are a
lower bound. The goal: ≥ 500 req/s with p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def build_store(url: str) -> None:
    import vnindustry
    from vnindustry.sources.gso import read_workbook
    from vnindustry.store import open_store
    from vnindustry.store.compiled import store_compile
    from vnindustry.store.gso import store_workbook

    store = open_store(url)
    store_workbook(store, read_workbook(DATA / "gso" / "xlsx" / "2025-02.xlsx"))
    store_compile(store, vnindustry.compile_dataset(DATA / "ppi_manual"))
    store.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base: str, server: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited with code {server.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("uvicorn did not start in time")


async def hammer(url: str, total: int, clients: int, timeout: float) -> tuple[list[float], int, float]:
    """``total`` requests shared by ``clients`` workers; latencies (s), failures, wall time."""
    latencies: list[float] = []
    failures = 0
    remaining = total
    stop_at = time.monotonic() + timeout

    async def worker() -> None:
        nonlocal remaining, failures
        async with httpx.AsyncClient(timeout=10.0) as client:
            while remaining > 0 and time.monotonic() < stop_at:
                remaining -= 1
                t0 = time.perf_counter()
                r = await client.get(url)
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    failures += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, failures, time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=60.0, help="stop after this many seconds")
    parser.add_argument("--format", default="json", choices=["json", "csv", "xlsx", "sdmx-csv", "json-stat"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build_store(url)
        port = free_port()
        env = {**os.environ, "VNINDUSTRY_DB": url, "VNINDUSTRY_API_RATE_LIMIT": "0"}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "vnindustry.web.app:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log", "--log-level", "warning"], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base, server, time.monotonic() + 30)
            target = f"{base}/api/v1/series/gso/exports/TOTAL/observations?format={args.format}"
            warm = httpx.get(target)
            warm.raise_for_status()
            latencies, failures, wall = asyncio.run(hammer(target, args.requests, args.clients, args.timeout))
        finally:
            server.terminate()
            server.wait(timeout=10)
    ms = [x * 1000 for x in latencies]
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {args.clients} clients, "
          f"format {args.format}, {len(warm.content)} bytes a response")
    print(f"{len(ms)} requests in {wall:.2f} s: {len(ms) / wall:.0f} req/s, failures {failures}")
    print(f"latency ms: p50 {percentile(ms, 50):.1f}, p90 {percentile(ms, 90):.1f}, "
          f"p99 {percentile(ms, 99):.1f}, max {max(ms):.1f}")


if __name__ == "__main__":
    main()
