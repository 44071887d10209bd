"""The portal's accounts: users, sessions, failed logins and the login throttle."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from vnindustry.store.tables.metadata import METADATA

# -- Accounts, sessions and login throttling (issue 6: the portal's users) ----------------------------------
# portal/accounts.py is the one module that writes these tables. Passwords are argon2id hashes; a session's
# token is stored only as its sha256, so a copy of the database opens no session.
USER_ROLES = ("enterprise", "statistician", "admin")


#: A portal account: an enterprise's reporter (only its own reports), a statistician or an admin.
USERS = Table(
    "users",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("username", String(150), unique=True, nullable=False),  # lower case (portal.accounts)
    Column("password_hash", Text, nullable=False),  # argon2id, PHC string
    Column("role", String(20), nullable=False),  # enterprise, statistician, admin
    Column("enterprise_code", ForeignKey("enterprises.code"), nullable=True),
    Column("active", Boolean, default=True, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role IN ('enterprise', 'statistician', 'admin')", name="ck_user_role"),
    CheckConstraint("role <> 'enterprise' OR enterprise_code IS NOT NULL", name="ck_user_enterprise"),
)


#: A server-side login session: deleted at logout, refused after ``expires_at``.
SESSIONS = Table(
    "sessions",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), unique=True, nullable=False),  # sha256 hex of the cookie's token
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("csrf_token", String(64), nullable=False),  # sent back as X-CSRF-Token on state changes
)


#: A failed login, kept for the throttle window: too many per user name or per client address → 429.
LOGIN_FAILURES = Table(
    "login_failures",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("username", String(150), nullable=False),  # as tried (lower case), whether or not it exists
    Column("client", String(64), nullable=False),  # the peer's IP address
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failure_username", "username", "failed_at"),
    Index("ix_login_failure_client", "client", "failed_at"),
)


#: The login throttle's counters (issue 12): failures of a user name (``u`` + name) and of a user name from one
#: address (``a`` + name + address) since the last success, with the time of the latest. Read and updated under
#: the user name's lock in the transaction that admits an attempt (portal/accounts.py), before the password is
#: verified, so concurrent attempts cannot all pass the check.
LOGIN_THROTTLE = Table(
    "login_throttle",
    METADATA,
    Column("key", String(240), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", DateTime(timezone=True), nullable=False),
)
