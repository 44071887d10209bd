"""The public directory of supporting-industry suppliers (issue 14): ``/suppliers`` and ``GET /api/v1/suppliers``.

Only suppliers that consented to be listed appear, each by its latest profile version; what a buyer asked for
(needs, matches, prices, drawings) is never here. Search (``q``) ranks by the matching's BM25 over the name,
description and processes, diacritics folded ("duc ap luc" finds "đúc áp lực"); filters by process,
certification, HS code (any prefix of 2–6 digits) and district. Profiles are not releases, so answers are not in
the release-keyed response cache: each request reads the latest versions (a few hundred rows), with an ETag.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from vnindustry.linkage.bm25 import BM25
from vnindustry.linkage.hs import display
from vnindustry.linkage.profiles import Supplier
from vnindustry.linkage.stored import load_suppliers
from vnindustry.linkage.text import fold, terms
from vnindustry.linkage.vocab import CERTIFICATIONS, PROCESSES
from vnindustry.store.linkage import current_profiles
from vnindustry.web.api import PREFIX, _respond, problem_responses
from vnindustry.web.cache import Rendered
from vnindustry.web.formats import dumps
from vnindustry.web.pages import _api, _page, _url

TEXT: dict[str, tuple[str, str]] = {
    "suppliers": ("Nhà cung cấp", "Suppliers"),
    "title": ("Danh bạ doanh nghiệp công nghiệp hỗ trợ", "Supporting-industry supplier directory"),
    "lead": ("Doanh nghiệp đồng ý công khai hồ sơ năng lực: sản phẩm (mã HS), công đoạn, chứng nhận. Bên mua "
             "gửi nhu cầu tìm nhà cung cấp qua Sở Công Thương.",
             "Enterprises that agreed to list their capability profile: products (HS codes), processes, "
             "certifications. Buyers send their sourcing needs through the Department of Industry and Trade."),
    "search": ("Tìm", "Search"),
    "q": ("Từ khóa", "Keywords"),
    "process": ("Công đoạn", "Process"),
    "certification": ("Chứng nhận", "Certification"),
    "hs": ("Mã HS", "HS code"),
    "district": ("Địa bàn", "District"),
    "any": ("Tất cả", "Any"),
    "name": ("Doanh nghiệp", "Enterprise"),
    "ownership": ("Loại hình", "Ownership"),
    "description": ("Giới thiệu", "Description"),
    "found": ("{n} doanh nghiệp", "{n} enterprises"),
    "none": ("Không có doanh nghiệp nào khớp. Bỏ bớt điều kiện lọc hoặc đổi từ khóa.",
             "No enterprise matches. Remove a filter or change the keywords."),
    "empty": ("Chưa có hồ sơ nhà cung cấp nào được công khai. Nhập hồ sơ bằng “vnindustry linkage import” hoặc "
              "chạy “vnindustry demo”.",
              "No supplier profile is listed yet. Import profiles with vnindustry linkage import or run "
              "vnindustry demo."),
    "until": ("đến", "until"),
    "previous": ("Trang trước", "Previous"),
    "next": ("Trang sau", "Next"),
}
OWNERSHIP = {"vn": ("Doanh nghiệp Việt Nam", "Vietnamese-owned"), "fdi": ("Doanh nghiệp FDI", "Foreign-invested"),
             "jv": ("Liên doanh", "Joint venture")}
PAGE_SIZE = 50

Lang = Literal["vi", "en"]
LangQuery = Annotated[Lang, Query(description="vi (default) or en")]
SearchQuery = Annotated[str | None, Query(max_length=200, description="keywords, with or without diacritics")]
ProcessQuery = Annotated[Literal[tuple(e.code for e in PROCESSES)] | None,  # type: ignore[valid-type]
                         Query(description="a process code of the declared list (docs/linkage.md)")]
CertQuery = Annotated[Literal[tuple(e.code for e in CERTIFICATIONS)] | None,  # type: ignore[valid-type]
                      Query(description="a certification code of the declared list")]
HsQuery = Annotated[str | None, Query(pattern=r"^\d{2,6}$", description="an HS code or its prefix (2–6 digits)")]
DistrictQuery = Annotated[str | None, Query(max_length=100, description="district, as listed")]
PageQuery = Annotated[int, Query(ge=1, le=10_000, description="page of 50, from 1")]
FormatQuery = Annotated[Literal["json", "csv"], Query(alias="format", description="json (default) or csv")]


def t(key: str, lang: str, **values: object) -> str:
    vi, en = TEXT[key]
    return (vi if lang == "vi" else en).format(**values)


@dataclass(frozen=True)
class Filters:
    """The directory's search and filters."""

    q: str | None = None
    process: str | None = None
    certification: str | None = None
    hs: str | None = None
    district: str | None = None


def listed(engine: Any, filters: Filters, *, on: dt.date | None = None) -> tuple[list[Supplier], bool]:
    """The consenting suppliers that pass ``filters`` (by relevance when ``q`` is given, else by name), and
    whether any of the listed profiles is synthetic (the demo's)."""
    rows = current_profiles(engine, consenting_only=True)
    synthetic = any(r.synthetic for r in rows)
    suppliers = load_suppliers(engine, consenting_only=True)
    day = on or dt.date.today()
    keep = []
    for s in suppliers:
        if filters.process and filters.process not in {p.key for p in s.processes}:
            continue
        if filters.certification and not any(c.term.key == filters.certification and c.valid_on(day)
                                             for c in s.certifications):
            continue
        if filters.hs and not any(code.startswith(filters.hs) for code in s.hs):
            continue
        if filters.district and fold(s.district) != fold(filters.district):
            continue
        keep.append(s)
    if not filters.q or not filters.q.strip():
        return sorted(keep, key=lambda s: (fold(s.name), s.id)), synthetic
    query = terms(filters.q)
    index = BM25([terms(f"{s.name} {s.description} " + " ".join(f"{p.name('vi')} {p.name('en')}"
                                                                  for p in s.processes)) for s in keep])
    scored = [(index.score(query, i), s) for i, s in enumerate(keep)]
    folded = fold(filters.q)
    return [s for score, s in sorted(scored, key=lambda x: (-x[0], fold(x[1].name), x[1].id))
            if score > 0 or folded in fold(s.name)], synthetic


def _row(s: Supplier, lang: str) -> dict[str, Any]:
    """What the directory shows of a supplier (never its capacity, customers or any need)."""
    def cert(c: Any) -> str:
        if c.expires is None:
            return c.term.name(lang)
        month = f"{c.expires.month:02d}/{c.expires.year}" if lang == "vi" else c.expires.strftime("%b %Y")
        return f"{c.term.name(lang)} ({t('until', lang)} {month})"

    return {"supplier": s.id, "name": s.name, "district": s.district,
            "ownership": OWNERSHIP.get(s.ownership, (s.ownership, s.ownership))[0 if lang == "vi" else 1],
            "hs": [display(c) for c in s.hs], "processes": [p.name(lang) for p in s.processes],
            # A process not in the declared list is the enterprise's own words (the page marks them lang="vi").
            "process_items": [(p.name(lang), p.entry is not None) for p in s.processes],
            "certifications": [cert(c) for c in s.certifications if c.valid_on(dt.date.today())],
            "description": s.description}


def _filters(q: str | None, process: str | None, certification: str | None, hs: str | None,
             district: str | None) -> Filters:
    return Filters(q=(q or "").strip() or None, process=process, certification=certification, hs=hs,
                   district=(district or "").strip() or None)


async def directory(request: Request, lang: LangQuery = "vi", q: SearchQuery = None, process: ProcessQuery = None,
                    certification: CertQuery = None, hs: HsQuery = None, district: DistrictQuery = None,
                    page: PageQuery = 1) -> Response:
    """The public supplier directory, searchable and filtered, in Vietnamese or English."""
    api = _api(request)
    filters = _filters(q, process, certification, hs, district)

    def build() -> Rendered:
        found, synthetic = listed(api.store.engine, filters)
        everyone = current_profiles(api.store.engine, consenting_only=True)
        pages = max(1, -(-len(found) // PAGE_SIZE))
        shown = found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        districts = sorted({r.district for r in everyone if r.district}, key=fold)
        return _page(request, "suppliers.html.j2", lang, f"{PREFIX}/suppliers?" + request.url.query,
                     synthetic=synthetic, st=lambda key, **v: t(key, lang, **v), rows=[_row(s, lang) for s in shown],
                     total=len(found), listed=len(everyone), filters=filters, page=page, pages=pages,
                     processes=[(e.code, e.name(lang)) for e in PROCESSES],
                     certifications=[(e.code, e.name(lang)) for e in CERTIFICATIONS], districts=districts,
                     previous=_url(request, page=str(page - 1)) if page > 1 else None,
                     following=_url(request, page=str(page + 1)) if page < pages else None)

    response = _respond(request, await run_in_threadpool(build), 0)
    response.headers["Cache-Control"] = "no-cache"
    return response


async def suppliers_api(request: Request, lang: LangQuery = "vi", q: SearchQuery = None,
                        process: ProcessQuery = None, certification: CertQuery = None, hs: HsQuery = None,
                        district: DistrictQuery = None, format_: FormatQuery = "json") -> Response:
    """The consenting suppliers that match, as JSON (``items``, ``total``, ``synthetic``) or CSV."""
    api = _api(request)
    filters = _filters(q, process, certification, hs, district)

    def build() -> Rendered:
        found, synthetic = listed(api.store.engine, filters)
        rows = [{k: v for k, v in _row(s, lang).items() if k != "process_items"} for s in found]
        if format_ == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\r\n")
            columns = ["supplier", "name", "district", "ownership", "hs", "processes", "certifications",
                       "description"] + (["synthetic"] if synthetic else [])
            writer.writerow(columns)
            for r in rows:
                writer.writerow([";".join(r[c]) if isinstance(r[c], list) else r[c] for c in columns[:8]]
                                + (["true"] if synthetic else []))
            return Rendered.of(buf.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8",
                               {"Content-Disposition": 'attachment; filename="suppliers.csv"'})
        return Rendered.of(dumps({"total": len(rows), "synthetic": synthetic, "items": rows}), "application/json")

    response = _respond(request, await run_in_threadpool(build), 0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def register(app: FastAPI) -> None:
    """Add ``/suppliers`` and ``GET /api/v1/suppliers``."""
    app.add_api_route("/suppliers", directory, methods=["GET"], include_in_schema=False)
    app.add_api_route(f"{PREFIX}/suppliers", suppliers_api, methods=["GET"],
                      summary="Supporting-industry suppliers that consented to be listed (search and filters)",
                      responses={**problem_responses(422, 429),
                                 200: {"content": {"application/json": {}, "text/csv": {}}}})
