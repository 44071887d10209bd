"""vnindustry trade import | rca --db | products score --db: the store side of the trade commands."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from vnindustry.analysis.trade import rca, read_flows_csv
from vnindustry.cli import app
from vnindustry.store import open_store
from vnindustry.store.trade import latest_scoring, trade_flows

OEC = Path(__file__).parent / "data" / "trade" / "oec-exports-by-hs-section.csv"
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


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_import_then_rca_from_the_store(tmp_path: Path) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(SMALL, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 's.db'}"
    res = run("trade", "import", str(flows), "--db", url, "--release-date", "2024-01-05")
    assert res.exit_code == 0, res.output
    assert "8 flows" in res.output and "release" in res.output
    again = run("trade", "import", str(flows), "--db", url)
    assert again.exit_code == 0 and "already stored" in again.output
    stored = trade_flows(open_store(url))
    assert len(stored) == 8
    out = tmp_path / "rca.csv"
    res = run("trade", "rca", "--db", url, "--market", "DEU", "--out", str(out))
    assert res.exit_code == 0, res.output
    got = pd.read_csv(io.StringIO(out.read_bytes().decode("utf-8-sig")), dtype={"year": str})
    want = rca(read_flows_csv(flows), market="DEU")
    assert got["rca"].tolist() == want["rca"].tolist()
    assert got.columns[0] == "year"


def test_import_oec_and_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    res = run("trade", "import", str(OEC), "--oec", "--year", "2017", "--db", url, "--source", "oec")
    assert res.exit_code == 0, res.output
    assert set(trade_flows(open_store(url))["period"]) == {"2017"}
    # Bad input: exit 1 with file and line; usage errors: exit 2.
    bad = tmp_path / "bad.csv"
    bad.write_text("year,exporter,product,value\n2020,A,p,-3\n", encoding="utf-8")
    res = run("trade", "import", str(bad), "--db", url)
    assert res.exit_code == 1 and "bad.csv" in res.output and "line 2" in res.output
    assert run("trade", "import", str(bad), "--db", url, "--release-date", "05/01/2024").exit_code == 2
    assert run("trade", "import", str(bad), "--db", url, "--year", "2017").exit_code == 2
    assert run("trade", "rca", "--out", str(tmp_path / "x.csv")).exit_code == 2  # neither FLOWS.csv nor --db
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    res = run("trade", "rca", "--db", empty, "--out", str(tmp_path / "x.csv"))
    assert res.exit_code == 1 and "no trade flows" in res.output


def test_products_score_stores_the_run(tmp_path: Path) -> None:
    table = tmp_path / "ung_vien.csv"
    table.write_text("product,name,production_value,rca,growth\nA,Áo may sẵn,120,2.5,8\nB,Bia,80,0.4,3\n"
                     "C,Linh kiện điện tử,200,1.8,15\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 's.db'}"
    res = run("products", "score", str(table), "--db", url, "--title", "Thử nghiệm", "--release-date", "2024-02-01",
              "--created-by", "analyst")
    assert res.exit_code == 0, res.output
    assert "Stored as release" in res.output
    got = latest_scoring(open_store(url))
    assert got is not None and got.title == "Thử nghiệm" and got.created_by == "analyst"
    assert got.released_on.isoformat() == "2024-02-01" and len(got.table) == 3
    bad = run("products", "score", str(table), "--db", url, "--release-date", "tomorrow", "--out",
              str(tmp_path / "out.csv"))
    assert bad.exit_code == 2 and not (tmp_path / "out.csv").exists()  # refused before any work is done


def test_gso_commodities_as_flows(tmp_path: Path) -> None:
    from vnindustry.sources.gso import read_workbook
    from vnindustry.store.gso import store_workbook
    from vnindustry.store.trade import gso_commodity_hs, gso_flows

    url = f"sqlite:///{tmp_path / 's.db'}"
    assert run("trade", "import-gso", "--db", url).exit_code == 1  # nothing from GSO yet: a clear error
    store = open_store(url)
    workbook = Path(__file__).parents[1] / "src" / "vnindustry" / "demo" / "data" / "gso" / "xlsx" / "2025-02.xlsx"
    store_workbook(store, read_workbook(workbook))
    flows = gso_flows(store)
    exports = flows[flows["exporter"] == "VNM"]
    imports = flows[flows["importer"] == "VNM"]
    assert len(exports) and len(imports) and set(exports["importer"]) == {"WLD"} and set(imports["exporter"]) == {"WLD"}
    # Values in USD: the groups add up to about the total GSO prints (in USD million), never more.
    total = store.observations(source="gso", table="exports", keys=["gso/exports/TOTAL"], measure="level")
    month = exports[exports["period"] == "2025-02"]["value"].sum()
    printed = float(total[total["period"] == "2025-02"]["value"].iloc[0]) * 1e6
    assert 0.7 * printed < month <= printed
    mapping = gso_commodity_hs()
    assert set(flows["product"]) <= set(mapping["gso_code"])  # every group is declared (mapped or not)
    assert mapping.loc[mapping["gso_code"] == "dau-tho", "hs"].item() == "2709"
    res = run("trade", "import-gso", "--db", url)
    assert res.exit_code == 0 and f"{len(flows):,} stored" in res.output
    assert "already stored" in run("trade", "import-gso", "--db", url).output
