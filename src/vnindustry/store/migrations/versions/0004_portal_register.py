"""The register and the reports (issue 6): enterprises, products, enterprise_products, reports, report_lines.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(120), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("industry", sa.String(120), nullable=False),
        sa.Column("district", sa.Text, nullable=False),
        sa.Column("ownership", sa.Text, nullable=False),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(120), nullable=False, unique=True),
        sa.Column("industry", sa.String(120), nullable=False),
        sa.Column("name_vi", sa.Text, nullable=False),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("weight", sa.Float(precision=53), nullable=False),
        sa.Column("base_quantity", sa.Float(precision=53), nullable=False),
    )
    op.create_table(
        "enterprise_products",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enterprise_code", sa.String(120), sa.ForeignKey("enterprises.code"), nullable=False),
        sa.Column("product_code", sa.String(120), sa.ForeignKey("products.code"), nullable=False),
        sa.Column("first_period", sa.String(7), nullable=False),
        sa.Column("last_period", sa.String(7), nullable=False),
        sa.UniqueConstraint("enterprise_code", "product_code", name="uq_enterprise_product"),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enterprise_code", sa.String(120), sa.ForeignKey("enterprises.code"), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.UniqueConstraint("enterprise_code", "period", "version", name="uq_report_version"),
    )
    op.create_index("ix_report_period", "reports", ["period"])
    op.create_table(
        "report_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("product_code", sa.String(120), sa.ForeignKey("products.code"), nullable=False),
        sa.Column("quantity", sa.Float(precision=53), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.UniqueConstraint("report_id", "product_code", name="uq_report_line"),
    )


def downgrade() -> None:
    op.drop_table("report_lines")
    op.drop_index("ix_report_period", table_name="reports")
    op.drop_table("reports")
    op.drop_table("enterprise_products")
    op.drop_table("products")
    op.drop_table("enterprises")
