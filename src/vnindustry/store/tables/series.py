"""Releases, their lineage, the series and their observations (the vintages), the frozen seasonal-adjustment
specs and the suppressed (confidential) cells."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from vnindustry.store.tables.metadata import METADATA

#: One publication: a workbook, a history backfill, a compile run. Its observations are a vintage.
RELEASES = Table(
    "releases",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("source", String(40), nullable=False),  # gso, gso-history, city …
    Column("file", Text, nullable=False),  # file or dataset name as given
    Column("checksum", String(64), nullable=False),  # sha256 of the content
    Column("reference_period", String(10)),
    Column("released_on", Date, nullable=False),  # the vintage date used by "as of" queries
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, default="", nullable=False),
    # Made by the demo generator, or computed from such a release (issue 13): shown as "dữ liệu giả lập".
    Column("synthetic", Boolean, default=False, server_default=false(), nullable=False),
    UniqueConstraint("source", "checksum", name="uq_release_source_checksum"),
)


#: Lineage: release ``release_id`` was computed from release ``input_release_id`` (issue 12). A derived
#: release is dated no earlier than its latest input, so it is never public before any figure it uses.
RELEASE_INPUTS = Table(
    "release_inputs",
    METADATA,
    Column("release_id", ForeignKey("releases.id"), primary_key=True),
    Column("input_release_id", ForeignKey("releases.id"), primary_key=True),
    Index("ix_release_inputs_input", "input_release_id"),
)


#: A published series: one row label of one table of one source (e.g. gso/iip/C).
SERIES = Table(
    "series",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), unique=True, nullable=False),  # source/table/code
    Column("source", String(40), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("code", String(120), nullable=False),
    Column("name_vi", Text, nullable=False),
    Column("name_en", Text, default="", nullable=False),
    Column("unit", String(60), default="", nullable=False),
    Column("frequency", String(1), default="M", nullable=False),
    # Place in its table's hierarchy: kind total/industry/group/item, level (0 = total), parent code.
    Column("kind", String(12), default="item", nullable=False),
    Column("level", Integer, nullable=True),
    Column("parent", String(120), default="", nullable=False),
)


#: A value of a series for a period and measure, as published by one release.
OBSERVATIONS = Table(
    "observations",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id"), nullable=False),
    Column("release_id", ForeignKey("releases.id"), nullable=False),
    Column("period", String(10), nullable=False),
    Column("measure", String(40), nullable=False),
    Column("value", Float(precision=53)),
    Column("status", String(12), nullable=False),
    # The figure's own unit: one series may mix units (trade value in triệu USD, quantity in nghìn tấn).
    Column("unit", String(60), default="", nullable=False),
    Column("provenance", Text, default="", nullable=False),
    UniqueConstraint("series_id", "period", "measure", "release_id", name="uq_observation_vintage"),
    Index("ix_observation_lookup", "series_id", "measure", "period"),
    Index("ix_observation_release", "release_id"),  # a release's observations (migration 0017)
)


#: What each release holds of each series, written with its observations (never changed, as they are not): the
#: first and last period, the last that is not a quarter, and how many observations. The catalogue and the
#: releases list sum these over the releases a view can see instead of every observation (migration 0018).
RELEASE_SERIES = Table(
    "release_series",
    METADATA,
    Column("release_id", ForeignKey("releases.id"), primary_key=True),
    Column("series_id", ForeignKey("series.id"), primary_key=True),
    Column("first_period", String(10), nullable=False),
    Column("last_period", String(10), nullable=False),
    Column("last_not_quarter", String(10), nullable=True),  # months and years before quarters (issue 13)
    Column("observations", Integer, nullable=False),
    Index("ix_release_series_series", "series_id"),
)


#: The frozen X-13 spec of a series' seasonal adjustment (re-used monthly, replaced at the annual review).
ADJUSTMENT_SPECS = Table(
    "adjustment_specs",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("series_key", String(200), index=True, nullable=False),  # the original series
    Column("spec", Text, nullable=False),  # AdjustSpec.to_json()
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("release_id", ForeignKey("releases.id"), nullable=True),
)


#: A confidential cell: the series' figures for the period are withheld (flag ``c``) from the public, in
#: every vintage — once suppressed, always suppressed (docs/architecture.md, "Confidentiality").
SUPPRESSIONS = Table(
    "suppressions",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("series_id", ForeignKey("series.id"), nullable=False),
    Column("period", String(10), nullable=False),
    Column("reason", String(12), nullable=False),  # primary (threshold/dominance) or secondary
    Column("release_id", ForeignKey("releases.id"), nullable=False),  # the release that first required it
    UniqueConstraint("series_id", "period", name="uq_suppression_cell"),
)
