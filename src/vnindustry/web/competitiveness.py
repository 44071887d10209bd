"""Dashboard pages and API routes for trade competitiveness and key industrial products (issue 7).

- ``/competitiveness``: an exporter's RCA in a market (default Viet Nam in the EU) by product group over the
  years, as an inline SVG chart and a table; the crude-oil switch (``?crude=exclude|include``), the market
  and the exporter are links, so every view is bookmarkable and works without JavaScript;
- ``/key-products``: the latest stored scoring: every candidate with each criterion's value, its score, rank
  and class; the weights with the AHP consistency ratio; the sensitivity of ranks and classes;
- ``GET /api/v1/trade/rca`` and ``GET /api/v1/key-products``: the same figures, unrounded, as JSON or CSV.

Figures come from ``publish.competitiveness`` (the bulletin's annex uses the same functions) over the
store's public view; answers are cached per release like every other route, errors are problem+json.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from vnindustry import names
from vnindustry.publish.competitiveness import (
    DEFAULT_EXPORTER,
    DEFAULT_MARKET,
    RCA_COLUMNS,
    NoTradeData,
    RcaTable,
    Scoring,
    class_name,
    criterion_label,
    markets_of,
    product_name,
    rca_table,
    run_title,
    scored_name,
)
from vnindustry.store.trade import flows_fingerprint, latest_scoring, trade_flows
from vnindustry.web.api import PREFIX, ApiState, _json, _respond, problem_responses
from vnindustry.web.cache import Rendered
from vnindustry.web.pages import _page, _serve, _url, num, path_segments
from vnindustry.web.problems import Problem

TEXT: dict[str, tuple[str, str]] = {
    "competitiveness": ("Năng lực cạnh tranh", "Competitiveness"),
    "competitiveness_title": ("Năng lực cạnh tranh xuất khẩu theo thị trường", "Export competitiveness by market"),
    "key_products": ("Sản phẩm chủ lực", "Key-product scoring"),
    "key_products_title": ("Sản phẩm công nghiệp chủ lực và tiềm năng", "Key and potential industrial products"),
    "no_trade": ("Chưa có số liệu thương mại song phương. Nhập số liệu bằng “vnindustry trade import” hoặc chạy "
                 "“vnindustry demo”.",
                 "No bilateral trade flows yet. Import them (vnindustry trade import) or run vnindustry demo."),
    "no_market": ("Chưa có số liệu cho thị trường và nước xuất khẩu này.",
                  "No figures for this market and exporter yet."),
    "no_scoring": ("Chưa có kết quả chấm điểm sản phẩm chủ lực. Lưu một kết quả bằng “vnindustry products score”.",
                   "No key-product scoring yet. Store one with vnindustry products score."),
    "market": ("Thị trường", "Market"),
    "exporter": ("Nước xuất khẩu", "Exporter"),
    "crude": ("Dầu thô", "Crude oil"),
    "exclude": ("Không kể dầu thô", "Excluding crude oil"),
    "include": ("Kể cả dầu thô", "Including crude oil"),
    "chart": ("Chỉ số RCA theo nhóm hàng qua các năm (đường nét đứt: RCA = 1)",
              "RCA by product group over the years (dashed line: RCA = 1)"),
    "chart_top": ("các nhóm hàng có RCA cao nhất năm", "the groups with the highest RCA in"),
    "hs": ("Mã HS", "HS code"),
    "group": ("Nhóm hàng", "Product group"),
    "change": ("Thay đổi so với năm trước", "Change on previous year"),
    "share": ("Thị phần (%)", "Market share (%)"),
    "share_change": ("Thay đổi thị phần (điểm phần trăm)", "Share change (percentage points)"),
    "advantage": ("RCA ≥ 1", "RCA ≥ 1"),
    "total_share": ("Thị phần chung", "Overall market share"),
    "rca_note": ("RCA (Balassa) trên thị trường: tỷ trọng của nhóm hàng trong xuất khẩu của nước vào thị trường chia "
                 "cho tỷ trọng đó của tất cả các nước xuất khẩu trong bộ số liệu; RCA ≥ 1: có lợi thế so sánh hiện "
                 "hữu. Số liệu theo tháng được cộng thành năm.",
                 "RCA (Balassa) in the market: the group's share of the country's exports into the market divided by "
                 "that share for all exporters covered; RCA ≥ 1: a revealed comparative advantage. Monthly flows are "
                 "summed into years."),
    "rank": ("Hạng", "Rank"),
    "code": ("Mã", "Code"),
    "product": ("Sản phẩm", "Product"),
    "score": ("Điểm", "Score"),
    "class": ("Nhóm", "Class"),
    "weights": ("Tiêu chí và trọng số", "Criteria and weights"),
    "criterion": ("Tiêu chí", "Criterion"),
    "weight": ("Trọng số (%)", "Weight (%)"),
    "consistency": ("Tính nhất quán của ma trận so sánh cặp (AHP)", "Consistency of the pairwise matrix (AHP)"),
    "consistent": ("nhất quán (CR ≤ 0,1)", "consistent (CR ≤ 0.1)"),
    "inconsistent": ("không nhất quán (CR > 0,1)", "inconsistent (CR > 0.1)"),
    "no_ahp": ("Trọng số không lấy từ so sánh cặp nên không có CR.",
               "The weights do not come from a pairwise comparison: no CR."),
    "sensitivity": ("Độ nhạy: hạng và nhóm khi mỗi trọng số thay đổi", "Sensitivity: ranks and classes when each "
                    "weight moves"),
    "base_rank": ("Hạng", "Rank"),
    "rank_range": ("Khoảng hạng", "Rank range"),
    "classes": ("Các nhóm có thể", "Classes taken"),
    "method": ("Phương pháp", "Method"),
    "released_on": ("Ngày công bố", "Released on"),
    "scoring": ("Kết quả chấm điểm", "Scoring"),
}
PALETTE = ("#0b3d62", "#f0a500", "#1f9e89", "#c8553d", "#6a4c93", "#2a9d8f", "#e76f51", "#8d99ae", "#3a86ff",
           "#8ac926")
CHART_GROUPS = 8  # lines drawn: the groups with the highest RCA in the latest year (the table lists all)
MARKET_PATTERN = r"^[A-Za-z0-9]{2,10}(,[A-Za-z0-9]{2,10}){0,29}$"

Lang = Literal["vi", "en"]
LangQuery = Annotated[Lang, Query(description="vi (default) or en")]
MarketQuery = Annotated[str, Query(max_length=330, pattern=MARKET_PATTERN,
                                   description="a market group (EU, ASEAN, RCEP, CPTPP), an importer code (ISO "
                                               "alpha-3) or a comma-separated list of them")]
ExporterQuery = Annotated[str, Query(min_length=2, max_length=10, pattern=r"^[A-Za-z0-9]{2,10}$",
                                     description="exporter code (ISO alpha-3), default VNM")]
CrudeQuery = Annotated[Literal["exclude", "include"], Query(description="exclude (default) or include crude oil "
                                                                        "(HS 2709)")]
FormatQuery = Annotated[Literal["json", "csv"], Query(alias="format", description="json (default) or csv")]


def t(key: str, lang: str) -> str:
    """This module's words in ``lang``."""
    vi, en = TEXT[key]
    return vi if lang == "vi" else en


def _api(request: Request) -> ApiState:
    return request.app.state.api  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _TradeRead:
    """The stored trade flows at one trade fingerprint (``current``: :func:`~vnindustry.store.trade.flows_fingerprint`)
    and the releases their values come from: what a page or an answer computes from, so that its parts agree
    even when a release lands meanwhile."""

    current: Hashable
    flows: pd.DataFrame
    releases: frozenset[int]


def _flows_current(api: ApiState) -> Hashable:
    """The visible trade releases' fingerprint, asked once per release fingerprint (any new release, or an
    embargo lifting, asks again)."""
    return api.cache.get_or_build(("trade-fingerprint", api.watcher.current()), lambda: flows_fingerprint(api.store))


def _flows_read(api: ApiState) -> _TradeRead:
    """The flows at the current trade fingerprint: one read per set of visible trade releases, which both the
    flows and their synthetic mark (:func:`_synthetic`) are taken from (they were two reads of every flow).
    Keyed on the trade releases alone, so a release of other figures (a month's IIP, say) does not make the next
    visitor wait for every flow to be read again and every RCA table computed again (issue 16). Read-only."""
    current = _flows_current(api)

    def read() -> _TradeRead:
        flows = trade_flows(api.store, with_release=True)
        return _TradeRead(current, flows.drop(columns="release_id"), frozenset(flows["release_id"].tolist()))

    # Built once however many requests miss together (a new release): each would read every flow.
    return api.cache.get_or_build(("trade-flows", current), read)


def _scoring(api: ApiState) -> Scoring | None:
    """The latest stored scoring at the current release, or None (read once per release)."""
    full = ("key-product-scoring", api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        stored = latest_scoring(api.store)
        hit = ("none",) if stored is None else Scoring.from_stored(stored)
        api.cache.put(full, hit)
    return hit if isinstance(hit, Scoring) else None


def _synthetic(api: ApiState, read: _TradeRead | None = None) -> tuple[bool, bool]:
    """Whether the stored flows (``read``'s, else the current release's) and the latest scoring come from
    synthetic releases (the demo generator's): the pages then carry the "synthetic data" banner and the API
    says so (issue 13). Once per release."""
    read = read or _flows_read(api)
    # The latest scoring is another source's release: the mark is asked again after any release.
    full = ("trade-synthetic", read.current, api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        ids = api.store.synthetic_release_ids()
        stored = latest_scoring(api.store)
        hit = (not read.flows.empty and not ids.isdisjoint(read.releases),
               stored is not None and stored.id in ids)
        api.cache.put(full, hit)
    return hit  # type: ignore[return-value]


def _rca(api: ApiState, read: _TradeRead, market: str, exporter: str, exclude: bool) -> RcaTable:
    """:func:`rca_table` of ``read``'s flows, computed once per release and selection: the page in each
    language and source, and the API, share it (0.25 s of computation each before). Read-only."""
    return api.cache.get_or_build(  # type: ignore[no-any-return]
        ("rca-table", read.current, market, exporter, exclude),
        lambda: rca_table(read.flows, market=market, exporter=exporter, exclude_crude_oil=exclude))


def _table(api: ApiState, read: _TradeRead, market: str, exporter: str, exclude: bool) -> RcaTable:
    """The RCA table; 404 problem when the store has no flows for the selection."""
    try:
        return _rca(api, read, market, exporter, exclude)
    except NoTradeData as exc:
        raise Problem(404, str(exc), title="No data", slug="no-data") from None
    except ValueError as exc:  # e.g. crude oil that cannot be split out of chapter 27
        raise Problem(400, str(exc), title="Selection cannot be computed",
                      slug="selection-not-computable") from None


# -- chart --------------------------------------------------------------------------------------------------
def rca_svg(series: list[tuple[str, list[tuple[str, float]]]], lang: str, *, title: str, width: int = 720,
            height: int = 280) -> Markup:
    """One line per product group over the years, coloured by presentation attributes (the CSP allows no
    style attribute), with a dashed reference line at RCA = 1 and the first and last year labelled."""
    periods = sorted({p for _, pts in series for p, v in pts if not math.isnan(v)})
    values = [v for _, pts in series for _, v in pts if not math.isnan(v)]
    if not periods or not values:
        return Markup("")
    lo, hi = min(0.0, min(values)), max(1.2, max(values))
    left, right, top, bottom = 44, 10, 10, 24
    x_of = {p: left + (width - left - right) * (i / max(len(periods) - 1, 1)) for i, p in enumerate(periods)}

    def y(v: float) -> float:
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    parts = [f'<svg class="chart rca" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}">', f"<title>{escape(title)}</title>"]
    for v in (lo, 1.0, hi):
        dash = ' stroke-dasharray="5 4"' if v == 1.0 else ""
        parts.append(f'<line class="grid{" one" if v == 1.0 else ""}" x1="{left}" x2="{width - right}" '
                     f'y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{"#555" if v == 1.0 else "#ccc"}" '
                     f'stroke-width="{1 if v == 1.0 else 0.5}"{dash}/>')
        parts.append(f'<text class="tick" x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{escape(num(v, 1, lang))}</text>")
    for i, p in enumerate(periods):
        # The first and last labels are anchored inside the plot, so they are not cut at the edges.
        anchor = "start" if i == 0 and len(periods) > 1 else "end" if i == len(periods) - 1 else "middle"
        parts.append(f'<text class="tick" x="{x_of[p]:.1f}" y="{height - 6}" text-anchor="{anchor}" font-size="11">'
                     f"{escape(p)}</text>")
    for n, (name, pts) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        d = path_segments(pts, x_of, y)
        if d:
            parts.append(f'<path class="series rca-line" data-group="{escape(name)}" d="{" ".join(d)}" fill="none" '
                         f'stroke="{colour}" stroke-width="2"><title>{escape(name)}</title></path>')
        for p, v in pts:
            if not math.isnan(v):
                parts.append(f'<circle cx="{x_of[p]:.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                             f"<title>{escape(name)} {escape(p)}: {escape(num(v, 2, lang))}</title></circle>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _swatch(n: int) -> Markup:
    return Markup(f'<svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
                  f'fill="{PALETTE[n % len(PALETTE)]}"/></svg>')


# -- pages --------------------------------------------------------------------------------------------------
def _rca_api_url(market: str, exporter: str, crude: str, fmt: str = "csv") -> str:
    from urllib.parse import urlencode

    return f"{PREFIX}/trade/rca?" + urlencode({"market": market, "exporter": exporter,
                                               "exclude_crude_oil": "true" if crude == "exclude" else "false",
                                               "format": fmt})


async def competitiveness(request: Request, lang: LangQuery = "vi", market: MarketQuery = DEFAULT_MARKET,
                          exporter: ExporterQuery = DEFAULT_EXPORTER, crude: CrudeQuery = "exclude") -> Response:
    """RCA by product group in a market over the years: chart, table, crude-oil switch, market and exporter."""
    api = _api(request)
    explicit = "market" in request.query_params or "exporter" in request.query_params
    exporter = exporter.upper()

    def build() -> Rendered:
        read = _flows_read(api)  # one release for every part of the page
        flows = read.flows
        context: dict[str, Any] = {"ct": lambda key: t(key, lang), "market": market, "exporter": exporter,
                                   "market_name": names.market_name(market, lang),
                                   "exporter_name": names.market_name(exporter, lang),
                                   "crude": crude, "has_flows": not flows.empty, "table": None, "rows": [],
                                   "chart": Markup(""), "legend": [], "periods": [], "message": "",
                                   "markets": [], "exporters": [], "switch": [], "total_share": ""}
        alternate = _rca_api_url(market, exporter, crude)
        if flows.empty:
            context["message"] = t("no_trade", lang)
            return _page(request, "competitiveness.html.j2", lang, alternate, **context)
        synthetic = _synthetic(api, read)[0]
        context["markets"] = [(m, names.market_name(m, lang), _url(request, market=m, exporter=None))
                              for m in markets_of(flows)]
        context["switch"] = [(c, t(c, lang), _url(request, crude=c)) for c in ("exclude", "include")]
        try:
            table = _rca(api, read, market, exporter, crude == "exclude")
        except NoTradeData as exc:
            if explicit:
                raise Problem(404, str(exc), title="No data", slug="no-data") from None
            context["message"] = t("no_market", lang)
            return _page(request, "competitiveness.html.j2", lang, alternate, synthetic=synthetic, **context)
        except ValueError as exc:
            raise Problem(400, str(exc), title="Selection cannot be computed",
                          slug="selection-not-computable") from None
        context["exporters"] = [(e, names.market_name(e, lang), _url(request, exporter=e)) for e in table.exporters]
        context["market_name"] = names.market_name(table.market, lang)
        periods = table.periods
        latest = table.latest()
        wide = table.frame.pivot(index="product", columns="period", values="rca")
        last = latest.set_index("product")
        rows = []
        for product in latest["product"]:
            r = last.loc[product]
            rows.append({"product": product, "name": product_name(product, lang),
                         "values": [num(float(wide.at[product, p]) if p in wide.columns else math.nan, 2, lang)
                                    for p in periods],
                         "change": num(float(r["rca_change"]), 2, lang), "share": num(float(r["share_pct"]), 1, lang),
                         "share_change": num(float(r["share_change_pp"]), 1, lang),
                         "advantage": bool(r["rca_presence"])})
        top = [p for p in latest["product"] if not math.isnan(float(last.at[p, "rca"]))][:CHART_GROUPS]
        series = [(product_name(p, lang), [(q, float(wide.at[p, q])) for q in periods]) for p in top]
        title = f"{t('chart', lang)} — {t('chart_top', lang)} {periods[-1]}"
        share = table.total_share.get(periods[-1], math.nan)
        context.update(table=table, rows=rows, periods=periods, chart=rca_svg(series, lang, title=title),
                       chart_title=title, legend=[(name, _swatch(i)) for i, (name, _) in enumerate(series)],
                       total_share=f"{num(share, 1, lang)}%" if not math.isnan(share) else "")
        return _page(request, "competitiveness.html.j2", lang, alternate, synthetic=synthetic, **context)

    return await _serve(request, ("competitiveness", lang, market, exporter, crude), build)


async def key_products(request: Request, lang: LangQuery = "vi") -> Response:
    """The latest key-product scoring: the ranked list with every criterion, the weights with CR, sensitivity."""
    api = _api(request)

    def build() -> Rendered:
        scoring = _scoring(api)
        context: dict[str, Any] = {"ct": lambda key: t(key, lang), "scoring": scoring, "criteria": [], "rows": [],
                                   "weights": [], "sensitivity": [], "consistency": [], "consistent": None}
        if scoring is not None:
            context["criteria"] = [criterion_label(c, lang) for c in scoring.criteria]
            context["run_title"] = run_title(scoring.title, lang)
            context["rows"] = [{"rank": int(r["rank"]), "product": r["product"], "name": scored_name(r["name"], lang),
                                "class": r["class"], "class_name": class_name(str(r["class"]), lang),
                                "score": num(float(r["score"]), 3, lang),
                                "values": [num(float(r[c]), 2, lang) for c in scoring.criteria]}
                               for r in scoring.table.to_dict("records")]
            context["weights"] = [(criterion_label(str(r["criterion"]), lang), num(100 * float(r["weight"]), 1, lang))
                                  for r in scoring.weights.to_dict("records")]
            context["consistency"] = [(name, num(v, 3, lang)) for name, v in
                                      (("λmax", scoring.lambda_max), ("CI", scoring.ci), ("RI", scoring.ri),
                                       ("CR", scoring.cr)) if v is not None]
            context["consistent"] = None if scoring.cr is None else scoring.cr <= 0.1
            context["sensitivity"] = [
                {"product": r["product"], "name": scored_name(str(r.get("name", "")), lang),
                 "base_rank": int(r["base_rank"]),
                 "range": f"{int(r['min_rank'])}–{int(r['max_rank'])}",
                 "classes": ", ".join(class_name(c, lang) for c in str(r["classes"]).split("|")),
                 "moves": "|" in str(r["classes"])}
                for r in scoring.sensitivity.to_dict("records")]
            from vnindustry.web.dates import format_date  # one date format per language (issue 13, PAGES)

            context["released_on"] = format_date(scoring.released_on, lang) if scoring.released_on else ""
            context["step"] = num(100 * scoring.step, 0, lang)
        return _page(request, "key_products.html.j2", lang, f"{PREFIX}/key-products?format=csv",
                     synthetic=scoring is not None and _synthetic(api)[1], **context)

    return await _serve(request, ("key-products", lang), build)


# -- API ----------------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """JSON-ready: NaN → None, numpy scalars → Python."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _csv(frame: pd.DataFrame) -> bytes:
    """CSV with a BOM (Excel reads the Vietnamese as UTF-8), unrounded numbers, empty cells for missing."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False):
        writer.writerow(["" if (v := _plain(x)) is None else "true" if v is True else
                         (repr(v) if isinstance(v, float) else v) for x in row])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


CSV_200 = {200: {"content": {"application/json": {}, "text/csv": {}}}}


async def rca_api(request: Request, market: MarketQuery = DEFAULT_MARKET, exporter: ExporterQuery = DEFAULT_EXPORTER,
                  exclude_crude_oil: Annotated[bool, Query(description="leave out crude oil (HS 2709); default "
                                                                       "true")] = True,
                  format_: FormatQuery = "json", lang: LangQuery = "vi") -> Response:
    """An exporter's RCA in a market by product group and year, with the RCA ≥ 1 flag, the change on the
    previous year and the market share (unrounded; %, percentage points)."""
    api = _api(request)
    exporter = exporter.upper()

    def build() -> Rendered:
        read = _flows_read(api)
        table = _table(api, read, market, exporter, exclude_crude_oil)
        frame = table.frame.assign(product_name=table.frame["product"].map(lambda p: product_name(p, lang)))
        frame = frame.loc[:, list(RCA_COLUMNS)]
        synthetic = _synthetic(api, read)[0]
        if synthetic:  # the flows are the demo generator's: a column in the CSV, a field in the JSON
            frame = frame.assign(synthetic=True)
        if format_ == "csv":
            name = f"rca_{table.exporter}_{table.market.replace('+', '-')}{'_excl_crude' if exclude_crude_oil else ''}"
            return Rendered.of(_csv(frame), "text/csv; charset=utf-8",
                               {"Content-Disposition": f'attachment; filename="{name}.csv"'})
        doc = {"market": table.market, "exporter": table.exporter, "exclude_crude_oil": exclude_crude_oil,
               "periods": table.periods, "exporters": list(table.exporters),
               "total_share_pct": {p: _plain(v) for p, v in table.total_share.items()}, "synthetic": synthetic,
               "items": _records(frame)}
        return Rendered.of(_json(doc), "application/json")

    key = ("trade-rca", market, exporter, exclude_crude_oil, format_, lang)
    return _respond(request, await api.cached(key, build), api.max_age)


async def key_products_api(request: Request, format_: FormatQuery = "json", lang: LangQuery = "vi") -> Response:
    """The latest stored key-product scoring: ranked products with class, score and every criterion; the
    weights with λmax, CI, RI and CR; each product's rank range under ±step weight changes."""
    api = _api(request)

    def build() -> Rendered:
        scoring = _scoring(api)
        if scoring is None:
            raise Problem(404, "no key-product scoring in the store; store one with 'vnindustry products score'",
                          title="No data", slug="no-data")
        table = scoring.table.assign(class_name=scoring.table["class"].map(lambda c: class_name(str(c), lang)))
        table = table.loc[:, ["rank", "product", "name", "score", "class", "class_name", *scoring.criteria]]
        table = table.assign(name=[scored_name(str(n), lang) for n in table["name"]])
        synthetic = _synthetic(api)[1]
        if synthetic:
            table = table.assign(synthetic=True)
        if format_ == "csv":
            return Rendered.of(_csv(table), "text/csv; charset=utf-8",
                               {"Content-Disposition": 'attachment; filename="key-products.csv"'})
        weights = scoring.weights.assign(label=scoring.weights["criterion"].map(lambda c: criterion_label(c, lang)))
        doc = {"title": scoring.title, "synthetic": synthetic, "released_on": _plain(scoring.released_on),
               "method": scoring.method,
               "weights_origin": scoring.weights_origin, "criteria": list(scoring.criteria),
               "consistency": {"lambda_max": scoring.lambda_max, "ci": scoring.ci, "ri": scoring.ri,
                               "cr": scoring.cr},
               "weights": _records(weights), "items": _records(table),
               "sensitivity": {"step": scoring.step, "items": _records(scoring.sensitivity)}}
        return Rendered.of(_json(doc), "application/json")

    return _respond(request, await api.cached(("key-products", format_, lang), build), api.max_age)


def register(app: FastAPI) -> None:
    """Add the two pages and the two API routes to ``app``."""
    app.add_api_route("/competitiveness", competitiveness, methods=["GET"], include_in_schema=False)
    app.add_api_route("/key-products", key_products, methods=["GET"], include_in_schema=False)
    app.add_api_route(f"{PREFIX}/trade/rca", rca_api, methods=["GET"],
                      summary="RCA of an exporter in a market by product group (trade competitiveness)",
                      responses={**problem_responses(400, 404, 422, 429), **CSV_200})
    app.add_api_route(f"{PREFIX}/key-products", key_products_api, methods=["GET"],
                      summary="The latest key-product scoring (ranked list, weights with CR, sensitivity)",
                      responses={**problem_responses(404, 422, 429), **CSV_200})
