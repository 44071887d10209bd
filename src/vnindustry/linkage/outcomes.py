"""What came of the meetings (issue 14, item 4): results on the day and at +3 and +6 months, and the funnel.

``outcomes.csv``: ``event,buyer,supplier,stage,result,po_value_vnd`` — ``stage`` ``meeting`` (the day), ``3m`` or
``6m``; ``result`` one of :data:`RESULTS`, in the order a contact moves through them; ``po_value_vnd`` the
purchase orders of an agreement (empty otherwise). A meeting counts at its latest stage reported. The funnel
counts, for each result, the meetings that reached it or a later one (so each step is at most the one before),
and sums the purchase-order value — per event, per buyer or per sector (the suppliers' sector, from their first
HS chapter, or a mapping given by the caller).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from vnindustry.errors import InputError

__all__ = ["RESULTS", "RESULT_NAMES", "STAGES", "Funnel", "Outcome", "funnel", "latest", "read_outcomes"]

RESULTS = ("no_contact", "information", "valuable_contact", "negotiation", "agreement")
RESULT_NAMES = {
    "no_contact": ("Không liên hệ tiếp", "No contact"),
    "information": ("Có thêm thông tin", "Information gained"),
    "valuable_contact": ("Quan hệ có giá trị", "Valuable contact"),
    "negotiation": ("Đang đàm phán", "Negotiation started"),
    "agreement": ("Đã ký kết", "Agreement reached"),
}
STAGES = ("meeting", "3m", "6m")
OUTCOME_COLUMNS = ("event", "buyer", "supplier", "stage", "result", "po_value_vnd")


@dataclass(frozen=True)
class Outcome:
    """One report of a meeting's result at one stage."""

    event: str
    buyer: str
    supplier: str
    stage: str
    result: str
    po_value: float = 0.0


@dataclass(frozen=True)
class Funnel:
    """Meetings of a group that reached each result or a later one, and the purchase-order value."""

    group: str
    meetings: int
    reached: dict[str, int]
    po_value: float


def read_outcomes(path: Path) -> list[Outcome]:
    """``outcomes.csv`` whole, or :class:`InputError` naming the file, line and column."""
    path = Path(path)
    out = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in OUTCOME_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"the header lacks column(s) {', '.join(missing)}", file=path, line=1,
                             fix=f"the first line must name the columns {','.join(OUTCOME_COLUMNS)}")
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise InputError("a short or long line", file=path, line=line, fix="give every column, even empty")
            if row["stage"] not in STAGES:
                raise InputError(f"{row['stage']!r} is not a stage", file=path, line=line, column="stage",
                                 fix="write meeting, 3m or 6m")
            if row["result"] not in RESULTS:
                raise InputError(f"{row['result']!r} is not a result", file=path, line=line, column="result",
                                 fix="write one of " + ", ".join(RESULTS))
            value = 0.0
            if row["po_value_vnd"].strip():
                try:
                    value = float(row["po_value_vnd"])
                except ValueError:
                    value = math.nan
                if not math.isfinite(value) or value < 0:
                    raise InputError(f"{row['po_value_vnd']!r} is not a value", file=path, line=line,
                                     column="po_value_vnd", fix="write the purchase orders in VND, digits only")
            out.append(Outcome(row["event"], row["buyer"], row["supplier"], row["stage"], row["result"], value))
    return out


def latest(outcomes: Iterable[Outcome]) -> dict[tuple[str, str, str], Outcome]:
    """Each meeting (event, buyer, supplier) at its latest reported stage."""
    best: dict[tuple[str, str, str], Outcome] = {}
    for o in outcomes:
        key = (o.event, o.buyer, o.supplier)
        if key not in best or STAGES.index(o.stage) >= STAGES.index(best[key].stage):
            best[key] = o
    return best


def funnel(outcomes: Iterable[Outcome], *, by: str = "event",
           sector_of: Callable[[str], str] | None = None) -> list[Funnel]:
    """The funnel per ``by``: ``event``, ``buyer`` or ``sector`` (``sector_of(supplier)``; by default the
    supplier id's group as given), and ``all`` for one line."""
    if by not in ("event", "buyer", "sector", "all"):
        raise ValueError(f"by must be event, buyer, sector or all, not {by!r}")
    groups: dict[str, list[Outcome]] = {}
    for (event, buyer, supplier), o in sorted(latest(outcomes).items()):
        key = {"event": event, "buyer": buyer, "all": "all",
               "sector": (sector_of or (lambda s: s))(supplier)}[by]
        groups.setdefault(key, []).append(o)
    out = []
    for key, items in sorted(groups.items()):
        level = [RESULTS.index(o.result) for o in items]
        reached = {r: sum(1 for v in level if v >= i) for i, r in enumerate(RESULTS)}
        out.append(Funnel(key, len(items), reached, sum(o.po_value for o in items)))
    return out
