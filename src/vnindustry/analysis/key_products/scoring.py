"""A scoring run: the frozen spec (JSON) that reproduces it, and the result.

The spec holds everything a result depends on besides the criteria table: the criteria and their
directions, the pairwise matrix (the weights are recomputed from it) or the weights, the RI table and CR
limit, the method and its normalisation, the thresholds and the sensitivity step. Scoring the same table
with the same spec gives the same result, also after the declared defaults change.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vnindustry.errors import InputError

from .ahp import MAX_CR, AhpResult, Weights, ahp_weights, default_weights, weights_from_ahp
from .criteria import CriteriaTable, criterion
from .ranking import METHODS, NORMALIZATION, Thresholds, classify, ranks, scores
from .sensitivity import ProductSensitivity, Scenario, sensitivity

SPEC_FORMAT = "vnindustry.key-products.spec"
SPEC_VERSION = 1


@dataclass(frozen=True)
class ScoringSpec:
    """Everything that fixes a result besides the candidates' values."""

    criteria: tuple[str, ...]
    directions: tuple[str, ...]
    weights_origin: str  # ahp, direct or default
    weights: tuple[float, ...] | None = None  # used unless pairwise is given
    pairwise: tuple[tuple[float, ...], ...] | None = None
    method: str = "topsis"
    normalization: str = ""  # "" → the method's default (vector for TOPSIS, minmax for WSM)
    ri_table: str = "saaty"
    max_cr: float = MAX_CR
    thresholds: Thresholds = field(default_factory=Thresholds)
    sensitivity_step: float = 0.2

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method '{self.method}'; use one of {', '.join(METHODS)}")
        if not self.normalization:
            object.__setattr__(self, "normalization", NORMALIZATION[self.method])
        if (self.weights is None) == (self.pairwise is None):
            raise ValueError("a spec holds either weights or a pairwise matrix")

    def resolve_weights(self) -> Weights:
        """The weights: recomputed by AHP from the pairwise matrix (CR checked again), or as stored."""
        if self.pairwise is not None:
            return weights_from_ahp(ahp_weights(self.pairwise, self.criteria, ri_table=self.ri_table,
                                                max_cr=self.max_cr))
        assert self.weights is not None
        total = sum(self.weights)
        return Weights(self.criteria, tuple(w / total for w in self.weights), self.weights_origin)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """The spec as JSON-ready data."""
        return {
            "format": SPEC_FORMAT, "version": SPEC_VERSION,
            "criteria": [{"code": c, "direction": d} for c, d in zip(self.criteria, self.directions, strict=True)],
            "weights_origin": self.weights_origin,
            "weights": list(self.weights) if self.weights is not None else None,
            "pairwise": [list(r) for r in self.pairwise] if self.pairwise is not None else None,
            "ri_table": self.ri_table, "max_cr": self.max_cr,
            "method": self.method, "normalization": self.normalization,
            "thresholds": self.thresholds.as_dict(), "sensitivity_step": self.sensitivity_step,
        }

    def to_json(self) -> str:
        """The spec as indented JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, file: str | Path | None = None) -> ScoringSpec:
        """Read a spec written by :meth:`to_json`; InputError naming the file and key when it is not one."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc.msg}", file=file, line=exc.lineno,
                             fix="give a spec written by --save-spec") from None
        if not isinstance(data, dict) or data.get("format") != SPEC_FORMAT:
            raise InputError(f"not a key-product spec (no \"format\": \"{SPEC_FORMAT}\")", file=file,
                             fix="give a spec written by 'vnindustry products score --save-spec'")
        if data.get("version") != SPEC_VERSION:
            raise InputError(f"spec version {data.get('version')} is not supported (expected {SPEC_VERSION})",
                             file=file, column="version", fix="write the spec again with this version")
        try:
            crits = data["criteria"]
            for c in crits:
                criterion(c["code"])
            thresholds = Thresholds(**data["thresholds"])
            return cls(
                criteria=tuple(c["code"] for c in crits), directions=tuple(c["direction"] for c in crits),
                weights_origin=data["weights_origin"],
                weights=tuple(float(w) for w in data["weights"]) if data.get("weights") is not None else None,
                pairwise=tuple(tuple(float(x) for x in r) for r in data["pairwise"])
                if data.get("pairwise") is not None else None,
                method=data["method"], normalization=data.get("normalization", ""),
                ri_table=data.get("ri_table", "saaty"), max_cr=float(data.get("max_cr", MAX_CR)),
                thresholds=thresholds, sensitivity_step=float(data.get("sensitivity_step", 0.2)),
            )
        except KeyError as exc:
            raise InputError(f"the spec has no key {exc}", file=file, column=str(exc.args[0]),
                             fix="write the spec again with --save-spec") from None
        except (TypeError, ValueError) as exc:
            raise InputError(f"the spec is not valid: {exc}", file=file,
                             fix="write the spec again with --save-spec") from None


def make_spec(weights: Weights, *, method: str = "topsis", normalization: str = "",
              thresholds: Thresholds | None = None, sensitivity_step: float = 0.2,
              max_cr: float = MAX_CR) -> ScoringSpec:
    """Freeze ``weights`` (with their pairwise matrix when they come from AHP) and the run's settings."""
    directions = tuple(criterion(c).direction for c in weights.criteria)
    common: dict[str, Any] = {"method": method, "normalization": normalization,
                              "thresholds": thresholds or Thresholds(), "sensitivity_step": sensitivity_step,
                              "max_cr": max_cr}
    if weights.ahp is not None:
        return ScoringSpec(weights.criteria, directions, "ahp", pairwise=weights.ahp.matrix,
                           ri_table=weights.ahp.ri_table, **common)
    return ScoringSpec(weights.criteria, directions, weights.origin, weights=weights.values, **common)


@dataclass(frozen=True)
class RankedProduct:
    """A candidate's place in the result."""

    rank: int
    product: str
    name: str
    score: float
    klass: str
    values: dict[str, float]


@dataclass(frozen=True)
class KeyProductResult:
    """The ranked list, the weights (with AHP consistency), the sensitivity and the spec that made them."""

    spec: ScoringSpec
    weights: Weights
    ranking: list[RankedProduct]  # best first
    scenarios: list[Scenario]
    sensitivity: list[ProductSensitivity]  # in ranking order
    table_products: tuple[str, ...] = ()  # the input table's order, which the scenarios follow

    @property
    def ahp(self) -> AhpResult | None:
        """The AHP figures when the weights come from a pairwise matrix."""
        return self.weights.ahp

    def as_data(self) -> dict[str, Any]:
        """The result as JSON-ready data (floats unrounded), as the store keeps a run
        (:func:`vnindustry.store.trade.store_scoring`, which does not import analysis)."""
        from .workbook import result_data

        return result_data(self)


def score_products(table: CriteriaTable, spec: ScoringSpec) -> KeyProductResult:
    """Score, rank, classify and test the sensitivity of the candidates in ``table`` under ``spec``."""
    if not table.candidates:
        raise InputError("no candidate products", file=table.file, location=table.header_where,
                         fix="enter at least one product below the header")
    weights = spec.resolve_weights()
    matrix = table.matrix(spec.criteria)
    if not np.all(np.isfinite(matrix)):
        raise InputError("a value is not a finite number", file=table.file, fix="enter numbers only")

    def score_fn(w: np.ndarray) -> np.ndarray:
        return scores(matrix, w, spec.directions, spec.method, spec.normalization)

    w = weights.as_array()
    s = score_fn(w)
    r = ranks(s)
    classes = classify(s, r, spec.thresholds)
    products = table.products()
    scenarios, summary = sensitivity(products, spec.criteria, w, score_fn, spec.thresholds, spec.sensitivity_step)
    order = sorted(range(len(products)), key=lambda i: (int(r[i]), products[i]))
    ranking = [RankedProduct(int(r[i]), products[i], table.candidates[i].name, float(s[i]), classes[i],
                             {c: float(matrix[i, k]) for k, c in enumerate(spec.criteria)}) for i in order]
    by_product = {p.product: p for p in summary}
    assert all(math.isfinite(x.score) for x in ranking)
    return KeyProductResult(spec, weights, ranking, scenarios, [by_product[x.product] for x in ranking],
                            tuple(products))


def default_spec(codes: tuple[str, ...] | None = None, **settings: Any) -> ScoringSpec:
    """A spec with the declared default weights (all criteria unless ``codes``)."""
    return make_spec(default_weights(codes), **settings)
