"""Synthetic data (issue 13): releases.synthetic marks a release made by the demo generator.

A derived release (adjusted series, key-product fills, scorings) is synthetic when any of its inputs is
(``Store.import_records`` and ``Store.is_synthetic_release`` follow the lineage of release_inputs), so every
page, download and bulletin section that shows such a figure can say "dữ liệu giả lập / synthetic data".

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("releases", sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # Not a batch rebuild: other tables' foreign keys point at releases, so SQLite could not drop it. SQLite
    # (≥ 3.35) and PostgreSQL both drop a plain column in place.
    op.execute("ALTER TABLE releases DROP COLUMN synthetic")
