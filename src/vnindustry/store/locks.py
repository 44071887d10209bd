"""The month lock: closing a month and every writer of its reports (portal, review, import) take it.

PostgreSQL: a transaction-level advisory lock per month, shared for the writers of the month's reports (they do
not wait for each other), exclusive for closing the month (it waits for every writer in flight, and they for
it); each writer then checks the closure inside its own transaction. SQLite: ``BEGIN IMMEDIATE`` already
serialises all writers, so there is nothing more to do. Kept in the store layer so that ``import_dataset``
(here) and the portal (``portal.reports``, ``portal.review``) share one lock.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, text

from vnindustry import settings
from vnindustry.store.tables import MONTH_CLOSURES

MONTH_LOCK_NAMESPACE = 0x564E  # "VN": first key of the months' PostgreSQL advisory locks (second: the month)


def bound_lock_wait(conn: Connection) -> None:
    """PostgreSQL: make every lock wait of ``conn``'s transaction fail after ``db_lock_timeout`` seconds
    (``SET LOCAL lock_timeout``; it ends with the transaction). Nothing on SQLite (its busy timeout)."""
    if conn.dialect.name != "postgresql":
        return
    ms = max(1, round(float(settings.get("db_lock_timeout")) * 1000))
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")  # an int from the settings: no injection


def lock_month(conn: Connection, key: int, *, exclusive: bool = False) -> None:
    """Take month ``key``'s (``year * 12 + month - 1``) lock until the end of ``conn``'s transaction.

    Take it after the enterprise's row lock, if any, so that every writer locks in the same order."""
    if conn.dialect.name != "postgresql":
        return
    bound_lock_wait(conn)
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    conn.execute(text(f"SELECT {fn}(CAST(:ns AS integer), CAST(:key AS integer))"),
                 {"ns": MONTH_LOCK_NAMESPACE, "key": key})


def month_closed(conn: Connection, period: str) -> bool:
    """Whether month ``period`` (``YYYY-MM``) has a closure, as seen by ``conn``'s transaction."""
    return conn.execute(select(MONTH_CLOSURES.c.id).where(MONTH_CLOSURES.c.period == period)).first() is not None
