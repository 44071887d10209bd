"""The X-13 runs behind :func:`~vnindustry.analysis.seasonal.adjust.seas`: a regARIMA model under
construction (:class:`Model`), the series and its regressor columns written as X-13 reads them
(:class:`Inputs`), the spec text of a run, and the runs themselves — regARIMA-only comparisons in one
process (:func:`regarima`) and the published X-11 run of a frozen spec (:func:`run_frozen`).

The steps of identification are generators (:data:`Steps`): each X-13 run they need is a :class:`Request`
they yield, and the results are sent back. :func:`drive` runs each request alone, as it comes — what
``seas`` does; :mod:`~vnindustry.analysis.seasonal.stepped` runs the requests of many series together, a
batch to an X-13 process, with the same results.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeVar

import numpy as np
import pandas as pd

from vnindustry.analysis.seasonal.regressors import TetWindow, tet_regressor, working_day_regressor
from vnindustry.analysis.seasonal.spec import AUTOMDL, AdjustSpec, render_spec
from vnindustry.analysis.seasonal.x13 import X13Error, X13Output, format_values, run_spec, run_specs

__all__ = ["Inputs", "Model", "Request", "Steps", "ask", "drive", "frozen_run", "frozen_steps", "one_steps",
           "regarima", "regarima_request", "run_frozen", "run_one", "spec_text"]

T = TypeVar("T")
Results = dict[str, X13Output | X13Error]


@dataclass(frozen=True)
class Model:
    """What one regARIMA run contains (a spec under construction)."""

    transform: str
    arima: str
    windows: tuple[TetWindow, ...]
    working_days: bool
    variables: tuple[str, ...] = ()
    detect_outliers: bool = False

    @property
    def user_variables(self) -> list[str]:
        """The X-13 names of the model's user regressors, in file order."""
        return [w.variable for w in self.windows] + (["workdays"] if self.working_days else [])


@lru_cache(maxsize=1024)
def _regressor(key: TetWindow | str, first: int, length: int, centre_span: tuple[int, int],
               exclude_tet: bool) -> tuple[np.ndarray, tuple[str, ...]]:
    """One regressor over ``length`` months from period ordinal ``first``, and its numbers as X-13 reads them.

    Cached: series of the same span share their regressors (the demo city's 540 series have a dozen spans),
    and computing and formatting one costs more than X-13's run of a frozen spec."""
    span = pd.period_range(pd.Period(ordinal=first, freq="M"), periods=length, freq="M")
    if key == "workdays":
        series = working_day_regressor(span, centre_span=centre_span, exclude_tet=exclude_tet)
    else:
        assert isinstance(key, TetWindow)
        series = tet_regressor(key, span, centre_span=centre_span)
    values = series.to_numpy()
    values.flags.writeable = False  # shared between calls
    return values, tuple(format_values(values))


@lru_cache(maxsize=256)
def _regressor_file(windows: tuple[TetWindow, ...], working_days: bool, first: int, length: int,
                    centre_span: tuple[int, int], exclude_tet: bool) -> str:
    """:meth:`Inputs.regressor_file`, cached like the regressors (many series share span and regressors)."""
    keys: list[TetWindow | str] = [*windows, *(["workdays"] if working_days else [])]
    columns = [_regressor(k, first, length, centre_span, exclude_tet)[1] for k in keys]
    # Free format: every number on its own line, month by month, from the span's first month.
    return "".join(col[i] + "\n" for i in range(length) for col in columns)


class Inputs:
    """The series and its regressor columns, computed once per ``seas`` call, up to the forecast horizon."""

    def __init__(self, y: pd.Series, forecast: int, centre_span: tuple[int, int], exclude_tet: bool) -> None:
        self.y = y
        self.centre_span = centre_span
        self.exclude_tet = exclude_tet
        # Regressors must run through the forecasts, or X-13 stops (or, in some tools, extrapolates): the span
        # is the series' months and the forecasts', as period ordinals (months since 1970-01).
        self.first = int(y.index.asi8[0])
        self.length = len(y) + max(forecast, 1)
        # "YYYY M value" lines, as from each Period's year and month.
        ordinals = np.asarray(y.index.asi8, dtype=np.int64) + 1970 * 12
        self.data = "".join(f"{o // 12} {o % 12 + 1} {v}\n"
                            for o, v in zip(ordinals.tolist(), format_values(y.to_numpy()), strict=True))

    @cached_property
    def span(self) -> pd.PeriodIndex:
        """The months of the series and of the forecasts."""
        return pd.period_range(pd.Period(ordinal=self.first, freq="M"), periods=self.length, freq="M")

    def _cached(self, key: TetWindow | str) -> tuple[np.ndarray, tuple[str, ...]]:
        return _regressor(key, self.first, self.length, tuple(self.centre_span), self.exclude_tet)

    def values(self, key: TetWindow | str) -> np.ndarray:
        """One regressor over ``span`` (read-only)."""
        return self._cached(key)[0]

    def matrix(self, windows: Sequence[TetWindow], working_days: bool = False) -> np.ndarray:
        """The regressors over the series' own months, one column each."""
        keys: list[TetWindow | str] = [*windows, *(["workdays"] if working_days else [])]
        n = len(self.y)
        if not keys:
            return np.zeros((n, 0))
        return np.column_stack([self.values(k)[:n] for k in keys])

    def regressor_file(self, windows: Sequence[TetWindow], working_days: bool) -> str:
        """The user-regressor file of these regressors over ``span``, as X-13 reads it (free format)."""
        return _regressor_file(tuple(windows), working_days, self.first, self.length, tuple(self.centre_span),
                               self.exclude_tet)

    @property
    def start(self) -> str:
        """The regressor file's first month in X-13's notation."""
        return f"{1970 + self.first // 12}.{self.first % 12 + 1}"


def spec_text(model: Model, inputs: Inputs, *, x11: bool, forecast: int | None = None,
              seasonalma: str | None = None, regressor_file: str = "xreg.dat", data_file: str = "data.dat") -> str:
    """The spec of one run of ``model``: regARIMA only, or with X-11 (``x11``) and everything the published
    run saves (tables A18, D10–D13, the Tết and working-day factors, the residual ACF)."""
    types = ["holiday"] * len(model.windows) + (["td"] if model.working_days else [])
    save: list[str] = []
    if x11:
        save = (["hol"] if model.windows else []) + (["td"] if model.working_days else [])
    return render_spec(title="vnindustry", transform=model.transform, arima=model.arima,  # type: ignore[arg-type]
                       user_variables=model.user_variables, user_types=types, variables=model.variables,
                       detect_outliers=model.detect_outliers, forecast=forecast, x11=x11, seasonalma=seasonalma,
                       data_file=data_file, regressor_file=regressor_file, regressor_start=inputs.start,
                       regression_save=save, check=x11)


@dataclass(frozen=True)
class Request:
    """X-13 runs a step asks for, to run in one process: spec name → spec text, and the files they read
    (file name → text). ``heavy``: a run that identifies (``automdl``, the outlier search), which may take
    seconds where the others take milliseconds."""

    specs: Mapping[str, str]
    files: Mapping[str, str]
    heavy: bool = False

    def prefixed(self, prefix: str) -> tuple[dict[str, str], dict[str, str]]:
        """The specs and files with ``prefix`` before every spec and file name, so that the requests of many
        series share one folder and one X-13 process: the spec texts differ only in the files they name
        (``file="…"``, the only lines that name one)."""
        specs = {prefix + name: text.replace('file="', f'file="{prefix}') for name, text in self.specs.items()}
        return specs, {prefix + name: text for name, text in self.files.items()}


#: A step of identification: yields the :class:`Request` of each X-13 run it needs, is sent its results
#: (spec name → output or error), and returns what it found.
Steps = Generator[Request, Results, T]


def ask(request: Request) -> Generator[Request, Results, Results]:
    """``results = yield from ask(request)``: one request, its results."""
    return (yield request)


def drive(steps: Steps[T]) -> T:
    """Run ``steps``, each request alone in its own X-13 process as it comes; a process that fails raises
    its error where the step asked."""
    try:
        request = next(steps)
        while True:
            try:
                results = run_specs(request.specs, request.files)
            except Exception as exc:  # raised inside the step, where it asked
                request = steps.throw(exc)
            else:
                request = steps.send(results)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


def regarima_request(inputs: Inputs, models: Mapping[str, Model]) -> Request:
    """The request of :func:`regarima`."""
    files = {"data.dat": inputs.data}
    specs = {}
    for name, model in models.items():
        file_name = f"x{name}.dat"
        if model.user_variables:
            files[file_name] = inputs.regressor_file(model.windows, model.working_days)
        specs[name] = spec_text(model, inputs, x11=False, regressor_file=file_name)
    heavy = any(m.detect_outliers or m.arima in AUTOMDL for m in models.values())
    return Request(specs, files, heavy)


def regarima(inputs: Inputs, models: dict[str, Model]) -> dict[str, X13Output | X13Error]:
    """RegARIMA-only runs (no X-11), all in one X-13 process."""
    request = regarima_request(inputs, models)
    return run_specs(request.specs, request.files)


def run_one(inputs: Inputs, model: Model) -> X13Output:
    """One regARIMA-only run of ``model``.

    Raises:
        X13Error: X-13 refused the spec or the series.
    """
    return drive(one_steps(inputs, model))


def one_steps(inputs: Inputs, model: Model) -> Steps[X13Output]:
    """:func:`run_one` as a step."""
    result = (yield regarima_request(inputs, {"m": model}))["m"]
    if isinstance(result, X13Error):
        raise result
    return result


def frozen_run(y: pd.Series, spec: AdjustSpec, *, prefix: str = "") -> tuple[str, dict[str, str]]:
    """The spec text and the files of the published run of a frozen spec (with X-11).

    ``prefix`` names the files (``{prefix}data.dat``, ``{prefix}xreg.dat``), so that the runs of many series
    share one folder and one X-13 process (:mod:`~vnindustry.analysis.seasonal.frozen`); the spec is
    otherwise the same text, and X-13 saves the same numbers.
    """
    inputs = Inputs(y, spec.forecast, spec.centre_span, spec.working_days_exclude_tet)
    model = Model(spec.transform, spec.arima, spec.tet_windows, spec.working_days, tuple(spec.variables))
    data, xreg = f"{prefix}data.dat", f"{prefix}xreg.dat"
    files = {data: inputs.data}
    if model.user_variables:
        files[xreg] = inputs.regressor_file(spec.tet_windows, spec.working_days)
    text = spec_text(model, inputs, x11=True, forecast=spec.forecast, seasonalma=spec.seasonalma,
                     regressor_file=xreg, data_file=data)
    return text, files


def run_frozen(y: pd.Series, spec: AdjustSpec) -> X13Output:
    """The run of a frozen spec, with X-11: the only run whose output is published."""
    text, files = frozen_run(y, spec)
    return run_spec(text, files, name="series")


def frozen_steps(y: pd.Series, spec: AdjustSpec) -> Steps[X13Output]:
    """:func:`run_frozen` as a step."""
    text, files = frozen_run(y, spec)
    result = (yield Request({"series": text}, files))["series"]
    if isinstance(result, X13Error):
        raise result
    return result
