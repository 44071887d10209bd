"""``vnindustry trade …``: trade competitiveness commands (issue 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vnindustry.cli.common import app, console, fail
from vnindustry.errors import InputError

trade_app = typer.Typer(no_args_is_help=True, help="Trade competitiveness from trade flows: RCA and related "
                        "indices (formulas: docs/method.md, 'Trade competitiveness').")
app.add_typer(trade_app, name="trade")

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


DbFlowsOption = Annotated[str | None, typer.Option(
    "--db", help="Read the flows from this store (trade_flows, latest release of each flow) instead of FLOWS.csv.")]


def _flows_input(flows_csv: Path | None, db: str | None, year: str | None):  # type: ignore[no-untyped-def]
    """The flows from FLOWS.csv or from the store (--db): exactly one of the two."""
    if (flows_csv is None) == (db is None):
        raise typer.BadParameter("give either FLOWS.csv or --db URL (the stored flows), not both or neither",
                                 param_hint="FLOWS.csv / --db")
    if flows_csv is not None:
        return _read_trade_flows(flows_csv, year)
    from vnindustry.store import open_store
    from vnindustry.store.trade import trade_flows

    flows = trade_flows(open_store(db))
    if flows.empty:
        raise InputError("the store holds no trade flows",
                         fix="load some first: vnindustry trade import FLOWS.csv --db URL (or trade import-gso)")
    monthly = flows["period"].str.len().gt(4).any()
    return flows, "period" if monthly else "year"


def _write_trade_csv(frame, out: Path, time_column: str) -> None:  # type: ignore[no-untyped-def]
    """UTF-8 with BOM (Excel shows the codes right), floats at full precision (repr), NaN as an empty cell."""
    from vnindustry.files import atomic_write_bytes

    frame = frame.rename(columns={"period": time_column})
    atomic_write_bytes(out, frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))


@trade_app.command("rca")
def trade_rca(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output CSV (UTF-8 with BOM).")],
    flows_csv: Annotated[Path | None, typer.Argument(
        metavar="[FLOWS.csv]", help="Columns year (or period),exporter,product,value (+ importer for market indices); "
        "or the OEC layout (Trade Value, Exporter Country ID, Section ID). Or --db instead.")] = None,
    index: Annotated[str, typer.Option(help="One of: " + ", ".join(TRADE_INDICES) + ".")] = "rca",
    market: MarketOption = None,
    exclude_crude_oil: CrudeOption = False,
    year: YearOption = None,
    db: DbFlowsOption = None,
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
        flows, time_column = _flows_input(flows_csv, db, year)
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
        raise fail(exc) from None
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
        raise fail(exc) from None
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
        raise fail(exc) from None
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
        raise fail(exc) from None
    _write_trade_csv(table, out, time_column)
    console.print(f"{index}: {len(table):,} pairs → {out}", highlight=False)


@trade_app.command("import")
def trade_import(
    flows_csv: Annotated[Path, typer.Argument(metavar="FLOWS.csv", help="As for 'trade rca' (docs/dataset-format.md, "
                                              "'Trade flows').")],
    db: Annotated[str | None, typer.Option("--db", help="The store's URL [env VNINDUSTRY_DB; default "
                                           "sqlite:///vnindustry.db].")] = None,
    release_date: Annotated[str | None, typer.Option(
        "--release-date", help="Date of the release (YYYY-MM-DD); a later-dated import revises. Default: today.")]
    = None,
    source: Annotated[str, typer.Option("--source", help="The release's source name (imports of one source are "
                                        "idempotent by content).")] = "trade",
    oec: Annotated[bool, typer.Option("--oec", help="The file has the OEC layout (Trade Value, Exporter Country "
                                      "ID, Section ID).")] = False,
    year: YearOption = None,
    note: Annotated[str, typer.Option(help="A note kept with the release (where the figures come from).")] = "",
) -> None:
    """Store FLOWS.csv in the store as one release (the same file again stores nothing)."""
    import datetime as dt

    from vnindustry.analysis.trade import read_flows_csv, read_oec_sections
    from vnindustry.store import open_store
    from vnindustry.store.repository import today_in_vietnam
    from vnindustry.store.trade import store_flows

    try:
        released = dt.date.fromisoformat(release_date) if release_date else today_in_vietnam()
    except ValueError:
        raise typer.BadParameter(f"'{release_date}' is not a date YYYY-MM-DD", param_hint="--release-date") from None
    if not source.strip() or len(source) > 40:
        raise typer.BadParameter("give a source name of 1–40 characters, e.g. trade or comtrade", param_hint="--source")
    if year is not None and not oec:
        raise typer.BadParameter("--year labels an OEC-layout file: add --oec (a flows CSV has its own year "
                                 "column)", param_hint="--year")
    try:
        flows = read_oec_sections(flows_csv, year=year) if oec else read_flows_csv(flows_csv)
        done = store_flows(open_store(db), flows, source=source, file=flows_csv.name, released_on=released,
                           note=note)
    except InputError as exc:
        raise fail(exc) from None
    if done.unchanged:
        console.print(f"{flows_csv}: already stored as release {done.release_id}; nothing changed.",
                      highlight=False, soft_wrap=True)
    else:
        console.print(f"{flows_csv}: {done.rows:,} flows ({flows['period'].nunique()} period(s), "
                      f"{flows['exporter'].nunique():,} exporters) stored as release {done.release_id} "
                      f"dated {released.isoformat()}.", highlight=False, soft_wrap=True)


@trade_app.command("import-gso")
def trade_import_gso(
    db: Annotated[str | None, typer.Option("--db", help="The store's URL [env VNINDUSTRY_DB; default "
                                           "sqlite:///vnindustry.db].")] = None,
    release_date: Annotated[str | None, typer.Option(
        "--release-date", help="Date of the release (YYYY-MM-DD); default: the date of the newest GSO release it "
        "reads. Never earlier than that (lineage).")] = None,
    internal: Annotated[bool, typer.Option(
        "--internal", "--preview",
        help="Also read GSO releases dated after today (embargoed); the flows are then embargoed "
        "with them, until the latest one's date.")] = False,
) -> None:
    """Turn GSO's exports and imports by commodity group, already in the store, into trade flows (VNM → WLD
    and WLD → VNM, USD), stored as one release of source trade-gso (HS codes: gso_commodity_hs.csv).

    Reads the public view (what is published today); the release records the GSO releases it was taken from."""
    import datetime as dt

    from vnindustry.store import open_store
    from vnindustry.store.trade import store_gso_flows

    try:
        released = dt.date.fromisoformat(release_date) if release_date else None
    except ValueError:
        raise typer.BadParameter(f"'{release_date}' is not a date YYYY-MM-DD", param_hint="--release-date") from None
    try:
        done = store_gso_flows(open_store(db), released_on=released, internal=internal)
    except InputError as exc:
        raise fail(exc) from None
    if done.unchanged:
        console.print(f"GSO flows already stored as release {done.release_id}; nothing changed.", highlight=False,
                      soft_wrap=True)
    else:
        dated = "" if done.released_on is None else f" dated {done.released_on.isoformat()}"
        console.print(f"GSO flows: {done.rows:,} stored as release {done.release_id}{dated}.", highlight=False,
                      soft_wrap=True)
