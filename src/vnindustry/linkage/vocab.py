"""The declared lists a profile is matched against: manufacturing processes (bilingual) and certifications.

``data/processes.csv`` (code, Vietnamese and English name, aliases) and ``data/certifications.csv`` (code,
name, kind, aliases). A name is looked up by its folded form (:func:`vnindustry.linkage.text.fold`: lower case,
no diacritics, no punctuation), so "Đúc áp lực", "duc ap luc" and "die casting" are the same process and
"ISO 9001:2015" is ISO 9001. A name in no list is kept as given (:class:`Term` with ``code=None``) and the
reader warns; it still matches the same name elsewhere, by its folded text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from vnindustry.linkage.text import fold

__all__ = ["CERTIFICATIONS", "PROCESSES", "Entry", "Term", "certification", "process"]


@dataclass(frozen=True)
class Entry:
    """One entry of a declared list."""

    code: str
    name_vi: str
    name_en: str
    kind: str = ""

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en


@dataclass(frozen=True)
class Term:
    """A process or certification as written in a profile: ``entry`` when the list knows it, else None."""

    text: str
    entry: Entry | None

    @property
    def key(self) -> str:
        """What two terms are compared by: the list's code, else the folded text."""
        return self.entry.code if self.entry is not None else "?" + fold(self.text)

    def name(self, lang: str) -> str:
        return self.entry.name(lang) if self.entry is not None else self.text


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("vnindustry.linkage").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _index(entries: list[tuple[Entry, list[str]]]) -> dict[str, Entry]:
    index: dict[str, Entry] = {}
    for entry, names in entries:
        for n in names:
            key = fold(n)
            if key and index.setdefault(key, entry) is not entry:
                raise ValueError(f"linkage vocabulary: {n!r} names both {index[key].code} and {entry.code}")
    return index


@cache
def _processes() -> tuple[tuple[Entry, ...], dict[str, Entry]]:
    pairs = []
    for r in _rows("processes.csv"):
        e = Entry(r["code"], r["name_vi"], r["name_en"])
        pairs.append((e, [r["code"], r["name_vi"], r["name_en"], *filter(None, r["aliases"].split(";"))]))
    return tuple(e for e, _ in pairs), _index(pairs)


@cache
def _certifications() -> tuple[tuple[Entry, ...], dict[str, Entry]]:
    pairs = []
    for r in _rows("certifications.csv"):
        e = Entry(r["code"], r["name"], r["name"], r["kind"])
        pairs.append((e, [r["code"], r["name"], *filter(None, r["aliases"].split(";"))]))
    return tuple(e for e, _ in pairs), _index(pairs)


PROCESSES: tuple[Entry, ...] = _processes()[0]
CERTIFICATIONS: tuple[Entry, ...] = _certifications()[0]
_YEAR = re.compile(r"[:\s-]*(19|20)\d\d$")  # "ISO 9001:2015": the standard's edition is not another standard


def process(text: str) -> Term:
    """The process ``text`` names (English or Vietnamese, with or without diacritics)."""
    return Term(text.strip(), _processes()[1].get(fold(text)))


def certification(text: str) -> Term:
    """The certification ``text`` names; an edition year ("ISO 9001:2015") is ignored for the lookup."""
    index = _certifications()[1]
    key = fold(text)
    found = index.get(key) or index.get(fold(_YEAR.sub("", text.strip())))
    return Term(text.strip(), found)
