"""/competitiveness and /key-products in a real browser (Debian's chromium through Playwright).

The ``server`` and ``browser`` fixtures are test_pages.py's, the ``page`` fixture and helpers
test_browser_pages.py's; the ``store`` here is this module's own: synthetic bilateral flows (four exporters into
three EU members and the USA, ten HS groups with crude oil, 2019–2024) and a stored key-product scoring.
Screenshots go to tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest

import test_browser_pages as pages_browser  # tests/ is on sys.path (conftest.py)
import test_pages as shared
from test_competitiveness import small_scoring
from vnindustry.analysis.key_products import Thresholds, ahp_weights, make_spec, make_table, score_products
from vnindustry.analysis.key_products.ahp import weights_from_ahp
from vnindustry.store import Store, open_store
from vnindustry.store.trade import store_flows, store_scoring

server = shared.server
browser = shared.browser
page = pages_browser.page
_open, _shot, _h1 = pages_browser._open, pages_browser._shot, pages_browser._h1

pytestmark = pytest.mark.browser

PRODUCTS = ("03", "09", "40", "44", "61", "62", "64", "85", "94", "2709")


def synthetic_flows(seed: int = 7) -> pd.DataFrame:
    """Deterministic bilateral flows; Viet Nam strong in footwear, apparel, furniture and crude oil."""
    rng = np.random.default_rng(seed)
    strong = {"VNM": {"64": 6.0, "62": 4.0, "94": 3.0, "2709": 3.0}, "CHN": {"85": 4.0, "61": 2.0},
              "THA": {"40": 5.0, "03": 2.0}, "IDN": {"44": 4.0, "2709": 2.0}}
    rows = []
    for year in range(2019, 2025):
        for exporter, boost in strong.items():
            for importer in ("DEU", "FRA", "NLD", "USA"):
                for product in PRODUCTS:
                    trend = 1 + 0.08 * (year - 2019) * (1 if exporter == "VNM" and product in ("85", "64") else 0)
                    value = 100 * boost.get(product, 1.0) * trend * rng.uniform(0.7, 1.3)
                    rows.append((str(year), exporter, importer, product, float(round(value, 3)), np.nan))
    return pd.DataFrame(rows, columns=["period", "exporter", "importer", "product", "value", "quantity"])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('browser-comp') / 'store.db'}")
    store_flows(store, synthetic_flows(), source="trade", file="synthetic.csv", released_on=dt.date(2025, 3, 1))
    s = small_scoring()
    table = make_table([(r["product"], r["name"], {c: r[c] for c in s.criteria}) for r in s.table.to_dict("records")])
    ahp = ahp_weights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], ("production_value", "growth", "rca"))
    store_scoring(store, score_products(table, make_spec(weights_from_ahp(ahp), thresholds=Thresholds(0.6, 0.4))),
                  title=s.title, created_by="test", released_on=dt.date(2025, 3, 1))
    return store


def _cells(pg: Any, product: str) -> list[str]:
    return [c.strip() for c in pg.locator(f'#rca-table tr[data-product="{product}"] td').all_inner_texts()]


def test_competitiveness_chart_crude_switch_market_exporter_and_language(server: str, page: Any) -> None:
    _open(page, server + "/competitiveness")
    assert _h1(page) == "Năng lực cạnh tranh xuất khẩu theo thị trường"
    lines = page.locator("svg.chart.rca path.rca-line")
    assert lines.count() == 8 and lines.first.is_visible()  # the eight strongest groups of the latest year
    assert lines.first.get_attribute("d").count("L") == 5  # six years
    box = page.locator("svg.chart.rca").bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 100
    assert page.locator("#rca-table tbody tr").count() == len(PRODUCTS) - 1  # crude oil left out
    footwear = _cells(page, "64")
    assert footwear[1] == "Giày dép các loại" and "," in footwear[2]  # decimal comma
    _shot(page, "competitiveness-vi")

    page.click('#crude-switch a[data-crude="include"]')
    page.wait_for_load_state("load")
    assert parse_qs(urlsplit(page.url).query).get("crude") == ["include"]
    assert page.locator("#crude-switch strong").inner_text() == "Kể cả dầu thô"
    assert page.locator("#rca-table tbody tr").count() == len(PRODUCTS)
    assert _cells(page, "2709")[1] == "Dầu thô"
    assert _cells(page, "64")[2:8] != footwear[2:8]  # the switch changes the figures
    _shot(page, "competitiveness-crude-included-vi")

    page.click('#market-pick a[data-market="USA"]')
    page.wait_for_load_state("load")
    assert page.locator("#market").inner_text() == "Hoa Kỳ"  # named, not coded (issue 13)
    assert parse_qs(urlsplit(page.url).query).get("crude") == ["include"]  # the switch is kept
    page.click('#exporter-pick a[data-exporter="CHN"]')
    page.wait_for_load_state("load")
    assert page.locator("#exporter").inner_text() == "Trung Quốc"

    page.click("#lang-toggle")
    page.wait_for_load_state("load")
    assert _h1(page) == "Export competitiveness by market"
    assert "." in _cells(page, "85")[2] and "," not in _cells(page, "85")[2]
    assert page.locator("#market").inner_text() == "United States"
    assert page.locator("#exporter").inner_text() == "China"
    _shot(page, "competitiveness-usa-chn-en")

    got = pages_browser._fetch(page, page.locator("#rca-csv").get_attribute("href"))
    assert got["status"] == 200 and got["type"].startswith("text/csv")
    page.watch.check()


def test_key_products_ranking_weights_and_sensitivity(server: str, page: Any) -> None:
    _open(page, server + "/key-products")
    assert _h1(page) == "Sản phẩm công nghiệp chủ lực và tiềm năng"
    assert page.locator("#ranking tbody tr").count() == 6
    headers = [h.strip() for h in page.locator("#ranking thead th").all_inner_texts()]
    assert headers[:5] == ["Hạng", "Mã", "Sản phẩm", "Nhóm", "Điểm"] and len(headers) == 8
    assert page.locator("#ranking tbody tr.key").count() >= 1
    assert "CR = " in page.locator("#consistency").inner_text()
    assert page.locator("#weights tbody tr").count() == 3
    assert page.locator("#sensitivity tbody tr").count() == 6
    _shot(page, "key-products-vi")
    page.click("#lang-toggle")
    page.wait_for_load_state("load")
    assert _h1(page) == "Key and potential industrial products"
    _shot(page, "key-products-en")
    page.watch.check()


def test_nav_reaches_both_pages(server: str, page: Any) -> None:
    _open(page, server + "/key-products")
    page.click('header nav a[href="/competitiveness"]')
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/competitiveness"
    page.click('header nav a[href="/key-products"]')
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/key-products"
    page.watch.check()
