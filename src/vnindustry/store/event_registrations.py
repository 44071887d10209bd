"""Enterprises registering themselves for a matchmaking event through the portal (issue 14, item 3).

A registration (or its withdrawal) is a new row of ``event_registrations`` with its audit row, in the linkage
writers' one locked transaction (:func:`vnindustry.store.linkage.in_linkage_transaction`); the latest row of an
event and enterprise counts. Registrants join the organiser's participants when the event is read
(:func:`vnindustry.linkage.stored_events.load_event`), so a re-imported folder never erases a registration, and
the schedule solved from the store includes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select

from vnindustry.store.linkage import _audit, in_linkage_transaction
from vnindustry.store.tables import ENTERPRISES, EVENT_REGISTRATIONS, LINKAGE_EVENTS

__all__ = ["LANGUAGES", "RegistrationRow", "register", "registrations"]

LANGUAGES = ("vi", "en", "ja", "ko", "zh")  # the languages an event's tables may have interpreters for


@dataclass(frozen=True)
class RegistrationRow:
    """A standing registration: who, on which side, speaking what; its name from the register."""

    event: str
    enterprise: str
    name: str
    role: str
    languages: tuple[str, ...]
    created_at: dt.datetime
    created_by: str


def register(engine: Engine, *, event: str, enterprise: str, role: str, languages: tuple[str, ...] = ("vi",),
             withdrawn: bool = False, created_by: str, today: dt.date | None = None) -> bool:
    """Register ``enterprise`` for ``event`` as ``role`` (buyer or supplier), or withdraw its registration; False
    when it changes nothing. Refused (ValueError) for an event that is over or unknown, an enterprise not in the
    register, or a language no table could serve."""
    if role not in ("buyer", "supplier"):
        raise ValueError("role is buyer or supplier")
    unknown = [x for x in languages if x not in LANGUAGES]
    if unknown or not languages:
        raise ValueError(f"languages are some of {', '.join(LANGUAGES)}")
    day = today or dt.date.today()

    def write(c: Connection) -> bool:
        date = c.execute(select(LINKAGE_EVENTS.c.date).where(LINKAGE_EVENTS.c.code == event)).scalar()
        if date is None:
            raise ValueError(f"no event {event}")
        if date < day:
            raise ValueError(f"event {event} is over")
        if c.execute(select(ENTERPRISES.c.code).where(ENTERPRISES.c.code == enterprise)).first() is None:
            raise ValueError(f"enterprise {enterprise} is not in the register")
        r = EVENT_REGISTRATIONS
        last = c.execute(select(r.c.role, r.c.languages, r.c.withdrawn).where(r.c.event_code == event,
                                                                        r.c.enterprise_code == enterprise)
                         .order_by(r.c.id.desc()).limit(1)).first()
        standing = last is not None and not last.withdrawn
        langs = ";".join(dict.fromkeys(languages))
        same = standing and (last.role, last.languages) == (role, langs)
        if (withdrawn and not standing) or (not withdrawn and same):
            return False
        at = dt.datetime.now(dt.UTC)
        c.execute(insert(r), [{"event_code": event, "enterprise_code": enterprise, "role": role, "languages": langs,
                               "withdrawn": withdrawn, "created_at": at, "created_by": created_by}])
        _audit(c, "register", created_by, at, [(enterprise, f"event {event}: "
                                                + ("withdrew" if withdrawn else f"registered as {role} ({langs})"))])
        return True

    return in_linkage_transaction(engine, None, write)


def registrations(engine: Engine, event: str) -> list[RegistrationRow]:
    """The standing registrations of ``event`` (withdrawn ones left out), by enterprise code."""
    r = EVENT_REGISTRATIONS.c
    newest = (select(func.max(r.id).label("id")).where(r.event_code == event).group_by(r.enterprise_code)
              .subquery())
    with engine.connect() as c:
        rows = c.execute(select(r.event_code, r.enterprise_code, ENTERPRISES.c.name, r.role, r.languages, r.withdrawn,
                                r.created_at, r.created_by).join(newest, r.id == newest.c.id)
                         .join(ENTERPRISES, ENTERPRISES.c.code == r.enterprise_code)
                         .order_by(r.enterprise_code)).all()
    return [RegistrationRow(e, code, name or code, role, tuple(x for x in langs.split(";") if x), at, by)
            for e, code, name, role, langs, w, at, by in rows if not w]
