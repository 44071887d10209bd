"""SQLAlchemy 2 models of the store. Schema changes go through Alembic migrations (store/migrations)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Release(Base):
    """One publication: a workbook, a history backfill, a compile run. Its observations are a vintage."""

    __tablename__ = "releases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))  # gso, gso-history, city …
    file: Mapped[str] = mapped_column(Text)  # file or dataset name as given
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the content
    reference_period: Mapped[str | None] = mapped_column(String(10))
    released_on: Mapped[dt.date] = mapped_column(Date)  # the vintage date used by "as of" queries
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    # Made by the demo generator, or computed from such a release (issue 13): shown as "dữ liệu giả lập".
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    observations: Mapped[list[Observation]] = relationship(back_populates="release")

    __table_args__ = (UniqueConstraint("source", "checksum", name="uq_release_source_checksum"),)


class ReleaseInput(Base):
    """Lineage: release ``release_id`` was computed from release ``input_release_id`` (issue 12). A derived
    release is dated no earlier than its latest input, so it is never public before any figure it uses."""

    __tablename__ = "release_inputs"
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), primary_key=True)
    input_release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), primary_key=True)

    __table_args__ = (Index("ix_release_inputs_input", "input_release_id"),)


class Series(Base):
    """A published series: one row label of one table of one source (e.g. gso/iip/C)."""

    __tablename__ = "series"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # source/table/code
    source: Mapped[str] = mapped_column(String(40))
    table_name: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(120))
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(60), default="")
    frequency: Mapped[str] = mapped_column(String(1), default="M")
    # Place in its table's hierarchy: kind total/industry/group/item, level (0 = total), parent code.
    kind: Mapped[str] = mapped_column(String(12), default="item")
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    parent: Mapped[str] = mapped_column(String(120), default="")
    observations: Mapped[list[Observation]] = relationship(back_populates="series")


class Observation(Base):
    """A value of a series for a period and measure, as published by one release."""

    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    period: Mapped[str] = mapped_column(String(10))
    measure: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float(precision=53))
    status: Mapped[str] = mapped_column(String(12))
    # The figure's own unit: one series may mix units (trade value in triệu USD, quantity in nghìn tấn).
    unit: Mapped[str] = mapped_column(String(60), default="")
    provenance: Mapped[str] = mapped_column(Text, default="")
    series: Mapped[Series] = relationship(back_populates="observations")
    release: Mapped[Release] = relationship(back_populates="observations")

    __table_args__ = (
        UniqueConstraint("series_id", "period", "measure", "release_id", name="uq_observation_vintage"),
        Index("ix_observation_lookup", "series_id", "measure", "period"),
    )


class AdjustmentSpec(Base):
    """The frozen X-13 spec of a series' seasonal adjustment (re-used monthly, replaced at the annual review)."""

    __tablename__ = "adjustment_specs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_key: Mapped[str] = mapped_column(String(200), index=True)  # the original series
    spec: Mapped[str] = mapped_column(Text)  # AdjustSpec.to_json()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), nullable=True)


class Suppression(Base):
    """A confidential cell: the series' figures for the period are withheld (flag ``c``) from the public, in
    every vintage — once suppressed, always suppressed (docs/architecture.md, "Confidentiality")."""

    __tablename__ = "suppressions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    period: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(12))  # primary (threshold/dominance) or secondary
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))  # the release that first required it

    __table_args__ = (UniqueConstraint("series_id", "period", name="uq_suppression_cell"),)


# -- The register and the reports (issue 6: the collection portal) ------------------------------------------
# Enterprises and products are the register (updated in place); reports are never changed: a changed report
# is a new version of its (enterprise, period), the old versions kept. docs/dataset-format.md, "import-dataset".


class Enterprise(Base):
    """A reporting enterprise (the register): from enterprises.csv, or known only by its production rows."""

    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    industry: Mapped[str] = mapped_column(String(120), default="")  # a code of the industry tree, or ""
    district: Mapped[str] = mapped_column(Text, default="")
    ownership: Mapped[str] = mapped_column(Text, default="")


class Product(Base):
    """A product of the production survey: its leaf industry, unit, base-year weight and monthly mean quantity."""

    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    industry: Mapped[str] = mapped_column(String(120))
    name_vi: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(60), default="")
    weight: Mapped[float] = mapped_column(Float(precision=53))
    base_quantity: Mapped[float] = mapped_column(Float(precision=53))


class EnterpriseProduct(Base):
    """An enterprise reports a product: derived from its production history (first and last month reported)."""

    __tablename__ = "enterprise_products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    first_period: Mapped[str] = mapped_column(String(7))
    last_period: Mapped[str] = mapped_column(String(7))

    __table_args__ = (UniqueConstraint("enterprise_code", "product_code", name="uq_enterprise_product"),)


class Report(Base):
    """One version of an enterprise's monthly report. Versions start at 1; a changed report is a new version
    (the old ones kept), the same content again (same checksum) is not stored again."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str] = mapped_column(Text)  # a user name, or "import"
    source: Mapped[str] = mapped_column(String(12))  # import, portal, excel
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the normalized lines (register.report_checksum)
    status: Mapped[str] = mapped_column(String(12))  # submitted, accepted …
    lines: Mapped[list[ReportLine]] = relationship(back_populates="report")

    __table_args__ = (
        UniqueConstraint("enterprise_code", "period", "version", name="uq_report_version"),
        Index("ix_report_period", "period"),
    )


class ReportLine(Base):
    """A product's quantity in one report version (in the product's unit), with the reporter's comment."""

    __tablename__ = "report_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    quantity: Mapped[float] = mapped_column(Float(precision=53))
    comment: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[Report] = relationship(back_populates="lines")

    __table_args__ = (UniqueConstraint("report_id", "product_code", name="uq_report_line"),)


# -- Accounts, sessions and login throttling (issue 6: the portal's users) ----------------------------------
# portal/accounts.py is the one module that writes these tables. Passwords are argon2id hashes; a session's
# token is stored only as its sha256, so a copy of the database opens no session.

from sqlalchemy import CheckConstraint  # noqa: E402  (appended with these models)

USER_ROLES = ("enterprise", "statistician", "admin")


class User(Base):
    """A portal account: an enterprise's reporter (only its own reports), a statistician or an admin."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)  # lower case (portal.accounts)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(20))  # enterprise, statistician, admin
    enterprise_code: Mapped[str | None] = mapped_column(ForeignKey("enterprises.code"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("role IN ('enterprise', 'statistician', 'admin')", name="ck_user_role"),
        CheckConstraint("role <> 'enterprise' OR enterprise_code IS NOT NULL", name="ck_user_enterprise"),
    )


class UserSession(Base):
    """A server-side login session: deleted at logout, refused after ``expires_at``."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    csrf_token: Mapped[str] = mapped_column(String(64))  # sent back as X-CSRF-Token on state changes


class LoginFailure(Base):
    """A failed login, kept for the throttle window: too many per user name or per client address → 429."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150))  # as tried (lower case), whether or not it exists
    client: Mapped[str] = mapped_column(String(64))  # the peer's IP address
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_login_failure_username", "username", "failed_at"),
        Index("ix_login_failure_client", "client", "failed_at"),
    )


class LoginThrottle(Base):
    """The login throttle's counters (issue 12): failures of a user name (``u`` + name) and of a user name from one
    address (``a`` + name + address) since the last success, with the time of the latest. Read and updated under
    the user name's lock in the transaction that admits an attempt (portal/accounts.py), before the password is
    verified, so concurrent attempts cannot all pass the check."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(240), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# -- Review, audit and month closing (issue 6: the statisticians' side) -------------------------------------
# portal/review.py is the one module that writes these tables. The audit log is append-only: every accept,
# correction and closing of a month, who did it, when and why (a correction also keeps the old value, and the
# report it corrected stays as an older version).


class AuditEntry(Base):
    """One reviewing action: ``accept`` or ``correct`` a flagged value, ``close`` a month (forced or not); or
    (issue 12) an account event: ``login``, ``login_failed``, ``logout`` and the admins' actions on users."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(20))  # accept, correct, close
    period: Mapped[str] = mapped_column(String(7))
    enterprise_code: Mapped[str | None] = mapped_column(String(120), nullable=True)
    product_code: Mapped[str | None] = mapped_column(String(120), nullable=True)
    old_value: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    new_value: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Issue 12: accounts are audited too (logins, failed logins, logouts, admin actions; ``period`` "" for them):
    # the account acted upon and the client's address (as the trusted-proxy rule resolved it).
    subject: Mapped[str | None] = mapped_column(String(150), nullable=True)
    client: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (Index("ix_audit_period", "period", "enterprise_code", "product_code"),
                      Index("ix_audit_action_at", "action", "at"))


class MonthClosure(Base):
    """A closed month: reports can no longer change; its compile is stored as release ``release_id``, to be
    published on ``publish_on``."""

    __tablename__ = "month_closures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str] = mapped_column(String(150))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), nullable=True)
    publish_on: Mapped[dt.date] = mapped_column(Date)


class RegisterIndustry(Base):
    """The industry tree of the register (industries.csv: code, parent, names, base-year weight), so a closed
    month can be compiled from the store alone."""

    __tablename__ = "industries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    parent: Mapped[str | None] = mapped_column(String(120), nullable=True)  # None for the root
    name_vi: Mapped[str] = mapped_column(Text, default="")
    name_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the line order of industries.csv


class RegisterGroup(Base):
    """A member of a special aggregate (groups.csv: group, names, industry), in the file's order."""

    __tablename__ = "industry_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_code: Mapped[str] = mapped_column(String(120))
    name_vi: Mapped[str] = mapped_column(Text, default="")
    name_en: Mapped[str] = mapped_column(Text, default="")
    industry: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("group_code", "industry", name="uq_industry_group_member"),)


# -- Trade flows and key-product scoring runs (issue 7) -----------------------------------------------------
# store/trade.py is the one module that writes these tables. Each import / scoring run is a release, so the
# embargo and "a later release revises" work as for observations.


class TradeFlow(Base):
    """One trade flow (analysis.trade FLOW_COLUMNS) as published by one release."""

    __tablename__ = "trade_flows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY or YYYY-MM
    exporter: Mapped[str] = mapped_column(String(40))
    importer: Mapped[str] = mapped_column(String(40))  # WLD = all destinations
    product: Mapped[str] = mapped_column(String(40))  # HS code (leading zeros kept) or a GSO commodity group
    value: Mapped[float] = mapped_column(Float(precision=53))
    quantity: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)

    __table_args__ = (
        UniqueConstraint("release_id", "period", "exporter", "importer", "product", name="uq_trade_flow"),
        Index("ix_trade_flow_market", "period", "importer", "product"),
        Index("ix_trade_flow_exporter", "exporter", "period"),
    )


class KeyProductRun(Base):
    """A stored key-product scoring: the frozen spec and the full result (ranking, weights, sensitivity), JSON."""

    __tablename__ = "key_product_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), unique=True)
    title: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(150))
    method: Mapped[str] = mapped_column(String(20))  # topsis, wsm …
    cr: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)  # None for direct weights
    spec: Mapped[str] = mapped_column(Text)  # ScoringSpec.to_json()
    result: Mapped[str] = mapped_column(Text)  # {"table": […], "weights": […], "ahp": {…}, "sensitivity": […]}


# -- supporting-industry linkage (issue 14) -----------------------------------------------------------------------
# store/linkage.py is the one module that writes these tables. A profile or a need is never updated in place:
# a change is a new version (the older ones kept), so nothing an enterprise submitted is lost.


class SupplierProfile(Base):
    """One version of a supplier's profile (what it makes, processes, certifications, capacity, text), JSON."""

    __tablename__ = "supplier_profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    version: Mapped[int] = mapped_column(Integer)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)  # listed in the public directory
    data: Mapped[str] = mapped_column(Text)  # linkage.stored.profile_json
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("enterprise_code", "version", name="uq_supplier_profile_version"),)


class SourcingNeed(Base):
    """One version of a buyer's sourcing need (nhu cầu tìm nhà cung cấp), JSON; ``status`` open or closed."""

    __tablename__ = "sourcing_needs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120))
    buyer_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")
    data: Mapped[str] = mapped_column(Text)  # linkage.stored.need_json
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("code", "version", name="uq_sourcing_need_version"),
                      Index("ix_sourcing_need_buyer", "buyer_code"))


# -- linkage events, outcomes and localisation (issue 14, items 4 and 5) ------------------------------------------
# store/linkage_events.py is the one module that writes these tables. A new schedule of an event is a new
# schedule_version, an outcome report or a purchase declaration a new row or batch: the older ones are kept.


class LinkageEvent(Base):
    """A matchmaking event: its day, name and venue, and the whole event folder (slots, tables, participants,
    requests) as JSON (linkage.stored_events.event_json)."""

    __tablename__ = "linkage_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    date: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text)
    venue: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class EventMeeting(Base):
    """A meeting of one schedule version of an event; ``slot_start`` is the event's local time, as the folder
    writes it."""

    __tablename__ = "event_meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    schedule_version: Mapped[int] = mapped_column(Integer)
    buyer_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    slot: Mapped[str] = mapped_column(String(120))
    table_id: Mapped[str] = mapped_column(String(120))
    slot_start: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("event_code", "schedule_version", "buyer_code", "supplier_code",
                                       name="uq_event_meeting"),)


class MeetingOutcome(Base):
    """One report of what came of a meeting at one stage (meeting, 3m, 6m); the latest by id of each (event,
    buyer, supplier, stage) counts."""

    __tablename__ = "meeting_outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    buyer_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(10))
    result: Mapped[str] = mapped_column(String(20))
    po_value: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)  # VND, of an agreement
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reported_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_meeting_outcome_key", "event_code", "buyer_code", "supplier_code", "stage"),)


class PurchaseBatch(Base):
    """One buyer's purchases as declared in one file; the same file again (its checksum) stores nothing."""

    __tablename__ = "purchase_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buyer_code: Mapped[str] = mapped_column(String(120))
    file: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the file
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("buyer_code", "checksum", name="uq_purchase_batch_checksum"),)


class BuyerPurchase(Base):
    """A declared input purchase (a buyer's month, one supplier, one HS code, VND); the latest batch covering a
    (buyer, period) is the one that counts."""

    __tablename__ = "buyer_purchases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("purchase_batches.id"))
    buyer_code: Mapped[str] = mapped_column(String(120))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    supplier: Mapped[str] = mapped_column(String(120))
    hs: Mapped[str] = mapped_column(String(6))
    value: Mapped[float] = mapped_column(Float(precision=53))
    located_in_vn: Mapped[bool] = mapped_column(Boolean)
    vn_owned: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_buyer_purchase_period", "buyer_code", "period", "batch_id"),)


class BuyerTarget(Base):
    """A buyer's localisation target (% of input value bought in Viet Nam) as set on a day; the latest wins."""

    __tablename__ = "buyer_targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buyer_code: Mapped[str] = mapped_column(String(120))
    target_pct: Mapped[float] = mapped_column(Float(precision=53))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    set_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_buyer_target_buyer", "buyer_code"),)


class LinkageEventVersion(Base):
    """An earlier state of a matchmaking event, kept when the organiser's folder changes (issue 14): the event's
    row holds the latest, this table every state it replaced, so nothing submitted is lost."""

    __tablename__ = "linkage_event_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    date: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text)
    venue: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[str] = mapped_column(String(150))


class MeetingRequest(Base):
    """A meeting asked for through the portal at an event: who asked (buyer or supplier side), whom, with what
    priority; withdrawing it is a later row with ``withdrawn`` true (the latest row of a pair and side counts)."""

    __tablename__ = "meeting_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    buyer_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    requested_by: Mapped[str] = mapped_column(String(10))  # buyer or supplier
    priority: Mapped[int] = mapped_column(Integer)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_meeting_request_event", "event_code", "buyer_code", "supplier_code"),)


class NeedIntroduction(Base):
    """The Department introduced a supplier to the buyer of a need (brokered the contact): from then on the
    supplier sees who the buyer is. Rows are never deleted; withdrawing an introduction is a later row."""

    __tablename__ = "need_introductions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_code: Mapped[str] = mapped_column(String(120))
    supplier_code: Mapped[str] = mapped_column(String(120))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_need_introduction", "need_code", "supplier_code"),)


# -- business connection requests (issue 14, item 6) ---------------------------------------------------------------
# linkage/stored_connect.py is the one module that writes these tables. A package is versioned like a profile; a
# request is written once; its life is a list of steps (routed, approved, rejected, disbursed, withdrawn), appended,
# never changed — so the counts can always be recomputed from what was recorded.


class ConnectPackage(Base):
    """One version of a bank's registered credit package, or (``bank`` empty) an online trade connection
    programme: the sectors it serves, the amount range and the longest tenor it lends, its validity."""

    __tablename__ = "connect_packages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    bank: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    sectors: Mapped[str] = mapped_column(Text)  # ";"-separated linkage.connect.SECTORS
    min_amount: Mapped[float] = mapped_column(Float(precision=53))
    max_amount: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)  # None: no ceiling
    max_tenor_months: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("code", "version", name="uq_connect_package_version"),)


class ConnectRequest(Base):
    """An enterprise's connection request: to an industry association, to online trade connection, or for a
    loan (amount in VND, tenor in months, purpose). Written once; what happens to it is in its steps."""

    __tablename__ = "connect_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    kind: Mapped[str] = mapped_column(String(20))  # linkage.connect.KINDS
    sector: Mapped[str] = mapped_column(String(40))
    amount: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    tenor_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    purpose: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_connect_request_enterprise", "enterprise_code"),)


class ConnectStep(Base):
    """One step of a request's life, at the programme ``to_code`` (a package or an association; empty for the
    whole request, as a withdrawal): routed (with the reason), approved, rejected, disbursed (a tranche)."""

    __tablename__ = "connect_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_code: Mapped[str] = mapped_column(ForeignKey("connect_requests.code"))
    at: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # linkage.connect.STATUSES
    to_code: Mapped[str] = mapped_column(String(120))
    to_name: Mapped[str] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    reason_vi: Mapped[str] = mapped_column(Text)
    reason_en: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(150))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_connect_step_request", "request_code"),)


class EventRegistration(Base):
    """An enterprise registered itself for a matchmaking event through the portal, as a buyer or a supplier,
    with the languages it speaks; withdrawing is a later row (the latest row of an event and enterprise counts).
    Registrants join the organiser's participants when the event is read (linkage.stored_events.load_event)."""

    __tablename__ = "event_registrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_code: Mapped[str] = mapped_column(ForeignKey("linkage_events.code"))
    enterprise_code: Mapped[str] = mapped_column(ForeignKey("enterprises.code"))
    role: Mapped[str] = mapped_column(String(10))  # buyer or supplier
    languages: Mapped[str] = mapped_column(String(60))  # ";"-separated ISO 639-1 codes
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(150))

    __table_args__ = (Index("ix_event_registration", "event_code", "enterprise_code"),)
