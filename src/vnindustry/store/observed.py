"""The rows of the observations table: :func:`insert_observations` writes a release's rows, and the rows of
:meth:`Store.observations <vnindustry.store.repository.Store.observations>` are the observations a statement
selects, each with its series' and its release's attributes.

Writing: tuples through the driver (:mod:`vnindustry.store.bulk`; issue 16: storing a month's 207,000 adjusted
observations through SQLAlchemy Core's dicts was 3 s of the 7.4-s monthly re-run).

Reading: a series has ~100 months and a release thousands of figures, so the statement fetches each observation's own
columns and the ids only; a second statement fetches the attributes (key, names, hierarchy; date, file) of those
series and releases by id — each once, as two parts of one UNION ALL — and pandas repeats them. Fetching them on
every row through the join decoded eighteen columns a row — ten of them repeats — and built as many Python
objects (issue 16: 0.88 s of the monthly re-run's 57,000-row read). Asking the join again for its distinct
(series, release) pairs, as before, ran the join twice, and the pairs were almost as many as the rows where every
month is its own release (the imported workbooks: 17,600 pairs for 57,000 rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    CompoundSelect,
    Connection,
    Select,
    case,
    func,
    insert,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)

from vnindustry.store.bulk import insert_rows
from vnindustry.store.tables import OBSERVATIONS, RELEASE_SERIES, RELEASES, SERIES

__all__ = ["IDS_PER_STATEMENT", "INSERTED_COLUMNS", "OBSERVATION_COLUMNS", "attributes_statement", "driver_rows",
           "insert_observations", "observation_statement", "read_observations", "summarise_release"]


#: The columns of an observations frame, in order (``mask`` adds ``flag``).
OBSERVATION_COLUMNS = ["key", "source", "table", "code", "name_vi", "name_en", "unit", "kind", "level", "parent",
                       "period", "measure", "value", "status", "provenance", "release_id", "released_on", "file"]

_OWN = ["series_id", "unit", "period", "measure", "value", "status", "provenance", "release_id"]
_SERIES = ["key", "source", "table", "code", "name_vi", "name_en", "kind", "level", "parent"]
_RELEASE = ["released_on", "file"]


#: The columns of a row :func:`insert_observations` writes, in order (the id is the database's).
INSERTED_COLUMNS = ("series_id", "release_id", "period", "measure", "value", "status", "unit", "provenance")


def insert_observations(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert ``rows`` — tuples of :data:`INSERTED_COLUMNS`: ints, texts and a float or None — into the
    observations table, in ``conn``'s transaction, through the driver (:func:`~vnindustry.store.bulk.insert_rows`).

    Raises:
        sqlalchemy.exc.DBAPIError: the database refused a row (``IntegrityError`` for a duplicate vintage or an
            unknown series …).
    """
    insert_rows(conn, OBSERVATIONS, INSERTED_COLUMNS, rows)


def summarise_release(conn: Connection, release_id: int) -> None:
    """Write ``release_id``'s rows of ``release_series`` from its observations (just inserted, in ``conn``'s
    transaction): per series the first and last period, the last that is not a quarter, and the count — what
    the catalogue and the releases list sum over the visible releases instead of every observation."""
    o = OBSERVATIONS.c
    summary = (select(o.release_id, o.series_id, func.min(o.period), func.max(o.period),
                      func.max(case((o.period.contains("-Q"), None), else_=o.period)), func.count())
               .where(o.release_id == release_id).group_by(o.release_id, o.series_id))
    conn.execute(insert(RELEASE_SERIES).from_select(["release_id", "series_id", "first_period", "last_period",
                                                     "last_not_quarter", "observations"], summary))


def observation_statement() -> Select:  # type: ignore[type-arg]
    """The observations joined to their series and releases, selecting each observation's own columns and
    ids; callers add their conditions (on any of the three tables) before :func:`read_observations`."""
    s, o, r = SERIES.c, OBSERVATIONS.c, RELEASES.c
    return (select(o.series_id, o.unit, o.period, o.measure, o.value, o.status, o.provenance,
                   o.release_id)
            .select_from(SERIES)
            .join(OBSERVATIONS, o.series_id == s.id)
            .join(RELEASES, r.id == o.release_id))


#: Ids of each kind per attributes statement: one statement for any read but the largest, well under the bound
#: parameters SQLite (32,766) and PostgreSQL (65,535) take.
IDS_PER_STATEMENT = 5000


def attributes_statement(series_ids: list[int], release_ids: list[int]) -> CompoundSelect:
    """The attributes of the series and the releases with these ids: rows ``(0, series id, *series columns,
    None, None)`` and ``(1, release id, None × 9, released_on, file)``."""
    s, r = SERIES.c, RELEASES.c
    series_columns = [s.key, s.source, s.table_name, s.code, s.name_vi, s.name_en, s.kind, s.level, s.parent]
    # The first part's columns type the union's results (the release date as a date on SQLite too).
    series_part = select(literal(0).label("part"), s.id.label("id"), *series_columns,
                         type_coerce(null(), r.released_on.type).label("released_on"),
                         type_coerce(null(), r.file.type).label("file")).where(s.id.in_(series_ids))
    release_part = select(literal(1), r.id, *(type_coerce(null(), c.type) for c in series_columns),
                          r.released_on, r.file).where(r.id.in_(release_ids))
    return union_all(series_part, release_part)


def _attributes(found: dict[int, tuple[Any, ...]], wanted: np.ndarray, names: list[str]) -> pd.DataFrame:
    """A frame of ``names``, one row per id of ``wanted`` (in its order), from ``found`` (id → values): the frame
    pandas would infer from the repeated values, built from the distinct ones. Every id is there: series and
    releases are never deleted."""
    return pd.DataFrame([found[int(i)] for i in wanted], columns=names)


def driver_rows(conn: Connection, stmt: Select) -> tuple[list[str], list[tuple[Any, ...]]]:  # type: ignore[type-arg]
    """The column names and rows of ``stmt`` as the DBAPI driver's own tuples, without SQLAlchemy's Row objects.

    Only for statements none of whose columns has a result processor on any backend — integers, strings,
    floats; not dates, which SQLite gives as text —: the tuples then hold what Rows would. Building a Row for
    each of 57,000 observations was a quarter of adjust --all's read, and Rows and a tuple of each half of the
    read of 112,000 trade flows (tests/test_issue16_observed.py and tests/test_issue16_trade_read.py compare
    with Rows, SQLite and PostgreSQL)."""
    result = conn.execute(stmt)
    names = list(result.keys())
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    return names, rows


def read_observations(conn: Connection, stmt: Select) -> pd.DataFrame:  # type: ignore[type-arg]
    """The rows ``stmt`` (from :func:`observation_statement`, with conditions) selects, as a frame of
    :data:`OBSERVATION_COLUMNS` in the database's order — the values, and the dtypes pandas infers, of the
    same join fetched with every column on every row.

    Two statements: the observations, then their series' and releases' attributes by id
    (:func:`attributes_statement`; one more for every :data:`IDS_PER_STATEMENT` ids beyond) — a few hundred rows
    where the observations are tens of thousands."""
    _, rows = driver_rows(conn, stmt)
    if not rows:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS)
    # The frame straight from the rows: pandas' own loop over the tuples is faster than taking them apart
    # into columns in Python first (adjust --all's 57,000 rows: ~0.04 s less).
    frame = pd.DataFrame(rows, columns=_OWN)
    del rows
    series_ids = frame.pop("series_id").to_numpy(dtype=np.int64)
    release_ids = frame["release_id"].to_numpy(dtype=np.int64)
    s_unique, s_at = np.unique(series_ids, return_inverse=True)
    r_unique, r_at = np.unique(release_ids, return_inverse=True)
    series_of: dict[int, tuple[Any, ...]] = {}
    release_of: dict[int, tuple[Any, ...]] = {}
    s_list, r_list = s_unique.tolist(), r_unique.tolist()
    for at in range(0, max(len(s_list), len(r_list)), IDS_PER_STATEMENT):
        chunk = attributes_statement(s_list[at:at + IDS_PER_STATEMENT], r_list[at:at + IDS_PER_STATEMENT])
        for part, id_, *values in conn.execute(chunk).all():
            if part == 0:
                series_of[id_] = tuple(values[:len(_SERIES)])
            else:
                release_of[id_] = tuple(values[len(_SERIES):])
    series = _attributes(series_of, s_unique, _SERIES)
    releases = _attributes(release_of, r_unique, _RELEASE)
    frame["release_id"] = release_ids
    repeated_series = series.take(s_at).reset_index(drop=True)
    repeated_releases = releases.take(r_at).reset_index(drop=True)
    for name in _SERIES:
        frame[name] = repeated_series[name]
    for name in _RELEASE:
        frame[name] = repeated_releases[name]
    return frame[OBSERVATION_COLUMNS]
