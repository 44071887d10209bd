"""Enterprise reports through the portal's service layer (issue 6), on SQLite and PostgreSQL: stored as new
versions after the imported history, idempotent re-sends, refused content naming its line, the ×1000 unit
slip asking for confirmation, closed months, all-or-nothing writes and concurrent submissions."""

import datetime as dt
import statistics
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from vnindustry.portal import reports as reports_module
from vnindustry.portal.reports import ReportRejected, UnknownEnterprise, report_form, submit_report
from vnindustry.store import open_store
from vnindustry.store.models import EnterpriseProduct, Report, ReportLine
from vnindustry.store.register import Register, import_dataset, report_checksum

NOW = dt.datetime(2024, 7, 10, 8, 30, tzinfo=dt.UTC)
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)][:17]  # 2023-01 … 2024-05


def _p1(period: str) -> float:
    """E1's imported P1 (tấn): 101 … 112 in 2023, 111 … 115 in 2024."""
    year, month = int(period[:4]), int(period[5:])
    return 100.0 + month + (10 if year == 2024 else 0)


def _write_dataset(folder: Path) -> Path:
    folder.mkdir()
    (folder / "industries.csv").write_text(
        "code,parent,name_vi,name_en,weight\nTOTAL,,Toàn ngành,Total,\nC,TOTAL,Chế biến,Manufacturing,10\n"
        "D,TOTAL,Điện,Electricity,5\n", encoding="utf-8")
    (folder / "products.csv").write_text(
        "code,industry,name_vi,unit,weight,base_quantity\nP1,C,Xi măng,tấn,2,100\nP2,C,Gạch,nghìn viên,1,50\n"
        "P3,C,Thép,tấn,1,10\nP4,D,Điện,triệu kWh,1,20\n", encoding="utf-8")
    (folder / "enterprises.csv").write_text(
        "enterprise,name,industry,district,ownership\nE1,Công ty A,C,Q1,private\nE2,Công ty B,C,Q2,state\n"
        "E3,Công ty C,D,Q3,foreign\n", encoding="utf-8")
    rows = ["enterprise,product,period,quantity"]
    for period in MONTHS:
        rows += [f"E1,P1,{period},{_p1(period)}", f"E1,P2,{period},50", f"E2,P2,{period},40", f"E3,P4,{period},20"]
    (folder / "production.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def store(db_url, tmp_path):
    store = open_store(db_url)
    import_dataset(store, _write_dataset(tmp_path / "ds"))
    yield store
    store.engine.dispose()


def _submit(store, lines, enterprise="E1", period="2024-06", **kw):
    kw.setdefault("submitted_by", f"{enterprise.lower()}-user")
    kw.setdefault("now", NOW)
    return submit_report(store, enterprise, period, lines, **kw)


def _counts(store) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Report, ReportLine, EnterpriseProduct))


def _rejected(store, lines, **kw) -> list[dict]:
    before = _counts(store)
    with pytest.raises(ReportRejected) as info:
        _submit(store, lines, **kw)
    assert _counts(store) == before  # nothing stored
    return info.value.problems


GOOD = [{"product": "P1", "quantity": 116}, {"product": "P2", "quantity": 51.5, "comment": "  thêm ca  "}]


def test_valid_submission_new_month_and_next_version_after_import(store):
    reg = Register(store)
    receipt = _submit(store, GOOD)
    assert (receipt.enterprise, receipt.period, receipt.version, receipt.status) == ("E1", "2024-06", 1, "stored")
    assert (receipt.line_count, receipt.submitted_at, receipt.submitted_by, receipt.source) == (2, NOW, "e1-user",
                                                                                              "portal")
    assert receipt.checksum == report_checksum([("P1", 116, ""), ("P2", 51.5, "thêm ca")])
    rep = reg.report("E1", "2024-06")
    assert (rep.version, rep.source, rep.submitted_by, rep.status, rep.checksum) == (1, "portal", "e1-user",
                                                                                      "submitted", receipt.checksum)
    assert rep.submitted_at.replace(tzinfo=dt.UTC) == NOW
    assert [(x.product, x.quantity, x.comment) for x in rep.lines] == [("P1", 116.0, ""), ("P2", 51.5, "thêm ca")]
    # The register follows: the month widens the pairs' last month.
    assert {(p.code, p.last_period) for p in reg.products_of("E1")} == {("P1", "2024-06"), ("P2", "2024-06")}

    # A month already imported: the portal's report is version 2, the imported version 1 kept.
    receipt = _submit(store, [{"product": "P1", "quantity": 114}], period="2024-05", source="excel")
    assert (receipt.version, receipt.status, receipt.source) == (2, "stored", "excel")
    assert reg.versions("E1", "2024-05") == [1, 2]
    assert [(x.product, x.quantity) for x in reg.report("E1", "2024-05", version=1).lines] == [("P1", 115.0),
                                                                                                ("P2", 50.0)]
    assert [(x.product, x.quantity) for x in reg.report("E1", "2024-05").lines] == [("P1", 114.0)]


def test_idempotent_resend(store):
    first = _submit(store, GOOD)
    counts = _counts(store)
    # Same content, other order, 116 as a float, comment spelled with other blanks, later: unchanged.
    again = _submit(store, [{"product": "P2", "quantity": 51.5, "comment": "thêm ca"},
                            {"product": " P1 ", "quantity": 116.0}],
                    now=NOW + dt.timedelta(hours=1))
    assert (again.status, again.version, again.checksum) == ("unchanged", 1, first.checksum)
    assert again.submitted_at == first.submitted_at == NOW  # the stored version's time: "your report is stored"
    assert _counts(store) == counts
    # Re-sending the imported content of a month: nothing new either.
    same_as_import = _submit(store, [{"product": "P1", "quantity": 115}, {"product": "P2", "quantity": 50}],
                             period="2024-05")
    assert (same_as_import.status, same_as_import.version, same_as_import.source) == ("unchanged", 1, "import")
    assert _counts(store) == counts


def test_changed_content_is_a_new_version_old_kept(store):
    reg = Register(store)
    v1 = _submit(store, GOOD)
    v2 = _submit(store, [{"product": "P1", "quantity": 117}, GOOD[1]])
    v3 = _submit(store, [{"product": "P1", "quantity": 117}, {"product": "P2", "quantity": 51.5, "comment": "khác"}])
    assert [r.version for r in (v1, v2, v3)] == [1, 2, 3]
    assert len({v1.checksum, v2.checksum, v3.checksum}) == 3
    assert reg.versions("E1", "2024-06") == [1, 2, 3]
    assert [(x.product, x.quantity, x.comment) for x in reg.report("E1", "2024-06", version=1).lines] == [
        ("P1", 116.0, ""), ("P2", 51.5, "thêm ca")]
    assert reg.report("E1", "2024-06").lines[1].comment == "khác"
    # Going back to version 1's content is a change from the latest: version 4 (nothing is overwritten).
    assert _submit(store, GOOD).version == 4


@pytest.mark.parametrize("bad", [-1, -0.001, float("nan"), float("inf"), float("-inf"), "12", "abc", "", None,
                                 True, [1], {"v": 1}, 10**400])
def test_bad_quantities_refused_naming_the_line(store, bad):
    lines = [{"product": "P1", "quantity": 116}, {"product": "P2", "quantity": bad}]
    (problem,) = _rejected(store, lines)
    assert (problem["line"], problem["product"], problem["field"], problem["code"]) == (2, "P2", "quantity",
                                                                                        "invalid_quantity")
    assert problem["message"] and problem["fix"]


def test_missing_quantity_and_every_bad_line_named_at_once(store):
    problems = _rejected(store, [{"product": "P1"}, {"product": "P2", "quantity": 50}, {"product": "P9", "quantity": 1},
                                 {"product": "P2", "quantity": 50}, {"quantity": 3}, "P1"])
    assert [(p["line"], p["product"], p["field"], p["code"]) for p in problems] == [
        (1, "P1", "quantity", "invalid_quantity"),
        (3, "P9", "product", "unknown_product"),
        (4, "P2", "product", "duplicate_product"),
        (5, None, "product", "invalid_product"),
        (6, None, "line", "invalid_line"),
    ]
    assert "line 2" in problems[2]["message"]


def test_products_the_enterprise_may_report(store):
    reg = Register(store)
    # E3 is an electricity producer: cement (industry C) is refused, naming the line.
    (problem,) = _rejected(store, [{"product": "P4", "quantity": 21}, {"product": "P1", "quantity": 5}],
                           enterprise="E3")
    assert (problem["line"], problem["product"], problem["code"]) == (2, "P1", "product_not_allowed")
    # E2 (industry C) never reported P3 but it is a product of its industry: accepted, and now one of its products.
    receipt = _submit(store, [{"product": "P2", "quantity": 41}, {"product": "P3", "quantity": 7}], enterprise="E2")
    assert receipt.status == "stored"
    assert {(p.code, p.first_period, p.last_period) for p in reg.products_of("E2")} == {
        ("P2", "2023-01", "2024-06"), ("P3", "2024-06", "2024-06")}
    assert [x.product for x in report_form(store, "E2", "2024-07").lines] == ["P2", "P3"]


def test_report_level_refusals(store):
    with pytest.raises(UnknownEnterprise) as info:
        _submit(store, GOOD, enterprise="E404")
    assert info.value.problems[0]["field"] == "enterprise"
    for period, code in [("2024-13", "invalid_period"), ("June", "invalid_period"), ("2024-08", "future_period"),
                         ("2024-07", "month_not_open")]:  # NOW is in July: it takes reports from 1 August
        (problem,) = _rejected(store, GOOD, period=period)
        assert (problem["line"], problem["field"], problem["code"]) == (None, "period", code)
    (problem,) = _rejected(store, GOOD, period="2024-07")
    assert problem["params"] == {"month": "2024-07", "opens": "2024-08-01"}
    # Vietnam's clock decides: 31 July 17:30 UTC is already 1 August in Hồ Chí Minh City.
    late = dt.datetime(2024, 7, 31, 17, 30, tzinfo=dt.UTC)
    assert _submit(store, GOOD, period="2024-07", now=late).status == "stored"
    (problem,) = _rejected(store, [])
    assert (problem["line"], problem["field"], problem["code"]) == (None, "lines", "empty_report")
    (problem,) = _rejected(store, "P1=116")
    assert problem["code"] == "invalid_lines"
    # Other spellings of a month are the same month.
    assert _submit(store, GOOD, period="2024M06").period == "2024-06"
    assert _submit(store, GOOD, period="06/2024").status == "unchanged"


def test_regression_issue6_unit_slip_needs_confirmation_and_comment(store):
    """A ×1000 slip (kg typed for tấn) is refused until confirmed with a comment, listing exactly that line,
    the expected range, last month's and last year's figures; the confirmed report keeps the comment."""
    reg = Register(store)
    median = statistics.median(_p1(p) for p in MONTHS[-12:])  # E1's last 12 reported months of P1
    slip = [{"product": "P1", "quantity": 116_000}, {"product": "P2", "quantity": 52}]
    (problem,) = _rejected(store, slip)
    assert (problem["line"], problem["product"], problem["field"], problem["code"]) == (1, "P1", "quantity",
                                                                                        "needs_confirmation")
    assert problem["expected"] == {"low": median / 10, "high": median * 10}
    assert problem["median"] == median
    assert problem["last_month"] == {"period": "2024-05", "quantity": 115.0}
    assert problem["last_year"] == {"period": "2023-06", "quantity": 106.0}
    for text in ("116000 tấn", f"between {median / 10:g} and {median * 10:g} tấn", "2024-05): 115 tấn",
                 "2023-06): 106 tấn"):
        assert text in problem["message"]
    with pytest.raises(ReportRejected) as info:
        _submit(store, slip)
    assert info.value.needs_confirmation
    # Confirmed without a comment: still refused, now asking for the comment.
    (problem,) = _rejected(store, slip, confirmations=["P1"])
    assert (problem["line"], problem["field"], problem["code"]) == (1, "comment", "comment_required")
    # A comment without the confirmation is not enough either.
    (problem,) = _rejected(store, [{**slip[0], "comment": "kg"}, slip[1]])
    assert problem["code"] == "needs_confirmation"
    # Confirmed with a comment: stored, the comment kept.
    receipt = _submit(store, [{**slip[0], "comment": " lò mới đi vào hoạt động "}, slip[1]], confirmations={"P1"})
    assert (receipt.status, receipt.version, receipt.confirmed) == ("stored", 1, ("P1",))
    assert [(x.product, x.quantity, x.comment) for x in reg.report("E1", "2024-06").lines] == [
        ("P1", 116_000.0, "lò mới đi vào hoạt động"), ("P2", 52.0, "")]
    # July: the confirmed 116,000 is now history. The opposite slip (tấn typed for kg, ÷1000) and a drop to 0
    # are asked about too, and the boundaries (exactly 10× and 1/10) as well.
    median = statistics.median([*(_p1(p) for p in MONTHS[-11:]), 116_000.0])
    for quantity in (0.116, 0, median * 10, median / 10):
        (problem,) = _rejected(store, [{"product": "P1", "quantity": quantity}], period="2024-07",
                               now=NOW.replace(month=8))
        assert problem["code"] == "needs_confirmation", quantity
    # Inside the range: no question.
    ok = _submit(store, [{"product": "P1", "quantity": median * 9.99}], period="2024-07", now=NOW.replace(month=8))
    assert ok.status == "stored"


def test_no_history_no_question(store):
    # P3 has no history for E2: any finite quantity ≥ 0 is accepted without confirmation.
    assert _submit(store, [{"product": "P3", "quantity": 1e9}], enterprise="E2").status == "stored"


def test_closed_month_refused(store):
    closed = {"2024-05"}.__contains__
    (problem,) = _rejected(store, [{"product": "P1", "quantity": 114}], period="2024-05", closed=closed)
    assert (problem["line"], problem["field"], problem["code"]) == (None, "period", "month_closed")
    # The same content as stored is still "unchanged" (a retry learns its report is there); other months are open.
    unchanged = _submit(store, [{"product": "P1", "quantity": 115}, {"product": "P2", "quantity": 50}],
                        period="2024-05", closed=closed)
    assert unchanged.status == "unchanged"
    assert _submit(store, GOOD, closed=closed).status == "stored"
    # The callable receives the normalized month.
    seen = []
    _submit(store, GOOD, period="06/2024", closed=lambda p: seen.append(p) or False)
    assert seen == []  # unchanged content: not even asked
    _submit(store, [GOOD[0]], period="06/2024", closed=lambda p: seen.append(p) or False)
    assert seen == ["2024-06"]


@pytest.mark.parametrize("step", ["_insert_lines", "_record_products"])
def test_failure_mid_write_leaves_nothing(store, monkeypatch, step):
    reg = Register(store)
    before = _counts(store)
    pairs = reg.products_of("E2")
    original = getattr(reports_module, step)

    def broken(*args, **kwargs):
        original(*args, **kwargs)  # the rows are written inside the transaction …
        raise RuntimeError("disk full")  # … then the process fails

    monkeypatch.setattr(reports_module, step, broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _submit(store, [{"product": "P2", "quantity": 41}, {"product": "P3", "quantity": 7}], enterprise="E2")
    assert _counts(store) == before
    assert reg.report("E2", "2024-06") is None
    assert reg.products_of("E2") == pairs
    monkeypatch.undo()
    assert _submit(store, [{"product": "P2", "quantity": 41}, {"product": "P3", "quantity": 7}],
                   enterprise="E2").version == 1


def _threads(n, target):
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = target(i)
        except Exception as exc:  # collected and checked by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_concurrent_different_reports_get_distinct_versions(store):
    reg = Register(store)
    n = 6
    results = _threads(n, lambda i: _submit(store, [{"product": "P1", "quantity": 120 + i},
                                                    {"product": "P2", "quantity": 50}], period="2024-05"))
    # Every submission ends stored (or cleanly refused), never an error, a duplicate or a lost version.
    stored = [r for r in results if not isinstance(r, ReportRejected)]
    assert all(getattr(r, "status", None) == "stored" for r in stored), results
    assert sorted(r.version for r in stored) == list(range(2, 2 + len(stored)))
    assert len(stored) >= n - 1
    assert reg.versions("E1", "2024-05") == list(range(1, 2 + len(stored)))
    for r in stored:
        rep = reg.report("E1", "2024-05", version=r.version)
        assert rep.checksum == r.checksum
        assert rep.checksum == report_checksum((x.product, x.quantity, x.comment) for x in rep.lines)
        assert len(rep.lines) == 2


def test_version_collision_is_retried(store, monkeypatch):
    """Another writer (e.g. an import, which does not take the enterprise's lock) took the version number
    between the read and the insert: the unique constraint refuses the duplicate, the whole check runs again."""
    calls = []
    original = reports_module._latest

    def stale_once(conn, enterprise, period):
        calls.append(period)
        return None if len(calls) == 1 else original(conn, enterprise, period)

    monkeypatch.setattr(reports_module, "_latest", stale_once)
    receipt = _submit(store, [{"product": "P1", "quantity": 114}], period="2024-05")
    assert (receipt.status, receipt.version, len(calls)) == ("stored", 2, 2)
    assert Register(store).versions("E1", "2024-05") == [1, 2]


def test_concurrent_same_report_stored_once(store):
    n = 5
    results = _threads(n, lambda i: _submit(store, GOOD))
    assert sorted(r.status for r in results) == ["stored"] + ["unchanged"] * (n - 1), results
    assert {r.version for r in results} == {1}
    assert Register(store).versions("E1", "2024-06") == [1]


def test_report_form(store):
    form = report_form(store, "E1", "2024-06")
    assert (form.enterprise, form.name, form.period, form.version, form.status) == ("E1", "Công ty A", "2024-06",
                                                                                   None, None)
    assert [(x.product, x.name, x.unit) for x in form.lines] == [("P1", "Xi măng", "tấn"), ("P2", "Gạch", "nghìn viên")]
    p1, p2 = form.lines
    assert (p1.last_month.period, p1.last_month.quantity) == ("2024-05", 115.0)
    assert (p1.last_year.period, p1.last_year.quantity) == ("2023-06", 106.0)
    assert (p1.current, p2.current) == (None, None)
    median = statistics.median(_p1(p) for p in MONTHS[-12:])
    assert (p1.median, p1.low, p1.high) == (median, median / 10, median * 10)
    # An imported month shows its figures as current; a portal revision (latest version) replaces them.
    form = report_form(store, "E1", "2024-05")
    assert (form.version, [x.current for x in form.lines]) == (1, [115.0, 50.0])
    _submit(store, [{"product": "P1", "quantity": 114, "comment": "sửa"}], period="2024-05")
    form = report_form(store, "E1", "2024-05")
    assert (form.version, form.status) == (2, "submitted")
    assert [(x.current, x.comment) for x in form.lines] == [(114.0, "sửa"), (None, "")]
    # Next month's form: last month's figure is the latest version's (114), not the imported 115.
    _submit(store, GOOD)
    form = report_form(store, "E1", "2024-07")
    assert [x.last_month.quantity for x in form.lines] == [116.0, 51.5]
    assert [(x.last_year.period, x.last_year.quantity) for x in form.lines] == [("2023-07", 107.0), ("2023-07", 50.0)]
    assert report_form(store, "E1", "2024-06").lines[0].last_month.quantity == 114.0
    # A month without history a year back, an unknown enterprise, a bad month.
    assert report_form(store, "E1", "2023-01").lines[0].last_year.quantity is None
    with pytest.raises(UnknownEnterprise):
        report_form(store, "E404", "2024-06")
    with pytest.raises(ReportRejected):
        report_form(store, "E1", "2024/06")
