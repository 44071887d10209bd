"""Read the long history of GSO's monthly tables, scraped month by month into CSV files.

Each file (``iip.csv``, ``spcn.csv``, ``tongmuc.csv``, ``xk.csv``, ``nk.csv``, ``xnk.csv``) holds one block of
lines per GSO release: ``Month`` is the month the release reports, ``PreMonth`` the month before. The
scraper's columns are mapped by :data:`~vnindustry.sources.gso.layouts.HISTORY_LAYOUTS`; values are kept
exactly as written, and the measure says which convention they are in: most files hold **changes**
(−3,25 → ``pct_change_*``), ``tongmuc.csv`` keeps GSO's **index** form (96,75 → ``pct_*``).

Statuses: the figures of a release's own month are first estimates (``estimate``); the revised figure for
the month before that the same release prints is ``preliminary`` (``actual`` for the products table, which
GSO heads "Thực hiện"). The files do not keep GSO's status words, so a month that GSO already printed as
"Sơ bộ" at first release (trade since 2025) is still an ``estimate`` here.

Known faults of the files, handled here:

- lines repeated within a release (crude oil exports four times a month, some electricity lines) — the
  repeats are dropped with one warning per file; repeats with different figures are all dropped;
- months the scraper missed (iip.csv 2017-05) — reported as gaps;
- ``spcn.csv`` 2013-03 … 2018-07: the "previous month" column holds the total from January to the previous
  month (its value plus the month's equals the year to date); in those releases it is read as
  ``level_ytd`` of the previous month, and reported;
- malformed lines (wrong number of fields, no label, a bad month, text or ∞ where a number belongs) —
  skipped with a warning naming file and line.

A figure appears twice over the history (first estimate in month M's release, revision in M+1's), so the
records of one release are one store release: :meth:`~vnindustry.sources.gso.records.HistoryImport.by_release`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vnindustry.errors import InputError
from vnindustry.periods import month_code, month_of, parse_month
from vnindustry.sources.csvfile import decode_utf8
from vnindustry.sources.gso.labels import RowCoder, normalise_label
from vnindustry.sources.gso.layouts import HISTORY_LAYOUTS, HistoryLayout
from vnindustry.sources.gso.records import HistoryImport, records_frame

__all__ = ["read_history"]

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_MAX_LINE_WARNINGS = 20


def read_history(folder: str | Path) -> HistoryImport:
    """Read the known history CSV files in ``folder``.

    Args:
        folder: the folder holding some of iip.csv, spcn.csv, tongmuc.csv, xk.csv, nk.csv, xnk.csv.

    Returns:
        The records (``sheet`` = file name, ``cell`` = "line N"), the warnings, and for each record the
        release (month) its line belongs to.

    Raises:
        InputError: the folder does not exist, holds none of the known files, or none could be read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("folder not found", file=folder,
                         fix="give the folder that holds the history CSV files (iip.csv, spcn.csv, …)")
    known = {layout.file: layout for layout in HISTORY_LAYOUTS}
    notes: list[str] = []
    rows: list[tuple[object, ...]] = []
    releases: list[str] = []
    files: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv":
            continue
        layout = known.get(path.name)
        if layout is None:
            notes.append(f"{path.name}: not one of the known history files ({', '.join(known)}); skipped")
            continue
        file_rows, file_releases = _FileReader(path, layout, notes).read()
        rows.extend(file_rows)
        releases.extend(file_releases)
        files[path.name] = tuple(dict.fromkeys(str(r[0]) for r in file_rows))
    if not files:
        raise InputError(f"none of the known history files ({', '.join(known)}) is in this folder",
                         file=folder, fix="put the scraped CSV files, named as listed, in this folder")
    if not rows:
        raise InputError("no figures could be read from the history files" + (f": {'; '.join(notes[:5])}"
                         if notes else ""), file=folder, fix="check the files against the warnings")
    records = records_frame(rows)
    return HistoryImport(records, notes, None, folder, pd.Series(releases, index=records.index, dtype=object),
                         files)


@dataclass
class _Line:
    line: int
    label: str
    month: int
    values: dict[str, float]


class _FileReader:
    """One history file: checks lines, maps columns, codes rows, drops repeats, reports gaps."""

    def __init__(self, path: Path, layout: HistoryLayout, notes: list[str]) -> None:
        self.path = path
        self.layout = layout
        self.notes = notes
        self.name = path.name
        self.malformed: list[str] = []

    def warn(self, message: str) -> None:
        self.notes.append(f"{self.name}: {message}")

    def read(self) -> tuple[list[tuple[object, ...]], list[str]]:
        text = decode_utf8(self.path)
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader, [])]
        required = [self.layout.label, "Month", "PreMonth"]
        missing = [c for c in required if c not in header]
        if missing:
            self.warn(f"line 1: missing column(s) {', '.join(missing)}; file skipped")
            return [], []
        columns = self._columns(header)
        lines: list[_Line] = []
        for record in reader:
            line = reader.line_num
            if not record or all(not f.strip() for f in record):
                continue
            parsed = self._line(line, record, header, columns)
            if parsed is not None:
                lines.append(parsed)
        self._report_malformed()
        self._report_gaps(lines)
        cumulative = self._cumulative_months(lines)
        return self._records(lines, columns, cumulative)

    def _columns(self, header: list[str]) -> list[str]:
        mapped = [c.name for c in self.layout.columns]
        skipped = {name for name, _ in self.layout.skipped}
        for name in header:
            if name not in mapped and name not in skipped and name not in self.layout.meta \
                    and name != self.layout.label:
                self.warn(f"line 1: column '{name}' is not one the reader knows; skipped")
        absent = [name for name in mapped if name not in header]
        if absent:
            self.warn(f"line 1: column(s) {', '.join(absent)} missing; their figures are not read")
        return [name for name in mapped if name in header]

    def _line(self, line: int, record: list[str], header: list[str], columns: list[str]) -> _Line | None:
        if len(record) != len(header):
            return self._bad(line, f"{len(record)} fields where the header has {len(header)}")
        fields = dict(zip(header, record, strict=True))
        label = normalise_label(fields[self.layout.label])
        if not label:
            return self._bad(line, f"no label in '{self.layout.label}'")
        month_text = fields["Month"].strip()
        month = parse_month(month_text) if _MONTH.match(month_text) else None
        if month is None:
            return self._bad(line, f"Month '{month_text}' is not YYYY-MM")
        pre = fields["PreMonth"].strip()
        if pre != month_code(month - 1):
            return self._bad(line, f"PreMonth '{pre}' is not the month before {month_text}")
        values: dict[str, float] = {}
        for name in columns:
            raw = fields[name].strip()
            if raw == "":
                continue
            try:
                value = float(raw)
            except ValueError:
                return self._bad(line, f"'{raw}' in column '{name}' is not a number")
            if not math.isfinite(value):
                return self._bad(line, f"'{raw}' in column '{name}' is not a finite number")
            values[name] = value
        return _Line(line, label, month, values)

    def _bad(self, line: int, why: str) -> None:
        self.malformed.append(f"line {line}: {why}")
        return None

    def _report_malformed(self) -> None:
        for message in self.malformed[:_MAX_LINE_WARNINGS]:
            self.warn(f"{message}; line skipped")
        if len(self.malformed) > _MAX_LINE_WARNINGS:
            self.warn(f"… and {len(self.malformed) - _MAX_LINE_WARNINGS} more malformed lines skipped")

    def _report_gaps(self, lines: list[_Line]) -> None:
        months = {x.month for x in lines}
        if not months:
            return
        gaps = [month_code(k) for k in range(min(months), max(months) + 1) if k not in months]
        if gaps:
            self.warn(f"no lines for {', '.join(gaps)} (months missing from the history between "
                      f"{month_code(min(months))} and {month_code(max(months))})")

    def _cumulative_months(self, lines: list[_Line]) -> set[int]:
        """Releases whose "previous month" column holds January..previous month (pre + month = ytd)."""
        check = self.layout.cumulative_check
        if check is None:
            return set()
        pre, cur, ytd = check
        votes: dict[int, list[bool]] = defaultdict(list)
        for x in lines:
            if month_of(x.month) >= 3 and all(c in x.values for c in check):
                total = x.values[pre] + x.values[cur]
                votes[x.month].append(math.isclose(total, x.values[ytd], rel_tol=1e-6, abs_tol=1e-6))
        months = {m for m, v in votes.items() if sum(v) * 2 > len(v)}
        if months:
            ordered = sorted(months)
            self.warn(f"in {len(months)} releases ({month_code(ordered[0])} … {month_code(ordered[-1])}) "
                      f"'{pre}' + '{cur}' = '{ytd}': '{pre}' there holds the total from January to the "
                      f"previous month and is read as level_ytd of the previous month")
        return months

    def _records(self, lines: list[_Line], columns: list[str],
                 cumulative: set[int]) -> tuple[list[tuple[object, ...]], list[str]]:
        layout = self.layout
        specs = {c.name: c for c in layout.columns}
        coder = RowCoder(layout.table, layout.codes)
        unknown: dict[str, int] = {}
        # key → (line, value, row) of the first occurrence; repeats and conflicts collected per file.
        first: dict[tuple[object, ...], tuple[int, float]] = {}
        repeats: list[int] = []
        conflicts: dict[tuple[object, ...], list[int]] = defaultdict(list)
        out: list[tuple[tuple[object, ...], tuple[object, ...], str]] = []
        block: int | None = None
        for x in lines:
            if x.month != block:
                coder.start_block()
                block = x.month
            code = coder.code(x.label)
            if code is None:
                unknown.setdefault(x.label, x.line)
                code = ""
            release = month_code(x.month)
            for name in columns:
                if name not in x.values:
                    continue
                spec = specs[name]
                table = spec.table or layout.table
                measure = spec.measure
                period = month_code(x.month - 1) if spec.period == "pre_month" else release
                if name == (layout.cumulative_check or ("",))[0] and x.month in cumulative:
                    measure = "level_ytd"
                unit = "%" if measure.startswith("pct") else layout.unit
                value = x.values[name]
                key = (table, code or x.label, period, measure, release)
                row = (table, x.label, code, unit, period, measure, value, spec.status, self.name, f"line {x.line}")
                if key in first:
                    first_line, first_value = first[key]
                    if first_value == value:
                        repeats.append(x.line)
                    else:
                        conflicts[key].extend([first_line, x.line])
                    continue
                first[key] = (x.line, value)
                out.append((key, row, release))
        for label, line in unknown.items():
            self.warn(f"line {line}: '{label}' is not a VSIC industry name the reader knows; code left empty")
        if repeats:
            lines_text = _line_list(sorted(set(repeats)))
            self.warn(f"{len(set(repeats))} lines repeat figures of an earlier line of the same release "
                      f"(same series and month); the repeats are skipped: lines {lines_text}")
        for key, where in conflicts.items():
            self.warn(f"lines {_line_list(sorted(set(where)))}: different figures for '{key[1]}' {key[3]} "
                      f"{key[2]} in the release of {key[4]}; all of them skipped")
        kept = [(row, release) for key, row, release in out if key not in conflicts]
        return [row for row, _ in kept], [release for _, release in kept]


def _line_list(lines: list[int], limit: int = 12) -> str:
    text = ", ".join(str(n) for n in lines[:limit])
    return text + (f" … ({len(lines)} in all)" if len(lines) > limit else "")
