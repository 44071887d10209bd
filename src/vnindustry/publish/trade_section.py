"""The bulletin's section on exports and imports of goods (GSO's trade tables)."""

from __future__ import annotations

import math

from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView
from vnindustry.analysis.trade.gso_tables import printed_rows
from vnindustry.publish.document import CellFormat, Paragraph, Section, Table
from vnindustry.publish.figures import DOMESTIC, FOREIGN, index_cell, pct_text, status_word, tet_sentence
from vnindustry.publish.numbers import format_number
from vnindustry.publish.wording import change, estimated, money_usd, month_name
from vnindustry.sources.gso.crude_oil import BALANCE_TABLE, EXCL_CRUDE, INCL_CRUDE


def _stored(view: TableView | None, code: str) -> Line | None:
    """Row ``code`` of the month when it has a level (the derived rows are stored: never recomputed here)."""
    line = view.by_code(code) if view is not None else None
    return line if line is not None and not math.isnan(line.level) else None


def balance_words(million_usd: float, lang: str) -> str:
    """"nhập siêu 1,55 tỷ USD" / "a deficit of USD 1.55 billion": two decimals, as GSO prints balances."""
    amount = format_number(abs(million_usd) / 1000.0, 2, lang)
    if lang == "vi":
        return f"{'xuất siêu' if million_usd > 0 else 'nhập siêu'} {amount} tỷ USD"
    return f"a {'surplus' if million_usd > 0 else 'deficit'} of USD {amount} billion"


def _flow_sentence(line: Line, excl: Line | None, month: str, lang: str, *, exports: bool) -> str:
    """The month's total and, where stored, the figure excluding crude oil with its own change."""
    if lang == "vi":
        what = "xuất khẩu" if exports else "nhập khẩu"
        s = f"Kim ngạch {what} hàng hóa {month} {estimated(line.status, lang)}đạt {money_usd(line.level, lang)}"
        if (c := change(line.same_month_last_year, lang)):
            s += f", {c} so với cùng kỳ năm trước"
        if excl is not None:
            s += f"; không kể dầu thô đạt {money_usd(excl.level, lang)}"
            if (c := change(excl.same_month_last_year, lang)):
                s += f", {c}"
        return s + "."
    what = "Exports" if exports else "Imports"
    s = f"{what} of goods in {month}{estimated(line.status, lang)} reached {money_usd(line.level, lang)}"
    if (c := change(line.same_month_last_year, lang)):
        s += f", {c} on a year earlier"
    if excl is not None:
        s += f"; excluding crude oil, {money_usd(excl.level, lang)}"
        if (c := change(excl.same_month_last_year, lang)):
            s += f", {c}"
    return s + "."


def _table(view: TableView, title: str, sheet: str, lang: str) -> Table:
    """GSO's table as GSO prints it: the total, the sectors, "Mặt hàng chủ yếu", the commodities in the
    sheet's order with their "Trong đó" rows under them; crude oil once."""
    vi = lang == "vi"
    rows: list[list[object]] = []
    statuses: list[str] = []
    part = ""
    for r in printed_rows(view):
        if r.part == "commodity" and part != "commodity":
            rows.append(["Mặt hàng chủ yếu" if vi else "Main commodities", "", None, None])
            statuses.append("")
        part = r.part
        x = r.line
        name = x.name(lang)
        if r.depth:
            name = ("Trong đó: " if vi else "of which: ") + name
        unit = x.unit_name(lang)
        rows.append([name, unit, None if math.isnan(x.level) else x.level, index_cell(x.same_month_last_year)])
        statuses.append(status_word(x.status, lang))
    return Table(title, ["Mặt hàng" if vi else "Commodity", "Đơn vị" if vi else "Unit",
                         "Trị giá" if vi else "Value", "So với cùng kỳ năm trước (%)" if vi
                         else "Same month last year = 100"],
                 [CellFormat.TEXT, CellFormat.TEXT, CellFormat.NUMBER1, CellFormat.INDEX], rows,
                 statuses=statuses, status_header="Trạng thái" if vi else "Status",
                 sheet_name=sheet if vi else sheet.replace("XK", "Exports").replace("NK", "Imports"))


def trade_section(ind: MonthlyIndicators, lang: str) -> Section | None:
    """The bulletin's exports and imports: text, Tết sentence and GSO's tables. Every figure is a stored
    row — the totals as printed, excluding crude oil and the balances as derived at import
    (:mod:`vnindustry.sources.gso.crude_oil`) — so the bulletin says what the pages and the API say."""
    exports, imports = ind.table("exports"), ind.table("imports")
    ex = exports.total() if exports else None
    im = imports.total() if imports else None
    if ex is None and im is None:
        return None
    vi = lang == "vi"
    section = Section("Xuất, nhập khẩu hàng hóa" if vi else "Exports and imports of goods")
    text = []
    month = month_name(ind.period, lang)
    if ex is not None and not math.isnan(ex.level):
        text.append(_flow_sentence(ex, _stored(exports, EXCL_CRUDE), month, lang, exports=True))
        dom, fdi = (exports.by_code(*DOMESTIC), exports.by_code(*FOREIGN)) if exports else (None, None)
        if dom is not None and fdi is not None and not math.isnan(dom.level) and not math.isnan(fdi.level):
            if vi:
                text.append(f"Trong đó, khu vực kinh tế trong nước đạt {money_usd(dom.level, lang)}, chiếm "
                            f"{pct_text(100 * dom.level / ex.level, lang)}; khu vực có vốn đầu tư nước ngoài "
                            f"(kể cả dầu thô) đạt {money_usd(fdi.level, lang)}, chiếm "
                            f"{pct_text(100 * fdi.level / ex.level, lang)}.")
            else:
                text.append(f"The domestic sector exported {money_usd(dom.level, lang)} "
                            f"({pct_text(100 * dom.level / ex.level, lang)}) and the foreign-invested sector "
                            f"(crude oil included) {money_usd(fdi.level, lang)} "
                            f"({pct_text(100 * fdi.level / ex.level, lang)}).")
    if im is not None and not math.isnan(im.level):
        text.append(_flow_sentence(im, _stored(imports, EXCL_CRUDE), month, lang, exports=False))
    balance = ind.table(BALANCE_TABLE)
    incl, excl = _stored(balance, INCL_CRUDE), _stored(balance, EXCL_CRUDE)
    if incl is not None:
        if vi:
            s = (f"Cán cân thương mại hàng hóa {month} {estimated(incl.status, lang)}"
                 f"{balance_words(incl.level, lang)} (kể cả dầu thô)")
            s += f"; không kể dầu thô {balance_words(excl.level, lang)}." if excl is not None else "."
        else:
            s = (f"The trade balance in goods for {month}{estimated(incl.status, lang)} shows "
                 f"{balance_words(incl.level, lang)} (crude oil included)")
            s += f"; excluding crude oil, {balance_words(excl.level, lang)}." if excl is not None else "."
        text.append(s)
    section.blocks.append(Paragraph(" ".join(text)))
    for view, line, subject_vi, subject_en in ((exports, ex, "kim ngạch xuất khẩu", "exports"),
                                               (imports, im, "kim ngạch nhập khẩu", "imports")):
        if view is not None and line is not None and (
                sentence := tet_sentence(view, line, ind.period, subject_vi, subject_en, lang)) is not None:
            section.blocks.append(Paragraph(sentence))
    for view, name_vi, name_en, sheet in ((exports, "Hàng hóa xuất khẩu", "Exports of goods", "XK"),
                                          (imports, "Hàng hóa nhập khẩu", "Imports of goods", "NK")):
        if view is not None:
            section.blocks.append(_table(view, f"{name_vi} {month}" if vi else f"{name_en}, {month}", sheet, lang))
    return section
