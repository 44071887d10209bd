"""Seasonal adjustment of stored series, stored back as series of their own.

For a series ``gso/exports/TOTAL`` the results are ``gso/exports/TOTAL~calendar_adjusted`` (Tết and
working-day effects removed, seasonality kept), ``~seasonally_adjusted`` and ``~trend``, each a release
of the original's source; the frozen X-13 spec of every series is kept with the release
(``adjustment_specs``) and re-used next month until the annual review re-estimates it.

Adjusted series are published, so they are computed from the public view (issue 12): :func:`level_series`
never reads a confidential value (withheld in that view; a series is adjusted over its run of public months),
and reads embargoed releases only from a view without the embargo (``store.public_view(embargo=False)``, the
office's preview). :func:`store_adjustments` records the releases the series were read from as the lineage of
each adjusted release, which is therefore dated no earlier than the latest of them: an adjustment that used a
month stored for a later publication day is published on that day, not before. The public view withholds an
adjusted value of a confidential (series, period) by rule as well (store/disclosure.py, ``base_key``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Connection, insert, select

from vnindustry.analysis.seasonal import Adjustment, AdjustSpec, tet_usable
from vnindustry.store.models import AdjustmentSpec
from vnindustry.store.records import RECORD_COLUMNS, SERIES_COLUMNS
from vnindustry.store.repository import ImportSummary, Store, today_in_vietnam

SEPARATOR = "~"
#: The measure holding the Tết factor (X-13 table A7) on a usable calendar-adjusted series.
TET_FACTOR = "tet_factor"
ADJUSTED = {
    "calendar_adjusted": ("loại trừ yếu tố Tết và ngày làm việc", "Tet and working-day adjusted"),
    "seasonally_adjusted": ("đã điều chỉnh mùa vụ", "seasonally adjusted"),
    "trend": ("xu thế", "trend"),
}


def tet_rate_usable(rows: pd.DataFrame, code: str) -> bool:
    """Whether row ``code``'s stored Tết adjustment may be quoted ("Loại trừ yếu tố Tết, …"): its
    calendar-adjusted series carries the Tết factor (measure ``tet_factor``) for the period of ``rows``,
    stored only when X-13 separated a significant Tết effect (:func:`~vnindustry.analysis.seasonal.tet_usable`).

    Args:
        rows: one period's rows in the wide form (``analysis.indicators.wide``: a ``code`` column and one
            column per measure), e.g. a bulletin's ``TableView.rows``.
        code: the original row's code.
    """
    if TET_FACTOR not in rows.columns or "code" not in rows.columns:
        return False
    factor = pd.to_numeric(rows.loc[rows["code"] == adjusted_key(code, "calendar_adjusted"), TET_FACTOR],
                           errors="coerce")
    return bool(factor.notna().any())


def adjusted_key(key: str, kind: str) -> str:
    """The key of an adjusted version of a series: ``source/table/code~kind``."""
    return f"{key}{SEPARATOR}{kind}"


def level_series(store: Store, *, source: str | None = None, keys: list[str] | None = None,
                 min_months: int = 36) -> tuple[dict[str, pd.Series], pd.DataFrame]:
    """Monthly ``level`` series (latest vintage) long enough to adjust: the longest unbroken run of months
    ending at the series' last month, at least ``min_months`` long. Also returns the observations used.

    Read through the public view of ``store`` (confidential values withheld, so never adjusted; the embargo
    as ``store`` has it: ``store.public_view()`` for what is published today)."""
    if not store.public:
        store = store.public_view(embargo=store.embargo)
    frame = store.observations(source=source, keys=keys, measure="level")
    if frame.empty:
        return {}, frame
    frame = frame[~frame["key"].str.contains(SEPARATOR, regex=False)
                  & frame["period"].str.fullmatch(r"\d{4}-\d{2}")]
    out: dict[str, pd.Series] = {}
    for key, rows in frame.groupby("key", sort=True):
        values = rows.dropna(subset=["value"])
        series = pd.Series(values["value"].to_numpy(dtype=float),
                           index=pd.PeriodIndex(values["period"], freq="M")).sort_index()
        gaps = (series.index[1:] - series.index[:-1]) != series.index.freq
        start = int(gaps.nonzero()[0][-1]) + 1 if gaps.any() else 0
        series = series.iloc[start:]
        if len(series) >= min_months:
            out[str(key)] = series
    return out, frame


def latest_specs(store: Store, keys: list[str]) -> dict[str, AdjustSpec]:
    """The most recent frozen spec of each series that has one."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(AdjustmentSpec.series_key, AdjustmentSpec.spec)
                            .where(AdjustmentSpec.series_key.in_(keys)).order_by(AdjustmentSpec.id)).all()
    return {key: AdjustSpec.from_json(text) for key, text in rows}


def store_adjustments(store: Store, results: Mapping[str, Adjustment], observations: pd.DataFrame, *,
                      released_on: dt.date | None = None) -> list[ImportSummary]:
    """Store calendar-adjusted, seasonally adjusted and trend series, one release per source.

    ``observations``: what :func:`level_series` read. Each release records the releases its series' values
    came from (lineage) and is dated on ``released_on`` (default: today in Vietnam) or on the latest of them
    when that is later."""
    meta = observations.drop_duplicates("key").set_index("key")
    status = observations.set_index(["key", "period"])["status"]
    by_source: dict[str, list[pd.DataFrame]] = {}
    specs: dict[str, dict[str, str]] = {}
    for key, adj in results.items():
        m = meta.loc[key]
        source = str(m["source"])
        frame = adj.to_frame()
        periods = frame["period"].astype(str)
        st = [status.get((key, p), "actual") for p in periods]
        for kind, (vi, en) in ADJUSTED.items():
            by_source.setdefault(source, []).append(pd.DataFrame({
                "table": m["table"], "series": f"{m['name_vi']} ({vi})", "code": f"{m['code']}{SEPARATOR}{kind}",
                "unit": m["unit"], "period": periods, "measure": "level", "value": frame[kind].astype(float),
                "status": st, "sheet": f"X-13ARIMA-SEATS ({kind})", "cell": "",
                "kind": "adjusted", "level": pd.array([pd.NA] * len(frame), dtype="Int64"), "parent": m["code"],
                "name_en_": f"{m['name_en'] or m['name_vi']} ({en})",
            }))
        if tet_usable(adj):
            # The Tết factor travels with the calendar-adjusted series: its presence is the mark that the
            # series' Tết adjustment is usable (tet_rate_usable); a series whose Tết effect X-13 could not
            # separate has none, and no Tết-adjusted rate is printed for it.
            by_source[source].append(pd.DataFrame({
                "table": m["table"], "series": f"{m['name_vi']} ({ADJUSTED['calendar_adjusted'][0]})",
                "code": f"{m['code']}{SEPARATOR}calendar_adjusted", "unit": m["unit"], "period": periods,
                "measure": TET_FACTOR, "value": frame["tet_factor"].astype(float), "status": st,
                "sheet": "X-13ARIMA-SEATS (tet_factor)", "cell": "", "kind": "adjusted",
                "level": pd.array([pd.NA] * len(frame), dtype="Int64"), "parent": m["code"],
                "name_en_": f"{m['name_en'] or m['name_vi']} ({ADJUSTED['calendar_adjusted'][1]})",
            }))
        if adj.spec is not None:
            specs.setdefault(source, {})[key] = adj.spec.to_json()
    read = observations[observations["value"].notna()]
    summaries = []
    for source, parts in by_source.items():
        keys = [k for k in results if str(meta.loc[k, "source"]) == source]
        inputs = sorted({int(r) for r in read.loc[read["key"].isin(keys), "release_id"].unique()})
        records = pd.concat(parts, ignore_index=True)
        records = records[records["value"].notna()]
        names_en = {f"{source}/{t}/{c}": n for t, c, n in
                    zip(records["table"], records["code"], records["name_en_"], strict=True)}
        records = records[[*RECORD_COLUMNS, *SERIES_COLUMNS]]
        source_specs = specs.get(source, {})
        digest = hashlib.sha256(records.to_csv(index=False).encode("utf-8"))
        digest.update(json.dumps(source_specs, sort_keys=True).encode("utf-8"))

        def save_specs(conn: Connection, release_id: int, source_specs: dict[str, str] = source_specs) -> None:
            now = dt.datetime.now(dt.UTC)
            if source_specs:
                conn.execute(insert(AdjustmentSpec), [
                    {"series_key": k, "spec": v, "created_at": now, "release_id": release_id}
                    for k, v in source_specs.items()])

        summaries.append(store.import_records(
            records, source=source, file="X-13ARIMA-SEATS adjustment", checksum=digest.hexdigest(),
            released_on=released_on or today_in_vietnam(), names_en=names_en, also=save_specs,
            note=f"seasonal adjustment of {len(source_specs)} series", inputs=inputs,
        ))
    return summaries
