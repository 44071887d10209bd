"""The monthly report as an Excel file over HTTP (issue 6): download the template, upload it filled in.

::

    GET  /api/v1/enterprises/{enterprise_id}/reports/template.xlsx?period=YYYY-MM
         → the enterprise's template for the month (attachment ``bao-cao-E1-2020-06.xlsx``)
    POST /api/v1/enterprises/{enterprise_id}/reports/upload
         multipart/form-data: ``file`` (the filled template, ≤ 2 MB), ``confirm`` (optional: product codes whose
         unusual value is confirmed, comma- or space-separated, or the field repeated), ``period`` (optional:
         must then be the template's month); header X-CSRF-Token
         → 201 stored as a new version / 200 unchanged (the receipt of the JSON API), or 422 problem+json

Authorisation as the JSON reports routes (:mod:`vnindustry.web.reports`): anonymous → 401, an enterprise
account on another enterprise → 403, an upload without the session's CSRF token → 403; statisticians and
admins reach every enterprise. The workbook is read by :func:`vnindustry.portal.excel.read_upload` and
stored by :func:`vnindustry.portal.reports.submit_report` (``source="excel"``); every problem names its cell
(``cell``: ``"Báo cáo!F6"``), including those the service finds by line. A template of another enterprise
→ 422; a body over the limit → 413; a body that is not multipart/form-data → 415. A closed month
(:mod:`vnindustry.portal.review`) refuses changes (422 ``month_closed``), the same file again still gets 200.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from vnindustry.portal import excel
from vnindustry.portal.reports import ReportRejected, UnknownEnterprise, submit_report
from vnindustry.web.api import PREFIX, problem_responses
from vnindustry.web.auth import CurrentUser, check_csrf, ensure_enterprise_access
from vnindustry.web.formats import jsonable
from vnindustry.web.problems import Problem
from vnindustry.web.reports import ENTERPRISE_ID, engine_of

MAX_UPLOAD = 2 * 1024 * 1024  # the file
MAX_BODY = MAX_UPLOAD + 64 * 1024  # the whole multipart body (the file and the small fields)
MAX_FIELD = 16 * 1024
_CODES = re.compile(r"[\s,;]+")

PERIOD = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="the month, YYYY-MM")]


def _too_large(request: Request) -> Problem:
    # The kind of refusal, for the portal's error page in the page's language (web/portal_html.html_error).
    request.state.portal_refusal = ("upload_too_large", {"kind": "body", "max": MAX_UPLOAD // (1024 * 1024)})
    return Problem(413, f"the upload is larger than {MAX_UPLOAD // (1024 * 1024)} MB; a report template is far "
                        "smaller — upload the template itself", title="Content too large")


async def template_xlsx(request: Request, enterprise_id: ENTERPRISE_ID, user: CurrentUser, period: PERIOD
                        ) -> Response:
    """The enterprise's Excel template for the month: its products with last month's and last year's figures."""
    ensure_enterprise_access(user, enterprise_id)
    try:
        data = await run_in_threadpool(excel.template, engine_of(request), enterprise_id, period)
    except UnknownEnterprise as exc:
        raise Problem(404, str(exc), slug="unknown-enterprise", problems=jsonable(exc.problems)) from None
    except ReportRejected as exc:
        raise Problem(422, str(exc), problems=jsonable(exc.problems)) from None
    name = excel.file_name(enterprise_id, period)
    return Response(data, media_type=excel.MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


async def _body(request: Request) -> bytes:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data":
        raise Problem(415, "send the file as multipart/form-data, in the field 'file'", title="Unsupported media type")
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise _too_large(request)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _too_large(request)
    return bytes(body)


@dataclass(frozen=True)
class UploadForm:
    """The fields of an upload: the file, the confirmed product codes, the period field, any other text field."""

    filename: str
    data: bytes
    confirm: list[str]
    period: str | None
    fields: dict[str, str]


async def read_upload_form(request: Request) -> UploadForm:
    """The multipart upload of ``request`` (buffered, ≤ :data:`MAX_BODY`): 415 not multipart, 413 too large,
    400 unreadable, 422 without a file. Shared by the API route and the portal's upload form."""
    body = await _body(request)
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    replay = Request(request.scope, receive)
    try:
        async with replay.form(max_files=1, max_fields=50, max_part_size=MAX_FIELD) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                request.state.portal_refusal = ("missing_file", {})
                raise Problem(422, "no file: send the filled template in the multipart field 'file'",
                              problems=[{"cell": None, "product": None, "field": "file", "message": "missing file",
                                         "fix": "send the .xlsx in the field 'file'", "code": "missing_file"}])
            data = await upload.read(MAX_UPLOAD + 1)
            filename = upload.filename or "upload.xlsx"
            confirm = [c for value in form.getlist("confirm") if isinstance(value, str)
                       for c in _CODES.split(value) if c]
            period = form.get("period")
            fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    except StarletteHTTPException as exc:  # a malformed multipart body
        request.state.portal_refusal = ("unreadable_upload", {})
        raise Problem(400, f"the multipart body could not be read: {exc.detail}") from None
    if len(data) > MAX_UPLOAD:
        raise _too_large(request)
    period = period.strip() if isinstance(period, str) and period.strip() else None
    return UploadForm(filename, data, confirm, period, fields)


def _refused(status: int, detail: str, problems: list[dict[str, Any]], *, title: str = "Invalid upload",
             slug: str = "invalid-upload") -> Problem:
    return Problem(status, detail, title=title, slug=slug, problems=jsonable(problems))


async def upload(request: Request, enterprise_id: ENTERPRISE_ID) -> JSONResponse:
    """Upload the filled template: 201 stored as a new version, 200 unchanged, 422 refused (cells named)."""
    user = await run_in_threadpool(check_csrf, request)  # reads the session: off the event loop
    ensure_enterprise_access(user, enterprise_id)
    form = await read_upload_form(request)
    filename, data, confirm, period_field = form.filename, form.data, form.confirm, form.period
    try:
        enterprise, period, lines = await run_in_threadpool(excel.read_upload, data, filename)
    except excel.TemplateError as exc:
        raise _refused(422, str(exc), exc.problems) from None
    if enterprise != enterprise_id:
        message = f"this template is enterprise {enterprise}'s, not {enterprise_id}'s"
        raise _refused(422, message, [{"cell": None, "product": None, "field": "enterprise", "message": message,
                                       "fix": f"download the template of {enterprise_id} and fill that one in",
                                       "code": "wrong_enterprise"}])
    if period_field is not None and period_field != period:
        message = f"this template is for {period}, not {period_field}"
        raise _refused(422, message, [{"cell": None, "product": None, "field": "period", "message": message,
                                       "fix": f"download the template for {period_field}", "code": "wrong_period"}])
    try:
        receipt = await run_in_threadpool(
            lambda: submit_report(engine_of(request), enterprise_id, period, lines, submitted_by=user.username,
                                  source="excel", confirmations=confirm))  # closure checked on its own connection
    except UnknownEnterprise as exc:
        raise Problem(404, str(exc), slug="unknown-enterprise", problems=jsonable(exc.problems)) from None
    except ReportRejected as exc:
        problems = excel.locate(exc.problems, lines)
        detail = "; ".join(str(p["message"]) if p.get("cell") else f"{p['field']}: {p['message']}"
                           for p in problems)
        if exc.needs_confirmation:
            raise _refused(422, detail, problems, title="Confirmation needed", slug="needs-confirmation") from None
        raise _refused(422, detail, problems, title="Invalid report", slug="invalid-report") from None
    status = 201 if receipt.status == "stored" else 200
    return JSONResponse(jsonable({**asdict(receipt), "file": filename}), status_code=status)


_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "the filled template (.xlsx, ≤ 2 MB)"},
        "confirm": {"type": "string", "description": "product codes whose unusual value is confirmed (each with a "
                                                     "comment in the file), comma-separated"},
        "period": {"type": "string", "description": "optional: the month the file must be for, YYYY-MM"},
    }}}}}}


def register(app: FastAPI) -> None:
    """Add the Excel template and upload routes to ``app``."""
    path = f"{PREFIX}/enterprises/{{enterprise_id}}/reports"
    app.add_api_route(f"{path}/template.xlsx", template_xlsx, methods=["GET"], response_class=Response,
                      summary="The enterprise's Excel template for a month",
                      responses={200: {"description": "the template (.xlsx)",
                                       "content": {excel.MEDIA_TYPE: {"schema": {"type": "string",
                                                                                 "format": "binary"}}}},
                                 **problem_responses(401, 403, 404, 422, 429)})
    app.add_api_route(f"{path}/upload", upload, methods=["POST"], status_code=201,
                      summary="Upload the filled Excel template", openapi_extra=_UPLOAD_BODY,
                      responses={200: {"description": "the same report was already stored (unchanged)"},
                                 **problem_responses(400, 401, 403, 404, 413, 415, 422, 429, 503)})
