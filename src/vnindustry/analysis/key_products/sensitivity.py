"""How ranks move when each weight moves by ±20% (the others rescaled so the weights still sum to 1)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .ranking import Thresholds, classify, ranks


def perturb(weights: np.ndarray, j: int, change: float) -> np.ndarray:
    """``weights`` with w_j × (1 + change), the others scaled by (1 − w_j')/(1 − w_j) to keep the sum 1.

    w_j' is capped at 1 (a weight of 0.9 raised by 20% would leave the others negative); with a single
    criterion (w_j = 1) nothing can move.
    """
    w = np.asarray(weights, dtype=float)
    new_j = min(w[j] * (1 + change), 1.0)
    rest = 1.0 - w[j]
    if rest <= 0:
        return w.copy()
    out = w * (1.0 - new_j) / rest
    out[j] = new_j
    return out


@dataclass(frozen=True)
class Scenario:
    """One perturbed run: which criterion moved, by how much, and every product's score, rank and class."""

    criterion: str
    change: float
    weights: tuple[float, ...]
    scores: tuple[float, ...]
    ranks: tuple[int, ...]
    classes: tuple[str, ...]


@dataclass(frozen=True)
class ProductSensitivity:
    """One product over all scenarios."""

    product: str
    base_rank: int
    min_rank: int
    max_rank: int
    base_class: str
    classes: tuple[str, ...]  # every class the product takes, base class first

    @property
    def class_changes(self) -> bool:
        """True if some ±step weight change moves the product to another class."""
        return len(self.classes) > 1


def sensitivity(products: Sequence[str], criteria: Sequence[str], weights: np.ndarray,
                score_fn: Callable[[np.ndarray], np.ndarray], thresholds: Thresholds,
                step: float = 0.2) -> tuple[list[Scenario], list[ProductSensitivity]]:
    """Scenarios (2 per criterion: −step, +step) and each product's rank range and classes.

    ``score_fn(weights)`` scores the fixed candidate table with the given weights.
    """
    if not 0 < step < 1:
        raise ValueError(f"the sensitivity step must be in (0, 1), got {step}")
    base_scores = score_fn(weights)
    base_ranks = ranks(base_scores)
    base_classes = classify(base_scores, base_ranks, thresholds)
    scenarios = []
    for j, code in enumerate(criteria):
        for change in (-step, step):
            w = perturb(weights, j, change)
            s = score_fn(w)
            r = ranks(s)
            scenarios.append(Scenario(code, change, tuple(float(x) for x in w), tuple(float(x) for x in s),
                                      tuple(int(x) for x in r), tuple(classify(s, r, thresholds))))
    summary = []
    for i, product in enumerate(products):
        all_ranks = [int(base_ranks[i])] + [sc.ranks[i] for sc in scenarios]
        classes = [base_classes[i]]
        for sc in scenarios:
            if sc.classes[i] not in classes:
                classes.append(sc.classes[i])
        summary.append(ProductSensitivity(product, int(base_ranks[i]), min(all_ranks), max(all_ranks),
                                          base_classes[i], tuple(classes)))
    return scenarios, summary
