"""Issue 5's confidentiality test: try to derive every suppressed cell from everything the API publishes.

A small demo city (150 enterprises, so many cells have fewer than 3) is compiled and stored twice — an
estimate and a revision with one more month — and everything the public API serves (every series, every
measure, every vintage) is collected. The attacker knows the weights and the index formulas and combines:

- within a month, the tree relations W(parent)·I(parent) = Σ W(child)·I(child), industries down to products,
  and the key-industry groups, by linear algebra (every combination of relations);
- across months, each published change: month on month, year on year, contribution to growth (with the root's
  level), and year to date (sums of levels), each solved for its one unknown level;

and repeats until nothing new is found. No suppressed level may come out. The same attacker, given a
naive publication (only the primary cells blanked, changes left in), recovers them: the attack has teeth.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

import vnindustry
from vnindustry.confidentiality import derive_values_linear
from vnindustry.demo.city import generate_city
from vnindustry.periods import month_code, parse_month
from vnindustry.sources.dataset import load_dataset
from vnindustry.store import Store, open_store
from vnindustry.store.compiled import store_compile
from vnindustry.web import create_app

pytestmark = pytest.mark.slow
V1 = "/api/v1"
Cell = tuple[str, int]  # (cell id, month key); products are "p:CODE"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path, pd.DataFrame, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("attack")
    store = open_store(f"sqlite:///{tmp / 'store.db'}")
    # Three years (the base year 2020 must be inside), to keep the attack's run short.
    early = vnindustry.compile_dataset(generate_city(tmp / "early", n_enterprises=150, start="2019-01",
                                                     end="2021-11"))
    store_compile(store, early, released_on=dt.date(2021, 12, 10))
    folder = generate_city(tmp / "city", n_enterprises=150, start="2019-01", end="2021-12")
    late = vnindustry.compile_dataset(folder)
    store_compile(store, late, released_on=dt.date(2026, 1, 10))
    return store, folder, late.table, late.products


def _structure(folder: Path) -> tuple[dict[str, list[str]], dict[str, float], dict[str, list[str]]]:
    """The tree (industries → products), the weights and the groups, as the attacker knows them."""
    ds = load_dataset(folder)
    active = set(ds.nodes)
    tree: dict[str, list[str]] = {}
    for code in ds.nodes:
        kids = [c for c in ds.children.get(code, []) if c in active]
        if kids:
            tree[code] = kids
    weights = {code: float(sum(ds.industries[leaf].weight for leaf in ds.leaves_under(code))) for code in ds.nodes}
    leaf_w: dict[str, float] = defaultdict(float)
    for p in ds.products:
        leaf_w[p.industry] += p.weight
    for p in ds.products:
        tree.setdefault(p.industry, []).append(f"p:{p.code}")
        weights[f"p:{p.code}"] = ds.industries[p.industry].weight * p.weight / leaf_w[p.industry]
    groups = {g.code: [m for m in g.members if m in active] for g in ds.groups}
    for g in ds.groups:
        weights[g.code] = float(sum(ds.industries[leaf].weight for leaf in ds.leaves_under(g.code)))
    return tree, weights, groups


def _published(client: TestClient) -> pd.DataFrame:
    """Every observation of the city's series, every vintage, as the API serves it (JSON)."""
    items, offset = [], 0
    while True:
        page = client.get(f"{V1}/series", params={"source": "city", "limit": 1000, "offset": offset}).json()
        items += page["items"]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            break
    rows = []
    for item in items:
        r = client.get(f"{V1}/series/{item['code']}/observations", params={"vintage": "all"})
        assert r.status_code == 200, r.text
        for o in r.json()["observations"]:
            rows.append({**o, "key": item["code"]})
    return pd.DataFrame(rows)


def _cell(key: str) -> str | None:
    _, table, code = key.split("/", 2)
    if "~" in code:
        return None  # adjusted series: not part of the relations
    return f"p:{code}" if table == "products" else code


def attack(frame: pd.DataFrame, tree: dict[str, list[str]], weights: dict[str, float],
           groups: dict[str, list[str]], root: str) -> dict[Cell, float]:
    """Every level (industry/group index, product index) the attacker can compute from one vintage's
    figures: ``frame`` has key, period, measure, value (NaN when withheld)."""
    known: dict[Cell, float] = {}
    changes: dict[str, dict[Cell, float]] = defaultdict(dict)
    q0: dict[str, float] = {}
    quantities: dict[Cell, float] = {}
    for key, period, measure, value in zip(frame["key"], frame["period"], frame["measure"], frame["value"],
                                           strict=True):
        cell = _cell(key)
        if cell is None or value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        t = parse_month(period)
        is_product = cell.startswith("p:")
        if measure == "level" and is_product:
            quantities[(cell, t)] = float(value)  # a quantity; the index is 100·Q/q̄₀
        elif measure == "level" or (measure == "index" and is_product):
            known[(cell, t)] = float(value)
        else:
            changes[measure][(cell, t)] = float(value)
    for (cell, t), q in quantities.items():  # q̄₀ from any month with both: then quantities give indices
        if (cell, t) in known and known[(cell, t)] != 0:
            q0.setdefault(cell, 100.0 * q / known[(cell, t)])
    found: dict[Cell, float] = {}

    dirty: set[int] = set()  # months with news since their relations were last solved

    def learn(cell: Cell, value: float) -> bool:
        if cell in known:
            return False
        known[cell] = found[cell] = value
        dirty.add(cell[1])
        return True

    periods = sorted({t for _, t in [*known, *quantities, *(c for m in changes.values() for c in m)]})
    cells = set(weights)
    dirty.update(periods)
    changed = True
    while changed:
        changed = False
        for (cell, t), q in quantities.items():
            if cell in q0:
                changed |= learn((cell, t), 100.0 * q / q0[cell])
        for (cell, t), pct in changes["pct_change_prev_month"].items():
            a, b = known.get((cell, t - 1)), known.get((cell, t))
            if a is not None and b is None:
                changed |= learn((cell, t), a * (1 + pct / 100))
            elif b is not None and a is None:
                changed |= learn((cell, t - 1), b / (1 + pct / 100))
        for (cell, t), pct in changes["pct_change_same_month_last_year"].items():
            a, b = known.get((cell, t - 12)), known.get((cell, t))
            if a is not None and b is None:
                changed |= learn((cell, t), a * (1 + pct / 100))
            elif b is not None and a is None:
                changed |= learn((cell, t - 12), b / (1 + pct / 100))
        for (cell, t), pp in changes["contribution_pp"].items():
            r = known.get((root, t - 12))
            a, b = known.get((cell, t - 12)), known.get((cell, t))
            if r is None or cell not in weights:
                continue
            diff = pp / 100 * weights[root] * r / weights[cell]  # I(t) − I(t−12)
            if a is not None and b is None:
                changed |= learn((cell, t), a + diff)
            elif b is not None and a is None:
                changed |= learn((cell, t - 12), b - diff)
        for (cell, t), pct in changes["pct_change_ytd_last_year"].items():
            y, m = divmod(t, 12)
            this = [(cell, y * 12 + k) for k in range(m + 1)]
            last = [(cell, (y - 1) * 12 + k) for k in range(m + 1)]
            unknown = [c for c in this + last if c not in known]
            if len(unknown) != 1:
                continue
            ratio = 1 + pct / 100  # Σ this = ratio · Σ last
            u = unknown[0]
            s_this = sum(known[c] for c in this if c != u)
            s_last = sum(known[c] for c in last if c != u)
            changed |= learn(u, ratio * s_last - s_this if u in this else (s_this / ratio) - s_last)
        months, dirty = sorted(dirty), set()
        for t in months:  # every combination of the month's relations
            published = {c: known.get((c, t)) for c in cells}
            for c, v in derive_values_linear(tree, published, weights, groups=groups).items():
                changed |= learn((c, t), v)
    return found


def _withheld(frame: pd.DataFrame) -> set[Cell]:
    hit = frame[(frame["flag"] == "c") & frame["measure"].isin(["level", "index"])]
    return {(c, parse_month(p)) for k, p in zip(hit["key"], hit["period"], strict=True)
            if (c := _cell(k)) is not None}


def test_regression_issue5_no_suppressed_cell_derivable_from_everything_published(city, monkeypatch):
    store, folder, table, products = city
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    frame = _published(TestClient(create_app(store)))
    tree, weights, groups = _structure(folder)
    withheld = _withheld(frame)
    assert len(withheld) > 100, "the small city must have confidential cells for this test to mean anything"

    # Every primary cell of the compile is withheld and flagged c, and no internal measure is served.
    primary = pd.concat([
        table.loc[table["suppression"] == "primary", ["code", "period"]],
        products.loc[products["suppression"] == "primary", ["code", "period"]].assign(
            code=lambda f: "p:" + f["code"].astype(str)),
    ])
    assert {(c, parse_month(p)) for c, p in zip(primary["code"], primary["period"], strict=True)} <= withheld
    assert not set(frame["measure"]) & {"enterprises", "dominant_share"}
    assert frame.loc[frame["flag"] == "c", "value"].isna().all()

    # The attack, on each vintage as served, finds nothing.
    for released_on, vintage in frame.groupby("released_on"):
        derived = attack(vintage, tree, weights, groups, "TOTAL")
        leaked = sorted(set(derived) & withheld)
        assert not leaked, f"vintage {released_on}: {len(leaked)} suppressed cells derivable, e.g. " + ", ".join(
            f"{c} {month_code(t)}" for c, t in leaked[:5])
    # The pattern is the same in every vintage (once suppressed, always suppressed).
    by_vintage = {d: _withheld(v) for d, v in frame.groupby("released_on")}
    first, last = sorted(by_vintage)
    assert {c for c in by_vintage[last] if c[1] <= parse_month("2021-11")} == by_vintage[first]


def test_the_attack_recovers_cells_from_a_naive_publication(city):
    """Blank only the primary cells' levels and keep everything else: the attacker gets them back."""
    store, folder, table, products = city
    tree, weights, groups = _structure(folder)
    internal = store.observations(source="city")  # the statisticians' view: values kept, flags shown
    internal = internal[~internal["measure"].isin(["enterprises", "dominant_share"])].copy()
    primary = set(zip(table.loc[table["suppression"] == "primary", "code"].astype(str),
                      table.loc[table["suppression"] == "primary", "period"].astype(str), strict=True))
    primary |= {(f"p:{c}", p) for c, p in zip(products.loc[products["suppression"] == "primary", "code"],
                                              products.loc[products["suppression"] == "primary", "period"],
                                              strict=True)}
    cell = [(_cell(k), p) for k, p in zip(internal["key"], internal["period"], strict=True)]
    naive = [(c, p) in primary and m in ("level", "index") for (c, p), m in zip(cell, internal["measure"],
                                                                               strict=True)]
    truth = {}  # the blanked levels: industries' and groups' level, products' index
    for (c, p), v, blank, m in zip(cell, internal["value"], naive, internal["measure"], strict=True):
        if blank and c is not None and (m == "index") == c.startswith("p:"):
            truth[(c, parse_month(p))] = v
    internal.loc[naive, "value"] = np.nan
    derived = attack(internal, tree, weights, groups, "TOTAL")
    # Many primary cells share a relation with other primary cells and stay hidden even here; but every
    # cell alone in a relation, or next to a published change, comes back — exactly.
    hits = {c: v for c, v in derived.items() if c in truth}
    assert len(hits) >= 200
    assert all(np.isclose(v, truth[c], rtol=1e-6, atol=1e-9) for c, v in hits.items())
