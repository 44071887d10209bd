"""The portal's pages for statisticians and admins: the months, a month's review, closing, the audit log.

::

    GET  /portal/review                          the recent months: response, open items, closed or open, release
    GET  /portal/review/{period}?done=…          the month: response (overall, by industry, by district), the
                                                 follow-up list, the review queue, the close (or revise) form
    POST /portal/review/{period}/accept          enterprise, product, note, csrf_token
    POST /portal/review/{period}/correct         enterprise, product, quantity (typed as the language writes
                                                 numbers), reason, csrf_token
    POST /portal/review/{period}/close           publish_on (YYYY-MM-DD), force, reason, csrf_token
    POST /portal/review/{period}/revise          publish_on, reason, csrf_token (a closed month's new vintage)
    GET  /portal/audit?period=YYYY-MM            the audit log
    GET  /portal/admin/users                     (admins) the accounts, when vnindustry.portal.accounts has them
    POST /portal/admin/users                     create one; …/users/{username}/deactivate, …/reset-password

Statisticians and admins only (:func:`~vnindustry.web.portal_html.page_user`: anonymous → the login page,
an enterprise → 403); the user pages admins only. Every POST reads the form and checks its CSRF token first
(403, nothing done), then acts through :mod:`vnindustry.portal.review` — the same rules as the JSON API
(:mod:`vnindustry.web.review`). Done → 303 back to the month with ``?done=<what>`` (the page says what was
done; reloading does not do it again); refused → the month's page again with the reason (409 or 422, the
rules' status).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from vnindustry import settings
from vnindustry.calendar.holidays import days_off
from vnindustry.errors import InputError
from vnindustry.portal import accounts, audit_notes, months, review
from vnindustry.portal.accounts import Account
from vnindustry.portal.months import MonthState
from vnindustry.publish.numbers import format_number, parse_number
from vnindustry.store import Store, repository  # repository.today_in_vietnam(): the clock a test may move
from vnindustry.store.tables import INDUSTRIES, REPORTS
from vnindustry.web.auth import client_of
from vnindustry.web.dates import format_date
from vnindustry.web.portal_html import (
    PORTAL,
    check_form_csrf,
    engine_of,
    formats,
    lang_of,
    month_label,
    page_user,
    read_form,
    render,
    say,
    status_only,
    t,
    with_lang,
)
from vnindustry.web.problems import Problem

REVIEWERS = ("statistician", "admin")
REVIEW = f"{PORTAL}/review"
AUDIT = f"{PORTAL}/audit"
USERS = f"{PORTAL}/admin/users"
PERIOD = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
USERNAME = Annotated[str, Path(min_length=1, max_length=150, pattern=r"^[A-Za-z0-9_.@\-]+$")]
CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")  # an enterprise's or product's code in a form field
MONTHS_SHOWN = 24
QUEUE_MONTHS = 3  # the months page counts open items of the newest 3 open months (a queue takes ~0.5 s at 1,000
# enterprises); the others show "–" and their own page has the queue
DONE = ("accept", "correct", "revision", "close", "revise", "user_added", "user_deactivated", "user_reactivated",
        "password_reset")
FORM_SIZE = 32 * 1024


def _store(request: Request) -> Store:
    """The statisticians' store (the app's is the public view), as :func:`vnindustry.web.review.post_close`."""
    return Store(engine_of(request))


def next_working_day(after: dt.date) -> dt.date:
    """The first working day (Mon–Fri, no public holiday or its substitute) after ``after``."""
    day = after + dt.timedelta(days=1)
    while day.weekday() >= 5 or day in days_off(day.year):
        day += dt.timedelta(days=1)
    return day


def day_label(day: dt.date | None, lang: str) -> str:
    """A date as the language writes it: vi 06/05/2021, en 6 May 2021 (:func:`vnindustry.web.dates.format_date`)."""
    return format_date(day, lang)


def pct(rate: float | None, lang: str) -> str:
    """A rate as a percentage with one decimal: vi "87,5%", en "87.5%"; "–" for none."""
    return "–" if rate is None else f"{format_number(rate * 100, 1, lang)}%"


def _common(lang: str) -> dict[str, Any]:
    return {"pct": lambda r: pct(r, lang), "today": repository.today_in_vietnam()}  # (month_label, day: render's)


# -- the months ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthRow:
    period: str
    rate: float | None
    expected: int
    responded: int
    open_items: int | None  # None: not counted (a closed month, or an open one older than QUEUE_MONTHS open ones)
    items: int | None
    closure: review.Closure | None
    state: MonthState


def _months(engine: Any) -> list[MonthRow]:
    t_ = REPORTS.c
    with engine.connect() as conn:
        periods = list(conn.execute(select(t_.period).distinct().order_by(t_.period.desc())
                                    .limit(MONTHS_SHOWN)).scalars())
    rows = []
    queued = 0
    rates = {r.period: r for r in review.response_rates(engine, periods)}  # one query, not one per month
    states = months.month_states(engine, periods)
    for period in periods:
        resp = rates[period]
        closure = review.closure(engine, period)
        items = None
        if states[period].state == "open" and queued < QUEUE_MONTHS:
            items, queued = review.queue(engine, period), queued + 1
        rows.append(MonthRow(period, resp.rate, resp.expected, resp.responded,
                             None if items is None else sum(1 for x in items if x.status == "open"),
                             None if items is None else len(items), closure, states[period]))
    return rows


async def months_page(request: Request) -> Response:
    """The recent months (those with reports, newest first): response, open items, closed or open, release."""
    user, csrf = page_user(request, *REVIEWERS)
    lang = lang_of(request)
    rows = await run_in_threadpool(_months, engine_of(request))
    return render(request, "review_months.html.j2", lang=lang, user=user, csrf=csrf, rows=rows, **_common(lang))


# -- a month ------------------------------------------------------------------------------------------------
def _month_data(engine: Any, period: str, lang: str) -> dict[str, Any]:
    ind = INDUSTRIES.c
    with engine.connect() as conn:
        names = {code: (en if lang == "en" else vi) or code
                 for code, vi, en in conn.execute(select(ind.code, ind.name_vi, ind.name_en))}
    items = review.queue(engine, period)
    closure = review.closure(engine, period)
    state = months.month_state(engine, period)
    skip = [] if state.closed else review.months_to_skip(engine, period)
    return {"resp": review.response(engine, period), "items": items,
            "open_items": [x for x in items if x.status == "open"], "closure": closure, "state": state,
            "industry_names": names, "skip_months": skip, "value_rate": review.weighted_response(engine, period),
            "min_response": float(settings.get("close_min_response")), "closable_from": review.closable_from(period),
            "cw": {k: v[1 if lang == "en" else 0] for k, v in CLOSE_WORDS.items()}}


def _with_labels(data: dict[str, Any], lang: str) -> dict[str, Any]:
    data["expected_months"] = ", ".join(month_label(p, lang) for p in data["resp"].expected_months)
    return data


async def _month_page(request: Request, period: str, *, user: Account, csrf: str, lang: str, message: str = "",
                      ok: bool = False, status: int = 200, typed: dict[str, str] | None = None) -> Response:
    data = _with_labels(await run_in_threadpool(_month_data, engine_of(request), period, lang), lang)
    today = repository.today_in_vietnam()
    typed = typed or {}
    return render(request, "review_month.html.j2", lang=lang, user=user, csrf=csrf, period=period,
                  month=month_label(period, lang), message=message, ok=ok, http_status=status, typed=typed,
                  default_publish_on=typed.get("publish_on") or next_working_day(today).isoformat(),
                  **data, **_common(lang))


async def month_page(request: Request, period: PERIOD,
                     done: Annotated[str | None, Query(max_length=20)] = None,
                     release: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """The month's dashboard: response, follow-up, review queue, closing (or the closure and revising)."""
    user, csrf = page_user(request, *REVIEWERS)
    lang = lang_of(request)
    message = ""
    if done in DONE:
        message = t(f"rv_done_{done}", lang)
        if release:
            message += " " + t("rv_release_no", lang, release=release)
    return await _month_page(request, period, user=user, csrf=csrf, lang=lang, message=message, ok=bool(message))


# The close form's words (issue 12: its guards), vi and en.
CLOSE_WORDS: dict[str, tuple[str, str]] = {
    "skip_lead": ("Các tháng trước chưa khóa sổ: {months}. Khóa sổ tháng này mà không khóa sổ chúng thì phải bỏ qua "
                  "từng tháng (không công bố) và ghi lý do.",
                  "Earlier months not closed: {months}. Closing this month without closing them first skips "
                  "them (they are not published), with a reason."),
    "skip": ("Bỏ qua các tháng trên (không công bố)", "Skip the months above (not published)"),
    "skip_reason": ("Lý do bỏ qua", "Why they are skipped"),
    "force": ("Vẫn khóa sổ (còn số liệu chưa xử lý hoặc tỷ lệ trả lời thấp) — cần ghi lý do",
              "Close anyway (open items or a low response) — a reason is required"),
    "value_rate": ("Tỷ lệ trả lời theo giá trị năm gốc", "Response by base-year value"),
    "minimum": ("tối thiểu", "minimum"),
    "opens": ("Có thể khóa sổ từ ngày", "May be closed from"),
    "skip_reason_required": ("Bỏ qua tháng nào cũng phải ghi lý do.", "Skipping months needs a reason."),
    "fix": ("Cách xử lý", "What to do"),
}


class Refused(Exception):
    """A form refused before or by the rules: the message (in the page's language) and the HTTP status."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _review_message(exc: review.ReviewError, lang: str) -> str:
    """The rules' refusal in the page's language: English as raised (with its fix), Vietnamese from the
    portal's catalogue (:mod:`vnindustry.portal.messages`) — the month, days and values it names kept."""
    if lang == "en":
        fix = exc.extra.get("fix")
        return f"{exc} — {CLOSE_WORDS['fix'][1]}: {fix}" if fix else str(exc)
    return say(exc, lang)


async def _act(request: Request, period: str, what: str, fields_kept: tuple[str, ...],
               action: Any) -> Response:
    """Read the form, check its CSRF token, then run ``action(form, user, lang)`` (which returns the ``done``
    value, or (done, release id)): 303 to the month on success, the month's page again when refused."""
    user, csrf = page_user(request, *REVIEWERS)
    form = await read_form(request, max_size=FORM_SIZE)
    check_form_csrf(form, csrf, request)
    lang = "en" if form.get("lang") == "en" else lang_of(request)
    try:
        done = await action(form, user, lang)
    except Refused as exc:
        message, status = exc.message, exc.status
    except review.ReviewError as exc:
        message, status = _review_message(exc, lang), exc.status
    except InputError as exc:  # the compile refused the data the store holds (its message names file and line)
        message, status = f"{t('rv_compile_failed', lang)} ({exc})", 422
    else:
        release = None
        if isinstance(done, tuple):
            done, release = done
        target = f"{REVIEW}/{period}?done={done}" + (f"&release={release}" if release else "")
        return status_only(RedirectResponse(with_lang(target, lang), status_code=303))
    typed = {k: form.get(k, "") for k in fields_kept}
    typed["form"] = what
    return await _month_page(request, period, user=user, csrf=csrf, lang=lang, message=message, status=status,
                             typed=typed)


def _code(form: dict[str, str], name: str, lang: str) -> str:
    value = form.get(name, "").strip()
    if not CODE.match(value):
        raise Refused(t("rv_bad_code", lang, name=name))
    return value


def _text(form: dict[str, str], name: str, key: str, lang: str) -> str:
    value = form.get(name, "").strip()
    if not value:
        raise Refused(t(key, lang))
    if len(value) > review.MAX_REASON:
        raise Refused(t("rv_too_long", lang, n=review.MAX_REASON))
    return value


def _date(form: dict[str, str], lang: str) -> dt.date:
    text = form.get("publish_on", "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(t("rv_bad_date", lang, text=text)) from None


async def accept_submit(request: Request, period: PERIOD) -> Response:
    """Accept a flagged value as it stands, with a note."""
    engine = engine_of(request)

    async def action(form: dict[str, str], user: Account, lang: str) -> str:
        enterprise, product = _code(form, "enterprise", lang), _code(form, "product", lang)
        note = _text(form, "note", "rv_note_required", lang)
        await run_in_threadpool(lambda: review.accept(engine, period, enterprise, product, by=user.username,
                                                      note=note))
        return "accept"

    return await _act(request, period, "accept", ("enterprise", "product", "note"), action)


async def correct_submit(request: Request, period: PERIOD) -> Response:
    """Correct a flagged value (a new report version, the original kept); in a closed month, a revision."""
    engine = engine_of(request)

    async def action(form: dict[str, str], user: Account, lang: str) -> str:
        enterprise, product = _code(form, "enterprise", lang), _code(form, "product", lang)
        typed = form.get("quantity", "").strip()
        if not typed:
            raise Refused(t("rv_quantity_required", lang))
        try:
            quantity = parse_number(typed, lang)
        except ValueError as exc:  # NumberTextError: the text, why, and what to type, in lang (issue 12)
            raise Refused(str(exc)) from None
        if quantity < 0:
            raise Refused(f"{t('quantity', lang)} {t('negative', lang)}")
        reason = _text(form, "reason", "rv_reason_required", lang)
        done = await run_in_threadpool(lambda: review.correct(engine, period, enterprise, product, quantity,
                                                              by=user.username, reason=reason))
        return "revision" if getattr(done, "revision", False) else "correct"

    return await _act(request, period, "correct", ("enterprise", "product", "quantity", "reason"), action)


async def close_submit(request: Request, period: PERIOD) -> Response:
    """Close the month, compile it and store the estimate, released on publish_on (force + reason when open
    queue items remain)."""
    store = _store(request)

    async def action(form: dict[str, str], user: Account, lang: str) -> tuple[str, int | None]:
        publish_on = _date(form, lang)
        force = form.get("force") in ("1", "on", "true")
        reason = form.get("reason", "").strip()
        if force and not reason:
            raise Refused(t("rv_force_reason", lang))
        skip: dict[str, str] = {}
        if form.get("skip") in ("1", "on", "true"):
            # Exactly the months the page listed (a hidden field): a month that became open since is not
            # skipped unseen; the rules refuse the close and the page lists it.
            why = form.get("skip_reason", "").strip()
            if not why:
                raise Refused(CLOSE_WORDS["skip_reason_required"][1 if lang == "en" else 0])
            skip = {m: why for m in form.get("skip_months", "").split()}
        done = await run_in_threadpool(lambda: review.close_month(store, period, by=user.username,
                                                                  publish_on=publish_on, force=force, reason=reason,
                                                                  skip=skip))
        return "close", done.release_id

    return await _act(request, period, "close", ("publish_on", "force", "reason", "skip", "skip_reason"), action)


async def revise_submit(request: Request, period: PERIOD) -> Response:
    """Recompile a closed month (with the revisions since its closing) as a new vintage released on publish_on."""
    store = _store(request)

    async def action(form: dict[str, str], user: Account, lang: str) -> tuple[str, int | None]:
        publish_on = _date(form, lang)
        reason = _text(form, "reason", "rv_reason_required", lang)
        done = await run_in_threadpool(lambda: review.revise_month(store, period, by=user.username,
                                                                   publish_on=publish_on, reason=reason))
        return "revise", done.release_id

    return await _act(request, period, "revise", ("publish_on", "reason"), action)


# -- the audit log ------------------------------------------------------------------------------------------
async def audit_page(request: Request,
                     period: Annotated[str | None, Query(pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")] = None,
                     limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> Response:
    """The audit log (of one month with ``period``): who, when, what, the old and new value, why."""
    user, csrf = page_user(request, *REVIEWERS)
    lang = lang_of(request)
    period = period or None  # the filter form sends an empty month for all
    rows = await run_in_threadpool(review.audit_log, engine_of(request), period, limit=limit)
    fmt = formats(lang)
    return render(request, "audit.html.j2", lang=lang, user=user, csrf=csrf, rows=rows, period=period,
                  note=lambda a: audit_notes.describe(a.action, a.reason, lang, fmt), **_common(lang))


# -- the accounts (admins) ----------------------------------------------------------------------------------
async def _users_page(request: Request, *, user: Account, csrf: str, lang: str, message: str = "", ok: bool = False,
                      status: int = 200, typed: dict[str, str] | None = None) -> Response:
    users = await run_in_threadpool(accounts.list_users, engine_of(request))
    return render(request, "users.html.j2", lang=lang, user=user, csrf=csrf, users=users, message=message, ok=ok,
                  http_status=status, typed=typed or {}, **_common(lang))


async def users_page(request: Request, done: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    """The accounts: user name, role, enterprise, active; forms to add, deactivate, reset a password."""
    user, csrf = page_user(request, "admin")
    lang = lang_of(request)
    message = t(f"rv_done_{done}", lang) if done in DONE else ""
    return await _users_page(request, user=user, csrf=csrf, lang=lang, message=message, ok=bool(message))


async def _admin_act(request: Request, action: Any, done: str, kept: tuple[str, ...] = ()) -> Response:
    user, csrf = page_user(request, "admin")
    form = await read_form(request, max_size=FORM_SIZE)
    check_form_csrf(form, csrf, request)
    lang = "en" if form.get("lang") == "en" else lang_of(request)
    try:
        await run_in_threadpool(action, form, user)
    except Problem:
        raise
    except (InputError, ValueError, LookupError, PermissionError) as exc:
        status = 404 if isinstance(exc, LookupError | accounts.UnknownUser) else 422
        if isinstance(exc, accounts.AccountError):
            message = say(exc, lang)  # the kind of refusal, in the page's language
        else:
            fix = getattr(exc, "fix", None)
            message = f"{exc} — {fix}" if fix else str(exc)
        return await _users_page(request, user=user, csrf=csrf, lang=lang, message=message, status=status,
                                 typed={k: form.get(k, "") for k in kept})
    return status_only(RedirectResponse(with_lang(f"{USERS}?done={done}", lang), status_code=303))


async def user_add(request: Request) -> Response:
    """Add an account (username, password, role, enterprise for an enterprise account)."""
    engine = engine_of(request)

    def action(form: dict[str, str], user: Account) -> None:
        role = form.get("role", "")
        if form.get("password", "") != form.get("password2", form.get("password", "")):
            raise ValueError(t("rv_passwords_differ", lang_of(request)))
        accounts.add_user(engine, form.get("username", "").strip(), form.get("password", ""), role,
                          form.get("enterprise", "").strip() or None, by=user.username, client=client_of(request))

    return await _admin_act(request, action, "user_added", ("username", "role", "enterprise"))


async def user_deactivate(request: Request, username: USERNAME) -> Response:
    """Deactivate an account (its sessions end; it can no longer log in)."""
    engine = engine_of(request)

    def action(form: dict[str, str], user: Account) -> None:
        accounts.deactivate_user(engine, username, by=user.username, client=client_of(request))

    return await _admin_act(request, action, "user_deactivated")


async def user_reactivate(request: Request, username: USERNAME) -> Response:
    """Let a deactivated account log in again."""
    engine = engine_of(request)

    def action(form: dict[str, str], user: Account) -> None:
        accounts.reactivate_user(engine, username, by=user.username, client=client_of(request))

    return await _admin_act(request, action, "user_reactivated")


async def user_reset_password(request: Request, username: USERNAME) -> Response:
    """Set a new password for an account (typed by the admin)."""
    engine = engine_of(request)

    def action(form: dict[str, str], user: Account) -> None:
        accounts.reset_password(engine, username, form.get("password", ""), by=user.username,
                                client=client_of(request))

    return await _admin_act(request, action, "password_reset")


def register(app: FastAPI) -> None:
    """Add the statisticians' and admins' pages to ``app`` (after :func:`vnindustry.web.portal_pages.register`)."""
    add = app.add_api_route
    add(REVIEW, months_page, methods=["GET"], include_in_schema=False)
    add(f"{REVIEW}/{{period}}", month_page, methods=["GET"], include_in_schema=False)
    add(f"{REVIEW}/{{period}}/accept", accept_submit, methods=["POST"], include_in_schema=False)
    add(f"{REVIEW}/{{period}}/correct", correct_submit, methods=["POST"], include_in_schema=False)
    add(f"{REVIEW}/{{period}}/close", close_submit, methods=["POST"], include_in_schema=False)
    add(f"{REVIEW}/{{period}}/revise", revise_submit, methods=["POST"], include_in_schema=False)
    add(AUDIT, audit_page, methods=["GET"], include_in_schema=False)
    add(USERS, users_page, methods=["GET"], include_in_schema=False)
    add(USERS, user_add, methods=["POST"], include_in_schema=False)
    add(f"{USERS}/{{username}}/deactivate", user_deactivate, methods=["POST"], include_in_schema=False)
    add(f"{USERS}/{{username}}/reactivate", user_reactivate, methods=["POST"], include_in_schema=False)
    add(f"{USERS}/{{username}}/reset-password", user_reset_password, methods=["POST"], include_in_schema=False)
