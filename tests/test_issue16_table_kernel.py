"""Issue 16: X-13's saved monthly tables read in C (analysis/seasonal/_table_kernel.c) give exactly what the
Python reading gives — keys, columns, values to the bit, the first month — on generated tables in the number
formats X-13 and others write, and every table the kernel does not read falls to the Python reading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import needs_c_loops
from vnindustry.analysis.seasonal import saved, table_kernel
from vnindustry.analysis.seasonal.saved import parse_table

DATA = Path(__file__).parent / "data"


def _python(text: str) -> saved.SavedTable | None:
    kernel, table_kernel.KERNEL = table_kernel.KERNEL, None
    try:
        return parse_table(text)
    finally:
        table_kernel.KERNEL = kernel


def _same(a: saved.SavedTable | None, b: saved.SavedTable | None) -> None:
    assert (a is None) == (b is None)
    if a is None or b is None:
        return
    assert (a.key_name, a.keys, a.columns, a.monthly, a.start) == (b.key_name, b.keys, b.columns, b.monthly, b.start)
    assert a.values.dtype == b.values.dtype == np.float64 and a.values.shape == b.values.shape
    # Bit for bit: the same doubles, signs of zeros and NaNs included.
    assert a.values.tobytes() == b.values.tobytes()


def _x13(value: float) -> str:
    """A number as X-13 saves it: a sign, 0., fifteen digits and a two-digit exponent (+0.863145013692929E+02)."""
    if value == 0:
        return "+0.000000000000000E+00"
    mantissa, exponent = f"{value:.14E}".split("E")
    digits = mantissa.lstrip("+-").replace(".", "")
    return f"{'-' if value < 0 else '+'}0.{digits}E{int(exponent) + 1:+03d}"


FORMATS = [_x13, repr, lambda v: f"{v:.6f}", lambda v: f"{v:g}", lambda v: f"{v:.3e}"]


@needs_c_loops
def test_issue16_table_kernel_is_built_by_the_install() -> None:
    assert table_kernel.KERNEL is not None, "pip install builds analysis/seasonal/_table_kernel.c"


@needs_c_loops
@settings(max_examples=300, deadline=None)
@given(start=st.integers(1900 * 12, 2100 * 12), rows=st.integers(1, 130), width=st.integers(1, 3),
       style=st.integers(0, len(FORMATS) - 1), seed=st.integers(0, 2**32 - 1))
def test_issue16_the_kernel_reads_what_python_reads(start: int, rows: int, width: int, style: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.standard_normal((rows, width)) * 10.0 ** rng.integers(-8, 12, (rows, width))
    values[rng.random((rows, width)) < 0.05] = 0.0
    write = FORMATS[style]
    lines = ["date\t" + "\t".join(f"s.d1{j}" for j in range(width)), "------\t" + "\t".join(["-----"] * width)]
    for i in range(rows):
        month = start + i
        lines.append(f"{month // 12:04d}{month % 12 + 1:02d}\t" + "\t".join(write(float(v)) for v in values[i]))
    text = "\n".join(lines) + ("\n" if seed % 2 else "")
    assert table_kernel.KERNEL is not None and saved._kernel_table(text, table_kernel.KERNEL) is not None
    table = parse_table(text)
    assert table is not None and table.start == start and table.monthly
    _same(table, _python(text))
    assert table.frame().index[0].ordinal == start - 1970 * 12


@needs_c_loops
@pytest.mark.parametrize("text", [
    "date\tseries.d11\n------\t-----\n201801\t+0.1000000000E+03\n201803\t99.5\n",  # a gap: not consecutive
    "date\tseries.d11\n------\t-----\n201801\t1.0\n\n201802\t2.0\n",  # a blank line
    "date\tseries.d11\n------\t-----\n201801\t1.0\n201802\t2.0\n\n",  # a blank last line
    "date\tseries.d11\n------\t-----\n201801\t1.0\n201802\t2.0\t7\n",  # ragged
    "date\tseries.d11\n------\t-----\n201801\t1.0\n201802\tn/a\n",  # not a number
    "date\tseries.d11\n------\t-----\n201801\t1.0\n201802\t1e\n",  # half a number
    "date\tseries.d11\n------\t-----\n201801\t1_0\n",  # Python's float reads it, the kernel does not
    "date\tseries.d11\n------\t-----\n201801\t 1.0\n",  # a space
    "date\tseries.d11\r\n------\t-----\r\n201801\t1.0\r\n201802\t2.0\r\n",  # CRLF
    "date\tseries.d11\n------\t-----\n201812\t1.0\n201813\t2.0\n",  # no month 13
    "date\tseries.d11\n------\t-----\n2018１2\t1.0\n",  # a digit that is not ASCII
    "date\tseries.d11\n------\t-----\n",  # no rows
    "date\tseries.d11\n",  # no dashes
    "date\x0cx\tseries.d11\n------\t-----\n201801\t1.0\n",  # a header splitlines breaks
    "date\tA\rB\n\n201801\t1.5\n201802\t2\n",  # a break in the header, the dashes line empty (review)
    "date\tA\rB\tC\n\n201801\t1.5\t3\n",
    "date\tA\u2028B\n------\n201801\t1.5\n",
    "lag\tacf\tse\n---\n1\t0.1\t0.1\n2\t-0.2\t0.1\n",  # not keyed by date
    "DATE\tseries.d11\n------\t-----\n201801\t-0.0\n201802\t.5\n201803\t5.\n",  # read by the kernel too
])
def test_issue16_tables_the_kernel_leaves_read_as_before(text: str) -> None:
    _same(parse_table(text), _python(text))


@needs_c_loops
def test_issue16_a_real_runs_tables_read_the_same() -> None:
    """The tables of a published X-13 run of a demo series (tests/data/x13-tables-city-iip-10.json)."""
    texts = json.loads((DATA / "x13-tables-city-iip-10.json").read_text(encoding="utf-8"))
    assert {"a18", "d10", "d11", "d12", "d13", "hol", "acf"} <= set(texts)
    for name, text in texts.items():
        table = parse_table(text)
        _same(table, _python(text))
        assert table is not None and (table.start is not None) == (name != "acf")
        assert (saved._kernel_table(text, table_kernel.KERNEL) is not None) == (name != "acf")
