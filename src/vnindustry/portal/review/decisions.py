"""The statisticians' decisions on the queue: :func:`accept` a value with a note, or :func:`correct` it — a new
report version with the value replaced, audited in the same transaction (``revise`` in a closed month)."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from vnindustry import settings
from vnindustry.portal.reports import MAX_COMMENT, _lock
from vnindustry.portal.review.audit import _audit
from vnindustry.portal.review.clock import _now, _utc
from vnindustry.portal.review.month_state import _closed
from vnindustry.portal.review.reading import _engine
from vnindustry.portal.review.refusals import AlreadyClosed, AlreadyDecided, NotInQueue, ReviewError, _month, _reason
from vnindustry.portal.review.review_queue import QueueItem, _item, _ratio
from vnindustry.store.locks import lock_month
from vnindustry.store.register import report_checksum
from vnindustry.store.tables import REPORT_LINES, REPORTS


def _write(engine: Engine, enterprise: str, work: Callable[[Connection], object]) -> object:
    """Run ``work`` in one transaction serialized with the enterprise's other writers (as submit_report)."""
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                _lock(conn, enterprise)
                return work(conn)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def accept(engine: Engine | object, period: str, enterprise: str, product: str, *, by: str, note: str,
           ratio: float | None = None, now: dt.datetime | None = None) -> QueueItem:
    """Accept the flagged value of ``enterprise``'s ``product`` in ``period`` as it stands, with a note."""
    key, month = _month(period)
    note = _reason(note, "a note", "note")
    r = _ratio(ratio)
    now = _utc(now or _now())

    def work(conn: Connection) -> QueueItem:
        lock_month(conn, key)  # the closed check holds until commit (a closure waits)
        if _closed(conn, month):
            raise AlreadyClosed(f"{month} is closed", params={"month": month})
        item = _item(conn, month, key, enterprise, product, r)
        if item.status == "accepted":
            raise AlreadyDecided(f"{enterprise}/{product} of {month} is already accepted (by {item.decided_by})",
                                 params={"enterprise": enterprise, "product": product, "month": month,
                                         "by": item.decided_by})
        _audit(conn, by=by, action="accept", month=month, enterprise=enterprise, product=product,
               old=item.quantity, new=item.quantity, reason=note, now=now)
        return _item(conn, month, key, enterprise, product, r)

    return _write(_engine(engine), enterprise, work)  # type: ignore[return-value]


def _quantity(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ReviewError(f"the quantity must be a number, not {value!r}", code="invalid_review_quantity",
                          params={"value": str(value)[:40]})
    q = float(value)
    if not math.isfinite(q) or q < 0:
        raise ReviewError(f"the quantity must be a finite number ≥ 0, not {value!r}", code="invalid_review_quantity",
                          params={"value": str(value)[:40]})
    if q > (ceiling := settings.get("max_quantity")):  # issue 12: an absurd figure erases the month's index
        raise ReviewError(code="implausible_quantity", params={"value": q, "ceiling": ceiling}, message=
                          f"the quantity {value!r} is above the plausibility ceiling of {ceiling:g} (setting "
                          f"max_quantity) — check the unit and the digits")
    return q


@dataclass(frozen=True)
class Correction:
    enterprise: str
    period: str
    product: str
    old_value: float
    new_value: float
    version: int  # the new report version
    previous_version: int
    by: str
    at: dt.datetime
    reason: str
    revision: bool = False  # the month was closed: a revision, in the next vintage


def correct(engine: Engine | object, period: str, enterprise: str, product: str, quantity: object, *, by: str,
            reason: str, ratio: float | None = None, now: dt.datetime | None = None) -> Correction:
    """Correct a value: a new version of the report with the line's quantity replaced (the original versions
    kept), and the audit row (who, when, old and new value, reason), in one transaction.

    In an open month the value must be in the review queue (action ``correct``). In a closed month any line of
    the month's latest report can be corrected — the statistics office's revision, audited as ``revise``; it
    reaches the published figures with the next vintage (:func:`revise_month`, or the next month's closing).
    Enterprises cannot change a closed month (``submit_report`` refuses it); only this path can."""
    key, month = _month(period)
    reason = _reason(reason, "a reason")
    q = _quantity(quantity)
    r = _ratio(ratio)
    now = _utc(now or _now())
    t, line = REPORTS, REPORT_LINES

    def work(conn: Connection) -> Correction:
        lock_month(conn, key)  # a closure waits for this transaction (or it for the closure)
        closed = _closed(conn, month)
        latest = conn.execute(select(t.c.id, t.c.version).where(t.c.enterprise_code == enterprise,
                                                                t.c.period == month)
                              .order_by(t.c.version.desc()).limit(1)).first()
        if closed:
            current = None if latest is None else conn.execute(
                select(line.c.quantity).where(line.c.report_id == latest.id, line.c.product_code == product)).first()
            if current is None:
                raise NotInQueue(f"{enterprise} has no line {product} in its report of {month}: a revision "
                                 "corrects a reported value (check the enterprise and product codes)", code="no_line",
                                 params={"enterprise": enterprise, "product": product, "month": month})
            old = float(current.quantity)
        else:
            old = _item(conn, month, key, enterprise, product, r).quantity
        assert latest is not None  # a queued item comes from a report
        lines = [dict(product_code=x.product_code, quantity=x.quantity, comment=x.comment or "")
                 for x in conn.execute(select(line.c.product_code, line.c.quantity, line.c.comment)
                                       .where(line.c.report_id == latest.id))]
        if q == old:
            keep = "nothing to revise" if closed else "to keep it, accept it"
            raise ReviewError(f"{enterprise}/{product} of {month} is {q:g} already; {keep}", code="same_value",
                              params={"kind": "closed" if closed else "open", "enterprise": enterprise,
                                      "product": product, "month": month, "value": q})
        for x in lines:
            if x["product_code"] == product:
                x["quantity"] = q
                x["comment"] = f"thống kê viên {by} sửa: {reason}"[:MAX_COMMENT]
        checksum = report_checksum((x["product_code"], x["quantity"], x["comment"]) for x in lines)
        version = latest.version + 1
        report_id = conn.execute(insert(t).returning(t.c.id).values(
            enterprise_code=enterprise, period=month, version=version, submitted_at=now, submitted_by=by,
            source="portal", checksum=checksum, status="submitted")).scalar_one()
        conn.execute(insert(line), [dict(report_id=report_id, **x) for x in lines])
        _audit(conn, by=by, action="revise" if closed else "correct", month=month, enterprise=enterprise,
               product=product, old=old, new=q, reason=reason, now=now)
        return Correction(enterprise, month, product, old, q, version, latest.version, by, now, reason, closed)

    return _write(_engine(engine), enterprise, work)  # type: ignore[return-value]
