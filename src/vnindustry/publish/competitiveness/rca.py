"""An exporter's revealed comparative advantage (RCA) in a market by product group and year, with its market share.

Part of :mod:`vnindustry.publish.competitiveness`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vnindustry.analysis.trade import FLOW_COLUMNS, WORLD, resolve_market
from vnindustry.analysis.trade.indices import exporter_rca_rows
from vnindustry.publish.competitiveness.labels import product_name

DEFAULT_MARKET = "EU"
DEFAULT_EXPORTER = "VNM"


class NoTradeData(LookupError):
    """No flows for the selection (empty store, unknown market or exporter): a page says so, the API 404s."""


# ---------------------------------------------------------------- RCA in a market


def yearly(flows: pd.DataFrame) -> pd.DataFrame:
    """Monthly flows summed into years (``YYYY-MM`` → ``YYYY``); yearly flows unchanged.

    The annex and the pages compare years: a month's RCA moves with shipping dates, a year's with
    specialisation. Quantities are dropped (units may differ within a product group).
    """
    if flows.empty or not flows["period"].astype(str).str.len().gt(4).any():
        return flows
    out = flows.assign(period=flows["period"].astype(str).str[:4])
    out = out.groupby(["period", "exporter", "importer", "product"], as_index=False, sort=True)["value"].sum()
    out["quantity"] = np.nan
    return out.loc[:, list(FLOW_COLUMNS)]


RCA_COLUMNS = ("period", "exporter", "market", "product", "product_name", "rca", "rca_presence", "rca_change",
               "share_pct", "share_change_pp")


@dataclass(frozen=True)
class RcaTable:
    """An exporter's RCA in a market, by product group and year, with its market share.

    ``frame`` has :data:`RCA_COLUMNS`, one row per (period, product) of the exporter, unrounded: ``rca``
    (Balassa, in the market), ``rca_presence`` (1 if RCA ≥ 1), ``rca_change`` (on the previous period, NaN
    without one), ``share_pct`` (the exporter's share of the market's imports of the product from the
    exporters present, %), ``share_change_pp`` (percentage points). ``total_share`` is the share over all
    products, by period (%).
    """

    market: str
    exporter: str
    exclude_crude_oil: bool
    frame: pd.DataFrame
    total_share: dict[str, float] = field(default_factory=dict)
    exporters: tuple[str, ...] = ()  # the exporters with flows into the market (for a picker)

    @property
    def periods(self) -> list[str]:
        """The periods, oldest first."""
        return sorted(self.frame["period"].unique().tolist())

    def latest(self) -> pd.DataFrame:
        """The latest period's rows, highest RCA first (undefined RCA last)."""
        if self.frame.empty:
            return self.frame
        last = self.periods[-1]
        rows = self.frame[self.frame["period"] == last]
        return rows.sort_values(["rca", "product"], ascending=[False, True], na_position="last")

    def wide(self, periods: Sequence[str] | None = None) -> pd.DataFrame:
        """Product × period RCA (rows ordered as :meth:`latest`)."""
        table = self.frame.pivot(index="product", columns="period", values="rca")
        order = [p for p in self.latest()["product"] if p in table.index]
        table = table.reindex(order)
        return table.loc[:, list(periods)] if periods is not None else table


def importers_of(flows: pd.DataFrame) -> list[str]:
    """Bilateral importers in ``flows`` (not the world)."""
    # Each distinct importer once: iterating 112,000 rows for a set was 66 ms of the page after a release.
    return sorted({str(i) for i in flows["importer"].unique().tolist()} - {WORLD}) if not flows.empty else []


def markets_of(flows: pd.DataFrame, groups: Sequence[str] = ("EU", "ASEAN", "RCEP", "CPTPP")) -> list[str]:
    """Markets one can pick: the groups with at least one importer in ``flows``, then each importer."""
    present = set(importers_of(flows))
    return [g for g in groups if present & resolve_market(g)[1]] + sorted(present)


def rca_table(flows: pd.DataFrame, *, market: str = DEFAULT_MARKET, exporter: str = DEFAULT_EXPORTER,
              exclude_crude_oil: bool = True) -> RcaTable:
    """``exporter``'s RCA in ``market`` by product group and year (:class:`RcaTable`).

    Flows by month are summed into years first (:func:`yearly`). Raises :class:`NoTradeData` when there are
    no flows, none into the market, or none from the exporter into it.
    """
    if flows.empty:
        raise NoTradeData("no trade flows in the store")
    label, codes = resolve_market(market)
    into = flows[flows["importer"].isin(codes)]
    if into.empty:
        known = ", ".join(markets_of(flows)) or "none"
        raise NoTradeData(f"no flows into market {label}; markets with flows: {known}")
    exporters = tuple(sorted(set(into["exporter"].astype(str))))
    if exporter not in exporters:
        raise NoTradeData(f"no flows from exporter {exporter} into market {label}; exporters: {', '.join(exporters)}")
    into = yearly(into)
    frame, total_share = exporter_rca_rows(into, label, exporter, exclude_crude_oil=exclude_crude_oil)
    frame["market"] = label
    frame["product_name"] = frame["product"].map(product_name)
    return RcaTable(label, exporter, exclude_crude_oil, frame.loc[:, list(RCA_COLUMNS)].reset_index(drop=True),
                    total_share, exporters)

