"""The statisticians' side of the portal (issue 6): response, the review queue, the audit log, closing a month.

No HTTP here (that is :mod:`vnindustry.web.review`): every function takes the store's engine (or a
:class:`~vnindustry.store.Store`), and each write is one transaction.

- **Response** (:func:`response`): for month M, the enterprises *expected* are those with a report in any of
  the three months before M; the rate is the share of them with a report for M, overall, by industry and by
  district (the register's ``enterprises`` table). The follow-up list names the expected enterprises still
  missing, with the last month each reported. Enterprises reporting M without being expected (new ones, or
  back after a long gap) are counted apart (``unexpected``).
- **Review queue** (:func:`queue`): the lines of M's latest report versions whose value is unusual by the
  portal's unit-slip rule (≥ ``ratio`` × or ≤ 1/``ratio`` of the median of the enterprise's last 12 reported
  months of the product, latest versions, months before M; :func:`vnindustry.portal.reports._reference`).
  A line from the portal or an Excel upload was confirmed by the enterprise (``kind`` ``confirmed``); one
  that came by import was not (``unconfirmed``). Each item is ``open``, ``accepted`` or ``corrected``: the
  latest accept/correct in the audit log whose value is still the current one decides; a value changed
  since (the enterprise sent another version) is open again. A corrected item stays listed even when the
  corrected value is no longer unusual.
- **Accept** (:func:`accept`) records the decision with a note. **Correct** (:func:`correct`) stores a new
  version of the report — every line as it was, the product's quantity replaced, its comment saying who
  corrected it and why; source ``portal``, ``submitted_by`` the statistician — the original versions kept,
  and the audit log gets who, when, the old and new value and the reason, in the same transaction.
- **Closing** (:func:`close_month`) is one guarded, atomic step. Refused, each naming the fix: a month that has not
  ended or whose reporting window has not opened (:func:`closable_from`, setting ``close_opens_day``;
  :class:`MonthNotOver`), a month nobody reported (:class:`NoReports`), a month closed already or published by
  another release — months the store publishes (the demo's history) count as closed — (:class:`AlreadyClosed`), a
  month behind a later published one (:class:`PublishedLater`: revisions go through :func:`revise_month`), a close
  that would skip earlier open months unless each is closed or skipped with a reason (``skip``, audited as ``skip``;
  :class:`OpenMonthsBefore`, :func:`months_to_skip`), a publication date before today in Vietnam
  (:class:`PublishDatePast`); and, unless forced with a reason (logged), open queue items (:class:`OpenItems`) or a
  response below ``close_min_response`` by base-year value (:func:`weighted_response`, :class:`LowResponse`). The
  closure, its audit rows and the release commit in **one transaction**: the store's latest report versions up to M
  are read on the close's own connection, written as a dataset folder (docs/dataset-format.md) in a temporary
  directory, compiled (:func:`vnindustry.compile.compile_dataset`) and stored (``store_compile(conn=…)``, status
  ``estimate``, ``released_on`` = the publication date, named "city compile to M"). The release holds M and, as new
  vintages, the earlier closed or published months — never a skipped month nor one nobody reported. A crash (kill -9)
  anywhere leaves the month open with nothing; a closure without a release left by the old two-step close is found and
  reopened (audited) by the next close, revision or :func:`recover_closures`.
  No late submission can slip past the closure: on PostgreSQL the closure takes the month's advisory lock
  exclusive (:func:`vnindustry.store.locks.lock_month`) and every writer of the month (``submit_report``,
  :func:`accept`, :func:`correct`) takes it shared and checks the closure in its own transaction; on SQLite all
  of them start with ``BEGIN IMMEDIATE``. So a report is either committed before the closure (and compiled) or
  refused (``month_closed``).
- **Vintages**: a month's figures are stored anew with every later compile — the next month's closing compiles
  every month up to it, and :func:`revise_month` recompiles a closed month — each as a new release; the earlier
  releases stay (``Store.observations(as_of=…, vintage=…)``). In such a compile the last month carries its
  status (``estimate`` at its closing) and every earlier month ``actual`` (``compile_records``' rule). Statisticians
  can still correct a closed month (:func:`correct`, audited as ``revise``); enterprises cannot. A release is never
  dated before the publication of a closed month it carries (the embargo would leak).
- The register has no industry tree of its own from ``import_dataset`` (migration 0004 stores enterprises
  and products only): :func:`import_tree` stores a dataset folder's ``industries.csv`` (and ``groups.csv``)
  in the ``industries`` and ``industry_groups`` tables (migration 0006), which the close needs.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import numbers
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.periods import month_code, parse_month
from vnindustry.portal.reports import HISTORY_MONTHS, MAX_COMMENT, _lock, _reference
from vnindustry.sources.dataset import load_dataset
from vnindustry.store import repository as _repository
from vnindustry.store.locks import lock_month
from vnindustry.store.models import (
    AuditEntry,
    Enterprise,
    MonthClosure,
    Observation,
    Product,
    RegisterGroup,
    RegisterIndustry,
    Release,
    Report,
    ReportLine,
    Series,
)
from vnindustry.store.register import report_checksum
from vnindustry.store.repository import ImportSummary

EXPECTED_MONTHS = 3  # an enterprise is expected in M when it reported any of the 3 months before M
AUDIT_ACTIONS = ("accept", "correct", "close", "revise", "skip")  # revise: a closed month's line, or the whole
# month; skip: an open month a close left unpublished (with the reason)
CORRECTIONS = ("correct", "revise")  # audit actions that changed a value (revise: in a closed month)
MAX_REASON = 2_000
NOT_REGISTERED = ""  # the industry or district key of enterprises the register gives none


class ReviewError(Exception):
    """A reviewing action refused; ``status`` is the HTTP status a route answers with. ``code`` (the kind of
    refusal) and ``params`` (the values it names) let a page say it in its language
    (:mod:`vnindustry.portal.messages`); ``extra`` goes into the API's problem+json."""

    status = 422
    code = "invalid_request"

    def __init__(self, message: str, *, code: str | None = None, params: Mapping[str, object] | None = None,
                 **extra: object) -> None:
        super().__init__(message)
        self.extra = extra
        self.code = code or type(self).code
        self.params = dict(params or {})


class NotInQueue(ReviewError):
    status = 404
    code = "not_in_queue"


class AlreadyClosed(ReviewError):
    status = 409
    code = "already_closed"


class AlreadyDecided(ReviewError):
    status = 409
    code = "already_decided"


class OpenItems(ReviewError):
    """Open queue items remain: ``items`` lists them (enterprise, product)."""

    status = 409
    code = "open_items"


class TreeMissing(ReviewError):
    status = 409
    code = "tree_missing"


class NotClosed(ReviewError):
    """Revising a month that is still open (close it first)."""

    status = 409
    code = "not_closed"


def _engine(target: Engine | object) -> Engine:
    return getattr(target, "engine", target)  # type: ignore[return-value]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _month(period: str) -> tuple[int, str]:
    key = parse_month(str(period))
    if key is None:
        raise ReviewError(f"'{period}' is not a month (use YYYY-MM)", code="invalid_month",
                          params={"text": str(period)[:40]})
    return key, month_code(key)


def _reason(text: object, what: str, kind: str = "reason", **params: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ReviewError(f"{what} is required: say why", code="reason_required", params={"kind": kind, **params})
    if len(text) > MAX_REASON:
        raise ReviewError(f"{what} is longer than {MAX_REASON} characters", code="reason_too_long",
                          params={"max": MAX_REASON})
    return text.strip()


def _latest_versions(periods: Sequence[str] | None = None, *, upto: str | None = None,
                     enterprise: str | None = None):  # type: ignore[no-untyped-def]
    """A subquery: (enterprise_code, period, version) of the latest version of each report."""
    t = Report.__table__
    q = select(t.c.enterprise_code, t.c.period, func.max(t.c.version).label("version"))
    if periods is not None:
        q = q.where(t.c.period.in_(list(periods)))
    if upto is not None:
        q = q.where(t.c.period <= upto)
    if enterprise is not None:
        q = q.where(t.c.enterprise_code == enterprise)
    return q.group_by(t.c.enterprise_code, t.c.period).subquery()


# -- closing state -------------------------------------------------------------------------------------------

def is_closed(engine: Engine | object, period: str) -> bool:
    """Whether month ``period`` (``YYYY-MM``) is closed. ``submit_report(closed=lambda p: is_closed(engine, p))``."""
    key = parse_month(str(period))
    if key is None:
        return False
    with _engine(engine).connect() as conn:
        return _closed(conn, month_code(key))


def closed_checker(engine: Engine | object) -> Callable[[str], bool]:
    """``is_closed`` bound to ``engine``: the ``closed`` argument of ``submit_report``."""
    return lambda period: is_closed(engine, period)


def _closed(conn: Connection, month: str) -> bool:
    return conn.execute(select(MonthClosure.id).where(MonthClosure.period == month)).first() is not None


@dataclass(frozen=True)
class Closure:
    period: str
    closed_at: dt.datetime
    closed_by: str
    release_id: int | None
    publish_on: dt.date
    forced: bool = False
    open_items: int = 0


def closure(engine: Engine | object, period: str) -> Closure | None:
    _, month = _month(period)
    c = MonthClosure.__table__
    with _engine(engine).connect() as conn:
        m = conn.execute(select(c).where(c.c.period == month)).first()
    if m is None:
        return None
    return Closure(m.period, _utc(m.closed_at), m.closed_by, m.release_id, m.publish_on)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# -- response -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResponseGroup:
    key: str  # industry or district ("" when the register gives none)
    expected: int
    responded: int
    rate: float | None  # responded / expected; None when nobody is expected


@dataclass(frozen=True)
class FollowUp:
    enterprise: str
    name: str
    industry: str
    district: str
    last_period: str | None  # the last month (before the period) with a report


@dataclass(frozen=True)
class Response:
    period: str
    expected: int
    responded: int
    rate: float | None
    unexpected: int  # enterprises with a report for the month that were not expected
    by_industry: tuple[ResponseGroup, ...]
    by_district: tuple[ResponseGroup, ...]
    follow_up: tuple[FollowUp, ...]
    expected_months: tuple[str, ...] = field(default=())


def _groups(expected: Iterable[str], responded: set[str], key_of: dict[str, str]) -> tuple[ResponseGroup, ...]:
    counts: dict[str, list[int]] = {}
    for code in expected:
        c = counts.setdefault(key_of.get(code, NOT_REGISTERED), [0, 0])
        c[0] += 1
        c[1] += code in responded
    return tuple(ResponseGroup(k, e, r, r / e if e else None) for k, (e, r) in sorted(counts.items()))


def response(engine: Engine | object, period: str) -> Response:
    """The response to month ``period`` (see the module docstring)."""
    key, month = _month(period)
    before = [month_code(key - i) for i in range(1, EXPECTED_MONTHS + 1)]
    t, e = Report.__table__, Enterprise.__table__
    with _engine(engine).connect() as conn:
        expected = set(conn.execute(select(t.c.enterprise_code).where(t.c.period.in_(before)).distinct()).scalars())
        reported = set(conn.execute(select(t.c.enterprise_code).where(t.c.period == month).distinct()).scalars())
        register = {r.code: r for r in conn.execute(select(e.c.code, e.c.name, e.c.industry, e.c.district))}
        missing = sorted(expected - reported)
        last: dict[str, str] = {}
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            last.update(dict(conn.execute(select(t.c.enterprise_code, func.max(t.c.period))
                                          .where(t.c.enterprise_code.in_(chunk), t.c.period < month)
                                          .group_by(t.c.enterprise_code)).all()))
    responded = expected & reported
    industry = {c: r.industry or NOT_REGISTERED for c, r in register.items()}
    district = {c: r.district or NOT_REGISTERED for c, r in register.items()}
    follow = tuple(FollowUp(c, register[c].name if c in register else "", industry.get(c, ""),
                            district.get(c, ""), last.get(c)) for c in missing)
    return Response(month, len(expected), len(responded), len(responded) / len(expected) if expected else None,
                    len(reported - expected), _groups(expected, responded, industry),
                    _groups(expected, responded, district), follow, tuple(before))


@dataclass(frozen=True)
class RateRow:
    """One month of :func:`response_rates`: the same counts as :func:`response`, without the breakdowns."""

    period: str
    expected: int
    responded: int
    rate: float | None
    unexpected: int


def response_rates(engine: Engine | object, periods: Sequence[str]) -> list[RateRow]:
    """The response of many months at once (the months page): one query over the months and the
    :data:`EXPECTED_MONTHS` before the earliest, the sets computed as :func:`response` does."""
    keys = sorted({_month(p)[0] for p in periods})
    if not keys:
        return []
    t = Report.__table__
    first = month_code(keys[0] - EXPECTED_MONTHS)
    by_month: dict[str, set[str]] = {}
    with _engine(engine).connect() as conn:
        for code, period in conn.execute(select(t.c.enterprise_code, t.c.period).distinct()
                                         .where(t.c.period >= first, t.c.period <= month_code(keys[-1]))):
            by_month.setdefault(period, set()).add(code)
    out = []
    for key in keys:
        month = month_code(key)
        expected = set().union(*(by_month.get(month_code(key - i), set()) for i in range(1, EXPECTED_MONTHS + 1)))
        reported = by_month.get(month, set())
        responded = len(expected & reported)
        out.append(RateRow(month, len(expected), responded, responded / len(expected) if expected else None,
                           len(reported - expected)))
    return out


# -- the review queue ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueItem:
    enterprise: str
    name: str
    product: str
    unit: str
    quantity: float  # in the month's latest report version
    comment: str
    version: int
    source: str  # the latest version's: import, portal, excel
    kind: str  # confirmed (the enterprise confirmed an unusual value), unconfirmed (came by import), reviewed
    median: float | None
    low: float | None
    high: float | None
    last_month: float | None
    last_year: float | None
    status: str  # open, accepted, corrected
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    note: str = ""


def _history_rows(conn: Connection, month: str, enterprises: Sequence[str], since: str | None
                  ) -> dict[tuple[str, str], list[tuple[str, float]]]:
    t, line = Report.__table__, ReportLine.__table__
    out: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for start in range(0, len(enterprises), 500):
        chunk = list(enterprises[start:start + 500])
        where = [t.c.period < month, t.c.enterprise_code.in_(chunk)]
        if since is not None:
            where.append(t.c.period >= since)
        latest = (select(t.c.enterprise_code, t.c.period, func.max(t.c.version).label("version"))
                  .where(*where).group_by(t.c.enterprise_code, t.c.period).subquery())
        query = (select(t.c.enterprise_code, t.c.period, line.c.product_code, line.c.quantity)
                 .join(latest, and_(latest.c.enterprise_code == t.c.enterprise_code,
                                    latest.c.period == t.c.period, latest.c.version == t.c.version))
                 .join(line, line.c.report_id == t.c.id)
                 .order_by(t.c.enterprise_code, line.c.product_code, t.c.period))
        for ent, period, product, q in conn.execute(query):
            out.setdefault((ent, product), []).append((period, q))
    return out


def _history_all(conn: Connection, month: str, pairs: Iterable[tuple[str, str]], *,
                 window: int = 2 * HISTORY_MONTHS) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """(enterprise, product) → [(period, quantity)] from the latest versions of the months before ``month``,
    enough of it for :func:`~vnindustry.portal.reports._reference` (the last 12 reported months and the same
    month a year earlier) for every pair in ``pairs``.

    Most enterprises report every month, so the ``window`` (24) months before ``month`` hold all that is needed;
    only the enterprises with a pair reported fewer than 12 times in that window are read in full (same answer,
    a fraction of the rows). The window must cover the same month a year earlier."""
    pairs = set(pairs)
    key = parse_month(month)
    since = month_code(key - max(window, 12))  # type: ignore[operator]
    out = _history_rows(conn, month, sorted({e for e, _ in pairs}), since)
    sparse = sorted({e for e, p in pairs if len(out.get((e, p), ())) < HISTORY_MONTHS})
    if sparse:
        out.update(_history_rows(conn, month, sparse, None))
    return out


def _decisions(conn: Connection, month: str) -> dict[tuple[str, str], Mapping]:
    """(enterprise, product) → the latest accept/correct of the month in the audit log."""
    a = AuditEntry.__table__
    out = {}
    for row in conn.execute(select(a).where(a.c.period == month, a.c.action.in_(("accept", *CORRECTIONS)),
                                            a.c.product_code.is_not(None)).order_by(a.c.id)).mappings():
        out[(row["enterprise_code"], row["product_code"])] = row
    return out


def _queue(conn: Connection, month: str, key: int, ratio: float) -> list[QueueItem]:
    t, line, e, p = Report.__table__, ReportLine.__table__, Enterprise.__table__, Product.__table__
    latest = _latest_versions([month])
    rows = conn.execute(
        select(t.c.enterprise_code, t.c.version, t.c.source, line.c.product_code, line.c.quantity, line.c.comment,
               e.c.name, p.c.unit)
        .join(latest, and_(latest.c.enterprise_code == t.c.enterprise_code, latest.c.period == t.c.period,
                           latest.c.version == t.c.version))
        .join(line, line.c.report_id == t.c.id)
        .join(e, e.c.code == t.c.enterprise_code)
        .join(p, p.c.code == line.c.product_code)
        .order_by(t.c.enterprise_code, line.c.product_code)).all()
    decisions = _decisions(conn, month)
    history = _history_all(conn, month, {(r.enterprise_code, r.product_code) for r in rows})
    out = []
    for r in rows:
        ref = _reference(history.get((r.enterprise_code, r.product_code), []), key, ratio)
        unusual = ref.low is not None and ref.high is not None and not (ref.low < r.quantity < ref.high)
        decision = decisions.get((r.enterprise_code, r.product_code))
        if not unusual and (decision is None or decision["action"] not in CORRECTIONS):
            continue
        status, by, at, note = "open", None, None, ""
        if decision is not None and decision["new_value"] == r.quantity:
            status = "accepted" if decision["action"] == "accept" else "corrected"
            by, at, note = decision["username"], _utc(decision["at"]), decision["reason"]
        elif not unusual:
            continue  # corrected once, changed again since to a usual value: nothing to review
        if decision is not None and decision["action"] in CORRECTIONS and status == "corrected":
            kind = "reviewed"
        else:
            kind = "unconfirmed" if r.source == "import" else "confirmed"
        out.append(QueueItem(r.enterprise_code, r.name, r.product_code, r.unit, r.quantity, r.comment or "",
                             r.version, r.source, kind, ref.median, ref.low, ref.high, ref.last_month.quantity,
                             ref.last_year.quantity, status, by, at, note))
    return out


def _ratio(ratio: float | None) -> float:
    value = float(settings.get("suspicious_ratio") if ratio is None else ratio)
    if value <= 1:
        raise ValueError("ratio must be > 1")
    return value


def queue(engine: Engine | object, period: str, *, ratio: float | None = None) -> list[QueueItem]:
    """The review queue of month ``period``, by enterprise and product (see the module docstring)."""
    key, month = _month(period)
    with _engine(engine).connect() as conn:
        return _queue(conn, month, key, _ratio(ratio))


def _item(conn: Connection, month: str, key: int, enterprise: str, product: str, ratio: float) -> QueueItem:
    for item in _queue(conn, month, key, ratio):
        if item.enterprise == enterprise and item.product == product:
            return item
    raise NotInQueue(f"{enterprise}/{product} is not in the review queue of {month}",
                     params={"enterprise": enterprise, "product": product, "month": month})


def _audit(conn: Connection, *, by: str, action: str, month: str, enterprise: str | None = None,
           product: str | None = None, old: float | None = None, new: float | None = None, reason: str = "",
           now: dt.datetime) -> None:
    conn.execute(insert(AuditEntry.__table__).values(
        at=now, username=by, action=action, period=month, enterprise_code=enterprise, product_code=product,
        old_value=old, new_value=new, reason=reason))


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
    t, line = Report.__table__, ReportLine.__table__

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


# -- the audit log -------------------------------------------------------------------------------------------

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
    a = AuditEntry.__table__
    query = select(a).order_by(a.c.id)
    if period is not None:
        query = query.where(a.c.period == _month(period)[1])
    with _engine(engine).connect() as conn:
        return [AuditRow(r["id"], _utc(r["at"]), r["username"], r["action"], r["period"], r["enterprise_code"],
                         r["product_code"], r["old_value"], r["new_value"], r["reason"])
                for r in conn.execute(query.limit(limit)).mappings()]


# -- the industry tree ---------------------------------------------------------------------------------------

def import_tree(engine: Engine | object, folder: str | Path) -> int:
    """Store the industry tree (industries.csv) and groups (groups.csv) of dataset ``folder`` in the register,
    replacing what was there (one transaction); the number of industries. ``import_dataset`` should call it."""
    ds = load_dataset(folder)
    ind, grp = RegisterIndustry.__table__, RegisterGroup.__table__
    rows = [dict(code=i.code, parent=i.parent, name_vi=i.name_vi, name_en=i.name_en, weight=i.weight,
                 position=n) for n, i in enumerate(ds.industries.values())]
    members = [dict(group_code=g.code, name_vi=g.name_vi, name_en=g.name_en, industry=m, position=n)
               for n, (g, m) in enumerate((g, m) for g in ds.groups for m in g.members)]
    with _engine(engine).begin() as conn:
        conn.execute(delete(grp))
        conn.execute(delete(ind))
        conn.execute(insert(ind), rows)
        if members:
            conn.execute(insert(grp), members)
    return len(rows)


# -- closing a month -----------------------------------------------------------------------------------------

def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def write_dataset(engine: Engine | Connection | object, period: str, folder: str | Path) -> Path:
    """Write the store's register and latest report versions up to ``period`` as a dataset folder. ``engine``
    may be an open connection (a close reads inside its own transaction, on its own connection)."""
    _, month = _month(period)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    ind, grp, p, e = (RegisterIndustry.__table__, RegisterGroup.__table__, Product.__table__,
                      Enterprise.__table__)
    t, line = Report.__table__, ReportLine.__table__
    with _reading(engine) as conn:
        industries = conn.execute(select(ind).order_by(ind.c.position, ind.c.id)).mappings().all()
        if not industries:
            raise TreeMissing("the store has no industry tree: load it with import_tree (the dataset folder's "
                              "industries.csv) before closing a month")
        _csv(out / "industries.csv", ("code", "parent", "name_vi", "name_en", "weight"),
             ((r["code"], r["parent"] or "", r["name_vi"], r["name_en"], _number(r["weight"])) for r in industries))
        groups = conn.execute(select(grp).order_by(grp.c.position, grp.c.id)).mappings().all()
        if groups:
            _csv(out / "groups.csv", ("group", "name_vi", "name_en", "industry"),
                 ((r["group_code"], r["name_vi"], r["name_en"], r["industry"]) for r in groups))
        _csv(out / "products.csv", ("code", "industry", "name_vi", "unit", "weight", "base_quantity"),
             ((r.code, r.industry, r.name_vi, r.unit, _number(r.weight), _number(r.base_quantity))
              for r in conn.execute(select(p.c.code, p.c.industry, p.c.name_vi, p.c.unit, p.c.weight,
                                           p.c.base_quantity).order_by(p.c.code))))
        _csv(out / "enterprises.csv", ("enterprise", "name", "industry", "district", "ownership"),
             conn.execute(select(e.c.code, e.c.name, e.c.industry, e.c.district, e.c.ownership)
                          .order_by(e.c.code)).all())
        latest = _latest_versions(upto=month)
        rows = conn.execute(
            select(t.c.enterprise_code, line.c.product_code, t.c.period, line.c.quantity)
            .join(latest, and_(latest.c.enterprise_code == t.c.enterprise_code, latest.c.period == t.c.period,
                               latest.c.version == t.c.version))
            .join(line, line.c.report_id == t.c.id)
            .order_by(t.c.enterprise_code, line.c.product_code, t.c.period))
        _csv(out / "production.csv", ("enterprise", "product", "period", "quantity"),
             ((a, b, c, repr(float(q))) for a, b, c, q in rows))
    return out


# Test hook (tests/test_issue12_close_kill.py): kill -9 the process at a named point of a close, to prove that a
# crash anywhere leaves either the closed month with its release or the open month with nothing.
CRASH_ENV = "VNINDUSTRY_TEST_CLOSE_CRASH_AT"
CRASH_POINTS = ("locked", "closure", "compiled", "stored", "commit")


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _today() -> dt.date:
    """Vietnam's date (through the repository's function, so a test moving the embargo's clock moves ours)."""
    return _repository.today_in_vietnam()


def closable_from(period: str) -> dt.date:
    """The first day month ``period`` may be closed: day ``close_opens_day`` of the next month (its reporting
    window has opened; 1 = as soon as the month has ended). Days past the 28th count as the 28th."""
    key, _ = _month(period)
    nxt = key + 1
    day = min(max(int(settings.get("close_opens_day")), 1), 28)
    return dt.date(nxt // 12, nxt % 12 + 1, day)


class MonthNotOver(ReviewError):
    """The month has not ended, or its reporting window (``close_opens_day``) has not opened."""

    status = 409
    code = "month_not_over"


class NoReports(ReviewError):
    """Nobody reported the month: there is nothing to close (a close would publish imputation only)."""

    status = 409
    code = "no_reports"


class PublishedLater(ReviewError):
    """A later month is published already (its release carries this one): revise, do not close."""

    status = 409
    code = "published_later"


class OpenMonthsBefore(ReviewError):
    """Earlier months are neither closed nor skipped: ``months`` lists them."""

    status = 409
    code = "open_months_before"


class PublishDatePast(ReviewError):
    """The publication date is before today (Vietnam's date): the "as known on" history would be rewritten."""

    status = 422
    code = "publish_date_past"


class LowResponse(ReviewError):
    """The month's response (by base-year value) is below ``close_min_response``: close with force and a reason."""

    status = 409
    code = "low_response"


def _reading(target: object) -> AbstractContextManager[Connection]:
    """A connection to read on: ``target`` itself when it is one (inside the caller's transaction), else a new one
    from its engine."""
    if isinstance(target, Connection):
        return nullcontext(target)
    return _engine(target).connect()


def _published_months(conn: Connection, source: str) -> dict[str, dt.date]:
    """Month → the date of its first publication, for every month a release of ``source`` carries (its IIP total:
    closures' releases and any other, such as the demo's history). Such months count as closed."""
    s, o, rel = Series.__table__, Observation.__table__, Release.__table__
    roots = list(conn.execute(select(s.c.id).where(s.c.source == source, s.c.table_name == "iip",
                                                    s.c.kind == "total")).scalars())
    if not roots:
        return {}
    rows = conn.execute(select(o.c.period, func.min(rel.c.released_on))
                        .join(rel, rel.c.id == o.c.release_id)
                        .where(o.c.series_id.in_(roots), o.c.measure == "level")
                        .group_by(o.c.period)).all()
    return {p: d for p, d in rows if parse_month(str(p)) is not None and month_code(parse_month(str(p))) == p}


def _closed_months(conn: Connection) -> dict[str, dt.date]:
    """Closed month → its publication date (a closure without its release, left by a crash, does not count)."""
    c = MonthClosure.__table__
    return dict(conn.execute(select(c.c.period, c.c.publish_on).where(c.c.release_id.is_not(None))).all())


def _reported_months(conn: Connection, upto: str) -> set[str]:
    t = Report.__table__
    return set(conn.execute(select(t.c.period).where(t.c.period <= upto).distinct()).scalars())


def _weighted_response(conn: Connection, month: str, key: int) -> tuple[float | None, float, float]:
    """The month's response by value: (rate, value reported, value expected). An expected enterprise (one that
    reported any of the :data:`EXPECTED_MONTHS` before) weighs its production over those months at base-year
    prices — each product's base-year value over its base quantity (the register's ``weight`` and
    ``base_quantity``) — so a missing steelworks counts for more than a missing bakery. When nobody reported those
    months, the last :data:`EXPECTED_MONTHS` months with reports stand in. None: no report before the month."""
    t, line, p = Report.__table__, ReportLine.__table__, Product.__table__
    before = [month_code(key - i) for i in range(1, EXPECTED_MONTHS + 1)]
    if conn.execute(select(t.c.id).where(t.c.period.in_(before)).limit(1)).first() is None:
        # Nobody reported the months just before (a gap, skipped months): expect those of the last months with
        # reports, or a month after a long silence would pass on a handful of reports.
        before = list(conn.execute(select(t.c.period).where(t.c.period < month).distinct()
                                   .order_by(t.c.period.desc()).limit(EXPECTED_MONTHS)).scalars())
    latest = _latest_versions(before)
    price = p.c.weight / func.nullif(p.c.base_quantity, 0)
    values = dict(conn.execute(
        select(t.c.enterprise_code, func.sum(line.c.quantity * func.coalesce(price, 0.0)))
        .join(latest, and_(latest.c.enterprise_code == t.c.enterprise_code, latest.c.period == t.c.period,
                           latest.c.version == t.c.version))
        .join(line, line.c.report_id == t.c.id)
        .join(p, p.c.code == line.c.product_code, isouter=True)
        .group_by(t.c.enterprise_code)).all())
    if not values:
        return None, 0.0, 0.0
    reported = set(conn.execute(select(t.c.enterprise_code).where(t.c.period == month).distinct()).scalars())
    total = float(sum(v or 0.0 for v in values.values()))
    if not math.isfinite(total) or total <= 0:  # no value to weigh by (all zero): count enterprises instead
        got = sum(1 for e in values if e in reported)
        return got / len(values), float(got), float(len(values))
    got_value = float(sum(v or 0.0 for e, v in values.items() if e in reported))
    return got_value / total, got_value, total


def weighted_response(engine: Engine | object, period: str) -> float | None:
    """The response to month ``period`` by base-year value (see :func:`_weighted_response`); None when nobody
    is expected. A close below ``close_min_response`` needs force and a reason."""
    key, month = _month(period)
    with _reading(engine) as conn:
        return _weighted_response(conn, month, key)[0]


def _check_publication(conn: Connection, upto: str, publish_on: dt.date,
                       published: Mapping[str, dt.date] | None = None) -> None:
    """A compile up to ``upto`` carries every closed (or published) month up to it again: its release must not be
    dated before any of their publications, or the new vintage would show a month before its day (the embargo)."""
    dates = dict(published or {})
    for period, day in _closed_months(conn).items():
        dates[period] = max(day, dates.get(period, day))
    carried = [(day, period) for period, day in dates.items() if period <= upto]
    if not carried:
        return
    day, period = max(carried)
    if publish_on < day:
        raise ReviewError(code="publish_before_earlier", params={"day": publish_on, "period": period,
                                                                 "earliest": day}, message=
                          f"publish_on {publish_on.isoformat()} is before the publication of {period} "
                          f"({day.isoformat()}), whose figures this release carries again; choose "
                          f"{day.isoformat()} or later", earliest=day.isoformat(),
                          fix=f"choose a publication date on or after {day.isoformat()}")


def _compile_and_store(store: object, upto: str, *, status: str, publish_on: dt.date, source: str,
                       conn: Connection, months: Iterable[str]) -> ImportSummary:
    """Compile the store's reports up to ``upto`` (read on ``conn``) and store ``months`` of it as a release dated
    ``publish_on``, in ``conn``'s transaction (``upto`` carries ``status``; earlier months ``actual``, as
    ``compile_records`` sets them). The release is named after what it is ("city compile to 2026-01"), never after
    the server's temporary folder."""
    from vnindustry.compile.engine import compile_dataset
    from vnindustry.store.compiled import store_compile

    with tempfile.TemporaryDirectory(prefix=f"vnindustry-compile-{upto}-") as tmp:
        folder = write_dataset(conn, upto, Path(tmp) / f"compile-{upto}")
        result = compile_dataset(folder)
    _crash_point("compiled")
    return store_compile(store, result, source=source, status=status,  # type: ignore[arg-type]
                         released_on=publish_on, document=f"{source} compile to {upto}", periods=set(months),
                         conn=conn)


def _interrupted(conn: Connection, *, by: str, now: dt.datetime) -> list[str]:
    """Closures without a release (left by a crash of a close made before closing was one transaction, or by a
    process killed between its steps): the month is opened again — its reports were never compiled, nothing was
    published — and the audit log says so. Returns the months reopened."""
    c = MonthClosure.__table__
    stale = list(conn.execute(select(c.c.period).where(c.c.release_id.is_(None))).scalars())
    for period in stale:
        conn.execute(delete(c).where(c.c.period == period))
        _audit(conn, by=by, action="close", month=period, now=now,
               reason="an interrupted close left the month closed without its release; month reopened")
    return stale


def recover_closures(engine: Engine | object, *, by: str = "system") -> list[str]:
    """Reopen every month an interrupted close left closed without its release (see :func:`_interrupted`); call at
    start-up. Closing and revising do it themselves. Returns the months reopened."""
    with _engine(engine).begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        return _interrupted(conn, by=by, now=_now())


def _skips(skip: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> dict[str, str]:
    """Months to skip → why, each a month and a reason (audited)."""
    if skip is None:
        return {}
    items = skip.items() if isinstance(skip, Mapping) else skip
    out: dict[str, str] = {}
    for period, why in items:
        _, month = _month(period)
        out[month] = _reason(why, f"a reason for skipping {month}", "skip", month=month)
    return out


def months_to_skip(engine: Engine | object, period: str, *, source: str = "city") -> list[str]:
    """The earlier months a close of ``period`` would skip (each must be closed first or skipped with a reason):
    every month after the latest closed or published one — from the first reported month when there is none —
    up to the month before ``period``. Empty when ``period`` itself is closed, published or behind a later one."""
    key, month = _month(period)
    with _reading(engine) as conn:
        finished = set(_published_months(conn, source)) | set(_closed_months(conn))
        if any(p >= month for p in finished):
            return []
        if finished:
            first = parse_month(max(finished)) + 1  # type: ignore[operator]
        else:
            reported = _reported_months(conn, month)
            if not reported:
                return []
            first = parse_month(min(reported))  # type: ignore[assignment]
    return [month_code(k) for k in range(first, key)]  # type: ignore[arg-type]


def close_month(store: object, period: str, *, by: str, publish_on: dt.date, force: bool = False,
                reason: str = "", ratio: float | None = None, now: dt.datetime | None = None,
                source: str = "city", skip: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                today: dt.date | None = None) -> Closure:
    """Close month ``period``, compile it from the store and store the compile as an estimate released on
    ``publish_on`` — the closure, its audit and the release in **one transaction**, so a crash leaves the month
    either closed with its release or open with nothing. ``store``: a :class:`~vnindustry.store.Store` (not a
    public view). ``today``: Vietnam's date (default: now); ``skip``: earlier open months left unpublished, each
    with a reason (audited as ``skip``).

    Refused (each a :class:`ReviewError` naming the fix): :class:`PublishDatePast` (``publish_on`` before today),
    :class:`MonthNotOver` (before :func:`closable_from`), :class:`AlreadyClosed` (closed, or published by another
    release: such months count as closed), :class:`PublishedLater` (a later month is published — revise instead),
    :class:`NoReports`, :class:`OpenMonthsBefore` (earlier months neither closed nor in ``skip``),
    :class:`ReviewError` (``publish_on`` before an earlier month's publication), :class:`TreeMissing`,
    :class:`OpenItems` and :class:`LowResponse` (below ``close_min_response`` by value) unless ``force`` with a
    ``reason``; or the compile's :class:`~vnindustry.errors.InputError`.

    The release holds the closed month and, as new vintages, the earlier closed or published months — never a
    skipped month nor one nobody reported (the compile imputes through them; it does not publish them)."""
    key, month = _month(period)
    if not isinstance(publish_on, dt.date) or isinstance(publish_on, dt.datetime):
        raise ReviewError("publish_on must be a date", code="publish_on_not_date")
    today = today or _today()
    if publish_on < today:
        raise PublishDatePast(params={"day": publish_on, "today": today}, message=
                              f"publish_on {publish_on.isoformat()} is before today ({today.isoformat()}, Vietnam): "
                              "a release dated in the past would rewrite what was known on those days",
                              earliest=today.isoformat(), fix=f"choose {today.isoformat()} or a later day")
    opens = closable_from(month)
    if today < opens:
        raise MonthNotOver(params={"month": month, "opens": opens, "today": today}, message=
                           f"{month} cannot be closed before {opens.isoformat()} (today is {today.isoformat()}): "
                           "the month has not ended or its reporting window has not opened (close_opens_day)",
                           opens=opens.isoformat(), fix=f"close {month} on or after {opens.isoformat()}")
    skips = _skips(skip)
    if force:
        reason = _reason(reason, "a reason for forcing the close", "force")
    r = _ratio(ratio)
    now = _utc(now or _now())
    minimum = float(settings.get("close_min_response"))
    engine = _engine(store)
    c = MonthClosure.__table__
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # serialises with every submission (they do the same)
        # PostgreSQL: wait for the month's submissions in flight; later ones wait for this commit, then see
        # the closure. So every report of the month is committed before the closure and read by the compile.
        lock_month(conn, key, exclusive=True)
        _crash_point("locked")
        _interrupted(conn, by=by, now=now)
        done = conn.execute(select(c.c.release_id).where(c.c.period == month)).first()
        if done is not None:
            raise AlreadyClosed(f"{month} is closed already (release {done.release_id})", params={"month": month},
                                fix=f"to publish corrections, revise it: POST …/review/{month}/revise")
        published = _published_months(conn, source)
        closed = _closed_months(conn)
        if month in published:
            raise AlreadyClosed(code="already_published", params={"month": month}, message=
                                f"{month} is published already by a release of '{source}' (not by a closure); it "
                                "counts as closed",
                                fix=f"to publish corrections, revise it: POST …/review/{month}/revise")
        finished = set(published) | set(closed)
        later = sorted(p for p in finished if p > month)
        if later:
            raise PublishedLater(params={"month": month, "later": later[-1]}, message=
                                 f"{later[-1]} is published already and its release carries {month}: closing "
                                 f"{month} now would go back in time", latest=later[-1],
                                 fix=f"revise the published figures instead (POST …/review/{later[-1]}/revise "
                                     f"after correcting {month}'s reports)")
        reported = _reported_months(conn, month)
        if month not in reported:
            raise NoReports(f"nobody has reported {month}: there is nothing to close", params={"month": month},
                            fix="wait for the reports (or import them), then close")
        first = (parse_month(max(finished)) + 1) if finished else parse_month(min(reported))  # type: ignore[operator]
        between = [month_code(k) for k in range(first, key)]
        stray = sorted(set(skips) - set(between))
        if stray:
            raise ReviewError(code="skip_not_open", params={"months": stray, "month": month,
                                                            "between": ", ".join(between) or "–"}, message=
                              f"skip names {', '.join(stray)}, which {'is' if len(stray) == 1 else 'are'} not an "
                              f"open month before {month}", months=stray,
                              fix=f"skip only the open months before {month}: {', '.join(between) or 'none'}")
        missing = [p for p in between if p not in skips]
        if missing:
            raise OpenMonthsBefore(
                params={"month": month, "n": len(missing), "months": missing}, message=
                f"closing {month} would skip {len(missing)} earlier open month(s): {', '.join(missing)}",
                months=missing, fix="close them first (oldest first), or skip each with a reason "
                                    "(skip: [{\"period\": \"YYYY-MM\", \"reason\": \"…\"}])")
        _check_publication(conn, month, publish_on, published)
        if not conn.execute(select(RegisterIndustry.id).limit(1)).first():
            raise TreeMissing("the store has no industry tree: load it with import_tree (the dataset folder's "
                              "industries.csv) before closing a month", fix="vnindustry import-dataset the folder")
        open_items = [x for x in _queue(conn, month, key, r) if x.status == "open"]
        if open_items and not force:
            names = ", ".join(f"{x.enterprise}/{x.product}" for x in open_items[:50])
            more = f" and {len(open_items) - 50} more" if len(open_items) > 50 else ""
            raise OpenItems(params={"n": len(open_items), "month": month, "names": names + more}, message=
                            f"{len(open_items)} open item(s) in the review queue of {month}: {names}{more}; accept "
                            "or correct them, or close with force and a reason",
                            items=[{"enterprise": x.enterprise, "product": x.product} for x in open_items],
                            fix="accept or correct each item, or close with force and a reason")
        rate, _, _ = _weighted_response(conn, month, key)
        low = rate is not None and minimum > 0 and rate < minimum
        if low and not force:
            raise LowResponse(params={"month": month, "rate": rate, "minimum": minimum}, message=
                              f"the response to {month} is {rate:.1%} by base-year value, below the "
                              f"{minimum:.0%} required (close_min_response)", rate=rate, minimum=minimum,
                              fix="follow up the missing enterprises (the response page lists them), or close "
                                  "with force and a reason")
        conn.execute(insert(c).values(period=month, closed_at=now, closed_by=by, release_id=None,
                                      publish_on=publish_on))
        note = f"publish on {publish_on.isoformat()}"
        if rate is not None:
            note += f"; response {rate:.1%} by value"
        if open_items:
            note += f"; forced with {len(open_items)} open item(s)"
        if low:
            note += f"; forced below the {minimum:.0%} response"
        if open_items or low:
            note += f": {reason}"
        if skips:
            note += f"; skipped {', '.join(sorted(skips))}"
        _audit(conn, by=by, action="close", month=month, reason=note, now=now)
        for skipped, why in sorted(skips.items()):
            _audit(conn, by=by, action="skip", month=skipped, now=now,
                   reason=f"skipped by the close of {month} (not published): {why}")
        _crash_point("closure")
        months = ({month} | {p for p in finished if p < month}) & reported  # never a month nobody reported
        summary = _compile_and_store(store, month, status="estimate", publish_on=publish_on, source=source,
                                     conn=conn, months=months)
        _crash_point("stored")
        conn.execute(update(c).where(c.c.period == month).values(release_id=summary.release_id))
        _crash_point("commit")
    return Closure(month, now, by, summary.release_id, publish_on, bool(open_items or low), len(open_items))


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
        if not conn.execute(select(RegisterIndustry.id).limit(1)).first():
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


__all__ = [
    "AlreadyClosed", "AlreadyDecided", "AuditRow", "Closure", "Correction", "FollowUp", "InputError", "LowResponse",
    "MonthNotOver", "NoReports", "NotClosed", "NotInQueue", "OpenItems", "OpenMonthsBefore", "PublishDatePast",
    "PublishedLater", "QueueItem", "RateRow", "Response", "ResponseGroup", "ReviewError", "Revision", "TreeMissing",
    "accept", "audit_log", "closable_from", "close_month", "closed_checker", "closure", "correct", "import_tree",
    "is_closed", "months_to_skip", "queue", "recover_closures", "response", "response_rates", "revise_month",
    "weighted_response", "write_dataset",
]
