"""vnindustry — monthly industry-and-trade statistics for a Vietnamese city.

The one-call entry point for the compile stage::

    import vnindustry
    result = vnindustry.compile_iip("path/to/dataset")
    result.table  # one row per node (root, industries, groups) per period
"""

from vnindustry.compile.engine import CompileResult, compile_iip
from vnindustry.errors import InputError

__version__ = "0.1.0"

__all__ = ["CompileResult", "InputError", "__version__", "compile_iip"]
