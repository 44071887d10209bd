"""The ``/api/v1`` routes: series catalogue, observations in five formats, releases, config, health.

Answers are rendered once and kept in memory keyed by (route, parameters, release fingerprint — Vietnam's date
and the set of visible releases): a repeated request is a dictionary look-up, and a new release (seen within
``api_release_poll`` seconds) or an embargo lifting (at once: the date is part of the key) retires them.

Every route that takes a period (path ``period``; query ``period``, ``from``, ``to``, ``as_of``) has it checked
by one app-wide dependency (:func:`periods_in_range`): a year outside 1900–2200, month 13 or day 30 February is
a 422 problem naming the parameter, on every route, new ones included.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from vnindustry import settings
from vnindustry.names import english_unit
from vnindustry.periods import FIRST_YEAR, LAST_YEAR, PERIOD_PATTERN, period_problem
from vnindustry.store import Store
from vnindustry.store.repository import VIETNAM
from vnindustry.web.cache import LRUCache, ReleaseWatcher, Rendered, matches
from vnindustry.web.formats import EXTENSIONS, MEDIA_TYPES, WRITERS, ObservationSet, dumps, negotiate, series_meta
from vnindustry.web.labels import TABLES, fold
from vnindustry.web.problems import PROBLEM_JSON, Problem

PREFIX = "/api/v1"
MAX_PAGE = 10_000  # hard cap on ?limit=, whatever api_page_size says
PERIOD = PERIOD_PATTERN  # YYYY, YYYY-MM or YYYY-Qn, 1900–2200 (also checked by periods_in_range, every route)
_PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$")  # any period shape a stored figure may have


class ProblemModel(BaseModel):
    """RFC 7807 problem details (every error of this API)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given error statuses: each an application/problem+json document."""
    schema = {"$ref": "#/components/schemas/ProblemModel"}
    return {s: {"description": "problem details", "model": ProblemModel,
                "content": {PROBLEM_JSON: {"schema": schema}}} for s in statuses}


@dataclass
class ApiState:
    """What the routes share: the store, the response cache, the release watcher and the limits."""

    store: Store
    cache: LRUCache
    watcher: ReleaseWatcher
    max_rows: int
    page_size: int
    max_age: int
    rate_limit: int

    @staticmethod
    def create(store: Store) -> ApiState:
        """Limits from the settings table (environment ``VNINDUSTRY_API_*``), read once at start."""
        # Keyed by the release fingerprint (the date and the set of releases the store shows): an embargoed
        # release changes every answer (and so the cache) on the day it becomes public, not when it is stored,
        # even when a newer release was public already (then the newest id alone would not change).
        return ApiState(store, LRUCache(settings.get("api_cache_entries")),
                        ReleaseWatcher(store.release_fingerprint, settings.get("api_release_poll"),
                                       day=store.today),
                        settings.get("api_max_rows"), settings.get("api_page_size"),
                        settings.get("api_cache_max_age"), settings.get("api_rate_limit"))

    async def cached(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        """The rendered answer for ``key`` at the current release; built (in a worker thread) on a miss."""
        if self.watcher.fresh():  # the hot path: no thread hop, no database
            hit = self.cache.get((key, self.watcher.current()))
            if hit is not None:
                return hit  # type: ignore[return-value]
        return await run_in_threadpool(self._build, key, build)

    def _build(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        return self.cache.get_or_build((key, self.watcher.current()), build)  # concurrent misses: one build

    def catalogue(self) -> Catalogue:
        """The catalogue at the current release (built once per release, even when requests arrive together)."""
        return self.cache.get_or_build(("catalogue", self.watcher.current()),
                                       lambda: Catalogue.of(self.store.catalogue(), self.store.synthetic_sources()))


@dataclass(frozen=True)
class Catalogue:
    """Every series as an API item, by code, with accent-folded text to search."""

    items: list[dict[str, Any]]
    by_code: dict[str, dict[str, Any]]
    haystack: list[str]

    @staticmethod
    def of(frame: pd.DataFrame, synthetic_sources: frozenset[str] = frozenset()) -> Catalogue:
        """The items of a store catalogue; a series of a source in ``synthetic_sources`` is ``synthetic``
        (its figures come from the demo generator: every download of it says so, issue 13)."""
        items = []
        # Each column to Python objects at once: to_dict("records") took them one by one from pandas' Arrow
        # strings (issue 16: two thirds of a catalogue's build after each release).
        columns = {str(c): frame[c].tolist() for c in frame.columns}
        for values in zip(*columns.values(), strict=True):
            r = dict(zip(columns, values, strict=True))
            level = r.get("level")
            items.append({
                "code": r["key"], "code_in_table": r["code"], "name_vi": r["name_vi"], "name_en": r["name_en"] or "",
                "unit": r["unit"] or "", "unit_en": english_unit(r["unit"] or ""), "frequency": r["frequency"],
                "first_period": r["first_period"],
                "last_period": r["last_period"], "last_updated": _iso(r["last_updated"]), "source": r["source"],
                "table": r["table"], "kind": r["kind"], "level": None if pd.isna(level) else int(level),
                "parent": r["parent"] or "", "synthetic": r["source"] in synthetic_sources,
            })
        hay = [fold(" ".join([i["code"], i["name_vi"], i["name_en"], *TABLES.get(i["table"], ())])) for i in items]
        return Catalogue(items, {i["code"]: i for i in items}, hay)

    def search(self, q: str | None, source: str | None, table: str | None) -> list[dict[str, Any]]:
        """Items whose code, names or table name contain every word of ``q`` (accents ignored)."""
        words = fold(q).split() if q else []
        return [i for i, h in zip(self.items, self.haystack, strict=True)
                if (source is None or i["source"] == source) and (table is None or i["table"] == table)
                and all(w in h for w in words)]


def _iso(v: Any) -> str | None:
    if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return None
    return v.isoformat() if isinstance(v, dt.date | dt.datetime) else str(v)


def _state(request: Request) -> ApiState:
    return request.app.state.api  # type: ignore[no-any-return]


def _json(doc: Any) -> bytes:
    """Strict JSON (NaN and infinities as null: formats.dumps)."""
    return dumps(doc)


def seconds_to_midnight_in_vietnam(now: dt.datetime | None = None) -> int:
    """Seconds until the next midnight in Vietnam: when an embargoed release may become public."""
    now = (now or dt.datetime.now(VIETNAM)).astimezone(VIETNAM)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM)
    return max(int((midnight - now).total_seconds()), 0)


def _respond(request: Request, rendered: Rendered, max_age: int, vary: bool = False) -> Response:
    """200 with the body, or 304 when If-None-Match already names its ETag. Browsers and proxies may keep it
    ``max_age`` seconds, but never past midnight in Vietnam, when an embargo may lift."""
    max_age = min(max_age, seconds_to_midnight_in_vietnam())
    headers = {"ETag": rendered.etag, "Cache-Control": f"public, max-age={max_age}", **rendered.headers}
    if vary:
        headers["Vary"] = "Accept"
    if matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


def _month_bounds(period: str) -> tuple[int, int]:
    """(first, last) month number (year·12 + m) a period covers, so months, quarters and years compare."""
    year = int(period[:4])
    if len(period) == 4:
        return year * 12 + 1, year * 12 + 12
    if period[5] == "Q":
        q = int(period[6])
        return year * 12 + 3 * q - 2, year * 12 + 3 * q
    m = int(period[5:7])
    return year * 12 + m, year * 12 + m


def _unknown_series(code: str) -> Problem:
    words = " ".join(re.split(r"[/_\-]+", code)).strip() or "xuat khau"
    return Problem(404, f"no series '{code}'; find series codes with {PREFIX}/series?q={words.replace(' ', '+')} "
                        f"(search by name, accents optional) or list them all with {PREFIX}/series",
                   title="Unknown series", slug="unknown-series")


_ROUTES: list[tuple[str, Callable[..., Any], dict[str, Any]]] = []


def _get(path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Collect a GET route; :func:`register` adds them to the app itself, so ``app.routes`` lists every
    route flat (newer FastAPI nests included routers, which would hide them from the every-route test)."""
    def add(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        _ROUTES.append((path, endpoint, options))
        return endpoint
    return add


PERIOD_PARAMETERS = ("period", "from", "to", "as_of")
"""The names a period goes by in a path or query string, on every route of the app."""


async def periods_in_range(request: Request) -> None:
    """422 when a period in the path or the query string is impossible: a year outside 1900–2200 (``0000-01``,
    ``9999-12``), month 13, a day that does not exist. Runs before the route's own checks, on every route.

    ``async`` although it awaits nothing: FastAPI runs a plain ``def`` dependency in its thread pool, and this one
    runs on every request — a thread hop for 12 µs of work, which took a cached answer from 0.32 to 0.51 ms of
    the app's CPU and queued every request behind the pool's 40 threads under load (issue 16)."""
    found = [(name, "path", request.path_params.get(name)) for name in PERIOD_PARAMETERS]
    found += [(name, "query", value) for name in PERIOD_PARAMETERS for value in request.query_params.getlist(name)]
    for name, where, value in found:
        if not isinstance(value, str):
            continue
        why = period_problem(value)
        if why is not None:
            raise Problem(422, f"{name}={value}: {why}; periods are YYYY-MM (months), YYYY-Qn, YYYY or, for as_of, "
                               f"YYYY-MM-DD, between {FIRST_YEAR} and {LAST_YEAR}",
                          title="Impossible period", slug="impossible-period",
                          errors=[{"parameter": name, "in": where, "message": why}])


def register(app: FastAPI) -> None:
    """Add every route of the API to ``app``, after making :func:`periods_in_range` a dependency of every
    route the app's router adds from now on (this is called before any other route is added, so all get it)."""
    check = Depends(periods_in_range)
    if not any(getattr(d, "dependency", None) is periods_in_range for d in app.router.dependencies):
        app.router.dependencies.append(check)
    for path, endpoint, options in _ROUTES:
        app.add_api_route(path, endpoint, methods=["GET"], **options)


Lang = Literal["vi", "en"]
Vintage = Literal["latest", "first", "all"]
FormatName = Literal["json", "csv", "xlsx", "sdmx-csv", "json-stat"]


@_get(f"{PREFIX}/series", summary="The series catalogue (search, filter, page)", responses=problem_responses(400, 429))
async def series_list(
    request: Request,
    q: Annotated[str | None, Query(max_length=200,
                                   description="words to find in codes and names (accents optional)")] = None,
    source: Annotated[str | None, Query(max_length=40, description="only this source (gso, city …)")] = None,
    table: Annotated[str | None, Query(max_length=40, description="only this table (iip, exports …)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page; pages larger than the "
                                "api_page_size setting are cut to it (the answer's limit says so)")] = 100,
    offset: Annotated[int, Query(ge=0, description="items to skip")] = 0,
    lang: Annotated[Lang, Query(description="language of names: vi (default) or en")] = "vi",
) -> Response:
    """Series with their names, unit, frequency, first and last period and last update; ``total`` counts
    every match, ``items`` holds one page."""
    api = _state(request)
    # Cut rather than refuse: a valid request gets an answer, and "limit" in it tells the page size used.
    limit = min(limit, api.page_size)

    def build() -> Rendered:
        found = api.catalogue().search(q, source, table)
        page = [series_meta(i, lang) for i in found[offset:offset + limit]]
        return Rendered.of(_json({"total": len(found), "limit": limit, "offset": offset, "items": page}),
                           "application/json")

    rendered = await api.cached(("series", q, source, table, limit, offset, lang), build)
    return _respond(request, rendered, api.max_age)


@_get(PREFIX + "/series/{code:path}/observations", summary="One series' observations",
            responses={**problem_responses(400, 404, 406, 422, 429), 200: {"content": {
                MEDIA_TYPES[f].split(";")[0]: {} for f in ("csv", "xlsx", "sdmx-csv")}}})
async def observations(
    request: Request,
    code: str,
    from_: Annotated[str | None, Query(alias="from", pattern=PERIOD,
                                       description="first period: YYYY, YYYY-MM or YYYY-Qn")] = None,
    to: Annotated[str | None, Query(pattern=PERIOD, description="last period: YYYY, YYYY-MM or YYYY-Qn")] = None,
    last_n: Annotated[int | None, Query(alias="lastN", ge=1, le=10_000,
                                        description="only the last N periods of each measure")] = None,
    as_of: Annotated[dt.date | None, Query(description="YYYY-MM-DD: the figures as known on that date")] = None,
    vintage: Annotated[Vintage, Query(description="latest, first published, or every vintage")] = "latest",
    measure: Annotated[str | None, Query(max_length=60,
                                         description="one measure (level, pct_prev_month …); default all")] = None,
    format_: Annotated[FormatName | None, Query(
        alias="format", description="json, csv, xlsx, sdmx-csv or json-stat; else from the Accept header")] = None,
    lang: Annotated[Lang, Query(description="language of names and labels")] = "vi",
    labels: Annotated[Literal["id", "name", "both"], Query(description="codes, names, or both")] = "id",
) -> Response:
    """Observations of series ``code`` (e.g. ``gso/exports/TOTAL``): each with its period, measure, value
    (empty when missing, flagged), unit, status (estimate/preliminary/actual) and release."""
    api = _state(request)
    fmt = format_ or negotiate(request.headers.get("accept"))
    if fmt is None:
        raise Problem(406, "this resource is available as application/json, text/csv, "
                           f"{MEDIA_TYPES['xlsx']} or application/vnd.sdmx.data+csv; use Accept or ?format=")
    if from_ and to and _month_bounds(from_)[0] > _month_bounds(to)[1]:
        raise Problem(400, f"from={from_} is after to={to}; swap them", title="Period range reversed",
                      slug="period-range-reversed")

    def build() -> Rendered:
        catalogue = api.catalogue()
        meta = catalogue.by_code.get(code)
        if meta is None:
            raise _unknown_series(code)
        frame = api.store.observations(keys=[code], measure=measure, as_of=as_of, vintage=vintage)
        frame = _select_periods(frame, from_, to, last_n)
        if len(frame) > api.max_rows:
            raise Problem(400, f"{len(frame)} observations are more than the limit of {api.max_rows}; "
                               "narrow with from, to, lastN or measure", title="Too many observations")
        query = {"from": from_, "to": to, "lastN": last_n, "as_of": _iso(as_of), "vintage": vintage,
                 "measure": measure, "lang": lang, "labels": labels}
        # Synthetic when any observation served comes from a synthetic release (or the series is one).
        synthetic = bool(meta.get("synthetic")) or (
            len(frame) > 0 and not api.store.synthetic_release_ids().isdisjoint(frame["release_id"].tolist()))
        obs = ObservationSet(meta, frame, lang, labels, vintage, query, synthetic)
        body = WRITERS[fmt](obs)
        headers = {}
        if fmt in ("csv", "xlsx", "sdmx-csv"):
            name = code.replace("/", "_") + ("_sdmx" if fmt == "sdmx-csv" else "")
            headers["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[fmt]}"'
        return Rendered.of(body, MEDIA_TYPES[fmt], headers)

    key = ("obs", code, from_, to, last_n, as_of, vintage, measure, fmt, lang, labels)
    rendered = await api.cached(key, build)
    return _respond(request, rendered, api.max_age, vary=True)


def _select_periods(frame: pd.DataFrame, start: str | None, end: str | None, last_n: int | None) -> pd.DataFrame:
    """from/to by the months periods cover (so to=2025 includes 2025-12 and 2025-Q4), then the last N
    periods of each measure (every vintage of them for vintage=all)."""
    if frame.empty:
        return frame
    bounds = [_month_bounds(p) if _PERIOD_RE.match(p) else (0, 0) for p in frame["period"].tolist()]
    keep = pd.Series(True, index=frame.index)
    if start:
        first = _month_bounds(start)[0]
        keep &= pd.Series([b[1] >= first for b in bounds], index=frame.index)
    if end:
        last = _month_bounds(end)[1]
        keep &= pd.Series([b[1] <= last for b in bounds], index=frame.index)
    frame = frame[keep]
    if last_n:
        order = {p: _month_bounds(p) if _PERIOD_RE.match(p) else (0, 0) for p in set(frame["period"].tolist())}
        chosen = {m: set(sorted(set(g), key=order.__getitem__)[-last_n:])
                  for m, g in frame.groupby("measure")["period"]}
        frame = frame[[p in chosen[m] for m, p in zip(frame["measure"], frame["period"], strict=True)]]
    return frame.reset_index(drop=True)


@_get(PREFIX + "/series/{code:path}", summary="One series' catalogue entry", responses=problem_responses(404, 429))
async def series_one(request: Request, code: str, lang: Annotated[Lang, Query()] = "vi") -> Response:
    """The catalogue item of series ``code``."""
    api = _state(request)

    def build() -> Rendered:
        meta = api.catalogue().by_code.get(code)
        if meta is None:
            raise _unknown_series(code)
        return Rendered.of(_json(series_meta(meta, lang)), "application/json")

    return _respond(request, await api.cached(("one", code, lang), build), api.max_age)


@_get(f"{PREFIX}/releases", summary="Every release (publication) in the store, newest first",
            responses=problem_responses(429))
async def releases(request: Request) -> Response:
    """Releases: id, source, file name, reference period, release date, import time and observation count."""
    api = _state(request)

    def build() -> Rendered:
        items = [{"id": int(r["id"]), "source": r["source"], "file": PurePath(str(r["file"])).name,
                  "checksum": r["checksum"], "reference_period": r["reference_period"],
                  "released_on": _iso(r["released_on"]), "imported_at": _iso(r["imported_at"]),
                  "observations": int(r["observations"])}
                 for r in api.store.releases().to_dict("records")]
        return Rendered.of(_json({"total": len(items), "items": items}), "application/json")

    return _respond(request, await api.cached(("releases",), build), api.max_age)


def _public_value(name: str, value: Any) -> Any:
    # A database URL may carry a password: never publish it.
    if name == "db":
        try:
            return make_url(str(value)).render_as_string(hide_password=True)
        except Exception:
            return "(not a valid URL)"
    return value


def config_doc(api: ApiState) -> dict[str, Any]:
    """The settings table (name, value, default, type, help, env var) and the limits this API runs with."""
    items = []
    for s in settings.SETTINGS:
        try:
            value = settings.get(s.name)
        except ValueError:
            value = None  # a malformed environment variable: shown as unset rather than failing /config
        if s.name == "db":  # the store this API actually reads, which create_app(db_url=…) may override
            value = api.store.engine.url.render_as_string(hide_password=True)
        items.append({"name": s.name, "value": _public_value(s.name, value),
                      "default": _public_value(s.name, s.default), "type": s.type.__name__, "help": s.help,
                      "env_var": s.env_var})
    limits = {"rate_limit_per_minute": api.rate_limit, "max_rows": api.max_rows, "page_size": api.page_size,
              "cache_entries": api.cache.size, "cache_max_age": api.max_age,
              "release_poll_seconds": api.watcher.interval}
    return {"version": "v1", "settings": items, "limits": limits, "formats": sorted(WRITERS)}


def config(request: Request) -> Response:
    """Every setting with its current value and default, and the API's limits."""
    return Response(_json(config_doc(_state(request))), media_type="application/json",
                    headers={"Cache-Control": "no-cache"})


def healthz(request: Request) -> Response:
    """200 when the database answers; 503 problem+json when it does not."""
    api = _state(request)
    try:
        with api.store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        latest = api.store.latest_release_id()  # the newest public one: an embargoed release stays unseen
    except Exception as exc:
        raise Problem(503, f"the database does not answer ({type(exc).__name__})", title="Database unavailable",
                      slug="database-unavailable") from exc
    return Response(_json({"status": "ok", "database": "ok", "latest_release": int(latest)}),
                    media_type="application/json", headers={"Cache-Control": "no-store"})


_get(f"{PREFIX}/config", summary="Settings and API limits", responses=problem_responses(429))(config)
_get(f"{PREFIX}/healthz", summary="Database health", responses=problem_responses(429, 503))(healthz)
# Unprefixed aliases for load balancers and operators (same handlers).
_get("/config", include_in_schema=False)(config)
_get("/healthz", include_in_schema=False)(healthz)


def docs_page(openapi: dict[str, Any]) -> HTMLResponse:
    """A self-contained HTML page listing the routes from the OpenAPI document (no script, no CDN)."""
    parts = [f"<h1>{html.escape(openapi['info']['title'])} {html.escape(openapi['info']['version'])}</h1>",
             f"<p>OpenAPI: <a href='{PREFIX}/openapi.json'>{PREFIX}/openapi.json</a>. Errors are "
             "application/problem+json (RFC 7807).</p>"]
    for path, ops in openapi.get("paths", {}).items():
        for method, op in ops.items():
            parts.append(f"<h2><code>{method.upper()} {html.escape(path)}</code></h2>"
                         f"<p>{html.escape(op.get('summary', ''))}</p>"
                         f"<p>{html.escape(op.get('description', ''))}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append("<ul>" + "".join(
                    f"<li><code>{html.escape(p['name'])}</code> ({html.escape(p['in'])}): "
                    f"{html.escape(p.get('description', ''))}</li>" for p in params) + "</ul>")
    parts.append("<h2 id='problems'>Problems</h2><p>Every error: type, title, status, detail, instance.</p>")
    body = "\n".join(parts)
    return HTMLResponse(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>API</title>"
                        f"</head><body>{body}</body></html>")
