"""The register (enterprises, products, who reports what) and the monthly reports, for the collection portal.

:func:`import_dataset` loads a dataset folder (docs/dataset-format.md) into the store in one transaction:
enterprises and products are upserted (the register is updated in place), every (enterprise, month) of the
production table becomes a report of source ``import``. Reports are never changed: a report whose content
differs from what is stored becomes a new version (the old ones kept); the same content again — same
:func:`report_checksum` — stores nothing, so importing a folder twice is a no-op.

:class:`Register` is the reading side the portal needs: an enterprise, its products, a report (latest
version by default) and a product's recent history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, Engine, and_, bindparam, func, insert, select, text, update

from vnindustry.errors import InputError
from vnindustry.periods import MONTH_FORMAT_HELP, month_code, parse_month
from vnindustry.sources.dataset import Dataset, load_dataset
from vnindustry.sources.production import Panel, read_panel
from vnindustry.store.locks import lock_month, month_closed
from vnindustry.store.tables import ENTERPRISE_PRODUCTS, ENTERPRISES, PRODUCTS, REPORT_LINES, REPORTS

REPORT_SOURCES = ("import", "portal", "excel")
# Imported history has been through the statistics office already; portal submissions start as "submitted".
REPORT_STATUSES = ("submitted", "accepted")

_REPORT_CHUNK = 5_000  # reports per INSERT … RETURNING batch (their lines follow in the same step)
_ROW_CHUNK = 20_000  # rows per executemany


def report_checksum(lines: Iterable[tuple[str, float, str]]) -> str:
    """sha256 of a report's normalized content: its ``(product, quantity, comment)`` lines sorted by product,
    quantities as floats (``1`` and ``1.0`` are the same), comments stripped. Same content → same checksum,
    whichever order or spelling the lines came in; the portal must use this function too."""
    normalized = sorted((str(p).strip(), float(q) + 0.0, (c or "").strip()) for p, q, c in lines)
    text = "\n".join(f"{p}\t{q!r}\t{c}" for p, q, c in normalized)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DatasetImportSummary:
    """What :func:`import_dataset` did. ``lines`` counts the report lines stored by this import."""

    folder: str
    enterprises_new: int
    enterprises_updated: int
    products_new: int
    products_updated: int
    enterprise_products_new: int
    reports_new: int
    reports_unchanged: int
    reports_revised: int
    lines: int
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.enterprises_new or self.enterprises_updated or self.products_new or self.products_updated
                    or self.enterprise_products_new or self.reports_new or self.reports_revised)


@dataclass(frozen=True)
class _PendingReport:
    enterprise: str
    period: str
    checksum: str
    lines: list[tuple[str, float]]  # (product, quantity)


def _reports_from_panel(ds: Dataset, panel: Panel) -> list[_PendingReport]:
    """One report per (enterprise, month) with at least one production row, lines sorted by product."""
    mask = ~np.isnan(panel.values)
    t_idx, pair_idx = np.nonzero(mask)
    ent_idx = panel.pair_enterprise[pair_idx]
    # Pairs are numbered in (enterprise, product) order, so sorting by (enterprise, month, pair) groups each
    # report's lines together, in product order.
    order = np.lexsort((pair_idx, t_idx, ent_idx))
    t_idx, pair_idx, ent_idx = t_idx[order], pair_idx[order], ent_idx[order]
    quantities = panel.values[t_idx, pair_idx].tolist()
    products = [p.code for p in ds.products]
    line_products = [products[i] for i in panel.pair_product[pair_idx].tolist()]
    starts = np.flatnonzero(np.concatenate(([True], (ent_idx[1:] != ent_idx[:-1]) | (t_idx[1:] != t_idx[:-1]))))
    bounds = [*starts.tolist(), len(t_idx)]
    t_list, e_list = t_idx.tolist(), ent_idx.tolist()
    periods = panel.periods
    out = []
    for a, b in itertools.pairwise(bounds):
        lines = list(zip(line_products[a:b], quantities[a:b], strict=True))
        out.append(_PendingReport(panel.enterprise_codes[e_list[a]], periods[t_list[a]],
                                  report_checksum((p, q, "") for p, q in lines), lines))
    return out


def _pairs_from_panel(ds: Dataset, panel: Panel) -> dict[tuple[str, str], tuple[str, str]]:
    """(enterprise, product) → (first, last) month with a production row."""
    mask = ~np.isnan(panel.values)
    n_months = mask.shape[0]
    first = np.argmax(mask, axis=0)
    last = n_months - 1 - np.argmax(mask[::-1], axis=0)
    periods = panel.periods
    products = [p.code for p in ds.products]
    return {(panel.enterprise_codes[e], products[p]): (periods[f], periods[la])
            for e, p, f, la in zip(panel.pair_enterprise.tolist(), panel.pair_product.tolist(),
                                   first.tolist(), last.tolist(), strict=True)}


def _chunks(rows: Sequence, size: int) -> Iterable[Sequence]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _executemany(conn: Connection, statement, rows: Sequence[dict]) -> None:  # type: ignore[no-untyped-def]
    for chunk in _chunks(rows, _ROW_CHUNK):
        conn.execute(statement, list(chunk))


def _upsert_enterprises(conn: Connection, ds: Dataset, panel: Panel) -> tuple[int, int]:
    table = ENTERPRISES
    existing = {r.code: (r.name, r.industry, r.district, r.ownership)
                for r in conn.execute(select(table.c.code, table.c.name, table.c.industry, table.c.district,
                                             table.c.ownership))}
    if ds.enterprises is not None:
        given = {code: (e.name, e.industry, e.district, e.ownership) for code, e in ds.enterprises.items()}
    else:  # no register in the folder: the enterprises are known by their codes only
        given = {code: ("", "", "", "") for code in panel.enterprise_codes if code not in existing}
    new = [dict(code=c, name=v[0], industry=v[1], district=v[2], ownership=v[3])
           for c, v in given.items() if c not in existing]
    changed = [dict(b_code=c, name=v[0], industry=v[1], district=v[2], ownership=v[3])
               for c, v in given.items() if c in existing and existing[c] != v]
    _executemany(conn, insert(table), new)
    if changed:
        _executemany(conn, update(table).where(table.c.code == bindparam("b_code")), changed)
    return len(new), len(changed)


def _upsert_products(conn: Connection, ds: Dataset) -> tuple[int, int]:
    table = PRODUCTS
    existing = {r.code: (r.industry, r.name_vi, r.unit, r.weight, r.base_quantity)
                for r in conn.execute(select(table.c.code, table.c.industry, table.c.name_vi, table.c.unit,
                                             table.c.weight, table.c.base_quantity))}
    given = {p.code: (p.industry, p.name_vi, p.unit, p.weight, p.base_quantity) for p in ds.products}
    names = ("industry", "name_vi", "unit", "weight", "base_quantity")
    new = [dict(code=c, **dict(zip(names, v, strict=True))) for c, v in given.items() if c not in existing]
    changed = [dict(b_code=c, **dict(zip(names, v, strict=True)))
               for c, v in given.items() if c in existing and existing[c] != v]
    _executemany(conn, insert(table), new)
    if changed:
        _executemany(conn, update(table).where(table.c.code == bindparam("b_code")), changed)
    return len(new), len(changed)


def _upsert_enterprise_products(conn: Connection, pairs: dict[tuple[str, str], tuple[str, str]]) -> int:
    table = ENTERPRISE_PRODUCTS
    existing = {(r.enterprise_code, r.product_code): (r.first_period, r.last_period)
                for r in conn.execute(select(table.c.enterprise_code, table.c.product_code, table.c.first_period,
                                             table.c.last_period))}
    new, widened = [], []
    for (e, p), (first, last) in pairs.items():
        if (e, p) not in existing:
            new.append(dict(enterprise_code=e, product_code=p, first_period=first, last_period=last))
            continue
        old_first, old_last = existing[(e, p)]
        if first < old_first or last > old_last:
            widened.append(dict(b_e=e, b_p=p, first_period=min(first, old_first), last_period=max(last, old_last)))
    _executemany(conn, insert(table), new)
    if widened:
        _executemany(conn, update(table).where(and_(table.c.enterprise_code == bindparam("b_e"),
                                                    table.c.product_code == bindparam("b_p"))), widened)
    return len(new)


def _stored_reports(conn: Connection) -> dict[tuple[str, str], tuple[int, str, str | None]]:
    """(enterprise, period) → (latest version, its checksum, checksum of the latest imported version)."""
    out: dict[tuple[str, str], tuple[int, str, str | None]] = {}
    imported: dict[tuple[str, str], tuple[int, str]] = {}
    t = REPORTS.c
    for e, p, v, source, checksum in conn.execute(select(t.enterprise_code, t.period, t.version, t.source,
                                                         t.checksum)):
        if (e, p) not in out or v > out[(e, p)][0]:
            out[(e, p)] = (v, checksum, None)
        if source == "import" and ((e, p) not in imported or v > imported[(e, p)][0]):
            imported[(e, p)] = (v, checksum)
    return {k: (v, c, imported[k][1] if k in imported else None) for k, (v, c, _) in out.items()}


_REPORT_COLUMNS = ("id", "enterprise_code", "period", "version", "submitted_at", "submitted_by", "source",
                   "checksum", "status")
_LINE_COLUMNS = ("report_id", "product_code", "quantity", "comment")


def _is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """PostgreSQL COPY … FROM STDIN inside the connection's transaction (psycopg 3): ~10× executemany."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


def _insert_reports(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert report rows; their ids in the same order."""
    t = REPORTS
    if _is_postgres(conn):
        # Ids drawn from the table's own sequence (safe beside concurrent writers), then one COPY.
        ids = list(conn.execute(text("SELECT nextval(pg_get_serial_sequence('reports', 'id')) "
                                     "FROM generate_series(1, :n)"), {"n": len(rows)}).scalars())
        _copy_rows(conn, "reports", _REPORT_COLUMNS,
                   ([i, *(r[c] for c in _REPORT_COLUMNS[1:])] for i, r in zip(ids, rows, strict=True)))
        return ids
    result = conn.execute(insert(t).returning(t.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


def _insert_lines(conn: Connection, rows: list[dict]) -> None:
    if _is_postgres(conn):
        _copy_rows(conn, "report_lines", _LINE_COLUMNS, ([r[c] for c in _LINE_COLUMNS] for r in rows))
        return
    _executemany(conn, insert(REPORT_LINES), rows)


def import_dataset(
    target: Engine | object,
    folder: str | Path,
    *,
    submitted_by: str = "import",
    progress: Callable[[int, int], None] | None = None,
) -> DatasetImportSummary:
    """Load the dataset ``folder`` into the store (``target``: a :class:`~vnindustry.store.Store` or an engine).

    The folder is read and checked first (``load_dataset`` and ``read_panel``: every error names the file,
    line and column); then one transaction writes the register and the reports — a failure leaves nothing.
    Each (enterprise, month) is compared with what is stored: unchanged (its checksum equals the latest
    version's, or the latest imported version's — so a re-import does not undo a later portal correction),
    revised (a new version), or new (version 1). A month that disappeared from the folder is left as stored.

    A closed month (the portal's ``month_closures``) is not changed by an import: a new or revised report of a
    closed month stops the whole import (:class:`~vnindustry.errors.InputError`, nothing written) — its figures
    are published, and a late or corrected report goes through a statistician's audited correction. The import
    takes each written month's lock (:mod:`vnindustry.store.locks`), so it cannot interleave with a closing.
    """
    started = time.perf_counter()
    engine: Engine = getattr(target, "engine", target)  # type: ignore[assignment]
    ds = load_dataset(folder)
    panel = read_panel(ds)
    pending = _reports_from_panel(ds, panel)
    pairs = _pairs_from_panel(ds, panel)
    now = dt.datetime.now(dt.UTC)
    new = revised = unchanged = lines = 0
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # serialises with the portal's writers and closings
        enterprises_new, enterprises_updated = _upsert_enterprises(conn, ds, panel)
        products_new, products_updated = _upsert_products(conn, ds)
        pairs_new = _upsert_enterprise_products(conn, pairs)
        stored = _stored_reports(conn)
        to_store: list[tuple[_PendingReport, int]] = []
        for rep in pending:
            known = stored.get((rep.enterprise, rep.period))
            if known is None:
                to_store.append((rep, 1))
                new += 1
            elif rep.checksum in (known[1], known[2]):
                unchanged += 1
            else:
                to_store.append((rep, known[0] + 1))
                revised += 1
        _refuse_closed_months(conn, folder, to_store)
        for done, chunk in enumerate(_chunks(to_store, _REPORT_CHUNK), start=1):
            ids = _insert_reports(conn, [
                dict(enterprise_code=rep.enterprise, period=rep.period, version=version, submitted_at=now,
                     submitted_by=submitted_by, source="import", checksum=rep.checksum, status="accepted")
                for rep, version in chunk])
            line_rows = [dict(report_id=rid, product_code=p, quantity=q, comment="")
                         for rid, (rep, _) in zip(ids, chunk, strict=True) for p, q in rep.lines]
            _insert_lines(conn, line_rows)
            lines += len(line_rows)
            if progress is not None:
                progress(done * _REPORT_CHUNK if done * _REPORT_CHUNK < len(to_store) else len(to_store),
                         len(to_store))
    return DatasetImportSummary(str(folder), enterprises_new, enterprises_updated, products_new, products_updated,
                                pairs_new, new, unchanged, revised, lines, time.perf_counter() - started)


def _refuse_closed_months(conn: Connection, folder: str | Path, to_store: Sequence[tuple[_PendingReport, int]]
                          ) -> None:
    months = sorted({rep.period for rep, _ in to_store})
    for month in months:  # in one order, as every writer: no deadlock between two imports
        lock_month(conn, parse_month(month))  # type: ignore[arg-type]
    closed = [m for m in months if month_closed(conn, m)]
    if not closed:
        return
    hits = [(rep.enterprise, rep.period) for rep, _ in to_store if rep.period in set(closed)]
    shown = ", ".join(f"{e} {p}" for e, p in hits[:10]) + (f" and {len(hits) - 10} more" if len(hits) > 10 else "")
    raise InputError(
        f"{len(hits)} report(s) of closed month(s) {', '.join(closed)} differ from the store ({shown}); a closed "
        "month's figures are published and are not changed by an import — nothing was imported",
        file=Path(folder) / "production.csv",
        fix="leave the closed months out of production.csv (or as they were), and enter late or corrected "
            "reports of a closed month as a statistician's correction in the portal (audited, then revise)")


def store_products(target: Engine | object, folder: str | Path) -> tuple[int, int]:
    """Load only the products of dataset ``folder``'s register (code, industry, unit, base-year value and
    quantity) into the store; returns (new, updated). For a store that holds a compile without the reports
    (the demo), so that key-product criteria can use the base-year production values."""
    engine: Engine = getattr(target, "engine", target)  # type: ignore[assignment]
    ds = load_dataset(folder)
    with engine.begin() as conn:
        return _upsert_products(conn, ds)


# -- reading ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EnterpriseInfo:
    code: str
    name: str
    industry: str
    district: str
    ownership: str


@dataclass(frozen=True)
class ProductInfo:
    """A product an enterprise reports, with the first and last month it reported it."""

    code: str
    industry: str
    name_vi: str
    unit: str
    weight: float
    base_quantity: float
    first_period: str
    last_period: str


@dataclass(frozen=True)
class ReportLineInfo:
    product: str
    quantity: float
    comment: str


@dataclass(frozen=True)
class ReportInfo:
    """One version of a report; ``latest_version`` says whether a newer one exists."""

    id: int
    enterprise: str
    period: str
    version: int
    latest_version: int
    submitted_at: dt.datetime
    submitted_by: str
    source: str
    checksum: str
    status: str
    lines: tuple[ReportLineInfo, ...]


def _month(period: str) -> str:
    key = parse_month(period)
    if key is None:
        raise InputError(f"malformed period '{period}'", fix=MONTH_FORMAT_HELP)
    return month_code(key)


class Register:
    """Reading the register and the reports (the portal's view of an enterprise)."""

    def __init__(self, target: Engine | object) -> None:
        self.engine: Engine = getattr(target, "engine", target)  # type: ignore[assignment]

    @classmethod
    def open(cls, url: str | None = None) -> Register:
        """The register of the store at ``url`` (opened and migrated; default: the ``db`` setting)."""
        from vnindustry.store.repository import open_store

        return cls(open_store(url).engine)

    def enterprise(self, code: str) -> EnterpriseInfo | None:
        t = ENTERPRISES.c
        with self.engine.connect() as conn:
            row = conn.execute(select(t.code, t.name, t.industry, t.district, t.ownership)
                               .where(t.code == code)).first()
        return None if row is None else EnterpriseInfo(*row)

    def products_of(self, enterprise: str) -> list[ProductInfo]:
        """The products the enterprise has reported, by product code."""
        p, ep = PRODUCTS, ENTERPRISE_PRODUCTS
        query = (select(p.c.code, p.c.industry, p.c.name_vi, p.c.unit, p.c.weight, p.c.base_quantity,
                        ep.c.first_period, ep.c.last_period)
                 .join(ep, ep.c.product_code == p.c.code)
                 .where(ep.c.enterprise_code == enterprise).order_by(p.c.code))
        with self.engine.connect() as conn:
            return [ProductInfo(*row) for row in conn.execute(query)]

    def versions(self, enterprise: str, period: str) -> list[int]:
        t = REPORTS.c
        with self.engine.connect() as conn:
            return list(conn.execute(select(t.version).where(t.enterprise_code == enterprise,
                                                               t.period == _month(period))
                                     .order_by(t.version)).scalars())

    def report(self, enterprise: str, period: str, version: int | None = None) -> ReportInfo | None:
        """The report of ``enterprise`` for ``period`` (``YYYY-MM``): the latest version, or ``version``."""
        t, line = REPORTS.c, REPORT_LINES.c
        month = _month(period)
        with self.engine.connect() as conn:
            latest = conn.execute(select(func.max(t.version)).where(t.enterprise_code == enterprise,
                                                                      t.period == month)).scalar()
            if latest is None:
                return None
            row = conn.execute(select(t.id, t.enterprise_code, t.period, t.version, t.submitted_at,
                                      t.submitted_by, t.source, t.checksum, t.status)
                               .where(t.enterprise_code == enterprise, t.period == month,
                                      t.version == (latest if version is None else version))).first()
            if row is None:
                return None
            lines = tuple(ReportLineInfo(*r) for r in conn.execute(
                select(line.product_code, line.quantity, line.comment)
                .where(line.report_id == row.id).order_by(line.product_code)))
        return ReportInfo(row.id, row.enterprise_code, row.period, row.version, latest, row.submitted_at,
                          row.submitted_by, row.source, row.checksum, row.status, lines)

    def history(self, enterprise: str, product: str, last_n: int = 13, *, before: str | None = None
                ) -> list[tuple[str, float]]:
        """``(period, quantity)`` of the product in the enterprise's latest report versions, the last
        ``last_n`` months that have it (oldest first); only months before ``before`` when given (the form for
        month M shows ``history(e, p, before=M)``: last month's and last year's figures)."""
        t, line = REPORTS, REPORT_LINES
        latest = (select(t.c.period, func.max(t.c.version).label("version"))
                  .where(t.c.enterprise_code == enterprise).group_by(t.c.period))
        if before is not None:
            latest = latest.where(t.c.period < _month(before))
        latest_sq = latest.subquery()
        query = (select(t.c.period, line.c.quantity)
                 .join(latest_sq, and_(latest_sq.c.period == t.c.period, latest_sq.c.version == t.c.version))
                 .join(line, line.c.report_id == t.c.id)
                 .where(t.c.enterprise_code == enterprise, line.c.product_code == product)
                 .order_by(t.c.period.desc()).limit(last_n))
        with self.engine.connect() as conn:
            rows = [(r[0], r[1]) for r in conn.execute(query)]
        return rows[::-1]
