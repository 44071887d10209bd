"""A compiled city IIP (vnindustry.compile) as tidy records, so it is stored like any publication."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from vnindustry.compile.engine import CompileResult, csv_bytes
from vnindustry.store.records import RECORD_COLUMNS, SERIES_COLUMNS
from vnindustry.store.repository import ImportSummary, Store

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
}
_PRODUCT_MEASURES = {
    "quantity": "level",
    "index": "index",
    "mom_pct": "pct_change_prev_month",
    "yoy_pct": "pct_change_same_month_last_year",
    "ytd_pct": "pct_change_ytd_last_year",
}


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


def compile_records(result: CompileResult, *, status: str = "estimate") -> pd.DataFrame:
    """Tidy records of a compile: the IIP table (table ``iip``) and product indices (``products``).

    The latest month carries ``status`` (an estimate until the month is closed); earlier months are
    ``actual``. Units: the IIP level is an index (base = 100); product levels are quantities.
    """
    file = str(result.dataset.path)
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
    return pd.concat([iip, products], ignore_index=True)


def store_compile(store: Store, result: CompileResult, *, source: str = "city", status: str = "estimate",
                  released_on: dt.date | None = None) -> ImportSummary:
    """Store a compile as a release of ``source``; the same figures stored twice make one release."""
    records = compile_records(result, status=status)
    digest = hashlib.sha256()
    digest.update(csv_bytes(result.table))
    digest.update(csv_bytes(result.products))
    digest.update(status.encode())
    names_en = {f"{source}/iip/{c}": n for c, n in zip(result.table["code"], result.table["name_en"], strict=True)}
    return store.import_records(
        records, source=source, file=str(result.dataset.path), checksum=digest.hexdigest(),
        released_on=released_on or dt.date.today(), reference_period=str(result.table["period"].max()),
        note=f"compiled with {result.spec.as_dict()}", names_en=names_en,
    )
