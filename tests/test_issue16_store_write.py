"""Issue 16: a release's observations written through the driver (``store.observed.insert_observations``) —
SQLite's executemany of tuples, PostgreSQL's COPY — instead of SQLAlchemy Core's executemany of dicts.

- the rows stored are those Core stores for the same records (every column, the values to the bit: missing
  values, −0.0, the extremes, Vietnamese text), on both backends;
- a row the database refuses raises SQLAlchemy's own error class, and the import leaves nothing;
- the values' fast conversion (a float64 column) equals the per-value one;
- a burst of concurrent imports, and a ``kill -9`` of an import at moments spread over its writes, leave every
  release whole or absent, on both backends;
- a trade release's flows (``store_flows``, the same driver path) are those Core writes, and a burst of trade
  imports leaves each whole.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from builders import burst, run_killed
from vnindustry.store import open_store
from vnindustry.store.observed import INSERTED_COLUMNS, insert_observations
from vnindustry.store.repository import _stored_values, series_key
from vnindustry.store.tables import OBSERVATIONS, RELEASES, SERIES, TRADE_FLOWS

VALUES = [1.0, math.nan, None, -0.0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 123456789.123456789, -42.0, 7]


def _records(values: list[object], *, code: str = "C1", table: str = "iip") -> pd.DataFrame:
    """One series' months with ``values``, and a second series (no code, a cell) in another unit."""
    months = [f"{1900 + i // 12}-{i % 12 + 1:02d}" for i in range(len(values))]
    first = pd.DataFrame({"table": table, "series": "Sản xuất đồ uống (đã điều chỉnh mùa vụ)", "code": code,
                          "unit": "%", "period": months, "measure": "level", "value": values,
                          "status": ["actual", "estimate"] * (len(values) // 2) + ["actual"] * (len(values) % 2),
                          "sheet": "X-13ARIMA-SEATS (seasonally_adjusted)", "cell": ""})
    second = pd.DataFrame({"table": "retail", "series": "Tổng mức bán lẻ hàng hóa", "code": "",
                           "unit": "tỷ đồng", "period": ["2025-Q1", "2025"], "measure": "level",
                           "value": [552_000.5, 2_208_001.25], "status": "actual", "sheet": "Tongmuc",
                           "cell": ["C5", "C6"]})
    return pd.concat([first, second], ignore_index=True)


def _stored(store, release_id: int) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    o = OBSERVATIONS.c
    columns = [getattr(o, c) for c in INSERTED_COLUMNS if c != "release_id"]
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*columns).where(o.release_id == release_id)
                                               .order_by(o.series_id, o.period)).all()]


def _count(store, table=OBSERVATIONS) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_regression_issue16_the_rows_written_are_those_core_writes(db_url: str) -> None:
    store = open_store(db_url)
    summary = store.import_records(_records(VALUES), source="test", file="a.csv", checksum="a",
                                   released_on=dt.date(2025, 1, 1))
    assert summary.observations == len(VALUES) + 2
    written = _stored(store, summary.release_id)
    # The reference: the same rows through SQLAlchemy Core (what import_records did before), as a second release.
    with store.engine.begin() as conn:
        reference = conn.execute(insert(RELEASES).values(
            source="test", file="b.csv", checksum="b", released_on=dt.date(2025, 1, 1),
            imported_at=dt.datetime.now(dt.UTC), note="", synthetic=False)).inserted_primary_key[0]
        ids = dict(conn.execute(select(SERIES.c.key, SERIES.c.id)).all())
        rows = []
        for r in _records(VALUES).itertuples(index=False):
            key = series_key("test", r.table, r.code, r.series)
            value = None if r.value is None or (isinstance(r.value, float) and math.isnan(r.value)) else float(r.value)
            rows.append({"series_id": ids[key], "release_id": reference, "period": r.period, "measure": r.measure,
                         "value": value, "status": r.status, "unit": r.unit,
                         "provenance": f"{r.sheet}!{r.cell}" if r.cell else r.sheet})
        conn.execute(insert(OBSERVATIONS), rows)
    expected = _stored(store, reference)
    assert written == expected
    values = [w[3] for w in written[:len(VALUES)]]
    assert values[1] is None and values[2] is None  # NaN and None: missing
    assert values[3] == 0.0 and values[4] == 5e-324 and values[5] == 1.7976931348623157e308  # SQLite drops −0's sign
    assert values[6] == 0.1 + 0.2 and all(type(v) is float for v in values if v is not None)
    assert {w[-1] for w in written} == {"Tongmuc!C5", "Tongmuc!C6", "X-13ARIMA-SEATS (seasonally_adjusted)"}
    assert {w[-2] for w in written} == {"%", "tỷ đồng"}


def test_issue16_a_refused_row_raises_sqlalchemys_error_and_the_import_leaves_nothing(db_url: str) -> None:
    store = open_store(db_url)
    store.import_records(_records([1.0, 2.0]), source="test", file="a.csv", checksum="a",
                         released_on=dt.date(2025, 1, 1))
    before = (_count(store), _count(store, RELEASES), _count(store, SERIES))
    with store.engine.connect() as conn:
        series_id, release_id = conn.execute(select(OBSERVATIONS.c.series_id, OBSERVATIONS.c.release_id)).first()
    row = (series_id, release_id, "1900-01", "level", 3.0, "actual", "%", "x")  # a vintage already stored
    for rows in ([row], [(10**6, release_id, "2030-01", "level", 1.0, "actual", "%", "x")]):  # unknown series
        with pytest.raises(IntegrityError), store.engine.begin() as conn:
            insert_observations(conn, [(series_id, release_id, "2031-01", "level", 1.0, "actual", "%", "ok"), *rows])
        assert (_count(store), _count(store, RELEASES), _count(store, SERIES)) == before
    # Through import_records: the release row and its series are rolled back with the observations.
    import vnindustry.store.repository as repo

    real = repo.insert_observations
    try:
        repo.insert_observations = lambda conn, rows: real(conn, [*rows, rows[0]])  # a duplicate among the rows
        with pytest.raises(IntegrityError):
            store.import_records(_records([1.0, 2.0], code="C2", table="new"), source="test", file="b.csv",
                                 checksum="b", released_on=dt.date(2025, 1, 1))
    finally:
        repo.insert_observations = real
    assert (_count(store), _count(store, RELEASES), _count(store, SERIES)) == before


def test_issue16_nothing_to_write_writes_nothing(db_url: str) -> None:
    store = open_store(db_url)
    with store.engine.begin() as conn:
        insert_observations(conn, [])
    assert _count(store) == 0


@given(st.lists(st.one_of(st.floats(width=64), st.none(), st.integers(-10**6, 10**6)), max_size=30))
def test_issue16_the_values_fast_conversion_equals_the_per_value_one(values: list[object]) -> None:
    def one(v: object) -> float | None:
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]

    column = pd.Series(values, dtype=object)
    expected = [one(v) for v in values]
    assert _stored_values(column) == expected
    floats = pd.Series([math.nan if v is None else float(v) for v in values], dtype=np.float64)  # type: ignore[arg-type]
    fast = _stored_values(floats)
    assert [None if v is None else v.hex() for v in fast] == [None if v is None else v.hex() for v in expected]
    assert all(v is None or type(v) is float for v in fast)


ROWS_PER_WRITER = 3000


def test_issue16_a_burst_of_imports_leaves_every_release_whole(db_url: str) -> None:
    store = open_store(db_url)

    created: list[int] = []

    def writer(k: int) -> None:
        values = [float(k * 10_000 + i) for i in range(ROWS_PER_WRITER)]
        frame = _records(values, code=f"W{k}")  # its own series, and the retail series every writer adds
        summary = open_store(db_url).import_records(frame, source="burst", file=f"w{k}.csv", checksum=f"w{k}",
                                                    released_on=dt.date(2025, 1, 1))
        created.append(summary.new_series)

    burst(writer)
    assert sum(created) == 9 == _count(store, SERIES)  # each new series counted by the import that added it
    with store.engine.connect() as conn:
        counts = dict(conn.execute(select(RELEASES.c.file, func.count(OBSERVATIONS.c.id))
                                   .join(OBSERVATIONS, OBSERVATIONS.c.release_id == RELEASES.c.id)
                                   .group_by(RELEASES.c.file)).all())
    assert counts == {f"w{k}.csv": ROWS_PER_WRITER + 2 for k in range(8)}
    frame = store.observations(source="burst", keys=["burst/iip/W3"])
    assert frame["value"].tolist() == [float(30_000 + i) for i in range(ROWS_PER_WRITER)]


KILLER = """import sys, time, datetime as dt
import pandas as pd
from vnindustry.store import open_store
store = open_store(sys.argv[1])
n, tag = int(sys.argv[2]), sys.argv[3]
months = [f"{1900 + i // 12}-{i % 12 + 1:02d}" for i in range(1200)]
frame = pd.DataFrame({"table": "iip", "series": [f"Ngành {i // 1200}" for i in range(n)],
                      "code": [f"K{i // 1200}" for i in range(n)], "unit": "%",
                      "period": [months[i % 1200] for i in range(n)], "measure": "level",
                      "value": [float(i) for i in range(n)], "status": "actual", "sheet": "X-13", "cell": ""})
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
store.import_records(frame, source="kill", file=tag, checksum=tag, released_on=dt.date(2025, 1, 1))
print(time.perf_counter() - started, flush=True)
"""
KILL_ROWS = 120_000


@pytest.mark.slow
def test_issue16_kill_9_during_an_import_leaves_the_release_whole_or_absent(db_url: str) -> None:
    store = open_store(db_url)
    took = run_killed(KILLER, [db_url, str(KILL_ROWS), "timing"], None)
    assert took is not None
    outcomes = []
    for attempt, fraction in enumerate((0.05, 0.3, 0.6, 0.9, 1.5, 3.0)):
        run_killed(KILLER, [db_url, str(KILL_ROWS), f"k{attempt}"], took * fraction)
        with store.engine.connect() as conn:
            release = conn.execute(select(RELEASES.c.id).where(RELEASES.c.file == f"k{attempt}")).scalar()
            rows = 0 if release is None else conn.execute(
                select(func.count()).select_from(OBSERVATIONS).where(OBSERVATIONS.c.release_id == release)).scalar()
        assert rows in (0, KILL_ROWS) and (release is None) == (rows == 0), (attempt, fraction, rows)
        outcomes.append(release is not None)
    assert _count(store) == KILL_ROWS * (1 + sum(outcomes))
    # The moments cover both outcomes: some kills landed before the commit and some after.
    assert set(outcomes) == {True, False}, outcomes


# --- the same driver path for a trade release's flows (store.trade.store_flows) ---------------------------------

def _flows(k: int, n: int = 400) -> pd.DataFrame:
    return pd.DataFrame({"period": [str(2000 + i % 20) for i in range(n)], "exporter": "VNM",
                         "importer": [f"I{i // 20:02d}" for i in range(n)], "product": f"{k:02d}0110",
                         "value": [k * 1000 + i + 0.25 for i in range(n)],
                         "quantity": [math.nan if i % 3 == 0 else float(i) for i in range(n)]})


def test_issue16_a_trade_releases_flows_are_those_core_writes(db_url: str) -> None:
    from vnindustry.store.trade import FLOW_ROW, store_flows

    store = open_store(db_url)
    stored = store_flows(store, _flows(1), source="trade", file="a.csv", released_on=dt.date(2025, 1, 1))
    flows = _flows(1)
    with store.engine.begin() as conn:
        reference = conn.execute(insert(RELEASES).values(
            source="trade", file="b.csv", checksum="b", released_on=dt.date(2025, 1, 1),
            imported_at=dt.datetime.now(dt.UTC), note="", synthetic=False)).inserted_primary_key[0]
        conn.execute(insert(TRADE_FLOWS), [
            {"release_id": reference, **{c: r[c] for c in FLOW_ROW[1:6]},
             "quantity": None if math.isnan(r["quantity"]) else r["quantity"]} for r in flows.to_dict("records")])
    t = TRADE_FLOWS.c
    with store.engine.connect() as conn:
        def rows(release: int) -> list[tuple[object, ...]]:
            return [tuple(r) for r in conn.execute(
                select(*(getattr(t, c) for c in FLOW_ROW[1:])).where(t.release_id == release)
                .order_by(t.importer, t.period)).all()]

        written, expected = rows(stored.release_id), rows(reference)
    assert written == expected and len(written) == 400
    assert sum(r[-1] is None for r in written) == 134


def test_issue16_insert_rows_refuses_a_column_the_table_lacks_or_a_date(db_url: str) -> None:
    from vnindustry.store.bulk import insert_rows

    store = open_store(db_url)
    with pytest.raises(ValueError, match="observations has no column"), store.engine.begin() as conn:
        insert_rows(conn, OBSERVATIONS, ("series_id", "colour"), [(1, "red")])
    with pytest.raises(ValueError, match="dates, times and booleans"), store.engine.begin() as conn:
        insert_rows(conn, RELEASES, ("source", "released_on"), [("x", dt.date(2025, 1, 1))])


def test_issue16_insert_rows_as_the_first_statement_of_a_connection_is_committed(db_url: str) -> None:
    """Review of issue 16: a raw cursor does not start SQLAlchemy's transaction; the rows written as a
    connection's first statement must still be committed by its commit (on PostgreSQL they were rolled back)."""
    from vnindustry.store.bulk import insert_rows

    store = open_store(db_url)
    store.import_records(_records([1.0]), source="test", file="a.csv", checksum="a", released_on=dt.date(2025, 1, 1))
    with store.engine.connect() as conn:
        series_id, release_id = conn.execute(select(OBSERVATIONS.c.series_id, OBSERVATIONS.c.release_id)).first()
    before = _count(store)
    with store.engine.connect() as conn:
        insert_rows(conn, OBSERVATIONS, INSERTED_COLUMNS,
                    [(series_id, release_id, "2030-01", "level", 2.5, "actual", "%", "first")])
        assert conn.in_transaction()
        conn.commit()
    assert _count(store) == before + 1


def test_issue16_a_burst_of_trade_imports_leaves_every_release_whole(db_url: str) -> None:
    from vnindustry.store.trade import store_flows, trade_flows

    store = open_store(db_url)
    burst(lambda k: store_flows(open_store(db_url), _flows(k, 2000), source=f"trade-{k}", file=f"f{k}.csv",
                                released_on=dt.date(2025, 1, 1)))
    with store.engine.connect() as conn:
        counts = dict(conn.execute(select(RELEASES.c.source, func.count())
                                   .join(TRADE_FLOWS, TRADE_FLOWS.c.release_id == RELEASES.c.id)
                                   .group_by(RELEASES.c.source)).all())
    assert counts == {f"trade-{k}": 2000 for k in range(8)}
    flows = trade_flows(store)
    mine = flows[flows["product"] == "050110"].sort_values(["importer", "period"])
    assert mine["value"].tolist() == sorted(_flows(5, 2000)["value"].tolist())
