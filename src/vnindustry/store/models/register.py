"""The register (enterprises, products, who reports what) and the enterprises' monthly reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vnindustry.store.models.base import Base

# -- The register and the reports (issue 6: the collection portal) ------------------------------------------
# Enterprises and products are the register (updated in place); reports are never changed: a changed report
# is a new version of its (enterprise, period), the old versions kept. docs/dataset-format.md, "import-dataset".


class Enterprise(Base):
    """A reporting enterprise (the register): from enterprises.csv, or known only by its production rows."""

    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    industry: Mapped[str] = mapped_column(String(120), default="")  # a code of the industry tree, or ""
    district: Mapped[str] = mapped_column(Text, default="")
    ownership: Mapped[str] = mapped_column(Text, default="")


class Product(Base):
    """A product of the production survey: its leaf industry, unit, base-year weight and monthly mean quantity."""

    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    industry: Mapped[str] = mapped_column(String(120))
    name_vi: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(60), default="")
    weight: Mapped[float] = mapped_column(Float(precision=53))
    base_quantity: Mapped[float] = mapped_column(Float(precision=53))


class EnterpriseProduct(Base):
    """An enterprise reports a product: derived from its production history (first and last month reported)."""

    __tablename__ = "enterprise_products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    first_period: Mapped[str] = mapped_column(String(7))
    last_period: Mapped[str] = mapped_column(String(7))

    __table_args__ = (UniqueConstraint("enterprise_code", "product_code", name="uq_enterprise_product"),)


class Report(Base):
    """One version of an enterprise's monthly report. Versions start at 1; a changed report is a new version
    (the old ones kept), the same content again (same checksum) is not stored again."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str] = mapped_column(Text)  # a user name, or "import"
    source: Mapped[str] = mapped_column(String(12))  # import, portal, excel
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the normalized lines (register.report_checksum)
    status: Mapped[str] = mapped_column(String(12))  # submitted, accepted …
    lines: Mapped[list[ReportLine]] = relationship(back_populates="report")

    __table_args__ = (
        UniqueConstraint("enterprise_code", "period", "version", name="uq_report_version"),
        Index("ix_report_period", "period"),
    )


class ReportLine(Base):
    """A product's quantity in one report version (in the product's unit), with the reporter's comment."""

    __tablename__ = "report_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    quantity: Mapped[float] = mapped_column(Float(precision=53))
    comment: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[Report] = relationship(back_populates="lines")

    __table_args__ = (UniqueConstraint("report_id", "product_code", name="uq_report_line"),)
