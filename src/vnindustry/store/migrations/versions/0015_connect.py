"""Issue 14, item 6: business connection requests — connect_packages (versioned), connect_requests, connect_steps.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connect_packages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("bank", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sectors", sa.Text, nullable=False),
        sa.Column("min_amount", sa.Float(precision=53), nullable=False),
        sa.Column("max_amount", sa.Float(precision=53), nullable=True),
        sa.Column("max_tenor_months", sa.Integer, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("code", "version", name="uq_connect_package_version"),
    )
    op.create_table(
        "connect_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(120), nullable=False, unique=True),
        sa.Column("enterprise_code", sa.String(120), sa.ForeignKey("enterprises.code"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("amount", sa.Float(precision=53), nullable=True),
        sa.Column("tenor_months", sa.Integer, nullable=True),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_connect_request_enterprise", "connect_requests", ["enterprise_code"])
    op.create_table(
        "connect_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_code", sa.String(120), sa.ForeignKey("connect_requests.code"), nullable=False),
        sa.Column("at", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("to_code", sa.String(120), nullable=False),
        sa.Column("to_name", sa.Text, nullable=False),
        sa.Column("amount", sa.Float(precision=53), nullable=True),
        sa.Column("reason_vi", sa.Text, nullable=False),
        sa.Column("reason_en", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_connect_step_request", "connect_steps", ["request_code"])


def downgrade() -> None:
    op.drop_index("ix_connect_step_request", table_name="connect_steps")
    op.drop_table("connect_steps")
    op.drop_index("ix_connect_request_enterprise", table_name="connect_requests")
    op.drop_table("connect_requests")
    op.drop_table("connect_packages")
