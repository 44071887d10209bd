"""Issue 12, item 5 — accounts: the login throttle is atomic, per user and per (user, address), with back-off
instead of a lock-out of every user from an address; X-Forwarded-For only from ``forwarded_allow_ips``;
logins, failed logins, logouts and every admin action in the audit log; ``vnindustry serve`` writes an access
log. On SQLite and PostgreSQL where a database is involved."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from builders import PORTAL_PASSWORD, portal_store
from vnindustry.cli import app as cli_app
from vnindustry.errors import InputError
from vnindustry.portal import accounts
from vnindustry.store.models import AuditEntry
from vnindustry.web import access_log, create_app
from vnindustry.web.ratelimit import client_address, trusted_proxies

LOGIN = "/api/v1/auth/login"
ADMIN = "/api/v1/admin/users"
WRONG = "not the password at all"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    store = portal_store(db_url)
    accounts.add_user(store.engine, "root", PORTAL_PASSWORD, "admin")
    return store


def _env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    for name, value in values.items():
        monkeypatch.setenv(f"VNINDUSTRY_{name.upper()}", value)


def _audit(store, action: str | None = None) -> list[Any]:  # type: ignore[no-untyped-def]
    a = AuditEntry.__table__
    query = select(a).order_by(a.c.id)
    if action is not None:
        query = query.where(a.c.action == action)
    with store.engine.connect() as conn:
        return list(conn.execute(query).mappings())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _uvicorn(app: Any) -> Iterator[str]:
    """A real uvicorn on 127.0.0.1 in a thread (so requests are truly concurrent); the base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           proxy_headers=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# -- 1. the throttle is atomic ---------------------------------------------------------------------------
def test_regression_issue12_concurrent_wrong_logins_verify_at_most_the_limit(
        store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """33 simultaneous wrong passwords for one user (a real server, 33 threads): before, all 33 were verified
    against a limit of 5; now at most 5 argon2 verifications, every other answer 429 with Retry-After, and
    another user logs in from the same address at once."""
    _env(monkeypatch, login_max_failures="5", login_backoff_seconds="300")
    verified: list[str] = []
    lock = threading.Lock()
    real_verify = accounts.verify_password

    def counting(password_hash: str, password: str) -> bool:
        with lock:
            verified.append(password)
        time.sleep(0.05)  # a slower verifier widens the race window the old check-then-record code had
        return real_verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counting)
    n = 33
    start = threading.Barrier(n)
    with _uvicorn(create_app(store)) as base, ThreadPoolExecutor(n) as pool:
        def attempt(_: int) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=60) as client:
                start.wait()
                return client.post(LOGIN, json={"username": "e1", "password": WRONG})

        answers = list(pool.map(attempt, range(n)))
        statuses = sorted(r.status_code for r in answers)
        wrong = statuses.count(401)
        assert set(statuses) <= {401, 429}, statuses
        assert 1 <= len(verified) <= 5 and wrong == len(verified), (len(verified), statuses)
        assert statuses.count(429) == n - wrong
        assert all(int(r.headers["retry-after"]) > 0 for r in answers if r.status_code == 429)

        # Not a lock-out of the address: another user logs in from it now (127.0.0.1, as every attempt above).
        verified.clear()
        other = httpx.post(f"{base}{LOGIN}", json={"username": "e2", "password": PORTAL_PASSWORD}, timeout=30)
        assert other.status_code == 200 and verified == [PORTAL_PASSWORD]
        # The attacked user is backing off, even with the right password (and nothing is verified for it).
        verified.clear()
        held = httpx.post(f"{base}{LOGIN}", json={"username": "e1", "password": PORTAL_PASSWORD}, timeout=30)
        assert held.status_code == 429 and verified == []

    failed = _audit(store, "login_failed")  # every attempt is in the audit log, with why it failed
    assert len(failed) == n + 1 and {r["username"] for r in failed} == {"e1"}
    assert sum(r["reason"].startswith("wrong password") for r in failed) == wrong
    assert sum(r["reason"].startswith("throttled") for r in failed) == n + 1 - wrong


def test_backoff_doubles_is_capped_and_a_success_resets_it(store) -> None:  # type: ignore[no-untyped-def]
    engine = store.engine
    throttle = accounts.Throttle(max_failures=3, window_minutes=1.0, backoff_seconds=2.0)
    t0 = dt.datetime.now(dt.UTC)  # (not a fixed date: the login path's hourly purge uses the real clock)

    def at(seconds: float, password: str = WRONG, client: str = "198.51.100.1") -> accounts.LoginOutcome:
        return accounts.login(engine, "e1", password, client, throttle=throttle, now=t0 + dt.timedelta(seconds=seconds))

    assert [at(0).reason, at(0).reason, at(0).reason] == ["wrong password"] * 3  # the first three are verified
    assert at(1).wait == 1  # back-off of 2 s from the third failure
    assert at(2).reason == "wrong password"  # let through when it has passed: the 4th failure, next wait 4 s
    assert at(5).wait == 1 and at(6).reason == "wrong password"  # 5th failure: next wait 8 s
    assert at(13).wait == 1 and at(14).reason == "wrong password"  # 6th: 16 s
    assert at(29).wait == 1
    # Capped at the window (60 s) however many failures there were.
    assert throttle.delay(50) == 60.0 and throttle.delay(2) == 0.0 and throttle.delay(3) == 2.0
    assert accounts.failure_count(engine, "e1") == 6

    # A correct password after the back-off: logged in, the user's counters reset.
    ok = at(30, PORTAL_PASSWORD)
    assert ok.account is not None and ok.account.username == "e1"
    assert accounts.failure_count(engine, "e1") == 0
    assert accounts.failure_count(engine, "e1", "198.51.100.1") == 0
    assert at(31).reason == "wrong password"  # a fresh allowance


def test_success_elsewhere_leaves_a_guessers_back_off_in_place(store) -> None:  # type: ignore[no-untyped-def]
    """Per (user, address): the real user logging in from the office does not hand the guesser at another
    address a fresh allowance of login_max_failures tries."""
    engine = store.engine
    throttle = accounts.Throttle(max_failures=3, window_minutes=15.0, backoff_seconds=10.0)
    t0 = dt.datetime.now(dt.UTC)  # (not a fixed date: the login path's hourly purge uses the real clock)
    guesser, office = "203.0.113.66", "192.0.2.10"

    def at(seconds: float, client: str, password: str = WRONG) -> accounts.LoginOutcome:
        return accounts.login(engine, "e1", password, client, throttle=throttle, now=t0 + dt.timedelta(seconds=seconds))

    for _ in range(3):
        assert at(0, guesser).reason == "wrong password"
    assert at(1, office, PORTAL_PASSWORD).wait == 9  # the user name backs off everywhere…
    assert at(10, office, PORTAL_PASSWORD).account is not None  # …until the back-off has passed
    assert accounts.failure_count(engine, "e1") == 0
    assert accounts.failure_count(engine, "e1", guesser) == 3
    assert at(11, guesser).reason == "wrong password"  # one try, not three
    assert at(12, guesser).wait == 19  # and the back-off doubled (20 s), not started over
    assert at(12, office, PORTAL_PASSWORD).account is not None  # the office is not held by the guesser's pair


# -- 2. X-Forwarded-For ----------------------------------------------------------------------------------
def _scope(peer: str, forwarded: str | None = None) -> dict[str, Any]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"type": "http", "client": (peer, 5000), "headers": headers}


def test_client_address_trusts_forwarded_for_only_from_named_proxies() -> None:
    none, loopback = trusted_proxies(""), trusted_proxies("127.0.0.1")
    assert client_address(_scope("127.0.0.1", "203.0.113.9"), none) == "127.0.0.1"  # the default: no proxy
    assert client_address(_scope("127.0.0.1", "203.0.113.9"), loopback) == "203.0.113.9"
    assert client_address(_scope("198.51.100.4", "203.0.113.9"), loopback) == "198.51.100.4"  # not our proxy
    chain = trusted_proxies("10.0.0.0/8, 127.0.0.1")
    # Left of the nearest untrusted hop is whatever the client wrote: a forged first entry changes nothing.
    assert client_address(_scope("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.2.3"), chain) == "203.0.113.9"
    assert client_address(_scope("127.0.0.1", "10.0.0.7, 10.1.2.3"), chain) == "10.0.0.7"  # all ours: first
    assert client_address(_scope("192.0.2.1", "203.0.113.9"), trusted_proxies("*")) == "203.0.113.9"
    assert client_address(_scope("127.0.0.1", "not-an-address"), loopback) == "127.0.0.1"
    with pytest.raises(ValueError, match=r"forwarded_allow_ips: 'proxy\.local' is not an IP address"):
        trusted_proxies("proxy.local")


def test_regression_issue12_forged_forwarded_for_from_loopback_changes_no_address(
        store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Before, a client on 127.0.0.1 got a fresh address (and fresh allowances) with every forged header."""
    _env(monkeypatch, api_rate_limit="3")
    client = TestClient(create_app(store), client=("127.0.0.1", 5000))
    for i in range(3):
        r = client.post(LOGIN, json={"username": "e1", "password": WRONG},
                        headers={"X-Forwarded-For": f"203.0.113.{i}"})
        assert r.status_code == 401
    assert {row["client"] for row in _audit(store, "login_failed")} == {"127.0.0.1"}
    # The API rate limit counts the same address: the 4th request a minute is refused whatever the header says.
    r = client.get("/api/v1/series", headers={"X-Forwarded-For": "203.0.113.99"})
    assert r.status_code == 429 and "from 127.0.0.1" in r.json()["detail"]

    # Behind a proxy named in the setting, its header is the client's address (for both).
    _env(monkeypatch, api_rate_limit="3", forwarded_allow_ips="127.0.0.1")
    proxied = TestClient(create_app(store), client=("127.0.0.1", 5000))
    r = proxied.post(LOGIN, json={"username": "e2", "password": WRONG}, headers={"X-Forwarded-For": "203.0.113.7"})
    assert r.status_code == 401 and _audit(store, "login_failed")[-1]["client"] == "203.0.113.7"
    for i in range(3):
        assert proxied.get("/healthz").status_code == 200  # exempt
        assert proxied.get("/api/v1/series", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code != 429


def test_serve_gives_uvicorn_the_same_proxy_rule(store, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """uvicorn's own proxy headers trust 127.0.0.1 unless told otherwise: serve tells it the setting."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    url = str(store.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    monkeypatch.setenv("VNINDUSTRY_ACCESS_LOG", "off")
    assert runner.invoke(cli_app, ["serve", "--db", url]).exit_code == 0
    assert calls[-1]["proxy_headers"] is False and calls[-1]["access_log"] is False
    assert not isinstance(calls[-1]["app"], access_log.AccessLogMiddleware)

    monkeypatch.setenv("VNINDUSTRY_FORWARDED_ALLOW_IPS", "10.0.0.5,10.0.1.0/24")
    monkeypatch.setenv("VNINDUSTRY_ACCESS_LOG", str(tmp_path / "access.log"))
    assert runner.invoke(cli_app, ["serve", "--db", url]).exit_code == 0
    assert calls[-1]["proxy_headers"] is True and calls[-1]["forwarded_allow_ips"] == "10.0.0.5,10.0.1.0/24"
    assert isinstance(calls[-1]["app"], access_log.AccessLogMiddleware)

    monkeypatch.setenv("VNINDUSTRY_FORWARDED_ALLOW_IPS", "my-proxy")
    bad = runner.invoke(cli_app, ["serve", "--db", url])
    assert bad.exit_code == 1 and "'my-proxy' is not an IP address" in bad.output
    monkeypatch.setenv("VNINDUSTRY_FORWARDED_ALLOW_IPS", "")
    monkeypatch.setenv("VNINDUSTRY_ACCESS_LOG", str(tmp_path / "no" / "such" / "dir" / "access.log"))
    bad = runner.invoke(cli_app, ["serve", "--db", url])
    assert bad.exit_code == 1 and "cannot open the access log" in bad.output and len(calls) == 2


def _serve(url: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vnindustry.cli", "serve", "--db", url, "--port", str(port)],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=2)
            return proc, base
        except httpx.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_serve_end_to_end_forged_header_and_access_log(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real `vnindustry serve`: a forged X-Forwarded-For from 127.0.0.1 is not the client (default), a named
    proxy's is; the access log has one line per request, with the resolved address and the user."""
    url = str(store.engine.url)
    log = tmp_path / "access.log"
    proc, base = _serve(url, {"VNINDUSTRY_ACCESS_LOG": str(log), "VNINDUSTRY_API_RATE_LIMIT": "0"})
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            r = client.post(LOGIN, json={"username": "stat", "password": PORTAL_PASSWORD},
                            headers={"X-Forwarded-For": "203.0.113.9"})
            assert r.status_code == 200
            assert client.get("/api/v1/auth/me").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    lines = log.read_text(encoding="utf-8").splitlines()
    login_line = next(line for line in lines if f'"POST {LOGIN}"' in line)
    assert " 127.0.0.1 " in login_line and "203.0.113.9" not in login_line and login_line.endswith(" stat")
    assert any('"GET /api/v1/auth/me" 200' in line and line.endswith(" stat") for line in lines)
    assert _audit(store, "login")[-1]["client"] == "127.0.0.1"

    log.unlink()
    proc, base = _serve(url, {"VNINDUSTRY_ACCESS_LOG": str(log), "VNINDUSTRY_API_RATE_LIMIT": "0",
                              "VNINDUSTRY_FORWARDED_ALLOW_IPS": "127.0.0.1"})
    try:
        r = httpx.post(f"{base}{LOGIN}", json={"username": "stat", "password": WRONG},
                       headers={"X-Forwarded-For": "1.2.3.4, 203.0.113.9"}, timeout=10)
        assert r.status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    (line,) = [x for x in log.read_text(encoding="utf-8").splitlines() if LOGIN in x]
    assert " 203.0.113.9 " in line and '" 401 ' in line and line.endswith(" -")
    assert _audit(store, "login_failed")[-1]["client"] == "203.0.113.9"


# -- 3. the audit log ------------------------------------------------------------------------------------
def test_regression_issue12_account_events_and_admin_actions_are_audited(
        store, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Before, logins, failed logins and admin actions left no record."""
    _env(monkeypatch)
    app = create_app(store)
    peer = ("192.0.2.50", 4000)

    # Failed logins: the name tried, the address, why — and the same 401 for all.
    anon = TestClient(app, client=peer)
    for name, password in (("ghost", WRONG), ("e1", WRONG)):
        assert anon.post(LOGIN, json={"username": name, "password": password}).status_code == 401
    accounts.deactivate_user(store.engine, "e2", by="test")
    assert anon.post(LOGIN, json={"username": "e2", "password": PORTAL_PASSWORD}).status_code == 401
    failed = _audit(store, "login_failed")
    assert [(r["username"], r["client"], r["reason"].split(" · ")[0]) for r in failed] == [
        ("ghost", "192.0.2.50", "unknown user"), ("e1", "192.0.2.50", "wrong password"),
        ("e2", "192.0.2.50", "inactive user")]
    assert all(r["period"] == "" for r in failed)

    # Login and logout.
    admin = TestClient(app, client=peer)
    csrf = {"X-CSRF-Token": admin.post(LOGIN, json={"username": "root", "password": PORTAL_PASSWORD})
            .json()["csrf_token"]}
    assert _audit(store, "login")[-1]["username"] == "root"

    # The admin API.
    assert admin.post(ADMIN, json={"username": "new1", "password": NEW_PASSWORD, "role": "enterprise",
                                   "enterprise": "E1"}, headers=csrf).status_code == 201
    assert admin.post(f"{ADMIN}/new1/deactivate", headers=csrf).status_code == 200
    assert admin.post(f"{ADMIN}/new1/reactivate", headers=csrf).status_code == 200
    assert admin.post(f"{ADMIN}/new1/reset-password", json={"password": NEW_PASSWORD + "!"},
                      headers=csrf).status_code == 200
    # The admin pages (form posts with the session's token).
    form = {"csrf_token": csrf["X-CSRF-Token"]}
    assert admin.post("/portal/admin/users", data={**form, "username": "new2", "password": NEW_PASSWORD,
                                             "password2": NEW_PASSWORD, "role": "statistician"},
                      follow_redirects=False).status_code == 303
    for path in ("deactivate", "reactivate"):
        assert admin.post(f"/portal/admin/users/new2/{path}", data=form, follow_redirects=False).status_code == 303
    assert admin.post("/portal/admin/users/new2/reset-password", data={**form, "password": NEW_PASSWORD + "?"},
                      follow_redirects=False).status_code == 303
    # The CLI.
    runner = CliRunner()
    assert runner.invoke(cli_app, ["users", "add", "new3", "--role", "statistician", "--db", db_url],
                         input=NEW_PASSWORD + "\n").exit_code == 0
    for command in (["deactivate", "new3"], ["reactivate", "new3"], ["purge-sessions"]):
        assert runner.invoke(cli_app, ["users", *command, "--db", db_url]).exit_code == 0
    assert runner.invoke(cli_app, ["users", "reset-password", "new3", "--db", db_url],
                         input=NEW_PASSWORD + "#\n").exit_code == 0

    rows = [r for r in _audit(store) if r["subject"] in ("new1", "new2", "new3") or r["action"] == "sessions_purge"]
    seen = [(r["action"], r["subject"], r["username"].split(":")[0], r["client"]) for r in rows]
    actions = ["user_add", "user_deactivate", "user_reactivate", "password_reset"]
    assert seen == ([(a, "new1", "root", "192.0.2.50") for a in actions]
                    + [(a, "new2", "root", "192.0.2.50") for a in actions]
                    + [(a, "new3", "cli", None) for a in actions[:3]] + [("sessions_purge", None, "cli", None)]
                    + [("password_reset", "new3", "cli", None)])
    assert "role enterprise, enterprise E1" in rows[0]["reason"]
    assert not any(NEW_PASSWORD in r["reason"] for r in _audit(store))  # never a password

    # The audit page and the API show them (account entries have no month).
    page = admin.get("/portal/audit?lang=en")
    assert page.status_code == 200
    for action in ("login_failed", "login", "user_add", "user_deactivate", "password_reset", "sessions_purge"):
        assert f'data-action="{action}"' in page.text
    assert "failed login" in page.text and "192.0.2.50" in page.text
    vi = admin.get("/portal/audit")
    assert "đăng nhập thất bại" in vi.text and "thêm tài khoản" in vi.text
    entries = admin.get("/api/v1/review/audit").json()["entries"]
    assert {"login", "login_failed", "user_add", "password_reset"} <= {e["action"] for e in entries}

    assert admin.post("/api/v1/auth/logout", headers=csrf).status_code == 204
    logout = _audit(store, "logout")
    assert [(r["username"], r["client"]) for r in logout] == [("root", "192.0.2.50")]


# -- 4. the access log -----------------------------------------------------------------------------------
def test_access_log_middleware_writes_one_line_per_request(store, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _env(monkeypatch, api_rate_limit="4")
    path = tmp_path / "access.log"
    log = access_log.AccessLog.open(str(path))
    assert log is not None
    app = access_log.AccessLogMiddleware(create_app(store), log)
    client = TestClient(app, client=("192.0.2.8", 1000))
    assert client.get("/healthz").status_code == 200
    assert client.post(LOGIN, json={"username": "stat", "password": PORTAL_PASSWORD}).status_code == 200
    assert client.get("/api/v1/auth/me?token=abc123&lang=en").status_code == 200
    forged = client.get("/api/v1/series/nope%0aforged%20line/observations").status_code
    assert forged in (404, 422)  # (422: control characters are refused, issue 12 item 6)
    client.get("/api/v1/series")
    assert client.get("/api/v1/series").status_code == 429  # the rate limiter's answers are logged too
    log.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    pattern = re.compile(r'^(\S+) (\S+) "(\S+) (\S+)" (\d{3}) (\d+) (\d+\.\d)ms (\S+)$')
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed), lines
    first = parsed[0]
    assert first is not None
    stamp = dt.datetime.fromisoformat(first[1])
    assert stamp.utcoffset() == dt.timedelta(hours=7)
    assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 120
    assert [(m[2], m[3], m[5]) for m in parsed if m] == [
        ("192.0.2.8", "GET", "200"), ("192.0.2.8", "POST", "200"), ("192.0.2.8", "GET", "200"),
        ("192.0.2.8", "GET", str(forged)), ("192.0.2.8", "GET", "200"), ("192.0.2.8", "GET", "429")]
    # The user where the app knew it (it looks a session up only on the routes that need one).
    assert [m[8] for m in parsed if m] == ["-", "stat", "stat", "-", "-", "-"]
    assert parsed[2] is not None and parsed[2][4] == "/api/v1/auth/me?token=***&lang=en"  # secrets masked
    text = path.read_text(encoding="utf-8")
    assert "abc123" not in text and PORTAL_PASSWORD not in text
    assert all(m is not None and int(m[6]) > 0 for m in parsed)  # the body's bytes
    assert parsed[3] is not None and parsed[3][4] == "/api/v1/series/nope\\x0aforged\\x20line/observations"

    assert access_log.AccessLog.open("off") is None
    assert access_log.AccessLog.open("-").stream is sys.stderr  # type: ignore[union-attr]
    with pytest.raises(InputError, match="cannot open the access log"):
        access_log.AccessLog.open(str(tmp_path / "missing" / "access.log"))


def test_access_log_logs_an_app_failure_as_500(tmp_path: Path) -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("boom")

    path = tmp_path / "a.log"
    log = access_log.AccessLog.open(str(path))
    assert log is not None
    client = TestClient(access_log.AccessLogMiddleware(broken, log), raise_server_exceptions=False)
    assert client.get("/x").status_code == 500
    log.close()
    assert '"GET /x" 500 0 ' in path.read_text(encoding="utf-8")
