"""Profiles and needs to and from the store (:mod:`vnindustry.store.linkage` keeps them as versioned JSON).

The JSON of a supplier's profile: ``hs`` (codes), ``processes`` and ``certifications`` as written (a certificate
``{"name", "body", "expires"}``, the date ISO or null), ``capacity``, ``materials``, ``equipment``,
``customers``, ``description``. Of a need: ``title``, ``hs``, ``processes``, ``certifications``, ``material``,
``tolerance``, ``volume``, ``target_date``, ``description``. Names are kept as the enterprise wrote them and looked
up in the declared lists when read, so a list that grows later recognises them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from vnindustry.linkage.csvfiles import Buyer, read_buyers, read_needs, read_suppliers
from vnindustry.linkage.profiles import Certificate, Need, Supplier
from vnindustry.linkage.vocab import certification, process
from vnindustry.store.linkage import (
    NeedRow,
    ProfileRow,
    Saved,
    current_needs,
    current_profiles,
    lock_linkage,
    save_needs,
    save_profiles,
)

_ATTEMPTS = 5  # as store.linkage: retries of the whole import after a concurrent writer's version collision
__all__ = ["import_csv", "load_needs", "load_suppliers", "need_json", "profile_json"]


def profile_json(s: Supplier) -> dict:
    """What the store keeps of ``s`` (its consent and register fields are kept beside it)."""
    return {"hs": list(s.hs), "processes": [p.text for p in s.processes],
            "certifications": [{"name": c.term.text, "body": c.body,
                                "expires": c.expires.isoformat() if c.expires else None} for c in s.certifications],
            "capacity": s.capacity, "materials": list(s.materials), "description": s.description,
            **{k: s.extra[k] for k in ("equipment", "customers") if k in s.extra}}


def need_json(n: Need) -> dict:
    return {"title": n.title, "hs": list(n.hs), "processes": [p.text for p in n.processes],
            "certifications": [c.text for c in n.certifications], "material": n.material, "volume": n.volume,
            "description": n.description}


def _supplier(row: ProfileRow) -> Supplier:
    d = row.data
    certs = tuple(Certificate(certification(c["name"]), c.get("body") or "",
                              dt.date.fromisoformat(c["expires"]) if c.get("expires") else None)
                  for c in d.get("certifications", []))
    return Supplier(id=row.enterprise, name=row.name or row.enterprise, district=row.district,
                    ownership=row.ownership or "vn",
                    hs=tuple(d.get("hs", [])), processes=tuple(process(p) for p in d.get("processes", [])),
                    certifications=certs, capacity=d.get("capacity"), description=d.get("description", ""),
                    consent=row.consent, materials=tuple(d.get("materials", [])),
                    extra={k: str(d[k]) for k in ("equipment", "customers") if d.get(k)})


def _need(row: NeedRow) -> Need:
    d = row.data
    return Need(id=row.code, buyer=row.buyer, title=d.get("title", ""), hs=tuple(d.get("hs", [])),
                processes=tuple(process(p) for p in d.get("processes", [])),
                certifications=tuple(certification(c) for c in d.get("certifications", [])),
                volume=d.get("volume"), description=d.get("description", ""), material=d.get("material", ""))


def load_suppliers(engine: Engine, *, consenting_only: bool = False) -> list[Supplier]:
    """The latest profile of every supplier in the store."""
    return [_supplier(r) for r in current_profiles(engine, consenting_only=consenting_only)]


def load_needs(engine: Engine, *, status: str | None = "open") -> list[Need]:
    """The latest version of every need in the store (open ones by default)."""
    return [_need(r) for r in current_needs(engine, status=status)]


def import_csv(engine: Engine, suppliers_csv: Path | None, needs_csv: Path | None, *, created_by: str,
               consent: bool = True, synthetic: bool = False,
               buyers_csv: Path | None = None) -> tuple[Saved | None, Saved | None, list[str]]:
    """Read the files whole (refused with file, line and column before anything is written), then store them
    in one transaction: new or changed profiles and needs as new versions. ``consent``: the suppliers of a
    one-shot file agreed to be listed (the Department collected their consent with the file). ``buyers_csv``
    names the needs' buyers for the register (an enterprise it knows already is left as it is)."""
    suppliers, warnings = read_suppliers(suppliers_csv) if suppliers_csv else ([], [])
    needs, more = read_needs(needs_csv) if needs_csv else ([], [])
    buyers = {b.id: b for b in read_buyers(buyers_csv)} if buyers_csv else {}
    for attempt in range(_ATTEMPTS):
        try:
            return (*_store_both(engine, suppliers_csv, needs_csv, suppliers, needs, created_by, consent, synthetic,
                                 buyers), [*warnings, *more])
        except IntegrityError:  # a concurrent writer took a version number first: read the versions again
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _buyer_fields(buyer: Buyer | None) -> dict[str, str]:
    if buyer is None:
        return {}
    return {"buyer_name": buyer.name, "buyer_district": buyer.district, "buyer_ownership": buyer.ownership}


def _store_both(engine: Engine, suppliers_csv: Path | None, needs_csv: Path | None, suppliers: list[Supplier],
                needs: list[Need], created_by: str, consent: bool, synthetic: bool,
                buyers: dict[str, Buyer]) -> tuple[Saved | None, Saved | None]:
    with engine.begin() as conn:
        lock_linkage(conn)
        saved_s = save_profiles(engine, [{"enterprise": s.id, "name": s.name, "district": s.district,
                                          "ownership": s.ownership, "consent": consent, "data": profile_json(s)}
                                         for s in suppliers], created_by=created_by, synthetic=synthetic,
                                note=suppliers_csv.name if suppliers_csv else "", conn=conn) if suppliers_csv else None
        rows = [{"code": n.id, "buyer": n.buyer, "status": "open", "data": need_json(n),
                 **_buyer_fields(buyers.get(n.buyer))} for n in needs]
        saved_n = save_needs(engine, rows, created_by=created_by, synthetic=synthetic,
                             note=needs_csv.name if needs_csv else "", conn=conn) if needs_csv else None
    return saved_s, saved_n
