"""`coach --db X --athlete A --rules D COMMAND`: the shared options also work before the command."""

from __future__ import annotations

import json

from coach.cli.main import cli


def _history(runner, args, env=None):
    result = runner.invoke(cli, [*args], env=env or {})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_db_and_athlete_given_before_the_command(runner, tmp_path):
    db = str(tmp_path / "a.db")
    for name in ("Ana", "Ben"):
        assert runner.invoke(cli, ["--db", db, "init", "--name", name]).exit_code == 0
    assert runner.invoke(cli, ["--db", db, "--athlete", "Ben", "log", "--distance", "5km",
                               "--duration", "25:00", "--date", "2026-11-01"]).exit_code == 0
    ben = _history(runner, ["--db", db, "--athlete", "Ben", "history", "--since", "all", "--json"])
    ana = _history(runner, ["--db", db, "--athlete", "Ana", "history", "--since", "all", "--json"])
    assert (ben["athlete"], len(ben["workouts"])) == ("Ben", 1)
    assert (ana["athlete"], len(ana["workouts"])) == ("Ana", 0)


def test_the_command_option_wins_then_the_group_option_then_the_environment(runner, tmp_path):
    first, second = str(tmp_path / "first.db"), str(tmp_path / "second.db")
    assert runner.invoke(cli, ["--db", first, "init", "--name", "First"]).exit_code == 0
    assert runner.invoke(cli, ["--db", second, "init", "--name", "Second"]).exit_code == 0
    env = {"COACH_DATABASE_URL": second}
    assert _history(runner, ["--db", first, "history", "--json"], env)["athlete"] == "First"
    assert _history(runner, ["--db", first, "history", "--db", second, "--json"])["athlete"] == "Second"
    assert _history(runner, ["history", "--json"], env)["athlete"] == "Second"


def test_group_rules_reach_the_command(runner, tmp_path):
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "settings.yml").write_text("facts: [\n")
    result = runner.invoke(cli, ["--rules", str(bad), "rules", "check"])
    assert result.exit_code == 1
    assert f"{bad / 'settings.yml'}:2:" in result.output


def test_the_settings_are_read_once_onto_the_context_object(runner, coach_home, monkeypatch):
    import coach.cli.config as config
    from coach.cli.config import AppContext

    reads = []
    real = config.load_settings
    monkeypatch.setattr(config, "load_settings", lambda db=None: reads.append(db) or real(db))
    app = AppContext()
    result = runner.invoke(cli, ["db", "current"], obj=app)
    assert result.exit_code == 0, result.output
    assert reads == [None] and app.settings.database_source == "default"
    assert "(from default)" in result.output
    assert app.group_values == {}


def test_a_bad_config_file_is_one_line_and_writes_nothing(runner, coach_home):
    (coach_home / "config").mkdir()
    (coach_home / "config" / "config.toml").write_text("bogus = 1\n")
    result = runner.invoke(cli, ["next"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {coach_home / 'config' / 'config.toml'}: unknown setting 'bogus' "
        "(known sections: athlete, database, rules, smtp)"]
    assert not (coach_home / "data").exists()
