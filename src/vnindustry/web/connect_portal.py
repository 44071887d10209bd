"""The portal's business connection pages (issue 14, item 6): an enterprise asks to be connected to industry
associations, online trade connection or a bank's credit package; the Department's officers follow each request
to the programmes it was routed to and record what the banks and programmes answered.

::

    GET/POST /portal/enterprises/{id}/connect                   the enterprise's requests; a new one, routed at once
    POST     /portal/enterprises/{id}/connect/{request}/withdraw  the enterprise withdraws a request
    GET      /portal/linkage/connect                            officers: every request, its routes and steps,
                                                                and the counts (each request once in all)
    POST     /portal/linkage/connect/{request}/steps            officers: approved, rejected, disbursed (a tranche)

The bank decides; the system only routes and counts. Every write is a locked transaction with its audit row
(:mod:`vnindustry.linkage.stored_connect`); a step the request's earlier steps do not allow is refused (409) in the
page's language, a form with a mistake comes back with the typed values kept (422).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vnindustry.linkage.connect import KIND_NAMES, KINDS, SECTOR_NAMES, SECTORS, STATUS_NAMES
from vnindustry.linkage.stored_connect import StepRefused, record_step, stored_requests, stored_summary, submit_request
from vnindustry.publish.numbers import parse_number
from vnindustry.web.portal_html import (
    LINKAGE_CODE,
    LINKAGE_ENTERPRISE,
    PORTAL,
    check_form_csrf,
    engine_of,
    enterprise_page_user,
    known_enterprise,
    lang_of,
    page_user,
    read_form,
    refusal,
    render,
    with_lang,
)

TEXT: dict[str, tuple[str, str]] = {
    "connect": ("Đề nghị kết nối", "Connection requests"),
    "lead": ("Sở Công Thương chuyển đề nghị đến các hiệp hội ngành hàng, chương trình kết nối giao thương trực "
             "tuyến, hoặc các gói tín dụng ngân hàng đã đăng ký phù hợp với ngành, số tiền và kỳ hạn. Ngân hàng "
             "quyết định cho vay; hệ thống chỉ chuyển đề nghị và theo dõi.",
             "The Department routes a request to the industry associations, the online trade connection "
             "programmes, or the banks' registered credit packages that fit its sector, amount and tenor. The "
             "bank decides; the system only routes and follows."),
    "new": ("Gửi đề nghị mới", "A new request"),
    "kind": ("Loại đề nghị", "Kind of request"),
    "sector": ("Ngành", "Sector"),
    "amount": ("Số tiền cần vay (đồng)", "Amount (VND)"),
    "tenor": ("Kỳ hạn (tháng)", "Tenor (months)"),
    "purpose": ("Mục đích", "Purpose"),
    "description": ("Mô tả thêm", "Further description"),
    "send": ("Gửi đề nghị", "Send the request"),
    "sent": ("Đã gửi đề nghị {code}.", "Request {code} sent."),
    "withdrawn_notice": ("Đã rút đề nghị {code}.", "Request {code} withdrawn."),
    "recorded": ("Đã ghi nhận.", "Recorded."),
    "fix": ("Chưa gửi: sửa các ô được đánh dấu.", "Not sent: correct the marked boxes."),
    "required": ("Cần điền.", "Required."),
    "credit_needs": ("Đề nghị vay vốn cần số tiền và kỳ hạn.", "A loan request needs its amount and tenor."),
    "positive": ("Nhập một số lớn hơn 0.", "Enter a number above 0."),
    "whole": ("Nhập số tháng là số nguyên, ví dụ 36.", "Enter whole months, e.g. 36."),
    "none": ("Chưa có đề nghị nào.", "No requests yet."),
    "code": ("Mã", "Code"),
    "submitted": ("Ngày gửi", "Sent"),
    "routes": ("Chuyển đến", "Routed to"),
    "no_route": ("Chưa có chương trình nào phù hợp (ngành, số tiền, kỳ hạn hoặc thời hạn của gói).",
                 "No programme fits yet (sector, amount, tenor or the packages' dates)."),
    "withdraw": ("Rút đề nghị", "Withdraw"),
    "history": ("Diễn biến", "History"),
    "office": ("Theo dõi đề nghị kết nối", "Connection requests"),
    "office_lead": ("Mỗi đề nghị được đếm một lần trong dòng tổng, dù được chuyển đến hay được duyệt bởi nhiều "
                    "chương trình; số tiền giải ngân là tổng các lần giải ngân.",
                    "Each request counts once in the total, however many programmes it went to or approved it; "
                    "the amount disbursed is the sum of its tranches."),
    "programme": ("Chương trình", "Programme"),
    "requests": ("Đề nghị", "Requests"),
    "approved": ("Được chấp thuận", "Approved"),
    "disbursed": ("Đã giải ngân", "Disbursed"),
    "amount_disbursed": ("Số tiền giải ngân (đồng)", "Amount disbursed (VND)"),
    "total": ("Tổng (mỗi đề nghị một lần)", "Total (each request once)"),
    "enterprise": ("Doanh nghiệp", "Enterprise"),
    "record": ("Ghi nhận", "Record"),
    "day": ("Ngày (YYYY-MM-DD)", "Day (YYYY-MM-DD)"),
    "bad_date": ("«{text}» không phải ngày (YYYY-MM-DD).", "'{text}' is not a date (YYYY-MM-DD)."),
    "state": ("Tình trạng", "State"),
    "back": ("Quay lại", "Back"),
}


def tt(key: str, lang: str, **values: object) -> str:
    vi, en = TEXT[key]
    return (vi if lang == "vi" else en).format(**values)


def _names(lang: str) -> dict[str, Any]:
    i = 0 if lang == "vi" else 1
    return {"kinds": [(k, KIND_NAMES[k][i]) for k in KINDS], "sectors": [(s, SECTOR_NAMES[s][i]) for s in SECTORS],
            "kind_name": lambda k: KIND_NAMES.get(k, (k, k))[i],
            "sector_name": lambda s: SECTOR_NAMES.get(s, (s, s))[i],
            "status_name": lambda s: STATUS_NAMES.get(s, (s, s))[i]}


def _refused(request: Request, exc: StepRefused) -> Exception:
    status = 404 if exc.code == "unknown_request" else 409
    return refusal(request, status, str(exc), code=f"connect_{exc.code}", code_of=exc.request)


def _amount(text: str, lang: str, errors: dict[str, str]) -> float | None:
    if not text.strip():
        return None
    try:
        value = parse_number(text, lang)
    except ValueError as exc:
        errors["amount"] = str(exc)
        return None
    if value <= 0:
        errors["amount"] = tt("positive", lang)
        return None
    return value


async def connect_page(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """The enterprise's connection requests, where each went and what became of it, and the form for a new one."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    engine = engine_of(request)
    name = await run_in_threadpool(known_enterprise, request, engine, enterprise_id)
    rows = await run_in_threadpool(lambda: stored_requests(engine, enterprise=enterprise_id))
    notice = ""
    if code := request.query_params.get("sent"):
        notice = tt("sent", lang, code=code)
    elif code := request.query_params.get("withdrawn"):
        notice = tt("withdrawn_notice", lang, code=code)
    return render(request, "connect.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id, name=name,
                  tt=lambda k, **v: tt(k, lang, **v), rows=rows, errors={}, values={}, notice=notice, **_names(lang))


async def connect_submit(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """Store and route a new request (303 back, naming its code), or the form again with each mistake (422)."""
    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    engine = engine_of(request)
    name = await run_in_threadpool(known_enterprise, request, engine, enterprise_id)
    errors: dict[str, str] = {}
    kind, sector = fields.get("kind", ""), fields.get("sector", "")
    if kind not in KINDS:
        errors["kind"] = tt("required", lang)
    if sector not in SECTORS:
        errors["sector"] = tt("required", lang)
    amount = _amount(fields.get("amount", ""), lang, errors)
    tenor_text = fields.get("tenor_months", "").strip()
    tenor = int(tenor_text) if tenor_text.isdigit() and int(tenor_text) > 0 else None
    if tenor_text and tenor is None:
        errors["tenor_months"] = tt("whole", lang)
    if kind == "credit" and "amount" not in errors and "tenor_months" not in errors and (amount is None or not tenor):
        errors["amount" if amount is None else "tenor_months"] = tt("credit_needs", lang)
    purpose = fields.get("purpose", "").strip()[:500]
    description = fields.get("description", "").strip()[:2000]
    if errors:
        rows = await run_in_threadpool(lambda: stored_requests(engine, enterprise=enterprise_id))
        values = {k: fields.get(k, "") for k in ("kind", "sector", "amount", "tenor_months", "purpose",
                                                 "description")}
        return render(request, "connect.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                      name=name, tt=lambda k, **v: tt(k, lang, **v), rows=rows, errors=errors, values=values,
                      notice=tt("fix", lang), http_status=422, **_names(lang))
    credit = kind == "credit"
    code, _ = await run_in_threadpool(lambda: submit_request(
        engine, enterprise=enterprise_id, kind=kind, sector=sector, amount=amount if credit else None,
        tenor_months=tenor if credit else None, purpose=purpose, description=description,
        created_by=user.username))
    return RedirectResponse(with_lang(f"{PORTAL}/enterprises/{enterprise_id}/connect?sent={code}", lang),
                            status_code=303)


async def withdraw_submit(request: Request, enterprise_id: LINKAGE_ENTERPRISE, request_code: LINKAGE_CODE) -> Response:
    """The enterprise withdraws its request (a step, audited); 303 back."""
    code = request_code
    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    try:
        await run_in_threadpool(lambda: record_step(engine_of(request), code, "withdrawn",
                                                    recorded_by=user.username, enterprise=enterprise_id))
    except StepRefused as exc:
        raise _refused(request, exc) from None
    return RedirectResponse(with_lang(f"{PORTAL}/enterprises/{enterprise_id}/connect?withdrawn={code}", lang),
                            status_code=303)


def _office(engine: Any) -> dict[str, Any]:
    summary, names = stored_summary(engine)
    return {"rows": stored_requests(engine), "summary": summary, "programme_names": names}


async def office_page(request: Request) -> Response:
    """Officers: the counts per programme and in all, every request with its routes, and the forms to record
    what a bank or programme answered."""
    user, csrf = page_user(request, "statistician", "admin")
    lang = lang_of(request)
    context = await run_in_threadpool(_office, engine_of(request))
    done = request.query_params.get("done")
    return render(request, "connect_office.html.j2", lang=lang, user=user, csrf=csrf,
                  tt=lambda k, **v: tt(k, lang, **v), notice=tt("recorded", lang) if done else "",
                  today=dt.date.today().isoformat(), **context, **_names(lang))


async def step_submit(request: Request, request_code: LINKAGE_CODE) -> Response:
    """Officers: record a step of a request at a programme — approved, rejected or disbursed (with the amount)."""
    code = request_code
    user, csrf = await run_in_threadpool(page_user, request, "statistician", "admin")
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    status = fields.get("status", "")
    if status not in ("approved", "rejected", "disbursed"):
        raise refusal(request, 422, f"{status!r} is not a step an officer records", code="connect_bad_order",
                      code_of=code)
    errors: dict[str, str] = {}
    amount = _amount(fields.get("amount", ""), lang, errors)
    if errors:
        raise refusal(request, 422, f"{fields.get('amount')!r} is not an amount", code="bad_value")
    day_text = fields.get("at", "").strip()
    try:
        day = dt.date.fromisoformat(day_text) if day_text else dt.date.today()
    except ValueError:
        raise refusal(request, 422, f"{day_text!r} is not a date", code="connect_bad_date", text=day_text) from None
    try:
        await run_in_threadpool(lambda: record_step(engine_of(request), code, status, to=fields.get("to", ""), at=day,
                                                    amount=amount if status == "disbursed" else None,
                                                    note=fields.get("note", "").strip()[:500],
                                                    recorded_by=user.username))
    except StepRefused as exc:
        raise _refused(request, exc) from None
    return RedirectResponse(with_lang(f"{PORTAL}/linkage/connect?done=1#r-{code}", lang), status_code=303)


def register(app: FastAPI) -> None:
    """Add the connection request pages to the portal."""
    add = app.add_api_route
    base = f"{PORTAL}/enterprises/{{enterprise_id}}/connect"
    add(base, connect_page, methods=["GET"], include_in_schema=False)
    add(base, connect_submit, methods=["POST"], include_in_schema=False)
    add(f"{base}/{{request_code}}/withdraw", withdraw_submit, methods=["POST"], include_in_schema=False)
    add(f"{PORTAL}/linkage/connect", office_page, methods=["GET"], include_in_schema=False)
    add(f"{PORTAL}/linkage/connect/{{request_code}}/steps", step_submit, methods=["POST"], include_in_schema=False)
