"""Writing the store's register and latest report versions up to a month as a dataset folder
(docs/dataset-format.md), which a close or a revision compiles (:func:`write_dataset`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, select

from vnindustry.portal.review.reading import _latest_versions, _reading
from vnindustry.portal.review.refusals import TreeMissing, _month
from vnindustry.store.tables import ENTERPRISES, INDUSTRIES, INDUSTRY_GROUPS, PRODUCTS, REPORT_LINES, REPORTS


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
    ind, grp, p, e = (INDUSTRIES, INDUSTRY_GROUPS, PRODUCTS,
                      ENTERPRISES)
    t, line = REPORTS, REPORT_LINES
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
