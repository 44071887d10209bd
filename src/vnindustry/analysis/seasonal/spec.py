"""The frozen adjustment spec (what ``seas()`` chose, to re-use next month) and the X-13 spec text.

:class:`AdjustSpec` plays the part of R seasonal's ``static()``: after an automatic run it holds every
choice — transform, ARIMA model, Tết windows, working days, the outliers found, the forecast horizon, the
X-11 seasonal filter if fixed, and the X-13 build — so that passing it back (``seas(x, spec=…)``) runs the
very same X-13 spec. Month by month one re-uses it, so the published factors move only with the data; the
annual review re-estimates it (``seas(x)`` without ``spec``) and compares.

JSON form (``to_json``), one object::

    {"format": 1, "x13_build": "62", "transform": "log", "arima": "(0 1 1)(0 1 1)",
     "tet_windows": [{"name": "before", "start": -10, "end": -1}, …],
     "working_days": true, "working_days_exclude_tet": true,
     "outliers": ["AO2020.Apr", "LS2008.Nov"], "constant": false, "forecast": 12,
     "centre_span": [1970, 2070], "seasonalma": null}
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from vnindustry.analysis.seasonal.regressors import CENTRE_SPAN, TetWindow
from vnindustry.analysis.seasonal.x13 import X13_BUILD

__all__ = ["AUTOMDL", "SPEC_FORMAT", "AdjustSpec", "render_spec"]

SPEC_FORMAT = 1
_ARIMA = re.compile(r"^\(\s*\d+\s+\d+\s+\d+\s*\)(\s*\(\s*\d+\s+\d+\s+\d+\s*\)(12)?)?$")
_OUTLIER = re.compile(r"^(AO|LS|TC|SO)(\d{4})\.(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$", re.IGNORECASE)
_SEASONALMA = {"s3x1", "s3x3", "s3x5", "s3x9", "s3x15", "stable", "x11default", "msr"}


def _normal_outlier(name: str) -> str:
    match = _OUTLIER.match(name.strip())
    if match is None:
        raise ValueError(f"outlier {name!r}: expected TYPEyyyy.Mon, e.g. AO2020.Apr or LS2008.Nov")
    kind, year, month = match.groups()
    return f"{kind.upper()}{year}.{month.capitalize()}"


@dataclass(frozen=True)
class AdjustSpec:
    """Every choice of one adjustment; passing it to ``seas(spec=…)`` repeats that X-13 run exactly.

    Attributes:
        transform: ``"log"`` (multiplicative adjustment; factors are ratios) or ``"none"`` (additive;
            factors are effects in the series' unit).
        arima: the regARIMA model in X-13's notation, ``"(p d q)(P D Q)"``.
        tet_windows: the Tết regressors (empty: none).
        working_days: whether the working-day regressor is in the model.
        working_days_exclude_tet: Tết days off counted as working days in that regressor.
        outliers: outlier regressors, X-13 names (``AO2020.Apr``, ``LS2008.Nov``, ``TC…``).
        constant: a trend constant in the regARIMA model (X-13's ``const``; automdl adds it when it tests
            significant).
        forecast: months of forecasts X-11 extends the series with (``forecast{maxlead}``).
        centre_span: years over which the calendar regressors are centred.
        seasonalma: X-11 seasonal filter, or None for X-13's automatic choice (moving seasonality ratio).
        x13_build: the X-13ARIMA-SEATS build the spec was made with.
    """

    transform: Literal["log", "none"]
    arima: str
    tet_windows: tuple[TetWindow, ...] = ()
    working_days: bool = False
    working_days_exclude_tet: bool = True
    outliers: tuple[str, ...] = ()
    constant: bool = False
    forecast: int = 12
    centre_span: tuple[int, int] = CENTRE_SPAN
    seasonalma: str | None = None
    x13_build: str = X13_BUILD
    format: int = field(default=SPEC_FORMAT)

    def __post_init__(self) -> None:
        if self.transform not in ("log", "none"):
            raise ValueError(f"transform must be 'log' or 'none', not {self.transform!r}")
        if not _ARIMA.match(self.arima.strip()):
            raise ValueError(f"arima {self.arima!r}: expected X-13's notation, e.g. '(0 1 1)(0 1 1)'")
        object.__setattr__(self, "arima", " ".join(self.arima.split()).replace("( ", "(").replace(" )", ")"))
        windows = tuple(w if isinstance(w, TetWindow) else TetWindow(**w) for w in self.tet_windows)
        if len({w.name for w in windows}) != len(windows):
            raise ValueError(f"Tết window names must differ: {[w.name for w in windows]}")
        object.__setattr__(self, "tet_windows", windows)
        object.__setattr__(self, "outliers", tuple(_normal_outlier(o) for o in self.outliers))
        if not 0 <= self.forecast <= 120:
            raise ValueError(f"forecast {self.forecast}: 0–120 months")
        span = tuple(int(y) for y in self.centre_span)
        if len(span) != 2 or span[0] >= span[1]:
            raise ValueError(f"centre_span {self.centre_span!r}: (first year, last year)")
        object.__setattr__(self, "centre_span", span)
        if self.seasonalma is not None and self.seasonalma.lower() not in _SEASONALMA:
            raise ValueError(f"seasonalma {self.seasonalma!r}: one of {sorted(_SEASONALMA)}")
        if self.format != SPEC_FORMAT:
            raise ValueError(f"spec format {self.format} is not {SPEC_FORMAT}")

    @property
    def variables(self) -> list[str]:
        """X-13's predefined regressors of the model: the constant and the outliers."""
        return (["const"] if self.constant else []) + list(self.outliers)

    @property
    def user_variables(self) -> list[str]:
        """The X-13 names of the user regressors, in file order."""
        return [w.variable for w in self.tet_windows] + (["workdays"] if self.working_days else [])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (lists for tuples)."""
        # Field by field, not dataclasses.asdict: its deep copy of every value, replaced below for the only
        # three that are not scalars, was most of the time adjust --all spent on 540 specs.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["tet_windows"] = [{"name": w.name, "start": w.start, "end": w.end} for w in self.tet_windows]
        data["outliers"] = list(self.outliers)
        data["centre_span"] = list(self.centre_span)
        return data

    def to_json(self) -> str:
        """The spec as JSON (stable key order, so equal specs give equal text)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AdjustSpec:
        """The inverse of :meth:`to_dict`.

        Raises:
            ValueError: unknown or missing keys, or values out of range.
        """
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown key(s) in adjustment spec: {sorted(unknown)}")
        values = dict(data)
        values["tet_windows"] = tuple(TetWindow(**w) for w in data.get("tet_windows", ()))
        values["outliers"] = tuple(data.get("outliers", ()))
        if "centre_span" in data:
            values["centre_span"] = tuple(data["centre_span"])
        try:
            return cls(**values)
        except TypeError as exc:
            raise ValueError(f"adjustment spec: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> AdjustSpec:
        """Read a spec written by :meth:`to_json`."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"adjustment spec is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("adjustment spec: expected a JSON object")
        return cls.from_dict(data)


#: ``arima=`` values that make X-13 choose the model (see :func:`render_spec`).
AUTOMDL = {"auto": "automdl{ acceptdefault=yes }", "search": "automdl{ }"}
_LINE = 100  # X-13 refuses spec and data lines longer than 132 characters


def _wrapped(name: str, items: Sequence[str]) -> list[str]:
    """``name=(a b c …)`` over as many lines as needed to stay short."""
    lines, current = [], f"  {name}=("
    for item in items:
        if len(current) + len(item) + 1 > _LINE:
            lines.append(current)
            current = "    "
        current += ("" if current.endswith(("(", " ")) else " ") + item
    lines.append(current + ")")
    return lines


def render_spec(
    *,
    title: str,
    transform: Literal["log", "none", "auto"],
    arima: str,
    user_variables: Sequence[str] = (),
    user_types: Sequence[str] = (),
    variables: Sequence[str] = (),
    detect_outliers: bool = False,
    forecast: int | None = None,
    x11: bool = False,
    seasonalma: str | None = None,
    data_file: str = "data.dat",
    regressor_file: str = "xreg.dat",
    regressor_start: str | None = None,
    regression_save: Sequence[str] = (),
    check: bool = False,
) -> str:
    """The text of one X-13 spec file, one argument a line (X-13 refuses lines over 132 characters).

    Args:
        title: the series title (ASCII).
        transform: ``log``, ``none`` or ``auto`` (X-13 chooses by AICc).
        arima: ``"(p d q)(P D Q)"``; ``"auto"`` for X-13's ``automdl`` that keeps the airline model
            (0 1 1)(0 1 1) when its residuals pass the Ljung-Box test (``acceptdefault=yes``) and searches
            otherwise; ``"search"`` for ``automdl`` always searching (X-13's default, ~40× slower).
        user_variables: user regressor names, in the column order of ``regressor_file``.
        user_types: their X-13 ``usertype`` (``holiday`` for Tết — so its effect counts as a calendar
            effect, is removed before X-11 and lands in table A7 and in the calendar-adjusted series;
            ``td`` for working days).
        variables: predefined regressors fixed in the model: outliers (``AO2020.Apr``), ``const``.
        detect_outliers: run X-13's automatic outlier detection.
        forecast: ``forecast{maxlead}`` (None: no forecast spec).
        x11: run the X-11 decomposition and save its tables.
        seasonalma: the X-11 seasonal filter (None: X-13's choice).
        regressor_start: the date (``YYYY.M``) of the regressor file's first row.
        regression_save: regression tables to save (``hol`` = A7, ``td`` = A6).
        check: save the residual ACF table with Ljung-Box Q (``check{save=(acf)}``).
    """
    lines = ["series{", f'  title="{title}"', f'  file="{data_file}"', '  format="datevalue"', "  period=12"]
    if x11:
        lines.append("  save=(a18)")
    lines += ["}", f"transform{{ function={transform} }}"]
    if variables or user_variables:
        lines.append("regression{")
        if variables:
            lines += _wrapped("variables", variables)
        if user_variables:
            lines += _wrapped("user", user_variables)
            lines += _wrapped("usertype", user_types)
            # Free format, one number per line, from ``regressor_start``: a few columns of full-precision
            # numbers on one line would pass X-13's 132 characters.
            lines.append(f'  file="{regressor_file}"')
            if regressor_start:
                lines.append(f"  start={regressor_start}")
        if regression_save:
            lines.append(f"  save=({' '.join(regression_save)})")
        lines.append("}")
    lines.append(AUTOMDL.get(arima, f"arima{{ model={arima} }}"))
    if detect_outliers:
        lines.append("outlier{ }")
    lines.append("estimate{ save=(est) }")
    if check:
        lines.append("check{ save=(acf) }")
    if forecast is not None:
        lines.append(f"forecast{{ maxlead={forecast} }}")
    if x11:
        mode = "mult" if transform == "log" else "add"
        lines += ["x11{", f"  mode={mode}"]
        if seasonalma:
            lines.append(f"  seasonalma={seasonalma}")
        # Only the tables the adjustment reads: each saved table is a file X-13 writes and the run reads back.
        lines += ["  save=(d10 d11 d12 d13)", "}"]
    return "\n".join(lines) + "\n"
