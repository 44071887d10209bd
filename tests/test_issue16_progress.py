"""Issue 16: ``adjust --all``'s time left weighs each series by its expected cost.

A first identification starts the longest series first, and they cost more than their share: counting series,
the first line of the demo city's run said "about 1306 s left" for a run of 106 s, and at 10% still 224 s. The
estimate now weighs each series by the square of its length (a frozen spec by a fiftieth of that), and says
nothing before 5% of that work is done.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.console import Console

from vnindustry.cli import adjust as cli_adjust
from vnindustry.cli.adjust import ETA_FROM, FROZEN_SHARE, _Progress, _Work


def _series(n: int) -> pd.Series:
    return pd.Series(range(n), index=pd.period_range("2010-01", periods=n, freq="M"), dtype=float)


def test_issue16_the_time_left_weighs_each_series_by_the_square_of_its_length() -> None:
    series = {f"L{i}": _series(158) for i in range(10)} | {f"S{i}": _series(96) for i in range(90)}
    work = _Work(series, frozen=())
    for i in range(10):
        work.finished(f"L{i}")
    # After the 10 long series in 20 s: 90 short ones left, each (96/158)² of a long one's work.
    assert work.left(100, 20.0) == pytest.approx(20.0 * 90 * 96**2 / (10 * 158**2))
    assert work.left(100, 20.0) < 20.0 * 90 / 10  # what counting series said
    # Series not read yet count at the mean of those read.
    assert work.total(200) == pytest.approx(2 * (10 * 158**2 + 90 * 96**2))


def test_issue16_a_frozen_spec_weighs_a_fiftieth_and_nothing_is_said_too_early() -> None:
    series = {f"K{i}": _series(100) for i in range(100)}
    work = _Work(series, frozen={"K0"})
    assert work.weight("K0") == pytest.approx(100**2 * FROZEN_SHARE) and work.weight("K1") == 100**2
    assert work.weight("not read") == 0
    for i in range(1, 5):  # 4 of 99 identifications: under ETA_FROM of the work
        work.finished(f"K{i}")
    assert work.done < ETA_FROM * work.total(100) and work.left(100, 3.0) is None
    work.finished("K5")
    assert work.left(100, 3.0) == pytest.approx(3.0 * (work.total(100) - work.done) / work.done)
    assert _Work({}, ()).left(10, 1.0) is None  # nothing read yet


def test_issue16_the_progress_lines_say_the_weighted_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    series = {f"L{i}": _series(158) for i in range(10)} | {f"S{i}": _series(96) for i in range(90)}
    clock = iter([20.0, 21.0])
    monkeypatch.setattr(cli_adjust.time, "perf_counter", lambda: next(clock))
    progress = _Progress(0.0, _Work(series, frozen=()))
    assert progress.bar is None  # not a terminal here: a line each time
    work = progress.work
    for i in range(9):
        work.finished(f"L{i}")
    progress.shown = 9
    with cli_adjust.console.capture() as captured:
        progress(10, 100, "L9")
    expected = 20.0 * 90 * 96**2 / (10 * 158**2)
    assert captured.get().strip() == f"10/100 series (10%), 20.0 s, about {expected:.0f} s left"


def test_issue16_the_terminal_bar_fills_with_the_work_and_counts_the_series(monkeypatch: pytest.MonkeyPatch) -> None:
    series = {f"L{i}": _series(158) for i in range(10)} | {f"S{i}": _series(96) for i in range(90)}
    out = io.StringIO()
    monkeypatch.setattr(cli_adjust, "console", Console(file=out, force_terminal=True, width=120))
    progress = _Progress(0.0, _Work(series, frozen=()))
    assert progress.bar is not None
    for i in range(10):
        progress(i + 1, 100, f"L{i}")
    task = progress.bar.tasks[0]
    assert task.completed == pytest.approx(10 * 158**2) and task.total == pytest.approx(10 * 158**2 + 90 * 96**2)
    assert task.fields["count"] == "10/100" and task.fields["left"].startswith(", about ")
    progress.bar.refresh()
    progress.close()
    assert "10/100 series" in out.getvalue()
