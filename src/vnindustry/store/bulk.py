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

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, Time
from sqlalchemy.exc import DBAPIError

__all__ = ["insert_rows"]


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert ``rows`` — tuples of the ``columns`` of ``table``, in that order — in ``conn``'s transaction.

    The values go to the driver as they are, without SQLAlchemy's type processing: so only columns of numbers and
    texts (Python ints, floats, str and None — no numpy scalars, no NaN for a missing value); a date, time or
    boolean column is refused, as the drivers' own adaptation of those differs from SQLAlchemy's. Columns left out
    take the database's default (an id, say); a Python-side default of the table (``Column(default=…)``) is not
    applied: give every such column. Outside a transaction one is begun, as any statement would (SQLAlchemy's
    autobegin); the caller commits it.

    Raises:
        ValueError: a column the table lacks, or one of a type this path does not write.
        sqlalchemy.exc.DBAPIError: the database refused a row (its subclass: ``IntegrityError`` for a duplicate
            or a missing reference, ``OperationalError`` for a lock that was not granted …). On PostgreSQL the
            driver's error is wrapped here, not by SQLAlchemy's statement machinery: ``.orig`` and its
            ``sqlstate`` are the driver's, but no ``handle_error`` event fires and a dropped connection is not
            marked invalid here (``pool_pre_ping`` finds it at the next checkout).
    """
    if not rows:
        return
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)}")
    typed = [c for c in columns if isinstance(table.c[c].type, (Date, DateTime, Time, Boolean))]
    if typed:
        raise ValueError(f"{table.name}.{', '.join(typed)}: dates, times and booleans go through SQLAlchemy Core "
                         "(its type processing), not through insert_rows")
    if not conn.in_transaction():
        conn.begin()  # a raw cursor does not autobegin: the rows would go with the connection back to the pool
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
