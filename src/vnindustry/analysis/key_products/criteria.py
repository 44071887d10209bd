"""The criteria for key industrial products (sản phẩm công nghiệp chủ lực), each declared once.

A :class:`Criterion` carries its code (used in files), Vietnamese and English names, unit, direction
(benefit: more is better; cost: less is better), the default weight used when no pairwise comparison or
direct weights are given, and the bounds a value must respect. The default weights are placeholders
(production value counts a little more, spill-over a little less): the Department replaces them with
its own AHP judgments; they are not taken from any regulation.

A :class:`CriteriaTable` holds the candidates' values with where each value came from (a sheet and
cell, a CSV line, a store series), so values entered by hand can be filled from the store through
:func:`fill_values` without changing the scoring; a candidate's optional VSIC and HS codes link it to the store.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from vnindustry.errors import InputError

Direction = Literal["benefit", "cost"]


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion."""

    code: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    direction: Direction
    default_weight: float
    minimum: float | None = None
    maximum: float | None = None

    def label(self) -> str:
        """``code (Vietnamese name)`` for messages."""
        return f"{self.code} ({self.name_vi})"


CRITERIA: tuple[Criterion, ...] = (
    Criterion("production_value", "Giá trị sản xuất", "Production value", "tỷ đồng", "VND billion",
              "benefit", 0.15, minimum=0),
    Criterion("production_share", "Tỷ trọng trong giá trị sản xuất công nghiệp",
              "Share of industrial production value", "%", "%", "benefit", 0.10, minimum=0, maximum=100),
    Criterion("growth", "Tốc độ tăng trưởng bình quân", "Average annual growth", "%/năm", "% a year",
              "benefit", 0.10),
    Criterion("value_added", "Giá trị tăng thêm", "Value added", "tỷ đồng", "VND billion", "benefit", 0.10),
    Criterion("export_share", "Tỷ lệ xuất khẩu trên giá trị sản xuất", "Export share of production", "%", "%",
              "benefit", 0.10, minimum=0, maximum=100),
    Criterion("rca", "Lợi thế so sánh hiện hữu (RCA)", "Revealed comparative advantage (RCA)", "lần", "ratio",
              "benefit", 0.10, minimum=0),
    Criterion("local_content", "Tỷ lệ nội địa hóa", "Local content (localisation rate)", "%", "%",
              "benefit", 0.10, minimum=0, maximum=100),
    Criterion("labour_productivity", "Năng suất lao động", "Labour productivity", "triệu đồng/lao động",
              "VND million per worker", "benefit", 0.10, minimum=0),
    Criterion("technology_level", "Trình độ công nghệ", "Technology level", "điểm (1–5)", "score (1–5)",
              "benefit", 0.10, minimum=1, maximum=5),
    Criterion("spillover", "Khả năng lan tỏa, liên kết", "Spill-over and linkages", "điểm (1–5)", "score (1–5)",
              "benefit", 0.05, minimum=1, maximum=5),
)

BY_CODE: dict[str, Criterion] = {c.code: c for c in CRITERIA}
DEFAULT_CODES: tuple[str, ...] = tuple(c.code for c in CRITERIA)


def criterion(code: str) -> Criterion:
    """The declared criterion ``code``; ValueError naming the known codes otherwise."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown criterion '{code}'; known: {', '.join(DEFAULT_CODES)}") from None


def check_value(code: str, value: float, *, where: str, file: str | None = None) -> float:
    """``value`` if finite and inside the criterion's bounds, else an InputError naming ``where``."""
    c = criterion(code)
    if not math.isfinite(value):
        raise InputError(f"{c.label()}: {value} is not a finite number", file=file, location=where,
                         fix="enter a number")
    if (c.minimum is not None and value < c.minimum) or (c.maximum is not None and value > c.maximum):
        low = "−∞" if c.minimum is None else f"{c.minimum:g}"
        high = "+∞" if c.maximum is None else f"{c.maximum:g}"
        raise InputError(f"{c.label()}: {value:g} {c.unit_en} is outside [{low}, {high}]", file=file,
                         location=where, fix=f"enter a value between {low} and {high} ({c.unit_vi})")
    return value


@dataclass(frozen=True)
class Candidate:
    """A candidate product: its code, name, values by criterion code and each value's origin."""

    code: str
    name: str
    values: Mapping[str, float]
    origins: Mapping[str, str] = field(default_factory=dict)
    where: str = ""  # the row that declared the product, for messages
    # Links to the store (optional): the VSIC code whose IIP and register values give production value, share
    # and growth, and the HS codes whose exports give the RCA (vnindustry.analysis.key_products.from_store).
    vsic: str = ""
    hs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriteriaTable:
    """Candidates × criteria, as read from a file (or assembled in code)."""

    criteria: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    file: str | None = None
    header_where: str = "the header"

    def products(self) -> list[str]:
        """The candidates' codes in table order."""
        return [c.code for c in self.candidates]

    def matrix(self, codes: Sequence[str]) -> np.ndarray:
        """Values as a products × ``codes`` float array; InputError if a criterion or a value is missing."""
        missing = [c for c in codes if c not in self.criteria]
        if missing:
            names = ", ".join(criterion(m).label() for m in missing)
            raise InputError(f"missing criteria: {names}", file=self.file, location=self.header_where,
                             fix="add a column for each (use 'vnindustry products template' for the layout), "
                                 "or give weights that leave them out")
        rows = []
        for cand in self.candidates:
            row = []
            for code in codes:
                if code not in cand.values:
                    raise InputError(f"product '{cand.code}' has no value for {criterion(code).label()}",
                                     file=self.file, location=cand.where, fix="enter a number")
                row.append(float(cand.values[code]))
            rows.append(row)
        return np.array(rows, dtype=float).reshape(len(self.candidates), len(codes))


def make_table(rows: Iterable[tuple[str, str, Mapping[str, float]]], *, source: str = "code") -> CriteriaTable:
    """A table from ``(product code, name, {criterion: value})`` rows (tests, the store, notebooks)."""
    candidates = []
    codes: list[str] = []
    seen: set[str] = set()
    for product, name, values in rows:
        if product in seen:
            raise InputError(f"product '{product}' appears twice", location=source, fix="keep one row per product")
        seen.add(product)
        for code, value in values.items():
            check_value(code, float(value), where=f"{source}, product '{product}'")
            if code not in codes:
                codes.append(code)
        candidates.append(Candidate(product, name, {k: float(v) for k, v in values.items()},
                                    {k: source for k in values}, where=f"{source}, product '{product}'"))
    return CriteriaTable(tuple(codes), tuple(candidates), header_where=source)


def fill_values(table: CriteriaTable, values: Mapping[tuple[str, str], float], source: str,
                *, overwrite: bool = False) -> CriteriaTable:
    """``table`` with ``values[(product, criterion)]`` filled in (from the store, say), origins recorded.

    Values already in the table are kept unless ``overwrite``: a figure entered by hand is a deliberate
    choice. Products not in the table are ignored (the candidate list is the Department's decision).
    """
    codes = list(table.criteria)
    candidates = []
    for cand in table.candidates:
        vals, origins = dict(cand.values), dict(cand.origins)
        for (product, code), value in values.items():
            if product != cand.code or (code in vals and not overwrite):
                continue
            vals[code] = check_value(code, float(value), where=f"{source}, product '{product}'")
            origins[code] = source
            if code not in codes:
                codes.append(code)
        candidates.append(replace(cand, values=vals, origins=origins))
    return replace(table, criteria=tuple(codes), candidates=tuple(candidates))
