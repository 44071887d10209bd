"""The data API (vnindustry.web): catalogue, observations in every format, vintages, caching, errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

import vnindustry
from vnindustry import settings
from vnindustry.sources.gso import read_workbook
from vnindustry.store import Store, open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.gso import store_workbook
from vnindustry.web import create_app
from vnindustry.web.ratelimit import TokenBucket

DATA = Path(__file__).parent / "data"
V1 = "/api/v1"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}
FIGURE = "test/iip/X"  # two releases of one figure (estimate, then actual), and a missing value


def _figure(value: float, status: str, period: str = "2025-01", missing_in: str | None = None) -> pd.DataFrame:
    rows = [dict(table="iip", series="Chỉ số thử nghiệm", code="X", unit="%", period=period,
                 measure="pct_prev_month", value=value, status=status, sheet="IIP", cell="C7")]
    if missing_in:
        rows.append(dict(table="iip", series="Chỉ số thử nghiệm", code="X", unit="%", period=missing_in,
                         measure="pct_prev_month", value=math.nan, status="actual", sheet="IIP", cell="C6"))
    return pd.DataFrame(rows)


def build_store(url: str) -> Store:
    """GSO's February 2025 workbook, the PPI manual's compiled IIP and the two-vintage test figure."""
    store = open_store(url)
    store_workbook(store, read_workbook(DATA / "gso" / "xlsx" / "2025-02.xlsx"))
    store_compile(store, vnindustry.compile_dataset(DATA / "ppi_manual"), released_on=dt.date(2020, 6, 10))
    store.import_records(_figure(96.75, "estimate", missing_in="2024-12"), source="test", file="a.xlsx",
                         checksum="a", released_on=dt.date(2025, 2, 6), reference_period="2025-01")
    store.import_records(_figure(97.10, "actual"), source="test", file="b.xlsx", checksum="b",
                         released_on=dt.date(2025, 3, 6), reference_period="2025-02")
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return build_store(f"sqlite:///{tmp_path_factory.mktemp('api') / 'store.db'}")


@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return TestClient(create_app(store))


def obs_url(code: str, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{V1}/series/{code}/observations" + (f"?{query}" if query else "")


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    doc = response.json()
    assert set(doc) >= PROBLEM_KEYS and doc["status"] == status
    assert all(isinstance(doc[k], str) and doc[k] for k in ("type", "title", "detail", "instance"))
    return doc


# -- catalogue ------------------------------------------------------------------------------------------
def test_catalogue_items_and_pagination(client: TestClient) -> None:
    every = client.get(f"{V1}/series", params={"limit": 1000}).json()
    assert every["total"] == len(every["items"]) > 250
    item = next(i for i in every["items"] if i["code"] == "gso/exports/TOTAL")
    for field in ("code", "name_vi", "name_en", "unit", "frequency", "first_period", "last_period",
                  "last_updated", "source", "table"):
        assert field in item
    assert (item["source"], item["table"], item["unit"], item["last_period"]) == ("gso", "exports", "Triệu USD",
                                                                                  "2025-02")
    page = client.get(f"{V1}/series", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == every["total"] and [i["code"] for i in page["items"]] == [
        i["code"] for i in every["items"][5:10]]
    assert_problem(client.get(f"{V1}/series", params={"limit": 100_000}), 422)
    assert_problem(client.get(f"{V1}/series", params={"offset": -1}), 422)


def test_search_ignores_vietnamese_accents(client: TestClient) -> None:
    plain = client.get(f"{V1}/series", params={"q": "xuat khau", "limit": 1000}).json()
    accented = client.get(f"{V1}/series", params={"q": "xuất khẩu", "limit": 1000}).json()
    assert plain == accented and plain["total"] > 0
    assert "gso/exports/TOTAL" in [i["code"] for i in plain["items"]]
    assert {i["table"] for i in plain["items"]} == {"exports"}
    codes = [i["code"] for i in client.get(f"{V1}/series", params={"q": "dien san xuat"}).json()["items"]]
    assert "gso/products/dien-san-xuat" in codes
    filtered = client.get(f"{V1}/series", params={"source": "city", "table": "iip"}).json()
    assert sorted(i["code"] for i in filtered["items"]) == ["city/iip/C", "city/iip/TOTAL"]
    english = client.get(f"{V1}/series/city/iip/TOTAL", params={"lang": "en"}).json()
    assert english["name"] == "Total industry" and english["table_name"] == "Index of industrial production"


# -- observations: formats ------------------------------------------------------------------------------
def test_json_observations_carry_status_and_release(client: TestClient) -> None:
    doc = client.get(obs_url("gso/exports/TOTAL")).json()
    assert doc["series"]["code"] == "gso/exports/TOTAL"
    assert {o["measure"] for o in doc["observations"]} >= {"level", "level_ytd"}
    for o in doc["observations"]:
        assert o["status"] in ("estimate", "preliminary", "actual")
        assert isinstance(o["release"], int) and dt.date.fromisoformat(o["released_on"])
    level = client.get(obs_url("gso/exports/TOTAL", measure="level")).json()["observations"]
    assert [(o["period"], o["value"]) for o in level] == [("2025-02", pytest.approx(31109.320468))]


def test_csv_has_bom_status_and_flags_missing_values(client: TestClient) -> None:
    r = client.get(obs_url(FIGURE, format="csv", vintage="first"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {"status", "flag", "release", "released_on", "value"} <= set(rows[0])
    missing = next(r for r in rows if r["period"] == "2024-12")
    assert (missing["value"], missing["flag"], missing["status"]) == ("", "missing", "actual")
    present = next(r for r in rows if r["period"] == "2025-01")
    assert (float(present["value"]), present["flag"], present["status"]) == (96.75, "", "estimate")
    named = client.get(obs_url(FIGURE, format="csv", labels="both")).content.decode("utf-8-sig")
    assert "status_name" in named.splitlines()[0] and "thực hiện" in named


def test_xlsx_opens_with_openpyxl(client: TestClient) -> None:
    import openpyxl

    r = client.get(obs_url(FIGURE), headers={
        "Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = list(wb["data"].iter_rows(values_only=True))
    header = rows[0]
    by_period = {row[header.index("period")]: row for row in rows[1:]}
    assert by_period["2024-12"][header.index("value")] is None
    assert by_period["2024-12"][header.index("flag")] == "missing"
    assert by_period["2025-01"][header.index("value")] == 97.10
    assert "series" in wb.sheetnames
    # Same data, same bytes: the ETag stays valid across cache evictions.
    assert client.get(obs_url(FIGURE, format="xlsx")).content == r.content


def test_sdmx_csv(client: TestClient) -> None:
    r = client.get(obs_url(FIGURE), headers={"Accept": "application/vnd.sdmx.data+csv;version=2.0.0"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert {"TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"} <= set(rows[0])
    data = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert all(d["STRUCTURE"] == "dataflow" and d["STRUCTURE_ID"] == "VNINDUSTRY:DF_IIP(1.0)" and d["ACTION"] == "I"
               for d in data)
    missing = next(d for d in data if d["TIME_PERIOD"] == "2024-12")
    assert (missing["OBS_VALUE"], missing["OBS_STATUS"]) == ("", "M")
    every = list(csv.reader(io.StringIO(client.get(obs_url(FIGURE, format="sdmx-csv", vintage="all")).text)))
    assert "VINTAGE" in every[0] and len(every) == 1 + 3
    both = client.get(obs_url(FIGURE, format="sdmx-csv", labels="both", lang="en")).text
    assert "TIME_PERIOD: Time period" in both.splitlines()[0]


def test_json_stat_dataset(client: TestClient) -> None:
    doc = client.get(obs_url(FIGURE, format="json-stat", vintage="all")).json()
    assert doc["version"] == "2.0" and doc["class"] == "dataset"
    assert len(doc["id"]) == len(doc["size"]) and set(doc["id"]) == set(doc["dimension"])
    for dim, n in zip(doc["id"], doc["size"], strict=True):
        category = doc["dimension"][dim]["category"]
        assert sorted(category["index"].values()) == list(range(n)) and set(category["label"]) == set(category["index"])
    assert len(doc["value"]) == math.prod(doc["size"])
    assert set(doc["status"].values()) <= {"estimate", "preliminary", "actual"}
    assert all(0 <= int(i) < len(doc["value"]) for i in doc["status"])
    values = sorted(v for v in doc["value"] if v is not None)
    assert values == [96.75, 97.10]
    latest = client.get(obs_url("city/iip/TOTAL", format="json-stat")).json()
    assert latest["size"][:2] == [1, len(latest["dimension"]["measure"]["category"]["index"])]


# -- observations: selection ----------------------------------------------------------------------------
def _periods(client: TestClient, **params: object) -> list[str]:
    doc = client.get(obs_url("city/iip/TOTAL", measure="level", **params)).json()
    return [o["period"] for o in doc["observations"]]


def test_from_to_last_n(client: TestClient) -> None:
    assert _periods(client) == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    assert _periods(client, **{"from": "2020-02", "to": "2020-04"}) == ["2020-02", "2020-03", "2020-04"]
    assert _periods(client, to="2020") == _periods(client)  # a year covers its months
    assert _periods(client, **{"from": "2020-Q2"}) == ["2020-04", "2020-05"]
    assert _periods(client, lastN=2) == ["2020-04", "2020-05"]
    assert_problem(client.get(obs_url("city/iip/TOTAL", **{"from": "2020-05", "to": "2020-01"})), 400)
    assert_problem(client.get(obs_url("city/iip/TOTAL", **{"from": "2020-13"})), 422)
    assert_problem(client.get(obs_url("city/iip/TOTAL", lastN=0)), 422)


def test_as_of_and_vintages(client: TestClient) -> None:
    def values(**params: object) -> list[tuple[str, float | None, str]]:
        doc = client.get(obs_url(FIGURE, **{"from": "2025-01", **params})).json()
        return [(o["released_on"], o["value"], o["status"]) for o in doc["observations"]]

    assert values() == [("2025-03-06", 97.10, "actual")]
    assert values(vintage="first") == [("2025-02-06", 96.75, "estimate")]
    assert values(vintage="all") == [("2025-02-06", 96.75, "estimate"), ("2025-03-06", 97.10, "actual")]
    assert values(as_of="2025-02-28") == [("2025-02-06", 96.75, "estimate")]
    assert values(as_of="2025-03-06") == [("2025-03-06", 97.10, "actual")]
    assert values(as_of="2025-01-01") == []
    assert_problem(client.get(obs_url(FIGURE, as_of="yesterday")), 422)
    assert_problem(client.get(obs_url(FIGURE, vintage="best")), 422)


# -- caching ---------------------------------------------------------------------------------------------
def test_etag_and_304(client: TestClient) -> None:
    first = client.get(obs_url("gso/exports/TOTAL"))
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age" in first.headers["cache-control"] and first.headers["vary"] == "Accept"
    again = client.get(obs_url("gso/exports/TOTAL"), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(obs_url("gso/exports/TOTAL"), headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(obs_url("gso/exports/TOTAL", format="csv")).headers["etag"] != etag
    listing = client.get(f"{V1}/series")
    assert client.get(f"{V1}/series", headers={"If-None-Match": listing.headers["etag"]}).status_code == 304


def test_repeated_request_does_not_touch_the_database(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setenv("VNINDUSTRY_API_RELEASE_POLL", "3600")
    client = TestClient(create_app(store))
    body = client.get(obs_url("gso/exports/TOTAL", format="csv")).content

    def no_database(*args: object, **kwargs: object) -> None:
        raise AssertionError("the database was queried")

    monkeypatch.setattr(store.engine, "connect", no_database)
    assert client.get(obs_url("gso/exports/TOTAL", format="csv")).content == body


def test_new_release_replaces_cached_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RELEASE_POLL", "0")
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.import_records(_figure(96.75, "estimate"), source="test", file="a.xlsx", checksum="a",
                         released_on=dt.date(2025, 2, 6))
    client = TestClient(create_app(store))
    assert client.get(obs_url(FIGURE)).json()["observations"][0]["value"] == 96.75
    store.import_records(_figure(97.10, "actual"), source="test", file="b.xlsx", checksum="b",
                         released_on=dt.date(2025, 3, 6))
    assert client.get(obs_url(FIGURE)).json()["observations"][0]["value"] == 97.10


# -- errors ----------------------------------------------------------------------------------------------
def test_unknown_series_says_how_to_find_codes(client: TestClient) -> None:
    doc = assert_problem(client.get(obs_url("gso/exports/NOPE")), 404)
    assert f"{V1}/series?q=" in doc["detail"] and doc["instance"].endswith("/observations")
    assert_problem(client.get(f"{V1}/series/gso/exports/NOPE"), 404)


def test_error_statuses_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/nowhere"), 404)
    assert_problem(client.get(f"{V1}/nowhere"), 404)
    r = client.post(f"{V1}/series")
    assert_problem(r, 405)
    assert r.headers["allow"] == "GET"
    assert_problem(client.get(obs_url(FIGURE, format="pdf")), 422)
    assert_problem(client.get(obs_url(FIGURE), headers={"Accept": "image/png"}), 406)
    assert client.get(obs_url(FIGURE), headers={"Accept": "text/csv;q=0.5, application/json"}).headers[
        "content-type"].startswith("application/json")
    assert client.get(obs_url(FIGURE), headers={"Accept": "text/csv"}).headers["content-type"].startswith("text/csv")


def test_too_many_rows_is_a_problem(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_MAX_ROWS", "3")
    monkeypatch.setenv("VNINDUSTRY_API_PAGE_SIZE", "4")
    client = TestClient(create_app(store))
    doc = assert_problem(client.get(obs_url("gso/exports/TOTAL")), 400)
    assert "lastN" in doc["detail"]
    page = client.get(f"{V1}/series", params={"limit": 50}).json()
    assert page["limit"] == 4 and len(page["items"]) == 4


def test_rate_limit_answers_429_with_retry_after(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "3")
    client = TestClient(create_app(store))
    assert [client.get(f"{V1}/series").status_code for _ in range(3)] == [200, 200, 200]
    r = client.get(f"{V1}/series")
    assert_problem(r, 429)
    assert int(r.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # monitors are not throttled


def test_token_bucket_refills() -> None:
    now = [0.0]
    bucket = TokenBucket(60, clock=lambda: now[0])
    assert all(bucket.take("a") == 0.0 for _ in range(60))
    assert bucket.take("a") == pytest.approx(1.0)
    assert bucket.take("b") == 0.0  # per client
    now[0] += 1.0
    assert bucket.take("a") == 0.0 and bucket.take("a") > 0


def test_every_route_answers_errors_as_problems(client: TestClient) -> None:
    """Walk app.routes: wrong methods, bad parameters and unknown codes all give problem+json."""
    app = client.app
    routes = [r for r in app.routes if isinstance(r, Route)]
    assert len(routes) >= 9
    bad_query = "limit=-1&offset=x&lastN=0&from=2020-13&to=x&as_of=never&vintage=x&format=x&lang=xx&labels=x"
    checked = 0
    allowed: dict[str, set[str]] = {}  # one path may be served by several routes (GET and POST apart)
    for route in routes:
        allowed.setdefault(route.path, set()).update(route.methods or set())
    for route in routes:
        path = (route.path.replace("{code:path}", "gso/exports/TOTAL").replace("{code}", "gso/exports/TOTAL")
                .replace("{enterprise_id}", "E1"))
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            if method not in allowed[route.path]:
                assert_problem(client.request(method, path), 405)
                checked += 1
        requests = [path + "?" + bad_query, path + "/nope/nope"]
        if "{code" in route.path:
            requests.append(route.path.replace("{code:path}", "no/such/series"))
        for url in requests:
            r = client.get(url)
            if r.status_code >= 400:
                assert_problem(r, r.status_code)
                checked += 1
            else:
                assert r.status_code == 200  # a route without those parameters ignores them
    assert checked > 3 * len(routes)


# -- config, health, docs ---------------------------------------------------------------------------------
def test_config_lists_every_setting_and_the_limits(client: TestClient) -> None:
    for path in (f"{V1}/config", "/config"):
        doc = client.get(path).json()
        names = [s["name"] for s in doc["settings"]]
        assert names == [s.name for s in settings.SETTINGS]
        for item in doc["settings"]:
            assert {"name", "value", "default", "help"} <= set(item)
        assert doc["limits"]["rate_limit_per_minute"] == 0 and doc["limits"]["max_rows"] > 0


def test_config_hides_database_passwords() -> None:
    from vnindustry.web.api import _public_value

    shown = _public_value("db", "postgresql+psycopg://stats:s3cret@db.example:5432/vnindustry")
    assert "s3cret" not in shown and "stats" in shown


def test_health_and_openapi_and_docs_without_cdn(client: TestClient) -> None:
    for path in (f"{V1}/healthz", "/healthz"):
        r = client.get(path)
        assert r.status_code == 200 and r.json()["database"] == "ok"
    spec = client.get(f"{V1}/openapi.json").json()
    assert f"{V1}/series/{{code}}/observations" in spec["paths"]
    page = client.get(f"{V1}/docs")
    assert page.status_code == 200 and "<script" not in page.text and "http" not in page.text.replace(
        "application", "")
    assert_problem(client.get(f"{V1}/redoc"), 404)


def test_healthz_reports_a_broken_database(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(store))

    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("down")

    monkeypatch.setattr(store.engine, "connect", broken)
    assert_problem(client.get("/healthz"), 503)


# -- PostgreSQL ------------------------------------------------------------------------------------------
@pytest.mark.postgres
def test_api_on_postgresql(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    build_store(pg_url)
    client = TestClient(create_app(db_url=pg_url))
    assert client.get("/healthz").json()["database"] == "ok"
    found = client.get(f"{V1}/series", params={"q": "xuat khau"}).json()
    assert "gso/exports/TOTAL" in [i["code"] for i in found["items"]]
    doc = client.get(obs_url(FIGURE, **{"from": "2025-01", "vintage": "all"})).json()
    assert [o["value"] for o in doc["observations"]] == [96.75, 97.10]
    assert client.get(obs_url(FIGURE, as_of="2025-02-28")).json()["observations"][-1]["value"] == 96.75
    assert json.loads(client.get(obs_url(FIGURE, format="json-stat")).content)["class"] == "dataset"
    client.app.state.api.store.engine.dispose()
