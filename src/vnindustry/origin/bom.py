"""The exporter's bill of materials (issue 15): ``material,hs,value,origin[,weight][,originating][,level]``.

One line a material: its HS code (4 or 6 digits, HS 2012 as the rules are written — or HS 2022, mapped where the
correlation is one-to-one), its value (the customs value at import, or the first price paid in Viet Nam, in the
currency of the ex-works price), its origin — a country code (``VN``, an EU member, or another) or empty for
unknown — and optionally its weight and ``originating`` (``yes``/``no``: a material with its own proof of origin;
empty to decide from ``origin``). ``level`` (default 1) nests a sub-assembly's components under it: the lines of
level 2 that follow a level-1 line are its materials, and so on; the sub-assembly's ``value`` is then also its
ex-works price when its own rule is checked (absorption, Article 5(2)).

The file is read whole or refused with its file, line and column (:class:`vnindustry.errors.InputError`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from vnindustry.errors import InputError

__all__ = ["EU_MEMBERS", "Material", "parse_bom", "read_bom"]

# The EU's 27 member states (ISO 3166-1 alpha-2; Greece as GR, its ISO code, and EL, the EU's).
EU_MEMBERS = frozenset({"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE",
                        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"})
COLUMNS = ("material", "hs", "value", "origin")
OPTIONAL = ("weight", "originating", "level")


@dataclass(frozen=True)
class Material:
    """One material of a bill of materials, with its own materials when it is a sub-assembly."""

    name: str
    hs: str
    value: float
    origin: str = ""
    weight: float | None = None
    originating: bool | None = None  # declared with its own proof; None: decided from origin
    components: tuple[Material, ...] = field(default=())
    line: int | None = None

    @property
    def heading(self) -> str:
        return self.hs[:4]

    @property
    def chapter(self) -> str:
        return self.hs[:2]


def _number(text: str, path: str, line: int, column: str, *, required: bool) -> float | None:
    text = text.strip().replace(" ", "")
    if not text:
        if required:
            raise InputError("no value", file=path, line=line, column=column,
                             fix="write the material's value, e.g. 12.5")
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{text!r} is not a number", file=path, line=line, column=column,
                         fix="write digits with a point for decimals, e.g. 12.5 (no thousands separators)")
    return value


def parse_bom(text: str, *, path: str = "BOM.csv") -> tuple[Material, ...]:
    """The top-level materials of a BOM given as CSV text (see the module docstring)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError("the file is empty", file=path, fix="write the header material,hs,value,origin and one "
                                                              "line a material")
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + OPTIONAL]
    if missing or unknown:
        raise InputError(("missing column(s) " + ", ".join(missing)) if missing else
                         ("unknown column(s) " + ", ".join(unknown)), file=path, line=1,
                         fix="the header is material,hs,value,origin and optionally weight,originating,level")
    flat: list[tuple[int, int, dict[str, str]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputError(f"{len(row)} fields where the header has {len(header)}", file=path, line=number,
                             fix="one value per column; quote a name that holds a comma")
        r = {k: v.strip() for k, v in zip(header, row, strict=True)}
        if not r["material"]:
            raise InputError("no material name", file=path, line=number, column="material",
                             fix="name each material")
        hs = re.sub(r"[.\s]", "", r["hs"])
        if not re.fullmatch(r"\d{4}|\d{6}", hs):
            raise InputError(f"{r['hs']!r} is not an HS code of 4 or 6 digits", file=path, line=number, column="hs",
                             fix="write the material's HS heading (4 digits) or subheading (6 digits), e.g. 8503.00")
        r["hs"] = hs
        origin = r["origin"].upper()
        if origin and not re.fullmatch(r"[A-Z]{2}", origin):
            raise InputError(f"{r['origin']!r} is not a country code", file=path, line=number, column="origin",
                             fix="write a two-letter code (VN, DE, CN …) or leave it empty when unknown")
        r["origin"] = origin
        flag = r.get("originating", "").lower()
        if flag not in ("", "yes", "no", "có", "không"):
            raise InputError(f"{r['originating']!r} is not yes or no", file=path, line=number, column="originating",
                             fix="write yes (the material has its own proof of origin), no, or leave it empty")
        level_text = r.get("level", "") or "1"
        if not level_text.isdigit() or int(level_text) < 1:
            raise InputError(f"{level_text!r} is not a level", file=path, line=number, column="level",
                             fix="write 1 for the product's own materials, 2 for a sub-assembly's, …")
        flat.append((number, int(level_text), r))
    return _nest(flat, path)


def _nest(flat: list[tuple[int, int, dict[str, str]]], path: str) -> tuple[Material, ...]:
    """Build the tree: each line's components are the deeper lines that follow it."""

    def build(i: int, level: int) -> tuple[list[Material], int]:
        out: list[Material] = []
        while i < len(flat):
            number, lv, r = flat[i]
            if lv < level:
                break
            if lv > level:
                raise InputError(f"level {lv} follows level {level - 1 if out == [] else level}", file=path,
                                 line=number, column="level",
                                 fix="put a sub-assembly's components (level n+1) right under its own line")
            children, i = build(i + 1, level + 1)
            flag = r.get("originating", "").lower()
            out.append(Material(r["material"], r["hs"],
                                float(_number(r["value"], path, number, "value", required=True) or 0.0),
                                r["origin"], _number(r.get("weight", ""), path, number, "weight", required=False),
                                None if not flag else flag in ("yes", "có"), tuple(children), number))
        return out, i

    top, end = build(0, 1)
    if end != len(flat):
        number = flat[end][0]
        raise InputError("a level out of order", file=path, line=number, column="level",
                         fix="start with level 1 lines")
    if not top:
        raise InputError("no materials", file=path, fix="write one line a material under the header")
    return tuple(top)


def read_bom(path: Path) -> tuple[Material, ...]:
    """The BOM at ``path`` (UTF-8, with or without BOM mark)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path,
                         fix="save the file as CSV UTF-8") from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=path, fix="check the path") from None
    return parse_bom(text, path=str(path))
