"""Regenerate the golden files under tests/golden/ after an intended change.

    python tests/golden/regenerate.py            # every kind of golden file
    python tests/golden/regenerate.py compiled   # only some (names below)

Each kind is one entry of GOLDEN: a name, the folder it writes and a function that returns
{file name: JSON data} computed from the current code. The tests compare the same function's
output with the files, so a diff in review shows exactly what a change does. Add a kind by
adding an entry.

- compiled: each built-in rule file `rules/NAME.yml` -> `compiled/NAME.json`, the
  durable_rules form of every rule's condition by rule id (in file order), and
  `compiled/_order.json`, the key each rule gets in the compiled ruleset (priority order).
- next: `coach next --json` of the demo athlete on a fixed date, `next/demo-DATE.json`
  (computed by regenerate_next.py).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def compiled_golden() -> dict[str, Any]:
    """The compiled form of the built-in rule set, one JSON document per rule file."""
    from coach.engine.rules.compiler import compiled_json, rule_key
    from coach.service.rulesets import read_rule_set

    ruleset = read_rule_set(None)
    files: dict[str, Any] = {}
    for rule in sorted(ruleset.rules, key=lambda r: (Path(r.file).name, r.line)):
        doc = files.setdefault(Path(rule.file).stem + ".json", {})
        doc[rule.id] = compiled_json([rule])[rule_key(0)]["all"]
    files["_order.json"] = {rule_key(i): rule.id for i, rule in enumerate(ruleset.rules)}
    return files


#: name -> (folder under tests/golden, the function that computes its files)
GOLDEN: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
    "compiled": ("compiled", compiled_golden),
    "next": ("next", lambda: _next_golden()),
}


def _next_golden() -> dict[str, Any]:
    """`coach next --json` of the demo athlete on a fixed date (see regenerate_next.py)."""
    sys.path.insert(0, str(HERE))
    from regenerate_next import next_golden

    return next_golden()


def render(data: Any) -> str:
    """The text of a golden JSON file (stable: indented, keys in insertion order)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def regenerate(name: str) -> list[Path]:
    """Write the golden files of one kind, removing stale ones; return the files written."""
    folder_name, compute = GOLDEN[name]
    folder = HERE / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    files = compute()
    for old in folder.glob("*.json"):
        if old.name not in files:
            old.unlink()
    written = []
    for file_name, data in files.items():
        path = folder / file_name
        path.write_text(render(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    names = argv or list(GOLDEN)
    unknown = [n for n in names if n not in GOLDEN]
    if unknown:
        print(f"unknown golden kind(s): {', '.join(unknown)} (known: {', '.join(GOLDEN)})", file=sys.stderr)
        return 2
    for name in names:
        for path in regenerate(name):
            print(path.relative_to(HERE))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
