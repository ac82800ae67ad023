"""`coach log` (one workout by hand) and `coach history` (what you have logged)."""

from __future__ import annotations

import json

import click

from coach.cli.options import athlete_option, date_option, db_option, handle_errors, json_option, rules_option

_OPTION_OF = {"start_time": "--start", "elevation_gain": "--elevation", "date": "--date"}


def _label(field: str) -> str:
    return _OPTION_OF.get(field, "--" + field.replace("_", "-"))


def describe_workout(workout, units: str = "km") -> str:
    """One line: '2026-11-20 run intervals 8 km in 40:00 (5:00/km), RPE 8'."""
    from coach.engine.presentation import format_clock, format_distance, format_pace
    from coach.engine.units import pace_of

    parts = [workout.date.isoformat(), workout.sport.value]
    if workout.kind:
        parts.append(workout.kind.value)
    if workout.distance_m is not None:
        parts.append(format_distance(workout.distance_m, units))
    if workout.duration_s is not None:
        parts.append(f"in {format_clock(workout.duration_s, tenths=True)}")
    pace = pace_of(workout.distance_m, workout.duration_s)
    if pace and workout.sport.value == "run":
        parts.append(f"({format_pace(pace, units)})")
    text = " ".join(parts)
    if workout.avg_power_w is not None:
        text += f", {workout.avg_power_w:g} W"
    if workout.rpe is not None:
        text += f", RPE {workout.rpe}"
    if workout.reps:
        text += f", {len(workout.reps)} reps"
    return text


@click.command("log")
@date_option
@click.option("--start", "start_time", metavar="HH:MM", help="Start time, local (or an ISO date-time with offset).")
@click.option("--sport", metavar="SPORT", help="run (default), bike, swim, brick, strength, cross or rest.")
@click.option("--kind", metavar="KIND", help="easy, recovery, steady, long, tempo, intervals, repetitions, "
              "three_zone, race, time_trial, cross or rest.")
@click.option("--distance", metavar="DIST", help="With a unit: 10km, 6.2mi, 800m.")
@click.option("--duration", metavar="TIME", help="Moving time: 45:00, 1:02:03, 45min.")
@click.option("--elapsed", metavar="TIME", help="Elapsed time including stops.")
@click.option("--rpe", metavar="1-10", help="How hard it felt, 1 (very easy) to 10 (maximal).")
@click.option("--avg-hr", metavar="BPM", help="Average heart rate.")
@click.option("--max-hr", metavar="BPM", help="Maximum heart rate.")
@click.option("--cadence", metavar="SPM", help="Average cadence (steps or revolutions per minute).")
@click.option("--power", metavar="WATTS", help="Average power of a ride (bike only), e.g. 210W; with an FTP "
              "(`coach athlete set --ftp`) the load comes from it.")
@click.option("--elevation", "elevation_gain", metavar="DIST", help="Elevation gain, e.g. 120m.")
@click.option("--soreness", metavar="0-10", help="Muscle soreness today, 0 (none) to 10.")
@click.option("--sleep", metavar="HOURS", help="Hours slept last night, e.g. 7.5.")
@click.option("--splits", metavar="T,T,...", help="Rep times in order, e.g. 1:28,1:29,1:31.")
@click.option("--rep-distance", metavar="DIST", help="Distance of each rep, e.g. 400m (gives rep paces).")
@click.option("--target-pace", metavar="PACE", help="Target pace of the reps, e.g. 3:40/km.")
@click.option("--rep-hr", metavar="BPM,...", help="Average heart rate of each rep, in order.")
@click.option("--form-broke-at", metavar="N", help="The rep where your form broke down.")
@click.option("--notes", metavar="TEXT", help="Anything worth remembering.")
@click.option("--force", is_flag=True, help="Accept a pace or race time faster than seems possible.")
@click.option("--rest", is_flag=True, help="A rest day taken on purpose (the same as --sport rest): "
              "rest, not an absence.")
@athlete_option
@db_option
@handle_errors
def log_command(on_date, force, athlete_name, db_url, rest, **fields):
    """Log one workout.

    Only --date (default today) is needed; give what you know. Distances need a unit,
    times are mm:ss or h:mm:ss. What cannot be true is refused (a pace faster than the
    world record, heart rate over 250, a ride's average power above what any rider
    holds, a date more than a day ahead); --force accepts a pace, race time or power
    you know is right.

    \b
    Example:
      coach log --date 2026-11-20 --kind intervals --distance 8km --duration 40:00 \\
          --rpe 8 --splits 1:28,1:29,1:31,1:33 --rep-distance 400m --form-broke-at 4 \\
          --soreness 3 --sleep 7.5
      coach log --date 2026-11-22 --sport bike --duration 1:30:00 --power 185W
      coach log --date 2026-11-21 --rest
    """
    from coach.storage import open_store
    from coach.service.logbook import log_workout
    from coach.storage.logbook import parse_workout

    if rest:
        if fields.get("sport") not in (None, "rest"):
            raise click.UsageError(f"--rest: a rest day has no sport, got --sport {fields['sport']}")
        fields["sport"] = "rest"
    workout = parse_workout({"date": on_date, **fields}, label=_label)
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete, saved = log_workout(uow, athlete_name, workout, label=_label, force=force)
    click.echo(f"Logged #{saved.id} for {athlete.name}: {describe_workout(saved, athlete.units.value)}")


@click.command("history")
@click.option("--since", default="28", show_default=True, metavar="N|DATE|all",
              help="The last N days (today included), from a date, or all.")
@click.option("--until", metavar="DATE", help="Last day to show (default: no limit).")
@athlete_option
@rules_option
@db_option
@json_option
@handle_errors
def history_command(since, until, athlete_name, rules_dir, db_url, as_json):
    """Show the logged workouts, oldest first, each with its id, its load and how it held
    against the session proposed for its day.

    The Load column says where each load came from: RPE (RPE x minutes), HR (heart rate),
    pace, power or swim pace, all on the RPE x minutes scale (see the README). The Plan
    column is the compliance: green within +-20 % of the planned duration (or distance) at
    the planned intensity, amber within +-50 %, red beyond that or at the wrong intensity
    (the bands are in the rule set's planned/planned.yml). A day without a stored proposal
    (`coach next` and `coach email` store them) shows nothing there. A terminal narrower
    than 110 columns gets the table without heart rate, reps and notes (--json has all).

    \b
    Example:
      coach history --since 14
      coach history --since 2026-10-01 --json
    """
    from coach.cli.rulesets import rule_set_in_use
    from coach.engine.errors import InvalidInput
    from coach.engine.units import parse_date, parse_since
    from coach.service.compliance import workouts_against_plan
    from coach.service.logbook import history
    from coach.storage import open_store

    try:
        first = parse_since(since)
    except InvalidInput as exc:
        raise InvalidInput(f"--since: {exc}") from None
    try:
        last = parse_date(until) if until else None
    except InvalidInput as exc:
        raise InvalidInput(f"--until: {exc}") from None
    from coach.service.loads import loads_of

    ruleset = rule_set_in_use(rules_dir)
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete, workouts = history(uow, athlete_name, first, last)
        held = workouts_against_plan(uow, athlete, workouts, first, last, ruleset)
        loads = loads_of(uow, athlete, workouts, ruleset)
    if as_json:
        payload = {
            "athlete": athlete.name,
            "since": first.isoformat() if first else None,
            "until": last.isoformat() if last else None,
            "workouts": [{**w.model_dump(mode="json"), "load": _rounded(loads[id(w)].load),
                          "load_method": loads[id(w)].method,
                          "compliance": c.to_json_dict() if c else None}
                         for w, c in zip(workouts, held)],
        }
        click.echo(json.dumps(payload, indent=2, allow_nan=False))  # never Infinity/NaN: not JSON
        return
    _print_table(athlete, workouts, first, held, loads)


def _rounded(value):
    return None if value is None else round(value, 1)


def _print_table(athlete, workouts, first, held, loads) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from coach.cli.safe_text import markup, plain
    from coach.engine.presentation import format_clock, format_distance, format_pace
    from coach.engine.units import pace_of

    units = athlete.units.value
    period = f"since {first.isoformat()}" if first else "all time"
    if not workouts:
        click.echo(f"No workouts for {plain(athlete.name)} ({period}). Log one with `coach log` or `coach import FILE`.")
        return
    console = Console()
    wide = console.width >= _WIDE
    used = sorted({loads[id(w)].method for w in workouts} - {"none"}, key=list(_METHOD_TAG).index)
    # narrow: one letter says where a load came from, and only when the loads mix methods
    tags = _METHOD_TAG if wide else {m: (t[0] if len(used) > 1 else "") for m, t in _METHOD_TAG.items()}
    table = Table(title=f"{markup(athlete.name)}: {len(workouts)} workout{'' if len(workouts) == 1 else 's'}, {period}",
                  title_justify="left", box=box.SIMPLE_HEAD if wide else None, pad_edge=False)
    columns = _COLUMNS if wide else _NARROW_COLUMNS
    for col in columns:
        right = col in {"#", "Distance", "Dist", "Time", "Pace", "RPE", "HR", "Load"}
        table.add_column(col, justify="right" if right else "left", no_wrap=col != "Notes",
                         overflow="ellipsis")
    for w, c in zip(workouts, held):
        reps = ""
        if w.reps:
            reps = f"{len(w.reps)}" + (f", broke@{w.form_broke_at}" if w.form_broke_at else "")
        pace = pace_of(w.distance_m, w.duration_s) if w.sport.value == "run" else None
        kind = (w.kind.value if w.kind else "") + ("*" if w.kind_inferred else "")
        got = loads[id(w)]
        cells = {
            "#": str(w.id),
            "Date": w.date.isoformat(),
            "Workout": f"{w.sport.value} {kind}".strip(),
            "Distance": format_distance(w.distance_m, units),
            "Time": format_clock(w.duration_s, tenths=True),
            "Pace": format_pace(pace, units),
            "RPE": "" if w.rpe is None else str(w.rpe),
            "HR": "" if w.avg_hr is None else str(w.avg_hr),
            "Load": "" if got.load is None else f"{got.load:.0f} {tags[got.method]}".strip(),
            "Reps": reps,
            "Plan": "" if c is None else f"[{_COLOUR[c.colour]}]{c.colour}[/]"
            + ("" if c.volume_pct is None else f" {c.volume_pct:.0f}%"),
            "Notes": markup(_shorten(plain(w.notes), 30)),
        }
        cells["Dist"] = cells["Distance"]
        table.add_row(*(cells[col] for col in columns))
    console.print(table)
    notes = ["broke@N: form broke at rep N"] if wide and any(w.form_broke_at for w in workouts) else []
    if used:
        notes.append("load from " + ", ".join(f"{tags[m]}: {_METHOD_WORDS[m]}" if tags[m] else _METHOD_WORDS[m]
                                            for m in used))
    if any(w.kind_inferred for w in workouts):
        notes.append("*: kind inferred from the data, not logged")
    if any(held):
        notes.append("Plan: done against the proposal of the day (green/amber/red, % of the planned volume)")
    if not wide:
        notes.append(f"heart rate, reps and notes: `coach workout show ID`, --json, or {_WIDE} columns")
    if notes:
        console.print(plain("; ".join(notes)) + ".", highlight=False, markup=False)


# Below _WIDE columns the table keeps what judges a day (distance, time, pace, effort, load,
# plan) and leaves heart rate, reps and notes to `coach workout show` and --json.
_WIDE = 110
_COLUMNS = ("#", "Date", "Workout", "Distance", "Time", "Pace", "RPE", "HR", "Load", "Reps", "Plan", "Notes")
_NARROW_COLUMNS = ("#", "Date", "Workout", "Dist", "Time", "Pace", "RPE", "Load", "Plan")
_COLOUR = {"green": "green", "amber": "yellow", "red": "red"}
_METHOD_TAG = {"rpe": "RPE", "power": "W", "hr": "HR", "pace": "pace", "swim_pace": "swim", "none": ""}
_METHOD_WORDS = {"rpe": "RPE x minutes", "power": "power vs FTP", "hr": "heart rate (TRIMP)",
                 "pace": "pace vs threshold", "swim_pace": "pace vs CSS", "none": ""}


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"
