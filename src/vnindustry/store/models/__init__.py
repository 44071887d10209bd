"""SQLAlchemy 2 models of the store. Schema changes go through Alembic migrations (store/migrations).

One declarative ``Base`` (models/base.py) holds every table in ``Base.metadata``; the models are grouped by what
they hold, and every one is importable from here (``from vnindustry.store.models import Release``). Importing
this package registers every table, as the migrations and ``Base.metadata.create_all`` need."""

from vnindustry.store.models.accounts import USER_ROLES, LoginFailure, LoginThrottle, User, UserSession
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
from vnindustry.store.models.series import AdjustmentSpec, Observation, Release, ReleaseInput, Series, Suppression
from vnindustry.store.models.trade import KeyProductRun, TradeFlow

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
