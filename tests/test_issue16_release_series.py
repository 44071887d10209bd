"""Issue 16: ``release_series`` — what each release holds of each series, written with its observations — and the
catalogue and releases list summed over it instead of over every observation:

- the rows are, for every release, those summed from its observations (the migration's backfill statement);
- the catalogue equals, row for row, the one summed from every observation (as before), in the internal view and
  the public one (an embargoed release left out), with a source filter, with quarters after months and a series
  known by quarters alone;
- the releases list counts each release's observations as ``count(*)`` does;
- a failed import leaves no summary row; the migration fills the summary of a store that had none;
- the API's catalogue items, now read column by column, are those read record by record before.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import case, func, select

import vnindustry.store.repository as repository
from vnindustry.store import open_store
from vnindustry.store.tables import OBSERVATIONS, RELEASE_SERIES, RELEASES, SERIES

TODAY = dt.date(2026, 12, 7)


def _records(rows: list[tuple[str, str, str, float]], table: str = "iip") -> pd.DataFrame:
    return pd.DataFrame([{"table": table, "series": f"Chuỗi {code}", "code": code, "unit": "%", "period": period,
                          "measure": measure, "value": value, "status": "actual", "sheet": "S", "cell": ""}
                         for code, period, measure, value in rows])


def _build(db_url: str):  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    store.import_records(_records([("A", "2025-01", "level", 1.0), ("A", "2025-02", "level", 2.0),
                                   ("A", "2025-Q1", "level", 3.0), ("B", "2024", "level", 4.0),
                                   ("Q", "2025-Q2", "level", 5.0)]),
                         source="gso", file="a.xlsx", checksum="a", released_on=TODAY - dt.timedelta(days=40))
    store.import_records(_records([("A", "2025-03", "level", 7.0), ("A", "2025-02", "pct_prev_month", 0.5),
                                   ("C", "2025-03", "level", 8.0)]),
                         source="gso", file="b.xlsx", checksum="b", released_on=TODAY - dt.timedelta(days=5))
    store.import_records(_records([("A", "2025-04", "level", 9.0), ("Q", "2025-Q3", "level", 6.0),
                                   ("D", "2025-04", "level", 1.0)]),  # embargoed: tomorrow
                         source="gso", file="c.xlsx", checksum="c", released_on=TODAY + dt.timedelta(days=1))
    store.import_records(_records([("T", "2025-04", "level", 1.0)], table="iip"), source="city", file="d.csv",
                         checksum="d", released_on=TODAY - dt.timedelta(days=1))
    return store


def _old_catalogue(store, source: str | None = None) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The catalogue as it was summed before: over every observation."""
    o = OBSERVATIONS.c
    last = func.coalesce(func.max(case((o.period.contains("-Q"), None), else_=o.period)), func.max(o.period))
    summary = (select(o.series_id, func.min(o.period).label("first_period"), last.label("last_period"),
                      func.max(RELEASES.c.released_on).label("last_updated"))
               .join(RELEASES, RELEASES.c.id == o.release_id).group_by(o.series_id))
    if source is not None:
        summary = summary.where(o.series_id.in_(select(SERIES.c.id).where(SERIES.c.source == source)))
    summary = store.visible(summary).subquery()
    stmt = (select(SERIES.c.key, summary.c.first_period, summary.c.last_period, summary.c.last_updated)
            .join(summary, summary.c.series_id == SERIES.c.id).order_by(SERIES.c.key))
    with store.engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all())


@pytest.fixture
def today(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(repository, "today_in_vietnam", lambda: TODAY)


def test_issue16_each_releases_summary_is_that_of_its_observations(db_url: str, today: None) -> None:
    store = _build(db_url)
    o, rs = OBSERVATIONS.c, RELEASE_SERIES.c
    expected_stmt = (select(o.release_id, o.series_id, func.min(o.period), func.max(o.period),
                            func.max(case((o.period.contains("-Q"), None), else_=o.period)), func.count())
                     .group_by(o.release_id, o.series_id).order_by(o.release_id, o.series_id))
    with store.engine.connect() as conn:
        expected = [tuple(r) for r in conn.execute(expected_stmt).all()]
        stored = [tuple(r) for r in conn.execute(select(rs.release_id, rs.series_id, rs.first_period, rs.last_period,
                                                        rs.last_not_quarter, rs.observations)
                                                 .order_by(rs.release_id, rs.series_id)).all()]
    assert stored == expected and len(stored) == 9
    q_only = [r for r in stored if r[4] is None]
    assert len(q_only) == 2  # Q's releases hold quarters alone


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("source", [None, "gso"])
def test_regression_issue16_the_catalogue_is_the_one_summed_over_every_observation(db_url: str, today: None,
                                                                                  public: bool, source: str | None
                                                                                  ) -> None:
    store = _build(db_url)
    view = store.public_view(embargo=True) if public else store
    new = view.catalogue(source)[["key", "first_period", "last_period", "last_updated"]]
    old = _old_catalogue(view, source)
    pd.testing.assert_frame_equal(new.reset_index(drop=True), old.reset_index(drop=True), check_dtype=False)
    by_key = new.set_index("key")
    assert by_key.at["gso/iip/A", "last_period"] == ("2025-03" if public else "2025-04")  # months before quarters
    assert by_key.at["gso/iip/Q", "last_period"] == ("2025-Q2" if public else "2025-Q3")  # quarters alone
    assert ("gso/iip/D" in by_key.index) == (not public)  # only in an embargoed release
    assert ("city/iip/T" in by_key.index) == (source is None)


def test_issue16_the_releases_list_counts_each_releases_observations(db_url: str, today: None) -> None:
    store = _build(db_url)
    with store.engine.connect() as conn:
        counts = dict(conn.execute(select(OBSERVATIONS.c.release_id, func.count())
                                   .group_by(OBSERVATIONS.c.release_id)).all())
    listed = store.releases()
    assert dict(zip(listed["id"].tolist(), listed["observations"].tolist(), strict=True)) == counts
    assert len(store.public_view(embargo=True).releases()) == 3


def test_issue16_a_failed_import_leaves_no_summary(db_url: str, today: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = _build(db_url)
    with store.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(RELEASE_SERIES)).scalar_one()

    def failing(conn, release_id):  # type: ignore[no-untyped-def]
        repository_summarise(conn, release_id)
        raise RuntimeError("disk full")

    repository_summarise = repository.summarise_release
    monkeypatch.setattr(repository, "summarise_release", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_records(_records([("E", "2025-05", "level", 1.0)]), source="gso", file="e.xlsx", checksum="e",
                             released_on=TODAY)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RELEASE_SERIES)).scalar_one() == before


def test_issue16_the_migration_fills_the_summary_of_a_store_that_had_none(db_url: str, today: None) -> None:
    """A store made before migration 0018 (downgraded to 0017 here) gets every release's summary on upgrade: the
    catalogue after it is the one summed over every observation."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    store = _build(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("vnindustry.store") / "migrations"))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0017")
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RELEASE_SERIES)).scalar_one() == 9
    new = store.catalogue()[["key", "first_period", "last_period", "last_updated"]]
    pd.testing.assert_frame_equal(new.reset_index(drop=True), _old_catalogue(store).reset_index(drop=True),
                                  check_dtype=False)


def test_issue16_the_api_catalogue_items_are_those_of_the_frames_records(db_url: str, today: None) -> None:
    """Catalogue.of reads the frame column by column; its items are those built from to_dict("records") as before
    (a missing English name, a missing level, dates, a synthetic source)."""
    import json

    from vnindustry.web.api import Catalogue

    store = _build(db_url)
    frame = store.public_view(embargo=True).catalogue()
    frame.loc[frame.index[0], "name_en"] = ""
    items = Catalogue.of(frame, frozenset({"city"})).items
    expected = []
    for r in frame.to_dict("records"):
        level = r.get("level")
        expected.append({"code": r["key"], "code_in_table": r["code"], "name_vi": r["name_vi"],
                         "name_en": r["name_en"] or "", "unit": r["unit"] or "", "frequency": r["frequency"],
                         "first_period": r["first_period"], "last_period": r["last_period"],
                         "last_updated": str(r["last_updated"]), "source": r["source"], "table": r["table"],
                         "kind": r["kind"], "level": None if pd.isna(level) else int(level),
                         "parent": r["parent"] or "", "synthetic": r["source"] == "city"})
    got = [{k: v for k, v in i.items() if k != "unit_en"} for i in items]
    assert json.dumps(got, sort_keys=True, default=str) == json.dumps(expected, sort_keys=True, default=str)
    assert len(items) == 5 and items[0]["name_en"] == "" and any(i["synthetic"] for i in items)
