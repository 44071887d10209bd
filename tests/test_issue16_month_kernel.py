"""Issue 16: the compile's month loops in C (compile/_month_kernel.c) give exactly what the numpy loops give.

Each C loop adds the same terms in the same order as np.bincount, so the results are compared bit for bit — on
random panels built to reach every branch (long silences that close pairs, silent first months, products
without matched reporters, empty months, zeros) and on a whole compile of a generated city.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vnindustry
from builders import needs_c_loops
from vnindustry.compile import month_kernel
from vnindustry.compile.aggregate import product_totals
from vnindustry.compile.imputation import impute
from vnindustry.demo.city import generate_city


def _panel(seed: int, n_months: int = 30, n_pairs: int = 4000, n_products: int = 50
           ) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(3, 1, (n_months, n_pairs))
    values[rng.random((n_months, n_pairs)) < 0.1] = 0.0
    values[rng.random((n_months, n_pairs)) < 0.15] = np.nan  # scattered non-response
    for pair in rng.choice(n_pairs, n_pairs // 10, replace=False):  # silences long enough to close the pair
        start = rng.integers(0, n_months)
        values[start:start + rng.integers(1, 8), pair] = np.nan
    values[:, rng.choice(n_pairs, 50)] = np.nan  # pairs never reported
    values[n_months // 2] = np.nan  # a month nobody reported: carry forward, and an empty month
    pair_product = rng.integers(0, n_products, n_pairs).astype(np.int32)
    pair_product[pair_product == 7] = 8  # a product without pairs
    return values, pair_product


def _numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(month_kernel, "KERNEL", None)


@needs_c_loops
def test_issue16_month_kernel_is_built_by_the_install() -> None:
    assert month_kernel.KERNEL is not None, "pip install builds compile/_month_kernel.c where there is a compiler"


@needs_c_loops
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("max_gap", [1, 3])
def test_issue16_imputation_in_c_matches_numpy(seed: int, max_gap: int, monkeypatch: pytest.MonkeyPatch) -> None:
    values, pair_product = _panel(seed)
    product_industry = np.arange(50) % 6
    product_industry[product_industry == 5] = 4  # a product's industry may have no matched reporter either
    scale = np.random.default_rng(seed).uniform(0.2, 3, 50)
    fast = impute(values.copy(), pair_product, product_industry, scale, 6, max_gap=max_gap)
    _numpy(monkeypatch)
    slow = impute(values.copy(), pair_product, product_industry, scale, 6, max_gap=max_gap)
    assert fast.imputed.any() and fast.closed.any()
    for name in ("values", "imputed", "ratio", "ratio_source", "closed"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name), equal_nan=True), name
    for a, b, c in zip((*fast.imputed_at(), *fast.closed_at()), (*slow.imputed_at(), *slow.closed_at()),
                       (*np.nonzero(fast.imputed), *np.nonzero(fast.closed)), strict=True):
        assert np.array_equal(a, b) and np.array_equal(a, c)


@needs_c_loops
@pytest.mark.parametrize("seed", [4, 5])
def test_issue16_product_totals_in_c_match_numpy(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    values, pair_product = _panel(seed)
    flags = np.random.default_rng(seed).random(values.shape) < 0.2
    flags &= ~np.isnan(values)
    fast = product_totals(values, flags, pair_product, 50)
    _numpy(monkeypatch)
    slow = product_totals(values, flags, pair_product, 50)
    assert fast[3].sum() == 1  # the empty month
    for a, b in zip(fast, slow, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)


@needs_c_loops
def test_issue16_month_loops_take_a_panel_in_any_memory_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A panel that is not C-ordered (the C loops read rows as contiguous) goes through numpy, with the same
    result."""
    values, pair_product = _panel(6)
    flags = np.isnan(values)
    in_order = product_totals(values, flags, pair_product, 50)
    other = product_totals(np.asfortranarray(values), np.asfortranarray(flags), pair_product, 50)
    for a, b in zip(in_order, other, strict=True):
        assert np.array_equal(a, b)
    fortran = impute(np.asfortranarray(values), pair_product, np.arange(50) % 6, np.ones(50), 6)
    c_order = impute(values.copy(), pair_product, np.arange(50) % 6, np.ones(50), 6)
    assert np.array_equal(fortran.values, c_order.values, equal_nan=True)


@needs_c_loops
def test_issue16_compile_in_c_matches_numpy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole compile — imputation, product totals, indices, disclosure statistics and suppression — is the same
    to the last bit with the C loops as with numpy's."""
    folder = generate_city(tmp_path / "city", n_enterprises=250, start="2019-01", end="2021-12", nonresponse=0.08)
    fast = vnindustry.compile_dataset(folder)
    one_thread = vnindustry.compile_dataset(folder, threads=1)  # the threads setting: the same figures
    _numpy(monkeypatch)
    slow = vnindustry.compile_dataset(folder)
    assert len(fast.imputed) > 100 and (fast.table["enterprises"] > 0).all()
    assert fast.stats["c_loops"] is True and slow.stats["c_loops"] is False  # compile.json says which ran
    for name in ("table", "products", "validation", "imputed"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True, obj=name)
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(one_thread, name), check_exact=True, obj=name)
    assert one_thread.workers == 1


@needs_c_loops
@pytest.mark.parametrize("max_gap", [2**31, 2**32 + 1])
def test_issue16_imputation_in_c_takes_any_gap_limit(max_gap: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A gap limit past 32 bits (the setting is any integer) must not wrap around in C (review of issue 16)."""
    values, pair_product = _panel(9)
    fast = impute(values.copy(), pair_product, np.arange(50) % 6, np.ones(50), 6, max_gap=max_gap)
    _numpy(monkeypatch)
    slow = impute(values.copy(), pair_product, np.arange(50) % 6, np.ones(50), 6, max_gap=max_gap)
    assert fast.imputed.sum() == slow.imputed.sum() > 0
    assert np.array_equal(fast.values, slow.values, equal_nan=True)


@needs_c_loops
def test_issue16_month_kernel_refuses_what_c_would_misread() -> None:
    """Strided views and indices past an output are refused before C sees them (C would read or write beside
    them)."""
    kernel = month_kernel.KERNEL
    assert kernel is not None
    n = 8
    row = np.ones(n)
    args = dict(prev=row, curr=row.copy(), ratio=np.ones(2), pair_product=np.zeros(n, dtype=np.int32),
                present=np.ones(n, dtype=bool), max_gap=3, imputed=np.zeros(n, dtype=bool),
                closed=np.zeros(n, dtype=bool), scratch=np.empty(2 * n, dtype=np.int64))
    with pytest.raises(TypeError, match="wrong type"):
        kernel.impute_month(gap=np.zeros(2 * n, dtype=np.int32)[::2], **args)
    kernel.impute_month(gap=np.zeros(n, dtype=np.int32), **args)  # the same, contiguous: accepted
    with pytest.raises(TypeError, match="wrong type"):
        month_kernel.check_indices(np.array([0, 5], dtype=np.int32), 5)
    with pytest.raises(TypeError, match="wrong type"):
        month_kernel.check_indices(np.array([-1, 2], dtype=np.int32), 5)
    month_kernel.check_indices(np.array([0, 4], dtype=np.int32), 5)


@needs_c_loops
def test_issue16_a_library_built_from_other_sources_is_not_loaded() -> None:
    """A library whose ABI version differs from the Python side's (an editable install not rebuilt after its C
    file changed) is refused — the numpy loops run — rather than called with the wrong signatures."""
    from vnindustry.native import load_library

    assert load_library(month_kernel.__file__, "_month_kernel", month_kernel.ABI) is not None
    assert load_library(month_kernel.__file__, "_month_kernel", month_kernel.ABI + 1) is None


def test_issue16_c_loops_are_built_without_fused_multiply_add() -> None:
    """x·y + z fused into one FMA rounds once where numpy rounds twice: on a CPU or a build with FMA the disclosure
    sums would differ in the last bits (review of issue 16). Every C extension is built with -ffp-contract=off."""
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    modules = project["tool"]["setuptools"]["ext-modules"]
    assert modules and all("-ffp-contract=off" in m.get("extra-compile-args", []) for m in modules)
