"""Engines and migrations: one URL (SQLite file by default, PostgreSQL by ``postgresql+psycopg://…``)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from vnindustry import settings
from vnindustry.errors import InputError


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite in WAL with foreign keys, PostgreSQL with a pre-ping pool.

    Both wait at most the ``db_lock_timeout`` setting (seconds) for a database lock or a pooled connection —
    SQLite's busy timeout, the pool's checkout timeout (PostgreSQL's lock waits: :mod:`vnindustry.store.locks`)
    — so that a burst of writers queues for a bounded time and a request that waits longer fails fast (the
    web app answers 503 with Retry-After) instead of stalling. The pool keeps ``db_pool_size`` connections and
    opens as many again under a burst (a SQLite file's pool too; an in-memory SQLite database keeps
    SQLAlchemy's one connection per thread).
    """
    if "://" not in url:
        raise InputError(f"'{url}' is not a database URL",
                         fix="use sqlite:///path/to/file.db or postgresql+psycopg://user@host:5432/db")
    wait = float(settings.get("db_lock_timeout"))
    size = int(settings.get("db_pool_size"))
    if wait <= 0 or size < 1:
        raise InputError(f"db_lock_timeout must be > 0 and db_pool_size ≥ 1 (got {wait:g} and {size})",
                         fix="set VNINDUSTRY_DB_LOCK_TIMEOUT (seconds) and VNINDUSTRY_DB_POOL_SIZE (connections)")
    pool = {"pool_size": size, "max_overflow": size, "pool_timeout": wait}
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        in_memory = not path or path == ":memory:" or "mode=memory" in url
        if not in_memory:
            parent = Path(path.split("?", 1)[0]).expanduser().parent
            if not parent.is_dir():
                raise InputError(f"folder {parent} of the database file does not exist", fix="create it first")
        # timeout: SQLite's busy timeout, the longest a connection waits for another's write lock (BEGIN
        # IMMEDIATE) before "database is locked".
        engine = create_engine(url, connect_args={"timeout": wait}, **({} if in_memory else pool))

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer, nor it for them
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creates the tables on a new database).

    A database already at the newest revision is recognised by one query (:func:`at_head`) without loading
    Alembic and its migration scripts — most commands open a store that is up to date, and Alembic's start-up
    would cost them more than their work (a bulletin's read of the store)."""
    if at_head(engine):
        return
    from alembic import command
    from alembic.config import Config

    location = resources.files("vnindustry.store") / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(.*)$", re.MULTILINE)


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    """The migration scripts' heads (revisions no other script revises), read from the scripts' text; empty
    when a script does not declare its revisions plainly (then :func:`migrate` leaves it to Alembic)."""
    folder = resources.files("vnindustry.store") / "migrations" / "versions"
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in folder.iterdir():
        if not script.name.endswith(".py") or script.name.startswith("__"):
            continue
        text = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return frozenset()
        revisions.add(revision.group(1))
        revised.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - revised)


def at_head(engine: Engine) -> bool:
    """Whether the database's Alembic version is the scripts' single head (False when it has no version table
    yet, when it cannot be read, or when the scripts have several heads)."""
    heads = head_revisions()
    if len(heads) != 1:
        return False
    try:
        with engine.connect() as conn:
            found = {str(v) for v in conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()}
    except DBAPIError:  # no version table (a new database), or no connection: Alembic says which
        return False
    return found == heads
