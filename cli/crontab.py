"""The crontab entry that emails tomorrow's session every evening.

The line is built here, without touching any crontab, so `coach cron show` can print it
on machines without cron. `install` and `remove` edit your crontab through python-crontab
(which runs the `crontab` program), or a crontab-format file given with `tabfile`.
Only the line marked with the comment `coach-daily-email` is ever changed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from coach.engine.errors import CoachError, InvalidInput

MARKER = "coach-daily-email"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
#: environment variables a cron job does not inherit but coach needs to find its data
_CARRIED_ENV = ("COACH_HOME", "COACH_DATABASE_URL", "COACH_RULES")


class CrontabUnavailable(CoachError):
    """The user's crontab cannot be read or written (no `crontab` program, or it failed)."""


@dataclass(frozen=True)
class CronSpec:
    """What the cron job runs and when."""

    time: str = "20:00"
    athlete: str | None = None
    db_url: str | None = None
    rules_dir: str | None = None
    log_file: str | None = None
    #: queue the night's jobs for `coach worker` (PostgreSQL) instead of sending from this machine
    queue: bool = False

    def schedule(self) -> str:
        match = _TIME.match(self.time.strip())
        if not match:
            raise InvalidInput(f"--time {self.time!r}: use HH:MM on a 24-hour clock, e.g. 20:00")
        hour, minute = int(match.group(1)), int(match.group(2))
        return f"{minute} {hour} * * *"


def coach_executable() -> list[str]:
    """How cron should start this very coach: its console script, else `python -m coach.cli`."""
    beside = Path(sys.executable).parent / "coach"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which("coach")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "coach.cli"]


def cron_command(spec: CronSpec, environ: dict[str, str] | None = None) -> str:
    """The shell command of the cron job (absolute paths; carries COACH_HOME and friends).

    :param spec: what to run
    :param environ: the environment to carry settings from (default: os.environ)
    """
    environ = dict(os.environ if environ is None else environ)
    _refuse_password(spec.db_url, "--db")
    if not spec.db_url:
        _refuse_password(environ.get("COACH_DATABASE_URL"), "COACH_DATABASE_URL")
    env = [f"{name}={shlex.quote(environ[name])}" for name in _CARRIED_ENV
           if environ.get(name, "").strip() and not (name == "COACH_DATABASE_URL" and spec.db_url)
           and not (name == "COACH_RULES" and spec.rules_dir)]
    args = [*coach_executable(), "email"]
    if spec.queue and spec.athlete:
        raise InvalidInput("--queue emails every athlete: leave out --athlete")
    if spec.queue and spec.db_url:
        from coach.cli.jobqueue import require_queue

        require_queue(spec.db_url)  # a SQLite store has no queue: refused now, not at 20:00
    args += ["--athlete", spec.athlete] if spec.athlete else ["--all"]
    if spec.queue:
        args += ["--queue"]
    if spec.db_url:
        args += ["--db", _absolute_if_path(spec.db_url)]
    if spec.rules_dir:
        args += ["--rules", str(Path(spec.rules_dir).expanduser().absolute())]
    command = " ".join([*env, *(shlex.quote(a) for a in args)])
    if spec.log_file:
        command += f" >> {shlex.quote(str(Path(spec.log_file).expanduser().absolute()))} 2>&1"
    return command


def _refuse_password(url: str | None, where: str) -> None:
    """A crontab line, and the job's process arguments, can be read by other users: a
    database password must never be in them. The job finds the URL in config.toml instead."""
    if not url or "://" not in url:
        return
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url.strip()).password
    except (ArgumentError, ValueError):
        return
    if password:
        raise InvalidInput(
            f"{where}: the database URL holds a password, which would be readable in the crontab and "
            "in the job's process list; put the URL in config.toml ([database] url = \"...\", "
            "chmod 600) or the password in ~/.pgpass, then install without it"
        )


def _check_config_private() -> None:
    """The job reads a database password from config.toml: that file must be owner-only."""
    import stat

    from coach.cli.config import load_settings

    settings = load_settings()
    if settings.database_source != str(settings.config_file):
        return
    try:
        _refuse_password(settings.database_url, "config.toml")
        return
    except InvalidInput:
        pass
    try:
        mode = stat.S_IMODE(settings.config_file.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        raise InvalidInput(f"{settings.config_file}: holds a database password and is readable by others "
                           f"(mode {mode:o}); run chmod 600 on it first")


def escape_percent(command: str) -> str:
    """cron turns an unescaped % in a command into a line break: write it as \\%."""
    return command.replace("%", "\\%")


def _absolute_if_path(db: str) -> str:
    return db if "://" in db else str(Path(db).expanduser().absolute())


def cron_line(spec: CronSpec, environ: dict[str, str] | None = None) -> str:
    """The exact crontab line `install` writes."""
    return f"{spec.schedule()} {escape_percent(cron_command(spec, environ))} # {MARKER}"


def _open(tabfile: Path | None):
    from crontab import CronTab

    if tabfile is not None:
        if not tabfile.exists():
            return CronTab(tab="")
        try:
            return CronTab(tabfile=str(tabfile))
        except OSError as exc:
            raise CrontabUnavailable(f"cannot read crontab file {tabfile}: {exc.strerror or exc}") from None
    try:
        return CronTab(user=True)
    except (OSError, ValueError) as exc:
        raise CrontabUnavailable(f"cannot read your crontab ({exc}); add the line from `coach cron show` by hand") from None


def _write(tab, tabfile: Path | None) -> None:
    try:
        if tabfile is not None:
            tab.write(str(tabfile))
        else:
            tab.write()
    except (OSError, ValueError) as exc:
        where = f"crontab file {tabfile}" if tabfile else "your crontab"
        raise CrontabUnavailable(f"cannot write {where}: {exc}") from None


def installed(tabfile: Path | None = None) -> list[str]:
    """The coach lines now in the crontab (normally zero or one)."""
    tab = _open(tabfile)
    return [job.render() for job in tab.find_comment(MARKER)]


def install(spec: CronSpec, tabfile: Path | None = None, environ: dict[str, str] | None = None) -> tuple[str, bool]:
    """Put the coach line in the crontab, replacing an earlier one; other lines are kept.

    :returns: the line written, and whether an earlier coach line was replaced
    """
    schedule, command = spec.schedule(), cron_command(spec, environ)
    _check_config_private()
    tab = _open(tabfile)
    replaced = bool(list(tab.find_comment(MARKER)))
    tab.remove_all(comment=MARKER)
    job = tab.new(command=command, comment=MARKER)
    job.setall(schedule)
    _write(tab, tabfile)
    return job.render(), replaced


def remove(tabfile: Path | None = None) -> int:
    """Take the coach line(s) out of the crontab; returns how many were removed."""
    tab = _open(tabfile)
    count = len(list(tab.find_comment(MARKER)))
    if count:
        tab.remove_all(comment=MARKER)
        _write(tab, tabfile)
    return count
