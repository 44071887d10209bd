"""Supporting-industry linkage (issue 14): supplier_profiles and sourcing_needs, each change a new version.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supplier_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enterprise_code", sa.String(120), sa.ForeignKey("enterprises.code"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("enterprise_code", "version", name="uq_supplier_profile_version"),
    )
    op.create_table(
        "sourcing_needs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(120), nullable=False),
        sa.Column("buyer_code", sa.String(120), sa.ForeignKey("enterprises.code"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("code", "version", name="uq_sourcing_need_version"),
    )
    op.create_index("ix_sourcing_need_buyer", "sourcing_needs", ["buyer_code"])


def downgrade() -> None:
    op.drop_index("ix_sourcing_need_buyer", table_name="sourcing_needs")
    op.drop_table("sourcing_needs")
    op.drop_table("supplier_profiles")
