"""Portal administration from the command line (issue 6): `vnindustry users list | deactivate | reactivate |
reset-password | purge-sessions`, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from builders import PORTAL_PASSWORD, portal_store
from vnindustry.cli import app as cli_app
from vnindustry.portal import accounts

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    store = portal_store(db_url)
    accounts.add_user(store.engine, "root", PORTAL_PASSWORD, "admin")
    return store


# -- the CLI ---------------------------------------------------------------------------------------------
def test_cli_users_list_deactivate_reset_purge(store, db_url: str) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    listed = runner.invoke(cli_app, ["users", "list", "--db", db_url])
    assert listed.exit_code == 0, listed.output
    assert all(name in listed.output for name in ("e1", "e2", "stat", "root")) and "E1" in listed.output

    token, _ = accounts.create_session(store.engine, accounts.get_user(store.engine, "e1"), 8)
    off = runner.invoke(cli_app, ["users", "deactivate", "e1", "--db", db_url])
    assert off.exit_code == 0 and "deactivated" in off.output, off.output
    assert accounts.session_for(store.engine, token) is None
    assert accounts.authenticate(store.engine, "e1", PORTAL_PASSWORD) is None
    on = runner.invoke(cli_app, ["users", "reactivate", "e1", "--db", db_url])
    assert on.exit_code == 0 and accounts.authenticate(store.engine, "e1", PORTAL_PASSWORD) is not None

    reset = runner.invoke(cli_app, ["users", "reset-password", "e2", "--db", db_url], input=NEW_PASSWORD + "\n")
    assert reset.exit_code == 0, reset.output
    assert NEW_PASSWORD not in reset.output and accounts.authenticate(store.engine, "e2", NEW_PASSWORD)
    for args, given, message in [
        (["reset-password", "e2"], "short\n", "at least 10"),
        (["reset-password", "e2"], "", "no password on standard input"),
        (["reset-password", "nobody"], NEW_PASSWORD + "\n", "no user 'nobody'"),
        (["deactivate", "nobody"], "", "no user 'nobody'"),
        (["deactivate", "root"], "", "last active admin"),
    ]:
        res = runner.invoke(cli_app, ["users", *args, "--db", db_url], input=given)
        text = " ".join(res.output.split())
        assert res.exit_code == 1 and message in text and "Traceback" not in text, (args, text)

    accounts.create_session(store.engine, accounts.get_user(store.engine, "stat"), 1,
                            now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    purged = runner.invoke(cli_app, ["users", "purge-sessions", "--db", db_url])
    assert purged.exit_code == 0 and "1 expired" in purged.output, purged.output
