"""Issue 16: ``/trade`` reads only what it shows — no adjusted version of its tables, and the 25 months only of the
lines it charts (the others for the months their comparisons use) — and shows exactly what the full read showed.

The store is the GSO history and workbooks the demo imports (as tests/test_issue13_trade.py builds it), with an
adjusted release of every trade series added (``code~calendar_adjusted`` … with other values), as
``adjust --all`` stores them: the page must print none of them, and reading them must change nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from builders import gso_demo_store
from vnindustry.store import open_store
from vnindustry.store.repository import Store
from vnindustry.web import trade_pages
from vnindustry.web.app import create_app

KINDS = ("calendar_adjusted", "seasonally_adjusted", "trend")


def _add_adjusted(store: Store) -> None:
    """An adjusted release of every monthly trade level: each series' levels × 1.5, under ``code~kind``."""
    frame = store.observations(source="gso", measure="level")
    frame = frame[frame["table"].isin(trade_pages.TRADE_TABLES) & frame["period"].str.fullmatch(r"\d{4}-\d{2}")
                  & frame["value"].notna()]
    parts = []
    for kind in KINDS:
        parts.append(pd.DataFrame({
            "table": frame["table"], "series": frame["name_vi"] + f" ({kind})", "code": frame["code"] + f"~{kind}",
            "unit": frame["unit"], "period": frame["period"], "measure": "level", "value": frame["value"] * 1.5,
            "status": frame["status"], "sheet": f"X-13ARIMA-SEATS ({kind})", "cell": "", "kind": "adjusted",
            "level": pd.array([pd.NA] * len(frame), dtype="Int64"), "parent": frame["code"]}))
    records = pd.concat(parts, ignore_index=True)
    store.import_records(records, source="gso", file="X-13ARIMA-SEATS adjustment", checksum="f" * 64,
                         released_on=dt.date(2026, 1, 1), note="adjusted trade series (test)")


@pytest.fixture(scope="module")
def gso(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, TestClient]:
    store = gso_demo_store(tmp_path_factory.mktemp("trade-page") / "gso.db")
    _add_adjusted(store)
    return store, TestClient(create_app(store))


def _page(client: TestClient, url: str) -> str:
    client.app.state.api.cache.clear()  # type: ignore[attr-defined]
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    return response.text


def _months(store: Store) -> list[str]:
    """Months that test every comparison: the latest, each January and February (Tết; the year's first months),
    a quarter's last month and a December of the last three years, and the first month with a year before it."""
    periods = sorted(p for p in store.observations(source="gso", table="exports", measure="level")["period"]
                     .unique().tolist() if len(p) == 7 and "-Q" not in p)
    years = sorted({p[:4] for p in periods})[-3:]
    wanted = {f"{y}-{m}" for y in years for m in ("01", "02", "03", "06", "12")} | {periods[12], periods[-1]}
    return sorted(m for m in wanted if m in periods)


def test_regression_issue16_trade_page_shows_what_the_full_read_showed(
        gso: tuple[Store, TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    store, client = gso
    months = _months(store)
    assert len(months) >= 10
    urls = ["/trade?source=gso", "/trade?source=gso&lang=en"] + [f"/trade?source=gso&period={m}" for m in months]
    lean = {url: _page(client, url) for url in urls}

    reads: list[dict[str, Any]] = []
    original = trade_pages._month_view

    def full_read(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs)
        return original(*args, **{**kwargs, "adjusted": True, "charted": None})

    monkeypatch.setattr(trade_pages, "_month_view", full_read)
    for url in urls:
        assert _page(client, url) == lean[url], url
    assert reads and all(r["adjusted"] is False and r["charted"] for r in reads)
    # The adjusted values (× 1.5) and names appear nowhere: the page prints no adjusted row.
    for page in lean.values():
        assert "X-13" not in page and "calendar_adjusted" not in page


def test_regression_issue16_trade_reads_no_adjusted_series_and_few_months(
        gso: tuple[Store, TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    _, client = gso
    frames: list[pd.DataFrame] = []
    observations = Store.observations

    def spy(self: Store, **kwargs: Any) -> pd.DataFrame:
        frame = observations(self, **kwargs)
        frames.append(frame)
        return frame

    monkeypatch.setattr(Store, "observations", spy)
    _page(client, "/trade?source=gso&period=2025-02")
    read = pd.concat(frames, ignore_index=True)
    trade = read[read["table"].isin(trade_pages.TRADE_TABLES)]
    assert len(trade) and not trade["key"].str.contains("~").any()
    months = trade.groupby("key")["period"].nunique()
    charted = [k for k in months.index if k.endswith(("/tong-tri-gia", "/khong-ke-dau-tho"))
               or trade.loc[trade["key"] == k, "kind"].eq("total").any()]
    assert charted and months[charted].min() == 25  # the chart's months
    others = months.drop(charted)
    assert len(others) > 50 and others.max() <= 5  # bulletin_months: the month, a month, a year and two before


def test_observations_in_full_keeps_every_month_of_those_series(db_url: str) -> None:
    """``Store.observations(periods=…, in_full=keys)``: the series ``in_full`` keep every month of the window, the
    totals too (``totals_in_full``), the others only ``periods`` — on both backends."""
    store = open_store(db_url)
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    rows = [{"table": "exports", "series": name, "code": code, "unit": "triệu USD", "period": p, "measure": "level",
             "value": float(i + 1), "status": "actual", "sheet": "s", "cell": "", "kind": kind,
             "level": pd.NA, "parent": ""}
            for code, name, kind in (("TOTAL", "Tổng trị giá", "total"), ("EXCL", "Không kể dầu thô", "item"),
                                     ("A", "Hàng A", "item"), ("B", "Hàng B", "item"))
            for i, p in enumerate(months)]
    records = pd.DataFrame(rows).astype({"level": "Int64"})
    store.import_records(records, source="gso", file="t.xlsx", checksum="a" * 64, released_on=dt.date(2025, 1, 1))
    chosen = ["2024-03", "2024-12"]
    frame = store.observations(source="gso", start="2024-01", end="2024-12", periods=chosen, totals_in_full=True,
                               in_full=["gso/exports/EXCL"])
    got = frame.groupby("key")["period"].apply(sorted).to_dict()
    assert got == {"gso/exports/TOTAL": months, "gso/exports/EXCL": months,
                   "gso/exports/A": chosen, "gso/exports/B": chosen}
    alone = store.observations(source="gso", start="2024-01", end="2024-12", periods=chosen, in_full=["gso/exports/A"])
    assert alone.groupby("key")["period"].apply(sorted).to_dict() == {
        "gso/exports/TOTAL": chosen, "gso/exports/EXCL": chosen, "gso/exports/A": months, "gso/exports/B": chosen}
    store.engine.dispose()
