"""English names of products, GSO rows and units, and names of trade partners, from tables (``names/data``).

The sources print names in Vietnamese only (GSO's workbooks, a city's product list); a page, download or
bulletin in English asks here. Each function has one fallback rule, stated in its docstring: a name the
tables do not know comes back empty (``english_name``) or unchanged (``english_unit``, ``market_name``),
never guessed — the English-output tests then find the Vietnamese and the table gets its row.

Example::

    >>> english_name("Sữa bột")
    'Powdered milk'
    >>> english_name("Dầu thô", table="exports", code="dau-tho")
    'Crude oil'
    >>> english_unit("nghìn tấn"), english_unit("Triệu USD"), english_unit("tỷ đồng")
    ('thousand tonnes', 'USD million', 'VND billion')
    >>> market_name("AUT", "vi"), market_name("ROW", "en")
    ('Áo', 'Rest of the world')
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from functools import cache
from importlib import resources

__all__ = ["SOURCES", "SOURCE_PICKS", "english_name", "english_unit", "group_name", "market_name", "name_in",
           "name_key", "source_name", "source_pick", "unit_in"]

# The older tone-mark placement ("hoá", "thuỷ", "khoẻ") → GSO's current one ("hóa", "thủy", "khỏe"), only
# where the pair ends the syllable ("hoàn" keeps its mark). Used for keys only.
_TONE_MOVES = {f"{a}{b}": f"{c}{d}" for a, b, c, d in (
    ("o", "á", "ó", "a"), ("o", "à", "ò", "a"), ("o", "ả", "ỏ", "a"), ("o", "ã", "õ", "a"), ("o", "ạ", "ọ", "a"),
    ("o", "é", "ó", "e"), ("o", "è", "ò", "e"), ("o", "ẻ", "ỏ", "e"), ("o", "ẽ", "õ", "e"), ("o", "ẹ", "ọ", "e"),
    ("u", "ý", "ú", "y"), ("u", "ỳ", "ù", "y"), ("u", "ỷ", "ủ", "y"), ("u", "ỹ", "ũ", "y"), ("u", "ỵ", "ụ", "y"))}
_TONE_RE = re.compile("(" + "|".join(_TONE_MOVES) + r")(?!\w)")


def name_key(name: str) -> str:
    """The look-up form of a Vietnamese name: NFC, case-folded, single spaces, one tone-mark style."""
    text = " ".join(unicodedata.normalize("NFC", str(name)).split()).casefold()
    return _TONE_RE.sub(lambda m: _TONE_MOVES[m.group(1)], text)


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("vnindustry.names").joinpath("data", filename).read_text(encoding="utf-8")
    return [{k: unicodedata.normalize("NFC", v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


@cache
def _products() -> dict[str, str]:
    return {name_key(r["name_vi"]): r["name_en"] for r in _rows("products_en.csv")}


@cache
def _gso_rows() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    by_code: dict[tuple[str, str], str] = {}
    by_name: dict[str, str] = {}
    for r in _rows("gso_rows_en.csv"):
        by_code[(r["table"], r["code"])] = r["name_en"]
        # "Trong đó: …" and total labels depend on their row: by code only.
        if not r["code"].startswith("TOTAL") and "." not in r["code"]:
            by_name.setdefault(name_key(r["name_vi"]), r["name_en"])
    return by_code, by_name


@cache
def _vsic_names() -> dict[str, str]:
    from vnindustry.classification import load_key_industries, load_vsic

    names = {name_key(e.name_vi): e.name_en for e in reversed(load_vsic())}  # the division's wins over its group
    names.update({name_key(g.name_vi): g.name_en for g in load_key_industries()})
    return names


def english_name(name_vi: str, *, table: str | None = None, code: str | None = None) -> str:
    """The English name of a row or product whose Vietnamese name is ``name_vi``.

    Rule: the GSO row table by (``table``, ``code``), then by (any table, ``code``); then by name — the
    product table (demo catalogue and GSO's key products), the GSO row table, VSIC 2018 and the key-industry
    groups (names compared by :func:`name_key`). ``""`` when none knows it: the caller shows the Vietnamese.
    """
    by_code, by_name = _gso_rows()
    if code:
        for k in ((table or "", code), ("*", code)):
            if k in by_code:
                return by_code[k]
    key = name_key(name_vi)
    for names in (_products(), by_name, _vsic_names()):
        if key in names:
            return names[key]
    return ""


def name_in(name_vi: str, lang: str, *, code: str | None = None) -> str:
    """A product's or row's name as a page in ``lang`` prints it: the English name where the tables know
    one (:func:`english_name`), else the Vietnamese as given — never a guess."""
    return (english_name(name_vi, code=code) or name_vi) if lang == "en" else name_vi


@cache
def _units() -> dict[str, str]:
    return {name_key(r["unit_vi"]): r["unit_en"] for r in _rows("units_en.csv")}


# Multipliers, longest first. Money puts the currency first ("USD million", "VND billion"), as GSO's
# English releases do; quantities put the multiplier first ("thousand tonnes").
_MULTIPLIERS = (("nghìn tỷ", "trillion"), ("nghìn", "thousand"), ("triệu", "million"), ("tỷ", "billion"))
_CURRENCIES = frozenset({"VND", "USD"})


@cache
def english_unit(unit_vi: str) -> str:
    """The English unit of ``unit_vi``: "nghìn tấn" → "thousand tonnes", "Triệu USD" → "USD million".

    Rule: an optional multiplier (nghìn, triệu, tỷ, nghìn tỷ) and a base unit from ``units_en.csv``;
    a unit whose base is not in the table comes back unchanged (symbols such as "%" need no translation).
    """
    key = name_key(unit_vi)
    if not key:
        return ""
    if key in _units():
        return _units()[key]
    for vi, en in _MULTIPLIERS:
        if key.startswith(vi + " "):
            base = _units().get(key[len(vi) + 1:].strip())
            if base is None:
                break
            return f"{base} {en}" if base in _CURRENCIES else f"{en} {base}"
    return unit_vi


def unit_in(unit_vi: str, lang: str) -> str:
    """``unit_vi`` as a page in ``lang`` prints it (English from :func:`english_unit`)."""
    return english_unit(unit_vi) if lang == "en" else unit_vi


@cache
def _markets() -> dict[str, tuple[str, str]]:
    return {r["code"]: (r["name_vi"], r["name_en"]) for r in _rows("markets.csv")}


def market_name(code: str, lang: str) -> str:
    """The name of a country (ISO 3166-1 alpha-3), a market group (EU, ASEAN …), ``WLD`` or ``ROW`` in
    ``lang``; a combination "A+B" names each part. Rule: a code not in ``markets.csv`` comes back as is."""
    if "+" in code:
        return " + ".join(market_name(part, lang) for part in code.split("+"))
    pair = _markets().get(code.strip().upper())
    return code if pair is None else pair[0 if lang == "vi" else 1]


def group_name(code: str, lang: str) -> str:
    """The name of an industry group (HCMC's key industries, "KEY4" → "4 ngành công nghiệp trọng yếu" /
    "four key industries") in ``lang``. Rule: an unknown code comes back as is."""
    from vnindustry.classification import load_key_industries

    for g in load_key_industries():
        if g.code == code:
            return g.name_vi if lang == "vi" else g.name_en
    return code


# -- sources in words (issue 13): one table for the pages, the API and the bulletin ----------------------------
# Every source name the code writes (grep ``source=``): the compile (city), GSO's workbooks and history (gso),
# trade flows (trade, trade-gso, trade-demo) and key-product scorings. The seasonal adjustment and a portal
# close store under their own data's source. A source not listed (a user's ``trade import --source``) shows as
# the user named it.
SOURCES: dict[str, tuple[str, str]] = {
    "city": ("Sở Công Thương (báo cáo doanh nghiệp)", "Department of Industry and Trade (enterprise reports)"),
    "gso": ("Tổng cục Thống kê", "General Statistics Office"),
    "trade": ("Số liệu xuất, nhập khẩu theo mặt hàng", "Trade flows by product"),
    "trade-gso": ("Tổng cục Thống kê, xuất, nhập khẩu theo nhóm hàng", "General Statistics Office, trade by commodity"),
    "trade-demo": ("Xuất, nhập khẩu theo mặt hàng của thành phố demo", "Demo city's trade flows by product"),
    "key-products": ("Đánh giá sản phẩm công nghiệp chủ lực", "Key industrial product scoring"),
}
# A shorter name where sources are picked (the picker on every page).
SOURCE_PICKS: dict[str, tuple[str, str]] = {
    "city": ("Sở Công Thương", "Department of Industry and Trade"),
    "gso": ("Tổng cục Thống kê", "General Statistics Office"),
}


def source_name(source: str, lang: str) -> str:
    """The source in words: "Tổng cục Thống kê" / "General Statistics Office"; a source not in
    :data:`SOURCES` (a user's ``trade import --source``) as the user named it."""
    vi, en = SOURCES.get(source, (source, source))
    return vi if lang == "vi" else en


def source_pick(source: str, lang: str) -> str:
    """The source's short name, for the source picker."""
    vi, en = SOURCE_PICKS.get(source) or SOURCES.get(source, (source, source))
    return vi if lang == "vi" else en
