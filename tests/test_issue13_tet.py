"""Issue 13, item 2: a Tết adjustment that recovers the Tết effect the demo city planted.

Tolerance. On the demo city the calendar-adjusted (CA) and seasonally adjusted (SA) January and February
values must be within ±2% of the city without the year's own Tết, for every year 2018–2025:

* CA against the city generated with the *typical* Tết (each calendar month's average effect): the Tết
  regressors are centred by calendar month (genhol's ``center=calendar``), so calendar adjustment removes
  how this year's Tết differs from the usual one and keeps the usual one in the seasonal pattern;
* SA against X-13's SA of that same typical-Tết city with the same spec less the Tết regressors (the
  seasonal filters then see the same data but for the Tết effect).

Why ±2%: the effect to remove is 10–25% of a January or February (the planted Tết moves 15–30% of
output between the two months); the IIP total's irregular is about 1% a month, so the Tết coefficients,
estimated from eight Tết dates, are known to about 1% — 2% is twice that, and an order of magnitude below
the error the issue reported (SA January 2025 at 102,9 for a trend of ≈131, −21%).

A small division is noisier: the Tết effect of a series is estimated from its own eight Januaries and
Februaries, so it cannot be known better than the series' irregular allows. The tolerance of a series is
therefore ±2% or 1,2 times its irregular's standard deviation (100·log(SA/trend) of the reference
adjustment, which holds no Tết), whichever is larger — about the largest of 16 errors of a coefficient
estimated from 8 years. Measured (max |error| CA / SA; irregular sd): total 1,0 / 0,9 (1,4); garments (14)
0,9 / 1,4 (3,3); beverages (11) 5,3 / 5,2 (5,1: X-13 prefers the additive model here; 2,9 under the log);
electricity (35) 2,1 / 1,9 (2,7: only the holiday window is significant, the shallow rush and restart drop).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from vnindustry.analysis.indicators import monthly_indicators
from vnindustry.analysis.seasonal import TetWindow, X13Error, batch, seas, tet_regressor, tet_usable
from vnindustry.analysis.seasonal.adjust import outlier_month, prefer_tet, tet_months
from vnindustry.analysis.seasonal.stored import TET_FACTOR, tet_rate_usable
from vnindustry.cli import app
from vnindustry.demo.city import TET_WINDOWS, generate_city, tet_factors
from vnindustry.store.repository import open_store

TOLERANCE_PCT = 2.0
IRREGULARS = 1.2  # a noisy series' tolerance in standard deviations of its irregular (see the docstring)
WINDOWS = (TetWindow("before", -14, -1), TetWindow("during", 0, 6), TetWindow("after", 7, 20))
BETAS = (0.05, -0.25, -0.10)


def synthetic(seed: int, *, years: int = 12, deeper: str | None = None, shock: tuple[str, float] | None = None,
              tet: bool = True) -> pd.Series:
    """A log-additive monthly series: trend, seasonality, noise 1,5% and (``tet``) a Tết effect; ``deeper``
    makes one month's Tết effect 1.8 times as deep, ``shock`` adds a log shock to one month."""
    rng = np.random.default_rng(seed)
    index = pd.period_range("2014-01", periods=12 * years, freq="M")
    pattern = np.array([0.0, -0.03, 0.02, 0.0, 0.03, 0.01, -0.02, -0.01, 0.0, 0.01, 0.03, 0.06])
    log_y = (4.6 + np.cumsum(rng.normal(0.005, 0.006, len(index))) + np.tile(pattern, years)
             + rng.normal(0, 0.015, len(index)))
    if tet:
        effect = sum(b * tet_regressor(w, index).to_numpy() for w, b in zip(WINDOWS, BETAS, strict=True))
        if deeper is not None:
            effect[index.get_loc(pd.Period(deeper, freq="M"))] *= 1.8
        log_y = log_y + effect
    if shock is not None:
        log_y[index.get_loc(pd.Period(shock[0], freq="M"))] += shock[1]
    return pd.Series(np.exp(log_y), index=index, name="synthetic")


# --- the generator's own Tết ------------------------------------------------------------------------------

def test_the_planted_tet_is_split_by_days():
    # Tết 2025 fell on 29 January: the rush [-14,-1] (15–28 January) is all January's, the holiday [0,6]
    # is 3 days in January and 4 in February, the restart [7,20] (5–18 February) all February's.
    # The "mfg" profile's holiday factor is 0.78 and its rush 1.03.
    jan, feb, mar = tet_factors("mfg", ["2025-01", "2025-02", "2025-03"])
    assert jan == pytest.approx(1.03 * 0.78 ** (3 / 7))
    assert feb == pytest.approx(0.78 ** (4 / 7) * 0.78 ** 0.5)
    assert mar == pytest.approx(1.0)
    # Tết 2024 fell on 10 February: January has 4 rush days of 14 (27–31 January … 9 February: 5 days).
    assert tet_factors("mfg", ["2024-01"])[0] == pytest.approx(1.03 ** (5 / 14))
    assert (tet_factors("mfg", ["2025-01", "2025-06"], "none") == 1.0).all()
    # The typical effect: each calendar month's mean over the centring span, the same every year.
    typical = tet_factors("mfg", ["2019-01", "2024-01", "2019-07"], "typical")
    assert typical[0] == pytest.approx(typical[1]) and typical[2] == pytest.approx(1.0)
    assert [w.name for w in TET_WINDOWS] == ["rush", "holiday", "restart"]
    with pytest.raises(ValueError, match="profile"):
        tet_factors("nope", ["2025-01"])


def test_the_variants_differ_by_tet_only(tmp_path: Path):
    kw = {"start": "2019-01", "end": "2021-12", "n_enterprises": 200}
    planted = generate_city(tmp_path / "p", **kw)
    none = generate_city(tmp_path / "n", tet="none", **kw)
    for name in ("products.csv", "industries.csv", "enterprises.csv"):
        assert (planted / name).read_bytes() == (none / name).read_bytes(), name
    a, b = (pd.read_csv(f / "production.csv", dtype=str) for f in (planted, none))
    assert len(a) == len(b)
    # Months Tết never reaches (April–November) are byte-identical; January and February are not.
    months = a["period"].str[5:]
    quiet = months.between("04", "11")
    assert (a.loc[quiet, "quantity"] == b.loc[quiet, "quantity"]).all()
    assert (a.loc[months == "02", "quantity"] != b.loc[months == "02", "quantity"]).mean() > 0.5
    with pytest.raises(ValueError, match="tet must be"):
        generate_city(tmp_path / "x", tet="sometimes", **kw)  # type: ignore[arg-type]


# --- outliers versus the Tết regressors --------------------------------------------------------------------

def test_the_rule_prefers_a_significant_regressor_moving_the_same_way():
    assert prefer_tet(-0.15, -0.18, 20.0)  # both down: Tết explains the month
    assert not prefer_tet(0.12, -0.01, 20.0)  # the month is up while Tết pulls it down: a shock of its own
    assert not prefer_tet(-0.15, -0.18, 1.5)  # the regressors are not significant: keep the outlier
    assert not prefer_tet(math.nan, -0.18, 20.0)
    assert outlier_month("AO2025.Jan") == pd.Period("2025-01", freq="M")
    assert outlier_month("LS2021.Jul") == pd.Period("2021-07", freq="M") and outlier_month("const") is None
    months = tet_months(WINDOWS, pd.period_range("2024-01", "2025-12", freq="M"))
    assert {str(m) for m in months} <= {"2024-01", "2024-02", "2024-03", "2025-01", "2025-02", "2025-03"}
    assert {"2024-02", "2025-01"} <= {str(m) for m in months}



def test_issue16_tet_months_from_the_runs_regressors_are_tet_months():
    # Identification takes the months from the regressors its X-13 runs use (cached per span) instead of
    # computing them again; they must be tet_months' for any span and windows.
    from vnindustry.analysis.seasonal.identify import months_moved
    from vnindustry.analysis.seasonal.regressors import CENTRE_SPAN, DEFAULT_WINDOWS, candidate_windows
    from vnindustry.analysis.seasonal.runs import Inputs

    windows_sets = [tuple(WINDOWS), tuple(DEFAULT_WINDOWS), *(tuple(c) for c in candidate_windows()[:6])]
    for start, months in (("2010-01", 192), ("2015-01", 130), ("2018-01", 96), ("2021-07", 40)):
        index = pd.period_range(start, periods=months, freq="M")
        y = pd.Series(np.linspace(100, 200, months), index=index)
        for centre in (CENTRE_SPAN, (2012, 2020)):
            inputs = Inputs(y, 12, centre, True)
            for windows in windows_sets:
                expected = tet_months(windows, index, centre_span=centre)
                assert months_moved(inputs.matrix(windows), index) == expected
                assert expected or not windows

def test_an_outlier_at_a_tet_month_gives_way_to_the_regressor():
    # Tết 2020 (25 January) made 1.8 times as deep: X-13's outlier search puts an AO on January 2020,
    # which the Tết regressors, refitted without it, explain (same direction, |t| ≈ 20): it goes.
    result = seas(synthetic(0, deeper="2020-01"))
    decisions = result.diagnostics["selection"]["tet_outliers"]
    assert [(d["outlier"], d["kept"]) for d in decisions] == [("AO2020.Jan", False)]
    assert "AO2020.Jan" not in result.spec.outliers and tet_usable(result)
    # A month far *above* what Tết leaves (February 2021, Tết on 12 February) is a shock of its own: kept.
    shocked = seas(synthetic(0, shock=("2021-02", 0.15)))
    assert "AO2021.Feb" in shocked.spec.outliers
    assert [d["kept"] for d in shocked.diagnostics["selection"]["tet_outliers"]] == [True]


def test_a_series_without_tet_is_marked_so():
    result = seas(synthetic(1, tet=False))
    assert not tet_usable(result)
    assert "no Tết effect" in result.diagnostics["tet"]["reason"]
    assert tet_usable(seas(synthetic(1)))


# --- fallbacks and the CLI ----------------------------------------------------------------------------------

def test_a_failed_identification_falls_back_to_the_airline_model(monkeypatch):
    real = batch.seas

    def failing(x, **options):
        if options.get("arima", "auto") == "auto":
            raise X13Error(["ERROR: Estimation failed to converge -- maximum iterations reached"])
        return real(x, **options)

    monkeypatch.setattr(batch, "seas", failing)
    _, result = batch._adjust("s", synthetic(2), {})
    assert not isinstance(result, Exception)
    assert result.spec.arima == batch.FALLBACK_ARIMA and result.spec.outliers == ()
    assert "airline model" in result.diagnostics["fallback"] and "did not converge" in result.diagnostics["fallback"]
    assert batch.reason_in_words(X13Error(["ERROR: Regression matrix singular because of LS2021.Jul."])) == (
        "the regressors cannot be told apart in this series (singular regression matrix)")
    _, short = batch._adjust("s", synthetic(2).iloc[:30], {})
    assert isinstance(short, ValueError) and "36" in batch.reason_in_words(short)


def _records(key: str, series: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({
        "table": "iip", "series": f"Chỉ số {key}", "code": key, "unit": "%", "period": [str(p) for p in series.index],
        "measure": "level", "value": series.to_numpy(), "status": "actual", "sheet": "", "cell": "",
        "kind": "industry", "level": pd.array([1] * len(series), dtype="Int64"), "parent": ""})


@pytest.mark.slow
def test_the_bulletin_prints_no_tet_rate_where_tet_was_not_separated(tmp_path: Path):
    import datetime as dt

    from vnindustry.publish.bulletin import tet_sentence

    url = f"sqlite:///{tmp_path / 's.db'}"
    store = open_store(url)
    with_tet, without = synthetic(3), synthetic(4, tet=False)
    records = pd.concat([_records("WITH", with_tet), _records("WITHOUT", without)], ignore_index=True)
    store.import_records(records, source="test", file="synthetic.csv", checksum="issue13-tet",
                         released_on=dt.date(2026, 1, 1))
    res = CliRunner().invoke(app, ["adjust", "--db", url, "--all", "--workers", "1"])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert "Adjusting 2 series on 1 process" in said and "2/2 series (100%)" in said
    assert "Adjusted 2 of 2 series" in said
    assert "Tết effect not separated (no Tết-adjusted rate is printed for these): 1 series" in said
    assert "test/iip/WITHOUT" in said and "ERROR" not in said
    factors = store.observations(source="test", measure=TET_FACTOR)
    assert set(factors["key"]) == {"test/iip/WITH~calendar_adjusted"}
    period = str(with_tet.index[-12])  # a January
    assert period.endswith("-01")
    view = monthly_indicators(store, period, "test").table("iip")
    assert view is not None
    assert tet_rate_usable(view.rows, "WITH") and not tet_rate_usable(view.rows, "WITHOUT")
    lines = {line.code: line for line in view.lines()}
    text = tet_sentence(view, lines["WITH"], period, "chỉ số", "the index", "vi")
    assert text is not None and text.startswith("Loại trừ yếu tố Tết, chỉ số tháng 1/")
    assert tet_sentence(view, lines["WITHOUT"], period, "chỉ số", "the index", "vi") is None


# --- the demo city ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    from vnindustry.demo.tet_effect import city_without_tet

    return city_without_tet(("TOTAL", "14", "11", "35"), folder=tmp_path_factory.mktemp("tet"))


@pytest.mark.slow
@pytest.mark.parametrize("code", ["TOTAL", "14", "11", "35"])
def test_the_demo_city_tet_is_recovered(truth: pd.DataFrame, code: str):
    rows = truth[truth["code"] == code]
    index = pd.PeriodIndex(rows["period"], freq="M")
    planted, typical = (pd.Series(rows[c].to_numpy(), index=index) for c in ("planted", "typical"))
    result = seas(planted)
    assert tet_usable(result)
    # The aggregates are multiplicative; on beverages the additive model wins by AICc (see the docstring).
    assert result.spec.transform == "log" or code == "11"
    reference = seas(typical, spec=replace(result.spec, tet_windows=()))
    january_february = index.month.isin([1, 2])
    ca = 100 * (result.calendar_adjusted.to_numpy() / typical.to_numpy() - 1)[january_february]
    sa = 100 * (result.seasonally_adjusted.to_numpy() / reference.seasonally_adjusted.to_numpy() - 1)[
        january_february]
    assert len(ca) == 16  # every January and February 2018–2025
    irregular = float(np.std(100 * np.log(reference.seasonally_adjusted.to_numpy() / reference.trend.to_numpy())))
    tolerance = max(TOLERANCE_PCT, IRREGULARS * irregular)
    assert np.abs(ca).max() < tolerance, (ca.round(2), tolerance)
    assert np.abs(sa).max() < tolerance, (sa.round(2), tolerance)
    # The Tết-adjusted rates a bulletin quotes (on a year earlier) are within the same tolerance of the truth's
    # (in points; a rate compares two adjusted months, so twice the error of one at most).
    yoy = 100 * (result.calendar_adjusted / result.calendar_adjusted.shift(12) - 1)
    true_yoy = 100 * (typical / typical.shift(12) - 1)
    rate_tolerance = tolerance if tolerance == TOLERANCE_PCT else 2 * tolerance
    assert (yoy - true_yoy)[january_february].abs().max() < rate_tolerance
    # No outlier absorbs a Tết month: any left at one was tested against the regressors and kept.
    months = tet_months(result.spec.tet_windows, index)
    tested = {d["outlier"]: d["kept"] for d in result.diagnostics["selection"].get("tet_outliers", [])}
    for name in result.spec.outliers:
        if outlier_month(name) in months:
            assert tested.get(name) is True, name


def test_issue13_stored_adjustment_words_in_both_languages() -> None:
    """The stored Tết factor and the adjusted series have names in both languages, and the English ones are
    English ("Tet", as GSO's English releases write it): an English page never falls back to the code or to
    Vietnamese."""
    import re

    from vnindustry.analysis.seasonal.stored import ADJUSTED, TET_FACTOR
    from vnindustry.web.labels import measure_name

    assert measure_name(TET_FACTOR, "vi") == "Hệ số Tết (lịch)"
    assert measure_name(TET_FACTOR, "en") == "Tet factor (calendar)"
    vietnamese = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
    for kind, (vi, en) in ADJUSTED.items():
        assert vi and en and not vietnamese.search(en), (kind, en)
