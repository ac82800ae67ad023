"""Every command and subcommand of `coach` has `--help` that exits 0 and teaches by example:
its help text has at least one line that starts with `coach ` (an invocation to copy)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from coach.cli.main import cli


def _paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group, info_name="coach")
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"coach {' '.join(prefix + (name,))} is listed but cannot be loaded"
        found.append(prefix + (name,))
        if isinstance(command, click.Group):
            found.extend(_paths(command, prefix + (name,)))
    return found


COMMANDS = _paths(cli)


def test_the_walk_finds_the_commands_and_their_subcommands():
    # a walk that found nothing would let every test below pass without checking
    assert ("next",) in COMMANDS and ("init",) in COMMANDS
    assert any(len(path) == 2 and path[0] == "rules" for path in COMMANDS)
    assert any(len(path) == 2 and path[0] == "db" for path in COMMANDS)


def _examples(path: tuple[str, ...]) -> list[str]:
    result = CliRunner().invoke(cli, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [line.strip() for line in result.output.splitlines() if line.strip().startswith("coach ")]


def test_the_group_help_shows_an_example():
    assert _examples(()), "`coach --help` has no example line starting with 'coach '"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(("coach", *p)))
def test_every_command_help_exits_0_and_shows_an_example_of_itself(path):
    examples = _examples(path)
    invocation = "coach " + " ".join(path)
    assert any(line == invocation or line.startswith(invocation + " ") for line in examples), (
        f"`{invocation} --help` has no example line starting with '{invocation}': {examples}")
