"""Issue 16: the store's schema is Core tables (store/tables/); every statement of the package is built on them, so
no command imports SQLAlchemy's ORM — ``adjust --all`` here, a bulletin in tests/test_bulletin_one_read.py (the ORM
and the 36 declarative classes were ~0.1 s of each such command's start-up).

The ORM classes (store/models/) map those very tables: one class per table, the same ``Table`` object, so the
two can never describe different columns; the migrations' schema is compared with ``METADATA`` (which is
``Base.metadata``) in tests/test_issue14_store.py."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import vnindustry
import vnindustry.store.models as models
from test_issue16_adjust import make_store, synthetic
from vnindustry.store.models import Base
from vnindustry.store.tables import METADATA


def test_issue16_every_table_has_one_orm_class_mapping_that_very_table() -> None:
    assert Base.metadata is METADATA
    classes = [getattr(models, name) for name in models.__all__ if isinstance(getattr(models, name), type)
               and issubclass(getattr(models, name), Base) and getattr(models, name) is not Base]
    mapped = [cls.__table__ for cls in classes]
    assert all(any(table is t for t in METADATA.tables.values()) for table in mapped)
    assert sorted(t.name for t in mapped) == sorted(METADATA.tables)  # every table once, no table twice
    assert all(cls.__tablename__ == cls.__table__.name for cls in classes)  # as the declarative classes had it


def test_issue16_the_tables_import_no_orm() -> None:
    code = "import sys, vnindustry.store.tables; print('sqlalchemy.orm' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"], done.stderr


def test_issue16_no_module_of_the_package_uses_the_orm() -> None:
    """Only store/models (the ORM classes, for scripts and tests) imports the ORM or the classes."""
    package = Path(vnindustry.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "models" and path.parent.parent.name == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(package)}: {n}" for n in names
                          if n.startswith(("sqlalchemy.orm", "vnindustry.store.models"))]
    assert offenders == []


def test_regression_issue16_adjust_all_imports_no_orm(tmp_path: Path) -> None:
    """``adjust --all`` reads the store, runs X-13, and stores the adjusted releases and frozen specs — without the
    ORM; the second run re-uses the frozen specs and finds nothing changed."""
    url = make_store(tmp_path, {"S0": synthetic(0, tet=-0.15)})
    code = ("import runpy, sys\n"
            "sys.argv = ['vnindustry', 'adjust', '--db', sys.argv[1], '--all', '--workers', '1']\n"
            "try:\n    runpy.run_module('vnindustry.cli', run_name='__main__')\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('ORM', 'sqlalchemy.orm' in sys.modules)\n")
    for expected in ("new series", "nothing changed"):
        done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True)
        assert done.stdout.splitlines()[-1] == "ORM False", done.stdout + done.stderr
        assert expected in " ".join((done.stdout + done.stderr).split()), done.stdout + done.stderr
