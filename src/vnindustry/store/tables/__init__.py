"""The store's tables, as SQLAlchemy Core ``Table`` objects in one ``METADATA``: the schema, in one place.

The store's own modules (store/repository.py, observed.py, trade.py, linkage.py, linkage_events.py, locks.py) and
the seasonal adjustment's (analysis/seasonal/stored.py) build their statements — reads and writes — on these, so a
command such as a bulletin or ``adjust --all`` never imports SQLAlchemy's ORM (issue 16: the ORM and the 36
declarative classes were ~0.1 s of every such command's start-up). The ORM classes in :mod:`vnindustry.store.models`
map these very tables (``__table__``) and add only relationships; the portal's modules still build statements from
their attributes (no code uses ORM sessions), which is the same SQL.

Schema changes go through Alembic migrations (store/migrations), grouped by what the tables hold as below."""

from vnindustry.store.tables.accounts import LOGIN_FAILURES, LOGIN_THROTTLE, SESSIONS, USER_ROLES, USERS
from vnindustry.store.tables.connect import CONNECT_PACKAGES, CONNECT_REQUESTS, CONNECT_STEPS
from vnindustry.store.tables.linkage import NEED_INTRODUCTIONS, SOURCING_NEEDS, SUPPLIER_PROFILES
from vnindustry.store.tables.linkage_events import (
    BUYER_PURCHASES,
    BUYER_TARGETS,
    EVENT_MEETINGS,
    EVENT_REGISTRATIONS,
    LINKAGE_EVENT_VERSIONS,
    LINKAGE_EVENTS,
    MEETING_OUTCOMES,
    MEETING_REQUESTS,
    PURCHASE_BATCHES,
)
from vnindustry.store.tables.metadata import METADATA
from vnindustry.store.tables.register import ENTERPRISE_PRODUCTS, ENTERPRISES, PRODUCTS, REPORT_LINES, REPORTS
from vnindustry.store.tables.review import AUDIT_LOG, INDUSTRIES, INDUSTRY_GROUPS, MONTH_CLOSURES
from vnindustry.store.tables.series import (
    ADJUSTMENT_SPECS,
    OBSERVATIONS,
    RELEASE_INPUTS,
    RELEASES,
    SERIES,
    SUPPRESSIONS,
)
from vnindustry.store.tables.trade import KEY_PRODUCT_RUNS, TRADE_FLOWS

__all__ = [
    "ADJUSTMENT_SPECS",
    "AUDIT_LOG",
    "BUYER_PURCHASES",
    "BUYER_TARGETS",
    "CONNECT_PACKAGES",
    "CONNECT_REQUESTS",
    "CONNECT_STEPS",
    "ENTERPRISES",
    "ENTERPRISE_PRODUCTS",
    "EVENT_MEETINGS",
    "EVENT_REGISTRATIONS",
    "INDUSTRIES",
    "INDUSTRY_GROUPS",
    "KEY_PRODUCT_RUNS",
    "LINKAGE_EVENTS",
    "LINKAGE_EVENT_VERSIONS",
    "LOGIN_FAILURES",
    "LOGIN_THROTTLE",
    "MEETING_OUTCOMES",
    "MEETING_REQUESTS",
    "METADATA",
    "MONTH_CLOSURES",
    "NEED_INTRODUCTIONS",
    "OBSERVATIONS",
    "PRODUCTS",
    "PURCHASE_BATCHES",
    "RELEASES",
    "RELEASE_INPUTS",
    "REPORTS",
    "REPORT_LINES",
    "SERIES",
    "SESSIONS",
    "SOURCING_NEEDS",
    "SUPPLIER_PROFILES",
    "SUPPRESSIONS",
    "TRADE_FLOWS",
    "USERS",
    "USER_ROLES",
]
