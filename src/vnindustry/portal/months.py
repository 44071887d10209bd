"""A reporting month's state, decided in one place for every page and API route that shows it (issue 13).

A month is, on Vietnam's date ``today``:

- **published** — closed (a closure) or carried by a release of the city's IIP (the demo's
  history, an imported compile), and its publication date has come: ``publish_on`` is that date;
- **scheduled** — closed the same way, but its publication date is still ahead (the figures are embargoed);
- **open** — receiving reports: the month has ended and is neither closed nor published;
- **not_open** — the current month or a later one: not offered for reporting until it has ended.

The reporting window opens the day after the month ends (:func:`opens_on`); a statistician may close the month
from :func:`vnindustry.portal.review.closable_from` on (setting ``close_opens_day``: day 1 of the next month by
default, i.e. as soon as the window has opened — issue 12's rule). A closure left without its release by a crash
still counts as closed (submissions are refused) until :func:`vnindustry.portal.review.recover_closures` or the
next close reopens the month.

:func:`month_states` reads everything it needs in one connection, for any number of months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, select

from vnindustry.periods import month_code, parse_month
from vnindustry.portal import review
from vnindustry.store.tables import MONTH_CLOSURES

STATES = ("published", "scheduled", "open", "not_open")
RECENT_OPEN = 3  # the enterprise's page offers the open months among the last 3 that have ended


@dataclass(frozen=True)
class MonthState:
    """One month's state (see the module docstring); ``publish_on``: its publication date (published or
    scheduled), ``opens_on``: the first day reports are accepted, ``closable_from``: the first day it may be
    closed."""

    period: str
    state: str
    publish_on: dt.date | None
    opens_on: dt.date
    closable_from: dt.date

    @property
    def accepts_reports(self) -> bool:
        """Whether an enterprise may send or change its report (only an open month)."""
        return self.state == "open"

    @property
    def closed(self) -> bool:
        """Published or scheduled: closed to enterprises' reports."""
        return self.state in ("published", "scheduled")


def opens_on(period: str) -> dt.date:
    """The first day month ``period`` takes reports: the first day of the next month."""
    key = parse_month(period)
    if key is None:
        raise ValueError(f"{period!r} is not a month (YYYY-MM)")
    nxt = key + 1
    return dt.date(nxt // 12, nxt % 12 + 1, 1)


def decide(period: str, publish_on: dt.date | None, today: dt.date) -> MonthState:
    """The state of ``period`` given its publication date (None: not closed nor published) and today's date —
    the rule itself, without the database."""
    month = month_code(parse_month(period))  # type: ignore[arg-type]
    starts = opens_on(month)
    if publish_on is not None:
        state = "published" if publish_on <= today else "scheduled"
    else:
        state = "open" if today >= starts else "not_open"
    return MonthState(month, state, publish_on, starts, review.closable_from(month))


def month_states(engine: Engine | object, periods: Iterable[str], *, today: dt.date | None = None,
                 source: str = "city") -> dict[str, MonthState]:
    """The state of each of ``periods`` (``YYYY-MM``) on ``today`` (Vietnam's date by default): closures with
    their release and the releases of ``source``'s IIP decide what is published, with the earliest date."""
    wanted = sorted({month_code(k) for k in (parse_month(str(p)) for p in periods) if k is not None})
    today = today or review._today()
    c = MONTH_CLOSURES.c
    with review._reading(engine) as conn:
        dates = dict(review._published_months(conn, source))
        # Every closure counts, even one a crash left without its release: submissions are refused until the next
        # close or recover_closures reopens it, so the page must not offer the month meanwhile.
        for period, day in conn.execute(select(c.period, c.publish_on)).all():
            dates[period] = min(day, dates.get(period, day))
    return {p: decide(p, dates.get(p), today) for p in wanted}


def month_state(engine: Engine | object, period: str, *, today: dt.date | None = None,
                source: str = "city") -> MonthState:
    """The state of one month (:func:`month_states`)."""
    key = parse_month(str(period))
    if key is None:
        raise ValueError(f"{period!r} is not a month (YYYY-MM)")
    return month_states(engine, [period], today=today, source=source)[month_code(key)]


def current_month(today: dt.date | None = None) -> MonthState:
    """The month under way on ``today`` (Vietnam's date by default): never open, it opens when it ends."""
    today = today or review._today()
    return decide(f"{today.year:04d}-{today.month:02d}", None, today)


def offered_months(engine: Engine | object, *, today: dt.date | None = None, reported: Iterable[str] = (),
                   source: str = "city") -> list[MonthState]:
    """The months an enterprise's page offers for reporting, newest first: the open ones among the last
    :data:`RECENT_OPEN` that have ended, and any other open month the enterprise has reported (to correct it)."""
    today = today or review._today()
    current = today.year * 12 + today.month - 1
    recent = [month_code(k) for k in range(current - 1, current - 1 - RECENT_OPEN, -1)]
    states = month_states(engine, [*recent, *reported], today=today, source=source)
    return sorted((s for s in states.values() if s.state == "open"), key=lambda s: s.period, reverse=True)
