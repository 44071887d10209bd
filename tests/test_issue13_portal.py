"""Issue 13, the portal: month states (published, scheduled, open, not open) decided in one place, refusals in the
page's language (the catalogue of portal/messages.py), names instead of codes, one date format per language,
``?lang=en`` kept across the login and logout redirects, GSO's diacritic style.

A small synthetic city (demo generator, 2024-01 … 2025-06, base year 2024): its compile is stored as a release
published on 2025-07-20 for the months up to 2025-04; May is closed by a statistician with a later publication
date; June has ended and is open; the clock says 2025-07-10 (so July is the month under way, not open yet).
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from vnindustry.compile.engine import compile_dataset
from vnindustry.demo.city import generate_city
from vnindustry.portal import excel, messages, months, review
from vnindustry.portal.accounts import add_user
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.models import MonthClosure
from vnindustry.store.register import import_dataset
from vnindustry.web import create_app
from vnindustry.web.dates import format_date, format_datetime, format_month
from vnindustry.web.spelling import gso_style

PASSWORD = "correct horse battery"
TODAY = dt.date(2025, 7, 10)
RELEASED = dt.date(2025, 7, 20)  # the compile's release (months up to 2025-04): after TODAY → scheduled
MAY_PUBLISH = dt.date(2025, 7, 25)
PORTAL_SRC = Path(__file__).parents[1] / "src" / "vnindustry" / "portal"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
HTML = {"accept": "text/html"}


# -- the rule itself -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("period", "publish_on", "today", "state"), [
    ("2025-05", dt.date(2025, 6, 20), dt.date(2025, 7, 1), "published"),
    ("2025-05", dt.date(2025, 6, 20), dt.date(2025, 6, 20), "published"),  # its day: public
    ("2025-05", dt.date(2025, 6, 20), dt.date(2025, 6, 19), "scheduled"),
    ("2025-05", None, dt.date(2025, 6, 1), "open"),  # ended yesterday
    ("2025-05", None, dt.date(2025, 5, 31), "not_open"),  # the month under way
    ("2025-06", None, dt.date(2025, 5, 31), "not_open"),  # a later month
    ("2024-12", None, dt.date(2025, 1, 1), "open"),  # across the year
])
def test_a_month_state_follows_its_publication_and_the_calendar(period: str, publish_on: dt.date | None,
                                                                 today: dt.date, state: str) -> None:
    s = months.decide(period, publish_on, today)
    assert s.state == state
    assert s.accepts_reports == (state == "open") and s.closed == (state in ("published", "scheduled"))
    nxt = dt.date(int(period[:4]) + (period[5:] == "12"), int(period[5:]) % 12 + 1, 1)
    assert s.opens_on == nxt and s.closable_from >= s.opens_on


def test_dates_months_and_spelling_one_form_per_language() -> None:
    day = dt.date(2026, 12, 7)
    assert format_date(day, "vi") == "07/12/2026" and format_date(day, "en") == "7 December 2026"
    moment = dt.datetime(2026, 12, 5, 16, 29, tzinfo=dt.UTC)  # 23:29 in Vietnam
    assert format_datetime(moment, "vi") == "05/12/2026 23:29"
    assert format_datetime(moment, "en") == "5 December 2026, 23:29"
    assert format_datetime(moment.replace(tzinfo=None), "vi") == "05/12/2026 23:29"  # the store's naive UTC
    assert format_month("2026-12", "vi") == "12/2026" and format_month("2026-12", "en") == "December 2026"
    assert gso_style("Sơn hoá học, thuỷ sản, khoẻ") == "Sơn hóa học, thủy sản, khỏe"
    assert gso_style("hoàn thành, quý, thuyền, Hoà Bình") == "hoàn thành, quý, thuyền, Hòa Bình"


# -- the catalogue covers every refusal raised in portal/ --------------------------------------------------------
def _raised_codes() -> tuple[set[str], set[tuple[str, str]]]:
    """Every error code (and code.kind) the portal's modules raise, read from their source."""
    codes: set[str] = set()
    kinds: set[tuple[str, str]] = set()
    for path in PORTAL_SRC.rglob("*.py"):  # the review package's modules too
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):  # ReviewError subclasses: code = "…"
                for item in node.body:
                    if isinstance(item, ast.Assign) and [getattr(t, "id", "") for t in item.targets] == ["code"] \
                            and isinstance(item.value, ast.Constant):
                        codes.add(item.value.value)
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            consts = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            keywords = {k.arg: k.value.value for k in node.keywords
                        if k.arg and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
            code = keywords.get("code")
            if name == "_problem" and len(consts) >= 6 and consts[5]:
                code = consts[5]
            elif name == "_not_ours":
                code, keywords["kind"] = "not_a_template", consts[2] if len(consts) > 2 else None
            elif name == "_too_big":
                code, keywords["kind"] = "upload_too_large", consts[3] if len(consts) > 3 else None
            elif name == "bad":
                code = consts[2] if len(consts) > 2 and consts[2] else "invalid_quantity"
                keywords["kind"] = consts[1] if len(consts) > 1 else None
            elif name == "_reason":
                code, keywords["kind"] = "reason_required", consts[2] if len(consts) > 2 else "reason"
            if code:
                codes.add(code)
                kind = keywords.get("kind")
                if kind:
                    kinds.add((code, kind))
    return codes, kinds


def test_every_refusal_of_the_portal_has_a_vietnamese_text() -> None:
    codes, kinds = _raised_codes()
    assert {"invalid_quantity", "month_closed", "not_a_template", "month_not_over", "open_items", "user_exists",
            "outside_table", "reason_required"} <= codes  # the reader sees the raise sites
    assert not sorted(c for c in codes if c not in messages.VI and c not in ("needs_confirmation",
                                                                             "comment_required", "invalid_request"))
    generic = {"reason", "implausible"}  # kinds whose code's own entry says it all
    missing_kinds = sorted(f"{c}.{k}" for c, k in kinds if f"{c}.{k}" not in messages.VI and k not in generic)
    assert not missing_kinds
    for key, (message, fix) in messages.VI.items():  # GSO's style and no English left in the catalogue
        for text in (message, fix):
            assert gso_style(text) == text, key
            words = re.sub(r"\{\w+\}|\w+_\w+", " ", text)  # placeholders and setting names aside
            assert not re.search(r"\b(the|is|not|must|please|month)\b", words), (key, text)


def test_a_review_refusal_is_said_in_each_language() -> None:
    exc = review.MonthNotOver("2025-07 cannot be closed before 2025-08-01 (today is 2025-07-10): …",
                              params={"month": "2025-07", "opens": dt.date(2025, 8, 1), "today": TODAY},
                              fix="close 2025-07 on or after 2025-08-01")
    from vnindustry.web.portal_html import say

    vi = say(exc, "vi")
    assert vi.startswith("Chưa thể khóa sổ tháng 7/2025 trước ngày 01/08/2025 (hôm nay là 10/07/2025)")
    assert not ISO_DATE.search(vi)
    assert say(exc, "en") == "2025-07 cannot be closed before 2025-08-01 (today is 2025-07-10): … — close 2025-07 " \
                             "on or after 2025-08-01"
    problem = {"code": "invalid_quantity", "field": "quantity", "cell": "Báo cáo!C6",
               "params": {"kind": "not_a_number", "value": "1,5 tấn"},
               "message": "Báo cáo!C6: '1,5 tấn' is not a number", "fix": "type the number only"}
    assert say(problem, "vi").startswith("«1,5 tấn» không phải là số.")
    assert say(problem, "en") == "'1,5 tấn' is not a number — type the number only"  # the cell is shown apart


# -- a city on the clock ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("city") / "city", n_enterprises=100, start="2024-01",
                         end="2025-06", base_year=2024)


def city_store(city: Path, url: str):  # type: ignore[no-untyped-def]
    """The city in the store at ``url``: reports, its tree, the compile released on RELEASED for the months up to
    2025-04, May closed (published on MAY_PUBLISH), and the accounts dn (DN00001), tk and qt."""
    store = open_store(url)
    import_dataset(store, city)
    review.import_tree(store, city)
    result = compile_dataset(city)
    store_compile(store, result, released_on=RELEASED, document="city compile to 2025-04",
                  periods={f"2024-{m:02d}" for m in range(1, 13)} | {f"2025-{m:02d}" for m in range(1, 5)})
    with store.engine.begin() as conn:
        conn.execute(insert(MonthClosure).values(period="2025-05", closed_at=dt.datetime(2025, 7, 2, tzinfo=dt.UTC),
                                                 closed_by="tk", publish_on=MAY_PUBLISH))
    add_user(store.engine, "dn", PASSWORD, "enterprise", "DN00001")
    add_user(store.engine, "tk", PASSWORD, "statistician")
    add_user(store.engine, "qt", PASSWORD, "admin")
    return store


@pytest.fixture
def store(city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setattr("vnindustry.store.repository.today_in_vietnam", lambda: TODAY)
    return city_store(city, f"sqlite:///{tmp_path / 'store.db'}")


def test_month_states_of_the_city(store) -> None:  # type: ignore[no-untyped-def]
    states = months.month_states(store.engine, ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08"])
    assert {p: s.state for p, s in states.items()} == {"2025-04": "scheduled", "2025-05": "scheduled",
                                                        "2025-06": "open", "2025-07": "not_open",
                                                        "2025-08": "not_open"}
    assert states["2025-04"].publish_on == RELEASED and states["2025-05"].publish_on == MAY_PUBLISH
    later = months.month_states(store.engine, ["2025-04", "2025-05"], today=dt.date(2025, 7, 21))
    assert [later[p].state for p in ("2025-04", "2025-05")] == ["published", "scheduled"]
    assert [s.period for s in months.offered_months(store.engine)] == ["2025-06"]  # only the open month
    assert months.current_month().period == "2025-07" and months.current_month().state == "not_open"


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _login(app, username: str, lang: str, start: str) -> TestClient:  # type: ignore[no-untyped-def]
    """Log in the way a browser does: the page, the redirect to the login form (in ``lang``), back to the page."""
    client = TestClient(app)
    url = start + ("?lang=en" if lang == "en" else "")
    r = client.get(url, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    login_url = r.headers["location"]
    assert ("lang=en" in login_url) == (lang == "en"), login_url
    page = client.get(login_url)
    assert f'<html lang="{lang}">' in page.text
    token = re.search(r'name="login_token" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    nxt = re.search(r'name="next" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/portal/login", data={"login_token": token, "username": username, "password": PASSWORD,
                                           "next": nxt.replace("&amp;", "&"), "lang": lang}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == url, r.headers.get("location")
    return client


def test_lang_is_kept_across_login_and_logout(store) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    client = _login(app, "dn", "en", "/portal/enterprises/DN00001")
    page = client.get("/portal/enterprises/DN00001?lang=en")
    assert '<html lang="en">' in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/portal/logout?lang=en", data={"csrf_token": csrf, "lang": "en"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/portal/login?lang=en"
    # Already logged in: the login page sends the user on, in its language.
    client = _login(app, "tk", "en", "/portal/review")
    r = client.get("/portal/login?lang=en", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/portal/review?lang=en"


def test_the_enterprise_page_shows_each_month_in_words(store) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    vi = _text(_login(app, "dn", "vi", "/portal/enterprises/DN00001").get("/portal/enterprises/DN00001").text)
    assert "Báo cáo tháng 6/2025" in vi and "tháng tháng" not in vi
    assert "Báo cáo tháng 7/2025" not in vi  # the month under way is not offered …
    assert "Tháng 7/2025 nhận báo cáo từ ngày 01/08/2025." in vi  # … it is announced
    assert "Đã khóa sổ, công bố ngày 20/07/2025" in vi and "Đã khóa sổ, công bố ngày 25/07/2025" in vi
    assert vi.count("Đang nhận báo cáo") == 1  # June only
    assert "cơ quan thống kê nhập từ tệp dữ liệu" in vi and " import " not in f" {vi} " and not ISO_DATE.search(vi)
    en = _text(_login(app, "dn", "en", "/portal/enterprises/DN00001").get("/portal/enterprises/DN00001?lang=en")
               .text)
    assert "Report for June 2025" in en and "July 2025 takes reports from 1 August 2025." in en
    assert "Closed, to be published on 20 July 2025" in en and "the statistics office imported from a data file" in en
    assert not ISO_DATE.search(en)


def _template(client: TestClient, period: str, quantity: object) -> tuple[bytes, str]:
    """The month's template with ``quantity`` in the first product's box, and that box's cell."""
    data = client.get(f"/api/v1/enterprises/DN00001/reports/template.xlsx?period={period}").content
    book = openpyxl.load_workbook(io.BytesIO(data))
    meta = {row[0]: row[1] for row in book[excel.META_SHEET].iter_rows(values_only=True) if row and row[0]}
    cell = f"{excel.LETTER['quantity']}{int(meta['first_row'])}"
    book[meta["sheet"]][cell] = quantity
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), f"{meta['sheet']}!{cell}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_refusals_on_the_form_are_in_the_page_language(store, lang: str) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    client = _login(app, "dn", lang, "/portal/enterprises/DN00001/reports/2025-06")
    q = "?lang=en" if lang == "en" else ""
    form = client.get(f"/portal/enterprises/DN00001/reports/2025-06{q}").text
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', form).group(1)  # type: ignore[union-attr]
    # The Excel upload with "1,5 tấn" typed in the quantity box.
    workbook, cell = _template(client, "2025-06", "1,5 tấn")
    r = client.post(f"/portal/enterprises/DN00001/reports/2025-06/upload{q}", data={"csrf_token": csrf, "lang": lang},
                    files={"file": ("bao-cao.xlsx", workbook, excel.MEDIA_TYPE)})
    assert r.status_code == 422
    shown = _text(r.text)
    if lang == "vi":
        assert f"Ô {cell}: «1,5 tấn» không phải là số." in shown and "Tệp: bao-cao.xlsx" in shown
        assert "is not a number" not in shown
    else:
        assert f"Cell {cell}: '1,5 tấn' is not a number — type the number only" in shown
        assert "File: bao-cao.xlsx" in shown
    # A closed (scheduled) month and the month under way take no report; neither has a submit button.
    for period, words in (("2025-05", {"vi": "đã khóa sổ", "en": "is closed"}),
                          ("2025-07", {"vi": "Tháng 7/2025 chưa kết thúc: biểu mẫu nhận báo cáo từ ngày 01/08/2025.",
                                       "en": "July 2025 has not ended: the form takes reports from 1 August 2025."})):
        page = client.get(f"/portal/enterprises/DN00001/reports/{period}{q}").text
        assert words[lang] in _text(page) and 'id="submit"' not in page
    r = client.post(f"/portal/enterprises/DN00001/reports/2025-07{q}", data={"csrf_token": csrf, "lang": lang,
                                                                               "q.X": "1"})
    assert r.status_code == 422
    refusal = {"vi": "Tháng 7/2025 chưa kết thúc nên chưa nhận báo cáo. Báo cáo từ ngày 01/08/2025",
               "en": "2025-07 has not ended: reports are taken from 2025-08-01"}[lang]
    assert refusal in _text(r.text)
    # An error page: the receipt of a month never reported.
    r = client.get(f"/portal/enterprises/DN00001/reports/2025-07/receipt{q}", headers=HTML)
    assert r.status_code == 404
    assert {"vi": "Không có báo cáo tháng 7/2025 của doanh nghiệp DN00001",
            "en": "there is no report for 2025-07 of enterprise DN00001"}[lang] in _text(r.text)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_review_pages_show_states_and_refusals_in_words(store, lang: str) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    client = _login(app, "tk", lang, "/portal/review")
    q = "?lang=en" if lang == "en" else ""
    months_page = client.get(f"/portal/review{q}").text
    row = _text(re.search(r'<tr id="month-2025-04".*?</tr>', months_page, re.S).group(0))  # type: ignore[union-attr]
    assert {"vi": "Đã khóa sổ, công bố ngày 20/07/2025", "en": "Closed, to be published on 20 July 2025"}[lang] in row
    assert 'id="month-2025-06" class="open" data-state="open"' in months_page
    page = client.get(f"/portal/review/2025-07{q}").text
    assert 'data-state="not_open"' in page and 'id="close-form"' not in page
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    # Closing the month under way through the form is refused, in the page's language.
    r = client.post(f"/portal/review/2025-07/close{q}", data={"csrf_token": csrf, "lang": lang,
                                                               "publish_on": "2025-07-11"})
    assert r.status_code == 409
    message = _text(re.search(r'id="message">(.*?)</p>', r.text, re.S).group(1))  # type: ignore[union-attr]
    if lang == "vi":
        assert message.startswith("Chưa thể khóa sổ tháng 7/2025 trước ngày 01/08/2025 (hôm nay là 10/07/2025)")
        assert not ISO_DATE.search(message)
    else:
        assert message.startswith("2025-07 cannot be closed before 2025-08-01")
    # The audit log names the system and the importer in words, dates in the page's form.
    audit = _text(client.get(f"/portal/audit{q}").text)
    assert {"vi": "hệ thống", "en": "the system"}[lang] in audit
    if lang == "vi":
        assert not ISO_DATE.search(audit)


def test_the_api_gives_the_same_states(store) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    client = TestClient(app)
    r = client.post("/api/v1/auth/login", json={"username": "dn", "password": PASSWORD})
    assert r.status_code == 200
    body = client.get("/api/v1/enterprises/DN00001/reports").json()
    by_month = {r["period"]: r["month_state"]["state"] for r in body["reports"]}
    assert by_month["2025-04"] == "scheduled" and by_month["2025-05"] == "scheduled" and by_month["2025-06"] == "open"
    assert [m["period"] for m in body["open_months"]] == ["2025-06"]
    form = client.get("/api/v1/enterprises/DN00001/reports?period=2025-07").json()
    assert form["month_state"] == {"state": "not_open", "publish_on": None, "opens_on": "2025-08-01",
                                   "closable_from": "2025-08-01"}


def test_audit_notes_written_by_the_portal_are_said_in_each_language(store) -> None:  # type: ignore[no-untyped-def]
    """Every note form the portal writes — a forced close that skips a month (and reopens an interrupted one), a
    revision, account events — written through the real functions, then read back in words."""
    from vnindustry.portal import accounts, audit_notes
    from vnindustry.web.portal_html import formats

    review.close_month(store, "2025-06", by="tk", publish_on=dt.date(2025, 7, 21), force=True,
                       reason="giám đốc yêu cầu", skip={"2025-05": "số liệu cũ"})
    review.revise_month(store, "2025-06", by="tk", publish_on=dt.date(2025, 7, 22), reason="sửa số liệu")
    accounts.deactivate_user(store.engine, "dn", by="qt", client="203.0.113.5")
    accounts.reactivate_user(store.engine, "dn", by="qt", client="203.0.113.5")
    accounts.reset_password(store.engine, "dn", PASSWORD + "!", by="qt", client="203.0.113.5")
    accounts.login(store.engine, "dn", "wrong", "203.0.113.5")
    rows = [r for r in review.audit_log(store.engine) if r.reason]
    actions = {r.action for r in rows}
    assert {"close", "skip", "revise", "user_add", "user_deactivate", "user_reactivate", "password_reset",
            "login_failed"} <= actions
    assert any("interrupted close" in r.reason for r in rows)  # May's closure had no release: reopened
    for r in rows:
        vi = audit_notes.describe(r.action, r.reason, "vi", formats("vi"))
        en = audit_notes.describe(r.action, r.reason, "en", formats("en"))
        assert not ISO_DATE.search(vi) and not ISO_DATE.search(en), (r.action, vi, en)
        words = re.sub(r"\b(qt|tk|dn)\b", " ", vi)
        assert not re.search(r"\b(publish|response|forced|skipped|release|months|role|session|was|wrong|"
                             r"interrupted|closed|the)\b", words), (r.action, r.reason, vi)
    close = next(r for r in rows if r.action == "close" and r.reason.startswith("publish on"))
    assert audit_notes.describe("close", close.reason, "vi", formats("vi")).startswith("công bố ngày 21/07/2025; ")
    assert "giám đốc yêu cầu" in audit_notes.describe("close", close.reason, "vi", formats("vi"))


VIETNAMESE_LETTERS = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_issue13_the_form_names_products_and_units_in_the_page_language(store, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Regression (issue 13): the English form printed the register's Vietnamese product names and units."""
    from vnindustry.names import english_name, english_unit

    client = _login(create_app(store), "dn", lang, "/portal/enterprises/DN00001/reports/2025-06")
    q = "?lang=en" if lang == "en" else ""
    page = client.get(f"/portal/enterprises/DN00001/reports/2025-06{q}").text
    rows = re.findall(r'<tr class="line[^"]*" data-product="([^"]+)".*?<label[^>]*>([^<]*)</label>.*?<td>([^<]*)</td>',
                      page, flags=re.S)
    assert rows, "the form lists DN00001's products"
    for product, name, unit in rows:
        name, unit = unescape(name), unescape(unit)
        if lang == "en":
            assert not VIETNAMESE_LETTERS.search(name + unit), (product, name, unit)
            assert english_name(name) == "" and english_unit(unit) == unit  # already English: nothing left to map
        else:
            assert VIETNAMESE_LETTERS.search(name), (product, name)
