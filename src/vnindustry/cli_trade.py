"""``vnindustry trade …``: trade competitiveness commands (issue 7), a Typer sub-app registered by ``vnindustry.cli``.

Kept in its own module so cli.py stays a list of thin commands. Exit codes as in cli.py: 0 success, 1 bad
input (message on stderr), 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vnindustry.errors import InputError

console = Console(stderr=True)


def _fail(exc: Exception) -> typer.Exit:
    console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


trade_app = typer.Typer(no_args_is_help=True, help="Trade competitiveness from trade flows: RCA and related "
                        "indices (formulas: docs/method.md, 'Trade competitiveness').")

TRADE_INDICES = ("rca", "presence", "symmetric", "normalized", "market", "specialisation", "market-share", "lafay")
MarketOption = Annotated[str | None, typer.Option(
    "--market", help="Importer code(s), comma-separated, or a group: EU, ASEAN, RCEP, CPTPP (ISO alpha-3 importers).")]
CrudeOption = Annotated[bool, typer.Option(
    "--exclude-crude-oil", help="Leave out crude oil (HS 2709); needs HS codes at 4 or 6 digits.")]
YearOption = Annotated[str | None, typer.Option(
    "--year", help="The year of an OEC-layout file without a Year column.")]


def _read_trade_flows(path: Path, year: str | None):  # type: ignore[no-untyped-def]
    """Flows CSV (year|period,exporter,[importer,]product,value) or the OEC layout, and the time column's name."""
    from vnindustry.analysis.trade import read_flows_csv, read_oec_sections
    from vnindustry.sources.csvfile import read_header

    if not path.is_file():
        raise InputError("file not found", file=path, fix=f"expected a CSV file at {path}")
    header = read_header(path)
    if "Trade Value" in header and "Section ID" in header:  # the OEC / Datawheel layout
        return read_oec_sections(path, year=year), "year"
    return read_flows_csv(path), "period" if "period" in header and "year" not in header else "year"


def _write_trade_csv(frame, out: Path, time_column: str) -> None:  # type: ignore[no-untyped-def]
    """UTF-8 with BOM (Excel shows the codes right), floats at full precision (repr), NaN as an empty cell."""
    from vnindustry.files import atomic_write_bytes

    frame = frame.rename(columns={"period": time_column})
    atomic_write_bytes(out, frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))


@trade_app.command("rca")
def trade_rca(
    flows_csv: Annotated[Path, typer.Argument(
        metavar="FLOWS.csv", help="Columns year (or period),exporter,product,value (+ importer for market indices); "
        "or the OEC layout (Trade Value, Exporter Country ID, Section ID).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output CSV (UTF-8 with BOM).")],
    index: Annotated[str, typer.Option(help="One of: " + ", ".join(TRADE_INDICES) + ".")] = "rca",
    market: MarketOption = None,
    exclude_crude_oil: CrudeOption = False,
    year: YearOption = None,
) -> None:
    """Revealed comparative advantage per year, exporter and product (and the chosen related index):
    year,exporter,product,rca[,index], unrounded."""
    from vnindustry.analysis import trade

    if index not in TRADE_INDICES:
        raise typer.BadParameter(f"use one of {', '.join(TRADE_INDICES)}", param_hint="--index")
    if index in ("market", "specialisation") and not market:
        raise typer.BadParameter(f"--index {index} needs --market CODE(S), e.g. --market EU", param_hint="--market")
    if index == "lafay" and market:
        raise typer.BadParameter("the Lafay index compares a country's own exports and imports: drop --market",
                                 param_hint="--market")
    in_market = market if index not in ("specialisation", "lafay") else None
    try:
        flows, time_column = _read_trade_flows(flows_csv, year)
        options = {"exclude_crude_oil": exclude_crude_oil}
        table = trade.rca(flows, market=in_market, **options)
        keys = [c for c in ("period", "exporter", "market", "product") if c in table.columns]
        extra = {
            "presence": lambda: trade.rca_presence(flows, market=in_market, **options),
            "symmetric": lambda: trade.symmetric_rca(flows, market=in_market, **options),
            "normalized": lambda: trade.normalized_rca(flows, market=in_market, **options),
            "market-share": lambda: trade.market_share(flows, market=in_market, **options),
            "specialisation": lambda: trade.export_specialisation(flows, market, **options),
            "lafay": lambda: trade.lafay(flows, **options),
        }.get(index)
        if extra is not None:
            other = extra()
            keys = [c for c in ("period", "exporter", "market", "product") if c in other.columns]
            # The index's own rows (ES and Lafay may add products or countries), with the RCA where defined.
            table = other.merge(table.drop(columns=["market"], errors="ignore"),
                                on=["period", "exporter", "product"], how="left")
            table = table[[*keys, "rca", *[c for c in other.columns if c not in keys]]]
    except (InputError, ValueError) as exc:
        raise _fail(exc) from None
    _write_trade_csv(table, out, time_column)
    console.print(f"{index}: {len(table):,} rows ({table['period'].nunique()} period(s), "
                  f"{table['exporter'].nunique():,} exporters) → {out}", highlight=False)


@trade_app.command("concentration")
def trade_concentration(
    flows_csv: Annotated[Path, typer.Argument(metavar="FLOWS.csv", help="As for 'trade rca'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output CSV (UTF-8 with BOM).")],
    market: MarketOption = None,
    exclude_crude_oil: CrudeOption = False,
    year: YearOption = None,
) -> None:
    """Export concentration (Hirschman–Herfindahl) per year and exporter: hhi and normalized hhi."""
    from vnindustry.analysis.trade import export_concentration

    try:
        flows, time_column = _read_trade_flows(flows_csv, year)
        table = export_concentration(flows, market=market, exclude_crude_oil=exclude_crude_oil)
    except (InputError, ValueError) as exc:
        raise _fail(exc) from None
    _write_trade_csv(table, out, time_column)
    console.print(f"concentration: {len(table):,} rows → {out}", highlight=False)


@trade_app.command("complexity")
def trade_complexity(
    flows_csv: Annotated[Path, typer.Argument(metavar="FLOWS.csv", help="As for 'trade rca'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="ECI per year and exporter (CSV, UTF-8 with BOM).")],
    pci_out: Annotated[Path | None, typer.Option("--pci-out", help="Also write PCI per year and product.")] = None,
    threshold: Annotated[float, typer.Option(help="Presence when RCA ≥ this.")] = 1.0,
    market: MarketOption = None,
    exclude_crude_oil: CrudeOption = False,
    year: YearOption = None,
) -> None:
    """Economic complexity (ECI) of exporters and product complexity (PCI), eigenvector method."""
    from vnindustry.analysis.trade import complexity

    try:
        flows, time_column = _read_trade_flows(flows_csv, year)
        eci, pci = complexity(flows, threshold=threshold, market=market, exclude_crude_oil=exclude_crude_oil)
    except (InputError, ValueError) as exc:
        raise _fail(exc) from None
    _write_trade_csv(eci, out, time_column)
    if pci_out is not None:
        _write_trade_csv(pci, pci_out, time_column)
    console.print(f"complexity: {len(eci):,} exporters, {len(pci):,} products → {out}", highlight=False)


@trade_app.command("pairs")
def trade_pairs(
    flows_csv: Annotated[Path, typer.Argument(metavar="FLOWS.csv", help="As for 'trade rca'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output CSV (UTF-8 with BOM).")],
    index: Annotated[str, typer.Option(help="complementarity (exporter × importer, needs importers) or "
                                            "similarity (exporter × exporter).")] = "similarity",
    market: MarketOption = None,
    exclude_crude_oil: CrudeOption = False,
    year: YearOption = None,
) -> None:
    """Indices of pairs: trade complementarity (Michaely) or export similarity (Finger–Kreinin), 0–100."""
    from vnindustry.analysis.trade import export_similarity, trade_complementarity

    if index not in ("complementarity", "similarity"):
        raise typer.BadParameter("use complementarity or similarity", param_hint="--index")
    if index == "complementarity" and market:
        raise typer.BadParameter("complementarity pairs every exporter with every importer: drop --market",
                                 param_hint="--market")
    try:
        flows, time_column = _read_trade_flows(flows_csv, year)
        if index == "similarity":
            table = export_similarity(flows, market=market, exclude_crude_oil=exclude_crude_oil)
        else:
            table = trade_complementarity(flows, exclude_crude_oil=exclude_crude_oil)
    except (InputError, ValueError) as exc:
        raise _fail(exc) from None
    _write_trade_csv(table, out, time_column)
    console.print(f"{index}: {len(table):,} pairs → {out}", highlight=False)
