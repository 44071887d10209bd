"""One month's bulletin from one read of the store: :class:`BulletinSnapshot` and :func:`publish_bulletin`.

Everything a bulletin says is read once, through the store's public view, into a snapshot — the month's
indicators (:func:`vnindustry.analysis.indicators.bulletin_indicators`: the months the figures come from, the
totals' 25-month history), the annex's trade flows and key-product scoring (those that belong to the source,
:class:`~vnindustry.publish.competitiveness.Lineage`) and the city's matchmaking outcomes — and the sections are
composed from the snapshot, in either language and any format, without going back to the store.

The annex's trade flows are read summed by year, exporter and product in the database when that is exact
(:func:`vnindustry.store.trade.summed_flows`): an RCA in a market needs no more than those sums, and the demo
city's 112,000 flows are otherwise most of a bulletin's time. Where it is not exact (several releases hold the
market's flows, or values that are not whole numbers) every flow is read, as :func:`store_annex` does.

The command line (``vnindustry bulletin``), the dashboard's ``/bulletins/{period}.{fmt}`` and ``vnindustry demo``
call :func:`publish_bulletin` or :func:`read_snapshot`. tests/test_bulletin_one_read.py bounds the SQL statements one
bulletin issues and checks the snapshot's bulletins against the per-section reads.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vnindustry.analysis.indicators import MonthlyIndicators, bulletin_indicators
from vnindustry.errors import InputError
from vnindustry.publish.bulletin import compose_bulletin
from vnindustry.publish.document import Bulletin, BulletinFormat, Section

if TYPE_CHECKING:
    import pandas as pd

    from vnindustry.linkage.public_outcomes import StoredOutcomes
    from vnindustry.publish.competitiveness import Scoring
    from vnindustry.store import Store

__all__ = ["DEFAULT_SOURCES", "BulletinSnapshot", "publish_bulletin", "read_snapshot"]

DEFAULT_SOURCES = ("city", "gso")
"""Whose bulletin when no source is named: the city's if it has the month, else GSO's."""


@dataclass(frozen=True)
class BulletinSnapshot:
    """What one month's bulletin of one source says, as read from the store's public view.

    ``flows``: the trade flows the annex's RCA is computed from (None: none belong to the source);
    ``scoring``: the latest key-product scoring that belongs to it; ``outcomes``: the matchmaking outcomes
    (the city's bulletin only); ``synthetic_*``: the annex's sections carry the synthetic mark."""

    indicators: MonthlyIndicators
    flows: pd.DataFrame | None = None
    synthetic_flows: bool = False
    scoring: Scoring | None = None
    synthetic_scoring: bool = False
    outcomes: StoredOutcomes | None = None

    @property
    def source(self) -> str:
        return self.indicators.source

    @property
    def period(self) -> str:
        return self.indicators.period

    def annex(self, lang: str) -> list[Section]:
        """The annex in ``lang``: competitiveness and key products where there are some, then (the city's
        bulletin) the matchmaking outcomes — as :func:`vnindustry.publish.competitiveness.store_annex`."""
        from vnindustry.publish.competitiveness import annex_sections

        sections = annex_sections(lang, flows=self.flows, scoring=self.scoring, synthetic_flows=self.synthetic_flows,
                                  synthetic_scoring=self.synthetic_scoring)
        if self.outcomes is not None:
            from vnindustry.publish.linkage_annex import outcomes_section

            linkage = outcomes_section(self.outcomes, lang)
            if linkage is not None:
                sections.append(linkage)
        return sections

    def compose(self, lang: str = "vi", *, today: dt.date | None = None) -> Bulletin:
        """The bulletin in ``lang`` (:func:`vnindustry.publish.bulletin.compose_bulletin`, with the annex)."""
        return compose_bulletin(self.indicators, lang, annex=self.annex(lang), today=today)

    def write(self, fmt: BulletinFormat | str, lang: str = "vi", *, today: dt.date | None = None) -> bytes:
        """The bulletin in ``lang`` written in ``fmt`` (md, html, docx, pdf, xlsx), as bytes."""
        from vnindustry.publish.writers import write_bulletin

        return write_bulletin(self.compose(lang, today=today), fmt)


def read_snapshot(store: Store, period: str, source: str | None = None, *,
                  as_of: dt.date | None = None) -> BulletinSnapshot:
    """Everything ``source``'s bulletin for ``period`` needs, read from ``store`` — which must be a public view
    (``Store.public_view()``: confidential figures withheld; embargoed releases hidden unless it is a preview).

    ``source`` None: the first of :data:`DEFAULT_SOURCES` with figures for the month. ``as_of``: the figures as
    published on that day (the annex is the store's current one, as the command line has always made it).
    Raises :class:`~vnindustry.errors.InputError` when there are no figures for the month."""
    if not getattr(store, "public", False):
        raise ValueError("a bulletin is a publication: read it through store.public_view()")
    candidates = [source] if source else list(DEFAULT_SOURCES)
    _import_annex_modules()  # here, not in the annex's thread: imports there would wait on this thread's anyway
    # The annex's reads do not depend on the month's figures: they run beside them, in a second thread, for the
    # first candidate source. Most of their time is the database's (SQLite sums 100,000 flows in ~75 ms), which
    # holds no GIL, so the month's read goes on meanwhile (issue 16: ~0.05 s of a bulletin's ~0.3 s in-process).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulletin-annex") as pool:
        annex = (pool.submit(_annex_inputs, store, candidates[0]) if _connections_per_thread(store)
                 else None)
        for name in candidates:
            indicators = bulletin_indicators(store, period, name, as_of=as_of)
            if indicators.tables:
                break
        else:
            cat = store.catalogue()
            have = sorted({(r.source, r.last_period) for r in cat.itertuples()}) if not cat.empty else []
            known = "; ".join(f"{s} up to {p}" for s, p in have) or "the store is empty"
            raise InputError(f"no figures for {period} from {' or '.join(candidates)} ({known})",
                             fix="import the month's workbook (import-workbook) or compile the city's data with --db "
                                 "first")
        inputs = (annex.result() if annex is not None and indicators.source == candidates[0]
                  else _annex_inputs(store, indicators.source))
    return BulletinSnapshot(indicators, *inputs)


def _connections_per_thread(store: Store) -> bool:
    """Whether another thread reads the same database through its own connection: a pool of connections
    (QueuePool: SQLite files, PostgreSQL) or none. Not an in-memory SQLite database, whose pool gives each thread
    a connection of its own — to a new, empty database — nor a pool of one shared connection."""
    from sqlalchemy.pool import NullPool, QueuePool

    return isinstance(store.engine.pool, QueuePool | NullPool)


def _import_annex_modules() -> None:
    """Import what :func:`_annex_inputs` imports (lazily: a bulletin without an annex never needs them)."""
    import vnindustry.analysis.trade
    import vnindustry.linkage.public_outcomes
    import vnindustry.publish.competitiveness
    import vnindustry.store.trade  # noqa: F401


def _annex_inputs(store: Store, source: str) -> tuple[
        pd.DataFrame | None, bool, Scoring | None, bool, StoredOutcomes | None]:
    """The annex's flows, scoring and outcomes of ``source``, with their synthetic marks."""
    from vnindustry.analysis.trade import resolve_market
    from vnindustry.publish.competitiveness import DEFAULT_MARKET, Lineage, Scoring
    from vnindustry.store.trade import load_scoring, scorings, summed_flows, trade_flows

    lineage = Lineage.of(store)
    belonging = {r for r in lineage.sources if lineage.belongs_to(r, source)}
    summed = summed_flows(store, resolve_market(DEFAULT_MARKET)[1], belonging)
    if summed is not None:
        flows = summed.frame
        synthetic_flows = not flows.empty and summed.release_id in lineage.synthetic
    else:  # as store_annex reads them: every flow, its latest vintage, kept when its release belongs
        flows = trade_flows(store, with_release=True)
        ids = {int(i) for i in flows["release_id"].unique().tolist()} if len(flows) else set()
        keep = ids & belonging
        flows = flows[flows["release_id"].isin(keep)] if len(flows) else flows
        flows = flows.drop(columns="release_id") if "release_id" in flows else flows
        synthetic_flows = bool(keep & lineage.synthetic)
    stored = next((load_scoring(store, run.id) for run in scorings(store) if run.id in belonging), None)
    outcomes = None
    if source == "city":  # the Department's own bulletin reports its matchmaking (issue 14)
        from vnindustry.linkage.public_outcomes import read_outcomes

        outcomes = read_outcomes(store.engine)
    return (flows, synthetic_flows, Scoring.from_stored(stored) if stored is not None else None,
            stored is not None and stored.id in lineage.synthetic, outcomes)


def publish_bulletin(store: Store, period: str, fmt: BulletinFormat | str, lang: str = "vi", *,
                     source: str | None = None, as_of: dt.date | None = None) -> bytes:
    """``source``'s bulletin for ``period`` in ``lang``, written in ``fmt``: one read of the store's public view
    (:func:`read_snapshot`), then composition and writing. What ``vnindustry bulletin`` writes."""
    return read_snapshot(store, period, source, as_of=as_of).write(fmt, lang)
