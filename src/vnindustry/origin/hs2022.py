"""HS 2022 codes read as the HS 2012 the EVFTA's rules are written in (issue 15).

``data/hs2022_hs2012.csv`` (``data/SOURCE-hs-correlation.md``: the UN Statistics Division's correlation tables
chained HS 2022 → HS 2017 → HS 2012, as published by the Harvard Growth Lab, MIT) lists, for each HS 2022
subheading, the HS 2012 subheading(s) it correlates with. A code with one HS 2012 counterpart is mapped to it;
one with several is mapped only as far as they agree — the heading they share, or nothing — and said so, since
the rule may differ between them (the answer then asks for the HS 2012 code).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Mapped", "correlation", "map_materials", "to_hs2012"]

# Gaps of the source table (data/SOURCE-hs-correlation.md, "quirks"): 9114.90 lacks its identity row, and 8541.51
# and 8541.59 (new in 2022) lack the 8541.50 they were split from. Added here so that these codes are read as what
# they are, not as a one-to-one mapping the table does not support.
_GAPS = {"911490": ("911490",), "854151": ("854150",), "854159": ("854150",)}


@dataclass(frozen=True)
class Mapped:
    """An HS 2022 code read in HS 2012: the code to use (``None`` when no common heading), the HS 2012
    counterparts, and a note in both languages when the correlation is not one-to-one (empty when it is)."""

    code: str | None
    targets: tuple[str, ...]
    note_vi: str = ""
    note_en: str = ""


@cache
def correlation() -> dict[str, tuple[str, ...]]:
    """HS 2022 subheading → its HS 2012 subheadings."""
    text = resources.files("vnindustry.origin").joinpath("data", "hs2022_hs2012.csv").read_text("utf-8")
    out: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out.setdefault(row["hs2022"], []).append(row["hs2012"])
    return {k: tuple(v) for k, v in out.items()}


def _shared_prefix(codes: tuple[str, ...]) -> str:
    """The digits every code starts with."""
    first = codes[0]
    n = 0
    while n < len(first) and all(len(c) > n and c[n] == first[n] for c in codes):
        n += 1
    return first[:n]


def to_hs2012(code: str) -> Mapped:
    """``code`` (HS 2022, 4 or 6 digits; a longer national code is read by its first 6) in HS 2012."""
    six = code[:6]
    if len(six) == 4:  # a heading: the HS 2012 headings of its subheadings
        targets = tuple(sorted({t for k, v in correlation().items() if k.startswith(six) for t in v}))
        if not targets:
            return Mapped(None, (), f"nhóm {six} không có trong HS 2022", f"heading {six} is not in HS 2022")
    else:
        targets = tuple(sorted(set(correlation().get(six, ())) | set(_GAPS.get(six, ()))))
        if not targets:
            return Mapped(None, (), f"phân nhóm {six} không có trong HS 2022", f"subheading {six} is not in HS 2022")
    if len(targets) == 1:
        only = targets[0] if len(six) == 6 else targets[0][:4]
        same = only == six
        return Mapped(only, targets, "" if same else f"HS 2022 {six} tương ứng HS 2012 {only}",
                      "" if same else f"HS 2022 {six} corresponds to HS 2012 {only}")
    common = _shared_prefix(targets)
    use = common[:4] if len(common) >= 4 else None
    listed = ", ".join(targets[:8]) + (f" … ({len(targets)})" if len(targets) > 8 else "")
    if use is not None and len(six) == 4 and all(t.startswith(six) for t in targets):
        return Mapped(six, targets)  # a heading that kept its subheadings in HS 2012
    return Mapped(use, targets,
                  f"HS 2022 {six} tương ứng nhiều mã HS 2012 ({listed})"
                  + (f": dùng nhóm chung {use}" if use else ": không có nhóm chung, cần mã HS 2012"),
                  f"HS 2022 {six} corresponds to several HS 2012 codes ({listed})"
                  + (f": their common heading {use} is used" if use else ": no common heading, give the HS 2012 code"))


def map_materials(materials, notes: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """``materials`` (and their components) with their HS 2022 codes read in HS 2012; what was mapped, and what
    could not be, appended to ``notes`` as (vi, en). A code that has no HS 2012 reading is kept as given."""
    from dataclasses import replace

    out = []
    for m in materials:
        mapped = to_hs2012(m.hs)
        if mapped.note_en:
            notes.append((f"{m.name}: {mapped.note_vi}", f"{m.name}: {mapped.note_en}"))
        out.append(replace(m, hs=mapped.code or m.hs, components=tuple(map_materials(m.components, notes))))
    return out
