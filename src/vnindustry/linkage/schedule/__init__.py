"""Meeting scheduler of a B2B matchmaking event: supplier–buyer meetings in fixed slots at numbered tables.

**What is optimised.** Buyers and suppliers ask to meet each other (:class:`Request`). The schedule maximises
the sum of :func:`weight` over the requests that get a meeting: ``priority × 10``, plus 5 when the interest is
mutual. With these weights one high-priority request (30) outweighs two low ones (10 + 10), and mutual interest
breaks ties within a priority without ever outranking the next priority up.

**Constraints** (all hard):

- each request is met at most once, and a (buyer, supplier) pair has at most one request;
- a participant has at most one meeting per slot;
- a table holds at most one meeting per slot, so a slot holds at most ``len(tables)`` meetings;
- a meeting takes place only in a slot both participants are available (``Participant.available``);
- languages: a meeting may sit at any table when buyer and supplier share a language; otherwise only at a table
  whose interpreter offers a language of each side (buyer ``ja``, supplier ``vi``: a table with ``("vi", "ja")``).
  A table with no languages has no interpreter and serves only pairs that share a language;
- confirmed meetings (``confirmed=``) stay exactly where they are: same slot, same table.

**Solver.** OR-Tools CP-SAT: exact, maintained by Google, wheels on PyPI, and it reports its best bound, so the
gap to the optimum is known even when the time limit stops it; HiGHS would need the same model written as a MIP,
and a greedy pass (highest weight first) can be suboptimal when slots conflict (the tests hold such a case).
The full model has one Boolean per (request, slot) where both sides are free — never per (request, slot, table):
tables without interpreters are interchangeable, and per-table variables would only multiply symmetric optima.
A request whose sides share no language instead gets one Boolean per (request, slot, kind of interpreter table),
a kind being a set of interpreter languages, with the number of free tables of that kind as the capacity. Tables
are then assigned per slot, deterministically: interpreter meetings to the tables of their kind in id order, the
others to the remaining tables, plain tables first (keeping interpreters free for requests added on site), then
by id. This loses nothing: any solution of the model has such an assignment, and each assignment obeys the
language rule. The full model alone is slow to round (10–20 s for 1,000 requests, though its bound is tight), so
:func:`schedule` first solves a small *selection* relaxation (which requests, not when), then places the selected
requests with the full model; placing them all reaches the relaxation's bound, which proves the schedule
optimal, usually within a second or two. Only when they cannot all be placed does the full model run over every
request, started from the best partial placement. ``Schedule.bound`` always holds the proven upper bound.

**Determinism.** By default every run has one worker and a fixed seed, and the time limit is CP-SAT's
*deterministic* time, so the same input gives the same schedule on any machine and under any load. A wall-clock
cap of three times the limit guards against a slow machine; only when that cap stops a search (status
``FEASIBLE`` after far more than ``time_limit`` seconds) can two runs differ. ``workers=2`` or more runs CP-SAT's
parallel portfolio, often faster on hard events, but then which of several equally good schedules comes back
depends on thread timing; CP-SAT's reproducible parallel mode (``interleave_search``) was tried and is several
times slower than one worker here.

**On-site changes.** Someone leaves early, a table loses its interpreter, a new request comes in: edit the
:class:`Event` and solve again with the meetings already announced as ``confirmed``. They are fixed exactly (their
participants are busy and their table taken in that slot, their requests count as met); everything else may move.
A confirmed meeting that the new event no longer allows — a participant unavailable in that slot, an unknown
slot or table, a table whose languages no longer fit, a clash with another confirmed meeting — raises
``ValueError`` naming it, so the organiser decides what to tell whom rather than the solver deciding silently.

**Modules.** ``event`` (the input and output dataclasses, :func:`weight`, the availability and language rules),
``validation`` (checking the event and the confirmed meetings), ``cpsat`` (the CP-SAT models and their time
budget), ``solve`` (:func:`schedule`: the stages, table assignment, reasons), ``sheets`` (:func:`agenda`,
:func:`table_sheet`). Every public name is importable from here.
"""

from vnindustry.linkage.schedule.event import Event, Meeting, Participant, Request, Schedule, Slot, Table, weight
from vnindustry.linkage.schedule.event import Role as Role  # the type of Participant.role
from vnindustry.linkage.schedule.sheets import agenda, table_sheet
from vnindustry.linkage.schedule.solve import schedule

__all__ = [
    "Event",
    "Meeting",
    "Participant",
    "Request",
    "Schedule",
    "Slot",
    "Table",
    "agenda",
    "schedule",
    "table_sheet",
    "weight",
]
