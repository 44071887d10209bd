"""GSO's trade totals excluding crude oil and the trade balance with and without it, from one release's rows.

GSO prints, per month, the total of exports (imports) and the commodity row "Dầu thô" (crude oil) with their
levels and rates; the headline figures people quote are often "không kể dầu thô". This module derives, from
the figures of ONE release (one vintage), the rows every surface then reads from the store:

- ``exports``/``imports`` row ``khong-ke-dau-tho``: level = total − crude oil, year to date likewise, and each
  rate the release prints for both rows recomputed on the ex-crude levels (never copied from the total):
  the level a period earlier is the level divided by (1 + rate/100) for the total and for crude oil alike,
  so the ex-crude rate is ``100 × (ex_now / (total_before − crude_before) − 1)`` on unrounded values;
- ``trade_balance`` rows ``ke-ca-dau-tho`` (exports − imports) and ``khong-ke-dau-tho`` (both excluding
  crude oil), level and year to date.

A period whose release has no crude-oil figure for a table gets no ex-crude row for that table (and no
ex-crude balance): the series is missing there, the total is untouched, and a note says so. A rate needs both
rows' rates; where either is missing, the ex-crude rate is missing too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

__all__ = [
    "BALANCE_TABLE",
    "CRUDE_OIL_ROWS",
    "EXCL_CRUDE",
    "INCL_CRUDE",
    "NAMES",
    "balance_records",
    "derived_trade_records",
    "excluding_crude",
    "rate_excluding",
]

EXCL_CRUDE = "khong-ke-dau-tho"
INCL_CRUDE = "ke-ca-dau-tho"
BALANCE_TABLE = "trade_balance"
DERIVED_KIND = "derived"
# The crude-oil row of each table: the commodity row; exports also print it as a part of the FDI sector
# (the same figures), used where the commodity row is absent.
CRUDE_OIL_ROWS: dict[str, tuple[str, ...]] = {
    "exports": ("dau-tho", "khu-vuc-co-von-dau-tu-nn.dau-tho"),
    "imports": ("dau-tho",),
}
# (table, code) → (Vietnamese name, English name) of the derived rows.
NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("exports", EXCL_CRUDE): ("Kim ngạch xuất khẩu (không kể dầu thô)", "Exports excluding crude oil"),
    ("imports", EXCL_CRUDE): ("Kim ngạch nhập khẩu (không kể dầu thô)", "Imports excluding crude oil"),
    (BALANCE_TABLE, INCL_CRUDE): ("Cán cân thương mại (kể cả dầu thô)", "Trade balance (crude oil included)"),
    (BALANCE_TABLE, EXCL_CRUDE): ("Cán cân thương mại (không kể dầu thô)", "Trade balance excluding crude oil"),
}
# A comparison → the level it compares (the month's, or the year to date's).
_COMPARED = {
    "prev_month": "level",
    "prev_period": "level",
    "same_month_last_year": "level",
    "same_period_last_year": "level",
    "ytd_last_year": "level_ytd",
}
_STATUS_RANK = {"estimate": 0, "preliminary": 1, "actual": 2}


def rate_excluding(total: float, total_change: float, part: float, part_change: float) -> float:
    """The change (%) of ``total − part`` given both levels and their changes (%) on the same earlier period.

    >>> round(rate_excluding(110.0, 10.0, 11.0, 10.0), 6)   # both grew 10 %: so did the rest
    10.0
    """
    if any(math.isnan(v) for v in (total, total_change, part, part_change)):
        return math.nan
    if total_change <= -100.0 or part_change <= -100.0:
        return math.nan
    before = total / (1.0 + total_change / 100.0) - part / (1.0 + part_change / 100.0)
    if before <= 0:
        return math.nan
    return 100.0 * ((total - part) / before - 1.0)


def _changes(measures: dict[str, float]) -> dict[str, float]:
    """Each comparison's change (%), from ``pct_change_<c>`` or GSO's index-style ``pct_<c>`` − 100."""
    out = {}
    for comparison in _COMPARED:
        value = measures.get(f"pct_change_{comparison}", math.nan)
        if math.isnan(value):
            value = measures.get(f"pct_{comparison}", math.nan) - 100.0
        if not math.isnan(value):
            out[comparison] = value
    return out


def excluding_crude(total: dict[str, float], crude: dict[str, float]) -> dict[str, float]:
    """The ex-crude measures (level, level_ytd, pct_change_<comparison>) of one period from the total's and
    crude oil's measures of the same release; nothing where the crude-oil level is missing."""
    out: dict[str, float] = {}
    for level in ("level", "level_ytd"):
        t, c = total.get(level, math.nan), crude.get(level, math.nan)
        if not (math.isnan(t) or math.isnan(c)):
            out[level] = t - c
    if "level" not in out:
        return out
    total_changes, crude_changes = _changes(total), _changes(crude)
    for comparison, level in _COMPARED.items():
        if comparison in total_changes and comparison in crude_changes and level in out:
            rate = rate_excluding(total[level], total_changes[comparison], crude[level], crude_changes[comparison])
            if not math.isnan(rate):
                out[f"pct_change_{comparison}"] = rate
    return out


def _least_final(statuses: Iterable[str]) -> str:
    known = [s for s in statuses if s in _STATUS_RANK]
    return min(known, key=_STATUS_RANK.__getitem__) if known else "estimate"


def _measures(rows: pd.DataFrame) -> dict[str, float]:
    return {str(m): float(v) for m, v in zip(rows["measure"], rows["value"], strict=True)
            if not (v is None or pd.isna(v))}


def _record(table: str, code: str, unit: str, period: str, measure: str, value: float, status: str, sheet: str,
            cell: str) -> dict[str, object]:
    name = NAMES[(table, code)][0]
    return {"table": table, "series": name, "code": code, "unit": unit, "period": period, "measure": measure,
            "value": value, "status": status, "sheet": sheet, "cell": cell,
            "kind": DERIVED_KIND, "level": pd.NA, "parent": ""}


def _cells(rows: pd.DataFrame) -> tuple[str, str]:
    """(sheet, cell) of a row's level, for the derived figure's provenance."""
    level = rows[rows["measure"] == "level"]
    first = level.iloc[0] if len(level) else rows.iloc[0]
    return str(first["sheet"]), str(first["cell"])


def derived_trade_records(records: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The derived rows of one release (:data:`NAMES`) in the records' columns, and notes on what is missing.

    ``records``: the release's records (``sources.gso`` RECORD_COLUMNS). Provenance of a derived figure
    names the cells it is computed from ("14.XK!D9 − D26"). Values keep full precision.
    """
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    if records.empty:
        return pd.DataFrame(rows), notes
    # Quantities (qty_*) are not money: only the value measures enter.
    money = records[~records["measure"].astype(str).str.startswith("qty_")]
    excl: dict[tuple[str, str], tuple[dict[str, float], str]] = {}  # (table, period) → (measures, status)
    totals: dict[tuple[str, str], tuple[dict[str, float], str]] = {}
    for table, crude_codes in CRUDE_OIL_ROWS.items():
        part = money[money["table"] == table]
        if part.empty:
            continue
        for period, in_period in part.groupby("period", sort=True):
            total_rows = in_period[in_period["code"] == "TOTAL"]
            if total_rows.empty:
                continue
            total = _measures(total_rows)
            unit = str(total_rows["unit"].iloc[0])
            totals[(table, str(period))] = (total, _least_final(total_rows["status"]))
            crude_rows = next((r for code in crude_codes
                               if not (r := in_period[in_period["code"] == code]).empty
                               and not math.isnan(_measures(r).get("level", math.nan))), None)
            if crude_rows is None:
                if "level" in total:
                    notes.append(f"{table} {period}: no crude-oil row, so no figure excluding crude oil")
                continue
            values = excluding_crude(total, _measures(crude_rows))
            status = _least_final([*total_rows["status"], *crude_rows["status"]])
            sheet, cell = _cells(total_rows)
            _, crude_cell = _cells(crude_rows)
            for measure, value in values.items():
                rows.append(_record(table, EXCL_CRUDE, unit, str(period), measure, value, status, sheet,
                                    f"{cell} − {crude_cell}"))
            excl[(table, str(period))] = (values, status)
    rows.extend(balance_records(totals, excl))
    return pd.DataFrame(rows), notes


def balance_records(totals: dict[tuple[str, str], tuple[dict[str, float], str]],
                    excl: dict[tuple[str, str], tuple[dict[str, float], str]]) -> list[dict[str, object]]:
    """Balance rows (level and year to date) for every period with both exports and imports: crude oil
    included from the totals, excluded from the ex-crude rows. Keys: (table, period); values (measures, status)."""
    rows: list[dict[str, object]] = []
    periods = sorted({p for t, p in totals if t == "exports"} & {p for t, p in totals if t == "imports"})
    for period in periods:
        for code, source in ((INCL_CRUDE, totals), (EXCL_CRUDE, excl)):
            ex, im = source.get(("exports", period)), source.get(("imports", period))
            if ex is None or im is None:
                continue
            status = _least_final([ex[1], im[1]])
            for measure in ("level", "level_ytd"):
                a, b = ex[0].get(measure, math.nan), im[0].get(measure, math.nan)
                if not (math.isnan(a) or math.isnan(b)):
                    rows.append(_record(BALANCE_TABLE, code, "Triệu USD", period, measure, a - b, status,
                                        "exports − imports", ""))
    return rows
