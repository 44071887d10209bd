"""Derived monthly indicators from the store, the same for imported and compiled data.

Sources publish comparisons in two conventions: GSO prints indices (previous period = 100: 96,75) under
the ``pct_*`` measures; compiled and history data carry changes (−3,25) under ``pct_change_*``. Everything
here speaks changes, converting index-style figures by subtracting 100.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
    values = f.set_index([*ids, "measure"])["value"].unstack("measure")
    # The figure's status: the least final status among its measures (an estimate marks the row).
    rank = {"estimate": 0, "preliminary": 1, "actual": 2}
    status = f.assign(r=f["status"].map(rank)).groupby(ids)["r"].min().map({v: k for k, v in rank.items()})
    out = values.reset_index()
    out.columns.name = None
    out["status"] = status.reindex(values.index).to_numpy()
    # A row's unit is that of its values (trade quantities, qty_*, carry their own unit per figure).
    # The unit of the level itself wins (a product's quantity unit, not its index's).
    unit_rows = f[~f["measure"].str.startswith("qty_")].assign(_rank=lambda d: d["measure"].ne("level"))
    unit_rows = unit_rows.sort_values("_rank", kind="stable")
    units = unit_rows.groupby(ids)["unit"].first().reindex(values.index)
    qty_units = f[f["measure"].str.startswith("qty_")].groupby(ids)["unit"].first().reindex(values.index)
    out["unit"] = units.fillna("").to_numpy()
    out["qty_unit"] = qty_units.fillna("").to_numpy()
    out["level_in_tree"] = out["level_in_tree"].where(out["level_in_tree"] >= 0).astype("Int64")
    for c in COMPARISONS:
        change = out[f"pct_change_{c}"] if f"pct_change_{c}" in out else pd.Series(math.nan, index=out.index)
        if f"pct_{c}" in out:
            change = change.fillna(out[f"pct_{c}"] - 100.0)
        out[f"chg_{c}"] = change
    for c in ("level", "level_ytd", "share_pct"):
        if c not in out:
            out[c] = math.nan
    return _derive_from_levels(out)


def _derive_from_levels(out: pd.DataFrame) -> pd.DataFrame:
    """Fill comparisons a source did not publish from its levels: the month on the previous month and
    on the same month last year, year to date from ``level_ytd`` — computed, never overwriting."""
    keyed = out.set_index(["key", "period"])
    for comparison, months, column in (("prev_month", -1, "level"), ("same_month_last_year", -12, "level"),
                                       ("ytd_last_year", -12, "level_ytd")):
        earlier_period = out["period"].map(lambda p, m=months: _shift(p, m) if parse_month(p) is not None else "")
        earlier = keyed[column].reindex(pd.MultiIndex.from_arrays([out["key"], earlier_period])).to_numpy()
        now = out[column].to_numpy(dtype=float)
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

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi


def _line(row: pd.Series, ytd_prev: float = math.nan) -> Line:
    def get(c: str) -> float:
        v = row.get(c, math.nan)
        return math.nan if v is None or pd.isna(v) else float(v)

    return Line(str(row["code"]), str(row["name_vi"]), str(row.get("name_en") or ""), str(row["unit"]),
                str(row["status"]), get("level"), get("level_ytd"), get("share_pct"), get("chg_prev_month"),
                get("chg_same_month_last_year"), get("chg_ytd_last_year"), ytd_prev, get("contribution_pp"))


@dataclass
class TableView:
    """A table's rows for a period, and the same rows a year earlier (for "cùng kỳ")."""

    rows: pd.DataFrame
    year_ago: pd.DataFrame
    window: pd.DataFrame = field(default_factory=pd.DataFrame)  # every month loaded (for sums over months)

    def line(self, row: pd.Series) -> Line:
        prev = self.year_ago[self.year_ago["key"] == row["key"]]
        ytd_prev = float(prev["chg_ytd_last_year"].iloc[0]) if len(prev) and pd.notna(
            prev["chg_ytd_last_year"].iloc[0]) else math.nan
        return _line(row, ytd_prev)

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
        return [self.line(r) for _, r in rows.iterrows()]


@dataclass
class MonthlyIndicators:
    """Everything the bulletin says about one month of one source."""

    source: str
    period: str
    tables: dict[str, TableView] = field(default_factory=dict)
    iip_history: pd.DataFrame = field(default_factory=pd.DataFrame)  # period, chg_same_month_last_year, …

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
                       as_of: dt.date | None = None) -> MonthlyIndicators:
    """Collect the month's indicators of ``source`` from ``store``: the latest vintage of every figure, or
    the latest published on or before ``as_of`` (what a bulletin written on that date would have said)."""
    year_ago = _shift(period, -12)
    start = _shift(period, -(history_months - 1))
    frame = store.observations(source=source, start=start, end=period, as_of=as_of)
    data = wide(frame)
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
