"""The tidy records the GSO readers return, and the result objects that carry them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["MEASURES", "RECORD_COLUMNS", "STATUSES", "HistoryImport", "WorkbookImport", "records_frame"]

RECORD_COLUMNS = ("table", "series", "code", "unit", "period", "measure", "value", "status", "sheet", "cell")
STATUSES = ("estimate", "preliminary", "actual")

# Every measure a reader can emit (documented in the package docstring).
MEASURES = (
    "level",
    "level_ytd",
    "pct_prev_month",
    "pct_prev_period",
    "pct_same_month_last_year",
    "pct_same_period_last_year",
    "pct_ytd_last_year",
    "share_pct",
    "share_pct_ytd",
    "pct_change_prev_month",
    "pct_change_same_month_last_year",
    "pct_change_ytd_last_year",
)
QUANTITY_PREFIX = "qty_"


def records_frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    """A records DataFrame with exactly :data:`RECORD_COLUMNS` (``value`` float64, the rest strings)."""
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    for column in RECORD_COLUMNS:
        if column != "value":
            frame[column] = frame[column].astype(object)
    return frame


@dataclass
class WorkbookImport:
    """What :func:`~vnindustry.sources.gso.read_workbook` read from one GSO monthly workbook.

    Attributes:
        records: one row per figure, columns :data:`RECORD_COLUMNS`.
        warnings: everything skipped or doubtful, each naming sheet and cell(s).
        reference_period: the month the workbook reports ("YYYY-MM").
        file: the workbook.
        layouts: sheet name → layout family used (``layouts.WORKBOOK_LAYOUTS`` keys).
        ignored_sheets: sheets that are not one of the known tables (agriculture, CPI, transport …).
    """

    records: pd.DataFrame
    warnings: list[str]
    reference_period: str
    file: Path
    layouts: dict[str, str] = field(default_factory=dict)
    ignored_sheets: list[str] = field(default_factory=list)


@dataclass
class HistoryImport:
    """What :func:`~vnindustry.sources.gso.read_history` read from the folder of history CSVs.

    Attributes:
        records: one row per figure, columns :data:`RECORD_COLUMNS` (``sheet`` = file name,
            ``cell`` = "line N").
        warnings: skipped lines and columns, gaps and duplicates, each naming file and line(s).
        reference_period: always ``None`` (a history spans many releases).
        file: the folder.
        releases: for each record, the month of the GSO release its line was scraped from (the
            CSV's ``Month``); aligned with ``records``. The same figure appears in two releases (first
            estimate, then revised the month after), so store one release at a time (:meth:`by_release`).
        files: file name → tables read from it.
    """

    records: pd.DataFrame
    warnings: list[str]
    reference_period: str | None
    file: Path
    releases: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def by_release(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """``(release month, records)`` in release order; within one release each figure occurs once."""
        if self.records.empty:
            return
        for month, rows in self.records.groupby(self.releases, sort=True):
            yield str(month), rows
