"""The portal's login and enterprise pages (issue 6), through the HTML forms as a browser sends them."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, insert, select

from builders import PORTAL_PASSWORD, portal_store
from vnindustry.portal import excel
from vnindustry.publish.numbers import format_number, parse_number, round_half_up
from vnindustry.store.models import MonthClosure, Report
from vnindustry.web import create_app

FORM = "/portal/enterprises/E1/reports/2020-06"
HTML = {"accept": "text/html"}


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return portal_store(db_url)


@pytest.fixture
def app(store):
    return create_app(store)


def hidden(html: str, name: str) -> str:
    """The value of the hidden field ``name`` in the page."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no field {name} in the page"
    return found.group(1)


def html_login(app, username: str, password: str = PORTAL_PASSWORD, next_url: str = "") -> tuple[TestClient, str]:
    """A client logged in through the login form, and the CSRF token of its pages."""
    client = TestClient(app)
    page = client.get("/portal/login", params={"next": next_url} if next_url else None)
    r = client.post("/portal/login", data={"login_token": hidden(page.text, "login_token"), "username": username,
                                           "password": password, "next": hidden(page.text, "next")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client, client.get("/api/v1/auth/me").json()["csrf_token"]  # the token every page's forms carry


def versions(store, enterprise: str = "E1", period: str = "2020-06") -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Report).where(
            Report.enterprise_code == enterprise, Report.period == period)).scalar_one()


def box_error(html: str, product: str = "P1") -> str:
    found = re.search(rf'id="e-{product}" role="status">([^<]*)<', html)
    assert found
    return found.group(1)


# -- logging in -----------------------------------------------------------------------------------------------
def test_anonymous_pages_redirect_to_the_login_and_back(app) -> None:
    client = TestClient(app)
    r = client.get(FORM, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/portal/login?next={FORM}"
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and hidden(page.text, "next") == FORM
    assert "HttpOnly" in page.headers["set-cookie"] and "samesite=lax" in page.headers["set-cookie"].lower()
    r = client.post("/portal/login", data={"login_token": hidden(page.text, "login_token"), "username": "e1",
                                           "password": PORTAL_PASSWORD, "next": FORM}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == FORM
    assert client.get(FORM).status_code == 200


def test_login_goes_to_the_users_start_page(app) -> None:
    client, _ = html_login(app, "e1")
    assert client.get("/portal", follow_redirects=False).headers["location"] == "/portal/enterprises/E1"
    client, _ = html_login(app, "stat")
    assert client.get("/portal", follow_redirects=False).headers["location"] == "/portal/review"
    page = client.get("/portal/enterprises/E1/reports/2020-06")
    assert hidden(page.text, "csrf_token") == client.get("/api/v1/auth/me").json()["csrf_token"]


def test_wrong_password_and_missing_login_token(app) -> None:
    client = TestClient(app)
    page = client.get("/portal/login")
    r = client.post("/portal/login", data={"login_token": hidden(page.text, "login_token"), "username": "e1",
                                           "password": "wrong password"})
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in r.text
    # A form posted from elsewhere has no login cookie (SameSite) or not the page's token: refused.
    other = TestClient(app)
    r = other.post("/portal/login", data={"login_token": "forged", "username": "e1", "password": PORTAL_PASSWORD})
    assert r.status_code == 403 and "vnindustry_session" not in r.headers.get("set-cookie", "")


def test_login_is_throttled(app, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(app)
    statuses = []
    for _ in range(12):
        page = client.get("/portal/login")
        r = client.post("/portal/login", data={"login_token": hidden(page.text, "login_token"), "username": "e2",
                                               "password": "not the password"})
        statuses.append(r.status_code)
    assert statuses[0] == 401 and statuses[-1] == 429
    assert "Retry-After" in r.headers and "thử lại sau" in r.text


@pytest.mark.parametrize("target", ["https://evil.example/portal", "//evil.example/portal", "/api/v1/config",
                                    "/portal\\..\\x"])
def test_next_never_leaves_the_portal(app, target: str) -> None:
    client = TestClient(app)
    page = client.get("/portal/login", params={"next": target})
    assert hidden(page.text, "next") == "/portal"
    r = client.post("/portal/login", data={"login_token": hidden(page.text, "login_token"), "username": "e1",
                                           "password": PORTAL_PASSWORD, "next": target}, follow_redirects=False)
    assert r.headers["location"] == "/portal/enterprises/E1"


def test_logout_ends_the_session(app) -> None:
    client, csrf = html_login(app, "e1")
    assert client.post("/portal/logout", data={"lang": "vi"}, headers=HTML).status_code == 403  # no token
    assert client.get(FORM, follow_redirects=False).status_code == 200
    r = client.post("/portal/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(FORM, follow_redirects=False).status_code == 303


# -- the monthly form -----------------------------------------------------------------------------------------
def test_the_form_shows_last_month_and_last_year(app) -> None:
    client, _ = html_login(app, "e1")
    page = client.get(FORM)
    assert "Báo cáo sản lượng sản phẩm công nghiệp tháng 6/2020" in page.text
    assert 'data-product="P1"' in page.text and 'data-low="' in page.text
    assert page.headers["cache-control"] == "no-store" and "frame-ancestors 'none'" in page.headers[
        "content-security-policy"]
    assert "Tháng trước" in page.text and "Cùng kỳ năm trước" in page.text
    english = client.get(FORM, params={"lang": "en"})
    assert "Industrial production report for June 2020" in english.text


def test_regression_issue6_slip_needs_confirmation_then_gives_a_receipt(app, store) -> None:
    """A ×1000 slip typed in the form: the form comes back asking for confirmation and a comment; confirmed,
    the report is stored once and the receipt shows what was stored."""
    client, csrf = html_login(app, "e1")
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "1.100", "c.P1": ""})
    assert r.status_code == 422 and versions(store) == 0
    assert "khác thường" in box_error(r.text) and 'hidden' not in re.search(r'<label class="confirm"[^>]*>',
                                                                             r.text).group(0)
    assert 'value="1.100"' in r.text  # what was typed is kept
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "1.100", "c.P1": "", "confirm": "P1"})
    assert r.status_code == 422 and "ghi lý do" in box_error(r.text)  # confirmed without a comment
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "1.100", "c.P1": "dây chuyền mới", "confirm": "P1"},
                    follow_redirects=False)
    assert r.status_code == 303 and "receipt?version=1&status=stored" in r.headers["location"]
    receipt = client.get(r.headers["location"])
    assert "Báo cáo đã được lưu" in receipt.text and "1.100" in receipt.text and "dây chuyền mới" in receipt.text
    assert versions(store) == 1
    # The same form sent again (a double click, a retry): nothing new, the receipt says so.
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "1.100", "c.P1": "dây chuyền mới", "confirm": "P1"},
                    follow_redirects=False)
    assert "status=unchanged" in r.headers["location"] and versions(store) == 1
    assert "không lưu thêm" in client.get(r.headers["location"]).text


def test_bad_boxes_are_marked_and_nothing_is_stored(app, store) -> None:
    client, csrf = html_login(app, "e1")
    for typed, expected in (("abc", "không phải là số"), ("-3", "không được âm"), ("1.23.4", "không phải là số")):
        r = client.post(FORM, data={"csrf_token": csrf, "q.P1": typed})
        assert r.status_code == 422 and expected in box_error(r.text), typed
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": ""})
    assert r.status_code == 422 and "chưa có số liệu nào" in r.text
    assert versions(store) == 0


def test_numbers_are_read_in_the_page_language(app, store) -> None:
    client, csrf = html_login(app, "e1")
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "1,25", "lang": "vi"}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(FORM + "?lang=en", data={"csrf_token": csrf, "q.P1": "1.5", "lang": "en"},
                    follow_redirects=False)
    assert r.status_code == 303 and "lang=en" in r.headers["location"]
    receipt = client.get(r.headers["location"]).text
    assert "Report receipt" in receipt and ">1.5<" in receipt
    with store.engine.connect() as conn:
        stored = conn.execute(select(Report.version).where(Report.enterprise_code == "E1",
                                                           Report.period == "2020-06")).scalars().all()
    assert sorted(stored) == [1, 2]


def test_forms_need_the_csrf_token_and_the_right_enterprise(app, store) -> None:
    client, csrf = html_login(app, "e1")
    r = client.post(FORM, data={"q.P1": "1"}, headers=HTML)
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    r = client.post(FORM, data={"q.P1": "1", "csrf_token": "x" * 43})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    assert versions(store) == 0
    r = client.get("/portal/enterprises/E2/reports/2020-06", headers=HTML)
    assert r.status_code == 403 and "chỉ xem được báo cáo của doanh nghiệp mình" in r.text  # vi page, vi words
    r = client.post("/portal/enterprises/E2/reports/2020-06", data={"csrf_token": csrf, "q.P1": "1"})
    assert r.status_code == 403 and versions(store, "E2") == 0
    statistician, _ = html_login(app, "stat")
    assert statistician.get(FORM).status_code == 200  # statisticians reach every enterprise's form


def test_a_closed_month_is_read_only(app, store) -> None:
    client, csrf = html_login(app, "e1")
    assert client.post(FORM, data={"csrf_token": csrf, "q.P1": "1"}, follow_redirects=False).status_code == 303
    with store.engine.begin() as conn:
        conn.execute(insert(MonthClosure).values(period="2020-06", closed_at=dt.datetime.now(dt.UTC),
                                                 closed_by="stat", publish_on=dt.date(2020, 7, 5)))
    page = client.get(FORM)
    assert "đã khóa sổ" in page.text and "readonly" in page.text and 'id="submit"' not in page.text
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "2"})
    assert r.status_code == 422 and "khóa sổ" in r.text and versions(store) == 1


def test_the_enterprise_page_lists_its_months(app) -> None:
    client, csrf = html_login(app, "e1")
    client.post(FORM, data={"csrf_token": csrf, "q.P1": "1"})
    page = client.get("/portal/enterprises/E1")
    assert page.status_code == 200 and 'id="reports"' in page.text
    assert f'href="{FORM}/receipt"' in page.text
    assert client.get("/portal/enterprises/NOPE", headers=HTML).status_code == 403  # not its own
    statistician, _ = html_login(app, "stat")
    assert statistician.get("/portal/enterprises/NOPE", headers=HTML).status_code == 404


def test_receipt_of_a_version_that_was_not_stored(app) -> None:
    client, _ = html_login(app, "e1")
    r = client.get(FORM + "/receipt", params={"version": 3})
    assert r.status_code == 404 and "not stored" in r.json()["detail"]


# -- the Excel upload from the form page ------------------------------------------------------------------------
def _filled_template(client: TestClient, quantity: object) -> bytes:
    data = client.get("/api/v1/enterprises/E1/reports/template.xlsx", params={"period": "2020-06"}).content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[excel.SHEET][f"{excel.LETTER['quantity']}{excel.FIRST_ROW + 1}"] = quantity
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_upload_from_the_form_page(app, store) -> None:
    client, csrf = html_login(app, "e1")
    files = {"file": ("bao-cao.xlsx", _filled_template(client, 1.05), excel.MEDIA_TYPE)}
    r = client.post(FORM + "/upload", files=files, data={}, headers=HTML)
    assert r.status_code == 403 and versions(store) == 0
    r = client.post(FORM + "/upload", files=files, data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and "status=stored" in r.headers["location"]
    assert "tệp Excel" in client.get(r.headers["location"]).text
    bad = {"file": ("bao-cao.xlsx", _filled_template(client, "mười"), excel.MEDIA_TYPE)}
    r = client.post(FORM + "/upload", files=bad, data={"csrf_token": csrf})
    assert r.status_code == 422 and 'id="upload-errors"' in r.text and "Ô Báo cáo!" in r.text
    assert versions(store) == 1


# -- typed numbers ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "lang", "value"), [
    ("1.234,5", "vi", 1234.5), ("1234,5", "vi", 1234.5), ("1.234", "vi", 1234.0), ("12.5", "vi", 12.5),
    ("1.234.567", "vi", 1234567.0), (",5", "vi", 0.5), (" 120 000 ", "vi", 120000.0), ("-3", "vi", -3.0),
    ("1,234.5", "en", 1234.5), ("1,234", "en", 1234.0), ("12,5", "en", 12.5), ("0", "en", 0.0),
])
def test_parse_number(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == value


@pytest.mark.parametrize("text", ["", "abc", "1..2", "1.23.4", "1,2,3", "1e5", "nan", "inf", "1.2345,6", "-",
                                  "١٢", "12,3,4"])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text, "vi")


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False), st.sampled_from(["vi", "en"]),
       st.integers(0, 3))
def test_parse_number_reads_what_format_number_writes(value, lang: str, decimals: int) -> None:
    text = format_number(float(value), decimals, lang)
    assert parse_number(text, lang) == pytest.approx(round_half_up(float(value), decimals), rel=1e-12)
