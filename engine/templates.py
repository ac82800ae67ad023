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
from collections.abc import Sequence
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
        """Words for the pace: 'threshold pace', '2 % faster than 5K race pace'."""
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

    def __post_init__(self) -> None:
        # a lookup table, not a field: built from the templates, never stored or compared
        index: dict[tuple[str, str], Template] = {}
        for t in self.templates:
            for g in t.goals:
                index.setdefault((g, t.kind), t)
        object.__setattr__(self, "_index", index)

    def find(self, goal: str, kind: str) -> Template | None:
        """The template for a goal and kind, else the goal-independent one, else None."""
        return self._index.get((str(goal), str(kind))) or self._index.get((ANY_GOAL, str(kind)))

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


_STEP_KEYS = {"what", "reps", "distance", "duration", "pace", "recovery", "fixed", "surge"}
_TEMPLATE_KEYS = {"id", "goals", "kind", "sport", "intensity", "purpose", "rpe",
                  "warmup", "main", "taper", "cooldown", "simple"}


def _parsed(parse: Any, value: Any, what: str) -> Any:
    try:
        return parse(value)
    except ValueError as exc:
        raise invalid(f"{what}: {exc}") from None


class _StepModel(BaseModel):
    """One step of a phase or a part; every field is checked by a validator in the coach's words."""

    what: str = Field(default=None, validate_default=True)
    reps: int = 1
    distance: float | str | None = None  # metres, or "goal" (the goal race's distance)
    duration: float | None = None
    pace: Any = None  # PaceRef or None
    recovery: Any = None  # "auto", seconds or None
    fixed: bool = False
    surge: Any = None  # Surge or None
    line: int = 0

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        for key in raw:
            if key not in _STEP_KEYS:
                raise invalid(f"unknown key {key!r} (known: {', '.join(sorted(_STEP_KEYS))})", key=key)
        data = dict(raw)
        data["line"] = getattr(raw, "line", 0)
        reps = raw.get("reps", 1)
        if isinstance(reps, int) and not isinstance(reps, bool) and reps > 1 and "recovery" not in raw:
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
    def _distance(cls, value: Any) -> Any:
        return "goal" if value == "goal" else _parsed(parse_distance, value, "distance")

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return _parsed(parse_duration, value, "duration")

    @field_validator("pace", mode="before")
    @classmethod
    def _pace(cls, value: Any) -> Any:
        return None if value is None else _parsed(parse_pace, value, "pace")

    @field_validator("recovery", mode="before")
    @classmethod
    def _recovery(cls, value: Any) -> Any:
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

    @model_validator(mode="after")
    def _measured(self) -> "_StepModel":
        set_fields = self.model_fields_set
        if "distance" in set_fields and "duration" in set_fields:
            raise invalid("give a distance or a duration, not both", key="duration")
        if "distance" not in set_fields and "duration" not in set_fields:
            raise invalid("a step needs a distance or a duration")
        if "distance" in set_fields and self.pace is None:
            raise invalid("a step measured by distance needs a pace", key="distance")
        if self.surge is not None and self.pace is None:
            raise invalid("a step with a surge needs its own pace", key="surge")
        return self

    def step(self) -> Step:
        goal = self.distance == "goal"
        return Step(what=self.what, reps=self.reps, distance_m=None if goal else self.distance, distance_goal=goal,
                    duration_s=self.duration, pace=self.pace, recovery=self.recovery, fixed=self.fixed,
                    surge=self.surge, line=self.line)


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
        model = _TemplateModel.model_validate(raw, context={"parts": parts})
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
    (): f"unknown key {{key}} (known: {', '.join(sorted(_DEFAULT_KEYS))})",
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
    if problems or defaults is None or len(defaults) < len(_DEFAULT_KEYS):
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
    if problems:
        return None, problems
    return TemplateSet(
        templates=tuple(templates), recovery=defaults["recovery"], slot_kinds=defaults["slot_kinds"],
        expected_rpe=defaults["expected_rpe"], reference_vdot=defaults["reference_vdot"], directory=Path(folder),
    ), []


def goal_distance(goal: str) -> float:
    return GOAL_DISTANCE_M.get(str(goal), 5000.0)
