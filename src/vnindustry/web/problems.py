"""RFC 7807 problem details: the one error shape of the API, whatever went wrong and wherever.

A request that could not get a database lock or a pooled connection within the ``db_lock_timeout`` setting
(a burst of submissions on deadline day, a month being closed) is answered 503 with ``Retry-After``, never 500:
SQLAlchemy's pool ``TimeoutError``, SQLite's "database is locked" and PostgreSQL's ``lock_not_available``
(55P03) and ``deadlock_detected`` (40P01). Nothing was written (the transaction rolled back), so sending the same
request again is safe. Browsers on the portal's pages get the same answer as an HTML page.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from vnindustry import settings

PROBLEM_JSON = "application/problem+json"
# Problem types are relative URIs into the API's own docs page, so nothing points at a host we do not run.
TYPE_BASE = "/api/v1/docs#problem-"

TITLES = {
    400: "Bad request", 404: "Not found", 405: "Method not allowed", 406: "Not acceptable",
    422: "Invalid parameter", 429: "Too many requests", 500: "Internal server error",
    503: "Service unavailable",
}


_log = logging.getLogger("vnindustry.web")

# PostgreSQL SQLSTATEs of a lock not obtained in time (lock_timeout) or given up to break a deadlock.
BUSY_SQLSTATES = {"55P03": "lock_not_available", "40P01": "deadlock_detected"}
# SQLite's messages when its busy timeout ran out.
BUSY_SQLITE = ("database is locked", "database table is locked", "database schema is locked")


def busy_reason(exc: BaseException) -> str | None:
    """Why ``exc`` means "the database is busy, try again" (a lock or a pooled connection not obtained in
    time), or None for any other error."""
    if isinstance(exc, PoolTimeout):
        return "no database connection became free in time"
    if isinstance(exc, OperationalError):
        orig = exc.orig
        state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        if state in BUSY_SQLSTATES:
            return f"a database lock was not obtained in time ({BUSY_SQLSTATES[state]})"
        text = str(orig).lower()
        if any(m in text for m in BUSY_SQLITE):
            return "a database lock was not obtained in time (database is locked)"
    return None


def retry_after() -> int:
    """Seconds a client should wait before sending a refused-while-busy request again: the lock timeout (by
    then the requests ahead of it have been served), at least 1 and at most 60."""
    return min(60, max(1, math.ceil(float(settings.get("db_lock_timeout")))))


class Problem(Exception):
    """An error the API answers with a problem document (raise it from any route)."""

    def __init__(self, status: int, detail: str, *, title: str | None = None, slug: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        self.status = status
        self.detail = detail
        self.title = title or TITLES.get(status, "Error")
        self.slug = slug or self.title.lower().replace(" ", "-")
        self.headers = headers or {}
        self.extra = extra
        super().__init__(detail)


def problem_body(status: int, detail: str, instance: str, *, title: str | None = None,
                 slug: str | None = None, **extra: Any) -> bytes:
    """The JSON bytes of a problem document (also used by the ASGI rate limiter, outside FastAPI)."""
    title = title or TITLES.get(status, "Error")
    doc = {"type": TYPE_BASE + (slug or title.lower().replace(" ", "-")), "title": title, "status": status,
           "detail": detail, "instance": instance, **extra}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def problem_response(request: Request, status: int, detail: str, *, title: str | None = None,
                     slug: str | None = None, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """A problem+json response; ``instance`` is the request's path and query."""
    instance = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    body = problem_body(status, detail, instance, title=title, slug=slug, **extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _as_page(request: Request, status: int, detail: str, title: str | None,
             headers: dict[str, str] | None) -> Response | None:
    # The portal's pages show a problem to a browser as a page (web/portal_html.html_error); everything else,
    # and every non-browser client, gets problem+json.
    hook = getattr(request.app.state, "html_errors", None)
    page = hook(request, status, detail, title or TITLES.get(status, "Error")) if hook else None
    if page is not None and headers:
        page.headers.update(headers)
    return page


def install(app: FastAPI) -> None:
    """Route every error — ours, Starlette's (404/405), validation, unexpected — to a problem document."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        page = _as_page(request, exc.status, exc.detail, exc.title, exc.headers)
        if page is not None:
            return page
        return problem_response(request, exc.status, exc.detail, title=exc.title, slug=exc.slug,
                                headers=exc.headers, **exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no route {request.url.path}; the API's routes are listed at /api/v1/docs"
        elif exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow", "")
            detail = f"{request.method} is not allowed on {request.url.path}" + (
                f"; use {allowed}" if allowed else "")
        # Keep the headers Starlette set (Allow on 405).
        page = _as_page(request, exc.status_code, detail, None, dict(exc.headers or {}))
        if page is not None:
            return page
        return problem_response(request, exc.status_code, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]) or str(e.get("loc", "")),
                   "in": str(e.get("loc", ("?",))[0]), "message": str(e.get("msg", ""))} for e in exc.errors()]
        detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors) or "invalid request"
        return problem_response(request, 422, detail, errors=errors)

    async def _busy(request: Request, exc: Exception) -> Response:
        reason = busy_reason(exc)
        if reason is None:
            raise exc  # any other database error: the 500 below, logged with its traceback
        wait = retry_after()
        _log.warning("503 for %s %s: %s (%s)", request.method, request.url.path, reason, type(exc).__name__)
        headers = {"Retry-After": str(wait), "Cache-Control": "no-store"}
        detail = (f"the server is busy ({reason}): nothing was saved; send the same request again in {wait} "
                  "seconds")
        # The portal's page says it in the catalogue's words (portal/messages.py "busy"), not the status's.
        request.state.portal_refusal = ("busy", {"wait": wait})
        page = _as_page(request, 503, _busy_page_detail(wait), "Service busy", headers)
        if page is not None:
            return page
        return problem_response(request, 503, detail, title="Service busy", slug="busy", headers=headers,
                                retry_after=wait)

    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(OperationalError, _busy)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # The detail stays generic: tracebacks and database messages are for the log, not the public.
        return problem_response(request, 500, "the server failed to answer; the error has been logged")


def _busy_page_detail(wait: int) -> str:
    """The busy message for a person (a Vietnamese page says the catalogue's "busy" entry instead)."""
    return (f"Many reports are arriving at once and yours could not be saved: nothing was stored. Send it "
            f"again in {wait} seconds.")
