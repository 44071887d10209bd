"""The portal's HTTP authentication (issue 6): login, logout, me, and the dependencies routes use.

Routes (added by :func:`register`, flat on the app like the data API's)::

    POST /api/v1/auth/login    {"username","password"} → 200 {"username","role","enterprise","csrf_token"}
                               and the session cookie (HttpOnly, SameSite=Lax, Secure over https, Path=/)
    POST /api/v1/auth/logout   → 204, the session deleted (needs X-CSRF-Token)
    GET  /api/v1/auth/me       → the current user, or 401

Dependencies for the portal's routes (every authorisation is decided here, on the server)::

    user: CurrentUser        (= Depends(current_user))        # 401 when anonymous or the session ended
    user: CsrfCheckedUser    (= Depends(check_csrf))          # + 403 unless X-CSRF-Token matches (unsafe methods)
    user: Account = Depends(require_role("statistician", "admin"))        # + 403 for other roles
    user: EnterpriseUser                                      # path parameter ``enterprise_id``: enterprise
                                                              # users only their own, others any
    ensure_enterprise_access(user, code)                      # the same check, for other parameter names

Errors are problem+json (``web.problems.Problem``). Login is throttled per user name and per (user name, client
address) with exponential back-off (settings ``login_max_failures``, ``login_backoff_seconds``,
``login_window_minutes`` → 429 with Retry-After; atomic: :func:`vnindustry.portal.accounts.login`); the client
address is :func:`vnindustry.web.ratelimit.client_address` (X-Forwarded-For only from ``forwarded_allow_ips``).
Logins, failed logins and logouts go to the audit log. The login body must be JSON (415 otherwise — an HTML form
cannot post it cross-site) and at most 16 KiB (413).
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.portal import accounts
from vnindustry.portal.accounts import Account, SessionInfo
from vnindustry.web.api import problem_responses
from vnindustry.web.problems import Problem
from vnindustry.web.ratelimit import client_address, trusted_proxies

PREFIX = "/api/v1/auth"
COOKIE = "vnindustry_session"
CSRF_HEADER = "X-CSRF-Token"
MAX_LOGIN_BODY = 16 * 1024
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRONG_CREDENTIALS = "wrong user name or password"


@dataclass(frozen=True)
class AuthState:
    """What the auth routes share: the store's engine and the limits, read from the settings at start."""

    engine: Engine
    session_hours: float
    throttle: accounts.Throttle

    @staticmethod
    def create(engine: Engine) -> AuthState:
        return AuthState(engine, settings.get("session_hours"), accounts.Throttle.from_settings())


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=accounts.MAX_USERNAME_LENGTH)
    password: str = Field(min_length=1, max_length=accounts.MAX_PASSWORD_LENGTH)


class UserOut(BaseModel):
    """The logged-in user; ``csrf_token`` goes back in the X-CSRF-Token header of state-changing requests."""

    username: str
    role: str
    enterprise: str | None
    csrf_token: str


def _unauthorized(detail: str = "log in first (POST /api/v1/auth/login)") -> Problem:
    return Problem(401, detail, title="Unauthorized")


def _forbidden(detail: str) -> Problem:
    return Problem(403, detail, title="Forbidden")


def _state(request: Request) -> AuthState:
    return request.app.state.auth


def client_of(request: Request) -> str:
    """The client's address: the socket's peer, or X-Forwarded-For's from a trusted proxy (web/ratelimit.py)."""
    return client_address(request.scope)


def _note_user(request: Request, username: str) -> None:
    # For the access log (web/access_log.py), which reads it once the response has gone.
    request.state.access_user = username


# -- dependencies ----------------------------------------------------------------------------------------
def current_session(request: Request) -> SessionInfo:
    """The request's live session (401 when there is none); looked up once per request."""
    cached = getattr(request.state, "auth_session", None)
    if cached is not None:
        return cached
    token = request.cookies.get(COOKIE)
    if not token:
        raise _unauthorized()
    session = accounts.session_for(_state(request).engine, token)
    if session is None:
        raise _unauthorized("the session has ended (logged out or expired); log in again")
    request.state.auth_session = session
    _note_user(request, session.account.username)
    return session


def current_user(request: Request) -> Account:
    """The logged-in account (401 when anonymous)."""
    return current_session(request).account


def check_csrf(request: Request) -> Account:
    """The logged-in account, after checking that an unsafe request (POST, PUT, PATCH, DELETE) carries the
    session's CSRF token in ``X-CSRF-Token`` (403 otherwise). Use it on every state-changing route."""
    session = current_session(request)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if not sent:
            raise _forbidden(f"the {CSRF_HEADER} header is missing; send the csrf_token given at login")
        if not hmac.compare_digest(sent.encode("utf-8"), session.csrf_token.encode("utf-8")):
            raise _forbidden(f"the {CSRF_HEADER} header does not match this session's token")
    return session.account


# Annotated shorthands for route signatures: ``def route(user: CurrentUser)``.
CurrentUser = Annotated[Account, Depends(current_user)]
CsrfCheckedUser = Annotated[Account, Depends(check_csrf)]


def require_role(*roles: str) -> Any:
    """A dependency: the logged-in account if its role is one of ``roles`` (401 anonymous, 403 otherwise)."""
    unknown = set(roles) - set(accounts.ROLES)
    if not roles or unknown:
        raise ValueError(f"require_role needs roles among {accounts.ROLES}, got {roles}")

    def dependency(user: CurrentUser) -> Account:
        if user.role not in roles:
            raise _forbidden(f"this needs the role {' or '.join(roles)}; you are {user.role}")
        return user

    return dependency


def ensure_enterprise_access(user: Account, enterprise_id: str) -> Account:
    """Enterprise accounts reach only their own enterprise (403); statisticians and admins any."""
    if user.role == "enterprise" and user.enterprise != enterprise_id:
        raise _forbidden("an enterprise account reaches only its own enterprise's reports")
    return user


def require_enterprise_access(enterprise_id: str, user: CurrentUser) -> Account:
    """A dependency for routes with the path parameter ``enterprise_id`` (the enterprise's code)."""
    return ensure_enterprise_access(user, enterprise_id)


EnterpriseUser = Annotated[Account, Depends(require_enterprise_access)]


# -- routes ----------------------------------------------------------------------------------------------
async def _login_body(request: Request) -> LoginRequest:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise Problem(415, "send the login as JSON (Content-Type: application/json)",
                      title="Unsupported media type")
    length = request.headers.get("content-length")
    too_large = Problem(413, f"the login request is larger than {MAX_LOGIN_BODY} bytes", title="Content too large")
    if length is not None and (not length.isdigit() or int(length) > MAX_LOGIN_BODY):
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_LOGIN_BODY:
            raise too_large
    try:
        return LoginRequest.model_validate_json(bytes(body))
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False, include_context=False)]
        raise RequestValidationError(errors) from None


def _login(request: Request, body: LoginRequest) -> tuple[str, SessionInfo]:
    state = _state(request)
    outcome = accounts.login(state.engine, body.username, body.password, client_of(request), throttle=state.throttle)
    if outcome.wait:
        raise Problem(429, f"too many failed logins for this user name; retry after {outcome.wait} s",
                      headers={"Retry-After": str(outcome.wait)})
    account = outcome.account
    if account is None:
        raise _unauthorized(WRONG_CREDENTIALS)
    _note_user(request, account.username)
    # A fresh token at every login (no session fixation); the session the browser had, if any, ends.
    old = request.cookies.get(COOKIE)
    if old:
        previous = accounts.session_for(state.engine, old)
        if previous is not None:
            accounts.end_session(state.engine, previous.id)
    return accounts.create_session(state.engine, account, state.session_hours)


def start_session(request: Request, username: str, password: str) -> tuple[str, SessionInfo]:
    """Log in from a form (the portal's HTML login): the new session's token and info, or the login's
    Problem (401 wrong credentials, 429 throttled). The same checks and throttle as ``POST /login``."""
    if not (0 < len(username) <= accounts.MAX_USERNAME_LENGTH and 0 < len(password) <= accounts.MAX_PASSWORD_LENGTH):
        raise _unauthorized(WRONG_CREDENTIALS)
    return _login(request, LoginRequest(username=username, password=password))


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """Put the session ``token`` in the response's cookie (HttpOnly, SameSite=Lax, Secure over https)."""
    response.set_cookie(COOKIE, token, max_age=int(_state(request).session_hours * 3600), **_cookie_options(request))


def end_current_session(request: Request, response: Response) -> None:
    """Log out: the request's session deleted on the server, its cookie cleared."""
    session = current_session(request)
    accounts.end_session(_state(request).engine, session.id, by=session.account.username, client=client_of(request))
    response.delete_cookie(COOKIE, **_cookie_options(request))


def _user_out(session: SessionInfo) -> dict[str, Any]:
    a = session.account
    return {"username": a.username, "role": a.role, "enterprise": a.enterprise, "csrf_token": session.csrf_token}


def _cookie_options(request: Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "lax", "secure": request.url.scheme == "https", "path": "/"}


async def login(request: Request) -> Response:
    """Log in: a session cookie and the CSRF token. Unknown user and wrong password get the same 401."""
    body = await _login_body(request)
    token, session = await run_in_threadpool(_login, request, body)
    response = JSONResponse(_user_out(session))
    set_session_cookie(response, request, token)
    response.headers["Cache-Control"] = "no-store"
    return response


def logout(request: Request, user: CsrfCheckedUser) -> Response:
    """Log out: the session is deleted on the server and the cookie cleared."""
    response = Response(status_code=204)
    end_current_session(request, response)
    return response


def me(request: Request, user: CurrentUser) -> JSONResponse:
    """The logged-in user (and the session's CSRF token, for a page that was reloaded)."""
    return JSONResponse(_user_out(current_session(request)), headers={"Cache-Control": "no-store"})


_LOGIN_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": json.loads(json.dumps(LoginRequest.model_json_schema()))}}}}


def register(app: FastAPI) -> None:
    """Add the auth routes to ``app`` (flat, like the data API's) on the engine of ``app.state.api.store``."""
    app.state.auth = AuthState.create(app.state.api.store.engine)
    try:  # a bad forwarded_allow_ips stops the app at its start, not at its first request
        trusted_proxies()
    except ValueError as exc:
        raise InputError(str(exc)) from None
    app.add_api_route(f"{PREFIX}/login", login, methods=["POST"], summary="Log in (portal)",
                      response_model=UserOut, openapi_extra=_LOGIN_BODY,
                      responses=problem_responses(401, 413, 415, 422, 429))
    app.add_api_route(f"{PREFIX}/logout", logout, methods=["POST"], status_code=204, summary="Log out (portal)",
                      response_class=Response, responses=problem_responses(401, 403, 429))
    app.add_api_route(f"{PREFIX}/me", me, methods=["GET"], summary="The logged-in user (portal)",
                      response_model=UserOut, responses=problem_responses(401, 429))
