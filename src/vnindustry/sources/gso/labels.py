"""Row labels of GSO tables: normalisation, matching keys, VSIC codes and slug codes.

Codes given to rows (the ``code`` column of the records):

- ``TOTAL`` — the table's total row ("Toàn ngành công nghiệp", "TỔNG SỐ", "TỔNG TRỊ GIÁ", "CẢ NƯỚC").
- IIP and labour tables: the VSIC 2018 code of the industry (:func:`vsic_code`): "Khai khoáng" → ``B``,
  "Sản xuất đồ uống" → ``11``. GSO prints section D as "Sản xuất và phân phối điện", which VSIC's
  name lookup resolves to division ``35`` (the section's only division).
- Everything else (products, retail, trade commodities and sectors, provinces): a **slug** — the label in
  lowercase ASCII, diacritics dropped, đ → d, runs of other characters → "-": "Hạt điều" → ``hat-dieu``
  (the same form as the store's ``slug``). Abbreviations GSO uses in some years are spelled out first
  (``SP`` → sản phẩm, ``KL`` → kim loại, ``LK`` → linh kiện, ``PT`` → phụ tùng, ``DC`` → dụng cụ,
  ``NPL`` → nguyên phụ liệu, ``PL`` → phụ liệu) so that "SP hóa chất" (2025) and "Sản phẩm hóa chất"
  (2021) get one code; real renames are listed in :data:`SLUG_ALIASES`, per table.
- "Trong đó: X" rows ("of which") get ``<parent code>.<slug of X>``: "Ô tô" → ``o-to``, its
  "Trong đó: Nguyên chiếc(*)" → ``o-to.nguyen-chiec``.
- Trade sectors: ``TOTAL``, ``khu-vuc-kinh-te-trong-nuoc`` (domestic), ``khu-vuc-co-von-dau-tu-nn`` (FDI)
  and, in exports, FDI's two parts ``khu-vuc-co-von-dau-tu-nn.dau-tho`` (crude oil) and
  ``khu-vuc-co-von-dau-tu-nn.hang-hoa-khac`` (other goods) — distinct from the commodity row ``dau-tho``
  further down, which carries the same figures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from vnindustry.classification.vsic import code_for_name, vsic_index

__all__ = [
    "DITTO_MARKS",
    "SLUG_ALIASES",
    "TOTAL_CODE",
    "RowCoder",
    "fold",
    "is_ditto",
    "normalise_label",
    "of_which",
    "series_places",
    "slug",
    "vsic_code",
]

TOTAL_CODE = "TOTAL"

# Folded labels of total rows (see fold()).
_TOTAL_LABELS = frozenset({"toan nganh cong nghiep", "tong so", "tong tri gia", "ca nuoc", "tong cong", "tong"})

# Labels GSO prints in its labour tables that neither the VSIC titles nor vsic.GSO_NAME_ALIASES cover.
# (vsic.py is another module's data; these stay here so the reader needs no edit there.)
VSIC_EXTRA_ALIASES: dict[str, str] = {
    "Xử lý ô nhiễm và hoạt động quản lý chất thải": "39",
}

# Abbreviations GSO uses in some years' trade and product labels, spelled out before slugging.
_ABBREVIATIONS = {
    "sp": "san-pham",
    "kl": "kim-loai",
    "lk": "linh-kien",
    "pt": "phu-tung",
    "dc": "dung-cu",
    "npl": "nguyen-phu-lieu",
    "pl": "phu-lieu",
}

# Renamed rows: slug as printed → the code of the series (per table). Seen in the 2021/2024/2025
# workbooks and the 2012–2025 history; the history's own (older) wording is the code.
SLUG_ALIASES: dict[str, dict[str, str]] = {
    "exports": {
        "dien-thoai-cac-loai-va-linh-kien": "dien-thoai-va-linh-kien",  # 2025
        "hang-det-may": "det-may",  # 2025
        "san-pham-chat-deo": "san-pham-tu-chat-deo",  # 2025
    },
    "imports": {
        "dien-thoai-cac-loai-va-linh-kien": "dien-thoai-va-linh-kien",  # 2025
    },
    "products": {
        "ti-vi": "tivi",  # 2025
    },
}

# Trade tables: the rows above "MẶT HÀNG CHỦ YẾU" (by sector). Keys and values are slugs.
_TRADE_SECTORS = {
    "tong-tri-gia": TOTAL_CODE,
    "khu-vuc-kinh-te-trong-nuoc": "khu-vuc-kinh-te-trong-nuoc",
    "khu-vuc-co-von-dau-tu-nn": "khu-vuc-co-von-dau-tu-nn",
    "khu-vuc-co-von-dau-tu-nuoc-ngoai": "khu-vuc-co-von-dau-tu-nn",
}
_FDI = "khu-vuc-co-von-dau-tu-nn"
# Exports split the FDI sector into crude oil and other goods, printed right below it.
_FDI_PARTS = frozenset({"dau-tho", "hang-hoa-khac"})

# Ditto marks ("as above") that GSO and its typists use in unit columns; compared after strip().
DITTO_MARKS = frozenset({'"', "''", '""', "“", "”", "„", "″", "〃", "-nt-", "nt", "như trên", '-"-', "-“-", "-”-"})

_OF_WHICH = re.compile(r"^\s*trong\s+(?:đó|do)\s*:?\s*", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"\(\s*\*+\s*\)")


def normalise_label(text: object) -> str:
    """The published label with whitespace normalised (line breaks and runs of spaces → one space), NFC."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def fold(text: object) -> str:
    """A matching key: lowercase ASCII without diacritics (đ → d), whitespace collapsed.

    GSO spells the same word with the tone mark on different vowels ("hoá"/"hóa", "thuỷ"/"thủy");
    folding makes header and label patterns immune to that.
    """
    text = unicodedata.normalize("NFC", str(text)).casefold().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(text.split())


def is_ditto(text: object) -> bool:
    """True if ``text`` is a ditto mark (the value of the cell above)."""
    return isinstance(text, str) and text.strip().casefold() in DITTO_MARKS


def is_total(label: str) -> bool:
    """True for a table's total row."""
    return fold(label).rstrip(":") in _TOTAL_LABELS


def of_which(label: str) -> str | None:
    """The part after "Trong đó:" of an "of which" row, else ``None``."""
    match = _OF_WHICH.match(label)
    return label[match.end():] if match else None


def slug(label: str) -> str:
    """Lowercase ASCII code of a label with GSO's abbreviations spelled out: "SP hóa chất" → "san-pham-hoa-chat"."""
    text = _FOOTNOTE_MARK.sub(" ", label)
    tokens = re.findall(r"[a-z0-9]+", fold(text))
    return "-".join(_ABBREVIATIONS.get(t, t) for t in tokens)


def vsic_code(label: str) -> str | None:
    """The VSIC 2018 code of an industry label as GSO prints it, ``None`` if unknown."""
    code = code_for_name(label)
    if code is not None:
        return code
    key = fold(label)
    for alias, alias_code in VSIC_EXTRA_ALIASES.items():
        if fold(alias) == key:
            return alias_code
    return None


@dataclass
class RowCoder:
    """Gives each row of one table its code, in row order (it tracks sections and "of which" parents).

    Args:
        table: the record table ("iip", "exports", …); selects :data:`SLUG_ALIASES`.
        style: "vsic" (industry rows), "slug" (items) or "trade" (sector block, then commodities).
    """

    table: str
    style: str
    section: str = "sector"
    parent: str = ""
    _last_sector: str = field(default="", repr=False)

    def start_block(self) -> None:
        """Forget the section and parent: a new table (or a new month block of a history file) starts."""
        self.section = "sector"
        self.parent = ""
        self._last_sector = ""

    def start_commodities(self) -> None:
        """The "MẶT HÀNG CHỦ YẾU" row: the rows below are commodities."""
        self.section = "commodity"
        self.parent = ""

    def code(self, label: str) -> str | None:
        """The code of the row ``label`` (``None``: an industry label that VSIC does not know)."""
        if is_total(label):
            self.parent = TOTAL_CODE
            return TOTAL_CODE
        child = of_which(label)
        if child is not None:
            # "of which" rows hang on the last ordinary row and do not become parents themselves.
            base = self.parent or TOTAL_CODE
            return f"{base}.{self._slug(child)}"
        if self.style == "vsic":
            code = vsic_code(label)
            self.parent = code or ""
            return code
        key = self._slug(label)
        if self.style == "trade" and self.section == "sector":
            if key in _TRADE_SECTORS:
                code = _TRADE_SECTORS[key]
                self._last_sector = code
                self.parent = code
                return code
            if self.table == "exports" and key in _FDI_PARTS and self._last_sector == _FDI:
                return f"{_FDI}.{key}"
            # The first row that is not a sector starts the commodity list (the history files have
            # no "MẶT HÀNG CHỦ YẾU" row).
            self.section = "commodity"
        self.parent = key
        return key

    def _slug(self, label: str) -> str:
        key = slug(label)
        return SLUG_ALIASES.get(self.table, {}).get(key, key)


_VSIC_DEPTH = {"section": 1, "division": 2, "group": 3, "class": 4}


def series_places(records: pd.DataFrame) -> pd.DataFrame:
    """Each record's series place in its table: ``kind``, ``level`` and ``parent`` (aligned with ``records``).

    The store's optional series columns: ``kind`` is "total" (the ``TOTAL`` row), "industry" (VSIC rows
    of the IIP and labour tables; ``level`` 1 = section, 2 = division), "group" (trade sectors and their
    parts) or "item" (products, commodities, retail lines, provinces); ``parent`` is the code above
    (``TOTAL`` for top rows, the section for a division — ``TOTAL`` for division 35, which GSO prints in
    place of section D —, the row before "." for "of which" rows).
    """
    vsic = vsic_index()
    sectors = set(_TRADE_SECTORS.values()) - {TOTAL_CODE}
    present = set(zip(records["table"], records["code"], strict=True))

    def place(table: str, code: str) -> tuple[str, object, str]:
        if code == TOTAL_CODE:
            return "total", 0, ""
        if not code:
            return "item", pd.NA, ""
        if "." in code:
            parent = code.rsplit(".", 1)[0]
            kind, level, _ = place(table, parent)
            return ("group" if kind == "group" else "item"), (pd.NA if level is pd.NA else int(level) + 1), parent
        if code in sectors and table in ("exports", "imports", "trade_balance", "trade_turnover"):
            return "group", 1, TOTAL_CODE
        entry = vsic.get(code)
        if entry is not None and table in ("iip", "labour"):
            # GSO prints section D as its only division (35): its parent in the table is the total.
            parent = entry.parent if (table, entry.parent) in present else TOTAL_CODE
            return "industry", _VSIC_DEPTH[entry.level], parent
        return "item", 1, TOTAL_CODE

    places = {key: place(*key) for key in dict.fromkeys(zip(records["table"], records["code"], strict=True))}
    rows = [places[key] for key in zip(records["table"], records["code"], strict=True)]
    out = pd.DataFrame(rows, columns=["kind", "level", "parent"], index=records.index)
    out["level"] = out["level"].astype("Int64")
    return out
