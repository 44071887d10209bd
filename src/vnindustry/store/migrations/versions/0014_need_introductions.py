"""Issue 14: need_introductions — the Department brokers a contact between a need's buyer and a supplier.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "need_introductions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("need_code", sa.String(120), nullable=False),
        sa.Column("supplier_code", sa.String(120), nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
    )
    op.create_index("ix_need_introduction", "need_introductions", ["need_code", "supplier_code"])


def downgrade() -> None:
    op.drop_index("ix_need_introduction", table_name="need_introductions")
    op.drop_table("need_introductions")
