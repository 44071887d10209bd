"""BM25 (Okapi; Robertson & Zaragoza 2009) over the terms of :func:`vnindustry.linkage.text.terms`.

score(q, d) = Σ over the distinct query terms t found in d of
    idf(t) · tf(t, d) · (k1 + 1) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl)),
    idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))

(the "+1" inside the log, as Lucene does, keeps every idf positive). Kept small and in the open rather than a
library, because the matching shows which terms carried a score (:meth:`BM25.explain`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["BM25"]


@dataclass
class BM25:
    """An index of documents, each a list of terms. ``k1`` and ``b``: the usual defaults."""

    documents: Sequence[Sequence[str]]
    k1: float = 1.2
    b: float = 0.75
    _tf: list[Counter[str]] = field(init=False, repr=False)
    _df: Counter[str] = field(init=False, repr=False)
    _avgdl: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._tf = [Counter(d) for d in self.documents]
        self._df = Counter(t for tf in self._tf for t in tf)
        total = sum(len(d) for d in self.documents)
        self._avgdl = total / len(self.documents) if self.documents and total else 1.0

    def idf(self, term: str) -> float:
        n = self._df.get(term, 0)
        return math.log(1 + (len(self._tf) - n + 0.5) / (n + 0.5))

    def explain(self, query: Sequence[str], i: int) -> dict[str, float]:
        """Each distinct query term's contribution to document ``i``'s score (terms it lacks left out)."""
        tf, length = self._tf[i], len(self.documents[i])
        out = {}
        for t in dict.fromkeys(query):
            f = tf.get(t, 0)
            if f:
                norm = self.k1 * (1 - self.b + self.b * length / self._avgdl)
                out[t] = self.idf(t) * f * (self.k1 + 1) / (f + norm)
        return out

    def score(self, query: Sequence[str], i: int) -> float:
        """BM25 score of document ``i`` for ``query``."""
        return sum(self.explain(query, i).values())
