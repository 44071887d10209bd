"""Kill the server in the middle of an upload (issue 6): afterwards the report is wholly stored or absent, and
the enterprise can tell which.

A real server (uvicorn on ``create_app``, as ``vnindustry serve`` runs it) on a store whose enterprise E1
reports 40 products. The report goes over a raw socket — the JSON API's POST and the Excel upload
(multipart) — and the server is SIGKILLed:

- mid-body (headers and half the body sent): after a restart on the same store the month has no new version,
  and ``GET /api/v1/enterprises/E1/reports?period=…`` says so (``version`` None, every ``current`` None);
- right after the whole body was sent, after a random delay (so some kills land before, some during and some
  after the request is processed): each attempt is either wholly stored — a version whose 40 lines and
  checksum (``register.report_checksum``) are what was sent — or absent (the latest version is the one
  before); never a version with fewer lines or other values. ``GET …?period=`` shows the same.
"""

from __future__ import annotations

import io
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import create_engine, text

from builders import PORTAL_PASSWORD, months, write_dataset
from vnindustry.portal import excel
from vnindustry.portal.accounts import add_user
from vnindustry.store import open_store
from vnindustry.store.register import import_dataset, report_checksum

pytestmark = pytest.mark.slow

PRODUCTS = [f"P{i:02d}" for i in range(1, 41)]
PERIOD = "2020-06"
REPORTS = "/api/v1/enterprises/E1/reports"
UPLOAD = "/api/v1/enterprises/E1/reports/upload"
ATTEMPTS = 8  # complete requests killed after a random delay (per backend)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # type: ignore[no-any-return]


# The server as `vnindustry serve` runs it (uvicorn.run on create_app, keep-alive 30 s), forked from a parent
# that imported the app once: each fork opens the store afresh, after the previous server was killed, and
# a restart takes a fraction of a second instead of the imports' ~3 s. The parent ignores SIGCHLD, so a
# killed server is reaped at once; each server's output goes to the log.
LAUNCH = """import os, signal, sys, uvicorn
from vnindustry.web.app import create_app
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
url, log = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    port = int(line)
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        uvicorn.run(create_app(db_url=url), host="127.0.0.1", port=port, log_level="warning",
                    timeout_keep_alive=30)
        os._exit(0)
    print(pid, flush=True)
"""


class Server:
    """The app on ``url`` in a subprocess, started, SIGKILLed and restarted (on a new port) on the same store."""

    def __init__(self, url: str, log: Path) -> None:
        self.url, self.log = url, log
        self.pid = 0
        self.port = 0
        env = {**os.environ, "VNINDUSTRY_API_RATE_LIMIT": "0"}
        with open(self.log, "ab") as out:
            self.parent = subprocess.Popen([sys.executable, "-c", LAUNCH, url, str(log)], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=out, env=env)

    def start(self) -> None:
        assert self.parent.stdin is not None and self.parent.stdout is not None
        self.port = _free_port()
        self.parent.stdin.write(f"{self.port}\n".encode())
        self.parent.stdin.flush()
        self.pid = int(self.parent.stdout.readline())
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or not self._alive():
                raise AssertionError(f"the server did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.02)

    def _alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        assert self._alive(), "the server died before it was killed"
        os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self._alive():
            assert time.monotonic() < deadline, "the server outlived SIGKILL"
            time.sleep(0.005)

    def stop(self) -> None:
        if self.pid and self._alive():
            os.kill(self.pid, signal.SIGKILL)
        self.parent.kill()
        self.parent.wait(timeout=10)


@pytest.fixture
def store_url(db_url: str, tmp_path: Path) -> str:
    """E1 with 40 products (2020-01 … 2020-05 reported by import) and its account e1."""
    history = months(2020, 1, 5)
    folder = write_dataset(
        tmp_path / "many", industries=[("TOTAL", "", None), ("C", "TOTAL", 10.0)],
        products=[(p, "C", 1.0, 10.0) for p in PRODUCTS],
        production=[("E1", p, m, 10.0 + i / 10) for i, p in enumerate(PRODUCTS) for m in history])
    store = open_store(db_url)
    import_dataset(store, folder)
    add_user(store.engine, "e1", PORTAL_PASSWORD, "enterprise", "E1")
    store.engine.dispose()
    return db_url


def _lines(attempt: int) -> list[dict[str, Any]]:
    """The report of ``attempt``: every product, values new to the attempt (inside the accepted range)."""
    return [{"product": p, "quantity": round(10.0 + i / 10 + attempt / 100, 4), "comment": f"lần {attempt}"}
            for i, p in enumerate(PRODUCTS)]


def _checksum(lines: list[dict[str, Any]]) -> str:
    return report_checksum((x["product"], x["quantity"], x["comment"]) for x in lines)


def _json_request(lines: list[dict[str, Any]], session: tuple[str, str]) -> httpx.Request:
    return httpx.Request("POST", f"http://127.0.0.1{REPORTS}", json={"period": PERIOD, "lines": lines},
                         headers={"X-CSRF-Token": session[1]})


def _excel_request(template: bytes, lines: list[dict[str, Any]], session: tuple[str, str]) -> httpx.Request:
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[excel.SHEET]
    for row, line in enumerate(lines, start=excel.FIRST_ROW + 1):
        assert ws[f"{excel.LETTER['product']}{row}"].value == line["product"]
        ws[f"{excel.LETTER['quantity']}{row}"] = line["quantity"]
        ws[f"{excel.LETTER['comment']}{row}"] = line["comment"]
    out = io.BytesIO()
    wb.save(out)
    return httpx.Request("POST", f"http://127.0.0.1{UPLOAD}", headers={"X-CSRF-Token": session[1]},
                         files={"file": ("bao-cao.xlsx", out.getvalue(), excel.MEDIA_TYPE)})


def _raw(request: httpx.Request, port: int, session: tuple[str, str]) -> tuple[bytes, bytes]:
    """The request's head and body as bytes on the wire (HTTP/1.1, the session cookie)."""
    body = request.read()
    head = [f"POST {request.url.raw_path.decode()} HTTP/1.1", f"Host: 127.0.0.1:{port}",
            f"Cookie: vnindustry_session={session[0]}", f"X-CSRF-Token: {session[1]}",
            f"Content-Type: {request.headers['content-type']}", f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(head).encode("ascii"), body


def _login(port: int) -> tuple[str, str]:
    r = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/login",
                   json={"username": "e1", "password": PORTAL_PASSWORD}, timeout=10)
    assert r.status_code == 200, r.text
    return r.cookies["vnindustry_session"], r.json()["csrf_token"]


def _stored(url: str) -> list[dict[str, Any]]:
    """Every version of E1's PERIOD report, read from the store: version, checksum, and its lines."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            reports = conn.execute(text("SELECT id, version, checksum FROM reports WHERE enterprise_code = 'E1' "
                                        "AND period = :p ORDER BY version"), {"p": PERIOD}).all()
            out = []
            for rid, version, checksum in reports:
                lines = conn.execute(text("SELECT product_code, quantity, comment FROM report_lines "
                                          "WHERE report_id = :r"), {"r": rid}).all()
                out.append({"version": version, "checksum": checksum, "lines": [tuple(x) for x in lines]})
            return out
    finally:
        engine.dispose()


def _form(port: int, session: tuple[str, str]) -> dict[str, Any]:
    """What the enterprise sees: GET …/reports?period= (the month's form, with the latest version)."""
    r = httpx.get(f"http://127.0.0.1:{port}{REPORTS}", params={"period": PERIOD},
                  cookies={"vnindustry_session": session[0]}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _check_whole(url: str, sent: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every stored version is one of the reports sent, whole: 40 lines, the checksum of what was sent."""
    versions = _stored(url)
    by_checksum = {_checksum(lines): lines for lines in sent.values()}
    assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
    for v in versions:
        assert len(v["lines"]) == len(PRODUCTS), f"version {v['version']}: {len(v['lines'])} lines of {len(PRODUCTS)}"
        assert report_checksum(v["lines"]) == v["checksum"], f"version {v['version']}: lines ≠ checksum"
        assert v["checksum"] in by_checksum, f"version {v['version']} is none of the reports sent"
    return versions


def test_killed_uploads_are_whole_or_absent(store_url: str, tmp_path: Path) -> None:
    started = time.monotonic()
    server = Server(store_url, tmp_path / "server.log")
    engine = create_engine(store_url)
    template = excel.template(engine, "E1", PERIOD)
    engine.dispose()
    rng = random.Random(6)
    sent: dict[str, list[dict[str, Any]]] = {}
    outcomes = {"stored": 0, "absent": 0}
    try:
        server.start()
        session = _login(server.port)  # a server-side session: it outlives the server's restarts

        # 1. killed mid-body: nothing stored, and the enterprise sees no version for the month
        for name, make in (("json", lambda ls: _json_request(ls, session)),
                           ("excel", lambda ls: _excel_request(template, ls, session))):
            sent[f"mid-{name}"] = lines = _lines(len(sent) + 1)
            head, body = _raw(make(lines), server.port, session)
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                sock.sendall(head + body[: len(body) // 2])
                time.sleep(0.3)  # the server has read the head and waits for the rest
                server.kill()
            server.start()
            assert _stored(store_url) == [], f"{name}: a half-sent report was stored"
            form = _form(server.port, session)
            assert form["version"] is None and all(x["current"] is None for x in form["lines"])

        # 2. a report answered 201 and then the server killed: stored (the control)
        sent["answered"] = lines = _lines(len(sent) + 1)
        r = httpx.post(f"http://127.0.0.1:{server.port}{REPORTS}", json={"period": PERIOD, "lines": lines},
                       headers={"X-CSRF-Token": session[1]}, cookies={"vnindustry_session": session[0]}, timeout=10)
        assert r.status_code == 201 and r.json()["checksum"] == _checksum(lines), r.text
        server.kill()
        server.start()
        (only,) = _check_whole(store_url, sent)
        assert only["checksum"] == _checksum(lines) and _form(server.port, session)["version"] == 1

        # 3. the whole body sent, killed after a random delay: wholly stored or absent, never partial
        for attempt in range(ATTEMPTS):
            kind = ("json", "excel")[attempt % 2]
            lines = _lines(len(sent) + 1)
            sent[f"{kind}-{attempt}"] = lines
            request = _json_request(lines, session) if kind == "json" else _excel_request(template, lines, session)
            head, body = _raw(request, server.port, session)
            before = _stored(store_url)
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                sock.sendall(head + body)
                time.sleep(rng.uniform(0.0, 0.12))
                server.kill()
            server.start()
            after = _check_whole(store_url, sent)
            form = _form(server.port, session)
            assert form["version"] == after[-1]["version"]
            if after[-1]["checksum"] == _checksum(lines):  # stored: one new version, every line as sent
                assert len(after) == len(before) + 1
                outcomes["stored"] += 1
                current = {x["product"]: (x["current"], x["comment"]) for x in form["lines"]}
                assert current == {x["product"]: (x["quantity"], x["comment"]) for x in lines}
            else:  # absent: the versions are those before
                assert after == before, f"attempt {attempt} ({kind}): neither stored nor absent"
                outcomes["absent"] += 1
    finally:
        server.stop()
    print(f"kill attempts: {outcomes} in {time.monotonic() - started:.1f} s")
    assert sum(outcomes.values()) == ATTEMPTS
