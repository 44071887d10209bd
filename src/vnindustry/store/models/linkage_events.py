"""Matchmaking events (their versions, meetings, requests and registrations), meeting outcomes and the
buyers' declared purchases and localisation targets.

The ORM classes of the tables in :mod:`vnindustry.store.tables.linkage_events` (their columns are the tables)."""

from __future__ import annotations

from vnindustry.store.models.base import Base
from vnindustry.store.tables.linkage_events import (
    BUYER_PURCHASES,
    BUYER_TARGETS,
    EVENT_MEETINGS,
    EVENT_REGISTRATIONS,
    LINKAGE_EVENT_VERSIONS,
    LINKAGE_EVENTS,
    MEETING_OUTCOMES,
    MEETING_REQUESTS,
    PURCHASE_BATCHES,
)


class LinkageEvent(Base):
    """A matchmaking event: its day, name and venue, and the whole event folder (slots, tables, participants,
    requests) as JSON (linkage.stored_events.event_json)."""

    __table__ = LINKAGE_EVENTS


class EventMeeting(Base):
    """A meeting of one schedule version of an event; ``slot_start`` is the event's local time, as the folder
    writes it."""

    __table__ = EVENT_MEETINGS


class MeetingOutcome(Base):
    """One report of what came of a meeting at one stage (meeting, 3m, 6m); the latest by id of each (event,
    buyer, supplier, stage) counts."""

    __table__ = MEETING_OUTCOMES


class PurchaseBatch(Base):
    """One buyer's purchases as declared in one file; the same file again (its checksum) stores nothing."""

    __table__ = PURCHASE_BATCHES


class BuyerPurchase(Base):
    """A declared input purchase (a buyer's month, one supplier, one HS code, VND); the latest batch covering a
    (buyer, period) is the one that counts."""

    __table__ = BUYER_PURCHASES


class BuyerTarget(Base):
    """A buyer's localisation target (% of input value bought in Viet Nam) as set on a day; the latest wins."""

    __table__ = BUYER_TARGETS


class LinkageEventVersion(Base):
    """An earlier state of a matchmaking event, kept when the organiser's folder changes (issue 14): the event's
    row holds the latest, this table every state it replaced, so nothing submitted is lost."""

    __table__ = LINKAGE_EVENT_VERSIONS


class MeetingRequest(Base):
    """A meeting asked for through the portal at an event: who asked (buyer or supplier side), whom, with what
    priority; withdrawing it is a later row with ``withdrawn`` true (the latest row of a pair and side counts)."""

    __table__ = MEETING_REQUESTS


class EventRegistration(Base):
    """An enterprise registered itself for a matchmaking event through the portal, as a buyer or a supplier,
    with the languages it speaks; withdrawing is a later row (the latest row of an event and enterprise counts).
    Registrants join the organiser's participants when the event is read (linkage.stored_events.load_event)."""

    __table__ = EVENT_REGISTRATIONS
