"""Synthetic trade flows and a key-product scoring for the demo city (issue 7). SYNTHETIC: not real trade data.

:func:`demo_flows` draws yearly bilateral flows 2015–2025 from one ``numpy.random.default_rng(seed)``
in a fixed order (same seed → same flows). The model, per (exporter e, importer i, product p, year t)::

    value = size_e · (1 + g_e)^(t − 2015) · covid_t · spec_ep · demand_ip · gravity_ei · noise

* ``size_e`` (USD billion of the 2015 exports in the products covered) and ``g_e`` (growth a year) per
  exporter, declared in :data:`EXPORTERS`; ``covid_t`` = 0.92 in 2020;
* ``spec_ep``: the exporter's specialisation — 1 for every product, 6 for its declared strong products and
  30 for the first of them, its lead export (Viet Nam's electronics, chapter 85, is about a third of its
  exports)
  (:data:`EXPORTERS`), times a lognormal(0, 0.5) draw per (exporter, product), normalised to sum 1;
* ``demand_ip``: the importer's size (:data:`IMPORTERS`) times a lognormal(0, 0.3) draw per product;
* ``gravity_ei``: 2 within a region (Asia, Europe, Americas), 1 otherwise; 0 for e = i;
* ``noise``: lognormal(0, 0.08) per flow; flows under USD 0.5 million are dropped (as small flows are
  missing in real bilateral tables).

Importers are the 27 EU members, USA, CHN, JPN and ``ROW`` (the rest of the world), so an exporter's flows
to all importers add up to its world exports; there is no ``WLD`` row, because the flows tables refuse an
exporter with both a world total and bilateral flows (they would count twice). Products are 24 HS
chapters and, inside chapter 27, headings 2709 (crude oil), 2710 and 2711, so the crude-oil switch matters.

:func:`demo_scoring` scores 15 candidate products of the demo city through the general store path
(:mod:`vnindustry.analysis.key_products.from_store`): production value, its share and growth from the
register's base-year product values and the city's compiled IIP in the store; RCA of Viet Nam in the EU from
the stored synthetic flows through :data:`CANDIDATES`' declared VSIC → HS concordance; the other criteria
synthetic (seeded draws).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from vnindustry.analysis.key_products import default_spec, make_table, score_products
from vnindustry.analysis.key_products.from_store import CandidateLink, StoreValues, store_figures
from vnindustry.analysis.trade import FLOW_COLUMNS, MARKET_GROUPS
from vnindustry.store.register import store_products
from vnindustry.store.repository import Store
from vnindustry.store.trade import store_flows, store_scoring

YEARS = range(2015, 2026)
PRODUCTS = ("03", "08", "09", "10", "16", "19", "23", "2709", "2710", "2711", "39", "40", "42", "44", "61", "62",
            "63", "64", "72", "73", "84", "85", "87", "90", "94", "95")
# exporter: (region, 2015 exports of these products in USD billion, growth a year, strong products)
EXPORTERS: dict[str, tuple[str, float, float, tuple[str, ...]]] = {
    "VNM": ("asia", 150.0, 0.10, ("85", "64", "61", "62", "94", "03", "09", "40", "44", "2709")),
    "CHN": ("asia", 2000.0, 0.04, ("85", "84", "94", "95", "61", "62", "63", "73")),
    "THA": ("asia", 200.0, 0.03, ("84", "87", "40", "10", "16", "39")),
    "IDN": ("asia", 140.0, 0.04, ("2711", "40", "64", "44", "72")),
    "MYS": ("asia", 180.0, 0.03, ("85", "2709", "2711", "40", "39")),
    "KOR": ("asia", 500.0, 0.03, ("85", "87", "2710", "72", "39")),
    "JPN": ("asia", 600.0, 0.01, ("87", "84", "85", "90", "72")),
    "IND": ("asia", 250.0, 0.06, ("2710", "10", "62", "63", "72")),
    "BGD": ("asia", 30.0, 0.07, ("61", "62", "63", "42")),
    "USA": ("americas", 1400.0, 0.02, ("84", "85", "87", "90", "2709", "2710", "10")),
    "DEU": ("europe", 1300.0, 0.02, ("87", "84", "90", "85", "39")),
    "MEX": ("americas", 380.0, 0.04, ("87", "85", "84", "2709", "90")),
    "ITA": ("europe", 450.0, 0.02, ("84", "64", "42", "94", "87")),
}
EU27 = tuple(sorted(MARKET_GROUPS["EU"])) if "EU" in MARKET_GROUPS else ()
# importer size (relative imports of these products); EU members by rough import volume, the others larger
_EU_SIZE = {"DEU": 10, "FRA": 6.5, "NLD": 6, "ITA": 4.5, "BEL": 4, "ESP": 3.5, "POL": 2.8, "AUT": 1.8,
            "CZE": 1.8, "SWE": 1.6, "IRL": 1.2, "DNK": 1.1, "HUN": 1.1, "SVK": 0.9, "PRT": 0.9, "ROU": 0.9,
            "FIN": 0.7, "GRC": 0.6, "BGR": 0.35, "SVN": 0.35, "LTU": 0.35, "LUX": 0.25, "HRV": 0.3, "LVA": 0.2,
            "EST": 0.2, "CYP": 0.1, "MLT": 0.06}
IMPORTERS: dict[str, tuple[str, float]] = {
    **{code: ("europe", _EU_SIZE.get(code, 0.3)) for code in EU27},
    "USA": ("americas", 25.0), "CHN": ("asia", 18.0), "JPN": ("asia", 7.0), "ROW": ("world", 60.0),
}
MIN_VALUE = 0.5e6  # USD: smaller flows are left out
NOTE_FLOWS = ("SYNTHETIC demo trade flows (not real data): bilateral exports 2015–2025 in USD drawn by "
              "vnindustry.demo.trade (seeded model in its docstring); ROW = rest of the world")

# candidate: (code, name, VSIC prefix in the city, HS codes for its RCA, technology 1–5, spill-over 1–5)
CANDIDATES: tuple[tuple[str, str, str, tuple[str, ...], float, float], ...] = (
    ("CL01", "Thủy sản chế biến", "1020", ("03", "16"), 3, 3),
    ("CL02", "Cà phê chế biến", "1077", ("09",), 3, 3),
    ("CL03", "Bánh kẹo, sản phẩm từ bột", "1071", ("19",), 3, 2),
    ("CL04", "Thức ăn chăn nuôi", "1080", ("23",), 3, 3),
    ("CL05", "Hàng may mặc", "14", ("61", "62"), 2, 4),
    ("CL06", "Hàng dệt", "13", ("63",), 2, 3),
    ("CL07", "Giày dép", "1520", ("64",), 2, 4),
    ("CL08", "Túi xách, va li", "151", ("42",), 2, 3),
    ("CL09", "Gỗ và sản phẩm gỗ", "16", ("44",), 2, 3),
    ("CL10", "Sản phẩm nhựa, cao su", "22", ("39", "40"), 3, 4),
    ("CL11", "Sắt thép và sản phẩm kim loại", "25", ("72", "73"), 3, 4),
    ("CL12", "Linh kiện điện tử, máy vi tính", "26", ("85",), 5, 5),
    ("CL13", "Máy móc, thiết bị", "28", ("84",), 4, 5),
    ("CL14", "Ô tô và phụ tùng", "29", ("87",), 4, 5),
    ("CL15", "Nội thất", "31", ("94",), 3, 3),
)
NOTE_SCORING = ("SYNTHETIC demo scoring: production value (billion VND, last full year), its share and average "
                "growth from the demo city's compiled IIP and base-year product values; RCA of Viet Nam in the EU "
                "from the synthetic flows (VSIC → HS concordance in vnindustry.demo.trade.CANDIDATES); value "
                "added, export share, local content, labour productivity, technology and spill-over synthetic")


def demo_flows(seed: int = 2020) -> pd.DataFrame:
    """The synthetic bilateral flows (FLOW_COLUMNS), yearly 2015–2025, USD."""
    rng = np.random.default_rng(seed)
    exporters, importers = list(EXPORTERS), list(IMPORTERS)
    n_e, n_i, n_p, n_t = len(exporters), len(importers), len(PRODUCTS), len(YEARS)
    spec = np.ones((n_e, n_p))
    for a, code in enumerate(exporters):
        for rank, p in enumerate(EXPORTERS[code][3]):
            spec[a, PRODUCTS.index(p)] = 30.0 if rank == 0 else 6.0
    spec *= rng.lognormal(0.0, 0.5, (n_e, n_p))
    spec /= spec.sum(axis=1, keepdims=True)
    demand = np.array([IMPORTERS[i][1] for i in importers])[:, None] * rng.lognormal(0.0, 0.3, (n_i, n_p))
    gravity = np.array([[0.0 if e == i else 2.0 if EXPORTERS[e][0] == IMPORTERS[i][0] else 1.0
                         for i in importers] for e in exporters])
    # Share of an exporter's product exports going to each importer: demand × gravity, normalised.
    pull = gravity[:, :, None] * demand[None, :, :]
    pull /= pull.sum(axis=1, keepdims=True)
    years = np.array(list(YEARS))
    size = np.array([EXPORTERS[e][1] for e in exporters]) * 1e9
    growth = np.array([EXPORTERS[e][2] for e in exporters])
    level = size[:, None] * (1 + growth[:, None]) ** (years[None, :] - 2015) * np.where(years == 2020, 0.92, 1.0)
    values = (level[:, None, None, :] * spec[:, None, :, None] * pull[:, :, :, None]
              * rng.lognormal(0.0, 0.08, (n_e, n_i, n_p, n_t)))
    e, i, p, t = np.nonzero(values >= MIN_VALUE)
    frame = pd.DataFrame({
        "period": years.astype(str)[t], "exporter": np.array(exporters)[e], "importer": np.array(importers)[i],
        "product": np.array(PRODUCTS)[p], "value": np.round(values[e, i, p, t], -3), "quantity": np.nan,
    })
    return frame.loc[:, list(FLOW_COLUMNS)]


def candidate_links() -> dict[str, CandidateLink]:
    """The candidates' declared VSIC → HS concordance (:data:`CANDIDATES`) as store links."""
    return {code: CandidateLink(vsic, hs) for code, _name, vsic, hs, _tech, _spill in CANDIDATES}


def demo_scoring(store: Store, *, seed: int = 2020, figures: StoreValues | None = None):  # type: ignore[no-untyped-def]
    """The KeyProductResult of the candidates under the default spec (see the module docstring).

    Production value, share, growth and RCA come from the store (:func:`store_values`: the register's
    base-year values, the compiled IIP, the stored flows); a candidate without production figures is left out,
    as before. The other criteria are seeded draws; values are rounded as a Department would enter them.
    """
    rng = np.random.default_rng(seed + 7)
    got = (figures or store_figures(store, candidate_links(), market="EU", exporter="VNM")).values
    rows = []
    for code, name, _vsic, _hs, tech, spill in CANDIDATES:
        if (code, "production_value") not in got:
            continue
        value = got[(code, "production_value")]
        rows.append((code, name, {
            "production_value": round(value, 1), "production_share": round(got[(code, "production_share")], 2),
            "growth": round(got[(code, "growth")], 2),
            "value_added": round(value * rng.uniform(0.15, 0.35), 1), "export_share": round(rng.uniform(10, 80), 1),
            "rca": round(got[(code, "rca")], 3), "local_content": round(rng.uniform(20, 75), 1),
            "labour_productivity": round(rng.uniform(300, 1500), 0), "technology_level": tech,
            "spillover": spill}))
    return score_products(make_table(rows, source="demo"), default_spec())


def store_demo_trade(store: Store, products_csv: Path, *, seed: int = 2020,
                     released_on: dt.date | None = None) -> tuple[int, int]:
    """Store the synthetic flows and the demo scoring; returns (flows stored, scoring release id)."""
    released_on = released_on or dt.date(2026, 1, 15)
    flows = demo_flows(seed)
    done = store_flows(store, flows, source="trade-demo", file="demo-trade-flows (synthetic)",
                       released_on=released_on, note=NOTE_FLOWS, synthetic=True)
    store_products(store, products_csv.parent)  # the register's base-year values, for production figures
    figures = store_figures(store, candidate_links(), market="EU", exporter="VNM")  # confidential cells withheld
    result = demo_scoring(store, seed=seed, figures=figures)
    rid = store_scoring(store, result, title="Sản phẩm công nghiệp chủ lực — thành phố demo (dữ liệu giả lập)",
                        created_by="vnindustry demo", released_on=released_on, note=NOTE_SCORING,
                        inputs=figures.inputs, synthetic=True)  # lineage: dated no earlier than its inputs
    return done.rows, rid
