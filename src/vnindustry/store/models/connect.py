"""Business connection requests: the credit packages and programmes, the requests and their steps.

The ORM classes of the tables in :mod:`vnindustry.store.tables.connect` (their columns are the tables)."""

from __future__ import annotations

from vnindustry.store.models.base import Base
from vnindustry.store.tables.connect import CONNECT_PACKAGES, CONNECT_REQUESTS, CONNECT_STEPS


class ConnectPackage(Base):
    """One version of a bank's registered credit package, or (``bank`` empty) an online trade connection
    programme: the sectors it serves, the amount range and the longest tenor it lends, its validity."""

    __table__ = CONNECT_PACKAGES


class ConnectRequest(Base):
    """An enterprise's connection request: to an industry association, to online trade connection, or for a
    loan (amount in VND, tenor in months, purpose). Written once; what happens to it is in its steps."""

    __table__ = CONNECT_REQUESTS


class ConnectStep(Base):
    """One step of a request's life, at the programme ``to_code`` (a package or an association; empty for the
    whole request, as a withdrawal): routed (with the reason), approved, rejected, disbursed (a tranche)."""

    __table__ = CONNECT_STEPS
