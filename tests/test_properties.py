"""Property tests of the index arithmetic (hypothesis), run end to end through compile_iip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vnindustry
from builders import months, write_dataset

PERIODS = months(2022, 11, 26)  # Nov 2022 … Dec 2024: every comparison defined somewhere
TREE = [("T", "", None), ("S1", "T", None), ("S2", "T", None), ("L1", "S1", None), ("L2", "S1", None),
        ("L3", "S2", None)]
LEAVES = ["L1", "L2", "L3"]
CHILDREN = {"T": ["S1", "S2"], "S1": ["L1", "L2"], "S2": ["L3"]}

weights = st.floats(min_value=0.5, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def datasets(draw):
    leaf_w = {leaf: draw(weights) for leaf in LEAVES}
    products = []
    for leaf in LEAVES:
        for j in range(draw(st.integers(1, 3))):
            products.append((f"{leaf}P{j}", leaf, draw(weights), draw(weights)))
    enterprises = {p[0]: draw(st.integers(1, 3)) for p in products}
    seed = draw(st.integers(0, 2**32 - 1))
    drop = draw(st.sampled_from([0.0, 0.1]))
    return leaf_w, products, enterprises, seed, drop


def build(tmp_path_factory, spec, *, scale=1.0, equal_to_base=False):
    leaf_w, products, enterprises, seed, drop = spec
    rng = np.random.default_rng(seed)
    rows = []
    for code, _, _, q0 in products:
        n = enterprises[code]
        for e in range(n):
            for period in PERIODS:
                if equal_to_base:
                    q = q0 / n
                else:
                    if rng.random() < drop:
                        continue
                    q = q0 / n * rng.uniform(0.2, 2.0)
                rows.append((f"E{code}{e}", code, period, q * scale))
    industries = [(c, p, leaf_w.get(c)) for c, p, _ in TREE]
    folder = tmp_path_factory.mktemp("ds")
    write_dataset(folder, industries=industries, products=products, production=rows,
                  groups=[("G", "L1"), ("G", "S2")])
    return vnindustry.compile_dataset(folder)


common = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@common
@given(spec=datasets())
def test_quantities_equal_to_base_give_100_everywhere(tmp_path_factory, spec):
    result = build(tmp_path_factory, spec, equal_to_base=True)
    assert np.allclose(result.table["index"], 100.0, rtol=1e-12)
    assert np.allclose(result.products["index"], 100.0, rtol=1e-12)


@common
@given(spec=datasets(), k=st.floats(min_value=0.01, max_value=100))
def test_scaling_quantities_scales_every_index(tmp_path_factory, spec, k):
    a = build(tmp_path_factory, spec)
    b = build(tmp_path_factory, spec, scale=k)
    assert np.allclose(b.table["index"], k * a.table["index"], rtol=1e-9)
    for col in ("mom_pct", "yoy_pct", "ytd_pct", "contribution_pp"):
        assert np.allclose(b.table[col], a.table[col], rtol=1e-7, atol=1e-7, equal_nan=True)


@common
@given(spec=datasets())
def test_parent_is_weighted_mean_of_children_and_contributions_add_up(tmp_path_factory, spec):
    result = build(tmp_path_factory, spec)
    t = result.table.set_index(["period", "code"])
    for period in PERIODS:
        for parent, kids in CHILDREN.items():
            w = np.array([t.loc[(period, k), "weight"] for k in kids])
            idx = np.array([t.loc[(period, k), "index"] for k in kids])
            assert t.loc[(period, parent), "weight"] == pytest.approx(w.sum())
            assert t.loc[(period, parent), "index"] == pytest.approx((w * idx).sum() / w.sum(), rel=1e-12)
            contrib = [t.loc[(period, k), "contribution_pp"] for k in kids]
            if period >= PERIODS[12] and parent != "T":  # the root has no contribution (issue 13)
                assert sum(contrib) == pytest.approx(t.loc[(period, parent), "contribution_pp"], abs=1e-9)
        if period >= PERIODS[12]:
            root_kids = sum(t.loc[(period, k), "contribution_pp"] for k in CHILDREN["T"])
            assert root_kids == pytest.approx(t.loc[(period, "T"), "yoy_pct"], abs=1e-9)
            # The group G = L1 ∪ S2 = {L1, L3}.
            g = t.loc[(period, "G"), "contribution_pp"]
            members = t.loc[(period, "L1"), "contribution_pp"] + t.loc[(period, "L3"), "contribution_pp"]
            assert g == pytest.approx(members)


@common
@given(spec=datasets())
def test_ytd_is_the_ratio_of_sums(tmp_path_factory, spec):
    result = build(tmp_path_factory, spec)
    t = result.table
    for code in ("T", "S1", "L2", "G"):
        s = t[t["code"] == code].set_index("period")
        idx = s["index"]
        frame = pd.DataFrame({"index": idx.values}, index=pd.PeriodIndex(idx.index, freq="M"))
        frame["cum"] = frame.groupby(frame.index.year)["index"].cumsum()
        for period in ("2024-01", "2024-06", "2024-12"):
            p = pd.Period(period, "M")
            expected = 100 * (frame.loc[p, "cum"] / frame.loc[p - 12, "cum"] - 1)
            assert s.loc[period, "ytd_pct"] == pytest.approx(expected, rel=1e-12)
            assert s.loc[period, "yoy_pct"] == pytest.approx(100 * (idx[period] / idx[str(p - 12)] - 1), rel=1e-12)
            assert s.loc[period, "mom_pct"] == pytest.approx(100 * (idx[period] / idx[str(p - 1)] - 1), rel=1e-12)
        # 2023-12's year to date needs 2022-01…11, which is before the data: empty, never 0.
        assert np.isnan(s.loc["2023-12", "ytd_pct"])
        assert s.loc["2023-11", "mom_pct"] == pytest.approx(100 * (idx["2023-11"] / idx["2023-10"] - 1))
        assert np.isnan(s.loc["2024-12", "ytd_prev_pct"])  # the year before has no complete year to date
        assert np.isnan(s.loc["2022-11", "mom_pct"]) and np.isnan(s.loc["2023-10", "yoy_pct"])
