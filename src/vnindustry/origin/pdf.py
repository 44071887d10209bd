"""An origin answer as a printable PDF (the ``/origin`` page's "print to PDF"), with the DejaVu fonts the bulletin
embeds, so every Vietnamese letter prints."""

from __future__ import annotations

from contextlib import ExitStack
from importlib.resources import as_file, files

from vnindustry.origin.answer import ANSWER_WORDS, verdict

__all__ = ["answer_pdf"]

WORDS = {
    **ANSWER_WORDS,
    "title": ("Tự đánh giá xuất xứ hàng hóa theo EVFTA", "EVFTA origin self-assessment"),
    "product": ("Sản phẩm: HS {hs}, giá xuất xưởng {price}", "Product: HS {hs}, ex-works price {price}"),
    "rule": ("Quy tắc", "Rule"),
    "alternatives": ("Các phương án của quy tắc", "The rule's alternatives"),
    "materials": ("Nguyên liệu", "Materials"),
    "source_these": ("Mua trong nước (hoặc từ EU): {names} → phương án {alt}", "Source locally (or from the EU): "
                     "{names} → alternative {alt}"),
    "headroom": ("Còn {points} điểm phần trăm đến {limit} (phương án {alt})", "{points} points left to {limit} "
                 "(alternative {alt})"),
    "source": ("Nguồn quy tắc", "Rules from"),
    "passes": ("đạt", "met"),
    "fails": ("không đạt", "not met"),
    "unassessed": ("chưa đánh giá được", "not assessed"),
}


def _w(key: str, lang: str, **values: object) -> str:
    vi, en = WORDS[key]
    return (vi if lang == "vi" else en).format(**values)


def _num(value: float, lang: str, decimals: int = 2) -> str:
    from vnindustry.publish.numbers import format_number

    return format_number(value, decimals, lang)


def answer_pdf(answer: dict) -> bytes:
    """The answer of :func:`vnindustry.origin.assess` as an A4 PDF in its language."""
    from fpdf import FPDF

    lang = answer["lang"]
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, 15)
    pdf.set_title(_w("title", lang))
    pdf.set_creator("vnindustry")
    with ExitStack() as stack:
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            path = stack.enter_context(as_file(files("vnindustry.publish") / "fonts" / name))
            pdf.add_font("DejaVu", style, str(path))
        pdf.add_page()

        def line(text: str, size: float = 10, bold: bool = False, gap: float = 0) -> None:
            pdf.set_font("DejaVu", "B" if bold else "", size)
            pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
            if gap:
                pdf.ln(gap)

        line(_w("title", lang), 14, True, 2)
        line(verdict(answer, lang), 13, True, 1)
        line(_w("product", lang, hs=answer["hs"], price=_num(answer["ex_works"], lang)))
        rule = answer["rule"]
        line(f"{_w('rule', lang)}: {rule['heading']} — {rule['description']}")
        line(f"MaxNOM: {_num(answer['maxnom_pct'], lang)}%", gap=2)
        line(_w("alternatives", lang), 11, True)
        for a in answer["alternatives"]:
            state = {True: "passes", False: "fails", None: "unassessed"}[a["passes"]]
            shown = (a["text_vi"] if lang == "vi" else None) or a["text"]
            line(f"{a['number']}. {shown} — {_w(state, lang)}", bold=True)
            for r in a["reasons"]:
                line(f"   – {r}", 9)
        pdf.ln(2)
        line(_w("materials", lang), 11, True)
        with pdf.table(col_widths=(70, 22, 25, 18, 55), text_align="LEFT", line_height=5) as table:
            pdf.set_font("DejaVu", "B", 9)
            table.row([_w("material", lang), "HS", _w("value", lang), _w("origin", lang), _w("counted", lang)])
            pdf.set_font("DejaVu", "", 9)
            for m in answer["materials"]:
                table.row([m["material"], m["hs"], _num(m["value"], lang), m["origin"] or "?",
                           _w("originating" if m["originating"] else "non", lang)])
        pdf.ln(2)
        todo = answer.get("to_originate")
        if todo:
            line(_w("todo", lang), 11, True)
            line(_w("source_these", lang, names=", ".join(todo["source_as_originating"]), alt=todo["alternative"]))
            for name, found in todo["suppliers"].items():
                for s in found:
                    line(f"   – {name}: {s['name']} ({s['supplier']}) — {s['why']}", 9)
        for h in answer.get("headroom", []):
            line(_w("headroom", lang, points=_num(h["points"], lang), limit=h["limit"], alt=h["alternative"]))
        pdf.ln(2)
        for r in answer["reasons"][:1]:
            line(r, 9)
        src = answer["source"]
        line(f"{_w('source', lang)}: {src['rules']}; {src['from']} @ {src['commit'][:12]} ({src['date']}); "
             f"{src['licence']}", 8)
        line(answer["disclaimer"], 8)
        return bytes(pdf.output())
