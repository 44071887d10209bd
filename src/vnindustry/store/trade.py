"""Trade flows and key-product scoring runs in the store (issue 7), each import or run one release.

- :func:`store_flows` stores a flows frame (``analysis.trade.FLOW_COLUMNS``) as one release (source
  ``trade`` by default) in one transaction; the sha256 of the normalized frame makes a second import of the
  same flows a no-op. A later release with another value for a flow revises it; nothing is overwritten.
- :func:`trade_flows` reads the latest value of every (period, exporter, importer, product).
- :func:`store_scoring` keeps a :class:`~vnindustry.analysis.key_products.KeyProductResult` whole (the
  frozen spec, the ranking with the criteria values, the weights with λmax/CI/RI/CR, the sensitivity
  table); :func:`latest_scoring`, :func:`load_scoring` and :func:`scorings` read them back.

Every read goes through ``store.visible``: in the public view releases dated after today (Vietnam) are
hidden until their day, exactly as for observations.

Lineage (issue 12): a release written here from figures of other releases (``inputs``: trade flows taken from
GSO's tables, a scoring filled from the store) records them and is dated no earlier than the latest of them
(:meth:`Store.derived_date`), so it is never public before a figure it was computed from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, case, cast, exists, func, insert, literal_column, select

from vnindustry.errors import InputError
from vnindustry.sources.trade_flows import FLOW_COLUMNS, check_flows, empty_flows
from vnindustry.store.bulk import insert_rows
from vnindustry.store.observed import driver_rows
from vnindustry.store.repository import Store
from vnindustry.store.tables import KEY_PRODUCT_RUNS, RELEASES, TRADE_FLOWS


class ScoringRun(Protocol):
    """What the store needs of a key-product scoring (``analysis.key_products.KeyProductResult``): its spec, its
    AHP figures and the result as JSON-ready data — so the store need not import analysis."""

    spec: Any
    ahp: Any

    def as_data(self) -> dict[str, Any]: ...


TRADE_SOURCE = "trade"
SCORING_SOURCE = "key-products"
KEY_COLUMNS = ["period", "exporter", "importer", "product"]
_CODE_LENGTH = 40  # trade_flows.exporter/importer/product are String(40)
#: The columns of a stored flow, as store_flows writes them.
FLOW_ROW = ("release_id", "period", "exporter", "importer", "product", "value", "quantity")


@dataclass(frozen=True)
class TradeImport:
    """What :func:`store_flows` did; ``unchanged`` is True when the same flows had been stored before."""

    release_id: int
    rows: int
    unchanged: bool
    released_on: dt.date | None = None  # the release's date (moved to its latest input's by lineage)


def _normalized(flows: pd.DataFrame, file: str) -> pd.DataFrame:
    """The checked, typed frame sorted by its key (so row order does not change the checksum)."""
    try:
        frame = check_flows(flows)
    except ValueError as exc:
        raise InputError(f"the trade flows are not valid: {exc}", file=file,
                         fix="give one row per period, exporter, importer and product, values ≥ 0") from None
    periods = frame["period"]
    bad = ~(periods.str.fullmatch(r"\d{4}") | periods.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])"))
    if bad.any():
        raise InputError(f"period '{periods[bad].iloc[0]}' is not YYYY or YYYY-MM", file=file, column="period",
                         fix="write a year as YYYY and a month as YYYY-MM")
    for column in ("exporter", "importer", "product"):
        codes = frame[column]
        wrong = (codes.str.len() > _CODE_LENGTH) | (codes == "") | (codes == "nan")
        if wrong.any():
            raise InputError(f"{column} '{codes[wrong].iloc[0]}' is empty or longer than {_CODE_LENGTH} characters",
                             file=file, column=column, fix=f"give a {column} code of 1–{_CODE_LENGTH} characters")
    return frame.sort_values(KEY_COLUMNS, kind="stable").reset_index(drop=True)


def flows_checksum(flows: pd.DataFrame) -> str:
    """sha256 of a normalized flows frame: keys and values at full precision, in key order."""
    text = flows.to_csv(index=False, float_format="%r", lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_flows(store: Store, flows: pd.DataFrame, *, source: str, file: str, released_on: dt.date,
                note: str = "", inputs: Iterable[int] = (), synthetic: bool = False) -> TradeImport:
    """Store ``flows`` as one release of ``source`` (e.g. "trade"), in one transaction.

    Idempotent: flows with the same content (whatever their row order) as an earlier release of the same
    source store nothing and return that release with ``unchanged=True``. Raises :class:`InputError`
    (naming ``file``) when the frame is not valid flows (analysis.trade.check_flows).

    ``inputs``: the releases the flows were computed from (lineage); the release is dated no earlier than them.
    ``synthetic``: made by the demo generator (also when any input is synthetic); shown as such everywhere.
    """
    frame = _normalized(flows, file)
    checksum = flows_checksum(frame)
    periods = sorted(frame["period"].unique())
    # The reference period of a release is one period; a span of several is shown as its last.
    reference = periods[-1] if periods else None
    with store.engine.begin() as conn:
        existing = conn.execute(select(RELEASES.c.id, RELEASES.c.released_on)
                                .where(RELEASES.c.source == source, RELEASES.c.checksum == checksum)).first()
        if existing is not None:
            return TradeImport(int(existing[0]), 0, True, existing[1])
        released_on = store.derived_date(conn, released_on, inputs)  # never before a figure it was taken from
        release_id = int(conn.execute(insert(RELEASES).values(
            source=source, file=file, checksum=checksum, reference_period=reference, released_on=released_on,
            imported_at=dt.datetime.now(dt.UTC), note=note,
            synthetic=synthetic or store.any_synthetic(conn, inputs),
        )).inserted_primary_key[0])
        store.record_inputs(conn, release_id, inputs)
        quantity = frame["quantity"].to_numpy()
        rows = [
            (release_id, p, e, i, k, float(v), None if math.isnan(q) else float(q))
            for p, e, i, k, v, q in zip(frame["period"].tolist(), frame["exporter"].tolist(),
                                        frame["importer"].tolist(), frame["product"].tolist(),
                                        frame["value"].tolist(), quantity.tolist(), strict=True)
        ]
        insert_rows(conn, TRADE_FLOWS, FLOW_ROW, rows)
    return TradeImport(release_id, len(rows), False, released_on)


def flows_fingerprint(store: Store) -> tuple[str, int, int, int]:
    """What :func:`trade_flows` (and all computed from it alone) depends on: the embargo's date and the set of
    releases holding trade flows that this view can see (count, largest id, sum of ids) — as
    ``Store.release_fingerprint`` is of every release. Releases and their flows are never changed once stored,
    so the same fingerprint means the same flows; a release of other figures leaves it as it was."""
    return store.release_fingerprint(exists().where(TRADE_FLOWS.c.release_id == RELEASES.c.id))


def trade_flows(store: Store, *, periods: list[str] | None = None, exporters: list[str] | None = None,
                importers: list[str] | None = None, products: list[str] | None = None,
                as_of: dt.date | None = None, with_release: bool = False) -> pd.DataFrame:
    """The stored flows in ``FLOW_COLUMNS`` order, sorted by key: for each (period, exporter, importer,
    product) the value of the latest release (by release date, then import order) this view can see, among
    releases on or before ``as_of`` if given. ``None`` filters select everything. ``with_release``: also a
    column ``release_id`` (the release each value comes from: the lineage of what is computed from them)."""
    # The release's date is not fetched on each row (a date parsed per row was a third of the read of 112,000
    # flows): the releases are put in order once — by date, then import order — and each row sorts by its
    # release's place in that order.
    flow = TRADE_FLOWS.c
    stmt = (select(flow.period, flow.exporter, flow.importer, flow.product, flow.value, flow.quantity, flow.release_id)
            .join(RELEASES, RELEASES.c.id == TRADE_FLOWS.c.release_id))
    for column, wanted in ((TRADE_FLOWS.c.period, periods), (TRADE_FLOWS.c.exporter, exporters),
                           (TRADE_FLOWS.c.importer, importers), (TRADE_FLOWS.c.product, products)):
        if wanted is not None:
            stmt = stmt.where(column.in_([str(w) for w in wanted]))
    if as_of is not None:
        stmt = stmt.where(RELEASES.c.released_on <= as_of)
    stmt = store.visible(stmt)
    with store.engine.connect() as conn:
        names, rows = driver_rows(conn, stmt)  # strings, floats, an integer: no result processor
        if not rows:
            empty = empty_flows()
            return empty.assign(release_id=pd.Series(dtype="int64")) if with_release else empty
        frame = pd.DataFrame(rows, columns=names)
        del rows
        ids = sorted(set(frame["release_id"].tolist()))
        order = [i for i, _ in sorted(conn.execute(select(RELEASES.c.id, RELEASES.c.released_on)
                                                   .where(RELEASES.c.id.in_(ids))).all(), key=lambda r: (r[1], r[0]))]
    rank = pd.Series(np.arange(len(order)), index=order)
    frame["release_rank"] = rank.reindex(frame["release_id"]).to_numpy()
    frame = frame.sort_values([*KEY_COLUMNS, "release_rank"], kind="stable")
    frame = frame.drop_duplicates(KEY_COLUMNS, keep="last")
    frame["value"] = frame["value"].astype("float64")
    frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce").astype("float64")
    for column in KEY_COLUMNS:
        frame[column] = frame[column].astype(object)
    columns = [*FLOW_COLUMNS, "release_id"] if with_release else list(FLOW_COLUMNS)
    return frame.loc[:, columns].reset_index(drop=True)


EXACT_SUM_LIMIT = 2.0**53  # below it, sums of whole numbers are exact in any order (float64)


@dataclass(frozen=True)
class SummedFlows:
    """Flows into a market summed by year, exporter and product (:func:`summed_flows`): ``frame`` has
    ``FLOW_COLUMNS`` (the year as period, each sum filed under the first of the market's importers, no
    quantity) — empty when the flows' release is not among those asked for; ``release_id`` that release."""

    frame: pd.DataFrame
    release_id: int


def summed_flows(store: Store, importers: Iterable[str], releases: Iterable[int]) -> SummedFlows | None:
    """The flows into ``importers`` summed by year, exporter and product in the database, when one release this
    view can see holds all of them (then each is its flow's latest value: :func:`trade_flows` would pick the
    same) and that release is one of ``releases``; an empty frame when it is not one of them. An RCA in a market
    needs no more (``analysis.trade.rca_in_market`` and ``market_share`` sum over the importers and, for months,
    over the year): a few thousand sums rather than every flow.

    None — read the flows with :func:`trade_flows` instead — when several releases hold flows into the market
    (the latest vintage of each flow must be chosen first), or when a sum could differ from adding the flows
    up in Python in another order or the indices would refuse a flow: a value that is not a whole number,
    negative, missing or not finite, or absolute values adding up to 2**53 or more. Whole numbers below 2**53
    add up exactly in any order, so the sums are the same to the last bit."""
    codes = sorted({str(i) for i in importers})
    # Constants written into the statement, not bound: SQLite then sees one expression to group by (bound
    # parameters make it evaluate and sort twice, which doubles the time).
    one, four, zero = literal_column("1"), literal_column("4"), literal_column("0")
    flow = TRADE_FLOWS.c  # over the tables (Core), as the store's reads (issue 16)
    year = func.substr(flow.period, one, four)
    value = flow.value
    stmt = store.visible(
        select(year, flow.exporter, flow.product, func.sum(value), func.sum(func.abs(value)),
               func.min(value), func.sum(case((value == cast(value, BigInteger), zero), else_=one)),
               func.min(flow.release_id), func.max(flow.release_id))
        .select_from(TRADE_FLOWS)
        .join(RELEASES, RELEASES.c.id == flow.release_id).where(flow.importer.in_(codes))
        .group_by(year, flow.exporter, flow.product))
    with store.engine.connect() as conn:
        rows = sorted(conn.execute(stmt).all(), key=lambda r: (str(r[0]), str(r[1]), str(r[2])))
    holders = {int(r[7]) for r in rows} | {int(r[8]) for r in rows}
    if len(holders) > 1:
        return None
    for *_, absolute, low, fractional, _first, _last in rows:
        if fractional or low is None or low < 0 or absolute is None or not absolute < EXACT_SUM_LIMIT:
            return None
    release = next(iter(holders), 0)
    kept = rows if release in {int(r) for r in releases} else []
    frame = pd.DataFrame({
        "period": pd.Series([str(r[0]) for r in kept], dtype=object),
        "exporter": pd.Series([str(r[1]) for r in kept], dtype=object),
        "importer": pd.Series([codes[0]] * len(kept), dtype=object),
        "product": pd.Series([str(r[2]) for r in kept], dtype=object),
        "value": pd.Series([float(r[3]) for r in kept], dtype="float64"),
        "quantity": pd.Series([np.nan] * len(kept), dtype="float64"),
    })
    return SummedFlows(frame.loc[:, list(FLOW_COLUMNS)], release)


def flow_releases(store: Store) -> pd.DataFrame:
    """Releases that hold trade flows (newest first): id, source, file, released_on, note, rows."""
    stmt = (select(RELEASES.c.id, RELEASES.c.source, RELEASES.c.file, RELEASES.c.released_on, RELEASES.c.note,
                   func.count(TRADE_FLOWS.c.id).label("rows"))
            .join(TRADE_FLOWS, TRADE_FLOWS.c.release_id == RELEASES.c.id).group_by(RELEASES.c.id)
            .order_by(RELEASES.c.released_on.desc(), RELEASES.c.id.desc()))
    with store.engine.connect() as conn:
        result = conn.execute(store.visible(stmt))
        return pd.DataFrame([tuple(r) for r in result.all()], columns=list(result.keys()))


# ---------------------------------------------------------------- key-product scoring runs


@dataclass(frozen=True)
class ScoringSummary:
    """One stored scoring run, as listed by :func:`scorings` (``id`` is its release id)."""

    id: int
    title: str
    released_on: dt.date
    method: str
    cr: float | None
    created_by: str


@dataclass(frozen=True)
class StoredScoring:
    """A stored scoring run read back whole.

    ``table``: product, name, score, rank, class, then one column per criterion code (best first);
    ``weights``: criterion, name_vi, name_en, direction, weight; ``lambda_max``/``ci``/``ri``/``cr``: AHP
    consistency (None for direct or default weights); ``sensitivity``: the long table of the ±step runs
    (criterion, change, weight, product, score, rank, class); ``ranges``: each product's rank range and
    classes over them (product, base_rank, min_rank, max_rank, base_class, classes "key|potential").
    """

    id: int
    title: str
    created_by: str
    released_on: dt.date
    method: str
    spec: dict[str, Any]
    table: pd.DataFrame
    weights: pd.DataFrame
    lambda_max: float | None
    ci: float | None
    ri: float | None
    cr: float | None
    sensitivity: pd.DataFrame
    ranges: pd.DataFrame
    note: str = ""


def store_scoring(store: Store, result: ScoringRun, *, title: str, created_by: str, released_on: dt.date,
                  note: str = "", inputs: Iterable[int] = (), synthetic: bool = False) -> int:
    """Store a scoring run as a release (source "key-products"); returns the release id.

    Idempotent: the same title, spec and result again return the earlier release's id. ``inputs``: the
    releases whose figures filled the criteria (lineage); the run is dated no earlier than the latest of them.
    """
    if not title.strip():
        raise InputError("a stored scoring needs a title", fix="give --title, e.g. 'Sản phẩm chủ lực 2021–2025'")
    spec = result.spec.to_json()
    payload = json.dumps(result.as_data(), ensure_ascii=False, sort_keys=True)
    checksum = hashlib.sha256("\n".join((title, created_by, spec, payload)).encode("utf-8")).hexdigest()
    cr = result.ahp.cr if result.ahp is not None else None
    with store.engine.begin() as conn:
        existing = conn.execute(select(RELEASES.c.id).where(RELEASES.c.source == SCORING_SOURCE,
                                                         RELEASES.c.checksum == checksum)).scalar_one_or_none()
        if existing is not None:
            return int(existing)
        released_on = store.derived_date(conn, released_on, inputs)
        release_id = int(conn.execute(insert(RELEASES).values(
            source=SCORING_SOURCE, file=title[:4000], checksum=checksum, reference_period=None,
            released_on=released_on, imported_at=dt.datetime.now(dt.UTC), note=note,
            synthetic=synthetic or store.any_synthetic(conn, inputs),
        )).inserted_primary_key[0])
        store.record_inputs(conn, release_id, inputs)
        conn.execute(insert(KEY_PRODUCT_RUNS).values(
            release_id=release_id, title=title, created_by=created_by, method=result.spec.method, cr=cr,
            spec=spec, result=payload))
    return release_id


def _run_select():  # type: ignore[no-untyped-def]
    run, release = KEY_PRODUCT_RUNS.c, RELEASES.c  # over the tables (Core), as the store's reads
    return (select(run.release_id, run.title, run.created_by, run.method, run.cr, run.spec, run.result,
                   release.released_on, release.note)
            .select_from(KEY_PRODUCT_RUNS).join(RELEASES, release.id == run.release_id))


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _stored(row: Any) -> StoredScoring:
    data = json.loads(row.result)
    criteria = list(data["criteria"])
    ahp = data.get("ahp")
    table = _frame(data["table"], ["product", "name", "score", "rank", "class", *criteria])
    table["rank"] = table["rank"].astype(int)
    for c in ["score", *criteria]:
        table[c] = table[c].astype("float64")
    weights = _frame(data["weights"], ["criterion", "name_vi", "name_en", "direction", "weight"])
    weights["weight"] = weights["weight"].astype("float64")
    sensitivity = _frame(data["sensitivity"], ["criterion", "change", "weight", "product", "score", "rank", "class"])
    ranges = _frame(data["ranges"], ["product", "base_rank", "min_rank", "max_rank", "base_class", "classes"])

    def figure(name: str) -> float | None:
        value = None if ahp is None else ahp.get(name)
        return None if value is None else float(value)

    return StoredScoring(
        id=int(row.release_id), title=row.title, created_by=row.created_by, released_on=row.released_on,
        method=row.method, spec=json.loads(row.spec), table=table, weights=weights,
        lambda_max=figure("lambda_max"), ci=figure("ci"), ri=figure("ri"), cr=figure("cr"),
        sensitivity=sensitivity, ranges=ranges, note=row.note or "")


def latest_scoring(store: Store) -> StoredScoring | None:
    """The newest stored scoring this view can see (by release date, then import order), or None."""
    stmt = store.visible(_run_select()).order_by(RELEASES.c.released_on.desc(), RELEASES.c.id.desc()).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(stmt).first()
    return None if row is None else _stored(row)


def load_scoring(store: Store, release_id: int) -> StoredScoring | None:
    """The stored scoring of release ``release_id`` if this view can see it, else None."""
    stmt = store.visible(_run_select()).where(KEY_PRODUCT_RUNS.c.release_id == release_id)
    with store.engine.connect() as conn:
        row = conn.execute(stmt).first()
    return None if row is None else _stored(row)


def scorings(store: Store) -> list[ScoringSummary]:
    """Every stored scoring this view can see, newest first."""
    run, release = KEY_PRODUCT_RUNS.c, RELEASES.c  # over the tables (Core), as the store's reads
    stmt = (select(run.release_id, run.title, release.released_on, run.method, run.cr, run.created_by)
            .select_from(KEY_PRODUCT_RUNS).join(RELEASES, release.id == run.release_id)
            .order_by(release.released_on.desc(), release.id.desc()))
    with store.engine.connect() as conn:
        rows = conn.execute(store.visible(stmt)).all()
    return [ScoringSummary(int(r[0]), r[1], r[2], r[3], None if r[4] is None or np.isnan(r[4]) else float(r[4]), r[5])
            for r in rows]


# ---------------------------------------------------------------- GSO commodity groups as flows

GSO_SOURCE = "trade-gso"
_GSO_TABLES = {"exports": ("VNM", "WLD"), "imports": ("WLD", "VNM")}  # table → (exporter, importer)
MILLION = 1e6  # GSO prints trade values in triệu USD (USD million) and quantities in nghìn tấn (thousand t)


def gso_commodity_hs() -> pd.DataFrame:
    """The declared GSO commodity group → HS mapping (classification/data/gso_commodity_hs.csv, SOURCE.md):
    gso_code, name_vi, flow (exports/imports/both), hs (space-separated codes, ``a-b`` ranges), match, note."""
    from importlib import resources

    path = resources.files("vnindustry.classification") / "data" / "gso_commodity_hs.csv"
    with resources.as_file(path) as file:
        return pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")


def gso_flows(store: Store) -> pd.DataFrame:
    """GSO's exports and imports by commodity group already in the store (source ``gso``, tables exports and
    imports; latest vintage this view can see) as flows: exporter VNM → importer WLD for exports, WLD → VNM for
    imports; product = the group's code (e.g. ``ca-phe``), value in USD, quantity in tonnes where GSO gives one.

    Totals, the sector split (domestic / foreign-invested) and "of which" sub-items are left out, so the
    groups do not double count. Periods are as stored (months, and years where the history has them). A value
    the view withholds (confidential) gives no flow.
    """
    return _gso_flows(store)[0]


def _gso_flows(store: Store) -> tuple[pd.DataFrame, list[int]]:
    """:func:`gso_flows` and the releases its figures come from (its lineage)."""
    parts = []
    inputs: set[int] = set()
    for table, (exporter, importer) in _GSO_TABLES.items():
        obs = store.observations(source="gso", table=table)
        if obs.empty:
            continue
        obs = obs[(obs["kind"] == "item") & ~obs["code"].str.contains(".", regex=False)
                  & obs["measure"].isin(["level", "qty_level"])
                  & ~obs["period"].str.contains("-Q", regex=False)]  # flows are by month or year (issue 13)
        value = obs[obs["measure"] == "level"].set_index(["period", "code"])["value"]
        qty = obs[obs["measure"] == "qty_level"].set_index(["period", "code"])["value"]
        frame = value.dropna().to_frame("value")
        frame["quantity"] = qty.reindex(frame.index) * 1000.0  # nghìn tấn → tonnes
        frame["value"] = frame["value"] * MILLION
        used = obs.set_index(["period", "code"]).index.isin(frame.index) & obs["value"].notna().to_numpy()
        inputs.update(int(r) for r in obs.loc[used, "release_id"].unique())
        frame = frame.reset_index().rename(columns={"code": "product"})
        frame["exporter"], frame["importer"] = exporter, importer
        parts.append(frame)
    if not parts:
        return empty_flows(), []
    flows = pd.concat(parts, ignore_index=True)
    flows = check_flows(flows.loc[:, list(FLOW_COLUMNS)]).sort_values(KEY_COLUMNS).reset_index(drop=True)
    return flows, sorted(inputs)


def store_gso_flows(store: Store, *, released_on: dt.date | None = None, internal: bool = False) -> TradeImport:
    """Store :func:`gso_flows` as a release of source ``trade-gso``; the same GSO figures again store nothing.

    The flows are a derivation that publishes, so they are read from the public view (embargoed GSO releases
    left out, confidential values withheld); ``internal`` reads embargoed releases too (confidential values
    still withheld). Lineage: the release records the GSO releases it was taken from and is dated on the
    latest of them — or on ``released_on`` when that is later — so it is never public before them.
    """
    view = store.public_view(embargo=not internal)
    flows, inputs = _gso_flows(view)
    if flows.empty:
        raise InputError("the store holds no GSO exports or imports by commodity"
                         + ("" if internal else " that are public yet"),
                         fix="import them first: vnindustry import-history FOLDER (xk.csv, nk.csv) or "
                             "vnindustry import-workbook FILE.xlsx"
                             + ("" if internal else "; or --internal to include releases dated after today"))
    return store_flows(store, flows, source=GSO_SOURCE, file="gso exports/imports by commodity",
                       released_on=released_on or dt.date.min, inputs=inputs,
                       note="GSO exports and imports by commodity group (USD; tonnes); "
                       "products are GSO group codes, HS codes in classification/data/gso_commodity_hs.csv")
