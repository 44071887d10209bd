"""The EVFTA product-specific rules of origin as data (issue 15): the rule sets of Annex II, looked up by HS code.

The rules are those of the UK–Viet Nam FTA (``data/uk-vietnam-rule-sets.json``; ``data/SOURCE.md``), which
replicates the EVFTA's Protocol 1 and its Annex II, written against HS 2012. Each rule set covers a range of
10-digit commodity codes (``min``–``max``); ranges nest and the narrowest wins; several rule sets may share the
narrowest range — the "ex" entries, each for the products its description names — and then the user says which
description applies. Every rule of a set is an alternative (Annex I, Note 2.4: "at the choice of the exporter").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["RULE_SET", "Alternative", "Lookup", "RuleSet", "RuleSetSource", "clean", "lookup", "rule_sets"]


@dataclass(frozen=True)
class RuleSetSource:
    """Where the rules come from, named in every answer."""

    name: str
    agreement: str
    source: str
    commit: str
    date: str
    licence: str


RULE_SET = RuleSetSource(
    name="UK–Viet Nam FTA product-specific rules (replicating EVFTA Protocol 1, Annex II; HS 2012)",
    agreement="EVFTA",
    source="github.com/trade-tariff/trade-tariff-backend lib/rules_of_origin/roo_schemes_uk/rule_sets/vietnam.json",
    commit="3c0266943e2746de296ea4d5ad2e1979154df5ea",
    date="2026-08-21",
    licence="MIT (UK Government Digital Service)",
)


@dataclass(frozen=True)
class Alternative:
    """One rule of a set: its text as printed (Markdown cleaned) and the source's class tags."""

    number: int  # 1-based within its set
    text: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """A line of Annex II: the heading as printed ("8501 to 8502", "ex 3926"), the description, the range of
    10-digit codes it covers, and its alternative rules."""

    index: int  # position in the source file, a stable id
    heading: str
    chapter: int
    description: str
    low: str
    high: str
    alternatives: tuple[Alternative, ...]

    @property
    def ex(self) -> bool:
        """An "ex" entry: it covers only the products its description names."""
        return self.heading.lower().startswith("ex ")

    @property
    def width(self) -> int:
        return int(self.high) - int(self.low)

    def covers(self, code: str) -> bool:
        """Whether the 6- (or 4-, 8-, 10-) digit ``code`` lies in this set's range."""
        padded_low = code.ljust(10, "0")
        padded_high = code.ljust(10, "9")
        return self.low <= padded_low and padded_high <= self.high


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def clean(text: str) -> str:
    """A rule's Markdown as plain text: links to their words, ``&nbsp;`` to spaces, bold marks dropped, runs of
    whitespace (and list dashes' line breaks) to one space."""
    text = _LINK.sub(r"\1", text).replace("&nbsp;", " ").replace("**", "").replace("*and*", "and")
    text = re.sub(r"\s*\n\s*-\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """Every rule set of the bundled file, in its order."""
    raw = resources.files("vnindustry.origin").joinpath("data", "uk-vietnam-rule-sets.json").read_text("utf-8")
    out = []
    for i, r in enumerate(json.loads(raw)["rule_sets"]):
        alternatives = tuple(Alternative(k, clean(x["rule"]), tuple(x.get("class") or ()))
                             for k, x in enumerate(r["rules"], start=1))
        out.append(RuleSet(i, r["heading"], int(r["chapter"]), clean(r.get("subdivision") or ""), r["min"], r["max"],
                           alternatives))
    return tuple(out)


@dataclass(frozen=True)
class Lookup:
    """What the lookup found for a code: the applicable rule set, or several "ex" candidates to choose from."""

    code: str
    candidates: tuple[RuleSet, ...]

    @property
    def rule_set(self) -> RuleSet | None:
        """The one rule set, when there is exactly one."""
        return self.candidates[0] if len(self.candidates) == 1 else None


def lookup(code: str, *, choice: int | None = None) -> Lookup:
    """The rule sets that apply to HS 2012 ``code`` (4–10 digits): the narrowest range covering it; when several
    share it (ex entries), all of them, unless ``choice`` (a rule set's ``index``) picks one."""
    digits = re.sub(r"\D", "", code)
    if len(digits) < 4:
        raise ValueError(f"{code!r}: give the product's HS code of at least 4 digits")
    covering = [r for r in rule_sets() if r.covers(digits)]
    if not covering:
        return Lookup(digits, ())
    narrowest = min(r.width for r in covering)
    found = tuple(r for r in covering if r.width == narrowest)
    if choice is not None:
        picked = tuple(r for r in found if r.index == choice)
        if not picked:
            raise ValueError(f"rule set {choice} does not apply to {digits}; choose one of "
                             + ", ".join(str(r.index) for r in found))
        return Lookup(digits, picked)
    return Lookup(digits, found)
