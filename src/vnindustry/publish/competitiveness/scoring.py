"""A key-product scoring as the annex and the pages show it, from a fresh result or from the store.

Part of :mod:`vnindustry.publish.competitiveness`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from vnindustry.analysis.key_products import KeyProductResult, criterion
from vnindustry.publish.competitiveness.labels import CLASS_NAMES

# ---------------------------------------------------------------- key products


@dataclass(frozen=True)
class Scoring:
    """A key-product scoring as the annex and the pages show it, from a result or from the store.

    ``table``: product, name, score, rank, class and one column per criterion, best first; ``weights``:
    criterion, name_vi, name_en, unit_vi, unit_en, weight (summing to 1); ``sensitivity``: product, name,
    base_rank, min_rank, max_rank, base_class, classes (the classes the product takes, "|"-joined).
    """

    title: str
    released_on: dt.date | None
    method: str
    weights_origin: str
    criteria: tuple[str, ...]
    table: pd.DataFrame
    weights: pd.DataFrame
    sensitivity: pd.DataFrame
    lambda_max: float | None = None
    ci: float | None = None
    ri: float | None = None
    cr: float | None = None
    step: float = 0.2

    @staticmethod
    def from_result(result: KeyProductResult, *, title: str = "", released_on: dt.date | None = None) -> Scoring:
        """From a fresh :func:`score_products` result."""
        criteria = tuple(result.spec.criteria)
        table = pd.DataFrame([{"product": x.product, "name": x.name, "score": x.score, "rank": x.rank,
                               "class": x.klass, **{c: x.values.get(c, math.nan) for c in criteria}}
                              for x in result.ranking])
        names = dict(zip(table["product"], table["name"], strict=True)) if len(table) else {}
        sens = pd.DataFrame([{"product": s.product, "name": names.get(s.product, ""), "base_rank": s.base_rank,
                              "min_rank": s.min_rank, "max_rank": s.max_rank, "base_class": s.base_class,
                              "classes": "|".join(s.classes)} for s in result.sensitivity])
        ahp = result.ahp
        return Scoring(title, released_on, result.spec.method, result.weights.origin, criteria, table,
                       _weights_frame(criteria, result.weights.values), sens,
                       ahp.lambda_max if ahp else None, ahp.ci if ahp else None, ahp.ri if ahp else None,
                       ahp.cr if ahp else None, result.spec.sensitivity_step)

    @staticmethod
    def from_stored(stored: Any) -> Scoring:
        """From the store's latest scoring (``store.trade.latest_scoring``): its table, weights and AHP figures."""
        table = pd.DataFrame(stored.table).copy()
        weights = pd.DataFrame(stored.weights).copy()
        criteria = tuple(str(c) for c in weights["criterion"]) if "criterion" in weights else ()
        if not {"unit_vi", "unit_en"} <= set(weights.columns):
            weights = _weights_frame(criteria, tuple(float(w) for w in weights["weight"]))
        if "rank" in table:
            table = table.sort_values(["rank", "product"]).reset_index(drop=True)
        spec = getattr(stored, "spec", None)
        spec_doc = _spec_dict(spec)
        origin = str(spec_doc.get("weights_origin", "")) if spec_doc else ""
        step = float(spec_doc.get("sensitivity_step", 0.2)) if spec_doc else 0.2
        names = dict(zip(table["product"], table["name"], strict=True)) if len(table) else {}
        # StoredScoring keeps each product's rank range in ``ranges`` (its ``sensitivity`` is the long table).
        sens = _sensitivity_frame(getattr(stored, "ranges", None), names)
        return Scoring(str(getattr(stored, "title", "") or ""), getattr(stored, "released_on", None),
                       str(getattr(stored, "method", "") or spec_doc.get("method", "")), origin or
                       ("ahp" if getattr(stored, "cr", None) is not None else ""), criteria, table, weights, sens,
                       _opt(getattr(stored, "lambda_max", None)), _opt(getattr(stored, "ci", None)),
                       _opt(getattr(stored, "ri", None)), _opt(getattr(stored, "cr", None)), step)

    def counts(self) -> dict[str, int]:
        """Products by class (key, potential, other)."""
        got = self.table["class"].value_counts().to_dict() if len(self.table) else {}
        return {k: int(got.get(k, 0)) for k in CLASS_NAMES}


def _opt(value: Any) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _spec_dict(spec: Any) -> dict[str, Any]:
    if spec is None:
        return {}
    if isinstance(spec, dict):
        return spec
    if isinstance(spec, str):
        try:
            doc = json.loads(spec)
        except json.JSONDecodeError:
            return {}
        return doc if isinstance(doc, dict) else {}
    to_dict = getattr(spec, "to_dict", None)
    return to_dict() if callable(to_dict) else {}


def _weights_frame(criteria: Sequence[str], values: Sequence[float]) -> pd.DataFrame:
    rows = []
    for code, w in zip(criteria, values, strict=True):
        try:
            c = criterion(code)
            names = (c.name_vi, c.name_en, c.unit_vi, c.unit_en)
        except ValueError:
            names = (code, code, "", "")
        rows.append({"criterion": code, "name_vi": names[0], "name_en": names[1], "unit_vi": names[2],
                     "unit_en": names[3], "weight": float(w)})
    return pd.DataFrame(rows, columns=["criterion", "name_vi", "name_en", "unit_vi", "unit_en", "weight"])


def _sensitivity_frame(raw: Any, names: dict[str, str]) -> pd.DataFrame:
    columns = ["product", "name", "base_rank", "min_rank", "max_rank", "base_class", "classes"]
    if raw is None:
        return pd.DataFrame(columns=columns)
    if isinstance(raw, pd.DataFrame):
        frame = raw.copy()
    else:
        items = [x if isinstance(x, dict) else getattr(x, "__dict__", {}) for x in raw]
        frame = pd.DataFrame(items)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    if "classes" in frame:
        frame["classes"] = frame["classes"].map(lambda c: "|".join(c) if isinstance(c, list | tuple) else str(c))
    if "name" not in frame:
        frame["name"] = frame["product"].map(names).fillna("")
    return frame.loc[:, [c for c in columns if c in frame.columns]]
