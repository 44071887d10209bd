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
- **Closing** (:func:`close_month`): refused when the month is closed already (:class:`AlreadyClosed`) or
  when open queue items remain (:class:`OpenItems`, naming them) unless forced with a reason (logged). The
  closure is committed first — from then on :func:`is_closed` is true and ``submit_report(closed=…)``
  refuses changes — then the store's latest report versions up to M are written as a dataset folder
  (docs/dataset-format.md) in a temporary directory, compiled (:func:`vnindustry.compile.compile_dataset`)
  and stored as a release (``store_compile``, status ``estimate``, ``released_on`` = the publication date);
  the closure records the release. If the compile fails the closure is removed again (nothing half-done).
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
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.periods import month_code, parse_month
from vnindustry.portal.reports import HISTORY_MONTHS, MAX_COMMENT, _lock, _reference
from vnindustry.sources.dataset import load_dataset
from vnindustry.store.locks import lock_month
from vnindustry.store.models import (
    AuditEntry,
    Enterprise,
    MonthClosure,
    Product,
    RegisterGroup,
    RegisterIndustry,
    Report,
    ReportLine,
)
from vnindustry.store.register import report_checksum
from vnindustry.store.repository import ImportSummary

EXPECTED_MONTHS = 3  # an enterprise is expected in M when it reported any of the 3 months before M
AUDIT_ACTIONS = ("accept", "correct", "close", "revise")  # revise: a closed month's line, or the whole month
CORRECTIONS = ("correct", "revise")  # audit actions that changed a value (revise: in a closed month)
MAX_REASON = 2_000
NOT_REGISTERED = ""  # the industry or district key of enterprises the register gives none


class ReviewError(Exception):
    """A reviewing action refused; ``status`` is the HTTP status a route answers with."""

    status = 422

    def __init__(self, message: str, **extra: object) -> None:
        super().__init__(message)
        self.extra = extra


class NotInQueue(ReviewError):
    status = 404


class AlreadyClosed(ReviewError):
    status = 409


class AlreadyDecided(ReviewError):
    status = 409


class OpenItems(ReviewError):
    """Open queue items remain: ``items`` lists them (enterprise, product)."""

    status = 409


class TreeMissing(ReviewError):
    status = 409


class NotClosed(ReviewError):
    """Revising a month that is still open (close it first)."""

    status = 409


def _engine(target: Engine | object) -> Engine:
    return getattr(target, "engine", target)  # type: ignore[return-value]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _month(period: str) -> tuple[int, str]:
    key = parse_month(str(period))
    if key is None:
        raise ReviewError(f"'{period}' is not a month (use YYYY-MM)")
    return key, month_code(key)


def _reason(text: object, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ReviewError(f"{what} is required: say why")
    if len(text) > MAX_REASON:
        raise ReviewError(f"{what} is longer than {MAX_REASON} characters")
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
    raise NotInQueue(f"{enterprise}/{product} is not in the review queue of {month}")


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
    note = _reason(note, "a note")
    r = _ratio(ratio)
    now = _utc(now or _now())

    def work(conn: Connection) -> QueueItem:
        lock_month(conn, key)  # the closed check holds until commit (a closure waits)
        if _closed(conn, month):
            raise AlreadyClosed(f"{month} is closed")
        item = _item(conn, month, key, enterprise, product, r)
        if item.status == "accepted":
            raise AlreadyDecided(f"{enterprise}/{product} of {month} is already accepted (by {item.decided_by})")
        _audit(conn, by=by, action="accept", month=month, enterprise=enterprise, product=product,
               old=item.quantity, new=item.quantity, reason=note, now=now)
        return _item(conn, month, key, enterprise, product, r)

    return _write(_engine(engine), enterprise, work)  # type: ignore[return-value]


def _quantity(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ReviewError(f"the quantity must be a number, not {value!r}")
    q = float(value)
    if not math.isfinite(q) or q < 0:
        raise ReviewError(f"the quantity must be a finite number ≥ 0, not {value!r}")
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
                raise NotInQueue(f"{enterprise} has no line {product} in its report of {month}: a revision corrects "
                                 "a reported value (check the enterprise and product codes)")
            old = float(current.quantity)
        else:
            old = _item(conn, month, key, enterprise, product, r).quantity
        assert latest is not None  # a queued item comes from a report
        lines = [dict(product_code=x.product_code, quantity=x.quantity, comment=x.comment or "")
                 for x in conn.execute(select(line.c.product_code, line.c.quantity, line.c.comment)
                                       .where(line.c.report_id == latest.id))]
        if q == old:
            keep = "nothing to revise" if closed else "to keep it, accept it"
            raise ReviewError(f"{enterprise}/{product} of {month} is {q:g} already; {keep}")
        for x in lines:
            if x["product_code"] == product:
                x["quantity"] = q
                x["comment"] = f"corrected by {by}: {reason}"[:MAX_COMMENT]
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


def write_dataset(engine: Engine | object, period: str, folder: str | Path) -> Path:
    """Write the store's register and latest report versions up to ``period`` as a dataset folder."""
    _, month = _month(period)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    ind, grp, p, e = (RegisterIndustry.__table__, RegisterGroup.__table__, Product.__table__,
                      Enterprise.__table__)
    t, line = Report.__table__, ReportLine.__table__
    with _engine(engine).connect() as conn:
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


def _check_publication(conn: Connection, upto: str, publish_on: dt.date) -> None:
    """A compile up to ``upto`` carries every closed month up to it again: its release must not be dated before
    any of their publications, or the new vintage would show a month before its day (the embargo)."""
    c = MonthClosure.__table__
    row = conn.execute(select(c.c.period, c.c.publish_on).where(c.c.period <= upto)
                       .order_by(c.c.publish_on.desc(), c.c.period.desc()).limit(1)).first()
    if row is not None and publish_on < row.publish_on:
        raise ReviewError(f"publish_on {publish_on.isoformat()} is before the publication of {row.period} "
                          f"({row.publish_on.isoformat()}), whose figures this release carries again; choose "
                          f"{row.publish_on.isoformat()} or later", earliest=row.publish_on.isoformat())


def _compile_and_store(store: object, upto: str, *, status: str, publish_on: dt.date, source: str) -> ImportSummary:
    """Compile the store's reports up to ``upto`` and store the result as a release dated ``publish_on``
    (``upto`` carries ``status``; earlier months ``actual``, as ``compile_records`` sets them)."""
    from vnindustry.compile.engine import compile_dataset
    from vnindustry.store.compiled import store_compile

    with tempfile.TemporaryDirectory(prefix=f"vnindustry-compile-{upto}-") as tmp:
        folder = write_dataset(_engine(store), upto, Path(tmp) / f"compile-{upto}")
        result = compile_dataset(folder)
        return store_compile(store, result, source=source, status=status,  # type: ignore[arg-type]
                             released_on=publish_on)


def close_month(store: object, period: str, *, by: str, publish_on: dt.date, force: bool = False,
                reason: str = "", ratio: float | None = None, now: dt.datetime | None = None,
                source: str = "city") -> Closure:
    """Close month ``period``, compile it from the store and store the compile as an estimate released on
    ``publish_on`` (see the module docstring). ``store``: a :class:`~vnindustry.store.Store` (not a public
    view). Raises :class:`AlreadyClosed`, :class:`OpenItems` (unless ``force`` with a ``reason``),
    :class:`TreeMissing`, :class:`ReviewError` (``publish_on`` before an earlier month's publication), or the
    compile's :class:`~vnindustry.errors.InputError`."""
    key, month = _month(period)
    if not isinstance(publish_on, dt.date) or isinstance(publish_on, dt.datetime):
        raise ReviewError("publish_on must be a date")
    if force:
        reason = _reason(reason, "a reason for closing with open items")
    r = _ratio(ratio)
    now = _utc(now or _now())
    engine = _engine(store)
    c = MonthClosure.__table__
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # serialises with every submission (they do the same)
        # PostgreSQL: wait for the month's submissions in flight; later ones wait for this commit, then see
        # the closure. So every report of the month is committed before the closure and read by the compile.
        lock_month(conn, key, exclusive=True)
        if _closed(conn, month):
            raise AlreadyClosed(f"{month} is closed already")
        _check_publication(conn, month, publish_on)
        if not conn.execute(select(RegisterIndustry.id).limit(1)).first():
            raise TreeMissing("the store has no industry tree: load it with import_tree (the dataset folder's "
                              "industries.csv) before closing a month")
        open_items = [x for x in _queue(conn, month, key, r) if x.status == "open"]
        if open_items and not force:
            names = ", ".join(f"{x.enterprise}/{x.product}" for x in open_items[:50])
            more = f" and {len(open_items) - 50} more" if len(open_items) > 50 else ""
            raise OpenItems(f"{len(open_items)} open item(s) in the review queue of {month}: {names}{more}; accept "
                            "or correct them, or close with force and a reason",
                            items=[{"enterprise": x.enterprise, "product": x.product} for x in open_items])
        try:
            conn.execute(insert(c).values(period=month, closed_at=now, closed_by=by, release_id=None,
                                          publish_on=publish_on))
        except IntegrityError:
            raise AlreadyClosed(f"{month} is closed already") from None
        note = f"publish on {publish_on.isoformat()}"
        if open_items:
            note += f"; forced with {len(open_items)} open item(s): {reason}"
        _audit(conn, by=by, action="close", month=month, reason=note, now=now)
    try:
        summary = _compile_and_store(store, month, status="estimate", publish_on=publish_on, source=source)
    except BaseException:
        with engine.begin() as conn:  # the month is open again: nothing half-done
            conn.execute(delete(c).where(c.c.period == month))
            _audit(conn, by=by, action="close", month=month, reason="closing failed (compile); month reopened",
                   now=_now())
        raise
    with engine.begin() as conn:
        conn.execute(update(c).where(c.c.period == month).values(release_id=summary.release_id))
    return Closure(month, now, by, summary.release_id, publish_on, bool(open_items), len(open_items))


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
                 now: dt.datetime | None = None, source: str = "city") -> Revision:
    """Recompile closed month ``period`` from the store's reports (with the statisticians' revisions since its
    closing) and store a new vintage released on ``publish_on``, closing nothing new; the earlier vintages stay
    (``as_of``, ``vintage="first"``). The compile runs up to the latest closed month, so the later closed months'
    comparisons with ``period`` stay consistent; months still open are left out. Status: ``preliminary`` (sơ bộ)
    when ``period`` is the latest closed month, else that month stays ``estimate`` and ``period`` is ``actual``.
    Raises :class:`NotClosed`, :class:`ReviewError` (no reason, or ``publish_on`` before the publication of a
    month the release carries), :class:`TreeMissing` or the compile's :class:`~vnindustry.errors.InputError`."""
    _, month = _month(period)
    if not isinstance(publish_on, dt.date) or isinstance(publish_on, dt.datetime):
        raise ReviewError("publish_on must be a date")
    reason = _reason(reason, "a reason for the revision")
    now = _utc(now or _now())
    engine = _engine(store)
    c = MonthClosure.__table__
    with engine.connect() as conn:
        if not _closed(conn, month):
            raise NotClosed(f"{month} is not closed: close it (POST …/{month}/close) — an open month needs no "
                            "revision, its reports can still be corrected")
        upto = conn.execute(select(func.max(c.c.period))).scalar_one()
        _check_publication(conn, upto, publish_on)
    status = "preliminary" if upto == month else "estimate"
    summary = _compile_and_store(store, upto, status=status, publish_on=publish_on, source=source)
    with engine.begin() as conn:
        what = "new release" if summary.created else "no change since release"
        _audit(conn, by=by, action="revise", month=month, now=now,
               reason=f"{reason} ({what} {summary.release_id}, months to {upto}, publish on {publish_on.isoformat()})")
    return Revision(month, upto, summary.release_id, summary.created, status, publish_on, by, now, reason)


__all__ = [
    "AlreadyClosed", "AlreadyDecided", "AuditRow", "Closure", "Correction", "FollowUp", "InputError", "NotClosed",
    "NotInQueue", "OpenItems", "QueueItem", "RateRow", "Response", "ResponseGroup", "ReviewError", "Revision",
    "TreeMissing", "accept", "audit_log", "close_month", "closed_checker", "closure", "correct", "import_tree",
    "is_closed", "queue", "response", "response_rates", "revise_month", "write_dataset",
]
