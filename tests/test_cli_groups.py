"""Issue 16 (bulletins): the command line registers only the group of the command it runs.

``vnindustry.cli.GROUPS`` names, for each command of the root app, the modules that register it; ``main()``
imports those alone (every group for ``--help`` or an unknown name, and when the group alone would make Typer
run the app as that one command)."""

from __future__ import annotations

import subprocess
import sys

from typer.main import get_command_name

import vnindustry.cli
from vnindustry.cli import GROUPS


def _modules(typer_app) -> set[str]:  # type: ignore[no-untyped-def]
    found = {c.callback.__module__.rsplit(".", 1)[1] for c in typer_app.registered_commands}
    for group in typer_app.registered_groups:
        found |= _modules(group.typer_instance)
    return found


def test_regression_issue16_groups_name_every_command_and_its_modules() -> None:
    app = vnindustry.cli.app
    registered = {c.name or get_command_name(c.callback.__name__): {c.callback.__module__.rsplit(".", 1)[1]}
                  for c in app.registered_commands}
    registered |= {g.name: _modules(g.typer_instance) for g in app.registered_groups}
    assert {name: set(modules) for name, modules in GROUPS.items()} == registered


def _loaded(args: list[str]) -> list[str]:
    code = ("import sys, gc; from vnindustry.cli import _app_for; _app_for(sys.argv[1:]); "
            "print(' '.join(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('vnindustry.cli.'))))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_regression_issue16_a_command_registers_its_group_only() -> None:
    assert _loaded(["bulletin"]) == ["common", "publish"]
    assert _loaded(["linkage"]) == ["common", "linkage", "linkage_connect", "linkage_events"]
    every = sorted({"common", *(m for modules in GROUPS.values() for m in modules)})
    assert _loaded(["--help"]) == every
    assert _loaded(["no-such-command"]) == every
    assert _loaded([]) == every
    assert _loaded(["adjust"]) == every  # one command alone: Typer would run the app as that command


def test_regression_issue16_commands_run_from_their_group_alone() -> None:
    for args, expected in ((["adjust", "--help"], "--all"), (["bulletin", "--help"], "--period"),
                           (["origin", "--help"], "lookup"), (["--help"], "bulletin")):
        done = subprocess.run([sys.executable, "-m", "vnindustry.cli", *args], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout
    done = subprocess.run([sys.executable, "-m", "vnindustry.cli", "bulletin"], capture_output=True, text=True)
    assert done.returncode == 2 and "--period" in done.stderr


def _threshold_after_start(args: list[str]) -> str:
    code = "import sys, gc; from vnindustry.cli import start; start(sys.argv[1:]); print(gc.get_threshold())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_regression_issue16_commands_run_with_the_batch_gc_threshold() -> None:
    """A command's run collects cycles at BATCH_GC_THRESHOLD (adjust --all spent 0.35 s of 5 s in the
    collector at Python's default); ``serve`` keeps the default, as does the process before ``start``."""
    default = subprocess.run([sys.executable, "-c", "import gc; print(gc.get_threshold())"], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert _threshold_after_start(["adjust", "--all"]) == str(vnindustry.cli.BATCH_GC_THRESHOLD)
    assert _threshold_after_start(["bulletin"]) == str(vnindustry.cli.BATCH_GC_THRESHOLD)
    assert _threshold_after_start(["serve"]) == default != str(vnindustry.cli.BATCH_GC_THRESHOLD)


def test_regression_issue16_a_command_does_not_import_pydantic() -> None:
    """Typer 0.29 imports pydantic to coerce every option (~55 ms of each command's start-up; pyproject.toml caps
    it below): a command's run — its options parsed and coerced — leaves pydantic unimported."""
    code = ("import runpy, sys\n"
            "sys.argv = ['vnindustry', 'bulletin', '--period', '2025-13', '--lang', 'vi', '--db', 'sqlite://']\n"
            "try:\n    runpy.run_module('vnindustry.cli', run_name='__main__')\n"
            "except SystemExit as exc:\n    print('exit', exc.code)\n"
            "print('pydantic' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["exit", "2", "False"], done.stdout + done.stderr
