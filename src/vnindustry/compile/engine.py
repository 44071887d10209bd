"""A dataset folder in, the IIP table out: ``compile_iip`` (the table) and ``compile_dataset`` (everything)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from vnindustry import settings
from vnindustry.compile import comparisons as cmp
from vnindustry.compile import month_kernel
from vnindustry.compile.aggregate import product_totals, weighted_means
from vnindustry.compile.checks import validation_table
from vnindustry.compile.disclosure import disclosure_pattern, disclosure_stats
from vnindustry.compile.imputation import RATIO_CARRY, RATIO_INDUSTRY, RATIO_PRODUCT, Imputation, impute
from vnindustry.compile.outputs import OutputFormat, write_outputs
from vnindustry.errors import InputError
from vnindustry.sources import panel_kernel
from vnindustry.sources.dataset import Dataset, load_dataset
from vnindustry.sources.production import Panel, read_panel

IIP_COLUMNS = [
    "period", "code", "name_vi", "index", "mom_pct", "yoy_pct", "ytd_pct", "ytd_prev_pct",
    "contribution_pp", "imputed_share", "name_en", "kind", "parent", "level", "weight",
    "enterprises", "dominant_share", "suppression",
]
PRODUCT_COLUMNS = [
    "period", "code", "name_vi", "unit", "industry", "quantity", "imputed_quantity", "reporters", "index",
    "mom_pct", "yoy_pct", "ytd_pct", "imputed_share", "enterprises", "dominant_share", "suppression",
]


@dataclass(frozen=True)
class CompileSpec:
    """The options of a compile run; ``CompileSpec(**result.spec.as_dict())`` reproduces it."""

    max_impute_gap: int = 3
    suspicious_ratio: float = 10.0
    min_enterprises: int = 3
    max_dominance: float = 0.85

    def as_dict(self) -> dict[str, Any]:
        return {"max_impute_gap": self.max_impute_gap, "suspicious_ratio": self.suspicious_ratio,
                "min_enterprises": self.min_enterprises, "max_dominance": self.max_dominance}


@dataclass
class CompileResult:
    """What :func:`compile_iip` returns: the tables, the checked dataset and run facts."""

    table: pd.DataFrame  # one row per node (root, industries, groups) per period — iip.csv
    products: pd.DataFrame  # one row per product per period — products.csv
    validation: pd.DataFrame  # warnings — validation.csv
    imputed: pd.DataFrame  # every imputed cell, flagged with its ratio — imputed.csv
    dataset: Dataset
    spec: CompileSpec
    stats: dict[str, Any] = field(default_factory=dict)
    workers: int = 0  # the threads the compile ran on (the ``threads`` setting; 0: one per core), for writing too

    def write(self, out: str | Path, fmt: OutputFormat | str = OutputFormat.CSV) -> list[Path]:
        """Write iip.csv, products.csv, validation.csv, imputed.csv and compile.json into ``out`` (created);
        with ``fmt="parquet"``, products.parquet and imputed.parquet instead of their CSV files.

        Each file is written atomically; figures are unrounded (shortest round-trip decimal), a missing one is
        an empty cell (compile/outputs.py).
        """
        meta = {"dataset": str(self.dataset.path), "spec": self.spec.as_dict(), "stats": self.stats}
        tables = {"iip": self.table, "products": self.products, "validation": self.validation,
                  "imputed": self.imputed}
        return write_outputs(Path(out), tables, meta, OutputFormat(fmt), workers=self.workers)


def compile_iip(
    path: str | Path,
    *,
    max_impute_gap: int | None = None,
    suspicious_ratio: float | None = None,
    threads: int | None = None,
    spec: CompileSpec | None = None,
) -> pd.DataFrame:
    """The monthly IIP table of the dataset folder ``path`` (what ``iip.csv`` holds), unrounded.

    Same options as :func:`compile_dataset`, which also returns products, validation and imputed cells.
    """
    return compile_dataset(path, max_impute_gap=max_impute_gap, suspicious_ratio=suspicious_ratio,
                           threads=threads, spec=spec).table


def compile_dataset(
    path: str | Path,
    *,
    max_impute_gap: int | None = None,
    suspicious_ratio: float | None = None,
    threads: int | None = None,
    spec: CompileSpec | None = None,
) -> CompileResult:
    """Compile the monthly IIP of the dataset folder ``path``: every output table and the run's facts.

    Options default to the settings table (``VNINDUSTRY_MAX_IMPUTE_GAP`` = 3 months,
    ``VNINDUSTRY_SUSPICIOUS_RATIO`` = 10, ``VNINDUSTRY_MIN_ENTERPRISES`` = 3, ``VNINDUSTRY_MAX_DOMINANCE`` =
    0.85 for confidentiality); pass ``spec`` (e.g. from an earlier ``compile.json``) to
    reproduce a run exactly. Raises :class:`vnindustry.InputError` on bad input, before anything is written.
    """
    if spec is None:
        spec = CompileSpec(
            max_impute_gap=settings.get("max_impute_gap") if max_impute_gap is None else max_impute_gap,
            suspicious_ratio=settings.get("suspicious_ratio") if suspicious_ratio is None else suspicious_ratio,
            min_enterprises=settings.get("min_enterprises"),
            max_dominance=settings.get("max_dominance"),
        )
    if spec.max_impute_gap < 0:
        raise ValueError("max_impute_gap must be ≥ 0")
    if spec.suspicious_ratio <= 1:
        raise ValueError("suspicious_ratio must be > 1")
    if spec.min_enterprises < 1 or not 0 < spec.max_dominance <= 1:
        raise ValueError("min_enterprises must be ≥ 1 and max_dominance in (0, 1]")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ds = load_dataset(path)
    workers = settings.get("threads") if threads is None else threads
    panel = read_panel(ds, threads=workers, max_cells=settings.get("max_panel_cells"))
    timings["read_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    products = ds.products
    leaf_pos = {code: i for i, code in enumerate(ds.leaves)}
    product_leaf = np.array([leaf_pos[p.industry] for p in products], dtype=np.int64)
    w = np.array([p.weight for p in products])
    q0 = np.array([p.base_quantity for p in products])
    validation = validation_table(ds, panel, spec.suspicious_ratio, workers=workers)  # before imputation: reported
    filled = impute(panel.values, panel.pair_product, product_leaf, w / q0, len(ds.leaves),
                    max_gap=spec.max_impute_gap, workers=workers)
    timings["impute_s"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    qty, qty_imp, reporters, silent = product_totals(filled.values, filled.imputed, panel.pair_product,
                                                     len(products), workers=workers)
    # A month with no value at all — nobody reported it and every pair had been silent past the imputation limit —
    # has no figures: missing, not an index of 0 (issue 12: such a month was published as 0.0, "actual").
    if silent.any():
        qty[silent] = np.nan
        qty_imp[silent] = np.nan
    p_index = 100.0 * qty / q0
    p_imp = 100.0 * qty_imp / q0
    leaf_members = [[] for _ in ds.leaves]
    for i, leaf in enumerate(product_leaf):
        leaf_members[leaf].append(i)
    leaf_index = weighted_means(p_index, leaf_members, w)
    leaf_imp = weighted_means(p_imp, leaf_members, w)

    W = np.array([ds.industries[leaf].weight for leaf in ds.leaves], dtype=float)
    codes = list(ds.nodes) + [g.code for g in ds.groups]
    members = [[leaf_pos[leaf] for leaf in ds.leaves_under(code)] for code in codes]
    node_index = weighted_means(leaf_index, members, W)
    node_imp = weighted_means(leaf_imp, members, W)
    _check_finite(ds, panel, p_index, codes, node_index)
    node_weight = np.array([W[m].sum() for m in members])
    root = codes.index(ds.root)
    first = panel.first

    table = _long_table(ds, panel.periods, codes, node_index, node_imp, node_weight, root, first)
    prod_table = _product_table(ds, panel.periods, qty, qty_imp, reporters, p_index, p_imp, first)
    timings["aggregate_s"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    backing = disclosure_stats(ds, filled.values, panel.pair_product, panel.pair_enterprise, codes, workers=workers)
    table["enterprises"] = backing.node_enterprises.ravel().astype(np.int64)
    table["dominant_share"] = backing.node_dominance.ravel()
    prod_table["enterprises"] = backing.product_enterprises.ravel().astype(np.int64)
    prod_table["dominant_share"] = backing.product_dominance.ravel()
    table["suppression"], prod_table["suppression"] = disclosure_pattern(
        ds, table, prod_table, min_count=spec.min_enterprises, max_dominance=spec.max_dominance)
    timings["disclosure_s"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    validation = pd.concat([validation, _imputation_warnings(ds, panel, filled)], ignore_index=True)
    imputed = _imputed_cells(ds, panel, filled)
    timings["aggregate_s"] += time.perf_counter() - t4
    stats = {
        "production_rows": panel.rows,
        "pairs": int(panel.values.shape[1]),
        "periods": [panel.periods[0], panel.periods[-1]],
        "imputed_cells": len(filled.imputed_at()[0]),
        # Whether the install built the C loops (docs/architecture.md): without them the same figures, slower.
        "c_loops": panel_kernel.KERNEL is not None and month_kernel.KERNEL is not None,
        "warnings": len(validation),
        **{k: round(v, 3) for k, v in timings.items()},
    }
    return CompileResult(table, prod_table, validation, imputed, ds, spec, stats, workers)


def _check_finite(ds: Dataset, panel: Panel, p_index: np.ndarray, codes: list[str], node_index: np.ndarray) -> None:
    """Refuse a compile whose indices overflowed (issue 12: a quantity of 1.7e308 made every level of the month
    empty with exit 0). The quantities are bounded by ``max_quantity`` when read; what remains is a base quantity
    or weight in products.csv/industries.csv so small or large that a sum or ratio leaves float64."""
    bad = np.argwhere(np.isinf(p_index))
    if bad.size:
        t, i = (int(x) for x in bad[0])
        prod = ds.products[i]
        raise InputError(
            f"the index of product '{prod.code}' in {panel.periods[t]} overflows (its total quantity over its "
            f"base_quantity {prod.base_quantity:g} is not a finite number)", file=ds.path / "products.csv",
            line=prod.line, column="base_quantity",
            fix="check the product's base_quantity (its base-year monthly mean, in the unit of the quantities) and "
                "the enterprises' quantities of that month")
    filled = ~np.isnan(node_index)
    if not np.all(np.isfinite(node_index[filled])):
        t, j = (int(x) for x in np.argwhere(filled & ~np.isfinite(node_index))[0])
        raise InputError(
            f"the index of '{codes[j]}' in {panel.periods[t]} overflows (a weighted mean left float64)",
            file=ds.path / "industries.csv", column="weight",
            fix="check the weights of the industries and products under it (base-year values in one unit)")


def _text(values: list[str], index: np.ndarray) -> Any:
    """``values[index]`` as a text column of pandas' default string type, gathered by Arrow from the few distinct
    values (pandas converting a repeated numpy array of them cell by cell took 0.3 s of a national compile)."""
    return pd.array(pa.array(values, pa.string()).take(pa.array(index)), dtype=_TEXT_DTYPE)


_TEXT_DTYPE = pd.Series([""]).dtype  # what pandas makes of text by default (3.x: Arrow-backed "str")


def _long_table(ds: Dataset, periods: list[str], codes: list[str], index: np.ndarray, imp: np.ndarray,
                weight: np.ndarray, root: int, first: int) -> pd.DataFrame:
    n_months, n_nodes = index.shape
    groups = {g.code: g for g in ds.groups}
    meta = []
    for code in codes:
        if code in groups:
            g = groups[code]
            meta.append((g.name_vi, g.name_en, "group", "", None))
        else:
            ind = ds.industries[code]
            kind = "total" if code == ds.root else "industry"
            meta.append((ind.name_vi, ind.name_en, kind, ind.parent or "", ds.depth(code)))
    share = np.divide(imp, index, out=np.full(index.shape, np.nan), where=index != 0)
    ytd = cmp.ytd_pct(index, first)
    contribution = cmp.contribution_pp(index, weight, index[:, root], weight[root])
    # A contribution is defined for the nodes under the root only (docs/method.md): the formula would give the
    # root its own yoy_pct, printed as "the total contributes x points to itself" (issue 13).
    contribution[:, root] = np.nan
    by_month, by_node = np.repeat(np.arange(n_months), n_nodes), np.tile(np.arange(n_nodes), n_months)
    columns = {
        "period": _text(periods, by_month),
        "code": _text(codes, by_node),
        "name_vi": _text([m[0] for m in meta], by_node),
        "index": index.ravel(),
        "mom_pct": cmp.mom_pct(index).ravel(),
        "yoy_pct": cmp.yoy_pct(index).ravel(),
        "ytd_pct": ytd.ravel(),
        "ytd_prev_pct": cmp.lagged(ytd, 12).ravel(),
        "contribution_pp": contribution.ravel(),
        "imputed_share": share.ravel(),
        "name_en": _text([m[1] for m in meta], by_node),
        "kind": _text([m[2] for m in meta], by_node),
        "parent": _text([m[3] for m in meta], by_node),
        "level": pd.array(np.tile([m[4] for m in meta], n_months), dtype="Int64"),
        "weight": np.tile(weight, n_months),
    }
    return pd.DataFrame(columns)


def _product_table(ds: Dataset, periods: list[str], qty: np.ndarray, qty_imp: np.ndarray, reporters: np.ndarray,
                   index: np.ndarray, imp: np.ndarray, first: int) -> pd.DataFrame:
    n_months, n_products = index.shape
    prods = ds.products
    share = np.divide(imp, index, out=np.full(index.shape, np.nan), where=index != 0)
    by_month, by_product = np.repeat(np.arange(n_months), n_products), np.tile(np.arange(n_products), n_months)
    frame = pd.DataFrame({
        "period": _text(periods, by_month),
        "code": _text([p.code for p in prods], by_product),
        "name_vi": _text([p.name_vi for p in prods], by_product),
        "unit": _text([p.unit for p in prods], by_product),
        "industry": _text([p.industry for p in prods], by_product),
        "quantity": qty.ravel(),
        "imputed_quantity": qty_imp.ravel(),
        "reporters": reporters.ravel(),
        "index": index.ravel(),
        "mom_pct": cmp.mom_pct(index).ravel(),
        "yoy_pct": cmp.yoy_pct(index).ravel(),
        "ytd_pct": cmp.ytd_pct(index, first).ravel(),
        "imputed_share": share.ravel(),
    })
    return frame


_RATIO_SOURCE_NAMES = {RATIO_PRODUCT: "product", RATIO_INDUSTRY: "industry", RATIO_CARRY: "carry_forward"}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of ``frame``: floats unrounded (shortest round-trip repr), NaN and NA as empty cells."""
    return frame.to_csv(index=False, na_rep="", lineterminator="\n").encode("utf-8")


def _imputed_cells(ds: Dataset, panel: Panel, filled: Imputation) -> pd.DataFrame:
    """One row per imputed (enterprise, product, month): the value and the ratio that made it."""
    t_idx, pair_idx = filled.imputed_at()
    product_idx = panel.pair_product[pair_idx]
    source = filled.ratio_source[t_idx, product_idx]
    return pd.DataFrame({
        "enterprise": pd.Categorical.from_codes(panel.pair_enterprise[pair_idx], panel.enterprise_codes),
        "product": pd.Categorical.from_codes(product_idx, [p.code for p in ds.products]),
        "period": pd.Categorical.from_codes(t_idx, panel.periods),
        "quantity": filled.values[t_idx, pair_idx],
        "ratio": filled.ratio[t_idx, product_idx],
        "ratio_source": pd.Categorical.from_codes(source, [_RATIO_SOURCE_NAMES[k] for k in range(3)]),
    })


def _imputation_warnings(ds: Dataset, panel: Panel, filled: Imputation) -> pd.DataFrame:
    """Pairs that fell silent past the imputation limit (treated as closed)."""
    t_idx, pair_idx = filled.closed_at()
    if not len(t_idx):
        return pd.DataFrame([])
    enterprises = np.asarray(panel.enterprise_codes, dtype=object)
    products = np.array([p.code for p in ds.products], dtype=object)
    return pd.DataFrame({
        "severity": "info",
        "check": "closed",
        "enterprise": enterprises[panel.pair_enterprise[pair_idx]],
        "product": products[panel.pair_product[pair_idx]],
        "period": np.asarray(panel.periods, dtype=object)[t_idx],
        "message": "silent for more than the imputation limit; treated as closed for this product "
                   "and no longer imputed",
    })
