"""``generate_linkage``: draw the linkage demo (suppliers, then needs, then purchases, from one seeded
generator) and write its folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vnindustry.demo.city.writing import _atomic_write, _write_csv
from vnindustry.demo.linkage.buyers import BUYER_COLUMNS, _buyer_list
from vnindustry.demo.linkage.clusters import _CLUSTERS
from vnindustry.demo.linkage.needs import _draw_needs
from vnindustry.demo.linkage.purchases import PURCHASE_COLUMNS, _draw_purchases
from vnindustry.demo.linkage.suppliers import _draw_suppliers
from vnindustry.linkage.csvfiles import NEED_COLUMNS, SUPPLIER_COLUMNS
from vnindustry.sources.dataset import SYNTHETIC_MARKER


@dataclass(frozen=True)
class LinkageDemo:
    """What :func:`generate_linkage` wrote: the folder, its files and how many suppliers, needs and buyers."""

    folder: Path
    suppliers: Path
    needs: Path
    purchases: Path
    n_suppliers: int
    n_needs: int
    buyers: Path
    n_buyers: int


def generate_linkage(folder: Path, *, seed: int = 2020, n_suppliers: int = 300, n_buyers: int = 20) -> LinkageDemo:
    """Write the synthetic linkage demo (suppliers, buyers, needs, purchases, SYNTHETIC marker) into ``folder``.

    Args:
        folder: created if missing; the five files in it are replaced.
        seed: seed of the random generator; the same arguments give byte-identical files.
        n_suppliers: number of suppliers (S0001..), at least three per speciality cluster.
        n_buyers: number of buyers (B01..); ``B01`` is always the power-tool maker. Past the 20 catalogued
            buyers, the catalogue is repeated as second plants ("– Nhà máy 2").

    Returns:
        The paths written and the counts.

    Raises:
        ValueError: when ``n_suppliers`` or ``n_buyers`` is too small.
    """
    minimum = 3 * len(_CLUSTERS)
    if n_suppliers < minimum:
        raise ValueError(f"n_suppliers must be at least {minimum} (three per speciality cluster), not {n_suppliers}")
    if n_buyers < 1:
        raise ValueError(f"n_buyers must be at least 1, not {n_buyers}")
    rng = np.random.default_rng(seed)
    suppliers = _draw_suppliers(rng, n_suppliers)
    buyers = _buyer_list(n_buyers)
    needs = _draw_needs(rng, buyers, suppliers)
    purchases = _draw_purchases(rng, buyers, suppliers)

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.csv" for name in ("suppliers", "needs", "buyers", "purchases")}
    _write_csv(paths["suppliers"], SUPPLIER_COLUMNS, (s.row() for s in suppliers))
    _write_csv(paths["needs"], NEED_COLUMNS, (n.row() for n in needs))
    _write_csv(paths["buyers"], BUYER_COLUMNS, ((bid, b.name, b.district, b.ownership, b.sector, str(b.target))
                                                for bid, b in buyers))
    _write_csv(paths["purchases"], PURCHASE_COLUMNS, purchases)
    # The folder declares itself synthetic, as the demo city's does (issue 13).
    _atomic_write(out / SYNTHETIC_MARKER,
                  "Synthetic data (dữ liệu giả lập) made by vnindustry.demo.linkage.generate_linkage; the suppliers, "
                  "buyers, needs and purchases are invented, not reported by any enterprise.\n")
    return LinkageDemo(out, paths["suppliers"], paths["needs"], paths["purchases"], len(suppliers), len(needs),
                       paths["buyers"], len(buyers))
