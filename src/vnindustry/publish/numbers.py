"""Numbers as Vietnamese (decimal comma, thousands dot) and English readers expect them.

Formatting goes through Babel's CLDR data, so "3,4" and "120.000" come from the ``vi`` locale rather
than from hand-swapped separators.
"""

from __future__ import annotations

import math
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALES = {"vi": "vi_VN", "en": "en_US"}


@lru_cache(maxsize=16)
def _pattern(decimals: int) -> NumberPattern:
    """The CLDR pattern of a number with ``decimals`` decimals, parsed once (Babel parses it on every call)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@lru_cache(maxsize=4)
def _babel_locale(lang: str) -> Locale:
    return Locale.parse(_locale(lang))


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
    # What babel.numbers.format_decimal(rounded, format=pattern, locale=…) does, without parsing the pattern and
    # the locale again for each of a bulletin's hundreds of numbers (issue 16).
    return _pattern(decimals).apply(rounded, _babel_locale(lang))


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

# What to type, said once per language: the example a person needs when a number was refused.
_HOW = {
    "vi": "gõ 0,25 cho không phẩy hai lăm; dấu chấm chỉ để ngăn cách hàng nghìn: 1.234,5",
    "en": "type 0.25 for zero point two five; the comma only separates thousands: 1,234.5",
}
_WHY = {  # reason code → (vi, en)
    "empty": ("ô trống", "the box is empty"),
    "chars": ("chỉ được gõ chữ số, dấu chấm và dấu phẩy", "only digits, the point and the comma may be typed"),
    "trailing": ("kết thúc bằng dấu {mark}: thiếu chữ số sau dấu", "it ends with {mark}: digits are missing after "
                 "the mark"),
    "leading_group": ("bắt đầu bằng dấu chấm, là dấu ngăn cách hàng nghìn", "it starts with the comma, which "
                      "separates thousands"),
    "zero_group": ("không rõ nghĩa: số 0 đứng trước dấu ngăn cách hàng nghìn, nên «{text}» sẽ bị đọc thành "
                   "{read} chứ không phải số thập phân", "ambiguous: a 0 before the thousands mark, so «{text}» "
                   "would read as {read}, not as a decimal"),
    "mixed": ("dấu chấm đứng sau dấu phẩy thập phân (có phải cách viết tiếng Anh?)", "the comma comes after the "
              "decimal point (is it written the Vietnamese way?)"),
    "two_decimals": ("có hai dấu phẩy thập phân", "there are two decimal points"),
    "groups": ("các nhóm chữ số không đúng: sau mỗi dấu chấm ngăn cách hàng nghìn phải có đúng 3 chữ số "
               "(1.234.567)", "the digit groups are wrong: exactly 3 digits follow each thousands comma "
               "(1,234,567)"),
}


class NumberTextError(ValueError):
    """Text that is not a number in the form's language, or an ambiguous one. ``str()`` is the whole message in
    that language: the text, why it was refused and what to type (``reason``: a code of :data:`_WHY`)."""

    def __init__(self, text: str, reason: str, lang: str, **values: str) -> None:
        self.text, self.reason, self.lang = text, reason, lang
        vi, en = _WHY[reason]
        why = (vi if lang == "vi" else en).format(text=text, **values)
        head = f"«{text}» không phải là số" if lang == "vi" else f"«{text}» is not a number"
        self.why = why
        super().__init__(f"{head}: {why} — {_HOW[lang]}")


def parse_number(text: str, lang: str = "vi") -> float:
    """A number as a person types it in a form of language ``lang``; the inverse of :func:`format_number`.

    vi: "1.234,5" → 1234.5, "1234,5" → 1234.5, "1.234" → 1234 (a dot before groups of three digits groups
    thousands); a lone dot before other than three digits is read as a decimal point ("12.5" → 12.5), since
    many keyboards type one and it cannot mean thousands. en mirrors it: "1,234.5", "1234.5", "1,234" → 1234,
    "12,5" → 12.5. Spaces (also non-breaking) are ignored.

    Refused, because a person may have meant something else than what the convention reads (issue 12: "0.250"
    typed in a Vietnamese form was stored as 250): a 0 before a thousands mark ("0.250", "0.250.000"), a
    trailing mark ("5.", "5,"), a leading thousands mark (".5"), malformed groups ("1.2.3", "1.23.4"), a
    thousands mark after the decimal mark ("1,234.5" in vi), two decimal marks, anything but digits and the
    two marks ("1e5", "nan", "١٢"). Raises :class:`NumberTextError` (a ValueError) saying why and what to type,
    in ``lang``.
    """
    _locale(lang)
    group, decimal = _MARKS[lang]
    raw = text
    s = "".join(text.split()).replace("\u00a0", "").replace("\u202f", "")
    if not s:
        raise NumberTextError(raw, "empty", lang)
    sign = ""
    if s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    digits_only = s.replace(group, "").replace(decimal, "")
    if not digits_only or not digits_only.isdigit() or not digits_only.isascii():
        raise NumberTextError(raw, "chars", lang)
    if s[-1] in (group, decimal):
        raise NumberTextError(raw, "trailing", lang, mark=f"«{s[-1]}»")
    if s[0] == group:
        raise NumberTextError(raw, "leading_group", lang)
    if decimal in s:
        whole, _, frac = s.partition(decimal)
        if decimal in frac:
            raise NumberTextError(raw, "two_decimals", lang)
        if group in frac:
            raise NumberTextError(raw, "mixed", lang)
        whole = _ungroup(whole, group, raw, lang) if whole else "0"  # ",5" → 0.5
    elif s.count(group) == 1 and len(s.partition(group)[2]) != 3:
        whole, _, frac = s.partition(group)  # "12.5" in vi: a decimal point typed with the other mark
    else:
        whole, frac = _ungroup(s, group, raw, lang), ""
    return float(f"{sign}{whole}.{frac or 0}")


def _ungroup(whole: str, group: str, raw: str, lang: str) -> str:
    if group not in whole:
        return whole
    parts = whole.split(group)
    if not (1 <= len(parts[0]) <= 3) or any(len(p) != 3 for p in parts[1:]):
        raise NumberTextError(raw, "groups", lang)
    if parts[0].startswith("0"):
        # "0.250": the convention reads 250, the person most likely meant 0.25 — refuse rather than guess.
        raise NumberTextError(raw, "zero_group", lang, read=str(int("".join(parts))))
    return "".join(parts)


# Units counted in whole things ("181 chiếc", never "181,0 chiếc"): a bare count unit has no decimals.
COUNT_UNITS = frozenset({
    "chiếc", "cái", "bộ", "đôi", "con", "gói", "hộp", "bao", "cuốn", "bản", "tờ", "viên", "ống", "tuýp", "quả",
    "trang", "chai", "lon", "thùng", "tấm", "cây", "sản phẩm", "doanh nghiệp", "người", "lao động",
    "piece", "pieces", "unit", "units", "set", "sets", "pair", "pairs", "head", "pack", "packs", "box", "boxes",
    "bag", "bags", "copy", "copies", "sheet", "sheets", "tube", "tubes", "bottle", "bottles", "can", "cans",
    "enterprise", "enterprises", "person", "persons", "people", "page", "pages", "tablet", "tablets",
})
# Money in units of a whole currency amount printed without decimals (the Department's "479.944 tỷ đồng").
WHOLE_MONEY_UNITS = frozenset({"tỷ đồng", "triệu đồng", "đồng", "vnd billion", "vnd million", "vnd"})
_SCALES = ("nghìn", "ngàn", "triệu", "tỷ", "thousand", "million", "billion")


def decimals_for_unit(unit: str) -> int:
    """Decimals a quantity in ``unit`` is printed with — the one place the bulletin decides it.

    A bare count ("chiếc", "cái", "bộ", "đôi", "con" …) has none: half a car is not a figure. A scaled
    count ("nghìn chiếc", "triệu đôi") keeps one, as GSO prints "1.383,1 nghìn cái". Money in đồng
    ("tỷ đồng") has none, as the Department prints it; every other unit (tấn, nghìn lít, triệu kWh,
    triệu USD, nghìn tỷ đồng, %) has one, the rates' precision.
    """
    text = " ".join(unit.casefold().replace("(", " ").replace(")", " ").split())
    if text in WHOLE_MONEY_UNITS:
        return 0
    return 0 if text in COUNT_UNITS else 1


def format_quantity(value: float, unit: str, lang: str = "vi") -> str:
    """A quantity as its unit prints it: 181 chiếc → "181", 5044.06 tấn → "5.044,1"."""
    return format_number(value, decimals_for_unit(unit), lang)
