"""Trade flows and stored key-product scoring runs.

The ORM classes of the tables in :mod:`vnindustry.store.tables.trade` (their columns are the tables)."""

from __future__ import annotations

from vnindustry.store.models.base import Base
from vnindustry.store.tables.trade import KEY_PRODUCT_RUNS, TRADE_FLOWS


class TradeFlow(Base):
    """One trade flow (analysis.trade FLOW_COLUMNS) as published by one release."""

    __table__ = TRADE_FLOWS


class KeyProductRun(Base):
    """A stored key-product scoring: the frozen spec and the full result (ranking, weights, sensitivity), JSON."""

    __table__ = KEY_PRODUCT_RUNS
