"""The enterprise reports over HTTP (issue 6): every role, CSRF, line-level errors, confirmation, versions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from builders import login as _login
from builders import portal_store
from builders import problem as _problem
from vnindustry.web import create_app

URL = "/api/v1/enterprises/{}/reports"


@pytest.fixture
def app(db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return create_app(portal_store(db_url))


def test_regression_issue6_enterprise_submits_resends_and_corrects(app) -> None:
    client, csrf = _login(app, "e1")
    form = client.get(URL.format("E1"), params={"period": "2020-06"}).json()
    (line,) = form["lines"]
    assert line["product"] == "P1" and line["last_month"]["period"] == "2020-05"
    assert line["last_month"]["quantity"] is not None and line["current"] is None

    report = {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.1}]}
    first = client.post(URL.format("E1"), json=report, headers=csrf)
    assert first.status_code == 201 and first.json()["status"] == "stored"
    again = client.post(URL.format("E1"), json=report, headers=csrf)  # a retry: stored once
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["version"] == first.json()["version"]
    fixed = client.post(URL.format("E1"), json={**report, "lines": [{"product": "P1", "quantity": 1.2}]},
                        headers=csrf)
    assert fixed.status_code == 201 and fixed.json()["version"] == first.json()["version"] + 1
    listed = client.get(URL.format("E1")).json()["reports"]
    assert listed[0]["period"] == "2020-06" and listed[0]["version"] == fixed.json()["version"]


def test_unit_slip_asks_for_confirmation_then_is_stored_with_its_comment(app) -> None:
    client, csrf = _login(app, "e1")
    slip = {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1100.0}]}
    r = client.post(URL.format("E1"), json=slip, headers=csrf)
    assert r.status_code == 422
    doc = _problem(r)
    assert doc["title"] == "Confirmation needed"
    (p,) = doc["problems"]
    assert p["line"] == 1 and p["product"] == "P1" and p["code"] == "needs_confirmation"
    ok = {**slip, "lines": [{"product": "P1", "quantity": 1100.0, "comment": "new line opened in June"}],
          "confirm": ["P1"]}
    r = client.post(URL.format("E1"), json=ok, headers=csrf)
    assert r.status_code == 201 and r.json()["confirmed"] == ["P1"]
    form = client.get(URL.format("E1"), params={"period": "2020-06"}).json()
    assert form["lines"][0]["current"] == 1100.0 and form["lines"][0]["comment"] == "new line opened in June"


def test_bad_lines_are_named(app) -> None:
    client, csrf = _login(app, "e1")
    bad = {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.0},
                                          {"product": "P1", "quantity": -3}, {"product": "NOPE", "quantity": "x"}]}
    r = client.post(URL.format("E1"), json=bad, headers=csrf)
    assert r.status_code == 422
    lines = {p["line"] for p in _problem(r)["problems"]}
    assert lines == {2, 3}


def test_every_role_reaches_only_what_it_may(app) -> None:
    anonymous = TestClient(app)
    assert anonymous.get(URL.format("E1")).status_code == 401
    r = anonymous.post(URL.format("E1"), json={"period": "2020-06", "lines": []})
    assert r.status_code == 401 and _problem(r)["status"] == 401

    e2, csrf2 = _login(app, "e2")
    assert _problem(e2.get(URL.format("E1"))).get("status") == 403
    r = e2.post(URL.format("E1"), json={"period": "2020-06", "lines": [{"product": "P1", "quantity": 1}]},
                headers=csrf2)
    assert r.status_code == 403

    e1, _ = _login(app, "e1")
    report = {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.0}]}
    assert e1.post(URL.format("E1"), json=report).status_code == 403  # no CSRF token
    assert e1.post(URL.format("E1"), json=report, headers={"X-CSRF-Token": "forged"}).status_code == 403

    stat, _ = _login(app, "stat")
    assert stat.get(URL.format("E1")).status_code == 200
    assert stat.get(URL.format("E2"), params={"period": "2020-06"}).status_code == 200
    assert _problem(stat.get(URL.format("NOBODY"))).get("status") == 404


def test_regression_issue6_closed_month_refuses_changes_over_http(app) -> None:
    """Once a month is closed the form's POST is refused (422 month_closed); a retry of the stored report
    still answers unchanged, so a client can tell its report made it."""
    import datetime as dt

    from sqlalchemy import insert

    from vnindustry.store.models import MonthClosure

    client, csrf = _login(app, "e1")
    report = {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.1}]}
    assert client.post(URL.format("E1"), json=report, headers=csrf).status_code == 201
    with app.state.api.store.engine.begin() as conn:
        conn.execute(insert(MonthClosure).values(period="2020-06", closed_at=dt.datetime.now(dt.UTC),
                                                 closed_by="stat", publish_on=dt.date(2020, 7, 6)))
    assert client.post(URL.format("E1"), json=report, headers=csrf).json()["status"] == "unchanged"
    changed = client.post(URL.format("E1"), json={**report, "lines": [{"product": "P1", "quantity": 1.3}]},
                          headers=csrf)
    assert changed.status_code == 422 and _problem(changed)["problems"][0]["code"] == "month_closed"
