"""The app factory: one FastAPI app on one store, errors as problem+json, rate-limited, no CDN assets."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from vnindustry import __version__ as VERSION
from vnindustry import settings
from vnindustry.store import Store, open_store
from vnindustry.web import (
    admin,
    api,
    auth,
    connect_portal,
    excel_reports,
    linkage_pages,
    linkage_portal,
    origin_pages,
    pages,
    portal_pages,
    problems,
    reports,
    review,
    review_pages,
    suppliers,
    trade_pages,
)
from vnindustry.web.competitiveness import register as register_competitiveness
from vnindustry.web.limits import BodyLimitMiddleware
from vnindustry.web.ratelimit import RateLimitMiddleware
from vnindustry.web.textcheck import ControlCharacterMiddleware
from vnindustry.web.textcheck import document as document_422


def create_app(store: Store | None = None, *, db_url: str | None = None, workers: int = 1) -> FastAPI:
    """The data API on ``store``, or on the store at ``db_url`` (default: the ``db`` setting).

    Limits come from the settings table (``api_*``, environment ``VNINDUSTRY_API_*``), read here once.
    With no arguments it suits ``uvicorn --factory vnindustry.web.app:create_app`` (one process; for several,
    ``vnindustry serve --workers N`` or :func:`vnindustry.web.serving.create_served_app`). ``workers``: the
    processes serving this app on one socket; each allows 1/workers of the per-client rate limit.
    """
    if store is None:
        store = open_store(db_url)
    # Everything served is public: confidential figures withheld and flagged c (store/disclosure.py).
    if not store.public:
        store = store.public_view()
    # FastAPI's Swagger UI and ReDoc load their scripts from a CDN: both are off; /api/v1/docs is our own
    # static page built from the OpenAPI document.
    app = FastAPI(title="vnindustry data API", version=VERSION,
                  description="Monthly industry and trade statistics: series, observations (JSON, CSV, XLSX, "
                              "SDMX-CSV 2.0, JSON-stat 2.0), releases. Errors are application/problem+json.",
                  openapi_url=f"{api.PREFIX}/openapi.json", docs_url=None, redoc_url=None)
    state = api.ApiState.create(store)
    app.state.api = state
    problems.install(app)
    api.register(app)
    auth.register(app)  # the portal's login, logout and me (/api/v1/auth)
    reports.register(app)  # enterprises' monthly reports (/api/v1/enterprises/{id}/reports)
    review.register(app)  # statisticians' review: response, queue, audit, close (/api/v1/review)
    admin.register(app)  # admins: the portal's users (/api/v1/admin/users)
    excel_reports.register(app)  # the enterprise's Excel template and its upload
    portal_pages.register(app)  # the portal's pages: login, the enterprise's form, upload, receipt (/portal)
    review_pages.register(app)  # the statisticians' and admins' pages: months, review, close, audit (/portal)
    linkage_portal.register(app)  # issue 14: an enterprise's supplier profile, needs and matches (/portal)
    connect_portal.register(app)  # issue 14, item 6: connection requests to associations, e-commerce, banks

    @app.get(f"{api.PREFIX}/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        return api.docs_page(request.app.openapi())

    register_competitiveness(app)  # issue 7: /competitiveness, /key-products and their API routes
    pages.register(app)  # the dashboard: /, /industries, /about, /releases and /static
    trade_pages.register(app)  # the dashboard's /trade
    suppliers.register(app)  # issue 14: the public supplier directory (/suppliers, /api/v1/suppliers)
    origin_pages.register(app)  # issue 15: EVFTA rules of origin (/origin, /api/v1/origin/…)
    linkage_pages.register(app)  # issue 14: /linkage/outcomes (+ API), /portal/linkage/localisation (office)

    app.add_middleware(ControlCharacterMiddleware)  # issue 12: NUL & co. → 422 on every route (inside the body limit)
    document_422(app)  # … and the OpenAPI document says so
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.get("max_body_bytes"))
    app.add_middleware(RateLimitMiddleware, per_minute=state.rate_limit, workers=workers)  # added last: runs first
    return app
