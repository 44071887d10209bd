"""The Laspeyres quantity index of the PPI Manual's artificial data set (tests/data/ppi_manual/SOURCE.md)."""

import csv
from pathlib import Path

import pytest

import vnindustry
from vnindustry.cli import app

DATA = Path(__file__).parent / "data" / "ppi_manual"
PUBLISHED = [100, 102, 127, 172, 251]


def test_compile_reproduces_the_published_index():
    table = vnindustry.compile_iip(DATA)
    total = table[table["code"] == "TOTAL"]
    assert list(total["period"]) == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    assert list(total["index"]) == pytest.approx(PUBLISHED, abs=1e-9)
    # Cross-check with the manual's published price indices: V(t)/V(t1) = Paasche price × Laspeyres quantity.
    assert 1.3824 * total["index"].iloc[1] / 100 == pytest.approx(1.410, abs=5e-4)
    assert 0.7968 * total["index"].iloc[4] / 100 == pytest.approx(2.000, abs=5e-4)


def test_cli_compile_writes_the_index(tmp_path):
    from typer.testing import CliRunner

    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["compile", str(DATA), "--out", str(out)])
    assert res.exit_code == 0, res.output
    lines = (out / "iip.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("period,code,name_vi,index,mom_pct,yoy_pct,ytd_pct,ytd_prev_pct,contribution_pp,"
                               "imputed_share")
    # Read as CSV: the industries' Vietnamese names hold commas ("Công nghiệp chế biến, chế tạo"), so text is quoted.
    rows = list(csv.reader(lines))
    totals = [r for r in rows[1:] if r[1] == "TOTAL"]
    assert [float(r[3]) for r in totals] == pytest.approx(PUBLISHED, abs=1e-9)
    # No comparison with a month before the data: empty cells, never 0.
    assert totals[0][4:9] == ["", "", "", "", ""]
    assert {p.name for p in out.iterdir()} == {"iip.csv", "products.csv", "validation.csv", "imputed.csv",
                                               "compile.json"}


def test_compile_iip_is_the_table_of_compile_dataset():
    import pandas as pd

    pd.testing.assert_frame_equal(vnindustry.compile_iip(DATA), vnindustry.compile_dataset(DATA).table)
