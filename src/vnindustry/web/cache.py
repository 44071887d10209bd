"""Response caching: strong ETags from content, If-None-Match → 304, and an in-memory LRU of rendered
responses keyed by (query, release fingerprint: the date and the visible releases), so a repeated request
never reaches the database. A miss is built once (:meth:`LRUCache.get_or_build`): requests that miss the same
key at the same time — every request after a new release, or on a worker just started — wait for that build
instead of each running it."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Rendered:
    """A response body ready to send, with its media type, strong ETag and extra headers."""

    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""

    @staticmethod
    def of(body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Rendered:
        return Rendered(body, media_type, headers or {}, etag_for(body))


def etag_for(body: bytes) -> str:
    """Strong ETag: a hash of the exact bytes (differs per format and language, as it must)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (or ``*``); weak validators compare weakly (RFC 9110)."""
    if not if_none_match:
        return False
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


class LRUCache:
    """A thread-safe least-recently-used map (routes that miss build their answer in a worker thread)."""

    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.RLock] = {}  # a lock per key being built (get_or_build)
        self.hits = 0
        self.misses = 0
        self.builds = 0

    def get(self, key: Hashable) -> object | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: object) -> None:
        if self.size == 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value at ``key``, built by ``build()`` and stored on a miss — once for concurrent misses of one key:
        the others wait for it. Without this, 64 requests arriving together on a cold cache (a new release, a
        worker just started) each rebuilt the same answer — the demo store's series catalogue took 1.2 s — in as
        many threads, each holding a pooled database connection, until the pool's wait ran out (503s for
        everyone, issue 16). A build that raises is retried by the next waiter."""
        hit = self.get(key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        with self._lock:
            lock = self._building.setdefault(key, threading.RLock())
        try:
            with lock:
                hit = self.get(key)  # built by the request we waited for
                if hit is None:
                    hit = build()
                    self.builds += 1
                    self.put(key, hit)
                return hit  # type: ignore[return-value]
        finally:
            with self._lock:
                if self._building.get(key) is lock:
                    del self._building[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class ReleaseWatcher:
    """The store's release fingerprint (the embargo's date and the set of visible releases), re-read at most
    every ``interval`` seconds — and at once when the date changes, since that is when an embargo lifts.

    Imports run in other processes (the CLI), so the API cannot be told of a new release; it asks the
    database at most once per interval instead of once per request. Cache keys include the fingerprint, so
    answers computed before a release (or before an embargo lifted) are not served after the next check.
    ``day``: the date the embargo is judged on (None: no embargo); it is asked on every request (cheap).
    """

    def __init__(self, read: Callable[[], Hashable], interval: float, clock: Callable[[], float] = time.monotonic,
                 day: Callable[[], object] | None = None) -> None:
        self._read = read
        self.interval = interval
        self._clock = clock
        self._day = day or (lambda: None)
        self._value: Hashable | None = None
        self._value_day: object = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def _stale(self, now: float, day: object) -> bool:
        return self._value is None or now - self._checked >= self.interval or day != self._value_day

    def current(self) -> Hashable:
        """The fingerprint: the cached one while fresh, else read again from the store."""
        now, day = self._clock(), self._day()
        if not self._stale(now, day):
            return self._value
        with self._lock:
            if self._stale(now, day):
                self._value = self._read()
                self._value_day = day
                self._checked = now
            return self._value

    def fresh(self) -> bool:
        """Whether ``current()`` would answer without the database (lets async routes skip a thread hop)."""
        return not self._stale(self._clock(), self._day())
