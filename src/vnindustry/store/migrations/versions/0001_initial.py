"""Initial store: releases, series, observations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("reference_period", sa.String(10)),
        sa.Column("released_on", sa.Date, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.UniqueConstraint("source", "checksum", name="uq_release_source_checksum"),
    )
    op.create_table(
        "series",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("code", sa.String(120), nullable=False),
        sa.Column("name_vi", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("frequency", sa.String(1), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("level", sa.Integer),
        sa.Column("parent", sa.String(120), nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("series_id", sa.Integer, sa.ForeignKey("series.id"), nullable=False),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("value", sa.Float(precision=53)),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("provenance", sa.Text, nullable=False),
        sa.UniqueConstraint("series_id", "period", "measure", "release_id", name="uq_observation_vintage"),
    )
    op.create_index("ix_observation_lookup", "observations", ["series_id", "measure", "period"])


def downgrade() -> None:
    op.drop_index("ix_observation_lookup", table_name="observations")
    op.drop_table("observations")
    op.drop_table("series")
    op.drop_table("releases")
