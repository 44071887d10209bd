"""Issue 12, item 6 on the web side: impossible periods, invalid JSON, server paths in public answers.

Each test is named after the failure it guards against. The routes are not listed here: they are walked from
the app (``app.routes``) and classified by the route matrix (tests/test_route_matrix.py), so a new route that
takes a period — in its path, or as ``period``, ``from``, ``to`` or ``as_of`` — is covered on the day it is added.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import vnindustry
from test_api import build_store
from test_route_matrix import (
    LOGIN,
    PUBLIC,
    ROUTES,
    SAMPLE,
    UNSAFE,
    Env,
    _account,
    fill,
    is_html,
    make_env,
    snapshot,
)
from vnindustry.store import Store
from vnindustry.store.compiled import store_compile
from vnindustry.web import create_app
from vnindustry.web.api import PERIOD_PARAMETERS
from vnindustry.web.formats import dumps

DATA = Path(__file__).parent / "data"
IMPOSSIBLE = ("0000-01", "9999-12", "2020-13", "1899-12", "2201-01")
IMPOSSIBLE_DATES = ("9999-12-31", "0001-01-01", "2021-02-30")


def strict_json(text: str) -> Any:
    """``json.loads`` that refuses NaN, Infinity and -Infinity (which Python's parser accepts by default)."""
    def refuse(token: str) -> Any:
        raise ValueError(f"invalid JSON token {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def matrix_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
        mp.setenv("VNINDUSTRY_LOGIN_MAX_FAILURES", "100000")
        yield make_env(f"sqlite:///{tmp_path_factory.mktemp('input') / 'store.db'}")


def period_routes(app: Any) -> list[tuple[str, str, str, str]]:
    """(method, path, parameter, "path"|"query") of every route that takes a period, from the app itself."""
    found = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        path_names = {p.name for p in route.dependant.path_params}
        query_names = {p.alias for p in route.dependant.query_params}
        for method in sorted(route.methods - {"HEAD"}):
            found += [(method, route.path, n, "path") for n in PERIOD_PARAMETERS if n in path_names]
            found += [(method, route.path, n, "query") for n in PERIOD_PARAMETERS if n in query_names]
    return found


def _request(env: Env, method: str, path: str, name: str, where: str, value: str, *, html: bool = False) -> Any:
    """``method path`` as an actor the route admits, with the CSRF token and a body, ``name`` set to ``value``."""
    entry = ROUTES[(method, path)]
    client, token = env.client(_account("anonymous" if entry.access in (PUBLIC, LOGIN) else "admin", {}))
    values = {**SAMPLE, **entry.params}
    query = dict(entry.query)
    if where == "path":
        values[name] = value
    else:
        query[name] = value
    kwargs = entry.body(env, next(env.counter)) if entry.body and method in UNSAFE else {}
    headers = {"Accept": "text/html"} if html else {}
    if token and method in UNSAFE:
        if is_html(path):
            kwargs["data"] = {**kwargs.get("data", {}), "csrf_token": token}
        else:
            headers["X-CSRF-Token"] = token
    return client.request(method, fill(path, values), params=query or None, headers=headers, **kwargs)


def test_impossible_periods_get_422_problem_on_every_route_that_takes_one(matrix_env: Env) -> None:
    """Failure: 0000-01 and 9999-12 gave 500 on /products, /trade, the portal's form, review and audit pages
    and the reports API, and 404 or 200 elsewhere. Now every route and page answers 422 problem+json naming the
    parameter, before anything else runs (so nothing is changed either)."""
    routes = period_routes(matrix_env.app)
    covered = {path for _m, path, _n, _w in routes}
    assert {"/products", "/trade", "/industries", "/bulletins/{period}.{fmt}",
            "/api/v1/series/{code:path}/observations", "/api/v1/enterprises/{enterprise_id}/reports",
            "/api/v1/review/{period}/close", "/portal/review/{period}",
            "/portal/audit", "/portal/enterprises/{enterprise_id}/reports/{period}"} <= covered
    matrix_env.client("admin")  # logged in first: a login is a session and an audit entry of its own
    before = snapshot(matrix_env.engine)
    tried = 0
    for method, path, name, where in routes:
        for value in IMPOSSIBLE + (IMPOSSIBLE_DATES if name == "as_of" else ()):
            r = _request(matrix_env, method, path, name, where, value)
            said = f"{method} {path} {name}={value}: {r.status_code} {r.text[:200]!r}"
            assert r.status_code == 422, said
            assert r.headers["content-type"].startswith("application/problem+json"), said
            doc = strict_json(r.text)
            assert doc["status"] == 422 and name in doc["detail"], said
            tried += 1
    assert tried >= 5 * len(routes) and snapshot(matrix_env.engine) == before


def test_impossible_period_problem_says_what_happened_and_the_fix(matrix_env: Env) -> None:
    """Failure: "Internal server error" (or "Invalid parameter" with a regular expression) for a typing error.
    The problem names the parameter, what is wrong with the value, and the accepted form and range."""
    client = TestClient(matrix_env.app)
    doc = strict_json(client.get("/products", params={"period": "9999-12"}).text)
    assert doc["title"] == "Impossible period"
    assert "period=9999-12" in doc["detail"] and "9999" in doc["detail"] and "1900" in doc["detail"]
    assert "YYYY-MM" in doc["detail"] and doc["errors"] == [
        {"parameter": "period", "in": "query", "message": "the year 9999 is outside 1900–2200"}]
    doc = strict_json(client.get("/api/v1/series/city/iip/TOTAL/observations", params={"as_of": "2021-02-30"}).text)
    assert doc["status"] == 422 and "as_of=2021-02-30" in doc["detail"] and "no day 30" in doc["detail"]


def test_impossible_period_on_a_portal_page_is_a_422_page_for_a_browser(matrix_env: Env) -> None:
    """The portal's pages show problems to a browser as a page: with the status, never a 500 page."""
    for method, path, name, where in period_routes(matrix_env.app):
        if is_html(path) and method == "GET":
            r = _request(matrix_env, method, path, name, where, "0000-01", html=True)
            assert r.status_code == 422, (path, r.text[:200])
            assert "0000" in r.text


def test_valid_periods_still_pass_the_period_check(matrix_env: Env) -> None:
    """The check refuses only impossible periods: the edges of the range and every accepted form pass it."""
    client = TestClient(matrix_env.app)
    for value in ("1900-01", "2200-12"):
        assert client.get("/products", params={"period": value}).status_code == 404  # no data: not refused
    for value in ("1900", "2200-Q4", "2020-06"):
        r = client.get("/api/v1/series/nothing/observations", params={"from": value})
        assert r.status_code == 404 and strict_json(r.text)["title"] == "Unknown series", value


# -- JSON ------------------------------------------------------------------------------------------------------
def test_json_writer_never_writes_nan_or_infinity() -> None:
    """Failure: /api/v1/releases emitted NaN (Python's json writes it by default; JSON has no NaN). The one
    writer turns non-finite floats — numpy's included — into null, at any depth."""
    doc = {"a": math.nan, "b": [np.float32("inf"), -math.inf, 1.5], "c": {"d": (np.float64("nan"), pd.NA, pd.NaT)},
           "e": "NaN"}
    assert strict_json(dumps(doc).decode()) == {"a": None, "b": [None, None, 1.5], "c": {"d": [None, None, None]},
                                                "e": "NaN"}


@pytest.fixture(scope="module")
def nan_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The API tests' store (a missing value among the figures) plus a release without a reference period —
    the release that made /api/v1/releases write NaN."""
    store = build_store(f"sqlite:///{tmp_path_factory.mktemp('nan') / 'store.db'}")
    store.import_records(pd.DataFrame([dict(table="iip", series="Không kỳ", code="Y", unit="%", period="2025-03",
                                            measure="level", value=math.nan, status="actual", sheet="S", cell="A1")]),
                         source="test", file="no-period.xlsx", checksum="np", released_on=dt.date(2025, 4, 6))
    return store


def test_api_releases_is_valid_json_with_a_release_without_reference_period(nan_store: Store,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Failure: a release without a reference period came out as ``"reference_period":NaN``."""
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    client = TestClient(create_app(nan_store))
    r = client.get("/api/v1/releases")
    items = strict_json(r.text)["items"]
    assert any(i["file"] == "no-period.xlsx" and i["reference_period"] is None for i in items)
    assert not re.search(r"\bnan\b", client.get("/releases").text, re.IGNORECASE)  # the page shows it empty


def test_every_json_answer_of_every_public_route_is_strict_json(nan_store: Store,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Every public GET route the route matrix knows, and every series' observations in both JSON formats,
    in both languages: each JSON answer (problems included) parses with a parser that refuses NaN."""
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    client = TestClient(create_app(nan_store))
    urls = [fill(path, {**SAMPLE, **e.params}) for (m, path), e in ROUTES.items() if m == "GET" and e.access == PUBLIC]
    every = [i["code"] for i in client.get("/api/v1/series", params={"limit": 10_000}).json()["items"]]
    # The test and city series (a missing value, two vintages) and every 25th GSO series: the writers are the
    # same for all, so this keeps the walk short.
    codes = [c for c in every if not c.startswith("gso/")] + [c for c in every if c.startswith("gso/")][::25]
    variants = (("json", "vi", "latest"), ("json", "en", "all"), ("json-stat", "vi", "all"),
                ("json-stat", "en", "latest"))
    urls += [f"/api/v1/series/{c}/observations?format={f}&lang={lang}&vintage={v}" for c in codes
             for f, lang, v in variants]
    urls += [f"/api/v1/series/{c}" for c in codes] + ["/api/v1/series?q=nan", "/api/v1/nothing"]
    parsed = 0
    for url in urls:
        r = client.get(url)
        assert r.status_code < 500, (url, r.text[:200])
        if "json" in r.headers.get("content-type", ""):
            strict_json(r.text)
            parsed += 1
    assert "test/iip/X" in codes and parsed >= len(codes) * 5


# -- provenance ----------------------------------------------------------------------------------------------
def test_public_provenance_of_a_closed_month_names_no_temporary_folder(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Failure: public provenance showed ``/tmp/vnindustry-compile-…`` — a close compiles in a temporary folder
    and the compile's records carry its path. The public sees the document's name; statisticians the path."""
    from vnindustry.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    with tempfile.TemporaryDirectory(prefix="vnindustry-compile-2020-05-") as tmp:
        folder = Path(tmp) / "compile-2020-05"
        import shutil

        shutil.copytree(DATA / "ppi_manual", folder)
        store_compile(store, vnindustry.compile_dataset(folder), released_on=dt.date(2020, 6, 10))
    assert store.observations(keys=["city/iip/TOTAL"])["provenance"].str.contains("vnindustry-compile-").all()
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    client = TestClient(create_app(store))
    for url in ("/api/v1/series/city/iip/TOTAL/observations", "/api/v1/series/city/iip/TOTAL/observations?format=csv",
                "/api/v1/series/city/iip/TOTAL/observations?format=sdmx-csv&labels=both",
                "/api/v1/series/city/iip/TOTAL/observations?format=json-stat", "/api/v1/releases", "/releases",
                "/calendar", "/industries"):
        text = client.get(url).text
        assert "vnindustry-compile-" not in text and "/tmp" not in text, url
    obs = client.get("/api/v1/series/city/iip/TOTAL/observations").json()["observations"]
    assert {o["provenance"] for o in obs} == {"compile-2020-05"}


def test_problem_titles_say_what_happened_not_a_generic_status(nan_store: Store,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Failure: titles such as "Bad request" or "Unknown period" for a month that simply has no figures. Each
    public problem's title names what happened; a month without figures is "No data" wherever it is asked."""
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    client = TestClient(create_app(nan_store))
    cases = {
        "/api/v1/series/test/iip/X/observations?from=2025-02&to=2025-01": "Period range reversed",
        "/api/v1/series/nothing/here/observations": "Unknown series",
        "/api/v1/series/test/iip/X/observations?from=0000-01": "Impossible period",
        "/bulletins/2031-01.md?source=city": "No data",
        "/products?period=2031-01&source=city": "No data",
        "/trade?period=2031-01&source=gso": "No data",
    }
    for url, title in cases.items():
        doc = strict_json(client.get(url).text)
        assert doc["title"] == title, (url, doc)
        assert doc["title"] not in ("Bad request", "Error", "Internal server error"), url
