"""Enterprise monthly reports (issue 6): the rules of the portal's form and API, with no HTTP.

:func:`submit_report` checks a report and stores it as a new version of its (enterprise, month) in one
transaction; :func:`report_form` is what the monthly form shows. A refused report raises
:class:`ReportRejected` with a list of problems, each naming its line (1-based, as sent) so a route can answer
422 problem+json.

Rules (decided here; docs/dataset-format.md describes the tables):

- The enterprise must be in the register (else :class:`UnknownEnterprise`, a 404 for a route).
- ``period`` is ``YYYY-MM`` (``YYYYMmm`` and ``MM/YYYY`` accepted) and not after the month of ``now``.
- At least one line; at most :data:`MAX_LINES`. A report need not list every product: a product left out is
  "not reported" (imputed by the compile), ``0`` means "produced nothing".
- Products: one the enterprise already reports (``enterprise_products``) **or** any product of the
  enterprise's own industry in the register (an enterprise that starts making a new product of its industry
  can report it; the pair is then added to ``enterprise_products``). Anything else is refused: an unknown
  code, or a product of another industry (the statistics office changes the register, not the enterprise).
- ``quantity``: a finite number ≥ 0 (int, float or Decimal; a bool, a string — even "12" —, None, NaN and
  ±inf are refused). ``comment``: optional text of at most :data:`MAX_COMMENT` characters.
- The same product twice in one report is refused (the later line is named).
- The unit-slip check of the compile (``vnindustry.compile.checks``), applied as the enterprise types: a
  quantity ≥ ``ratio`` × or ≤ 1/``ratio`` of the median of the enterprise's last 12 reported months for the
  product (latest versions, months before ``period``; a median of 0 or no history gives no scale and no
  check; ``ratio`` is the ``suspicious_ratio`` setting, 10) must be confirmed: the product's code in
  ``confirmations`` **and** a non-empty comment on the line. Otherwise the report is refused with one problem
  per such line (code ``needs_confirmation`` or ``comment_required``) giving the expected range, the median,
  last month's and the same month last year's values.
- Same content as the latest stored version (same :func:`~vnindustry.store.register.report_checksum`: line
  order, ``1`` vs ``1.0`` and surrounding blanks in comments do not matter) → nothing stored, the receipt
  says ``unchanged`` and carries the stored version and its time. This holds even after the month is closed
  and without re-confirming, so a client that retries after a timeout learns that its report is stored.
- Otherwise, when the month is closed (a ``month_closures`` row, read inside the submitting transaction,
  or ``closed(period)`` true) the report is refused (code ``month_closed``); else it is stored as version
  latest + 1 (1 for a new month), status ``submitted``; older versions are kept.
- One transaction per submission, serialized per enterprise (PostgreSQL: the enterprise's row is locked
  ``FOR UPDATE``; SQLite: ``BEGIN IMMEDIATE``); a version-number collision with another writer (e.g. a
  concurrent import) retries the whole check, so no version number is used twice and no report is lost.
- Closing a month cannot race a late submission: on PostgreSQL the submission takes the month's advisory lock
  shared (:func:`vnindustry.store.locks.lock_month`, after the enterprise's row, before the closed check) and
  the closure takes it exclusive around its insert, so a submission either commits before the closure does
  (and the close's compile reads it) or sees the closure and is refused. On SQLite ``BEGIN IMMEDIATE``
  already makes every writer — submissions and the closure alike — wait for the others, so the check and the
  insert are never interleaved.
- One connection per submission (issue 12): everything — the enterprise's lock, the month's lock, the closed
  check, the history, the insert — runs on the transaction's own connection. A check that opened a second
  pooled connection inside the open transaction deadlocked the pool under a burst (40 submissions: every
  connection held by a transaction waiting for a second one). So ``closed`` must not open a connection (the
  store's closures are checked in the transaction anyway). Lock waits are bounded by the ``db_lock_timeout``
  setting (:func:`vnindustry.store.locks.bound_lock_wait`, SQLite's busy timeout): a submission that waits
  longer raises SQLAlchemy's ``OperationalError``, which the web app answers with 503 and Retry-After.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from vnindustry import settings
from vnindustry.periods import MONTH_FORMAT_HELP, month_code, parse_month
from vnindustry.store.locks import bound_lock_wait, lock_month, month_closed
from vnindustry.store.register import report_checksum
from vnindustry.store.repository import VIETNAM
from vnindustry.store.tables import ENTERPRISE_PRODUCTS, ENTERPRISES, PRODUCTS, REPORT_LINES, REPORTS

MAX_LINES = 1_000
MAX_COMMENT = 2_000
HISTORY_MONTHS = 12  # months of the enterprise's own history whose median is the unit-slip reference
PORTAL_SOURCES = ("portal", "excel")  # "import" is import_dataset's
_ATTEMPTS = 5  # whole-transaction retries after a unique-constraint collision with another writer

Problem = dict[str, object]


def _problem(line: int | None, product: str | None, field: str, message: str, fix: str, code: str,
             **extra: object) -> Problem:
    return {"line": line, "product": product, "field": field, "message": message, "fix": fix, "code": code,
            **extra}


def month_not_open(period: str, opens: dt.date) -> Problem:
    """The refusal of a report for ``period``, a month that has not ended (it opens on ``opens``): raised by
    :func:`submit_report` and shown by the portal's form before anything is typed — one wording."""
    return _problem(None, None, "period", f"{period} has not ended: reports are taken from {opens.isoformat()}",
                    f"report {period} on or after {opens.isoformat()}", "month_not_open",
                    params={"month": period, "opens": opens.isoformat()})


class ReportRejected(Exception):
    """A report refused; ``problems``: ``{"line", "product", "field", "message", "fix", "code", …}`` each,
    ``line`` 1-based in the order sent (None for the report as a whole). Confirmation problems also carry
    ``expected`` (``{"low", "high"}``, exclusive bounds), ``median``, ``last_month`` and ``last_year``
    (``{"period", "quantity"}``, quantity None when not reported)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        parts = []
        for p in self.problems:
            where = f"line {p['line']}" if p["line"] is not None else "report"
            if p["product"]:
                where += f" ({p['product']})"
            parts.append(f"{where}, {p['field']}: {p['message']}")
        super().__init__("; ".join(parts))

    @property
    def needs_confirmation(self) -> bool:
        """True when the only problems are values to confirm (the form asks instead of refusing)."""
        return bool(self.problems) and all(p["code"] in ("needs_confirmation", "comment_required")
                                           for p in self.problems)


class UnknownEnterprise(ReportRejected):
    """The enterprise is not in the register."""


@dataclass(frozen=True)
class Receipt:
    """What the enterprise gets back. ``status``: ``stored`` (a new version) or ``unchanged`` (the same
    content was already the latest version: ``version`` and ``submitted_at`` are the stored one's)."""

    enterprise: str
    period: str
    version: int
    status: str
    checksum: str
    submitted_at: dt.datetime
    line_count: int
    submitted_by: str
    source: str
    confirmed: tuple[str, ...] = ()  # products whose unusual value was confirmed with a comment


@dataclass(frozen=True)
class PeriodValue:
    period: str
    quantity: float | None  # None: not reported that month


@dataclass(frozen=True)
class FormLine:
    """One box of the monthly form: the product, the figures shown beside it, and the range the unit-slip
    check accepts without confirmation (``low``/``high`` exclusive; None when there is no history)."""

    product: str
    name: str
    unit: str
    last_month: PeriodValue
    last_year: PeriodValue
    current: float | None
    comment: str
    median: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class ReportForm:
    enterprise: str
    name: str
    period: str
    version: int | None  # the latest stored version for the month, None before the first report
    status: str | None
    submitted_at: dt.datetime | None
    lines: tuple[FormLine, ...]


@dataclass(frozen=True)
class _Line:
    index: int
    product: str
    quantity: float
    comment: str


# -- checks that need no database ----------------------------------------------------------------------------

def _month(period: object) -> tuple[int | None, Problem | None]:
    key = parse_month(period) if isinstance(period, str) else None
    if key is None:
        return None, _problem(None, None, "period", f"{period!r} is not a month", MONTH_FORMAT_HELP, "invalid_period",
                              params={"text": str(period)[:40]})
    return key, None


def _quantity(value: object) -> tuple[float | None, str | None, dict[str, object]]:
    """The quantity as a float, or why it is refused (the English text, and the kind and value for
    :mod:`vnindustry.portal.messages`)."""
    shown = repr(value)[:60]
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        if value is None:
            return None, "missing", {"kind": "missing"}
        return None, f"{value!r} is not a number", {"kind": "not_a_number", "value": str(value)[:60]}
    try:
        q = float(value)
    except (OverflowError, ValueError):
        return None, f"{value!r} is not a finite number", {"kind": "not_finite", "value": shown}
    if not math.isfinite(q):
        return None, f"{value!r} is not a finite number", {"kind": "not_finite", "value": shown}
    if q < 0:
        return None, f"{value!r} is negative", {"kind": "negative", "value": q}
    ceiling = settings.get("max_quantity")
    if q > ceiling:  # issue 12: 1.7e308 was stored and overflowed the month's index to nothing
        return None, (f"{value!r} is above the plausibility ceiling of {ceiling:g} for one product and month "
                      f"(setting max_quantity) — check the unit and the digits"), {"value": q, "ceiling": ceiling}
    return q + 0.0, None, {}  # -0.0 → 0.0


_QUANTITY_FIX = "quantities are numbers ≥ 0 in the product's unit (0 for no output; leave the product out if " \
                "not reported)"


def _parse_lines(lines: object) -> tuple[list[_Line], list[Problem]]:
    if isinstance(lines, str | bytes | Mapping) or not isinstance(lines, Sequence):
        return [], [_problem(None, None, "lines", "lines must be a list of {product, quantity, comment}",
                             "send a list, one entry per product", "invalid_lines")]
    if not lines:
        return [], [_problem(None, None, "lines", "the report has no lines",
                             "send at least one product (0 for a product not produced)", "empty_report")]
    if len(lines) > MAX_LINES:
        return [], [_problem(None, None, "lines", f"{len(lines)} lines (at most {MAX_LINES})",
                             "send one line per product", "too_many_lines",
                             params={"n": len(lines), "max": MAX_LINES})]
    out: list[_Line] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(lines, start=1):
        if not isinstance(raw, Mapping):
            problems.append(_problem(index, None, "line", "a line must be an object {product, quantity, comment}",
                                     "send each line as an object", "invalid_line"))
            continue
        product = raw.get("product")
        if not isinstance(product, str) or not product.strip():
            problems.append(_problem(index, None, "product", "missing product code",
                                     "give the product's code (as on the form)", "invalid_product"))
            product = None
        else:
            product = product.strip()
        bad = False
        q, why, said = _quantity(raw.get("quantity"))
        if why is not None:
            code = "implausible_quantity" if "max_quantity" in why else "invalid_quantity"  # issue 12's ceiling
            problems.append(_problem(index, product, "quantity", f"quantity {why}", _QUANTITY_FIX, code,
                                     params=said))
            bad = True
        comment = raw.get("comment")
        if comment is None:
            comment = ""
        if not isinstance(comment, str):
            problems.append(_problem(index, product, "comment", "the comment must be text", "send text or nothing",
                                     "invalid_comment"))
            bad = True
        elif len(comment) > MAX_COMMENT:
            problems.append(_problem(index, product, "comment", f"comment of {len(comment)} characters "
                                     f"(at most {MAX_COMMENT})", "shorten the comment", "invalid_comment",
                                     params={"kind": "too_long", "n": len(comment), "max": MAX_COMMENT}))
            bad = True
        if product is None:
            continue
        if product in seen:
            problems.append(_problem(index, product, "product", f"{product} is already on line {seen[product]}",
                                     "send each product once", "duplicate_product",
                                     params={"product": product, "line": seen[product]}))
            continue
        seen[product] = index
        if not bad:
            out.append(_Line(index, product, q, comment.strip()))  # type: ignore[arg-type, union-attr]
    return out, problems


# -- the store ----------------------------------------------------------------------------------------------

def _lock(conn: Connection, enterprise: str) -> Mapping | None:
    """Serialize writers of one enterprise; the enterprise's register row (None if unknown)."""
    e = ENTERPRISES.c
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now (waits db_lock_timeout at most)
    bound_lock_wait(conn)  # PostgreSQL: the row lock below waits db_lock_timeout at most
    return conn.execute(select(e.code, e.name, e.industry).where(e.code == enterprise)
                        .with_for_update()).mappings().first()


def _history(conn: Connection, enterprise: str, before: str, products: Iterable[str]
             ) -> dict[str, list[tuple[str, float]]]:
    """product → ``[(period, quantity)]`` from the latest version of each month before ``before``, oldest first."""
    codes = sorted(set(products))
    if not codes:
        return {}
    t, line = REPORTS, REPORT_LINES
    latest = (select(t.c.period, func.max(t.c.version).label("version"))
              .where(t.c.enterprise_code == enterprise, t.c.period < before).group_by(t.c.period).subquery())
    query = (select(t.c.period, line.c.product_code, line.c.quantity)
             .join(latest, and_(latest.c.period == t.c.period, latest.c.version == t.c.version))
             .join(line, line.c.report_id == t.c.id)
             .where(t.c.enterprise_code == enterprise, line.c.product_code.in_(codes))
             .order_by(t.c.period))
    out: dict[str, list[tuple[str, float]]] = {}
    for period, product, q in conn.execute(query):
        out.setdefault(product, []).append((period, q))
    return out


@dataclass(frozen=True)
class _Reference:
    median: float | None
    low: float | None
    high: float | None
    last_month: PeriodValue
    last_year: PeriodValue


def _reference(history: list[tuple[str, float]], key: int, ratio: float) -> _Reference:
    by_period = dict(history)
    prev, year_ago = month_code(key - 1), month_code(key - 12)
    recent = [q for _, q in history[-HISTORY_MONTHS:]]
    median = statistics.median(recent) if recent else None
    usable = median is not None and median > 0
    return _Reference(median, median / ratio if usable else None, median * ratio if usable else None,  # type: ignore[operator]
                      PeriodValue(prev, by_period.get(prev)), PeriodValue(year_ago, by_period.get(year_ago)))


def _latest(conn: Connection, enterprise: str, period: str) -> Mapping | None:
    t = REPORTS.c
    return conn.execute(select(t.id, t.version, t.checksum, t.submitted_at, t.submitted_by, t.source,
                               t.status)
                        .where(t.enterprise_code == enterprise, t.period == period)
                        .order_by(t.version.desc()).limit(1)).mappings().first()


def _insert_report(conn: Connection, row: dict) -> int:
    t = REPORTS
    return conn.execute(insert(t).returning(t.c.id), row).scalar_one()


def _insert_lines(conn: Connection, rows: list[dict]) -> None:
    conn.execute(insert(REPORT_LINES), rows)


def _record_products(conn: Connection, enterprise: str, period: str, lines: Sequence[_Line],
                     pairs: Mapping[str, tuple[str, str]]) -> None:
    """Keep ``enterprise_products`` in step: a new pair, or a first/last month widened."""
    ep = ENTERPRISE_PRODUCTS
    new = [dict(enterprise_code=enterprise, product_code=x.product, first_period=period, last_period=period)
           for x in lines if x.product not in pairs]
    if new:
        conn.execute(insert(ep), new)
    for x in lines:
        if x.product in pairs:
            first, last = pairs[x.product]
            if period < first or period > last:
                conn.execute(update(ep).where(ep.c.enterprise_code == enterprise, ep.c.product_code == x.product)
                             .values(first_period=min(first, period), last_period=max(last, period)))


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _times(r: float) -> str:
    return f"{r:,.0f}" if r >= 100 else f"{r:.3g}"


def _fmt(q: float | None, unit: str) -> str:
    return "not reported" if q is None else f"{q:g} {unit}".strip()


def _submit_once(conn: Connection, enterprise: str, key: int, parsed: list[_Line], problems: list[Problem], *,
                 submitted_by: str, source: str, confirmed: set[str], closed: Callable[[str], bool],
                 now: dt.datetime, ratio: float) -> Receipt:
    period = month_code(key)
    ent = _lock(conn, enterprise)
    lock_month(conn, key)  # before the closed check below: a closure waits for this transaction, or it for it
    if ent is None:
        raise UnknownEnterprise([_problem(None, None, "enterprise", f"no enterprise {enterprise!r} in the register",
                                          "check the enterprise code", "unknown_enterprise",
                                          params={"enterprise": enterprise})])
    problems = list(problems)
    ep, p = ENTERPRISE_PRODUCTS.c, PRODUCTS.c
    pairs = {r.product_code: (r.first_period, r.last_period) for r in conn.execute(
        select(ep.product_code, ep.first_period, ep.last_period).where(ep.enterprise_code == enterprise))}
    codes = sorted({x.product for x in parsed})
    known = {r.code: r for r in conn.execute(select(p.code, p.industry, p.unit).where(p.code.in_(codes)))}
    ok: list[_Line] = []
    for x in parsed:
        info = known.get(x.product)
        if info is None:
            problems.append(_problem(x.index, x.product, "product", f"unknown product code {x.product!r}",
                                     "use a product code of the form (your products)", "unknown_product",
                                     params={"product": x.product}))
        elif x.product not in pairs and not (ent["industry"] and info.industry == ent["industry"]):
            problems.append(_problem(
                x.index, x.product, "product",
                f"{enterprise} does not report {x.product} (industry {info.industry}), which is not a product of "
                f"its industry ({ent['industry'] or 'none registered'})",
                "report only your products; ask the statistics office to add a new one to the register",
                "product_not_allowed", params={"enterprise": enterprise, "product": x.product}))
        else:
            ok.append(x)
    if problems:
        raise ReportRejected(sorted(problems, key=lambda q: (q["line"] or 0)))
    checksum = report_checksum((x.product, x.quantity, x.comment) for x in ok)
    latest = _latest(conn, enterprise, period)
    if latest is not None and latest["checksum"] == checksum:
        return Receipt(enterprise, period, latest["version"], "unchanged", checksum, _utc(latest["submitted_at"]),
                       len(ok), latest["submitted_by"], latest["source"])
    # Checked in this transaction, under the month's lock; ``closed`` may refuse more months (it must not open a
    # connection of its own: that was the burst's pool deadlock).
    if month_closed(conn, period) or closed(period):
        raise ReportRejected([_problem(None, None, "period", f"{period} is closed: reports can no longer be changed",
                                       "contact the statistics office to correct a closed month", "month_closed",
                                       params={"month": period})])
    history = _history(conn, enterprise, period, codes)
    units = {c: known[c].unit for c in codes}
    confirmed_here: list[str] = []
    for x in ok:
        ref = _reference(history.get(x.product, []), key, ratio)
        if ref.low is None or ref.high is None or ref.low < x.quantity < ref.high:
            continue
        if x.product in confirmed and x.comment:
            confirmed_here.append(x.product)
            continue
        unit = units[x.product]
        n = len(history[x.product][-HISTORY_MONTHS:])
        what = (f"{x.quantity:g} {unit} is {_times(x.quantity / ref.median)}× the median of your last {n} reported "  # type: ignore[operator]
                f"months ({ref.median:g} {unit}); expected between {ref.low:g} and {ref.high:g} {unit}; "
                f"last month ({ref.last_month.period}): {_fmt(ref.last_month.quantity, unit)}; same month last "
                f"year ({ref.last_year.period}): {_fmt(ref.last_year.quantity, unit)}")
        extra = dict(expected={"low": ref.low, "high": ref.high}, median=ref.median,
                     last_month={"period": ref.last_month.period, "quantity": ref.last_month.quantity},
                     last_year={"period": ref.last_year.period, "quantity": ref.last_year.quantity})
        if x.product in confirmed:
            problems.append(_problem(x.index, x.product, "comment", f"confirmed without a comment: {what}",
                                     "say in the comment why the figure is so different", "comment_required",
                                     **extra))
        else:
            problems.append(_problem(x.index, x.product, "quantity", f"needs confirming: {what}",
                                     "check the unit (kg typed for tấn?) and correct the figure; if it is right, "
                                     "confirm it and say why in the comment", "needs_confirmation", **extra))
    if problems:
        raise ReportRejected(problems)
    version = 1 if latest is None else latest["version"] + 1
    report_id = _insert_report(conn, dict(enterprise_code=enterprise, period=period, version=version,
                                          submitted_at=now, submitted_by=submitted_by, source=source,
                                          checksum=checksum, status="submitted"))
    _insert_lines(conn, [dict(report_id=report_id, product_code=x.product, quantity=x.quantity, comment=x.comment)
                         for x in ok])
    _record_products(conn, enterprise, period, ok, pairs)
    return Receipt(enterprise, period, version, "stored", checksum, now, len(ok), submitted_by, source,
                   tuple(confirmed_here))


def _month_in_vietnam(now: dt.datetime) -> int:
    """The month under way at ``now`` on Vietnam's clock, as ``year * 12 + month - 1``."""
    local = now.astimezone(VIETNAM)
    return local.year * 12 + local.month - 1


def submit_report(
    engine: Engine | object,
    enterprise: str,
    period: str,
    lines: Sequence[Mapping[str, object]],
    *,
    submitted_by: str,
    source: str = "portal",
    confirmations: Iterable[str] | None = None,
    closed: Callable[[str], bool] = lambda period: False,
    now: dt.datetime | None = None,
    ratio: float | None = None,
) -> Receipt:
    """Check the report of ``enterprise`` for ``period`` and store it (the module docstring has the rules).

    ``lines``: ``[{"product", "quantity", "comment"?}]``. ``confirmations``: product codes whose unusual value
    the enterprise confirms (each also needs a comment). A month closed in the store is always refused (checked
    on the submission's own connection, under the month's lock); ``closed(period)`` (``YYYY-MM``) can refuse
    more months — it runs inside the open transaction, so it must not open a database connection itself (a
    pool deadlock under a burst). ``now`` (default: the current time, UTC) is the
    submission time. ``ratio`` defaults to the ``suspicious_ratio`` setting. Raises :class:`ReportRejected`
    (nothing stored) or returns a :class:`Receipt`.
    """
    if source not in PORTAL_SOURCES:
        raise ValueError(f"source must be one of {PORTAL_SOURCES}, not {source!r}")
    eng: Engine = getattr(engine, "engine", engine)  # type: ignore[assignment]
    now = _utc(now or dt.datetime.now(dt.UTC))
    ratio = float(settings.get("suspicious_ratio") if ratio is None else ratio)
    if ratio <= 1:
        raise ValueError("ratio must be > 1")
    key, bad_period = _month(period)
    problems: list[Problem] = []
    if bad_period is not None:
        problems.append(bad_period)
    elif key is not None and key >= (current := _month_in_vietnam(now)):  # type: ignore[operator]
        # A month takes reports once it has ended (portal/months.py's rule), on every route that writes one.
        if key > current:
            problems.append(_problem(None, None, "period", f"{month_code(key)} has not begun",
                                     "report a month that has ended", "future_period",
                                     params={"month": month_code(key)}))
        else:
            problems.append(month_not_open(month_code(key), dt.date((key + 1) // 12, (key + 1) % 12 + 1, 1)))
    parsed, line_problems = _parse_lines(lines)
    problems += line_problems
    if key is None or (problems and not parsed):
        raise ReportRejected(problems)
    confirmed = set() if confirmations is None else {str(c).strip() for c in confirmations}
    for attempt in range(_ATTEMPTS):
        try:
            with eng.begin() as conn:
                return _submit_once(conn, enterprise, key, parsed, problems, submitted_by=submitted_by, source=source,
                                    confirmed=confirmed, closed=closed, now=now, ratio=ratio)
        except IntegrityError:  # another writer took the version number (or added the pair) first: check again
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def report_form(engine: Engine | object, enterprise: str, period: str, *, ratio: float | None = None) -> ReportForm:
    """The monthly form of ``enterprise`` for ``period``: its products (those it reports, and any in its
    current report), each with last month's and the same month last year's figures (latest versions), the
    current value and comment when the month has a report, and the range accepted without confirmation."""
    eng: Engine = getattr(engine, "engine", engine)  # type: ignore[assignment]
    ratio = float(settings.get("suspicious_ratio") if ratio is None else ratio)
    key, bad = _month(period)
    if bad is not None or key is None:
        raise ReportRejected([bad])  # type: ignore[list-item]
    month = month_code(key)
    e, ep, p, line = ENTERPRISES.c, ENTERPRISE_PRODUCTS.c, PRODUCTS.c, REPORT_LINES.c
    with eng.connect() as conn:
        ent = conn.execute(select(e.code, e.name).where(e.code == enterprise)).first()
        if ent is None:
            raise UnknownEnterprise([_problem(None, None, "enterprise", f"no enterprise {enterprise!r} in the "
                                              "register", "check the enterprise code", "unknown_enterprise",
                                              params={"enterprise": enterprise})])
        latest = _latest(conn, enterprise, month)
        current: dict[str, tuple[float, str]] = {}
        if latest is not None:
            current = {r.product_code: (r.quantity, r.comment) for r in conn.execute(
                select(line.product_code, line.quantity, line.comment).where(line.report_id == latest["id"]))}
        codes = set(conn.execute(select(ep.product_code).where(ep.enterprise_code == enterprise)).scalars())
        codes |= set(current)
        products = conn.execute(select(p.code, p.name_vi, p.unit).where(p.code.in_(sorted(codes)))
                                .order_by(p.code)).all()
        history = _history(conn, enterprise, month, codes)
    out = []
    for code, name, unit in products:
        ref = _reference(history.get(code, []), key, ratio)
        q, comment = current.get(code, (None, ""))
        out.append(FormLine(code, name, unit, ref.last_month, ref.last_year, q, comment or "", ref.median, ref.low,
                            ref.high))
    return ReportForm(enterprise, ent.name, month, None if latest is None else latest["version"],
                      None if latest is None else latest["status"],
                      None if latest is None else _utc(latest["submitted_at"]), tuple(out))
