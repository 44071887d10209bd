"""Derived monthly indicators from the store, the same for imported and compiled data.

Sources publish comparisons in two conventions: GSO prints indices (previous period = 100: 96,75) under
the ``pct_*`` measures; compiled and history data carry changes (−3,25) under ``pct_change_*``. Everything
here speaks changes, converting index-style figures by subtracting 100.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from vnindustry.names import english_name, unit_in
from vnindustry.periods import month_code, parse_month
from vnindustry.store import Store

COMPARISONS = ("prev_month", "same_month_last_year", "ytd_last_year")


def _shift(period: str, months: int) -> str:
    key = parse_month(period)
    if key is None:
        raise ValueError(f"period {period!r} is not YYYY-MM")
    return month_code(key + months)


def wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (series, period) with columns level, level_ytd, share_pct, chg_<comparison>, status.

    ``frame`` is a store query result (latest vintage). A change comes from ``pct_change_<c>`` where
    present, else from GSO's index-style ``pct_<c>`` − 100.
    """
    if frame.empty:
        return pd.DataFrame(columns=["key", "code", "name_vi", "name_en", "kind", "level_in_tree", "parent",
                                     "unit", "period", "status"])
    # The tree level is renamed: "level" is also a measure (the month's value).
    ids = ["key", "code", "name_vi", "name_en", "kind", "level_in_tree", "parent", "period"]
    f = frame.rename(columns={"level": "level_in_tree"})
    # -1 stands for "no level" while pivoting (NA index values would be dropped or multiplied).
    f["level_in_tree"] = pd.to_numeric(f["level_in_tree"]).fillna(-1).astype(int)
    for c in ("name_en", "parent", "kind", "unit"):
        f[c] = f[c].fillna("")
    # One row per (key, period), sorted by both: a key's other ids are its series' attributes, the same on
    # each of its rows. Positional numpy work rather than a pivot on the eight ids (a tenth of the time).
    key_code = pd.factorize(f["key"], sort=True)[0].astype(np.int64)
    period_code = pd.factorize(f["period"], sort=True)[0].astype(np.int64)
    pairs, row_of = np.unique(key_code * (int(period_code.max()) + 1) + period_code, return_inverse=True)
    measure_code, measures = pd.factorize(f["measure"], sort=True)
    n, m = len(pairs), len(measures)
    if len(np.unique(row_of * m + measure_code)) != len(f):
        raise ValueError("Index contains duplicate entries, cannot reshape")  # as a pivot would refuse
    grid = np.full((n, m), np.nan)
    grid[row_of, measure_code] = f["value"].to_numpy(dtype=float)
    position = np.arange(len(f))
    first = np.empty(n, dtype=np.intp)
    first[row_of[::-1]] = position[::-1]  # each row's first observation
    out = f[ids].iloc[first].reset_index(drop=True)
    if "provenance" in f:  # where the row was printed (sheet!cell): the trade tables keep GSO's row order by it
        out["provenance"] = f["provenance"].iloc[first].to_numpy()
    for j, name in enumerate(measures.tolist()):
        out[name] = grid[:, j]
    # The figure's status: the least final status among its measures (an estimate marks the row).
    rank = {"estimate": 0, "preliminary": 1, "actual": 2}
    status = f["status"].map(rank).groupby(row_of).min()
    out["status"] = status.map({v: k for k, v in rank.items()}).to_numpy()
    # A row's unit is that of its values (trade quantities, qty_*, carry their own unit per figure).
    # The unit of the level itself wins (a product's quantity unit, not its index's).
    measure = f["measure"].to_numpy(dtype=object)
    qty = f["measure"].str.startswith("qty_").to_numpy(dtype=bool)
    unit = f["unit"].to_numpy(dtype=object)

    def first_unit(among: np.ndarray, rank_first: np.ndarray) -> np.ndarray:
        """Per row, the unit of the first of its observations ``among`` (by rank, then position)."""
        rows, pos = row_of[among], position[among]
        order = np.lexsort((pos, rank_first[among], rows))
        head = order[np.r_[True, rows[order][1:] != rows[order][:-1]]] if len(order) else order
        units = np.full(n, "", dtype=object)
        units[rows[head]] = unit[among][head]
        return units

    out["unit"] = first_unit(~qty, measure != "level")
    out["qty_unit"] = first_unit(qty, np.zeros(len(f), dtype=bool))
    out["level_in_tree"] = out["level_in_tree"].where(out["level_in_tree"] >= 0).astype("Int64")
    for c in COMPARISONS:
        change = out[f"pct_change_{c}"] if f"pct_change_{c}" in out else pd.Series(math.nan, index=out.index)
        if f"pct_{c}" in out:
            change = change.fillna(out[f"pct_{c}"] - 100.0)
        out[f"chg_{c}"] = change
    for c in ("level", "level_ytd", "share_pct"):
        if c not in out:
            out[c] = math.nan
    # A row with a withheld (confidential) figure: its gaps are shown as "c", not as missing.
    flags = f["flag"].to_numpy(dtype=object) if "flag" in f else np.full(len(f), "", dtype=object)
    out["confidential"] = np.bincount(row_of, weights=(flags == "c").astype(float), minlength=n) > 0
    return _derive_from_levels(out)


def _derive_from_levels(out: pd.DataFrame) -> pd.DataFrame:
    """Fill comparisons a source did not publish from its levels: the month on the previous month and
    on the same month last year, year to date from ``level_ytd`` — computed, never overwriting."""
    keys, periods = out["key"].tolist(), out["period"].tolist()
    row = {kp: i for i, kp in enumerate(zip(keys, periods, strict=True))}  # (key, period) → row
    for comparison, months, column in (("prev_month", -1, "level"), ("same_month_last_year", -12, "level"),
                                       ("ytd_last_year", -12, "level_ytd")):
        # Shift each distinct period once, then find each row's earlier row by dictionary look-up.
        shifted = {p: _shift(p, months) if parse_month(p) is not None else "" for p in set(periods)}
        at = np.fromiter((row.get((k, shifted[p]), -1) for k, p in zip(keys, periods, strict=True)),
                         dtype=np.intp, count=len(keys))
        values = out[column].to_numpy(dtype=float)
        earlier = np.where(at >= 0, values[at], np.nan)
        now = values
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = pd.Series(100.0 * (now / earlier - 1.0), index=out.index).where(earlier > 0)
        out[f"chg_{comparison}"] = out[f"chg_{comparison}"].fillna(derived)
    return out


@dataclass
class Line:
    """One published row for a period: its changes and level, with the status of the figures."""

    code: str
    name_vi: str
    name_en: str
    unit: str
    status: str
    level: float = math.nan
    level_ytd: float = math.nan
    share: float = math.nan
    prev_month: float = math.nan
    same_month_last_year: float = math.nan
    ytd: float = math.nan
    ytd_prev: float = math.nan  # "cùng kỳ": the same year-to-date change one year earlier
    contribution: float = math.nan  # percentage points of the total's change on a year earlier
    confidential: bool = False  # some figure of the row is withheld (flag c): its gaps are confidential

    def name(self, lang: str) -> str:
        """The row's name in ``lang``: in English the stored name, else the names tables' (issue 13)."""
        if lang != "en":
            return self.name_vi
        return self.name_en or english_name(self.name_vi, code=self.code) or self.name_vi

    def unit_name(self, lang: str) -> str:
        """The unit as printed in ``lang`` ("nghìn tấn" / "thousand tonnes"); ``unit`` stays the stored
        Vietnamese unit, which number formats read (a count such as "chiếc" has no decimals)."""
        return unit_in(self.unit, lang)


_LINE_COLUMNS = ("key", "code", "name_vi", "name_en", "unit", "status", "level", "level_ytd", "share_pct",
                 "chg_prev_month", "chg_same_month_last_year", "chg_ytd_last_year", "contribution_pp",
                 "confidential")


def _line(row: Mapping[str, Any], ytd_prev: float = math.nan) -> Line:
    def get(c: str) -> float:
        v = row.get(c, math.nan)
        return math.nan if v is None or pd.isna(v) else float(v)

    return Line(str(row["code"]), str(row["name_vi"]), str(row.get("name_en") or ""), str(row["unit"]),
                str(row["status"]), get("level"), get("level_ytd"), get("share_pct"), get("chg_prev_month"),
                get("chg_same_month_last_year"), get("chg_ytd_last_year"), ytd_prev, get("contribution_pp"),
                bool(row.get("confidential", False)))


@dataclass
class TableView:
    """A table's rows for a period, and the same rows a year earlier (for "cùng kỳ")."""

    rows: pd.DataFrame
    year_ago: pd.DataFrame
    window: pd.DataFrame = field(default_factory=pd.DataFrame)  # every month loaded (for sums over months)
    synthetic: bool = False  # read from a synthetic release (set by month_table; see MonthlyIndicators)
    _ytd_prev: dict[str, float] | None = field(default=None, init=False, repr=False, compare=False)

    def line(self, row: Mapping[str, Any]) -> Line:
        if self._ytd_prev is None:  # each key's year-to-date change a year earlier, looked up once per view
            first = self.year_ago.drop_duplicates("key") if len(self.year_ago) else self.year_ago
            self._ytd_prev = ({} if first.empty else
                              dict(zip(first["key"].tolist(), first["chg_ytd_last_year"].tolist(), strict=True)))
        v = self._ytd_prev.get(row["key"], math.nan)
        return _line(row, math.nan if pd.isna(v) else float(v))

    def total(self) -> Line | None:
        rows = self.rows[self.rows["kind"] == "total"]
        return self.line(rows.iloc[0]) if len(rows) else None

    def by_code(self, *codes: str) -> Line | None:
        rows = self.rows[self.rows["code"].isin(codes)]
        return self.line(rows.iloc[0]) if len(rows) else None

    def adjusted(self, code: str, kind: str = "calendar_adjusted") -> Line | None:
        """The adjusted version of row ``code`` (seasonal adjustment stored as ``code~kind``), if any."""
        return self.by_code(f"{code}~{kind}")

    def combined_growth(self, code: str, period: str) -> float:
        """Change of January..``period`` on the same months a year earlier, from the row's levels, %
        (e.g. the combined January–February growth that evens out where Tết fell)."""
        key = parse_month(period)
        if key is None or self.window.empty:
            return math.nan
        months = [month_code(k) for k in range(key - (key % 12), key + 1)]
        rows = self.window[self.window["code"] == code].set_index("period")["level"]
        now = [rows.get(m, math.nan) for m in months]
        before = [rows.get(_shift(m, -12), math.nan) for m in months]
        if any(pd.isna(v) for v in now + before) or sum(before) <= 0:
            return math.nan
        return 100.0 * (sum(now) / sum(before) - 1.0)

    def lines(self, *, kind: str | None = None, level: int | None = None) -> list[Line]:
        """Rows of the period (adjusted versions left out unless ``kind="adjusted"``)."""
        rows = self.rows[self.rows["kind"] != "adjusted"] if kind != "adjusted" else self.rows
        if kind is not None:
            rows = rows[rows["kind"] == kind]
        if level is not None:
            rows = rows[rows["level_in_tree"] == level]
        return [self.line(r) for r in rows[[c for c in _LINE_COLUMNS if c in rows]].to_dict("records")]


@dataclass
class MonthlyIndicators:
    """Everything the bulletin says about one month of one source."""

    source: str
    period: str
    tables: dict[str, TableView] = field(default_factory=dict)
    iip_history: pd.DataFrame = field(default_factory=pd.DataFrame)  # period, chg_same_month_last_year, …
    # Some figure read comes from a synthetic release (the demo generator's, or computed from one): every
    # page and bulletin section showing these figures says "dữ liệu giả lập / synthetic data" (issue 13).
    synthetic: bool = False
    # The day the month's figures were released (the latest release read for the month): the bulletin's
    # date when the setting bulletin_date is not set, so a bulletin printed later keeps its date.
    published_on: dt.date | None = None

    def table(self, name: str) -> TableView | None:
        view = self.tables.get(name)
        return view if view is not None and not view.rows.empty else None

    def ranked_industries(self, *, level: int = 2, top: int = 3) -> tuple[list[Line], list[Line]]:
        """Fastest and slowest industries by change on the same month last year at ``level`` of the tree."""
        view = self.table("iip")
        if view is None:
            return [], []
        lines = view.lines(kind="industry", level=level) or view.lines(kind="industry")
        lines = [x for x in lines if not math.isnan(x.same_month_last_year)]
        lines.sort(key=lambda x: x.same_month_last_year)
        return lines[::-1][:top], lines[:top]


def monthly_indicators(store: Store, period: str, source: str, *, history_months: int = 25,
                       as_of: dt.date | None = None, table: str | None = None,
                       keys: list[str] | None = None) -> MonthlyIndicators:
    """Collect the month's indicators of ``source`` from ``store``: the latest vintage of every figure, or
    the latest published on or before ``as_of`` (what a bulletin written on that date would have said).
    ``table`` or ``keys`` limit the query to one table or to some series (a page that shows a few)."""
    start = _shift(period, -(history_months - 1))
    only = {k: v for k, v in (("table", table), ("keys", keys)) if v is not None}
    frame = store.observations(source=source, start=start, end=period, as_of=as_of, **only)
    return _marked(_collect(frame, period, source), store, frame)


def bulletin_months(period: str, history_months: int = 25) -> list[str]:
    """The months of every series a bulletin's figures for ``period`` are computed from, within the
    ``history_months`` ending at ``period``: the month and the month before, the same two months a year
    earlier (changes derived from levels, for the month and for the year-ago row; January a year earlier
    also for February's combined January–February growth) and two years earlier (the year to date a year
    earlier, "cùng kỳ", derived from levels)."""
    return sorted(_shift(period, -m) for m in (0, 1, 12, 13, 24) if m < history_months)


def bulletin_indicators(store: Store, period: str, source: str, *, history_months: int = 25,
                        as_of: dt.date | None = None, keys: list[str] | None = None,
                        in_full: Collection[str] = ()) -> MonthlyIndicators:
    """:func:`monthly_indicators` as the bulletin uses them, in one read of the months they come from
    (:func:`bulletin_months`) — the tables' totals over all ``history_months`` — rather than every series over
    every month: the same rows for the month and a year earlier, the same total's history and levels for the
    quarter and January–February sums (tests/test_bulletin_speed.py compares them).

    The other series' rows of the window (``TableView.window``) hold only those months, and the changes
    derived from levels of their earlier months may be missing there; the bulletin reads only their levels.
    ``keys``: only these series; ``in_full``: series (keys) that keep every month of the window too, as the
    totals do (a page's chart of another line)."""
    frame = store.observations(source=source, start=_shift(period, -(history_months - 1)), end=period, as_of=as_of,
                               keys=keys, periods=bulletin_months(period, history_months), totals_in_full=True,
                               in_full=in_full)
    return _marked(_collect(frame, period, source), store, frame)


def _marked(out: MonthlyIndicators, store: Store, *frames: pd.DataFrame) -> MonthlyIndicators:
    """``out`` with ``synthetic`` set when any release its ``frames`` were read from is synthetic."""
    ids = {int(i) for f in frames if "release_id" in f for i in f["release_id"].dropna().unique().tolist()}
    out.synthetic = bool(ids) and not ids.isdisjoint(store.synthetic_release_ids())
    days = [d for f in frames if {"period", "released_on"} <= set(f.columns)
            for d in f.loc[f["period"] == out.period, "released_on"].dropna().tolist()]
    out.published_on = _as_date(max(days)) if days else None
    return out


def _as_date(value: object) -> dt.date:
    """A released_on value as read from either backend (date, datetime, Timestamp or ISO text) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def month_table(store: Store, period: str, source: str, table: str, *, as_of: dt.date | None = None,
                year_ago: bool = True) -> TableView | None:
    """Table ``table`` of ``source`` for ``period``: its rows and the same rows a year earlier, exactly as
    ``monthly_indicators(store, period, source, history_months=13).table(table)`` has them, read from the
    only months they are computed from — the month, the month before and the same month a year earlier —
    rather than 13 months of every table. Its ``window`` holds just those months (no sums over months).

    ``year_ago=False``: the month's rows only, for a page that does not show "cùng kỳ" — every figure of
    their lines but ``ytd_prev``, which is left missing (the view's ``year_ago`` is empty): of the month before
    and a year earlier, only the rows of the series whose changes were not published and so come from levels
    are kept.

    The three months are one read of the store: each read costs more than its rows (issue 16: three reads were
    two thirds of ``/industries``).
    """
    ago, before = _shift(period, -12), _shift(period, -1)
    months = store.observations(source=source, table=table, start=ago, end=period, as_of=as_of,
                                periods=(ago, before, period))
    if year_ago:
        return _view_marked(_collect(months, period, source).table(table), store, months)
    at = months["period"] if not months.empty else pd.Series(dtype=object)
    frame = _rows_of(months, at == period)
    data = wide(frame)
    rows = data[data["period"] == period] if not data.empty else data
    earlier = []
    for month, derived in ((before, [("chg_prev_month", "level")]),
                           (ago, [("chg_same_month_last_year", "level"), ("chg_ytd_last_year", "level_ytd")])):
        # A change comes from the levels where it was not published and the month's own level is known
        # (_derive_from_levels): only those series need that earlier month.
        need = pd.Series(False, index=rows.index)
        for change, level in derived if not rows.empty else []:
            need |= rows[change].isna() & rows[level].notna()
        keys = set(rows.loc[need, "key"].tolist())
        if keys:
            earlier.append(_rows_of(months, (at == month) & months["key"].isin(keys)))
    view = (_collect(_joined([frame, *earlier]), period, source) if earlier
            else _collect(frame, period, source, data)).table(table)
    if view is not None:
        view.year_ago = view.year_ago.iloc[0:0]
    return _view_marked(view, store, frame, *earlier)


def _rows_of(frame: pd.DataFrame, chosen: pd.Series) -> pd.DataFrame:
    """The ``chosen`` rows of a store query's result as a result of their own (numbered from 0)."""
    return frame[chosen.to_numpy(dtype=bool)].reset_index(drop=True) if len(frame) else frame


def _view_marked(view: TableView | None, store: Store, *frames: pd.DataFrame) -> TableView | None:
    if view is not None:
        view.synthetic = _marked(MonthlyIndicators("", ""), store, *frames).synthetic
    return view


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Store query results of separate months as one, in the store's order (key, measure, period)."""
    full = [f for f in frames if not f.empty]
    if not full:
        return frames[0].reset_index(drop=True)
    if len(full) == 1:
        return full[0].reset_index(drop=True)
    return pd.concat(full, ignore_index=True).sort_values(["key", "measure", "period"], kind="stable").reset_index(
        drop=True)


def _collect(frame: pd.DataFrame, period: str, source: str, data: pd.DataFrame | None = None) -> MonthlyIndicators:
    """The indicators of ``period`` from ``frame`` (a latest-vintage store query of ``source``), whose
    :func:`wide` form is ``data`` when already computed."""
    year_ago = _shift(period, -12)
    data = wide(frame) if data is None else data.copy()
    # Months only: GSO's quarter-end and December editions also hold quarters ("2025-Q4") and years ("2025").
    data = data[data["period"].str.fullmatch(r"\d{4}-\d{2}")] if not data.empty else data
    out = MonthlyIndicators(source, period)
    if data.empty:
        return out
    tables = frame.drop_duplicates("key").set_index("key")["table"]
    data["table"] = data["key"].map(tables)
    for name, rows in data.groupby("table", sort=False):
        out.tables[str(name)] = TableView(rows[rows["period"] == period].reset_index(drop=True),
                                          rows[rows["period"] == year_ago].reset_index(drop=True),
                                          rows.reset_index(drop=True))
    iip = data[(data["table"] == "iip") & (data["kind"] == "total")]
    out.iip_history = iip.sort_values("period")[["period", "chg_prev_month", "chg_same_month_last_year",
                                                 "status"]].reset_index(drop=True)
    return out
