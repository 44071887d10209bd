"""Key industrial products: ``vnindustry products template|score``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vnindustry.cli.common import (
    ReleaseDateOption,
    app,
    console,
    fail,
    parse_release_date,
    store_at,
)
from vnindustry.errors import InputError

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
        view = store_at(db).public_view(embargo=not internal)  # the scoring is published: confidential cells withheld
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
    released_on = parse_release_date(release_date)  # checked before any work is done
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
        raise fail(exc) from None
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
            store = store_at(db)
            rid = store_scoring(store, result, title=title or criteria_file.stem,
                                created_by=created_by or getpass.getuser(),
                                released_on=released_on or today_in_vietnam(),
                                note=f"scored from {criteria_file.name}", inputs=inputs)
        except InputError as exc:
            raise fail(exc) from None
        stored = load_scoring(store, rid)
        dated = f" dated {stored.released_on.isoformat()}" if stored is not None else ""
        console.print(f"Stored as release {rid}{dated}.", highlight=False, soft_wrap=True)
