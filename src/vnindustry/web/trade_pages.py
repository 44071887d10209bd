"""The dashboard's trade: the home page's export, import and balance cards and the ``/trade`` page."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from markupsafe import Markup

from vnindustry.analysis.indicators import MonthlyIndicators
from vnindustry.publish.bulletin import CRUDE_OIL, DOMESTIC, FOREIGN
from vnindustry.publish.numbers import format_number
from vnindustry.publish.wording import money_usd, month_name
from vnindustry.web.cache import Rendered
from vnindustry.web.pages import (
    HISTORY,
    Card,
    LangQuery,
    PeriodQuery,
    SourceQuery,
    _api,
    _changes,
    _csv_url,
    _history,
    _month_view,
    _page,
    _serve,
    _source_name,
    _sources,
    _status,
    _table_source,
    bars_svg,
    lines_svg,
    num,
    pct,
    series_index,
    t,
)


def home_trade_cards(ind: MonthlyIndicators, lang: str) -> list[Card]:
    """The home page's cards for exports and imports excluding crude oil, and the balance."""
    cards: list[Card] = []
    levels: dict[str, list[tuple[str, float]]] = {}
    status = ""
    for name in ("exports", "imports"):
        view = ind.table(name)
        line = view.total() if view is not None else None
        if view is None or line is None or math.isnan(line.level):
            continue
        crude = view.by_code(*CRUDE_OIL)
        crude_level = crude.level if crude is not None and not math.isnan(crude.level) else 0.0
        total_pts = _history(view, line.code, "level", ind.period)
        crude_pts = dict(_history(view, crude.code, "level", ind.period)) if crude is not None else {}
        pts = [(p, v - (0.0 if math.isnan(crude_pts.get(p, math.nan)) else crude_pts[p])) for p, v in total_pts]
        levels[name] = pts
        status = status or _status(line, lang)
        chart_title = f"{t(name, lang)} — {t('chart_level', lang)}"
        cards.append(Card(t(name, lang), _status(line, lang), money_usd(line.level - crude_level, lang),
                          _changes(line, lang, ytd=False), bars_svg(pts, lang, title=chart_title, decimals=0),
                          chart_title, _csv_url(f"{ind.source}/{name}/{line.code}")))
    if len(levels) == 2:
        ex, im = dict(levels["exports"]), dict(levels["imports"])
        pts = [(p, ex[p] - im[p]) for p in sorted(set(ex) & set(im))]
        if pts and not math.isnan(pts[-1][1]) and pts[-1][0] == ind.period:
            balance = pts[-1][1]
            word = t("surplus" if balance > 0 else "deficit", lang)
            chart_title = f"{t('balance', lang)} — {t('chart_level', lang)}"
            cards.append(Card(t("balance", lang), status, f"{word} {money_usd(abs(balance), lang)}", [],
                              bars_svg(pts, lang, title=chart_title, decimals=0), chart_title,
                              _csv_url(f"{ind.source}/exports/TOTAL")))
    return cards


def _trade_cards(ind: MonthlyIndicators, lang: str) -> list[dict[str, Any]]:
    """Exports and imports: total, excluding crude oil, domestic and FDI sectors."""
    out = []
    for name in ("exports", "imports"):
        view = ind.table(name)
        line = view.total() if view is not None else None
        if view is None or line is None:
            continue
        items: list[tuple[str, str]] = []
        crude = view.by_code(*CRUDE_OIL)
        if not math.isnan(line.level) and crude is not None and not math.isnan(crude.level):
            items.append((t("excl_crude", lang), money_usd(line.level - crude.level, lang)))
        for key, codes in (("domestic", DOMESTIC), ("fdi", FOREIGN)):
            part = view.by_code(*codes)
            if part is not None and not math.isnan(part.level):
                text = money_usd(part.level, lang)
                if not math.isnan(line.level) and line.level > 0:
                    text += f" ({format_number(100 * part.level / line.level, 1, lang)}%)"
                items.append((t(key, lang), text))
        out.append({"title": t(f"{name}_total", lang), "status": _status(line, lang),
                    "value": money_usd(line.level, lang) if not math.isnan(line.level) else "–",
                    "items": items, "changes": _changes(line, lang, ytd=False),
                    "csv": _csv_url(f"{ind.source}/{name}/{line.code}"), "level": line.level})
    return out


async def trade(request: Request, lang: LangQuery = "vi", source: SourceQuery = None,
                period: PeriodQuery = None) -> Response:
    """Exports and imports of the month: totals, sectors, balance, commodities and a 25-month chart."""
    api = _api(request)

    def build() -> Rendered:
        index = series_index(api)
        src = _table_source(index, source, "exports")
        month, ind, view = _month_view(api, index, src, "exports", period, history=HISTORY,
                                       tables=("exports", "imports"))
        cards: list[dict[str, Any]] = []
        tables: list[dict[str, Any]] = []
        balance, chart = "", Markup("")
        if ind is not None and month is not None:
            cards = _trade_cards(ind, lang)
            if len(cards) == 2 and not any(math.isnan(c["level"]) for c in cards):
                diff = cards[0]["level"] - cards[1]["level"]
                balance = f"{t('surplus' if diff > 0 else 'deficit', lang)} {money_usd(abs(diff), lang)}"
            series = []
            for name in ("exports", "imports"):
                v = ind.table(name)
                total = v.total() if v is not None else None
                if v is None or total is None:
                    continue
                pts = _history(v, total.code, "level", month)
                if any(not math.isnan(x) for _, x in pts):
                    series.append((t(f"{name}_total", lang), pts))
                tables.append({"title": t(f"{name}_total", lang), "rows": [
                    {"name": x.name(lang), "unit": x.unit, "level": num(x.level, 1, lang, x.confidential),
                     "same_month": pct(x.same_month_last_year, lang, x.confidential), "status": _status(x, lang),
                     "kind": "total" if x.code == total.code else ""} for x in v.lines()]})
            if series:
                chart = lines_svg(series, lang, title=t("chart_trade", lang))
            legend = [(n, i) for i, (n, _) in enumerate(series)]
        else:
            legend = []
        return _page(request, "trade.html.j2", lang, _csv_url(f"{src}/exports/TOTAL") if view is not None
                     else _csv_url(f"{src}/iip/TOTAL"), cards=cards, tables=tables, balance=balance, chart=chart,
                     legend=legend, source=src, source_name=_source_name(src, lang),
                     month=month_name(month, lang) if month else "", period=month, sources=_sources(request))

    return await _serve(request, ("trade", lang, source, period), build)


def register(app: FastAPI) -> None:
    """Add ``/trade`` to ``app``."""
    app.add_api_route("/trade", trade, methods=["GET"], include_in_schema=False)
