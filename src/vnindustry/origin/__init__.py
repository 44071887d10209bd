"""EVFTA rules of origin (issue 15): the rules as data, a calculator from the exporter's bill of materials, and
what would make a product originate.

One call answers, as the CLI, the API and the ``/origin`` page do::

    from vnindustry.origin import assess, read_bom
    answer = assess(read_bom("bom.csv"), hs="850152", ex_works=100.0)
    answer["originates"], answer["rule"]["heading"], answer["maxnom_pct"], answer["reasons"]

Modules: :mod:`~vnindustry.origin.rules` (the rule sets, lookup by HS code), :mod:`~vnindustry.origin.parse`
(each rule's text as conditions, and the parse report), :mod:`~vnindustry.origin.bom` (the bill of materials),
:mod:`~vnindustry.origin.calc` (the check), :mod:`~vnindustry.origin.advice` (what would make it originate;
headroom; suppliers), :mod:`~vnindustry.origin.answer` (JSON).
"""

from __future__ import annotations

from collections.abc import Sequence

from vnindustry.origin.bom import Material, parse_bom, read_bom
from vnindustry.origin.calc import OriginError, Result, check

__all__ = ["Material", "OriginError", "Result", "assess", "check", "parse_bom", "read_bom"]


def assess(materials: Sequence[Material], hs: str, ex_works: float, *, processes: Sequence[str] = (),
           rule_set: int | None = None, minimal_only: bool = False, suppliers: Sequence = (),  # type: ignore[type-arg]
           lang: str = "vi") -> dict:
    """Whether the product originates under the EVFTA, by which rule and margin, and — when it does not — the
    smallest set of materials to source as originating, each with the ``suppliers`` (linkage profiles) that make
    it; when it does, the headroom left. ``rule_set`` picks among "ex" descriptions (:class:`OriginError` lists
    them when several apply); ``minimal_only``: the working in Viet Nam is only Article 6's insufficient
    operations. The answer as :func:`vnindustry.origin.answer.to_json`."""
    from vnindustry.origin.advice import advise, headroom, suppliers_for
    from vnindustry.origin.answer import to_json

    if lang not in ("vi", "en"):
        raise ValueError("lang is vi or en")
    result = check(materials, hs, ex_works, processes=processes, choice=rule_set, minimal_only=minimal_only)
    advice = None
    if not result.originates and not minimal_only:
        advice = advise(result, materials, processes=processes, choice=rule_set)
    found = {m.name: suppliers_for(m, suppliers) for m in advice.materials} if advice and suppliers else None
    return to_json(result, lang=lang, advice=advice, headroom=headroom(result) if result.originates else (),
                   suppliers=found)
