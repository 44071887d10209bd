"""Business connection requests: the credit packages and programmes, the requests and their steps."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
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

# -- business connection requests (issue 14, item 6) ---------------------------------------------------------------
# linkage/stored_connect.py is the one module that writes these tables. A package is versioned like a profile; a
# request is written once; its life is a list of steps (routed, approved, rejected, disbursed, withdrawn), appended,
# never changed — so the counts can always be recomputed from what was recorded.


#: One version of a bank's registered credit package, or (``bank`` empty) an online trade connection
#: programme: the sectors it serves, the amount range and the longest tenor it lends, its validity.
CONNECT_PACKAGES = Table(
    "connect_packages",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), nullable=False),
    Column("version", Integer, nullable=False),
    Column("bank", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("sectors", Text, nullable=False),  # ";"-separated linkage.connect.SECTORS
    Column("min_amount", Float(precision=53), nullable=False),
    Column("max_amount", Float(precision=53), nullable=True),  # None: no ceiling
    Column("max_tenor_months", Integer, nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    UniqueConstraint("code", "version", name="uq_connect_package_version"),
)


#: An enterprise's connection request: to an industry association, to online trade connection, or for a
#: loan (amount in VND, tenor in months, purpose). Written once; what happens to it is in its steps.
CONNECT_REQUESTS = Table(
    "connect_requests",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), unique=True, nullable=False),
    Column("enterprise_code", ForeignKey("enterprises.code"), nullable=False),
    Column("kind", String(20), nullable=False),  # linkage.connect.KINDS
    Column("sector", String(40), nullable=False),
    Column("amount", Float(precision=53), nullable=True),
    Column("tenor_months", Integer, nullable=True),
    Column("purpose", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    Index("ix_connect_request_enterprise", "enterprise_code"),
)


#: One step of a request's life, at the programme ``to_code`` (a package or an association; empty for the
#: whole request, as a withdrawal): routed (with the reason), approved, rejected, disbursed (a tranche).
CONNECT_STEPS = Table(
    "connect_steps",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("request_code", ForeignKey("connect_requests.code"), nullable=False),
    Column("at", Date, nullable=False),
    Column("status", String(20), nullable=False),  # linkage.connect.STATUSES
    Column("to_code", String(120), nullable=False),
    Column("to_name", Text, nullable=False),
    Column("amount", Float(precision=53), nullable=True),
    Column("reason_vi", Text, nullable=False),
    Column("reason_en", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    Index("ix_connect_step_request", "request_code"),
)
