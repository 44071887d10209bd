"""Portal administration over HTTP (issue 6): the users.

Routes (role admin only; anonymous → 401, other roles → 403; every POST needs the session's X-CSRF-Token,
else 403; errors are problem+json)::

    GET  /api/v1/admin/users                              every user: role, enterprise, active, live sessions
    POST /api/v1/admin/users                              {"username", "password", "role", "enterprise"?} → 201
    POST /api/v1/admin/users/{username}/deactivate        no more logins; the user's sessions end now
    POST /api/v1/admin/users/{username}/reactivate        logins allowed again
    POST /api/v1/admin/users/{username}/reset-password    {"password"} → the user's sessions end now

The rules are :mod:`vnindustry.portal.accounts`'; passwords are never echoed back. Every change is audited (who,
from which address, on whom) in the same transaction: the audit log shows it (``GET /api/v1/review/audit``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from vnindustry.errors import InputError
from vnindustry.portal import accounts
from vnindustry.portal.accounts import Account
from vnindustry.web.api import PREFIX, problem_responses
from vnindustry.web.auth import check_csrf, client_of, require_role
from vnindustry.web.formats import jsonable
from vnindustry.web.problems import Problem
from vnindustry.web.reports import engine_of

ADMIN = f"{PREFIX}/admin"
USERNAME = Annotated[str, Path(min_length=1, max_length=accounts.MAX_USERNAME_LENGTH,
                               description="the user name (case-insensitive)")]

Admin = Annotated[Account, Depends(require_role("admin"))]


def _writer(request: Request, user: Admin) -> Account:
    """An admin's state-changing request: the role (401/403), then the CSRF token (403)."""
    check_csrf(request)
    return user


AdminWriter = Annotated[Account, Depends(_writer)]


class NewUserIn(BaseModel):
    username: str = Field(min_length=1, max_length=accounts.MAX_USERNAME_LENGTH)
    password: str = Field(min_length=1, max_length=accounts.MAX_PASSWORD_LENGTH,
                          description=f"at least {accounts.MIN_PASSWORD_LENGTH} characters")
    role: str = Field(description=f"one of {', '.join(accounts.ROLES)}")
    enterprise: str | None = Field(None, max_length=40, description="the enterprise's code (role enterprise only)")


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=accounts.MAX_PASSWORD_LENGTH,
                          description=f"the new password, at least {accounts.MIN_PASSWORD_LENGTH} characters")


def _answer(value: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable(value), status_code=status, headers={"Cache-Control": "no-store"})


def _by(request: Request, user: Account) -> dict[str, str]:
    """Who does an admin action, for the audit log: the admin and the client's address."""
    return {"by": user.username, "client": client_of(request)}


def _account(a: Account) -> dict[str, Any]:
    return {"username": a.username, "role": a.role, "enterprise": a.enterprise, "active": a.active}


async def _run(fn: Callable[[], Any]) -> Any:
    try:
        return await run_in_threadpool(fn)
    except accounts.UnknownUser as exc:
        raise Problem(404, str(exc), slug="unknown-user") from None
    except InputError as exc:
        conflict = "already exists" in exc.message or "last active admin" in exc.message
        raise Problem(409 if conflict else 422, str(exc), title="Conflict" if conflict else "Invalid request",
                      slug="conflict" if conflict else "invalid-request") from None


async def get_users(request: Request, user: Admin) -> JSONResponse:
    """Every portal user (never a password hash), by user name, with the number of live sessions."""
    users = await _run(lambda: accounts.list_users(engine_of(request)))
    return _answer({"users": [asdict(u) for u in users]})


async def post_user(request: Request, user: AdminWriter, body: Annotated[NewUserIn, Body()]) -> JSONResponse:
    """Create an active user (409 when the name is taken, 422 for a bad name, role, password or enterprise)."""
    made = await _run(lambda: accounts.add_user(engine_of(request), body.username, body.password, body.role,
                                                body.enterprise or None, **_by(request, user)))
    return _answer(_account(made), 201)


async def post_deactivate(request: Request, username: USERNAME, user: AdminWriter) -> JSONResponse:
    """Deactivate a user: no more logins, and every session of the user ends now (409 for the last admin)."""
    return _answer(_account(await _run(lambda: accounts.deactivate_user(engine_of(request), username,
                                                                             **_by(request, user)))))


async def post_reactivate(request: Request, username: USERNAME, user: AdminWriter) -> JSONResponse:
    """Let a deactivated user log in again."""
    return _answer(_account(await _run(lambda: accounts.reactivate_user(engine_of(request), username,
                                                                             **_by(request, user)))))


async def post_reset_password(request: Request, username: USERNAME, user: AdminWriter,
                              body: Annotated[PasswordIn, Body()]) -> JSONResponse:
    """Set a new password; every session of the user ends now."""
    done = await _run(lambda: accounts.reset_password(engine_of(request), username, body.password,
                                                         **_by(request, user)))
    return _answer(_account(done))


def register(app: FastAPI) -> None:
    """Add the admin routes to ``app`` (after the auth routes)."""
    user = f"{ADMIN}/users/{{username}}"
    app.add_api_route(f"{ADMIN}/users", get_users, methods=["GET"], summary="The portal's users (admin)",
                      responses=problem_responses(401, 403, 429))
    app.add_api_route(f"{ADMIN}/users", post_user, methods=["POST"], status_code=201, summary="Add a user (admin)",
                      responses=problem_responses(401, 403, 409, 422, 429))
    app.add_api_route(f"{user}/deactivate", post_deactivate, methods=["POST"], summary="Deactivate a user (admin)",
                      responses=problem_responses(401, 403, 404, 409, 422, 429))
    app.add_api_route(f"{user}/reactivate", post_reactivate, methods=["POST"], summary="Reactivate a user (admin)",
                      responses=problem_responses(401, 403, 404, 422, 429))
    app.add_api_route(f"{user}/reset-password", post_reset_password, methods=["POST"],
                      summary="Set a user's new password (admin)",
                      responses=problem_responses(401, 403, 404, 422, 429))
