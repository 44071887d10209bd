"""Issue 15: EVFTA rules of origin — the rules as data (lookup, parse report), the calculator (MaxNOM, change of
heading with exceptions, tolerance at and past its limit, absorption over two levels, cumulation) and what would
make a product originate. Every expected figure below is computed by hand in the comment beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vnindustry.cli import app
from vnindustry.errors import InputError
from vnindustry.origin import OriginError, assess, check, parse_bom
from vnindustry.origin.advice import advise, headroom
from vnindustry.origin.parse import Change, MaxNOM, parse, report
from vnindustry.origin.rules import lookup, rule_sets

HEADER = "material,hs,value,origin,originating,level\n"


def bom(*lines: str):  # type: ignore[no-untyped-def]
    return parse_bom(HEADER + "\n".join(lines) + "\n")


# -- the rules as data ------------------------------------------------------------------------------------------
def test_the_rule_sets_and_the_parse_report() -> None:
    assert len(rule_sets()) == 383
    r = report()
    assert r["rule_sets"] == 383 and r["alternatives"] == 607
    assert r["computed"] + r["declared"] + r["unparsed"] == 607
    # Every alternative is in the report, parsed or with its reason — none silently dropped.
    listed = [a for s in r["sets"] for a in s["alternatives"]]
    assert len(listed) == 607 and all(a["reason"] for a in listed if a["kind"] == "unparsed")
    assert all(a["conditions"] for a in listed if a["kind"] != "unparsed")
    # Weight limits parsed into checkable limits (Note 4.2), those on materials named in words listed, not guessed.
    weights = [a for a in listed if "weight" in a["text"].lower()]
    assert sum(a["kind"] == "computed" for a in weights) >= 15
    assert all(a["reason"] for a in weights if a["kind"] == "unparsed")
    (c19,) = [s for s in r["sets"] if s["heading"] == "Chapter 19"]
    assert c19["alternatives"][0]["conditions"] == [
        "CTH", "weight of 02/03/16 together ≤ 20% of the product",
        "weight of 1006/1101/1102/1103/1104/1105/1106/1107/1108 together ≤ 20% of the product",
        "weight of 04 each ≤ 20% of the product", "weight of 1701/1702 each ≤ 40% of the product",
        "weight of 1701/1702 + 04 together ≤ 50% of the product"]


def test_lookup_takes_the_narrowest_range_and_parses_the_motor_rule() -> None:
    (motor,) = lookup("850152").candidates
    assert motor.heading == "8501 to 8502"
    cth, maxnom = (parse(motor, a) for a in motor.alternatives)
    assert cth.conditions == (Change("heading", ("8503",)),) and maxnom.conditions == (MaxNOM(50.0),)
    assert lookup("8501").rule_set == motor and lookup("8501.52").rule_set == motor
    plastics = lookup("392690").rule_set
    assert plastics is not None and plastics.heading == "Chapter 39"
    assert parse(plastics, plastics.alternatives[0]).conditions == (Change("heading", (), 20.0),)
    assert lookup("7308").rule_set is not None
    steel = lookup("730890").rule_set
    assert steel is not None and parse(steel, steel.alternatives[0]).conditions == (Change("heading", ("7301",)),)
    with pytest.raises(ValueError):
        lookup("85")


def test_ex_entries_sharing_a_range_ask_which_description() -> None:
    shared = {}
    for r in rule_sets():
        shared.setdefault((r.low, r.high), []).append(r)
    (low, _high), sets = next((k, v) for k, v in shared.items() if len(v) > 1)
    code = low[:6]
    found = lookup(code)
    assert len(found.candidates) >= 2 and found.rule_set is None
    with pytest.raises(OriginError) as caught:
        check(bom("x,3901,1,CN,,1"), code, 100)
    assert len(caught.value.candidates) == len(found.candidates)
    assert lookup(code, choice=sets[1].index).rule_set == sets[1]


# -- the calculator: the motor, by hand --------------------------------------------------------------------------
MOTOR = ("stator laminations,850390,22,CN,,1", "rotor assembly,850390,14,VN,,1", "copper wire,854411,12,CN,,1",
         "shaft,848310,4,VN,,1", "bearings,848210,5,JP,,1", "aluminium housing,760429,9,,,1")


def test_motor_fails_cth_but_passes_maxnom() -> None:
    # Non-originating: stator 22 (CN, heading 8503: excepted), wire 12, bearings 5, housing 9 (origin unknown)
    # = 48 of 100 → MaxNOM 48% ≤ 50%: alternative 2 passes with 2 points left. CTH except 8503 fails: the stator
    # (22%) is of 8503, past the 10% tolerance.
    r = check(bom(*MOTOR), "850152", 100)
    assert r.originates and r.maxnom_pct == pytest.approx(48.0)
    cth, maxnom = r.alternatives
    assert (cth.passes, cth.breaking, cth.tolerance_used) == (False, ("stator laminations",), False)
    assert maxnom.passes and r.used == maxnom and maxnom.margin_pct(r.maxnom_pct) == pytest.approx(2.0)
    assert [(h.limit, round(h.points, 9)) for h in headroom(r)] == [("MaxNOM 50%", 2.0)]
    assert any("Note 3.4" in x.cite for x in maxnom.reasons)


@pytest.mark.parametrize(("wire", "originates"), [(14.0, True), (14.01, False)])
def test_maxnom_at_and_past_the_limit(wire: float, originates: bool) -> None:
    # 22 + 14 + 5 + 9 = 50 → exactly 50%: "does not exceed" → passes; 50.01% → fails (CTH fails too: stator).
    lines = list(MOTOR)
    lines[2] = f"copper wire,854411,{wire},CN,,1"
    r = check(bom(*lines), "850152", 100)
    assert r.originates is originates and r.maxnom_pct == pytest.approx(36 + wire)


def test_motor_that_fails_both_and_what_would_make_it_originate() -> None:
    # Stator 30 (CN, 8503), wire 15 (CN), bearings 6 (JP), housing 10 (CN) → 61% > 50%; the stator breaks CTH.
    # Sourcing the stator alone: MaxNOM 31% ≤ 50% (margin 19 points) and CTH clean (margin 10 points to the
    # tolerance): one material suffices, and the alternative leaving most room is the MaxNOM (19 > 10).
    materials = bom("stator,850390,30,CN,,1", "copper wire,854411,15,CN,,1", "shaft,848310,5,VN,,1",
                    "bearings,848210,6,JP,,1", "housing,760429,10,CN,,1")
    r = check(materials, "850152", 100)
    assert not r.originates and r.maxnom_pct == pytest.approx(61.0)
    a = advise(r, materials)
    assert a is not None and [m.name for m in a.materials] == ["stator"] and a.exact
    assert a.alternative == 2 and a.maxnom_after == pytest.approx(31.0) and a.margin_pct == pytest.approx(19.0)


def test_the_search_is_bounded() -> None:
    # Retreaded tyres with 16 non-originating materials: only sourcing all of them makes the rule's process
    # unnecessary (no non-originating material left); the exact search would try 2^16 sets — past the budget
    # it returns the largest-first set, said not exact. Nothing at all works → None.
    (rs,) = [r for r in lookup("401211").candidates if "▸ Retreaded" in r.description]
    many = bom(*[f"part{i},{5200 + i % 8}10,5,CN,,1" for i in range(16)])
    r = check(many, "401211", 100, choice=rs.index)
    a = advise(r, many, choice=rs.index, budget=200)
    assert a is not None and len(a.materials) == 16 and a.exact is False
    shirt = bom("fabric,520812,40,CN,,1")
    assert advise(check(shirt, "620520", 100), shirt) is not None  # sourcing the fabric: made from originating
    assert advise(check(bom("x,850152,10,VN,,1"), "850152", 100), bom("x,850152,10,VN,,1")) is None  # passes


def test_a_motor_that_passes_cth() -> None:
    # Nothing of 8501 or 8503 is non-originating: CTH except 8503 passes with the whole tolerance left (10 points)
    # although MaxNOM is 60% (> 50%).
    r = check(bom("copper wire,854411,30,CN,,1", "bearings,848210,10,JP,,1", "magnets,850511,20,CN,,1"),
              "850152", 100)
    cth, maxnom = r.alternatives
    assert r.originates and r.used == cth and cth.margin_pct(r.maxnom_pct) == pytest.approx(10.0)
    assert maxnom.passes is False and r.maxnom_pct == pytest.approx(60.0)


# -- tolerance -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "passes", "used"), [(10.0, True, True), (10.5, False, False)])
def test_tolerance_at_and_past_its_limit(value: float, passes: bool, used: bool) -> None:
    # Aluminium article 761699, rule "CTH" only: a non-originating material of 7616 itself worth 10% of the
    # ex-works price is admitted by the general tolerance (Article 5(3)); 10.5% is not.
    r = check(bom(f"aluminium fittings,761699,{value},CN,,1", "aluminium sheet,760611,40,CN,,1"), "761699", 100)
    (cth,) = r.alternatives
    assert (r.originates, cth.tolerance_used) == (passes, used) and cth.tolerated_pct == pytest.approx(value)


@pytest.mark.parametrize(("other", "passes"), [(40.0, True), (45.0, False)])
def test_the_tolerance_never_pushes_past_a_maxnom(other: float, passes: bool) -> None:
    # 3505 (modified starches): one alternative, "CTH, in which the value of all the materials used does not
    # exceed 50%". A non-originating 3505 material of 8% is within the tolerance for the CTH (Article 5(3)); the
    # MaxNOM still counts it (5(4)): 8 + 40 = 48% ≤ 50% passes, 8 + 45 = 53% > 50% fails.
    r = check(bom("modified starch,350510,8,CN,,1", f"maize starch,110812,{other},CN,,1"), "350510", 100)
    (alt,) = r.alternatives
    assert alt.tolerance_used and alt.maxnom_limit == 50.0
    assert (r.originates, alt.passes) == (passes, passes) and r.maxnom_pct == pytest.approx(8 + other)


def test_textiles_get_their_own_tolerances_not_the_general_one() -> None:
    # 6217 "CTH and MaxNOM 40%": a non-originating 6217 trim of 8% would be within the general 10%, but Chapters
    # 50–63 have their own tolerances (Article 5(3)(b)): Note 7.1 admits textile materials of *another* heading
    # only, and one basic textile material is not a mixed product for Note 6 (6.2) — so it fails.
    (rs,) = [r for r in rule_sets() if r.heading == "6217" and any("and in which" in a.text for a in r.alternatives)]
    r = check(bom("trim,621790,8,CN,,1", "buttons,960621,20,CN,,1"), "621790", 100, choice=rs.index)
    (alt,) = [a for a in r.alternatives if a.maxnom_limit == 40.0]
    assert alt.passes is False and not alt.tolerance_used and any("7.1" in x.cite for x in alt.reasons)


def test_a_shirt_from_yarn_passes_from_imported_fabric_fails() -> None:
    # 620520, "Weaving accompanied by making-up (including cutting)": the BOM shows how far the non-originating
    # textiles were worked — Chinese yarn (stage yarn) may be, so the weaving was done here; Chinese fabric
    # (stage fabric, 40% of the price) may not: not a mixed product (Note 6.2), past Note 7.1's 8% — it fails.
    # Buttons are free (Note 7.2).
    from_yarn = check(bom("cotton yarn,520523,30,CN,,1", "buttons,960621,2,CN,,1"), "620520", 100)
    assert from_yarn.originates and from_yarn.used is not None and from_yarn.used.number == 1
    from_fabric = check(bom("woven cotton fabric,520812,40,CN,,1", "buttons,960621,2,CN,,1"), "620520", 100)
    first = from_fabric.alternatives[0]
    assert first.passes is False and first.breaking == ("woven cotton fabric",)
    # A trim of imported printed fabric worth 8% (another heading): admitted by Note 7.1.
    trimmed = check(bom("cotton yarn,520523,28,CN,,1", "printed fabric,520852,8,CN,,1"), "620520", 100)
    assert trimmed.originates and trimmed.alternatives[0].tolerance_used


def test_a_process_rule_a_bill_of_materials_cannot_show_needs_the_declaration() -> None:
    # Retreaded tyres (4012, the "retreaded" description): "Retreading of used tyres" — only the exporter can say.
    (rs,) = [r for r in lookup("401211").candidates if "▸ Retreaded" in r.description]
    tyres = bom("used tyres,401220,40,JP,,1", "tread rubber,400599,20,TH,,1")
    r = check(tyres, "401211", 100, choice=rs.index)
    assert not r.originates and r.alternatives[0].kind == "declared"
    declared = check(tyres, "401211", 100, choice=rs.index, processes=["Retreading of used tyres."])
    assert declared.originates and declared.used is not None and declared.used.number == 1


# -- absorption and cumulation -------------------------------------------------------------------------------------
def test_absorption_over_two_levels() -> None:
    # A power tool 846729 (ex Chapter 84: CTH or MaxNOM 70%, say) with a motor made in Viet Nam (level 1, value 40)
    # from a stator (level 2: an 8503 part made in Viet Nam from CN steel 850390? no — from electrical steel 7226,
    # level 3, value 15, CN) and CN wire (level 2, 12). The stator (8503) meets its rule by CTH (steel 7226 is of
    # another heading) → originating; so the motor's only non-originating input is the wire (12 of 40 = 30%) → it
    # passes 8501's CTH except 8503 (wire 8544) → the motor counts as wholly originating in the tool: its CN
    # materials vanish from the tool's count (Article 5(2)). The tool's own non-originating: gearbox 848340, 20 CN
    # → MaxNOM 20% of 100.
    materials = bom("motor,850140,40,VN,,1", "stator,850390,20,VN,,2", "electrical steel,722619,15,CN,,3",
                    "copper wire,854411,12,CN,,2", "gearbox,848340,20,CN,,1", "housing,390740,10,VN,,1")
    r = check(materials, "846729", 100)
    motor = r.materials[0]
    assert motor.originating and motor.sub is not None and motor.sub.originates
    assert motor.sub.materials[0].originating and motor.sub.materials[0].sub is not None  # the stator, level 3
    assert r.maxnom_pct == pytest.approx(20.0) and r.originates
    assert "Article 5(2)" in motor.reason.cite


def test_a_sub_assembly_that_fails_counts_whole() -> None:
    # The same motor with its stator bought from China (non-originating 8503 at 20 of 40: past the tolerance
    # for CTH except 8503) and MaxNOM (20 + 12) / 40 = 80% > 50% → the motor fails its rule and counts as
    # non-originating at its full 40 in the tool: 40 + 20 = 60%.
    materials = bom("motor,850140,40,VN,,1", "stator,850390,20,CN,,2", "copper wire,854411,12,CN,,2",
                    "gearbox,848340,20,CN,,1", "housing,390740,10,VN,,1")
    r = check(materials, "846729", 100)
    assert not r.materials[0].originating and r.materials[0].sub is not None
    assert r.materials[0].sub.maxnom_pct == pytest.approx(80.0) and r.maxnom_pct == pytest.approx(60.0)


def test_bilateral_cumulation_and_declared_origin() -> None:
    # EU materials count as originating (Article 3(1)); a CN material with its own proof (originating=yes) too;
    # a VN material declared non-originating does not.
    r = check(bom("stator,850390,30,DE,,1", "wire,854411,20,CN,yes,1", "magnets,850511,25,VN,no,1"), "850152", 100)
    statuses = {s.material.name: s.originating for s in r.materials}
    assert statuses == {"stator": True, "wire": True, "magnets": False}
    assert r.maxnom_pct == pytest.approx(25.0) and r.originates
    assert "Article 3(1)" in r.materials[0].reason.cite


# -- the bill of materials and the command -------------------------------------------------------------------------
@pytest.mark.parametrize(("line", "column"), [
    ("stator,85039,22,CN,,1", "hs"), ("stator,850390,22 tỷ,CN,,1", "value"), ("stator,850390,22,China,,1", "origin"),
    ("stator,850390,22,CN,maybe,1", "originating"), ("stator,850390,22,CN,,3", "level"),
])
def test_bad_lines_name_the_line_and_column(line: str, column: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_bom(HEADER + "ok,850390,1,CN,,1\n" + line + "\n", path="bom.csv")
    assert caught.value.line == 3 and caught.value.column == column and "bom.csv" in str(caught.value)


def test_the_command(tmp_path: Path) -> None:
    path = tmp_path / "motor.csv"
    path.write_text(HEADER + "\n".join(("stator,850390,30,CN,,1", "copper wire,854411,15,CN,,1",
                                        "shaft,848310,5,VN,,1", "housing,760429,10,CN,,1")) + "\n", encoding="utf-8")
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("supplier,name,district,ownership,hs,processes,certifications,capacity,description\n"
                         "S1,Công ty Điện cơ Thống Nhất,Thủ Đức,vn,8503;8501,motor winding,,1000,stato\n"
                         "S2,Công ty Nhựa Sài Gòn,Bình Tân,vn,3926,injection moulding,,1000,nhựa\n", encoding="utf-8")
    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["origin", "check", str(path), "--hs", "850152", "--ex-works", "100",
                                      "--out", str(out), "--suppliers", str(suppliers)])
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text(encoding="utf-8"))
    # 30 + 15 + 10 = 55% > 50%; the stator (8503) breaks CTH → fails; sourcing the stator → 25%.
    assert answer["originates"] is False and answer["maxnom_pct"] == pytest.approx(55.0)
    assert answer["rule"]["heading"] == "8501 to 8502" and answer["reasons"]
    assert answer["to_originate"]["source_as_originating"] == ["stator"]
    assert answer["to_originate"]["suppliers"]["stator"][0]["supplier"] == "S1"
    assert answer["source"]["commit"].startswith("3c0266943e27") and "ràng buộc" in answer["disclaimer"]
    bad = CliRunner().invoke(app, ["origin", "check", str(path), "--hs", "0000", "--ex-works", "100"])
    assert bad.exit_code == 1 and "no rule of Annex II" in bad.output
    path.write_text(HEADER + "stator,8503x,30,CN,,1\n", encoding="utf-8")
    bad = CliRunner().invoke(app, ["origin", "check", str(path), "--hs", "850152", "--ex-works", "100"])
    assert bad.exit_code == 1 and "line 2" in bad.output and "'hs'" in bad.output
    english = assess(bom("stator,850390,30,CN,,1"), "850152", 100, lang="en")
    assert english["originates"] is True and "self-assessment" in english["disclaimer"]


# -- HS 2022 ---------------------------------------------------------------------------------------------------
def test_hs_2022_read_in_hs_2012_where_the_correlation_allows() -> None:
    from vnindustry.origin.hs2022 import to_hs2012

    assert to_hs2012("850152").code == "850152" and not to_hs2012("850152").note_en  # unchanged
    electric = to_hs2012("870380")  # electric cars: a new subheading in 2022, 8703.90 in 2012
    assert electric.code == "870390" and "870390" in electric.note_en
    split = to_hs2012("290960")  # one HS 2022 code, two HS 2012 ones of different headings
    assert split.code is None and split.targets == ("290960", "291100") and "give the HS 2012 code" in split.note_en
    assert to_hs2012("852411").code is None and len(to_hs2012("852411").targets) > 100  # display modules
    assert to_hs2012("911490").targets == ("911410", "911490")  # the source table's gap, filled (SOURCE)
    # The product's 2022 code read in 2012; a material's that cannot be is kept as given and said so.
    materials = bom("display module,852411,10,CN,,1", "stator,850300,30,CN,,1")
    answer = assess(materials, "870380", 100, hs_version="2022", lang="en")
    assert answer["hs"] == "870390" and answer["hs_version"] == "2022"
    assert any("870390" in n for n in answer["hs_notes"]) and any("display module" in n for n in answer["hs_notes"])
    with pytest.raises(OriginError, match="several HS 2012 codes"):
        assess(materials, "290960", 100, hs_version="2022")


def test_weight_limits_need_weights_and_count_only_non_originating_materials() -> None:
    # Chapter 19 (a pasta 190219): CTH, and the weight of non-originating materials of chapters 2, 3 and 16
    # together at most 20% of the product's weight (Note 4.2.1). Fish 12 kg + sausage 10 kg of 100 kg = 22% >
    # 20% → fails; the same sausage from Viet Nam leaves 12% → passes; without the product's weight: not
    # determined, never a guess.
    lines = ("fish,030441,10,NO,,1", "sausage,160100,8,CN,,1", "flour,110100,20,VN,,1")
    weighed = parse_bom("material,hs,value,origin,weight\nfish,030441,10,NO,12\nsausage,160100,8,CN,10\n"
                        "flour,110100,20,VN,60\n")
    r = check(weighed, "190219", 100, weight=100)
    assert not r.originates and r.determined
    assert any("22,00%" in x.vi and "Ghi chú 4.2" in x.text("vi") for x in r.alternatives[0].reasons)
    local = parse_bom("material,hs,value,origin,weight\nfish,030441,10,NO,12\nsausage,160100,8,VN,10\n"
                      "flour,110100,20,VN,60\n")
    assert check(local, "190219", 100, weight=100).originates
    unknown = check(bom(*lines), "190219", 100)
    assert not unknown.originates and not unknown.determined and unknown.alternatives[0].passes is None
