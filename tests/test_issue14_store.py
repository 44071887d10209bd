"""Issue 14: supplier profiles and needs in the store — versions, history, audit, one transaction; a burst of
concurrent writers on both backends and a ``kill -9`` of the import leave every version whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from builders import burst, run_killed
from vnindustry.cli import app
from vnindustry.linkage import match
from vnindustry.linkage.stored import import_csv, load_needs, load_suppliers
from vnindustry.store import open_store
from vnindustry.store.linkage import current_profiles, history, save_profiles
from vnindustry.store.models import AuditEntry, Enterprise, SupplierProfile

SMALL = Path(__file__).parent / "data" / "linkage-small"
LABELLED = Path(__file__).parent / "data" / "linkage"


def test_import_versions_history_and_audit(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    saved_s, saved_n, warnings = import_csv(store.engine, SMALL / "suppliers.csv", SMALL / "needs.csv",
                                            created_by="tk")
    assert saved_s is not None and saved_n is not None
    assert saved_s.created == ("S1", "S2", "S3", "S4") and saved_n.created == ("N1", "N2") and len(warnings) == 1
    # The register learnt the enterprises (suppliers and buyers) it did not know.
    with store.engine.connect() as conn:
        names = dict(conn.execute(select(Enterprise.code, Enterprise.name)).all())
        audit = conn.execute(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.in_(["profile", "need"]))).scalar_one()
    assert names["S1"] == "Công ty TNHH Đúc Nhôm Minh Phát" and "B1" in names and audit == 6
    # The same files again store nothing.
    again = import_csv(store.engine, SMALL / "suppliers.csv", SMALL / "needs.csv", created_by="tk")
    assert again[0].created == () and again[1].created == ()  # type: ignore[union-attr]
    # A changed line is a new version; the older one stays.
    changed = tmp_path / "suppliers.csv"
    changed.write_text((SMALL / "suppliers.csv").read_text(encoding="utf-8").replace(",20000,", ",25000,"),
                       encoding="utf-8")
    third = import_csv(store.engine, changed, None, created_by="tk")
    assert third[0].created == ("S1",) and third[1] is None  # type: ignore[union-attr]
    versions = history(store.engine, enterprise="S1")
    assert [v["version"] for v in versions] == [1, 2]
    assert [v["data"]["capacity"] for v in versions] == [20000, 25000]
    # Read back, the store's profiles and needs match like the files do.
    suppliers, needs = load_suppliers(store.engine, consenting_only=True), load_needs(store.engine)
    assert [s.id for s in suppliers] == ["S1", "S2", "S3", "S4"] and suppliers[0].capacity == 25000
    ranked = match(suppliers, needs, on=dt.date(2026, 12, 6)).of("N1")
    assert [m.supplier for m in ranked] == ["S1"] and "ISO 9001 còn hạn đến 03/2027" in ranked[0].reasons()


def test_the_command_imports_then_matches_from_the_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    done = runner.invoke(app, ["linkage", "import", "--suppliers", str(LABELLED / "suppliers.csv"),
                               "--needs", str(LABELLED / "needs.csv"), "--db", url])
    assert done.exit_code == 0, done.output
    assert "supplier profiles: 60 new versions, 0 unchanged" in done.output
    out = tmp_path / "matches.csv"
    from_store = runner.invoke(app, ["linkage", "match", "--db", url, "--out", str(out), "--on", "2026-12-06"])
    assert from_store.exit_code == 0, from_store.output
    files = tmp_path / "files.csv"
    runner.invoke(app, ["linkage", "match", str(LABELLED / "suppliers.csv"), str(LABELLED / "needs.csv"),
                        "--out", str(files), "--on", "2026-12-06"])
    assert out.read_bytes() == files.read_bytes()  # the store says what the files said


def test_a_bad_file_stores_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    bad = tmp_path / "needs.csv"
    bad.write_text((SMALL / "needs.csv").read_text(encoding="utf-8") + "N3,B2,Trục,84831,,,100,\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["linkage", "import", "--suppliers", str(SMALL / "suppliers.csv"),
                                      "--needs", str(bad), "--db", url])
    assert result.exit_code == 1 and "line 4, column 'hs'" in result.output
    assert current_profiles(open_store(url).engine) == []  # the good suppliers' file was not stored either


def test_a_burst_of_writers_loses_no_version(db_url: str) -> None:
    """Eight threads each save four different versions of the same profile at once: 32 versions, numbered 1–32
    without a gap, each whole — the unique (enterprise, version) and the retry settle every collision."""
    store = open_store(db_url)
    def writer(k: int) -> None:
        for j in range(4):
            save_profiles(store.engine, [{"enterprise": "S1", "name": "Minh Phát", "consent": True,
                                          "data": {"capacity": k * 100 + j, "hs": ["7616"]}}],
                          created_by=f"w{k}")

    burst(writer)
    versions = history(store.engine, enterprise="S1")
    assert [v["version"] for v in versions] == list(range(1, 33))
    assert sorted(v["data"]["capacity"] for v in versions) == sorted(k * 100 + j for k in range(8) for j in range(4))


KILLER = """import sys, time
from pathlib import Path
from vnindustry.linkage.stored import import_csv
from vnindustry.store import open_store
store = open_store(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
import_csv(store.engine, Path(sys.argv[2]), None, created_by="kill")
print(time.perf_counter() - started, flush=True)
"""


def _changed_suppliers(path: Path, suffix: str) -> None:
    """The labelled suppliers with ``suffix`` added to every description: every profile changes."""
    import csv

    with open(LABELLED / "suppliers.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], *([*r[:-1], r[-1] + suffix] for r in rows[1:])])


def _run(db_url: str, suppliers: Path, kill_after: float | None) -> float | None:
    """Import ``suppliers`` in a subprocess; SIGKILL it ``kill_after`` seconds after it starts writing, or let
    it finish and return how long the import took."""
    return run_killed(KILLER, [db_url, str(suppliers)], kill_after)


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_all_or_nothing(db_url: str, tmp_path: Path) -> None:
    """The import SIGKILLed at moments spread over its duration: afterwards all 60 profiles are at their next
    version, or none is — never some, never a version without its data."""
    store = open_store(db_url)
    import_csv(store.engine, LABELLED / "suppliers.csv", None, created_by="first")
    _changed_suppliers(tmp_path / "timing.csv", " (đo thời gian)")
    took = _run(db_url, tmp_path / "timing.csv", None)
    assert took is not None
    outcomes = []
    for attempt, fraction in enumerate((0.02, 3.0, 0.3, 0.6, 0.9, 1.2, 0.1, 2.0)):
        changed = tmp_path / f"s{attempt}.csv"
        _changed_suppliers(changed, f" (lần {attempt})")
        before = {r.enterprise: r.version for r in current_profiles(store.engine)}
        _run(db_url, changed, took * fraction)
        after = {r.enterprise: r.version for r in current_profiles(store.engine)}
        moved = {k for k in after if after[k] != before[k]}
        assert len(after) == 60 and len(moved) in (0, 60), (attempt, fraction, len(moved))
        assert all(after[k] == before[k] + 1 for k in moved)
        outcomes.append(bool(moved))
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(SupplierProfile)
                                .where(SupplierProfile.data == "")).scalar_one() == 0
    # The moments cover both outcomes, so some kills landed before the commit and some after.
    assert set(outcomes) == {True, False}, outcomes


def test_the_migrations_build_the_models_schema(db_url: str) -> None:
    """Regression guard for every migration (0011 added two tables): the schema Alembic builds is the one the
    models declare, on both backends."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from vnindustry.store.models import Base

    with open_store(db_url).engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
