"""The Vietnamese headline paragraph: the real HCMC report's figures, and a snapshot of the demo's."""

import os
from pathlib import Path

import pandas as pd
import pytest

from vnindustry.publish.headline import headline, headline_lines, headline_vi

DATA = Path(__file__).parent / "data"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def _table(rows):
    cols = ["period", "code", "name_vi", "kind", "level", "index", "mom_pct", "yoy_pct", "ytd_pct", "ytd_prev_pct"]
    return pd.DataFrame(rows, columns=cols)


def test_reproduces_the_november_2020_report():
    # Figures of the Department's November 2020 report (tests/data/bulletin-style-hcmc-2020-11.txt).
    table = _table([
        ("2020-11", "TOTAL", "Toàn ngành công nghiệp", "total", 0, 101.0, 3.4, 0.2, -4.4, 7.4),
        ("2020-11", "KEY4", "4 ngành công nghiệp trọng yếu", "group", None, 102.0, 1.0, 1.5, 0.4, 6.2),
    ])
    table["ytd_prev_pct"] = [7.4, 6.2]
    table["ytd_pct"] = [-4.4, 0.4]
    text = headline_vi(table)
    assert text == (
        "Chỉ số sản xuất công nghiệp (IIP) tháng 11/2020 tăng 3,4% so với tháng trước và tăng 0,2% "
        "so với cùng kỳ năm trước. Lũy kế 11 tháng/2020, chỉ số IIP giảm 4,4% (cùng kỳ tăng 7,4%); "
        "trong đó, 4 ngành công nghiệp trọng yếu tăng 0,4% (cùng kỳ tăng 6,2%)."
    )
    report = (DATA / "bulletin-style-hcmc-2020-11.txt").read_text(encoding="utf-8")
    # The same phrases as the published report.
    for phrase in ("tăng 3,4% so với tháng trước và tăng 0,2% so với cùng kỳ năm trước",
                   "giảm 4,4% (cùng kỳ tăng 7,4%)", "4 ngành công nghiệp trọng yếu tăng 0,4% (cùng kỳ tăng 6,2%)"):
        assert phrase in report and phrase in text
    assert "ước tính tăng 3,4%" in headline_vi(table, status="estimate")
    english = headline(table, lang="en")
    assert english.startswith("The index of industrial production (IIP) for November 2020 was up 3.4% on the "
                              "previous month and up 0.2% on November 2019.")
    assert "In the first 11 months of 2020 the IIP was down 4.4% on a year earlier (2019: up 7.4%)" in english


def test_ranks_industries_by_year_on_year_change():
    rows = [("2025-06", "TOTAL", "Toàn ngành", "total", 0, 100.0, 1.0, 2.0, 3.0, 4.0)]
    for i, yoy in enumerate([12.5, -3.25, 0.5, 7.0, -8.0]):
        rows.append(("2025-06", f"D{i}", f"Ngành {i}", "industry", 2, 100.0, 0.0, yoy, 0.0, 0.0))
    _, _, fastest, slowest, _ = headline_lines(_table(rows), top=2)
    assert [x.same_month_last_year for x in fastest] == [12.5, 7.0]
    assert [x.same_month_last_year for x in slowest] == [-8.0, -3.25]
    text = headline_vi(_table(rows), top=2)
    assert "tăng cao: ngành 0 tăng 12,5%; ngành 3 tăng 7,0%." in text
    assert "Ở chiều ngược lại, một số ngành giảm: ngành 4 giảm 8,0%; ngành 1 giảm 3,3%." in text


def test_january_has_no_year_to_date_sentence():
    table = _table([("2025-01", "TOTAL", "Toàn ngành", "total", 0, 90.0, -12.0, 5.0, 5.0, 1.0)])
    assert "Lũy kế" not in headline_vi(table)


def test_unknown_period_is_a_clear_error():
    table = _table([("2025-01", "TOTAL", "Toàn ngành", "total", 0, 90.0, -12.0, 5.0, 5.0, 1.0)])
    with pytest.raises(ValueError, match="no rows for period 2024-01"):
        headline_vi(table, "2024-01")


def test_demo_headline_snapshot(tmp_path):
    """Snapshot of the generated text; refresh with VNINDUSTRY_UPDATE_SNAPSHOTS=1 after a deliberate change."""
    import vnindustry
    from vnindustry.demo.city import generate_city

    generate_city(tmp_path / "city")
    text = headline_vi(vnindustry.compile_dataset(tmp_path / "city").table) + "\n"
    snap = SNAPSHOTS / "demo_headline.txt"
    if os.environ.get("VNINDUSTRY_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(text, encoding="utf-8")
    assert text == snap.read_text(encoding="utf-8")
