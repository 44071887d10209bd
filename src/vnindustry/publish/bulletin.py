"""The monthly bulletin on industry and trade: composed from the store's indicators, in vi or en.

Register: the Department's and GSO's monthly reports (tests/data/bulletin-style-hcmc-2020-11.txt) —
"Chỉ số sản xuất công nghiệp (IIP) tháng 11/2020 ước tính tăng 3,4% so với tháng trước…". Each section
appears only where its data exist; estimates say "ước tính"; "tăng"/"giảm" follows the sign.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd

from vnindustry import settings
from vnindustry.analysis.indicators import Line, MonthlyIndicators, TableView
from vnindustry.names import source_name
from vnindustry.periods import month_code, month_of, parse_month, year_of
from vnindustry.publish.document import (
    CONFIDENTIAL_NOTE,
    WITHHELD,
    Bulletin,
    CellFormat,
    Chart,
    Letterhead,
    Paragraph,
    Section,
    Table,
    Withheld,
    map_text,
)
from vnindustry.publish.numbers import decimals_for_unit
from vnindustry.publish.wording import (
    change,
    en_date,
    estimated,
    gso_style,
    join,
    lower_first,
    money_vnd,
    month_name,
    quarter_name,
    vi_date,
)
from vnindustry.store.records import STATUS_VI

STATUS_EN = {"estimate": "estimate", "preliminary": "preliminary", "actual": "actual"}

# Codes the GSO importer gives to the rows the text needs (sources/gso/labels.py).
RETAIL_GOODS = ("ban-le-hang-hoa",)
CRUDE_OIL = ("dau-tho",)
DOMESTIC = ("khu-vuc-kinh-te-trong-nuoc",)
FOREIGN = ("khu-vuc-co-von-dau-tu-nn", "khu-vuc-co-von-dau-tu-nuoc-ngoai")

def _status(status: str, lang: str) -> str:
    return STATUS_VI.get(status, status) if lang == "vi" else STATUS_EN.get(status, status)


def _ym(period: str) -> tuple[int, int]:
    key = parse_month(period)
    assert key is not None
    return year_of(key), month_of(key)


def _said(x: float, lang: str, then: str = "") -> str:
    """ "tăng 3,4%" plus what it is compared with, or "" for a missing figure."""
    c = change(x, lang)
    return f"{c}{then}" if c else ""


def iip_paragraphs(view: TableView | None, total: Line, groups: list[Line], fastest: list[Line],
                   slowest: list[Line], period: str, lang: str, base_year: int | None = None) -> list[str]:
    """The IIP text as the Department writes it: the month (with the base year, if given), the quarter at a
    quarter's end (from ``view``'s monthly levels, if given), the year to date ("Lũy kế N tháng", in
    December "Tính chung năm"), the key-industry group (``groups[0]``) and one sentence per key industry
    (``groups[1:]``), then the fastest and slowest industries where there are some to compare."""
    year, month = _ym(period)
    vi = lang == "vi"
    out: list[str] = []
    group, members = (groups[0], groups[1:]) if groups else (None, [])
    parts = [p for p in (_said(total.prev_month, lang, " so với tháng trước" if vi else " on the previous month"),
                         _said(total.same_month_last_year, lang, " so với cùng kỳ năm trước" if vi
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
    from vnindustry.analysis.seasonal.stored import tet_rate_usable

    # No Tết-adjusted rate where X-13 could not separate the Tết effect (issue 13).
    adjusted = view.adjusted(line.code) if tet_rate_usable(view.rows, line.code) else None
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
        parts.append(f"Adjusted for Tet and working days, {subject_en} for {month_name(period, lang)}: "
                     f"{change(rate, lang)} on a year earlier")
    if not math.isnan(combined):
        parts.append(f"January and February together: {change(combined, lang)}")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


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
    year, month = _ym(period)
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
    return [code, x.name(lang), _index(x.prev_month, c), _index(x.same_month_last_year, c), _index(x.ytd, c)]


def _iip_section(ind: MonthlyIndicators, lang: str) -> Section | None:
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
    for text in iip_paragraphs(view, total, groups, fastest, slowest, ind.period, lang, _base_year(ind)):
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
        statuses.append(_status(x.status, lang))
    index_formats = [CellFormat.TEXT, CellFormat.TEXT, CellFormat.INDEX, CellFormat.INDEX, CellFormat.INDEX]
    notes = ["Kỳ gốc so sánh = 100." if vi else "Comparison period = 100."]
    if single:
        notes.append("Ngành cấp I chỉ có một ngành cấp II được in một dòng; mã ngành cấp II ghi trong ngoặc." if vi
                     else "A section with a single division is printed once, the division's code in brackets.")
    section.blocks.append(Table(
        f"Chỉ số sản xuất công nghiệp {month} (năm gốc {_base_year(ind)})" if vi
        else f"Index of industrial production, {month} (base year {_base_year(ind)})",
        _iip_table_columns(ind.period, lang), index_formats, rows, unit="%",
        statuses=statuses, status_header="Trạng thái" if vi else "Status", sheet_name="IIP",
        notes=[*notes, *_symbols(rows, lang)]))
    if len(groups) > 1:
        grows = [["", x.name(lang), _index(x.prev_month, x.confidential), _index(x.same_month_last_year,
                                                                                 x.confidential),
                  _index(x.ytd, x.confidential)] for x in groups]
        columns = _iip_table_columns(ind.period, lang)
        section.blocks.append(Table(
            f"Chỉ số sản xuất các ngành công nghiệp trọng yếu {month}" if vi
            else f"Index of production of the key industries, {month}",
            ["Nhóm ngành" if vi else "Group", *columns[2:]], [CellFormat.TEXT, *index_formats[2:]],
            [[r[1], *r[2:]] for r in grows], unit="%",
            statuses=[_status(x.status, lang) for x in groups], status_header="Trạng thái" if vi else "Status",
            sheet_name="Nganh trong yeu" if vi else "Key industries",
            notes=["Kỳ gốc so sánh = 100." if vi else "Comparison period = 100.", *_symbols(grows, lang)]))
    return section


def _base_year(ind: MonthlyIndicators) -> int:
    """The IIP's base year: the compile's if the indicators carry it, else the setting iip_base_year."""
    known = getattr(ind, "base_year", None)
    return int(known) if known else int(settings.get("iip_base_year"))


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
        [x.name(lang), x.unit_name(lang), _level(x.level, x.confidential), _index(x.prev_month, x.confidential),
         _index(x.same_month_last_year, x.confidential)] for x in shown_sorted]
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
        statuses=[_status(x.status, lang) for x in shown_sorted], status_header="Trạng thái" if vi else "Status",
        sheet_name="SPCN" if vi else "Products", notes=[*notes, *_symbols(product_rows, lang)], cell_formats=whole))
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


# Sources whose figures the Department quotes rather than compiles: it signs the bulletin, the figures are theirs.
QUOTED_SOURCES = frozenset({"gso", "trade-gso"})


def source_line(source: str, lang: str) -> str:
    """The line under the title naming where the figures come from, from the one table of source names
    (:func:`vnindustry.names.source_name`): "Nguồn số liệu: Tổng cục Thống kê; Sở Công Thương trích dẫn"."""
    name = source_name(source, lang)
    if lang == "vi":
        return f"Nguồn số liệu: {name}" + ("; Sở Công Thương trích dẫn" if source in QUOTED_SOURCES else "")
    return f"Source: {name}" + (", as quoted by the Department of Industry and Trade"
                                if source in QUOTED_SOURCES else "")

SYNTHETIC_MARK = ("DỮ LIỆU GIẢ LẬP — không phải số liệu chính thức", "SYNTHETIC DATA — not official statistics")


def bulletin_date(published_on: dt.date | None = None, today: dt.date | None = None) -> tuple[dt.date, str]:
    """The bulletin's date and where it comes from: the setting bulletin_date ("setting"), else the release's
    publication date if known ("release"), else today ("today")."""
    if (text := str(settings.get("bulletin_date") or "").strip()):
        try:
            return dt.date.fromisoformat(text), "setting"
        except ValueError:
            raise ValueError(f"setting bulletin_date {text!r} is not a date YYYY-MM-DD") from None
    if published_on is not None:
        return published_on, "release"
    return today or dt.date.today(), "today"


def letterhead(lang: str, published_on: dt.date | None = None, today: dt.date | None = None) -> Letterhead:
    """The letterhead and signature block (Decree 30/2020/NĐ-CP layout) from the bulletin_* settings."""
    day, basis = bulletin_date(published_on, today)
    number = str(settings.get("bulletin_number") or "").strip()
    symbol = str(settings.get("bulletin_symbol") or "")
    # An empty number leaves room for the clerk who registers the document to write it in.
    numbered = f"{number}/{symbol}" if number else f"{chr(0xA0) * 8}/{symbol}"
    # "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC": a signer on behalf of the head (a newline, or "\n" typed in the variable).
    raw = str(settings.get("bulletin_signer_title" if lang == "vi" else "bulletin_signer_title_en"))
    titles = [t.strip() for t in raw.replace("\\n", "\n").splitlines() if t.strip()]
    if lang == "vi":
        return Letterhead(
            parent_agency=str(settings.get("bulletin_parent_agency")), agency=str(settings.get("bulletin_agency")),
            number=f"Số: {numbered}", country="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            motto="Độc lập - Tự do - Hạnh phúc",
            place_date=f"{settings.get('bulletin_place')}, {vi_date(day)}", date_basis=basis,
            signer_title=titles, signer=str(settings.get("bulletin_signer") or ""),
            recipients_label="Nơi nhận:",
            recipients=[r.strip() for r in str(settings.get("bulletin_recipients") or "").split(";") if r.strip()],
            document_kind="BÁO CÁO")
    # The distribution list belongs to the Vietnamese original; the English version is for information.
    return Letterhead(
        parent_agency=str(settings.get("bulletin_parent_agency_en")), agency=str(settings.get("bulletin_agency_en")),
        number=f"No.: {numbered}", country="SOCIALIST REPUBLIC OF VIET NAM", motto="Independence - Freedom - Happiness",
        place_date=f"{settings.get('bulletin_place_en')}, {en_date(day)}", date_basis=basis,
        signer_title=titles, signer=str(settings.get("bulletin_signer") or ""), document_kind="REPORT")


def bulletin_subject(sections: Sequence[Section], period: str, lang: str) -> str:
    """The subject line from the sections present: "Tình hình sản xuất công nghiệp tháng 12/2025", with
    "và thương mại" only when a retail or trade section is there."""
    industry = {"Sản xuất công nghiệp", "Sản phẩm công nghiệp chủ yếu", "Industrial production",
                "Key industrial products"}
    headings = {s.heading for s in sections}
    has_industry = bool(headings & industry)
    has_trade = bool(headings - industry)
    month = month_name(period, lang)
    if lang == "vi":
        what = ("sản xuất công nghiệp và thương mại" if has_industry and has_trade
                else "thương mại" if has_trade else "sản xuất công nghiệp")
        return f"Tình hình {what} {month}"
    what = ("Industrial production and trade" if has_industry and has_trade
            else "Trade" if has_trade else "Industrial production")
    return f"{what}, {month}"


def compose_bulletin(ind: MonthlyIndicators, lang: str = "vi", annex: Sequence[Section] = (), *,
                     published_on: dt.date | None = None, today: dt.date | None = None) -> Bulletin:
    """The bulletin for ``ind.period`` in ``lang`` ("vi" or "en"); sections only where data exist.

    ``annex``: sections appended after the month's (publish.competitiveness.store_annex: competitiveness and
    key products, when the store holds trade flows or a scoring); empty ones are left out.
    ``published_on``: the release's publication date, for the date line when the setting bulletin_date is
    empty (else ``today``, by default the clock's). A synthetic release (``ind.synthetic``) is marked under the
    title and in the footer. The Vietnamese text is in GSO's diacritic style ("hóa", "thủy") throughout.
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"unknown language {lang!r}; use vi or en")
    vi = lang == "vi"
    synthetic = bool(getattr(ind, "synthetic", False))
    bulletin = Bulletin(
        title="", subtitle=source_line(ind.source, lang), lang=lang, period=ind.period,
        footer=("Số liệu ước tính có thể được điều chỉnh trong các kỳ sau." if vi
                else "Estimates may be revised in later releases."),
        letterhead=letterhead(lang, published_on or getattr(ind, "published_on", None), today),
        mark=(SYNTHETIC_MARK[0] if vi else SYNTHETIC_MARK[1]) if synthetic else "",
    )
    from vnindustry.publish.trade_section import trade_section  # it builds on this module's helpers

    for build in (_iip_section, _products_section, _retail_section, trade_section):
        section = build(ind, lang)
        if section is not None and section.blocks:
            bulletin.sections.append(section)
    bulletin.title = bulletin_subject(bulletin.sections, ind.period, lang)
    bulletin.sections.extend(s for s in annex if s.blocks)
    _number_charts(bulletin, lang)
    return map_text(bulletin, gso_style) if vi else bulletin


def _number_charts(bulletin: Bulletin, lang: str) -> None:
    """ "Biểu đồ 1: …", "Biểu đồ 2: …" — numbered once here so every format captions a chart the same way."""
    word = "Biểu đồ" if lang == "vi" else "Chart"
    for n, chart in enumerate(bulletin.charts(), start=1):
        chart.alt = chart.alt or chart.title
        chart.title = f"{word} {n}: {chart.title}"
