"""Issue 16, item 2: X-13 runs with ``-n`` (no tables in its ``.out`` listing, which nothing reads) — a third less of
its processor time on a published run — and what is read back is what the listing's run gives.

Compared, each run with and without the flag: every figure of ``seas`` (identification and frozen spec) and of the
frozen batches ``adjust --all`` runs, the specs, the diagnostics (X-13's warnings about spectra aside: without the
listing it says nothing of peaks in the regARIMA residuals' spectrum, which the ``.udg`` still holds), and at the
level of one X-13 run every saved table, estimate and ``.udg`` entry but the ACF of the squared residuals, which
X-13 computes only to print it.
"""

from __future__ import annotations

import subprocess
from typing import Any

import numpy as np
import pandas as pd
import pytest

from builders import same
from vnindustry.analysis.seasonal import Adjustment, TetWindow, adjust_many, seas, tet_regressor, x13
from vnindustry.analysis.seasonal.runs import frozen_run

FIELDS = ("original", "calendar_adjusted", "seasonally_adjusted", "trend", "irregular", "seasonal_factors",
          "tet_factors", "working_day_factors")
LISTING = ("-s",)  # the flags before issue 16's change: the tables printed


def series(seed: int, *, years: int, tet: float, shift: bool = False) -> pd.Series:
    """A log-additive monthly series ending in 2025: trend, seasonality, a Tết effect, noise; a level shift."""
    rng = np.random.default_rng(seed)
    index = pd.period_range(end="2025-12", periods=12 * years, freq="M")
    pattern = rng.normal(0, 0.04, 12)
    log_y = (4.6 + np.cumsum(rng.normal(0.004, 0.008, len(index))) + np.tile(pattern - pattern.mean(), years)
             + rng.normal(0, 0.02, len(index)))
    log_y += tet * tet_regressor(TetWindow("during", 0, 6), index).to_numpy()
    if shift:
        log_y[len(index) // 2:] += 0.15
    return pd.Series(np.exp(log_y), index=index)


@pytest.fixture(scope="module")
def several() -> dict[str, pd.Series]:
    return {"A": series(1, years=12, tet=-0.15), "B": series(2, years=8, tet=0.0, shift=True),
            "C": series(3, years=14, tet=0.12), "D": series(4, years=6, tet=-0.2)}


def _without_warnings(diagnostics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in diagnostics.items() if k != "warnings"}


def _spectral(message: str) -> bool:
    """A warning about a spectrum: the only warnings that differ without the listing."""
    return "spectrum" in message or "spectra" in message



def assert_same_adjustment(a: Adjustment, b: Adjustment) -> None:
    for name in FIELDS:
        pd.testing.assert_series_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.spec == b.spec
    assert same(_without_warnings(a.diagnostics), _without_warnings(b.diagnostics))
    assert [m for m in a.diagnostics["warnings"] if not _spectral(m)] == [
        m for m in b.diagnostics["warnings"] if not _spectral(m)]


def test_regression_issue16_every_x13_run_is_without_the_listing(several: dict[str, pd.Series],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    commands: list[list[str]] = []
    real = subprocess.run

    def spy(command: list[str], *args: Any, **kwargs: Any) -> Any:
        commands.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(x13.subprocess, "run", spy)
    adjustment = seas(several["A"])
    seas(several["A"], spec=adjustment.spec)
    runs = [c for c in commands if len(c) > 1]  # the binary's check runs it without arguments
    assert len(runs) >= 3
    assert all(c[-2:] == ["-s", "-n"] for c in runs), runs


def test_regression_issue16_seas_gives_without_the_listing_what_it_gave_with_it(
        several: dict[str, pd.Series], monkeypatch: pytest.MonkeyPatch) -> None:
    now = {k: seas(v) for k, v in several.items()}
    frozen_now = adjust_many(several, workers=2, specs={k: a.spec for k, a in now.items()})
    monkeypatch.setattr(x13, "RUN_FLAGS", LISTING)
    before = {k: seas(v) for k, v in several.items()}
    frozen_before = adjust_many(several, workers=2, specs={k: a.spec for k, a in before.items()})
    for key in several:
        assert_same_adjustment(now[key], before[key])
        assert isinstance(frozen_now[key], Adjustment) and isinstance(frozen_before[key], Adjustment)
        assert_same_adjustment(frozen_now[key], frozen_before[key])


def test_regression_issue16_one_run_reads_back_the_same_without_the_listing(
        several: dict[str, pd.Series], monkeypatch: pytest.MonkeyPatch) -> None:
    spec = seas(several["C"]).spec
    assert spec is not None
    text, files = frozen_run(several["C"], spec)
    quiet = x13.run_spec(text, files)
    monkeypatch.setattr(x13, "RUN_FLAGS", LISTING)
    listed = x13.run_spec(text, files)
    assert quiet.tables.keys() == listed.tables.keys() and len(quiet.tables) >= 6
    for name in quiet.tables:
        pd.testing.assert_frame_equal(quiet.tables[name], listed.tables[name], check_exact=True)
    assert quiet.estimates == listed.estimates and quiet.estimates
    assert quiet.model == listed.model
    only_printed = {k for k in listed.udg if k.startswith("acf2q")}
    assert only_printed  # 14 years of residuals: X-13 prints their squares' ACF, and computes it only then
    times = {"date", "time"}
    assert {k: v for k, v in quiet.udg.items() if k not in times} == {
        k: v for k, v in listed.udg.items() if k not in times | only_printed}


def test_regression_issue16_x13s_errors_are_the_same_without_the_listing(
        several: dict[str, pd.Series], monkeypatch: pytest.MonkeyPatch) -> None:
    """A spec X-13 refuses gives the same error paragraphs, alone and in a batch beside a good spec."""
    spec = seas(several["B"]).spec
    assert spec is not None
    good, files = frozen_run(several["B"], spec)
    outside = good.replace("estimate{", "regression{ variables=(AO1990.Jan) }\nestimate{", 1)  # before the series
    too_long = good.replace('title="vnindustry"', 'title="' + "x" * 140 + '"', 1)  # a line over 132 characters

    def outcome() -> list[object]:
        out: list[object] = []
        for bad in (outside, too_long):
            alone = x13.run_specs({"bad": bad}, files)["bad"]
            batch = x13.run_specs({"good": good, "bad": bad}, files)
            assert isinstance(batch["good"], x13.X13Output)
            out += [alone.messages if isinstance(alone, x13.X13Error) else alone,
                    batch["bad"].messages if isinstance(batch["bad"], x13.X13Error) else batch["bad"]]
        return out

    quiet = outcome()
    monkeypatch.setattr(x13, "RUN_FLAGS", LISTING)
    listed = outcome()
    assert all(isinstance(m, list) and m for m in quiet), quiet  # each refused, with X-13's words
    assert quiet == listed
