"""GSO's diacritic style for names the pages print from data (issue 13).

GSO and the city's offices put the tone mark of an open syllable ending in "oa", "oe" or "uy" on the main
vowel — "hóa", "hòa", "khỏe", "thủy" — where some catalogues (the VSIC names, product lists) write "hoá",
"hoà", "khoẻ", "thuỷ". :func:`gso_style` moves the mark for such syllables only: a syllable with a final
consonant ("hoàn", "thuyền") is the same in both styles and is left alone, and so is "qu" + "y" ("quý", where
"u" belongs to the consonant).
"""

from __future__ import annotations

import re
import unicodedata

# The tone marks (combining characters after NFD) and the vowels they can sit on.
_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
# The syllable must end there: no other mark on the second vowel ("hoặc": ă's breve) and no letter after it.
_SYLLABLE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![\u0300-\u036f]|[^\W\d_])")


def gso_style(text: str) -> str:
    """``text`` with "oá/oà/oả/oã/oạ", "oé…" and "uý…" at the end of a syllable written as GSO prints them
    ("óa", "óe", "úy"): "Sơn hoá học" → "Sơn hóa học", "thuỷ sản" → "thủy sản"; anything else unchanged."""
    if not text:
        return text
    decomposed = unicodedata.normalize("NFD", text)
    # After NFD a vowel's own mark (ơ's horn, â's circumflex) comes before the tone; "o"/"u" plain here, so the
    # pattern only meets the three diphthongs. The tone moves from the second vowel to the first.
    moved = _SYLLABLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)
