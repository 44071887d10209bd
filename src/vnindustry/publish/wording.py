"""Small pieces of statistical wording in Vietnamese and English: months, changes, statuses, lists."""

from __future__ import annotations

import math

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
