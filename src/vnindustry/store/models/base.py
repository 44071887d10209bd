"""The declarative base of the store's ORM classes. Its ``metadata`` is the tables' ``METADATA``
(store/tables/metadata.py): the classes map those tables, and Alembic's target (store/migrations/env.py) holds every
table whether or not the ORM is imported."""

from sqlalchemy.orm import DeclarativeBase

from vnindustry.store.tables.metadata import METADATA


class Base(DeclarativeBase):
    metadata = METADATA
