"""GSO workbooks and history as store releases (source ``gso``), with their series' places.

Each release also carries the trade figures derived from its own rows (exports and imports excluding crude
oil, the balance with and without crude oil: :mod:`vnindustry.sources.gso.crude_oil`). They are stored in
the SAME release rather than a derived release with ``inputs=`` lineage: they are computed from that
release's figures only (one vintage, no other release involved), so they are public exactly when the figures
they come from are, a revision of the month revises them in the same step, and a second import of the file
stays a no-op (the checksum is that of GSO's own figures). Every surface — home cards, ``/trade``, the API,
the bulletin — then reads the same stored numbers instead of subtracting on its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Callable

import pandas as pd

from vnindustry.classification import vsic_index, vsic_name
from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.sources.gso import HistoryImport, WorkbookImport, series_places
from vnindustry.sources.gso.crude_oil import NAMES as DERIVED_NAMES
from vnindustry.sources.gso.crude_oil import derived_trade_records
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


def _with_derived(records: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The release's records (with places) followed by its derived trade rows, and notes on rows not derived
    (a month without a crude-oil row has no ex-crude figure; its total is stored as printed)."""
    derived, notes = derived_trade_records(records)
    if derived.empty:
        return records, notes
    derived = derived.astype({"level": "Int64"})
    return pd.concat([records, derived[list(records.columns)]], ignore_index=True), notes


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
    for (table, code), (_, english) in DERIVED_NAMES.items():
        names[f"{SOURCE}/{table}/{code}"] = english
    return names


def store_workbook(store: Store, imported: WorkbookImport, *, released_on: dt.date | None = None) -> ImportSummary:
    """Store one workbook as a release; the file's sha256 makes a second import of it a no-op."""
    checksum = hashlib.sha256(imported.file.read_bytes()).hexdigest()
    records, notes = _with_derived(_with_places(imported.records))
    return store.import_records(
        records, source=SOURCE, file=imported.file.name, checksum=checksum,
        released_on=released_on or gso_release_date(imported.reference_period),
        reference_period=imported.reference_period, names_en=_english_names(imported.records),
        note="; ".join([*imported.warnings, *notes])[:4000],
    )


def store_history(store: Store, imported: HistoryImport,
                  progress: Callable[[int, int], None] | None = None) -> list[ImportSummary]:
    """Store the long history one release per month scraped (each month's first publication)."""
    releases = list(imported.by_release())
    summaries = []
    for i, (month, rows) in enumerate(releases):
        records = _with_places(rows)
        # The checksum is that of GSO's own figures: the derived rows do not change a release's identity.
        digest = hashlib.sha256(records.to_csv(index=False).encode("utf-8")).hexdigest()
        records, notes = _with_derived(records)
        summaries.append(store.import_records(
            records, source=SOURCE, file=f"{imported.file.name}#{month}", checksum=digest,
            released_on=gso_release_date(month), reference_period=month, names_en=_english_names(rows),
            note="; ".join(["first-published figures from the long CSV history", *notes]),
        ))
        if progress is not None:
            progress(i + 1, len(releases))
    return summaries
