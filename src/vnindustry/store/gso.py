"""GSO workbooks and history as store releases (source ``gso``), with their series' places."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Callable

import pandas as pd

from vnindustry.classification import vsic_index, vsic_name
from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.sources.gso import HistoryImport, WorkbookImport, series_places
from vnindustry.store.repository import ImportSummary, Store

SOURCE = "gso"


def gso_release_date(reference_period: str) -> dt.date:
    """Approximate publication date of GSO's monthly figures for ``reference_period``.

    Until 2022 GSO released each month's estimates on about the 29th of that month; from 2023 on the 6th of
    the next month. Pass the real date (``--release-date``) where it is known; "as of" queries use it.
    """
    key = parse_month(reference_period)
    if key is None:
        raise ValueError(f"reference period {reference_period!r} is not YYYY-MM")
    year, month = year_of(key), month_of(key)
    if year <= 2022:
        return dt.date(year, month, min(29, calendar.monthrange(year, month)[1]))
    return dt.date(year + (month == 12), month % 12 + 1, 6)


def _with_places(records: pd.DataFrame) -> pd.DataFrame:
    places = series_places(records)
    return pd.concat([records.reset_index(drop=True), places.reset_index(drop=True)], axis=1)


def _english_names(records: pd.DataFrame) -> dict[str, str]:
    """English names of the series that carry a VSIC code (the IIP and labour tables)."""
    names = {}
    vsic = vsic_index()
    for table, code in set(zip(records["table"], records["code"], strict=True)):
        if table in ("iip", "labour"):
            if code == "TOTAL":
                names[f"{SOURCE}/{table}/{code}"] = "Total industry"
            elif code in vsic:
                names[f"{SOURCE}/{table}/{code}"] = vsic_name(code, "en")
    return names


def store_workbook(store: Store, imported: WorkbookImport, *, released_on: dt.date | None = None) -> ImportSummary:
    """Store one workbook as a release; the file's sha256 makes a second import of it a no-op."""
    checksum = hashlib.sha256(imported.file.read_bytes()).hexdigest()
    return store.import_records(
        _with_places(imported.records), source=SOURCE, file=imported.file.name, checksum=checksum,
        released_on=released_on or gso_release_date(imported.reference_period),
        reference_period=imported.reference_period, names_en=_english_names(imported.records),
        note="; ".join(imported.warnings)[:4000],
    )


def store_history(store: Store, imported: HistoryImport,
                  progress: Callable[[int, int], None] | None = None) -> list[ImportSummary]:
    """Store the long history one release per month scraped (each month's first publication)."""
    releases = list(imported.by_release())
    summaries = []
    for i, (month, rows) in enumerate(releases):
        records = _with_places(rows)
        digest = hashlib.sha256(records.to_csv(index=False).encode("utf-8")).hexdigest()
        summaries.append(store.import_records(
            records, source=SOURCE, file=f"{imported.file.name}#{month}", checksum=digest,
            released_on=gso_release_date(month), reference_period=month, names_en=_english_names(rows),
            note="first-published figures from the long CSV history",
        ))
        if progress is not None:
            progress(i + 1, len(releases))
    return summaries
