"""The industries page (``/industries``): the month's IIP table in the official order (:func:`hierarchy_order`)
and the chart of one series, original and adjusted, with its downloads."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import pandas as pd
from fastapi import Query, Request
from fastapi.responses import Response

from vnindustry.analysis.indicators import month_table
from vnindustry.classification.vsic import vsic_ancestors
from vnindustry.periods import MONTH_PATTERN, parse_month
from vnindustry.publish.wording import month_name
from vnindustry.web.api import PREFIX, ApiState
from vnindustry.web.cache import Rendered
from vnindustry.web.pages.cards import _csv_url, _status
from vnindustry.web.pages.charts import lines_svg
from vnindustry.web.pages.figures import num, pct, signed
from vnindustry.web.pages.rendering import LangQuery, SourceQuery, _api, _page, _serve, _source_name, _url
from vnindustry.web.pages.selection import SeriesIndex, default_source, latest_month, series_index
from vnindustry.web.pages.words import t
from vnindustry.web.problems import Problem

ADJUSTED = ("calendar_adjusted", "seasonally_adjusted", "trend")


def _vsic_path(code: str, parents: dict[str, str]) -> tuple[str, ...]:
    """The codes from the section down to ``code`` (VSIC's own tree; the table's parents for a code VSIC does
    not know), so sorting the paths gives the hierarchy order: section, its divisions, their groups…"""
    try:
        return (*reversed(vsic_ancestors(code)), code)
    except KeyError:
        path, seen = [code], {code}
        while (up := parents.get(path[0])) and up not in seen and up != "TOTAL":
            path.insert(0, up)
            seen.add(up)
        return tuple(path)


def hierarchy_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """IIP rows in the official order: the total, then each section followed by its divisions (and their
    groups), in VSIC order — also for a division whose section the table lacks — then the groups of key
    industries, the first (the sum of the others) first."""
    parents = {str(r["code"]): str(r.get("parent") or "") for r in rows}
    total = [r for r in rows if r["kind"] == "total"]
    tree = sorted((r for r in rows if r["kind"] == "industry"), key=lambda r: _vsic_path(str(r["code"]), parents))
    groups = [r for r in rows if r["kind"] == "group"]  # adjusted series ("10~trend") are no rows of the table
    return total + tree + groups


def _series_points(api: ApiState, index: SeriesIndex, keys: list[str], measures: dict[str, str] | None = None,
                   ) -> dict[str, list[tuple[str, float]]]:
    """Level of each key (else its change on a year earlier), by period: one measure read at a time, for
    the keys still without monthly figures (usually one query, of levels only). ``measures`` receives the
    measure each key's points are ("level" or a change in %), for the chart's unit."""
    out: dict[str, list[tuple[str, float]]] = {}
    remaining = [k for k in keys if k in index.by_code]  # a series not in the index has no observations
    for measure, minus in (("level", 0.0), ("pct_change_same_month_last_year", 0.0),
                           ("pct_same_month_last_year", 100.0)):
        if not remaining:
            break
        frame = api.store.observations(keys=remaining, measure=measure)
        if not frame.empty:
            monthly = {p: parse_month(str(p)) is not None for p in frame["period"].unique().tolist()}
            frame = frame[frame["period"].map(monthly).astype(bool)]
        for key, m in frame.groupby("key"):
            if measures is not None:
                measures[str(key)] = measure
            out[str(key)] = [(str(p), math.nan if pd.isna(v) else float(v) - minus)
                             for p, v in zip(m["period"], m["value"], strict=True)]
        remaining = [k for k in remaining if k not in out]
    return out


async def industries(request: Request, lang: LangQuery = "vi", source: SourceQuery = None,
                     code: Annotated[str | None, Query(max_length=80, description="industry code (VSIC)")] = None,
                     period: Annotated[str | None, Query(pattern=MONTH_PATTERN,
                                                         description="month YYYY-MM; default the latest")] = None,
                     ) -> Response:
    """The month's IIP table and the chart of one series (original and adjusted versions)."""
    api = _api(request)

    def build() -> Rendered:
        index = series_index(api)
        src = source or default_source(index)
        month = period or latest_month(index, src)
        selected = code or "TOTAL"
        key = f"{src}/iip/{selected}"
        catalogue = index.by_code
        if key not in catalogue:
            raise Problem(404, f"no industry '{selected}' in the IIP of source '{src}'; the table at "
                               f"/industries?source={src} lists the codes", title="Unknown industry",
                          slug="unknown-series")
        rows: list[dict[str, Any]] = []
        if month is not None:
            view = month_table(api.store, month, src, "iip", year_ago=False)  # no "cùng kỳ" shown
            if view is not None:
                for r in hierarchy_order(view.rows.to_dict("records")):
                    line, kind = view.line(r), str(r["kind"])
                    level = r["level_in_tree"]
                    c = line.confidential
                    rows.append({"code": "" if kind in ("group", "total") else line.code, "name": line.name(lang),
                                 "kind": kind,
                                 "depth": 0 if pd.isna(level) else max(int(level) - 1, 0),
                                 "index": num(line.level, 1, lang, c), "prev_month": pct(line.prev_month, lang, c),
                                 "same_month": pct(line.same_month_last_year, lang, c), "ytd": pct(line.ytd, lang, c),
                                 # the total's contribution to its own growth is no figure (issue 2): left blank
                                 "contribution": "" if kind == "total" else signed(line.contribution, 2, lang, c),
                                 "status": _status(line, lang), "selected": line.code == selected,
                                 "url": _url(request, code=line.code)})
        keys = [key, *(f"{key}~{k}" for k in ADJUSTED)]
        measures: dict[str, str] = {}
        points = _series_points(api, index, keys, measures)
        names = [t("original", lang), *(t(k, lang) for k in ADJUSTED)]
        series = [(n, points[k]) for k, n in zip(keys, names, strict=True) if k in points]
        meta = catalogue[key]
        title = meta["name_en"] if lang == "en" and meta["name_en"] else meta["name_vi"]
        downloads = [(k, n, _csv_url(k), f"{PREFIX}/series/{quote(k)}/observations?format=xlsx")
                     for k, n in zip(keys, names, strict=True) if k in points]
        return _page(request, "industries.html.j2", lang, _csv_url(key), rows=rows, source=src,
                     month=month_name(month, lang) if month else "", selected=selected, title=title,
                     chart=lines_svg(series, lang, title=f"{t('chart_of', lang)}: {title}",
                                     unit=t("index", lang) if measures.get(key) == "level" else t("chart_pct", lang)),
                     legend=[(n, i) for i, (n, _) in enumerate(series)], downloads=downloads,
                     table_csv=f"{PREFIX}/series?" + urlencode({"source": src, "table": "iip"}),
                     source_name=_source_name(src, lang))

    return await _serve(request, ("industries", lang, source, code, period), build)
