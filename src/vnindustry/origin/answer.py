"""An origin answer as JSON (the CLI's ``--out``, the API) and as lines of text, in Vietnamese or English."""

from __future__ import annotations

from collections.abc import Sequence

from vnindustry.origin.advice import Advice, Headroom
from vnindustry.origin.calc import MaterialStatus, Result
from vnindustry.origin.rules import RULE_SET

__all__ = ["ANSWER_WORDS", "DISCLAIMER", "VERDICTS", "to_json", "verdict"]

# The words of an answer's materials table, (Vietnamese, English): the page's and the PDF's.
ANSWER_WORDS: dict[str, tuple[str, str]] = {
    "material": ("Nguyên liệu", "Material"),
    "value": ("Trị giá", "Value"),
    "origin": ("Xuất xứ", "Origin"),
    "counted": ("Tính là", "Counted as"),
    "originating": ("có xuất xứ", "originating"),
    "non": ("không có xuất xứ", "non-originating"),
    "todo": ("Để đạt xuất xứ", "To originate"),
}

# The answer in one line, as the CLI, the page and the PDF say it.
VERDICTS = {
    "yes": ("ĐẠT xuất xứ EVFTA", "ORIGINATES under the EVFTA"),
    "no": ("KHÔNG đạt xuất xứ EVFTA", "does NOT originate under the EVFTA"),
    "undetermined": ("CHƯA XÁC ĐỊNH được: có phương án chưa đánh giá được",
                     "NOT DETERMINED: an alternative could not be assessed"),
}


def verdict(answer: dict, lang: str) -> str:
    """The verdict of :func:`to_json`'s ``answer`` in ``lang``."""
    key = "yes" if answer["originates"] else ("no" if answer["determined"] else "undetermined")
    return VERDICTS[key][0 if lang == "vi" else 1]

DISCLAIMER = {
    "vi": "Kết quả tự đánh giá theo Nghị định thư 1 và Phụ lục II của EVFTA, không phải xác định trước xuất xứ có "
          "giá trị ràng buộc; cơ quan hải quan và cơ quan cấp C/O quyết định. Quy tắc lấy từ bản của Hiệp định "
          "UKVFTA, vốn sao lại Phụ lục II của EVFTA (HS 2012).",
    "en": "A self-assessment under Protocol 1 and Annex II of the EVFTA, not a binding ruling; the customs and the "
          "issuing authorities decide. The rules are the UK–Viet Nam FTA's, which replicate the EVFTA's Annex II "
          "(HS 2012).",
}


def _material(s: MaterialStatus, lang: str) -> dict:
    m = s.material
    out = {"material": m.name, "hs": m.hs, "value": m.value, "origin": m.origin, "originating": s.originating,
           "why": s.reason.text(lang)}
    if s.sub is not None:
        out["sub_assembly"] = to_json(s.sub, lang=lang)
    return out


def to_json(result: Result, *, lang: str = "vi", advice: Advice | None = None,
            headroom: Sequence[Headroom] = (), suppliers: dict[str, list[tuple[str, str, str]]] | None = None
            ) -> dict:
    """The answer: ``originates``, ``rule`` (the heading and the text used), ``maxnom_pct``, ``reasons``, each
    alternative, each material, what would make it originate (or the headroom), the rule set's source."""
    used = result.used
    body: dict = {
        "originates": result.originates,
        # False when no alternative passes but one could not be assessed (a weight, a textile tolerance, a
        # process not declared): "does not originate" is then not established.
        "determined": result.determined,
        "hs": result.hs,
        "ex_works": result.ex_works,
        "rule": {"rule_set": result.rule_set.index, "heading": result.rule_set.heading,
                 "description": result.rule_set.description,
                 "alternative": used.number if used else None, "text": used.text if used else None,
                 "text_vi": used.text_vi if used else None},
        "maxnom_pct": result.maxnom_pct,
        "non_originating_value": result.non_originating_value,
        "reasons": [r.text(lang) for r in result.reasons] + ([r.text(lang) for r in used.reasons] if used else []),
        "alternatives": [{"number": a.number, "text": a.text, "text_vi": a.text_vi, "kind": a.kind, "passes": a.passes,
                          "breaking_materials": list(a.breaking), "tolerance_used": a.tolerance_used,
                          "maxnom_limit": a.maxnom_limit, "margin_pct": a.margin_pct(result.maxnom_pct),
                          "reasons": [r.text(lang) for r in a.reasons]} for a in result.alternatives],
        "materials": [_material(s, lang) for s in result.materials],
        "source": {"rules": RULE_SET.name, "agreement": RULE_SET.agreement, "from": RULE_SET.source,
                   "commit": RULE_SET.commit, "date": RULE_SET.date, "licence": RULE_SET.licence},
        "disclaimer": DISCLAIMER[lang],
        "lang": lang,
    }
    if advice is not None:
        body["to_originate"] = {
            "source_as_originating": [m.name for m in advice.materials],
            "alternative": advice.alternative, "text": advice.rule_text, "maxnom_pct_after": advice.maxnom_after,
            "margin_pct": advice.margin_pct, "exact": advice.exact,
            "suppliers": {m.name: [{"supplier": i, "name": n, "why": why}
                                   for i, n, why in (suppliers or {}).get(m.name, [])] for m in advice.materials}}
    elif not result.originates:
        body["to_originate"] = None
    if headroom:
        body["headroom"] = [{"alternative": h.alternative, "limit": h.limit, "points": h.points, "value": h.value}
                            for h in headroom]
    return body
