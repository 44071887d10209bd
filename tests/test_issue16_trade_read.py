"""Issue 16: trade_flows orders the releases once (by date, then import order) instead of reading each row's
release date; the latest value of a cell is still the one of the latest-dated release, import order breaking
ties — whatever order the imports came in."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from vnindustry.analysis.trade import FLOW_COLUMNS
from vnindustry.store import open_store
from vnindustry.store.trade import store_flows, trade_flows

DAY = dt.date(2025, 3, 1)


def _flows(value: float, importer: str = "DEU") -> pd.DataFrame:
    return pd.DataFrame([("2024", "VNM", importer, "0901", value, None)], columns=list(FLOW_COLUMNS))


def test_latest_by_date_then_import_order(db_url: str) -> None:
    store = open_store(db_url)
    late = store_flows(store, _flows(3.0), source="trade", file="late.csv", released_on=DAY + dt.timedelta(days=9))
    early = store_flows(store, _flows(1.0), source="trade", file="early.csv", released_on=DAY)  # imported later
    same_day = store_flows(store, _flows(2.0), source="trade", file="again.csv", released_on=DAY)
    assert late.release_id < early.release_id < same_day.release_id
    got = trade_flows(store, with_release=True)
    assert got["value"].tolist() == [3.0] and got["release_id"].tolist() == [late.release_id]
    # As of a day before the late release: of the two that day, the one imported last.
    before = trade_flows(store, as_of=DAY, with_release=True)
    assert before["value"].tolist() == [2.0] and before["release_id"].tolist() == [same_day.release_id]
    # Other cells keep their own latest release; the frame stays sorted by key.
    other = store_flows(store, _flows(5.0, importer="AUT"), source="trade", file="aut.csv", released_on=DAY)
    both = trade_flows(store, with_release=True)
    assert both["importer"].tolist() == ["AUT", "DEU"] and both["value"].tolist() == [5.0, 3.0]
    assert both["release_id"].tolist() == [other.release_id, late.release_id]


def test_rca_table_cached_per_release_and_shared_by_page_and_api(tmp_path, monkeypatch) -> None:
    """The RCA table is computed once per release and selection (web/competitiveness.py): the page in either
    language and the API agree, and a new release of flows replaces it everywhere."""
    from fastapi.testclient import TestClient

    from test_competitiveness import small_flows
    from vnindustry.web import create_app

    monkeypatch.setenv("VNINDUSTRY_API_RELEASE_POLL", "0")
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store_flows(store, small_flows(), source="trade", file="a.csv", released_on=DAY)
    client = TestClient(create_app(store))

    def shoes() -> tuple[float, str, str]:
        items = client.get("/api/v1/trade/rca").json()["items"]  # the EU, Việt Nam, crude oil left out
        rca = next(i["rca"] for i in items if i["product"] == "64" and i["period"] == "2024")
        return rca, client.get("/competitiveness").text, client.get("/competitiveness?lang=en").text

    before, vi, en = shoes()
    assert before == pytest.approx((30 / 40) / (40 / 90))  # footwear's share of VNM's exports over the market's
    assert "1,69" in vi and "1.69" in en and "1,35" not in vi
    changed = small_flows()
    changed.loc[(changed["period"] == "2024") & (changed["exporter"] == "VNM") & (changed["product"] == "64"),
                "value"] = 90.0
    store_flows(store, changed, source="trade", file="b.csv", released_on=DAY + dt.timedelta(days=1))
    after, vi, en = shoes()
    assert after == pytest.approx((90 / 100) / (100 / 150))
    assert "1,35" in vi and "1.35" in en and "1,69" not in vi and "1.69" not in en


def test_one_read_of_the_flows_per_page_even_without_a_cache(tmp_path, monkeypatch) -> None:
    """Each part of /competitiveness (market list, synthetic mark, RCA table) comes from one read of the flows,
    also with the cache off (``api_cache_entries`` = 0), so that they cannot come from different releases."""
    from fastapi.testclient import TestClient

    import vnindustry.web.competitiveness as page
    from test_competitiveness import small_flows
    from vnindustry.web import create_app

    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setenv("VNINDUSTRY_API_CACHE_ENTRIES", "0")
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store_flows(store, small_flows(), source="trade", file="a.csv", released_on=DAY)
    reads = []
    real = page.trade_flows
    monkeypatch.setattr(page, "trade_flows", lambda *a, **k: reads.append(1) or real(*a, **k))
    client = TestClient(create_app(store))
    for url in ("/competitiveness", "/api/v1/trade/rca"):
        reads.clear()
        assert client.get(url).status_code == 200
        assert len(reads) == 1, url


def _from_rows(store, *, with_release: bool) -> pd.DataFrame:
    """trade_flows as it was built before: SQLAlchemy's Rows, a tuple of each, the frame row by row — then the
    same choice of the latest vintage."""
    from sqlalchemy import select

    from vnindustry.store.tables import RELEASES, TRADE_FLOWS

    flow = TRADE_FLOWS.c
    stmt = store.visible(select(flow.period, flow.exporter, flow.importer, flow.product, flow.value, flow.quantity,
                                flow.release_id).join(RELEASES, RELEASES.c.id == TRADE_FLOWS.c.release_id))
    with store.engine.connect() as conn:
        result = conn.execute(stmt)
        frame = pd.DataFrame([tuple(r) for r in result.all()], columns=list(result.keys()))
        dates = dict(conn.execute(select(RELEASES.c.id, RELEASES.c.released_on)).all())
    frame["rank"] = [(dates[i], i) for i in frame["release_id"]]
    frame = frame.sort_values("rank", kind="stable").drop_duplicates(["period", "exporter", "importer", "product"],
                                                                     keep="last")
    frame = frame.sort_values(["period", "exporter", "importer", "product"], kind="stable")
    frame["value"] = frame["value"].astype("float64")
    frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce").astype("float64")
    for column in ("period", "exporter", "importer", "product"):
        frame[column] = frame[column].astype(object)
    columns = [*FLOW_COLUMNS, "release_id"] if with_release else list(FLOW_COLUMNS)
    return frame.loc[:, columns].reset_index(drop=True)


def test_issue16_the_flows_read_from_the_drivers_tuples_are_those_of_the_rows(db_url: str) -> None:
    store = open_store(db_url)
    first = pd.DataFrame([("2023", "VNM", "DEU", "0901", 10.0, 2.5), ("2024", "VNM", "DEU", "0901", 11.0, None),
                          ("2024", "THA", "FRA", "6403", 1e15 + 0.5, None), ("2024-03", "VNM", "WLD", "27", 7.25, 1.0)],
                         columns=list(FLOW_COLUMNS))
    store_flows(store, first, source="trade", file="a.csv", released_on=DAY)
    second = first.iloc[[1]].assign(value=12.0, quantity=3.0)  # a later vintage of one flow
    store_flows(store, second, source="trade", file="b.csv", released_on=DAY + dt.timedelta(days=1))
    embargoed = first.iloc[[0]].assign(value=99.0)  # published in the future: the public view must not see it
    store_flows(store, embargoed, source="trade", file="c.csv", released_on=dt.date(2099, 1, 1))
    public = store.public_view()
    for view in (store, public):
        for with_release in (False, True):
            got = trade_flows(view, with_release=with_release)
            pd.testing.assert_frame_equal(got, _from_rows(view, with_release=with_release), check_exact=True)
    assert trade_flows(public)["value"].tolist() == [10.0, 1e15 + 0.5, 12.0, 7.25]
    assert 99.0 in trade_flows(store)["value"].tolist()


def test_issue16_check_flows_gives_text_keys_as_before() -> None:
    """check_flows leaves keys that are Python strings as they are (the flows from the store) and converts any
    other key column as ``astype(str)`` does: the same frame either way."""
    from vnindustry.sources.trade_flows import KEY_COLUMNS, _typed, check_flows

    texts = pd.DataFrame({"period": ["2024", "2024"], "exporter": ["VNM", "THA"], "importer": ["DEU", "DEU"],
                          "product": ["0901", "64"], "value": [1.0, None], "quantity": [None, 2.0]})
    mixed = texts.assign(period=[2024, 2024], product=[901, 64])  # numbers, as a frame built in Python may have
    # Object columns that are not all plain strings: a number beside a text, NumPy's string type.
    objects = texts.astype({c: object for c in KEY_COLUMNS})
    objects["period"] = pd.Series([2024, "2024"], dtype=object)
    objects["exporter"] = pd.Series([np.str_("VNM"), "THA"], dtype=object)
    for frame in (texts, texts.astype({c: object for c in KEY_COLUMNS}), mixed, objects):
        by_astype = frame.copy()
        for column in KEY_COLUMNS:
            by_astype[column] = by_astype[column].astype(str)
        expected = _typed(by_astype.assign(value=by_astype["value"].fillna(0.0)))
        got = check_flows(frame)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        assert all(type(v) is str for c in KEY_COLUMNS for v in got[c])  # plain str, whatever came in
    assert check_flows(mixed)["product"].tolist() == ["901", "64"]
    assert check_flows(objects)["period"].tolist() == ["2024", "2024"]
