"""Trade competitiveness indices (issue 7): published reference values, an independent implementation,
hand-checked tiny cases for every index, invariants, zeros and missing cells, the readers' errors."""

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from vnindustry.analysis import trade
from vnindustry.analysis.trade import (
    aggregate_hs,
    balassa,
    export_concentration,
    export_similarity,
    export_specialisation,
    lafay,
    market_share,
    normalized,
    normalized_rca,
    rca,
    rca_in_market,
    rca_presence,
    read_flows_csv,
    read_oec_sections,
    select_flows,
    symmetric_rca,
    trade_complementarity,
)
from vnindustry.errors import InputError

DATA = Path(__file__).parent / "data" / "trade"
OEC = DATA / "oec-exports-by-hs-section.csv"

# Any numpy division warning is a failure here: zero rows and columns must be handled, not warned about.
pytestmark = pytest.mark.filterwarnings("error")


def flows(rows, columns=("period", "exporter", "product", "value")) -> pd.DataFrame:
    return trade.check_flows(pd.DataFrame(rows, columns=list(columns)))


def cell(frame: pd.DataFrame, column: str, **keys) -> float:
    mask = np.logical_and.reduce([frame[k] == v for k, v in keys.items()])
    assert mask.sum() == 1, (keys, frame[mask])
    return float(frame.loc[mask, column].iloc[0])


# Tiny world, 2020: A exports p 60, q 40 (total 100); B exports p 20, q 80 (100). Products: p 80, q 120; all 200.
TINY = flows([("2020", "A", "p", 60), ("2020", "A", "q", 40), ("2020", "B", "p", 20), ("2020", "B", "q", 80)])
# The same exports, bilateral: into DEU A sends p 40, q 10 and B p 10, q 40 (DEU imports p 50, q 50 = 100).
BILATERAL = flows([
    ("2020", "A", "DEU", "p", 40), ("2020", "A", "DEU", "q", 10), ("2020", "A", "USA", "p", 20),
    ("2020", "A", "USA", "q", 30), ("2020", "B", "DEU", "p", 10), ("2020", "B", "DEU", "q", 40),
    ("2020", "B", "USA", "p", 10), ("2020", "B", "USA", "q", 40)],
    ("period", "exporter", "importer", "product", "value"))
# Imports of A (p 30, q 70: 100) and B (p 100, q 50: 150) from the world.
IMPORTS = flows([("2020", "WLD", "A", "p", 30), ("2020", "WLD", "A", "q", 70), ("2020", "WLD", "B", "p", 100),
                 ("2020", "WLD", "B", "q", 50)], ("period", "exporter", "importer", "product", "value"))


# ---------------------------------------------------------------- published reference values


def published_statistics() -> dict[str, dict[str, float]]:
    """The table in tests/data/trade/SOURCE.md: {"1": {"count": 226, "mean": …}, "9": {…}}."""
    stats: dict[str, dict[str, float]] = {"1": {}, "9": {}}
    for line in (DATA / "SOURCE.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| (count|mean|std|min|25%|50%|75%|max) \| ([\d.]+) \| ([\d.]+) \|$", line)
        if match:
            stats["1"][match[1]], stats["9"][match[1]] = float(match[2]), float(match[3])
    assert all(len(s) == 8 for s in stats.values()), stats
    return stats


@pytest.fixture(scope="module")
def oec() -> pd.DataFrame:
    return read_oec_sections(OEC, year=2017)


@pytest.mark.parametrize("section", ["1", "9"])
def test_balassa_rca_matches_published_statistics(oec, section):
    table = rca(oec)
    described = table.loc[table["product"] == section, "rca"].describe()
    for stat, expected in published_statistics()[section].items():
        assert round(float(described[stat]), 6) == pytest.approx(expected, abs=1e-12), stat


def test_balassa_rca_matches_economic_complexity(oec):
    """Datawheel's economic-complexity (an independent implementation) on the whole OEC matrix."""
    economic_complexity = pytest.importorskip("economic_complexity", reason="pip install -e '.[dev]'")
    raw = pd.read_csv(OEC, encoding="utf-8-sig", dtype={"Section ID": str})
    theirs = economic_complexity.rca(raw.pivot(index="Exporter Country ID", columns="Section ID",
                                               values="Trade Value"))
    ours = rca(oec).pivot(index="exporter", columns="product", values="rca")
    assert ours.shape == theirs.shape == (226, 21)
    np.testing.assert_allclose(ours.loc[theirs.index, theirs.columns].to_numpy(), theirs.to_numpy(),
                               rtol=1e-12, atol=0)


def test_market_rca_matches_economic_complexity_on_random_bilateral_flows():
    economic_complexity = pytest.importorskip("economic_complexity", reason="pip install -e '.[dev]'")
    rng = np.random.default_rng(7)
    exporters, importers, products = ["VNM", "THA", "CHN", "DEU"], ["DEU", "FRA", "USA", "JPN"], list("abcdef")
    rows = [("2021", e, i, p, float(rng.integers(0, 50)) * (rng.random() > 0.3))
            for e in exporters for i in importers for p in products]
    frame = flows(rows, ("period", "exporter", "importer", "product", "value"))
    into_eu = frame[frame["importer"].isin(["DEU", "FRA"])]
    theirs = economic_complexity.rca(into_eu.pivot_table(index="exporter", columns="product", values="value",
                                                         aggfunc="sum"))
    ours = rca_in_market(frame, "EU").pivot(index="exporter", columns="product", values="rca")
    np.testing.assert_allclose(ours.loc[theirs.index, theirs.columns].to_numpy(), theirs.to_numpy(), rtol=1e-12)


# ---------------------------------------------------------------- hand-checked tiny cases


def test_rca_family_by_hand():
    table = rca(TINY)
    assert list(table.columns) == ["period", "exporter", "product", "rca"]
    assert cell(table, "rca", exporter="A", product="p") == pytest.approx(1.5)  # (60/100) / (80/200)
    assert cell(table, "rca", exporter="A", product="q") == pytest.approx(2 / 3)  # (40/100) / (120/200)
    assert cell(table, "rca", exporter="B", product="p") == pytest.approx(0.5)  # (20/100) / (80/200)
    assert cell(table, "rca", exporter="B", product="q") == pytest.approx(4 / 3)  # (80/100) / (120/200)
    presence = rca_presence(TINY)
    assert presence.set_index(["exporter", "product"])["rca_presence"].to_dict() == {
        ("A", "p"): 1, ("A", "q"): 0, ("B", "p"): 0, ("B", "q"): 1}
    assert cell(rca_presence(TINY, threshold=1.4), "rca_presence", exporter="B", product="q") == 0  # 4/3 < 1.4
    sym = symmetric_rca(TINY)
    assert cell(sym, "symmetric_rca", exporter="A", product="p") == pytest.approx(0.2)  # 0.5 / 2.5
    assert cell(sym, "symmetric_rca", exporter="A", product="q") == pytest.approx(-0.2)  # (−1/3) / (5/3)
    assert cell(sym, "symmetric_rca", exporter="B", product="p") == pytest.approx(-1 / 3)  # −0.5 / 1.5
    assert cell(sym, "symmetric_rca", exporter="B", product="q") == pytest.approx(1 / 7)  # (1/3) / (7/3)


def test_normalized_rca_by_hand():
    table = normalized_rca(TINY)
    # X_cp/X − X_c·X_p/X²: A,p 60/200 − 100·80/200² = 0.3 − 0.2; A,q 0.2 − 0.3; B,p 0.1 − 0.2; B,q 0.4 − 0.3
    expected = {("A", "p"): 0.1, ("A", "q"): -0.1, ("B", "p"): -0.1, ("B", "q"): 0.1}
    got = table.set_index(["exporter", "product"])["normalized_rca"].to_dict()
    assert got == pytest.approx(expected)


def test_market_rca_and_export_specialisation_by_hand():
    table = rca_in_market(BILATERAL, "DEU")
    assert list(table.columns) == ["period", "exporter", "market", "product", "rca"]
    # into DEU: A sends 50 (p 40), B 50 (p 10); DEU takes p 50 of 100 → A,p (40/50)/(50/100) = 1.6
    expected = {("A", "p"): 1.6, ("A", "q"): 0.4, ("B", "p"): 0.4, ("B", "q"): 1.6}
    assert table.set_index(["exporter", "product"])["rca"].to_dict() == pytest.approx(expected)
    # Without a market the bilateral flows add up to TINY's exports.
    pd.testing.assert_frame_equal(rca(BILATERAL), rca(TINY))
    es = export_specialisation(BILATERAL, "DEU")
    # A's exports (all destinations) p 60/100 over DEU's imports p 50/100 → 1.2; q 0.4/0.5; B 0.2/0.5, 0.8/0.5
    expected = {("A", "p"): 1.2, ("A", "q"): 0.8, ("B", "p"): 0.4, ("B", "q"): 1.6}
    assert es.set_index(["exporter", "product"])["es"].to_dict() == pytest.approx(expected)
    assert set(es["market"]) == {"DEU"}


def test_market_groups_and_unknown_market():
    eu = rca(BILATERAL, market="EU")  # DEU is in the EU, USA is not
    assert eu["rca"].tolist() == pytest.approx(rca_in_market(BILATERAL, "DEU")["rca"].tolist())
    assert set(eu["market"]) == {"EU"}
    with pytest.raises(ValueError, match="no flows into market VNM"):
        rca(BILATERAL, market="VNM")
    with pytest.raises(ValueError, match="no importer column"):
        rca(TINY, market="EU")


def test_lafay_by_hand():
    table = lafay(TINY, imports=IMPORTS)
    got = table.set_index(["exporter", "product"])["lafay"].to_dict()
    # A: X = 100 (p 60, q 40), M = 100 (p 30, q 70), balanced: 100·(60−30)/200 = 15, 100·(40−70)/200 = −15.
    # B: X = 100 (20, 80), M = 150 (100, 50); X+M = 250, X−M = −50:
    #    p: 100·[(20−100) − (−50)·120/250]/250 = 100·(−80 + 24)/250 = −22.4;  q: 100·(30 + 26)/250 = 22.4
    assert got == pytest.approx({("A", "p"): 15.0, ("A", "q"): -15.0, ("B", "p"): -22.4, ("B", "q"): 22.4})
    # The textbook form 100·[(x−m)/(x+m) − (X−M)/(X+M)]·(x+m)/(X+M) gives the same for B,p:
    assert pytest.approx(-22.4) == 100 * (-80 / 120 - (-50 / 250)) * 120 / 250


def test_trade_complementarity_by_hand():
    table = trade_complementarity(TINY, imports=IMPORTS)
    got = table.set_index(["exporter", "importer"])["complementarity"].to_dict()
    # A exports (0.6, 0.4) to B's imports (100/150, 50/150): Σ|m − x| = 1/15 + 1/15 → 100·(1 − 1/15)
    # B exports (0.2, 0.8) to A's imports (0.3, 0.7): Σ|m − x| = 0.1 + 0.1 → 100·(1 − 0.1) = 90
    assert got == pytest.approx({("A", "B"): 100 * (1 - 1 / 15), ("B", "A"): 90.0})


def test_export_similarity_by_hand():
    table = export_similarity(TINY)
    # 100·(min(0.6, 0.2) + min(0.4, 0.8)) = 100·(0.2 + 0.4) = 60, both ways
    assert table.set_index(["exporter", "other"])["similarity"].to_dict() == pytest.approx(
        {("A", "B"): 60.0, ("B", "A"): 60.0})
    identical = flows([("2020", "A", "p", 1), ("2020", "A", "q", 3), ("2020", "B", "p", 10), ("2020", "B", "q", 30)])
    assert export_similarity(identical)["similarity"].tolist() == pytest.approx([100.0, 100.0])


def test_market_share_and_change_by_hand():
    earlier = flows([("2019", "A", "p", 30), ("2019", "A", "q", 30), ("2019", "B", "p", 10), ("2019", "B", "q", 30)])
    table = market_share(pd.concat([earlier, TINY]))
    now = table[table["period"] == "2020"].set_index(["exporter", "product"])
    # 2020: p A 60/80, B 20/80; q A 40/120, B 80/120.  2019: p 30/40, 10/40; q 30/60, 30/60.
    assert now["share"].to_dict() == pytest.approx({("A", "p"): 0.75, ("A", "q"): 1 / 3, ("B", "p"): 0.25,
                                                    ("B", "q"): 2 / 3})
    assert now["share_change"].to_dict() == pytest.approx({("A", "p"): 0.0, ("A", "q"): 1 / 3 - 1 / 2,
                                                           ("B", "p"): 0.0, ("B", "q"): 2 / 3 - 1 / 2})
    assert table.loc[table["period"] == "2019", "share_change"].isna().all()  # no 2018
    total = market_share(TINY, by_product=False)
    assert total["share"].tolist() == pytest.approx([0.5, 0.5]) and set(total["product"]) == {"*"}


def test_market_share_of_months_with_a_12_month_lag():
    months = flows([("2020-03", "A", "p", 1), ("2020-03", "B", "p", 3), ("2021-03", "A", "p", 1),
                    ("2021-03", "B", "p", 1)])
    table = market_share(months, lag=12).set_index(["period", "exporter"])
    assert table.loc[("2021-03", "A"), "share_change"] == pytest.approx(0.5 - 0.25)
    assert np.isnan(market_share(months).set_index(["period", "exporter"]).loc[("2021-03", "A"), "share_change"])


def test_export_concentration_by_hand():
    table = export_concentration(TINY).set_index("exporter")
    # A: 0.6² + 0.4² = 0.52, normalized (0.52 − 1/2)/(1 − 1/2) = 0.04;  B: 0.04 + 0.64 = 0.68 → 0.36
    assert table["hhi"].to_dict() == pytest.approx({"A": 0.52, "B": 0.68})
    assert table["hhi_normalized"].to_dict() == pytest.approx({"A": 0.04, "B": 0.36})
    assert set(table["products"]) == {2}


# ---------------------------------------------------------------- zeros, missing cells, empty input


ZEROS = flows([
    ("2020", "A", "p", 60), ("2020", "A", "q", 40), ("2020", "A", "r", 0),
    ("2020", "B", "p", 20), ("2020", "B", "q", 80),
    ("2020", "C", "p", 0), ("2020", "C", "q", 0),  # C exports nothing; nobody exports r
])


def test_zero_rows_and_columns_give_nan_not_errors():
    table = rca(ZEROS).set_index(["exporter", "product"])["rca"]
    assert table.loc[("A", "p")] == pytest.approx(1.5)  # zeros do not change the others
    assert table.loc["C"].isna().all() and table.xs("r", level="product").isna().all()
    assert table.loc[("B", "r")] != table.loc[("B", "r")]  # a missing cell: 0, but nobody exports r → NaN
    assert rca_presence(ZEROS).set_index(["exporter", "product"]).loc[("C", "p"), "rca_presence"] == 0
    assert symmetric_rca(ZEROS)["symmetric_rca"].isna().sum() == 3 + 2  # C's three, A,r and B,r
    nrca = normalized_rca(ZEROS).set_index(["exporter", "product"])["normalized_rca"]
    assert nrca.loc["C"].eq(0).all() and nrca.xs("r", level="product").eq(0).all()
    hhi = export_concentration(ZEROS).set_index("exporter")
    assert np.isnan(hhi.loc["C", "hhi"]) and hhi.loc["A", "products"] == 3
    assert hhi.loc["A", "hhi"] == pytest.approx(0.52)
    sim = export_similarity(ZEROS).set_index(["exporter", "other"])["similarity"]
    assert np.isnan(sim.loc[("A", "C")]) and sim.loc[("A", "B")] == pytest.approx(60.0)
    share = market_share(ZEROS).set_index(["exporter", "product"])["share"]
    assert share.xs("r", level="product").isna().all() and share.loc[("C", "p")] == 0.0


def test_all_zero_world_and_no_rows():
    nothing = flows([("2020", "A", "p", 0), ("2020", "B", "q", 0)])
    assert rca(nothing)["rca"].isna().all() and normalized_rca(nothing)["normalized_rca"].isna().all()
    assert len(rca(nothing)) == 4  # the exporters × products present
    empty = trade.empty_flows()
    for function in (rca, symmetric_rca, normalized_rca, export_concentration, export_similarity, market_share):
        assert function(empty).empty
    assert rca(empty).columns.tolist() == ["period", "exporter", "product", "rca"]


def test_missing_cells_are_zero_and_periods_are_separate():
    missing = TINY[~((TINY["exporter"] == "B") & (TINY["product"] == "p"))]
    zero = TINY.assign(value=np.where((TINY["exporter"] == "B") & (TINY["product"] == "p"), 0.0, TINY["value"]))
    pd.testing.assert_frame_equal(rca(missing), rca(zero))
    # A second year with another exporter does not change the first year's figures.
    both = pd.concat([TINY, flows([("2021", "C", "p", 5), ("2021", "A", "p", 5)])])
    table = rca(both)
    pd.testing.assert_frame_equal(table[table["period"] == "2020"].reset_index(drop=True), rca(TINY))
    assert set(table.loc[table["period"] == "2021", "exporter"]) == {"A", "C"}


def test_lafay_with_mirror_imports_and_missing_imports():
    # Countries that both export and import: the mirror of the bilateral flows gives the imports.
    rows = [("2020", "VNM", "DEU", "p", 30), ("2020", "DEU", "VNM", "q", 10), ("2020", "DEU", "VNM", "p", 5)]
    table = lafay(flows(rows, ("period", "exporter", "importer", "product", "value")))
    vnm = table[table["exporter"] == "VNM"].set_index("product")["lafay"]
    # VNM: x = (p 30, q 0), m = (p 5, q 10); X+M = 45, X−M = 15:
    #   p: 100·[(30−5) − 15·35/45]/45 = 100·(25 − 11.666…)/45;  q: 100·[(0−10) − 15·10/45]/45
    assert vnm["p"] == pytest.approx(100 * (25 - 15 * 35 / 45) / 45)
    assert vnm["q"] == pytest.approx(100 * (-10 - 15 * 10 / 45) / 45)
    with pytest.raises(ValueError, match="needs imports"):
        lafay(TINY)


# ---------------------------------------------------------------- invariants


# Trade values: 0, or from one unit to a trillion (no subnormal numbers: with them RCA can exceed 2**53,
# where (RCA − 1)/(RCA + 1) rounds to exactly 1).
values = st.one_of(st.just(0.0), st.floats(1.0, 1e12))
matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6), elements=values)


@settings(max_examples=200, deadline=None)
@given(matrices)
def test_normalized_rca_rows_and_columns_sum_to_zero(x):
    value = normalized(x)
    if x.sum() == 0:
        assert np.isnan(value).all()
        return
    np.testing.assert_allclose(value.sum(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(value.sum(axis=1), 0, atol=1e-12)
    assert np.all(np.abs(value) <= 1)


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_symmetric_rca_in_range_and_hhi_bounds(x):
    frame = pd.DataFrame(x).stack().rename("value").reset_index()
    frame = flows([("2020", f"e{r}", f"p{c}", v) for r, c, v in frame.itertuples(index=False)])
    sym = symmetric_rca(frame)["symmetric_rca"].dropna()
    assert ((sym >= -1) & (sym < 1)).all()
    assert (sym.to_numpy()[balassa(x).reshape(-1)[~np.isnan(balassa(x).reshape(-1))] > 0] > -1).all()
    hhi = export_concentration(frame).dropna(subset=["hhi"])
    n = x.shape[1]
    assert ((hhi["hhi"] >= 1 / n - 1e-12) & (hhi["hhi"] <= 1 + 1e-12)).all()
    normalized_hhi = hhi["hhi_normalized"].dropna()
    assert ((normalized_hhi >= -1e-12) & (normalized_hhi <= 1 + 1e-12)).all()


@settings(max_examples=60, deadline=None)
@given(matrices, st.data())
def test_lafay_sums_to_zero_over_products(x, data):
    m = data.draw(hnp.arrays(np.float64, x.shape, elements=values))
    exports = flows([("2020", f"c{r}", f"p{c}", x[r, c]) for r in range(x.shape[0]) for c in range(x.shape[1])])
    imports = flows([("2020", "WLD", f"c{r}", f"p{c}", m[r, c]) for r in range(x.shape[0]) for c in range(x.shape[1])],
                    ("period", "exporter", "importer", "product", "value"))
    table = lafay(exports, imports=imports)
    sums = table.groupby("exporter")["lafay"].sum(min_count=1)
    totals = x.sum(axis=1) + m.sum(axis=1)
    for r, total in enumerate(totals):
        if total > 0:
            assert sums[f"c{r}"] == pytest.approx(0, abs=1e-9)
            assert table.loc[table["exporter"] == f"c{r}", "lafay"].abs().max() <= 100 + 1e-9
        else:
            assert table.loc[table["exporter"] == f"c{r}", "lafay"].isna().all()


# ---------------------------------------------------------------- selection and the HS hierarchy


HS = flows([("2020", "VNM", "270900", 100), ("2020", "VNM", "271019", 50), ("2020", "VNM", "851712", 300),
            ("2020", "VNM", "851770", 20), ("2020", "THA", "270900", 10), ("2020", "THA", "851712", 30),
            ("2020", "THA", "080111", 60)])


def test_hs_aggregation_by_prefix():
    four = aggregate_hs(HS, 4).set_index(["exporter", "product"])["value"]
    assert four.to_dict() == {("THA", "0801"): 60, ("THA", "2709"): 10, ("THA", "8517"): 30,
                              ("VNM", "2709"): 100, ("VNM", "2710"): 50, ("VNM", "8517"): 320}
    two = aggregate_hs(HS, 2)
    assert two.set_index(["exporter", "product"])["value"].to_dict()[("VNM", "27")] == 150
    assert two["quantity"].isna().all()
    with pytest.raises(ValueError, match="not an HS code of 6 digits"):
        aggregate_hs(two, 6)
    with pytest.raises(ValueError, match="digits must be"):
        aggregate_hs(HS, 3)


def test_excluding_crude_oil():
    without = select_flows(HS, exclude_crude_oil=True)
    assert not without["product"].str.startswith("2709").any() and len(without) == 5
    assert "271019" in set(without["product"])  # refined products stay
    four = aggregate_hs(HS, 4)
    assert "2709" not in set(select_flows(four, exclude_crude_oil=True)["product"])
    with pytest.raises(ValueError, match="product 27 contains crude oil"):
        select_flows(aggregate_hs(HS, 2), exclude_crude_oil=True)
    # The switch on an index: without crude oil VNM exports 50 + 320 = 370, THA 30 + 60 = 90, everyone 460,
    # of which 8517: 350 → VNM's RCA in 8517 = (320/370) / (350/460).
    table = rca(aggregate_hs(HS, 4), exclude_crude_oil=True).set_index(["exporter", "product"])["rca"]
    assert table[("VNM", "8517")] == pytest.approx((320 / 370) / (350 / 460))
    assert "2709" not in set(table.index.get_level_values("product"))


def test_select_flows_filters():
    assert set(select_flows(HS, exporters=["THA"])["exporter"]) == {"THA"}
    assert select_flows(HS, periods=[2021]).empty
    assert set(select_flows(HS, products=["080111"])["exporter"]) == {"THA"}


# ---------------------------------------------------------------- readers


def write(tmp_path: Path, text: str, name: str = "flows.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_flows_csv(tmp_path):
    path = write(tmp_path, "\ufeffyear,exporter,importer,product,value,quantity,name\n"
                           "2020,VNM,DEU,030389,12.5,3,cá\n2020,THA,,0801,,,hạt điều\n\n2021,VNM,DEU,0801,7,,\n")
    table = read_flows_csv(path)
    assert table.columns.tolist() == list(trade.FLOW_COLUMNS)
    assert table["product"].tolist() == ["030389", "0801", "0801"]  # leading zeros kept
    assert table["importer"].tolist() == ["DEU", "WLD", "DEU"]
    assert table["value"].tolist() == [12.5, 0.0, 7.0]  # empty = 0
    assert table["quantity"].iloc[0] == 3 and np.isnan(table["quantity"].iloc[1])
    assert table["period"].tolist() == ["2020", "2020", "2021"]
    months = read_flows_csv(write(tmp_path, "period,exporter,product,value\n03/2024,VNM,8517,1\n2024M04,VNM,8517,2\n",
                                  "months.csv"))
    assert months["period"].tolist() == ["2024-03", "2024-04"]


@pytest.mark.parametrize(("text", "where", "fix"), [
    ("year,exporter,product\n2020,VNM,8517\n", "line 1", "the header must contain"),
    ("year,exporter,product,value\n2020,VNM,8517,1\n2020,VNM,8517,abc\n", "line 3, column 'value'", "decimal"),
    ("year,exporter,product,value\n2020,VNM,8517,\"1,5\"\n", "line 2, column 'value'", "separator"),
    ("year,exporter,product,value\n2020,VNM,8517,-4\n", "line 2, column 'value'", "cannot be negative"),
    ("year,exporter,product,value\n2020,VNM,8517,inf\n", "line 2, column 'value'", "finite"),
    ("year,exporter,product,value\n2020,VNM,8517,1\n\n2020,,8517,1\n", "line 4, column 'exporter'", "exporter's code"),
    ("year,exporter,product,value\n2020,VNM,,1\n", "line 2, column 'product'", "product's code"),
    ("year,exporter,product,value\n20,VNM,8517,1\n", "line 2, column 'year'", "YYYY"),
    ("year,exporter,product,value\n2020-03,VNM,8517,1\n", "line 2, column 'year'", "YYYY"),
    ("period,exporter,product,value\n2020,VNM,8517,1\n2020-03,VNM,8517,1\n", "line 3, column 'period'", "one kind"),
    ("year,exporter,product,value\n2020,VNM,8517,1\n2020,THA,8517,1\n2020,VNM,8517,2\n",
     "line 4, column 'product'", "first at line 2"),
    ("year,exporter,importer,product,value\n2020,VNM,,8517,1\n2020,VNM,DEU,8517,1\n",
     "line 2, column 'importer'", "twice"),
    ("year,exporter,product,value\n2020,VNM,8517,1,9\n", "line 2", "extra comma"),
    ("year,exporter,product,value\n2020,VNM,8517,1\n2020,VNM,8517,1,9\n", "line 3", "5 fields"),
    ("year,exporter,product,value\n2020,VNM,8517,1\n2020,THA,8517\n", "line 3", "3 fields"),
    ("year,exporter,product,value,quantity\n2020,VNM,8517,1,-1\n", "line 2, column 'quantity'", "negative"),
])
def test_read_flows_csv_errors(tmp_path, text, where, fix):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_flows_csv(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, {where}") or (message.startswith(f"{path}: ") and where == ""), message
    assert fix in message, message


def test_read_errors_for_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_flows_csv(tmp_path / "none.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"year,exporter,product,value\n2020,\xd0\xf4ng \xc1,8517,1\n")  # cp1258 "Đông Á"
    with pytest.raises(InputError, match=r"line 2.*UTF-8"):
        read_flows_csv(latin)
    with pytest.raises(InputError, match="empty or has no header"):
        read_flows_csv(write(tmp_path, "", "empty.csv"))


def test_read_oec_sections(oec):
    assert len(oec) == 4634 and oec["exporter"].nunique() == 226 and oec["product"].nunique() == 21
    assert set(oec["importer"]) == {"WLD"} and set(oec["period"]) == {"2017"}
    with pytest.raises(InputError, match=r"no 'Year' column.*--year"):
        read_oec_sections(OEC)


def test_read_oec_errors_name_the_files_columns(tmp_path):
    path = write(tmp_path, '"Trade Value","Exporter Country ID","Section ID"\n5,afvnm,1\n-3,afvnm,2\n', "oec.csv")
    with pytest.raises(InputError, match=r"line 3, column 'Trade Value'"):
        read_oec_sections(path, year=2017)


def test_check_flows_refuses_bad_frames():
    with pytest.raises(ValueError, match="lacks column"):
        trade.check_flows(pd.DataFrame({"period": ["2020"], "exporter": ["A"]}))
    with pytest.raises(ValueError, match="negative"):
        flows([("2020", "A", "p", -1)])
    with pytest.raises(ValueError, match="repeat"):
        flows([("2020", "A", "p", 1), ("2020", "A", "p", 2)])
    assert flows([("2020", "A", "p", np.nan)])["value"].tolist() == [0.0]


def test_no_warnings_escape_on_degenerate_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for frame in (ZEROS, flows([("2020", "A", "p", 0)])):
            rca(frame), normalized_rca(frame), symmetric_rca(frame), export_concentration(frame)
            export_similarity(frame), market_share(frame)


# ---------------------------------------------------------------- economic complexity (ECI, PCI)


def ecomplexity_reference(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """ECI by exporter and PCI by product from the Growth Lab's ecomplexity package (eigenvector method)."""
    ecomplexity = pytest.importorskip("ecomplexity", reason="pip install -e '.[dev]'").ecomplexity
    data = frame[["period", "exporter", "product", "value"]].assign(period=lambda d: d["period"].astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its own log-supermodularity notes and pandas deprecations
        out = ecomplexity(data, {"time": "period", "loc": "exporter", "prod": "product", "val": "value"},
                          verbose=False)
    return (out.drop_duplicates("exporter").set_index("exporter")["eci"],
            out.drop_duplicates("product").set_index("product")["pci"])


def test_complexity_matches_ecomplexity_on_the_oec_file(oec):
    eci, pci = trade.complexity(oec)
    their_eci, their_pci = ecomplexity_reference(oec)
    np.testing.assert_allclose(eci.set_index("exporter")["eci"], their_eci.reindex(eci["exporter"]), rtol=1e-9)
    np.testing.assert_allclose(pci.set_index("product")["pci"], their_pci.reindex(pci["product"]), rtol=1e-9)
    # ECI is the mean PCI of the products an exporter has at RCA ≥ 1 (both standardised with ECI's moments).
    presence = rca_presence(oec).merge(pci, on=["period", "product"])
    mean_pci = presence[presence["rca_presence"] == 1].groupby("exporter")["pci"].mean()
    np.testing.assert_allclose(mean_pci.reindex(eci["exporter"]), eci["eci"], rtol=1e-9, atol=1e-12)


def test_complexity_with_more_products_than_exporters_matches_ecomplexity():
    # 8 exporters × 30 products: the country-side eigenproblem is solved instead of the product side.
    rng = np.random.default_rng(11)
    rows = [("2019", f"c{c}", f"p{p:02d}", float(rng.lognormal(5, 2)) * (rng.random() > 0.2 + 0.06 * c))
            for c in range(8) for p in range(30)]
    frame = flows(rows)
    eci, pci = trade.complexity(frame)
    their_eci, their_pci = ecomplexity_reference(frame)
    np.testing.assert_allclose(eci.set_index("exporter")["eci"], their_eci.reindex(eci["exporter"]), rtol=1e-7)
    mask = pci["pci"].notna().to_numpy()
    np.testing.assert_allclose(pci["pci"][mask], their_pci.reindex(pci["product"][mask]), rtol=1e-7, atol=1e-9)


def test_complexity_degenerate_cases():
    eci, pci = trade.complexity(ZEROS)  # C exports nothing, nobody exports r
    assert np.isnan(eci.set_index("exporter").loc["C", "eci"]) and eci.set_index("exporter").loc["C", "diversity"] == 0
    assert np.isnan(pci.set_index("product").loc["r", "pci"])
    eci, pci = trade.complexity(flows([("2020", "A", "p", 5)]))  # one exporter, one product
    assert eci["eci"].isna().all() and pci["pci"].isna().all()
    eci, _ = trade.complexity(TINY)  # A has p, B has q: two equally complex exporters, standardised to ±1
    assert sorted(eci["eci"].abs().tolist()) == pytest.approx([1.0, 1.0]) or eci["eci"].isna().all()


def test_lafay_when_periods_have_only_exports_or_only_imports():
    # 2020 exports without imports and 2021 imports without exports: with one side 0 the trade balance of
    # each product is the country's balance times its weight, so every index is 0 (not NaN, not an error).
    table = lafay(TINY, imports=IMPORTS.assign(period="2021"))
    assert set(table["period"]) == {"2020", "2021"}
    assert table["lafay"].to_numpy() == pytest.approx(np.zeros(len(table)), abs=1e-12)
