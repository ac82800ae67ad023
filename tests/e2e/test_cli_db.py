"""`coach db current|upgrade`."""

from __future__ import annotations

from coach.cli.main import cli


def test_current_then_upgrade_then_current(runner, tmp_path):
    db = str(tmp_path / "c.db")
    out = runner.invoke(cli, ["db", "current", "--db", db]).output
    assert out.startswith(f"Database: {db} (from --db)\nRevision: none (empty database) (behind ")
    out = runner.invoke(cli, ["db", "upgrade", "--db", db]).output
    assert "Upgraded from empty to " in out
    out = runner.invoke(cli, ["db", "upgrade", "--db", db]).output
    assert "Already at revision " in out
    out = runner.invoke(cli, ["db", "current", "--db", db]).output
    assert out.endswith("(up to date)\n")


def test_current_names_where_the_url_came_from(runner, coach_home, monkeypatch, tmp_path):
    out = runner.invoke(cli, ["db", "current"]).output
    assert f"Database: {coach_home / 'data' / 'coach.db'} (from default)" in out
    (coach_home / "config").mkdir()
    (coach_home / "config" / "config.toml").write_text(f'[database]\nurl = "{tmp_path / "cfg.db"}"\n')
    out = runner.invoke(cli, ["db", "current"]).output
    assert f"Database: {tmp_path / 'cfg.db'} (from {coach_home / 'config' / 'config.toml'})" in out
    monkeypatch.setenv("COACH_DATABASE_URL", str(tmp_path / "env.db"))
    out = runner.invoke(cli, ["db", "current"]).output
    assert f"Database: {tmp_path / 'env.db'} (from COACH_DATABASE_URL)" in out


def test_bad_config_file_is_one_line(runner, coach_home):
    (coach_home / "config").mkdir()
    (coach_home / "config" / "config.toml").write_text("[database\n")
    result = runner.invoke(cli, ["history"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {coach_home / 'config' / 'config.toml'}: invalid TOML")
    assert result.output.count("\n") == 1
