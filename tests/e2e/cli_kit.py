"""The one way the command-line tests run `coach`: through click's runner, in this process."""

from __future__ import annotations

from coach.cli.main import cli


def run(runner, *args, ok=True, input=None):
    """Invoke `coach ARGS` (each argument as text); with `ok`, assert it exited 0.

    Exceptions are not caught: a traceback is a failure of the test, never an outcome to assert on.
    """
    result = runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result
