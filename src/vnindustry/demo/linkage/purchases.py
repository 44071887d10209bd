"""The linkage demo's declared purchases (purchases.csv): each buyer's monthly input value, 2024-01..2025-12,
split between imports and suppliers located in Viet Nam (foreign- or Vietnamese-owned), Tết included."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vnindustry.demo.city import TET_DATES
from vnindustry.demo.linkage.buyers import _BuyerSpec
from vnindustry.demo.linkage.draws import _pick
from vnindustry.demo.linkage.need_templates import _NEEDS
from vnindustry.demo.linkage.suppliers import _Supplier

PERIODS: tuple[str, ...] = tuple(f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13))
PURCHASE_COLUMNS = ("buyer", "period", "supplier", "hs", "value_vnd", "supplier_located_in_vn",
                    "supplier_vn_owned")

_N_IMPORTERS = 40  # foreign suppliers IMP-01.., shared by the buyers


# What a sector imports (HS 2022 subheadings), for the purchases from abroad.
_IMPORTS: dict[str, tuple[str, ...]] = {
    "power_tools": ("850131", "853400", "761699", "392690", "850760", "854231", "848210"),
    "electronics": ("854231", "854232", "853400", "854141", "853224", "392690", "740811"),
    "motorcycle": ("871410", "848210", "720839", "760120", "854430", "390210"),
    "auto_parts": ("720839", "722830", "848210", "401699", "390210", "870899"),
    "appliances": ("850110", "854231", "390330", "720917", "740811", "841430"),
    "food_machinery": ("721934", "848180", "850152", "853710", "848210"),
    "food_processing": ("481910", "392321", "843890", "401699", "392350"),
}


def _month_factors() -> np.ndarray:
    """Tết in the purchases: the month holding the Lunar New Year buys less, the month before stocks up."""
    f = np.ones(len(PERIODS))
    for i, period in enumerate(PERIODS):
        tet = TET_DATES[int(period[:4])]
        if f"{tet.year}-{tet.month:02d}" == period:
            f[i] *= 0.8
            if i > 0:
                f[i - 1] *= 1.06
    return f


def _draw_purchases(rng: np.random.Generator, buyers: Sequence[tuple[str, _BuyerSpec]],
                    suppliers: Sequence[_Supplier]) -> list[tuple[str, ...]]:
    n_t = len(PERIODS)
    t = np.arange(n_t)
    season = _month_factors()
    importers = [f"IMP-{k:02d}" for k in range(1, _N_IMPORTERS + 1)]
    sector_clusters = {}
    for tmpl in _NEEDS:
        for sector in tmpl.sectors:
            sector_clusters.setdefault(sector, []).append(tmpl.cluster)
    rows: list[tuple[str, ...]] = []
    for bid, b in buyers:
        clusters = sector_clusters[b.sector]
        pool = [s for s in suppliers if s.cluster in clusters]
        vn_pool = [s for s in pool if s.ownership == "vn"]
        fo_pool = [s for s in pool if s.ownership != "vn"]
        vn_sup = [vn_pool[i] for i in rng.choice(len(vn_pool), size=min(len(vn_pool), int(rng.integers(4, 9))),
                                                 replace=False)]
        fo_sup = [fo_pool[i] for i in rng.choice(len(fo_pool), size=min(len(fo_pool), int(rng.integers(2, 5))),
                                                 replace=False)]
        imp = [importers[i] for i in rng.choice(len(importers), size=int(rng.integers(3, 8)), replace=False)]
        # Located-in-VN share: from a start to an end value below the target; the vn-owned part of it drifts up.
        target = b.target / 100
        if bid == "B01":
            local0, local1 = 0.35, 0.50  # half-way to its 70 % target by the end of 2025
        else:
            local0 = target * rng.uniform(0.6, 0.9)
            local1 = min(target - 0.01, local0 + rng.uniform(0.03, 0.12))
        own0 = rng.uniform(0.7, 0.9) if b.ownership == "vn" else rng.uniform(0.4, 0.6) if b.ownership == "jv" \
            else rng.uniform(0.25, 0.5)
        own1 = min(0.95, own0 + rng.uniform(0.0, 0.1))
        local = local0 + (local1 - local0) * t / (n_t - 1)
        own = own0 + (own1 - own0) * t / (n_t - 1)
        total = b.size * 1e9 * (1 + rng.normal(0.006, 0.003)) ** t * season
        imp_lines = [(i, _pick(rng, _IMPORTS[b.sector])) for i in imp]
        fo_lines = [(s.id, _pick(rng, s.hs)) for s in fo_sup]
        vn_lines = [(s.id, _pick(rng, s.hs)) for s in vn_sup]
        fo_value, vn_value = total * local * (1 - own), total * local * own
        # A directory too small to hold one kind of domestic supplier: its share goes to the other kind.
        if not fo_lines:
            fo_value, vn_value = np.zeros_like(total), vn_value + fo_value
        if not vn_lines:
            fo_value, vn_value = fo_value + vn_value, np.zeros_like(total)
        groups = (("imp", imp_lines, total - fo_value - vn_value, "0", "0"), ("fo", fo_lines, fo_value, "1", "0"),
                  ("vn", vn_lines, vn_value, "1", "1"))
        for kind, lines, value, located, vn_owned in groups:
            if not lines:
                continue
            weight = rng.lognormal(0.0, 0.8, len(lines))
            # Some domestic suppliers start delivering during the span (new localisation); the first never does.
            start = np.where(rng.random(len(lines)) < (0.0 if kind == "imp" else 0.3), rng.integers(6, 22, len(lines)),
                             0)
            start[0] = 0
            active = t[None, :] >= start[:, None]
            w = weight[:, None] * active
            noise = rng.lognormal(0.0, 0.1, (len(lines), n_t))
            values = value[None, :] * w / w.sum(axis=0, keepdims=True) * noise
            for li, (sid, hs) in enumerate(lines):
                for ti in np.flatnonzero(active[li]):
                    vnd = round(float(values[li, ti]) / 1000.0) * 1000
                    rows.append((bid, PERIODS[ti], sid, hs, str(vnd), located, vn_owned))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return rows
