"""``schedule``: the three stages put together, tables assigned per slot, and the reason each unmet request
was not met."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from vnindustry.linkage.schedule.cpsat import _SOLVED, _Budget, _place, _prepare, _select, _status_name
from vnindustry.linkage.schedule.event import (
    Event,
    Meeting,
    Participant,
    Request,
    Schedule,
    Slot,
    Table,
    _common,
    _covers,
)
from vnindustry.linkage.schedule.validation import _fix_confirmed, _validate


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
