"""``generate_city``: the model's settings (noise, COVID, products per enterprise, ramp-up, silences,
slips) and the generator that draws the city and writes its dataset folder."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vnindustry.classification.vsic import load_key_industries
from vnindustry.demo.city.catalogue import _build_tree, _names, _Product, _read_leaves, _read_products
from vnindustry.demo.city.enterprises import _enterprise_rows
from vnindustry.demo.city.seasonality import _PROFILES, PROFILES, TET_DATES, TET_EFFECTS, TetEffect, tet_factors
from vnindustry.demo.city.writing import _write_csv, _write_production

# Row noise (lognormal sigma) by profile; utilities are metered and smooth.
_NOISE: dict[str, float] = {"power": 0.025, "water": 0.02, "util": 0.05}
_DEFAULT_NOISE = 0.08

# COVID-19 in HCMC: month → production factor for an industry of sensitivity 1 (before enterprise
# variation). April 2020: Directive 16 social distancing (−15…−30 % in manufacturing); July–September
# 2021: the HCMC lockdown ("3 tại chỗ" production only), August the worst (−30…−50 %).
_COVID: dict[str, float] = {
    "2020-02": 0.97, "2020-03": 0.93, "2020-04": 0.78, "2020-05": 0.92, "2020-06": 0.97,
    "2021-06": 0.93, "2021-07": 0.68, "2021-08": 0.58, "2021-09": 0.63, "2021-10": 0.82,
    "2021-11": 0.93, "2021-12": 0.97,
}

_MAX_PRODUCTS = 6
_N_PRODUCTS_P = (0.04, 0.08, 0.15, 0.22, 0.26, 0.25)  # P(an enterprise makes 1, 2, …, 6 products)
_RAMP_UP = (0.4, 0.7, 0.9)  # output in a new enterprise's first months, relative to its level
_SILENT_SHARE = 0.015  # enterprises that stop reporting for one or two months
_LONG_LIVED = ("power", "water")  # utilities: licensed networks that neither open nor close in the span
_N_UNIT_SLIPS = 4
_COUNT_UNITS = ("chiếc", "cái", "bộ")  # whole items: reported without decimals


def generate_city(
    out: Path,
    *,
    seed: int = 2020,
    start: str = "2018-01",
    end: str = "2025-12",
    base_year: int = 2020,
    n_enterprises: int = 1500,
    nonresponse: float = 0.03,
    tet: TetEffect = "planted",
) -> Path:
    """Write a synthetic HCMC-like dataset folder and return its path.

    Args:
        out: the dataset folder; created if missing, the five CSV files in it are replaced.
        seed: seed of the random generator; the same arguments give byte-identical files.
        start: first month, ``YYYY-MM``.
        end: last month, ``YYYY-MM`` (inclusive).
        base_year: the weight and base-quantity year; its twelve months must lie in ``start..end``.
        n_enterprises: number of enterprises (at least about a hundred, so every industry has one).
        nonresponse: share of (enterprise, product, month) rows dropped at random, in ``[0, 0.5]``.
        tet: the Tết effect in the quantities written (see :data:`TET_EFFECTS`). Whatever it is, every
            random draw, the weights, the base quantities and the planted slips are those of the city
            with its planted Tết, so the three variants differ by the Tết effect only.

    Raises:
        ValueError: on a malformed or inconsistent argument.
    """
    first, last = _parse_month(start, "start"), _parse_month(end, "end")
    if last < first:
        raise ValueError(f"end {end} is before start {start}")
    base_first = base_year * 12
    if not (first <= base_first and base_first + 11 <= last):
        raise ValueError(f"the base year {base_year} must lie wholly within {start}..{end}")
    years = range(first // 12, last // 12 + 1)
    missing_tet = [y for y in years if y not in TET_DATES]
    if missing_tet:
        raise ValueError(f"no Tết date for {missing_tet}; known years: {min(TET_DATES)}–{max(TET_DATES)}")
    if not 0.0 <= nonresponse <= 0.5:
        raise ValueError(f"nonresponse must be within [0, 0.5], got {nonresponse}")
    if tet not in TET_EFFECTS:
        raise ValueError(f"tet must be one of {', '.join(TET_EFFECTS)}, got {tet!r}")

    leaves = _read_leaves()
    products = _read_products()
    leaf_products: dict[str, list[int]] = {leaf.code: [] for leaf in leaves}
    for i, p in enumerate(products):
        leaf_products[p.industry].append(i)
    anchors_needed = [max(1, math.ceil(len(leaf_products[leaf.code]) / _MAX_PRODUCTS)) for leaf in leaves]
    if n_enterprises < sum(anchors_needed):
        raise ValueError(f"n_enterprises must be at least {sum(anchors_needed)} (one per industry and enough "
                         f"to make every product), got {n_enterprises}")

    rng = np.random.default_rng(seed)
    months = np.arange(first, last + 1)
    periods = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months]
    n_months = len(months)
    base_cols = np.flatnonzero((months >= base_first) & (months < base_first + 12))

    # --- enterprises ------------------------------------------------------------------------------
    counts = _allocate(n_enterprises, [leaf.enterprises for leaf in leaves], anchors_needed)
    ent_leaf: list[int] = []
    ent_anchor: list[bool] = []
    for li, n in enumerate(counts):
        ent_leaf += [li] * n
        ent_anchor += [j < anchors_needed[li] for j in range(n)]
    n_ent = len(ent_leaf)
    # Codes in random order so that a code says nothing about the industry.
    ent_code_of = rng.permutation(n_ent)
    ent_codes = [f"DN{k + 1:05d}" for k in ent_code_of]

    opens = np.zeros(n_ent, dtype=np.int64)
    closes = np.full(n_ent, n_months, dtype=np.int64)  # exclusive
    late = rng.random(n_ent) < 0.12
    early_close = rng.random(n_ent) < 0.10
    open_draw = rng.random(n_ent)
    close_draw = rng.random(n_ent)
    min_life = min(6, n_months)
    for e in range(n_ent):
        if ent_anchor[e] or leaves[ent_leaf[e]].profile in _LONG_LIVED:
            continue  # anchors report throughout (every product has base-year output); utilities do not close
        if late[e] and n_months > min_life:
            opens[e] = 1 + int(open_draw[e] * (n_months - min_life))
        if early_close[e]:
            lo = opens[e] + min_life
            if lo < n_months:
                closes[e] = lo + int(close_draw[e] * (n_months - lo))

    size_sigma = np.array([0.9 if leaves[li].enterprises >= 20 else 0.6 for li in ent_leaf])
    z = rng.normal(0.0, 1.0, n_ent)
    # Anchors are established firms: at least the industry's median size.
    z = np.where(ent_anchor, np.abs(z), z)
    ent_size = np.array([leaves[li].size for li in ent_leaf]) * np.exp(z * size_sigma)
    ent_trend_dev = rng.normal(0.0, 1.5, n_ent)

    # --- products per enterprise --------------------------------------------------------------------
    n_draw = rng.choice(np.arange(1, _MAX_PRODUCTS + 1), size=n_ent, p=_N_PRODUCTS_P)
    pair_ent: list[int] = []
    pair_prod: list[int] = []
    anchor_rank: dict[int, int] = {}
    for e in range(n_ent):
        li = ent_leaf[e]
        cands = leaf_products[leaves[li].code]
        k = len(cands)
        n = int(min(n_draw[e], k))
        # Products listed first in a leaf are its main ones, so they are made more often.
        pop = 1.0 / (1.0 + 0.25 * np.arange(k))
        chosen = [int(c) for c in rng.choice(cands, size=n, replace=False, p=pop / pop.sum())]
        if ent_anchor[e]:
            # Anchors of a leaf share out all its products round robin: every product is made in the
            # base year, so its base quantity is positive.
            a = anchor_rank[li] = anchor_rank.get(li, -1) + 1
            must = cands[a :: anchors_needed[li]]
            chosen = list(dict.fromkeys([*must, *chosen]))[: max(len(must), n)]
        for p in sorted(chosen):
            pair_ent.append(e)
            pair_prod.append(p)
    pe = np.asarray(pair_ent, dtype=np.int64)
    pp = np.asarray(pair_prod, dtype=np.int64)
    n_pairs = len(pe)

    # Split each enterprise's output value over its products (Dirichlet(2) shares).
    gam = rng.gamma(2.0, 1.0, n_pairs)
    share = gam / np.bincount(pe, weights=gam, minlength=n_ent)[pe]
    price = np.array([p.price for p in products])
    level = share * ent_size[pe] * 1000.0 / price[pp]  # billion VND → million VND, ÷ price per unit

    # --- monthly factors --------------------------------------------------------------------------
    prof_names = list(PROFILES)
    prof_index = {name: i for i, name in enumerate(prof_names)}
    season = np.ones((len(prof_names), n_months))
    season_out = np.ones((len(prof_names), n_months))
    for name, (monthly, _dip, _pre) in _PROFILES.items():
        m = np.asarray(monthly) / np.mean(monthly)
        row = m[months % 12]
        season[prof_index[name]] = row * tet_factors(name, periods)
        season_out[prof_index[name]] = row * tet_factors(name, periods, tet)

    # Per-product settings: the product's own where the catalogue gives one, else its leaf's.
    leaf_index = {leaf.code: li for li, leaf in enumerate(leaves)}
    prod_leaf = np.array([leaf_index[p.industry] for p in products])
    own = list(zip(products, [leaves[li] for li in prod_leaf], strict=True))
    prod_profile = np.array([prof_index[p.profile or lf.profile] for p, lf in own])
    prod_trend = np.array([_first(p.trend, lf.trend) for p, lf in own])
    prod_covid = np.array([_first(p.covid, lf.covid) for p, lf in own])
    prod_noise = np.array([_NOISE.get(lf.profile, _DEFAULT_NOISE) for _, lf in own])

    years_from_base = (months - (base_first + 5.5)) / 12.0
    growth = 1.0 + (prod_trend[pp] + ent_trend_dev[pe]) / 100.0
    trend = np.exp(np.log(np.maximum(growth, 0.5))[:, None] * years_from_base[None, :])

    covid = np.ones((n_pairs, n_months))
    for period, centre in _COVID.items():
        if period in periods:
            t = periods.index(period)
            u = rng.uniform(0.75, 1.25, n_ent)[pe]  # enterprise-specific: some kept "3 tại chỗ" going
            covid[:, t] = np.maximum(0.05, 1.0 - prod_covid[pp] * (1.0 - centre) * u)

    t_idx = np.arange(n_months)[None, :]
    since_open = t_idx - opens[pe][:, None]
    active = (since_open >= 0) & (t_idx < closes[pe][:, None])
    ramp = np.ones((n_pairs, n_months))
    late_pairs = opens[pe] > 0
    for k, factor in enumerate(_RAMP_UP):
        ramp[(since_open == k) & late_pairs[:, None]] = factor

    ent_month = np.exp(rng.normal(0.0, 0.04, (n_ent, n_months)))[pe]
    noise = np.exp(rng.normal(0.0, 1.0, (n_pairs, n_months)) * prod_noise[pp][:, None])

    qty_no_season = level[:, None] * trend * covid * ramp * ent_month * noise
    # Round as an enterprise would report: whole items, else 1–3 decimals by magnitude.
    decimals = _decimals(products, pp, level)
    scale = 10.0 ** decimals[pp][:, None]
    anchor_pair = np.asarray(ent_anchor)[pe]

    def reported_as(seasonal: np.ndarray) -> np.ndarray:
        q = np.round(np.where(active, qty_no_season * seasonal[prod_profile[pp]], np.nan) * scale) / scale
        # An anchor never reports a rounded-away zero, so every product has base-year output.
        q[anchor_pair] = np.maximum(q[anchor_pair], 1.0 / scale[anchor_pair])
        return q

    qty = reported_as(season)
    # The Tết variants write other quantities but keep everything else of the planted city (weights,
    # slips), so that they differ from it by the Tết effect only.
    qty_out = qty if tet == "planted" else reported_as(season_out)

    # --- weights from the complete base year ------------------------------------------------------
    base_total = np.zeros(len(products))
    np.add.at(base_total, pp, np.nansum(qty[:, base_cols], axis=1))
    base_quantity = base_total / 12.0
    if not np.all(base_quantity > 0):  # the anchors guarantee it; failing means a catalogue error
        raise RuntimeError("a product has no base-year output")
    prod_weight = price * base_total / 1000.0  # million VND → billion VND
    leaf_weight = np.zeros(len(leaves))
    np.add.at(leaf_weight, prod_leaf, prod_weight)
    leaf_weight *= np.array([leaf.va_ratio for leaf in leaves])

    # --- what the survey actually receives ----------------------------------------------------------
    reported = active & (rng.random((n_pairs, n_months)) >= nonresponse)
    silent = rng.random(n_ent) < _SILENT_SHARE
    silent_start = rng.random(n_ent)
    silent_len = rng.integers(1, 3, n_ent)
    for e in np.flatnonzero(silent):
        span = closes[e] - opens[e]
        s = opens[e] + int(silent_start[e] * max(1, span - 2))
        reported[pe == e, s : s + silent_len[e]] = False

    out_qty = np.where(reported, qty, np.nan)
    written = out_qty if tet == "planted" else np.where(reported, qty_out, np.nan)
    slip_cols = np.flatnonzero(months >= base_first + 12)
    tonne_pairs = np.flatnonzero(np.array([products[p].unit.endswith("tấn") for p in pp]))
    if len(slip_cols) and len(tonne_pairs):
        # Slips are planted on the smallest reporters (by share of the product's month) so that, like
        # real ones caught in review, they show in validation.csv without swamping the city's index.
        product_total = np.zeros((len(products), n_months))
        np.add.at(product_total, pp, np.nan_to_num(out_qty))
        share = out_qty / np.where(product_total[pp] > 0, product_total[pp], np.inf)
        window = out_qty[tonne_pairs][:, slip_cols]
        cand_r, cand_c = np.nonzero(~np.isnan(window) & (window > 0))
        if len(cand_r):
            cand_share = share[tonne_pairs][:, slip_cols][cand_r, cand_c]
            pool = np.argsort(cand_share, kind="stable")[: max(10 * _N_UNIT_SLIPS, len(cand_r) // 100)]
            cand_r, cand_c = cand_r[pool], cand_c[pool]
            pick = rng.choice(len(cand_r), size=min(_N_UNIT_SLIPS, len(cand_r)), replace=False)
            for k, j in enumerate(np.sort(pick)):
                # kg typed where tấn was due (×1000), and the reverse (÷1000).
                written[tonne_pairs[cand_r[j]], slip_cols[cand_c[j]]] *= 1000.0 if k % 2 == 0 else 0.001

    # --- files ------------------------------------------------------------------------------------
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tree = _build_tree([leaf.code for leaf in leaves])
    leaf_weight_text = {leaf.code: f"{leaf_weight[li]:.4f}" for li, leaf in enumerate(leaves)}
    _write_csv(out / "industries.csv", ("code", "parent", "name_vi", "name_en", "weight"), (
        (code, parent, *_names(code), leaf_weight_text.get(code, "")) for code, parent in tree
    ))
    _write_csv(out / "products.csv", ("code", "industry", "name_vi", "unit", "weight", "base_quantity"), (
        (p.code, p.industry, p.name_vi, p.unit, f"{prod_weight[i]:.4f}", f"{base_quantity[i]:.4f}")
        for i, p in enumerate(products)
    ))
    tree_codes = {code for code, _ in tree}
    _write_csv(out / "groups.csv", ("group", "name_vi", "name_en", "industry"), (
        (g.code, g.name_vi, g.name_en, member)
        for g in load_key_industries() for member in g.members if member in tree_codes
    ))
    _write_csv(out / "enterprises.csv", ("enterprise", "name", "industry", "district", "ownership"),
               _enterprise_rows(rng, leaves, ent_leaf, ent_codes))
    _write_production(out / "production.csv", written, pe, pp, ent_code_of, products, decimals, periods)
    # The folder declares itself synthetic: its compile is stored and shown as such (issue 13).
    (out / "SYNTHETIC").write_text("Synthetic data (dữ liệu giả lập) made by vnindustry.demo.city.generate_city; "
                                   "not reported by any enterprise.\n", encoding="utf-8")
    return out


def _parse_month(text: str, what: str) -> int:
    """``YYYY-MM`` → months since year 0 (year*12 + month-1)."""
    parts = text.split("-")
    if len(parts) != 2 or not (parts[0].isdigit() and parts[1].isdigit()) or len(parts[0]) != 4:
        raise ValueError(f"{what} must be YYYY-MM, got {text!r}")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError(f"{what} must be YYYY-MM, got {text!r}")
    return year * 12 + month - 1


def _first(value: float | None, default: float) -> float:
    return default if value is None else value


def _allocate(total: int, weights: Sequence[float], minimum: Sequence[int]) -> list[int]:
    """Split ``total`` into integers ≥ ``minimum``; the rest goes by ``weights`` (largest remainder)."""
    counts = list(minimum)
    rest = total - sum(counts)
    w = np.asarray(weights, dtype=float)
    raw = rest * w / w.sum()
    floor = np.floor(raw).astype(int)
    # Ties broken by position, so the split is deterministic.
    order = sorted(range(len(w)), key=lambda i: (-(raw[i] - floor[i]), i))
    for i in order[: rest - int(floor.sum())]:
        floor[i] += 1
    return [c + int(f) for c, f in zip(counts, floor, strict=True)]


def _decimals(products: Sequence[_Product], pp: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Decimals each product is reported with: 0 for whole items, else 1–3 by typical size."""
    out = np.zeros(len(products), dtype=np.int64)
    for i, p in enumerate(products):
        if p.unit in _COUNT_UNITS:
            continue
        typical = float(np.median(level[pp == i])) if np.any(pp == i) else 1.0
        out[i] = 1 if typical >= 1000 else 2 if typical >= 10 else 3
    return out
