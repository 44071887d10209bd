"""Issue 16: an index on observations.release_id — a release's observations (the releases list counts them,
a release's page and lineage read them) were found by scanning every observation; SQLite built a temporary
index on each such query.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_observation_release", "observations", ["release_id"])


def downgrade() -> None:
    op.drop_index("ix_observation_release", table_name="observations")
