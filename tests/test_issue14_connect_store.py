"""Issue 14, item 6 in the store: connection requests routed when stored, their steps checked against the earlier
ones, counted once across programmes — on both backends, under a burst of writers and a ``kill -9``."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from builders import burst, run_killed
from vnindustry.cli import app
from vnindustry.linkage.connect import Package, read_packages, read_requests, read_statuses, summarise
from vnindustry.linkage.stored_connect import (
    StepRefused,
    current_packages,
    import_requests,
    record_step,
    save_packages,
    stored_requests,
    stored_summary,
    submit_request,
)
from vnindustry.store import open_store
from vnindustry.store.models import AuditEntry, ConnectRequest, ConnectStep, Enterprise

DATA = Path(__file__).parent / "data" / "linkage-connect"
DAY = dt.date(2026, 6, 1)
# Open-ended packages, so that routing on "today" does not depend on the day the tests run.
OPEN = [Package("L1", "Ngân hàng A", "Gói cơ khí", frozenset({"mechanical", "metal_products"}), 1e8, 2e10, 60),
        Package("L2", "Ngân hàng B", "Gói nhỏ và vừa", frozenset({"mechanical", "food"}), 1e8, 5e9, 36),
        Package("O1", "", "Sàn giao thương trực tuyến", frozenset({"food", "mechanical"}))]


def _register(store) -> None:  # type: ignore[no-untyped-def]
    """Enterprises S001–S005 in the register."""
    with store.engine.begin() as c:
        c.execute(insert(Enterprise), [{"code": f"S{k:03d}", "name": f"Công ty {k}", "district": "", "ownership": "",
                                        "industry": ""} for k in range(1, 6)])


def _stored(url: str):  # type: ignore[no-untyped-def]
    store = open_store(url)
    save_packages(store.engine, read_packages(DATA / "packages.csv"), created_by="t")
    import_requests(store.engine, read_requests(DATA / "connect.csv"), read_statuses(DATA / "status.csv"),
                    created_by="t", on=DAY)
    return store


def test_the_store_counts_as_the_files_do(db_url: str) -> None:
    store = _stored(db_url)
    summary, names = stored_summary(store.engine)
    by = {s.programme: s for s in summary}
    from_files = {s.programme: s for s in summarise(read_requests(DATA / "connect.csv"),
                                                    read_statuses(DATA / "status.csv"))}
    for programme in ("P1", "P2"):  # the steps the file recorded, counted alike
        assert by[programme] == from_files[programme]
    # R3 (association) and R4 (online) had no routed step in the file: the import routed them; R2 fits nothing.
    assert {"VPA", "VRA"} <= set(by) and by["E1"].requests == 1
    assert [r.steps for r in stored_requests(store.engine) if r.code == "R2"] == [()]  # 30 bn: no package takes it
    total = by["all"]
    assert (total.requests, total.approved, total.disbursed, total.amount) == (4, 1, 1, 3e9)  # R1 once, not twice
    assert names["P1"] == "Ngân hàng A: Gói vay ưu đãi công nghiệp hỗ trợ"
    (r1,) = [r for r in stored_requests(store.engine) if r.code == "R1"]
    assert r1.disbursed() == 3e9 and [s.status for s in r1.steps].count("disbursed") == 2
    assert [p[2] for p in r1.programmes()] == ["disbursed", "approved"]
    # Importing the same files again stores nothing; a changed request under a stored code is refused.
    with store.engine.connect() as c:
        before = c.execute(select(func.count()).select_from(ConnectStep)).scalar_one()
    again = import_requests(store.engine, read_requests(DATA / "connect.csv"), read_statuses(DATA / "status.csv"),
                            created_by="t", on=DAY)
    assert again.created == () and len(again.unchanged) == 5
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ConnectStep)).scalar_one() == before
    changed = [r if r.id != "R2" else type(r)(**{**r.__dict__, "amount": 1e9}) for r in
               read_requests(DATA / "connect.csv")]
    with pytest.raises(ValueError, match="R2 is stored with other fields"):
        import_requests(store.engine, changed, created_by="t", on=DAY)
    # A changed package is a new version; the route already given keeps its name.
    p1 = read_packages(DATA / "packages.csv")[0]
    saved = save_packages(store.engine, [type(p1)(**{**p1.__dict__, "name": "Gói mới"})], created_by="t")
    assert saved.created == ("P1",)
    assert {p.id: p.name for p in current_packages(store.engine)}["P1"] == "Gói mới"
    assert stored_summary(store.engine)[1]["P1"] == "Ngân hàng A: Gói vay ưu đãi công nghiệp hỗ trợ"


def test_steps_follow_their_order(db_url: str) -> None:
    store = open_store(db_url)
    save_packages(store.engine, OPEN, created_by="t")
    _register(store)
    code, routes = submit_request(store.engine, enterprise="S001", kind="credit", sector="mechanical", amount=3e9,
                                  tenor_months=48, purpose="Máy đúc", created_by="e1", on=DAY)
    assert code == "YC-2026-0001" and [r.to for r in routes] == ["L1"]  # L2 lends 36 months at most, 5 bn
    second, _ = submit_request(store.engine, enterprise="S004", kind="ecommerce", sector="food", created_by="e4",
                               on=DAY)
    assert second == "YC-2026-0002"

    def refused(code_: str, status: str, **kw: object) -> str:
        with pytest.raises(StepRefused) as caught:
            record_step(store.engine, code_, status, recorded_by="o", **kw)  # type: ignore[arg-type]
        return caught.value.code

    assert refused(code, "disbursed", to="L1", amount=1e9) == "bad_order"  # not approved yet
    assert refused(code, "approved", to="L2") == "not_routed"
    assert refused("YC-2026-0099", "approved", to="L1") == "unknown_request"
    assert refused(code, "withdrawn", enterprise="S002") == "unknown_request"  # not S002's request
    record_step(store.engine, code, "approved", to="L1", recorded_by="o")
    assert refused(code, "approved", to="L1") == "bad_order"  # approved once
    assert refused(code, "disbursed", to="L1") == "needs_amount"
    record_step(store.engine, code, "disbursed", to="L1", amount=2e9, recorded_by="o")
    record_step(store.engine, code, "disbursed", to="L1", amount=1e9, recorded_by="o")  # a second tranche
    assert refused(second, "disbursed", to="O1", amount=5.0) == "not_credit"
    record_step(store.engine, second, "withdrawn", recorded_by="e4", enterprise="S004")
    assert refused(second, "approved", to="O1") == "closed"
    total = {s.programme: s for s in stored_summary(store.engine)[0]}["all"]
    assert (total.requests, total.approved, total.disbursed, total.amount) == (2, 1, 1, 3e9)
    with store.engine.connect() as c:
        reasons = c.execute(select(AuditEntry.reason).where(AuditEntry.action == "connect")
                            .order_by(AuditEntry.id)).scalars().all()
    assert "request YC-2026-0001 (credit) routed to L1" in reasons
    assert "request YC-2026-0001: disbursed at L1, 1000000000 VND" in reasons
    with pytest.raises(ValueError, match="amount and tenor"):
        submit_request(store.engine, enterprise="S001", kind="credit", sector="mechanical", created_by="e1")
    with pytest.raises(ValueError, match="not in the register"):
        submit_request(store.engine, enterprise="NOBODY", kind="association", sector="food", created_by="x")


def test_a_burst_of_requests_gets_distinct_codes_and_routes(db_url: str) -> None:
    """Eight writers each send five requests and approve each at once: 40 codes without a gap or a repeat,
    every request routed and approved once."""
    store = open_store(db_url)
    save_packages(store.engine, OPEN, created_by="t")
    _register(store)
    def writer(k: int) -> None:
        for j in range(5):
            code, routes = submit_request(store.engine, enterprise="S001", kind="credit", sector="mechanical",
                                          amount=1e9 + k * 1e6 + j, tenor_months=24, created_by=f"w{k}",
                                          on=DAY)
            record_step(store.engine, code, "approved", to=routes[0].to, recorded_by=f"w{k}")

    burst(writer)
    rows = [r for r in stored_requests(store.engine) if r.code.startswith("YC-")]
    assert sorted(r.code for r in rows) == [f"YC-2026-{n:04d}" for n in range(1, 41)]
    assert all([s.status for s in r.steps] == ["routed", "routed", "approved"] for r in rows)  # L1 and L2
    assert sorted(r.amount for r in rows) == sorted(1e9 + k * 1e6 + j for k in range(8) for j in range(5))
    total = {s.programme: s for s in stored_summary(store.engine)[0]}["all"]
    assert (total.requests, total.approved) == (40, 40)


KILLER = """import sys, time
from pathlib import Path
from vnindustry.linkage.connect import read_requests
from vnindustry.store import open_store
from vnindustry.linkage.stored_connect import import_requests
store = open_store(sys.argv[1])
requests = read_requests(Path(sys.argv[2]))
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
import_requests(store.engine, requests, created_by="kill")
print(time.perf_counter() - started, flush=True)
"""


def _requests_file(path: Path, prefix: str, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["request", "enterprise", "kind", "sector", "amount", "tenor_months", "purpose", "description"])
        for k in range(n):
            w.writerow([f"{prefix}{k:05d}", f"S{k % 5 + 1:03d}", "credit", "mechanical", str(1e9 + k), "24",
                        "Vốn lưu động", "Đề nghị thử"])


def _run(db_url: str, path: Path, kill_after: float | None) -> float | None:
    return run_killed(KILLER, [db_url, str(path)], kill_after)


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_all_or_nothing(db_url: str, tmp_path: Path) -> None:
    """An import of 600 requests (each routed: 1,800 steps) SIGKILLed at moments spread over its duration:
    afterwards all of its requests are stored with their routes, or none is."""
    store = open_store(db_url)
    save_packages(store.engine, OPEN, created_by="t")
    _register(store)
    _requests_file(tmp_path / "timing.csv", "T", 600)
    took = _run(db_url, tmp_path / "timing.csv", None)
    assert took is not None
    outcomes = []
    for attempt, fraction in enumerate((0.02, 3.0, 0.3, 0.6, 0.9, 1.5, 0.1, 2.5)):
        prefix = f"K{attempt}-"
        _requests_file(tmp_path / f"k{attempt}.csv", prefix, 600)
        _run(db_url, tmp_path / f"k{attempt}.csv", took * fraction)
        with store.engine.connect() as c:
            n = c.execute(select(func.count()).select_from(ConnectRequest)
                          .where(ConnectRequest.code.like(prefix + "%"))).scalar_one()
            steps = c.execute(select(func.count()).select_from(ConnectStep)
                              .where(ConnectStep.request_code.like(prefix + "%"))).scalar_one()
        assert (n, steps) in ((0, 0), (600, 1200)), (attempt, fraction, n, steps)  # L1 and L2 each
        outcomes.append(n == 600)
    assert set(outcomes) == {True, False}, outcomes


def test_the_commands_store_and_count(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    r = runner.invoke(app, ["linkage", "connect", "packages", str(DATA / "packages.csv"), "--db", db])
    assert r.exit_code == 0 and "4 new versions" in r.output, r.output
    bad = tmp_path / "status.csv"
    bad.write_text("request,at,status,to,amount\nR1,2026-03-01,routed,P1,\nR1,2026-03-02,disbursed,P1,5\n",
                   encoding="utf-8")
    r = runner.invoke(app, ["linkage", "connect", "import", str(DATA / "connect.csv"), "--status", str(bad),
                            "--db", db, "--on", "2026-06-01"])
    assert r.exit_code == 1 and "line 3" in r.output and "nothing was stored" in r.output, r.output
    with open_store(db).engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ConnectRequest)).scalar_one() == 0  # all or nothing
    r = runner.invoke(app, ["linkage", "connect", "import", str(DATA / "connect.csv"), "--status",
                            str(DATA / "status.csv"), "--db", db, "--on", "2026-06-01"])
    assert r.exit_code == 0 and "5 new" in r.output, r.output
    r = runner.invoke(app, ["linkage", "connect", "summary", "--db", db])
    assert r.exit_code == 0 and "Tổng" in r.output and "3.000.000.000" in r.output  # R1's two tranches, once
