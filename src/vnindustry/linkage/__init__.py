"""Supporting-industry linkage (issue 14): supplier profiles, buyers' sourcing needs, explainable matching.

Out of the box::

    from vnindustry.linkage import match, read_needs, read_suppliers

    suppliers, _ = read_suppliers("suppliers.csv")
    needs, _ = read_needs("needs.csv")
    for m in match(suppliers, needs).of("N01"):
        print(m.rank, m.supplier, round(m.score, 1), m.reasons())

Modules: ``vocab`` (the declared process and certification lists, ``data/*.csv``), ``profiles`` (suppliers,
needs, certificates), ``csvfiles`` (the CSV formats of docs/linkage.md), ``hs`` (HS closeness), ``text``
(Vietnamese segmentation and folding), ``bm25``, ``matching`` (filters, score terms, reasons), ``evaluation``
(recall@k and nDCG against a labelled set).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vnindustry.linkage.csvfiles import read_needs, read_suppliers
    from vnindustry.linkage.matching import Match, MatchResult, Weights, match
    from vnindustry.linkage.profiles import Need, Supplier

__all__ = ["Match", "MatchResult", "Need", "Supplier", "Weights", "match", "read_needs", "read_suppliers"]

# Imported when first asked for: a bulletin's annex reads the matchmaking outcomes (a submodule) and needs neither
# the CSV readers nor the matching, whose imports were a tenth of what a bulletin imports beyond the store.
_HOME = {"read_needs": "csvfiles", "read_suppliers": "csvfiles", "Match": "matching", "MatchResult": "matching",
         "Weights": "matching", "match": "matching", "Need": "profiles", "Supplier": "profiles"}


def __getattr__(name: str) -> object:
    if name in _HOME:
        return getattr(importlib.import_module(f"vnindustry.linkage.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
