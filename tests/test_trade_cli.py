"""vnindustry trade rca | concentration | pairs | complexity: end to end on a small CSV and on the OEC file;
bad input."""

import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vnindustry.analysis.trade import rca, read_flows_csv
from vnindustry.cli.trade import trade_app

OEC = Path(__file__).parent / "data" / "trade" / "oec-exports-by-hs-section.csv"

# 2020: A exports p 60, q 40 and B p 20, q 80 (as in test_trade_indices); into DEU A sends p 40, q 10 and
# B p 10, q 40. 2021: A alone exports crude oil 2709 and 8517; B 8517.
SMALL = """year,exporter,importer,product,value
2020,A,DEU,p,40
2020,A,DEU,q,10
2020,A,USA,p,20
2020,A,USA,q,30
2020,B,DEU,p,10
2020,B,DEU,q,40
2020,B,USA,p,10
2020,B,USA,q,40
"""


def run(*args: str):
    """``vnindustry trade ARGS``, through the sub-app itself (its registration is tested once, below)."""
    return CliRunner().invoke(trade_app, list(args))


def test_registered_as_vnindustry_trade(small, tmp_path):
    from vnindustry import cli

    assert any(group.name == "trade" for group in cli.app.registered_groups)
    out = tmp_path / "rca.csv"
    res = CliRunner().invoke(cli.app, ["trade", "rca", str(small), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert read_output(out).columns.tolist() == ["year", "exporter", "product", "rca"]


def read_output(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, like the project's other CSV outputs
    return pd.read_csv(io.StringIO(data.decode("utf-8-sig")), dtype={"product": str, "year": str})


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "flows.csv"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_rca_end_to_end(small, tmp_path):
    out = tmp_path / "rca.csv"
    res = run("rca", str(small), "--out", str(out))
    assert res.exit_code == 0, res.output
    table = read_output(out)
    assert table.columns.tolist() == ["year", "exporter", "product", "rca"]
    assert table.set_index(["exporter", "product"])["rca"].to_dict() == pytest.approx(
        {("A", "p"): 1.5, ("A", "q"): 2 / 3, ("B", "p"): 0.5, ("B", "q"): 4 / 3})
    # Unrounded: the float repr, which reads back to the very same numbers as the library computes.
    assert "1.4999999999999998" in out.read_text(encoding="utf-8-sig")
    assert table["rca"].tolist() == rca(read_flows_csv(small))["rca"].tolist()


def test_rca_in_market_and_other_indices(small, tmp_path):
    out = tmp_path / "eu.csv"
    assert run("rca", str(small), "--out", str(out), "--index", "market", "--market", "EU").exit_code == 0
    table = read_output(out)
    assert table.columns.tolist() == ["year", "exporter", "market", "product", "rca"]
    assert table["rca"].tolist() == pytest.approx([1.6, 0.4, 0.4, 1.6])  # test_trade_indices: by hand
    for index, column in (("symmetric", "symmetric_rca"), ("normalized", "normalized_rca"),
                          ("presence", "rca_presence"), ("market-share", "share")):
        res = run("rca", str(small), "--out", str(out), "--index", index)
        assert res.exit_code == 0, res.output
        table = read_output(out)
        assert table.columns[:4].tolist() == ["year", "exporter", "product", "rca"] and column in table.columns
    res = run("rca", str(small), "--out", str(out), "--index", "specialisation", "--market", "DEU")
    assert res.exit_code == 0, res.output
    table = read_output(out)
    assert table.columns.tolist() == ["year", "exporter", "market", "product", "rca", "es"]
    assert table["es"].tolist() == pytest.approx([1.2, 0.8, 0.4, 1.6])


def test_concentration_and_pairs(small, tmp_path):
    out = tmp_path / "hhi.csv"
    assert run("concentration", str(small), "--out", str(out)).exit_code == 0
    assert read_output(out).set_index("exporter")["hhi"].to_dict() == pytest.approx({"A": 0.52, "B": 0.68})
    assert run("pairs", str(small), "--out", str(out)).exit_code == 0
    assert read_output(out)["similarity"].tolist() == pytest.approx([60.0, 60.0])
    res = run("pairs", str(small), "--out", str(out), "--index", "complementarity")
    assert res.exit_code == 0, res.output
    # Importers DEU and USA (mirror imports); A's exports (0.6, 0.4) vs DEU's imports (0.5, 0.5): 100·(1 − 0.1)
    table = read_output(out).set_index(["exporter", "importer"])["complementarity"]
    assert table[("A", "DEU")] == pytest.approx(90.0)


def test_oec_file_reproduces_the_published_statistics(tmp_path):
    out = tmp_path / "oec.csv"
    res = run("rca", str(OEC), "--year", "2017", "--out", str(out))
    assert res.exit_code == 0, res.output
    table = read_output(out)
    assert len(table) == 226 * 21 and set(table["year"]) == {"2017"}
    animal = table.loc[table["product"] == "1", "rca"].describe()
    assert round(animal["mean"], 6) == 3.484895 and round(animal["max"], 6) == 47.724923
    wood = table.loc[table["product"] == "9", "rca"].describe()
    assert round(wood["std"], 6) == 6.469812 and round(wood["50%"], 6) == 0.267903


def test_exclude_crude_oil(tmp_path):
    path = tmp_path / "hs.csv"
    path.write_text("year,exporter,product,value\n2021,A,2709,100\n2021,A,8517,50\n2021,B,8517,50\n"
                    "2021,B,0801,50\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    res = run("rca", str(path), "--out", str(out), "--exclude-crude-oil")
    assert res.exit_code == 0, res.output
    table = read_output(out)
    assert "2709" not in set(table["product"])
    # Without crude oil A exports only 8517: (50/50) / (100/150) = 1.5
    assert table.set_index(["exporter", "product"]).loc[("A", "8517"), "rca"] == pytest.approx(1.5)
    coarse = tmp_path / "hs2.csv"
    coarse.write_text("year,exporter,product,value\n2021,A,27,100\n2021,B,85,50\n", encoding="utf-8")
    res = run("rca", str(coarse), "--out", str(out), "--exclude-crude-oil")
    assert res.exit_code == 1 and "product 27 contains crude oil" in res.output


@pytest.mark.parametrize(("text", "expected"), [
    ("year,exporter,product,value\n2020,A,p,1\n2020,B,p,x\n", "flows.csv, line 3, column 'value'"),
    ("year,exporter,product,value\n2020,A,p,-1\n", "cannot be negative"),
    ("year,exporter,value\n2020,A,1\n", "missing column(s) 'product'"),
    ("year,exporter,product,value\n2020,A,p,1\n2020,A,p,2\n", "first at line 2"),
])
def test_bad_input_exits_1_with_the_line(tmp_path, text, expected):
    path = tmp_path / "flows.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "o.csv"
    res = run("rca", str(path), "--out", str(out))
    assert res.exit_code == 1, res.output
    assert expected in " ".join(res.output.split())
    assert not out.exists()  # nothing written


def test_usage_and_file_errors(small, tmp_path):
    out = str(tmp_path / "o.csv")
    assert run("rca", str(small), "--out", out, "--index", "bogus").exit_code == 2
    assert run("rca", str(small), "--out", out, "--index", "market").exit_code == 2  # needs --market
    assert run("rca", str(small), "--out", out, "--index", "lafay", "--market", "EU").exit_code == 2
    assert run("rca", str(small)).exit_code == 2  # --out is required
    missing = run("rca", str(tmp_path / "nope.csv"), "--out", out)
    assert missing.exit_code == 1 and "file not found" in missing.output
    nowhere = run("rca", str(small), "--out", out, "--market", "JPN")
    assert nowhere.exit_code == 1 and "no flows into market JPN" in " ".join(nowhere.output.split())
    no_year = run("rca", str(OEC), "--out", out)
    assert no_year.exit_code == 1 and "--year" in no_year.output


def test_complexity_command(tmp_path):
    out, pci_out = tmp_path / "eci.csv", tmp_path / "pci.csv"
    res = run("complexity", str(OEC), "--year", "2017", "--out", str(out), "--pci-out", str(pci_out))
    assert res.exit_code == 0, res.output
    eci, pci = read_output(out), read_output(pci_out)
    assert eci.columns.tolist() == ["year", "exporter", "diversity", "eci"] and len(eci) == 226
    assert pci.columns.tolist() == ["year", "product", "ubiquity", "pci"] and len(pci) == 21
    assert eci["eci"].mean() == pytest.approx(0, abs=1e-9) and eci["eci"].std(ddof=0) == pytest.approx(1)
