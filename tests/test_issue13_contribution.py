"""Issue 13: the root's contribution to growth is empty (issue 2 defines contributions for the nodes under the root
only; the formula would give the root its own year-on-year change, "the total contributes 5,3 points to itself").

Empty everywhere it travels: NaN in the compile's frame, an empty cell in iip.csv, no stored record, no API
observation, and "–" (never "nan") on /industries.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re

import numpy as np
import pytest
from fastapi.testclient import TestClient
from tests.builders import months, write_dataset

import vnindustry
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile
from vnindustry.web import create_app

PERIODS = months(2024, 1, 15)
TREE = [("T", "", None), ("S1", "T", None), ("S2", "T", None), ("L1", "S1", 3.0), ("L2", "S1", 2.0),
        ("L3", "S2", 5.0)]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> vnindustry.CompileResult:
    """A three-leaf city, 15 months, six enterprises per product (no cell is confidential), growing unevenly."""
    rng = np.random.default_rng(13)
    products = [(f"{leaf}P", leaf, 1.0, 100.0) for leaf in ("L1", "L2", "L3")]
    growth = {"L1P": 0.02, "L2P": -0.01, "L3P": 0.005}
    rows = [(f"E{code}{e}", code, period, 100.0 / 6 * (1 + growth[code]) ** t * rng.uniform(0.95, 1.05))
            for code, _, _, _ in products for e in range(6) for t, period in enumerate(PERIODS)]
    folder = write_dataset(tmp_path_factory.mktemp("city"), industries=TREE, products=products, production=rows)
    return vnindustry.compile_dataset(folder)


def test_the_root_has_no_contribution_in_the_frame(result: vnindustry.CompileResult) -> None:
    table = result.table
    root = table[table["kind"] == "total"]
    assert list(root["code"].unique()) == ["T"]
    assert root["contribution_pp"].isna().all()
    # The nodes under it keep theirs from the 13th month on, and the root's children still add up to its
    # year-on-year change (the decomposition the contribution exists for).
    later = table[table["period"] >= PERIODS[12]].set_index(["period", "code"])
    for period in PERIODS[12:]:
        for code in ("S1", "S2", "L1", "L2", "L3"):
            assert math.isfinite(later.loc[(period, code), "contribution_pp"])
        children = later.loc[(period, "S1"), "contribution_pp"] + later.loc[(period, "S2"), "contribution_pp"]
        assert children == pytest.approx(later.loc[(period, "T"), "yoy_pct"], abs=1e-9)
        assert math.isfinite(later.loc[(period, "T"), "yoy_pct"])


def test_the_root_contribution_cell_is_empty_in_iip_csv(result: vnindustry.CompileResult, tmp_path) -> None:
    result.write(tmp_path)
    with open(tmp_path / "iip.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and "contribution_pp" in rows[0]
    late = [r for r in rows if r["period"] >= PERIODS[12]]
    assert {r["contribution_pp"] for r in late if r["code"] == "T"} == {""}
    assert all(r["contribution_pp"] not in ("", "nan", "NaN") for r in late if r["code"] != "T")
    assert not re.search(r"\bnan\b", (tmp_path / "iip.csv").read_text(encoding="utf-8"), re.IGNORECASE)


def test_stored_api_and_page_show_no_root_contribution(result: vnindustry.CompileResult, tmp_path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store_compile(store, result, released_on=dt.date(2025, 4, 10))
    stored = store.observations(source="city", measure="contribution_pp")
    assert "city/iip/T" not in set(stored["key"])
    assert {"city/iip/S1", "city/iip/S2", "city/iip/L1"} <= set(stored["key"])
    assert stored["value"].notna().all()
    root = store.observations(source="city", keys=["city/iip/T"])
    assert "contribution_pp" not in set(root["measure"])
    assert "pct_change_same_month_last_year" in set(root["measure"])

    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    client = TestClient(create_app(store))
    doc = client.get("/api/v1/series/city/iip/T/observations", params={"format": "json"})
    assert doc.status_code == 200, doc.text
    assert "contribution" not in doc.text and not re.search(r"\bnan\b", doc.text, re.IGNORECASE)
    sheet = client.get("/api/v1/series/city/iip/T/observations", params={"format": "csv"})
    assert sheet.status_code == 200 and "contribution" not in sheet.text
    assert not re.search(r"\bnan\b", sheet.text, re.IGNORECASE)
    child = client.get("/api/v1/series/city/iip/S1/observations", params={"format": "csv",
                                                                          "measure": "contribution_pp"})
    assert child.status_code == 200 and child.text.count(PERIODS[-1]) == 1

    for lang in ("vi", "en"):
        page = client.get("/industries", params={"source": "city", "code": "T", "period": PERIODS[-1],
                                                  "lang": lang})
        assert page.status_code == 200, page.text
        assert not re.search(r"\bnan\b", page.text, re.IGNORECASE)
        table = re.search(r'<table[^>]*id="iip-table".*?</table>', page.text, re.DOTALL)
        assert table is not None
        heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table[0], re.DOTALL)]
        col = next(i for i, h in enumerate(heads) if "Đóng góp" in h or "Contribution" in h)
        by_code = {}
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table[0], re.DOTALL):
            cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
            link = re.search(r"[?&;]code=([^&\"]+)", row)  # each row links to its industry's page
            if cells and link:
                by_code[link[1]] = cells
        assert by_code["T"][col] in ("–", ""), by_code["T"]  # no figure: a dash or nothing, never "nan"
        points = [by_code[c][col] for c in ("S1", "S2", "L1", "L2", "L3")]
        assert all(re.fullmatch(r"[+\-−]?\d+[,.]\d\d", p) for p in points), points
