"""SQLAlchemy 2 ORM classes of the store's tables. Schema changes go through Alembic migrations (store/migrations).

The tables themselves — columns, constraints, indexes — are Core ``Table`` objects in :mod:`vnindustry.store.tables`;
each class here maps one (``__table__``) and adds only relationships. ``Base.metadata`` is the tables' ``METADATA``,
so it holds every table whether or not this package is imported. The classes are grouped by what they hold, and
every one is importable from here (``from vnindustry.store.models import Release``)."""

from vnindustry.store.models.accounts import LoginFailure, LoginThrottle, User, UserSession
from vnindustry.store.models.base import Base
from vnindustry.store.models.connect import ConnectPackage, ConnectRequest, ConnectStep
from vnindustry.store.models.linkage import NeedIntroduction, SourcingNeed, SupplierProfile
from vnindustry.store.models.linkage_events import (
    BuyerPurchase,
    BuyerTarget,
    EventMeeting,
    EventRegistration,
    LinkageEvent,
    LinkageEventVersion,
    MeetingOutcome,
    MeetingRequest,
    PurchaseBatch,
)
from vnindustry.store.models.register import Enterprise, EnterpriseProduct, Product, Report, ReportLine
from vnindustry.store.models.review import AuditEntry, MonthClosure, RegisterGroup, RegisterIndustry
from vnindustry.store.models.series import (
    AdjustmentSpec,
    Observation,
    Release,
    ReleaseInput,
    ReleaseSeries,
    Series,
    Suppression,
)
from vnindustry.store.models.trade import KeyProductRun, TradeFlow
from vnindustry.store.tables.accounts import USER_ROLES

__all__ = [
    "USER_ROLES",
    "AdjustmentSpec",
    "AuditEntry",
    "Base",
    "BuyerPurchase",
    "BuyerTarget",
    "ConnectPackage",
    "ConnectRequest",
    "ConnectStep",
    "Enterprise",
    "EnterpriseProduct",
    "EventMeeting",
    "EventRegistration",
    "KeyProductRun",
    "LinkageEvent",
    "LinkageEventVersion",
    "LoginFailure",
    "LoginThrottle",
    "MeetingOutcome",
    "MeetingRequest",
    "MonthClosure",
    "NeedIntroduction",
    "Observation",
    "Product",
    "PurchaseBatch",
    "RegisterGroup",
    "RegisterIndustry",
    "Release",
    "ReleaseInput",
    "ReleaseSeries",
    "Report",
    "ReportLine",
    "Series",
    "SourcingNeed",
    "SupplierProfile",
    "Suppression",
    "TradeFlow",
    "User",
    "UserSession",
]
