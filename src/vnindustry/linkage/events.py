"""A matchmaking event as a folder of CSV files, and its schedule as files people print (docs/linkage.md).

The folder: ``event.csv`` (``event,date,name,venue``: one line), ``slots.csv`` (``slot,start,minutes``; start
``YYYY-MM-DD HH:MM``), ``tables.csv`` (``table,languages``: the interpreter's languages, ``;``-separated, empty
for none), ``participants.csv`` (``participant,role,name,languages,unavailable``: role ``buyer`` or
``supplier``, unavailable slot ids ``;``-separated) and ``requests.csv``
(``buyer,supplier,requested_by,priority,mutual``; priority 1–3, mutual ``1``/``0``). Read whole or refused with
file, line and column, like the profiles.

What :func:`write_schedule` writes: ``schedule.csv`` (every meeting), ``unscheduled.csv`` (each request not met
and why), ``agendas.xlsx`` (the meetings, one sheet by participant, one by table, the unscheduled) and
``agendas.pdf`` (a page per participant, then a page per table), in Vietnamese or English.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from vnindustry.errors import InputError
from vnindustry.linkage.csvfiles import read_rows
from vnindustry.linkage.schedule import Event, Meeting, Participant, Request, Schedule, Slot, Table, agenda, table_sheet

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["EventInfo", "read_confirmed", "read_event", "write_schedule"]

WORDS: dict[str, tuple[str, str]] = {
    "agenda_of": ("Lịch gặp của", "Meetings of"),
    "table": ("Bàn", "Table"),
    "time": ("Giờ", "Time"),
    "with": ("Đối tác", "Meeting with"),
    "buyer": ("Bên mua", "Buyer"),
    "supplier": ("Nhà cung cấp", "Supplier"),
    "meetings": ("Lịch hẹn", "Meetings"),
    "by_participant": ("Theo doanh nghiệp", "By participant"),
    "by_table": ("Theo bàn", "By table"),
    "unscheduled": ("Chưa xếp được", "Not scheduled"),
    "reason": ("Lý do", "Reason"),
    "participant": ("Doanh nghiệp", "Participant"),
    "role": ("Vai trò", "Role"),
    "none": ("Không có cuộc gặp nào được xếp.", "No meeting scheduled."),
    "interpreter": ("phiên dịch", "interpreter"),
    "date": ("Ngày", "Date"),
    "venue": ("Địa điểm", "Venue"),
}


def _w(key: str, lang: str) -> str:
    vi, en = WORDS[key]
    return vi if lang == "vi" else en


@dataclass(frozen=True)
class EventInfo:
    """The event's name and venue, for the agendas' headings."""

    name: str
    venue: str = ""


def _rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    return read_rows(Path(path), columns)  # the linkage files' one reader: whole, or refused with line and column


def _list(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split(";") if x.strip())


def read_event(folder: Path) -> tuple[Event, EventInfo]:
    """The event in ``folder`` (see the module docstring)."""
    folder = Path(folder)
    (line, head), *more = _rows(folder / "event.csv", ("event", "date", "name")) or [(2, {})]
    if not head or more:
        raise InputError("one line expected after the header", file=folder / "event.csv", line=2,
                         fix="write the event's id, date and name on one line")
    try:
        date = dt.date.fromisoformat(head["date"])
    except ValueError:
        raise InputError(f"{head['date']!r} is not a date", file=folder / "event.csv", line=line, column="date",
                         fix="write YYYY-MM-DD") from None
    slots = []
    for line, r in _rows(folder / "slots.csv", ("slot", "start", "minutes")):
        try:
            start = dt.datetime.strptime(r["start"], "%Y-%m-%d %H:%M")
        except ValueError:
            raise InputError(f"{r['start']!r} is not a time", file=folder / "slots.csv", line=line, column="start",
                             fix="write YYYY-MM-DD HH:MM") from None
        if not r["minutes"].isdigit() or int(r["minutes"]) <= 0:
            raise InputError(f"{r['minutes']!r} is not a number of minutes", file=folder / "slots.csv", line=line,
                             column="minutes", fix="write whole minutes, e.g. 20")
        slots.append(Slot(r["slot"], start, int(r["minutes"])))
    tables = [Table(r["table"], _list(r["languages"])) for _, r in _rows(folder / "tables.csv", ("table", "languages"))]
    people = []
    for line, r in _rows(folder / "participants.csv", ("participant", "role", "name", "languages", "unavailable")):
        if r["role"] not in ("buyer", "supplier"):
            raise InputError(f"{r['role']!r} is not a role", file=folder / "participants.csv", line=line,
                             column="role", fix="write buyer or supplier")
        away = set(_list(r["unavailable"]))
        available = None if not away else frozenset(s.id for s in slots) - away
        people.append(Participant(r["participant"], r["role"], r["name"], _list(r["languages"]) or ("vi",),  # type: ignore[arg-type]
                                  available))
    requests = []
    for line, r in _rows(folder / "requests.csv", ("buyer", "supplier", "requested_by", "priority", "mutual")):
        if r["requested_by"] not in ("buyer", "supplier"):
            raise InputError(f"{r['requested_by']!r} is not a side", file=folder / "requests.csv", line=line,
                             column="requested_by", fix="write buyer or supplier")
        if r["priority"] not in ("1", "2", "3"):
            raise InputError(f"{r['priority']!r} is not a priority", file=folder / "requests.csv", line=line,
                             column="priority", fix="write 1 (low), 2 or 3 (high)")
        if r["mutual"] not in ("0", "1", ""):
            raise InputError(f"{r['mutual']!r} is not 1 or 0", file=folder / "requests.csv", line=line,
                             column="mutual", fix="write 1 when both sides asked, else 0")
        requests.append(Request(r["buyer"], r["supplier"], r["requested_by"], int(r["priority"]),  # type: ignore[arg-type]
                                r["mutual"] == "1"))
    event = Event(head["event"], date, tuple(slots), tuple(tables), tuple(people), tuple(requests))
    return event, EventInfo(head["name"], head.get("venue", ""))


def read_confirmed(path: Path) -> list[Meeting]:
    """The meetings of an earlier ``schedule.csv`` (to keep them in place when solving again on site)."""
    return [Meeting(r["buyer"], r["supplier"], r["slot"], r["table"])
            for _, r in _rows(Path(path), ("slot", "table", "buyer", "supplier"))]


def _names(event: Event) -> dict[str, Participant]:
    return {p.id: p for p in event.participants}


def _hm(slot: Slot) -> str:
    return f"{slot.start:%H:%M}–{slot.end:%H:%M}"


def _schedule_csv(result: Schedule, event: Event) -> bytes:
    people, slots = _names(event), {s.id: s for s in event.slots}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["slot", "start", "end", "table", "buyer", "buyer_name", "supplier", "supplier_name"])
    for m in result.meetings:
        s = slots[m.slot]
        w.writerow([m.slot, f"{s.start:%Y-%m-%d %H:%M}", f"{s.end:%H:%M}", m.table, m.buyer, people[m.buyer].name,
                    m.supplier, people[m.supplier].name])
    return buf.getvalue().encode("utf-8-sig")


def _unscheduled_csv(result: Schedule) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["buyer", "supplier", "requested_by", "priority", "mutual", "reason"])
    for r, why in result.unscheduled:
        w.writerow([r.buyer, r.supplier, r.requested_by, r.priority, int(r.mutual), why])
    return buf.getvalue().encode("utf-8-sig")


def _counterpart(m: Meeting, who: str) -> str:
    return m.supplier if m.buyer == who else m.buyer


def _xlsx(result: Schedule, event: Event, info: EventInfo, lang: str) -> bytes:
    import xlsxwriter

    people, slots = _names(event), {s.id: s for s in event.slots}
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheets = (
        (_w("meetings", lang), [_w("time", lang), _w("table", lang), _w("buyer", lang), "", _w("supplier", lang), ""],
         [[_hm(slots[m.slot]), m.table, m.buyer, people[m.buyer].name, m.supplier, people[m.supplier].name]
          for m in result.meetings]),
        (_w("by_participant", lang), [_w("participant", lang), "", _w("role", lang), _w("time", lang),
                                      _w("table", lang), _w("with", lang), ""],
         [[p.id, p.name, _w(p.role, lang), _hm(s), m.table, _counterpart(m, p.id), people[_counterpart(m, p.id)].name]
          for p in event.participants for s, m in agenda(result, event, p.id)]),
        (_w("by_table", lang), [_w("table", lang), _w("time", lang), _w("buyer", lang), _w("supplier", lang)],
         [[t.id, _hm(s), f"{m.buyer} {people[m.buyer].name}", f"{m.supplier} {people[m.supplier].name}"]
          for t in event.tables for s, m in table_sheet(result, event, t.id)]),
        (_w("unscheduled", lang), [_w("buyer", lang), _w("supplier", lang), _w("reason", lang)],
         [[r.buyer, r.supplier, why] for r, why in result.unscheduled]),
    )
    for name, header, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        sheet.write_row(0, 0, [info.name], bold)
        sheet.write_row(1, 0, header, bold)
        for i, row in enumerate(rows, 2):
            sheet.write_row(i, 0, row)
        sheet.set_column(0, len(header), 18)
        sheet.freeze_panes(2, 0)
    book.close()
    return buf.getvalue()


def _pdf(result: Schedule, event: Event, info: EventInfo, lang: str) -> bytes:
    from fpdf import FPDF

    people = _names(event)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, 15)
    pdf.set_title(info.name)
    pdf.set_creator("vnindustry")
    day = f"{event.date:%d/%m/%Y}" if lang == "vi" else f"{event.date.day} {event.date:%B %Y}"
    with ExitStack() as stack:
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            path = stack.enter_context(as_file(files("vnindustry.publish") / "fonts" / name))
            pdf.add_font("DejaVu", style, str(path))

        def line(height: float, text: str) -> None:
            """A paragraph across the page: one cell where it fits on a line (nearly always), else wrapped."""
            if pdf.get_string_width(text) <= pdf.epw - 2 * pdf.c_margin:
                pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

        def page(title: str, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
            pdf.add_page()
            pdf.set_font("DejaVu", "B", 13)
            line(7, info.name)
            pdf.set_font("DejaVu", "", 10)
            line(6, f"{_w('date', lang)}: {day}" + (f" · {_w('venue', lang)}: {info.venue}" if info.venue else ""))
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 12)
            line(7, title)
            pdf.ln(1)
            if not rows:
                pdf.set_font("DejaVu", "", 10)
                line(6, _w("none", lang))
                return
            _table(pdf, header, rows, widths)

        for p in event.participants:
            rows = [[_hm(s), m.table, f"{people[_counterpart(m, p.id)].name} ({_counterpart(m, p.id)})"]
                    for s, m in agenda(result, event, p.id)]
            page(f"{_w('agenda_of', lang)} {p.name} ({p.id})", [_w("time", lang), _w("table", lang), _w("with", lang)],
                 rows, [30, 20, 140])
        for t in event.tables:
            rows = [[_hm(s), f"{people[m.buyer].name} ({m.buyer})", f"{people[m.supplier].name} ({m.supplier})"]
                    for s, m in table_sheet(result, event, t.id)]
            label = f"{_w('table', lang)} {t.id}" + (f" ({_w('interpreter', lang)} {', '.join(t.languages)})"
                                                      if t.languages else "")
            page(label, [_w("time", lang), _w("buyer", lang), _w("supplier", lang)], rows, [30, 80, 80])
        return bytes(pdf.output())


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: list[int], line_height: float = 6) -> None:
    """A bordered table across the page, the header in bold and repeated after a page break, each text wrapped
    to its column. Drawn cell by cell: fpdf2's ``table()`` measured every cell with a trial ``multi_cell`` —
    3 of the 14 s of ``linkage schedule`` on the demo event (186 pages) — where nearly every text fits on one
    line, which ``get_string_width`` tells at once; only a text that does not is wrapped by ``multi_cell``."""
    scale = pdf.epw / sum(widths)
    columns = [w * scale for w in widths]
    inner = [w - 2 * pdf.c_margin for w in columns]

    def lines(cells: list[str]) -> list[list[str]]:
        return [[text] if pdf.get_string_width(text) <= room else  # multi_cell leaves the margins itself
                pdf.multi_cell(width, line_height, text, dry_run=True, output="LINES") or [""]
                for text, room, width in zip(cells, inner, columns, strict=True)]

    def draw(cells: list[str], style: str) -> None:
        pdf.set_font("DejaVu", style, 10)
        wrapped = lines(cells)
        height = max(len(w) for w in wrapped) * line_height
        if pdf.will_page_break(height):
            pdf.add_page()
            if style == "":
                draw(header, "B")
                pdf.set_font("DejaVu", style, 10)
        x, y = pdf.l_margin, pdf.get_y()
        for parts, width in zip(wrapped, columns, strict=True):
            pdf.rect(x, y, width, height)
            top = y + (height - len(parts) * line_height) / 2  # centred in the row's height, as table() did
            for i, part in enumerate(parts):
                pdf.set_xy(x, top + i * line_height)
                pdf.cell(width, line_height, part)
            x += width
        pdf.set_xy(pdf.l_margin, y + height)

    draw(header, "B")
    for row in rows:
        draw(row, "")


def write_schedule(result: Schedule, event: Event, info: EventInfo, out: Path, *, lang: str = "vi") -> list[Path]:
    """Write the schedule's files into ``out`` (created if missing), each atomically; returns their paths."""
    from vnindustry.files import atomic_write_bytes

    if lang not in ("vi", "en"):
        raise ValueError(f"unknown language {lang!r}; use vi or en")
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if lang == "vi" else "-en"
    written = []
    for name, data in (("schedule.csv", _schedule_csv(result, event)), ("unscheduled.csv", _unscheduled_csv(result)),
                       (f"agendas{suffix}.xlsx", _xlsx(result, event, info, lang)),
                       (f"agendas{suffix}.pdf", _pdf(result, event, info, lang))):
        written.append(atomic_write_bytes(out / name, data))
    return written
