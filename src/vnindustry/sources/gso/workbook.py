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

The reader's parts: :mod:`~vnindustry.sources.gso.opening` opens the file and finds uncalculated formulas,
:mod:`~vnindustry.sources.gso.grid` recognises a sheet and scans its grid (steps 1–3, 5),
:mod:`~vnindustry.sources.gso.sheet_reader` reads one table's columns and rows (step 4, the values); this module
puts them together and checks the values.
"""

from __future__ import annotations

import math
from pathlib import Path

from vnindustry.errors import InputError
from vnindustry.periods import month_code, month_of, year_of
from vnindustry.sources.gso.grid import Sheet, identify, named_like, reference_month
from vnindustry.sources.gso.layouts import WORKBOOK_LAYOUTS, edition_for, layout_for
from vnindustry.sources.gso.opening import FIX_FILE, open_workbook, uncalculated_formulas
from vnindustry.sources.gso.records import QUANTITY_PREFIX, WorkbookImport, records_frame
from vnindustry.sources.gso.sheet_reader import SheetReader

__all__ = ["MAX_INDEX", "MAX_ITEM_INDEX", "MAX_LEVEL", "impossible", "read_workbook"]

MAX_INDEX = 10_000.0  # an aggregate's index (compared period = 100) above it is a typo, not a statistic
MAX_ITEM_INDEX = 100_000.0  # the same for one product or commodity, which can start from almost nothing
_ITEM_TABLES = frozenset({"products", "exports", "imports"})
MAX_LEVEL = 1e12  # a level (value or quantity) above it is a typo or a unit slip
_SHARE_SLACK = 0.05  # shares are printed rounded: 100.04 is 100


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
    book = open_workbook(path)
    notes: list[str] = []
    sheets: list[Sheet] = []
    ignored: list[str] = []
    for ws in book.worksheets:
        table, title = identify(ws)
        if table is None:
            named = named_like(ws.title)
            if named is not None:
                notes.append(f"sheet '{ws.title}' is named like the {named} table but its title "
                             f"'{title}' is not one the reader knows; skipped")
            ignored.append(ws.title)
            continue
        sheet = Sheet.scan(ws, table, title)
        if sheet.problem:
            notes.append(sheet.problem)
            continue
        sheets.append(sheet)
    if not sheets:
        known = ", ".join(sorted({layout.table for layout in WORKBOOK_LAYOUTS}))
        raise InputError(
            f"none of the known GSO tables ({known}) was found in this workbook"
            + (f" ({'; '.join(notes)})" if notes else ""),
            file=path, fix=FIX_FILE,
        )
    uncalculated_formulas(path, sheets, notes)
    reference = reference_month(sheets)
    if reference is None:
        raise InputError("cannot tell which month the workbook reports: no column header names a month",
                         file=path, location=f"sheets {', '.join(s.ws.title for s in sheets)}",
                         fix=FIX_FILE)
    rows: list[tuple[object, ...]] = []
    layouts: dict[str, str] = {}
    readers: list[SheetReader] = []
    for sheet in sheets:
        layout, covered = layout_for(sheet.table, year_of(reference))
        if not covered:
            notes.append(f"sheet '{sheet.ws.title}': no {sheet.table} layout is declared for "
                         f"{year_of(reference)}; read with the nearest one ({layout.key})")
        layouts[sheet.ws.title] = layout.key
        reader = SheetReader(sheet, layout, reference, notes, edition_for(month_of(reference)))
        rows.extend(reader.read())
        readers.append(reader)
    # What a table must print is checked over all its sheets: December's edition may print the months on one
    # sheet ("2.IIPthang") and the quarter and year on another ("2.IIPnam").
    for table in dict.fromkeys(reader.layout.table for reader in readers):
        group = [reader for reader in readers if reader.layout.table == table]
        group[0].check_expected(set().union(*(reader.printed for reader in group)), [r.name for r in group])
    if not rows:
        raise InputError("no figures could be read from the known tables" + (f": {'; '.join(notes)}"
                         if notes else ""), file=path, fix=FIX_FILE)
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
