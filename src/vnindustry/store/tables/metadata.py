"""The store's one ``MetaData``: every table of :mod:`vnindustry.store.tables` is in it, and the ORM's ``Base``
(store/models/base.py) uses it, so that Alembic's migrations (store/migrations/env.py) and
``METADATA.create_all`` see every table."""

from sqlalchemy import MetaData

METADATA = MetaData()
