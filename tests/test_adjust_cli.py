"""vnindustry adjust: a CSV series, and every series of a store; Tết-adjusted rates in the bulletin."""

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vnindustry.analysis.indicators import monthly_indicators
from vnindustry.cli import app
from vnindustry.publish.bulletin import compose_bulletin
from vnindustry.publish.document import Paragraph
from vnindustry.sources.gso import read_history
from vnindustry.store import open_store
from vnindustry.store.gso import store_history

DATA = Path(__file__).parent / "data" / "gso"


@pytest.fixture(scope="module")
def history():
    return read_history(DATA / "csv")


@pytest.fixture(scope="module")
def exports_csv(history, tmp_path_factory):
    r = history.records
    rows = r[(r["table"] == "exports") & (r["code"] == "TOTAL") & (r["measure"] == "level")
             & (r["period"].str.len() == 7)]
    # The latest figure of each month (the history repeats a month when it was revised).
    series = rows.drop_duplicates("period", keep="last").sort_values("period")
    path = tmp_path_factory.mktemp("adj") / "exports.csv"
    series[["period", "value"]].to_csv(path, index=False)
    return path


def test_adjust_csv(exports_csv, tmp_path):
    out, spec = tmp_path / "out.csv", tmp_path / "spec.json"
    res = CliRunner().invoke(app, ["adjust", str(exports_csv), "--out", str(out), "--save-spec", str(spec)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    assert list(frame.columns[:5]) == ["period", "original", "calendar_adjusted", "seasonally_adjusted", "trend"]
    original = pd.read_csv(exports_csv)
    assert frame["original"].tolist() == pytest.approx(original["value"].tolist())
    assert json.loads(spec.read_text())["tet_windows"]  # Tết matters for Viet Nam's exports
    # The frozen spec reproduces the run.
    again = tmp_path / "again.csv"
    res = CliRunner().invoke(app, ["adjust", str(exports_csv), "--out", str(again), "--spec", str(spec)])
    assert res.exit_code == 0, res.output
    pd.testing.assert_frame_equal(pd.read_csv(again), frame)


def test_adjust_csv_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("period,value\n2024-01,10\n2024-02,abc\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["adjust", str(bad), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 1 and "bad.csv, line 3, column 'value'" in res.output
    gap = tmp_path / "gap.csv"
    gap.write_text("period,value\n2024-01,10\n2024-03,11\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["adjust", str(gap), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 1 and "month 2024-02 is missing" in res.output
    res = CliRunner().invoke(app, ["adjust"])
    assert res.exit_code == 2


@pytest.mark.slow
def test_adjust_store_and_bulletin(history, tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = open_store(url)
    keep = history.records["table"].isin(["exports", "retail"]) & history.records["code"].eq("TOTAL")
    subset = type(history)(history.records[keep], [], None, history.file, history.releases[keep], history.files)
    store_history(store, subset)
    runner = CliRunner()
    res = runner.invoke(app, ["adjust", "--db", url, "--all"])
    assert res.exit_code == 0, res.output
    assert "Adjusted 2 of 2 series" in res.output
    cat = store.catalogue()
    assert {"gso/exports/TOTAL~calendar_adjusted", "gso/exports/TOTAL~seasonally_adjusted",
            "gso/exports/TOTAL~trend"} <= set(cat["key"])
    # Second run: the frozen specs are re-used and the results are the same release.
    res = runner.invoke(app, ["adjust", "--db", url, "--all"])
    said = " ".join(res.output.split())  # Rich wraps long lines
    assert "2 frozen specs re-used" in said and "nothing changed" in said
    # January 2021: exports rose 50% on a year earlier because Tết fell in January 2020; the Tết-adjusted
    # rate is far smaller.
    bulletin = compose_bulletin(monthly_indicators(store, "2021-01", "gso"), "vi")
    text = " ".join(b.text for s in bulletin.sections for b in s.blocks if isinstance(b, Paragraph))
    assert "Loại trừ yếu tố Tết, kim ngạch xuất khẩu tháng 1/2021 tăng" in text
    ind = monthly_indicators(store, "2021-01", "gso").table("exports")
    raw, adjusted = ind.total().same_month_last_year, ind.adjusted("TOTAL").same_month_last_year
    assert raw > 40 and adjusted < raw - 15
    assert store.observations(as_of=dt.date(2021, 2, 1), keys=["gso/exports/TOTAL"]).shape[0] > 0
