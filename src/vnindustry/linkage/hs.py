"""HS codes of a profile and how close two of them are in the Harmonized System's hierarchy.

A profile writes headings (4 digits, "8501") or subheadings (6 digits, "850110"; "8501.10" is read the same).
Closeness is the longest level two codes share: the same subheading, else the same heading, else the same
chapter (2 digits), else none. A heading and one of its subheadings share the heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

__all__ = ["LEVELS", "closeness", "display", "normalise", "sector", "sector_key"]

#: Levels from the closest, with the share of the HS term each earns and their names (vi, en).
LEVELS: tuple[tuple[int, float, str, str], ...] = (
    (6, 1.0, "phân nhóm", "subheading"),
    (4, 0.6, "nhóm", "heading"),
    (2, 0.3, "chương", "chapter"),
)
_CODE = re.compile(r"^\d{4}(\d{2})?$")


def normalise(text: str) -> str | None:
    """``text`` as a 4- or 6-digit HS code ("8501.10" → "850110"), or None when it is not one."""
    code = re.sub(r"[.\s]", "", text or "")
    return code if _CODE.match(code) else None


def display(code: str) -> str:
    """"850110" → "8501.10"; a heading as it is."""
    return f"{code[:4]}.{code[4:]}" if len(code) == 6 else code


def closeness(need: Iterable[str], supplier: Iterable[str]) -> tuple[float, str, str] | None:
    """The closest level any of ``need``'s codes shares with any of ``supplier``'s: (share, level's index in
    :data:`LEVELS` as text "6"/"4"/"2", the shared code), or None when they share not even a chapter."""
    best: tuple[float, str, str] | None = None
    for a in need:
        for b in supplier:
            for digits, share, _, _ in LEVELS:
                if len(a) >= digits and len(b) >= digits and a[:digits] == b[:digits]:
                    if best is None or share > best[0]:
                        best = (share, str(digits), a[:digits])
                    break
    return best


def sector(codes: Iterable[str], lang: str = "vi") -> str:
    """The industry group of the first of ``codes`` by its HS chapter (``data/hs_sectors.csv``: the city's key
    industries and the supporting industries' own), "Khác" / "Other" when none applies."""
    for code in codes:
        chapter = int(code[:2]) if code[:2].isdigit() else -1
        for low, high, _key, vi, en in _sectors():
            if low <= chapter <= high:
                return vi if lang == "vi" else en
    return "Khác" if lang == "vi" else "Other"


def sector_key(codes: Iterable[str]) -> str | None:
    """The code (``mechanical``, ``electronics`` …, as :data:`vnindustry.linkage.connect.SECTORS`) of the
    industry group of the first of ``codes`` that has one, or None."""
    for code in codes:
        chapter = int(code[:2]) if code[:2].isdigit() else -1
        for low, high, key, _vi, _en in _sectors():
            if low <= chapter <= high:
                return key
    return None


@cache
def _sectors() -> tuple[tuple[int, int, str, str, str], ...]:
    import csv
    import io
    from importlib import resources

    text = resources.files("vnindustry.linkage").joinpath("data", "hs_sectors.csv").read_text(encoding="utf-8")
    return tuple((int(r["chapter_from"]), int(r["chapter_to"]), r["sector"], r["name_vi"], r["name_en"])
                 for r in csv.DictReader(io.StringIO(text)))
