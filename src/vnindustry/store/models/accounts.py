"""The portal's accounts: users, sessions, failed logins and the login throttle.

The ORM classes of the tables in :mod:`vnindustry.store.tables.accounts` (their columns are the tables)."""

from __future__ import annotations

from vnindustry.store.models.base import Base
from vnindustry.store.tables.accounts import LOGIN_FAILURES, LOGIN_THROTTLE, SESSIONS, USERS
from vnindustry.store.tables.accounts import USER_ROLES as USER_ROLES  # importable here, as before


class User(Base):
    """A portal account: an enterprise's reporter (only its own reports), a statistician or an admin."""

    __table__ = USERS


class UserSession(Base):
    """A server-side login session: deleted at logout, refused after ``expires_at``."""

    __table__ = SESSIONS


class LoginFailure(Base):
    """A failed login, kept for the throttle window: too many per user name or per client address → 429."""

    __table__ = LOGIN_FAILURES


class LoginThrottle(Base):
    """The login throttle's counters (issue 12): failures of a user name (``u`` + name) and of a user name from one
    address (``a`` + name + address) since the last success, with the time of the latest. Read and updated under
    the user name's lock in the transaction that admits an attempt (portal/accounts.py), before the password is
    verified, so concurrent attempts cannot all pass the check."""

    __table__ = LOGIN_THROTTLE
