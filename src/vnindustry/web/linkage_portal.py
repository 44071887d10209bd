"""The portal's supporting-industry pages (issue 14): an enterprise's supplier profile, its sourcing needs and
their matches, and the needs it was matched to as a supplier.

::

    GET/POST /portal/enterprises/{id}/profile          the supplier profile (each save a new version)
    GET/POST /portal/enterprises/{id}/needs            the buyer's needs: list, add, change, close
    GET      /portal/enterprises/{id}/needs/{need}     one need's ranked suppliers, with the reasons
    GET      /portal/enterprises/{id}/matched          as a supplier: the open needs it is ranked for
    GET      /portal/enterprises/{id}/events           the matchmaking events it takes part in: requests,
                                                       its agenda, and what came of its meetings
    POST     /portal/enterprises/{id}/events/{event}/requests   ask for (or withdraw) a meeting
    POST     /portal/enterprises/{id}/events/{event}/outcomes   report a meeting's result at a stage
    GET      /portal/linkage/needs                     officers: every open need and its best suppliers
    POST     /portal/linkage/needs/{need}/introduce    officers: broker the contact (supplier, withdraw, note)

Who sees what: an enterprise sees and changes only its own profile and needs (statisticians and admins, the
Department's officers, any); a supplier sees the needs it was matched to with the buyer anonymous (the
Department brokers the contact); a need's matches name the suppliers, whose directory entries are public anyway.
Every change is a new version with its audit row (:mod:`vnindustry.store.linkage`); a form with a mistake comes
back with the typed values kept and each mistake said in the page's language (422).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vnindustry.linkage import match
from vnindustry.linkage.hs import display, normalise
from vnindustry.linkage.profiles import parse_certificate
from vnindustry.linkage.stored import load_needs, load_suppliers
from vnindustry.linkage.vocab import PROCESSES, certification, process
from vnindustry.portal.receipts import enterprise_name
from vnindustry.publish.numbers import parse_number
from vnindustry.store.linkage import current_needs, current_profiles, history, save_needs, save_profiles
from vnindustry.web.linkage_words import tt  # the pages' words, vi and en
from vnindustry.web.portal_html import (
    LINKAGE_CODE,
    LINKAGE_ENTERPRISE,
    PORTAL,
    check_form_csrf,
    engine_of,
    enterprise_page_user,
    form_list,
    known_enterprise,
    lang_of,
    page_user,
    read_form,
    refusal,
    render,
    with_lang,
)


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.replace("\n", ";").split(";") if x.strip()]


def _hs(text: str, lang: str, errors: dict[str, str], field: str = "hs") -> list[str]:
    codes = []
    for item in _split(text.replace(",", ";")):
        code = normalise(item)
        if code is None:
            errors[field] = tt("bad_hs", lang, text=item)
        else:
            codes.append(code)
    return list(dict.fromkeys(codes))


def _number(text: str, lang: str, errors: dict[str, str], field: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = parse_number(text, lang)
    except ValueError as exc:
        errors[field] = str(exc)
        return None
    if value < 0:
        errors[field] = tt("negative", lang)
        return None
    return value


def _processes(request: Request, fields: dict[str, str]) -> list[str]:
    """The processes ticked (their Vietnamese names, as stored) and those typed in "other"."""
    known = {e.code: e for e in PROCESSES}
    ticked = [known[c].name_vi for c in form_list(request, "process") if c in known]
    return list(dict.fromkeys([*ticked, *_split(fields.get("other_processes", ""))]))


def _profile_row(engine: Any, enterprise: str) -> Any:
    return next((r for r in current_profiles(engine) if r.enterprise == enterprise), None)


def _profile_context(engine: Any, enterprise: str, lang: str) -> dict[str, Any]:
    row = _profile_row(engine, enterprise)
    data = row.data if row is not None else {}
    ticked = {process(p).key for p in data.get("processes", [])}
    certs = []
    for c in data.get("certifications", []):
        inside = ", ".join(x for x in (c.get("body") or "", c.get("expires") or "") if x)
        certs.append(f"{c['name']} ({inside})" if inside else c["name"])
    values = {"hs": "; ".join(display(h) for h in data.get("hs", [])),
              "other_processes": "; ".join(p for p in data.get("processes", []) if process(p).entry is None),
              "certifications": "\n".join(certs),
              "capacity": "" if data.get("capacity") is None else str(data["capacity"]).removesuffix(".0"),
              "materials": "; ".join(data.get("materials", [])), "equipment": data.get("equipment", ""),
              "customers": data.get("customers", ""), "description": data.get("description", ""),
              "consent": bool(row.consent) if row is not None else False}
    versions = history(engine, enterprise=enterprise) if row is not None else []
    return {"row": row, "values": values, "ticked": ticked, "versions": len(versions),
            "processes": [(e.code, e.name(lang)) for e in PROCESSES]}


async def profile_page(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """The enterprise's supplier profile, as a form."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    engine = engine_of(request)
    name = await run_in_threadpool(known_enterprise, request, engine, enterprise_id)
    context = await run_in_threadpool(_profile_context, engine, enterprise_id, lang)
    saved = request.query_params.get("saved")
    notice = "" if saved is None else (tt("unchanged", lang) if saved == "0" else tt("saved", lang, version=saved))
    return render(request, "linkage_profile.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                  name=name, tt=lambda k, **v: tt(k, lang, **v), errors={}, notice=notice, **context)


async def profile_submit(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """Save the profile as a new version (303 back to it), or the form again with each mistake (422)."""
    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    engine = engine_of(request)
    name = await run_in_threadpool(known_enterprise, request, engine, enterprise_id)
    errors: dict[str, str] = {}
    hs = _hs(fields.get("hs", ""), lang, errors)
    certs = []
    for line in _split(fields.get("certifications", "").replace(";", "\n")):
        try:
            c = parse_certificate(line)
        except ValueError as exc:
            errors["certifications"] = tt("bad_cert", lang, text=line, why=exc)
            continue
        certs.append({"name": c.term.text, "body": c.body, "expires": c.expires.isoformat() if c.expires else None})
    capacity = _number(fields.get("capacity", ""), lang, errors, "capacity")
    data = {"hs": hs, "processes": _processes(request, fields), "certifications": certs, "capacity": capacity,
            "materials": _split(fields.get("materials", "")), "description": fields.get("description", "").strip(),
            "equipment": fields.get("equipment", "").strip(), "customers": fields.get("customers", "").strip()}
    consent = fields.get("consent") == "1"
    if errors:
        context = await run_in_threadpool(_profile_context, engine, enterprise_id, lang)
        context["values"] = {**{k: fields.get(k, "") for k in ("hs", "other_processes", "certifications", "capacity",
                                                                "materials", "equipment", "customers",
                                                                "description")}, "consent": consent}
        context["ticked"] = {c for c in form_list(request, "process")}
        return render(request, "linkage_profile.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                      name=name, tt=lambda k, **v: tt(k, lang, **v), errors=errors, notice=tt("fix", lang),
                      http_status=422, **context)
    saved = await run_in_threadpool(lambda: save_profiles(
        engine, [{"enterprise": enterprise_id, "name": name, "consent": consent, "data": data}],
        created_by=user.username, note="portal"))
    version = history(engine, enterprise=enterprise_id)[-1]["version"] if saved.created else 0
    return RedirectResponse(with_lang(f"{PORTAL}/enterprises/{enterprise_id}/profile?saved={version}", lang),
                            status_code=303)


def _needs_context(engine: Any, enterprise: str, lang: str) -> dict[str, Any]:
    rows = current_needs(engine, status=None, buyer=enterprise)
    return {"needs": rows, "processes": [(e.code, e.name(lang)) for e in PROCESSES]}


async def needs_page(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """The enterprise's sourcing needs and the form to add one (or change one: ``?need=``)."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    engine = engine_of(request)
    await run_in_threadpool(known_enterprise, request, engine, enterprise_id)
    context = await run_in_threadpool(_needs_context, engine, enterprise_id, lang)
    editing = request.query_params.get("need")
    values: dict[str, Any] = {}
    ticked: set[str] = set()
    if editing:
        row = next((n for n in context["needs"] if n.code == editing), None)
        if row is None:
            raise refusal(request, 404, f"need {editing} is not {enterprise_id}'s", code="unknown_need",
                          need=editing)
        d = row.data
        values = {"title": d.get("title", ""), "hs": "; ".join(display(h) for h in d.get("hs", [])),
                  "certifications": "; ".join(d.get("certifications", [])), "material": d.get("material", ""),
                  "tolerance": d.get("tolerance", ""), "target_date": d.get("target_date") or "",
                  "volume": "" if d.get("volume") is None else str(d["volume"]).removesuffix(".0"),
                  "description": d.get("description", ""),
                  "other_processes": "; ".join(p for p in d.get("processes", []) if process(p).entry is None)}
        ticked = {process(p).key for p in d.get("processes", [])}
    saved = request.query_params.get("saved")
    notice = "" if saved is None else (tt("unchanged", lang) if saved == "0" else tt("saved", lang, version=saved))
    return render(request, "linkage_needs.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                  tt=lambda k, **v: tt(k, lang, **v), errors={}, values=values, ticked=ticked, editing=editing,
                  notice=notice, **context)


async def needs_submit(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """Add a need, change one (``need`` field) or close it (``close=1``): a new version, 303 back."""
    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    engine = engine_of(request)
    await run_in_threadpool(known_enterprise, request, engine, enterprise_id)
    context = await run_in_threadpool(_needs_context, engine, enterprise_id, lang)
    mine = {n.code: n for n in context["needs"]}
    code = fields.get("need", "").strip()
    if code and code not in mine:
        raise refusal(request, 404, f"need {code} is not {enterprise_id}'s", code="unknown_need", need=code)
    errors: dict[str, str] = {}
    if code and fields.get("close") == "1":
        row = mine[code]
        data, status = row.data, "closed"
    else:
        status = "open"
        title = fields.get("title", "").strip()
        if not title:
            errors["title"] = tt("required", lang)
        hs = _hs(fields.get("hs", ""), lang, errors)
        volume = _number(fields.get("volume", ""), lang, errors, "volume")
        target = fields.get("target_date", "").strip()
        if target:
            try:
                dt.date.fromisoformat(target)
            except ValueError:
                errors["target_date"] = tt("bad_date", lang, text=target)
        data = {"title": title, "hs": hs, "processes": _processes(request, fields),
                "certifications": [certification(c).text for c in _split(fields.get("certifications", ""))],
                "material": fields.get("material", "").strip(), "tolerance": fields.get("tolerance", "").strip(),
                "volume": volume, "target_date": target or None, "description": fields.get("description", "").strip()}
    if errors:
        values = {k: fields.get(k, "") for k in ("title", "hs", "certifications", "material", "tolerance",
                                                 "target_date", "volume", "description", "other_processes")}
        return render(request, "linkage_needs.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                      tt=lambda k, **v: tt(k, lang, **v), errors=errors, values=values,
                      ticked=set(form_list(request, "process")), editing=code or None, notice=tt("fix", lang),
                      http_status=422, **context)
    if not code:
        taken = {n.code for n in current_needs(engine, status=None)}
        k = len(mine) + 1
        while f"{enterprise_id}-N{k:03d}" in taken:
            k += 1
        code = f"{enterprise_id}-N{k:03d}"
    saved = await run_in_threadpool(lambda: save_needs(
        engine, [{"code": code, "buyer": enterprise_id, "status": status, "data": data}], created_by=user.username,
        note="portal"))
    version = history(engine, need=code)[-1]["version"] if saved.created else 0
    return RedirectResponse(with_lang(f"{PORTAL}/enterprises/{enterprise_id}/needs?saved={version}", lang),
                            status_code=303)


def _matches_of(engine: Any, enterprise: str, need: str) -> tuple[Any, list[dict[str, Any]]]:
    needs = [n for n in load_needs(engine, status=None) if n.id == need and n.buyer == enterprise]
    if not needs:
        return None, []
    suppliers = load_suppliers(engine, consenting_only=True)
    names = {s.id: s for s in suppliers}
    found = match(suppliers, needs, on=dt.date.today()).of(need)
    return needs[0], [{"rank": m.rank, "supplier": m.supplier, "name": names[m.supplier].name,
                       "district": names[m.supplier].district, "score": m.score, "reasons_vi": m.reasons("vi"),
                       "reasons_en": m.reasons("en")} for m in found]


async def need_matches(request: Request, enterprise_id: LINKAGE_ENTERPRISE, need: LINKAGE_CODE) -> Response:
    """One of the enterprise's needs and its ranked suppliers, each with the reasons in words."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    item, rows = await run_in_threadpool(_matches_of, engine_of(request), enterprise_id, need)
    if item is None:
        raise refusal(request, 404, f"need {need} is not {enterprise_id}'s", code="unknown_need", need=need)
    return render(request, "linkage_matches.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                  tt=lambda k, **v: tt(k, lang, **v), need=item, rows=rows,
                  score=lambda v: f"{v:.1f}".replace(".", ",") if lang == "vi" else f"{v:.1f}")


def _matched(engine: Any, enterprise: str) -> list[dict[str, Any]]:
    from vnindustry.store.linkage import introductions

    brokered = introductions(engine)
    suppliers = load_suppliers(engine, consenting_only=True)
    if not any(s.id == enterprise for s in suppliers):
        return []
    needs = [n for n in load_needs(engine) if n.buyer != enterprise]
    result = match(suppliers, needs, on=dt.date.today())
    by_id = {n.id: n for n in needs}
    out = []
    for m in result.matches:
        if m.supplier == enterprise:
            n = by_id[m.need]
            # An opaque reference, not the need's code: a code may carry the buyer's id, and the buyer stays
            # anonymous until the Department brokers the contact.
            ref = "NC-" + hashlib.sha256(n.id.encode("utf-8")).hexdigest()[:8]
            # Brokered: the Department introduced this supplier to the buyer, who is named from then on.
            buyer = (enterprise_name(engine, n.buyer) or n.buyer) if (n.id, enterprise) in brokered else None
            out.append({"ref": ref, "title": n.title, "buyer": buyer, "hs": [display(h) for h in n.hs], "rank": m.rank,
                        "processes_vi": [p.name("vi") for p in n.processes],
                        "processes_en": [p.name("en") for p in n.processes], "volume": n.volume,
                        "reasons_vi": m.reasons("vi"), "reasons_en": m.reasons("en")})
    return out


async def matched_page(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """As a supplier: the open needs of other enterprises it ranks among the best ten for, buyer anonymous."""
    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    await run_in_threadpool(known_enterprise, request, engine_of(request), enterprise_id)
    rows = await run_in_threadpool(_matched, engine_of(request), enterprise_id)
    return render(request, "linkage_matched.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                  tt=lambda k, **v: tt(k, lang, **v), rows=rows)




def _my_events(engine: Any, enterprise: str) -> list[dict[str, Any]]:
    """The stored events the enterprise takes part in, with what its page shows of each."""
    from vnindustry.linkage.outcomes import RESULTS
    from vnindustry.linkage.stored_events import load_event
    from vnindustry.store import linkage_events as ev

    out = []
    latest_outcomes = ev.outcomes(engine)
    today = dt.date.today()
    for row in ev.events(engine):
        found = load_event(engine, row.code)
        if found is None:
            continue
        event, info = found
        me = next((p for p in event.participants if p.id == enterprise), None)
        if me is None:
            continue
        side = me.role
        others = [p for p in event.participants if p.role != side]
        names = {p.id: p.name for p in event.participants}
        mine = [r for r in ev.requests(engine, row.code) if r.requested_by == side
                and (r.buyer if side == "buyer" else r.supplier) == enterprise]
        _, meetings = ev.schedule(engine, row.code)
        agenda = [m for m in meetings if enterprise in (m.buyer, m.supplier)]
        reports = {(o.buyer, o.supplier, o.stage): o for o in latest_outcomes if o.event == row.code
                   and enterprise in (o.buyer, o.supplier)}
        out.append({"code": row.code, "date": row.date, "name": info.name, "venue": info.venue, "side": side,
                    "upcoming": row.date >= today, "others": [(p.id, p.name) for p in others],
                    "requests": [{"other": r.supplier if side == "buyer" else r.buyer,
                                  "name": names.get(r.supplier if side == "buyer" else r.buyer, ""),
                                  "priority": r.priority} for r in mine],
                    "agenda": [{"start": m.slot_start, "table": m.table,
                                "other": m.supplier if side == "buyer" else m.buyer,
                                "name": names.get(m.supplier if side == "buyer" else m.buyer, ""),
                                "reports": [(stage, reports.get((m.buyer, m.supplier, stage)))
                                            for stage in ("meeting", "3m", "6m")]} for m in agenda],
                    "results": RESULTS})
    return out


async def events_page(request: Request, enterprise_id: LINKAGE_ENTERPRISE) -> Response:
    """The events the enterprise takes part in: ask for meetings before, see its agenda, report outcomes after."""
    from vnindustry.linkage.outcomes import RESULT_NAMES

    user, csrf = enterprise_page_user(request, enterprise_id)
    lang = lang_of(request)
    engine = engine_of(request)
    await run_in_threadpool(known_enterprise, request, engine, enterprise_id)
    events = await run_in_threadpool(_my_events, engine, enterprise_id)
    from vnindustry.web.event_registration import language_choices, open_events, self_registered

    ahead = await run_in_threadpool(open_events, engine, enterprise_id)
    mine = await run_in_threadpool(self_registered, engine, enterprise_id, [e["code"] for e in events])
    done = request.query_params.get("done")
    notice = {"request": tt("requested", lang), "outcome": tt("reported", lang),
              "registered": tt("registered", lang), "withdrawn": tt("registration_withdrawn", lang)}.get(done or "", "")
    return render(request, "linkage_events.html.j2", lang=lang, user=user, csrf=csrf, enterprise=enterprise_id,
                  tt=lambda k, **v: tt(k, lang, **v), events=events, notice=notice, open_events=ahead,
                  self_registered=mine, languages=language_choices(lang),
                  result_name=lambda r: RESULT_NAMES[r][0 if lang == "vi" else 1],
                  hm=lambda t: f"{t:%H:%M}")


def _event_for(request: Request, engine: Any, enterprise: str, code: str) -> tuple[Any, str]:
    from vnindustry.linkage.stored_events import load_event

    found = load_event(engine, code)
    me = None if found is None else next((p for p in found[0].participants if p.id == enterprise), None)
    if found is None or me is None:
        raise refusal(request, 404, f"{enterprise} does not take part in event {code}", code="not_participant",
                      event=code)
    return found[0], me.role


async def request_submit(request: Request, enterprise_id: LINKAGE_ENTERPRISE, event: LINKAGE_CODE) -> Response:
    """Ask for a meeting with a participant of the other side (or withdraw it): a new row, 303 back."""
    from vnindustry.store.linkage_events import save_request

    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    engine = engine_of(request)
    found, side = await run_in_threadpool(_event_for, request, engine, enterprise_id, event)
    other = fields.get("other", "").strip()
    if not any(p.id == other and p.role != side for p in found.participants):
        raise refusal(request, 422, f"'{other}' is not a participant of the other side of event {event}",
                      code="not_counterpart", who=other)
    if found.date < dt.date.today():
        raise refusal(request, 409, f"event {event} is over: no new requests", code="past_event")
    priority = fields.get("priority", "1")
    if priority not in ("1", "2", "3"):
        raise refusal(request, 422, "priority is 1, 2 or 3", code="bad_priority")
    buyer, supplier = (enterprise_id, other) if side == "buyer" else (other, enterprise_id)
    await run_in_threadpool(lambda: save_request(engine, event=event, buyer=buyer, supplier=supplier,
                                                 requested_by=side, priority=int(priority),
                                                 withdrawn=fields.get("withdraw") == "1", created_by=user.username))
    return RedirectResponse(with_lang(f"{PORTAL}/enterprises/{enterprise_id}/events?done=request", lang),
                            status_code=303)


async def outcome_submit(request: Request, enterprise_id: LINKAGE_ENTERPRISE, event: LINKAGE_CODE) -> Response:
    """Report what came of one of the enterprise's meetings at a stage (a new row; the latest counts)."""
    from vnindustry.linkage.outcomes import RESULTS, STAGES
    from vnindustry.store import linkage_events as ev

    user, csrf = await run_in_threadpool(enterprise_page_user, request, enterprise_id)
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    engine = engine_of(request)
    _, side = await run_in_threadpool(_event_for, request, engine, enterprise_id, event)
    other = fields.get("other", "").strip()
    buyer, supplier = (enterprise_id, other) if side == "buyer" else (other, enterprise_id)
    _, meetings = await run_in_threadpool(ev.schedule, engine, event)
    if not any(m.buyer == buyer and m.supplier == supplier for m in meetings):
        raise refusal(request, 422, f"no meeting of {buyer} with {supplier} at event {event}", code="not_met",
                      who=other)
    stage, result = fields.get("stage", ""), fields.get("result", "")
    if stage not in STAGES or result not in RESULTS:
        raise refusal(request, 422, f"stage must be one of {STAGES} and result one of {RESULTS}", code="bad_outcome")
    errors: dict[str, str] = {}
    value = _number(fields.get("po_value", ""), lang, errors, "po_value")
    if errors:
        raise refusal(request, 422, errors["po_value"], code="bad_value")
    await run_in_threadpool(lambda: ev.save_outcomes(engine, [{"event": event, "buyer": buyer, "supplier": supplier,
                                                               "stage": stage, "result": result, "po_value": value}],
                                                     reported_by=user.username, note="portal"))
    return RedirectResponse(with_lang(f"{PORTAL}/enterprises/{enterprise_id}/events?done=outcome", lang),
                            status_code=303)


def _broker_rows(engine: Any) -> list[dict[str, Any]]:
    from vnindustry.store.linkage import introductions

    brokered = introductions(engine)
    suppliers = load_suppliers(engine, consenting_only=True)
    names = {s.id: s.name for s in suppliers}
    needs = load_needs(engine)
    result = match(suppliers, needs, on=dt.date.today(), top=5)
    return [{"need": n.id, "title": n.title, "buyer": n.buyer, "buyer_name": enterprise_name(engine, n.buyer) or "",
             "matches": [{"supplier": m.supplier, "name": names[m.supplier], "score": m.score,
                          "introduced": (n.id, m.supplier) in brokered} for m in result.of(n.id)]}
            for n in needs]


async def broker_page(request: Request) -> Response:
    """Officers: every open need, its five best suppliers, and who has been introduced to whom."""
    user, csrf = page_user(request, "statistician", "admin")
    lang = lang_of(request)
    rows = await run_in_threadpool(_broker_rows, engine_of(request))
    return render(request, "linkage_broker.html.j2", lang=lang, user=user, csrf=csrf,
                  tt=lambda k, **v: tt(k, lang, **v), rows=rows,
                  score=lambda v: f"{v:.1f}".replace(".", ",") if lang == "vi" else f"{v:.1f}")


async def introduce_submit(request: Request, need: LINKAGE_CODE) -> Response:
    """Officers: introduce a supplier to the buyer of ``need`` (or withdraw it), audited; 303 back."""
    from vnindustry.store.linkage import introduce

    user, csrf = await run_in_threadpool(page_user, request, "statistician", "admin")
    fields = await read_form(request)
    check_form_csrf(fields, csrf, request)
    lang = "en" if fields.get("lang") == "en" else lang_of(request)
    engine = engine_of(request)
    supplier = fields.get("supplier", "").strip()
    if not any(r.enterprise == supplier for r in await run_in_threadpool(current_profiles, engine)):
        raise refusal(request, 422, f"'{supplier}' has no supplier profile", code="not_counterpart", who=supplier)
    try:
        await run_in_threadpool(lambda: introduce(engine, need, supplier, created_by=user.username,
                                                  note=fields.get("note", "").strip()[:500],
                                                  withdrawn=fields.get("withdraw") == "1"))
    except ValueError:
        raise refusal(request, 404, f"no need {need}", code="unknown_need", need=need) from None
    return RedirectResponse(with_lang(f"{PORTAL}/linkage/needs", lang), status_code=303)


def register(app: FastAPI) -> None:
    """Add the enterprise's linkage pages under ``/portal/enterprises/{id}``."""
    add = app.add_api_route
    base = f"{PORTAL}/enterprises/{{enterprise_id}}"
    add(f"{base}/profile", profile_page, methods=["GET"], include_in_schema=False)
    add(f"{base}/profile", profile_submit, methods=["POST"], include_in_schema=False)
    add(f"{base}/needs", needs_page, methods=["GET"], include_in_schema=False)
    add(f"{base}/needs", needs_submit, methods=["POST"], include_in_schema=False)
    add(f"{base}/needs/{{need}}", need_matches, methods=["GET"], include_in_schema=False)
    add(f"{base}/matched", matched_page, methods=["GET"], include_in_schema=False)
    add(f"{base}/events", events_page, methods=["GET"], include_in_schema=False)
    add(f"{base}/events/{{event}}/requests", request_submit, methods=["POST"], include_in_schema=False)
    add(f"{base}/events/{{event}}/outcomes", outcome_submit, methods=["POST"], include_in_schema=False)
    from vnindustry.web.event_registration import register_routes

    register_routes(app)
    add(f"{PORTAL}/linkage/needs", broker_page, methods=["GET"], include_in_schema=False)
    add(f"{PORTAL}/linkage/needs/{{need}}/introduce", introduce_submit, methods=["POST"], include_in_schema=False)
