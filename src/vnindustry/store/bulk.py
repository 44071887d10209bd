"""Many rows into one table through the driver (issue 16): :func:`insert_rows`.

SQLAlchemy Core's executemany builds and processes a parameter dict for every row; for the large writes — a
release's observations (207,000 in the demo's monthly re-run), a trade release's flows (112,000) — that cost as
much as the database's own work. Here the rows are tuples and go to the driver as they are: SQLite's
``executemany``, PostgreSQL's ``COPY … FROM STDIN`` (psycopg's executemany was no faster than Core).

The rows go into the caller's transaction, so a write is still all or nothing, and a driver's error is raised as
SQLAlchemy raises it for any other statement (``IntegrityError``, ``OperationalError`` …): callers that catch
those go on working.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

__all__ = ["insert_rows"]


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert ``rows`` — tuples of the ``columns`` of ``table``, in that order — in ``conn``'s transaction.

    The values go to the driver as they are: Python ints, floats, texts, dates and None (no numpy scalars; no NaN
    for a missing value). Columns left out take the database's default (an id, say); a Python-side default of
    the table (``Column(default=…)``) is not applied: give every such column.

    Raises:
        sqlalchemy.exc.DBAPIError: the database refused a row (its subclass: ``IntegrityError`` for a duplicate
            or a missing reference, ``OperationalError`` for a lock that was not granted …).
    """
    if not rows:
        return
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)}")
    names = ", ".join(columns)
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        statement = f"COPY {table.name} ({names}) FROM STDIN"
        raw = conn.connection.dbapi_connection
        assert raw is not None
        try:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        except dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
        return
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(rows))
