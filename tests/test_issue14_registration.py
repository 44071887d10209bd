"""Issue 14, item 3: buyers and suppliers register themselves for a matchmaking event in the portal, then ask
for meetings; the schedule solved from the store includes them — on both backends, under a burst of writers
and a ``kill -9``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from builders import burst, event_folder, login, portal_store, run_killed
from vnindustry.linkage.schedule import schedule
from vnindustry.linkage.stored_events import import_event_folder, load_event
from vnindustry.store import open_store
from vnindustry.store.event_registrations import register, registrations
from vnindustry.store.models import AuditEntry, Enterprise, EventRegistration
from vnindustry.web import create_app

HTML = {"accept": "text/html"}


def _csrf(client: TestClient) -> str:
    return client.get("/api/v1/auth/me").json()["csrf_token"]  # type: ignore[no-any-return]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    store = portal_store(f"sqlite:///{tmp_path / 'store.db'}")
    # An event ahead where E2 buys (E1 is not in it) and one that is over.
    import_event_folder(store.engine, event_folder(tmp_path / "up", "UP", "2099-05-21", {"B1": "E2"}))
    import_event_folder(store.engine, event_folder(tmp_path / "past", "PAST", "2020-05-21", {}))
    return create_app(store)


def test_register_ask_and_be_scheduled(app) -> None:  # type: ignore[no-untyped-def]
    client, _ = login(app, "e1")
    page = client.get("/portal/enterprises/E1/events").text
    assert 'class="open-event" data-event="UP"' in page and 'data-event="PAST"' not in page  # only events ahead
    r = client.post("/portal/enterprises/E1/events/UP/register", data={
        "csrf_token": _csrf(client), "role": "supplier", "language": ["vi", "en"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("done=registered")
    page = client.get(r.headers["location"]).text
    assert "Đã đăng ký tham gia sự kiện." in page and 'class="open-event" data-event="UP"' not in page
    assert 'class="event" data-event="UP"' in page and 'value="E2"' in page  # now a participant: may ask E2
    r = client.post("/portal/enterprises/E1/events/UP/requests", data={
        "csrf_token": _csrf(client), "other": "E2", "priority": "3"}, follow_redirects=False)
    assert r.status_code == 303
    buyer, _ = login(app, "e2")
    assert 'value="E1"' in buyer.get("/portal/enterprises/E2/events").text  # the buyer sees the registrant
    engine = app.state.api.store.engine
    event, _ = load_event(engine, "UP")  # type: ignore[misc]
    e1 = next(p for p in event.participants if p.id == "E1")
    assert (e1.role, e1.languages, e1.available) == ("supplier", ("vi", "en"), None)
    planned = schedule(event, time_limit=2.0)
    assert any((m.buyer, m.supplier) == ("E2", "E1") for m in planned.meetings)  # the registrant's meeting is in
    # Withdrawing leaves the event to the organiser's participants (and the request no longer counts).
    r = client.post("/portal/enterprises/E1/events/UP/register", data={
        "csrf_token": _csrf(client), "role": "supplier", "withdraw": "1"}, follow_redirects=False)
    assert r.status_code == 303 and "done=withdrawn" in r.headers["location"]
    event, _ = load_event(engine, "UP")  # type: ignore[misc]
    assert all(p.id != "E1" for p in event.participants) and all(q.supplier != "E1" for q in event.requests)
    # The organiser's own participants cannot withdraw what they did not register; an event over takes no one.
    r = buyer.post("/portal/enterprises/E2/events/UP/register", data={
        "csrf_token": _csrf(buyer), "role": "buyer", "withdraw": "1"}, headers=HTML)
    assert r.status_code == 404
    r = client.post("/portal/enterprises/E1/events/PAST/register", data={
        "csrf_token": _csrf(client), "role": "supplier", "language": "vi"}, headers=HTML)
    assert r.status_code == 409 and "Sự kiện đã diễn ra" in r.text
    r = client.post("/portal/enterprises/E1/events/UP/register", data={
        "csrf_token": _csrf(client), "role": "organiser", "language": "vi"}, headers=HTML)
    assert r.status_code == 422 and "Vai trò hoặc ngôn ngữ đăng ký không hợp lệ." in r.text
    assert client.post("/portal/enterprises/E2/events/UP/register", data={
        "csrf_token": _csrf(client), "role": "buyer"}).status_code == 403  # not E1's to register
    with engine.connect() as c:
        audit = c.execute(select(AuditEntry.reason).where(AuditEntry.action == "register")
                          .order_by(AuditEntry.id)).scalars().all()
    assert audit == ["event UP: registered as supplier (vi;en)", "event UP: withdrew"]


def _event_store(url: str, tmp: Path, n: int = 40):  # type: ignore[no-untyped-def]
    store = open_store(url)
    import_event_folder(store.engine, event_folder(tmp / "up", "UP", "2099-05-21", {}))
    with store.engine.begin() as c:
        c.execute(insert(Enterprise), [{"code": f"R{k:03d}", "name": f"Công ty {k}", "district": "", "ownership": "",
                                        "industry": ""} for k in range(n)])
    return store


def test_registrations_in_the_store(db_url: str, tmp_path: Path) -> None:
    store = _event_store(db_url, tmp_path)
    assert register(store.engine, event="UP", enterprise="R001", role="buyer", languages=("en",), created_by="x")
    assert not register(store.engine, event="UP", enterprise="R001", role="buyer", languages=("en",),
                        created_by="x")  # the same again: nothing
    assert register(store.engine, event="UP", enterprise="R001", role="supplier", languages=("vi", "en"),
                    created_by="x")  # a change is a new row
    assert [(r.enterprise, r.role, r.languages) for r in registrations(store.engine, "UP")] == [
        ("R001", "supplier", ("vi", "en"))]
    for bad in ({"event": "NONE"}, {"enterprise": "NOBODY"}, {"languages": ("fr",)}, {"role": "guest"}):
        with pytest.raises(ValueError):
            register(store.engine, **{"event": "UP", "enterprise": "R002", "role": "buyer", "languages": ("vi",),
                                      "created_by": "x", **bad})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is over"):
        register(store.engine, event="UP", enterprise="R002", role="buyer", created_by="x",
                 today=dt.date(2099, 5, 22))


def test_a_burst_of_registrations(db_url: str, tmp_path: Path) -> None:
    """Eight writers register five enterprises each and withdraw every other one: the standing registrations are
    exactly the ones not withdrawn, each row with its audit row."""
    store = _event_store(db_url, tmp_path)
    def writer(k: int) -> None:
        for j in range(5):
            code = f"R{k * 5 + j:03d}"
            register(store.engine, event="UP", enterprise=code, role="supplier", created_by=f"w{k}")
            if j % 2:
                register(store.engine, event="UP", enterprise=code, role="supplier", withdrawn=True,
                         created_by=f"w{k}")

    burst(writer)
    assert [r.enterprise for r in registrations(store.engine, "UP")] == [
        f"R{k * 5 + j:03d}" for k in range(8) for j in range(5) if not j % 2]
    with store.engine.connect() as c:
        rows = c.execute(select(func.count()).select_from(EventRegistration)).scalar_one()
        audits = c.execute(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "register")).scalar_one()
    assert rows == audits == 40 + 16


KILLER = """import sys
from vnindustry.store import open_store
from vnindustry.store.event_registrations import register
store = open_store(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for k in range(40):
    for j in range(10):
        register(store.engine, event="UP", enterprise=f"R{k:03d}", role="buyer" if j % 2 else "supplier",
                 created_by="kill")
print(0.0, flush=True)
"""


@pytest.mark.slow
def test_kill_9_while_registering(db_url: str, tmp_path: Path) -> None:
    """A writer registering and re-registering 40 enterprises, SIGKILLed mid-way, three times: every row it left
    has its audit row, and the standing registrations read back whole."""
    store = _event_store(db_url, tmp_path)
    for pause in (0.3, 0.8, 1.5):
        run_killed(KILLER, [db_url], pause)
        with store.engine.connect() as c:
            rows = c.execute(select(func.count()).select_from(EventRegistration)).scalar_one()
            audits = c.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "register")).scalar_one()
        assert rows == audits
        assert all(r.role in ("buyer", "supplier") and r.languages == ("vi",)
                   for r in registrations(store.engine, "UP"))
    assert rows > 0
