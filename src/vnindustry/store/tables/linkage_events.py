"""Matchmaking events (their versions, meetings, requests and registrations), meeting outcomes and the
buyers' declared purchases and localisation targets."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from vnindustry.store.tables.metadata import METADATA

# -- linkage events, outcomes and localisation (issue 14, items 4 and 5) ------------------------------------------
# store/linkage_events.py is the one module that writes these tables. A new schedule of an event is a new
# schedule_version, an outcome report or a purchase declaration a new row or batch: the older ones are kept.


#: A matchmaking event: its day, name and venue, and the whole event folder (slots, tables, participants,
#: requests) as JSON (linkage.stored_events.event_json).
LINKAGE_EVENTS = Table(
    "linkage_events",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), unique=True, nullable=False),
    Column("date", Date, nullable=False),
    Column("name", Text, nullable=False),
    Column("venue", Text, default="", nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
)


#: A meeting of one schedule version of an event; ``slot_start`` is the event's local time, as the folder
#: writes it.
EVENT_MEETINGS = Table(
    "event_meetings",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("event_code", ForeignKey("linkage_events.code"), nullable=False),
    Column("schedule_version", Integer, nullable=False),
    Column("buyer_code", String(120), nullable=False),
    Column("supplier_code", String(120), nullable=False),
    Column("slot", String(120), nullable=False),
    Column("table_id", String(120), nullable=False),
    Column("slot_start", DateTime, nullable=False),
    UniqueConstraint("event_code", "schedule_version", "buyer_code", "supplier_code", name="uq_event_meeting"),
)


#: One report of what came of a meeting at one stage (meeting, 3m, 6m); the latest by id of each (event,
#: buyer, supplier, stage) counts.
MEETING_OUTCOMES = Table(
    "meeting_outcomes",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("event_code", ForeignKey("linkage_events.code"), nullable=False),
    Column("buyer_code", String(120), nullable=False),
    Column("supplier_code", String(120), nullable=False),
    Column("stage", String(10), nullable=False),
    Column("result", String(20), nullable=False),
    Column("po_value", Float(precision=53), nullable=True),  # VND, of an agreement
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("reported_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    Index("ix_meeting_outcome_key", "event_code", "buyer_code", "supplier_code", "stage"),
)


#: One buyer's purchases as declared in one file; the same file again (its checksum) stores nothing.
PURCHASE_BATCHES = Table(
    "purchase_batches",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("buyer_code", String(120), nullable=False),
    Column("file", Text, nullable=False),
    Column("checksum", String(64), nullable=False),  # sha256 of the file
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    UniqueConstraint("buyer_code", "checksum", name="uq_purchase_batch_checksum"),
)


#: A declared input purchase (a buyer's month, one supplier, one HS code, VND); the latest batch covering a
#: (buyer, period) is the one that counts.
BUYER_PURCHASES = Table(
    "buyer_purchases",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("purchase_batches.id"), nullable=False),
    Column("buyer_code", String(120), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM
    Column("supplier", String(120), nullable=False),
    Column("hs", String(6), nullable=False),
    Column("value", Float(precision=53), nullable=False),
    Column("located_in_vn", Boolean, nullable=False),
    Column("vn_owned", Boolean, nullable=False),
    Index("ix_buyer_purchase_period", "buyer_code", "period", "batch_id"),
)


#: A buyer's localisation target (% of input value bought in Viet Nam) as set on a day; the latest wins.
BUYER_TARGETS = Table(
    "buyer_targets",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("buyer_code", String(120), nullable=False),
    Column("target_pct", Float(precision=53), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
    Column("set_by", String(150), nullable=False),
    Index("ix_buyer_target_buyer", "buyer_code"),
)


#: An earlier state of a matchmaking event, kept when the organiser's folder changes (issue 14): the event's
#: row holds the latest, this table every state it replaced, so nothing submitted is lost.
LINKAGE_EVENT_VERSIONS = Table(
    "linkage_event_versions",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("event_code", ForeignKey("linkage_events.code"), nullable=False),
    Column("date", Date, nullable=False),
    Column("name", Text, nullable=False),
    Column("venue", Text, default="", nullable=False),
    Column("data", Text, nullable=False),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
    Column("replaced_by", String(150), nullable=False),
)


#: A meeting asked for through the portal at an event: who asked (buyer or supplier side), whom, with what
#: priority; withdrawing it is a later row with ``withdrawn`` true (the latest row of a pair and side counts).
MEETING_REQUESTS = Table(
    "meeting_requests",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("event_code", ForeignKey("linkage_events.code"), nullable=False),
    Column("buyer_code", String(120), nullable=False),
    Column("supplier_code", String(120), nullable=False),
    Column("requested_by", String(10), nullable=False),  # buyer or supplier
    Column("priority", Integer, nullable=False),
    Column("withdrawn", Boolean, default=False, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Index("ix_meeting_request_event", "event_code", "buyer_code", "supplier_code"),
)


#: An enterprise registered itself for a matchmaking event through the portal, as a buyer or a supplier,
#: with the languages it speaks; withdrawing is a later row (the latest row of an event and enterprise counts).
#: Registrants join the organiser's participants when the event is read (linkage.stored_events.load_event).
EVENT_REGISTRATIONS = Table(
    "event_registrations",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("event_code", ForeignKey("linkage_events.code"), nullable=False),
    Column("enterprise_code", ForeignKey("enterprises.code"), nullable=False),
    Column("role", String(10), nullable=False),  # buyer or supplier
    Column("languages", String(60), nullable=False),  # ";"-separated ISO 639-1 codes
    Column("withdrawn", Boolean, default=False, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Index("ix_event_registration", "event_code", "enterprise_code"),
)
