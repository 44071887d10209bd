"""Issue 16: no import runs against the data flow (docs/architecture.md, "The flow").

    sources ──► compile ──► store ──► analysis ──► publish ──► web

A stage imports only stages to its left and shared leaf modules; the domain packages built on the store
(linkage, origin, portal, demo, cli) are never imported by sources, compile or store. Every import counts,
function-level ones included (they run too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "vnindustry"
FLOW = ("sources", "compile", "store", "analysis", "publish", "web")
ABOVE_THE_STORE = ("linkage", "origin", "portal", "demo", "cli")


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in out if m.startswith("vnindustry.")]


def test_regression_issue16_no_import_runs_against_the_flow() -> None:
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        stage = path.relative_to(ROOT).parts[0].removesuffix(".py")
        if stage not in FLOW:
            continue
        for line, module in _imports(path):
            target = module.split(".")[1]
            later = target in FLOW and FLOW.index(target) > FLOW.index(stage)
            above = stage in ("sources", "compile", "store") and target in ABOVE_THE_STORE
            if later or above:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == [], "\n".join(wrong)


MAX_MODULE_LINES = 600


def test_regression_issue16_no_module_past_600_lines() -> None:
    """Modules past 600 lines are split by what they hold (issue 16, "Room to grow")."""
    long = [f"{path.relative_to(ROOT)}: {n} lines" for path in sorted(ROOT.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert long == [], "split these by what they hold:\n" + "\n".join(long)
