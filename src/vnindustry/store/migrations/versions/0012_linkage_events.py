"""Linkage events, outcomes and localisation (issue 14, items 4 and 5): linkage_events, event_meetings (each
schedule a version), meeting_outcomes (each report a row), purchase_batches and buyer_purchases (the latest batch
of a buyer-month counts), buyer_targets (the latest counts).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linkage_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(120), nullable=False, unique=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("venue", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "event_meetings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_code", sa.String(120), sa.ForeignKey("linkage_events.code"), nullable=False),
        sa.Column("schedule_version", sa.Integer, nullable=False),
        sa.Column("buyer_code", sa.String(120), nullable=False),
        sa.Column("supplier_code", sa.String(120), nullable=False),
        sa.Column("slot", sa.String(120), nullable=False),
        sa.Column("table_id", sa.String(120), nullable=False),
        sa.Column("slot_start", sa.DateTime, nullable=False),
        sa.UniqueConstraint("event_code", "schedule_version", "buyer_code", "supplier_code", name="uq_event_meeting"),
    )
    op.create_table(
        "meeting_outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_code", sa.String(120), sa.ForeignKey("linkage_events.code"), nullable=False),
        sa.Column("buyer_code", sa.String(120), nullable=False),
        sa.Column("supplier_code", sa.String(120), nullable=False),
        sa.Column("stage", sa.String(10), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("po_value", sa.Float(precision=53), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_meeting_outcome_key", "meeting_outcomes",
                    ["event_code", "buyer_code", "supplier_code", "stage"])
    op.create_table(
        "purchase_batches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("buyer_code", sa.String(120), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("buyer_code", "checksum", name="uq_purchase_batch_checksum"),
    )
    op.create_table(
        "buyer_purchases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("purchase_batches.id"), nullable=False),
        sa.Column("buyer_code", sa.String(120), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("supplier", sa.String(120), nullable=False),
        sa.Column("hs", sa.String(6), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=False),
        sa.Column("located_in_vn", sa.Boolean, nullable=False),
        sa.Column("vn_owned", sa.Boolean, nullable=False),
    )
    op.create_index("ix_buyer_purchase_period", "buyer_purchases", ["buyer_code", "period", "batch_id"])
    op.create_table(
        "buyer_targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("buyer_code", sa.String(120), nullable=False),
        sa.Column("target_pct", sa.Float(precision=53), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(150), nullable=False),
    )
    op.create_index("ix_buyer_target_buyer", "buyer_targets", ["buyer_code"])


def downgrade() -> None:
    op.drop_index("ix_buyer_target_buyer", table_name="buyer_targets")
    op.drop_table("buyer_targets")
    op.drop_index("ix_buyer_purchase_period", table_name="buyer_purchases")
    op.drop_table("buyer_purchases")
    op.drop_table("purchase_batches")
    op.drop_index("ix_meeting_outcome_key", table_name="meeting_outcomes")
    op.drop_table("meeting_outcomes")
    op.drop_table("event_meetings")
    op.drop_table("linkage_events")
