"""Frozen seasonal-adjustment specs per series.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "adjustment_specs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("series_key", sa.String(200), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id")),
    )
    op.create_index("ix_adjustment_specs_series_key", "adjustment_specs", ["series_key"])


def downgrade() -> None:
    op.drop_index("ix_adjustment_specs_series_key", table_name="adjustment_specs")
    op.drop_table("adjustment_specs")
