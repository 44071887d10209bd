"""The long CSV history of GSO's monthly tables (scraped, first-published figures) → tidy records.

tests/data/gso/csv holds the scraper's files unchanged (SOURCE.md lists their known faults).
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
from pathlib import Path

import pytest

from builders import one
from vnindustry import InputError
from vnindustry.sources.gso import RECORD_COLUMNS, HistoryImport, read_history
from vnindustry.sources.gso.layouts import HISTORY_LAYOUTS

CSV = Path(__file__).parent / "data" / "gso" / "csv"


@pytest.fixture(scope="module")
def history() -> HistoryImport:
    return read_history(CSV)




def lines_of(name: str) -> list[list[str]]:
    """The file's records by line number (line 1 = header; no field spans lines in these files)."""
    text = (CSV / name).read_text(encoding="utf-8-sig")
    return [[], *csv.reader(io.StringIO(text))]


def test_shape_and_counts(history):
    r = history.records
    assert tuple(r.columns) == RECORD_COLUMNS
    assert history.reference_period is None
    assert history.file == CSV
    assert set(history.files) == {layout.file for layout in HISTORY_LAYOUTS}
    counts = r.groupby("table").size()
    # Roughly lines × columns read, less empty cells and the scraper's repeated lines.
    expected = {"iip": (4_400 * 4 * 0.95, 4_423 * 4), "products": (4_700 * 5 * 0.95, 4_734 * 5),
                "retail": (973 * 3, 973 * 5), "exports": (5_059 * 3, 5_059 * 4), "imports": (5_071 * 3, 5_071 * 4),
                "trade_balance": (800, 800), "trade_turnover": (800, 800)}
    for table, (low, high) in expected.items():
        assert low <= counts[table] <= high, (table, counts[table])
    assert len(history.releases) == len(r)
    assert set(r["sheet"]) == {layout.file for layout in HISTORY_LAYOUTS}
    assert r["cell"].str.fullmatch(r"line \d+").all()


def test_values_are_the_csv_fields(history):
    """A sample of records: the value is one of the line's fields, exactly."""
    r = history.records
    sample = r.iloc[random.Random(7).sample(range(len(r)), 400)]
    files = {name: lines_of(name) for name in set(sample["sheet"])}
    for sheet, cell, value in zip(sample["sheet"], sample["cell"], sample["value"], strict=True):
        fields = files[sheet][int(cell.removeprefix("line "))]
        numbers = set()
        for field in fields:
            with contextlib.suppress(ValueError):
                numbers.add(float(field))
        assert value in numbers, (sheet, cell, value)


def test_iip_changes(history):
    r = history.records
    iip = r[(r["table"] == "iip") & (r["code"] == "TOTAL") & (r["sheet"] == "iip.csv")]
    # Line 2: Toàn ngành công nghiệp,-0.9599999999999937,-2.230000000000004,17.17,7.239999999999995,…,2025-02
    mom = one(iip, measure="pct_change_prev_month", period="2025-02")
    assert (mom["value"], mom["status"], mom["cell"], mom["unit"]) == (-2.230000000000004, "estimate", "line 2", "%")
    assert one(iip, measure="pct_change_ytd_last_year", period="2025-02")["value"] == 7.239999999999995
    # January 2025 vs a year earlier: first estimated +0,61% (January's release, line 39), revised to −0,96%
    # in February's (line 2) — two vintages of one figure.
    jan = iip[(iip["measure"] == "pct_change_same_month_last_year") & (iip["period"] == "2025-01")]
    assert sorted(zip(jan["status"], jan["value"], jan["cell"], strict=True)) == [
        ("estimate", 0.6099999999999994, "line 39"), ("preliminary", -0.9599999999999937, "line 2")]
    # Line 10: "Sản xuất, chế biến thực phẩm" (VSIC 10), MOM in the fourth field.
    food = one(r, table="iip", code="10", period="2025-02", measure="pct_change_prev_month")
    assert (food["value"], food["cell"]) == (float(lines_of("iip.csv")[10][3]), "line 10")
    assert food["value"] == 0.3100000000000023


def test_retail_keeps_the_index_form(history):
    r = history.records
    total = r[(r["table"] == "retail") & (r["code"] == "TOTAL")]
    # tongmuc.csv line 2: TỔNG SỐ,575830.2890921918,561672.746841149,1137503.035933341,109.42577443382355,…
    assert one(total, measure="pct_same_month_last_year", period="2025-02")["value"] == 109.42577443382355
    prev = one(total, measure="level", period="2025-01", cell="line 2")
    assert (prev["value"], prev["status"], prev["unit"]) == (575830.2890921918, "preliminary", "Tỷ đồng")
    assert one(total, measure="level_ytd", period="2025-02")["value"] == 1137503.035933341


def test_products_cumulative_previous_month(history):
    r = history.records
    coal = r[(r["table"] == "products") & (r["code"] == "than-da-than-sach")]
    # 2017-06's release: "Total-Pre-Month" 17035.8 + 3605.8 = 20641.6, the year to date: Jan–May.
    may = one(coal, period="2017-05", measure="level_ytd", status="actual")
    assert (may["value"], may["status"]) == (17035.8, "actual")
    # From 2018-08 the column is the previous month again.
    # spcn.csv line 2343 (the 2019-03 release): previous month 2797.19244070862 + 4373.0637834025 is not
    # the year to date 11113.98838073763, so it is February's level.
    feb = one(coal, period="2019-02", measure="level", status="actual")
    assert (feb["value"], feb["cell"]) == (2797.19244070862, "line 2343")
    assert any("holds the total from January to the previous month" in w for w in history.warnings)


def test_trade_codes_and_repeats(history):
    r = history.records
    ex = r[(r["table"] == "exports")]
    feb = ex[ex["period"] == "2025-02"]
    assert one(feb, code="TOTAL", measure="level")["value"] == 31109.320468
    assert one(feb, code="TOTAL", measure="level_ytd")["value"] == 64268.238065
    # xk.csv prints crude oil four times a month: twice in the sector block, twice as a commodity.
    assert one(feb, code="khu-vuc-co-von-dau-tu-nn.dau-tho", measure="level")["cell"] == "line 5"
    assert one(feb, code="dau-tho", measure="level")["cell"] == "line 19"
    assert any(w.startswith("xk.csv: 260 lines repeat") for w in history.warnings)
    balance = one(r, table="trade_balance", code="TOTAL", period="2025-02", measure="level")
    assert balance["value"] == -1549.9645119999986
    cars = r[(r["table"] == "imports") & r["code"].str.endswith("nguyen-chiec")]
    assert set(cars["code"]) == {"o-to.nguyen-chiec", "xe-may-va-linh-kien-phu-tung.nguyen-chiec"}


def test_gap_is_reported(history):
    assert any(w.startswith("iip.csv: no lines for 2017-05") for w in history.warnings)


def test_releases_hold_each_figure_once(history):
    releases = list(history.by_release())
    assert len(releases) == 158  # 2012-01 … 2025-02
    assert releases[-1][0] == "2025-02"
    for _, rows in releases:
        key = rows["code"].where(rows["code"] != "", rows["series"])
        assert not rows.assign(key=key).duplicated(["table", "key", "period", "measure"]).any()


# --- malformed input --------------------------------------------------------------------------------------

IIP_HEADER = ",Ngành,YOY-Pre-Month,MOM,E-YOY,YTD-YOY,Date,Month,PreMonth,YOY"
IIP_LINES = [
    IIP_HEADER,  # line 1
    "0,Toàn ngành công nghiệp,-0.96,-2.23,17.17,7.24,2025-02-28,2025-02,2025-01,17.17",  # 2
    "1,Khai khoáng,-12.29,-1.45,0.43,-6.41,2025-02-28,2025-02,2025-01,0.43",  # 3
    "2,Dệt,1,2,3,4,2025-02-28,2025-02",  # 4: the last two fields missing
    "3,Sản xuất đồ uống,1,abc,3,4,2025-02-28,2025-02,2025-01,3",  # 5: text in MOM
    "4,,1,2,3,4,2025-02-28,2025-02,2025-01,3",  # 6: no label
    "5,Sản xuất trang phục,1,2,3,4,2025-02-28,2025-13,2025-12,3",  # 7: no such month
    "6,Sản xuất giấy và sản phẩm từ giấy,1,inf,3,4,2025-02-28,2025-02,2025-01,3",  # 8: infinite
    "7,Sản xuất kim loại,1,2,3,4,2025-02-28,2025-02,2024-12,3",  # 9: PreMonth is not the month before
    "8,Toàn ngành công nghiệp,,-4.36,18.26,18.26,2024-12-29,2024-12,2024-11,18.86",  # 10
]


def test_malformed_lines_are_warnings_with_line_numbers(tmp_path):
    (tmp_path / "iip.csv").write_text("\n".join(IIP_LINES) + "\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = read_history(tmp_path)
    text = "\n".join(result.warnings)
    for line, why in ((4, "8 fields where the header has 10"), (5, "'abc' in column 'MOM' is not a number"),
                      (6, "no label"), (7, "Month '2025-13'"), (8, "'inf' in column 'MOM'"),
                      (9, "PreMonth '2024-12'")):
        assert f"iip.csv: line {line}: {why}" in text, line
    assert "notes.csv: not one of the known history files" in text
    assert "iip.csv: no lines for 2025-01" in text  # between 2024-12 and 2025-02
    r = result.records
    assert set(r["cell"]) == {"line 2", "line 3", "line 10"}
    assert one(r, code="B", measure="pct_change_prev_month")["value"] == -1.45
    assert one(r, code="TOTAL", period="2024-12", measure="pct_change_ytd_last_year")["value"] == 18.26
    assert set(history_releases(result)) == {"2025-02", "2024-12"}


def history_releases(result: HistoryImport) -> list[str]:
    return [month for month, _ in result.by_release()]


def test_unknown_and_missing_columns_are_warnings(tmp_path):
    lines = [IIP_HEADER.replace("E-YOY", "E-YOY-NEW"), IIP_LINES[1]]
    (tmp_path / "iip.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_history(tmp_path)
    text = "\n".join(result.warnings)
    assert "iip.csv: line 1: column 'E-YOY-NEW' is not one the reader knows; skipped" in text
    assert "iip.csv: line 1: column(s) E-YOY missing" in text
    assert len(result.records) == 3


def test_errors(tmp_path):
    with pytest.raises(InputError, match="folder not found"):
        read_history(tmp_path / "nowhere")
    (tmp_path / "other.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_history(tmp_path)
    assert info.value.file == str(tmp_path)
    assert "iip.csv" in str(info.value)
    (tmp_path / "xk.csv").write_text("Ngành,Total-M\nTỔNG TRỊ GIÁ,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="no figures"):
        read_history(tmp_path)  # xk.csv lacks Month and PreMonth: skipped with a warning, nothing left
