"""The statisticians' pages (issue 6): months, a month's review, accept/correct/close, the audit log — through
the HTML forms as a browser sends them (no JavaScript)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from builders import PORTAL_PASSWORD, add_portal_admin, portal_store
from vnindustry.portal import review
from vnindustry.portal.reports import submit_report
from vnindustry.store.models import AuditEntry, MonthClosure, Report
from vnindustry.store.repository import today_in_vietnam
from vnindustry.web import create_app
from vnindustry.web.review_pages import day_label, next_working_day

MONTH = "2020-06"  # the PPI store's reports end in 2020-05; two confirmed ×1000 slips are sent for June
PAGE = f"/portal/review/{MONTH}"
HTML = {"accept": "text/html"}
PPI = Path(__file__).parent / "data" / "ppi_manual"


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    # Only E2 and E3 report June here: these tests are about the queue and the forms, not the response guard
    # (tests/test_issue12_close.py tests it).
    monkeypatch.setenv("VNINDUSTRY_CLOSE_MIN_RESPONSE", "0")
    store = portal_store(db_url)
    add_portal_admin(store)
    review.import_tree(store, PPI)  # so a month can be closed
    for enterprise, product, quantity in (("E2", "P2", 1200.0), ("E3", "P3", 2000.0)):
        submit_report(store.engine, enterprise, MONTH, [{"product": product, "quantity": quantity,
                                                         "comment": "kg, not tấn — confirmed"}],
                      submitted_by=enterprise.lower(), confirmations=[product])
    return store


@pytest.fixture
def app(store):
    return create_app(store)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no field {name} in the page"
    return found.group(1)


def html_login(app, username: str) -> tuple[TestClient, str]:
    """A client logged in through the login form, and the CSRF token its pages' forms carry."""
    client = TestClient(app)
    page = client.get("/portal/login")
    r = client.post("/portal/login", data={"login_token": hidden(page.text, "login_token"), "username": username,
                                           "password": PORTAL_PASSWORD, "next": "/portal"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    if username in ("stat", "admin"):
        assert r.headers["location"] == "/portal/review"
        return client, hidden(client.get("/portal/review").text, "csrf_token")
    return client, ""


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with ``element_id`` (tags removed, spaces collapsed)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"no element {element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


def count(store, model) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def item_status(store, enterprise: str, product: str) -> str:  # type: ignore[no-untyped-def]
    return next(x.status for x in review.queue(store.engine, MONTH) if (x.enterprise, x.product) == (enterprise,
                                                                                                    product))


# -- who may see the pages ------------------------------------------------------------------------------------
def test_anonymous_goes_to_the_login_and_an_enterprise_is_refused(app, store) -> None:
    anonymous = TestClient(app)
    for path in ("/portal/review", PAGE, "/portal/audit"):
        r = anonymous.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/portal/login?next=/portal/")
    r = anonymous.post(f"{PAGE}/close", data={"publish_on": "2030-01-02"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/portal/login")
    enterprise, _ = html_login(app, "e1")
    for path in ("/portal/review", PAGE, "/portal/audit"):
        r = enterprise.get(path, headers=HTML)
        assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    csrf = hidden(enterprise.get("/portal/enterprises/E1").text, "csrf_token")
    r = enterprise.post(f"{PAGE}/close", data={"publish_on": "2030-01-02", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 403
    assert count(store, MonthClosure) == 0


# -- the months and a month's dashboard -----------------------------------------------------------------------
def test_months_page_lists_recent_months(app) -> None:
    client, _ = html_login(app, "stat")
    r = client.get("/portal/review")
    assert r.status_code == 200 and r.headers["content-security-policy"].startswith("default-src 'self'")
    assert [m for m in re.findall(r'id="month-(\d{4}-\d{2})"', r.text)] == [
        "2020-06", "2020-05", "2020-04", "2020-03", "2020-02", "2020-01"]
    june = re.search(r'id="month-2020-06".*?</tr>', r.text, re.S).group(0)  # type: ignore[union-attr]
    assert "33,3%" in june and "2 / 6" in june  # E2 and E3 of the six expected; two open items
    march = re.search(r'id="month-2020-03".*?</tr>', r.text, re.S).group(0)  # type: ignore[union-attr]
    assert "100,0%" in march and "<td class=\"n\">–</td>" in march  # older than the 3 newest open months
    assert 'id="nav-review"' in r.text and 'id="nav-audit"' in r.text
    en = client.get("/portal/review?lang=en").text
    assert "33.3%" in en and "Reporting months" in en


def test_statistician_sees_response_follow_up_and_queue(app) -> None:
    client, _ = html_login(app, "stat")
    r = client.get(PAGE)
    assert r.status_code == 200
    assert text_of(r.text, "response-rate") == "33,3%"
    assert text_of(r.text, "expected") == "6" and text_of(r.text, "responded") == "2"
    for table in ("by-industry", "by-district"):  # the PPI register gives no industry or district
        assert text_of(r.text, table).endswith("(chưa có trong danh mục) 6 2 33,3%")
    follow = re.findall(r'id="follow-(E\d)"', r.text)
    assert follow == ["E1", "E4", "E5", "E6"]
    assert re.findall(r'id="item-(E\d-P\d)"', r.text) == ["E2-P2", "E3-P3"]
    row = re.search(r'id="item-E2-P2".*?</tr>', r.text, re.S).group(0)  # type: ignore[union-attr]
    assert "1.200" in row and "kg, not tấn — confirmed" in row and "chưa xử lý" in row  # vi: thousands dot
    assert 'id="accept-E2-P2"' in row and 'id="correct-E2-P2"' in row
    assert text_of(r.text, "open-count") == "2"
    assert 'id="close-form"' in r.text and 'id="force"' in r.text
    default = dt.date.fromisoformat(re.search(r'id="publish-on" value="([^"]+)"', r.text).group(1))  # type: ignore
    assert default == next_working_day(today_in_vietnam()) and default.weekday() < 5
    assert "1,200" in client.get(f"{PAGE}?lang=en").text  # en: thousands comma


# -- accept and correct ---------------------------------------------------------------------------------------
def test_accept_and_correct_through_the_forms(app, store) -> None:
    client, csrf = html_login(app, "stat")
    before = count(store, AuditEntry), count(store, Report)
    # Without the token (or with a forged one): 403, nothing changed.
    for token in (None, "forged"):
        data = {"enterprise": "E2", "product": "P2", "note": "checked by phone"}
        if token:
            data["csrf_token"] = token
        assert client.post(f"{PAGE}/accept", data=data, headers=HTML).status_code == 403
        data = {"enterprise": "E3", "product": "P3", "quantity": "2", "reason": "kg typed"}
        if token:
            data["csrf_token"] = token
        assert client.post(f"{PAGE}/correct", data=data, headers=HTML).status_code == 403
    assert (count(store, AuditEntry), count(store, Report)) == before
    # A note is required.
    r = client.post(f"{PAGE}/accept", data={"enterprise": "E2", "product": "P2", "note": " ", "csrf_token": csrf})
    assert r.status_code == 422 and "Cần ghi chú" in text_of(r.text, "message")
    # Accept.
    r = client.post(f"{PAGE}/accept", data={"enterprise": "E2", "product": "P2", "note": "checked by phone",
                                            "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{PAGE}?done=accept"
    page = client.get(r.headers["location"])
    assert text_of(page.text, "message") == "Đã chấp nhận số liệu."
    assert item_status(store, "E2", "P2") == "accepted" and 'id="accept-E2-P2"' not in page.text
    # Accepting it again: 409, the page says why.
    r = client.post(f"{PAGE}/accept", data={"enterprise": "E2", "product": "P2", "note": "again",
                                            "csrf_token": csrf})
    assert r.status_code == 409 and "đã được chấp nhận" in text_of(r.text, "message")
    # Correct: a bad number → 422 with the typed text kept; then "1,9" (vi decimal comma) → 1.9.
    r = client.post(f"{PAGE}/correct", data={"enterprise": "E3", "product": "P3", "quantity": "1,9x",
                                             "reason": "kg typed", "csrf_token": csrf})
    assert r.status_code == 422 and "không phải là số" in text_of(r.text, "message")
    assert 'id="quantity-E3-P3" inputmode="decimal" autocomplete="off" required size="10" value="1,9x"' in r.text
    r = client.post(f"{PAGE}/correct", data={"enterprise": "E3", "product": "P3", "quantity": "1,9",
                                             "reason": "", "csrf_token": csrf})
    assert r.status_code == 422 and "Cần ghi lý do" in text_of(r.text, "message")
    r = client.post(f"{PAGE}/correct", data={"enterprise": "E3", "product": "P3", "quantity": "1,9",
                                             "reason": "kg typed for tấn", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{PAGE}?done=correct"
    assert item_status(store, "E3", "P3") == "corrected"
    log = review.audit_log(store.engine, MONTH)
    assert [(a.action, a.enterprise, a.old_value, a.new_value) for a in log] == [
        ("accept", "E2", 1200.0, 1200.0), ("correct", "E3", 2000.0, 1.9)]
    # An accepted value can still be corrected; in English "1.2" is one point two.
    r = client.post(f"{PAGE}/correct?lang=en", data={"enterprise": "E2", "product": "P2", "quantity": "1.2",
                                                     "reason": "tonnes", "lang": "en", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{PAGE}?done=correct&lang=en"
    assert text_of(client.get(r.headers["location"]).text, "message").startswith("The value was corrected")
    assert review.audit_log(store.engine, MONTH)[-1].new_value == 1.2


def test_bad_codes_are_refused_cleanly(app, store) -> None:
    client, csrf = html_login(app, "stat")
    r = client.post(f"{PAGE}/accept", data={"enterprise": "E2' OR 1=1 --", "product": "P2", "note": "x",
                                            "csrf_token": csrf})
    assert r.status_code == 422
    r = client.post(f"{PAGE}/accept", data={"enterprise": "E1", "product": "P1", "note": "x", "csrf_token": csrf})
    assert r.status_code == 404  # not in the queue
    assert [a.action for a in review.audit_log(store.engine) if a.period] == []  # (issue 12: logins are audited)


# -- closing --------------------------------------------------------------------------------------------------
def _skip(store) -> dict[str, str]:
    """The close form's fields that skip the months before June (the PPI history, never closed here)."""
    return {"skip": "1", "skip_reason": "history before the portal",
            "skip_months": " ".join(review.months_to_skip(store.engine, MONTH))}


def test_close_refused_with_open_items_then_forced(app, store) -> None:
    client, csrf = html_login(app, "stat")
    future = today_in_vietnam() + dt.timedelta(days=30)
    data = {"publish_on": future.isoformat(), "csrf_token": csrf, **_skip(store)}
    assert client.post(f"{PAGE}/close", data={"publish_on": future.isoformat()}, headers=HTML).status_code == 403
    assert count(store, MonthClosure) == 0
    r = client.post(f"{PAGE}/close", data=data)
    assert r.status_code == 409 and "số liệu chưa xử lý" in text_of(r.text, "message")
    assert count(store, MonthClosure) == 0 and 'id="close-form"' in r.text
    r = client.post(f"{PAGE}/close", data={**data, "force": "1"})  # forced without a reason
    assert r.status_code == 422 and "cần ghi lý do" in text_of(r.text, "message")
    r = client.post(f"{PAGE}/close", data={**data, "publish_on": "06/05/2020"})
    assert r.status_code == 422 and "không hợp lệ" in text_of(r.text, "message")
    assert count(store, MonthClosure) == 0
    r = client.post(f"{PAGE}/close", data={**data, "force": "1", "reason": "E2, E3 confirmed by phone"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"{PAGE}?done=close&release=")
    page = client.get(r.headers["location"])
    assert "Đã khóa sổ" in text_of(page.text, "message")
    closure = review.closure(store.engine, MONTH)
    assert closure is not None and closure.publish_on == future and closure.closed_by == "stat"
    assert text_of(page.text, "closed-by") == "stat"
    assert text_of(page.text, "closure-publish-on") == day_label(future, "vi") == future.strftime("%d/%m/%Y")
    assert text_of(page.text, "release") == f"{closure.release_id} — ước tính"
    assert text_of(page.text, "release-status") == f"Chưa công bố: giữ kín đến ngày {future.strftime('%d/%m/%Y')}"
    assert 'id="close-form"' not in page.text and 'id="accept-E2-P2"' not in page.text
    en = client.get(f"{PAGE}?lang=en").text
    assert text_of(en, "release-status") == f"Embargoed until {day_label(future, 'en')}"  # "4 January 2027"
    assert text_of(en, "release") == f"{closure.release_id} — estimate"  # no Vietnamese word on the English page
    # The public site does not show the embargoed release yet.
    public = TestClient(app).get("/api/v1/releases").json()["items"]
    assert closure.release_id not in [x["id"] for x in public]
    # Closing again: 409, already closed.
    r = client.post(f"{PAGE}/close", data={**data, "force": "1", "reason": "again"})
    assert r.status_code == 409 and "đã khóa sổ" in text_of(r.text, "message").lower()
    assert count(store, MonthClosure) == 1
    # The months page shows it closed and embargoed.
    row = re.search(rf'id="month-{MONTH}".*?</tr>', client.get("/portal/review").text, re.S).group(0)  # type: ignore
    assert f"Đã khóa sổ, công bố ngày {future.strftime('%d/%m/%Y')}" in row  # scheduled: closed, its day ahead
    # The audit page lists the closing with its reason.
    audit = client.get(f"/portal/audit?period={MONTH}").text
    assert 'data-action="close"' in audit and "E2, E3 confirmed by phone" in audit


def test_close_after_review_publishes_today(app, store) -> None:
    client, csrf = html_login(app, "stat")
    for enterprise, product in (("E2", "P2"), ("E3", "P3")):
        r = client.post(f"{PAGE}/accept", data={"enterprise": enterprise, "product": product, "note": "confirmed",
                                                "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303
    page = client.get(PAGE).text
    assert text_of(page, "open-count") == "0" and 'id="force"' not in page
    today = today_in_vietnam()
    r = client.post(f"{PAGE}/close", data={"publish_on": today.isoformat(), "csrf_token": csrf, **_skip(store)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(PAGE).text
    assert text_of(page, "release-status") == "Đã công bố"
    closure = review.closure(store.engine, MONTH)
    assert closure is not None and closure.release_id in [x["id"] for x in
                                                         TestClient(app).get("/api/v1/releases").json()["items"]]
    if review.__dict__.get("revise_month") is not None:
        assert 'id="revise-form"' in page
        # A closed month: a correction is a revision; then the month is compiled again.
        r = client.post(f"{PAGE}/correct", data={"enterprise": "E2", "product": "P2", "quantity": "1,2",
                                                 "reason": "kg after all", "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"{PAGE}?done=revision"
        r = client.post(f"{PAGE}/revise", data={"publish_on": today.isoformat(), "reason": "E2 revised",
                                                "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303 and "done=revise&release=" in r.headers["location"]
        actions = [a.action for a in review.audit_log(store.engine, MONTH)]
        assert actions == ["accept", "accept", "close", "revise", "revise"]


# -- the audit log --------------------------------------------------------------------------------------------
def test_audit_page_lists_the_actions(app, store) -> None:
    client, csrf = html_login(app, "admin")
    assert 'id="audit-empty"' in client.get(f"/portal/audit?period={MONTH}").text  # (all months: the login)
    client.post(f"{PAGE}/accept", data={"enterprise": "E2", "product": "P2", "note": "checked <b>by phone</b>",
                                        "csrf_token": csrf})
    client.post(f"{PAGE}/correct", data={"enterprise": "E3", "product": "P3", "quantity": "1.234,5",
                                         "reason": "kg typed", "csrf_token": csrf})
    for path in ("/portal/audit", f"/portal/audit?period={MONTH}", "/portal/audit?period="):
        r = client.get(path)
        assert r.status_code == 200
        rows = re.findall(r'<tr id="audit-\d+" data-action="(\w+)">(.*?)</tr>', r.text, re.S)
        rows = [(a, row) for a, row in rows if a in ("accept", "correct")]  # (issue 12: account events too)
        assert [a for a, _ in rows] == ["accept", "correct"]
        correct = " ".join(re.sub(r"<[^>]+>", " ", rows[1][1]).split())
        assert "admin sửa" in correct and "E3 P3 2.000 1.234,5 kg typed" in correct
        assert "checked &lt;b&gt;by phone&lt;/b&gt;" in r.text  # escaped
    assert 'id="audit-empty"' in client.get("/portal/audit?period=2020-05").text
    assert client.get("/portal/audit?period=2020-13", headers=HTML).status_code == 422


# -- the accounts (admins) ------------------------------------------------------------------------------------
def test_admin_user_pages(store) -> None:
    app = create_app(store)
    stat, _ = html_login(app, "stat")
    assert stat.get("/portal/admin/users", headers=HTML).status_code == 403
    assert 'id="nav-users"' not in stat.get("/portal/review").text
    admin, csrf = html_login(app, "admin")
    page = admin.get("/portal/admin/users")
    assert page.status_code == 200 and 'id="nav-users"' in page.text
    assert re.findall(r'<tr id="user-([\w.@-]+)"', page.text) == ["admin", "e1", "e2", "stat"]
    new = {"username": "thongke2", "role": "statistician", "password": PORTAL_PASSWORD,
           "password2": PORTAL_PASSWORD}
    assert admin.post("/portal/admin/users", data=new, headers=HTML).status_code == 403  # no token
    r = admin.post("/portal/admin/users", data={**new, "password2": "other", "csrf_token": csrf})
    assert r.status_code == 422 and 'id="new-username"' in r.text and 'value="thongke2"' in r.text
    r = admin.post("/portal/admin/users", data={**new, "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/portal/admin/users?done=user_added"
    assert 'id="user-thongke2" data-active="true"' in admin.get(r.headers["location"]).text
    html_login(app, "thongke2")
    r = admin.post("/portal/admin/users", data={**new, "csrf_token": csrf})  # taken
    assert r.status_code == 422 and "đã có" in text_of(r.text, "message")  # the vi page says it in Vietnamese
    r = admin.post("/portal/admin/users/thongke2/reset-password",
                   data={"password": "another long password", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    r = admin.post("/portal/admin/users/thongke2/deactivate", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert 'id="user-thongke2" data-active="false"' in admin.get("/portal/admin/users").text
    # The real accounts functions: the old password no longer works, a deactivated user cannot log in, and a
    # reactivated one logs in with the password the admin set.
    api = TestClient(app)

    def api_login(password: str) -> int:
        return api.post("/api/v1/auth/login", json={"username": "thongke2", "password": password}).status_code

    assert api_login(PORTAL_PASSWORD) == 401 and api_login("another long password") == 401  # deactivated
    r = admin.post("/portal/admin/users/thongke2/reactivate", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and "done=user_reactivated" in r.headers["location"]
    assert 'id="user-thongke2" data-active="true"' in admin.get("/portal/admin/users").text
    assert api_login(PORTAL_PASSWORD) == 401 and api_login("another long password") == 200
    r = admin.post("/portal/admin/users/admin/deactivate", data={"csrf_token": csrf})  # the last admin stays
    assert r.status_code == 422
    assert admin.post("/portal/admin/users/nobody/reactivate", data={"csrf_token": csrf}).status_code == 404
