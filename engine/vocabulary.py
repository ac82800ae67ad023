"""The words rule files may use: fact names (with type, unit and meaning) and actions.

Rule files are data; this module is the code that says which words they may contain.
The rule validator rejects any other name, and `coach rules facts` prints this list.
Fact names are a public, stable interface: rename one only with a migration note.

A fact whose value is unknown (nothing logged to compute it from) is left out of the
facts given to the engine; every comparison on an unknown fact is false.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FactType = Literal["number", "string", "bool"]


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: FactType
    unit: str
    description: str
    values: tuple[str, ...] = ()  # allowed values for string facts (empty: any)


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: FactType
    required: bool = True
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class ActionSpec:
    name: str
    description: str
    params: tuple[ParamSpec, ...] = field(default_factory=tuple)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
INTENSITIES = ("hard", "moderate", "easy", "rest")
SLOTS = ("hard", "light", "rest")
KINDS = (
    "easy", "recovery", "steady", "long", "tempo", "intervals", "repetitions",
    "three_zone", "race", "time_trial", "cross", "rest",
)
SPORTS = ("run", "bike", "swim", "brick", "strength", "cross", "rest")
LOAD_METHODS = ("rpe", "power", "hr", "pace", "swim_pace")
#: Days-since facts are counted inside the fact window; this value means "not in the window".
NOT_IN_WINDOW = 99
#: the sports with load facts of their own (engine/training_load.py LOAD_SPORTS)
LOAD_SPORT_NAMES = ("run", "bike", "swim")


def _sport_load_facts() -> tuple[FactSpec, ...]:
    """Load per sport, with the total's formulas; a brick's load is shared between its ride and
    its run by settings.yml `load.brick_run_share_pct`."""
    out: list[FactSpec] = []
    for sport in LOAD_SPORT_NAMES:
        out += [
            FactSpec(f"load.{sport}_acute", "number", "AU", f"{sport} load over the last 7 days (as load.acute, {sport} sessions and the {sport} share of bricks only)"),
            FactSpec(f"load.{sport}_chronic", "number", "AU", f"average weekly {sport} load over the last 28 days (as load.chronic)"),
            FactSpec(f"load.{sport}_acwr", "number", "ratio", f"load.{sport}_acute over load.{sport}_chronic (unknown when the chronic {sport} load is 0)"),
            FactSpec(f"week.{sport}_load", "number", "AU", f"{sport} load so far this week (Monday to yesterday)"),
            FactSpec(f"week.{sport}_share_pct", "number", "%", f"week.{sport}_load as a share of week.load (unknown while week.load is 0)"),
        ]
    return tuple(out)


_F = FactSpec
FACTS: tuple[FactSpec, ...] = (
    _F("today.weekday", "string", "", "weekday of the proposal date", WEEKDAYS),
    _F("today.is_rest_day", "bool", "", "the date is one of the athlete's preferred rest days"),
    _F("athlete.sport", "string", "", "run or triathlon", ("run", "triathlon")),
    _F("athlete.goal", "string", "", "goal race", ("5k", "10k", "half", "marathon", "sprint", "olympic", "70.3", "ironman")),
    _F("athlete.days_to_race", "number", "days", "days until the goal race (unknown without a race date)"),
    _F("plan.slot", "string", "", "the day's slot in the weekly pattern", SLOTS),
    _F("plan.kind", "string", "", "the session the weekly pattern plans for the day, before adaptations", KINDS),
    _F("plan.intensity", "string", "", "intensity of the planned session, before adaptations", INTENSITIES),
    _F("days_since.rest", "number", "days", f"days since the last rest day (a day with no workout, or a logged rest); {NOT_IN_WINDOW} if none in the window"),
    _F("days_since.hard", "number", "days", f"days since the last hard session; {NOT_IN_WINDOW} if none in the window"),
    _F("days_since.maximal", "number", "days", f"days since the last maximal session (race, time trial, or RPE at or above the rule set's maximal_rpe); {NOT_IN_WINDOW} if none"),
    _F("days_since.long_run", "number", "days", f"days since the last long run; {NOT_IN_WINDOW} if none in the window"),
    _F("days_since.heavy", "number", "days", f"days since the last heavy session (session load at or above heavy_load); {NOT_IN_WINDOW} if none"),
    _F("days_since.brick", "number", "days", f"days since the last brick; {NOT_IN_WINDOW} if none in the window"),
    _F("days_since.hard_bike", "number", "days", f"days since the last hard bike session or brick; {NOT_IN_WINDOW} if none in the window"),
    _F("yesterday.sport", "string", "", "sport of yesterday's main workout ('rest' if none)", SPORTS),
    _F("yesterday.kind", "string", "", "kind of yesterday's main workout ('rest' if none)", KINDS),
    _F("yesterday.intensity", "string", "", "intensity of yesterday's hardest workout ('rest' if none)", INTENSITIES),
    _F("yesterday.rpe", "number", "RPE 1-10", "highest RPE logged yesterday"),
    _F("yesterday.load", "number", "AU", "yesterday's load (RPE x minutes, or its equivalent from power, heart rate or pace; summed)"),
    _F("today.planned_bike_hard", "bool", "", "a hard bike session or brick is logged for the proposal date, or (triathletes) planned on it"),
    _F("history.days", "number", "days", "days from the first workout in the fact window to the proposal date (0 with none logged): how much history the load ratios rest on"),
    _F("load.acute", "number", "AU", "load over the last 7 days (session-RPE, or its equivalent from power, heart rate or pace: see load.method)"),
    _F("load.chronic", "number", "AU", "average weekly load over the last 28 days"),
    _F("load.acwr", "number", "ratio", "acute:chronic workload ratio, rolling (7-day sum over 28-day weekly average)"),
    _F("load.acwr_ewma", "number", "ratio", "acute:chronic workload ratio from exponentially weighted daily loads (7 and 28 days)"),
    _F("load.acwr_present", "number", "ratio", "load.acwr around an absence: the 7-day sum over 7 x a daily chronic level, the mean of the last 28 days with the absence's idle days (absence.days) left out as missing data, not zero load, or that of the 28 days before the absence when higher (at least 14 of them in the window); equal to load.acwr when absence.days is 0; the rules read it only after an absence of 3 days or more"),
    _F("week.load", "number", "AU", "load so far this week (Monday to yesterday)"),
    _F("load.ctl", "number", "AU/day", "fitness (CTL): the daily load averaged exponentially over load.ctl_days (42), seeded within the fact window"),
    _F("load.atl", "number", "AU/day", "fatigue (ATL): the daily load averaged exponentially over load.atl_days (7)"),
    _F("load.tsb", "number", "AU/day", "form (TSB): fitness minus fatigue; negative after a heavy block, positive when fresh"),
    _F("load.ramp", "number", "AU/day", "ramp rate: fitness (CTL) gained over the last 7 days"),
    _F("load.method", "string", "", "the method that gave most of the last 28 days' load (rpe: RPE x minutes; power, hr, pace, swim_pace: points x load.au_per_point)", LOAD_METHODS),
    _F("load.method_share_pct", "number", "%", "share of the last 28 days' load that came from load.method"),
    _F("load.unknown_28d", "number", "sessions", "sessions of the last 28 days with no load (no RPE, and no heart rate, power or pace with a threshold to compare it with)"),
    *_sport_load_facts(),
    _F("week.hard_sessions", "number", "sessions", "hard sessions so far this week (Monday to yesterday); the legs of a race day (a day with a maximal session) count as one"),
    _F("week.monotony", "number", "ratio", "Foster's monotony over the last 7 days (mean daily load / standard deviation)"),
    _F("week.strain", "number", "AU", "Foster's strain over the last 7 days (weekly load x monotony)"),
    _F("form.broke", "bool", "", "form broke in the last hard session (athlete's flag, or reps drifting beyond the rule set's threshold)"),
    _F("form.broke_at_rep", "number", "rep", "rep where form broke in the last hard session"),
    _F("form.pace_drift_pct", "number", "%", "how much slower the late reps were than the early reps of the last hard session"),
    _F("form.days_ago", "number", "days", "days since the last hard session with reps"),
    _F("form.reps", "number", "reps", "number of reps in the last hard session"),
    _F("base.easy_km_28d", "number", "km", "easy, steady and long running over the last 28 days"),
    _F("base.runs_28d", "number", "runs", "runs logged over the last 28 days"),
    # coming back after an absence, the beginner's base (P15), calibration dates (P14)
    _F("days_since.training", "number", "days", f"days since the last day with a workout (a logged rest is not one); {NOT_IN_WINDOW} if none in the window"),
    _F("absence.days", "number", "days", "idle days (nothing logged) in the longest such stretch that ended in the last 28 days, the athlete's planned rest days not counted (0: none); a rest logged with `coach log --rest` is rest, not absence"),
    _F("absence.back_days", "number", "days", "days since that stretch ended (1: today is the first day back)"),
    _F("base.week_minutes_28d", "number", "min", "running minutes per week over the last 28 days"),
    _F("base.session_minutes_28d", "number", "min", "the typical (median) length of a run over the last 28 days"),
    _F("ramp.minutes_6d", "number", "min", "running minutes over the 6 days before the proposal date (with today's session: a rolling week)"),
    _F("calib.gain_sessions", "number", "sessions", "hard, not maximal runs with target paces since the last race or time trial (in the window)"),
    _F("calib.gain_pct", "number", "%", "how far ahead of their targets those sessions' work reps were, summed over the sessions (negative: behind)"),
    _F("days_since.calibration", "number", "days", f"days since the last race or time trial (logged, or dated in the profile); {NOT_IN_WINDOW} if none in the window"),
    _F("wellness.soreness", "number", "0-10", "latest soreness logged in the last 2 days"),
    _F("wellness.sleep_h", "number", "hours", "latest sleep logged in the last 2 days"),
    _F("wellness.last_rpe", "number", "RPE 1-10", "RPE of the last logged workout"),
    _F("wellness.hr_drift_pct", "number", "%", "average heart rate of the last 7 days' easy runs over that of the 28 days' (above 0: higher HR for easy running)"),
    _F("today.checked_in", "bool", "", "the athlete checked in this morning (`coach checkin` for the proposal date)"),
    _F("readiness.sleep_h", "number", "hours", "last night's sleep, from this morning's check-in"),
    _F("readiness.soreness", "number", "0-10", "soreness in this morning's check-in"),
    _F("readiness.feel", "number", "1-5", "how the athlete feels this morning (1 awful, 5 great)"),
    _F("readiness.sick", "bool", "", "the latest check-in of the last readiness.state_days days says sick"),
    _F("readiness.injured", "bool", "", "the latest check-in of the last readiness.state_days days says injured"),
    _F("readiness.hrv_status", "string", "", "7-day mean of ln rMSSD against the 60-day baseline mean +- readiness.hrv_band_sd SD (needs a reading today or yesterday)", ("low", "normal", "high")),
    _F("readiness.hrv_sd", "number", "SD", "7-day mean of ln rMSSD minus the 60-day mean, in standard deviations of the baseline"),
    _F("readiness.resting_hr_up", "number", "bpm", "this morning's resting heart rate minus the mean of the earlier check-ins (60 days)"),
    _F("calib.sessions", "number", "sessions", "recent hard sessions with reps at a comparable pace used for calibration"),
    _F("calib.pace_cv_pct", "number", "%", "rep pace variation (coefficient of variation) across those sessions' reps"),
    _F("calib.rpe_change", "number", "RPE", "change in RPE at comparable pace, latest minus earliest of those sessions"),
    _F("calib.pace_change_pct", "number", "%", "change in rep pace over those sessions (positive: faster)"),
    # missed sessions: judged against the weekly pattern (settings.yml `pattern`, the plan before the
    # rules adapt it), as the facts read the log only; an unplanned extra hard session already counts
    # as hard through yesterday.intensity, days_since.hard and week.hard_sessions
    _F("yesterday.missed", "bool", "", "the weekly pattern planned a training day yesterday (not a preferred rest day) and nothing was logged"),
    _F("yesterday.missed_slot", "string", "", "the slot of yesterday's missed session (only when yesterday.missed); 'hard' is a key session", SLOTS),
    _F("yesterday.missed_kind", "string", "", "the kind of yesterday's missed session (only when yesterday.missed)", KINDS),
    _F("week.key_missed", "number", "sessions", "key (hard-slot) sessions of the weekly pattern missed this week (Monday to yesterday)"),
    _F("week.training_days_left", "number", "days", "days left this week, today included, that are not preferred rest days: the room to move a missed session"),
    # triathletes (issue 14): the triathlon week of the session templates plans each day's sport;
    # these facts exist only for athletes whose sport is triathlon
    _F("plan.sport", "string", "", "the sport the triathlete's week plans for the day, on their swim and bike days (triathletes only)", ("run", "swim", "bike", "brick", "rest")),
    _F("week.hard_runs", "number", "sessions", "hard runs so far this week, bricks included (triathletes only)"),
    _F("week.hard_bikes", "number", "sessions", "hard bike sessions so far this week, bricks included (triathletes only)"),
    _F("week.hard_swims", "number", "sessions", "hard swims so far this week (triathletes only)"),
    _F("plan.days_after_brick", "number", "days", f"days since the last brick, logged or (yesterday, nothing logged yet) planned; {NOT_IN_WINDOW} if none (triathletes only)"),
    _F("plan.days_after_hard_bike", "number", "days", f"days since the last hard ride or brick, logged or (yesterday, nothing logged yet) planned; {NOT_IN_WINDOW} if none (triathletes only)"),
    _F("week.key_run_pending", "bool", "", "the triathlon week planned a hard run before today and no hard run was logged since Monday (triathletes only)"),
)

# --- the season (issue 12: engine/season.py, settings in season.yml) ----------------------------
SEASON_PHASES = ("base", "build", "peak", "taper", "race", "recovery", "rolling")
SEASON_FACTS: tuple[FactSpec, ...] = (
    _F("season.phase", "string", "", "phase of the season: base, build, peak, taper, race, recovery (rolling: no race ahead)", SEASON_PHASES),
    _F("season.week_of_phase", "number", "week", "week of the phase (1 = its first week)"),
    _F("season.weeks_to_race", "number", "weeks", "calendar weeks (Monday to Sunday) to the race week (0: race week); unknown without a race ahead"),
    _F("season.down_week", "bool", "", "this week is a down week (lighter volume, fewer hard sessions)"),
    _F("season.volume_min", "number", "min", "the week's target running volume (triathletes: all sports)"),
    _F("season.long_run_min", "number", "min", "the week's target long run (0: none this week)"),
    _F("season.hard_session_max", "number", "min", "the longest a hard day's session should take (season.yml goals hard_session_max, where set; calendar week only): whole reps come off the biggest set, recoveries with them, while that brings the day closer to it"),
    _F("season.long_ride_min", "number", "min", "the week's target long ride (0: none this week; triathletes only)"),
    _F("season.easy_run_min", "number", "min", "target length of an easy day this week (calendar week only)"),
    _F("season.key_factor", "number", "ratio", "main-set size of hard sessions this week (1 = the template's)"),
    _F("season.calendar", "bool", "", "the athlete has a calendar week (a long-run day): the season places the sessions"),
    _F("season.race_eve", "bool", "", "one of the last days before the race (season.yml race.no_hard_days)"),
    _F("season.planned_ramp", "number", "ratio", "last week's planned volume over the average of the four planned weeks ending with it (calendar week only)"),
    _F("load.acwr_present_over_plan", "number", "ratio", "load.acwr_present over season.planned_ramp"),
    _F("load.acwr_over_plan", "number", "ratio", "load.acwr over season.planned_ramp: how far the load rose beyond what the season planned"),
    _F("load.typical_session", "number", "AU", "median session-RPE load of the athlete's sessions over 28 days"),
    _F("yesterday.load_ratio", "number", "ratio", "yesterday's session-RPE load over load.typical_session"),
    _F("yesterday.long_run", "bool", "", "yesterday held a long run: kind long, or a run at least season.yml back_off.long_run_vs_typical times the athlete's median run"),
)
#: facts computed from season.yml (engine/season.py), not by engine/facts.py
SEASON_FACT_NAMES = frozenset(f.name for f in SEASON_FACTS)
FACTS += SEASON_FACTS

FACTS_BY_NAME: dict[str, FactSpec] = {f.name: f for f in FACTS}

_P = ParamSpec
#: minutes facts a `cap_minutes` action may scale from
MINUTES_FACTS = ("base.session_minutes_28d", "base.week_minutes_28d", "ramp.minutes_6d")
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("swap", "replace the planned session with another kind (P7; P6 for the three-zone session)",
               (_P("to", "string", values=("steady", "easy", "recovery", "cross", "rest", "three_zone", "time_trial")),)),
    ActionSpec("shorten", "cut the main set by a percentage or a number of reps, keeping the target pace (P8, P9)",
               (_P("percent", "number", required=False, minimum=1, maximum=90),
                _P("reps", "number", required=False, minimum=1, maximum=50))),
    ActionSpec("reduce_intensity", "move the main set down one or more pace zones (P11)",
               (_P("zones", "number", required=False, minimum=1, maximum=3),)),
    ActionSpec("simplify", "use the simple form of the session: one pace, fewer changes (P15)"),
    ActionSpec("adjust_pace", "move target paces: positive percent is faster, negative slower (P14)",
               (_P("percent", "number", minimum=-10, maximum=10),)),
    ActionSpec("set_slot", "change the day's slot in the weekly pattern (P10, P12, P13)",
               (_P("slot", "string", values=SLOTS),)),
    ActionSpec("strides", "add relaxed strides after an easy run (P15: easy running with strides until the base exists)",
               (_P("reps", "number", minimum=1, maximum=12), _P("distance", "number", minimum=50, maximum=200),
                _P("slower_pct", "number", minimum=0, maximum=20), _P("recovery", "number", minimum=10, maximum=120))),
    ActionSpec("cap_minutes", "cap the session at a percentage of a minutes fact, less another; under min_minutes the day is a rest day (P15)",
               (_P("of", "string", values=MINUTES_FACTS), _P("percent", "number", minimum=10, maximum=200),
                _P("less", "string", required=False, values=MINUTES_FACTS),
                _P("min_minutes", "number", minimum=0, maximum=120))),
    ActionSpec("note", "add a note to the proposal without changing the session",
               (_P("text", "string"),)),
    ActionSpec("set", "assert a derived fact (declared in the rule file's `derived:` section) for other rules to match",
               (_P("fact", "string"), _P("value", "string", required=False))),
)

ACTIONS_BY_NAME: dict[str, ActionSpec] = {a.name: a for a in ACTIONS}

PRINCIPLES: tuple[str, ...] = tuple(f"P{i}" for i in range(1, 18))
