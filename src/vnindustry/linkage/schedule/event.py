"""The scheduler's input and output (slots, tables, participants, requests, the event; meetings and the
schedule), the weight of a request, and the rules of who can meet where: availability and languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Role = Literal["buyer", "supplier"]


@dataclass(frozen=True)
class Slot:
    """A meeting slot: ``minutes`` long from ``start``."""

    id: str
    start: dt.datetime
    minutes: int

    @property
    def end(self) -> dt.datetime:
        """When the slot ends."""
        return self.start + dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Table:
    """A meeting table; ``languages`` are those its interpreter offers (empty: no interpreter)."""

    id: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Participant:
    """A buyer or a supplier; ``available`` holds slot ids (``None``: every slot)."""

    id: str
    role: Role
    name: str
    languages: tuple[str, ...] = ("vi",)
    available: frozenset[str] | None = None


@dataclass(frozen=True)
class Request:
    """A wish to meet: ``priority`` 1 (low) to 3 (high); ``mutual`` when the other side wants it too."""

    buyer: str
    supplier: str
    requested_by: Role
    priority: int = 1
    mutual: bool = False


@dataclass(frozen=True)
class Event:
    """One day of meetings: its slots, tables, participants and requests."""

    id: str
    date: dt.date
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]


@dataclass(frozen=True)
class Meeting:
    """A scheduled meeting."""

    buyer: str
    supplier: str
    slot: str
    table: str


@dataclass(frozen=True)
class Schedule:
    """The solver's answer.

    ``meetings`` are sorted by slot start, then table id; ``unscheduled`` pairs each request not met with the
    reason in words; ``objective`` is the sum of the weights met (confirmed meetings included); ``bound`` is the
    solver's proof that no schedule does better (equal to ``objective`` when ``status`` is ``OPTIMAL``);
    ``seconds`` is the wall time of the whole call.
    """

    meetings: tuple[Meeting, ...]
    unscheduled: tuple[tuple[Request, str], ...]
    objective: float
    status: str
    seconds: float
    bound: float | None = None

    @property
    def gap(self) -> float:
        """Relative gap between ``bound`` and ``objective`` (0 when proven optimal)."""
        if self.bound is None or self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


def weight(request: Request) -> int:
    """The value of meeting ``request``: ``priority × 10 + (5 if mutual else 0)``.

    So priority 3 is worth 30 (35 mutual), 2 worth 20 (25), 1 worth 10 (15): mutual interest ranks a request above
    the one-sided ones of its priority but below every request of the next priority up.
    """
    return request.priority * 10 + (5 if request.mutual else 0)


def _common(a: Iterable[str], b: Iterable[str]) -> bool:
    return bool(set(a) & set(b))


def _covers(table_languages: Iterable[str], buyer: Participant, supplier: Participant) -> bool:
    """Whether a meeting of the two can sit at a table with these interpreter languages."""
    if _common(buyer.languages, supplier.languages):
        return True
    languages = set(table_languages)
    return bool(languages & set(buyer.languages)) and bool(languages & set(supplier.languages))


def _available(person: Participant, slot: str) -> bool:
    return person.available is None or slot in person.available


def _languages(person: Participant) -> str:
    return "/".join(person.languages) or "no language"
