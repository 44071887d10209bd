"""Issue 16, item 2: ``adjust --all`` at the speed of X-13 — and nothing else changed.

The frozen specs of a store run in batches, several series to an X-13 process, from threads of the CLI's
process (analysis/seasonal/frozen.py); series to identify run in a pool of processes; the store is read a
hundred series at a time and each read's series start at once. What these tests hold:

- every result of the parallel paths is, number for number, what ``seas`` gives the series alone — frozen
  batches, identification in the pool, and a frozen spec that fails in a batch and is re-estimated;
- ``adjust --all`` says what it does before it finishes (on stderr, a line per series on a small store);
- a second ``adjust --all`` identifies nothing: the frozen specs stored by the first are what it runs;
- the release's checksum, now written without building the records' frame, is the sha256 of that frame's
  CSV, strings that need quoting and missing values included;
- X-13's tables read on the fast path are what the line-by-line reading gives;
- adjust.py's public names are where they were, and no module of analysis/seasonal passes 600 lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from builders import same
from vnindustry.analysis.seasonal import Adjustment, TetWindow, adjust_many, batch, seas, tet_regressor
from vnindustry.analysis.seasonal.saved import parse_table
from vnindustry.analysis.seasonal.stored import (
    AdjustedReleases,
    adjusted_releases,
    latest_specs,
    level_series,
    level_series_chunks,
    original_keys,
)
from vnindustry.cli import app
from vnindustry.store import open_store

AIRLINE = "(0 1 1)(0 1 1)"
FIELDS = ("original", "calendar_adjusted", "seasonally_adjusted", "trend", "irregular", "seasonal_factors",
          "tet_factors", "working_day_factors")


def synthetic(seed: int, *, years: int = 8, tet: float = -0.15) -> pd.Series:
    """A log-additive monthly series ending in 2025: trend, seasonality, a Tết effect, noise of 1,5%."""
    rng = np.random.default_rng(seed)
    index = pd.period_range(end="2025-12", periods=12 * years, freq="M")
    pattern = np.array([0.0, -0.03, 0.02, 0.0, 0.03, 0.01, -0.02, -0.01, 0.0, 0.01, 0.03, 0.06])
    log_y = (4.6 + np.cumsum(rng.normal(0.005, 0.006, len(index))) + np.tile(pattern, years)
             + rng.normal(0, 0.015, len(index)))
    log_y += tet * tet_regressor(TetWindow("during", 0, 6), index).to_numpy()
    return pd.Series(np.exp(log_y), index=index)



def assert_identical(a: Adjustment, b: Adjustment) -> None:
    for name in FIELDS:
        left, right = getattr(a, name), getattr(b, name)
        pd.testing.assert_series_equal(left, right, check_exact=True)
        assert left.index.equals(right.index) and left.name == right.name
    assert a.spec == b.spec
    assert same(a.diagnostics, b.diagnostics)


def _records(key: str, series: pd.Series, name: str | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        "table": "iip", "series": name or f"Chỉ số {key}", "code": key, "unit": "%",
        "period": [str(p) for p in series.index], "measure": "level", "value": series.to_numpy(),
        "status": "actual", "sheet": "", "cell": "", "kind": "industry",
        "level": pd.array([1] * len(series), dtype="Int64"), "parent": ""})


@pytest.fixture(scope="module")
def four() -> dict[str, pd.Series]:
    return {f"S{i}": synthetic(i, tet=(-0.15, 0.0, 0.1, -0.2)[i]) for i in range(4)}


def make_store(folder: Path, series: dict[str, pd.Series]) -> str:
    """A store with ``series`` (source test, table iip), released on 2026-01-01 (public), not adjusted yet."""
    url = f"sqlite:///{folder / 's.db'}"
    records = pd.concat([_records(k, v) for k, v in series.items()], ignore_index=True)
    open_store(url).import_records(records, source="test", file="synthetic.csv", checksum="issue16",
                                   released_on=dt.date(2026, 1, 1))
    return url


# --- the parallel paths give what seas gives ------------------------------------------------------------------

def test_issue16_parallel_identification_and_frozen_batches_equal_seas_alone(four: dict[str, pd.Series]) -> None:
    alone = {k: seas(v) for k, v in four.items()}
    pooled = adjust_many(four, workers=2)  # identification, one series a task in the pool
    assert list(pooled) == list(four)
    for key in four:
        assert_identical(pooled[key], alone[key])
    specs = {k: v.spec for k, v in alone.items()}
    again = {k: seas(v, spec=specs[k]) for k, v in four.items()}
    seen: list[tuple[int, int]] = []
    batched = adjust_many(four, workers=2, specs=specs, progress=lambda done, total, key: seen.append((done, total)))
    serial = adjust_many(four, workers=1, specs=specs)
    for key in four:
        assert_identical(batched[key], again[key])
        assert_identical(serial[key], again[key])
        # The frozen spec repeats the automatic run (its diagnostics say how the choices were made; the re-run's
        # made none).
        pd.testing.assert_frame_equal(again[key].to_frame(), alone[key].to_frame(), check_exact=True)
    assert sorted(seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_issue16_one_x13_process_for_many_series_gives_what_each_gives_alone(four: dict[str, pd.Series]) -> None:
    # adjust --all runs up to BATCH_SIZE series in one X-13 process (a metafile): no state may carry from one
    # spec to the next. Twelve series, three to each of the four frozen specs, in one process.
    from vnindustry.analysis.seasonal.frozen import FrozenBatches

    specs = {k: seas(v).spec for k, v in four.items()}
    many = {f"{k}x{m}": v * m for k, v in four.items() for m in (1.0, 1.7, 0.4)}
    their = {k: specs[k.split("x")[0]] for k in many}
    with FrozenBatches(1, batch_size=len(many)) as runner:
        futures, refused = runner.submit(many, their, coming=len(many))  # a batch's worth to come: one of all twelve
        assert len(futures) == 1 and not refused
        batched = futures[0].result()
    for key, series in many.items():
        result = batched[key]
        assert result is not None, key
        assert_identical(result, seas(series, spec=their[key]))


@given(st.integers(0, 400), st.integers(1, 4), st.integers(1, 64), st.integers(0, 1000))
def test_issue16_batches_keep_every_key_once_and_end_small(n: int, workers: int, size: int, coming: int) -> None:
    from vnindustry.analysis.seasonal.frozen import batches

    keys = [f"k{i}" for i in range(n)]
    groups = batches(keys, workers=workers, size=size, coming=coming)
    assert [k for g in groups for k in g] == keys  # every key once, in order
    assert all(0 < len(g) <= size for g in groups)
    if coming < workers * size:
        # Near the end of the run: every worker gets at least two of these batches (one each when fewer keys), so
        # that no long batch is left running alone at the end.
        assert len(groups) >= min(n, 2 * workers)
    else:
        # More to come: no batch is larger than a worker's share of these keys.
        assert all(len(g) <= -(-n // workers) for g in groups)


def test_issue16_a_frozen_spec_that_fails_in_a_batch_is_re_estimated_as_alone(four: dict[str, pd.Series]) -> None:
    specs = {k: seas(v, arima=AIRLINE).spec for k, v in four.items()}
    # An outlier X-13 cannot estimate (a month after the series' end): the batch's X-13 refuses this spec,
    # the series runs alone through seas, whose fallback re-estimates it.
    broken = replace(specs["S1"], outliers=("AO2030.Jan",))
    specs = {**specs, "S1": broken}
    alone = {k: batch._adjust(k, v, {"spec": specs[k], "arima": AIRLINE})[1] for k, v in four.items()}
    result = adjust_many(four, workers=2, specs=specs, arima=AIRLINE)
    assert "fallback" in result["S1"].diagnostics and "re-estimated" in result["S1"].diagnostics["fallback"]
    for key in four:
        assert_identical(result[key], alone[key])


# --- the CLI: progress while it runs, and the second run re-uses the frozen specs ---------------------------

def test_issue16_adjust_all_prints_progress_before_it_finishes(four: dict[str, pd.Series], tmp_path: Path) -> None:
    url = make_store(tmp_path, four)
    command = [str(Path(sys.executable).with_name("vnindustry")), "adjust", "--db", url, "--all", "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[tuple[float, bool, str]] = []  # (when, still running, line)
    assert process.stderr is not None
    for line in process.stderr:
        lines.append((time.perf_counter(), process.poll() is None, line.rstrip()))
    process.wait(timeout=600)
    text = "\n".join(line for _, _, line in lines)
    assert process.returncode == 0, text
    assert lines[0][2].startswith("Reading the monthly series of") and lines[0][1]
    progress = [(running, line) for _, running, line in lines if line.strip()[:1].isdigit() and " series (" in line]
    # A line per series on a small store ("1/4 series (25%), 2.1 s, about 6 s left" …), the first ones while
    # the command still runs.
    assert [line.split()[0] for _, line in progress] == ["1/4", "2/4", "3/4", "4/4"], text
    assert progress[0][0] and "left" in progress[0][1]
    assert "Adjusting 4 series on 2 processes (0 with a frozen spec, 4 to identify" in " ".join(text.split())
    assert "Adjusted 4 of 4 series" in text


def test_issue16_second_adjust_all_reuses_the_frozen_specs(four: dict[str, pd.Series], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import vnindustry.analysis.seasonal.adjust as adjust_module

    url = make_store(tmp_path, four)
    identified: list[int] = []
    real = adjust_module.identify_steps  # what seas and seas_steps identify with

    def counting(*args: Any, **kwargs: Any) -> Any:
        identified.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(adjust_module, "identify_steps", counting)  # --workers 1: every run in this process
    first = CliRunner().invoke(app, ["adjust", "--db", url, "--all", "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert len(identified) == 4 and "0 frozen specs re-used" in " ".join(first.output.split())
    store = open_store(url)
    stored = latest_specs(store, original_keys(store))
    assert len(stored) == 4
    identified.clear()
    second = CliRunner().invoke(app, ["adjust", "--db", url, "--all", "--workers", "1"])
    said = " ".join(second.output.split())
    assert second.exit_code == 0, second.output
    assert identified == [], "the second run identified models again"
    assert "4 with a frozen spec, 0 to identify" in said and "4 frozen specs re-used" in said
    assert "nothing changed" in said  # the same results: the release is found by its checksum
    assert latest_specs(store, original_keys(store)) == stored


# --- the store: reading in chunks, the checksum without the frame ---------------------------------------------

def test_issue16_reading_in_chunks_gives_what_one_read_gives(four: dict[str, pd.Series], tmp_path: Path) -> None:
    store = open_store(make_store(tmp_path, four)).public_view()
    series, frame = level_series(store)
    parts = list(level_series_chunks(store, keys_per_read=3))
    assert [read for _, _, read in parts] == [3, 1]
    # A smaller first read (X-13 waits for it), then the others; never an empty read.
    assert [read for _, _, read in level_series_chunks(store, keys_per_read=3, first_read=1)] == [1, 3]
    assert [read for _, _, read in level_series_chunks(store, keys_per_read=2, first_read=0)] == [1, 2, 1]
    assert [read for _, _, read in level_series_chunks(store, first_read=16)] == [4]
    first_small = {k: v for part, _, _ in level_series_chunks(store, keys_per_read=3, first_read=1)
                   for k, v in part.items()}
    assert list(first_small) == list(series)
    chunked = {k: v for part, _, _ in parts for k, v in part.items()}
    assert list(chunked) == list(series) == ["test/iip/S0", "test/iip/S1", "test/iip/S2", "test/iip/S3"]
    for key in series:
        pd.testing.assert_series_equal(chunked[key], series[key], check_exact=True)
    joined = pd.concat([f for _, f, _ in parts], ignore_index=True)
    pd.testing.assert_frame_equal(joined, frame.reset_index(drop=True), check_exact=True)


def test_issue16_the_checksum_is_the_sha256_of_the_records_csv(four: dict[str, pd.Series]) -> None:
    results = {f"test/iip/{k}": seas(v, arima=AIRLINE) for k, v in list(four.items())[:2]}
    nan_month = results["test/iip/S0"].trend.copy()
    nan_month.iloc[3] = np.nan  # a month without a value is no record
    results["test/iip/S0"] = replace(results["test/iip/S0"], trend=nan_month)
    observations = pd.concat([
        _records("S0", four["S0"], name='Xuất khẩu, "tổng"\ncả nước'),  # a comma, quotes and a line break
        _records("S1", four["S1"], name="Nhập khẩu; giá trị"),
    ], ignore_index=True).assign(key=lambda f: "test/iip/" + f["code"], source="test", name_vi=lambda f: f["series"],
                                 name_en="", release_id=7)
    observations.loc[observations["code"] == "S1", "unit"] = None
    (release,) = adjusted_releases(results, observations)
    records = release.records()
    assert records["value"].notna().all() and "S0~trend" in set(records["code"])
    assert str(four["S0"].index[3]) not in set(records.loc[records["code"] == "S0~trend", "period"])
    assert set(records.loc[records["code"].str.startswith("S1"), "unit"].map(repr)) <= {"None", "nan", "''"}
    expected = hashlib.sha256(records.to_csv(index=False).encode("utf-8"))
    expected.update(json.dumps(release.specs, sort_keys=True).encode("utf-8"))
    assert release.checksum() == expected.hexdigest()
    assert release.inputs == [7]


@given(st.floats(allow_nan=False, width=64))
def test_issue16_a_floats_repr_is_numpys_str_which_the_checksum_writes(x: float) -> None:
    """The records' CSV writes each value as Python's repr (_Segment.csv), which must stay what ``to_csv``
    writes — numpy's str of a float64 — or every stored checksum would change with nothing else."""
    assert float.__repr__(x) == np.array([x]).astype(str)[0] == str(np.float64(x))


def test_issue16_a_month_read_again_as_actual_drops_its_earlier_status(four: dict[str, pd.Series]) -> None:
    """AdjustedReleases.observe over two reads of the same series: the second read's "actual" replaces the
    first's "estimated" (the status the records of that month then carry), a month left estimated stays so."""
    result = {"test/iip/S0": seas(four["S0"], arima=AIRLINE)}

    def read(estimated: list[int]) -> pd.DataFrame:
        frame = _records("S0", four["S0"]).assign(key="test/iip/S0", source="test", name_vi="S0", name_en="",
                                                   release_id=7)
        frame.loc[estimated, "status"] = "estimated"
        return frame

    releases = AdjustedReleases()
    releases.observe(read([5, 6]))
    releases.observe(read([6]))
    releases.add("test/iip/S0", result["test/iip/S0"])
    (release,) = releases.releases(["test/iip/S0"])
    records = release.records()
    trend = records[records["code"] == "S0~trend"].set_index("period")["status"]
    periods = [str(p) for p in four["S0"].index]
    assert trend[periods[5]] == "actual" and trend[periods[6]] == "estimated"
    assert (trend.drop([periods[6]]) == "actual").all()


def test_issue16_month_texts_are_what_astype_str_writes() -> None:
    from vnindustry.analysis.seasonal.stored import _consecutive, _month_texts

    for start, n in (("2018-01", 96), ("1999-12", 37), ("2025-11", 1)):
        months = pd.period_range(start, periods=n, freq="M")
        assert _consecutive(months)
        assert _month_texts(int(months.asi8[0]), n) == tuple(months.astype(str).tolist())
    gap = pd.PeriodIndex(["2020-01", "2020-02", "2020-04"], freq="M")
    assert not _consecutive(gap) and not _consecutive(pd.PeriodIndex([], freq="M"))


# --- X-13's tables, the fast path and the line-by-line one ---------------------------------------------------

@pytest.mark.parametrize("text", [
    "date\tseries.d11\n------\t-----\n201801\t+0.1000000000E+03\n201802\t99.5\n201803\t-1.25e-2\n",
    "lag\tacf\tse\tq\tdf\tp\n---\n1\t0.1\t0.1\t1.2\t1\t0.27\n2\t-0.2\t0.1\t3.4\t2\t0.18\n",
    "date\tseries.d11\n------\t-----\n201801\t1.0\n\n201802\t2.0\n   \n201803\t3.0\n",  # blank lines
    "date\tseries.d11\n------\t-----\n201801\t1.0\n201802\t2.0\t7\n201804\t3.0\n",  # ragged, a gap
    "date\tseries.d11\n------\t-----\n201801\t1.0\n201802\tn/a\n",  # not a number
    "date\tseries.d11\n",  # no rows
])
def test_issue16_tables_read_as_line_by_line(text: str) -> None:
    table = parse_table(text)
    lines = text.splitlines()
    if len(lines) < 2:
        assert table is None
        return
    assert table is not None
    rows = [line.split("\t") for line in lines[2:] if line.strip()]
    width = max((len(r) - 1 for r in rows), default=len(lines[0].split("\t")) - 1)

    def number(cell: str) -> float:
        try:
            return float(cell)
        except ValueError:
            return math.nan

    expected = np.array([[number(c) for c in (r[1:] + [""] * width)[:width]] for r in rows], dtype=float)
    assert table.keys == [r[0].strip() for r in rows]
    np.testing.assert_array_equal(table.values.reshape(len(rows), width), expected.reshape(len(rows), width))
    frame = table.frame()
    assert list(frame.columns)[:1] == [lines[0].split("\t")[1].strip()]
    if lines[0].startswith("date"):
        consecutive = [r[0] for r in rows] == [f"2018{m:02d}" for m in range(1, len(rows) + 1)]
        assert (table.start is not None) == consecutive
        assert [str(p) for p in frame.index] == [f"{r[0][:4]}-{r[0][4:]}" for r in rows]


# --- the split ------------------------------------------------------------------------------------------------

def test_issue16_adjust_keeps_its_public_names_and_modules_stay_small() -> None:
    from vnindustry.analysis.seasonal import adjust

    for name in ("MIN_MONTHS", "T_THRESHOLD", "TET_PVALUE", "PRESCREEN_KEEP", "TRANSFORM_AICC_DIFF",
                 "TET_MONTH_SHARE", "LJUNG_BOX_LAG", "Adjustment", "TetOption", "outlier_month", "prefer_tet",
                 "seas", "tet_months", "tet_usable"):
        assert hasattr(adjust, name), name
    folder = Path(adjust.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert max(sizes.values()) < 600, sizes


_WHERE_RUNS_GO = """
import os, sys, tempfile
import numpy as np, pandas as pd
made = []
original = tempfile.mkdtemp
def recording(*args, **kwargs):
    path = original(*args, **kwargs)
    made.append(path)
    return path
tempfile.mkdtemp = recording
if sys.argv[1] != "-":
    tempfile.tempdir = sys.argv[1]  # a program's own choice
from vnindustry.analysis.seasonal import seas, verify_binary
verify_binary()
tempfile.gettempdir()  # any library's first TemporaryDirectory() caches the system's default here
y = pd.Series(100 + 10 * np.sin(np.arange(48) * np.pi / 6) + np.arange(48),
              index=pd.period_range("2021-01", periods=48, freq="M"))
seas(y, tet=False, working_days=False, outliers=False, arima="(0 1 1)(0 1 1)", transform="log")
print("\\n".join(os.path.dirname(p) for p in made))
"""


def _run_folders(env: dict[str, str], chosen: str = "-") -> set[str]:
    done = subprocess.run([sys.executable, "-c", _WHERE_RUNS_GO, chosen], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(done.stdout.split())


@pytest.mark.skipif(not (Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK | os.X_OK)),
                    reason="no writable /dev/shm here")
def test_issue16_x13_runs_in_memory_after_the_default_temp_folder_was_cached(tmp_path: Path) -> None:
    """Regression (issue 16): checking the binary made a TemporaryDirectory() without ``dir``, whose
    ``gettempdir()`` stores the system's default (/tmp) in ``tempfile.tempdir``; work_root() read that as the
    user's choice, so every X-13 run of every process went to the disk (the frozen re-run of the demo city:
    X-13's system time ×10, wall ×2). The default cached is not a choice; TMPDIR and a program's own
    ``tempfile.tempdir`` still are."""
    env = {k: v for k, v in os.environ.items() if k not in ("TMPDIR", "TEMP", "TMP")}
    assert _run_folders(env) == {"/dev/shm"}
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    assert _run_folders({**env, "TMPDIR": str(chosen)}) == {str(chosen)}
    assert _run_folders(env, str(chosen)) == {str(chosen)}
