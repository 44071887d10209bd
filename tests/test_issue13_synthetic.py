"""Issue 13, item 4: synthetic stays marked, and an annex goes only with bulletins of its own source.

A small store stands in for the demo: the ppi_manual dataset with a SYNTHETIC marker compiled as "city",
synthetic flows and a synthetic scoring (as ``demo/trade.py`` stores them), and GSO's real 2025-02 workbook
as "gso". Checked: the marker → the compile's release → MonthlyIndicators/TableView.synthetic; every download
format of a synthetic series says so and a real one does not; the annex of "city" is marked and "gso" gets
none; the competitiveness pages carry the banner; the lineage rule of :meth:`Lineage.belongs_to`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import vnindustry
from test_competitiveness import small_flows, small_scoring
from vnindustry.analysis.indicators import month_table, monthly_indicators
from vnindustry.analysis.key_products import default_spec, make_table, score_products
from vnindustry.publish.competitiveness import Lineage, store_annex
from vnindustry.sources.dataset import SYNTHETIC_MARKER, load_dataset
from vnindustry.sources.gso.workbook import read_workbook
from vnindustry.store import Store, open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.gso import store_workbook
from vnindustry.store.trade import store_flows, store_scoring
from vnindustry.web import create_app

DATA = Path(__file__).parent / "data"
CITY_MONTH = "2020-05"
GSO_MONTH = "2025-02"


def synthetic_dataset(tmp: Path) -> Path:
    folder = tmp / "city"
    shutil.copytree(DATA / "ppi_manual", folder)
    (folder / SYNTHETIC_MARKER).write_text("made by a test generator\n", encoding="utf-8")
    return folder


def scoring_result():  # type: ignore[no-untyped-def]
    s = small_scoring()
    return score_products(make_table([(r["product"], r["name"], {c: r[c] for c in s.criteria})
                                      for r in s.table.to_dict("records")]), default_spec(s.criteria))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    tmp = tmp_path_factory.mktemp("synthetic")
    store = open_store(f"sqlite:///{tmp / 'store.db'}")
    city = store_compile(store, vnindustry.compile_dataset(synthetic_dataset(tmp)), released_on=dt.date(2020, 6, 5))
    store_workbook(store, read_workbook(DATA / "gso" / "xlsx" / f"{GSO_MONTH}.xlsx"))
    flows = store_flows(store, small_flows(), source="trade-demo", file="demo flows", released_on=dt.date(2025, 3, 1),
                        synthetic=True)
    store_scoring(store, scoring_result(), title="Sản phẩm chủ lực (dữ liệu giả lập)", created_by="test",
                  released_on=dt.date(2025, 3, 1), inputs=[city.release_id, flows.release_id], synthetic=True)
    return store


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


# -- the marker and the release ----------------------------------------------------------------------------
def test_the_marker_makes_the_dataset_and_its_compile_synthetic(tmp_path: Path) -> None:
    folder = synthetic_dataset(tmp_path)
    assert load_dataset(folder).synthetic and not load_dataset(DATA / "ppi_manual").synthetic
    real = open_store(f"sqlite:///{tmp_path / 'real.db'}")
    store_compile(real, vnindustry.compile_dataset(DATA / "ppi_manual"), released_on=dt.date(2020, 6, 5))
    assert real.synthetic_sources() == frozenset()
    fake = open_store(f"sqlite:///{tmp_path / 'fake.db'}")
    store_compile(fake, vnindustry.compile_dataset(folder), released_on=dt.date(2020, 6, 5))
    assert fake.synthetic_sources() == {"city"}
    # A later compile of the same source without the marker (the portal's close on the demo register) stays marked.
    later = store_compile(fake, vnindustry.compile_dataset(DATA / "ppi_manual"), released_on=dt.date(2020, 7, 5),
                          periods=["2020-04"], document="close 2020-04")
    assert later.release_id in fake.synthetic_release_ids()


def test_indicators_say_synthetic(store: Store) -> None:
    assert monthly_indicators(store, CITY_MONTH, "city").synthetic
    assert not monthly_indicators(store, GSO_MONTH, "gso").synthetic
    view = month_table(store, CITY_MONTH, "city", "iip")
    assert view is not None and view.synthetic
    gso = month_table(store, GSO_MONTH, "gso", "iip")
    assert gso is not None and not gso.synthetic


# -- downloads ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "synthetic"), [("city/iip/TOTAL", True), ("gso/iip/TOTAL", False)])
def test_every_download_format_says_synthetic(client: TestClient, code: str, synthetic: bool) -> None:
    base = f"/api/v1/series/{code}/observations"
    doc = client.get(f"{base}?format=json&lang=en").json()
    assert doc["synthetic"] is synthetic and doc["series"]["synthetic"] is synthetic
    assert (doc.get("note") == "synthetic data") is synthetic
    assert all(("synthetic" in o) is synthetic for o in doc["observations"]) and doc["observations"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}?format=csv").content.decode("utf-8-sig"))))
    assert rows and all(r.get("synthetic") == ("true" if synthetic else None) for r in rows)
    sdmx = list(csv.DictReader(io.StringIO(client.get(f"{base}?format=sdmx-csv").text)))
    assert sdmx and all(r.get("SYNTHETIC") == ("true" if synthetic else None) for r in sdmx)
    stat = json.loads(client.get(f"{base}?format=json-stat&lang=vi").content)
    assert stat["extension"]["synthetic"] is synthetic and ("note" in stat) is synthetic
    with zipfile.ZipFile(io.BytesIO(client.get(f"{base}?format=xlsx").content)) as z:
        strings = z.read("xl/sharedStrings.xml").decode("utf-8")
    assert ("dữ liệu giả lập" in strings) is synthetic
    item = next(i for i in client.get(f"/api/v1/series?q={code.split('/')[0]}&limit=1000").json()["items"]
                if i["code"] == code)
    assert item["synthetic"] is synthetic


def test_trade_and_key_product_apis_say_synthetic(client: TestClient) -> None:
    rca = client.get("/api/v1/trade/rca?lang=en").json()
    assert rca["synthetic"] is True and all(i["synthetic"] is True for i in rca["items"])
    assert "synthetic" in client.get("/api/v1/trade/rca?format=csv").text.splitlines()[0]
    kp = client.get("/api/v1/key-products?lang=en").json()
    assert kp["synthetic"] is True
    assert {i["name"] for i in kp["items"]} >= {"Footwear", "Electronic components"}  # names in English


# -- pages and the annex ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/competitiveness", "/key-products"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_competitiveness_pages_carry_the_banner(client: TestClient, path: str, lang: str) -> None:
    page = client.get(f"{path}?lang={lang}").text
    assert 'id="synthetic-banner"' in page
    if lang == "en":
        assert "Sản phẩm chủ lực (dữ liệu giả lập)" not in page  # a Vietnamese run title is left out in English


def test_market_and_exporter_names(client: TestClient) -> None:
    vi = client.get("/competitiveness").text
    en = client.get("/competitiveness?lang=en").text
    assert 'data-exporter="VNM">Việt Nam<' in vi and 'data-code="EU">' in vi
    assert "Trung Quốc" in vi and "China" in en and ">CHN<" not in en


def test_the_annex_goes_only_with_its_own_source(store: Store) -> None:
    public = store.public_view()
    assert store_annex(public, "vi", source="gso") == []
    vi = store_annex(public, "vi", source="city")
    assert [s.heading for s in vi] == [
        "Phụ lục 1. Năng lực cạnh tranh xuất khẩu trên thị trường EU (dữ liệu giả lập)",
        "Phụ lục 2. Sản phẩm công nghiệp chủ lực và tiềm năng (dữ liệu giả lập)"]
    en = store_annex(public, "en", source="city")
    assert all(s.heading.endswith("(synthetic data)") for s in en)
    assert all(s.blocks[0].text.startswith("Synthetic data made by the demo generator") for s in en)  # type: ignore[union-attr]


def test_bulletin_routes_append_the_annex_to_its_source_only(client: TestClient) -> None:
    gso = client.get(f"/bulletins/{GSO_MONTH}.md?source=gso&lang=vi").text
    assert "Phụ lục" not in gso and "giả lập" not in gso
    city = client.get(f"/bulletins/{CITY_MONTH}.md?source=city&lang=en").text
    assert "Annex 1. Export competitiveness in the EU market (synthetic data)" in city


def test_the_lineage_rule() -> None:
    lineage = Lineage(sources={1: "city", 2: "gso", 3: "trade-demo", 4: "trade", 5: "trade-gso", 6: "key-products"},
                      synthetic=frozenset({1, 3, 6}), inputs={5: (2,), 6: (1, 3)},
                      bulletin_sources=frozenset({"city", "gso"}))
    assert lineage.belongs_to(3, "city") and not lineage.belongs_to(3, "gso")  # synthetic, no inputs: with synthetic
    assert lineage.belongs_to(4, "gso") and not lineage.belongs_to(4, "city")  # real, no inputs: with real
    assert lineage.belongs_to(5, "gso") and not lineage.belongs_to(5, "city")  # computed from GSO's releases
    assert lineage.belongs_to(6, "city") and not lineage.belongs_to(6, "gso")  # computed from the city's compile
