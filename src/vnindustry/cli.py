"""The ``vnindustry`` command: thin Typer commands over the packages.

Exit codes: 0 success, 1 bad input (message on stderr), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.store.records import STATUSES

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="vnindustry — monthly industry-and-trade statistics: compile the IIP, publish the figures.",
)
console = Console(stderr=True)


def _fail(exc: Exception) -> typer.Exit:
    console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _default(name: str) -> object:
    return settings.get(name)


DbOption = Annotated[str | None, typer.Option(
    "--db", help=settings.setting("db").help + " [env VNINDUSTRY_DB; default sqlite:///vnindustry.db]")]
StatusOption = Annotated[str, typer.Option(
    help="Status of the latest month's figures: estimate (ước tính), preliminary (sơ bộ) or actual.")]
ReleaseDateOption = Annotated[str | None, typer.Option(
    "--release-date", help="Date of the release (YYYY-MM-DD) for 'as of' queries; default: today.")]


def _release_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date YYYY-MM-DD", param_hint="--release-date") from None


def _store(db: str | None):  # type: ignore[no-untyped-def]
    from vnindustry.store import open_store

    return open_store(db)


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
) -> None:
    """Compile the monthly IIP of DATASET into OUT/ (iip.csv, products.csv, validation.csv, imputed.csv,
    compile.json) and/or into the store (--db) as a release of source "city"."""
    from vnindustry.compile.engine import compile_dataset

    if out is None and db is None:
        raise typer.BadParameter("give --out DIR, --db URL or both", param_hint="--out/--db")
    if status not in STATUSES:
        raise typer.BadParameter(f"use one of {', '.join(STATUSES)}", param_hint="--status")
    released = _release_date(release_date)
    started = time.perf_counter()
    try:
        result = compile_dataset(dataset, max_impute_gap=max_impute_gap, suspicious_ratio=suspicious_ratio)
    except (InputError, ValueError) as exc:
        raise _fail(exc) from None
    s = result.stats
    console.print(
        f"Compiled {s['production_rows']:,} production rows, {s['periods'][0]}…{s['periods'][1]}, "
        f"{s['imputed_cells']:,} imputed cells, {s['warnings']:,} warnings in "
        f"{time.perf_counter() - started:.1f} s",
        highlight=False,
    )
    if out is not None:
        files = result.write(out)
        console.print(f"Wrote {', '.join(str(f) for f in files)}", highlight=False)
    if db is not None:
        from vnindustry.store.compiled import store_compile

        try:
            summary = store_compile(_store(db), result, status=status, released_on=released)
        except InputError as exc:
            raise _fail(exc) from None
        _print_import(summary)
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
        raise _fail(exc) from None
    result.write(out / "output")
    s = result.stats
    console.print(
        f"Demo city: {len(result.dataset.products)} products, {s['pairs']:,} enterprise-product pairs, "
        f"{s['production_rows']:,} rows, {s['periods'][0]}…{s['periods'][1]}; generated in "
        f"{generated - started:.1f} s, compiled in {time.perf_counter() - generated:.1f} s → {out / 'output'}",
        highlight=False,
    )
    if bulletins:
        _demo_bulletins(result, out)
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


def _demo_bulletins(result, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Store the demo compile (and GSO's sample figures) in OUT/vnindustry.db and write the latest month's
    bulletin in every format."""
    from vnindustry.analysis.indicators import monthly_indicators
    from vnindustry.files import atomic_write_bytes
    from vnindustry.publish.bulletin import compose_bulletin
    from vnindustry.publish.competitiveness import store_annex
    from vnindustry.publish.document import BulletinFormat
    from vnindustry.publish.writers import write_bulletin
    from vnindustry.store.compiled import store_compile

    started = time.perf_counter()
    db = f"sqlite:///{(out / 'vnindustry.db').resolve()}"
    store = _store(db)
    period = str(result.table["period"].max())
    store_compile(store, result, released_on=None)
    _demo_gso(store)
    from vnindustry.demo.trade import store_demo_trade

    trade_started = time.perf_counter()
    flows, scoring = store_demo_trade(store, out / "products.csv")
    console.print(f"Synthetic trade flows: {flows:,} stored; key-product scoring: release {scoring} "
                  f"({time.perf_counter() - trade_started:.1f} s)", highlight=False)
    public = store.public_view()  # a bulletin is a publication
    indicators = monthly_indicators(public, period, "city")
    written = []
    for lang in ("vi", "en"):
        bulletin = compose_bulletin(indicators, lang, annex=store_annex(public, lang, source="city"))
        for fmt in BulletinFormat:
            suffix = "" if lang == "vi" else "-en"
            path = out / "output" / f"bulletin-{period}{suffix}.{fmt.value}"
            atomic_write_bytes(path, write_bulletin(bulletin, fmt))
            written.append(path.name)
    console.print(f"Stored in {db}; bulletins for {period} ({', '.join(written)}) in "
                  f"{time.perf_counter() - started:.1f} s", highlight=False)


def _print_import(summary) -> None:  # type: ignore[no-untyped-def]
    if summary.created:
        console.print(f"Stored release {summary.release_id} ({summary.source}, {summary.file}): "
                      f"{summary.observations:,} observations, {summary.new_series:,} new series.", highlight=False)
    else:
        console.print(f"Already stored as release {summary.release_id} ({summary.source}, {summary.file}): "
                      "nothing changed.", highlight=False)


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

    released = _release_date(release_date)
    try:
        imported = read_workbook(file)
    except InputError as exc:
        raise _fail(exc) from None
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
            _print_import(store_workbook(_store(db), imported, released_on=released))
        except InputError as exc:
            raise _fail(exc) from None


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
        raise _fail(exc) from None
    for warning in imported.warnings[:20]:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    if len(imported.warnings) > 20:
        console.print(f"… and {len(imported.warnings) - 20} more warnings", highlight=False)
    try:
        store = _store(db)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Storing releases", total=None)
            summaries = store_history(store, imported,
                                      progress=lambda done, total: bar.update(task, completed=done, total=total))
    except InputError as exc:
        raise _fail(exc) from None
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
        store = _store(db)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Storing reports", total=None)
            summary = import_dataset(store, dataset,
                                     progress=lambda done, total: bar.update(task, completed=done, total=total))
        # The industry tree and groups too: closing a month compiles from the register (portal/review.py).
        industries = import_tree(store.engine, dataset)
    except InputError as exc:
        raise _fail(exc) from None
    console.print(
        f"{dataset}: industries {industries:,}; "
        f"enterprises {summary.enterprises_new:,} new, {summary.enterprises_updated:,} updated; "
        f"products {summary.products_new:,} new, {summary.products_updated:,} updated; "
        f"reports {summary.reports_new:,} new, {summary.reports_unchanged:,} unchanged, "
        f"{summary.reports_revised:,} revised; {summary.lines:,} lines stored ({summary.seconds:.1f} s).",
        highlight=False)


def _read_period_values(path: Path):  # type: ignore[no-untyped-def]
    """``period,value`` CSV → monthly pandas Series; errors name the file and line."""
    import pandas as pd

    from vnindustry.periods import MONTH_FORMAT_HELP, month_code, parse_month
    from vnindustry.sources.csvfile import read_table

    rows = read_table(path, ("period", "value"))
    periods, values = [], []
    for row in rows:
        key = parse_month(row["period"])
        if key is None:
            raise InputError(f"malformed period '{row['period']}'", file=path, line=row.line, column="period",
                             fix=MONTH_FORMAT_HELP)
        try:
            value = float(row["value"])
        except ValueError:
            raise InputError(f"'{row['value']}' is not a number", file=path, line=row.line, column="value",
                             fix="use a point as the decimal separator and no thousands separator") from None
        periods.append(month_code(key))
        values.append(value)
    if len(set(periods)) != len(periods):
        dup = next(p for p in periods if periods.count(p) > 1)
        raise InputError(f"period {dup} appears twice", file=path, column="period", fix="keep one row per month")
    series = pd.Series(values, index=pd.PeriodIndex(periods, freq="M")).sort_index()
    expected = pd.period_range(series.index[0], series.index[-1], freq="M") if len(series) else series.index
    if len(expected) != len(series):
        missing = sorted(set(expected) - set(series.index))[0]
        raise InputError(f"month {missing} is missing", file=path, column="period",
                         fix="give every month between the first and the last")
    return series


@app.command()
def adjust(
    input_csv: Annotated[Path | None, typer.Argument(
        metavar="[INPUT.csv]", help="A monthly series: columns period,value.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output CSV (with INPUT.csv).")] = None,
    db: DbOption = None,
    all_series: Annotated[bool, typer.Option("--all", help="Adjust every monthly series in the store.")] = False,
    source: Annotated[str | None, typer.Option(help="With --all: only this source.")] = None,
    tet: Annotated[str, typer.Option(help="Tết regressors: auto (chosen by AICc) or off.")] = "auto",
    spec_in: Annotated[Path | None, typer.Option("--spec", help="Re-use a frozen spec (JSON) for INPUT.csv.")]
    = None,
    save_spec: Annotated[Path | None, typer.Option(help="Write the frozen spec (JSON) of INPUT.csv's run.")]
    = None,
    reestimate: Annotated[bool, typer.Option(
        help="With --all: identify every model afresh (the annual review) instead of re-using frozen specs.")]
    = False,
    workers: Annotated[int, typer.Option(help="Processes for --all (0 = one per core).")] = 0,
    internal: Annotated[bool, typer.Option(
        "--internal", "--preview",
        help="With --all: also adjust with releases dated after today (embargoed months); each "
        "adjusted release is then embargoed with them, until the latest one's day. Confidential figures are "
        "never used.")] = False,
) -> None:
    """Tết-aware seasonal and calendar adjustment with X-13ARIMA-SEATS, for a CSV series or the whole store.

    With --all the series are read from the public view (what is published today; confidential figures withheld)
    and each adjusted release records the releases it was computed from (lineage)."""
    from vnindustry.analysis.seasonal import AdjustSpec, seas

    if tet not in ("auto", "off"):
        raise typer.BadParameter("use auto or off", param_hint="--tet")
    if (input_csv is None) == (not all_series):
        raise typer.BadParameter("give INPUT.csv --out OUT.csv, or --db URL --all", param_hint="INPUT.csv/--all")
    options = {"tet": tet if tet == "auto" else False}
    if internal and not all_series:
        raise typer.BadParameter("--internal chooses what --all reads from the store: add --db URL --all",
                                 param_hint="--internal")
    if input_csv is not None:
        if out is None:
            raise typer.BadParameter("give --out OUT.csv", param_hint="--out")
        from vnindustry.files import atomic_write_bytes

        try:
            series = _read_period_values(input_csv)
            spec = AdjustSpec.from_json(spec_in.read_text(encoding="utf-8")) if spec_in else None
            result = seas(series, spec=spec, **options)  # type: ignore[arg-type]
        except (InputError, ValueError) as exc:
            raise _fail(exc) from None
        atomic_write_bytes(out, result.to_frame().to_csv(index=False, lineterminator="\n").encode("utf-8"))
        if save_spec is not None and result.spec is not None:
            atomic_write_bytes(save_spec, result.spec.to_json().encode("utf-8"))
        console.print(f"Adjusted {len(series)} months → {out}", highlight=False)
        return
    _adjust_store(db, source, reestimate, workers, options, internal=internal)


def _adjust_store(db: str | None, source: str | None, reestimate: bool, workers: int,
                  options: dict[str, object], *, internal: bool = False) -> None:
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from vnindustry.analysis.seasonal import Adjustment, adjust_many
    from vnindustry.analysis.seasonal.stored import latest_specs, level_series, store_adjustments

    store = _store(db)
    # Adjusted series are published: read what is public (--internal: embargoed months too), never a
    # confidential value; lineage then dates each release no earlier than what it was computed from.
    series, observations = level_series(store.public_view(embargo=not internal), source=source)
    if not series:
        raise _fail(InputError("no monthly series with at least 36 months of public levels in the store",
                               fix="import history or compile first"
                                   + ("" if internal else " (--internal also reads releases dated after today)")))
    short = sorted(set(observations["key"]) - set(series))
    if short:  # a confidential month breaks a run: a series is adjusted over its last run of public months
        console.print(f"left out: {len(short)} series with fewer than 36 consecutive public months "
                      f"({', '.join(short[:5])}{' …' if len(short) > 5 else ''})", highlight=False, soft_wrap=True)
    specs = {} if reestimate else latest_specs(store, list(series))
    started = time.perf_counter()
    processes = min(workers or os.cpu_count() or 1, len(series))
    console.print(f"Adjusting {len(series)} series on {processes} process{'es' if processes > 1 else ''} "
                  f"({len(specs)} with a frozen spec) …", highlight=False)
    if console.is_terminal:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("Adjusting", total=len(series))
            results = adjust_many(series, workers=workers or None, specs=specs,
                                  progress=lambda done, total, name: bar.update(task, completed=done), **options)
    else:  # a log or a pipe: a line every twentieth of the way (and at least every 10 s)
        every, last = max(1, len(series) // 20), [started]

        def line(done: int, total: int, name: str) -> None:
            now = time.perf_counter()
            if done == total or done % every == 0 or now - last[0] >= 10:
                last[0] = now
                console.print(f"  {done}/{total} series ({100 * done / total:.0f}%), {now - started:.0f} s",
                              highlight=False)

        results = adjust_many(series, workers=workers or None, specs=specs, progress=line, **options)
    elapsed = time.perf_counter() - started
    good = {k: v for k, v in results.items() if isinstance(v, Adjustment)}
    _adjust_summary(results, len(specs), elapsed)
    summaries = store_adjustments(store, good, observations)
    dates = dict(zip(*(store.releases()[c].tolist() for c in ("id", "released_on")), strict=True))
    for summary in summaries:
        _print_import(summary)
        inputs = store.release_inputs(summary.release_id)
        shown = ", ".join(map(str, inputs)) if len(inputs) <= 8 else f"{inputs[0]} … {inputs[-1]}"
        console.print(f"  release {summary.release_id} public on {dates[summary.release_id].isoformat()} "
                      f"(computed from {len(inputs)} release(s): {shown})", highlight=False, soft_wrap=True)


def _adjust_summary(results: dict[str, object], reused: int, elapsed: float) -> None:
    """``adjust --all``'s summary in words: adjusted, fell back to defaults, failed (with the reasons), and
    the series whose Tết effect could not be separated (no Tết-adjusted rate is printed for them)."""
    from vnindustry.analysis.seasonal import Adjustment, tet_usable
    from vnindustry.analysis.seasonal.batch import reason_in_words

    good = {k: v for k, v in results.items() if isinstance(v, Adjustment)}
    fallback: dict[str, list[str]] = {}
    no_tet: dict[str, list[str]] = {}
    failed: dict[str, list[str]] = {}
    for key, result in results.items():
        if isinstance(result, Adjustment):
            if "fallback" in result.diagnostics:
                fallback.setdefault(str(result.diagnostics["fallback"]), []).append(key)
            if not tet_usable(result):
                no_tet.setdefault(str(result.diagnostics.get("tet", {}).get("reason", "")), []).append(key)
        else:
            failed.setdefault(reason_in_words(result), []).append(key)  # type: ignore[arg-type]
    total = len(results)
    rate = f"{total / elapsed:.1f} series/s" if elapsed > 0 else ""
    console.print(f"Adjusted {len(good)} of {total} series in {elapsed:.1f} s ({rate}; {reused} frozen specs "
                  "re-used).", highlight=False)

    def groups(title: str, by_reason: dict[str, list[str]]) -> None:
        count = sum(len(v) for v in by_reason.values())
        if not count:
            return
        console.print(f"{title}: {count} series", highlight=False)
        for reason, keys in sorted(by_reason.items(), key=lambda kv: -len(kv[1]))[:8]:
            shown = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
            console.print(f"  – {reason} ({len(keys)}): {shown}", highlight=False, soft_wrap=True)

    groups("Fell back to defaults", fallback)
    groups("Failed, not adjusted", failed)
    groups("Tết effect not separated (no Tết-adjusted rate is printed for these)", no_tet)


@app.command()
def revisions(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source (gso, gso-history, city …).")] = None,
    table: Annotated[str | None, typer.Option(help="Only this table (iip, products, retail …).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report as CSV (UTF-8 with BOM).")] = None,
) -> None:
    """Revision report: first published vs latest figure, for every figure that has changed."""
    from vnindustry.files import atomic_write_bytes

    report = _store(db).revisions(source=source, table=table)
    if out is not None:
        atomic_write_bytes(out, report.to_csv(index=False).encode("utf-8-sig"))
        console.print(f"{len(report):,} revised figures → {out}", highlight=False)
        return
    table_out = Table("series", "period", "measure", "first", "status", "latest", "status", "revision")
    for r in report.itertuples():
        table_out.add_row(f"{r.name_vi} ({r.key})", r.period, r.measure, f"{r.first_value:g}", r.first_status,
                          f"{r.latest_value:g}", r.latest_status, f"{r.revision:+g}")
    Console().print(table_out)


@app.command()
def bulletin(
    period: Annotated[str, typer.Option(help="The month, YYYY-MM.")],
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(
        help="Whose figures: city (compiled), gso (imported workbooks) … Default: city if it has the month, "
             "else gso.")] = None,
    lang: Annotated[str, typer.Option(help="vi or en.")] = "vi",
    fmt: Annotated[str | None, typer.Option(
        "--format", help="md, html, docx, pdf or xlsx (default: from --out's suffix, else md).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: standard output).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Use the figures as published on this date (YYYY-MM-DD); default: the latest.")] = None,
    preview: Annotated[bool, typer.Option(
        "--preview", help="Include releases stored for a later publication date (embargoed), to prepare the "
                          "bulletin before it is published. Confidential figures stay withheld.")] = False,
) -> None:
    """Write the monthly bulletin on industry and trade for PERIOD."""
    from vnindustry.analysis.indicators import monthly_indicators
    from vnindustry.files import atomic_write_bytes
    from vnindustry.periods import month_code, parse_month
    from vnindustry.publish.bulletin import compose_bulletin
    from vnindustry.publish.document import BulletinFormat
    from vnindustry.publish.writers import write_bulletin

    key = parse_month(period)
    if key is None:
        raise typer.BadParameter(f"'{period}' is not a month YYYY-MM", param_hint="--period")
    period = month_code(key)
    if lang not in ("vi", "en"):
        raise typer.BadParameter("use vi or en", param_hint="--lang")
    choices = [f.value for f in BulletinFormat]
    if fmt is None:
        suffix = out.suffix.lstrip(".").lower() if out is not None else "md"
        fmt = suffix if suffix in choices else "md"
    if fmt not in choices:
        raise typer.BadParameter(f"use one of {', '.join(choices)}", param_hint="--format")
    kind = BulletinFormat(fmt)
    known_on = None
    if as_of is not None:
        try:
            known_on = dt.date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(f"'{as_of}' is not a date YYYY-MM-DD", param_hint="--as-of") from None
    if out is None and kind in (BulletinFormat.DOCX, BulletinFormat.PDF, BulletinFormat.XLSX):
        raise typer.BadParameter(f"{fmt} is a binary format: give --out FILE", param_hint="--out")
    try:
        # A bulletin is a publication: confidential figures withheld; embargoed releases only in a preview.
        store = _store(db).public_view(embargo=not preview)
        candidates = [source] if source else ["city", "gso"]
        chosen = None
        for name in candidates:
            ind = monthly_indicators(store, period, name, as_of=known_on)
            if ind.tables:
                chosen = ind
                break
        if chosen is None:
            cat = store.catalogue()
            have = sorted({(r.source, r.last_period) for r in cat.itertuples()}) if not cat.empty else []
            known = "; ".join(f"{s} up to {p}" for s, p in have) or "the store is empty"
            raise InputError(f"no figures for {period} from {' or '.join(candidates)} ({known})",
                             fix="import the month's workbook (import-workbook) or compile the city's data "
                                 "with --db first")
    except InputError as exc:
        raise _fail(exc) from None
    from vnindustry.publish.competitiveness import store_annex

    # The annex (competitiveness, key products) only where the store holds trade flows or a scoring.
    data = write_bulletin(compose_bulletin(chosen, lang, annex=store_annex(store, lang, source=chosen.source)), kind)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic_write_bytes(out, data)
    console.print(f"Bulletin {period} ({chosen.source}, {lang}, {fmt}) → {out}", highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the data API (/api/v1, OpenAPI at /api/v1/openapi.json) from the store.

    Writes an access log (setting access_log: '-' standard error, a file, or 'off'); believes X-Forwarded-For and
    X-Forwarded-Proto only from the proxies of setting forwarded_allow_ips (none by default)."""
    import uvicorn

    from vnindustry.web import access_log
    from vnindustry.web.app import create_app

    proxies = settings.get("forwarded_allow_ips").strip()
    try:
        application = access_log.wrap(create_app(db_url=db))  # (create_app refuses a bad forwarded_allow_ips)
    except InputError as exc:
        raise _fail(exc) from None
    console.print(f"Serving http://{host}:{port}/api/v1/series (Ctrl+C to stop)", highlight=False)
    # Keep-alive 30 s (uvicorn: 5): a portal form is filled for a while, and a busy server must not close
    # a connection the client is about to reuse. uvicorn's own proxy headers trust 127.0.0.1 by default, which
    # would let anyone on the host forge X-Forwarded-For: it gets the app's list (web/ratelimit.py) or is off.
    # Its access log is off: ours (web/access_log.py) has the resolved client, the duration and the user.
    uvicorn.run(application, host=host, port=port, log_level="warning", timeout_keep_alive=30,
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None, access_log=False)


@app.command("settings")
def settings_cmd() -> None:
    """List every setting with its default, environment variable and current value."""
    table = Table("name", "default", "environment variable", "current", "help")
    for s in settings.SETTINGS:
        table.add_row(s.name, str(s.default), s.env_var, str(settings.get(s.name)), s.help)
    Console().print(table)


users_app = typer.Typer(no_args_is_help=True, help="Portal accounts: enterprises, statisticians, admins.")
app.add_typer(users_app, name="users")


def _cli_actor() -> str:
    """Who runs a ``users`` command, for the audit log: ``cli:`` and the operating-system user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "cli:?"


def _read_password() -> str:
    """One line of standard input (no prompt, no echo when piped; a hidden prompt on a terminal)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password (not shown): ")
    line = sys.stdin.readline()
    if not line:
        raise InputError("no password on standard input",
                         fix="give it as one line, e.g. printf '%s\\n' \"$PW\" | vnindustry users add …")
    return line.rstrip("\r\n")


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """List the portal's users: role, enterprise, active or not, created, live sessions."""
    from rich.table import Table

    from vnindustry.portal.accounts import list_users

    table = Table("user", "role", "enterprise", "active", "created (UTC)", "sessions")
    for u in list_users(_store(db).engine):
        table.add_row(u.username, u.role, u.enterprise or "", "yes" if u.active else "no",
                      u.created_at.strftime("%Y-%m-%d %H:%M"), str(u.sessions))
    Console(width=200).print(table)  # the list is the command's output: stdout (messages go to stderr)


@users_app.command("deactivate")
def users_deactivate(
    username: Annotated[str, typer.Argument(help="The user to stop (case-insensitive).")],
    db: DbOption = None,
) -> None:
    """Deactivate a user: no more logins, and the user's sessions end now (``users reactivate`` undoes it)."""
    from vnindustry.portal.accounts import deactivate_user

    try:
        account = deactivate_user(_store(db).engine, username, by=_cli_actor())
    except InputError as exc:
        raise _fail(exc) from None
    console.print(f"User {account.username} deactivated; its sessions have ended.", highlight=False)


@users_app.command("reactivate")
def users_reactivate(
    username: Annotated[str, typer.Argument(help="The user to let in again (case-insensitive).")],
    db: DbOption = None,
) -> None:
    """Let a deactivated user log in again (with the old password; ``users reset-password`` to change it)."""
    from vnindustry.portal.accounts import reactivate_user

    try:
        account = reactivate_user(_store(db).engine, username, by=_cli_actor())
    except InputError as exc:
        raise _fail(exc) from None
    console.print(f"User {account.username} reactivated.", highlight=False)


@users_app.command("reset-password")
def users_reset_password(
    username: Annotated[str, typer.Argument(help="The user (case-insensitive).")],
    db: DbOption = None,
) -> None:
    """Set a user's new password, read from standard input (one line, as ``users add``); its sessions end."""
    from vnindustry.portal.accounts import check_password_rules, reset_password

    try:
        password = _read_password()
        check_password_rules(password)
        account = reset_password(_store(db).engine, username, password, by=_cli_actor())
    except InputError as exc:
        raise _fail(exc) from None
    console.print(f"New password set for {account.username}; its sessions have ended.", highlight=False)


@users_app.command("purge-sessions")
def users_purge_sessions(db: DbOption = None) -> None:
    """Delete expired sessions and failed logins older than the throttle window (logins also do it hourly)."""
    from vnindustry.portal.accounts import purge_expired_sessions

    n = purge_expired_sessions(_store(db).engine, by=_cli_actor())
    console.print(f"{n} expired session(s) and old failed login(s) deleted.", highlight=False)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="User name (letters a–z, digits, . _ @ -; case-insensitive).")],
    role: Annotated[str, typer.Option(help="enterprise (its own reports), statistician or admin.")],
    enterprise: Annotated[str | None, typer.Option(
        help="The enterprise's code in the register (required for role enterprise).")] = None,
    db: DbOption = None,
) -> None:
    """Add a portal account; the password (at least 10 characters) is read from standard input, one line."""
    from vnindustry.portal.accounts import ROLES, add_user, check_password_rules

    try:
        if role not in ROLES:
            raise InputError(f"unknown role '{role}'", fix=f"use --role {'|'.join(ROLES)}")
        if role == "enterprise" and not enterprise:
            raise InputError("role enterprise needs --enterprise ID (the enterprise's code in the register)")
        password = _read_password()
        check_password_rules(password)
        account = add_user(_store(db).engine, username, password, role, enterprise, by=_cli_actor())
    except InputError as exc:
        raise _fail(exc) from None
    tied = f", for {account.enterprise}" if account.enterprise else ""
    console.print(f"User {account.username} (role {account.role}{tied}) added.", highlight=False)


# The trade commands live in their own module (cli_trade.py); registered here like users_app.
from vnindustry.cli_trade import trade_app  # noqa: E402

app.add_typer(trade_app, name="trade")


products_app = typer.Typer(no_args_is_help=True,
                           help="Key industrial products (sản phẩm công nghiệp chủ lực): template, AHP, scoring.")
app.add_typer(products_app, name="products")


@products_app.command("template")
def products_template(
    out: Annotated[Path, typer.Argument(help="The Excel template to write (.xlsx).")],
) -> None:
    """Write the Excel template: candidates × criteria, the pairwise matrix and a README, in Vietnamese."""
    from vnindustry.analysis.key_products import write_template

    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter("the template is an Excel workbook: give OUT.xlsx", param_hint="OUT")
    write_template(out)
    console.print(f"Template → {out}", highlight=False)


def _fill_from_store(table, db: str, *, market: str, exporter: str, year: int | None,  # type: ignore[no-untyped-def]
                     internal: bool = False):
    """``table`` with its empty criteria filled from the store at ``db``, and the releases the values came from
    (lineage); prints what came from the store. Reads the public view (``internal``: embargoed releases too);
    confidential cells are never used (the notes name them)."""
    from vnindustry.analysis.key_products import fill_values
    from vnindustry.analysis.key_products.from_store import links_of, store_figures

    unlinked = [c for c in table.candidates if not c.vsic and not c.hs]
    if unlinked:
        c = unlinked[0]
        raise InputError(f"product '{c.code}' has no 'Mã VSIC' or 'Mã HS' code, so nothing can be taken from the "
                         f"store for it ({len(unlinked)} such products)", file=table.file, location=c.where,
                         fix="enter its VSIC code (production value, share, growth) and/or HS codes (RCA) in the "
                             "'Mã VSIC' / 'Mã HS' columns (CSV: vsic, hs), or score without --fill-from-store")
    try:
        view = _store(db).public_view(embargo=not internal)  # the scoring is published: confidential cells withheld
        figures = store_figures(view, links_of(table), market=market, exporter=exporter, year=year)
    except ValueError as exc:  # a bad market name
        raise typer.BadParameter(str(exc), param_hint="--market") from None
    # Only the file's criteria: a column left out of the file is a choice, not a gap.
    wanted = {k: v for k, v in figures.values.items() if k[1] in table.criteria}
    before = {c.code: set(c.values) for c in table.candidates}
    for origin in sorted({figures.origins[k] for k in wanted}):  # one origin per group of values
        table = fill_values(table, {k: v for k, v in wanted.items() if figures.origins[k] == origin}, origin)
    filled = [(c.code, code, c.values[code], c.origins[code]) for c in table.candidates for code in c.values
              if code not in before[c.code]]
    console.print(f"From the store ({len(filled)} values; the file's own values kept):", highlight=False)
    for product, code, value, origin in filled:
        console.print(f"  {product} {code} = {value!r} ({origin})", highlight=False, soft_wrap=True)
    for note in figures.notes:
        console.print(f"  note: {note}", highlight=False, soft_wrap=True)
    return table, sorted(figures.inputs)


@products_app.command("score")
def products_score(
    criteria_file: Annotated[Path, typer.Argument(
        metavar="CRITERIA.xlsx|csv", help="Candidates × criteria: the filled template, or a CSV with columns "
        "product,name,<criterion codes>.")],
    method: Annotated[str, typer.Option(help="topsis (vector normalisation) or wsm (weighted sum, min–max).")]
    = "topsis",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="OUT.xlsx, or OUT.csv (unrounded; also writes OUT.weights.csv, OUT.sensitivity.csv).")]
    = None,
    weights_from: Annotated[Path | None, typer.Option(
        "--weights-from", help="Pairwise matrix or direct weights (.xlsx sheet 'So sánh cặp', or .csv); default: "
        "the criteria workbook's own sheet, else the declared default weights.")] = None,
    spec_in: Annotated[Path | None, typer.Option("--spec", help="Re-use a frozen spec (JSON): weights, method, "
                                                 "thresholds.")] = None,
    save_spec: Annotated[Path | None, typer.Option(help="Write the frozen spec (JSON) of this run.")] = None,
    key_score: Annotated[float | None, typer.Option(help="Key products score at least this (0–1).")] = 0.6,
    potential_score: Annotated[float | None, typer.Option(help="Potential products score at least this.")] = 0.4,
    key_top: Annotated[int | None, typer.Option(help="…and rank at most this (top-N; default: no limit).")] = None,
    potential_top: Annotated[int | None, typer.Option(help="Potential products rank at most this.")] = None,
    ri: Annotated[str, typer.Option(help="Random index table: saaty (1980) or alonso-lamata (2006).")] = "saaty",
    db: Annotated[str | None, typer.Option(
        "--db", help="Also store the run (spec, ranking, weights, sensitivity) in this store as a release.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the stored run (with --db); default: the file's name.")]
    = None,
    release_date: ReleaseDateOption = None,
    created_by: Annotated[str | None, typer.Option(help="Who made the stored run; default: the login name.")] = None,
    fill_from_store: Annotated[bool, typer.Option(
        "--fill-from-store", help="With --db: fill empty criterion cells from the store (production value, share, "
        "growth through each candidate's 'Mã VSIC'; RCA through its 'Mã HS'); values in the file win.")] = False,
    market: Annotated[str, typer.Option(help="With --fill-from-store: the market of the RCA (EU, ASEAN, RCEP, "
                                        "CPTPP or importer codes).")] = "EU",
    exporter: Annotated[str, typer.Option(help="With --fill-from-store: the exporter of the RCA.")] = "VNM",
    year: Annotated[int | None, typer.Option(help="With --fill-from-store: the year of the figures; default: the "
                                             "latest full IIP year and the latest yearly flows.")] = None,
    internal: Annotated[bool, typer.Option(
        "--internal", "--preview",
        help="With --fill-from-store: also use releases dated after today (embargoed); the stored "
        "run is then embargoed with them (dated on the latest one's day). Confidential cells stay withheld.")]
    = False,
) -> None:
    """Score candidate products (AHP weights, TOPSIS or weighted sum), split key / potential / other; with --db,
    store the run (and, with --fill-from-store, take missing criteria values from the store)."""
    from vnindustry.analysis.key_products import (
        ScoringSpec,
        Thresholds,
        ahp_weights,
        default_weights,
        make_spec,
        read_criteria,
        read_weights,
        score_products,
        write_result,
    )
    from vnindustry.analysis.key_products.ahp import weights_from_ahp
    from vnindustry.analysis.key_products.ranking import CLASS_VI, METHODS
    from vnindustry.publish.numbers import format_number

    if method not in METHODS:
        raise typer.BadParameter(f"use one of {', '.join(METHODS)}", param_hint="--method")
    if ri not in ("saaty", "alonso-lamata"):
        raise typer.BadParameter("use saaty or alonso-lamata", param_hint="--ri")
    try:
        thresholds = Thresholds(key_score, potential_score, key_top, potential_top)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--key-score/--potential-score/--key-top/--potential-top") \
            from None
    if fill_from_store and db is None:
        raise typer.BadParameter("the values come from a store: give --db URL", param_hint="--fill-from-store")
    if internal and not fill_from_store:
        raise typer.BadParameter("--internal chooses what --fill-from-store reads: add --fill-from-store",
                                 param_hint="--internal")
    released_on = _release_date(release_date)  # checked before any work is done
    inputs: list[int] = []  # the releases the filled values come from (lineage of the stored run)
    try:
        table, own = read_criteria(criteria_file, allow_blank=fill_from_store)
        if fill_from_store:
            assert db is not None
            table, inputs = _fill_from_store(table, db, market=market, exporter=exporter, year=year,
                                             internal=internal)
        if spec_in is not None:
            spec = ScoringSpec.from_json(spec_in.read_text(encoding="utf-8"), spec_in)
        else:
            weights = read_weights(weights_from) if weights_from is not None else own
            weights = weights or default_weights(table.criteria)
            if weights.ahp is not None and ri != weights.ahp.ri_table:
                weights = weights_from_ahp(ahp_weights(weights.ahp.matrix, weights.ahp.criteria, ri_table=ri))
            spec = make_spec(weights, method=method, thresholds=thresholds)
        result = score_products(table, spec)
        written = write_result(out, result) if out is not None else []
        if save_spec is not None:
            from vnindustry.files import atomic_write_text

            atomic_write_text(save_spec, spec.to_json())
    except InputError as exc:
        raise _fail(exc) from None
    shown = Table("hạng", "mã", "tên", "điểm", "nhóm", "hạng ±20%", "đổi nhóm", title=f"{spec.method.upper()}")
    for item, sens in zip(result.ranking, result.sensitivity, strict=True):
        shown.add_row(str(item.rank), item.product, item.name, format_number(item.score, 4),
                      CLASS_VI[item.klass], f"{sens.min_rank}–{sens.max_rank}", "có" if sens.class_changes else "")
    Console().print(shown)
    weights_text = ", ".join(f"{c} {format_number(w, 3)}" for c, w in result.weights.weight_map().items())
    console.print(f"Trọng số ({result.weights.origin}): {weights_text}", highlight=False)
    if result.ahp is not None:
        a = result.ahp
        console.print(f"λmax = {format_number(a.lambda_max, 3)}, CI = {format_number(a.ci, 3)}, "
                      f"RI = {format_number(a.ri, 4)}, CR = {format_number(a.cr, 3)} ≤ 0,1", highlight=False)
    for path in written:
        console.print(f"→ {path}", highlight=False)
    if db is not None:
        import getpass

        from vnindustry.store.repository import today_in_vietnam
        from vnindustry.store.trade import load_scoring, store_scoring

        try:
            store = _store(db)
            rid = store_scoring(store, result, title=title or criteria_file.stem,
                                created_by=created_by or getpass.getuser(),
                                released_on=released_on or today_in_vietnam(),
                                note=f"scored from {criteria_file.name}", inputs=inputs)
        except InputError as exc:
            raise _fail(exc) from None
        stored = load_scoring(store, rid)
        dated = f" dated {stored.released_on.isoformat()}" if stored is not None else ""
        console.print(f"Stored as release {rid}{dated}.", highlight=False, soft_wrap=True)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except InputError as exc:  # pragma: no cover - commands convert these themselves
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
