"""Issue 16 (bulletins): the trade indices' faster paths give the same frames, bit for bit.

``_matrices`` groups every period's sums at once (it grouped each period's flows separately); ``rca_with_shares``
gives a bulletin's RCA table its three frames from one preparation of the flows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from vnindustry.analysis.trade import market_share, rca_in_market
from vnindustry.analysis.trade.indices import _matrices, rca_with_shares


def _flows(seed: int, periods: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 3000
    frame = pd.DataFrame({
        "period": rng.choice(periods, n),
        "exporter": rng.choice(["VNM", "THA", "CHN", "IDN", "KOR"], n),
        "importer": rng.choice(["DEU", "FRA", "NLD", "ITA", "USA"], n),
        "product": rng.choice(["8517", "8471", "6403", "0901", "2709", "9403", "6110"], n),
        "value": rng.lognormal(10, 3, n) * rng.choice([1.0, 1e-9, 1e9], n),
        "quantity": np.nan,
    })
    frame = frame.drop_duplicates(["period", "exporter", "importer", "product"]).reset_index(drop=True)
    frame.loc[frame.sample(40, random_state=seed).index, "value"] = np.nan
    return frame


def _matrices_one_period_at_a_time(flows: pd.DataFrame, by: str = "exporter"):  # type: ignore[no-untyped-def]
    """The grouping as it was before issue 16."""
    for period, part in flows.groupby("period", sort=True):
        matrix = part.groupby([by, "product"])["value"].sum().unstack("product", fill_value=0.0)
        yield str(period), matrix.sort_index().sort_index(axis=1).astype("float64")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_regression_issue16_matrices_are_the_per_period_groupings(seed: int) -> None:
    flows = _flows(seed, [f"{y}" for y in range(2013, 2024)] + ["2024-01", "2024-02"])
    for by in ("exporter", "importer"):
        before = list(_matrices_one_period_at_a_time(flows, by))
        after = list(_matrices(flows, by))
        assert [p for p, _ in before] == [p for p, _ in after]
        for (_, a), (_, b) in zip(before, after, strict=True):
            pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.parametrize("seed", [4, 5])
@pytest.mark.parametrize("exclude_crude_oil", [False, True])
def test_regression_issue16_rca_with_shares_is_the_three_calls(seed: int, exclude_crude_oil: bool) -> None:
    flows = _flows(seed, [f"{y}" for y in range(2015, 2025)])
    values, shares, total = rca_with_shares(flows, "EU", exclude_crude_oil=exclude_crude_oil)
    pd.testing.assert_frame_equal(values, rca_in_market(flows, "EU", exclude_crude_oil=exclude_crude_oil),
                                  check_exact=True)
    pd.testing.assert_frame_equal(shares, market_share(flows, market="EU", exclude_crude_oil=exclude_crude_oil),
                                  check_exact=True)
    pd.testing.assert_frame_equal(total, market_share(flows, market="EU", by_product=False,
                                                      exclude_crude_oil=exclude_crude_oil), check_exact=True)


def test_regression_issue16_a_bulletins_reads_do_not_go_through_the_orm(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every statement of a bulletin's read is SQLAlchemy Core (over the models' tables): a fresh process then
    neither configures the ORM's mappers nor compiles through it."""
    from sqlalchemy import event

    from vnindustry.analysis.trade import resolve_market
    from vnindustry.linkage.public_outcomes import read_outcomes
    from vnindustry.publish.competitiveness import Lineage
    from vnindustry.store import open_store
    from vnindustry.store.trade import load_scoring, scorings, summed_flows

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}").public_view()
    plugins: list[object] = []

    def seen(_conn, clause, *_args) -> None:  # type: ignore[no-untyped-def]
        plugins.append(getattr(clause, "_propagate_attrs", {}).get("compile_state_plugin"))

    event.listen(store.engine, "before_execute", seen)
    store.observations(source="city", start="2024-12", end="2025-12", periods=["2025-12"], totals_in_full=True)
    store.synthetic_release_ids()
    Lineage.of(store)
    summed_flows(store, resolve_market("EU")[1], {1})
    scorings(store)
    load_scoring(store, 1)
    read_outcomes(store.engine)
    assert len(plugins) >= 10 and set(plugins) == {None}
