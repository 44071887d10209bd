"""Issue 12, items 3 and 7: ``kill -9`` during a close never leaves a half-done month.

Before, a close committed the closure, then compiled and stored the release in further transactions: killed in
between, the month stayed closed with no release, and closing again said "closed already". Now the closure, its
audit rows and the release are one transaction. Each test runs ``close_month`` in a subprocess and kills it with
SIGKILL — at an instrumented point (``VNINDUSTRY_TEST_CLOSE_CRASH_AT``) or after a random delay — then checks that the
month is either closed with its release or open with nothing, and that a second close works. SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from vnindustry.demo.city import generate_city
from vnindustry.portal import review
from vnindustry.store import Store, open_store
from vnindustry.store.models import AuditEntry, MonthClosure, Observation, Release
from vnindustry.store.register import import_dataset

pytestmark = pytest.mark.slow

MAR = "2021-03"
TODAY = dt.date(2021, 4, 20)
PUBLISH = dt.date(2021, 4, 29)
SCRIPT = f"""
import datetime as dt, sys
from vnindustry.portal import review
from vnindustry.store import open_store
store = open_store(sys.argv[1])
skip = {{p: "history before the portal" for p in review.months_to_skip(store, "{MAR}")}}
print("closing", flush=True)
done = review.close_month(store, "{MAR}", by="stat", publish_on=dt.date.fromisoformat("{PUBLISH}"),
                          today=dt.date.fromisoformat("{TODAY}"), force=True, reason="kill test", skip=skip)
print("closed", done.release_id, flush=True)
"""


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city(tmp_path_factory.mktemp("city") / "city", n_enterprises=100, start="2020-01", end=MAR)


@pytest.fixture
def store(db_url: str, city: Path) -> Store:
    store = open_store(db_url)
    import_dataset(store, city)
    review.import_tree(store, city)
    return store


def _run(url: str, *, crash_at: str | None = None, kill_after: float | None = None) -> int:
    """Run the close in a subprocess; kill it with SIGKILL after ``kill_after`` seconds. Its return code."""
    env = {k: v for k, v in os.environ.items() if k != review.CRASH_ENV}
    if crash_at is not None:
        env[review.CRASH_ENV] = crash_at
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, url], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if kill_after is not None:
        # Count the delay from the moment the child starts closing (importing the package takes a while).
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "closing", proc.stderr.read() if proc.stderr else ""
        time.sleep(kill_after)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
    _out, err = proc.communicate(timeout=300)
    if crash_at is None and kill_after is None:
        assert proc.returncode == 0, err
    return proc.returncode


def _state(store: Store) -> str:
    """``closed`` (the closure, its release with March's figures and the close's audit row) or ``open`` (no
    closure, no release, no observation, no close audit); anything else fails the test."""
    with store.engine.connect() as conn:
        closures = conn.execute(select(MonthClosure.period, MonthClosure.release_id)).all()
        releases = conn.execute(select(Release.id)).scalars().all()
        observations = conn.execute(select(func.count()).select_from(Observation.__table__)).scalar_one()
        closes = conn.execute(select(func.count()).select_from(AuditEntry.__table__)
                              .where(AuditEntry.action == "close")).scalar_one()
        march = conn.execute(select(func.count()).select_from(Observation.__table__)
                             .where(Observation.period == MAR)).scalar_one()
    if not closures:
        assert (releases, observations, closes) == ([], 0, 0), "an open month with something of a close left"
        return "open"
    ((period, release_id),) = closures
    assert period == MAR and release_id is not None and releases == [release_id], closures
    assert march > 0 and closes == 1
    return "closed"


def _close_again(store: Store, state: str) -> None:
    if state == "closed":
        with pytest.raises(review.AlreadyClosed):
            review.close_month(store, MAR, by="stat", publish_on=PUBLISH, today=TODAY, force=True, reason="again",
                               skip={p: "history" for p in review.months_to_skip(store, MAR)})
        return
    done = review.close_month(store, MAR, by="stat", publish_on=PUBLISH, today=TODAY, force=True, reason="again",
                              skip={p: "history" for p in review.months_to_skip(store, MAR)})
    assert done.release_id is not None and _state(store) == "closed"


@pytest.mark.parametrize("point", review.CRASH_POINTS)
def test_regression_issue12_kill_9_at_each_step_of_a_close(store: Store, db_url: str, point: str) -> None:
    assert _run(db_url, crash_at=point) == -signal.SIGKILL
    assert _state(store) == "open"  # everything before the commit is rolled back
    _close_again(store, "open")


def test_kill_9_at_random_moments_of_a_close(store: Store, db_url: str) -> None:
    rng = random.Random(12)
    seen = set()
    for delay in sorted(rng.uniform(0.05, 2.5) for _ in range(4)):
        code = _run(db_url, kill_after=delay)
        state = _state(store)
        seen.add(state)
        # Finished → closed with its release; killed → open with nothing, or closed with its release when the
        # kill came after the commit (while the child was exiting). _state fails on anything in between.
        assert code != 0 or state == "closed"
        if state == "closed":
            break
    assert "open" in seen  # at least one kill landed inside the close (the earliest comes 0.05 s into it)
    _close_again(store, _state(store))
    assert _state(store) == "closed"


def test_the_close_runs_to_the_end_without_the_hook(store: Store, db_url: str) -> None:
    assert _run(db_url) == 0 and _state(store) == "closed"
