"""Issue 16, item 4: more than one process — `vnindustry serve --workers N`, and the backups of docs/deployment.md.

The end-to-end test starts `vnindustry serve --workers 2` in a subprocess and tells which worker answered a
connection without any help from the server: the worker is the child process whose file descriptors hold the
server's end of the TCP connection (/proc/net/tcp gives the socket's inode for the client's port, /proc/<pid>/fd
the process holding it). Connections are kept open (keep-alive), so requests can be sent to a chosen worker.
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import vnindustry
from builders import PORTAL_PASSWORD, portal_store
from vnindustry.cli import app as cli_app
from vnindustry.portal.accounts import list_users
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.web.app import create_app
from vnindustry.web.serving import MAX_WORKERS

DATA = Path(__file__).parent / "data"
FIGURE = "/api/v1/series/test/iip/X/observations?format=json"
RATE_LIMIT = 6  # a minute, for the whole server: 3 to each of the 2 workers


def _figure(value: float, status: str) -> pd.DataFrame:
    return pd.DataFrame([dict(table="iip", series="Chỉ số thử nghiệm", code="X", unit="%", period="2025-01",
                              measure="pct_prev_month", value=value, status=status, sheet="IIP", cell="C7")])


def _build_store(url: str):  # type: ignore[no-untyped-def]
    """The portal's register and accounts (builders.portal_store), the PPI manual's compiled IIP and one figure."""
    store = portal_store(url)
    store_compile(store, vnindustry.compile_dataset(DATA / "ppi_manual"), released_on=dt.date(2020, 6, 10))
    store.import_records(_figure(96.75, "estimate"), source="test", file="a.xlsx", checksum="a",
                         released_on=dt.date(2025, 2, 6))
    return store


# -- the command line: a bad worker count ---------------------------------------------------------------------
@pytest.mark.parametrize("given", ["0", "-1", str(MAX_WORKERS + 1)])
def test_bad_workers_option_is_a_usage_error(given, tmp_path):
    res = CliRunner().invoke(cli_app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--workers", given],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 2, res.output
    assert "--workers" in res.output and f"{given} is not a worker count: give 1 to {MAX_WORKERS}" in res.output
    assert not (tmp_path / "s.db").exists()  # refused before the store was opened


@pytest.mark.parametrize("given", ["0", "65", "two"])
def test_bad_workers_setting_names_the_variable(given, tmp_path):
    res = CliRunner().invoke(cli_app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}"],
                             env={"COLUMNS": "200", "VNINDUSTRY_WORKERS": given})
    assert res.exit_code == 1, res.output
    assert "VNINDUSTRY_WORKERS" in res.output
    if given != "two":
        assert f"the server runs 1 to {MAX_WORKERS} worker processes" in res.output


# -- the rate limit's share, in one process ----------------------------------------------------------------------
# Per worker: a bucket of max(1, 6/workers) tokens refilled at 6/workers a minute. Retry-After: until one whole
# token is back — 4 workers: 1.5 tokens, 0.5 left after one request, 0.5 more in 20 s; 12 workers: 1 token a 2 min.
@pytest.mark.parametrize("workers, allowed, retry", [(1, 6, 10), (2, 3, 20), (4, 1, 20), (12, 1, 120)])
def test_each_worker_allows_its_share_of_the_rate_limit(workers, allowed, retry, tmp_path, monkeypatch):
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", str(RATE_LIMIT))
    client = TestClient(create_app(db_url=f"sqlite:///{tmp_path / 's.db'}", workers=workers))
    statuses = [client.get("/api/v1/releases").status_code for _ in range(allowed + 1)]
    assert statuses == [200] * allowed + [429]
    refused = client.get("/api/v1/releases")
    detail = refused.json()["detail"]
    assert detail.startswith(f"more than {RATE_LIMIT} requests a minute from testclient")
    if workers > 1:
        assert f"({RATE_LIMIT / workers:g} to each of the {workers} server processes)" in detail
    assert int(refused.headers["retry-after"]) == pytest.approx(retry, abs=1)


# -- a cold cache under a burst: one build per key (web/cache.py LRUCache.get_or_build) --------------------------
def test_concurrent_misses_build_once():
    from builders import burst
    from vnindustry.web.cache import LRUCache

    cache, calls = LRUCache(8), []

    def build() -> str:
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to miss while the first builds
        return "answer"

    answers: list[str] = []
    burst(lambda k: answers.append(cache.get_or_build("key", build)), writers=16)
    assert answers == ["answer"] * 16 and len(calls) == 1 and cache.builds == 1


def test_a_failed_build_is_retried_by_the_next_request():
    from vnindustry.web.cache import LRUCache

    cache, tries = LRUCache(8), []

    def build() -> str:
        tries.append(1)
        if len(tries) == 1:
            raise RuntimeError("database gone")
        return "answer"

    with pytest.raises(RuntimeError):
        cache.get_or_build("key", build)
    assert cache.get_or_build("key", build) == "answer" and len(tries) == 2


def test_a_burst_on_a_cold_worker_reads_the_catalogue_once(tmp_path, monkeypatch):
    """32 requests for one series arrive together on a fresh app: the catalogue (the demo store's took 1.2 s) and
    the answer are built once, not in 32 threads each holding a database connection (which ran the pool dry:
    503 for every request of a 64-connection load test on a cold worker, issue 16)."""
    import asyncio

    import httpx

    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    store = _build_store(f"sqlite:///{tmp_path / 's.db'}")
    app = create_app(store)
    api = app.state.api
    reads = {"catalogue": 0, "observations": 0}
    catalogue, observations = api.store.catalogue, api.store.observations

    def counted(name, real):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            reads[name] += 1
            time.sleep(0.1)
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(api.store, "catalogue", counted("catalogue", catalogue))
    monkeypatch.setattr(api.store, "observations", counted("observations", observations))

    async def together() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answers = await asyncio.gather(*(client.get(FIGURE) for _ in range(32)))
        return [r.status_code for r in answers]

    assert asyncio.run(together()) == [200] * 32
    assert reads == {"catalogue": 1, "observations": 1}


# -- two worker processes on one socket ---------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _socket_inode(port: int, *, peer_port: int | None) -> set[str]:
    """The inodes of the server's sockets on 127.0.0.1:``port``: listening (peer None; one a worker, SO_REUSEPORT)
    or connected to ``peer_port``."""
    local = f"0100007F:{port:04X}"
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] != local:
            continue
        if peer_port is None and fields[3] == "0A":  # LISTEN
            found.add(fields[9])
        if peer_port is not None and fields[2] == f"0100007F:{peer_port:04X}" and fields[3] == "01":  # ESTABLISHED
            found.add(fields[9])
    return found


def _holders(pids: list[int], inodes: set[str]) -> list[int]:
    targets = {f"socket:[{inode}]" for inode in inodes}
    holding = []
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") in targets:
                    holding.append(pid)
                    break
            except OSError:
                continue
    return holding


class Server:
    """`vnindustry serve --workers 2` on a free port, and connections to its workers."""

    addresses = (f"198.51.100.{k}" for k in itertools.count(1))  # a fresh X-Forwarded-For client per request

    def __init__(self, proc: subprocess.Popen, port: int, log: Path) -> None:
        self.proc, self.port, self.log = proc, port, log
        self.open: list[http.client.HTTPConnection] = []

    def workers(self) -> list[int]:
        """The children holding a listening socket of the port (the parent's other child is multiprocessing's
        tracker)."""
        return _holders(_children(self.proc.pid), _socket_inode(self.port, peer_port=None))

    def connect(self) -> tuple[http.client.HTTPConnection, int]:
        """A new keep-alive connection, after one request (so a worker has accepted it), and the worker's PID."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self.open.append(conn)
        status, _, _ = self.call(conn, "GET", "/healthz")
        assert status == 200
        holders = _holders(_children(self.proc.pid), _socket_inode(self.port, peer_port=conn.sock.getsockname()[1]))
        assert len(holders) == 1, holders
        return conn, holders[0]

    def connection_to(self, pid: int) -> http.client.HTTPConnection:
        for _ in range(200):
            conn, worker = self.connect()
            if worker == pid:
                return conn
        raise AssertionError(f"200 new connections, none accepted by worker {pid}")

    def call(self, conn: http.client.HTTPConnection, method: str, path: str, *, body: object = None,
             headers: dict[str, str] | None = None, client: str | None = None) -> tuple[int, dict[str, str], bytes]:
        sent = {"X-Forwarded-For": client or next(self.addresses), **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()

    def close(self) -> None:
        for conn in self.open:
            conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp("serving")
    url = f"sqlite:///{folder / 'store.db'}"
    _build_store(url).engine.dispose()
    port = _free_port()
    log = folder / "access.log"
    env = {**os.environ, "VNINDUSTRY_API_RATE_LIMIT": str(RATE_LIMIT), "VNINDUSTRY_API_RELEASE_POLL": "2",
           "VNINDUSTRY_FORWARDED_ALLOW_IPS": "127.0.0.1", "VNINDUSTRY_ACCESS_LOG": str(log)}
    env.pop("VNINDUSTRY_WORKERS", None)
    proc = subprocess.Popen([sys.executable, "-m", "vnindustry.cli", "serve", "--db", url, "--port", str(port),
                             "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    served = Server(proc, port, log)
    try:
        deadline = time.monotonic() + 120  # the parent and both workers import the package: ~20 s on a busy box
        while len(served.workers()) < 2 or not _answers(port):
            assert proc.poll() is None, proc.communicate()[1].decode()
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            time.sleep(0.3)
        yield served, url
    finally:
        served.close()
        proc.send_signal(signal.SIGTERM)  # uvicorn's parent stops its workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the session started for this server only
            proc.wait()


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


@pytest.mark.slow
def test_two_workers_answer_on_one_socket(server):
    srv, _ = server
    workers = srv.workers()
    assert len(workers) == 2 and srv.proc.pid not in workers
    seen = set()
    for _ in range(200):
        seen.add(srv.connect()[1])
        if seen == set(workers):
            break
    assert seen == set(workers)
    # The same app in both: the same bytes (hence ETag) for the same question.
    a, b = (srv.connection_to(pid) for pid in workers)
    first, second = srv.call(a, "GET", FIGURE), srv.call(b, "GET", FIGURE)
    assert first[0] == second[0] == 200 and first[2] == second[2] and first[1]["etag"] == second[1]["etag"]


@pytest.mark.slow
def test_regression_issue16_a_burst_of_connections_spreads_over_the_workers(server):
    """wrk's 64 connections at once all went to one worker when the workers shared one socket (the first to wake
    accepted every waiting connection; p99 74 ms at 64 connections): with a socket each (SO_REUSEPORT) the
    kernel spreads them. 32 connections opened at the same moment: each worker takes several."""
    srv, _ = server
    workers = srv.workers()
    conns = [http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30) for _ in range(32)]
    for conn in conns:
        conn.connect()  # all 32 wait in the accept queues before any request is sent
    srv.open.extend(conns)
    taken = {pid: 0 for pid in workers}
    for conn in conns:
        status, _, _ = srv.call(conn, "GET", "/healthz")
        assert status == 200
        holders = _holders(workers, _socket_inode(srv.port, peer_port=conn.sock.getsockname()[1]))
        assert len(holders) == 1
        taken[holders[0]] += 1
    assert min(taken.values()) >= 4, taken


def test_regression_issue16_a_workers_socket_is_tcp_so_answers_are_not_delayed():
    """asyncio sets TCP_NODELAY on the connections a listening socket accepts only if that socket says it is TCP: a
    worker's own socket made with proto 0 let Nagle's algorithm hold every answer ~40 ms (wrk: p50 44 ms)."""
    from types import SimpleNamespace

    from vnindustry.web.serving import _own_socket

    sock = _own_socket(SimpleNamespace(host="127.0.0.1", port=0))
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
    finally:
        sock.close()


@pytest.mark.slow
def test_a_session_made_on_one_worker_holds_on_the_other(server):
    srv, _ = server
    one, other = srv.workers()
    a, b = srv.connection_to(one), srv.connection_to(other)
    status, headers, body = srv.call(a, "POST", "/api/v1/auth/login", body={"username": "e1",
                                                                          "password": PORTAL_PASSWORD})
    assert status == 200, body
    cookie = headers["set-cookie"].split(";", 1)[0]
    csrf = json.loads(body)["csrf_token"]
    status, _, body = srv.call(b, "GET", "/api/v1/auth/me", headers={"Cookie": cookie})
    assert status == 200 and json.loads(body)["username"] == "e1"
    status, _, _ = srv.call(b, "POST", "/api/v1/auth/logout", headers={"Cookie": cookie, "X-CSRF-Token": csrf})
    assert status == 204
    status, _, _ = srv.call(a, "GET", "/api/v1/auth/me", headers={"Cookie": cookie})
    assert status == 401  # ended on the other worker: ended here too


@pytest.mark.slow
def test_failed_logins_count_across_workers(server):
    srv, _ = server
    one, other = srv.workers()
    a, b = srv.connection_to(one), srv.connection_to(other)
    wrong = {"username": "e2", "password": "not the password"}
    # login_max_failures is 5: three failures through one worker and two through the other reach it
    statuses = [srv.call(conn, "POST", "/api/v1/auth/login", body=wrong)[0] for conn in (a, a, a, b, b)]
    assert statuses == [401] * 5
    status, headers, _ = srv.call(a, "POST", "/api/v1/auth/login", body=wrong)
    assert status == 429 and int(headers["retry-after"]) >= 1


@pytest.mark.slow
def test_a_new_release_reaches_both_workers_within_the_poll(server):
    srv, url = server
    poll = 2.0  # VNINDUSTRY_API_RELEASE_POLL of the fixture
    conns = [srv.connection_to(pid) for pid in srv.workers()]
    for conn in conns:  # both have the current release's answer cached
        status, _, body = srv.call(conn, "GET", FIGURE)
        assert status == 200 and json.loads(body)["observations"][0]["value"] == 96.75
    store = open_store(url)
    store.import_records(_figure(97.10, "actual"), source="test", file="b.xlsx", checksum="b",
                         released_on=dt.date(2025, 3, 6))
    stored = time.monotonic()
    store.engine.dispose()
    late = {id(conn): 0 for conn in conns}
    while time.monotonic() < stored + poll + 1.5:
        for conn in conns:
            asked = time.monotonic()
            status, _, body = srv.call(conn, "GET", FIGURE)
            value = json.loads(body)["observations"][0]["value"]
            assert status == 200 and value in (96.75, 97.10)
            if asked >= stored + poll:  # the bound: a request made a poll interval after the release sees it
                assert value == 97.10, f"a worker served the old release {asked - stored:.2f} s after the new one"
                late[id(conn)] += 1
        time.sleep(0.1)
    assert all(n > 0 for n in late.values())  # each worker was asked after the bound, and answered the new release


@pytest.mark.slow
def test_the_rate_limit_is_divided_between_the_workers(server):
    srv, _ = server
    one, other = srv.workers()
    a, b = srv.connection_to(one), srv.connection_to(other)
    client = "203.0.113.77"  # one client (as the trusted proxy 127.0.0.1 says) on both workers
    per_worker = RATE_LIMIT // 2
    for conn in (a, b):
        statuses = [srv.call(conn, "GET", "/api/v1/releases", client=client)[0] for _ in range(per_worker)]
        assert statuses == [200] * per_worker
        status, headers, body = srv.call(conn, "GET", "/api/v1/releases", client=client)
        assert status == 429, "a worker allowed more than its half of the rate limit"
        detail = json.loads(body)["detail"]
        assert f"more than {RATE_LIMIT} requests a minute from {client} (3 to each of the 2 server processes)" \
            in detail
        assert math.isclose(int(headers["retry-after"]), 20, abs_tol=1)  # 3 a minute: a token every 20 s
    # Both workers append to the one access log, whole lines (no line cut by another's).
    # A line is written once the answer has gone (its duration is to the last byte): wait for the second 429's.
    line = re.compile(r'^\S+ \S+ "[A-Z]+ \S+" \d{3} \d+ \d+\.\dms \S+$')
    deadline = time.monotonic() + 10
    while True:
        lines = srv.log.read_text(encoding="utf-8").splitlines()
        refused = sum(f" {client} " in x and '" 429 ' in x for x in lines)
        if refused >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert lines and all(line.match(x) for x in lines)
    assert refused == 2


@pytest.mark.slow
def test_a_worker_that_dies_is_replaced(server):
    srv, _ = server
    gone, kept = srv.workers()
    os.kill(gone, signal.SIGKILL)  # a worker of the server this module started
    deadline = time.monotonic() + 90
    while True:
        workers = srv.workers()
        if len(workers) == 2 and gone not in workers:
            break
        assert time.monotonic() < deadline, f"worker {gone} not replaced in 90 s: {workers}"
        time.sleep(0.3)
    assert kept in workers and srv.proc.poll() is None
    (new,) = set(workers) - {kept}
    for _ in range(100):  # the replacement answers once it has built the app
        if _answers(srv.port) and new in {srv.connect()[1] for _ in range(4)}:
            break
        time.sleep(0.3)
    time.sleep(2.0)  # api_release_poll: the kept worker has re-read the store's releases too
    fresh, old = srv.call(srv.connection_to(new), "GET", FIGURE), srv.call(srv.connection_to(kept), "GET", FIGURE)
    assert fresh[0] == old[0] == 200 and fresh[2] == old[2]  # the same app, the same release


# -- backups (docs/deployment.md) --------------------------------------------------------------------------------
def _answers_of(url: str) -> dict[str, object]:
    """What the restored store must answer the same: the API's catalogue, releases and two series, and the users."""
    store = open_store(url)
    try:
        client = TestClient(create_app(store))
        got: dict[str, object] = {path: client.get(path).content for path in (
            "/api/v1/series", "/api/v1/releases", FIGURE,
            "/api/v1/series/city/iip/TOTAL/observations?measure=level&format=csv")}
        got["users"] = [(u.username, u.role, u.enterprise, u.active) for u in list_users(store.engine)]
        login = client.post("/api/v1/auth/login", json={"username": "stat", "password": PORTAL_PASSWORD})
        got["login"] = login.status_code
        return got
    finally:
        store.engine.dispose()


def _add_release(url: str) -> int:
    store = open_store(url)
    try:
        store.import_records(_figure(98.0, "actual"), source="test", file="c.xlsx", checksum="c",
                             released_on=dt.date(2025, 4, 6))
        return int(store.releases()["id"].max())
    finally:
        store.engine.dispose()


def test_sqlite_backup_and_restore(tmp_path):
    if shutil.which("sqlite3") is None:
        pytest.skip("no sqlite3 command (apt-get install sqlite3)")
    db = tmp_path / "vnindustry.db"
    _build_store(f"sqlite:///{db}").engine.dispose()
    backup = tmp_path / "backup" / "vnindustry-2026-12-06.db"
    backup.parent.mkdir()
    live = open_store(f"sqlite:///{db}")  # the backup is taken while the store is open (as under a server)
    try:
        # docs/deployment.md, "Backups: SQLite"
        subprocess.run(["sqlite3", str(db), f".backup '{backup}'"], check=True)
    finally:
        live.engine.dispose()
    restored = tmp_path / "restored.db"
    shutil.copyfile(backup, restored)
    before = _answers_of(f"sqlite:///{db}")
    after = _answers_of(f"sqlite:///{restored}")
    assert after == before and before["login"] == 200 and len(before["users"]) == 3  # type: ignore[arg-type]
    releases = [r["id"] for r in json.loads(before["/api/v1/releases"])["items"]]  # type: ignore[arg-type]
    assert _add_release(f"sqlite:///{restored}") > max(releases)


@pytest.mark.postgres
def test_postgres_setup_backup_and_restore(pg_url, tmp_path):
    """docs/deployment.md's PostgreSQL commands, as written there: a role of its own owning the database (which is
    what lets it create the store's tables in PostgreSQL 15's schema public), then pg_dump, createdb, pg_restore."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    from conftest import PG_DEFAULT

    for tool in ("pg_dump", "pg_restore", "createdb"):
        if shutil.which(tool) is None:
            pytest.skip(f"no {tool} (apt-get install postgresql-client)")
    admin_url = os.environ.get("VNINDUSTRY_TEST_PG", PG_DEFAULT)  # pg_url's server (the fixture skips without one)

    def libpq(sqlalchemy_url: str) -> str:  # what pg_dump & co. take: the same URL without "+psycopg"
        return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)

    role = f"vnindustry_t{uuid.uuid4().hex[:10]}"
    name, restored_name = role, f"{role}_restored"
    app_url = make_url(pg_url).set(username=role, password="a long password", database=name)
    url = app_url.render_as_string(hide_password=False)
    restored_url = app_url.set(database=restored_name).render_as_string(hide_password=False)
    dump = tmp_path / "vnindustry.dump"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'a long password'"))  # createuser --pwprompt
    try:
        # docs/deployment.md, "PostgreSQL": the database, owned by the role
        subprocess.run(["createdb", f"--maintenance-db={libpq(admin_url)}", f"--owner={role}", "--encoding=UTF8",
                        "--template=template0", name], check=True)
        _build_store(url).engine.dispose()  # the first command on the store creates its tables (as the role)
        # docs/deployment.md, "Backups: PostgreSQL" — the same three commands
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq(url)], check=True)
        subprocess.run(["createdb", f"--maintenance-db={libpq(admin_url)}", "--template=template0",
                        f"--owner={role}", restored_name], check=True)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(restored_url)}",
                        str(dump)], check=True)
        before = _answers_of(url)
        after = _answers_of(restored_url)
        assert after == before and before["login"] == 200 and len(before["users"]) == 3  # type: ignore[arg-type]
        releases = [r["id"] for r in json.loads(before["/api/v1/releases"])["items"]]  # type: ignore[arg-type]
        assert _add_release(restored_url) > max(releases)  # the sequences came back too: a new id, no clash
    finally:
        with admin.connect() as conn:
            for db in (name, restored_name):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
