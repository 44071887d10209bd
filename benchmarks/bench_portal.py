"""The deadline-day peak: every enterprise of the demo city logs in and submits its month, on PostgreSQL.

    python benchmarks/bench_portal.py [--enterprises 1500] [--window 600] [--pg postgresql+psycopg://postgres@127.0.0.1:5432]

Creates a fresh PostgreSQL database ``vnindustry_bench_portal``, generates the demo city (``generate_city``,
2018-01…2025-11, so December 2025 is the month to report; a few more enterprises than ``--enterprises``, as
some stop reporting), imports it (``import_dataset``) and adds an account for each of ``--enterprises``
enterprises still reporting (argon2id; one hash shared, as every bench account has the same password).
Starts one uvicorn worker as ``vnindustry serve`` does (``create_app``, rate limit off,
keep-alive 30 s) and sends, for each enterprise, at a random moment within ``--window``
seconds (uniform arrivals, the same seed every run): ``POST /auth/login``, ``GET …/reports?period=2025-12``
(the form) and ``POST …/reports`` with the month's quantities (last month's × a small random factor, so no
unit-slip confirmation is needed), then a second, identical POST — a client retrying after a timeout — which
must answer "unchanged". Afterwards it counts the stored reports: exactly one new version per enterprise,
none lost, none duplicated. Prints p50/p90/p99/max per step. Goal (issue 6): zero lost or duplicated reports
and p99 < 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

PASSWORD = "deadline-day-password"
PERIOD = "2025-12"


def build(url: str, folder: Path, n: int) -> list[str]:
    """The store: the demo city's register and history, one account per enterprise; returns their codes."""
    from vnindustry.demo.city import generate_city
    from vnindustry.portal import accounts
    from vnindustry.portal.accounts import add_user
    from vnindustry.store import open_store
    from vnindustry.store.register import import_dataset

    t0 = time.perf_counter()
    # About a tenth of a city's enterprises have stopped reporting by its last month: generate enough that
    # ``n`` of them are still reporting, and all ``n`` take part on deadline day.
    generate_city(folder, n_enterprises=int(n * 1.15) + 10, end="2025-11")
    store = open_store(url)
    summary = import_dataset(store, folder)
    print(f"imported {summary} in {time.perf_counter() - t0:.1f} s", flush=True)
    with store.engine.connect() as conn:
        # Enterprises still reporting in the last month: the ones expected on deadline day.
        codes = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT enterprise_code FROM reports WHERE period = '2025-11' ORDER BY 1"))][:n]
    if len(codes) < n:
        raise SystemExit(f"only {len(codes)} enterprises still report in 2025-11; generate a larger city")
    t1 = time.perf_counter()
    # Every account has the same password: hash it once (the real argon2id hash, a fresh salt) and let
    # add_user store that, instead of spending ~0.2 s of setup per account. Logins verify it for real.
    one_hash = accounts.hash_password(PASSWORD)
    original, accounts.hash_password = accounts.hash_password, lambda _password: one_hash
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(lambda c: add_user(store.engine, c.lower(), PASSWORD, "enterprise", c), codes))
    finally:
        accounts.hash_password = original
    print(f"{len(codes)} accounts in {time.perf_counter() - t1:.1f} s", flush=True)
    store.engine.dispose()
    return codes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Abandon(Exception):
    """This enterprise's session failed (already recorded)."""


async def enterprise(base: str, code: str, delay: float, rng: random.Random, timings: dict[str, list[float]],
                     errors: list[str]) -> None:
    await asyncio.sleep(delay)
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        async def step(name: str, method: str, url: str, **kw: object) -> httpx.Response:
            t0 = time.perf_counter()
            try:
                r = await client.request(method, url, **kw)  # type: ignore[arg-type]
            except httpx.HTTPError as exc:  # counted, not fatal: the run must show every failure
                errors.append(f"{code} {name} {type(exc).__name__}: {exc}")
                raise _Abandon from None
            timings[name].append(time.perf_counter() - t0)
            return r

        r = await step("login", "POST", "/api/v1/auth/login", json={"username": code.lower(), "password": PASSWORD})
        if r.status_code != 200:
            errors.append(f"{code} login {r.status_code}")
            return
        csrf = {"X-CSRF-Token": r.json()["csrf_token"]}
        r = await step("form", "GET", f"/api/v1/enterprises/{code}/reports", params={"period": PERIOD})
        if r.status_code != 200:
            errors.append(f"{code} form {r.status_code}")
            return
        lines = [{"product": line["product"],
                  "quantity": round(line["last_month"]["quantity"] * rng.uniform(0.9, 1.1), 3)}
                 for line in r.json()["lines"] if line["last_month"]["quantity"] is not None]
        body = {"period": PERIOD, "lines": lines}
        r = await step("submit", "POST", f"/api/v1/enterprises/{code}/reports", json=body, headers=csrf)
        if r.status_code != 201:
            errors.append(f"{code} submit {r.status_code} {r.text[:200]}")
            return
        r = await step("resubmit", "POST", f"/api/v1/enterprises/{code}/reports", json=body, headers=csrf)
        if r.status_code != 200 or r.json()["status"] != "unchanged":
            errors.append(f"{code} resubmit {r.status_code}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1500)
    parser.add_argument("--window", type=float, default=600.0, help="seconds over which the enterprises arrive")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    admin = create_engine(f"{args.pg}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS vnindustry_bench_portal"))
        conn.execute(text("CREATE DATABASE vnindustry_bench_portal"))
    url = f"{args.pg}/vnindustry_bench_portal"
    with tempfile.TemporaryDirectory() as tmp:
        codes = build(url, Path(tmp) / "city", args.enterprises)
    port = free_port()
    env = {**os.environ, "VNINDUSTRY_DB": url, "VNINDUSTRY_API_RATE_LIMIT": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "vnindustry.web.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning", "--timeout-keep-alive", "30"],
        env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        rng = random.Random(2025)
        timings: dict[str, list[float]] = {k: [] for k in ("login", "form", "submit", "resubmit")}
        errors: list[str] = []

        async def run() -> float:
            t0 = time.perf_counter()
            await asyncio.gather(*(enterprise(base, c, rng.uniform(0, args.window), random.Random(c), timings,
                                              errors) for c in codes), return_exceptions=True)
            return time.perf_counter() - t0

        wall = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=10)
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text(
            "SELECT count(*), count(DISTINCT enterprise_code) FROM reports WHERE period = :p"), {"p": PERIOD}).one()
        dup = conn.execute(text(
            "SELECT count(*) FROM (SELECT enterprise_code, period, version FROM reports GROUP BY 1, 2, 3 "
            "HAVING count(*) > 1) d")).scalar_one()
    engine.dispose()
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, PostgreSQL, one uvicorn worker; "
          f"{len(codes)} enterprises over {args.window:.0f} s (wall {wall:.0f} s)")
    for name, values in timings.items():
        ms = [v * 1000 for v in values]
        if ms:
            print(f"{name:9s} n={len(ms):5d}  p50 {percentile(ms, 50):7.1f} ms  p90 {percentile(ms, 90):7.1f} ms  "
                  f"p99 {percentile(ms, 99):7.1f} ms  max {max(ms):7.1f} ms")
    print(f"reports for {PERIOD}: {stored[0]} stored for {stored[1]} enterprises (expected {len(codes)} each); "
          f"duplicate versions: {dup}; errors: {len(errors)}")
    for e in errors[:10]:
        print("  ", e)
    if errors or stored[0] != len(codes) or stored[1] != len(codes) or dup:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
