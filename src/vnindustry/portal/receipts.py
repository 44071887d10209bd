"""Reading back what an enterprise has reported: its months, and any stored version as a receipt.

The receipt is what lets an enterprise tell, after a lost connection or a crash, whether its report was
stored: the version, the time, the checksum of the content (the same as the submission's receipt) and every
line as stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from vnindustry.store.tables import ENTERPRISES, PRODUCTS, REPORT_LINES, REPORTS


@dataclass(frozen=True)
class MonthReport:
    """The latest version of one month's report."""

    period: str
    version: int
    versions: int  # how many versions the month has (the latest is ``version``)
    status: str
    source: str
    submitted_at: dt.datetime
    submitted_by: str


@dataclass(frozen=True)
class ReceiptLine:
    product: str
    name: str
    unit: str
    quantity: float
    comment: str


@dataclass(frozen=True)
class StoredReport:
    """One stored version of a report, with its lines (ordered by product code)."""

    enterprise: str
    enterprise_name: str
    period: str
    version: int
    latest_version: int
    status: str
    source: str
    submitted_at: dt.datetime
    submitted_by: str
    checksum: str
    lines: tuple[ReceiptLine, ...]


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _eng(target: Engine | Any) -> Engine:
    return getattr(target, "engine", target)  # type: ignore[no-any-return]


def enterprise_name(engine: Engine | Any, enterprise: str) -> str | None:
    """The enterprise's name in the register; None when it is not there."""
    e = ENTERPRISES.c
    with _eng(engine).connect() as conn:
        row = conn.execute(select(e.name).where(e.code == enterprise)).first()
    return None if row is None else (row.name or enterprise)


def reports_of(engine: Engine | Any, enterprise: str) -> list[MonthReport]:
    """Every month ``enterprise`` has reported: the latest version of each, newest month first."""
    r = REPORTS.c
    latest = (select(r.period, func.max(r.version).label("version"), func.count().label("versions"))
              .where(r.enterprise_code == enterprise).group_by(r.period).subquery())
    stmt = (select(r.period, r.version, latest.c.versions, r.status, r.source, r.submitted_at,
                   r.submitted_by)
            .join(latest, (r.period == latest.c.period) & (r.version == latest.c.version))
            .where(r.enterprise_code == enterprise).order_by(r.period.desc()))
    with _eng(engine).connect() as conn:
        return [MonthReport(row.period, row.version, row.versions, row.status, row.source, _utc(row.submitted_at),
                            row.submitted_by) for row in conn.execute(stmt)]


def stored_report(engine: Engine | Any, enterprise: str, period: str, version: int | None = None
                  ) -> StoredReport | None:
    """Version ``version`` (default: the latest) of the month's report as stored; None when there is none."""
    r, line, p, e = REPORTS, REPORT_LINES, PRODUCTS, ENTERPRISES
    with _eng(engine).connect() as conn:
        latest = conn.execute(select(func.max(r.c.version)).where(
            r.c.enterprise_code == enterprise, r.c.period == period)).scalar()
        if latest is None:
            return None
        wanted = latest if version is None else version
        head = conn.execute(select(r).where(r.c.enterprise_code == enterprise, r.c.period == period,
                                            r.c.version == wanted)).first()
        if head is None:
            return None
        name = conn.execute(select(e.c.name).where(e.c.code == enterprise)).scalar() or enterprise
        rows = conn.execute(
            select(line.c.product_code, p.c.name_vi, p.c.unit, line.c.quantity, line.c.comment)
            .join(p, p.c.code == line.c.product_code, isouter=True)
            .where(line.c.report_id == head.id).order_by(line.c.product_code)).all()
    lines = tuple(ReceiptLine(code, pname or code, unit or "", float(q), comment or "")
                  for code, pname, unit, q, comment in rows)
    return StoredReport(enterprise, name, period, head.version, latest, head.status, head.source,
                        _utc(head.submitted_at), head.submitted_by, head.checksum, lines)
