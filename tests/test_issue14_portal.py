"""Issue 14, items 1 and 7 in the portal: an enterprise keeps its supplier profile and its sourcing needs (each
save a new version), sees its needs' ranked suppliers, and, as a supplier, the needs it was matched to with the
buyer anonymous; nobody sees another enterprise's pages; mistakes come back in the page's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from builders import login, portal_store
from vnindustry.linkage.stored import import_csv
from vnindustry.store.linkage import current_needs, history
from vnindustry.web import create_app

LABELLED = Path(__file__).parent / "data" / "linkage"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    store = portal_store(f"sqlite:///{tmp_path / 'store.db'}")
    import_csv(store.engine, LABELLED / "suppliers.csv", LABELLED / "needs.csv", created_by="tk")
    return create_app(store)


def _csrf(client: TestClient) -> str:
    return client.get("/api/v1/auth/me").json()["csrf_token"]  # type: ignore[no-any-return]


def test_the_profile_is_saved_as_versions(app) -> None:  # type: ignore[no-untyped-def]
    client, _ = login(app, "e1")
    page = client.get("/portal/enterprises/E1/profile")
    assert page.status_code == 200 and "Hồ sơ năng lực nhà cung cấp" in page.text and "Chưa có hồ sơ." in page.text
    form = {"csrf_token": _csrf(client), "hs": "7616; 8501.10", "process": ["die_casting", "cnc_machining"],
            "other_processes": "Khắc laser", "certifications": "ISO 9001:2015 (Bureau Veritas, 2027-03-31)",
            "capacity": "12.000", "description": "Đúc áp lực nhôm ADC12", "consent": "1"}
    r = client.post("/portal/enterprises/E1/profile", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/profile?saved=1")
    again = client.post("/portal/enterprises/E1/profile", data=form, follow_redirects=False)
    assert again.headers["location"].endswith("?saved=0")  # the same profile: nothing stored
    shown = client.get(again.headers["location"]).text
    assert "Không có gì thay đổi." in shown and "Phiên bản hiện tại: 1" in shown
    assert 'value="7616; 8501.10"' in shown and "Khắc laser" in shown
    versions = history(app.state.api.store.engine, enterprise="E1")
    assert versions[0]["data"]["capacity"] == 12000 and versions[0]["consent"] is True  # "12.000" read as Vietnamese
    assert versions[0]["data"]["processes"] == ["Đúc áp lực", "Gia công CNC", "Khắc laser"]
    # Now listed in the public directory.
    assert 'data-supplier="E1"' in TestClient(app).get("/suppliers?hs=7616").text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_mistakes_come_back_marked_in_the_page_language(app, lang: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = login(app, "e1")
    q = "?lang=en" if lang == "en" else ""
    r = client.post(f"/portal/enterprises/E1/profile{q}", data={
        "csrf_token": _csrf(client), "lang": lang, "hs": "85011", "certifications": "ISO 9001 (2027-02-30)",
        "capacity": "1,5 tấn", "description": "giữ nguyên"})
    assert r.status_code == 422
    text = r.text
    if lang == "vi":
        assert "«85011» không phải mã HS 4 hoặc 6 chữ số." in text and "Chưa lưu" in text
    else:
        assert "&#39;85011&#39; is not an HS code of 4 or 6 digits." in text and "Not saved" in text
    assert 'id="e-certifications"' in text and 'id="e-capacity"' in text and "giữ nguyên" in text  # typed kept
    assert history(app.state.api.store.engine, enterprise="E1") == []


def test_needs_matches_and_the_supplier_side(app) -> None:  # type: ignore[no-untyped-def]
    buyer, _ = login(app, "e2")
    r = buyer.post("/portal/enterprises/E2/needs", data={
        "csrf_token": _csrf(buyer), "title": "Nắp che động cơ nhôm đúc thử nghiệm", "hs": "7616",
        "process": "die_casting", "certifications": "", "volume": "5.000",
        "description": "Nhôm ADC12, dung sai 0,05 mm"},
        follow_redirects=False)
    assert r.status_code == 303
    engine = app.state.api.store.engine
    (need,) = current_needs(engine, buyer="E2")
    assert need.code == "E2-N001" and need.data["volume"] == 5000
    listed = buyer.get("/portal/enterprises/E2/needs").text
    assert 'data-need="E2-N001"' in listed and "N01" not in listed  # its own needs only
    matches = buyer.get("/portal/enterprises/E2/needs/E2-N001")
    assert matches.status_code == 200
    ranked = re.findall(r'data-supplier="([^"]+)"', matches.text)
    assert len(ranked) >= 3 and "cùng nhóm HS 7616" in matches.text and "có đúc áp lực" in matches.text
    # The first supplier sees the need, not who asked.
    from builders import PORTAL_PASSWORD
    from vnindustry.portal.accounts import add_user

    add_user(engine, "s1", PORTAL_PASSWORD, "enterprise", ranked[0])
    supplier, _ = login(app, "s1")
    seen = supplier.get(f"/portal/enterprises/{ranked[0]}/matched").text
    assert "Nắp che động cơ nhôm đúc thử nghiệm" in seen and "Bên mua ẩn danh" in seen
    assert "E2" not in seen and "E2-N001" not in seen
    # Close the need: a new version, no longer matched.
    buyer.post("/portal/enterprises/E2/needs", data={"csrf_token": _csrf(buyer), "need": "E2-N001", "close": "1"})
    assert [v["status"] for v in history(engine, need="E2-N001")] == ["open", "closed"]
    assert "Nắp che động cơ nhôm đúc thử nghiệm" not in supplier.get(f"/portal/enterprises/{ranked[0]}/matched").text


def test_another_enterprise_cannot_see_or_change(app) -> None:  # type: ignore[no-untyped-def]
    client, _ = login(app, "e1")
    for path in ("/portal/enterprises/E2/profile", "/portal/enterprises/E2/needs", "/portal/enterprises/E2/matched"):
        assert client.get(path).status_code == 403
    r = client.post("/portal/enterprises/E2/needs", data={"csrf_token": _csrf(client), "title": "x", "hs": "7616"})
    assert r.status_code == 403 and current_needs(app.state.api.store.engine, buyer="E2") == []
    assert client.get("/portal/enterprises/E1/needs/N01").status_code == 404  # B01's need is not E1's
    anonymous = TestClient(app).get("/portal/enterprises/E1/profile", follow_redirects=False)
    assert anonymous.status_code == 303 and "/portal/login" in anonymous.headers["location"]
    officer, _ = login(app, "stat")
    assert officer.get("/portal/enterprises/E2/needs").status_code == 200  # the Department's officers see all


def _event_folder(tmp_path: Path, name: str, date: str) -> Path:
    """The small test event with the portal's enterprises in it: buyer B1 → E2, supplier S1 → E1."""
    from builders import event_folder

    return event_folder(tmp_path / name, name, date, {"B1": "E2", "S1": "E1"})


def test_meeting_requests_and_outcomes_through_the_portal(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from vnindustry.cli import app as cli
    from vnindustry.linkage.schedule import schedule
    from vnindustry.linkage.stored_events import import_event_folder, load_event
    from vnindustry.store import linkage_events as ev

    engine = app.state.api.store.engine
    import_event_folder(engine, _event_folder(tmp_path, "UP", "2099-05-21"))  # an event ahead: requests open
    buyer, _ = login(app, "e2")
    page = buyer.get("/portal/enterprises/E2/events")
    assert page.status_code == 200 and 'data-event="UP"' in page.text
    r = buyer.post("/portal/enterprises/E2/events/UP/requests", data={"csrf_token": _csrf(buyer), "other": "S4",
                                                                      "priority": "3"}, follow_redirects=False)
    assert r.status_code == 303
    supplier, _ = login(app, "e1")
    supplier.post("/portal/enterprises/E1/events/UP/requests", data={"csrf_token": _csrf(supplier), "other": "E2",
                                                                     "priority": "2"})
    asked = {(a.buyer, a.supplier, a.requested_by, a.priority) for a in ev.requests(engine, "UP")}
    assert asked == {("E2", "S4", "buyer", 3), ("E2", "E1", "supplier", 2)}
    event, _ = load_event(engine, "UP")  # type: ignore[misc]
    merged = {(q.buyer, q.supplier): q for q in event.requests}
    assert merged[("E2", "E1")].mutual and merged[("E2", "S4")].priority == 3  # the folder's B1–S4 was 1
    # Withdrawn: the folder's own priority again; a counterpart of one's own side is refused.
    buyer.post("/portal/enterprises/E2/events/UP/requests", data={"csrf_token": _csrf(buyer), "other": "S4",
                                                                  "withdraw": "1"})
    assert {a.supplier for a in ev.requests(engine, "UP")} == {"E1"}
    bad = buyer.post("/portal/enterprises/E2/events/UP/requests", data={"csrf_token": _csrf(buyer), "other": "B2"})
    assert bad.status_code == 422
    # Scheduled from the store: the portal's requests are in.
    out = tmp_path / "agendas"
    done = CliRunner().invoke(cli, ["linkage", "schedule", "--event", "UP", "--db", str(engine.url), "--out",
                                    str(out)])
    assert done.exit_code == 0, done.output
    version, meetings = ev.schedule(engine, "UP")
    assert version == 1 and any((m.buyer, m.supplier) == ("E2", "E1") for m in meetings)
    # A past event: the meeting's outcome reported by the buyer, refused for a pair that did not meet.
    past = _event_folder(tmp_path, "PAST", "2026-05-21")
    found = import_event_folder(engine, past)
    event, _ = load_event(engine, "PAST")  # type: ignore[misc]
    import_event_folder(engine, past, schedule(event))
    assert found.code == "PAST"
    _, met = ev.schedule(engine, "PAST")
    other = next(m.supplier for m in met if m.buyer == "E2")
    r = buyer.post("/portal/enterprises/E2/events/PAST/outcomes", data={
        "csrf_token": _csrf(buyer), "other": other, "stage": "6m", "result": "agreement", "po_value": "2.500.000.000"},
        follow_redirects=False)
    assert r.status_code == 303
    latest = [o for o in ev.outcomes(engine) if o.event == "PAST"]
    assert [(o.buyer, o.supplier, o.stage, o.result, o.po_value) for o in latest] == [
        ("E2", other, "6m", "agreement", 2.5e9)]
    assert "Đã ký kết" in buyer.get("/portal/enterprises/E2/events").text
    late = buyer.post("/portal/enterprises/E2/events/PAST/requests", data={"csrf_token": _csrf(buyer),
                                                                           "other": other})
    assert late.status_code == 409
    never = next(p.id for p in event.participants if p.role == "supplier" and p.id not in {m.supplier for m in met
                                                                                              if m.buyer == "E2"})
    refused = buyer.post("/portal/enterprises/E2/events/PAST/outcomes", data={
        "csrf_token": _csrf(buyer), "other": never, "stage": "meeting", "result": "information"})
    assert refused.status_code == 422


def test_the_department_brokers_the_contact(app) -> None:  # type: ignore[no-untyped-def]
    """The buyer stays anonymous to a supplier until an officer introduces them; withdrawn, anonymous again."""
    from builders import PORTAL_PASSWORD
    from vnindustry.portal.accounts import add_user

    engine = app.state.api.store.engine
    officer, _ = login(app, "stat")
    page = officer.get("/portal/linkage/needs")
    assert page.status_code == 200 and 'data-need="N01"' in page.text
    first = re.search(r'data-need="N01".*?data-supplier="([^"]+)"', page.text, flags=re.S).group(1)  # type: ignore[union-attr]
    add_user(engine, "sup", PORTAL_PASSWORD, "enterprise", first)
    supplier, _ = login(app, "sup")
    before = supplier.get(f"/portal/enterprises/{first}/matched").text
    assert "Công ty TNHH Dụng cụ" not in before and 'class="buyer"' not in before
    r = officer.post("/portal/linkage/needs/N01/introduce", data={"csrf_token": _csrf(officer), "supplier": first,
                                                                  "note": "hẹn gặp tại hội chợ"},
                     follow_redirects=False)
    assert r.status_code == 303
    after = supplier.get(f"/portal/enterprises/{first}/matched").text
    assert after.count('class="buyer"') == 1 and "Sở Công Thương đã giới thiệu" in after
    assert 'class="introduced"' in officer.get("/portal/linkage/needs").text
    officer.post("/portal/linkage/needs/N01/introduce", data={"csrf_token": _csrf(officer), "supplier": first,
                                                              "withdraw": "1"})
    assert 'class="buyer"' not in supplier.get(f"/portal/enterprises/{first}/matched").text
    assert supplier.get("/portal/linkage/needs").status_code == 403  # officers only
    audit = [a for a in officer.get("/portal/audit").text.split("\n") if "introduction" in a]
    assert audit  # both the introduction and its withdrawal are in the audit log
