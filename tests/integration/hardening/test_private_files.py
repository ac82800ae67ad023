"""Issue 17, finding 7: the athlete's data is owner-only, and no database password goes
into a crontab line; `%` is escaped for cron."""

from __future__ import annotations

import os
import stat

import pytest

from coach.cli.crontab import CronSpec, cron_line, install, installed
from coach.cli.main import cli
from coach.engine.errors import InvalidInput


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """A permissive umask, as on many desktops: the modes below must not depend on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_init_creates_an_owner_only_store(runner, coach_home):
    result = runner.invoke(cli, ["init", "--name", "Ana"])
    assert result.exit_code == 0, result.output
    data = coach_home / "data"
    assert mode(data) == 0o700
    assert mode(data / "coach.db") == 0o600
    # a write in WAL mode creates the companions: SQLite gives them the database's mode
    import sqlite3

    con = sqlite3.connect(data / "coach.db")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE probe (x)")
    companions = [data / f"coach.db{s}" for s in ("-wal", "-shm") if (data / f"coach.db{s}").exists()]
    assert companions
    assert all(mode(p) == 0o600 for p in companions)
    con.close()


def test_an_older_wide_open_store_is_narrowed(runner, tmp_path):
    db = tmp_path / "old.db"
    assert runner.invoke(cli, ["--db", str(db), "init", "--name", "Ana"]).exit_code == 0
    db.chmod(0o644)
    assert runner.invoke(cli, ["--db", str(db), "history"]).exit_code == 0
    assert mode(db) == 0o600


def test_exported_calendar_is_owner_only(runner, tmp_path):
    db = tmp_path / "c.db"
    assert runner.invoke(cli, ["--db", str(db), "init", "--name", "Ana"]).exit_code == 0
    out = tmp_path / "plan.ics"
    result = runner.invoke(cli, ["--db", str(db), "export", "--ics", str(out), "--days", "2"])
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600


def test_cron_refuses_a_password_in_the_url(tmp_path):
    with pytest.raises(InvalidInput, match=r"^--db: the database URL holds a password.*config.toml"):
        install(CronSpec(db_url="postgresql://ana:s3cret@db.example.org/coach"), tmp_path / "tab", environ={})
    with pytest.raises(InvalidInput, match=r"^COACH_DATABASE_URL: the database URL holds a password"):
        cron_line(CronSpec(), environ={"COACH_DATABASE_URL": "postgresql://ana:s3cret@db/coach"})
    assert not (tmp_path / "tab").exists()


def test_cron_line_without_password_keeps_the_url(tmp_path):
    line = cron_line(CronSpec(db_url="postgresql://ana@db.example.org/coach"), environ={})
    assert "postgresql://ana@db.example.org/coach" in line


def test_cron_refuses_a_password_in_a_readable_config(runner, coach_home, tmp_path):
    config = coach_home / "config"
    config.mkdir()
    (config / "config.toml").write_text('[database]\nurl = "postgresql://ana:s3cret@db/coach"\n')
    (config / "config.toml").chmod(0o644)
    result = runner.invoke(cli, ["cron", "install", "--tabfile", str(tmp_path / "tab")])
    assert result.exit_code == 1
    assert "readable by others" in result.output and "chmod 600" in result.output
    (config / "config.toml").chmod(0o600)
    result = runner.invoke(cli, ["cron", "install", "--tabfile", str(tmp_path / "tab")])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in (tmp_path / "tab").read_text()


def test_percent_is_escaped_for_cron(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "50%home"))
    spec = CronSpec(log_file=str(tmp_path / "email-%Y.log"))
    shown = cron_line(spec)
    written, _ = install(spec, tmp_path / "tab")
    for line in (shown, written, *installed(tmp_path / "tab")):
        assert "50\\%home" in line and "email-\\%Y.log" in line
        assert "%" not in line.replace("\\%", "")


def test_config_and_cache_folders_are_owner_only(runner, coach_home):
    assert runner.invoke(cli, ["rules", "init"]).exit_code == 0
    assert mode(coach_home / "config") == 0o700
    assert mode(coach_home / "config" / "rules") == 0o700
    assert runner.invoke(cli, ["init", "--name", "Ana"]).exit_code == 0
    assert runner.invoke(cli, ["next"]).exit_code == 0  # validates and caches the rule set
    assert (coach_home / "cache").is_dir() and mode(coach_home / "cache") == 0o700


def test_trends_chart_is_owner_only(runner, tmp_path):
    pytest.importorskip("matplotlib")
    db = tmp_path / "c.db"
    assert runner.invoke(cli, ["--db", str(db), "init", "--name", "Ana"]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(db), "log", "--date", "2026-11-20", "--distance", "5km",
                               "--duration", "25:00", "--rpe", "4"]).exit_code == 0
    out = tmp_path / "trends.png"
    result = runner.invoke(cli, ["--db", str(db), "trends", "--date", "2026-11-21", "--png", str(out)])
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
