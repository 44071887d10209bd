"""The bulletin's section on key industrial products: those rising and falling most on a year earlier, and
the products' table (all of them, or the 20 fastest-rising and 20 fastest-falling of a long list)."""

from __future__ import annotations

import math

from vnindustry.analysis.indicators import MonthlyIndicators
from vnindustry.publish.document import CellFormat, Paragraph, Section, Table
from vnindustry.publish.figures import index_cell, level_cell, status_word, withheld_notes
from vnindustry.publish.numbers import decimals_for_unit
from vnindustry.publish.wording import change, join, lower_first, month_name


def products_section(ind: MonthlyIndicators, lang: str, limit: int = 40) -> Section | None:
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
            # Names hold commas ("bún, bánh phở, hủ tiếu khô"), so items are separated by semicolons.
            text.append("So với cùng kỳ năm trước, một số sản phẩm tăng cao: "
                        + "; ".join(f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}" for x in up))
        if down:
            text.append(("ở chiều ngược lại, một số sản phẩm giảm: " if up else
                         "So với cùng kỳ năm trước, một số sản phẩm giảm: ")
                        + "; ".join(f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}"
                                    for x in down))
        if text:
            section.blocks.append(Paragraph(". ".join(t[:1].upper() + t[1:] for t in text) + "."))
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
        [x.name(lang), x.unit_name(lang), level_cell(x.level, x.confidential), index_cell(x.prev_month, x.confidential),
         index_cell(x.same_month_last_year, x.confidential)] for x in shown_sorted]
    # Counts ("chiếc", "cái") print without decimals, other units with one (publish.numbers.decimals_for_unit).
    whole = {(i, 2): CellFormat.NUMBER0 for i, x in enumerate(shown_sorted) if decimals_for_unit(x.unit) == 0}
    section.blocks.append(Table(
        f"Một số sản phẩm công nghiệp chủ yếu {month_name(ind.period, lang)}" if vi
        else f"Key industrial products, {month_name(ind.period, lang)}",
        ["Sản phẩm" if vi else "Product", "Đơn vị tính" if vi else "Unit",
         month_name(ind.period, lang).capitalize(), "So với tháng trước (%)" if vi else "Previous month = 100",
         "So với cùng kỳ năm trước (%)" if vi else "Same month last year = 100"],
        [CellFormat.TEXT, CellFormat.TEXT, CellFormat.NUMBER1, CellFormat.INDEX, CellFormat.INDEX],
        product_rows,
        statuses=[status_word(x.status, lang) for x in shown_sorted], status_header="Trạng thái" if vi else "Status",
        sheet_name="SPCN" if vi else "Products", notes=[*notes, *withheld_notes(product_rows, lang)],
        cell_formats=whole))
    return section
