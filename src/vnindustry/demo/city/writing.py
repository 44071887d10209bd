"""Writing the demo folders' files: a CSV file, the city's production.csv, each written atomically."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from vnindustry.demo.city.catalogue import _Product


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    _atomic_write(path, buf.getvalue())


def _write_production(path: Path, qty: np.ndarray, pe: np.ndarray, pp: np.ndarray, ent_code_of: np.ndarray,
                      products: Sequence[_Product], decimals: np.ndarray, periods: Sequence[str]) -> None:
    # Rows sorted by period, then enterprise code, then product code, as the monthly returns come in.
    pair_order = np.lexsort((pp, ent_code_of[pe]))
    q = qty[pair_order]
    r, t = np.nonzero(~np.isnan(q.T))  # period-major
    pairs = pair_order[t]
    values = q.T[r, t]
    dec = decimals[pp[pairs]]
    text = np.empty(len(values), dtype=object)
    for d in np.unique(dec):
        m = dec == d
        text[m] = np.char.mod(f"%.{int(d)}f", values[m])
    codes = np.array([f"DN{k + 1:05d}" for k in range(len(ent_code_of))], dtype=object)
    ent_txt = codes[ent_code_of[pe[pairs]]]
    prod_txt = np.array([p.code for p in products], dtype=object)[pp[pairs]]
    per_txt = np.array(periods, dtype=object)[r]
    lines = ent_txt + "," + prod_txt + "," + per_txt + "," + text
    _atomic_write(path, "enterprise,product,period,quantity\n" + "\n".join(lines.tolist()) + "\n")


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to a temp file beside ``path`` and rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; these are ordinary data files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
