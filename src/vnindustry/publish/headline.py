"""The headline paragraph of the monthly bulletin, from a compiled IIP table.

Register and phrasing follow the Department's reports (see tests/data/bulletin-style-hcmc-2020-11.txt):
"Chỉ số sản xuất công nghiệp (IIP) tháng 11 năm 2020 tăng 3,4% so với tháng trước và tăng 0,2% so với
cùng kỳ năm trước … lũy kế 11 tháng/2020 chỉ số IIP giảm 4,4% (cùng kỳ tăng 7,4%) …"
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.publish.numbers import format_change


@dataclass(frozen=True)
class Headline:
    """The figures behind the paragraph, unrounded."""

    period: str
    mom: float
    yoy: float
    ytd: float
    ytd_prev: float
    group_name: str | None
    group_ytd: float
    group_ytd_prev: float
    fastest: list[tuple[str, float]]
    slowest: list[tuple[str, float]]


def _num(x: object) -> float:
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def headline_figures(table: pd.DataFrame, period: str | None = None, *, rank_level: int = 2, top: int = 3
                     ) -> Headline:
    """Pick the figures for ``period`` (default: the latest) from an iip.csv-shaped table.

    Industries are ranked by year-on-year change among nodes at ``rank_level`` of the tree
    (2 = VSIC divisions under the sections); the first group in the table is the key-industry group.
    """
    if period is None:
        period = str(table["period"].max())
    rows = table[table["period"] == period]
    if rows.empty:
        span = f"{table['period'].min()}–{table['period'].max()}"
        raise ValueError(f"no rows for period {period}; the table covers {span}")
    total = rows[rows["kind"] == "total"].iloc[0]
    groups = rows[rows["kind"] == "group"]
    group = groups.iloc[0] if not groups.empty else None
    level = rows[(rows["kind"] == "industry") & (rows["level"] == rank_level)]
    if level.empty:
        level = rows[rows["kind"] == "industry"]
    ranked = level.assign(yoy=level["yoy_pct"].map(_num)).dropna(subset=["yoy"]).sort_values("yoy")
    fastest = [(r.name_vi, r.yoy) for r in ranked.iloc[::-1].head(top).itertuples()]
    slowest = [(r.name_vi, r.yoy) for r in ranked.head(top).itertuples()]
    return Headline(
        period=period,
        mom=_num(total["mom_pct"]), yoy=_num(total["yoy_pct"]),
        ytd=_num(total["ytd_pct"]), ytd_prev=_num(total["ytd_prev_pct"]),
        group_name=None if group is None else str(group["name_vi"]),
        group_ytd=math.nan if group is None else _num(group["ytd_pct"]),
        group_ytd_prev=math.nan if group is None else _num(group["ytd_prev_pct"]),
        fastest=fastest, slowest=slowest,
    )


def _change(x: float) -> str | None:
    return None if math.isnan(x) else format_change(x, 1, "vi")


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:] if name and not name[:2].isupper() else name


def headline_vi(table: pd.DataFrame, period: str | None = None, **kwargs: int) -> str:
    """The Vietnamese headline paragraph for ``period`` (default: the latest in ``table``)."""
    h = headline_figures(table, period, **kwargs)
    key = parse_month(h.period)
    assert key is not None
    month, year = month_of(key), year_of(key)
    parts = []
    lead = f"Chỉ số sản xuất công nghiệp (IIP) tháng {month} năm {year}"
    comparisons = []
    if (c := _change(h.mom)) is not None:
        comparisons.append(f"{c} so với tháng trước")
    if (c := _change(h.yoy)) is not None:
        comparisons.append(f"{c} so với cùng kỳ năm trước")
    parts.append(f"{lead} {' và '.join(comparisons)}." if comparisons else f"{lead}: chưa đủ số liệu để so sánh.")
    if month > 1 and (c := _change(h.ytd)) is not None:
        prev = _change(h.ytd_prev)
        sentence = f"Lũy kế {month} tháng/{year}, chỉ số IIP {c}" + (f" (cùng kỳ {prev})" if prev else "")
        if h.group_name and (g := _change(h.group_ytd)) is not None:
            gprev = _change(h.group_ytd_prev)
            sentence += f"; {_lower_first(h.group_name)} {g}" + (f" (cùng kỳ {gprev})" if gprev else "")
        parts.append(sentence + ".")
    elif h.group_name and month == 1 and not math.isnan(h.group_ytd):
        parts.append(f"{h.group_name} {format_change(h.group_ytd, 1, 'vi')} so với cùng kỳ năm trước.")
    rising = [(n, v) for n, v in h.fastest if v > 0]
    if rising:
        items = ", ".join(f"{_lower_first(n)} ({format_change(v, 1, 'vi')})" for n, v in rising)
        parts.append(f"Các ngành tăng cao so với cùng kỳ năm trước: {items}.")
    slow = [(n, v) for n, v in h.slowest if (n, v) not in rising]
    if slow:
        items = ", ".join(f"{_lower_first(n)} ({format_change(v, 1, 'vi')})" for n, v in slow)
        if all(v < 0 for _, v in slow):
            parts.append(f"Các ngành giảm mạnh nhất so với cùng kỳ năm trước: {items}.")
        elif any(v < 0 for _, v in slow):
            parts.append(f"Các ngành tăng thấp hoặc giảm so với cùng kỳ năm trước: {items}.")
        else:
            parts.append(f"Các ngành tăng thấp nhất so với cùng kỳ năm trước: {items}.")
    return " ".join(parts)
