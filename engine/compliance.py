"""Planned against done: a logged workout held against the session proposed for its day.

Compliance has two sides, as coaches read it in TrainingPeaks: the volume (the done
duration against the planned one, or the distance when either has no duration) and the intensity
(the done workout's intensity, from its kind or its RPE, against the session's). The
colour comes from the thresholds in the rule set's `planned/planned.yml`:

- green: volume within +-`green_pct` % of the plan and the intended intensity;
- amber: volume within +-`amber_pct` %;
- red: beyond that, the wrong intensity, or a workout on a planned rest day.

The same file carries what a structured workout on the watch aims for (`watch:`), read by
the FIT encoder. Pure: `parse_planned` validates the file's text; the service layer reads it
(`coach.service.rulesets`) and the loaded `RuleSet` carries the result as `planned`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coach.engine.model import Intensity, Proposal, Session, Sport, Workout
from coach.engine.rules.model import Problem
from coach.engine.rules.schema import invalid, parse_model_file
from coach.engine.rules.source import SourceFile
from coach.engine.training_load import intensity_of

#: Where a rule set keeps these settings, relative to its directory.
CONFIG_PATH = Path("planned") / "planned.yml"

Colour = Literal["green", "amber", "red"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WatchSettings(_Frozen):
    """`watch:`: the targets a structured workout on the watch carries."""

    pace_range_s_per_km: float = Field(gt=0, le=60)
    hr_zone_of_intensity: dict[Literal["easy", "moderate", "hard"], int]

    @field_validator("hr_zone_of_intensity")
    @classmethod
    def _zones(cls, value: dict[str, int]) -> dict[str, int]:
        for name, zone in value.items():
            if not 1 <= zone <= 5:
                raise invalid(f"must be a heart-rate zone from 1 to 5, got {zone}", key=name)
        return value


class ComplianceSettings(_Frozen):
    """`compliance:`: the colour bands, in percent of the planned volume."""

    green_pct: float = Field(gt=0, le=100)
    amber_pct: float = Field(gt=0, le=1000)

    @model_validator(mode="after")
    def _ordered(self) -> "ComplianceSettings":
        if self.amber_pct <= self.green_pct:
            raise invalid(f"amber_pct ({self.amber_pct:g}) must be above green_pct ({self.green_pct:g})",
                          key="amber_pct")
        return self


class PlannedSettings(_Frozen):
    """The validated `planned/planned.yml` of a rule set (carried by the loaded `RuleSet`)."""

    watch: WatchSettings
    compliance: ComplianceSettings


def parse_planned(source: SourceFile) -> tuple[PlannedSettings | None, list[Problem]]:
    """Validate the text of a rule set's `planned/planned.yml`.

    :param source: the file's name (for file:line messages) and text
    :return: the settings (None if there are problems) and every problem, in line order
    """
    return parse_model_file(source, PlannedSettings, "expected a mapping with watch and compliance",
                            _UNKNOWN_KEYS, _MISSING_KEYS)


_UNKNOWN_KEYS = {(): "unknown key {key} (known: watch, compliance)",
                 ("watch",): "watch: unknown key {key} (known: pace_range_s_per_km, hr_zone_of_intensity)",
                 ("compliance",): "compliance: unknown key {key} (known: green_pct, amber_pct)"}
_MISSING_KEYS = {(): "{key} is missing", ("watch",): "watch.{key} is missing",
                 ("compliance",): "compliance.{key} is missing"}


# --- compliance ---------------------------------------------------------------------------

class Compliance(_Frozen):
    """How one done workout compares with the session planned for its day."""

    colour: Colour
    measure: Literal["duration", "distance"] | None = Field(
        None, description="what the volume was compared by (None: nothing to compare)")
    planned: float | None = Field(None, description="planned volume (s or m)")
    done: float | None = Field(None, description="done volume (s or m)")
    volume_pct: float | None = Field(None, description="done as a percentage of planned")
    planned_kind: str
    planned_intensity: str
    done_intensity: str | None = None
    reason: str

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _volume(planned: Session, done: Workout) -> tuple[str, float, float] | None:
    # Duration first: every block of a session has one, while drills or a by-feel block have no distance.
    if planned.total_duration_s > 0 and done.duration_s:
        return "duration", planned.total_duration_s, done.duration_s
    if planned.total_distance_m > 0 and done.distance_m:
        return "distance", planned.total_distance_m, done.distance_m
    return None


def compliance(planned: Session, done: Workout, settings: ComplianceSettings, *,
               intensity_of_kind: Mapping[str, str], hard_rpe: float) -> Compliance:
    """Hold a done workout against the session proposed for its day.

    The volume is compared by duration (every block has one), else by distance.

    :param planned: the proposed session of the workout's day
    :param done: the logged or imported workout
    :param settings: the colour bands (planned.yml `compliance:`)
    :param intensity_of_kind: settings.yml `intensity_of_kind` (how a done workout's kind counts)
    :param hard_rpe: settings.yml `facts.hard_rpe` (an RPE at or above it makes a workout hard)
    """
    want = planned.intensity.value
    got = intensity_of(done, intensity_of_kind, hard_rpe)
    if planned.sport == Sport.rest or planned.intensity == Intensity.rest:
        return Compliance(colour="red", planned_kind=planned.kind.value, planned_intensity=want, done_intensity=got,
                          reason="a rest day was planned")
    volume = _volume(planned, done)
    pct = None
    if volume is not None:
        measure, plan_v, done_v = volume
        pct = round(100.0 * done_v / plan_v, 1)
    wrong = got is not None and got != want
    if wrong:
        colour: Colour = "red"
    elif pct is None:
        colour = "amber"
    else:
        off = abs(pct - 100.0)
        colour = "green" if off <= settings.green_pct else "amber" if off <= settings.amber_pct else "red"
    parts = []
    if pct is not None:
        parts.append(f"{pct:.0f} % of the planned {volume[0]}")
    else:
        parts.append("no duration or distance to compare")
    if wrong:
        parts.append(f"{got} instead of {want}")
    elif got is None:
        parts.append("intensity unknown (no kind or RPE)")
    return Compliance(colour=colour, measure=volume[0] if volume else None,
                      planned=volume[1] if volume else None, done=volume[2] if volume else None,
                      volume_pct=pct, planned_kind=planned.kind.value, planned_intensity=want, done_intensity=got, reason="; ".join(parts))


def weekly_compliance(colours: Iterable[Colour], missed: int = 0) -> dict[str, Any]:
    """A week's compliance: counts per colour, missed sessions, and the share done as planned.

    `green_pct` is the green sessions over every judged planned session (missed ones included),
    in percent; None when the week had none.
    """
    counts = {"green": 0, "amber": 0, "red": 0}
    for colour in colours:
        counts[colour] += 1
    total = sum(counts.values()) + missed
    return {**counts, "missed": missed, "green_pct": round(100.0 * counts["green"] / total) if total else None}


def weeks_compliance(workouts: Sequence[Workout], proposals: Iterable[Proposal],
                     weeks: Sequence[tuple[Any, Any]], settings: ComplianceSettings, *, today: Any,
                     intensity_of_kind: Mapping[str, str], hard_rpe: float) -> list[dict[str, Any]]:
    """Compliance per week: each stored proposal of the week held against what was done that day.

    A proposed training day before `today` with no workout of its sport is missed; today and later
    are not judged yet. Workouts on days without a stored proposal are not counted.

    :param weeks: (first day, last day) of each week, both inclusive
    """
    plans = {p.date: p.session for p in proposals}
    by_day: dict[Any, list[Workout]] = {}
    for w in workouts:
        by_day.setdefault(w.date, []).append(w)
    out = []
    for first, last in weeks:
        colours: list[Colour] = []
        missed = 0
        for day, planned in sorted(plans.items()):
            if not first <= day <= last:
                continue
            done = held_against(by_day.get(day, []), planned)
            if done is not None:
                colours.append(compliance(planned, done, settings, intensity_of_kind=intensity_of_kind,
                                          hard_rpe=hard_rpe).colour)
            elif planned.sport != Sport.rest and day < today:
                missed += 1
        out.append({"start": first.isoformat(), "end": last.isoformat(), **weekly_compliance(colours, missed)})
    return out


def held_against(workouts: Sequence[Workout], planned: Session) -> Workout | None:
    """Of one day's workouts, the one held against the day's plan (None: nothing done).

    The workout of the planned sport with the most duration (on a planned rest day, any
    workout); a second workout of the day is an extra, not the plan done twice.
    """
    done = [w for w in workouts if w.sport != Sport.rest]
    if planned.sport != Sport.rest:
        done = [w for w in done if w.sport == planned.sport]
    if not done:
        return None
    return max(done, key=lambda w: (w.duration_s or 0, w.distance_m or 0))


def history_compliance(workouts: Sequence[Workout], proposals: Iterable[Proposal], settings: ComplianceSettings, *,
                       intensity_of_kind: Mapping[str, str], hard_rpe: float) -> list[Compliance | None]:
    """Compliance of each workout (in the order given) against the stored proposal of its day.

    A workout on a day without a stored proposal, or an extra beside the one held against the
    plan (see `held_against`), gets None.
    """
    plans = {p.date: p.session for p in proposals}
    by_day: dict[Any, list[Workout]] = {}
    for w in workouts:
        by_day.setdefault(w.date, []).append(w)
    chosen = {id(held_against(ws, plans[day])) for day, ws in by_day.items() if day in plans}
    out: list[Compliance | None] = []
    for w in workouts:
        if w.date in plans and id(w) in chosen:
            out.append(compliance(plans[w.date], w, settings, intensity_of_kind=intensity_of_kind, hard_rpe=hard_rpe))
        else:
            out.append(None)
    return out


def describe(workout: Workout) -> str:
    """A done workout in a few words, e.g. 'run intervals (45 min)'."""
    kind = f" {workout.kind.value.replace('_', ' ')}" if workout.kind else ""
    minutes = f" ({round(workout.duration_s / 60)} min)" if workout.duration_s else ""
    return f"{workout.sport.value}{kind}{minutes}"
