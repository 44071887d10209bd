"""GSO monthly workbooks → tidy records: every figure traced to its cell, layouts by year, bad input.

The samples in tests/data/gso/xlsx are GSO's own workbooks for 2021-01, 2024-01 and 2025-02 (SOURCE.md).
Spot values below were read off the sheets by hand.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from builders import one
from vnindustry import InputError
from vnindustry.sources.gso import MEASURES, RECORD_COLUMNS, STATUSES, WorkbookImport, read_workbook
from vnindustry.sources.gso.layouts import TABLES, WORKBOOK_LAYOUTS, WorkbookLayout, layout_for

XLSX = Path(__file__).parent / "data" / "gso" / "xlsx"
SAMPLES = ("2021-01", "2024-01", "2025-02")
ALL_TABLES = {"iip", "products", "labour", "labour_province", "retail", "exports", "imports"}

# Records per table, as read from each sample (series × understood columns).
COUNTS = {
    "2021-01": {"iip": 74, "products": 132, "labour": 76, "labour_province": 128, "retail": 20, "exports": 159,
                "imports": 165},
    "2024-01": {"iip": 74, "products": 132, "labour": 76, "labour_province": 128, "retail": 20, "exports": 156,
                "imports": 174},
    "2025-02": {"iip": 148, "products": 165, "labour": 76, "labour_province": 128, "retail": 30, "exports": 224,
                "imports": 276},
}


@pytest.fixture(scope="module")
def imported() -> dict[str, WorkbookImport]:
    return {name: read_workbook(XLSX / f"{name}.xlsx") for name in SAMPLES}


@pytest.fixture(scope="module")
def books() -> dict[str, openpyxl.Workbook]:
    # data_only: the values Excel shows (cached results for the retail sheets' formulas).
    return {name: openpyxl.load_workbook(XLSX / f"{name}.xlsx", data_only=True) for name in SAMPLES}




# --- every sample ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLES)
def test_every_value_is_the_cell_it_names(imported, books, name):
    records = imported[name].records
    book = books[name]
    for sheet, cell, value in zip(records["sheet"], records["cell"], records["value"], strict=True):
        raw = book[sheet][cell].value
        assert isinstance(raw, (int, float)) and not isinstance(raw, bool), f"{sheet}!{cell}: {raw!r}"
        assert float(raw) == value, f"{sheet}!{cell}: {raw!r} != {value!r}"


@pytest.mark.parametrize("name", SAMPLES)
def test_shape_tables_and_clean_read(imported, name):
    result = imported[name]
    records = result.records
    assert tuple(records.columns) == RECORD_COLUMNS
    assert records["value"].dtype == "float64"
    assert set(records["table"]) == ALL_TABLES
    assert result.reference_period == name
    assert result.file == XLSX / f"{name}.xlsx"
    assert result.warnings == []  # the published samples read without a doubt
    assert records.groupby("table").size().to_dict() == COUNTS[name]
    assert set(records["status"]) <= set(STATUSES)
    assert {m.removeprefix("qty_") for m in records["measure"]} <= set(MEASURES)
    # The store keys a series by table and code: one figure per series, period and measure.
    key = records["code"].where(records["code"] != "", records["series"])
    assert not records.assign(key=key).duplicated(["table", "key", "period", "measure"]).any()
    # Units: comparisons in %, levels in the unit printed for them.
    pct = records["measure"].str.contains("pct|share")
    assert (records.loc[pct, "unit"] == "%").all()
    assert (records.loc[~pct, "unit"] != "").all()
    assert set(result.layouts.values()) <= {layout.key for layout in WORKBOOK_LAYOUTS}
    assert "CPI" in " ".join(result.ignored_sheets)


def test_reference_period_picks_the_layout_family(imported):
    assert imported["2021-01"].layouts["IIP"] == "iip/-2024"
    assert imported["2024-01"].layouts["2. IIP"] == "iip/-2024"
    assert imported["2025-02"].layouts["2.IIPthang"] == "iip/2025-"
    assert imported["2025-02"].layouts["14.XK"] == "exports/2025-"


# --- IIP and labour ---------------------------------------------------------------------------------------

def test_iip_2025_02(imported):
    r = imported["2025-02"].records
    total = r[(r["table"] == "iip") & (r["code"] == "TOTAL")]
    assert one(total, measure="pct_same_month_last_year", period="2025-02")["value"] == 117.17
    assert one(total, measure="pct_prev_month", period="2025-02")["value"] == 97.77
    assert one(total, measure="pct_ytd_last_year", period="2025-02")["value"] == 107.24
    # The previous month's comparison is about January, revised once, no status word printed.
    jan = one(total, measure="pct_same_month_last_year", period="2025-01")
    assert (jan["value"], jan["status"], jan["cell"]) == (99.04, "preliminary", "B9")
    assert set(total.loc[total["period"] == "2025-02", "status"]) == {"estimate"}
    assert set(total["series"]) == {"Toàn ngành công nghiệp"}


def test_iip_2021_01_index_convention(imported):
    r = imported["2021-01"].records
    total = one(r, table="iip", code="TOTAL", measure="pct_prev_month")
    # GSO prints 96,75 (previous month = 100) for a fall of 3,25%: kept as printed.
    assert (total["value"], total["period"], total["unit"], total["cell"]) == (96.75, "2021-01", "%", "B7")
    assert one(r, table="iip", code="TOTAL", measure="pct_same_month_last_year")["value"] == 122.16


@pytest.mark.parametrize("name", SAMPLES)
def test_iip_vsic_codes(imported, name):
    r = imported[name].records
    iip = r[r["table"] == "iip"].drop_duplicates("series").set_index("series")["code"]
    assert iip["Khai khoáng"] == "B"
    assert iip["Sản xuất đồ uống"] == "11"
    assert iip["Công nghiệp chế biến, chế tạo"] == "C"
    assert iip["Sản xuất và phân phối điện"] == "35"
    # Printed on three lines; the label keeps the words with single spaces.
    wood = "Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); sản xuất sản phẩm " \
           "từ rơm, rạ và vật liệu tết bện"
    assert iip[wood] == "16"
    assert (iip != "").all() and len(iip) == 37


def test_labour(imported):
    r = imported["2025-02"].records
    total = one(r, table="labour", code="TOTAL", measure="pct_same_month_last_year")
    # "thời điểm 01/02/2025": the index at the 1st of the reported month.
    assert (total["value"], total["period"], total["status"]) == (104.43, "2025-02", "estimate")
    r21 = imported["2021-01"].records
    assert one(r21, table="labour", code="TOTAL", measure="pct_prev_month")["value"] == 101.11
    assert one(r21, table="labour", code="39", measure="pct_same_month_last_year")["value"] == 130


def test_labour_by_province_reads_past_the_page_break(imported):
    r = imported["2025-02"].records
    prov = r[r["table"] == "labour_province"]
    assert prov["series"].nunique() == 64
    hcmc = one(prov, code="tp-ho-chi-minh", measure="pct_prev_month")
    assert (hcmc["value"], hcmc["cell"]) == (100.65, "B67")
    # Below the repeated title "5. (Tiếp theo) …" at row 41.
    assert one(prov, code="ca-mau", measure="pct_same_month_last_year")["value"] == 105.01
    assert one(prov, code="TOTAL", measure="pct_prev_month")["series"] == "CẢ NƯỚC"


# --- products ----------------------------------------------------------------------------------------------

def test_products_2025_02(imported):
    r = imported["2025-02"].records
    coal = r[(r["table"] == "products") & (r["code"] == "than-da-than-sach")]
    prev = one(coal, measure="level", period="2025-01")
    assert (prev["value"], prev["status"], prev["unit"], prev["cell"]) == (3439.7326528144504, "actual",
                                                                           "Nghìn tấn", "C9")
    now = one(coal, measure="level", period="2025-02")
    assert (now["value"], now["status"]) == (3769.05763761441, "estimate")
    ytd = one(coal, measure="level_ytd", period="2025-02")
    # "Cộng dồn 2 tháng" has no status word and includes the estimated month.
    assert (ytd["value"], ytd["status"]) == (7208.79029042886, "estimate")
    assert one(coal, measure="pct_ytd_last_year")["value"] == 102.09622555093054


def test_products_previous_month_column_is_the_previous_month(imported):
    r = imported["2021-01"].records
    coal = r[(r["table"] == "products") & (r["code"] == "than-da-than-sach")]
    prev = one(coal, measure="level", status="actual")
    assert (prev["period"], prev["value"]) == ("2020-12", 3327.4790773538098)  # "Thực hiện tháng 12 năm 2020"
    assert one(coal, measure="pct_prev_month")["value"] == 106.06638914620521
    assert one(coal, measure="pct_prev_month")["status"] == "estimate"  # compares the month's estimate


@pytest.mark.parametrize("name", SAMPLES)
def test_products_ditto_units(imported, name):
    r = imported[name].records
    units = r[(r["table"] == "products") & (r["measure"] == "level")].drop_duplicates("code").set_index("code")
    assert units.at["dau-mo-tho-khai-thac", "unit"] == "Nghìn tấn"  # printed as " under "Nghìn tấn"
    assert units.at["xe-may", "unit"] == "Nghìn chiếc"  # " under Ô tô's "Nghìn chiếc"
    assert units.at["linh-kien-dien-thoai", "unit"] == "Nghìn tỷ đồng"  # "Nghìn \ntỷ đồng"
    assert units.at["tivi", "series"] in ("Tivi", "Ti vi")  # renamed in 2025, one code


# --- retail ------------------------------------------------------------------------------------------------

def test_retail(imported):
    r25 = imported["2025-02"].records
    total = r25[(r25["table"] == "retail") & (r25["code"] == "TOTAL")]
    assert one(total, measure="level", period="2025-02")["value"] == 561672.746841149
    assert one(total, measure="level", period="2025-01")["status"] == "preliminary"  # "Sơ bộ tháng 01"
    assert one(total, measure="level_ytd")["value"] == 1137503.035933341
    goods = one(r25, table="retail", code="ban-le-hang-hoa", measure="share_pct_ytd")
    assert (goods["value"], goods["unit"], goods["cell"]) == (77.2178965538885, "%", "E13")
    assert one(total, measure="level", period="2025-02")["unit"] == "Tỷ đồng"  # from the header "(Tỷ đồng)"

    r21 = imported["2021-01"].records
    dec = one(r21, table="retail", code="TOTAL", measure="level", period="2020-12")
    assert (dec["value"], dec["status"]) == (463042.8296339079, "actual")  # "Thực hiện tháng 12 năm 2020"
    # The structure column is a formula (=+D8/$D$7*100); the workbook's cached result is the figure.
    share = one(r21, table="retail", code="ban-le-hang-hoa", measure="share_pct")
    assert (share["value"], share["period"], share["cell"]) == (78.95049862019951, "2021-01", "E8")
    assert one(imported["2024-01"].records, table="retail", code="TOTAL", period="2023-12")["status"] \
        == "preliminary"  # "Sơ bộ tháng 12 năm 2023"


# --- trade -------------------------------------------------------------------------------------------------

def test_exports_2025_02(imported):
    r = imported["2025-02"].records
    ex = r[r["table"] == "exports"]
    total = one(ex, code="TOTAL", measure="level")
    assert (total["value"], total["period"], total["status"], total["unit"]) == (31109.320468, "2025-02",
                                                                                 "preliminary", "Triệu USD")
    assert one(ex, code="TOTAL", measure="level_ytd")["value"] == 64268.238065
    assert one(ex, code="TOTAL", measure="pct_same_month_last_year")["status"] == "preliminary"
    assert one(ex, code="khu-vuc-kinh-te-trong-nuoc", measure="level")["value"] == 8388
    assert one(ex, code="khu-vuc-co-von-dau-tu-nn", measure="level")["value"] == 22720.642807
    # Crude oil twice: as part of the FDI sector and as a commodity, with the same figures.
    fdi_crude = one(ex, code="khu-vuc-co-von-dau-tu-nn.dau-tho", measure="level")
    crude = one(ex, code="dau-tho", measure="level")
    assert fdi_crude["value"] == crude["value"] == 123.520447
    assert (fdi_crude["cell"], crude["cell"]) == ("D12", "D26")
    cashew = one(ex, code="hat-dieu", measure="qty_level")
    assert (cashew["value"], cashew["unit"], cashew["cell"]) == (29.268315810511115, "Nghìn tấn", "C17")
    assert one(ex, code="hat-dieu", measure="qty_pct_ytd_last_year")["value"] == 72.81981553666122
    # 2025's wording maps to the codes of earlier years.
    assert one(ex, code="dien-thoai-va-linh-kien", measure="level")["series"] == "Điện thoại các loại và linh kiện"
    assert one(ex, code="det-may", measure="level")["series"] == "Hàng dệt, may"


def test_exports_earlier_years(imported):
    r21 = imported["2021-01"].records
    assert one(r21, table="exports", code="TOTAL", measure="level", period="2021-01")["value"] == 27700
    dec = one(r21, table="exports", code="TOTAL", measure="level", period="2020-12")
    assert (dec["value"], dec["status"]) == (27653.036996, "actual")
    r24 = imported["2024-01"].records
    year = one(r24, table="exports", code="TOTAL", measure="level", period="2023")  # "Sơ bộ năm 2023"
    assert (year["value"], year["status"]) == (354671.29945, "preliminary")


def test_imports_footnote_units(imported):
    r = imported["2025-02"].records
    cars = r[(r["table"] == "imports") & (r["code"] == "o-to.nguyen-chiec")]
    assert set(cars["series"]) == {"Trong đó: Nguyên chiếc(*)"}
    # "(*)Chiếc, triệu USD" under the table: the units of the (*) row.
    qty = one(cars, measure="qty_level")
    assert (qty["value"], qty["unit"]) == (17148.3179344646, "Chiếc")
    assert one(cars, measure="level")["unit"] == "Triệu USD"
    assert one(r, table="imports", code="o-to", measure="level")["value"] == 789.3461629999999


# --- the registry ------------------------------------------------------------------------------------------

def test_layouts_are_declared_entries():
    assert all(isinstance(layout, WorkbookLayout) for layout in WORKBOOK_LAYOUTS)
    keys = [layout.key for layout in WORKBOOK_LAYOUTS]
    assert len(keys) == len(set(keys))
    with pytest.raises(dataclasses.FrozenInstanceError):
        WORKBOOK_LAYOUTS[0].title = "x"  # type: ignore[misc]
    # Every table has exactly one family for every year.
    for table in TABLES:
        for year in range(2010, 2031):
            covering = [x for x in WORKBOOK_LAYOUTS if x.table == table and x.covers(year)]
            assert len(covering) == 1, (table, year)
            assert layout_for(table, year) == (covering[0], True)


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> WorkbookImport:
    """The 2025-02 sample with a renamed IIP header, a new products column, text in a figure cell, and
    other ditto marks."""
    book = openpyxl.load_workbook(XLSX / "2025-02.xlsx", data_only=True)
    book["2.IIPthang"]["D6"] = "bình quân"  # "… so với bình quân năm trước": not a known comparison
    products = book["3.SPCNthang"]
    products["H4"] = "Chỉ số bình quân"  # a column no layout knows, with figures
    for row in range(9, 13):
        products.cell(row, 8, 100.0 + row)
    products["D14"] = "n/a"  # text where a figure belongs
    products["B10"] = "''"  # ditto mark variants
    products["B13"] = "“"
    path = tmp_path_factory.mktemp("edited") / "2025-02-edited.xlsx"
    book.save(path)
    return read_workbook(path)


def test_unknown_header_is_a_warning_naming_sheet_and_cells(edited):
    text = "\n".join(edited.warnings)
    assert "sheet '2.IIPthang'" in text and "2.IIPthang!D3:D7" in text
    assert "bình quân" in text
    # The family expects the month's comparison with last year: its absence is said too.
    assert "no column for pct_same_month_last_year of 2025-02" in text
    assert "3.SPCNthang!H4" in text and "Chỉ số bình quân" in text
    assert "'n/a' at 3.SPCNthang!D14 is not a number" in text
    r = edited.records
    iip = r[r["table"] == "iip"]
    assert "D" not in {cell[0] for cell in iip["cell"]}
    assert len(iip) == 111  # 37 rows × the three other columns
    assert not (r["cell"].str.startswith("H") & (r["sheet"] == "3.SPCNthang")).any()
    assert set(r["table"]) == ALL_TABLES  # the rest of the workbook is read


def test_ditto_variants(edited):
    r = edited.records
    levels = r[(r["table"] == "products") & (r["measure"] == "level")].drop_duplicates("code").set_index("code")
    assert levels.at["dau-mo-tho-khai-thac", "unit"] == "Nghìn tấn"  # ''
    assert levels.at["xang-dau", "unit"] == "Nghìn tấn"  # “


def test_not_an_xlsx_is_an_input_error(tmp_path):
    fake = tmp_path / "2025-03.xlsx"
    fake.write_text("Chỉ số sản xuất công nghiệp\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_workbook(fake)
    assert info.value.file == str(fake)
    assert "not an Excel .xlsx workbook" in str(info.value)
    assert info.value.fix and ".xlsx" in info.value.fix
    with pytest.raises(InputError, match="file not found"):
        read_workbook(tmp_path / "missing.xlsx")


def test_no_known_table_is_an_input_error(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "CPI"
    book.active["A1"] = "16. Chỉ số giá tiêu dùng"
    book.active["B3"] = 101.2
    book.create_sheet("XK")["A1"] = "Bảng khác"  # named like exports, titled otherwise
    book.save(path)
    with pytest.raises(InputError) as info:
        read_workbook(path)
    assert info.value.file == str(path)
    assert "none of the known GSO tables" in str(info.value)
    assert "sheet 'XK' is named like the exports table" in str(info.value)


def test_a_known_table_without_readable_figures_is_an_input_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2. IIP"
    ws["A1"] = "2. Chỉ số sản xuất công nghiệp"
    ws["B4"], ws["C4"] = "Tháng 3 năm 2025", "Tháng 3 năm 2025"
    ws["B5"], ws["C5"] = "bình quân", "trung vị"
    ws["A7"], ws["B7"], ws["C7"] = "Toàn ngành công nghiệp", 101.0, 99.0
    book.save(path)
    with pytest.raises(InputError) as info:
        read_workbook(path)
    assert info.value.file == str(path)
    assert "2. IIP" in str(info.value) and "B4:B5" in str(info.value)


def test_series_places_for_the_store(imported):
    from vnindustry.sources.gso.labels import series_places

    r = imported["2025-02"].records
    places = series_places(r)
    assert places.index.equals(r.index)
    placed = r.join(places).drop_duplicates(["table", "code"]).set_index(["table", "code"])
    assert tuple(placed.loc[("iip", "TOTAL"), ["kind", "level", "parent"]]) == ("total", 0, "")
    assert tuple(placed.loc[("iip", "B"), ["kind", "level", "parent"]]) == ("industry", 1, "TOTAL")
    assert tuple(placed.loc[("iip", "11"), ["kind", "level", "parent"]]) == ("industry", 2, "C")
    assert tuple(placed.loc[("iip", "35"), ["kind", "level", "parent"]]) == ("industry", 2, "TOTAL")
    assert tuple(placed.loc[("exports", "khu-vuc-co-von-dau-tu-nn.dau-tho"), ["kind", "level", "parent"]]) \
        == ("group", 2, "khu-vuc-co-von-dau-tu-nn")
    assert tuple(placed.loc[("imports", "o-to.nguyen-chiec"), ["kind", "level", "parent"]]) == ("item", 2, "o-to")
    assert tuple(placed.loc[("retail", "ban-le-hang-hoa"), ["kind", "level", "parent"]]) == ("item", 1, "TOTAL")
