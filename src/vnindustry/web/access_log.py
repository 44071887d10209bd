"""The server's access log (issue 12): one line per HTTP request, written by ``vnindustry serve``.

Setting ``access_log``: ``-`` (the default) for standard error, a file path (appended to, one line flushed per
request, so ``tail -f`` and log rotation by copy-truncate work), or ``off``. A line::

    2026-12-05T19:31:44.123+07:00 203.0.113.5 "GET /api/v1/series?format=csv" 200 1834 12.4ms thongke

— the time the request arrived (Vietnam time, UTC+7, ISO 8601 with the offset), the client's address (the
trusted-proxy rule of :func:`vnindustry.web.ratelimit.client_address`: X-Forwarded-For only from
``forwarded_allow_ips``), method and path with its query string, the status, the body's bytes, the time to the
last byte in milliseconds, and the logged-in user (``-`` when anonymous or unknown). Bodies are never logged,
so neither is a password sent to log in; a query parameter that looks like a secret (``password``, ``token``,
``csrf…``, ``secret``, ``key``, ``session``) is logged as ``***``. Control characters, quotes and (in the
path) spaces are escaped as ``\\xNN`` so that a crafted path cannot forge a second line or field. A request the
app fails with an exception is logged with status 500 (as the server answers it); one whose answer was cut short,
with the status it had started.

The middleware wraps the whole app (outside the rate limiter, whose 429s are logged too); the user name is what
:mod:`vnindustry.web.auth` notes in the request's state (``access_user``) once it knows the session.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qsl, quote

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.web.ratelimit import TrustedProxies, client_address, trusted_proxies

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

VIETNAM = dt.timezone(dt.timedelta(hours=7))
SECRET_PARAM = re.compile(r"pass|pwd|token|csrf|secret|key|session|auth", re.IGNORECASE)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\"\\]")


def _escape(text: str) -> str:
    """``text`` safe inside one quoted log field: control characters, quotes and backslashes as \\xNN."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def masked_query(query: str) -> str:
    """The query string with the values of secret-looking parameters replaced by ``***`` (the rest kept)."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(SECRET_PARAM.search(name) for name, _ in pairs):
        return query  # as sent (no re-encoding), the usual case
    return "&".join(f"{quote(name, safe='')}={'***' if SECRET_PARAM.search(name) else quote(value, safe='')}"
                    for name, value in pairs)


def format_line(*, at: dt.datetime, client: str, method: str, path: str, query: str, status: int, size: int,
                ms: float, user: str | None) -> str:
    """One access-log line (module docstring), without its newline."""
    target = path + (f"?{masked_query(query)}" if query else "")
    stamp = at.astimezone(VIETNAM).isoformat(timespec="milliseconds")
    who = _escape(user).replace(" ", "\\x20") if user else "-"
    target = _escape(target).replace(" ", "\\x20")  # one field: a space in a (decoded) path is escaped too
    return f'{stamp} {_escape(client)} "{_escape(method)} {target}" {status} {size} {ms:.1f}ms {who}'


class AccessLog:
    """Where lines go: a text stream, written one whole line at a time (a lock: the server may run app code in
    threads, and a line must never interleave with another)."""

    def __init__(self, stream: TextIO, *, close: bool = False) -> None:
        self.stream = stream
        self._close = close
        self._lock = threading.Lock()

    @staticmethod
    def open(target: str) -> AccessLog | None:
        """The log the ``access_log`` setting names (``-`` standard error, ``off`` none, else a file appended to);
        InputError naming the path when the file cannot be opened."""
        target = target.strip()
        if target.lower() == "off":
            return None
        if target in ("", "-"):
            return AccessLog(sys.stderr)
        path = Path(target).expanduser()
        try:
            stream = path.open("a", encoding="utf-8", buffering=1)
        except OSError as exc:
            raise InputError(f"cannot open the access log {path}: {exc.strerror or exc}",
                             fix="set VNINDUSTRY_ACCESS_LOG to a writable file, '-' (standard error) or 'off'"
                             ) from None
        return AccessLog(stream, close=True)

    def write(self, line: str) -> None:
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._close:
            self.stream.close()


class AccessLogMiddleware:
    """ASGI middleware writing one :func:`format_line` per HTTP request to ``log``."""

    def __init__(self, app: ASGIApp, log: AccessLog, *, forwarded_allow_ips: str | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.app = app
        self.log = log
        self.trusted: TrustedProxies = trusted_proxies(forwarded_allow_ips)
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        at = dt.datetime.now(dt.UTC)
        start = self.clock()
        client = client_address(scope, self.trusted)
        state = scope.setdefault("state", {})  # the dict request.state writes to (auth notes the user there)
        status, size = 500, 0  # 500 stays if the app fails before answering (the server then answers 500)

        async def sending(message: Any) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            ms = (self.clock() - start) * 1000.0
            user = state.get("access_user") if isinstance(state, dict) else None
            self.log.write(format_line(
                at=at, client=client, method=scope.get("method", "?"), path=scope.get("path", ""),
                query=scope.get("query_string", b"").decode("latin-1"), status=status, size=size, ms=ms,
                user=user))


def wrap(app: ASGIApp, target: str | None = None) -> ASGIApp:
    """``app`` with the access log of setting ``access_log`` (or ``target``) — ``app`` itself when it is off."""
    log = AccessLog.open(settings.get("access_log") if target is None else target)
    return app if log is None else AccessLogMiddleware(app, log)
