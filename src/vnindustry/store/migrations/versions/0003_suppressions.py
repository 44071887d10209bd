"""Confidential (suppressed) cells: one row per series and period, for every vintage.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("series_id", sa.Integer, sa.ForeignKey("series.id"), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(12), nullable=False),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=False),
        sa.UniqueConstraint("series_id", "period", name="uq_suppression_cell"),
    )


def downgrade() -> None:
    op.drop_table("suppressions")
