"""Every dashboard page but home in a real browser (Debian's chromium through Playwright), and the done-when journey.

One uvicorn server on 127.0.0.1 (the demo store) and one chromium are shared by the module: the ``store``,
``server`` and ``browser`` fixtures are test_pages.py's, reused here. Each test records every request the page
makes (all must go to 127.0.0.1), every response ≥ 400 and every console error or uncaught exception; full-page
screenshots go to tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

import test_pages as shared  # tests/ is on sys.path (conftest.py)

ARTIFACTS = shared.ARTIFACTS

# The module's fixtures are test_pages.py's own (one server on the demo store, one chromium for this module).
store = shared.store
server = shared.server
browser = shared.browser

pytestmark = pytest.mark.browser

# path → (h1 in Vietnamese, h1 in English); the industries title ends with the selected series' name
PAGES: dict[str, tuple[str, str]] = {
    "/industries": ("Chỉ số sản xuất công nghiệp: Toàn ngành công nghiệp", "Index of industrial production: "),
    "/products": ("Sản phẩm công nghiệp chủ yếu", "Key industrial products"),
    "/trade": ("Xuất, nhập khẩu hàng hóa", "Exports and imports of goods"),
    "/bulletins": ("Lưu trữ bản tin hằng tháng", "Monthly bulletins archive"),
    "/calendar": ("Lịch công bố", "Release calendar"),
    "/about": ("Giới thiệu", "About"),
    "/releases": ("Các lần công bố", "Releases"),
}
@dataclass
class Watch:
    """Everything a page did: requests, responses ≥ 400, console errors and uncaught exceptions."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.requests, "no request recorded"
        outside = [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]
        assert not outside, f"requests left 127.0.0.1: {outside}"
        assert not self.failed, f"failed responses: {self.failed}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh Vietnamese page (own context, downloads accepted) whose activity is recorded in ``page.watch``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    watch = Watch()
    pg.on("request", lambda req: watch.requests.append(req.url))
    pg.on("response", lambda r: watch.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pg.on("pageerror", lambda exc: watch.errors.append(f"uncaught: {exc}"))
    pg.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    pg.watch = watch
    try:
        yield pg
    finally:
        context.close()


def _open(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    assert "text/html" in response.headers["content-type"]
    page.wait_for_load_state("load")


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _fetch(page: Any, href: str) -> dict[str, Any]:
    """GET ``href`` from inside the page (so the request is the page's, under its CSP): status, type, bytes."""
    return page.evaluate(
        """async (href) => {
             const r = await fetch(href);
             const body = new Uint8Array(await r.arrayBuffer());
             return {status: r.status, type: r.headers.get("content-type") || "", size: body.length,
                     head: new TextDecoder().decode(body.slice(0, 200))};
           }""", href)


def _alternate(page: Any) -> str:
    links = page.locator('head link[rel="alternate"][type]')
    assert links.count() == 1, "one <link rel=alternate type=…> to the page's data"
    href = links.first.get_attribute("href")
    assert href, "empty alternate href"
    return str(href)


def _name(path: str) -> str:
    return path.strip("/") or "home"


def _h1(page: Any) -> str:
    return str(page.locator("h1").inner_text()).strip()


# -- every page: renders, links its data, toggles the language, stays on loopback, no console error -----------
@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_links_its_data_and_toggles_language(server: str, page: Any, path: str) -> None:
    vi, en = PAGES[path]
    _open(page, server + path)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert _h1(page).startswith(vi) if path == "/industries" else _h1(page) == vi
    assert page.locator("link[rel=stylesheet]").evaluate("l => l.sheet !== null && l.sheet.cssRules.length > 0")
    _shot(page, f"page-{_name(path)}-vi")

    # the page's data: <link rel="alternate"> downloads from this server
    href = _alternate(page)
    assert urlsplit(urljoin(page.url, href)).hostname == "127.0.0.1"
    got = _fetch(page, href)
    assert got["status"] == 200 and got["size"] > 0, (href, got)

    # to English and back with the toggle
    page.click("#lang-toggle")
    page.wait_for_load_state("load")
    assert parse_qs(urlsplit(page.url).query).get("lang") == ["en"], page.url
    assert urlsplit(page.url).path == path
    assert page.locator("html").get_attribute("lang") == "en"
    assert _h1(page).startswith(en) if path == "/industries" else _h1(page) == en
    assert page.locator("#lang-toggle").inner_text().strip() == "Tiếng Việt"
    _shot(page, f"page-{_name(path)}-en")
    page.click("#lang-toggle")
    page.wait_for_load_state("load")
    assert "lang=en" not in page.url and urlsplit(page.url).path == path
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("#lang-toggle").inner_text().strip() == "English"
    assert _h1(page).startswith(vi) if path == "/industries" else _h1(page) == vi
    page.watch.check()


@pytest.mark.parametrize("path", list(PAGES))
def test_alternate_link_serves_its_declared_type(server: str, page: Any, path: str) -> None:
    _open(page, server + path)
    link = page.locator('head link[rel="alternate"][type]').first
    declared = link.get_attribute("type")
    got = _fetch(page, _alternate(page))
    assert got["status"] == 200
    assert got["type"].split(";")[0].strip() == declared, (declared, got["type"])
    page.watch.check()


# -- /industries: pick from the tree, bookmarkable, chart and contributions -------------------------------------
def test_industries_pick_from_the_tree_bookmarkable_with_chart_and_contributions(server: str, page: Any,
                                                                                  browser: Any) -> None:
    _open(page, server + "/industries")
    rows = page.locator("#iip-table tbody tr")
    assert rows.count() > 10
    selected = page.locator("#iip-table tbody tr.selected")  # the total: no code shown (issue 13), its name
    assert selected.get_attribute("class").startswith("total") and selected.locator("td").first.inner_text() == ""
    # contributions: a column of numbers in points, with a decimal comma
    headers = [h.strip() for h in page.locator("#iip-table thead th").all_inner_texts()]
    col = headers.index("Đóng góp vào tăng trưởng (điểm phần trăm)")
    contributions = [c.strip() for c in page.locator(f"#iip-table tbody tr.industry td:nth-child({col + 1})")
                     .all_inner_texts()]
    numbers = [c for c in contributions if c not in ("–", "c")]  # "–": not available; "c": confidential
    assert numbers and all(re.fullmatch(r"[+-]?\d+,\d\d", c) for c in numbers), contributions  # signed

    # pick, by its link, the deepest industry of the tree that has an index and a contribution
    table = page.locator("#iip-table tbody tr.industry").evaluate_all(
        """(rs, col) => rs.map(r => ({depth: +r.className.match(/\\bd(\\d+)\\b/)[1],
                                      code: r.cells[0].textContent.trim(), name: r.cells[1].textContent.trim(),
                                      index: r.cells[2].textContent.trim(),
                                      contribution: r.cells[col].textContent.trim()}))""", col)
    candidates = [r for r in table if r["index"] not in ("–", "c") and r["contribution"] not in ("–", "c")
                  and r["code"] != "TOTAL"]
    assert candidates, table
    pick = max(candidates, key=lambda r: r["depth"])
    code, name = pick["code"], pick["name"]
    link = page.locator("#iip-table tbody tr.industry").filter(
        has=page.locator("td:first-child", has_text=re.compile(rf"^{re.escape(code)}$"))).locator("a")
    assert link.count() == 1 and link.inner_text().strip() == name
    link.click()
    page.wait_for_load_state("load")
    assert parse_qs(urlsplit(page.url).query).get("code") == [code], page.url

    def selected_shown(pg: Any) -> None:
        assert _h1(pg) == f"Chỉ số sản xuất công nghiệp: {name}"
        sel = pg.locator("#iip-table tbody tr.selected")
        assert sel.count() == 1 and sel.locator("td").first.inner_text().strip() == code
        lines = pg.locator("svg.chart.lines path.series")
        assert lines.count() >= 1 and lines.first.is_visible()
        assert lines.first.get_attribute("d").count("L") >= 12  # a line through many months
        box = pg.locator("svg.chart.lines").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert f"/iip/{code}/" in _alternate(pg)
        csv_href = pg.locator("ul.downloads a.csv").first.get_attribute("href")
        assert csv_href.startswith(f"/api/v1/series/city/iip/{code}/observations")
        contribution = sel.locator(f"td:nth-child({col + 1})").inner_text().strip()
        assert re.fullmatch(r"[+-]?\d+,\d\d", contribution), contribution

    selected_shown(page)
    _shot(page, "page-industries-selected")
    url = page.url
    page.reload()
    page.wait_for_load_state("load")
    assert page.url == url
    selected_shown(page)
    # the bookmark in a new tab of another context shows the same selection
    other = browser.new_context(locale="vi-VN")
    try:
        tab = other.new_page()
        assert tab.goto(url).status == 200
        selected_shown(tab)
    finally:
        other.close()
    # the series' CSV (downloads list) from the page
    got = _fetch(page, page.locator("ul.downloads a.csv").first.get_attribute("href"))
    assert got["status"] == 200 and got["type"].startswith("text/csv") and got["head"].lstrip("\ufeff").startswith(
        "series,period")
    page.watch.check()


# -- /products, /trade --------------------------------------------------------------------------------------
def test_products_table_movers_and_a_product_csv(server: str, page: Any) -> None:
    _open(page, server + "/products")
    rows = page.locator("table.products tbody tr")
    assert rows.count() >= 10
    bars = page.locator("svg.chart.movers rect.bar")
    assert 2 <= bars.count() <= 10 and bars.first.is_visible()
    same = [c.strip() for c in page.locator("table.products tbody tr td:nth-child(6)").all_inner_texts()]
    values = [float(c.rstrip("%").replace(".", "").replace(",", ".")) for c in same if c.endswith("%")]
    assert values and values == sorted(values, reverse=True), "sorted by change on a year earlier"
    # the filter box (script) hides rows that do not match
    page.fill("#filter", rows.first.locator("td").first.inner_text().strip())
    assert 0 < page.locator("table.products tbody tr:visible").count() < rows.count()
    page.fill("#filter", "")
    href = rows.first.locator("a.csv").get_attribute("href")
    got = _fetch(page, href)
    assert got["status"] == 200 and got["type"].startswith("text/csv") and got["size"] > 100
    page.watch.check()


def test_trade_cards_balance_and_tables(server: str, page: Any) -> None:
    _open(page, server + "/trade")
    assert "tháng 2/2025" in page.locator("p.lead").inner_text()  # GSO's workbook (the city has no trade)
    cards = page.locator(".cards section.card")
    balances = page.locator(".cards section.card.balance").count()  # with and without crude oil (issue 13)
    assert balances >= 1 and cards.count() == 2 + balances  # exports, imports, the balances
    values = [v.strip() for v in page.locator(".cards .value").all_inner_texts()]
    assert all(re.search(r"\d+,\d+ tỷ USD", v) for v in values), values
    assert re.match(r"(xuất siêu|nhập siêu) ", values[-1])
    assert page.locator("table.trade").count() == 2
    assert page.locator("table.trade tbody tr").count() > 10
    for a in page.locator(".cards a.csv").all():
        got = _fetch(page, a.get_attribute("href"))
        assert got["status"] == 200 and got["type"].startswith("text/csv")
    page.watch.check()


def test_trade_chart_draws_visible_lines(server: str, page: Any) -> None:
    """Regression (issue 5): a one-month series was a bare moveto, invisible; now each month is marked."""
    _open(page, server + "/trade")
    chart = page.locator("svg.chart.lines")
    assert chart.count() == 1 and chart.is_visible()
    # The store holds one GSO workbook month: exports and imports are one point each, drawn as markers.
    for i in range(2):
        marker = page.locator(f"svg.chart.lines circle.series.s{i}")
        assert marker.count() == 1 and marker.is_visible()
    page.watch.check()


@pytest.mark.parametrize(("path", "other", "name"), [
    ("/products", "gso", "Tổng cục Thống kê"),
    ("/trade", "city", "Sở Công Thương"),
], ids=["products-to-gso", "trade-to-city"])
def test_source_picker_switches_source(server: str, page: Any, path: str, other: str, name: str) -> None:
    """Regression (issue 5): switching source kept the month shown, a 404 when the other source lacks it;
    now each source is a link to its latest month, and the month form keeps the source."""
    _open(page, server + path)
    with page.expect_navigation() as nav:
        page.click(f"nav.sources a[data-source={other}]")
    response = nav.value
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("source") == [other] and "period" not in query
    assert response is not None and response.status == 200, (page.url, response and response.status)
    assert name in page.locator("p.lead").inner_text()
    strong = page.locator("nav.sources strong")
    assert strong.get_attribute("data-source") == other and strong.inner_text() in name  # named, not coded
    page.watch.check()


# -- /bulletins: each format downloads ----------------------------------------------------------------------
BULLETINS = {"html": "text/html", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _check_bulletin(fmt: str, data: bytes) -> None:
    if fmt == "html":
        text = data.decode("utf-8")
        assert text.lstrip().lower().startswith("<!doctype html") and "Chỉ số sản xuất công nghiệp" in text
    elif fmt == "pdf":
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    elif fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert "word/document.xml" in z.namelist()
            assert "sản xuất công nghiệp" in z.read("word/document.xml").decode("utf-8")
    else:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        assert book.sheetnames
        cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
        assert len(cells) > 10
        book.close()


def test_bulletins_download_in_html_docx_pdf_xlsx(server: str, page: Any) -> None:
    _open(page, server + "/bulletins")
    rows = page.locator("table.bulletins tbody tr")
    assert rows.count() >= 12
    month = rows.first.locator("td").first.inner_text().strip()
    assert month == "tháng 12/2025"  # latest first
    vietnamese = rows.first.locator("span.bl").first
    for fmt, media_type in BULLETINS.items():
        link = vietnamese.locator("a.bulletin", has_text=re.compile(rf"^{fmt.upper()}$"))
        href = link.get_attribute("href")
        assert href == f"/bulletins/2025-12.{fmt}?source=city&lang=vi"
        with page.expect_download(timeout=60_000) as info:
            link.click()
        download = info.value
        assert download.failure() is None
        assert download.suggested_filename == f"ban-tin-city-2025-12-vi.{fmt}"
        data = Path(download.path()).read_bytes()
        assert data, f"empty {fmt}"
        _check_bulletin(fmt, data)
        got = _fetch(page, href)  # composed once: the server's cache answers
        assert got["status"] == 200 and got["type"].split(";")[0] == media_type and got["size"] == len(data)
    page.watch.check()


# -- /calendar, /about, /releases ---------------------------------------------------------------------------
def test_calendar_expected_dates_and_past_releases(server: str, page: Any) -> None:
    _open(page, server + "/calendar")
    upcoming = page.locator("table.calendar.upcoming tbody tr")
    assert upcoming.count() == 12  # six per source
    dates = [d.strip() for d in page.locator("table.calendar.upcoming tbody td:nth-child(3)").all_inner_texts()]
    assert all(re.fullmatch(r"(06|10)/\d\d/\d{4}", d) for d in dates), dates
    assert page.locator("table.calendar.past tbody tr").count() == 2
    page.goto(server + "/calendar?lang=en")
    dates = [d.strip() for d in page.locator("table.calendar.upcoming tbody td:nth-child(3)").all_inner_texts()]
    assert all(re.fullmatch(r"(6|10) [A-Z][a-z]+ \d{4}", d) for d in dates), dates  # "6 March 2025" (issue 13)
    page.watch.check()


def test_about_links_the_releases(server: str, page: Any) -> None:
    _open(page, server + "/about")
    headings = page.locator("main h2").all_inner_texts()
    assert headings == ["Nguồn số liệu", "Phương pháp", "Chính sách điều chỉnh số liệu", "Bảo mật số liệu"]
    page.locator("main a", has_text="Các lần công bố").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/releases" and _h1(page) == "Các lần công bố"
    page.watch.check()


def test_releases_table_and_json(server: str, page: Any) -> None:
    _open(page, server + "/releases")
    rows = page.locator("table.releases tbody tr")
    assert rows.count() == 2
    assert sorted(r.locator("td").nth(1).inner_text() for r in rows.all()) == [
        "Sở Công Thương (báo cáo doanh nghiệp)", "Tổng cục Thống kê"]  # sources by name (issue 13)
    assert sorted(r.get_attribute("data-source") for r in rows.all()) == ["city", "gso"]
    got = _fetch(page, page.locator("main a", has_text="JSON").get_attribute("href"))
    assert got["status"] == 200 and got["type"] == "application/json"
    page.watch.check()


# -- the done-when journey ----------------------------------------------------------------------------------
def test_journey_headline_english_industries_csv(server: str, page: Any) -> None:
    """A user opens the home page, reads the headline with a Vietnamese figure, switches to English, goes to
    the industries and downloads a CSV."""
    _open(page, server + "/")
    assert _h1(page) == "Chỉ số sản xuất công nghiệp"
    headline = page.locator(".cards section.card").first
    assert re.search(r"\d+,\d%", headline.inner_text()), headline.inner_text()
    _shot(page, "journey-1-home-vi")

    page.click("#lang-toggle")
    page.wait_for_load_state("load")
    assert _h1(page) == "Index of industrial production"
    assert re.search(r"\d+\.\d%", page.locator(".cards section.card").first.inner_text())
    _shot(page, "journey-2-home-en")

    page.locator("header nav a", has_text=re.compile(r"^Industries$")).click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/industries" and "lang=en" in page.url
    assert _h1(page).startswith("Index of industrial production: ")
    assert page.locator("svg.chart.lines path.series").first.is_visible()
    _shot(page, "journey-3-industries-en")

    link = page.locator("ul.downloads a.csv").first
    with page.expect_download() as info:
        link.click(modifiers=["Alt"])  # Alt+click: download the link's target
    download = info.value
    assert download.failure() is None and download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(table) > 24 and table[0]["series"] == "city/iip/TOTAL"
    assert {"period", "measure", "value"} <= set(table[0])
    page.watch.check()
