"""Portal accounts (issue 6): users and roles, argon2id passwords, server-side sessions, login throttling.

No HTTP here (that is :mod:`vnindustry.web.auth`): every function takes the store's engine, and each write
is one transaction.

- Passwords are hashed with argon2id, m = 19 MiB, t = 2, p = 1: the OWASP Password Storage Cheat Sheet's
  first argon2id configuration. It costs ~25 ms of one core per login here, where argon2-cffi's default
  (RFC 9106's 64 MiB profile, ~150 ms of four lanes) made logins queue on deadline day on a 2-core server
  (p99 886 ms); with passwords of at least 10 characters the margin against offline guessing stays large.
  A hash made with other parameters is re-hashed at the next successful login.
- :func:`authenticate` verifies an unknown or inactive user against a dummy hash, so the answer takes about
  as long whether or not the user exists, and says the same thing.
- A session's token (the cookie) is 256 random bits stored only as its sha256; logging out deletes the row,
  and a row past ``expires_at`` opens nothing (and is deleted when seen).
- Failed logins are kept for the throttle window: once a user name or a client address has
  ``max_failures`` of them in the window, :func:`throttle_wait` says how many seconds to wait.
- Administration (:func:`list_users`, :func:`deactivate_user`, :func:`reactivate_user`, :func:`reset_password`):
  deactivating a user or resetting a password ends every session of the user at once (server-side sessions:
  the cookie opens nothing from the next request); a deactivated user cannot log in. The last active admin
  cannot be deactivated (nobody could then administer the portal).
- :func:`purge_expired_sessions` deletes expired sessions and failed logins older than the throttle window;
  :func:`authenticate` runs it at most once an hour per process (:data:`PURGE_EVERY`), so the tables stay
  small without a scheduled job (``vnindustry users purge-sessions`` runs it by hand).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import threading
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.store.models import USER_ROLES, Enterprise, LoginFailure, User, UserSession

ROLES = USER_ROLES
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; the cap keeps a login request small
MAX_USERNAME_LENGTH = 150
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]*$")

PURGE_EVERY = 3600.0  # s: the login path purges expired sessions at most this often per process and engine

_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)  # argon2id, OWASP (module docstring)
_dummy_hash: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; everything here is stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def normalize_username(username: str) -> str:
    """User names are compared case-insensitively: stored and looked up in lower case, without blanks."""
    return username.strip().lower()


def valid_username(name: str) -> bool:
    """Whether ``name`` (normalized) can be a user name: what :func:`add_user` accepts."""
    return 0 < len(name) <= MAX_USERNAME_LENGTH and USERNAME_RE.match(name) is not None


def _throttle_key(username: str) -> str:
    """The user name as the throttle records it: anything tried, made storable (PostgreSQL refuses NUL)."""
    return normalize_username(username).replace("\x00", "\ufffd")[:MAX_USERNAME_LENGTH]


# -- passwords -------------------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (a PHC string with its salt and parameters)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a malformed hash is a mismatch, never an error."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hash


def check_password_rules(password: str) -> None:
    """Refuse a password the portal would not accept (InputError, with the rule)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} are needed",
                         fix="choose a longer password (a few unrelated words make a good one)")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"the password is longer than {MAX_PASSWORD_LENGTH} characters")


# -- users -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    """A user as the portal sees it (never with the password hash)."""

    id: int
    username: str
    role: str
    enterprise: str | None
    active: bool


def _account(row: object) -> Account:
    return Account(row.id, row.username, row.role, row.enterprise_code, bool(row.active))  # type: ignore[attr-defined]


def add_user(engine: Engine, username: str, password: str, role: str, enterprise: str | None = None) -> Account:
    """Create an active account. Errors (InputError): bad user name or role, short password, an enterprise
    account without an enterprise (or another role with one), an unknown enterprise, a user name taken."""
    name = normalize_username(username)
    if not valid_username(name):
        raise InputError(f"'{username}' is not a valid user name",
                         fix=f"use 1–{MAX_USERNAME_LENGTH} letters a–z, digits and . _ @ - (starting with a letter "
                             "or digit)")
    if role not in ROLES:
        raise InputError(f"unknown role '{role}'", fix=f"use one of {', '.join(ROLES)}")
    if role == "enterprise" and not enterprise:
        raise InputError("an enterprise account needs its enterprise", fix="give --enterprise ID (its code)")
    if role != "enterprise" and enterprise:
        raise InputError(f"a {role} account is not tied to an enterprise", fix="leave out --enterprise")
    check_password_rules(password)
    password_hash = hash_password(password)
    with engine.begin() as conn:
        if enterprise is not None:
            found = conn.execute(select(Enterprise.code).where(Enterprise.code == enterprise)).first()
            if found is None:
                raise InputError(f"unknown enterprise '{enterprise}'",
                                 fix="use an enterprise code of the register (vnindustry import-dataset loads it)")
        if conn.execute(select(User.id).where(User.username == name)).first() is not None:
            raise InputError(f"user '{name}' already exists")
        try:
            new_id = conn.execute(insert(User).values(
                username=name, password_hash=password_hash, role=role, enterprise_code=enterprise, active=True,
                created_at=_now()).returning(User.id)).scalar_one()
        except IntegrityError:  # created by someone else meanwhile
            raise InputError(f"user '{name}' already exists") from None
    return Account(new_id, name, role, enterprise, True)


def get_user(engine: Engine, username: str) -> Account | None:
    name = normalize_username(username)
    if not valid_username(name):
        return None
    with engine.connect() as conn:
        row = conn.execute(select(User).where(User.username == name)).first()
    return _account(row) if row is not None else None


def authenticate(engine: Engine, username: str, password: str) -> Account | None:
    """The active account whose password this is, else None — for an unknown user, an inactive one or a
    wrong password alike, after one argon2 verification in every case."""
    name = normalize_username(username)
    row = None
    if valid_username(name):  # anything else cannot be a user (and may not even be storable, e.g. NUL)
        with engine.connect() as conn:
            row = conn.execute(select(User).where(User.username == name)).first()
    _purge_if_due(engine)
    if row is None:
        verify_password(_dummy(), password)
        return None
    if not verify_password(row.password_hash, password) or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with engine.begin() as conn:
            conn.execute(update(User).where(User.id == row.id).values(password_hash=hash_password(password)))
    return _account(row)


# -- sessions --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionInfo:
    """A live session: its account, its CSRF token and when it ends."""

    id: int
    account: Account
    csrf_token: str
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(engine: Engine, account: Account, hours: float, *,
                   now: dt.datetime | None = None) -> tuple[str, SessionInfo]:
    """A new session for ``account``: the token for the cookie (never stored) and the session."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=hours)
    with engine.begin() as conn:
        # Expired sessions are dropped as new ones start, so the table holds about the live ones.
        conn.execute(delete(UserSession).where(UserSession.expires_at <= now))
        session_id = conn.execute(insert(UserSession).values(
            token_hash=token_hash(token), user_id=account.id, created_at=now, expires_at=expires,
            csrf_token=csrf).returning(UserSession.id)).scalar_one()
    return token, SessionInfo(session_id, account, csrf, expires)


def session_for(engine: Engine, token: str, *, now: dt.datetime | None = None) -> SessionInfo | None:
    """The live session of cookie ``token`` (its user active), else None; an expired one is deleted."""
    if not token or len(token) > 200:
        return None
    now = now or _now()
    with engine.connect() as conn:
        row = conn.execute(
            select(UserSession.id, UserSession.csrf_token, UserSession.expires_at, User.id.label("user_id"),
                   User.username, User.role, User.enterprise_code, User.active)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == token_hash(token))).first()
    if row is None:
        return None
    expires = _aware(row.expires_at)
    if expires <= now:
        end_session(engine, row.id)
        return None
    if not row.active:
        return None
    account = Account(row.user_id, row.username, row.role, row.enterprise_code, True)
    return SessionInfo(row.id, account, row.csrf_token, expires)


def end_session(engine: Engine, session_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(delete(UserSession).where(UserSession.id == session_id))


# -- login throttle --------------------------------------------------------------------------------------
def throttle_wait(engine: Engine, username: str, client: str, *, max_failures: int, window_minutes: float,
                  now: dt.datetime | None = None) -> int:
    """Seconds until ``username`` or ``client`` may try again (0: now). Blocked while either has
    ``max_failures`` failures within the last ``window_minutes``; ``max_failures`` 0 turns the throttle off."""
    if max_failures <= 0:
        return 0
    now = now or _now()
    window = dt.timedelta(minutes=window_minutes)
    since = now - window
    name = _throttle_key(username)
    wait = 0.0
    with engine.connect() as conn:
        for column, key in ((LoginFailure.username, name), (LoginFailure.client, client)):
            times = conn.execute(select(LoginFailure.failed_at).where(column == key, LoginFailure.failed_at > since)
                                 .order_by(LoginFailure.failed_at)).scalars().all()
            if len(times) >= max_failures:
                # Free again once enough of them have left the window to bring the count below the limit.
                freed = _aware(times[len(times) - max_failures]) + window
                wait = max(wait, (freed - now).total_seconds())
    return max(1, math.ceil(wait)) if wait > 0 else 0


def record_failure(engine: Engine, username: str, client: str, *, window_minutes: float,
                   now: dt.datetime | None = None) -> None:
    """Keep a failed login (and forget failures older than the window)."""
    now = now or _now()
    with engine.begin() as conn:
        conn.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - dt.timedelta(minutes=window_minutes)))
        conn.execute(insert(LoginFailure).values(
            username=_throttle_key(username), client=client[:64], failed_at=now))


def clear_failures(engine: Engine, username: str) -> None:
    """A successful login forgets its user name's failures (the client address's stay)."""
    with engine.begin() as conn:
        conn.execute(delete(LoginFailure).where(LoginFailure.username == _throttle_key(username)))


def failure_count(engine: Engine, *, username: str | None = None, client: str | None = None) -> int:
    conditions = []
    if username is not None:
        conditions.append(LoginFailure.username == _throttle_key(username))
    if client is not None:
        conditions.append(LoginFailure.client == client)
    with engine.connect() as conn:
        query = select(func.count()).select_from(LoginFailure)
        if conditions:
            query = query.where(or_(*conditions))
        return int(conn.execute(query).scalar_one())


# -- administration --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UserInfo:
    """A user as the admin list shows it: the account, when it was made, and its live sessions."""

    username: str
    role: str
    enterprise: str | None
    active: bool
    created_at: dt.datetime
    sessions: int


def list_users(engine: Engine, *, now: dt.datetime | None = None) -> list[UserInfo]:
    """Every user, by user name, with the number of its live (unexpired) sessions."""
    now = now or _now()
    live = (select(UserSession.user_id, func.count().label("n")).where(UserSession.expires_at > now)
            .group_by(UserSession.user_id).subquery())
    with engine.connect() as conn:
        rows = conn.execute(select(User.username, User.role, User.enterprise_code, User.active, User.created_at,
                                   func.coalesce(live.c.n, 0)).outerjoin(live, live.c.user_id == User.id)
                            .order_by(User.username)).all()
    return [UserInfo(u, r, e, bool(a), _aware(c), int(n)) for u, r, e, a, c, n in rows]


class UnknownUser(InputError):
    """No user of that name (a route answers 404)."""


def _find(conn: object, username: str):  # type: ignore[no-untyped-def]
    name = normalize_username(username)
    row = conn.execute(select(User).where(User.username == name)).first() if valid_username(name) else None  # type: ignore[attr-defined]
    if row is None:
        raise UnknownUser(f"no user '{username}'", fix="check the user name (vnindustry users list shows them)")
    return row


def deactivate_user(engine: Engine, username: str) -> Account:
    """Deactivate ``username``: it can no longer log in, and its sessions end now. Refused for the last active
    admin (InputError). Deactivating an inactive user changes nothing."""
    with engine.begin() as conn:
        row = _find(conn, username)
        if row.role == "admin" and row.active:
            others = conn.execute(select(func.count()).select_from(User).where(
                User.role == "admin", User.active.is_(True), User.id != row.id)).scalar_one()
            if not others:
                raise InputError(f"'{row.username}' is the last active admin",
                                 fix="add or reactivate another admin first (vnindustry users add … --role admin)")
        conn.execute(update(User).where(User.id == row.id).values(active=False))
        conn.execute(delete(UserSession).where(UserSession.user_id == row.id))
    return Account(row.id, row.username, row.role, row.enterprise_code, False)


def reactivate_user(engine: Engine, username: str) -> Account:
    """Let ``username`` log in again (with its old password; reset it if that is the reason it was stopped)."""
    with engine.begin() as conn:
        row = _find(conn, username)
        conn.execute(update(User).where(User.id == row.id).values(active=True))
    return Account(row.id, row.username, row.role, row.enterprise_code, True)


def reset_password(engine: Engine, username: str, password: str) -> Account:
    """Give ``username`` a new password (the rules of :func:`check_password_rules`) and end its sessions, so
    whoever held the old one is logged out."""
    check_password_rules(password)
    password_hash = hash_password(password)
    with engine.begin() as conn:
        row = _find(conn, username)
        conn.execute(update(User).where(User.id == row.id).values(password_hash=password_hash))
        conn.execute(delete(UserSession).where(UserSession.user_id == row.id))
    return Account(row.id, row.username, row.role, row.enterprise_code, bool(row.active))


def purge_expired_sessions(engine: Engine, now: dt.datetime | None = None, *,
                           window_minutes: float | None = None) -> int:
    """Delete the sessions past their expiry and the failed logins older than the throttle window
    (``window_minutes``, default the ``login_window_minutes`` setting); the number of rows deleted."""
    now = now or _now()
    window = float(settings.get("login_window_minutes") if window_minutes is None else window_minutes)
    with engine.begin() as conn:
        sessions = conn.execute(delete(UserSession).where(UserSession.expires_at <= now)).rowcount
        failures = conn.execute(delete(LoginFailure).where(
            LoginFailure.failed_at <= now - dt.timedelta(minutes=window))).rowcount
    return int(sessions or 0) + int(failures or 0)


_purged_at: dict[str, float] = {}  # engine URL → time.monotonic() of its last purge in this process
_purge_lock = threading.Lock()


def _purge_if_due(engine: Engine) -> None:
    """Purge at most once every :data:`PURGE_EVERY` seconds per engine (cheap: a dict lookup otherwise)."""
    key = str(engine.url)
    now = time.monotonic()
    with _purge_lock:
        last = _purged_at.get(key)
        if last is not None and now - last < PURGE_EVERY:
            return
        _purged_at[key] = now  # claimed before purging, so concurrent logins do not all purge
    purge_expired_sessions(engine)
