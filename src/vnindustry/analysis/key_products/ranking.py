"""Ranking candidates by TOPSIS or the weighted sum (pymcdm), and the key / potential / other split.

Normalisation (stated, and recorded in the frozen spec):
- TOPSIS (Hwang & Yoon 1981): vector normalisation r_ij = x_ij / sqrt(Σ_i x_ij²) in every column; the
  ideal takes the largest v_ij = w_j·r_ij of a benefit criterion and the smallest of a cost criterion.
  pymcdm writes a cost column as 1 − r_ij and takes the largest; the distances are the same.
- Weighted sum: min–max normalisation r_ij = (x_ij − min_j)/(max_j − min_j) for a benefit criterion and
  (max_j − x_ij)/(max_j − min_j) for a cost criterion, S_i = Σ_j w_j·r_ij. Min–max (rather than x/max) copes
  with negative growth rates and gives scores in [0, 1] like TOPSIS, so the same thresholds apply.
A column where every candidate has the same value does not separate them: it is normalised to 0 (so it
adds nothing to a TOPSIS distance or a weighted sum) instead of dividing by zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np

Method = Literal["topsis", "wsm"]
METHODS: tuple[str, ...] = ("topsis", "wsm")
NORMALIZATION: dict[str, str] = {"topsis": "vector", "wsm": "minmax"}
CLASSES = ("key", "potential", "other")
CLASS_VI = {"key": "chủ lực", "potential": "tiềm năng", "other": "khác"}


def vector_normalization(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """x / ‖x‖ (cost: 1 − x/‖x‖, pymcdm's convention); a column of zeros stays 0."""
    norm = float(np.sqrt(np.sum(x**2)))
    if norm == 0:
        return np.zeros_like(x, dtype=float)
    r = x / norm
    return 1 - r if cost else r


def minmax_normalization(x: np.ndarray, cost: bool = False) -> np.ndarray:
    """(x − min)/(max − min), reversed for a cost criterion; a constant column is 0."""
    low, high = float(np.min(x)), float(np.max(x))
    if high == low:
        return np.zeros_like(x, dtype=float)
    return (high - x) / (high - low) if cost else (x - low) / (high - low)


_NORMALIZERS = {"vector": vector_normalization, "minmax": minmax_normalization}


def scores(matrix: np.ndarray, weights: np.ndarray, directions: Sequence[str], method: str = "topsis",
           normalization: str | None = None) -> np.ndarray:
    """Preference scores (higher is better) of the rows of ``matrix``: TOPSIS closeness or weighted sum.

    ``weights`` must sum to 1; ``directions`` are "benefit" or "cost" per column.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}'; use one of {', '.join(METHODS)}")
    norm = normalization or NORMALIZATION[method]
    if norm not in _NORMALIZERS:
        raise ValueError(f"unknown normalisation '{norm}'; use one of {', '.join(_NORMALIZERS)}")
    # pymcdm and scipy load on first use: reading a stored scoring (a bulletin's annex) never ranks.
    from pymcdm import methods as pymcdm_methods

    types = np.array([1 if d == "benefit" else -1 for d in directions])
    body = (pymcdm_methods.TOPSIS if method == "topsis" else pymcdm_methods.WSM)(_NORMALIZERS[norm])
    m = np.asarray(matrix, dtype=float)
    if len(m) == 1:  # one candidate: nothing to compare it with; it is as good as it gets
        return np.ones(1)
    # validation=False: pymcdm warns about dominated alternatives, which are ordinary among candidates.
    result = np.asarray(body(m, np.asarray(weights, dtype=float), types, validation=False), dtype=float)
    # TOPSIS gives 0/0 when every candidate is identical on every weighted criterion: they tie.
    return np.where(np.isnan(result), 0.5, result)


def ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; ties share the better rank (1, 2, 2, 4)."""
    from scipy.stats import rankdata

    return rankdata(-np.asarray(values, dtype=float), method="min").astype(int)


@dataclass(frozen=True)
class Thresholds:
    """Where key (chủ lực) and potential (tiềm năng) products start.

    A product is key when its score is at least ``key_score`` and its rank at most ``key_top`` (a limit
    left as None does not apply); potential when it is not key and meets ``potential_score`` and
    ``potential_top`` (ranks counted over all candidates); other otherwise.
    """

    key_score: float | None = 0.6
    potential_score: float | None = 0.4
    key_top: int | None = None
    potential_top: int | None = None

    def __post_init__(self) -> None:
        if self.key_score is None and self.key_top is None:
            raise ValueError("give a key score threshold, a key top-N or both")
        if self.potential_score is None and self.potential_top is None:
            raise ValueError("give a potential score threshold, a potential top-N or both")
        for name in ("key_top", "potential_top"):
            top = getattr(self, name)
            if top is not None and top < 0:
                raise ValueError(f"{name} must be ≥ 0, got {top}")
        if self.key_score is not None and self.potential_score is not None and self.key_score < self.potential_score:
            raise ValueError(f"the key threshold {self.key_score} is below the potential one {self.potential_score}")

    def as_dict(self) -> dict[str, float | int | None]:
        """The thresholds as a JSON-ready dict."""
        return asdict(self)


def classify(values: np.ndarray, rank: np.ndarray, thresholds: Thresholds) -> list[str]:
    """key / potential / other for each candidate."""
    def meets(score: float, r: int, min_score: float | None, top: int | None) -> bool:
        return (min_score is None or score >= min_score) and (top is None or r <= top)

    out = []
    for score, r in zip(values, rank, strict=True):
        if meets(float(score), int(r), thresholds.key_score, thresholds.key_top):
            out.append("key")
        elif meets(float(score), int(r), thresholds.potential_score, thresholds.potential_top):
            out.append("potential")
        else:
            out.append("other")
    return out
