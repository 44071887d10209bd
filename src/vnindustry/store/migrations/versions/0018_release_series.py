"""Issue 16: ``release_series`` — what each release holds of each series (first and last period, the last that is
not a quarter, how many observations), filled from the observations stored so far and written with every
release's observations from now on. The catalogue (``/api/v1/series``) and the releases list summed every
observation after each release (0.12 s of SQLite's time on the demo's 571,000); they now sum these rows.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "release_series",
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), primary_key=True),
        sa.Column("series_id", sa.Integer, sa.ForeignKey("series.id"), primary_key=True),
        sa.Column("first_period", sa.String(10), nullable=False),
        sa.Column("last_period", sa.String(10), nullable=False),
        sa.Column("last_not_quarter", sa.String(10), nullable=True),
        sa.Column("observations", sa.Integer, nullable=False),
    )
    op.create_index("ix_release_series_series", "release_series", ["series_id"])
    observations = sa.table("observations", sa.column("release_id", sa.Integer), sa.column("series_id", sa.Integer),
                            sa.column("period", sa.String))
    o = observations.c
    summary = (sa.select(o.release_id, o.series_id, sa.func.min(o.period), sa.func.max(o.period),
                         sa.func.max(sa.case((o.period.contains("-Q"), None), else_=o.period)), sa.func.count())
               .group_by(o.release_id, o.series_id))
    op.execute(sa.insert(table).from_select(["release_id", "series_id", "first_period", "last_period",
                                             "last_not_quarter", "observations"], summary))


def downgrade() -> None:
    op.drop_index("ix_release_series_series", table_name="release_series")
    op.drop_table("release_series")
