"""What the public may see of the matchmaking events' outcomes (issue 14, item 4): aggregates, never a buyer, a
supplier or one meeting's purchase orders.

Per event and per sector (the supplier's first HS chapter, :func:`vnindustry.linkage.hs.sector`): the meetings
reported on, how many reached each step of the funnel (information → valuable contact → negotiation → agreement,
a meeting counted at its latest stage, as :func:`vnindustry.linkage.outcomes.funnel` counts) and the purchase
orders' total. The rules, the office's confidentiality rules (docs/architecture.md, "Confidentiality") applied
to meetings:

- a sector group of fewer than :data:`MIN_MEETINGS` meetings is not shown: it is merged into "Khác" / "Other";
- a purchase-order total is shown only when it adds up at least :data:`MIN_AGREEMENTS` meetings' orders and no
  one meeting makes more than :data:`MAX_DOMINANCE` of it (otherwise the total would be, or nearly be, one
  meeting's value); a sector failing this is merged into "Other" too, and when "Other" itself fails, the smallest
  remaining sectors join it until it passes (or everything is "Other");
- an event's total failing it is withheld, and when exactly one event's is withheld while the grand total is
  shown, the next smallest event's is withheld too, so no withheld total is the grand total minus the others.

Sectors are counted over all events (one table), events one line each; the two tables share the grand total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine

from vnindustry.linkage.hs import sector
from vnindustry.linkage.outcomes import RESULTS, Outcome, latest
from vnindustry.store import linkage_events as store
from vnindustry.store.linkage import current_profiles

__all__ = ["MAX_DOMINANCE", "MIN_AGREEMENTS", "MIN_MEETINGS", "STEPS", "Line", "PublicOutcomes", "StoredOutcomes",
           "public_outcomes", "read_outcomes", "summarise"]

MIN_MEETINGS = 3
MIN_AGREEMENTS = 3
MAX_DOMINANCE = 0.85
STEPS = RESULTS[1:]  # information, valuable contact, negotiation, agreement: what a meeting may reach


@dataclass(frozen=True)
class Line:
    """One published line: an event, a sector or the total. ``po_value`` is None when withheld."""

    key: str
    label: str
    meetings: int
    reached: dict[str, int]
    po_value: float | None
    date: dt.date | None = None
    venue: str = ""
    scheduled: int | None = None  # meetings in the event's latest stored schedule
    merged: int = 0  # sector groups merged into this line ("Other")
    agreements_valued: int = field(default=0, repr=False)  # meetings with orders (kept for the rules, not shown)

    @property
    def withheld(self) -> bool:
        """Whether the purchase-order total is not published (flag ``c``)."""
        return self.po_value is None

    def pct(self, step: str) -> float:
        """The share of the line's meetings that reached ``step``, in percent."""
        return 100 * self.reached[step] / self.meetings if self.meetings else 0.0


@dataclass(frozen=True)
class PublicOutcomes:
    """The published aggregates: events, sectors (empty when all meetings together are fewer than
    :data:`MIN_MEETINGS`), the total, how many sector groups were merged into "Other", and whether any figure
    comes from synthetic data."""

    events: tuple[Line, ...]
    sectors: tuple[Line, ...]
    total: Line | None
    merged: int
    synthetic: bool


def _value(items: Sequence[Outcome]) -> tuple[float | None, int]:
    """(the orders' total, or None when it may not be shown; the meetings with orders)."""
    values = [o.po_value for o in items if o.po_value > 0]
    if not values:
        return 0.0, 0
    total = sum(values)
    if len(values) < MIN_AGREEMENTS or max(values) > MAX_DOMINANCE * total:
        return None, len(values)
    return total, len(values)


def _line(key: str, label: str, items: Sequence[Outcome], **extra: object) -> Line:
    level = [RESULTS.index(o.result) for o in items]
    reached = {r: sum(1 for v in level if v >= RESULTS.index(r)) for r in STEPS}
    value, valued = _value(items)
    return Line(key, label, len(items), reached, value, agreements_valued=valued, **extra)  # type: ignore[arg-type]


def _publishable(items: Sequence[Outcome]) -> bool:
    return len(items) >= MIN_MEETINGS and _value(items)[0] is not None


def summarise(outcomes: Iterable[Outcome], *, sector_of: Callable[[str], str], other: str, total_label: str,
              events: Mapping[str, tuple[str, dt.date | None, str]] | None = None,
              scheduled: Mapping[str, int] | None = None, synthetic: bool = False) -> PublicOutcomes:
    """The aggregates of ``outcomes`` under the module's rules. ``sector_of(supplier)`` names a supplier's sector
    (``other`` for none); ``events``: code → (name, date, venue); ``scheduled``: code → meetings scheduled."""
    meetings = list(latest(outcomes).values())
    events = events or {}
    scheduled = scheduled or {}
    total = _line("total", total_label, meetings) if meetings else None

    by_event: dict[str, list[Outcome]] = {}
    for o in meetings:
        by_event.setdefault(o.event, []).append(o)
    lines = []
    for code in sorted(by_event, key=lambda c: (events.get(c, ("", None, ""))[1] or dt.date.min, c)):
        name, date, venue = events.get(code, (code, None, ""))
        lines.append(_line(code, name, by_event[code], date=date, venue=venue, scheduled=scheduled.get(code)))
    withheld = [line for line in lines if line.withheld]
    if len(withheld) == 1 and total is not None and not total.withheld:
        shown = [line for line in lines if not line.withheld and line.agreements_valued]
        if shown:
            # Complementary suppression: the smallest other event's total goes too.
            second = min(shown, key=lambda line: (line.agreements_valued, line.po_value, line.key))
            lines = [replace(line, po_value=None) if line is second else line for line in lines]

    sectors: list[Line] = []
    merged = 0
    if total is not None and total.meetings >= MIN_MEETINGS:
        groups: dict[str, list[Outcome]] = {}
        for o in meetings:
            groups.setdefault(sector_of(o.supplier), []).append(o)
        rest = groups.pop(other, [])
        named = {k: v for k, v in groups.items() if _publishable(v)}
        merged = len(groups) - len(named)
        rest += [o for k, v in groups.items() if k not in named for o in v]
        while rest and not _publishable(rest) and named:
            smallest = min(named, key=lambda k: (len(named[k]), k))
            rest += named.pop(smallest)
            merged += 1
        sectors = [_line(k, k, v) for k, v in sorted(named.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        if rest:
            sectors.append(_line(other, other, rest, merged=merged))
    return PublicOutcomes(tuple(lines), tuple(sectors), total, merged, synthetic)


@dataclass(frozen=True)
class StoredOutcomes:
    """What the public aggregates are computed from, as read from the store (:func:`read_outcomes`): the meetings'
    outcomes, the events (code → name, date, venue), the suppliers' HS codes from their latest stored profiles
    (consenting or not: only the sector is used, never shown per supplier) and the meetings scheduled."""

    outcomes: tuple[Outcome, ...]
    events: Mapping[str, tuple[str, dt.date | None, str]]
    hs: Mapping[str, tuple[str, ...]]
    scheduled: Mapping[str, int]
    synthetic: bool

    def public(self, lang: str = "vi") -> PublicOutcomes:
        """The published aggregates, sectors named in ``lang``."""
        return summarise(self.outcomes, sector_of=lambda s: sector(self.hs.get(s, ()), lang),
                         other="Khác" if lang == "vi" else "Other",
                         total_label="Tổng số" if lang == "vi" else "Total", events=self.events,
                         scheduled=self.scheduled, synthetic=self.synthetic)


def read_outcomes(engine: Engine) -> StoredOutcomes:
    """The stored outcomes (latest report of each meeting's stage, as :func:`summarise` takes them) and what
    their aggregates need, in one pass over the store."""
    rows = store.outcomes(engine)
    outcomes = tuple(Outcome(r.event, r.buyer, r.supplier, r.stage, r.result, r.po_value or 0.0) for r in rows)
    stored = {e.code: e for e in store.events(engine)}
    hs = {p.enterprise: tuple(p.data.get("hs", [])) for p in current_profiles(engine)}
    synthetic = any(r.synthetic for r in rows) or any(stored[c].synthetic for c in {r.event for r in rows}
                                                      if c in stored)
    return StoredOutcomes(outcomes, {c: (e.name, e.date, e.venue) for c, e in stored.items()}, hs,
                          store.scheduled_counts(engine), synthetic)


def public_outcomes(engine: Engine, lang: str = "vi") -> PublicOutcomes:
    """The published aggregates of the stored outcomes (latest report of each meeting's stage), sectors named in
    ``lang``; the suppliers' HS codes from their latest stored profiles (consenting or not: only the sector is
    used, never shown per supplier)."""
    return read_outcomes(engine).public(lang)
