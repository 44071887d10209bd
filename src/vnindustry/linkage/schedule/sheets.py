"""Reading a schedule: one participant's agenda, one table's sheet."""

from __future__ import annotations

from collections.abc import Iterable

from vnindustry.linkage.schedule.event import Event, Meeting, Schedule, Slot


def _sorted_by_slot(meetings: Iterable[Meeting], event: Event) -> list[tuple[Slot, Meeting]]:
    slots = {s.id: s for s in event.slots}
    return sorted(((slots[m.slot], m) for m in meetings), key=lambda p: (p[0].start, p[0].id, p[1].table))


def agenda(schedule: Schedule, event: Event, participant: str) -> list[tuple[Slot, Meeting]]:
    """One participant's meetings, sorted by slot start; ValueError for an unknown participant."""
    if participant not in {p.id for p in event.participants}:
        raise ValueError(f"no participant {participant} in event {event.id}")
    return _sorted_by_slot((m for m in schedule.meetings if participant in (m.buyer, m.supplier)), event)


def table_sheet(schedule: Schedule, event: Event, table: str) -> list[tuple[Slot, Meeting]]:
    """The meetings at one table, sorted by slot start; ValueError for an unknown table."""
    if table not in {t.id for t in event.tables}:
        raise ValueError(f"no table {table} in event {event.id}")
    return _sorted_by_slot((m for m in schedule.meetings if m.table == table), event)
