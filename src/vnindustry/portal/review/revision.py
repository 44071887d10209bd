"""Revising a closed month (:func:`revise_month`): recompile it from the store's reports, with the
statisticians' revisions since its closing, and store a new vintage; the release and its audit row commit
together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from vnindustry.portal.review.audit import _audit
from vnindustry.portal.review.clock import _now, _today, _utc
from vnindustry.portal.review.closing import _check_publication, _compile_and_store, _interrupted
from vnindustry.portal.review.month_state import _closed_months, _published_months, _reported_months
from vnindustry.portal.review.reading import _engine
from vnindustry.portal.review.refusals import (
    NoReports,
    NotClosed,
    PublishDatePast,
    ReviewError,
    TreeMissing,
    _month,
    _reason,
)
from vnindustry.store.locks import lock_month
from vnindustry.store.tables import INDUSTRIES


@dataclass(frozen=True)
class Revision:
    """A closed month recompiled (:func:`revise_month`). ``upto``: the latest closed month, the compile's last;
    ``created`` False when the same figures were stored before (no new vintage: ``release_id`` is that one)."""

    period: str
    upto: str
    release_id: int
    created: bool
    status: str  # of ``upto`` in the release (earlier months: actual)
    publish_on: dt.date
    by: str
    at: dt.datetime
    reason: str


def revise_month(store: object, period: str, *, by: str, publish_on: dt.date, reason: str,
                 now: dt.datetime | None = None, source: str = "city", today: dt.date | None = None) -> Revision:
    """Recompile closed month ``period`` from the store's reports (with the statisticians' revisions since its
    closing) and store a new vintage released on ``publish_on``, closing nothing new; the earlier vintages stay
    (``as_of``, ``vintage="first"``). The compile runs up to the latest closed (or published) month, so the later
    months' comparisons with ``period`` stay consistent; months still open, skipped or unreported are left out.
    Status: ``preliminary`` (sơ bộ) when ``period`` is the latest closed month, else that month stays ``estimate``
    and ``period`` is ``actual``. The release and its audit row commit together. A month published by another
    release (such as the demo's history) counts as closed. Raises :class:`NotClosed`, :class:`PublishDatePast`,
    :class:`ReviewError` (no reason, or ``publish_on`` before the publication of a month the release carries),
    :class:`TreeMissing` or the compile's :class:`~vnindustry.errors.InputError`."""
    key, month = _month(period)
    if not isinstance(publish_on, dt.date) or isinstance(publish_on, dt.datetime):
        raise ReviewError("publish_on must be a date", code="publish_on_not_date")
    reason = _reason(reason, "a reason for the revision")
    today = today or _today()
    if publish_on < today:
        raise PublishDatePast(params={"day": publish_on, "today": today}, message=
                              f"publish_on {publish_on.isoformat()} is before today ({today.isoformat()}, Vietnam): "
                              "a release dated in the past would rewrite what was known on those days",
                              earliest=today.isoformat(), fix=f"choose {today.isoformat()} or a later day")
    now = _utc(now or _now())
    engine = _engine(store)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # one writer: the reports read are the ones compiled
        lock_month(conn, key, exclusive=True)
        _interrupted(conn, by=by, now=now)
        published = _published_months(conn, source)
        finished = set(published) | set(_closed_months(conn))
        if month not in finished:
            raise NotClosed(params={"month": month}, message=
                            f"{month} is not closed: close it (POST …/{month}/close) — an open month needs no "
                            "revision, its reports can still be corrected", fix=f"close {month} instead")
        upto = max(finished)
        _check_publication(conn, upto, publish_on, published)
        if not conn.execute(select(INDUSTRIES.c.id).limit(1)).first():
            raise TreeMissing("the store has no industry tree: load it with import_tree (the dataset folder's "
                              "industries.csv) before revising a month", fix="vnindustry import-dataset the folder")
        status = "preliminary" if upto == month else "estimate"
        months = finished & _reported_months(conn, upto)
        if upto not in months:
            raise NoReports(params={"kind": "revise", "month": upto}, message=
                            f"the store holds no reports of {upto}, the latest published month: a revision would "
                            "drop it", fix=f"import the reports of {upto} first")
        summary = _compile_and_store(store, upto, status=status, publish_on=publish_on, source=source, conn=conn,
                                     months=months)
        what = "new release" if summary.created else "no change since release"
        _audit(conn, by=by, action="revise", month=month, now=now,
               reason=f"{reason} ({what} {summary.release_id}, months to {upto}, publish on {publish_on.isoformat()})")
    return Revision(month, upto, summary.release_id, summary.created, status, publish_on, by, now, reason)
