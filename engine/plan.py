"""The days ahead (`coach plan`): proposals simulated forward, nothing written to the log.

Each day's proposal is made exactly as `coach next` would make it, from the real log plus
the sessions proposed for the days before, each assumed done as proposed: a Workout of the
session's sport, kind, duration and distance, with its key set's reps at their target paces and the RPE the
templates expect for it (`rpe:` of the template, else `expected_rpe` by intensity in
`defaults.yml`). Rest days add no workout, as a rest day in the log adds none.

This module is the pure part; the use case (`simulate`, `plan`) is `coach.service.plan`.
"""

from __future__ import annotations

import datetime as dt
from coach.engine.model import Kind, Phase, Rep, Session, Sport, Workout

#: The longest simulation `coach plan` accepts.
MAX_DAYS = 112


def session_to_workout(session: Session, day: dt.date, rpe: int | None) -> Workout | None:
    """The workout a session would leave in the log if done as proposed (None for rest).

    Distance is set only when the session has target paces: a session run by feel says nothing
    about the athlete's speed, and must not become a source of paces.

    :param session: the proposed session
    :param day: its date
    :param rpe: the expected RPE
    """
    if session.sport == Sport.rest or session.total_duration_s <= 0:
        return None
    paced = any(b.pace_s_per_km is not None for b in session.blocks)
    reps: list[Rep] = []
    # The laps a watch would show for the key set: the main-set group with the most distance.
    # Strides and settling reps at other paces stay out, as they would in a logged set.
    groups = [b for b in session.blocks if b.phase == Phase.main and b.repeat >= 2
              and b.pace_s_per_km is not None and b.distance_m and b.duration_s]
    if paced and groups:
        key = max(groups, key=lambda b: b.repeat * (b.distance_m or 0))
        reps = [Rep(index=i + 1, distance_m=key.distance_m, duration_s=key.duration_s,
                    target_pace_s_per_km=key.pace_s_per_km, actual_pace_s_per_km=key.pace_s_per_km)
                for i in range(key.repeat)]
    duration_s = session.total_duration_s
    distance_m = session.total_distance_m if paced and session.total_distance_m > 0 else None
    effort = [b for b in session.blocks if b.phase == Phase.main and b.distance_m and b.duration_s]
    if session.kind in (Kind.race, Kind.time_trial) and paced and effort:
        # a race or time trial is logged as the effort itself (as an athlete logs a race): its
        # distance and time set the paces after it, not the whole outing with warm-up and jog
        duration_s = sum(b.duration_s * b.repeat for b in effort)
        distance_m = sum(b.distance_m * b.repeat for b in effort)
        reps = []
    return Workout(
        date=day, sport=session.sport, kind=session.kind, duration_s=duration_s,
        distance_m=distance_m, rpe=rpe, source="plan", reps=reps,
    )
