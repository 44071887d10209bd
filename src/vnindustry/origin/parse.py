"""Each rule's text turned into conditions a bill of materials can be checked against — or listed as not parsed,
never guessed (issue 15).

The conditions of one alternative all hold together; the alternatives of a rule set are choices. What the text
says and the condition it becomes:

- "Manufacture from materials of any heading [chapter, subheading], except that of the product [and of heading
  8503]" → :class:`Change` (CTH, CC, CTSH; the excepted codes; "However, materials of the same heading as the
  product may be used, provided that their total value does not exceed 20% …" an allowance; "However, X may be
  used" a relaxation named by description, kept as words);
- "Manufacture from materials of any heading [, except those of heading …]" → :class:`AnyHeading`;
- "Manufacture in which the value of all the materials used does not exceed 50% of the ex-works price" →
  :class:`MaxNOM` (Annex I, Note 3.4: the value of all *non-originating* materials);
- "Manufacture from materials of heading 7206 …" → :class:`MaterialsFrom`;
- "All the animals of chapter 1 are wholly obtained" → :class:`WhollyObtained` of the product; "Manufacture in
  which all the materials of chapter 3 used are wholly obtained" → of those materials;
- a specific process ("Weaving accompanied by making-up (including cutting)") → :class:`Process`, which the
  exporter declares was carried out (a bill of materials cannot show it).

Weight limits, value limits on materials named by description, sets and materials named only by description
are not parsed: :func:`report` lists them with the reason, and the calculator says such an alternative was not
assessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from vnindustry.origin.rules import Alternative, RuleSet, rule_sets

__all__ = ["SUGAR", "AnyHeading", "Change", "Condition", "MaterialsFrom", "MaxNOM", "Parsed", "Process", "WeightLimit",
           "WhollyObtained",
           "codes_in", "codes_words", "parse", "parsed", "report", "words_vi"]


@dataclass(frozen=True)
class Change:
    """A change of tariff classification: non-originating materials are classified at ``level`` (chapter,
    heading, subheading) other than the product's, and in none of ``excepted``; materials of the product's own
    heading (subheading) may be used up to ``allowance_pct`` of the ex-works price; ``admits`` names by
    description materials the rule also allows (kept as words)."""

    level: str
    excepted: tuple[str, ...] = ()
    allowance_pct: float | None = None
    admits: str = ""


@dataclass(frozen=True)
class AnyHeading:
    """Materials of any heading, except (non-originating ones of) ``excepted``."""

    excepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class MaxNOM:
    """The value of non-originating materials does not exceed ``pct`` % of the ex-works price."""

    pct: float


@dataclass(frozen=True)
class MaterialsFrom:
    """Non-originating materials are of ``codes`` (headings, subheadings) — or at an earlier stage (Note 3.5)."""

    codes: tuple[str, ...]


@dataclass(frozen=True)
class WhollyObtained:
    """The product is wholly obtained (``codes`` None), or the materials of ``codes`` used are."""

    codes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class WeightLimit:
    """The weight of the non-originating materials of ``groups`` (each a tuple of HS codes; sugar read as headings
    1701–1702) does not exceed ``pct`` % of the weight of the final product — together (``combined``) or each
    group on its own (Annex I, Notes 4.2.1–4.2.3); with ``of_codes``, of the total weight of the materials of those
    codes instead of the product's."""

    groups: tuple[tuple[str, ...], ...]
    pct: float
    combined: bool = True
    of_codes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Process:
    """A specific working or processing operation, declared by the exporter."""

    text: str


Condition = Change | AnyHeading | MaxNOM | MaterialsFrom | WhollyObtained | WeightLimit | Process

SUGAR = ("1701", "1702")  # "sugar" of the weight limits, as read here (Annex I does not define it)


@dataclass(frozen=True)
class Parsed:
    """An alternative of a rule set and what it became: conditions, or the reason it was not parsed."""

    rule_set: RuleSet
    alternative: Alternative
    conditions: tuple[Condition, ...]
    unparsed: str = ""

    @property
    def kind(self) -> str:
        """``computed`` (checked on the bill of materials), ``declared`` (a process the exporter declares, maybe
        with computed conditions) or ``unparsed``."""
        if self.unparsed:
            return "unparsed"
        return "declared" if any(isinstance(c, Process) for c in self.conditions) else "computed"


_NUM = r"(\d+(?:[.,]\d+)?)"
_MAXNOM = re.compile(rf"^manufacture in which the value of all the materials used does not exceed {_NUM}% of the "
                     r"ex-works price of the product$")
_CHANGE = re.compile(r"^manufacture from materials of any (chapter|heading|subheading),? except that of the product"
                     r"(.*)$")
_ALLOWANCE = re.compile(rf"^materials of the same (heading|subheading) as the product may be used, provided that their "
                        rf"total value does not exceed {_NUM}% of the ex-works price of the product$")
_AND_MAXNOM = re.compile(rf"^,?\s*(?:and )?in which the value of all the materials used does not exceed {_NUM}% of the "
                         r"ex-works price of the product$")
_EXCEPT_CODES = re.compile(r"^,?\s*and (?:of |except materials of )?((?:(?:heading|subheading|chapter) )?\d+"
                           r"(?:(?:,| and| or) (?:(?:heading|subheading|chapter) )?\d+)*)$")
_MAY_NOT = re.compile(r"^(.+?) of ((?:heading|subheading) \d+(?:(?:,| and| or) (?:heading |subheading )?\d+)*) "
                      r"may not be used$")
_ANY = re.compile(r"^manufacture from materials of any heading(?:, including other materials of heading \d+)?$")
_ANY_EXCEPT = re.compile(r"^manufacture from materials of any heading,? except those of ((?:heading|subheading) \d+"
                         r"(?:(?:,| and| or) (?:heading |subheading )?\d+)*)$")
_FROM = re.compile(r"^manufacture from (?:ingots or other primary forms or )?(?:semi-finished )?materials of "
                   r"((?:heading|subheading)[\w ,]*\d)$")
_WO_PRODUCT = re.compile(r"^all (?:the )?[\w ,]+? (?:is|are) wholly obtained$")
_WO_MATERIALS = re.compile(r"^manufacture in which all the materials of ((?:chapter|heading|subheading)[\w ,]*\d) "
                           r"used are wholly obtained$")
_PROCESS_TAGS = {"PROCESSING", "PROCESSING_TEXTILE"}
_PROCESS_START = re.compile(r"^(weaving|spinning|printing|knitting|extrusion|flocking|tufting|making-up|making- up|"
                            r"yarn dyeing|dyeing|twisting|coating|fabric formation|carding|beading|planing|splicing|"
                            r"retreading|re-tanning|cutting|hand-decoration|turning|fusion|electrolytic|"
                            r"operations of refining|manufacture in which one of the following operations)\b")
_LIMITS = ("provided that", "weight", "only the following", "only if", "however", "in the set", "set must")


def codes_in(text: str) -> tuple[str, ...]:
    """The HS codes a phrase names — "chapter 10 and chapter 11, heading 0701, 071410 and 2303, and subheading
    071010" → 10, 11, 0701, 071410, 2303, 071010 — with "heading 8202 to heading 8205" expanded."""
    text = re.sub(r"(\d{4}) to (?:heading )?(\d{4})",
                  lambda m: " ".join(f"{h:04d}" for h in range(int(m.group(1)), int(m.group(2)) + 1)), text)
    out = []
    for kind, number in re.findall(r"(?:(chapter|heading|subheading) )?(\d{1,6})\b", text):
        if kind == "chapter":
            out.append(number.zfill(2))
        elif len(number) >= 2:
            out.append(number)
    return tuple(dict.fromkeys(out))


def _pct(text: str) -> float:
    return float(text.replace(",", "."))


def _change(level: str, rest: str) -> tuple[tuple[Condition, ...], str]:
    """The conditions of a change-of-classification rule from what follows "except that of the product"."""
    rest = rest.strip().removesuffix(".").strip()
    head, _, however = rest.partition(". however, ")
    if rest.startswith("however, "):
        head, however = "", rest.removeprefix("however, ")
    excepted: tuple[str, ...] = ()
    extra: list[Condition] = []
    head = head.strip()
    if head:
        if m := _EXCEPT_CODES.match(head):
            excepted = codes_in(m.group(1))
        elif m := _AND_MAXNOM.match(head):
            extra.append(MaxNOM(_pct(m.group(1))))
        else:
            return (), f"what follows the change of {level} is not understood: {head!r}"
    allowance, admits = None, ""
    if however:
        if m := _ALLOWANCE.match(however):
            if m.group(1) != level:
                return (), f"an allowance of the same {m.group(1)} on a change of {level}"
            allowance = _pct(m.group(2))
        elif m := _MAY_NOT.match(however):
            excepted = excepted + codes_in(m.group(2))
        elif however.endswith(" may be used") and not any(w in however for w in ("provided", "only if", "value")):
            admits = however.removesuffix(" may be used")
        else:
            return (), f"a qualification not understood: {however!r}"
    return (Change(level, excepted, allowance, admits), *extra), ""


_WEIGHT = re.compile(r"^(?:the )?(individual |total combined )?(?:weight of )?(.+?) used (?:does|do) not exceed "
                     rf"{_NUM}% of the (?:total )?weight of (the final products?|materials of [\w ,]+? used)$")
_WO_CLAUSE = re.compile(r"^all the materials of ((?:chapter|heading|subheading)[\w ,]*\d) used are wholly obtained$")


def _weight_groups(text: str) -> tuple[tuple[str, ...], ...] | None:
    """"sugar and of the materials of chapter 4" → ((1701, 1702), (04,)); None for a material named in words."""
    groups = []
    for part in re.split(r" and (?:of )?(?=sugar|the materials|materials)", text):
        part = part.strip().removeprefix("of ").strip()
        if part == "sugar":
            groups.append(SUGAR)
        elif (m := re.fullmatch(r"(?:the )?materials of ((?:chapter|heading|subheading)[\w ,]*\d)", part)) and \
                codes_in(m.group(1)):
            groups.append(codes_in(m.group(1)))
        else:
            return None
    return tuple(groups) or None


def _clauses(base: tuple[Condition, ...], text: str) -> tuple[tuple[Condition, ...], str]:
    """The conditions of "… in which: - clause - clause, and - clause" (wholly obtained materials, weights)."""
    out = list(base)
    for clause in re.split(r"\s+-\s+|,? and -\s+", text):
        clause = clause.strip().lstrip("-").strip().strip(",").removesuffix(" and").strip().removesuffix(",").strip()
        if not clause:
            continue
        if (m := _WO_CLAUSE.match(clause)) and codes_in(m.group(1)):
            out.append(WhollyObtained(codes_in(m.group(1))))
        elif m := _WEIGHT.match(clause):
            kind, what, pct, of = m.groups()
            groups = _weight_groups(what)
            if groups is None:
                return (), f"a weight limit on materials named in words: {clause!r}"
            of_codes = None if of.startswith("the final") else codes_in(of)
            out.append(WeightLimit(groups, _pct(pct), combined=kind != "individual ", of_codes=of_codes))
        else:
            return (), f"a clause not understood: {clause!r}"
    return tuple(out), ""


def _in_which(low: str) -> tuple[tuple[Condition, ...], str] | None:
    """Rules of the form "Manufacture [from materials of any heading[, except …]] in which …"; None otherwise."""
    if low.startswith("manufacture in which: ") or low.startswith("manufacture in which - "):
        return _clauses((), low.split(":", 1)[-1] if ":" in low else low.removeprefix("manufacture in which"))
    m = re.match(r"^manufacture from materials of any heading(.*?),? in which:? (.*)$", low)
    if m is None:
        return None
    head, rest = m.group(1).strip(), m.group(2)
    if not head:
        base: tuple[Condition, ...] = (AnyHeading(),)
    elif head.startswith(", except that of the product") or head.startswith("except that of the product"):
        conditions, why = _change("heading", head.split("except that of the product", 1)[1])
        if not conditions:
            return (), why
        base = conditions
    else:
        return (), f"what precedes the weight limits is not understood: {head!r}"
    return _clauses(base, rest)


def parse(rule_set: RuleSet, alternative: Alternative) -> Parsed:
    """``alternative`` of ``rule_set`` as conditions, or with the reason it could not be parsed."""
    text = alternative.text.strip().removesuffix(".").strip()
    low = re.sub(r"\s+", " ", text.lower())

    def done(*conditions: Condition) -> Parsed:
        return Parsed(rule_set, alternative, conditions)

    def refused(reason: str) -> Parsed:
        return Parsed(rule_set, alternative, (), reason)

    if m := _MAXNOM.match(low):
        return done(MaxNOM(_pct(m.group(1))))
    if " in which" in low and ("weight" in low or "wholly obtained" in low):
        found = _in_which(low)
        if found is not None:
            conditions, why = found
            return done(*conditions) if conditions else refused(why)
    if m := _CHANGE.match(low):
        if "weight" in low or "wholly obtained" in low:
            return refused("a weight limit or wholly obtained materials not understood inside the change of "
                           "classification")
        conditions, why = _change(m.group(1), m.group(2))
        return done(*conditions) if conditions else refused(why)
    if _ANY.match(low):
        return done(AnyHeading())
    if m := _ANY_EXCEPT.match(low):
        return done(AnyHeading(codes_in(m.group(1))))
    if m := _FROM.match(low):
        return done(MaterialsFrom(codes_in(m.group(1))))
    if m := _WO_MATERIALS.match(low):
        return done(WhollyObtained(codes_in(m.group(1))))
    if _WO_PRODUCT.match(low):
        return done(WhollyObtained(None))
    if set(alternative.tags) & _PROCESS_TAGS or _PROCESS_START.match(low):
        if any(w in low for w in _LIMITS):
            return refused("a process with a limit on materials named by description (not computed)")
        return done(Process(text))
    if "set" in low and "item" in low:
        return refused("a set: each item follows its own rule (not computed)")
    if "weight" in low:
        return refused("a weight limit (weights are not computed)")
    if "wholly obtained" in low:
        return refused("wholly obtained materials named by description, not by HS code")
    return refused("materials or operations named by description, not by HS code")


@cache
def parsed() -> tuple[Parsed, ...]:
    """Every alternative of every rule set, parsed."""
    return tuple(parse(r, a) for r in rule_sets() for a in r.alternatives)


def report() -> dict:
    """The parse report: counts by kind, and each rule set with each alternative parsed or not (and why)."""
    rows = parsed()
    kinds = Counter(p.kind for p in rows)
    sets: dict[int, dict] = {}
    for p in rows:
        entry = sets.setdefault(p.rule_set.index, {"rule_set": p.rule_set.index, "heading": p.rule_set.heading,
                                                   "description": p.rule_set.description, "alternatives": []})
        entry["alternatives"].append({"number": p.alternative.number, "text": p.alternative.text, "kind": p.kind,
                                      "conditions": [_describe(c) for c in p.conditions], "reason": p.unparsed})
    fully = sum(1 for s in sets.values() if all(a["kind"] != "unparsed" for a in s["alternatives"]))
    some = sum(1 for s in sets.values() if any(a["kind"] != "unparsed" for a in s["alternatives"]))
    return {"rule_sets": len(sets), "alternatives": len(rows), "computed": kinds["computed"],
            "declared": kinds["declared"], "unparsed": kinds["unparsed"], "rule_sets_fully_parsed": fully,
            "rule_sets_with_a_usable_alternative": some, "sets": list(sets.values())}


def _describe(c: Condition) -> str:
    if isinstance(c, Change):
        name = {"chapter": "CC", "heading": "CTH", "subheading": "CTSH"}[c.level]
        out = name + (f" except {', '.join(c.excepted)}" if c.excepted else "")
        if c.allowance_pct is not None:
            out += f"; same {c.level} up to {c.allowance_pct:g}%"
        return out + (f"; admits {c.admits}" if c.admits else "")
    if isinstance(c, AnyHeading):
        return "any heading" + (f" except {', '.join(c.excepted)}" if c.excepted else "")
    if isinstance(c, MaxNOM):
        return f"MaxNOM {c.pct:g}%"
    if isinstance(c, MaterialsFrom):
        return "from " + ", ".join(c.codes)
    if isinstance(c, WhollyObtained):
        return "wholly obtained" + (f" materials of {', '.join(c.codes)}" if c.codes else " product")
    if isinstance(c, WeightLimit):
        groups = " + ".join("/".join(g) for g in c.groups)
        return (f"weight of {groups} {'together' if c.combined else 'each'} ≤ {c.pct:g}% of "
                + ("the product" if c.of_codes is None else "materials of " + ", ".join(c.of_codes)))
    return f"process: {c.text}"


_LEVEL_VI = {"chapter": "chương", "heading": "nhóm", "subheading": "phân nhóm"}


def codes_words(codes: tuple[str, ...], lang: str = "vi") -> str:
    """("8503", "85") → "nhóm 8503, chương 85" / "heading 8503, chapter 85"."""
    names = {2: ("chương ", "chapter "), 4: ("nhóm ", "heading "), 6: ("phân nhóm ", "subheading ")}

    def one(c: str) -> str:
        return names.get(len(c), ("", ""))[0 if lang == "vi" else 1] + c

    return ", ".join(one(c) for c in codes)


def _codes_vi(codes: tuple[str, ...]) -> str:
    return codes_words(codes, "vi")


def words_vi(p: Parsed) -> str | None:
    """The alternative in Vietnamese, from its conditions (the system's rendering; the English text of the rule
    set is the authority), or None for a process or an alternative not parsed (shown in English)."""
    if p.kind != "computed":
        return None
    parts = []
    for c in p.conditions:
        if isinstance(c, Change):
            lv = _LEVEL_VI[c.level]
            text = f"Sản xuất từ nguyên liệu thuộc bất kỳ {lv} nào, trừ nguyên liệu thuộc cùng {lv} với sản phẩm"
            if c.excepted:
                text += f" và nguyên liệu thuộc {_codes_vi(c.excepted)}"
            if c.allowance_pct is not None:
                text += (f". Tuy nhiên, được sử dụng nguyên liệu thuộc cùng {lv} với sản phẩm nếu tổng trị giá của "
                         f"chúng không vượt quá {c.allowance_pct:g}% giá xuất xưởng của sản phẩm")
            if c.admits:
                text += f". Tuy nhiên, được sử dụng: {c.admits}"
            parts.append(text)
        elif isinstance(c, MaxNOM):
            parts.append(f"Sản xuất trong đó trị giá của tất cả nguyên liệu không có xuất xứ được sử dụng không vượt "
                         f"quá {format(c.pct, 'g').replace('.', ',')}% giá xuất xưởng của sản phẩm")
        elif isinstance(c, AnyHeading):
            parts.append("Sản xuất từ nguyên liệu thuộc bất kỳ nhóm nào"
                         + (f", trừ nguyên liệu thuộc {_codes_vi(c.excepted)}" if c.excepted else ""))
        elif isinstance(c, MaterialsFrom):
            parts.append(f"Sản xuất từ nguyên liệu thuộc {_codes_vi(c.codes)}")
        elif isinstance(c, WhollyObtained):
            parts.append("Sản phẩm có xuất xứ thuần túy" if c.codes is None else
                         f"Sản xuất trong đó tất cả nguyên liệu thuộc {_codes_vi(c.codes)} được sử dụng phải có "
                         "xuất xứ thuần túy")
    return "; đồng thời ".join(parts) + "." if parts else None
