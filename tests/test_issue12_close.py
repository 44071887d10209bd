"""Issue 12, item 3: closing a month is one guarded, atomic step.

One test per failure the issue lists: a future month, a month nobody reported and a publication date in the past were
accepted; a close released wholly imputed months nobody reported; out-of-order closes stored later months as
``actual`` with the index collapsing (to 0.015 of its level); a crash left the month closed without a release. The
kill -9 tests are in test_issue12_close_kill.py (slow tier).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, insert, select

from vnindustry.compile.engine import compile_dataset
from vnindustry.demo.city import generate_city
from vnindustry.portal import review
from vnindustry.portal.accounts import add_user
from vnindustry.portal.reports import submit_report
from vnindustry.store import Store, open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.models import AuditEntry, MonthClosure, Observation, Release
from vnindustry.store.register import Register, import_dataset
from vnindustry.web import create_app

PASSWORD = "correct horse battery"
FEB, MAR = "2021-02", "2021-03"
TODAY = dt.date(2021, 4, 20)  # March has ended; its publication (2021-04-29) is ahead
PUBLISH = dt.date(2021, 4, 29)
V = "/api/v1/review"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("city") / "city", n_enterprises=100, start="2020-01", end=MAR)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr("vnindustry.store.repository.today_in_vietnam", lambda: TODAY)
    return TODAY


@pytest.fixture
def store(db_url: str, city: Path) -> Store:
    store = open_store(db_url)
    import_dataset(store, city)
    review.import_tree(store, city)
    return store


def _history(store: Store, month: str = MAR) -> dict[str, str]:
    return {p: "history before the portal" for p in review.months_to_skip(store, month)}


def _close(store: Store, month: str = MAR, **kw: object) -> review.Closure:
    args: dict[str, object] = dict(by="stat", publish_on=PUBLISH, force=True, reason="test")
    args.update(kw)
    if "skip" not in args:
        args["skip"] = _history(store, month)
    return review.close_month(store, month, **args)  # type: ignore[arg-type]


def _counts(store: Store) -> tuple[int, int, int]:
    """(closures, releases, observations)."""
    with store.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (MonthClosure.__table__, Release.__table__, Observation.__table__))


def _root_levels(store: Store, release_id: int) -> dict[str, tuple[float, str]]:
    df = store.observations(source="city", table="iip", measure="level", vintage="all")
    df = df[(df["kind"] == "total") & (df["release_id"] == release_id)]
    return {p: (float(v), s) for p, v, s in zip(df["period"], df["value"], df["status"], strict=True)}


def _copy_report(store: Store, enterprise: str, source_month: str, month: str) -> None:
    lines = [{"product": x.product, "quantity": x.quantity}
             for x in Register(store.engine).report(enterprise, source_month).lines]  # type: ignore[union-attr]
    submit_report(store, enterprise, month, lines, submitted_by="dn")


# -- the guards ------------------------------------------------------------------------------------------------

def test_regression_issue12_close_refuses_a_month_that_has_not_ended(store: Store,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for month in ("2021-04", "2027-12"):  # the current month, and the issue's 2027-12
        with pytest.raises(review.MonthNotOver, match="cannot be closed before") as refused:
            _close(store, month, skip={})
        assert refused.value.extra["fix"].startswith(f"close {month} on or after")
    # The reporting window: close_opens_day 5 → March may be closed from 5 April.
    monkeypatch.setenv("VNINDUSTRY_CLOSE_OPENS_DAY", "5")
    assert review.closable_from(MAR) == dt.date(2021, 4, 5)
    with pytest.raises(review.MonthNotOver, match="2021-04-05"):
        _close(store, today=dt.date(2021, 4, 4))
    assert _counts(store)[:2] == (0, 0)
    assert _close(store, today=dt.date(2021, 4, 5)).release_id is not None


def test_regression_issue12_close_refuses_a_month_nobody_reported(store: Store) -> None:
    _close(store)
    # June has ended (today 2021-07-02) but nobody reported April, May or June.
    with pytest.raises(review.NoReports, match="nobody has reported 2021-06"):
        _close(store, "2021-06", publish_on=dt.date(2021, 7, 29), today=dt.date(2021, 7, 2),
              skip={"2021-04": "x", "2021-05": "x"})
    assert not review.is_closed(store, "2021-06")


def test_regression_issue12_close_refuses_a_publication_date_before_today(store: Store) -> None:
    with pytest.raises(review.PublishDatePast, match="before today") as refused:
        _close(store, publish_on=TODAY - dt.timedelta(days=1))
    assert refused.value.extra["earliest"] == TODAY.isoformat()
    assert _counts(store)[:2] == (0, 0)
    assert _close(store, publish_on=TODAY).publish_on == TODAY  # today itself is fine


def test_regression_issue12_out_of_order_close_is_refused_and_revise_is_the_way(store: Store) -> None:
    mar = _close(store)
    with pytest.raises(review.PublishedLater, match="2021-03 is published already") as refused:
        _close(store, FEB, skip={})
    assert "revise" in refused.value.extra["fix"]
    with pytest.raises(review.AlreadyClosed):
        _close(store, skip={})
    # The revision path still works and dates the new vintage no earlier than March's publication.
    done = review.revise_month(store, MAR, by="stat", publish_on=PUBLISH, reason="late report")
    assert done.upto == MAR and done.status == "preliminary" and mar.release_id is not None


def test_regression_issue12_a_close_may_not_skip_earlier_open_months(store: Store) -> None:
    with pytest.raises(review.OpenMonthsBefore) as refused:
        _close(store, skip={})
    assert refused.value.extra["months"] == [f"2020-{m:02d}" for m in range(1, 13)] + ["2021-01", FEB]
    with pytest.raises(review.ReviewError, match="not an open month"):
        _close(store, skip={**_history(store), "2021-05": "not before March"})
    with pytest.raises(review.ReviewError, match="reason for skipping 2021-01"):
        _close(store, skip={**_history(store), "2021-01": " "})
    # February closed first: March needs no skip beyond it.
    _close(store, FEB, today=dt.date(2021, 3, 10), publish_on=dt.date(2021, 3, 29))
    assert review.months_to_skip(store, MAR) == []
    mar = _close(store, skip={})
    assert set(_root_levels(store, mar.release_id)) == {FEB, MAR}  # skipped months are never published
    skips = [a for a in review.audit_log(store) if a.action == "skip"]
    assert len(skips) == 13 and all("skipped by the close of 2021-02" in a.reason for a in skips)


def test_regression_issue12_close_never_releases_months_nobody_reported(store: Store) -> None:
    """The issue's reproduction: with reports to March and one enterprise reporting August early, closing August
    released April–July — wholly imputed, nobody reported them — as ``actual``, and the index collapsed to 0 in July
    and 1.68 in August (0.011 of March's 158.2; 0.015 on the demo)."""
    _close(store)
    _copy_report(store, "DN00001", MAR, "2021-08")
    aug = dict(publish_on=dt.date(2021, 9, 29), today=dt.date(2021, 9, 2))
    gap = {m: "nobody reported" for m in ("2021-04", "2021-05", "2021-06", "2021-07")}
    for month in gap:  # none of them can be closed …
        with pytest.raises(review.NoReports):
            _close(store, month, skip={}, **aug)
    with pytest.raises(review.OpenMonthsBefore):  # … nor silently jumped over
        _close(store, "2021-08", skip={}, **aug)
    # One enterprise out of ~100: the response by value is far below close_min_response (0.7).
    with pytest.raises(review.LowResponse, match="by base-year value") as refused:
        _close(store, "2021-08", skip=gap, force=False, **aug)
    assert refused.value.extra["rate"] < 0.1 and "force" in refused.value.extra["fix"]
    done = _close(store, "2021-08", skip=gap, reason="one report only, the director insists", **aug)
    levels = _root_levels(store, done.release_id)
    assert set(levels) == {MAR, "2021-08"}  # never the four months nobody reported
    assert levels[MAR][1] == "actual" and levels["2021-08"][1] == "estimate"
    (entry,) = [a for a in review.audit_log(store, "2021-08") if a.action == "close"]
    assert "forced below the 70% response" in entry.reason and "the director insists" in entry.reason


def test_regression_issue12_months_the_store_publishes_count_as_closed(store: Store, city: Path,
                                                                       tmp_path: Path) -> None:
    # The demo's way: the city's history stored as a release of "city", not by a closure (here: up to February).
    folder = review.write_dataset(store, FEB, tmp_path / "history")
    history = store_compile(store, compile_dataset(folder), source="city", status="actual",
                            released_on=dt.date(2021, 3, 6))
    assert history.created
    assert review.months_to_skip(store, MAR) == []
    with pytest.raises(review.AlreadyClosed, match="published already") as refused:
        _close(store, FEB, skip={}, today=dt.date(2021, 3, 10))
    assert "revise" in refused.value.extra["fix"]
    with pytest.raises(review.AlreadyClosed, match="2021-01 is published already"):
        _close(store, "2021-01", skip={}, today=dt.date(2021, 3, 10))
    mar = _close(store, skip={})  # nothing to skip: February is published
    assert len(_root_levels(store, mar.release_id)) == 15  # 2020-01 … 2021-03: the history again, and March
    # A published month can be revised although it has no closure.
    done = review.revise_month(store, FEB, by="stat", publish_on=PUBLISH, reason="history corrected")
    assert done.upto == MAR


def test_low_response_needs_force_and_a_reason(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    rate = review.weighted_response(store, MAR)
    assert rate is not None and 0.5 < rate <= 1
    monkeypatch.setenv("VNINDUSTRY_CLOSE_MIN_RESPONSE", str(min(1.0, rate + 0.01)))
    for x in review.queue(store, MAR):  # no open items: only the response is in the way
        review.accept(store, MAR, x.enterprise, x.product, by="stat", note="checked")
    with pytest.raises(review.LowResponse):
        _close(store, force=False)
    with pytest.raises(review.ReviewError, match="reason"):
        _close(store, reason="")
    assert _counts(store)[:2] == (0, 0)
    done = _close(store, reason="the missing enterprises phoned their figures")
    (entry,) = [a for a in review.audit_log(store, MAR) if a.action == "close"]
    assert done.forced and "forced below" in entry.reason and "phoned their figures" in entry.reason


def test_weighted_response_by_hand(db_url: str, tmp_path: Path) -> None:
    """Two enterprises expected in April; the one that reported carries 3/4 of the base-year value."""
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "industries.csv").write_text("code,parent,name_vi,name_en,weight\nT,,Tổng,Total,\n"
                                           "C,T,Chế biến,Manufacturing,1\n", "utf-8")
    # PA: 30 (value) / 10 (base quantity) = 3 a unit; PB: 10 / 10 = 1 a unit.
    (folder / "products.csv").write_text("code,industry,name_vi,unit,weight,base_quantity\n"
                                         "PA,C,A,tấn,30,10\nPB,C,B,tấn,10,10\n", "utf-8")
    (folder / "enterprises.csv").write_text("enterprise,name,industry,district,ownership\n"
                                            "E1,Một,C,Q1,state\nE2,Hai,C,Q1,state\n", "utf-8")
    (folder / "production.csv").write_text("enterprise,product,period,quantity\n"
                                           "E1,PA,2020-03,10\nE2,PB,2020-03,10\nE1,PA,2020-04,11\n", "utf-8")
    store = open_store(db_url)
    import_dataset(store, folder)
    assert review.weighted_response(store, "2020-04") == pytest.approx(0.75)  # by count it would be 0.5
    assert review.weighted_response(store, "2020-03") is None  # nobody before: nobody expected


# -- one transaction -----------------------------------------------------------------------------------------

def test_regression_issue12_a_failing_close_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The closure, its audit rows and the release commit together: a failure after the release's rows were
    written (here: the closure's update) rolls all of it back, and the month can be closed again."""
    import vnindustry.portal.review.closing as module

    def boom(name: str) -> None:
        if name == "stored":
            raise RuntimeError("the server fell over")

    monkeypatch.setattr(module, "_crash_point", boom)
    with store.engine.connect() as conn:
        audits = conn.execute(select(func.count()).select_from(AuditEntry.__table__)).scalar_one()
    with pytest.raises(RuntimeError):
        _close(store)
    assert _counts(store) == (0, 0, 0)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditEntry.__table__)).scalar_one() == audits
    monkeypatch.undo()
    monkeypatch.setattr("vnindustry.store.repository.today_in_vietnam", lambda: TODAY)
    assert _close(store).release_id is not None


def test_a_close_left_without_its_release_is_reopened(store: Store) -> None:
    """What a crash of the old two-step close left (closed, no release): detected and rolled back at the next
    close (or by recover_closures at start-up), audited; the close then works instead of "closed already"."""
    with store.engine.begin() as conn:
        conn.execute(insert(MonthClosure.__table__).values(period=MAR, closed_at=dt.datetime.now(dt.UTC),
                                                           closed_by="stat", release_id=None, publish_on=PUBLISH))
    assert review.is_closed(store, MAR)
    done = _close(store)
    assert done.release_id is not None and review.closure(store, MAR).release_id == done.release_id  # type: ignore
    assert any("interrupted close" in a.reason for a in review.audit_log(store, MAR))
    with store.engine.begin() as conn:
        conn.execute(insert(MonthClosure.__table__).values(period="2021-04", closed_at=dt.datetime.now(dt.UTC),
                                                           closed_by="stat", release_id=None, publish_on=PUBLISH))
    assert review.recover_closures(store) == ["2021-04"] and not review.is_closed(store, "2021-04")


def test_close_works_on_a_pool_of_one_connection(store: Store) -> None:
    """No second pooled connection inside the close's transaction (it would wait forever on a pool of one)."""
    engine = create_engine(store.engine.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0,
                           pool_timeout=3)
    try:
        done = _close(Store(engine))
        assert done.release_id is not None
    finally:
        engine.dispose()


def test_regression_issue12_the_release_is_named_after_its_document(store: Store) -> None:
    done = _close(store)
    with store.engine.connect() as conn:
        file = conn.execute(select(Release.file).where(Release.id == done.release_id)).scalar_one()
        provenance = set(conn.execute(select(Observation.provenance)
                                      .where(Observation.release_id == done.release_id).distinct()).scalars())
    assert file == "city compile to 2021-03" and provenance == {"city compile to 2021-03"}
    assert not any(re.search(r"/tmp|vnindustry-compile", p) for p in provenance)


# -- over HTTP -----------------------------------------------------------------------------------------------

@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, dict[str, str]]:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    add_user(store.engine, "stat", PASSWORD, "statistician")
    client = TestClient(create_app(store))
    r = client.post("/api/v1/auth/login", json={"username": "stat", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return client, {"X-CSRF-Token": r.json()["csrf_token"]}


def _problem(r, status: int, slug: str) -> dict:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    doc = r.json()
    assert doc["type"].endswith(slug) and doc["fix"], doc
    return doc  # type: ignore[no-any-return]


def test_every_close_guard_answers_problem_json_with_the_fix(store: Store, client) -> None:  # type: ignore[no-untyped-def]
    http, csrf = client
    skip = [{"period": p, "reason": why} for p, why in _history(store).items()]
    body = {"publish_on": PUBLISH.isoformat(), "force": True, "reason": "t", "skip": skip}
    doc = _problem(http.post(f"{V}/2021-04/close", json=body, headers=csrf), 409, "month-not-over")
    assert doc["title"] == "Month not over yet" and doc["opens"] == "2021-05-01"
    _problem(http.post(f"{V}/{MAR}/close", json={**body, "publish_on": "2021-04-01"}, headers=csrf), 422,
             "publish-date-past")
    doc = _problem(http.post(f"{V}/{MAR}/close", json={**body, "skip": []}, headers=csrf), 409,
                   "open-months-before")
    assert len(doc["months"]) == 14
    r = http.post(f"{V}/{MAR}/close", json=body, headers=csrf)
    assert r.status_code == 201, r.text
    _problem(http.post(f"{V}/{MAR}/close", json=body, headers=csrf), 409, "month-closed")
    _problem(http.post(f"{V}/{FEB}/close", json={**body, "skip": []}, headers=csrf), 409, "published-later")
    # What a close needs, before trying: GET …/response.
    doc = http.get(f"{V}/2021-04/response").json()
    assert doc["close"]["opens"] == "2021-05-01" and doc["close"]["months_to_skip"] == []
    assert doc["close"]["min_response"] == 0.7 and doc["value_rate"] == 0.0  # nobody has reported April


def test_the_html_close_form_shows_the_reason_and_skips(store: Store, client) -> None:  # type: ignore[no-untyped-def]
    http, _ = client
    page = http.get(f"/portal/review/{MAR}?lang=en")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert "2020-01" in page.text and 'name="skip_months"' in page.text  # the months a close would skip
    form = {"csrf_token": csrf, "lang": "en", "publish_on": PUBLISH.isoformat(), "force": "1", "reason": "t"}
    r = http.post(f"/portal/review/{MAR}/close", data=form)
    assert r.status_code == 409 and "would skip 14 earlier open month" in r.text
    r = http.post(f"/portal/review/{MAR}/close", data={**form, "skip": "1", "skip_reason": "history",
                                                        "skip_months": " ".join(review.months_to_skip(store, MAR))},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    assert review.closure(store, MAR).release_id is not None  # type: ignore[union-attr]
    r = http.post(f"/portal/review/{FEB}/close", data=form)
    assert r.status_code == 409 and "2021-03 is published already" in r.text and "revise" in r.text


# -- the compile ---------------------------------------------------------------------------------------------

def test_regression_issue12_a_month_with_no_value_at_all_is_missing_not_zero(tmp_path: Path) -> None:
    """Reports to March, then one in August: April–June are imputed (within max_impute_gap = 3), July has no value at
    all (every pair silent past the limit). Its index was 0.0 — published as "actual" by the old close; now it is
    missing, and so are the comparisons that need it."""
    from builders import write_dataset

    production = [(e, "P1", f"2021-{m:02d}", 10.0 + m) for e in ("E1", "E2", "E3") for m in (1, 2, 3)]
    production.append(("E1", "P1", "2021-08", 12.0))
    folder = write_dataset(tmp_path / "gap", industries=[("T", "", None), ("C", "T", 1.0)],
                           products=[("P1", "C", 1.0, 30.0)], production=production)
    (folder / "enterprises.csv").write_text("enterprise,name,industry,district,ownership\nE1,A,C,Q1,state\n"
                                            "E2,B,C,Q1,state\nE3,C,C,Q1,state\n", "utf-8")
    result = compile_dataset(folder, max_impute_gap=3)
    root = result.table[result.table["code"] == "T"].set_index("period")
    assert root.loc["2021-03", "index"] > 100 and root.loc["2021-06", "imputed_share"] == pytest.approx(1.0)
    assert pd.isna(root.loc["2021-07", "index"])  # was 0.0
    assert pd.isna(root.loc["2021-08", "mom_pct"])  # no July to compare with
    p1 = result.products[result.products["code"] == "P1"].set_index("period")
    assert pd.isna(p1.loc["2021-07", "quantity"]) and p1.loc["2021-08", "quantity"] == 12.0
