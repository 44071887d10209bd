"""The ``vnindustry`` command: thin Typer commands over the packages, one module per command group.

Exit codes: 0 success, 1 bad input (message on stderr), 2 usage error. The root app and what the groups share
are in :mod:`vnindustry.cli.common`; importing this package registers every group on it.
"""

from __future__ import annotations

import sys

from vnindustry.cli import (  # noqa: F401  (importing a group registers its commands)
    adjust,
    data,
    linkage,
    linkage_connect,
    linkage_events,
    origin,
    products,
    publish,
    trade,
    users,
)
from vnindustry.cli.common import app
from vnindustry.errors import InputError

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except InputError as exc:  # pragma: no cover - commands convert these themselves
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
