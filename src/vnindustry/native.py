"""Loading the C loops that ``pip install`` builds beside the stages that call them (issue 16).

A stage's hot loops may live in a C file next to its modules (``sources/_panel_kernel.c``,
``compile/_month_kernel.c``), declared in pyproject.toml as optional extension modules: plain C functions on
arrays, no Python objects, called through ctypes — which releases the GIL for each call, so a stage's threads
run them side by side (numpy's ``bincount``, the loops they replace, holds it). Where the build found no C
compiler the library is missing and the caller runs the same work in numpy; the tests compare the two.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
from pathlib import Path

import numpy as np

POINTER = ctypes.c_void_p
INT64 = ctypes.c_int64
INT32 = ctypes.c_int32
DOUBLE = ctypes.c_double


def load_library(beside: str, name: str, abi: int) -> ctypes.CDLL | None:
    """The built library ``name`` in the folder of the module file ``beside``, or ``None`` if it was not built or
    was built from other sources than these (its ``vn_abi_version()`` is not ``abi``: an editable install whose C
    files changed since it was built — reinstall to rebuild; meanwhile the numpy loops run)."""
    folder = Path(beside).parent
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.exists():
            library = ctypes.CDLL(str(path))
            version = getattr(library, "vn_abi_version", None)
            if version is None:
                return None
            version.argtypes, version.restype = [], INT32
            return library if version() == abi else None
    return None


def address(a: np.ndarray | None) -> int | None:
    """The address of an array's first element for a C call (``None`` → NULL)."""
    return None if a is None else a.ctypes.data


def require(ok: bool) -> None:
    """Stop a C call whose arrays have the wrong type or shape: a programming error in the caller, never the data's
    (C would read or write past them)."""
    if not ok:
        raise TypeError("C loop called with arrays of the wrong type or shape")
