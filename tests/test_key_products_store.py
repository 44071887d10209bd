"""Key-product criteria from the store (analysis/key_products/from_store.py), checked by hand on a tiny store:
a compiled two-industry dataset with its register, and a few trade flows; and the CLI's --fill-from-store."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import vnindustry
from builders import months, write_csv, write_dataset
from vnindustry.analysis.key_products import fill_values, make_table, read_criteria, write_template
from vnindustry.analysis.key_products.from_store import CandidateLink, links_of, store_figures, store_values
from vnindustry.analysis.key_products.workbook import SHEET_CRITERIA
from vnindustry.analysis.trade import group_rca, rca
from vnindustry.errors import InputError
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.store.register import import_dataset
from vnindustry.store.trade import store_flows

# Every product of an industry moves by the same ratio to its base quantity, so an industry's index is
# 100 × the ratio whatever the weighting inside it; odd months are 5% low and even months 5% high, so a
# full year's mean is exactly 100 × the ratio. 2023 has three months only: not a full year.
RATIO = {"1020": {2020: 1.0, 2021: 1.1, 2022: 1.21, 2023: 1.3}, "1077": {2020: 1.0, 2021: 0.9, 2022: 0.8, 2023: 0.7}}
PRODUCTS = [("P1", "1020", 30.0, 10.0), ("P2", "1020", 10.0, 5.0), ("P3", "1077", 60.0, 20.0)]
INDUSTRIES = [("TOTAL", "", None), ("C", "TOTAL", None), ("10", "C", None), ("1020", "10", 6.0), ("1077", "10", 4.0)]

# Flows into the EU (DEU, FRA) in 2022; the USA and 2021 flows must be left out.
EU_2022 = {  # exporter → product → value
    "VNM": {"03": 10.0, "1604": 5.0, "61": 20.0, "62": 15.0, "85": 50.0},  # total 100
    "CHN": {"03": 5.0, "1604": 5.0, "61": 40.0, "62": 30.0, "85": 120.0},  # total 200
}
LINKS = {"K1": CandidateLink("1020", ("03", "16")), "K2": CandidateLink("1077", ("61", "62")),
         "K3": CandidateLink("", ("85",))}


def _flows() -> pd.DataFrame:
    rows = []
    for exporter, values in EU_2022.items():
        for product, value in values.items():
            rows += [("2022", exporter, "DEU", product, value * 0.6), ("2022", exporter, "FRA", product, value * 0.4),
                     ("2022", exporter, "USA", product, value * 7), ("2021", exporter, "DEU", product, value * 3)]
    rows.append(("2022", "USA", "DEU", "85", 0.0))  # an exporter with nothing: no effect
    frame = pd.DataFrame(rows, columns=["period", "exporter", "importer", "product", "value"])
    return frame.assign(quantity=float("nan"))


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("kp") / "tiny"
    production = []
    for per in months(2020, 1, 39):
        year, month = int(per[:4]), int(per[5:])
        wiggle = 0.95 if month % 2 else 1.05
        for code, industry, _w, q0 in PRODUCTS:
            for e in ("E1", "E2", "E3"):
                production.append((f"{e}{code}", code, per, q0 / 3 * RATIO[industry][year] * wiggle))
    write_dataset(folder, industries=INDUSTRIES, products=PRODUCTS, production=production)
    url = f"sqlite:///{folder.parent / 'kp.db'}"
    store = open_store(url)
    store_compile(store, vnindustry.compile_dataset(folder), released_on=dt.date(2023, 4, 20))
    import_dataset(store, folder)
    store_flows(store, _flows(), source="trade-test", file="flows.csv", released_on=dt.date(2023, 4, 20))
    return url


# Hand computations: base-year values 1020: 30 + 10 = 40, 1077: 60, all 100; latest full year 2022.
TOTAL_2022 = (6 * 121.0 + 4 * 80.0) / 10  # IIP TOTAL, industries weighted by their value added: 104.6
HAND = {
    ("K1", "production_value"): 40 * 121.0 / 100,
    ("K1", "production_share"): (40 * 121.0 / 100) / (100 * TOTAL_2022 / 100) * 100,
    ("K1", "growth"): (math.sqrt(1.21) - 1) * 100,  # 2020–2022 (the first full year is 2020)
    ("K2", "production_value"): 60 * 80.0 / 100,
    ("K2", "production_share"): (60 * 80.0 / 100) / (100 * TOTAL_2022 / 100) * 100,
    ("K2", "growth"): (math.sqrt(0.8) - 1) * 100,
    ("K1", "rca"): (15 / 100) / (25 / 300),  # 1.8: 03 and 1604 (under 16)
    ("K2", "rca"): (35 / 100) / (105 / 300),  # 1.0
    ("K3", "rca"): (50 / 100) / (170 / 300),  # 15/17
}


def test_store_values_match_hand_computation(store_url: str) -> None:
    got = store_values(open_store(store_url), LINKS)
    assert set(got) == set(HAND)
    for key, value in HAND.items():
        assert got[key] == pytest.approx(value, rel=1e-12), key
    assert got[("K1", "rca")] == pytest.approx(1.8) and got[("K2", "rca")] == pytest.approx(1.0)


def test_store_figures_say_what_is_missing(store_url: str) -> None:
    store = open_store(store_url)
    fig = store_figures(store, LINKS)
    assert any("export_share" in n for n in fig.notes)
    assert "IIP city/1020 2022" in fig.origins[("K1", "production_value")]
    assert "HS 03, 16" in fig.origins[("K1", "rca")] and "EU 2022" in fig.origins[("K1", "rca")]
    # A year asked for: 2021 (growth over 2020–2021; RCA from the 2021 flows, DEU only).
    y2021 = store_values(store, LINKS, year=2021)
    assert y2021[("K1", "production_value")] == pytest.approx(40 * 1.1)
    assert y2021[("K1", "growth")] == pytest.approx(10.0)
    assert y2021[("K1", "rca")] == pytest.approx(1.8)  # the 2021 flows are the 2022 ones × 3 (DEU only)
    # 2023 is not a full year; a VSIC code outside the compiled tree; a market with no flows.
    fig = store_figures(store, {"X": CandidateLink("1030", ("99",))}, market="ASEAN")
    assert not fig.values
    assert any("1030" in n for n in fig.notes) and any("no yearly trade flows into ASEAN" in n for n in fig.notes)
    fig = store_figures(store, LINKS, year=2023)
    assert not any(k[1] in ("production_value", "growth") for k in fig.values)
    assert any("no full year 2023" in n for n in fig.notes)


def test_store_without_register_or_iip(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    fig = store_figures(store, LINKS)
    assert not fig.values
    assert any("register" in n for n in fig.notes) and any("trade flows" in n for n in fig.notes)


def test_group_rca_by_hand_and_against_rca() -> None:
    flows = _flows()
    got = group_rca(flows, {"fish": ("03", "16"), "85": ("85",), "none": ("99",)}, market="EU")
    g = got.set_index(["period", "exporter", "group"])["rca"]
    assert g[("2022", "VNM", "fish")] == pytest.approx(1.8)
    assert g[("2022", "CHN", "fish")] == pytest.approx((10 / 200) / (25 / 300))
    assert math.isnan(g[("2022", "VNM", "none")])  # nobody exports it
    assert math.isnan(g[("2022", "USA", "85")])  # an exporter with no exports
    # A group of one product is the product's Balassa RCA.
    one = rca(flows, market="EU").set_index(["period", "exporter", "product"])["rca"]
    assert g[("2021", "VNM", "85")] == pytest.approx(one[("2021", "VNM", "85")], rel=1e-12)
    with pytest.raises(ValueError, match="one level of the HS"):
        group_rca(pd.concat([flows, flows.assign(product="16", value=1.0).head(1)]), {"x": ("16",)})


def test_hand_values_win_and_links_are_read(store_url: str, tmp_path: Path) -> None:
    table = make_table([("K1", "Thủy sản", {"production_value": 99.0, "rca": 2.5}),
                        ("K2", "May mặc", {"production_value": 1.0})])
    filled = fill_values(table, store_values(open_store(store_url), LINKS), "store")
    k1, k2 = filled.candidates
    assert k1.values["production_value"] == 99.0 and k1.values["rca"] == 2.5  # entered by hand: kept
    assert k1.values["growth"] == pytest.approx(HAND[("K1", "growth")]) and k1.origins["growth"] == "store"
    assert k2.values["rca"] == pytest.approx(1.0) and k2.values["production_value"] == 1.0
    # The template's link columns, read back.
    path = write_template(tmp_path / "mau.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET_CRITERIA]
    assert ws["M1"].value == "vsic" and ws["N1"].value == "hs" and ws["N2"].value == "Mã HS"
    ws["A4"], ws["B4"], ws["M4"], ws["N4"], ws["C4"] = "K1", "Thủy sản", "1020", "03, 16", 99
    wb.save(path)
    read, _ = read_criteria(path, allow_blank=True)
    assert read.candidates[0].vsic == "1020" and read.candidates[0].hs == ("03", "16")
    assert read.candidates[0].values == {"production_value": 99.0}
    assert links_of(read) == {"K1": CandidateLink("1020", ("03", "16"))}
    with pytest.raises(InputError, match=r"cell D4: production_share.*missing.*--fill-from-store"):
        read_criteria(path)  # blanks are an error unless filled from the store
    ws["N4"] = 3  # a number: its leading zero is lost
    wb.save(path)
    with pytest.raises(InputError, match=r"cell N4.*'3' is not an HS code"):
        read_criteria(path, allow_blank=True)


CRITERIA_CSV = ["product", "name", "production_value", "production_share", "growth", "rca", "technology_level",
                "vsic", "hs"]


def test_cli_fill_from_store(store_url: str, tmp_path: Path) -> None:
    from vnindustry.cli import app

    runner = CliRunner()
    path = write_csv(tmp_path / "ung_vien.csv", CRITERIA_CSV, [
        ("K1", "Thủy sản", "", "", "", "2.5", "3", "1020", "03,16"),  # RCA entered by hand
        ("K2", "May mặc", "", "", "", "", "2", "1077", "61 62"),
        ("K3", "Điện tử", "500", "5", "12", "", "5", "", "85"),  # no VSIC: production entered by hand
    ])
    out = tmp_path / "kq.csv"
    res = runner.invoke(app, ["products", "score", str(path), "--db", store_url, "--fill-from-store",
                              "--out", str(out), "--release-date", "2023-05-01"])
    assert res.exit_code == 0, res.output
    assert "From the store (8 values" in res.output and "K2 rca = 1.0" in res.output
    assert "export_share is not computed" in res.output and "Stored as release" in res.output
    got = pd.read_csv(out, dtype={"product": str}).set_index("product")
    for (product, code), value in HAND.items():
        if (product, code) != ("K1", "rca"):
            assert got.loc[product, code] == pytest.approx(value, rel=1e-12), (product, code)
    assert got.loc["K1", "rca"] == 2.5 and got.loc["K3", "production_value"] == 500
    # Without --db; a candidate with no link; a value the store cannot give.
    res = runner.invoke(app, ["products", "score", str(path), "--fill-from-store"])
    assert res.exit_code == 2 and "--db" in res.output
    write_csv(path, CRITERIA_CSV, [("K1", "Thủy sản", "", "", "", "", "3", "", "")])
    res = runner.invoke(app, ["products", "score", str(path), "--db", store_url, "--fill-from-store"])
    assert res.exit_code == 1 and "line 2" in res.output and "Mã VSIC" in res.output
    write_csv(path, CRITERIA_CSV, [("K1", "Thủy sản", "", "", "", "", "3", "", "85"),
                                   ("K2", "May mặc", "", "", "", "", "2", "1077", "61")])
    res = runner.invoke(app, ["products", "score", str(path), "--db", store_url, "--fill-from-store"])
    assert res.exit_code == 1 and "'K1' has no value for production_value" in res.output
