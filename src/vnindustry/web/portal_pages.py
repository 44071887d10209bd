"""The portal's pages for logging in and for enterprises: the monthly form, the Excel upload, the receipt.

::

    GET  /portal                                        → the user's start page (or the login page)
    GET  /portal/login?next=…     POST /portal/login     the login form (username, password, login token)
    POST /portal/logout                                  (csrf_token)
    GET  /portal/enterprises/{id}                        the enterprise's months: open for reports, reported
                                                         (each published, scheduled, open or not open yet)
    GET  /portal/enterprises/{id}/reports/{period}       the month's form (last month's and last year's figures)
    POST /portal/enterprises/{id}/reports/{period}       submit it (q.<product>, c.<product>, confirm, csrf_token)
    POST /portal/enterprises/{id}/reports/{period}/upload   the filled Excel template (multipart, csrf_token)
    GET  /portal/enterprises/{id}/reports/{period}/receipt?version=N   the receipt of a stored version

The form is checked by the same rules as the JSON API (:func:`vnindustry.portal.reports.submit_report`):
a refused report comes back as the form with the typed values kept and each bad box marked (422); a value
10× off its history comes back with a confirmation box and a comment to fill (422); a stored report
redirects (303) to its receipt, so reloading the receipt never submits twice. Numbers are typed as the
language writes them (vi "1.234,5", en "1,234.5"; :func:`vnindustry.publish.numbers.parse_number`).

A month takes reports only while it is open (:mod:`vnindustry.portal.months`: it has ended and is neither closed
nor published); the current month is shown, not offered, until it ends. Every refusal is said in the page's
language (:mod:`vnindustry.portal.messages`), and every redirect keeps ``?lang=en``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vnindustry.periods import month_code, parse_month
from vnindustry.portal import excel, months
from vnindustry.portal.accounts import Account
from vnindustry.portal.months import MonthState
from vnindustry.portal.receipts import enterprise_name, reports_of, stored_report
from vnindustry.portal.reports import (
    ReportForm,
    ReportRejected,
    UnknownEnterprise,
    month_not_open,
    report_form,
    submit_report,
)
from vnindustry.publish.numbers import parse_number
from vnindustry.web import auth
from vnindustry.web.dates import format_date
from vnindustry.web.excel_reports import read_upload_form
from vnindustry.web.portal_html import (
    LOGIN,
    PORTAL,
    LoginRequired,
    check_form_csrf,
    engine_of,
    enterprise_page_user,
    form_list,
    html_error,
    lang_of,
    login_redirect,
    month_label,
    number,
    page_user,
    read_form,
    refusal,
    render,
    safe_next,
    say,
    status_only,
    t,
    with_lang,
)
from vnindustry.web.problems import Problem

LOGIN_COOKIE = "vnindustry_login"  # the login form's double-submit token (there is no session yet)
ENTERPRISE_ID = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")]
PERIOD = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def home_of(user: Account) -> str:
    """Where a user starts: an enterprise its own months, statisticians and admins the review."""
    if user.role == "enterprise" and user.enterprise:
        return f"{PORTAL}/enterprises/{user.enterprise}"
    return f"{PORTAL}/review"


# -- login and logout -----------------------------------------------------------------------------------
async def portal_home(request: Request) -> Response:
    """The portal's entry: the user's start page, or the login page."""
    user, _ = page_user(request)
    return status_only(RedirectResponse(with_lang(home_of(user), lang_of(request)), status_code=303))


def _login_page(request: Request, lang: str, *, next_url: str, message: str = "", username: str = "",
                status: int = 200, headers: dict[str, str] | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html.j2", lang=lang, login_token=token, next_url=next_url, message=message,
                      username=username, http_status=status)
    response.set_cookie(LOGIN_COOKIE, token, max_age=2 * 3600, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path=LOGIN)
    response.headers.update(headers or {})
    return response


async def login_form(request: Request, next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    """The login form; a logged-in user goes straight on."""
    lang = lang_of(request)
    try:
        user, _ = page_user(request)
    except LoginRequired:
        return _login_page(request, lang, next_url=safe_next(next))
    target = safe_next(next) if next else home_of(user)
    return status_only(RedirectResponse(target if "lang=" in target else with_lang(target, lang), status_code=303))


async def login_submit(request: Request) -> Response:
    """Log in from the form: 303 to ``next`` with the session cookie, or the form again with why."""
    form = await read_form(request, max_size=16 * 1024)
    lang = "en" if form.get("lang") == "en" else lang_of(request)
    next_url = safe_next(form.get("next"))
    username = form.get("username", "").strip()
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    sent = form.get("login_token", "")
    if not cookie or not sent or not secrets.compare_digest(cookie.encode(), sent.encode()):
        return _login_page(request, lang, next_url=next_url, username=username, status=403,
                           message=t("login_expired", lang))
    try:
        token, session = await run_in_threadpool(auth.start_session, request, username, form.get("password", ""))
    except Problem as exc:
        if exc.status == 429:
            wait = exc.headers.get("Retry-After", "60")
            return _login_page(request, lang, next_url=next_url, username=username, status=429,
                               message=t("throttled", lang, wait=wait), headers={"Retry-After": wait})
        if exc.status == 401:
            return _login_page(request, lang, next_url=next_url, username=username, status=401,
                               message=t("wrong_login", lang))
        raise
    target = next_url if next_url != PORTAL else home_of(session.account)
    response = status_only(RedirectResponse(with_lang(target, lang) if "lang=" not in target else target,
                                            status_code=303))
    auth.set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN)
    return response


async def logout_submit(request: Request) -> Response:
    """Log out (the form's csrf_token): the session ends on the server; back to the login page."""
    _, csrf = page_user(request)
    form = await read_form(request, max_size=16 * 1024)
    check_form_csrf(form, csrf, request)
    lang = "en" if form.get("lang") == "en" else lang_of(request)
    response = status_only(RedirectResponse(with_lang(LOGIN, lang), status_code=303))
    await run_in_threadpool(auth.end_current_session, request, response)
    return response


# -- the enterprise's months -----------------------------------------------------------------------------
def _unknown_enterprise(request: Request, enterprise_id: str) -> Problem:
    return refusal(request, 404, f"enterprise '{enterprise_id}' is not in the register", slug="unknown-enterprise",
                   code="unknown_enterprise", enterprise=enterprise_id)


async def enterprise_home(request: Request, enterprise_id: ENTERPRISE_ID) -> Response:
    """The enterprise's page: the months open for reporting (and when the current one opens), and every month
    reported (latest version) with its state — published, closed for publication, open, not open yet."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    engine = engine_of(request)

    def load() -> tuple[Any, list[MonthState], dict[str, MonthState], str | None]:
        rows = reports_of(engine, enterprise_id)
        reported = [r.period for r in rows]
        return (rows, months.offered_months(engine, reported=reported), months.month_states(engine, reported),
                enterprise_name(engine, enterprise_id))

    rows, offered, states, name = await run_in_threadpool(load)
    if name is None:
        raise _unknown_enterprise(request, enterprise_id)
    current = months.current_month()  # the month under way: when it opens
    latest = {r.period: r for r in rows}
    return render(request, "enterprise.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                  name=name, rows=rows, offered=offered, states=states, latest=latest, current=current)


# -- the monthly form -----------------------------------------------------------------------------------
@dataclass
class BoxState:
    """What one box of the form shows after a refused submission: the text typed and what is wrong."""

    typed: str = ""
    comment: str = ""
    error: str = ""
    confirm: bool = False  # the confirmation checkbox is shown
    confirmed: bool = False  # … and was ticked


def _message(problem: dict[str, Any], lang: str) -> str:
    """A refusal in the form's language: the unusual-value prompt with its range, any other problem through
    the portal's catalogue (:func:`~vnindustry.web.portal_html.say`)."""
    code = problem.get("code")
    if code in ("needs_confirmation", "comment_required"):
        expected = problem.get("expected") or {}
        low, high = expected.get("low"), expected.get("high")
        if lang == "vi":
            reason = ("Đã xác nhận nhưng thiếu ghi chú: hãy ghi lý do." if code == "comment_required"
                      else "Số liệu khác thường so với các tháng trước.")
            return f"{reason} Thường trong khoảng {number(low, lang)} – {number(high, lang)}."
        return str(problem.get("message", ""))
    return say(problem, lang)


def _form_page(request: Request, form: ReportForm, *, user: Account, csrf: str, lang: str, state: MonthState,
               boxes: dict[str, BoxState] | None = None, general: list[str] | None = None, lead: str = "",
               status: int = 200, upload_errors: list[dict[str, Any]] | None = None, upload_file: str = ""
               ) -> Response:
    boxes = boxes or {}
    rows = []
    for line in form.lines:
        box = boxes.get(line.product) or BoxState(
            typed="" if line.current is None else number(line.current, lang).replace("–", ""),
            comment=line.comment)
        rows.append((line, box))
    return render(request, "form.html.j2", lang=lang, user=user, csrf=csrf, form=form, rows=rows,
                  closed=not state.accepts_reports, state=state,
                  general=general or [], lead=lead, http_status=status, failed=status >= 400,
                  upload_errors=upload_errors or [], upload_file=upload_file,
                  month=month_label(form.period, lang),
                  last_month_label=month_label(month_code(parse_month(form.period) - 1), lang),  # type: ignore[operator]
                  last_year_label=month_label(month_code(parse_month(form.period) - 12), lang),  # type: ignore[operator]
                  template_url=f"/api/v1/enterprises/{form.enterprise}/reports/template.xlsx?period={form.period}")


def _load_form(request: Request, enterprise_id: str, period: str) -> tuple[ReportForm, MonthState]:
    engine = engine_of(request)
    try:
        form = report_form(engine, enterprise_id, period)
    except UnknownEnterprise:
        raise _unknown_enterprise(request, enterprise_id) from None
    return form, months.month_state(engine, period)


def _state_lead(state: MonthState, lang: str) -> str:
    """Why a month's form takes no report: closed (or published), or not over yet."""
    if state.closed:
        return t("closed_lead", lang)
    if state.state == "not_open":
        return t("not_open_lead", lang, month=month_label(state.period, lang),
                 day=format_date(state.opens_on, lang))
    return ""


async def form_page(request: Request, enterprise_id: ENTERPRISE_ID, period: PERIOD) -> Response:
    """The month's form: each product, last month's and last year's figures, this month's box."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    form, state = await run_in_threadpool(_load_form, request, enterprise_id, period)
    return _form_page(request, form, user=user, csrf=csrf, lang=lang, state=state, lead=_state_lead(state, lang))


def _receipt_url(enterprise: str, period: str, version: int, status: str, lang: str) -> str:
    return with_lang(f"{PORTAL}/enterprises/{enterprise}/reports/{period}/receipt?version={version}&status={status}",
                     lang)


def _apply_problems(problems: list[dict[str, Any]], boxes: dict[str, BoxState], lang: str) -> list[str]:
    """Mark each problem on its product's box; the rest (the report as a whole) are returned as text."""
    general = []
    for p in problems:
        box = boxes.get(str(p.get("product"))) if p.get("product") else None
        if box is None:
            general.append(_message(p, lang))
            continue
        box.error = _message(p, lang)
        if p.get("code") in ("needs_confirmation", "comment_required"):
            box.confirm = True
    return general


async def form_submit(request: Request, enterprise_id: ENTERPRISE_ID, period: PERIOD) -> Response:
    """Submit the month's form: 303 to the receipt, or the form again (422) with each problem on its box."""
    # The session is read in the thread pool: under a burst the event loop must never wait for a connection.
    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    form, state = await run_in_threadpool(_load_form, request, enterprise_id, period)
    if state.state == "not_open":
        return _form_page(request, form, user=user, csrf=csrf, lang=lang, state=state,
                          general=[_message(month_not_open(state.period, state.opens_on), lang)],
                          lead=t("refused_lead", lang), status=422)
    confirmations = set(form_list(request, "confirm"))
    boxes: dict[str, BoxState] = {}
    lines: list[dict[str, Any]] = []
    local_errors = False
    for line in form.lines:
        typed = fields.get(f"q.{line.product}", "").strip()
        comment = fields.get(f"c.{line.product}", "").strip()
        box = boxes[line.product] = BoxState(typed=typed, comment=comment, confirmed=line.product in confirmations)
        if not typed:
            if comment:
                box.error = ("Có ghi chú nhưng chưa nhập sản lượng." if lang == "vi"
                             else "A comment without a quantity: enter the quantity.")
                local_errors = True
            continue
        try:
            quantity = parse_number(typed, lang)
        except ValueError as exc:  # NumberTextError: the text, why, and what to type, in lang (issue 12)
            box.error = str(exc)
            local_errors = True
            continue
        if quantity < 0:
            box.error = f"{t('quantity', lang)} {t('negative', lang)}"
            local_errors = True
            continue
        lines.append({"product": line.product, "quantity": quantity, "comment": comment})
        box.confirm = line.product in confirmations
    general: list[str] = []
    if not lines and not local_errors:
        general.append(_message({"code": "empty_report", "message": "the report has no lines"}, lang))
    if local_errors or not lines:
        return _form_page(request, form, user=user, csrf=csrf, lang=lang, state=state, boxes=boxes,
                          general=general, lead=t("refused_lead", lang), status=422)
    engine = engine_of(request)
    try:
        receipt = await run_in_threadpool(
            lambda: submit_report(engine, enterprise_id, period, lines, submitted_by=user.username,
                                  confirmations=confirmations))  # closure checked on its own connection
    except ReportRejected as exc:
        general = _apply_problems(exc.problems, boxes, lang)
        lead = t("confirm_lead", lang) if exc.needs_confirmation else t("refused_lead", lang)
        return _form_page(request, form, user=user, csrf=csrf, lang=lang, state=state, boxes=boxes,
                          general=general, lead=lead, status=422)
    return status_only(RedirectResponse(_receipt_url(enterprise_id, receipt.period, receipt.version, receipt.status,
                                                     lang), status_code=303))


async def upload_submit(request: Request, enterprise_id: ENTERPRISE_ID, period: PERIOD) -> Response:
    """The filled Excel template from the form page: 303 to the receipt, or the form with each cell's problem."""
    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)  # off the event loop
    upload = await read_upload_form(request)
    check_form_csrf(upload.fields, csrf, request)
    lang = "en" if upload.fields.get("lang") == "en" else lang_of(request)
    form, state = await run_in_threadpool(_load_form, request, enterprise_id, period)

    def refused(problems: list[dict[str, Any]]) -> Response:
        return _form_page(request, form, user=user, csrf=csrf, lang=lang, state=state,
                          lead=t("confirm_lead", lang) if problems and all(
                              p.get("code") in ("needs_confirmation", "comment_required") for p in problems)
                          else t("refused_lead", lang),
                          upload_errors=[{**p, "text": _message(p, lang)} for p in problems],
                          upload_file=upload.filename, status=422)

    if state.state == "not_open":
        return refused([month_not_open(state.period, state.opens_on)])
    try:
        found_enterprise, found_period, lines = await run_in_threadpool(excel.read_upload, upload.data,
                                                                        upload.filename)
    except excel.TemplateError as exc:
        return refused(exc.problems)
    if found_enterprise != enterprise_id or found_period != period:
        return refused([{"cell": None, "code": "wrong_template", "field": "file",
                         "message": f"{upload.filename}: the template of {found_enterprise} for {found_period}, "
                                    f"not {enterprise_id} for {period}; download this month's template",
                         "params": {"file": upload.filename, "found_enterprise": found_enterprise,
                                    "found_period": found_period, "enterprise": enterprise_id, "period": period}}])
    engine = engine_of(request)
    try:
        receipt = await run_in_threadpool(
            lambda: submit_report(engine, enterprise_id, period, lines, submitted_by=user.username, source="excel",
                                  confirmations=upload.confirm))  # closure checked on its own connection
    except ReportRejected as exc:
        return refused(excel.locate(exc.problems, lines))
    return status_only(RedirectResponse(_receipt_url(enterprise_id, receipt.period, receipt.version, receipt.status,
                                                     lang), status_code=303))


async def receipt_page(request: Request, enterprise_id: ENTERPRISE_ID, period: PERIOD,
                       version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
                       status: Annotated[str | None, Query(pattern="^(stored|unchanged)$")] = None) -> Response:
    """The receipt of a stored version (default the latest): time, checksum and every line as stored."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    report = await run_in_threadpool(stored_report, engine_of(request), enterprise_id, period, version)
    if report is None:
        what = f"version {version} of the report for" if version else "report for"
        raise refusal(request, 404, f"there is no {what} {period} of enterprise {enterprise_id}: it was not stored",
                      slug="no-report", code="no_report", month=period, enterprise=enterprise_id,
                      version=f" (lần gửi {version})" if version else "")
    return render(request, "receipt.html.j2", lang=lang, user=user, csrf=csrf, report=report, status=status,
                  month=month_label(period, lang))


def register(app: FastAPI) -> None:
    """Add the login and enterprise pages to ``app``; browsers get portal errors as pages."""
    app.state.html_errors = html_error

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        return login_redirect(exc.next_url, exc.lang)

    add = app.add_api_route
    add(PORTAL, portal_home, methods=["GET"], include_in_schema=False)
    add(LOGIN, login_form, methods=["GET"], include_in_schema=False)
    add(LOGIN, login_submit, methods=["POST"], include_in_schema=False)
    add(f"{PORTAL}/logout", logout_submit, methods=["POST"], include_in_schema=False)
    base = f"{PORTAL}/enterprises/{{enterprise_id}}"
    add(base, enterprise_home, methods=["GET"], include_in_schema=False)
    add(f"{base}/reports/{{period}}", form_page, methods=["GET"], include_in_schema=False)
    add(f"{base}/reports/{{period}}", form_submit, methods=["POST"], include_in_schema=False)
    add(f"{base}/reports/{{period}}/upload", upload_submit, methods=["POST"], include_in_schema=False)
    add(f"{base}/reports/{{period}}/receipt", receipt_page, methods=["GET"], include_in_schema=False)
