"""The refusals of the review (:class:`ReviewError` and its kinds, each with its HTTP status and code) and the
checks of a request's month and reason that raise them."""

from __future__ import annotations

from collections.abc import Mapping

from vnindustry.periods import month_code, parse_month

MAX_REASON = 2_000


class ReviewError(Exception):
    """A reviewing action refused; ``status`` is the HTTP status a route answers with. ``code`` (the kind of
    refusal) and ``params`` (the values it names) let a page say it in its language
    (:mod:`vnindustry.portal.messages`); ``extra`` goes into the API's problem+json."""

    status = 422
    code = "invalid_request"

    def __init__(self, message: str, *, code: str | None = None, params: Mapping[str, object] | None = None,
                 **extra: object) -> None:
        super().__init__(message)
        self.extra = extra
        self.code = code or type(self).code
        self.params = dict(params or {})


class NotInQueue(ReviewError):
    status = 404
    code = "not_in_queue"


class AlreadyClosed(ReviewError):
    status = 409
    code = "already_closed"


class AlreadyDecided(ReviewError):
    status = 409
    code = "already_decided"


class OpenItems(ReviewError):
    """Open queue items remain: ``items`` lists them (enterprise, product)."""

    status = 409
    code = "open_items"


class TreeMissing(ReviewError):
    status = 409
    code = "tree_missing"


class NotClosed(ReviewError):
    """Revising a month that is still open (close it first)."""

    status = 409
    code = "not_closed"


class MonthNotOver(ReviewError):
    """The month has not ended, or its reporting window (``close_opens_day``) has not opened."""

    status = 409
    code = "month_not_over"


class NoReports(ReviewError):
    """Nobody reported the month: there is nothing to close (a close would publish imputation only)."""

    status = 409
    code = "no_reports"


class PublishedLater(ReviewError):
    """A later month is published already (its release carries this one): revise, do not close."""

    status = 409
    code = "published_later"


class OpenMonthsBefore(ReviewError):
    """Earlier months are neither closed nor skipped: ``months`` lists them."""

    status = 409
    code = "open_months_before"


class PublishDatePast(ReviewError):
    """The publication date is before today (Vietnam's date): the "as known on" history would be rewritten."""

    status = 422
    code = "publish_date_past"


class LowResponse(ReviewError):
    """The month's response (by base-year value) is below ``close_min_response``: close with force and a reason."""

    status = 409
    code = "low_response"


def _month(period: str) -> tuple[int, str]:
    key = parse_month(str(period))
    if key is None:
        raise ReviewError(f"'{period}' is not a month (use YYYY-MM)", code="invalid_month",
                          params={"text": str(period)[:40]})
    return key, month_code(key)


def _reason(text: object, what: str, kind: str = "reason", **params: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ReviewError(f"{what} is required: say why", code="reason_required", params={"kind": kind, **params})
    if len(text) > MAX_REASON:
        raise ReviewError(f"{what} is longer than {MAX_REASON} characters", code="reason_too_long",
                          params={"max": MAX_REASON})
    return text.strip()
