"""vnindustry — monthly industry-and-trade statistics for a Vietnamese city.

The one-call entry point for the compile stage::

    import vnindustry
    table = vnindustry.compile_iip("path/to/dataset")        # one row per node per month
    result = vnindustry.compile_dataset("path/to/dataset")   # table, products, validation, imputed
"""

from vnindustry.compile.engine import CompileResult, CompileSpec, compile_dataset, compile_iip
from vnindustry.errors import InputError

__version__ = "0.1.0"

__all__ = ["CompileResult", "CompileSpec", "InputError", "__version__", "compile_dataset", "compile_iip"]
