"""The error raised for bad user input, shaped so every message names where and what to do."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input from a user file: names the file, line (or row/cell), column, the problem and the fix.

    The CLI prints ``str(error)`` on stderr and exits with code 1.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
        fix: str | None = None,
        location: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.path = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.fix = fix
        # Free-form location (e.g. "row 1234" of a Parquet file, or "sheet IIP!C7").
        self.location = location
        super().__init__(str(self))

    def where(self) -> str:
        """The "file, line N, column 'x'" part of the message."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.location:
            parts.append(self.location)
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f" — {self.fix}"
        return text
