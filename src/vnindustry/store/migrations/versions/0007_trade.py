"""Trade (issue 7): trade_flows (one release per import) and key_product_runs (a stored scoring).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trade_flows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("exporter", sa.String(40), nullable=False),
        sa.Column("importer", sa.String(40), nullable=False),
        sa.Column("product", sa.String(40), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=False),
        sa.Column("quantity", sa.Float(precision=53), nullable=True),
        sa.UniqueConstraint("release_id", "period", "exporter", "importer", "product", name="uq_trade_flow"),
    )
    op.create_index("ix_trade_flow_market", "trade_flows", ["period", "importer", "product"])
    op.create_index("ix_trade_flow_exporter", "trade_flows", ["exporter", "period"])
    op.create_table(
        "key_product_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("cr", sa.Float(precision=53), nullable=True),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("key_product_runs")
    op.drop_index("ix_trade_flow_exporter", table_name="trade_flows")
    op.drop_index("ix_trade_flow_market", table_name="trade_flows")
    op.drop_table("trade_flows")
