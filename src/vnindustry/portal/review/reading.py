"""How the review reads the store: the engine of a store or engine, a connection to read on (the caller's own
inside a transaction), and the subquery of each report's latest version."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext

from sqlalchemy import Connection, Engine, func, select

from vnindustry.store.tables import REPORTS


def _engine(target: Engine | object) -> Engine:
    return getattr(target, "engine", target)  # type: ignore[return-value]


def _reading(target: object) -> AbstractContextManager[Connection]:
    """A connection to read on: ``target`` itself when it is one (inside the caller's transaction), else a new one
    from its engine."""
    if isinstance(target, Connection):
        return nullcontext(target)
    return _engine(target).connect()


def _latest_versions(periods: Sequence[str] | None = None, *, upto: str | None = None,
                     enterprise: str | None = None):  # type: ignore[no-untyped-def]
    """A subquery: (enterprise_code, period, version) of the latest version of each report."""
    t = REPORTS.c
    q = select(t.enterprise_code, t.period, func.max(t.version).label("version"))
    if periods is not None:
        q = q.where(t.period.in_(list(periods)))
    if upto is not None:
        q = q.where(t.period <= upto)
    if enterprise is not None:
        q = q.where(t.enterprise_code == enterprise)
    return q.group_by(t.enterprise_code, t.period).subquery()
