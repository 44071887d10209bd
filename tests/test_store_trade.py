"""Trade flows and key-product scoring runs in the store (store/trade.py, migration 0007), on both backends."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from vnindustry.analysis.key_products import ahp_weights, default_spec, make_spec, make_table, score_products
from vnindustry.analysis.key_products.ahp import weights_from_ahp
from vnindustry.analysis.trade import FLOW_COLUMNS, rca
from vnindustry.errors import InputError
from vnindustry.store import open_store
from vnindustry.store.db import make_engine
from vnindustry.store.repository import today_in_vietnam
from vnindustry.store.trade import (
    latest_scoring,
    load_scoring,
    scorings,
    store_flows,
    store_scoring,
    trade_flows,
)

DAY = dt.date(2025, 3, 1)


def flows() -> pd.DataFrame:
    """Bilateral flows of two years: 3 exporters × 2 importers × 3 products, one quantity missing."""
    rows = []
    for year in ("2023", "2024"):
        for e, base in (("VNM", 10.0), ("THA", 7.0), ("CHN", 50.0)):
            for i in ("DEU", "USA"):
                for k, p in enumerate(("0901", "2709", "8517")):
                    rows.append((year, e, i, p, base * (k + 1) + (year == "2024"), 1.5 * k if k else np.nan))
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS))


def test_round_trip_idempotence_and_revision(db_url: str) -> None:
    store = open_store(db_url)
    frame = flows()
    first = store_flows(store, frame, source="trade", file="flows.csv", released_on=DAY, note="test")
    assert not first.unchanged and first.rows == len(frame)
    back = trade_flows(store)
    assert list(back.columns) == list(FLOW_COLUMNS)
    expected = frame.sort_values(["period", "exporter", "importer", "product"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    assert back["quantity"].isna().sum() == frame["quantity"].isna().sum()
    # Same flows in another order: nothing stored, the first release returned.
    again = store_flows(store, frame.iloc[::-1], source="trade", file="copy.csv", released_on=DAY)
    assert again.unchanged and again.release_id == first.release_id and again.rows == 0
    # A later release revises one flow and adds a period; the others keep their value.
    revised = frame[(frame["period"] == "2024") & (frame["exporter"] == "VNM")].copy()
    revised.loc[revised["product"] == "8517", "value"] = 999.0
    extra = pd.DataFrame([("2025", "VNM", "DEU", "0901", 5.0, np.nan)], columns=list(FLOW_COLUMNS))
    second = store_flows(store, pd.concat([revised, extra]), source="trade", file="rev.csv",
                         released_on=DAY + dt.timedelta(days=30))
    assert not second.unchanged and second.release_id != first.release_id
    now = trade_flows(store)
    assert len(now) == len(frame) + 1
    got = now.set_index(["period", "exporter", "importer", "product"])["value"]
    assert got[("2024", "VNM", "DEU", "8517")] == 999.0 and got[("2024", "VNM", "USA", "8517")] == 999.0
    assert got[("2023", "VNM", "DEU", "8517")] == 30.0
    # "as of" the first release's day: the revision is not known yet.
    old = trade_flows(store, as_of=DAY).set_index(["period", "exporter", "importer", "product"])["value"]
    assert old[("2024", "VNM", "DEU", "8517")] == 31.0
    # Filters, and the indices run on what the store gives back.
    part = trade_flows(store, periods=["2023"], importers=["DEU"], products=["0901", "8517"])
    assert set(part["period"]) == {"2023"} and set(part["importer"]) == {"DEU"} and len(part) == 6
    assert rca(trade_flows(store, periods=["2023"]), market="DEU")["rca"].notna().all()


def test_embargo_hides_future_release(db_url: str) -> None:
    store = open_store(db_url)
    frame = flows()
    store_flows(store, frame, source="trade", file="a.csv", released_on=DAY)
    changed = frame.assign(value=frame["value"] * 2)
    store_flows(store, changed, source="trade", file="b.csv", released_on=today_in_vietnam() + dt.timedelta(days=3))
    assert trade_flows(store)["value"].sum() == pytest.approx(2 * frame["value"].sum())
    public = store.public_view()
    assert trade_flows(public)["value"].sum() == pytest.approx(frame["value"].sum())
    assert trade_flows(store.public_view(embargo=False))["value"].sum() == pytest.approx(2 * frame["value"].sum())

    table = make_table([("A", "Áo", {"production_value": 10, "rca": 2.0}), ("B", "Bia", {"production_value": 5,
                                                                                          "rca": 0.5})])
    spec = default_spec(("production_value", "rca"))
    early = store_scoring(store, score_products(table, spec), title="Đợt 1", created_by="t", released_on=DAY)
    ahp = make_spec(weights_from_ahp(ahp_weights([[1, 3], [1 / 3, 1]], ("production_value", "rca"))))
    late = store_scoring(store, score_products(table, ahp), title="Đợt 2", created_by="t",
                         released_on=today_in_vietnam() + dt.timedelta(days=1))
    assert latest_scoring(store).id == late  # type: ignore[union-attr]
    assert latest_scoring(public).id == early  # type: ignore[union-attr]
    assert [s.id for s in scorings(public)] == [early]
    assert load_scoring(public, late) is None and load_scoring(store, late) is not None


def test_scoring_round_trip(db_url: str) -> None:
    store = open_store(db_url)
    assert latest_scoring(store) is None and scorings(store) == []
    rows = [(f"P{i}", f"Sản phẩm {i}", {"production_value": 100 + 13 * i, "growth": (i * 7) % 11 - 2,
                                         "rca": 0.3 + i / 5, "technology_level": 1 + i % 5}) for i in range(8)]
    table = make_table(rows)
    codes = ("production_value", "growth", "rca", "technology_level")
    pairwise = [[1, 2, 3, 4], [1 / 2, 1, 2, 3], [1 / 3, 1 / 2, 1, 2], [1 / 4, 1 / 3, 1 / 2, 1]]
    result = score_products(table, make_spec(weights_from_ahp(ahp_weights(pairwise, codes))))
    rid = store_scoring(store, result, title="Chủ lực 2021–2025", created_by="analyst", released_on=DAY)
    assert store_scoring(store, result, title="Chủ lực 2021–2025", created_by="analyst", released_on=DAY) == rid
    got = latest_scoring(store)
    assert got is not None and got.id == rid and got.title == "Chủ lực 2021–2025" and got.released_on == DAY
    assert got.method == "topsis" and got.spec == result.spec.to_dict()
    assert list(got.table.columns) == ["product", "name", "score", "rank", "class", *codes]
    assert list(got.table["product"]) == [r.product for r in result.ranking]
    assert np.allclose(got.table["score"], [r.score for r in result.ranking], rtol=0, atol=0)
    assert list(got.table["rank"]) == [r.rank for r in result.ranking]
    assert list(got.table["class"]) == [r.klass for r in result.ranking]
    assert got.table["name"].iloc[0].startswith("Sản phẩm")
    assert list(got.weights["criterion"]) == list(codes)
    assert np.array_equal(got.weights["weight"].to_numpy(), np.array(result.weights.values))
    assert result.ahp is not None
    assert (got.lambda_max, got.ci, got.ri, got.cr) == (result.ahp.lambda_max, result.ahp.ci, result.ahp.ri,
                                                        result.ahp.cr)
    assert len(got.sensitivity) == 2 * len(codes) * len(rows)
    assert list(got.sensitivity.columns) == ["criterion", "change", "weight", "product", "score", "rank", "class"]
    assert list(got.ranges["product"]) == list(got.table["product"])
    summary = scorings(store)
    assert [(s.id, s.title, s.method, s.cr) for s in summary] == [(rid, got.title, "topsis", result.ahp.cr)]
    # Direct weights: no consistency figures.
    direct = score_products(table, default_spec(codes, method="wsm"))
    other = store_scoring(store, direct, title="WSM", created_by="analyst", released_on=DAY + dt.timedelta(days=1))
    newest = latest_scoring(store)
    assert newest is not None and newest.id == other and newest.method == "wsm"
    assert newest.cr is None and newest.lambda_max is None and scorings(store)[0].cr is None


def test_bad_flows_name_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    bad = flows()
    bad.loc[3, "value"] = -1.0
    with pytest.raises(InputError, match="not valid") as info:
        store_flows(store, bad, source="trade", file="bad.csv", released_on=DAY)
    assert "bad.csv" in str(info.value)
    wrong = flows().replace({"period": {"2024": "2024-13"}})
    with pytest.raises(InputError, match="YYYY-MM"):
        store_flows(store, wrong, source="trade", file="bad.csv", released_on=DAY)
    assert trade_flows(store).empty
    with pytest.raises(InputError, match="title"):
        store_scoring(store, score_products(make_table([("A", "a", {"rca": 1.0})]), default_spec(("rca",))),
                      title=" ", created_by="x", released_on=DAY)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_migration_from_0006(backend: str, tmp_path, request) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    from importlib import resources
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("vnindustry.store") / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    assert "trade_flows" not in inspect(engine).get_table_names()
    store = open_store(url)  # upgrades 0006 → head
    names = inspect(store.engine).get_table_names()
    assert {"trade_flows", "key_product_runs"} <= set(names)
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(store.engine).get_indexes("trade_flows")}
    assert indexes["ix_trade_flow_market"] == ["period", "importer", "product"]
    assert store_flows(store, flows(), source="trade", file="f.csv", released_on=DAY).rows == 36
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    assert "trade_flows" not in inspect(store.engine).get_table_names()
    engine.dispose()
    store.engine.dispose()
