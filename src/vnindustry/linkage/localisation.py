"""Localisation (tỷ lệ nội địa hóa) of a buyer's inputs, from its declared purchases (issue 14, item 5).

Two figures, kept apart, per buyer and period: the share of input value bought from suppliers **located in Viet
Nam** (FDI suppliers in Viet Nam included), and the share from **Vietnamese-owned** suppliers. Both are value
sums over all the buyer's declared input purchases of the period (``purchases.csv``:
``buyer,period,supplier,hs,value_vnd,supplier_located_in_vn,supplier_vn_owned``), computed unrounded.

Against the buyer's target (``buyers.csv``'s ``localisation_target_pct``) the gap is measured on the latest
twelve months. The open needs that would close it: for each need, the value the buyer bought abroad over those
twelve months in the need's HS heading (the first four digits) — what would move into Viet Nam if a local
supplier took the need; the needs are taken in decreasing order of that value until the gap is closed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vnindustry.errors import InputError
from vnindustry.linkage.csvfiles import Buyer
from vnindustry.linkage.hs import normalise
from vnindustry.linkage.profiles import Need
from vnindustry.periods import month_code, parse_month

__all__ = ["PURCHASE_COLUMNS", "Gap", "Purchase", "Share", "gap", "read_purchases", "shares"]

PURCHASE_COLUMNS = ("buyer", "period", "supplier", "hs", "value_vnd", "supplier_located_in_vn",
                    "supplier_vn_owned")
_FLAGS = {"1": True, "0": False, "yes": True, "no": False, "true": True, "false": False, "có": True,
          "không": False}


@dataclass(frozen=True)
class Purchase:
    """One declared input purchase: a buyer's month, from one supplier, of one HS code, in VND."""

    buyer: str
    period: str
    supplier: str
    hs: str
    value: float
    located_in_vn: bool
    vn_owned: bool


@dataclass(frozen=True)
class Share:
    """A buyer's inputs in a period: total value, value from suppliers located in VN and from VN-owned ones."""

    buyer: str
    period: str
    total: float
    located_in_vn: float
    vn_owned: float

    @property
    def located_pct(self) -> float:
        return 100 * self.located_in_vn / self.total if self.total else math.nan

    @property
    def vn_owned_pct(self) -> float:
        return 100 * self.vn_owned / self.total if self.total else math.nan


@dataclass(frozen=True)
class Gap:
    """A buyer against its target over the latest twelve months, and the needs that would close the gap."""

    buyer: str
    start: str
    end: str
    target_pct: float | None
    located_pct: float
    vn_owned_pct: float
    needs: tuple[tuple[str, float, float], ...]  # (need, value bought abroad in its heading, share after it, %)

    @property
    def gap_pct(self) -> float | None:
        """Points below the target (0 when met); None without a target."""
        return None if self.target_pct is None else max(0.0, self.target_pct - self.located_pct)


def read_purchases(path: Path) -> list[Purchase]:
    """``purchases.csv`` whole, or :class:`InputError` naming the file, line and column."""
    path = Path(path)
    out = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in PURCHASE_COLUMNS if c not in header]
        if missing:
            raise InputError(f"the header lacks column(s) {', '.join(missing)}", file=path, line=1,
                             fix=f"the first line must name the columns {','.join(PURCHASE_COLUMNS)}")
        for fields in reader:
            line = reader.line_num
            if not any(x.strip() for x in fields):
                continue
            if len(fields) != len(header):
                raise InputError(f"{len(fields)} fields where the header has {len(header)}", file=path, line=line,
                                 fix="give every column, even empty")
            r = dict(zip(header, (x.strip() for x in fields), strict=True))
            key = parse_month(r["period"])
            if key is None:
                raise InputError(f"{r['period']!r} is not a month", file=path, line=line, column="period",
                                 fix="write the month as YYYY-MM")
            code = normalise(r["hs"])
            if code is None:
                raise InputError(f"{r['hs']!r} is not an HS code of 4 or 6 digits", file=path, line=line,
                                 column="hs", fix="write the heading (8501) or the subheading (850110)")
            try:
                value = float(r["value_vnd"])
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value < 0:
                raise InputError(f"{r['value_vnd']!r} is not a value", file=path, line=line, column="value_vnd",
                                 fix="write the value in VND, digits only")
            flags = []
            for column in ("supplier_located_in_vn", "supplier_vn_owned"):
                flag = _FLAGS.get(r[column].lower())
                if flag is None:
                    raise InputError(f"{r[column]!r} is not 1 or 0", file=path, line=line, column=column,
                                     fix="write 1 (yes) or 0 (no)")
                flags.append(flag)
            out.append(Purchase(r["buyer"], month_code(key), r["supplier"], code, value, flags[0], flags[1]))
    return out


def shares(purchases: Iterable[Purchase], *, by: str = "month") -> list[Share]:
    """Each buyer's localisation per month (``by="month"``) or per year (``"year"``), sorted by buyer, period."""
    if by not in ("month", "year"):
        raise ValueError(f"by must be month or year, not {by!r}")
    sums: dict[tuple[str, str], list[float]] = {}
    for p in purchases:
        period = p.period if by == "month" else p.period[:4]
        s = sums.setdefault((p.buyer, period), [0.0, 0.0, 0.0])
        s[0] += p.value
        s[1] += p.value if p.located_in_vn else 0.0
        s[2] += p.value if p.vn_owned else 0.0
    return [Share(b, period, *v) for (b, period), v in sorted(sums.items())]


def gap(purchases: Sequence[Purchase], buyer: Buyer, needs: Iterable[Need]) -> Gap:
    """``buyer``'s localisation over its latest twelve declared months against its target, and which of its open
    ``needs`` would close the gap (see the module docstring)."""
    own = [p for p in purchases if p.buyer == buyer.id]
    if not own:
        raise ValueError(f"no purchases declared by {buyer.id}")
    end = max(parse_month(p.period) for p in own)  # type: ignore[type-var]
    window = [p for p in own if end - 11 <= parse_month(p.period) <= end]  # type: ignore[operator]
    total = sum(p.value for p in window)
    located = sum(p.value for p in window if p.located_in_vn)
    owned = sum(p.value for p in window if p.vn_owned)
    abroad: dict[str, float] = {}
    for p in window:
        if not p.located_in_vn:
            abroad[p.hs[:4]] = abroad.get(p.hs[:4], 0.0) + p.value
    candidates = []
    for n in needs:
        if n.buyer != buyer.id or not n.hs:
            continue
        value, heading = max((abroad.get(code[:4], 0.0), code[:4]) for code in n.hs)
        if value > 0:
            candidates.append((n.id, heading, value))
    candidates.sort(key=lambda x: (-x[2], x[0]))
    target = buyer.target_pct
    chosen = []
    moved = located
    taken: set[str] = set()
    for need_id, heading, value in candidates:
        if heading in taken:
            continue  # two needs of one heading move the same imports once
        taken.add(heading)
        moved += value
        chosen.append((need_id, value, 100 * moved / total))
        if target is not None and 100 * moved / total >= target:
            break
    return Gap(buyer.id, month_code(end - 11), month_code(end), target, 100 * located / total, 100 * owned / total,
               tuple(chosen))
