"""Business connection requests: the credit packages and programmes, the requests and their steps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from vnindustry.store.models.base import Base

# -- business connection requests (issue 14, item 6) ---------------------------------------------------------------
# linkage/stored_connect.py is the one module that writes these tables. A package is versioned like a profile; a
# request is written once; its life is a list of steps (routed, approved, rejected, disbursed, withdrawn), appended,
# never changed — so the counts can always be recomputed from what was recorded.


class ConnectPackage(Base):
    """One version of a bank's registered credit package, or (``bank`` empty) an online trade connection
    programme: the sectors it serves, the amount range and the longest tenor it lends, its validity."""

    __tablename__ = "connect_packages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    bank: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    sectors: Mapped[str] = mapped_column(Text)  # ";"-separated linkage.connect.SECTORS
    min_amount: Mapped[float] = mapped_column(Float(precision=53))
    max_amount: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)  # None: no ceiling
    max_tenor_months: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("code", "version", name="uq_connect_package_version"),)


class ConnectRequest(Base):
    """An enterprise's connection request: to an industry association, to online trade connection, or for a
    loan (amount in VND, tenor in months, purpose). Written once; what happens to it is in its steps."""

    __tablename__ = "connect_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    kind: Mapped[str] = mapped_column(String(20))  # linkage.connect.KINDS
    sector: Mapped[str] = mapped_column(String(40))
    amount: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    tenor_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    purpose: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_connect_request_enterprise", "enterprise_code"),)


class ConnectStep(Base):
    """One step of a request's life, at the programme ``to_code`` (a package or an association; empty for the
    whole request, as a withdrawal): routed (with the reason), approved, rejected, disbursed (a tranche)."""

    __tablename__ = "connect_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_code: Mapped[str] = mapped_column(ForeignKey("connect_requests.code"))
    at: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # linkage.connect.STATUSES
    to_code: Mapped[str] = mapped_column(String(120))
    to_name: Mapped[str] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    reason_vi: Mapped[str] = mapped_column(Text)
    reason_en: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_connect_step_request", "request_code"),)
