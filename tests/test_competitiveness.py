"""Trade competitiveness and key products published (issue 7, item 4): the composition checked by hand on a
small frame, the bulletin's annex (snapshots, every writer), the dashboard pages and the API routes."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import vnindustry
from vnindustry.analysis.indicators import monthly_indicators
from vnindustry.analysis.key_products import Thresholds, ahp_weights, make_spec, make_table, score_products
from vnindustry.analysis.key_products.ahp import weights_from_ahp
from vnindustry.publish.bulletin import compose_bulletin
from vnindustry.publish.competitiveness import (
    NoTradeData,
    Scoring,
    annex_sections,
    rca_table,
    store_annex,
    yearly,
)
from vnindustry.publish.document import Bulletin, Paragraph, Table
from vnindustry.publish.writers import write_bulletin
from vnindustry.store import Store, open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.trade import latest_scoring, store_flows, store_scoring
from vnindustry.web import create_app

DATA = Path(__file__).parent / "data"
SNAPSHOTS = Path(__file__).parent / "snapshots"
COLUMNS = ["period", "exporter", "importer", "product", "value", "quantity"]


def small_flows() -> pd.DataFrame:
    """Two years, two exporters into Germany (EU) and the USA; 2023 balanced (RCA 1 without crude oil)."""
    rows = []
    for exporter, values in (("VNM", {"03": 20, "64": 20, "2709": 60}), ("CHN", {"03": 20, "64": 20, "2709": 50})):
        rows += [("2023", exporter, "DEU", p, float(v)) for p, v in values.items()]
    for exporter, values in (("VNM", {"03": 10, "64": 30, "2709": 60}), ("CHN", {"03": 40, "64": 10, "2709": 50})):
        rows += [("2024", exporter, "DEU", p, float(v)) for p, v in values.items()]
    rows += [("2024", "VNM", "USA", "03", 500.0), ("2024", "CHN", "USA", "64", 500.0)]  # not the EU: ignored
    frame = pd.DataFrame(rows, columns=COLUMNS[:5])
    frame["quantity"] = math.nan
    return frame


def small_scoring() -> Scoring:
    """Six candidates on three criteria, weights by AHP (a consistent-enough 3×3 matrix)."""
    table = make_table([(f"P{i}", name, {"production_value": pv, "growth": g, "rca": r}) for i, (name, pv, g, r) in
                        enumerate((("Giày dép", 900, 8, 3.1), ("Thủy sản chế biến", 700, 5, 2.2),
                                   ("Linh kiện điện tử", 1500, 12, 0.9), ("Đồ gỗ nội thất", 400, 9, 2.6),
                                   ("Bao bì nhựa", 300, 3, 0.7), ("Dệt may", 800, 2, 1.4)), start=1)])
    ahp = ahp_weights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], ("production_value", "growth", "rca"))
    result = score_products(table, make_spec(weights_from_ahp(ahp), thresholds=Thresholds(0.6, 0.4)))
    return Scoring.from_result(result, title="Sản phẩm công nghiệp chủ lực 2021–2025", released_on=dt.date(2025, 3, 1))


# -- composition by hand ------------------------------------------------------------------------------------
def test_rca_in_the_eu_by_hand() -> None:
    table = rca_table(small_flows())  # EU, VNM, excluding crude oil
    f = table.frame.set_index(["period", "product"])
    assert table.market == "EU" and table.exporters == ("CHN", "VNM")
    # 2024 without crude oil: VNM 10 + 30 = 40, CHN 40 + 10 = 50, all 90
    assert f.at[("2024", "03"), "rca"] == pytest.approx((10 / 40) / (50 / 90))
    assert f.at[("2024", "64"), "rca"] == pytest.approx((30 / 40) / (40 / 90))
    assert ("2024", "2709") not in f.index
    assert f.at[("2023", "03"), "rca"] == pytest.approx(1.0)
    assert f.at[("2024", "03"), "rca_change"] == pytest.approx((10 / 40) / (50 / 90) - 1.0)
    assert math.isnan(f.at[("2023", "64"), "rca_change"])  # no earlier year
    assert f.at[("2024", "64"), "rca_presence"] == 1 and f.at[("2024", "03"), "rca_presence"] == 0
    assert f.at[("2024", "03"), "share_pct"] == pytest.approx(100 * 10 / 50)
    assert f.at[("2024", "03"), "share_change_pp"] == pytest.approx(100 * (10 / 50 - 20 / 40))
    assert table.total_share["2024"] == pytest.approx(100 * 40 / 90)
    assert list(table.latest()["product"]) == ["64", "03"]  # highest RCA first


def test_crude_oil_switch_changes_the_figures() -> None:
    with_oil = rca_table(small_flows(), exclude_crude_oil=False).frame.set_index(["period", "product"])
    assert with_oil.at[("2024", "03"), "rca"] == pytest.approx((10 / 100) / (50 / 200))
    assert with_oil.at[("2024", "2709"), "rca"] == pytest.approx((60 / 100) / (110 / 200))
    without = rca_table(small_flows()).frame.set_index(["period", "product"])
    assert without.at[("2024", "03"), "rca"] != pytest.approx(with_oil.at[("2024", "03"), "rca"])


def test_monthly_flows_are_summed_into_years_and_missing_selections_say_so() -> None:
    flows = small_flows()
    months = pd.concat([flows.assign(period=flows["period"] + "-01", value=flows["value"] / 2),
                        flows.assign(period=flows["period"] + "-07", value=flows["value"] / 2)])
    assert yearly(months).sort_values(COLUMNS[:4]).reset_index(drop=True)["value"].tolist() == \
        flows.sort_values(COLUMNS[:4]).reset_index(drop=True)["value"].tolist()
    assert rca_table(months).frame["rca"].tolist() == pytest.approx(rca_table(flows).frame["rca"].tolist())
    with pytest.raises(NoTradeData, match="no trade flows"):
        rca_table(flows.iloc[0:0])
    with pytest.raises(NoTradeData, match="no flows into market ASEAN"):
        rca_table(flows, market="ASEAN")
    with pytest.raises(NoTradeData, match="no flows from exporter THA"):
        rca_table(flows, exporter="THA")
    assert annex_sections("vi") == [] and annex_sections("vi", flows=flows, market="ASEAN") == []


def test_scoring_from_a_result_and_from_the_store_agree(tmp_path: Path) -> None:
    scoring = small_scoring()
    assert scoring.cr is not None and scoring.cr < 0.1 and scoring.weights_origin == "ahp"
    assert scoring.weights["weight"].sum() == pytest.approx(1.0)
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    ahp = ahp_weights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], ("production_value", "growth", "rca"))
    table = make_table([(r["product"], r["name"], {c: r[c] for c in scoring.criteria})
                        for r in scoring.table.sort_values("product").to_dict("records")])
    result = score_products(table, make_spec(weights_from_ahp(ahp), thresholds=Thresholds(0.6, 0.4)))
    store_scoring(store, result, title=scoring.title, created_by="test", released_on=dt.date(2025, 3, 1))
    stored = Scoring.from_stored(latest_scoring(store))
    assert stored.title == scoring.title and stored.weights_origin == "ahp" and stored.cr == pytest.approx(scoring.cr)
    assert stored.table[["product", "rank", "class"]].values.tolist() == \
        scoring.table[["product", "rank", "class"]].values.tolist()
    assert stored.sensitivity[["product", "min_rank", "max_rank", "classes"]].values.tolist() == \
        scoring.sensitivity[["product", "min_rank", "max_rank", "classes"]].values.tolist()


# -- the bulletin's annex -----------------------------------------------------------------------------------
def _annex_md(lang: str) -> str:
    bulletin = Bulletin("Phụ lục" if lang == "vi" else "Annex", "", lang, "2025-02",
                        sections=annex_sections(lang, flows=small_flows(), scoring=small_scoring()))
    return write_bulletin(bulletin, "md").decode("utf-8")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_annex_snapshot(lang: str) -> None:
    """Refresh with VNINDUSTRY_UPDATE_SNAPSHOTS=1 after a deliberate change."""
    md = _annex_md(lang)
    snap = SNAPSHOTS / f"bulletin_annex_{lang}.md"
    if os.environ.get("VNINDUSTRY_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(md, encoding="utf-8")
    assert md == snap.read_text(encoding="utf-8")


def test_annex_wording_and_numbers() -> None:
    vi, en = _annex_md("vi"), _annex_md("en")
    assert "## Phụ lục 1. Năng lực cạnh tranh xuất khẩu trên thị trường EU" in vi
    assert "## Phụ lục 2. Sản phẩm công nghiệp chủ lực và tiềm năng" in vi
    assert "có lợi thế so sánh hiện hữu (RCA ≥ 1) ở 1/2 nhóm hàng (không kể dầu thô); cao nhất là giày dép" in vi
    assert f"đạt {100 * 40 / 90:.1f}%".replace(".", ",") in vi  # 44,4%: decimal comma
    assert "| 64 | Giày dép các loại | 1,00 | 1,69 | 0,69 | 75,0 |" in vi
    assert re.search(r"CR = 0,0\d\d ≤ 0,1", vi)
    assert "## Annex 1. Export competitiveness in the EU market" in en and "| 1.00 | 1.69 |" in en
    table = en.split("| HS code")[1].split("\n\n")[0]
    assert not re.search(r"\d,\d", table)  # no decimal commas in English


def test_annex_in_every_writer() -> None:
    for lang in ("vi", "en"):
        bulletin = Bulletin("T", "S", lang, "2025-02",
                            sections=annex_sections(lang, flows=small_flows(), scoring=small_scoring()))
        sheets = [t.sheet_name for t in bulletin.tables()]
        assert len(set(sheets)) == len(sheets) and all(len(s) <= 31 for s in sheets)
        for fmt in ("html", "docx", "pdf", "xlsx"):
            assert len(write_bulletin(bulletin, fmt)) > 1000


def test_compose_bulletin_appends_the_annex_only_when_given(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'city.db'}")
    store_compile(store, vnindustry.compile_dataset(DATA / "ppi_manual"), released_on=dt.date(2020, 6, 5))
    ind = monthly_indicators(store, "2020-05", "city")
    plain = compose_bulletin(ind, "vi")
    assert [s.heading for s in plain.sections] == ["Sản xuất công nghiệp"]
    assert store_annex(store.public_view(), "vi", source="city") == []  # no flows, no scoring: no annex
    with_annex = compose_bulletin(ind, "vi", annex=annex_sections("vi", flows=small_flows(), scoring=small_scoring()))
    assert with_annex.sections[0].heading == "Sản xuất công nghiệp"
    assert [s.heading[:9] for s in with_annex.sections[1:]] == ["Phụ lục 1", "Phụ lục 2"]
    assert isinstance(with_annex.sections[1].blocks[0], Paragraph)
    assert any(isinstance(b, Table) for b in with_annex.sections[2].blocks)


# -- pages and API ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def trade_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Flows and a scoring, nothing else."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('comp') / 'store.db'}")
    store_flows(store, small_flows(), source="trade", file="small.csv", released_on=dt.date(2025, 3, 1))
    ahp = ahp_weights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], ("production_value", "growth", "rca"))
    s = small_scoring()
    table = make_table([(r["product"], r["name"], {c: r[c] for c in s.criteria}) for r in s.table.to_dict("records")])
    store_scoring(store, score_products(table, make_spec(weights_from_ahp(ahp), thresholds=Thresholds(0.6, 0.4))),
                  title=s.title, created_by="test", released_on=dt.date(2025, 3, 1))
    return store


@pytest.fixture
def client(trade_store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return TestClient(create_app(trade_store))


def _row(html: str, product: str) -> list[str]:
    row = re.search(rf'<tr data-product="{product}">(.*?)</tr>', html, re.S)
    assert row, product
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_competitiveness_page_vi_en_and_the_crude_switch(client: TestClient) -> None:
    r = client.get("/competitiveness")
    assert r.status_code == 200 and "default-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert "<h1>Năng lực cạnh tranh xuất khẩu theo thị trường</h1>" in html
    assert _row(html, "64")[:5] == ["64", "Giày dép các loại", "1,00", "1,69", "0,69"]
    assert 'data-crude="include"' in html and "?crude=include" in html  # the switch is a link
    assert 'data-market="USA"' in html and 'data-exporter="CHN"' in html
    assert '<path class="series rca-line"' in html and 'stroke-dasharray="5 4"' in html
    assert 'data-product="2709"' not in html
    included = client.get("/competitiveness?crude=include").text
    assert _row(included, "03")[2:4] != _row(html, "03")[2:4]  # the figures change with the switch
    assert _row(included, "2709")[1] == "Dầu thô"
    en = client.get("/competitiveness?lang=en").text
    assert "<h1>Export competitiveness by market</h1>" in en and _row(en, "64")[2:5] == ["1.00", "1.69", "0.69"]
    chn = client.get("/competitiveness?exporter=CHN").text
    assert '<strong id="exporter" data-code="CHN">Trung Quốc</strong>' in chn
    usa = client.get("/competitiveness?market=USA").text
    assert '<strong id="market" data-code="USA">Hoa Kỳ</strong>' in usa
    for bad in ("/competitiveness?market=ASEAN", "/competitiveness?exporter=THA"):
        got = client.get(bad)
        assert got.status_code == 404 and got.headers["content-type"].startswith("application/problem+json")


def test_key_products_page_lists_every_criterion_weights_cr_and_sensitivity(client: TestClient) -> None:
    html = client.get("/key-products").text
    assert "<h1>Sản phẩm công nghiệp chủ lực và tiềm năng</h1>" in html
    for header in ("Giá trị sản xuất (tỷ đồng)", "Tốc độ tăng trưởng bình quân (%/năm)",
                   "Lợi thế so sánh hiện hữu (RCA), lần"):
        assert f"<th>{header}</th>" in html
    s = small_scoring()
    first = s.table.iloc[0]
    assert f'data-product="{first["product"]}"' in html and "chủ lực" in html
    assert re.search(r"CR = <strong>0,0\d\d</strong>", html) and "nhất quán (CR ≤ 0,1)" in html
    assert 'id="sensitivity"' in html and "(±20%)" in html
    en = client.get("/key-products?lang=en").text
    assert "Key and potential industrial products" in en and "Production value (VND billion)" in en


def test_nav_links_the_new_pages(client: TestClient) -> None:
    html = client.get("/").text
    assert 'href="/competitiveness"' in html and 'href="/key-products"' in html
    assert 'href="/competitiveness?lang=en"' in client.get("/?lang=en").text


def test_rca_api_json_csv_and_the_switch(client: TestClient) -> None:
    doc = client.get("/api/v1/trade/rca").json()
    assert doc["market"] == "EU" and doc["exporter"] == "VNM" and doc["exclude_crude_oil"] is True
    items = {(i["period"], i["product"]): i for i in doc["items"]}
    assert items[("2024", "64")]["rca"] == pytest.approx((30 / 40) / (40 / 90))
    assert items[("2023", "64")]["rca_change"] is None
    assert doc["total_share_pct"]["2024"] == pytest.approx(100 * 40 / 90)
    with_oil = client.get("/api/v1/trade/rca?exclude_crude_oil=false").json()
    oil = {(i["period"], i["product"]): i for i in with_oil["items"]}
    assert oil[("2024", "03")]["rca"] == pytest.approx(0.4) and ("2024", "2709") in oil
    r = client.get("/api/v1/trade/rca?format=csv&exporter=CHN&lang=en")
    assert r.headers["content-type"].startswith("text/csv") and r.content.startswith(b"\xef\xbb\xbf")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("period,exporter,market,product,product_name,rca,rca_presence,rca_change,share_pct,"
                        "share_change_pp")
    assert any(line.startswith("2024,CHN,EU,64,Footwear,") for line in lines)
    assert client.get("/api/v1/trade/rca").headers["etag"]
    for bad, status in (("?market=ASEAN", 404), ("?format=xml", 422), ("?market=%3Bdrop", 422)):
        got = client.get("/api/v1/trade/rca" + bad)
        assert got.status_code == status and got.headers["content-type"].startswith("application/problem+json")


def test_key_products_api_json_and_csv(client: TestClient) -> None:
    doc = client.get("/api/v1/key-products").json()
    assert doc["title"] == "Sản phẩm công nghiệp chủ lực 2021–2025" and doc["method"] == "topsis"
    assert doc["consistency"]["cr"] < 0.1 and len(doc["weights"]) == 3
    assert [i["rank"] for i in doc["items"]] == sorted(i["rank"] for i in doc["items"])
    assert {"production_value", "growth", "rca", "class", "score"} <= set(doc["items"][0])
    r = client.get("/api/v1/key-products?format=csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert r.content.decode("utf-8-sig").splitlines()[0] == \
        "rank,product,name,score,class,class_name,production_value,growth,rca"


def test_empty_store_pages_say_no_data_and_api_404s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    empty = TestClient(create_app(open_store(f"sqlite:///{tmp_path / 'empty.db'}")))
    for path, text in (("/competitiveness", "Chưa có số liệu thương mại song phương"),
                       ("/key-products", "Chưa có kết quả chấm điểm sản phẩm chủ lực"),
                       ("/competitiveness?lang=en", "No bilateral trade flows yet"),
                       ("/key-products?lang=en", "No key-product scoring yet")):
        r = empty.get(path)
        assert r.status_code == 200 and 'id="no-data"' in r.text and text in r.text, path
    for path in ("/api/v1/trade/rca", "/api/v1/key-products"):
        r = empty.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


def test_store_annex_reads_flows_and_the_latest_scoring(trade_store: Store) -> None:
    sections = store_annex(trade_store.public_view(), "vi", source="city")
    assert [s.heading for s in sections] == ["Phụ lục 1. Năng lực cạnh tranh xuất khẩu trên thị trường EU",
                                             "Phụ lục 2. Sản phẩm công nghiệp chủ lực và tiềm năng"]


def test_cli_and_dashboard_bulletins_carry_the_annex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from vnindustry.cli import app

    store = open_store(f"sqlite:///{tmp_path / 'city.db'}")
    store_compile(store, vnindustry.compile_dataset(DATA / "ppi_manual"), released_on=dt.date(2020, 6, 5))
    url = str(store.engine.url)
    before = CliRunner().invoke(app, ["bulletin", "--period", "2020-05", "--db", url])
    assert before.exit_code == 0 and "Phụ lục" not in before.output  # no flows, no scoring: no annex
    store_flows(store, small_flows(), source="trade", file="small.csv", released_on=dt.date(2025, 3, 1))
    after = CliRunner().invoke(app, ["bulletin", "--period", "2020-05", "--db", url])
    assert after.exit_code == 0
    # The month's sections unchanged: the annex is only inserted (before the signature block).
    ops = difflib.SequenceMatcher(None, before.output.splitlines(), after.output.splitlines()).get_opcodes()
    assert {tag for tag, *_ in ops} == {"equal", "insert"}
    assert "## Phụ lục 1. Năng lực cạnh tranh xuất khẩu trên thị trường EU" in after.output
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    md = TestClient(create_app(store)).get("/bulletins/2020-05.md?source=city&lang=en").text
    assert "## Annex 1. Export competitiveness in the EU market" in md
