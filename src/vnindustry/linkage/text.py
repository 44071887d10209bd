"""Vietnamese text as search terms: folding, word segmentation, and the terms BM25 counts.

Vietnamese writes words of several syllables with spaces between the syllables ("gia công", "động cơ điện"), so
a term is a *word* found by a segmenter (underthesea's CRF, whose model ships inside its wheel: nothing is
downloaded) and, beside it, each of its syllables. People also type without diacritics ("duc ap luc"): every
term is folded (lower case, diacritics and đ removed), so "Đúc áp lực" and "duc ap luc" share the syllables
"duc", "ap", "luc", and a text written with diacritics also shares its words ("ap_luc") with another written
the same way — the words rank a careful match higher, the syllables keep the accent-less one findable.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "surface_forms", "terms", "words"]

# Words that say nothing about what a firm makes, as written (the segmenter's words, lower case). Compared
# before folding: folded, "mạ" (plating) and "mà" (but), "cơ" (mechanical) and "có" (has) would be one.
STOPWORDS = frozenset([
    "và", "của", "cho", "các", "có", "được", "là", "với", "trong", "trên", "theo", "từ", "đến", "một", "những",
    "nhiều", "cũng", "như", "khi", "thì", "mà", "để", "tại", "về", "đó", "này", "không", "đã", "sẽ", "rất",
    "sản xuất", "công ty", "tnhh", "cổ phần", "chuyên", "yêu cầu", "cần", "dùng", "loại", "các loại", "hàng", "the",
    "and", "of", "for", "with", "to", "in", "on", "a", "an", "by", "or", "from", "our", "we", "is", "are", "as",
    "at", "per", "va", "cua", "cac", "duoc", "voi", "nhung", "san xuat", "cong ty", "co phan", "chuyen", "yeu cau",
])
_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case ASCII of ``text``: diacritics and đ removed, punctuation to single spaces, trimmed.

    >>> fold("Đúc áp lực (ADC12)")
    'duc ap luc adc12'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_PUNCT.sub(" ", text).replace("_", " ").split())


@lru_cache(maxsize=65536)
def _segmented(text: str) -> tuple[tuple[str, str], ...]:
    """(word as written, folded word with syllables joined by "_") for each word of ``text``."""
    from underthesea import word_tokenize  # imported on first use: loading the model takes ~0.5 s

    clean = unicodedata.normalize("NFC", text or "").replace("_", " ")
    out = []
    for word in word_tokenize(clean):
        folded = fold(word)
        if folded:
            out.append((word, folded.replace(" ", "_")))
    return tuple(out)


def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the segmenter finds them, folded, syllables joined by "_" ("gia_cong")."""
    return tuple(folded for _, folded in _segmented(text))


def surface_forms(text: str) -> dict[str, str]:
    """Each term of ``text`` (a word or a syllable, folded) → how ``text`` writes it, for showing a reason in
    the words a person typed ("ap_luc" → "áp lực")."""
    def lower(word: str) -> str:  # a capital at the start of a sentence goes, an acronym ("CNC", "ABS") stays
        return word[:1].lower() + word[1:] if word[1:].islower() or len(word) == 1 else word

    out: dict[str, str] = {}
    for written, folded in _segmented(text):
        out.setdefault(folded, " ".join(lower(p) for p in written.split()))
        for syllable, part in zip(folded.split("_"), written.split(), strict=False):
            out.setdefault(syllable, lower(part))
    return out


def terms(text: str) -> list[str]:
    """The terms BM25 counts in ``text``: each word of several syllables, then each syllable, stopwords left out.

    >>> terms("Đúc áp lực nhôm")[:3]
    ['duc', 'ap_luc', 'ap']
    """
    out: list[str] = []
    for written, word in _segmented(text):
        if written.lower() in STOPWORDS:
            continue
        if "_" in word:
            out.append(word)
        out.extend(s for s in word.split("_") if len(s) > 1 or s.isdigit())
    return out
