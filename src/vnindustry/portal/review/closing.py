"""Closing a month (:func:`close_month`): one guarded, atomic step — the closure, its audit rows and the release
of its compile commit in one transaction. Also the compile-and-store step a revision shares
(:func:`_compile_and_store`), the months a close would skip (:func:`months_to_skip`), the recovery of closures an
interrupted close left without a release (:func:`recover_closures`) and the crash points of the kill -9 test."""

from __future__ import annotations

import datetime as dt
import os
import signal
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select, update

from vnindustry import settings
from vnindustry.periods import month_code, parse_month
from vnindustry.portal.review.audit import _audit
from vnindustry.portal.review.clock import _now, _today, _utc
from vnindustry.portal.review.dataset_folder import write_dataset
from vnindustry.portal.review.month_state import (
    Closure,
    _closed_months,
    _published_months,
    _reported_months,
    closable_from,
)
from vnindustry.portal.review.reading import _engine, _reading
from vnindustry.portal.review.refusals import (
    AlreadyClosed,
    LowResponse,
    MonthNotOver,
    NoReports,
    OpenItems,
    OpenMonthsBefore,
    PublishDatePast,
    PublishedLater,
    ReviewError,
    TreeMissing,
    _month,
    _reason,
)
from vnindustry.portal.review.response_counts import _weighted_response
from vnindustry.portal.review.review_queue import _queue, _ratio
from vnindustry.store.locks import lock_month
from vnindustry.store.repository import ImportSummary
from vnindustry.store.tables import INDUSTRIES, MONTH_CLOSURES

# Test hook (tests/test_issue12_close_kill.py): kill -9 the process at a named point of a close, to prove that a
# crash anywhere leaves either the closed month with its release or the open month with nothing.
CRASH_ENV = "VNINDUSTRY_TEST_CLOSE_CRASH_AT"
CRASH_POINTS = ("locked", "closure", "compiled", "stored", "commit")


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _check_publication(conn: Connection, upto: str, publish_on: dt.date,
                       published: Mapping[str, dt.date] | None = None) -> None:
    """A compile up to ``upto`` carries every closed (or published) month up to it again: its release must not be
    dated before any of their publications, or the new vintage would show a month before its day (the embargo)."""
    dates = dict(published or {})
    for period, day in _closed_months(conn).items():
        dates[period] = max(day, dates.get(period, day))
    carried = [(day, period) for period, day in dates.items() if period <= upto]
    if not carried:
        return
    day, period = max(carried)
    if publish_on < day:
        raise ReviewError(code="publish_before_earlier", params={"day": publish_on, "period": period,
                                                                 "earliest": day}, message=
                          f"publish_on {publish_on.isoformat()} is before the publication of {period} "
                          f"({day.isoformat()}), whose figures this release carries again; choose "
                          f"{day.isoformat()} or later", earliest=day.isoformat(),
                          fix=f"choose a publication date on or after {day.isoformat()}")


def _compile_and_store(store: object, upto: str, *, status: str, publish_on: dt.date, source: str,
                       conn: Connection, months: Iterable[str]) -> ImportSummary:
    """Compile the store's reports up to ``upto`` (read on ``conn``) and store ``months`` of it as a release dated
    ``publish_on``, in ``conn``'s transaction (``upto`` carries ``status``; earlier months ``actual``, as
    ``compile_records`` sets them). The release is named after what it is ("city compile to 2026-01"), never after
    the server's temporary folder."""
    from vnindustry.compile.engine import compile_dataset
    from vnindustry.store.compiled import store_compile

    with tempfile.TemporaryDirectory(prefix=f"vnindustry-compile-{upto}-") as tmp:
        folder = write_dataset(conn, upto, Path(tmp) / f"compile-{upto}")
        result = compile_dataset(folder)
    _crash_point("compiled")
    return store_compile(store, result, source=source, status=status,  # type: ignore[arg-type]
                         released_on=publish_on, document=f"{source} compile to {upto}", periods=set(months),
                         conn=conn)


def _interrupted(conn: Connection, *, by: str, now: dt.datetime) -> list[str]:
    """Closures without a release (left by a crash of a close made before closing was one transaction, or by a
    process killed between its steps): the month is opened again — its reports were never compiled, nothing was
    published — and the audit log says so. Returns the months reopened."""
    c = MONTH_CLOSURES
    stale = list(conn.execute(select(c.c.period).where(c.c.release_id.is_(None))).scalars())
    for period in stale:
        conn.execute(delete(c).where(c.c.period == period))
        _audit(conn, by=by, action="close", month=period, now=now,
               reason="an interrupted close left the month closed without its release; month reopened")
    return stale


def recover_closures(engine: Engine | object, *, by: str = "system") -> list[str]:
    """Reopen every month an interrupted close left closed without its release (see :func:`_interrupted`); call at
    start-up. Closing and revising do it themselves. Returns the months reopened."""
    with _engine(engine).begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        return _interrupted(conn, by=by, now=_now())


def _skips(skip: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> dict[str, str]:
    """Months to skip → why, each a month and a reason (audited)."""
    if skip is None:
        return {}
    items = skip.items() if isinstance(skip, Mapping) else skip
    out: dict[str, str] = {}
    for period, why in items:
        _, month = _month(period)
        out[month] = _reason(why, f"a reason for skipping {month}", "skip", month=month)
    return out


def months_to_skip(engine: Engine | object, period: str, *, source: str = "city") -> list[str]:
    """The earlier months a close of ``period`` would skip (each must be closed first or skipped with a reason):
    every month after the latest closed or published one — from the first reported month when there is none —
    up to the month before ``period``. Empty when ``period`` itself is closed, published or behind a later one."""
    key, month = _month(period)
    with _reading(engine) as conn:
        finished = set(_published_months(conn, source)) | set(_closed_months(conn))
        if any(p >= month for p in finished):
            return []
        if finished:
            first = parse_month(max(finished)) + 1  # type: ignore[operator]
        else:
            reported = _reported_months(conn, month)
            if not reported:
                return []
            first = parse_month(min(reported))  # type: ignore[assignment]
    return [month_code(k) for k in range(first, key)]  # type: ignore[arg-type]


def close_month(store: object, period: str, *, by: str, publish_on: dt.date, force: bool = False,
                reason: str = "", ratio: float | None = None, now: dt.datetime | None = None,
                source: str = "city", skip: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                today: dt.date | None = None) -> Closure:
    """Close month ``period``, compile it from the store and store the compile as an estimate released on
    ``publish_on`` — the closure, its audit and the release in **one transaction**, so a crash leaves the month
    either closed with its release or open with nothing. ``store``: a :class:`~vnindustry.store.Store` (not a
    public view). ``today``: Vietnam's date (default: now); ``skip``: earlier open months left unpublished, each
    with a reason (audited as ``skip``).

    Refused (each a :class:`ReviewError` naming the fix): :class:`PublishDatePast` (``publish_on`` before today),
    :class:`MonthNotOver` (before :func:`closable_from`), :class:`AlreadyClosed` (closed, or published by another
    release: such months count as closed), :class:`PublishedLater` (a later month is published — revise instead),
    :class:`NoReports`, :class:`OpenMonthsBefore` (earlier months neither closed nor in ``skip``),
    :class:`ReviewError` (``publish_on`` before an earlier month's publication), :class:`TreeMissing`,
    :class:`OpenItems` and :class:`LowResponse` (below ``close_min_response`` by value) unless ``force`` with a
    ``reason``; or the compile's :class:`~vnindustry.errors.InputError`.

    The release holds the closed month and, as new vintages, the earlier closed or published months — never a
    skipped month nor one nobody reported (the compile imputes through them; it does not publish them)."""
    key, month = _month(period)
    if not isinstance(publish_on, dt.date) or isinstance(publish_on, dt.datetime):
        raise ReviewError("publish_on must be a date", code="publish_on_not_date")
    today = today or _today()
    if publish_on < today:
        raise PublishDatePast(params={"day": publish_on, "today": today}, message=
                              f"publish_on {publish_on.isoformat()} is before today ({today.isoformat()}, Vietnam): "
                              "a release dated in the past would rewrite what was known on those days",
                              earliest=today.isoformat(), fix=f"choose {today.isoformat()} or a later day")
    opens = closable_from(month)
    if today < opens:
        raise MonthNotOver(params={"month": month, "opens": opens, "today": today}, message=
                           f"{month} cannot be closed before {opens.isoformat()} (today is {today.isoformat()}): "
                           "the month has not ended or its reporting window has not opened (close_opens_day)",
                           opens=opens.isoformat(), fix=f"close {month} on or after {opens.isoformat()}")
    skips = _skips(skip)
    if force:
        reason = _reason(reason, "a reason for forcing the close", "force")
    r = _ratio(ratio)
    now = _utc(now or _now())
    minimum = float(settings.get("close_min_response"))
    engine = _engine(store)
    c = MONTH_CLOSURES
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # serialises with every submission (they do the same)
        # PostgreSQL: wait for the month's submissions in flight; later ones wait for this commit, then see
        # the closure. So every report of the month is committed before the closure and read by the compile.
        lock_month(conn, key, exclusive=True)
        _crash_point("locked")
        _interrupted(conn, by=by, now=now)
        done = conn.execute(select(c.c.release_id).where(c.c.period == month)).first()
        if done is not None:
            raise AlreadyClosed(f"{month} is closed already (release {done.release_id})", params={"month": month},
                                fix=f"to publish corrections, revise it: POST …/review/{month}/revise")
        published = _published_months(conn, source)
        closed = _closed_months(conn)
        if month in published:
            raise AlreadyClosed(code="already_published", params={"month": month}, message=
                                f"{month} is published already by a release of '{source}' (not by a closure); it "
                                "counts as closed",
                                fix=f"to publish corrections, revise it: POST …/review/{month}/revise")
        finished = set(published) | set(closed)
        later = sorted(p for p in finished if p > month)
        if later:
            raise PublishedLater(params={"month": month, "later": later[-1]}, message=
                                 f"{later[-1]} is published already and its release carries {month}: closing "
                                 f"{month} now would go back in time", latest=later[-1],
                                 fix=f"revise the published figures instead (POST …/review/{later[-1]}/revise "
                                     f"after correcting {month}'s reports)")
        reported = _reported_months(conn, month)
        if month not in reported:
            raise NoReports(f"nobody has reported {month}: there is nothing to close", params={"month": month},
                            fix="wait for the reports (or import them), then close")
        first = (parse_month(max(finished)) + 1) if finished else parse_month(min(reported))  # type: ignore[operator]
        between = [month_code(k) for k in range(first, key)]
        stray = sorted(set(skips) - set(between))
        if stray:
            raise ReviewError(code="skip_not_open", params={"months": stray, "month": month,
                                                            "between": ", ".join(between) or "–"}, message=
                              f"skip names {', '.join(stray)}, which {'is' if len(stray) == 1 else 'are'} not an "
                              f"open month before {month}", months=stray,
                              fix=f"skip only the open months before {month}: {', '.join(between) or 'none'}")
        missing = [p for p in between if p not in skips]
        if missing:
            raise OpenMonthsBefore(
                params={"month": month, "n": len(missing), "months": missing}, message=
                f"closing {month} would skip {len(missing)} earlier open month(s): {', '.join(missing)}",
                months=missing, fix="close them first (oldest first), or skip each with a reason "
                                    "(skip: [{\"period\": \"YYYY-MM\", \"reason\": \"…\"}])")
        _check_publication(conn, month, publish_on, published)
        if not conn.execute(select(INDUSTRIES.c.id).limit(1)).first():
            raise TreeMissing("the store has no industry tree: load it with import_tree (the dataset folder's "
                              "industries.csv) before closing a month", fix="vnindustry import-dataset the folder")
        open_items = [x for x in _queue(conn, month, key, r) if x.status == "open"]
        if open_items and not force:
            names = ", ".join(f"{x.enterprise}/{x.product}" for x in open_items[:50])
            more = f" and {len(open_items) - 50} more" if len(open_items) > 50 else ""
            raise OpenItems(params={"n": len(open_items), "month": month, "names": names + more}, message=
                            f"{len(open_items)} open item(s) in the review queue of {month}: {names}{more}; accept "
                            "or correct them, or close with force and a reason",
                            items=[{"enterprise": x.enterprise, "product": x.product} for x in open_items],
                            fix="accept or correct each item, or close with force and a reason")
        rate, _, _ = _weighted_response(conn, month, key)
        low = rate is not None and minimum > 0 and rate < minimum
        if low and not force:
            raise LowResponse(params={"month": month, "rate": rate, "minimum": minimum}, message=
                              f"the response to {month} is {rate:.1%} by base-year value, below the "
                              f"{minimum:.0%} required (close_min_response)", rate=rate, minimum=minimum,
                              fix="follow up the missing enterprises (the response page lists them), or close "
                                  "with force and a reason")
        conn.execute(insert(c).values(period=month, closed_at=now, closed_by=by, release_id=None,
                                      publish_on=publish_on))
        note = f"publish on {publish_on.isoformat()}"
        if rate is not None:
            note += f"; response {rate:.1%} by value"
        if open_items:
            note += f"; forced with {len(open_items)} open item(s)"
        if low:
            note += f"; forced below the {minimum:.0%} response"
        if open_items or low:
            note += f": {reason}"
        if skips:
            note += f"; skipped {', '.join(sorted(skips))}"
        _audit(conn, by=by, action="close", month=month, reason=note, now=now)
        for skipped, why in sorted(skips.items()):
            _audit(conn, by=by, action="skip", month=skipped, now=now,
                   reason=f"skipped by the close of {month} (not published): {why}")
        _crash_point("closure")
        months = ({month} | {p for p in finished if p < month}) & reported  # never a month nobody reported
        summary = _compile_and_store(store, month, status="estimate", publish_on=publish_on, source=source,
                                     conn=conn, months=months)
        _crash_point("stored")
        conn.execute(update(c).where(c.c.period == month).values(release_id=summary.release_id))
        _crash_point("commit")
    return Closure(month, now, by, summary.release_id, publish_on, bool(open_items or low), len(open_items))
