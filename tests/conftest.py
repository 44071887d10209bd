import sys
from pathlib import Path

# Test helpers (builders.py) import as a plain module.
sys.path.insert(0, str(Path(__file__).parent))

DATA = Path(__file__).parent / "data"


import os  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def pg_url():
    """URL of a fresh, empty PostgreSQL database, dropped afterwards.

    The server is VNINDUSTRY_TEST_PG (default: local postgres with trust auth). Without a server the test
    skips with the reason — except in CI (CI=true), where a missing server is a failure.
    """
    from sqlalchemy import create_engine, text

    admin_url = os.environ.get("VNINDUSTRY_TEST_PG", PG_DEFAULT)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # no server, no driver, auth refused …
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {admin_url} is required in CI: {exc}")
        pytest.skip(f"no PostgreSQL at {admin_url} ({type(exc).__name__}); set VNINDUSTRY_TEST_PG")
    name = f"vnindustry_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = admin_url.rsplit("/", 1)[0]
    # Every engine the test makes on this database is disposed before the database is dropped: a pooled
    # connection left open would otherwise be garbage-collected during some later test, whose run then fails
    # on psycopg's ResourceWarning ("deleted while still open").
    import gc
    import warnings

    import vnindustry.store.db as db

    made = []
    real = db.create_engine

    def recording(url, *args, **kwargs):  # type: ignore[no-untyped-def]
        engine = real(url, *args, **kwargs)
        if name in str(url):
            made.append(engine)
        return engine

    db.create_engine = recording
    try:
        yield f"{base}/{name}"
    finally:
        db.create_engine = real
        for engine in made:
            engine.dispose()
        with warnings.catch_warnings():  # connections still held by the test's garbage: closed here, quietly
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The store's URL on each supported backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")
