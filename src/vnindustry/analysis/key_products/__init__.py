"""Key industrial products (sản phẩm công nghiệp chủ lực) and potential products: criteria, AHP weights,
TOPSIS / weighted-sum ranking, thresholds and sensitivity (issue 7, part 3).

Typical use::

    table, weights = read_criteria("ung_vien.xlsx")          # weights: from the file's pairwise sheet, or None
    spec = make_spec(weights or default_weights(table.criteria), method="topsis")
    result = score_products(table, spec)
    write_result("ket_qua.xlsx", result)
"""

from typing import TYPE_CHECKING, Any

from .ahp import (
    RI_ALONSO_LAMATA,
    RI_SAATY,
    AhpResult,
    Weights,
    ahp_weights,
    default_weights,
    direct_weights,
    most_inconsistent_pair,
    random_index,
)
from .criteria import CRITERIA, Candidate, CriteriaTable, Criterion, criterion, fill_values, make_table
from .ranking import Thresholds, classify, ranks, scores
from .scoring import KeyProductResult, ScoringSpec, default_spec, make_spec, score_products
from .sensitivity import perturb, sensitivity

if TYPE_CHECKING:
    from .workbook import read_criteria, read_weights, write_result, write_template

_WORKBOOK = frozenset({"read_criteria", "read_weights", "write_result", "write_template"})


def __getattr__(name: str) -> Any:
    """The Excel readers and writers, imported on first use (openpyxl is not needed to read a stored scoring)."""
    if name in _WORKBOOK:
        from . import workbook

        value = getattr(workbook, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CRITERIA", "RI_ALONSO_LAMATA", "RI_SAATY", "AhpResult", "Candidate", "CriteriaTable", "Criterion",
    "KeyProductResult", "ScoringSpec", "Thresholds", "Weights", "ahp_weights", "classify", "criterion",
    "default_spec", "default_weights", "direct_weights", "fill_values", "make_spec", "make_table",
    "most_inconsistent_pair", "perturb", "random_index", "ranks", "read_criteria", "read_weights", "score_products",
    "scores", "sensitivity", "write_result", "write_template",
]
