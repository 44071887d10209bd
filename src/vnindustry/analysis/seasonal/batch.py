"""Adjust many series in parallel: one X-13 process per core at a time, each in its own temporary directory.

X-13 is a single-threaded program started once or a few times per series, so the work spreads over
processes. Series to identify are advanced step by step (``seas_steps``), the X-13 runs that many of them
wait for batched in one X-13 process, the longest series first (:mod:`~vnindustry.analysis.seasonal.stepped`);
series with a frozen spec run in batches, several to an X-13 process (:mod:`~vnindustry.analysis.seasonal.frozen`);
both from threads of this process. Each X-13 process has its own
temporary directory (see :mod:`~vnindustry.analysis.seasonal.x13`), so runs never share files. An error in one
series — too short, negative values under a log, X-13 refusing it — is returned in that series' place, and
the others go on. A series whose automatic identification fails falls back to a re-estimation (a frozen
spec that no longer fits) or to the airline model without outlier search, and says so.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

import pandas as pd

from vnindustry.analysis.seasonal.adjust import Adjustment, seas, seas_steps
from vnindustry.analysis.seasonal.frozen import FrozenBatches, frozen_specs
from vnindustry.analysis.seasonal.identify import AIRLINE
from vnindustry.analysis.seasonal.runs import Steps
from vnindustry.analysis.seasonal.spec import AdjustSpec
from vnindustry.analysis.seasonal.stepped import SteppedBatches
from vnindustry.analysis.seasonal.x13 import X13BinaryError, X13Error, verify_binary

__all__ = ["FALLBACK_ARIMA", "adjust_many", "adjust_stream", "reason_in_words"]

Progress = Callable[[int, int, str], None]


#: The model of the last resort: the airline model, no outlier search (X-13's and TRAMO's default model).
FALLBACK_ARIMA = AIRLINE


def _attempts(options: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The options of each attempt of :func:`_adjust`, and the note a result of that attempt carries."""
    attempts: list[tuple[dict[str, Any], str]] = [(options, "")]
    if options.get("spec") is not None:
        attempts.append(({k: v for k, v in options.items() if k != "spec"},
                         "re-estimated, because the frozen spec no longer fits"))
    automatic = {k: v for k, v in options.items() if k != "spec"}
    if automatic.get("arima", "auto") in ("auto", "search") or automatic.get("outliers", True):
        attempts.append(({**automatic, "arima": FALLBACK_ARIMA, "outliers": False},
                         "the default model (airline model, no outlier search), because the automatic "
                         "identification failed"))
    return attempts


def _noted(result: Adjustment, note: str, first: Exception | None) -> Adjustment:
    if note:
        result.diagnostics["fallback"] = f"{note}: {reason_in_words(first)}" if first else note
    return result


def _adjust(key: str, series: pd.Series, options: dict[str, Any]) -> tuple[str, Adjustment | Exception]:
    """``seas`` with fallbacks: a frozen spec that fails is re-estimated; an automatic identification
    that fails is replaced by the airline model without outlier search. A fallback is noted, in words, as
    ``diagnostics["fallback"]``; the error of the last attempt is returned when every attempt failed."""
    first: Exception | None = None
    for attempt, note in _attempts(options):
        try:
            result = seas(series, **attempt)
        except X13BinaryError as exc:  # the binary, not the series: no fallback helps
            return key, exc
        except ValueError as exc:  # the series itself (too short, gaps, ≤ 0 under a log): no fallback helps
            return key, exc
        except Exception as exc:  # collected per series, by design
            first = first or exc
            continue
        return key, _noted(result, note, first)
    assert first is not None
    return key, first


def _adjust_steps(series: pd.Series, options: dict[str, Any]) -> Steps[Adjustment | Exception]:
    """:func:`_adjust` as steps (``seas_steps`` for ``seas``): the same attempts, the same result."""
    first: Exception | None = None
    for attempt, note in _attempts(options):
        try:
            result = yield from seas_steps(series, **attempt)
        except X13BinaryError as exc:
            return exc
        except ValueError as exc:
            return exc
        except Exception as exc:  # collected per series, by design
            first = first or exc
            continue
        return _noted(result, note, first)
    assert first is not None
    return first


_X13_REASONS = (
    (re.compile(r"converge", re.IGNORECASE), "X-13 could not estimate the model (the estimation did not converge)"),
    (re.compile(r"singular|collinear", re.IGNORECASE),
     "the regressors cannot be told apart in this series (singular regression matrix)"),
    (re.compile(r"log|nonpositive|non-positive|negative", re.IGNORECASE),
     "the series has values that a log transform cannot take"),
    (re.compile(r"no result after|time", re.IGNORECASE), "X-13 took too long and was stopped"),
    (re.compile(r"exit status", re.IGNORECASE), "X-13 stopped unexpectedly"),
    (re.compile(r"automdl|model", re.IGNORECASE), "X-13 found no suitable ARIMA model"),
    (re.compile(r"table|diagnostics", re.IGNORECASE), "X-13 produced no decomposition"),
)


def reason_in_words(error: BaseException) -> str:
    """Why a series could not be adjusted, in a sentence for the office (never X-13's raw text).

    Our own checks (:class:`ValueError`) already speak in words; X-13's messages are classified."""
    if isinstance(error, ValueError | X13BinaryError):
        return str(error).splitlines()[0]
    if isinstance(error, X13Error):
        text = " ".join(error.messages)
        for pattern, words in _X13_REASONS:
            if pattern.search(text):
                return words
        return "X-13ARIMA-SEATS refused the series"
    return f"an unexpected error ({type(error).__name__})"


def _options(key: str, options: dict[str, Any], specs: Mapping[str, AdjustSpec] | None) -> dict[str, Any]:
    if specs is not None and key in specs:
        return {**options, "spec": specs[key]}
    return options


#: The keyword arguments ``seas`` takes besides the series (a frozen spec makes it ignore the others).
_SEAS_OPTIONS = frozenset(inspect.signature(seas).parameters) - {"x"}


def _longest_first(series: Mapping[str, pd.Series], keys: list[str]) -> list[str]:
    """The series to identify, the longest first: identification costs more the longer the series, and a
    long one started last would keep one core busy after the others are done."""
    return sorted(keys, key=lambda k: -len(series[k]))


def adjust_many(
    series: Mapping[str, pd.Series],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    specs: Mapping[str, AdjustSpec] | None = None,
    **options: Any,
) -> dict[str, Adjustment | Exception]:
    """:func:`~vnindustry.analysis.seasonal.adjust.seas` on each series, in parallel.

    Series with a frozen spec (the monthly re-run) go through
    :class:`~vnindustry.analysis.seasonal.frozen.FrozenBatches`: several series per X-13 process, ``workers``
    processes at a time from threads of this process. The others, and any series the batches could not
    adjust, are advanced step by step (``seas_steps``, with the fallbacks described in this module), the X-13
    runs that several series wait for in one process, ``workers`` processes at a time
    (:class:`~vnindustry.analysis.seasonal.stepped.SteppedBatches`), the longest series first. Either way a
    series' result is what ``seas`` gives it alone (the same numbers, to the bit).

    Args:
        series: name → monthly series.
        workers: X-13 processes at a time (default: the number of CPUs; 1: one series after the other, through
            ``seas``).
        progress: called as ``progress(done, total, name)`` after each series, in this thread.
        specs: name → frozen spec, for the monthly re-run (``seas(x, spec=…)``); series without one are
            identified afresh.
        **options: passed to ``seas`` for every series (``tet=``, ``transform=`` …).

    Returns:
        name → :class:`Adjustment`, or the exception that series raised; in the order of ``series``.
    """
    return adjust_stream([(series, len(series))], expected=len(series), workers=workers, progress=progress,
                         specs=specs, **options)


def adjust_stream(
    chunks: Iterable[tuple[Mapping[str, pd.Series], int]],
    *,
    expected: int,
    workers: int | None = None,
    progress: Progress | None = None,
    specs: Mapping[str, AdjustSpec] | None = None,
    each: Callable[[str, Adjustment | Exception], None] | None = None,
    **options: Any,
) -> dict[str, Adjustment | Exception]:
    """:func:`adjust_many` on series that arrive in chunks — read from the store a chunk at a time, say —
    each chunk's series started as soon as it arrives, while the next is read.

    Args:
        chunks: (name → series, how many of the ``expected`` series the chunk stands for — those read,
            including any the reader left out).
        expected: the number of series to expect in all; ``progress``'s total is the series received so
            far and those still to read, exact once every chunk has arrived.
        each: called with each series' result as it is known, in this thread (before ``progress``).

    Returns:
        name → :class:`Adjustment` or the exception that series raised, in the order the series arrived.
    """
    # Check the binary once here, so a wrong binary is one clear error rather than one per series.
    verify_binary()
    workers = workers or os.cpu_count() or 1
    order: list[str] = []
    received: dict[str, pd.Series] = {}
    results: dict[str, Adjustment | Exception] = {}
    redo: list[str] = []
    announced = [0]  # series the chunks stood for so far

    def total() -> int:
        return len(received) + max(expected - announced[0], 0)

    def finished(key: str, result: Adjustment | Exception) -> None:
        results[key] = result
        if each is not None:
            each(key, result)
        if progress is not None:
            progress(len(results), total(), key)

    def batch_done(outcome: Mapping[str, Adjustment | None]) -> None:
        for key, result in outcome.items():
            if result is None:
                redo.append(key)
            else:
                finished(key, result)

    fast = set(options) <= _SEAS_OPTIONS  # options seas does not know: every series through seas, to fail there
    pending: dict[Future[Any], str] = {}  # future → "series" (one, by steps) or "batch" (frozen, several)

    def run(keys: list[str], steps: SteppedBatches) -> None:
        for key in keys:
            job = (received[key], _options(key, options, specs))
            if workers <= 1 or expected <= 1:
                finished(*_adjust(key, *job))
                continue
            pending[steps.submit(key, _adjust_steps(*job), size=len(received[key]))] = "series"

    def collect(block: bool) -> None:
        while pending:
            done, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
            if not done:
                return
            for future in done:
                what = pending.pop(future)
                if what == "series":
                    finished(*future.result())
                else:
                    batch_done(future.result())

    with FrozenBatches(workers) as batches, SteppedBatches(workers) as steps:
        for chunk, stands_for in chunks:
            announced[0] += stands_for
            new = [k for k in chunk if k not in received]
            received.update({k: chunk[k] for k in new})
            order.extend(new)
            frozen = frozen_specs(new, specs) if fast else {}
            run(_longest_first(received, [k for k in new if k not in frozen]), steps)  # first: they take longest
            if frozen:
                futures, refused = batches.submit(received, frozen, coming=max(expected - announced[0], 0))
                pending.update(dict.fromkeys(futures, "batch"))
                batch_done(refused)
            collect(block=False)
        collect(block=True)
        # What the batches could not adjust runs alone through seas's steps: a spec that no longer fits is
        # then re-estimated as in the serial path, and a failure has the serial path's error.
        while redo:
            again, redo[:] = list(redo), []
            run(again, steps)
            collect(block=True)
    return {key: results[key] for key in order}
