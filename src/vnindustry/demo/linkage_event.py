"""A synthetic past matchmaking event of the demo (issue 14), built from the demo's needs and their matches.

SYNTHETIC: invented participants. :func:`generate_event` writes an event folder in the format of
:mod:`vnindustry.linkage.events` — the demo's buyers and, for each of their open needs, the suppliers the matching
ranks first — and ``outcomes.csv``, what came of each meeting (:mod:`vnindustry.linkage.outcomes`), drawn so that
the funnel narrows the way reverse trade fairs report it: most meetings bring information, fewer a valuable
contact, some a negotiation, a few an agreement with a purchase order within six months.

Requests: each buyer asks for the first five suppliers of each of its needs (priority 3 for the first two, 2 for
the next two, 1 for the fifth); one supplier in three of those also asks for the buyer (mutual), and a few
suppliers ask for buyers they were not matched to. Languages: the FDI buyers speak English and some Japanese or
Korean, a few Vietnamese; most suppliers speak Vietnamese only, some English too; eight tables have
interpreters (six English, one Japanese, one Korean).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vnindustry.linkage.matching import MatchResult
from vnindustry.linkage.profiles import Need, Supplier

__all__ = ["EVENT_DATE", "EVENT_ID", "DemoEvent", "draw_outcomes", "generate_event"]

EVENT_ID = "E2026-05"
EVENT_DATE = dt.date(2026, 5, 21)  # the demo's past event (its +3 and +6 months outcomes are in)
_SLOTS = 16
_TABLES = 20
_STAGES = ("meeting", "3m", "6m")
_RESULTS = ("no_contact", "information", "valuable_contact", "negotiation", "agreement")


@dataclass(frozen=True)
class DemoEvent:
    """The folder written and what it holds."""

    folder: Path
    participants: int
    requests: int


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def generate_event(folder: Path, suppliers: Sequence[Supplier], needs: Sequence[Need], buyers: dict[str, str],
                   matches: MatchResult, *, seed: int = 2020) -> DemoEvent:
    """Write the event folder and ``outcomes.csv`` into ``folder``; ``buyers``: id → name."""
    rng = np.random.default_rng(seed + 14)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SYNTHETIC").write_text("Synthetic matchmaking event of the vnindustry demo (invented participants).\n",
                                      encoding="utf-8")
    _write(folder / "event.csv", ("event", "date", "name", "venue"),
           [(EVENT_ID, EVENT_DATE.isoformat(), "Hội chợ kết nối cung cầu công nghiệp hỗ trợ 2026 (dữ liệu giả lập)",
             "Trung tâm Hội chợ và Triển lãm Sài Gòn (SECC)")])
    start = dt.datetime.combine(EVENT_DATE, dt.time(8, 30))
    slots = []
    for i in range(_SLOTS):
        at = start + dt.timedelta(minutes=25 * i + (60 if i >= 8 else 0))  # lunch after the eighth slot
        slots.append((f"T{i + 1:02d}", f"{at:%Y-%m-%d %H:%M}", 20))
    _write(folder / "slots.csv", ("slot", "start", "minutes"), slots)
    # Most FDI buyers need an interpreter with a Vietnamese-only supplier: the organiser staffs English at six
    # tables, Japanese and Korean at one each.
    tables = ([(f"A{i + 1:02d}", "") for i in range(_TABLES - 8)] + [(f"E{i + 1:02d}", "vi;en") for i in range(6)]
              + [("J01", "vi;ja"), ("K01", "vi;ko")])
    _write(folder / "tables.csv", ("table", "languages"), tables)

    by_supplier = {s.id: s for s in suppliers}
    wanted: dict[tuple[str, str], list[object]] = {}  # (buyer, supplier) → [requested_by, priority, mutual]
    for need in needs:
        for m in matches.of(need.id)[:5]:
            priority = 3 if m.rank <= 2 else 2 if m.rank <= 4 else 1
            key = (need.buyer, m.supplier)
            if key in wanted:
                wanted[key][1] = max(int(wanted[key][1]), priority)  # type: ignore[call-overload]
                continue
            wanted[key] = ["buyer", priority, bool(rng.random() < 1 / 3)]
    buyer_ids = sorted({n.buyer for n in needs})
    invited = sorted({s for _, s in wanted})
    for supplier in rng.choice(invited, size=max(1, len(invited) // 10), replace=False).tolist():
        buyer = str(rng.choice(buyer_ids))
        wanted.setdefault((buyer, str(supplier)), ["supplier", 2, False])
    languages_b = {b: ("en", "ja") if rng.random() < 0.25 else ("en", "ko") if rng.random() < 0.15 else
                   ("vi", "en") if rng.random() < 0.3 else ("en",) for b in buyer_ids}
    people = []
    for b in buyer_ids:
        away = ";".join(f"T{i:02d}" for i in range(13, 17)) if rng.random() < 0.15 else ""
        people.append((b, "buyer", buyers.get(b, b), ";".join(languages_b[b]), away))
    for s in invited:
        languages = "vi;en" if rng.random() < 0.35 else "vi"
        away = ";".join(f"T{i:02d}" for i in range(1, 5)) if rng.random() < 0.1 else ""
        people.append((s, "supplier", by_supplier[s].name, languages, away))
    _write(folder / "participants.csv", ("participant", "role", "name", "languages", "unavailable"), people)
    requests = [(b, s, side, p, int(mutual)) for (b, s), (side, p, mutual) in sorted(wanted.items())]
    _write(folder / "requests.csv", ("buyer", "supplier", "requested_by", "priority", "mutual"), requests)
    return DemoEvent(folder, len(people), len(requests))


def draw_outcomes(folder: Path, meetings: Sequence[tuple[str, str]], *, seed: int = 2020) -> int:
    """Write ``outcomes.csv`` for ``meetings`` ((buyer, supplier) pairs that met): each meeting's result on the
    day, at +3 and at +6 months (a stage never goes back), with the purchase-order value of an agreement."""
    rng = np.random.default_rng(seed + 15)
    on_day = (0.10, 0.55, 0.30, 0.05, 0.0)  # no contact, information, valuable contact, negotiation, agreement
    rows = []
    for buyer, supplier in meetings:
        stage = int(rng.choice(5, p=on_day))
        for i, when in enumerate(_STAGES):
            # later: some move on, none goes back
            if i and stage in (2, 3) and rng.random() < (0.35 if stage == 2 else 0.45):
                stage += 1
            value = int(round(rng.lognormal(np.log(2.5e9), 0.8), -6)) if stage == 4 else ""
            rows.append((EVENT_ID, buyer, supplier, when, _RESULTS[stage], value))
    _write(folder / "outcomes.csv", ("event", "buyer", "supplier", "stage", "result", "po_value_vnd"), rows)
    return len(rows)
