"""Matchmaking events, their schedules, the meetings' outcomes, buyers' purchases and localisation targets in the
store (issue 14, items 4 and 5), each save one transaction under the linkage lock, with its audit rows.

Nothing reported is overwritten:

- an event is one row (``linkage_events``, unique code) holding the whole folder as JSON; a changed folder
  replaces that JSON (the audit row says so, with the old and new checksums), while its **schedules** are
  versions: storing a schedule different from the latest stores every meeting again under the next
  ``schedule_version`` (``event_meetings``), the older versions kept;
- an outcome report (``meeting_outcomes``) is a row; the latest by id of each (event, buyer, supplier, stage)
  counts, and a report equal to that latest one stores nothing (so importing the same file again is a no-op);
- purchases come in batches, one per buyer and file (``purchase_batches``): the latest batch covering a
  (buyer, month) is the one that counts for that month, the older batches kept; a file whose checksum a buyer's
  batch already has stores nothing for that buyer;
- a buyer's target (``buyer_targets``) is a row per change; the latest counts.

The JSON shapes and the conversion to the linkage dataclasses are :mod:`vnindustry.linkage.stored_events`'s; the
store returns plain rows (it never imports the analysis level). Audit actions: ``event``, ``schedule``,
``outcomes``, ``purchases``, ``target``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from vnindustry.store.linkage import in_linkage_transaction
from vnindustry.store.tables import (
    AUDIT_LOG,
    BUYER_PURCHASES,
    BUYER_TARGETS,
    ENTERPRISES,
    EVENT_MEETINGS,
    LINKAGE_EVENT_VERSIONS,
    LINKAGE_EVENTS,
    MEETING_OUTCOMES,
    MEETING_REQUESTS,
    PURCHASE_BATCHES,
)

__all__ = [
    "EventRow",
    "EventSaved",
    "MeetingRow",
    "OutcomeRow",
    "OutcomesSaved",
    "PurchaseRow",
    "PurchasesSaved",
    "RequestRow",
    "enterprise_names",
    "event",
    "event_versions",
    "events",
    "outcomes",
    "purchase_batches",
    "purchases",
    "requests",
    "save_event",
    "save_outcomes",
    "save_purchases",
    "save_request",
    "save_targets",
    "schedule",
    "schedule_versions",
    "scheduled_counts",
    "target_history",
    "targets",
]

T = TypeVar("T")
_ATTEMPTS = 5  # whole-transaction retries after a writer that did not lock took the same schedule version


@dataclass(frozen=True)
class EventRow:
    """An event as stored: its code, day, name, venue, the folder as JSON, and who stored it first."""

    code: str
    date: dt.date
    name: str
    venue: str
    data: dict
    created_at: dt.datetime
    created_by: str
    synthetic: bool


@dataclass(frozen=True)
class MeetingRow:
    """A meeting of a stored schedule; ``slot_start`` in the event's local time."""

    buyer: str
    supplier: str
    slot: str
    table: str
    slot_start: dt.datetime


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome report as stored (``po_value`` None when none was given)."""

    id: int
    event: str
    buyer: str
    supplier: str
    stage: str
    result: str
    po_value: float | None
    reported_at: dt.datetime
    reported_by: str
    synthetic: bool


@dataclass(frozen=True)
class PurchaseRow:
    """A declared purchase as stored, with its batch (and whether that batch is synthetic)."""

    buyer: str
    period: str
    supplier: str
    hs: str
    value: float
    located_in_vn: bool
    vn_owned: bool
    batch_id: int
    synthetic: bool


@dataclass(frozen=True)
class EventSaved:
    """What :func:`save_event` did: ``event`` is "created", "changed" or "unchanged"; ``schedule_version`` the
    event's latest schedule version after the save (0: none), ``new_schedule`` whether this save stored it."""

    code: str
    event: str
    schedule_version: int
    new_schedule: bool


@dataclass(frozen=True)
class OutcomesSaved:
    """What :func:`save_outcomes` did: the reports stored and those equal to the latest report already there."""

    stored: int
    unchanged: int


@dataclass(frozen=True)
class PurchasesSaved:
    """What :func:`save_purchases` did: (buyer, batch id) of each new batch, and the buyers whose batch of this
    file was already stored."""

    batches: tuple[tuple[str, int], ...]
    unchanged: tuple[str, ...]


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _audit(conn: Connection, action: str, who: str, at: dt.datetime, items: Iterable[tuple[str | None, str]]) -> None:
    rows = [{"at": at, "username": who, "action": action, "period": "", "enterprise_code": enterprise,
             "reason": reason} for enterprise, reason in items]
    if rows:
        conn.execute(insert(AUDIT_LOG), rows)


def _in_transaction(engine: Engine, conn: Connection | None, write: Callable[[Connection], T]) -> T:
    """The linkage writers' one transaction helper (:func:`vnindustry.store.linkage.in_linkage_transaction`)."""
    return in_linkage_transaction(engine, conn, write)  # type: ignore[no-any-return]


# -- events and schedules ---------------------------------------------------------------------------------------
def _meeting_key(m: Mapping[str, object]) -> tuple[str, str, str, str, dt.datetime]:
    start = m["slot_start"]
    if not isinstance(start, dt.datetime):
        raise ValueError(f"slot_start of meeting {m['buyer']}–{m['supplier']} is not a datetime")
    # Compared without seconds' fractions or time zone: the folder writes minutes, local time.
    return (str(m["buyer"]), str(m["supplier"]), str(m["slot"]), str(m["table"]),
            start.replace(tzinfo=None, microsecond=0))


def save_event(engine: Engine, *, code: str, date: dt.date, name: str, venue: str, data: dict,
               meetings: Sequence[Mapping[str, object]] | None = None, created_by: str, synthetic: bool = False,
               note: str = "", conn: Connection | None = None) -> EventSaved:
    """Store event ``code`` (its folder as ``data``) and, when ``meetings`` is given (each ``{"buyer",
    "supplier", "slot", "table", "slot_start"}``), its schedule: a schedule equal to the latest stored one
    stores nothing, another becomes the next version. ``note`` goes to the audit rows (e.g. the folder)."""
    keys = [_meeting_key(m) for m in meetings] if meetings is not None else None
    if keys is not None and len({(b, s) for b, s, *_ in keys}) != len(keys):
        raise ValueError(f"a buyer–supplier pair meets twice in one schedule of event {code}")
    return _in_transaction(engine, conn, lambda c: _save_event(c, code, date, name, venue, data, keys, created_by,
                                                               synthetic, note))


def _save_event(c: Connection, code: str, date: dt.date, name: str, venue: str, data: dict,
                keys: list[tuple[str, str, str, str, dt.datetime]] | None, created_by: str, synthetic: bool,
                note: str) -> EventSaved:
    at = _now()
    text = _dumps(data)
    suffix = f" ({note})" if note else ""
    old = c.execute(select(LINKAGE_EVENTS.c.id, LINKAGE_EVENTS.c.date, LINKAGE_EVENTS.c.name, LINKAGE_EVENTS.c.venue,
                           LINKAGE_EVENTS.c.data).where(LINKAGE_EVENTS.c.code == code)).first()
    if old is None:
        state = "created"
        c.execute(insert(LINKAGE_EVENTS), [{"code": code, "date": date, "name": name, "venue": venue, "data": text,
                                          "created_at": at, "created_by": created_by, "synthetic": synthetic}])
        _audit(c, "event", created_by, at, [(None, f"event {code} stored{suffix}")])
    elif (old.date, old.name, old.venue, old.data) == (date, name, venue, text):
        state = "unchanged"
    else:
        # One row per event (its code is what outcomes refer to) holds the latest state; the state it replaces
        # goes to linkage_event_versions first, and the audit row names both by checksum.
        state = "changed"
        c.execute(insert(LINKAGE_EVENT_VERSIONS), [{"event_code": code, "date": old.date, "name": old.name,
                                                 "venue": old.venue or "", "data": old.data, "replaced_at": at,
                                                 "replaced_by": created_by}])
        c.execute(update(LINKAGE_EVENTS).where(LINKAGE_EVENTS.c.id == old.id)
                  .values(date=date, name=name, venue=venue, data=text))
        digest = hashlib.sha256(old.data.encode("utf-8")).hexdigest()[:12]
        new = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        _audit(c, "event", created_by, at, [(None, f"event {code} changed: folder {digest} → {new}{suffix}")])
    version = c.execute(select(func.max(EVENT_MEETINGS.c.schedule_version))
                        .where(EVENT_MEETINGS.c.event_code == code)).scalar() or 0
    if keys is None:
        return EventSaved(code, state, version, False)
    m = EVENT_MEETINGS.c
    latest = {_meeting_key({"buyer": b, "supplier": s, "slot": sl, "table": t, "slot_start": st})
              for b, s, sl, t, st in c.execute(select(m.buyer_code, m.supplier_code, m.slot, m.table_id, m.slot_start)
                                               .where(m.event_code == code, m.schedule_version == version))
              } if version else None
    if latest == set(keys) or (not keys and not version):
        return EventSaved(code, state, version, False)  # the same schedule, or an empty first one: nothing new
    version += 1
    if keys:
        c.execute(insert(EVENT_MEETINGS), [{"event_code": code, "schedule_version": version, "buyer_code": b,
                                          "supplier_code": s, "slot": sl, "table_id": t, "slot_start": st}
                                         for b, s, sl, t, st in sorted(keys, key=lambda k: (k[4], k[3]))])
    _audit(c, "schedule", created_by, at, [(None, f"event {code} schedule version {version}: {len(keys)} meetings"
                                                  f"{suffix}")])
    return EventSaved(code, state, version, True)


def _event_row(r) -> EventRow:  # type: ignore[no-untyped-def]
    return EventRow(r.code, r.date, r.name, r.venue or "", json.loads(r.data), r.created_at, r.created_by,
                    bool(r.synthetic))


def events(engine: Engine) -> list[EventRow]:
    """Every stored event, by date then code."""
    e = LINKAGE_EVENTS.c  # reads over the tables (Core): no ORM compilation in a fresh process (issue 16)
    with engine.connect() as conn:
        rows = conn.execute(select(e.code, e.date, e.name, e.venue, e.data, e.created_at, e.created_by, e.synthetic)
                            .order_by(e.date, e.code)).all()
    return [_event_row(r) for r in rows]


def event(engine: Engine, code: str) -> EventRow | None:
    """The stored event ``code``, or None."""
    e = LINKAGE_EVENTS.c
    with engine.connect() as conn:
        r = conn.execute(select(e.code, e.date, e.name, e.venue, e.data, e.created_at, e.created_by, e.synthetic)
                         .where(e.code == code)).first()
    return None if r is None else _event_row(r)


def schedule_versions(engine: Engine, code: str) -> list[int]:
    """The stored schedule versions of event ``code``, oldest first."""
    with engine.connect() as conn:
        return list(conn.execute(select(EVENT_MEETINGS.c.schedule_version).where(EVENT_MEETINGS.c.event_code == code)
                                 .distinct().order_by(EVENT_MEETINGS.c.schedule_version)).scalars())


def schedule(engine: Engine, code: str, version: int | None = None) -> tuple[int, list[MeetingRow]]:
    """(version, meetings by slot start then table) of event ``code``'s schedule ``version`` (the latest when
    None); (0, []) when the event has no stored schedule."""
    m = EVENT_MEETINGS.c
    with engine.connect() as conn:
        if version is None:
            version = conn.execute(select(func.max(m.schedule_version)).where(m.event_code == code)).scalar() or 0
        rows = conn.execute(select(m.buyer_code, m.supplier_code, m.slot, m.table_id, m.slot_start)
                            .where(m.event_code == code, m.schedule_version == version)
                            .order_by(m.slot_start, m.table_id, m.buyer_code)).all()
    return (version if rows else 0), [MeetingRow(*r) for r in rows]


def scheduled_counts(engine: Engine) -> dict[str, int]:
    """Event code → the number of meetings in its latest schedule (events with a stored schedule)."""
    m = EVENT_MEETINGS.c
    newest = (select(m.event_code.label("k"), func.max(m.schedule_version).label("v")).group_by(m.event_code)
              .subquery())
    with engine.connect() as conn:
        rows = conn.execute(select(m.event_code, func.count())
                            .join(newest, and_(m.event_code == newest.c.k, m.schedule_version == newest.c.v))
                            .group_by(m.event_code)).all()
    return {code: int(n) for code, n in rows}


# -- outcomes -------------------------------------------------------------------------------------------------
def _outcome_key(o: Mapping[str, object]) -> tuple[str, str, str, str]:
    return str(o["event"]), str(o["buyer"]), str(o["supplier"]), str(o["stage"])


def _value(v: object) -> float | None:
    """A purchase-order value as stored: None for none (0 or empty)."""
    return float(v) if v not in (None, "") and float(v) > 0 else None  # type: ignore[arg-type]


def save_outcomes(engine: Engine, reports: Sequence[Mapping[str, object]], *, reported_by: str,
                  synthetic: bool = False, note: str = "", conn: Connection | None = None) -> OutcomesSaved:
    """Store outcome ``reports`` (each ``{"event", "buyer", "supplier", "stage", "result", "po_value"}``) in one
    transaction: a report equal to the latest of its (event, buyer, supplier, stage) stores nothing, any other is
    a new row. The events must be stored; a (event, buyer, supplier, stage) twice in one save is refused."""
    keys = [_outcome_key(r) for r in reports]
    if len(set(keys)) != len(keys):
        raise ValueError("a meeting's stage is reported twice in one save")
    return _in_transaction(engine, conn, lambda c: _save_outcomes(c, reports, keys, reported_by, synthetic, note))


def _save_outcomes(c: Connection, reports: Sequence[Mapping[str, object]], keys: list[tuple[str, str, str, str]],
                   reported_by: str, synthetic: bool, note: str) -> OutcomesSaved:
    at = _now()
    codes = sorted({k[0] for k in keys})
    event = LINKAGE_EVENTS.c
    known = set(c.execute(select(event.code).where(event.code.in_(codes))).scalars()) if codes else set()
    if set(codes) - known:
        raise ValueError(f"no stored event {', '.join(sorted(set(codes) - known))}")
    latest = {(r.event, r.buyer, r.supplier, r.stage): (r.result, r.po_value)
              for r in _latest_outcomes(c, codes)}
    rows, per_event = [], dict.fromkeys(codes, 0)
    for key, r in zip(keys, reports, strict=True):
        value = _value(r.get("po_value"))
        if latest.get(key) == (str(r["result"]), value):
            continue
        rows.append({"event_code": key[0], "buyer_code": key[1], "supplier_code": key[2], "stage": key[3],
                     "result": str(r["result"]), "po_value": value, "reported_at": at, "reported_by": reported_by,
                     "synthetic": synthetic})
        per_event[key[0]] += 1
    if rows:
        c.execute(insert(MEETING_OUTCOMES), rows)
    # One audit row per event and import, not per report: an event's outcomes come as one file of hundreds.
    _audit(c, "outcomes", reported_by, at, [(None, f"event {code}: {n} outcome reports" + (f" ({note})" if note
                                                                                          else ""))
                                            for code, n in per_event.items() if n])
    return OutcomesSaved(len(rows), len(reports) - len(rows))


def _latest_outcomes(c: Connection, codes: Sequence[str] | None = None) -> list[OutcomeRow]:
    o = MEETING_OUTCOMES.c
    newest = select(func.max(o.id).label("id")).group_by(o.event_code, o.buyer_code, o.supplier_code, o.stage)
    if codes is not None:
        newest = newest.where(o.event_code.in_(list(codes)))
    stmt = (select(o.id, o.event_code, o.buyer_code, o.supplier_code, o.stage, o.result, o.po_value, o.reported_at,
                   o.reported_by, o.synthetic)
            .where(o.id.in_(newest.scalar_subquery())).order_by(o.event_code, o.buyer_code, o.supplier_code, o.id))
    return [OutcomeRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9])) for r in c.execute(stmt)]


def outcomes(engine: Engine, *, history: bool = False) -> list[OutcomeRow]:
    """The latest report of every (event, buyer, supplier, stage); with ``history`` every report, oldest first."""
    with engine.connect() as conn:
        if not history:
            return _latest_outcomes(conn)
        o = MEETING_OUTCOMES.c
        rows = conn.execute(select(o.id, o.event_code, o.buyer_code, o.supplier_code, o.stage, o.result, o.po_value,
                                   o.reported_at, o.reported_by, o.synthetic).order_by(o.id)).all()
    return [OutcomeRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9])) for r in rows]


# -- purchases and targets -----------------------------------------------------------------------------------
_PURCHASE_FIELDS = ("period", "supplier", "hs", "value", "located_in_vn", "vn_owned")


def save_purchases(engine: Engine, by_buyer: Mapping[str, Sequence[Mapping[str, object]]], *, file: str,
                   checksum: str, created_by: str, synthetic: bool = False,
                   conn: Connection | None = None) -> PurchasesSaved:
    """Store each buyer's purchases of one file (``by_buyer``: buyer → rows ``{"period", "supplier", "hs",
    "value", "located_in_vn", "vn_owned"}``) as a batch of its own, in one transaction; a buyer that already has a
    batch with this ``checksum`` gets nothing new."""
    if len(checksum) != 64:
        raise ValueError("checksum must be a sha256 in hex")
    return _in_transaction(engine, conn, lambda c: _save_purchases(c, by_buyer, file, checksum, created_by,
                                                                   synthetic))


def _save_purchases(c: Connection, by_buyer: Mapping[str, Sequence[Mapping[str, object]]], file: str, checksum: str,
                    created_by: str, synthetic: bool) -> PurchasesSaved:
    at = _now()
    buyers = sorted(by_buyer)
    seen = set(c.execute(select(PURCHASE_BATCHES.c.buyer_code).where(PURCHASE_BATCHES.c.checksum == checksum,
                                                                PURCHASE_BATCHES.c.buyer_code.in_(buyers))).scalars()) \
        if buyers else set()
    made, audit = [], []
    for buyer in buyers:
        if buyer in seen:
            continue
        rows = by_buyer[buyer]
        batch = c.execute(insert(PURCHASE_BATCHES).values(buyer_code=buyer, file=file, checksum=checksum, created_at=at,
                                                       created_by=created_by, synthetic=synthetic)
                          ).inserted_primary_key[0]
        if rows:
            c.execute(insert(BUYER_PURCHASES), [{"batch_id": batch, "buyer_code": buyer,
                                               **{k: r[k] for k in _PURCHASE_FIELDS}} for r in rows])
        periods = sorted({str(r["period"]) for r in rows})
        span = f"{periods[0]}…{periods[-1]}" if periods else "no month"
        made.append((buyer, int(batch)))
        audit.append((buyer, f"purchases batch {batch}: {len(rows)} lines, {span} ({file})"))
    _audit(c, "purchases", created_by, at, audit)
    return PurchasesSaved(tuple(made), tuple(b for b in buyers if b in seen))


def purchases(engine: Engine, *, buyer: str | None = None) -> list[PurchaseRow]:
    """The purchases that count: for each (buyer, month), the rows of the latest batch covering it; by buyer,
    month, then line."""
    p, b = BUYER_PURCHASES.c, PURCHASE_BATCHES.c
    newest = (select(p.buyer_code.label("k"), p.period.label("m"), func.max(p.batch_id).label("v"))
              .group_by(p.buyer_code, p.period))
    if buyer is not None:
        newest = newest.where(p.buyer_code == buyer)
    sub = newest.subquery()
    stmt = (select(p.buyer_code, p.period, p.supplier, p.hs, p.value, p.located_in_vn, p.vn_owned, p.batch_id,
                   b.synthetic)
            .join(sub, and_(p.buyer_code == sub.c.k, p.period == sub.c.m, p.batch_id == sub.c.v))
            .join(PURCHASE_BATCHES, b.id == p.batch_id).order_by(p.buyer_code, p.period, p.id))
    with engine.connect() as conn:
        return [PurchaseRow(r[0], r[1], r[2], r[3], float(r[4]), bool(r[5]), bool(r[6]), int(r[7]), bool(r[8]))
                for r in conn.execute(stmt)]


def purchase_batches(engine: Engine, *, buyer: str | None = None) -> list[dict]:
    """Every stored batch (``id``, ``buyer``, ``file``, ``checksum``, ``created_at``, ``created_by``,
    ``synthetic``, ``lines``), oldest first."""
    b, p = PURCHASE_BATCHES.c, BUYER_PURCHASES.c
    lines = select(p.batch_id.label("k"), func.count().label("n")).group_by(p.batch_id).subquery()
    stmt = (select(b.id, b.buyer_code, b.file, b.checksum, b.created_at, b.created_by, b.synthetic, lines.c.n)
            .outerjoin(lines, lines.c.k == b.id).order_by(b.id))
    if buyer is not None:
        stmt = stmt.where(b.buyer_code == buyer)
    with engine.connect() as conn:
        return [{"id": r[0], "buyer": r[1], "file": r[2], "checksum": r[3], "created_at": r[4], "created_by": r[5],
                 "synthetic": bool(r[6]), "lines": int(r[7] or 0)} for r in conn.execute(stmt)]


def save_targets(engine: Engine, targets_pct: Mapping[str, float], *, set_by: str, note: str = "",
                 conn: Connection | None = None) -> tuple[str, ...]:
    """Store each buyer's localisation target (%) that differs from its latest one; returns the buyers changed."""
    for buyer, pct in targets_pct.items():
        if not 0 <= float(pct) <= 100:
            raise ValueError(f"target {pct} of buyer {buyer} is not a percentage")
    return _in_transaction(engine, conn, lambda c: _save_targets(c, targets_pct, set_by, note))


def _save_targets(c: Connection, targets_pct: Mapping[str, float], set_by: str, note: str) -> tuple[str, ...]:
    at = _now()
    latest = _latest_targets(c)
    changed = [b for b in sorted(targets_pct) if latest.get(b) != float(targets_pct[b])]
    if changed:
        c.execute(insert(BUYER_TARGETS), [{"buyer_code": b, "target_pct": float(targets_pct[b]), "set_at": at,
                                         "set_by": set_by} for b in changed])
    _audit(c, "target", set_by, at, [(b, f"localisation target {float(targets_pct[b]):g}%"
                                      + (f" ({note})" if note else "")) for b in changed])
    return tuple(changed)


def _latest_targets(c: Connection) -> dict[str, float]:
    t = BUYER_TARGETS.c
    newest = select(func.max(t.id)).group_by(t.buyer_code).scalar_subquery()
    return {b: float(v) for b, v in c.execute(select(t.buyer_code, t.target_pct).where(t.id.in_(newest)))}


def targets(engine: Engine) -> dict[str, float]:
    """Buyer → its latest localisation target (%)."""
    with engine.connect() as conn:
        return _latest_targets(conn)


def target_history(engine: Engine, buyer: str) -> list[tuple[float, dt.datetime, str]]:
    """Every target set for ``buyer``: (target %, when, by whom), oldest first."""
    t = BUYER_TARGETS.c
    with engine.connect() as conn:
        return [(float(v), at, by) for v, at, by in conn.execute(
            select(t.target_pct, t.set_at, t.set_by).where(t.buyer_code == buyer).order_by(t.id))]


def enterprise_names(engine: Engine, codes: Iterable[str]) -> dict[str, str]:
    """Code → name in the register of those of ``codes`` it knows (with a name)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    with engine.connect() as conn:
        return {c: n for c, n in conn.execute(select(ENTERPRISES.c.code, ENTERPRISES.c.name)
                                              .where(ENTERPRISES.c.code.in_(wanted))) if n}


# -- meeting requests made in the portal ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestRow:
    """A meeting request of the portal at its latest state (one per event, pair and asking side)."""

    event: str
    buyer: str
    supplier: str
    requested_by: str
    priority: int
    created_at: dt.datetime
    created_by: str


def save_request(engine: Engine, *, event: str, buyer: str, supplier: str, requested_by: str, priority: int = 1,
                 withdrawn: bool = False, created_by: str) -> bool:
    """Record a request (or its withdrawal) as a new row, with its audit row, in one locked transaction; False
    when it changes nothing (the same priority again, or withdrawing what is not asked)."""
    if requested_by not in ("buyer", "supplier") or priority not in (1, 2, 3):
        raise ValueError("requested_by is buyer or supplier, priority 1–3")

    def write(c: Connection) -> bool:
        r = MEETING_REQUESTS
        last = c.execute(select(r.c.priority, r.c.withdrawn).where(
            r.c.event_code == event, r.c.buyer_code == buyer, r.c.supplier_code == supplier,
            r.c.requested_by == requested_by).order_by(r.c.id.desc()).limit(1)).first()
        standing = last is not None and not last.withdrawn
        if (withdrawn and not standing) or (not withdrawn and standing and last.priority == priority):
            return False  # withdrawing what is not asked, or asking again for the same
        at = _now()
        c.execute(insert(r), [{"event_code": event, "buyer_code": buyer, "supplier_code": supplier,
                               "requested_by": requested_by, "priority": priority, "withdrawn": withdrawn,
                               "created_at": at, "created_by": created_by}])
        what = "withdrew" if withdrawn else f"priority {priority}"
        _audit(c, "request", created_by, at, [(buyer if requested_by == "buyer" else supplier,
                                               f"event {event}: {buyer}–{supplier}, {what}")])
        return True

    return _in_transaction(engine, None, write)


def requests(engine: Engine, event: str) -> list[RequestRow]:
    """The portal's standing requests of ``event`` (each pair and side at its latest row, withdrawn ones left out)."""
    r = MEETING_REQUESTS.c
    newest = (select(func.max(r.id).label("id")).where(r.event_code == event)
              .group_by(r.buyer_code, r.supplier_code, r.requested_by).subquery())
    with engine.connect() as c:
        rows = c.execute(select(r.event_code, r.buyer_code, r.supplier_code, r.requested_by, r.priority, r.withdrawn,
                                r.created_at, r.created_by).join(newest, r.id == newest.c.id)
                         .order_by(r.buyer_code, r.supplier_code, r.requested_by)).all()
    return [RequestRow(e, b, s, side, p, at, by) for e, b, s, side, p, w, at, by in rows if not w]


def event_versions(engine: Engine, code: str) -> list[dict]:
    """The states an event's folder had before its latest, oldest first."""
    v = LINKAGE_EVENT_VERSIONS.c
    with engine.connect() as c:
        rows = c.execute(select(v.date, v.name, v.venue, v.data, v.replaced_at, v.replaced_by)
                         .where(v.event_code == code).order_by(v.id)).all()
    return [{"date": d, "name": n, "venue": ve, "data": json.loads(da), "replaced_at": at, "replaced_by": by}
            for d, n, ve, da, at, by in rows]
