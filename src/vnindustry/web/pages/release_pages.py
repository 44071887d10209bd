"""The releases page (``/releases``: every visible release in words) and the release calendar
(``/calendar``: past releases, those announced under embargo, the expected next dates of each source and the
overdue months)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from fastapi import Request
from fastapi.responses import Response

from vnindustry.periods import month_code, parse_month
from vnindustry.publish.wording import month_name
from vnindustry.web.api import PREFIX, ApiState
from vnindustry.web.cache import Rendered
from vnindustry.web.dates import format_date
from vnindustry.web.labels import period_name, release_document, source_name
from vnindustry.web.pages.figures import num
from vnindustry.web.pages.rendering import LangQuery, _api, _page, _serve, _source_name
from vnindustry.web.pages.selection import latest_month, series_index
from vnindustry.web.pages.words import t


def release_rows(api: ApiState, lang: str) -> list[dict[str, Any]]:
    """Every visible release in words: its source's name, period, date, the document it is and what it holds
    (figures, trade flows or a key-product scoring — a release of flows has no observations, so "0" would
    mislead), marked when synthetic."""
    from vnindustry.store.trade import flow_releases, scorings

    flows = {int(r["id"]): int(r["rows"]) for r in flow_releases(api.store).to_dict("records")}
    scored = {s.id for s in scorings(api.store)}
    items = []
    for r in api.store.releases().to_dict("records"):
        rid, src = int(r["id"]), str(r["source"])
        ref = r["reference_period"]
        released = r["released_on"]
        if rid in flows:
            holds = f"{num(float(flows[rid]), 0, lang)} {t('flows', lang)}"
        elif rid in scored:
            holds = t("scoring", lang).capitalize()
        else:
            holds = f"{num(float(r['observations']), 0, lang)} {t('figures', lang)}"
        items.append({"id": rid, "source": src, "source_name": source_name(src, lang),
                      "reference_period": period_name(ref, lang),
                      "released_on": format_date(released, lang) if released is not None else "",
                      "file": release_document(src, r["file"], ref, lang), "observations": holds,
                      "synthetic": bool(r.get("synthetic", False)) and not pd.isna(r.get("synthetic"))})
    return items


async def releases(request: Request, lang: LangQuery = "vi") -> Response:
    """Every release in the store, newest first."""
    api = _api(request)

    def build() -> Rendered:
        return _page(request, "releases.html.j2", lang, f"{PREFIX}/releases", items=release_rows(api, lang),
                     synthetic=False)

    return await _serve(request, ("releases", lang), build)


GSO_RULE_FROM = 2023  # GSO publishes on the 6th of the next month from 2023
CITY_DAY, GSO_DAY = 10, 6


def expected_dates(source: str, after: str | None, today: dt.date, n: int = 6) -> list[tuple[str, dt.date]]:
    """(reference month, expected publication date) of the next ``n`` publications on or after ``today``
    for the months after ``after`` (the latest month in the store): GSO on the 6th of the next month,
    the city on the 10th (the Department's plan)."""
    day = GSO_DAY if source == "gso" else CITY_DAY
    first = parse_month(after) + 1 if after and parse_month(after) is not None else 0  # type: ignore[operator]
    k = max(first, today.year * 12 + today.month - 3)
    out: list[tuple[str, dt.date]] = []
    while len(out) < n:
        nxt = k + 1
        when = dt.date(nxt // 12, nxt % 12 + 1, day)
        if when >= today:
            out.append((month_code(k), when))
        k += 1
    return out


def overdue_months(source: str, after: str | None, today: dt.date) -> tuple[str, str, dt.date] | None:
    """(first, last, first due date) of the months after ``after`` whose expected publication date has
    passed without a release in the store, or None. The calendar says so instead of announcing only the
    future: a store a year behind must not look on schedule."""
    m = parse_month(after) if after else None
    if m is None:
        return None
    day = GSO_DAY if source == "gso" else CITY_DAY
    due = [k for k in range(m + 1, today.year * 12 + today.month)
           if dt.date((k + 1) // 12, (k + 1) % 12 + 1, day) < today]
    if not due:
        return None
    first = due[0] + 1
    return month_code(due[0]), month_code(due[-1]), dt.date(first // 12, first % 12 + 1, day)


async def calendar(request: Request, lang: LangQuery = "vi") -> Response:
    """Past releases and the expected next publication dates of each source."""
    api = _api(request)

    def build() -> Rendered:
        past = release_rows(api, lang)
        upcoming = []
        overdue = []
        index = series_index(api)
        today = api.store.today() or dt.date.today()
        # What the calendar announces of a release under embargo: its source, period and date (nothing else).
        announced = api.store.scheduled().to_dict("records")
        for r in announced:
            ref = str(r["reference_period"] or "")
            upcoming.append({"source": r["source"], "source_name": _source_name(str(r["source"]), lang),
                             "reference_period": ref, "month": period_name(ref, lang),
                             "expected_on": format_date(r["released_on"], lang)})
        for src in ("city", "gso"):
            after = max([m for m in [latest_month(index, src)] + [str(r["reference_period"] or "") for r in announced
                                                                   if r["source"] == src]
                         if m and parse_month(m) is not None], default=None)
            late = overdue_months(src, after, today)
            if late:
                overdue.append({"source": src, "source_name": _source_name(src, lang),
                                "first": month_name(late[0], lang), "last": month_name(late[1], lang),
                                "count": parse_month(late[1]) - parse_month(late[0]) + 1,  # type: ignore[operator]
                                "due": format_date(late[2], lang)})
            for ref, when in expected_dates(src, after, today):
                upcoming.append({"source": src, "source_name": _source_name(src, lang),
                                 "reference_period": ref, "month": month_name(ref, lang),
                                 "expected_on": format_date(when, lang)})
        return _page(request, "calendar.html.j2", lang, f"{PREFIX}/releases", past=past, upcoming=upcoming,
                     overdue=overdue, gso_from=GSO_RULE_FROM, synthetic=False)

    return await _serve(request, ("calendar", lang), build)
