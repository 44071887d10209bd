"""Seasonal adjustment (X-13ARIMA-SEATS, Tết-aware) of a CSV series or the whole store."""

from __future__ import annotations

import time
from collections.abc import Container, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vnindustry import settings
from vnindustry.cli.common import (
    DbOption,
    app,
    console,
    fail,
    freeze_at_exit,
    print_import,
    store_at,
)
from vnindustry.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


def _read_period_values(path: Path):  # type: ignore[no-untyped-def]
    """``period,value`` CSV → monthly pandas Series; errors name the file and line."""
    import pandas as pd

    from vnindustry.periods import MONTH_FORMAT_HELP, month_code, parse_month
    from vnindustry.sources.csvfile import read_table

    rows = read_table(path, ("period", "value"))
    periods, values = [], []
    for row in rows:
        key = parse_month(row["period"])
        if key is None:
            raise InputError(f"malformed period '{row['period']}'", file=path, line=row.line, column="period",
                             fix=MONTH_FORMAT_HELP)
        try:
            value = float(row["value"])
        except ValueError:
            raise InputError(f"'{row['value']}' is not a number", file=path, line=row.line, column="value",
                             fix="use a point as the decimal separator and no thousands separator") from None
        periods.append(month_code(key))
        values.append(value)
    if len(set(periods)) != len(periods):
        dup = next(p for p in periods if periods.count(p) > 1)
        raise InputError(f"period {dup} appears twice", file=path, column="period", fix="keep one row per month")
    series = pd.Series(values, index=pd.PeriodIndex(periods, freq="M")).sort_index()
    expected = pd.period_range(series.index[0], series.index[-1], freq="M") if len(series) else series.index
    if len(expected) != len(series):
        missing = sorted(set(expected) - set(series.index))[0]
        raise InputError(f"month {missing} is missing", file=path, column="period",
                         fix="give every month between the first and the last")
    return series


@app.command()
def adjust(
    input_csv: Annotated[Path | None, typer.Argument(
        metavar="[INPUT.csv]", help="A monthly series: columns period,value.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output CSV (with INPUT.csv).")] = None,
    db: DbOption = None,
    all_series: Annotated[bool, typer.Option("--all", help="Adjust every monthly series in the store.")] = False,
    source: Annotated[str | None, typer.Option(help="With --all: only this source.")] = None,
    tet: Annotated[str, typer.Option(help="Tết regressors: auto (chosen by AICc) or off.")] = "auto",
    transform_test: Annotated[str | None, typer.Option(
        help=settings.setting("adjust_transform_test").help
        + " [env VNINDUSTRY_ADJUST_TRANSFORM_TEST; default identified]")] = None,
    spec_in: Annotated[Path | None, typer.Option("--spec", help="Re-use a frozen spec (JSON) for INPUT.csv.")]
    = None,
    save_spec: Annotated[Path | None, typer.Option(help="Write the frozen spec (JSON) of INPUT.csv's run.")]
    = None,
    reestimate: Annotated[bool, typer.Option(
        help="With --all: identify every model afresh (the annual review) instead of re-using frozen specs.")]
    = False,
    workers: Annotated[int, typer.Option(help="Processes for --all (0 = one per core).")] = 0,
    internal: Annotated[bool, typer.Option(
        "--internal", "--preview",
        help="With --all: also adjust with releases dated after today (embargoed months); each "
        "adjusted release is then embargoed with them, until the latest one's day. Confidential figures are "
        "never used.")] = False,
) -> None:
    """Tết-aware seasonal and calendar adjustment with X-13ARIMA-SEATS, for a CSV series or the whole store.

    With --all the series are read from the public view (what is published today; confidential figures withheld)
    and each adjusted release records the releases it was computed from (lineage)."""
    from vnindustry.analysis.seasonal import AdjustSpec, seas
    from vnindustry.analysis.seasonal.identify import TRANSFORM_TESTS

    freeze_at_exit()  # the interpreter's last collections skip what is left (~0.3 s of a run)
    if tet not in ("auto", "off"):
        raise typer.BadParameter("use auto or off", param_hint="--tet")
    if (input_csv is None) == (not all_series):
        raise typer.BadParameter("give INPUT.csv --out OUT.csv, or --db URL --all", param_hint="INPUT.csv/--all")
    if transform_test is None:
        transform_test = str(settings.get("adjust_transform_test"))
    if transform_test not in TRANSFORM_TESTS:
        raise typer.BadParameter(f"use identified or airline, not {transform_test!r} (the option or "
                                 "VNINDUSTRY_ADJUST_TRANSFORM_TEST)", param_hint="--transform-test")
    options = {"tet": tet if tet == "auto" else False, "transform_test": transform_test}
    if internal and not all_series:
        raise typer.BadParameter("--internal chooses what --all reads from the store: add --db URL --all",
                                 param_hint="--internal")
    if input_csv is not None:
        if out is None:
            raise typer.BadParameter("give --out OUT.csv", param_hint="--out")
        from vnindustry.files import atomic_write_bytes

        try:
            series = _read_period_values(input_csv)
            spec = AdjustSpec.from_json(spec_in.read_text(encoding="utf-8")) if spec_in else None
            result = seas(series, spec=spec, **options)  # type: ignore[arg-type]
        except (InputError, ValueError) as exc:
            raise fail(exc) from None
        atomic_write_bytes(out, result.to_frame().to_csv(index=False, lineterminator="\n").encode("utf-8"))
        if save_spec is not None and result.spec is not None:
            atomic_write_bytes(save_spec, result.spec.to_json().encode("utf-8"))
        console.print(f"Adjusted {len(series)} months → {out}", highlight=False)
        return
    _adjust_store(db, source, reestimate, workers, options, internal=internal)


def _adjust_store(db: str | None, source: str | None, reestimate: bool, workers: int,
                  options: dict[str, object], *, internal: bool = False) -> None:
    """``adjust --all``: read, adjust on every core, store; saying what it does from the first second (on
    stderr, like every message: a progress bar on a terminal, a line every twentieth of the way otherwise).

    The store is read a hundred series at a time and each read's series start at once, while the next are
    read: the cores run X-13 from the first tenth of a second instead of waiting for the whole store."""
    import os

    started = time.perf_counter()
    console.print(f"Reading the monthly series of {'the store' if db is None else db}, adjusting each as it is "
                  "read …", highlight=False, soft_wrap=True)

    import pandas as pd

    from vnindustry.analysis.seasonal import Adjustment
    from vnindustry.analysis.seasonal.batch import adjust_stream
    from vnindustry.analysis.seasonal.stored import (
        AdjustedReleases,
        latest_specs,
        level_series_chunks,
        original_keys,
        release_dates,
        store_adjustments,
    )

    store = store_at(db)
    # Adjusted series are published: read what is public (--internal: embargoed months too), never a
    # confidential value; lineage then dates each release no earlier than what it was computed from.
    public = store.public_view(embargo=not internal)
    keys = original_keys(public, source)
    specs = {} if reestimate else latest_specs(store, keys)
    series: dict[str, pd.Series] = {}
    frames: list[pd.DataFrame] = []
    # What is stored is gathered as the results arrive, while X-13 still runs for the others.
    gathered = AdjustedReleases()

    def chunks():  # type: ignore[no-untyped-def]
        for part, frame, read in level_series_chunks(public, source=source, keys=keys):
            series.update(part)
            frames.append(frame)
            gathered.observe(frame)
            yield part, read
        short = sorted({k for f in frames if not f.empty for k in f["key"].unique()} - set(series))
        if short:  # a confidential month breaks a run: a series is adjusted over its last run of public months
            console.print(f"left out: {len(short)} series with fewer than 36 consecutive public months "
                          f"({', '.join(short[:5])}{' …' if len(short) > 5 else ''})", highlight=False,
                          soft_wrap=True)
        if series:
            processes = min(workers or os.cpu_count() or 1, len(series))
            frozen = sum(k in specs for k in series)
            console.print(f"Adjusting {len(series)} series on {processes} process{'es' if processes > 1 else ''} "
                          f"({frozen} with a frozen spec, {len(series) - frozen} to identify; read in "
                          f"{time.perf_counter() - started:.1f} s, the first started as they were read) …",
                          highlight=False, soft_wrap=True)

    def gather(key: str, result: object) -> None:
        if isinstance(result, Adjustment):
            gathered.add(key, result)

    adjusting = time.perf_counter()
    progress = _Progress(adjusting, _Work(series, specs))
    try:
        results = adjust_stream(chunks(), expected=len(keys), workers=workers or None, specs=specs,
                                progress=progress, each=gather, **options)
    finally:
        progress.close()
    elapsed = time.perf_counter() - adjusting
    if not series:
        raise fail(InputError("no monthly series with at least 36 months of public levels in the store",
                               fix="import history or compile first"
                                   + ("" if internal else " (--internal also reads releases dated after today)")))
    filled = [f for f in frames if not f.empty]
    observations = filled[0] if len(filled) == 1 else pd.concat(filled, ignore_index=True)
    good = {k: v for k, v in results.items() if isinstance(v, Adjustment)}
    _adjust_summary(results, sum(k in specs for k in results), elapsed)
    console.print(f"Storing {len(good)} adjusted series …", highlight=False)
    summaries = store_adjustments(store, good, observations, gathered=gathered)
    dates = release_dates(store, [summary.release_id for summary in summaries])
    for summary in summaries:
        print_import(summary)
        inputs = store.release_inputs(summary.release_id)
        shown = ", ".join(map(str, inputs)) if len(inputs) <= 8 else f"{inputs[0]} … {inputs[-1]}"
        console.print(f"  release {summary.release_id} public on {dates[summary.release_id].isoformat()} "
                      f"(computed from {len(inputs)} release(s): {shown})", highlight=False, soft_wrap=True)
    console.print(f"Done in {time.perf_counter() - started:.1f} s (reading, adjusting and storing).",
                  highlight=False)


#: For the time left, a series' expected cost: an identification grows about as the square of the series'
#: length (the demo city's runs replayed longest first, as they run: counting series instead overestimated the
#: time left 1.5–2.5 times, the squares 0.98–1.25 times); a frozen spec's one run costs about this share of an
#: identification (demo city: ~3 against ~150 CPU-s in all).
FROZEN_SHARE = 1 / 50
#: No time left is said before this share of the work is done: the first series end while many are half-way.
ETA_FROM = 0.05


class _Work:
    """The work ``adjust --all`` has done and has left, in expected cost (:data:`FROZEN_SHARE`): ``series`` are
    the series read so far (a dict the reading fills), ``frozen`` the keys with a frozen spec."""

    def __init__(self, series: Mapping[str, pd.Series], frozen: Container[str]) -> None:
        self.series, self.frozen = series, frozen
        self.done = 0.0
        self._read = (0, 0.0)  # (series read, their weight): the dict only grows

    def weight(self, key: str) -> float:
        """Series ``key``'s expected cost (0 when it was not read)."""
        s = self.series.get(key)
        n = float(len(s)) if s is not None else 0.0
        return n * n * (FROZEN_SHARE if key in self.frozen else 1.0)

    def finished(self, key: str) -> None:
        """Series ``key`` is done."""
        self.done += self.weight(key)

    def total(self, count: int) -> float:
        """The whole work of ``count`` series: those read, and the rest at their mean."""
        read = len(self.series)
        if read != self._read[0]:
            self._read = (read, sum(self.weight(k) for k in list(self.series)))
        weight = self._read[1]
        return weight + max(count - read, 0) * (weight / read if read else 0.0)

    def left(self, count: int, elapsed: float) -> float | None:
        """Seconds left at the pace so far, or None before :data:`ETA_FROM` of the work is done."""
        total = self.total(count)
        if total <= 0 or self.done <= 0 or self.done < ETA_FROM * total:
            return None
        return elapsed * max(total - self.done, 0.0) / self.done


class _Progress:
    """``adjust_stream``'s progress callback. On a terminal a bar (done/total, elapsed, time left) redrawn as
    each series finishes; otherwise a line "12/540 series (2%), 3.1 s, about 40 s left" for the first series,
    every twentieth of the way (at most 10 s apart) and the last. The total is the series read so far and
    the stored series still to read (exact once the store is read). The time left weighs each series by its
    expected cost (:class:`_Work`). :meth:`close` removes the bar."""

    def __init__(self, started: float, work: _Work) -> None:
        self.started, self.last, self.shown = started, started, 0
        self.work = work
        self.bar = None
        if console.is_terminal:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            # The bar fills with the expected work; the series are counted beside it.
            self.bar = Progress(TextColumn("Adjusting"), BarColumn(), TextColumn("{task.fields[count]} series,"),
                                TimeElapsedColumn(), TextColumn("elapsed{task.fields[left]}"), console=console,
                                transient=True)
            self.task = self.bar.add_task("adjust", total=None, count="0", left="")
            self.bar.start()

    def __call__(self, done: int, total: int, name: str) -> None:
        self.work.finished(name)
        now = time.perf_counter()
        left = self.work.left(total, now - self.started) if done < total else None
        if self.bar is not None:
            self.bar.update(self.task, completed=self.work.done, total=self.work.total(total) or None,
                            count=f"{done}/{total}",
                            left="" if left is None else f", about {left:.0f} s left")
            return
        step = max(1, total // 20)
        if done in (1, total) or done // step > self.shown // step or now - self.last >= 10:
            self.last, self.shown = now, done
            console.print(f"  {done}/{total} series ({100 * done / total:.0f}%), {now - self.started:.1f} s"
                          + (f", about {left:.0f} s left" if left is not None else ""), highlight=False)

    def close(self) -> None:
        """Remove the bar (a terminal); nothing otherwise."""
        if self.bar is not None:
            self.bar.stop()


def _adjust_summary(results: dict[str, object], reused: int, elapsed: float) -> None:
    """``adjust --all``'s summary in words: adjusted, fell back to defaults, failed (with the reasons), and
    the series whose Tết effect could not be separated (no Tết-adjusted rate is printed for them)."""
    from vnindustry.analysis.seasonal import Adjustment, tet_usable
    from vnindustry.analysis.seasonal.batch import reason_in_words

    good = {k: v for k, v in results.items() if isinstance(v, Adjustment)}
    fallback: dict[str, list[str]] = {}
    no_tet: dict[str, list[str]] = {}
    failed: dict[str, list[str]] = {}
    for key, result in results.items():
        if isinstance(result, Adjustment):
            if "fallback" in result.diagnostics:
                fallback.setdefault(str(result.diagnostics["fallback"]), []).append(key)
            if not tet_usable(result):
                no_tet.setdefault(str(result.diagnostics.get("tet", {}).get("reason", "")), []).append(key)
        else:
            failed.setdefault(reason_in_words(result), []).append(key)  # type: ignore[arg-type]
    total = len(results)
    rate = f"{total / elapsed:.1f} series/s" if elapsed > 0 else ""
    console.print(f"Adjusted {len(good)} of {total} series in {elapsed:.1f} s ({rate}; {reused} frozen specs "
                  "re-used).", highlight=False)

    def groups(title: str, by_reason: dict[str, list[str]]) -> None:
        count = sum(len(v) for v in by_reason.values())
        if not count:
            return
        console.print(f"{title}: {count} series", highlight=False)
        for reason, keys in sorted(by_reason.items(), key=lambda kv: -len(kv[1]))[:8]:
            shown = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
            console.print(f"  – {reason} ({len(keys)}): {shown}", highlight=False, soft_wrap=True)

    groups("Fell back to defaults", fallback)
    groups("Failed, not adjusted", failed)
    groups("Tết effect not separated (no Tết-adjusted rate is printed for these)", no_tet)
