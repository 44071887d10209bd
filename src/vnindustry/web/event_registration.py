"""Enterprises register themselves for a matchmaking event in the portal (issue 14, item 3: "buyers and
suppliers register and request meetings").

::

    POST /portal/enterprises/{id}/events/{event}/register   register as a buyer or a supplier (languages), or
                                                            withdraw the registration (``withdraw=1``)

The enterprise's events page (``web/linkage_portal.py``) lists the events ahead it is not part of with this
form, and, for an event it registered for itself, the withdrawal. A registrant joins the event's participants
(:func:`vnindustry.linkage.stored_events.with_registrations`): it may ask for meetings at once, be asked, and the
organiser's schedule solved from the store (``linkage schedule --event CODE --db``) includes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vnindustry.store.event_registrations import LANGUAGES, register, registrations
from vnindustry.web.portal_html import (
    LINKAGE_CODE,
    LINKAGE_ENTERPRISE,
    PORTAL,
    check_form_csrf,
    engine_of,
    enterprise_page_user,
    form_list,
    lang_of,
    read_form,
    refusal,
    with_lang,
)

LANGUAGE_NAMES: dict[str, tuple[str, str]] = {"vi": ("Tiếng Việt", "Vietnamese"), "en": ("Tiếng Anh", "English"),
                                              "ja": ("Tiếng Nhật", "Japanese"), "ko": ("Tiếng Hàn", "Korean"),
                                              "zh": ("Tiếng Trung", "Chinese")}


def open_events(engine: Any, enterprise: str) -> list[dict[str, Any]]:
    """The events ahead (today or later) the enterprise is not part of: it may register for them."""
    from vnindustry.linkage.stored_events import load_event
    from vnindustry.store import linkage_events as ev

    today = dt.date.today()
    out = []
    for row in ev.events(engine):
        if row.date < today:
            continue
        found = load_event(engine, row.code)
        if found is None or any(p.id == enterprise for p in found[0].participants):
            continue
        out.append({"code": row.code, "date": row.date, "name": found[1].name, "venue": found[1].venue})
    return out


def self_registered(engine: Any, enterprise: str, codes: list[str]) -> set[str]:
    """Which of the events ``codes`` the enterprise is part of by its own registration (it may withdraw it)."""
    return {code for code in codes if any(r.enterprise == enterprise for r in registrations(engine, code))}


def language_choices(lang: str) -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code][0 if lang == "vi" else 1]) for code in LANGUAGES]


async def register_submit(request: Request, enterprise_id: LINKAGE_ENTERPRISE, event: LINKAGE_CODE) -> Response:
    """Register for ``event`` (or withdraw, ``withdraw=1``): a new row with its audit row; 303 back."""
    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    withdraw = fields.get("withdraw") == "1"
    role = fields.get("role", "supplier")
    languages = tuple(x for x in form_list(request, "language") if x) or ("vi",)
    if role not in ("buyer", "supplier") or any(x not in LANGUAGES for x in languages):
        raise refusal(request, 422, "role is buyer or supplier; languages are " + ", ".join(LANGUAGES),
                      code="bad_registration")
    engine = engine_of(request)
    if withdraw and event not in await run_in_threadpool(self_registered, engine, enterprise_id, [event]):
        raise refusal(request, 404, f"{enterprise_id} did not register for event {event}", code="not_participant",
                      event=event)
    try:
        await run_in_threadpool(lambda: register(engine, event=event, enterprise=enterprise_id, role=role,
                                                 languages=languages, withdrawn=withdraw, created_by=user.username))
    except ValueError as exc:
        if "is over" in str(exc):
            raise refusal(request, 409, str(exc), code="past_event") from None
        raise refusal(request, 404, str(exc), code="not_participant", event=event) from None
    done = "withdrawn" if withdraw else "registered"
    return RedirectResponse(with_lang(f"{PORTAL}/enterprises/{enterprise_id}/events?done={done}", lang),
                            status_code=303)


def register_routes(app: FastAPI) -> None:
    """Add the registration route to the portal."""
    app.add_api_route(f"{PORTAL}/enterprises/{{enterprise_id}}/events/{{event}}/register", register_submit,
                      methods=["POST"], include_in_schema=False)
