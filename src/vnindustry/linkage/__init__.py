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

from vnindustry.linkage.csvfiles import read_needs, read_suppliers
from vnindustry.linkage.matching import Match, MatchResult, Weights, match
from vnindustry.linkage.profiles import Need, Supplier

__all__ = ["Match", "MatchResult", "Need", "Supplier", "Weights", "match", "read_needs", "read_suppliers"]
