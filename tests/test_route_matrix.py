"""Every route tried as every role, with and without the CSRF token (issue 6).

The app's routes are walked (``app.routes``) and each one must be declared in :data:`ROUTES` with its access
class; a route the table does not know fails :func:`test_every_route_is_classified` with the line to add.
Each declared route is then tried as anonymous, as an enterprise (its own enterprise and another one, where
the path has ``enterprise_id``), as a statistician and as an admin, and an unsafe method (POST, PUT, PATCH,
DELETE) also without and with a forged CSRF token:

- anonymous → 401 problem+json on the JSON API, a 303 to ``/portal/login`` on the HTML pages (``/portal``);
- a role the class does not admit → 403;
- an unsafe request without the session's CSRF token (header ``X-CSRF-Token`` on the API, hidden form field
  ``csrf_token`` on the HTML pages) → 403;
- every refused unsafe request changes NOTHING: the rows of reports, report_lines, audit_log, users and
  month_closures and the number of sessions are the same before and after;
- an admitted role with the token → neither 401 nor 403 (a 404/409/422 on the sample is fine: the door
  opened), and for an unsafe route at least one admitted request succeeds (2xx or 303) — each write has
  an item of its own to change, so a missing CSRF check would have shown as a changed store.

Also: SQL-injection strings in every path parameter and in the login fields are refused cleanly (4xx
problem+json, never 500, nothing changed), and an oversized JSON body to every unsafe API route → 413, 415
or 422, never 500. The matrix runs on SQLite, and once on PostgreSQL (marker ``postgres``).

To classify a new route, add a line to :data:`ROUTES` (the failing test prints it). For example the admin
routes and the HTML portal pages being written (not yet registered by ``create_app`` when this was written)::

    ("GET", "/api/v1/admin/users"): Entry(ADMIN),
    ("POST", "/api/v1/admin/users"): Entry(ADMIN, body=lambda env, n: {"json": {"username": f"new{n}", ...}}),
    ("POST", "/api/v1/admin/users/{username}/deactivate"): Entry(ADMIN, params={"username": "e2"}),
    ("GET", "/portal/login"): Entry(PUBLIC),
    ("POST", "/portal/login"): Entry(LOGIN, csrf=False, body=...),       # double-submit token, not a session's
    ("GET", "/portal/enterprises/{enterprise_id}/reports/{period}"): Entry(OWN),
    ("POST", "/portal/enterprises/{enterprise_id}/reports/{period}"): Entry(OWN, body=lambda env, n: {"data": {
        "quantity-P1": str(1 + n / 1000)}}),                           # csrf_token is added (or not) here
    ("GET", "/portal/review/{period}"): Entry(REVIEWER),

A path under ``/portal`` is taken as an HTML page: anonymous → 303 to the login page, CSRF in the form field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from starlette.routing import Mount

from builders import PORTAL_PASSWORD, add_portal_admin, portal_store
from vnindustry.portal import excel, review
from vnindustry.portal.accounts import add_user
from vnindustry.portal.reports import submit_report
from vnindustry.store.repository import today_in_vietnam
from vnindustry.web import create_app

# -- access classes ------------------------------------------------------------------------------------------
PUBLIC = "public"  # anyone, anonymous included (the data API and the dashboard)
LOGIN = "login"  # the login itself: anonymous may (and must be able to) post it; no session, so no CSRF
USER = "any logged-in user"
OWN = "own enterprise"  # an enterprise account its own enterprise only; statisticians and admins any
REVIEWER = "statistician|admin"
ADMIN = "admin"

ACTORS = ("anonymous", "enterprise", "other enterprise", "statistician", "admin")
ADMITS: dict[str, set[str]] = {
    PUBLIC: set(ACTORS), LOGIN: set(ACTORS),
    USER: {"enterprise", "other enterprise", "statistician", "admin"},
    OWN: {"enterprise", "statistician", "admin"},
    REVIEWER: {"statistician", "admin"},
    ADMIN: {"admin"},
}
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROTECTED = ("/api/v1/auth", "/api/v1/enterprises", "/api/v1/review", "/api/v1/admin", "/portal")
ACCOUNTS = {"E1": "e1", "E2": "e2"}  # enterprise → its account (builders.portal_store)

# Path parameters: one sample each (an entry may override them).
SAMPLE = {"enterprise_id": "E1", "period": "2020-06", "product": "P1", "username": "e2",
          "code": "city/iip/TOTAL", "fmt": "md"}
SLIP = {"period": "2020-06", "enterprise_id": "E2", "product": "P2"}  # a confirmed ×1000 slip: in the queue


def _ahead(days: int) -> str:
    """A publication date ``days`` ahead of Vietnam's today (issue 12: a close or revision may not be dated
    in the past)."""
    import datetime as dt

    return (today_in_vietnam() + dt.timedelta(days=days)).isoformat()


@dataclass
class Env:
    """The store, its app, the template to upload, and a logged-in client per actor (made on first use)."""

    app: Any
    engine: Engine
    template: bytes
    counter: Iterator[int] = field(default_factory=itertools.count)
    clients: dict[str, tuple[TestClient, str]] = field(default_factory=dict)

    def client(self, username: str | None) -> tuple[TestClient, str]:
        """(client, CSRF token) of ``username`` (None: anonymous, no token)."""
        if username is None:
            return TestClient(self.app, follow_redirects=False), ""
        if username not in self.clients:
            client = TestClient(self.app, follow_redirects=False)
            r = client.post("/api/v1/auth/login", json={"username": username, "password": PORTAL_PASSWORD})
            assert r.status_code == 200, r.text
            self.clients[username] = (client, r.json()["csrf_token"])
        return self.clients[username]


# -- request bodies (``n`` makes each one new, so a write that slipped through would show) -------------------
def _report(env: Env, n: int) -> dict[str, Any]:
    return {"json": {"period": "2020-06", "lines": [{"product": "P1", "quantity": 1 + n / 1000}]}}


def _upload(env: Env, n: int) -> dict[str, Any]:
    wb = openpyxl.load_workbook(io.BytesIO(env.template))
    wb[excel.SHEET][f"{excel.LETTER['quantity']}{excel.FIRST_ROW + 1}"] = 1 + n / 1000
    out = io.BytesIO()
    wb.save(out)
    return {"files": {"file": ("bao-cao.xlsx", out.getvalue(), excel.MEDIA_TYPE)}}


@dataclass(frozen=True)
class Entry:
    """A route's access class; for an unsafe method the body of a request that would change something."""

    access: str
    body: Callable[[Env, int], dict[str, Any]] | None = None  # TestClient.request keyword arguments
    params: dict[str, str] = field(default_factory=dict)  # path parameters other than SAMPLE's
    query: dict[str, str] = field(default_factory=dict)
    csrf: bool = True  # an unsafe method checks the session's CSRF token
    ends_session: bool = False  # the admitted request ends the client's session (logout; login replaces it)
    multipart: bool = False
    login_form: bool = False  # the HTML login: GET the form first for its double-submit login_token


def _form_report(env: Env, n: int) -> dict[str, Any]:
    return {"data": {"lang": "en", "q.P1": f"{1 + n / 1000}", "c.P1": ""}}


def _form_upload(env: Env, n: int) -> dict[str, Any]:
    return {**_upload(env, n), "data": {"lang": "en"}}


ROUTES: dict[tuple[str, str], Entry] = {
    # the data API and the dashboard: public
    ("GET", "/api/v1/openapi.json"): Entry(PUBLIC),
    ("GET", "/api/v1/docs"): Entry(PUBLIC),
    ("GET", "/api/v1/series"): Entry(PUBLIC),
    ("GET", "/api/v1/series/{code:path}/observations"): Entry(PUBLIC),
    ("GET", "/api/v1/series/{code:path}"): Entry(PUBLIC),
    ("GET", "/api/v1/releases"): Entry(PUBLIC),
    ("GET", "/api/v1/config"): Entry(PUBLIC),
    ("GET", "/api/v1/healthz"): Entry(PUBLIC),
    ("GET", "/config"): Entry(PUBLIC),
    ("GET", "/healthz"): Entry(PUBLIC),
    ("GET", "/"): Entry(PUBLIC),
    ("GET", "/industries"): Entry(PUBLIC),
    ("GET", "/about"): Entry(PUBLIC),
    ("GET", "/releases"): Entry(PUBLIC),
    ("GET", "/products"): Entry(PUBLIC),
    ("GET", "/trade"): Entry(PUBLIC),
    ("GET", "/bulletins"): Entry(PUBLIC),
    ("GET", "/bulletins/{period}.{fmt}"): Entry(PUBLIC, params={"period": "2020-05"}),
    ("GET", "/calendar"): Entry(PUBLIC),
    ("GET", "/competitiveness"): Entry(PUBLIC),
    ("GET", "/key-products"): Entry(PUBLIC),
    ("GET", "/api/v1/trade/rca"): Entry(PUBLIC),
    ("GET", "/api/v1/key-products"): Entry(PUBLIC),
    ("GET", "/suppliers"): Entry(PUBLIC),  # issue 14: the consenting suppliers' directory
    ("GET", "/api/v1/suppliers"): Entry(PUBLIC),
    ("GET", "/linkage/outcomes"): Entry(PUBLIC),  # issue 14: the events' outcomes, aggregates only
    ("GET", "/api/v1/linkage/outcomes"): Entry(PUBLIC),
    ("MOUNT", "/static"): Entry(PUBLIC),
    # the portal's JSON API
    ("POST", "/api/v1/auth/login"): Entry(LOGIN, csrf=False, ends_session=True, body=lambda env, n: {
        "json": {"username": "e1", "password": PORTAL_PASSWORD}}),
    ("POST", "/api/v1/auth/logout"): Entry(USER, ends_session=True),
    ("GET", "/api/v1/auth/me"): Entry(USER),
    ("GET", "/api/v1/enterprises/{enterprise_id}/reports"): Entry(OWN),
    ("POST", "/api/v1/enterprises/{enterprise_id}/reports"): Entry(OWN, body=_report),
    ("GET", "/api/v1/enterprises/{enterprise_id}/reports/template.xlsx"): Entry(OWN, query={"period": "2020-06"}),
    ("POST", "/api/v1/enterprises/{enterprise_id}/reports/upload"): Entry(OWN, body=_upload, multipart=True),
    ("GET", "/api/v1/review/audit"): Entry(REVIEWER),
    ("GET", "/api/v1/review/{period}/response"): Entry(REVIEWER),
    ("GET", "/api/v1/review/{period}/queue"): Entry(REVIEWER),
    ("POST", "/api/v1/review/{period}/queue/{enterprise_id}/{product}/accept"): Entry(
        REVIEWER, params=SLIP, body=lambda env, n: {"json": {"note": f"checked with the enterprise ({n})"}}),
    ("POST", "/api/v1/review/{period}/queue/{enterprise_id}/{product}/correct"): Entry(
        REVIEWER, params=SLIP, body=lambda env, n: {"json": {"quantity": 1 + n / 1000, "reason": "kg, not tấn"}}),
    ("POST", "/api/v1/review/{period}/close"): Entry(REVIEWER, params={"period": "2020-04"}, body=lambda env, n: {
        "json": {"publish_on": _ahead(30), "force": True, "reason": "test", "skip": [
            {"period": p, "reason": "history"} for p in review.months_to_skip(env.engine, "2020-04")]}}),
    # issue 15: EVFTA rules of origin — public, nothing stored (a POST computes an answer, so no CSRF)
    ("GET", "/origin"): Entry(PUBLIC),
    ("GET", "/origin/guide"): Entry(PUBLIC),
    ("POST", "/origin"): Entry(PUBLIC, csrf=False, body=lambda env, n: {"data": {
        "hs": "850152", "ex_works": "100", "bom": f"material,hs,value,origin\nstator,850390,{10 + n % 50},CN\n"}}),
    ("POST", "/api/v1/origin/check"): Entry(PUBLIC, csrf=False, body=lambda env, n: {"json": {
        "hs": "850152", "ex_works": 100, "bom": [{"material": "stator", "hs": "850390", "value": 10 + n % 50,
                                                  "origin": "CN"}]}}),
    ("GET", "/api/v1/origin/rules"): Entry(PUBLIC, query={"hs": "850152"}),
    ("GET", "/api/v1/origin/report"): Entry(PUBLIC),
    # the portal's HTML pages (anonymous → 303 to /portal/login; the CSRF token in the form field csrf_token)
    ("GET", "/portal"): Entry(USER),
    ("GET", "/portal/login"): Entry(PUBLIC),
    ("POST", "/portal/login"): Entry(LOGIN, csrf=False, ends_session=True, login_form=True, body=lambda env, n: {
        "data": {"username": "e1", "password": PORTAL_PASSWORD}}),
    ("POST", "/portal/logout"): Entry(USER, ends_session=True, body=lambda env, n: {"data": {"lang": "vi"}}),
    ("GET", "/portal/enterprises/{enterprise_id}"): Entry(OWN),
    ("GET", "/portal/enterprises/{enterprise_id}/reports/{period}"): Entry(OWN),
    ("POST", "/portal/enterprises/{enterprise_id}/reports/{period}"): Entry(OWN, body=_form_report),
    ("POST", "/portal/enterprises/{enterprise_id}/reports/{period}/upload"): Entry(OWN, body=_form_upload),
    ("GET", "/portal/enterprises/{enterprise_id}/reports/{period}/receipt"): Entry(OWN),
    # issue 14: the enterprise's supplier profile, needs and matches (each admitted save a new version)
    ("GET", "/portal/enterprises/{enterprise_id}/profile"): Entry(OWN),
    ("POST", "/portal/enterprises/{enterprise_id}/profile"): Entry(OWN, body=lambda env, n: {"data": {
        "hs": "7616", "process": "die_casting", "description": f"phiên bản {n}", "consent": "1", "lang": "en"}}),
    ("GET", "/portal/enterprises/{enterprise_id}/needs"): Entry(OWN),
    ("POST", "/portal/enterprises/{enterprise_id}/needs"): Entry(OWN, body=lambda env, n: {"data": {
        "title": f"Chi tiết {n}", "hs": "7616", "volume": "100", "lang": "en"}}),
    ("GET", "/portal/enterprises/{enterprise_id}/needs/{need}"): Entry(OWN, params={"need": "E1-N001"}),
    ("GET", "/portal/enterprises/{enterprise_id}/matched"): Entry(OWN),
    ("GET", "/portal/linkage/localisation"): Entry(REVIEWER),  # buyers' localisation: office only
    ("GET", "/portal/enterprises/{enterprise_id}/events"): Entry(OWN),
    ("GET", "/portal/linkage/needs"): Entry(REVIEWER),  # issue 14: the officers' brokering
    ("POST", "/portal/linkage/needs/{need}/introduce"): Entry(REVIEWER, params={"need": "E1-N001"},
                                                              body=lambda env, n: {"data": {
        "supplier": "E1", "withdraw": "1" if n % 2 else "", "lang": "en"}}),
    ("POST", "/portal/enterprises/{enterprise_id}/events/{event}/requests"): Entry(OWN, params={"event": "UP"},
                                                                                 body=lambda env, n: {"data": {
        "other": "S3", "priority": str(1 + n % 3), "lang": "en"}}),
    ("POST", "/portal/enterprises/{enterprise_id}/events/{event}/outcomes"): Entry(OWN, params={"event": "PAST"},
                                                                                 body=lambda env, n: {"data": {
        "other": "S1", "stage": "meeting", "result": "information", "po_value": str(n), "lang": "en"}}),
    ("POST", "/portal/enterprises/{enterprise_id}/events/{event}/register"): Entry(OWN, params={"event": "UP"},
                                                                                 body=lambda env, n: {"data": {
        "role": "supplier", "language": "vi" if n % 2 else "en", "lang": "en"}}),
    # issue 14, item 6: connection requests (the enterprise's; the officers record the banks' answers)
    ("GET", "/portal/enterprises/{enterprise_id}/connect"): Entry(OWN),
    ("POST", "/portal/enterprises/{enterprise_id}/connect"): Entry(OWN, body=lambda env, n: {"data": {
        "kind": "association", "sector": "food", "purpose": f"lần {n}", "lang": "en"}}),
    ("POST", "/portal/enterprises/{enterprise_id}/connect/{request_code}/withdraw"): Entry(
        OWN, params={"request_code": "E1-C2"},
                                                                                  body=lambda env, n: {"data": {
        "lang": "en"}}),
    ("GET", "/portal/linkage/connect"): Entry(REVIEWER),
    ("POST", "/portal/linkage/connect/{request_code}/steps"): Entry(REVIEWER, params={"request_code": "E1-C1"},
                                                            body=lambda env, n: {"data": {
        "to": "L1", "status": "disbursed", "amount": str(1000 + n), "lang": "en"}}),
    # the statisticians' pages
    ("GET", "/portal/review"): Entry(REVIEWER),
    ("GET", "/portal/review/{period}"): Entry(REVIEWER),
    ("POST", "/portal/review/{period}/accept"): Entry(REVIEWER, params={"period": "2020-06"}, body=lambda env, n: {
        "data": {"lang": "en", "enterprise": "E3", "product": "P3", "note": f"checked ({n})"}}),
    ("POST", "/portal/review/{period}/correct"): Entry(REVIEWER, params={"period": "2020-06"}, body=lambda env, n: {
        "data": {"lang": "en", "enterprise": "E3", "product": "P3", "quantity": f"{1 + n / 1000}",
                 "reason": "kg, not tấn"}}),
    ("POST", "/portal/review/{period}/close"): Entry(REVIEWER, params={"period": "2020-05"}, body=lambda env, n: {
        "data": {"lang": "en", "publish_on": _ahead(31), "force": "1", "reason": "test", "skip": "1",
                 "skip_reason": "history", "skip_months": " ".join(review.months_to_skip(env.engine, "2020-05"))}}),
    ("POST", "/portal/review/{period}/revise"): Entry(REVIEWER, params={"period": "2020-04"}, body=lambda env, n: {
        "data": {"lang": "en", "publish_on": _ahead(40), "reason": f"late reports ({n})"}}),
    ("GET", "/portal/audit"): Entry(REVIEWER),
    ("POST", "/api/v1/review/{period}/revise"): Entry(REVIEWER, params={"period": "2020-04"}, body=lambda env, n: {
        "json": {"publish_on": _ahead(40), "reason": f"late reports ({n})"}}),
    # the admins' routes and pages (the target account "spare" is no actor's, so the actors stay logged in)
    ("GET", "/api/v1/admin/users"): Entry(ADMIN),
    ("POST", "/api/v1/admin/users"): Entry(ADMIN, body=lambda env, n: {"json": {
        "username": f"new{n}", "password": PORTAL_PASSWORD, "role": "statistician"}}),
    ("POST", "/api/v1/admin/users/{username}/deactivate"): Entry(ADMIN, params={"username": "spare"}),
    ("POST", "/api/v1/admin/users/{username}/reactivate"): Entry(ADMIN, params={"username": "spare"}),
    ("POST", "/api/v1/admin/users/{username}/reset-password"): Entry(ADMIN, params={"username": "spare"},
                                                                     body=lambda env, n: {"json": {
                                                                         "password": f"a new password {n}"}}),
    ("GET", "/portal/admin/users"): Entry(ADMIN),
    ("POST", "/portal/admin/users"): Entry(ADMIN, body=lambda env, n: {"data": {
        "lang": "en", "username": f"page{n}", "role": "statistician", "password": PORTAL_PASSWORD,
        "password2": PORTAL_PASSWORD}}),
    ("POST", "/portal/admin/users/{username}/deactivate"): Entry(ADMIN, params={"username": "spare"},
                                                                 body=lambda env, n: {"data": {"lang": "en"}}),
    ("POST", "/portal/admin/users/{username}/reactivate"): Entry(ADMIN, params={"username": "spare"},
                                                                 body=lambda env, n: {"data": {"lang": "en"}}),
    ("POST", "/portal/admin/users/{username}/reset-password"): Entry(ADMIN, params={"username": "spare"},
                                                                     body=lambda env, n: {"data": {
                                                                         "lang": "en",
                                                                         "password": f"a new password {n}"}}),
}

# Routes found answering a role they should not: {(method, path): "BUG: ..."} (xfail, strict).
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# -- walking the app -----------------------------------------------------------------------------------------
def app_routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) the app answers; HEAD only where it is not GET's shadow; a mount as MOUNT."""
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            found.append(("MOUNT", route.path))
            continue
        methods = set(getattr(route, "methods", None) or ())
        if "GET" in methods:
            methods.discard("HEAD")
        found += [(m, route.path) for m in sorted(methods)]
    return found


def _suggest(method: str, path: str) -> str:
    if not path.startswith(PROTECTED):
        return f'    ("{method}", "{path}"): Entry(PUBLIC),'
    hint = "OWN" if "{enterprise_id}" in path else "REVIEWER or ADMIN or USER"
    body = ", body=lambda env, n: {...}" if method in UNSAFE else ""
    return f'    ("{method}", "{path}"): Entry({hint}{body}),'


def is_html(path: str) -> bool:
    return path == "/portal" or path.startswith("/portal/")


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: quote(values[m.group(1)], safe="/"), path)


def snapshot(engine: Engine) -> dict[str, str]:
    """What a refused request must not change: a digest of each table's rows, and the number of sessions."""
    out = {}
    with engine.connect() as conn:
        for table in ("reports", "report_lines", "audit_log", "users", "month_closures"):
            # (issue 12: a refused login is audited by design; account events have no month, period "")
            where = " WHERE period <> ''" if table == "audit_log" else ""
            rows = conn.execute(text(f"SELECT * FROM {table}{where} ORDER BY id")).all()
            out[table] = f"{len(rows)} rows, " + hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
        out["sessions"] = str(conn.execute(text("SELECT count(*) FROM sessions")).scalar_one())
    return out


def make_env(url: str) -> Env:
    store = portal_store(url)
    add_portal_admin(store)
    add_user(store.engine, "spare", PORTAL_PASSWORD, "statistician")  # the admin routes' target
    review.import_tree(store, Path(__file__).parent / "data" / "ppi_manual")  # so a month can be closed
    # A confirmed ×1000 slip (E2, P2, 2020-06): an open item in the review queue, to accept and correct.
    submit_report(store.engine, "E2", "2020-06", [{"product": "P2", "quantity": 1200.0,
                                                  "comment": "kg, not tấn — confirmed"}],
                  submitted_by="e2", confirmations=["P2"])
    # A second one (E3, P3) for the HTML review forms, so each route has an item of its own to decide.
    submit_report(store.engine, "E3", "2020-06", [{"product": "P3", "quantity": 2000.0,
                                                  "comment": "kg, not tấn — confirmed"}],
                  submitted_by="e3", confirmations=["P3"])
    # Issue 14: E1 buys at an event ahead (requests open) and met at a past one (outcomes to report).
    from builders import event_folder
    from vnindustry.linkage.schedule import schedule
    from vnindustry.linkage.stored_events import import_event_folder, load_event

    base = Path(url.split(":///", 1)[1]).parent if url.startswith("sqlite:///") else Path(tempfile.mkdtemp())
    import_event_folder(store.engine, event_folder(base / "event-up", "UP", "2099-05-21", {"B1": "E1"}))
    past = event_folder(base / "event-past", "PAST", "2026-05-21", {"B1": "E1"})
    import_event_folder(store.engine, past)
    import_event_folder(store.engine, past, schedule(load_event(store.engine, "PAST")[0]))  # type: ignore[index]
    # … and E1 has a supplier profile and a need, for the officers' brokering (introduce E1 to its own need).
    from vnindustry.store.linkage import save_needs, save_profiles

    save_profiles(store.engine, [{"enterprise": "E1", "consent": True, "data": {"hs": ["7616"]}}], created_by="t")
    save_needs(store.engine, [{"code": "E1-N001", "buyer": "E1", "status": "open", "data": {"title": "x"}}],
               created_by="t")
    # … and two connection requests of E1: C1 approved by L1 (for the officers' disbursements), C2 to withdraw.
    from vnindustry.linkage.connect import Package, Request, Status
    from vnindustry.linkage.stored_connect import import_requests, save_packages

    save_packages(store.engine, [Package("L1", "Ngân hàng A", "Gói", frozenset({"mechanical"}), 1.0, 1e12, 120)],
                  created_by="t")
    import_requests(store.engine, [Request(c, "E1", "credit", "mechanical", 1e9, 24) for c in ("E1-C1", "E1-C2")],
                    [Status("E1-C1", dt.date(2026, 1, 5), "approved", "L1")], created_by="t", on=dt.date(2026, 1, 2))
    return Env(create_app(store), store.engine, excel.template(store.engine, "E1", "2020-06"))


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
        mp.setenv("VNINDUSTRY_LOGIN_MAX_FAILURES", "100000")  # the injection logins must not throttle the rest
        yield make_env(f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'store.db'}")


# -- the checks ----------------------------------------------------------------------------------------------
def _account(actor: str, values: dict[str, str]) -> str | None:
    if actor == "anonymous":
        return None
    if actor in ("statistician", "admin"):
        return {"statistician": "stat", "admin": "admin"}[actor]
    own = values.get("enterprise_id", "E1")
    own_account = ACCOUNTS.get(own, "e1")
    if actor == "enterprise":
        return own_account
    return next(a for a in ACCOUNTS.values() if a != own_account)


def _send(env: Env, method: str, path: str, entry: Entry, client: TestClient, token: str | None
          ) -> Any:
    """One request; ``token``: the CSRF token to send (None: none)."""
    values = {**SAMPLE, **entry.params}
    url = fill(path, values)
    if method == "MOUNT":
        return client.get(f"{url}/portal.js")
    kwargs = entry.body(env, next(env.counter)) if entry.body and method in UNSAFE else {}
    headers = {}
    if entry.login_form:  # the form's token, from a fresh browser (a logged-in one is sent past the form)
        fresh = TestClient(env.app, follow_redirects=False)
        page = fresh.get("/portal/login")
        found = re.search(r'name="login_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="login_token"', page.text)
        assert found, f"no login_token in the login form: {page.status_code} {page.text[:300]!r}"
        kwargs["data"] = {**kwargs.get("data", {}), "login_token": found.group(1) or found.group(2)}
        for cookie in fresh.cookies.jar:
            client.cookies.set(cookie.name, cookie.value or "", domain=cookie.domain, path=cookie.path)
    if token is not None:
        if is_html(path):
            kwargs["data"] = {**kwargs.get("data", {}), "csrf_token": token}
        else:
            headers["X-CSRF-Token"] = token
    if is_html(path):
        headers["Accept"] = "text/html"
    return client.request("GET" if method == "MOUNT" else method, url, params=entry.query or None,
                          headers=headers, **kwargs)


def _where(method: str, path: str, actor: str, how: str, r: Any) -> str:
    return f"{method} {path} as {actor} ({how}): {r.status_code} {r.text[:200]!r}"


def check_route(env: Env, method: str, path: str) -> None:
    """Try ``method path`` as every actor, with and without the CSRF token; assert the access class."""
    entry = ROUTES[(method, path)]
    values = {**SAMPLE, **entry.params}
    admitted = ADMITS[entry.access]
    unsafe = method in UNSAFE
    statuses: list[int] = []
    for actor in ACTORS:
        username = _account(actor, values)
        client, token = env.client(username)
        if actor not in admitted:
            before = snapshot(env.engine)
            tries = [("with CSRF", token or None)] + ([("no CSRF", None)] if unsafe and username else [])
            for how, sent in tries:
                r = _send(env, method, path, entry, client, sent)
                if username is None:
                    if is_html(path):
                        assert r.status_code == 303, _where(method, path, actor, how, r)
                        assert r.headers["location"].split("?")[0].endswith("/portal/login"), r.headers["location"]
                    else:
                        assert r.status_code == 401, _where(method, path, actor, how, r)
                        assert r.headers["content-type"].startswith("application/problem+json")
                else:
                    assert r.status_code == 403, _where(method, path, actor, how, r)
            if unsafe:
                assert snapshot(env.engine) == before, f"{method} {path} as {actor}: refused, yet the store changed"
            continue
        if unsafe and entry.csrf and username is not None:
            before = snapshot(env.engine)
            for how, sent in (("no CSRF", None), ("forged CSRF", "forged-" + token[:8])):
                r = _send(env, method, path, entry, client, sent)
                assert r.status_code == 403, _where(method, path, actor, how, r)
            assert snapshot(env.engine) == before, f"{method} {path} as {actor} without CSRF changed the store"
        r = _send(env, method, path, entry, client, token or None)
        assert r.status_code not in (401, 403), _where(method, path, actor, "admitted, with CSRF", r)
        assert r.status_code < 500, _where(method, path, actor, "admitted, with CSRF", r)
        statuses.append(r.status_code)
        if entry.ends_session and username is not None:
            env.clients.pop(username, None)  # logged out: log in again on next use
    # A write that never goes through would make the refusals above prove nothing: at least one admitted
    # request must succeed, so the same request without the token would have changed the store.
    if unsafe and entry.csrf:
        assert set(statuses) & {200, 201, 204, 303}, f"{method} {path}: no admitted request succeeded {statuses}"


# -- the tests -----------------------------------------------------------------------------------------------
def test_every_route_is_classified(sqlite_env: Env) -> None:
    """A route the table does not know fails here, with the line to add to ROUTES."""
    present = app_routes(sqlite_env.app)
    missing = [key for key in present if key not in ROUTES]
    assert not missing, ("routes not in tests/test_route_matrix.py ROUTES; classify them (PUBLIC, LOGIN, USER, "
                         "OWN, REVIEWER, ADMIN):\n" + "\n".join(_suggest(*key) for key in missing))
    stale = [key for key in ROUTES if key not in present]
    assert not stale, f"ROUTES lists routes the app does not have (renamed or removed?): {stale}"
    assert len(present) == len(set(present))


def _cases() -> list[Any]:
    return [pytest.param(key, id=f"{key[0]} {key[1]}",
                         marks=[pytest.mark.xfail(reason=KNOWN_BUGS[key], strict=True)] if key in KNOWN_BUGS else [])
            for key in ROUTES]


@pytest.mark.parametrize("key", _cases())
def test_route_as_every_role(sqlite_env: Env, key: tuple[str, str]) -> None:
    if key not in app_routes(sqlite_env.app):
        pytest.fail(f"{key} is in ROUTES but not in the app")
    check_route(sqlite_env, *key)


def test_login_refuses_a_form_post_and_anonymous_may_log_in(sqlite_env: Env) -> None:
    """Login has no session to hold a CSRF token: its defence is JSON only (a cross-site HTML form → 415)."""
    anonymous = TestClient(sqlite_env.app)
    before = snapshot(sqlite_env.engine)
    r = anonymous.post("/api/v1/auth/login", data={"username": "e1", "password": PORTAL_PASSWORD})
    assert r.status_code == 415
    assert snapshot(sqlite_env.engine) == before


INJECTIONS = ["' OR '1'='1", "1; DROP TABLE users; --", "E1' UNION SELECT password_hash FROM users --",
              '" OR 1=1 --', "E1\x00", "%' OR 1=1 --", "E1'); DELETE FROM reports; --", "\\'; --"]


def check_injections(env: Env) -> int:
    """SQL in every path parameter (as an actor the route admits) and in the login fields: a clean 4xx."""
    before = snapshot(env.engine)
    tried = 0
    for (method, path), entry in ROUTES.items():
        names = [m.group(1) for m in re.finditer(r"\{(\w+)(:\w+)?\}", path)]
        if method == "MOUNT" or not names:
            continue
        actor = "anonymous" if entry.access in (PUBLIC, LOGIN) else "admin"
        client, token = env.client(_account(actor, {}))
        for name, attack in itertools.product(names, INJECTIONS):
            values = {**SAMPLE, **entry.params, name: attack}
            url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m, v=values: quote(v[m.group(1)], safe=""), path)
            kwargs = entry.body(env, next(env.counter)) if entry.body and method in UNSAFE else {}
            headers = {"X-CSRF-Token": token} if token else {}
            r = client.request(method, url, params=entry.query or None, headers=headers, **kwargs)
            where = f"{method} {url}: {r.status_code} {r.text[:200]!r}"
            assert 400 <= r.status_code < 500, where
            if not is_html(path):
                assert r.headers["content-type"].startswith("application/problem+json"), where
            tried += 1
    anonymous = TestClient(env.app)
    for attack in INJECTIONS:
        for body in ({"username": attack, "password": PORTAL_PASSWORD}, {"username": "e1", "password": attack},
                     {"username": attack, "password": attack}):
            r = anonymous.post("/api/v1/auth/login", json=body)
            assert r.status_code in (401, 422), f"login {body!r}: {r.status_code} {r.text[:200]!r}"
            assert r.headers["content-type"].startswith("application/problem+json")
            assert "set-cookie" not in r.headers
            tried += 1
    assert snapshot(env.engine) == before
    r = anonymous.post("/api/v1/auth/login", json={"username": "e1", "password": PORTAL_PASSWORD})
    assert r.status_code == 200  # the accounts are all still there
    return tried


def test_sql_injection_is_refused_cleanly(sqlite_env: Env) -> None:
    assert check_injections(sqlite_env) > 100


BIG = 3 * 1024 * 1024  # over the upload's 2 MB limit, far over any report


def check_oversized(env: Env) -> int:
    """An oversized JSON body to every unsafe API route, as an admitted actor with the token: 413 (the app's
    ceiling, web/limits.py), and an oversized multipart upload: 413."""
    tried = 0
    for (method, path), entry in ROUTES.items():
        if method not in UNSAFE or is_html(path):
            continue
        actor = "anonymous" if entry.access in (PUBLIC, LOGIN) else "admin"
        client, token = env.client(_account(actor, {}))
        url = fill(path, {**SAMPLE, **entry.params})
        headers = {"Content-Type": "application/json", **({"X-CSRF-Token": token} if token else {})}
        big_list = json.dumps([{"product": "P1", "quantity": 1.0}] * (BIG // 32))
        big_doc = json.dumps({"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.0}] * (BIG // 32),
                              "note": "x" * BIG, "reason": "x" * BIG, "username": "x" * BIG,
                              "password": "x" * BIG, "quantity": 1.0, "publish_on": "2020-05-06"})
        before = snapshot(env.engine)
        for content in (big_list, big_doc):
            r = client.request(method, url, content=content.encode(), headers=headers)
            where = f"{method} {url} ({len(content)} bytes): {r.status_code} {r.text[:200]!r}"
            # Over the app's ceiling (setting max_body_bytes): 413 before any route reads it, whatever the route.
            assert r.status_code == 413, where
            assert r.headers["content-type"].startswith("application/problem+json"), where
            tried += 1
        if entry.multipart:
            r = client.request(method, url, files={"file": ("big.xlsx", b"\0" * BIG, excel.MEDIA_TYPE)},
                               headers={"X-CSRF-Token": token})
            assert r.status_code == 413, f"{method} {url} multipart {BIG} bytes: {r.status_code} {r.text[:200]!r}"
            tried += 1
        if entry.body is not None:
            assert snapshot(env.engine) == before, f"{method} {path}: an oversized body changed the store"
    return tried


def test_oversized_bodies_are_refused(sqlite_env: Env) -> None:
    assert check_oversized(sqlite_env) >= 8


@pytest.mark.postgres
def test_route_matrix_on_postgresql(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole matrix, the injections and the oversized bodies, once on PostgreSQL."""
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setenv("VNINDUSTRY_LOGIN_MAX_FAILURES", "100000")
    env = make_env(pg_url)
    present = set(app_routes(env.app))
    failures = []
    for key in ROUTES:
        if key in KNOWN_BUGS or key not in present:
            continue
        try:
            check_route(env, *key)
        except AssertionError as exc:
            failures.append(f"{key}: {exc}")
    assert not failures, "\n".join(failures)
    check_injections(env)
    check_oversized(env)
    env.engine.dispose()
