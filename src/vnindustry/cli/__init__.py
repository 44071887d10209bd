"""The ``vnindustry`` command: thin Typer commands over the packages, one module per command group.

Exit codes: 0 success, 1 bad input (message on stderr), 2 usage error. The root app and what the groups share
are in :mod:`vnindustry.cli.common`; ``vnindustry.cli.app`` is that app with every group registered on it.

The command (:func:`main`) registers only the group of the command it runs (:data:`GROUPS`) when it can: the
others' modules and the options of their forty-odd commands are not built for one command (issue 16: a
bulletin from the command line is what a user waits for). ``vnindustry --help`` and anything not in
:data:`GROUPS` registers them all, as importing ``vnindustry.cli.app`` does.
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["BATCH_GC_THRESHOLD", "GROUPS", "app", "main", "start"]

GROUPS: dict[str, tuple[str, ...]] = {
    "adjust": ("adjust",),
    "compile": ("data",), "demo": ("data",), "import-workbook": ("data",), "import-history": ("data",),
    "import-dataset": ("data",),
    "revisions": ("publish",), "bulletin": ("publish",), "serve": ("publish",), "settings": ("publish",),
    "linkage": ("linkage", "linkage_connect", "linkage_events"),
    "origin": ("origin",),
    "products": ("products",),
    "trade": ("trade",),
    "users": ("users",),
}
"""Each command (or command group) of the root app → the modules of :mod:`vnindustry.cli` that register it
(tests/test_cli_groups.py checks this against the app with every group)."""

_EVERY_GROUP = tuple(dict.fromkeys(m for modules in GROUPS.values() for m in modules))


def _register(modules: tuple[str, ...]) -> typer.Typer:
    """The root app with the command groups of ``modules`` registered (importing a group registers it)."""
    for module in modules:
        importlib.import_module(f"vnindustry.cli.{module}")
    from vnindustry.cli.common import app

    return app


def __getattr__(name: str) -> object:
    if name == "app":  # the whole command line, as tests and the documentation's examples use it
        return _register(_EVERY_GROUP)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _app_for(args: list[str]) -> typer.Typer:
    """The root app with what running ``args`` needs: the group of its command when that is known and the app
    stays a group of commands (Typer runs an app of one command as that command), else every group."""
    modules = GROUPS.get(args[0]) if args else None
    if modules is not None:
        app = _register(modules)
        if app.registered_groups or len(app.registered_commands) > 1:
            return app
    return _register(_EVERY_GROUP)


#: The cycle collector's thresholds while a command runs (Python's default: 700, 10, 10). A command makes
#: hundreds of thousands of short-lived objects without cycles (pandas' and X-13's tables), which reference
#: counting frees: at 700 allocations the collector walked the young generations ~750 times and the whole heap
#: 5 times in `adjust --all` on the demo city (0.35 s of a 5 s run, all of it holding the GIL the X-13 threads
#: wait for); at these, 14 times and never (0.07 s). Not for ``serve``: a server lives long, and the default
#: keeps its memory in check.
BATCH_GC_THRESHOLD = (50_000, 20, 100)


def start(args: list[str]) -> typer.Typer:
    """The root app ready to run ``args`` (:func:`_app_for`), as the command starts it.

    Start-up (importing the command line, Typer and Rich) makes objects that live as long as the process: the
    cycle collector would walk them again and again for nothing. It is paused while they are made, then they
    are set aside (gc.freeze), and it runs for the command's work at :data:`BATCH_GC_THRESHOLD` (``serve`` at
    Python's default)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _app_for(args[:1])
    finally:
        gc.freeze()
        if args[:1] != ["serve"]:
            gc.set_threshold(*BATCH_GC_THRESHOLD)
        if enabled:
            gc.enable()


def main() -> None:
    """Console-script entry point."""
    from vnindustry.errors import InputError

    app = start(sys.argv[1:])
    try:
        app()
    except InputError as exc:  # pragma: no cover - commands convert these themselves
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
