"""Reading one table of a GSO monthly workbook: its columns (measure, period, status, unit) and its rows (label,
VSIC code, unit, figures) into record rows.

Part of the workbook reader (:mod:`~vnindustry.sources.gso.workbook`, whose docstring tells how a workbook is read).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from vnindustry.periods import month_code, month_key, month_of, year_of
from vnindustry.sources.gso.grid import Block, Header, Sheet, cell_text, is_number
from vnindustry.sources.gso.headers import (
    Period,
    comparison_kind,
    derive_measure,
    normalise_header,
    parse_period,
    parse_status,
    split_comparison,
)
from vnindustry.sources.gso.labels import RowCoder, fold, is_ditto
from vnindustry.sources.gso.layouts import UNIT, Edition, WorkbookLayout, edition_for
from vnindustry.sources.gso.records import QUANTITY_PREFIX

_NO_FIGURE = frozenset({"-", "–", "—", "..", "...", "x", "X", "…"})
_FOOTNOTE = re.compile(r"^\(\s*\*+\s*\)\s*(.*)$")
# A quarter's or year's measure → the same figure as the year to date (Quý I in March, the year in December).
_AS_YTD = {"level": "level_ytd", "pct_same_period_last_year": "pct_ytd_last_year", "share_pct": "share_pct_ytd"}


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


class SheetReader:
    """Reads the records of one sheet with one layout family."""

    def __init__(self, sheet: Sheet, layout: WorkbookLayout, reference: int, notes: list[str],
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
    def _columns(self, block: Block) -> tuple[list[_Column], int | None]:
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

    def _unheaded_figures(self, block: Block, headers: dict[int, Header]) -> None:
        first = self.sheet.first_figure_column
        lost: dict[int, list[int]] = {}
        for r in block.data_rows:
            for c, value in self.sheet.rows.get(r, {}).items():
                if c >= first and c not in headers and is_number(value):
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
    def _rows(self, block: Block, columns: list[_Column], unit_column: int | None,
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
                    row_unit = cell_text(unit_cell)
                unit_above = row_unit
            note = footnotes.get("*") if "(*)" in label.replace(" ", "") else None
            row_records: list[tuple[object, ...]] = []
            for col, value in figures:
                cell = f"{col.letter}{r}"
                if not is_number(value):
                    if isinstance(value, dt.date | dt.time | dt.timedelta):
                        self.warn(f"{self.name}!{cell} holds the date or time {value} where a figure belongs (the "
                                  f"cell may have a date format); skipped")
                        continue
                    text = cell_text(value)
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

    def _footnotes(self, block: Block, label_columns: list[int]) -> dict[str, tuple[str | None, str | None]]:
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
