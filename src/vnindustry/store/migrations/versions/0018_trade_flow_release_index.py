"""Issue 16: an index on trade_flows.release_id — which releases hold trade flows (``store.trade.flows_fingerprint``,
the key the competitiveness pages keep their read of every flow under) is asked after every release; without the
index each release was looked for by scanning the flows.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_trade_flow_release", "trade_flows", ["release_id"])


def downgrade() -> None:
    op.drop_index("ix_trade_flow_release", table_name="trade_flows")
