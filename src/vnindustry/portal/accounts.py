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
- Logging in is :func:`login` (issue 12). The throttle is atomic: in one transaction, under the user name's lock
  (PostgreSQL: a transaction advisory lock; SQLite: ``BEGIN IMMEDIATE``), it reads the failure counters of the
  user name and of the (user name, address) pair and, if neither is backing off, counts the attempt as a failure
  *before* the password is verified; a success then deletes both counters. So N concurrent wrong passwords
  cost at most ``login_max_failures`` argon2 verifications, the rest get the wait (HTTP 429 with Retry-After).
  Back-off, not lock-out: from the ``login_max_failures``-th failure on, each further try waits
  ``login_backoff_seconds``, doubling per failure, at most ``login_window_minutes``; a counter idle for a whole
  window is forgotten. There is no per-address key: failures from one address never block the other users who
  log in from it (an office behind one NAT). The pair's counter is what a success from elsewhere leaves in place:
  the real user logging in does not hand a guesser at another address a fresh allowance.
- Account events go to the audit log (``audit_log``, period ""): ``login``, ``login_failed`` (the name tried, the
  address, why: unknown user, wrong password, inactive user, throttled), ``logout`` and the admins' ``user_add``,
  ``user_deactivate``, ``user_reactivate``, ``password_reset``, ``sessions_purge`` — written in the same
  transaction as the change, with who did it (``by``: the admin's user name, ``cli:<os user>`` for the CLI).
- Administration (:func:`list_users`, :func:`deactivate_user`, :func:`reactivate_user`, :func:`reset_password`):
  deactivating a user or resetting a password ends every session of the user at once (server-side sessions:
  the cookie opens nothing from the next request); a deactivated user cannot log in. The last active admin
  cannot be deactivated (nobody could then administer the portal).
- :func:`purge_expired_sessions` deletes expired sessions and throttle counters idle for the throttle window;
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
from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from vnindustry import settings
from vnindustry.errors import InputError
from vnindustry.store.tables import AUDIT_LOG, ENTERPRISES, LOGIN_FAILURES, LOGIN_THROTTLE, SESSIONS, USER_ROLES, USERS

ROLES = USER_ROLES
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; the cap keeps a login request small
MAX_USERNAME_LENGTH = 150
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]*$")

PURGE_EVERY = 3600.0  # s: the login path purges expired sessions at most this often per process and engine
LOGIN_LOCK_NAMESPACE = 0x4C47  # "LG": first key of the user names' PostgreSQL advisory locks (second: a hash)
MAX_CLIENT_LENGTH = 64

_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)  # argon2id, OWASP (module docstring)
_dummy_hash: str | None = None


class AccountError(InputError):
    """An account refused; ``code`` (the kind) and ``params`` let a page say it in its language
    (:mod:`vnindustry.portal.messages`)."""

    def __init__(self, message: str, *, code: str, params: dict[str, object] | None = None,
                 fix: str | None = None) -> None:
        super().__init__(message, fix=fix)
        self.code = code
        self.params = dict(params or {})


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
        raise AccountError(f"the password has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} are "
                           "needed", fix="choose a longer password (a few unrelated words make a good one)",
                           code="password_short", params={"n": len(password), "min": MIN_PASSWORD_LENGTH})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password is longer than {MAX_PASSWORD_LENGTH} characters", code="password_long",
                           params={"max": MAX_PASSWORD_LENGTH})


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
    return Account(row.id, row.username, row.role, row.enterprise_code, bool(row.active))


def add_user(engine: Engine, username: str, password: str, role: str, enterprise: str | None = None, *,
             by: str = "system", client: str | None = None) -> Account:
    """Create an active account (audited ``user_add`` as done by ``by`` from ``client``). Errors (InputError): bad
    user name or role, short password, an enterprise account without an enterprise (or another role with one), an
    unknown enterprise, a user name taken."""
    name = normalize_username(username)
    if not valid_username(name):
        raise AccountError(f"'{username}' is not a valid user name", code="invalid_username",
                           params={"name": username[:MAX_USERNAME_LENGTH]},
                         fix=f"use 1–{MAX_USERNAME_LENGTH} letters a–z, digits and . _ @ - (starting with a letter "
                             "or digit)")
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}'", fix=f"use one of {', '.join(ROLES)}", code="unknown_role",
                           params={"role": role[:40]})
    if role == "enterprise" and not enterprise:
        raise AccountError("an enterprise account needs its enterprise", fix="give --enterprise ID (its code)",
                           code="enterprise_required")
    if role != "enterprise" and enterprise:
        raise AccountError(f"a {role} account is not tied to an enterprise", fix="leave out --enterprise",
                           code="enterprise_not_allowed", params={"role": role})
    check_password_rules(password)
    password_hash = hash_password(password)
    with engine.begin() as conn:
        if enterprise is not None:
            found = conn.execute(select(ENTERPRISES.c.code).where(ENTERPRISES.c.code == enterprise)).first()
            if found is None:
                raise AccountError(f"unknown enterprise '{enterprise}'", code="unknown_account_enterprise",
                                   params={"enterprise": enterprise},
                                 fix="use an enterprise code of the register (vnindustry import-dataset loads it)")
        if conn.execute(select(USERS.c.id).where(USERS.c.username == name)).first() is not None:
            raise AccountError(f"user '{name}' already exists", code="user_exists", params={"name": name})
        try:
            new_id = conn.execute(insert(USERS).values(
                username=name, password_hash=password_hash, role=role, enterprise_code=enterprise, active=True,
                created_at=_now()).returning(USERS.c.id)).scalar_one()
        except IntegrityError:  # created by someone else meanwhile
            raise AccountError(f"user '{name}' already exists", code="user_exists", params={"name": name}) from None
        _audit(conn, by=by, action="user_add", subject=name, client=client,
               reason=f"role {role}" + (f", enterprise {enterprise}" if enterprise else ""))
    return Account(new_id, name, role, enterprise, True)


def get_user(engine: Engine, username: str) -> Account | None:
    name = normalize_username(username)
    if not valid_username(name):
        return None
    with engine.connect() as conn:
        row = conn.execute(select(USERS).where(USERS.c.username == name)).first()
    return _account(row) if row is not None else None


def authenticate(engine: Engine, username: str, password: str) -> Account | None:
    """The active account whose password this is, else None — for an unknown user, an inactive one or a
    wrong password alike, after one argon2 verification in every case. No throttle, no audit: the portal logs in
    with :func:`login`."""
    return _authenticate(engine, username, password)[0]


def _authenticate(engine: Engine, username: str, password: str) -> tuple[Account | None, str]:
    """:func:`authenticate`, with why it failed (for the audit log only: the client is told the same thing)."""
    name = normalize_username(username)
    row = None
    if valid_username(name):  # anything else cannot be a user (and may not even be storable, e.g. NUL)
        with engine.connect() as conn:
            row = conn.execute(select(USERS).where(USERS.c.username == name)).first()
    _purge_if_due(engine)
    if row is None:
        verify_password(_dummy(), password)
        return None, "unknown user"
    if not verify_password(row.password_hash, password):
        return None, "wrong password"
    if not row.active:
        return None, "inactive user"
    if _hasher.check_needs_rehash(row.password_hash):
        with engine.begin() as conn:
            conn.execute(update(USERS).where(USERS.c.id == row.id).values(password_hash=hash_password(password)))
    return _account(row), ""


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
        conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at <= now))
        session_id = conn.execute(insert(SESSIONS).values(
            token_hash=token_hash(token), user_id=account.id, created_at=now, expires_at=expires,
            csrf_token=csrf).returning(SESSIONS.c.id)).scalar_one()
    return token, SessionInfo(session_id, account, csrf, expires)


def session_for(engine: Engine, token: str, *, now: dt.datetime | None = None) -> SessionInfo | None:
    """The live session of cookie ``token`` (its user active), else None; an expired one is deleted."""
    if not token or len(token) > 200:
        return None
    now = now or _now()
    with engine.connect() as conn:
        row = conn.execute(
            select(SESSIONS.c.id, SESSIONS.c.csrf_token, SESSIONS.c.expires_at, USERS.c.id.label("user_id"),
                   USERS.c.username, USERS.c.role, USERS.c.enterprise_code, USERS.c.active)
            .join(USERS, USERS.c.id == SESSIONS.c.user_id)
            .where(SESSIONS.c.token_hash == token_hash(token))).first()
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


def end_session(engine: Engine, session_id: int, *, by: str | None = None, client: str | None = None) -> None:
    """Delete session ``session_id``; with ``by`` (its user logging out) audited as ``logout``."""
    with engine.begin() as conn:
        gone = conn.execute(delete(SESSIONS).where(SESSIONS.c.id == session_id)).rowcount
        if by is not None and gone:
            _audit(conn, by=by, action="logout", subject=by, client=client)


# -- the audit log (account events) ----------------------------------------------------------------------
ACCOUNT_ACTIONS = ("login", "login_failed", "logout", "user_add", "user_deactivate", "user_reactivate",
                   "password_reset", "sessions_purge")


def _audit(conn: Connection, *, by: str, action: str, subject: str | None = None, client: str | None = None,
           reason: str = "", now: dt.datetime | None = None) -> None:
    """One account event in the audit log, inside the caller's transaction (so it commits with the change).
    ``subject`` and ``client`` have their own columns; the reason repeats them for the audit page, which shows
    who, what and why: "dn001 · role enterprise, enterprise DN001 · 203.0.113.5"."""
    by = _throttle_key(by) or "?"
    client = client[:MAX_CLIENT_LENGTH] if client else None
    shown = " · ".join(p for p in (subject if subject and subject != by else "", reason, client or "") if p)
    conn.execute(insert(AUDIT_LOG).values(
        at=now or _now(), username=by, action=action, period="", subject=subject, client=client, reason=shown))


# -- logging in: the throttle ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Throttle:
    """The login throttle's limits: back-off from the ``max_failures``-th failure (0: no throttle), starting at
    ``backoff_seconds`` and doubling, at most ``window_minutes``; a counter idle for the window is forgotten."""

    max_failures: int
    window_minutes: float
    backoff_seconds: float

    @staticmethod
    def from_settings() -> Throttle:
        return Throttle(settings.get("login_max_failures"), settings.get("login_window_minutes"),
                        settings.get("login_backoff_seconds"))

    def delay(self, failures: int) -> float:
        """Seconds to wait after the latest of ``failures`` failures before the next try is let through."""
        if self.max_failures <= 0 or failures < self.max_failures:
            return 0.0
        doubling = min(failures - self.max_failures, 40)  # 2**40 × anything > any window: no float overflow
        return min(self.backoff_seconds * 2.0 ** doubling, self.window_minutes * 60.0)


@dataclass(frozen=True)
class LoginOutcome:
    """What :func:`login` decided: the account (None: refused), the seconds to wait when throttled (0 otherwise)
    and why it was refused (for the audit log; the client is told the same for every wrong credential)."""

    account: Account | None
    wait: int = 0
    reason: str = ""


def _throttle_keys(name: str, client: str) -> tuple[str, str]:
    """The counters an attempt touches: the user name's, and the user name's from this address."""
    return f"u {name}", f"a {name} {client[:MAX_CLIENT_LENGTH]}"


def _lock_name(conn: Connection, name: str) -> None:
    """Serialise the throttle's readers and writers of user name ``name`` until the end of the transaction."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, so check and count are one step
    elif conn.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big", signed=True)
        conn.execute(text("SELECT pg_advisory_xact_lock(CAST(:ns AS integer), CAST(:key AS integer))"),
                     {"ns": LOGIN_LOCK_NAMESPACE, "key": key})


def _admit(engine: Engine, name: str, client: str, throttle: Throttle, now: dt.datetime) -> int:
    """0 if the attempt may verify its password — it is then already counted as a failure — else the seconds
    to wait (the attempt is audited as throttled). One transaction, under the user name's lock."""
    keys = _throttle_keys(name, client)
    since = now - dt.timedelta(minutes=throttle.window_minutes)
    t = LOGIN_THROTTLE
    with engine.begin() as conn:
        _lock_name(conn, name)
        rows = {r.key: r for r in conn.execute(select(t).where(t.c.key.in_(keys)))}
        wait, counts = 0.0, {}
        for key in keys:
            row = rows.get(key)
            last = _aware(row.last_failure_at) if row is not None else None
            counts[key] = row.failures if row is not None and last > since else 0  # idle a whole window: forgotten
            if counts[key]:
                until = last + dt.timedelta(seconds=throttle.delay(counts[key]))
                wait = max(wait, (until - now).total_seconds())
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            _audit(conn, by=name, action="login_failed", subject=None, client=client, now=now,
                   reason=f"throttled: {max(counts.values())} failed logins, retry after {seconds} s")
            return seconds
        for key in keys:
            values = {"failures": counts[key] + 1, "last_failure_at": now}
            # (a purge may have deleted an idle row since it was read: then it is inserted again)
            if key not in rows or not conn.execute(update(t).where(t.c.key == key).values(**values)).rowcount:
                conn.execute(insert(t).values(key=key, **values))
    return 0


def login(engine: Engine, username: str, password: str, client: str, *, throttle: Throttle | None = None,
          now: dt.datetime | None = None) -> LoginOutcome:
    """Log ``username`` in from address ``client``: the throttle's check and count (one atomic step), then — only
    if admitted — the password's verification, then the audit row (``login`` or ``login_failed``); a success
    deletes the user name's counter and the (user name, ``client``) one."""
    throttle = throttle or Throttle.from_settings()
    now = now or _now()
    name = _throttle_key(username)
    if throttle.max_failures > 0:
        wait = _admit(engine, name, client, throttle, now)
        if wait:
            return LoginOutcome(None, wait, "throttled")
    account, reason = _authenticate(engine, username, password)
    with engine.begin() as conn:
        if account is None:
            _audit(conn, by=name, action="login_failed", client=client, reason=reason)
            return LoginOutcome(None, 0, reason)
        _lock_name(conn, name)
        conn.execute(delete(LOGIN_THROTTLE).where(LOGIN_THROTTLE.c.key.in_(_throttle_keys(name, client))))
        _audit(conn, by=account.username, action="login", subject=account.username, client=client)
    return LoginOutcome(account)


def failure_count(engine: Engine, username: str, client: str | None = None) -> int:
    """The throttle's count of failures of ``username`` (from ``client`` when given) since its last success."""
    key = _throttle_keys(_throttle_key(username), client or "")[0 if client is None else 1]
    with engine.connect() as conn:
        found = conn.execute(select(LOGIN_THROTTLE.c.failures).where(LOGIN_THROTTLE.c.key == key)).scalar()
    return int(found or 0)


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
    live = (select(SESSIONS.c.user_id, func.count().label("n")).where(SESSIONS.c.expires_at > now)
            .group_by(SESSIONS.c.user_id).subquery())
    with engine.connect() as conn:
        user = USERS.c
        rows = conn.execute(select(user.username, user.role, user.enterprise_code, user.active, user.created_at,
                                   func.coalesce(live.c.n, 0)).outerjoin(live, live.c.user_id == USERS.c.id)
                            .order_by(USERS.c.username)).all()
    return [UserInfo(u, r, e, bool(a), _aware(c), int(n)) for u, r, e, a, c, n in rows]


class UnknownUser(AccountError):
    """No user of that name (a route answers 404)."""


def _find(conn: object, username: str):  # type: ignore[no-untyped-def]
    name = normalize_username(username)
    row = conn.execute(select(USERS).where(USERS.c.username == name)).first() if valid_username(name) else None
    if row is None:
        raise UnknownUser(f"no user '{username}'", fix="check the user name (vnindustry users list shows them)",
                          code="unknown_user", params={"name": username[:MAX_USERNAME_LENGTH]})
    return row


def deactivate_user(engine: Engine, username: str, *, by: str = "system", client: str | None = None) -> Account:
    """Deactivate ``username``: it can no longer log in, and its sessions end now. Refused for the last active
    admin (InputError). Deactivating an inactive user changes nothing (but is audited, as every admin action)."""
    with engine.begin() as conn:
        row = _find(conn, username)
        if row.role == "admin" and row.active:
            others = conn.execute(select(func.count()).select_from(USERS).where(
                USERS.c.role == "admin", USERS.c.active.is_(True), USERS.c.id != row.id)).scalar_one()
            if not others:
                raise AccountError(f"'{row.username}' is the last active admin", code="last_admin",
                                   params={"name": row.username},
                                 fix="add or reactivate another admin first (vnindustry users add … --role admin)")
        conn.execute(update(USERS).where(USERS.c.id == row.id).values(active=False))
        ended = conn.execute(delete(SESSIONS).where(SESSIONS.c.user_id == row.id)).rowcount
        _audit(conn, by=by, action="user_deactivate", subject=row.username, client=client,
               reason=("was inactive already; " if not row.active else "") + f"{ended or 0} session(s) ended")
    return Account(row.id, row.username, row.role, row.enterprise_code, False)


def reactivate_user(engine: Engine, username: str, *, by: str = "system", client: str | None = None) -> Account:
    """Let ``username`` log in again (with its old password; reset it if that is the reason it was stopped)."""
    with engine.begin() as conn:
        row = _find(conn, username)
        conn.execute(update(USERS).where(USERS.c.id == row.id).values(active=True))
        _audit(conn, by=by, action="user_reactivate", subject=row.username, client=client,
               reason="was active already" if row.active else "")
    return Account(row.id, row.username, row.role, row.enterprise_code, True)


def reset_password(engine: Engine, username: str, password: str, *, by: str = "system",
                   client: str | None = None) -> Account:
    """Give ``username`` a new password (the rules of :func:`check_password_rules`) and end its sessions, so
    whoever held the old one is logged out."""
    check_password_rules(password)
    password_hash = hash_password(password)
    with engine.begin() as conn:
        row = _find(conn, username)
        conn.execute(update(USERS).where(USERS.c.id == row.id).values(password_hash=password_hash))
        ended = conn.execute(delete(SESSIONS).where(SESSIONS.c.user_id == row.id)).rowcount
        _audit(conn, by=by, action="password_reset", subject=row.username, client=client,
               reason=f"{ended or 0} session(s) ended")  # never the password
    return Account(row.id, row.username, row.role, row.enterprise_code, bool(row.active))


def purge_expired_sessions(engine: Engine, now: dt.datetime | None = None, *,
                           window_minutes: float | None = None, by: str | None = None,
                           client: str | None = None) -> int:
    """Delete the sessions past their expiry and the throttle counters idle for the throttle window
    (``window_minutes``, default the ``login_window_minutes`` setting), and failed logins of the table used
    before issue 12; the number of rows deleted. With ``by`` (an admin) audited as ``sessions_purge``."""
    now = now or _now()
    window = float(settings.get("login_window_minutes") if window_minutes is None else window_minutes)
    since = now - dt.timedelta(minutes=window)
    with engine.begin() as conn:
        sessions = int(conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at <= now)).rowcount or 0)
        failures = int(conn.execute(delete(LOGIN_FAILURES).where(LOGIN_FAILURES.c.failed_at <= since)).rowcount or 0)
        failures += int(conn.execute(delete(LOGIN_THROTTLE).where(LOGIN_THROTTLE.c.last_failure_at <= since)).rowcount
                        or 0)
        if by is not None:
            _audit(conn, by=by, action="sessions_purge", client=client, now=now,
                   reason=f"{sessions} expired session(s), {failures} idle failed-login record(s) deleted")
    return sessions + failures


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
