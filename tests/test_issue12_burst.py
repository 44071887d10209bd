"""The portal under a deadline-day burst (issue 12, item 4), on SQLite and PostgreSQL.

The failure: 40 simultaneous submissions deadlocked the connection pool — the closed-month check opened a
second pooled connection inside the submission's open transaction, so with every connection held by a
transaction waiting for a second one, requests stalled for the pool's 30 s and answered 500.

- Every submission route (JSON, HTML form, Excel upload) uses one pooled connection at a time (counted with the
  pool's checkout/checkin events).
- A request that cannot get its lock (another writer holds it) or a pooled connection within
  ``db_lock_timeout`` answers 503 with ``Retry-After`` — problem+json for the API, an HTML page for a browser —
  promptly, and nothing is stored; the same request once the lock is free is stored. Any other database error
  stays a 500.
- (slow) 40 enterprises submit at the same instant to a real uvicorn server: every one is answered 2xx (303 for
  the form), each report is stored exactly once, within a bounded time — JSON only, and JSON/form/upload mixed.
"""

from __future__ import annotations

import io
import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from builders import PORTAL_PASSWORD, login, months, portal_store, problem, write_dataset
from test_pages import serve_in_thread
from vnindustry.portal import accounts, excel
from vnindustry.store import open_store
from vnindustry.store.locks import MONTH_LOCK_NAMESPACE
from vnindustry.store.models import Report
from vnindustry.store.register import import_dataset
from vnindustry.web import create_app
from vnindustry.web.problems import busy_reason

API = "/api/v1/enterprises/{}/reports"
FORM = "/portal/enterprises/{}/reports/{}"
HTML = {"accept": "text/html"}


def _versions(store, enterprise: str, period: str) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Report).where(
            Report.enterprise_code == enterprise, Report.period == period)).scalar_one()


def _filled(template: bytes, lines: list[dict[str, Any]]) -> bytes:
    """The Excel template with ``lines``' quantities and comments typed in."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[excel.SHEET]
    by_product = {x["product"]: x for x in lines}
    for row in range(1, ws.max_row + 1):
        x = by_product.get(ws[f"{excel.LETTER['product']}{row}"].value)
        if x is not None:
            ws[f"{excel.LETTER['quantity']}{row}"] = x["quantity"]
            ws[f"{excel.LETTER['comment']}{row}"] = x.get("comment", "")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, enterprise: str, period: str, lines: list[dict[str, Any]], csrf: dict[str, str]):  # type: ignore[no-untyped-def]
    template = client.get(f"{API.format(enterprise)}/template.xlsx", params={"period": period})
    assert template.status_code == 200, template.text
    return client.post(f"{API.format(enterprise)}/upload", headers=csrf,
                       files={"file": ("bao-cao.xlsx", _filled(template.content, lines), excel.MEDIA_TYPE)})


class CheckoutCounter:
    """The most connections of ``engine``'s pool ever checked out at once (pool events)."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.engine, self.now, self.most = engine, 0, 0
        self._lock = threading.Lock()
        event.listen(engine, "checkout", self._out)
        event.listen(engine, "checkin", self._in)

    def _out(self, *_: object) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def _in(self, *_: object) -> None:
        with self._lock:
            self.now -= 1

    def reset(self) -> None:
        with self._lock:
            self.most = self.now

    def close(self) -> None:
        event.remove(self.engine, "checkout", self._out)
        event.remove(self.engine, "checkin", self._in)


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return portal_store(db_url)


def test_regression_issue12_a_submission_uses_one_connection_at_a_time(store) -> None:  # type: ignore[no-untyped-def]
    """JSON, form and upload: never a second pooled connection while one is held (the burst's deadlock)."""
    app = create_app(store)
    client, csrf = login(app, "e1")
    counter = CheckoutCounter(store.engine)
    try:
        counter.reset()
        r = client.post(API.format("E1"), json={"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.1}]},
                        headers=csrf)
        assert r.status_code == 201, r.text
        assert counter.most == 1, f"the JSON route held {counter.most} connections at once"

        counter.reset()
        r = client.post(FORM.format("E1", "2020-07"), data={"csrf_token": csrf["X-CSRF-Token"], "q.P1": "1,2"},
                        headers=HTML, follow_redirects=False)
        assert r.status_code == 303, r.text
        assert counter.most == 1, f"the form route held {counter.most} connections at once"

        template = client.get(f"{API.format('E1')}/template.xlsx", params={"period": "2020-08"}).content
        counter.reset()
        r = client.post(f"{API.format('E1')}/upload", headers=csrf, files={
            "file": ("bao-cao.xlsx", _filled(template, [{"product": "P1", "quantity": 1.3}]), excel.MEDIA_TYPE)})
        assert r.status_code == 201, r.text
        assert counter.most == 1, f"the upload route held {counter.most} connections at once"
    finally:
        counter.close()
    assert [_versions(store, "E1", m) for m in ("2020-06", "2020-07", "2020-08")] == [1, 1, 1]


class HeldLock:
    """Another writer holding what E1's submission needs: SQLite's write lock (BEGIN IMMEDIATE), or on
    PostgreSQL E1's register row (``FOR UPDATE``) or, with ``month``, the month's lock exclusive (as a close)."""

    def __init__(self, url: str, *, month: int | None = None) -> None:
        self.url, self.month = url, month

    def __enter__(self) -> HeldLock:
        if self.url.startswith("sqlite"):
            self.raw = sqlite3.connect(self.url.split(":///", 1)[1], isolation_level=None)
            self.raw.execute("BEGIN IMMEDIATE")
            return self
        self.engine = create_engine(self.url)
        self.conn = self.engine.connect()
        self.conn.begin()
        if self.month is None:
            self.conn.execute(text("SELECT code FROM enterprises WHERE code = 'E1' FOR UPDATE"))
        else:
            self.conn.execute(text("SELECT pg_advisory_xact_lock(CAST(:ns AS integer), CAST(:key AS integer))"),
                              {"ns": MONTH_LOCK_NAMESPACE, "key": self.month})
        return self

    def __exit__(self, *_: object) -> None:
        if self.url.startswith("sqlite"):
            self.raw.execute("ROLLBACK")
            self.raw.close()
        else:
            self.conn.rollback()
            self.conn.close()
            self.engine.dispose()


def _assert_busy(r, started: float) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "1"  # ceil(db_lock_timeout = 0.3 s)
    assert time.monotonic() - started < 8, "a busy answer must come after about db_lock_timeout, not a stall"


def test_regression_issue12_a_held_lock_answers_503_with_retry_after(db_url: str, store,  # type: ignore[no-untyped-def]
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_DB_LOCK_TIMEOUT", "0.3")
    store = open_store(db_url)  # an engine made with the short timeout
    app = create_app(store)
    client, csrf = login(app, "e1")
    report = {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.1}]}
    holds = [HeldLock(db_url)]
    if not db_url.startswith("sqlite"):
        holds.append(HeldLock(db_url, month=2020 * 12 + 5))  # 2020-06's lock, taken exclusive as a close does
    for hold in holds:
        with hold:
            t0 = time.monotonic()
            r = client.post(API.format("E1"), json=report, headers=csrf)
            _assert_busy(r, t0)
            doc = problem(r)
            assert doc["status"] == 503 and doc["title"] == "Service busy" and doc["retry_after"] == 1
            assert "nothing was saved" in doc["detail"] and "again in 1 seconds" in doc["detail"]

            t0 = time.monotonic()
            r = client.post(FORM.format("E1", "2020-06"), data={"csrf_token": csrf["X-CSRF-Token"], "q.P1": "1,1"},
                            headers=HTML, follow_redirects=False)
            _assert_busy(r, t0)
            assert r.headers["content-type"].startswith("text/html")
            assert "503" in r.text and "Vui lòng gửi lại sau 1 giây" in r.text

            t0 = time.monotonic()
            r = _upload(client, "E1", "2020-06", report["lines"], csrf)
            _assert_busy(r, t0)
            assert problem(r)["status"] == 503
        assert _versions(store, "E1", "2020-06") == 0  # nothing half-stored
    # The lock free again: the same request is stored.
    r = client.post(API.format("E1"), json=report, headers=csrf)
    assert r.status_code == 201 and r.json()["version"] == 1


def test_regression_issue12_no_free_connection_answers_503(db_url: str, store,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_DB_LOCK_TIMEOUT", "0.3")
    monkeypatch.setenv("VNINDUSTRY_DB_POOL_SIZE", "1")  # one connection, one more under a burst
    store = open_store(db_url)
    app = create_app(store)
    client, csrf = login(app, "e1")
    report = {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.1}]}
    held = [store.engine.connect(), store.engine.connect()]  # the whole pool
    try:
        t0 = time.monotonic()
        r = client.post(API.format("E1"), json=report, headers=csrf)
        _assert_busy(r, t0)
        assert "no database connection became free in time" in problem(r)["detail"]
    finally:
        for conn in held:
            conn.close()
    assert client.post(API.format("E1"), json=report, headers=csrf).status_code == 201


def test_only_busy_database_errors_are_503(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """What busy_reason recognises; any other OperationalError on a route is still the generic 500."""

    class PgError(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__("canceling statement")
            self.sqlstate = sqlstate

    assert busy_reason(OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")))
    assert busy_reason(OperationalError("SELECT", {}, PgError("55P03")))
    assert busy_reason(OperationalError("SELECT", {}, PgError("40P01")))
    assert busy_reason(OperationalError("SELECT", {}, PgError("08006"))) is None  # connection failure
    assert busy_reason(OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error"))) is None
    assert busy_reason(ValueError("database is locked")) is None

    from vnindustry.web import reports as web_reports

    def broken(*_: object, **__: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("no such table: reports"))

    monkeypatch.setattr(web_reports, "submit_report", broken)
    app = create_app(store)
    client = TestClient(app, raise_server_exceptions=False)
    r = client.post("/api/v1/auth/login", json={"username": "e1", "password": PORTAL_PASSWORD})
    csrf = {"X-CSRF-Token": r.json()["csrf_token"]}
    r = client.post(API.format("E1"), json={"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.1}]},
                    headers=csrf)
    assert r.status_code == 500 and "retry-after" not in r.headers
    assert "no such table" not in r.text  # database messages stay in the log


# -- the burst: a real server, N enterprises at the same instant ------------------------------------------
N = 40
BURST_PERIOD = "2021-01"
PRODUCTS = ("P1", "P2", "P3")
OK = {"json": 201, "form": 303, "upload": 201}
BOUND = 25.0  # s for the whole burst: ~1 s measured; the deadlock took 30 s (the pool's timeout) and more


def _burst_store(url: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """N enterprises E001… (products P1–P3 reported through 2020) with accounts e001…; their codes."""
    codes = [f"E{i:03d}" for i in range(1, N + 1)]
    write_dataset(folder, industries=[("TOTAL", "", None), ("C", "TOTAL", 10.0)],
                  products=[(p, "C", 1.0, 100.0) for p in PRODUCTS],
                  production=[(c, p, m, 100.0 + i) for i, c in enumerate(codes) for p in PRODUCTS
                              for m in months(2020, 1, 12)])
    store = open_store(url)
    import_dataset(store, folder)
    one_hash = accounts.hash_password(PORTAL_PASSWORD)  # one real hash for all: logins still verify it
    with monkeypatch.context() as m:
        m.setattr(accounts, "hash_password", lambda _password: one_hash)
        for c in codes:
            accounts.add_user(store.engine, c.lower(), PORTAL_PASSWORD, "enterprise", c)
    store.engine.dispose()
    return codes


def _lines(i: int) -> list[dict[str, Any]]:
    return [{"product": p, "quantity": 100.0 + i + 0.25 * (k + 1), "comment": "tháng đầu năm"}
            for k, p in enumerate(PRODUCTS)]


def _prepare(base: str, code: str, i: int, route: str) -> tuple[httpx.Client, httpx.Request]:
    client = httpx.Client(base_url=base, timeout=120.0)
    r = client.post("/api/v1/auth/login", json={"username": code.lower(), "password": PORTAL_PASSWORD})
    assert r.status_code == 200, r.text
    csrf = r.json()["csrf_token"]
    lines = _lines(i)
    if route == "json":
        return client, client.build_request("POST", API.format(code), json={"period": BURST_PERIOD, "lines": lines},
                                            headers={"X-CSRF-Token": csrf})
    if route == "form":
        fields = {"csrf_token": csrf}
        for x in lines:
            fields[f"q.{x['product']}"] = f"{x['quantity']:.2f}".replace(".", ",")  # the decimal comma
            fields[f"c.{x['product']}"] = x["comment"]
        return client, client.build_request("POST", FORM.format(code, BURST_PERIOD), data=fields, headers=HTML)
    template = client.get(f"{API.format(code)}/template.xlsx", params={"period": BURST_PERIOD})
    assert template.status_code == 200, template.text
    return client, client.build_request("POST", f"{API.format(code)}/upload", headers={"X-CSRF-Token": csrf},
                                        files={"file": (f"{code}.xlsx", _filled(template.content, lines),
                                                        excel.MEDIA_TYPE)})


def _burst(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: tuple[str, ...]) -> None:
    codes = _burst_store(db_url, tmp_path / "data", monkeypatch)
    store = open_store(db_url)
    with serve_in_thread(create_app(store)) as base:
        with ThreadPoolExecutor(max_workers=8) as pool:  # logins (argon2) before the burst, not in it
            prepared = list(pool.map(lambda a: _prepare(base, a[1], a[0], routes[a[0] % len(routes)]),
                                     enumerate(codes)))
        answers: list[tuple[str, int | str, float]] = [("", 0, 0.0)] * N
        gate = threading.Barrier(N + 1)

        def send(i: int) -> None:
            client, request = prepared[i]
            route = routes[i % len(routes)]
            gate.wait()
            t0 = time.monotonic()
            try:
                answers[i] = (route, client.send(request).status_code, time.monotonic() - t0)
            except httpx.HTTPError as exc:
                answers[i] = (route, type(exc).__name__, time.monotonic() - t0)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        gate.wait()
        t0 = time.monotonic()
        for t in threads:
            t.join(120)
        wall = time.monotonic() - t0
        for client, _ in prepared:
            client.close()
    statuses = Counter(f"{route} {status}" for route, status, _ in answers)
    assert all(status == OK[route] for route, status, _ in answers), statuses
    assert wall < BOUND, f"the burst took {wall:.1f} s ({statuses})"
    with store.engine.connect() as conn:
        stored = dict(conn.execute(select(Report.enterprise_code, func.count()).where(Report.period == BURST_PERIOD)
                                   .group_by(Report.enterprise_code)).all())
        sources = Counter(conn.execute(select(Report.source).where(Report.period == BURST_PERIOD)).scalars())
    assert stored == {c: 1 for c in codes}  # every report, exactly once
    expected_sources = Counter("excel" if routes[i % len(routes)] == "upload" else "portal" for i in range(N))
    assert sources == expected_sources
    store.engine.dispose()


@pytest.mark.slow
def test_regression_issue12_burst_of_40_json_submissions(db_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    _burst(db_url, tmp_path, monkeypatch, ("json",))


@pytest.mark.slow
def test_regression_issue12_burst_mixing_json_form_and_upload(db_url: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    _burst(db_url, tmp_path, monkeypatch, ("json", "form", "upload"))
