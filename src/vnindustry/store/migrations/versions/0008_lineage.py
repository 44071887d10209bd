"""Lineage (issue 12): release_inputs — the releases each derived release was computed from.

A derived release (adjusted series, key-product fills, trade flows taken from GSO tables, annexes) is public no
earlier than the latest of its inputs; the store keeps which ones they were so that the rule can be checked and
shown.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_inputs",
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), primary_key=True),
        sa.Column("input_release_id", sa.Integer, sa.ForeignKey("releases.id"), primary_key=True),
    )
    op.create_index("ix_release_inputs_input", "release_inputs", ["input_release_id"])


def downgrade() -> None:
    op.drop_index("ix_release_inputs_input", table_name="release_inputs")
    op.drop_table("release_inputs")
