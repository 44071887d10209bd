"""``vnindustry linkage connect route|summary|packages|import``: business connection requests (issue 14, item 6),
from CSV files or the store."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Annotated

import typer

from vnindustry.cli.common import DbOption, console, fail, store_at
from vnindustry.cli.linkage import linkage_app
from vnindustry.errors import InputError

connect_app = typer.Typer(no_args_is_help=True, help="Business connection requests: to industry associations, "
                          "online trade connection programmes and banks' credit packages (docs/linkage.md).")
linkage_app.add_typer(connect_app, name="connect")


@connect_app.command("route")
def route_cmd(
    requests_csv: Annotated[Path, typer.Argument(help="connect.csv: request,enterprise,kind,sector,amount,"
                                                      "tenor_months,purpose,description")],
    packages_csv: Annotated[Path, typer.Option("--packages", help="packages.csv: the banks' credit packages and "
                                                                  "the online programmes.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="routes.csv: request,to,name,reason.")],
    on: Annotated[str | None, typer.Option(help="The day packages must be valid on (YYYY-MM-DD); default today.")]
    = None,
    lang: Annotated[str, typer.Option(help="vi or en.")] = "vi",
) -> None:
    """Where each request goes: the associations of its sector, the online programmes, or the credit packages
    whose sector, amount range, tenor and validity fit. The bank decides; this only routes."""
    from vnindustry.files import atomic_write_bytes
    from vnindustry.linkage.connect import read_packages, read_requests, route

    if lang not in ("vi", "en"):
        raise typer.BadParameter("use vi or en", param_hint="--lang")
    day = _day(on)
    try:
        requests = read_requests(requests_csv)
        packages = read_packages(packages_csv)
    except InputError as exc:
        raise fail(exc) from None
    routes = route(requests, packages, on=day, lang=lang)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["request", "to", "name", "reason"])
    for r in routes:
        writer.writerow([r.request, r.to, r.name, r.reason_vi if lang == "vi" else r.reason_en])
    atomic_write_bytes(out, buf.getvalue().encode("utf-8-sig"))
    unrouted = [r.id for r in requests if not any(x.request == r.id for x in routes)]
    console.print(f"{len(requests)} requests, {len(routes)} routes → {out}", highlight=False)
    if unrouted:
        console.print(f"No programme takes: {', '.join(unrouted)} (sector, amount, tenor or dates do not fit)",
                      highlight=False)


def _day(on: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"'{on}' is not a date YYYY-MM-DD", param_hint="--on") from None


@connect_app.command("packages")
def packages_cmd(
    packages_csv: Annotated[Path, typer.Argument(help="packages.csv: package,bank,name,sectors,min_amount,"
                                                      "max_amount,max_tenor_months,valid_from,valid_to")],
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="Who registers them, for the audit log.")] = "import",
) -> None:
    """Register the banks' credit packages and the online programmes in the store: a new or changed one becomes
    a new version (the older kept, and the routes already given keep theirs); the file is read whole first."""
    from vnindustry.linkage.connect import read_packages
    from vnindustry.linkage.stored_connect import save_packages

    try:
        packages = read_packages(packages_csv)
    except InputError as exc:
        raise fail(exc) from None
    saved = save_packages(store_at(db).engine, packages, created_by=by, note=packages_csv.name)
    console.print(f"packages: {len(saved.created)} new versions, {len(saved.unchanged)} unchanged", highlight=False)


def _line_of(path: Path | None, step) -> int | None:  # type: ignore[no-untyped-def]
    """The line of ``path`` (status.csv) that holds ``step``."""
    from vnindustry.linkage.csvfiles import read_rows

    if path is None or step is None:
        return None
    for line, r in read_rows(path, ("request", "at", "status", "to", "amount")):
        if (r["request"], r["at"], r["status"], r["to"]) == (step.request, step.at.isoformat(), step.status, step.to):
            return line
    return None


@connect_app.command("import")
def import_cmd(
    requests_csv: Annotated[Path, typer.Argument(help="connect.csv: request,enterprise,kind,sector,amount,"
                                                      "tenor_months,purpose,description")],
    status_csv: Annotated[Path | None, typer.Option("--status", help="status.csv: request,at,status,to,amount — "
                                                                     "the steps the banks and programmes "
                                                                     "reported.")] = None,
    db: DbOption = None,
    on: Annotated[str | None, typer.Option(help="The day new requests are routed on (YYYY-MM-DD); default today.")]
    = None,
    by: Annotated[str, typer.Option(help="Who imports, for the audit log.")] = "import",
) -> None:
    """Store requests and their steps, all or nothing: a new request with no routed step in --status is routed to
    the registered packages; a step already stored is not stored twice; a step its request's earlier steps do
    not allow (approved before routed, disbursed before approved, anything after a withdrawal) is refused."""
    from vnindustry.linkage.connect import read_requests, read_statuses
    from vnindustry.linkage.stored_connect import StepRefused, import_requests

    try:
        requests = read_requests(requests_csv)
        steps = read_statuses(status_csv) if status_csv is not None else []
    except InputError as exc:
        raise fail(exc) from None
    try:
        saved = import_requests(store_at(db).engine, requests, steps, created_by=by, on=_day(on),
                                note=requests_csv.name)
    except StepRefused as exc:
        raise fail(InputError(str(exc), file=status_csv, line=_line_of(status_csv, exc.step), column="status",
                              fix="put the steps in their order (routed, approved, disbursed) and name a request "
                                  "of the file or the store; nothing was stored")) from None
    except ValueError as exc:
        raise fail(InputError(str(exc), file=requests_csv, fix="nothing was stored; correct the file")) from None
    console.print(f"requests: {len(saved.created)} new, {len(saved.unchanged)} already stored", highlight=False)


@connect_app.command("summary")
def summary_cmd(
    requests_csv: Annotated[Path | None, typer.Argument(help="connect.csv (or --db)")] = None,
    status_csv: Annotated[Path | None, typer.Argument(help="status.csv: request,at,status,to,amount")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Count the requests stored here instead of the files.")]
    = None,
) -> None:
    """Requests routed, approved and disbursed, and the amount disbursed, per programme and in all — each
    request counted once in all however many programmes it went to."""
    from rich.table import Table

    from vnindustry.linkage.connect import read_requests, read_statuses, summarise
    from vnindustry.publish.numbers import format_number

    names: dict[str, str] = {}
    if db is not None:
        from vnindustry.linkage.stored_connect import stored_summary

        rows, names = stored_summary(store_at(db).engine)
    else:
        if requests_csv is None or status_csv is None:
            raise typer.BadParameter("give connect.csv and status.csv, or --db")
        try:
            rows = summarise(read_requests(requests_csv), read_statuses(status_csv))
        except InputError as exc:
            raise fail(exc) from None
    table = Table("chương trình", "đề nghị", "được duyệt", "đã giải ngân", "số tiền (đồng)")
    for s in rows:
        label = "Tổng (mỗi đề nghị một lần)" if s.programme == "all" else \
            (f"{s.programme} — {names[s.programme]}" if s.programme in names else s.programme)
        table.add_row(label, str(s.requests), str(s.approved), str(s.disbursed), format_number(s.amount, 0, "vi"))
    console.print(table)
