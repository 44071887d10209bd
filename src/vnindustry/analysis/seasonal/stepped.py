"""The first identification of many series at once: ``seas`` for each, the X-13 runs of many series batched
in one X-13 process.

Identifying a series takes four to six X-13 runs one after the other (the transforms, their comparison with
the same outliers, outliers against Tết, the Tết windows, the final X-11 run), most of them a few milliseconds
of X-13's own work — less than starting the process, writing its folder and reading it back. So the series are
advanced step by step (:func:`~vnindustry.analysis.seasonal.adjust.seas_steps`: the very computation of
``seas``, its X-13 runs yielded as :class:`~vnindustry.analysis.seasonal.runs.Request`\\ s), and the requests
waiting at any moment, from many series, run together:

- a **batch** is one X-13 process (a metafile), each request's specs and files under its own prefix in one
  temporary folder; X-13 computes each spec of a metafile exactly as alone (the same estimates, diagnostics
  and tables — checked on every run of the demo city's 540 series);
- batches run from threads of this process, ``workers`` X-13 processes at a time, from twice as many
  threads (a batch is ready when a process ends); the threads write the files, wait for X-13, read its
  output and advance the series — the Python of identification (the pre-screen in numpy, reading X-13's
  files) is a tenth of X-13's time, so one interpreter keeps the cores busy;
- the requests of series that have started gather: a new series starts (the longest first: identification
  costs more the longer the series) unless :data:`GATHER` of them wait, which then run together, the oldest
  first; batches shrink as the queue empties, so that both cores stay busy to the end;
- a request that identifies (``automdl``, the outlier search: 50 ms to 4 s of X-13's work where the others take
  milliseconds) runs in a process of its own, exactly as ``seas`` runs it: batching it would save ~1.5 ms of
  start-up, and a batch's failed spec must be run again alone (X-13's error text may depend on what the process
  ran before), which for such a request cost the demo city 11 CPU-s of 146 (4 requests of 540 run twice).

What is not a clean batch result runs again alone, as ``seas`` runs it: a request whose spec X-13 refused (its
error then names the spec and files as ``seas``'s does) or whose messages name the batch's files, and every
request of a batch whose process failed; a request that still fails raises its error in the series' steps,
where ``seas`` would have raised it. A series' result is thus what ``seas`` gives it alone, to the bit.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections import deque
from collections.abc import Generator
from concurrent.futures import CancelledError, Future
from typing import Any

from vnindustry.analysis.seasonal.runs import Request, Results
from vnindustry.analysis.seasonal.x13 import X13Output, run_specs

__all__ = ["BUDGET", "GATHER", "SECONDS_PER_REQUEST", "SteppedBatches"]

#: What a batch holds at most: requests that only estimate (a few milliseconds each). A request that
#: identifies (``automdl``, the outlier search) runs alone.
BUDGET = 16
#: Requests of started series that wait before they run together, rather than a new series starting.
GATHER = 4
#: X-13's time limit for a batch, per request in it (as a request alone has: ``x13.run_specs``' default).
SECONDS_PER_REQUEST = 120.0


class _Series:
    __slots__ = ("future", "key", "request", "steps")

    def __init__(self, key: str, steps: Generator[Request, Results, Any], future: Future[Any]) -> None:
        self.key = key
        self.steps = steps
        self.future = future
        self.request: Request | None = None


class SteppedBatches:
    """Series advanced step by step, the X-13 runs they wait for batched; use as a context manager.

    :meth:`submit` takes a series' steps (a generator of requests, such as ``seas_steps(x)``) and returns a
    future of ``(key, what the steps returned)``.
    """

    def __init__(self, workers: int, *, budget: int = BUDGET) -> None:
        self.workers = max(1, workers)
        self.budget = budget
        self._gate = threading.Semaphore(self.workers)
        self._cond = threading.Condition()
        self._started: deque[_Series] = deque()  # series past their first request
        self._new: list[tuple[int, int, _Series]] = []  # heap: the longest series first, then in order
        self._order = itertools.count()
        self._closed = False
        self._threads: list[threading.Thread] = []

    def submit(self, key: str, steps: Generator[Request, Results, Any], *, size: int = 0) -> Future[Any]:
        """Start ``steps`` (up to its first request, in this thread); ``size`` (the series' length) orders the
        new series, the largest first."""
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        item = _Series(key, steps, future)
        if not self._threads:
            self._threads = [threading.Thread(target=self._loop, name=f"x13-steps-{i}", daemon=True)
                             for i in range(2 * self.workers)]
            for thread in self._threads:
                thread.start()
        self._advance(item, new=(-size, next(self._order)))
        return future

    def _advance(self, item: _Series, results: Results | None = None, error: Exception | None = None, *,
                 new: tuple[int, int] | None = None) -> None:
        """Send the series its results (or raise ``error`` where it asked) and queue its next request."""
        try:
            item.request = item.steps.throw(error) if error is not None else item.steps.send(results)  # type: ignore[arg-type]
        except StopIteration as stop:
            item.future.set_result((item.key, stop.value))
            return
        except BaseException as exc:  # a bug in the steps: the caller's future raises it
            item.future.set_exception(exc)
            return
        with self._cond:
            if self._closed:
                item.steps.close()
                item.future.set_exception(CancelledError())
                return
            if new is None:
                self._started.append(item)
            else:
                heapq.heappush(self._new, (*new, item))  # type: ignore[arg-type]
            self._cond.notify()

    def _take(self) -> list[_Series]:
        """The next batch (holding the lock). A request that identifies is a batch of its own. While series wait
        to start, one starts (its first request identifies) unless :data:`GATHER` requests of started series
        wait: those then run together, the oldest first, up to a budget that shrinks to a share of what waits,
        so that every worker has a batch to the end."""
        limit = max(1, min(self.budget, math.ceil((len(self._started) + len(self._new)) / self.workers)))
        if self._new and len(self._started) < min(GATHER, limit):
            return [heapq.heappop(self._new)[2]]
        batch: list[_Series] = []
        while self._started and len(batch) < limit:
            item = self._started[0]
            assert item.request is not None
            if item.request.heavy and batch:
                break
            self._started.popleft()
            batch.append(item)
            if item.request.heavy:
                break
        return batch

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not (self._started or self._new or self._closed):
                    self._cond.wait()
                if self._closed:
                    return
                batch = self._take()
            self._run(batch)

    def _alone(self, item: _Series) -> None:
        """The request run alone, exactly as ``seas`` runs it."""
        assert item.request is not None
        try:
            results = run_specs(item.request.specs, item.request.files, gate=self._gate)
        except Exception as exc:  # raised in the series' steps, where it asked
            self._advance(item, error=exc)
        else:
            self._advance(item, results)

    def _run(self, batch: list[_Series]) -> None:
        if len(batch) == 1:
            self._alone(batch[0])
            return
        specs: dict[str, str] = {}
        files: dict[str, str] = {}
        prefixes: list[str] = []
        for i, item in enumerate(batch):
            assert item.request is not None
            prefix = f"q{i:03d}_"
            own_specs, own_files = item.request.prefixed(prefix)
            specs.update(own_specs)
            files.update(own_files)
            prefixes.append(prefix)
        try:
            outputs = run_specs(specs, files, timeout=SECONDS_PER_REQUEST * len(batch), gate=self._gate)
        except Exception:  # the process failed: each request again alone
            for item in batch:
                self._alone(item)
            return
        for item, prefix in zip(batch, prefixes, strict=True):
            assert item.request is not None
            results: Results = {}
            for name in item.request.specs:
                output = outputs[prefix + name]
                if not isinstance(output, X13Output) or any(prefix in m for m in output.messages):
                    break
                output.name = name
                results[name] = output
            else:
                self._advance(item, results)
                continue
            self._alone(item)  # X-13 refused a spec: its error as seas has it (names, spec text)

    def close(self) -> None:
        """Stop the threads (the batches running end first); series not finished are cancelled."""
        with self._cond:
            self._closed = True
            waiting = list(self._started) + [entry[2] for entry in self._new]
            self._started.clear()
            self._new.clear()
            self._cond.notify_all()
        for item in waiting:
            item.steps.close()
            item.future.set_exception(CancelledError())
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> SteppedBatches:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

