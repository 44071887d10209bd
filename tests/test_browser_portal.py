"""Issue 6's done-when in a real browser, on PostgreSQL: one month run end to end through the portal's pages.

An enterprise logs in, opens the month's form, types a ×1000 slip and gets the confirmation prompt as it
types (portal.js) and again from the server when it submits anyway; it confirms with a comment and gets its
receipt. A statistician logs in, sees the response rate and the flagged value in the queue, accepts it, closes
the month with a publication date — first tomorrow (embargoed: the public API does not show the release), then
the release becomes public on its day — and the public site lists it. Debian's chromium through Playwright; a
uvicorn server on 127.0.0.1 on a fresh PostgreSQL database; every request must stay on 127.0.0.1 and no page
may log a console error. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

import test_pages as shared  # tests/ is on sys.path (conftest.py)
from vnindustry.demo.city import generate_city
from vnindustry.portal import review
from vnindustry.portal.accounts import add_user
from vnindustry.store import open_store
from vnindustry.store.models import Release, Report
from vnindustry.store.register import Register, import_dataset
from vnindustry.store.repository import today_in_vietnam
from vnindustry.web import create_app
from vnindustry.web.dates import format_date

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

browser = shared.browser  # one chromium for the module (test_pages.py's fixture)
MONTH = "2021-03"
PASSWORD = "correct horse battery"
ARTIFACTS = shared.ARTIFACTS


@pytest.fixture
def portal(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any, str, str]]:
    """A city of 100 enterprises (2020-01 … MONTH) on PostgreSQL, its accounts, and uvicorn on 127.0.0.1:
    (base URL, store, enterprise code, product code of its slip)."""
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setenv("VNINDUSTRY_API_RELEASE_POLL", "1")  # the API re-reads the latest public release each second
    city = generate_city(tmp_path / "city", n_enterprises=100, start="2020-01", end=MONTH)
    store = open_store(pg_url)
    import_dataset(store, city)
    review.import_tree(store, city)
    reg = Register(store.engine)
    for code in (f"DN{i:05d}" for i in range(1, 101)):  # an enterprise with a product whose history gives a scale
        report = reg.report(code, MONTH)
        if report is None:
            continue
        line = report.lines[0]
        history = [q for _, q in reg.history(code, line.product, 12, before=MONTH)]
        if len(history) >= 6 and statistics.median(history) > 0:
            break
    add_user(store.engine, "dn", PASSWORD, "enterprise", code)
    add_user(store.engine, "tk", PASSWORD, "statistician")
    with shared.serve_in_thread(create_app(store)) as base:
        yield base, store, code, line.product


class Watch:
    """Requests, failed responses and console errors of a page (4xx answers the test expects are allowed)."""

    def __init__(self, page: Any) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error"
                and "status of 4" not in msg.text else None)

    def check(self) -> None:
        outside = [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]
        assert not outside, f"requests left 127.0.0.1: {outside}"
        assert not self.errors, f"console errors: {self.errors}"


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)


def _login(page: Any, base: str, username: str, start: str) -> None:
    page.goto(base + start)
    assert urlsplit(page.url).path == "/portal/login"  # anonymous: sent to the login page
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == start, page.url  # and back where it wanted to go


def _versions(store: Any, code: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Report).where(
            Report.enterprise_code == code, Report.period == MONTH)).scalar_one()


def test_regression_issue6_one_month_end_to_end_in_the_browser(portal: tuple[str, Any, str, str],
                                                               browser: Any) -> None:
    base, store, code, product = portal
    before = _versions(store, code)

    # -- the enterprise ----------------------------------------------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    watch = Watch(page)
    form_url = f"/portal/enterprises/{code}/reports/{MONTH}"
    _login(page, base, "dn", form_url)
    row = page.locator(f'tr.line[data-product="{product}"]')
    high = float(row.get_attribute("data-high"))
    box = page.locator(f"#q-{product}")
    slip = f"{high * 100:.0f}"  # kg typed for tonnes: far above the enterprise's own history
    box.fill(slip)
    confirm = page.locator(f"#confirm-{product}")
    others = page.locator(f'tr.line:not([data-product="{product}"]) label.confirm')
    assert others.count() and not any(others.nth(i).is_visible() for i in range(others.count()))
    assert confirm.is_visible()  # the prompt appears as one types, on that line only …
    assert "khác thường" in page.locator(f"#e-{product}").inner_text()
    page.click("#submit")  # … and submitting is held back until it is answered
    assert urlsplit(page.url).path == form_url and _versions(store, code) == before
    _shot(page, "1-slip-prompt")
    confirm.check()
    page.fill(f"#c-{product}", "Dây chuyền mới đi vào hoạt động")
    page.click("#submit")
    page.wait_for_load_state("load")
    assert "/receipt" in page.url, page.url
    assert "Báo cáo đã được lưu" in page.locator("#receipt-status").inner_text()
    assert _versions(store, code) == before + 1
    _shot(page, "2-receipt")
    watch.check()
    context.close()

    # The server asks too, for a browser without the script (the same slip, unconfirmed, posted as a form).
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    _login(page, base, "dn", form_url)
    page.fill(f"#q-{product}", f"{high * 200:.0f}")
    page.fill(f"#c-{product}", "")
    page.click("#submit")
    assert "khác thường" in page.locator(f"#e-{product}").inner_text()
    assert page.locator(f"#confirm-{product}").is_visible() and _versions(store, code) == before + 1
    context.close()

    # -- the statistician --------------------------------------------------------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    watch = Watch(page)
    month_url = f"/portal/review/{MONTH}"
    _login(page, base, "tk", month_url)
    assert page.locator("#response-rate").is_visible()
    assert page.locator("#queue").is_visible()
    accept = page.locator(f"#accept-{code}-{product}")
    accept.locator("input[name=note]").fill("Đã gọi điện xác nhận với doanh nghiệp")
    accept.locator("button").click()
    page.wait_for_load_state("load")
    _shot(page, "3-accepted")
    item = next(x for x in review.queue(store.engine, MONTH) if (x.enterprise, x.product) == (code, product))
    assert item.status == "accepted", item
    # Close, to publish tomorrow: the release exists but the public does not see it.
    tomorrow = today_in_vietnam() + dt.timedelta(days=1)
    form = page.locator("#close-form")
    form.locator("#publish-on").fill(tomorrow.isoformat())
    force = form.locator("input[name=force]")
    if force.count() and page.locator("#queue .open").count():  # other enterprises' open items: force, with why
        force.check()
        form.locator("[name=reason]").fill("Các doanh nghiệp còn lại đã được liên hệ")
    skip = form.locator("input[name=skip]")
    if skip.count():  # the city's history (2020-01 … 2021-02) was never closed here: skipped, with why (issue 12)
        skip.check()
        form.locator("#skip-reason").fill("Số liệu trước khi có cổng thông tin")
    form.locator("#close").click()
    page.wait_for_load_state("load")
    assert page.locator("#closure").is_visible(), page.content()[:2000]
    _shot(page, "4-closed")
    closure = review.closure(store.engine, MONTH)
    assert closure is not None and closure.publish_on == tomorrow and closure.release_id is not None
    public = browser.new_context()  # anonymous: the public's view
    releases = public.request.get(base + "/api/v1/releases").json()
    assert closure.release_id not in [r["id"] for r in releases["items"]]  # embargoed
    # The same release on its day: moved to today (as the calendar reaching the date would), now public.
    with store.engine.begin() as conn:
        conn.execute(Release.__table__.update().where(Release.id == closure.release_id)
                     .values(released_on=today_in_vietnam()))
    deadline = time.monotonic() + 10  # without a restart, once the API's release poll has run
    while True:
        releases = public.request.get(base + "/api/v1/releases").json()
        if closure.release_id in [r["id"] for r in releases["items"]] or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert closure.release_id in [r["id"] for r in releases["items"]]
    page.goto(base + "/releases")
    assert format_date(today_in_vietnam(), "vi") in page.locator("main").inner_text()  # 07/12/2026 (issue 13)
    _shot(page, "5-published")
    watch.check()
    public.close()
    context.close()
    assert os.environ.get("VNINDUSTRY_API_RATE_LIMIT") == "0"
