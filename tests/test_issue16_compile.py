"""Issue 16: the compile as a user runs it — one pass over a clean Parquet file, outputs through Arrow.

The one-pass reader (sources/parquet_panel.py) must give exactly the panel of the general reader (three DuckDB
passes), and hand every file it cannot vouch for to the general reader, which names the row; the writers must
give back the figures unrounded, atomically, in CSV or (for the large tables) Parquet.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builders import needs_c_loops
from vnindustry.compile.engine import compile_dataset
from vnindustry.compile.imputation import impute
from vnindustry.compile.outputs import OutputFormat, parse_format, write_csv, write_outputs
from vnindustry.errors import InputError
from vnindustry.files import atomic_writer
from vnindustry.sources import panel_kernel, production
from vnindustry.sources.dataset import load_dataset
from vnindustry.sources.parquet_panel import read_clean_panel

PRODUCTS = [f"P{i:03d}" for i in range(40)]


@pytest.fixture(params=[pytest.param("c", marks=needs_c_loops), "numpy"])
def kernel(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The reader's row loops in C (the extension built at install) and in numpy (where it was not built)."""
    if request.param == "numpy":
        monkeypatch.setattr(panel_kernel, "KERNEL", None)
    return request.param


def _dataset(folder: Path, rows: list[tuple[str, str, str, float]], *, groups: int = 5, shuffle: bool = True,
             seed: int = 1) -> Path:
    """A dataset folder of 4 leaf industries × 10 products, its production as Parquet in ``groups`` row groups."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "industries.csv").write_text(
        "code,parent,name_vi,name_en,weight\nTOTAL,,Toàn ngành,Total,\nC,TOTAL,Chế biến,Manufacturing,\n"
        + "".join(f"C{k},C,Ngành {k},Industry {k},{10 + k}\n" for k in range(4)), encoding="utf-8")
    (folder / "products.csv").write_text(
        "code,industry,name_vi,unit,weight,base_quantity\n"
        + "".join(f"{p},C{i % 4},Sản phẩm {i},tấn,{1 + i % 7},{50 + i}\n" for i, p in enumerate(PRODUCTS)),
        encoding="utf-8")
    rows = list(rows)
    if shuffle:
        random.Random(seed).shuffle(rows)
    size = -(-len(rows) // groups)
    writer = None
    for start in range(0, len(rows), size):
        part = rows[start:start + size]
        table = pa.table({
            "enterprise": [r[0] for r in part], "product": [r[1] for r in part],
            "period": [r[2] for r in part], "quantity": [r[3] for r in part]})
        if writer is None:
            writer = pq.ParquetWriter(folder / "production.parquet", table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    return folder


def _rows(n_enterprises: int = 60, months: int = 30, seed: int = 3) -> list[tuple[str, str, str, float]]:
    """Enterprises with 1–4 products each, some silent in some months (non-response), integer-valued and
    fractional quantities; codes whose order by text differs from their order of appearance."""
    rng = random.Random(seed)
    rows = []
    for e in range(n_enterprises):
        code = f"DN{rng.randrange(10**6):06d}-{e}"
        for p in rng.sample(PRODUCTS, rng.randint(1, 4)):
            for t in range(months):
                if rng.random() < 0.08:
                    continue
                q = float(rng.randint(0, 500)) if rng.random() < 0.5 else rng.uniform(0, 900)
                rows.append((code, p, f"{2020 + t // 12}-{t % 12 + 1:02d}", q))
    return rows


def _general(folder: Path) -> production.Panel:
    ds = load_dataset(folder)
    src = production._Source(ds.production_path)
    src.max_quantity = 1e15
    con = production._connect(1)
    try:
        return production._read(ds, src, con, 2_000_000_000)
    finally:
        con.close()


def _assert_same(folder: Path) -> None:
    fast = read_clean_panel(load_dataset(folder), 1e15, 2_000_000_000)
    assert fast is not None, "a clean file must take the one-pass reader"
    first, values, pair_product, pair_enterprise, enterprise_codes, rows, month_rows = fast
    slow = _general(folder)
    assert np.array_equal(month_rows, slow.month_rows)
    assert first == slow.first and rows == slow.rows
    assert values.shape == slow.values.shape
    assert np.array_equal(values, slow.values, equal_nan=True)
    assert np.array_equal(pair_product, slow.pair_product)
    assert np.array_equal(pair_enterprise, slow.pair_enterprise)
    assert enterprise_codes == list(slow.enterprise_codes)


@pytest.mark.usefixtures("kernel")
@pytest.mark.parametrize("groups", [1, 4, 9])
def test_issue16_one_pass_reader_gives_the_general_readers_panel(tmp_path: Path, groups: int) -> None:
    _assert_same(_dataset(tmp_path / "d", _rows(), groups=groups))


@pytest.mark.usefixtures("kernel")
def test_issue16_one_pass_reader_sorted_file_one_month_a_row_group(tmp_path: Path) -> None:
    """The national layout: a row group a month, rows sorted by enterprise code (no renumbering, one month's
    offset for a whole chunk), with enterprises that start late and leave early."""
    rows = sorted(_rows(50, 14, seed=8), key=lambda r: (r[2], r[0], r[1]))
    rows = [r for r in rows if not (r[0] > "DN7" and r[2] < "2020-06")]  # late starters (codes after the rest)
    folder = _dataset(tmp_path / "d", rows[:1], groups=1)  # the CSV files; production is written below
    months = sorted({r[2] for r in rows})
    with pq.ParquetWriter(folder / "production.parquet", pa.schema(
            [("enterprise", pa.string()), ("product", pa.string()), ("period", pa.string()),
             ("quantity", pa.float64())])) as writer:
        for month in months:
            part = [r for r in rows if r[2] == month]
            writer.write_table(pa.table({"enterprise": [r[0] for r in part], "product": [r[1] for r in part],
                                         "period": [r[2] for r in part], "quantity": [r[3] for r in part]}))
    assert pq.ParquetFile(folder / "production.parquet").metadata.num_row_groups == len(months)
    _assert_same(folder)


@pytest.mark.usefixtures("kernel")
def test_issue16_one_pass_reader_month_spellings_and_late_enterprises(tmp_path: Path) -> None:
    rows = _rows(40, 18)
    # 2020-03 also written 2020M03 in some rows; enterprises that appear only in the last row group.
    rows = [(e, p, per.replace("-", "M") if i % 3 == 0 else per, q) for i, (e, p, per, q) in enumerate(rows)]
    late = [("AA-late", "P000", "2021-06", 5.0), ("ZZ-late", "P039", "2021-06", 7.5)]
    folder = _dataset(tmp_path / "d", rows, groups=3, seed=5)
    table = pq.read_table(folder / "production.parquet")
    extra = pa.table({"enterprise": [r[0] for r in late], "product": [r[1] for r in late],
                      "period": [r[2] for r in late], "quantity": [r[3] for r in late]})
    with pq.ParquetWriter(folder / "production.parquet", table.schema) as writer:
        writer.write_table(table, row_group_size=len(table) // 3 + 1)
        writer.write_table(extra)
    _assert_same(folder)


@pytest.mark.usefixtures("kernel")
@pytest.mark.parametrize("change", ["duplicate", "unknown_product", "null_quantity", "negative", "bad_period",
                                    "blank_enterprise", "nan", "above_ceiling"])
def test_issue16_one_pass_reader_hands_problems_to_the_general_reader(tmp_path: Path, change: str) -> None:
    rows = _rows(20, 12)
    e, p, per, q = rows[7]
    bad = {
        "duplicate": (e, p, per, q + 1),
        "unknown_product": (e, "NOPE", per, q),
        "null_quantity": (e, p, "2020-02", None),
        "negative": ("DN-x", p, per, -1.0),
        "bad_period": ("DN-x", p, "2020-13", 1.0),
        "blank_enterprise": ("  ", p, per, 1.0),
        "nan": ("DN-x", p, per, float("nan")),
        "above_ceiling": ("DN-x", p, per, 1e300),
    }[change]
    folder = _dataset(tmp_path / "d", [*rows, bad], groups=3)  # type: ignore[list-item]
    assert read_clean_panel(load_dataset(folder), 1e15, 2_000_000_000) is None
    with pytest.raises(InputError) as err:
        production.read_panel(load_dataset(folder), max_quantity=1e15)
    assert "production.parquet" in str(err.value) and "row " in str(err.value)


def test_issue16_one_pass_reader_declines_codes_stored_as_numbers(tmp_path: Path) -> None:
    rows = [(str(1000 + i // 4), PRODUCTS[i % 4], f"2020-{t:02d}", 1.0 + t) for i in range(20) for t in range(1, 7)]
    folder = _dataset(tmp_path / "d", rows)
    table = pq.read_table(folder / "production.parquet")
    table = table.set_column(0, "enterprise", table.column("enterprise").cast(pa.int64()))
    pq.write_table(table, folder / "production.parquet")
    assert read_clean_panel(load_dataset(folder), 1e15, 2_000_000_000) is None
    panel = production.read_panel(load_dataset(folder))  # the general reader compares them as text
    assert panel.rows == table.num_rows and panel.enterprise_codes[0] == "1000"


def test_issue16_csv_writer_round_trips_figures_exactly(tmp_path: Path) -> None:
    values = [1.0, 0.1, 1 / 3, 1e-5, 1.5e20, 123456789.123, float("nan"), 100.0, 2.5e-310, -0.0]
    frame = pd.DataFrame({
        "period": pd.Categorical(["2025-01"] * len(values)),
        "code": ["A,1", 'say "x"', "Đồng", "", "b", "c", "d", "e", "f", "g"],
        "index": values,
        "level": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype="Int64"),
    })
    path = write_csv(tmp_path / "t.csv", frame)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "period,code,index,level"  # a plain header, as Excel users see it
    back = list(csv.DictReader(path.open(encoding="utf-8")))
    for row, value in zip(back, values, strict=True):
        if np.isnan(value):
            assert row["index"] == ""
        else:
            assert float(row["index"]) == value  # unrounded: the shortest text that reads back the same double
    assert [r["code"] for r in back] == frame["code"].tolist()
    assert [r["level"] for r in back] == ["1", "", "3", "4", "5", "6", "7", "8", "9", "10"]


def test_issue16_csv_without_commas_in_text_has_no_quotes(tmp_path: Path) -> None:
    """What a person sees in a text editor, and what a naive split on commas reads (tests/test_worked_example.py)."""
    frame = pd.DataFrame({"period": pd.Categorical(["2025-01", "2025-02"]), "code": ["TOTAL", "C10"],
                          "name_vi": ["Toàn ngành", "Sản xuất chế biến thực phẩm"], "index": [100.0, 101.25]})
    text = write_csv(tmp_path / "t.csv", frame).read_text(encoding="utf-8")
    assert text == ("period,code,name_vi,index\n2025-01,TOTAL,Toàn ngành,100\n"
                    "2025-02,C10,Sản xuất chế biến thực phẩm,101.25\n")


def test_issue16_atomic_writer_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "imputed.csv"
    target.write_text("the earlier file\n")
    with pytest.raises(RuntimeError), atomic_writer(target) as f:
        f.write(b"half of it")
        raise RuntimeError("disk full")
    assert target.read_text() == "the earlier file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["imputed.csv"]


def test_issue16_outputs_parquet_for_large_tables(tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "d", _rows(30, 26))
    result = compile_dataset(folder)
    out = tmp_path / "out"
    result.write(out)  # CSV first: the Parquet run must remove the now-stale CSV files of the large tables
    written = result.write(out, "parquet")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["compile.json", "iip.csv", "imputed.parquet", "products.parquet", "validation.csv"]
    assert [p.name for p in written] == ["iip.csv", "products.parquet", "validation.csv", "imputed.parquet",
                                         "compile.json"]
    products = pd.read_parquet(out / "products.parquet")
    pd.testing.assert_frame_equal(products, result.products, check_dtype=False)
    imputed = pd.read_parquet(out / "imputed.parquet")
    assert len(imputed) == len(result.imputed) > 0
    assert np.array_equal(imputed["quantity"].to_numpy(), result.imputed["quantity"].to_numpy())
    iip = pd.read_csv(out / "iip.csv", keep_default_na=False, na_values=[""])
    assert np.array_equal(iip["index"].to_numpy(), result.table["index"].to_numpy(), equal_nan=True)


def test_issue16_write_outputs_names_in_order(tmp_path: Path) -> None:
    frames = {"big": pd.DataFrame({"x": range(1000)}), "small": pd.DataFrame({"y": [1.5]})}
    paths = write_outputs(tmp_path, frames, {"k": 1}, OutputFormat.CSV)
    assert [p.name for p in paths] == ["big.csv", "small.csv", "compile.json"]
    with pytest.raises(ValueError, match="use one of csv, parquet"):
        parse_format("xlsx")


def test_issue16_cli_compile_format_parquet(tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "d", _rows(20, 14))
    out = tmp_path / "out"
    run = [sys.executable, "-m", "vnindustry.cli", "compile", str(folder), "--out", str(out)]
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([*run, "--format", "parquet"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (out / "products.parquet").is_file() and (out / "imputed.parquet").is_file()
    assert not (out / "products.csv").exists()
    bad = subprocess.run([*run, "--format", "xlsx"], capture_output=True, text=True, env=env)
    assert bad.returncode != 0 and "'xlsx' is not one of 'csv', 'parquet'" in bad.stderr


@pytest.mark.usefixtures("kernel")
def test_issue16_one_pass_reader_ignores_unused_dictionary_values(tmp_path: Path) -> None:
    """A file written from pandas categoricals keeps every category in its dictionaries, used or not: an enterprise
    or a month no row refers to must not enter the panel (the general reader never sees them)."""
    rows = _rows(25, 12)
    folder = _dataset(tmp_path / "d", rows)
    frame = pd.DataFrame(rows, columns=["enterprise", "product", "period", "quantity"])
    frame["enterprise"] = pd.Categorical(frame["enterprise"], categories=[*sorted(set(frame["enterprise"])), "ZZ-none"])
    frame["period"] = pd.Categorical(frame["period"], categories=["2019-06", *sorted(set(frame["period"])), "2023-01"])
    frame.to_parquet(folder / "production.parquet", index=False)
    assert pa.types.is_dictionary(pq.read_schema(folder / "production.parquet").field("enterprise").type)
    _assert_same(folder)


def test_issue16_imputation_cells_gathered_in_the_loop_match_the_matrices() -> None:
    """The imputed and closed cells collected month by month (no pass over the T × pairs matrices) are
    np.nonzero of the matrices, in the same order; and the values are those of a NaN test after imputation."""
    rng = np.random.default_rng(16)
    values = rng.uniform(1, 100, size=(40, 300))
    values[rng.random(values.shape) < 0.3] = np.nan  # silences of every length, some past the limit
    pair_product = rng.integers(0, 12, 300)
    before = values.copy()
    filled = impute(values, pair_product, np.arange(12) % 3, rng.uniform(0.5, 2, 12), 3, max_gap=2)
    for got, matrix in ((filled.imputed_at(), filled.imputed), (filled.closed_at(), filled.closed)):
        want = np.nonzero(matrix)
        assert len(want[0]) > 0
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert np.array_equal(filled.imputed, np.isnan(before) & ~np.isnan(filled.values))


def test_issue16_suspicious_values_found_in_the_median_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The unit-slip check compares values with their pair's median block by block (small blocks here, so that
    pairs span several); it finds what the direct formula over the whole panel finds, in np.nonzero's order."""
    from types import SimpleNamespace

    from vnindustry.compile import checks
    from vnindustry.compile.checks import suspicious_values

    rng = np.random.default_rng(5)
    values = rng.uniform(1, 100, size=(30, 5000))
    values[rng.random(values.shape) < 0.2] = np.nan
    values[rng.random(values.shape) < 0.01] *= 1000  # kg typed for tấn
    values[rng.random(values.shape) < 0.01] /= 1000
    values[:, :40] = 0.0  # a median of 0: skipped
    values[:, 50:60] = np.nan  # never reported
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the never-reported pairs: an all-NaN median
        median = np.nanmedian(values, axis=0)
    with np.errstate(invalid="ignore"):
        want = np.nonzero(((values >= 10 * median) | (values <= median / 10)) & (median > 0))
    original = checks.pair_medians
    monkeypatch.setattr(checks, "pair_medians",
                        lambda v, ratio, workers=0: original(v, 700, ratio=ratio, workers=workers))  # 700-pair blocks
    t_idx, pair_idx, value, med = suspicious_values(SimpleNamespace(values=values), 10)
    assert len(t_idx) > 100
    assert np.array_equal(t_idx, want[0]) and np.array_equal(pair_idx, want[1])
    assert np.array_equal(value, values[want]) and np.allclose(med, median[want[1]])


def test_issue16_compile_without_db_does_not_load_the_store(tmp_path: Path) -> None:
    """`vnindustry compile DATASET --out OUT` never touches the store: SQLAlchemy (0.3–0.5 s of start-up) is not
    imported, as the command runs from the console script."""
    folder = _dataset(tmp_path / "d", _rows(20, 14), groups=2)
    code = ("import sys\n"
            "from vnindustry.cli import start\n"
            "try:\n"
            f"    start(['compile'])(['compile', {str(folder)!r}, '--out', {str(tmp_path / 'out')!r}])\n"
            "except SystemExit as exc:\n"
            "    assert exc.code in (0, None), exc.code\n"
            "print('sqlalchemy' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout + done.stderr
    assert (tmp_path / "out" / "iip.csv").exists()


@needs_c_loops
def test_issue16_panel_kernel_is_built_by_the_install() -> None:
    """pip install builds the C loops (optional in pyproject.toml so that an install without a compiler still
    works); here, with gcc, it must have been built, or the suite would test only the numpy loops."""
    assert panel_kernel.KERNEL is not None


@needs_c_loops
def test_issue16_panel_kernel_matches_numpy_on_its_own() -> None:
    """The two C loops against the numpy formulas: keys, the byte map, and the cell each row lands in, with
    renumbered enterprises and uint8/uint16 months."""
    kernel = panel_kernel.KERNEL
    assert kernel is not None
    rng = np.random.default_rng(5)
    shift, n = 5, 20_000
    e_ids, p_ranks = rng.permutation(300).astype(np.int64), rng.permutation(1 << shift).astype(np.int64)
    ent, prod = rng.integers(0, 300, n).astype(np.int32), rng.integers(0, 1 << shift, n).astype(np.int32)
    seen = np.zeros((300 << shift) // 64, dtype=np.uint64)
    keys = kernel.mark_keys(ent, prod, e_ids, p_ranks, shift, seen)
    expected = (e_ids[ent] << shift) | p_ranks[prod]
    assert keys.dtype == np.int32 and np.array_equal(keys, expected)
    assert np.array_equal(kernel.set_bits(seen), np.unique(expected))

    rank_of = rng.permutation(300).astype(np.int32)
    renumbered = (rank_of[expected >> shift].astype(np.int64) << shift) | (expected & ((1 << shift) - 1))
    order = np.unique(renumbered)
    start = np.searchsorted(order >> shift, np.arange(301)).astype(np.int64)
    n_months = 300
    offsets = np.arange(n_months, dtype=np.int64) * len(order)
    in_pair_order = np.argsort(renumbered, kind="stable")  # the fast path: each row's pair after the last one's
    for month, rows in ((None, slice(None)), (rng.integers(0, 256, n).astype(np.uint8), slice(None)),
                        (rng.integers(0, n_months, n).astype(np.uint16), slice(None)), (None, in_pair_order)):
        quantity = rng.uniform(0, 100, n)
        flat = np.full(n_months * len(order), np.nan)
        m = None if month is None else month[rows]
        kernel.scatter(keys[rows], m, offsets, rank_of, shift, order, start, quantity[rows], flat)
        cell = np.searchsorted(order, renumbered[rows]) + (0 if m is None else offsets[m])
        want = np.full_like(flat, np.nan)
        want[cell] = quantity[rows]  # a repeated cell keeps its last row's value, as the C loop does
        assert np.array_equal(flat, want, equal_nan=True)
    # Enterprise ids that are already ranks (rank_of None): the keys as they are.
    order = np.unique(expected)
    start = np.searchsorted(order >> shift, np.arange(301)).astype(np.int64)
    flat = np.full(len(order), np.nan)
    kernel.scatter(keys, None, np.zeros(1, dtype=np.int64), None, shift, order, start, quantity, flat)
    want = np.full_like(flat, np.nan)
    want[np.searchsorted(order, expected)] = quantity
    assert np.array_equal(flat, want, equal_nan=True)
    with pytest.raises(TypeError, match="wrong type"):
        kernel.scatter(keys.astype(np.int64), None, offsets, None, shift, order, start, quantity, flat)


@needs_c_loops
def test_issue16_panel_kernel_scatter_stays_inside_its_arrays() -> None:
    """The scatter's first row must not look before the pairs' keys (it once tried pair −1): with the word before
    the keys equal to the first row's key, and a guard cell before the panel, nothing outside is written."""
    kernel = panel_kernel.KERNEL
    assert kernel is not None
    shift = 3
    keys = np.array([(0 << shift) | 2, (1 << shift) | 1], dtype=np.int32)
    buffer = np.array([keys[0], (0 << shift) | 2, (1 << shift) | 1], dtype=np.int64)
    order = buffer[1:]  # order[-1] would read buffer[0], equal to the first key
    start = np.array([0, 1, 2], dtype=np.int64)
    cells = np.full(3, -7.0)
    flat = cells[1:]
    flat[:] = np.nan
    kernel.scatter(keys, None, np.zeros(1, dtype=np.int64), None, shift, order, start, np.array([5.0, 6.0]), flat)
    assert cells[0] == -7.0 and flat.tolist() == [5.0, 6.0]


def test_issue16_one_pass_reader_never_shares_a_parquet_file_between_threads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ParquetFile must not be read from two threads at once (Arrow's file reader is not thread-safe: shared by row
    group number, the read once hung under load). Even row groups are made slow, so that a thread done with an odd
    one takes the next even one while another thread still reads the one before it."""
    import threading
    import time

    folder = _dataset(tmp_path / "d", _rows(), groups=8)
    active: dict[int, int] = {}
    clash: list[int] = []
    guard = threading.Lock()
    original = pq.ParquetFile

    class Watched(original):  # type: ignore[misc, valid-type]
        def read_row_group(self, i: int, *args: object, **kwargs: object) -> pa.Table:
            with guard:
                active[id(self)] = active.get(id(self), 0) + 1
                if active[id(self)] > 1:
                    clash.append(i)
            try:
                if i % 2 == 0:
                    time.sleep(0.05)
                return super().read_row_group(i, *args, **kwargs)
            finally:
                with guard:
                    active[id(self)] -= 1

    monkeypatch.setattr(pq, "ParquetFile", Watched)
    assert read_clean_panel(load_dataset(folder), 1e15, 2_000_000_000, threads=2) is not None
    assert clash == []


@needs_c_loops
def test_issue16_panel_kernel_refuses_keys_past_its_bitmap() -> None:
    """mark_keys checks that its largest possible key fits the bitmap (C would set bits past it)."""
    kernel = panel_kernel.KERNEL
    assert kernel is not None
    ids = np.arange(4, dtype=np.int64)
    seen = np.zeros(1, dtype=np.uint64)  # 64 keys: enterprise 3 << 4 | product 3 = 51 fits, 4 << 4 does not
    kernel.mark_keys(np.array([3], dtype=np.int32), np.array([3], dtype=np.int32), ids, ids, 4, seen)
    with pytest.raises(TypeError, match="wrong type"):
        kernel.mark_keys(np.array([0], dtype=np.int32), np.array([0], dtype=np.int32), np.arange(5), ids, 4, seen)
