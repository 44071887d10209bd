"""The statisticians' side of the portal (issue 6): response, the review queue, the audit log, closing a month.

No HTTP here (that is :mod:`vnindustry.web.review`): every function takes the store's engine (or a
:class:`~vnindustry.store.Store`), and each write is one transaction.

- **Response** (:func:`response`): for month M, the enterprises *expected* are those with a report in any of
  the three months before M; the rate is the share of them with a report for M, overall, by industry and by
  district (the register's ``enterprises`` table). The follow-up list names the expected enterprises still
  missing, with the last month each reported. Enterprises reporting M without being expected (new ones, or
  back after a long gap) are counted apart (``unexpected``).
- **Review queue** (:func:`queue`): the lines of M's latest report versions whose value is unusual by the
  portal's unit-slip rule (≥ ``ratio`` × or ≤ 1/``ratio`` of the median of the enterprise's last 12 reported
  months of the product, latest versions, months before M; :func:`vnindustry.portal.reports._reference`).
  A line from the portal or an Excel upload was confirmed by the enterprise (``kind`` ``confirmed``); one
  that came by import was not (``unconfirmed``). Each item is ``open``, ``accepted`` or ``corrected``: the
  latest accept/correct in the audit log whose value is still the current one decides; a value changed
  since (the enterprise sent another version) is open again. A corrected item stays listed even when the
  corrected value is no longer unusual.
- **Accept** (:func:`accept`) records the decision with a note. **Correct** (:func:`correct`) stores a new
  version of the report — every line as it was, the product's quantity replaced, its comment saying who
  corrected it and why; source ``portal``, ``submitted_by`` the statistician — the original versions kept,
  and the audit log gets who, when, the old and new value and the reason, in the same transaction.
- **Closing** (:func:`close_month`) is one guarded, atomic step. Refused, each naming the fix: a month that has not
  ended or whose reporting window has not opened (:func:`closable_from`, setting ``close_opens_day``;
  :class:`MonthNotOver`), a month nobody reported (:class:`NoReports`), a month closed already or published by
  another release — months the store publishes (the demo's history) count as closed — (:class:`AlreadyClosed`), a
  month behind a later published one (:class:`PublishedLater`: revisions go through :func:`revise_month`), a close
  that would skip earlier open months unless each is closed or skipped with a reason (``skip``, audited as ``skip``;
  :class:`OpenMonthsBefore`, :func:`months_to_skip`), a publication date before today in Vietnam
  (:class:`PublishDatePast`); and, unless forced with a reason (logged), open queue items (:class:`OpenItems`) or a
  response below ``close_min_response`` by base-year value (:func:`weighted_response`, :class:`LowResponse`). The
  closure, its audit rows and the release commit in **one transaction**: the store's latest report versions up to M
  are read on the close's own connection, written as a dataset folder (docs/dataset-format.md) in a temporary
  directory, compiled (:func:`vnindustry.compile.compile_dataset`) and stored (``store_compile(conn=…)``, status
  ``estimate``, ``released_on`` = the publication date, named "city compile to M"). The release holds M and, as new
  vintages, the earlier closed or published months — never a skipped month nor one nobody reported. A crash (kill -9)
  anywhere leaves the month open with nothing; a closure without a release left by the old two-step close is found and
  reopened (audited) by the next close, revision or :func:`recover_closures`.
  No late submission can slip past the closure: on PostgreSQL the closure takes the month's advisory lock
  exclusive (:func:`vnindustry.store.locks.lock_month`) and every writer of the month (``submit_report``,
  :func:`accept`, :func:`correct`) takes it shared and checks the closure in its own transaction; on SQLite all
  of them start with ``BEGIN IMMEDIATE``. So a report is either committed before the closure (and compiled) or
  refused (``month_closed``).
- **Vintages**: a month's figures are stored anew with every later compile — the next month's closing compiles
  every month up to it, and :func:`revise_month` recompiles a closed month — each as a new release; the earlier
  releases stay (``Store.observations(as_of=…, vintage=…)``). In such a compile the last month carries its
  status (``estimate`` at its closing) and every earlier month ``actual`` (``compile_records``' rule). Statisticians
  can still correct a closed month (:func:`correct`, audited as ``revise``); enterprises cannot. A release is never
  dated before the publication of a closed month it carries (the embargo would leak).
- The register has no industry tree of its own from ``import_dataset`` (migration 0004 stores enterprises
  and products only): :func:`import_tree` stores a dataset folder's ``industries.csv`` (and ``groups.csv``)
  in the ``industries`` and ``industry_groups`` tables (migration 0006), which the close needs.

The package, by what each module holds: :mod:`.refusals` (the :class:`ReviewError` kinds, the month and reason
checks), :mod:`.clock`, :mod:`.reading` (connections, the latest report versions), :mod:`.month_state` (closed,
published, reported months; :func:`closable_from`), :mod:`.response_counts`, :mod:`.review_queue`, :mod:`.audit`,
:mod:`.decisions` (accept, correct), :mod:`.industry_tree`, :mod:`.dataset_folder` (:func:`write_dataset`),
:mod:`.closing` and :mod:`.revision`. Every name is importable from here, as before the split.
"""

from __future__ import annotations

from vnindustry.errors import InputError as InputError  # re-exported, as before the split
from vnindustry.portal.review.audit import (
    AUDIT_ACTIONS as AUDIT_ACTIONS,
)
from vnindustry.portal.review.audit import (
    CORRECTIONS as CORRECTIONS,
)
from vnindustry.portal.review.audit import (
    AuditRow as AuditRow,
)
from vnindustry.portal.review.audit import (
    audit_log as audit_log,
)
from vnindustry.portal.review.clock import (
    _today as _today,
)
from vnindustry.portal.review.closing import (
    CRASH_ENV as CRASH_ENV,
)
from vnindustry.portal.review.closing import (
    CRASH_POINTS as CRASH_POINTS,
)
from vnindustry.portal.review.closing import (
    close_month as close_month,
)
from vnindustry.portal.review.closing import (
    months_to_skip as months_to_skip,
)
from vnindustry.portal.review.closing import (
    recover_closures as recover_closures,
)
from vnindustry.portal.review.dataset_folder import (
    write_dataset as write_dataset,
)
from vnindustry.portal.review.decisions import (
    Correction as Correction,
)
from vnindustry.portal.review.decisions import (
    accept as accept,
)
from vnindustry.portal.review.decisions import (
    correct as correct,
)
from vnindustry.portal.review.industry_tree import (
    import_tree as import_tree,
)
from vnindustry.portal.review.month_state import (
    Closure as Closure,
)
from vnindustry.portal.review.month_state import (
    _published_months as _published_months,
)
from vnindustry.portal.review.month_state import (
    closable_from as closable_from,
)
from vnindustry.portal.review.month_state import (
    closed_checker as closed_checker,
)
from vnindustry.portal.review.month_state import (
    closure as closure,
)
from vnindustry.portal.review.month_state import (
    is_closed as is_closed,
)
from vnindustry.portal.review.reading import (
    _reading as _reading,
)
from vnindustry.portal.review.refusals import (
    MAX_REASON as MAX_REASON,
)
from vnindustry.portal.review.refusals import (
    AlreadyClosed as AlreadyClosed,
)
from vnindustry.portal.review.refusals import (
    AlreadyDecided as AlreadyDecided,
)
from vnindustry.portal.review.refusals import (
    LowResponse as LowResponse,
)
from vnindustry.portal.review.refusals import (
    MonthNotOver as MonthNotOver,
)
from vnindustry.portal.review.refusals import (
    NoReports as NoReports,
)
from vnindustry.portal.review.refusals import (
    NotClosed as NotClosed,
)
from vnindustry.portal.review.refusals import (
    NotInQueue as NotInQueue,
)
from vnindustry.portal.review.refusals import (
    OpenItems as OpenItems,
)
from vnindustry.portal.review.refusals import (
    OpenMonthsBefore as OpenMonthsBefore,
)
from vnindustry.portal.review.refusals import (
    PublishDatePast as PublishDatePast,
)
from vnindustry.portal.review.refusals import (
    PublishedLater as PublishedLater,
)
from vnindustry.portal.review.refusals import (
    ReviewError as ReviewError,
)
from vnindustry.portal.review.refusals import (
    TreeMissing as TreeMissing,
)
from vnindustry.portal.review.response_counts import (
    EXPECTED_MONTHS as EXPECTED_MONTHS,
)
from vnindustry.portal.review.response_counts import (
    NOT_REGISTERED as NOT_REGISTERED,
)
from vnindustry.portal.review.response_counts import (
    FollowUp as FollowUp,
)
from vnindustry.portal.review.response_counts import (
    RateRow as RateRow,
)
from vnindustry.portal.review.response_counts import (
    Response as Response,
)
from vnindustry.portal.review.response_counts import (
    ResponseGroup as ResponseGroup,
)
from vnindustry.portal.review.response_counts import (
    response as response,
)
from vnindustry.portal.review.response_counts import (
    response_rates as response_rates,
)
from vnindustry.portal.review.response_counts import (
    weighted_response as weighted_response,
)
from vnindustry.portal.review.review_queue import (
    QueueItem as QueueItem,
)
from vnindustry.portal.review.review_queue import (
    _history_all as _history_all,
)
from vnindustry.portal.review.review_queue import (
    _history_rows as _history_rows,
)
from vnindustry.portal.review.review_queue import (
    queue as queue,
)
from vnindustry.portal.review.revision import (
    Revision as Revision,
)
from vnindustry.portal.review.revision import (
    revise_month as revise_month,
)

# months.py reads _today, _reading and _published_months, and the tests _history_rows and _history_all,
# from here: they are re-exported above (not in __all__).

__all__ = [
    "AlreadyClosed", "AlreadyDecided", "AuditRow", "Closure", "Correction", "FollowUp", "InputError", "LowResponse",
    "MonthNotOver", "NoReports", "NotClosed", "NotInQueue", "OpenItems", "OpenMonthsBefore", "PublishDatePast",
    "PublishedLater", "QueueItem", "RateRow", "Response", "ResponseGroup", "ReviewError", "Revision", "TreeMissing",
    "accept", "audit_log", "closable_from", "close_month", "closed_checker", "closure", "correct", "import_tree",
    "is_closed", "months_to_skip", "queue", "recover_closures", "response", "response_rates", "revise_month",
    "weighted_response", "write_dataset",
]
