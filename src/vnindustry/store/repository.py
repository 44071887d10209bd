"""Reading and writing the store: imports as releases (vintages), and queries by vintage or date."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, Select, func, insert, or_, select
from sqlalchemy.exc import OperationalError

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.names import english_name
from vnindustry.periods import parse_month
from vnindustry.store.db import make_engine, migrate
from vnindustry.store.disclosure import INTERNAL_MEASURES, Suppressed, mask
from vnindustry.store.documents import document_name, each_once, public_provenances
from vnindustry.store.observed import (
    OBSERVATION_COLUMNS,
    insert_observations,
    observation_statement,
    read_observations,
    summarise_release,
)
from vnindustry.store.records import RECORD_COLUMNS, SERIES_COLUMNS, STATUSES, slug
from vnindustry.store.tables import OBSERVATIONS, RELEASE_INPUTS, RELEASE_SERIES, RELEASES, SERIES, SUPPRESSIONS

Vintage = Literal["latest", "first", "all"]
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Reads are written over the models' tables (SQLAlchemy Core), not their classes: the same columns by the same
# names, but a fresh process (the command line's bulletin) then neither configures the ORM's mappers nor compiles
# its statements through the ORM (issue 16). Writes keep the classes.


def today_in_vietnam() -> dt.date:
    """The date in Vietnam (UTC+7): the day an embargoed release becomes public."""
    return dt.datetime.now(VIETNAM).date()


@dataclass(frozen=True)
class ImportSummary:
    """What an import did; ``created`` is False when the same content had been imported before."""

    release_id: int
    created: bool
    observations: int
    new_series: int
    source: str
    file: str
    reference_period: str | None


def _series_attributes(rows: pd.DataFrame, key: str) -> dict[str, object]:
    """kind/level/parent of a new series from the optional record columns (defaults: item, none, "")."""
    def value(column: str) -> object:
        if column not in rows.columns:
            return None
        v = rows.at[key, column]
        return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v

    level = value("level")
    return {"kind": str(value("kind") or "item"),
            "level": None if level is None else int(level),  # type: ignore[call-overload]
            "parent": str(value("parent") or "")}


def _valid_period(period: str) -> bool:
    if parse_month(period) is not None and len(period) == 7:
        return True
    if len(period) == 7 and period[4:6] == "-Q" and period[:4].isdigit() and period[6] in "1234":
        return True
    return len(period) == 4 and period.isdigit()


def _stored_values(values: pd.Series) -> list[float | None]:
    """A records' ``value`` column as the store takes it: floats, None where a value is missing (NaN, None)."""
    if values.dtype == np.float64:
        array = values.to_numpy()
        out = array.astype(object)  # Python floats, the same numbers
        out[np.isnan(array)] = None
        return out.tolist()  # type: ignore[no-any-return]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values.tolist()]


def series_key(source: str, table: str, code: str, label: str) -> str:
    """``source/table/code`` — the code, or a slug of the label where the source gives none."""
    return f"{source}/{table}/{code or slug(label)}"


class Store:
    """The indicator store on one database."""

    def __init__(self, engine: Engine, *, public: bool = False, embargo: bool = False) -> None:
        self.engine = engine
        self.public = public
        self.embargo = embargo
        self._disclosure: tuple[int, Suppressed, dict[str, str]] | None = None

    def public_view(self, *, embargo: bool = True) -> Store:
        """The same store as the public sees it: confidential figures withheld (value missing, flag ``c``)
        and internal measures hidden, in every query (store/disclosure.py). The web app serves only this.

        ``embargo``: releases dated after today (Vietnam's date) are invisible until that day — a closed
        month is stored ahead of its scheduled publication. ``embargo=False`` previews them (bulletin
        ``--preview``), still with confidential figures withheld.
        """
        view = Store(self.engine, public=True, embargo=embargo)
        view._disclosure = self._disclosure
        return view

    def visible(self, stmt: Select) -> Select:  # type: ignore[type-arg]
        """``stmt`` (joined to releases) restricted to published releases when this view has an embargo."""
        return stmt.where(RELEASES.c.released_on <= today_in_vietnam()) if self.embargo else stmt

    def latest_release_id(self) -> int:
        """The newest release this view can see (0 when none)."""
        with self.engine.connect() as conn:
            return int(conn.execute(self.visible(select(func.coalesce(func.max(RELEASES.c.id), 0)))).scalar_one())

    def today(self) -> dt.date | None:
        """The date this view's embargo is judged on (Vietnam's), or None when it has no embargo."""
        return today_in_vietnam() if self.embargo else None

    def release_fingerprint(self, among: ColumnElement[bool] | None = None) -> tuple[str, int, int, int]:
        """What every answer of this view depends on: the embargo's date and the set of visible releases
        (count, largest id, sum of ids). An embargo lifting changes the set even when a newer release was
        visible already, so caches keyed by this retire every affected answer at once. ``among``: only the
        releases meeting this condition (those holding trade flows, say: ``store.trade.flows_fingerprint``)."""
        stmt = self.visible(select(func.count(RELEASES.c.id), func.coalesce(func.max(RELEASES.c.id), 0),
                                   func.coalesce(func.sum(RELEASES.c.id), 0)))
        if among is not None:
            stmt = stmt.where(among)
        with self.engine.connect() as conn:
            n, top, total = conn.execute(stmt).one()
        day = self.today()
        return (day.isoformat() if day else "", int(n), int(top), int(total))

    def hidden_release_ids(self) -> list[int]:
        """The releases this view cannot see yet (dated after today in Vietnam), oldest first."""
        if not self.embargo:
            return []
        with self.engine.connect() as conn:
            return list(conn.execute(select(RELEASES.c.id).where(RELEASES.c.released_on > today_in_vietnam())
                                     .order_by(RELEASES.c.id)).scalars().all())

    def scheduled(self) -> pd.DataFrame:
        """What the release calendar may announce of the releases not public yet: source, reference period
        and date (nothing else — not their id, file, size or figures), one row per (source, period, date)."""
        if not self.embargo:
            return pd.DataFrame(columns=["source", "reference_period", "released_on"])
        stmt = (select(RELEASES.c.source, RELEASES.c.reference_period, RELEASES.c.released_on)
                .where(RELEASES.c.released_on > today_in_vietnam()).distinct()
                .order_by(RELEASES.c.released_on, RELEASES.c.source, RELEASES.c.reference_period))
        with self.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(stmt).all()]
        return pd.DataFrame(rows, columns=["source", "reference_period", "released_on"])

    def last_periods(self) -> list[tuple[str, str, str, str, str, str, str, str]]:
        """(key, code, source, table, kind, name_vi, name_en, last period) of every series with an observation
        this view can see, the last period counting only visible releases (so a page's "latest month" is the
        latest *public* month). One light query: each series' last period through the observations' index."""
        hidden = self.hidden_release_ids()
        last = select(func.max(OBSERVATIONS.c.period)).where(OBSERVATIONS.c.series_id == SERIES.c.id)
        if hidden:  # usually a handful: the closed months waiting for their day
            last = last.where(OBSERVATIONS.c.release_id.not_in(hidden))
        s = SERIES.c
        stmt = (select(s.key, s.code, s.source, s.table_name, s.kind, s.name_vi, s.name_en,
                       last.scalar_subquery().label("last_period")).order_by(s.key))
        with self.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(stmt).all() if r[-1] is not None]
            # A quarter ("2021-Q1") sorts after every month of its year as text: where one came out last, the
            # series' last month is read again without quarters (GSO's quarter-end editions; issue 13).
            quarterly = [str(r[0]) for r in rows if "-Q" in str(r[-1])]
            if quarterly:
                months = (select(SERIES.c.key, func.max(OBSERVATIONS.c.period))
                          .join(OBSERVATIONS, OBSERVATIONS.c.series_id == SERIES.c.id)
                          .where(SERIES.c.key.in_(quarterly), ~OBSERVATIONS.c.period.contains("-Q"))
                          .group_by(SERIES.c.key))
                if hidden:
                    months = months.where(OBSERVATIONS.c.release_id.not_in(hidden))
                latest = {str(k): p for k, p in conn.execute(months).all() if p is not None}
                rows = [(*r[:-1], latest.get(str(r[0]), r[-1])) for r in rows]
        # An empty English name from the names tables (issue 13), as observations() and catalogue() do.
        return [(*r[:6], r[6] or english_name(str(r[5]), table=str(r[3]), code=str(r[1])), r[7])  # type: ignore[misc]
                for r in rows]

    # -- writing ---------------------------------------------------------------------------------------
    def import_records(
        self,
        records: pd.DataFrame,
        *,
        source: str,
        file: str,
        checksum: str,
        released_on: dt.date,
        reference_period: str | None = None,
        note: str = "",
        names_en: dict[str, str] | None = None,
        also: Callable[[Connection, int], None] | None = None,
        inputs: Iterable[int] = (),
        conn: Connection | None = None,
        synthetic: bool = False,
    ) -> ImportSummary:
        """Store ``records`` (RECORD_COLUMNS) as one release, in one transaction.

        Idempotent: a release with the same source and checksum is not imported again. Nothing already
        stored is changed; a figure published again with another value becomes a new vintage. ``also``
        writes further rows tied to the new release inside the same transaction.

        ``inputs``: the releases the records were computed from (lineage). The release is then dated no
        earlier than the latest of them (``released_on`` is moved forward if needed), so a derived figure is
        never public before a figure it was computed from. ``conn``: write inside the caller's open
        transaction (no second connection is taken; the caller commits), e.g. a month's closure and its release.
        ``synthetic``: the records come from the demo generator; a release computed from a synthetic input is
        synthetic whatever this says (lineage), so its figures are marked wherever they are shown.
        """
        missing = [c for c in RECORD_COLUMNS if c not in records.columns]
        if missing:
            raise InputError(f"records lack column(s) {', '.join(missing)}", file=file)
        frame = records.loc[:, list(RECORD_COLUMNS) + [c for c in SERIES_COLUMNS if c in records.columns]].copy()
        frame["code"] = frame["code"].fillna("").astype(str)
        frame["unit"] = frame["unit"].fillna("").astype(str)
        # Plain lists: iterating Arrow-backed pandas columns element by element is slow. Each series' key is
        # made once, not once per month.
        triples = list(zip(frame["table"].tolist(), frame["code"].tolist(), frame["series"].tolist(), strict=True))
        key_of = {t: series_key(source, *t) for t in dict.fromkeys(triples)}
        key_list = list(map(key_of.__getitem__, triples))
        frame["key"] = key_list
        self._check(frame, file)
        # The rows' columns, but for the ids, before the transaction: the write lock is held for the writes alone.
        cells = frame["cell"].tolist()
        columns = (frame["period"].tolist(), frame["measure"].tolist(), _stored_values(frame["value"]),
                   frame["status"].tolist(), frame["unit"].tolist(),
                   [f"{sh}!{ce}" if ce else str(sh) for sh, ce in zip(frame["sheet"].tolist(), cells, strict=True)])
        input_ids = sorted({int(i) for i in inputs})
        with self._transaction(conn) as conn:
            if input_ids:
                released_on = max(released_on, self._latest_input_date(conn, input_ids))
                synthetic = synthetic or self.any_synthetic(conn, input_ids)
            existing = conn.execute(
                select(RELEASES.c.id).where(RELEASES.c.source == source, RELEASES.c.checksum == checksum)
            ).scalar_one_or_none()
            if existing is not None:
                return ImportSummary(existing, False, 0, 0, source, file, reference_period)
            release_id = conn.execute(insert(RELEASES).values(
                source=source, file=file, checksum=checksum, reference_period=reference_period,
                released_on=released_on, imported_at=dt.datetime.now(dt.UTC), note=note, synthetic=synthetic,
            )).inserted_primary_key[0]
            keys = list(dict.fromkeys(key_list))
            known: dict[str, int] = {}
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                known.update(dict(conn.execute(select(SERIES.c.key, SERIES.c.id).where(SERIES.c.key.in_(chunk))).all()))
            first_rows = frame.drop_duplicates("key").set_index("key")
            new = [k for k in keys if k not in known]
            created = 0
            if new:
                values = [
                    {"key": k, "source": source, "table_name": first_rows.at[k, "table"],
                     "code": first_rows.at[k, "code"] or k.rsplit("/", 1)[1],
                     "name_vi": first_rows.at[k, "series"], "name_en": (names_en or {}).get(k, ""),
                     "unit": first_rows.at[k, "unit"],
                     "frequency": "Q" if "-Q" in str(first_rows.at[k, "period"]) else "M",
                     **_series_attributes(first_rows, k)}
                    for k in new
                ]
                if conn.dialect.name == "postgresql":
                    # Another import may be adding the same series at this moment (PostgreSQL runs them side by
                    # side; SQLite's write lock takes them in turn): its row, once committed, is the series — as
                    # when the imports come one after the other — and only the rows this import added count as
                    # new. In key order, so that two imports wait for each other's keys in the same order, never
                    # in a circle. (A burst of imports of new series, issue 16.)
                    from sqlalchemy.dialects.postgresql import insert as pg_insert  # 24 ms: not on SQLite's path

                    add = pg_insert(SERIES).on_conflict_do_nothing(index_elements=["key"]).returning(SERIES.c.key)
                    created = len(conn.execute(add, sorted(values, key=lambda v: str(v["key"]))).all())
                else:
                    conn.execute(insert(SERIES), values)
                    created = len(new)
                for start in range(0, len(new), 500):
                    chunk = new[start:start + 500]
                    known.update(dict(conn.execute(select(SERIES.c.key, SERIES.c.id)
                                                   .where(SERIES.c.key.in_(chunk))).all()))
            release_id = int(release_id)
            rows = list(zip(map(known.__getitem__, key_list), repeat(release_id), *columns))  # INSERTED_COLUMNS
            insert_observations(conn, rows)
            summarise_release(conn, release_id)
            if input_ids:
                conn.execute(insert(RELEASE_INPUTS), [{"release_id": release_id, "input_release_id": i}
                                                    for i in input_ids])
            if also is not None:  # more rows that belong to this release, in the same transaction
                also(conn, release_id)
        return ImportSummary(release_id, True, len(rows), created, source, file, reference_period)

    @contextmanager
    def _transaction(self, conn: Connection | None) -> Iterator[Connection]:
        """The caller's open connection as it is, or a new transaction committed on leaving."""
        if conn is not None:
            yield conn
            return
        with self.engine.begin() as own:
            yield own

    @staticmethod
    def _latest_input_date(conn: Connection, input_ids: list[int]) -> dt.date:
        """The latest ``released_on`` among ``input_ids`` (all must exist)."""
        dates: dict[int, dt.date] = {}
        for start in range(0, len(input_ids), 500):
            chunk = input_ids[start:start + 500]
            dates.update(dict(conn.execute(select(RELEASES.c.id, RELEASES.c.released_on)
                                           .where(RELEASES.c.id.in_(chunk))).all()))
        unknown = [i for i in input_ids if i not in dates]
        if unknown:
            raise ValueError(f"input release(s) {unknown} do not exist")
        return max(dates.values())

    @classmethod
    def derived_date(cls, conn: Connection, released_on: dt.date, inputs: Iterable[int]) -> dt.date:
        """The lineage rule for writers of other tables than observations (trade flows, scoring runs):
        ``released_on``, moved to the latest input's date when that is later."""
        input_ids = sorted({int(i) for i in inputs})
        return max(released_on, cls._latest_input_date(conn, input_ids)) if input_ids else released_on

    @staticmethod
    def record_inputs(conn: Connection, release_id: int, inputs: Iterable[int]) -> None:
        """Store the lineage of ``release_id`` (the releases it was computed from), in ``conn``'s transaction."""
        input_ids = sorted({int(i) for i in inputs})
        if input_ids:
            conn.execute(insert(RELEASE_INPUTS), [{"release_id": release_id, "input_release_id": i} for i in input_ids])

    @staticmethod
    def any_synthetic(conn: Connection, release_ids: Iterable[int]) -> bool:
        """Whether any of ``release_ids`` is synthetic (the rule a derived release inherits by)."""
        ids = sorted({int(i) for i in release_ids})
        return any(conn.execute(select(func.count()).select_from(RELEASES).where(
            RELEASES.c.id.in_(ids[start:start + 500]), RELEASES.c.synthetic.is_(True))).scalar_one()
            for start in range(0, len(ids), 500))

    def synthetic_release_ids(self) -> frozenset[int]:
        """The visible releases made by the demo generator or computed from one (issue 13)."""
        with self.engine.connect() as conn:
            r = RELEASES.c
            return frozenset(conn.execute(self.visible(select(r.id).where(r.synthetic.is_(True)))).scalars().all())

    def synthetic_sources(self) -> frozenset[str]:
        """The sources with at least one visible synthetic release: a page or bulletin of one of them that
        shows its figures carries the "dữ liệu giả lập / synthetic data" mark."""
        with self.engine.connect() as conn:
            return frozenset(str(s) for s in conn.execute(self.visible(
                select(RELEASES.c.source).where(RELEASES.c.synthetic.is_(True)).distinct())).scalars().all())

    def release_inputs(self, release_id: int) -> list[int]:
        """The releases ``release_id`` was computed from (its lineage; empty for a primary release)."""
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(RELEASE_INPUTS.c.input_release_id)
                                       .where(RELEASE_INPUTS.c.release_id == release_id)).scalars().all())

    def visible_release_ids(self) -> list[int]:
        """Every release this view can see (all of them without an embargo), oldest first."""
        with self.engine.connect() as conn:
            return list(conn.execute(self.visible(select(RELEASES.c.id).order_by(RELEASES.c.id))).scalars().all())

    @staticmethod
    def _check(frame: pd.DataFrame, file: str) -> None:
        def where(i: int) -> str:
            row = frame.iloc[i]
            return f"{row['sheet']}!{row['cell']}" if row["cell"] else str(row["sheet"])

        bad_status = ~frame["status"].isin(STATUSES)
        if bad_status.any():
            i = int(bad_status.to_numpy().nonzero()[0][0])
            raise InputError(f"status '{frame['status'].iloc[i]}' is not one of {', '.join(STATUSES)}",
                             file=file, location=where(i))
        periods = frame["period"].astype(str)
        # Each distinct period checked once (a release repeats a hundred months over thousands of series).
        valid = {p for p in periods.unique().tolist() if _valid_period(p)}
        bad_period = ~periods.isin(valid)
        if bad_period.any():
            i = int(bad_period.to_numpy().nonzero()[0][0])
            raise InputError(f"period '{frame['period'].iloc[i]}' is not YYYY-MM, YYYY-Qn or YYYY", file=file,
                             location=where(i))
        dup = frame.duplicated(["key", "period", "measure"], keep="first")
        if dup.any():
            second = int(dup.to_numpy().nonzero()[0][0])
            r = frame.iloc[second]
            same = ((frame["key"] == r["key"]) & (frame["period"] == r["period"])
                    & (frame["measure"] == r["measure"])).to_numpy()
            idx = [int(same.nonzero()[0][0]), second]
            raise InputError(
                f"two figures for series '{r['series']}' ({r['key']}), {r['period']}, {r['measure']}: "
                f"{where(int(idx[0]))} and {where(int(idx[1]))}", file=file,
                fix="give rows that are different series different codes")

    # -- reading ---------------------------------------------------------------------------------------
    def observations(
        self,
        *,
        source: str | None = None,
        table: str | None = None,
        keys: list[str] | None = None,
        measure: str | None = None,
        start: str | None = None,
        end: str | None = None,
        as_of: dt.date | None = None,
        vintage: Vintage = "latest",
        periods: Collection[str] | None = None,
        totals_in_full: bool = False,
        in_full: Collection[str] = (),
    ) -> pd.DataFrame:
        """Observations with series and release details, one row per (series, period, measure) for
        ``vintage`` = latest/first (among releases on or before ``as_of``), or every vintage for "all".

        ``periods``: only these periods (within ``start``…``end``) — except, with ``totals_in_full``, the rows of
        the tables' totals (series of kind "total"), which keep every period from ``start`` to ``end``: what a
        bulletin reads (the months its comparisons use, and the total's history for its chart); so do the series
        ``in_full`` (keys: the other series a page charts)."""
        s, o, r = SERIES.c, OBSERVATIONS.c, RELEASES.c
        stmt = observation_statement()
        if source is not None:
            stmt = stmt.where(s.source == source)
        if table is not None:
            stmt = stmt.where(s.table_name == table)
        if keys is not None:
            stmt = stmt.where(s.key.in_(keys))
        if measure is not None:
            stmt = stmt.where(o.measure == measure)
        if start is not None:
            stmt = stmt.where(o.period >= start)
        if end is not None:
            stmt = stmt.where(o.period <= end)
        if as_of is not None:
            stmt = stmt.where(r.released_on <= as_of)
        if periods is not None:
            chosen = o.period.in_(sorted({str(p) for p in periods}))
            full = [s.kind == "total"] if totals_in_full else []
            if in_full:
                full.append(s.key.in_(sorted(set(in_full))))
            stmt = stmt.where(or_(chosen, *full) if full else chosen)
        if self.public:  # never shown to the public (mask drops them): not read at all
            stmt = stmt.where(o.measure.not_in(sorted(INTERNAL_MEASURES)))
        stmt = self.visible(stmt)
        if vintage not in ("latest", "first", "all"):
            raise ValueError(f"vintage must be latest, first or all, not {vintage!r}")
        with self.engine.connect() as conn:
            frame = read_observations(conn, stmt)
        if frame.empty:
            return pd.DataFrame(columns=[*OBSERVATION_COLUMNS, "flag"])
        frame = frame.sort_values(["key", "measure", "period", "released_on", "release_id"], kind="stable")
        if vintage == "latest":
            frame = frame.drop_duplicates(["key", "measure", "period"], keep="last")
        elif vintage == "first":
            frame = frame.drop_duplicates(["key", "measure", "period"], keep="first")
        suppressed, roots = self._disclosure_at_latest()
        out = with_english_names(mask(frame, suppressed, roots, public=self.public))
        if self.public:  # the public sees documents by name, never the server's paths
            out["provenance"] = public_provenances(out["provenance"].tolist())
            out["file"] = each_once(out["file"].tolist(), document_name)
        return out

    def _disclosure_at_latest(self) -> tuple[Suppressed, dict[str, str]]:
        """Suppressions and roots, read again only when a release has been added (they change only then)."""
        with self.engine.connect() as conn:
            latest = int(conn.execute(select(func.coalesce(func.max(RELEASES.c.id), 0))).scalar_one())
        cached = self._disclosure
        if cached is None or cached[0] != latest:
            cached = self._disclosure = (latest, Suppressed(self.suppressions()), self.roots())
        return cached[1], cached[2]

    def suppressions(self) -> pd.DataFrame:
        """Every confidential cell: key, period, reason (primary/secondary), release_id (first required by)."""
        s, sup = SERIES.c, SUPPRESSIONS.c
        stmt = (select(s.key, sup.period, sup.reason, sup.release_id).select_from(SUPPRESSIONS)
                .join(SERIES, s.id == sup.series_id).order_by(s.key, sup.period))
        with self.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(stmt).all()]
        return pd.DataFrame(rows, columns=["key", "period", "reason", "release_id"])

    def roots(self) -> dict[str, str]:
        """``source/table/`` → the key of that table's total (the root of its hierarchy)."""
        with self.engine.connect() as conn:
            keys = conn.execute(select(SERIES.c.key).where(SERIES.c.kind == "total")).scalars().all()
        return {k.rsplit("/", 1)[0] + "/": k for k in keys if "~" not in k}

    def revisions(self, *, source: str | None = None, table: str | None = None) -> pd.DataFrame:
        """First published vs latest figure for every (series, period, measure) that has changed."""
        every = self.observations(source=source, table=table, vintage="all")
        cols = ["key", "table", "code", "name_vi", "period", "measure", "first_value", "first_status",
                "first_released_on", "latest_value", "latest_status", "latest_released_on", "revision"]
        if every.empty:
            return pd.DataFrame(columns=cols)
        grouped = every.groupby(["key", "measure", "period"], sort=True)
        first, last = grouped.head(1).set_index(["key", "measure", "period"]), grouped.tail(1).set_index(
            ["key", "measure", "period"])
        out = first[["table", "code", "name_vi"]].copy()
        out["first_value"], out["first_status"], out["first_released_on"] = (
            first["value"], first["status"], first["released_on"])
        out["latest_value"] = last["value"]
        out["latest_status"] = last["status"]
        out["latest_released_on"] = last["released_on"]
        out["revision"] = out["latest_value"] - out["first_value"]
        changed = (out["first_value"] != out["latest_value"]) | (out["first_status"] != out["latest_status"])
        changed &= ~(out["first_value"].isna() & out["latest_value"].isna())
        return out[changed].reset_index()[cols]

    def catalogue(self, source: str | None = None) -> pd.DataFrame:
        """Every series with its last period and the date of its latest release."""
        # Summed over what each visible release holds of each series (release_series, written with the
        # observations), not over every observation: the demo's 571,000 took SQLite 0.12 s after each release.
        rs = RELEASE_SERIES.c
        last = func.coalesce(func.max(rs.last_not_quarter), func.max(rs.last_period))  # months, years, then quarters
        summary = (select(rs.series_id, func.min(rs.first_period).label("first_period"),
                          last.label("last_period"), func.max(RELEASES.c.released_on).label("last_updated"))
                   .join(RELEASES, RELEASES.c.id == rs.release_id)
                   .group_by(rs.series_id))
        if source is not None:
            summary = summary.where(rs.series_id.in_(select(SERIES.c.id).where(SERIES.c.source == source)))
        summary = self.visible(summary).subquery()
        stmt = (
            select(SERIES.c.key, SERIES.c.source, SERIES.c.table_name.label("table"), SERIES.c.code, SERIES.c.name_vi,
                   SERIES.c.name_en, SERIES.c.unit, SERIES.c.frequency, SERIES.c.kind, SERIES.c.level, SERIES.c.parent,
                   summary.c.first_period, summary.c.last_period, summary.c.last_updated)
            .join(summary, summary.c.series_id == SERIES.c.id)
            .order_by(SERIES.c.key)
        )
        with self.engine.connect() as conn:
            return with_english_names(pd.DataFrame(conn.execute(stmt).mappings().all()))

    def releases(self) -> pd.DataFrame:
        """Every release, newest first, with its number of observations."""
        stmt = (
            select(RELEASES.c.id, RELEASES.c.source, RELEASES.c.file, RELEASES.c.checksum, RELEASES.c.reference_period,
                   RELEASES.c.released_on, RELEASES.c.imported_at, RELEASES.c.note, RELEASES.c.synthetic,
                   func.coalesce(func.sum(RELEASE_SERIES.c.observations), 0).label("observations"))
            .outerjoin(RELEASE_SERIES, RELEASE_SERIES.c.release_id == RELEASES.c.id)
            .group_by(RELEASES.c.id)
            .order_by(RELEASES.c.released_on.desc(), RELEASES.c.id.desc())
        )
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(self.visible(stmt)).mappings().all())
        if not frame.empty:  # a release without a reference period: None, not the NaN pandas would make of it
            frame["reference_period"] = pd.Series([None if pd.isna(v) else str(v) for v in frame["reference_period"]],
                                                  index=frame.index, dtype=object)
        if self.public and not frame.empty:  # file names, not the server's paths; nothing internal
            frame["file"] = [document_name(f) for f in frame["file"].tolist()]
            frame["note"] = ""
        return frame


def with_english_names(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (columns table, code, name_vi, name_en) with each empty ``name_en`` filled from the names
    tables (:func:`vnindustry.names.english_name`; issue 13): GSO's workbooks and a city's product list name
    rows in Vietnamese only, and every reader — pages, downloads, bulletins — reads its names here."""
    if frame.empty or not {"table", "code", "name_vi", "name_en"} <= set(frame.columns):
        return frame
    empty = frame["name_en"].isna() | (frame["name_en"].astype(str) == "")
    if not empty.any():
        return frame
    by = "key" if "key" in frame.columns else None  # a series' names are the same on each of its rows
    rows = frame.loc[empty]
    firsts = rows.drop_duplicates(by or ["table", "code", "name_vi"])
    found = [english_name(str(n), table=str(t), code=str(c))
             for t, c, n in zip(firsts["table"], firsts["code"], firsts["name_vi"], strict=True)]
    frame = frame.copy()
    if by:
        frame.loc[empty, "name_en"] = rows["key"].map(dict(zip(firsts["key"], found, strict=True)))
    else:
        triples = list(zip(rows["table"], rows["code"], rows["name_vi"], strict=True))
        lookup = dict(zip(zip(firsts["table"], firsts["code"], firsts["name_vi"], strict=True), found, strict=True))
        frame.loc[empty, "name_en"] = [lookup[t] for t in triples]
    return frame


def open_store(url: str | None = None) -> Store:
    """Open (and migrate) the store at ``url``; default: the ``db`` setting (VNINDUSTRY_DB)."""
    url = url or settings.get("db")
    engine = make_engine(url)
    try:
        migrate(engine)
    except OperationalError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise InputError(f"cannot open the database {shown}: {reason}",
                         fix="check that the server runs and the URL (user, host, port, database) is right") from None
    return Store(engine)
