"""Supporting-industry linkage: suppliers' profiles, buyers' sourcing needs and the Department's
introductions of a supplier to a need's buyer.

The ORM classes of the tables in :mod:`vnindustry.store.tables.linkage` (their columns are the tables)."""

from __future__ import annotations

from vnindustry.store.models.base import Base
from vnindustry.store.tables.linkage import NEED_INTRODUCTIONS, SOURCING_NEEDS, SUPPLIER_PROFILES


class SupplierProfile(Base):
    """One version of a supplier's profile (what it makes, processes, certifications, capacity, text), JSON."""

    __table__ = SUPPLIER_PROFILES


class SourcingNeed(Base):
    """One version of a buyer's sourcing need (nhu cầu tìm nhà cung cấp), JSON; ``status`` open or closed."""

    __table__ = SOURCING_NEEDS


class NeedIntroduction(Base):
    """The Department introduced a supplier to the buyer of a need (brokered the contact): from then on the
    supplier sees who the buyer is. Rows are never deleted; withdrawing an introduction is a later row."""

    __table__ = NEED_INTRODUCTIONS
