"""Supporting-industry linkage: suppliers' profiles, buyers' sourcing needs and the Department's
introductions of a supplier to a need's buyer."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from vnindustry.store.tables.metadata import METADATA

# -- supporting-industry linkage (issue 14) -----------------------------------------------------------------------
# store/linkage.py is the one module that writes these tables. A profile or a need is never updated in place:
# a change is a new version (the older ones kept), so nothing an enterprise submitted is lost.


#: One version of a supplier's profile (what it makes, processes, certifications, capacity, text), JSON.
SUPPLIER_PROFILES = Table(
    "supplier_profiles",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("enterprise_code", ForeignKey("enterprises.code"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("consent", Boolean, default=False, nullable=False),  # listed in the public directory
    Column("data", Text, nullable=False),  # linkage.stored.profile_json
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    UniqueConstraint("enterprise_code", "version", name="uq_supplier_profile_version"),
)


#: One version of a buyer's sourcing need (nhu cầu tìm nhà cung cấp), JSON; ``status`` open or closed.
SOURCING_NEEDS = Table(
    "sourcing_needs",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), nullable=False),
    Column("buyer_code", ForeignKey("enterprises.code"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), default="open", nullable=False),
    Column("data", Text, nullable=False),  # linkage.stored.need_json
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    UniqueConstraint("code", "version", name="uq_sourcing_need_version"),
    Index("ix_sourcing_need_buyer", "buyer_code"),
)


#: The Department introduced a supplier to the buyer of a need (brokered the contact): from then on the
#: supplier sees who the buyer is. Rows are never deleted; withdrawing an introduction is a later row.
NEED_INTRODUCTIONS = Table(
    "need_introductions",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("need_code", String(120), nullable=False),
    Column("supplier_code", String(120), nullable=False),
    Column("withdrawn", Boolean, default=False, nullable=False),
    Column("note", Text, default="", nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Index("ix_need_introduction", "need_code", "supplier_code"),
)
