"""vnindustry — monthly industry-and-trade statistics for a Vietnamese city.

The one-call entry point for the compile stage::

    import vnindustry
    table = vnindustry.compile_iip("path/to/dataset")        # one row per node per month
    result = vnindustry.compile_dataset("path/to/dataset")   # table, products, validation, imputed

The compile's names are imported on first use (PEP 562), so a command that never compiles — a bulletin, the
settings table — does not pay for DuckDB and the compile engine at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vnindustry.errors import InputError

if TYPE_CHECKING:
    from vnindustry.compile.engine import CompileResult, CompileSpec, compile_dataset, compile_iip

__version__ = "0.1.0"

__all__ = ["CompileResult", "CompileSpec", "InputError", "__version__", "compile_dataset", "compile_iip"]

_FROM_ENGINE = frozenset({"CompileResult", "CompileSpec", "compile_dataset", "compile_iip"})


def __getattr__(name: str) -> Any:
    if name in _FROM_ENGINE:
        from vnindustry.compile import engine

        value = getattr(engine, name)
        globals()[name] = value  # looked up once
        return value
    raise AttributeError(f"module 'vnindustry' has no attribute {name!r}")
