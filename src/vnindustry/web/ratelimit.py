"""A per-client token bucket, as plain ASGI middleware (cheap: no request object is built)."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from vnindustry.web.problems import PROBLEM_JSON, problem_body

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

# Health checks come from the operator's monitor, which must not be throttled into a false alarm.
EXEMPT = frozenset({"/healthz", "/api/v1/healthz"})


class TokenBucket:
    """``per_minute`` requests a minute per client, with bursts up to the same number.

    Buckets of clients idle long enough to be full again are dropped when the table grows, so memory
    stays bounded by the number of recently active clients.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """Take a token for ``client``: 0.0 if allowed, else the seconds until one is available."""
        now = self.clock()
        tokens, last = self._buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_clients:
                self._prune(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        full_after = self.capacity / self.rate
        self._buckets = {c: v for c, v in self._buckets.items() if now - v[1] < full_after}


class RateLimitMiddleware:
    """Answer 429 problem+json with Retry-After once a client's bucket is empty.

    The client is the socket's peer address: X-Forwarded-For is not trusted, since anyone can set it; behind
    a reverse proxy, run uvicorn with ``--proxy-headers --forwarded-allow-ips`` so the peer is the real one.
    """

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.bucket = TokenBucket(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if self.bucket is None or scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.bucket.take(client)
        if wait == 0.0:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        query = scope.get("query_string", b"").decode("latin-1")
        body = problem_body(429, f"more than {int(self.bucket.capacity)} requests a minute from {client}; "
                            f"retry after {retry} s", scope["path"] + (f"?{query}" if query else ""))
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(retry).encode())]})
        await send({"type": "http.response.body", "body": body})
