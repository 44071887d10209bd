"""The dashboard's trade: the home page's export, import and balance cards and the ``/trade`` page."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from markupsafe import Markup

from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView
from vnindustry.analysis.trade.gso_tables import printed_rows
from vnindustry.publish.bulletin import DOMESTIC, FOREIGN
from vnindustry.publish.numbers import format_number
from vnindustry.publish.wording import change, money_usd, month_name
from vnindustry.sources.gso.crude_oil import BALANCE_TABLE, EXCL_CRUDE, INCL_CRUDE
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

TRADE_TABLES = ("exports", "imports", BALANCE_TABLE)

# This module's words: each title says which figure it shows (crude oil included or not).
TEXT: dict[str, tuple[str, str]] = {
    "exports_excl": ("Kim ngạch xuất khẩu (không kể dầu thô)", "Exports excluding crude oil"),
    "imports_excl": ("Kim ngạch nhập khẩu (không kể dầu thô)", "Imports excluding crude oil"),
    "exports_incl": ("Kim ngạch xuất khẩu (kể cả dầu thô)", "Exports (crude oil included)"),
    "imports_incl": ("Kim ngạch nhập khẩu (kể cả dầu thô)", "Imports (crude oil included)"),
    "balance_incl": ("Cán cân thương mại (kể cả dầu thô)", "Trade balance (crude oil included)"),
    "balance_excl": ("Cán cân thương mại (không kể dầu thô)", "Trade balance excluding crude oil"),
    "excl_crude": ("Không kể dầu thô", "Excluding crude oil"),
    "chart_excl": ("Kim ngạch xuất khẩu và nhập khẩu (không kể dầu thô), 25 tháng gần nhất",
                   "Exports and imports excluding crude oil, last 25 months"),
    "chart_level": ("Triệu USD, 25 tháng gần nhất", "USD million, last 25 months"),
    "sectors": ("Theo khu vực kinh tế", "By sector"),
    "commodities": ("Mặt hàng chủ yếu", "Main commodities"),
    "value": ("Trị giá", "Value"),
}


def w(key: str, lang: str) -> str:
    """This module's wording ``key`` in ``lang``."""
    vi, en = TEXT[key]
    return vi if lang == "vi" else en


def balance_text(million_usd: float, lang: str) -> str:
    """"nhập siêu 1,55 tỷ USD" / "deficit of USD 1.55 billion": two decimals, as GSO prints balances."""
    amount = format_number(abs(million_usd) / 1000.0, 2, lang)
    if lang == "vi":
        return f"{'xuất siêu' if million_usd > 0 else 'nhập siêu'} {amount} tỷ USD"
    return f"{'surplus' if million_usd > 0 else 'deficit'} of USD {amount} billion"


def flow_line(view: TableView | None) -> tuple[Line | None, bool]:
    """The line a flow's headline shows — excluding crude oil where the store has it, else the total — and
    whether it excludes crude oil (a month without a crude-oil row has only the total)."""
    if view is None:
        return None, False
    excl = view.by_code(EXCL_CRUDE)
    if excl is not None and not math.isnan(excl.level):
        return excl, True
    total = view.total()
    return (total, False) if total is not None and not math.isnan(total.level) else (None, False)


def balance_lines(ind: MonthlyIndicators) -> tuple[Line | None, Line | None]:
    """The month's stored balance with crude oil and without it (either may be missing)."""
    view = ind.table(BALANCE_TABLE)
    if view is None:
        return None, None
    incl, excl = view.by_code(INCL_CRUDE), view.by_code(EXCL_CRUDE)
    return (incl if incl is not None and not math.isnan(incl.level) else None,
            excl if excl is not None and not math.isnan(excl.level) else None)


def home_trade_cards(ind: MonthlyIndicators, lang: str) -> list[Card]:
    """The home page's cards: exports and imports excluding crude oil (the total, titled so, where a month has
    no crude-oil row) and the balance — each read from its stored series, its CSV link that series."""
    cards: list[Card] = []
    for name in ("exports", "imports"):
        view = ind.table(name)
        line, excl = flow_line(view)
        if view is None or line is None:
            continue
        title = w(f"{name}_excl" if excl else f"{name}_incl", lang)
        pts = _history(view, line.code, "level", ind.period)
        chart_title = f"{title} — {w('chart_level', lang)}"
        cards.append(Card(title, _status(line, lang), money_usd(line.level, lang), _changes(line, lang, ytd=False),
                          bars_svg(pts, lang, title=chart_title, decimals=0), chart_title,
                          _csv_url(f"{ind.source}/{name}/{line.code}")))
    incl, excl_balance = balance_lines(ind)
    if incl is not None:
        view = ind.table(BALANCE_TABLE)
        pts = _history(view, incl.code, "level", ind.period)
        chart_title = f"{w('balance_incl', lang)} — {w('chart_level', lang)}"
        items = [(w("excl_crude", lang), balance_text(excl_balance.level, lang))] if excl_balance else []
        cards.append(Card(w("balance_incl", lang), _status(incl, lang), balance_text(incl.level, lang), items,
                          bars_svg(pts, lang, title=chart_title, decimals=0), chart_title,
                          _csv_url(f"{ind.source}/{BALANCE_TABLE}/{incl.code}")))
    return cards


def _trade_cards(ind: MonthlyIndicators, lang: str) -> list[dict[str, Any]]:
    """Exports and imports: the total (crude oil included), excluding crude oil with its own rates, and the
    domestic and FDI sectors."""
    out = []
    for name in ("exports", "imports"):
        view = ind.table(name)
        line = view.total() if view is not None else None
        if view is None or line is None:
            continue
        items: list[tuple[str, str]] = []
        excl, is_excl = flow_line(view)
        if excl is not None and is_excl:
            text = money_usd(excl.level, lang)
            if (c := change(excl.same_month_last_year, lang)):
                text += f" ({c})"
            items.append((w("excl_crude", lang), text))
        for key, codes in (("domestic", DOMESTIC), ("fdi", FOREIGN)):
            part = view.by_code(*codes)
            if part is not None and not math.isnan(part.level):
                text = money_usd(part.level, lang)
                if not math.isnan(line.level) and line.level > 0:
                    text += f" ({format_number(100 * part.level / line.level, 1, lang)}%)"
                items.append((t(key, lang), text))
        out.append({"title": w(f"{name}_incl", lang), "status": _status(line, lang),
                    "value": money_usd(line.level, lang) if not math.isnan(line.level) else "–",
                    "items": items, "changes": _changes(line, lang, ytd=False),
                    "csv": _csv_url(f"{ind.source}/{name}/{line.code}"), "level": line.level,
                    "excl_csv": _csv_url(f"{ind.source}/{name}/{EXCL_CRUDE}") if is_excl else ""})
    return out


def _balances(ind: MonthlyIndicators, lang: str) -> list[dict[str, str]]:
    """The balance with crude oil and without it, each labelled, with its own CSV."""
    out = []
    for key, line in zip(("balance_incl", "balance_excl"), balance_lines(ind), strict=True):
        if line is not None:
            out.append({"title": w(key, lang), "value": balance_text(line.level, lang), "status": _status(line, lang),
                        "csv": _csv_url(f"{ind.source}/{BALANCE_TABLE}/{line.code}")})
    return out


def _table_rows(view: TableView, lang: str) -> list[dict[str, Any]]:
    """A GSO trade table's rows in GSO's order and hierarchy, with a heading row before sectors and
    commodities (as the sheet prints "MẶT HÀNG CHỦ YẾU")."""
    rows: list[dict[str, Any]] = []
    part = ""
    for r in printed_rows(view):
        if r.part != part and r.part in ("sector", "commodity"):
            rows.append({"heading": w("sectors" if r.part == "sector" else "commodities", lang)})
        part = r.part
        x = r.line
        rows.append({"name": x.name(lang), "unit": x.unit_name(lang),
                     "level": num(x.level, 1, lang, x.confidential),
                     "same_month": pct(x.same_month_last_year, lang, x.confidential), "status": _status(x, lang),
                     "kind": r.part, "depth": r.depth})
    return rows


async def trade(request: Request, lang: LangQuery = "vi", source: SourceQuery = None,
                period: PeriodQuery = None) -> Response:
    """Exports and imports of the month: totals, sectors, balance, commodities and a 25-month chart."""
    api = _api(request)

    def build() -> Rendered:
        index = series_index(api)
        src = _table_source(index, source, "exports")
        # Only what the page shows (issue 16: a render after a release took 164 ms on the demo store): no adjusted
        # version (printed_rows leaves them out, and no Tết-adjusted rate is printed here), and the 25 months
        # only of the lines charted (the flows' totals and their rows excluding crude oil), the months the
        # comparisons use of the others.
        month, ind, view = _month_view(api, index, src, "exports", period, history=HISTORY, tables=TRADE_TABLES,
                                       adjusted=False, charted=(EXCL_CRUDE,))
        cards: list[dict[str, Any]] = []
        tables: list[dict[str, Any]] = []
        balances: list[dict[str, str]] = []
        chart = Markup("")
        series = []
        if ind is not None and month is not None:
            cards = _trade_cards(ind, lang)
            balances = _balances(ind, lang)
            for name in ("exports", "imports"):
                v = ind.table(name)
                if v is None:
                    continue
                line, excl = flow_line(v)
                if line is not None:
                    pts = _history(v, line.code, "level", month)
                    if any(not math.isnan(x) for _, x in pts):
                        series.append((w(f"{name}_excl" if excl else f"{name}_incl", lang), pts))
                tables.append({"title": w(f"{name}_incl", lang), "rows": _table_rows(v, lang)})
            if series:
                chart = lines_svg(series, lang, title=w("chart_excl", lang), unit="triệu USD" if lang == "vi"
                                  else "USD million", decimals=0)
        legend = [(n, i) for i, (n, _) in enumerate(series)]
        return _page(request, "trade.html.j2", lang, _csv_url(f"{src}/exports/TOTAL") if view is not None
                     else _csv_url(f"{src}/iip/TOTAL"), cards=cards, tables=tables, balances=balances,
                     chart=chart, chart_title=w("chart_excl", lang), value_header=w("value", lang), legend=legend,
                     source=src, source_name=_source_name(src, lang),
                     month=month_name(month, lang) if month else "", period=month, sources=_sources(request))

    return await _serve(request, ("trade", lang, source, period), build)


def register(app: FastAPI) -> None:
    """Add ``/trade`` to ``app``."""
    app.add_api_route("/trade", trade, methods=["GET"], include_in_schema=False)
