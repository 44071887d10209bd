"""Opening a GSO monthly workbook (.xlsx) and finding the formulas saved without a calculated value.

Part of the workbook reader (:mod:`~vnindustry.sources.gso.workbook`, whose docstring tells how a workbook is read).
"""

from __future__ import annotations

import warnings as _warnings
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from vnindustry.errors import InputError
from vnindustry.sources.gso.grid import Sheet

FIX_FILE = "give the monthly statistics workbook (Biểu số liệu tháng) as published by GSO, saved as .xlsx"


def open_workbook(path: Path) -> Workbook:
    if not path.exists():
        raise InputError("file not found", file=path, fix=f"expected a GSO workbook (.xlsx) at {path}")
    if path.is_dir():
        raise InputError("is a folder, not a workbook", file=path, fix=FIX_FILE)
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


def uncalculated_formulas(path: Path, sheets: list[Sheet], notes: list[str]) -> None:
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
