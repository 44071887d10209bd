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
