"""Small pieces of statistical wording in Vietnamese and English: months, changes, statuses, lists."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.publish.numbers import format_change, format_number

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def month_name(period: str, lang: str) -> str:
    """"tháng 1/2021" (vi) / "January 2021" (en)."""
    key = parse_month(period)
    if key is None:
        raise ValueError(f"period {period!r} is not YYYY-MM")
    if lang == "vi":
        return f"tháng {month_of(key)}/{year_of(key)}"
    return f"{MONTHS_EN[month_of(key) - 1]} {year_of(key)}"


def change(x: float, lang: str) -> str:
    """"tăng 3,4%" / "giảm 4,4%" / "up 3.4%"; "" when the figure is missing."""
    return "" if math.isnan(x) else format_change(x, 1, lang)


def estimated(status: str, lang: str) -> str:
    """The status word placed before the verb: "ước tính " for estimates, "sơ bộ " for preliminary."""
    if lang == "vi":
        return {"estimate": "ước tính ", "preliminary": "sơ bộ "}.get(status, "")
    return {"estimate": " (estimate)", "preliminary": " (preliminary)"}.get(status, "")


def money_vnd(billion_dong: float, lang: str) -> str:
    """Tỷ đồng, no decimals: "479.944 tỷ đồng" / "VND 479,944 billion"."""
    text = format_number(billion_dong, 0, lang)
    return f"{text} tỷ đồng" if lang == "vi" else f"VND {text} billion"


def money_usd(million_usd: float, lang: str) -> str:
    """Triệu USD shown in tỷ USD with one decimal: "27,7 tỷ USD" / "USD 27.7 billion"."""
    text = format_number(million_usd / 1000.0, 1, lang)
    return f"{text} tỷ USD" if lang == "vi" else f"USD {text} billion"


def lower_first(name: str) -> str:
    """Lower-case the first letter of an industry name inside a sentence (not acronyms like "LPG")."""
    acronym = len(name) >= 2 and name[:2].isalpha() and name[:2].isupper()
    return name[:1].lower() + name[1:] if name and not acronym else name


def join(items: list[str], lang: str, sep: str = ", ") -> str:
    """"a, b và c" / "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    last = " và " if lang == "vi" else " and "
    return sep.join(items[:-1]) + last + items[-1]


# GSO's diacritic style ("hóa", "hòa", "thủy", "khỏe"): in an open syllable oa/oe/uy carry the tone on the
# first vowel. Old-style spellings ("hoá", "thuỷ") are moved there; "quý", "quỹ" (the u belongs to qu) and
# closed syllables ("hoàn", "toán", "thuyết") are left as they are.
_TONES = {"á": "a", "à": "a", "ả": "a", "ã": "a", "ạ": "a", "é": "e", "è": "e", "ẻ": "e", "ẽ": "e", "ẹ": "e",
          "ý": "y", "ỳ": "y", "ỷ": "y", "ỹ": "y", "ỵ": "y"}
_TONE_OF = {"á": 0, "à": 1, "ả": 2, "ã": 3, "ạ": 4, "é": 0, "è": 1, "ẻ": 2, "ẽ": 3, "ẹ": 4,
            "ý": 0, "ỳ": 1, "ỷ": 2, "ỹ": 3, "ỵ": 4}
_TONED = {"o": "óòỏõọ", "u": "úùủũụ"}
OLD_STYLE = re.compile(r"(?<![qQ])([oO])([áàảãạéèẻẽẹ])(?!\w)|(?<![qQ])([uU])([ýỳỷỹỵ])(?!\w)", re.IGNORECASE)


def _gso_syllable(m: re.Match[str]) -> str:
    first, second = (m[1], m[2]) if m[1] else (m[3], m[4])
    toned = _TONED[first.lower()][_TONE_OF[second.lower()]]
    plain = _TONES[second.lower()]
    return (toned.upper() if first.isupper() else toned) + (plain.upper() if second.isupper() else plain)


def gso_style(text: str) -> str:
    """``text`` in GSO's diacritic style: "Hoá chất", "thuỷ sản", "khoẻ" → "Hóa chất", "thủy sản", "khỏe"."""
    return OLD_STYLE.sub(_gso_syllable, unicodedata.normalize("NFC", text))


VI_DAY_MONTH = "ngày {day} tháng {month} năm {year}"


def vi_date(day: dt.date) -> str:
    """The date line's date as Decree 30/2020 writes it: "ngày 05 tháng 12 năm 2026" (a zero before days
    under 10 and months 1 and 2: "ngày 09 tháng 02 năm 2026", "ngày 15 tháng 3 năm 2026")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return VI_DAY_MONTH.format(day=f"{day.day:02d}", month=month, year=day.year)


def en_date(day: dt.date) -> str:
    """"5 December 2026"."""
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def quarter_name(year: int, quarter: int, lang: str) -> str:
    """"quý IV/2025" (vi, lower case inside a sentence) / "the fourth quarter of 2025" (en)."""
    if lang == "vi":
        return f"quý {ROMAN_QUARTERS[quarter - 1]}/{year}"
    return f"the {('first', 'second', 'third', 'fourth')[quarter - 1]} quarter of {year}"
