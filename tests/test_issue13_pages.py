"""Issue 13, "Pages in words", without a browser: sources and releases named as documents, one date format per
language, /industries in the VSIC hierarchy, signed contributions in percentage points, charts with units, the
synthetic banner, GSO's diacritic style on everything a page prints.

The store is test_pages.py's (a small demo city and GSO's February 2025 workbook), shared through its fixture.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

import test_pages as shared  # tests/ is on sys.path (conftest.py)
from vnindustry.classification.vsic import vsic_ancestors
from vnindustry.store import Store
from vnindustry.store.models import Release
from vnindustry.web import create_app
from vnindustry.web.labels import period_name, release_document, source_name, source_pick
from vnindustry.web.pages import bars_svg, hierarchy_order, lines_svg, movers_svg, signed

store = shared.store


@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return TestClient(create_app(store))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", "", html,
                                                               flags=re.S)))


@pytest.mark.parametrize(("source", "file", "period", "vi", "en"), [
    ("gso", "csv#2024-12", "2024-12", "Lịch sử số liệu của Tổng cục Thống kê, tháng 12/2024",
     "GSO data history, December 2024"),
    ("gso", "2025-02.xlsx", "2025-02", "Biểu số liệu tháng 2/2025", "Monthly statistics workbook, February 2025"),
    ("city", "demo-city", "2025-12", "Chỉ số IIP biên soạn từ báo cáo doanh nghiệp, đến tháng 12/2025",
     "IIP compiled from enterprise reports, to December 2025"),
    ("city", "city compile to 2026-01", "2026-01", "Chỉ số IIP biên soạn từ báo cáo doanh nghiệp, đến tháng 1/2026",
     "IIP compiled from enterprise reports, to January 2026"),
    ("city", "X-13ARIMA-SEATS adjustment", None, "Chuỗi điều chỉnh mùa vụ và theo lịch (X-13ARIMA-SEATS)",
     "Seasonally and calendar adjusted series (X-13ARIMA-SEATS)"),
    ("trade-demo", "demo-trade-flows (synthetic)", "2025", "Số liệu xuất, nhập khẩu theo mặt hàng giả lập, năm 2025",
     "Synthetic trade flows by product, 2025"),
    ("key-products", "Sản phẩm chủ lực 2021–2025", None, "“Sản phẩm chủ lực 2021–2025”",
     "Key industrial product scoring"),
    ("trade", "flows-2024.csv", "2024", "flows-2024.csv", "flows-2024.csv"),  # a user's file keeps its name
])
def test_releases_are_named_as_documents(source: str, file: str, period: str | None, vi: str, en: str) -> None:
    assert release_document(source, file, period, "vi") == vi
    assert release_document(source, file, period, "en") == en


def test_sources_and_periods_in_words() -> None:
    assert source_name("city", "vi") == "Sở Công Thương (báo cáo doanh nghiệp)"
    assert source_name("city", "en") == "Department of Industry and Trade (enterprise reports)"
    assert source_name("gso", "vi") == "Tổng cục Thống kê" and source_name("gso", "en") == "General Statistics Office"
    for code in ("trade-demo", "trade-gso", "key-products", "trade"):
        assert source_name(code, "vi") != code and source_name(code, "en") != code
    assert source_pick("city", "vi") == "Sở Công Thương"
    assert source_name("comtrade", "en") == "comtrade"  # a user's own source keeps the name the user gave it
    assert [period_name(p, "vi") for p in ("2025-12", "2025-Q1", "2025", None, float("nan"), "")] == [
        "tháng 12/2025", "quý I/2025", "năm 2025", "", "", ""]
    assert [period_name(p, "en") for p in ("2025-12", "2025-Q4", "2025")] == ["December 2025", "Q4 2025", "2025"]


def test_signed_contributions() -> None:
    assert [signed(v, 2, "vi") for v in (0.374, -1.505, 0.0, float("nan"))] == ["+0,37", "-1,51", "0,00", "–"]
    assert signed(1234.5, 2, "en") == "+1,234.50" and signed(float("nan"), 2, "vi", withheld=True) == "c"


def test_hierarchy_order_puts_each_section_before_its_divisions() -> None:
    rows = [{"code": c, "kind": k, "parent": p} for c, k, p in [
        ("08", "industry", "B"), ("10", "industry", "C"), ("1010", "industry", "10"), ("35", "industry", "D"),
        ("B", "industry", "TOTAL"), ("C", "industry", "TOTAL"), ("E", "industry", "TOTAL"), ("36", "industry", "E"),
        ("KEY4", "group", None), ("KEY_CHEM", "group", None), ("TOTAL", "total", None), ("10~trend", "adjusted", "10"),
    ]]
    order = [r["code"] for r in hierarchy_order(rows)]
    # section D is missing (GSO prints 35 alone): 35 still sits between C's divisions and E
    assert order == ["TOTAL", "B", "08", "C", "10", "1010", "35", "E", "36", "KEY4", "KEY_CHEM"]
    assert vsic_ancestors("35") == ["D"]


def test_charts_carry_their_unit_and_months_in_words() -> None:
    pts = [("2024-12", 12.5), ("2025-01", -3.0), ("2025-02", 37589.7)]
    svg = str(bars_svg(pts, "vi", title="t", unit="%"))
    assert '<text class="unit"' in svg and ">%</text>" in svg and ">12/2024</text>" in svg and ">2/2025</text>" in svg
    assert ">37.589,7</text>" in svg  # the top tick
    left = float(re.search(r'<rect class="bar[^"]*" x="([\d.]+)"', svg).group(1))
    assert left > len("37.589,7") * 5  # the bars start right of the widest tick label: nothing clipped
    assert "2024-12<" not in svg
    en = str(bars_svg(pts, "en", title="t"))
    assert ">Dec 2024</text>" in en and 'class="unit"' not in en  # no unit given: none drawn (trade's calls)
    lines = str(lines_svg([("a", pts)], "en", title="t", unit="USD million"))
    assert ">USD million</text>" in lines and 'preserveAspectRatio="none"' not in lines  # text not stretched
    x0 = float(re.search(r'<line class="grid" x1="([\d.]+)"', lines).group(1))
    assert x0 >= len("37,589.7") * 6  # the value axis is as wide as its longest label
    long_name = "Nồi, chảo, đồ gia dụng bằng kim loại không gỉ"
    movers = str(movers_svg([(long_name, 18.1), ("Bột mì", -23.9)], "vi", title="t"))
    assert long_name in movers and "…" not in movers


def test_releases_and_calendar_in_words(client: TestClient) -> None:
    for path in ("/releases", "/calendar"):
        for lang in ("vi", "en"):
            text = _text(client.get(path, params={"lang": lang}).text)
            assert not re.search(r"(?<![\w-])(nan|None|city|gso)(?![\w-])", text), (path, lang)
            assert "csv#" not in text and "2025-02.xlsx" not in text and "Số quan sát" not in text
            if lang == "vi":
                assert not re.search(r"\b20\d\d-\d\d(-\d\d)?\b", text), path
                assert "Tổng cục Thống kê" in text and "tháng 2/2025" in text
            else:
                assert "General Statistics Office" in text and "February 2025" in text


def test_industries_in_hierarchy_order_with_percentage_points(client: TestClient) -> None:
    html = client.get("/industries").text
    codes = re.findall(r'<tr class="(?:total|industry|group)[^"]*">\s*<td>([^<]*)</td>', html)
    tree = [c for c in codes if c]
    assert tree[0] == "B" and tree.index("C") < tree.index("10") < tree.index("1010")
    sections = [c for c in tree if c.isalpha()]
    assert sections == sorted(sections) and all(tree.index(s) < tree.index(d) for s, d in (("B", "08"), ("C", "10")))
    assert "KEY4" not in _text(html) and "TOTAL" not in _text(html)
    assert "điểm phần trăm" in html and "điểm %" not in html
    assert re.search(r'<td class="n">[+-]\d+,\d\d</td>', html)  # a signed contribution
    assert "percentage points" in client.get("/industries?lang=en").text


def test_products_say_output_over_quantities(client: TestClient) -> None:
    html = client.get("/products").text
    assert "Sản lượng tháng" in html and "Giá trị tháng" not in html
    assert "Month&#39;s output" in client.get("/products?lang=en").text


def test_source_picker_names_sources(client: TestClient) -> None:
    for path in ("/", "/products", "/bulletins"):
        text = _text(client.get(path).text)
        assert "Sở Công Thương" in text and "Tổng cục Thống kê" in text
        assert not re.search(r"(?<![\w/-])(city|gso)(?![\w-])", text), path


def test_synthetic_banner_on_pages_of_a_synthetic_source(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo city's releases are synthetic (as ``vnindustry demo`` stores them): every page of its figures
    says so; GSO's pages do not. A fresh app: the mark is set here, after other tests filled the page cache."""
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    with store.engine.begin() as conn:
        conn.execute(update(Release).where(Release.source == "city").values(synthetic=True))
    client = TestClient(create_app(store))
    banner = "Dữ liệu giả lập — không phải số liệu chính thức"
    for path in ("/", "/industries", "/products", "/bulletins"):
        assert banner in client.get(path).text, path
    assert "Synthetic data — not official statistics" in client.get("/?lang=en").text
    for path in ("/?source=gso", "/industries?source=gso", "/products?source=gso", "/about", "/trade"):
        assert banner not in client.get(path).text, path
    releases = client.get("/releases").text
    assert re.search(r'<tr data-source="city" class="synthetic">.*?\(giả lập\)', releases, flags=re.S)
    assert not re.search(r'<tr data-source="gso" class="synthetic">', releases)


def test_everything_printed_is_in_gso_style(store: Store, client: TestClient) -> None:
    """Names come from VSIC and GSO's workbooks in either style; the pages print GSO's ("hóa", "thủy")."""
    for path in ("/industries", "/industries?source=gso", "/products", "/trade"):
        text = _text(client.get(path).text)
        assert not re.search(r"(?<![qQ])(o[áàảãạ]|uỷ|uý|uỳ)(?!\w)", text), path
    assert "hóa" in _text(client.get("/industries?source=gso").text)


def test_dates_one_format_per_language(client: TestClient) -> None:
    vi, en = client.get("/releases").text, client.get("/releases?lang=en").text
    assert "<td>06/03/2025</td>" in vi and "<td>6 March 2025</td>" in en
    today = dt.date.today()
    assert not re.search(rf"\b{today.year}-\d\d-\d\d\b", _text(en))
