"""Review (issue 6): audit_log, month_closures, and the register's industry tree (industries, industry_groups).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("enterprise_code", sa.String(120), nullable=True),
        sa.Column("product_code", sa.String(120), nullable=True),
        sa.Column("old_value", sa.Float(precision=53), nullable=True),
        sa.Column("new_value", sa.Float(precision=53), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_period", "audit_log", ["period", "enterprise_code", "product_code"])
    op.create_table(
        "month_closures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("period", sa.String(7), nullable=False, unique=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(150), nullable=False),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=True),
        sa.Column("publish_on", sa.Date, nullable=False),
    )
    op.create_table(
        "industries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(120), nullable=False, unique=True),
        sa.Column("parent", sa.String(120), nullable=True),
        sa.Column("name_vi", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("weight", sa.Float(precision=53), nullable=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "industry_groups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("group_code", sa.String(120), nullable=False),
        sa.Column("name_vi", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("industry", sa.String(120), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("group_code", "industry", name="uq_industry_group_member"),
    )


def downgrade() -> None:
    op.drop_table("industry_groups")
    op.drop_table("industries")
    op.drop_table("month_closures")
    op.drop_index("ix_audit_period", table_name="audit_log")
    op.drop_table("audit_log")
