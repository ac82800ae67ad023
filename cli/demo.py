"""A sample athlete with six weeks of realistic history: `python -m coach.cli.demo`.

"Demo Runner" trains for a 5K: intervals on Tuesdays (reps with splits and heart rate),
a tempo run on Thursdays, a long run on Saturdays, easy runs between, Sundays off.
Its goal 5K is a Saturday about twelve weeks ahead, with the long run on Saturdays and five
training days a week (the season plans it: `coach plan --days 84`). Three weeks ago a 5K race
replaced the long run; in the most recent interval session
form broke on rep 5. RPE, heart rate, soreness and sleep are logged throughout.

It writes through the same use cases as `coach init` and `coach import`, into the
database chosen as for every command (--db, COACH_DATABASE_URL, config, default). Running
it again adds nothing twice: the athlete is kept and each day has a fixed dedupe key;
on a later day it adds the days that have passed since.
"""

from __future__ import annotations

import datetime as dt
import random

import click

from coach.cli.options import db_option, handle_errors

NAME = "Demo Runner"
WEEKS = 6


def _mmss(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    return f"{h}:{rem // 60:02d}:{rem % 60:02d}" if h else f"{rem // 60}:{rem % 60:02d}"


def _day(day: dt.date, week: int, race_day: dt.date, last_intervals: dt.date) -> dict[str, str] | None:
    """The text fields of what Demo Runner logged on `day` (None: nothing, a rest day).

    `week` counts 0..5 from the first week; volume grows a little each week.
    """
    rng = random.Random(day.toordinal())
    grow = 1 + 0.04 * week
    sleep = f"{rng.choice([6.5, 7, 7, 7.5, 7.5, 8, 8.5])}"
    base = {"date": day.isoformat(), "sport": "run", "sleep": sleep, "dedupe_key": f"demo:{day.isoformat()}"}
    weekday = day.weekday()

    def steady_run(kind, km, pace, rpe, hr, soreness, start="07:00", notes=""):
        km = round(km * grow * rng.uniform(0.95, 1.05), 1)
        seconds = km * pace * rng.uniform(0.98, 1.02)
        return {**base, "start_time": start, "kind": kind, "distance": f"{km}km", "duration": _mmss(seconds),
                "rpe": str(rpe), "avg_hr": str(hr + rng.randint(-3, 3)), "max_hr": str(hr + rng.randint(12, 20)),
                "cadence": str(rng.randint(166, 174)), "soreness": str(soreness), "notes": notes}

    if day == race_day:
        return {**base, "start_time": "09:00", "kind": "race", "distance": "5km", "duration": "20:30",
                "elapsed": "20:30", "rpe": "10", "avg_hr": "181", "max_hr": "192", "cadence": "182",
                "soreness": "2", "notes": "Parkrun 5K, even splits, new best"}
    if weekday == 6:  # Sunday: rest day
        return None
    if weekday == 0:
        return steady_run("easy", 7, 335, 3, 138, 2 if week else 1)
    if weekday == 1:  # intervals: 6 x 800m with 400m jog
        target = 232.0  # s/km, a little faster than 5K pace
        broke = day == last_intervals
        splits, hrs = [], []
        for rep in range(6):
            drift = (14 + 8 * (rep - 4)) if broke and rep >= 4 else rng.uniform(-1.5, 2.5)
            splits.append(0.8 * target + rep * 0.6 + drift)
            hrs.append(166 + rep * 2 + rng.randint(-2, 2))
        work = sum(splits)
        total = work + 5 * 150 + 2 * 900  # jog recoveries, warm-up and cool-down
        fields = {**base, "start_time": "18:30", "kind": "intervals", "distance": f"{4.8 + 2 + 4:.1f}km",
                  "duration": _mmss(total), "rpe": "8", "avg_hr": "156",
                  "max_hr": str(max(hrs) + 4), "cadence": "178", "soreness": "3",
                  "splits": ",".join(f"{s // 60:.0f}:{s % 60:04.1f}" for s in splits), "rep_distance": "800m",
                  "target_pace": "3:52/km", "rep_hr": ",".join(str(h) for h in hrs),
                  "notes": "6x800m, 400m jog"}
        if broke:
            fields.update(form_broke_at="5", soreness="5",
                          notes="6x800m; form went on rep 5: shoulders tight, overstriding")
        return fields
    if weekday == 2:
        return steady_run("recovery", 5, 350, 2, 132, 3)
    if weekday == 3:
        return steady_run("tempo", 9, 268, 7, 163, 2, start="18:30", notes="3km warm-up, 20 min at tempo")
    if weekday == 4:
        return None if week % 2 else steady_run("easy", 6, 330, 3, 137, 2)
    return steady_run("long", 16, 345, 5, 146, 3, start="08:30")


def demo_workouts(today: dt.date) -> list[dict[str, str]]:
    """The text fields of every workout of the six weeks ending yesterday."""
    first = today - dt.timedelta(days=WEEKS * 7)
    first -= dt.timedelta(days=first.weekday())  # start on a Monday
    days = [first + dt.timedelta(days=n) for n in range((today - first).days)]
    saturdays = [d for d in days if d.weekday() == 5]
    tuesdays = [d for d in days if d.weekday() == 1]
    race_day = saturdays[-3] if len(saturdays) >= 3 else saturdays[0]
    out = []
    for d in days:
        fields = _day(d, (d - first).days // 7, race_day, tuesdays[-1])
        if fields is not None:
            out.append({k: v for k, v in fields.items() if v != ""})
    return out


def _race_day(today: dt.date) -> dt.date:
    """The goal race: the first Saturday after eleven weeks (within `coach plan --days 84`)."""
    day = today + dt.timedelta(weeks=11)
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


def build_demo(store, today: dt.date) -> tuple[bool, int, int]:
    """Create Demo Runner (if missing) and log the history; returns (created, added, already there)."""
    from coach.engine.errors import NotFound
    from coach.service.importing import add_new
    from coach.service.logbook import create_athlete
    from coach.storage.logbook import parse_athlete, parse_workout

    workouts = demo_workouts(today)
    race = next(w for w in workouts if w.get("kind") == "race")
    created = False
    with store.unit_of_work() as uow:
        try:
            uow.athletes.get(NAME)
        except NotFound:
            athlete = parse_athlete(
                {"name": NAME, "sport": "run", "goal": "5k", "race_date": _race_day(today).isoformat(),
                 "recent_races": [f"5k={race['duration']}@{race['date']}"], "rest_days": ["sun"],
                 "long_run_day": "sat", "days_per_week": "5",
                 "units": "km", "email": "demo.runner@example.org"},
                today=today,
            )
            create_athlete(uow, athlete)
            created = True
    parsed = [parse_workout(fields, today=today, source="demo") for fields in workouts]
    with store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(NAME)
        candidates = [([w.dedupe_key] if w.dedupe_key else [], w) for w in parsed]
        added, duplicates, _ = add_new(uow, athlete.id, candidates, uow.workouts.dedupe_keys(athlete.id))
        uow.commit()
    return created, len(added), duplicates


@click.command("demo")
@db_option
@handle_errors
def demo_command(db_url):
    """Create the sample athlete "Demo Runner" with six weeks of history ending yesterday.

    \b
    Example:
      python -m coach.cli.demo --db demo.db && coach history --db demo.db --since 14
    """
    from coach.storage import open_store

    with open_store(db_url) as store:
        created, added, kept = build_demo(store, dt.date.today())
        where = store.display_url
    what = "Created" if created else "Found"
    click.echo(f"{what} {NAME} in {where}: {added} workouts added, {kept} already logged.")


if __name__ == "__main__":  # pragma: no cover
    demo_command(prog_name="python -m coach.cli.demo")
