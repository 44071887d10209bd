"""The dashboard pages (vnindustry.web.pages): server-rendered, Vietnamese by default, offline.

Fast tests use the TestClient; the ``browser`` tests drive Debian's chromium through Playwright against
uvicorn on 127.0.0.1 (skipped when /usr/bin/chromium is missing, except in CI where that fails).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import random
import re
import socket
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

import vnindustry
from vnindustry.demo.city import generate_city
from vnindustry.sources.gso import read_workbook
from vnindustry.store import Store, open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.gso import store_workbook
from vnindustry.web import create_app

DATA = Path(__file__).parent / "data"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGES = ["/", "/?source=gso", "/industries", "/industries?code=10", "/industries?source=gso", "/about", "/releases",
         "/products", "/products?source=gso", "/trade", "/trade?source=city", "/bulletins", "/bulletins?source=gso",
         "/calendar"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A small demo city (compiled IIP, 2018–2025) and GSO's February 2025 workbook (retail, trade)."""
    tmp = tmp_path_factory.mktemp("pages")
    store = open_store(f"sqlite:///{tmp / 'store.db'}")
    store_compile(store, vnindustry.compile_dataset(generate_city(tmp / "city", n_enterprises=150)))
    store_workbook(store, read_workbook(DATA / "gso" / "xlsx" / "2025-02.xlsx"))
    return store


@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return TestClient(create_app(store))


class _Resources(HTMLParser):
    """Every URL the page refers to (href, src, action …) and the rel=alternate links."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.alternates: list[dict[str, str]] = []
        self.has_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.has_svg |= tag == "svg"
        for name in ("href", "src", "action", "srcset", "data", "poster", "xlink:href"):
            if name in a:
                self.urls.append((tag, name, a[name]))
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)


def _parse(html: str) -> _Resources:
    p = _Resources()
    p.feed(html)
    return p


# -- fast tests ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_html_with_own_assets_only(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    page = _parse(r.text)
    for tag, attr, url in page.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"<{tag} {attr}={url}> leaves the site"
    assert "http://" not in r.text and "https://" not in r.text and "//cdn" not in r.text
    # Every local resource the page names is served.
    for tag, _attr, url in page.urls:
        if tag in ("link", "script", "img") and url.startswith("/static/"):
            assert client.get(url).status_code == 200, url
    data_links = [a for a in page.alternates if a.get("type") in ("text/csv", "application/json")]
    assert data_links, "no rel=alternate link to the page's data (CSV or JSON)"
    for link in data_links:  # served, with the type the link declares
        got = client.get(link["href"])
        assert got.status_code == 200 and got.headers["content-type"].startswith(link["type"]), link
    assert 'id="lang-toggle"' in r.text


def test_home_in_vietnamese_with_decimal_comma_and_cards(client: TestClient) -> None:
    html = client.get("/").text
    assert '<html lang="vi">' in html
    assert "<h1>Chỉ số sản xuất công nghiệp</h1>" in html
    assert "tháng 12/2025" in html  # the demo city's latest month
    assert "So với cùng kỳ năm trước" in html and "ước tính" in html and "(cùng kỳ " in html
    assert re.search(r"(tăng|giảm) \d+,\d%", html), "no Vietnamese change with a decimal comma"
    assert "4 ngành công nghiệp trọng yếu" in html  # the key-industry group card
    assert html.count('<svg class="chart bars"') >= 2 and html.count('<rect class="bar') >= 2 * 24
    alternate = _parse(html).alternates[0]["href"]
    assert alternate == "/api/v1/series/city/iip/TOTAL/observations?format=csv"
    assert 'href="/?lang=en"' in html


def test_home_in_english_and_gso_trade_cards(client: TestClient) -> None:
    html = client.get("/", params={"source": "gso", "lang": "en"}).text
    assert '<html lang="en">' in html and "<h1>Index of industrial production</h1>" in html
    for title in ("Retail sales of goods and consumer services", "Exports excluding crude oil",
                  "Imports excluding crude oil", "Trade balance (crude oil included)"):
        assert title in html
    assert re.search(r"USD \d+\.\d billion", html) and "February 2025" in html
    assert "(estimate)" not in html and "estimate" in html  # status shown as a label
    toggle = re.search(r'id="lang-toggle" href="([^"]+)"', html)
    assert toggle and toggle.group(1).replace("&amp;", "&") == "/?source=gso"  # back to Vietnamese, same source
    vi = client.get("/", params={"source": "gso"}).text
    assert "Kim ngạch xuất khẩu (không kể dầu thô)" in vi and re.search(r"\d+,\d tỷ USD", vi)
    assert "nhập siêu" in vi or "xuất siêu" in vi


def test_industry_explorer_table_chart_and_downloads(client: TestClient) -> None:
    html = client.get("/industries", params={"code": "10"}).text
    assert "Sản xuất, chế biến thực phẩm" in html and '<tr class="industry d1 selected">' in html
    assert re.search(r'<td class="n">[+-]?\d+,\d+%?</td>', html)  # decimal comma in the table
    assert '<svg class="chart lines"' in html and '<path class="series s0"' in html
    alternate = [a["href"] for a in _parse(html).alternates if a.get("type") == "text/csv"]
    assert alternate == ["/api/v1/series/city/iip/10/observations?format=csv"]
    xlsx = re.search(r'href="(/api/v1/series/city/iip/10/observations\?format=xlsx)"', html)
    assert xlsx and client.get(xlsx.group(1)).content[:2] == b"PK"
    csv = client.get(alternate[0])
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    # every row links to its own chart, keeping the rest of the selection
    assert 'href="/industries?code=TOTAL&amp;lang=en"' in client.get("/industries?code=10&lang=en").text


def test_industry_explorer_draws_adjusted_series_when_stored(store: Store, client: TestClient) -> None:
    """Adjusted versions (stored as ``code~kind`` by ``vnindustry adjust``) are drawn with the original."""
    import datetime as dt

    import pandas as pd

    level = store.observations(keys=["city/iip/10"], measure="level")
    parts = [pd.DataFrame({"table": "iip", "series": f"Sản xuất, chế biến thực phẩm ({kind})", "code": f"10~{kind}",
                           "unit": level["unit"], "period": level["period"], "measure": "level",
                           "value": level["value"] * factor, "status": "actual", "sheet": "test", "cell": "",
                           "kind": "adjusted", "level": pd.array([pd.NA] * len(level), dtype="Int64"),
                           "parent": "10"})
             for kind, factor in (("calendar_adjusted", 0.99), ("seasonally_adjusted", 0.98), ("trend", 0.97))]
    store.import_records(pd.concat(parts, ignore_index=True), source="city", file="adjusted.test",
                         checksum="pages-adjusted-test", released_on=dt.date(2026, 1, 10))
    html = client.get("/industries", params={"code": "10"}).text
    for n in range(4):
        assert f'<path class="series s{n}"' in html
    assert "Điều chỉnh mùa vụ" in html and "Xu hướng" in html
    assert "/api/v1/series/city/iip/10~trend/observations?format=xlsx" in html.replace("%7E", "~")
    # adjusted rows stay out of the table
    assert "10~trend</td>" not in html


def test_about_and_releases(client: TestClient) -> None:
    about = client.get("/about").text
    assert "Chính sách điều chỉnh số liệu" in about and "Laspeyres" in about
    assert "Revision policy" in client.get("/about?lang=en").text
    releases = client.get("/releases").text
    # releases as documents (issue 13): the workbook by what it is, its source and date in words, what it holds
    assert "Biểu số liệu tháng 2/2025" in releases and "Các lần công bố" in releases
    assert "<td>Tổng cục Thống kê</td>" in releases and "<td>06/03/2025</td>" in releases
    assert re.search(r'<td class="n">\d{1,3}(\.\d{3})* số liệu</td>', releases)
    assert "2025-02.xlsx" not in releases and ">gso<" not in releases and "Số quan sát" not in releases
    en = client.get("/releases?lang=en").text
    assert "Monthly statistics workbook, February 2025" in en and "<td>6 March 2025</td>" in en


def _text(html: str) -> str:
    """The text of a page, without its tags, scripts and attributes (what a reader sees, roughly)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S))


def test_page_errors_are_problems(client: TestClient) -> None:
    for url, status in (("/industries?code=nope", 404), ("/?lang=xx", 422), ("/?source=moon", 422),
                        ("/industries?period=2025-13", 422), ("/static/nope.css", 404)):
        r = client.get(url)
        assert r.status_code == status and r.headers["content-type"].startswith("application/problem+json"), url
    r = client.post("/")
    assert r.status_code == 405 and r.headers["content-type"].startswith("application/problem+json")


def test_products_sorted_by_change_with_movers_and_csv_links(client: TestClient) -> None:
    html = client.get("/products", params={"source": "gso"}).text
    assert "<h1>Sản phẩm công nghiệp chủ yếu</h1>" in html and "tháng 2/2025" in html
    assert '<svg class="chart movers"' in html and "So với cùng kỳ năm trước" in html
    changes = [float(m.replace(".", "").replace(",", ".").rstrip("%"))
               for m in re.findall(r'<td class="n">([+-]?[\d.]+,\d%)</td>\s*<td>', html)]
    assert len(changes) > 5 and changes == sorted(changes, reverse=True)  # by change on a year earlier
    csv = re.search(r'href="(/api/v1/series/gso/products/[^"]+\?format=csv)"', html)
    assert csv and client.get(csv.group(1)).status_code == 200
    city = client.get("/products", params={"period": "2024-06"}).text
    assert "tháng 6/2024" in city and re.search(r'<td class="n">[+-]\d+,\d%</td>', city)
    en = client.get("/products", params={"source": "gso", "lang": "en"}).text
    assert "<h1>Key industrial products</h1>" in en and "February 2025" in en and "Unit" in en


def test_trade_page_totals_sectors_balance_and_chart(client: TestClient) -> None:
    html = client.get("/trade").text  # the city has no trade: GSO's by default
    assert "<h1>Xuất, nhập khẩu hàng hóa</h1>" in html and "tháng 2/2025" in html
    for text in ("Kim ngạch xuất khẩu", "Kim ngạch nhập khẩu", "Không kể dầu thô", "Khu vực kinh tế trong nước",
                 "Khu vực có vốn đầu tư nước ngoài", "Cán cân thương mại (kể cả dầu thô)",
                 "Cán cân thương mại (không kể dầu thô)", "Mặt hàng"):
        assert text in html, text
    # Balances with two decimals, as GSO prints them.
    assert re.search(r"(nhập|xuất) siêu \d+,\d\d tỷ USD", html) and re.search(r"\d+,\d tỷ USD \(\d+,\d%\)", html)
    assert '<svg class="chart lines"' in html and "25 tháng gần nhất" in html
    en = client.get("/trade", params={"lang": "en"}).text
    assert "Exports and imports of goods" in en and "Excluding crude oil" in en
    assert re.search(r"USD \d+\.\d billion", en)
    empty = client.get("/trade", params={"source": "city"}).text
    assert "Chưa có số liệu cho nguồn này." in empty


def test_bulletins_archive_lists_months_and_formats(client: TestClient) -> None:
    html = client.get("/bulletins").text
    assert "<h1>Lưu trữ bản tin hằng tháng</h1>" in html and "tháng 12/2025" in html
    months = re.findall(r'href="/bulletins/(\d{4}-\d{2})\.pdf\?source=city&amp;lang=vi"', html)
    assert months[0] == "2025-12" and len(months) == 24 and months == sorted(months, reverse=True)
    for fmt in ("html", "docx", "pdf", "xlsx", "md"):
        assert f'href="/bulletins/2025-12.{fmt}?source=city&amp;lang=en"' in html
    assert "Monthly bulletins archive" in client.get("/bulletins?lang=en").text
    gso = client.get("/bulletins", params={"source": "gso"}).text
    assert "/bulletins/2025-02.docx?source=gso&amp;lang=vi" in gso


@pytest.mark.parametrize(("fmt", "media_type", "magic"), [
    ("html", "text/html", b"<!"), ("md", "text/markdown", b""), ("xlsx", "application/vnd.openxmlformats", b"PK"),
    ("docx", "application/vnd.openxmlformats", b"PK"), ("pdf", "application/pdf", b"%PDF")])
def test_bulletin_downloads(client: TestClient, fmt: str, media_type: str, magic: bytes) -> None:
    r = client.get(f"/bulletins/2025-02.{fmt}", params={"source": "gso", "lang": "vi"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media_type)
    assert r.headers["content-disposition"] == f'attachment; filename="ban-tin-gso-2025-02-vi.{fmt}"'
    assert len(r.content) > 500 and r.content.lstrip().upper().startswith(magic.upper())
    if fmt == "md":
        assert "tháng 2/2025" in r.text and re.search(r"\d+,\d", r.text)
    again = client.get(f"/bulletins/2025-02.{fmt}", params={"source": "gso", "lang": "vi"},
                       headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304  # served from the response cache


def test_calendar_past_and_expected_dates(client: TestClient) -> None:
    import datetime as dt

    from vnindustry.web.pages import expected_dates

    html = client.get("/calendar").text
    assert "<h1>Lịch công bố</h1>" in html and "ngày 6 của tháng sau" in html
    assert "kế hoạch của Sở Công Thương" in html and "ngày 10 của tháng sau" in html
    assert "Biểu số liệu tháng 2/2025" in html and "<td>06/03/2025</td>" in html  # a past release, in words
    assert re.search(r"<td>\d{2}/\d{2}/20\d\d</td>", html) and not re.search(r"\b20\d\d-\d\d-\d\d\b", _text(html))
    assert "<td>Sở Công Thương (báo cáo doanh nghiệp)</td>" in html  # the expected city releases, by name
    en = client.get("/calendar?lang=en").text
    assert "Release calendar" in en and "<td>6 March 2025</td>" in en
    assert expected_dates("gso", "2025-02", dt.date(2026, 11, 22), 2) == [
        ("2026-11", dt.date(2026, 12, 6)), ("2026-12", dt.date(2027, 1, 6))]
    assert expected_dates("city", "2026-12", dt.date(2026, 11, 10), 1) == [("2027-01", dt.date(2027, 2, 10))]


def test_issue13_calendar_says_which_months_are_overdue() -> None:
    """Regression (issue 13): a store whose latest city month is 12/2025 showed only 11/2026 onwards, as if
    the months between were on schedule."""
    import datetime as dt

    from vnindustry.web.pages import overdue_months

    assert overdue_months("city", "2025-12", dt.date(2026, 12, 6)) == ("2026-01", "2026-10", dt.date(2026, 2, 10))
    assert overdue_months("gso", "2025-12", dt.date(2026, 12, 6)) == ("2026-01", "2026-10", dt.date(2026, 2, 6))
    assert overdue_months("gso", "2025-12", dt.date(2026, 12, 7)) == ("2026-01", "2026-11", dt.date(2026, 2, 6))
    assert overdue_months("city", "2026-10", dt.date(2026, 12, 6)) is None  # 11/2026 is due on 10/12
    assert overdue_months("city", "2026-09", dt.date(2026, 11, 10)) is None  # due today is not late yet
    assert overdue_months("city", "2026-09", dt.date(2026, 11, 11)) == ("2026-10", "2026-10", dt.date(2026, 11, 10))
    assert overdue_months("city", None, dt.date(2026, 12, 6)) is None


def test_new_pages_errors_are_problems(client: TestClient) -> None:
    for url, status in (("/products?period=2030-01", 404), ("/products?period=2025-13", 422),
                        ("/trade?source=moon", 422), ("/trade?period=1999-01&source=gso", 404),
                        ("/bulletins?lang=xx", 422), ("/calendar?lang=xx", 422),
                        ("/bulletins/2031-01.pdf", 404), ("/bulletins/2025-12.exe", 422),
                        ("/bulletins/latest.pdf", 422), ("/bulletins/2025-12.pdf?lang=fr", 422),
                        ("/bulletins/2025-12.pdf/more", 404)):
        r = client.get(url)
        assert r.status_code == status and r.headers["content-type"].startswith("application/problem+json"), url


def test_navigation_links_the_new_pages(client: TestClient) -> None:
    html = client.get("/?lang=en").text
    for path in ("/products", "/trade", "/bulletins", "/calendar"):
        assert f'href="{path}?lang=en"' in html


def test_pages_carry_etags(client: TestClient) -> None:
    first = client.get("/")
    again = client.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_pages_render_without_the_full_catalogue(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's first render after a release, or every render with the response cache off, must not
    aggregate every observation (the API catalogue, ~200 ms on the demo store): pages read the series
    index and only the months and tables they show."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a page built the full catalogue")

    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setenv("VNINDUSTRY_API_CACHE_ENTRIES", "0")
    monkeypatch.setattr(Store, "catalogue", refuse)
    client = TestClient(create_app(store))
    for path in PAGES:
        assert client.get(path).status_code == 200, path


def test_month_table_has_the_month_rows_of_monthly_indicators(store: Store) -> None:
    """The products and industries pages read one month (and earlier levels only where changes are
    derived): the same lines as the 13-month read, "cùng kỳ" (ytd_prev) aside."""
    from vnindustry.analysis.indicators import month_table, monthly_indicators

    public = store.public_view() if hasattr(store, "public_view") else store
    compared = 0
    for source, period in (("city", "2025-12"), ("city", "2025-01"), ("city", "2018-06"), ("gso", "2025-02"),
                           ("gso", "2025-01")):
        full = monthly_indicators(public, period, source, history_months=13)
        for table in ("iip", "products", "exports", "imports", "retail"):
            expected = full.table(table)
            for year_ago in (True, False):
                view = month_table(public, period, source, table, year_ago=year_ago)
                if expected is None:
                    assert view is None, (source, period, table)
                    continue
                assert view is not None
                assert view.year_ago.empty if not year_ago else len(view.year_ago) == len(expected.year_ago)
                got, want = view.lines(), expected.lines()
                assert [x.code for x in got] == [x.code for x in want]
                for x, y in zip(got, want, strict=True):
                    if not year_ago:
                        y = dataclasses.replace(y, ytd_prev=math.nan)
                    assert repr(x) == repr(y), (source, period, table)  # repr: NaN equals NaN
                compared += 1
    assert compared >= 6


def test_page_numbers_are_format_number_and_format_pct() -> None:
    """The pages' fast number formatting gives Babel's text (publish.numbers) to the character."""
    from vnindustry.publish.numbers import format_number, format_pct
    from vnindustry.web.pages import format_figure, pct

    rng = random.Random(11)
    values = [0.0, -0.0, 0.05, -0.05, 0.15, 0.25, 2.675, 999.95, -999.95, 999.5, 1234.5, 1e12, 3e15, 1e-9,
              999999999999.96]
    for _ in range(1500):
        v = rng.choice((1, -1)) * 10 ** rng.uniform(-4, 12.5)
        values += [v, round(v, 1) + 0.05, round(v, 2) + 0.005, round(v) + 0.5]
    for v in values:
        for lang in ("vi", "en"):
            for decimals in (0, 1, 2):
                assert format_figure(v, decimals, lang) == format_number(v, decimals, lang), (v, decimals, lang)
            assert pct(v, lang) == format_pct(v, 1, lang), (v, lang)


# -- browser tests ------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """uvicorn on 127.0.0.1 (a free port) in a thread, serving ``app``; yields the base URL."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[str]:
    """uvicorn on 127.0.0.1 in a thread, on the module's store."""
    os.environ.setdefault("VNINDUSTRY_API_RATE_LIMIT", "0")
    with serve_in_thread(create_app(store)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install chromium)")
        pytest.skip(f"no {CHROMIUM}; install Debian's chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"playwright is not installed ({exc})")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.browser
def test_home_in_a_browser_stays_on_loopback(server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        response = page.goto(server + "/")
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Chỉ số sản xuất công nghiệp"
        # charts drawn: SVG bars present and visible, with a real size
        charts = page.locator("svg.chart.bars")
        assert charts.count() >= 2
        assert charts.first.is_visible()
        box = charts.first.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 30
        bars = page.locator("svg.chart.bars rect.bar")
        assert bars.count() >= 48 and bars.last.is_visible()
        # the stylesheet applied (bars are coloured by site.css, not by attributes)
        fill = bars.first.evaluate("el => getComputedStyle(el).fill")
        assert fill not in ("", "none", "rgb(0, 0, 0)")
        # the script's hover tip (progressive enhancement)
        bars.nth(5).hover()
        assert page.locator(".chart-tip").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "home-vi.png"), full_page=True)

        # the language toggle
        page.click("#lang-toggle")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/?lang=en")
        assert page.locator("h1").inner_text() == "Index of industrial production"
        assert page.locator("html").get_attribute("lang") == "en"
        page.screenshot(path=str(ARTIFACTS / "home-en.png"), full_page=True)

        # a CSV download from a card
        link = page.locator("a.csv").first
        href = link.get_attribute("href")
        assert href and href.startswith("/api/v1/series/")
        with page.expect_download() as info:
            link.click(modifiers=["Alt"])  # Alt+click: download the link's target
        path = info.value.path()
        assert path is not None and Path(path).read_bytes().startswith(b"\xef\xbb\xbf")

        # the explorer: chart and filter box
        page.goto(server + "/industries?code=10")
        page.wait_for_load_state("networkidle")
        assert page.locator("svg.chart.lines path.series").first.is_visible()
        page.fill("#filter", "thuc pham")  # accents optional
        visible = page.locator("#iip-table tbody tr:visible")
        assert 0 < visible.count() < page.locator("#iip-table tbody tr").count()
        page.screenshot(path=str(ARTIFACTS / "industries-vi.png"), full_page=True)
    finally:
        page.close()
    assert requests, "no request recorded"
    outside = [u for u in requests if urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert not failed and not errors, (failed, errors)


def test_regression_issue5_pages_show_confidential_cells_as_c_and_never_their_values(store: Store, client) -> None:
    """A withheld industry or product reads "c" in the tables; its true figures appear nowhere on the page."""
    from vnindustry.web.pages import num, pct

    internal = store.observations(source="city", start="2025-12", end="2025-12")
    supp = store.suppressions()
    hidden = supp[(supp["period"] == "2025-12")]
    assert not hidden.empty
    for table, path in (("iip", "/industries"), ("products", "/products")):
        keys = [k for k in hidden["key"] if k.split("/")[1] == table]
        assert keys, table
        html = client.get(path, params={"period": "2025-12"} if table == "products" else {}).text
        assert "c số liệu bảo mật" in html
        rows = {r.split("<td>", 2)[1].split("</td>")[0]: r for r in html.split("<tr")[1:] if "<td>" in r}
        for key in keys:
            code = key.rsplit("/", 1)[1]
            line = rows[code]
            assert '<td class="n">c</td>' in line  # its level (and what derives it) reads c
            row = internal[(internal["key"] == key) & (internal["measure"] == ("level" if table == "iip" else "index"))]
            truth = float(row["value"].iloc[0])
            assert num(truth, 1, "vi") not in line and pct(truth - 100, "vi") not in line, (key, truth)
