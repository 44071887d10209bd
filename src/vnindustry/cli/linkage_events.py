"""``vnindustry linkage import-event | import-outcomes | import-purchases``: events, their schedules, the
meetings' outcomes and buyers' purchases into the store (issue 14, items 4 and 5; formats in docs/linkage.md).

Each command reads its files whole first: a bad line exits 1 naming the file, line and column, and nothing is
stored. Then one transaction stores what is new; the same files again store nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vnindustry.cli.common import DbOption, console, fail, store_at
from vnindustry.cli.linkage import linkage_app
from vnindustry.errors import InputError

ByOption = Annotated[str, typer.Option(help="Who imports, for the audit log.")]
SyntheticOption = Annotated[bool, typer.Option("--synthetic", help="Mark what is stored as synthetic (made-up) "
                                                                   "data; a folder with a SYNTHETIC file is anyway.")]


@linkage_app.command("import-event")
def import_event_cmd(
    event_dir: Annotated[Path, typer.Argument(help="The event folder: event.csv, slots.csv, tables.csv, "
                                                   "participants.csv, requests.csv (docs/linkage.md).")],
    schedule_csv: Annotated[Path | None, typer.Option("--schedule", help="OUT/schedule.csv written by "
                                                                         "'linkage schedule': stored as the event's "
                                                                         "next schedule version if it changed.")]
    = None,
    db: DbOption = None,
    by: ByOption = "import",
    synthetic: SyntheticOption = False,
) -> None:
    """Store a matchmaking event (and its schedule): the event is created or brought up to date; a schedule that
    differs from the latest stored one becomes the next version, the older ones kept."""
    from vnindustry.linkage.stored_events import import_event_folder

    try:
        saved = import_event_folder(store_at(db).engine, event_dir, schedule_csv=schedule_csv, created_by=by,
                                    synthetic=synthetic)
    except InputError as exc:
        raise fail(exc) from None
    words = {"created": "stored", "changed": "updated", "unchanged": "unchanged"}[saved.event]
    line = f"event {saved.code}: {words}"
    if schedule_csv is not None:
        line += (f"; schedule version {saved.schedule_version} stored" if saved.new_schedule
                 else f"; schedule unchanged (version {saved.schedule_version})")
    console.print(line, highlight=False, soft_wrap=True)


@linkage_app.command("import-outcomes")
def import_outcomes_cmd(
    outcomes_csv: Annotated[Path, typer.Argument(help="outcomes.csv: event,buyer,supplier,stage,result,"
                                                      "po_value_vnd (the events must be stored first).")],
    db: DbOption = None,
    by: ByOption = "import",
    synthetic: SyntheticOption = False,
) -> None:
    """Store what came of the meetings: each report that differs from the latest one of its meeting and stage
    is a new row (history kept); the funnel on /linkage/outcomes counts the latest."""
    from vnindustry.linkage.stored_events import import_outcomes

    try:
        saved = import_outcomes(store_at(db).engine, outcomes_csv, created_by=by, synthetic=synthetic)
    except InputError as exc:
        raise fail(exc) from None
    console.print(f"outcomes: {saved.stored} new reports, {saved.unchanged} unchanged", highlight=False, soft_wrap=True)


@linkage_app.command("import-purchases")
def import_purchases_cmd(
    purchases_csv: Annotated[Path, typer.Argument(help="purchases.csv: buyer,period,supplier,hs,value_vnd,"
                                                       "supplier_located_in_vn,supplier_vn_owned")],
    buyers_csv: Annotated[Path | None, typer.Option("--buyers", help="buyers.csv with localisation_target_pct: "
                                                                     "store each buyer's target.")] = None,
    db: DbOption = None,
    by: ByOption = "import",
    synthetic: SyntheticOption = False,
) -> None:
    """Store buyers' declared purchases, one batch per buyer (the latest batch covering a month counts; the same
    file again stores nothing), and with --buyers their localisation targets."""
    from vnindustry.linkage.stored_events import import_purchases

    try:
        saved, targets = import_purchases(store_at(db).engine, purchases_csv, buyers_csv, created_by=by,
                                          synthetic=synthetic)
    except InputError as exc:
        raise fail(exc) from None
    new = ", ".join(b for b, _ in saved.batches) or "–"
    console.print(f"purchases: {len(saved.batches)} new batches ({new}), {len(saved.unchanged)} buyers unchanged; "
                  f"targets: {len(targets)} changed", highlight=False, soft_wrap=True)
