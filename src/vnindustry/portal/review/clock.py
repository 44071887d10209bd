"""The review's clock: now (UTC), a stored time read as UTC, and Vietnam's date (a close's "today")."""

from __future__ import annotations

import datetime as dt

from vnindustry.store import repository as _repository


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _today() -> dt.date:
    """Vietnam's date (through the repository's function, so a test moving the embargo's clock moves ours)."""
    return _repository.today_in_vietnam()
