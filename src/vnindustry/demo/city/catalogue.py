"""The demo city's catalogue, read from demo/data (leaves.csv, products.csv), and the industry tree over its
leaves, with the names of its nodes (industries.csv)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from vnindustry.classification.vsic import load_vsic, vsic_entry
from vnindustry.demo.city.seasonality import _PROFILES

TOTAL_CODE = "TOTAL"
TOTAL_NAME_VI = "Toàn ngành công nghiệp"
TOTAL_NAME_EN = "Total industry"


@dataclass(frozen=True)
class _Leaf:
    code: str
    enterprises: float
    size: float  # median production value per enterprise-month, billion VND
    va_ratio: float
    trend: float  # %/year
    profile: str
    covid: float


@dataclass(frozen=True)
class _Product:
    code: str
    industry: str
    name_vi: str
    unit: str
    price: float  # million VND per unit, base year
    profile: str | None
    trend: float | None
    covid: float | None


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("vnindustry.demo").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _opt_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _read_leaves() -> list[_Leaf]:
    out = []
    for r in _data_rows("leaves.csv"):
        vsic_entry(r["industry"])  # a catalogue typo should fail here, not produce an orphan node
        if r["profile"] not in _PROFILES:
            raise ValueError(f"leaves.csv: unknown profile {r['profile']!r}")
        out.append(_Leaf(r["industry"], float(r["enterprises"]), float(r["size"]), float(r["va_ratio"]),
                         float(r["trend"]), r["profile"], float(r["covid"])))
    return out


def _read_products() -> list[_Product]:
    out = []
    for r in _data_rows("products.csv"):
        profile = r["profile"] or None
        if profile is not None and profile not in _PROFILES:
            raise ValueError(f"products.csv: unknown profile {profile!r} for {r['code']}")
        out.append(_Product(r["code"], r["industry"], r["name_vi"], r["unit"], float(r["price"]), profile,
                            _opt_float(r["trend"]), _opt_float(r["covid"])))
    return out


def _names(code: str) -> tuple[str, str]:
    if code == TOTAL_CODE:
        return TOTAL_NAME_VI, TOTAL_NAME_EN
    e = vsic_entry(code)
    return e.name_vi, e.name_en


def _build_tree(leaves: Sequence[str]) -> list[tuple[str, str]]:
    """The industry tree over ``leaves``: (code, parent) rows, root first, then depth-first VSIC order.

    Nodes are the leaves and their VSIC ancestors under a ``TOTAL`` root. Group-level nodes that would
    only repeat their single child, or be the single child of their division, are left out (their
    children hang from the division), so no published aggregate is a copy of another.
    """
    parent: dict[str, str] = {}
    for leaf in leaves:
        code = leaf
        while code != TOTAL_CODE and code not in parent:
            up = vsic_entry(code).parent
            parent[code] = up if up is not None else TOTAL_CODE
            code = parent[code]
    leaf_set = set(leaves)

    def children(code: str) -> list[str]:
        return [c for c, p in parent.items() if p == code]

    changed = True
    while changed:
        changed = False
        for code in list(parent):
            if code in leaf_set or vsic_entry(code).level not in ("group", "class"):
                continue
            kids = children(code)
            if len(kids) == 1 or len(children(parent[code])) == 1:
                for kid in kids:
                    parent[kid] = parent[code]
                del parent[code]
                changed = True
                break

    order = {e.code: i for i, e in enumerate(load_vsic())}
    rows: list[tuple[str, str]] = [(TOTAL_CODE, "")]

    def visit(code: str) -> None:
        for kid in sorted(children(code), key=order.__getitem__):
            rows.append((kid, parent[kid]))
            visit(kid)

    visit(TOTAL_CODE)
    return rows
