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
#: Days-since facts are counted inside the fact window; this value means "not in the window".
NOT_IN_WINDOW = 99

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
    _F("days_since.hard_bike", "number", "days", f"days since the last hard bike session; {NOT_IN_WINDOW} if none in the window"),
    _F("yesterday.sport", "string", "", "sport of yesterday's main workout ('rest' if none)", SPORTS),
    _F("yesterday.kind", "string", "", "kind of yesterday's main workout ('rest' if none)", KINDS),
    _F("yesterday.intensity", "string", "", "intensity of yesterday's hardest workout ('rest' if none)", INTENSITIES),
    _F("yesterday.rpe", "number", "RPE 1-10", "highest RPE logged yesterday"),
    _F("yesterday.load", "number", "AU", "yesterday's session-RPE load (RPE x minutes, summed)"),
    _F("today.planned_bike_hard", "bool", "", "a hard bike session is already logged for the proposal date"),
    _F("history.days", "number", "days", "days from the first workout in the fact window to the proposal date (0 with none logged): how much history the load ratios rest on"),
    _F("load.acute", "number", "AU", "session-RPE load over the last 7 days"),
    _F("load.chronic", "number", "AU", "average weekly session-RPE load over the last 28 days"),
    _F("load.acwr", "number", "ratio", "acute:chronic workload ratio, rolling (7-day sum over 28-day weekly average)"),
    _F("load.acwr_ewma", "number", "ratio", "acute:chronic workload ratio from exponentially weighted daily loads (7 and 28 days)"),
    _F("week.load", "number", "AU", "session-RPE load so far this week (Monday to yesterday)"),
    _F("week.hard_sessions", "number", "sessions", "hard sessions so far this week (Monday to yesterday)"),
    _F("week.monotony", "number", "ratio", "Foster's monotony over the last 7 days (mean daily load / standard deviation)"),
    _F("week.strain", "number", "AU", "Foster's strain over the last 7 days (weekly load x monotony)"),
    _F("form.broke", "bool", "", "form broke in the last hard session (athlete's flag, or reps drifting beyond the rule set's threshold)"),
    _F("form.broke_at_rep", "number", "rep", "rep where form broke in the last hard session"),
    _F("form.pace_drift_pct", "number", "%", "how much slower the late reps were than the early reps of the last hard session"),
    _F("form.days_ago", "number", "days", "days since the last hard session with reps"),
    _F("form.reps", "number", "reps", "number of reps in the last hard session"),
    _F("base.easy_km_28d", "number", "km", "easy, steady and long running over the last 28 days"),
    _F("base.runs_28d", "number", "runs", "runs logged over the last 28 days"),
    _F("wellness.soreness", "number", "0-10", "latest soreness logged in the last 2 days"),
    _F("wellness.sleep_h", "number", "hours", "latest sleep logged in the last 2 days"),
    _F("wellness.last_rpe", "number", "RPE 1-10", "RPE of the last logged workout"),
    _F("wellness.hr_drift_pct", "number", "%", "average heart rate of the last 7 days' easy runs over that of the 28 days' (above 0: higher HR for easy running)"),
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
    _F("plan.sport", "string", "", "the sport the triathlon week plans for the day (triathletes only)", ("run", "swim", "bike", "brick", "rest")),
    _F("week.hard_runs", "number", "sessions", "hard runs so far this week, bricks included (triathletes only)"),
    _F("week.hard_bikes", "number", "sessions", "hard bike sessions so far this week, bricks included (triathletes only)"),
    _F("week.hard_swims", "number", "sessions", "hard swims so far this week (triathletes only)"),
    _F("week.key_run_pending", "bool", "", "the triathlon week planned a hard run before today and no hard run was logged since Monday (triathletes only)"),
)

FACTS_BY_NAME: dict[str, FactSpec] = {f.name: f for f in FACTS}

_P = ParamSpec
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("swap", "replace the planned session with another kind (P7; P6 for the three-zone session)",
               (_P("to", "string", values=("steady", "easy", "recovery", "cross", "rest", "three_zone")),)),
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
    ActionSpec("note", "add a note to the proposal without changing the session",
               (_P("text", "string"),)),
    ActionSpec("set", "assert a derived fact (declared in the rule file's `derived:` section) for other rules to match",
               (_P("fact", "string"), _P("value", "string", required=False))),
)

ACTIONS_BY_NAME: dict[str, ActionSpec] = {a.name: a for a in ACTIONS}

PRINCIPLES: tuple[str, ...] = tuple(f"P{i}" for i in range(1, 18))
