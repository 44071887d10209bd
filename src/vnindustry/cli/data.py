"""Build and fill the store: compile a dataset, the demo, GSO workbooks and history, the register."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from vnindustry import settings
from vnindustry.cli.common import (
    DbOption,
    ReleaseDateOption,
    StatusOption,
    app,
    console,
    fail,
    freeze_at_exit,
    parse_release_date,
    print_import,
    store_at,
)
from vnindustry.compile.outputs import OutputFormat
from vnindustry.errors import InputError


@app.command("compile")
def compile_cmd(
    dataset: Annotated[Path, typer.Argument(
        help="Dataset folder (industries.csv, products.csv, production.csv|parquet …).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (created if missing).")] = None,
    db: DbOption = None,
    status: StatusOption = "estimate",
    release_date: ReleaseDateOption = None,
    max_impute_gap: Annotated[int | None, typer.Option(
        help=settings.setting("max_impute_gap").help + " [env VNINDUSTRY_MAX_IMPUTE_GAP; default 3]")] = None,
    suspicious_ratio: Annotated[float | None, typer.Option(
        help=settings.setting("suspicious_ratio").help + " [env VNINDUSTRY_SUSPICIOUS_RATIO; default 10]")] = None,
    headline: Annotated[bool, typer.Option("--headline", help="Also print the Vietnamese headline paragraph.")] = False,
    fmt: Annotated[OutputFormat, typer.Option(
        "--format", help="csv, or parquet for the large tables (products, imputed cells); iip.csv and "
                         "validation.csv stay CSV.")] = OutputFormat.CSV,
) -> None:
    """Compile the monthly IIP of DATASET into OUT/ (iip.csv, products.csv, validation.csv, imputed.csv,
    compile.json) and/or into the store (--db) as a release of source "city"."""
    from vnindustry.compile.engine import compile_dataset

    if out is None and db is None:
        raise typer.BadParameter("give --out DIR, --db URL or both", param_hint="--out/--db")
    # The statuses from where they are defined, not through the store's package, which loads SQLAlchemy (0.3–0.5 s
    # of a compile without --db).
    from vnindustry.sources.gso.records import STATUSES

    if status not in STATUSES:
        raise typer.BadParameter(f"use one of {', '.join(STATUSES)}", param_hint="--status")
    released = parse_release_date(release_date)
    # Not short_lived: the collector stays on during a compile that holds gigabytes; only the exit skips it.
    freeze_at_exit()
    started = time.perf_counter()
    try:
        result = compile_dataset(dataset, max_impute_gap=max_impute_gap, suspicious_ratio=suspicious_ratio)
    except (InputError, ValueError) as exc:
        raise fail(exc) from None
    s = result.stats
    console.print(
        f"Compiled {s['production_rows']:,} production rows, {s['periods'][0]}…{s['periods'][1]}, "
        f"{s['imputed_cells']:,} imputed cells, {s['warnings']:,} warnings in "
        f"{time.perf_counter() - started:.1f} s",
        highlight=False,
    )
    if out is not None:
        files = result.write(out, fmt)
        console.print(f"Wrote {', '.join(str(f) for f in files)}", highlight=False)
    if db is not None:
        from vnindustry.store.compiled import store_compile

        try:
            summary = store_compile(store_at(db), result, status=status, released_on=released)
        except InputError as exc:
            raise fail(exc) from None
        print_import(summary)
    if headline:
        from vnindustry.publish.headline import headline_vi

        typer.echo(headline_vi(result.table))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for the demo dataset; output goes to OUT/output.")] = Path("demo-city"),
    seed: Annotated[int, typer.Option(help="Random seed (the same seed gives the same city).")] = 2020,
    enterprises: Annotated[int, typer.Option(min=100, help="Number of enterprises (at least 100).")] = 1500,
    bulletins: Annotated[bool, typer.Option(
        help="Also store the result in OUT/vnindustry.db and write the bulletin in every format.")] = True,
) -> None:
    """Generate the synthetic demo city, compile its IIP, store it with GSO's sample figures (retail, trade),
    write the bulletins, print the headline."""
    from vnindustry.compile.engine import compile_dataset
    from vnindustry.demo.city import generate_city
    from vnindustry.publish.headline import headline_vi

    started = time.perf_counter()
    generate_city(out, seed=seed, n_enterprises=enterprises)
    generated = time.perf_counter()
    try:
        result = compile_dataset(out)
    except InputError as exc:  # the generator should never produce bad input
        raise fail(exc) from None
    result.write(out / "output")
    s = result.stats
    console.print(
        f"Demo city: {len(result.dataset.products)} products, {s['pairs']:,} enterprise-product pairs, "
        f"{s['production_rows']:,} rows, {s['periods'][0]}…{s['periods'][1]}; generated in "
        f"{generated - started:.1f} s, compiled in {time.perf_counter() - generated:.1f} s → {out / 'output'}",
        highlight=False,
    )
    if bulletins:
        _demo_bulletins(result, out, seed)
    typer.echo(headline_vi(result.table))


def _demo_gso(store) -> None:  # type: ignore[no-untyped-def]
    """Import the GSO samples shipped with the package (real national figures: retail, trade, IIP,
    products): the history 2012–2025 as first published, then the three monthly workbooks."""
    from importlib import resources

    from vnindustry.sources.gso import read_history, read_workbook
    from vnindustry.store.gso import store_history, store_workbook

    folder = resources.files("vnindustry.demo") / "data" / "gso"
    with resources.as_file(folder) as path:
        store_history(store, read_history(path / "csv"))
        for workbook in sorted((path / "xlsx").glob("*.xlsx")):
            store_workbook(store, read_workbook(workbook))


def _demo_bulletins(result, out: Path, seed: int = 2020) -> None:  # type: ignore[no-untyped-def]
    """Store the demo compile (and GSO's sample figures, the synthetic trade and linkage sets) in OUT/vnindustry.db
    and write the latest month's bulletin in every format."""
    from vnindustry.files import atomic_write_bytes
    from vnindustry.publish.document import BulletinFormat
    from vnindustry.publish.snapshot import read_snapshot
    from vnindustry.publish.writers import write_bulletin
    from vnindustry.store.compiled import store_compile

    started = time.perf_counter()
    db = f"sqlite:///{(out / 'vnindustry.db').resolve()}"
    store = store_at(db)
    period = str(result.table["period"].max())
    store_compile(store, result, released_on=None)
    _demo_gso(store)
    from vnindustry.demo.trade import store_demo_trade

    trade_started = time.perf_counter()
    flows, scoring = store_demo_trade(store, out / "products.csv")
    console.print(f"Synthetic trade flows: {flows:,} stored; key-product scoring: release {scoring} "
                  f"({time.perf_counter() - trade_started:.1f} s)", highlight=False)
    _demo_linkage(store, out, seed)
    snapshot = read_snapshot(store.public_view(), period, "city")  # a bulletin is a publication: one read
    written = []
    for lang in ("vi", "en"):
        bulletin = snapshot.compose(lang)
        for fmt in BulletinFormat:
            suffix = "" if lang == "vi" else "-en"
            path = out / "output" / f"bulletin-{period}{suffix}.{fmt.value}"
            atomic_write_bytes(path, write_bulletin(bulletin, fmt))
            written.append(path.name)
    console.print(f"Stored in {db}; bulletins for {period} ({', '.join(written)}) in "
                  f"{time.perf_counter() - started:.1f} s", highlight=False)



def _demo_linkage(store, out: Path, seed: int) -> None:  # type: ignore[no-untyped-def]
    """The synthetic supporting-industry set (OUT/linkage: suppliers, buyers, needs, purchases), stored as
    synthetic profiles and needs, and its matches written to OUT/output/linkage-matches.csv."""
    from vnindustry.cli.linkage import matches_csv
    from vnindustry.demo.linkage import REFERENCE_DAY, generate_linkage
    from vnindustry.files import atomic_write_bytes
    from vnindustry.linkage import match
    from vnindustry.linkage.stored import import_csv, load_needs, load_suppliers

    started = time.perf_counter()
    demo = generate_linkage(out / "linkage", seed=seed)
    import_csv(store.engine, demo.suppliers, demo.needs, buyers_csv=demo.buyers, created_by="demo", synthetic=True)
    result = match(load_suppliers(store.engine, consenting_only=True), load_needs(store.engine), on=REFERENCE_DAY)
    atomic_write_bytes(out / "output" / "linkage-matches.csv", matches_csv(result, "vi"))
    # One past matchmaking event of those buyers and their best-matched suppliers: scheduled, its agendas
    # printed, and what came of its meetings.
    from vnindustry.demo.linkage_event import draw_outcomes, generate_event
    from vnindustry.linkage.csvfiles import read_buyers
    from vnindustry.linkage.events import read_event, write_schedule
    from vnindustry.linkage.schedule import schedule

    suppliers, needs = load_suppliers(store.engine, consenting_only=True), load_needs(store.engine)
    made = generate_event(out / "linkage" / "event", suppliers, needs,
                          {b.id: b.name for b in read_buyers(demo.buyers)}, result, seed=seed)
    event, info = read_event(made.folder)
    # 2 s of the solver's deterministic time prove this event optimal (225 meetings) in ~3 s; the default 10 s
    # limit only spends longer proving the same answer.
    planned = schedule(event, time_limit=2.0)
    for lang in ("vi", "en"):
        write_schedule(planned, event, info, out / "output" / "event", lang=lang)
    draw_outcomes(made.folder, [(m.buyer, m.supplier) for m in planned.meetings], seed=seed)
    from vnindustry.linkage.stored_events import import_event_folder, import_outcomes, import_purchases

    import_event_folder(store.engine, made.folder, planned, created_by="demo", synthetic=True)
    import_outcomes(store.engine, made.folder / "outcomes.csv", created_by="demo", synthetic=True)
    import_purchases(store.engine, demo.purchases, demo.buyers, created_by="demo", synthetic=True)
    # Business connection requests (item 6): invented banks' packages, requests routed on the day they were sent,
    # and what the banks answered.
    from vnindustry.demo.linkage_connect import ROUTED_ON, generate_connect
    from vnindustry.linkage.connect import read_packages, read_requests, read_statuses
    from vnindustry.linkage.stored_connect import import_requests, save_packages

    connect = generate_connect(out / "linkage" / "connect", suppliers, seed=seed)
    save_packages(store.engine, read_packages(connect.packages), created_by="demo", synthetic=True)
    import_requests(store.engine, read_requests(connect.requests), read_statuses(connect.statuses),
                    created_by="demo", on=ROUTED_ON, synthetic=True)
    console.print(f"Synthetic linkage: {demo.n_suppliers} suppliers, {demo.n_needs} needs of {demo.n_buyers} "
                  f"buyers, {len(result.matches)} matches → {out / 'output' / 'linkage-matches.csv'}; a past event of "
                  f"{made.participants} participants, {len(planned.meetings)} of {made.requests} requested meetings "
                  f"scheduled ({planned.status}) → {out / 'output' / 'event'}; {connect.n_requests} connection "
                  f"requests ({connect.n_steps} answers) "
                  f"({time.perf_counter() - started:.1f} s)", highlight=False)


@app.command("import-workbook")
def import_workbook(
    file: Annotated[Path, typer.Argument(help="A GSO monthly workbook (Biểu số liệu tháng), .xlsx as published.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the tidy records as CSV (UTF-8 with BOM).")]
    = None,
    db: DbOption = None,
    release_date: ReleaseDateOption = None,
) -> None:
    """Read a GSO monthly workbook into tidy records (--out) and/or the store (--db; default the db setting)."""
    from vnindustry.files import atomic_write_bytes
    from vnindustry.sources.gso import read_workbook
    from vnindustry.store.gso import store_workbook

    released = parse_release_date(release_date)
    try:
        imported = read_workbook(file)
    except InputError as exc:
        raise fail(exc) from None
    for warning in imported.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    counts = imported.records.groupby("table").size()
    console.print(f"{file}: {imported.reference_period}, {len(imported.records):,} figures "
                  f"({', '.join(f'{t} {n}' for t, n in counts.items())}), {len(imported.warnings)} warnings",
                  highlight=False)
    if out is not None:
        atomic_write_bytes(out, imported.records.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
        console.print(f"Wrote {out}", highlight=False)
    if db is not None or out is None:
        try:
            print_import(store_workbook(store_at(db), imported, released_on=released))
        except InputError as exc:
            raise fail(exc) from None


@app.command("import-history")
def import_history(
    folder: Annotated[Path, typer.Argument(help="Folder of GSO history CSVs (iip.csv, spcn.csv, tongmuc.csv, "
                                                "xk.csv, nk.csv, xnk.csv).")],
    db: DbOption = None,
) -> None:
    """Backfill the long GSO history (2012–2025) as first-published figures, one release per month."""
    from rich.progress import Progress

    from vnindustry.sources.gso import read_history
    from vnindustry.store.gso import store_history

    try:
        imported = read_history(folder)
    except InputError as exc:
        raise fail(exc) from None
    for warning in imported.warnings[:20]:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    if len(imported.warnings) > 20:
        console.print(f"… and {len(imported.warnings) - 20} more warnings", highlight=False)
    try:
        store = store_at(db)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Storing releases", total=None)
            summaries = store_history(store, imported,
                                      progress=lambda done, total: bar.update(task, completed=done, total=total))
    except InputError as exc:
        raise fail(exc) from None
    created = [x for x in summaries if x.created]
    console.print(f"{folder}: {len(summaries)} monthly releases, {len(created)} new, "
                  f"{sum(x.observations for x in created):,} observations stored.", highlight=False)


@app.command("import-dataset")
def import_dataset_cmd(
    dataset: Annotated[Path, typer.Argument(
        help="Dataset folder (industries.csv, products.csv, production.csv|parquet, enterprises.csv …).")],
    db: DbOption = None,
) -> None:
    """Load DATASET's enterprises, products and monthly production reports into the store (the portal's
    register), in one transaction; a changed month becomes a new report version, the same content again
    stores nothing."""
    from rich.progress import Progress

    from vnindustry.portal.review import import_tree
    from vnindustry.store.register import import_dataset

    try:
        store = store_at(db)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Storing reports", total=None)
            summary = import_dataset(store, dataset,
                                     progress=lambda done, total: bar.update(task, completed=done, total=total))
        # The industry tree and groups too: closing a month compiles from the register (portal/review.py).
        industries = import_tree(store.engine, dataset)
    except InputError as exc:
        raise fail(exc) from None
    console.print(
        f"{dataset}: industries {industries:,}; "
        f"enterprises {summary.enterprises_new:,} new, {summary.enterprises_updated:,} updated; "
        f"products {summary.products_new:,} new, {summary.products_updated:,} updated; "
        f"reports {summary.reports_new:,} new, {summary.reports_unchanged:,} unchanged, "
        f"{summary.reports_revised:,} revised; {summary.lines:,} lines stored ({summary.seconds:.1f} s).",
        highlight=False)
