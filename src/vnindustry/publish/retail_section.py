"""The bulletin's section on retail sales of goods and consumer services revenue (GSO's table): the total,
goods' share, the Tết-adjusted rate in January and February, and the table."""

from __future__ import annotations

import math

from vnindustry.analysis.indicators import MonthlyIndicators
from vnindustry.publish.document import CellFormat, Paragraph, Section, Table
from vnindustry.publish.figures import RETAIL_GOODS, index_cell, pct_text, status_word, tet_sentence
from vnindustry.publish.wording import change, estimated, money_vnd, month_name


def retail_section(ind: MonthlyIndicators, lang: str) -> Section | None:
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
                  f"{pct_text(share, lang)} tổng mức")
            s += f", {c} so với cùng kỳ năm trước." if (c := change(goods.same_month_last_year, lang)) else "."
    else:
        s = (f"Retail sales of goods and consumer services revenue for {month_name(ind.period, lang)}"
             f"{estimated(total.status, lang)} reached {money_vnd(total.level, lang)}")
        if (c := change(total.same_month_last_year, lang)):
            s += f", {c} on a year earlier"
        s += "."
        if goods is not None and not math.isnan(goods.level):
            share = goods.share if not math.isnan(goods.share) else 100 * goods.level / total.level
            s += f" Retail sales of goods reached {money_vnd(goods.level, lang)}, {pct_text(share, lang)} of the total"
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
          index_cell(x.same_month_last_year)] for x in lines],
        unit="tỷ đồng" if vi else "VND billion", statuses=[status_word(x.status, lang) for x in lines],
        status_header="Trạng thái" if vi else "Status", sheet_name="Tongmuc" if vi else "Retail"))
    return section
