"""Who backs each published cell, and which cells must be suppressed (docs/method.md, "Confidentiality").

For every node (industry, group) and product, every month, the compile counts the enterprises with a positive
completed quantity (reported or imputed) under it and the share of the largest of them in the cell's weighted
value — the part of the index that enterprise makes. For a node n the weighted value of enterprise e is

    V(e, n, t) = Σ_{p under n} c(p)·q(e, p, t),   c(p) = W(leaf(p))·w(p) / (Σ_{p' in leaf(p)} w(p')·q̄₀(p)),

i.e. e's part of W(n)·I(n, t)/100 (docs/method.md, the index formulas): the share is V(e,n,t)/Σ_e V(e,n,t).
For a product the weighted value is simply the quantity.

:func:`disclosure_pattern` then runs :func:`vnindustry.confidentiality.suppress` on every month
over one tree: the industries, the products as the children of their leaf industry (a leaf's index is the
weighted mean of its products' indices, with published-or-not product weights treated as known), and the
key-industry groups as extra relations.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vnindustry.compile import month_kernel
from vnindustry.confidentiality import primary_flags, suppress
from vnindustry.sources.dataset import Dataset

__all__ = ["DisclosureStats", "cell_id", "disclosure_pattern", "disclosure_stats"]


@dataclass(frozen=True)
class DisclosureStats:
    """Per month (rows) and cell (columns): enterprises backing it and the largest one's share (0..1, NaN
    when the cell's weighted value is 0)."""

    node_enterprises: np.ndarray  # (T, nodes + groups), the compile table's code order
    node_dominance: np.ndarray
    product_enterprises: np.ndarray  # (T, products)
    product_dominance: np.ndarray


def _segment_max(values: np.ndarray, order: np.ndarray, starts: np.ndarray, size: int,
                 present: np.ndarray) -> np.ndarray:
    """Max of ``values`` per segment (``order`` sorts values by segment; ``starts`` are the non-empty
    segments' first positions; ``present`` their segment numbers)."""
    out = np.zeros(size)
    if len(starts):
        out[present] = np.maximum.reduceat(np.take(values, order), starts)
    return out


def disclosure_stats(ds: Dataset, values: np.ndarray, pair_product: np.ndarray, pair_enterprise: np.ndarray,
                     codes: list[str], *, workers: int = 0) -> DisclosureStats:
    """Enterprise counts and dominance shares for the compile table's ``codes`` (nodes then groups) and for
    every product, from the completed quantities ``values`` (T × pairs, NaN where absent)."""
    n_months = values.shape[0]
    products = ds.products
    n_products = len(products)
    leaves = ds.leaves
    leaf_pos = {code: i for i, code in enumerate(leaves)}
    product_leaf = np.array([leaf_pos[p.industry] for p in products], dtype=np.int64)
    w = np.array([p.weight for p in products], dtype=float)
    q0 = np.array([p.base_quantity for p in products], dtype=float)
    leaf_w = np.bincount(product_leaf, weights=w, minlength=len(leaves))
    big_w = np.array([ds.industries[leaf].weight for leaf in leaves], dtype=float)
    coef = big_w[product_leaf] * w / (leaf_w[product_leaf] * q0)

    pair_product = pair_product.astype(np.int64)
    pair_enterprise = pair_enterprise.astype(np.int64)
    kernel = month_kernel.for_panel(values)

    # (enterprise, leaf) keys, then (node, enterprise) keys for every node containing the leaf.
    n_ent = int(pair_enterprise.max()) + 1 if len(pair_enterprise) else 0
    el_key = pair_enterprise * len(leaves) + product_leaf[pair_product]
    el_unique, pair_el = np.unique(el_key, return_inverse=True)
    el_ent, el_leaf = el_unique // len(leaves), el_unique % len(leaves)
    nodes_of_leaf: list[list[int]] = [[] for _ in leaves]
    for j, code in enumerate(codes):
        for leaf in ds.leaves_under(code):
            nodes_of_leaf[leaf_pos[leaf]].append(j)
    # Each (enterprise, leaf) gives an entry for every node over its leaf: the leaves' node lists laid end to end,
    # and each entry's place in its leaf's list.
    leaf_len = np.array([len(nodes) for nodes in nodes_of_leaf], dtype=np.int64)
    leaf_start = np.concatenate([[0], np.cumsum(leaf_len)[:-1]]).astype(np.int64)
    all_nodes = np.array([j for nodes in nodes_of_leaf for j in nodes], dtype=np.int64)
    counts = leaf_len[el_leaf]
    entry_el = np.repeat(np.arange(len(el_unique)), counts)
    entry_first = np.repeat(np.cumsum(counts) - counts, counts)  # the entry number of its (enterprise, leaf)'s first
    entry_node = all_nodes[leaf_start[el_leaf][entry_el] + np.arange(len(entry_el)) - entry_first]
    ne_key = entry_node * max(n_ent, 1) + el_ent[entry_el]
    ne_unique, entry_ne = np.unique(ne_key, return_inverse=True)  # sorted by node, then enterprise
    ne_node = ne_unique // max(n_ent, 1)

    pair_coef = coef[pair_product]  # the same every month
    n_codes = len(codes)
    node_n = np.zeros((n_months, n_codes))
    node_share = np.full((n_months, n_codes), np.nan)
    prod_n = np.zeros((n_months, n_products))
    prod_share = np.full((n_months, n_products), np.nan)

    if kernel is not None:
        pair_product_32, pair_el_32, entry_el_32, entry_ne_32, ne_node_32 = (
            a.astype(np.int32) for a in (pair_product, pair_el, entry_el, entry_ne, ne_node))
        for index, size in ((pair_product_32, n_products), (pair_el_32, len(el_unique)), (entry_el_32, len(el_unique)),
                            (entry_ne_32, len(ne_unique)), (ne_node_32, n_codes)):
            month_kernel.check_indices(index, size)
        pair_coef = np.ascontiguousarray(pair_coef, dtype=np.float64)
    else:  # the numpy loop's maxima by segment: pairs sorted by product, node-enterprise values by node
        # Pairs are distinct (enterprise, product): a product's cell max is the max over its pairs.
        p_order = np.argsort(pair_product, kind="stable")
        p_present, p_starts = np.unique(pair_product[p_order], return_index=True)
        n_present, n_starts = np.unique(ne_node, return_index=True)
        ne_order = np.arange(len(ne_unique))

    def month_in_c(t: int) -> None:
        """The month in one C pass (the GIL released: the months side by side), the same sums as below."""
        total, prod_n[t], top, node_total, node_n[t], node_top = kernel.disclosure_month(
            values[t], pair_product_32, pair_el_32, pair_coef, n_products, len(el_unique), entry_el_32, entry_ne_32,
            ne_node_32, n_codes)
        np.divide(top, total, out=prod_share[t], where=total > 0)
        np.divide(node_top, node_total, out=node_share[t], where=node_total > 0)

    def month(t: int) -> None:
        # NaN (no value) as 0 in one pass; quantities are ≥ 0, so fmax changes nothing else (a −0.0 becomes 0.0,
        # which no sum, count or maximum below can tell apart).
        v = np.fmax(values[t], 0.0)
        positive = v > 0
        total = np.bincount(pair_product, weights=v, minlength=n_products)
        prod_n[t] = np.bincount(pair_product[positive], minlength=n_products)
        top = _segment_max(v, p_order, p_starts, n_products, p_present)
        np.divide(top, total, out=prod_share[t], where=total > 0)

        el_val = np.bincount(pair_el, weights=v * pair_coef, minlength=len(el_unique))
        ne_val = np.bincount(entry_ne, weights=el_val[entry_el], minlength=len(ne_unique))
        node_total = np.bincount(ne_node, weights=ne_val, minlength=n_codes)
        node_n[t] = np.bincount(ne_node[ne_val > 0], minlength=n_codes)
        node_top = _segment_max(ne_val, ne_order, n_starts, n_codes, n_present)
        np.divide(node_top, node_total, out=node_share[t], where=node_total > 0)

    # Months are independent: on every core, for the part numpy runs without the GIL (the masks, gathers and
    # maxima; np.bincount holds it, so those sums take turns).
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(month if kernel is None else month_in_c, range(n_months)))
    return DisclosureStats(node_n, node_share, prod_n, prod_share)


def cell_id(kind: str, code: str) -> str:
    """The id of a cell in the suppression tree: industries and groups keep their code, products get ``p:``
    (a product code may equal an industry code)."""
    return f"p:{code}" if kind == "product" else code


def disclosure_pattern(
    ds: Dataset,
    table: pd.DataFrame,
    products: pd.DataFrame,
    *,
    min_count: int = 3,
    max_dominance: float = 0.85,
    forced: Mapping[str, Iterable[str]] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """The suppression of every cell of a compile: (iip, products) Series aligned with ``table`` and
    ``products``, each "" (published), "primary" or "secondary".

    ``table`` and ``products`` need columns period, code, enterprises, dominant_share (the compile's).
    ``forced`` maps a period to cell ids (:func:`cell_id`) that must stay suppressed — cells suppressed by
    an earlier release, so that a revision never un-suppresses what was once confidential; they count as
    primary.
    """
    active = set(ds.nodes)  # industries with products below them: the published ones
    tree: dict[str, list[str]] = {}
    for code in ds.nodes:
        kids = [c for c in ds.children.get(code, []) if c in active]
        if kids:
            tree[code] = kids
    leaf_w = {leaf: 0.0 for leaf in ds.leaves}
    for p in ds.products:
        leaf_w[p.industry] += p.weight
    weights: dict[str, float] = {}
    for code in ds.nodes:
        weights[code] = float(sum(ds.industries[leaf].weight for leaf in ds.leaves_under(code)))
    for p in ds.products:
        pid = cell_id("product", p.code)
        tree.setdefault(p.industry, []).append(pid)
        weights[pid] = float(ds.industries[p.industry].weight) * p.weight / leaf_w[p.industry]
    groups = {g.code: [m for m in g.members if m in active] for g in ds.groups} or None
    for g in ds.groups:
        weights[g.code] = float(sum(ds.industries[leaf].weight for leaf in ds.leaves_under(g.code)))

    cells = pd.concat([
        pd.DataFrame({"period": table["period"].astype(str), "cell": table["code"].astype(str),
                      "n_enterprises": table["enterprises"], "max_share": table["dominant_share"]}),
        pd.DataFrame({"period": products["period"].astype(str),
                      "cell": "p:" + products["code"].astype(str),  # cell_id("product", code), vectorised
                      "n_enterprises": products["enterprises"], "max_share": products["dominant_share"]}),
    ], ignore_index=True)
    cells["weight"] = cells["cell"].map(weights)
    outcome: dict[tuple[str, str], str] = {}
    forced = forced or {}
    flagged = primary_flags(cells["n_enterprises"], cells["max_share"], min_count=min_count,
                            max_dominance=max_dominance)
    # A month with no primary (and no forced) suppression publishes everything: skip the search.
    busy = set(cells.loc[flagged, "period"].tolist()) | {p for p, c in forced.items() if c}
    for period, frame in cells[cells["period"].isin(busy)].groupby("period", sort=True):
        frame = frame.rename(columns={"cell": "code"})
        must = set(forced.get(str(period), ()))
        if must:
            # An earlier suppression stays: treat it as primary (n = 0 fails the threshold rule).
            hit = frame["code"].isin(must)
            frame = frame.assign(n_enterprises=frame["n_enterprises"].where(~hit, 0.0))
        done = suppress(tree, frame[["code", "n_enterprises", "max_share", "weight"]],
                        min_count=min_count, max_dominance=max_dominance, groups=groups)
        for code, how in zip(done["code"].tolist(), done["suppression"].tolist(), strict=True):
            if how:
                outcome[(str(period), code)] = how
    n_iip = len(table)
    return (_lookup(outcome, cells["period"].iloc[:n_iip], cells["cell"].iloc[:n_iip], table.index),
            _lookup(outcome, cells["period"].iloc[n_iip:], cells["cell"].iloc[n_iip:], products.index))


def _lookup(outcome: dict[tuple[str, str], str], periods: pd.Series, cells: pd.Series, index: pd.Index
            ) -> pd.Series:
    """The suppression of each (period, cell) row: its entry in ``outcome``, else "" (published)."""
    result = pd.Series("", index=index, dtype=object)
    if outcome:
        found = pd.Series(list(outcome.values()), index=pd.MultiIndex.from_tuples(list(outcome)), dtype=object)
        where = found.reindex(pd.MultiIndex.from_arrays([periods.to_numpy(), cells.to_numpy()]))
        hit = where.notna().to_numpy()
        result.iloc[hit] = where.to_numpy()[hit]
    return result
