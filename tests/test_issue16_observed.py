"""Issue 16: the observations' read fetches each series' and release's attributes once per id
(store/observed.py); the frame must be the one the full join gives, fetched with every column on every row."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from vnindustry.store import observed, open_store
from vnindustry.store.observed import OBSERVATION_COLUMNS, observation_statement, read_observations

S, OB, R = observed.SERIES.c, observed.OBSERVATIONS.c, observed.RELEASES.c


def _records(rows):
    return pd.DataFrame([dict(table=t, series=name, code=code, unit=unit, period=p, measure=m, value=v,
                              status=st, sheet="S", cell=c) for t, name, code, unit, p, m, v, st, c in rows])


def _store(url):
    store = open_store(url)
    store.import_records(_records([
        ("iip", "Toàn ngành", "TOTAL", "%", "2025-01", "level", 101.5, "actual", "C1"),
        ("iip", "Toàn ngành", "TOTAL", "%", "2025-02", "level", None, "actual", "C2"),
        ("iip", "Chế biến", "C", "%", "2025-01", "level", 99.25, "estimate", "C3"),
        ("retail", "Bán lẻ", "", "tỷ đồng", "2025-01", "level", 552_000.5, "actual", "D5"),
        ("retail", "Bán lẻ", "", "tỷ đồng", "2025-01", "pct_yoy", 7.5, "actual", "E5"),
    ]), source="gso", file="/data/2025-02.xlsx", checksum="a", released_on=dt.date(2025, 2, 28),
        reference_period="2025-02")
    store.import_records(_records([
        ("iip", "Toàn ngành", "TOTAL", "%", "2025-02", "level", 103.0, "actual", "C2"),
        ("iip", "Khai khoáng", "B", "%", "2025-02", "level", 88.0, "actual", "C4"),
    ]), source="city", file="city-2025-02.csv", checksum="b", released_on=dt.date(2099, 1, 1),
        reference_period="2025-02")
    return store


def _reference(conn, where=()):
    """The full join, every column on every row (the read before issue 16), in the same order."""
    stmt = (select(S.key, S.source, S.table_name.label("table"), S.code, S.name_vi, S.name_en, OB.unit, S.kind,
                   S.level, S.parent, OB.period, OB.measure, OB.value, OB.status, OB.provenance,
                   R.id.label("release_id"), R.released_on, R.file)
            .select_from(observed.SERIES).join(observed.OBSERVATIONS, OB.series_id == S.id)
            .join(observed.RELEASES, R.id == OB.release_id).where(*where))
    result = conn.execute(stmt)
    return pd.DataFrame([tuple(r) for r in result.all()], columns=list(result.keys()))


def _sorted(frame):
    return frame.sort_values(["key", "measure", "period", "release_id"]).reset_index(drop=True)


def test_read_is_the_full_join(db_url):
    store = _store(db_url)
    conditions = [(), (S.source == "gso",), (OB.measure == "level", R.released_on <= dt.date(2026, 1, 1)),
                  (S.key.in_(["gso/iip/TOTAL", "city/iip/B"]),)]
    with store.engine.connect() as conn:
        for where in conditions:
            got = read_observations(conn, observation_statement().where(*where))
            expected = _reference(conn, where)
            assert list(got.columns) == OBSERVATION_COLUMNS
            pd.testing.assert_frame_equal(_sorted(got), _sorted(expected))
        empty = read_observations(conn, observation_statement().where(S.source == "nowhere"))
        assert empty.empty and list(empty.columns) == OBSERVATION_COLUMNS


def test_store_reads_through_it(db_url):
    """What the store answers: a missing value, a missing English name and the embargo as before."""
    store = _store(db_url)
    public = store.public_view(embargo=True)
    frame = public.observations(source="gso", measure="level")
    assert frame["key"].tolist() == ["gso/iip/C", "gso/iip/TOTAL", "gso/iip/TOTAL", "gso/retail/ban-le"]
    assert frame["value"].isna().tolist() == [False, False, True, False]
    assert frame["released_on"].tolist() == [dt.date(2025, 2, 28)] * 4
    assert frame["file"].tolist() == ["2025-02.xlsx"] * 4  # the public sees a document by name
    assert public.observations(source="city").empty  # embargoed until 2099
    assert store.observations(source="city")["value"].tolist() == [88.0, 103.0]


def test_catalogue_sums_up_what_the_view_sees(db_url):
    """The catalogue, now summed up by the observations' own series id in a subquery: first and last period
    (months before quarters), the latest visible release's date, the source filter and the embargo."""
    store = _store(db_url)
    store.import_records(_records([("iip", "Toàn ngành", "TOTAL", "%", "2025-Q1", "level", 100.0, "actual", "Q1")]),
                         source="gso", file="q.xlsx", checksum="q", released_on=dt.date(2025, 4, 30),
                         reference_period="2025-Q1")
    every = store.catalogue().set_index("key")
    assert list(every.index) == sorted(every.index) and len(every) == 5
    total = every.loc["gso/iip/TOTAL"]
    assert (total["first_period"], total["last_period"], total["last_updated"]) == (
        "2025-01", "2025-02", dt.date(2025, 4, 30))  # "2025-Q1" sorts after the months as text: not the last
    assert store.catalogue("city")["key"].tolist() == ["city/iip/B", "city/iip/TOTAL"]
    public = store.public_view(embargo=True).catalogue().set_index("key")
    assert "city/iip/B" not in public.index and len(public) == 3  # only the embargoed release holds it
    assert store.public_view(embargo=True).catalogue("city").empty


def test_import_checks_each_distinct_period_and_names_the_first_bad_row(tmp_path):
    """import_records checks each distinct period once (issue 16: 324,000 rows, 108 months) and still names
    the first bad row's period, sheet and cell; months, quarters and years pass."""
    from vnindustry.errors import InputError

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    good = [("iip", "Toàn ngành", "TOTAL", "%", p, "level", 1.0, "actual", f"C{i}")
            for i, p in enumerate(("2025-01", "2025-Q1", "2025"))]
    assert store.import_records(_records(good), source="gso", file="ok.xlsx", checksum="ok",
                                released_on=dt.date(2025, 2, 1)).observations == 3
    bad = [*good, ("iip", "Chế biến", "C", "%", "2025-13", "level", 1.0, "actual", "D9"),
           ("iip", "Chế biến", "C", "%", "2025-1", "level", 2.0, "actual", "D10")]
    with pytest.raises(InputError, match=r"period '2025-13' is not YYYY-MM, YYYY-Qn or YYYY") as caught:
        store.import_records(_records(bad), source="gso", file="bad.xlsx", checksum="bad",
                             released_on=dt.date(2025, 2, 1))
    assert "S!D9" in str(caught.value) and "bad.xlsx" in str(caught.value)


def test_attributes_by_id_in_chunks_give_the_same_frame(db_url, monkeypatch):
    """More ids than one statement takes (IDS_PER_STATEMENT, 1 here): a statement per chunk, the same frame."""
    store = _store(db_url)
    with store.engine.connect() as conn:
        whole = read_observations(conn, observation_statement())
        monkeypatch.setattr(observed, "IDS_PER_STATEMENT", 1)
        statements = []
        from sqlalchemy import event

        listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
        event.listen(store.engine, "before_cursor_execute", listen)
        try:
            chunked = read_observations(conn, observation_statement())
        finally:
            event.remove(store.engine, "before_cursor_execute", listen)
    pd.testing.assert_frame_equal(chunked, whole)
    assert len(whole["key"].unique()) == 5 and len(statements) == 1 + 5  # the rows, then one per series id
