"""Supporting-industry linkage: ``vnindustry linkage match`` (issue 14; formats in docs/linkage.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Annotated

import typer

from vnindustry.cli.common import DbOption, app, console, fail, store_at
from vnindustry.errors import InputError

linkage_app = typer.Typer(no_args_is_help=True, help="Supporting-industry linkage: suppliers, buyers' needs, "
                          "explainable matching (docs/linkage.md).")
app.add_typer(linkage_app, name="linkage")

MATCH_COLUMNS = ("need", "rank", "supplier", "score", "reasons")


def matches_csv(result, lang: str) -> bytes:  # type: ignore[no-untyped-def]
    """``need,rank,supplier,score,reasons`` of a :class:`~vnindustry.linkage.matching.MatchResult` (UTF-8 with
    BOM, so Excel reads the Vietnamese); the score to two decimals (a ranking score, not a statistic)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MATCH_COLUMNS)
    for m in result.matches:
        writer.writerow([m.need, m.rank, m.supplier, f"{m.score:.2f}", m.reasons(lang)])
    return out.getvalue().encode("utf-8-sig")


@linkage_app.command("match")
def match_cmd(
    suppliers_csv: Annotated[Path | None, typer.Argument(help="suppliers.csv: supplier,name,district,ownership,hs,"
                                                              "processes,certifications,capacity,description")]
    = None,
    needs_csv: Annotated[Path | None, typer.Argument(help="needs.csv: need,buyer,title,hs,processes,"
                                                          "certifications,volume,description")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="MATCHES.csv: need,rank,supplier,score,reasons.")]
    = None,
    db: Annotated[str | None, typer.Option("--db", help="Match the store's open needs against its consenting "
                                                       "suppliers instead of two files (a SQLAlchemy URL).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Suppliers kept per need.")] = 10,
    lang: Annotated[str, typer.Option(help="Language of the reasons: vi or en.")] = "vi",
    on: Annotated[str | None, typer.Option(help="Day certificates must be valid on (YYYY-MM-DD); default today.")]
    = None,
) -> None:
    """Rank the suppliers for each need, with the score and its reasons in words.

    From two files: every listed supplier counts as consenting and a certificate without a date as valid; both
    files are read whole before anything is written (a bad line exits 1 naming the file, line and column). With
    --db and no files: the store's open needs against the suppliers that consented to be listed."""
    from vnindustry.files import atomic_write_bytes
    from vnindustry.linkage import match, read_needs, read_suppliers
    from vnindustry.linkage.stored import load_needs, load_suppliers

    if lang not in ("vi", "en"):
        raise typer.BadParameter("use vi or en", param_hint="--lang")
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"'{on}' is not a date YYYY-MM-DD", param_hint="--on") from None
    if out is None:
        raise typer.BadParameter("say where to write the matches", param_hint="--out")
    if (suppliers_csv is None) != (needs_csv is None) or (suppliers_csv is None and db is None):
        raise typer.BadParameter("give SUPPLIERS.csv and NEEDS.csv, or --db without files")
    warnings: list[str] = []
    more: list[str] = []
    try:
        if suppliers_csv is not None and needs_csv is not None:
            suppliers, warnings = read_suppliers(suppliers_csv)
            needs, more = read_needs(needs_csv)
        else:
            engine = store_at(db).engine
            suppliers, needs = load_suppliers(engine, consenting_only=True), load_needs(engine)
    except InputError as exc:
        raise fail(exc) from None
    for warning in [*warnings, *more]:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    result = match(suppliers, needs, on=day, top=top)
    atomic_write_bytes(out, matches_csv(result, lang))
    without = [n.id for n in needs if not result.of(n.id)]
    console.print(f"{len(needs)} needs × {len(suppliers)} suppliers: {len(result.matches)} matches "
                  f"({len(result.excluded)} pairs left out by the filters) → {out}", highlight=False)
    if without:
        console.print(f"No supplier passes the filters for: {', '.join(without)}", highlight=False)


@linkage_app.command("import")
def import_cmd(
    suppliers_csv: Annotated[Path | None, typer.Option("--suppliers", help="suppliers.csv (docs/linkage.md).")]
    = None,
    needs_csv: Annotated[Path | None, typer.Option("--needs", help="needs.csv (docs/linkage.md).")] = None,
    buyers_csv: Annotated[Path | None, typer.Option("--buyers", help="buyers.csv: buyer,name,district,ownership "
                                                                     "(names the needs' buyers).")] = None,
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="Who imports, for the audit log.")] = "import",
) -> None:
    """Store supplier profiles and buyers' needs: a new or changed one becomes a new version (the older kept),
    the same one again stores nothing; both files are read whole first, then stored in one transaction."""
    from vnindustry.linkage.stored import import_csv

    if suppliers_csv is None and needs_csv is None:
        raise typer.BadParameter("give --suppliers and/or --needs")
    try:
        saved_s, saved_n, warnings = import_csv(store_at(db).engine, suppliers_csv, needs_csv, created_by=by,
                                                buyers_csv=buyers_csv)
    except InputError as exc:
        raise fail(exc) from None
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    for what, saved in (("supplier profiles", saved_s), ("needs", saved_n)):
        if saved is not None:
            console.print(f"{what}: {len(saved.created)} new versions, {len(saved.unchanged)} unchanged",
                          highlight=False)


@linkage_app.command("evaluate")
def evaluate_cmd(
    suppliers_csv: Annotated[Path, typer.Argument(help="suppliers.csv")],
    needs_csv: Annotated[Path, typer.Argument(help="needs.csv")],
    relevance_csv: Annotated[Path, typer.Argument(help="relevance.csv: need,supplier,grade (2, 1 or 0).")],
    on: Annotated[str | None, typer.Option(help="Day certificates must be valid on (YYYY-MM-DD); default today.")]
    = None,
) -> None:
    """Recall@5 and nDCG@10 of the matching against needs an expert labelled (docs/linkage.md)."""
    from rich.table import Table

    from vnindustry.linkage import match, read_needs, read_suppliers
    from vnindustry.linkage.evaluation import evaluate, read_relevance

    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"'{on}' is not a date YYYY-MM-DD", param_hint="--on") from None
    try:
        suppliers, _ = read_suppliers(suppliers_csv)
        needs, _ = read_needs(needs_csv)
        labels = read_relevance(relevance_csv)
    except InputError as exc:
        raise fail(exc) from None
    result = evaluate(match(suppliers, needs, on=day, top=None), labels)
    table = Table("need", f"recall@{result.k_recall}", f"nDCG@{result.k_ndcg}")
    for need, (r, n) in result.per_need.items():
        table.add_row(need, f"{r:.2f}", f"{n:.2f}")
    console.print(table)
    console.print(f"{len(labels)} labelled needs × {len(suppliers)} suppliers: recall@{result.k_recall} "
                  f"{result.recall:.3f}, nDCG@{result.k_ndcg} {result.ndcg:.3f}", highlight=False)


@linkage_app.command("localisation")
def localisation_cmd(
    purchases_csv: Annotated[Path, typer.Argument(help="purchases.csv: buyer,period,supplier,hs,value_vnd,"
                                                       "supplier_located_in_vn,supplier_vn_owned")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Shares per buyer and period (CSV).")],
    by: Annotated[str, typer.Option(help="month or year.")] = "year",
    buyers_csv: Annotated[Path | None, typer.Option("--buyers", help="buyers.csv with localisation_target_pct: "
                                                                     "print each buyer's gap.")] = None,
    needs_csv: Annotated[Path | None, typer.Option("--needs", help="needs.csv: the open needs that would close "
                                                                   "each gap.")] = None,
) -> None:
    """Localisation rates per buyer: the share of input value from suppliers located in Viet Nam and, apart,
    from Vietnamese-owned suppliers; with --buyers, each buyer's gap to its target over the latest twelve
    months and (with --needs) which open needs would close it."""
    from rich.table import Table

    from vnindustry.files import atomic_write_bytes
    from vnindustry.linkage.csvfiles import read_buyers
    from vnindustry.linkage.localisation import gap, read_purchases, shares

    if by not in ("month", "year"):
        raise typer.BadParameter("use month or year", param_hint="--by")
    try:
        purchases = read_purchases(purchases_csv)
        buyers = read_buyers(buyers_csv) if buyers_csv else []
        needs = read_needs_or_none(needs_csv)
    except InputError as exc:
        raise fail(exc) from None
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["buyer", "period", "total_vnd", "located_in_vn_vnd", "vn_owned_vnd", "located_in_vn_pct",
                     "vn_owned_pct"])
    for s in shares(purchases, by=by):
        writer.writerow([s.buyer, s.period, f"{s.total:.0f}", f"{s.located_in_vn:.0f}", f"{s.vn_owned:.0f}",
                         repr(s.located_pct), repr(s.vn_owned_pct)])
    atomic_write_bytes(out, buf.getvalue().encode("utf-8-sig"))
    console.print(f"{len(purchases):,} purchases → {out}", highlight=False)
    declared = {p.buyer for p in purchases}
    if buyers:
        table = Table("buyer", "months", "located in VN %", "VN-owned %", "target %", "gap (points)",
                      "needs that close it")
        for b in buyers:
            if b.id not in declared:
                continue
            g = gap(purchases, b, needs)
            closing = ", ".join(f"{n} → {after:.1f}%" for n, _, after in g.needs) if needs else ""
            table.add_row(b.id, f"{g.start}…{g.end}", f"{g.located_pct:.1f}", f"{g.vn_owned_pct:.1f}",
                          "" if b.target_pct is None else f"{b.target_pct:g}",
                          "" if g.gap_pct is None else f"{g.gap_pct:.1f}", closing)
        console.print(table)


def read_needs_or_none(path: Path | None):  # type: ignore[no-untyped-def]
    """The needs of ``path`` (warnings dropped: the localisation reads only their HS codes), or []."""
    from vnindustry.linkage import read_needs

    return read_needs(path)[0] if path is not None else []


@linkage_app.command("schedule")
def schedule_cmd(
    event_dir: Annotated[Path | None, typer.Argument(help="The event folder: event.csv, slots.csv, tables.csv, "
                                                          "participants.csv, requests.csv (docs/linkage.md).")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for schedule.csv, unscheduled.csv, "
                                                                 "agendas.xlsx and agendas.pdf.")] = None,
    confirmed: Annotated[Path | None, typer.Option(help="An earlier schedule.csv: its meetings stay where they are "
                                                        "(on-site changes).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the agendas: vi or en.")] = "vi",
    time_limit: Annotated[float, typer.Option(min=0.1, help="Solver time limit (deterministic seconds).")] = 10.0,
    event_code: Annotated[str | None, typer.Option("--event", help="A stored event (with --db): its folder's "
                                                                   "requests and the portal's; the schedule is "
                                                                   "stored as its next version.")] = None,
    db: DbOption = None,
) -> None:
    """Schedule a matchmaking event's meetings (OR-Tools CP-SAT): the requested meetings weighted by priority and
    mutual interest, one meeting per person per slot, tables, availability and interpreters respected; print the
    agendas per participant and per table."""
    from vnindustry.linkage.events import read_confirmed, read_event, write_schedule
    from vnindustry.linkage.schedule import schedule
    from vnindustry.linkage.stored_events import load_event, store_schedule

    if lang not in ("vi", "en"):
        raise typer.BadParameter("use vi or en", param_hint="--lang")
    if (event_dir is None) == (event_code is None):
        raise typer.BadParameter("give EVENT_DIR, or --event CODE with --db")
    if out is None:
        raise typer.BadParameter("say where to write the schedule and agendas", param_hint="--out")
    try:
        if event_dir is not None:
            event, info = read_event(event_dir)
        else:
            found = load_event(store_at(db).engine, str(event_code))
            if found is None:
                raise InputError(f"no stored event {event_code}", fix="import it with 'linkage import-event'")
            event, info = found
        fixed = read_confirmed(confirmed) if confirmed is not None else []
        result = schedule(event, confirmed=fixed, time_limit=time_limit)
        if event_code is not None:
            store_schedule(store_at(db).engine, event.id, result, created_by="cli")
    except InputError as exc:
        raise fail(exc) from None
    except ValueError as exc:  # an unknown participant, a confirmed meeting the event no longer allows …
        raise fail(InputError(str(exc), file=event_dir or event_code, fix="correct the event, or drop the meeting "
                                                                           "from --confirmed")) from None
    written = write_schedule(result, event, info, out, lang=lang)
    gap = f", gap {100 * result.gap:.1f}%" if result.gap else ""
    console.print(f"{info.name}: {len(result.meetings)} meetings of {len(event.requests)} requests "
                  f"({result.status}{gap}, {result.seconds:.1f} s); {len(result.unscheduled)} not scheduled → "
                  f"{', '.join(p.name for p in written)} in {out}", highlight=False)


@linkage_app.command("funnel")
def funnel_cmd(
    outcomes_csv: Annotated[Path, typer.Argument(help="outcomes.csv: event,buyer,supplier,stage,result,"
                                                      "po_value_vnd")],
    by: Annotated[str, typer.Option(help="event, buyer, sector (needs --suppliers) or all.")] = "event",
    suppliers_csv: Annotated[Path | None, typer.Option("--suppliers", help="suppliers.csv, for --by sector.")]
    = None,
    lang: Annotated[str, typer.Option(help="vi or en.")] = "vi",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the funnel as CSV too.")] = None,
) -> None:
    """What came of the meetings: for each result (no contact → agreement), the meetings that reached it or a
    later one, and the purchase-order value, per event, buyer or sector."""
    from rich.table import Table

    from vnindustry.files import atomic_write_bytes
    from vnindustry.linkage import read_suppliers
    from vnindustry.linkage.hs import sector
    from vnindustry.linkage.outcomes import RESULT_NAMES, RESULTS, funnel, read_outcomes

    if by not in ("event", "buyer", "sector", "all"):
        raise typer.BadParameter("use event, buyer, sector or all", param_hint="--by")
    if by == "sector" and suppliers_csv is None:
        raise typer.BadParameter("--by sector needs --suppliers", param_hint="--suppliers")
    try:
        outcomes = read_outcomes(outcomes_csv)
        hs = {s.id: s.hs for s in read_suppliers(suppliers_csv)[0]} if suppliers_csv else {}
    except InputError as exc:
        raise fail(exc) from None
    rows = funnel(outcomes, by=by, sector_of=lambda s: sector(hs.get(s, ()), lang))
    names = [RESULT_NAMES[r][0 if lang == "vi" else 1] for r in RESULTS]
    table = Table(by, "meetings" if lang == "en" else "cuộc gặp", *names[1:], "PO (VND bn)" if lang == "en"
                  else "Đơn hàng (tỷ đồng)")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([by, "meetings", *RESULTS[1:], "po_value_vnd"])
    for f in rows:
        table.add_row(f.group, str(f.meetings), *(str(f.reached[r]) for r in RESULTS[1:]), f"{f.po_value / 1e9:,.1f}")
        writer.writerow([f.group, f.meetings, *(f.reached[r] for r in RESULTS[1:]), f"{f.po_value:.0f}"])
    console.print(table)
    if out is not None:
        atomic_write_bytes(out, buf.getvalue().encode("utf-8-sig"))
