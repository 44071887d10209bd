"""Read GSO's monthly workbook ("Biểu số liệu tháng") into tidy records.

How a sheet is read (nothing depends on fixed rows or columns):

1. The sheet is recognised by its title, else its name (:mod:`~vnindustry.sources.gso.layouts`).
2. Data rows are rows with a text label left of their first number; the leftmost column holding such a
   number starts the figures, the columns before it hold labels (and the unit column, found by its
   header "Đơn vị tính").
3. The rows between the title and the first data row are the header. A lone cell at its top right
   ("%", "Tỷ đồng", "Nghìn tấn; Triệu USD") is the sheet's unit; a header cell in brackets
   ("(Tỷ đồng)", "(%)") is its column's unit. Merged header cells count for every column they span.
4. Each column's header text gives its measure (the family's patterns), period and status
   (:mod:`~vnindustry.sources.gso.headers`). A column without a status word takes the status of the
   column with a status word for the same period in the same table (a comparison is as final as the
   figure it compares); if there is none, it is an ``estimate`` when it covers the reference month
   (GSO's figures for the month it reports are first estimates) and ``preliminary`` when it covers an
   earlier month (revised once since, not yet final) — never ``actual`` without the word.
5. A title repeated further down ("(Tiếp theo)", a page break) starts a new header block.

Headers are read through :func:`~vnindustry.sources.gso.headers.normalise_header` (GSO's typos and spelling
variants) and a period printed without its year is placed by the reference month. A comparison no pattern names
is known by the period it compares with ("Tháng 12 năm 2025 so với tháng 12 năm 2024": on the same month last
year). Quarterly and annual columns (quarter-end and December editions) give records of period ``YYYY-Qn`` and
``YYYY``; the edition (:data:`~vnindustry.sources.gso.layouts.EDITIONS`) says what it must print besides the month
and which quarter or year is also the reference month's year to date. A column about a period after the reference
month is reported and skipped (a typo: no edition publishes the future). The same figure printed on two sheets
with the same value (December's monthly and annual sheets) is read once.

Values are the cells' values (cached results for formulas), as float, never rounded. Text where a
number belongs is reported, except the dashes GSO prints for "no figure" ("-", "–", "..", "x").

Every cell the reader cannot read is a warning naming ``sheet!cell`` (issue 12: an uncalculated formula and a
merged cell were dropped without a word): a formula with no cached value (the workbook was saved by a program
that does not calculate — open it in Excel or LibreOffice and save it again), a merged range over figure cells
(only its top-left cell holds a value), text or a date where a figure belongs.

Impossible values refuse the whole workbook (:class:`~vnindustry.errors.InputError` naming every cell; nothing is
stored): a figure that is not finite, a negative level, quantity or index, an index (GSO's form: the compared
period = 100) above :data:`MAX_INDEX` for the aggregates (IIP, labour, retail: a 100-fold change of a whole
industry is a typo or a unit slip, not a statistic) or above :data:`MAX_ITEM_INDEX` for single products and
commodities (GSO's own history holds a product at 16,998 — a line that started from almost nothing), a change
below −100% or above the index bound − 100, a share outside 0–100%, and a level above :data:`MAX_LEVEL` (the
largest monthly figure a GSO table prints is about 10⁶: retail sales in billion đồng).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
import warnings as _warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from vnindustry.errors import InputError
from vnindustry.periods import month_code, month_key, month_of, year_of
from vnindustry.sources.gso.headers import (
    Period,
    comparison_kind,
    derive_measure,
    normalise_header,
    parse_period,
    parse_status,
    split_comparison,
)
from vnindustry.sources.gso.labels import RowCoder, fold, is_ditto, normalise_label
from vnindustry.sources.gso.layouts import UNIT, WORKBOOK_LAYOUTS, Edition, WorkbookLayout, edition_for, layout_for
from vnindustry.sources.gso.records import QUANTITY_PREFIX, WorkbookImport, records_frame

__all__ = ["MAX_INDEX", "MAX_ITEM_INDEX", "MAX_LEVEL", "impossible", "read_workbook"]

MAX_INDEX = 10_000.0  # an aggregate's index (compared period = 100) above it is a typo, not a statistic
MAX_ITEM_INDEX = 100_000.0  # the same for one product or commodity, which can start from almost nothing
_ITEM_TABLES = frozenset({"products", "exports", "imports"})
MAX_LEVEL = 1e12  # a level (value or quantity) above it is a typo or a unit slip
_SHARE_SLACK = 0.05  # shares are printed rounded: 100.04 is 100

_FIX_FILE = "give the monthly statistics workbook (Biểu số liệu tháng) as published by GSO, saved as .xlsx"
_NO_FIGURE = frozenset({"-", "–", "—", "..", "...", "x", "X", "…"})
_NUMBERING = re.compile(r"^\s*\d+\s*[.)]\s*")
_CONTINUED = re.compile(r"\(?\s*tiep theo\s*\)?")
_BRACKETED_UNIT = re.compile(r"^\(([^()\d]{1,20})\)$")
_HEADER_WORDS = re.compile(r"so voi|thang|nam|quy|uoc|so bo|thuc hien|\d")
_FOOTNOTE = re.compile(r"^\(\s*\*+\s*\)\s*(.*)$")
# A quarter's or year's measure → the same figure as the year to date (Quý I in March, the year in December).
_AS_YTD = {"level": "level_ytd", "pct_same_period_last_year": "pct_ytd_last_year", "share_pct": "share_pct_ytd"}


def read_workbook(path: str | Path) -> WorkbookImport:
    """Read the known tables of one GSO monthly workbook.

    Args:
        path: the ``.xlsx`` file.

    Returns:
        The records (one per figure, with sheet and cell), the warnings (what was skipped and where),
        the month the workbook reports, and which layout read which sheet.

    Raises:
        InputError: the file is missing or not an xlsx workbook, holds none of the known tables, or
            none of them could be read.
    """
    path = Path(path)
    book = _open(path)
    notes: list[str] = []
    sheets: list[_Sheet] = []
    ignored: list[str] = []
    for ws in book.worksheets:
        table, title = _identify(ws)
        if table is None:
            named = _named_like(ws.title)
            if named is not None:
                notes.append(f"sheet '{ws.title}' is named like the {named} table but its title "
                             f"'{title}' is not one the reader knows; skipped")
            ignored.append(ws.title)
            continue
        sheet = _Sheet.scan(ws, table, title)
        if sheet.problem:
            notes.append(sheet.problem)
            continue
        sheets.append(sheet)
    if not sheets:
        known = ", ".join(sorted({layout.table for layout in WORKBOOK_LAYOUTS}))
        raise InputError(
            f"none of the known GSO tables ({known}) was found in this workbook"
            + (f" ({'; '.join(notes)})" if notes else ""),
            file=path, fix=_FIX_FILE,
        )
    _uncalculated_formulas(path, sheets, notes)
    reference = _reference_month(sheets)
    if reference is None:
        raise InputError("cannot tell which month the workbook reports: no column header names a month",
                         file=path, location=f"sheets {', '.join(s.ws.title for s in sheets)}",
                         fix=_FIX_FILE)
    rows: list[tuple[object, ...]] = []
    layouts: dict[str, str] = {}
    readers: list[_Reader] = []
    for sheet in sheets:
        layout, covered = layout_for(sheet.table, year_of(reference))
        if not covered:
            notes.append(f"sheet '{sheet.ws.title}': no {sheet.table} layout is declared for "
                         f"{year_of(reference)}; read with the nearest one ({layout.key})")
        layouts[sheet.ws.title] = layout.key
        reader = _Reader(sheet, layout, reference, notes, edition_for(month_of(reference)))
        rows.extend(reader.read())
        readers.append(reader)
    # What a table must print is checked over all its sheets: December's edition may print the months on one
    # sheet ("2.IIPthang") and the quarter and year on another ("2.IIPnam").
    for table in dict.fromkeys(reader.layout.table for reader in readers):
        group = [reader for reader in readers if reader.layout.table == table]
        group[0].check_expected(set().union(*(reader.printed for reader in group)), [r.name for r in group])
    if not rows:
        raise InputError("no figures could be read from the known tables" + (f": {'; '.join(notes)}"
                         if notes else ""), file=path, fix=_FIX_FILE)
    bad = [f"{row[8]}!{row[9]} ({row[5]} {row[6]!r}: {why})" for row in rows
           if (why := impossible(str(row[5]), float(row[6]), str(row[0]))) is not None]  # type: ignore[arg-type]
    if bad:
        shown = "; ".join(bad[:20]) + (f"; … and {len(bad) - 20} more" if len(bad) > 20 else "")
        raise InputError(f"{len(bad)} impossible value{'s' if len(bad) > 1 else ''}: {shown}", file=path,
                         location=bad[0].split(" ", 1)[0],
                         fix="correct the cells named (a unit slip, a sign, a typed-over formula) and import the "
                             "workbook again; nothing was stored")
    rows = _drop_duplicates(rows, notes)
    # Each warning names the file, then the sheet and cells: a folder of workbooks is imported in one go.
    notes = [f"{path.name}: {note}" for note in notes]
    return WorkbookImport(records_frame(rows), notes, month_code(reference), path, layouts, ignored)


def impossible(measure: str, value: float, table: str = "iip") -> str | None:
    """Why ``value`` cannot be a figure of ``measure`` (a :data:`~vnindustry.sources.gso.records.MEASURES` name,
    ``qty_``-prefixed or not) in ``table``, or None. The bounds are documented in the module docstring."""
    if not math.isfinite(value):
        return "not a finite number"
    top = MAX_ITEM_INDEX if table in _ITEM_TABLES else MAX_INDEX
    base = measure.removeprefix(QUANTITY_PREFIX)
    if base.startswith("share_"):
        if not -_SHARE_SLACK <= value <= 100 + _SHARE_SLACK:
            return "a share outside 0–100%"
    elif base.startswith("pct_change_"):
        if not -100 <= value <= top - 100:
            return f"a change outside −100% to +{top - 100:,.0f}%"
    elif base.startswith("pct_"):
        if value < 0:
            return "a negative index (the compared period = 100)"
        if value > top:
            return f"an index above {top:,.0f} (the compared period = 100)"
    elif value < 0:
        return "a negative level"
    elif value > MAX_LEVEL:
        return f"a level above {MAX_LEVEL:g}"
    return None


# --- opening and recognising ------------------------------------------------------------------------------

def _open(path: Path) -> Workbook:
    if not path.exists():
        raise InputError("file not found", file=path, fix=f"expected a GSO workbook (.xlsx) at {path}")
    if path.is_dir():
        raise InputError("is a folder, not a workbook", file=path, fix=_FIX_FILE)
    try:
        with _warnings.catch_warnings():
            # openpyxl warns about data validation and styles it drops; irrelevant for reading values.
            _warnings.simplefilter("ignore")
            return load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        hint = " (the old binary .xls format)" if path.suffix.lower() == ".xls" else ""
        raise InputError(
            f"not an Excel .xlsx workbook{hint}: {type(exc).__name__}: {exc}",
            file=path,
            fix="open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'",
        ) from None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its XML part in the archive (from xl/workbook.xml and its relationships)."""
    from xml.etree import ElementTree

    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        out[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


def _uncalculated_formulas(path: Path, sheets: list[_Sheet], notes: list[str]) -> None:
    """Warn for each cell of a recognised sheet holding a formula without a cached value: openpyxl reads such a
    cell as empty, so its figure would vanish without a word (the workbook was saved by a program that does not
    calculate, or edited by one)."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            for sheet in sheets:
                part = parts.get(sheet.ws.title)
                if part is None or part not in archive.namelist():
                    continue
                with archive.open(part) as source:
                    for _, element in ElementTree.iterparse(source):
                        if element.tag != f"{_MAIN}c":
                            continue
                        formula = element.find(f"{_MAIN}f")
                        if formula is not None and not (element.findtext(f"{_MAIN}v") or "").strip():
                            shown = f" (={formula.text})" if formula.text else ""
                            notes.append(f"sheet '{sheet.ws.title}' ({sheet.table}): {sheet.ws.title}!"
                                         f"{element.get('r', '?')} holds a formula{shown} with no calculated value; "
                                         f"skipped — open the workbook in Excel or LibreOffice, let it calculate, "
                                         f"save it and import it again")
                        element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        notes.append(f"the formulas could not be checked for calculated values ({type(exc).__name__}: {exc})")


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


def _identify(ws: Worksheet) -> tuple[str | None, str]:
    title = _title_text(ws)
    folded = _clean_title(title)
    for layout in WORKBOOK_LAYOUTS:
        if re.search(fold(layout.title), folded):
            return layout.table, title
    return None, title


def _named_like(name: str) -> str | None:
    folded = fold(name)
    for layout in WORKBOOK_LAYOUTS:
        if any(re.search(fold(p), folded) for p in layout.sheet_names):
            return layout.table
    return None


# --- the grid of one sheet ---------------------------------------------------------------------------------

def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise_label(value)


@dataclass
class _Header:
    """One column's header: its text (unit tokens removed), the cells it came from, its unit token."""

    column: int
    text: str
    cells: list[str]
    unit: str | None

    @property
    def where(self) -> str:
        return f"{self.cells[0]}:{self.cells[-1]}" if len(self.cells) > 1 else self.cells[0]


@dataclass
class _Block:
    """A header block (rows) and the data rows under it."""

    header_rows: list[int]
    data_rows: list[int]
    unit_line: str | None = None


@dataclass
class _Sheet:
    """A recognised sheet scanned into cells, label columns and header/data blocks."""

    ws: Worksheet
    table: str
    title: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    rows: dict[int, dict[int, object]] = field(default_factory=dict)  # the same cells by row
    filled: dict[tuple[int, int], object] = field(default_factory=dict)  # header cells under merges
    first_figure_column: int = 0
    blocks: list[_Block] = field(default_factory=list)
    problem: str = ""

    @classmethod
    def scan(cls, ws: Worksheet, table: str, title: str) -> _Sheet:
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
            if _is_number(value):
                return None  # figures with nothing left of them: a header row (years) or an unlabelled row
            if isinstance(value, str) and not is_ditto(value):
                # A label: the row is a data row if a number follows somewhere to the right.
                return next((c2 for c2, v2 in row[i + 1:] if _is_number(v2)), None)
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
        blocks = [_Block(list(range(top, first)), [])]
        r = first
        while r <= max_row:
            lead = self.cells.get((r, 1))
            if r not in starts and isinstance(lead, str) and self._repeats_title(lead):
                # A repeated title (page break): its header runs to the next data row.
                nxt = next((x for x in range(r + 1, max_row + 1) if x in starts), max_row + 1)
                blocks.append(_Block([x for x in range(r + 1, nxt) if not self._title_only(x)], []))
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

    def _unit_line(self, block: _Block) -> str | None:
        """A lone short cell on the top header row, at or right of every other header cell ("%",
        "Tỷ đồng", "Nghìn tấn; Triệu USD"): the sheet's unit, taken out of the header rows."""
        if len(block.header_rows) < 2:
            return None
        top = block.header_rows[0]
        row = self.rows.get(top, {})
        if len(row) != 1:
            return None
        ((c, value),) = row.items()
        text = _text(value)
        rightmost = max(c2 for r2 in block.header_rows for c2 in self.rows.get(r2, {}))
        if (c >= 2 and c >= rightmost and isinstance(value, str) and len(text) <= 40
                and not _HEADER_WORDS.search(fold(text))):
            block.header_rows.remove(top)
            return text
        return None

    def headers(self, block: _Block) -> dict[int, _Header]:
        out: dict[int, _Header] = {}
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
                text = _text(value)
                if not text:
                    continue
                cells.append(f"{get_column_letter(c)}{r}")
                if m := _BRACKETED_UNIT.match(text):
                    unit = m[1].strip()
                    continue
                parts.append(text)
            if parts or unit:
                out[c] = _Header(c, " ".join(parts), cells, unit)
        return out


def _reference_month(sheets: list[_Sheet]) -> int | None:
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


# --- reading one table ----------------------------------------------------------------------------------

@dataclass
class _Column:
    column: int
    letter: str
    measure: str
    period: Period
    status: str | None
    quantity: bool
    unit: str | None
    where: str


class _Reader:
    """Reads the records of one sheet with one layout family."""

    def __init__(self, sheet: _Sheet, layout: WorkbookLayout, reference: int, notes: list[str],
                 edition: Edition | None = None) -> None:
        self.sheet = sheet
        self.layout = layout
        self.reference = reference
        self.notes = notes
        self.edition = edition or edition_for(month_of(reference))
        self.printed: set[tuple[str, str]] = set()  # (measure, period) of every column read
        self.name = sheet.ws.title
        self.coder = RowCoder(layout.table, layout.codes)

    def warn(self, message: str) -> None:
        self.notes.append(f"sheet '{self.name}' ({self.layout.table}): {message}")

    def _merged_figures(self) -> None:
        """Warn for each merged range over figure cells of a data row: only its top-left cell holds a value, the
        others read as empty (their figures, if the merge hid any, are lost)."""
        data_rows = {r for block in self.sheet.blocks for r in block.data_rows}
        first = self.sheet.first_figure_column
        for merged in sorted(self.sheet.ws.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col)):
            if merged.max_col < first or not any(r in data_rows for r in range(merged.min_row, merged.max_row + 1)):
                continue
            anchor = f"{get_column_letter(merged.min_col)}{merged.min_row}"
            self.warn(f"merged range {self.name}!{merged.coord} covers figure cells: only {self.name}!{anchor} is "
                      f"read, the other cells of the range are empty — unmerge it and type each figure in its cell")

    def read(self) -> list[tuple[object, ...]]:
        self._merged_figures()
        rows: list[tuple[object, ...]] = []
        sheet_unit: str | None = None
        for block in self.sheet.blocks:
            sheet_unit = block.unit_line or sheet_unit
            columns, unit_column = self._columns(block)
            if not columns:
                rows_text = f"{block.header_rows[0]}–{block.header_rows[-1]}" if block.header_rows else "(none)"
                self.warn(f"no column header understood in header rows {rows_text}; "
                          f"{len(block.data_rows)} row(s) skipped")
                continue
            self.printed |= {(c.measure, c.period.code) for c in columns}
            rows.extend(self._rows(block, columns, unit_column, sheet_unit))
        return rows

    # -- columns ------------------------------------------------------------------------------------------
    def _columns(self, block: _Block) -> tuple[list[_Column], int | None]:
        headers = self.sheet.headers(block)
        first = self.sheet.first_figure_column
        unit_column: int | None = None
        columns: list[_Column] = []
        for c, header in sorted(headers.items()):
            folded = normalise_header(fold(header.text))
            rule = next((rule for rule in self.layout.columns if rule.regex.search(folded)), None)
            if rule is not None and rule.kind == UNIT.kind:
                unit_column = c
                continue
            if c < first:
                continue  # a header over the label columns (e.g. "Ngành")
            where = f"{self.name}!{header.where}"
            subject, comparison = split_comparison(folded)
            period = parse_period(subject, self.reference)
            kind = rule.kind if rule is not None else None
            if kind is None and period is not None:
                # "Tháng 12 năm 2025 so với tháng 12 năm 2024": the compared period says which comparison it is.
                kind = comparison_kind(period, comparison, self.reference)
            if kind is None:
                self.warn(f"column {get_column_letter(c)} header '{header.text}' ({where}) is not one the "
                          f"{self.layout.key} layout knows; column skipped")
                continue
            if period is None:
                self.warn(f"column {get_column_letter(c)} header '{header.text}' ({where}) names no period "
                          f"(month, 'N tháng', quarter or year); column skipped")
                continue
            if period.end > self.reference:
                self.warn(f"column {get_column_letter(c)} header '{header.text}' ({where}) names {period.code}, "
                          f"after the month the workbook reports ({month_code(self.reference)}); column skipped")
                continue
            quantity = False
            if self.layout.quantity_value:
                if folded.endswith("luong"):
                    quantity = True
                elif not folded.endswith("tri gia"):
                    self.warn(f"column {get_column_letter(c)} header '{header.text}' ({where}) says neither "
                              f"'Lượng' nor 'Trị giá'; column skipped")
                    continue
            measure = derive_measure(kind, period.kind)
            if measure is None:
                self.warn(f"column {get_column_letter(c)} header '{header.text}' ({where}): a {kind} "
                          f"comparison for a {period.kind} period is not understood; column skipped")
                continue
            if quantity:
                measure = QUANTITY_PREFIX + measure
            columns.append(_Column(c, get_column_letter(c), measure, period, parse_status(subject), quantity,
                                   header.unit, where))
        self._unheaded_figures(block, headers)
        columns = self._unique(columns)
        self._fill_status(columns)
        return columns + self._year_to_date(columns), unit_column

    def _year_to_date(self, columns: list[_Column]) -> list[_Column]:
        """The edition's quarter or year column that spans January to the reference month, read once more as the
        reference month's year to date where the sheet prints no "N tháng" column for that measure."""
        span = self.edition.ytd_span
        have = {(c.measure, c.period.code) for c in columns}
        ytd = Period(month_code(self.reference), "ytd", self.reference)
        start = month_key(year_of(self.reference), 1)
        out = []
        for col in columns:
            months = 3 if col.period.kind == "quarter" else 12
            if col.period.kind != span or col.period.end != self.reference or col.period.end - months + 1 != start:
                continue
            base = col.measure.removeprefix(QUANTITY_PREFIX)
            if base not in _AS_YTD:
                continue
            measure = (QUANTITY_PREFIX if col.quantity else "") + _AS_YTD[base]
            if (measure, ytd.code) not in have:
                have.add((measure, ytd.code))
                out.append(_Column(col.column, col.letter, measure, ytd, col.status, col.quantity, col.unit,
                                   col.where))
        return out

    def _unheaded_figures(self, block: _Block, headers: dict[int, _Header]) -> None:
        first = self.sheet.first_figure_column
        lost: dict[int, list[int]] = {}
        for r in block.data_rows:
            for c, value in self.sheet.rows.get(r, {}).items():
                if c >= first and c not in headers and _is_number(value):
                    lost.setdefault(c, []).append(r)
        for c, rows in sorted(lost.items()):
            letter = get_column_letter(c)
            span = f"{letter}{rows[0]}" + (f"…{letter}{rows[-1]}" if len(rows) > 1 else "")
            self.warn(f"column {letter} has figures ({span}) but no header; column skipped")

    def _unique(self, columns: list[_Column]) -> list[_Column]:
        seen: dict[tuple[str, str], _Column] = {}
        out = []
        for col in columns:
            key = (col.measure, col.period.code)
            if key in seen:
                self.warn(f"columns {seen[key].letter} and {col.letter} ({col.where}) both hold {col.measure} "
                          f"for {col.period.code}; column {col.letter} skipped")
                continue
            seen[key] = col
            out.append(col)
        return out

    def _fill_status(self, columns: list[_Column]) -> None:
        printed = {(c.period.code, c.period.kind): c.status for c in columns if c.status is not None}
        for col in columns:
            if col.status is not None:
                continue
            inherited = printed.get((col.period.code, col.period.kind))
            if inherited is not None:
                col.status = inherited
            else:
                col.status = "estimate" if col.period.end >= self.reference else "preliminary"

    def check_expected(self, have: set[tuple[str, str]], names: list[str]) -> None:
        """Warn for each measure the layout family or the edition prints that no sheet of the table (``names``,
        whose columns are ``have``) holds: a changed layout never passes silently."""
        year = year_of(self.reference)
        periods = {"M": month_code(self.reference), "M-1": month_code(self.reference - 1),
                   "Q": f"{year}-Q{(month_of(self.reference) + 2) // 3}", "Y": str(year)}
        span = {"quarter": "Q", "year": "Y"}.get(self.edition.ytd_span or "")
        for measure, when in (*self.layout.expects, *self.edition.expected(self.layout.table)):
            if month_of(self.reference) == 1 and "ytd" in measure:
                continue  # in January the year to date is the month: GSO prints the month only
            if when == "M" and measure in self.edition.moved and span and (measure, periods[span]) in have:
                continue  # printed for the edition's quarter or year instead (December's retail structure)
            if (measure, periods[when]) not in have:
                printer = f"{self.layout.key} layout" if (measure, when) in self.layout.expects else \
                    f"{self.edition.key} edition of the {self.layout.table} table"
                where = ", ".join(f"'{name}'" for name in names)
                self.notes.append(f"sheet{'s' if len(names) > 1 else ''} {where} ({self.layout.table}): no column "
                                  f"for {measure} of {periods[when]}, which the {printer} prints — has the layout "
                                  f"changed?")

    # -- rows ---------------------------------------------------------------------------------------------
    def _rows(self, block: _Block, columns: list[_Column], unit_column: int | None,
              sheet_unit: str | None) -> list[tuple[object, ...]]:
        sheet = self.sheet
        label_columns = [c for c in range(1, sheet.first_figure_column) if c != unit_column]
        qty_unit, value_unit = _split_units(sheet_unit)
        footnotes = self._footnotes(block, label_columns)
        section_patterns = [re.compile(fold(p)) for p in self.layout.sections]
        self.coder.start_block()
        out: list[tuple[object, ...]] = []
        unit_above: str | None = None
        unit_warned = False
        for r in block.data_rows:
            found = sheet.label(r, label_columns)
            label, label_col = found if found else ("", 0)
            figures = [(col, sheet.value(r, col.column)) for col in columns
                       if sheet.value(r, col.column) is not None]
            unit_cell = sheet.value(r, unit_column) if unit_column else None
            if not figures:
                # (Numbers outside the understood columns were reported per column.)
                if label:
                    self._label_only(r, label, label_col, section_patterns)
                continue
            if not label:
                cells = ", ".join(f"{col.letter}{r}" for col, _ in figures)
                self.warn(f"row {r} has figures ({cells}) but no label; row skipped")
                continue
            code = self.coder.code(label)
            if code is None:
                self.warn(f"row {r} '{label}' ({self.name}!{get_column_letter(label_col)}{r}) is not a VSIC "
                          f"industry name the reader knows; code left empty")
                code = ""
            row_unit: str | None = None
            if unit_column is not None:
                coord = f"{self.name}!{get_column_letter(unit_column)}{r}"
                if unit_cell is None:
                    self.warn(f"row {r} '{label}' has no unit ({coord})")
                elif is_ditto(unit_cell):
                    if unit_above is None:
                        self.warn(f"row {r} '{label}': ditto mark with no unit above ({coord})")
                    row_unit = unit_above
                else:
                    row_unit = _text(unit_cell)
                unit_above = row_unit
            note = footnotes.get("*") if "(*)" in label.replace(" ", "") else None
            row_records: list[tuple[object, ...]] = []
            for col, value in figures:
                cell = f"{col.letter}{r}"
                if not _is_number(value):
                    if isinstance(value, dt.date | dt.time | dt.timedelta):
                        self.warn(f"{self.name}!{cell} holds the date or time {value} where a figure belongs (the "
                                  f"cell may have a date format); skipped")
                        continue
                    text = _text(value)
                    if text not in _NO_FIGURE:
                        self.warn(f"'{text}' at {self.name}!{cell} is not a number; skipped")
                    continue
                unit = self._unit(col, row_unit, note, qty_unit, value_unit, sheet_unit)
                if unit is None:
                    if not unit_warned:
                        self.warn(f"no unit for {col.measure} at {self.name}!{cell} (and any like it); unit "
                                  f"left empty")
                        unit_warned = True
                    unit = ""
                row_records.append((self.layout.table, label, code, unit, col.period.code, col.measure,
                                    float(value), col.status, self.name, cell))
            # Values before quantities: a series' first record gives the store its unit, and a trade
            # series is first of all a value (quantities have their own qty_* measures and units).
            out.extend(sorted(row_records, key=lambda rec: str(rec[5]).startswith(QUANTITY_PREFIX)))
        return out

    def _label_only(self, r: int, label: str, label_col: int, sections: list[re.Pattern[str]]) -> None:
        folded = fold(label)
        if any(p.search(folded) for p in sections):
            self.coder.start_commodities()
            return
        if _FOOTNOTE.match(label) or folded.startswith(("ghi chu", "nguon", "(*)")):
            return  # footnotes (read ahead for units)
        coord = f"{self.name}!{get_column_letter(label_col)}{r}"
        self.warn(f"row {r} '{label}' ({coord}) has no figures; skipped")

    def _footnotes(self, block: _Block, label_columns: list[int]) -> dict[str, tuple[str | None, str | None]]:
        """"(*)Chiếc, triệu USD": the units of the rows marked (*)."""
        out: dict[str, tuple[str | None, str | None]] = {}
        for r in block.data_rows:
            found = self.sheet.label(r, label_columns)
            if found and (m := _FOOTNOTE.match(found[0])):
                # Capitalised like the sheet's own unit line ("triệu USD" → "Triệu USD").
                parts = [p.strip()[:1].upper() + p.strip()[1:] for p in re.split(r"[,;]", m[1]) if p.strip()]
                if self.layout.quantity_value and len(parts) == 2:
                    out["*"] = (parts[0], parts[1])
                elif len(parts) == 1:
                    out["*"] = (None, parts[0])
        return out

    def _unit(self, col: _Column, row_unit: str | None, note: tuple[str | None, str | None] | None,
              qty_unit: str | None, value_unit: str | None, sheet_unit: str | None) -> str | None:
        base = col.measure.removeprefix(QUANTITY_PREFIX)
        if base.startswith(("pct_", "share_")):
            return "%"
        if col.unit:
            return col.unit
        if row_unit:
            return row_unit
        if self.layout.quantity_value:
            if note is not None:
                return note[0] if col.quantity else note[1]
            return qty_unit if col.quantity else value_unit
        return self.layout.unit or sheet_unit


def _split_units(text: str | None) -> tuple[str | None, str | None]:
    """"Nghìn tấn; Triệu USD" → ("Nghìn tấn", "Triệu USD") (quantity, value); one unit → (None, it)."""
    if not text:
        return None, None
    parts = [p.strip() for p in text.split(";") if p.strip()]
    if len(parts) == 2:
        return parts[0], parts[1]
    return None, text


def _drop_duplicates(rows: list[tuple[object, ...]], notes: list[str]) -> list[tuple[object, ...]]:
    """One figure per (table, code or series, period, measure): the store keys series by table and code. The same
    figure printed twice with the same value (December's monthly and annual IIP sheets both print December's
    change) is kept once without a word; with another value the later one is reported and skipped."""
    seen: dict[tuple[object, ...], tuple[object, ...]] = {}
    out = []
    for row in rows:
        table, series, code, _unit, period, measure = row[:6]
        key = (table, code or series, period, measure)
        if key in seen:
            first = seen[key]
            if first[6] == row[6] and first[8] != row[8]:
                continue
            notes.append(f"sheet '{row[8]}' ({table}): '{series}' {measure} {period} at {row[9]} repeats the "
                         f"series of {first[8]}!{first[9]} (same code '{code}'); the later one skipped")
            continue
        seen[key] = row
        out.append(row)
    return out
