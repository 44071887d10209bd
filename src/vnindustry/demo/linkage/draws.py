"""The linkage demo's random draws (one item, a subset in declared order, log-uniform) and how drawn values
are written: rounded to two significant digits, or typed without diacritics."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np


def _pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _subset(rng: np.random.Generator, items: Sequence[str], k: int) -> list[str]:
    """``k`` distinct items in their declared order (the draw picks which, the order stays readable)."""
    chosen = sorted(rng.choice(len(items), size=min(k, len(items)), replace=False).tolist())
    return [items[i] for i in chosen]


def _round2(x: float) -> int:
    """``x`` to two significant digits (volumes and capacities are stated roughly)."""
    if x < 10:
        return max(1, round(x))
    digits = len(str(int(x))) - 2
    return int(round(x / 10**digits) * 10**digits)


def _loguniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _strip_diacritics(text: str) -> str:
    """``text`` as typed on a keyboard without Vietnamese input: no tone or vowel marks, đ → d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)
