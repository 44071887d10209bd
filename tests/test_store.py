"""The store on SQLite and PostgreSQL: vintages, as-of queries, revisions, idempotent and atomic imports."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

import vnindustry
from vnindustry.errors import InputError
from vnindustry.store import open_store
from vnindustry.store.compiled import compile_records, store_compile
from vnindustry.store.models import Observation, Release, Series

PPI = Path(__file__).parent / "data" / "ppi_manual"


def _records(value, status, cell, period="2025-01"):
    return pd.DataFrame([
        dict(table="iip", series="Toàn ngành công nghiệp", code="TOTAL", unit="%", period=period,
             measure="pct_prev_month", value=value, status=status, sheet="IIP", cell=cell),
        dict(table="retail", series="Tổng mức bán lẻ", code="", unit="tỷ đồng", period=period,
             measure="level", value=552_000.5, status=status, sheet="Tongmuc", cell="C5"),
    ])


def _count(store, model):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_estimate_then_actual_keeps_both_vintages(db_url):
    store = open_store(db_url)
    first = store.import_records(_records(96.75, "estimate", "C7"), source="gso", file="2025-01.xlsx",
                                 checksum="a", released_on=dt.date(2025, 1, 29), reference_period="2025-01")
    second = store.import_records(_records(97.10, "actual", "D7"), source="gso", file="2025-02.xlsx",
                                  checksum="b", released_on=dt.date(2025, 2, 28), reference_period="2025-02")
    assert first.created and second.created and second.new_series == 0
    every = store.observations(keys=["gso/iip/TOTAL"], vintage="all")
    assert list(every["value"]) == [96.75, 97.10] and list(every["status"]) == ["estimate", "actual"]
    assert store.observations(keys=["gso/iip/TOTAL"])["value"].tolist() == [97.10]
    assert store.observations(keys=["gso/iip/TOTAL"], vintage="first")["value"].tolist() == [96.75]
    # As of a date: what was known then.
    assert store.observations(keys=["gso/iip/TOTAL"], as_of=dt.date(2025, 2, 1))["value"].tolist() == [96.75]
    assert store.observations(keys=["gso/iip/TOTAL"], as_of=dt.date(2025, 3, 1))["value"].tolist() == [97.10]
    assert store.observations(as_of=dt.date(2024, 12, 31)).empty
    # Provenance: file sheet and cell.
    assert every["provenance"].tolist() == ["IIP!C7", "IIP!D7"]
    rev = store.revisions()
    row = rev[rev["key"] == "gso/iip/TOTAL"].iloc[0]
    assert (row["first_value"], row["latest_value"]) == (96.75, 97.10)
    assert row["first_status"] == "estimate" and row["latest_status"] == "actual"
    assert row["revision"] == pytest.approx(0.35)
    # The retail figure changed status only: listed, with revision 0.
    assert rev[rev["key"] == "gso/retail/tong-muc-ban-le"]["revision"].tolist() == [0.0]


def test_same_file_twice_changes_nothing(db_url):
    store = open_store(db_url)
    args = dict(source="gso", file="2025-01.xlsx", checksum="a", released_on=dt.date(2025, 1, 29))
    store.import_records(_records(96.75, "estimate", "C7"), **args)
    counts = (_count(store, Release), _count(store, Series), _count(store, Observation))
    again = store.import_records(_records(96.75, "estimate", "C7"), **args)
    assert not again.created
    assert (_count(store, Release), _count(store, Series), _count(store, Observation)) == counts


def test_failed_import_leaves_nothing(db_url, monkeypatch):
    store = open_store(db_url)
    bad = _records(96.75, "estimate", "C7")
    bad.loc[1, "status"] = "guess"
    with pytest.raises(InputError, match="status 'guess'") as err:
        store.import_records(bad, source="gso", file="x.xlsx", checksum="a", released_on=dt.date(2025, 1, 1))
    assert "Tongmuc!C5" in str(err.value)
    # A failure half-way through the writes — the release, its series and half its observations written —
    # rolls the whole release back.
    import vnindustry.store.repository as repo

    real_insert = repo.insert_observations
    calls = {"n": 0}

    def failing_insert(conn, rows):
        calls["n"] += 1
        real_insert(conn, rows[: len(rows) // 2])
        raise RuntimeError("disk full")

    monkeypatch.setattr(repo, "insert_observations", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_records(_records(96.75, "estimate", "C7"), source="gso", file="x.xlsx", checksum="b",
                             released_on=dt.date(2025, 1, 1))
    assert calls["n"] == 1
    assert (_count(store, Release), _count(store, Series), _count(store, Observation)) == (0, 0, 0)


def test_duplicate_figures_in_one_release_are_an_error(db_url):
    store = open_store(db_url)
    rec = pd.concat([_records(96.75, "estimate", "C7"), _records(96.80, "estimate", "C9")])
    with pytest.raises(InputError, match=r"IIP!C7 and IIP!C9"):
        store.import_records(rec, source="gso", file="x.xlsx", checksum="a", released_on=dt.date(2025, 1, 1))


def test_compiled_iip_is_stored_unrounded(db_url):
    store = open_store(db_url)
    result = vnindustry.compile_dataset(PPI)
    summary = store_compile(store, result, released_on=dt.date(2020, 6, 5))
    assert summary.created and summary.reference_period == "2020-05"
    stored = store.observations(source="city", table="iip", measure="pct_change_prev_month")
    total = result.table[result.table["code"] == "TOTAL"].set_index("period")["mom_pct"].dropna()
    got = stored[stored["code"] == "TOTAL"].set_index("period")["value"]
    assert got.to_dict() == total.to_dict()  # exact equality: no rounding on the way in or out
    status = stored.set_index(["code", "period"])["status"]
    assert status[("TOTAL", "2020-05")] == "estimate" and status[("TOTAL", "2020-04")] == "actual"
    assert not store_compile(store, result, released_on=dt.date(2020, 6, 5)).created
    cat = store.catalogue(source="city")
    assert {"city/iip/TOTAL", "city/products/P1"} <= set(cat["key"])
    assert cat.set_index("key").at["city/iip/TOTAL", "name_en"] == "Total industry"


def test_compile_records_leave_out_empty_comparisons():
    records = compile_records(vnindustry.compile_dataset(PPI))
    jan = records[(records["period"] == "2020-01") & (records["table"] == "iip")]
    # No month before January in the data; who backs each cell is stored too (internal measures).
    assert set(jan["measure"]) == {"level", "imputed_share", "enterprises", "dominant_share"}


def test_bad_url_is_a_clear_error():
    with pytest.raises(InputError, match="not a database URL"):
        open_store("vnindustry.db")


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(InputError, match=r"cannot open the database postgresql\+psycopg://postgres@127.0.0.1:9/x"):
        open_store("postgresql+psycopg://postgres@127.0.0.1:9/x")
