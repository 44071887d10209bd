"""The monthly bulletin on industry and trade: composed from the store's indicators, in vi or en.

Register: the Department's and GSO's monthly reports (tests/data/bulletin-style-hcmc-2020-11.txt) —
"Chỉ số sản xuất công nghiệp (IIP) tháng 11/2020 ước tính tăng 3,4% so với tháng trước…". Each section
appears only where its data exist; estimates say "ước tính"; "tăng"/"giảm" follows the sign.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView
from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.publish.document import (
    CONFIDENTIAL_NOTE,
    WITHHELD,
    Bulletin,
    CellFormat,
    Chart,
    Paragraph,
    Section,
    Table,
    Withheld,
)
from vnindustry.publish.wording import change, estimated, join, lower_first, money_vnd, month_name
from vnindustry.store.records import STATUS_VI

STATUS_EN = {"estimate": "estimate", "preliminary": "preliminary", "actual": "actual"}

# Codes the GSO importer gives to the rows the text needs (sources/gso/labels.py).
RETAIL_GOODS = ("ban-le-hang-hoa",)
CRUDE_OIL = ("dau-tho",)
DOMESTIC = ("khu-vuc-kinh-te-trong-nuoc",)
FOREIGN = ("khu-vuc-co-von-dau-tu-nn", "khu-vuc-co-von-dau-tu-nuoc-ngoai")

SOURCE_NAMES = {
    "city": ("Sở Công Thương (biên soạn từ báo cáo của doanh nghiệp)",
             "Department of Industry and Trade (compiled from enterprise reports)"),
    "gso": ("Tổng cục Thống kê (Cục Thống kê), số liệu tháng", "General Statistics Office, monthly data"),
}


def _status(status: str, lang: str) -> str:
    return STATUS_VI.get(status, status) if lang == "vi" else STATUS_EN.get(status, status)


def _ym(period: str) -> tuple[int, int]:
    key = parse_month(period)
    assert key is not None
    return year_of(key), month_of(key)


def iip_paragraphs(total: Line, group: Line | None, fastest: list[Line], slowest: list[Line], period: str,
                   lang: str) -> list[str]:
    """The IIP text: the month, year to date with cùng kỳ, the key-industry group, fastest/slowest."""
    year, month = _ym(period)
    out = []
    parts = []
    if lang == "vi":
        if (c := change(total.prev_month, lang)):
            parts.append(f"{c} so với tháng trước")
        if (c := change(total.same_month_last_year, lang)):
            parts.append(f"{c} so với cùng kỳ năm trước")
        lead = f"Chỉ số sản xuất công nghiệp (IIP) {month_name(period, lang)}"
        if parts:
            out.append(f"{lead} {estimated(total.status, lang)}{' và '.join(parts)}.")
        if month > 1 and (c := change(total.ytd, lang)):
            s = f"Lũy kế {month} tháng/{year}, chỉ số IIP {estimated(total.status, lang)}{c}"
            if (p := change(total.ytd_prev, lang)):
                s += f" (cùng kỳ {p})"
            if group is not None and (g := change(group.ytd, lang)):
                s += f"; trong đó, {lower_first(group.name_vi)} {g}"
                if (gp := change(group.ytd_prev, lang)):
                    s += f" (cùng kỳ {gp})"
            out.append(s + ".")
        elif group is not None and (g := change(group.same_month_last_year, lang)):
            out.append(f"{group.name_vi[:1].upper()}{group.name_vi[1:]} {g} so với cùng kỳ năm trước.")
        rising = [x for x in fastest if x.same_month_last_year > 0]
        falling = [x for x in slowest if x.same_month_last_year < 0 and x not in rising]
        if rising:
            items = [f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}" for x in rising]
            out.append("So với cùng kỳ năm trước, một số ngành có chỉ số sản xuất tăng cao: " + "; ".join(items) + ".")
        if falling:
            items = [f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}" for x in falling]
            out.append("Ở chiều ngược lại, một số ngành giảm: " + "; ".join(items) + ".")
        return out
    if (c := change(total.prev_month, lang)):
        parts.append(f"{c} on the previous month")
    if (c := change(total.same_month_last_year, lang)):
        parts.append(f"{c} on {month_name(f'{year - 1}-{month:02d}', lang)}")
    if parts:
        out.append(f"The index of industrial production (IIP) for {month_name(period, lang)}"
                   f"{estimated(total.status, lang)} was {' and '.join(parts)}.")
    if month > 1 and (c := change(total.ytd, lang)):
        s = f"In the first {month} months of {year} the IIP was {c} on a year earlier"
        if (p := change(total.ytd_prev, lang)):
            s += f" (same period of {year - 1}: {p})"
        if group is not None and (g := change(group.ytd, lang)):
            s += f"; the {lower_first(group.name('en'))} were {g}"
            if (gp := change(group.ytd_prev, lang)):
                s += f" ({gp})"
        out.append(s + ".")
    elif group is not None and (g := change(group.same_month_last_year, lang)):
        out.append(f"The {lower_first(group.name('en'))} were {g} on a year earlier.")
    rising = [x for x in fastest if x.same_month_last_year > 0]
    falling = [x for x in slowest if x.same_month_last_year < 0 and x not in rising]
    if rising:
        items = [f"{x.name('en')} ({change(x.same_month_last_year, lang)})" for x in rising]
        out.append("Industries growing fastest on a year earlier: " + "; ".join(items) + ".")
    if falling:
        items = [f"{x.name('en')} ({change(x.same_month_last_year, lang)})" for x in falling]
        out.append("Industries falling most: " + "; ".join(items) + ".")
    return out


def contribution_sentence(total: Line, parts: list[Line], lang: str) -> str | None:
    """Which branches drove the change on a year earlier, in percentage points (where published)."""
    parts = [x for x in parts if not math.isnan(x.contribution)]
    if not parts or math.isnan(total.same_month_last_year):
        return None
    parts.sort(key=lambda x: abs(x.contribution), reverse=True)

    def pp(x: float) -> str:
        from vnindustry.publish.numbers import format_number

        text = format_number(abs(x), 1, lang)
        if lang == "vi":
            return f"{'đóng góp' if x >= 0 else 'làm giảm'} {text} điểm phần trăm"
        return f"{'added' if x >= 0 else 'took off'} {text} percentage points"

    from vnindustry.publish.numbers import round_half_up

    parts = [x for x in parts if round_half_up(x.contribution, 1) != 0]  # "0,0 điểm" says nothing
    if not parts:
        return None
    yoy = total.same_month_last_year
    if lang == "vi":
        items = [f"ngành {lower_first(x.name_vi)} {pp(x.contribution)}" for x in parts]
        return f"Trong mức {change(yoy, lang)} so với cùng kỳ năm trước, " + "; ".join(items) + "."
    from vnindustry.publish.numbers import format_number

    items = [f"{x.name('en')} {pp(x.contribution)}" for x in parts]
    word = "rise" if yoy >= 0 else "fall"
    return f"Of the {format_number(abs(yoy), 1, lang)}% {word} on a year earlier, " + "; ".join(items) + "."


def tet_sentence(view: TableView, line: Line, period: str, subject_vi: str, subject_en: str, lang: str, *,
                 ytd_said: bool = False) -> str | None:
    """January and February only: the change on a year earlier with Tết and working-day effects removed
    (from the stored calendar-adjusted series) and, in February, the combined January–February growth."""
    _, month = _ym(period)
    if month not in (1, 2):
        return None
    adjusted = view.adjusted(line.code)
    rate = adjusted.same_month_last_year if adjusted is not None else math.nan
    # The published year to date if there is one (unless the text already said it), else from levels.
    combined = math.nan
    if month == 2 and not ytd_said:
        combined = line.ytd if not math.isnan(line.ytd) else view.combined_growth(line.code, period)
    parts = []
    if lang == "vi":
        if not math.isnan(rate):
            parts.append(f"Loại trừ yếu tố Tết, {subject_vi} {month_name(period, lang)} {change(rate, lang)} so với "
                         "cùng kỳ năm trước")
        if not math.isnan(combined):
            parts.append(f"tính chung 2 tháng đầu năm, {subject_vi} {change(combined, lang)} so với cùng kỳ")
        if not parts:
            return None
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "."
    if not math.isnan(rate):
        parts.append(f"Adjusted for Tết and working days, {subject_en} for {month_name(period, lang)}: "
                     f"{change(rate, lang)} on a year earlier")
    if not math.isnan(combined):
        parts.append(f"January and February together: {change(combined, lang)}")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _iip_section(ind: MonthlyIndicators, lang: str) -> Section | None:
    view = ind.table("iip")
    total = view.total() if view else None
    if view is None or total is None:
        return None
    groups = view.lines(kind="group")
    fastest, slowest = ind.ranked_industries()
    vi = lang == "vi"
    section = Section("Sản xuất công nghiệp" if vi else "Industrial production")
    for text in iip_paragraphs(total, groups[0] if groups else None, fastest, slowest, ind.period, lang):
        section.blocks.append(Paragraph(text))
    if (text := contribution_sentence(total, view.lines(kind="industry", level=1), lang)) is not None:
        section.blocks.append(Paragraph(text))
    if (text := tet_sentence(view, total, ind.period, "chỉ số IIP", "the IIP", lang, ytd_said=True)) is not None:
        section.blocks.append(Paragraph(text))
    hist = ind.iip_history.dropna(subset=["chg_same_month_last_year"])
    if len(hist) >= 2:
        section.blocks.append(Chart(
            "Chỉ số IIP so với cùng kỳ năm trước (%)" if vi else "IIP, change on the same month last year (%)",
            "bar_periods", hist["period"].tolist(), hist["chg_same_month_last_year"].tolist(), "%"))
    ranked = [x for x in view.lines(kind="industry", level=2) or view.lines(kind="industry")
              if not math.isnan(x.same_month_last_year)]
    ranked.sort(key=lambda x: x.same_month_last_year, reverse=True)
    if ranked:
        section.blocks.append(Chart(
            f"Chỉ số sản xuất các ngành {month_name(ind.period, lang)} so với cùng kỳ (%)" if vi
            else f"Industrial production by industry, {month_name(ind.period, lang)}, change on a year earlier (%)",
            "barh", [x.name(lang) for x in ranked], [x.same_month_last_year for x in ranked], "%"))
    rows, statuses = [], []
    shown = [total, *groups, *view.lines(kind="industry", level=1), *ranked] if ranked else [total, *groups]
    seen: set[str] = set()
    for x in shown:
        if x.code in seen:
            continue
        seen.add(x.code)
        c = x.confidential
        rows.append([x.name(lang), _index(x.prev_month, c), _index(x.same_month_last_year, c), _index(x.ytd, c)])
        statuses.append(_status(x.status, lang))
    section.blocks.append(Table(
        f"Chỉ số sản xuất công nghiệp {month_name(ind.period, lang)}" if vi
        else f"Index of industrial production, {month_name(ind.period, lang)}",
        ["Ngành" if vi else "Industry",
         "So với tháng trước" if vi else "Previous month = 100",
         "So với cùng kỳ năm trước" if vi else "Same month last year = 100",
         "Lũy kế so với cùng kỳ" if vi else "Year to date, same period last year = 100"],
        [CellFormat.TEXT, CellFormat.INDEX, CellFormat.INDEX, CellFormat.INDEX], rows, unit="%",
        statuses=statuses, status_header="Trạng thái" if vi else "Status", sheet_name="IIP",
        notes=["Kỳ gốc so sánh = 100." if vi else "Comparison period = 100.", *_symbols(rows, lang)]))
    return section


def _index(change_pct: float, withheld: bool = False) -> float | Withheld | None:
    """A change (−3,25) back in GSO's index style (96,75) for the official-layout tables; a gap in a row with
    confidential figures (``withheld``) is shown as "c"."""
    if math.isnan(change_pct):
        return WITHHELD if withheld else None
    return 100.0 + change_pct


def _level(value: float, withheld: bool = False) -> float | Withheld | None:
    if math.isnan(value):
        return WITHHELD if withheld else None
    return value


def _symbols(rows: list[list[object]], lang: str) -> list[str]:
    """The note explaining "c", when a table shows it."""
    return [CONFIDENTIAL_NOTE[lang]] if any(isinstance(v, Withheld) for row in rows for v in row) else []


def _pct_text(x: float, lang: str) -> str:
    from vnindustry.publish.numbers import format_number

    return f"{format_number(x, 1, lang)}%"


def _products_section(ind: MonthlyIndicators, lang: str, limit: int = 40) -> Section | None:
    view = ind.table("products")
    if view is None:
        return None
    vi = lang == "vi"
    lines = [x for x in view.lines() if not math.isnan(x.same_month_last_year)]
    if not lines:
        return None
    lines.sort(key=lambda x: x.same_month_last_year, reverse=True)
    section = Section("Sản phẩm công nghiệp chủ yếu" if vi else "Key industrial products")
    up = [x for x in lines[:3] if x.same_month_last_year > 0]
    down = [x for x in lines[::-1][:3] if x.same_month_last_year < 0]
    if vi:
        text = []
        if up:
            text.append("So với cùng kỳ năm trước, một số sản phẩm tăng cao: "
                        + join([f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}" for x in up], lang))
        if down:
            text.append("một số sản phẩm giảm: "
                        + join([f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}"
                                for x in down], lang))
        if text:
            section.blocks.append(Paragraph("; ".join(text) + "."))
    else:
        text = []
        if up:
            text.append("Products growing fastest on a year earlier: "
                        + join([f"{x.name('en')} ({change(x.same_month_last_year, lang)})" for x in up], lang))
        if down:
            text.append("falling most: "
                        + join([f"{x.name('en')} ({change(x.same_month_last_year, lang)})" for x in down], lang))
        if text:
            section.blocks.append(Paragraph("; ".join(text) + "."))
    shown = lines if len(lines) <= limit else lines[: limit // 2] + lines[-limit // 2:]
    notes = [] if len(lines) <= limit else [
        (f"Bảng gồm {limit // 2} sản phẩm tăng cao nhất và {limit // 2} sản phẩm giảm nhiều nhất trong "
         f"{len(lines)} sản phẩm.") if vi else
        f"The {limit // 2} fastest-growing and {limit // 2} fastest-falling of {len(lines)} products."]
    shown_sorted = sorted(shown, key=lambda x: x.code) if len(lines) <= limit else shown
    product_rows: list[list[object]] = [
        [x.name(lang), x.unit, _level(x.level, x.confidential), _index(x.prev_month, x.confidential),
         _index(x.same_month_last_year, x.confidential)] for x in shown_sorted]
    section.blocks.append(Table(
        f"Một số sản phẩm công nghiệp chủ yếu {month_name(ind.period, lang)}" if vi
        else f"Key industrial products, {month_name(ind.period, lang)}",
        ["Sản phẩm" if vi else "Product", "Đơn vị tính" if vi else "Unit",
         month_name(ind.period, lang).capitalize(), "So với tháng trước (%)" if vi else "Previous month = 100",
         "So với cùng kỳ năm trước (%)" if vi else "Same month last year = 100"],
        [CellFormat.TEXT, CellFormat.TEXT, CellFormat.NUMBER1, CellFormat.INDEX, CellFormat.INDEX],
        product_rows,
        statuses=[_status(x.status, lang) for x in shown_sorted], status_header="Trạng thái" if vi else "Status",
        sheet_name="SPCN" if vi else "Products", notes=[*notes, *_symbols(product_rows, lang)]))
    return section


def _retail_section(ind: MonthlyIndicators, lang: str) -> Section | None:
    view = ind.table("retail")
    total = view.total() if view else None
    if view is None or total is None or math.isnan(total.level):
        return None
    vi = lang == "vi"
    section = Section("Bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng" if vi
                      else "Retail sales of goods and consumer services revenue")
    goods = view.by_code(*RETAIL_GOODS)
    if vi:
        s = (f"Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng {month_name(ind.period, lang)} "
             f"{estimated(total.status, lang)}đạt {money_vnd(total.level, lang)}")
        if (c := change(total.same_month_last_year, lang)):
            s += f", {c} so với cùng kỳ năm trước"
        s += "."
        if goods is not None and not math.isnan(goods.level):
            share = goods.share if not math.isnan(goods.share) else 100 * goods.level / total.level
            s += (f" Doanh thu bán lẻ hàng hóa đạt {money_vnd(goods.level, lang)}, chiếm "
                  f"{_pct_text(share, lang)} tổng mức")
            s += f", {c} so với cùng kỳ năm trước." if (c := change(goods.same_month_last_year, lang)) else "."
    else:
        s = (f"Retail sales of goods and consumer services revenue for {month_name(ind.period, lang)}"
             f"{estimated(total.status, lang)} reached {money_vnd(total.level, lang)}")
        if (c := change(total.same_month_last_year, lang)):
            s += f", {c} on a year earlier"
        s += "."
        if goods is not None and not math.isnan(goods.level):
            share = goods.share if not math.isnan(goods.share) else 100 * goods.level / total.level
            s += f" Retail sales of goods reached {money_vnd(goods.level, lang)}, {_pct_text(share, lang)} of the total"
            s += f", {c} on a year earlier." if (c := change(goods.same_month_last_year, lang)) else "."
    section.blocks.append(Paragraph(s))
    if (text := tet_sentence(view, total, ind.period, "tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
                             "retail sales and consumer services revenue", lang)) is not None:
        section.blocks.append(Paragraph(text))
    lines = view.lines()
    section.blocks.append(Table(
        f"Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng {month_name(ind.period, lang)}" if vi
        else f"Retail sales and consumer services revenue, {month_name(ind.period, lang)}",
        ["Chỉ tiêu" if vi else "Item", "Tổng mức (tỷ đồng)" if vi else "Value (VND billion)",
         "Cơ cấu (%)" if vi else "Share (%)", "So với cùng kỳ năm trước (%)" if vi else "Same month last year = 100"],
        [CellFormat.TEXT, CellFormat.NUMBER0, CellFormat.NUMBER1, CellFormat.INDEX],
        [[x.name(lang), None if math.isnan(x.level) else x.level, None if math.isnan(x.share) else x.share,
          _index(x.same_month_last_year)] for x in lines],
        unit="tỷ đồng" if vi else "VND billion", statuses=[_status(x.status, lang) for x in lines],
        status_header="Trạng thái" if vi else "Status", sheet_name="Tongmuc" if vi else "Retail"))
    return section


def compose_bulletin(ind: MonthlyIndicators, lang: str = "vi", annex: Sequence[Section] = ()) -> Bulletin:
    """The bulletin for ``ind.period`` in ``lang`` ("vi" or "en"); sections only where data exist.

    ``annex``: sections appended after the month's (publish.competitiveness.store_annex: competitiveness and
    key products, when the store holds trade flows or a scoring); empty ones are left out.
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"unknown language {lang!r}; use vi or en")
    vi = lang == "vi"
    month = month_name(ind.period, lang)
    source_vi, source_en = SOURCE_NAMES.get(ind.source, (ind.source, ind.source))
    bulletin = Bulletin(
        title=(f"Tình hình sản xuất công nghiệp và thương mại {month}" if vi
               else f"Industry and trade, {month}"),
        subtitle=(f"Nguồn: {source_vi}" if vi else f"Source: {source_en}"),
        lang=lang, period=ind.period,
        footer=("Số liệu ước tính có thể được điều chỉnh trong các kỳ sau." if vi
                else "Estimates may be revised in later releases."),
    )
    from vnindustry.publish.trade_section import trade_section  # it builds on this module's helpers

    for build in (_iip_section, _products_section, _retail_section, trade_section):
        section = build(ind, lang)
        if section is not None and section.blocks:
            bulletin.sections.append(section)
    bulletin.sections.extend(s for s in annex if s.blocks)
    return bulletin
