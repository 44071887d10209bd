"""Issue 16: the competitiveness pages keep their read of every trade flow (and the RCA tables computed from it)
under the fingerprint of the visible trade releases (``store.trade.flows_fingerprint``), not of every release:

- a release of other figures (a month's IIP, say) leaves the flows' read where it was: the next page is rendered
  without reading a flow again, and says what it said;
- a new visible trade release is read at once, and the page shows its figures;
- an embargoed trade release changes nothing (neither the fingerprint nor a figure) until its day, when it is
  read and shown — the embargo holds for what is computed from the flows as for the flows;
- the fingerprint itself, on both backends: only releases holding flows, only those the view can see.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import vnindustry.store.repository as repository
import vnindustry.web.competitiveness as competitiveness
from vnindustry.store import open_store
from vnindustry.store.trade import flows_fingerprint, store_flows
from vnindustry.web import create_app

TODAY = dt.date(2026, 12, 7)


def _flows(vnm_footwear: float) -> pd.DataFrame:
    """Two exporters into Germany in 2024; Vietnam's footwear as given (its RCA moves with it)."""
    rows = [("2024", "VNM", "DEU", "03", 20.0), ("2024", "VNM", "DEU", "64", vnm_footwear),
            ("2024", "CHN", "DEU", "03", 40.0), ("2024", "CHN", "DEU", "64", 10.0)]
    frame = pd.DataFrame(rows, columns=["period", "exporter", "importer", "product", "value"])
    frame["quantity"] = math.nan
    return frame


def _other_release(store, tag: str, released_on: dt.date = TODAY) -> None:  # type: ignore[no-untyped-def]
    records = pd.DataFrame([{"table": "iip", "series": "Toàn ngành", "code": "TOTAL", "unit": "%", "period": "2026-11",
                             "measure": "level", "value": 101.5, "status": "actual", "sheet": "IIP", "cell": "C5"}])
    store.import_records(records, source="gso", file=f"{tag}.xlsx", checksum=tag, released_on=released_on)


def _footwear(html: str) -> list[str]:
    row = re.search(r'<tr data-product="64">(.*?)</tr>', html, re.S)
    assert row
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


@pytest.fixture
def setup(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setenv("VNINDUSTRY_API_RELEASE_POLL", "0")  # every request asks the store for its releases
    monkeypatch.setattr(repository, "today_in_vietnam", lambda: TODAY)
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store_flows(store, _flows(30.0), source="trade", file="a.csv", released_on=TODAY - dt.timedelta(days=30))
    reads: list[int] = []
    real = competitiveness.trade_flows

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(competitiveness, "trade_flows", counted)
    return store, TestClient(create_app(store)), reads


def test_regression_issue16_a_release_of_other_figures_keeps_the_flows_read(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, client, reads = setup
    first = client.get("/competitiveness")
    assert first.status_code == 200 and len(reads) == 1
    before = _footwear(first.text)
    _other_release(store, "iip-2026-11")
    again = client.get("/competitiveness")
    assert again.status_code == 200 and len(reads) == 1  # the page was built again, the flows not read again
    assert _footwear(again.text) == before
    api = client.get("/api/v1/trade/rca?market=EU")
    assert api.status_code == 200 and len(reads) == 1

    # A new trade release, visible today: read at once, and its figures shown.
    store_flows(store, _flows(60.0), source="trade", file="b.csv", released_on=TODAY)
    after = client.get("/competitiveness")
    assert len(reads) == 2 and _footwear(after.text) != before


def test_issue16_an_embargoed_trade_release_shows_on_its_day_and_not_before(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, client, reads = setup
    before = _footwear(client.get("/competitiveness").text)
    fingerprint = flows_fingerprint(store.public_view(embargo=True))
    store_flows(store, _flows(60.0), source="trade", file="tomorrow.csv", released_on=TODAY + dt.timedelta(days=1))
    _other_release(store, "iip-2026-11")  # the global fingerprint moves; the trade one must not
    assert flows_fingerprint(store.public_view(embargo=True)) == fingerprint
    page = client.get("/competitiveness")
    assert _footwear(page.text) == before and len(reads) == 1
    api = client.get("/api/v1/trade/rca?market=EU&format=csv")
    assert api.status_code == 200 and len(reads) == 1
    monkeypatch.setattr(repository, "today_in_vietnam", lambda: TODAY + dt.timedelta(days=1))
    page = client.get("/competitiveness")
    assert len(reads) == 2 and _footwear(page.text) != before


def test_issue16_the_trade_fingerprint_counts_visible_releases_holding_flows(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(repository, "today_in_vietnam", lambda: TODAY)
    store = open_store(db_url)
    public = store.public_view(embargo=True)
    assert flows_fingerprint(public) == (TODAY.isoformat(), 0, 0, 0)
    a = store_flows(store, _flows(30.0), source="trade", file="a.csv", released_on=TODAY)
    _other_release(store, "iip")
    b = store_flows(store, _flows(60.0), source="trade-gso", file="b.csv", released_on=TODAY)
    store_flows(store, _flows(90.0), source="trade", file="c.csv", released_on=TODAY + dt.timedelta(days=3))
    assert flows_fingerprint(public) == (TODAY.isoformat(), 2, b.release_id, a.release_id + b.release_id)
    everything = flows_fingerprint(store)  # the internal view: no embargo, no day
    assert everything[0] == "" and everything[1] == 3


@pytest.mark.parametrize("dtype", [object, "str"])
def test_issue16_importers_are_each_distinct_importer_once(dtype: object) -> None:
    """The markets one can pick (importers_of, from the distinct importers) are those of every row, as before."""
    from vnindustry.publish.competitiveness.rca import WORLD, importers_of, markets_of

    flows = pd.concat([_flows(30.0), _flows(30.0).assign(importer="FRA"), _flows(30.0).assign(importer=WORLD),
                       _flows(30.0).assign(importer="USA")], ignore_index=True)
    flows["importer"] = flows["importer"].astype(dtype)
    assert importers_of(flows) == sorted(set(flows["importer"].astype(str)) - {WORLD}) == ["DEU", "FRA", "USA"]
    assert markets_of(flows)[:1] == ["EU"] and markets_of(flows)[-3:] == ["DEU", "FRA", "USA"]
    assert importers_of(flows.iloc[:0]) == []
