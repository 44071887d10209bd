"""A ceiling on request bodies for the whole app, as plain ASGI middleware.

Each route also has its own limit (a login 16 KiB, a form 256 KiB, an Excel upload 2 MiB); this one catches
every route, including those that read no body or rely on field lengths, before anything is buffered. A body
announced larger than the ceiling (Content-Length) gets 413 at once; a chunked body is counted as it arrives
and cut off with 413 when it passes the ceiling (unless the route has already started answering).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from vnindustry.web.problems import PROBLEM_JSON, problem_body

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """413 problem+json for any request body over ``max_bytes`` (0: no ceiling)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, send: Callable[[Any], Awaitable[None]]) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        body = problem_body(413, f"the request body is larger than {self.max_bytes:,} bytes, the most this server "
                            "takes; send less (a monthly report or its Excel template is far smaller)",
                            scope["path"] + (f"?{query}" if query else ""), title="Content too large")
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if self.max_bytes <= 0 or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                await self._refuse(scope, send)
                return
        seen = 0
        started = False

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)
