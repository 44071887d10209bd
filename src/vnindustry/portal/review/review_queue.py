"""The review queue of a month (:func:`queue`): the lines of its latest report versions whose value is unusual
by the portal's unit-slip rule against the enterprise's history, each open, accepted or corrected by the latest
decision in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, func, select

from vnindustry import settings
from vnindustry.periods import month_code, parse_month
from vnindustry.portal.reports import HISTORY_MONTHS, _reference
from vnindustry.portal.review.audit import CORRECTIONS
from vnindustry.portal.review.clock import _utc
from vnindustry.portal.review.reading import _engine, _latest_versions
from vnindustry.portal.review.refusals import NotInQueue, _month
from vnindustry.store.tables import AUDIT_LOG, ENTERPRISES, PRODUCTS, REPORT_LINES, REPORTS


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
    t, line = REPORTS, REPORT_LINES
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
    a = AUDIT_LOG
    out = {}
    for row in conn.execute(select(a).where(a.c.period == month, a.c.action.in_(("accept", *CORRECTIONS)),
                                            a.c.product_code.is_not(None)).order_by(a.c.id)).mappings():
        out[(row["enterprise_code"], row["product_code"])] = row
    return out


def _queue(conn: Connection, month: str, key: int, ratio: float) -> list[QueueItem]:
    t, line, e, p = REPORTS, REPORT_LINES, ENTERPRISES, PRODUCTS
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
    """The review queue of month ``period``, by enterprise and product (see the package docstring,
    :mod:`vnindustry.portal.review`)."""
    key, month = _month(period)
    with _engine(engine).connect() as conn:
        return _queue(conn, month, key, _ratio(ratio))


def _item(conn: Connection, month: str, key: int, enterprise: str, product: str, ratio: float) -> QueueItem:
    for item in _queue(conn, month, key, ratio):
        if item.enterprise == enterprise and item.product == product:
            return item
    raise NotInQueue(f"{enterprise}/{product} is not in the review queue of {month}",
                     params={"enterprise": enterprise, "product": product, "month": month})
