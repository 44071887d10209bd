"""Supplier profiles and sourcing needs in the store (issue 14), each change a new version, in one transaction.

The store keeps what a profile or need says as JSON (its shape is :mod:`vnindustry.linkage.stored`'s; the store
does not interpret it): a write whose JSON equals the current version's stores nothing, a different one becomes
the next version, and the older versions stay — nothing an enterprise submitted is overwritten. Every new
version is an audit row (action ``profile`` or ``need``) in the same transaction. An enterprise the register does
not know yet is added to it (code, name, district, ownership) in that transaction too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from vnindustry.store.locks import bound_lock_wait
from vnindustry.store.tables import AUDIT_LOG, ENTERPRISES, NEED_INTRODUCTIONS, SOURCING_NEEDS, SUPPLIER_PROFILES

__all__ = ["LINKAGE_LOCK", "NeedRow", "ProfileRow", "Saved", "audit", "current_needs", "current_profiles",
           "ensure_enterprises", "history", "in_linkage_transaction", "introduce", "introductions", "lock_linkage",
           "save_needs", "save_profiles"]


@dataclass(frozen=True)
class ProfileRow:
    """A supplier's profile as stored: the enterprise, its version, consent, what it says (JSON) and when."""

    enterprise: str
    name: str
    district: str
    ownership: str
    version: int
    consent: bool
    data: dict
    created_at: dt.datetime
    created_by: str
    synthetic: bool


@dataclass(frozen=True)
class NeedRow:
    """A buyer's need as stored."""

    code: str
    buyer: str
    version: int
    status: str
    data: dict
    created_at: dt.datetime
    created_by: str
    synthetic: bool


@dataclass(frozen=True)
class Saved:
    """What a save did: the codes that got a new version, and those that were unchanged."""

    created: tuple[str, ...]
    unchanged: tuple[str, ...]


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _ensure_enterprises(conn: Connection, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """Add to the register the enterprises (code, name, district, ownership) it does not know yet."""
    wanted = {code: (name, district, ownership) for code, name, district, ownership in rows}
    if not wanted:
        return
    known = set(conn.execute(select(ENTERPRISES.c.code).where(ENTERPRISES.c.code.in_(list(wanted)))).scalars())
    new = [{"code": c, "name": n, "district": d, "ownership": o, "industry": ""}
           for c, (n, d, o) in sorted(wanted.items()) if c not in known]
    if new:
        conn.execute(insert(ENTERPRISES), new)


def _latest(table, key_column, conn: Connection, keys: Sequence[str]) -> dict[str, tuple[int, str, object]]:  # type: ignore[no-untyped-def]
    """key → (version, data, status or consent) of the latest version of each of ``keys``."""
    if not keys:
        return {}
    newest = (select(key_column.label("k"), func.max(table.c.version).label("v"))
              .where(key_column.in_(list(keys))).group_by(key_column).subquery())
    extra = table.c.status if table is SOURCING_NEEDS else table.c.consent
    rows = conn.execute(select(key_column, table.c.version, table.c.data, extra)
                        .join(newest, and_(key_column == newest.c.k, table.c.version == newest.c.v)))
    return {r[0]: (int(r[1]), r[2], r[3]) for r in rows}


def _audit(conn: Connection, action: str, who: str, at: dt.datetime, items: list[tuple[str, str]]) -> None:
    if items:
        conn.execute(insert(AUDIT_LOG), [{"at": at, "username": who, "action": action, "period": "",
                                           "enterprise_code": enterprise, "reason": reason}
                                          for enterprise, reason in items])


_ATTEMPTS = 5  # whole-transaction retries after another writer took the same version number
LINKAGE_LOCK = (0x564E, 14)  # PostgreSQL advisory lock of the linkage writers ("VN", issue 14)


def lock_linkage(conn: Connection) -> None:
    """Serialise the linkage writers from here to the end of ``conn``'s transaction, so that reading the latest
    version and writing the next are one step: SQLite ``BEGIN IMMEDIATE`` (call it first in the transaction),
    PostgreSQL a transaction advisory lock (its wait bounded by ``db_lock_timeout``). The unique (code, version)
    and the retry stay as the backstop."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        bound_lock_wait(conn)
        conn.execute(text("SELECT pg_advisory_xact_lock(CAST(:a AS integer), CAST(:b AS integer))"),
                     {"a": LINKAGE_LOCK[0], "b": LINKAGE_LOCK[1]})


def in_linkage_transaction(engine: Engine, conn: Connection | None, write):  # type: ignore[no-untyped-def]
    """Run ``write(connection)`` in its own transaction (serialised by :func:`lock_linkage`), again (up to
    :data:`_ATTEMPTS`) if a writer that did not lock took a version number first; in the caller's ``conn``
    once (the caller locks)."""
    if conn is not None:
        return write(conn)
    for attempt in range(_ATTEMPTS):
        try:
            with engine.begin() as c:
                lock_linkage(c)
                return write(c)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def save_profiles(engine: Engine, profiles: Sequence[dict], *, created_by: str, synthetic: bool = False,
                  note: str = "", conn: Connection | None = None) -> Saved:
    """Store ``profiles`` (each ``{"enterprise", "name", "district", "ownership", "consent", "data"}``) in one
    transaction: a profile whose data and consent equal its latest version's is unchanged; any other is stored
    as the next version. ``note`` goes to the audit rows (e.g. the file it came from)."""
    codes = [str(p["enterprise"]) for p in profiles]
    if len(set(codes)) != len(codes):
        raise ValueError("a profile appears twice in one save")
    return in_linkage_transaction(engine, conn,
                                  lambda c: _save_profiles(c, profiles, codes, created_by, synthetic, note))


def _save_profiles(c: Connection, profiles: Sequence[dict], codes: list[str], created_by: str, synthetic: bool,
                   note: str) -> Saved:
    at = dt.datetime.now(dt.UTC)
    if True:  # one transaction: the caller's
        _ensure_enterprises(c, [(str(p["enterprise"]), str(p.get("name", "")), str(p.get("district", "")),
                                 str(p.get("ownership", ""))) for p in profiles])
        latest = _latest(SUPPLIER_PROFILES, SUPPLIER_PROFILES.c.enterprise_code, c, codes)
        rows, created, unchanged = [], [], []
        for p in profiles:
            code, data, consent = str(p["enterprise"]), _dumps(p["data"]), bool(p.get("consent", False))
            version, old, old_consent = latest.get(code, (0, None, None))
            if old == data and bool(old_consent) == consent:
                unchanged.append(code)
                continue
            rows.append({"enterprise_code": code, "version": version + 1, "consent": consent, "data": data,
                         "created_at": at, "created_by": created_by, "synthetic": synthetic})
            created.append(code)
        if rows:
            c.execute(insert(SUPPLIER_PROFILES), rows)
        _audit(c, "profile", created_by, at, [(code, f"profile version {r['version']}" + (f" ({note})" if note else ""))
                                               for code, r in zip(created, rows, strict=True)])
    return Saved(tuple(created), tuple(unchanged))


def save_needs(engine: Engine, needs: Sequence[dict], *, created_by: str, synthetic: bool = False, note: str = "",
               conn: Connection | None = None) -> Saved:
    """Store ``needs`` (each ``{"code", "buyer", "status", "data"}``, optionally ``buyer_name``, ``buyer_district``,
    ``buyer_ownership`` for a buyer the register does not know) like :func:`save_profiles`;
    a need keeps its buyer (a different buyer for the same code is refused)."""
    codes = [str(n["code"]) for n in needs]
    if len(set(codes)) != len(codes):
        raise ValueError("a need appears twice in one save")
    return in_linkage_transaction(engine, conn, lambda c: _save_needs(c, needs, codes, created_by, synthetic, note))


def _save_needs(c: Connection, needs: Sequence[dict], codes: list[str], created_by: str, synthetic: bool,
                note: str) -> Saved:
    at = dt.datetime.now(dt.UTC)
    if True:  # one transaction: the caller's
        _ensure_enterprises(c, [(str(n["buyer"]), str(n.get("buyer_name", "")), str(n.get("buyer_district", "")),
                                 str(n.get("buyer_ownership", ""))) for n in needs])
        owners = dict(c.execute(select(SOURCING_NEEDS.c.code, SOURCING_NEEDS.c.buyer_code)
                                .where(SOURCING_NEEDS.c.code.in_(codes)).distinct()).all()) if codes else {}
        latest = _latest(SOURCING_NEEDS, SOURCING_NEEDS.c.code, c, codes)
        rows, created, unchanged = [], [], []
        for n in needs:
            code, buyer, data, status = str(n["code"]), str(n["buyer"]), _dumps(n["data"]), str(n.get("status", "open"))
            if owners.get(code, buyer) != buyer:
                raise ValueError(f"need {code} belongs to buyer {owners[code]}, not {buyer}")
            version, old, old_status = latest.get(code, (0, None, None))
            if old == data and old_status == status:
                unchanged.append(code)
                continue
            rows.append({"code": code, "buyer_code": buyer, "version": version + 1, "status": status, "data": data,
                         "created_at": at, "created_by": created_by, "synthetic": synthetic})
            created.append(code)
        if rows:
            c.execute(insert(SOURCING_NEEDS), rows)
        _audit(c, "need", created_by, at, [(r["buyer_code"], f"need {r['code']} version {r['version']}"
                                            + (f" ({note})" if note else "")) for r in rows])
    return Saved(tuple(created), tuple(unchanged))


def current_profiles(engine: Engine, *, consenting_only: bool = False) -> list[ProfileRow]:
    """The latest version of every supplier's profile (only those consenting to be listed, if asked), by code."""
    p, e = SUPPLIER_PROFILES.c, ENTERPRISES.c  # over the tables (Core): issue 16
    newest = select(p.enterprise_code.label("k"), func.max(p.version).label("v")).group_by(p.enterprise_code).subquery()
    stmt = (select(p.enterprise_code, e.name, e.district, e.ownership, p.version, p.consent, p.data, p.created_at,
                   p.created_by, p.synthetic)
            .select_from(SUPPLIER_PROFILES)
            .join(newest, and_(p.enterprise_code == newest.c.k, p.version == newest.c.v))
            .join(ENTERPRISES, e.code == p.enterprise_code)
            .order_by(p.enterprise_code))
    if consenting_only:
        stmt = stmt.where(p.consent.is_(True))
    with engine.connect() as conn:
        return [ProfileRow(code, name or "", district or "", ownership or "", version, bool(consent),
                           json.loads(data), at, by, bool(synthetic))
                for code, name, district, ownership, version, consent, data, at, by, synthetic
                in conn.execute(stmt).all()]


def current_needs(engine: Engine, *, status: str | None = "open", buyer: str | None = None) -> list[NeedRow]:
    """The latest version of every need (with ``status``; None for all), of one ``buyer`` if given, by code."""
    newest = (select(SOURCING_NEEDS.c.code.label("k"), func.max(SOURCING_NEEDS.c.version).label("v"))
              .group_by(SOURCING_NEEDS.c.code).subquery())
    n = SOURCING_NEEDS.c
    stmt = (select(n.code, n.buyer_code, n.version, n.status, n.data, n.created_at, n.created_by,
                   n.synthetic)
            .join(newest, and_(n.code == newest.c.k, n.version == newest.c.v))
            .order_by(n.code))
    if status is not None:
        stmt = stmt.where(SOURCING_NEEDS.c.status == status)
    if buyer is not None:
        stmt = stmt.where(SOURCING_NEEDS.c.buyer_code == buyer)
    with engine.connect() as conn:
        return [NeedRow(code, buyer, version, status, json.loads(data), at, by, bool(synthetic))
                for code, buyer, version, status, data, at, by, synthetic in conn.execute(stmt).all()]


def history(engine: Engine, *, enterprise: str | None = None, need: str | None = None) -> list[dict]:
    """Every stored version of a supplier's profile (``enterprise``) or of a need, oldest first."""
    if (enterprise is None) == (need is None):
        raise ValueError("give enterprise or need")
    with engine.connect() as conn:
        if enterprise is not None:
            p = SUPPLIER_PROFILES.c
            rows = conn.execute(select(p.version, p.consent, p.data, p.created_at, p.created_by)
                                .where(p.enterprise_code == enterprise).order_by(p.version)).all()
            return [{"version": v, "consent": bool(c), "data": json.loads(d), "created_at": at, "created_by": by}
                    for v, c, d, at, by in rows]
        n = SOURCING_NEEDS.c
        rows = conn.execute(select(n.version, n.status, n.data, n.created_at, n.created_by)
                            .where(n.code == need).order_by(n.version)).all()
        return [{"version": v, "status": st, "data": json.loads(d), "created_at": at, "created_by": by}
                for v, st, d, at, by in rows]


def introduce(engine: Engine, need: str, supplier: str, *, created_by: str, note: str = "",
              withdrawn: bool = False) -> bool:
    """The Department introduces ``supplier`` to the buyer of ``need`` (or withdraws it): a new row and its audit
    row in one locked transaction; False when it changes nothing. The need must exist."""

    def write(c: Connection) -> bool:
        need_of = SOURCING_NEEDS.c
        buyer = c.execute(select(need_of.buyer_code).where(need_of.code == need).limit(1)).scalar()
        if buyer is None:
            raise ValueError(f"no need {need}")
        i = NEED_INTRODUCTIONS
        last = c.execute(select(i.c.withdrawn).where(i.c.need_code == need, i.c.supplier_code == supplier)
                         .order_by(i.c.id.desc()).limit(1)).first()
        standing = last is not None and not last.withdrawn
        if standing != withdrawn:
            return False  # introducing again, or withdrawing what was never made
        at = dt.datetime.now(dt.UTC)
        c.execute(insert(i), [{"need_code": need, "supplier_code": supplier, "withdrawn": withdrawn, "note": note,
                               "created_at": at, "created_by": created_by}])
        _audit(c, "introduce", created_by, at, [(supplier, f"{'withdrew ' if withdrawn else ''}introduction to "
                                                           f"{buyer} for need {need}" + (f": {note}" if note else ""))])
        return True

    return in_linkage_transaction(engine, None, write)


def introductions(engine: Engine) -> set[tuple[str, str]]:
    """The standing introductions: (need, supplier) pairs the Department brokered and did not withdraw."""
    i = NEED_INTRODUCTIONS.c
    newest = select(func.max(i.id).label("id")).group_by(i.need_code, i.supplier_code).subquery()
    with engine.connect() as c:
        rows = c.execute(select(i.need_code, i.supplier_code, i.withdrawn)
                         .join(newest, i.id == newest.c.id)).all()
    return {(n, s) for n, s, w in rows if not w}


# For the linkage's other writers (linkage/stored_connect.py): the same audit rows and register additions.
audit = _audit
ensure_enterprises = _ensure_enterprises
