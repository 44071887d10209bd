"""The demo's synthetic trade flows and key-product scoring (demo/trade.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from vnindustry.analysis.key_products import from_store
from vnindustry.analysis.key_products.from_store import StoreValues
from vnindustry.analysis.trade import check_flows, rca, select_flows
from vnindustry.demo import trade as demo_trade
from vnindustry.store import open_store
from vnindustry.store.trade import latest_scoring, trade_flows


def test_flows_are_seeded_and_shaped() -> None:
    flows = demo_trade.demo_flows(7)
    pd.testing.assert_frame_equal(flows, demo_trade.demo_flows(7))
    assert not flows.equals(demo_trade.demo_flows(8))
    check_flows(flows)  # valid: no duplicates, no world total next to bilateral flows
    assert sorted(flows["period"].unique()) == [str(y) for y in range(2015, 2026)]
    assert set(flows["exporter"]) == set(demo_trade.EXPORTERS) and "WLD" not in set(flows["importer"])
    assert {"USA", "CHN", "JPN", "ROW", "DEU", "MLT"} <= set(flows["importer"])
    assert (flows["exporter"] != flows["importer"]).all() and (flows["value"] >= demo_trade.MIN_VALUE * 0.99).all()
    # The crude-oil switch changes Viet Nam's RCA in the EU.
    year = flows[flows["period"] == "2025"]
    with_oil = rca(year, market="EU").set_index(["exporter", "product"])["rca"]
    without = rca(year, market="EU", exclude_crude_oil=True).set_index(["exporter", "product"])["rca"]
    assert ("VNM", "2709") in with_oil.index and ("VNM", "2709") not in without.index
    assert with_oil[("VNM", "85")] != without[("VNM", "85")]
    assert len(select_flows(flows, exclude_crude_oil=True)) < len(flows)


def test_scoring_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The city's figures come from a compiled store (slow to build here): stub them, the rest (the RCA from the
    # stored flows through the general store path) is real. tests/test_key_products_store.py checks the stub's
    # real counterpart on a small compiled store.
    figures = StoreValues()
    for k, c in enumerate(demo_trade.CANDIDATES):
        for criterion, value in (("production_value", 1000.0 + 100 * k), ("production_share", 1.0 + k / 10),
                                 ("growth", k - 3.0)):
            figures.add(c[0], criterion, value, "stub")
    monkeypatch.setattr(from_store, "production_values", lambda store, links, **kw: figures)
    monkeypatch.setattr(demo_trade, "store_products", lambda store, folder: (0, 0))
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    rows, rid = demo_trade.store_demo_trade(store, tmp_path / "products.csv", released_on=dt.date(2026, 1, 15))
    assert rows == len(demo_trade.demo_flows()) and len(trade_flows(store, periods=["2025"])) > 0
    got = latest_scoring(store)
    assert got is not None and got.id == rid and len(got.table) == 15 and "SYNTHETIC" in got.note
    assert (got.table["rca"] > 0).all() and got.table["production_value"].min() == 1000.0
    # The RCA is the group RCA of the candidate's HS codes in the EU, 2025, rounded to 3 decimals.
    flows = demo_trade.demo_flows()
    eu = flows[(flows["period"] == "2025") & flows["importer"].isin(demo_trade.EU27)]
    by = eu.groupby(["exporter", "product"])["value"].sum()
    own = by.loc[("VNM", ["61", "62"])].sum() / by.loc["VNM"].sum()
    world = by.loc[(slice(None), ["61", "62"])].sum() / by.sum()
    assert got.table.set_index("product").loc["CL05", "rca"] == round(own / world, 3)
