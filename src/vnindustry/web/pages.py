"""The public dashboard: server-rendered pages (Jinja2), Vietnamese by default, English with ``?lang=en``.

Everything is served from the package: templates in ``web/templates``, CSS and a small script in
``web/static``; charts are inline SVG drawn here, so a page works without JavaScript and without the
internet. The selection lives in the query string (bookmarkable); each page links its data in the API
(``<link rel="alternate" type="text/csv">``). Errors are problem+json, as on every route of the app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

import pandas as pd
from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView, monthly_indicators
from vnindustry.periods import month_code, parse_month
from vnindustry.publish.bulletin import CRUDE_OIL, SOURCE_NAMES
from vnindustry.publish.numbers import format_number, format_pct
from vnindustry.publish.wording import change, money_usd, money_vnd, month_name
from vnindustry.web.api import PREFIX, ApiState, _respond
from vnindustry.web.cache import Rendered
from vnindustry.web.labels import status_name
from vnindustry.web.problems import Problem

HERE = Path(__file__).parent
HISTORY = 25  # months in each card's chart
ADJUSTED = ("calendar_adjusted", "seasonally_adjusted", "trend")
# Pages load only what the app serves itself: no CDN, no third-party host, no inline script.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")

Lang = Literal["vi", "en"]
Source = Literal["city", "gso"]

TEXT: dict[str, tuple[str, str]] = {
    "site": ("Thống kê công nghiệp và thương mại", "Industry and trade statistics"),
    "home": ("Trang chủ", "Home"),
    "industries": ("Các ngành công nghiệp", "Industries"),
    "about": ("Giới thiệu", "About"),
    "releases": ("Các lần công bố", "Releases"),
    "api": ("Dữ liệu (API)", "Data (API)"),
    "iip": ("Chỉ số sản xuất công nghiệp", "Index of industrial production"),
    "source": ("Nguồn", "Source"),
    "latest": ("Số liệu mới nhất", "Latest figures"),
    "no_data": ("Chưa có số liệu cho nguồn này.", "No data for this source yet."),
    "prev_month": ("So với tháng trước", "On previous month"),
    "same_month": ("So với cùng kỳ năm trước", "On same month last year"),
    "ytd": ("Cộng dồn từ đầu năm so với cùng kỳ", "Year to date on a year earlier"),
    "ytd_prev": ("cùng kỳ", "a year earlier"),
    "retail": ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
               "Retail sales of goods and consumer services"),
    "exports": ("Kim ngạch xuất khẩu (không kể dầu thô)", "Exports excluding crude oil"),
    "imports": ("Kim ngạch nhập khẩu (không kể dầu thô)", "Imports excluding crude oil"),
    "balance": ("Cán cân thương mại hàng hóa", "Trade balance in goods"),
    "surplus": ("xuất siêu", "surplus"),
    "deficit": ("nhập siêu", "deficit"),
    "chart_yoy": ("So với cùng kỳ năm trước (%), 25 tháng gần nhất", "Change on a year earlier (%), last 25 months"),
    "chart_level": ("Giá trị, 25 tháng gần nhất", "Value, last 25 months"),
    "industry": ("Ngành", "Industry"),
    "code": ("Mã", "Code"),
    "index": ("Chỉ số", "Index"),
    "contribution": ("Đóng góp (điểm %)", "Contribution (points)"),
    "status": ("Trạng thái", "Status"),
    "month": ("Tháng", "Month"),
    "series": ("Chuỗi số liệu", "Series"),
    "original": ("Số liệu gốc", "Original"),
    "calendar_adjusted": ("Điều chỉnh theo lịch (Tết, ngày làm việc)", "Calendar adjusted"),
    "seasonally_adjusted": ("Điều chỉnh mùa vụ", "Seasonally adjusted"),
    "trend": ("Xu hướng", "Trend"),
    "download": ("Tải về", "Download"),
    "filter": ("Lọc theo tên hoặc mã", "Filter by name or code"),
    "other_lang": ("English", "Tiếng Việt"),
    "show": ("Xem", "Show"),
    "released_on": ("Ngày công bố", "Released on"),
    "reference_period": ("Kỳ số liệu", "Reference period"),
    "file": ("Tệp", "File"),
    "observations": ("Số quan sát", "Observations"),
    "chart_of": ("Biểu đồ", "Chart"),
}


def t(key: str, lang: str) -> str:
    vi, en = TEXT[key]
    return vi if lang == "vi" else en


_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["j2", "html"]),
                   trim_blocks=True, lstrip_blocks=True)


# -- numbers ------------------------------------------------------------------------------------------------
def num(value: float, decimals: int, lang: str) -> str:
    return "–" if value is None or math.isnan(value) else format_number(value, decimals, lang)


def pct(value: float, lang: str) -> str:
    return "–" if value is None or math.isnan(value) else format_pct(value, 1, lang)


# -- charts (inline SVG) ------------------------------------------------------------------------------------
def _label(period: str, lang: str) -> str:
    key = parse_month(period)
    return month_name(period, lang) if key is not None else period


def bars_svg(points: list[tuple[str, float]], lang: str, *, title: str, decimals: int = 1,
             width: int = 300, height: int = 80) -> Markup:
    """Bars around zero, one per period (missing values leave a gap); each bar carries its value as a
    tooltip. Presentation attributes only (no style attribute), so the page's CSP allows it."""
    values = [v for _, v in points if not math.isnan(v)]
    if not values:
        return Markup("")
    top, bottom = max(max(values), 0.0), min(min(values), 0.0)
    span = (top - bottom) or 1.0
    pad = 2.0
    scale = (height - 2 * pad) / span
    zero = pad + top * scale
    step = width / max(len(points), 1)
    parts = [f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, (period, v) in enumerate(points):
        if math.isnan(v):
            continue
        h = max(abs(v) * scale, 1.0)
        y = zero - h if v >= 0 else zero
        cls = "pos" if v >= 0 else "neg"
        last = " last" if i == len(points) - 1 else ""
        parts.append(f'<rect class="bar {cls}{last}" x="{i * step + 0.5:.1f}" y="{y:.1f}" '
                     f'width="{max(step - 1.0, 1.0):.1f}" height="{h:.1f}" data-period="{period}">'
                     f"<title>{escape(_label(period, lang))}: {escape(num(v, decimals, lang))}</title></rect>")
    parts.append(f'<line class="axis" x1="0" x2="{width}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#888" '
                 'stroke-width="0.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def lines_svg(series: list[tuple[str, list[tuple[str, float]]]], lang: str, *, title: str, width: int = 720,
              height: int = 260) -> Markup:
    """One path per series over the union of their periods, with min/max labels and the first/last period."""
    periods = sorted({p for _, pts in series for p, v in pts if not math.isnan(v)})
    values = [v for _, pts in series for _, v in pts if not math.isnan(v)]
    if not periods or not values:
        return Markup("")
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1.0, hi + 1.0
    left, right, top, bottom = 48, 8, 8, 22
    x_of = {p: left + (width - left - right) * (i / max(len(periods) - 1, 1)) for i, p in enumerate(periods)}

    def y(v: float) -> float:
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    parts = [f'<svg class="chart lines" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="none">',
             f"<title>{escape(title)}</title>"]
    for v in (hi, lo):
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     'stroke="#ccc" stroke-width="0.5"/>')
        parts.append(f'<text class="tick" x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{escape(num(v, 1, lang))}</text>")
    for p, anchor in ((periods[0], "start"), (periods[-1], "end")):
        parts.append(f'<text class="tick" x="{x_of[p]:.1f}" y="{height - 6}" text-anchor="{anchor}" '
                     f'font-size="11">{escape(p)}</text>')
    for n, (name, pts) in enumerate(series):
        d, pen = [], "M"
        for p, v in sorted(pts):
            if math.isnan(v):
                pen = "M"
                continue
            d.append(f"{pen}{x_of[p]:.1f},{y(v):.1f}")
            pen = "L"
        if d:
            parts.append(f'<path class="series s{n}" d="{" ".join(d)}" fill="none" stroke-width="2">'
                         f"<title>{escape(name)}</title></path>")
    parts.append("</svg>")
    return Markup("".join(parts))


# -- data for the pages -------------------------------------------------------------------------------------
def _month_periods(periods: pd.Series) -> list[str]:
    return sorted(p for p in periods.dropna().astype(str).unique() if parse_month(p) is not None)


def latest_month(api: ApiState, source: str) -> str | None:
    """The latest month the source's IIP (else any monthly table) has figures for."""
    items = [i for i in api.catalogue().items if i["source"] == source and i["last_period"]
             and parse_month(i["last_period"]) is not None]
    iip = [i for i in items if i["table"] == "iip" and i["kind"] == "total"]
    pool = iip or items
    return max((i["last_period"] for i in pool), default=None)


def default_source(api: ApiState) -> str:
    return "city" if latest_month(api, "city") else "gso"


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
    return Card(title, _status(line, lang), value, _changes(line, lang), bars_svg(pts, lang, title=chart_title),
                chart_title, _csv_url(f"{ind.source}/{_table_of(view)}/{line.code}"))


def _table_of(view: TableView) -> str:
    return str(view.rows["table"].iloc[0]) if "table" in view.rows and len(view.rows) else "iip"


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
            card.chart = bars_svg(pts, lang, title=card.chart_title, decimals=0)
        cards.append(card)
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


# -- rendering ----------------------------------------------------------------------------------------------
def _url(request: Request, **changes: str | None) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    return request.url.path + ("?" + urlencode(params) if params else "")


def _page(request: Request, template: str, lang: str, alternate: str, **context: Any) -> Rendered:
    other = "en" if lang == "vi" else "vi"
    body = _env.get_template(template).render(
        lang=lang, t=lambda key: t(key, lang), alternate=alternate, api=PREFIX,
        toggle_url=_url(request, lang=None if other == "vi" else other), toggle_lang=other,
        nav=lambda path: path + ("?lang=en" if lang == "en" else ""), **context)
    return Rendered.of(body.encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": CSP, "Content-Language": lang, "X-Content-Type-Options": "nosniff"})


def _api(request: Request) -> ApiState:
    return request.app.state.api  # type: ignore[no-any-return]


async def _serve(request: Request, key: tuple[Any, ...], build: Any) -> Response:
    api = _api(request)
    response = _respond(request, await api.cached(("page", *key), build), 0)
    response.headers["Cache-Control"] = "no-cache"  # revalidate with the ETag: a new release shows at once
    return response


LangQuery = Annotated[Lang, Query(description="vi (default) or en")]
SourceQuery = Annotated[Source | None, Query(description="city or gso; default city if it has data")]


async def home(request: Request, lang: LangQuery = "vi", source: SourceQuery = None) -> Response:
    """Headline cards for the latest month of the chosen source."""
    api = _api(request)

    def build() -> Rendered:
        src = source or default_source(api)
        period = latest_month(api, src)
        cards, month = [], ""
        if period is not None:
            ind = monthly_indicators(api.store, period, src, history_months=HISTORY)
            cards, month = home_cards(ind, lang), month_name(period, lang)
        return _page(request, "home.html.j2", lang, _csv_url(f"{src}/iip/TOTAL"), cards=cards, month=month,
                     source=src, source_name=_source_name(src, lang), period=period,
                     sources=[(s, _url(request, source=s)) for s in ("city", "gso")])

    return await _serve(request, ("home", lang, source), build)


def _source_name(source: str, lang: str) -> str:
    vi, en = SOURCE_NAMES.get(source, (source, source))
    return vi if lang == "vi" else en


def _series_points(api: ApiState, keys: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Level of each key (else its change on a year earlier), by period."""
    frame = api.store.observations(keys=keys)
    out: dict[str, list[tuple[str, float]]] = {}
    for key, rows in frame.groupby("key"):
        for measure, minus in (("level", 0.0), ("pct_change_same_month_last_year", 0.0),
                               ("pct_same_month_last_year", 100.0)):
            m = rows[rows["measure"] == measure]
            m = m[m["period"].map(lambda p: parse_month(str(p)) is not None)]
            if len(m):
                out[str(key)] = [(str(p), math.nan if pd.isna(v) else float(v) - minus)
                                 for p, v in zip(m["period"], m["value"], strict=True)]
                break
    return out


async def industries(request: Request, lang: LangQuery = "vi", source: SourceQuery = None,
                     code: Annotated[str | None, Query(max_length=80, description="industry code (VSIC)")] = None,
                     period: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                                         description="month YYYY-MM; default the latest")] = None,
                     ) -> Response:
    """The month's IIP table and the chart of one series (original and adjusted versions)."""
    api = _api(request)

    def build() -> Rendered:
        src = source or default_source(api)
        month = period or latest_month(api, src)
        selected = code or "TOTAL"
        key = f"{src}/iip/{selected}"
        catalogue = api.catalogue().by_code
        if key not in catalogue:
            raise Problem(404, f"no industry '{selected}' in the IIP of source '{src}'; the table at "
                               f"/industries?source={src} lists the codes", title="Unknown industry",
                          slug="unknown-series")
        rows: list[dict[str, Any]] = []
        if month is not None:
            view = monthly_indicators(api.store, month, src, history_months=13).table("iip")
            if view is not None:
                for kind in ("total", "group", "industry"):
                    sub = view.rows[view.rows["kind"] == kind]
                    for _, r in sub.sort_values("code").iterrows():
                        line = view.line(r)
                        level = r["level_in_tree"]
                        rows.append({"code": line.code, "name": line.name(lang), "kind": kind,
                                     "depth": 0 if pd.isna(level) else max(int(level) - 1, 0),
                                     "index": num(line.level, 1, lang), "prev_month": pct(line.prev_month, lang),
                                     "same_month": pct(line.same_month_last_year, lang),
                                     "ytd": pct(line.ytd, lang), "contribution": num(line.contribution, 2, lang),
                                     "status": _status(line, lang), "selected": line.code == selected,
                                     "url": _url(request, code=line.code)})
        keys = [key, *(f"{key}~{k}" for k in ADJUSTED)]
        points = _series_points(api, keys)
        names = [t("original", lang), *(t(k, lang) for k in ADJUSTED)]
        series = [(n, points[k]) for k, n in zip(keys, names, strict=True) if k in points]
        meta = catalogue[key]
        title = meta["name_en"] if lang == "en" and meta["name_en"] else meta["name_vi"]
        downloads = [(k, n, _csv_url(k), f"{PREFIX}/series/{quote(k)}/observations?format=xlsx")
                     for k, n in zip(keys, names, strict=True) if k in points]
        return _page(request, "industries.html.j2", lang, _csv_url(key), rows=rows, source=src,
                     month=month_name(month, lang) if month else "", selected=selected, title=title,
                     chart=lines_svg(series, lang, title=f"{t('chart_of', lang)}: {title}"),
                     legend=[(n, i) for i, (n, _) in enumerate(series)], downloads=downloads,
                     table_csv=f"{PREFIX}/series?" + urlencode({"source": src, "table": "iip"}),
                     source_name=_source_name(src, lang))

    return await _serve(request, ("industries", lang, source, code, period), build)


async def about(request: Request, lang: LangQuery = "vi") -> Response:
    """Sources, method summary and revision policy."""
    def build() -> Rendered:
        return _page(request, "about.html.j2", lang, f"{PREFIX}/releases",
                     sources=[(s, _source_name(s, lang)) for s in ("city", "gso")])

    return await _serve(request, ("about", lang), build)


async def releases(request: Request, lang: LangQuery = "vi") -> Response:
    """Every release in the store, newest first."""
    api = _api(request)

    def build() -> Rendered:
        items = [{"id": int(r["id"]), "source": r["source"], "file": PurePath(str(r["file"])).name,
                  "reference_period": r["reference_period"] or "", "released_on": str(r["released_on"] or ""),
                  "observations": num(float(r["observations"]), 0, lang)}
                 for r in api.store.releases().to_dict("records")]
        return _page(request, "releases.html.j2", lang, f"{PREFIX}/releases", items=items)

    return await _serve(request, ("releases", lang), build)


def register(app: FastAPI) -> None:
    """Add the pages and their static files to ``app`` (after :func:`vnindustry.web.api.register`)."""
    app.add_api_route("/", home, methods=["GET"], include_in_schema=False)
    app.add_api_route("/industries", industries, methods=["GET"], include_in_schema=False)
    app.add_api_route("/about", about, methods=["GET"], include_in_schema=False)
    app.add_api_route("/releases", releases, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
