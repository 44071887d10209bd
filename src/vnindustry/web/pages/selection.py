"""The series index the pages read (:class:`SeriesIndex`, one light query per release fingerprint) and what the
pages select by it: the default source, the latest month of a source or table, a month's view of a table
(a 404 problem for an explicit month without figures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from vnindustry.analysis.indicators import MonthlyIndicators, TableView, bulletin_indicators, monthly_indicators
from vnindustry.periods import parse_month
from vnindustry.web.api import ApiState
from vnindustry.web.problems import Problem


def _month_periods(periods: pd.Series) -> list[str]:
    return sorted(p for p in periods.dropna().astype(str).unique() if parse_month(p) is not None)


@dataclass(frozen=True)
class SeriesIndex:
    """What the pages need of the catalogue: each series' source, table, code, kind, names and last period.

    Read in one light query (``Store.last_periods``: each series' last period through the observations' index,
    counting only the releases the view can see — so "the latest month" is the latest *public* month, never
    one still under embargo), not the full API catalogue, which aggregates every observation (first and last
    period, last update) and costs ~200 ms on the demo store: a page's first render after a release, or every
    render with the response cache off, would pay it. Items have the catalogue's field names; series without
    (visible) observations are left out, as the catalogue leaves them out.
    """

    items: list[dict[str, Any]]
    by_code: dict[str, dict[str, Any]]

    @staticmethod
    def read(store: Any) -> SeriesIndex:
        rows = store.last_periods()
        items = [{"code": key, "code_in_table": code, "source": source, "table": table, "kind": kind,
                  "name_vi": name_vi, "name_en": name_en or "", "last_period": last_period}
                 for key, code, source, table, kind, name_vi, name_en, last_period in rows if last_period is not None]
        return SeriesIndex(items, {i["code"]: i for i in items})


def series_index(api: ApiState) -> SeriesIndex:
    """The series index at the current release fingerprint (read once per fingerprint while the response cache
    is on)."""
    full = ("page-series-index", api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        hit = SeriesIndex.read(api.store)
        api.cache.put(full, hit)
    return hit  # type: ignore[return-value]


def latest_month(index: SeriesIndex, source: str) -> str | None:
    """The latest month the source's IIP (else any monthly table) has figures for."""
    items = [i for i in index.items if i["source"] == source and i["last_period"]
             and parse_month(i["last_period"]) is not None]
    iip = [i for i in items if i["table"] == "iip" and i["kind"] == "total"]
    pool = iip or items
    return max((i["last_period"] for i in pool), default=None)


def default_source(index: SeriesIndex) -> str:
    return "city" if latest_month(index, "city") else "gso"


def latest_table_month(index: SeriesIndex, source: str, table: str) -> str | None:
    """The latest month for which ``table`` of ``source`` has figures."""
    return max((i["last_period"] for i in index.items if i["source"] == source and i["table"] == table
                and i["last_period"] and parse_month(i["last_period"]) is not None), default=None)


def _table_source(index: SeriesIndex, source: str | None, table: str) -> str:
    """The chosen source, else the first of city, gso that has ``table``."""
    if source:
        return source
    return next((s for s in ("city", "gso") if latest_table_month(index, s, table)), "city")


def _no_data(table: str, period: str, src: str) -> Problem:
    return Problem(404, f"no '{table}' figures for {period} from source '{src}'", title="No data", slug="no-data")


def _month_view(api: ApiState, index: SeriesIndex, src: str, table: str, period: str | None,
                history: int = 13, tables: tuple[str, ...] | None = None, adjusted: bool = True,
                charted: tuple[str, ...] | None = None,
                ) -> tuple[str | None, MonthlyIndicators | None, TableView | None]:
    """(month, indicators, view) of ``table``; an explicit month without figures is a 404 problem.
    ``tables``: read only these tables of the source (the ones the page shows); with them, ``adjusted=False``
    leaves out their seasonally adjusted versions (``code~kind``), for a page that prints none.
    ``charted``: the page charts only the tables' totals and the rows of these codes over the ``history``
    months; the other rows are read for the months their comparisons use (as a bulletin reads them,
    :func:`~vnindustry.analysis.indicators.bulletin_indicators`)."""
    month = period or latest_table_month(index, src, table)
    if month is None:
        return None, None, None
    items = [i for i in index.items if i["source"] == src and (tables is None or i["table"] in tables)
             and (adjusted or i["kind"] != "adjusted")]
    keys = None if tables is None else [i["code"] for i in items] or ["-"]
    if charted is None:
        ind = monthly_indicators(api.store, month, src, history_months=history, keys=keys)
    else:
        ind = bulletin_indicators(api.store, month, src, history_months=history, keys=keys,
                                  in_full=[i["code"] for i in items if i["code_in_table"] in charted])
    view = ind.table(table)
    if view is None and period is not None:
        raise _no_data(table, period, src)
    return month, ind, view
