"""The Excel template of the monthly report (issue 6): made per enterprise, filled, uploaded, refused by cell."""

from __future__ import annotations

import io

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from builders import login as _login
from builders import portal_store
from builders import problem as _problem
from vnindustry.portal import excel
from vnindustry.store.models import MonthClosure, Report
from vnindustry.web import create_app

TEMPLATE = "/api/v1/enterprises/{}/reports/template.xlsx"
UPLOAD = "/api/v1/enterprises/{}/reports/upload"
REPORTS = "/api/v1/enterprises/{}/reports"
ROW = excel.FIRST_ROW + 1  # the first product's Excel row
Q = f"{excel.LETTER['quantity']}{ROW}"  # its quantity box, e.g. F6
C = f"{excel.LETTER['comment']}{ROW}"


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    return portal_store(db_url)


@pytest.fixture
def app(store):
    return create_app(store)


def _fill(data: bytes, **cells: object) -> bytes:
    """The template with ``cells`` (``F6=1.1``) typed into its report sheet, as a user would in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[excel.SHEET]
    for ref, value in cells.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client: TestClient, enterprise: str, data: bytes, headers: dict[str, str], name: str = "bao-cao.xlsx",
            **fields: str):
    return client.post(UPLOAD.format(enterprise), files={"file": (name, data, excel.MEDIA_TYPE)}, data=fields,
                       headers=headers)


# -- the template ------------------------------------------------------------------------------------------

def test_template_has_the_products_protection_and_validation(app) -> None:
    client, _ = _login(app, "e1")
    r = client.get(TEMPLATE.format("E1"), params={"period": "2020-06"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == excel.MEDIA_TYPE
    assert r.headers["content-disposition"] == 'attachment; filename="bao-cao-E1-2020-06.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb[excel.SHEET]
    assert "Tháng 06/2020" in ws["A1"].value and "E1" in ws["A2"].value
    header = [c.value for c in ws[excel.HEADER_ROW + 1]]
    assert header[0] == "Mã sản phẩm" and "Tháng trước (05/2020)" in header
    assert "Cùng tháng năm trước (06/2019)" in header
    row = [c.value for c in ws[ROW]]
    assert row[:3] == ["P1", "Sản phẩm 1", "tấn"]  # Vietnamese diacritics survive
    assert row[3] == pytest.approx(0.9)  # last month's figure (May 2020), a number
    assert row[4] is None and row[5] is None and row[6] is None  # no June 2019; the boxes empty
    assert ws.cell(ROW + 1, 1).value is None  # E1 reports one product
    # Protected without a password; only the boxes unlocked; the figures grey.
    assert ws.protection.sheet and not ws.protection.password
    assert ws[f"A{ROW}"].protection.locked and ws[f"D{ROW}"].protection.locked
    assert not ws[Q].protection.locked and not ws[C].protection.locked
    assert ws[f"D{ROW}"].fill.fgColor.rgb.endswith("EDEDED")
    (quantity_rule,) = [v for v in ws.data_validations.dataValidation if v.type == "decimal"]
    assert Q in str(quantity_rule.sqref) and quantity_rule.operator == "greaterThanOrEqual"
    assert quantity_rule.formula1 == "0"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    # The metadata: a hidden, protected sheet.
    meta = wb[excel.META_SHEET]
    assert meta.sheet_state == "veryHidden" and meta.protection.sheet
    assert {meta.cell(i, 1).value: meta.cell(i, 2).value for i in range(1, 4)} == {
        "template": excel.TEMPLATE_VERSION, "enterprise": "E1", "period": "2020-06"}


def test_template_by_role(app) -> None:
    assert _problem(TestClient(app).get(TEMPLATE.format("E1"), params={"period": "2020-06"}))["status"] == 401
    e2, _ = _login(app, "e2")
    assert e2.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).status_code == 403
    stat, _ = _login(app, "stat")
    assert stat.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).status_code == 200
    assert _problem(stat.get(TEMPLATE.format("NOBODY"), params={"period": "2020-06"}))["status"] == 404
    assert _problem(stat.get(TEMPLATE.format("E1"), params={"period": "2020-13"}))["status"] == 422
    assert _problem(stat.get(TEMPLATE.format("E1")))["status"] == 422  # period is required


# -- upload ------------------------------------------------------------------------------------------------

def test_regression_issue6_excel_template_filled_and_uploaded(app, store) -> None:
    client, csrf = _login(app, "e1")
    blank = client.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).content
    filled = _fill(blank, **{Q: 1.1})
    first = _upload(client, "E1", filled, csrf)
    assert first.status_code == 201, first.text
    receipt = first.json()
    assert receipt["status"] == "stored" and receipt["source"] == "excel" and receipt["submitted_by"] == "e1"
    assert receipt["period"] == "2020-06" and receipt["line_count"] == 1
    with store.engine.connect() as conn:
        rows = conn.execute(select(Report.version, Report.source).where(Report.enterprise_code == "E1",
                                                                        Report.period == "2020-06")).all()
    assert [tuple(r) for r in rows] == [(1, "excel")]
    form = client.get(REPORTS.format("E1"), params={"period": "2020-06"}).json()
    assert form["lines"][0]["current"] == 1.1

    again = _upload(client, "E1", filled, csrf)  # the same file again: stored once
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["version"] == receipt["version"]
    # The template of a month already reported comes pre-filled, and re-uploading it changes nothing.
    prefilled = client.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).content
    assert openpyxl.load_workbook(io.BytesIO(prefilled))[excel.SHEET][Q].value == 1.1
    assert _upload(client, "E1", prefilled, csrf).status_code == 200
    # A correction is a new version.
    fixed = _upload(client, "E1", _fill(blank, **{Q: 1.2}), csrf)
    assert fixed.status_code == 201 and fixed.json()["version"] == 2


def test_a_closed_month_refuses_changes_but_acknowledges_the_same_file(app, store) -> None:
    import datetime as dt

    client, csrf = _login(app, "e1")
    blank = client.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).content
    sent = _fill(blank, **{Q: 1.1})
    assert _upload(client, "E1", sent, csrf).status_code == 201
    with store.engine.begin() as conn:  # as review.close_month records it (without compiling)
        conn.execute(MonthClosure.__table__.insert().values(
            period="2020-06", closed_at=dt.datetime.now(dt.UTC), closed_by="stat", publish_on=dt.date(2020, 7, 29)))
    assert _upload(client, "E1", sent, csrf).status_code == 200  # a retry learns it is stored
    r = _upload(client, "E1", _fill(blank, **{Q: 1.3}), csrf)
    assert r.status_code == 422 and _problem(r)["problems"][0]["code"] == "month_closed"


def test_text_in_a_quantity_box_is_refused_naming_the_cell(app) -> None:
    client, csrf = _login(app, "e1")
    blank = client.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).content
    r = _upload(client, "E1", _fill(blank, **{Q: "1,5 tấn"}), csrf)
    assert r.status_code == 422
    doc = _problem(r)
    (p,) = doc["problems"]
    assert p["cell"] == f"{excel.SHEET}!{Q}" and p["product"] == "P1" and p["code"] == "invalid_quantity"
    assert f"{excel.SHEET}!{Q}: '1,5 tấn' is not a number — type the number only" in doc["detail"]


def test_another_enterprises_template_is_refused(app) -> None:
    stat, _ = _login(app, "stat")
    theirs = _fill(stat.get(TEMPLATE.format("E2"), params={"period": "2020-06"}).content, **{Q: 1.0})
    client, csrf = _login(app, "e1")
    r = _upload(client, "E1", theirs, csrf)
    assert r.status_code == 422
    assert _problem(r)["problems"][0]["code"] == "wrong_enterprise"
    mine = _fill(client.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).content, **{Q: 1.0})
    r = _upload(client, "E1", mine, csrf, period="2020-05")  # the form says another month
    assert r.status_code == 422 and _problem(r)["problems"][0]["code"] == "wrong_period"


@pytest.mark.parametrize("name, data", [
    ("bao-cao.csv", b"product,quantity\nP1,1.1\n"),
    ("bao-cao.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
    ("bao-cao.xlsx", b"PK\x03\x04 not really a zip"),
    ("empty.xlsx", b""),
])
def test_a_file_that_is_not_an_xlsx_is_refused(app, name: str, data: bytes) -> None:
    client, csrf = _login(app, "e1")
    r = _upload(client, "E1", data, csrf, name=name)
    assert r.status_code in (415, 422)
    doc = _problem(r)
    assert doc["problems"][0]["code"] == "not_a_template" and "template" in doc["problems"][0]["fix"]


def test_a_workbook_that_is_not_our_template_is_refused(app) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = excel.SHEET
    wb.active["F6"] = 1.1
    out = io.BytesIO()
    wb.save(out)
    client, csrf = _login(app, "e1")
    r = _upload(client, "E1", out.getvalue(), csrf)
    assert r.status_code == 422 and "not a vnindustry report template" in _problem(r)["detail"]


def test_upload_by_role_and_csrf(app) -> None:
    stat, _ = _login(app, "stat")
    data = _fill(stat.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).content, **{Q: 1.0})
    r = TestClient(app).post(UPLOAD.format("E1"), files={"file": ("x.xlsx", data, excel.MEDIA_TYPE)})
    assert r.status_code == 401 and _problem(r)["status"] == 401
    e2, csrf2 = _login(app, "e2")
    assert _problem(_upload(e2, "E1", data, csrf2))["status"] == 403
    e1, _ = _login(app, "e1")
    assert _problem(_upload(e1, "E1", data, {}))["status"] == 403  # no CSRF token
    assert _upload(e1, "E1", data, {"X-CSRF-Token": "forged"}).status_code == 403
    stat, stat_csrf = _login(app, "stat")
    r = _upload(stat, "E1", data, stat_csrf)  # a statistician may upload for an enterprise
    assert r.status_code == 201 and r.json()["submitted_by"] == "stat"


def test_limits_and_media_type(app) -> None:
    client, csrf = _login(app, "e1")
    big = _upload(client, "E1", b"PK\x03\x04" + b"\0" * (excel_reports_max() + 10), csrf)
    assert big.status_code == 413 and _problem(big)["status"] == 413
    r = client.post(UPLOAD.format("E1"), json={"period": "2020-06"}, headers=csrf)
    assert r.status_code == 415 and _problem(r)["status"] == 415
    r = client.post(UPLOAD.format("E1"), data={"confirm": "P1"}, files={"other": ("x", b"x")}, headers=csrf)
    assert r.status_code == 422 and _problem(r)["problems"][0]["code"] == "missing_file"


def excel_reports_max() -> int:
    from vnindustry.web.excel_reports import MAX_UPLOAD

    return MAX_UPLOAD


def test_unit_slip_needs_confirm_and_a_comment(app, store) -> None:
    client, csrf = _login(app, "e1")
    blank = client.get(TEMPLATE.format("E1"), params={"period": "2020-06"}).content
    slip = _fill(blank, **{Q: 1100})  # tấn typed as kg: ×1000
    r = _upload(client, "E1", slip, csrf)
    assert r.status_code == 422
    doc = _problem(r)
    assert doc["title"] == "Confirmation needed"
    (p,) = doc["problems"]
    assert p["code"] == "needs_confirmation" and p["cell"] == f"{excel.SHEET}!{Q}" and p["line"] == 1
    assert p["message"].startswith(f"{excel.SHEET}!{Q}: needs confirming")
    r = _upload(client, "E1", slip, csrf, confirm="P1")  # confirmed, but no comment
    assert r.status_code == 422
    (p,) = _problem(r)["problems"]
    assert p["code"] == "comment_required" and p["cell"] == f"{excel.SHEET}!{C}"
    commented = _fill(blank, **{Q: 1100, C: "Mở dây chuyền mới tháng 6"})
    r = _upload(client, "E1", commented, csrf, confirm="P1, P9")
    assert r.status_code == 201, r.text
    assert r.json()["confirmed"] == ["P1"]
    form = client.get(REPORTS.format("E1"), params={"period": "2020-06"}).json()
    assert form["lines"][0]["comment"] == "Mở dây chuyền mới tháng 6"


# -- read_upload without HTTP ------------------------------------------------------------------------------

@pytest.fixture
def blank(store) -> bytes:
    return excel.template(store.engine, "E1", "2020-06")


def test_read_upload_cells(blank: bytes) -> None:
    assert excel.read_upload(_fill(blank, **{Q: 0}), "x.xlsx")[2][0]["quantity"] == 0.0
    enterprise, period, lines = excel.read_upload(_fill(blank, **{Q: "12"}), "x.xlsx")  # digits typed as text
    assert (enterprise, period) == ("E1", "2020-06")
    assert lines == [{"product": "P1", "quantity": 12.0, "comment": "",
                      "cells": {"product": f"{excel.SHEET}!A{ROW}", "quantity": f"{excel.SHEET}!{Q}",
                                "comment": f"{excel.SHEET}!{C}"}}]
    for value, words in (("1.234", "is not a number"), (-3, "is negative"), (True, "is not a number")):
        with pytest.raises(excel.TemplateError) as err:
            excel.read_upload(_fill(blank, **{Q: value}), "x.xlsx")
        assert f"{excel.SHEET}!{Q}" in str(err.value) and words in str(err.value)
    with pytest.raises(excel.TemplateError) as err:  # a comment without a quantity
        excel.read_upload(_fill(blank, **{C: "no data yet"}), "x.xlsx")
    assert err.value.problems[0]["cell"] == f"{excel.SHEET}!{C}"
    assert err.value.problems[0]["code"] == "comment_without_quantity"
    with pytest.raises(excel.TemplateError) as err:  # nothing filled in: nothing to report
        excel.read_upload(blank, "x.xlsx")
    assert err.value.problems[0]["code"] == "empty_report"


def test_read_upload_takes_a_formulas_cached_value(blank: bytes) -> None:
    """Excel saves a formula with its last value; openpyxl writes none, so the XML is patched as Excel would."""
    import re
    import zipfile

    data = _fill(blank, **{Q: "=0.5+0.6"})
    with pytest.raises(excel.TemplateError) as err:  # never calculated: no value to take
        excel.read_upload(data, "x.xlsx")
    assert err.value.problems[0]["code"] == "uncalculated_formula"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode("utf-8")
                text, n = re.subn(r"<f>0\.5\+0\.6</f>(<v></v>|<v/>)?", "<f>0.5+0.6</f><v>1.1</v>", text)
                assert n == 1, text[-2000:]
                body = text.encode("utf-8")
            dst.writestr(info, body)
    _, _, lines = excel.read_upload(out.getvalue(), "x.xlsx")
    assert lines[0]["quantity"] == pytest.approx(1.1)


def test_locate_maps_lines_to_cells() -> None:
    lines = [{"product": "P1", "quantity": 1.0, "comment": "",
              "cells": {"product": "Báo cáo!A6", "quantity": "Báo cáo!F6", "comment": "Báo cáo!G6"}}]
    problems = [{"line": 1, "product": "P1", "field": "comment", "message": "confirmed without a comment"},
                {"line": None, "product": None, "field": "period", "message": "closed"}]
    located = excel.locate(problems, lines)
    assert located[0]["cell"] == "Báo cáo!G6" and located[0]["message"] == "Báo cáo!G6: confirmed without a comment"
    assert located[1]["cell"] is None and located[1]["message"] == "closed"
