"""`coach simulate`: a synthetic athlete follows the proposals for a season, week by week."""

from __future__ import annotations

import click

from coach.cli.options import date_option, handle_errors, rules_option

_GOALS = ("5k", "10k", "half", "marathon")


@click.command("simulate")
@click.option("--goal", type=click.Choice(_GOALS), default="5k", show_default=True, help="Goal race.")
@click.option("--weeks", type=click.IntRange(2, 52), default=16, show_default=True,
              help="How many weeks to simulate.")
@click.option("--race-in", "race_in", type=click.IntRange(0, 52), default=None, metavar="WEEKS",
              help="The race falls on the long-run day of this week (default: two weeks before the end; "
                   "0 with --no-race).")
@click.option("--no-race", is_flag=True, help="No race: rolling blocks (weeks up, then a down week).")
@click.option("--fitness", default=None, metavar="LABEL=TIME",
              help="Current fitness as a recent race, e.g. 5k=20:30 (default by goal).")
@click.option("--long-run-day", default="sun", show_default=True, metavar="DAY", help="Day of the long run.")
@click.option("--days-per-week", type=click.IntRange(1, 7), default=5, show_default=True, help="Training days a week.")
@click.option("--rest-day", "rest_days", multiple=True, metavar="DAY", help="Rest day (default: mon). Repeatable.")
@click.option("--ill", default=None, metavar="WEEK:DAYS",
              help="An illness gap: nothing logged for DAYS days from the Monday of WEEK, e.g. 6:5.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the noise (a run repeats).")
@date_option
@rules_option
@handle_errors
def simulate_command(goal, weeks, race_in, no_race, fitness, long_run_day, days_per_week, rest_days, ill, seed,
                     on_date, rules_dir):
    """Simulate a season: a synthetic athlete follows every proposal, week by week.

    Each day is proposed exactly as `coach next` would, and the athlete does it with a
    little seeded noise (or nothing while ill); the race is logged as raced. Nothing is
    read from or written to your database. The season starts on the Monday of --date.

    \b
    Example:
      coach simulate --goal marathon --weeks 16 --rest-day mon --ill 6:5
    """
    import datetime as dt

    from coach.cli.options import resolve_day
    from coach.cli.rulesets import rule_set_in_use
    from coach.engine.errors import InvalidInput
    from coach.service.simulation import Profile, simulate_season, week_rows
    from coach.engine.units import parse_race_result, parse_weekday

    def weekday(option: str, text: str) -> str:
        try:
            return str(getattr(parse_weekday(text), "value", parse_weekday(text)))
        except InvalidInput as exc:
            raise InvalidInput(f"{option}: {exc}") from None

    default_fitness = {"5k": "5k=22:00", "10k": "10k=46:00", "half": "half=1:42:00", "marathon": "half=1:38:00"}
    try:
        result = parse_race_result(fitness or default_fitness[goal])
    except InvalidInput as exc:
        raise InvalidInput(f"--fitness: {exc}") from None
    gap = None
    if ill:
        week, sep, days = ill.partition(":")
        if not sep or not week.strip().isdigit() or not days.strip().isdigit() or not 1 <= int(week) <= weeks:
            raise InvalidInput(f"--ill: use WEEK:DAYS with WEEK from 1 to {weeks}, e.g. 6:5, not {ill!r}")
        gap = ((int(week) - 1) * 7, int(days))
    if race_in is None and not no_race:
        race_in = max(weeks - 2, 0)
    day = resolve_day(on_date)
    profile = Profile(
        name="Simulated", goal=goal, start=day - dt.timedelta(days=day.weekday()), weeks=weeks,
        race_result=(result["label"], result["distance_m"], result["time_s"]),
        race_in_weeks=None if no_race else race_in, long_run_day=weekday("--long-run-day", long_run_day),
        days_per_week=days_per_week,
        rest_days=tuple(weekday("--rest-day", d) for d in rest_days) if rest_days else ("mon",),
        ill=gap, seed=seed,
    )
    athlete = profile.athlete()
    if athlete.long_run_day in athlete.rest_days:
        raise InvalidInput(f"--long-run-day: {long_run_day} is also a rest day")
    ruleset = rule_set_in_use(rules_dir)
    evaluator = ruleset.evaluator()
    days = simulate_season(profile, ruleset, evaluator)
    race = f", race {athlete.race_date.isoformat()}" if athlete.race_date else ", no race"
    click.echo(f"A simulated {goal} season of {weeks} weeks from {profile.start.isoformat()}{race}:")
    for line in week_rows(days):
        click.echo(line)
