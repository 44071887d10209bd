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
    rounded = math.floor(shifted + 0.5) / factor
    # A small negative that rounds to zero is 0, not -0: tables must never print "-0,00".
    return math.copysign(rounded, value) if rounded else 0.0


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


_MARKS = {"vi": (".", ","), "en": (",", ".")}  # (thousands, decimal) marks by language


def parse_number(text: str, lang: str = "vi") -> float:
    """A number as a person types it in a form of language ``lang``; the inverse of :func:`format_number`.

    vi: "1.234,5" → 1234.5, "1234,5" → 1234.5, "1.234" → 1234 (a dot before groups of three digits groups
    thousands); a lone dot before other than three digits is read as a decimal point ("12.5" → 12.5), since
    many keyboards type one. en mirrors it: "1,234.5", "1234.5", "1,234" → 1234, "12,5" → 12.5. Spaces
    (also non-breaking) are ignored. Raises ValueError naming the text when it is not a number.
    """
    _locale(lang)
    group, decimal = _MARKS[lang]
    raw = text
    s = "".join(text.split()).replace("\u00a0", "").replace("\u202f", "")
    if not s:
        raise ValueError("empty")
    sign = ""
    if s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    digits_only = s.replace(group, "").replace(decimal, "")
    if not digits_only.isdigit() or not digits_only.isascii():
        raise ValueError(f"{raw!r} is not a number")
    if decimal in s:
        whole, _, frac = s.partition(decimal)
        if group in frac or decimal in frac or not frac:
            raise ValueError(f"{raw!r} is not a number")
        whole = _ungroup(whole, group, raw) if whole else "0"  # ",5" → 0.5
    elif s.count(group) == 1 and len(s.partition(group)[2]) != 3:
        whole, _, frac = s.partition(group)  # "12.5" in vi: a decimal point typed with the other mark
        if not whole:
            raise ValueError(f"{raw!r} is not a number")
    else:
        whole, frac = _ungroup(s, group, raw), ""
    return float(f"{sign}{whole}.{frac or 0}")


def _ungroup(whole: str, group: str, raw: str) -> str:
    if group not in whole:
        if not whole:
            raise ValueError(f"{raw!r} is not a number")
        return whole
    parts = whole.split(group)
    if not (1 <= len(parts[0]) <= 3) or any(len(p) != 3 for p in parts[1:]):
        example = "1.234.567" if group == "." else "1,234,567"
        raise ValueError(f"{raw!r} is not a number: digits are grouped by three ({example})")
    return "".join(parts)
