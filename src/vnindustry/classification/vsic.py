"""VSIC 2018 (sections B–E) and Ho Chi Minh City's key-industry groups.

The data live in ``classification/data/`` as UTF-8 CSV files (see ``data/SOURCE.md``) and are read
with :mod:`importlib.resources`, so they work from an installed wheel as well as from a checkout.

Example::

    >>> from vnindustry.classification import vsic_name
    >>> vsic_name("10")
    'Sản xuất, chế biến thực phẩm'
    >>> vsic_name("C", lang="en")
    'Manufacturing'
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

Level = Literal["section", "division", "group", "class"]
Lang = Literal["vi", "en"]

_LEVELS: tuple[Level, ...] = ("section", "division", "group", "class")
_DATA_PACKAGE = "vnindustry.classification"

# Names GSO prints in its monthly IIP tables that differ from the VSIC 2018 titles: short forms
# (35, 29), the VSIC 2007 wording (09) or punctuation variants (16, 33). Keys are NFC-normalised.
GSO_NAME_ALIASES: dict[str, str] = {
    "Hoạt động dịch vụ hỗ trợ khai thác mỏ và quặng": "09",
    "Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn ghế); "
    "sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện": "16",
    "Sản xuất xe có động cơ": "29",
    "Sửa chữa, bảo dưỡng và lắp đặt máy móc, thiết bị": "33",
    "Sản xuất và phân phối điện": "35",
}


@dataclass(frozen=True, slots=True)
class VsicEntry:
    """One node of the VSIC 2018 tree.

    Attributes:
        code: VSIC code as printed ("B", "05", "051", "0510").
        parent: code of the parent node, ``None`` for a section.
        level: "section", "division", "group" or "class".
        name_vi: official Vietnamese title (UTF-8, NFC).
        name_en: English title (ISIC Rev. 4 wording where VSIC follows ISIC).
    """

    code: str
    parent: str | None
    level: Level
    name_vi: str
    name_en: str

    def name(self, lang: Lang = "vi") -> str:
        """Return the title in ``lang`` ("vi" or "en")."""
        if lang == "vi":
            return self.name_vi
        if lang == "en":
            return self.name_en
        raise ValueError(f"unknown language {lang!r}; expected 'vi' or 'en'")


@dataclass(frozen=True, slots=True)
class IndustryGroup:
    """A named group of industries that is published next to the VSIC tree (e.g. HCMC's key industries).

    Attributes:
        code: group code, e.g. "KEY4".
        name_vi: Vietnamese name.
        name_en: English name.
        members: VSIC codes of the member industries, in file order.
    """

    code: str
    name_vi: str
    name_en: str
    members: tuple[str, ...]


def _read_csv(filename: str) -> list[dict[str, str]]:
    text = resources.files(_DATA_PACKAGE).joinpath("data", filename).read_text(encoding="utf-8")
    # NFC so that lookups by name compare equal however the file was typed.
    return [
        {k: unicodedata.normalize("NFC", v) for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


@cache
def _entries() -> tuple[VsicEntry, ...]:
    out: list[VsicEntry] = []
    for row in _read_csv("vsic2018.csv"):
        level = row["level"]
        if level not in _LEVELS:
            raise ValueError(f"vsic2018.csv: unknown level {level!r} for code {row['code']!r}")
        out.append(
            VsicEntry(
                code=row["code"],
                parent=row["parent"] or None,
                level=cast(Level, level),
                name_vi=row["name_vi"],
                name_en=row["name_en"],
            )
        )
    return tuple(out)


@cache
def _index() -> dict[str, VsicEntry]:
    return {e.code: e for e in _entries()}


def load_vsic(levels: tuple[Level, ...] | None = None) -> list[VsicEntry]:
    """Return the VSIC 2018 entries for sections B–E, in classification order.

    Args:
        levels: keep only these levels (e.g. ``("division",)``); all levels when ``None``.
    """
    entries = _entries()
    if levels is None:
        return list(entries)
    unknown = set(levels) - set(_LEVELS)
    if unknown:
        raise ValueError(f"unknown level(s) {sorted(unknown)}; expected some of {_LEVELS}")
    return [e for e in entries if e.level in levels]


def vsic_index() -> dict[str, VsicEntry]:
    """Return a new dict from code to :class:`VsicEntry`."""
    return dict(_index())


def vsic_entry(code: str) -> VsicEntry:
    """Return the entry for ``code``; raise ``KeyError`` if VSIC 2018 (B–E) has no such code here."""
    try:
        return _index()[code.strip()]
    except KeyError:
        raise KeyError(f"unknown VSIC 2018 code {code!r} (sections B–E)") from None


def vsic_name(code: str, lang: Lang = "vi") -> str:
    """Return the Vietnamese (``lang="vi"``) or English (``lang="en"``) title of ``code``."""
    return vsic_entry(code).name(lang)


def vsic_ancestors(code: str) -> list[str]:
    """Return the codes above ``code``, nearest first, ending with its section (``[]`` for a section)."""
    out: list[str] = []
    parent = vsic_entry(code).parent
    while parent is not None:
        out.append(parent)
        parent = _index()[parent].parent
    return out


def vsic_children(code: str) -> list[str]:
    """Return the codes directly below ``code`` in classification order."""
    vsic_entry(code)  # raise KeyError for unknown codes rather than returning []
    return [e.code for e in _entries() if e.parent == code]


def code_for_name(name: str) -> str | None:
    """Return the VSIC code whose Vietnamese title is ``name``, or ``None``.

    Matching ignores surrounding whitespace, Unicode normalisation form and case, and also accepts
    the variant division names GSO prints in its monthly tables (:data:`GSO_NAME_ALIASES`). Titles
    shared by a division and its only group/class resolve to the highest level (the division).
    """
    key = _name_key(name)
    return _names().get(key)


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for e in _entries():  # classification order: a division comes before its same-named group
        names.setdefault(_name_key(e.name_vi), e.code)
    for alias, code in GSO_NAME_ALIASES.items():
        names.setdefault(_name_key(alias), code)
    return names


@cache
def _key_groups() -> tuple[IndustryGroup, ...]:
    rows = _read_csv("key_industries_hcmc.csv")
    order: list[str] = []
    meta: dict[str, tuple[str, str]] = {}
    members: dict[str, list[str]] = {}
    for row in rows:
        code = row["group"]
        if code not in meta:
            order.append(code)
            meta[code] = (row["name_vi"], row["name_en"])
            members[code] = []
        members[code].append(row["industry"])
    return tuple(IndustryGroup(c, meta[c][0], meta[c][1], tuple(members[c])) for c in order)


def load_key_industries() -> list[IndustryGroup]:
    """Return HCMC's key-industry groups (``KEY4`` and one group per key industry), in file order.

    Members are VSIC division codes; see ``data/SOURCE.md`` for the source and its caveats.
    """
    return list(_key_groups())
