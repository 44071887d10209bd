"""Issue 14: event_registrations — enterprises register themselves for a matchmaking event in the portal.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_code", sa.String(120), sa.ForeignKey("linkage_events.code"), nullable=False),
        sa.Column("enterprise_code", sa.String(120), sa.ForeignKey("enterprises.code"), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("languages", sa.String(60), nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
    )
    op.create_index("ix_event_registration", "event_registrations", ["event_code", "enterprise_code"])


def downgrade() -> None:
    op.drop_index("ix_event_registration", table_name="event_registrations")
    op.drop_table("event_registrations")
