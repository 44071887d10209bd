"""Issue 16: trade_flows orders the releases once (by date, then import order) instead of reading each row's
release date; the latest value of a cell is still the one of the latest-dated release, import order breaking
ties — whatever order the imports came in."""

from __future__ import annotations

import datetime as dt

import pandas as pd

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
