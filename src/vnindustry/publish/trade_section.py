"""The bulletin's section on exports and imports of goods (GSO's trade tables)."""

from __future__ import annotations

import math

from vnindustry.analysis.indicators import MonthlyIndicators
from vnindustry.publish.bulletin import CRUDE_OIL, DOMESTIC, FOREIGN, _index, _pct_text, _status, tet_sentence
from vnindustry.publish.document import CellFormat, Paragraph, Section, Table
from vnindustry.publish.wording import change, estimated, money_usd, month_name


def trade_section(ind: MonthlyIndicators, lang: str) -> Section | None:
    """The bulletin's exports and imports: text, Tết sentence and the commodity tables."""
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
        crude = exports.by_code(*CRUDE_OIL) if exports else None
        ex_no_oil = ex.level - (crude.level if crude is not None and not math.isnan(crude.level) else 0.0)
        if vi:
            s = f"Kim ngạch xuất khẩu hàng hóa {month} {estimated(ex.status, lang)}đạt {money_usd(ex.level, lang)}"
            if (c := change(ex.same_month_last_year, lang)):
                s += f", {c} so với cùng kỳ năm trước"
            if crude is not None:
                s += f"; không kể dầu thô đạt {money_usd(ex_no_oil, lang)}"
        else:
            s = f"Exports of goods in {month}{estimated(ex.status, lang)} reached {money_usd(ex.level, lang)}"
            if (c := change(ex.same_month_last_year, lang)):
                s += f", {c} on a year earlier"
            if crude is not None:
                s += f"; excluding crude oil, {money_usd(ex_no_oil, lang)}"
        text.append(s + ".")
        dom, fdi = (exports.by_code(*DOMESTIC), exports.by_code(*FOREIGN)) if exports else (None, None)
        if dom is not None and fdi is not None and not math.isnan(dom.level) and not math.isnan(fdi.level):
            if vi:
                text.append(f"Trong đó, khu vực kinh tế trong nước đạt {money_usd(dom.level, lang)}, chiếm "
                            f"{_pct_text(100 * dom.level / ex.level, lang)}; khu vực có vốn đầu tư nước ngoài "
                            f"(kể cả dầu thô) đạt {money_usd(fdi.level, lang)}, chiếm "
                            f"{_pct_text(100 * fdi.level / ex.level, lang)}.")
            else:
                text.append(f"The domestic sector exported {money_usd(dom.level, lang)} "
                            f"({_pct_text(100 * dom.level / ex.level, lang)}) and the foreign-invested sector "
                            f"(crude oil included) {money_usd(fdi.level, lang)} "
                            f"({_pct_text(100 * fdi.level / ex.level, lang)}).")
    if im is not None and not math.isnan(im.level):
        if vi:
            s = f"Kim ngạch nhập khẩu hàng hóa {month} {estimated(im.status, lang)}đạt {money_usd(im.level, lang)}"
            s += f", {c} so với cùng kỳ năm trước." if (c := change(im.same_month_last_year, lang)) else "."
        else:
            s = f"Imports of goods in {month}{estimated(im.status, lang)} reached {money_usd(im.level, lang)}"
            s += f", {c} on a year earlier." if (c := change(im.same_month_last_year, lang)) else "."
        text.append(s)
    if ex is not None and im is not None and not (math.isnan(ex.level) or math.isnan(im.level)):
        balance = ex.level - im.level
        if vi:
            word = "xuất siêu" if balance > 0 else "nhập siêu"
            text.append(f"Cán cân thương mại hàng hóa {month} {estimated(ex.status, lang)}{word} "
                        f"{money_usd(abs(balance), lang)}.")
        else:
            word = "surplus" if balance > 0 else "deficit"
            text.append(f"The trade balance in goods for {month} shows a {word} of {money_usd(abs(balance), lang)}.")
    section.blocks.append(Paragraph(" ".join(text)))
    for view, line, subject_vi, subject_en in ((exports, ex, "kim ngạch xuất khẩu", "exports"),
                                               (imports, im, "kim ngạch nhập khẩu", "imports")):
        if view is not None and line is not None and (
                sentence := tet_sentence(view, line, ind.period, subject_vi, subject_en, lang)) is not None:
            section.blocks.append(Paragraph(sentence))
    for view, name_vi, name_en, sheet in ((exports, "Hàng hóa xuất khẩu", "Exports of goods", "XK"),
                                          (imports, "Hàng hóa nhập khẩu", "Imports of goods", "NK")):
        if view is None:
            continue
        lines = view.lines()
        section.blocks.append(Table(
            f"{name_vi} {month}" if vi else f"{name_en}, {month}",
            ["Mặt hàng" if vi else "Commodity", "Đơn vị" if vi else "Unit",
             "Trị giá / lượng" if vi else "Value / quantity",
             "So với cùng kỳ năm trước (%)" if vi else "Same month last year = 100"],
            [CellFormat.TEXT, CellFormat.TEXT, CellFormat.NUMBER1, CellFormat.INDEX],
            [[x.name(lang), x.unit, None if math.isnan(x.level) else x.level, _index(x.same_month_last_year)]
             for x in lines],
            statuses=[_status(x.status, lang) for x in lines], status_header="Trạng thái" if vi else "Status",
            sheet_name=sheet if vi else sheet.replace("XK", "Exports").replace("NK", "Imports")))
    return section
