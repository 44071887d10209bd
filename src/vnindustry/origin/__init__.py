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
           rule_set: int | None = None, minimal_only: bool = False, hs_version: str = "2012",
           weight: float | None = None, suppliers: Sequence = (), lang: str = "vi") -> dict:  # type: ignore[type-arg]
    """Whether the product originates under the EVFTA, by which rule and margin, and — when it does not — the
    smallest set of materials to source as originating, each with the ``suppliers`` (linkage profiles) that make
    it; when it does, the headroom left. ``rule_set`` picks among "ex" descriptions (:class:`OriginError` lists
    them when several apply); ``minimal_only``: the working in Viet Nam is only Article 6's insufficient
    operations; ``hs_version`` "2022": the codes are HS 2022, read in HS 2012 where the correlation allows (the
    notes say how; :class:`OriginError` when the product's code has no HS 2012 reading). The answer as
    :func:`vnindustry.origin.answer.to_json`. ``weight``: the product's weight, in the unit of the materials'
    weights, for the weight limits of Chapters 1–24."""
    from vnindustry.origin.advice import advise, headroom, suppliers_for
    from vnindustry.origin.answer import to_json

    if lang not in ("vi", "en"):
        raise ValueError("lang is vi or en")
    if hs_version not in ("2012", "2022"):
        raise ValueError("hs_version is 2012 or 2022")
    notes: list[tuple[str, str]] = []
    if hs_version == "2022":
        from vnindustry.origin.hs2022 import map_materials, to_hs2012

        mapped = to_hs2012(hs.replace(".", "")[:6])
        if mapped.code is None or len(mapped.code) < 6 <= len(hs.replace(".", "")):
            raise OriginError(mapped.note_en or f"HS 2022 {hs} has no HS 2012 reading",
                              vi=mapped.note_vi or f"HS 2022 {hs} không có mã HS 2012 tương ứng")
        if mapped.note_en:
            notes.append((f"sản phẩm: {mapped.note_vi}", f"product: {mapped.note_en}"))
        hs = mapped.code
        materials = map_materials(materials, notes)
    result = check(materials, hs, ex_works, processes=processes, choice=rule_set, minimal_only=minimal_only,
                   weight=weight)
    advice = None
    if not result.originates and not minimal_only:
        advice = advise(result, materials, processes=processes, choice=rule_set)
    found = {m.name: suppliers_for(m, suppliers, lang=lang) for m in advice.materials} if advice and suppliers else None
    answer = to_json(result, lang=lang, advice=advice, headroom=headroom(result) if result.originates else (),
                     suppliers=found)
    answer["hs_version"] = hs_version
    answer["hs_notes"] = [vi if lang == "vi" else en for vi, en in notes]
    return answer
