"""Session templates: loading and validating `rules/sessions/*.yml` (data, editable like rules).

A template is one session a coach would write for a goal and a kind of day: its purpose
(P1), a warm-up, a main set in progressive order (P3), recoveries (P4, "auto" sizes them
from `defaults.yml`), a relaxed tapering element and a cool-down (P2), and a `simple:`
variant for athletes still building their base (P15). Paces are named by zone (easy,
marathon, threshold, interval, repetition, race, recovery) with an optional offset, so the
same file serves every fitness level:

    pace: race          # the goal race's pace
    pace: race-2%       # 2 % faster than race pace (minus is faster)
    pace: threshold+5s  # 5 s per km slower than threshold pace

Swim, bike and brick templates (issue 14) say their units per sport: a swim step is in
metres (a multiple of 25 m) with a pace from CSS (`css+5s`: 5 s per 100 m slower) and a rest
at the wall in seconds; a bike step is measured by time (a race's bike leg by distance) with
`power:` as a share of FTP (`90%`) or watts (`220W`), the heart-rate zone `hr:` (1-5) that
athletes without FTP ride by, and a `cadence:` cue in rpm; a brick's steps name their `leg:`
(swim, bike or run; bike by default). A run step may use none of the bike targets, a bike step
no run pace. `TemplateSet.find(goal, kind, sport)` finds a swim, bike or brick template by its
sport; without a sport only run (and cross-training) templates are found, so a run's kinds are
never taken by a swim set. `triathlon_week` in defaults.yml plans the triathletes' week.

`defaults.yml` holds the numbers shared by all templates: recovery sizing, reusable parts
(warm-ups, cool-downs), which kind each pattern slot uses by default, the expected RPE per
intensity and the VDOT used to estimate durations when no pace is known.

The files are validated by pydantic models (`_DefaultsModel`, `_TemplateModel`, `_StepModel`)
whose validators word every problem; `coach.engine.rules.schema` maps each error back to its
YAML line, so every problem is reported as `file:line: message` and `parse_templates` returns
them all. It is given the files' text: reading them is the service layer's job
(`coach.service.rulesets`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Union

from pydantic import (BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, ValidationInfo, field_validator,
                      model_validator)

from coach.engine.model import Goal
from coach.engine.paces import GOAL_DISTANCE_M, ZONES
from coach.engine.rules.model import Problem
from coach.engine.rules.schema import invalid, problems_from
from coach.engine.rules.source import LineDict, LineList, SourceFile, YamlSyntaxError, is_number, parse_yaml
from coach.engine.vocabulary import INTENSITIES, KINDS, SLOTS, SPORTS


DEFAULTS_FILE = "defaults.yml"
ANY_GOAL = "any"
GOALS: tuple[str, ...] = tuple(g.value for g in Goal)
PHASES = ("warmup", "main", "taper", "cooldown")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PACE_RE = re.compile(r"^\s*([a-z]+)\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*(%|s))?\s*$")
_DURATION_RE = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*min)?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$")
_CLOCK_RE = re.compile(r"^\s*(\d+):([0-5]\d)\s*$")
_DISTANCE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|km|mi)\s*$")


@dataclass(frozen=True)
class PaceRef:
    """A target pace by zone name: `zone` with an offset in percent and/or seconds per km.

    A negative offset is faster. `scale` multiplies the result (1.02 = 2 % slower); the composer
    uses it to calibrate targets (P14).
    """

    zone: str
    offset_pct: float = 0.0
    offset_s: float = 0.0
    scale: float = 1.0

    def resolve(self, paces: Any) -> float:
        base = paces.zone(self.zone)
        return (base * (1 + self.offset_pct / 100.0) + self.offset_s) * self.scale

    def label(self, goal: str = "") -> str:
        """Words for the pace: 'threshold pace', '2 % faster than 5K race pace'; a swim's
        'CSS', 'CSS + 5 s' (per 100 m), 'CSS - 2 %'."""
        if self.zone == SWIM_ZONE:
            name = "CSS"
            if self.offset_pct or self.offset_s:
                amount, unit = (self.offset_pct, "%") if self.offset_pct else (self.offset_s, "s")
                name += f" {'+' if amount > 0 else '-'} {abs(amount):g} {unit}"
            if abs(self.scale - 1.0) > 1e-9:
                name += f", {abs(1 - self.scale) * 100:.3g} % {'faster' if self.scale < 1 else 'slower'} after calibration"
            return name
        if self.zone == "race":
            name = f"{_goal_label(goal)} race pace" if goal else "race pace"
        else:
            name = f"{self.zone} pace"
        if self.offset_pct:
            word = "faster" if self.offset_pct < 0 else "slower"
            name = f"{abs(self.offset_pct):g} % {word} than {name}"
        elif self.offset_s:
            word = "faster" if self.offset_s < 0 else "slower"
            name = f"{abs(self.offset_s):g} s/km {word} than {name}"
        if abs(self.scale - 1.0) > 1e-9:
            word = "faster" if self.scale < 1 else "slower"
            name += f", {abs(1 - self.scale) * 100:.3g} % {word} after calibration"
        return name

    def text(self) -> str:
        if self.offset_pct:
            return f"{self.zone}{self.offset_pct:+g}%"
        if self.offset_s:
            return f"{self.zone}{self.offset_s:+g}s"
        return self.zone


def _goal_label(goal: str) -> str:
    return {"5k": "5K", "10k": "10K", "half": "half-marathon", "marathon": "marathon",
            "sprint": "sprint-triathlon 5K", "olympic": "olympic-triathlon 10K",
            "70.3": "70.3 half-marathon", "ironman": "ironman marathon"}.get(goal, goal)


@dataclass(frozen=True)
class Surge:
    """A faster segment at the end of each rep (the three-zone rotation of P6)."""

    duration_s: float
    pace: PaceRef


@dataclass(frozen=True)
class Step:
    """One line of a session: a warm-up element, a group of reps, a continuous run."""

    what: str
    reps: int = 1
    distance_m: float | None = None
    distance_goal: bool = False  # the goal race's distance
    duration_s: float | None = None
    pace: PaceRef | None = None  # None: by feel (drills, mobility, cross-training)
    recovery: str | float | None = None  # "auto", seconds, or None (no recovery)
    fixed: bool = False  # never shortened or reduced (relaxed strides, race-day efforts)
    surge: Surge | None = None
    line: int = 0
    # --- multisport (issue 14) ---
    leg: str = "run"  # run, swim or bike: a brick has both bike and run steps
    power_pct_ftp: float | None = None  # bike: share of FTP
    power_w: float | None = None  # bike: fixed watts
    hr_zone: int | None = None  # bike: heart-rate zone 1-5, the target without FTP
    cadence_rpm: int | None = None  # bike: cadence cue


@dataclass(frozen=True)
class Variant:
    purpose: str | None
    main: tuple[Step, ...]


@dataclass(frozen=True)
class Template:
    id: str
    goals: tuple[str, ...]
    kind: str
    sport: str
    intensity: str
    purpose: str
    rpe: int | None
    warmup: tuple[Step, ...]
    main: tuple[Step, ...]
    taper: tuple[Step, ...]
    cooldown: tuple[Step, ...]
    simple: Variant | None
    file: str = ""
    line: int = 0

    def phases(self) -> list[tuple[str, tuple[Step, ...]]]:
        return [("warmup", self.warmup), ("main", self.main), ("taper", self.taper), ("cooldown", self.cooldown)]


@dataclass(frozen=True)
class RecoveryRules:
    """P4: jog recovery as a share of the rep's duration, by pace zone, longer for longer reps."""

    share_by_zone: dict[str, float]
    default_share: float
    long_rep_s: float
    long_rep_extra_share: float
    min_share: float
    max_share: float
    min_s: float
    round_to_s: float

    def recovery_for(self, zone: str | None, rep_s: float) -> float:
        share = self.share_by_zone.get(zone or "", self.default_share)
        if rep_s >= self.long_rep_s:
            share += self.long_rep_extra_share
        share = min(max(share, self.min_share), self.max_share)
        seconds = rep_s * share
        step = self.round_to_s
        rounded = round(seconds / step) * step if step else seconds
        # rounding must not push the recovery outside the share bounds
        lo, hi = rep_s * self.min_share, rep_s * self.max_share
        if rounded < lo:
            rounded += step
        if rounded > hi and rounded - step >= lo:
            rounded -= step
        return max(rounded, self.min_s)


@dataclass(frozen=True)
class TemplateSet:
    templates: tuple[Template, ...]
    recovery: RecoveryRules
    slot_kinds: dict[str, str]
    expected_rpe: dict[str, int]
    reference_vdot: float
    directory: Path | None = None
    #: swim durations are estimated at this CSS (s per 100 m) when the athlete has none
    reference_css: float | None = None
    #: weekday (mon..sun) -> (sport, kind): the plan of athletes whose sport is triathlon
    triathlon_week: Mapping[str, tuple[str, str]] | None = None

    def __post_init__(self) -> None:
        # a lookup table, not a field: built from the templates, never stored or compared
        index: dict[tuple[str, str], Template] = {}
        by_sport: dict[tuple[str, str, str], Template] = {}
        # a swim, bike or brick template is found by its sport; by kind alone only when no
        # other template has that kind (a run's kinds are never taken by a swim set, even
        # one written for the goal while the run's is for any goal)
        for t in self.templates:
            for g in t.goals:
                # cross-training is another sport by nature: a bike template may serve it
                if t.sport not in _MULTISPORT or t.kind == "cross":
                    index.setdefault((g, t.kind), t)
                by_sport.setdefault((g, t.kind, t.sport), t)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_by_sport", by_sport)

    def find(self, goal: str, kind: str, sport: str | None = None) -> Template | None:
        """The template for a goal and kind, else the goal-independent one, else None.

        :param sport: swim, bike or brick: that sport's template for the kind (None if there
            is none); None or run: the kind's template as the weekly pattern has always used it
        """
        goal, kind = str(goal), str(kind)
        if sport is not None and str(sport) in _MULTISPORT:
            sport = str(sport)
            return self._by_sport.get((goal, kind, sport)) or self._by_sport.get((ANY_GOAL, kind, sport))
        found = self._index.get((goal, kind)) or self._index.get((ANY_GOAL, kind))
        if found is None:  # a kind only a swim, bike or brick template has
            found = next((t for (g, k, _sp), t in self._by_sport.items() if k == kind and g in (goal, ANY_GOAL)), None)
        return found

    def with_pattern(self, pattern: list[Any]) -> "TemplateSet":
        """A copy whose slot kinds follow a weekly pattern ([{slot, kind}, ...]): first kind per slot."""
        kinds = dict(self.slot_kinds)
        seen: set[str] = set()
        for item in pattern or []:
            slot = item["slot"] if isinstance(item, dict) else getattr(item, "slot")
            kind = item["kind"] if isinstance(item, dict) else getattr(item, "kind")
            slot, kind = str(getattr(slot, "value", slot)), str(getattr(kind, "value", kind))
            if slot not in seen:
                kinds[slot] = kind
                seen.add(slot)
        return replace(self, slot_kinds=kinds)

    def expected_rpe_for(self, goal: str, kind: str, intensity: str) -> int | None:
        t = self.find(goal, kind)
        if t is not None and t.rpe is not None:
            return t.rpe
        return self.expected_rpe.get(str(intensity))


# --- parsing helpers -------------------------------------------------------------------------


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))


def parse_duration(value: Any) -> float:
    """'45s', '12min', '1h30min', '1:30' (m:ss) or a number of seconds -> seconds."""
    if isinstance(value, bool):
        raise ValueError("a duration like 45s, 12min, 1h30min or 1:30")
    if isinstance(value, (int, float)):
        if value <= 0:
            raise ValueError("a duration must be positive")
        return float(value)
    text = str(value).strip()
    m = _CLOCK_RE.match(text)
    if m:
        return int(m.group(1)) * 60 + int(m.group(2))
    m = _DURATION_RE.match(text)
    if not text or not m or not any(m.groups()):
        raise ValueError(f"{text!r} is not a duration like 45s, 12min, 1h30min or 1:30")
    h, mins, s = (float(g) if g else 0.0 for g in m.groups())
    total = h * 3600 + mins * 60 + s
    if total <= 0:
        raise ValueError("a duration must be positive")
    return total


def parse_distance(value: Any) -> float:
    """'400m', '1.6km', '2mi' -> metres."""
    m = _DISTANCE_RE.match(str(value)) if not isinstance(value, bool) else None
    if not m:
        raise ValueError(f"{value!r} is not a distance like 400m, 1.6km or 2mi")
    amount, unit = float(m.group(1)), m.group(2)
    metres = amount * {"m": 1.0, "km": 1000.0, "mi": 1609.344}[unit]
    if metres <= 0:
        raise ValueError("a distance must be positive")
    return metres


def parse_pace(value: Any) -> PaceRef:
    """'race', 'race-2%', 'threshold+5s' -> PaceRef (minus is faster)."""
    m = _PACE_RE.match(str(value)) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"{value!r} is not a pace like race, race-2% or threshold+5s")
    zone, sign, amount, unit = m.groups()
    if zone not in ZONES:
        raise ValueError(f"unknown pace zone {zone!r} (known: {', '.join(ZONES)})")
    offset = (float(amount) if amount else 0.0) * (-1 if sign == "-" else 1)
    if unit == "%":
        if abs(offset) > 30:
            raise ValueError(f"pace offset {offset:+g}% is out of range (at most 30 %)")
        return PaceRef(zone, offset_pct=offset)
    if unit == "s" and abs(offset) > 120:
        raise ValueError(f"pace offset {offset:+g}s is out of range (at most 120 s/km)")
    return PaceRef(zone, offset_s=offset)


# --- multisport steps (issue 14) -----------------------------------------------------------

#: the legs a session of each multisport sport may contain
_LEGS_OF = {"swim": ("swim",), "bike": ("bike",), "brick": ("swim", "bike", "run")}
_MULTISPORT = frozenset(_LEGS_OF)
_TRIATHLON_GOALS = ("sprint", "olympic", "70.3", "ironman")
SWIM_ZONE = "css"
_SWIM_DISTANCE_RE = re.compile(r"^\s*(\d+)\s*m\s*$")
_POWER_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|W)\s*$")


def _leg_of(raw: Any, sport: Any) -> str:
    """The leg a step belongs to: its own `leg:` in a brick, else its session's sport."""
    if sport == "brick":
        leg = raw.get("leg", "bike")
        if leg not in _LEGS_OF["brick"]:
            raise invalid("leg must be swim, bike or run in a brick or a triathlon race", key="leg")
        return str(leg)
    if "leg" in raw:
        raise invalid("leg is for the steps of a brick (bike, then run)", key="leg")
    return str(sport) if sport in ("swim", "bike") else "run"


def _swim_distance(value: Any) -> float:
    m = _SWIM_DISTANCE_RE.match(str(value)) if isinstance(value, str) else None
    if not m or int(m.group(1)) <= 0 or int(m.group(1)) % 25:
        raise invalid(f"distance: swim sets are in metres, a multiple of a 25 m pool length, like 400m (not {value!r})")
    return float(m.group(1))


def parse_swim_pace(value: Any) -> PaceRef:
    """'css', 'css+5s' (5 s per 100 m slower than CSS), 'css-2%' -> PaceRef (minus is faster)."""
    m = _PACE_RE.match(str(value)) if isinstance(value, str) else None
    if not m or m.group(1) != SWIM_ZONE:
        raise ValueError(f"{value!r} is not a swim pace like css, css+5s or css-2% (per 100 m from CSS)")
    _zone, sign, amount, unit = m.groups()
    offset = (float(amount) if amount else 0.0) * (-1 if sign == "-" else 1)
    if unit == "%":
        if abs(offset) > 20:
            raise ValueError(f"pace offset {offset:+g}% is out of range (at most 20 %)")
        return PaceRef(SWIM_ZONE, offset_pct=offset)
    if abs(offset) > 30:
        raise ValueError(f"pace offset {offset:+g}s is out of range (at most 30 s per 100 m)")
    return PaceRef(SWIM_ZONE, offset_s=offset)


def parse_power(value: Any) -> tuple[str, float]:
    """'90%' (of FTP) -> ('pct', 90.0); '220W' -> ('w', 220.0)."""
    m = _POWER_RE.match(str(value)) if isinstance(value, str) and not isinstance(value, bool) else None
    if not m:
        raise ValueError(f"{value!r} is not a power like 90% (of FTP) or 220W")
    amount = float(m.group(1))
    if m.group(2) == "%":
        if not 30 <= amount <= 200:
            raise ValueError(f"{amount:g}% of FTP is out of range (30 to 200 %)")
        return ("pct", amount)
    if not 30 <= amount <= 1500:
        raise ValueError(f"{amount:g} W is out of range (30 to 1500 W)")
    return ("w", amount)


_STEP_KEYS = {"what", "reps", "distance", "duration", "pace", "recovery", "fixed", "surge",
              "leg", "power", "hr", "cadence"}
_TEMPLATE_KEYS = {"id", "goals", "kind", "sport", "intensity", "purpose", "rpe",
                  "warmup", "main", "taper", "cooldown", "simple"}


def _parsed(parse: Any, value: Any, what: str) -> Any:
    try:
        return parse(value)
    except ValueError as exc:
        raise invalid(f"{what}: {exc}") from None


class _StepModel(BaseModel):
    """One step of a phase or a part; every field is checked by a validator in the coach's words."""

    leg: str = "run"  # set from the template's sport (or the step's `leg:` in a brick) first
    what: str = Field(default=None, validate_default=True)
    reps: int = 1
    distance: float | str | None = None  # metres, or "goal" (the goal race's distance)
    duration: float | None = None
    pace: Any = None  # PaceRef or None
    recovery: Any = None  # "auto", seconds or None
    fixed: bool = False
    surge: Any = None  # Surge or None
    power: Any = None  # ("pct", 90.0) or ("w", 220.0)
    hr: int | None = None
    cadence: int | None = None
    line: int = 0

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, raw: Any, info: ValidationInfo) -> Any:
        if not isinstance(raw, dict):
            return raw
        for key in raw:
            if key not in _STEP_KEYS:
                raise invalid(f"unknown key {key!r} (known: {', '.join(sorted(_STEP_KEYS))})", key=key)
        data = dict(raw)
        data["line"] = getattr(raw, "line", 0)
        data["leg"] = _leg_of(raw, (info.context or {}).get("sport"))
        reps = raw.get("reps", 1)
        if isinstance(reps, int) and not isinstance(reps, bool) and reps > 1 and "recovery" not in raw:
            if data["leg"] == "swim":
                raise invalid("swim reps need their rest at the wall, e.g. recovery: 15s", key="reps")
            data["recovery"] = "auto"
        return data

    @field_validator("what", mode="before")
    @classmethod
    def _what(cls, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise invalid("`what` must say what the step is")
        return value.strip()

    @field_validator("reps", mode="before")
    @classmethod
    def _reps(cls, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50:
            raise invalid("`reps` must be a whole number from 1 to 50")
        return value

    @field_validator("distance", mode="before")
    @classmethod
    def _distance(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("leg") == "swim":
            return _swim_distance(value)
        if info.data.get("leg") == "bike" and value == "goal":
            raise invalid("distance: goal is the run leg's distance; give a bike leg in km, like 40km")
        return "goal" if value == "goal" else _parsed(parse_distance, value, "distance")

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return _parsed(parse_duration, value, "duration")

    @field_validator("pace", mode="before")
    @classmethod
    def _pace(cls, value: Any, info: ValidationInfo) -> Any:
        leg = info.data.get("leg")
        if leg == "bike":
            raise invalid("bike targets are power (power: 90% of FTP, or power: 220W) and hr: 1-5, not a pace")
        if leg == "swim":
            return None if value is None else _parsed(parse_swim_pace, value, "pace")
        return None if value is None else _parsed(parse_pace, value, "pace")

    @field_validator("recovery", mode="before")
    @classmethod
    def _recovery(cls, value: Any, info: ValidationInfo) -> Any:
        if value == "auto" and info.data.get("leg") == "swim":
            raise invalid("recovery: a swim rest is a duration at the wall, e.g. 15s, not 'auto'")
        if value is None or value == "auto":
            return value
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise invalid(f"recovery: 'auto' or a duration ({exc})") from None

    @field_validator("fixed", mode="before")
    @classmethod
    def _fixed(cls, value: Any) -> bool:
        if not isinstance(value, bool):
            raise invalid("`fixed` must be true or false")
        return value

    @field_validator("surge", mode="before")
    @classmethod
    def _surge(cls, value: Any) -> Any:
        if not isinstance(value, dict) or set(value) != {"duration", "pace"}:
            raise invalid("surge must be {duration: 1min, pace: interval}")
        try:
            return Surge(parse_duration(value["duration"]), parse_pace(value["pace"]))
        except ValueError as exc:
            raise invalid(f"surge: {exc}") from None

    @field_validator("power", mode="before")
    @classmethod
    def _power(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("leg") != "bike":
            raise invalid("power is a bike target (a bike session, or leg: bike in a brick)")
        return _parsed(parse_power, value, "power")

    @field_validator("hr", mode="before")
    @classmethod
    def _hr(cls, value: Any, info: ValidationInfo) -> int:
        if info.data.get("leg") != "bike":
            raise invalid("hr (a heart-rate zone) is a bike target here; runs and swims use pace")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise invalid("hr must be a heart-rate zone from 1 to 5")
        return value

    @field_validator("cadence", mode="before")
    @classmethod
    def _cadence(cls, value: Any, info: ValidationInfo) -> int:
        if info.data.get("leg") != "bike":
            raise invalid("cadence (rpm) is a bike cue")
        if isinstance(value, bool) or not isinstance(value, int) or not 40 <= value <= 130:
            raise invalid("cadence must be whole pedal revolutions per minute from 40 to 130")
        return value

    @model_validator(mode="after")
    def _measured(self) -> "_StepModel":
        set_fields = self.model_fields_set
        if self.leg == "swim" and "duration" in set_fields:
            raise invalid("swim sets are in metres: give a distance like 400m, not a duration", key="duration")
        if self.power is not None and self.hr is None:
            raise invalid("a bike step with power also needs hr: 1-5, the target without FTP", key="power")
        if "distance" in set_fields and "duration" in set_fields:
            raise invalid("give a distance or a duration, not both", key="duration")
        if "distance" not in set_fields and "duration" not in set_fields:
            raise invalid("a step needs a distance or a duration")
        if "distance" in set_fields and self.pace is None and self.leg == "run" and self.power is None:
            raise invalid("a step measured by distance needs a pace", key="distance")
        if self.surge is not None and self.pace is None:
            raise invalid("a step with a surge needs its own pace", key="surge")
        return self

    def step(self) -> Step:
        goal = self.distance == "goal"
        return Step(what=self.what, reps=self.reps, distance_m=None if goal else self.distance, distance_goal=goal,
                    duration_s=self.duration, pace=self.pace, recovery=self.recovery, fixed=self.fixed,
                    surge=self.surge, line=self.line, leg=self.leg,
                    power_pct_ftp=self.power[1] if self.power and self.power[0] == "pct" else None,
                    power_w=self.power[1] if self.power and self.power[0] == "w" else None,
                    hr_zone=self.hr, cadence_rpm=self.cadence)


def _is_part(value: Any) -> str:
    return "part" if isinstance(value, str) else "step"


#: an item of a phase: a step, or the name of a part from defaults.yml
_PhaseItem = Annotated[Union[Annotated[_StepModel, Tag("step")], Annotated[str, Tag("part")]], Discriminator(_is_part)]


def _phase_items(value: Any, info: ValidationInfo) -> Any:
    """Before validation of a phase: none, the name of a part, or a list of steps and part names."""
    parts = (info.context or {}).get("parts", {})
    if value is None:
        return []
    if isinstance(value, str):
        if value not in parts:
            known = ", ".join(sorted(parts)) or "none defined"
            raise invalid(f"unknown part {value!r} (parts in {DEFAULTS_FILE}: {known})")
        return [value]
    if not isinstance(value, list):
        raise invalid(f"must be a list of steps or the name of a part from {DEFAULTS_FILE}")
    for i, item in enumerate(value):
        if isinstance(item, str) and item not in parts:
            raise invalid(f"unknown part {item!r}", key=i)
        if not isinstance(item, (str, dict)):
            raise invalid("a step must be a mapping like {what: ..., duration: 10min, pace: easy}", key=i, inside=True)
    return value


def _phase_steps(items: list[Any], info: ValidationInfo) -> tuple[Step, ...]:
    """After validation of a phase: part names replaced by their steps."""
    parts = (info.context or {}).get("parts", {})
    steps: list[Step] = []
    for item in items:
        steps.extend(parts[item] if isinstance(item, str) else (item.step(),))
    return tuple(steps)


_PHASES = ("warmup", "main", "taper", "cooldown")


class _SimpleModel(BaseModel):
    """`simple:` of a template: the variant for athletes still building their base (P15)."""

    purpose: str | None = None
    main: list[_PhaseItem]

    @field_validator("purpose", mode="before")
    @classmethod
    def _purpose(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise invalid("simple.purpose must be text")
        return value.strip() if isinstance(value, str) else None

    _items = field_validator("main", mode="before")(_phase_items)
    _steps = field_validator("main", mode="after")(_phase_steps)

    @model_validator(mode="after")
    def _not_empty(self) -> "_SimpleModel":
        if not self.main:
            raise invalid("simple.main must have at least one step", key="main")
        return self


class _TemplateModel(BaseModel):
    """One template of a session file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    goals: tuple[str, ...]
    kind: str
    sport: str
    intensity: str
    purpose: str
    rpe: int | None = None
    warmup: list[_PhaseItem] = Field(default=None, validate_default=True)
    main: list[_PhaseItem]
    taper: list[_PhaseItem] = Field(default=None, validate_default=True)
    cooldown: list[_PhaseItem] = Field(default=None, validate_default=True)
    simple: _SimpleModel | None = None

    _items = field_validator(*_PHASES, mode="before")(_phase_items)
    _steps = field_validator(*_PHASES, mode="after")(_phase_steps)

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        if not isinstance(value, str) or not _ID_RE.match(value):
            raise invalid("id must be lowercase letters, digits and dashes")
        return value

    @field_validator("goals", mode="before")
    @classmethod
    def _goals(cls, value: Any) -> Any:
        goals = [value] if isinstance(value, str) else value
        if not isinstance(goals, list) or not goals:
            raise invalid(f"goals must be a list of goals ({', '.join(GOALS)}) or [any]")
        for g in goals:
            if str(g) not in GOALS and g != ANY_GOAL:
                raise invalid(f"unknown goal {g!r} (known: {', '.join(GOALS)}, any)")
        return tuple(str(g) for g in goals)

    @field_validator("kind", "sport", "intensity", mode="before")
    @classmethod
    def _known(cls, value: Any, info: ValidationInfo) -> Any:
        allowed = {"kind": KINDS, "sport": SPORTS, "intensity": INTENSITIES}[info.field_name]
        if value not in allowed:
            raise invalid(f"unknown {info.field_name} {value!r} (known: {', '.join(allowed)})")
        return value

    @field_validator("purpose", mode="before")
    @classmethod
    def _purpose(cls, value: Any) -> str:
        if not isinstance(value, str) or len(value.strip()) < 10:
            raise invalid("purpose must say in words what the session trains (P1)")
        return " ".join(value.split())

    @field_validator("rpe", mode="before")
    @classmethod
    def _rpe(cls, value: Any) -> Any:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10):
            raise invalid("rpe must be a whole number from 1 to 10")
        return value

    @field_validator("simple", mode="before")
    @classmethod
    def _simple(cls, value: Any) -> Any:
        if value is not None and (not isinstance(value, dict) or "main" not in value or set(value) - {"purpose", "main"}):
            raise invalid("simple must be {main: [...]} with an optional purpose")
        return value

    @model_validator(mode="after")
    def _shape(self) -> "_TemplateModel":
        if self.intensity == "hard":
            # P2 and P3: hard sessions always warm up, taper and cool down
            for phase in ("warmup", "taper", "cooldown"):
                if not getattr(self, phase):
                    raise invalid(f"a hard session needs a {phase} (P2/P3)", key=phase)
        if self.kind != "rest" and not self.main:
            raise invalid("main must have at least one step", key="main")
        allowed = _LEGS_OF.get(self.sport)
        if allowed:
            for phase in _PHASES:
                for i, step in enumerate(getattr(self, phase)):
                    by_feel = step.pace is None and step.distance_m is None and not step.distance_goal
                    if step.leg not in allowed and not by_feel:
                        raise invalid(f"{phase}[{i + 1}]: a {step.leg} step in a {self.sport} session "
                                      f"(parts in {DEFAULTS_FILE} are run steps)", key=phase)
        return self


def _template_where(tid: Any, loc: tuple[Any, ...]) -> str:
    """What a problem inside a template is about, as messages begin: 'template 5k-tempo: main[2]'."""
    where = f"template {tid}" if isinstance(tid, str) else "template"
    loc = tuple(p for p in loc if p not in ("step", "part"))
    if loc and loc[0] in _PHASES:
        return f"{where}: {loc[0]}[{loc[1] + 1}]" if len(loc) > 1 and isinstance(loc[1], int) else f"{where}: {loc[0]}"
    if loc[:2] == ("simple", "main"):
        return f"{where}: simple.main[{loc[2] + 1}]" if len(loc) > 2 and isinstance(loc[2], int) else f"{where}: simple.main"
    return where


def _parse_template(raw: Any, line: int, col: _Collector, parts: dict[str, tuple[Step, ...]]) -> Template | None:
    if not isinstance(raw, LineDict):
        col.add(line, "a template must be a mapping with id, goals, kind, sport, intensity, purpose and main")
        return None
    try:
        model = _TemplateModel.model_validate(raw, context={"parts": parts, "sport": raw.get("sport")})
    except ValidationError as exc:
        tid = raw.get("id")
        col.problems.extend(problems_from(
            col.file, raw, exc,
            unknown_key={(): f"unknown key {{key}} (known: {', '.join(sorted(_TEMPLATE_KEYS))})"},
            missing_key={(): "missing `{key}`"},
            where=lambda loc: _template_where(tid, loc),
        ))
        return None
    return Template(
        id=model.id, goals=model.goals, kind=model.kind, sport=model.sport, intensity=model.intensity,
        purpose=model.purpose, rpe=model.rpe, warmup=model.warmup, main=model.main, taper=model.taper,
        cooldown=model.cooldown,
        simple=None if model.simple is None else Variant(model.simple.purpose, model.simple.main),
        file=col.file, line=raw.line,
    )


_DEFAULT_KEYS = {"recovery", "parts", "slot_kinds", "expected_rpe", "reference_vdot"}
#: optional keys of defaults.yml
_OPTIONAL_DEFAULT_KEYS = {"reference_css", "triathlon_week"}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEK_SPORTS = ("run", "swim", "bike", "brick", "rest")
_RECOVERY_KEYS = {"share_by_zone", "default_share", "long_rep_s", "long_rep_extra_share",
                  "min_share", "max_share", "min_s", "round_to_s"}
#: recovery number -> its bounds (inclusive)
_RECOVERY_BOUNDS = {"default_share": (0.1, 3), "long_rep_s": (1, 3600), "long_rep_extra_share": (0, 2),
                    "min_share": (0, 3), "max_share": (0.1, 3), "min_s": (0, 600), "round_to_s": (0, 120)}


def _bounded(key: str, value: Any, lo: float, hi: float) -> float:
    if not is_number(value) or not lo <= value <= hi:
        raise invalid(f"`{key}` must be a number from {lo:g} to {hi:g}")
    return float(value)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _RecoveryModel(_Strict):
    """`recovery:` of defaults.yml (P4)."""

    share_by_zone: dict[str, float] = Field(default=None, validate_default=True)
    default_share: float = Field(default=None, validate_default=True)
    long_rep_s: float = Field(default=None, validate_default=True)
    long_rep_extra_share: float = Field(default=None, validate_default=True)
    min_share: float = Field(default=None, validate_default=True)
    max_share: float = Field(default=None, validate_default=True)
    min_s: float = Field(default=None, validate_default=True)
    round_to_s: float = Field(default=None, validate_default=True)

    @field_validator(*_RECOVERY_BOUNDS, mode="before")
    @classmethod
    def _number(cls, value: Any, info: ValidationInfo) -> float:
        return _bounded(info.field_name, value, *_RECOVERY_BOUNDS[info.field_name])

    @field_validator("share_by_zone", mode="before")
    @classmethod
    def _shares(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise invalid("recovery: `share_by_zone` must map pace zones to shares, e.g. {interval: 0.75}")
        for zone, share in value.items():
            if zone not in ZONES:
                raise invalid(f"recovery: unknown pace zone {zone!r}", key=zone)
            if not is_number(share) or not 0.1 <= share <= 3:
                raise invalid(f"recovery: share for {zone} must be a number from 0.1 to 3", key=zone)
        return value

    @model_validator(mode="after")
    def _order(self) -> "_RecoveryModel":
        if self.min_share > self.max_share:
            raise invalid("recovery: min_share is above max_share", key="min_share")
        return self


class _DefaultsModel(_Strict):
    """defaults.yml: numbers shared by every template (parts are steps, parsed with them)."""

    recovery: _RecoveryModel
    parts: dict[str, Any]
    slot_kinds: dict[str, str]
    expected_rpe: dict[str, int | None]
    reference_vdot: float
    reference_css: float | None = None
    triathlon_week: dict[str, tuple[str, str]] | None = None

    @field_validator("triathlon_week", mode="before")
    @classmethod
    def _week(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise invalid("`triathlon_week` must map each weekday (mon..sun) to {sport: swim, kind: intervals}")
        week: dict[str, tuple[str, str]] = {}
        for day, entry in value.items():
            if day not in _WEEKDAYS:
                raise invalid(f"triathlon_week: unknown weekday {day!r} (known: {', '.join(_WEEKDAYS)})", key=day)
            if not isinstance(entry, dict) or set(entry) != {"sport", "kind"}:
                raise invalid(f"triathlon_week.{day}: must be {{sport: ..., kind: ...}}", key=day)
            if entry["sport"] not in _WEEK_SPORTS:
                raise invalid(f"triathlon_week.{day}: unknown sport {entry['sport']!r} "
                              f"(known: {', '.join(_WEEK_SPORTS)})", key=day)
            if entry["kind"] not in KINDS:
                raise invalid(f"triathlon_week.{day}: unknown kind {entry['kind']!r}", key=day)
            week[day] = (str(entry["sport"]), str(entry["kind"]))
        missing = [d for d in _WEEKDAYS if d not in week]
        if missing:
            raise invalid(f"triathlon_week: missing {', '.join(missing)}")
        return week

    @field_validator("reference_css", mode="before")
    @classmethod
    def _css(cls, value: Any) -> float:
        try:
            seconds = parse_duration(value) if not isinstance(value, bool) else 0.0
        except ValueError:
            seconds = 0.0
        if not 55 <= seconds <= 300:
            raise invalid("`reference_css` must be a pace per 100 m from 0:55 to 5:00, like 2:00")
        return seconds

    @field_validator("recovery", mode="before")
    @classmethod
    def _recovery(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise invalid("`recovery` must be a mapping")
        return value

    @field_validator("parts", mode="before")
    @classmethod
    def _parts(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise invalid("`parts` must map part names to lists of steps")
        return value

    @field_validator("slot_kinds", mode="before")
    @classmethod
    def _slot_kinds(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise invalid("`slot_kinds` must map each slot (hard, light, rest) to a kind")
        for slot, kind in value.items():
            if slot not in SLOTS:
                raise invalid(f"slot_kinds: unknown slot {slot!r} (known: {', '.join(SLOTS)})", key=slot)
            if kind not in KINDS:
                raise invalid(f"slot_kinds: unknown kind {kind!r} (known: {', '.join(KINDS)})", key=slot)
        for slot in SLOTS:
            if slot not in value:
                raise invalid(f"slot_kinds: missing slot {slot!r}")
        return value

    @field_validator("expected_rpe", mode="before")
    @classmethod
    def _expected_rpe(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise invalid("`expected_rpe` must map intensities to RPE values")
        for key, rpe in value.items():
            if key not in INTENSITIES:
                raise invalid(f"expected_rpe: unknown intensity {key!r}", key=key)
            if rpe is not None and (isinstance(rpe, bool) or not isinstance(rpe, int) or not 1 <= rpe <= 10):
                raise invalid(f"expected_rpe: {key} must be an RPE from 1 to 10 (or null)", key=key)
        return value

    @field_validator("reference_vdot", mode="before")
    @classmethod
    def _vdot(cls, value: Any) -> float:
        return _bounded("reference_vdot", value, 20, 90)


_DEFAULTS_UNKNOWN = {
    (): f"unknown key {{key}} (known: {', '.join(sorted(_DEFAULT_KEYS | _OPTIONAL_DEFAULT_KEYS))})",
    ("recovery",): f"recovery: unknown key {{key}} (known: {', '.join(sorted(_RECOVERY_KEYS))})",
}
_DEFAULTS_MISSING = {(): "missing `{key}`"}


def _parse_defaults(source: SourceFile, col: _Collector) -> dict[str, Any] | None:
    """defaults.yml, validated by `_DefaultsModel`; its parts are parsed even when a number is
    wrong, so that the templates using them are still checked."""
    try:
        data = parse_yaml(source)
    except YamlSyntaxError as exc:
        col.add(exc.line, exc.message)
        return None
    if not isinstance(data, LineDict):
        col.add(1, f"{DEFAULTS_FILE} must be a mapping with keys {', '.join(sorted(_DEFAULT_KEYS))}")
        return None
    result: dict[str, Any] = {}
    try:
        model = _DefaultsModel.model_validate(data)
    except ValidationError as exc:
        col.problems.extend(problems_from(col.file, data, exc, _DEFAULTS_UNKNOWN, _DEFAULTS_MISSING))
    else:
        result.update(
            recovery=RecoveryRules(**model.recovery.model_dump()),
            slot_kinds={str(k): str(v) for k, v in model.slot_kinds.items()},
            expected_rpe={str(k): v for k, v in model.expected_rpe.items() if v is not None},
            reference_vdot=model.reference_vdot,
            reference_css=model.reference_css,
            triathlon_week=model.triathlon_week,
        )
    parts: dict[str, tuple[Step, ...]] = {}
    raw_parts = data.get("parts")
    if isinstance(raw_parts, LineDict):
        for name in raw_parts:
            try:
                parts[str(name)] = _PartModel.model_validate({"steps": raw_parts[name]}, context={"parts": {}}).steps
            except ValidationError as exc:
                col.problems.extend(_part_problems(col.file, raw_parts, name, exc))
    result["parts"] = parts
    return result


class _PartModel(BaseModel):
    """A named part of defaults.yml: a list of steps (a part cannot use another part)."""

    steps: list[_PhaseItem]

    _items = field_validator("steps", mode="before")(_phase_items)
    _steps = field_validator("steps", mode="after")(_phase_steps)


def _part_problems(file: str, raw_parts: LineDict, name: Any, exc: ValidationError) -> list[Problem]:
    """The problems of one part, located in defaults.yml and worded 'parts.NAME[2]: ...'."""
    def where(loc: tuple[Any, ...]) -> str:
        loc = tuple(p for p in loc if p not in ("step", "part"))[1:]  # without "steps"
        return f"parts.{name}[{loc[0] + 1}]" if loc and isinstance(loc[0], int) else f"parts.{name}"

    holder = LineDict(steps=raw_parts[name])
    holder.line = raw_parts.line_of(name)
    holder.key_lines = {"steps": raw_parts.line_of(name)}
    return problems_from(file, holder, exc, {}, where=where)


def parse_templates(folder: str, files: Sequence[SourceFile] | None) -> tuple[TemplateSet | None, list[Problem]]:
    """Validate the session templates of a rule set from the text of their files.

    :param folder: the `sessions` folder, as messages name it
    :param files: its YAML files (`defaults.yml` among them), in name order; None: no such folder
    :return: the templates (None if there is any problem) and every problem, each at file:line
    """
    if files is None:
        return None, [Problem(folder, 1, "session template folder not found")]
    problems: list[Problem] = []
    by_name = {Path(f.name).name: f for f in files}
    defaults_source = by_name.get(DEFAULTS_FILE)
    dcol = _Collector(str(Path(folder) / DEFAULTS_FILE))
    if defaults_source is None:
        dcol.add(1, "missing: the session defaults (recovery sizing, parts, slot kinds)")
        defaults = None
    else:
        defaults = _parse_defaults(defaults_source, dcol)
    problems.extend(dcol.problems)
    parts = defaults["parts"] if defaults else {}

    templates: list[Template] = []
    seen: dict[str, str] = {}
    sources = [f for f in files if Path(f.name).name != DEFAULTS_FILE]
    for source in sources:
        col = _Collector(source.name)
        try:
            data = parse_yaml(source)
        except YamlSyntaxError as exc:
            col.add(exc.line, exc.message)
            problems.extend(col.problems)
            continue
        if not isinstance(data, LineDict) or set(data) != {"templates"} or not isinstance(data["templates"], LineList):
            line = data.line if isinstance(data, (LineDict, LineList)) else 1
            col.add(line, "a session file must hold one key, `templates:`, with a list of templates")
            problems.extend(col.problems)
            continue
        for i, raw in enumerate(data["templates"]):
            t = _parse_template(raw, data["templates"].line_of(i), col, parts)
            if t is None:
                continue
            if t.id in seen:
                col.add(t.line, f"template {t.id}: id already used in {seen[t.id]}")
                continue
            seen[t.id] = f"{Path(source.name).name}:{t.line}"
            templates.append(t)
        problems.extend(col.problems)

    if not sources:
        problems.append(Problem(folder, 1, "no session template files (*.yml)"))
    if problems or defaults is None or len(set(defaults) & (_DEFAULT_KEYS | {"parts"})) < len(_DEFAULT_KEYS):
        return None, problems

    # every goal must find a template for every kind, so any adaptation can be composed
    by_key = {(g, t.kind) for t in templates for g in t.goals}
    for kind in KINDS:
        if (ANY_GOAL, kind) in by_key:
            continue
        missing = [g for g in GOALS if (g, kind) not in by_key]
        if missing:
            problems.append(Problem(folder, 1,
                                    f"no {kind!r} template for goal(s) {', '.join(missing)} (add one, or one with goals: [any])"))
    # every day of the triathlon week must find its sport's template for every triathlon goal
    for day, (sport, kind) in (defaults.get("triathlon_week") or {}).items():
        if sport == "rest" or kind == "rest":
            continue
        goals = [g for g in _TRIATHLON_GOALS
                 if not any(t.kind == kind and (sport == "run" or t.sport == sport) and (g in t.goals or ANY_GOAL in t.goals)
                            for t in templates)]
        if goals:
            problems.append(Problem(str(Path(folder) / DEFAULTS_FILE), 1,
                                    f"triathlon_week.{day}: no {sport} template of kind {kind!r} for goal(s) {', '.join(goals)}"))
    if problems:
        return None, problems
    return TemplateSet(
        templates=tuple(templates), recovery=defaults["recovery"], slot_kinds=defaults["slot_kinds"],
        expected_rpe=defaults["expected_rpe"], reference_vdot=defaults["reference_vdot"], directory=Path(folder),
        reference_css=defaults.get("reference_css"), triathlon_week=defaults.get("triathlon_week"),
    ), []


def goal_distance(goal: str) -> float:
    return GOAL_DISTANCE_M.get(str(goal), 5000.0)
