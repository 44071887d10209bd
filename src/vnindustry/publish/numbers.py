"""Numbers as Vietnamese (decimal comma, thousands dot) and English readers expect them.

Formatting goes through Babel's CLDR data, so "3,4" and "120.000" come from the ``vi`` locale rather
than from hand-swapped separators.
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_US"}


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LOCALES)}") from None


def round_half_up(value: float, decimals: int) -> float:
    """Round half away from zero, as statistical tables do (2.25 → 2.3), not banker's rounding."""
    factor = 10**decimals
    # repr-based decimal shift avoids 2.675 → 2.67 binary artefacts.
    shifted = float(f"{abs(value) * factor:.9f}")
    return math.copysign(math.floor(shifted + 0.5) / factor, value)


def format_number(value: float, decimals: int = 1, lang: str = "vi") -> str:
    """``3.4`` → "3,4" (vi) / "3.4" (en); ``120000`` with 0 decimals → "120.000" / "120,000"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    rounded = round_half_up(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(rounded, format=pattern, locale=_locale(lang))


def format_change(pct: float, decimals: int = 1, lang: str = "vi") -> str:
    """A percentage change said in words: "tăng 3,4%", "giảm 4,4%", "không đổi" / "up 3.4%" …"""
    rounded = round_half_up(pct, decimals)
    if rounded == 0:
        return "không đổi" if lang == "vi" else "unchanged"
    text = format_number(abs(rounded), decimals, lang)
    if lang == "vi":
        return f"{'tăng' if rounded > 0 else 'giảm'} {text}%"
    _locale(lang)
    return f"{'up' if rounded > 0 else 'down'} {text}%"


def format_pct(pct: float, decimals: int = 1, lang: str = "vi") -> str:
    """A signed percentage without words: "+3,4%" / "-4,4%"."""
    rounded = round_half_up(pct, decimals)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "")
    return f"{sign}{format_number(abs(rounded), decimals, lang)}%"
