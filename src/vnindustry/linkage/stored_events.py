"""Events, schedules, outcomes, purchases and targets to and from the store (:mod:`vnindustry.store.linkage_events`
keeps them as plain rows and JSON; this module speaks the linkage dataclasses).

Every ``import_*`` reads its files whole and checks them first — refused with :class:`InputError` naming the file,
line and column — and only then writes, in one transaction, so a bad file stores nothing. Importing the same
files again stores nothing new. A folder holding a ``SYNTHETIC`` marker file (the demo's) is stored as synthetic
data, whatever ``synthetic`` says.

The JSON of an event (``linkage_events.data``): ``slots`` (``slot``, ``start`` "YYYY-MM-DD HH:MM", ``minutes``),
``tables`` (``table``, ``languages``), ``participants`` (``participant``, ``role``, ``name``, ``languages``,
``available``: slot ids, or null for every slot) and ``requests`` (``buyer``, ``supplier``, ``requested_by``,
``priority``, ``mutual``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine

from vnindustry.errors import InputError
from vnindustry.linkage.csvfiles import Buyer, read_buyers
from vnindustry.linkage.events import EventInfo, read_event
from vnindustry.linkage.localisation import Purchase, read_purchases
from vnindustry.linkage.outcomes import Outcome, read_outcomes
from vnindustry.linkage.schedule import Event, Meeting, Participant, Request, Schedule, Slot, Table
from vnindustry.store import linkage_events as store
from vnindustry.store.linkage import lock_linkage

__all__ = ["event_from_json", "event_json", "import_event_folder", "import_outcomes", "import_purchases",
           "load_buyers", "load_event", "load_outcomes", "load_purchases", "load_schedule", "load_targets",
           "store_schedule", "with_requests"]

_START = "%Y-%m-%d %H:%M"
SCHEDULE_COLUMNS = ("slot", "table", "buyer", "supplier")


def _readable(path: Path) -> bytes:
    """The bytes of ``path``, refused like the readers refuse a bad line when missing or not UTF-8 (the outcomes'
    and purchases' readers open the file themselves and would raise a bare OSError or UnicodeDecodeError)."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise InputError("no such file", file=path, fix="check the path") from None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not valid UTF-8", file=path, line=data[: exc.start].count(b"\n") + 1,
                         fix="save the file as CSV UTF-8") from None
    return data


def _synthetic(folder: Path, synthetic: bool) -> bool:
    """The demo marks its folders with a SYNTHETIC file: what comes from one is synthetic, however imported."""
    return synthetic or (folder / "SYNTHETIC").exists()


# -- events ---------------------------------------------------------------------------------------------------
def event_json(event: Event) -> dict:
    """What the store keeps of an event folder (the module docstring)."""
    return {
        "slots": [{"slot": s.id, "start": s.start.strftime(_START), "minutes": s.minutes} for s in event.slots],
        "tables": [{"table": t.id, "languages": list(t.languages)} for t in event.tables],
        "participants": [{"participant": p.id, "role": p.role, "name": p.name, "languages": list(p.languages),
                          "available": None if p.available is None else sorted(p.available)}
                         for p in event.participants],
        "requests": [{"buyer": r.buyer, "supplier": r.supplier, "requested_by": r.requested_by,
                      "priority": r.priority, "mutual": r.mutual} for r in event.requests],
    }


def event_from_json(code: str, date: dt.date, data: dict) -> Event:
    """The :class:`Event` of a stored folder's JSON."""
    return Event(
        code, date,
        tuple(Slot(s["slot"], dt.datetime.strptime(s["start"], _START), int(s["minutes"])) for s in data["slots"]),
        tuple(Table(t["table"], tuple(t["languages"])) for t in data["tables"]),
        tuple(Participant(p["participant"], p["role"], p["name"], tuple(p["languages"]),
                          None if p["available"] is None else frozenset(p["available"]))
              for p in data["participants"]),
        tuple(Request(r["buyer"], r["supplier"], r["requested_by"], int(r["priority"]), bool(r["mutual"]))
              for r in data["requests"]))


def _line_of(path: Path, occurrence: int = 1, **values: str) -> int | None:
    """The line of ``path`` where the columns hold ``values`` for the ``occurrence``-th time (None if not found):
    the event reader keeps no line numbers, so a refusal found later looks the line up again."""
    try:
        reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))
        seen = 0
        for row in reader:
            if all((row.get(column) or "").strip() == value for column, value in values.items()):
                seen += 1
                if seen == occurrence:
                    return reader.line_num
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def _check_event(event: Event, folder: Path) -> None:
    """Refuse what the scheduler and the outcomes would trip on: an id twice, a request naming someone who is not
    a participant of that role, a pair asked twice."""
    for items, name, column in ((event.slots, "slots.csv", "slot"), (event.tables, "tables.csv", "table"),
                                (event.participants, "participants.csv", "participant")):
        counts = Counter(x.id for x in items)  # type: ignore[attr-defined]
        for ident, n in counts.items():
            if n > 1:
                path = folder / name
                raise InputError(f"{column} {ident!r} is listed twice", file=path, column=column,
                                 line=_line_of(path, 2, **{column: ident}), fix="give each its own id")
    roles = {p.id: p.role for p in event.participants}
    pairs: set[tuple[str, str]] = set()
    path = folder / "requests.csv"
    for r in event.requests:
        for who, role in ((r.buyer, "buyer"), (r.supplier, "supplier")):
            if roles.get(who) != role:
                what = "no participant" if who not in roles else f"a {roles[who]}, not a {role}"
                raise InputError(f"{who!r} is {what}", file=path, column=role, line=_line_of(path, **{role: who}),
                                 fix=f"name a {role} listed in participants.csv")
        if (r.buyer, r.supplier) in pairs:
            raise InputError(f"{r.buyer} and {r.supplier} are asked twice", file=path, column="supplier",
                             line=_line_of(path, 2, buyer=r.buyer, supplier=r.supplier),
                             fix="merge the two lines (mutual 1 when both sides asked)")
        pairs.add((r.buyer, r.supplier))


def _read_schedule_csv(path: Path) -> list[tuple[int, Meeting]]:
    """(line, meeting) of a ``schedule.csv`` (``slot,…,table,buyer,…,supplier,…``; the names are not read)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", file=path, fix="give the schedule.csv that 'linkage schedule' wrote") from None
    except UnicodeDecodeError:
        raise InputError("not valid UTF-8", file=path, fix="save the file as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in SCHEDULE_COLUMNS if c not in header]
    if missing:
        raise InputError(f"the header lacks column(s) {', '.join(missing)}", file=path, line=1,
                         fix=f"the first line must name the columns {','.join(SCHEDULE_COLUMNS)}")
    out = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise InputError(f"{len(fields)} fields where the header has {len(header)}", file=path,
                             line=reader.line_num, fix="give every column, even empty")
        r = {h: f.strip() for h, f in zip(header, fields, strict=True)}
        out.append((reader.line_num, Meeting(r["buyer"], r["supplier"], r["slot"], r["table"])))
    return out


def _check_meetings(meetings: Sequence[tuple[int | None, Meeting]], event: Event, source: Path | None) -> None:
    """Every meeting in a slot and at a table of the event, between a buyer and a supplier of it, and no one (no
    table) twice in a slot, no pair twice."""
    slots, tables = {s.id for s in event.slots}, {t.id for t in event.tables}
    roles = {p.id: p.role for p in event.participants}
    busy: set[tuple[str, str]] = set()
    pairs: set[tuple[str, str]] = set()
    again = "solve the event again ('linkage schedule')"
    for line, m in meetings:
        def refuse(message: str, column: str, fix: str, line: int | None = line, m: Meeting = m) -> InputError:
            # A file's meeting is named by its line; a solver's result (no file) by the pair.
            if source is not None:
                return InputError(message, file=source, line=line, column=column, fix=fix)
            return InputError(message, location=f"meeting {m.buyer}–{m.supplier}", column=column, fix=fix)

        if m.slot not in slots:
            raise refuse(f"no slot {m.slot!r} in event {event.id}", "slot", "use a slot of slots.csv")
        if m.table not in tables:
            raise refuse(f"no table {m.table!r} in event {event.id}", "table", "use a table of tables.csv")
        for who, role in ((m.buyer, "buyer"), (m.supplier, "supplier")):
            if roles.get(who) != role:
                raise refuse(f"{who!r} is not a {role} of event {event.id}", role,
                             "schedule the event's own participants")
            if (who, m.slot) in busy:
                raise refuse(f"{who} has two meetings in slot {m.slot}", role, again)
            busy.add((who, m.slot))
        if (f"table:{m.table}", m.slot) in busy:
            raise refuse(f"table {m.table} holds two meetings in slot {m.slot}", "table", again)
        busy.add((f"table:{m.table}", m.slot))
        if (m.buyer, m.supplier) in pairs:
            raise refuse(f"{m.buyer} and {m.supplier} meet twice", "supplier", "keep one of the two meetings")
        pairs.add((m.buyer, m.supplier))


def import_event_folder(engine: Engine, folder: Path, schedule_result: Schedule | None = None, *,
                        schedule_csv: Path | None = None, created_by: str = "import",
                        synthetic: bool = False) -> store.EventSaved:
    """Store the event folder and, when given, its schedule (a :class:`Schedule` the solver returned, or the
    ``schedule.csv`` it was written to): the event is created or brought up to date, and a schedule different from
    the latest stored one becomes the next schedule version (the older kept)."""
    if schedule_result is not None and schedule_csv is not None:
        raise ValueError("give the schedule as a result or as a file, not both")
    folder = Path(folder)
    event, info = read_event(folder)
    _check_event(event, folder)
    meetings: list[Meeting] | None = None
    if schedule_csv is not None:
        lines = _read_schedule_csv(Path(schedule_csv))
        _check_meetings(lines, event, Path(schedule_csv))
        meetings = [m for _, m in lines]
    elif schedule_result is not None:
        _check_meetings([(None, m) for m in schedule_result.meetings], event, None)
        meetings = list(schedule_result.meetings)
    starts = {s.id: s.start for s in event.slots}
    rows = None if meetings is None else [{"buyer": m.buyer, "supplier": m.supplier, "slot": m.slot,
                                           "table": m.table, "slot_start": starts[m.slot]} for m in meetings]
    return store.save_event(engine, code=event.id, date=event.date, name=info.name, venue=info.venue,
                            data=event_json(event), meetings=rows, created_by=created_by,
                            synthetic=_synthetic(folder, synthetic), note=folder.name)


def store_schedule(engine: Engine, code: str, result: Schedule, *, created_by: str) -> store.EventSaved:
    """Store ``result`` as the next schedule version of the stored event ``code`` (the event itself unchanged:
    its folder's JSON stays as the organiser gave it, the portal's requests stay in their own table)."""
    row = store.event(engine, code)
    if row is None:
        raise ValueError(f"no stored event {code}")
    event = with_requests(event_from_json(row.code, row.date, row.data), store.requests(engine, code))
    _check_meetings([(None, m) for m in result.meetings], event, None)
    starts = {s.id: s.start for s in event.slots}
    return store.save_event(engine, code=row.code, date=row.date, name=row.name, venue=row.venue, data=row.data,
                            meetings=[{"buyer": m.buyer, "supplier": m.supplier, "slot": m.slot, "table": m.table,
                                       "slot_start": starts[m.slot]} for m in result.meetings],
                            created_by=created_by, synthetic=row.synthetic, note="scheduled from the store")


def load_event(engine: Engine, code: str) -> tuple[Event, EventInfo] | None:
    """The stored event ``code`` and its name and venue, or None."""
    row = store.event(engine, code)
    if row is None:
        return None
    from vnindustry.store.event_registrations import registrations

    event = with_registrations(event_from_json(row.code, row.date, row.data), registrations(engine, code))
    event = with_requests(event, store.requests(engine, code))
    return event, EventInfo(row.name, row.venue)


def with_registrations(event: Event, registered: Sequence) -> Event:  # type: ignore[type-arg]
    """``event`` with the enterprises that registered in the portal added as participants (all day available,
    their languages as registered); one the organiser's folder already lists keeps the folder's entry."""
    known = {p.id for p in event.participants}
    added = tuple(Participant(r.enterprise, r.role, r.name, r.languages) for r in registered
                  if r.enterprise not in known)
    return replace(event, participants=event.participants + added) if added else event


def with_requests(event: Event, asked: Sequence[store.RequestRow]) -> Event:
    """``event`` with the portal's standing requests joined to the folder's: a pair asked from the other side
    too becomes mutual (the higher priority kept); a new pair is added. Requests naming someone who is not a
    participant in that role are left out (the portal only lets participants ask)."""
    roles = {p.id: p.role for p in event.participants}
    merged = {(r.buyer, r.supplier): r for r in event.requests}
    for a in asked:
        if roles.get(a.buyer) != "buyer" or roles.get(a.supplier) != "supplier":
            continue
        old = merged.get((a.buyer, a.supplier))
        if old is None:
            merged[(a.buyer, a.supplier)] = Request(a.buyer, a.supplier, a.requested_by, a.priority)  # type: ignore[arg-type]
        else:
            merged[(a.buyer, a.supplier)] = replace(old, priority=max(old.priority, a.priority),
                                                    mutual=old.mutual or old.requested_by != a.requested_by)
    return replace(event, requests=tuple(merged.values()))


def load_schedule(engine: Engine, code: str, version: int | None = None) -> tuple[int, list[Meeting]]:
    """(version, meetings) of event ``code``'s stored schedule (the latest when ``version`` is None); (0, [])
    when none is stored."""
    found, rows = store.schedule(engine, code, version)
    return found, [Meeting(r.buyer, r.supplier, r.slot, r.table) for r in rows]


# -- outcomes -------------------------------------------------------------------------------------------------
def _data_lines(path: Path) -> list[int]:
    """The line of each data row of a CSV file, as :class:`csv.DictReader` yields them (read_outcomes' order)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return [reader.line_num for _ in reader]


def import_outcomes(engine: Engine, path: Path, *, created_by: str = "import",
                    synthetic: bool = False) -> store.OutcomesSaved:
    """Store ``outcomes.csv``: each report different from the latest one of its meeting and stage becomes a new
    row. Refused (nothing stored): an event not stored yet, a buyer or supplier who is not a participant of that
    event, a meeting's stage reported twice in the file."""
    path = Path(path)
    _readable(path)
    reports = read_outcomes(path)
    lines = _data_lines(path)
    roles: dict[str, dict[str, str]] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, o in zip(lines, reports, strict=True):
        if o.event not in roles:
            row = store.event(engine, o.event)
            if row is None:
                raise InputError(f"no event {o.event!r} in the store", file=path, line=line, column="event",
                                 fix="import the event first: vnindustry linkage import-event EVENT_DIR")
            roles[o.event] = {p["participant"]: p["role"] for p in row.data["participants"]}
        for who, role in ((o.buyer, "buyer"), (o.supplier, "supplier")):
            if roles[o.event].get(who) != role:
                raise InputError(f"{who!r} is not a {role} of event {o.event}", file=path, line=line, column=role,
                                 fix="name a participant of the event's participants.csv")
        key = (o.event, o.buyer, o.supplier, o.stage)
        if key in seen:
            raise InputError(f"this meeting's stage {o.stage} is reported already on line {seen[key]}", file=path,
                             line=line, column="stage", fix="keep one line per meeting and stage")
        seen[key] = line
    return store.save_outcomes(engine, [{"event": o.event, "buyer": o.buyer, "supplier": o.supplier,
                                         "stage": o.stage, "result": o.result, "po_value": o.po_value}
                                        for o in reports],
                               reported_by=created_by, synthetic=_synthetic(path.parent, synthetic), note=path.name)


def load_outcomes(engine: Engine) -> list[Outcome]:
    """The latest report of every meeting's stage, as :class:`Outcome` (feed them to ``outcomes.funnel``)."""
    return [Outcome(r.event, r.buyer, r.supplier, r.stage, r.result, r.po_value or 0.0)
            for r in store.outcomes(engine)]


# -- purchases and targets -------------------------------------------------------------------------------------
def import_purchases(engine: Engine, path: Path, buyers_csv: Path | None = None, *, created_by: str = "import",
                     synthetic: bool = False) -> tuple[store.PurchasesSaved, tuple[str, ...]]:
    """Store ``purchases.csv`` (one batch per buyer; the same file again stores nothing) and, with ``buyers_csv``,
    each buyer's ``localisation_target_pct`` that changed, in one transaction. Returns what was stored and the
    buyers whose target changed."""
    path = Path(path)
    data = _readable(path)
    rows = read_purchases(path)
    buyers = read_buyers(buyers_csv) if buyers_csv is not None else []
    by_buyer: dict[str, list[dict]] = {}
    for p in rows:
        by_buyer.setdefault(p.buyer, []).append({"period": p.period, "supplier": p.supplier, "hs": p.hs,
                                                 "value": p.value, "located_in_vn": p.located_in_vn,
                                                 "vn_owned": p.vn_owned})
    wanted = {b.id: b.target_pct for b in buyers if b.target_pct is not None}
    checksum = hashlib.sha256(data).hexdigest()
    with engine.begin() as conn:
        lock_linkage(conn)
        saved = store.save_purchases(engine, by_buyer, file=path.name, checksum=checksum, created_by=created_by,
                                     synthetic=_synthetic(path.parent, synthetic), conn=conn)
        changed = store.save_targets(engine, wanted, set_by=created_by, note=buyers_csv.name if buyers_csv else "",
                                     conn=conn) if wanted else ()
    return saved, changed


def load_purchases(engine: Engine, *, buyer: str | None = None) -> list[Purchase]:
    """The purchases that count (each buyer-month's latest batch), as :class:`Purchase`."""
    return [Purchase(r.buyer, r.period, r.supplier, r.hs, r.value, r.located_in_vn, r.vn_owned)
            for r in store.purchases(engine, buyer=buyer)]


def load_targets(engine: Engine) -> dict[str, float]:
    """Buyer → its latest localisation target (%)."""
    return store.targets(engine)


def load_buyers(engine: Engine) -> list[Buyer]:
    """The buyers with stored purchases or a target, by id: their register name (the id when it has none) and
    latest target."""
    goals = store.targets(engine)
    ids = sorted({r.buyer for r in store.purchases(engine)} | set(goals))
    names = store.enterprise_names(engine, ids)
    return [Buyer(b, names.get(b, b), target_pct=goals.get(b)) for b in ids]
