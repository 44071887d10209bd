"""``suppliers.csv`` and ``needs.csv`` (docs/linkage.md): read whole or refused with file, line and column.

Lists inside a cell are separated by ";". HS codes must have 4 or 6 digits; capacity and volume are plain numbers
(digits, an optional decimal point). A process or certification not in the declared lists is kept as written
and reported in the warnings — never refused. Any other problem raises :class:`InputError` naming the file, the
line and the column, so a command reads both files completely before it writes anything.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from vnindustry.errors import InputError
from vnindustry.linkage.hs import normalise
from vnindustry.linkage.profiles import OWNERSHIPS, Need, Supplier, parse_certificate
from vnindustry.linkage.text import fold
from vnindustry.linkage.vocab import Term, certification, process

__all__ = ["BUYER_COLUMNS", "NEED_COLUMNS", "SUPPLIER_COLUMNS", "Buyer", "read_buyers", "read_needs", "read_rows",
           "read_suppliers"]

SUPPLIER_COLUMNS = ("supplier", "name", "district", "ownership", "hs", "processes", "certifications", "capacity",
                    "description")
NEED_COLUMNS = ("need", "buyer", "title", "hs", "processes", "certifications", "volume", "description")
BUYER_COLUMNS = ("buyer", "name", "district", "ownership")  # optional: sector, localisation_target_pct
T = TypeVar("T")


def read_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of every data row; the header must hold ``columns`` and every line as many fields as it."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", file=path, fix="check the path") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8", file=path, line=line, fix="save the file as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"the header lacks column(s) {', '.join(missing)}", file=path, line=1,
                         fix=f"the first line must name the columns {','.join(columns)}")
    out = []
    start = 1
    for fields in reader:
        line = start + 1
        start = reader.line_num
        if not any(f.strip() for f in fields):
            continue  # a blank line
        if len(fields) != len(header):
            word = "short" if len(fields) < len(header) else "long"
            raise InputError(f"{len(fields)} fields where the header has {len(header)} (a {word} line)", file=path,
                             line=line, fix="quote a field that holds a comma (\"…, …\") and give every column, "
                                            "even empty")
        out.append((line, {h: f.strip() for h, f in zip(header, fields, strict=True)}))
    return out


def _list(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def _hs(cell: str, path: Path, line: int, column: str = "hs") -> tuple[str, ...]:
    codes = []
    for item in _list(cell):
        code = normalise(item)
        if code is None:
            raise InputError(f"{item!r} is not an HS code of 4 or 6 digits", file=path, line=line, column=column,
                             fix="write the heading (8501) or the subheading (850110), several separated by ';'")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def _number(cell: str, path: Path, line: int, column: str) -> float | None:
    if not cell:
        return None
    try:
        value = float(cell.replace(" ", ""))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or not cell.replace(" ", "").replace(".", "", 1).isdigit():
        raise InputError(f"{cell!r} is not a number", file=path, line=line, column=column,
                         fix="write digits only, without thousands separators or units (e.g. 12000)")
    return value


def _terms(cell: str, lookup: Callable[[str], Term], path: Path, line: int, column: str, what: str,
           warnings: list[str]) -> tuple[Term, ...]:
    out = []
    for item in _list(cell):
        term = lookup(item)
        if term.entry is None:
            warnings.append(f"{path}, line {line}, column '{column}': {what} {item!r} is not in the declared list; "
                            "kept as written (it matches only the same words)")
        out.append(term)
    return tuple(dict.fromkeys(out))


def _unique(items: list[T], key: Callable[[T], str], lines: list[int], path: Path, column: str) -> list[T]:
    seen: dict[str, int] = {}
    for item, line in zip(items, lines, strict=True):
        k = key(item)
        if not k:
            raise InputError("empty identifier", file=path, line=line, column=column, fix="give every row an id")
        if k in seen:
            raise InputError(f"{k!r} is also on line {seen[k]}", file=path, line=line, column=column,
                             fix="give every row its own id")
        seen[k] = line
    return items


def read_suppliers(path: Path) -> tuple[list[Supplier], list[str]]:
    """The suppliers of ``path`` and the warnings (processes or certifications not in the lists)."""
    path = Path(path)
    warnings: list[str] = []
    suppliers, lines = [], []
    for line, r in read_rows(path, SUPPLIER_COLUMNS):
        ownership = OWNERSHIPS.get(fold(r["ownership"]) or "vn")
        if ownership is None:
            raise InputError(f"{r['ownership']!r} is not an ownership", file=path, line=line, column="ownership",
                             fix="write vn (Vietnamese-owned), fdi (foreign-invested) or jv (joint venture)")
        if not r["name"]:
            raise InputError("empty name", file=path, line=line, column="name", fix="give the supplier's name")
        certificates = []
        for item in _list(r["certifications"]):
            try:
                cert = parse_certificate(item)
            except ValueError as exc:
                raise InputError(f"{item!r}: {exc}", file=path, line=line, column="certifications",
                                 fix="write the expiry as YYYY-MM-DD inside the parentheses, e.g. "
                                     "'ISO 9001:2015 (Bureau Veritas, 2027-03-31)'") from None
            if cert.term.entry is None:
                warnings.append(f"{path}, line {line}, column 'certifications': certification {cert.term.text!r} "
                                "is not in the declared list; kept as written")
            certificates.append(cert)
        suppliers.append(Supplier(
            id=r["supplier"], name=r["name"], district=r["district"], ownership=ownership,
            hs=_hs(r["hs"], path, line), certifications=tuple(certificates),
            processes=_terms(r["processes"], process, path, line, "processes", "process", warnings),
            capacity=_number(r["capacity"], path, line, "capacity"), description=r["description"]))
        lines.append(line)
    return _unique(suppliers, lambda s: s.id, lines, path, "supplier"), warnings


@dataclass(frozen=True)
class Buyer:
    """A buyer as ``buyers.csv`` names it, with its localisation target (% of input value bought in Viet Nam)."""

    id: str
    name: str
    district: str = ""
    ownership: str = "fdi"
    sector: str = ""
    target_pct: float | None = None


def read_buyers(path: Path) -> list[Buyer]:
    """The buyers of ``path`` (``buyer,name,district,ownership[,sector,localisation_target_pct]``)."""
    path = Path(path)
    buyers, lines = [], []
    for line, r in read_rows(path, BUYER_COLUMNS):
        ownership = OWNERSHIPS.get(fold(r["ownership"]) or "fdi")
        if ownership is None:
            raise InputError(f"{r['ownership']!r} is not an ownership", file=path, line=line, column="ownership",
                             fix="write vn (Vietnamese-owned), fdi (foreign-invested) or jv (joint venture)")
        target = _number(r.get("localisation_target_pct", ""), path, line, "localisation_target_pct")
        if target is not None and target > 100:
            raise InputError(f"{target:g}% is more than 100%", file=path, line=line,
                             column="localisation_target_pct", fix="write the target as a percentage, 0–100")
        buyers.append(Buyer(r["buyer"], r["name"], r["district"], ownership, r.get("sector", ""), target))
        lines.append(line)
    return _unique(buyers, lambda b: b.id, lines, path, "buyer")


def read_needs(path: Path) -> tuple[list[Need], list[str]]:
    """The needs of ``path`` and the warnings (processes or certifications not in the lists)."""
    path = Path(path)
    warnings: list[str] = []
    needs, lines = [], []
    for line, r in read_rows(path, NEED_COLUMNS):
        if not r["title"]:
            raise InputError("empty title", file=path, line=line, column="title", fix="say what part is needed")
        needs.append(Need(
            id=r["need"], buyer=r["buyer"], title=r["title"], hs=_hs(r["hs"], path, line),
            processes=_terms(r["processes"], process, path, line, "processes", "process", warnings),
            certifications=_terms(r["certifications"], certification, path, line, "certifications",
                                  "certification", warnings),
            volume=_number(r["volume"], path, line, "volume"), description=r["description"]))
        lines.append(line)
    return _unique(needs, lambda n: n.id, lines, path, "need"), warnings
