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

import csv
import datetime as dt
import hashlib
import io
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress, pairwise, repeat
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, exists, insert, select

from vnindustry.analysis.seasonal import Adjustment, AdjustSpec, tet_usable
from vnindustry.store.records import RECORD_COLUMNS, SERIES_COLUMNS
from vnindustry.store.repository import ImportSummary, Store, today_in_vietnam
from vnindustry.store.tables import ADJUSTMENT_SPECS, OBSERVATIONS, RELEASES, SERIES

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
    as ``store`` has it: ``store.public_view()`` for what is published today). Only the series that are not
    themselves adjusted are read (their keys have no ``~``): the adjusted ones would triple the rows."""
    series: dict[str, pd.Series] = {}
    frames: list[pd.DataFrame] = []
    for part, frame, _ in level_series_chunks(store, source=source, keys=keys, min_months=min_months):
        series.update(part)
        frames.append(frame)
    filled = [f for f in frames if not f.empty]
    if not filled:
        public = store if store.public else store.public_view(embargo=store.embargo)
        return {}, frames[0] if frames else public.observations(source=source, keys=[], measure="level")
    return series, filled[0] if len(filled) == 1 else pd.concat(filled, ignore_index=True)


#: Series per read of the store (the keys go into the query; the first series start while the next are read).
KEYS_PER_READ = 100
#: Series in the first read: X-13 waits for it with one core idle (a read of 100 took 0.08 s), and two batches of
#: eight keep both cores busy until the next read is in.
FIRST_READ = 16


def level_series_chunks(store: Store, *, source: str | None = None, keys: list[str] | None = None,
                        min_months: int = 36, keys_per_read: int = KEYS_PER_READ,
                        first_read: int = FIRST_READ) -> Iterator[tuple[dict[str, pd.Series], pd.DataFrame, int]]:
    """:func:`level_series` a few keys at a time (sorted; ``keys`` default: :func:`original_keys`): yields
    each read's series, its observations and how many keys it read — so that adjusting can start while the
    store is still being read. The first read is of ``first_read`` keys (at most), the others of
    ``keys_per_read``. The chunks together are what :func:`level_series` returns."""
    if not store.public:
        store = store.public_view(embargo=store.embargo)
    keys = original_keys(store, source) if keys is None else sorted(set(keys))
    first = max(1, min(first_read, keys_per_read))
    bounds = [0, *range(first, len(keys), keys_per_read), len(keys)] if keys else []
    for lo, hi in pairwise(bounds):
        chunk = keys[lo:hi]
        series, frame = _split(store.observations(source=source, keys=chunk, measure="level"), min_months)
        yield series, frame, len(chunk)


def _split(frame: pd.DataFrame, min_months: int) -> tuple[dict[str, pd.Series], pd.DataFrame]:
    """Observations (sorted by key and period, as ``Store.observations`` gives them) → the series long enough
    to adjust, and the monthly observations of series that are not adjusted versions of others."""
    if frame.empty:
        return {}, frame
    frame = frame[~frame["key"].str.contains(SEPARATOR, regex=False)
                  & frame["period"].str.fullmatch(r"\d{4}-\d{2}")]
    # Rows come sorted by key and period, one per (key, period) (the latest vintage): each series is a
    # slice of the rows with a value, its months as period ordinals (months since 1970-01).
    values = frame.dropna(subset=["value"])
    key_of = values["key"].to_numpy(dtype=object)
    ordinals = np.array([(int(p[:4]) - 1970) * 12 + int(p[5:]) - 1 for p in values["period"].tolist()],
                        dtype=np.int64)
    numbers = values["value"].to_numpy(dtype=float)
    out: dict[str, pd.Series] = {}
    bounds = np.flatnonzero(key_of[1:] != key_of[:-1]) + 1 if len(key_of) else np.array([], dtype=np.int64)
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), len(key_of)], strict=True):
        if hi <= lo:
            continue
        months = ordinals[lo:hi]
        order = np.argsort(months, kind="stable")
        months = months[order]
        gaps = np.flatnonzero(np.diff(months) != 1)
        start = int(gaps[-1]) + 1 if len(gaps) else 0
        if len(months) - start >= min_months:
            index = pd.PeriodIndex.from_ordinals(months[start:], freq="M", name="period")
            out[str(key_of[lo])] = pd.Series(numbers[lo:hi][order][start:], index=index)
    return out, frame


def original_keys(store: Store, source: str | None = None) -> list[str]:
    """The keys of the stored series with ``level`` figures that are not adjusted versions of others (no
    ``~``), sorted: the series :func:`level_series` may adjust (those too short or withheld aside)."""
    levels = exists().where(OBSERVATIONS.c.series_id == SERIES.c.id, OBSERVATIONS.c.measure == "level")
    stmt = select(SERIES.c.key).where(SERIES.c.key.not_like(f"%{SEPARATOR}%"), levels)
    if source is not None:
        stmt = stmt.where(SERIES.c.source == source)
    with store.engine.connect() as conn:
        return sorted(conn.execute(stmt).scalars().all())


def latest_specs(store: Store, keys: list[str]) -> dict[str, AdjustSpec]:
    """The most recent frozen spec of each series that has one."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(ADJUSTMENT_SPECS.c.series_key, ADJUSTMENT_SPECS.c.spec)
                            .where(ADJUSTMENT_SPECS.c.series_key.in_(keys)).order_by(ADJUSTMENT_SPECS.c.id)).all()
    return {key: AdjustSpec.from_json(text) for key, text in rows}


@dataclass(frozen=True, eq=False)
class _Segment:
    """The records of one adjusted series (or Tết factor): per-series fields once, per-month columns."""

    fields: dict[str, object]  # table, series, code, unit, measure, sheet, cell, kind, parent
    periods: tuple[str, ...]
    status: list[object]
    value: np.ndarray
    name_en: str

    @cached_property
    def csv(self) -> str:
        """The segment's rows of the records' CSV, as pandas' ``to_csv`` writes them — Python's csv module
        quoting each field (QUOTE_MINIMAL), the values as numpy's ``astype(str)``, missing values empty —
        a row per month with a value ("" when none has)."""
        keep = ~np.isnan(self.value)
        if not keep.any():
            return ""
        f = self.fields
        head = _csv_row((f["table"], f["series"], f["code"], f["unit"])) + ","
        middle = "," + _csv_row((f["measure"],)) + ","
        tail = "," + _csv_row((f["sheet"], f["cell"], f["kind"], "", f["parent"])) + "\n"
        status = {v: _csv_row((v,)) for v in set(self.status)}
        kept = keep.tolist()
        # Python's repr of a float is numpy's str of a float64 (both the shortest text that reads back as the
        # same number, in the same notation). Each row's seven pieces joined by map/zip, a loop in C: the
        # Python loop of concatenations was the most of adjust --all's Python beside X-13 (~0.4 s).
        rows = zip(repeat(head), compress(self.periods, kept), repeat(middle),
                   map(float.__repr__, self.value[keep].tolist()), repeat(","),
                   map(status.__getitem__, compress(self.status, kept)), repeat(tail))
        return "".join(map("".join, rows))


@dataclass(frozen=True, eq=False)
class AdjustedRelease:
    """What :func:`store_adjustments` stores for one source: the series' records, their English names, the
    frozen specs (JSON) and the releases the series were read from (lineage)."""

    source: str
    segments: list[_Segment]
    specs: dict[str, str]
    inputs: list[int]

    @property
    def names_en(self) -> dict[str, str]:
        """``source/table/code`` → English name, for each series with at least one value."""
        return {f"{self.source}/{s.fields['table']}/{s.fields['code']}": s.name_en for s in self.segments
                if (~np.isnan(s.value)).any()}

    def records(self) -> pd.DataFrame:
        """The records (RECORD_COLUMNS and SERIES_COLUMNS), one row per month with a value."""
        c: dict[str, list[object]] = {name: [] for name in (*_FIELDS, "period", "status")}
        for s in self.segments:
            n = len(s.periods)
            for name in _FIELDS:
                c[name].extend([s.fields[name]] * n)
            c["period"].extend(s.periods)
            c["status"].extend(s.status)
        value = np.concatenate([s.value for s in self.segments]) if self.segments else np.zeros(0)
        frame = pd.DataFrame({**c, "value": value, "level": pd.array([pd.NA] * len(value), dtype="Int64")})
        return frame.loc[~np.isnan(value), [*RECORD_COLUMNS, *SERIES_COLUMNS]].reset_index(drop=True)

    def checksum(self) -> str:
        """sha256 of ``records().to_csv(index=False)`` followed by the specs as sorted JSON: the release's
        checksum, by which a run that changes nothing stores nothing.

        The CSV text is written series by series (``_Segment.csv``, as pandas writes it), without building
        the frame (tests/test_issue16_adjust.py checks it against ``to_csv``)."""
        digest = hashlib.sha256((",".join((*RECORD_COLUMNS, *SERIES_COLUMNS)) + "\n").encode("utf-8"))
        for segment in self.segments:
            digest.update(segment.csv.encode("utf-8"))
        digest.update(json.dumps(self.specs, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()


_FIELDS = ("table", "series", "code", "unit", "measure", "sheet", "cell", "kind", "parent")


def _consecutive(months: pd.PeriodIndex) -> bool:
    """Whether ``months`` are consecutive (as ``seas`` requires of a series), first to last."""
    ordinals = months.asi8
    return len(ordinals) > 0 and bool((np.diff(ordinals) == 1).all())


@lru_cache(maxsize=256)
def _month_texts(first: int, length: int) -> tuple[str, ...]:
    """The texts of ``length`` consecutive months from period ordinal ``first`` ("2025-01"), as
    ``PeriodIndex.astype(str)`` writes them — cached: the city's 540 series have a dozen spans, and each
    series' conversion through pandas' string array cost more than its records."""
    return tuple(pd.period_range(pd.Period(ordinal=first, freq="M"), periods=length, freq="M").astype(str).tolist())


def _csv_row(values: tuple[object, ...]) -> str:
    """Fields as pandas' ``to_csv`` writes them: missing values empty, the rest quoted where needed. Texts alone
    are cached (a series' segments share their measure, statuses and most of their last fields); a number is
    not, as 1 and 1.0 would share a cache entry."""
    if all(type(v) is str for v in values):
        return _csv_texts(values)
    return _csv_texts.__wrapped__(values)


@lru_cache(maxsize=4096)
def _csv_texts(values: tuple[object, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        ["" if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values])
    return buffer.getvalue()[:-1]


def adjusted_releases(results: Mapping[str, Adjustment], observations: pd.DataFrame) -> list[AdjustedRelease]:
    """What :func:`store_adjustments` stores, one :class:`AdjustedRelease` per source (in the order the
    sources first appear in ``results``): calendar-adjusted, seasonally adjusted and trend series, and the
    Tết factor where usable. (:class:`AdjustedReleases` gathers the same as the results arrive.)"""
    gathered = AdjustedReleases()
    gathered.observe(observations)
    for key, adj in results.items():
        gathered.add(key, adj)
    return gathered.releases(list(results))


class AdjustedReleases:
    """:func:`adjusted_releases`, gathered one series at a time while the others are still being adjusted:
    :meth:`observe` each read's observations, :meth:`add` each series' adjustment as it arrives (its records
    and their CSV text are written then), :meth:`releases` at the end, which then only puts them in order.

    Series by series, without a frame per series and kind (which cost more than X-13's runs of them); the
    records are the same, row for row, as those frames concatenated, and so is the checksum."""

    def __init__(self) -> None:
        self._meta: dict[str, dict[str, Any]] = {}
        self._status: dict[tuple[str, str], object] = {}
        self._status_keys: set[str] = set()  # the keys of _status's cells (and perhaps of cells since dropped)
        self._read: dict[str, set[int]] = {}
        self._series: dict[str, tuple[str, list[_Segment], str | None]] = {}

    def observe(self, observations: pd.DataFrame) -> None:
        """Observations :func:`level_series` read (any part of them: a read of some keys)."""
        if observations.empty:
            return
        first = observations.drop_duplicates("key")
        for key, m in zip(first["key"].tolist(), first[["source", "table", "code", "name_vi", "name_en", "unit"]]
                          .to_dict("records"), strict=True):
            self._meta.setdefault(key, m)
        # Only the statuses other than "actual" (what add() assumes for a month not found): the months are
        # almost all actual, and a dict entry for each of 57,000 was a tenth of the read. A month read again
        # as actual drops what an earlier read said of it.
        keys = observations["key"].to_numpy(dtype=object)
        periods = observations["period"].to_numpy(dtype=object)
        status = observations["status"].to_numpy(dtype=object)
        other = observations["status"].ne("actual").fillna(True).to_numpy(dtype=bool)  # a missing status too
        if self._status and not self._status_keys.isdisjoint(first["key"].tolist()):
            # Series read before (never, in adjust --all: each read is of other keys): np.isin on 57,000
            # object keys cost a tenth of a second for nothing.
            again = ~other & pd.Series(keys).isin(self._status_keys).to_numpy(dtype=bool)
            for cell in zip(keys[again].tolist(), periods[again].tolist(), strict=True):
                self._status.pop(cell, None)
        other_keys = keys[other].tolist()
        self._status.update(zip(zip(other_keys, periods[other].tolist(), strict=True), status[other].tolist(),
                                strict=True))
        self._status_keys.update(other_keys)
        read = observations[observations["value"].notna()]
        for key, release in zip(read["key"].tolist(), read["release_id"].tolist(), strict=True):
            self._read.setdefault(key, set()).add(int(release))

    def add(self, key: str, adj: Adjustment) -> None:
        """Series ``key``'s adjustment (its observations observed before)."""
        m = self._meta[key]
        index = adj.original.index
        months = index if isinstance(index, pd.PeriodIndex) else pd.PeriodIndex(index, freq="M")
        periods = (_month_texts(int(months.asi8[0]), len(months)) if _consecutive(months)
                   else tuple(months.astype(str).tolist()))
        st = [self._status.get((key, p), "actual") for p in periods]
        segments = []
        for kind, (vi, en) in ADJUSTED.items():
            segments.append(_Segment(
                {"table": m["table"], "series": f"{m['name_vi']} ({vi})", "code": f"{m['code']}{SEPARATOR}{kind}",
                 "unit": m["unit"], "measure": "level", "sheet": f"X-13ARIMA-SEATS ({kind})", "cell": "",
                 "kind": "adjusted", "parent": m["code"]},
                periods, st, getattr(adj, kind).to_numpy(dtype=float), f"{m['name_en'] or m['name_vi']} ({en})"))
        if tet_usable(adj):
            # The Tết factor travels with the calendar-adjusted series: its presence is the mark that the
            # series' Tết adjustment is usable (tet_rate_usable); a series whose Tết effect X-13 could not
            # separate has none, and no Tết-adjusted rate is printed for it.
            segments.append(_Segment(
                {"table": m["table"], "series": f"{m['name_vi']} ({ADJUSTED['calendar_adjusted'][0]})",
                 "code": f"{m['code']}{SEPARATOR}calendar_adjusted", "unit": m["unit"], "measure": TET_FACTOR,
                 "sheet": "X-13ARIMA-SEATS (tet_factor)", "cell": "", "kind": "adjusted", "parent": m["code"]},
                periods, st, adj.tet_factors.to_numpy(dtype=float),
                f"{m['name_en'] or m['name_vi']} ({ADJUSTED['calendar_adjusted'][1]})"))
        for segment in segments:
            _ = segment.csv  # written now, while other series are still being adjusted
        self._series[key] = (str(m["source"]), segments, adj.spec.to_json() if adj.spec is not None else None)

    def releases(self, keys: list[str]) -> list[AdjustedRelease]:
        """The releases of the series ``keys`` (all added), in that order, one per source."""
        releases: dict[str, AdjustedRelease] = {}
        inputs: dict[str, set[int]] = {}
        for key in keys:
            source, segments, spec = self._series[key]
            release = releases.setdefault(source, AdjustedRelease(source, [], {}, []))
            release.segments.extend(segments)
            if spec is not None:
                release.specs[key] = spec
            inputs.setdefault(source, set()).update(self._read.get(key, ()))
        for source, release in releases.items():
            release.inputs.extend(sorted(inputs[source]))
        return list(releases.values())


def release_dates(store: Store, release_ids: list[int]) -> dict[int, dt.date]:
    """The publication day of each of ``release_ids`` (what ``store.releases()`` says, without counting
    every release's observations)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(RELEASES.c.id, RELEASES.c.released_on).where(RELEASES.c.id.in_(release_ids))).all()
    return {int(i): d for i, d in rows}


def store_adjustments(store: Store, results: Mapping[str, Adjustment], observations: pd.DataFrame, *,
                      released_on: dt.date | None = None, gathered: AdjustedReleases | None = None
                      ) -> list[ImportSummary]:
    """Store calendar-adjusted, seasonally adjusted and trend series, one release per source.

    ``observations``: what :func:`level_series` read. Each release records the releases its series' values
    came from (lineage) and is dated on ``released_on`` (default: today in Vietnam) or on the latest of them
    when that is later.

    Atomic per source: a source's records and its frozen specs are one release written in one transaction
    (``Store.import_records`` with ``also=``), so a run killed while storing leaves each source's release
    whole or absent, never part of a series; a source already stored stays stored. A release already stored
    with the same checksum (a re-run that changed nothing) is found before its records are built.
    ``gathered``: the same gathered while the series were adjusted (every result added, its observations
    observed); ``observations`` is then not read again."""
    file = "X-13ARIMA-SEATS adjustment"
    summaries = []
    releases = gathered.releases(list(results)) if gathered is not None else adjusted_releases(results, observations)
    for release in releases:
        checksum = release.checksum()
        with store.engine.connect() as conn:
            existing = conn.execute(select(RELEASES.c.id).where(RELEASES.c.source == release.source,
                                                             RELEASES.c.checksum == checksum)).scalar_one_or_none()
        if existing is not None:  # what import_records would answer, without building the records
            summaries.append(ImportSummary(existing, False, 0, 0, release.source, file, None))
            continue

        def save_specs(conn: Connection, release_id: int, source_specs: dict[str, str] = release.specs) -> None:
            now = dt.datetime.now(dt.UTC)
            if source_specs:
                conn.execute(insert(ADJUSTMENT_SPECS), [
                    {"series_key": k, "spec": v, "created_at": now, "release_id": release_id}
                    for k, v in source_specs.items()])

        summaries.append(store.import_records(
            release.records(), source=release.source, file=file, checksum=checksum,
            released_on=released_on or today_in_vietnam(), names_en=release.names_en, also=save_specs,
            note=f"seasonal adjustment of {len(release.specs)} series", inputs=release.inputs,
        ))
    return summaries
