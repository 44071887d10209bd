"""A per-client token bucket, as plain ASGI middleware (cheap: no request object is built), and the client's
address as every part of the app sees it (the trusted-proxy rule, :func:`client_address`).

The client is the socket's peer, unless the peer is a proxy named in the setting ``forwarded_allow_ips``
(comma-separated addresses or networks; empty by default = trust none; ``*`` = any): then it is taken from
``X-Forwarded-For``, walking from the nearest hop back past the trusted proxies (as uvicorn's proxy headers
middleware does, so that ``vnindustry serve``, which gives uvicorn the same list, and the app agree). Anyone can
set the header, so it is never believed from anyone else — not even from 127.0.0.1, which uvicorn trusts by
default. The rate limiter, the login throttle and the access log all use this one address.

The buckets live in the process's memory. Under ``vnindustry serve --workers N`` (:mod:`vnindustry.web.serving`)
each worker gets 1/N of ``api_rate_limit`` (burst and refill), so that a client spread over the workers — the
kernel hands each new connection to whichever worker accepts it first — stays within the setting in total. Not in
the database: that would add a write (and a commit) to every request, where a cached answer now touches no database
at all (docs/deployment.md, "More than one process").
"""

from __future__ import annotations

import functools
import ipaddress
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from vnindustry import settings
from vnindustry.web.problems import PROBLEM_JSON, problem_body

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

# Health checks come from the operator's monitor, which must not be throttled into a false alarm.
EXEMPT = frozenset({"/healthz", "/api/v1/healthz"})


CLIENT_KEY = "vnindustry.client"  # the scope key where the resolved address is kept for the rest of the request


class TrustedProxies:
    """The proxies whose ``X-Forwarded-For`` is believed: addresses and networks, or every peer (``*``)."""

    def __init__(self, spec: str) -> None:
        items = [item.strip() for item in spec.split(",") if item.strip()]
        self.any = "*" in items
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in items:
            if item == "*":
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"forwarded_allow_ips: '{item}' is not an IP address or network "
                                 "(VNINDUSTRY_FORWARDED_ALLOW_IPS takes e.g. 10.0.0.5,192.168.1.0/24 or *)") from None

    def __bool__(self) -> bool:
        return self.any or bool(self.networks)

    def __contains__(self, host: str) -> bool:
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def trusted_proxies(spec: str | None = None) -> TrustedProxies:
    """The parsed ``forwarded_allow_ips`` setting as it is now (or ``spec``)."""
    return _parse_proxies(settings.get("forwarded_allow_ips") if spec is None else spec)


@functools.lru_cache(maxsize=8)
def _parse_proxies(spec: str) -> TrustedProxies:
    return TrustedProxies(spec)


def _forwarded_hops(scope: Scope) -> list[str]:
    values = [v.decode("latin-1") for k, v in scope.get("headers") or () if k == b"x-forwarded-for"]
    return [hop.strip() for hop in ",".join(values).split(",") if hop.strip()]


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(scope: Scope, trusted: TrustedProxies | None = None) -> str:
    """The client's address for ``scope`` (an ASGI scope or ``request.scope``) under the trusted-proxy rule
    (module docstring); computed once per request and kept in the scope."""
    known = scope.get(CLIENT_KEY)
    if known is not None:
        return known
    trusted = trusted_proxies() if trusted is None else trusted
    peer = (scope.get("client") or ("unknown", 0))[0] or "unknown"
    address = peer
    if trusted and peer in trusted:
        hops = _forwarded_hops(scope)
        if hops:
            # The nearest untrusted hop is the client: hops to its right were added by our own proxies;
            # anything to its left is whatever the client wrote. All trusted ('*' included): the first one.
            chosen = next((hop for hop in reversed(hops) if hop not in trusted), hops[0])
            # A hop that is not an address (garbage, "unknown", host:port) cannot key a throttle: keep the peer.
            address = chosen if _valid_ip(chosen) else peer
    scope[CLIENT_KEY] = address
    return address


class TokenBucket:
    """``per_minute`` requests a minute per client, with bursts up to the same number (at least 1: a fraction of a
    worker's share, e.g. 1 a minute over 2 workers, still lets one request through now and then).

    Buckets of clients idle long enough to be full again are dropped when the table grows, so memory
    stays bounded by the number of recently active clients.
    """

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.capacity = max(1.0, float(per_minute))
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

    The client is :func:`client_address` (the socket's peer unless it is a trusted proxy); it is resolved here,
    before anything else in the app, and kept in the scope for the login throttle. ``workers``: the processes
    serving the app on one socket; this one allows ``per_minute / workers`` (module docstring).
    """

    def __init__(self, app: ASGIApp, per_minute: int, forwarded_allow_ips: str | None = None,
                 workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.app = app
        self.per_minute = per_minute
        self.workers = workers
        self.bucket = TokenBucket(per_minute / workers) if per_minute > 0 else None
        self.trusted = trusted_proxies(forwarded_allow_ips)

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.trusted)
        if self.bucket is None or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        wait = self.bucket.take(client)
        if wait == 0.0:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        query = scope.get("query_string", b"").decode("latin-1")
        share = (f" ({self.per_minute / self.workers:g} to each of the {self.workers} server processes)"
                 if self.workers > 1 else "")
        body = problem_body(429, f"more than {self.per_minute} requests a minute from {client}{share}; "
                            f"retry after {retry} s", scope["path"] + (f"?{query}" if query else ""))
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(retry).encode())]})
        await send({"type": "http.response.body", "body": body})
