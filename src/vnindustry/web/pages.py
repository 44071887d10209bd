"""The public dashboard: server-rendered pages (Jinja2), Vietnamese by default, English with ``?lang=en``.

Everything is served from the package: templates in ``web/templates``, CSS and a small script in
``web/static``; charts are inline SVG drawn here, so a page works without JavaScript and without the
internet. The selection lives in the query string (bookmarkable); each page links its data in the API
(``<link rel="alternate" type="text/csv">``). Errors are problem+json, as on every route of the app.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

import pandas as pd
from fastapi import FastAPI, Query, Request
from fastapi import Path as FastApiPath
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView, month_table, monthly_indicators
from vnindustry.classification.vsic import vsic_ancestors
from vnindustry.names import unit_in
from vnindustry.periods import MONTH_PATTERN, month_code, parse_month
from vnindustry.publish.bulletin import CRUDE_OIL, compose_bulletin
from vnindustry.publish.competitiveness import store_annex
from vnindustry.publish.numbers import format_number, round_half_up
from vnindustry.publish.wording import change, money_vnd, month_name
from vnindustry.publish.writers import MEDIA_TYPES as BULLETIN_MEDIA_TYPES
from vnindustry.publish.writers import write_bulletin
from vnindustry.web.api import PREFIX, ApiState, _respond
from vnindustry.web.cache import Rendered
from vnindustry.web.dates import format_date
from vnindustry.web.formats import CONFIDENTIAL
from vnindustry.web.labels import (
    period_name,
    release_document,
    source_name,
    source_pick,
    status_name,
)
from vnindustry.web.problems import Problem
from vnindustry.web.spelling import gso_style

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
    "key_groups": ("Nhóm ngành công nghiệp trọng yếu", "Key industry groups"),
    "index": ("Chỉ số", "Index"),
    "contribution": ("Đóng góp vào tăng trưởng (điểm phần trăm)", "Contribution to growth (percentage points)"),
    "status": ("Trạng thái", "Status"),
    "month": ("Tháng", "Month"),
    "series": ("Chuỗi số liệu", "Series"),
    "original": ("Số liệu gốc", "Original"),
    "calendar_adjusted": ("Điều chỉnh theo lịch (Tết, ngày làm việc)", "Calendar adjusted (Tet, working days)"),
    "seasonally_adjusted": ("Điều chỉnh mùa vụ", "Seasonally adjusted"),
    "trend": ("Xu hướng", "Trend"),
    "download": ("Tải về", "Download"),
    "filter": ("Lọc theo tên hoặc mã", "Filter by name or code"),
    "other_lang": ("English", "Tiếng Việt"),
    "show": ("Xem", "Show"),
    "legend": ("Ký hiệu: – không có số liệu; c số liệu bảo mật (dưới 3 doanh nghiệp, hoặc một doanh nghiệp "
               "chiếm trên 85%, và các số liệu có thể suy ra chúng).",
               "Symbols: – not available; c confidential (fewer than 3 enterprises, or one above 85%, and the "
               "figures they could be derived from)."),
    "released_on": ("Ngày công bố", "Released on"),
    "reference_period": ("Kỳ số liệu", "Reference period"),
    "file": ("Tệp", "File"),
    "observations": ("Nội dung", "Contents"),
    "figures": ("số liệu", "figures"),
    "flows": ("dòng xuất, nhập khẩu", "trade flows"),
    "scoring": ("kết quả đánh giá sản phẩm chủ lực", "key-product scoring results"),
    "synthetic": ("Dữ liệu giả lập — không phải số liệu chính thức", "Synthetic data — not official statistics"),
    "synthetic_row": ("giả lập", "synthetic"),
    "document": ("Tài liệu", "Document"),
    "chart_pct": ("% so với cùng kỳ năm trước", "% change on a year earlier"),
    "output": ("Sản lượng", "Output"),
    "chart_of": ("Biểu đồ", "Chart"),
    "products": ("Sản phẩm chủ yếu", "Key products"),
    "products_title": ("Sản phẩm công nghiệp chủ yếu", "Key industrial products"),
    "product": ("Sản phẩm", "Product"),
    "unit": ("Đơn vị tính", "Unit"),
    "level": ("Sản lượng tháng", "Month's output"),
    "movers": ("Sản phẩm thay đổi nhiều nhất so với cùng kỳ năm trước (%)",
               "Products changing most on a year earlier (%)"),
    "trade": ("Xuất nhập khẩu", "Trade"),
    "trade_title": ("Xuất, nhập khẩu hàng hóa", "Exports and imports of goods"),
    "exports_total": ("Kim ngạch xuất khẩu", "Exports"),
    "imports_total": ("Kim ngạch nhập khẩu", "Imports"),
    "excl_crude": ("Không kể dầu thô", "Excluding crude oil"),
    "domestic": ("Khu vực kinh tế trong nước", "Domestic sector"),
    "fdi": ("Khu vực có vốn đầu tư nước ngoài", "Foreign-invested sector"),
    "commodity": ("Mặt hàng", "Commodity"),
    "value_qty": ("Trị giá / lượng", "Value / quantity"),
    "chart_trade": ("Kim ngạch xuất khẩu và nhập khẩu, 25 tháng gần nhất", "Exports and imports, last 25 months"),
    "bulletins": ("Bản tin", "Bulletins"),
    "bulletins_title": ("Lưu trữ bản tin hằng tháng", "Monthly bulletins archive"),
    "bulletins_lead": ("Bản tin được soạn từ số liệu mới nhất trong cơ sở dữ liệu, tối đa 24 tháng gần nhất.",
                       "Bulletins are composed from the latest figures in the store, for up to the last 24 months."),
    "vietnamese": ("Tiếng Việt", "Vietnamese"),
    "english": ("Tiếng Anh", "English"),
    "calendar": ("Lịch công bố", "Release calendar"),
    "past_releases": ("Các lần công bố đã thực hiện", "Past releases"),
    "next_releases": ("Lịch công bố dự kiến", "Expected publication dates"),
    "overdue_releases": ("Chưa công bố, đã quá ngày dự kiến", "Not yet published, past the expected date"),
    "expected_on": ("Ngày công bố dự kiến", "Expected on"),
    "rule": ("Quy tắc", "Rule"),
}


def t(key: str, lang: str) -> str:
    vi, en = TEXT[key]
    return vi if lang == "vi" else en


def _finalize(value: Any) -> Any:
    """Every value a template prints: in GSO's diacritic style ("hóa", not "hoá": names come from VSIC,
    GSO's workbooks and the demo in either style), and nothing for None (never the word "None")."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return Markup(gso_style(str(value)))  # letters only change: the markup stays as safe as it was
    if isinstance(value, str):
        return gso_style(value)
    return value


_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["j2", "html"]),
                   trim_blocks=True, lstrip_blocks=True, finalize=_finalize)


# -- numbers ------------------------------------------------------------------------------------------------
# The vi_VN and en_US marks of Babel's "#,##0.0…" patterns (publish.numbers): a table cell formats as
# format_number does, in a tenth of the time (a products page shows ~900 figures). Python's "," grouping
# and fixed decimals agree with Babel on the half-up rounded value, whose shortest repr has at most
# ``decimals`` decimals below 10^12 (tests/test_pages.py compares the two); anything else goes to Babel.
_MARKS = {"vi": str.maketrans(",.", ".,"), "en": str.maketrans("", "")}


def format_figure(value: float, decimals: int, lang: str) -> str:
    """``format_number(value, decimals, lang)``, fast for vi and en."""
    marks = _MARKS.get(lang)
    if marks is None or not abs(value) < 1e12:
        return format_number(value, decimals, lang)
    return f"{round_half_up(value, decimals):,.{decimals}f}".translate(marks)


def num(value: float, decimals: int, lang: str, withheld: bool = False) -> str:
    """A figure, "–" when missing, or "c" when missing because confidential (``withheld``)."""
    if value is None or math.isnan(value):
        return CONFIDENTIAL if withheld else "–"
    return format_figure(value, decimals, lang)


def pct(value: float, lang: str, withheld: bool = False) -> str:
    """``format_pct(value, 1, lang)``: "+3,4%" / "-4,4%" (fast, as :func:`format_figure`); "–" or "c"
    when missing."""
    if value is None or math.isnan(value):
        return CONFIDENTIAL if withheld else "–"
    rounded = round_half_up(value, 1)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "")
    return f"{sign}{format_figure(abs(rounded), 1, lang)}%"


def signed(value: float, decimals: int, lang: str, withheld: bool = False) -> str:
    """A signed figure, "+0,37" / "-1,51" (percentage points of a contribution); "–" or "c" when missing."""
    if value is None or math.isnan(value):
        return CONFIDENTIAL if withheld else "–"
    rounded = round_half_up(value, decimals)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "")
    return f"{sign}{format_figure(abs(rounded), decimals, lang)}"


def _vsic_path(code: str, parents: dict[str, str]) -> tuple[str, ...]:
    """The codes from the section down to ``code`` (VSIC's own tree; the table's parents for a code VSIC does
    not know), so sorting the paths gives the hierarchy order: section, its divisions, their groups…"""
    try:
        return (*reversed(vsic_ancestors(code)), code)
    except KeyError:
        path, seen = [code], {code}
        while (up := parents.get(path[0])) and up not in seen and up != "TOTAL":
            path.insert(0, up)
            seen.add(up)
        return tuple(path)


def hierarchy_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """IIP rows in the official order: the total, then each section followed by its divisions (and their
    groups), in VSIC order — also for a division whose section the table lacks — then the groups of key
    industries, the first (the sum of the others) first."""
    parents = {str(r["code"]): str(r.get("parent") or "") for r in rows}
    total = [r for r in rows if r["kind"] == "total"]
    tree = sorted((r for r in rows if r["kind"] == "industry"), key=lambda r: _vsic_path(str(r["code"]), parents))
    groups = [r for r in rows if r["kind"] == "group"]  # adjusted series ("10~trend") are no rows of the table
    return total + tree + groups


# -- charts (inline SVG) ------------------------------------------------------------------------------------
def _label(period: str, lang: str) -> str:
    key = parse_month(period)
    return month_name(period, lang) if key is not None else period


def _tick_month(period: str, lang: str) -> str:
    """A month on an axis: "1/2025" (vi), "Jan 2025" (en) — never the ISO code of the data files."""
    key = parse_month(period)
    if key is None:
        return period
    return f"{key % 12 + 1}/{key // 12}" if lang == "vi" else f"{month_name(period, 'en')[:3]} {key // 12}"


CHAR_W = 6.4  # width of one character of an 11 px label (system sans-serif), generous so nothing is clipped


def _text_width(text: str, size: float = 11.0) -> float:
    return len(text) * CHAR_W * size / 11.0


def bars_svg(points: list[tuple[str, float]], lang: str, *, title: str, decimals: int = 1,
             width: int = 300, height: int = 80, unit: str = "") -> Markup:
    """Bars around zero, one per period (missing values leave a gap); each bar carries its value as a
    tooltip. The value axis is labelled at its top, zero and bottom, with ``unit`` above it ("%", "tỷ USD");
    the first and last months are written under the bars. Presentation attributes only (no style
    attribute), so the page's CSP allows it."""
    values = [v for _, v in points if not math.isnan(v)]
    if not values:
        return Markup("")
    top, bottom = max(max(values), 0.0), min(min(values), 0.0)
    ticks = sorted({top, bottom, 0.0}, reverse=True)
    labels = [num(v, decimals, lang) for v in ticks]
    left = max(_text_width(x, 10) for x in labels) + 6  # room for the widest tick label: never clipped
    head, foot = (14 if unit else 4), 14
    full = height + head + foot
    span = (top - bottom) or 1.0
    scale = (height - 4) / span
    zero = head + 2 + top * scale
    step = (width - left) / max(len(points), 1)
    parts = [f'<svg class="chart bars" viewBox="0 0 {width} {full}" width="{width}" height="{full}" '
             f'role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    if unit:
        parts.append(f'<text class="unit" x="0" y="10" font-size="10">{escape(unit)}</text>')
    for v, text in zip(ticks, labels, strict=True):
        y = head + 2 + (top - v) * scale
        parts.append(f'<text class="tick" x="{left - 4:.1f}" y="{y + 3.5:.1f}" text-anchor="end" font-size="10">'
                     f"{escape(text)}</text>")
    for i, (period, v) in enumerate(points):
        if math.isnan(v):
            continue
        h = max(abs(v) * scale, 1.0)
        y = zero - h if v >= 0 else zero
        cls = "pos" if v >= 0 else "neg"
        last = " last" if i == len(points) - 1 else ""
        parts.append(f'<rect class="bar {cls}{last}" x="{left + i * step + 0.5:.1f}" y="{y:.1f}" '
                     f'width="{max(step - 1.0, 1.0):.1f}" height="{h:.1f}" data-period="{period}">'
                     f"<title>{escape(_label(period, lang))}: {escape(num(v, decimals, lang))}"
                     f"{escape(' ' + unit if unit and unit != '%' else unit)}</title></rect>")
    parts.append(f'<line class="axis" x1="{left:.1f}" x2="{width}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#888" '
                 'stroke-width="0.5"/>')
    first, last_p = points[0][0], points[-1][0]
    parts.append(f'<text class="tick" x="{left:.1f}" y="{full - 2}" font-size="10">'
                 f"{escape(_tick_month(first, lang))}</text>")
    if last_p != first:
        parts.append(f'<text class="tick" x="{width}" y="{full - 2}" text-anchor="end" font-size="10">'
                     f"{escape(_tick_month(last_p, lang))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def path_segments(points: list[tuple[str, float]], x_of: dict[str, float], y: Any) -> list[str]:
    """The SVG path commands through ``points`` (period, value) in period order, the pen lifted over a missing
    value (so a gap shows as a gap); ``x_of`` places a period, ``y`` a value."""
    d, pen = [], "M"
    for p, v in sorted(points):
        if math.isnan(v):
            pen = "M"
            continue
        d.append(f"{pen}{x_of[p]:.1f},{y(v):.1f}")
        pen = "L"
    return d


def lines_svg(series: list[tuple[str, list[tuple[str, float]]]], lang: str, *, title: str, width: int = 720,
              height: int = 260, unit: str = "", decimals: int = 1) -> Markup:
    """One path per series over the union of their periods, with min/max labels, ``unit`` above the value
    axis and the first/last month under it (labels sized to fit: the value axis is as wide as its longest
    label, and the chart keeps its proportions, so no text is clipped or stretched)."""
    periods = sorted({p for _, pts in series for p, v in pts if not math.isnan(v)})
    values = [v for _, pts in series for _, v in pts if not math.isnan(v)]
    if not periods or not values:
        return Markup("")
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1.0, hi + 1.0
    tick_text = {v: num(v, decimals, lang) for v in (hi, lo)}
    left = max(_text_width(x) for x in tick_text.values()) + 10
    right, top, bottom = 8, (20 if unit else 8), 22
    x_of = {p: left + (width - left - right) * (i / max(len(periods) - 1, 1)) for i, p in enumerate(periods)}

    def y(v: float) -> float:
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    parts = [f'<svg class="chart lines" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    if unit:
        parts.append(f'<text class="unit" x="2" y="12" font-size="11">{escape(unit)}</text>')
    for v in (hi, lo):
        parts.append(f'<line class="grid" x1="{left:.1f}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     'stroke="#ccc" stroke-width="0.5"/>')
        parts.append(f'<text class="tick" x="{left - 4:.1f}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{escape(tick_text[v])}</text>")
    for p, anchor in ((periods[0], "start"), (periods[-1], "end"))[:1 if len(periods) == 1 else 2]:
        parts.append(f'<text class="tick" x="{x_of[p]:.1f}" y="{height - 6}" text-anchor="{anchor}" '
                     f'font-size="11">{escape(_tick_month(p, lang))}</text>')
    for n, (name, pts) in enumerate(series):
        d = path_segments(pts, x_of, y)
        if d:
            parts.append(f'<path class="series s{n}" d="{" ".join(d)}" fill="none" stroke-width="2">'
                         f"<title>{escape(name)}</title></path>")
        for i, seg in enumerate(d):  # a lone point (one month, or between gaps) has no line: mark it
            alone = seg.startswith("M") and (i + 1 == len(d) or d[i + 1].startswith("M"))
            if alone:
                cx, cy = seg[1:].split(",")
                parts.append(f'<circle class="series s{n}" cx="{cx}" cy="{cy}" r="3">'
                             f"<title>{escape(name)}</title></circle>")
    parts.append("</svg>")
    return Markup("".join(parts))


# -- data for the pages -------------------------------------------------------------------------------------
def _month_periods(periods: pd.Series) -> list[str]:
    return sorted(p for p in periods.dropna().astype(str).unique() if parse_month(p) is not None)


@dataclass(frozen=True)
class SeriesIndex:
    """What the pages need of the catalogue: each series' source, table, code, kind, names and last period.

    Read in one light query (``Store.last_periods``: each series' last period through the observations' index,
    counting only the releases the view can see — so "the latest month" is the latest *public* month, never
    one still under embargo), not the full API catalogue, which aggregates every observation (first and last
    period, last update) and costs ~200 ms on the demo store: a page's first render after a release, or every
    render with the response cache off, would pay it. Items have the catalogue's field names; series without
    (visible) observations are left out, as the catalogue leaves them out.
    """

    items: list[dict[str, Any]]
    by_code: dict[str, dict[str, Any]]

    @staticmethod
    def read(store: Any) -> SeriesIndex:
        rows = store.last_periods()
        items = [{"code": key, "code_in_table": code, "source": source, "table": table, "kind": kind,
                  "name_vi": name_vi, "name_en": name_en or "", "last_period": last_period}
                 for key, code, source, table, kind, name_vi, name_en, last_period in rows if last_period is not None]
        return SeriesIndex(items, {i["code"]: i for i in items})


def series_index(api: ApiState) -> SeriesIndex:
    """The series index at the current release fingerprint (read once per fingerprint while the response cache
    is on)."""
    full = ("page-series-index", api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        hit = SeriesIndex.read(api.store)
        api.cache.put(full, hit)
    return hit  # type: ignore[return-value]


def latest_month(index: SeriesIndex, source: str) -> str | None:
    """The latest month the source's IIP (else any monthly table) has figures for."""
    items = [i for i in index.items if i["source"] == source and i["last_period"]
             and parse_month(i["last_period"]) is not None]
    iip = [i for i in items if i["table"] == "iip" and i["kind"] == "total"]
    pool = iip or items
    return max((i["last_period"] for i in pool), default=None)


def default_source(index: SeriesIndex) -> str:
    return "city" if latest_month(index, "city") else "gso"


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


def synthetic_sources(api: ApiState) -> frozenset[str]:
    """The sources with a visible synthetic release, read once per release fingerprint."""
    full = ("page-synthetic-sources", api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        hit = api.store.synthetic_sources()
        api.cache.put(full, hit)
    return hit  # type: ignore[return-value]


def _page(request: Request, template: str, lang: str, alternate: str, *, synthetic: bool | None = None,
          **context: Any) -> Rendered:
    """Render ``template``. The page carries the "synthetic data" banner when ``synthetic`` says so, or — left
    None — when the ``source`` it shows has a synthetic release (so a page of another module that passes its
    ``source`` is marked by construction); ``indicators`` may pass ``MonthlyIndicators`` whose own mark counts."""
    other = "en" if lang == "vi" else "vi"
    if synthetic is None:
        ind = context.get("indicators")
        source = context.get("source")
        synthetic = bool(getattr(ind, "synthetic", False)) or (
            isinstance(source, str) and source in synthetic_sources(_api(request)))
    body = _env.get_template(template).render(
        lang=lang, t=lambda key: t(key, lang), alternate=alternate, api=PREFIX, synthetic=synthetic,
        source_pick=lambda s: source_pick(s, lang), source_label=lambda s: source_name(s, lang),
        alternate_type="text/csv" if "format=csv" in alternate else "application/json",
        alternate_label="CSV" if "format=csv" in alternate else "JSON",
        toggle_url=_url(request, lang=None if other == "vi" else other), toggle_lang=other,
        nav=lambda path: path + ("?lang=en" if lang == "en" else ""), **context)
    return Rendered.of(body.encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": CSP, "Content-Language": lang, "X-Content-Type-Options": "nosniff"})


def _api(request: Request) -> ApiState:
    return request.app.state.api  # type: ignore[no-any-return]


async def _serve(request: Request, key: tuple[Any, ...], build: Any) -> Response:
    api = _api(request)
    # The query string is part of the key: the page's links echo it (?lang=vi and no lang render alike but
    # link differently), so two spellings of one selection must not share an entry.
    response = _respond(request, await api.cached(("page", *key, str(request.query_params)), build), 0)
    response.headers["Cache-Control"] = "no-cache"  # revalidate with the ETag: a new release shows at once
    return response


LangQuery = Annotated[Lang, Query(description="vi (default) or en")]
SourceQuery = Annotated[Source | None, Query(description="city or gso; default city if it has data")]


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


def _source_name(source: str, lang: str) -> str:
    return source_name(source, lang)


def _series_points(api: ApiState, index: SeriesIndex, keys: list[str], measures: dict[str, str] | None = None,
                   ) -> dict[str, list[tuple[str, float]]]:
    """Level of each key (else its change on a year earlier), by period: one measure read at a time, for
    the keys still without monthly figures (usually one query, of levels only). ``measures`` receives the
    measure each key's points are ("level" or a change in %), for the chart's unit."""
    out: dict[str, list[tuple[str, float]]] = {}
    remaining = [k for k in keys if k in index.by_code]  # a series not in the index has no observations
    for measure, minus in (("level", 0.0), ("pct_change_same_month_last_year", 0.0),
                           ("pct_same_month_last_year", 100.0)):
        if not remaining:
            break
        frame = api.store.observations(keys=remaining, measure=measure)
        if not frame.empty:
            monthly = {p: parse_month(str(p)) is not None for p in frame["period"].unique().tolist()}
            frame = frame[frame["period"].map(monthly).astype(bool)]
        for key, m in frame.groupby("key"):
            if measures is not None:
                measures[str(key)] = measure
            out[str(key)] = [(str(p), math.nan if pd.isna(v) else float(v) - minus)
                             for p, v in zip(m["period"], m["value"], strict=True)]
        remaining = [k for k in remaining if k not in out]
    return out


async def industries(request: Request, lang: LangQuery = "vi", source: SourceQuery = None,
                     code: Annotated[str | None, Query(max_length=80, description="industry code (VSIC)")] = None,
                     period: Annotated[str | None, Query(pattern=MONTH_PATTERN,
                                                         description="month YYYY-MM; default the latest")] = None,
                     ) -> Response:
    """The month's IIP table and the chart of one series (original and adjusted versions)."""
    api = _api(request)

    def build() -> Rendered:
        index = series_index(api)
        src = source or default_source(index)
        month = period or latest_month(index, src)
        selected = code or "TOTAL"
        key = f"{src}/iip/{selected}"
        catalogue = index.by_code
        if key not in catalogue:
            raise Problem(404, f"no industry '{selected}' in the IIP of source '{src}'; the table at "
                               f"/industries?source={src} lists the codes", title="Unknown industry",
                          slug="unknown-series")
        rows: list[dict[str, Any]] = []
        if month is not None:
            view = month_table(api.store, month, src, "iip", year_ago=False)  # no "cùng kỳ" shown
            if view is not None:
                for r in hierarchy_order(view.rows.to_dict("records")):
                    line, kind = view.line(r), str(r["kind"])
                    level = r["level_in_tree"]
                    c = line.confidential
                    rows.append({"code": "" if kind in ("group", "total") else line.code, "name": line.name(lang),
                                 "kind": kind,
                                 "depth": 0 if pd.isna(level) else max(int(level) - 1, 0),
                                 "index": num(line.level, 1, lang, c), "prev_month": pct(line.prev_month, lang, c),
                                 "same_month": pct(line.same_month_last_year, lang, c), "ytd": pct(line.ytd, lang, c),
                                 # the total's contribution to its own growth is no figure (issue 2): left blank
                                 "contribution": "" if kind == "total" else signed(line.contribution, 2, lang, c),
                                 "status": _status(line, lang), "selected": line.code == selected,
                                 "url": _url(request, code=line.code)})
        keys = [key, *(f"{key}~{k}" for k in ADJUSTED)]
        measures: dict[str, str] = {}
        points = _series_points(api, index, keys, measures)
        names = [t("original", lang), *(t(k, lang) for k in ADJUSTED)]
        series = [(n, points[k]) for k, n in zip(keys, names, strict=True) if k in points]
        meta = catalogue[key]
        title = meta["name_en"] if lang == "en" and meta["name_en"] else meta["name_vi"]
        downloads = [(k, n, _csv_url(k), f"{PREFIX}/series/{quote(k)}/observations?format=xlsx")
                     for k, n in zip(keys, names, strict=True) if k in points]
        return _page(request, "industries.html.j2", lang, _csv_url(key), rows=rows, source=src,
                     month=month_name(month, lang) if month else "", selected=selected, title=title,
                     chart=lines_svg(series, lang, title=f"{t('chart_of', lang)}: {title}",
                                     unit=t("index", lang) if measures.get(key) == "level" else t("chart_pct", lang)),
                     legend=[(n, i) for i, (n, _) in enumerate(series)], downloads=downloads,
                     table_csv=f"{PREFIX}/series?" + urlencode({"source": src, "table": "iip"}),
                     source_name=_source_name(src, lang))

    return await _serve(request, ("industries", lang, source, code, period), build)


async def about(request: Request, lang: LangQuery = "vi") -> Response:
    """Sources, method summary and revision policy."""
    def build() -> Rendered:
        return _page(request, "about.html.j2", lang, f"{PREFIX}/releases",
                     sources=[_source_name(s, lang) for s in ("city", "gso")], synthetic=False)

    return await _serve(request, ("about", lang), build)


def release_rows(api: ApiState, lang: str) -> list[dict[str, Any]]:
    """Every visible release in words: its source's name, period, date, the document it is and what it holds
    (figures, trade flows or a key-product scoring — a release of flows has no observations, so "0" would
    mislead), marked when synthetic."""
    from vnindustry.store.trade import flow_releases, scorings

    flows = {int(r["id"]): int(r["rows"]) for r in flow_releases(api.store).to_dict("records")}
    scored = {s.id for s in scorings(api.store)}
    items = []
    for r in api.store.releases().to_dict("records"):
        rid, src = int(r["id"]), str(r["source"])
        ref = r["reference_period"]
        released = r["released_on"]
        if rid in flows:
            holds = f"{num(float(flows[rid]), 0, lang)} {t('flows', lang)}"
        elif rid in scored:
            holds = t("scoring", lang).capitalize()
        else:
            holds = f"{num(float(r['observations']), 0, lang)} {t('figures', lang)}"
        items.append({"id": rid, "source": src, "source_name": source_name(src, lang),
                      "reference_period": period_name(ref, lang),
                      "released_on": format_date(released, lang) if released is not None else "",
                      "file": release_document(src, r["file"], ref, lang), "observations": holds,
                      "synthetic": bool(r.get("synthetic", False)) and not pd.isna(r.get("synthetic"))})
    return items


async def releases(request: Request, lang: LangQuery = "vi") -> Response:
    """Every release in the store, newest first."""
    api = _api(request)

    def build() -> Rendered:
        return _page(request, "releases.html.j2", lang, f"{PREFIX}/releases", items=release_rows(api, lang),
                     synthetic=False)

    return await _serve(request, ("releases", lang), build)


# -- products, trade, bulletins, calendar -------------------------------------------------------------------
PeriodQuery = Annotated[str | None, Query(pattern=MONTH_PATTERN,
                                          description="month YYYY-MM; default the latest")]
BulletinFmt = Literal["html", "docx", "pdf", "xlsx", "md"]
BULLETIN_FORMATS: tuple[str, ...] = ("html", "docx", "pdf", "xlsx", "md")


def latest_table_month(index: SeriesIndex, source: str, table: str) -> str | None:
    """The latest month for which ``table`` of ``source`` has figures."""
    return max((i["last_period"] for i in index.items if i["source"] == source and i["table"] == table
                and i["last_period"] and parse_month(i["last_period"]) is not None), default=None)


def _table_source(index: SeriesIndex, source: str | None, table: str) -> str:
    """The chosen source, else the first of city, gso that has ``table``."""
    if source:
        return source
    return next((s for s in ("city", "gso") if latest_table_month(index, s, table)), "city")


def _no_data(table: str, period: str, src: str) -> Problem:
    return Problem(404, f"no '{table}' figures for {period} from source '{src}'", title="No data", slug="no-data")


def _month_view(api: ApiState, index: SeriesIndex, src: str, table: str, period: str | None,
                history: int = 13, tables: tuple[str, ...] | None = None,
                ) -> tuple[str | None, MonthlyIndicators | None, TableView | None]:
    """(month, indicators, view) of ``table``; an explicit month without figures is a 404 problem.
    ``tables``: read only these tables of the source (the ones the page shows)."""
    month = period or latest_table_month(index, src, table)
    if month is None:
        return None, None, None
    keys = None if tables is None else [i["code"] for i in index.items
                                        if i["source"] == src and i["table"] in tables] or ["-"]
    ind = monthly_indicators(api.store, month, src, history_months=history, keys=keys)
    view = ind.table(table)
    if view is None and period is not None:
        raise _no_data(table, period, src)
    return month, ind, view


def movers_svg(items: list[tuple[str, float]], lang: str, *, title: str, width: int = 640, unit: str = "%") -> Markup:
    """Horizontal bars (one per named item, around zero) with the name and value as text; the name column is
    as wide as the longest name (up to 60 characters), so names are not cut, and ``unit`` heads the values."""
    items = [(n, v) for n, v in items if not math.isnan(v)]
    if not items:
        return Markup("")
    shorts = [n if len(n) <= 60 else n[:59] + "…" for n, _ in items]
    row, value_w, head = 18, 60, (16 if unit else 2)
    label_w = max(_text_width(x) for x in shorts) + 10
    plot = max(width - 220 - value_w, 200)
    width = int(label_w + plot + value_w)
    height = head + row * len(items) + 4
    lo, hi = min(min(v for _, v in items), 0.0), max(max(v for _, v in items), 0.0)
    span = (hi - lo) or 1.0
    zero = label_w + plot * (-lo / span)
    parts = [f'<svg class="chart movers" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}">', f"<title>{escape(title)}</title>"]
    if unit:
        parts.append(f'<text class="unit" x="{width - 2}" y="11" text-anchor="end" font-size="11">'
                     f"{escape(unit)}</text>")
    for i, ((name, v), short) in enumerate(zip(items, shorts, strict=True)):
        y = head + i * row
        w = max(abs(v) / span * plot, 1.0)
        x = zero if v >= 0 else zero - w
        parts.append(f'<text class="tick" x="{label_w - 6:.1f}" y="{y + 12}" text-anchor="end" font-size="11">'
                     f"{escape(short)}</text>")
        parts.append(f'<rect class="bar {"pos" if v >= 0 else "neg"}" x="{x:.1f}" y="{y + 2}" width="{w:.1f}" '
                     f'height="{row - 5}"><title>{escape(name)}: {escape(pct(v, lang))}</title></rect>')
        parts.append(f'<text class="tick" x="{width - 2}" y="{y + 12}" text-anchor="end" font-size="11">'
                     f"{escape(pct(v, lang))}</text>")
    parts.append(f'<line class="axis" x1="{zero:.1f}" x2="{zero:.1f}" y1="{head}" y2="{height}" stroke="#888" '
                 'stroke-width="0.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _sources(request: Request) -> list[tuple[str, str]]:
    return [(s, _url(request, source=s, period=None)) for s in ("city", "gso")]


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


def bulletin_months(api: ApiState, source: str, limit: int = 24) -> list[str]:
    """Months with an IIP total for ``source`` in the store, latest first (at most ``limit``)."""
    keys = [i["code"] for i in series_index(api).items
            if i["source"] == source and i["table"] == "iip" and i["kind"] == "total"]
    if not keys:
        return []
    frame = api.store.observations(keys=keys[:1])
    return _month_periods(frame["period"])[::-1][:limit] if len(frame) else []


def _bulletin_url(period: str, fmt: str, source: str, lang: str) -> str:
    return f"/bulletins/{period}.{fmt}?" + urlencode({"source": source, "lang": lang})


async def bulletins(request: Request, lang: LangQuery = "vi", source: SourceQuery = None) -> Response:
    """The archive: each month with IIP figures, its bulletin in every format and both languages."""
    api = _api(request)

    def build() -> Rendered:
        src = source or default_source(series_index(api))
        items = [{"period": p, "month": month_name(p, lang),
                  "links": [(t(code, lang), [(f.upper(), _bulletin_url(p, f, src, b_lang))
                                             for f in BULLETIN_FORMATS])
                            for b_lang, code in (("vi", "vietnamese"), ("en", "english"))]}
                 for p in _cached_months(api, src)]
        return _page(request, "bulletins.html.j2", lang, _csv_url(f"{src}/iip/TOTAL"), items=items, source=src,
                     source_name=_source_name(src, lang), sources=_sources(request))

    return await _serve(request, ("bulletins", lang, source), build)


def _cached_months(api: ApiState, source: str) -> list[str]:
    full = ("bulletin-months", source, api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        hit = bulletin_months(api, source)
        api.cache.put(full, hit)
    return hit  # type: ignore[return-value]


async def bulletin_file(request: Request, period: Annotated[str, FastApiPath(pattern=MONTH_PATTERN)],
                        fmt: BulletinFmt, lang: LangQuery = "vi", source: SourceQuery = None) -> Response:
    """One month's bulletin, composed on the fly from the store, in html, docx, pdf, xlsx or md."""
    api = _api(request)

    def build() -> Rendered:
        src = source or default_source(series_index(api))
        if period not in _cached_months(api, src):
            raise Problem(404, f"no IIP figures for {period} from source '{src}'; /bulletins?source={src} lists "
                               "the months", title="No data", slug="no-data")
        annex = store_annex(api.store, lang, source=src)  # competitiveness and key products of this source
        body = write_bulletin(compose_bulletin(monthly_indicators(api.store, period, src), lang, annex=annex), fmt)
        name = f"{'ban-tin' if lang == 'vi' else 'bulletin'}-{src}-{period}-{lang}.{fmt}"
        return Rendered.of(body, BULLETIN_MEDIA_TYPES[fmt],  # type: ignore[index]
                           {"Content-Disposition": f'attachment; filename="{name}"',
                            "X-Content-Type-Options": "nosniff"})

    response = _respond(request, await api.cached(("bulletin", source, period, fmt, lang), build), 0)
    response.headers["Cache-Control"] = "no-cache"
    return response


GSO_RULE_FROM = 2023  # GSO publishes on the 6th of the next month from 2023
CITY_DAY, GSO_DAY = 10, 6


def expected_dates(source: str, after: str | None, today: dt.date, n: int = 6) -> list[tuple[str, dt.date]]:
    """(reference month, expected publication date) of the next ``n`` publications on or after ``today``
    for the months after ``after`` (the latest month in the store): GSO on the 6th of the next month,
    the city on the 10th (the Department's plan)."""
    day = GSO_DAY if source == "gso" else CITY_DAY
    first = parse_month(after) + 1 if after and parse_month(after) is not None else 0  # type: ignore[operator]
    k = max(first, today.year * 12 + today.month - 3)
    out: list[tuple[str, dt.date]] = []
    while len(out) < n:
        nxt = k + 1
        when = dt.date(nxt // 12, nxt % 12 + 1, day)
        if when >= today:
            out.append((month_code(k), when))
        k += 1
    return out


def overdue_months(source: str, after: str | None, today: dt.date) -> tuple[str, str, dt.date] | None:
    """(first, last, first due date) of the months after ``after`` whose expected publication date has
    passed without a release in the store, or None. The calendar says so instead of announcing only the
    future: a store a year behind must not look on schedule."""
    m = parse_month(after) if after else None
    if m is None:
        return None
    day = GSO_DAY if source == "gso" else CITY_DAY
    due = [k for k in range(m + 1, today.year * 12 + today.month)
           if dt.date((k + 1) // 12, (k + 1) % 12 + 1, day) < today]
    if not due:
        return None
    first = due[0] + 1
    return month_code(due[0]), month_code(due[-1]), dt.date(first // 12, first % 12 + 1, day)


async def calendar(request: Request, lang: LangQuery = "vi") -> Response:
    """Past releases and the expected next publication dates of each source."""
    api = _api(request)

    def build() -> Rendered:
        past = release_rows(api, lang)
        upcoming = []
        overdue = []
        index = series_index(api)
        today = api.store.today() or dt.date.today()
        # What the calendar announces of a release under embargo: its source, period and date (nothing else).
        announced = api.store.scheduled().to_dict("records")
        for r in announced:
            ref = str(r["reference_period"] or "")
            upcoming.append({"source": r["source"], "source_name": _source_name(str(r["source"]), lang),
                             "reference_period": ref, "month": period_name(ref, lang),
                             "expected_on": format_date(r["released_on"], lang)})
        for src in ("city", "gso"):
            after = max([m for m in [latest_month(index, src)] + [str(r["reference_period"] or "") for r in announced
                                                                   if r["source"] == src]
                         if m and parse_month(m) is not None], default=None)
            late = overdue_months(src, after, today)
            if late:
                overdue.append({"source": src, "source_name": _source_name(src, lang),
                                "first": month_name(late[0], lang), "last": month_name(late[1], lang),
                                "count": parse_month(late[1]) - parse_month(late[0]) + 1,  # type: ignore[operator]
                                "due": format_date(late[2], lang)})
            for ref, when in expected_dates(src, after, today):
                upcoming.append({"source": src, "source_name": _source_name(src, lang),
                                 "reference_period": ref, "month": month_name(ref, lang),
                                 "expected_on": format_date(when, lang)})
        return _page(request, "calendar.html.j2", lang, f"{PREFIX}/releases", past=past, upcoming=upcoming,
                     overdue=overdue, gso_from=GSO_RULE_FROM, synthetic=False)

    return await _serve(request, ("calendar", lang), build)


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
