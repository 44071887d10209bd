"""The audit log: its actions (:data:`AUDIT_ACTIONS`; :data:`CORRECTIONS` changed a value), writing a row
(:func:`_audit`, in the caller's transaction) and reading the log (:func:`audit_log`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select

from vnindustry.portal.review.clock import _utc
from vnindustry.portal.review.reading import _engine
from vnindustry.portal.review.refusals import _month
from vnindustry.store.tables import AUDIT_LOG

AUDIT_ACTIONS = ("accept", "correct", "close", "revise", "skip")  # revise: a closed month's line, or the whole
# month; skip: an open month a close left unpublished (with the reason)
CORRECTIONS = ("correct", "revise")  # audit actions that changed a value (revise: in a closed month)


def _audit(conn: Connection, *, by: str, action: str, month: str, enterprise: str | None = None,
           product: str | None = None, old: float | None = None, new: float | None = None, reason: str = "",
           now: dt.datetime) -> None:
    conn.execute(insert(AUDIT_LOG).values(
        at=now, username=by, action=action, period=month, enterprise_code=enterprise, product_code=product,
        old_value=old, new_value=new, reason=reason))


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    period: str
    enterprise: str | None
    product: str | None
    old_value: float | None
    new_value: float | None
    reason: str


def audit_log(engine: Engine | object, period: str | None = None, *, limit: int = 1000) -> list[AuditRow]:
    """The audit log (of ``period`` when given), oldest first."""
    a = AUDIT_LOG
    query = select(a).order_by(a.c.id)
    if period is not None:
        query = query.where(a.c.period == _month(period)[1])
    with _engine(engine).connect() as conn:
        return [AuditRow(r["id"], _utc(r["at"]), r["username"], r["action"], r["period"], r["enterprise_code"],
                         r["product_code"], r["old_value"], r["new_value"], r["reason"])
                for r in conn.execute(query.limit(limit)).mappings()]
