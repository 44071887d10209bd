"""What every public page shares to render and serve: the Jinja environment (templates in ``web/templates``,
every printed value in GSO's diacritic style), the page frame (:func:`_page`: language toggle, data link, the
synthetic-data banner, the CSP), the response cache (:func:`_serve`), the page's URL with a parameter changed
(:func:`_url`) and the query parameters the pages take (:data:`LangQuery`, :data:`SourceQuery`,
:data:`PeriodQuery`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from vnindustry.periods import MONTH_PATTERN
from vnindustry.web.api import PREFIX, ApiState, _respond
from vnindustry.web.cache import Rendered
from vnindustry.web.labels import source_name, source_pick
from vnindustry.web.pages.words import Lang, Source, t
from vnindustry.web.spelling import gso_style

HERE = Path(__file__).parent.parent  # the web package's folder: its templates and static files
# Pages load only what the app serves itself: no CDN, no third-party host, no inline script.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


def _finalize(value: Any) -> Any:
    """Every value a template prints: in GSO's diacritic style ("hóa", not "hoá": names come from VSIC,
    GSO's workbooks and the demo in either style), and nothing for None (never the word "None")."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return Markup(gso_style(str(value)))  # letters only change: the markup stays as safe as it was
    if isinstance(value, str):
        return gso_style(value)
    return value


_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["j2", "html"]),
                   trim_blocks=True, lstrip_blocks=True, finalize=_finalize)


def _url(request: Request, **changes: str | None) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    return request.url.path + ("?" + urlencode(params) if params else "")


def synthetic_sources(api: ApiState) -> frozenset[str]:
    """The sources with a visible synthetic release, read once per release fingerprint."""
    full = ("page-synthetic-sources", api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        hit = api.store.synthetic_sources()
        api.cache.put(full, hit)
    return hit  # type: ignore[return-value]


def _page(request: Request, template: str, lang: str, alternate: str, *, synthetic: bool | None = None,
          **context: Any) -> Rendered:
    """Render ``template``. The page carries the "synthetic data" banner when ``synthetic`` says so, or — left
    None — when the ``source`` it shows has a synthetic release (so a page of another module that passes its
    ``source`` is marked by construction); ``indicators`` may pass ``MonthlyIndicators`` whose own mark counts."""
    other = "en" if lang == "vi" else "vi"
    if synthetic is None:
        ind = context.get("indicators")
        source = context.get("source")
        synthetic = bool(getattr(ind, "synthetic", False)) or (
            isinstance(source, str) and source in synthetic_sources(_api(request)))
    body = _env.get_template(template).render(
        lang=lang, t=lambda key: t(key, lang), alternate=alternate, api=PREFIX, synthetic=synthetic,
        source_pick=lambda s: source_pick(s, lang), source_label=lambda s: source_name(s, lang),
        alternate_type="text/csv" if "format=csv" in alternate else "application/json",
        alternate_label="CSV" if "format=csv" in alternate else "JSON",
        toggle_url=_url(request, lang=None if other == "vi" else other), toggle_lang=other,
        nav=lambda path: path + ("?lang=en" if lang == "en" else ""), **context)
    return Rendered.of(body.encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": CSP, "Content-Language": lang, "X-Content-Type-Options": "nosniff"})


def _api(request: Request) -> ApiState:
    return request.app.state.api  # type: ignore[no-any-return]


async def _serve(request: Request, key: tuple[Any, ...], build: Any) -> Response:
    api = _api(request)
    # The query string is part of the key: the page's links echo it (?lang=vi and no lang render alike but
    # link differently), so two spellings of one selection must not share an entry.
    response = _respond(request, await api.cached(("page", *key, str(request.query_params)), build), 0)
    response.headers["Cache-Control"] = "no-cache"  # revalidate with the ETag: a new release shows at once
    return response


LangQuery = Annotated[Lang, Query(description="vi (default) or en")]
SourceQuery = Annotated[Source | None, Query(description="city or gso; default city if it has data")]
PeriodQuery = Annotated[str | None, Query(pattern=MONTH_PATTERN,
                                          description="month YYYY-MM; default the latest")]


def _source_name(source: str, lang: str) -> str:
    return source_name(source, lang)


def _sources(request: Request) -> list[tuple[str, str]]:
    return [(s, _url(request, source=s, period=None)) for s in ("city", "gso")]
