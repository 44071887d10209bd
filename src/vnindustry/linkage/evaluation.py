"""How good the matching is, against needs labelled by an expert (``relevance.csv``: need,supplier,grade).

Grades: 2 highly relevant (could make the part), 1 partly relevant, 0 (or absent) not relevant.

- recall@k: of the suppliers graded 2 for a need, the share ranked in its first k; averaged over needs;
- nDCG@k (Järvelin & Kekäläinen 2002): DCG = Σ over ranks r ≤ k of (2^grade − 1) / log2(r + 1), divided by the
  DCG of the ideal order of the labelled grades; averaged over needs.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vnindustry.errors import InputError
from vnindustry.linkage.matching import MatchResult

__all__ = ["Evaluation", "evaluate", "ndcg", "read_relevance", "recall"]


def read_relevance(path: Path) -> dict[str, dict[str, int]]:
    """need → supplier → grade (0, 1 or 2) from ``path``."""
    out: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), 2):
            try:
                grade = int(row["grade"])
            except (KeyError, TypeError, ValueError):
                raise InputError(f"grade {row.get('grade')!r} is not 0, 1 or 2", file=path, line=line,
                                 column="grade", fix="write 2, 1 or 0") from None
            if grade not in (0, 1, 2):
                raise InputError(f"grade {grade} is not 0, 1 or 2", file=path, line=line, column="grade",
                                 fix="write 2, 1 or 0")
            out.setdefault(row["need"], {})[row["supplier"]] = grade
    return out


def recall(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """Share of the suppliers graded 2 found in ``ranked[:k]`` (NaN when none is graded 2)."""
    relevant = {s for s, g in grades.items() if g >= 2}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else math.nan


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """Normalised discounted cumulative gain of ``ranked`` at ``k`` (NaN when nothing is relevant)."""
    def dcg(gains: Sequence[int]) -> float:
        return sum((2 ** g - 1) / math.log2(r + 1) for r, g in enumerate(gains[:k], 1))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(s, 0) for s in ranked]) / ideal if ideal > 0 else math.nan


@dataclass(frozen=True)
class Evaluation:
    """Mean recall@k and nDCG@k over the labelled needs, and each need's figures."""

    k_recall: int
    k_ndcg: int
    recall: float
    ndcg: float
    per_need: dict[str, tuple[float, float]]


def evaluate(result: MatchResult, labels: Mapping[str, Mapping[str, int]], *, k_recall: int = 5,
             k_ndcg: int = 10) -> Evaluation:
    """Score ``result`` (it must rank at least ``max(k_recall, k_ndcg)`` per need) against ``labels``."""
    per_need = {}
    for need, grades in labels.items():
        ranked = [m.supplier for m in result.of(need)]
        per_need[need] = (recall(ranked, grades, k_recall), ndcg(ranked, grades, k_ndcg))
    recalls = [r for r, _ in per_need.values() if not math.isnan(r)]
    ndcgs = [n for _, n in per_need.values() if not math.isnan(n)]
    return Evaluation(k_recall, k_ndcg, sum(recalls) / len(recalls) if recalls else math.nan,
                      sum(ndcgs) / len(ndcgs) if ndcgs else math.nan, per_need)
