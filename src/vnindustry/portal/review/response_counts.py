"""The response to a month (:func:`response`, :func:`response_rates`): the enterprises expected (a report in
any of the :data:`EXPECTED_MONTHS` before), those that responded, by industry and by district, the follow-up list;
and the response by base-year value (:func:`weighted_response`) that a close needs above ``close_min_response``."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, and_, func, select

from vnindustry.periods import month_code
from vnindustry.portal.review.reading import _engine, _latest_versions, _reading
from vnindustry.portal.review.refusals import _month
from vnindustry.store.tables import ENTERPRISES, PRODUCTS, REPORT_LINES, REPORTS

EXPECTED_MONTHS = 3  # an enterprise is expected in M when it reported any of the 3 months before M
NOT_REGISTERED = ""  # the industry or district key of enterprises the register gives none


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
    """The response to month ``period`` (see the package docstring, :mod:`vnindustry.portal.review`)."""
    key, month = _month(period)
    before = [month_code(key - i) for i in range(1, EXPECTED_MONTHS + 1)]
    t, e = REPORTS.c, ENTERPRISES.c
    with _engine(engine).connect() as conn:
        expected = set(conn.execute(select(t.enterprise_code).where(t.period.in_(before)).distinct()).scalars())
        reported = set(conn.execute(select(t.enterprise_code).where(t.period == month).distinct()).scalars())
        register = {r.code: r for r in conn.execute(select(e.code, e.name, e.industry, e.district))}
        missing = sorted(expected - reported)
        last: dict[str, str] = {}
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            last.update(dict(conn.execute(select(t.enterprise_code, func.max(t.period))
                                          .where(t.enterprise_code.in_(chunk), t.period < month)
                                          .group_by(t.enterprise_code)).all()))
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
    t = REPORTS.c
    first = month_code(keys[0] - EXPECTED_MONTHS)
    by_month: dict[str, set[str]] = {}
    with _engine(engine).connect() as conn:
        for code, period in conn.execute(select(t.enterprise_code, t.period).distinct()
                                         .where(t.period >= first, t.period <= month_code(keys[-1]))):
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


def _weighted_response(conn: Connection, month: str, key: int) -> tuple[float | None, float, float]:
    """The month's response by value: (rate, value reported, value expected). An expected enterprise (one that
    reported any of the :data:`EXPECTED_MONTHS` before) weighs its production over those months at base-year
    prices — each product's base-year value over its base quantity (the register's ``weight`` and
    ``base_quantity``) — so a missing steelworks counts for more than a missing bakery. When nobody reported those
    months, the last :data:`EXPECTED_MONTHS` months with reports stand in. None: no report before the month."""
    t, line, p = REPORTS, REPORT_LINES, PRODUCTS
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
