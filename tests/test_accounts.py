"""Portal accounts (issue 6): argon2id passwords, `vnindustry users add`, login/logout/me, session cookies,
expiry, CSRF, login throttling, roles and enterprise access — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import time
from http.cookies import SimpleCookie
from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, update
from typer.testing import CliRunner

from vnindustry.cli import app as cli_app
from vnindustry.errors import InputError
from vnindustry.portal import accounts
from vnindustry.store import Store, open_store
from vnindustry.store.models import Enterprise, LoginThrottle, User, UserSession
from vnindustry.web import auth, create_app

AUTH = "/api/v1/auth"
PASSWORD = "correct horse battery staple"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    doc = response.json()
    assert set(doc) >= PROBLEM_KEYS and doc["status"] == status
    return doc


def test_hashes_use_the_owasp_parameters_and_older_ones_are_upgraded_at_login(db_url: str) -> None:
    from argon2 import PasswordHasher

    assert "$m=19456,t=2,p=1$" in accounts.hash_password(PASSWORD)
    store = open_store(db_url)
    accounts.add_user(store.engine, "old", PASSWORD, "statistician")
    old_hash = PasswordHasher().hash(PASSWORD)  # argon2-cffi's default (64 MiB, t=3, p=4), as stored before
    with store.engine.begin() as conn:
        conn.execute(update(User).where(User.username == "old").values(password_hash=old_hash))
    assert accounts.authenticate(store.engine, "old", PASSWORD + "x") is None
    with store.engine.connect() as conn:
        assert conn.execute(select(User.password_hash).where(User.username == "old")).scalar_one() == old_hash
    assert accounts.authenticate(store.engine, "old", PASSWORD) is not None
    with store.engine.connect() as conn:
        upgraded = conn.execute(select(User.password_hash).where(User.username == "old")).scalar_one()
    assert "$m=19456,t=2,p=1$" in upgraded and accounts.verify_password(upgraded, PASSWORD)


@pytest.fixture
def store(db_url: str) -> Store:
    store = open_store(db_url)
    with store.engine.begin() as conn:
        conn.execute(insert(Enterprise), [
            dict(code="DN001", name="Công ty A", industry="C10", district="Q1", ownership="private"),
            dict(code="DN002", name="Công ty B", industry="C10", district="Q3", ownership="state"),
        ])
    accounts.add_user(store.engine, "thongke", PASSWORD, "statistician")
    accounts.add_user(store.engine, "dn001", PASSWORD, "enterprise", "DN001")
    return store


AdminUser = Annotated[accounts.Account, Depends(auth.require_role("admin"))]
ReviewerUser = Annotated[accounts.Account, Depends(auth.require_role("statistician", "admin"))]


def make_app(store: Store, monkeypatch: pytest.MonkeyPatch, **env: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    for name, value in env.items():
        monkeypatch.setenv(f"VNINDUSTRY_{name.upper()}", value)
    app = create_app(store)

    # Routes as the portal's next ones will use the dependencies.
    @app.post("/test/enterprises/{enterprise_id}/reports")
    def post_report(enterprise_id: str, user: auth.CsrfCheckedUser, _: auth.EnterpriseUser) -> dict:
        return {"enterprise": enterprise_id, "by": user.username}

    @app.get("/test/enterprises/{enterprise_id}/reports")
    def get_reports(enterprise_id: str, user: auth.EnterpriseUser) -> dict:
        return {"enterprise": enterprise_id, "by": user.username}

    @app.get("/test/admin")
    def admin_only(user: AdminUser) -> dict:
        return {"by": user.username}

    @app.get("/test/review")
    def review(user: ReviewerUser) -> dict:
        return {"by": user.username}

    return app


@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    return TestClient(make_app(store, monkeypatch))


def login(client: TestClient, username: str = "thongke", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(f"{AUTH}/login", json={"username": username, "password": password})


def set_cookie(response) -> SimpleCookie:  # type: ignore[no-untyped-def]
    cookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])
    return cookie


# -- passwords -------------------------------------------------------------------------------------------
def test_passwords_are_argon2id_and_verify() -> None:
    hashed = accounts.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$") and PASSWORD not in hashed
    assert accounts.hash_password(PASSWORD) != hashed  # salted
    start = time.perf_counter()
    assert accounts.verify_password(hashed, PASSWORD)
    elapsed = time.perf_counter() - start
    assert not accounts.verify_password(hashed, PASSWORD + "!")
    assert not accounts.verify_password("not a hash", PASSWORD)
    assert elapsed < 2.0, f"argon2 verification took {elapsed:.2f} s"
    print(f"argon2id verify: {elapsed * 1000:.0f} ms")


def test_add_user_rules(store: Store) -> None:
    engine = store.engine
    for args, message in [
        (("x", "short", "admin"), "at least 10"),
        (("dn001", PASSWORD, "enterprise", "DN001"), "already exists"),
        (("DN001", PASSWORD, "enterprise", "DN001"), "already exists"),  # user names are case-insensitive
        (("new", PASSWORD, "enterprise"), "needs its enterprise"),
        (("new", PASSWORD, "enterprise", "NOPE"), "unknown enterprise 'NOPE'"),
        (("new", PASSWORD, "admin", "DN001"), "not tied to an enterprise"),
        (("new", PASSWORD, "root"), "unknown role"),
        (("bad name'--", PASSWORD, "admin"), "not a valid user name"),
    ]:
        with pytest.raises(InputError, match=message):
            accounts.add_user(engine, *args)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == 2


# -- the CLI ---------------------------------------------------------------------------------------------
def test_cli_users_add(store: Store, db_url: str) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli_app, ["users", "add", "Lan.Nguyen", "--role", "enterprise", "--enterprise", "DN002",
                                 "--db", db_url], input=PASSWORD + "\n")
    assert ok.exit_code == 0, ok.output
    assert "lan.nguyen" in ok.output and "DN002" in ok.output and PASSWORD not in ok.output
    account = accounts.authenticate(store.engine, "lan.nguyen", PASSWORD)
    assert account is not None and account.role == "enterprise" and account.enterprise == "DN002"
    admin = runner.invoke(cli_app, ["users", "add", "quantri", "--role", "admin", "--db", db_url],
                          input=PASSWORD + "\r\n")
    assert admin.exit_code == 0, admin.output
    assert accounts.authenticate(store.engine, "quantri", PASSWORD) is not None

    for args, given, message in [
        (["short", "--role", "admin"], "123456789\n", "at least 10"),
        (["lan.nguyen", "--role", "statistician"], PASSWORD + "\n", "already exists"),
        (["x1", "--role", "enterprise", "--enterprise", "NOPE"], PASSWORD + "\n", "unknown enterprise 'NOPE'"),
        (["x2", "--role", "enterprise"], PASSWORD + "\n", "needs --enterprise"),
        (["x3", "--role", "boss"], PASSWORD + "\n", "unknown role 'boss'"),
        (["x4", "--role", "admin"], "", "no password on standard input"),
    ]:
        res = runner.invoke(cli_app, ["users", "add", *args, "--db", db_url], input=given)
        assert res.exit_code == 1, (args, res.output)
        text = " ".join(res.output.split())
        assert message in text and "Traceback" not in text, text
        assert given.strip() == "" or given.strip() not in text  # the password is never echoed
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == 4


# -- login, me, logout, cookies --------------------------------------------------------------------------
def test_login_me_logout(client: TestClient, store: Store) -> None:
    assert_problem(client.get(f"{AUTH}/me"), 401)
    r = login(client, "ThongKe")  # user names are case-insensitive
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["username"] == "thongke" and body["role"] == "statistician" and body["enterprise"] is None
    assert len(body["csrf_token"]) >= 40 and r.headers["cache-control"] == "no-store"
    me = client.get(f"{AUTH}/me")
    assert me.status_code == 200 and me.json() == body

    # The cookie is a random token; only its sha256 is stored.
    token = client.cookies[auth.COOKIE]
    with store.engine.connect() as conn:
        hashes = conn.execute(select(UserSession.token_hash)).scalars().all()
    assert hashes == [accounts.token_hash(token)] and token not in hashes

    out = client.post(f"{AUTH}/logout", headers={auth.CSRF_HEADER: body["csrf_token"]})
    assert out.status_code == 204 and out.content == b""
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(UserSession)).scalar_one() == 0
    assert_problem(client.get(f"{AUTH}/me"), 401)
    # The old cookie, replayed after logout, opens nothing: the session is gone on the server.
    replay = TestClient(client.app, cookies={auth.COOKIE: token})
    assert_problem(replay.get(f"{AUTH}/me"), 401)


def test_enterprise_login_names_its_enterprise(client: TestClient) -> None:
    r = login(client, "dn001")
    assert r.status_code == 200 and r.json()["role"] == "enterprise" and r.json()["enterprise"] == "DN001"


def test_cookie_flags_http_and_https(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(store, monkeypatch)
    plain = login(TestClient(app))
    cookie = set_cookie(plain)[auth.COOKIE]
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax" and cookie["path"] == "/"
    assert not cookie["secure"]
    assert int(cookie["max-age"]) == 8 * 3600  # setting session_hours
    secure_client = TestClient(app, base_url="https://testserver")
    tls = login(secure_client)
    cookie = set_cookie(tls)[auth.COOKIE]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"].lower() == "lax"
    assert secure_client.get(f"{AUTH}/me").status_code == 200


def test_expired_session_is_refused(client: TestClient, store: Store) -> None:
    assert login(client).status_code == 200
    assert client.get(f"{AUTH}/me").status_code == 200
    with store.engine.begin() as conn:
        conn.execute(update(UserSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    doc = assert_problem(client.get(f"{AUTH}/me"), 401)
    assert "expired" in doc["detail"]
    with store.engine.connect() as conn:  # seen expired, deleted
        assert conn.execute(select(func.count()).select_from(UserSession)).scalar_one() == 0


def test_session_hours_setting(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(make_app(store, monkeypatch, session_hours="0.5"))
    before = dt.datetime.now(dt.UTC)
    assert login(client).status_code == 200
    with store.engine.connect() as conn:
        expires = conn.execute(select(UserSession.expires_at)).scalar_one()
    expires = expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)
    assert dt.timedelta(minutes=29) < expires - before < dt.timedelta(minutes=31)


def test_inactive_user_cannot_log_in_and_loses_its_sessions(client: TestClient, store: Store) -> None:
    assert login(client).status_code == 200
    with store.engine.begin() as conn:
        conn.execute(update(User).where(User.username == "thongke").values(active=False))
    assert_problem(client.get(f"{AUTH}/me"), 401)
    assert_problem(login(client), 401)


# -- CSRF ------------------------------------------------------------------------------------------------
def test_csrf_token_required_on_state_changes(client: TestClient) -> None:
    token = login(client, "dn001").json()["csrf_token"]
    url = "/test/enterprises/DN001/reports"
    assert_problem(client.post(url), 403)
    assert_problem(client.post(url, headers={auth.CSRF_HEADER: "wrong"}), 403)
    assert_problem(client.post(url, headers={auth.CSRF_HEADER: token[:-1] + "x"}), 403)
    assert client.post(url, headers={auth.CSRF_HEADER: token}).json() == {"enterprise": "DN001", "by": "dn001"}
    assert client.get(url).status_code == 200  # reading needs no token
    doc = assert_problem(client.post(f"{AUTH}/logout"), 403)
    assert auth.CSRF_HEADER in doc["detail"]
    assert client.get(f"{AUTH}/me").status_code == 200  # the refused logout left the session alone
    # Another session's token does not do either.
    other = TestClient(client.app)
    other_token = login(other, "dn001").json()["csrf_token"]
    assert_problem(client.post(url, headers={auth.CSRF_HEADER: other_token}), 403)
    assert client.post(f"{AUTH}/logout", headers={auth.CSRF_HEADER: token}).status_code == 204
    assert other.get(f"{AUTH}/me").status_code == 200  # logging out ends that one session only


# -- roles and enterprise access -------------------------------------------------------------------------
def test_roles_and_enterprise_access(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(store, monkeypatch)
    anonymous = TestClient(app)
    for path in ("/test/enterprises/DN001/reports", "/test/admin", "/test/review"):
        assert_problem(anonymous.get(path), 401)
    assert_problem(anonymous.post("/test/enterprises/DN001/reports"), 401)

    enterprise = TestClient(app)
    login(enterprise, "dn001")
    assert enterprise.get("/test/enterprises/DN001/reports").status_code == 200
    assert_problem(enterprise.get("/test/enterprises/DN002/reports"), 403)
    token = enterprise.get(f"{AUTH}/me").json()["csrf_token"]
    assert_problem(enterprise.post("/test/enterprises/DN002/reports", headers={auth.CSRF_HEADER: token}), 403)
    assert_problem(enterprise.get("/test/review"), 403)
    assert_problem(enterprise.get("/test/admin"), 403)

    statistician = TestClient(app)
    login(statistician, "thongke")
    for code in ("DN001", "DN002"):
        assert statistician.get(f"/test/enterprises/{code}/reports").status_code == 200
    assert statistician.get("/test/review").status_code == 200
    assert_problem(statistician.get("/test/admin"), 403)

    accounts.add_user(store.engine, "quantri", PASSWORD, "admin")
    admin = TestClient(app)
    login(admin, "quantri")
    assert admin.get("/test/admin").status_code == 200 and admin.get("/test/review").status_code == 200
    assert admin.get("/test/enterprises/DN002/reports").status_code == 200

    with pytest.raises(ValueError):
        auth.require_role("superuser")


# -- throttling ------------------------------------------------------------------------------------------
def test_login_throttled_per_user_name(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(store, monkeypatch, login_backoff_seconds="120")  # (issue 12: back-off, not a fixed window)
    for i in range(5):
        attacker = TestClient(app, client=(f"10.0.0.{i}", 1234))  # five addresses, one user name
        assert_problem(login(attacker, password="wrong password"), 401)
    blocked = assert_problem(login(TestClient(app, client=("10.0.0.9", 1))), 429)  # even the right password
    r = login(TestClient(app, client=("10.0.0.9", 1)))
    retry = int(r.headers["retry-after"])
    assert 0 < retry <= 15 * 60 and "retry after" in blocked["detail"]
    assert login(TestClient(app, client=("10.0.0.9", 1)), "dn001").status_code == 200  # other users unaffected

    # When the window has passed, the user may log in again, and success forgets the failures.
    with store.engine.begin() as conn:
        conn.execute(update(LoginThrottle).values(
            last_failure_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)))
    assert login(TestClient(app, client=("10.0.0.9", 1))).status_code == 200
    assert accounts.failure_count(store.engine, username="thongke") == 0


def test_login_throttled_per_user_and_address_not_per_address(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 12: failures from one address no longer lock every user out of it (an office behind one NAT).
    app = make_app(store, monkeypatch, login_max_failures="3", login_backoff_seconds="120")
    client = TestClient(app, client=("192.0.2.7", 4000))
    for name in ("nobody", "admin", "root"):  # three user names, one address
        assert_problem(login(client, name, "guess guess guess"), 401)
    assert login(client).status_code == 200  # another user, from that address
    for _ in range(3):
        assert_problem(login(client, "dn001", "guess guess guess"), 401)
    r = login(client, "dn001")  # the right password, from the blocked (user, address)
    assert_problem(r, 429)
    assert int(r.headers["retry-after"]) > 0


def test_throttle_off_with_zero(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(make_app(store, monkeypatch, login_max_failures="0"))
    for _ in range(8):
        assert_problem(login(client, password="wrong password"), 401)
    assert login(client).status_code == 200


# -- errors, injection, oversized bodies -----------------------------------------------------------------
def test_auth_routes_answer_problems(client: TestClient) -> None:
    assert_problem(client.get(f"{AUTH}/login"), 405)
    assert_problem(client.delete(f"{AUTH}/me"), 405)
    assert_problem(client.get(f"{AUTH}/logout"), 405)
    assert_problem(client.post(f"{AUTH}/logout"), 401)
    assert_problem(client.get(f"{AUTH}/me"), 401)
    assert_problem(client.post(f"{AUTH}/login", json={"username": "thongke"}), 422)
    assert_problem(client.post(f"{AUTH}/login", json={"username": "", "password": "x"}), 422)
    assert_problem(client.post(f"{AUTH}/login", json={"username": 1, "password": 2}), 422)
    assert_problem(client.post(f"{AUTH}/login", json=["thongke", PASSWORD]), 422)
    assert_problem(client.post(f"{AUTH}/login", content=b"{not json", headers={"content-type": "application/json"}),
                   422)
    # A form (what a cross-site page could post without a preflight) is not accepted.
    assert_problem(client.post(f"{AUTH}/login", data={"username": "thongke", "password": PASSWORD}), 415)
    assert_problem(client.post(f"{AUTH}/login", content=b""), 415)
    assert_problem(TestClient(client.app, cookies={auth.COOKIE: "forged"}).get(f"{AUTH}/me"), 401)
    assert_problem(TestClient(client.app, cookies={auth.COOKIE: "x" * 5000}).get(f"{AUTH}/me"), 401)


@pytest.mark.parametrize("username", [
    "' OR '1'='1", "thongke'--", "thongke' OR 1=1; --", "'; DROP TABLE users; --", '" OR ""="',
    "admin\x00", "thongke\\", "%", "_", "tho%", "ｔｈｏｎｇｋｅ", "тест", "🙂",
])
def test_sql_injection_in_user_name_is_a_clean_401(store: Store, monkeypatch: pytest.MonkeyPatch,
                                                   username: str) -> None:
    client = TestClient(make_app(store, monkeypatch, login_max_failures="1000"))  # the throttle's queries too
    nul = "\x00" in username  # issue 12: control characters are refused as such (422) before any lookup
    doc = assert_problem(login(client, username, PASSWORD), 422 if nul else 401)
    assert nul or doc["detail"] == auth.WRONG_CREDENTIALS
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == 2


def test_oversized_login_bodies_are_refused(client: TestClient) -> None:
    huge = login(client, "thongke", "x" * 1_000_000)
    doc = assert_problem(huge, 413)
    assert "16384 bytes" in doc["detail"]
    # Under the byte limit but over the field limits: 422, naming the field.
    doc = assert_problem(login(client, "thongke", "x" * 5000), 422)
    assert "password" in doc["detail"]
    assert_problem(login(client, "u" * 151, PASSWORD), 422)
    # A body without Content-Length (streamed) is cut off at the limit too.
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"username": "thongke", "password": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}'
    assert_problem(client.post(f"{AUTH}/login", content=chunks(), headers={"content-type": "application/json"}), 413)
    assert login(client).status_code == 200


def test_regression_issue6_unknown_user_and_wrong_password_answer_alike(client: TestClient,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 6: an unknown user name and a wrong password give the same 401 and the same detail, and both
    pay one argon2 verification (against a dummy hash for the unknown user), so neither the answer nor its
    time tells whether the account exists."""
    calls: list[str] = []
    real = accounts.verify_password

    def counting(password_hash: str, password: str) -> bool:
        calls.append(password_hash[:10])
        return real(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counting)
    unknown = assert_problem(login(client, "no.such.user", PASSWORD), 401)
    assert calls == ["$argon2id$"]
    wrong = assert_problem(login(client, "thongke", PASSWORD + "x"), 401)
    assert calls == ["$argon2id$", "$argon2id$"]
    assert unknown["detail"] == wrong["detail"] == auth.WRONG_CREDENTIALS
    assert unknown["title"] == wrong["title"]
