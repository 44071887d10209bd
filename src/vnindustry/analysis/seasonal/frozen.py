"""The monthly re-run of frozen specs, many series at a time: ``seas(x, spec=…)`` for each, faster.

With a frozen spec a series costs one X-13 run of 10–30 ms, so what surrounds the run decides the speed: a
process per series (X-13's start-up), a temporary folder per series, files read into pandas frames, results
pickled between processes. Here:

- the series are grouped in **batches**, one X-13 process per batch (a metafile; each series' files carry
  its own prefix in one shared temporary folder): X-13 computes each spec of a metafile exactly as alone —
  the same tables, estimates and diagnostics (checked on the demo city's 540 series);
- the batches run in **threads** of this process, ``workers`` X-13 processes at a time (from twice as many
  threads, so that a batch is ready when a process ends): the threads only write a few files, wait for X-13
  and parse its output, so nothing is pickled and no Python process starts;
- each series is assembled with the same functions as :func:`~vnindustry.analysis.seasonal.adjust.seas`
  (:func:`~vnindustry.analysis.seasonal.result.assemble`), from arrays rather than frames.

Anything but a clean result — a series that fails ``seas``'s checks, X-13 refusing a spec, a batch whose
process failed — is returned as None, and the caller runs that series again through ``seas`` alone, with
its fallbacks (:mod:`~vnindustry.analysis.seasonal.batch`): the outcome of a failure is then exactly the
serial path's, and a batch never hides which series failed.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

import pandas as pd

from vnindustry.analysis.seasonal.adjust import prepare
from vnindustry.analysis.seasonal.result import Adjustment, assemble
from vnindustry.analysis.seasonal.runs import frozen_run
from vnindustry.analysis.seasonal.spec import AdjustSpec
from vnindustry.analysis.seasonal.x13 import X13_BUILD, X13Output, run_specs

__all__ = ["BATCH_SIZE", "FrozenBatches", "adjust_frozen", "batches", "frozen_specs"]

#: Series per X-13 process, at most. Not only X-13's start-up (3–4 ms of CPU) is paid per process: the demo
#: city's 540 frozen runs cost 5.1–5.5 CPU-s one process per series, 3.9–4.4 in processes of 8, 3.7–3.9 of 32
#: and 3.75–3.85 of 68 (run one after the other, 2026-12-07), and each process costs this process a temporary
#: folder, a spawn and a wait. Fifty — on two cores, two batches of each read of a hundred series — took
#: `adjust --all` from 3.48 to 3.31 s (median of six each, alternating with batches of eight) and stored the very
#: same figures; the batches of the last reads stay small (:func:`batches`), so the last processes still end
#: close together.
BATCH_SIZE = 50
#: X-13's time limit for a batch, per series in it (a frozen run takes well under a second).
SECONDS_PER_SERIES = 60.0

Done = Callable[[Mapping[str, "Adjustment | None"]], None]
_Prepared = tuple[str, pd.Series, pd.Index, AdjustSpec]


def batches(keys: Sequence[str], *, workers: int, size: int = BATCH_SIZE, coming: int = 0) -> list[list[str]]:
    """``keys`` in consecutive batches of at most ``size``: a worker's share of them each while at least a full
    batch per worker is still ``coming`` after these (those keep the workers busy), and a quarter of a share
    otherwise, so that the last batches of a run end close together."""
    if not keys:
        return []
    workers = max(workers, 1)
    spread = workers if coming >= workers * size else 4 * workers
    size = max(1, min(size, math.ceil(len(keys) / spread)))
    return [list(keys[i:i + size]) for i in range(0, len(keys), size)]


def _prepare(key: str, series: pd.Series, spec: AdjustSpec) -> _Prepared | None:
    """The series as ``seas(x, spec=spec)`` prepares it, or None when ``seas`` would refuse it (the caller's
    run through ``seas`` then raises the very error)."""
    try:
        y, original_index = prepare(series)
    except Exception:  # seas raises it again, in that series' place
        return None
    if spec.x13_build != X13_BUILD or (spec.transform == "log" and (y <= 0).any()):
        return None
    return key, y, original_index, spec


def _run_batch(items: list[_Prepared], gate: threading.Semaphore | None = None) -> dict[str, Adjustment | None]:
    """One X-13 process for the batch (holding ``gate`` while it runs); each series assembled as ``seas``
    does, None where anything failed."""
    specs: dict[str, str] = {}
    files: dict[str, str] = {}
    names: dict[str, _Prepared] = {}
    results: dict[str, Adjustment | None] = {}
    for i, item in enumerate(items):
        name = f"s{i:04d}"
        try:
            text, own = frozen_run(item[1], item[3], prefix=f"{name}_")
        except Exception:  # e.g. a regressor outside the calendar's years: seas raises it, in that series' place
            results[item[0]] = None
            continue
        specs[name] = text
        files.update(own)
        names[name] = item
    if not specs:
        return results
    try:
        outputs = run_specs(specs, files, timeout=SECONDS_PER_SERIES * len(specs), gate=gate)
    except Exception:  # the process failed (or the binary): each series again alone, through seas
        return {item[0]: None for item in items}
    for name, (key, y, original_index, spec) in names.items():
        output = outputs[name]
        if not isinstance(output, X13Output):
            results[key] = None
            continue
        try:
            results[key] = assemble(y, original_index, spec, output, {})
        except Exception:  # e.g. a table X-13 did not save: seas raises it, with its message
            results[key] = None
    return results


class FrozenBatches:
    """Frozen runs submitted as the series arrive (a chunk at a time, while the store is still being read),
    ``workers`` X-13 processes at a time from twice as many threads; use as a context manager.

    :meth:`submit` returns a future per batch, whose result is name → :class:`Adjustment` or None (see the
    module's description); series ``seas`` would refuse before running X-13 are given as None at once.
    """

    def __init__(self, workers: int | None = None, *, batch_size: int = BATCH_SIZE) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.batch_size = batch_size
        # Twice as many threads as X-13 processes at a time (the gate): while a thread writes a batch's files
        # or reads its results, another has its batch ready to start the moment a process ends. With one
        # thread per process, X-13 ran ~80% of the time on the demo city (1.6 processes on 2 cores).
        self._gate = threading.Semaphore(self.workers)
        self._pool = ThreadPoolExecutor(max_workers=2 * self.workers, thread_name_prefix="x13")

    def submit(self, series: Mapping[str, pd.Series], specs: Mapping[str, AdjustSpec], *, coming: int = 0
               ) -> tuple[list[Future[dict[str, Adjustment | None]]], dict[str, Adjustment | None]]:
        """Batches for every key of ``specs`` (``series`` holds them); ``coming``: how many series later calls
        will submit (see :func:`batches`). Returns the batches' futures, and the series refused before any run
        (name → None)."""
        refused: dict[str, Adjustment | None] = {}
        prepared: dict[str, _Prepared] = {}
        for key, spec in specs.items():
            item = _prepare(key, series[key], spec)
            if item is None:
                refused[key] = None
            else:
                prepared[key] = item
        groups = batches(list(prepared), workers=self.workers, size=self.batch_size, coming=coming)
        return [self._pool.submit(_run_batch, [prepared[k] for k in group], self._gate) for group in groups], refused

    def close(self) -> None:
        """Wait for the batches submitted and stop the threads."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> FrozenBatches:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def adjust_frozen(series: Mapping[str, pd.Series], specs: Mapping[str, AdjustSpec], *, workers: int | None = None,
                  batch_size: int = BATCH_SIZE, done: Done | None = None) -> dict[str, Adjustment | None]:
    """``seas(series[k], spec=specs[k])`` for every key of ``specs``, in batches, ``workers`` at a time.

    Args:
        series: name → monthly series (a superset of ``specs``' keys is fine).
        specs: name → frozen spec; only these series are adjusted.
        workers: X-13 processes at a time (default: the number of CPUs).
        batch_size: series per X-13 process (at most).
        done: called with each finished batch's results (name → Adjustment or None), in this thread.

    Returns:
        name → the :class:`Adjustment` ``seas`` returns for it, or None where the batch could not give it
        (run that series through ``seas`` alone).
    """
    results: dict[str, Adjustment | None] = {}
    with FrozenBatches(workers, batch_size=batch_size) as runner:
        futures, refused = runner.submit(series, specs)
        for outcome in [refused, *(f.result() for f in as_completed(futures))]:
            if outcome:
                results.update(outcome)
                if done is not None:
                    done(outcome)
    return {key: results[key] for key in specs}


def frozen_specs(keys: Sequence[str], specs: Mapping[str, AdjustSpec] | None) -> dict[str, AdjustSpec]:
    """The frozen spec of each of ``keys`` that has one, in the order of ``keys``."""
    if not specs:
        return {}
    return {k: specs[k] for k in keys if k in specs}
