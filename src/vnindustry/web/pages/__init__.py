"""The public dashboard: server-rendered pages (Jinja2), Vietnamese by default, English with ``?lang=en``.

Everything is served from the package: templates in ``web/templates``, CSS and a small script in
``web/static``; charts are inline SVG drawn here, so a page works without JavaScript and without the
internet. The selection lives in the query string (bookmarkable); each page links its data in the API
(``<link rel="alternate" type="text/csv">``). Errors are problem+json, as on every route of the app.

The package, by what each module holds: :mod:`.words` (the pages' words), :mod:`.figures` (figures in the
pages' style), :mod:`.charts` (inline SVG), :mod:`.rendering` (templates, the page frame, the response cache,
the query parameters), :mod:`.selection` (the series index, the source and month shown), :mod:`.cards` (the
headline cards), and the pages: :mod:`.front_pages` (/, /about), :mod:`.industry_page` (/industries),
:mod:`.products_page` (/products), :mod:`.release_pages` (/releases, /calendar) and :mod:`.bulletin_pages`
(/bulletins and the bulletin files). Every name is importable from here, as before the split; :func:`register`
adds the routes.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from vnindustry.web.pages.bulletin_pages import (
    BULLETIN_FORMATS as BULLETIN_FORMATS,
)
from vnindustry.web.pages.bulletin_pages import (
    BulletinFmt as BulletinFmt,
)
from vnindustry.web.pages.bulletin_pages import (
    bulletin_file as bulletin_file,
)
from vnindustry.web.pages.bulletin_pages import (
    bulletin_months as bulletin_months,
)
from vnindustry.web.pages.bulletin_pages import (
    bulletins as bulletins,
)
from vnindustry.web.pages.cards import (
    HISTORY as HISTORY,
)
from vnindustry.web.pages.cards import (
    Card as Card,
)
from vnindustry.web.pages.cards import (
    _changes as _changes,
)
from vnindustry.web.pages.cards import (
    _csv_url as _csv_url,
)
from vnindustry.web.pages.cards import (
    _history as _history,
)
from vnindustry.web.pages.cards import (
    _status as _status,
)
from vnindustry.web.pages.charts import (
    CHAR_W as CHAR_W,
)
from vnindustry.web.pages.charts import (
    bars_svg as bars_svg,
)
from vnindustry.web.pages.charts import (
    lines_svg as lines_svg,
)
from vnindustry.web.pages.charts import (
    movers_svg as movers_svg,
)
from vnindustry.web.pages.charts import (
    path_segments as path_segments,
)
from vnindustry.web.pages.figures import (
    format_figure as format_figure,
)
from vnindustry.web.pages.figures import (
    num as num,
)
from vnindustry.web.pages.figures import (
    pct as pct,
)
from vnindustry.web.pages.figures import (
    signed as signed,
)
from vnindustry.web.pages.front_pages import (
    about as about,
)
from vnindustry.web.pages.front_pages import (
    home as home,
)
from vnindustry.web.pages.front_pages import (
    home_cards as home_cards,
)
from vnindustry.web.pages.front_pages import (
    home_keys as home_keys,
)
from vnindustry.web.pages.industry_page import (
    ADJUSTED as ADJUSTED,
)
from vnindustry.web.pages.industry_page import (
    hierarchy_order as hierarchy_order,
)
from vnindustry.web.pages.industry_page import (
    industries as industries,
)
from vnindustry.web.pages.products_page import (
    products as products,
)
from vnindustry.web.pages.release_pages import (
    CITY_DAY as CITY_DAY,
)
from vnindustry.web.pages.release_pages import (
    GSO_DAY as GSO_DAY,
)
from vnindustry.web.pages.release_pages import (
    GSO_RULE_FROM as GSO_RULE_FROM,
)
from vnindustry.web.pages.release_pages import (
    calendar as calendar,
)
from vnindustry.web.pages.release_pages import (
    expected_dates as expected_dates,
)
from vnindustry.web.pages.release_pages import (
    overdue_months as overdue_months,
)
from vnindustry.web.pages.release_pages import (
    release_rows as release_rows,
)
from vnindustry.web.pages.release_pages import (
    releases as releases,
)
from vnindustry.web.pages.rendering import (
    CSP as CSP,
)
from vnindustry.web.pages.rendering import (
    HERE as HERE,
)
from vnindustry.web.pages.rendering import (
    LangQuery as LangQuery,
)
from vnindustry.web.pages.rendering import (
    PeriodQuery as PeriodQuery,
)
from vnindustry.web.pages.rendering import (
    SourceQuery as SourceQuery,
)
from vnindustry.web.pages.rendering import (
    _api as _api,
)
from vnindustry.web.pages.rendering import (
    _page as _page,
)
from vnindustry.web.pages.rendering import (
    _serve as _serve,
)
from vnindustry.web.pages.rendering import (
    _source_name as _source_name,
)
from vnindustry.web.pages.rendering import (
    _sources as _sources,
)
from vnindustry.web.pages.rendering import (
    _url as _url,
)
from vnindustry.web.pages.rendering import (
    synthetic_sources as synthetic_sources,
)
from vnindustry.web.pages.selection import (
    SeriesIndex as SeriesIndex,
)
from vnindustry.web.pages.selection import (
    _month_view as _month_view,
)
from vnindustry.web.pages.selection import (
    _table_source as _table_source,
)
from vnindustry.web.pages.selection import (
    default_source as default_source,
)
from vnindustry.web.pages.selection import (
    latest_month as latest_month,
)
from vnindustry.web.pages.selection import (
    latest_table_month as latest_table_month,
)
from vnindustry.web.pages.selection import (
    series_index as series_index,
)
from vnindustry.web.pages.words import (
    TEXT as TEXT,
)
from vnindustry.web.pages.words import (
    Lang as Lang,
)
from vnindustry.web.pages.words import (
    Source as Source,
)
from vnindustry.web.pages.words import (
    t as t,
)

# The private names above are the ones the other page modules (trade_pages, competitiveness, suppliers,
# origin_pages, linkage_pages) import from here.


def register(app: FastAPI) -> None:
    """Add the pages and their static files to ``app`` (after :func:`vnindustry.web.api.register`)."""
    app.add_api_route("/", home, methods=["GET"], include_in_schema=False)
    app.add_api_route("/industries", industries, methods=["GET"], include_in_schema=False)
    app.add_api_route("/about", about, methods=["GET"], include_in_schema=False)
    app.add_api_route("/releases", releases, methods=["GET"], include_in_schema=False)
    app.add_api_route("/products", products, methods=["GET"], include_in_schema=False)
    app.add_api_route("/bulletins", bulletins, methods=["GET"], include_in_schema=False)
    app.add_api_route("/bulletins/{period}.{fmt}", bulletin_file, methods=["GET"], include_in_schema=False)
    app.add_api_route("/calendar", calendar, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
