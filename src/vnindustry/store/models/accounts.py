"""The portal's accounts: users, sessions, failed logins and the login throttle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vnindustry.store.models.base import Base

# -- Accounts, sessions and login throttling (issue 6: the portal's users) ----------------------------------
# portal/accounts.py is the one module that writes these tables. Passwords are argon2id hashes; a session's
# token is stored only as its sha256, so a copy of the database opens no session.


USER_ROLES = ("enterprise", "statistician", "admin")


class User(Base):
    """A portal account: an enterprise's reporter (only its own reports), a statistician or an admin."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)  # lower case (portal.accounts)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(20))  # enterprise, statistician, admin
    enterprise_code: Mapped[str | None] = mapped_column(ForeignKey("enterprises.code"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("role IN ('enterprise', 'statistician', 'admin')", name="ck_user_role"),
        CheckConstraint("role <> 'enterprise' OR enterprise_code IS NOT NULL", name="ck_user_enterprise"),
    )


class UserSession(Base):
    """A server-side login session: deleted at logout, refused after ``expires_at``."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    csrf_token: Mapped[str] = mapped_column(String(64))  # sent back as X-CSRF-Token on state changes


class LoginFailure(Base):
    """A failed login, kept for the throttle window: too many per user name or per client address → 429."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150))  # as tried (lower case), whether or not it exists
    client: Mapped[str] = mapped_column(String(64))  # the peer's IP address
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_login_failure_username", "username", "failed_at"),
        Index("ix_login_failure_client", "client", "failed_at"),
    )


class LoginThrottle(Base):
    """The login throttle's counters (issue 12): failures of a user name (``u`` + name) and of a user name from one
    address (``a`` + name + address) since the last success, with the time of the latest. Read and updated under
    the user name's lock in the transaction that admits an attempt (portal/accounts.py), before the password is
    verified, so concurrent attempts cannot all pass the check."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(240), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
