"""Review, audit and month closing: the audit log, the closed months, and the industry tree (and special
aggregates) of the register stored for compiling a closed month."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from vnindustry.store.tables.metadata import METADATA

# -- Review, audit and month closing (issue 6: the statisticians' side) -------------------------------------
# portal/review.py is the one module that writes these tables. The audit log is append-only: every accept,
# correction and closing of a month, who did it, when and why (a correction also keeps the old value, and the
# report it corrected stays as an older version).


#: One reviewing action: ``accept`` or ``correct`` a flagged value, ``close`` a month (forced or not); or
#: (issue 12) an account event: ``login``, ``login_failed``, ``logout`` and the admins' actions on users.
AUDIT_LOG = Table(
    "audit_log",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(150), nullable=False),
    Column("action", String(20), nullable=False),  # accept, correct, close
    Column("period", String(7), nullable=False),
    Column("enterprise_code", String(120), nullable=True),
    Column("product_code", String(120), nullable=True),
    Column("old_value", Float(precision=53), nullable=True),
    Column("new_value", Float(precision=53), nullable=True),
    Column("reason", Text, default="", nullable=False),
    # Issue 12: accounts are audited too (logins, failed logins, logouts, admin actions; ``period`` "" for them):
    # the account acted upon and the client's address (as the trusted-proxy rule resolved it).
    Column("subject", String(150), nullable=True),
    Column("client", String(64), nullable=True),
    Index("ix_audit_period", "period", "enterprise_code", "product_code"),
    Index("ix_audit_action_at", "action", "at"),
)


#: A closed month: reports can no longer change; its compile is stored as release ``release_id``, to be
#: published on ``publish_on``.
MONTH_CLOSURES = Table(
    "month_closures",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("period", String(7), unique=True, nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False),
    Column("closed_by", String(150), nullable=False),
    Column("release_id", ForeignKey("releases.id"), nullable=True),
    Column("publish_on", Date, nullable=False),
)


#: The industry tree of the register (industries.csv: code, parent, names, base-year weight), so a closed
#: month can be compiled from the store alone.
INDUSTRIES = Table(
    "industries",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), unique=True, nullable=False),
    Column("parent", String(120), nullable=True),  # None for the root
    Column("name_vi", Text, default="", nullable=False),
    Column("name_en", Text, default="", nullable=False),
    Column("weight", Float(precision=53), nullable=True),
    Column("position", Integer, default=0, nullable=False),  # the line order of industries.csv
)


#: A member of a special aggregate (groups.csv: group, names, industry), in the file's order.
INDUSTRY_GROUPS = Table(
    "industry_groups",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("group_code", String(120), nullable=False),
    Column("name_vi", Text, default="", nullable=False),
    Column("name_en", Text, default="", nullable=False),
    Column("industry", String(120), nullable=False),
    Column("position", Integer, default=0, nullable=False),
    UniqueConstraint("group_code", "industry", name="uq_industry_group_member"),
)
