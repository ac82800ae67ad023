"""`coach cron install|show|remove` on a crontab file (never the real user crontab)."""

from __future__ import annotations

import shlex
import subprocess

import pytest
from click.testing import CliRunner

from coach.cli.crontab import MARKER
from coach.cli.main import cli

OTHER = "MAILTO=me@example.org\n5 4 * * * /usr/bin/backup --all # nightly backup\n"


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    monkeypatch.delenv("COACH_RULES", raising=False)
    return CliRunner()


def _coach_lines(path):
    return [line for line in path.read_text().splitlines() if MARKER in line]


def test_show_prints_the_exact_line_without_touching_any_crontab(runner, tmp_path):
    tab = tmp_path / "tab"
    result = runner.invoke(cli, ["cron", "show", "--time", "19:30", "--tabfile", str(tab)])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.startswith("30 19 * * * ")
    assert line.endswith(f" email --all # {MARKER}")
    assert f"COACH_HOME={tmp_path / 'home'}" in line  # cron does not inherit the shell's variables
    assert "not installed" in result.stderr
    assert not tab.exists()


def test_the_lines_command_really_runs_coach(runner, tmp_path):
    line = runner.invoke(cli, ["cron", "show", "--tabfile", str(tmp_path / "tab")]).stdout.strip()
    command = line.split(" ", 5)[5].rsplit(" # ", 1)[0]
    done = subprocess.run(["sh", "-c", command + " --help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout and "email" in done.stdout


def test_install_keeps_other_lines_replaces_its_own_and_remove_takes_only_its_own(runner, tmp_path):
    tab = tmp_path / "tab"
    tab.write_text(OTHER)
    first = runner.invoke(cli, ["cron", "install", "--tabfile", str(tab), "--db", str(tmp_path / "c.db")])
    assert first.exit_code == 0, first.output
    assert "installed" in first.stderr
    (line,) = _coach_lines(tab)
    assert line == first.stdout.strip()
    assert line.startswith("0 20 * * * ") and f"--db {tmp_path / 'c.db'}" in line
    assert OTHER.strip() in tab.read_text()

    second = runner.invoke(cli, ["cron", "install", "--tabfile", str(tab), "--time", "6:05", "--athlete", "Ana María"])
    assert second.exit_code == 0, second.output
    assert "replaced" in second.stderr
    (line,) = _coach_lines(tab)
    assert line.startswith("5 6 * * * ") and shlex.quote("Ana María") in line and "--all" not in line

    shown = runner.invoke(cli, ["cron", "show", "--tabfile", str(tab)])
    assert shown.stdout.strip() == line and shown.stderr.strip() == "installed"

    removed = runner.invoke(cli, ["cron", "remove", "--tabfile", str(tab)])
    assert removed.exit_code == 0 and "removed 1" in removed.stderr
    assert _coach_lines(tab) == []
    assert tab.read_text().strip() == OTHER.strip()
    again = runner.invoke(cli, ["cron", "remove", "--tabfile", str(tab)])
    assert again.exit_code == 0 and "no coach line" in again.stderr


def test_install_creates_a_missing_tabfile_and_logs_to_a_file(runner, tmp_path):
    tab = tmp_path / "new-tab"
    result = runner.invoke(cli, ["cron", "install", "--tabfile", str(tab), "--log", str(tmp_path / "email.log")])
    assert result.exit_code == 0, result.output
    (line,) = _coach_lines(tab)
    assert f">> {tmp_path / 'email.log'} 2>&1 # {MARKER}" in line


@pytest.mark.parametrize("bad", ["25:00", "8pm", "20:60", ""])
def test_bad_time_is_one_line_error(runner, tmp_path, bad):
    result = runner.invoke(cli, ["cron", "install", "--time", bad, "--tabfile", str(tmp_path / "tab")])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "--time" in result.stderr and "HH:MM" in result.stderr
    assert not (tmp_path / "tab").exists()


def test_queue_line_enqueues_for_workers_and_refuses_sqlite_or_one_athlete(runner, tmp_path):
    """Issue 18: on a PostgreSQL store the nightly line can queue the jobs for `coach worker`."""
    tab = tmp_path / "tab"
    url = "postgresql://coach@db.example.org/club"
    done = runner.invoke(cli, ["cron", "install", "--queue", "--db", url, "--tabfile", str(tab)])
    assert done.exit_code == 0, done.output
    (line,) = _coach_lines(tab)
    assert line.endswith(f" email --all --queue --db {url} # {MARKER}")
    for args, why in ((["--db", str(tmp_path / "c.db")], "needs a PostgreSQL store"),
                      (["--db", url, "--athlete", "Ana"], "leave out --athlete")):
        refused = runner.invoke(cli, ["cron", "install", "--queue", *args, "--tabfile", str(tmp_path / "t2")])
        assert refused.exit_code == 1 and why in refused.output, refused.output
        assert not (tmp_path / "t2").exists() and not (tmp_path / "c.db").exists()
