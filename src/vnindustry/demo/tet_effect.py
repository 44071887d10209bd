"""The Tết effect the demo city was given, as the city's own figures: what a Tết adjustment must recover.

The generator (:func:`vnindustry.demo.city.generate_city`) plants a day-based Tết effect (a pre-Tết
rush, the holiday and a slow restart; :data:`~vnindustry.demo.city.TET_WINDOWS`). It can write the same
city — same enterprises, draws, weights and slips — with ``tet="none"`` (no Tết effect) and
``tet="typical"`` (each calendar month's average Tết effect instead of the year's own). Compiled by the
same engine, these give, for the IIP total and every other compiled series:

* ``planted`` — the city as published;
* ``none`` — the same city without Tết;
* ``typical`` — the city with the average Tết of each calendar month: what the **calendar-adjusted**
  series must come back to. The Tết regressors are centred on each calendar month's long-run mean (as
  X-13's genhol does and official practice asks), so calendar adjustment removes how this year's Tết
  differs from the usual one, and the usual one stays, with the rest of the seasonality, for the
  seasonal factors to remove.

Nothing here reads an adjustment: the figures come from the generator's parameters through the compile.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from vnindustry.demo.city import TET_EFFECTS, TOTAL_CODE, generate_city

__all__ = ["TET_SERIES", "city_without_tet"]

#: The series compared by default: the IIP total, a Tết-heavy manufacturing division (garments), a
#: consumer one with a strong pre-Tết rush (beverages) and electricity, whose Tết dip is shallow.
TET_SERIES: tuple[str, ...] = (TOTAL_CODE, "14", "11", "35")


def city_without_tet(codes: Sequence[str] = TET_SERIES, *, seed: int = 2020, n_enterprises: int = 1500,
                     folder: Path | None = None) -> pd.DataFrame:
    """The demo city's IIP of ``codes`` as published and without (or with the average) Tết effect.

    Args:
        codes: IIP row codes (``TOTAL`` and VSIC codes of the compiled tree).
        seed: the generator's seed (the ``demo`` command's default is 2020).
        n_enterprises: the generator's number of enterprises (the ``demo`` command's default is 1500).
        folder: where the three variants are written (``planted``, ``none``, ``typical`` under it); a
            temporary folder, removed afterwards, by default.

    Returns:
        One row per (code, period): ``code``, ``period`` (``YYYY-MM``), ``planted``, ``none``, ``typical``
        (the IIP, base year = 100).
    """
    from vnindustry.compile.engine import compile_dataset

    def compiled(root: Path) -> pd.DataFrame:
        frames = []
        for effect in TET_EFFECTS:
            out = generate_city(root / effect, seed=seed, n_enterprises=n_enterprises, tet=effect)  # type: ignore[arg-type]
            table = compile_dataset(out).table
            rows = table[table["code"].astype(str).isin(codes)]
            frames.append(rows.set_index(["code", "period"])["index"].rename(effect))
        frame = pd.concat(frames, axis=1).reset_index()
        missing = sorted(set(codes) - set(frame["code"].astype(str)))
        if missing:
            raise ValueError(f"no IIP row {', '.join(missing)} in the demo city")
        return frame.sort_values(["code", "period"], ignore_index=True)

    if folder is not None:
        return compiled(Path(folder))
    with tempfile.TemporaryDirectory(prefix="vnindustry-tet-") as tmp:
        return compiled(Path(tmp))
