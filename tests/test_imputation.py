"""Non-response imputation on small hand-checked cases (docs/method.md, "Non-response")."""

import math

import numpy as np
import pytest

import vnindustry
from builders import write_dataset
from vnindustry.compile.imputation import RATIO_CARRY, RATIO_INDUSTRY, RATIO_PRODUCT, impute

M = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]


def _rows(enterprise, product, values):
    return [(enterprise, product, M[i], v) for i, v in enumerate(values) if v is not None]


@pytest.fixture
def result(tmp_path):
    # L1 has P1 (3 enterprises), P2 (one enterprise that falls silent), P3 (one steady enterprise).
    # L2 has P4 only, whose single enterprise falls silent: no matched ratio anywhere → carry forward.
    # L3 has P5 with a single enterprise silent for 5 months: imputed 3 months, then closed.
    production = (
        _rows("E1", "P1", [10, 12, None, None, 15, 15, 15])
        + _rows("E2", "P1", [20, 22, 33, 44, 44, 44, 44])
        + _rows("E3", "P1", [5, 5, 5, 5, 5, 5, 5])
        + _rows("E4", "P2", [7, 8, None, None, None, None, None])
        + _rows("E5", "P3", [100, 100, 150, 150, 150, 150, 150])
        + _rows("E6", "P4", [3, 4, None, 6, 6, 6, 6])
        + _rows("E7", "P5", [9, None, None, None, None, None, 9])
    )
    folder = write_dataset(
        tmp_path / "ds",
        industries=[("T", "", None), ("L1", "T", 50.0), ("L2", "T", 30.0), ("L3", "T", 20.0)],
        products=[("P1", "L1", 4.0, 30.0), ("P2", "L1", 2.0, 8.0), ("P3", "L1", 1.0, 100.0),
                  ("P4", "L2", 1.0, 4.0), ("P5", "L3", 1.0, 9.0)],
        production=production,
    )
    return vnindustry.compile_dataset(folder, max_impute_gap=3)


def _qty(result, product, period):
    row = result.products[(result.products["code"] == product) & (result.products["period"] == period)].iloc[0]
    return row["quantity"], row["imputed_quantity"]


def test_matched_ratio_of_the_product(result):
    # March: E1 silent; R = (33 + 5) / (22 + 5) over E2, E3 which reported in Feb and Mar.
    q, imp = _qty(result, "P1", "2024-03")
    assert imp == pytest.approx(12 * 38 / 27)
    assert q == pytest.approx(12 * 38 / 27 + 33 + 5)


def test_imputation_chains_on_the_imputed_value(result):
    # April: E1 still silent; its imputed March value times R(Apr) = (44 + 5) / (33 + 5).
    _, imp = _qty(result, "P1", "2024-04")
    assert imp == pytest.approx(12 * 38 / 27 * 49 / 38)


def test_industry_ratio_when_the_product_has_no_matched_reporters(result):
    # P2's only enterprise is silent in March: use L1's matched ratio, a ratio of weighted quantity
    # relatives over P1 and P3 (units cancel): Σ w/q̄₀·S1 / Σ w/q̄₀·S0.
    s1, s3 = 4.0 / 30.0, 1.0 / 100.0
    ratio = (s1 * 38 + s3 * 150) / (s1 * 27 + s3 * 100)
    _, imp = _qty(result, "P2", "2024-03")
    assert imp == pytest.approx(8 * ratio)


def test_carry_forward_when_the_industry_has_no_matched_reporters(result):
    q, imp = _qty(result, "P4", "2024-03")
    assert q == imp == pytest.approx(4.0)
    q, imp = _qty(result, "P4", "2024-04")  # reported again: no imputation
    assert (q, imp) == (6.0, 0.0)


def test_closed_after_more_than_max_gap_silent_months(result):
    imputed = [_qty(result, "P5", m)[1] for m in M]
    # Feb–Apr imputed (carry forward: L3 has no other reporters), May and June not, July reported.
    assert imputed == pytest.approx([0, 9, 9, 9, 0, 0, 0])
    closed = result.validation[result.validation["check"] == "closed"]
    assert ("E7", "P5", "2024-05") in set(zip(closed["enterprise"], closed["product"], closed["period"], strict=True))


def test_every_imputed_cell_is_listed_with_its_ratio(result):
    imp = result.imputed.astype({"enterprise": str, "product": str, "period": str, "ratio_source": str})
    cells = {(r.enterprise, r.product, r.period): r for r in imp.itertuples()}
    assert cells[("E1", "P1", "2024-03")].quantity == pytest.approx(12 * 38 / 27)
    assert cells[("E1", "P1", "2024-03")].ratio == pytest.approx(38 / 27)
    assert cells[("E1", "P1", "2024-03")].ratio_source == "product"
    assert cells[("E4", "P2", "2024-03")].ratio_source == "industry"
    assert cells[("E6", "P4", "2024-03")].ratio_source == "carry_forward"
    assert len(imp) == result.stats["imputed_cells"] == 9
    # Sum of listed imputed quantities equals the products table's imputed quantities.
    by_product = imp.groupby(["product", "period"])["quantity"].sum()
    p = result.products.set_index(["code", "period"])["imputed_quantity"]
    assert by_product.to_dict() == pytest.approx(p[p > 0].to_dict())


def test_imputed_share_of_a_leaf(result):
    t = result.table
    row = t[(t["code"] == "L1") & (t["period"] == "2024-03")].iloc[0]
    p = result.products[result.products["period"] == "2024-03"].set_index("code")
    w = {"P1": 4.0, "P2": 2.0, "P3": 1.0}
    index = sum(w[c] * p.loc[c, "index"] for c in w) / 7
    imputed = sum(w[c] * 100 * p.loc[c, "imputed_quantity"] / b for c, b in (("P1", 30.0), ("P2", 8.0), ("P3", 100.0)))
    assert row["index"] == pytest.approx(index)
    assert row["imputed_share"] == pytest.approx(imputed / 7 / index)
    assert t[(t["code"] == "L1") & (t["period"] == "2024-01")]["imputed_share"].iloc[0] == 0


def test_max_gap_zero_disables_imputation(tmp_path, result):
    r0 = vnindustry.compile_dataset(result.dataset.path, max_impute_gap=0)
    assert r0.stats["imputed_cells"] == 0
    assert r0.products["imputed_quantity"].sum() == 0


def test_ratio_sources_on_arrays():
    # Two products in one industry, one in another; month 1 has matched pairs only for product 0.
    values = np.array([[1.0, 2.0, 4.0, 5.0], [2.0, np.nan, np.nan, np.nan]])
    pair_product = np.array([0, 0, 1, 2])
    product_industry = np.array([0, 0, 1])
    out = impute(values.copy(), pair_product, product_industry, np.ones(3), 2, max_gap=3)
    assert out.ratio[1, 0] == 2.0 and out.ratio_source[1, 0] == RATIO_PRODUCT
    assert out.ratio[1, 1] == 2.0 and out.ratio_source[1, 1] == RATIO_INDUSTRY
    assert out.ratio[1, 2] == 1.0 and out.ratio_source[1, 2] == RATIO_CARRY
    assert out.values[1].tolist() == [2.0, 4.0, 8.0, 5.0]
    assert out.imputed[1].tolist() == [False, True, True, True]
    assert math.isnan(out.ratio[0, 0])
