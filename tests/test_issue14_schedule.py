"""Issue 14: the B2B meeting scheduler — exact optimum on small events, constraints, reasons, on-site changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence

import pytest

from vnindustry.linkage.schedule import (
    Event,
    Meeting,
    Participant,
    Request,
    Schedule,
    Slot,
    Table,
    agenda,
    schedule,
    table_sheet,
    weight,
)

DAY = dt.date(2025, 11, 20)


def _slots(n: int, start: dt.time = dt.time(9, 0), minutes: int = 20) -> tuple[Slot, ...]:
    first = dt.datetime.combine(DAY, start)
    return tuple(Slot(f"T{i + 1}", first + dt.timedelta(minutes=minutes * i), minutes) for i in range(n))


def _buyer(id_: str, *languages: str, available: Sequence[str] | None = None) -> Participant:
    return Participant(id_, "buyer", f"Buyer {id_}", languages or ("vi",),
                       None if available is None else frozenset(available))


def _supplier(id_: str, *languages: str, available: Sequence[str] | None = None) -> Participant:
    return Participant(id_, "supplier", f"Supplier {id_}", languages or ("vi",),
                       None if available is None else frozenset(available))


def _fits(table: Table, buyer: Participant, supplier: Participant) -> bool:
    """The language rule, written again from the docstring: a shared language, or an interpreter for both sides."""
    if set(buyer.languages) & set(supplier.languages):
        return True
    return bool(set(table.languages) & set(buyer.languages)) and bool(set(table.languages) & set(supplier.languages))


def _free(person: Participant, slot: str) -> bool:
    return person.available is None or slot in person.available


def brute_force(event: Event) -> int:
    """The best total weight over every assignment of each request to nothing or to a (slot, table)."""
    people = {p.id: p for p in event.participants}
    options = []
    for request in event.requests:
        b, s = people[request.buyer], people[request.supplier]
        options.append([(slot.id, table.id) for slot in event.slots for table in event.tables
                        if _free(b, slot.id) and _free(s, slot.id) and _fits(table, b, s)])
    weights = [weight(r) for r in event.requests]
    rest = [sum(weights[i:]) for i in range(len(weights) + 1)]
    best = 0

    def search(i: int, value: int, busy: set[tuple[str, str]], taken: set[tuple[str, str]]) -> None:
        nonlocal best
        if value + rest[i] <= best:
            return
        if i == len(event.requests):
            best = value
            return
        request = event.requests[i]
        for slot, table in options[i]:
            if (request.buyer, slot) in busy or (request.supplier, slot) in busy or (table, slot) in taken:
                continue
            busy |= {(request.buyer, slot), (request.supplier, slot)}
            taken.add((table, slot))
            search(i + 1, value + weights[i], busy, taken)
            busy -= {(request.buyer, slot), (request.supplier, slot)}
            taken.discard((table, slot))
        search(i + 1, value, busy, taken)

    search(0, 0, set(), set())
    return best


def greedy(event: Event) -> int:
    """Highest weight first, earliest slot, first table that fits: what an organiser with a spreadsheet does."""
    people = {p.id: p for p in event.participants}
    busy: set[tuple[str, str]] = set()
    taken: set[tuple[str, str]] = set()
    total = 0
    for request in sorted(event.requests, key=lambda r: -weight(r)):
        b, s = people[request.buyer], people[request.supplier]
        spot = next(((slot.id, table.id) for slot in event.slots for table in event.tables
                     if _free(b, slot.id) and _free(s, slot.id) and _fits(table, b, s) and (b.id, slot.id) not in busy
                     and (s.id, slot.id) not in busy and (table.id, slot.id) not in taken),
                    None)
        if spot is not None:
            busy |= {(b.id, spot[0]), (s.id, spot[0])}
            taken.add((spot[1], spot[0]))
            total += weight(request)
    return total


def check(event: Event, result: Schedule, confirmed: Sequence[Meeting] = ()) -> None:
    """Every hard constraint of the module docstring, checked on the answer."""
    people = {p.id: p for p in event.participants}
    tables = {t.id: t for t in event.tables}
    slots = {s.id: s for s in event.slots}
    requests = {(r.buyer, r.supplier): r for r in event.requests}
    busy: set[tuple[str, str]] = set()
    taken: set[tuple[str, str]] = set()
    met: set[tuple[str, str]] = set()
    for m in result.meetings:
        assert m.slot in slots and m.table in tables
        b, s = people[m.buyer], people[m.supplier]
        assert (b.role, s.role) == ("buyer", "supplier")
        assert _free(b, m.slot) and _free(s, m.slot), m
        assert _fits(tables[m.table], b, s), m
        assert (m.buyer, m.slot) not in busy and (m.supplier, m.slot) not in busy, f"participant twice: {m}"
        assert (m.table, m.slot) not in taken, f"table twice: {m}"
        assert (m.buyer, m.supplier) not in met, f"request met twice: {m}"
        assert (m.buyer, m.supplier) in requests or m in confirmed
        busy |= {(m.buyer, m.slot), (m.supplier, m.slot)}
        taken.add((m.table, m.slot))
        met.add((m.buyer, m.supplier))
    unmet = [(r.buyer, r.supplier) for r, _ in result.unscheduled]
    assert len(unmet) == len(set(unmet))
    assert set(unmet) | (met & requests.keys()) == requests.keys() and not set(unmet) & met
    assert all(reason for _, reason in result.unscheduled)
    assert result.objective == sum(weight(requests[p]) for p in met if p in requests)
    assert result.bound is not None and result.bound >= result.objective
    for m in confirmed:
        assert m in result.meetings
    starts = [(slots[m.slot].start, m.table) for m in result.meetings]
    assert starts == sorted(starts)


def small_event() -> Event:
    """3 buyers × 4 suppliers × 3 slots, 2 tables, worked by hand below."""
    slots = _slots(3)
    tables = (Table("A"), Table("J", ("vi", "ja")))
    people = (
        _buyer("B1", available=["T1"]),  # leaves after the first slot
        _buyer("B2"),
        _buyer("B3", "ja"),  # needs the Japanese interpreter at table J
        _supplier("S1", available=["T1"]),
        _supplier("S2"),
        _supplier("S3", available=["T2", "T3"]),
        _supplier("S4", "vi", "en", available=["T3"]),
    )
    requests = (
        Request("B1", "S1", "buyer", 3),  # 30
        Request("B1", "S2", "buyer", 2),  # 20
        Request("B2", "S1", "supplier", 2),  # 20
        Request("B3", "S2", "buyer", 3, mutual=True),  # 35
        Request("B3", "S3", "supplier", 1),  # 10
        Request("B2", "S3", "buyer", 2),  # 20
        Request("B2", "S4", "buyer", 1, mutual=True),  # 15
        Request("B3", "S4", "buyer", 2),  # 20
    )
    return Event("small", DAY, slots, tables, people, requests)


def test_weight_formula() -> None:
    assert weight(Request("B", "S", "buyer", 1)) == 10
    assert weight(Request("B", "S", "buyer", 1, mutual=True)) == 15
    assert weight(Request("B", "S", "supplier", 2, mutual=True)) == 25
    assert weight(Request("B", "S", "buyer", 3)) == 30
    # mutual interest never lifts a request above the next priority
    assert weight(Request("B", "S", "buyer", 1, mutual=True)) < weight(Request("B", "S", "buyer", 2))


def test_small_event_exact_optimum_beats_greedy() -> None:
    # By hand: B1 and S1 are both there only in T1, so B1–S1 (30) excludes B1–S2 and B2–S1 (20 + 20); S4 is there
    # only in T3, so B2–S4 (15) and B3–S4 (20) exclude each other. B3 needs table J, one meeting per slot, and when
    # B1–S2 and B2–S1 fill T1 B3 has two slots for three requests. Dropping B1–S1 and B3–S4 leaves
    # 20 + 20 + 35 + 10 + 20 + 15 = 120, which fits; every other choice is worth at most 115.
    # Greedy takes B3–S2 and B1–S1 first and ends at 105.
    event = small_event()
    result = schedule(event)
    check(event, result)
    assert brute_force(event) == 120
    assert greedy(event) == 105
    assert result.objective == 120
    assert result.status == "OPTIMAL" and result.bound == 120
    met = {(m.buyer, m.supplier) for m in result.meetings}
    assert met == {("B1", "S2"), ("B2", "S1"), ("B3", "S2"), ("B3", "S3"), ("B2", "S3"), ("B2", "S4")}
    assert {(r.buyer, r.supplier) for r, _ in result.unscheduled} == {("B1", "S1"), ("B3", "S4")}
    for _, reason in result.unscheduled:
        assert reason.startswith("not chosen: lower weight than the meetings kept"), reason
    assert all(m.table == "J" for m in result.meetings if m.buyer == "B3")


def _random_tiny(rng: random.Random) -> Event:
    slots = _slots(3)
    tables = (Table("A"), Table("J", ("vi", "ja")))[: rng.choice([1, 2, 2])]
    ids = [s.id for s in slots]

    def available() -> list[str] | None:
        return None if rng.random() < 0.5 else rng.sample(ids, rng.choice([1, 2]))

    people = [_buyer(f"B{i}", rng.choice(["vi", "ja", "vi"]), available=available()) for i in range(1, 4)]
    people += [_supplier(f"S{i}", *rng.choice([("vi",), ("vi", "ja"), ("en",)]), available=available())
               for i in range(1, 5)]
    pairs = rng.sample([(b, s) for b in range(1, 4) for s in range(1, 5)], 7)
    requests = tuple(Request(f"B{b}", f"S{s}", rng.choice(["buyer", "supplier"]), rng.choice([1, 2, 3]),
                             rng.random() < 0.3) for b, s in pairs)
    return Event("tiny", DAY, slots, tables, tuple(people), requests)


@pytest.mark.parametrize("seed", range(12))
def test_random_tiny_events_match_brute_force(seed: int) -> None:
    event = _random_tiny(random.Random(seed))
    result = schedule(event)
    check(event, result)
    assert result.status == "OPTIMAL"
    assert result.objective == brute_force(event)


def test_optimal_when_the_selection_cannot_all_be_placed() -> None:
    # Two Japanese buyers, one Japanese interpreter, and two suppliers there only in T1: counting alone (two
    # interpreter table-slots, two requests) would allow both meetings; only one fits. The bound must say 30, not 60.
    slots = _slots(2)
    event = Event("fallback", DAY, slots, (Table("J", ("vi", "ja")), Table("A")),
                  (_buyer("J1", "ja"), _buyer("J2", "ja"), _supplier("S1", available=["T1"]),
                   _supplier("S2", available=["T1"])),
                  (Request("J1", "S1", "buyer", 3), Request("J2", "S2", "buyer", 2, mutual=True)))
    result = schedule(event)
    check(event, result)
    assert result.objective == brute_force(event) == 30
    assert result.status == "OPTIMAL" and result.bound == 30
    assert result.meetings == (Meeting("J1", "S1", "T1", "J"),)
    [(request, reason)] = result.unscheduled
    assert request.buyer == "J2"
    assert reason.startswith("no table left"), reason


def medium_event(seed: int = 7, buyers: int = 8, suppliers: int = 40, requests: int = 150) -> Event:
    """A random event with late arrivals, early departures, interpreters and buyers speaking only ja or ko."""
    rng = random.Random(seed)
    slots = _slots(8, dt.time(8, 30))
    ids = [s.id for s in slots]
    tables = (Table("E1", ("vi", "en")), Table("J1", ("vi", "ja")), Table("J2", ("vi", "ja", "en")),
              Table("K1", ("ko", "vi")), Table("P1"), Table("P2"), Table("P3"))

    def available() -> list[str] | None:
        if rng.random() > 0.25:
            return None
        return ids[rng.randint(1, 3):] if rng.random() < 0.5 else ids[: rng.randint(3, 7)]

    langs = [("vi",), ("ja",), ("ko",), ("en",), ("ja", "en"), ("vi", "en"), ("de",)]
    people = [_buyer(f"B{i:02d}", *rng.choice(langs), available=available()) for i in range(buyers)]
    people += [_supplier(f"S{i:03d}", *rng.choice([("vi",), ("vi",), ("vi", "en")]), available=available())
               for i in range(suppliers)]
    pairs = sorted(rng.sample([(b, s) for b in range(buyers) for s in range(suppliers)], requests))
    wishes = tuple(Request(f"B{b:02d}", f"S{s:03d}", rng.choice(["buyer", "supplier"]), rng.choice([1, 2, 3]),
                           rng.random() < 0.2) for b, s in pairs)
    return Event("medium", DAY, slots, tables, tuple(people), wishes)


def test_constraints_hold_on_a_random_medium_event() -> None:
    event = medium_event()
    result = schedule(event)
    check(event, result)
    assert result.status == "OPTIMAL"
    assert len(result.meetings) > 30
    # a German-only buyer meets only German-speaking suppliers (there are none) and no interpreter speaks German
    for request, reason in result.unscheduled:
        if next(p for p in event.participants if p.id == request.buyer).languages == ("de",):
            assert reason.startswith("no common language"), reason


def test_deterministic() -> None:
    event = medium_event(seed=11)
    first, second = schedule(event), schedule(event)
    assert first.meetings == second.meetings
    assert first.unscheduled == second.unscheduled
    assert (first.objective, first.status, first.bound) == (second.objective, second.status, second.bound)


def test_unscheduled_reasons() -> None:
    slots = _slots(2)
    event = Event(
        "reasons", DAY, slots, (Table("A"),),
        (_buyer("B03", available=["T1"]), _buyer("B04", "ko"), _buyer("B05"), _buyer("B06", available=["T1"]),
         _supplier("S120", available=["T2"]), _supplier("S121"), _supplier("S122", available=["T1"]),
         _supplier("S123", available=["T1"]), _supplier("S124", available=["T1"])),
        (Request("B03", "S120", "buyer", 3),  # B03 only in T1, S120 only in T2
         Request("B04", "S121", "buyer", 3),  # ko and vi, no Korean interpreter
         Request("B03", "S122", "buyer", 3),  # takes the only table in T1
         Request("B05", "S123", "buyer", 1),  # both free in T1 only, no table left
         Request("B06", "S122", "supplier", 1)),  # S122 busy with B03 in T1, B06 there only then
    )
    result = schedule(event)
    check(event, result)
    reasons = {(r.buyer, r.supplier): reason for r, reason in result.unscheduled}
    assert reasons[("B03", "S120")] == "buyer B03 has no free slot in common with supplier S120"
    assert reasons[("B04", "S121")].startswith("no common language")
    assert "ko" in reasons[("B04", "S121")]
    assert reasons[("B05", "S123")].startswith("no table left"), reasons[("B05", "S123")]
    assert "09:00" in reasons[("B05", "S123")]
    assert reasons[("B06", "S122")].startswith("not chosen: lower weight than the meetings kept")
    assert result.meetings == (Meeting("B03", "S122", "T1", "A"),)


def test_unknown_participants_raise() -> None:
    event = small_event()
    bad = dataclasses.replace(event, requests=(*event.requests, Request("B9", "S999", "buyer")))
    with pytest.raises(ValueError, match=r"unknown participants: buyer B9, supplier S999"):
        schedule(bad)
    swapped = dataclasses.replace(event, requests=(Request("S1", "B1", "buyer"),))
    with pytest.raises(ValueError, match="wrong role"):
        schedule(swapped)
    twice = dataclasses.replace(event, requests=(*event.requests, Request("B1", "S1", "supplier")))
    with pytest.raises(ValueError, match="two requests"):
        schedule(twice)


def test_onsite_change_keeps_confirmed_meetings() -> None:
    event = medium_event(seed=3)
    before = schedule(event)
    check(event, before)
    first_slots = {"T1", "T2"}
    confirmed = [m for m in before.meetings if m.slot in first_slots]
    assert confirmed
    # Someone with a meeting in T4 has to leave for T4; a new high-priority request arrives.
    leaving = next(m for m in before.meetings if m.slot == "T4").supplier
    ids = [s.id for s in event.slots]
    people = tuple(dataclasses.replace(p, available=frozenset(s for s in (p.available or ids) if s != "T4"))
                   if p.id == leaving else p for p in event.participants)
    asked = {(r.buyer, r.supplier) for r in event.requests}
    new = next(Request(b.id, s.id, "buyer", 3, mutual=True) for b in event.participants if b.role == "buyer"
               for s in event.participants if s.role == "supplier" and s.id != leaving
               and set(b.languages) & set(s.languages) and (b.id, s.id) not in asked)
    changed = dataclasses.replace(event, participants=people, requests=(*event.requests, new))
    after = schedule(changed, confirmed=confirmed)
    check(changed, after, confirmed)
    assert [m for m in after.meetings if m.slot in first_slots] == confirmed
    assert not any(m.slot == "T4" and leaving in (m.buyer, m.supplier) for m in after.meetings)
    assert after.status == "OPTIMAL"


def test_infeasible_confirmed_meeting_raises() -> None:
    event = small_event()
    result = schedule(event)
    meeting = next(m for m in result.meetings if m.buyer == "B3" and m.supplier == "S2")
    people = tuple(dataclasses.replace(p, available=frozenset(s.id for s in event.slots if s.id != meeting.slot))
                   if p.id == "S2" else p for p in event.participants)
    changed = dataclasses.replace(event, participants=people)
    with pytest.raises(ValueError, match=rf"B3–S2 in slot {meeting.slot}.*supplier S2 is no longer available"):
        schedule(changed, confirmed=result.meetings)
    clash = Meeting("B2", "S2", meeting.slot, meeting.table)
    with pytest.raises(ValueError, match="confirmed meeting B2–S2"):
        schedule(event, confirmed=[meeting, clash])


def test_agenda_and_table_sheet() -> None:
    event = small_event()
    result = schedule(event)
    mine = agenda(result, event, "B2")
    assert [slot.start for slot, _ in mine] == sorted(slot.start for slot, _ in mine)
    assert {(m.buyer, m.supplier) for _, m in mine} == {("B2", "S1"), ("B2", "S3"), ("B2", "S4")}
    assert all(slot.id == m.slot for slot, m in mine)
    sheet = table_sheet(result, event, "J")
    assert [m.table for _, m in sheet] == ["J"] * len(sheet) and len(sheet) >= 2
    assert [slot.start for slot, _ in sheet] == sorted(slot.start for slot, _ in sheet)
    with pytest.raises(ValueError):
        agenda(result, event, "nobody")
    with pytest.raises(ValueError):
        table_sheet(result, event, "Z")
