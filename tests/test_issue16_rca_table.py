"""Issue 16: the RCA table of a bulletin's annex and the competitiveness page (publish/competitiveness/rca.py)
computed for its one exporter in numpy gives, to the bit, the table built as before from every exporter's long
frames (analysis.trade.indices.rca_with_shares, itself checked against Datawheel's RCA and by hand): the RCA, the
share and their changes, presence, the total share — on generated flows with many exporters (numpy's sums then
add in blocks of eight: the matrices' memory order matters), months and years, gaps, zeros, crude oil, exporters
absent some years and products sold in none."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnindustry.analysis.trade.indices import rca_with_shares
from vnindustry.publish.competitiveness import rca as R
from vnindustry.publish.competitiveness.labels import product_name


def reference(flows: pd.DataFrame, market: str, exporter: str, exclude_crude_oil: bool
              ) -> tuple[pd.DataFrame, dict[str, float]]:
    """The table as rca_table built it before issue 16's change: every exporter's frames, then merges."""
    label, codes = R.resolve_market(market)
    into = R.yearly(flows[flows["importer"].isin(codes)])
    values, shares, total = rca_with_shares(into, label, exclude_crude_oil=exclude_crude_oil)
    values = values[values["exporter"] == exporter].drop(columns=["market"])
    shares = shares[shares["exporter"] == exporter].drop(columns=["market"])
    frame = values.merge(shares, on=["period", "exporter", "product"], how="left")
    sold = frame.groupby("product")["share"].transform(lambda s: bool((s.fillna(0) > 0).any()))
    frame = frame[sold.astype(bool)].sort_values(["period", "product"]).reset_index(drop=True)
    frame["rca_presence"] = (frame["rca"].to_numpy() >= 1.0).astype("int64")
    previous = frame.pivot(index="period", columns="product", values="rca").shift(1)
    frame["rca_change"] = frame["rca"] - [previous.at[p, q] for p, q in zip(frame["period"], frame["product"],
                                                                            strict=True)]
    years = sorted(frame["period"].unique())
    consecutive = {b for a, b in itertools.pairwise(years) if a.isdigit() and b.isdigit() and int(b) - int(a) == 1}
    frame.loc[~frame["period"].isin(consecutive), "rca_change"] = np.nan
    frame["share_pct"] = 100.0 * frame["share"]
    frame["share_change_pp"] = 100.0 * frame["share_change"]
    frame["market"] = label
    frame["product_name"] = frame["product"].map(product_name)
    total = total[total["exporter"] == exporter]
    total_share = {str(p): 100.0 * float(s) for p, s in zip(total["period"], total["share"], strict=True)}
    return frame.loc[:, list(R.RCA_COLUMNS)].reset_index(drop=True), total_share


PRODUCTS = ["01-05", "06-15", "16-24", "25-27", "2709", "28-38", "39-40", "50-63", "64-67", "84-85", "86-89", "90-92"]
EU = ["DEU", "FRA", "NLD", "ITA"]


def flows_from(seed: int, n_exporters: int, years: list[int], monthly: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    exporters = ["VNM", *[f"X{i:02d}" for i in range(n_exporters - 1)]]
    rows = []
    for year in years:
        for month in ([f"{year}-{m:02d}" for m in (1, 6, 12)] if monthly else [str(year)]):
            for exporter in exporters:
                if exporter != "VNM" and rng.random() < 0.15:
                    continue  # absent this period
                for importer in [*EU, "USA"]:
                    for product in PRODUCTS:
                        draw = rng.random()
                        if draw < 0.3:
                            continue
                        value = 0.0 if draw < 0.35 else float(rng.lognormal(10, 2))
                        if exporter == "VNM" and product == "90-92":
                            value = 0.0  # a product the exporter never sells: left out
                        rows.append((month, exporter, importer, product, value, np.nan))
    return pd.DataFrame(rows, columns=["period", "exporter", "importer", "product", "value", "quantity"])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_exporters=st.integers(2, 20),
       years=st.lists(st.integers(2015, 2025), min_size=1, max_size=6, unique=True),
       monthly=st.booleans(), exclude_crude_oil=st.booleans())
def test_issue16_rca_table_is_the_table_built_from_every_exporter(seed: int, n_exporters: int, years: list[int],
                                                                  monthly: bool, exclude_crude_oil: bool) -> None:
    flows = flows_from(seed, n_exporters, sorted(years), monthly)
    frame, total_share = reference(flows, "EU", "VNM", exclude_crude_oil)
    table = R.rca_table(flows, market="EU", exporter="VNM", exclude_crude_oil=exclude_crude_oil)
    pd.testing.assert_frame_equal(table.frame, frame, check_exact=True)
    assert table.total_share == total_share


@pytest.mark.parametrize("exporter", ["VNM", "X03"])
def test_issue16_rca_table_with_many_exporters_and_one_of_them_asked(exporter: str) -> None:
    flows = flows_from(7, 20, [2019, 2020, 2022, 2023], monthly=False)  # a gap year: no change across it
    frame, total_share = reference(flows, "EU", exporter, True)
    table = R.rca_table(flows, market="EU", exporter=exporter)
    pd.testing.assert_frame_equal(table.frame, frame, check_exact=True)
    assert table.total_share == total_share
    assert table.frame.loc[table.frame["period"] == "2022", "rca_change"].isna().all()
    assert table.frame.loc[table.frame["period"] == "2020", "rca_change"].notna().any()


@pytest.mark.parametrize("rows", [
    [("2020", "VNM", "DEU", "2709", 5.0), ("2020", "CHN", "DEU", "2709", 3.0)],  # only crude oil: nothing left
    [("2020", "VNM", "DEU", "01-05", 0.0), ("2020", "CHN", "DEU", "01-05", 3.0)],  # the exporter sells nothing
])
def test_issue16_rca_table_of_an_exporter_with_nothing_to_show_is_empty(rows: list[tuple]) -> None:
    """Review of issue 16: no flows left after the crude-oil exclusion raised IndexError where the former
    construction gave an empty table."""
    flows = pd.DataFrame([(*r, np.nan) for r in rows], columns=["period", "exporter", "importer", "product", "value",
                                                                 "quantity"])
    frame, total_share = reference(flows, "EU", "VNM", True)
    table = R.rca_table(flows, market="EU", exporter="VNM")
    assert table.frame.empty and frame.empty and list(table.frame.columns) == list(frame.columns)
    assert table.total_share == total_share
    assert table.frame["rca"].dtype == np.float64 and table.frame["rca_presence"].dtype == np.int64
    assert str(table.frame["period"].dtype) == str(table.frame["product"].dtype) == "str"
