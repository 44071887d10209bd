"""What every command group shares: the root Typer app, the console, the options and the error exit."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from vnindustry import settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="vnindustry — monthly industry-and-trade statistics: compile the IIP, publish the figures.",
)
console = Console(stderr=True)


def fail(exc: Exception) -> typer.Exit:
    """Print ``exc`` as the command's error and return the exit (code 1: bad input) to raise."""
    console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@contextmanager
def short_lived() -> Iterator[None]:
    """Python's cycle collector paused for the work of a command that reads, writes a file and ends (a
    bulletin): what it makes — pandas' frames, SQLAlchemy's statements, the modules it imports — is freed by
    reference counting or lives until the end, and the collector's passes over it cost a third of that work's
    processor time (issue 16). Restored on leaving, for a caller that goes on (tests run commands in-process).

    At the process's exit the interpreter collects again, over every object, before tearing the modules down:
    ~0.3 s after a bulletin, for memory the system takes back anyway. What is left then is set aside first
    (gc.freeze, registered with atexit), so that those last collections skip it; the command's file is
    written and closed, its output flushed, and its connections are closed as before (by reference counting)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        freeze_at_exit()


def freeze_at_exit() -> None:
    """Set aside (gc.freeze) what is left when the process exits, so that the interpreter's last collections skip
    it: ~0.3 s after a bulletin, ~0.3 s after a national compile (issue 16). Registered once, however many
    commands ran; objects are still freed, files closed and connections ended as before."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def default(name: str) -> object:
    """The current value of setting ``name`` (the settings table: CLI, environment, /config)."""
    return settings.get(name)

DbOption = Annotated[str | None, typer.Option(
    "--db", help=settings.setting("db").help + " [env VNINDUSTRY_DB; default sqlite:///vnindustry.db]")]
StatusOption = Annotated[str, typer.Option(
    help="Status of the latest month's figures: estimate (ước tính), preliminary (sơ bộ) or actual.")]
ReleaseDateOption = Annotated[str | None, typer.Option(
    "--release-date", help="Date of the release (YYYY-MM-DD) for 'as of' queries; default: today.")]


def parse_release_date(text: str | None) -> dt.date | None:
    """``--release-date`` as a date (None when not given); a usage error naming the option otherwise."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date YYYY-MM-DD", param_hint="--release-date") from None


def store_at(db: str | None):  # type: ignore[no-untyped-def]
    """The store at ``db`` (a SQLAlchemy URL; the setting ``db`` when None), migrated."""
    from vnindustry.store import open_store

    return open_store(db)

def print_import(summary) -> None:  # type: ignore[no-untyped-def]
    """Say what an import stored: the release, or that the same figures were already there."""
    if summary.created:
        console.print(f"Stored release {summary.release_id} ({summary.source}, {summary.file}): "
                      f"{summary.observations:,} observations, {summary.new_series:,} new series.", highlight=False)
    else:
        console.print(f"Already stored as release {summary.release_id} ({summary.source}, {summary.file}): "
                      "nothing changed.", highlight=False)
