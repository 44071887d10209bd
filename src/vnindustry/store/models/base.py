"""The declarative base of the store's ORM classes. Its ``metadata`` is the tables' ``METADATA``
(store/tables/metadata.py): the classes map those tables, and Alembic's target (store/migrations/env.py) holds every
table whether or not the ORM is imported."""

from typing import Any

from sqlalchemy.orm import DeclarativeBase

from vnindustry.store.tables.metadata import METADATA


class Base(DeclarativeBase):
    metadata = METADATA

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A class mapping a table (``__table__``) keeps the ``__tablename__`` the declarative classes had, for
        # the scripts that name tables by it.
        if "__table__" in cls.__dict__ and "__tablename__" not in cls.__dict__:
            cls.__tablename__ = cls.__table__.name
        super().__init_subclass__(**kwargs)
