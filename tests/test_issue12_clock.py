"""Issue 12, item 2: pages and caches follow the clock.

A tiny city is compiled twice: the months to 2025-12 published on 2026-01-10, and a compile that adds January
2026 stored for 2026-02-10 (as a close for a day ahead does). A GSO workbook is then imported for 2026-01-20:
a release *newer* than the embargoed one and already public. "Today" (Vietnam's date as the store sees it) is
2026-02-01, then moves to the publication day.

Each test is named after the failure it guards against: the site going blank and announcing the embargoed
month, the catalogue, release list, bulletin list and error messages revealing it, and the response cache
serving the old answer for some URL variants after the embargo lifted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

import vnindustry
from builders import months, write_dataset
from vnindustry.publish.wording import month_name
from vnindustry.sources.gso import read_workbook
from vnindustry.store import Store, open_store
from vnindustry.store import repository as repo
from vnindustry.store.compiled import store_compile
from vnindustry.store.gso import store_workbook
from vnindustry.web import create_app

DATA = Path(__file__).parent / "data"
BEFORE, DAY = dt.date(2026, 2, 1), dt.date(2026, 2, 10)  # "today" during the embargo; the publication day
PUBLISHED, EMBARGOED = "2025-12", "2026-01"
PRODUCTS = [("P1", "1020", 30.0, 10.0), ("P2", "1020", 10.0, 5.0), ("P3", "1077", 60.0, 20.0)]
INDUSTRIES = [("TOTAL", "", None), ("C", "TOTAL", None), ("10", "C", None), ("1020", "10", 6.0), ("1077", "10", 4.0)]
JANUARY_JUMP = 1.37  # January 2026's production: an index no earlier month has


def _production(upto: str) -> list[tuple[str, str, str, float]]:
    rows = []
    for per in months(2024, 1, 25):
        if per > upto:
            break
        wiggle = (0.95 if int(per[5:]) % 2 else 1.05) * (JANUARY_JUMP if per == EMBARGOED else 1.0)
        for code, _industry, _w, q0 in PRODUCTS:
            rows += [(f"{e}{code}", code, per, q0 / 3 * wiggle) for e in ("E1", "E2", "E3")]
    return rows


@pytest.fixture(scope="module")
def clock_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The store described in the module docstring; its embargoed release id is ``store.embargoed_id``."""
    tmp = tmp_path_factory.mktemp("clock")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(repo, "today_in_vietnam", lambda: BEFORE)
        store = open_store(f"sqlite:///{tmp / 'store.db'}")
        old = write_dataset(tmp / "to-2025-12", industries=INDUSTRIES, products=PRODUCTS,
                            production=_production(PUBLISHED))
        new = write_dataset(tmp / "to-2026-01", industries=INDUSTRIES, products=PRODUCTS,
                            production=_production(EMBARGOED))
        store_compile(store, vnindustry.compile_dataset(old), released_on=dt.date(2026, 1, 10))
        embargoed = store_compile(store, vnindustry.compile_dataset(new), released_on=DAY)
        visible = store_workbook(store, read_workbook(DATA / "gso" / "xlsx" / "2025-02.xlsx"),
                                 released_on=dt.date(2026, 1, 20))
        assert visible.release_id > embargoed.release_id  # the newer release is public, the older one is not
        store.embargoed_id = embargoed.release_id  # type: ignore[attr-defined]
    yield store


@pytest.fixture
def before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setattr(repo, "today_in_vietnam", lambda: BEFORE)


def _january_total(store: Store) -> float:
    """The embargoed month's IIP total (read as the statisticians do)."""
    frame = store.observations(keys=["city/iip/TOTAL"], measure="level", start=EMBARGOED, end=EMBARGOED)
    return float(frame["value"].iloc[0])


def _vi(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


# -- the latest month is the latest public month ------------------------------------------------------------
def test_pages_do_not_go_blank_or_announce_the_embargoed_month(clock_store: Store, before: None) -> None:
    """Failure: while a month was embargoed, /, /industries and /products showed "tháng 1/2026" with empty
    tables. Now they show the latest public month, with its figures."""
    client = TestClient(create_app(clock_store))
    published = clock_store.observations(keys=["city/iip/TOTAL"], measure="level", start=PUBLISHED, end=PUBLISHED)
    december = float(published["value"].iloc[0])
    for path in ("/", "/industries", "/products", "/?lang=en", "/industries?lang=en", "/products?lang=en"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        lang = "en" if "lang=en" in path else "vi"
        assert month_name(PUBLISHED, lang) in r.text, path
        assert month_name(EMBARGOED, lang) not in r.text, path
        assert "<tbody>\n</tbody>" not in r.text.replace("\r", ""), path  # a table with rows
    assert _vi(december) in client.get("/industries").text
    assert _vi(_january_total(clock_store)) not in client.get("/industries").text


def test_catalogue_and_api_latest_are_the_latest_public_month(clock_store: Store, before: None) -> None:
    """Failure: "latest" was taken over every release. The catalogue's last_period and last_updated, lastN=1
    and the page index all stop at the public month."""
    client = TestClient(create_app(clock_store))
    items = client.get("/api/v1/series", params={"source": "city", "limit": 1000}).json()["items"]
    assert items and max(i["last_period"] for i in items) == PUBLISHED
    assert max(i["last_updated"] for i in items) <= BEFORE.isoformat()
    one = client.get("/api/v1/series/city/iip/TOTAL").json()
    assert one["last_period"] == PUBLISHED and one["last_updated"] == "2026-01-10"
    last = client.get("/api/v1/series/city/iip/TOTAL/observations", params={"lastN": 1, "measure": "level"}).json()
    assert [o["period"] for o in last["observations"]] == [PUBLISHED]
    assert max(p for _k, *_r, p in clock_store.public_view().last_periods() if _k.startswith("city/")) == PUBLISHED
    assert max(p for _k, *_r, p in clock_store.last_periods() if _k.startswith("city/")) == EMBARGOED  # statisticians


# -- nothing reveals the embargoed release ------------------------------------------------------------------
def test_release_lists_counts_and_bulletins_do_not_reveal_an_embargoed_release(clock_store: Store,
                                                                               before: None) -> None:
    """Failure mode: a list, a count or an archive that knows of the embargoed release. Only the calendar
    announces it (its date and what it covers)."""
    client = TestClient(create_app(clock_store))
    doc = client.get("/api/v1/releases").json()
    assert doc["total"] == 2 and DAY.isoformat() not in json.dumps(doc)
    assert all(i["reference_period"] != EMBARGOED for i in doc["items"] if i["source"] == "city")
    for path in ("/releases", "/bulletins", "/releases?lang=en", "/bulletins?lang=en"):
        text = client.get(path).text
        assert not re.search(EMBARGOED + r"(?!-\d)", text), path  # the period (not a date in January)
        assert "10/02/2026" not in text and DAY.isoformat() not in text, path
    assert client.get("/api/v1/healthz").json()["latest_release"] != clock_store.embargoed_id  # type: ignore[attr-defined]
    calendar = client.get("/calendar").text
    assert "10/02/2026" in calendar and month_name(EMBARGOED, "vi") in calendar  # announced: date and period
    assert _vi(_january_total(clock_store)) not in calendar


def _blind(text: str, period: str) -> str:
    """``text`` with the period (as code and as month names) replaced by a placeholder."""
    for form in (period, month_name(period, "vi"), month_name(period, "en")):
        text = re.sub(re.escape(form) + r"(?![-\d])", "P", text)  # not a date in that month, not 1/20261
    return text


def test_a_future_period_looks_exactly_like_a_period_without_data(clock_store: Store, before: None) -> None:
    """Failure mode: "not published yet" for the embargoed month but "no data" for another one. The answers
    for the embargoed month and for a month nobody has must be the same, but for the period itself."""
    client = TestClient(create_app(clock_store))
    for template in ("/products?period={p}&source=city", "/trade?period={p}&source=city",
                     "/bulletins/{p}.md?source=city", "/industries?period={p}&source=city",
                     "/api/v1/series/city/iip/TOTAL/observations?from={p}&to={p}"):
        embargoed, nobody = (client.get(template.format(p=p)) for p in (EMBARGOED, "2031-01"))
        assert embargoed.status_code == nobody.status_code, template
        assert _blind(embargoed.text, EMBARGOED) == _blind(nobody.text, "2031-01"), template


# -- the cache follows the clock -----------------------------------------------------------------------------
FORMATS = ("json", "csv", "xlsx", "sdmx-csv", "json-stat")
VARIANTS = [{"format": f, "lang": lang} for f in FORMATS for lang in ("vi", "en")]
VARIANTS += [{"vintage": v} for v in ("first", "all")] + [{"as_of": DAY.isoformat()}, {"labels": "both"},
                                                          {"lastN": "1"}, {"measure": "level"}]


def _urls() -> list[str]:
    api = [f"/api/v1/series/city/iip/TOTAL/observations?{urlencode(v)}" for v in VARIANTS]
    api += ["/api/v1/series/city/iip/TOTAL", "/api/v1/series?source=city", "/api/v1/releases"]
    pages = ["/", "/industries", "/products", "/bulletins", "/releases", "/calendar", "/?lang=en",
             "/industries?lang=en"]
    return api + pages


def test_cache_retires_every_variant_when_an_embargo_lifts_behind_a_newer_release(
        clock_store: Store, before: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Failure: the cache was keyed by the newest visible release id, which does not change when an older
    embargoed release lifts behind a newer one: some URL variants kept the old answer. Every variant, warm in
    the cache, must answer the new figures at once on the day — a stale ETag gets 200, not 304."""
    client = TestClient(create_app(clock_store))  # one app: its cache is warm before the day
    old: dict[str, tuple[bytes, str]] = {}
    for url in _urls():
        first, again = client.get(url), client.get(url)
        assert first.status_code == 200 and first.content == again.content, url
        old[url] = (first.content, first.headers["etag"])
        assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304, url
    monkeypatch.setattr(repo, "today_in_vietnam", lambda: DAY)  # the publication day: nothing else changes
    for url in _urls():
        body, etag = old[url]
        r = client.get(url, headers={"If-None-Match": etag})
        assert r.status_code == 200 and r.content != body, f"{url} still answers as before the day"
        assert r.headers["etag"] != etag, url
    january = _january_total(clock_store)
    obs = client.get("/api/v1/series/city/iip/TOTAL/observations?measure=level").json()["observations"]
    assert any(o["period"] == EMBARGOED and o["value"] == january for o in obs)
    assert month_name(EMBARGOED, "vi") in client.get("/").text
    assert _vi(january) in client.get("/industries").text
    # as_of the day before: still January-less, as known then
    before_day = client.get("/api/v1/series/city/iip/TOTAL/observations",
                            params={"as_of": (DAY - dt.timedelta(days=1)).isoformat()}).json()["observations"]
    assert before_day and all(o["period"] != EMBARGOED for o in before_day)


def test_cache_key_changes_when_an_embargo_lifts_even_if_the_newest_visible_release_does_not(
        clock_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint itself: the newest visible id is the same before and on the day, the fingerprint
    is not (the set of visible releases changed)."""
    view = clock_store.public_view()
    monkeypatch.setattr(repo, "today_in_vietnam", lambda: BEFORE)
    top_before, key_before = view.latest_release_id(), view.release_fingerprint()
    monkeypatch.setattr(repo, "today_in_vietnam", lambda: DAY)
    assert view.latest_release_id() == top_before  # what the cache used to be keyed by: blind to the lift
    assert view.release_fingerprint() != key_before
    assert clock_store.embargoed_id in view.visible_release_ids()  # type: ignore[attr-defined]


# -- provenance ----------------------------------------------------------------------------------------------
def test_public_provenance_and_release_files_name_documents_not_server_paths(clock_store: Store,
                                                                             before: None) -> None:
    """Failure: public provenance showed server paths (/tmp/vnindustry-compile-…, the compile's folder)."""
    client = TestClient(create_app(clock_store))
    internal = set(clock_store.releases()["file"].tolist())
    assert any("/" in f for f in internal)  # the store keeps the path (statisticians), the public must not see it
    answers = [client.get(u).text for u in (
        "/api/v1/series/city/iip/TOTAL/observations", "/api/v1/series/city/iip/TOTAL/observations?format=csv",
        "/api/v1/series/city/iip/TOTAL/observations?format=json-stat", "/api/v1/releases", "/releases", "/calendar")]
    for path in internal:
        if "/" in path:
            assert not any(path in a for a in answers), path
            assert not any(str(Path(path).parent) in a for a in answers), path
    obs = client.get("/api/v1/series/city/iip/TOTAL/observations").json()["observations"]
    assert {o["provenance"] for o in obs} == {"to-2025-12"}  # the compiled dataset, by name
    assert {i["file"] for i in client.get("/api/v1/releases").json()["items"]} == {"to-2025-12", "2025-02.xlsx"}
    public = clock_store.public_view().releases()
    assert not any(re.search(r"[\\/]", str(v)) for v in [*public["file"], *public["note"]])


def test_browsers_and_proxies_may_not_keep_an_answer_past_midnight_in_vietnam(clock_store: Store,
                                                                               before: None) -> None:
    """Failure mode: the server's cache follows the clock but ``Cache-Control: max-age=300`` lets a proxy serve
    the old answer for 5 minutes after the embargo lifted. The max-age never reaches past Vietnam's midnight."""
    from vnindustry.web.api import seconds_to_midnight_in_vietnam

    vietnam = repo.VIETNAM
    assert seconds_to_midnight_in_vietnam(dt.datetime(2026, 2, 9, 23, 58, 30, tzinfo=vietnam)) == 90
    assert seconds_to_midnight_in_vietnam(dt.datetime(2026, 2, 9, 16, 58, 30, tzinfo=dt.UTC)) == 90  # 23:58:30 +07
    assert seconds_to_midnight_in_vietnam(dt.datetime(2026, 2, 10, 0, 0, tzinfo=vietnam)) == 86_400
    client = TestClient(create_app(clock_store))
    r = client.get("/api/v1/series/city/iip/TOTAL/observations")
    max_age = int(re.search(r"max-age=(\d+)", r.headers["cache-control"])[1])  # type: ignore[index]
    assert 0 <= max_age <= min(300, seconds_to_midnight_in_vietnam() + 1)


def test_the_clock_queries_on_both_backends(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint, the latest public month and the calendar's announcement, on SQLite and PostgreSQL:
    a release under embargo is in none of them but the announcement, until its day."""
    import pandas as pd

    def figure(period: str, value: float) -> pd.DataFrame:
        return pd.DataFrame([dict(table="iip", series="Tổng", code="TOTAL", unit="", period=period, measure="level",
                                  value=value, status="estimate", sheet="IIP", cell="C7", kind="total")])

    monkeypatch.setattr(repo, "today_in_vietnam", lambda: BEFORE)
    store = open_store(db_url)
    store.import_records(figure(PUBLISHED, 101.5), source="city", file="/srv/a.xlsx", checksum="a",
                         released_on=dt.date(2026, 1, 10), reference_period=PUBLISHED)
    store.import_records(figure(EMBARGOED, 102.5), source="city", file="/srv/b.xlsx", checksum="b",
                         released_on=DAY, reference_period=EMBARGOED)
    store.import_records(figure("2025-02", 99.5).assign(table="exports"), source="gso", file="c.xlsx", checksum="c",
                         released_on=dt.date(2026, 1, 20))
    view = store.public_view()
    before_day = view.release_fingerprint()
    assert before_day[0] == BEFORE.isoformat() and before_day[1] == 2
    assert {r[0]: r[-1] for r in view.last_periods()}["city/iip/TOTAL"] == PUBLISHED
    assert {r[0]: r[-1] for r in store.last_periods()}["city/iip/TOTAL"] == EMBARGOED
    assert view.scheduled().to_dict("records") == [
        {"source": "city", "reference_period": EMBARGOED, "released_on": DAY}]
    assert set(view.releases()["file"]) == {"a.xlsx", "c.xlsx"}
    monkeypatch.setattr(repo, "today_in_vietnam", lambda: DAY)
    assert view.release_fingerprint()[1:] == (3, before_day[2], before_day[3] + view.visible_release_ids()[1])
    assert {r[0]: r[-1] for r in view.last_periods()}["city/iip/TOTAL"] == EMBARGOED
    assert view.scheduled().empty
