"""Explainable supplier matching: hard filters, then a score whose every term is shown in words.

For each need, a supplier is first **filtered**: it must consent to being offered; hold every certification the
need requires, valid on the day of the match (a certificate without an expiry counts as valid); and offer at
least one of the need's processes when the need names any. The rest are **scored** out of 100, as the weighted
mean of the terms that apply to the need (:class:`Weights`; a term that cannot apply — no HS code, no process,
no volume, no text in the need — is left out and the others keep their proportions):

- ``hs``: the closest HS level shared — the same subheading 1, heading 0,6, chapter 0,3, else 0;
- ``process``: the share of the need's processes the supplier offers;
- ``text``: BM25 of the need's title and description against the supplier's name, description and processes
  (Vietnamese words and syllables, diacritics folded: :mod:`vnindustry.linkage.text`), divided by the best
  BM25 among the need's candidates (the best text match gets 1);
- ``certification``: 1 when the need requires certifications (the filter has checked them); otherwise 1 for a
  supplier holding a valid quality certification (ISO 9001, IATF 16949, …), else 0;
- ``capacity``: capacity ÷ volume, at most 1; 0,5 when the supplier has not said its capacity.

Every term comes with its reason ("cùng phân nhóm HS 8501.10; có đúc áp lực; ISO 9001 còn hạn đến 03/2027").
Ties are broken by supplier id, so the same input always gives the same ranking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from vnindustry.linkage.bm25 import BM25
from vnindustry.linkage.hs import LEVELS, closeness, display
from vnindustry.linkage.profiles import Certificate, Need, Supplier
from vnindustry.linkage.text import surface_forms, terms

__all__ = ["Excluded", "Match", "MatchResult", "Part", "Weights", "match"]

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


@dataclass(frozen=True)
class Weights:
    """Points of each score term (any scale: they are normalised over the terms that apply)."""

    hs: float = 30.0
    process: float = 25.0
    text: float = 25.0
    certification: float = 10.0
    capacity: float = 10.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not value >= 0:
                raise ValueError(f"weight {name} must be ≥ 0, not {value!r}")


@dataclass(frozen=True)
class Part:
    """One term of a supplier's score for a need: its share (0–1), weight, and the reason in both languages."""

    term: str
    share: float
    weight: float
    reason_vi: str = ""
    reason_en: str = ""

    def reason(self, lang: str) -> str:
        return self.reason_vi if lang == "vi" else self.reason_en


@dataclass(frozen=True)
class Match:
    """A supplier ranked for a need: score out of 100 (unrounded) and the terms it is made of."""

    need: str
    rank: int
    supplier: str
    score: float
    parts: tuple[Part, ...]

    def reasons(self, lang: str = "vi") -> str:
        """The reasons in words, "; "-separated, in the order of the terms."""
        return "; ".join(r for p in self.parts if (r := p.reason(lang)))


@dataclass(frozen=True)
class Excluded:
    """A supplier the hard filters left out of a need's candidates, and why (both languages)."""

    need: str
    supplier: str
    reason_vi: str
    reason_en: str


@dataclass
class MatchResult:
    """The ranked matches of every need (best first) and the filtered-out pairs."""

    matches: list[Match] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    def of(self, need: str) -> list[Match]:
        return [m for m in self.matches if m.need == need]


def _lower(name: str) -> str:
    """A process name inside a sentence: its first letter in lower case, acronyms kept ("gia công CNC")."""
    return name[:1].lower() + name[1:] if name.split()[0][1:].islower() else name


def _month(day: dt.date, lang: str) -> str:
    return f"{day.month:02d}/{day.year}" if lang == "vi" else f"{_MONTHS_EN[day.month - 1]} {day.year}"


def _held(supplier: Supplier, key: str) -> list[Certificate]:
    return [c for c in supplier.certifications if c.term.key == key]


def _filter(need: Need, supplier: Supplier, on: dt.date) -> tuple[str, str] | None:
    """Why ``supplier`` cannot take ``need`` (vi, en), or None when it passes the hard filters."""
    if not supplier.consent:
        return "chưa đồng ý công khai hồ sơ", "has not consented to be listed"
    for required in need.certifications:
        held = _held(supplier, required.key)
        if not held:
            return f"không có {required.name('vi')}", f"does not hold {required.name('en')}"
        if not any(c.valid_on(on) for c in held):
            last = max(c.expires for c in held if c.expires is not None)
            return (f"{required.name('vi')} hết hạn {_month(last, 'vi')}",
                    f"{required.name('en')} expired {_month(last, 'en')}")
    if need.processes:
        offered = {p.key for p in supplier.processes}
        if not any(p.key in offered for p in need.processes):
            names_vi = ", ".join(_lower(p.name("vi")) for p in need.processes)
            names_en = ", ".join(_lower(p.name("en")) for p in need.processes)
            return f"không có công đoạn nào cần ({names_vi})", f"offers none of the processes ({names_en})"
    return None


def _text(supplier: Supplier) -> str:
    processes = " ".join(f"{p.name('vi')} {p.name('en')}" for p in supplier.processes)
    return f"{supplier.name} {supplier.description} {processes}"


def _query(need: Need) -> list[str]:
    return terms(f"{need.title} {need.description} {need.material}")


def _hs_part(need: Need, supplier: Supplier, weight: float) -> Part:
    found = closeness(need.hs, supplier.hs)
    if found is None:
        return Part("hs", 0.0, weight, "khác chương HS", "no HS chapter in common")
    share, digits, code = found
    _, _, level_vi, level_en = next(level for level in LEVELS if str(level[0]) == digits)
    return Part("hs", share, weight, f"cùng {level_vi} HS {display(code)}", f"same HS {level_en} {display(code)}")


def _process_part(need: Need, supplier: Supplier, weight: float) -> Part:
    offered = {p.key for p in supplier.processes}
    have = [p for p in need.processes if p.key in offered]
    lack = [p for p in need.processes if p.key not in offered]
    vi = "có " + ", ".join(_lower(p.name("vi")) for p in have)
    en = "offers " + ", ".join(_lower(p.name("en")) for p in have)
    if lack:
        vi += "; chưa có " + ", ".join(_lower(p.name("vi")) for p in lack)
        en += "; lacks " + ", ".join(_lower(p.name("en")) for p in lack)
    return Part("process", len(have) / len(need.processes), weight, vi, en)


def _certification_part(need: Need, supplier: Supplier, on: dt.date, weight: float) -> Part:
    def said(cert: Certificate, lang: str) -> str:
        name = cert.term.name(lang)
        if cert.expires is None:
            return name
        return f"{name} còn hạn đến {_month(cert.expires, 'vi')}" if lang == "vi" else \
            f"{name} valid until {_month(cert.expires, 'en')}"

    if need.certifications:
        valid = [next(c for c in _held(supplier, r.key) if c.valid_on(on)) for r in need.certifications]
        return Part("certification", 1.0, weight, ", ".join(said(c, "vi") for c in valid),
                    ", ".join(said(c, "en") for c in valid))
    quality = [c for c in supplier.certifications
               if c.term.entry is not None and c.term.entry.kind == "quality" and c.valid_on(on)]
    if quality:
        return Part("certification", 1.0, weight, ", ".join(said(c, "vi") for c in quality),
                    ", ".join(said(c, "en") for c in quality))
    return Part("certification", 0.0, weight, "chưa có chứng nhận chất lượng còn hạn",
                "no valid quality certification")


def _capacity_part(need: Need, supplier: Supplier, weight: float) -> Part:
    volume = need.volume or 0.0
    if supplier.capacity is None:
        return Part("capacity", 0.5, weight, "chưa rõ năng lực", "capacity not stated")
    share = min(1.0, supplier.capacity / volume)
    pct = f"{100 * supplier.capacity / volume:.0f}"
    return Part("capacity", share, weight, f"năng lực {pct}% nhu cầu tháng", f"capacity {pct}% of monthly volume")


def match(suppliers: Sequence[Supplier], needs: Sequence[Need], *, on: dt.date | None = None, top: int | None = 10,
          weights: Weights = Weights()) -> MatchResult:
    """Rank ``suppliers`` for each of ``needs``.

    Args:
        suppliers: the profiles (their consent is checked).
        needs: the sourcing needs.
        on: the day certificates must be valid on (default: today).
        top: the best ``top`` of each need (None: every candidate).
        weights: the points of each score term.

    Returns:
        The ranked matches (rank 1 first, per need, in the order of ``needs``) and the filtered-out pairs.
    """
    day = on or dt.date.today()
    texts = [_text(s) for s in suppliers]
    index = BM25([terms(t) for t in texts])
    result = MatchResult()
    w = weights
    for need in needs:
        query = _query(need)
        candidates = []
        for i, supplier in enumerate(suppliers):
            why = _filter(need, supplier, day)
            if why is not None:
                result.excluded.append(Excluded(need.id, supplier.id, *why))
                continue
            candidates.append((i, supplier, index.explain(query, i) if query else {}))
        best_text = max((sum(e.values()) for _, _, e in candidates), default=0.0)
        scored = []
        for i, supplier, explained in candidates:
            parts = []
            if need.hs and w.hs:
                parts.append(_hs_part(need, supplier, w.hs))
            if need.processes and w.process:
                parts.append(_process_part(need, supplier, w.process))
            if query and w.text:
                bm25 = sum(explained.values())
                share = bm25 / best_text if best_text > 0 else 0.0
                # The words that carried the score, as the supplier wrote them; a syllable inside a shown word
                # is not shown again.
                written = surface_forms(texts[i])
                shown: list[str] = []
                for t, _ in sorted(explained.items(), key=lambda kv: (-kv[1], kv[0])):
                    form = written.get(t, t.replace("_", " "))
                    if any(form in s.split() for s in shown) or form in shown:
                        continue
                    shown = [s for s in shown if s not in form.split()] + [form]
                    if len(shown) == 4:
                        break
                parts.append(Part("text", share, w.text,
                                  ("mô tả khớp: " + ", ".join(shown)) if shown else "mô tả không khớp",
                                  ("description matches: " + ", ".join(shown)) if shown else "no words in common"))
            if w.certification:
                parts.append(_certification_part(need, supplier, day, w.certification))
            if need.volume and w.capacity:
                parts.append(_capacity_part(need, supplier, w.capacity))
            total = sum(p.weight for p in parts)
            score = 100 * sum(p.share * p.weight for p in parts) / total if total else 0.0
            scored.append((score, supplier.id, tuple(parts)))
        scored.sort(key=lambda x: (-x[0], x[1]))
        for rank, (score, sid, parts) in enumerate(scored[:top] if top is not None else scored, 1):
            result.matches.append(Match(need.id, rank, sid, score, parts))
    return result
