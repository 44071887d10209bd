"""Engines and migrations: one URL (SQLite file by default, PostgreSQL by ``postgresql+psycopg://…``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

from vnindustry.errors import InputError


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and a busy timeout, PostgreSQL a pre-ping pool."""
    if "://" not in url:
        raise InputError(f"'{url}' is not a database URL",
                         fix="use sqlite:///path/to/file.db or postgresql+psycopg://user@host:5432/db")
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            parent = Path(path).expanduser().parent
            if not parent.is_dir():
                raise InputError(f"folder {parent} of the database file does not exist", fix="create it first")
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creates the tables on a new database)."""
    location = resources.files("vnindustry.store") / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
