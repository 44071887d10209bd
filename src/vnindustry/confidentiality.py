"""Statistical disclosure control for published IIP cells (one period at a time).

Rule (docs/architecture.md, "Confidentiality"): a cell backed by fewer than ``min_count`` (3) enterprises, or
where one enterprise makes more than ``max_dominance`` (85%) of its weighted value, is suppressed and flagged
``c`` (primary suppression). Then complementary (secondary) suppression makes sure that no suppressed cell can
be derived from the published ones.

What the attacker knows. The weights W are published, and in the IIP tree a parent is the W-weighted mean of
its children (docs/method.md), so each parent p with children C gives one linear *relation*

    W(p)·I(p) − Σ_{c in C} W(c)·I(c) = 0.

Why "0 or at least 2 unknowns per relation" is exactly right for a tree. A relation with exactly one
suppressed cell gives that cell away. Conversely, if every relation holds either no suppressed cell or at
least two, no suppressed cell u is determined, even by linear algebra over all relations at once: the
relations form a hypertree (each cell sits in at most two relations, as a child in its parent's and as the
parent in its own, and cells and relations connect like the tree itself), so set the unknown u to 1, and in
each relation it sits in move one *other* unknown of that relation to rebalance it; that cell sits in at most
one further relation, which again has another unknown to rebalance, and so on outward along the tree, never
coming back. This builds a non-zero vector in the null space with a non-zero entry at u, so u is not
determined (positive weights assumed). :func:`suppress` therefore closes every lone suppression, and
:func:`derivable_cells` / :func:`derivable_cells_linear` are the attacks that check it.

Groups (key-industry groups: unions of leaves, I(G) = Σ W(l)·I(l) / W(G)) can be passed as extra relations.
They break the hypertree (a leaf then sits in more relations, and relations form cycles), so the per-relation
rule is no longer sufficient: with groups, :func:`suppress` also runs the linear attack and repairs until it
finds nothing. That repair is greedy, not optimal.

Not handled here (next step, see the module's report): relations *across periods*. A suppressed level can be
recovered from a published change (month-on-month, year-on-year, year-to-date) and a published level of the
other period, or from the year-to-date cumulative index and the other months; the pattern must be applied
consistently to every published indicator of a cell, over all periods, not per period in isolation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "FLAG",
    "derivable_cells",
    "derivable_cells_linear",
    "derive_values",
    "derive_values_linear",
    "primary_flags",
    "relations",
    "suppress",
]

FLAG = "c"
"""The flag of a suppressed (confidential) cell, primary or secondary."""

_TOL = 1e-9


def primary_flags(
    n_enterprises: Sequence[float] | np.ndarray | pd.Series,
    max_share: Sequence[float] | np.ndarray | pd.Series,
    *,
    min_count: int = 3,
    max_dominance: float = 0.85,
) -> np.ndarray:
    """Primary suppression: True where a cell must be suppressed.

    A cell is suppressed when it is backed by fewer than ``min_count`` enterprises (threshold rule) or when
    the largest enterprise makes more than ``max_dominance`` of its weighted value (dominance rule; a share of
    exactly ``max_dominance`` is published). A missing count or share (NaN) suppresses the cell (fail safe).
    """
    n = np.asarray(n_enterprises, dtype=float)
    share = np.asarray(max_share, dtype=float)
    if n.shape != share.shape:
        raise ValueError(f"n_enterprises and max_share differ in shape: {n.shape} vs {share.shape}")
    with np.errstate(invalid="ignore"):
        flags = (n < min_count) | (share > max_dominance)
    return flags | np.isnan(n) | np.isnan(share)


def relations(
    tree: Mapping[str, Sequence[str]], groups: Mapping[str, Sequence[str]] | None = None
) -> list[tuple[str, list[str]]]:
    """The linear relations an attacker can use: (aggregate, its parts) for every parent and every group.

    A tree relation is a parent and its children; a group relation is the group and its leaves (the leaves of
    the tree under its members, each counted once, as in docs/method.md).
    """
    rels = [(p, list(children)) for p, children in tree.items() if len(children) > 0]
    if groups:
        for g, members in groups.items():
            rels.append((g, _group_parts(tree, members)))
    return rels


def _group_parts(tree: Mapping[str, Sequence[str]], members: Sequence[str]) -> list[str]:
    """The parts of a group's relation: its members when they are disjoint subtrees, else its leaves.

    Both give the same span of relations together with the tree's (a member's relation to its leaves is a
    sum of tree relations), and the members' form keeps the attack's systems small.
    """
    unique = list(dict.fromkeys(members))
    below = {m: _leaves_under(tree, [m]) for m in unique}
    total = sum(len(v) for v in below.values())
    if len(set().union(*below.values())) == total:  # pairwise disjoint: no member under another
        return sorted(unique)
    return sorted(_leaves_under(tree, members))


def _leaves_under(tree: Mapping[str, Sequence[str]], members: Iterable[str]) -> set[str]:
    out: set[str] = set()
    stack = list(members)
    while stack:
        n = stack.pop()
        kids = tree.get(n, ())
        if kids:
            stack.extend(kids)
        else:
            out.add(n)
    return out


def _all_codes(tree: Mapping[str, Sequence[str]]) -> set[str]:
    codes = set(tree)
    for kids in tree.values():
        codes.update(kids)
    return codes


def _root(tree: Mapping[str, Sequence[str]]) -> str | None:
    children = {c for kids in tree.values() for c in kids}
    roots = [p for p in tree if p not in children]
    return roots[0] if len(roots) == 1 else None


# --- the attacks ---------------------------------------------------------------------------------------------


def derive_values(
    tree: Mapping[str, Sequence[str]],
    published: Mapping[str, float | None],
    weights: Mapping[str, float],
    *,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, float]:
    """The attacker by propagation: values of the unpublished cells it can compute.

    ``published`` maps every cell to its published value, or None when suppressed. Every relation
    W(agg)·I(agg) = Σ W(part)·I(part) with exactly one unknown gives that unknown; repeat to a fixed point.
    """
    rels = relations(tree, groups)
    known: dict[str, float] = {k: float(v) for k, v in published.items() if v is not None}
    derived: dict[str, float] = {}
    changed = True
    while changed:
        changed = False
        for agg, parts in rels:
            cells = [agg, *parts]
            unknown = [c for c in cells if c not in known]
            if len(unknown) != 1:
                continue
            u = unknown[0]
            # W(agg)·I(agg) − Σ W(part)·I(part) = 0, solved for u.
            rest = weights[agg] * known[agg] if agg != u else 0.0
            rest -= sum(weights[p] * known[p] for p in parts if p != u)
            value = -rest / weights[u] if u == agg else rest / weights[u]
            known[u] = derived[u] = value
            changed = True
    return derived


def derivable_cells(
    tree: Mapping[str, Sequence[str]],
    published: Mapping[str, float | None],
    weights: Mapping[str, float],
    *,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> set[str]:
    """The suppressed cells the propagation attack (:func:`derive_values`) can compute."""
    return set(derive_values(tree, published, weights, groups=groups))


def _system(
    tree: Mapping[str, Sequence[str]],
    published: Mapping[str, float | None],
    weights: Mapping[str, float],
    groups: Mapping[str, Sequence[str]] | None,
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Unknown codes, A_U and b with A_U·x_U = b (the relations restricted to the unknowns)."""
    rels = relations(tree, groups)
    unknown = sorted(k for k, v in published.items() if v is None)
    col = {u: j for j, u in enumerate(unknown)}
    a = np.zeros((len(rels), len(unknown)))
    b = np.zeros(len(rels))
    for i, (agg, parts) in enumerate(rels):
        for code, coef in [(agg, weights[agg]), *((p, -weights[p]) for p in parts)]:
            if code in col:
                a[i, col[code]] += coef
            else:
                b[i] -= coef * float(published[code])  # type: ignore[arg-type]
    return unknown, a, b


def derive_values_linear(
    tree: Mapping[str, Sequence[str]],
    published: Mapping[str, float | None],
    weights: Mapping[str, float],
    *,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, float]:
    """The attacker by linear algebra: values of the unpublished cells determined by all relations together.

    An unknown u is determined iff its unit vector lies in the row space of the relation matrix restricted to
    the unknowns, i.e. iff every vector of that matrix's null space is zero at u. Its value is then the same in
    every solution, so the minimum-norm least-squares solution gives it. Catches combinations the
    one-unknown propagation misses (e.g. the same two unknowns in two independent relations).
    """
    unknown, a, b = _system(tree, published, weights, groups)
    if not unknown:
        return {}
    # Relations without an unknown only restate published figures: drop them (the SVD's cost is in rows).
    keep = np.abs(a).max(axis=1) > 0
    a, b = a[keep], b[keep]
    out: dict[str, float] = {}
    # The system splits into blocks: unknowns linked by shared relations. Solve each block on its own.
    for cols in _blocks(a):
        rows = np.flatnonzero(np.abs(a[:, cols]).max(axis=1) > 0)
        sub, rhs = a[np.ix_(rows, cols)], b[rows]
        scale = max(float(np.abs(sub).max(initial=0.0)), 1.0)
        sub, rhs = sub / scale, rhs / scale
        _, s, vt = np.linalg.svd(sub, full_matrices=True)
        rank = int((s > _TOL * max(sub.shape)).sum())
        null = vt[rank:]  # rows: orthonormal basis of the null space
        x = np.linalg.lstsq(sub, rhs, rcond=None)[0]
        for k, j in enumerate(cols):
            if null.shape[0] == 0 or float(np.abs(null[:, k]).max()) < 1e-8:
                out[unknown[j]] = float(x[k])
    return out


def _blocks(a: np.ndarray) -> list[list[int]]:
    """Column sets of the connected blocks of ``a`` (columns linked when a row touches both)."""
    parent = list(range(a.shape[1]))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in a:
        cols = np.flatnonzero(row)
        for j in cols[1:].tolist():
            ri, rj = find(int(cols[0])), find(j)
            if ri != rj:
                parent[rj] = ri
    out: dict[int, list[int]] = {}
    for j in range(a.shape[1]):
        out.setdefault(find(j), []).append(j)
    return list(out.values())


def derivable_cells_linear(
    tree: Mapping[str, Sequence[str]],
    published: Mapping[str, float | None],
    weights: Mapping[str, float],
    *,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> set[str]:
    """The suppressed cells the linear-algebra attack (:func:`derive_values_linear`) can compute."""
    return set(derive_values_linear(tree, published, weights, groups=groups))


# --- suppression ---------------------------------------------------------------------------------------------


def _lone(rels: list[tuple[str, list[str]]], suppressed: set[str]) -> list[tuple[str, list[str], str]]:
    """Relations with exactly one suppressed cell, with that cell."""
    out = []
    for agg, parts in rels:
        hit = [c for c in (agg, *parts) if c in suppressed]
        if len(hit) == 1:
            out.append((agg, parts, hit[0]))
    return out


def _complement(agg: str, parts: list[str], lone: str, suppressed: set[str], weights: Mapping[str, float]) -> str:
    """The cell to suppress so that ``lone`` is not alone in its relation: the part (sibling or child) of
    least weight; the aggregate only when there is no other part (a parent with a single child)."""
    candidates = [p for p in parts if p != lone and p not in suppressed]
    if candidates:
        return min(candidates, key=lambda c: (weights[c], c))
    return agg  # lone is the only part: the parent equals it and must go too


def _close(rels: list[tuple[str, list[str]]], suppressed: set[str], weights: Mapping[str, float]) -> list[str]:
    """Add complementary suppressions until no relation has exactly one suppressed cell; returns the added
    cells in order."""
    added: list[str] = []
    while True:
        lone = _lone(rels, suppressed)
        if not lone:
            return added
        agg, parts, cell = lone[0]
        extra = _complement(agg, parts, cell, suppressed, weights)
        suppressed.add(extra)
        added.append(extra)


def _safe(
    tree: Mapping[str, Sequence[str]],
    rels: list[tuple[str, list[str]]],
    suppressed: set[str],
    weights: Mapping[str, float],
    groups: Mapping[str, Sequence[str]] | None,
) -> bool:
    if _lone(rels, suppressed):
        return False
    if not groups:
        return True  # the hypertree argument in the module docstring
    published = {c: (None if c in suppressed else 0.0) for c in weights}
    return not derivable_cells_linear(tree, published, weights, groups=groups)


def suppress(
    tree: Mapping[str, Sequence[str]],
    cells: pd.DataFrame,
    *,
    min_count: int = 3,
    max_dominance: float = 0.85,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Primary and complementary suppression of one period's cells.

    ``tree`` maps each parent to its children; ``cells`` has columns code, n_enterprises, max_share, weight,
    value, one row per node of the tree (and per group, if ``groups`` are given). Returns a copy with columns
    ``flag`` ("c" when suppressed, else "") and ``suppression`` ("", "primary" or "secondary").

    Algorithm:

    1. primary: :func:`primary_flags`;
    2. closure: while some relation (a parent and its children) holds exactly one suppressed cell, suppress
       the unsuppressed sibling/child of least weight in it (least information loss); only when the lone cell
       is the single child of its parent is the parent suppressed (it equals the child). A new suppression
       puts a suppressed cell into the cell's other relation, so this cascades up and down the tree until the
       fixed point;
    3. with groups only: while the linear attack still derives a cell, suppress the unsuppressed cell of least
       weight (not the root, if possible) among the relations of the derivable cells, and close again;
    4. pruning: drop secondary suppressions, heaviest first, whenever the pattern stays safe without them, so
       that every remaining secondary suppression is needed.

    The root is suppressed only by the primary rule, or when it has a single child that is suppressed.
    """
    required = {"code", "n_enterprises", "max_share", "weight"}
    missing = required - set(cells.columns)
    if missing:
        raise ValueError(f"cells lacks columns {sorted(missing)}")
    codes = list(cells["code"])
    if len(set(codes)) != len(codes):
        raise ValueError("cells has duplicate codes")
    expected = _all_codes(tree) | set(groups or ())
    if not expected and codes:
        expected = set(codes)
    if set(codes) != expected:
        lacking, extra = sorted(expected - set(codes))[:5], sorted(set(codes) - expected)[:5]
        raise ValueError(f"cells and tree differ: missing {lacking}, extra {extra}")
    weights = {str(c): float(w) for c, w in zip(cells["code"], cells["weight"], strict=True)}
    if any(not np.isfinite(w) or w <= 0 for w in weights.values()):
        raise ValueError("weights must be positive")
    rels = relations(tree, groups)
    root = _root(tree)

    primary = primary_flags(
        cells["n_enterprises"], cells["max_share"], min_count=min_count, max_dominance=max_dominance
    )
    primary_set = {c for c, p in zip(codes, primary, strict=True) if p}
    suppressed = set(primary_set)
    secondary = _close(rels, suppressed, weights)

    if groups:
        while True:
            published = {c: (None if c in suppressed else 0.0) for c in weights}
            exposed = derivable_cells_linear(tree, published, weights, groups=groups)
            if not exposed:
                break
            near = {c for agg, parts in rels if exposed & {agg, *parts} for c in (agg, *parts)}
            candidates = sorted(near - suppressed, key=lambda c: (c == root, weights[c], c))
            if not candidates:  # pragma: no cover - everything near is suppressed yet derivable: cannot happen
                candidates = sorted(set(weights) - suppressed, key=lambda c: (c == root, weights[c], c))
            secondary.append(candidates[0])
            suppressed.add(candidates[0])
            secondary.extend(_close(rels, suppressed, weights))

    for cell in sorted(set(secondary), key=lambda c: (-weights[c], c)):
        trial = suppressed - {cell}
        if _safe(tree, rels, trial, weights, groups):
            suppressed = trial

    out = cells.copy()
    out["suppression"] = ["primary" if c in primary_set else "secondary" if c in suppressed else "" for c in codes]
    out["flag"] = np.where(out["suppression"] != "", FLAG, "")
    return out
