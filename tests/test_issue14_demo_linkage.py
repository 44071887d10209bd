"""Issue 14: the synthetic linkage demo — suppliers, buyers, needs and purchases that read, match and add up."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from vnindustry.demo.linkage import BUYER_COLUMNS, PERIODS, PURCHASE_COLUMNS, LinkageDemo, generate_linkage
from vnindustry.linkage import match, read_needs, read_suppliers
from vnindustry.linkage.csvfiles import NEED_COLUMNS, SUPPLIER_COLUMNS
from vnindustry.sources.dataset import SYNTHETIC_MARKER

ON = dt.date(2026, 12, 6)
FILES = ("suppliers.csv", "needs.csv", "buyers.csv", "purchases.csv", SYNTHETIC_MARKER)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> LinkageDemo:
    return generate_linkage(tmp_path_factory.mktemp("linkage"))


@pytest.fixture(scope="module")
def read(demo: LinkageDemo):
    suppliers, s_warnings = read_suppliers(demo.suppliers)
    needs, n_warnings = read_needs(demo.needs)
    return suppliers, needs, s_warnings + n_warnings


@pytest.fixture(scope="module")
def matched(read):
    suppliers, needs, _ = read
    return match(suppliers, needs, on=ON, top=None)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")


def _has_marks(text: str) -> bool:
    return "đ" in text.lower() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


# --- files, formats and counts ---------------------------------------------------------------------------------

def test_files_read_with_only_the_deliberate_warnings(demo, read):
    suppliers, needs, warnings = read
    assert len(suppliers) == demo.n_suppliers == 300
    assert len(needs) == demo.n_needs == 60
    # The only warnings: the few mould makers listing EDM, a process outside the declared list.
    assert 1 <= len(warnings) <= 10
    assert all("column 'processes'" in w and "EDM" in w for w in warnings), warnings


def test_headers_counts_and_ids(demo):
    assert _header(demo.suppliers) == list(SUPPLIER_COLUMNS)
    assert _header(demo.needs) == list(NEED_COLUMNS)
    assert _header(demo.buyers) == list(BUYER_COLUMNS)
    assert _header(demo.purchases) == list(PURCHASE_COLUMNS)
    assert [r["supplier"] for r in _rows(demo.suppliers)] == [f"S{k:04d}" for k in range(1, 301)]
    assert [r["need"] for r in _rows(demo.needs)] == [f"N{k:03d}" for k in range(1, 61)]
    buyers = _rows(demo.buyers)
    assert [r["buyer"] for r in buyers] == [f"B{k:02d}" for k in range(1, 21)] and demo.n_buyers == 20
    assert {r["buyer"] for r in _rows(demo.needs)} == {r["buyer"] for r in buyers}  # every buyer posts needs
    assert sum(r["ownership"] == "fdi" for r in buyers) >= 14  # mostly FDI buyers
    for path in (demo.suppliers, demo.needs, demo.buyers, demo.purchases):
        path.read_bytes().decode("utf-8")  # strict UTF-8, no BOM needed


def test_suppliers_look_like_a_directory(read):
    suppliers, _, _ = read
    ownership = [s.ownership for s in suppliers]
    assert ownership.count("vn") / len(ownership) > 0.7 and ownership.count("fdi") and ownership.count("jv")
    assert len({s.name for s in suppliers}) == len(suppliers)
    assert all(s.name.startswith(("Công ty", "Cơ sở")) for s in suppliers)
    provinces = {s.district.rsplit(", ", 1)[-1] for s in suppliers if ", " in s.district}
    assert provinces == {"Bình Dương", "Đồng Nai", "Long An"}
    stripped = sum(not _has_marks(s.description) for s in suppliers)
    assert 0.04 * len(suppliers) <= stripped <= 0.18 * len(suppliers)  # about one in ten typed without marks
    no_capacity = sum(s.capacity is None for s in suppliers)
    assert 0.08 * len(suppliers) <= no_capacity <= 0.25 * len(suppliers)
    expiries = [c.expires for s in suppliers for c in s.certifications]
    assert all(c.term.entry is not None for s in suppliers for c in s.certifications)
    assert all(e is not None and dt.date(2025, 6, 1) <= e <= dt.date(2028, 12, 31) for e in expiries)
    expired = sum(e < ON for e in expiries)
    assert 0.03 * len(expiries) <= expired <= 0.25 * len(expiries)  # a few, not most
    assert all(s.hs and s.processes for s in suppliers)


def test_deterministic_for_a_seed(tmp_path, demo):
    again = generate_linkage(tmp_path / "again")
    other = generate_linkage(tmp_path / "other", seed=7)
    for name in FILES:
        assert (again.folder / name).read_bytes() == (demo.folder / name).read_bytes(), name
    for name in ("suppliers.csv", "needs.csv", "purchases.csv"):
        assert (other.folder / name).read_bytes() != (demo.folder / name).read_bytes(), name
    assert again.n_needs == demo.n_needs


def test_the_folder_is_marked_synthetic(demo):
    marker = demo.folder / SYNTHETIC_MARKER
    assert marker.is_file()
    text = marker.read_text(encoding="utf-8")
    assert "Synthetic" in text and "generate_linkage" in text


def test_small_sizes_and_bad_arguments(tmp_path):
    small = generate_linkage(tmp_path / "small", seed=3, n_suppliers=60, n_buyers=3)
    suppliers, _ = read_suppliers(small.suppliers)
    needs, _ = read_needs(small.needs)
    assert (len(suppliers), small.n_buyers) == (60, 3) and len(needs) == small.n_needs
    with pytest.raises(ValueError, match="n_suppliers"):
        generate_linkage(tmp_path / "x", n_suppliers=10)
    with pytest.raises(ValueError, match="n_buyers"):
        generate_linkage(tmp_path / "x", n_buyers=0)


# --- the power-tool maker ----------------------------------------------------------------------------------------

def test_power_tool_maker_localises_motors_pcbs_die_castings_and_plastics(demo, read):
    _, needs, _ = read
    buyers = {r["buyer"]: r for r in _rows(demo.buyers)}
    tool = [r for r in buyers.values() if r["sector"] == "power_tools" and "Khu Công nghệ cao" in r["district"]]
    assert len(tool) == 1
    b = tool[0]
    assert b["localisation_target_pct"] == "70" and b["ownership"] == "fdi"
    assert "TTI" not in b["name"] and "Techtronic" not in b["name"]
    mine = [n for n in needs if n.buyer == b["buyer"]]
    headings = {code[:4] for n in mine for code in n.hs}
    assert {"8501", "7616", "3926"} <= headings
    assert "8534" in headings or any(p.key == "pcb_assembly" for n in mine for p in n.processes)


# --- matching is meaningful -----------------------------------------------------------------------------------------

def test_every_need_has_at_least_three_suppliers_passing_the_filters(read, matched):
    _, needs, _ = read
    for need in needs:
        ranked = matched.of(need.id)
        assert len(ranked) >= 3, need.id
        # … and at least three of them make the same HS heading, so the candidates are plausible, not just
        # anyone offering one of the processes.
        same_heading = [m for m in ranked if any(p.term == "hs" and p.share >= 0.6 for p in m.parts)]
        assert len(same_heading) >= 3, need.id


def test_some_suppliers_are_filtered_out_for_an_expired_certificate(matched):
    assert any("hết hạn" in e.reason_vi for e in matched.excluded)


# --- purchases -------------------------------------------------------------------------------------------------------

def test_purchases_add_up_to_localisation_shares(demo, read):
    suppliers, _, _ = read
    by_id = {s.id: s for s in suppliers}
    rows = _rows(demo.purchases)
    buyers = {r["buyer"]: r for r in _rows(demo.buyers)}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        located, vn_owned = r["supplier_located_in_vn"], r["supplier_vn_owned"]
        assert located in ("0", "1") and vn_owned in ("0", "1")
        if r["supplier"].startswith("IMP-"):
            assert (located, vn_owned) == ("0", "0")
        else:
            s = by_id[r["supplier"]]
            assert located == "1" and vn_owned == ("1" if s.ownership == "vn" else "0")
        assert len(r["hs"]) in (4, 6) and r["hs"].isdigit()
        value = int(r["value_vnd"])
        assert value > 0
        acc = sums[(r["buyer"], r["period"])]
        acc[0] += value
        acc[1] += value * int(located)
        acc[2] += value * int(vn_owned)
    assert set(sums) == {(b, p) for b in buyers for p in PERIODS}
    for key, (total, located, vn_owned) in sums.items():
        assert 0 <= vn_owned / total <= located / total <= 1, key
        assert located < total, key  # every buyer still imports
    for b, row in buyers.items():  # below the target all along
        target = int(row["localisation_target_pct"]) / 100
        assert all(sums[(b, p)][1] / sums[(b, p)][0] < target + 0.05 for p in PERIODS), b
    tool = next(b for b, r in buyers.items() if r["sector"] == "power_tools" and r["localisation_target_pct"] == "70")
    start, end = (sums[(tool, p)][1] / sums[(tool, p)][0] for p in (PERIODS[0], PERIODS[-1]))
    assert 0.25 < start < end < 0.7  # localising, not there yet
