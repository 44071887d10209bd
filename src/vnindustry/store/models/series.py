"""Releases, their lineage, the series and their observations (the vintages), the frozen seasonal-adjustment
specs and the suppressed (confidential) cells.

The ORM classes of the tables in :mod:`vnindustry.store.tables.series` (their columns are the tables)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from vnindustry.store.models.base import Base
from vnindustry.store.tables.series import (
    ADJUSTMENT_SPECS,
    OBSERVATIONS,
    RELEASE_INPUTS,
    RELEASE_SERIES,
    RELEASES,
    SERIES,
    SUPPRESSIONS,
)


class Release(Base):
    """One publication: a workbook, a history backfill, a compile run. Its observations are a vintage."""

    __table__ = RELEASES
    observations: Mapped[list[Observation]] = relationship(back_populates="release")


class ReleaseInput(Base):
    """Lineage: release ``release_id`` was computed from release ``input_release_id`` (issue 12). A derived
    release is dated no earlier than its latest input, so it is never public before any figure it uses."""

    __table__ = RELEASE_INPUTS


class Series(Base):
    """A published series: one row label of one table of one source (e.g. gso/iip/C)."""

    __table__ = SERIES
    observations: Mapped[list[Observation]] = relationship(back_populates="series")


class Observation(Base):
    """A value of a series for a period and measure, as published by one release."""

    __table__ = OBSERVATIONS
    series: Mapped[Series] = relationship(back_populates="observations")
    release: Mapped[Release] = relationship(back_populates="observations")


class ReleaseSeries(Base):
    """What one release holds of one series: first and last period, the last that is not a quarter, how many
    observations (written with them; the catalogue's and the releases list's sums)."""

    __table__ = RELEASE_SERIES


class AdjustmentSpec(Base):
    """The frozen X-13 spec of a series' seasonal adjustment (re-used monthly, replaced at the annual review)."""

    __table__ = ADJUSTMENT_SPECS


class Suppression(Base):
    """A confidential cell: the series' figures for the period are withheld (flag ``c``) from the public, in
    every vintage — once suppressed, always suppressed (docs/architecture.md, "Confidentiality")."""

    __table__ = SUPPRESSIONS
