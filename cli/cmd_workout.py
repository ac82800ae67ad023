"""`coach workout show|edit|delete ID`: fix the log (ids are in `coach history`)."""

from __future__ import annotations

import json

import click

from coach.cli.options import athlete_option, db_option, handle_errors, json_option, rules_option

_OPTION_OF = {"start_time": "--start", "elevation_gain": "--elevation", "date": "--date"}


def _label(field: str) -> str:
    return _OPTION_OF.get(field, "--" + field.replace("_", "-"))


@click.group("workout")
def workout_group():
    """Show, edit or delete one logged workout by its id (see `coach history`).

    \b
    Example:
      coach workout edit 42 --rpe 4
    """


def _show(workout, got, units: str) -> str:
    from coach.cli.cmd_log import describe_workout
    from coach.engine.load_methods import METHOD_WORDS

    lines = [f"#{workout.id} {describe_workout(workout, units)}"]
    extra = [f"{k} {v}" for k, v in (("avg HR", workout.avg_hr), ("max HR", workout.max_hr),
                                      ("soreness", workout.soreness), ("sleep", workout.sleep_h)) if v is not None]
    if extra:
        lines.append("  " + ", ".join(extra))
    load = "unknown (no RPE, heart rate or pace to compute it from)" if got.load is None else (
        f"{got.load:.0f} AU from {METHOD_WORDS[got.method]}")
    lines.append(f"  load: {load}")
    lines.append(f"  source: {workout.source}" + (f"; notes: {workout.notes}" if workout.notes else ""))
    return "\n".join(lines)


@workout_group.command("show")
@click.argument("workout_id", type=int, metavar="ID")
@athlete_option
@rules_option
@db_option
@json_option
@handle_errors
def workout_show(workout_id, athlete_name, rules_dir, db_url, as_json):
    """Show one workout with its load and where the load came from.

    \b
    Example:
      coach workout show 42 --json
    """
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.workout import show_workout
    from coach.storage import open_store

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete, workout, got = show_workout(uow, athlete_name, workout_id, rule_set_in_use(rules_dir))
    if as_json:
        click.echo(json.dumps({**workout.model_dump(mode="json"), "load": None if got.load is None else round(got.load, 1),
                               "load_method": got.method}, indent=2))
    else:
        click.echo(_show(workout, got, athlete.units.value))


#: the fields `workout edit` offers (coach.service.workout.EDITABLE; a test keeps them equal)
EDIT_OPTIONS = ("date", "start_time", "sport", "kind", "distance", "duration", "elapsed", "rpe", "avg_hr", "max_hr",
                "cadence", "elevation_gain", "soreness", "sleep", "form_broke_at", "notes")


def _edit_options(func):
    for name in reversed(EDIT_OPTIONS):
        clears = "" if name in ("date", "sport") else " ('none' clears it)"
        func = click.option(_label(name), name, metavar="VALUE",
                            help=f"New {name.replace('_', ' ')}, as for `coach log`{clears}.")(func)
    return func


@workout_group.command("edit")
@click.argument("workout_id", type=int, metavar="ID")
@_edit_options
@click.option("--force", is_flag=True, help="Accept a pace or race time faster than seems possible.")
@athlete_option
@db_option
@handle_errors
def workout_edit(workout_id, force, athlete_name, db_url, **fields):
    """Change fields of a logged workout, e.g. add the RPE of an imported run.

    Values are written as for `coach log`; 'none' clears a field. Reps are kept.

    \b
    Example:
      coach workout edit 42 --rpe 4 --notes "felt easy"
    """
    from coach.cli.cmd_log import describe_workout
    from coach.service.workout import edit_workout
    from coach.storage import open_store

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete, changed = edit_workout(uow, athlete_name, workout_id, fields, _label, force=force)
    click.echo(f"Updated #{workout_id}: {describe_workout(changed, athlete.units.value)}")


@workout_group.command("delete")
@click.argument("workout_id", type=int, metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@athlete_option
@db_option
@handle_errors
def workout_delete(workout_id, yes, athlete_name, db_url):
    """Delete a logged workout (asks first unless --yes).

    \b
    Example:
      coach workout delete 42 --yes
    """
    from coach.cli.cmd_log import describe_workout
    from coach.service.workout import delete_workout
    from coach.storage import open_store

    def confirm(athlete, workout) -> bool:
        text = describe_workout(workout, athlete.units.value)
        return yes or click.confirm(f"Delete #{workout_id} {text}?", default=False)

    with open_store(db_url) as store, store.unit_of_work() as uow:
        done = delete_workout(uow, athlete_name, workout_id, confirm)
    if done is None:
        raise click.ClickException("not deleted")
    athlete, workout = done
    click.echo(f"Deleted #{workout_id} {describe_workout(workout, athlete.units.value)}.")
