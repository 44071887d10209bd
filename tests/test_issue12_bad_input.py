"""Issue 12, item 6: bad input, everywhere it enters — one regression test per failure seen on the demo.

1. A quantity of 1.7e308 was stored and erased the month's IIP (overflow → empty levels, exit 0): a plausibility
   ceiling (setting ``max_quantity``) in the portal's JSON, form and upload, ``import-dataset`` and ``compile``.
2. An .xlsx whose sheet inflates to 49 MB took a minute and 2.6 GB per upload, and rows after the 2,000th were
   ignored silently: the zip is inspected before parsing, the sheet streamed, every cap named.
3. "0.250" typed in a Vietnamese form was stored as 250: ambiguous text is refused, saying why and what to type.
4. NUL characters gave 500 on PostgreSQL: control characters are refused with 422 on every route that takes text.
5. ``import-workbook`` dropped an uncalculated formula or a merged cell without a warning and stored an IIP of −5
   or 1e308: every unreadable cell is a warning naming sheet!cell; impossible values refuse the workbook.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from vnindustry.cli import app as cli
from vnindustry.errors import InputError
from vnindustry.portal import excel
from vnindustry.portal.reports import ReportRejected, submit_report
from vnindustry.publish.numbers import NumberTextError, format_number, parse_number
from vnindustry.store import open_store
from vnindustry.store.models import Report, ReportLine

DATA = Path(__file__).parent / "data"
PPI = DATA / "ppi_manual"
HUGE = "1.7e308"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(PPI, folder)
    return folder


def _set_quantity(folder: Path, enterprise: str, period: str, quantity: str) -> int:
    """Set one production row's quantity; returns its CSV line (the header is line 1)."""
    path = folder / "production.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    line = None
    for i, row in enumerate(rows, start=2):
        if (row["enterprise"], row["period"]) == (enterprise, period):
            row["quantity"], line = quantity, i
    assert line is not None
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return line


def _reports(url: str) -> int:
    with open_store(url).engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Report)).scalar_one()


# -- 1. the plausibility ceiling ---------------------------------------------------------------------------------

@pytest.mark.parametrize("quantity", [HUGE, "1e13", "inf", "nan", "-inf"])
def test_regression_issue12_compile_refuses_an_absurd_quantity_naming_file_and_line(tmp_path, quantity) -> None:
    """Seen: ``compile`` of a dataset with 1.7e308 exited 0 with every level of the month empty."""
    folder = _copy(tmp_path)
    line = _set_quantity(folder, "E2", "2020-03", quantity)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["compile", str(folder), "--out", str(out)])
    assert res.exit_code == 1, res.output
    text = " ".join(res.output.split())
    assert f"production.csv, line {line}, column 'quantity'" in text
    assert ("max_quantity" in text) if quantity in (HUGE, "1e13") else ("not a finite number" in text
                                                                         or "negative" in text)
    assert not out.exists()  # nothing written


def test_the_ceiling_is_a_setting(tmp_path, monkeypatch) -> None:
    folder = _copy(tmp_path)
    line = _set_quantity(folder, "E2", "2020-03", "5000")
    from vnindustry.compile.engine import compile_dataset

    compile_dataset(folder)  # under the default ceiling
    monkeypatch.setenv("VNINDUSTRY_MAX_QUANTITY", "1000")
    with pytest.raises(InputError) as err:
        compile_dataset(folder)
    assert err.value.line == line and "ceiling of 1000" in str(err.value)


def test_regression_issue12_parquet_quantity_over_the_ceiling_names_the_row(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = _copy(tmp_path)
    with open(folder / "production.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    quantities = [float(r["quantity"]) for r in rows]
    quantities[4] = 1.7e308
    pq.write_table(pa.table({"enterprise": [r["enterprise"] for r in rows], "product": [r["product"] for r in rows],
                             "period": [r["period"] for r in rows], "quantity": quantities}),
                   folder / "production.parquet")
    (folder / "production.csv").unlink()
    from vnindustry.compile.engine import compile_dataset

    with pytest.raises(InputError) as err:
        compile_dataset(folder)
    assert "row 5" in str(err.value) and "max_quantity" in str(err.value)


def test_regression_issue12_import_dataset_refuses_an_absurd_quantity(tmp_path, db_url) -> None:
    """Seen: ``import-dataset`` stored 1.7e308 as a report; the next close compiled an empty month."""
    folder = _copy(tmp_path)
    line = _set_quantity(folder, "E2", "2020-03", HUGE)
    res = CliRunner().invoke(cli, ["import-dataset", str(folder), "--db", db_url])
    assert res.exit_code == 1
    text = " ".join(res.output.split())
    assert f"production.csv, line {line}, column 'quantity'" in text and "max_quantity" in text
    assert _reports(db_url) == 0  # nothing written


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                            "ignore:invalid value encountered:RuntimeWarning")
def test_an_overflowing_base_quantity_is_refused_not_an_empty_index(tmp_path) -> None:
    """The quantities are bounded; a base quantity of 1e-320 would still overflow the index to inf."""
    folder = _copy(tmp_path)
    path = folder / "products.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[1]["base_quantity"] = "1e-320"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    from vnindustry.compile.engine import compile_dataset

    with pytest.raises(InputError) as err:
        compile_dataset(folder)
    assert err.value.line == 3 and "overflows" in str(err.value) and rows[1]["code"] in str(err.value)


@pytest.fixture
def portal(db_url, monkeypatch):
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    from builders import portal_store

    return portal_store(db_url)


def test_regression_issue12_portal_rules_refuse_an_absurd_quantity(portal) -> None:
    for value in (1.7e308, 1e13, float("inf"), float("nan")):
        with pytest.raises(ReportRejected) as err:
            submit_report(portal.engine, "E1", "2020-06", [{"product": "P1", "quantity": value}],
                          submitted_by="e1")
        (p,) = err.value.problems
        assert p["product"] == "P1" and p["line"] == 1
        ceiling = value in (1.7e308, 1e13)
        assert ("max_quantity" in p["message"]) == ceiling
        assert p["code"] == ("implausible_quantity" if ceiling else "invalid_quantity")
    with portal.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ReportLine)
                            .where(ReportLine.quantity > 1e12)).scalar_one() == 0


def _fill(template: bytes, **cells: object) -> bytes:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template))
    for ref, value in cells.items():
        wb[excel.SHEET][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROW = excel.FIRST_ROW + 1  # the first product's row in Excel's numbering
Q, C = f"{excel.LETTER['quantity']}{ROW}", f"{excel.LETTER['comment']}{ROW}"


def test_regression_issue12_upload_refuses_an_absurd_quantity_naming_the_cell(portal) -> None:
    blank = excel.template(portal.engine, "E1", "2020-06")
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(_fill(blank, **{Q: 1.7e308}), "x.xlsx")
    (p,) = err.value.problems
    assert p["cell"] == f"{excel.SHEET}!{Q}" and p["code"] == "implausible_quantity" and "max_quantity" in p["message"]


# -- 3. Vietnamese number parsing ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "why"), [
    ("0.250", "số 0 đứng trước dấu ngăn cách hàng nghìn"),  # the demo's failure: stored as 250
    ("-0.250", "số 0 đứng trước"),
    ("0.250.000", "số 0 đứng trước"),
    ("5.", "kết thúc bằng dấu «.»"),
    ("5,", "kết thúc bằng dấu «,»"),
    (".5", "bắt đầu bằng dấu chấm"),
    ("1.2.3", "các nhóm chữ số không đúng"),
    ("1.23.4", "các nhóm chữ số không đúng"),
    ("1,234.5", "dấu chấm đứng sau dấu phẩy thập phân"),
    ("1,2,3", "có hai dấu phẩy thập phân"),
    ("1e5", "chỉ được gõ chữ số"),
])
def test_regression_issue12_ambiguous_vietnamese_numbers_are_refused_saying_why(text: str, why: str) -> None:
    with pytest.raises(NumberTextError) as err:
        parse_number(text, "vi")
    message = str(err.value)
    assert message.startswith(f"«{text}» không phải là số") and why in message
    assert "gõ 0,25 cho không phẩy hai lăm; dấu chấm chỉ để ngăn cách hàng nghìn: 1.234,5" in message


def test_unambiguous_vietnamese_numbers_still_read() -> None:
    for text, value in (("0,25", 0.25), ("0,250", 0.25), ("1.234", 1234.0), ("1.234,5", 1234.5), ("12.5", 12.5),
                        (",5", 0.5), ("250", 250.0), ("1.234.567,89", 1234567.89)):
        assert parse_number(text, "vi") == value
    for value in (0.25, 0.0, 1234.5, 1e12, 999.999):  # what the site writes, it reads (the hypothesis property)
        assert parse_number(format_number(value, 3, "vi"), "vi") == pytest.approx(value)


def test_english_keeps_its_own_convention() -> None:
    assert parse_number("1,234.5", "en") == 1234.5 and parse_number("0.250", "en") == 0.25
    assert parse_number("1,234", "en") == 1234.0
    for text in ("0,250", "5.", "1.234,5"):
        with pytest.raises(NumberTextError) as err:
            parse_number(text, "en")
        assert "is not a number" in str(err.value) and "type 0.25 for zero point two five" in str(err.value)


# -- 2. uploads in bounded memory ----------------------------------------------------------------------------------

SHEET_XML = "xl/worksheets/sheet1.xml"  # the report sheet of the template (the metadata sheet is sheet2)


def _with_rows(template: bytes, rows_xml: str, *, dimension: str | None = None, level: int = 6) -> bytes:
    """The template with ``rows_xml`` appended to the report sheet's data (and its dimension replaced)."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == SHEET_XML:
                text = body.decode("utf-8").replace("</sheetData>", rows_xml + "</sheetData>", 1)
                if dimension is not None:
                    text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text, count=1)
                body = text.encode("utf-8")
            dst.writestr(info.filename, body)
    return out.getvalue()


def _cells_rows(first_row: int, n_rows: int, columns: str = "ABCDEFG") -> str:
    return "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="n"><v>0</v></c>' for c in columns) + "</row>"
                   for r in range(first_row, first_row + n_rows))


@pytest.fixture
def blank(portal) -> bytes:
    return excel.template(portal.engine, "E1", "2020-06")


_BOMBS: dict[str, bytes] = {}  # built once per test session (~3 s)


@pytest.fixture
def bomb(blank) -> bytes:
    """Issue 12's upload: a sheet of tiny cells (1.7M, no cell references, as Excel may write them) inflating to
    49 MB, compressed to far under the 2 MB request body."""
    if "bomb" in _BOMBS:
        return _BOMBS["bomb"]
    rows = 245_000
    row = "<row>" + '<c s="0" t="n"><v>0</v></c>' * 7 + "</row>"
    data = _with_rows(blank, row * rows, dimension=f"A1:G{rows + excel.FIRST_ROW + 1}", level=9)
    info = zipfile_info(data, SHEET_XML)
    assert 48_000_000 < info.file_size < 50_000_000 and len(data) < 200_000, (info.file_size, len(data))
    _BOMBS["bomb"] = data
    return data


def zipfile_info(data: bytes, name: str):  # type: ignore[no-untyped-def]
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).getinfo(name)


def _measure(call):  # type: ignore[no-untyped-def]
    """(exception raised, seconds, peak bytes allocated by Python) of ``call()``."""
    import time
    import tracemalloc

    tracemalloc.start()
    started = time.perf_counter()
    try:
        call()
    except Exception as exc:  # returned for the test to inspect
        raised = exc
    else:
        raised = None
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return raised, seconds, peak


def test_regression_issue12_a_49_mb_sheet_is_refused_before_parsing_naming_the_cap(bomb) -> None:
    """Seen: a minute and 2.6 GB per upload. Now refused from the zip directory: milliseconds, no inflating."""
    raised, seconds, peak = _measure(lambda: excel.read_upload(bomb, "bom.xlsx"))
    assert isinstance(raised, excel.TemplateError)
    (p,) = raised.problems
    assert p["code"] == "upload_too_large" and "upload_max_unzipped_bytes" in p["message"]
    print(f"refusing the {len(bomb):,}-byte bomb: {seconds * 1000:.1f} ms, peak {peak / 1e6:.2f} MB")
    assert peak < 20_000_000 and seconds < 5  # generous: measured ~1 ms and < 0.1 MB


def test_a_compression_ratio_bomb_is_refused_even_under_the_size_cap(bomb, monkeypatch) -> None:
    monkeypatch.setenv("VNINDUSTRY_UPLOAD_MAX_UNZIPPED_BYTES", str(100 * 1024 * 1024))
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(bomb, "bom.xlsx")
    assert err.value.problems[0]["code"] == "upload_too_large" and "inflates" in str(err.value)


def test_a_declared_dimension_over_the_cell_cap_is_refused_before_parsing(blank) -> None:
    data = _with_rows(blank, "", dimension="A1:G1000000")
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(data, "x.xlsx")
    assert "7,000,000 cells" in str(err.value) and "upload_max_cells" in str(err.value)


def test_a_lying_dimension_cannot_hide_rows_the_row_cap_is_named(blank, monkeypatch) -> None:
    """The sheet says A1:G6 but holds 6,000 rows: streamed anyway, refused at the upload_max_rows cap."""
    data = _with_rows(blank, _cells_rows(excel.FIRST_ROW + 2, 6_000, "A"), dimension="A1:G6")
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(data, "x.xlsx")
    assert "more than 5,000 rows (setting upload_max_rows)" in str(err.value)
    monkeypatch.setenv("VNINDUSTRY_UPLOAD_MAX_CELLS", "3000")  # the cells counted as streamed, too
    monkeypatch.setenv("VNINDUSTRY_UPLOAD_MAX_ROWS", "10000")
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(data, "x.xlsx")
    assert "more than 3,000 cells (setting upload_max_cells)" in str(err.value)


def test_regression_issue12_a_row_after_the_2000th_is_not_ignored(blank) -> None:
    """Seen: rows after the 2,000th of an upload were ignored silently. Now read, or an error naming the cell."""
    row = excel.FIRST_ROW + 2_500
    far = f'<row r="{row}"><c r="F{row}" t="n"><v>7</v></c></row>'
    data = _with_rows(_fill(blank, **{Q: 1.0}), far)
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(data, "x.xlsx")
    (p,) = err.value.problems
    assert p["cell"] == f"{excel.SHEET}!A{row}" and p["code"] == "missing_product"
    # With a product code the row is read (the portal's rules then judge the product).
    coded = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>P9</t></is></c><c r="F{row}" t="n"><v>7</v></c></row>'
    _, _, lines = excel.read_upload(_with_rows(_fill(blank, **{Q: 1.0}), coded), "x.xlsx")
    assert [(x["product"], x["quantity"], x["cells"]["quantity"]) for x in lines] == [
        ("P1", 1.0, f"{excel.SHEET}!{Q}"), ("P9", 7.0, f"{excel.SHEET}!F{row}")]


def test_a_figure_right_of_the_table_is_an_error_naming_its_cell(blank) -> None:
    data = _fill(blank, **{Q: 1.0, f"H{ROW}": "1.234 tấn"})
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(data, "x.xlsx")
    (p,) = err.value.problems
    assert p["cell"] == f"{excel.SHEET}!H{ROW}" and p["code"] == "outside_table" and C in p["fix"]


def test_a_full_upload_at_the_row_cap_is_read_in_bounded_memory(blank, monkeypatch) -> None:
    """5,000 rows (the cap) are streamed: the reader's own allocations stay far below the sheet's size."""
    first = excel.FIRST_ROW + 2
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>X{r}</t></is></c>'
                   f'<c r="F{r}" t="n"><v>{r}</v></c></row>' for r in range(first, first + 4_999))
    data = _with_rows(_fill(blank, **{Q: 1.0}), rows)
    raised, seconds, peak = _measure(lambda: excel.read_upload(data, "x.xlsx"))
    assert raised is None
    print(f"reading 5,000 rows: {seconds * 1000:.0f} ms, peak {peak / 1e6:.1f} MB")
    assert peak < 64_000_000


# -- 4. control characters ------------------------------------------------------------------------------------------

CONTROL_TITLE = "Control character in the request"


@pytest.fixture
def web(portal):
    from vnindustry.web import create_app

    return create_app(portal)


def _control_problem(r, where: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.text
    doc = r.json()
    assert doc["title"] == CONTROL_TITLE and where in doc["detail"] and "U+0000 (NUL)" in doc["detail"]


def test_regression_issue12_nul_in_the_login_is_422_not_500(web) -> None:
    """Seen: NUL characters gave 500 on PostgreSQL. Now 422 on both backends, before any route runs."""
    from fastapi.testclient import TestClient

    from builders import PORTAL_PASSWORD

    client = TestClient(web)
    r = client.post("/api/v1/auth/login", json={"username": "e1\u0000", "password": PORTAL_PASSWORD})
    _control_problem(r, "/username")
    r = client.post("/api/v1/auth/login", json={"username": "e1", "password": PORTAL_PASSWORD + "\x00"})
    _control_problem(r, "/password")
    # FastAPI reads a body without a content type as JSON: checked as JSON too.
    r = client.post("/api/v1/auth/login", content=b'{"username": "e1\\u0000", "password": "x"}')
    _control_problem(r, "/username")
    # The login form (urlencoded), as a browser sends it.
    r = client.post("/portal/login", data={"username": "e1\x00", "password": PORTAL_PASSWORD, "login_token": "x"})
    assert r.status_code == 422 and "U+0000" in r.text


def test_regression_issue12_nul_in_a_report_comment_is_422_and_nothing_stored(web, portal) -> None:
    from builders import login

    client, csrf = login(web, "e1")
    url = "/api/v1/enterprises/E1/reports"
    line = {"product": "P1", "quantity": 1.0, "comment": "giao hàng\u0000 chậm"}
    r = client.post(url, json={"period": "2020-06", "lines": [line]}, headers=csrf)
    _control_problem(r, "/lines/0/comment")
    with portal.engine.connect() as conn:
        count = select(func.count()).select_from(Report).where(Report.period == "2020-06")
        assert conn.execute(count).scalar_one() == 0
    # Line breaks and tabs typed in a comment are text, and accepted.
    line["comment"] = "dòng một\r\ndòng hai\tcột"
    r = client.post(url, json={"period": "2020-06", "lines": [line]}, headers=csrf)
    assert r.status_code == 201, r.text
    with portal.engine.connect() as conn:
        stored = conn.execute(select(ReportLine.comment).join(Report, Report.id == ReportLine.report_id)
                              .where(Report.period == "2020-06")).scalar_one()
    assert stored == "dòng một\r\ndòng hai\tcột"


def test_regression_issue12_nul_in_a_review_reason_is_422(web) -> None:
    from builders import login

    client, csrf = login(web, "stat")
    r = client.post("/api/v1/review/2020-05/queue/E1/P1/correct", json={"quantity": 1.0, "reason": "sai\u0000 số"},
                    headers=csrf)
    _control_problem(r, "/reason")
    import json

    body = json.dumps({"quantity": 1.0, "reason": "sai \ud800"})  # escaped: a lone surrogate, which no UTF-8
    r = client.post("/api/v1/review/2020-05/queue/E1/P1/correct", content=body,  # database can store either
                    headers={**csrf, "content-type": "application/json"})
    assert r.status_code == 422 and "lone surrogate" in r.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/series?q=a%00b", "/api/v1/series/city%00x", "/?lang=vi%0A",
                                 "/api/v1/releases?x%1Fy=1"])
def test_regression_issue12_control_characters_in_the_url_are_422(web, url: str) -> None:
    from fastapi.testclient import TestClient

    r = TestClient(web).get(url)
    assert r.status_code == 422 and r.json()["title"] == CONTROL_TITLE, r.text
    assert "U+00" in r.json()["detail"]


def test_the_upload_file_is_binary_and_exempt(web, portal) -> None:
    from builders import login

    client, csrf = login(web, "e1")
    data = _fill(excel.template(portal.engine, "E1", "2020-06"), **{Q: 1.0})
    assert b"\x00" in data  # a zip holds NUL bytes
    r = client.post("/api/v1/enterprises/E1/reports/upload", files={"file": ("x.xlsx", data, excel.MEDIA_TYPE)},
                    headers=csrf)
    assert r.status_code == 201, r.text


# -- 5. import-workbook: every unreadable cell warned, impossible values refused ------------------------------------

REAL_WORKBOOK = Path(__file__).parents[1] / "src" / "vnindustry" / "demo" / "data" / "gso" / "xlsx" / "2025-02.xlsx"
IIP_SHEET = "2.IIPthang"


@pytest.fixture
def real_book():  # type: ignore[no-untyped-def]
    """A loader of the real GSO workbook as openpyxl reads it (values only), to break one cell at a time."""
    import warnings

    import openpyxl

    def load():  # type: ignore[no-untyped-def]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(REAL_WORKBOOK, data_only=True)

    return load


def _broken(real_book, tmp_path: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the real workbook with ``change(workbook)`` applied, saved as ``name``."""
    book = real_book()
    change(book)
    path = tmp_path / name
    book.save(path)
    return path


def test_the_resaved_real_workbook_reads_as_the_original(real_book, tmp_path) -> None:
    """The baseline of the tests below: openpyxl's copy holds the same 1,047 figures and no warning."""
    from vnindustry.sources.gso import read_workbook

    imported = read_workbook(_broken(real_book, tmp_path, "same.xlsx", lambda book: None))
    assert len(imported.records) == len(read_workbook(REAL_WORKBOOK).records) == 1047
    assert imported.warnings == []


def test_regression_issue12_an_uncalculated_formula_and_a_merged_cell_are_warned(real_book, tmp_path) -> None:
    """Seen: both dropped without a word. Now one warning per cell, naming sheet!cell, printed by the CLI."""
    import datetime as dt

    from vnindustry.sources.gso import read_workbook

    def change(book) -> None:  # type: ignore[no-untyped-def]
        ws = book[IIP_SHEET]
        ws["C9"] = "=B9*0.98"  # openpyxl writes a formula without a cached value, as a non-calculating tool does
        ws.merge_cells("D10:E10")  # the figure of E10 is hidden under D10
        ws["C11"] = dt.datetime(2025, 2, 1)  # Excel turned a figure into a date
        ws["D11"] = "12,5"  # text where a number belongs

    path = _broken(real_book, tmp_path, "broken.xlsx", change)
    imported = read_workbook(path)
    text = "\n".join(imported.warnings)
    assert f"{IIP_SHEET}!C9 holds a formula (=B9*0.98) with no calculated value" in text
    assert f"merged range {IIP_SHEET}!D10:E10 covers figure cells: only {IIP_SHEET}!D10 is read" in text
    assert f"{IIP_SHEET}!C11 holds the date or time 2025-02-01" in text
    assert f"'12,5' at {IIP_SHEET}!D11 is not a number" in text
    cells = set(imported.records.loc[imported.records["sheet"] == IIP_SHEET, "cell"])
    assert not cells & {"C9", "E10", "C11", "D11"} and "D10" in cells
    res = CliRunner().invoke(cli, ["import-workbook", str(path), "--out", str(tmp_path / "out.csv")])
    assert res.exit_code == 0, res.output
    printed = " ".join(res.output.split())
    assert f"warning: broken.xlsx: sheet '{IIP_SHEET}' (iip): {IIP_SHEET}!C9 holds a formula" in printed
    assert f"{IIP_SHEET}!D10:E10" in printed and "4 warnings" in printed


@pytest.mark.parametrize(("cell", "value", "why"), [
    ("C9", -5, "a negative index"),  # the demo's IIP of −5
    ("C9", 1e308, "an index above 10,000"),
    ("D9", 10_001, "an index above 10,000"),
])
def test_regression_issue12_an_impossible_index_refuses_the_workbook(real_book, tmp_path, cell, value, why) -> None:
    """Seen: an IIP of −5 or 1e308 stored. Now refused naming the cell, exit 1, nothing stored."""
    from vnindustry.sources.gso import read_workbook

    path = _broken(real_book, tmp_path, "bad.xlsx", lambda book: book[IIP_SHEET].__setitem__(cell, value))
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert err.value.location == f"{IIP_SHEET}!{cell}" and why in str(err.value)
    if value != -5:
        return  # the CLI once is enough (the workbook is large)
    url = f"sqlite:///{tmp_path / 's.db'}"
    res = CliRunner().invoke(cli, ["import-workbook", str(path), "--db", url])
    assert res.exit_code == 1 and f"{IIP_SHEET}!{cell}" in " ".join(res.output.split())
    from vnindustry.store.models import Release

    with open_store(url).engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar_one() == 0


def test_an_absurd_level_and_every_bad_cell_are_named(real_book, tmp_path) -> None:
    from vnindustry.sources.gso import read_workbook

    def change(book) -> None:  # type: ignore[no-untyped-def]
        book["13. Tongmuc"]["C12"] = 1e308  # retail sales in billion đồng
        book["13. Tongmuc"]["B12"] = -1.0
        book[IIP_SHEET]["C10"] = -0.5

    with pytest.raises(InputError) as err:
        read_workbook(_broken(real_book, tmp_path, "bad.xlsx", change))
    message = str(err.value)
    assert message.startswith("3 impossible values") or "3 impossible values" in message
    for cell, why in ((f"{IIP_SHEET}!C10", "a negative index"), ("13. Tongmuc!C12", "a level above 1e+12"),
                      ("13. Tongmuc!B12", "a negative level")):
        assert cell in message and why in message
    assert "nothing was stored" in message


def test_the_bounds_by_measure() -> None:
    from vnindustry.sources.gso.workbook import impossible

    assert impossible("pct_prev_month", 0.0) is None and impossible("qty_pct_same_month_last_year", 9_999) is None
    assert impossible("pct_change_prev_month", -12.5) is None and impossible("pct_change_prev_month", -100.5)
    assert impossible("share_pct", 100.0) is None and impossible("share_pct", 101)
    assert impossible("level", float("nan")) == "not a finite number" and impossible("qty_level", -1)
    assert impossible("level_ytd", 1.2e6) is None
    # One product can grow 170-fold (GSO's history, spcn.csv line 242); a whole industry cannot.
    assert impossible("pct_same_month_last_year", 16_998.0, "products") is None
    why = impossible("pct_same_month_last_year", 16_998.0, "iip")
    assert why == "an index above 10,000 (the compared period = 100)"
    assert impossible("qty_pct_same_month_last_year", 100_001, "exports")


# -- through HTTP: the portal's form, JSON API, upload and review --------------------------------------------------

FORM = "/portal/enterprises/E1/reports/2020-06"


def _html_login(web, username: str):  # type: ignore[no-untyped-def]
    """A client logged in through the login form, and the CSRF token of its pages."""
    import re

    from fastapi.testclient import TestClient

    from builders import PORTAL_PASSWORD

    client = TestClient(web)
    page = client.get("/portal/login").text
    token = re.search(r'name="login_token" value="([^"]*)"', page)
    assert token
    r = client.post("/portal/login", data={"login_token": token.group(1), "username": username,
                                           "password": PORTAL_PASSWORD, "next": ""}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client, client.get("/api/v1/auth/me").json()["csrf_token"]


def _box_error(html: str, product: str = "P1") -> str:
    import html as html_module
    import re

    found = re.search(rf'id="e-{product}" role="status">([^<]*)<', html)
    assert found, html[-3000:]
    return html_module.unescape(found.group(1))


def _versions(portal) -> int:  # type: ignore[no-untyped-def]
    with portal.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Report).where(
            Report.enterprise_code == "E1", Report.period == "2020-06")).scalar_one()


def test_regression_issue12_0_250_in_the_vietnamese_form_is_refused_not_stored_as_250(web, portal) -> None:
    client, csrf = _html_login(web, "e1")
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "0.250", "c.P1": ""})
    assert r.status_code == 422
    error = _box_error(r.text)
    assert error.startswith("«0.250» không phải là số") and "gõ 0,25 cho không phẩy hai lăm" in error
    assert _versions(portal) == 0
    # A number too large to be true is refused on its box too (the rules' ceiling).
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "9.999.999.999.999.999", "c.P1": ""})
    assert r.status_code == 422 and "max_quantity" in r.text and _versions(portal) == 0
    r = client.post(FORM, data={"csrf_token": csrf, "q.P1": "0,25", "c.P1": ""}, follow_redirects=False)
    assert r.status_code == 303 and _versions(portal) == 1


def test_regression_issue12_json_and_upload_refuse_an_absurd_quantity_with_422(web, portal) -> None:
    from builders import login

    client, csrf = login(web, "e1")
    r = client.post("/api/v1/enterprises/E1/reports", headers=csrf,
                    json={"period": "2020-06", "lines": [{"product": "P1", "quantity": 1.7e308}]})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    (p,) = r.json()["problems"]
    assert (p["line"], p["product"]) == (1, "P1") and "max_quantity" in p["message"]
    data = _fill(excel.template(portal.engine, "E1", "2020-06"), **{Q: 1.7e308})
    r = client.post("/api/v1/enterprises/E1/reports/upload", headers=csrf,
                    files={"file": ("x.xlsx", data, excel.MEDIA_TYPE)})
    assert r.status_code == 422 and r.json()["problems"][0]["cell"] == f"{excel.SHEET}!{Q}"
    assert _versions(portal) == 0


def test_regression_issue12_the_bomb_is_refused_through_the_upload_route(web, bomb) -> None:
    from builders import login

    client, csrf = login(web, "e1")
    r = client.post("/api/v1/enterprises/E1/reports/upload", headers=csrf,
                    files={"file": ("bom.xlsx", bomb, excel.MEDIA_TYPE)})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert "upload_max_unzipped_bytes" in r.json()["detail"]


def test_a_statisticians_correction_has_the_ceiling_too(web) -> None:
    from builders import login

    client, csrf = login(web, "stat")
    r = client.post("/api/v1/review/2020-05/queue/E1/P1/correct", headers=csrf,
                    json={"quantity": 1.7e308, "reason": "sửa đơn vị"})
    assert r.status_code == 422 and "max_quantity" in r.json()["detail"], r.text


def test_a_nul_in_a_dataset_csv_is_refused_naming_file_line_and_column(tmp_path, db_url) -> None:
    """The same NUL through ``import-dataset`` (a product's name): refused where it enters, nothing stored."""
    folder = _copy(tmp_path)
    path = folder / "products.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Sản phẩm 2", "Sản phẩm\x002"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["import-dataset", str(folder), "--db", db_url])
    assert res.exit_code == 1
    assert "products.csv, line 3, column 'name_vi'" in " ".join(res.output.split()) and "U+0000" in res.output
    assert _reports(db_url) == 0


def test_a_control_character_in_an_uploaded_comment_is_named(blank) -> None:
    """XML 1.0 cannot carry a NUL, but it carries DEL and the C1 controls: refused like the web app refuses them."""
    import re
    import zipfile

    row = excel.FIRST_ROW + 1
    data = _fill(blank, **{Q: 1.0})
    cell = f'<c r="G{row}" t="inlineStr"><is><t>giao h\u0085àng</t></is></c>'

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == SHEET_XML:
                text, n = re.subn(rf'(<row r="{row}"[^>]*>.*?)(</row>)', lambda m: m.group(1) + cell + m.group(2),
                                  body.decode("utf-8"), count=1, flags=re.S)
                assert n == 1
                body = text.encode("utf-8")
            dst.writestr(info.filename, body)
    with pytest.raises(excel.TemplateError) as err:
        excel.read_upload(out.getvalue(), "x.xlsx")
    (p,) = err.value.problems
    assert p["cell"] == f"{excel.SHEET}!{C}" and p["code"] == "control_character" and "U+0085" in p["message"]


def test_the_forms_script_reads_numbers_as_the_server_does() -> None:
    """static/portal.js repeats parse_number as one types; both must refuse and accept the same texts."""
    import json
    import re
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("no node to run the form's script")
    script = (Path(__file__).parents[1] / "src" / "vnindustry" / "web" / "static" / "portal.js").read_text("utf-8")
    function = re.search(r"  function parse\(text\) \{.*?\n  \}\n", script, flags=re.S)
    assert function
    texts = ["0.250", "-0.250", "0.250.000", "5.", "5,", ".5", "1.2.3", "1.23.4", "1,234.5", "1,2,3", "1e5", "0,25",
             "0,250", "1.234", "1.234,5", "12.5", ",5", "250", "1.234.567,89", "0.25", " 120 000 ", "-3", "abc"]
    results = {}
    for lang, (group, decimal) in (("vi", (".", ",")), ("en", (",", "."))):
        program = (f"var group = {json.dumps(group)}, decimal = {json.dumps(decimal)};\n{function.group(0)}\n"
                   f"console.log(JSON.stringify({json.dumps(texts)}.map(function (t) {{ var v = parse(t); "
                   f"return isNaN(v) ? null : v; }})));")
        out = subprocess.run([node, "-e", program], capture_output=True, text=True, check=True, timeout=30).stdout
        results[lang] = json.loads(out)
    for lang in ("vi", "en"):
        for text, js in zip(texts, results[lang], strict=True):
            try:
                expected = parse_number(text, lang)
            except ValueError:
                expected = None
            assert js == expected, f"{lang} {text!r}: script {js}, server {expected}"
