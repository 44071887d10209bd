"""Supporting-industry linkage: suppliers' profiles, buyers' sourcing needs and the Department's
introductions of a supplier to a need's buyer."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from vnindustry.store.models.base import Base

# -- supporting-industry linkage (issue 14) -----------------------------------------------------------------------
# store/linkage.py is the one module that writes these tables. A profile or a need is never updated in place:
# a change is a new version (the older ones kept), so nothing an enterprise submitted is lost.


class SupplierProfile(Base):
    """One version of a supplier's profile (what it makes, processes, certifications, capacity, text), JSON."""

    __tablename__ = "supplier_profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    version: Mapped[int] = mapped_column(Integer)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)  # listed in the public directory
    data: Mapped[str] = mapped_column(Text)  # linkage.stored.profile_json
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("enterprise_code", "version", name="uq_supplier_profile_version"),)


class SourcingNeed(Base):
    """One version of a buyer's sourcing need (nhu cầu tìm nhà cung cấp), JSON; ``status`` open or closed."""

    __tablename__ = "sourcing_needs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120))
    buyer_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")
    data: Mapped[str] = mapped_column(Text)  # linkage.stored.need_json
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("code", "version", name="uq_sourcing_need_version"),
                      Index("ix_sourcing_need_buyer", "buyer_code"))


class NeedIntroduction(Base):
    """The Department introduced a supplier to the buyer of a need (brokered the contact): from then on the
    supplier sees who the buyer is. Rows are never deleted; withdrawing an introduction is a later row."""

    __tablename__ = "need_introductions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_need_introduction", "need_code", "supplier_code"),)
