"""The deadline-day burst (issue 12): N enterprises submit their month at the same instant, on SQLite and PostgreSQL.

    python benchmarks/bench_burst.py [--n 40] [--backend sqlite|postgres|both] [--routes json|mixed]
                                     [--retry] [--pg postgresql+psycopg://postgres@127.0.0.1:5432]

For each backend: a fresh store (a SQLite file in a temporary folder; a fresh PostgreSQL database
``vnindustry_bench_burst``, dropped afterwards) with ``--n`` enterprises (3 products each, 2020 reported by
import) and one account per enterprise. One uvicorn worker serves ``create_app`` in a subprocess, as
``vnindustry serve`` does (rate limit off). Each enterprise logs in and (for the upload) fetches its Excel
template beforehand; then ``--n`` threads wait at a barrier and all send their January 2021 report at once:
``--routes json`` through ``POST /api/v1/enterprises/{id}/reports``; ``mixed`` round-robin through the JSON
API, the HTML form (``POST /portal/enterprises/{id}/reports/2021-01``, 303 on success) and the Excel upload
(``POST …/reports/upload``). Prints the count of answers by status, p50/p90/p99/max of the latency, the wall
time of the burst, and checks the store: exactly one new report per enterprise (none lost, none doubled).
The settings come from the environment as usual (``VNINDUSTRY_DB_POOL_SIZE``, ``VNINDUSTRY_DB_LOCK_TIMEOUT``).
With ``--retry`` a client answered 503 waits its ``Retry-After`` and sends the same request again (as a well-behaved
client does); the latency is then until its last answer, and the answers counted are the last ones.
Exit status 1 when any answer is not a success or the store does not hold exactly one report per enterprise.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import io
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

PASSWORD = "deadline-day-password"
PERIOD = "2021-01"
HISTORY = [f"2020-{m:02d}" for m in range(1, 13)]
PRODUCTS = ("P1", "P2", "P3")
OK = {"json": {201}, "form": {303}, "upload": {201}}  # what each route answers when the report is stored


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def build(url: str, folder: Path, n: int) -> list[str]:
    """The store at ``url``: ``n`` enterprises E001… of industry C with products P1–P3 reported through 2020,
    and accounts e001… (password :data:`PASSWORD`). Returns the enterprise codes."""
    from vnindustry.portal import accounts
    from vnindustry.store import open_store
    from vnindustry.store.register import import_dataset

    codes = [f"E{i:03d}" for i in range(1, n + 1)]
    folder.mkdir(parents=True, exist_ok=True)
    _csv(folder / "industries.csv", ["code", "parent", "name_vi", "name_en", "weight"],
         [["TOTAL", "", "Toàn ngành", "Total", ""], ["C", "TOTAL", "Chế biến, chế tạo", "Manufacturing", 10.0]])
    _csv(folder / "products.csv", ["code", "industry", "name_vi", "unit", "weight", "base_quantity"],
         [[p, "C", f"Sản phẩm {p}", "tấn", 1.0, 100.0] for p in PRODUCTS])
    _csv(folder / "production.csv", ["enterprise", "product", "period", "quantity"],
         [[c, p, m, 100.0 + i] for i, c in enumerate(codes) for p in PRODUCTS for m in HISTORY])
    store = open_store(url)
    import_dataset(store, folder)
    # One real argon2id hash shared by every account (logins verify it for real); hashing 40 apart is setup time.
    one_hash = accounts.hash_password(PASSWORD)
    original, accounts.hash_password = accounts.hash_password, lambda _password: one_hash
    try:
        for c in codes:
            accounts.add_user(store.engine, c.lower(), PASSWORD, "enterprise", c)
    finally:
        accounts.hash_password = original
    store.engine.dispose()
    return codes


def lines_of(i: int) -> list[dict[str, Any]]:
    """Enterprise ``i``'s January report: its 2020 level plus a little (no unit-slip confirmation needed)."""
    return [{"product": p, "quantity": 100.0 + i + 0.25 * (k + 1), "comment": "tháng đầu năm"}
            for k, p in enumerate(PRODUCTS)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVE = """import sys, uvicorn
from vnindustry.web.app import create_app
uvicorn.run(create_app(db_url=sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            timeout_keep_alive=30)
"""


class Server:
    """The app on ``url`` served by uvicorn in a subprocess (one worker, as ``vnindustry serve``)."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "VNINDUSTRY_API_RATE_LIMIT": "0"}
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-c", SERVE, url, str(self.port)], stdout=out,
                                         stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise SystemExit(f"the server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def prepare(base: str, code: str, i: int, route: str) -> tuple[httpx.Client, httpx.Request]:
    """Log ``code`` in and build its submission on ``route`` (json, form or upload)."""
    client = httpx.Client(base_url=base, timeout=120.0)
    r = client.post("/api/v1/auth/login", json={"username": code.lower(), "password": PASSWORD})
    r.raise_for_status()
    csrf = r.json()["csrf_token"]
    lines = lines_of(i)
    if route == "json":
        return client, client.build_request("POST", f"/api/v1/enterprises/{code}/reports",
                                            json={"period": PERIOD, "lines": lines}, headers={"X-CSRF-Token": csrf})
    if route == "form":
        fields = {"csrf_token": csrf, "lang": "vi"}
        for x in lines:  # the form's boxes take Vietnamese numbers (decimal comma)
            fields[f"q.{x['product']}"] = f"{x['quantity']:.2f}".replace(".", ",")
            fields[f"c.{x['product']}"] = x["comment"]
        return client, client.build_request("POST", f"/portal/enterprises/{code}/reports/{PERIOD}", data=fields,
                                            headers={"Accept": "text/html"})
    import openpyxl

    from vnindustry.portal import excel

    r = client.get(f"/api/v1/enterprises/{code}/reports/template.xlsx", params={"period": PERIOD})
    r.raise_for_status()
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb[excel.SHEET]
    col = {name: excel.LETTER[name] for name in ("product", "quantity", "comment")}
    by_product = {x["product"]: x for x in lines}
    for row in range(1, ws.max_row + 1):
        x = by_product.get(ws[f"{col['product']}{row}"].value)
        if x is not None:
            ws[f"{col['quantity']}{row}"] = x["quantity"]
            ws[f"{col['comment']}{row}"] = x["comment"]
    out = io.BytesIO()
    wb.save(out)
    return client, client.build_request("POST", f"/api/v1/enterprises/{code}/reports/upload",
                                        headers={"X-CSRF-Token": csrf},
                                        files={"file": (f"{code}.xlsx", out.getvalue(), excel.MEDIA_TYPE)})


def burst(base: str, codes: list[str], routes: list[str], *, retry: bool = False
          ) -> tuple[list[dict[str, Any]], float]:
    """Every enterprise's submission at once (threads released by a barrier): one dict per answer, and the
    wall time from the release to the last answer. ``retry``: a 503 is sent again after its Retry-After."""
    prepared = [prepare(base, c, i, routes[i % len(routes)]) for i, c in enumerate(codes)]
    results: list[dict[str, Any]] = [{} for _ in codes]
    gate = threading.Barrier(len(codes) + 1)

    def send(i: int) -> None:
        client, request = prepared[i]
        gate.wait()
        t0 = time.perf_counter()
        try:
            r = client.send(request)
            attempts = 1
            while retry and r.status_code == 503 and attempts < 20:
                time.sleep(float(r.headers.get("retry-after", "1")))
                r = client.send(request)
                attempts += 1
            results[i] = {"status": r.status_code, "seconds": time.perf_counter() - t0,
                          "route": routes[i % len(routes)], "retry_after": r.headers.get("retry-after"),
                          "body": r.text[:300], "attempts": attempts}
        except httpx.HTTPError as exc:
            results[i] = {"status": f"{type(exc).__name__}", "seconds": time.perf_counter() - t0,
                          "route": routes[i % len(routes)], "retry_after": None, "body": str(exc), "attempts": 1}

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(codes))]
    for t in threads:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    for client, _ in prepared:
        client.close()
    return results, wall


def stored(url: str) -> collections.Counter[str]:
    """Reports of :data:`PERIOD` per enterprise, read from the store."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT enterprise_code, count(*) FROM reports WHERE period = :p "
                                     "GROUP BY enterprise_code"), {"p": PERIOD}).all()
        return collections.Counter({code: n for code, n in rows})
    finally:
        engine.dispose()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(name: str, url: str, n: int, routes: list[str], tmp: Path, *, retry: bool = False) -> bool:
    """Build, serve, burst and report one backend; True when every answer was a success and every report
    was stored exactly once."""
    codes = build(url, tmp / f"data-{name}", n)
    server = Server(url, tmp / f"server-{name}.log")
    try:
        results, wall = burst(server.base, codes, routes, retry=retry)
    finally:
        server.stop()
    by_status = collections.Counter(f"{r['route']} {r['status']}" for r in results)
    seconds = [r["seconds"] for r in results]
    counts = stored(url)
    good = all(r["status"] in OK[r["route"]] for r in results)
    exact = sorted(counts) == sorted(codes) and set(counts.values()) == {1}
    print(f"\n{name}: {n} simultaneous submissions ({'/'.join(routes)})")
    print("  answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items()))
          + (f" (after {sum(r['attempts'] - 1 for r in results)} retries)" if retry else ""))
    print(f"  latency: p50 {percentile(seconds, 50) * 1000:.0f} ms, p90 {percentile(seconds, 90) * 1000:.0f} ms, "
          f"p99 {percentile(seconds, 99) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms; burst {wall:.2f} s")
    print(f"  stored: {sum(counts.values())} reports for {len(counts)} of {n} enterprises "
          f"({'exactly one each' if exact else 'NOT one each'})")
    for r in results:
        if r["status"] not in OK[r["route"]]:
            print(f"  ! {r['route']} {r['status']} in {r['seconds']:.2f} s (Retry-After {r['retry_after']}): "
                  f"{r['body'][:160]}")
    return good and exact


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="simultaneous submissions (one enterprise each)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--routes", choices=("json", "mixed"), default="json")
    parser.add_argument("--retry", action="store_true", help="send a 503 again after its Retry-After")
    parser.add_argument("--pg", default=os.environ.get("VNINDUSTRY_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    routes = ["json"] if args.routes == "json" else ["json", "form", "upload"]
    from vnindustry import settings

    print(f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · "
          f"db_pool_size {settings.get('db_pool_size')}, db_lock_timeout {settings.get('db_lock_timeout')} s")
    ok = True
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.backend in ("sqlite", "both"):
            ok &= run("SQLite", f"sqlite:///{tmp / 'burst.db'}", args.n, routes, tmp, retry=args.retry)
        if args.backend in ("postgres", "both"):
            admin = create_engine(f"{args.pg}/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS vnindustry_bench_burst WITH (FORCE)"))
                conn.execute(text("CREATE DATABASE vnindustry_bench_burst"))
            try:
                ok &= run("PostgreSQL", f"{args.pg}/vnindustry_bench_burst", args.n, routes, tmp, retry=args.retry)
            finally:
                with admin.connect() as conn:
                    conn.execute(text("DROP DATABASE IF EXISTS vnindustry_bench_burst WITH (FORCE)"))
                admin.dispose()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
