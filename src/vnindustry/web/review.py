"""The statisticians' review over HTTP (issue 6): response, the review queue, the audit log, closing a month.

Routes (statistician or admin only; anonymous → 401, an enterprise account → 403; every POST needs the
session's X-CSRF-Token, else 403; errors are problem+json)::

    GET  /api/v1/review/{period}/response                               response rate, by industry and district,
                                                                        and the follow-up list
    GET  /api/v1/review/{period}/queue                                  flagged values, open/accepted/corrected
    POST /api/v1/review/{period}/queue/{enterprise_id}/{product}/accept  {"note"}
    POST /api/v1/review/{period}/queue/{enterprise_id}/{product}/correct {"quantity", "reason"} → 201, a new
                                                                        report version (the original kept)
    POST /api/v1/review/{period}/close                                  {"publish_on": "YYYY-MM-DD", "force"?,
                                                                        "reason"?, "skip"?: [{"period", "reason"}]}
                                                                        → 201, closed, compiled and stored in one
                                                                        transaction; refusals (409/422) name the
                                                                        fix in the problem's "fix"
    POST /api/v1/review/{period}/revise                                 {"publish_on": "YYYY-MM-DD", "reason"}
                                                                        → 201 a new vintage of a closed month
                                                                        (200 when nothing changed), 409 if open
    GET  /api/v1/review/audit?period=YYYY-MM                            the audit log

In a closed month ``…/correct`` still works for statisticians (a revision, audited ``revise``); ``…/revise``
then stores the month's new vintage. The rules are :mod:`vnindustry.portal.review`'s. (A submission checks the
closure on its own transaction's connection: nothing here opens a second one.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.portal import months, review
from vnindustry.portal.accounts import Account
from vnindustry.store import Store
from vnindustry.web.api import PREFIX, problem_responses
from vnindustry.web.auth import check_csrf, require_role
from vnindustry.web.formats import jsonable
from vnindustry.web.problems import Problem
from vnindustry.web.reports import engine_of

REVIEW = f"{PREFIX}/review"
REVIEWERS = ("statistician", "admin")
PERIOD = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="the month, YYYY-MM")]
ENTERPRISE_ID = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$",
                                    description="the enterprise's code in the register")]
PRODUCT = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$",
                              description="the product's code")]

Reviewer = Annotated[Account, Depends(require_role(*REVIEWERS))]


def _writer(request: Request, user: Reviewer) -> Account:
    """A reviewer's state-changing request: the role (401/403), then the CSRF token (403)."""
    check_csrf(request)
    return user


ReviewWriter = Annotated[Account, Depends(_writer)]


class AcceptIn(BaseModel):
    note: str = Field(min_length=1, max_length=review.MAX_REASON, description="why the value is right")


class CorrectIn(BaseModel):
    quantity: Any = Field(description="the corrected quantity in the product's unit (a number ≥ 0)")
    reason: str = Field(min_length=1, max_length=review.MAX_REASON, description="why it is corrected")


class SkipIn(BaseModel):
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="an earlier open month left unpublished")
    reason: str = Field(min_length=1, max_length=review.MAX_REASON, description="why it is skipped (audited)")


class CloseIn(BaseModel):
    publish_on: dt.date = Field(description="the publication date of the month's estimate (YYYY-MM-DD), today "
                                            "(Vietnam's date) or later")
    force: bool = Field(False, description="close although open queue items remain or the response (by value) is "
                                           "below close_min_response (needs a reason)")
    reason: str = Field("", max_length=review.MAX_REASON, description="why the close is forced (with force)")
    skip: list[SkipIn] = Field(default_factory=list, max_length=1200,
                               description="earlier open months not to publish, each with a reason; every earlier "
                                           "month must be closed or skipped")


class ReviseIn(BaseModel):
    publish_on: dt.date = Field(description="the publication date of the revised figures (YYYY-MM-DD)")
    reason: str = Field(min_length=1, max_length=review.MAX_REASON, description="why the month is revised")



_CLOSE_SLUGS: dict[type, str] = {
    review.MonthNotOver: "month-not-over", review.NoReports: "no-reports", review.PublishedLater: "published-later",
    review.OpenMonthsBefore: "open-months-before", review.PublishDatePast: "publish-date-past",
    review.LowResponse: "low-response",
}


# Problem titles that say what happened (the close's guards).
_CLOSE_TITLES: dict[type, str] = {
    review.MonthNotOver: "Month not over yet", review.NoReports: "Nobody reported the month",
    review.PublishedLater: "A later month is published", review.OpenMonthsBefore: "Earlier months are open",
    review.PublishDatePast: "Publication date in the past", review.LowResponse: "Response too low to close",
}


def _answer(value: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable(value), status_code=status, headers={"Cache-Control": "no-store"})


async def _run(fn: Callable[[], Any]) -> Any:
    try:
        return await run_in_threadpool(fn)
    except review.ReviewError as exc:
        slug = {404: "not-in-queue", 409: "conflict"}.get(exc.status, "invalid-request")
        if isinstance(exc, review.OpenItems):
            slug = "open-items"
        elif isinstance(exc, review.AlreadyClosed):
            slug = "month-closed"
        elif isinstance(exc, review.NotClosed):
            slug = "month-open"
        elif isinstance(exc, review.TreeMissing):
            slug = "industry-tree-missing"
        else:
            slug = _CLOSE_SLUGS.get(type(exc), slug)
        raise Problem(exc.status, str(exc), slug=slug, title=_CLOSE_TITLES.get(type(exc)),
                      **jsonable(exc.extra)) from None
    except InputError as exc:  # the compile refused the data the store holds
        raise Problem(422, str(exc), title="Compile failed", slug="compile-failed") from None


async def get_response(request: Request, period: PERIOD, user: Reviewer) -> JSONResponse:
    """The month's response rate (expected: reported any of the 3 months before), by industry and district,
    and the expected enterprises still missing; ``value_rate``: the response by base-year value, and ``close``:
    when the month may be closed, the earlier months a close would have to skip, the response it needs; ``state``:
    the month's state (:mod:`vnindustry.portal.months`: published, scheduled, open, not_open)."""
    engine = engine_of(request)

    def read() -> dict[str, Any]:
        # What the close will check, so a client can see it before trying (issue 12).
        return {**dataclasses.asdict(review.response(engine, period)),
                "state": dataclasses.asdict(months.month_state(engine, period)),
                "value_rate": review.weighted_response(engine, period),
                "close": {"opens": review.closable_from(period),
                          "months_to_skip": review.months_to_skip(engine, period),
                          "min_response": float(settings.get("close_min_response"))}}

    return _answer(await _run(read))


async def get_queue(request: Request, period: PERIOD, user: Reviewer) -> JSONResponse:
    """The month's flagged values (unit-slip rule), each open, accepted or corrected."""
    items = await _run(lambda: review.queue(engine_of(request), period))
    counts = {s: sum(1 for x in items if x.status == s) for s in ("open", "accepted", "corrected")}
    state = await run_in_threadpool(months.month_state, engine_of(request), period)
    return _answer({"period": period, "closed": review.is_closed(engine_of(request), period),
                    "state": dataclasses.asdict(state), "counts": counts, "items": items})


async def post_accept(request: Request, period: PERIOD, enterprise_id: ENTERPRISE_ID, product: PRODUCT,
                      user: ReviewWriter, body: Annotated[AcceptIn, Body()]) -> JSONResponse:
    """Accept a flagged value as it stands (the note goes into the audit log)."""
    item = await _run(lambda: review.accept(engine_of(request), period, enterprise_id, product, by=user.username,
                                            note=body.note))
    return _answer(item)


async def post_correct(request: Request, period: PERIOD, enterprise_id: ENTERPRISE_ID, product: PRODUCT,
                       user: ReviewWriter, body: Annotated[CorrectIn, Body()]) -> JSONResponse:
    """Correct a flagged value (in a closed month any reported value: a revision): a new version of the report
    (the original kept) and an audit row."""
    done = await _run(lambda: review.correct(engine_of(request), period, enterprise_id, product, body.quantity,
                                             by=user.username, reason=body.reason))
    return _answer(done, 201)


async def post_close(request: Request, period: PERIOD, user: ReviewWriter,
                     body: Annotated[CloseIn, Body()]) -> JSONResponse:
    """Close the month: no more changes; compile it and store the estimate, released on ``publish_on``."""
    store = Store(engine_of(request))  # the statisticians' store (the app's is the public view)
    skip = [(x.period, x.reason) for x in body.skip]
    done = await _run(lambda: review.close_month(store, period, by=user.username, publish_on=body.publish_on,
                                                 force=body.force, reason=body.reason, skip=skip))
    return _answer(done, 201)


async def post_revise(request: Request, period: PERIOD, user: ReviewWriter,
                      body: Annotated[ReviseIn, Body()]) -> JSONResponse:
    """Revise a closed month: recompile it (with the corrections made since) and store a new vintage released
    on ``publish_on``; the earlier vintages stay. 200 when the figures are those of an earlier release."""
    store = Store(engine_of(request))  # the statisticians' store (the app's is the public view)
    done = await _run(lambda: review.revise_month(store, period, by=user.username, publish_on=body.publish_on,
                                                  reason=body.reason))
    return _answer(done, 201 if done.created else 200)


async def get_audit(request: Request, user: Reviewer,
                    period: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                                        description="only this month")] = None,
                    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> JSONResponse:
    """The audit log: accepts, corrections (old and new value, reason), closings and revisions, oldest first."""
    rows = await _run(lambda: review.audit_log(engine_of(request), period, limit=limit))
    return _answer({"period": period, "entries": rows})


def register(app: FastAPI) -> None:
    """Add the review routes to ``app`` (after the auth routes)."""
    item = f"{REVIEW}/{{period}}/queue/{{enterprise_id}}/{{product}}"
    app.add_api_route(f"{REVIEW}/audit", get_audit, methods=["GET"], summary="The audit log (review)",
                      responses=problem_responses(401, 403, 422, 429))
    app.add_api_route(f"{REVIEW}/{{period}}/response", get_response, methods=["GET"],
                      summary="A month's response rate and follow-up list",
                      responses=problem_responses(401, 403, 422, 429))
    app.add_api_route(f"{REVIEW}/{{period}}/queue", get_queue, methods=["GET"], summary="A month's review queue",
                      responses=problem_responses(401, 403, 422, 429))
    app.add_api_route(f"{item}/accept", post_accept, methods=["POST"], summary="Accept a flagged value",
                      responses=problem_responses(401, 403, 404, 409, 422, 429))
    app.add_api_route(f"{item}/correct", post_correct, methods=["POST"], status_code=201,
                      summary="Correct a flagged value", responses=problem_responses(401, 403, 404, 409, 422, 429))
    app.add_api_route(f"{REVIEW}/{{period}}/close", post_close, methods=["POST"], status_code=201,
                      summary="Close a month: compile and store its estimate",
                      responses=problem_responses(401, 403, 409, 422, 429))
    app.add_api_route(f"{REVIEW}/{{period}}/revise", post_revise, methods=["POST"], status_code=201,
                      summary="Revise a closed month: a new vintage of its figures",
                      responses=problem_responses(401, 403, 409, 422, 429))
