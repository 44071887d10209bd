"""Criteria weights by the Analytic Hierarchy Process (Saaty 1980), or given directly.

A pairwise matrix A has a_ij = how much more important criterion i is than j on Saaty's 1–9 scale,
a_ii = 1 and a_ji = 1/a_ij. The weights are the principal (Perron) eigenvector of A scaled to sum 1;
λmax is its eigenvalue, CI = (λmax − n)/(n − 1), CR = CI/RI(n). A matrix with CR > 0.1 is refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from vnindustry.errors import InputError

from .criteria import criterion

RiTable = Literal["saaty", "alonso-lamata"]

# Random index RI(n), the mean CI of random reciprocal matrices on the 1–9 scale.
# Saaty, T. L. (1980), The Analytic Hierarchy Process, McGraw-Hill, table 1.7 (500 matrices per n; n = 1..15).
RI_SAATY: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
                              10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
# Alonso, J. A. & Lamata, M. T. (2006), "Consistency in the analytic hierarchy process: a new approach",
# Int. J. of Uncertainty, Fuzziness and Knowledge-Based Systems 14(4), 445–459 (100,000 matrices per n).
# Some software prints 0.5245/0.8815/1.4056/1.5141 for n = 3, 4, 8, 11; the difference is in the 4th decimal.
RI_ALONSO_LAMATA: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.5247, 4: 0.8816, 5: 1.1086, 6: 1.2479, 7: 1.3417,
                                      8: 1.4057, 9: 1.4499, 10: 1.4854, 11: 1.5140, 12: 1.5365, 13: 1.5551,
                                      14: 1.5713, 15: 1.5838}
RI_TABLES: dict[str, dict[int, float]] = {"saaty": RI_SAATY, "alonso-lamata": RI_ALONSO_LAMATA}
RI_SOURCES = {"saaty": "Saaty (1980)", "alonso-lamata": "Alonso & Lamata (2006)"}
MAX_CR = 0.1
SAATY_VALUES = tuple(range(1, 10))  # 2, 4, 6, 8 are the intermediate judgments


def random_index(n: int, table: str = "saaty") -> float:
    """RI(n) from ``table`` (saaty or alonso-lamata); ValueError for an unknown table or n > 15."""
    if table not in RI_TABLES:
        raise ValueError(f"unknown RI table '{table}'; use one of {', '.join(RI_TABLES)}")
    if n not in RI_TABLES[table]:
        raise ValueError(f"no random index for {n} criteria (the tables stop at 15): compare at most 15")
    return RI_TABLES[table][n]


def nearest_saaty(value: float) -> str:
    """The judgment on Saaty's scale closest to ``value`` on a log scale, as typed: "3" or "1/3"."""
    if value >= 1:
        k = min(SAATY_VALUES, key=lambda s: abs(math.log(value / s)))
        return str(k)
    k = min(SAATY_VALUES, key=lambda s: abs(math.log(value * s)))
    return "1" if k == 1 else f"1/{k}"


@dataclass(frozen=True)
class AhpResult:
    """Weights from a pairwise matrix with its consistency figures."""

    criteria: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    ri: float
    cr: float
    ri_table: str

    def weight_map(self) -> dict[str, float]:
        """Weights by criterion code."""
        return dict(zip(self.criteria, self.weights, strict=True))


@dataclass(frozen=True)
class Weights:
    """The weights a scoring run uses, and how they were obtained (ahp, direct or default)."""

    criteria: tuple[str, ...]
    values: tuple[float, ...]
    origin: Literal["ahp", "direct", "default"]
    ahp: AhpResult | None = None

    def as_array(self) -> np.ndarray:
        """Weights as a float array in ``criteria`` order."""
        return np.array(self.values, dtype=float)

    def weight_map(self) -> dict[str, float]:
        """Weights by criterion code."""
        return dict(zip(self.criteria, self.values, strict=True))


def principal_eigen(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """The Perron eigenvector (positive, summing to 1) and its eigenvalue λmax of a positive matrix."""
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)  # the Perron vector has one sign; eig may return it negated
    return vector / vector.sum(), float(values[k].real)


def most_inconsistent_pair(matrix: np.ndarray, weights: np.ndarray) -> tuple[int, int, float]:
    """(i, j, implied) for the judgment a_ij (i < j) farthest from the ratio of the weights w_i/w_j.

    The distance is |ln(a_ij · w_j / w_i)|, which is the same for a_ij and its reciprocal a_ji, so a
    judgment of 1/7 is as far off as one of 7 — an absolute difference |a_ij − w_i/w_j| would always point
    at the large entries. ``implied`` = w_i/w_j is what the other judgments suggest.
    """
    n = len(matrix)
    best = (0, 1, -1.0)
    for i in range(n):
        for j in range(i + 1, n):
            deviation = abs(math.log(matrix[i, j] * weights[j] / weights[i]))
            if deviation > best[2]:
                best = (i, j, deviation)
    i, j, _ = best
    return i, j, float(weights[i] / weights[j])


def check_pairwise(matrix: np.ndarray, codes: Sequence[str], cell: Callable[[int, int], str],
                   file: str | None = None) -> None:
    """Refuse a matrix that is not square, positive, 1 on the diagonal, reciprocal and within 1/9..9."""
    n = len(codes)
    if matrix.shape != (n, n):
        raise InputError(f"the pairwise matrix is {matrix.shape[0]}×{matrix.shape[1]} for {n} criteria",
                         file=file, location=cell(0, 0), fix="give one row and one column per criterion")
    for i in range(n):
        if abs(matrix[i, i] - 1) > 1e-9:
            raise InputError(f"the diagonal must be 1, found {matrix[i, i]:g}", file=file, location=cell(i, i),
                             fix="a criterion is equally important as itself: enter 1")
        for j in range(n):
            a = matrix[i, j]
            if not (math.isfinite(a) and 1 / 9 - 1e-9 <= a <= 9 + 1e-9):
                raise InputError(f"{a:g} is outside Saaty's scale 1/9..9 ({codes[i]} vs {codes[j]})", file=file,
                                 location=cell(i, j), fix="use 1–9 or its reciprocals 1/2..1/9")
            if i < j and abs(a * matrix[j, i] - 1) > 0.01:
                raise InputError(f"not reciprocal: {codes[i]} vs {codes[j]} is {a:g} but the mirror cell "
                                 f"{cell(j, i)} holds {matrix[j, i]:g}", file=file, location=cell(i, j),
                                 fix=f"enter 1/{a:g} in the mirror cell, or leave it empty (it is computed)")


def ahp_weights(matrix: Sequence[Sequence[float]] | np.ndarray, codes: Sequence[str], *,
                ri_table: str = "saaty", max_cr: float = MAX_CR,
                cell: Callable[[int, int], str] | None = None, file: str | None = None) -> AhpResult:
    """Weights of ``codes`` from a reciprocal pairwise ``matrix``; InputError when CR > ``max_cr``.

    ``cell(i, j)`` names where a_ij was entered (e.g. "sheet 'So sánh cặp', cell E4") for messages.
    The refusal names the most inconsistent judgment (:func:`most_inconsistent_pair`) and the value the
    other judgments imply.
    """
    def default_cell(i: int, j: int) -> str:
        return f"row {codes[i]}, column {codes[j]}"

    where = cell or default_cell
    a = np.array(matrix, dtype=float)
    check_pairwise(a, codes, where, file)
    n = len(codes)
    weights, lam = principal_eigen(a)
    ci = 0.0 if n <= 2 else (lam - n) / (n - 1)
    ri = random_index(n, ri_table)
    cr = 0.0 if ri == 0 else ci / ri
    if cr > max_cr:
        i, j, implied = most_inconsistent_pair(a, weights)
        raise InputError(
            f"the pairwise comparisons are inconsistent: CR = {cr:.3f} > {max_cr:g} (λmax = {lam:.3f}, n = {n}, "
            f"RI = {ri:g} from {RI_SOURCES[ri_table]}); the most inconsistent judgment is {codes[i]} vs "
            f"{codes[j]} = {nearest_saaty(a[i, j])} while the other judgments imply about {implied:.2f}",
            file=file, location=where(i, j),
            fix=f"reconsider that comparison (e.g. {nearest_saaty(implied)}) and the ones that lead to it, "
                f"then score again")
    return AhpResult(tuple(codes), tuple(tuple(float(x) for x in row) for row in a),
                     tuple(float(w) for w in weights), lam, float(ci), ri, float(cr), ri_table)


def weights_from_ahp(result: AhpResult) -> Weights:
    """Wrap an AHP result as the weights of a run."""
    return Weights(result.criteria, result.weights, "ahp", result)


def direct_weights(values: Mapping[str, float], *, where: str = "the weights", file: str | None = None) -> Weights:
    """Weights given directly (any positive scale; they are divided by their sum)."""
    for code, w in values.items():
        criterion(code)
        if not (math.isfinite(w) and w >= 0):
            raise InputError(f"the weight of {code} must be a number ≥ 0, got {w}", file=file, location=where,
                             fix="enter a non-negative weight")
    total = sum(values.values())
    if total <= 0:
        raise InputError("the weights sum to 0", file=file, location=where, fix="give at least one positive weight")
    return Weights(tuple(values), tuple(w / total for w in values.values()), "direct")


def default_weights(codes: Sequence[str] | None = None) -> Weights:
    """The declared default weights of ``codes`` (all criteria by default), rescaled to sum 1."""
    from .criteria import DEFAULT_CODES

    chosen = tuple(codes) if codes is not None else DEFAULT_CODES
    raw = [criterion(c).default_weight for c in chosen]
    total = sum(raw)
    return Weights(chosen, tuple(w / total for w in raw), "default")
