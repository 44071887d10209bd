"""Business connection requests kept in the store (issue 14, item 6): the banks' credit packages and the online
programmes (each change a new version), the enterprises' requests (written once) and every step of their lives
(appended, never changed), so the counts can always be recomputed from what was recorded.

It lives in ``linkage/`` (it routes with :mod:`vnindustry.linkage.connect` inside the writing transaction) and
writes its tables through the linkage writers' lock and audit (``store.linkage``): the store itself imports no
linkage code.

A request is routed when it is stored, in the same locked transaction (:func:`store.linkage.in_linkage_transaction`):
its ``routed`` steps name the programmes :func:`vnindustry.linkage.connect.route` chose from the packages current
then, with the reason in both languages. Later steps — approved, rejected, disbursed (a tranche), withdrawn — are
checked against the earlier ones by :func:`vnindustry.linkage.connect.refuse_step` in the writer's transaction,
so two officers recording at once cannot both approve what one of them rejected. Every write is an audit row
(action ``connect``). The bank decides; the store only records and counts, each request once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, func, insert, select

from vnindustry.linkage.connect import Package, Request, Route, Status, Summary, refuse_step, route, summarise
from vnindustry.store.linkage import Saved, in_linkage_transaction
from vnindustry.store.linkage import audit as _audit
from vnindustry.store.linkage import ensure_enterprises as _ensure_enterprises
from vnindustry.store.tables import CONNECT_PACKAGES, CONNECT_REQUESTS, CONNECT_STEPS, ENTERPRISES

__all__ = ["StepRefused", "StoredRequest", "StoredStep", "current_packages", "import_requests", "record_step",
           "save_packages", "stored_requests", "stored_summary", "submit_request"]


class StepRefused(ValueError):
    """A step the request's earlier steps do not allow; ``code`` says why (see ``refuse_step``)."""

    def __init__(self, code: str, request: str, message: str, step: Status | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.request = request
        self.step = step


@dataclass(frozen=True)
class StoredStep:
    """One recorded step of a request."""

    at: dt.date
    status: str
    to: str
    to_name: str
    amount: float | None
    reason_vi: str
    reason_en: str
    recorded_at: dt.datetime
    recorded_by: str


@dataclass(frozen=True)
class StoredRequest:
    """A stored request with its steps, oldest first."""

    code: str
    enterprise: str
    enterprise_name: str
    kind: str
    sector: str
    amount: float | None
    tenor_months: int | None
    purpose: str
    description: str
    created_at: dt.datetime
    created_by: str
    synthetic: bool
    steps: tuple[StoredStep, ...]

    @property
    def withdrawn(self) -> bool:
        return any(s.status == "withdrawn" for s in self.steps)

    def programmes(self) -> list[tuple[str, str, str]]:
        """(code, name, latest status) of each programme the request was routed to, in routing order."""
        out: dict[str, tuple[str, str]] = {}
        for s in self.steps:
            if s.to:
                name = out[s.to][0] if s.to in out else s.to_name
                out[s.to] = (name, s.status)
        return [(k, n, st) for k, (n, st) in out.items()]

    def disbursed(self) -> float:
        """The amount disbursed, all tranches."""
        return sum(s.amount or 0.0 for s in self.steps if s.status == "disbursed")


def _package_row(p: Package) -> dict:
    return {"code": p.id, "bank": p.bank, "name": p.name, "sectors": ";".join(sorted(p.sectors)),
            "min_amount": float(p.min_amount), "max_amount": None if math.isinf(p.max_amount) else p.max_amount,
            "max_tenor_months": int(p.max_tenor_months), "valid_from": p.valid_from, "valid_to": p.valid_to}


def _packages(c: Connection) -> list[Package]:
    k = CONNECT_PACKAGES
    newest = select(k.c.code.label("c"), func.max(k.c.version).label("v")).group_by(k.c.code).subquery()
    rows = c.execute(select(k).join(newest, and_(k.c.code == newest.c.c, k.c.version == newest.c.v))
                     .order_by(k.c.code)).all()
    return [Package(r.code, r.bank, r.name, frozenset(x for x in r.sectors.split(";") if x), r.min_amount,
                    math.inf if r.max_amount is None else r.max_amount, r.max_tenor_months, r.valid_from,
                    r.valid_to) for r in rows]


def save_packages(engine: Engine, packages: Sequence[Package], *, created_by: str, synthetic: bool = False,
                  note: str = "") -> Saved:
    """Store ``packages`` in one transaction: one equal to its latest version is unchanged, any other becomes the
    next version (the older kept; a request routed before keeps the route it was given)."""
    codes = [p.id for p in packages]
    if len(set(codes)) != len(codes):
        raise ValueError("a package appears twice in one save")

    def write(c: Connection) -> Saved:
        at = dt.datetime.now(dt.UTC)
        k = CONNECT_PACKAGES
        latest = {p.id: p for p in _packages(c)}
        versions = dict(c.execute(select(k.c.code, func.max(k.c.version)).group_by(k.c.code)).all())
        rows, created, unchanged = [], [], []
        for p in packages:
            if p.id in latest and _package_row(latest[p.id]) == _package_row(p):
                unchanged.append(p.id)
                continue
            rows.append({**_package_row(p), "version": int(versions.get(p.id, 0)) + 1, "created_at": at,
                         "created_by": created_by, "synthetic": synthetic})
            created.append(p.id)
        if rows:
            c.execute(insert(k), rows)
        _audit(c, "connect", created_by, at, [("", f"package {r['code']} version {r['version']}"
                                               + (f" ({note})" if note else "")) for r in rows])
        return Saved(tuple(created), tuple(unchanged))

    return in_linkage_transaction(engine, None, write)


def current_packages(engine: Engine) -> list[Package]:
    """The latest version of every package and programme, by code."""
    with engine.connect() as c:
        return _packages(c)


def _next_code(c: Connection, year: int) -> str:
    prefix = f"YC-{year}-"
    taken = c.execute(select(CONNECT_REQUESTS.c.code).where(CONNECT_REQUESTS.c.code.like(prefix + "%"))).scalars().all()
    numbers = [int(x[len(prefix):]) for x in taken if x[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _steps_of(c: Connection, code: str) -> list[Status]:
    s = CONNECT_STEPS.c
    rows = c.execute(select(s.at, s.status, s.to_code, s.amount).where(s.request_code == code)
                     .order_by(s.id)).all()
    return [Status(code, at, status, to, amount) for at, status, to, amount in rows]


def _write_request(c: Connection, r: Request, *, created_by: str, synthetic: bool, at: dt.datetime) -> None:
    c.execute(insert(CONNECT_REQUESTS), [{"code": r.id, "enterprise_code": r.enterprise, "kind": r.kind,
                                        "sector": r.sector, "amount": r.amount, "tenor_months": r.tenor_months,
                                        "purpose": r.purpose, "description": r.description, "created_at": at,
                                        "created_by": created_by, "synthetic": synthetic}])


def _write_routes(c: Connection, routes: Sequence[Route], day: dt.date, *, by: str, synthetic: bool,
                  at: dt.datetime) -> None:
    if routes:
        c.execute(insert(CONNECT_STEPS), [{"request_code": x.request, "at": day, "status": "routed", "to_code": x.to,
                                         "to_name": x.name, "amount": None, "reason_vi": x.reason_vi,
                                         "reason_en": x.reason_en, "recorded_at": at, "recorded_by": by,
                                         "synthetic": synthetic} for x in routes])


def submit_request(engine: Engine, *, enterprise: str, kind: str, sector: str, amount: float | None = None,
                   tenor_months: int | None = None, purpose: str = "", description: str = "", created_by: str,
                   on: dt.date | None = None, synthetic: bool = False) -> tuple[str, list[Route]]:
    """Store a new request of ``enterprise`` (in the register) and route it to the programmes current on ``on``
    (default today), in one locked transaction with its audit row; its code (``YC-<year>-<n>``) and routes."""
    day = on or dt.date.today()
    probe = Request("", enterprise, kind, sector, amount, tenor_months, purpose, description)
    _check(probe)

    def write(c: Connection) -> tuple[str, list[Route]]:
        if c.execute(select(ENTERPRISES.c.code).where(ENTERPRISES.c.code == enterprise)).first() is None:
            raise ValueError(f"enterprise {enterprise} is not in the register")
        at = dt.datetime.now(dt.UTC)
        code = _next_code(c, day.year)
        request = Request(code, enterprise, kind, sector, amount, tenor_months, purpose, description)
        routes = route([request], _packages(c), on=day)
        _write_request(c, request, created_by=created_by, synthetic=synthetic, at=at)
        _write_routes(c, routes, day, by=created_by, synthetic=synthetic, at=at)
        _audit(c, "connect", created_by, at, [(enterprise, f"request {code} ({kind}) routed to "
                                               + (", ".join(x.to for x in routes) or "no programme"))])
        return code, routes

    return in_linkage_transaction(engine, None, write)


def _check(r: Request) -> None:
    from vnindustry.linkage.connect import KINDS, SECTORS

    if r.kind not in KINDS:
        raise ValueError(f"{r.kind!r} is not a kind of request ({', '.join(KINDS)})")
    if r.sector not in SECTORS:
        raise ValueError(f"{r.sector!r} is not a sector ({', '.join(SECTORS)})")
    if r.kind == "credit" and (r.amount is None or r.amount <= 0 or not r.tenor_months):
        raise ValueError("a credit request needs its amount and tenor")


def _record(c: Connection, kinds: dict[str, str], step: Status, *, by: str, synthetic: bool, at: dt.datetime,
            note: str) -> None:
    kind = kinds.get(step.request)
    if kind is None:
        row = c.execute(select(CONNECT_REQUESTS.c.kind).where(CONNECT_REQUESTS.c.code == step.request)).first()
        if row is None:
            raise StepRefused("unknown_request", step.request, f"no request {step.request}", step)
        kind = kinds[step.request] = row[0]
    why = refuse_step(kind, _steps_of(c, step.request), step)
    if why is not None:
        raise StepRefused(why, step.request, f"request {step.request}: {step.status} at {step.to or '(all)'} "
                                             f"cannot follow its earlier steps ({why})", step)
    name = "" if not step.to else c.execute(
        select(CONNECT_STEPS.c.to_name)
        .where(CONNECT_STEPS.c.request_code == step.request, CONNECT_STEPS.c.to_code == step.to)
        .order_by(CONNECT_STEPS.c.id).limit(1)).scalar() or step.to
    c.execute(insert(CONNECT_STEPS), [{"request_code": step.request, "at": step.at, "status": step.status,
                                     "to_code": step.to, "to_name": name, "amount": step.amount, "reason_vi": note,
                                     "reason_en": note, "recorded_at": at, "recorded_by": by,
                                     "synthetic": synthetic}])


def record_step(engine: Engine, request: str, status: str, *, to: str = "", at: dt.date | None = None,
                amount: float | None = None, note: str = "", recorded_by: str, enterprise: str | None = None) -> None:
    """Append a step to ``request`` (approved, rejected, disbursed at programme ``to``; withdrawn with no ``to``)
    in one locked transaction with its audit row; :class:`StepRefused` when the earlier steps do not allow it
    (or, given ``enterprise``, the request is not that enterprise's: ``unknown_request``)."""

    def write(c: Connection) -> None:
        owner = c.execute(select(CONNECT_REQUESTS.c.enterprise_code).where(CONNECT_REQUESTS.c.code == request)).scalar()
        if owner is None or (enterprise is not None and owner != enterprise):
            raise StepRefused("unknown_request", request, f"no request {request}"
                              + (f" of enterprise {enterprise}" if enterprise else ""))
        now = dt.datetime.now(dt.UTC)
        _record(c, {}, Status(request, at or dt.date.today(), status, to, amount), by=recorded_by, synthetic=False,
                at=now, note=note)
        _audit(c, "connect", recorded_by, now, [(owner, f"request {request}: {status}"
                                                 + (f" at {to}" if to else "")
                                                 + (f", {amount:.0f} VND" if amount else "")
                                                 + (f" ({note})" if note else ""))])

    in_linkage_transaction(engine, None, write)


def import_requests(engine: Engine, requests: Sequence[Request], steps: Sequence[Status] = (), *, created_by: str,
                    on: dt.date | None = None, synthetic: bool = False, note: str = "") -> Saved:
    """Store CSV requests and their steps in one locked transaction, all or nothing. A request already stored
    with the same fields is unchanged (a different one under the same code is refused: a changed request is a new
    request); a new request with no ``routed`` step in ``steps`` is routed here (on ``on``, default today); steps
    already recorded (same request, day, status, programme, amount) are not recorded twice, the others are
    checked in date order like :func:`record_step`."""
    codes = [r.id for r in requests]
    if len(set(codes)) != len(codes):
        raise ValueError("a request appears twice in one import")
    for r in requests:
        _check(r)
    day = on or dt.date.today()

    def write(c: Connection) -> Saved:
        at = dt.datetime.now(dt.UTC)
        _ensure_enterprises(c, [(r.enterprise, "", "", "") for r in requests])
        stored = {row.code: row for row in c.execute(select(CONNECT_REQUESTS).where(CONNECT_REQUESTS.c.code.in_(codes)))
                  } if codes else {}
        created, unchanged = [], []
        routed_in_file = {s.request for s in steps if s.status == "routed"}
        packages = _packages(c)
        for r in requests:
            old = stored.get(r.id)
            if old is not None:
                same = (old.enterprise_code, old.kind, old.sector, old.amount, old.tenor_months, old.purpose,
                        old.description) == (r.enterprise, r.kind, r.sector, r.amount, r.tenor_months, r.purpose,
                                             r.description)
                if not same:
                    raise ValueError(f"request {r.id} is stored with other fields; give a changed request a new "
                                     "code (the stored one stays as it was)")
                unchanged.append(r.id)
                continue
            _write_request(c, r, created_by=created_by, synthetic=synthetic, at=at)
            if r.id not in routed_in_file:
                _write_routes(c, route([r], packages, on=day), day, by=created_by, synthetic=synthetic, at=at)
            created.append(r.id)
        names = {p.id: (f"{p.bank}: {p.name}" if p.bank else p.name) for p in packages}
        from vnindustry.linkage.connect import associations

        names.update({a.id: a.name_vi for a in associations()})
        kinds: dict[str, str] = {}
        recorded = 0
        for s in sorted(steps, key=lambda s: (s.at, ["routed", "approved", "rejected", "disbursed",
                                                     "withdrawn"].index(s.status))):
            if (s.at, s.status, s.to, s.amount) in {(x.at, x.status, x.to, x.amount) for x in _steps_of(c, s.request)}:
                continue
            if s.status == "routed":
                kind = c.execute(select(CONNECT_REQUESTS.c.kind).where(CONNECT_REQUESTS.c.code == s.request)).scalar()
                if kind is None:
                    raise StepRefused("unknown_request", s.request, f"no request {s.request}", s)
                if refuse_step(kind, _steps_of(c, s.request), s) is not None:
                    raise StepRefused("bad_order", s.request, f"request {s.request} is already routed to {s.to}", s)
                c.execute(insert(CONNECT_STEPS), [{"request_code": s.request, "at": s.at, "status": "routed",
                                                 "to_code": s.to, "to_name": names.get(s.to, s.to), "amount": None,
                                                 "reason_vi": "theo tệp nhập", "reason_en": "as imported",
                                                 "recorded_at": at, "recorded_by": created_by,
                                                 "synthetic": synthetic}])
            else:
                _record(c, kinds, s, by=created_by, synthetic=synthetic, at=at, note="")
            recorded += 1
        _audit(c, "connect", created_by, at, [("", f"imported {len(created)} requests, {recorded} steps"
                                               + (f" ({note})" if note else ""))])
        return Saved(tuple(created), tuple(unchanged))

    return in_linkage_transaction(engine, None, write)


def stored_requests(engine: Engine, *, enterprise: str | None = None) -> list[StoredRequest]:
    """Every request (of ``enterprise`` if given) with its steps, newest first."""
    q = (select(CONNECT_REQUESTS, ENTERPRISES.c.name.label("enterprise_name"))
         .join(ENTERPRISES, ENTERPRISES.c.code == CONNECT_REQUESTS.c.enterprise_code))
    if enterprise is not None:
        q = q.where(CONNECT_REQUESTS.c.enterprise_code == enterprise)
    with engine.connect() as c:
        rows = c.execute(q.order_by(CONNECT_REQUESTS.c.id.desc())).all()
        s = CONNECT_STEPS
        step_q = select(s).order_by(s.c.id)
        if enterprise is not None:
            step_q = step_q.where(s.c.request_code.in_([r.code for r in rows] or [""]))
        steps: dict[str, list[StoredStep]] = {}
        for x in c.execute(step_q):
            steps.setdefault(x.request_code, []).append(StoredStep(x.at, x.status, x.to_code, x.to_name, x.amount,
                                                                   x.reason_vi, x.reason_en, x.recorded_at,
                                                                   x.recorded_by))
    return [StoredRequest(r.code, r.enterprise_code, r.enterprise_name or "", r.kind, r.sector, r.amount,
                          r.tenor_months, r.purpose, r.description, r.created_at, r.created_by, bool(r.synthetic),
                          tuple(steps.get(r.code, ()))) for r in rows]


def stored_summary(engine: Engine) -> tuple[list[Summary], dict[str, str]]:
    """:func:`vnindustry.linkage.connect.summarise` over the stored requests and steps (each request once in
    ``all``), and the programmes' names."""
    rows = stored_requests(engine)
    requests = [Request(r.code, r.enterprise, r.kind, r.sector, r.amount, r.tenor_months) for r in rows]
    steps = [Status(r.code, s.at, s.status, s.to, s.amount) for r in rows for s in r.steps]
    names = {s.to: s.to_name for r in rows for s in r.steps if s.to and s.status == "routed"}
    return summarise(requests, steps), names
