"""The public data API (FastAPI): the store's series, observations and releases over HTTP.

    from vnindustry.web import create_app
    app = create_app(db_url="sqlite:///vnindustry.db")   # or create_app(store)

Routes live under ``/api/v1`` (see :mod:`vnindustry.web.api`); every error is ``application/problem+json``.
"""

from vnindustry.web.app import create_app

__all__ = ["create_app"]
