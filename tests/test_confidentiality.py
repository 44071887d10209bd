"""Statistical disclosure control: primary rules, complementary suppression, and the attacks that check it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnindustry.confidentiality import (
    derivable_cells,
    derivable_cells_linear,
    derive_values,
    derive_values_linear,
    primary_flags,
    relations,
    suppress,
)

# --- helpers -------------------------------------------------------------------------------------------------


def _complete(tree: dict[str, list[str]], leaf_w: dict[str, float], leaf_v: dict[str, float]):
    """Weights and values of every node, parents exactly the weighted mean of their children."""
    w, v = dict(leaf_w), dict(leaf_v)

    def fill(n: str) -> None:
        kids = tree.get(n, [])
        if not kids:
            return
        for k in kids:
            fill(k)
        w[n] = sum(w[k] for k in kids)
        v[n] = sum(w[k] * v[k] for k in kids) / w[n]

    roots = set(tree) - {k for ks in tree.values() for k in ks}
    for r in roots:
        fill(r)
    return w, v


def _cells(tree, w, v, small=(), dominant=()):
    codes = sorted(w)
    return pd.DataFrame(
        {
            "code": codes,
            "n_enterprises": [1 if c in small else 10 for c in codes],
            "max_share": [0.95 if c in dominant else 0.3 for c in codes],
            "weight": [w[c] for c in codes],
            "value": [v[c] for c in codes],
        }
    )


def _published(out: pd.DataFrame) -> dict[str, float | None]:
    return {c: (None if f == "c" else float(x)) for c, f, x in zip(out["code"], out["flag"], out["value"], strict=True)}


def _status(out: pd.DataFrame) -> dict[str, str]:
    return dict(zip(out["code"], out["suppression"], strict=True))


# A small IIP-like tree: T → B, C, D; C → C10, C11, C12; C10 → C101, C102; D → D35 (single child).
TREE = {"T": ["B", "C", "D"], "C": ["C10", "C11", "C12"], "C10": ["C101", "C102"], "D": ["D35"]}
LEAF_W = {"B": 50.0, "C11": 120.0, "C12": 80.0, "C101": 60.0, "C102": 40.0, "D35": 30.0}
LEAF_V = {"B": 101.0, "C11": 97.5, "C12": 110.2, "C101": 104.0, "C102": 93.0, "D35": 120.0}
W, V = _complete(TREE, LEAF_W, LEAF_V)


# --- primary rules -------------------------------------------------------------------------------------------


def test_threshold_rule_edges() -> None:
    flags = primary_flags([0, 1, 2, 3, 4], [0.1] * 5)
    assert flags.tolist() == [True, True, True, False, False]


def test_dominance_rule_edges() -> None:
    flags = primary_flags([10] * 5, [0.5, 0.85, 0.8501, 0.86, 1.0])
    assert flags.tolist() == [False, False, True, True, True]


def test_primary_custom_thresholds_and_missing() -> None:
    assert primary_flags([4, 5], [0.1, 0.1], min_count=5).tolist() == [True, False]
    assert primary_flags([10, 10], [0.7, 0.71], max_dominance=0.7).tolist() == [False, True]
    assert primary_flags([np.nan, 10], [0.1, np.nan]).tolist() == [True, True]
    with pytest.raises(ValueError):
        primary_flags([1, 2], [0.1])


# --- hand-checked trees --------------------------------------------------------------------------------------


def test_nothing_to_suppress() -> None:
    out = suppress(TREE, _cells(TREE, W, V))
    assert set(out["flag"]) == {""} and set(out["suppression"]) == {""}


def test_lone_child_forces_lightest_sibling() -> None:
    out = suppress(TREE, _cells(TREE, W, V, small={"C11"}))
    s = _status(out)
    assert s["C11"] == "primary"
    # Siblings of C11 under C: C10 (100), C12 (80) → C12 is lighter, and a leaf: no cascade.
    assert s["C12"] == "secondary"
    assert {c for c, x in s.items() if x} == {"C11", "C12"}
    assert list(out.loc[out["code"].isin(["C11", "C12"]), "flag"]) == ["c", "c"]
    assert not derivable_cells(TREE, _published(out), W)


def test_cascade_downward() -> None:
    # C12 dominated; the lightest sibling is now C10 (100 < 120), which has children: one of them must follow.
    out = suppress(TREE, _cells(TREE, W, V, dominant={"C12"}))
    s = _status(out)
    assert s["C12"] == "primary" and s["C10"] == "secondary"
    assert s["C102"] == "secondary"  # lighter child of C10
    assert {c for c, x in s.items() if x} == {"C12", "C10", "C102"}
    assert not derivable_cells(TREE, _published(out), W)
    assert not derivable_cells_linear(TREE, _published(out), W)


def test_cascade_upward() -> None:
    # A suppressed parent with all children published is derivable from them: one child must go; and the
    # parent C10 then is a lone suppression in C's relation: a sibling under C must go too.
    out = suppress(TREE, _cells(TREE, W, V, small={"C10"}))
    s = _status(out)
    assert s["C10"] == "primary"
    assert s["C102"] == "secondary"
    assert s["C12"] == "secondary"
    assert {c for c, x in s.items() if x} == {"C10", "C102", "C12"}
    assert not derivable_cells(TREE, _published(out), W)


def test_single_child_parent_goes_with_its_child() -> None:
    # D has the single child D35, so I(D) = I(D35): suppressing D35 means suppressing D, which then is a lone
    # suppression among T's children: the lightest sibling (B) must go as well. The root stays published.
    out = suppress(TREE, _cells(TREE, W, V, small={"D35"}))
    s = _status(out)
    assert s["D35"] == "primary" and s["D"] == "secondary" and s["B"] == "secondary"
    assert s["T"] == ""
    assert {c for c, x in s.items() if x} == {"D35", "D", "B"}
    assert not derivable_cells(TREE, _published(out), W)


def test_root_suppressed_only_when_primary() -> None:
    out = suppress(TREE, _cells(TREE, W, V, small={"T"}))
    s = _status(out)
    assert s["T"] == "primary"
    assert s["D"] == "secondary" and s["D35"] == "secondary"  # lightest child of T has a single child
    assert not derivable_cells_linear(TREE, _published(out), W)


def test_secondaries_already_covered_are_pruned() -> None:
    # Both C11 and C12 primary: the relation under C has two unknowns, nothing else is needed.
    out = suppress(TREE, _cells(TREE, W, V, small={"C11", "C12"}))
    assert {c for c, x in _status(out).items() if x} == {"C11", "C12"}


@pytest.mark.parametrize(
    "small",
    [{"C11"}, {"C12"}, {"C10"}, {"D35"}, {"T"}, {"C101"}, {"B", "C102"}, {"C", "D35"}, {"C101", "C11", "B"}],
)
def test_every_secondary_is_needed(small: set[str]) -> None:
    out = suppress(TREE, _cells(TREE, W, V, small=small))
    _assert_minimal(TREE, out, W)


def _assert_minimal(tree, out: pd.DataFrame, w) -> None:
    published = _published(out)
    assert not derivable_cells(tree, published, w)
    for code in out.loc[out["suppression"] == "secondary", "code"]:
        relaxed = dict(published)
        relaxed[code] = float(out.loc[out["code"] == code, "value"].iloc[0])
        assert derivable_cells(tree, relaxed, w), f"secondary suppression of {code} is not needed"


# --- the attacks ---------------------------------------------------------------------------------------------


def test_propagation_attack_recovers_true_values() -> None:
    # Only C11 suppressed: it follows from C and its siblings; then nothing else.
    published = {c: (None if c in {"C11", "C101"} else V[c]) for c in W}
    got = derive_values(TREE, published, W)
    assert set(got) == {"C11", "C101"}
    for c, x in got.items():
        assert x == pytest.approx(V[c], rel=1e-12)


def test_propagation_attack_chains_through_levels() -> None:
    # C101 and C10 unknown: C10 comes from C's relation, then C101 from C10's.
    published = {c: (None if c in {"C10", "C101"} else V[c]) for c in W}
    got = derive_values(TREE, published, W)
    assert set(got) == {"C10", "C101"}
    assert got["C101"] == pytest.approx(V["C101"])
    assert derive_values_linear(TREE, published, W) == pytest.approx(got)


def test_linear_attack_beats_propagation_with_groups() -> None:
    # T → A, B; A → a1, a2; B → b1, b2; groups G1 = {a1, b1}, G2 = {a1, b2}. Hide the four leaves: every
    # relation holds two unknowns, so propagation finds nothing, but four independent equations fix them all.
    tree = {"T": ["A", "B"], "A": ["a1", "a2"], "B": ["b1", "b2"]}
    w, v = _complete(tree, {"a1": 1.0, "a2": 2.0, "b1": 3.0, "b2": 4.0}, {"a1": 90, "a2": 100, "b1": 110, "b2": 130})
    groups = {"G1": ["a1", "b1"], "G2": ["a1", "b2"]}
    for g, members in groups.items():
        w[g] = sum(w[m] for m in members)
        v[g] = sum(w[m] * v[m] for m in members) / w[g]
    hidden = {"a1", "a2", "b1", "b2"}
    published = {c: (None if c in hidden else float(v[c])) for c in w}
    assert not derivable_cells(tree, published, w, groups=groups)
    got = derive_values_linear(tree, published, w, groups=groups)
    assert set(got) == hidden
    for c in hidden:
        assert got[c] == pytest.approx(v[c], rel=1e-9)


def test_suppress_with_groups_defeats_linear_attack() -> None:
    tree = {"T": ["A", "B"], "A": ["a1", "a2"], "B": ["b1", "b2"]}
    w, v = _complete(tree, {"a1": 1.0, "a2": 2.0, "b1": 3.0, "b2": 4.0}, {"a1": 90, "a2": 100, "b1": 110, "b2": 130})
    groups = {"G1": ["a1", "b1"], "G2": ["a1", "b2"]}
    for g, members in groups.items():
        w[g] = sum(w[m] for m in members)
        v[g] = sum(w[m] * v[m] for m in members) / w[g]
    out = suppress(tree, _cells(tree, w, v, small={"a1"}), groups=groups)
    published = _published(out)
    assert _status(out)["a1"] == "primary"
    assert not derivable_cells(tree, published, w, groups=groups)
    assert not derivable_cells_linear(tree, published, w, groups=groups)


def test_bad_input() -> None:
    cells = _cells(TREE, W, V)
    with pytest.raises(ValueError, match="differ"):
        suppress(TREE, cells[cells["code"] != "B"])
    with pytest.raises(ValueError, match="columns"):
        suppress(TREE, cells.drop(columns="weight"))
    bad = cells.copy()
    bad.loc[0, "weight"] = 0.0
    with pytest.raises(ValueError, match="positive"):
        suppress(TREE, bad)


# --- property tests over random trees ------------------------------------------------------------------------


@st.composite
def random_tables(draw):
    depth = draw(st.integers(2, 4))
    tree: dict[str, list[str]] = {}
    counter = iter(range(10_000))

    def grow(code: str, level: int) -> None:
        if level == depth:
            return
        # Below the root a branch may stop early (leaves at different depths, as in VSIC).
        if level > 0 and draw(st.booleans()) and draw(st.booleans()):
            return
        kids = [f"n{next(counter)}" for _ in range(draw(st.integers(1, 5)))]
        tree[code] = kids
        for k in kids:
            grow(k, level + 1)

    grow("T", 0)
    leaves = sorted({k for ks in tree.values() for k in ks} - set(tree))
    leaf_w = {c: draw(st.floats(0.5, 500.0)) for c in leaves}
    leaf_v = {c: draw(st.floats(50.0, 200.0)) for c in leaves}
    w, v = _complete(tree, leaf_w, leaf_v)
    codes = sorted(w)
    n = {c: draw(st.sampled_from([1, 2, 3, 5, 20])) for c in codes}
    share = {c: draw(st.sampled_from([0.2, 0.6, 0.85, 0.9, 1.0])) for c in codes}
    cells = pd.DataFrame(
        {
            "code": codes,
            "n_enterprises": [n[c] for c in codes],
            "max_share": [share[c] for c in codes],
            "weight": [w[c] for c in codes],
            "value": [v[c] for c in codes],
        }
    )
    return tree, cells, w, v


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables())
def test_suppress_leaves_nothing_derivable(table) -> None:
    tree, cells, w, _ = table
    out = suppress(tree, cells)
    published = _published(out)
    assert not derivable_cells(tree, published, w)
    assert not derivable_cells_linear(tree, published, w)
    # Primary cells are exactly the rule's; flags agree with the suppression column.
    expected_primary = primary_flags(cells["n_enterprises"], cells["max_share"])
    assert ((out["suppression"] == "primary").to_numpy() == expected_primary).all()
    assert ((out["flag"] == "c") == (out["suppression"] != "")).all()
    # The root is suppressed only as primary, or as the parent of a single suppressed child.
    s = _status(out)
    if s["T"] == "secondary":
        assert len(tree["T"]) == 1
    # A parent with a single suppressed child is suppressed.
    for p, kids in tree.items():
        if len(kids) == 1 and s[kids[0]]:
            assert s[p]
    _assert_minimal(tree, out, w)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables(), st.data())
def test_attacks_agree_on_trees_and_recover_truth(table, data) -> None:
    # On a tree (no groups) the relations form a hypertree: propagation finds exactly what linear algebra
    # finds; and whatever they derive equals the true value.
    tree, _, w, v = table
    codes = sorted(w)
    hidden = set(data.draw(st.lists(st.sampled_from(codes), unique=True, max_size=len(codes))))
    published = {c: (None if c in hidden else v[c]) for c in codes}
    by_propagation = derive_values(tree, published, w)
    by_algebra = derive_values_linear(tree, published, w)
    assert set(by_propagation) == set(by_algebra) <= hidden
    for c, x in by_propagation.items():
        assert x == pytest.approx(v[c], rel=1e-6)
        assert by_algebra[c] == pytest.approx(v[c], rel=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables(), st.data())
def test_suppress_with_random_groups_leaves_nothing_derivable(table, data) -> None:
    # Groups break the hypertree; the repair loop must still leave the linear attack with nothing.
    tree, cells, w, v = table
    leaves = sorted(set(w) - set(tree))
    groups = {}
    for i in range(data.draw(st.integers(1, 3))):
        members = data.draw(st.lists(st.sampled_from(leaves), unique=True, min_size=1, max_size=len(leaves)))
        groups[f"G{i}"] = members
        w[f"G{i}"] = sum(w[m] for m in members)
        v[f"G{i}"] = sum(w[m] * v[m] for m in members) / w[f"G{i}"]
    extra = pd.DataFrame(
        {
            "code": list(groups),
            "n_enterprises": [data.draw(st.sampled_from([1, 5, 20])) for _ in groups],
            "max_share": [0.3 for _ in groups],
            "weight": [w[g] for g in groups],
            "value": [v[g] for g in groups],
        }
    )
    out = suppress(tree, pd.concat([cells, extra], ignore_index=True), groups=groups)
    published = _published(out)
    assert not derivable_cells(tree, published, w, groups=groups)
    assert not derivable_cells_linear(tree, published, w, groups=groups)


def test_relations_lists_parents_and_groups() -> None:
    rels = dict(relations(TREE, {"G": ["C10", "B"], "H": ["C", "C10"]}))
    assert rels["C"] == ["C10", "C11", "C12"]
    assert rels["G"] == ["B", "C10"]  # disjoint members: the group is their sum
    assert rels["H"] == ["C101", "C102", "C11", "C12"]  # overlapping members: the group is its leaves
