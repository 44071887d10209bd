"""Trade flows and stored key-product scoring runs."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vnindustry.store.models.base import Base

# -- Trade flows and key-product scoring runs (issue 7) -----------------------------------------------------
# store/trade.py is the one module that writes these tables. Each import / scoring run is a release, so the
# embargo and "a later release revises" work as for observations.


class TradeFlow(Base):
    """One trade flow (analysis.trade FLOW_COLUMNS) as published by one release."""

    __tablename__ = "trade_flows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY or YYYY-MM
    exporter: Mapped[str] = mapped_column(String(40))
    importer: Mapped[str] = mapped_column(String(40))  # WLD = all destinations
    product: Mapped[str] = mapped_column(String(40))  # HS code (leading zeros kept) or a GSO commodity group
    value: Mapped[float] = mapped_column(Float(precision=53))
    quantity: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)

    __table_args__ = (
        UniqueConstraint("release_id", "period", "exporter", "importer", "product", name="uq_trade_flow"),
        Index("ix_trade_flow_market", "period", "importer", "product"),
        Index("ix_trade_flow_exporter", "exporter", "period"),
    )


class KeyProductRun(Base):
    """A stored key-product scoring: the frozen spec and the full result (ranking, weights, sensitivity), JSON."""

    __tablename__ = "key_product_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), unique=True)
    title: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(150))
    method: Mapped[str] = mapped_column(String(20))  # topsis, wsm …
    cr: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)  # None for direct weights
    spec: Mapped[str] = mapped_column(Text)  # ScoringSpec.to_json()
    result: Mapped[str] = mapped_column(Text)  # {"table": […], "weights": […], "ahp": {…}, "sensitivity": […]}
