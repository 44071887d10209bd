"""Issue 14, item 6 in the portal: an enterprise sends a connection request and sees where it was routed; the
Department's officers record what the banks answered and read the counts, each request once; nobody sees
another enterprise's requests; mistakes come back in the page's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from builders import login, portal_store
from vnindustry.linkage.connect import Package
from vnindustry.linkage.stored_connect import save_packages, stored_requests
from vnindustry.web import create_app

PACKAGES = [Package("L1", "Ngân hàng A", "Gói cơ khí", frozenset({"mechanical"}), 1e8, 2e10, 60),
            Package("L2", "Ngân hàng B", "Gói nhỏ và vừa", frozenset({"mechanical", "food"}), 1e8, 5e9, 36)]
HTML = {"accept": "text/html"}


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    store = portal_store(f"sqlite:///{tmp_path / 'store.db'}")
    save_packages(store.engine, PACKAGES, created_by="t")
    return create_app(store)


def _csrf(client: TestClient) -> str:
    return client.get("/api/v1/auth/me").json()["csrf_token"]  # type: ignore[no-any-return]


def test_a_request_is_routed_answered_and_counted_once(app) -> None:  # type: ignore[no-untyped-def]
    client, _ = login(app, "e1")
    page = client.get("/portal/enterprises/E1/connect")
    assert page.status_code == 200 and "Chưa có đề nghị nào." in page.text
    assert 'href="/portal/enterprises/E1/connect"' in client.get("/portal/enterprises/E1").text
    r = client.post("/portal/enterprises/E1/connect", data={
        "csrf_token": _csrf(client), "kind": "credit", "sector": "mechanical", "amount": "3.000.000.000",
        "tenor_months": "24", "purpose": "Mua máy CNC 5 trục"}, follow_redirects=False)
    assert r.status_code == 303 and re.search(r"\?sent=YC-\d{4}-0001$", r.headers["location"])
    code = r.headers["location"].split("sent=")[1]
    shown = client.get(r.headers["location"]).text
    assert f"Đã gửi đề nghị {code}." in shown and "3.000.000.000 đ" in shown  # read and shown the Vietnamese way
    assert 'data-to="L1" data-state="routed"' in shown and 'data-to="L2" data-state="routed"' in shown
    assert "đúng ngành, hạn mức và kỳ hạn (tối đa 60 tháng)" in shown
    # Another enterprise sees neither the page nor the request.
    other, _ = login(app, "e2")
    assert other.get("/portal/enterprises/E1/connect").status_code == 403
    assert other.post(f"/portal/enterprises/E1/connect/{code}/withdraw",
                      data={"csrf_token": _csrf(other)}).status_code == 403
    assert code not in other.get("/portal/enterprises/E2/connect").text
    assert client.get("/portal/linkage/connect").status_code == 403  # officers only
    officer, _ = login(app, "stat")
    office = officer.get("/portal/linkage/connect")
    assert office.status_code == 200 and f'id="r-{code}"' in office.text and "Mua máy CNC 5 trục" in office.text
    # A disbursement before the approval is refused in Vietnamese, naming the order to follow.
    early = officer.post(f"/portal/linkage/connect/{code}/steps", data={
        "csrf_token": _csrf(officer), "to": "L1", "status": "disbursed", "amount": "1.000.000.000"}, headers=HTML)
    assert early.status_code == 409 and "không thể tiếp theo các bước trước" in early.text
    for to in ("L1", "L2"):  # both banks approve …
        ok = officer.post(f"/portal/linkage/connect/{code}/steps", data={
            "csrf_token": _csrf(officer), "to": to, "status": "approved", "at": "2026-07-01"}, follow_redirects=False)
        assert ok.status_code == 303
    for amount in ("2.000.000.000", "1.000.000.000"):  # … the enterprise takes L1's loan, in two tranches
        ok = officer.post(f"/portal/linkage/connect/{code}/steps", data={
            "csrf_token": _csrf(officer), "to": "L1", "status": "disbursed", "amount": amount, "at": "2026-07-15"},
            follow_redirects=False)
        assert ok.status_code == 303
    office = officer.get("/portal/linkage/connect").text
    total = re.search(r'<tr data-programme="all" class="total">(.*?)</tr>', office, re.S)
    assert total is not None
    cells = re.findall(r'<td class="n">([^<]*)</td>', total.group(1))
    assert cells == ["1", "1", "1", "3.000.000.000"]  # one request, approved once though by two banks
    l2 = re.search(r'<tr data-programme="L2">(.*?)</tr>', office, re.S)
    assert l2 is not None and re.findall(r'<td class="n">([^<]*)</td>', l2.group(1)) == ["1", "1", "0", "0"]
    # The enterprise sees the answers; withdrawing closes the request.
    mine = client.get("/portal/enterprises/E1/connect").text
    assert 'data-to="L1" data-state="disbursed"' in mine and 'data-to="L2" data-state="approved"' in mine
    r = client.post(f"/portal/enterprises/E1/connect/{code}/withdraw", data={"csrf_token": _csrf(client)},
                    follow_redirects=False)
    assert r.status_code == 303
    closed = officer.post(f"/portal/linkage/connect/{code}/steps", data={
        "csrf_token": _csrf(officer), "to": "L2", "status": "rejected"}, headers=HTML)
    assert officer.post(f"/portal/linkage/connect/{code}/steps", data={  # an API client gets problem+json
        "csrf_token": _csrf(officer), "to": "L2", "status": "rejected"}).json()["status"] == 409
    assert closed.status_code == 409 and "đã được rút" in closed.text
    (row,) = stored_requests(app.state.api.store.engine, enterprise="E1")
    assert row.withdrawn and row.disbursed() == 3e9


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_mistakes_come_back_marked_in_the_page_language(app, lang: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = login(app, "e1")
    q = "?lang=en" if lang == "en" else ""
    r = client.post(f"/portal/enterprises/E1/connect{q}", data={
        "csrf_token": _csrf(client), "lang": lang, "kind": "credit", "sector": "mechanical", "amount": "3 tỷ",
        "tenor_months": "hai năm", "purpose": "giữ nguyên"})
    assert r.status_code == 422
    assert 'id="e-amount"' in r.text and 'id="e-tenor"' in r.text and 'value="giữ nguyên"' in r.text
    assert ("Chưa gửi" in r.text) if lang == "vi" else ("Not sent" in r.text and "whole months" in r.text)
    r = client.post(f"/portal/enterprises/E1/connect{q}", data={
        "csrf_token": _csrf(client), "lang": lang, "kind": "credit", "sector": "mechanical", "tenor_months": "24"})
    assert r.status_code == 422 and ("cần số tiền và kỳ hạn" if lang == "vi" else "needs its amount") in r.text
    assert stored_requests(app.state.api.store.engine) == []
    # An association request needs no amount and is routed to the sector's associations.
    r = client.post(f"/portal/enterprises/E1/connect{q}", data={
        "csrf_token": _csrf(client), "lang": lang, "kind": "association", "sector": "chemicals_plastics_rubber"},
        follow_redirects=False)
    assert r.status_code == 303
    shown = client.get(r.headers["location"]).text
    assert 'data-to="VPA"' in shown and ("Hiệp hội Nhựa Việt Nam" in shown)
