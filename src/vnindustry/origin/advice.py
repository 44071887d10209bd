"""What would make a product originate — and, for one that does, how much room is left (issue 15, item 3).

For a product that fails, :func:`advise` finds the smallest set of its non-originating materials whose sourcing
as originating (from a Vietnamese supplier, or from the EU under cumulation) makes it pass some alternative:
taking the largest first gives a set and so a bound, then every set of one material, of two, … below that bound
is tried (exact; past :data:`EXACT_BUDGET` checks the largest-first set is returned, marked not exact). Among
sets of the same size the one leaving the largest margin wins. Each material of the answer can be linked to the
suppliers that make it (:func:`suppliers_for`: the supplier linkage's matching of issue 14).

For a product that passes, the headroom: the percentage points (and the value) left before the MaxNOM limit
or the 10% tolerance, per passing alternative.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vnindustry.origin.bom import Material
from vnindustry.origin.calc import TOLERANCE_PCT, Result, check

__all__ = ["EXACT_BUDGET", "Advice", "Headroom", "advise", "headroom", "suppliers_for"]

EXACT_BUDGET = 5000  # checks of the exact search (a check of a 16-line BOM takes ~0.1 ms)


@dataclass(frozen=True)
class Advice:
    """The smallest set of materials to source as originating, the alternative it then meets, and its margin."""

    materials: tuple[Material, ...]
    alternative: int
    rule_text: str
    maxnom_after: float
    margin_pct: float | None
    exact: bool


@dataclass(frozen=True)
class Headroom:
    """For a passing alternative: percentage points (and value) left before its limit."""

    alternative: int
    limit: str  # "MaxNOM 50%" or "tolerance 10%"
    points: float
    value: float


def _sourced(materials: Sequence[Material], names: set[str]) -> tuple[Material, ...]:
    return tuple(replace(m, originating=True, components=()) if m.name in names else m for m in materials)


def _try(result: Result, materials: Sequence[Material], chosen: Sequence[Material], processes: Sequence[str],
         choice: int) -> Advice | None:
    """The advice if sourcing ``chosen`` as originating makes the product pass (the alternative leaving the most
    room; no limit at all counts as the most), else None."""
    after = check(_sourced(materials, {m.name for m in chosen}), result.hs, result.ex_works, processes=processes,
                  choice=choice, weight=result.weight)
    if not after.originates:
        return None
    scored = [(m if (m := a.margin_pct(after.maxnom_pct)) is not None else float("inf"), a)
              for a in after.alternatives if a.passes]
    key, alternative = max(scored, key=lambda x: x[0])
    return Advice(tuple(chosen), alternative.number, alternative.text, after.maxnom_pct,
                  None if key == float("inf") else key, True)


def _room(a: Advice) -> float:
    return float("inf") if a.margin_pct is None else a.margin_pct


def advise(result: Result, materials: Sequence[Material], *, processes: Sequence[str] = (),
           choice: int | None = None, budget: int = EXACT_BUDGET) -> Advice | None:
    """For a product that does not originate: the smallest set of its non-originating materials that, sourced as
    originating, makes it pass — or None when none does (a rule no bill of materials can meet, such as a process
    not declared). Exact: the largest-first answer bounds the size, then every smaller set is tried (at most
    ``budget`` checks; past it, the largest-first answer, marked ``exact=False``)."""
    if result.originates:
        return None
    candidates = sorted((s.material for s in result.materials if not s.originating), key=lambda m: -m.value)
    choice = result.rule_set.index if choice is None else choice
    if not candidates or _try(result, materials, candidates, processes, choice) is None:
        return None  # even sourcing every material does not make it pass
    greedy = next(a for k in range(1, len(candidates) + 1)
                  if (a := _try(result, materials, candidates[:k], processes, choice)) is not None)
    checks = 0
    for k in range(1, len(greedy.materials) + 1):
        best: Advice | None = None
        for chosen in itertools.combinations(candidates, k):
            checks += 1
            if checks > budget:
                return replace(greedy, exact=False)
            found = _try(result, materials, chosen, processes, choice)
            if found is not None and (best is None or _room(found) > _room(best)):
                best = found
        if best is not None:
            return best
    return greedy


def headroom(result: Result) -> list[Headroom]:
    """For each passing alternative, the room left before its MaxNOM limit or the general tolerance."""
    out = []
    for a in result.alternatives:
        if not a.passes:
            continue
        if a.maxnom_limit is not None:
            points = a.maxnom_limit - result.maxnom_pct
            out.append(Headroom(a.number, f"MaxNOM {a.maxnom_limit:g}%", points, points / 100 * result.ex_works))
        if a.tolerance_applies:
            points = TOLERANCE_PCT - a.tolerated_pct
            out.append(Headroom(a.number, f"tolerance {TOLERANCE_PCT:g}%", points, points / 100 * result.ex_works))
    return out


def suppliers_for(material: Material, suppliers: Sequence, *, top: int = 5,  # type: ignore[type-arg]
                  lang: str = "vi") -> list[tuple[str, str, str]]:
    """The consenting suppliers (``vnindustry.linkage.profiles.Supplier``) that make ``material``, best first:
    (id, name, the reasons in words). Ranked by the supplier linkage's matching (issue 14) for a need made of the
    material — its HS code and its name as the description (BM25 over Vietnamese words) — and kept only where the
    supplier makes something of the material's heading or subheading (a chapter is too broad to say it makes the
    part)."""
    from vnindustry.linkage import match
    from vnindustry.linkage.profiles import Need

    need = Need(id="material", buyer="", title=material.name, hs=(material.hs,), description=material.name)
    result = match([s for s in suppliers if getattr(s, "consent", True)], [need], top=None)
    names = {s.id: s.name for s in suppliers}
    out = []
    for m in result.of("material"):
        hs_part = next((p for p in m.parts if p.term == "hs"), None)
        if hs_part is None or hs_part.share < 0.6:  # 1.0 same subheading, 0.6 same heading (linkage.hs.LEVELS)
            continue
        out.append((m.supplier, names.get(m.supplier, m.supplier), m.reasons(lang)))
        if len(out) == top:
            break
    return out
