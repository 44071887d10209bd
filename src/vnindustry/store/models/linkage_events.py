"""Matchmaking events (their versions, meetings, requests and registrations), meeting outcomes and the
buyers' declared purchases and localisation targets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from vnindustry.store.models.base import Base

# -- linkage events, outcomes and localisation (issue 14, items 4 and 5) ------------------------------------------
# store/linkage_events.py is the one module that writes these tables. A new schedule of an event is a new
# schedule_version, an outcome report or a purchase declaration a new row or batch: the older ones are kept.


class LinkageEvent(Base):
    """A matchmaking event: its day, name and venue, and the whole event folder (slots, tables, participants,
    requests) as JSON (linkage.stored_events.event_json)."""

    __tablename__ = "linkage_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    date: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text)
    venue: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class EventMeeting(Base):
    """A meeting of one schedule version of an event; ``slot_start`` is the event's local time, as the folder
    writes it."""

    __tablename__ = "event_meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    schedule_version: Mapped[int] = mapped_column(Integer)
    buyer_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    slot: Mapped[str] = mapped_column(String(120))
    table_id: Mapped[str] = mapped_column(String(120))
    slot_start: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("event_code", "schedule_version", "buyer_code", "supplier_code",
                                       name="uq_event_meeting"),)


class MeetingOutcome(Base):
    """One report of what came of a meeting at one stage (meeting, 3m, 6m); the latest by id of each (event,
    buyer, supplier, stage) counts."""

    __tablename__ = "meeting_outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    buyer_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(10))
    result: Mapped[str] = mapped_column(String(20))
    po_value: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)  # VND, of an agreement
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reported_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_meeting_outcome_key", "event_code", "buyer_code", "supplier_code", "stage"),)


class PurchaseBatch(Base):
    """One buyer's purchases as declared in one file; the same file again (its checksum) stores nothing."""

    __tablename__ = "purchase_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buyer_code: Mapped[str] = mapped_column(String(120))
    file: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the file
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("buyer_code", "checksum", name="uq_purchase_batch_checksum"),)


class BuyerPurchase(Base):
    """A declared input purchase (a buyer's month, one supplier, one HS code, VND); the latest batch covering a
    (buyer, period) is the one that counts."""

    __tablename__ = "buyer_purchases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("purchase_batches.id"))
    buyer_code: Mapped[str] = mapped_column(String(120))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    supplier: Mapped[str] = mapped_column(String(120))
    hs: Mapped[str] = mapped_column(String(6))
    value: Mapped[float] = mapped_column(Float(precision=53))
    located_in_vn: Mapped[bool] = mapped_column(Boolean)
    vn_owned: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_buyer_purchase_period", "buyer_code", "period", "batch_id"),)


class BuyerTarget(Base):
    """A buyer's localisation target (% of input value bought in Viet Nam) as set on a day; the latest wins."""

    __tablename__ = "buyer_targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buyer_code: Mapped[str] = mapped_column(String(120))
    target_pct: Mapped[float] = mapped_column(Float(precision=53))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    set_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_buyer_target_buyer", "buyer_code"),)


class LinkageEventVersion(Base):
    """An earlier state of a matchmaking event, kept when the organiser's folder changes (issue 14): the event's
    row holds the latest, this table every state it replaced, so nothing submitted is lost."""

    __tablename__ = "linkage_event_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    date: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text)
    venue: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[str] = mapped_column(String(150))


class MeetingRequest(Base):
    """A meeting asked for through the portal at an event: who asked (buyer or supplier side), whom, with what
    priority; withdrawing it is a later row with ``withdrawn`` true (the latest row of a pair and side counts)."""

    __tablename__ = "meeting_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    buyer_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    requested_by: Mapped[str] = mapped_column(String(10))  # buyer or supplier
    priority: Mapped[int] = mapped_column(Integer)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_meeting_request_event", "event_code", "buyer_code", "supplier_code"),)


class EventRegistration(Base):
    """An enterprise registered itself for a matchmaking event through the portal, as a buyer or a supplier,
    with the languages it speaks; withdrawing is a later row (the latest row of an event and enterprise counts).
    Registrants join the organiser's participants when the event is read (linkage.stored_events.load_event)."""

    __tablename__ = "event_registrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    role: Mapped[str] = mapped_column(String(10))  # buyer or supplier
    languages: Mapped[str] = mapped_column(String(60))  # ";"-separated ISO 639-1 codes
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_event_registration", "event_code", "enterprise_code"),)
