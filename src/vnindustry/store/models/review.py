"""Review, audit and month closing: the audit log, the closed months, and the industry tree (and special
aggregates) of the register stored for compiling a closed month."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vnindustry.store.models.base import Base

# -- Review, audit and month closing (issue 6: the statisticians' side) -------------------------------------
# portal/review.py is the one module that writes these tables. The audit log is append-only: every accept,
# correction and closing of a month, who did it, when and why (a correction also keeps the old value, and the
# report it corrected stays as an older version).


class AuditEntry(Base):
    """One reviewing action: ``accept`` or ``correct`` a flagged value, ``close`` a month (forced or not); or
    (issue 12) an account event: ``login``, ``login_failed``, ``logout`` and the admins' actions on users."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(20))  # accept, correct, close
    period: Mapped[str] = mapped_column(String(7))
    enterprise_code: Mapped[str | None] = mapped_column(String(120), nullable=True)
    product_code: Mapped[str | None] = mapped_column(String(120), nullable=True)
    old_value: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    new_value: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Issue 12: accounts are audited too (logins, failed logins, logouts, admin actions; ``period`` "" for them):
    # the account acted upon and the client's address (as the trusted-proxy rule resolved it).
    subject: Mapped[str | None] = mapped_column(String(150), nullable=True)
    client: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (Index("ix_audit_period", "period", "enterprise_code", "product_code"),
                      Index("ix_audit_action_at", "action", "at"))


class MonthClosure(Base):
    """A closed month: reports can no longer change; its compile is stored as release ``release_id``, to be
    published on ``publish_on``."""

    __tablename__ = "month_closures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str] = mapped_column(String(150))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), nullable=True)
    publish_on: Mapped[dt.date] = mapped_column(Date)


class RegisterIndustry(Base):
    """The industry tree of the register (industries.csv: code, parent, names, base-year weight), so a closed
    month can be compiled from the store alone."""

    __tablename__ = "industries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    parent: Mapped[str | None] = mapped_column(String(120), nullable=True)  # None for the root
    name_vi: Mapped[str] = mapped_column(Text, default="")
    name_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the line order of industries.csv


class RegisterGroup(Base):
    """A member of a special aggregate (groups.csv: group, names, industry), in the file's order."""

    __tablename__ = "industry_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_code: Mapped[str] = mapped_column(String(120))
    name_vi: Mapped[str] = mapped_column(Text, default="")
    name_en: Mapped[str] = mapped_column(Text, default="")
    industry: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("group_code", "industry", name="uq_industry_group_member"),)
