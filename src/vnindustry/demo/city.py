"""A synthetic "demo city": an HCMC-like industrial survey panel in the dataset-folder format.

:func:`generate_city` writes ``industries.csv``, ``products.csv``, ``production.csv``, ``groups.csv`` and
``enterprises.csv`` (see docs/dataset-format.md). Everything is drawn from one
``numpy.random.default_rng(seed)`` in a fixed order, so the same arguments give byte-identical files.

The model, per (enterprise, product, month)::

    quantity = level · trend · season · Tết · COVID · ramp-up · noise

* ``level``: a lognormal enterprise size (median by industry, ``data/leaves.csv``) split over the
  enterprise's 1–6 products (Dirichlet shares) and turned into a quantity with the product's base-year
  price (``data/products.csv``, million VND per unit).
* ``trend``: a few %/year by industry (some products override it, e.g. LED lamps up, fluorescent down),
  plus a small enterprise-specific deviation.
* ``season``: calendar-month profile (higher in Q4; school, Mid-Autumn, hot-season and salt-harvest
  patterns for some products).
* ``Tết``: a pre-Tết rush, the holiday and a slow restart, each a span of days around the Lunar New Year
  (:data:`TET_WINDOWS`); a month's factor depends on how many of those days fall in it, so a Tết on 29
  January splits the holiday between January and February as it does in the factories
  (:func:`tet_factors`). ``generate_city(tet="none")`` writes the same city without the effect and
  ``tet="typical"`` with the average effect of each calendar month in place of each year's own — what a
  Tết-adjusted series should come back to (see :mod:`vnindustry.demo.tet_effect`).
* ``COVID``: April 2020 social distancing and the July–September 2021 HCMC lockdown (August worst),
  scaled by the industry's sensitivity and varied by enterprise; medical masks go the other way.
* enterprises opening (with a three-month ramp-up) and closing during the span.

Then, as in a real survey: ~``nonresponse`` of the rows are dropped at random, a few enterprises go
silent for one or two months, and a handful of unit slips (a quantity ×1000, kg typed where tonnes
were due) are planted for the validation to find.

Weights: a product's ``weight`` is its base-year production value (price × base-year annual quantity,
billion VND) and ``base_quantity`` its base-year monthly mean over all enterprises, computed from the
generated data before non-response is removed (so the base year's mean index is ~100). A leaf's
``weight`` is its base-year value added: production value × an industry value-added ratio.

The catalogue is data, in ``demo/data/``:

* ``leaves.csv`` — one row per leaf industry (a VSIC division, group or class):
  ``enterprises`` (relative number of enterprises), ``size`` (median production value of an
  enterprise, billion VND a month), ``va_ratio`` (value added ÷ production value), ``trend`` (%/year),
  ``profile`` (seasonal pattern, see ``_PROFILES``) and ``covid`` (sensitivity to the COVID shocks;
  1 = manufacturing at large, 0 = untouched).
* ``products.csv`` — ``code,industry,name_vi,unit,price`` (price in million VND per unit) and optional
  per-product ``profile``, ``trend`` and ``covid`` overriding the leaf's (a negative ``covid``
  means output rose in the shocks, as for medical masks).

The industry mix (many garment, footwear, plastics, food, printing and metal-working firms; few but
large beverage, tobacco, electronics and utility firms; a little mining) and its value-added shares
are an assumption modelled loosely on Ho Chi Minh City, not official figures.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal.regressors import TetWindow, tet_regressor
from vnindustry.calendar import tet_date
from vnindustry.classification.vsic import load_key_industries, load_vsic, vsic_entry

__all__ = ["DISTRICTS", "PROFILES", "TET_DATES", "TET_EFFECTS", "TET_WINDOWS", "TOTAL_CODE", "generate_city",
           "tet_factors"]

_T = TypeVar("_T")

TOTAL_CODE = "TOTAL"
TOTAL_NAME_VI = "Toàn ngành công nghiệp"
TOTAL_NAME_EN = "Total industry"

# Tết Nguyên đán (first day of the lunar year, Vietnam, UTC+7). A stop-gap table until the calendar
# package computes the lunar calendar; 2018–2025 as given in the issue, the neighbouring years from the
# published lunar calendars (they coincide with the Chinese New Year in these years).
TET_DATES: dict[int, date] = {
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
}

# Ho Chi Minh City's districts (after TP. Thủ Đức was formed in 2021), with a rough weight for where
# manufacturing enterprises are: industrial parks and export processing zones in Bình Tân (Tân Tạo),
# Bình Chánh (Lê Minh Xuân, Vĩnh Lộc), Củ Chi (Tây Bắc Củ Chi), TP. Thủ Đức (Linh Trung, SHTP),
# Quận 7 (Tân Thuận), Quận 12 (Tân Thới Hiệp), Tân Bình, Tân Phú, Hóc Môn and Nhà Bè (Hiệp Phước).
DISTRICTS: tuple[tuple[str, float], ...] = (
    ("Quận 1", 0.2), ("Quận 3", 0.2), ("Quận 4", 0.5), ("Quận 5", 0.8), ("Quận 6", 3.0),
    ("Quận 7", 3.0), ("Quận 8", 3.0), ("Quận 10", 0.8), ("Quận 11", 2.5), ("Quận 12", 7.0),
    ("Quận Bình Tân", 12.0), ("Quận Bình Thạnh", 1.5), ("Quận Gò Vấp", 3.0), ("Quận Phú Nhuận", 0.3),
    ("Quận Tân Bình", 5.0), ("Quận Tân Phú", 8.0), ("TP. Thủ Đức", 10.0), ("Huyện Bình Chánh", 12.0),
    ("Huyện Cần Giờ", 0.3), ("Huyện Củ Chi", 8.0), ("Huyện Hóc Môn", 6.0), ("Huyện Nhà Bè", 3.0),
)
# Industries (by code prefix) that cluster elsewhere than manufacturing at large.
_DISTRICT_OVERRIDES: dict[str, dict[str, float]] = {
    "08": {"Huyện Cần Giờ": 5.0, "Huyện Củ Chi": 2.0, "Huyện Bình Chánh": 1.0, "TP. Thủ Đức": 1.0},
    "26": {"TP. Thủ Đức": 8.0, "Quận 7": 3.0, "Quận 12": 1.0, "Quận Tân Bình": 1.0},
    "35": {"Quận 1": 1.0, "Quận 3": 1.0, "Quận 5": 1.0, "Quận 7": 1.0, "TP. Thủ Đức": 1.0,
           "Huyện Nhà Bè": 2.0},
    "36": {"TP. Thủ Đức": 2.0, "Quận 1": 1.0, "Quận 3": 1.0, "Quận 5": 1.0, "Quận Tân Bình": 1.0,
           "Huyện Nhà Bè": 1.0, "Huyện Củ Chi": 1.0},
}

# Share of FDI and of state enterprises by code prefix (the rest is non-state): an HCMC-like mix with
# electronics and footwear largely foreign-invested and utilities and tobacco state-owned.
_FDI_SHARE: dict[str, float] = {
    "10": 0.15, "11": 0.3, "13": 0.3, "14": 0.25, "15": 0.4, "16": 0.15, "17": 0.2, "18": 0.05,
    "19": 0.5, "20": 0.3, "21": 0.25, "22": 0.25, "23": 0.2, "24": 0.25, "25": 0.15, "26": 0.8,
    "27": 0.35, "28": 0.2, "29": 0.3, "30": 0.2, "31": 0.2, "32": 0.3, "33": 0.1, "38": 0.1,
}
_STATE_SHARE: dict[str, float] = {
    "08": 0.3, "10": 0.05, "11": 0.2, "12": 1.0, "18": 0.1, "19": 0.25, "21": 0.1, "24": 0.05,
    "30": 0.3, "33": 0.1, "35": 0.6, "3512": 1.0, "36": 1.0, "37": 1.0, "38": 0.4,
}
_DEFAULT_STATE_SHARE = 0.02

# Calendar-month profiles (Jan..Dec, normalised to mean 1 below), the Tết holiday factor (a month holding
# every day of the holiday window) and the pre-Tết rush factor (a month holding every day of the rush
# window, for consumer goods); see TET_WINDOWS.
_PROFILES: dict[str, tuple[tuple[float, ...], float, float]] = {
    "mfg": ((0.97, 0.95, 1.00, 0.99, 1.00, 1.00, 1.00, 1.01, 1.02, 1.03, 1.05, 1.08), 0.78, 1.03),
    "food": ((1.00, 0.95, 0.97, 0.96, 0.98, 0.98, 0.99, 1.00, 1.03, 1.04, 1.05, 1.10), 0.82, 1.10),
    "bev": ((1.00, 0.95, 1.02, 1.08, 1.08, 1.03, 1.00, 0.98, 0.97, 0.96, 0.98, 1.10), 0.85, 1.15),
    "print": ((1.00, 0.90, 0.98, 0.98, 0.98, 1.00, 1.03, 1.05, 1.03, 1.02, 1.05, 1.10), 0.75, 1.05),
    "mining": ((1.05, 1.00, 1.05, 1.05, 1.00, 0.95, 0.93, 0.92, 0.92, 0.95, 1.00, 1.05), 0.80, 1.00),
    "power": ((0.95, 0.93, 1.03, 1.08, 1.07, 1.02, 1.00, 0.99, 0.98, 0.98, 0.98, 0.99), 0.92, 1.00),
    "water": ((0.99, 0.97, 1.02, 1.04, 1.04, 1.01, 0.99, 0.99, 0.98, 0.99, 0.99, 1.00), 0.96, 1.01),
    "util": ((1.00, 0.97, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.01, 1.03), 0.93, 1.02),
    # product-level patterns
    "school": ((0.80, 0.70, 0.80, 0.80, 1.00, 1.30, 1.60, 1.50, 1.00, 0.80, 0.80, 0.90), 0.78, 1.00),
    # Mid-Autumn cakes: most output in August–September, but makers bake other cakes all year, so the
    # peak stays within ~6× an ordinary month (a real unit slip is ~1000×).
    "mooncake": ((0.40, 0.30, 0.40, 0.40, 0.45, 0.60, 1.20, 2.30, 2.50, 1.00, 0.45, 0.40), 1.00, 1.00),
    "calendar": ((0.60, 0.50, 0.70, 0.70, 0.80, 0.80, 0.90, 1.00, 1.20, 1.50, 1.70, 1.60), 0.80, 1.00),
    "salt": ((1.60, 1.80, 1.90, 1.80, 1.20, 0.40, 0.20, 0.20, 0.20, 0.30, 0.80, 1.40), 0.85, 1.00),
}
#: The profile names (each product follows one).
PROFILES: tuple[str, ...] = tuple(sorted(_PROFILES))

#: The planted Tết effect: days relative to Tết (day 0 = the first day of the lunar year). Output in the
#: rush is multiplied by the profile's rush factor, in the holiday by its holiday factor, in the restart by
#: the square root of the holiday factor (half the loss); a month gets each factor to the power of the
#: share of the window's days that fall in it. The windows are among those the adjustment compares
#: (analysis/seasonal/regressors.py), so the test of the adjustment asks whether it finds an effect it can
#: represent — the question the centring, the outlier rule and the transform decide.
TET_WINDOWS: tuple[TetWindow, ...] = (
    TetWindow("rush", -14, -1), TetWindow("holiday", 0, 6), TetWindow("restart", 7, 20))
TetEffect = Literal["planted", "none", "typical"]
#: ``planted``: each year's own Tết; ``none``: no Tết effect; ``typical``: each calendar month's average
#: effect over the regressors' centring span (the share of Tết that is ordinary seasonality).
TET_EFFECTS: tuple[str, ...] = ("planted", "none", "typical")

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


@dataclass(frozen=True)
class _Leaf:
    code: str
    enterprises: float
    size: float  # median production value per enterprise-month, billion VND
    va_ratio: float
    trend: float  # %/year
    profile: str
    covid: float


@dataclass(frozen=True)
class _Product:
    code: str
    industry: str
    name_vi: str
    unit: str
    price: float  # million VND per unit, base year
    profile: str | None
    trend: float | None
    covid: float | None


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


def tet_factors(profile: str, periods: Sequence[str], effect: TetEffect = "planted") -> np.ndarray:
    """The Tết factor the generator applies to a product of ``profile`` in each month (1 = no effect).

    Args:
        profile: a profile name (:data:`PROFILES`).
        periods: months, ``YYYY-MM``.
        effect: ``planted`` (each year's Tết), ``none`` (all 1) or ``typical`` (each calendar month's
            average over the adjustment's centring span: what the centred Tết regressors leave in the
            seasonal factors and in the calendar-adjusted series).

    Returns:
        One factor a month: ``rush^s_rush · holiday^s_holiday · √holiday^s_restart``, ``s`` being the
        share of the window's days in the month (each year's shares, or their calendar-month means).
    """
    if profile not in _PROFILES:
        raise ValueError(f"unknown profile {profile!r}; one of {', '.join(PROFILES)}")
    if effect not in TET_EFFECTS:
        raise ValueError(f"effect must be one of {', '.join(TET_EFFECTS)}, got {effect!r}")
    index = pd.PeriodIndex(list(periods), freq="M")
    if effect == "none" or not len(index):
        return np.ones(len(index))
    _monthly, holiday, rush = _PROFILES[profile]
    logs = {"rush": math.log(rush), "holiday": math.log(holiday), "restart": 0.5 * math.log(holiday)}
    total = np.zeros(len(index))
    for window in TET_WINDOWS:
        shares = _window_shares(window, index)
        if effect == "typical":
            # The centred regressor is the share minus its calendar-month mean: the mean is what is left.
            shares = shares - tet_regressor(window, index).to_numpy()
        total += logs[window.name] * shares
    return np.exp(total)


def _window_shares(window: TetWindow, index: pd.PeriodIndex) -> np.ndarray:
    """Share of the window's days in each month of ``index`` (each year's own Tết)."""
    position = {(p.year, p.month): i for i, p in enumerate(index)}
    shares = np.zeros(len(index))
    for year in range(int(index.min().year) - 1, int(index.max().year) + 2):
        tet = tet_date(year)
        for offset in range(window.start, window.end + 1):
            day = tet + timedelta(days=offset)
            i = position.get((day.year, day.month))
            if i is not None:
                shares[i] += 1.0 / window.length
    return shares


# --- helpers --------------------------------------------------------------------------------------------


def _parse_month(text: str, what: str) -> int:
    """``YYYY-MM`` → months since year 0 (year*12 + month-1)."""
    parts = text.split("-")
    if len(parts) != 2 or not (parts[0].isdigit() and parts[1].isdigit()) or len(parts[0]) != 4:
        raise ValueError(f"{what} must be YYYY-MM, got {text!r}")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError(f"{what} must be YYYY-MM, got {text!r}")
    return year * 12 + month - 1


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("vnindustry.demo").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _first(value: float | None, default: float) -> float:
    return default if value is None else value


def _opt_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _read_leaves() -> list[_Leaf]:
    out = []
    for r in _data_rows("leaves.csv"):
        vsic_entry(r["industry"])  # a catalogue typo should fail here, not produce an orphan node
        if r["profile"] not in _PROFILES:
            raise ValueError(f"leaves.csv: unknown profile {r['profile']!r}")
        out.append(_Leaf(r["industry"], float(r["enterprises"]), float(r["size"]), float(r["va_ratio"]),
                         float(r["trend"]), r["profile"], float(r["covid"])))
    return out


def _read_products() -> list[_Product]:
    out = []
    for r in _data_rows("products.csv"):
        profile = r["profile"] or None
        if profile is not None and profile not in _PROFILES:
            raise ValueError(f"products.csv: unknown profile {profile!r} for {r['code']}")
        out.append(_Product(r["code"], r["industry"], r["name_vi"], r["unit"], float(r["price"]), profile,
                            _opt_float(r["trend"]), _opt_float(r["covid"])))
    return out


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


def _names(code: str) -> tuple[str, str]:
    if code == TOTAL_CODE:
        return TOTAL_NAME_VI, TOTAL_NAME_EN
    e = vsic_entry(code)
    return e.name_vi, e.name_en


def _build_tree(leaves: Sequence[str]) -> list[tuple[str, str]]:
    """The industry tree over ``leaves``: (code, parent) rows, root first, then depth-first VSIC order.

    Nodes are the leaves and their VSIC ancestors under a ``TOTAL`` root. Group-level nodes that would
    only repeat their single child, or be the single child of their division, are left out (their
    children hang from the division), so no published aggregate is a copy of another.
    """
    parent: dict[str, str] = {}
    for leaf in leaves:
        code = leaf
        while code != TOTAL_CODE and code not in parent:
            up = vsic_entry(code).parent
            parent[code] = up if up is not None else TOTAL_CODE
            code = parent[code]
    leaf_set = set(leaves)

    def children(code: str) -> list[str]:
        return [c for c, p in parent.items() if p == code]

    changed = True
    while changed:
        changed = False
        for code in list(parent):
            if code in leaf_set or vsic_entry(code).level not in ("group", "class"):
                continue
            kids = children(code)
            if len(kids) == 1 or len(children(parent[code])) == 1:
                for kid in kids:
                    parent[kid] = parent[code]
                del parent[code]
                changed = True
                break

    order = {e.code: i for i, e in enumerate(load_vsic())}
    rows: list[tuple[str, str]] = [(TOTAL_CODE, "")]

    def visit(code: str) -> None:
        for kid in sorted(children(code), key=order.__getitem__):
            rows.append((kid, parent[kid]))
            visit(kid)

    visit(TOTAL_CODE)
    return rows


# Name parts: plausible, fictitious company names.
_VN_FIRST = ("An", "Bảo", "Bình", "Đại", "Đông", "Gia", "Hải", "Hoà", "Hoàng", "Hưng", "Kim", "Lộc", "Minh",
             "Nam", "Nhật", "Phú", "Phúc", "Phương", "Quang", "Sao", "Tân", "Thái", "Thành", "Thiên", "Thịnh",
             "Trung", "Trường", "Tường", "Việt", "Vĩnh", "Vạn", "Xuân")
_VN_SECOND = ("An", "Phát", "Long", "Thịnh", "Hưng", "Tín", "Lộc", "Minh", "Phong", "Thành", "Tiến", "Việt",
              "Khang", "Nguyên", "Hoà", "Mỹ", "Sơn", "Hải", "Quang", "Đạt", "Vượng", "Toàn", "Cường", "Hảo")
_FDI_FIRST = ("Asia", "Pacific", "Orient", "Golden", "Silver", "Sun", "Ever", "Global", "Green", "Blue",
              "North", "Grand", "Royal", "Tokai", "Kansai", "Han", "Dae", "Shin", "Jin", "Tian", "Hua",
              "Siam", "Nippon", "Euro")
_FDI_SECOND = ("Tech", "Star", "Rise", "Bright", "Field", "Way", "Glory", "Precision", "Industrial", "Kogyo",
               "Works", "Vina", "Crown", "Harbor", "Summit", "Bridge", "Lotus", "Phoenix", "Eagle", "Oak")
# What a company calls itself ("Công ty TNHH <activity> <brand>"), by the longest matching code prefix.
_ACTIVITY: dict[str, tuple[str, ...]] = {
    "08": ("Khoáng sản", "Vật liệu xây dựng"),
    "1010": ("Thực phẩm", "Chế biến thực phẩm"), "1020": ("Thuỷ sản", "Thực phẩm xuất khẩu"),
    "1030": ("Nông sản", "Thực phẩm"), "1040": ("Dầu thực vật",), "1050": ("Sữa", "Thực phẩm dinh dưỡng"),
    "106": ("Lương thực", "Nông sản"), "1071": ("Bánh kẹo", "Thực phẩm"), "1074": ("Thực phẩm", "Mì ăn liền"),
    "1075": ("Thực phẩm",), "1077": ("Cà phê",), "1079": ("Thực phẩm", "Gia vị"),
    "1080": ("Thức ăn chăn nuôi", "Dinh dưỡng"),
    "1101": ("Rượu",), "1103": ("Bia",), "1104": ("Nước giải khát", "Đồ uống"), "12": ("Thuốc lá",),
    "131": ("Dệt", "Sợi"), "1313": ("Dệt nhuộm",), "139": ("Dệt", "Dệt may"),
    "14": ("May mặc", "Thời trang", "May"), "151": ("Túi xách", "Da thuộc"), "1520": ("Giày da", "Da giày"),
    "16": ("Chế biến gỗ", "Gỗ"), "17": ("Giấy", "Bao bì"), "18": ("In", "In ấn", "Bao bì in"),
    "19": ("Dầu nhờn", "Hoá dầu"), "201": ("Hoá chất", "Phân bón"),
    "2021": ("Nông dược", "Thuốc bảo vệ thực vật"),
    "2022": ("Sơn", "Sơn và mực in"), "2023": ("Hoá mỹ phẩm", "Mỹ phẩm"), "2029": ("Hoá chất", "Keo dán"),
    "21": ("Dược phẩm", "Dược"), "221": ("Cao su", "Cao su kỹ thuật"), "2220": ("Nhựa", "Bao bì nhựa"),
    "2310": ("Thuỷ tinh", "Kính"), "2392": ("Gạch ngói",), "2393": ("Gốm sứ", "Gạch men"),
    "2394": ("Xi măng",), "2395": ("Bê tông", "Vật liệu xây dựng"), "2410": ("Thép",),
    "2420": ("Nhôm", "Kim loại màu"), "251": ("Kết cấu thép", "Cơ khí xây dựng"),
    "2592": ("Cơ khí", "Cơ khí chính xác"), "2593": ("Kim khí", "Dụng cụ cầm tay"),
    "2599": ("Cơ khí", "Kim khí"),
    "2610": ("Linh kiện điện tử", "Điện tử"), "2620": ("Công nghệ", "Máy tính"),
    "2630": ("Viễn thông", "Thiết bị mạng"), "2640": ("Điện tử",), "2651": ("Thiết bị đo lường",),
    "2710": ("Thiết bị điện", "Điện cơ"), "2720": ("Pin ắc quy",), "273": ("Dây cáp điện", "Thiết bị điện"),
    "2740": ("Chiếu sáng", "Bóng đèn"), "2750": ("Điện gia dụng", "Điện cơ"),
    "28": ("Cơ khí chế tạo", "Máy", "Thiết bị công nghiệp"), "2910": ("Ô tô",), "2920": ("Cơ khí ô tô",),
    "2930": ("Phụ tùng ô tô",), "301": ("Đóng tàu", "Cơ khí hàng hải"), "3091": ("Xe máy", "Phụ tùng xe máy"),
    "3092": ("Xe đạp",), "31": ("Nội thất", "Đồ gỗ nội thất"), "3211": ("Vàng bạc đá quý", "Trang sức"),
    "3230": ("Dụng cụ thể thao",), "3240": ("Đồ chơi",), "3250": ("Thiết bị y tế", "Vật tư y tế"),
    "3290": ("Văn phòng phẩm", "Sản xuất"), "33": ("Cơ điện", "Kỹ thuật", "Lắp máy"),
    "3511": ("Năng lượng", "Nhiệt điện"), "3512": ("Điện lực",), "3530": ("Nước đá", "Năng lượng"),
    "36": ("Cấp nước",), "37": ("Thoát nước",), "3811": ("Môi trường đô thị", "Môi trường"),
    "382": ("Xử lý chất thải", "Môi trường"), "3830": ("Tái chế",),
}


def _by_prefix(table: dict[str, _T], code: str, default: _T) -> _T:
    """The entry for the longest prefix of ``code`` in ``table`` (class, then group, then division)."""
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return default


def _enterprise_rows(
    rng: np.random.Generator, leaves: Sequence[_Leaf], ent_leaf: Sequence[int], ent_codes: Sequence[str]
) -> list[tuple[str, str, str, str, str]]:
    base_names = [d for d, _ in DISTRICTS]
    base_w = np.array([w for _, w in DISTRICTS])
    taken: set[str] = set()
    rows = []
    n = len(ent_leaf)
    u_own, u_form, u_dist = rng.random(n), rng.random(n), rng.random(n)
    picks = rng.integers(0, 1 << 30, (n, 3))
    for e in range(n):
        leaf = leaves[ent_leaf[e]].code
        state = _by_prefix(_STATE_SHARE, leaf, _DEFAULT_STATE_SHARE)
        fdi = _by_prefix(_FDI_SHARE, leaf, 0.0)
        ownership = "state" if u_own[e] < state else "FDI" if u_own[e] < state + fdi else "non-state"
        over = _by_prefix(_DISTRICT_OVERRIDES, leaf, None)
        w = np.array([over.get(d, 0.0) for d in base_names]) if over else base_w
        district = base_names[int(np.searchsorted(np.cumsum(w) / w.sum(), u_dist[e], side="right"))]
        acts = _by_prefix(_ACTIVITY, leaf, ("Sản xuất",))
        name = _unique_name(ownership, leaf, acts, picks[e], u_form[e], district, taken)
        taken.add(name)
        rows.append((ent_codes[e], name, leaf, district, ownership))
    rows.sort(key=lambda r: r[0])
    return rows


def _unique_name(ownership: str, leaf: str, acts: Sequence[str], pick: np.ndarray, u: float,
                 district: str, taken: set[str]) -> str:
    """A company name not in ``taken``: walk the brand list from a random start (deterministic)."""
    act = acts[int(pick[2]) % len(acts)]
    first, second = (_FDI_FIRST, _FDI_SECOND) if ownership == "FDI" else (_VN_FIRST, _VN_SECOND)
    n_brands = len(first) * len(second)
    start = int(pick[0]) % n_brands
    if ownership == "state" and leaf in ("3512", "36"):
        # Power and water distributors are named after the area they serve, as HCMC's are.
        place = district.removeprefix("Huyện ").removeprefix("TP. ")
        if not place.removeprefix("Quận ")[:1].isdigit():
            place = place.removeprefix("Quận ")  # "Quận Tân Bình" → "Tân Bình", but "Quận 3" stays
        candidate = f"Công ty {act} {place}"
        if candidate not in taken:
            return candidate
    for k in range(n_brands):
        i = (start + k) % n_brands
        brand = f"{first[i // len(second)]} {second[i % len(second)]}"
        if ownership == "FDI":
            name = f"Công ty TNHH {brand} Việt Nam"
        elif ownership == "state":
            name = f"Công ty TNHH MTV {act} {brand}" if u < 0.6 else f"Công ty Cổ phần {act} {brand}"
        else:
            form = "Công ty TNHH" if u < 0.55 else "Công ty Cổ phần" if u < 0.9 else "Doanh nghiệp tư nhân"
            name = f"{form} {act} {brand}"
        if name not in taken:
            return name
    suffix = 2
    while f"{name} {suffix}" in taken:
        suffix += 1
    return f"{name} {suffix}"


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    _atomic_write(path, buf.getvalue())


def _write_production(path: Path, qty: np.ndarray, pe: np.ndarray, pp: np.ndarray, ent_code_of: np.ndarray,
                      products: Sequence[_Product], decimals: np.ndarray, periods: Sequence[str]) -> None:
    # Rows sorted by period, then enterprise code, then product code, as the monthly returns come in.
    pair_order = np.lexsort((pp, ent_code_of[pe]))
    q = qty[pair_order]
    r, t = np.nonzero(~np.isnan(q.T))  # period-major
    pairs = pair_order[t]
    values = q.T[r, t]
    dec = decimals[pp[pairs]]
    text = np.empty(len(values), dtype=object)
    for d in np.unique(dec):
        m = dec == d
        text[m] = np.char.mod(f"%.{int(d)}f", values[m])
    codes = np.array([f"DN{k + 1:05d}" for k in range(len(ent_code_of))], dtype=object)
    ent_txt = codes[ent_code_of[pe[pairs]]]
    prod_txt = np.array([p.code for p in products], dtype=object)[pp[pairs]]
    per_txt = np.array(periods, dtype=object)[r]
    lines = ent_txt + "," + prod_txt + "," + per_txt + "," + text
    _atomic_write(path, "enterprise,product,period,quantity\n" + "\n".join(lines.tolist()) + "\n")


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to a temp file beside ``path`` and rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; these are ordinary data files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
