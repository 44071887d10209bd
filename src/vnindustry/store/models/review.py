"""Review, audit and month closing: the audit log, the closed months, and the industry tree (and special
aggregates) of the register stored for compiling a closed month.

The ORM classes of the tables in :mod:`vnindustry.store.tables.review` (their columns are the tables)."""

from __future__ import annotations

from vnindustry.store.models.base import Base
from vnindustry.store.tables.review import AUDIT_LOG, INDUSTRIES, INDUSTRY_GROUPS, MONTH_CLOSURES


class AuditEntry(Base):
    """One reviewing action: ``accept`` or ``correct`` a flagged value, ``close`` a month (forced or not); or
    (issue 12) an account event: ``login``, ``login_failed``, ``logout`` and the admins' actions on users."""

    __table__ = AUDIT_LOG


class MonthClosure(Base):
    """A closed month: reports can no longer change; its compile is stored as release ``release_id``, to be
    published on ``publish_on``."""

    __table__ = MONTH_CLOSURES


class RegisterIndustry(Base):
    """The industry tree of the register (industries.csv: code, parent, names, base-year weight), so a closed
    month can be compiled from the store alone."""

    __table__ = INDUSTRIES


class RegisterGroup(Base):
    """A member of a special aggregate (groups.csv: group, names, industry), in the file's order."""

    __table__ = INDUSTRY_GROUPS
