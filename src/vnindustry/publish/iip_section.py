"""The bulletin's industrial production section: the IIP text as the Department writes it (the month, the
quarter, the year to date, the key industries, the fastest and slowest divisions, the contributions, Tết), its
two charts and the official tables (VSIC hierarchy with codes; the key-industry groups).

:func:`iip_paragraphs` is also the demo's headline (publish/headline.py).
"""

from __future__ import annotations

import math

import pandas as pd

from vnindustry import settings
from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView
from vnindustry.periods import month_code, parse_month
from vnindustry.publish.document import CellFormat, Chart, Paragraph, Section, Table
from vnindustry.publish.figures import (
    index_cell,
    said,
    status_word,
    tet_sentence,
    withheld_notes,
    year_month,
)
from vnindustry.publish.numbers import format_number, round_half_up
from vnindustry.publish.wording import change, estimated, lower_first, month_name, quarter_name


def iip_paragraphs(view: TableView | None, total: Line, groups: list[Line], fastest: list[Line],
                   slowest: list[Line], period: str, lang: str, base_year: int | None = None) -> list[str]:
    """The IIP text as the Department writes it: the month (with the base year, if given), the quarter at a
    quarter's end (from ``view``'s monthly levels, if given), the year to date ("Lũy kế N tháng", in
    December "Tính chung năm"), the key-industry group (``groups[0]``) and one sentence per key industry
    (``groups[1:]``), then the fastest and slowest industries where there are some to compare."""
    year, month = year_month(period)
    vi = lang == "vi"
    out: list[str] = []
    group, members = (groups[0], groups[1:]) if groups else (None, [])
    parts = [p for p in (said(total.prev_month, lang, " so với tháng trước" if vi else " on the previous month"),
                         said(total.same_month_last_year, lang, " so với cùng kỳ năm trước" if vi
                               else f" on {month_name(f'{year - 1}-{month:02d}', lang)}")) if p]
    if parts:
        if vi:
            base = f" (năm gốc {base_year})" if base_year else ""
            out.append(f"Chỉ số sản xuất công nghiệp (IIP) {month_name(period, lang)}{base} "
                       f"{estimated(total.status, lang)}{' và '.join(parts)}.")
        else:
            base = f", base year {base_year}" if base_year else ""
            out.append(f"The index of industrial production (IIP{base}) for "
                       f"{month_name(period, lang)}{estimated(total.status, lang)} was {' and '.join(parts)}.")
    if month % 3 == 0 and view is not None:
        quarter = quarter_growth(view, total.code, period)
        if not math.isnan(quarter):
            q = quarter_name(year, month // 3, lang)
            out.append(f"Tính chung {q}, chỉ số IIP {estimated(total.status, lang)}{change(quarter, lang)} so với "
                       "cùng kỳ năm trước." if vi else
                       f"In {q} the IIP was {change(quarter, lang)} on a year earlier.")
    ytd = _ytd_phrase(year, month, lang)
    if month > 1 and (c := change(total.ytd, lang)):
        if vi:
            before = f"năm {year - 1}" if month == 12 else "cùng kỳ"
            s = f"{ytd[:1].upper()}{ytd[1:]}, chỉ số IIP {estimated(total.status, lang)}{c}"
            if (p := change(total.ytd_prev, lang)):
                s += f" ({before} {p})"
            if group is not None and (g := change(group.ytd, lang)):
                s += f"; trong đó, {lower_first(group.name_vi)} {g}"
                if (gp := change(group.ytd_prev, lang)):
                    s += f" ({before} {gp})"
        else:
            s = f"{ytd[:1].upper()}{ytd[1:]} the IIP was {c} on a year earlier"
            if (p := change(total.ytd_prev, lang)):
                s += f" ({year - 1}: {p})"
            if group is not None and (g := change(group.ytd, lang)):
                s += f"; the {lower_first(group.name('en'))} were {g}"
                if (gp := change(group.ytd_prev, lang)):
                    s += f" ({year - 1}: {gp})"
        out.append(s + ".")
    elif group is not None and (g := change(group.same_month_last_year, lang)):
        out.append(f"{group.name_vi[:1].upper()}{group.name_vi[1:]} {g} so với cùng kỳ năm trước." if vi
                   else f"The {lower_first(group.name('en'))} were {g} on a year earlier.")
    for x in members:  # one sentence per key industry, as the Department's reports say each
        if (s := key_industry_sentence(x, year, month, lang)):
            out.append(s)
    out += ranking_sentences(fastest, slowest, lang)
    return out


def _ytd_phrase(year: int, month: int, lang: str) -> str:
    """ "lũy kế 11 tháng/2025", in December "tính chung năm 2025" / "in the first 11 months of 2025", "in 2025"."""
    if lang == "vi":
        return f"tính chung năm {year}" if month == 12 else f"lũy kế {month} tháng/{year}"
    return f"in {year} as a whole" if month == 12 else f"in the first {month} months of {year}"


def key_industry_sentence(x: Line, year: int, month: int, lang: str) -> str:
    """ "Ngành cơ khí tăng 1,0% so với cùng kỳ năm trước; lũy kế 11 tháng/2025 tăng 2,3%." ("" without figures)."""
    vi = lang == "vi"
    parts = []
    if (c := change(x.same_month_last_year, lang)):
        parts.append(f"{c} so với cùng kỳ năm trước" if vi else f"{c} on a year earlier")
    if month > 1 and (c := change(x.ytd, lang)):
        parts.append(f"{_ytd_phrase(year, month, lang)} {c}")
    if not parts:
        return ""
    if vi:
        return f"Ngành {lower_first(x.name_vi)} {'; '.join(parts)}."
    return f"{x.name('en')}: {'; '.join(parts)}."


def ranking_sentences(fastest: list[Line], slowest: list[Line], lang: str) -> list[str]:
    """The industries rising most and falling most on a year earlier — only where there are at least two
    industries to compare; "Ở chiều ngược lại" only after a sentence it can turn from."""
    if len({x.code for x in [*fastest, *slowest]}) < 2:
        return []
    rising = [x for x in fastest if x.same_month_last_year > 0]
    falling = [x for x in slowest if x.same_month_last_year < 0 and x not in rising]
    out = []
    if lang == "vi":
        if rising:
            items = [f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}" for x in rising]
            out.append("So với cùng kỳ năm trước, một số ngành có chỉ số sản xuất tăng cao: " + "; ".join(items) + ".")
        if falling:
            items = [f"{lower_first(x.name_vi)} {change(x.same_month_last_year, lang)}" for x in falling]
            lead = ("Ở chiều ngược lại, một số ngành giảm: " if rising
                    else "So với cùng kỳ năm trước, một số ngành có chỉ số sản xuất giảm: ")
            out.append(lead + "; ".join(items) + ".")
        return out
    if rising:
        items = [f"{x.name('en')} ({change(x.same_month_last_year, lang)})" for x in rising]
        out.append("Industries growing fastest on a year earlier: " + "; ".join(items) + ".")
    if falling:
        items = [f"{x.name('en')} ({change(x.same_month_last_year, lang)})" for x in falling]
        out.append(("By contrast, industries falling most: " if rising else "Industries falling most on a year "
                    "earlier: ") + "; ".join(items) + ".")
    return out


def quarter_growth(view: TableView, code: str, period: str) -> float:
    """Change of the quarter ending in ``period`` on the same quarter a year earlier, %, from the unrounded
    monthly levels (NaN unless all six months have a level)."""
    key = parse_month(period)
    if key is None or view.window.empty or "level" not in view.window:
        return math.nan
    rows = view.window[view.window["code"] == code].drop_duplicates("period", keep="last").set_index("period")
    months = [month_code(k) for k in range(key - 2, key + 1)]
    now = [rows["level"].get(m, math.nan) for m in months]
    before = [rows["level"].get(month_code(parse_month(m) - 12), math.nan) for m in months]  # type: ignore[operator]
    if any(pd.isna(v) for v in now + before) or sum(before) <= 0:
        return math.nan
    return 100.0 * (sum(now) / sum(before) - 1.0)


def contribution_sentence(total: Line, parts: list[Line], lang: str) -> str | None:
    """Which branches drove the change on a year earlier, in percentage points (where published)."""
    parts = [x for x in parts if not math.isnan(x.contribution)]
    if not parts or math.isnan(total.same_month_last_year):
        return None
    parts.sort(key=lambda x: abs(x.contribution), reverse=True)

    def pp(x: float) -> str:
        text = format_number(abs(x), 1, lang)
        if lang == "vi":
            return f"{'đóng góp' if x >= 0 else 'làm giảm'} {text} điểm phần trăm"
        return f"{'added' if x >= 0 else 'took off'} {text} percentage points"

    parts = [x for x in parts if round_half_up(x.contribution, 1) != 0]  # "0,0 điểm" says nothing
    if not parts:
        return None
    yoy = total.same_month_last_year
    if lang == "vi":
        items = [f"ngành {lower_first(x.name_vi)} {pp(x.contribution)}" for x in parts]
        return f"Trong mức {change(yoy, lang)} so với cùng kỳ năm trước, " + "; ".join(items) + "."
    items = [f"{x.name('en')} {pp(x.contribution)}" for x in parts]
    word = "rise" if yoy >= 0 else "fall"
    return f"Of the {format_number(abs(yoy), 1, lang)}% {word} on a year earlier, " + "; ".join(items) + "."


# VSIC 2018 sections of industry by their divisions: where a division hangs under the total (GSO prints
# "Sản xuất và phân phối điện" without its section), it still sorts in its section's place.
_SECTION_OF = {**{f"{d:02d}": "B" for d in range(5, 10)}, **{f"{d:02d}": "C" for d in range(10, 34)},
               "35": "D", **{f"{d:02d}": "E" for d in range(36, 40)}}


def iip_hierarchy(view: TableView) -> list[tuple[str, Line]]:
    """The IIP table's rows in the official order: the total, then each VSIC section followed by its
    divisions, by code — as (VSIC code shown, line).

    A section with a single division (D = 35 in most provinces, B = 08 in the city) prints once: the
    section's row, because it is the level the official tables always list and its name is the heading a
    reader looks for; the division's code follows in brackets ("B (08)") so nothing is lost.
    """
    total = view.total()
    sections = view.lines(kind="industry", level=1)
    divisions = view.lines(kind="industry", level=2)
    parent = dict(zip(view.rows["code"].astype(str), view.rows["parent"].astype(str), strict=False))
    children: dict[str, list[Line]] = {}
    for d in divisions:
        children.setdefault(parent.get(d.code, ""), []).append(d)
    entries: list[tuple[tuple[str, str], str, Line, list[Line]]] = []
    for sec in sections:
        kids = sorted(children.get(sec.code, []), key=lambda x: x.code)
        entries.append(((sec.code, ""), sec.code, sec, kids))
    known = {sec.code for sec in sections}
    for d in divisions:  # divisions without their section in the table
        if parent.get(d.code, "") not in known:
            entries.append(((_SECTION_OF.get(d.code, "Z"), d.code), d.code, d, []))
    entries.sort(key=lambda e: e[0])
    out: list[tuple[str, Line]] = [("", total)] if total is not None else []
    for _, code, line, kids in entries:
        if len(kids) == 1:
            out.append((f"{code} ({kids[0].code})", line))
            continue
        out.append((code, line))
        out += [(k.code, k) for k in kids]
    return out


def _iip_table_columns(period: str, lang: str) -> list[str]:
    year, month = year_month(period)
    if lang == "vi":
        ytd = (f"Năm {year} so với năm {year - 1}" if month == 12
               else f"Lũy kế {month} tháng/{year} so với cùng kỳ" if month > 1 else f"Tháng 1/{year} so với cùng kỳ")
        return ["Mã ngành", "Ngành", f"{month_name(period, lang).capitalize()} so với tháng trước",
                f"{month_name(period, lang).capitalize()} so với cùng kỳ năm trước", ytd]
    ytd = (f"{year} on {year - 1}" if month == 12 else f"First {month} months of {year} on a year earlier")
    return ["VSIC", "Industry", f"{month_name(period, lang)} on the previous month",
            f"{month_name(period, lang)} on {month_name(f'{year - 1}-{month:02d}', lang)}", ytd]


def _iip_row(code: str, x: Line, lang: str) -> list[object]:
    c = x.confidential
    return [code, x.name(lang), index_cell(x.prev_month, c), index_cell(x.same_month_last_year, c),
            index_cell(x.ytd, c)]


def iip_section(ind: MonthlyIndicators, lang: str) -> Section | None:
    """The section "Sản xuất công nghiệp" / "Industrial production", or None without the IIP's total."""
    view = ind.table("iip")
    total = view.total() if view else None
    if view is None or total is None:
        return None
    groups = view.lines(kind="group")
    hierarchy = iip_hierarchy(view)
    single = {code.split(" ")[0]: code.split("(")[1].rstrip(")") for code, _ in hierarchy if "(" in code}
    # Rankings compare divisions; the only division of a section is ranked under its section's name, as the
    # table prints it ("Khai khoáng", not "Khai khoáng khác", for a city whose mining is all of division 08).
    ranked = [x for x in view.lines(kind="industry", level=2) or view.lines(kind="industry")
              if not math.isnan(x.same_month_last_year) and x.code not in single.values()]
    ranked += [x for x in view.lines(kind="industry", level=1)
               if x.code in single and not math.isnan(x.same_month_last_year)]
    ranked.sort(key=lambda x: x.same_month_last_year, reverse=True)
    fastest, slowest = ranked[:3], ranked[::-1][:3]
    vi = lang == "vi"
    month = month_name(ind.period, lang)
    section = Section("Sản xuất công nghiệp" if vi else "Industrial production")
    for text in iip_paragraphs(view, total, groups, fastest, slowest, ind.period, lang, base_year(ind)):
        section.blocks.append(Paragraph(text))
    if (text := contribution_sentence(total, view.lines(kind="industry", level=1), lang)) is not None:
        section.blocks.append(Paragraph(text))
    if (text := tet_sentence(view, total, ind.period, "chỉ số IIP", "the IIP", lang, ytd_said=True)) is not None:
        section.blocks.append(Paragraph(text))
    hist = ind.iip_history.dropna(subset=["chg_same_month_last_year"])
    if len(hist) >= 2:
        first, last = str(hist["period"].iloc[0]), str(hist["period"].iloc[-1])
        section.blocks.append(Chart(
            (f"Tốc độ tăng/giảm chỉ số IIP so với cùng kỳ năm trước, {month_name(first, lang)} – "
             f"{month_name(last, lang)} (%)") if vi else
            f"IIP, change on the same month a year earlier, {month_name(first, lang)} – {month_name(last, lang)} (%)",
            "bar_periods", hist["period"].tolist(), hist["chg_same_month_last_year"].tolist(), "%"))
    if len(ranked) >= 2:
        section.blocks.append(Chart(
            f"Tốc độ tăng/giảm chỉ số sản xuất các ngành cấp II {month} so với cùng kỳ năm trước (%)" if vi
            else f"Industrial production by division, {month}, change on a year earlier (%)",
            "barh", [x.name(lang) for x in ranked], [x.same_month_last_year for x in ranked], "%"))
    rows, statuses = [], []
    for code, x in hierarchy:
        rows.append(_iip_row(code, x, lang))
        statuses.append(status_word(x.status, lang))
    index_formats = [CellFormat.TEXT, CellFormat.TEXT, CellFormat.INDEX, CellFormat.INDEX, CellFormat.INDEX]
    notes = ["Kỳ gốc so sánh = 100." if vi else "Comparison period = 100."]
    if single:
        notes.append("Ngành cấp I chỉ có một ngành cấp II được in một dòng; mã ngành cấp II ghi trong ngoặc." if vi
                     else "A section with a single division is printed once, the division's code in brackets.")
    section.blocks.append(Table(
        f"Chỉ số sản xuất công nghiệp {month} (năm gốc {base_year(ind)})" if vi
        else f"Index of industrial production, {month} (base year {base_year(ind)})",
        _iip_table_columns(ind.period, lang), index_formats, rows, unit="%",
        statuses=statuses, status_header="Trạng thái" if vi else "Status", sheet_name="IIP",
        notes=[*notes, *withheld_notes(rows, lang)]))
    if len(groups) > 1:
        grows = [_iip_row("", x, lang) for x in groups]
        columns = _iip_table_columns(ind.period, lang)
        section.blocks.append(Table(
            f"Chỉ số sản xuất các ngành công nghiệp trọng yếu {month}" if vi
            else f"Index of production of the key industries, {month}",
            ["Nhóm ngành" if vi else "Group", *columns[2:]], [CellFormat.TEXT, *index_formats[2:]],
            [[r[1], *r[2:]] for r in grows], unit="%",
            statuses=[status_word(x.status, lang) for x in groups], status_header="Trạng thái" if vi else "Status",
            sheet_name="Nganh trong yeu" if vi else "Key industries",
            notes=["Kỳ gốc so sánh = 100." if vi else "Comparison period = 100.", *withheld_notes(grows, lang)]))
    return section


def base_year(ind: MonthlyIndicators) -> int:
    """The IIP's base year: the compile's if the indicators carry it, else the setting iip_base_year."""
    known = getattr(ind, "base_year", None)
    return int(known) if known else int(settings.get("iip_base_year"))
