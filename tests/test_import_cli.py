"""import-workbook / import-history end to end: tidy CSV, idempotent imports, vintages kept."""

import csv
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from vnindustry.cli import app
from vnindustry.store import open_store

DATA = Path(__file__).parent / "data" / "gso"


def test_tidy_csv_figures_equal_their_cells(tmp_path):
    out = tmp_path / "tidy.csv"
    res = CliRunner().invoke(app, ["import-workbook", str(DATA / "xlsx" / "2021-01.xlsx"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Vietnamese right
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == ["table", "series", "code", "unit", "period", "measure", "value", "status", "sheet", "cell"]
    wb = openpyxl.load_workbook(DATA / "xlsx" / "2021-01.xlsx", data_only=True, read_only=True)
    for row in rows:
        assert float(row["value"]) == float(wb[row["sheet"]][row["cell"]].value), row
    assert {r["table"] for r in rows} >= {"iip", "products", "labour", "retail", "exports", "imports"}


def test_importing_twice_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    first = runner.invoke(app, ["import-workbook", str(DATA / "xlsx" / "2024-01.xlsx"), "--db", url])
    assert first.exit_code == 0 and "Stored release 1" in first.output
    second = runner.invoke(app, ["import-workbook", str(DATA / "xlsx" / "2024-01.xlsx"), "--db", url])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert len(open_store(url).releases()) == 1


def test_estimate_then_actual_from_real_publications(tmp_path):
    # The history holds December 2020 as first estimated (release 2020-12); the January 2021 workbook
    # prints December 2020 as "Thực hiện" (actual). Both vintages stay.
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["import-history", str(DATA / "csv"), "--db", url]).exit_code == 0
    assert runner.invoke(app, ["import-workbook", str(DATA / "xlsx" / "2021-01.xlsx"), "--db", url]).exit_code == 0
    store = open_store(url)
    every = store.observations(keys=["gso/retail/TOTAL"], measure="level", start="2020-12", end="2020-12",
                               vintage="all")
    assert every["status"].iloc[0] == "estimate" and every["status"].iloc[-1] == "actual"
    assert len(every) >= 2
    wb = openpyxl.load_workbook(DATA / "xlsx" / "2021-01.xlsx", data_only=True, read_only=True)
    sheet, cell = every["provenance"].iloc[-1].split("!")
    assert every["value"].iloc[-1] == float(wb[sheet][cell].value)
    rev = store.revisions(table="retail")
    assert ((rev["key"] == "gso/retail/TOTAL") & (rev["period"] == "2020-12")).any()
    # The revision report from the command line: CSV with BOM, one row per revised figure.
    report = tmp_path / "revisions.csv"
    res = runner.invoke(app, ["revisions", "--db", url, "--table", "retail", "--out", str(report)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(report.read_bytes().decode("utf-8-sig").splitlines()))
    row = next(r for r in rows if r["key"] == "gso/retail/TOTAL" and r["period"] == "2020-12"
               and r["measure"] == "level")
    assert (row["first_status"], row["latest_status"]) == ("estimate", "actual")
    assert float(row["revision"]) == pytest.approx(float(row["latest_value"]) - float(row["first_value"]))
    # As of a date before the workbook, the estimate is what was known.
    import datetime as dt

    then = store.observations(keys=["gso/retail/TOTAL"], measure="level", start="2020-12", end="2020-12",
                              as_of=dt.date(2021, 1, 1))
    assert then["status"].tolist() == ["estimate"]


def test_bad_workbook_is_a_clear_error(tmp_path):
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_text("hello", encoding="utf-8")
    res = CliRunner().invoke(app, ["import-workbook", str(bad), "--out", str(tmp_path / "x.csv")])
    assert res.exit_code == 1
    assert "not-a-workbook.xlsx" in res.output
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.postgres
def test_workbooks_on_postgres(pg_url):
    runner = CliRunner()
    for name in ("2021-01", "2024-01", "2025-02"):
        res = runner.invoke(app, ["import-workbook", str(DATA / "xlsx" / f"{name}.xlsx"), "--db", pg_url])
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["bulletin", "--period", "2025-02", "--db", pg_url])
    assert res.exit_code == 0 and "tăng 17,2% so với cùng kỳ năm trước" in res.output
