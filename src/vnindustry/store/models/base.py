"""The declarative base of the store's models: one ``Base``, so one ``Base.metadata`` holds every table (the
target of Alembic's migrations, store/migrations/env.py)."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
