"""The headline paragraph straight from a compiled IIP table (what ``vnindustry demo`` prints).

It uses the bulletin's own IIP wording (publish/iip_section.py), so the demo and the bulletin say the same
thing the same way.
"""

from __future__ import annotations

import math

import pandas as pd

from vnindustry.analysis.indicators import Line
from vnindustry.publish.iip_section import iip_paragraphs
from vnindustry.publish.wording import gso_style


def _line(row: pd.Series, ytd_prev: float, status: str) -> Line:
    def num(c: str) -> float:
        v = row.get(c, math.nan)
        try:
            return math.nan if v is None or pd.isna(v) else float(v)
        except (TypeError, ValueError):
            return math.nan

    return Line(str(row["code"]), str(row["name_vi"]), str(row.get("name_en") or ""), "", status,
                level=num("index"), prev_month=num("mom_pct"), same_month_last_year=num("yoy_pct"),
                ytd=num("ytd_pct"), ytd_prev=ytd_prev)


def headline_lines(table: pd.DataFrame, period: str | None = None, *, rank_level: int = 2, top: int = 3,
                   status: str = "actual") -> tuple[Line, Line | None, list[Line], list[Line], str]:
    """(total, first group, fastest, slowest, period) from an iip.csv-shaped table; default: latest month."""
    if period is None:
        period = str(table["period"].max())
    rows = table[table["period"] == period]
    if rows.empty:
        span = f"{table['period'].min()}–{table['period'].max()}"
        raise ValueError(f"no rows for period {period}; the table covers {span}")

    # Confidential cells (the compile's suppression column) are not quoted: a cell suppressed this month or
    # twelve months ago has no publishable year-on-year change (store/disclosure.py has the full rule).
    secret: set[tuple[str, str]] = set()
    if "suppression" in table.columns:
        hit = table[table["suppression"].fillna("") != ""]
        secret = set(zip(hit["code"].astype(str).tolist(), hit["period"].astype(str).tolist(), strict=True))
    year_ago = f"{int(period[:4]) - 1}{period[4:]}"

    def withheld(row: pd.Series) -> bool:
        return (str(row["code"]), period) in secret or (str(row["code"]), year_ago) in secret

    def line(row: pd.Series) -> Line:
        prev = row.get("ytd_prev_pct", math.nan)
        if withheld(row):
            row = row.drop(["index", "mom_pct", "yoy_pct", "ytd_pct"], errors="ignore")
            prev = math.nan
        return _line(row, math.nan if prev is None or pd.isna(prev) else float(prev), status)

    total = line(rows[rows["kind"] == "total"].iloc[0])
    groups = rows[rows["kind"] == "group"]
    group = line(groups.iloc[0]) if not groups.empty else None
    level = rows[(rows["kind"] == "industry") & (rows["level"] == rank_level)]
    if level.empty:
        level = rows[rows["kind"] == "industry"]
    ranked = [line(r) for _, r in level.iterrows() if not withheld(r)]
    ranked = sorted((x for x in ranked if not math.isnan(x.same_month_last_year)),
                    key=lambda x: x.same_month_last_year)
    return total, group, ranked[::-1][:top], ranked[:top], period


def headline(table: pd.DataFrame, period: str | None = None, lang: str = "vi", **kwargs: object) -> str:
    """The headline paragraph for ``period`` (default: the latest in ``table``) in ``lang``."""
    total, group, fastest, slowest, period = headline_lines(table, period, **kwargs)  # type: ignore[arg-type]
    text = " ".join(iip_paragraphs(None, total, [group] if group is not None else [], fastest, slowest, period,
                                   lang))
    return gso_style(text) if lang == "vi" else text  # one diacritic style, as in the bulletin


def headline_vi(table: pd.DataFrame, period: str | None = None, **kwargs: object) -> str:
    """The Vietnamese headline paragraph (see :func:`headline`)."""
    return headline(table, period, "vi", **kwargs)
