"""Comparisons on arrays against independent hand calculations."""

import numpy as np
import pytest

from vnindustry.compile import comparisons as cmp
from vnindustry.periods import month_key


def test_ytd_and_cung_ky_over_three_years():
    first = month_key(2022, 1)
    index = np.arange(1, 37, dtype=float).reshape(-1, 1) * 10  # 10, 20, … 360
    ytd = cmp.ytd_pct(index, first)
    # March 2024 (t = 26): (250+260+270) / (130+140+150) − 1
    assert ytd[26, 0] == pytest.approx(100 * ((250 + 260 + 270) / (130 + 140 + 150) - 1))
    prev = cmp.lagged(ytd, 12)
    assert prev[26, 0] == pytest.approx(100 * ((130 + 140 + 150) / (10 + 20 + 30) - 1))
    assert np.isnan(ytd[:12]).all()


def test_ytd_needs_january_of_both_years():
    first = month_key(2022, 3)  # data start in March: 2022 and 2023 year-to-date are incomplete
    index = np.full((30, 1), 100.0)
    ytd = cmp.ytd_pct(index, first)
    assert np.isnan(ytd[:22]).all()  # up to 2023-12
    assert ytd[22, 0] == pytest.approx(0.0)  # 2024-01: (Jan 2024) / (Jan 2023) − 1


def test_zero_denominators_are_empty_not_zero():
    index = np.array([[0.0], [50.0]])
    assert np.isnan(cmp.mom_pct(index)[1, 0])


def test_contribution_formula():
    node = np.array([[50.0, 150.0]] * 12 + [[60.0, 140.0]])
    root = (node * np.array([1.0, 3.0])).sum(axis=1) / 4
    c = cmp.contribution_pp(node, np.array([1.0, 3.0]), root, 4.0)
    assert c[12, 0] == pytest.approx(100 * 1 * (60 - 50) / (4 * root[0]))
    assert c[12].sum() == pytest.approx(100 * (root[12] / root[0] - 1))
