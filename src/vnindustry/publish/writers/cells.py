"""A table cell as the reader sees it, from its raw value and its column's display format.

Every writer shows the same figure for the same cell: rounding happens here (half up, as statistical
tables do) and the separators come from the bulletin's language (vi: "3,4", "120.000"; en: "3.4").
The XLSX writer stores the raw value and uses :func:`excel_number_format` instead.
"""

from __future__ import annotations

import math
from numbers import Real

from vnindustry.publish.document import CellFormat, Table, Withheld
from vnindustry.publish.numbers import format_number, round_half_up

# Decimals shown for each numeric format; TEXT is absent (not a number).
DECIMALS: dict[CellFormat, int] = {
    CellFormat.NUMBER0: 0,
    CellFormat.NUMBER1: 1,
    CellFormat.NUMBER2: 2,
    CellFormat.INDEX: 2,  # GSO publishes indices as "96,75" (previous period = 100)
    CellFormat.CHANGE: 1,
}

# Excel number formats: Excel swaps the separators for the reader's locale itself, so these use the
# file format's "." and "," whatever the bulletin's language.
EXCEL_FORMATS: dict[CellFormat, str] = {
    CellFormat.NUMBER0: "#,##0",
    CellFormat.NUMBER1: "#,##0.0",
    CellFormat.NUMBER2: "#,##0.00",
    CellFormat.INDEX: "#,##0.00",
    CellFormat.CHANGE: "+#,##0.0;-#,##0.0;0.0",
}


def is_numeric(fmt: CellFormat) -> bool:
    """True for the formats shown as numbers (right-aligned; stored as numbers in XLSX)."""
    return CellFormat(fmt) is not CellFormat.TEXT


def is_missing(value: object) -> bool:
    """None and NaN are missing figures: shown as an empty cell, never as 0 or "."."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number_value(value: object, fmt: CellFormat) -> float:
    """The raw value of a numeric cell as a float; anything but a real number is a TypeError."""
    # bool is a Real too, but True in a numeric column is a composing bug, not 1.
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"a {CellFormat(fmt).value} cell needs a number or None, got {type(value).__name__} {value!r}")
    return float(value)


def format_cell(value: object, fmt: CellFormat, lang: str) -> str:
    """Display text of one cell: "3,4", "96,75", "+3,4" (vi) / "3.4", "+3.4" (en); None → ""; WITHHELD → "c"."""
    fmt = CellFormat(fmt)
    if is_missing(value):
        return ""
    if isinstance(value, Withheld):
        return value.symbol
    if fmt is CellFormat.TEXT:
        return str(value)
    number = number_value(value, fmt)
    if math.isinf(number):
        raise ValueError(f"a {fmt.value} cell cannot show an infinite value ({number!r})")
    decimals = DECIMALS[fmt]
    # The sign follows the rounded figure, so -0.04 shows as "0,0", not "-0,0".
    rounded = round_half_up(number, decimals)
    sign = "-" if rounded < 0 else ("+" if rounded > 0 and fmt is CellFormat.CHANGE else "")
    return sign + format_number(abs(rounded), decimals, lang)


def column_widths(table: Table, lang: str, *, status_header: str = "") -> list[float]:
    """Width of each column in characters, from the displayed cells (plus the status column if any).

    Headers wrap, so they count only up to 12 characters over a number column and 18 over a text one;
    text columns are capped at 50 characters and numbers at 20, so a long industry name wraps rather
    than pushing the figures off the page.
    """
    columns = list(zip(*table.rows, strict=True)) if table.rows else [() for _ in table.columns]
    widths = []
    for name, fmt, values in zip(table.columns, table.formats, columns, strict=True):
        longest = max((len(format_cell(v, fmt, lang)) for v in values), default=0)
        header, limit = (12, 20) if is_numeric(fmt) else (18, 50)
        widths.append(float(min(limit, max(8, longest + 2, min(len(name), header) + 2))))
    if table.statuses:
        longest = max(len(s) for s in [*table.statuses, status_header])
        widths.append(float(max(12, min(30, longest + 3))))
    return widths


def excel_number_format(fmt: CellFormat) -> str:
    """The Excel number format of a numeric column ("#,##0.0" …); TEXT is a ValueError."""
    fmt = CellFormat(fmt)
    if fmt is CellFormat.TEXT:
        raise ValueError("TEXT columns have no number format")
    return EXCEL_FORMATS[fmt]
