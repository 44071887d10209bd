"""A compiled city IIP (vnindustry.compile) as tidy records, so it is stored like any publication."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Collection

import numpy as np
import pandas as pd
from sqlalchemy import Connection, insert, select

from vnindustry.compile.disclosure import cell_id, disclosure_pattern
from vnindustry.compile.engine import CompileResult, csv_bytes
from vnindustry.store.records import RECORD_COLUMNS, SERIES_COLUMNS
from vnindustry.store.repository import ImportSummary, Store
from vnindustry.store.tables import RELEASES, SERIES, SUPPRESSIONS

INDEX_UNIT = "chỉ số (gốc = 100)"

# Compile columns → store measures. Changes are stored as changes (−3,25), unrounded, under the
# pct_change_* names; GSO's printed index-style figures (96,75) use pct_* (docs/architecture.md, "The store").
_IIP_MEASURES = {
    "index": "level",
    "mom_pct": "pct_change_prev_month",
    "yoy_pct": "pct_change_same_month_last_year",
    "ytd_pct": "pct_change_ytd_last_year",
    "contribution_pp": "contribution_pp",
    "imputed_share": "imputed_share",
    "enterprises": "enterprises",
    "dominant_share": "dominant_share",
}
_PRODUCT_MEASURES = {
    "quantity": "level",
    "index": "index",
    "mom_pct": "pct_change_prev_month",
    "yoy_pct": "pct_change_same_month_last_year",
    "ytd_pct": "pct_change_ytd_last_year",
    "enterprises": "enterprises",
    "dominant_share": "dominant_share",
}
# Who backs a cell: stored for the statisticians, never public (store/disclosure.py).
_INTERNAL_UNITS = {"enterprises": "doanh nghiệp", "dominant_share": "tỷ lệ (0–1)"}


def _long(frame: pd.DataFrame, table: str, measures: dict[str, str], unit: pd.Series, last: str,
          status: str, file: str, place: dict[str, pd.Series]) -> pd.DataFrame:
    parts = []
    for column, measure in measures.items():
        parts.append(pd.DataFrame({
            "table": table, "series": frame["name_vi"], "code": frame["code"].astype(str), "unit": unit,
            "period": frame["period"], "measure": measure, "value": frame[column].astype(float),
            "status": np.where(frame["period"] == last, status, "actual"),
            "sheet": file, "cell": "", **place,
        }))
    out = pd.concat(parts, ignore_index=True)
    return out[out["value"].notna()][[*RECORD_COLUMNS, *SERIES_COLUMNS]]


def compile_records(result: CompileResult, *, status: str = "estimate", document: str | None = None,
                    periods: Collection[str] | None = None) -> pd.DataFrame:
    """Tidy records of a compile: the IIP table (table ``iip``) and product indices (``products``).

    The latest month carries ``status`` (an estimate until the month is closed); earlier months are
    ``actual``. Units: the IIP level is an index (base = 100); product levels are quantities. ``document``
    names the source in each record's provenance (default: the dataset folder's path); ``periods``, when
    given, keeps only those months (a closing publishes the closed months, never a month it merely computed
    through, such as one nobody reported).
    """
    file = str(result.dataset.path) if document is None else document
    last = str(result.table["period"].max())
    iip_unit = pd.Series(INDEX_UNIT, index=result.table.index)
    t = result.table
    iip = _long(t, "iip", _IIP_MEASURES, iip_unit, last, status, file,
                {"kind": t["kind"], "level": t["level"], "parent": t["parent"]})
    p = result.products
    products = _long(p, "products", _PRODUCT_MEASURES, p["unit"], last, status, file,
                     {"kind": pd.Series("item", index=p.index), "level": pd.Series(pd.NA, index=p.index, dtype="Int64"),
                      "parent": p["industry"]})
    # The product table's index measure is not a quantity: give it the index unit.
    products.loc[products["measure"] == "index", "unit"] = INDEX_UNIT
    out = pd.concat([iip, products], ignore_index=True)
    for measure, unit in _INTERNAL_UNITS.items():
        out.loc[out["measure"] == measure, "unit"] = unit
    if periods is not None:
        out = out[out["period"].isin(set(periods))].reset_index(drop=True)
    return out


def _cells(result: CompileResult, source: str) -> list[tuple[str, str, str]]:
    """(series key, period, reason) of every suppressed cell of a compile."""
    out = []
    for table, frame in (("iip", result.table), ("products", result.products)):
        hit = frame[frame["suppression"] != ""]
        out += [(f"{source}/{table}/{c}", str(p), r) for c, p, r in zip(
            hit["code"].astype(str).tolist(), hit["period"].tolist(), hit["suppression"].tolist(), strict=True)]
    return out


def _suppressed_cells(store: Store, conn: Connection | None) -> list[tuple[str, str]]:
    """(series key, period) of every stored confidential cell, read on ``conn`` when given (inside the caller's
    transaction: no second pooled connection while it holds its locks)."""
    if conn is None:
        earlier = store.suppressions()
        return list(zip(earlier["key"].tolist(), earlier["period"].tolist(), strict=True))
    return [(k, p) for k, p in conn.execute(select(SERIES.c.key, SUPPRESSIONS.c.period)
                                            .join(SERIES, SERIES.c.id == SUPPRESSIONS.c.series_id))]


def _source_is_synthetic(store: Store, source: str, conn: Connection | None) -> bool:
    """Whether ``source`` already holds a synthetic release (read on ``conn`` when given, as above)."""
    stmt = select(RELEASES.c.id).where(RELEASES.c.source == source, RELEASES.c.synthetic.is_(True)).limit(1)
    if conn is not None:
        return conn.execute(stmt).first() is not None
    with store.engine.connect() as own:
        return own.execute(stmt).first() is not None


def _keep_suppressed(store: Store, result: CompileResult, source: str,
                     conn: Connection | None = None) -> CompileResult:
    """The compile with its suppression pattern redone so that every cell suppressed by an earlier release
    stays suppressed (a revision never reveals a once-confidential figure)."""
    forced: dict[str, set[str]] = {}
    for key, period in _suppressed_cells(store, conn):
        src, table, code = key.split("/", 2)
        if src != source or table not in ("iip", "products"):
            continue
        forced.setdefault(period, set()).add(cell_id("product" if table == "products" else "node", code))
    if not forced:
        return result
    table, products = result.table.copy(), result.products.copy()
    spec = result.spec
    table["suppression"], products["suppression"] = disclosure_pattern(
        result.dataset, table, products, min_count=spec.min_enterprises, max_dominance=spec.max_dominance,
        forced=forced)
    return dataclasses.replace(result, table=table, products=products)


def store_compile(store: Store, result: CompileResult, *, source: str = "city", status: str = "estimate",
                  released_on: dt.date | None = None, document: str | None = None,
                  periods: Collection[str] | None = None, conn: Connection | None = None) -> ImportSummary:
    """Store a compile as a release of ``source``; the same figures stored twice make one release.

    The release's confidential cells (the compile's suppression pattern, extended so that what an earlier
    release suppressed stays suppressed) go into the suppressions table in the same transaction.
    ``document``: the release's file and provenance (a name such as "city compile to 2026-01", never a server's
    temporary path); ``periods``: only these months are stored (see :func:`compile_records`); ``conn``: write
    inside the caller's open transaction (e.g. a month's closure with its release: one commit). The release is
    synthetic when the dataset is (docs/dataset-format.md, "SYNTHETIC") or ``source`` already holds a synthetic
    release.
    """
    # Synthetic (issue 13) when the dataset folder declares it (its SYNTHETIC marker), or when the source already
    # holds synthetic figures: a month closed through the portal on the demo's register continues the demo, and
    # one source never mixes generated and reported months unmarked.
    synthetic = result.dataset.synthetic or _source_is_synthetic(store, source, conn)
    result = _keep_suppressed(store, result, source, conn)
    records = compile_records(result, status=status, document=document, periods=periods)
    if records.empty:
        raise ValueError("the compile has no figures for the months to store")
    kept = None if periods is None else set(periods)
    cells = [c for c in _cells(result, source) if kept is None or c[1] in kept]

    def suppressions(conn: Connection, release_id: int) -> None:
        keys = sorted({k for k, _, _ in cells})
        ids: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            ids.update(dict(conn.execute(select(SERIES.c.key, SERIES.c.id).where(
                SERIES.c.key.in_(keys[start:start + 500]))).all()))
        have = set(conn.execute(select(SUPPRESSIONS.c.series_id, SUPPRESSIONS.c.period).where(
            SUPPRESSIONS.c.series_id.in_(list(ids.values())))).all()) if ids else set()
        rows = [{"series_id": ids[k], "period": p, "reason": r, "release_id": release_id}
                for k, p, r in cells if (ids[k], p) not in have]
        if rows:
            conn.execute(insert(SUPPRESSIONS), rows)

    digest = hashlib.sha256()
    digest.update(csv_bytes(result.table))
    digest.update(csv_bytes(result.products))
    digest.update(status.encode())
    names_en = {f"{source}/iip/{c}": n for c, n in zip(result.table["code"], result.table["name_en"], strict=True)}
    if kept is not None:  # the same compile stored for other months is another release
        digest.update(("\n".join(sorted(kept))).encode())
    return store.import_records(
        records, source=source, file=str(result.dataset.path) if document is None else document,
        checksum=digest.hexdigest(), released_on=released_on or dt.date.today(),
        reference_period=str(records["period"].max()), note=f"compiled with {result.spec.as_dict()}",
        names_en=names_en, also=suppressions, conn=conn,
        synthetic=synthetic,
    )
