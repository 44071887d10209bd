"""The headline cards (:class:`Card`): a figure, its changes in words, its 25-month chart and its CSV link — the
home page's and the trade page's."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pandas as pd
from markupsafe import Markup

from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView
from vnindustry.periods import month_code, parse_month
from vnindustry.publish.wording import change
from vnindustry.web.api import PREFIX
from vnindustry.web.labels import status_name
from vnindustry.web.pages.charts import bars_svg
from vnindustry.web.pages.words import t

HISTORY = 25  # months in each card's chart


def _history(view: TableView | None, code: str, column: str, period: str) -> list[tuple[str, float]]:
    """(period, value) of row ``code`` over the last HISTORY months to ``period`` (NaN where missing)."""
    if view is None or view.window.empty:
        return []
    rows = view.window[view.window["code"] == code]
    key = parse_month(period)
    assert key is not None
    months = [month_code(k) for k in range(key - HISTORY + 1, key + 1)]
    by_period = rows.set_index("period")[column] if column in rows else pd.Series(dtype=float)
    pts = [(m, float(by_period.get(m, math.nan))) for m in months]
    # Start at the first month with a figure: a store with 2 months draws 2 bars, not 23 gaps.
    first = next((i for i, (_, v) in enumerate(pts) if not math.isnan(v)), len(pts))
    return pts[first:]


@dataclass
class Card:
    title: str
    status: str
    value: str = ""
    changes: list[tuple[str, str]] = field(default_factory=list)
    chart: Markup = field(default_factory=Markup)
    chart_title: str = ""
    csv: str = ""


def _csv_url(key: str, **extra: str) -> str:
    return f"{PREFIX}/series/{quote(key)}/observations?" + urlencode({"format": "csv", **extra})


def _changes(line: Line, lang: str, *, ytd: bool = True) -> list[tuple[str, str]]:
    out = []
    if not math.isnan(line.prev_month):
        out.append((t("prev_month", lang), change(line.prev_month, lang)))
    if not math.isnan(line.same_month_last_year):
        out.append((t("same_month", lang), change(line.same_month_last_year, lang)))
    if ytd and not math.isnan(line.ytd):
        text = change(line.ytd, lang)
        if not math.isnan(line.ytd_prev):
            text += f" ({t('ytd_prev', lang)} {change(line.ytd_prev, lang)})"
        out.append((t("ytd", lang), text))
    return out


def _status(line: Line, lang: str) -> str:
    return status_name(line.status, lang) if line.status and line.status != "nan" else ""


def _yoy_card(title: str, view: TableView, line: Line, ind: MonthlyIndicators, lang: str, value: str = "") -> Card:
    pts = _history(view, line.code, "chg_same_month_last_year", ind.period)
    chart_title = f"{title} — {t('chart_yoy', lang)}"
    return Card(title, _status(line, lang), value, _changes(line, lang),
                bars_svg(pts, lang, title=chart_title, unit="%"),
                chart_title, _csv_url(f"{ind.source}/{_table_of(view)}/{line.code}"))


def _table_of(view: TableView) -> str:
    return str(view.rows["table"].iloc[0]) if "table" in view.rows and len(view.rows) else "iip"
