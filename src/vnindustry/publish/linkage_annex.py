"""The city bulletin's annex on supporting-industry matchmaking (issue 14): what came of the events' meetings.

The same published aggregates as ``/linkage/outcomes`` (:func:`vnindustry.linkage.public_outcomes.public_outcomes`:
never a buyer, a supplier or one meeting's orders; small groups merged, dominated order totals withheld as "c"),
as a paragraph and a table per event; marked "dữ liệu giả lập" when the outcomes come from the demo.
"""

from __future__ import annotations

from typing import Any

from vnindustry.linkage.outcomes import RESULT_NAMES
from vnindustry.linkage.public_outcomes import STEPS, StoredOutcomes, read_outcomes
from vnindustry.publish.document import WITHHELD, CellFormat, Paragraph, Section, Table
from vnindustry.publish.numbers import format_number

__all__ = ["outcomes_section"]

_HEADING = ("Kết nối cung cầu công nghiệp hỗ trợ", "Supporting-industry matchmaking")


def outcomes_section(engine: Any, lang: str) -> Section | None:
    """The annex section, or None when no outcome is stored (``engine``: the store's engine, or the outcomes
    already read from it, :func:`vnindustry.linkage.public_outcomes.read_outcomes`)."""
    from vnindustry.publish.competitiveness import _marked

    pub = (engine if isinstance(engine, StoredOutcomes) else read_outcomes(engine)).public(lang)
    if pub.total is None or not pub.events:
        return None
    vi = lang == "vi"
    total = pub.total
    steps = ", ".join(f"{total.reached[s]} {RESULT_NAMES[s][0 if vi else 1].lower()}" for s in STEPS)
    value = ("" if total.po_value is None else
             (f"; giá trị đơn hàng {format_number(total.po_value / 1e9, 1, 'vi')} tỷ đồng" if vi else
              f"; purchase orders VND {format_number(total.po_value / 1e9, 1, 'en')} billion"))
    text = (f"Qua {len(pub.events)} sự kiện kết nối cung cầu, {total.meetings} cuộc gặp giữa bên mua và nhà cung cấp "
            f"đã có kết quả: {steps}{value}." if vi else
            f"At {len(pub.events)} matchmaking event{'s' if len(pub.events) > 1 else ''}, {total.meetings} "
            f"buyer–supplier meetings have reported "
            f"outcomes: {steps}{value}.")
    names = [RESULT_NAMES[s][0 if vi else 1] for s in STEPS]
    # The organiser names an event in Vietnamese; the English bulletin names it by its code and day instead.
    def label(e: Any) -> str:
        if vi:
            return str(e.label)
        return f"Event {e.key}" + (f", {e.date.day} {e.date:%B %Y}" if e.date else "")

    rows: list[list[object]] = [[label(e), float(e.meetings), *(float(e.reached[s]) for s in STEPS),
                                 WITHHELD if e.po_value is None else e.po_value / 1e9] for e in pub.events]
    table = Table(title="Kết quả các cuộc gặp theo sự kiện" if vi else "Meeting outcomes by event",
                  columns=["Sự kiện" if vi else "Event", "Cuộc gặp" if vi else "Meetings", *names,
                           "Đơn hàng (tỷ đồng)" if vi else "Orders (VND billion)"],
                  formats=[CellFormat.TEXT, *[CellFormat.NUMBER0] * (1 + len(STEPS)), CellFormat.NUMBER1],
                  rows=rows, sheet_name="Ket noi" if vi else "Matchmaking",
                  notes=["Mỗi cuộc gặp được tính theo kết quả mới nhất (tại buổi gặp, sau 3 hoặc 6 tháng); "
                         "\"c\": giá trị không công bố để giữ bí mật đơn hàng của từng doanh nghiệp." if vi else
                         "Each meeting counts at its latest reported stage (on the day, after 3 or 6 months); "
                         "\"c\": not published, to keep single enterprises' orders confidential."])
    section = Section(_HEADING[0] if vi else _HEADING[1], [Paragraph(text), table])
    return _marked(section, lang) if pub.synthetic else section
