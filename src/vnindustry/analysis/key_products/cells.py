"""Reading the cells of a filled-in criteria or weights file: typed numbers and fractions, a sheet read as values
and as formulas, the workbook's sheets, a criterion named by a column header.

Every problem is an :class:`~vnindustry.errors.InputError` naming the file, the sheet and cell (or the CSV line and
column) and what to do. Part of the key-products files (:mod:`~vnindustry.analysis.key_products.workbook`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from vnindustry.errors import InputError

from .criteria import BY_CODE, CRITERIA
from .layout import sheet_cell

_FRACTION = re.compile(r"^=?\s*(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+(?:[.,]\d+)?))?\s*$")


# ---------------------------------------------------------------- reading cells

def parse_judgment(text: str) -> float | None:
    """A typed number or fraction: "3", "0,5", "1/3", "=1/3" → float; None if it is none of these."""
    m = _FRACTION.match(text.strip())
    if not m:
        return None
    num = float(m.group(1).replace(",", "."))
    den = float(m.group(2).replace(",", ".")) if m.group(2) else 1.0
    return num / den if den else None


def _number(value: Any, formula: Any, where: str, file: Path, fix: str) -> float | None:
    """The number in a cell (None if blank), from its value or a simple formula such as =1/3."""
    if isinstance(value, bool):
        raise InputError(f"{value} is not a number", file=file, location=where, fix=fix)
    if isinstance(value, int | float):
        return float(value)
    if value is None and isinstance(formula, str) and formula.startswith("="):
        # A file saved by openpyxl (not Excel) has formulas without computed values; evaluate a plain ratio.
        parsed = parse_judgment(formula)
        if parsed is None:
            raise InputError(f"the formula {formula} has no computed value", file=file, location=where,
                             fix="open and save the file in Excel, or type the number")
        return parsed
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        parsed = parse_judgment(value)
        if parsed is not None:
            return parsed
    raise InputError(f"'{value}' is not a number", file=file, location=where, fix=fix)


class Sheet:
    """A sheet read twice: values (as Excel last computed them) and formulas."""

    def __init__(self, values: Worksheet, formulas: Worksheet, file: Path) -> None:
        self.values, self.formulas, self.file, self.name = values, formulas, file, values.title

    def raw(self, row: int, col: int) -> Any:
        return self.values.cell(row, col).value

    def text(self, row: int, col: int) -> str:
        value = self.raw(row, col)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    def number(self, row: int, col: int, fix: str, *, computed: bool = False) -> float | None:
        """The cell's number or None if blank; ``computed``: a formula Excel has not evaluated is None too."""
        formula = self.formulas.cell(row, col).value
        if computed and self.raw(row, col) is None and isinstance(formula, str) and formula.startswith("="):
            return None  # the template's reciprocal formula, in a file saved without computed values
        return _number(self.raw(row, col), formula, sheet_cell(self.name, row, col), self.file, fix)


def open_books(path: Path) -> tuple[Any, Any]:
    if not path.is_file():
        raise InputError("file not found", file=path, fix=f"expected it at {path}")
    try:
        return load_workbook(path, data_only=True), load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(f"cannot read it as an Excel workbook ({type(exc).__name__})", file=path,
                         fix="save it as .xlsx (Excel Workbook)") from None


def find_sheet(books: tuple[Any, Any], name: str, path: Path, required: bool = True) -> Sheet | None:
    values, formulas = books
    if name not in values.sheetnames:
        if not required:
            return None
        raise InputError(f"no sheet '{name}' (found: {', '.join(values.sheetnames)})", file=path,
                         fix="use the layout of 'vnindustry products template'")
    return Sheet(values[name], formulas[name], path)


def criterion_from_header(code: str, where: str, file: Path, name: str = "") -> str | None:
    if code in BY_CODE:
        return code
    if not code:
        for c in CRITERIA:  # no code (row 1 cleared): accept the Vietnamese or English name
            if name and name.casefold() in (c.name_vi.casefold(), c.name_en.casefold()):
                return c.code
    if not code and not name:
        return None
    raise InputError(f"unknown criterion '{code or name}'", file=file, location=where,
                     fix=f"use one of {', '.join(BY_CODE)} (the template's row 1)")
