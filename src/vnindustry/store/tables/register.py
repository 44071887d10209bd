"""The register (enterprises, products, who reports what) and the enterprises' monthly reports."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from vnindustry.store.tables.metadata import METADATA

# -- The register and the reports (issue 6: the collection portal) ------------------------------------------
# Enterprises and products are the register (updated in place); reports are never changed: a changed report
# is a new version of its (enterprise, period), the old versions kept. docs/dataset-format.md, "import-dataset".


#: A reporting enterprise (the register): from enterprises.csv, or known only by its production rows.
ENTERPRISES = Table(
    "enterprises",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), unique=True, nullable=False),
    Column("name", Text, default="", nullable=False),
    Column("industry", String(120), default="", nullable=False),  # a code of the industry tree, or ""
    Column("district", Text, default="", nullable=False),
    Column("ownership", Text, default="", nullable=False),
)


#: A product of the production survey: its leaf industry, unit, base-year weight and monthly mean quantity.
PRODUCTS = Table(
    "products",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), unique=True, nullable=False),
    Column("industry", String(120), nullable=False),
    Column("name_vi", Text, default="", nullable=False),
    Column("unit", String(60), default="", nullable=False),
    Column("weight", Float(precision=53), nullable=False),
    Column("base_quantity", Float(precision=53), nullable=False),
)


#: An enterprise reports a product: derived from its production history (first and last month reported).
ENTERPRISE_PRODUCTS = Table(
    "enterprise_products",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("enterprise_code", ForeignKey("enterprises.code"), nullable=False),
    Column("product_code", ForeignKey("products.code"), nullable=False),
    Column("first_period", String(7), nullable=False),
    Column("last_period", String(7), nullable=False),
    UniqueConstraint("enterprise_code", "product_code", name="uq_enterprise_product"),
)


#: One version of an enterprise's monthly report. Versions start at 1; a changed report is a new version
#: (the old ones kept), the same content again (same checksum) is not stored again.
REPORTS = Table(
    "reports",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("enterprise_code", ForeignKey("enterprises.code"), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM
    Column("version", Integer, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("submitted_by", Text, nullable=False),  # a user name, or "import"
    Column("source", String(12), nullable=False),  # import, portal, excel
    Column("checksum", String(64), nullable=False),  # sha256 of the normalized lines (register.report_checksum)
    Column("status", String(12), nullable=False),  # submitted, accepted …
    UniqueConstraint("enterprise_code", "period", "version", name="uq_report_version"),
    Index("ix_report_period", "period"),
)


#: A product's quantity in one report version (in the product's unit), with the reporter's comment.
REPORT_LINES = Table(
    "report_lines",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("report_id", ForeignKey("reports.id"), nullable=False),
    Column("product_code", ForeignKey("products.code"), nullable=False),
    Column("quantity", Float(precision=53), nullable=False),
    Column("comment", Text, default="", nullable=False),
    UniqueConstraint("report_id", "product_code", name="uq_report_line"),
)
