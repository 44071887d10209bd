"""The rows of :meth:`Store.observations <vnindustry.store.repository.Store.observations>`: the observations a
statement selects, each with its series' and its release's attributes.

A series has ~100 months and a release thousands of figures, so the statement fetches each observation's own
columns and the ids only; the series' attributes (key, names, hierarchy) and the release's (date, file) are
fetched once per distinct id and repeated in pandas. Fetching them on every row through the join decoded
eighteen columns a row — ten of them repeats — and built as many Python objects (issue 16: 0.88 s of the
monthly re-run's 57,000-row read, the bulletin's read likewise).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, select

from vnindustry.store.models import Observation, Release, Series

__all__ = ["OBSERVATION_COLUMNS", "observation_statement", "read_observations"]

SERIES, OBSERVATIONS, RELEASES = Series.__table__, Observation.__table__, Release.__table__

#: The columns of an observations frame, in order (``mask`` adds ``flag``).
OBSERVATION_COLUMNS = ["key", "source", "table", "code", "name_vi", "name_en", "unit", "kind", "level", "parent",
                       "period", "measure", "value", "status", "provenance", "release_id", "released_on", "file"]
#: Ids per ``IN (…)`` list: well under SQLite's limit of bound parameters (32,766), and PostgreSQL's.
IDS_PER_QUERY = 5000

_OWN = ["series_id", "unit", "period", "measure", "value", "status", "provenance", "release_id"]
_SERIES = ["key", "source", "table", "code", "name_vi", "name_en", "kind", "level", "parent"]
_RELEASE = ["released_on", "file"]


def observation_statement() -> Select:  # type: ignore[type-arg]
    """The observations joined to their series and releases, selecting each observation's own columns and
    ids; callers add their conditions (on any of the three tables) before :func:`read_observations`."""
    s, o, r = SERIES.c, OBSERVATIONS.c, RELEASES.c
    return (select(o.series_id, o.unit, o.period, o.measure, o.value, o.status, o.provenance,
                   o.release_id)
            .select_from(SERIES)
            .join(OBSERVATIONS, o.series_id == s.id)
            .join(RELEASES, r.id == o.release_id))


def _by_id(conn: Connection, columns: Sequence[object], id_column: object, ids: list[int]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for i in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[i:i + IDS_PER_QUERY]
        rows.extend(tuple(r) for r in conn.execute(select(id_column, *columns).where(id_column.in_(chunk))))  # type: ignore[attr-defined]
    return rows


def _attributes(rows: list[tuple[object, ...]], names: list[str], wanted: np.ndarray) -> pd.DataFrame:
    """``rows`` (id first) as a frame of ``names`` indexed by id, one row per id of ``wanted`` (its order):
    the frame pandas would infer from the repeated values, built from the distinct ones."""
    by_id = {row[0]: row[1:] for row in rows}
    return pd.DataFrame([by_id[int(i)] for i in wanted], columns=names)


def read_observations(conn: Connection, stmt: Select) -> pd.DataFrame:  # type: ignore[type-arg]
    """The rows ``stmt`` (from :func:`observation_statement`, with conditions) selects, as a frame of
    :data:`OBSERVATION_COLUMNS` in the database's order — the values, and the dtypes pandas infers, of the
    same join fetched with every column on every row."""
    rows = conn.execute(stmt).all()
    if not rows:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS)
    own = dict(zip(_OWN, zip(*rows, strict=True), strict=True))
    del rows
    series_ids = np.fromiter(own.pop("series_id"), dtype=np.int64, count=len(own["period"]))
    release_ids = np.fromiter(own["release_id"], dtype=np.int64, count=len(series_ids))
    s_unique, s_at = np.unique(series_ids, return_inverse=True)
    r_unique, r_at = np.unique(release_ids, return_inverse=True)
    s, r = SERIES.c, RELEASES.c
    series = _attributes(_by_id(conn, [s.key, s.source, s.table_name, s.code, s.name_vi, s.name_en, s.kind,
                                       s.level, s.parent], s.id, s_unique.tolist()), _SERIES, s_unique)
    releases = _attributes(_by_id(conn, [r.released_on, r.file], r.id, r_unique.tolist()), _RELEASE, r_unique)
    frame = pd.DataFrame(own)
    frame["release_id"] = release_ids
    repeated_series = series.take(s_at).reset_index(drop=True)
    repeated_releases = releases.take(r_at).reset_index(drop=True)
    for name in _SERIES:
        frame[name] = repeated_series[name]
    for name in _RELEASE:
        frame[name] = repeated_releases[name]
    return frame[OBSERVATION_COLUMNS]
