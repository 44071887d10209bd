"""What the office publishes and serves: revisions, the bulletin, the web server, the settings table."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vnindustry import settings
from vnindustry.cli.common import (
    DbOption,
    app,
    console,
    fail,
    short_lived,
    store_at,
)
from vnindustry.errors import InputError


@app.command()
def revisions(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source (gso, gso-history, city …).")] = None,
    table: Annotated[str | None, typer.Option(help="Only this table (iip, products, retail …).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report as CSV (UTF-8 with BOM).")] = None,
) -> None:
    """Revision report: first published vs latest figure, for every figure that has changed."""
    from vnindustry.files import atomic_write_bytes

    report = store_at(db).revisions(source=source, table=table)
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
    with short_lived():
        _bulletin(period, db, source, lang, fmt, out, as_of, preview)


def _bulletin(period: str, db: str | None, source: str | None, lang: str, fmt: str | None, out: Path | None,
              as_of: str | None, preview: bool) -> None:
    from vnindustry.files import atomic_write_bytes
    from vnindustry.periods import month_code, parse_month
    from vnindustry.publish.document import BulletinFormat
    from vnindustry.publish.snapshot import read_snapshot

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
        # One read of the store (the month's figures, the annex's flows, scoring and outcomes), then the writing.
        snapshot = read_snapshot(store_at(db).public_view(embargo=not preview), period, source, as_of=known_on)
    except InputError as exc:
        raise fail(exc) from None
    data = snapshot.write(kind, lang)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic_write_bytes(out, data)
    console.print(f"Bulletin {period} ({snapshot.source}, {lang}, {fmt}) → {out}", highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int | None, typer.Option(
        help=settings.setting("workers").help + " [env VNINDUSTRY_WORKERS; default 1]")] = None,
) -> None:
    """Serve the data API (/api/v1, OpenAPI at /api/v1/openapi.json) from the store.

    Writes an access log (setting access_log: '-' standard error, a file, or 'off'); believes X-Forwarded-For and
    X-Forwarded-Proto only from the proxies of setting forwarded_allow_ips (none by default). --workers N runs N
    processes on the one socket (docs/deployment.md)."""
    from vnindustry.web import serving

    if workers is not None and not 1 <= workers <= serving.MAX_WORKERS:
        raise typer.BadParameter(f"{workers} is not a worker count: give 1 to {serving.MAX_WORKERS} (about one "
                                 "per core)", param_hint="--workers")
    try:
        count = serving.check_workers(settings.get("workers"), settings.setting("workers").env_var) \
            if workers is None else workers
    except (InputError, ValueError) as exc:
        raise fail(exc) from None
    try:
        # Built here, once, even for many workers: create_app refuses a bad forwarded_allow_ips, an unreachable
        # store, a malformed VNINDUSTRY_* number, and the access log's file must open.
        application = serving.build(db, count)
    except (InputError, ValueError) as exc:
        raise fail(exc) from None
    processes = "one process" if count == 1 else f"{count} worker processes"
    console.print(f"Serving http://{host}:{port}/api/v1/series from {processes} (Ctrl+C to stop)", highlight=False)
    try:
        serving.run(application, db, host, port, count)  # uvicorn's options (web/serving.py): the same for 1 or N
    except InputError as exc:  # the port is taken (checked before the workers start)
        raise fail(exc) from None


@app.command("settings")
def settings_cmd() -> None:
    """List every setting with its default, environment variable and current value."""
    table = Table("name", "default", "environment variable", "current", "help")
    for s in settings.SETTINGS:
        table.add_row(s.name, str(s.default), s.env_var, str(settings.get(s.name)), s.help)
    Console().print(table)
