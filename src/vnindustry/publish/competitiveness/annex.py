"""The bulletin's annex: the competitiveness section (text and RCA table), the key-products section (text,
ranking, weights), the synthetic-data mark, and both put together.

Part of :mod:`vnindustry.publish.competitiveness`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from vnindustry import names
from vnindustry.publish.competitiveness.labels import (
    METHOD_NAMES,
    WEIGHT_ORIGINS,
    class_name,
    criterion_label,
    market_name,
    pick,
    product_name,
    run_title,
    scored_name,
)
from vnindustry.publish.competitiveness.rca import DEFAULT_EXPORTER, DEFAULT_MARKET, NoTradeData, RcaTable, rca_table
from vnindustry.publish.competitiveness.scoring import Scoring
from vnindustry.publish.document import CellFormat, Paragraph, Section, Table
from vnindustry.publish.numbers import format_number

ANNEX_YEARS = 3  # years shown in the bulletin's RCA table


# ---------------------------------------------------------------- the annex


def _num(x: float | None, decimals: int, lang: str) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else format_number(x, decimals, lang)


def _value(x: Any) -> float | None:
    """A table cell: None for missing (an empty cell), else the float."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _points(x: float, lang: str) -> str:
    """"tăng 0,3 điểm phần trăm" / "up 0.3 percentage points"; "" when missing."""
    if math.isnan(x):
        return ""
    text = format_number(abs(x), 1, lang)
    if text == format_number(0, 1, lang):
        return "không đổi" if lang == "vi" else "unchanged"
    if lang == "vi":
        return f"{'tăng' if x > 0 else 'giảm'} {text} điểm phần trăm"
    return f"{'up' if x > 0 else 'down'} {text} percentage points"


def _groups(n: int) -> str:
    return f"{n} group" if n == 1 else f"{n} groups"


def rca_paragraphs(table: RcaTable, lang: str) -> list[str]:
    """The competitiveness text: RCA ≥ 1 groups in the latest year, the strongest, changes, market share."""
    if table.frame.empty:
        return []
    vi = lang == "vi"
    latest = table.latest()
    year = table.periods[-1]
    shown = latest[latest["rca"].notna()]
    strong = shown[shown["rca"] >= 1.0]
    crude = (" (không kể dầu thô)" if vi else " (excluding crude oil)") if table.exclude_crude_oil else ""
    who, who_en = names.market_name(table.exporter, "vi"), names.market_name(table.exporter, "en")
    top = [f"{product_name(p, lang).lower() if vi else product_name(p, lang)} ({_num(r, 2, lang)})"
           for p, r in zip(strong["product"][:3], strong["rca"][:3], strict=True)]
    out = []
    if vi:
        s = (f"Năm {year}, trên {market_name(table.market, lang)}, {who} có lợi thế so sánh hiện hữu (RCA ≥ 1) ở "
             f"{len(strong)}/{len(shown)} nhóm hàng{crude}")
        s += f"; cao nhất là {', '.join(top)}." if top else "."
    else:
        s = (f"In {year}, in {market_name(table.market, lang)}, {who_en} had a revealed comparative advantage "
             f"(RCA ≥ 1) in {len(strong)} of {len(shown)} product groups{crude}")
        s += f"; the highest were {', '.join(top)}." if top else "."
    out.append(s)
    changes = latest["rca_change"].dropna()
    if len(changes):
        up, down = int((changes > 0.005).sum()), int((changes < -0.005).sum())
        prev = table.periods[-2]
        out.append(f"So với năm {prev}, chỉ số RCA tăng ở {up} nhóm hàng và giảm ở {down} nhóm hàng." if vi else
                   f"Compared with {prev}, RCA rose in {_groups(up)} and fell in {_groups(down)}.")
    share = table.total_share.get(year, math.nan)
    if not math.isnan(share):
        before = table.total_share.get(str(int(year) - 1), math.nan) if year.isdigit() else math.nan
        change = _points(share - before, lang) if not math.isnan(before) else ""
        if vi:
            s = (f"Thị phần của {who} trong kim ngạch nhập khẩu của {table.market} từ các nước xuất khẩu trong bộ số "
                 f"liệu đạt {_num(share, 1, lang)}%")
            s += f", {change} so với năm trước." if change else "."
        else:
            s = (f"{who_en}'s share of {table.market} imports from the exporters covered was "
                 f"{_num(share, 1, lang)}%")
            s += f", {change} on the previous year." if change else "."
        out.append(s)
    return out


def rca_block(table: RcaTable, lang: str, years: int = ANNEX_YEARS) -> Table:
    """The RCA table: product group, RCA of the last ``years`` years, change on the previous year, market share."""
    vi = lang == "vi"
    periods = table.periods[-years:]
    latest = table.latest()
    wide = table.wide(periods)
    last = latest.set_index("product")
    rows: list[list[object]] = []
    for product in wide.index:
        rows.append([str(product), product_name(product, lang),
                     *[_value(wide.at[product, p]) for p in periods],
                     _value(last.at[product, "rca_change"]), _value(last.at[product, "share_pct"])])
    crude = (" (không kể dầu thô)" if vi else " (excluding crude oil)") if table.exclude_crude_oil else ""
    who = names.market_name(table.exporter, lang)
    return Table(
        (f"Chỉ số RCA của {who} trên {market_name(table.market, lang)} theo nhóm hàng{crude}" if vi else
         f"RCA of {who} in {market_name(table.market, lang)} by product group{crude}"),
        ["Mã HS" if vi else "HS code", "Nhóm hàng" if vi else "Product group",
         *[f"RCA {p}" for p in periods],
         "Thay đổi so với năm trước" if vi else "Change on previous year",
         f"Thị phần {periods[-1]} (%)" if vi else f"Market share {periods[-1]} (%)"],
        [CellFormat.TEXT, CellFormat.TEXT, *[CellFormat.NUMBER2] * len(periods), CellFormat.NUMBER2,
         CellFormat.NUMBER1],
        rows,
        notes=[("RCA (Balassa) trên thị trường: tỷ trọng của nhóm hàng trong xuất khẩu của nước vào thị trường chia "
                "cho tỷ trọng đó của tất cả các nước xuất khẩu trong bộ số liệu; RCA ≥ 1: có lợi thế so sánh. "
                "Thị phần: tỷ trọng trong kim ngạch nhập khẩu của thị trường từ các nước xuất khẩu trong bộ số "
                "liệu.") if vi else
               ("RCA (Balassa) in the market: the group's share of the country's exports into the market divided by "
                "that share for all exporters covered; RCA ≥ 1: a comparative advantage. Market share: of the "
                "market's imports from the exporters covered.")],
        sheet_name="RCA")


def competitiveness_section(table: RcaTable, lang: str, number: int = 1) -> Section:
    """Annex section "Phụ lục N. Năng lực cạnh tranh …": text and the RCA table."""
    vi = lang == "vi"
    heading = (f"Phụ lục {number}. Năng lực cạnh tranh xuất khẩu trên {market_name(table.market, lang)}" if vi else
               f"Annex {number}. Export competitiveness in {market_name(table.market, lang)}")
    section = Section(heading)
    section.blocks += [Paragraph(p) for p in rca_paragraphs(table, lang)]
    if not table.frame.empty:
        section.blocks.append(rca_block(table, lang))
    return section


def _cr_text(scoring: Scoring, lang: str) -> str:
    if scoring.cr is None:
        return ""
    ok = scoring.cr <= 0.1
    if lang == "vi":
        return f"CR = {_num(scoring.cr, 3, lang)} {'≤' if ok else '>'} 0,1{', nhất quán' if ok else ''}"
    return f"CR = {_num(scoring.cr, 3, lang)} {'≤' if ok else '>'} 0.1{', consistent' if ok else ''}"


def key_product_paragraphs(scoring: Scoring, lang: str) -> list[str]:
    """The key-product text: the run, its method and weights (with CR), how many key and potential products."""
    vi = lang == "vi"
    counts = scoring.counts()
    method = pick(METHOD_NAMES.get(scoring.method, (scoring.method, scoring.method)), lang)
    origin = pick(WEIGHT_ORIGINS.get(scoring.weights_origin, (scoring.weights_origin,) * 2), lang)
    cr = _cr_text(scoring, lang)
    shown = run_title(scoring.title, lang)
    title = f"“{shown}”" if shown else ""
    n = len(scoring.table)
    key = [scored_name(str(x), lang) for x in scoring.table[scoring.table["class"] == "key"]["name"]]
    out = []
    if vi:
        s = (f"Kết quả chấm điểm {title + ' ' if title else ''}{n} sản phẩm ứng viên theo "
             f"{len(scoring.criteria)} tiêu chí")
        s += f" (phương pháp {method}, trọng số {origin}{'; ' + cr if cr else ''})"
        s += (f": {counts['key']} sản phẩm công nghiệp chủ lực, {counts['potential']} sản phẩm tiềm năng và "
              f"{counts['other']} sản phẩm khác.")
        out.append(s)
        if key:
            out.append(f"Các sản phẩm chủ lực: {'; '.join(key)}.")
    else:
        s = f"The scoring {title + ' ' if title else ''}of {n} candidate products on {len(scoring.criteria)} criteria"
        s += f" ({method}, weights from {origin}{'; ' + cr if cr else ''})"
        s += (f" gives {counts['key']} key industrial product{'' if counts['key'] == 1 else 's'}, "
              f"{counts['potential']} potential product{'' if counts['potential'] == 1 else 's'} and "
              f"{counts['other']} other{'' if counts['other'] == 1 else 's'}.")
        out.append(s)
        if key:
            out.append(f"Key products: {'; '.join(key)}.")
    moving = scoring.sensitivity
    if len(moving) and "classes" in moving:
        changed = moving[moving["classes"].astype(str).str.contains("|", regex=False)]
        pct = format_number(100 * scoring.step, 0, lang)
        if not len(changed):  # never "0 sản phẩm có thể đổi nhóm" (issue 13)
            out.append(f"Khi mỗi trọng số thay đổi ±{pct}%, không sản phẩm nào đổi nhóm." if vi else
                       f"When each weight moves by ±{pct}%, no product changes class.")
        elif vi:
            out.append(f"Khi mỗi trọng số thay đổi ±{pct}%, {len(changed)} sản phẩm có thể đổi nhóm"
                       + (f" ({'; '.join(changed['name'].astype(str))})." if len(changed) else "."))
        else:
            out.append(f"When each weight moves by ±{pct}%, {len(changed)} product{'' if len(changed) == 1 else 's'} "
                       "can change class"
                       + (f" ({'; '.join(scored_name(x, lang) for x in changed['name'].astype(str))})."
                          if len(changed) else "."))
    return out


def ranking_block(scoring: Scoring, lang: str) -> Table:
    """The ranked list: rank, code, product, score, class."""
    vi = lang == "vi"
    rows: list[list[object]] = [[_value(r["rank"]), str(r["product"]), scored_name(str(r["name"]), lang),
                                 _value(r["score"]),
                                 class_name(str(r["class"]), lang)] for r in scoring.table.to_dict("records")]
    return Table("Xếp hạng sản phẩm ứng viên" if vi else "Ranking of the candidate products",
                 ["Hạng" if vi else "Rank", "Mã" if vi else "Code", "Sản phẩm" if vi else "Product",
                  "Điểm" if vi else "Score", "Nhóm" if vi else "Class"],
                 [CellFormat.NUMBER0, CellFormat.TEXT, CellFormat.TEXT, CellFormat.NUMBER2, CellFormat.TEXT],
                 rows, sheet_name="ChuLuc" if vi else "KeyProducts")


def weights_block(scoring: Scoring, lang: str) -> Table:
    """The criteria and their weights (%), with λmax, CI, RI and CR in a note when they come from AHP."""
    vi = lang == "vi"
    rows: list[list[object]] = [[criterion_label(str(r["criterion"]), lang), 100.0 * float(r["weight"])]
                                for r in scoring.weights.to_dict("records")]
    notes = []
    if scoring.cr is not None:
        figures = ", ".join(f"{name} = {_num(v, 3, lang)}" for name, v in
                            (("λmax", scoring.lambda_max), ("CI", scoring.ci), ("RI", scoring.ri), ("CR", scoring.cr))
                            if v is not None)
        notes.append(f"Tính nhất quán của ma trận so sánh cặp: {figures} (chấp nhận khi CR ≤ 0,1)." if vi else
                     f"Consistency of the pairwise matrix: {figures} (accepted when CR ≤ 0.1).")
    return Table("Tiêu chí và trọng số" if vi else "Criteria and weights",
                 ["Tiêu chí" if vi else "Criterion", "Trọng số (%)" if vi else "Weight (%)"],
                 [CellFormat.TEXT, CellFormat.NUMBER1], rows, notes=notes,
                 sheet_name="TrongSo" if vi else "Weights")


def key_products_section(scoring: Scoring, lang: str, number: int = 2) -> Section:
    """Annex section "Phụ lục N. Sản phẩm công nghiệp chủ lực": text, the ranking and the weights."""
    vi = lang == "vi"
    section = Section(f"Phụ lục {number}. Sản phẩm công nghiệp chủ lực và tiềm năng" if vi else
                      f"Annex {number}. Key and potential industrial products")
    section.blocks += [Paragraph(p) for p in key_product_paragraphs(scoring, lang)]
    if len(scoring.table):
        section.blocks += [ranking_block(scoring, lang), weights_block(scoring, lang)]
    return section


SYNTHETIC_MARK = ("dữ liệu giả lập", "synthetic data")
SYNTHETIC_NOTE = ("Dữ liệu giả lập do chương trình demo tạo ra, không phải số liệu thực tế; chỉ dùng để minh họa.",
                  "Synthetic data made by the demo generator, not real figures; for illustration only.")


def marked(section: Section, lang: str) -> Section:
    """``section`` with the synthetic mark: in its heading, a first paragraph and each table's title."""
    mark = pick(SYNTHETIC_MARK, lang)
    section.heading = f"{section.heading} ({mark})"
    for block in section.blocks:
        if isinstance(block, Table):
            block.title = f"{block.title} ({mark})"
    section.blocks.insert(0, Paragraph(pick(SYNTHETIC_NOTE, lang)))
    return section


def annex_sections(lang: str, *, flows: pd.DataFrame | None = None, scoring: Scoring | None = None,
                   market: str = DEFAULT_MARKET, exporter: str = DEFAULT_EXPORTER,
                   exclude_crude_oil: bool = True, synthetic_flows: bool = False,
                   synthetic_scoring: bool = False) -> list[Section]:
    """The annex: competitiveness (when ``flows`` reach ``market`` from ``exporter``) and key products (when
    ``scoring`` is given), numbered in that order; [] when neither has data. ``synthetic_*``: the flows or the
    scoring come from synthetic releases — the section says "dữ liệu giả lập / synthetic data" (issue 13)."""
    out: list[Section] = []
    if flows is not None and not flows.empty:
        try:
            table = rca_table(flows, market=market, exporter=exporter, exclude_crude_oil=exclude_crude_oil)
        except (NoTradeData, ValueError):  # ValueError: e.g. chapter 27 whose crude oil cannot be split out
            table = None
        if table is not None and not table.frame.empty:
            section = competitiveness_section(table, lang, len(out) + 1)
            out.append(marked(section, lang) if synthetic_flows else section)
    if scoring is not None and len(scoring.table):
        section = key_products_section(scoring, lang, len(out) + 1)
        out.append(marked(section, lang) if synthetic_scoring else section)
    return out
