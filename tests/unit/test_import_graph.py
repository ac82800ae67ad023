"""The one-way flow between the top-level packages, checked on every module's imports (with `ast`).

    cli -> service -> storage -> engine's domain types
                   -> engine

engine imports no other coach package (only the rule-set data in coach.rules); storage
imports only engine's domain types (and its table of limits) and never service or cli; service imports engine and
storage only; cli may import everything; nothing but cli imports cli. Imports inside
functions and under TYPE_CHECKING count as much as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "storage", "service", "cli")
#: data packages (files, no logic) that code may locate its files through
DATA = {"rules", "migrations"}
#: what storage may use of engine: the domain types, the table of limits (what a stored number
#: may be), plus the collector pause of bulk reads
STORAGE_MAY_USE = {"coach.engine.model", "coach.engine.errors", "coach.engine.units", "coach.engine.limits",
                   "coach.engine.collector"}
ALLOWED = {
    "engine": set(),
    "storage": {"engine"},
    "service": {"engine", "storage"},
    "cli": {"engine", "storage", "service"},
}


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every absolute `coach.*` module a file imports (from X import Y counts X and X.Y; a bare
    package such as `coach.engine` is then judged by its X.Y)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in found if m.split(".")[0] == "coach"}


def violations(path: Path, imports: set[str]) -> list[str]:
    """The forbidden imports of one file, as 'file imports module' lines."""
    rel = path.relative_to(ROOT).as_posix()
    own = rel.split("/")[0]
    bad = []
    for module in sorted(imports):
        parts = module.split(".")
        if len(parts) < 2 or parts[1] == own or parts[1] in DATA:
            continue
        target = parts[1]
        if target not in ALLOWED[own]:
            bad.append(f"{rel} imports {module}")
        elif own == "storage" and len(parts) > 2 and not any(module == m or module.startswith(m + ".") for m in STORAGE_MAY_USE):
            bad.append(f"{rel} imports {module}")
    return bad


def test_every_package_is_checked():
    assert len(_modules()) > 40
    assert {p.relative_to(ROOT).parts[0] for p in _modules()} == set(PACKAGES)


def test_imports_flow_one_way():
    bad = [line for path in _modules() for line in violations(path, _imports(path))]
    assert bad == []


@pytest.mark.parametrize("file, module", [
    ("engine/facts.py", "coach.storage.repository"),
    ("engine/paces.py", "coach.service.propose"),
    ("storage/repository.py", "coach.service.plan"),
    ("storage/db.py", "coach.cli.config"),
    ("storage/repository.py", "coach.engine.paces"),
    ("service/plan.py", "coach.cli.render"),
])
def test_a_forbidden_edge_is_reported(file, module):
    assert violations(ROOT / file, {module}) == [f"{file} imports {module}"]


def test_allowed_edges_pass():
    assert violations(ROOT / "cli/cmd_next.py", {"coach.service.propose", "coach.storage", "coach.engine.units"}) == []
    assert violations(ROOT / "storage/repository.py", {"coach.engine.model", "coach.engine.errors.NotFound"}) == []
    assert violations(ROOT / "engine/rules/__init__.py", {"coach.rules"}) == []
