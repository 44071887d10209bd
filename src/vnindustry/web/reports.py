"""The enterprise reports over HTTP: ``GET|POST /api/v1/enterprises/{enterprise_id}/reports``.

Used by the portal's form and by enterprises' own systems. Authorisation is the server's: anonymous → 401,
another enterprise's reports → 403 (statisticians and admins reach every enterprise), a POST without the
session's CSRF token → 403. The rules are :mod:`vnindustry.portal.reports`': a refused report → 422
problem+json whose ``problems`` name each bad line (1-based, in the order sent) with a fix; a value that
needs confirming → 422 with ``code`` ``needs_confirmation`` and the expected range, to be sent again with
``confirm`` and a comment. The same content again → 200 ``unchanged`` (stored once); new content → 201 and
a new version (the old kept).

Under a burst (issue 12) a submission uses one pooled connection at a time, and the session lookup runs in the
thread pool, not on the event loop (a request waiting for a pooled connection must not stall every other); a
submission that cannot get its lock or a connection within ``db_lock_timeout`` gets 503 with Retry-After
(:mod:`vnindustry.web.problems`), never 500.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Body, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select

from vnindustry.portal import months
from vnindustry.portal.reports import ReportRejected, UnknownEnterprise, report_form, submit_report
from vnindustry.store.tables import ENTERPRISES, REPORTS
from vnindustry.web.api import PREFIX, problem_responses
from vnindustry.web.auth import CurrentUser, check_csrf, ensure_enterprise_access
from vnindustry.web.formats import jsonable
from vnindustry.web.problems import Problem

ENTERPRISE_ID = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$",
                                    description="the enterprise's code in the register")]


class ReportLineIn(BaseModel):
    product: str = Field(max_length=40, description="product code")
    quantity: Any = Field(description="the month's quantity in the product's unit (a number ≥ 0)")
    comment: str = Field("", max_length=1000, description="why an unusual value is right")


class ReportIn(BaseModel):
    period: str = Field(description="the month, YYYY-MM", max_length=10)
    lines: list[ReportLineIn] = Field(max_length=1000)
    confirm: list[str] = Field(default_factory=list, max_length=1000,
                               description="products whose unusual value is confirmed (each with a comment)")


def engine_of(request: Request) -> Engine:
    """The engine of the app's store, for the portal's routes (the store itself is the public view; the portal
    reads and writes reports and accounts, which the view does not filter)."""
    return request.app.state.api.store.engine  # type: ignore[no-any-return]


def _state(state: months.MonthState) -> dict[str, Any]:
    """A month's state as the API gives it (:mod:`vnindustry.portal.months`, the pages' own rule)."""
    return {"state": state.state, "publish_on": state.publish_on, "opens_on": state.opens_on,
            "closable_from": state.closable_from}


def _reports(engine: Engine, enterprise: str) -> list[dict[str, Any]]:
    """Every month the enterprise has reported: the latest version of each, newest month first, each with its
    month's state (published, scheduled, open, not_open)."""
    latest = (select(REPORTS.c.period, func.max(REPORTS.c.version).label("version"))
              .where(REPORTS.c.enterprise_code == enterprise).group_by(REPORTS.c.period).subquery())
    stmt = (select(REPORTS.c.period, REPORTS.c.version, REPORTS.c.status, REPORTS.c.source, REPORTS.c.submitted_at,
                   REPORTS.c.submitted_by)
            .join(latest, (REPORTS.c.period == latest.c.period) & (REPORTS.c.version == latest.c.version))
            .where(REPORTS.c.enterprise_code == enterprise).order_by(REPORTS.c.period.desc()))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    states = months.month_states(engine, [r["period"] for r in rows])
    return [{**r, "month_state": _state(states[r["period"]])} for r in rows]


def _open(engine: Engine, reported: list[str]) -> list[dict[str, Any]]:
    return [{"period": s.period, **_state(s)} for s in months.offered_months(engine, reported=reported)]


async def list_or_form(request: Request, enterprise_id: ENTERPRISE_ID, user: CurrentUser,
                       period: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                                           description="a month: its form")] = None,
                       ) -> JSONResponse:
    """Without ``period``: the enterprise's reports (latest version per month, each with its ``month_state``)
    and ``open_months`` (the months it may report now). With it: that month's form — each product with last
    month's and last year's figures, the current value, the accepted range — and its ``month_state``."""
    ensure_enterprise_access(user, enterprise_id)
    engine = engine_of(request)
    if period is None:
        rows = await run_in_threadpool(_reports, engine, enterprise_id)
        if not rows and not await run_in_threadpool(_known, engine, enterprise_id):
            raise Problem(404, f"enterprise '{enterprise_id}' is not in the register", slug="unknown-enterprise")
        offered = await run_in_threadpool(_open, engine, [r["period"] for r in rows])
        return JSONResponse(jsonable({"enterprise": enterprise_id, "reports": rows, "open_months": offered}))
    try:
        form = await run_in_threadpool(report_form, engine, enterprise_id, period)
    except UnknownEnterprise as exc:
        raise Problem(404, str(exc), slug="unknown-enterprise") from None
    state = await run_in_threadpool(months.month_state, engine, period)
    return JSONResponse(jsonable({**asdict(form), "month_state": _state(state)}))


def _known(engine: Engine, enterprise: str) -> bool:

    with engine.connect() as conn:
        return conn.execute(select(ENTERPRISES.c.code).where(ENTERPRISES.c.code == enterprise)).first() is not None


async def submit(request: Request, enterprise_id: ENTERPRISE_ID, body: Annotated[ReportIn, Body()]) -> JSONResponse:
    """Submit (or correct) the month's report: 201 stored as a new version, 200 unchanged, 422 refused."""
    user = await run_in_threadpool(check_csrf, request)  # reads the session: off the event loop
    ensure_enterprise_access(user, enterprise_id)
    lines = [line.model_dump() for line in body.lines]
    engine = engine_of(request)
    try:
        # The closure is checked on the submission's own connection (no closed= callback: a second connection
        # inside the transaction deadlocked the pool under a burst).
        receipt = await run_in_threadpool(
            lambda: submit_report(engine, enterprise_id, body.period, lines, submitted_by=user.username,
                                  confirmations=body.confirm))
    except UnknownEnterprise as exc:
        raise Problem(404, str(exc), slug="unknown-enterprise", problems=jsonable(exc.problems)) from None
    except ReportRejected as exc:
        slug = "needs-confirmation" if exc.needs_confirmation else "invalid-report"
        title = "Confirmation needed" if exc.needs_confirmation else "Invalid report"
        raise Problem(422, str(exc), title=title, slug=slug, problems=jsonable(exc.problems)) from None
    status = 201 if receipt.status == "stored" else 200
    return JSONResponse(jsonable(asdict(receipt)), status_code=status)


def register(app: FastAPI) -> None:
    """Add the report routes to ``app`` (after the auth routes)."""
    path = f"{PREFIX}/enterprises/{{enterprise_id}}/reports"
    app.add_api_route(path, list_or_form, methods=["GET"], summary="An enterprise's reports, or a month's form",
                      responses=problem_responses(401, 403, 404, 422, 429))
    app.add_api_route(path, submit, methods=["POST"], summary="Submit the month's report", status_code=201,
                      responses=problem_responses(401, 403, 404, 422, 429, 503))  # 503: busy, Retry-After
