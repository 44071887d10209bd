"""Revising closed months (issue 6): close → compile → estimate published on its day → later closings and
explicit revisions store new vintages, the published ones stay readable (as_of, vintage)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builders import PORTAL_PASSWORD, login, problem
from vnindustry.demo.city import generate_city
from vnindustry.portal import review
from vnindustry.portal.accounts import add_user
from vnindustry.portal.reports import ReportRejected, submit_report
from vnindustry.store import open_store
from vnindustry.store.register import Register, import_dataset
from vnindustry.web import create_app

FEB, MAR = "2021-02", "2021-03"
V = "/api/v1/review"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("city") / "city", n_enterprises=100, start="2020-01", end=MAR)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Vietnam's date: after March's end, before its publication (closing refuses a month that has not ended
    and a publication date before today)."""
    today = dt.date(2021, 4, 20)
    monkeypatch.setattr("vnindustry.store.repository.today_in_vietnam", lambda: today)
    return today


def _skip(store, month: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The earlier months a first close of ``month`` must skip: the city's history, never published here."""
    return {p: "history before the portal" for p in review.months_to_skip(store, month)}


@pytest.fixture
def store(db_url: str, city: Path):  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    import_dataset(store, city)
    review.import_tree(store, city)
    return store


def _line(store, month: str) -> tuple[str, str, float]:  # type: ignore[no-untyped-def]
    """An enterprise's reported (product, quantity) > 0 in ``month``."""
    reg = Register(store.engine)
    for code in (f"DN{n:05d}" for n in range(1, 100)):
        report = reg.report(code, month)
        if report is not None:
            for x in report.lines:
                if x.quantity > 0:
                    return code, x.product, x.quantity
    raise AssertionError("no report")


def _level(store, product: str, month: str, **query) -> tuple[float, str, int]:  # type: ignore[no-untyped-def]
    """(value, status, release id) of the product's quantity in ``month`` for the vintage query given."""
    df = store.observations(source="city", keys=[f"city/products/{product}"], measure="level", start=month,
                            end=month, **query)
    assert len(df) == 1, df
    row = df.iloc[0]
    return float(row["value"]), str(row["status"]), int(row["release_id"])


def test_a_later_closing_revises_the_earlier_month_as_a_new_vintage(store) -> None:  # type: ignore[no-untyped-def]
    feb = review.close_month(store, FEB, by="stat", publish_on=dt.date(2021, 4, 22), force=True, reason="test",
                             today=dt.date(2021, 3, 10), skip=_skip(store, FEB))
    code, product, quantity = _line(store, FEB)
    first, status, release = _level(store, product, FEB)
    assert (status, release) == ("estimate", feb.release_id)

    # Enterprises can no longer change February (the store's closure, whatever ``closed`` says) …
    with pytest.raises(ReportRejected) as refused:
        submit_report(store, code, FEB, [{"product": product, "quantity": quantity * 3}], submitted_by="dn")
    assert refused.value.problems[0]["code"] == "month_closed"
    # … the statistics office can: a revision, audited as such.
    fix = review.correct(store, FEB, code, product, quantity * 3, by="stat", reason="the enterprise phoned")
    assert fix.revision and fix.old_value == quantity and fix.new_value == quantity * 3
    (entry,) = [a for a in review.audit_log(store, FEB) if a.action == "revise"]
    assert (entry.enterprise, entry.product, entry.old_value, entry.new_value) == (code, product, quantity,
                                                                                 quantity * 3)
    assert _level(store, product, FEB)[0] == first  # published figures unchanged

    # A closing may not date its release before a month it carries is published (embargo).
    with pytest.raises(review.ReviewError, match="2021-04-22 or later"):
        review.close_month(store, MAR, by="stat", publish_on=dt.date(2021, 4, 21), force=True, reason="test")
    assert not review.is_closed(store, MAR)
    mar = review.close_month(store, MAR, by="stat", publish_on=dt.date(2021, 4, 29), force=True, reason="test")

    # March's closing compiled February again, with the revision: a new vintage, "actual"; March the estimate.
    revised, status, release = _level(store, product, FEB)
    assert release == mar.release_id and status == "actual" and revised > first
    assert _level(store, product, MAR)[1:] == ("estimate", mar.release_id)
    # The vintage published with February's closing stays readable.
    assert _level(store, product, FEB, as_of=dt.date(2021, 4, 25)) == (first, "estimate", feb.release_id)
    assert _level(store, product, FEB, vintage="first") == (first, "estimate", feb.release_id)
    assert len(store.observations(source="city", keys=[f"city/products/{product}"], measure="level", start=FEB,
                                  end=FEB, vintage="all")) == 2


def test_revise_month_stores_a_new_vintage_without_closing_anything(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(review.NotClosed, match="close it"):
        review.revise_month(store, MAR, by="stat", publish_on=dt.date(2021, 5, 10), reason="x")
    mar = review.close_month(store, MAR, by="stat", publish_on=dt.date(2021, 4, 29), force=True, reason="test",
                             skip=_skip(store, MAR))
    code, product, quantity = _line(store, MAR)
    estimate = _level(store, product, MAR)
    with pytest.raises(review.ReviewError, match="reason"):
        review.revise_month(store, MAR, by="stat", publish_on=dt.date(2021, 5, 10), reason=" ")
    with pytest.raises(review.ReviewError, match="2021-04-29 or later"):
        review.revise_month(store, MAR, by="stat", publish_on=dt.date(2021, 4, 25), reason="too early")

    review.correct(store, MAR, code, product, quantity / 2, by="stat", reason="double counted")
    done = review.revise_month(store, MAR, by="stat", publish_on=dt.date(2021, 5, 10), reason="double count")
    assert done.created and done.upto == MAR and done.status == "preliminary" and done.release_id != mar.release_id
    value, status, release = _level(store, product, MAR)
    assert (status, release) == ("preliminary", done.release_id) and value < estimate[0]
    assert _level(store, product, MAR, as_of=dt.date(2021, 5, 1)) == estimate  # the estimate, as published
    assert review.is_closed(store, MAR) and not review.is_closed(store, "2021-04")
    assert review.closure(store, MAR).release_id == mar.release_id  # type: ignore[union-attr]

    again = review.revise_month(store, MAR, by="stat", publish_on=dt.date(2021, 5, 10), reason="once more")
    assert not again.created and again.release_id == done.release_id  # the same figures: no new vintage
    revisions = [a for a in review.audit_log(store, MAR) if a.action == "revise" and a.product is None]
    assert len(revisions) == 2 and "double count" in revisions[0].reason
    assert f"new release {done.release_id}" in revisions[0].reason


def test_revise_route(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    add_user(store.engine, "stat", PORTAL_PASSWORD, "statistician")
    add_user(store.engine, "dn1", PORTAL_PASSWORD, "enterprise", "DN00001")
    app = create_app(store)
    path = f"{V}/{MAR}/revise"
    body = {"publish_on": "2021-05-10", "reason": "late corrections"}

    from fastapi.testclient import TestClient

    assert problem(TestClient(app).post(path, json=body))["status"] == 401
    client, csrf = login(app, "dn1")
    assert problem(client.post(path, json=body, headers=csrf))["status"] == 403
    client, csrf = login(app, "stat")
    assert problem(client.post(path, json=body))["status"] == 403  # no CSRF token
    doc = problem(client.post(path, json=body, headers=csrf))
    assert doc["status"] == 409 and doc["type"].endswith("month-open")
    assert problem(client.post(path, json={"publish_on": "2021-05-10"}, headers=csrf))["status"] == 422

    skip = [{"period": p, "reason": why} for p, why in _skip(store, MAR).items()]
    closed = client.post(f"{V}/{MAR}/close", json={"publish_on": "2021-04-29", "force": True, "reason": "t",
                                                   "skip": skip}, headers=csrf)
    assert closed.status_code == 201, closed.text
    code, product, quantity = _line(store, MAR)
    fix = client.post(f"{V}/{MAR}/queue/{code}/{product}/correct", json={"quantity": quantity + 1,
                                                                       "reason": "typo"}, headers=csrf)
    assert fix.status_code == 201 and fix.json()["revision"] is True, fix.text
    r = client.post(path, json=body, headers=csrf)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["period"] == MAR and out["created"] and out["status"] == "preliminary" and out["by"] == "stat"
    again = client.post(path, json=body, headers=csrf)
    assert again.status_code == 200 and again.json()["release_id"] == out["release_id"]
    early = problem(client.post(path, json={**body, "publish_on": "2021-04-25"}, headers=csrf))
    assert early["status"] == 422 and early["earliest"] == "2021-04-29"
    actions = [a["action"] for a in client.get(f"{V}/audit", params={"period": MAR}).json()["entries"]]
    assert actions.count("revise") == 3 and actions.count("close") == 1
