"""Portal administration (issue 6): listing, adding, deactivating and reactivating users, resetting passwords,
purging expired sessions — in portal.accounts, the CLI and /api/v1/admin, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from builders import PORTAL_PASSWORD, login, portal_store, problem
from vnindustry.errors import InputError
from vnindustry.portal import accounts
from vnindustry.store.models import LoginFailure, UserSession
from vnindustry.web import create_app

ADMIN = "/api/v1/admin/users"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    store = portal_store(db_url)
    accounts.add_user(store.engine, "root", PORTAL_PASSWORD, "admin")
    return store


@pytest.fixture
def app(store, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return create_app(store)


def _sessions(store, username: str) -> int:  # type: ignore[no-untyped-def]
    return next(u.sessions for u in accounts.list_users(store.engine) if u.username == username)


# -- portal.accounts -------------------------------------------------------------------------------------
def test_deactivate_reactivate_and_reset_password(store) -> None:  # type: ignore[no-untyped-def]
    engine = store.engine
    assert [u.username for u in accounts.list_users(engine)] == ["e1", "e2", "root", "stat"]
    token, _ = accounts.create_session(engine, accounts.authenticate(engine, "e1", PORTAL_PASSWORD), 8)
    assert _sessions(store, "e1") == 1

    gone = accounts.deactivate_user(engine, "E1")  # user names are case-insensitive
    assert not gone.active and _sessions(store, "e1") == 0
    assert accounts.session_for(engine, token) is None
    assert accounts.authenticate(engine, "e1", PORTAL_PASSWORD) is None  # deactivated: no login
    assert accounts.reactivate_user(engine, "e1").active
    assert accounts.authenticate(engine, "e1", PORTAL_PASSWORD) is not None

    token, _ = accounts.create_session(engine, accounts.authenticate(engine, "e2", PORTAL_PASSWORD), 8)
    with pytest.raises(InputError, match="at least 10"):
        accounts.reset_password(engine, "e2", "short")
    assert accounts.session_for(engine, token) is not None  # a refused reset changes nothing
    accounts.reset_password(engine, "e2", NEW_PASSWORD)
    assert accounts.session_for(engine, token) is None  # the sessions ended
    assert accounts.authenticate(engine, "e2", PORTAL_PASSWORD) is None
    assert accounts.authenticate(engine, "e2", NEW_PASSWORD) is not None

    with pytest.raises(accounts.UnknownUser, match="no user 'nobody'"):
        accounts.deactivate_user(engine, "nobody")
    with pytest.raises(InputError, match="last active admin"):
        accounts.deactivate_user(engine, "root")
    accounts.add_user(engine, "root2", PORTAL_PASSWORD, "admin")
    assert not accounts.deactivate_user(engine, "root").active  # another admin remains


def test_purge_deletes_only_what_has_expired(store) -> None:  # type: ignore[no-untyped-def]
    engine = store.engine
    now = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    account = accounts.get_user(engine, "e1")
    old, _ = accounts.create_session(engine, account, 1, now=now - dt.timedelta(hours=2))  # expired an hour ago
    live, _ = accounts.create_session(engine, account, 8, now=now - dt.timedelta(hours=2))
    with engine.begin() as conn:
        conn.execute(insert(LoginFailure), [
            dict(username="e1", client="10.0.0.1", failed_at=now - dt.timedelta(minutes=20)),  # outside the window
            dict(username="e1", client="10.0.0.1", failed_at=now - dt.timedelta(minutes=5)),  # inside it
        ])
    assert accounts.purge_expired_sessions(engine, now, window_minutes=15) == 2
    assert accounts.session_for(engine, live, now=now) is not None
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(UserSession)).scalar_one() == 1
        times = conn.execute(select(LoginFailure.failed_at)).scalars().all()
    assert len(times) == 1
    assert accounts.purge_expired_sessions(engine, now, window_minutes=15) == 0
    assert old  # (its row was the one deleted)


def test_the_login_path_purges_at_most_hourly(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[object] = []
    monkeypatch.setattr(accounts, "purge_expired_sessions", lambda engine, *a, **k: calls.append(engine) or 0)
    monkeypatch.setattr(accounts, "_purged_at", {})
    for _ in range(3):
        accounts.authenticate(store.engine, "e1", "wrong password!")
    assert calls == [store.engine]
    monkeypatch.setattr(accounts, "PURGE_EVERY", 0.0)
    accounts.authenticate(store.engine, "e1", PORTAL_PASSWORD)
    assert len(calls) == 2


# -- HTTP ------------------------------------------------------------------------------------------------
def _routes(username: str = "e2") -> list[tuple[str, str, dict]]:
    return [("GET", ADMIN, {}), ("POST", ADMIN, {"username": "new1", "password": NEW_PASSWORD, "role": "statistician"}),
            ("POST", f"{ADMIN}/{username}/deactivate", {}), ("POST", f"{ADMIN}/{username}/reactivate", {}),
            ("POST", f"{ADMIN}/{username}/reset-password", {"password": NEW_PASSWORD})]


def test_admin_routes_need_an_admin_and_the_csrf_token(app, store) -> None:  # type: ignore[no-untyped-def]
    anonymous = TestClient(app)
    for method, path, body in _routes():
        assert problem(anonymous.request(method, path, json=body))["status"] == 401
    for name in ("e1", "stat"):
        client, csrf = login(app, name)
        for method, path, body in _routes():
            doc = problem(client.request(method, path, json=body, headers=csrf))
            assert doc["status"] == 403 and "admin" in doc["detail"], (name, path)
    client, _ = login(app, "root")
    for method, path, body in _routes():
        if method == "POST":
            doc = problem(client.post(path, json=body))  # no X-CSRF-Token
            assert doc["status"] == 403 and "X-CSRF-Token" in doc["detail"]
    assert accounts.get_user(store.engine, "new1") is None and accounts.get_user(store.engine, "e2").active
    assert accounts.authenticate(store.engine, "e2", PORTAL_PASSWORD) is not None


def test_admin_manages_users_over_http(app, store) -> None:  # type: ignore[no-untyped-def]
    admin, csrf = login(app, "root")
    users = admin.get(ADMIN).json()["users"]
    assert [u["username"] for u in users] == ["e1", "e2", "root", "stat"]
    assert all("password" not in str(k) for u in users for k in u)
    assert next(u for u in users if u["username"] == "root")["sessions"] == 1

    made = admin.post(ADMIN, json={"username": "DN.Moi", "password": NEW_PASSWORD, "role": "enterprise",
                                   "enterprise": "E1"}, headers=csrf)
    assert made.status_code == 201 and made.json() == {"username": "dn.moi", "role": "enterprise",
                                                       "enterprise": "E1", "active": True}, made.text
    assert problem(admin.post(ADMIN, json={"username": "dn.moi", "password": NEW_PASSWORD, "role": "admin"},
                              headers=csrf))["status"] == 409
    for body, status in [({"username": "x", "password": "short", "role": "admin"}, 422),
                         ({"username": "x9", "password": NEW_PASSWORD, "role": "boss"}, 422),
                         ({"username": "x9", "password": NEW_PASSWORD, "role": "enterprise"}, 422),
                         ({"username": "x9", "password": NEW_PASSWORD, "role": "enterprise", "enterprise": "NOPE"},
                          422),
                         ({"username": "x9"}, 422)]:
        assert problem(admin.post(ADMIN, json=body, headers=csrf))["status"] == status, body

    # Deactivating ends the user's session at once, and the user cannot log in again.
    user, _ = login(app, "e1")
    assert user.get("/api/v1/auth/me").status_code == 200
    off = admin.post(f"{ADMIN}/e1/deactivate", headers=csrf)
    assert off.status_code == 200 and off.json()["active"] is False, off.text
    assert problem(user.get("/api/v1/auth/me"))["status"] == 401
    assert problem(user.get("/api/v1/enterprises/E1/reports"))["status"] == 401
    refused = TestClient(app).post("/api/v1/auth/login", json={"username": "e1", "password": PORTAL_PASSWORD})
    assert refused.status_code == 401
    assert admin.post(f"{ADMIN}/e1/reactivate", headers=csrf).json()["active"] is True
    login(app, "e1")

    # Resetting a password ends the user's sessions; the new password works, the old one not.
    user, _ = login(app, "e2")
    r = admin.post(f"{ADMIN}/e2/reset-password", json={"password": NEW_PASSWORD}, headers=csrf)
    assert r.status_code == 200, r.text
    assert problem(user.get("/api/v1/auth/me"))["status"] == 401
    assert TestClient(app).post("/api/v1/auth/login", json={"username": "e2", "password": NEW_PASSWORD}).status_code \
        == 200
    assert problem(admin.post(f"{ADMIN}/e2/reset-password", json={"password": "short"}, headers=csrf))["status"] \
        == 422

    assert problem(admin.post(f"{ADMIN}/nobody/deactivate", headers=csrf))["status"] == 404
    assert problem(admin.post(f"{ADMIN}/root/deactivate", headers=csrf))["status"] == 409  # the last admin
    assert admin.get("/api/v1/auth/me").status_code == 200


def test_admin_routes_are_documented(app) -> None:  # type: ignore[no-untyped-def]
    paths = TestClient(app).get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths[ADMIN])
    for action in ("deactivate", "reactivate", "reset-password"):
        responses = paths[f"{ADMIN}/{{username}}/{action}"]["post"]["responses"]
        assert {"401", "403", "404"} <= set(responses)
        assert "application/problem+json" in responses["403"]["content"]
