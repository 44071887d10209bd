"""Issue 14: linkage_event_versions (an event's replaced states) and meeting_requests (asked in the portal).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linkage_event_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_code", sa.String(120), sa.ForeignKey("linkage_events.code"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("venue", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by", sa.String(150), nullable=False),
    )
    op.create_table(
        "meeting_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_code", sa.String(120), sa.ForeignKey("linkage_events.code"), nullable=False),
        sa.Column("buyer_code", sa.String(120), nullable=False),
        sa.Column("supplier_code", sa.String(120), nullable=False),
        sa.Column("requested_by", sa.String(10), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
    )
    op.create_index("ix_meeting_request_event", "meeting_requests", ["event_code", "buyer_code", "supplier_code"])


def downgrade() -> None:
    op.drop_index("ix_meeting_request_event", table_name="meeting_requests")
    op.drop_table("meeting_requests")
    op.drop_table("linkage_event_versions")
