"""Issue 15's /origin page in a real browser (Debian's chromium through Playwright, uvicorn on 127.0.0.1): an
exporter uploads a motor's bill of materials and reads whether it originates, by which rule, with the notes
cited, and which input to source locally — in Vietnamese, then in English; the answer downloads as a PDF. Every
request stays on 127.0.0.1 and no page logs a console error. Screenshots in tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import test_pages as shared  # tests/ is on sys.path (conftest.py)
from test_browser_portal import Watch
from vnindustry.linkage.stored import import_csv
from vnindustry.store import open_store
from vnindustry.web import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

browser = shared.browser
DATA = Path(__file__).parent / "data"


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    import_csv(store.engine, DATA / "linkage" / "suppliers.csv", None, created_by="t")
    with shared.serve_in_thread(create_app(store)) as base:
        yield base


def test_origin_in_the_browser(browser: Any, server: str, tmp_path: Path) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    watch = Watch(page)
    page.goto(server + "/origin")
    page.fill("#hs", "850152")
    page.fill("#ex-works", "100")
    page.set_input_files("#file", str(DATA / "origin" / "motor.csv"))
    page.click("#assess")
    page.wait_for_load_state("load")
    assert page.locator("#answer").get_attribute("data-originates") == "false"
    assert page.locator("#verdict").inner_text() == "HS 850152: KHÔNG đạt xuất xứ EVFTA"
    text = page.locator("#answer").inner_text()
    assert "MaxNOM 61,00% vượt 50% giá xuất xưởng (Phụ lục I, Ghi chú 3.4)" in text
    assert "vượt dung sai 10% (Điều 5(3))" in text
    assert "stator laminations" in page.locator("#to-originate").inner_text()
    ARTIFACTS = shared.ARTIFACTS
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "origin-vi.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#pdf")
    saved = tmp_path / "origin.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    # The same question in English: switch the language, paste the BOM instead.
    page.goto(server + "/origin?lang=en")
    page.fill("#hs", "850152")
    page.fill("#ex-works", "100")
    page.fill("#bom", (DATA / "origin" / "motor.csv").read_text(encoding="utf-8").replace("30,CN", "30,DE"))
    page.click("#assess")
    page.wait_for_load_state("load")
    # The stator from Germany (bilateral cumulation): 31% non-originating, and no 8503 material left to break
    # the change of heading.
    assert page.locator("#verdict").inner_text() == "HS 850152: ORIGINATES under the EVFTA"
    text = page.locator("#answer").inner_text()
    assert "(Article 3(1))" in text and "not a binding ruling" in text
    page.screenshot(path=str(ARTIFACTS / "origin-en.png"), full_page=True)
    watch.check()
    context.close()
