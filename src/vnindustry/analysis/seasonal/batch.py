"""Adjust many series in parallel: one process per core, each X-13 run in its own temporary directory.

X-13 is a single-threaded program started once or a few times per series, so the work spreads over
processes (:class:`concurrent.futures.ProcessPoolExecutor`); each run already has its own temporary
directory (see :mod:`~vnindustry.analysis.seasonal.x13`), so workers never share files. An error in one
series — too short, negative values under a log, X-13 refusing it — is returned in that series' place, and
the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

import pandas as pd

from vnindustry.analysis.seasonal.adjust import Adjustment, seas
from vnindustry.analysis.seasonal.spec import AdjustSpec
from vnindustry.analysis.seasonal.x13 import verify_binary

__all__ = ["adjust_many"]

Progress = Callable[[int, int, str], None]


def _adjust(key: str, series: pd.Series, options: dict[str, Any]) -> tuple[str, Adjustment | Exception]:
    try:
        return key, seas(series, **options)
    except Exception as exc:  # collected per series, by design
        return key, exc


def _options(key: str, options: dict[str, Any], specs: Mapping[str, AdjustSpec] | None) -> dict[str, Any]:
    if specs is not None and key in specs:
        return {**options, "spec": specs[key]}
    return options


def adjust_many(
    series: Mapping[str, pd.Series],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    specs: Mapping[str, AdjustSpec] | None = None,
    **options: Any,
) -> dict[str, Adjustment | Exception]:
    """:func:`~vnindustry.analysis.seasonal.adjust.seas` on each series, in parallel.

    Args:
        series: name → monthly series.
        workers: processes (default: the number of CPUs; 1 runs in this process, no pool).
        progress: called as ``progress(done, total, name)`` after each series.
        specs: name → frozen spec, for the monthly re-run (``seas(x, spec=…)``); series without one are
            identified afresh.
        **options: passed to ``seas`` for every series (``tet=``, ``transform=`` …).

    Returns:
        name → :class:`Adjustment`, or the exception that series raised; in the order of ``series``.
    """
    # Check the binary once here, so a wrong binary is one clear error rather than one per series.
    verify_binary()
    total = len(series)
    results: dict[str, Adjustment | Exception] = {}
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or total <= 1:
        for done, (key, values) in enumerate(series.items(), start=1):
            results[key] = _adjust(key, values, _options(key, options, specs))[1]
            if progress is not None:
                progress(done, total, key)
        return {key: results[key] for key in series}
    with ProcessPoolExecutor(max_workers=min(workers, total)) as pool:
        futures: list[Future[tuple[str, Adjustment | Exception]]] = [
            pool.submit(_adjust, key, values, _options(key, options, specs)) for key, values in series.items()]
        for done, future in enumerate(as_completed(futures), start=1):
            key, result = future.result()
            results[key] = result
            if progress is not None:
                progress(done, total, key)
    return {key: results[key] for key in series}
