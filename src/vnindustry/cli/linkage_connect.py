"""``vnindustry linkage connect route|summary``: business connection requests (issue 14, item 6)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Annotated

import typer

from vnindustry.cli.common import console, fail
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
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"'{on}' is not a date YYYY-MM-DD", param_hint="--on") from None
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


@connect_app.command("summary")
def summary_cmd(
    requests_csv: Annotated[Path, typer.Argument(help="connect.csv")],
    status_csv: Annotated[Path, typer.Argument(help="status.csv: request,at,status,to,amount")],
) -> None:
    """Requests routed, approved and disbursed, and the amount disbursed, per programme and in all — each
    request counted once in all however many programmes it went to."""
    from rich.table import Table

    from vnindustry.linkage.connect import read_requests, read_statuses, summarise
    from vnindustry.publish.numbers import format_number

    try:
        rows = summarise(read_requests(requests_csv), read_statuses(status_csv))
    except InputError as exc:
        raise fail(exc) from None
    table = Table("chương trình", "đề nghị", "được duyệt", "đã giải ngân", "số tiền (đồng)")
    for s in rows:
        table.add_row("Tổng (mỗi đề nghị một lần)" if s.programme == "all" else s.programme, str(s.requests),
                      str(s.approved), str(s.disbursed), format_number(s.amount, 0, "vi"))
    console.print(table)
