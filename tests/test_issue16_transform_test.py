"""Issue 16, item 2: ``transform_test="airline"`` — the cheaper first identification, an opt-in change of method.

``seas(x, transform="auto")`` identifies an ARIMA model and outliers under both transforms and compares them
(issue 13's method, ``transform_test="identified"``, the default). With ``"airline"`` the transforms are compared
on the airline model the same way, and automdl with its outlier search then runs under the chosen transform only.
What these tests hold:

- the default is unchanged, and the option is recorded in the selection;
- the airline test runs the airline comparison, then one identification under the chosen transform, and that
  identification is what a run with the transform given would identify;
- with a given ARIMA model the two tests are the same run;
- the batched path (``adjust_many``) gives what ``seas`` gives alone; a wrong value is refused, in words, by
  ``seas`` and by the command line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from test_issue16_adjust import AIRLINE, assert_identical, synthetic
from vnindustry.analysis.seasonal import adjust_many, seas
from vnindustry.cli import app


@pytest.fixture(scope="module")
def three() -> dict[str, pd.Series]:
    series = {f"S{i}": synthetic(30 + i, years=(8, 6, 9)[i], tet=(-0.15, 0.0, 0.1)[i]) for i in range(3)}
    shock = series["S1"].copy()
    shock.iloc[30] *= 1.35  # an outlier for the searches
    series["S1"] = shock
    return series


def test_issue16_the_default_is_issue_13s_test(three: dict[str, pd.Series]) -> None:
    y = three["S0"]
    default = seas(y)
    assert default.diagnostics["selection"]["transform_test"] == "identified"
    assert_identical(default, seas(y, transform_test="identified"))


def test_issue16_the_airline_test_compares_on_the_airline_model_then_identifies_once(
        three: dict[str, pd.Series]) -> None:
    models = set()
    for y in three.values():
        for arima in ("auto", "search"):
            airline = seas(y, arima=arima, transform_test="airline")
            selection = airline.diagnostics["selection"]
            assert selection["transform_test"] == "airline"
            chosen = airline.spec.transform
            # Its comparison is the identified test's with the airline model given (the same AICc, the same choice).
            on_airline = seas(y, arima=AIRLINE).diagnostics["selection"]
            assert selection["transform_aicc"] == on_airline["transform_aicc"]
            assert chosen == on_airline["identification"]["transform"]
            # Then one identification under the chosen transform: what a run with that transform given identifies.
            given = seas(y, transform=chosen, arima=arima)
            assert selection["identification"] == given.diagnostics["selection"]["identification"]
            assert airline.spec == given.spec
            models.add(selection["identification"]["arima"])
    assert models - {AIRLINE}, "no series where the identification chose another model than the comparison's"


def test_issue16_the_airline_test_runs_automdl_once(three: dict[str, pd.Series], monkeypatch) -> None:
    """What the option is for: automdl (with its outlier search) runs under one transform, not both — at the
    price of one X-13 process more, the comparison on the airline model."""
    from vnindustry.analysis.seasonal import runs

    specs: list[str] = []
    real = runs.run_specs
    monkeypatch.setattr(runs, "run_specs", lambda s, *a, **k: specs.extend(s.values()) or real(s, *a, **k))

    def automdl_runs(**options: object) -> tuple[int, int]:
        specs.clear()
        result = seas(three["S1"], **options)
        return sum("automdl" in text for text in specs), result.diagnostics["selection"]["runs"]

    default_automdl, default_runs = automdl_runs()
    airline_automdl, airline_runs = automdl_runs(transform_test="airline")
    assert (default_automdl, airline_automdl) == (2, 1)
    assert airline_runs == default_runs + 1
    # The selection counts X-13 processes: as many as were run.
    specs.clear()
    processes = []
    monkeypatch.setattr(runs, "run_specs", lambda s, *a, **k: processes.append(1) or real(s, *a, **k))
    assert seas(three["S1"], transform_test="airline").diagnostics["selection"]["runs"] == len(processes)


def test_issue16_with_a_given_model_both_tests_are_the_same(three: dict[str, pd.Series]) -> None:
    y = three["S1"]
    a, b = seas(y, arima=AIRLINE), seas(y, arima=AIRLINE, transform_test="airline")
    assert a.spec == b.spec
    assert a.diagnostics["selection"] == b.diagnostics["selection"]  # the same runs, recorded as "identified"
    assert b.diagnostics["selection"]["transform_test"] == "identified"
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), check_exact=True)


def test_issue16_the_airline_test_batched_is_seas_alone(three: dict[str, pd.Series]) -> None:
    alone = {k: seas(v, transform_test="airline") for k, v in three.items()}
    batched = adjust_many(three, workers=2, transform_test="airline")
    for key in three:
        assert_identical(batched[key], alone[key])


def test_issue16_a_wrong_transform_test_is_refused(three: dict[str, pd.Series], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="transform_test must be 'identified' or 'airline', not 'fast'"):
        seas(three["S0"], transform_test="fast")  # type: ignore[arg-type]
    csv = tmp_path / "s.csv"
    y = three["S0"]
    csv.write_text("period,value\n" + "".join(f"{p},{v!r}\n" for p, v in zip(y.index.astype(str), y, strict=True)),
                   encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(app, ["adjust", str(csv), "--out", str(tmp_path / "o.csv"), "--transform-test", "fast"])
    assert done.exit_code != 0 and "use identified or airline" in done.output


def test_issue16_the_option_and_its_setting_reach_every_identification(three: dict[str, pd.Series], tmp_path: Path,
                                                                      monkeypatch) -> None:
    import vnindustry.analysis.seasonal as seasonal
    from test_issue16_adjust import make_store
    from vnindustry.analysis.seasonal import batch

    seen: list[object] = []
    real_seas, real_stream = seasonal.seas, batch.adjust_stream
    monkeypatch.setattr(seasonal, "seas", lambda *a, **k: seen.append(k.get("transform_test")) or real_seas(*a, **k))
    monkeypatch.setattr(batch, "adjust_stream",
                        lambda *a, **k: seen.append(k.get("transform_test")) or real_stream(*a, **k))
    csv = tmp_path / "s.csv"
    y = three["S0"]
    csv.write_text("period,value\n" + "".join(f"{p},{v!r}\n" for p, v in zip(y.index.astype(str), y, strict=True)),
                   encoding="utf-8")
    runner = CliRunner()
    out = ["--out", str(tmp_path / "o.csv")]
    assert runner.invoke(app, ["adjust", str(csv), *out]).exit_code == 0
    assert runner.invoke(app, ["adjust", str(csv), *out, "--transform-test", "airline"]).exit_code == 0
    monkeypatch.setenv("VNINDUSTRY_ADJUST_TRANSFORM_TEST", "airline")  # adopted once, for every later run
    assert runner.invoke(app, ["adjust", str(csv), *out]).exit_code == 0
    url = make_store(tmp_path, {"A": three["S0"], "B": three["S2"]})
    done = runner.invoke(app, ["adjust", "--db", url, "--all"])  # new series: identified, with the setting's test
    assert done.exit_code == 0, done.output
    assert seen == ["identified", "airline", "airline", "airline"]
    monkeypatch.setenv("VNINDUSTRY_ADJUST_TRANSFORM_TEST", "fast")
    done = runner.invoke(app, ["adjust", str(csv), *out])
    assert done.exit_code != 0 and "VNINDUSTRY_ADJUST_TRANSFORM_TEST" in done.output
