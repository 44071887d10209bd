"""The bulletins: the archive page (``/bulletins``: each month with IIP figures, in every format and both
languages) and the download of one month's bulletin, composed on the fly (``/bulletins/{period}.{fmt}``)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Path as FastApiPath
from fastapi import Request
from fastapi.responses import Response

from vnindustry.periods import MONTH_PATTERN
from vnindustry.publish.snapshot import read_snapshot
from vnindustry.publish.wording import month_name
from vnindustry.publish.writers import MEDIA_TYPES as BULLETIN_MEDIA_TYPES
from vnindustry.web.api import ApiState, _respond
from vnindustry.web.cache import Rendered
from vnindustry.web.pages.cards import _csv_url
from vnindustry.web.pages.rendering import LangQuery, SourceQuery, _api, _page, _serve, _source_name, _sources
from vnindustry.web.pages.selection import _month_periods, default_source, series_index
from vnindustry.web.pages.words import t
from vnindustry.web.problems import Problem

BulletinFmt = Literal["html", "docx", "pdf", "xlsx", "md"]
BULLETIN_FORMATS: tuple[str, ...] = ("html", "docx", "pdf", "xlsx", "md")


def bulletin_months(api: ApiState, source: str, limit: int = 24) -> list[str]:
    """Months with an IIP total for ``source`` in the store, latest first (at most ``limit``)."""
    keys = [i["code"] for i in series_index(api).items
            if i["source"] == source and i["table"] == "iip" and i["kind"] == "total"]
    if not keys:
        return []
    frame = api.store.observations(keys=keys[:1])
    return _month_periods(frame["period"])[::-1][:limit] if len(frame) else []


def _bulletin_url(period: str, fmt: str, source: str, lang: str) -> str:
    return f"/bulletins/{period}.{fmt}?" + urlencode({"source": source, "lang": lang})


async def bulletins(request: Request, lang: LangQuery = "vi", source: SourceQuery = None) -> Response:
    """The archive: each month with IIP figures, its bulletin in every format and both languages."""
    api = _api(request)

    def build() -> Rendered:
        src = source or default_source(series_index(api))
        items = [{"period": p, "month": month_name(p, lang),
                  "links": [(t(code, lang), [(f.upper(), _bulletin_url(p, f, src, b_lang))
                                             for f in BULLETIN_FORMATS])
                            for b_lang, code in (("vi", "vietnamese"), ("en", "english"))]}
                 for p in _cached_months(api, src)]
        return _page(request, "bulletins.html.j2", lang, _csv_url(f"{src}/iip/TOTAL"), items=items, source=src,
                     source_name=_source_name(src, lang), sources=_sources(request))

    return await _serve(request, ("bulletins", lang, source), build)


def _cached_months(api: ApiState, source: str) -> list[str]:
    full = ("bulletin-months", source, api.watcher.current())
    hit = api.cache.get(full)
    if hit is None:
        hit = bulletin_months(api, source)
        api.cache.put(full, hit)
    return hit  # type: ignore[return-value]


async def bulletin_file(request: Request, period: Annotated[str, FastApiPath(pattern=MONTH_PATTERN)],
                        fmt: BulletinFmt, lang: LangQuery = "vi", source: SourceQuery = None) -> Response:
    """One month's bulletin, composed on the fly from one read of the store, in html, docx, pdf, xlsx or md."""
    api = _api(request)

    def build() -> Rendered:
        src = source or default_source(series_index(api))
        if period not in _cached_months(api, src):
            raise Problem(404, f"no IIP figures for {period} from source '{src}'; /bulletins?source={src} lists "
                               "the months", title="No data", slug="no-data")
        # One read of the public view (the month's figures; the annex's flows, scoring and outcomes of this
        # source), then composition and writing: what `vnindustry bulletin` does (publish/snapshot.py).
        body = read_snapshot(api.store, period, src).write(fmt, lang)
        name = f"{'ban-tin' if lang == 'vi' else 'bulletin'}-{src}-{period}-{lang}.{fmt}"
        return Rendered.of(body, BULLETIN_MEDIA_TYPES[fmt],  # type: ignore[index]
                           {"Content-Disposition": f'attachment; filename="{name}"',
                            "X-Content-Type-Options": "nosniff"})

    response = _respond(request, await api.cached(("bulletin", source, period, fmt, lang), build), 0)
    response.headers["Cache-Control"] = "no-cache"
    return response
