"""Issue 13's portal in a real browser: every portal page, for an enterprise, a statistician and an admin, in
Vietnamese and in English, with no internal code visible.

The city of tests/test_issue13_portal.py (a release scheduled for 20/07/2025, May closed, June open, the clock
on 10/07/2025) served by uvicorn on 127.0.0.1; Debian's chromium through Playwright logs in through the login
page in each language (the language must survive the redirect) and opens each page, including refusals (an
upload with "1,5 tấn" typed, closing the month under way, an account name taken). On each page's visible
text: no "import" as a person, no "None"/"nan", no snake_case code, no ISO date (2025-07-20) — and on a
Vietnamese page no English sentence. A full-page screenshot of each goes to tests/artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import test_pages as shared  # tests/ is on sys.path (conftest.py)
from test_issue13_portal import PASSWORD, TODAY, _template, city_store
from vnindustry.demo.city import generate_city
from vnindustry.settings import SETTINGS
from vnindustry.web import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

browser = shared.browser  # one chromium for the module (test_pages.py's fixture)
ARTIFACTS = shared.ARTIFACTS
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODE_WORD = re.compile(r"\b[a-z]+_[a-z_]+\b")  # not_open, source_import, rv_done_close …
RAW = re.compile(r"\b(None|nan|NaN|null|undefined)\b")
IMPORT_PERSON = re.compile(r"\bimport\b")
# English function words: none of them is Vietnamese, and any English sentence has some.
ENGLISH = re.compile(r"\b(the|is|are|not|has|have|with|from|this|must|please|been|cannot|already|there)\b", re.I)
ENTERPRISE = "DN00001"
SETTING_NAMES = {x.name for x in SETTINGS}  # a refusal may name the setting to change (max_quantity)


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setattr("vnindustry.store.repository.today_in_vietnam", lambda: TODAY)
    city = generate_city(tmp_path / "city", n_enterprises=100, start="2024-01", end="2025-06", base_year=2024)
    store = city_store(city, f"sqlite:///{tmp_path / 'store.db'}")
    with shared.serve_in_thread(create_app(store)) as base:
        yield base


def _check(page: Any, lang: str, name: str, problems: list[str]) -> str:
    """Screenshot the page and note what an office would not sign: codes, raw values, ISO dates, English."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"issue13-portal-{name}-{lang}.png"), full_page=True)
    text = page.inner_text("body")
    assert page.evaluate("document.documentElement.lang") == lang, f"{name}: the page is not in {lang}"
    # An English refusal is the rules' own text (the API's, naming ISO dates and settings); the rest of an English
    # page, and all of a Vietnamese one, must be in words.
    checked = text if lang == "vi" else page.evaluate(
        "(() => { const b = document.body.cloneNode(true); b.querySelectorAll('[role=alert]').forEach(e => e.remove());"
        " return b.innerText; })()")
    for label, pattern in (("an ISO date", ISO_DATE), ("a code", CODE_WORD), ("a raw value", RAW),
                           ("'import' as a person", IMPORT_PERSON)):
        found = {str(f) for f in pattern.findall(checked)} - SETTING_NAMES
        if found:
            problems.append(f"{name} ({lang}): {label}: {sorted(found)[:5]}")
    if lang == "vi":
        lines = [line for line in text.splitlines() if ENGLISH.search(line) and line.strip() != "English"]
        if lines:
            problems.append(f"{name} (vi): English: {lines[:3]}")
    return text


def _login(context: Any, base: str, username: str, lang: str, start: str) -> Any:
    page = context.new_page()
    suffix = "?lang=en" if lang == "en" else ""
    page.goto(base + start + suffix)
    assert urlsplit(page.url).path == "/portal/login"
    assert ("lang=en" in page.url) == (lang == "en"), page.url  # the language survives the redirect
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():  # the answer to a POST may take a while (a close compiles)
        page.click("#login")
    assert urlsplit(page.url).path == start and ("lang=en" in page.url) == (lang == "en"), page.url
    return page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_issue13_every_portal_page_in_words(portal: str, browser: Any, lang: str, tmp_path: Path) -> None:
    base = portal
    q = "?lang=en" if lang == "en" else ""
    problems: list[str] = []

    # -- the enterprise -------------------------------------------------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN" if lang == "vi" else "en-GB")
    page = _login(context, base, "dn", lang, f"/portal/enterprises/{ENTERPRISE}")
    text = _check(page, lang, "enterprise", problems)
    assert {"vi": "Báo cáo tháng 6/2025", "en": "Report for June 2025"}[lang] in text
    assert {"vi": "Báo cáo tháng 7/2025", "en": "Report for July 2025"}[lang] not in text
    for period, name in (("2025-06", "form-open"), ("2025-05", "form-closed"), ("2025-07", "form-not-open")):
        page.goto(f"{base}/portal/enterprises/{ENTERPRISE}/reports/{period}{q}")
        _check(page, lang, name, problems)
        assert (page.locator("#submit").count() == 1) == (period == "2025-06"), period
    # An upload refused: "1,5 tấn" typed in the quantity box.
    page.goto(f"{base}/portal/enterprises/{ENTERPRISE}/reports/2025-06{q}")
    data, _ = _template(_api_client(base), "2025-06", "1,5 tấn")
    upload = tmp_path / "bao-cao.xlsx"
    upload.write_bytes(data)
    page.set_input_files("#file", str(upload))
    with page.expect_navigation():  # the answer to a POST may take a while (a close compiles)
        page.click("#upload")
    text = _check(page, lang, "upload-refused", problems)
    assert {"vi": "«1,5 tấn» không phải là số", "en": "'1,5 tấn' is not a number"}[lang] in text
    page.goto(f"{base}/portal/enterprises/{ENTERPRISE}/reports/2025-04/receipt{q}")
    _check(page, lang, "receipt", problems)
    with page.expect_navigation():  # the answer to a POST may take a while (a close compiles)
        page.click("#logout")
    assert urlsplit(page.url).path == "/portal/login" and ("lang=en" in page.url) == (lang == "en")
    _check(page, lang, "login", problems)
    context.close()

    # -- the statistician -----------------------------------------------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _login(context, base, "tk", lang, "/portal/review")
    _check(page, lang, "review-months", problems)
    for period in ("2025-06", "2025-05", "2025-04", "2025-07"):
        page.goto(f"{base}/portal/review/{period}{q}")
        _check(page, lang, f"review-{period}", problems)
    # Closing the month under way: there is no close form, so send one as a browser would.
    page.goto(f"{base}/portal/review/2025-06{q}")
    page.fill("#publish-on", "2025-07-11")
    with page.expect_navigation():  # the answer to a POST may take a while (a close compiles)
        page.click("#close")
    text = _check(page, lang, "review-close-refused", problems)
    assert page.locator("#message").count() == 1
    page.goto(f"{base}/portal/audit{q}")
    _check(page, lang, "audit", problems)
    page.goto(f"{base}/portal/enterprises/{ENTERPRISE}{q}")
    _check(page, lang, "enterprise-as-statistician", problems)
    context.close()

    # -- the admin ------------------------------------------------------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _login(context, base, "qt", lang, "/portal/admin/users")
    _check(page, lang, "users", problems)
    page.fill("#new-username", "tk")
    page.fill("#new-password", PASSWORD)
    page.fill("#new-password2", PASSWORD)
    page.select_option("#new-role", "statistician")
    with page.expect_navigation():  # the answer to a POST may take a while (a close compiles)
        page.click("#add-user-button")
    text = _check(page, lang, "users-refused", problems)
    assert {"vi": "Tên đăng nhập «tk» đã có", "en": "user 'tk' already exists"}[lang] in text
    page.goto(f"{base}/portal/enterprises/NOPE{q}")
    _check(page, lang, "error-404", problems)
    context.close()

    assert not problems, "\n".join(problems)


def _api_client(base: str) -> Any:
    """An HTTP client logged in as the enterprise on the running server (for its Excel template)."""
    import httpx

    client = httpx.Client(base_url=base)
    r = client.post("/api/v1/auth/login", json={"username": "dn", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return client
