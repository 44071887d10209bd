"""Who backs each cell (compile), the stored suppression pattern and the public view, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

import vnindustry
from vnindustry.compile.disclosure import disclosure_pattern
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.disclosure import mask
from vnindustry.web import create_app

PPI = Path(__file__).parent / "data" / "ppi_manual"


@pytest.fixture(scope="module")
def ppi():
    return vnindustry.compile_dataset(PPI)


def test_dominant_share_matches_a_hand_computation(ppi) -> None:
    """Independently: each enterprise's part of W·I is Σ W(leaf)·w(p)/(Σw·q̄₀(p))·q over its products."""
    prod = pd.read_csv(PPI / "production.csv")
    products = pd.read_csv(PPI / "products.csv").set_index("code")
    coef = products["weight"] / (products["weight"].sum() * products["base_quantity"])  # one leaf, W cancels
    prod["v"] = prod["quantity"] * prod["product"].map(coef)
    per = prod.groupby(["period", "enterprise"])["v"].sum()
    expected = (per.groupby("period").max() / per.groupby("period").sum()).rename("share")
    counts = prod[prod["quantity"] > 0].groupby("period")["enterprise"].nunique()
    total = ppi.table[ppi.table["code"] == "TOTAL"].set_index("period")
    np.testing.assert_allclose(total["dominant_share"].to_numpy(), expected.reindex(total.index).to_numpy(),
                               rtol=1e-12)
    assert total["enterprises"].tolist() == counts.reindex(total.index).tolist()
    # One enterprise per product: every product is confidential; the total (6 enterprises, < 85%) is not.
    assert (ppi.products["enterprises"] == 1).all() and (ppi.products["dominant_share"] == 1).all()
    assert (ppi.products["suppression"] == "primary").all()
    assert (ppi.table["suppression"] == "").all()


def test_forced_cells_stay_suppressed_and_close_their_relations(ppi) -> None:
    """An earlier release's suppression is kept (as primary); C is the total's only child, so it goes too."""
    table, _ = disclosure_pattern(ppi.dataset, ppi.table, ppi.products, forced={"2020-03": {"TOTAL"}})
    hit = dict(zip(zip(ppi.table["period"], ppi.table["code"], strict=True), table, strict=True))
    assert hit[("2020-03", "TOTAL")] == "primary" and hit[("2020-03", "C")] == "secondary"
    assert hit[("2020-04", "TOTAL")] == ""


def test_mask_withholds_every_figure_computed_from_a_suppressed_level() -> None:
    periods = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    measures = ["level", "pct_change_prev_month", "pct_change_same_month_last_year", "pct_change_ytd_last_year",
                "contribution_pp", "enterprises"]
    frame = pd.DataFrame([{"key": k, "period": p, "measure": m, "value": 1.0}
                          for k in ("s/iip/A", "s/iip/A~trend", "s/iip/B") for p in periods for m in measures])
    suppressed = pd.DataFrame({"key": ["s/iip/A"], "period": ["2024-05"]})
    out = mask(frame, suppressed)
    assert "enterprises" not in set(out["measure"])
    flagged = out[out["flag"] == "c"]
    assert flagged["value"].isna().all()
    got = {(k, p, m) for k, p, m in zip(flagged["key"], flagged["period"], flagged["measure"], strict=True)}
    for key in ("s/iip/A", "s/iip/A~trend"):  # the adjusted series follows its series
        want = {(key, "2024-05", m) for m in measures[:5]}
        want |= {(key, "2024-06", "pct_change_prev_month"), (key, "2025-05", "pct_change_same_month_last_year"),
                 (key, "2025-05", "contribution_pp")}
        want |= {(key, f"2024-{m:02d}", "pct_change_ytd_last_year") for m in range(5, 13)}
        want |= {(key, f"2025-{m:02d}", "pct_change_ytd_last_year") for m in range(5, 13)}
        assert {g for g in got if g[0] == key} == want
    assert not any(g[0] == "s/iip/B" for g in got)
    internal = mask(frame, suppressed, public=False)  # statisticians: values kept, flags shown
    assert "enterprises" in set(internal["measure"]) and internal["value"].notna().all()
    # The same figures flagged, plus the internal measure of the suppressed cells themselves.
    assert (internal["flag"] == "c").sum() == len(flagged) + 2


def test_issue16_mask_reads_each_key_once_and_a_missing_key_borrows_no_other_series() -> None:
    """mask splits each series' key once (issue 16); a row without a key is its own, never flagged by the
    suppressions of the series whose key came last (the review of that change)."""
    frame = pd.DataFrame({"key": ["a/t/2", None, "a/t/1~trend", "a/t/1"], "period": ["2025-01"] * 4,
                          "measure": ["level"] * 4, "value": [1.0, 2.0, 3.0, 4.0]})
    out = mask(frame, pd.DataFrame({"key": ["a/t/1"], "period": ["2025-01"]}))
    assert out["flag"].tolist() == ["", "", "c", "c"]
    assert out["value"].isna().tolist() == [False, False, True, True]


def test_the_store_keeps_the_pattern_and_serves_it_withheld(db_url: str, ppi, monkeypatch) -> None:
    store = open_store(db_url)
    store_compile(store, ppi, released_on=dt.date(2020, 6, 10))
    supp = store.suppressions()
    assert len(supp) == 6 * 5 and set(supp["reason"]) == {"primary"}
    internal = store.observations(keys=["city/products/P1"], measure="level")
    assert internal["value"].notna().all() and (internal["flag"] == "c").all()
    public = store.public_view().observations(keys=["city/products/P1", "city/iip/TOTAL"])
    p1 = public[public["key"] == "city/products/P1"]
    assert p1["value"].isna().all() and (p1["flag"] == "c").all()
    total = public[(public["key"] == "city/iip/TOTAL") & (public["measure"] == "level")]
    assert total["value"].notna().all() and (total["flag"] == "").all()
    assert not set(public["measure"]) & {"enterprises", "dominant_share"}

    # Through the API, in every format: empty value, flag c.
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    client = TestClient(create_app(store))
    doc = client.get("/api/v1/series/city/products/P1/observations").json()
    assert doc["observations"] and all(o["value"] is None and o["flag"] == "c" for o in doc["observations"])
    csv = client.get("/api/v1/series/city/products/P1/observations", params={"format": "csv"}).content
    lines = csv.decode("utf-8-sig").splitlines()
    flag = lines[0].split(",").index("flag")
    assert all(line.split(",")[flag] == "c" for line in lines[1:])
    sdmx = client.get("/api/v1/series/city/products/P1/observations", params={"format": "sdmx-csv"}).text
    header = sdmx.splitlines()[0].split(",")
    assert all(row.split(",")[header.index("CONF_STATUS")] == "C" for row in sdmx.splitlines()[1:])
    stat = client.get("/api/v1/series/city/products/P1/observations", params={"format": "json-stat"}).json()
    assert set(stat["status"].values()) == {"c"} and all(v is None for v in stat["value"])

    # A second compile of the same data: nothing new, the pattern unchanged, no duplicate rows.
    store_compile(store, ppi, status="actual", released_on=dt.date(2020, 7, 10))
    assert len(store.suppressions()) == 30
    assert math.isnan(store.public_view().observations(keys=["city/products/P1"], measure="index")["value"].max())


def test_regression_issue5_bulletin_shows_c_for_withheld_industries(tmp_path) -> None:
    """A bulletin is a publication: a withheld industry's row reads c in every format, with the note."""
    import io

    from openpyxl import load_workbook

    from vnindustry.analysis.indicators import monthly_indicators
    from vnindustry.demo.city import generate_city
    from vnindustry.publish.bulletin import compose_bulletin
    from vnindustry.publish.document import CONFIDENTIAL_NOTE, BulletinFormat
    from vnindustry.publish.writers import write_bulletin

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    result = vnindustry.compile_dataset(generate_city(tmp_path / "c", n_enterprises=150, start="2019-01",
                                                      end="2021-12"))
    store_compile(store, result)
    t = result.table
    hidden = t[(t["period"] == "2021-12") & (t["level"] == 1) & (t["suppression"] != "")]
    assert not hidden.empty, "the small city must have a withheld section"
    bulletin = compose_bulletin(monthly_indicators(store.public_view(), "2021-12", "city"), "vi")
    md = write_bulletin(bulletin, BulletinFormat.MD).decode("utf-8")
    from vnindustry.publish.wording import gso_style

    for name in hidden["name_vi"]:
        # The IIP table's rows start with the VSIC code (issue 13); names in GSO's diacritic style.
        row = next(line for line in md.splitlines() if f" | {gso_style(name)} | " in line and line.startswith("| "))
        assert row.split("|")[3:6] == [" c ", " c ", " c "], row
    assert CONFIDENTIAL_NOTE["vi"] in md
    book = load_workbook(io.BytesIO(write_bulletin(bulletin, BulletinFormat.XLSX)))
    cells = [c.value for row in book["IIP"].iter_rows() for c in row]
    # Every withheld row of the table (the hierarchy now lists withheld divisions too) shows "c", as the .md does.
    assert cells.count("c") >= 3 * len(hidden) and cells.count("c") == md.count("| c ")


def test_regression_issue6_embargoed_release_is_invisible_until_its_day(tmp_path, monkeypatch) -> None:
    """A release stored with a later publication date is not public: not in the API, the catalogue, the
    releases list or the cache key, until Vietnam's date reaches it; statisticians (and --preview) see it."""
    import vnindustry.store.repository as repository

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    ppi = vnindustry.compile_dataset(PPI)
    store_compile(store, ppi, released_on=dt.date(2020, 6, 10))
    monkeypatch.setattr(repository, "today_in_vietnam", lambda: dt.date(2020, 7, 1))
    later = store_compile(store, ppi, status="actual", released_on=dt.date(2020, 7, 6))  # scheduled
    public = store.public_view()
    assert later.release_id not in set(public.releases()["id"]) and public.latest_release_id() < later.release_id
    def may(view) -> str:  # the status of May 2020 (the estimate, then its actual)
        frame = view.observations(keys=["city/iip/TOTAL"], measure="level", start="2020-05", end="2020-05")
        return str(frame["status"].iloc[0])

    assert may(public) == "estimate"
    assert may(store.public_view(embargo=False)) == "actual" and may(store) == "actual"  # preview, statisticians
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    client = TestClient(create_app(store))
    assert client.get("/api/v1/healthz").json()["latest_release"] < later.release_id

    def served(client: TestClient) -> str:
        obs = client.get("/api/v1/series/city/iip/TOTAL/observations", params={"measure": "level"}).json()
        return next(o["status"] for o in obs["observations"] if o["period"] == "2020-05")

    assert served(client) == "estimate"
    monkeypatch.setattr(repository, "today_in_vietnam", lambda: dt.date(2020, 7, 6))  # publication day
    assert store.public_view().latest_release_id() == later.release_id
    assert served(TestClient(create_app(store))) == "actual"
