"""Small CSV tables (industries, products, groups, enterprises) read with line numbers.

Everything here is strict: UTF-8 (with or without BOM), a header row with the required columns, and
every problem reported as an :class:`~vnindustry.errors.InputError` naming file, line and column.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from vnindustry.errors import InputError


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based line number in the file and its fields by column name."""

    line: int
    fields: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.fields.get(column, "")


def decode_utf8(path: Path) -> str:
    """Read ``path`` as UTF-8 (a BOM is dropped); invalid bytes are an error naming the line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"the text is not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start})",
            file=path,
            line=line,
            fix="save the file as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')",
        ) from None


def read_header(path: Path) -> list[str]:
    """The header row of a (possibly huge) CSV file, reading only its first line."""
    with open(path, "rb") as f:
        first = f.readline()
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "the header is not valid UTF-8", file=path, line=1, fix="save the file as UTF-8"
        ) from None
    header = next(csv.reader(io.StringIO(text)), [])
    return [h.strip() for h in header]


def check_columns(path: Path, header: Sequence[str], required: Sequence[str], *, line: int | None = 1) -> None:
    """Raise if a required column is missing from ``header`` (or the file has no header).

    ``line`` is where the header sits: 1 for CSV, ``None`` for a Parquet schema.
    """
    if not header or all(h == "" for h in header):
        raise InputError(
            "the file is empty or has no header row",
            file=path,
            line=line,
            fix=f"the first line must name the columns: {','.join(required)}",
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(repr(m) for m in missing)}; found {', '.join(header)}",
            file=path,
            line=line,
            fix=f"the header must contain: {','.join(required)}",
        )
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise InputError(f"column(s) named twice: {', '.join(dupes)}", file=path, line=line,
                         fix="name each column once")


# Control characters no text field needs (tab, line feed and carriage return are kept: quoted fields may hold them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_table(path: Path, required: Sequence[str]) -> list[Row]:
    """All rows of a small CSV file, checked for encoding, header and field count."""
    if not path.is_file():
        raise InputError("file not found", file=path, fix=f"expected it at {path}")
    text = decode_utf8(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        header = []
    check_columns(path, header, required)
    rows: list[Row] = []
    for record in reader:
        line = reader.line_num
        if not record or all(not field.strip() for field in record):
            continue  # blank lines are harmless
        if len(record) != len(header):
            raise InputError(
                f"{len(record)} fields where the header has {len(header)}",
                file=path,
                line=line,
                fix="check for a missing or extra comma; quote fields that contain commas",
            )
        for column, value in zip(header, record, strict=True):
            if found := _CONTROL.search(value):
                # A NUL reached PostgreSQL (which cannot store it) as a 500 (issue 12): refused where it enters.
                raise InputError(f"the control character U+{ord(found.group()):04X} at position {found.start() + 1}",
                                 file=path, line=line, column=column,
                                 fix="remove it (save the file as plain UTF-8 text from the spreadsheet)")
        rows.append(Row(line, {h: v.strip() for h, v in zip(header, record, strict=True)}))
    return rows


def positive_number(row: Row, column: str, path: Path, *, required: bool = True) -> float | None:
    """Parse ``row[column]`` as a finite number > 0 (``None`` if empty and not required)."""
    raw = row[column]
    if raw == "":
        if required:
            raise InputError("value is missing", file=path, line=row.line, column=column,
                             fix="give a number greater than 0")
        return None
    try:
        value = float(raw)
    except ValueError:
        hint = " (use a point as the decimal separator and no thousands separator)" if "," in raw else ""
        raise InputError(f"'{raw}' is not a number{hint}", file=path, line=row.line, column=column,
                         fix="give a number greater than 0") from None
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"must be a finite number greater than 0, got '{raw}'", file=path, line=row.line,
                         column=column, fix="give a number greater than 0")
    return value


def iter_nonempty(rows: Sequence[Row], column: str, path: Path) -> Iterator[tuple[Row, str]]:
    """Yield ``(row, value)`` and raise on an empty value in a required key column."""
    for row in rows:
        value = row[column]
        if value == "":
            raise InputError("value is missing", file=path, line=row.line, column=column)
        yield row, value
