"""Start-up stays light (no SQLAlchemy, pydantic or durable_rules for --help), and the installed
`coach` script works in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "pydantic", "durable")
COACH = Path(sys.executable).with_name("coach")


def imported_modules(stderr: str) -> set[str]:
    """Top-level module names from `python -X importtime` output."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name and name != "imported package":
                names.add(name.split(".")[0])
    return names


def env_with(coach_home) -> dict[str, str]:
    env = dict(os.environ)
    env["COACH_HOME"] = str(coach_home)
    env.pop("COACH_DATABASE_URL", None)
    return env


@pytest.mark.parametrize(
    "code",
    [
        "import coach.cli.main",
        "import sys; from coach.cli.main import cli; sys.argv=['coach', '--help']; cli(prog_name='coach')",
        "import sys; from coach.cli.main import cli; sys.argv=['coach', '--version']; cli(prog_name='coach')",
    ],
)
def test_light_start_up(code, coach_home):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                          env=env_with(coach_home))
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = imported_modules(proc.stderr)
    assert "click" in names  # the parse worked: the check can fail
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_help_of_every_command_is_light(coach_home):
    """Listing commands imports each command module: their top-level imports must stay light too."""
    from coach.cli.main import COMMANDS

    for name in sorted(COMMANDS):
        code = f"import sys; from coach.cli.main import cli; sys.argv=['coach', {name!r}, '--help']; cli(prog_name='coach')"
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                              env=env_with(coach_home))
        assert proc.returncode == 0, f"{name}: {proc.stderr[-2000:]}"
        heavy = imported_modules(proc.stderr) & set(HEAVY)
        assert not heavy, f"`coach {name} --help` imports {sorted(heavy)}"


@pytest.mark.skipif(not COACH.exists(), reason="the coach console script is not installed next to this Python")
def test_installed_script_in_a_real_process(coach_home, tmp_path):
    env = env_with(coach_home)
    db = str(tmp_path / "real.db")

    def coach(*args):
        return subprocess.run([str(COACH), *args, "--db", db], capture_output=True, text=True, env=env)

    assert coach("init", "--name", "Ana", "--goal", "10k").returncode == 0
    assert coach("log", "--date", "2026-11-20", "--distance", "10km", "--duration", "50:00", "--rpe", "6").returncode == 0
    out = coach("history", "--since", "all", "--json")
    assert out.returncode == 0, out.stderr
    assert [w["distance_m"] for w in json.loads(out.stdout)["workouts"]] == [10000.0]
    bad = coach("log", "--rpe", "11")
    assert bad.returncode == 1
    assert bad.stderr == "Error: --rpe: input should be less than or equal to 10 (got '11')\n"
    assert "Traceback" not in bad.stderr
    version = subprocess.run([str(COACH), "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("coach ")


def test_shell_completion_is_light(coach_home):
    env = env_with(coach_home)
    env.update(_COACH_COMPLETE="bash_complete", COMP_WORDS="coach h", COMP_CWORD="1")
    code = "from coach.cli.main import main; main()"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env)
    assert "plain,history" in proc.stdout  # completion really ran
    heavy = imported_modules(proc.stderr) & set(HEAVY)
    assert not heavy, sorted(heavy)
