"""Market groups (importers) for market-specific indices: the EU of EVFTA, ASEAN, RCEP, CPTPP.

Members are ISO 3166-1 alpha-3 codes, so a group name expands only for flows whose importer codes are
ISO alpha-3 (as in UN Comtrade / BACI with ISO codes). Any other name is taken as an importer code.
"""

from __future__ import annotations

from collections.abc import Iterable

# The European Union since 1 February 2020 (27 members, without the United Kingdom).
EU27 = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
        "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE")
ASEAN = ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM")
# RCEP (signed 2020): ASEAN and its five partners.
RCEP = (*ASEAN, "AUS", "CHN", "JPN", "KOR", "NZL")
# CPTPP: the 11 signatories of 2018 and the United Kingdom (member since 15 December 2024).
CPTPP = ("AUS", "BRN", "CAN", "CHL", "JPN", "MYS", "MEX", "NZL", "PER", "SGP", "VNM", "GBR")

MARKET_GROUPS: dict[str, tuple[str, ...]] = {"EU": EU27, "EU27": EU27, "ASEAN": ASEAN, "RCEP": RCEP,
                                              "CPTPP": CPTPP}


def resolve_market(market: str | Iterable[str]) -> tuple[str, frozenset[str]]:
    """``(label, importer codes)`` of a market: a group name (EU, ASEAN, RCEP, CPTPP), an importer code,
    a comma-separated list of them, or an iterable of them. The label is what the caller wrote, joined by "+".
    """
    parts = [p.strip() for p in market.split(",")] if isinstance(market, str) else [str(p).strip() for p in market]
    parts = [p for p in parts if p]
    if not parts:
        raise ValueError("empty market: give an importer code or a group name "
                         f"({', '.join(MARKET_GROUPS)}), e.g. market='EU'")
    codes: set[str] = set()
    for part in parts:
        codes.update(MARKET_GROUPS.get(part.upper(), (part,)))
    return "+".join(parts), frozenset(codes)
