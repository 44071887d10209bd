"""The office's pages on what linkage brings (issue 14, items 4 and 5).

::

    GET /linkage/outcomes                 public: the events' outcomes in aggregate (?lang=en)
    GET /api/v1/linkage/outcomes          public: the same aggregates as JSON
    GET /portal/linkage/localisation      statisticians and admins: each buyer's localisation, target and gap

What is public is decided once, in :func:`vnindustry.linkage.public_outcomes.public_outcomes` (aggregates only;
small sector groups merged into "Khác"/"Other"; a purchase-order total of fewer than three meetings, or dominated
by one, withheld and flagged ``c``): the page and the API both render that and nothing else, so neither can name
a buyer or a supplier. A buyer's localisation is its own declared purchases: never public, shown only in the
portal to the Department's officers. Outcomes and purchases are not statistics releases, so nothing here goes
through the release-keyed response cache: each request reads the store (an ETag still spares the body).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import Engine

from vnindustry.linkage.csvfiles import Buyer
from vnindustry.linkage.localisation import Purchase, gap, shares
from vnindustry.linkage.outcomes import RESULT_NAMES
from vnindustry.linkage.public_outcomes import (
    MAX_DOMINANCE,
    MIN_AGREEMENTS,
    MIN_MEETINGS,
    STEPS,
    Line,
    PublicOutcomes,
    public_outcomes,
)
from vnindustry.linkage.stored import load_needs
from vnindustry.publish.numbers import format_number
from vnindustry.store import linkage_events as stored
from vnindustry.web.api import PREFIX, _respond, problem_responses
from vnindustry.web.cache import Rendered
from vnindustry.web.dates import format_date, format_month
from vnindustry.web.formats import dumps
from vnindustry.web.pages import _api, _page
from vnindustry.web.portal_html import PORTAL, engine_of, lang_of, page_user, render

OUTCOMES = "/linkage/outcomes"
LOCALISATION = f"{PORTAL}/linkage/localisation"
REVIEWERS = ("statistician", "admin")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Kết quả kết nối cung cầu", "Matchmaking outcomes"),
    "lead": ("Số liệu tổng hợp về các cuộc gặp giữa bên mua và nhà cung cấp tại các hội nghị kết nối cung cầu công "
             "nghiệp hỗ trợ: kết quả tại buổi gặp, sau 3 tháng và sau 6 tháng. Mỗi cuộc gặp được tính theo kết quả "
             "báo cáo gần nhất và được tính ở mọi bước nó đã đạt tới.",
             "Aggregate figures on the meetings between buyers and suppliers at the supporting-industry matchmaking "
             "events: results on the day, after 3 months and after 6 months. Each meeting counts at its latest "
             "reported result, and at every step it reached."),
    "events": ("Theo hội nghị", "By event"),
    "sectors": ("Theo ngành của nhà cung cấp", "By the supplier's sector"),
    "event": ("Hội nghị", "Event"),
    "date": ("Ngày", "Date"),
    "sector": ("Ngành", "Sector"),
    "scheduled": ("Cuộc gặp theo lịch", "Meetings scheduled"),
    "meetings": ("Cuộc gặp có báo cáo kết quả", "Meetings reported on"),
    "po_value": ("Giá trị đơn hàng (tỷ đồng)", "Purchase orders (VND billion)"),
    "withheld": ("không công bố: ít hơn {n} cuộc gặp có đơn hàng, hoặc một cuộc gặp chiếm quá {share}%",
                 "not published: fewer than {n} meetings with orders, or one meeting making more than {share}%"),
    "rules": ("Trang này không nêu tên bên mua, nhà cung cấp hay giá trị đơn hàng của từng cuộc gặp. Nhóm ngành có "
              "dưới {n} cuộc gặp được gộp vào nhóm “Khác”. Giá trị đơn hàng chỉ công bố khi tổng hợp từ ít nhất "
              "{n} cuộc gặp có đơn hàng và không cuộc gặp nào chiếm quá {share}%; nếu không, ô ghi “c” (không công "
              "bố), và khi chỉ một hội nghị phải ẩn giá trị thì một hội nghị khác cũng được ẩn để không suy ra được "
              "từ tổng số.",
              "This page names no buyer or supplier and gives no single meeting's purchase orders. Sector groups "
              "of fewer than {n} meetings are merged into “Other”. A purchase-order total is published only when "
              "it adds up at least {n} meetings with orders and no meeting makes more than {share}% of it; "
              "otherwise the cell shows “c” (not published), and when only one event's total is withheld another "
              "is withheld too, so that it cannot be derived from the total."),
    "merged": ("{n} nhóm ngành có ít cuộc gặp được gộp vào nhóm “Khác”.",
               "{n} small sector groups are merged into “Other”."),
    "few": ("Tổng số cuộc gặp có báo cáo dưới {n} nên không chia theo ngành.",
            "Fewer than {n} meetings are reported on in all, so they are not broken down by sector."),
    "empty": ("Chưa có kết quả kết nối nào được nhập. Nhập bằng “vnindustry linkage import-outcomes” hoặc chạy "
              "“vnindustry demo”.",
              "No matchmaking outcome is stored yet. Import them with vnindustry linkage import-outcomes or run "
              "vnindustry demo."),
    "of_meetings": ("Trong ngoặc: tỷ lệ so với số cuộc gặp có báo cáo kết quả.",
                    "In brackets: the share of the meetings reported on."),
    # the portal's localisation page
    "loc_title": ("Tỷ lệ nội địa hóa của bên mua", "Buyers' localisation"),
    "loc_lead": ("Hai chỉ tiêu, tính riêng trên giá trị đầu vào bên mua kê khai: tỷ lệ mua từ nhà cung cấp đặt tại "
                 "Việt Nam (kể cả doanh nghiệp FDI tại Việt Nam) và tỷ lệ mua từ doanh nghiệp Việt Nam. Khoảng cách "
                 "tới mục tiêu tính trên 12 tháng kê khai gần nhất; các nhu cầu đang mở được xếp theo giá trị bên mua "
                 "đang nhập khẩu cùng nhóm HS, đến khi đủ bù khoảng cách. Số liệu của từng doanh nghiệp: không công "
                 "bố.",
                 "Two figures, kept apart, on the input value the buyer declared: the share bought from suppliers "
                 "located in Viet Nam (foreign-invested ones in Viet Nam included) and the share bought from "
                 "Vietnamese-owned suppliers. The gap to the target is measured over the latest twelve declared "
                 "months; the open needs are taken by the value the buyer imports in their HS heading until the gap "
                 "is closed. Each enterprise's figures: not for publication."),
    "year": ("Năm", "Year"),
    "inputs": ("Giá trị đầu vào (tỷ đồng)", "Inputs (VND billion)"),
    "located": ("Mua từ nhà cung cấp tại Việt Nam (%)", "Bought from suppliers in Viet Nam (%)"),
    "owned": ("Mua từ doanh nghiệp Việt Nam (%)", "Bought from Vietnamese-owned suppliers (%)"),
    "period": ("Thời kỳ", "Period"),
    "window": ("12 tháng gần nhất ({start} – {end})", "Latest twelve months ({start} – {end})"),
    "target": ("Mục tiêu (%)", "Target (%)"),
    "gap": ("Còn thiếu (điểm %)", "Gap (percentage points)"),
    "no_target": ("chưa có", "none set"),
    "met": ("Đã đạt mục tiêu.", "Target met."),
    "closing": ("Nhu cầu đang mở có thể thu hẹp khoảng cách", "Open needs that would close the gap"),
    "need": ("Nhu cầu", "Need"),
    "part": ("Chi tiết cần mua", "Part needed"),
    "abroad": ("Đang nhập khẩu cùng nhóm HS, 12 tháng (tỷ đồng)",
               "Imported in its HS heading, 12 months (VND billion)"),
    "after": ("Tỷ lệ tại Việt Nam nếu mua trong nước (%)", "Share in Viet Nam if bought locally (%)"),
    "no_closing": ("Không có nhu cầu đang mở nào thuộc nhóm HS bên mua đang nhập khẩu.",
                   "No open need is in an HS heading the buyer imports."),
    "still_short": ("Kể cả khi mua trong nước tất cả các nhu cầu này, vẫn chưa đạt mục tiêu.",
                    "Even with all these needs bought locally, the target is not reached."),
    "loc_empty": ("Chưa có số liệu mua hàng nào được nhập. Nhập bằng “vnindustry linkage import-purchases”.",
                  "No purchases are stored yet. Import them with vnindustry linkage import-purchases."),
    "synthetic": ("Dữ liệu giả lập — không phải số liệu thực", "Synthetic data — not real figures"),
    "outcomes_link": ("Kết quả kết nối (trang công khai)", "Matchmaking outcomes (public page)"),
}

Lang = Literal["vi", "en"]
LangQuery = Annotated[Lang, Query(description="vi (default) or en")]


def lt(key: str, lang: str, **values: object) -> str:
    """This module's wording ``key`` in ``lang``, with ``{name}`` filled from ``values``."""
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def _rules(lang: str) -> dict[str, object]:
    return {"n": MIN_MEETINGS, "share": format_number(100 * MAX_DOMINANCE, 0, lang)}


def _billion(value: float | None, lang: str) -> str:
    return "c" if value is None else format_number(value / 1e9, 1, lang)


def step_name(step: str, lang: str) -> str:
    """A funnel step's name (the outcomes' own wording)."""
    return RESULT_NAMES[step][0 if lang == "vi" else 1]


# -- public: outcomes -----------------------------------------------------------------------------------------
def _json_line(line: Line, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {kind: line.key if kind == "event" else line.label}
    if kind == "event":
        out.update({"name": line.label, "date": line.date.isoformat() if line.date else None, "venue": line.venue,
                    "scheduled_meetings": line.scheduled})
    if kind == "sector":
        out["merged_groups"] = line.merged
    out.update({"meetings": line.meetings, "reached": dict(line.reached),
                "pct_of_meetings": {s: line.pct(s) for s in STEPS},
                "po_value_vnd": line.po_value, "po_value_flag": "c" if line.withheld else ""})
    return out


def outcomes_document(summary: PublicOutcomes) -> dict[str, Any]:
    """The API's answer: the published aggregates and the rules they obey (nothing per enterprise or meeting)."""
    return {"synthetic": summary.synthetic,
            "rules": {"min_meetings": MIN_MEETINGS, "min_agreements": MIN_AGREEMENTS, "max_dominance": MAX_DOMINANCE},
            "steps": list(STEPS),
            "events": [_json_line(line, "event") for line in summary.events],
            "sectors": [_json_line(line, "sector") for line in summary.sectors],
            "merged_sector_groups": summary.merged,
            "total": None if summary.total is None else _json_line(summary.total, "total")}


async def outcomes_page(request: Request, lang: LangQuery = "vi") -> Response:
    """The events' outcomes in aggregate: the funnel and the purchase orders per event and per sector."""
    api = _api(request)

    def build() -> Rendered:
        summary = public_outcomes(api.store.engine, lang)
        return _page(request, "linkage_outcomes.html.j2", lang, f"{PREFIX}/linkage/outcomes"
                     + ("?lang=en" if lang == "en" else ""), synthetic=summary.synthetic,
                     lt=lambda key, **v: lt(key, lang, **v), summary=summary, steps=STEPS,
                     step_name=lambda s: step_name(s, lang), rules=_rules(lang),
                     count=lambda v: format_number(v, 0, lang), share=lambda v: format_number(v, 1, lang),
                     billion=lambda v: _billion(v, lang), day=lambda d: format_date(d, lang))

    response = _respond(request, await run_in_threadpool(build), 0)
    response.headers["Cache-Control"] = "no-cache"
    return response


async def outcomes_api(request: Request, lang: LangQuery = "vi") -> Response:
    """The events' outcomes in aggregate, as JSON (sector names in ``lang``)."""
    api = _api(request)

    def build() -> Rendered:
        return Rendered.of(dumps(outcomes_document(public_outcomes(api.store.engine, lang))), "application/json")

    response = _respond(request, await run_in_threadpool(build), 0)
    response.headers["Cache-Control"] = "no-cache"
    return response


# -- the portal: localisation ---------------------------------------------------------------------------------
def localisation_data(engine: Engine) -> dict[str, Any]:
    """Per buyer with declared purchases: its yearly figures, the latest twelve months against its target and the
    open needs that would close the gap (their titles), and whether any batch is synthetic."""
    rows = stored.purchases(engine)  # read once: the figures and the synthetic mark come from the same rows
    purchases = [Purchase(r.buyer, r.period, r.supplier, r.hs, r.value, r.located_in_vn, r.vn_owned) for r in rows]
    goals = stored.targets(engine)
    declared = sorted({p.buyer for p in purchases})
    names = stored.enterprise_names(engine, declared)
    needs = load_needs(engine)
    titles = {n.id: n.title for n in needs}
    buyers = []
    for b in declared:
        own = [p for p in purchases if p.buyer == b]
        g = gap(own, Buyer(b, names.get(b, b), target_pct=goals.get(b)), needs)
        closing = [{"need": n, "title": titles.get(n, ""), "abroad": v, "after": after} for n, v, after in g.needs]
        buyers.append({"id": b, "name": names.get(b, ""), "years": shares(own, by="year"), "gap": g,
                       "closing": closing,
                       "short": g.target_pct is not None and bool(closing) and closing[-1]["after"] < g.target_pct})
    return {"buyers": buyers, "synthetic": any(r.synthetic for r in rows)}


async def localisation_page(request: Request) -> Response:
    """Each buyer's localisation per year, its latest twelve months, target, gap and the needs that close it."""
    user, csrf = page_user(request, *REVIEWERS)
    lang = lang_of(request)
    data = await run_in_threadpool(localisation_data, engine_of(request))
    return render(request, "linkage_localisation.html.j2", lang=lang, user=user, csrf=csrf,
                  lt=lambda key, **v: lt(key, lang, **v), share=lambda v: format_number(v, 1, lang),
                  billion=lambda v: _billion(v, lang), month=lambda p: format_month(p, lang),
                  outcomes_url=OUTCOMES + ("?lang=en" if lang == "en" else ""), **data)


def register(app: FastAPI) -> None:
    """Add ``/linkage/outcomes``, ``GET /api/v1/linkage/outcomes`` and ``/portal/linkage/localisation``."""
    app.add_api_route(OUTCOMES, outcomes_page, methods=["GET"], include_in_schema=False)
    app.add_api_route(f"{PREFIX}/linkage/outcomes", outcomes_api, methods=["GET"],
                      summary="Outcomes of the matchmaking events in aggregate (no buyer, supplier or meeting)",
                      responses={**problem_responses(422, 429), 200: {"content": {"application/json": {}}}})
    app.add_api_route(LOCALISATION, localisation_page, methods=["GET"], include_in_schema=False)
