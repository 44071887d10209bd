"""Issue 16, item 2: the first identification of many series, the X-13 runs of many series in one process.

``adjust_many`` (and ``adjust --all``) advance the series to identify step by step (``seas_steps``) and run
the X-13 runs that several series wait for in one X-13 process (analysis/seasonal/stepped.py). What these
tests hold:

- each series' result is, number for number and in its diagnostics, what ``seas`` gives it alone — with far
  fewer X-13 processes than runs;
- a batch whose process fails runs each request again alone, and the results are still ``seas``'s;
- a spec X-13 refuses in a batch fails as it does alone (the same error, naming the same spec), and the
  fallback that follows is the serial path's;
- a request's specs in a batch differ from the spec alone only in the files they name;
- ``drive(seas_steps(x))`` is ``seas(x)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from test_issue16_adjust import AIRLINE, assert_identical, synthetic
from vnindustry.analysis.seasonal import TetWindow, adjust_many, batch, seas, stepped
from vnindustry.analysis.seasonal import spec as spec_module
from vnindustry.analysis.seasonal.adjust import seas_steps
from vnindustry.analysis.seasonal.regressors import CENTRE_SPAN
from vnindustry.analysis.seasonal.runs import Inputs, Model, Request, drive, regarima_request
from vnindustry.analysis.seasonal.x13 import X13Error


@pytest.fixture(scope="module")
def six() -> dict[str, pd.Series]:
    series = {f"S{i}": synthetic(10 + i, years=(8, 5, 10, 4, 8, 6)[i], tet=(-0.15, 0.0, 0.1, -0.2, 0.05, 0.0)[i])
              for i in range(6)}
    shock = series["S0"].copy()
    shock.iloc[40] *= 1.4  # an outlier for the outlier search and the Tết comparison
    series["S0"] = shock
    additive = series["S4"] - series["S4"].iloc[10]  # a value of 0: the additive model only
    series["S4"] = additive
    series["short"] = synthetic(3).iloc[:30]
    return series


@pytest.fixture(scope="module")
def alone(six: dict[str, pd.Series]) -> dict[str, Any]:
    return {k: batch._adjust(k, v, {})[1] for k, v in six.items()}


def _same_result(a: Any, b: Any) -> None:
    if isinstance(b, Exception):
        assert type(a) is type(b) and str(a) == str(b)
        return
    assert_identical(a, b)


def _counting(monkeypatch: pytest.MonkeyPatch, fail_batches: bool = False) -> list[int]:
    """Count the X-13 processes the batches start (the specs of each), failing those of several requests."""
    calls: list[int] = []
    real = stepped.run_specs

    def run_specs(specs: dict[str, str], files: Any = None, **kwargs: Any) -> Any:
        calls.append(len(specs))
        if fail_batches and len({name.split("_", 1)[0] for name in specs if name.startswith("q")}) > 1:
            raise X13Error(["exit status 139"], name=",".join(specs))
        return real(specs, files, **kwargs)

    monkeypatch.setattr(stepped, "run_specs", run_specs)
    return calls


def test_issue16_batched_identification_equals_seas_alone(six: dict[str, pd.Series], alone: dict[str, Any],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    seen: list[tuple[int, int]] = []
    result = adjust_many(six, workers=2, progress=lambda done, total, key: seen.append((done, total)))
    assert list(result) == list(six)
    for key in six:
        _same_result(result[key], alone[key])
    assert isinstance(result["short"], ValueError) and result["S4"].spec.transform == "none"
    assert result["S0"].diagnostics["selection"]["identification"]["outliers"]
    runs = sum(r.diagnostics["selection"]["runs"] for r in result.values() if not isinstance(r, Exception))
    # Alone, each run is a process; batched, the runs of several series share one.
    assert 0 < len(calls) < runs and sum(calls) > len(calls)
    assert sorted(seen) == [(i, 7) for i in range(1, 8)]


def test_issue16_a_failed_batch_runs_each_request_alone(six: dict[str, pd.Series], alone: dict[str, Any],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, fail_batches=True)
    result = adjust_many(six, workers=2)
    for key in six:
        _same_result(result[key], alone[key])
    assert any(n > 2 for n in calls), "no batch of several requests was tried"


def test_issue16_a_refused_spec_in_a_batch_fails_as_alone(six: dict[str, pd.Series]) -> None:
    # The same window twice: X-13 refuses the regression, in identification and in the fallback.
    twice = [TetWindow("during", 0, 6), TetWindow("during", 0, 6)]
    series = {k: six[k] for k in ("S0", "S1", "S2")}
    expected = {k: batch._adjust(k, v, {"tet": twice})[1] for k, v in series.items()}
    assert all(isinstance(e, X13Error) for e in expected.values())
    result = adjust_many(series, workers=2, tet=twice)
    for key in series:
        assert type(result[key]) is X13Error
        assert (result[key].messages, result[key].name, result[key].spec) == (
            expected[key].messages, expected[key].name, expected[key].spec)


def test_issue16_a_fallback_in_the_batches_is_the_serial_one(six: dict[str, pd.Series],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # automdl given an option X-13 does not know: identification fails, alone and in a batch, and the
    # airline model without outlier search is the fallback, noted with the reason.
    monkeypatch.setitem(spec_module.AUTOMDL, "auto", "automdl{ acceptdefault=yes nosuchoption=yes }")
    series = {k: six[k] for k in ("S0", "S2", "S5")}
    expected = {k: batch._adjust(k, v, {})[1] for k, v in series.items()}
    assert all("airline" in e.diagnostics["fallback"] for e in expected.values())
    result = adjust_many(series, workers=2)
    for key in series:
        _same_result(result[key], expected[key])


def test_issue16_a_request_in_a_batch_differs_only_in_the_files_it_names(six: dict[str, pd.Series]) -> None:
    inputs = Inputs(six["S0"], 12, CENTRE_SPAN, True)
    model = Model("log", "auto", (TetWindow("during", 0, 6),), True, (), True)
    request = regarima_request(inputs, {"tlog": model, "tnone": Model("none", "auto", (), False, ("AO2020.Apr",))})
    assert request.heavy and not regarima_request(inputs, {"m": Model("log", AIRLINE, (), False)}).heavy
    specs, files = request.prefixed("q007_")
    assert set(specs) == {"q007_tlog", "q007_tnone"} and set(files) == {f"q007_{n}" for n in request.files}
    for name, text in request.specs.items():
        prefixed = specs[f"q007_{name}"].splitlines()
        lines = text.splitlines()
        assert len(prefixed) == len(lines)
        for line, new in zip(lines, prefixed, strict=True):
            assert new == line or (new == line.replace('file="', 'file="q007_') and "file=" in line)
    assert all(files[f"q007_{n}"] == t for n, t in request.files.items())
    assert Request({"a": 'x file="d.dat"'}, {}).prefixed("p_") == ({"p_a": 'x file="p_d.dat"'}, {})


def test_issue16_driving_the_steps_is_seas() -> None:
    y = synthetic(21, years=6)
    assert_identical(drive(seas_steps(y)), seas(y))
    assert np.isfinite(seas(y).seasonally_adjusted.to_numpy()).all()


def _heavy_processes(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[list[str]]:
    """The spec names of each X-13 process started from ``module`` that holds a run that identifies."""
    processes: list[list[str]] = []
    real = module.run_specs

    def run_specs(specs: dict[str, str], files: Any = None, **kwargs: Any) -> Any:
        if any("automdl" in text or "outlier{" in text for text in specs.values()):
            processes.append(list(specs))
        return real(specs, files, **kwargs)

    monkeypatch.setattr(module, "run_specs", run_specs)
    return processes


def test_issue16_a_request_that_identifies_runs_once_in_its_own_process(six: dict[str, pd.Series],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # X-13 refuses the regression of every run here, the identifying ones included: in a batch each refused
    # request had to run again alone (its error as seas has it), which for automdl and the outlier search
    # doubled seconds of X-13's work. Now such a request has a process of its own, as seas gives it.
    twice = [TetWindow("during", 0, 6), TetWindow("during", 0, 6)]
    series = {k: six[k] for k in ("S0", "S1", "S2", "S5")}
    from vnindustry.analysis.seasonal import runs

    alone_processes = _heavy_processes(monkeypatch, runs)
    expected = {k: batch._adjust(k, v, {"tet": twice})[1] for k, v in series.items()}
    batched_processes = _heavy_processes(monkeypatch, stepped)
    result = adjust_many(series, workers=2, tet=twice)
    for key in series:
        _same_result(result[key], expected[key])
    assert len(alone_processes) == len(series)
    assert sorted(map(sorted, batched_processes)) == sorted(map(sorted, alone_processes))
