"""``vnindustry origin check|rules|lookup``: EVFTA rules of origin from a bill of materials (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from vnindustry.cli.common import app, console, fail, store_at
from vnindustry.errors import InputError

origin_app = typer.Typer(no_args_is_help=True, help="EVFTA rules of origin: does a product originate, by which "
                         "rule and margin, and which input sourced locally would make it (docs/origin.md).")
app.add_typer(origin_app, name="origin")


@origin_app.command("check")
def check_cmd(
    bom: Annotated[Path, typer.Argument(help="BOM.csv: material,hs,value,origin[,weight][,originating][,level]")],
    hs: Annotated[str, typer.Option("--hs", help="The product's HS 2012 code (4–10 digits), e.g. 850152.")],
    ex_works: Annotated[float, typer.Option("--ex-works", help="The product's ex-works price, in the currency of "
                                                               "the BOM's values.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the answer as JSON.")] = None,
    lang: Annotated[str, typer.Option(help="vi or en.")] = "vi",
    process: Annotated[list[str] | None, typer.Option("--process", help="A specific process carried out, as the "
                                                                        "rule words it (repeatable).")] = None,
    rule_set: Annotated[int | None, typer.Option("--rule-set", help="The rule set when several \"ex\" descriptions "
                                                                    "apply (the command lists them).")] = None,
    weight: Annotated[float | None, typer.Option("--weight", help="The product's weight, in the unit of the BOM's "
                                                             "weights (the weight limits of Chapters 1–24).")] = None,
    hs_version: Annotated[str, typer.Option("--hs-version", help="2012 (the rules' own) or 2022: read the codes "
                                            "in HS 2012 where the correlation allows, saying how.")] = "2012",
    minimal_only: Annotated[bool, typer.Option("--minimal-operations-only", help="The working in Viet Nam is only "
                                               "operations Article 6 lists (simple assembly, packing, …): no "
                                               "origin, whatever the rule.")] = False,
    suppliers_csv: Annotated[Path | None, typer.Option("--suppliers", help="suppliers.csv (docs/linkage.md): name "
                                                                           "who makes each input to source.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Name the consenting suppliers of this store instead.")]
    = None,
) -> None:
    """Whether the product originates under the EVFTA, by which alternative rule and margin, every conclusion with
    its note or article — and, when it does not, the smallest set of inputs to source from Viet Nam (or the EU)."""
    from vnindustry.files import atomic_write_bytes
    from vnindustry.origin import OriginError, assess, read_bom

    if lang not in ("vi", "en"):
        raise typer.BadParameter("use vi or en", param_hint="--lang")
    if hs_version not in ("2012", "2022"):
        raise typer.BadParameter("use 2012 or 2022", param_hint="--hs-version")
    try:
        materials = read_bom(bom)
        suppliers: list = []
        if suppliers_csv is not None:
            from vnindustry.linkage import read_suppliers

            suppliers = read_suppliers(suppliers_csv)[0]
        elif db is not None:
            from vnindustry.linkage.stored import load_suppliers

            suppliers = load_suppliers(store_at(db).engine, consenting_only=True)
        answer = assess(materials, hs, ex_works, processes=process or (), rule_set=rule_set,
                        minimal_only=minimal_only, hs_version=hs_version, weight=weight, suppliers=suppliers,
                        lang=lang)
    except InputError as exc:
        raise fail(exc) from None
    except OriginError as exc:
        listed = "".join(f"\n  --rule-set {r.index}: {r.heading} — {r.description}" for r in exc.candidates)
        raise fail(InputError(str(exc) + listed, fix="give --rule-set with the description that fits the product"
                              if exc.candidates else "check the product's HS code (HS 2012)")) from None
    if out is not None:
        atomic_write_bytes(out, json.dumps(answer, ensure_ascii=False, indent=2).encode("utf-8"))
    _print(answer, lang)


def _print(answer: dict, lang: str) -> None:
    vi = lang == "vi"
    rule = answer["rule"]
    from vnindustry.origin.answer import verdict

    console.print(f"HS {answer['hs']}: {verdict(answer, lang)} — {rule['heading']}: {rule['description']}",
                  highlight=False)
    for note in answer.get("hs_notes", []):
        console.print(f"[yellow]HS:[/] {note}", highlight=False)
    pct = f"{answer['maxnom_pct']:.2f}".replace(".", "," if vi else ".")
    console.print(f"MaxNOM {pct}%", highlight=False)
    for a in answer["alternatives"]:
        mark = {True: "✓", False: "✗", None: "?"}[a["passes"]]
        console.print(f" {mark} {a['number']}. {(a['text_vi'] if vi else None) or a['text']}", highlight=False)
        for r in a["reasons"]:
            console.print(f"     - {r}", highlight=False)
    for r in answer["reasons"][:2]:
        console.print(r, highlight=False)
    todo = answer.get("to_originate")
    if todo:
        console.print(("Để đạt xuất xứ, mua trong nước (hoặc từ EU): " if vi else "To originate, source locally (or "
                       "from the EU): ") + ", ".join(todo["source_as_originating"])
                      + (f" → phương án {todo['alternative']}" if vi else f" → alternative {todo['alternative']}"),
                      highlight=False)
        for name, found in todo["suppliers"].items():
            if found:
                console.print(f"   {name}:", highlight=False)
                for s in found:
                    console.print(f"     – {s['name']} ({s['supplier']}): {s['why']}", highlight=False)
    for h in answer.get("headroom", []):
        points = f"{h['points']:.2f}".replace(".", "," if vi else ".")
        unit, alt = ("điểm phần trăm", "phương án") if vi else ("points", "alternative")
        console.print(("Còn " if vi else "Headroom ") + f"{points} {unit} ({h['limit']}, {alt} {h['alternative']})",
                      highlight=False)
    console.print(answer["disclaimer"], highlight=False, style="dim")


@origin_app.command("rules")
def rules_cmd(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the whole parse report as JSON.")] = None,
) -> None:
    """The parse report: every rule set of Annex II, each alternative parsed into conditions or listed with the
    reason it was not (never guessed)."""
    from vnindustry.files import atomic_write_bytes
    from vnindustry.origin.parse import report
    from vnindustry.origin.rules import RULE_SET

    r = report()
    if out is not None:
        atomic_write_bytes(out, json.dumps({"source": RULE_SET.__dict__, **r}, ensure_ascii=False,
                                           indent=1).encode("utf-8"))
    console.print(f"{r['rule_sets']} rule sets, {r['alternatives']} alternative rules: {r['computed']} computed "
                  f"from the bill of materials, {r['declared']} a specific process (textile ones read from the bill of "
                  f"materials, others declared by the exporter), {r['unparsed']} "
                  f"not parsed; {r['rule_sets_fully_parsed']} rule sets fully parsed, "
                  f"{r['rule_sets_with_a_usable_alternative']} with at least one usable alternative.",
                  highlight=False)
    console.print(f"Rules: {RULE_SET.name}; {RULE_SET.source} @ {RULE_SET.commit[:12]} ({RULE_SET.date}).",
                  highlight=False)


@origin_app.command("lookup")
def lookup_cmd(hs: Annotated[str, typer.Argument(help="An HS 2012 code, 4–10 digits.")]) -> None:
    """The rule set(s) of Annex II for an HS code, with each alternative as parsed."""
    from vnindustry.origin.parse import parse
    from vnindustry.origin.rules import lookup

    try:
        found = lookup(hs)
    except ValueError as exc:
        raise fail(InputError(str(exc))) from None
    if not found.candidates:
        raise fail(InputError(f"no rule of Annex II covers HS {hs}", fix="check the code (HS 2012)"))
    for r in found.candidates:
        console.print(f"[{r.index}] {r.heading} — {r.description}", highlight=False)
        for a in r.alternatives:
            p = parse(r, a)
            console.print(f"  {a.number}. {a.text}\n     → {p.kind}"
                          + (f": {p.unparsed}" if p.unparsed else ""), highlight=False)
