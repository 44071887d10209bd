"""Reading the candidates table back (xlsx sheet 'Tiêu chí' or CSV): criteria values, product codes and the
optional VSIC / HS link columns.

Part of the key-products files (:mod:`~vnindustry.analysis.key_products.workbook`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from vnindustry.errors import InputError
from vnindustry.sources.csvfile import decode_utf8, read_table

from .ahp import Weights
from .cells import Sheet, criterion_from_header, find_sheet, open_books
from .criteria import BY_CODE, Candidate, CriteriaTable, check_value, criterion
from .layout import (
    CODE_ROW,
    DATA_ROW,
    FIRST_CRITERION_COL,
    LINK_COLUMNS,
    NAME_ROW,
    SHEET_CRITERIA,
    SHEET_PAIRWISE,
    sheet_cell,
)
from .weights_file import weights_xlsx

_HS_CODE = re.compile(r"^\d{2}(?:\d{2}){0,3}$")


# ---------------------------------------------------------------- criteria

def read_criteria(path: str | Path, *, allow_blank: bool = False) -> tuple[CriteriaTable, Weights | None]:
    """The candidates table, and the weights the file holds (xlsx pairwise/direct; None = defaults).

    ``allow_blank``: an empty criterion cell is left out of the candidate's values (to be filled from the
    store) instead of being an error.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _criteria_csv(path, allow_blank), None
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"unsupported file type '{path.suffix}'", file=path, fix="give a .xlsx or .csv file")
    books = open_books(path)
    sheet = find_sheet(books, SHEET_CRITERIA, path)
    assert sheet is not None
    table = _criteria_xlsx(sheet, allow_blank)
    pairwise = find_sheet(books, SHEET_PAIRWISE, path, required=False)
    return table, (weights_xlsx(pairwise) if pairwise is not None else None)


def _link_column(code: str, name: str) -> str | None:
    """``vsic`` or ``hs`` if a header (code row, or the name when the code is cleared) is a link column."""
    if code in LINK_COLUMNS:
        return code
    if not code and name:
        for key, label in LINK_COLUMNS.items():
            if name.casefold() == label.casefold():
                return key
    return None


def parse_hs(text: str, *, where: str, file: str | Path | None = None) -> tuple[str, ...]:
    """HS codes from "61, 62" (commas, semicolons or spaces); InputError naming ``where`` for a bad code."""
    codes = tuple(c for c in re.split(r"[,;\s]+", text.strip()) if c)
    for c in codes:
        if not _HS_CODE.match(c):
            raise InputError(f"'{c}' is not an HS code (2, 4, 6 or 8 digits, leading zeros kept)", file=file,
                             location=where, fix="write the codes as text, comma-separated, e.g. 03, 1604")
    return codes


def _criteria_xlsx(sheet: Sheet, allow_blank: bool = False) -> CriteriaTable:
    ws = sheet.values
    codes: list[str] = []
    cols: list[int] = []
    links: dict[str, int] = {}
    for col in range(FIRST_CRITERION_COL, ws.max_column + 1):
        link = _link_column(sheet.text(CODE_ROW, col), sheet.text(NAME_ROW, col))
        if link is not None:
            if link in links:
                raise InputError(f"column {LINK_COLUMNS[link]} appears twice (also in column "
                                 f"{get_column_letter(links[link])})", file=sheet.file,
                                 location=sheet_cell(sheet.name, CODE_ROW, col), fix="keep one")
            links[link] = col
            continue
        code = criterion_from_header(sheet.text(CODE_ROW, col), sheet_cell(sheet.name, CODE_ROW, col), sheet.file,
                                      sheet.text(NAME_ROW, col))
        if code is None:
            continue
        if code in codes:
            first = get_column_letter(cols[codes.index(code)])
            raise InputError(f"criterion {code} appears twice (also in column {first})", file=sheet.file,
                             location=sheet_cell(sheet.name, CODE_ROW, col), fix="keep one column per criterion")
        codes.append(code)
        cols.append(col)
    candidates: list[Candidate] = []
    seen: dict[str, str] = {}
    for row in range(DATA_ROW, ws.max_row + 1):
        product, name = sheet.text(row, 1), sheet.text(row, 2)
        filled = [col for col in [*cols, *links.values()]
                  if sheet.raw(row, col) is not None and sheet.text(row, col) != ""]
        if not product and not name and not filled:
            continue  # an unused template row
        if not product:
            raise InputError("a row with values has no product code", file=sheet.file,
                             location=sheet_cell(sheet.name, row, 1), fix="enter the product's code (or clear the row)")
        here = sheet_cell(sheet.name, row, 1)
        if product in seen:
            raise InputError(f"product '{product}' appears twice (also at {seen[product]})", file=sheet.file,
                             location=here, fix="keep one row per product")
        seen[product] = f"cell A{row}"
        values: dict[str, float] = {}
        origins: dict[str, str] = {}
        for code, col in zip(codes, cols, strict=True):
            c = criterion(code)
            where = sheet_cell(sheet.name, row, col)
            fix = f"enter a number in {c.unit_vi} (decimal point or comma, no text)"
            value = sheet.number(row, col, fix)
            if value is None and allow_blank:
                continue  # to be filled from the store
            if value is None:
                raise InputError(f"{c.label()} of product '{product}' is missing", file=sheet.file, location=where,
                                 fix=f"enter a number in {c.unit_vi}; every candidate needs every criterion (or give "
                                     "its Mã VSIC / Mã HS and score with --db URL --fill-from-store)")
            values[code] = check_value(code, value, where=where, file=str(sheet.file))
            origins[code] = where
        vsic = sheet.text(row, links["vsic"]) if "vsic" in links else ""
        hs = parse_hs(sheet.text(row, links["hs"]), where=sheet_cell(sheet.name, row, links["hs"]),
                      file=sheet.file) if "hs" in links else ()
        candidates.append(Candidate(product, name, values, origins, where=sheet_cell(sheet.name, row, 1), vsic=vsic,
                                    hs=hs))
    return CriteriaTable(tuple(codes), tuple(candidates), str(sheet.file), f"sheet '{sheet.name}', row {CODE_ROW}")


def _criteria_csv(path: Path, allow_blank: bool = False) -> CriteriaTable:
    rows = read_table(path, ["product", "name"])
    header = next(csv.reader(io.StringIO(decode_utf8(path))))
    links = {key: h.strip() for h in header if (key := _link_column(h.strip(), h.strip())) is not None}
    codes = []
    for h in (h.strip() for h in header):
        if h in ("product", "name") or h in links.values():
            continue
        code = criterion_from_header("" if h not in BY_CODE else h, f"line 1, column '{h}'", path, h)
        if code is not None:
            codes.append(code)
    raw_of = {(criterion_from_header("" if h.strip() not in BY_CODE else h.strip(), "", path, h.strip())
               or h.strip()): h.strip() for h in header
              if h.strip() not in ("product", "name", "", *links.values())}
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    for row in rows:
        product = row["product"]
        if not product:
            raise InputError("the product code is missing", file=path, line=row.line, column="product",
                             fix="enter the product's code")
        if product in seen:
            raise InputError(f"product '{product}' appears twice (also on line {seen[product]})", file=path,
                             line=row.line, column="product", fix="keep one line per product")
        seen[product] = row.line
        values: dict[str, float] = {}
        for code in codes:
            text = row[raw_of[code]]
            where = f"line {row.line}, column '{raw_of[code]}'"
            if text == "" and allow_blank:
                continue  # to be filled from the store
            if text == "":
                raise InputError(f"{criterion(code).label()} of product '{product}' is missing", file=path,
                                 location=where, fix="enter a number; every candidate needs every criterion (or give "
                                 "its vsic / hs codes and score with --db URL --fill-from-store)")
            try:
                value = float(text)
            except ValueError:
                hint = " (use a point as the decimal mark in CSV)" if "," in text else ""
                raise InputError(f"'{text}' is not a number{hint}", file=path, location=where,
                                 fix=f"enter a number in {criterion(code).unit_vi}") from None
            values[code] = check_value(code, value, where=where, file=str(path))
        hs = parse_hs(row[links["hs"]], where=f"line {row.line}, column '{links['hs']}'", file=path) \
            if "hs" in links else ()
        candidates.append(Candidate(product, row["name"], values, {c: f"line {row.line}" for c in values},
                                    where=f"line {row.line}", vsic=row[links["vsic"]] if "vsic" in links else "",
                                    hs=hs))
    return CriteriaTable(tuple(codes), tuple(candidates), str(path), "line 1 (the header)")
