"""Economic and product complexity (ECI, PCI) by the eigenvector method (Hausmann, Hidalgo et al., *The Atlas
of Economic Complexity*, 2014; Hidalgo & Hausmann 2009 for the method of reflections it replaces)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vnindustry.analysis.trade.indices import Market, _concat, _matrices, _prepare, balassa


def _eci_pci(presence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ECI per row and PCI per column of a binary matrix; NaN for a row or column of zeros, and everywhere
    when fewer than two exporters or products remain."""
    rows, columns = presence.shape
    eci, pci = np.full(rows, np.nan), np.full(columns, np.nan)
    diversity, ubiquity = presence.sum(axis=1), presence.sum(axis=0)
    keep_rows, keep_columns = diversity > 0, ubiquity > 0
    m = presence[keep_rows][:, keep_columns].astype("float64")
    if min(m.shape) < 2:
        return eci, pci
    by_diversity = m / diversity[keep_rows][:, None]
    by_ubiquity = m / ubiquity[keep_columns][None, :]
    # M̃_cc' = Σ_p M_cp M_c'p / (k_c k_p) and M̃_pp' share their non-zero eigenvalues (k_p ∝ M̃ᵀ k_c), so the
    # smaller of the two is decomposed: 200 countries instead of 5,000 HS 6-digit products.
    if m.shape[0] <= m.shape[1]:
        values, vectors = np.linalg.eig(by_diversity @ by_ubiquity.T)
        second = np.real(vectors[:, np.argsort(np.real(values))[-2]])
        k_p = by_ubiquity.T @ second
    else:
        values, vectors = np.linalg.eig(by_ubiquity.T @ by_diversity)
        k_p = np.real(vectors[:, np.argsort(np.real(values))[-2]])
    k_c = by_diversity @ k_p  # a country's value is the mean of its products'
    # The eigenvector's sign is arbitrary: more diversified countries get the higher ECI (as in the Atlas).
    varies = np.std(k_c) > 0 and np.std(diversity[keep_rows]) > 0
    sign = np.sign(np.corrcoef(diversity[keep_rows], k_c)[0, 1]) if varies else 1.0
    k_c, k_p = sign * k_c, sign * k_p
    spread = np.std(k_c)
    if not spread > 0:
        return eci, pci
    # Both standardised with ECI's mean and (population) std, so ECI_c stays the mean PCI of c's products.
    eci[keep_rows] = (k_c - k_c.mean()) / spread
    pci[keep_columns] = (k_p - k_c.mean()) / spread
    return eci, pci


def complexity(flows: pd.DataFrame, *, threshold: float = 1.0, market: Market = None,
               exclude_crude_oil: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ECI per (period, exporter) and PCI per (period, product), from the presence matrix RCA ≥ ``threshold``.

    Exporters with no product at RCA ≥ threshold, and products no exporter has at RCA ≥ threshold, get NaN.
    When the second eigenvalue is tied (e.g. exporters that share no product at all) the eigenvector, and so
    ECI/PCI, is not unique: numpy's choice is returned.
    Returns (eci frame: period, exporter, [market,] diversity, eci; pci frame: period, product, [market,]
    ubiquity, pci).
    """
    flows, label = _prepare(flows, market, exclude_crude_oil)
    eci_parts, pci_parts = [], []
    for period, matrix in _matrices(flows):
        with np.errstate(invalid="ignore"):  # NaN RCA (undefined) is not ≥ threshold
            presence = (balassa(matrix.to_numpy()) >= threshold).astype("int64")
        eci, pci = _eci_pci(presence)
        eci_parts.append(pd.DataFrame({"period": period, "exporter": matrix.index.to_numpy(dtype=object),
                                       "diversity": presence.sum(axis=1), "eci": eci}))
        pci_parts.append(pd.DataFrame({"period": period, "product": matrix.columns.to_numpy(dtype=object),
                                       "ubiquity": presence.sum(axis=0), "pci": pci}))
    eci_frame = _concat(eci_parts, ["period", "exporter", "diversity", "eci"], label)
    pci_frame = _concat(pci_parts, ["period", "product", "ubiquity", "pci"], label)
    return eci_frame, pci_frame
