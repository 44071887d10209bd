"""Accounts (issue 12): audit_log.subject and audit_log.client; the login throttle's counters (login_throttle).

Logins, failed logins, logouts and every admin action on users go to the audit log: ``username`` is who acted
(for a failed login, the name tried), ``subject`` the account acted upon, ``client`` the address the request came
from (after the trusted-proxy rule). ``period`` stays NOT NULL: account entries have "" (no month).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("subject", sa.String(150), nullable=True))
    op.add_column("audit_log", sa.Column("client", sa.String(64), nullable=True))
    op.create_index("ix_audit_action_at", "audit_log", ["action", "at"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(240), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_index("ix_audit_action_at", table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:  # SQLite drops columns by rebuilding the table
        batch.drop_column("client")
        batch.drop_column("subject")
