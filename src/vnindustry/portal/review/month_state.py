"""Which months are closed, published or reported, and when a month may be closed.

:func:`is_closed` and :func:`closure` read the month's closure (submissions are refused from then on);
:func:`_closed_months` the closures with their release, :func:`_published_months` the months a release of the
source carries (such as the demo's history: they count as closed), :func:`_reported_months` the months with a
report; :func:`closable_from` says the first day a month may be closed (setting ``close_opens_day``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select

from vnindustry import settings
from vnindustry.periods import month_code, parse_month
from vnindustry.portal.review.clock import _utc
from vnindustry.portal.review.reading import _engine
from vnindustry.portal.review.refusals import _month
from vnindustry.store.tables import MONTH_CLOSURES, OBSERVATIONS, RELEASES, REPORTS, SERIES


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
    return conn.execute(select(MONTH_CLOSURES.c.id).where(MONTH_CLOSURES.c.period == month)).first() is not None


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
    c = MONTH_CLOSURES
    with _engine(engine).connect() as conn:
        m = conn.execute(select(c).where(c.c.period == month)).first()
    if m is None:
        return None
    return Closure(m.period, _utc(m.closed_at), m.closed_by, m.release_id, m.publish_on)


def closable_from(period: str) -> dt.date:
    """The first day month ``period`` may be closed: day ``close_opens_day`` of the next month (its reporting
    window has opened; 1 = as soon as the month has ended). Days past the 28th count as the 28th."""
    key, _ = _month(period)
    nxt = key + 1
    day = min(max(int(settings.get("close_opens_day")), 1), 28)
    return dt.date(nxt // 12, nxt % 12 + 1, day)


def _published_months(conn: Connection, source: str) -> dict[str, dt.date]:
    """Month → the date of its first publication, for every month a release of ``source`` carries (its IIP total:
    closures' releases and any other, such as the demo's history). Such months count as closed."""
    s, o, rel = SERIES, OBSERVATIONS, RELEASES
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
    c = MONTH_CLOSURES.c
    return dict(conn.execute(select(c.period, c.publish_on).where(c.release_id.is_not(None))).all())


def _reported_months(conn: Connection, upto: str) -> set[str]:
    t = REPORTS.c
    return set(conn.execute(select(t.period).where(t.period <= upto).distinct()).scalars())
