"""Run by test_scale.py in a child process: propose for many athletes with one Evaluator.

    python scale_worker.py many N      -> one JSON line per athlete, athletes 0..N-1 in order,
                                          then the same athletes again in reverse order
    python scale_worker.py one NAME... -> one JSON line per named athlete, each in this
                                          fresh process (run it once per athlete for "alone")

Each line is {"name": ..., "pass": ..., "proposal": <Proposal JSON>}. Histories are
synthetic and deterministic per athlete, chosen so that different athletes fire different
rules; the athlete names include "40189" and "797186", whose durable_rules session ids
collide on a 32-bit hash, next to each other with different histories.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from coach.engine.model import Athlete, Kind, Rep, Sport, Workout

DAY = dt.date(2026, 11, 19)
COLLIDING = ("40189", "797186")


def names(n: int) -> list[str]:
    out = list(COLLIDING)
    i = 0
    while len(out) < n:
        name = str(100000 + i)
        if name not in COLLIDING:
            out.append(name)
        i += 1
    return out[:n]


def _run(n, kind, minutes, rpe, km, **kw):
    return Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=kind, duration_s=minutes * 60,
                   rpe=rpe, distance_m=km * 1000, **kw)


def history(name: str) -> tuple[Athlete, list[Workout]]:
    """A deterministic athlete and history; the variant depends on the name."""
    seed = int(name)
    variant = 0 if name == COLLIDING[1] else (1 if name == COLLIDING[0] else seed % 9)
    tri = variant in (6, 7)
    athlete = Athlete(name=name, sport="triathlon" if tri else "run", rest_days=[],
                      recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1140 + seed % 300}])
    out = []
    for n in range(35, 0, -1):
        phase = n % 4
        if phase == 1:
            continue
        if phase == 0:
            out.append(_run(n, Kind.intervals, 45, 7, 9))
        elif phase == 3:
            out.append(_run(n, Kind.easy, 50, 3, 10))
        else:
            out.append(_run(n, Kind.tempo, 45, 7, 10))
    if variant == 1:  # load spike
        out += [_run(n, Kind.steady, 60, 6, 12) for n in (3, 4, 6)]
    elif variant == 2:  # sore legs
        out = [w for w in out if w.date != DAY - dt.timedelta(days=2)] + [_run(2, Kind.tempo, 45, 7, 10, soreness=7)]
    elif variant == 3:  # form broke
        reps = [Rep(index=i + 1, distance_m=400, duration_s=p * 0.4, target_pace_s_per_km=240)
                for i, p in enumerate([240, 240, 241, 242, 256, 259, 262, 265])]
        out = [w for w in out if w.date != DAY - dt.timedelta(days=4)] + [_run(4, Kind.intervals, 45, 7, 9, reps=reps)]
    elif variant == 4:  # race yesterday
        out.append(_run(1, Kind.race, 20, 9, 5))
    elif variant == 5:  # long run yesterday, straight into a hard day (P11; issue 12: a long run
        # two days ago with a rest day between no longer backs off, so the variant moved)
        out = [w for w in out if (DAY - w.date).days > 3] + [_run(2, Kind.intervals, 45, 7, 9),
                                                            _run(1, Kind.long, 95, 5, 18)]
    elif variant == 6:  # triathlete, hard bike today
        out.append(Workout(date=DAY, sport=Sport.bike, kind=Kind.intervals, duration_s=3600, rpe=8))
    elif variant == 7:  # triathlete, brick yesterday after a rest day
        out = [w for w in out if (DAY - w.date).days > 3] + [
            _run(2, Kind.easy, 40, 3, 8),
            Workout(date=DAY - dt.timedelta(days=1), sport=Sport.brick, kind=Kind.steady, duration_s=5400, rpe=5)]
    elif variant == 8:  # thin base
        out = [_run(n, Kind.easy, 30, 3, 5) for n in (2, 6, 10, 14)]
    out.sort(key=lambda w: w.date)
    return athlete, out


def main(argv: list[str]) -> None:
    from coach.service.rulesets import read_rule_set
    from coach.engine.rules.evaluator import Evaluator
    from coach.service.propose import propose_from_history

    ruleset = read_rule_set(None)
    evaluator = Evaluator(ruleset)

    def emit(name: str, label: str) -> None:
        athlete, workouts = history(name)
        proposal = propose_from_history(athlete, workouts, DAY, ruleset, evaluator)
        sys.stdout.write(json.dumps({"name": name, "pass": label, "proposal": proposal.to_json_dict()}) + "\n")

    if argv[0] == "many":
        everyone = names(int(argv[1]))
        for name in everyone:
            emit(name, "forward")
        for name in reversed(everyone):
            emit(name, "reverse")
    else:
        for name in argv[1:]:
            emit(name, "alone")


if __name__ == "__main__":
    main(sys.argv[1:])
