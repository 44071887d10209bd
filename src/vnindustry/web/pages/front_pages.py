"""The front of the dashboard: the home page (``/``: headline cards for the latest month of the chosen source)
and the about page (``/about``: sources, method, revision policy)."""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from vnindustry.analysis.indicators import MonthlyIndicators, monthly_indicators
from vnindustry.names import unit_in
from vnindustry.publish.bulletin import CRUDE_OIL
from vnindustry.publish.wording import money_vnd, month_name
from vnindustry.web.api import PREFIX
from vnindustry.web.cache import Rendered
from vnindustry.web.pages.cards import HISTORY, Card, _csv_url, _history, _yoy_card
from vnindustry.web.pages.charts import bars_svg
from vnindustry.web.pages.rendering import LangQuery, SourceQuery, _api, _page, _serve, _source_name, _url
from vnindustry.web.pages.selection import SeriesIndex, default_source, latest_month, series_index
from vnindustry.web.pages.words import t


def home_cards(ind: MonthlyIndicators, lang: str) -> list[Card]:
    cards: list[Card] = []
    iip = ind.table("iip")
    if iip is not None and (total := iip.total()) is not None:
        cards.append(_yoy_card(t("iip", lang) + " (IIP)", iip, total, ind, lang))
        groups = iip.lines(kind="group")
        if groups:
            cards.append(_yoy_card(groups[0].name(lang), iip, groups[0], ind, lang))
    retail = ind.table("retail")
    if retail is not None and (line := retail.total()) is not None:
        value = money_vnd(line.level, lang) if not math.isnan(line.level) else ""
        card = _yoy_card(t("retail", lang), retail, line, ind, lang, value)
        pts = _history(retail, line.code, "level", ind.period)
        if not card.chart and pts:
            card.chart_title = f"{t('retail', lang)} — {t('chart_level', lang)}"
            card.chart = bars_svg(pts, lang, title=card.chart_title, decimals=0, unit=unit_in(line.unit, lang))
        cards.append(card)
    from vnindustry.web.trade_pages import home_trade_cards  # the trade module reads this one

    cards.extend(home_trade_cards(ind, lang))
    return cards


async def home(request: Request, lang: LangQuery = "vi", source: SourceQuery = None) -> Response:
    """Headline cards for the latest month of the chosen source."""
    api = _api(request)

    def build() -> Rendered:
        index = series_index(api)
        src = source or default_source(index)
        period = latest_month(index, src)
        cards, month, ind = [], "", None
        if period is not None:
            ind = monthly_indicators(api.store, period, src, history_months=HISTORY, keys=home_keys(index, src))
            cards, month = home_cards(ind, lang), month_name(period, lang)
        return _page(request, "home.html.j2", lang, _csv_url(f"{src}/iip/TOTAL"), cards=cards, month=month,
                     source=src, indicators=ind, source_name=_source_name(src, lang), period=period,
                     sources=[(s, _url(request, source=s)) for s in ("city", "gso")])

    return await _serve(request, ("home", lang, source), build)


def home_keys(index: SeriesIndex, source: str) -> list[str]:
    """The series the home cards read: IIP total and groups, retail total, trade totals and crude oil."""
    def wanted(i: dict[str, Any]) -> bool:
        if i["source"] != source:
            return False
        if i["table"] == "iip":
            return i["kind"] in ("total", "group")
        if i["table"] == "retail":
            return i["kind"] == "total"
        if i["table"] in ("exports", "imports", "trade_balance"):  # derived: excluding crude oil, the balance
            return i["kind"] in ("total", "derived") or i["code_in_table"] in CRUDE_OIL
        return False

    return [i["code"] for i in index.items if wanted(i)] or ["-"]


async def about(request: Request, lang: LangQuery = "vi") -> Response:
    """Sources, method summary and revision policy."""
    def build() -> Rendered:
        return _page(request, "about.html.j2", lang, f"{PREFIX}/releases",
                     sources=[_source_name(s, lang) for s in ("city", "gso")], synthetic=False)

    return await _serve(request, ("about", lang), build)
