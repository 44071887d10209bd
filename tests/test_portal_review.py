"""The statisticians' side of the portal (issue 6): response, review queue, accept/correct, audit, close month."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from vnindustry.demo.city import generate_city
from vnindustry.portal import review
from vnindustry.portal.accounts import add_user
from vnindustry.portal.reports import ReportRejected, submit_report
from vnindustry.store import open_store
from vnindustry.store.models import Release, Report, ReportLine
from vnindustry.store.register import Register, import_dataset
from vnindustry.web import create_app

PASSWORD = "correct horse battery"
MONTH = "2021-03"
V = "/api/v1/review"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("city") / "city", n_enterprises=100, start="2020-01", end=MONTH)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Vietnam's date in these tests: after MONTH's end, before its publication (issue 12: closing refuses a month
    that has not ended and a publication date before today)."""
    today = dt.date(2021, 4, 20)
    monkeypatch.setattr("vnindustry.store.repository.today_in_vietnam", lambda: today)
    return today


def _history(store, month: str = MONTH) -> dict[str, str]:
    """The months before ``month`` a first close must skip (the city's history, never published here)."""
    return {p: "history before the portal" for p in review.months_to_skip(store, month)}


@pytest.fixture
def store(db_url: str, city: Path):
    store = open_store(db_url)
    import_dataset(store, city)
    review.import_tree(store, city)
    return store


@pytest.fixture
def app(store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    add_user(store.engine, "stat", PASSWORD, "statistician")
    add_user(store.engine, "boss", PASSWORD, "admin")
    add_user(store.engine, "dn1", PASSWORD, "enterprise", "DN00001")
    return create_app(store)


def _login(app, username: str) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(app)
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return client, {"X-CSRF-Token": r.json()["csrf_token"]}


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.text
    return r.json()


def _slip(store) -> tuple[str, str, float]:
    """An enterprise confirms a ×1000 slip for MONTH through the portal: (enterprise, product, quantity)."""
    reg = Register(store.engine)
    for code in ("DN00003", "DN00004", "DN00007", "DN00010", "DN00012"):
        report = reg.report(code, MONTH)
        if report is None:
            continue
        line = report.lines[0]
        history = [q for _, q in reg.history(code, line.product, 12, before=MONTH)]
        if history and statistics.median(history) > 0:
            break
    quantity = statistics.median(history) * 1000
    lines = [{"product": x.product, "quantity": x.quantity} for x in report.lines]
    lines[0] = {"product": line.product, "quantity": quantity, "comment": "kg, not tấn — confirmed"}
    with pytest.raises(ReportRejected):  # not confirmed: refused
        submit_report(store, code, MONTH, lines, submitted_by="dn")
    submit_report(store, code, MONTH, lines, submitted_by="dn", confirmations=[line.product])
    return code, line.product, quantity


# -- response ------------------------------------------------------------------------------------------------

def _small(folder: Path) -> Path:
    folder.mkdir()
    (folder / "industries.csv").write_text("code,parent,name_vi,name_en,weight\nT,,Tổng,Total,\n"
                                           "C,T,Chế biến,Manufacturing,3\nD,T,Điện,Electricity,1\n", "utf-8")
    (folder / "products.csv").write_text("code,industry,name_vi,unit,weight,base_quantity\n"
                                         "PC,C,Sản phẩm C,tấn,1,10\nPD,D,Sản phẩm D,kWh,1,10\n", "utf-8")
    (folder / "enterprises.csv").write_text(
        "enterprise,name,industry,district,ownership\nE1,Một,C,Q1,state\nE2,Hai,C,Q1,state\n"
        "E3,Ba,D,Q2,state\nE4,Bốn,D,Q1,state\nE5,Năm,C,Q2,state\n", "utf-8")
    months = {"E1": ["01", "02", "03", "04"], "E2": ["01"], "E3": ["03", "04"], "E4": ["02"], "E5": ["04"]}
    rows = [f"{e},{'PD' if e in ('E3', 'E4') else 'PC'},2020-{m},10" for e, ms in months.items() for m in ms]
    (folder / "production.csv").write_text("enterprise,product,period,quantity\n" + "\n".join(rows) + "\n", "utf-8")
    return folder


def test_response_rate_by_hand(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    import_dataset(store, _small(tmp_path / "small"))
    r = review.response(store, "2020-04")
    # Expected in April: reported in Jan–Mar → E1, E2, E3, E4; of them E1 and E3 reported April; E5 is new.
    assert (r.expected, r.responded, r.rate, r.unexpected) == (4, 2, 0.5, 1)
    assert r.expected_months == ("2020-03", "2020-02", "2020-01")
    assert [(g.key, g.expected, g.responded, g.rate) for g in r.by_industry] == [("C", 2, 1, 0.5), ("D", 2, 1, 0.5)]
    assert [(g.key, g.expected, g.responded) for g in r.by_district] == [("Q1", 3, 1), ("Q2", 1, 1)]
    assert [(f.enterprise, f.name, f.industry, f.district, f.last_period) for f in r.follow_up] == [
        ("E2", "Hai", "C", "Q1", "2020-01"), ("E4", "Bốn", "D", "Q1", "2020-02")]
    # May: expected = reported in Feb–Apr (E1, E3, E4, E5), nobody has reported yet.
    may = review.response(store, "2020-05")
    assert (may.expected, may.responded, may.rate) == (4, 0, 0.0)
    assert review.response(store, "2019-01").rate is None


def test_response_route(app) -> None:
    client, _ = _login(app, "stat")
    doc = client.get(f"{V}/{MONTH}/response").json()
    assert doc["period"] == MONTH and 0 < doc["rate"] <= 1
    assert sum(g["expected"] for g in doc["by_industry"]) == doc["expected"]
    assert sum(g["expected"] for g in doc["by_district"]) == doc["expected"]
    assert len(doc["follow_up"]) == doc["expected"] - doc["responded"]
    for f in doc["follow_up"]:
        assert set(f) == {"enterprise", "name", "industry", "district", "last_period"}


# -- queue, accept, correct, audit ------------------------------------------------------------------------------

def test_queue_after_a_confirmed_slip(store) -> None:
    code, product, quantity = _slip(store)
    items = review.queue(store, MONTH)
    (item,) = [x for x in items if (x.enterprise, x.product) == (code, product)]
    assert item.quantity == quantity and item.kind == "confirmed" and item.status == "open"
    assert item.source == "portal" and item.comment == "kg, not tấn — confirmed"
    assert item.quantity >= item.high  # type: ignore[operator]
    for x in items:  # the others came by import: the enterprise never confirmed them
        assert x.kind == ("confirmed" if x.source != "import" else "unconfirmed")
    assert all(x.status == "open" for x in items)


def test_accept_and_correct_keep_the_original_and_audit(store, app) -> None:
    code, product, quantity = _slip(store)
    reg = Register(store.engine)
    versions = reg.versions(code, MONTH)
    client, csrf = _login(app, "stat")
    others = [x for x in client.get(f"{V}/{MONTH}/queue").json()["items"] if x["enterprise"] != code]

    # correct the slip
    url = f"{V}/{MONTH}/queue/{code}/{product}"
    r = client.post(f"{url}/correct", json={"quantity": quantity / 1000, "reason": "unit slip: kg for tấn"},
                    headers=csrf)
    assert r.status_code == 201, r.text
    done = r.json()
    assert (done["old_value"], done["new_value"], done["by"]) == (quantity, quantity / 1000, "stat")
    assert reg.versions(code, MONTH) == [*versions, versions[-1] + 1]
    original = reg.report(code, MONTH, versions[-1])
    assert original is not None and {x.product: x.quantity for x in original.lines}[product] == quantity
    latest = reg.report(code, MONTH)
    assert latest is not None and latest.source == "portal" and latest.submitted_by == "stat"
    assert {x.product: x.quantity for x in latest.lines}[product] == quantity / 1000
    assert len(latest.lines) == len(original.lines)  # the other lines as they were

    # accept the others (if the city has any); a second accept is a conflict
    for x in others:
        r = client.post(f"{V}/{MONTH}/queue/{x['enterprise']}/{x['product']}/accept",
                        json={"note": "checked by phone"}, headers=csrf)
        assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    if others:
        x = others[0]
        _problem(client.post(f"{V}/{MONTH}/queue/{x['enterprise']}/{x['product']}/accept",
                             json={"note": "again"}, headers=csrf), 409)
    queue = client.get(f"{V}/{MONTH}/queue").json()
    status = {(x["enterprise"], x["product"]): x["status"] for x in queue["items"]}
    assert status[(code, product)] == "corrected"
    assert queue["counts"]["open"] == 0 and queue["counts"]["accepted"] == len(others)

    audit = client.get(f"{V}/audit", params={"period": MONTH}).json()["entries"]
    corrections = [a for a in audit if a["action"] == "correct"]
    (a,) = corrections
    assert (a["username"], a["enterprise"], a["product"], a["period"]) == ("stat", code, product, MONTH)
    assert (a["old_value"], a["new_value"], a["reason"]) == (quantity, quantity / 1000, "unit slip: kg for tấn")
    assert dt.datetime.fromisoformat(a["at"]).tzinfo is not None
    assert sum(a["action"] == "accept" for a in audit) == len(others)

    # not queued, bad input
    _problem(client.post(f"{V}/{MONTH}/queue/{code}/NOPE/accept", json={"note": "x"}, headers=csrf), 404)
    _problem(client.post(f"{url}/correct", json={"quantity": -1, "reason": "x"}, headers=csrf), 422)
    _problem(client.post(f"{url}/correct", json={"quantity": "12", "reason": "x"}, headers=csrf), 422)
    _problem(client.post(f"{url}/correct", json={"quantity": 1}, headers=csrf), 422)


def test_an_enterprise_resubmitting_reopens_an_accepted_value(store) -> None:
    code, product, _ = _slip(store)
    review.accept(store, MONTH, code, product, by="stat", note="they opened a new line")
    assert {(x.enterprise, x.product): x.status for x in review.queue(store, MONTH)}[(code, product)] == "accepted"
    report = Register(store.engine).report(code, MONTH)
    lines = [{"product": x.product, "quantity": x.quantity * (2 if x.product == product else 1),
              "comment": x.comment} for x in report.lines]
    submit_report(store, code, MONTH, lines, submitted_by="dn", confirmations=[product])
    assert {(x.enterprise, x.product): x.status for x in review.queue(store, MONTH)}[(code, product)] == "open"


# -- authorisation -------------------------------------------------------------------------------------------

def _review_requests(app) -> list[tuple[str, str]]:
    out = []
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path.startswith(V):
            path = (route.path.replace("{period}", MONTH).replace("{enterprise_id}", "DN00001")
                    .replace("{product}", "SP001"))
            out += [(m, path) for m in route.methods]
    assert len(out) == 7  # audit, response, queue, accept, correct, close, revise
    return out


def test_review_routes_refuse_anonymous_and_enterprises(app) -> None:
    body = {"note": "x", "quantity": 1, "reason": "x", "publish_on": "2021-04-10"}
    anonymous = TestClient(app)
    for method, path in _review_requests(app):
        _problem(anonymous.request(method, path, json=body), 401)
    client, csrf = _login(app, "dn1")
    for method, path in _review_requests(app):
        doc = _problem(client.request(method, path, json=body, headers=csrf), 403)
        assert "statistician" in doc["detail"]
    assert not review.is_closed(app.state.api.store.engine, MONTH)


def test_review_writes_need_the_csrf_token(app) -> None:
    client, _ = _login(app, "boss")  # admins review too
    assert client.get(f"{V}/{MONTH}/queue").status_code == 200
    for method, path in _review_requests(app):
        if method == "POST":
            _problem(client.post(path, json={"publish_on": "2021-04-10", "note": "x"}), 403)
    assert not review.is_closed(app.state.api.store.engine, MONTH)


# -- closing the month ---------------------------------------------------------------------------------------

def test_regression_issue6_close_month_compiles_a_release_and_locks_the_month(store, app) -> None:
    code, product, _ = _slip(store)
    client, csrf = _login(app, "stat")
    close = f"{V}/{MONTH}/close"
    skip = [{"period": p, "reason": why} for p, why in _history(store).items()]
    doc = _problem(client.post(close, json={"publish_on": "2021-04-29"}, headers=csrf), 409)
    assert doc["type"].endswith("open-months-before") and doc["months"][0] == "2020-01" and doc["fix"]
    doc = _problem(client.post(close, json={"publish_on": "2021-04-29", "skip": skip}, headers=csrf), 409)
    assert f"{code}/{product}" in doc["detail"] and {"enterprise": code, "product": product} in doc["items"]
    assert not review.is_closed(store, MONTH)

    for x in client.get(f"{V}/{MONTH}/queue").json()["items"]:
        client.post(f"{V}/{MONTH}/queue/{x['enterprise']}/{x['product']}/accept", json={"note": "ok"}, headers=csrf)
    r = client.post(close, json={"publish_on": "2021-04-29", "skip": skip}, headers=csrf)
    assert r.status_code == 201, r.text
    done = r.json()
    assert done["period"] == MONTH and done["closed_by"] == "stat" and done["release_id"] is not None
    with store.engine.connect() as conn:
        release = conn.execute(select(Release).where(Release.id == done["release_id"])).one()
    assert release.released_on == dt.date(2021, 4, 29) and release.reference_period == MONTH
    assert review.closure(store, MONTH).release_id == done["release_id"]  # type: ignore[union-attr]

    _problem(client.post(close, json={"publish_on": "2021-04-29", "skip": skip}, headers=csrf), 409)  # closed
    assert review.is_closed(store, MONTH) and not review.is_closed(store, "2021-02")
    report = Register(store.engine).report(code, MONTH)
    lines = [{"product": x.product, "quantity": x.quantity + 1, "comment": x.comment} for x in report.lines]
    with pytest.raises(ReportRejected) as refused:
        submit_report(store, code, MONTH, lines, submitted_by="dn", confirmations=[product],
                      closed=review.closed_checker(store))
    assert refused.value.problems[0]["code"] == "month_closed"
    # A statistician can still revise a closed month (audited as such); the accept path is closed.
    _problem(client.post(f"{V}/{MONTH}/queue/{code}/{product}/accept", json={"note": "late"}, headers=csrf), 409)
    revised = client.post(f"{V}/{MONTH}/queue/{code}/{product}/correct", json={"quantity": 1, "reason": "late"},
                          headers=csrf)
    assert revised.status_code == 201 and revised.json()["revision"] is True, revised.text
    closes = [a for a in client.get(f"{V}/audit").json()["entries"] if a["action"] == "close"]
    assert len(closes) == 1 and "2021-04-29" in closes[0]["reason"]
    skips = [a for a in client.get(f"{V}/audit").json()["entries"] if a["action"] == "skip"]
    assert [a["period"] for a in skips] == list(_history_months()) and "history before the portal" in skips[0]["reason"]


def _history_months() -> list[str]:
    return [f"2020-{m:02d}" for m in range(1, 13)] + ["2021-01", "2021-02"]


def test_forced_close_logs_the_reason(store) -> None:
    _slip(store)
    skip = _history(store)
    with pytest.raises(review.OpenItems):
        review.close_month(store, MONTH, by="stat", publish_on=dt.date(2021, 4, 29), skip=skip)
    with pytest.raises(review.ReviewError):  # force needs a reason
        review.close_month(store, MONTH, by="stat", publish_on=dt.date(2021, 4, 29), force=True, skip=skip)
    done = review.close_month(store, MONTH, by="stat", publish_on=dt.date(2021, 4, 29), force=True,
                              reason="the director wants the estimate today", skip=skip)
    assert done.forced and done.open_items >= 1 and done.release_id is not None
    (entry,) = [a for a in review.audit_log(store, MONTH) if a.action == "close"]
    assert "the director wants the estimate today" in entry.reason and entry.username == "stat"


def test_close_without_the_industry_tree_is_refused_and_leaves_the_month_open(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    import_dataset(store, _small(tmp_path / "small"))
    # April: E1 and E3 of the expected E1–E4 reported, 4/6 of their value (E1 reported three months): forced.
    close = dict(by="stat", publish_on=dt.date(2020, 5, 29), today=dt.date(2020, 5, 2), force=True,
                 reason="E2 and E4 stopped", skip={p: "before the portal" for p in ("2020-01", "2020-02", "2020-03")})
    with pytest.raises(review.TreeMissing):
        review.close_month(store, "2020-04", **close)
    assert not review.is_closed(store, "2020-04")
    review.import_tree(store, tmp_path / "small")
    done = review.close_month(store, "2020-04", **close)
    assert done.release_id is not None and review.is_closed(store, "2020-04")


def test_response_rates_agree_with_response(store) -> None:
    months = ["2020-02", "2020-07", "2021-01", "2021-02", MONTH]
    for row in review.response_rates(store, months):
        full = review.response(store, row.period)
        assert (row.expected, row.responded, row.rate, row.unexpected) == (
            full.expected, full.responded, full.rate, full.unexpected), row.period
    assert review.response_rates(store, []) == []


def test_windowed_history_gives_the_same_references_as_the_full_history(store) -> None:
    """The queue reads 24 months of history (and everything for sparse reporters): same references as all."""
    from vnindustry.periods import parse_month
    from vnindustry.portal.reports import _reference

    _slip(store)
    with store.engine.connect() as conn:
        pairs = {(e, p) for e, p in conn.execute(select(Report.enterprise_code, ReportLine.product_code)
                                                  .join(ReportLine, ReportLine.report_id == Report.id)
                                                  .where(Report.period == MONTH))}
        full = review._history_rows(conn, MONTH, sorted({e for e, _ in pairs}), None)
        # The city's 14 months fit the default window; a 12-month one makes every pair "sparse" and re-read
        # in full, a 14-month one none of them.
        windows = {w: review._history_all(conn, MONTH, pairs, window=w) for w in (12, 14, 24)}
    key = parse_month(MONTH)
    assert len(pairs) > 100
    for history in windows.values():
        for pair in pairs:
            assert _reference(history.get(pair, []), key, 10) == _reference(full.get(pair, []), key, 10), pair
