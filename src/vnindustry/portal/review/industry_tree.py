"""The register's industry tree: :func:`import_tree` stores a dataset folder's ``industries.csv`` (and
``groups.csv``) in the ``industries`` and ``industry_groups`` tables, which a close needs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, delete, insert

from vnindustry.portal.review.reading import _engine
from vnindustry.sources.dataset import load_dataset
from vnindustry.store.tables import INDUSTRIES, INDUSTRY_GROUPS


def import_tree(engine: Engine | object, folder: str | Path) -> int:
    """Store the industry tree (industries.csv) and groups (groups.csv) of dataset ``folder`` in the register,
    replacing what was there (one transaction); the number of industries. ``import_dataset`` should call it."""
    ds = load_dataset(folder)
    ind, grp = INDUSTRIES, INDUSTRY_GROUPS
    rows = [dict(code=i.code, parent=i.parent, name_vi=i.name_vi, name_en=i.name_en, weight=i.weight,
                 position=n) for n, i in enumerate(ds.industries.values())]
    members = [dict(group_code=g.code, name_vi=g.name_vi, name_en=g.name_en, industry=m, position=n)
               for n, (g, m) in enumerate((g, m) for g in ds.groups for m in g.members)]
    with _engine(engine).begin() as conn:
        conn.execute(delete(grp))
        conn.execute(delete(ind))
        conn.execute(insert(ind), rows)
        if members:
            conn.execute(insert(grp), members)
    return len(rows)
