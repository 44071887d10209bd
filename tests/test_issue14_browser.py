"""Issue 14's portal flows in a real browser (Debian's chromium through Playwright, uvicorn on 127.0.0.1, SQLite):
a supplier fills its capability profile and consents, and appears in the public directory; a buyer posts a
sourcing need and reads its ranked suppliers with the reasons, asks for a meeting at an event ahead and reports
the outcome of a past meeting; the supplier then sees the need with the buyer anonymous. Every request stays on
127.0.0.1 and no page logs a console error. Screenshots in tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import test_pages as shared  # tests/ is on sys.path (conftest.py)
from builders import PORTAL_PASSWORD, portal_store
from test_browser_portal import Watch
from vnindustry.linkage.stored import import_csv
from vnindustry.web import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

browser = shared.browser
ARTIFACTS = shared.ARTIFACTS
LABELLED = Path(__file__).parent / "data" / "linkage"


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    from builders import event_folder
    from vnindustry.linkage.schedule import schedule
    from vnindustry.linkage.stored_events import import_event_folder, load_event

    store = portal_store(f"sqlite:///{tmp_path / 'store.db'}")
    import_csv(store.engine, LABELLED / "suppliers.csv", LABELLED / "needs.csv", created_by="tk")
    # E2 buys at an event ahead and met E1 at a past one.
    import_event_folder(store.engine, event_folder(tmp_path / "up", "UP", "2099-05-21", {"B1": "E2", "S1": "E1"}))
    past = event_folder(tmp_path / "past", "PAST", "2026-05-21", {"B1": "E2", "S1": "E1"})
    import_event_folder(store.engine, past)
    import_event_folder(store.engine, past, schedule(load_event(store.engine, "PAST")[0]))  # type: ignore[index]
    with shared.serve_in_thread(create_app(store)) as base:
        yield base


def _login(page: Any, base: str, username: str, start: str) -> None:
    page.goto(base + start)
    assert urlsplit(page.url).path == "/portal/login"
    page.fill("#username", username)
    page.fill("#password", PORTAL_PASSWORD)
    page.click("#login")
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == start, page.url


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"linkage-{name}.png"), full_page=True)


def test_profile_need_and_matches_in_the_browser(browser: Any, server: str) -> None:
    # The supplier E1 fills its profile.
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page)
    _login(page, server, "e1", "/portal/enterprises/E1/profile")
    page.fill("#hs", "7616")
    page.check('input[name="process"][value="die_casting"]')
    page.check('input[name="process"][value="cnc_machining"]')
    page.fill("#certifications", "ISO 9001:2015 (QUACERT, 2028-06-30)")
    page.fill("#capacity", "20.000")
    page.fill("#description", "Đúc áp lực nhôm ADC12, gia công CNC vỏ hộp số cho dụng cụ điện cầm tay")
    page.check("#consent")
    page.click("#save")
    page.wait_for_load_state("load")
    assert page.locator("#notice").inner_text() == "Đã lưu phiên bản 1."
    _shot(page, "profile")
    page.goto(server + "/suppliers?q=duc+ap+luc")  # the public directory, typed without diacritics
    assert page.locator('tr[data-supplier="E1"]').count() == 1
    watch.check()
    context.close()

    # The buyer E2 posts a need and reads its ranked suppliers.
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page)
    _login(page, server, "e2", "/portal/enterprises/E2/needs")
    page.fill("#title", "Vỏ nhôm đúc áp lực cho máy mài")
    page.fill("#need-hs", "7616")
    page.check('input[name="process"][value="die_casting"]')
    page.fill("#volume", "5.000")
    page.click("#save-need")
    page.wait_for_load_state("load")
    assert page.locator('tr[data-need="E2-N001"]').count() == 1
    page.click('tr[data-need="E2-N001"] a >> nth=0')
    page.wait_for_load_state("load")
    rows = page.locator("#matches tbody tr")
    assert rows.count() >= 3
    suppliers = [rows.nth(i).get_attribute("data-supplier") for i in range(rows.count())]
    assert "E1" in suppliers[:3]  # same heading, die casting, text, certificate, capacity
    assert "có đúc áp lực" in page.locator("#matches").inner_text()
    _shot(page, "matches")
    # Then its events: a meeting asked for at the one ahead, an outcome reported for the past one.
    page.goto(server + "/portal/enterprises/E2/events")
    up = page.locator('section[data-event="UP"]')
    up.locator("select.other").select_option("S4")
    up.locator("select.priority").select_option("3")
    up.locator("button.ask").click()
    page.wait_for_load_state("load")
    assert page.locator("#notice").inner_text() == "Đã gửi đề nghị."
    assert page.locator('section[data-event="UP"] li[data-other="S4"]').count() == 1
    row = page.locator('section[data-event="PAST"] tr[data-other="E1"]')
    row.locator("select.stage").select_option("3m")
    row.locator("select.result").select_option("negotiation")
    row.locator("button.report").click()
    page.wait_for_load_state("load")
    assert "Sau 3 tháng: Đang đàm phán" in page.locator('section[data-event="PAST"] tr[data-other="E1"]').inner_text()
    _shot(page, "events")
    watch.check()
    context.close()

    # The supplier sees the need, not who asked.
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page)
    _login(page, server, "e1", "/portal/enterprises/E1/matched")
    text = page.locator("main").inner_text()
    assert "Vỏ nhôm đúc áp lực cho máy mài" in text and "Bên mua ẩn danh" in text and "E2" not in text
    _shot(page, "matched")
    watch.check()
    context.close()
