"""Issue 12, item 1: one notion of "public", enforced where data are derived (lineage).

Every derivation that writes a release — ``adjust --all``, ``products score --fill-from-store``,
``trade import-gso`` — reads the public view by default, records the releases it read (``release_inputs``) and
is dated no earlier than the latest of them; ``--internal`` previews embargoed months and the result is then
embargoed with them. A figure that would need a confidential cell is withheld, or the command refuses naming
the cell. The clock is Vietnam's date as the store sees it (``today_in_vietnam``), moved by monkeypatching.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Connection, insert, select
from typer.testing import CliRunner

import vnindustry
from builders import months, write_csv, write_dataset
from vnindustry.analysis.key_products.from_store import CandidateLink, store_values
from vnindustry.cli import app
from vnindustry.store import Store, open_store
from vnindustry.store import repository as repo
from vnindustry.store.compiled import store_compile
from vnindustry.store.models import Product, Series, Suppression
from vnindustry.store.register import import_dataset
from vnindustry.store.trade import latest_scoring, scorings, store_flows, trade_flows

TODAY = dt.date(2026, 12, 5)  # the tests' "today" in Vietnam
DAY = TODAY + dt.timedelta(days=30)  # the publication day of the embargoed month
PAST = dt.date(2026, 2, 6)
REAL_TODAY = repo.today_in_vietnam
GSO_XLSX = Path(vnindustry.__file__).parent / "demo" / "data" / "gso" / "xlsx"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """``clock(day)`` sets Vietnam's date for the store and every module that imported ``today_in_vietnam``."""
    patched: set[str] = set()

    def set_day(day: dt.date) -> None:
        for name, module in list(sys.modules.items()):
            if name.startswith("vnindustry") and (getattr(module, "today_in_vietnam", None) is REAL_TODAY
                                                  or name in patched):
                monkeypatch.setattr(module, "today_in_vietnam", lambda: day)
                patched.add(name)

    set_day(TODAY)
    return set_day


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})
    return res.exit_code, " ".join(res.output.split())  # Rich wraps long lines


# -- adjust ------------------------------------------------------------------------------------------------------
def _records(code: str, periods: list[str], values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"table": "iip", "series": f"Chỉ số {code}", "code": code, "unit": "%", "period": periods,
                         "measure": "level", "value": values, "status": "actual", "sheet": "test.csv", "cell": ""})


def _adjust_store(url: str) -> tuple[Store, int, int]:
    """Two monthly series 2020-01…2024-12 published long ago (B's last three months confidential), and
    January 2025 of both stored for DAY (embargoed). Returns the store and the two releases' ids."""
    store = open_store(url)
    periods = months(2020, 1, 60)
    t = np.arange(61)
    rng = np.random.default_rng(12)
    series = {code: 100 * (1 + g) ** t * (1 + 0.1 * np.sin(2 * np.pi * t / 12)) * (1 + rng.normal(0, 0.01, 61))
              for code, g in (("A", 0.003), ("B", 0.005))}
    history = pd.concat([_records(c, periods, v[:60]) for c, v in series.items()], ignore_index=True)

    def suppress(conn: Connection, release_id: int) -> None:
        sid = conn.execute(select(Series.id).where(Series.key == "test/iip/B")).scalar_one()
        conn.execute(insert(Suppression), [{"series_id": sid, "period": p, "reason": "primary",
                                            "release_id": release_id} for p in ("2024-10", "2024-11", "2024-12")])

    old = store.import_records(history, source="test", file="history.csv", checksum="h", released_on=PAST,
                               also=suppress).release_id
    january = pd.concat([_records(c, ["2025-01"], v[60:]) for c, v in series.items()], ignore_index=True)
    new = store.import_records(january, source="test", file="2025-01.csv", checksum="j", released_on=DAY).release_id
    return store, old, new


def _adjusted_releases(store: Store) -> pd.DataFrame:
    releases = store.releases()
    return releases[releases["file"] == "X-13ARIMA-SEATS adjustment"].sort_values("id")


def test_adjust_all_reads_the_public_view(db_url: str, clock) -> None:
    """Default ``adjust --all``: the embargoed January is not read; nothing of a confidential cell is adjusted;
    the release's lineage is the published history."""
    store, old, _new = _adjust_store(db_url)
    code, out = run("adjust", "--db", db_url, "--all", "--workers", "1", "--tet", "off")
    assert code == 0, out
    assert "Adjusted 2 of 2 series" in out
    (rid, released_on), = _adjusted_releases(store)[["id", "released_on"]].itertuples(index=False)
    assert released_on == TODAY and store.release_inputs(rid) == [old]
    assert f"release {rid} public on {TODAY.isoformat()}" in out
    adjusted = store.observations(source="test")
    adjusted = adjusted[adjusted["key"].str.contains("~")]
    assert "2025-01" not in set(adjusted["period"])  # the embargoed month was not read
    # B is adjusted over its public months only: nothing of its confidential last quarter, stored or derived.
    b = adjusted[adjusted["key"].str.startswith("test/iip/B~")]
    assert len(b) and b["period"].max() == "2024-09"
    a = adjusted[adjusted["key"].str.startswith("test/iip/A~")]
    assert a["period"].max() == "2024-12"


def test_adjust_internal_is_embargoed_with_its_inputs(db_url: str, clock) -> None:
    """``adjust --all --internal`` uses January: its release is dated on January's day, lists both inputs, and
    the public view shows no adjusted January value before that day — then shows them on the day."""
    store, old, new = _adjust_store(db_url)
    code, out = run("adjust", "--db", db_url, "--all", "--internal", "--workers", "1", "--tet", "off")
    assert code == 0, out
    (rid, released_on), = _adjusted_releases(store)[["id", "released_on"]].itertuples(index=False)
    assert released_on == DAY and store.release_inputs(rid) == [old, new]
    assert f"release {rid} public on {DAY.isoformat()}" in out
    internal = store.observations(keys=[f"test/iip/A~{k}" for k in ("seasonally_adjusted", "trend",
                                                                    "calendar_adjusted")])
    assert (internal["period"] == "2025-01").sum() == 3  # stored, for January's day
    assert "test/iip/B~seasonally_adjusted" not in set(internal["key"])

    def public_adjusted() -> pd.DataFrame:
        seen = store.public_view().observations(source="test")
        return seen[seen["key"].str.contains("~")]

    assert public_adjusted().empty  # not one adjusted value of the release before its day
    clock(DAY - dt.timedelta(days=1))
    assert public_adjusted().empty
    clock(DAY)
    seen = public_adjusted()
    assert (seen["period"] == "2025-01").sum() == 3 and seen["value"].notna().all()
    # B's public run ends before its confidential quarter; January alone is too short: B is not adjusted.
    assert not seen["key"].str.startswith("test/iip/B~").any()
    assert "left out: 1 series with fewer than 36 consecutive public months (test/iip/B)" in out


def test_adjusted_values_of_a_confidential_cell_are_withheld_by_rule(db_url: str, clock) -> None:
    """An adjusted series stored by other means (e.g. before issue 12, from the unfiltered store) is withheld
    in the public view wherever its series is confidential (store/disclosure.py: ``key~kind`` follows ``key``)."""
    store, _old, _new = _adjust_store(db_url)
    periods = months(2024, 7, 6)
    adjusted = pd.concat([_records(f"B~{kind}", periods, np.full(6, 123.456))
                          for kind in ("seasonally_adjusted", "trend", "calendar_adjusted")], ignore_index=True)
    store.import_records(adjusted.assign(kind="adjusted", parent="B"), source="test", file="old adjustment",
                         checksum="a", released_on=PAST)
    seen = store.public_view().observations(source="test", measure="level")
    seen = seen[seen["key"].str.startswith("test/iip/B~")].set_index(["key", "period"])
    assert len(seen) == 18
    for kind in ("seasonally_adjusted", "trend", "calendar_adjusted"):
        for period in periods:
            row = seen.loc[(f"test/iip/B~{kind}", period)]
            secret = period >= "2024-10"
            assert (row["flag"] == "c") is secret and pd.isna(row["value"]) is secret, (kind, period)


def test_adjust_internal_without_all_is_a_usage_error(tmp_path: Path) -> None:
    for flag in ("--internal", "--preview"):  # one option, named like the bulletin's --preview too
        code, out = run("adjust", str(tmp_path / "x.csv"), "--out", str(tmp_path / "o.csv"), flag)
        assert code == 2 and "--internal" in out


# -- key products filled from the store -----------------------------------------------------------------------
INDUSTRIES = [("TOTAL", "", None), ("C", "TOTAL", None), ("10", "C", None), ("1020", "10", 5.0),
              ("1030", "10", 3.0), ("1077", "10", 2.0)]
PRODUCTS = [("P1", "1020", 30.0, 10.0), ("P2", "1030", 20.0, 5.0), ("P3", "1077", 50.0, 20.0)]
HEADER = ["product", "name", "production_value", "production_share", "growth", "rca", "technology_level", "vsic",
          "hs"]


def _products_store(url: str, tmp: Path) -> tuple[Store, str, str, int]:
    """A compiled city 2020–2022 published long ago in which 1077 is made by one enterprise (confidential, and
    one sibling with it by complementary suppression); returns the store, a confidential and an open 4-digit
    industry, and the compile's release id."""
    production = []
    for per in months(2020, 1, 36):
        year, month = int(per[:4]), int(per[5:])
        for code, industry, _w, q0 in PRODUCTS:
            makers = ("E1",) if industry == "1077" else ("E1", "E2", "E3", "E4")
            growth = {"1020": 1.04, "1030": 1.02, "1077": 1.07}[industry] ** (year - 2020)
            for e in makers:
                production.append((f"{e}{code}", code, per, q0 / len(makers) * growth * (1 + 0.02 * (month % 3))))
    folder = write_dataset(tmp / "city", industries=INDUSTRIES, products=PRODUCTS, production=production)
    store = open_store(url)
    rid = store_compile(store, vnindustry.compile_dataset(folder), released_on=PAST).release_id
    import_dataset(store, folder)
    suppressed = {k.rsplit("/", 1)[1] for k in store.suppressions()["key"]}
    assert "1077" in suppressed
    open_code = next(c for c in ("1020", "1030") if c not in suppressed)
    return store, "1077", open_code, rid


def _withheld_value(store: Store, code: str, year: int = 2022) -> float:
    """What the old fill computed from the unfiltered store: base-year value × the withheld annual IIP / 100."""
    raw = store.observations(keys=[f"city/iip/{code}"], measure="level")
    mean = float(raw[raw["period"].str.startswith(str(year))]["value"].mean())
    with store.engine.connect() as conn:
        rows = conn.execute(select(Product.industry, Product.weight)).all()
    return sum(w for i, w in rows if str(i).startswith(code)) * mean / 100


def _forms(value: float) -> list[str]:
    """How a page or a CLI line may print ``value``."""
    en = [f"{value:.{d}f}" for d in (1, 2, 4)]
    return [repr(value), *en, *(x.replace(".", ",") for x in en)]


def test_fill_from_store_never_uses_a_confidential_cell(db_url: str, tmp_path: Path, clock) -> None:
    store, secret, open_code, compiled = _products_store(db_url, tmp_path)
    forbidden = _withheld_value(store, secret)
    links = {"K1": CandidateLink(secret, ())}
    # What a statistician's unfiltered read gives (withhold=False) is exactly that; the default gives nothing.
    assert store_values(store, links, withhold=False)[("K1", "production_value")] == pytest.approx(forbidden)
    assert store_values(store, links) == {} and store_values(store.public_view(embargo=False), links) == {}
    path = write_csv(tmp_path / "ung_vien.csv", HEADER, [
        ("K1", "Sản phẩm mật", "", "", "", "1.5", "3", secret, "85"),
        ("K2", "Sản phẩm mở", "", "", "", "0.8", "2", open_code, "03")])
    code, out = run("products", "score", str(path), "--db", db_url, "--fill-from-store")
    # The confidential industry's criteria are left out, the note names the cell, and the run is refused.
    assert code == 1, out
    assert f"city/iip/{secret} 2022-01" in out and "confidential" in out
    assert "'K1' has no value for production_value" in out
    assert not scorings(store)
    assert not any(form in out for form in _forms(forbidden))
    # Entered by hand, the run is stored; nothing in it was computed from the withheld cells.
    write_csv(path, HEADER, [("K1", "Sản phẩm mật", "500", "5", "3", "1.5", "3", secret, "85"),
                             ("K2", "Sản phẩm mở", "", "", "", "0.8", "2", open_code, "03")])
    code, out = run("products", "score", str(path), "--db", db_url, "--fill-from-store", "--title", "Thử")
    assert code == 0, out
    assert f"K2 production_value = {_withheld_value(store, open_code)!r}" in out  # an open industry is filled
    run_ = latest_scoring(store.public_view())
    assert run_ is not None and run_.released_on == TODAY
    assert store.release_inputs(run_.id) == [compiled]
    table = run_.table.set_index("product")
    assert table.loc["K1", "production_value"] == 500 and table.loc["K1", "growth"] == 3
    values = run_.table.select_dtypes("number").to_numpy().ravel().tolist()
    assert not any(v == pytest.approx(forbidden, rel=1e-9) for v in values)
    from fastapi.testclient import TestClient

    from vnindustry.web import create_app

    with TestClient(create_app(db_url=db_url)) as client:
        for url in ("/api/v1/key-products", "/key-products", "/api/v1/key-products?format=csv"):
            res = client.get(url)
            assert res.status_code == 200, url
            assert not any(form in res.text for form in _forms(forbidden)), url


def _embargoed_flows(store: Store) -> int:
    """Flows into DEU in 2022 (Viet Nam and China), stored for DAY."""
    rows = [("2022", e, "DEU", p, v) for e, values in (("VNM", {"03": 30.0, "85": 70.0}),
                                                      ("CHN", {"03": 10.0, "85": 190.0})) for p, v in values.items()]
    flows = pd.DataFrame(rows, columns=["period", "exporter", "importer", "product", "value"]).assign(quantity=np.nan)
    return store_flows(store, flows, source="trade-test", file="flows.csv", released_on=DAY).release_id


def test_fill_from_store_internal_embargoes_the_run(db_url: str, tmp_path: Path, clock) -> None:
    store, _secret, open_code, compiled = _products_store(db_url, tmp_path)
    flows = _embargoed_flows(store)
    path = write_csv(tmp_path / "ung_vien.csv", HEADER, [
        ("K1", "Thủy sản", "", "", "", "", "3", open_code, "03"), ("K2", "Điện tử", "900", "9", "2", "", "5", "",
                                                                    "85")])
    # The public view has no flows before DAY: the RCA is not filled from them, and the run is refused.
    code, out = run("products", "score", str(path), "--db", db_url, "--fill-from-store", "--market", "DEU")
    assert code == 1 and "no yearly trade flows" in out and "has no value for rca" in out, out
    code, out = run("products", "score", str(path), "--db", db_url, "--fill-from-store", "--market", "DEU",
                    "--internal", "--title", "Xem trước")
    assert code == 0, out
    assert f"dated {DAY.isoformat()}" in out
    (run_,) = scorings(store)
    assert run_.released_on == DAY and store.release_inputs(run_.id) == sorted([compiled, flows])
    assert run_.title == "Xem trước"
    assert latest_scoring(store.public_view()) is None  # embargoed with the flows it used
    clock(DAY)
    shown = latest_scoring(store.public_view())
    assert shown is not None and shown.id == run_.id
    assert shown.table.set_index("product").loc["K1", "rca"] == pytest.approx((30 / 100) / (40 / 300))
    code, out = run("products", "score", str(path), "--internal")
    assert code == 2 and "--fill-from-store" in out


# -- trade flows from GSO's tables ------------------------------------------------------------------------------
def test_import_gso_records_lineage_and_honours_the_embargo(db_url: str, clock) -> None:
    from vnindustry.sources.gso import read_workbook
    from vnindustry.store.gso import store_workbook

    store = open_store(db_url)
    old = store_workbook(store, read_workbook(GSO_XLSX / "2024-01.xlsx"), released_on=dt.date(2024, 1, 29))
    new = store_workbook(store, read_workbook(GSO_XLSX / "2025-02.xlsx"), released_on=DAY)
    # Public by default: the workbook stored for DAY is not read; an earlier --release-date is moved forward.
    code, out = run("trade", "import-gso", "--db", db_url, "--release-date", "2023-06-01")
    assert code == 0, out
    first = store.releases().query("source == 'trade-gso'")
    (rid, released_on), = first[["id", "released_on"]].itertuples(index=False)
    assert released_on == dt.date(2024, 1, 29) and store.release_inputs(rid) == [old.release_id]
    assert "dated 2024-01-29" in out
    assert "2025-02" not in set(trade_flows(store)["period"])
    # --internal reads it too: the new release is dated on DAY, and is public from DAY only.
    code, out = run("trade", "import-gso", "--db", db_url, "--internal")
    assert code == 0, out
    second = store.releases().query("source == 'trade-gso' and id != @rid")
    (rid2, released_on2), = second[["id", "released_on"]].itertuples(index=False)
    assert released_on2 == DAY and store.release_inputs(rid2) == [old.release_id, new.release_id]
    assert "2025-02" not in set(trade_flows(store.public_view())["period"])
    assert "2025-02" in set(trade_flows(store)["period"])
    clock(DAY)
    assert "2025-02" in set(trade_flows(store.public_view())["period"])
