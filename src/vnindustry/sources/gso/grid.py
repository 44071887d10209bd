"""The grid of one recognised sheet of a GSO monthly workbook: recognising a sheet by its title, its cells,
label and figure columns, header and data blocks, each column's header text and unit, and the month the workbook
reports.

Part of the workbook reader (:mod:`~vnindustry.sources.gso.workbook`, whose docstring tells how a workbook is read).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vnindustry.sources.gso.headers import normalise_header, parse_period, split_comparison
from vnindustry.sources.gso.labels import fold, is_ditto, normalise_label
from vnindustry.sources.gso.layouts import WORKBOOK_LAYOUTS

_NUMBERING = re.compile(r"^\s*\d+\s*[.)]\s*")
_CONTINUED = re.compile(r"\(?\s*tiep theo\s*\)?")
_BRACKETED_UNIT = re.compile(r"^\(([^()\d]{1,20})\)$")
_HEADER_WORDS = re.compile(r"so voi|thang|nam|quy|uoc|so bo|thuc hien|\d")


# --- recognising ------------------------------------------------------------------------------------------

def _title_text(ws: Worksheet) -> str:
    """The sheet title: the text of column A above the table (first rows), numbering stripped."""
    parts: list[str] = []
    for row in ws.iter_rows(min_row=1, max_row=4, max_col=1, values_only=True):
        value = row[0]
        if isinstance(value, str) and value.strip():
            parts.append(normalise_label(value))
        elif parts:
            break
    return _NUMBERING.sub("", " ".join(parts))


def _clean_title(title: str) -> str:
    return " ".join(_CONTINUED.sub(" ", fold(_NUMBERING.sub("", title))).split())


def identify(ws: Worksheet) -> tuple[str | None, str]:
    title = _title_text(ws)
    folded = _clean_title(title)
    for layout in WORKBOOK_LAYOUTS:
        if re.search(fold(layout.title), folded):
            return layout.table, title
    return None, title


def named_like(name: str) -> str | None:
    folded = fold(name)
    for layout in WORKBOOK_LAYOUTS:
        if any(re.search(fold(p), folded) for p in layout.sheet_names):
            return layout.table
    return None


# --- the grid of one sheet ---------------------------------------------------------------------------------

def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise_label(value)


@dataclass
class Header:
    """One column's header: its text (unit tokens removed), the cells it came from, its unit token."""

    column: int
    text: str
    cells: list[str]
    unit: str | None

    @property
    def where(self) -> str:
        return f"{self.cells[0]}:{self.cells[-1]}" if len(self.cells) > 1 else self.cells[0]


@dataclass
class Block:
    """A header block (rows) and the data rows under it."""

    header_rows: list[int]
    data_rows: list[int]
    unit_line: str | None = None


@dataclass
class Sheet:
    """A recognised sheet scanned into cells, label columns and header/data blocks."""

    ws: Worksheet
    table: str
    title: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    rows: dict[int, dict[int, object]] = field(default_factory=dict)  # the same cells by row
    filled: dict[tuple[int, int], object] = field(default_factory=dict)  # header cells under merges
    first_figure_column: int = 0
    blocks: list[Block] = field(default_factory=list)
    problem: str = ""

    @classmethod
    def scan(cls, ws: Worksheet, table: str, title: str) -> Sheet:
        sheet = cls(ws, table, title)
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            for c, value in enumerate(row, start=1):
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                sheet.cells[(r, c)] = value
                sheet.rows.setdefault(r, {})[c] = value
        for merged in ws.merged_cells.ranges:
            anchor = sheet.cells.get((merged.min_row, merged.min_col))
            if anchor is None:
                continue
            # Horizontal spans only: a header written once over two columns belongs to both; a vertical
            # span would only repeat the same words.
            for c in range(merged.min_col + 1, merged.max_col + 1):
                sheet.filled[(merged.min_row, c)] = anchor
        sheet._structure()
        return sheet

    def value(self, r: int, c: int) -> object:
        return self.cells.get((r, c))

    def label(self, r: int, label_columns: list[int]) -> tuple[str, int] | None:
        for c in label_columns:
            value = self.cells.get((r, c))
            if isinstance(value, str) and not is_ditto(value):
                return normalise_label(value), c
        return None

    def _data_row_start(self, r: int) -> int | None:
        """The column of the first number of row ``r`` if a text label stands left of it."""
        row = sorted(self.rows.get(r, {}).items())
        for i, (_, value) in enumerate(row):
            if is_number(value):
                return None  # figures with nothing left of them: a header row (years) or an unlabelled row
            if isinstance(value, str) and not is_ditto(value):
                # A label: the row is a data row if a number follows somewhere to the right.
                return next((c2 for c2, v2 in row[i + 1:] if is_number(v2)), None)
        return None

    def _structure(self) -> None:
        if not self.cells:
            self.problem = f"sheet '{self.ws.title}' ({self.table}) is empty; skipped"
            return
        max_row = max(self.rows)
        starts = {r: s for r in sorted(self.rows) if (s := self._data_row_start(r)) is not None}
        if not starts:
            self.problem = (f"sheet '{self.ws.title}' ({self.table}): no row with a label and figures; "
                            f"skipped")
            return
        self.first_figure_column = min(starts.values())
        first = min(starts)
        # The header starts at the first row with something right of column A (above it: the title).
        top = next((r for r in range(1, first) if any(c >= 2 for c in self.rows.get(r, {}))), first)
        blocks = [Block(list(range(top, first)), [])]
        r = first
        while r <= max_row:
            lead = self.cells.get((r, 1))
            if r not in starts and isinstance(lead, str) and self._repeats_title(lead):
                # A repeated title (page break): its header runs to the next data row.
                nxt = next((x for x in range(r + 1, max_row + 1) if x in starts), max_row + 1)
                blocks.append(Block([x for x in range(r + 1, nxt) if not self._title_only(x)], []))
                r = nxt
                continue
            blocks[-1].data_rows.append(r)
            r += 1
        for block in blocks:
            block.unit_line = self._unit_line(block)
        self.blocks = blocks

    def _repeats_title(self, text: str) -> bool:
        if "tiep theo" in fold(text):
            return True
        clean = _clean_title(text)
        return bool(clean) and clean == _clean_title(self.title)[: len(clean)] and len(clean) > 15

    def _title_only(self, r: int) -> bool:
        """A row with text in column A only (a subtitle inside a repeated header)."""
        return all(c == 1 for c in self.rows.get(r, {}))

    def _unit_line(self, block: Block) -> str | None:
        """A lone short cell on the top header row, at or right of every other header cell ("%",
        "Tỷ đồng", "Nghìn tấn; Triệu USD"): the sheet's unit, taken out of the header rows."""
        if len(block.header_rows) < 2:
            return None
        top = block.header_rows[0]
        row = self.rows.get(top, {})
        if len(row) != 1:
            return None
        ((c, value),) = row.items()
        text = cell_text(value)
        rightmost = max(c2 for r2 in block.header_rows for c2 in self.rows.get(r2, {}))
        if (c >= 2 and c >= rightmost and isinstance(value, str) and len(text) <= 40
                and not _HEADER_WORDS.search(fold(text))):
            block.header_rows.remove(top)
            return text
        return None

    def headers(self, block: Block) -> dict[int, Header]:
        out: dict[int, Header] = {}
        header_rows = set(block.header_rows)
        columns = sorted({c for r in header_rows for c in self.rows.get(r, {}) if c >= 2}
                         | {c for (r, c) in self.filled if r in header_rows and c >= 2})
        for c in columns:
            parts: list[str] = []
            cells: list[str] = []
            unit: str | None = None
            for r in block.header_rows:
                value = self.cells.get((r, c), self.filled.get((r, c)))
                if value is None:
                    continue
                text = cell_text(value)
                if not text:
                    continue
                cells.append(f"{get_column_letter(c)}{r}")
                if m := _BRACKETED_UNIT.match(text):
                    unit = m[1].strip()
                    continue
                parts.append(text)
            if parts or unit:
                out[c] = Header(c, " ".join(parts), cells, unit)
        return out


def reference_month(sheets: list[Sheet]) -> int | None:
    """The month the workbook reports: per sheet the latest month its headers name; then the most common
    of those (ties: the latest), or their median if all differ — one odd sheet cannot move it. A workbook of
    quarterly or annual sheets only reports the last month of its latest quarter or year."""
    latest: list[int] = []
    spans: list[int] = []
    for sheet in sheets:
        ends = []
        for block in sheet.blocks[:1]:
            for header in sheet.headers(block).values():
                subject, _ = split_comparison(normalise_header(fold(header.text)))
                period = parse_period(subject)
                if period is not None and period.kind in ("month", "ytd"):
                    ends.append(period.end)
                elif period is not None:
                    spans.append(period.end)
        if not ends:
            # Headers that print no year ("Ước tính tháng 12"): the title's month ("… tháng 12 năm 2025").
            period = parse_period(normalise_header(fold(sheet.title)))
            if period is not None and period.kind == "month":
                ends.append(period.end)
            elif period is not None:
                spans.append(period.end)
        if ends:
            latest.append(max(ends))
    if not latest:
        return max(spans) if spans else None
    counts = Counter(latest)
    best = max(counts.values())
    return max(k for k, n in counts.items() if n == best) if best > 1 else statistics.median_high(latest)

