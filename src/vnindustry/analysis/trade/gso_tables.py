"""GSO's trade tables as GSO prints them: the total, the sectors, then the commodities in the sheet's row order.

GSO's export (import) sheet is a hierarchy, not a list: "TỔNG TRỊ GIÁ", the sectors ("Khu vực kinh tế trong
nước", "Khu vực có vốn đầu tư NN" — exports also split the latter into crude oil and other goods), then
"MẶT HÀNG CHỦ YẾU", the commodity groups in GSO's own order with their "Trong đó" rows under them. The store
keeps each row's place (kind, level, parent) and where it was printed (``sheet!cell`` or ``file!line N``);
:func:`printed_rows` puts a month's rows back in that order for ``/trade`` and the bulletin. Crude oil appears
once, as the commodity (the FDI sector's crude-oil part carries the same figure); the rows derived from the
printed ones (:mod:`.crude_oil`) are not part of GSO's table and are left out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from vnindustry.analysis.indicators import Line, TableView
from vnindustry.sources.gso.crude_oil import DERIVED_KIND

__all__ = ["PrintedRow", "printed_order", "printed_rows"]

_FDI_PARTS = ("khu-vuc-co-von-dau-tu-nn.dau-tho", "khu-vuc-co-von-dau-tu-nn.hang-hoa-khac")
_ROW = re.compile(r"(?:!|^)(?:[A-Z]{1,3}(\d+)|line (\d+))")


@dataclass(frozen=True)
class PrintedRow:
    """One row of a GSO trade table as printed: ``part`` is "total", "sector" or "commodity"; ``depth`` 0 for
    the total and top rows, 1 for a row under another ("Trong đó", a sector's part)."""

    part: str
    depth: int
    line: Line


def printed_order(provenance: object) -> float:
    """The row number a figure was printed at: "14.XK!D26" → 26, "xk.csv!line 19" → 19; ∞ when unknown."""
    if provenance is None or (isinstance(provenance, float) and math.isnan(provenance)):
        return math.inf
    match = _ROW.search(str(provenance))
    if match is None:
        return math.inf
    return float(match.group(1) or match.group(2))


def printed_rows(view: TableView) -> list[PrintedRow]:
    """The month's rows of a GSO exports or imports table in GSO's order and hierarchy (see the module)."""
    rows = view.rows
    if rows.empty:
        return []
    rows = rows[(rows["kind"] != DERIVED_KIND) & (rows["kind"] != "adjusted") & ~rows["code"].isin(_FDI_PARTS)]
    order = (rows["provenance"].map(printed_order) if "provenance" in rows
             else pd.Series(math.inf, index=rows.index))
    part = rows["kind"].map({"total": "total", "group": "sector"}).fillna("commodity")
    rank = part.map({"total": 0, "sector": 1, "commodity": 2})
    ordered = rows.assign(_part=part, _rank=rank, _order=order).sort_values(
        ["_rank", "_order", "code"], kind="stable")
    out = []
    for record in ordered.to_dict("records"):
        depth = 1 if "." in str(record["code"]) else 0
        out.append(PrintedRow(str(record["_part"]), depth, view.line(record)))
    # An "of which" row follows its parent even where a history file printed it elsewhere.
    return _under_parents(out)


def _under_parents(rows: list[PrintedRow]) -> list[PrintedRow]:
    tops = [r for r in rows if r.depth == 0]
    children: dict[str, list[PrintedRow]] = {}
    for r in rows:
        if r.depth:
            children.setdefault(r.line.code.rsplit(".", 1)[0], []).append(r)
    out = []
    for r in tops:
        out.append(r)
        out.extend(children.pop(r.line.code, []))
    for orphans in children.values():  # a sub-row whose parent is not printed this month stays, at the end
        out.extend(orphans)
    return out
