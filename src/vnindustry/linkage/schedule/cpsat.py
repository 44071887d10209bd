"""The CP-SAT models of the scheduler: the candidates of every request (``_prepare``), the selection relaxation
(``_select``), the placement into slots and interpreter kinds (``_place``), and the time budget they share."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from vnindustry.linkage.schedule.event import (
    Event,
    Meeting,
    Participant,
    Request,
    Slot,
    Table,
    _available,
    _common,
    _covers,
    _languages,
    weight,
)


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
