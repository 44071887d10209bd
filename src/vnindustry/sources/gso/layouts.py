"""The registry of GSO layouts: one declared entry per table and layout family (workbooks) or file (history).

**Workbooks.** A sheet is recognised by its title (the first rows of column A, numbering stripped);
a sheet *named* like a known table whose title is not recognised is reported and skipped. The reference
year then picks the family of that table (:func:`layout_for`). A family declares:

- ``title`` and ``sheet_names``: regular expressions, matched against folded text (lowercase ASCII, see
  :func:`~vnindustry.sources.gso.labels.fold`; written here in Vietnamese and folded on use, so they
  must not use upper-case escapes such as ``\\D`` or ``\\S``);
- ``columns``: the header patterns it prints, each → a kind of measure ("level", "pct_prev",
  "pct_same", "share") or "unit" (the unit column). The kind and the header's period give the measure
  (:func:`~vnindustry.sources.gso.headers.derive_measure`). A header no pattern matches is reported
  (warning naming sheet and cells) and its column skipped;
- ``expects``: the measures the family prints for the reference month ``M`` (and ``M-1``); a missing
  one is reported, so a changed layout never passes silently;
- how rows are coded (``codes``), the unit of levels, and whether columns come in pairs of quantity
  ("Lượng") and value ("Trị giá").

Families seen (sheet names in brackets):

- ``iip/-2024`` [IIP 2021, 2. IIP 2024]: month vs previous month, vs same month last year.
- ``iip/2025-`` [2.IIPthang]: previous month vs same month last year; month vs previous month and vs same
  month last year; year to date vs same period last year.
- ``products/-2024`` [SP, 3. SP CN]: unit; actual previous month; estimated month; month vs previous month
  and vs same month last year.
- ``products/2025-`` [3.SPCNthang]: unit; actual previous month; estimated month; cumulative year to date
  (no status word); month and year to date vs same period last year.
- ``labour/all`` [LAO DONG, 4. LĐ CN, 4. LĐ DN]: index at the 1st of the month vs previous month and vs the
  same point last year.
- ``labour_province/all`` [5. LĐCN_DP]: the same by province; a page break repeats title and header.
- ``retail/-2024`` [Tongmuc, 13. Tongmuc]: previous month (Thực hiện 2021, Sơ bộ 2024); month estimate with
  its structure (Tổng mức / Cơ cấu under one merged heading); month vs same month last year; unit line
  "Tỷ đồng".
- ``retail/2025-`` [13. Tongmuc]: previous month (Sơ bộ); month estimate; year-to-date estimate with its
  structure; month and year to date vs same period last year; units in the column headers.
- ``exports/-2024`` [18XK, 14. XK] and ``imports/-2024`` [19NK, 15. NK]: "Lượng" / "Trị giá" pairs under
  each heading: previous month actual (2021) or previous year preliminary (January 2024: Sơ bộ năm 2023),
  month estimate, month vs same month last year; unit line "Nghìn tấn; Triệu USD", a footnote "(*)Chiếc,
  triệu USD" for the row marked (*).
- ``exports/2025-`` [14.XK] and ``imports/2025-`` [15.NK]: pairs for month and year to date, both
  preliminary (Sơ bộ), and both vs same period last year.

The year boundaries are where the samples change (2021-01, 2024-01, 2025-02); a workbook from a year
in between is read with the family whose range holds it, and anything it prints differently is reported.

**Editions.** GSO's monthly edition of a quarter-end month (3, 6, 9) prints the quarter beside or instead of
the month ("Quý I năm 2025 so với cùng kỳ", "Ước tính quý III"), December's prints quarter IV and the year
("Ước tính năm 2025", "Năm 2025 so với năm 2024 (%)", "Cả năm"), sometimes on sheets of their own ("2.IIPnam").
The families read them all (a column's header says its period): quarterly columns become records of period
``YYYY-Qn``, annual ones of period ``YYYY``, with the quarter's and year's measures (``level``,
``pct_same_period_last_year``, ``pct_prev_period``, ``share_pct``). One declared :class:`Edition` per kind
(:data:`EDITIONS`) says what else it must print (December: the year) and which quarter or year column is also the
year to date of the reference month ("Quý I" in March, the year in December, where no "N tháng" column is
printed). A quarter or year after the reference month cannot be a published figure: it is reported (a typo).

**History CSVs.** One entry per file of the scraped long history: which scraper column is which
measure, period (the line's month or the month before) and status, and which columns are skipped and
why (copies of other lines, or figures the scraper computed itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from vnindustry.sources.gso.labels import fold

__all__ = [
    "EDITIONS",
    "HISTORY_LAYOUTS",
    "TABLES",
    "WORKBOOK_LAYOUTS",
    "ColumnRule",
    "Edition",
    "HistoryColumn",
    "HistoryLayout",
    "WorkbookLayout",
    "edition_for",
    "layout_for",
]


@dataclass(frozen=True)
class ColumnRule:
    """A header pattern and what a column under it holds.

    Attributes:
        pattern: regular expression searched in the folded header text (written in Vietnamese).
        kind: "level", "pct_prev", "pct_same", "share" or "unit".
    """

    pattern: str
    kind: str

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled, folded pattern."""
        return re.compile(fold(self.pattern))


# The vocabulary, shared by the families that print it. Order matters: the first match wins, so the
# structure and comparison columns (whose headers also carry a status word) come before levels.
SHARE = ColumnRule(r"cơ cấu", "share")
PREV = ColumnRule(r"so với (cùng thời điểm )?(tháng|quý|kỳ) trước", "pct_prev")
SAME = ColumnRule(r"so với (cùng kỳ|cùng thời điểm năm|năm trước|năm \d{4})", "pct_same")
LEVEL = ColumnRule(r"^(thực hiện|ước tính|ước thực hiện|ước th|ước|sơ bộ|chính thức)\b", "level")
CUMULATIVE = ColumnRule(r"^(cộng dồn|lũy kế|luỹ kế)\b", "level")
# December's and quarter-end editions print some levels with their period only: "Năm 2025", "Quý IV năm 2025".
PERIOD_ONLY = ColumnRule(r"^(năm \d{4}|năm|quý [ivx1-4]+( năm \d{4})?)( tổng mức)?( lượng| trị giá)?$", "level")
UNIT = ColumnRule(r"^đơn vị( tính)?$", "unit")

# Expected measures: (measure, "M" | "M-1"), M = the workbook's reference month.
_M, _M1 = "M", "M-1"


@dataclass(frozen=True)
class WorkbookLayout:
    """One layout family of one GSO table.

    Attributes:
        key: identifier, e.g. "iip/2025-" (recorded in ``WorkbookImport.layouts``).
        table: the record table.
        years: first and last reference year of the family (``None``: open-ended).
        title: pattern of the sheet title (numbering such as "2. " stripped).
        sheet_names: patterns of the sheet name (a known name with an unknown title is reported).
        columns: header patterns, in matching order.
        expects: measures printed for the reference month, checked on every read.
        codes: "vsic", "slug" or "trade" (see :class:`~vnindustry.sources.gso.labels.RowCoder`).
        unit: unit of the level measures when the sheet prints none (``None``: from the sheet).
        quantity_value: columns come in "Lượng" / "Trị giá" pairs (trade).
        sections: labels of rows that open the commodity part of a trade table.
    """

    key: str
    table: str
    years: tuple[int | None, int | None]
    title: str
    sheet_names: tuple[str, ...]
    columns: tuple[ColumnRule, ...]
    expects: tuple[tuple[str, str], ...]
    codes: str = "slug"
    unit: str | None = None
    quantity_value: bool = False
    sections: tuple[str, ...] = field(default=())

    def covers(self, year: int) -> bool:
        """True if ``year`` is within the family's years."""
        first, last = self.years
        return (first is None or year >= first) and (last is None or year <= last)

    def distance(self, year: int) -> int:
        """Years between ``year`` and the family's range (0 inside it)."""
        first, last = self.years
        if first is not None and year < first:
            return first - year
        if last is not None and year > last:
            return year - last
        return 0


_IIP_TITLE = r"^chỉ số sản xuất công nghiệp"
_PRODUCTS_TITLE = r"sản phẩm (chủ yếu của ngành công nghiệp|công nghiệp chủ yếu)"
_LABOUR_TITLE = r"^chỉ số sử dụng lao động(?!.*địa phương)"
_LABOUR_PROVINCE_TITLE = r"^chỉ số sử dụng lao động.*địa phương"
_RETAIL_TITLE = r"^tổng mức bán lẻ hàng hóa"
_EXPORTS_TITLE = r"^(hàng hóa xuất khẩu|xuất khẩu hàng hóa)"
_IMPORTS_TITLE = r"^(hàng hóa nhập khẩu|nhập khẩu hàng hóa)"
_COMMODITIES = (r"^mặt hàng chủ yếu",)

WORKBOOK_LAYOUTS: tuple[WorkbookLayout, ...] = (
    WorkbookLayout(
        key="iip/-2024", table="iip", years=(None, 2024), title=_IIP_TITLE,
        sheet_names=(r"^iip$", r"^\d+\.\s*iip$"),
        columns=(PREV, SAME),
        expects=(("pct_prev_month", _M), ("pct_same_month_last_year", _M)),
        codes="vsic", unit="%",
    ),
    WorkbookLayout(
        key="iip/2025-", table="iip", years=(2025, None), title=_IIP_TITLE,
        sheet_names=(r"iip ?(thang|quy|nam)", r"^\d+\.\s*iip$"),
        columns=(PREV, SAME),
        expects=(("pct_same_month_last_year", _M1), ("pct_prev_month", _M), ("pct_same_month_last_year", _M),
                 ("pct_ytd_last_year", _M)),
        codes="vsic", unit="%",
    ),
    WorkbookLayout(
        key="products/-2024", table="products", years=(None, 2024), title=_PRODUCTS_TITLE,
        sheet_names=(r"^sp$", r"^\d+\.\s*sp ?cn$"),
        columns=(UNIT, PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M1), ("level", _M), ("pct_prev_month", _M), ("pct_same_month_last_year", _M)),
    ),
    WorkbookLayout(
        key="products/2025-", table="products", years=(2025, None), title=_PRODUCTS_TITLE,
        sheet_names=(r"spcn ?(thang|quy|nam)", r"^\d+\.\s*sp ?cn$"),
        columns=(UNIT, PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M1), ("level", _M), ("level_ytd", _M), ("pct_same_month_last_year", _M),
                 ("pct_ytd_last_year", _M)),
    ),
    WorkbookLayout(
        key="labour/all", table="labour", years=(None, None), title=_LABOUR_TITLE,
        sheet_names=(r"^lao dong$", r"^\d+\.\s*ld (cn|dn)$"),
        columns=(PREV, SAME),
        expects=(("pct_prev_month", _M), ("pct_same_month_last_year", _M)),
        codes="vsic", unit="%",
    ),
    WorkbookLayout(
        key="labour_province/all", table="labour_province", years=(None, None), title=_LABOUR_PROVINCE_TITLE,
        sheet_names=(r"ldcn_dp",),
        columns=(PREV, SAME),
        expects=(("pct_prev_month", _M), ("pct_same_month_last_year", _M)),
        unit="%",
    ),
    WorkbookLayout(
        key="retail/-2024", table="retail", years=(None, 2024), title=_RETAIL_TITLE,
        sheet_names=(r"tongmuc",),
        columns=(SHARE, PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M1), ("level", _M), ("share_pct", _M), ("pct_same_month_last_year", _M)),
    ),
    WorkbookLayout(
        key="retail/2025-", table="retail", years=(2025, None), title=_RETAIL_TITLE,
        sheet_names=(r"tongmuc",),
        columns=(SHARE, PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M1), ("level", _M), ("level_ytd", _M), ("share_pct_ytd", _M),
                 ("pct_same_month_last_year", _M), ("pct_ytd_last_year", _M)),
    ),
    WorkbookLayout(
        key="exports/-2024", table="exports", years=(None, 2024), title=_EXPORTS_TITLE,
        sheet_names=(r"^\d*\.?\s*xk$",),
        columns=(PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M), ("qty_level", _M), ("pct_same_month_last_year", _M)),
        codes="trade", quantity_value=True, sections=_COMMODITIES,
    ),
    WorkbookLayout(
        key="exports/2025-", table="exports", years=(2025, None), title=_EXPORTS_TITLE,
        sheet_names=(r"^\d*\.?\s*xk$",),
        columns=(PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M), ("level_ytd", _M), ("pct_same_month_last_year", _M), ("pct_ytd_last_year", _M)),
        codes="trade", quantity_value=True, sections=_COMMODITIES,
    ),
    WorkbookLayout(
        key="imports/-2024", table="imports", years=(None, 2024), title=_IMPORTS_TITLE,
        sheet_names=(r"^\d*\.?\s*nk$",),
        columns=(PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M), ("qty_level", _M), ("pct_same_month_last_year", _M)),
        codes="trade", quantity_value=True, sections=_COMMODITIES,
    ),
    WorkbookLayout(
        key="imports/2025-", table="imports", years=(2025, None), title=_IMPORTS_TITLE,
        sheet_names=(r"^\d*\.?\s*nk$",),
        columns=(PREV, SAME, LEVEL, CUMULATIVE, PERIOD_ONLY),
        expects=(("level", _M), ("level_ytd", _M), ("pct_same_month_last_year", _M), ("pct_ytd_last_year", _M)),
        codes="trade", quantity_value=True, sections=_COMMODITIES,
    ),
)

TABLES: tuple[str, ...] = tuple(dict.fromkeys(layout.table for layout in WORKBOOK_LAYOUTS))


# --- editions ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Edition:
    """A kind of monthly edition: which reference months it is, and what it prints beside the month.

    Every edition is read with the same table families (the header of each column says its period); an edition
    adds what it must print besides, so that an edition that lost its quarter or year never passes silently.

    Attributes:
        key: "monthly", "quarter-end" or "december".
        months: the reference months of the edition.
        ytd_span: the quarter or year column that covers January to the reference month and so is also its year
            to date, when the sheet prints no "N tháng" column ("Quý I" in March, "Năm 2025" in December): its
            figures are recorded under the year-to-date measures of the reference month as well.
        expects: per table, the measures it prints for its quarter ("Q", the quarter ending in the reference
            month) or year ("Y").
        moved: measures a family expects for the month that this edition prints for its ``ytd_span`` period
            instead (December's retail structure is the year's, "Ước tính năm 2025: Tổng mức / Cơ cấu").
    """

    key: str
    months: tuple[int, ...]
    ytd_span: str | None = None
    expects: tuple[tuple[str, str, str], ...] = ()
    moved: tuple[str, ...] = ()

    def expected(self, table: str) -> tuple[tuple[str, str], ...]:
        """``(measure, "Q" | "Y")`` expected of ``table`` in this edition."""
        return tuple((measure, when) for t, measure, when in self.expects if t == table)


# The figures of the year GSO prints in December for each of these tables: the year's level (its estimate) and
# its change on the year before (IIP and the labour index: the change only; labour is a point in time, none).
_YEAR_FIGURES = tuple((table, "pct_same_period_last_year", "Y") for table in ("iip", "products", "retail",
                                                                            "exports", "imports")) + tuple(
    (table, "level", "Y") for table in ("products", "retail", "exports", "imports"))

EDITIONS: tuple[Edition, ...] = (
    Edition("monthly", months=(1, 2, 4, 5, 7, 8, 10, 11)),
    # March, June, September: the quarter beside the month ("Quý I năm 2025 so với cùng kỳ", "Ước tính quý III");
    # March's quarter is its year to date. What each table prints of the quarter varies by year: read, not required.
    Edition("quarter-end", months=(3, 6, 9), ytd_span="quarter"),
    # December: quarter IV and the year ("Ước tính năm 2025", "Năm 2025 so với năm 2024 (%)", "Cả năm").
    Edition("december", months=(12,), ytd_span="year", expects=_YEAR_FIGURES, moved=("share_pct",)),
)


def edition_for(month: int) -> Edition:
    """The edition of a workbook whose reference month is ``month`` (1–12)."""
    return next(edition for edition in EDITIONS if month in edition.months)


def layout_for(table: str, year: int) -> tuple[WorkbookLayout, bool]:
    """The family of ``table`` for reference ``year``, and whether its years cover ``year``.

    Outside every family's years the nearest family is returned (the caller warns).
    """
    families = [layout for layout in WORKBOOK_LAYOUTS if layout.table == table]
    if not families:
        raise KeyError(f"no layout for table {table!r}")
    best = min(families, key=lambda layout: layout.distance(year))
    return best, best.covers(year)


# --- history CSVs --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryColumn:
    """A scraper column and the measure it holds.

    Attributes:
        name: the column name in the CSV header.
        measure: the record measure.
        period: "month" (the line's ``Month``) or "pre_month" (its ``PreMonth``).
        status: the status of the figure at that release.
        table: the record table if not the file's (xnk.csv feeds two tables).
    """

    name: str
    measure: str
    period: str = "month"
    status: str = "estimate"
    table: str | None = None


@dataclass(frozen=True)
class HistoryLayout:
    """One history CSV file.

    Attributes:
        file: the file name.
        table: the record table.
        label: the column holding the row label.
        codes: "vsic", "slug" or "trade".
        unit: the unit of the level measures ("" where the file does not say).
        columns: the columns read.
        skipped: columns deliberately not read, with the reason (reported only if absent from this map).
        meta: columns that describe the line (index, dates).
        cumulative_check: (previous-month column, month column, year-to-date column) — see history.py:
            in some years the scraper's "previous month" column holds the total January..previous month.
    """

    file: str
    table: str
    label: str
    codes: str
    unit: str
    columns: tuple[HistoryColumn, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    meta: tuple[str, ...] = ("", "Unnamed: 0", "Date", "Month", "PreMonth")
    cumulative_check: tuple[str, str, str] | None = None


_COPY_NEXT = "a copy of the next month's revised figure (the same value is read there, with its release)"
_COMPUTED = "computed by the scraper from its own columns, not a GSO figure"

HISTORY_LAYOUTS: tuple[HistoryLayout, ...] = (
    HistoryLayout(
        file="iip.csv", table="iip", label="Ngành", codes="vsic", unit="%",
        columns=(
            HistoryColumn("YOY-Pre-Month", "pct_change_same_month_last_year", "pre_month", "preliminary"),
            HistoryColumn("MOM", "pct_change_prev_month"),
            HistoryColumn("E-YOY", "pct_change_same_month_last_year"),
            HistoryColumn("YTD-YOY", "pct_change_ytd_last_year"),
        ),
        skipped=(("YOY", _COPY_NEXT),),
    ),
    HistoryLayout(
        file="spcn.csv", table="products", label="Ngành", codes="slug", unit="",
        columns=(
            HistoryColumn("Total-Pre-Month", "level", "pre_month", "actual"),
            HistoryColumn("E-Total-M", "level"),
            HistoryColumn("Total-YTD", "level_ytd"),
            HistoryColumn("YOY", "pct_change_same_month_last_year"),
            HistoryColumn("YTD-YOY", "pct_change_ytd_last_year"),
        ),
        skipped=(("Total-M", _COPY_NEXT), ("MOM", _COMPUTED), ("E-MOM", _COMPUTED)),
        cumulative_check=("Total-Pre-Month", "E-Total-M", "Total-YTD"),
    ),
    HistoryLayout(
        file="tongmuc.csv", table="retail", label="Phân Loại", codes="slug", unit="Tỷ đồng",
        columns=(
            HistoryColumn("Pre-M", "level", "pre_month", "preliminary"),
            HistoryColumn("E-M", "level"),
            HistoryColumn("YTD", "level_ytd"),
            # This file keeps GSO's index form (106,42), unlike the others.
            HistoryColumn("M-YOY", "pct_same_month_last_year"),
            HistoryColumn("YTD-YOY", "pct_ytd_last_year"),
        ),
        skipped=(("M", _COPY_NEXT), ("MOM", _COMPUTED), ("E-MOM", _COMPUTED)),
    ),
    HistoryLayout(
        file="xk.csv", table="exports", label="Ngành", codes="trade", unit="Triệu USD",
        columns=(
            HistoryColumn("Total-M", "level"),
            HistoryColumn("Total-YOY", "level_ytd"),  # the scraper's name; the values are year to date
            HistoryColumn("YOY", "pct_change_same_month_last_year"),
            HistoryColumn("YTD-YOY", "pct_change_ytd_last_year"),
        ),
        skipped=(("MOM", _COMPUTED),),
    ),
    HistoryLayout(
        file="nk.csv", table="imports", label="Ngành", codes="trade", unit="Triệu USD",
        columns=(
            HistoryColumn("Total-M", "level"),
            HistoryColumn("Total-YOY", "level_ytd"),
            HistoryColumn("YOY", "pct_change_same_month_last_year"),
            HistoryColumn("YTD-YOY", "pct_change_ytd_last_year"),
        ),
        skipped=(("MOM", _COMPUTED),),
    ),
    HistoryLayout(
        file="xnk.csv", table="trade_balance", label="Ngành", codes="trade", unit="Triệu USD",
        columns=(
            HistoryColumn("Thặng dự tháng", "level"),
            HistoryColumn("Thặng dự từ đầu năm", "level_ytd"),
            HistoryColumn("Kim ngạch xnk tháng", "level", table="trade_turnover"),
            HistoryColumn("Kim ngạch xnk từ đầu năm", "level_ytd", table="trade_turnover"),
        ),
        skipped=tuple(
            (name, "the same figure as in xk.csv / nk.csv")
            for name in ("Total-M-XK", "Total-YOY-XK", "YOY-XK", "YTD-YOY-XK", "Total-M-NK", "Total-YOY-NK",
                         "YOY-NK", "YTD-YOY-NK")
        ) + tuple(
            (name, _COMPUTED)
            for name in ("MOM-XK", "MOM-NK", "Thặng dự tháng - MOM", "Kim ngạch xnk tháng - MOM",
                         "Thặng dự tháng - YOY", "Thặng dự từ đầu năm - YOY", "Kim ngạch xnk tháng - YOY",
                         "Kim ngạch xnk từ đầu năm - YOY")
        ),
        meta=("", "Unnamed: 0", "Date", "Month", "PreMonth", "PreYearMonth"),
    ),
)
