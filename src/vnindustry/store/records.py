"""The tidy record every source hands to the store (the columns of ``import-workbook --out``)."""

from __future__ import annotations

import re
import unicodedata

RECORD_COLUMNS = ("table", "series", "code", "unit", "period", "measure", "value", "status", "sheet", "cell")
STATUSES = ("estimate", "preliminary", "actual")
# Optional columns a source may add to describe each series' place in its table (stored on the series).
SERIES_COLUMNS = ("kind", "level", "parent")
KINDS = ("total", "industry", "group", "item")
STATUS_VI = {"estimate": "ước tính", "preliminary": "sơ bộ", "actual": "thực hiện"}


def slug(text: str) -> str:
    """ASCII, lowercase, hyphenated form of a Vietnamese label: "Điện sản xuất" → "dien-san-xuat"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
