"""Meeting scheduler of a B2B matchmaking event: supplier–buyer meetings in fixed slots at numbered tables.

**What is optimised.** Buyers and suppliers ask to meet each other (:class:`Request`). The schedule maximises
the sum of :func:`weight` over the requests that get a meeting: ``priority × 10``, plus 5 when the interest is
mutual. With these weights one high-priority request (30) outweighs two low ones (10 + 10), and mutual interest
breaks ties within a priority without ever outranking the next priority up.

**Constraints** (all hard):

- each request is met at most once, and a (buyer, supplier) pair has at most one request;
- a participant has at most one meeting per slot;
- a table holds at most one meeting per slot, so a slot holds at most ``len(tables)`` meetings;
- a meeting takes place only in a slot both participants are available (``Participant.available``);
- languages: a meeting may sit at any table when buyer and supplier share a language; otherwise only at a table
  whose interpreter offers a language of each side (buyer ``ja``, supplier ``vi``: a table with ``("vi", "ja")``).
  A table with no languages has no interpreter and serves only pairs that share a language;
- confirmed meetings (``confirmed=``) stay exactly where they are: same slot, same table.

**Solver.** OR-Tools CP-SAT: exact, maintained by Google, wheels on PyPI, and it reports its best bound, so the
gap to the optimum is known even when the time limit stops it; HiGHS would need the same model written as a MIP,
and a greedy pass (highest weight first) can be suboptimal when slots conflict (the tests hold such a case).
The full model has one Boolean per (request, slot) where both sides are free — never per (request, slot, table):
tables without interpreters are interchangeable, and per-table variables would only multiply symmetric optima.
A request whose sides share no language instead gets one Boolean per (request, slot, kind of interpreter table),
a kind being a set of interpreter languages, with the number of free tables of that kind as the capacity. Tables
are then assigned per slot, deterministically: interpreter meetings to the tables of their kind in id order, the
others to the remaining tables, plain tables first (keeping interpreters free for requests added on site), then
by id. This loses nothing: any solution of the model has such an assignment, and each assignment obeys the
language rule. The full model alone is slow to round (10–20 s for 1,000 requests, though its bound is tight), so
:func:`schedule` first solves a small *selection* relaxation (which requests, not when), then places the selected
requests with the full model; placing them all reaches the relaxation's bound, which proves the schedule
optimal, usually within a second or two. Only when they cannot all be placed does the full model run over every
request, started from the best partial placement. ``Schedule.bound`` always holds the proven upper bound.

**Determinism.** By default every run has one worker and a fixed seed, and the time limit is CP-SAT's
*deterministic* time, so the same input gives the same schedule on any machine and under any load. A wall-clock
cap of three times the limit guards against a slow machine; only when that cap stops a search (status
``FEASIBLE`` after far more than ``time_limit`` seconds) can two runs differ. ``workers=2`` or more runs CP-SAT's
parallel portfolio, often faster on hard events, but then which of several equally good schedules comes back
depends on thread timing; CP-SAT's reproducible parallel mode (``interleave_search``) was tried and is several
times slower than one worker here.

**On-site changes.** Someone leaves early, a table loses its interpreter, a new request comes in: edit the
:class:`Event` and solve again with the meetings already announced as ``confirmed``. They are fixed exactly (their
participants are busy and their table taken in that slot, their requests count as met); everything else may move.
A confirmed meeting that the new event no longer allows — a participant unavailable in that slot, an unknown
slot or table, a table whose languages no longer fit, a clash with another confirmed meeting — raises
``ValueError`` naming it, so the organiser decides what to tell whom rather than the solver deciding silently.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ortools.sat.python import cp_model

__all__ = [
    "Event",
    "Meeting",
    "Participant",
    "Request",
    "Schedule",
    "Slot",
    "Table",
    "agenda",
    "schedule",
    "table_sheet",
    "weight",
]

Role = Literal["buyer", "supplier"]


@dataclass(frozen=True)
class Slot:
    """A meeting slot: ``minutes`` long from ``start``."""

    id: str
    start: dt.datetime
    minutes: int

    @property
    def end(self) -> dt.datetime:
        """When the slot ends."""
        return self.start + dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Table:
    """A meeting table; ``languages`` are those its interpreter offers (empty: no interpreter)."""

    id: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Participant:
    """A buyer or a supplier; ``available`` holds slot ids (``None``: every slot)."""

    id: str
    role: Role
    name: str
    languages: tuple[str, ...] = ("vi",)
    available: frozenset[str] | None = None


@dataclass(frozen=True)
class Request:
    """A wish to meet: ``priority`` 1 (low) to 3 (high); ``mutual`` when the other side wants it too."""

    buyer: str
    supplier: str
    requested_by: Role
    priority: int = 1
    mutual: bool = False


@dataclass(frozen=True)
class Event:
    """One day of meetings: its slots, tables, participants and requests."""

    id: str
    date: dt.date
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]


@dataclass(frozen=True)
class Meeting:
    """A scheduled meeting."""

    buyer: str
    supplier: str
    slot: str
    table: str


@dataclass(frozen=True)
class Schedule:
    """The solver's answer.

    ``meetings`` are sorted by slot start, then table id; ``unscheduled`` pairs each request not met with the
    reason in words; ``objective`` is the sum of the weights met (confirmed meetings included); ``bound`` is the
    solver's proof that no schedule does better (equal to ``objective`` when ``status`` is ``OPTIMAL``);
    ``seconds`` is the wall time of the whole call.
    """

    meetings: tuple[Meeting, ...]
    unscheduled: tuple[tuple[Request, str], ...]
    objective: float
    status: str
    seconds: float
    bound: float | None = None

    @property
    def gap(self) -> float:
        """Relative gap between ``bound`` and ``objective`` (0 when proven optimal)."""
        if self.bound is None or self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


def weight(request: Request) -> int:
    """The value of meeting ``request``: ``priority × 10 + (5 if mutual else 0)``.

    So priority 3 is worth 30 (35 mutual), 2 worth 20 (25), 1 worth 10 (15): mutual interest ranks a request above
    the one-sided ones of its priority but below every request of the next priority up.
    """
    return request.priority * 10 + (5 if request.mutual else 0)


def _common(a: Iterable[str], b: Iterable[str]) -> bool:
    return bool(set(a) & set(b))


def _covers(table_languages: Iterable[str], buyer: Participant, supplier: Participant) -> bool:
    """Whether a meeting of the two can sit at a table with these interpreter languages."""
    if _common(buyer.languages, supplier.languages):
        return True
    languages = set(table_languages)
    return bool(languages & set(buyer.languages)) and bool(languages & set(supplier.languages))


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


def _available(person: Participant, slot: str) -> bool:
    return person.available is None or slot in person.available


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


def _languages(person: Participant) -> str:
    return "/".join(person.languages) or "no language"


def _status_name(code: int) -> str:
    return {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
            cp_model.MODEL_INVALID: "MODEL_INVALID"}.get(code, "UNKNOWN")


_SEED = 20251
_SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True)
class _Problem:
    """What the models need, derived once from the event and the confirmed meetings."""

    requests: Sequence[Request]
    slot_order: dict[str, int]
    kinds: list[frozenset[str]]  # the distinct language sets of interpreter tables
    # request index → (its free common slots in time order, the interpreter kinds it may use; [None]: any table)
    options: dict[int, tuple[list[str], list[int | None]]]
    free_slots: dict[str, int]  # participant → slots they are available in and not held by a confirmed meeting
    free_in_slot: dict[str, int]  # slot → tables not held by a confirmed meeting
    free_of_kind: dict[tuple[int, str], int]  # (kind, slot) → such tables with that interpreter


class _Budget:
    """Share ``time_limit`` (deterministic seconds) between the solves and set the solver parameters."""

    def __init__(self, limit: float, workers: int) -> None:
        self.limit = limit
        self.workers = workers if workers > 0 else 1
        self.used = 0.0
        self.began = time.perf_counter()

    def solve(self, model: cp_model.CpModel, cap: float, lp: bool = True) -> tuple[int, cp_model.CpSolver]:
        """Solve with at most ``cap`` of the deterministic time left; ``lp=False`` for pure SAT search."""
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = self.workers
        params.random_seed = _SEED
        # Deterministic time, not wall time, decides the stop, so the answer does not depend on the machine's
        # load; a later solve always gets a little time, or a slow first phase would leave no schedule at all.
        params.max_deterministic_time = max(0.05 * self.limit, min(cap, self.limit - self.used))
        if not lp:
            params.linearization_level = 0
        params.max_time_in_seconds = max(0.5, 3 * self.limit - (time.perf_counter() - self.began))
        code = solver.solve(model)
        self.used += solver.deterministic_time
        return code, solver


def schedule(event: Event, *, confirmed: Sequence[Meeting] = (), time_limit: float = 10.0,
             workers: int = 0) -> Schedule:
    """Schedule the event's requests into slots and tables, maximising the total :func:`weight` met.

    Solved in up to three stages of CP-SAT:

    1. *selection*, a relaxation: which requests to meet, with each participant meeting at most as many people
       as they have free slots, at most as many meetings needing an interpreter of a kind as there are such
       table-slots, at most as many meetings as table-slots, and a Hall bound per participant on the partners
       who are only there in some of their slots. Its optimum bounds the true one from above;
    2. *placement* of the selected requests into slots with the full model: a short pure-SAT try, then the
       maximising model with its linear relaxation. Placing them all proves the schedule optimal (it reaches the
       bound); on 30 synthetic 1,000-request days (benchmarks/bench_schedule.py, seeds 0–29) stages 1–2 always
       did, in 0.4–6 s on two cores, median 0.6 s;
    3. otherwise the full model over all requests, started from the placement, until the time limit.

    The full model on its own finds the same optimum, but only after 10–20 s on 1,000 requests: its linear
    relaxation is as tight, yet rounding it means colouring thousands of interchangeable slot choices.

    ``confirmed`` meetings are kept exactly (see the module docstring, "On-site changes"); a confirmed meeting
    the event no longer allows raises ValueError naming it, as do requests naming unknown participants.
    ``time_limit`` is in CP-SAT deterministic seconds, shared by the stages (one was worth 0.5–2 wall seconds on
    the two-core benchmark machine); a wall-clock cap of three times the limit also applies. ``workers`` is the
    number of CP-SAT workers; 0 or 1 means one, and then the same input always gives the same output. With 2 or
    more the objective is as good, often sooner, but ties between equally good schedules fall by thread timing
    (module docstring, "Determinism").
    """
    began = time.perf_counter()
    slots, tables, people = _validate(event)
    _fix_confirmed(confirmed, slots, tables, people)
    problem, reasons, fixed_value = _prepare(event, confirmed, slots, tables, people)
    budget = _Budget(time_limit, workers)

    bound_code, bound_solver, selected = _select(problem, budget)
    bound: float | None = bound_solver.best_objective_bound if bound_code in _SOLVED else None
    selected = selected if selected is not None else []
    # Placing the selection is a feasibility problem that pure SAT search usually settles in a fraction of a
    # second, but now and then not for a long time; the maximising model with its linear relaxation reliably
    # takes a few seconds. So SAT gets a short try, then the linear relaxation.
    code, value, picks, _ = _place(problem, budget, selected, hint=None, cap=0.05 * time_limit, exact=True)
    if code not in _SOLVED:
        code, value, picks, _ = _place(problem, budget, selected, hint=None, cap=0.5 * (time_limit - budget.used))
        if code not in _SOLVED:
            value, picks = 0, {}
    proven = bound is not None and value >= bound - 1e-6
    if not proven:
        # The selection cannot be placed whole: the full model, started from the best partial placement.
        full_code, full_value, full_picks, solver_bound = _place(problem, budget, sorted(problem.options), hint=picks,
                                                                 cap=time_limit)
        if full_code in _SOLVED and full_value >= value:
            value, picks, code = full_value, full_picks, full_code
        if full_code == cp_model.OPTIMAL:
            bound = value
        elif full_code == cp_model.FEASIBLE:
            bound = solver_bound if bound is None else min(bound, solver_bound)
        proven = bound is not None and value >= bound - 1e-6
    solved = bool(picks) or code in _SOLVED
    status = ("OPTIMAL" if proven else "FEASIBLE") if solved else _status_name(code)

    taken = {(m.table, m.slot) for m in confirmed}
    by_slot: defaultdict[str, list[tuple[int, int | None]]] = defaultdict(list)
    for r, (s, k) in picks.items():
        by_slot[s].append((r, k))
    meetings = list(confirmed)
    for s in sorted(by_slot, key=problem.slot_order.__getitem__):
        meetings.extend(_assign_tables(s, by_slot[s], event.requests, tables, problem.kinds, taken))
    meetings.sort(key=lambda m: (problem.slot_order[m.slot], m.table))

    placed = {(m.buyer, m.slot) for m in meetings} | {(m.supplier, m.slot) for m in meetings}
    used = {(m.table, m.slot) for m in meetings}
    met_pairs = {(m.buyer, m.supplier) for m in meetings}
    unscheduled: list[tuple[Request, str]] = []
    for r, request in enumerate(event.requests):
        if (request.buyer, request.supplier) in met_pairs:
            continue
        reason = reasons.get(r)
        if reason is None:
            reason = _why_not(request, problem.options[r][0], people, tables, slots, placed, used, solved)
        unscheduled.append((request, reason))
    return Schedule(meetings=tuple(meetings), unscheduled=tuple(unscheduled), objective=float(fixed_value + value),
                    status=status, seconds=time.perf_counter() - began,
                    bound=None if bound is None else float(fixed_value + bound))


def _prepare(event: Event, confirmed: Sequence[Meeting], slots: dict[str, Slot], tables: dict[str, Table],
             people: dict[str, Participant]) -> tuple[_Problem, dict[int, str], int]:
    """Derive the candidates of every request; say why a request has none; add up the confirmed requests."""
    order = {slot.id: i for i, slot in enumerate(sorted(slots.values(), key=lambda s: (s.start, s.id)))}
    in_order = sorted(slots, key=order.__getitem__)
    busy = {(m.buyer, m.slot) for m in confirmed} | {(m.supplier, m.slot) for m in confirmed}
    taken = {(m.table, m.slot) for m in confirmed}
    met = {(m.buyer, m.supplier) for m in confirmed}
    kinds = sorted({frozenset(t.languages) for t in tables.values() if t.languages}, key=sorted)
    free_of_kind = {(k, s): sum(1 for t in tables.values() if frozenset(t.languages) == kinds[k]
                                and (t.id, s) not in taken) for k in range(len(kinds)) for s in slots}
    free_in_slot = {s: sum(1 for t in tables.values() if (t.id, s) not in taken) for s in slots}
    free_slots = {p.id: sum(1 for s in slots if _available(p, s) and (p.id, s) not in busy) for p in people.values()}

    options: dict[int, tuple[list[str], list[int | None]]] = {}
    reasons: dict[int, str] = {}
    fixed_value = 0
    for r, request in enumerate(event.requests):
        if (request.buyer, request.supplier) in met:
            fixed_value += weight(request)
            continue
        buyer, supplier = people[request.buyer], people[request.supplier]
        common = [s for s in in_order if _available(buyer, s) and _available(supplier, s)
                  and (buyer.id, s) not in busy and (supplier.id, s) not in busy]
        if not common:
            reasons[r] = f"buyer {buyer.id} has no free slot in common with supplier {supplier.id}"
            continue
        times = ", ".join(slots[s].start.strftime("%H:%M") for s in common)
        common = [s for s in common if free_in_slot[s] > 0]
        if not common:
            reasons[r] = f"no table left: confirmed meetings take every table in the slots both are free ({times})"
            continue
        if _common(buyer.languages, supplier.languages):
            usable: list[int | None] = [None]
        else:
            usable = [k for k in range(len(kinds)) if _covers(kinds[k], buyer, supplier)]
            if not usable:
                reasons[r] = (f"no common language: buyer {buyer.id} speaks {_languages(buyer)}, supplier "
                              f"{supplier.id} speaks {_languages(supplier)}, and no table has an interpreter "
                              "for both")
                continue
        options[r] = (common, usable)
    problem = _Problem(event.requests, order, kinds, options, free_slots, free_in_slot, free_of_kind)
    return problem, reasons, fixed_value


def _select(problem: _Problem, budget: _Budget) -> tuple[int, cp_model.CpSolver, list[int] | None]:
    """Solve the selection relaxation; return its status, its solver (for the bound) and the requests chosen."""
    model = cp_model.CpModel()
    chosen: dict[int, cp_model.IntVar] = {}
    per_person: defaultdict[str, list[int]] = defaultdict(list)
    per_kind: defaultdict[int, list[cp_model.IntVar]] = defaultdict(list)
    terms: list[tuple[cp_model.IntVar, int]] = []
    for r, (common, usable) in problem.options.items():
        request = problem.requests[r]
        kinds = [k for k in usable if k is None or any(problem.free_of_kind[(k, s)] for s in common)]
        if not kinds:
            continue
        var = model.new_bool_var(f"y_{r}")
        chosen[r] = var
        terms.append((var, weight(request)))
        per_person[request.buyer].append(r)
        per_person[request.supplier].append(r)
        interpreters = [k for k in kinds if k is not None]
        if interpreters:
            ways = [model.new_bool_var(f"y_{r}_{k}") for k in interpreters]
            model.add(sum(ways) == var)
            for k, way in zip(interpreters, ways, strict=True):
                per_kind[k].append(way)
    for person, mine in per_person.items():
        # Hall's condition for the partners available only in some of the participant's slots: those whose common
        # slots fall within a set C cannot take more than |C| meetings. C runs over the participant's distinct sets.
        sets = {frozenset(problem.options[r][0]) for r in mine}
        for common in sorted(sets, key=lambda c: (len(c), sorted(c))):
            within = [chosen[r] for r in mine if frozenset(problem.options[r][0]) <= common]
            if len(within) > len(common) and len(common) < problem.free_slots[person]:
                model.add(sum(within) <= len(common))
        if len(mine) > problem.free_slots[person]:
            model.add(sum(chosen[r] for r in mine) <= problem.free_slots[person])
    slot_ids = list(problem.free_in_slot)
    for k, ways in per_kind.items():
        capacity = sum(problem.free_of_kind[(k, s)] for s in slot_ids)
        if len(ways) > capacity:
            model.add(sum(ways) <= capacity)
    if len(chosen) > sum(problem.free_in_slot.values()):
        model.add(sum(chosen.values()) <= sum(problem.free_in_slot.values()))
    model.maximize(sum(w * v for v, w in terms))
    code, solver = budget.solve(model, cap=0.25 * budget.limit)
    if code not in _SOLVED:
        return code, solver, None
    return code, solver, [r for r, var in chosen.items() if solver.boolean_value(var)]


def _place(problem: _Problem, budget: _Budget, subset: Sequence[int], hint: dict[int, tuple[str, int | None]] | None,
           cap: float, exact: bool = False) -> tuple[int, int, dict[int, tuple[str, int | None]], float]:
    """Place ``subset`` into (slot, interpreter kind) with the full model; ``exact``: all of them, or fail.

    Returns the status, the value placed, the placement and the solver's bound.
    """
    model = cp_model.CpModel()
    choices: dict[tuple[int, str, int | None], cp_model.IntVar] = {}
    by_person_slot: defaultdict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    by_slot: defaultdict[str, list[cp_model.IntVar]] = defaultdict(list)
    by_kind_slot: defaultdict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
    terms: list[tuple[cp_model.IntVar, int]] = []
    for r in subset:
        request = problem.requests[r]
        common, usable = problem.options[r]
        mine: list[cp_model.IntVar] = []
        for s in common:
            for k in usable:
                if k is not None and problem.free_of_kind[(k, s)] == 0:
                    continue
                var = model.new_bool_var(f"x_{r}_{s}_{'' if k is None else k}")
                choices[(r, s, k)] = var
                mine.append(var)
                by_person_slot[(request.buyer, s)].append(var)
                by_person_slot[(request.supplier, s)].append(var)
                by_slot[s].append(var)
                if k is not None:
                    by_kind_slot[(k, s)].append(var)
                terms.append((var, weight(request)))
        if exact:
            model.add_exactly_one(mine)
        elif len(mine) > 1:
            model.add_at_most_one(mine)
    for group in by_person_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for s, group in by_slot.items():
        if len(group) > problem.free_in_slot[s]:
            model.add(sum(group) <= problem.free_in_slot[s])
    for (k, s), group in by_kind_slot.items():
        if len(group) > problem.free_of_kind[(k, s)]:
            model.add(sum(group) <= problem.free_of_kind[(k, s)])
    if not exact:
        model.maximize(sum(w * v for v, w in terms))
    if hint is not None:
        for (r, s, k), var in choices.items():
            model.add_hint(var, hint.get(r) == (s, k))
    code, solver = budget.solve(model, cap=cap, lp=not exact)
    if code not in _SOLVED:
        return code, 0, {}, math.inf
    picks = {r: (s, k) for (r, s, k), var in choices.items() if solver.boolean_value(var)}
    return code, sum(weight(problem.requests[r]) for r in picks), picks, solver.best_objective_bound


def _assign_tables(slot: str, picks: list[tuple[int, int | None]], requests: Sequence[Request],
                   tables: dict[str, Table], kinds: list[frozenset[str]], taken: set[tuple[str, str]]) -> list[Meeting]:
    """Give each meeting chosen for ``slot`` a table; the model's capacities guarantee one exists."""
    free = [t for t in sorted(tables.values(), key=lambda t: (bool(t.languages), t.id)) if (t.id, slot) not in taken]
    out: list[Meeting] = []
    # Interpreter meetings first, each to a table of the kind the solver chose for it.
    for r, k in sorted(picks, key=lambda p: (p[1] is None, p[0])):
        # Plain tables sort first, so meetings without an interpreter leave interpreters free for on-site additions.
        table = free[0] if k is None else next(t for t in free if frozenset(t.languages) == kinds[k])
        free.remove(table)
        out.append(Meeting(requests[r].buyer, requests[r].supplier, slot, table.id))
    return out


def _why_not(request: Request, common: list[str], people: dict[str, Participant], tables: dict[str, Table],
             slots: dict[str, Slot], placed: set[tuple[str, str]], used: set[tuple[str, str]], solved: bool) -> str:
    """Say in words why a request that could have been met in some slot was not."""
    if not solved:
        return "not chosen: the solver found no schedule within the time limit"
    buyer, supplier = people[request.buyer], people[request.supplier]
    fitting = [t.id for t in tables.values() if _covers(t.languages, buyer, supplier)]
    buyer_busy = supplier_busy = no_table = 0
    for s in common:
        b, p = (buyer.id, s) in placed, (supplier.id, s) in placed
        buyer_busy += b
        supplier_busy += p
        if not b and not p:
            if all((t, s) in used for t in fitting):
                no_table += 1
            else:
                return "not chosen: the solver stopped at its time limit before adding it"
    times = ", ".join(slots[s].start.strftime("%H:%M") for s in common)
    if no_table == len(common):
        kind = "table" if _common(buyer.languages, supplier.languages) else "table with a fitting interpreter"
        return f"no table left: every {kind} is taken in the slots both are free ({times})"
    parts = [f"buyer {buyer.id} is busy in {buyer_busy}", f"supplier {supplier.id} in {supplier_busy}"]
    if no_table:
        parts.append(f"no table left in {no_table}")
    return (f"not chosen: lower weight than the meetings kept ({', '.join(parts)} of their {len(common)} "
            "common slots)")


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
