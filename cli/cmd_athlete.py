"""`coach init` and `coach athlete show|set`: the athlete profile."""

from __future__ import annotations

import json

import click

from coach.cli.options import athlete_option, date_option, db_option, handle_errors, json_option, rules_option

from coach.cli.safe_text import plain

_OPTION_OF = {"recent_races": "--recent-race", "rest_days": "--rest-day", "race_date": "--race-date",
              "ftp_w": "--ftp", "css_s_per_100m": "--css", "threshold_pace_s_per_km": "--threshold-pace"}


def _label(field: str) -> str:
    return _OPTION_OF.get(field, "--" + field.replace("_", "-"))


def profile_options(func):
    """The profile options shared by `init` and `athlete set`."""
    for option in reversed([
        click.option("--sport", metavar="run|triathlon", help="What you train for."),
        click.option("--goal", metavar="GOAL", help="Goal race: 5k, 10k, half, marathon, sprint, olympic, 70.3, ironman."),
        click.option("--race-date", metavar="YYYY-MM-DD", help="Date of the goal race ('none' clears it)."),
        click.option("--recent-race", "recent_races", multiple=True, metavar="LABEL=TIME[@DATE]",
                     help="A recent race or time trial, e.g. 5k=20:30@2026-10-01; it replaces the "
                          "result with the same label, and 5k=none removes it. Repeatable."),
        click.option("--rest-day", "rest_days", multiple=True, metavar="DAY",
                     help="Preferred rest day (mon..sun). Repeatable; replaces the current list."),
        click.option("--long-run-day", metavar="DAY", help="Day of the long run (mon..sun; 'none': no calendar week)."),
        click.option("--days-per-week", metavar="N", help="Training days a week, 1-7 ('none': all but the rest days)."),
        click.option("--swim-days", metavar="DAYS", help="Triathletes: your swim days, e.g. mon,thu ('none': the default week)."),
        click.option("--bike-days", metavar="DAYS", help="Triathletes: your bike days, e.g. tue,sat,sun ('none': the default week)."),
        click.option("--long-ride-day", metavar="DAY", help="Triathletes: the day of the long ride, one of the bike days ('none': the default)."),
        click.option("--units", metavar="km|mi", help="Units to show distances and paces in."),
        click.option("--email", metavar="ADDRESS", help="Where `coach email` sends proposals ('none' clears it)."),
        click.option("--sex", metavar="female|male", help="For the heart-rate load (Banister's weighting)."),
        click.option("--hr-max", metavar="BPM", help="Maximal heart rate (else estimated from your watch data)."),
        click.option("--hr-rest", metavar="BPM", help="Resting heart rate (else from morning check-ins)."),
        click.option("--threshold-hr", metavar="BPM", help="Lactate-threshold heart rate (else 90 % of HRmax)."),
        click.option("--threshold-pace", "threshold_pace_s_per_km", metavar="PACE", help="Threshold pace, e.g. 4:30/km (else from your races)."),
        click.option("--ftp", "ftp_w", metavar="WATTS",
                     help="Bike functional threshold power, e.g. 250 ('none' clears it)."),
        click.option("--css", "css_s_per_100m", metavar="PACE|TEST",
                     help="Critical swim speed per 100 m, e.g. 1:45, or a 400/200 m test: "
                          "400=6:30,200=3:05 ('none' clears it)."),
        click.option("--force", is_flag=True, help="Accept a race time outside the pace model's range."),
    ]):
        func = option(func)
    return func


def _summary(athlete, known=None) -> str:
    from coach.engine.units import format_race_result

    races = ", ".join(format_race_result(r.label, r.time_s, r.date) for r in athlete.recent_races) or "none"
    lines = [
        f"Athlete:      {plain(athlete.name)}",
        f"Sport:        {athlete.sport.value}",
        f"Goal:         {athlete.goal.value}" + (f" on {athlete.race_date.isoformat()}" if athlete.race_date else ""),
        f"Recent races: {races}",
        f"Rest days:    {', '.join(d.value for d in athlete.rest_days) or 'none'}",
        f"Long run:     {athlete.long_run_day.value if athlete.long_run_day else _no_long_run_day(athlete)}"
        + (f", {athlete.days_per_week} days a week" if athlete.days_per_week else ""),
        *_multisport_lines(athlete),
        f"Units:        {athlete.units.value}",
        f"Email:        {athlete.email or 'none'}",
    ]
    if known is not None:
        lines += _physiology_lines(athlete, known)
    return "\n".join(lines)


def _no_long_run_day(athlete) -> str:
    return "default week" if athlete.sport.value == "triathlon" else "none (rotating pattern)"


def _multisport_lines(athlete) -> list[str]:
    """A triathlete's swim and bike days and long ride ('default': the rule set's default week)."""
    if athlete.sport.value != "triathlon":
        return []

    def days(value) -> str:
        return "default week" if value is None else ", ".join(d.value for d in value)

    ride = athlete.long_ride_day.value if athlete.long_ride_day else "default week"
    return [f"Swim days:    {days(athlete.swim_days)}",
            f"Bike days:    {days(athlete.bike_days)}; long ride: {ride}"]


_SHOWN = {"sex": "Sex", "hr_max": "HRmax", "hr_rest": "Resting HR", "threshold_hr": "Threshold HR",
          "threshold_pace_s_per_km": "Threshold pace", "ftp_w": "FTP", "css_s_per_100m": "CSS"}


def _physiology_lines(athlete, known) -> list[str]:
    """The physiology, each value with '(estimated: source)' when it is not the athlete's own."""
    import textwrap

    from coach.engine.presentation import format_clock, format_pace

    def shown(name, value) -> str:
        if name in ("hr_max", "hr_rest", "threshold_hr"):
            return f"{float(value):.0f} bpm"
        if name == "threshold_pace_s_per_km":
            return format_pace(float(value), athlete.units.value)
        if name == "ftp_w":
            return f"{float(value):.0f} W"
        if name == "css_s_per_100m":
            return f"{format_clock(float(value))}/100m"
        return str(value)

    lines = []
    for name, title in _SHOWN.items():
        k = known.get(name)
        text = "unknown" if k is None else shown(name, k.value) + (f" (estimate: {k.source})" if k.estimated else "")
        lines.append(textwrap.fill(f"{title + ':':<16}{text}", 80, subsequent_indent=" " * 16))
    return lines


@click.command("init")
@click.option("--name", required=True, metavar="NAME", help="Your name (unique in this store).")
@profile_options
@db_option
@handle_errors
def init_command(name, db_url, force, **fields):
    """Create your athlete profile (and the database, on first use).

    \b
    Example:
      coach init --name Ana --sport run --goal 10k --race-date 2027-04-18 \\
          --recent-race 5k=20:30@2026-10-01 --rest-day sun --units km --email ana@example.org
    """
    from coach.storage import open_store
    from coach.service.logbook import create_athlete
    from coach.storage.logbook import parse_athlete

    athlete = parse_athlete({"name": name, **fields}, label=_label)
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = create_athlete(uow, athlete, label=_label, force=force)
        click.echo(f"Created athlete {plain(athlete.name)} in {store.display_url}.\n" + _summary(athlete))


@click.group("athlete")
def athlete_group():
    """Show or change your athlete profile.

    \b
    Example:
      coach athlete set --recent-race 10k=42:30@2026-11-02
    """


def _season_glance(athlete, workouts, day, ruleset) -> str:
    """The season at a glance: phase and weeks to race, current paces and where they came from."""
    import textwrap

    from coach.engine.presentation import format_pace
    from coach.engine.season import position
    from coach.service.propose import paces_detail

    lines = []
    if ruleset.season is not None:
        where = position(ruleset.season, athlete, day)
        text = where.phase + (f" week {where.week_of_phase}" if where.week_of_phase else "")
        if where.down_week:
            text += " (down week)"
        if where.weeks_to_race is not None:
            text += f", {where.weeks_to_race} weeks to the race" if where.weeks_to_race else ", race week"
        lines.append(f"Season:       {text} (on {day.isoformat()})")
    paces, source = paces_detail(athlete, workouts, day, ruleset)
    units = athlete.units.value
    if paces is not None:
        lines.append(f"Paces:        easy {format_pace(paces.easy, units)}, threshold {format_pace(paces.threshold, units)}, "
                     f"interval {format_pace(paces.interval, units)}, race {format_pace(paces.race, units)}")
    lines.extend(textwrap.wrap(source, 80, initial_indent="              ", subsequent_indent="              "))
    return "\n".join(lines)


@athlete_group.command("show")
@athlete_option
@db_option
@json_option
@date_option
@rules_option
@handle_errors
def athlete_show(athlete_name, db_url, as_json, on_date, rules_dir):
    """Show the athlete profile, the physiology the load uses and the season at a glance.

    Physiology values are your own or estimates from your data, marked with their source.
    The season line says where --date (default: today) falls on the way to the race; the
    paces line gives the current training paces and where they come from. --json for scripts.

    \b
    Example:
      coach athlete show --date 2026-12-01
    """
    from coach.cli.options import resolve_day
    from coach.service.propose import read_history
    from coach.storage import open_store

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(athlete_name)
        from coach.cli.rulesets import rule_set_in_use
        from coach.service.loads import known_physiology

        day, ruleset = resolve_day(on_date), rule_set_in_use(rules_dir)
        known = known_physiology(uow, athlete, ruleset, day)
        workouts = read_history(uow, [athlete.id], day, ruleset)[athlete.id]
    if as_json:
        data = athlete.model_dump(mode="json")
        data["physiology_known"] = {name: {"value": k.value, "source": k.source, "estimated": k.estimated}
                                    for name, k in known.items()}
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(_summary(athlete, known) + "\n" + _season_glance(athlete, workouts, day, ruleset))


def _known_physiology(uow, athlete, rules_dir):
    """The athlete's physiology today: their own values, else estimates (service/loads.py)."""
    import datetime as dt

    from coach.cli.rulesets import rule_set_in_use
    from coach.service.loads import known_physiology

    return known_physiology(uow, athlete, rule_set_in_use(rules_dir), dt.date.today())


@athlete_group.command("set")
@click.option("--name", "new_name", metavar="NAME", help="Rename the athlete.")
@profile_options
@athlete_option
@rules_option
@db_option
@handle_errors
def athlete_set(new_name, athlete_name, rules_dir, db_url, force, **fields):
    """Change the athlete profile: only the options given change.

    A --recent-race replaces the result with the same label; --rest-day replaces the list
    (use `--rest-day none` for no fixed rest day).

    \b
    Example:
      coach athlete set --goal half --race-date 2027-05-02 --rest-day mon --rest-day fri
      coach athlete set --sex female --hr-max 190 --hr-rest 48 --recent-race 10k=none
      coach athlete set --long-run-day sun --days-per-week 5 --rest-day mon
      coach athlete set --ftp 250 --css 400=6:30,200=3:05
      coach athlete set --swim-days mon,wed,fri --bike-days tue,thu,sat --long-ride-day sat
    """
    from coach.storage import open_store
    from coach.service.logbook import update_athlete

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = update_athlete(uow, athlete_name, {"name": new_name, **fields}, label=_label, force=force)
        known = _known_physiology(uow, athlete, rules_dir)
    click.echo("Updated.\n" + _summary(athlete, known))
