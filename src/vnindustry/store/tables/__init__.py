"""The store's tables, as SQLAlchemy Core ``Table`` objects in one ``METADATA``: the schema, in one place.

Every statement the package runs — reads and writes, in the store's modules, the portal, the linkage and the
seasonal adjustment — is built on these, and the migrations' target is ``METADATA``: no command imports
SQLAlchemy's ORM (issue 16: the ORM and the 36 declarative classes were ~0.1 s of the start-up of every command
on the store, a bulletin or ``adjust --all`` among them). The ORM classes in :mod:`vnindustry.store.models` map
these very tables (``__table__``) and add only relationships, for scripts and tests that prefer them.

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
    RELEASE_SERIES,
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
    "RELEASE_SERIES",
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
