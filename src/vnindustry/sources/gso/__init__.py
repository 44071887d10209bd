"""Readers for GSO's official monthly statistics: the monthly workbooks and the long CSV history.

    from vnindustry.sources.gso import read_history, read_workbook
    month = read_workbook("2025-02.xlsx")   # .records, .warnings, .reference_period ("2025-02"), .file
    history = read_history("csv/")           # .records, .warnings, .by_release()

Both return tidy **records**, one row per published figure, with exactly the columns
``table, series, code, unit, period, measure, value, status, sheet, cell``:

- ``table``: ``iip`` (industrial production index by industry), ``products`` (key industrial products),
  ``labour`` (industrial labour index by industry), ``labour_province`` (the same by province),
  ``retail`` (retail sales of goods and consumer services revenue), ``exports``, ``imports``; from the
  history also ``trade_balance`` and ``trade_turnover`` (exports − imports and exports + imports).
- ``series``: the row label as printed, whitespace normalised; ``code``: its VSIC code or slug code
  (:mod:`~vnindustry.sources.gso.labels`; ``TOTAL`` for total rows).
- ``period``: the period the value refers to — ``YYYY-MM`` (a month, or the last month of a year to date),
  ``YYYY-Qn`` (a quarter), ``YYYY`` (a year). A "previous month actual" column gets the previous month.
- ``value``: the cell's value as float (the CSV field for the history), never rounded.
- ``status``: ``estimate`` (ước tính), ``preliminary`` (sơ bộ), ``actual`` (thực hiện / chính thức), from
  the header's status word; without one, see :mod:`~vnindustry.sources.gso.workbook` (never ``actual``).
- ``sheet`` and ``cell``: where the value is — sheet name and cell ("D9"), or CSV file name and "line N".

Measures:

==================================  ============================================================================
``level``                           the value for ``period`` in ``unit`` (a month, quarter or year)
``level_ytd``                       January to ``period`` (cộng dồn / N tháng)
``pct_prev_month``                  % of the previous month, GSO's index form: 96,75 = a fall of 3,25%
``pct_prev_period``                 % of the previous quarter (quarterly columns), index form
``pct_same_month_last_year``        % of the same month a year earlier, index form
``pct_same_period_last_year``       % of the same quarter or year a year earlier, index form
``pct_ytd_last_year``               January..``period`` as % of the same months a year earlier, index form
``share_pct``                       structure (cơ cấu): % of the table total for the month
``share_pct_ytd``                   structure of the year-to-date totals
``pct_change_prev_month``           change on the previous month in %: −3,25 (history files)
``pct_change_same_month_last_year`` change on the same month a year earlier in % (history files)
``pct_change_ytd_last_year``        change of January..``period`` on a year earlier in % (history files)
``qty_<measure>``                   trade tables: the same for the quantity ("Lượng", unit e.g. Nghìn tấn);
                                    the unprefixed measures are values ("Trị giá", Triệu USD)
==================================  ============================================================================

Index-form (``pct_*``) and change-form (``pct_change_*``) figures are never converted into each other
here: each is stored as the source printed it, under the measure that says which it is.
"""

from typing import TYPE_CHECKING, Any

from vnindustry.sources.gso.history import read_history
from vnindustry.sources.gso.labels import series_places
from vnindustry.sources.gso.records import (
    MEASURES,
    RECORD_COLUMNS,
    STATUSES,
    HistoryImport,
    WorkbookImport,
)

if TYPE_CHECKING:
    from vnindustry.sources.gso.workbook import read_workbook

__all__ = [
    "MEASURES",
    "RECORD_COLUMNS",
    "STATUSES",
    "HistoryImport",
    "WorkbookImport",
    "read_history",
    "read_workbook",
    "series_places",
]


def __getattr__(name: str) -> Any:
    """The workbook reader, imported on first use: openpyxl is not needed by what only reads the store (a
    bulletin's trade tables use :mod:`vnindustry.sources.gso.crude_oil`, which imports this package)."""
    if name == "read_workbook":
        from vnindustry.sources.gso.workbook import read_workbook

        globals()[name] = read_workbook
        return read_workbook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
