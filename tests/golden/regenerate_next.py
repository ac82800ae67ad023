"""Regenerate the golden file of `coach next --json` for the demo athlete, after an intended change.

    python tests/golden/regenerate_next.py

Demo Runner (`coach.cli.demo`, six weeks of history) is built in a temporary database as
of DAY, and `coach next --json --date DAY` is run on it through click. The whole document
is kept (session, adaptations, every fact the rules saw, the rule set's content hash), and
the test compares it exactly: DAY is fixed and the demo history is seeded from the dates,
so no key is volatile. Any change in facts, rules, composition or paces shows up here as a
diff; when it is intended, run this script and review the diff of `tests/golden/next/`.

`next_golden()` has the shape of a golden kind for `regenerate.py`: it returns
{file name: JSON data} for the folder FOLDER.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FOLDER = "next"
#: a Monday: the pattern asks for intervals, and two rules adapt them (the long run two days
#: before, the form that broke in the last interval session)
DAY = dt.date(2026, 11, 23)
FILE = f"demo-{DAY.isoformat()}.json"
#: keys of the document that may differ between runs (compared loosely); none, DAY is fixed
VOLATILE: frozenset[str] = frozenset()


def next_json_of_demo(day: dt.date = DAY) -> dict[str, Any]:
    """`coach next --json --date DAY` for Demo Runner built as of `day`, in a fresh temp store."""
    from click.testing import CliRunner

    from coach.cli.demo import NAME, build_demo
    from coach.cli.main import cli
    from coach.storage import open_store

    with tempfile.TemporaryDirectory() as tmp:
        home, db = Path(tmp) / "home", str(Path(tmp) / "demo.db")
        home.mkdir()
        # the user's own config and environment must not leak into the golden file
        env = {"COACH_HOME": str(home), "COACH_DATABASE_URL": None, "COACH_ATHLETE": None, "COACH_RULES": None}
        saved = {name: os.environ.get(name) for name in env}
        try:
            for name, value in env.items():
                os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
            with open_store(db) as store:
                build_demo(store, day)
            result = CliRunner().invoke(
                cli, ["next", "--db", db, "--athlete", NAME, "--date", day.isoformat(), "--json"])
        finally:
            for name, value in saved.items():
                os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    if result.exit_code != 0:
        raise RuntimeError(f"coach next failed (exit {result.exit_code}): {result.output}")
    return json.loads(result.stdout)


def next_golden() -> dict[str, Any]:
    """{file name: data} of the `next` golden folder."""
    return {FILE: next_json_of_demo(DAY)}


def render(data: Any) -> str:
    """The text of a golden JSON file (stable: indented, keys in the order coach printed them)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    folder = HERE / FOLDER
    folder.mkdir(exist_ok=True)
    files = next_golden()
    for old in folder.glob("*.json"):
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (folder / name).write_text(render(data), encoding="utf-8")
        print(f"{FOLDER}/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
