"""Does the product originate under the EVFTA, by which rule, by what margin (issue 15)?

:func:`check` takes the product's HS code and ex-works price and its bill of materials, and answers for each
alternative rule of the product's rule set whether it is met, every conclusion with its note or article:

- a material is originating when it has its own proof (``originating`` yes), when it is Vietnamese, or when it
  originates in the EU (bilateral cumulation, Article 3(1)); a sub-assembly made from non-originating materials
  that meets its own rule counts as wholly originating, its materials no longer counted (absorption, Article
  5(2)); one that does not counts as non-originating at its full value;
- MaxNOM % = value of non-originating materials ÷ ex-works price × 100 (Annex I, Note 3.4), against the rule's
  limit ("does not exceed": equal passes);
- a change of heading (subheading, chapter) is broken by each non-originating material of the product's own
  heading or of an excepted one (Note 3.3); the general tolerance admits such materials up to 10% of the
  ex-works price (Article 5(3)), never past a MaxNOM (5(4)), never for wholly obtained products (5(5)); the
  textiles of Chapters 50–63 have their own tolerances (Notes 6–7), not computed here;
- a specific process counts when the exporter declares it; an alternative the parser could not read is "not
  assessed", never guessed.

A self-assessment, not a binding ruling; and only if the working goes beyond the insufficient operations of
Article 6, which a bill of materials cannot show.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vnindustry.origin.bom import EU_MEMBERS, Material
from vnindustry.origin.parse import (
    SUGAR,
    AnyHeading,
    Change,
    Condition,
    MaterialsFrom,
    MaxNOM,
    Parsed,
    Process,
    WeightLimit,
    WhollyObtained,
    codes_words,
    parse,
    words_vi,
)
from vnindustry.origin.rules import RULE_SET, RuleSet, RuleSetSource, lookup
from vnindustry.publish.numbers import format_number

__all__ = ["TOLERANCE_PCT", "AlternativeResult", "MaterialStatus", "OriginError", "Reason", "Result", "check",
           "cite_in"]

TOLERANCE_PCT = 10.0  # Article 5(3)(b): of the ex-works price
TEXTILE_CHAPTERS = range(50, 64)  # their tolerances are Notes 6 and 7, by weight of basic textile materials


class OriginError(ValueError):
    """The question cannot be answered as asked (no rule for the code; several "ex" descriptions apply)."""

    def __init__(self, message: str, *, vi: str = "", candidates: Sequence[RuleSet] = ()) -> None:
        super().__init__(message)
        self.vi = vi or message
        self.candidates = tuple(candidates)

    def text(self, lang: str) -> str:
        return self.vi if lang == "vi" else str(self)


@dataclass(frozen=True)
class Reason:
    """One conclusion in both languages and what it rests on (a note or article of Protocol 1 / Annex I)."""

    vi: str
    en: str
    cite: str = ""

    def text(self, lang: str) -> str:
        said = self.vi if lang == "vi" else self.en
        cite = cite_in(self.cite, lang)
        return f"{said} ({cite})" if cite else said


_CITE_VI = (("Annex II", "Phụ lục II"), ("Annex I", "Phụ lục I"), ("Notes", "Ghi chú"), ("Note", "Ghi chú"),
            ("Article", "Điều"), ("absorption", "nguyên tắc cộng gộp giá trị"))


def cite_in(cite: str, lang: str) -> str:
    """A citation in the page's language: "Annex I, Note 3.4" → "Phụ lục I, Ghi chú 3.4"."""
    if lang != "vi":
        return cite
    for en, vi in _CITE_VI:
        cite = cite.replace(en, vi)
    return cite


@dataclass(frozen=True)
class MaterialStatus:
    """A material as the answer counts it."""

    material: Material
    originating: bool
    reason: Reason
    sub: Result | None = None  # a sub-assembly's own answer


@dataclass(frozen=True)
class AlternativeResult:
    """One alternative rule against the bill of materials."""

    number: int
    text: str  # as printed in the rule set (English, the authority)
    text_vi: str | None  # the system's Vietnamese rendering, when it has one
    kind: str  # computed, declared, unparsed
    passes: bool | None  # None: not assessed
    breaking: tuple[str, ...]  # materials that break a classification or wholly-obtained condition
    tolerance_used: bool
    tolerated_pct: float  # value of the breaking materials, % of the ex-works price
    maxnom_limit: float | None
    reasons: tuple[Reason, ...]

    tolerance_applies: bool = False  # a classification condition the general tolerance may relax

    def margin_pct(self, maxnom_pct: float) -> float | None:
        """Headroom in percentage points of the ex-works price: to the MaxNOM limit, and (a classification rule
        the tolerance relaxes) to the 10% tolerance — the smaller; None when it does not pass."""
        if not self.passes:
            return None
        margins = []
        if self.maxnom_limit is not None:
            margins.append(self.maxnom_limit - maxnom_pct)
        if self.tolerance_applies:
            margins.append(TOLERANCE_PCT - self.tolerated_pct)
        return min(margins) if margins else None


@dataclass(frozen=True)
class Result:
    """The answer for one product."""

    hs: str
    ex_works: float
    rule_set: RuleSet
    originates: bool
    used: AlternativeResult | None
    alternatives: tuple[AlternativeResult, ...]
    maxnom_pct: float
    non_originating_value: float
    materials: tuple[MaterialStatus, ...]
    reasons: tuple[Reason, ...]
    determined: bool = True  # False: nothing passes, but an alternative could not be assessed
    weight: float | None = None  # the product's weight, as given (weight limits)
    source: RuleSetSource = RULE_SET


def _pct(value: float, lang: str, decimals: int = 1) -> str:
    return format_number(value, decimals, lang) + "%"


def _money(value: float, lang: str) -> str:
    return format_number(value, 2, lang)


def _status(m: Material, processes: Sequence[str], depth: int) -> MaterialStatus:
    if m.components:
        sub = _check(m.components, m.hs, m.value, processes=processes, choice=None, depth=depth + 1,
                     weight=m.weight)
        if m.originating is not None:
            return MaterialStatus(m, m.originating, Reason(
                "khai báo có chứng từ xuất xứ riêng" if m.originating else "khai báo không có xuất xứ",
                "declared with its own proof of origin" if m.originating else "declared non-originating"), sub)
        if sub.originates:
            return MaterialStatus(m, True, Reason(
                f"bán thành phẩm đạt quy tắc của chính nó ({sub.rule_set.heading}): tính là có xuất xứ toàn bộ, "
                "nguyên liệu của nó không còn được tính",
                f"a sub-assembly meeting its own rule ({sub.rule_set.heading}): counted as wholly originating, its "
                "own materials no longer counted", "Article 5(2), absorption"), sub)
        return MaterialStatus(m, False, Reason(
            f"bán thành phẩm không đạt quy tắc của chính nó ({sub.rule_set.heading}): tính là không có xuất xứ "
            "theo toàn bộ giá trị",
            f"a sub-assembly that does not meet its own rule ({sub.rule_set.heading}): non-originating at its "
            "full value", "Article 5(2)"), sub)
    if m.originating is not None:
        return MaterialStatus(m, m.originating, Reason(
            "khai báo có chứng từ xuất xứ" if m.originating else "khai báo không có xuất xứ",
            "declared originating, with its own proof" if m.originating else "declared non-originating"))
    if m.origin == "VN":
        return MaterialStatus(m, True, Reason(
            "xuất xứ Việt Nam (cần bản khai xuất xứ của nhà cung cấp)",
            "Vietnamese origin (the supplier's declaration should support it)", "Article 2"))
    if m.origin in EU_MEMBERS:
        return MaterialStatus(m, True, Reason(
            f"xuất xứ EU ({m.origin}): cộng gộp song phương", f"originating in the EU ({m.origin}): bilateral "
            "cumulation", "Article 3(1)"))
    if not m.origin:
        return MaterialStatus(m, False, Reason("không rõ xuất xứ: tính là không có xuất xứ",
                                               "origin unknown: counted as non-originating", "Article 2"))
    return MaterialStatus(m, False, Reason(f"xuất xứ {m.origin}: không có xuất xứ", f"from {m.origin}: "
                                           "non-originating", "Article 2"))


def _level_code(hs: str, level: str) -> str:
    return hs[: {"chapter": 2, "heading": 4, "subheading": 6}[level]]


def _in(hs: str, codes: Sequence[str]) -> bool:
    """Whether material code ``hs`` (4 or 6 digits) falls in any of ``codes`` (2, 4 or 6 digits); a 4-digit
    material under a 6-digit code counts as in it (the cautious reading: give 6 digits to know)."""
    return any(hs.startswith(c) or (len(hs) < len(c) and c.startswith(hs)) for c in codes)


def _declared(text: str, processes: Sequence[str]) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()

    target = norm(text)
    return any(norm(p) and (norm(p) == target or (norm(p) in target and len(norm(p)) > 20) or target in norm(p))
               for p in processes)


def _alternative(p: Parsed, hs: str, ex_works: float, non: list[MaterialStatus], processes: Sequence[str],
                 everything: Sequence[MaterialStatus] = (), weight: float | None = None) -> AlternativeResult:
    """One alternative against the non-originating materials ``non``."""
    a = p.alternative
    if p.kind == "unparsed":
        return AlternativeResult(a.number, a.text, None, "unparsed", None, (), False, 0.0, None, (Reason(
            f"không đánh giá được: {p.unparsed}", f"not assessed: {p.unparsed}"),))
    reasons: list[Reason] = []
    breaking: dict[str, float] = {}
    ok: bool | None = True
    maxnom: float | None = None
    tolerance_allowed = int(hs[:2]) not in TEXTILE_CHAPTERS
    for c in p.conditions:
        if isinstance(c, WeightLimit):
            met = _weight(c, weight, non, everything, reasons)
            ok = met if ok is True else (False if met is False else ok)
            continue
        ok = _condition(c, hs, ex_works, non, processes, reasons, breaking) and ok
        if isinstance(c, MaxNOM):
            maxnom = c.pct if maxnom is None else min(maxnom, c.pct)
        if isinstance(c, WhollyObtained) and c.codes is None:
            tolerance_allowed = False
    tolerated = sum(breaking.values()) / ex_works * 100 if ex_works else 0.0
    used = False
    if breaking:
        names = ", ".join(breaking)
        if tolerance_allowed and tolerated <= TOLERANCE_PCT + 1e-9:
            used = True
            why = (f"dung sai chung: {names} chiếm {_pct(tolerated, 'vi', 2)} giá xuất xưởng, không quá 10%",
                   f"general tolerance: {names} come to {_pct(tolerated, 'en', 2)} of the ex-works price, within 10%",
                   "Article 5(3)")
        elif int(hs[:2]) in TEXTILE_CHAPTERS:
            # The textiles' own tolerances (Article 5(3)(b)): Note 6 by weight, Note 7.1 by value.
            from vnindustry.origin.textiles import stage, tolerance

            broken = [s for s in non if s.material.name in breaking]
            fabrics = [s for s in everything if stage(s.material.hs)]
            admitted, vi, en, cite = tolerance(hs, broken, fabrics, ex_works)
            used = admitted is True and ok is True
            if not admitted:
                ok = None if admitted is None and ok else False
            why = (vi, en, cite)
        else:
            ok = False
            if not tolerance_allowed:
                why = ("sản phẩm phải có xuất xứ thuần túy: không áp dụng dung sai",
                       "the product must be wholly obtained: no tolerance", "Article 5(5)")
            else:
                why = (f"{names} chiếm {_pct(tolerated, 'vi', 2)} giá xuất xưởng, vượt dung sai 10%",
                       f"{names} come to {_pct(tolerated, 'en', 2)} of the ex-works price, past the 10% tolerance",
                       "Article 5(3)")
        reasons.append(Reason(*why))
    if maxnom is not None and used:
        reasons.append(Reason("dung sai không được làm vượt tỷ lệ MaxNOM", "the tolerance may not push past the "
                              "MaxNOM", "Article 5(4)"))
    classifies = any(isinstance(c, Change | AnyHeading | MaterialsFrom | WhollyObtained) for c in p.conditions)
    return AlternativeResult(a.number, a.text, words_vi(p), p.kind, None if ok is None else bool(ok),
                             tuple(breaking), used, tolerated,
                             maxnom, tuple(reasons), classifies and tolerance_allowed)


def _condition(c: Condition, hs: str, ex_works: float, non: list[MaterialStatus], processes: Sequence[str],
               reasons: list[Reason], breaking: dict[str, float]) -> bool:
    """Check ``c``; add to ``reasons``; put the materials a tolerance could admit in ``breaking``; False when
    the condition fails whatever the tolerance."""
    if isinstance(c, MaxNOM):
        nom = sum(s.material.value for s in non) / ex_works * 100 if ex_works else 0.0
        if nom <= c.pct + 1e-9:
            reasons.append(Reason(f"MaxNOM {_pct(nom, 'vi', 2)} không vượt {_pct(c.pct, 'vi', 0)} giá xuất xưởng",
                                  f"MaxNOM {_pct(nom, 'en', 2)} does not exceed {_pct(c.pct, 'en', 0)} of the "
                                  "ex-works price", "Annex I, Note 3.4"))
            return True
        reasons.append(Reason(f"MaxNOM {_pct(nom, 'vi', 2)} vượt {_pct(c.pct, 'vi', 0)} giá xuất xưởng",
                              f"MaxNOM {_pct(nom, 'en', 2)} exceeds {_pct(c.pct, 'en', 0)} of the ex-works price",
                              "Annex I, Note 3.4"))
        return False
    if isinstance(c, Change):
        level_vi = {"chapter": "chương", "heading": "nhóm", "subheading": "phân nhóm"}[c.level]
        own = _level_code(hs, c.level)
        same: list[MaterialStatus] = []
        for s in non:
            m = s.material
            if c.level == "subheading" and len(m.hs) < 6 and m.hs == hs[:4]:
                same.append(s)  # 4 digits under a subheading rule: cannot show the change
            elif _level_code(m.hs, c.level) == own:
                same.append(s)
            elif _in(m.hs, c.excepted):
                breaking[m.name] = m.value
                reasons.append(Reason(f"{m.name} ({m.hs}) không có xuất xứ, thuộc {codes_words(c.excepted, 'vi')} mà "
                                      "quy tắc loại trừ", f"{m.name} ({m.hs}) is non-originating and of "
                                      f"{codes_words(c.excepted, 'en')}, which the rule excepts", "Annex I, Note 3.3"))
        if same and c.allowance_pct is not None:
            share = sum(s.material.value for s in same) / ex_works * 100
            names = ", ".join(s.material.name for s in same)
            if share <= c.allowance_pct + 1e-9:
                reasons.append(Reason(
                    f"{names} cùng {level_vi} với sản phẩm: {_pct(share, 'vi', 2)} giá xuất xưởng, trong mức "
                    f"{_pct(c.allowance_pct, 'vi', 0)} quy tắc cho phép",
                    f"{names} of the product's own {c.level}: {_pct(share, 'en', 2)} of the ex-works price, within "
                    f"the {_pct(c.allowance_pct, 'en', 0)} the rule allows", "Annex II"))
                same = []
            else:
                reasons.append(Reason(
                    f"{names} cùng {level_vi} với sản phẩm: {_pct(share, 'vi', 2)} giá xuất xưởng, vượt mức "
                    f"{_pct(c.allowance_pct, 'vi', 0)} quy tắc cho phép", f"{names} of the product's own "
                    f"{c.level}: {_pct(share, 'en', 2)} of the ex-works price, past the "
                    f"{_pct(c.allowance_pct, 'en', 0)} the rule allows", "Annex II; Article 5(4)"))
                for s in same:
                    breaking[s.material.name] = s.material.value
                return False
        for s in same:
            breaking[s.material.name] = s.material.value
            reasons.append(Reason(
                f"{s.material.name} ({s.material.hs}) không có xuất xứ và cùng {level_vi} {own} với sản phẩm",
                f"{s.material.name} ({s.material.hs}) is non-originating and of the product's own {c.level} {own}",
                "Annex I, Note 3.3"))
        if not breaking:
            reasons.append(Reason(
                f"mọi nguyên liệu không có xuất xứ đều khác {level_vi} {own}"
                + (f" và không thuộc {', '.join(c.excepted)}" if c.excepted else ""),
                f"every non-originating material is of a {c.level} other than {own}"
                + (f" and not of {', '.join(c.excepted)}" if c.excepted else ""), "Annex I, Note 3.3"))
        if c.admits and breaking:
            reasons.append(Reason(f"quy tắc còn cho phép dùng: {c.admits} — nếu là nguyên liệu đó, khai báo "
                                  "originating=yes", f"the rule also admits: {c.admits} — declare such a "
                                  "material originating=yes", "Annex II"))
        return True
    if isinstance(c, AnyHeading):
        for s in non:
            if _in(s.material.hs, c.excepted):
                breaking[s.material.name] = s.material.value
                reasons.append(Reason(f"{s.material.name} ({s.material.hs}) thuộc nhóm bị loại trừ",
                                      f"{s.material.name} ({s.material.hs}) is of an excepted heading", "Annex II"))
        if not breaking:
            reasons.append(Reason("nguyên liệu thuộc bất kỳ nhóm nào", "materials of any heading",
                                  "Annex I, Note 3.3"))
        return True
    if isinstance(c, MaterialsFrom):
        # Materials of other chapters than the named ones cannot by their nature be made from them (paint and
        # plastics on steel sheet): they may be used (Note 3.7).
        chapters = {code[:2] for code in c.codes}
        for s in non:
            if s.material.chapter in chapters and not _in(s.material.hs, c.codes):
                breaking[s.material.name] = s.material.value
                reasons.append(Reason(
                    f"{s.material.name} ({s.material.hs}) không thuộc {codes_words(c.codes, 'vi')} — trừ khi là "
                    "nguyên liệu ở công đoạn sản xuất trước đó", f"{s.material.name} ({s.material.hs}) is not of "
                    f"{codes_words(c.codes, 'en')} — unless at an earlier stage of manufacture", "Annex I, Note 3.5"))
        return True
    if isinstance(c, WhollyObtained):
        for s in non:
            if c.codes is None or _in(s.material.hs, c.codes):
                breaking[s.material.name] = s.material.value
                reasons.append(Reason(f"{s.material.name} ({s.material.hs}) phải có xuất xứ thuần túy",
                                      f"{s.material.name} ({s.material.hs}) must be wholly obtained",
                                      "Article 4"))
        return True
    if isinstance(c, Process):
        textile = int(hs[:2]) in TEXTILE_CHAPTERS
        from vnindustry.origin.textiles import STAGE_NAMES, allowed, stage

        reading = allowed(c.text) if textile else None
        if reading is not None:
            # What the BOM shows: how far the non-originating textile materials were worked before (fibre, yarn…)
            # against what the rule lets them be; the rule's own working was then done here.
            limit, no_man_made = reading
            for s in non:
                st = stage(s.material.hs)
                if st and (st > limit or (no_man_made and st == 1 and s.material.chapter in ("54", "55"))):
                    breaking[s.material.name] = s.material.value
                    said = STAGE_NAMES.get(st, ("", ""))
                    reasons.append(Reason(
                        f"{s.material.name} ({s.material.hs}, {said[0]}) không có xuất xứ, đã gia công quá mức quy tắc "
                        "cho phép", f"{s.material.name} ({s.material.hs}, {said[1]}) is non-originating and worked "
                        "further than the rule allows", "Annex II; Annex I, Note 3.5"))
            if not breaking:
                top = STAGE_NAMES.get(limit, ("nguyên liệu hóa chất", "chemical materials"))
                reasons.append(Reason(
                    f"nguyên liệu dệt không có xuất xứ chỉ ở mức {top[0]} trở xuống: công đoạn của quy tắc ({c.text}) "
                    "được thực hiện tại đây", f"the non-originating textile materials are at most {top[1]}: the "
                    f"rule's working ({c.text}) was done here", "Annex II; Annex I, Note 7.2"))
            return True
        concerned = [x for x in non if not textile or int(x.material.chapter) in TEXTILE_CHAPTERS]
        if not concerned:
            # The rule's processing is required of non-originating materials only (Article 5(2)); in a textile
            # product, non-textile materials may be used freely (Note 7.2).
            reasons.append(Reason(
                "không có nguyên liệu " + ("dệt may " if textile else "") + "không có xuất xứ: yêu cầu công đoạn "
                "của quy tắc không phát sinh", "no non-originating " + ("textile " if textile else "")
                + "material: the processing the rule requires does not arise",
                "Article 5(2)" + ("; Annex I, Note 7.2" if textile else "")))
            return True
        if _declared(c.text, processes):
            reasons.append(Reason(f"doanh nghiệp khai đã thực hiện: {c.text}", f"declared carried out: {c.text}",
                                  "Annex II"))
            return True
        reasons.append(Reason(f"cần công đoạn: {c.text} — chưa được khai báo", f"needs the process: {c.text} — not "
                              "declared", "Annex II"))
        return False
    raise TypeError(c)


def _weight(c: WeightLimit, weight: float | None, non: Sequence[MaterialStatus], everything: Sequence[MaterialStatus],
            reasons: list[Reason]) -> bool | None:
    """A weight limit on the non-originating materials of ``c.groups`` (Annex I, Note 4.2: originating materials
    do not count); None when a weight it needs is not given. The general tolerance never passes it (5(4))."""
    def of(codes: Sequence[str], pool: Sequence[MaterialStatus]) -> list[MaterialStatus]:
        return [s for s in pool if _in(s.material.hs, codes)]

    concerned = [s for g in c.groups for s in of(g, non)]
    if c.of_codes is None:
        denominator, what_vi, what_en = weight, "trọng lượng sản phẩm", "the product's weight"
    else:
        pool = of(c.of_codes, everything)
        denominator = None if any(s.material.weight is None for s in pool) else sum(s.material.weight or 0.0
                                                                                      for s in pool)
        what_vi, what_en = (f"tổng trọng lượng nguyên liệu thuộc {codes_words(c.of_codes, 'vi')}",
                            f"the total weight of the materials of {codes_words(c.of_codes, 'en')}")
    missing = [s.material.name for s in concerned if s.material.weight is None]
    if denominator is None or denominator <= 0 or missing:
        need = ", ".join(missing) if missing else what_en
        reasons.append(Reason(f"cần trọng lượng ({', '.join(missing) if missing else what_vi}) để kiểm tra giới hạn "
                              "trọng lượng", f"weights are needed ({need}) to check the weight limit",
                              "Annex I, Note 4.2"))
        return None
    names = ["đường" if g == SUGAR else codes_words(g, "vi") for g in c.groups]
    names_en = ["sugar" if g == SUGAR else codes_words(g, "en") for g in c.groups]
    checks = ([(names, names_en, {s.material.name: s.material.weight for s in concerned})] if c.combined else
              [([n], [ne], {s.material.name: s.material.weight for s in of(g, non)})
               for n, ne, g in zip(names, names_en, c.groups, strict=True)])
    ok = True
    for vi, en, weights in checks:
        share = sum(w or 0.0 for w in weights.values()) / denominator * 100
        good = share <= c.pct + 1e-9
        ok = ok and good
        verb_vi, verb_en = ("không vượt", "does not exceed") if good else ("vượt", "exceeds")
        reasons.append(Reason(
            f"trọng lượng nguyên liệu không có xuất xứ thuộc {' và '.join(vi)}: {_pct(share, 'vi', 2)} {what_vi}, "
            f"{verb_vi} {_pct(c.pct, 'vi', 0)}", f"the weight of non-originating {' and '.join(en)}: "
            f"{_pct(share, 'en', 2)} of {what_en}, {verb_en} {_pct(c.pct, 'en', 0)}", "Annex I, Note 4.2"))
    return ok


def check(materials: Sequence[Material], hs: str, ex_works: float, *, processes: Sequence[str] = (),
          choice: int | None = None, minimal_only: bool = False, weight: float | None = None) -> Result:
    """Whether the product of HS 2012 code ``hs`` at ``ex_works`` price, made from ``materials``, originates
    under the EVFTA (the module docstring). ``processes``: specific processes the exporter declares carried
    out; ``choice``: the rule set (its index) when several "ex" descriptions apply (:class:`OriginError` lists
    them otherwise); ``weight``: the product's weight, in the unit of the materials' weights (weight limits);
    ``minimal_only``: the exporter says the working in Viet Nam is only operations Article 6
    lists (simple assembly, packing, …), which never confer origin."""
    if not ex_works or ex_works <= 0:
        raise OriginError("the ex-works price must be above 0", vi="giá xuất xưởng phải lớn hơn 0")
    return _check(materials, hs, ex_works, processes=processes, choice=choice, depth=0, minimal_only=minimal_only,
                  weight=weight)


def _check(materials: Sequence[Material], hs: str, ex_works: float, *, processes: Sequence[str], choice: int | None,
           depth: int, minimal_only: bool = False, weight: float | None = None) -> Result:
    if depth > 20:
        raise OriginError("the bill of materials nests deeper than 20 levels",
                          vi="bảng định mức lồng sâu quá 20 cấp")
    found = lookup(hs, choice=choice)
    if not found.candidates:
        raise OriginError(f"no rule of Annex II covers HS {hs}",
                          vi=f"không có quy tắc nào của Phụ lục II cho mã HS {hs}")
    if found.rule_set is None:
        raise OriginError(f"several descriptions apply to HS {hs}: say which (--rule-set N)",
                          vi=f"mã HS {hs} có nhiều mô tả «ex»: chọn mục quy tắc phù hợp với sản phẩm",
                          candidates=found.candidates)
    rule_set = found.rule_set
    statuses = tuple(_status(m, processes, depth) for m in materials)
    non = [s for s in statuses if not s.originating]
    non_value = sum(s.material.value for s in non)
    nom = non_value / ex_works * 100
    alternatives = tuple(_alternative(parse(rule_set, a), hs, ex_works, non, processes, statuses, weight)
                         for a in rule_set.alternatives)
    used = None if minimal_only else next((a for a in alternatives if a.passes), None)
    pending = [a.number for a in alternatives if a.passes is None]
    reasons: list[Reason] = []
    total = sum(m.value for m in materials)
    if total > ex_works + 1e-9:
        reasons.append(Reason(f"tổng giá trị nguyên liệu ({_money(total, 'vi')}) lớn hơn giá xuất xưởng",
                              f"the materials' total ({_money(total, 'en')}) exceeds the ex-works price"))
    if used is not None:
        reasons.append(Reason(f"đạt xuất xứ theo quy tắc {rule_set.heading}, phương án {used.number}: "
                              f"{used.text_vi or used.text}",
                              f"originates under the rule of {rule_set.heading}, alternative {used.number}: "
                              f"{used.text}", "Article 5(1); Annex II"))
    elif minimal_only:
        reasons.append(Reason("doanh nghiệp khai công đoạn tại Việt Nam chỉ là công đoạn giản đơn: không mang lại "
                              "xuất xứ, dù điều kiện của quy tắc có được đáp ứng", "the exporter declares the working "
                              "in Viet Nam is only insufficient operations: no origin, whatever the rule's conditions",
                              "Article 6; Annex I, Note 3.2"))
    else:
        reasons.append(Reason(
            f"không đạt phương án nào của quy tắc {rule_set.heading}"
            + (f" (phương án {', '.join(map(str, pending))} chưa đánh giá được)" if pending else ""),
            f"meets no alternative of the rule of {rule_set.heading}"
            + (f" (alternative(s) {', '.join(map(str, pending))} not assessed)" if pending else ""),
            "Article 5(1); Annex II"))
    if not minimal_only:
        reasons.append(Reason("với điều kiện công đoạn gia công vượt quá các công đoạn giản đơn",
                              "provided the working goes beyond the insufficient operations", "Article 6"))
    determined = used is not None or minimal_only or not pending
    return Result(found.code, ex_works, rule_set, used is not None, used, alternatives, nom, non_value, statuses,
                  tuple(reasons), determined, weight)
