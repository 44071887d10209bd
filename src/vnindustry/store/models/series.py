"""Releases, their lineage, the series and their observations (the vintages), the frozen seasonal-adjustment
specs and the suppressed (confidential) cells."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vnindustry.store.models.base import Base


class Release(Base):
    """One publication: a workbook, a history backfill, a compile run. Its observations are a vintage."""

    __tablename__ = "releases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))  # gso, gso-history, city …
    file: Mapped[str] = mapped_column(Text)  # file or dataset name as given
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the content
    reference_period: Mapped[str | None] = mapped_column(String(10))
    released_on: Mapped[dt.date] = mapped_column(Date)  # the vintage date used by "as of" queries
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    # Made by the demo generator, or computed from such a release (issue 13): shown as "dữ liệu giả lập".
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    observations: Mapped[list[Observation]] = relationship(back_populates="release")

    __table_args__ = (UniqueConstraint("source", "checksum", name="uq_release_source_checksum"),)


class ReleaseInput(Base):
    """Lineage: release ``release_id`` was computed from release ``input_release_id`` (issue 12). A derived
    release is dated no earlier than its latest input, so it is never public before any figure it uses."""

    __tablename__ = "release_inputs"
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), primary_key=True)
    input_release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), primary_key=True)

    __table_args__ = (Index("ix_release_inputs_input", "input_release_id"),)


class Series(Base):
    """A published series: one row label of one table of one source (e.g. gso/iip/C)."""

    __tablename__ = "series"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # source/table/code
    source: Mapped[str] = mapped_column(String(40))
    table_name: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(120))
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(60), default="")
    frequency: Mapped[str] = mapped_column(String(1), default="M")
    # Place in its table's hierarchy: kind total/industry/group/item, level (0 = total), parent code.
    kind: Mapped[str] = mapped_column(String(12), default="item")
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    parent: Mapped[str] = mapped_column(String(120), default="")
    observations: Mapped[list[Observation]] = relationship(back_populates="series")


class Observation(Base):
    """A value of a series for a period and measure, as published by one release."""

    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    period: Mapped[str] = mapped_column(String(10))
    measure: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float(precision=53))
    status: Mapped[str] = mapped_column(String(12))
    # The figure's own unit: one series may mix units (trade value in triệu USD, quantity in nghìn tấn).
    unit: Mapped[str] = mapped_column(String(60), default="")
    provenance: Mapped[str] = mapped_column(Text, default="")
    series: Mapped[Series] = relationship(back_populates="observations")
    release: Mapped[Release] = relationship(back_populates="observations")

    __table_args__ = (
        UniqueConstraint("series_id", "period", "measure", "release_id", name="uq_observation_vintage"),
        Index("ix_observation_lookup", "series_id", "measure", "period"),
        Index("ix_observation_release", "release_id"),  # a release's observations (migration 0017)
    )


class AdjustmentSpec(Base):
    """The frozen X-13 spec of a series' seasonal adjustment (re-used monthly, replaced at the annual review)."""

    __tablename__ = "adjustment_specs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_key: Mapped[str] = mapped_column(String(200), index=True)  # the original series
    spec: Mapped[str] = mapped_column(Text)  # AdjustSpec.to_json()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), nullable=True)


class Suppression(Base):
    """A confidential cell: the series' figures for the period are withheld (flag ``c``) from the public, in
    every vintage — once suppressed, always suppressed (docs/architecture.md, "Confidentiality")."""

    __tablename__ = "suppressions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    period: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(12))  # primary (threshold/dominance) or secondary
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))  # the release that first required it

    __table_args__ = (UniqueConstraint("series_id", "period", name="uq_suppression_cell"),)
