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

__all__ = ["EU_MEMBERS", "BomError", "Material", "parse_bom", "read_bom"]

# The EU's 27 member states (ISO 3166-1 alpha-2; Greece as GR, its ISO code, and EL, the EU's).
EU_MEMBERS = frozenset({"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE",
                        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"})
COLUMNS = ("material", "hs", "value", "origin")
OPTIONAL = ("weight", "originating", "level")


class BomError(InputError):
    """A bill of materials refused: the English message (the CLI's, the API's) and the Vietnamese one the
    ``/origin`` page shows."""

    def __init__(self, message: str, fix: str, vi: str, vi_fix: str, *, file: str | Path | None = None,
                 line: int | None = None, column: str | None = None) -> None:
        self.vi = vi
        self.vi_fix = vi_fix
        super().__init__(message, file=file, line=line, column=column, fix=fix)

    def text(self, lang: str) -> str:
        """The message in ``lang``, naming the file, line and column."""
        if lang != "vi":
            return str(self)
        parts = [x for x in (self.file, f"dòng {self.line}" if self.line is not None else None,
                             f"cột «{self.column}»" if self.column else None) if x]
        return (", ".join(parts) + ": " if parts else "") + self.vi + (f" — {self.vi_fix}" if self.vi_fix else "")


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
            raise BomError("no value", "write the material's value, e.g. 12.5", "không có trị giá",
                           "ghi trị giá của nguyên liệu, ví dụ 12.5", file=path, line=line, column=column)
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise BomError(f"{text!r} is not a number", "write digits with a point for decimals, e.g. 12.5 (no "
                       "thousands separators)", f"«{text}» không phải là số", "ghi chữ số, dấu chấm cho phần thập "
                       "phân, ví dụ 12.5 (không dùng dấu phân cách hàng nghìn)", file=path, line=line, column=column)
    return value


def parse_bom(text: str, *, path: str = "BOM.csv") -> tuple[Material, ...]:
    """The top-level materials of a BOM given as CSV text (see the module docstring)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise BomError("the file is empty", "write the header material,hs,value,origin and one line a material",
                       "bảng định mức trống", "ghi dòng tiêu đề material,hs,value,origin và mỗi dòng một nguyên liệu",
                       file=path)
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + OPTIONAL]
    if missing or unknown:
        raise BomError(("missing column(s) " + ", ".join(missing)) if missing else
                       ("unknown column(s) " + ", ".join(unknown)),
                       "the header is material,hs,value,origin and optionally weight,originating,level",
                       ("thiếu cột " + ", ".join(missing)) if missing else ("cột không xác định " + ", ".join(unknown)),
                       "dòng tiêu đề là material,hs,value,origin và nếu cần weight,originating,level", file=path,
                       line=1)
    flat: list[tuple[int, int, dict[str, str]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise BomError(f"{len(row)} fields where the header has {len(header)}",
                           "one value per column; quote a name that holds a comma",
                           f"{len(row)} ô trong khi dòng tiêu đề có {len(header)}",
                           "mỗi cột một giá trị; đặt tên có dấu phẩy trong ngoặc kép", file=path, line=number)
        r = {k: v.strip() for k, v in zip(header, row, strict=True)}
        if not r["material"]:
            raise BomError("no material name", "name each material", "không có tên nguyên liệu",
                           "ghi tên từng nguyên liệu", file=path, line=number, column="material")
        hs = re.sub(r"[.\s]", "", r["hs"])
        if not re.fullmatch(r"\d{4}|\d{6}", hs):
            raise BomError(f"{r['hs']!r} is not an HS code of 4 or 6 digits",
                           "write the material's HS heading (4 digits) or subheading (6 digits), e.g. 8503.00",
                           f"«{r['hs']}» không phải mã HS 4 hoặc 6 chữ số",
                           "ghi mã nhóm (4 chữ số) hoặc phân nhóm (6 chữ số) HS của nguyên liệu, ví dụ 8503.00",
                           file=path, line=number, column="hs")
        r["hs"] = hs
        origin = r["origin"].upper()
        if origin and not re.fullmatch(r"[A-Z]{2}", origin):
            raise BomError(f"{r['origin']!r} is not a country code",
                           "write a two-letter code (VN, DE, CN …) or leave it empty when unknown",
                           f"«{r['origin']}» không phải mã nước", "ghi mã hai chữ cái (VN, DE, CN…) hoặc để trống "
                           "nếu không rõ", file=path, line=number, column="origin")
        r["origin"] = origin
        flag = r.get("originating", "").lower()
        if flag not in ("", "yes", "no", "có", "không"):
            raise BomError(f"{r['originating']!r} is not yes or no",
                           "write yes (the material has its own proof of origin), no, or leave it empty",
                           f"«{r['originating']}» không phải yes hoặc no", "ghi yes (nguyên liệu có chứng từ xuất xứ "
                           "riêng), no, hoặc để trống", file=path, line=number, column="originating")
        level_text = r.get("level", "") or "1"
        if not level_text.isdigit() or int(level_text) < 1:
            raise BomError(f"{level_text!r} is not a level", "write 1 for the product's own materials, 2 for a "
                           "sub-assembly's, …", f"«{level_text}» không phải cấp", "ghi 1 cho nguyên liệu của sản "
                           "phẩm, 2 cho linh kiện của bán thành phẩm, …", file=path, line=number, column="level")
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
                above = level - 1 if out == [] else level
                raise BomError(f"level {lv} follows level {above}",
                               "put a sub-assembly's components (level n+1) right under its own line",
                               f"cấp {lv} đứng sau cấp {above}", "đặt linh kiện (cấp n+1) ngay dưới dòng của bán "
                               "thành phẩm", file=path, line=number, column="level")
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
        raise BomError("a level out of order", "start with level 1 lines", "cấp không đúng thứ tự",
                       "bắt đầu bằng các dòng cấp 1", file=path, line=number, column="level")
    if not top:
        raise BomError("no materials", "write one line a material under the header", "không có nguyên liệu",
                       "ghi mỗi dòng một nguyên liệu dưới dòng tiêu đề", file=path)
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
