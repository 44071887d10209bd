"""The key products page (``/products``): the month's products sorted by change on a year earlier, with the
top and bottom movers' chart."""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup

from vnindustry.analysis.indicators import month_table
from vnindustry.names import unit_in
from vnindustry.publish.wording import month_name
from vnindustry.web.cache import Rendered
from vnindustry.web.pages.cards import _csv_url, _status
from vnindustry.web.pages.charts import movers_svg
from vnindustry.web.pages.figures import num, pct
from vnindustry.web.pages.rendering import (
    LangQuery,
    PeriodQuery,
    SourceQuery,
    _api,
    _page,
    _serve,
    _source_name,
    _sources,
)
from vnindustry.web.pages.selection import _no_data, _table_source, latest_table_month, series_index
from vnindustry.web.pages.words import t


async def products(request: Request, lang: LangQuery = "vi", source: SourceQuery = None,
                   period: PeriodQuery = None) -> Response:
    """The month's key products, sorted by change on a year earlier, with the top and bottom movers."""
    api = _api(request)

    def build() -> Rendered:
        index = series_index(api)
        src = _table_source(index, source, "products")
        month = period or latest_table_month(index, src, "products")
        # Only the products table, and only the months its figures come from (not 13 months of every table).
        view = month_table(api.store, month, src, "products", year_ago=False) if month is not None else None
        if view is None and period is not None:
            raise _no_data("products", period, src)
        rows: list[dict[str, Any]] = []
        chart = Markup("")
        if view is not None:
            lines = view.lines()
            lines.sort(key=lambda x: (math.isnan(x.same_month_last_year),
                                      -x.same_month_last_year if not math.isnan(x.same_month_last_year) else 0.0))
            rows = [{"code": x.code, "name": x.name(lang), "unit": unit_in(x.unit, lang),
                     "level": num(x.level, 1, lang, x.confidential),
                     "prev_month": pct(x.prev_month, lang, x.confidential),
                     "same_month": pct(x.same_month_last_year, lang, x.confidential),
                     "status": _status(x, lang), "csv": _csv_url(f"{src}/products/{x.code}")} for x in lines]
            ranked = [x for x in lines if not math.isnan(x.same_month_last_year)]
            movers = ranked[:5] + [x for x in ranked[-5:] if x not in ranked[:5]]
            chart = movers_svg([(x.name(lang), x.same_month_last_year) for x in movers], lang, title=t("movers", lang),
                               unit=t("chart_pct", lang))
        alternate = rows[0]["csv"] if rows else _csv_url(f"{src}/iip/TOTAL")
        return _page(request, "products.html.j2", lang, alternate, rows=rows, chart=chart, source=src,
                     source_name=_source_name(src, lang), month=month_name(month, lang) if month else "",
                     period=month, sources=_sources(request))

    return await _serve(request, ("products", lang, source, period), build)
