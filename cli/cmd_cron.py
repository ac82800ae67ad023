"""`coach cron install|show|remove`: the crontab line that emails tomorrow's session each evening."""

from __future__ import annotations

import functools

import click

from coach.cli.options import handle_errors

_tabfile_option = click.option(
    "--tabfile", type=click.Path(dir_okay=False), metavar="FILE",
    help="Edit this crontab-format file instead of your crontab (e.g. for a system cron folder).",
)


def _spec_options(func):
    @click.option("--time", "at", default="20:00", show_default=True, metavar="HH:MM",
                  help="When to send, every day, on this machine's clock.")
    @click.option("--athlete", "athlete_name", metavar="NAME",
                  help="Email only this athlete (default: every athlete with an address, `--all`).")
    @click.option("--db", "db_url", metavar="URL|PATH", help="Database the job uses (default: as coach finds it).")
    @click.option("--rules", "rules_dir", metavar="DIR", help="Rule set directory the job uses.")
    @click.option("--log", "log_file", metavar="FILE", help="Append the job's output to FILE instead of cron's mail.")
    @click.option("--queue", is_flag=True,
                  help="Queue the night's jobs for `coach worker` (PostgreSQL store) instead of sending.")
    @functools.wraps(func)
    def wrapper(*args, at, athlete_name, db_url, rules_dir, log_file, queue, **kwargs):
        from coach.cli.crontab import CronSpec

        spec = CronSpec(time=at, athlete=athlete_name, db_url=db_url, rules_dir=rules_dir, log_file=log_file,
                        queue=queue)
        return func(*args, spec=spec, **kwargs)

    return wrapper


@click.group("cron")
def cron() -> None:
    """Email each athlete tomorrow's session every evening, from your crontab.

    \b
    Example:
      coach cron install --time 20:00     # add (or replace) the line
      coach cron show                     # print it
      coach cron remove                   # take it out
      coach cron install --queue          # PostgreSQL: queue jobs for workers

    The job runs `coach email --all`, which is safe to run again: each athlete gets at
    most one email per date, and a failed send is retried on the next run. Cron does not
    see your shell's variables: put SMTP settings in config.toml and the password in a
    file readable only by you (see `coach email --help`). With --queue (a PostgreSQL store)
    the line runs `coach email --all --queue`: it queues the night's jobs, and `coach
    worker` processes, on this or other machines, send them.
    """


@cron.command("install")
@_spec_options
@_tabfile_option
@handle_errors
def install(spec, tabfile) -> None:
    """Add the daily email line to your crontab (replacing an earlier one).

    \b
    Example:
      coach cron install --time 19:30 --log ~/coach-email.log
    """
    from pathlib import Path

    from coach.cli.crontab import install as install_line

    line, replaced = install_line(spec, Path(tabfile) if tabfile else None)
    click.echo(line)
    click.echo(("replaced the earlier coach line" if replaced else "installed") + " in "
               + (tabfile or "your crontab"), err=True)


@cron.command("show")
@_spec_options
@_tabfile_option
@handle_errors
def show(spec, tabfile) -> None:
    """Print the crontab line: the installed one, else the one `install` would write.

    Works without cron: copy the line into any scheduler.

    \b
    Example:
      coach cron show --time 19:30
    """
    from pathlib import Path

    from coach.cli.crontab import CrontabUnavailable, cron_line, installed

    try:
        lines = installed(Path(tabfile) if tabfile else None)
    except CrontabUnavailable as exc:
        lines, note = [], f"not installed ({exc})"
    else:
        note = "installed" if lines else "not installed: `coach cron install` would add this line"
    for line in lines or [cron_line(spec)]:
        click.echo(line)
    click.echo(note, err=True)


@cron.command("remove")
@_tabfile_option
@handle_errors
def remove(tabfile) -> None:
    """Take the daily email line out of your crontab (other lines are kept).

    \b
    Example:
      coach cron remove
    """
    from pathlib import Path

    from coach.cli.crontab import remove as remove_lines

    count = remove_lines(Path(tabfile) if tabfile else None)
    click.echo(f"removed {count} coach line(s) from {tabfile or 'your crontab'}" if count
               else "no coach line to remove", err=True)
