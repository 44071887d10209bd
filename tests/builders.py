"""Build small dataset folders for tests (in the documented CSV format)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
    return path


def write_dataset(
    folder: Path,
    *,
    industries: Sequence[tuple[str, str, float | None]],
    products: Sequence[tuple[str, str, float, float]],
    production: Iterable[tuple[str, str, str, float]],
    groups: Sequence[tuple[str, str]] = (),
) -> Path:
    """industries: (code, parent, weight); products: (code, industry, weight, base_quantity);
    production: (enterprise, product, period, quantity); groups: (group, member industry)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "industries.csv", ["code", "parent", "name_vi", "name_en", "weight"],
              [(c, p, f"Ngành {c}", f"Industry {c}", w) for c, p, w in industries])
    write_csv(folder / "products.csv", ["code", "industry", "name_vi", "unit", "weight", "base_quantity"],
              [(c, i, f"Sản phẩm {c}", "tấn", w, q0) for c, i, w, q0 in products])
    write_csv(folder / "production.csv", ["enterprise", "product", "period", "quantity"],
              [(e, p, per, repr(float(q))) for e, p, per, q in production])
    if groups:
        write_csv(folder / "groups.csv", ["group", "name_vi", "name_en", "industry"],
                  [(g, f"Nhóm {g}", f"Group {g}", m) for g, m in groups])
    return folder


def months(start_year: int, start_month: int, n: int) -> list[str]:
    out = []
    y, m = start_year, start_month
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def one(records: pd.DataFrame, **where: str) -> pd.Series:
    """The single record matching ``where`` (column=value)."""
    mask = pd.Series(True, index=records.index)
    for column, value in where.items():
        mask &= records[column] == value
    found = records[mask]
    assert len(found) == 1, f"{len(found)} records for {where}"
    return found.iloc[0]


# -- the portal: a store with the PPI example's register and three accounts, and logging in ---------------
PORTAL_PASSWORD = "correct horse battery"


def portal_store(url: str):  # type: ignore[no-untyped-def]
    """The PPI example's register and reports in the store at ``url``, with accounts e1 and e2 (enterprises
    E1, E2) and stat (statistician), all with :data:`PORTAL_PASSWORD`."""
    from vnindustry.portal.accounts import add_user
    from vnindustry.store import open_store
    from vnindustry.store.register import import_dataset

    store = open_store(url)
    import_dataset(store, Path(__file__).parent / "data" / "ppi_manual")
    add_user(store.engine, "e1", PORTAL_PASSWORD, "enterprise", "E1")
    add_user(store.engine, "e2", PORTAL_PASSWORD, "enterprise", "E2")
    add_user(store.engine, "stat", PORTAL_PASSWORD, "statistician")
    return store


def login(app, username: str):  # type: ignore[no-untyped-def]
    """A TestClient logged in as ``username``, and the CSRF header its writes need."""
    from fastapi.testclient import TestClient

    client = TestClient(app)
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PORTAL_PASSWORD})
    assert r.status_code == 200, r.text
    return client, {"X-CSRF-Token": r.json()["csrf_token"]}


def problem(r) -> dict:  # type: ignore[no-untyped-def]
    """The problem document of response ``r`` (asserting its media type)."""
    assert r.headers["content-type"].startswith("application/problem+json"), r.text
    return r.json()  # type: ignore[no-any-return]


def add_portal_admin(store, username: str = "admin"):  # type: ignore[no-untyped-def]
    """An admin account ``username`` (password :data:`PORTAL_PASSWORD`) in a :func:`portal_store` store."""
    from vnindustry.portal.accounts import add_user

    return add_user(store.engine, username, PORTAL_PASSWORD, "admin")
