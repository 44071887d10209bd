"""The register (enterprises, products, who reports what) and the enterprises' monthly reports.

The ORM classes of the tables in :mod:`vnindustry.store.tables.register` (their columns are the tables)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from vnindustry.store.models.base import Base
from vnindustry.store.tables.register import ENTERPRISE_PRODUCTS, ENTERPRISES, PRODUCTS, REPORT_LINES, REPORTS


class Enterprise(Base):
    """A reporting enterprise (the register): from enterprises.csv, or known only by its production rows."""

    __table__ = ENTERPRISES


class Product(Base):
    """A product of the production survey: its leaf industry, unit, base-year weight and monthly mean quantity."""

    __table__ = PRODUCTS


class EnterpriseProduct(Base):
    """An enterprise reports a product: derived from its production history (first and last month reported)."""

    __table__ = ENTERPRISE_PRODUCTS


class Report(Base):
    """One version of an enterprise's monthly report. Versions start at 1; a changed report is a new version
    (the old ones kept), the same content again (same checksum) is not stored again."""

    __table__ = REPORTS
    lines: Mapped[list[ReportLine]] = relationship(back_populates="report")


class ReportLine(Base):
    """A product's quantity in one report version (in the product's unit), with the reporter's comment."""

    __table__ = REPORT_LINES
    report: Mapped[Report] = relationship(back_populates="lines")
