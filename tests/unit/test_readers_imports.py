"""The file readers (storage/csvfile.py, storage/readers/) turn files into workout values
and nothing more: no classification, form detection, paces or rule loading (that is the
import service's preparation step, the same for every source)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READERS = [ROOT / "storage" / "csvfile.py", *sorted((ROOT / "storage" / "readers").glob("*.py"))]
ALLOWED = ("coach.engine.model", "coach.engine.errors", "coach.engine.units", "coach.storage")


def _coach_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coach"):
            names.add(node.module if node.module != "coach.engine" else
                      "coach.engine." + ",".join(a.name for a in node.names))
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("coach"))
    return names


@pytest.mark.parametrize("path", READERS, ids=lambda p: p.name)
def test_readers_import_only_values_and_other_readers(path):
    wrong = sorted(m for m in _coach_imports(path) if not m.startswith(ALLOWED))
    assert wrong == [], f"{path.name} imports {wrong}"


def test_the_check_sees_a_wrong_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from coach.engine.classify import classify\n")
    assert _coach_imports(bad) == {"coach.engine.classify"}
