"""Bad input: a clear error naming file, line and column, exit code 1, nothing written.

Every case starts from a small valid dataset written into ``tmp_path`` and breaks one thing in one file,
then checks that :func:`vnindustry.compile_iip` raises :class:`vnindustry.InputError` pointing at the
right file, line (header = line 1; ``row N`` for Parquet) and column, with a message that says what to do.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import vnindustry
from vnindustry import InputError
from vnindustry.cli import app

# --- the valid dataset ------------------------------------------------------------------------------------

INDUSTRIES = [
    "code,parent,name_vi,name_en,weight",  # line 1
    "TOTAL,,Toàn ngành công nghiệp,Total industry,",  # line 2
    "B,TOTAL,Khai khoáng,Mining and quarrying,",  # line 3
    "B08,B,Khai khoáng khác,Other mining and quarrying,30",  # line 4
    'C,TOTAL,"Công nghiệp chế biến, chế tạo",Manufacturing,',  # line 5
    "C10,C,Sản xuất chế biến thực phẩm,Manufacture of food products,50",  # line 6
    "C11,C,Sản xuất đồ uống,Manufacture of beverages,20",  # line 7
]
PRODUCTS = [
    "code,industry,name_vi,unit,weight,base_quantity",  # line 1
    "P1,B08,Đá xây dựng,nghìn m3,30,100",  # line 2
    "P2,C10,Thủy sản chế biến,tấn,30,50",  # line 3
    "P3,C10,Sữa tươi,nghìn lít,20,80",  # line 4
    "P4,C11,Bia,triệu lít,20,10",  # line 5
]
GROUPS = [
    "group,name_vi,name_en,industry",  # line 1
    "KEY,Ngành trọng điểm,Key industries,C10",  # line 2
    "KEY,Ngành trọng điểm,Key industries,C11",  # line 3
]
ENTERPRISES = [
    "enterprise,name,industry,district,ownership",  # line 1
    "E1,Công ty Đá Bình Dương,B08,Quận 9,ngoài nhà nước",  # line 2
    "E2,Công ty Thực phẩm Sài Gòn,C10,Thủ Đức,FDI",  # line 3
]
PERIODS = ["2025-01", "2025-02", "2025-03", "2025-04"]
PAIRS = [("E1", "P1", 100.0), ("E1", "P2", 50.0), ("E2", "P3", 80.0), ("E2", "P4", 10.0)]
# Month-major: the row of (month m, pair k) is data row 4*m + k + 1, i.e. CSV line 4*m + k + 2.
PRODUCTION_ROWS = [
    (e, p, period, base * (1 + 0.05 * m + 0.01 * k))
    for m, period in enumerate(PERIODS)
    for k, (e, p, base) in enumerate(PAIRS)
]
PRODUCTION = ["enterprise,product,period,quantity"] + [f"{e},{p},{per},{q:g}" for e, p, per, q in PRODUCTION_ROWS]
FILES = {
    "industries.csv": INDUSTRIES,
    "products.csv": PRODUCTS,
    "groups.csv": GROUPS,
    "enterprises.csv": ENTERPRISES,
    "production.csv": PRODUCTION,
}
COLUMNS = {name: lines[0].split(",") for name, lines in FILES.items()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small valid dataset: root → 2 sections → 3 leaves, 4 products, 2 enterprises, 4 months."""
    path = tmp_path / "dataset"
    path.mkdir()
    for name, lines in FILES.items():
        (path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- helpers ----------------------------------------------------------------------------------------------


def read_rows(folder: Path, name: str) -> list[list[str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(folder: Path, name: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")


def set_field(folder: Path, name: str, line: int, column: str, value: str) -> None:
    """Set one cell: ``line`` is the 1-based line of a one-line record (the header is line 1)."""
    rows = read_rows(folder, name)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(folder, name, rows)


def append_line(folder: Path, name: str, text: str) -> int:
    """Append a raw line; returns its line number."""
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    lines.append(text)
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def set_line(folder: Path, name: str, line: int, text: str | bytes) -> None:
    """Replace line ``line`` (1-based) with ``text`` (bytes are written as they are, for encoding cases)."""
    lines = (folder / name).read_bytes().split(b"\n")
    lines[line - 1] = text if isinstance(text, bytes) else text.encode("utf-8")
    (folder / name).write_bytes(b"\n".join(lines))


def drop_line(folder: Path, name: str, line: int) -> None:
    lines = (folder / name).read_bytes().split(b"\n")
    del lines[line - 1]
    (folder / name).write_bytes(b"\n".join(lines))


def write_parquet(folder: Path, rows: list[tuple[str, str, str | None, float | None]] | None = None) -> Path:
    """Replace production.csv by production.parquet holding ``rows`` (default: the valid rows)."""
    rows = PRODUCTION_ROWS if rows is None else rows
    table = pa.table({
        "enterprise": pa.array([r[0] for r in rows], pa.string()),
        "product": pa.array([r[1] for r in rows], pa.string()),
        "period": pa.array([r[2] for r in rows], pa.string()),
        "quantity": pa.array([r[3] for r in rows], pa.float64()),
    })
    (folder / "production.csv").unlink()
    path = folder / "production.parquet"
    pq.write_table(table, path)
    return path


def expect_error(folder: Path, file: str, line: int | None = None, column: str | None = None,
                 *, contains: tuple[str, ...] = (), location: str | None = None) -> InputError:
    """Compile ``folder``; assert an :class:`InputError` at ``file``/``line``/``column`` and return it."""
    with pytest.raises(InputError) as info:
        vnindustry.compile_dataset(folder)
    err = info.value
    text = str(err)
    assert err.file is not None and Path(err.file).name == file, text
    assert err.line == line, text
    assert err.location == location, text
    assert err.column == column, text
    assert text.startswith(err.file), text
    if line is not None:
        assert f", line {line}" in text, text
    if location is not None:
        assert location in text, text
    if column is not None:
        assert f"column '{column}'" in text, text
    for part in contains:
        assert part in text, text
    return err


def has_fix(err: InputError) -> bool:
    return bool(err.fix) and f" — {err.fix}" in str(err)


# --- the valid dataset compiles ---------------------------------------------------------------------------


def test_valid_dataset_compiles(folder: Path) -> None:
    result = vnindustry.compile_dataset(folder)
    assert result.stats["production_rows"] == len(PRODUCTION_ROWS)
    assert result.stats["periods"] == [PERIODS[0], PERIODS[-1]]
    assert set(result.table["code"]) == {"TOTAL", "B", "B08", "C", "C10", "C11", "KEY"}
    assert not (result.validation["check"] == "suspicious_value").any()


# --- missing and empty files, missing columns -------------------------------------------------------------


@pytest.mark.parametrize("name", ["industries.csv", "products.csv", "production.csv"])
def test_missing_file(folder: Path, name: str) -> None:
    (folder / name).unlink()
    err = expect_error(folder, name, contains=("file not found",))
    assert has_fix(err)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="dataset folder not found") as info:
        vnindustry.compile_dataset(tmp_path / "nowhere")
    assert info.value.file == str(tmp_path / "nowhere")
    assert has_fix(info.value)


@pytest.mark.parametrize(
    ("name", "column"),
    [(name, column) for name, columns in COLUMNS.items() for column in columns],
)
def test_missing_column(folder: Path, name: str, column: str) -> None:
    rows = read_rows(folder, name)
    i = rows[0].index(column)
    write_rows(folder, name, [row[:i] + row[i + 1:] for row in rows])
    err = expect_error(folder, name, 1, contains=(f"missing column(s) '{column}'",))
    assert has_fix(err) and ",".join(COLUMNS[name]) in err.fix


def test_missing_column_parquet(folder: Path) -> None:
    write_parquet(folder)
    table = pq.read_table(folder / "production.parquet").drop_columns(["period"])
    pq.write_table(table, folder / "production.parquet")
    err = expect_error(folder, "production.parquet", None, contains=("missing column(s) 'period'",))
    assert has_fix(err)


@pytest.mark.parametrize("name", list(FILES))
def test_column_named_twice(folder: Path, name: str) -> None:
    rows = read_rows(folder, name)
    write_rows(folder, name, [[*row, row[0]] for row in rows])
    first = COLUMNS[name][0]
    err = expect_error(folder, name, 1, contains=(f"column(s) named twice: {first}",))
    assert has_fix(err)


@pytest.mark.parametrize("name", list(FILES))
def test_empty_file(folder: Path, name: str) -> None:
    (folder / name).write_bytes(b"")
    err = expect_error(folder, name, 1, contains=("empty",))
    assert has_fix(err) and ",".join(COLUMNS[name]) in err.fix


@pytest.mark.parametrize(
    ("name", "message"),
    [("industries.csv", "no industries"), ("products.csv", "no products"), ("production.csv", "no production rows")],
)
def test_header_only_file(folder: Path, name: str, message: str) -> None:
    (folder / name).write_text(FILES[name][0] + "\n", encoding="utf-8")
    err = expect_error(folder, name, contains=(message,))
    assert has_fix(err)


# --- unknown codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "column", "message"),
    [
        ("production.csv", 9, "enterprise", "unknown enterprise code 'X9'"),
        ("production.csv", 9, "product", "unknown product code 'X9'"),
        ("products.csv", 3, "industry", "unknown industry code 'X9'"),
        ("groups.csv", 3, "industry", "unknown industry code 'X9'"),
        ("enterprises.csv", 3, "industry", "unknown industry code 'X9'"),
    ],
)
def test_unknown_code(folder: Path, name: str, line: int, column: str, message: str) -> None:
    set_field(folder, name, line, column, "X9")
    err = expect_error(folder, name, line, column, contains=(message,))
    assert has_fix(err)


def test_unknown_enterprise_is_fine_without_register(folder: Path) -> None:
    (folder / "enterprises.csv").unlink()
    set_field(folder, "production.csv", 9, "enterprise", "E9")
    result = vnindustry.compile_dataset(folder)
    assert result.stats["pairs"] == len(PAIRS) + 1


# --- duplicates -------------------------------------------------------------------------------------------


def test_duplicate_production_row(folder: Path) -> None:
    line = append_line(folder, "production.csv", "E2,P3,2025-02,81")  # first on line 8
    err = expect_error(folder, "production.csv", line,
                       contains=("duplicate row", "'E2'", "'P3'", "2025-02", "also on line 8"))
    assert has_fix(err)


def test_duplicate_production_row_other_month_spelling(folder: Path) -> None:
    line = append_line(folder, "production.csv", "E2,P3,2025M02,81")  # the same month as line 8
    err = expect_error(folder, "production.csv", line, contains=(
        "duplicate row", "period 2025-02 (also on line 8; the month is written as 2025-02 and 2025M02)"))
    assert has_fix(err)


def test_duplicate_industry_code(folder: Path) -> None:
    line = append_line(folder, "industries.csv", "C10,C,Chế biến thực phẩm,Food,5")
    err = expect_error(folder, "industries.csv", line, "code", contains=("'C10' appears twice", "first on line 6"))
    assert has_fix(err)


def test_duplicate_product_code(folder: Path) -> None:
    line = append_line(folder, "products.csv", "P3,C11,Nước giải khát,triệu lít,5,3")
    err = expect_error(folder, "products.csv", line, "code", contains=("'P3' appears twice", "first on line 4"))
    assert has_fix(err)


# --- quantities and periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "'abc' is not a number"),
        ("1,5", "use a point as the decimal separator"),
        ("-3", "negative quantity -3"),
        ("inf", "'inf' is not a finite number"),
        ("nan", "'nan' is not a finite number"),
        ("", "quantity is missing"),
        ("１２", "'１２' is not a number"),  # full-width digits, as some input methods type them
    ],
)
def test_bad_quantity(folder: Path, value: str, message: str) -> None:
    set_field(folder, "production.csv", 11, "quantity", value)
    err = expect_error(folder, "production.csv", 11, "quantity", contains=(message,))
    assert has_fix(err) and "0" in err.fix


@pytest.mark.parametrize("value", ["2025-13", "2025/01", "Jan 2025", "2025-1", ""])
def test_malformed_period(folder: Path, value: str) -> None:
    set_field(folder, "production.csv", 12, "period", value)
    shown = f"'{value}'" if value else "empty"
    err = expect_error(folder, "production.csv", 12, "period", contains=(f"malformed period {shown}",))
    assert has_fix(err) and "YYYY-MM" in err.fix


# --- weights and base quantities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "leaf industry 'C10' has products but no weight"),
        ("0", "greater than 0, got '0'"),
        ("-5", "greater than 0, got '-5'"),
        ("abc", "'abc' is not a number"),
        ("1,5", "decimal separator"),
        ("inf", "greater than 0, got 'inf'"),
    ],
)
def test_bad_leaf_weight(folder: Path, value: str, message: str) -> None:
    set_field(folder, "industries.csv", 6, "weight", value)
    err = expect_error(folder, "industries.csv", 6, "weight", contains=(message,))
    assert has_fix(err)


@pytest.mark.parametrize("column", ["weight", "base_quantity"])
@pytest.mark.parametrize(
    ("value", "message"),
    [("", "value is missing"), ("0", "got '0'"), ("-1", "got '-1'"), ("x", "'x' is not a number"),
     ("nan", "got 'nan'")],
)
def test_bad_product_number(folder: Path, column: str, value: str, message: str) -> None:
    set_field(folder, "products.csv", 4, column, value)
    err = expect_error(folder, "products.csv", 4, column, contains=(message,))
    assert has_fix(err) and "greater than 0" in err.fix


def test_parent_weight_disagrees(folder: Path) -> None:
    set_field(folder, "industries.csv", 5, "weight", "60")  # C10 + C11 = 70
    err = expect_error(folder, "industries.csv", 5, "weight", contains=("weight 60 of 'C'", "70"))
    assert has_fix(err)


def test_parent_weights_that_agree_are_accepted(folder: Path) -> None:
    set_field(folder, "industries.csv", 5, "weight", "70")
    set_field(folder, "industries.csv", 2, "weight", "100.0000001")  # rounding is tolerated
    result = vnindustry.compile_dataset(folder)
    weights = result.table.drop_duplicates("code").set_index("code")["weight"]
    assert weights["C"] == 70 and weights["TOTAL"] == 100


# --- the industry tree ------------------------------------------------------------------------------------


def test_cycle(folder: Path) -> None:
    a = append_line(folder, "industries.csv", "A,B2,Ngành A,Industry A,")
    append_line(folder, "industries.csv", "B2,A,Ngành B,Industry B,")
    err = expect_error(folder, "industries.csv", a, "parent", contains=("cycle: A → B2 → A",))
    assert has_fix(err)


def test_own_parent(folder: Path) -> None:
    set_field(folder, "industries.csv", 3, "parent", "B")
    err = expect_error(folder, "industries.csv", 3, "parent", contains=("'B' is its own parent",))
    assert has_fix(err)


def test_orphan(folder: Path) -> None:
    set_field(folder, "industries.csv", 7, "parent", "CX")
    err = expect_error(folder, "industries.csv", 7, "parent",
                       contains=("parent 'CX' of 'C11' is not an industry code",))
    assert has_fix(err)


def test_two_roots(folder: Path) -> None:
    set_field(folder, "industries.csv", 5, "parent", "")
    err = expect_error(folder, "industries.csv", 5, "parent", contains=("two or more roots", "TOTAL (line 2)"))
    assert has_fix(err)


def test_no_root_row(folder: Path) -> None:
    drop_line(folder, "industries.csv", 2)  # the sections now point at a TOTAL that is not there
    err = expect_error(folder, "industries.csv", 2, "parent", contains=("parent 'TOTAL' of 'B'",))
    assert has_fix(err)


def test_no_root_every_row_has_a_parent(folder: Path) -> None:
    set_field(folder, "industries.csv", 2, "parent", "C10")
    err = expect_error(folder, "industries.csv", 2, "parent", contains=("cycle: TOTAL → C10 → C → TOTAL",))
    assert has_fix(err)


def test_product_on_non_leaf(folder: Path) -> None:
    set_field(folder, "products.csv", 5, "industry", "C")
    err = expect_error(folder, "products.csv", 5, "industry", contains=("'C' is not a leaf", "C10, C11"))
    assert has_fix(err)


# --- encoding and structure -------------------------------------------------------------------------------

LATIN1 = "C12,C,Cà phê,Coffee,".encode("latin-1")  # "à" is b"\xe0", not valid UTF-8 here


@pytest.mark.parametrize("bad", [LATIN1, b"C12,C,S\xffn,Other,"])
def test_industries_not_utf8(folder: Path, bad: bytes) -> None:
    set_line(folder, "industries.csv", 7, bad)
    err = expect_error(folder, "industries.csv", 7, contains=("not valid UTF-8",))
    assert has_fix(err) and "UTF-8" in err.fix


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        (9, "Cà phê,P1,2025-02,1".encode("latin-1")),  # in a code
        (13, b"E2,P4,2025-03,1\xff"),  # in the quantity
        (17, b"E2,P4,2025-04,12 # gi\xe1"),  # on the last line
        (1, b"enterprise,product,period,quantity\xff"),  # in the header
    ],
)
def test_production_not_utf8(folder: Path, line: int, bad: bytes) -> None:
    set_line(folder, "production.csv", line, bad)
    err = expect_error(folder, "production.csv", line, contains=("not valid UTF-8",))
    assert has_fix(err)


def test_bom_is_accepted(folder: Path) -> None:
    for name in FILES:
        path = folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = vnindustry.compile_dataset(folder)
    assert result.stats["production_rows"] == len(PRODUCTION_ROWS)


def test_bom_does_not_shift_lines(folder: Path) -> None:
    path = folder / "production.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    set_field(folder, "production.csv", 6, "quantity", "-1")
    expect_error(folder, "production.csv", 6, "quantity", contains=("negative quantity",))


@pytest.mark.parametrize(("name", "line"), [("industries.csv", 4), ("products.csv", 3), ("groups.csv", 2),
                                            ("enterprises.csv", 3), ("production.csv", 10)])
def test_too_many_fields(folder: Path, name: str, line: int) -> None:
    text = (folder / name).read_text(encoding="utf-8").splitlines()[line - 1]
    set_line(folder, name, line, text + ",extra")
    err = expect_error(folder, name, line, contains=(f"{len(COLUMNS[name]) + 1} fields where the header has",))
    assert has_fix(err)


def test_too_few_fields_in_production(folder: Path) -> None:
    set_line(folder, "production.csv", 10, "E1,P2,2025-03")
    err = expect_error(folder, "production.csv", 10, contains=("3 fields where the header has 4",))
    assert has_fix(err)


def test_both_production_files(folder: Path) -> None:
    pq.write_table(pa.table({"enterprise": ["E1"], "product": ["P1"], "period": ["2025-01"], "quantity": [1.0]}),
                   folder / "production.parquet")
    with pytest.raises(InputError) as info:
        vnindustry.compile_dataset(folder)
    err = info.value
    assert err.file == str(folder)
    assert "production.csv" in str(err) and "production.parquet" in str(err)
    assert has_fix(err)


# --- Parquet: the same checks, located by row ------------------------------------------------------------


def _rows_with(i: int, **change: object) -> list[tuple]:
    rows = [list(r) for r in PRODUCTION_ROWS]
    for key, value in change.items():
        rows[i][("enterprise", "product", "period", "quantity").index(key)] = value
    return [tuple(r) for r in rows]


def test_parquet_valid(folder: Path) -> None:
    write_parquet(folder)
    csv_result = vnindustry.compile_dataset(folder)
    assert csv_result.stats["production_rows"] == len(PRODUCTION_ROWS)


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"quantity": -2.0}, "quantity", "negative quantity -2"),
        ({"quantity": float("inf")}, "quantity", "not a finite number"),
        ({"quantity": None}, "quantity", "quantity is missing"),
        ({"product": "P9"}, "product", "unknown product code 'P9'"),
        ({"enterprise": "E9"}, "enterprise", "unknown enterprise code 'E9'"),
        ({"period": "2025-13"}, "period", "malformed period '2025-13'"),
        ({"period": None}, "period", "malformed period empty"),
    ],
)
def test_parquet_bad_row(folder: Path, change: dict[str, object], column: str, message: str) -> None:
    write_parquet(folder, _rows_with(6, **change))  # data row 7
    err = expect_error(folder, "production.parquet", None, column, location="row 7", contains=(message,))
    assert has_fix(err)


def test_parquet_duplicate_row(folder: Path) -> None:
    write_parquet(folder, [*PRODUCTION_ROWS, PRODUCTION_ROWS[4]])  # a copy of row 5 as row 17
    err = expect_error(folder, "production.parquet", location="row 17", contains=("duplicate row", "also on row 5"))
    assert has_fix(err)


# --- the command line -------------------------------------------------------------------------------------


def test_cli_bad_input_exits_1_and_writes_nothing(folder: Path, tmp_path: Path) -> None:
    set_field(folder, "production.csv", 11, "quantity", "1,5")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["compile", str(folder), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "production.csv, line 11, column 'quantity'" in result.stderr
    assert "decimal separator" in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_cli_missing_file_exits_1(folder: Path, tmp_path: Path) -> None:
    (folder / "products.csv").unlink()
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["compile", str(folder), "--out", str(out)])
    assert result.exit_code == 1
    assert "products.csv" in result.stderr and "file not found" in result.stderr
    assert not out.exists()


def test_cli_usage_error_exits_2(folder: Path) -> None:
    result = CliRunner().invoke(app, ["compile", str(folder)])
    assert result.exit_code == 2
    assert "--out" in result.stderr


def test_cli_good_input_exits_0(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["compile", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"iip.csv", "products.csv", "validation.csv", "imputed.csv",
                                               "compile.json"}


# --- valid but suspicious: a warning, not an error --------------------------------------------------------


def test_suspicious_value_is_a_warning(folder: Path) -> None:
    set_field(folder, "production.csv", 6, "quantity", "105000")  # E1/P1 in 2025-02: 1000 × its median
    result = vnindustry.compile_dataset(folder)
    flagged = result.validation[result.validation["check"] == "suspicious_value"]
    assert len(flagged) == 1
    row = flagged.iloc[0]
    assert (row["enterprise"], row["product"], row["period"]) == ("E1", "P1", "2025-02")
    assert row["value"] == 105000 and "kg vs tấn" in row["message"]
