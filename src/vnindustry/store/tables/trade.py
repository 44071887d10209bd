"""Trade flows and stored key-product scoring runs."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from vnindustry.store.tables.metadata import METADATA

# -- Trade flows and key-product scoring runs (issue 7) -----------------------------------------------------
# store/trade.py is the one module that writes these tables. Each import / scoring run is a release, so the
# embargo and "a later release revises" work as for observations.


#: One trade flow (analysis.trade FLOW_COLUMNS) as published by one release.
TRADE_FLOWS = Table(
    "trade_flows",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("release_id", ForeignKey("releases.id"), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY or YYYY-MM
    Column("exporter", String(40), nullable=False),
    Column("importer", String(40), nullable=False),  # WLD = all destinations
    Column("product", String(40), nullable=False),  # HS code (leading zeros kept) or a GSO commodity group
    Column("value", Float(precision=53), nullable=False),
    Column("quantity", Float(precision=53), nullable=True),
    UniqueConstraint("release_id", "period", "exporter", "importer", "product", name="uq_trade_flow"),
    Index("ix_trade_flow_market", "period", "importer", "product"),
    Index("ix_trade_flow_exporter", "exporter", "period"),
)


#: A stored key-product scoring: the frozen spec and the full result (ranking, weights, sensitivity), JSON.
KEY_PRODUCT_RUNS = Table(
    "key_product_runs",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("release_id", ForeignKey("releases.id"), unique=True, nullable=False),
    Column("title", Text, nullable=False),
    Column("created_by", String(150), nullable=False),
    Column("method", String(20), nullable=False),  # topsis, wsm …
    Column("cr", Float(precision=53), nullable=True),  # None for direct weights
    Column("spec", Text, nullable=False),  # ScoringSpec.to_json()
    Column("result", Text, nullable=False),  # {"table": […], "weights": […], "ahp": {…}, "sensitivity": […]}
)
