"""Time the B2B meeting scheduler (``vnindustry.linkage.schedule``) on a synthetic matchmaking day.

    python benchmarks/bench_schedule.py [--buyers 30] [--suppliers 300] [--requests 1000] [--seed 2025]
                                        [--workers 0] [--time-limit 10] [--onsite]

The event looks like a supporting-industry fair in Ho Chi Minh City: 16 slots of 20 minutes from 08:30, 30 tables
(three with en, two with ja, one with ko interpreters, the rest plain), buyers mostly foreign (Japanese, Korean,
English-speaking, some Vietnamese), suppliers Vietnamese, about a third of them also speaking English; 10% of
participants unavailable for a few slots (late arrival, early departure, a few slots away); requests drawn with
popular suppliers more often asked for, priorities 1–3 and 20% mutual. ``--onsite`` also times a re-solve after
an on-site change: the meetings of the first hour confirmed, one buyer leaving at 11:00 and up to ten new
requests of priority 3.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import sys
import time

import numpy as np

from vnindustry.linkage.schedule import Event, Participant, Request, Schedule, Slot, Table, schedule

DAY = dt.date(2025, 11, 20)


def build(rng: np.random.Generator, buyers: int, suppliers: int, requests: int) -> Event:
    """A synthetic event (see the module docstring)."""
    start = dt.datetime.combine(DAY, dt.time(8, 30))
    slots = tuple(Slot(f"T{i + 1:02d}", start + dt.timedelta(minutes=20 * i), 20) for i in range(16))
    ids = [s.id for s in slots]
    interpreters = [("vi", "en")] * 3 + [("vi", "ja")] * 2 + [("vi", "ko")]
    tables = tuple(Table(f"B{i + 1:02d}", interpreters[i] if i < len(interpreters) else ()) for i in range(30))

    def availability() -> frozenset[str] | None:
        if rng.random() >= 0.10:
            return None
        kind = rng.integers(3)
        if kind == 0:  # arrives late
            return frozenset(ids[int(rng.integers(2, 6)):])
        if kind == 1:  # leaves early
            return frozenset(ids[:int(rng.integers(10, 14))])
        gone = set(rng.choice(16, size=int(rng.integers(2, 5)), replace=False).tolist())
        return frozenset(s for i, s in enumerate(ids) if i not in gone)

    buyer_languages = [("ja",), ("ja", "en"), ("ko",), ("ko", "en"), ("en",), ("vi", "en"), ("vi",)]
    people = [Participant(f"B{i + 1:03d}", "buyer", f"Buyer {i + 1}",
                          buyer_languages[int(rng.choice(7, p=[0.2, 0.15, 0.1, 0.1, 0.15, 0.15, 0.15]))],
                          availability()) for i in range(buyers)]
    people += [Participant(f"S{i + 1:03d}", "supplier", f"Nhà cung cấp {i + 1}",
                           ("vi", "en") if rng.random() < 0.35 else ("vi",), availability()) for i in range(suppliers)]
    popularity = rng.pareto(1.5, suppliers) + 1
    popularity /= popularity.sum()
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < min(requests, buyers * suppliers):
        pairs.add((int(rng.integers(buyers)), int(rng.choice(suppliers, p=popularity))))
    wishes = tuple(Request(f"B{b + 1:03d}", f"S{s + 1:03d}", "buyer" if rng.random() < 0.6 else "supplier",
                           int(rng.choice([1, 2, 3], p=[0.5, 0.3, 0.2])), bool(rng.random() < 0.2))
                   for b, s in sorted(pairs))
    return Event("HCMC-SI-2025", DAY, slots, tables, tuple(people), wishes)


def report(label: str, result: Schedule, seconds: float) -> None:
    """One line: time, status, counts, objective and the solver's bound."""
    gap = f", gap {100 * result.gap:.2f}%" if result.bound is not None else ""
    print(f"{label}: {seconds:.2f} s, {result.status}, {len(result.meetings)} meetings, "
          f"{len(result.unscheduled)} unscheduled, objective {result.objective:.0f}, bound "
          f"{result.bound if result.bound is None else f'{result.bound:.0f}'}{gap}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--buyers", type=int, default=30)
    ap.add_argument("--suppliers", type=int, default=300)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--workers", type=int, default=0, help="CP-SAT workers (default 0: min(CPUs, 8))")
    ap.add_argument("--time-limit", type=float, default=10.0, help="CP-SAT deterministic seconds (default 10)")
    ap.add_argument("--onsite", action="store_true", help="also time a re-solve after an on-site change")
    args = ap.parse_args()
    event = build(np.random.default_rng(args.seed), args.buyers, args.suppliers, args.requests)
    print(f"{args.buyers} buyers, {args.suppliers} suppliers, {len(event.requests)} requests, "
          f"{len(event.slots)} slots, {len(event.tables)} tables; {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}, "
          f"Python {sys.version.split()[0]}")

    start = time.perf_counter()
    result = schedule(event, time_limit=args.time_limit, workers=args.workers)
    report("schedule", result, time.perf_counter() - start)
    reasons: dict[str, int] = {}
    for _, reason in result.unscheduled:
        key = reason.split(":")[0] if ":" in reason else "no free slot in common"
        reasons[key] = reasons.get(key, 0) + 1
    print("  unscheduled by reason: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))

    if args.onsite:
        first_hour = {s.id for s in event.slots[:3]}
        confirmed = [m for m in result.meetings if m.slot in first_hour]
        leaving = event.participants[0].id
        people = tuple(dataclasses.replace(p, available=frozenset(s.id for s in event.slots if s.start.hour < 11))
                       if p.id == leaving else p for p in event.participants)
        asked = {(r.buyer, r.supplier) for r in event.requests}
        extra = [Request(f"B{b:03d}", f"S{s:03d}", "buyer", 3) for b, s in zip(range(2, 30, 3), range(7, 300, 29),
                                                                            strict=False)
                 if (f"B{b:03d}", f"S{s:03d}") not in asked]
        changed = dataclasses.replace(event, participants=people, requests=event.requests + tuple(extra))
        start = time.perf_counter()
        again = schedule(changed, confirmed=confirmed, time_limit=args.time_limit, workers=args.workers)
        report(f"on-site re-solve ({len(confirmed)} confirmed, {len(extra)} new requests)", again,
               time.perf_counter() - start)


if __name__ == "__main__":
    main()
