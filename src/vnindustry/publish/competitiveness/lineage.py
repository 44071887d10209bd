"""Which trade-flow and scoring releases belong to a bulletin (:class:`Lineage`), and the annex of a source's
bulletin read from the store (:func:`store_annex`).

Part of :mod:`vnindustry.publish.competitiveness`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vnindustry.publish.competitiveness.annex import annex_sections
from vnindustry.publish.competitiveness.scoring import Scoring
from vnindustry.publish.document import Section


@dataclass(frozen=True)
class Lineage:
    """Each release's source, synthetic mark and inputs, to say which bulletin a trade-flow or scoring
    release belongs to (:meth:`belongs_to`)."""

    sources: dict[int, str]
    synthetic: frozenset[int]
    inputs: dict[int, tuple[int, ...]]
    bulletin_sources: frozenset[str]  # sources with series (whose bulletins exist)

    @staticmethod
    def of(store: Any) -> Lineage:
        """Read from ``store`` (every release: lineage reaches embargoed inputs too; nothing is shown from it)."""
        from sqlalchemy import select

        from vnindustry.store.tables import RELEASE_INPUTS, RELEASES, SERIES

        # Over the tables (Core), as the store's reads: no ORM compilation in a fresh process (issue 16).
        release, link, series = RELEASES.c, RELEASE_INPUTS.c, SERIES.c
        with store.engine.connect() as conn:
            releases = conn.execute(select(release.id, release.source, release.synthetic)).all()
            links = conn.execute(select(link.release_id, link.input_release_id)).all()
            series_sources = conn.execute(select(series.source).distinct()).scalars().all()
        inputs: dict[int, list[int]] = {}
        for r, i in links:
            inputs.setdefault(int(r), []).append(int(i))
        return Lineage({int(r.id): str(r.source) for r in releases},
                       frozenset(int(r.id) for r in releases if r.synthetic),
                       {k: tuple(v) for k, v in inputs.items()}, frozenset(str(s) for s in series_sources))

    def roots(self, release_id: int) -> frozenset[str]:
        """The bulletin sources among ``release_id`` and everything it was computed from (lineage)."""
        seen, todo, found = set(), [release_id], set()
        while todo:
            r = todo.pop()
            if r in seen:
                continue
            seen.add(r)
            if self.sources.get(r) in self.bulletin_sources:
                found.add(self.sources[r])
            todo.extend(self.inputs.get(r, ()))
        return frozenset(found)

    def belongs_to(self, release_id: int, source: str) -> bool:
        """Whether trade-flow or scoring release ``release_id`` belongs in the bulletin of ``source``.

        Rule (docs/dataset-format.md, "Which bulletin a flows release belongs to"): a release computed from figures of
        bulletin sources (lineage: ``trade import-gso`` from GSO's releases, a scoring filled from the city's
        compile) belongs to those sources only. A release computed from none (flows imported from a file, the
        demo's generated flows) belongs to every source whose synthetic mark it shares: synthetic flows go
        with a synthetic source's bulletin (the demo city), real flows with a real source's — never across.
        """
        roots = self.roots(release_id)
        if roots:
            return source in roots
        source_synthetic = any(self.sources[r] == source for r in self.synthetic)
        return (release_id in self.synthetic) == source_synthetic


def store_annex(store: Any, lang: str, *, source: str) -> list[Section]:
    """The annex of ``source``'s bulletin from the store: the trade flows and the latest scoring that belong to
    it (:meth:`Lineage.belongs_to`; embargo honoured by the store's view), each section marked when its
    figures are synthetic; [] when the store holds neither for that source."""
    from vnindustry.store.trade import load_scoring, scorings, trade_flows

    lineage = Lineage.of(store)
    flows = trade_flows(store, with_release=True)
    ids = {int(i) for i in flows["release_id"].unique().tolist()} if len(flows) else set()
    keep = {i for i in ids if lineage.belongs_to(i, source)}
    flows = flows[flows["release_id"].isin(keep)] if len(flows) else flows
    stored = next((load_scoring(store, run.id) for run in scorings(store) if lineage.belongs_to(run.id, source)),
                  None)
    sections = annex_sections(lang, flows=flows.drop(columns="release_id") if "release_id" in flows else flows,
                              scoring=Scoring.from_stored(stored) if stored is not None else None,
                              synthetic_flows=bool(keep & lineage.synthetic),
                              synthetic_scoring=stored is not None and stored.id in lineage.synthetic)
    if source == "city":  # the Department's own bulletin reports its matchmaking (issue 14)
        from vnindustry.publish.linkage_annex import outcomes_section

        linkage = outcomes_section(store.engine, lang)
        if linkage is not None:
            sections.append(linkage)
    return sections
