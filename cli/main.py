"""The `coach` command group.

Commands are loaded lazily (click's documented LazyGroup pattern) so that `coach --help`,
`coach --version` and shell completion import only click: SQLAlchemy, pydantic and
durable_rules are imported inside the commands that need them. Command modules must keep
their top-level imports light for the same reason.
"""

from __future__ import annotations

import importlib

import click

from coach.cli.options import keep_for_commands

#: command name -> "module:attribute", relative to the coach.cli package.
COMMANDS: dict[str, str] = {
    "next": "cmd_next:next_command",
    "why": "cmd_next:why_command",
    "plan": "cmd_plan:plan_command",
    "simulate": "cmd_simulate:simulate_command",
    "cron": "cmd_cron:cron",
    "email": "cmd_email:email",
    "worker": "cmd_worker:worker_command",
    "export": "cmd_export:export",
    "init": "cmd_athlete:init_command",
    "athlete": "cmd_athlete:athlete_group",
    "log": "cmd_log:log_command",
    "history": "cmd_log:history_command",
    "checkin": "cmd_checkin:checkin_command",
    "workout": "cmd_workout:workout_group",
    "import": "cmd_import:import_command",
    "db": "cmd_db:db_group",
    "trends": "cmd_trends:trends_command",
    "rules": "cmd_rules:rules_group",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is used or listed."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            module_name, attr = self.lazy_commands[cmd_name].split(":")
            module = importlib.import_module(f"coach.cli.{module_name}")
            return getattr(module, attr)
        return super().get_command(ctx, cmd_name)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coach")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`--version`: the package metadata is read only when asked for, not on the start-up of
    every command (`coach --help` and shell completion included)."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"coach {_version()}")
    ctx.exit()


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", "-V", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("--db", "db_url", metavar="URL|PATH", expose_value=False, callback=keep_for_commands,
              help="Database for the command (same as the command's own --db).")
@click.option("--athlete", "athlete_name", metavar="NAME", expose_value=False, callback=keep_for_commands,
              help="Athlete for the command (same as the command's own --athlete).")
@click.option("--rules", "rules_dir", metavar="DIR", expose_value=False, callback=keep_for_commands,
              help="Rule set for the command (same as the command's own --rules).")
def cli() -> None:
    """coach: adaptive training sessions from your own log, by rules you can read.

    \b
    Get started:
      coach init --name Ana --goal 5k --recent-race 5k=20:30
      coach log --date 2026-11-20 --kind intervals --distance 8km --duration 40:00 --rpe 8
      coach next

    The database is a SQLite file in your data directory unless --db or
    COACH_DATABASE_URL names another (SQLite or PostgreSQL).
    """


def main() -> None:
    cli(prog_name="coach")


if __name__ == "__main__":  # pragma: no cover
    main()
