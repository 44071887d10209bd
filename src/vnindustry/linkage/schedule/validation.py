"""Checking an event and its confirmed meetings before solving: ValueError saying exactly what is wrong."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from vnindustry.linkage.schedule.event import Event, Meeting, Participant, Slot, Table, _available, _covers


def _validate(event: Event) -> tuple[dict[str, Slot], dict[str, Table], dict[str, Participant]]:
    """Check ids, roles, slots and requests; raise ValueError saying exactly what is wrong."""
    slots: dict[str, Slot] = {}
    for slot in event.slots:
        if slot.id in slots:
            raise ValueError(f"slot {slot.id} is listed twice")
        if slot.minutes <= 0:
            raise ValueError(f"slot {slot.id} has {slot.minutes} minutes; it needs more than 0")
        if slot.start.date() != event.date:
            raise ValueError(f"slot {slot.id} starts on {slot.start.date()}, not on the event's day {event.date}")
        slots[slot.id] = slot
    ordered = sorted(slots.values(), key=lambda s: (s.start, s.id))
    for first, second in itertools.pairwise(ordered):
        if first.end > second.start:  # one slot index per moment is what "one meeting per slot" relies on
            raise ValueError(f"slots {first.id} and {second.id} overlap")
    tables: dict[str, Table] = {}
    for table in event.tables:
        if table.id in tables:
            raise ValueError(f"table {table.id} is listed twice")
        tables[table.id] = table
    people: dict[str, Participant] = {}
    for person in event.participants:
        if person.id in people:
            raise ValueError(f"participant {person.id} is listed twice")
        if person.role not in ("buyer", "supplier"):
            raise ValueError(f"participant {person.id} has role {person.role!r}; expected buyer or supplier")
        unknown = sorted(set(person.available or ()) - slots.keys())
        if unknown:
            raise ValueError(f"participant {person.id} is available in unknown slots: {', '.join(unknown)}")
        people[person.id] = person
    missing: list[str] = []
    wrong_role: list[str] = []
    seen: set[tuple[str, str]] = set()
    for request in event.requests:
        for who, role in ((request.buyer, "buyer"), (request.supplier, "supplier")):
            if who not in people:
                missing.append(f"{role} {who}")
            elif people[who].role != role:
                wrong_role.append(f"{who} is a {people[who].role}, not a {role}")
        if request.priority not in (1, 2, 3):
            raise ValueError(f"request {request.buyer}–{request.supplier} has priority {request.priority}; "
                             "expected 1, 2 or 3")
        if request.requested_by not in ("buyer", "supplier"):
            raise ValueError(f"request {request.buyer}–{request.supplier} is requested by "
                             f"{request.requested_by!r}; expected buyer or supplier")
        pair = (request.buyer, request.supplier)
        if pair in seen:
            raise ValueError(f"buyer {request.buyer} and supplier {request.supplier} have two requests; "
                             "merge them into one (mutual=True when both sides asked)")
        seen.add(pair)
    if missing:
        names = ", ".join(dict.fromkeys(missing))
        raise ValueError(f"requests refer to unknown participants: {names}")
    if wrong_role:
        raise ValueError("requests name participants in the wrong role: " + "; ".join(dict.fromkeys(wrong_role)))
    return slots, tables, people


def _fix_confirmed(confirmed: Sequence[Meeting], slots: dict[str, Slot], tables: dict[str, Table],
                   people: dict[str, Participant]) -> None:
    """Check that every confirmed meeting still fits the event and that none clash; raise ValueError if not."""
    busy: dict[tuple[str, str], Meeting] = {}
    taken: dict[tuple[str, str], Meeting] = {}
    pairs: dict[tuple[str, str], Meeting] = {}
    for meeting in confirmed:
        name = f"confirmed meeting {meeting.buyer}–{meeting.supplier} in slot {meeting.slot} at table {meeting.table}"
        if meeting.slot not in slots:
            raise ValueError(f"{name}: no slot {meeting.slot} in the event")
        if meeting.table not in tables:
            raise ValueError(f"{name}: no table {meeting.table} in the event")
        for who, role in ((meeting.buyer, "buyer"), (meeting.supplier, "supplier")):
            if who not in people or people[who].role != role:
                raise ValueError(f"{name}: {who} is not a {role} of the event")
            if not _available(people[who], meeting.slot):
                raise ValueError(f"{name}: {role} {who} is no longer available in slot {meeting.slot}")
            other = busy.get((who, meeting.slot))
            if other is not None:
                raise ValueError(f"{name}: {role} {who} already has confirmed meeting "
                                 f"{other.buyer}–{other.supplier} in that slot")
            busy[(who, meeting.slot)] = meeting
        if (meeting.table, meeting.slot) in taken:
            raise ValueError(f"{name}: the table already holds another confirmed meeting in that slot")
        taken[(meeting.table, meeting.slot)] = meeting
        if (meeting.buyer, meeting.supplier) in pairs:
            raise ValueError(f"{name}: the pair already has a confirmed meeting")
        pairs[(meeting.buyer, meeting.supplier)] = meeting
        if not _covers(tables[meeting.table].languages, people[meeting.buyer], people[meeting.supplier]):
            raise ValueError(f"{name}: they share no language and the table's interpreter does not cover them")
