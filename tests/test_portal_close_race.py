"""Closing a month while enterprises are still submitting it (issue 6): no report of the month may be stored
after its closure, and every stored one is in the closure's compile.

Many threads submit new versions of the month's reports as fast as they can while another closes the month.
The store itself checks the rule: a trigger refuses a report row of a closed month — on PostgreSQL a deferred
constraint trigger, run at COMMIT, so it sees a closure committed while the submission was in flight (the race
the month's advisory lock prevents); on SQLite an insert trigger is enough, since BEGIN IMMEDIATE serialises
every writer. A submission the trigger stopped would surface as an unexpected error in the test.
"""

from __future__ import annotations

import csv
import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import and_, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from vnindustry.demo.city import generate_city
from vnindustry.portal import review
from vnindustry.portal.reports import ReportRejected, submit_report
from vnindustry.store import open_store
from vnindustry.store.models import Report, ReportLine
from vnindustry.store.register import Register, import_dataset
from vnindustry.web.problems import busy_reason

LAST = "2021-03"  # the demo city's last month
MONTH = "2021-04"  # the month submitted and closed in the race
THREADS = 24
VERSIONS = 400  # per enterprise at most; they stop at the first month_closed
PAUSE = 0.01  # s between one enterprise's submissions (SQLite's busy wait lets the close in)
CLOSE_AFTER = 40  # stored submissions before the close starts

PG_TRIGGER = """
CREATE FUNCTION refuse_late_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM month_closures WHERE period = NEW.period) THEN
    RAISE EXCEPTION 'report % of % committed after the month was closed', NEW.id, NEW.period;
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER late_report AFTER INSERT ON reports DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION refuse_late_report();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER late_report BEFORE INSERT ON reports
WHEN EXISTS (SELECT 1 FROM month_closures WHERE period = NEW.period)
BEGIN SELECT RAISE(ABORT, 'report committed after the month was closed'); END;
"""


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("city") / "city", n_enterprises=100, start="2020-01", end=LAST)


def _latest_lines(store) -> set[tuple[str, str, float]]:  # type: ignore[no-untyped-def]
    """(enterprise, product, quantity) of the latest version of every MONTH report in the store."""
    t, line = Report.__table__, ReportLine.__table__
    latest = (select(t.c.enterprise_code, func.max(t.c.version).label("version")).where(t.c.period == MONTH)
              .group_by(t.c.enterprise_code).subquery())
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.enterprise_code, line.c.product_code, line.c.quantity)
                            .join(latest, and_(latest.c.enterprise_code == t.c.enterprise_code,
                                               latest.c.version == t.c.version))
                            .join(line, line.c.report_id == t.c.id).where(t.c.period == MONTH)).all()
    return {(e, p, float(q)) for e, p, q in rows}


def test_regression_issue6_a_late_submission_never_lands_in_a_closed_month(db_url: str, city: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db_url)
    import_dataset(store, city)
    review.import_tree(store, city)
    with store.engine.begin() as conn:
        raw = conn.connection.driver_connection
        if conn.dialect.name == "postgresql":
            raw.execute(PG_TRIGGER)  # type: ignore[union-attr]
        else:
            raw.executescript(SQLITE_TRIGGER)  # type: ignore[union-attr]

    reg = Register(store.engine)
    reports = {}
    with store.engine.connect() as conn:
        codes = sorted(conn.execute(select(Report.enterprise_code).where(Report.period == LAST).distinct()).scalars())
    for code in codes[:THREADS]:
        report = reg.report(code, LAST)
        reports[code] = [(x.product, x.quantity) for x in report.lines]
    assert len(reports) == THREADS

    compiled: list[set[tuple[str, str, float]]] = []
    original = review.write_dataset

    def capture(engine, period, folder):  # type: ignore[no-untyped-def]
        out = original(engine, period, folder)
        with (out / "production.csv").open(encoding="utf-8") as f:
            compiled.append({(r["enterprise"], r["product"], float(r["quantity"]))
                             for r in csv.DictReader(f) if r["period"] == MONTH})
        return out

    monkeypatch.setattr(review.closing, "write_dataset", capture)  # where the compile looks it up

    lock = threading.Lock()
    stored: dict[str, list[tuple[int, set[tuple[str, str, float]]]]] = {c: [] for c in reports}
    refused: dict[str, list[str]] = {c: [] for c in reports}
    errors: list[BaseException] = []
    enough, stop = threading.Event(), threading.Event()
    start = threading.Barrier(THREADS + 1)

    def submitter(code: str) -> None:
        start.wait()
        try:
            for v in range(1, VERSIONS + 1):
                if stop.is_set():
                    return
                time.sleep(PAUSE)
                # A tiny change each time: a new version, well inside the unit-slip range.
                lines = [{"product": p, "quantity": q * (1 + v / 10_000), "comment": "như tháng trước"}
                         for p, q in reports[code]]
                try:  # confirmed: some of the demo's March values are unusual themselves
                    receipt = submit_report(store, code, MONTH, lines, submitted_by="race",
                                            confirmations=[p for p, _ in reports[code]])
                except ReportRejected as exc:
                    with lock:
                        refused[code] += [str(p["code"]) for p in exc.problems]
                    return
                except (OperationalError, PoolTimeout) as exc:
                    # The close holds the month's lock for its whole compile (issue 12: one transaction); a
                    # submission waiting longer than db_lock_timeout is refused as busy (the web's 503 with
                    # Retry-After), nothing stored. It tries again, as a client does.
                    if busy_reason(exc) is None:
                        raise
                    continue
                with lock:
                    stored[code].append((receipt.version, {(code, x["product"], x["quantity"]) for x in lines}))
                    if sum(len(s) for s in stored.values()) >= CLOSE_AFTER:
                        enough.set()
        except BaseException as exc:  # anything else fails the test
            errors.append(exc)
            enough.set()

    threads = [threading.Thread(target=submitter, args=(c,)) for c in reports]
    for t in threads:
        t.start()
    start.wait()
    assert enough.wait(120)
    try:
        history = {m: "history before the portal" for m in review.months_to_skip(store, MONTH)}
        done = review.close_month(store, MONTH, by="stat", publish_on=dt.date(2021, 5, 29), force=True,
                                  reason="race test", today=dt.date(2021, 5, 10), skip=history)
    except BaseException:
        stop.set()  # the submitters would otherwise run to VERSIONS
        raise
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]
    assert done.release_id is not None and review.is_closed(store, MONTH)

    # Every submitter stopped at the closure, with the month-closed refusal (none ran out of versions first).
    odd = {c: (r, len(stored[c])) for c, r in refused.items() if r != ["month_closed"]}
    assert not odd, odd
    # What the store holds is what each enterprise last stored, and the closure's compile read exactly that.
    latest = _latest_lines(store)
    expected = set().union(*(s[-1][1] for s in stored.values() if s))
    assert latest == expected
    assert len(compiled) == 1 and compiled[0] == latest
    for code, versions in stored.items():
        assert [v for v, _ in versions] == list(range(1, len(versions) + 1)), code  # no version lost or doubled
    assert sum(len(s) for s in stored.values()) >= CLOSE_AFTER
