"""import-dataset (issue 6): the register and the monthly reports in the store, on SQLite and PostgreSQL —
every row stored, idempotent re-imports, revised months as new versions, all-or-nothing, located errors."""

import csv
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from vnindustry.cli import app
from vnindustry.errors import InputError
from vnindustry.store import open_store
from vnindustry.store import register as register_module
from vnindustry.store.models import Enterprise, EnterpriseProduct, Product, Report, ReportLine
from vnindustry.store.register import Register, import_dataset, report_checksum

PPI = Path(__file__).parent / "data" / "ppi_manual"
TABLES = (Enterprise, Product, EnterpriseProduct, Report, ReportLine)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {m.__table__.name: conn.execute(select(func.count()).select_from(m)).scalar_one() for m in TABLES}


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(PPI, folder)
    return folder


def _set_quantity(folder: Path, enterprise: str, period: str, quantity: str) -> None:
    rows = _rows(folder / "production.csv")
    for row in rows:
        if (row["enterprise"], row["period"]) == (enterprise, period):
            row["quantity"] = quantity
    with open(folder / "production.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_ppi_example_every_row_stored(db_url):
    store = open_store(db_url)
    summary = import_dataset(store, PPI)
    production, products = _rows(PPI / "production.csv"), _rows(PPI / "products.csv")
    assert (summary.enterprises_new, summary.products_new, summary.enterprise_products_new) == (6, 6, 6)
    assert (summary.reports_new, summary.reports_unchanged, summary.reports_revised) == (30, 0, 0)
    assert summary.lines == len(production) == 30
    assert _counts(store) == {"enterprises": 6, "products": 6, "enterprise_products": 6, "reports": 30,
                              "report_lines": 30}
    reg = Register(store)
    # No enterprises.csv: the enterprises are known by their codes only.
    assert reg.enterprise("E1") == register_module.EnterpriseInfo("E1", "", "", "", "")
    assert reg.enterprise("E9") is None
    for p in products:
        (info,) = reg.products_of(f"E{p['code'][1:]}")
        assert (info.code, info.industry, info.name_vi, info.unit) == (p["code"], p["industry"], p["name_vi"],
                                                                       p["unit"])
        assert (info.weight, info.base_quantity) == (float(p["weight"]), float(p["base_quantity"]))
        assert (info.first_period, info.last_period) == ("2020-01", "2020-05")
    for row in production:
        rep = reg.report(row["enterprise"], row["period"])
        assert rep is not None, row
        assert (rep.enterprise, rep.period, rep.version, rep.latest_version) == (row["enterprise"], row["period"], 1, 1)
        assert (rep.source, rep.submitted_by, rep.status) == ("import", "import", "accepted")
        assert [(x.product, x.quantity, x.comment) for x in rep.lines] == [(row["product"], float(row["quantity"]), "")]
        assert rep.checksum == report_checksum([(row["product"], float(row["quantity"]), "")])
    # The same through the tables: one line per production row, nothing else.
    with store.engine.connect() as conn:
        stored = conn.execute(select(Report.enterprise_code, ReportLine.product_code, Report.period,
                                     ReportLine.quantity).join(ReportLine, ReportLine.report_id == Report.id)).all()
    assert sorted(stored) == sorted((r["enterprise"], r["product"], r["period"], float(r["quantity"]))
                                    for r in production)
    assert reg.history("E4", "P4") == [("2020-01", 1.0), ("2020-02", 1.3), ("2020-03", 3.0), ("2020-04", 6.0),
                                       ("2020-05", 12.0)]
    assert reg.history("E4", "P4", last_n=2) == [("2020-04", 6.0), ("2020-05", 12.0)]
    assert reg.history("E4", "P4", last_n=2, before="2020M04") == [("2020-02", 1.3), ("2020-03", 3.0)]
    assert reg.history("E4", "P1") == [] and reg.report("E4", "2019-12") is None


def test_importing_twice_adds_nothing(db_url):
    store = open_store(db_url)
    import_dataset(store, PPI)
    before = _counts(store)
    again = import_dataset(store, PPI)
    assert _counts(store) == before
    assert (again.reports_new, again.reports_unchanged, again.reports_revised, again.lines) == (0, 30, 0, 0)
    assert (again.enterprises_new, again.products_new, again.enterprise_products_new) == (0, 0, 0)
    assert not again.changed


def test_regression_issue6_revised_month_is_version_2_and_version_1_kept(db_url, tmp_path):
    store = open_store(db_url)
    folder = _copy(tmp_path)
    import_dataset(store, folder)
    _set_quantity(folder, "E4", "2020-03", "30")  # the kg-for-tấn slip corrected upwards
    revised = import_dataset(store, folder)
    assert (revised.reports_new, revised.reports_unchanged, revised.reports_revised, revised.lines) == (0, 29, 1, 1)
    reg = Register(store)
    latest = reg.report("E4", "2020-03")
    assert (latest.version, latest.latest_version, [x.quantity for x in latest.lines]) == (2, 2, [30.0])
    first = reg.report("E4", "2020-03", version=1)
    assert (first.version, first.latest_version, [x.quantity for x in first.lines]) == (1, 2, [3.0])
    assert reg.versions("E4", "2020-03") == [1, 2] and reg.versions("E4", "2020-04") == [1]
    assert reg.report("E4", "2020-03", version=3) is None
    assert reg.history("E4", "P4", last_n=3) == [("2020-03", 30.0), ("2020-04", 6.0), ("2020-05", 12.0)]
    # The same revised folder again: nothing new (same checksum as the latest version).
    assert import_dataset(store, folder).reports_revised == 0
    assert _counts(store)["reports"] == 31
    # Back to the original value: a third version (the office reverted the correction), none lost.
    _set_quantity(folder, "E4", "2020-03", "3.0")
    assert import_dataset(store, folder).reports_revised == 1
    assert reg.versions("E4", "2020-03") == [1, 2, 3] and reg.report("E4", "2020-03").lines[0].quantity == 3.0


def test_an_import_does_not_change_a_closed_month(db_url, tmp_path):
    """A closed month is published: an import that would revise it stops, nothing written, naming the fix."""
    import datetime as dt

    from sqlalchemy import insert

    from vnindustry.store.models import MonthClosure

    store = open_store(db_url)
    folder = _copy(tmp_path)
    import_dataset(store, folder)
    with store.engine.begin() as conn:
        conn.execute(insert(MonthClosure).values(period="2020-03", closed_at=dt.datetime.now(dt.UTC),
                                                 closed_by="stat", publish_on=dt.date(2020, 4, 6)))
    assert import_dataset(store, folder).reports_unchanged == 30  # the same folder again: fine
    before = _counts(store)
    _set_quantity(folder, "E4", "2020-03", "30")  # the closed month
    _set_quantity(folder, "E4", "2020-04", "7")  # and an open one: the whole import is refused
    with pytest.raises(InputError) as err:
        import_dataset(store, folder)
    assert "closed month(s) 2020-03" in str(err.value) and "E4 2020-03" in str(err.value)
    assert "production.csv" in str(err.value) and "correction in the portal" in str(err.value)
    assert _counts(store) == before
    _set_quantity(folder, "E4", "2020-03", "3.0")  # the closed month as it was: the open month goes in
    assert import_dataset(store, folder).reports_revised == 1


def test_failure_after_reports_insert_leaves_nothing(db_url, monkeypatch):
    store = open_store(db_url)
    inserted = []

    def fail(conn, rows):
        inserted.append(conn.execute(select(func.count()).select_from(Report)).scalar_one())
        raise RuntimeError("disk full")

    monkeypatch.setattr(register_module, "_insert_lines", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_dataset(store, PPI)
    assert inserted == [30]  # the reports were written inside the transaction …
    assert _counts(store) == dict.fromkeys(_counts(store), 0)  # … and rolled back with everything else


def test_failed_revision_keeps_the_earlier_import(db_url, tmp_path, monkeypatch):
    store = open_store(db_url)
    folder = _copy(tmp_path)
    import_dataset(store, folder)
    before = _counts(store)
    _set_quantity(folder, "E1", "2020-02", "0.85")
    monkeypatch.setattr(register_module, "_insert_lines", lambda conn, rows: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        import_dataset(store, folder)
    assert _counts(store) == before and Register(store).versions("E1", "2020-02") == [1]


def test_unknown_enterprise_names_file_and_line(db_url, tmp_path):
    folder = _copy(tmp_path)
    (folder / "enterprises.csv").write_text(
        "enterprise,name,industry,district,ownership\n"
        + "".join(f"E{i},Công ty {i},C,Quận {i},state\n" for i in range(1, 6)), encoding="utf-8")
    store = open_store(db_url)
    with pytest.raises(InputError) as err:
        import_dataset(store, folder)
    e = err.value
    # E6 first appears on line 27 of production.csv (header = line 1).
    assert (Path(e.file).name, e.line, e.column) == ("production.csv", 27, "enterprise")
    assert "E6" in str(e) and "enterprises.csv" in str(e)
    assert _counts(store) == dict.fromkeys(_counts(store), 0)
    res = CliRunner().invoke(app, ["import-dataset", str(folder), "--db", db_url])
    assert res.exit_code == 1 and "production.csv, line 27, column 'enterprise'" in res.output


def test_bad_quantity_is_located_and_nothing_stored(tmp_path):
    folder = _copy(tmp_path)
    _set_quantity(folder, "E2", "2020-03", "1,1")
    url = f"sqlite:///{tmp_path / 's.db'}"
    res = CliRunner().invoke(app, ["import-dataset", str(folder), "--db", url])
    assert res.exit_code == 1
    assert "production.csv, line 9, column 'quantity'" in res.output and "decimal separator" in res.output
    assert _counts(open_store(url)) == dict.fromkeys(_counts(open_store(url)), 0)


def test_enterprise_register_is_stored_and_updated_in_place(db_url, tmp_path):
    folder = _copy(tmp_path)
    register_csv = "enterprise,name,industry,district,ownership\n" + "".join(
        f"E{i},Công ty {i},C,Quận {i},state\n" for i in range(1, 8))  # E7 reports nothing yet
    (folder / "enterprises.csv").write_text(register_csv, encoding="utf-8")
    store = open_store(db_url)
    first = import_dataset(store, folder)
    assert (first.enterprises_new, first.reports_new) == (7, 30)
    reg = Register(store)
    assert reg.enterprise("E3") == register_module.EnterpriseInfo("E3", "Công ty 3", "C", "Quận 3", "state")
    assert reg.enterprise("E7") is not None and reg.products_of("E7") == []
    (folder / "enterprises.csv").write_text(register_csv.replace("Công ty 3,C,Quận 3", "Công ty Ba,C,Quận 1"),
                                            encoding="utf-8")
    second = import_dataset(store, folder)
    assert (second.enterprises_new, second.enterprises_updated, second.reports_unchanged) == (0, 1, 30)
    assert reg.enterprise("E3").name == "Công ty Ba" and reg.enterprise("E3").district == "Quận 1"


def test_checksum_is_of_the_normalized_content():
    a = report_checksum([("P2", 1, ""), ("P1", 2.5, " ok ")])
    assert a == report_checksum([("P1", 2.50, "ok"), ("P2", 1.0, None)])
    assert a != report_checksum([("P1", 2.5, "ok"), ("P2", 1.0001, "")])
    assert a != report_checksum([("P1", 2.5, "not ok"), ("P2", 1, "")])


def test_cli_counts(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    first = runner.invoke(app, ["import-dataset", str(PPI), "--db", url])
    assert first.exit_code == 0, first.output
    text = " ".join(first.output.split())
    assert "enterprises 6 new" in text and "products 6 new" in text
    assert "reports 30 new, 0 unchanged, 0 revised; 30 lines stored" in text
    second = runner.invoke(app, ["import-dataset", str(PPI), "--db", url])
    assert "reports 0 new, 30 unchanged, 0 revised; 0 lines stored" in " ".join(second.output.split())


@pytest.mark.slow
def test_demo_city_imports_in_well_under_a_minute(tmp_path):
    from vnindustry.demo.city import generate_city

    folder = generate_city(tmp_path / "city")
    n_rows = len(_rows(folder / "production.csv"))
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    started = time.perf_counter()
    summary = import_dataset(store, folder)
    elapsed = time.perf_counter() - started
    assert summary.lines == n_rows and summary.enterprises_new == 1500
    assert elapsed < 30, f"import took {elapsed:.1f} s"
    again = import_dataset(store, folder)
    assert (again.reports_new, again.reports_revised, again.reports_unchanged) == (0, 0, summary.reports_new)
