"""The indicator store: series × period × measure × vintage, on SQLite (default) or PostgreSQL.

Nothing is overwritten: every release (an imported workbook, a history backfill, a compile run) adds its
observations as a new vintage; queries pick the latest, the first, or what was known on a date.
"""

from vnindustry.store.records import RECORD_COLUMNS, STATUSES
from vnindustry.store.repository import ImportSummary, Store, open_store

__all__ = ["RECORD_COLUMNS", "STATUSES", "ImportSummary", "Store", "open_store"]
