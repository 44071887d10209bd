"""EVFTA rules of origin on the web (issue 15): the public ``/origin`` page and the API.

::

    GET  /origin                    the form: HS code, ex-works price, the bill of materials (pasted or uploaded),
                                    processes declared, language
    POST /origin                    the answer with its citations (``format=pdf``: the same as a PDF to print;
                                    ``format=json``: as the API); a mistake comes back on the form (422) naming
                                    the line and column
    POST /api/v1/origin/check       the answer as JSON (``vnindustry.origin.answer.to_json``); problems as
                                    problem+json naming the line and column
    GET  /api/v1/origin/rules       the rule set(s) of an HS code, each alternative as parsed
    GET  /api/v1/origin/report      the parse report of every rule set
    GET  /origin/guide              the guide to proofs of origin (origin/data/proofs-guide.md)

Nothing is stored: the answer is computed from what was sent and the bundled rules; the suppliers named for
the inputs to source are the consenting ones of the public directory (``/suppliers``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from vnindustry.errors import InputError
from vnindustry.origin import OriginError, assess, parse_bom
from vnindustry.origin.answer import ANSWER_WORDS, verdict
from vnindustry.origin.bom import COLUMNS, BomError
from vnindustry.web.api import PREFIX, _respond, problem_responses
from vnindustry.web.cache import Rendered
from vnindustry.web.formats import dumps
from vnindustry.web.pages import _api, _page
from vnindustry.web.problems import Problem

TEXT: dict[str, tuple[str, str]] = {
    **ANSWER_WORDS,
    "title": ("Xuất xứ hàng hóa theo EVFTA", "Origin under the EVFTA"),
    "lead": ("Nhập mã HS của sản phẩm, giá xuất xưởng và bảng định mức nguyên liệu: hệ thống cho biết sản phẩm có "
             "đạt xuất xứ để hưởng ưu đãi thuế quan của EU theo Hiệp định EVFTA hay không, theo quy tắc nào, với "
             "biên độ bao nhiêu — và nếu không đạt, nguyên liệu nào mua trong nước sẽ giúp đạt.",
             "Give the product's HS code, its ex-works price and its bill of materials: the system says whether it "
             "originates under the EU–Viet Nam FTA, by which rule and margin — and, if it does not, which input "
             "bought in Viet Nam would make it."),
    "hs": ("Mã HS của sản phẩm (HS 2012)", "The product's HS code (HS 2012)"),
    "ex_works": ("Giá xuất xưởng", "Ex-works price"),
    "weight": ("Trọng lượng sản phẩm (cùng đơn vị với cột weight)",
               "Product weight (in the unit of the weight column)"),
    "bom": ("Bảng định mức nguyên liệu (CSV)", "Bill of materials (CSV)"),
    "bom_help": ("Mỗi dòng một nguyên liệu: material,hs,value,origin — và nếu cần weight, originating (yes/no: "
                 "có chứng từ xuất xứ riêng), level (2 cho linh kiện của bán thành phẩm ở dòng trên). Trị giá cùng "
                 "đơn vị tiền với giá xuất xưởng; origin là mã nước (VN, DE, CN…) hoặc để trống nếu không rõ.",
                 "One line a material: material,hs,value,origin — and if needed weight, originating (yes/no: with "
                 "its own proof of origin), level (2 for a component of the sub-assembly above). Values in the "
                 "currency of the ex-works price; origin a country code (VN, DE, CN…) or empty when unknown."),
    "upload": ("hoặc tải tệp CSV lên", "or upload a CSV file"),
    "processes": ("Công đoạn gia công cụ thể đã thực hiện (mỗi dòng một công đoạn, như quy tắc ghi)",
                  "Specific processes carried out (one a line, as the rule words them)"),
    "rule_set": ("Mục quy tắc (khi có nhiều mô tả «ex»)", "Rule set (when several \"ex\" descriptions apply)"),
    "check": ("Đánh giá", "Assess"),
    "hs_version": ("Mã HS theo phiên bản", "HS edition of the codes"),
    "hs_2022": ("HS 2022 (quy đổi sang HS 2012 khi tương ứng một-một)", "HS 2022 (read in HS 2012 where one-to-one)"),
    "minimal": ("Công đoạn tại Việt Nam chỉ là công đoạn giản đơn (lắp ráp đơn giản, đóng gói…, Điều 6)",
                "The working in Viet Nam is only simple operations (simple assembly, packing…, Article 6)"),
    "pdf": ("Tải bản PDF để in", "Download a PDF to print"),
    "rule": ("Quy tắc", "Rule"),
    "alternatives": ("Các phương án của quy tắc (doanh nghiệp được chọn một)",
                     "The rule's alternatives (the exporter's choice)"),
    "passes": ("đạt", "met"),
    "fails": ("không đạt", "not met"),
    "unassessed": ("chưa đánh giá được", "not assessed"),
    "original": ("Nguyên văn", "As printed"),
    "materials": ("Nguyên liệu được tính như sau", "How each material counts"),
    "source_these": ("Mua các nguyên liệu sau từ nhà cung cấp trong nước (hoặc từ EU):",
                     "Source these inputs from Vietnamese suppliers (or from the EU):"),
    "then": ("khi đó đạt phương án {alt}, MaxNOM còn {nom}", "then alternative {alt} is met, MaxNOM {nom}"),
    "who": ("Nhà cung cấp trong danh bạ làm được:", "Suppliers in the directory that make it:"),
    "none_found": ("chưa có trong danh bạ", "none in the directory yet"),
    "headroom": ("Còn {points} điểm phần trăm đến {limit} (phương án {alt}), tức {value} theo giá xuất xưởng.",
                 "{points} points left to {limit} (alternative {alt}), i.e. {value} of the ex-works price."),
    "no_way": ("Không tìm được tập nguyên liệu nào giúp đạt: quy tắc đòi công đoạn cụ thể hoặc chưa đánh giá được.",
               "No set of inputs makes it originate: the rule needs a specific process or could not be assessed."),
    "source": ("Nguồn quy tắc", "Rules from"),
    "guide": ("Hướng dẫn về chứng từ chứng nhận xuất xứ (EUR.1, tự chứng nhận, REX)",
              "Guide to proofs of origin (EUR.1, self-certification, REX)"),
    "fix": ("Chưa đánh giá được: sửa dữ liệu được đánh dấu.", "Not assessed: correct what is marked."),
    "example": ("Ví dụ: động cơ điện", "Example: an electric motor"),
}
EXAMPLE = ("material,hs,value,origin\nstator laminations,850390,30,CN\ncopper winding wire,854411,15,CN\n"
           "shaft,848310,5,VN\nbearings,848210,6,JP\naluminium housing,760429,10,CN\n")
MAX_BOM_BYTES = 256 * 1024
Lang = Literal["vi", "en"]


def t(key: str, lang: str, **values: object) -> str:
    vi, en = TEXT[key]
    return (vi if lang == "vi" else en).format(**values)


class BomLine(BaseModel):
    """One material of the bill of materials."""

    material: str = Field(min_length=1, max_length=300)
    hs: str = Field(description="4 or 6 digits (HS 2012)", max_length=12)
    value: float = Field(ge=0)
    origin: str = Field("", max_length=2, description="country code (VN, DE, CN …), empty when unknown")
    weight: float | None = Field(None, ge=0)
    originating: Literal["yes", "no", ""] = ""
    level: int = Field(1, ge=1, le=20)


class CheckRequest(BaseModel):
    """An origin question: the product and its bill of materials."""

    hs: str = Field(description="the product's HS 2012 code, 4–10 digits", max_length=14)
    ex_works: float = Field(gt=0, description="the ex-works price, in the currency of the values")
    bom: list[BomLine] = Field(default_factory=list, max_length=2000)
    bom_csv: str | None = Field(None, max_length=MAX_BOM_BYTES, description="or the bill of materials as CSV text")
    processes: list[str] = Field(default_factory=list, max_length=20)
    rule_set: int | None = Field(None, description="the rule set, when several ex descriptions apply")
    minimal_only: bool = Field(False, description="the working in Viet Nam is only Article 6's insufficient "
                                                  "operations")
    weight: float | None = Field(None, gt=0, description="the product's weight, in the unit of the materials' "
                                                        "weights (weight limits of Chapters 1–24)")
    hs_version: Literal["2012", "2022"] = Field("2012", description="the codes' HS edition; 2022 is read in HS 2012 "
                                                                   "where the correlation allows")
    lang: Lang = "vi"


def _as_csv(lines: list[BomLine]) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*COLUMNS, "weight", "originating", "level"])
    for m in lines:
        w.writerow([m.material, m.hs, repr(m.value), m.origin, "" if m.weight is None else repr(m.weight),
                    m.originating, m.level])
    return buf.getvalue()


def _suppliers(request: Request) -> list[Any]:
    from vnindustry.linkage.stored import load_suppliers

    return load_suppliers(_api(request).store.engine, consenting_only=True)


def _answer(request: Request, bom_text: str, hs: str, ex_works: float, processes: list[str], rule_set: int | None,
            lang: str, path: str, minimal_only: bool = False, hs_version: str = "2012",
            weight: float | None = None) -> dict:
    materials = parse_bom(bom_text, path=path)
    return assess(materials, hs, ex_works, processes=processes, rule_set=rule_set, minimal_only=minimal_only,
                  hs_version=hs_version, weight=weight, suppliers=_suppliers(request), lang=lang)


async def check_api(request: Request, body: CheckRequest) -> Response:
    """Whether the product originates under the EVFTA, by which rule and margin, and what would make it."""
    if bool(body.bom) == bool(body.bom_csv):
        raise Problem(422, "give the bill of materials as bom (a list) or bom_csv (CSV text), one of them")
    text = body.bom_csv if body.bom_csv else _as_csv(body.bom)
    try:
        answer = await run_in_threadpool(_answer, request, text, body.hs, body.ex_works, body.processes,
                                         body.rule_set, body.lang, "bom", body.minimal_only, body.hs_version,
                                         body.weight)
    except InputError as exc:
        where = {k: v for k, v in (("line", exc.line), ("column", exc.column)) if v is not None}
        raise Problem(422, str(exc), title="Bad bill of materials", **where) from None
    except OriginError as exc:
        listed = "; ".join(f"rule_set {r.index}: {r.heading} — {r.description}" for r in exc.candidates)
        raise Problem(422, str(exc) + (f" ({listed})" if listed else ""), title="Cannot answer as asked") from None
    return _respond(request, Rendered.of(dumps(answer), "application/json"), 0)


async def rules_api(request: Request, hs: Annotated[str, Query(pattern=r"^\d{4,10}$",
                                                                 description="an HS 2012 code, 4–10 digits")]
                    ) -> Response:
    """The rule set(s) of Annex II that apply to ``hs``, each alternative as parsed (or why not)."""
    from vnindustry.origin.parse import _describe, parse, words_vi
    from vnindustry.origin.rules import RULE_SET, lookup

    found = lookup(hs)
    if not found.candidates:
        raise Problem(404, f"no rule of Annex II covers HS {hs}")
    items = []
    for r in found.candidates:
        alts = []
        for a in r.alternatives:
            p = parse(r, a)
            alts.append({"number": a.number, "text": a.text, "text_vi": words_vi(p), "kind": p.kind,
                         "conditions": [_describe(c) for c in p.conditions], "reason": p.unparsed})
        items.append({"rule_set": r.index, "heading": r.heading, "description": r.description, "ex": r.ex,
                      "alternatives": alts})
    return _respond(request, Rendered.of(dumps({"hs": found.code, "source": RULE_SET.__dict__, "items": items}),
                                         "application/json"), 0)


async def report_api(request: Request) -> Response:
    """The parse report: every rule set, each alternative parsed into conditions or listed with its reason."""
    from vnindustry.origin.parse import report
    from vnindustry.origin.rules import RULE_SET

    return _respond(request, Rendered.of(dumps({"source": RULE_SET.__dict__, **report()}), "application/json"), 0)


def _form_page(request: Request, lang: str, *, values: dict[str, str], answer: dict | None = None,
               error: str = "", status: int = 200) -> Response:
    from vnindustry.publish.numbers import format_number

    rendered = _page(request, "origin.html.j2", lang, f"{PREFIX}/origin/report", synthetic=False,
                     ot=lambda key, **v: t(key, lang, **v), values=values, answer=answer, error=error,
                     verdict=(lambda a: verdict(a, lang)),
                     example=EXAMPLE, num=lambda v, d=2: format_number(v, d, lang))
    response = _respond(request, rendered, 0)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"  # an answer is the exporter's own bill of materials
    return response


async def origin_page(request: Request, lang: Annotated[Lang, Query()] = "vi") -> Response:
    """The form."""
    return _form_page(request, lang, values={"hs": "", "ex_works": "", "bom": "", "processes": "", "rule_set": "",
                                             "minimal_only": "", "hs_version": "2012", "weight": ""})


async def origin_submit(request: Request) -> Response:
    """The answer to the form (HTML, or ``format=pdf`` / ``format=json``)."""
    from vnindustry.publish.numbers import parse_number

    form = await request.form()
    lang = "en" if form.get("lang") == "en" or request.query_params.get("lang") == "en" else "vi"
    values = {k: str(form.get(k) or "") for k in ("hs", "ex_works", "bom", "processes", "rule_set", "minimal_only",
                                                  "hs_version", "weight")}
    upload = form.get("file")
    if upload is not None and hasattr(upload, "read"):
        data = await upload.read()
        if data:
            if len(data) > MAX_BOM_BYTES:
                return _form_page(request, lang, values=values, error=f"{upload.filename}: > 256 KB", status=413)
            try:
                values["bom"] = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                return _form_page(request, lang, values=values, status=422, error=(
                    f"{upload.filename}: " + ("không phải văn bản UTF-8 — lưu tệp dạng CSV UTF-8" if lang == "vi"
                                              else "not UTF-8 text — save the file as CSV UTF-8")))
    errors = []
    hs = values["hs"].replace(".", "").replace(" ", "")
    try:
        ex_works = parse_number(values["ex_works"], lang) if values["ex_works"].strip() else None
    except ValueError as exc:
        ex_works = None
        errors.append(f"{t('ex_works', lang)}: {exc}")
    weight = None
    if values["weight"].strip():
        try:
            weight = parse_number(values["weight"], lang)
        except ValueError as exc:
            errors.append(f"{t('weight', lang)}: {exc}")
    if ex_works is None or ex_works <= 0:
        errors.append(f"{t('ex_works', lang)}: " + ("nhập số lớn hơn 0" if lang == "vi" else "a number above 0"))
    if not hs.isdigit() or not 4 <= len(hs) <= 10:
        errors.append(f"{t('hs', lang)}: " + ("4–10 chữ số" if lang == "vi" else "4–10 digits"))
    rule_set = int(values["rule_set"]) if values["rule_set"].strip().isdigit() else None
    if errors:
        return _form_page(request, lang, values=values, error="; ".join(dict.fromkeys(errors)), status=422)
    name = getattr(upload, "filename", "") or ("bảng định mức" if lang == "vi" else "bill of materials")
    processes = [p.strip() for p in values["processes"].splitlines() if p.strip()][:20]
    try:
        answer = await run_in_threadpool(_answer, request, values["bom"], hs, float(ex_works or 0), processes,
                                         rule_set, lang, name, values["minimal_only"] == "1",
                                         "2022" if values["hs_version"] == "2022" else "2012", weight)
    except InputError as exc:
        said = exc.text(lang) if isinstance(exc, BomError) else str(exc)
        return _form_page(request, lang, values=values, error=said, status=422)
    except OriginError as exc:
        listed = "; ".join(f"{r.index}: {r.heading} — {r.description}" for r in exc.candidates)
        return _form_page(request, lang, values=values, error=exc.text(lang) + (f" — {listed}" if listed else ""),
                          status=422)
    fmt = form.get("format") or request.query_params.get("format")
    if fmt == "pdf":
        from vnindustry.origin.pdf import answer_pdf

        pdf = await run_in_threadpool(answer_pdf, answer)
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="origin-{hs}.pdf"', "Cache-Control": "no-store"})
    if fmt == "json":
        return Response(dumps(answer), media_type="application/json", headers={"Cache-Control": "no-store"})
    return _form_page(request, lang, values=values, answer=answer)


def register(app: FastAPI) -> None:
    """Add ``/origin`` and the origin API."""
    app.add_api_route("/origin", origin_page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/origin", origin_submit, methods=["POST"], include_in_schema=False)
    app.add_api_route("/origin/guide", guide_page, methods=["GET"], include_in_schema=False)
    app.add_api_route(f"{PREFIX}/origin/check", check_api, methods=["POST"],
                      summary="Does a product originate under the EVFTA? (bill of materials in, answer with "
                              "citations out)", responses=problem_responses(422, 429))
    app.add_api_route(f"{PREFIX}/origin/rules", rules_api, methods=["GET"],
                      summary="The EVFTA product-specific rule(s) of an HS code, as parsed",
                      responses=problem_responses(404, 422, 429))
    app.add_api_route(f"{PREFIX}/origin/report", report_api, methods=["GET"],
                      summary="The parse report of every EVFTA rule set", responses=problem_responses(429))


async def guide_page(request: Request, lang: Annotated[Lang, Query()] = "vi") -> Response:
    """The guide to proofs of origin (EUR.1, the origin declaration, REX), in Vietnamese with an English summary."""
    from importlib import resources

    from markdown_it import MarkdownIt

    text = resources.files("vnindustry.origin").joinpath("data", "proofs-guide.md").read_text("utf-8")
    vietnamese, _, english = text.partition("\n## English summary")
    # The guide is the project's own text (no user input); tables on, raw HTML off. An English page shows the
    # guide's English summary, a Vietnamese one the guide.
    shown = vietnamese if lang == "vi" or not english else "# Proofs of origin under the EVFTA" + english
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(shown)
    rendered = _page(request, "origin_guide.html.j2", lang, f"{PREFIX}/origin/report", synthetic=False,
                     ot=lambda key, **v: t(key, lang, **v), guide=body)
    response = _respond(request, rendered, 3600)
    return response
