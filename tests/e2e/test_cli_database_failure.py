"""A database that fails while a command uses it gives one line, exit 1, and nothing written."""

from __future__ import annotations

import sqlite3

from coach.cli.main import cli


def test_a_locked_database_is_one_line_and_nothing_is_written(runner, tmp_path):
    path = tmp_path / "coach.db"
    assert runner.invoke(cli, ["init", "--name", "Ana", "--db", str(path)]).exit_code == 0
    url = f"sqlite:///{path}?timeout=0.2"  # wait briefly for the lock instead of 5 s
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the write lock; reading still works
    try:
        result = runner.invoke(cli, ["log", "--distance", "5km", "--duration", "25:00", "--db", url])
    finally:
        blocker.rollback()
        blocker.close()
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert lines == ["Error: database error: database is locked; nothing was changed"], result.output
    history = runner.invoke(cli, ["history", "--since", "all", "--json", "--db", str(path)])
    assert history.exit_code == 0 and '"workouts": []' in history.output
