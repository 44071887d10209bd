"""Tết-aware calendar and seasonal adjustment with X-13ARIMA-SEATS (the Census Bureau's build 62).

    from vnindustry.analysis.seasonal import seas, adjust_many, AdjustSpec
    result = seas(exports)                    # automatic: transform, ARIMA, outliers, Tết windows, working days
    result.to_frame()                         # period, original, calendar_adjusted, seasonally_adjusted, …
    spec = result.spec.to_json()              # freeze the choices; next month: seas(x, spec=AdjustSpec.from_json(spec))

Modules: ``x13`` (the verified binary, running specs, reading tables/.udg/.est/.err), ``regressors`` (Tết
windows and working days), ``spec`` (the frozen spec and the spec text), ``adjust`` (``seas``), ``identify``
(the automatic choices), ``prescreen`` (ranking Tết candidates in numpy), ``runs`` (the X-13 runs of a model and
their input files), ``result`` (``Adjustment``, the diagnostics), ``batch`` (``adjust_many`` across cores),
``stored`` (stored series in and out).
"""

from vnindustry.analysis.seasonal.adjust import Adjustment, seas, tet_usable
from vnindustry.analysis.seasonal.batch import adjust_many
from vnindustry.analysis.seasonal.regressors import (
    DEFAULT_WINDOWS,
    TetWindow,
    candidate_windows,
    tet_regressor,
    tet_regressors,
    working_day_regressor,
)
from vnindustry.analysis.seasonal.spec import AdjustSpec
from vnindustry.analysis.seasonal.x13 import X13BinaryError, X13Error, verify_binary

__all__ = [
    "DEFAULT_WINDOWS",
    "AdjustSpec",
    "Adjustment",
    "TetWindow",
    "X13BinaryError",
    "X13Error",
    "adjust_many",
    "candidate_windows",
    "seas",
    "tet_regressor",
    "tet_regressors",
    "tet_usable",
    "verify_binary",
    "working_day_regressor",
]
