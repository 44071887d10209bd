"""``vnindustry serve``: the app on one socket, from one process or from N uvicorn worker processes (issue 16).

One process (``--workers 1``, the default) serves the app object :func:`build` makes. With N > 1, uvicorn's
supervisor starts N worker processes (spawned, not forked: each imports the package afresh), each listening on a
socket of its own bound to the port with SO_REUSEPORT, so that the kernel spreads new connections over them
(``_OwnSocketProcess``; uvicorn's one shared socket let one worker take a whole burst). uvicorn needs an import
string and a factory for that: :data:`APP_FACTORY`, i.e. :func:`create_served_app`. The parent writes its
command-line choices to the environment first (``VNINDUSTRY_DB`` from ``--db``, ``VNINDUSTRY_WORKERS`` from
``--workers``); every other setting is read from the environment anyway, so every worker builds the identical app
with :func:`build`, as the single process does.

What the workers share, and what each keeps to itself:

- sessions and the login throttle: in the database (tables ``sessions``, ``login_throttle``, read and written
  on every use, :mod:`vnindustry.portal.accounts`), so a login through one worker is valid on every other at once,
  a logout or a deactivation ends it everywhere, and failed logins count across workers;
- the response cache: each worker's own memory; its keys include the store's release fingerprint, which each
  worker re-reads at most ``api_release_poll`` seconds after its last read (:class:`vnindustry.web.cache.
  ReleaseWatcher`; at once when Vietnam's date changes). A release stored at time T is served by every worker
  from T + ``api_release_poll`` at the latest, so two workers never serve different releases for longer;
- the rate limit: each worker's own buckets, each with 1/N of ``api_rate_limit``
  (:class:`vnindustry.web.ratelimit.RateLimitMiddleware`): a client's total stays the setting, however the
  kernel spreads its connections; one keep-alive connection meets one worker, so it gets 1/N;
- the access log: every worker appends whole lines to the same file (or standard error);
- the database: ``db_pool_size`` pooled connections per worker (PostgreSQL's ``max_connections`` must allow
  N × 2 × ``db_pool_size`` under a burst, plus the command line's).

The parent builds the app once before it starts the workers, so that a bad setting (the database URL, a proxy
list, the access log's path) is reported once, with exit code 1, as by the single process — not by N workers.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from vnindustry import settings
from vnindustry.errors import InputError

APP_FACTORY = "vnindustry.web.serving:create_served_app"
MAX_WORKERS = 64
KEEP_ALIVE = 30  # s: a portal form is filled for a while, and a busy server must not close a connection in reuse


def check_workers(workers: int, source: str = "--workers") -> int:
    """``workers`` if it is a worker count ``serve`` accepts (1 … :data:`MAX_WORKERS`), else InputError naming
    ``source`` (the option or the environment variable it came from)."""
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"{source} is {workers}: the server runs 1 to {MAX_WORKERS} worker processes",
                         fix="give about one per core (nproc); 1 serves from this process alone")
    return workers


def build(db_url: str | None = None, workers: int = 1) -> Callable[..., Any]:
    """The app ``serve`` runs: :func:`vnindustry.web.app.create_app` on the store at ``db_url`` (default: the
    ``db`` setting) with 1/``workers`` of the rate limit, wrapped in the access log of setting ``access_log``.
    InputError for a store that cannot be opened, a bad ``forwarded_allow_ips`` or an access log that cannot be
    written; ValueError naming the variable for a malformed ``VNINDUSTRY_*`` number."""
    from vnindustry.web import access_log
    from vnindustry.web.app import create_app

    return access_log.wrap(create_app(db_url=db_url, workers=workers))


def create_served_app() -> Callable[..., Any]:
    """uvicorn's factory for ``serve --workers N`` (called once in every worker): :func:`build` with the store and
    the worker count the parent put in the environment (``VNINDUSTRY_DB``, ``VNINDUSTRY_WORKERS``)."""
    return build(None, check_workers(settings.get("workers"), settings.setting("workers").env_var))


def close(application: Callable[..., Any]) -> None:
    """Release what :func:`build` opened (the access log's file, the database pool): the parent's trial build."""
    from vnindustry.web.access_log import AccessLogMiddleware

    if isinstance(application, AccessLogMiddleware):
        application.log.close()
        application = application.app
    state = getattr(getattr(application, "state", None), "api", None)
    if state is not None:
        state.store.engine.dispose()


def uvicorn_options(host: str, port: int) -> dict[str, Any]:
    """What ``serve`` gives uvicorn, with one worker or many.

    Keep-alive :data:`KEEP_ALIVE` s (uvicorn: 5). uvicorn's own proxy headers trust 127.0.0.1 by default, which
    would let anyone on the host forge X-Forwarded-For: they get the app's list (setting ``forwarded_allow_ips``,
    web/ratelimit.py) or are off. Its access log is off: ours (web/access_log.py) has the resolved client, the
    duration and the user."""
    proxies = settings.get("forwarded_allow_ips").strip()
    return {"host": host, "port": port, "log_level": "warning", "timeout_keep_alive": KEEP_ALIVE,
            "proxy_headers": bool(proxies), "forwarded_allow_ips": proxies or None, "access_log": False}


def run(application: Callable[..., Any], db_url: str | None, host: str, port: int, workers: int) -> None:
    """Serve until interrupted: ``application`` (:func:`build` ``(db_url, workers)``, which has checked every
    setting) in this process when ``workers`` is 1; else close it and start ``workers`` uvicorn worker processes,
    each calling :func:`create_served_app` (module docstring)."""
    import uvicorn

    check_workers(workers)
    options = uvicorn_options(host, port)
    if workers == 1:
        uvicorn.run(application, **options)
        return
    close(application)
    if db_url:
        os.environ[settings.setting("db").env_var] = db_url
    os.environ[settings.setting("workers").env_var] = str(workers)
    if not hasattr(socket, "SO_REUSEPORT"):  # not Linux or a BSD: uvicorn's one shared socket
        uvicorn.run(APP_FACTORY, factory=True, workers=workers, **options)
        return
    from uvicorn.supervisors import multiprocess

    config = uvicorn.Config(APP_FACTORY, factory=True, workers=workers, **options)
    _own_socket(config).close()  # the port is free (or the error says it is not) before any worker starts
    # uvicorn's supervisor, its workers' own sockets: each worker is an _OwnSocketProcess (the supervisor makes,
    # replaces and restarts them by this name).
    multiprocess.Process = __getattr__("_OwnSocketProcess")  # type: ignore[misc]
    multiprocess.Multiprocess(config, sockets=[]).run()


def _own_socket(config: Any) -> socket.socket:
    """A socket bound to the server's address with SO_REUSEPORT, not yet listening (uvicorn's server listens)."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY on accepted connections only when the listening socket
    # says TCP (proto 0 did not: Nagle's algorithm against delayed ACKs held each answer ~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {config.host}:{config.port} ({exc.strerror})",
                         fix="another program holds the port: stop it, or give --port") from None
    sock.set_inheritable(True)
    return sock


def __getattr__(name: str) -> Any:
    """``_OwnSocketProcess``, made on first use so that importing this module does not import uvicorn (spawned
    workers unpickle it by this name)."""
    if name != "_OwnSocketProcess":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from uvicorn.supervisors.multiprocess import Process

    class OwnSocketProcess(Process):  # type: ignore[misc, valid-type]
        """A uvicorn worker that listens on a socket of its own, bound with SO_REUSEPORT to the one port.

        With one socket shared by every worker (uvicorn's way), the worker that wakes first accepts every
        connection waiting — wrk's 64 at once went to one worker and the other idled (p99 74 ms instead of ~30).
        With a socket each, the kernel spreads new connections over the workers by their addresses. A worker
        that dies takes the connections still waiting in its own queue with it; the supervisor starts another."""

        def target(self, sockets: list[socket.socket] | None = None) -> None:  # the sockets given: none
            threading.Thread(target=self.always_pong, daemon=True).start()
            self.server.run([_own_socket(self.config)])

    OwnSocketProcess.__qualname__ = OwnSocketProcess.__name__ = "_OwnSocketProcess"
    OwnSocketProcess.__module__ = __name__
    globals()["_OwnSocketProcess"] = OwnSocketProcess
    return OwnSocketProcess
