"""Portal accounts: ``vnindustry users add|list|deactivate|reactivate|reset-password|purge-sessions``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vnindustry.cli.common import (
    DbOption,
    app,
    console,
    fail,
    store_at,
)
from vnindustry.errors import InputError

users_app = typer.Typer(no_args_is_help=True, help="Portal accounts: enterprises, statisticians, admins.")
app.add_typer(users_app, name="users")


def _cli_actor() -> str:
    """Who runs a ``users`` command, for the audit log: ``cli:`` and the operating-system user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "cli:?"


def _read_password() -> str:
    """One line of standard input (no prompt, no echo when piped; a hidden prompt on a terminal)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password (not shown): ")
    line = sys.stdin.readline()
    if not line:
        raise InputError("no password on standard input",
                         fix="give it as one line, e.g. printf '%s\\n' \"$PW\" | vnindustry users add …")
    return line.rstrip("\r\n")


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """List the portal's users: role, enterprise, active or not, created, live sessions."""

    from vnindustry.portal.accounts import list_users

    table = Table("user", "role", "enterprise", "active", "created (UTC)", "sessions")
    for u in list_users(store_at(db).engine):
        table.add_row(u.username, u.role, u.enterprise or "", "yes" if u.active else "no",
                      u.created_at.strftime("%Y-%m-%d %H:%M"), str(u.sessions))
    Console(width=200).print(table)  # the list is the command's output: stdout (messages go to stderr)


@users_app.command("deactivate")
def users_deactivate(
    username: Annotated[str, typer.Argument(help="The user to stop (case-insensitive).")],
    db: DbOption = None,
) -> None:
    """Deactivate a user: no more logins, and the user's sessions end now (``users reactivate`` undoes it)."""
    from vnindustry.portal.accounts import deactivate_user

    try:
        account = deactivate_user(store_at(db).engine, username, by=_cli_actor())
    except InputError as exc:
        raise fail(exc) from None
    console.print(f"User {account.username} deactivated; its sessions have ended.", highlight=False)


@users_app.command("reactivate")
def users_reactivate(
    username: Annotated[str, typer.Argument(help="The user to let in again (case-insensitive).")],
    db: DbOption = None,
) -> None:
    """Let a deactivated user log in again (with the old password; ``users reset-password`` to change it)."""
    from vnindustry.portal.accounts import reactivate_user

    try:
        account = reactivate_user(store_at(db).engine, username, by=_cli_actor())
    except InputError as exc:
        raise fail(exc) from None
    console.print(f"User {account.username} reactivated.", highlight=False)


@users_app.command("reset-password")
def users_reset_password(
    username: Annotated[str, typer.Argument(help="The user (case-insensitive).")],
    db: DbOption = None,
) -> None:
    """Set a user's new password, read from standard input (one line, as ``users add``); its sessions end."""
    from vnindustry.portal.accounts import check_password_rules, reset_password

    try:
        password = _read_password()
        check_password_rules(password)
        account = reset_password(store_at(db).engine, username, password, by=_cli_actor())
    except InputError as exc:
        raise fail(exc) from None
    console.print(f"New password set for {account.username}; its sessions have ended.", highlight=False)


@users_app.command("purge-sessions")
def users_purge_sessions(db: DbOption = None) -> None:
    """Delete expired sessions and failed logins older than the throttle window (logins also do it hourly)."""
    from vnindustry.portal.accounts import purge_expired_sessions

    n = purge_expired_sessions(store_at(db).engine, by=_cli_actor())
    console.print(f"{n} expired session(s) and old failed login(s) deleted.", highlight=False)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="User name (letters a–z, digits, . _ @ -; case-insensitive).")],
    role: Annotated[str, typer.Option(help="enterprise (its own reports), statistician or admin.")],
    enterprise: Annotated[str | None, typer.Option(
        help="The enterprise's code in the register (required for role enterprise).")] = None,
    db: DbOption = None,
) -> None:
    """Add a portal account; the password (at least 10 characters) is read from standard input, one line."""
    from vnindustry.portal.accounts import ROLES, add_user, check_password_rules

    try:
        if role not in ROLES:
            raise InputError(f"unknown role '{role}'", fix=f"use --role {'|'.join(ROLES)}")
        if role == "enterprise" and not enterprise:
            raise InputError("role enterprise needs --enterprise ID (the enterprise's code in the register)")
        password = _read_password()
        check_password_rules(password)
        account = add_user(store_at(db).engine, username, password, role, enterprise, by=_cli_actor())
    except InputError as exc:
        raise fail(exc) from None
    tied = f", for {account.enterprise}" if account.enterprise else ""
    console.print(f"User {account.username} (role {account.role}{tied}) added.", highlight=False)
