"""`coach workout show|edit|delete ID`: fix the log (ids are in `coach history`)."""

from __future__ import annotations

import datetime as dt
import json

import click

from coach.cli.options import athlete_option, db_option, handle_errors, json_option, rules_option

#: the `coach log` fields `workout edit` can change (reps are not edited here)
EDITABLE = ("date", "start_time", "sport", "kind", "distance", "duration", "elapsed", "rpe", "avg_hr", "max_hr",
            "cadence", "elevation_gain", "soreness", "sleep", "form_broke_at", "notes")
_MODEL_FIELD = {"distance": "distance_m", "duration": "duration_s", "elapsed": "elapsed_s",
                "elevation_gain": "elevation_gain_m", "sleep": "sleep_h"}
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
    from coach.cli.rulesets import load_rule_set
    from coach.cli.workout_loads import loads_of
    from coach.storage import open_store

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(athlete_name)
        workout = uow.workouts.get(athlete.id, workout_id)
        got = loads_of(uow, athlete, [workout], load_rule_set(rules_dir))[id(workout)]
    if as_json:
        click.echo(json.dumps({**workout.model_dump(mode="json"), "load": None if got.load is None else round(got.load, 1),
                               "load_method": got.method}, indent=2))
    else:
        click.echo(_show(workout, got, athlete.units.value))


def _edit_options(func):
    for name in reversed(EDITABLE):
        func = click.option(_label(name), name, metavar="VALUE",
                            help=f"New {name.replace('_', ' ')}, as for `coach log` ('none' clears it).")(func)
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
    from coach.engine.errors import InvalidInput
    from coach.storage import open_store
    from coach.storage.logbook import check_plausible, describe_validation_error, parse_workout

    given = {k: v for k, v in fields.items() if v is not None and str(v).strip()}
    if not given:
        raise InvalidInput("nothing to change: give at least one option (see --help)")
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(athlete_name)
        current = uow.workouts.get(athlete.id, workout_id)
        data = current.model_dump()
        cleared = [k for k, v in given.items() if str(v).strip().lower() == "none"]
        for key in cleared:
            if key in ("date", "sport"):
                raise InvalidInput(f"{_label(key)}: cannot be cleared")
            data[_MODEL_FIELD.get(key, key)] = None
        text = {k: v for k, v in given.items() if k not in cleared}
        if text:
            parsed = parse_workout({"date": current.date.isoformat(), "sport": current.sport.value, **text},
                                   label=_label, force=True)
            for key in text:
                model_key = _MODEL_FIELD.get(key, key)
                data[model_key] = getattr(parsed, model_key)
        from pydantic import ValidationError

        from coach.engine.model import Workout

        try:
            changed = Workout.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput(describe_validation_error(exc, _label)) from None
        check_plausible(changed, dt.date.today(), _label, force)
        uow.workouts.update(athlete.id, changed)
        uow.commit()
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
    from coach.storage import open_store

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(athlete_name)
        workout = uow.workouts.get(athlete.id, workout_id)
        text = describe_workout(workout, athlete.units.value)
        if not yes and not click.confirm(f"Delete #{workout_id} {text}?", default=False):
            raise click.ClickException("not deleted")
        uow.workouts.delete(athlete.id, workout_id)
        uow.commit()
    click.echo(f"Deleted #{workout_id} {text}.")
