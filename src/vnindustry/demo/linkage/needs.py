"""The linkage demo's sourcing needs (needs.csv): how many each buyer posts, drawn from its sector's
templates, with certifications relaxed until enough suppliers could take the part."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vnindustry.demo.linkage.buyers import _BuyerSpec
from vnindustry.demo.linkage.draws import _loguniform, _round2, _strip_diacritics
from vnindustry.demo.linkage.need_templates import _NEEDS, _NeedTemplate
from vnindustry.demo.linkage.suppliers import _PROCESS, REFERENCE_DAY, _Supplier
from vnindustry.linkage.vocab import CERTIFICATIONS

MIN_PLAUSIBLE = 3
"""Suppliers each need should have that pass the hard filters on :data:`REFERENCE_DAY` and share its HS heading."""

_STRIPPED_NEED_SHARE = 0.08


@dataclass(frozen=True)
class _Need:
    id: str
    buyer: str
    template: _NeedTemplate
    processes: tuple[str, ...]  # as written
    certs: tuple[str, ...]  # codes
    volume: int
    description: str

    def row(self) -> tuple[str, ...]:
        t = self.template
        return (self.id, self.buyer, t.title, ";".join(t.hs), ";".join(self.processes),
                ";".join(_CERT_NAMES[c] for c in self.certs), str(self.volume), self.description)


_CERT_NAMES = {e.code: e.name_vi for e in CERTIFICATIONS}


def _plausible(need: _NeedTemplate, certs: Sequence[str], suppliers: Sequence[_Supplier]) -> int:
    """Suppliers that pass the matching's hard filters on REFERENCE_DAY and share an HS heading with ``need``."""
    headings = [h[:4] for h in need.hs]
    count = 0
    for s in suppliers:
        valid = [code for code, expires in s.certs if expires >= REFERENCE_DAY]
        if (all(c in valid for c in certs) and any(p in s.processes for p in need.processes)
                and any(h[:4] in headings for h in s.hs)):
            count += 1
    return count


def _need_counts(rng: np.random.Generator, fixed: Sequence[int]) -> list[int]:
    """How many needs each buyer posts: its fixed list, else 2–4, about three a buyer in all."""
    free = [i for i, f in enumerate(fixed) if not f]
    counts = [f if f else 3 for f in fixed]
    for _ in range(len(free)):  # spread 2..4 around the mean of three
        if len(free) < 2:
            break
        i, j = (free[int(x)] for x in rng.choice(len(free), size=2, replace=False))
        if counts[i] < 4 and counts[j] > 2:
            counts[i] += 1
            counts[j] -= 1
    # The buyers with a fixed list post more than three: take the surplus off the others, so ~3 a buyer.
    surplus = sum(counts) - 3 * len(fixed)
    for i in rng.permutation(free).tolist():
        if surplus <= 0:
            break
        if counts[i] > 2:
            counts[i] -= 1
            surplus -= 1
    return counts


def _draw_needs(rng: np.random.Generator, buyers: Sequence[tuple[str, _BuyerSpec]],
                suppliers: Sequence[_Supplier]) -> list[_Need]:
    by_key = {t.key: t for t in _NEEDS}
    counts = _need_counts(rng, [len(b.needs) for _, b in buyers])
    used: dict[str, int] = {}
    out: list[_Need] = []
    for (bid, b), count in zip(buyers, counts, strict=True):
        if b.needs:
            templates = [by_key[k] for k in b.needs]
        else:
            pool = [t for t in _NEEDS if b.sector in t.sectors]
            k = min(len(pool), count)
            # A part already asked for by another buyer is less likely again, so the needs stay varied.
            w = np.array([1.0 / (1 + 4 * used.get(t.key, 0)) for t in pool])
            templates = [pool[i] for i in rng.choice(len(pool), size=k, replace=False, p=w / w.sum())]
            for t in templates:
                used[t.key] = used.get(t.key, 0) + 1
        for t in templates:
            certs = list(t.certs[int(rng.integers(len(t.certs)))])
            # Too strict for the directory: drop the strictest requirement (written last) until enough suppliers
            # could take the part, as an officer would before a matchmaking event.
            while certs and _plausible(t, certs, suppliers) < MIN_PLAUSIBLE:
                certs.pop()
            english = rng.random() < 0.2
            processes = tuple(_PROCESS[p].name_en if english else _PROCESS[p].name_vi for p in t.processes)
            volume = _round2(_loguniform(rng, *t.volume))
            description = _strip_diacritics(t.description) if rng.random() < _STRIPPED_NEED_SHARE else t.description
            out.append(_Need(f"N{len(out) + 1:03d}", bid, t, processes, tuple(certs), volume, description))
    return out
