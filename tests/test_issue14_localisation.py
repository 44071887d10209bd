"""Issue 14, item 5: localisation rates from a buyer's declared purchases — two figures kept apart, the gap to
the target, and the open needs that would close it; checked by hand on a small file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vnindustry.cli import app
from vnindustry.errors import InputError
from vnindustry.linkage.csvfiles import Buyer
from vnindustry.linkage.localisation import gap, read_purchases, shares
from vnindustry.linkage.profiles import Need

PURCHASES = """buyer,period,supplier,hs,value_vnd,supplier_located_in_vn,supplier_vn_owned
B1,2025-01,IMP-1,850131,600,0,0
B1,2025-01,S1,761699,300,1,1
B1,2025-01,F1,392690,100,1,0
B1,2025-02,IMP-1,850131,500,0,0
B1,2025-02,IMP-2,761610,200,0,0
B1,2025-02,S1,761699,300,1,1
B2,2024-12,S2,4819,50,1,1
"""


@pytest.fixture
def purchases(tmp_path: Path) -> Path:
    path = tmp_path / "purchases.csv"
    path.write_text(PURCHASES, encoding="utf-8")
    return path


def test_two_figures_kept_apart(purchases: Path) -> None:
    by_month = {(s.buyer, s.period): s for s in shares(read_purchases(purchases))}
    january = by_month[("B1", "2025-01")]
    assert (january.total, january.located_in_vn, january.vn_owned) == (1000, 400, 300)
    assert january.located_pct == 40.0 and january.vn_owned_pct == 30.0  # the FDI supplier in VN counts once
    year = {(s.buyer, s.period): s for s in shares(read_purchases(purchases), by="year")}[("B1", "2025")]
    assert year.located_pct == pytest.approx(100 * 700 / 2000) and year.vn_owned_pct == pytest.approx(100 * 600 / 2000)


def test_gap_and_the_needs_that_close_it(purchases: Path) -> None:
    needs = [Need("N1", "B1", "Động cơ", hs=("850131",)), Need("N2", "B1", "Vỏ nhôm", hs=("761699",)),
             Need("N3", "B1", "Vỏ nhôm khác", hs=("7616",)), Need("N9", "B2", "Thùng", hs=("4819",))]
    g = gap(read_purchases(purchases), Buyer("B1", "Buyer", target_pct=60.0), needs)
    assert (g.start, g.end) == ("2024-03", "2025-02") and g.located_pct == 35.0 and g.gap_pct == 25.0
    # Abroad over the twelve months: 8501 → 1100, 7616 → 200. The motor alone closes the gap (35 + 55 = 90%).
    assert [(n, v) for n, v, _ in g.needs] == [("N1", 1100.0)] and g.needs[0][2] == pytest.approx(90.0)
    unreachable = gap(read_purchases(purchases), Buyer("B1", "Buyer", target_pct=99.0), needs)
    # Both headings taken once (N2 and N3 share 7616): 35 + 55 + 10 = 100%.
    assert [n for n, _, _ in unreachable.needs] == ["N1", "N2"] and unreachable.needs[-1][2] == pytest.approx(100.0)


@pytest.mark.parametrize(("line", "column"), [("B1,2025-13,S1,7616,1,1,1", "period"), ("B1,2025-01,S1,761,1,1,1", "hs"),
                                              ("B1,2025-01,S1,7616,-5,1,1", "value_vnd"),
                                              ("B1,2025-01,S1,7616,5,có lẽ,1", "supplier_located_in_vn")])
def test_bad_lines_name_file_line_and_column(tmp_path: Path, line: str, column: str) -> None:
    path = tmp_path / "purchases.csv"
    path.write_text(PURCHASES + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_purchases(path)
    assert caught.value.line == 9 and caught.value.column == column


def test_the_command_on_the_demo_set(tmp_path: Path) -> None:
    from vnindustry.demo.linkage import generate_linkage

    demo = generate_linkage(tmp_path / "linkage")
    out = tmp_path / "shares.csv"
    result = CliRunner().invoke(app, ["linkage", "localisation", str(demo.purchases), "--out", str(out),
                                      "--buyers", str(demo.buyers), "--needs", str(demo.needs)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").startswith("buyer,period,total_vnd")
    assert "B01" in result.output and "N0" in result.output  # the power-tool maker's gap and its needs
