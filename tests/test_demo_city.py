"""The synthetic demo city: format, determinism and the patterns it is meant to carry."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vnindustry.classification import load_key_industries, vsic_entry
from vnindustry.demo import DISTRICTS, TET_DATES, generate_city

FILES = {
    "industries.csv": ["code", "parent", "name_vi", "name_en", "weight"],
    "products.csv": ["code", "industry", "name_vi", "unit", "weight", "base_quantity"],
    "production.csv": ["enterprise", "product", "period", "quantity"],
    "groups.csv": ["group", "name_vi", "name_en", "industry"],
    "enterprises.csv": ["enterprise", "name", "industry", "district", "ownership"],
}
SMALL = {"seed": 7, "start": "2020-01", "end": "2021-12", "base_year": 2020, "n_enterprises": 160}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _production(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "production.csv", dtype={"enterprise": str, "product": str, "period": str},
                       keep_default_na=False)


def _missing_share(prod: pd.DataFrame) -> float:
    """Share of (enterprise, product, month) cells missing between each pair's first and last report."""
    month = prod["period"].str[:4].astype(int) * 12 + prod["period"].str[5:].astype(int)
    span = month.groupby([prod["enterprise"], prod["product"]]).agg(["min", "max", "count"])
    return 1.0 - span["count"].sum() / (span["max"] - span["min"] + 1).sum()


def _product_index(folder: Path, prod: pd.DataFrame) -> pd.DataFrame:
    """Unweighted product indices: reported total ÷ base quantity (rows: period, columns: product)."""
    base = {r["code"]: float(r["base_quantity"]) for r in _rows(folder / "products.csv")}
    total = prod.groupby(["period", "product"])["quantity"].sum().unstack()
    return total / pd.Series(base)[total.columns]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("small") / "city", **SMALL)


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("default") / "city")


def test_same_seed_same_bytes(small: Path, tmp_path: Path) -> None:
    again = generate_city(tmp_path / "again", **SMALL)
    for name in FILES:
        assert (again / name).read_bytes() == (small / name).read_bytes(), name
    other = generate_city(tmp_path / "other", **{**SMALL, "seed": 8})
    assert (other / "production.csv").read_bytes() != (small / "production.csv").read_bytes()


def test_rewrites_in_place_without_leftovers(small: Path, tmp_path: Path) -> None:
    out = generate_city(tmp_path / "city", **SMALL)
    generate_city(out, **SMALL)  # a second run replaces the files atomically
    # The data files and the SYNTHETIC marker (issue 13: a dataset says it is made up), nothing else.
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, "SYNTHETIC"])


def test_columns_and_encoding(small: Path) -> None:
    for name, columns in FILES.items():
        text = (small / name).read_text(encoding="utf-8")
        assert text.endswith("\n") and "\r" not in text
        assert text.splitlines()[0].split(",") == columns, name


def test_industry_tree(small: Path) -> None:
    industries = _rows(small / "industries.csv")
    products = _rows(small / "products.csv")
    codes = [r["code"] for r in industries]
    assert len(codes) == len(set(codes))
    parent = {r["code"]: r["parent"] for r in industries}
    assert [c for c, p in parent.items() if not p] == ["TOTAL"]
    assert codes[0] == "TOTAL"
    assert all(p in parent for p in parent.values() if p)
    assert [c for c, p in parent.items() if p == "TOTAL"] == ["B", "C", "D", "E"]
    children = defaultdict(list)
    for c, p in parent.items():
        children[p].append(c)
    leaves = {c for c in codes if not children[c]}
    with_products = {p["industry"] for p in products}
    assert with_products <= leaves, "products hang from leaves only"
    assert leaves == with_products, "every leaf has a product; no empty branches"
    for r in industries:
        if r["code"] != "TOTAL":
            entry = vsic_entry(r["code"])  # a VSIC 2018 code
            assert r["name_vi"] == entry.name_vi and r["name_en"] == entry.name_en
            # Parents are VSIC ancestors (levels with a single child are skipped).
            assert r["parent"] == "TOTAL" or r["code"].startswith(r["parent"]) or entry.level == "division"
        if r["code"] in leaves:
            assert float(r["weight"]) > 0 and math.isfinite(float(r["weight"]))
        else:
            assert r["weight"] == ""
    divisions = {c for c in codes if c != "TOTAL" and vsic_entry(c).level == "division"}
    assert {"10", "11", "14", "15", "20", "22", "26", "35", "36"} <= divisions


def test_products(small: Path) -> None:
    products = _rows(small / "products.csv")
    assert 250 <= len(products) <= 320
    assert len({p["code"] for p in products}) == len(products)
    for p in products:
        w, q = float(p["weight"]), float(p["base_quantity"])
        assert w > 0 and q > 0 and math.isfinite(w) and math.isfinite(q), p
        assert p["name_vi"] and p["unit"]
    names = {p["name_vi"]: p["unit"] for p in products}
    assert names["Bia đóng chai"] == "nghìn lít"
    assert names["Xi măng"] == "tấn"
    assert names["Điện sản xuất"] == "triệu kWh"
    assert names["Nước máy thương phẩm"] == "nghìn m³"
    assert names["Giày, dép da"] == "nghìn đôi"


def test_base_quantity_is_the_base_year_mean(small: Path) -> None:
    prod = _production(small)
    index = _product_index(small, prod)
    base = index[index.index.str.startswith("2020")].mean()
    # Reported data lack ~3 % non-response, so the base-year mean of the raw index is just under 1.
    assert 0.93 < base.median() < 1.0


def test_production_rows(small: Path) -> None:
    prod = _production(small)
    assert not prod.duplicated(["enterprise", "product", "period"]).any()
    assert prod["period"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").all()
    assert prod["period"].min() == "2020-01" and prod["period"].max() == "2021-12"
    q = prod["quantity"].to_numpy(dtype=float)
    assert np.isfinite(q).all() and (q >= 0).all()
    # Reported as a return would be: whole numbers or 1–3 decimals, never float noise.
    text = (small / "production.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert all(re.fullmatch(r"\d+(\.\d{1,3})?", line.rsplit(",", 1)[1]) for line in text)


def test_enterprises(small: Path) -> None:
    enterprises = _rows(small / "enterprises.csv")
    assert len(enterprises) == SMALL["n_enterprises"]
    assert [e["enterprise"] for e in enterprises] == [f"DN{i:05d}" for i in range(1, len(enterprises) + 1)]
    assert len({e["name"] for e in enterprises}) == len(enterprises)
    assert {e["ownership"] for e in enterprises} <= {"state", "non-state", "FDI"}
    assert {e["district"] for e in enterprises} <= {d for d, _ in DISTRICTS}
    assert all(e["name"].startswith(("Công ty", "Doanh nghiệp")) for e in enterprises)
    industry = {e["enterprise"]: e["industry"] for e in enterprises}
    product_industry = {p["code"]: p["industry"] for p in _rows(small / "products.csv")}
    prod = _production(small)
    pairs = prod[["enterprise", "product"]].drop_duplicates()
    assert set(pairs["enterprise"]) <= set(industry)
    assert all(product_industry[p] == industry[e] for e, p in pairs.itertuples(index=False))
    per_enterprise = Counter(pairs["enterprise"])
    assert min(per_enterprise.values()) >= 1 and max(per_enterprise.values()) <= 6


def test_groups(small: Path) -> None:
    groups = _rows(small / "groups.csv")
    codes = {r["code"] for r in _rows(small / "industries.csv")}
    assert {g["group"] for g in groups} == {g.code for g in load_key_industries()}
    assert all(g["industry"] in codes for g in groups)
    key4 = {g["industry"] for g in groups if g["group"] == "KEY4"}
    assert {"10", "11", "20", "21", "22", "25", "26", "27", "28", "29", "30"} == key4


def test_nonresponse_and_unit_slips(small: Path, tmp_path: Path) -> None:
    prod = _production(small)
    assert 0.02 < _missing_share(prod) < 0.045
    complete = _production(generate_city(tmp_path / "complete", **{**SMALL, "nonresponse": 0.0}))
    assert _missing_share(complete) < 0.01  # only the enterprises that went silent for a month or two
    # Unit slips: a handful of quantities ×1000 or ÷1000 the pair's usual level, in tonnes, after the base
    # year, planted on small reporters.
    median = prod.groupby(["enterprise", "product"])["quantity"].transform("median")
    slips = prod[(median > 0) & ((prod["quantity"] > 300 * median) | (prod["quantity"] < median / 300))
                 & (prod["quantity"] > 0)]
    assert 3 <= len(slips) <= 5
    assert (slips["quantity"] > 300 * median[slips.index]).any()
    assert (slips["quantity"] < median[slips.index] / 300).any()
    units = {p["code"]: p["unit"] for p in _rows(small / "products.csv")}
    assert all(units[p] == "tấn" for p in slips["product"])
    assert (slips["period"] >= "2021-01").all()


def test_covid_and_tet_are_visible(small: Path) -> None:
    index = _product_index(small, _production(small)).median(axis=1)  # robust to slips and gaps
    # July–September 2021 lockdown in HCMC, August the worst.
    assert index["2021-08"] < 0.8 * index["2021-06"]
    assert index["2021-08"] == index["2021-01":"2021-12"].min()
    # April 2020 social distancing.
    assert index["2020-04"] < 0.92 * index["2020-03"]
    # Tết 2021 fell on 12 February: February is below January.
    assert TET_DATES[2021].month == 2
    assert index["2021-02"] < 0.92 * index["2021-01"]


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        generate_city(tmp_path, start="2020-13")
    with pytest.raises(ValueError, match="base year"):
        generate_city(tmp_path, start="2021-01", end="2021-12", base_year=2020)
    with pytest.raises(ValueError, match="before start"):
        generate_city(tmp_path, start="2021-01", end="2020-12")
    with pytest.raises(ValueError, match="n_enterprises"):
        generate_city(tmp_path, n_enterprises=10)
    with pytest.raises(ValueError, match="nonresponse"):
        generate_city(tmp_path, nonresponse=0.9)
    with pytest.raises(ValueError, match="Tết"):
        generate_city(tmp_path, start="2010-01", end="2020-12")


def test_default_city_size(default: Path) -> None:
    prod = _production(default)
    assert 400_000 <= len(prod) <= 700_000
    assert prod["enterprise"].nunique() == 1500
    assert prod["period"].min() == "2018-01" and prod["period"].max() == "2025-12"
    assert 0.025 < _missing_share(prod) < 0.035
    index = _product_index(default, prod).median(axis=1)
    assert 0.93 < index["2020-01":"2020-12"].mean() < 1.0


def test_loads_with_the_dataset_reader(small: Path) -> None:
    dataset = pytest.importorskip("vnindustry.sources.dataset")
    ds = dataset.load_dataset(small)
    assert ds.root == "TOTAL"
    assert len(ds.products) == len(_rows(small / "products.csv"))
    assert not [w for w in ds.warnings if w.check == "empty_industry"]
