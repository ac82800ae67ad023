"""Typed rule objects: what a validated rule set is made of.

The validator (`validate.py`) builds these from the YAML files; nothing else does.
A condition is kept both as the coach wrote it (`Rule.when`) and as a small syntax tree
(`Condition`), which the compiler turns into durable_rules JSON and `explain` evaluates
in plain Python.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NamedTuple, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.engine.model import Action, Intensity, Kind

Scalar = Union[bool, int, float, str]
CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]


class Problem(NamedTuple):
    """One thing wrong with a rule set, located at file:line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Compare(_Node):
    """`fact OP value`; false when the fact is unknown."""

    node: Literal["compare"] = "compare"
    fact: str
    op: CompareOp
    value: Scalar

    def __str__(self) -> str:
        return f"{self.fact} {self.op} {_literal(self.value)}"


class In(_Node):
    """`fact in [v1, v2, ...]`; false when the fact is unknown."""

    node: Literal["in"] = "in"
    fact: str
    values: tuple[Scalar, ...]

    def __str__(self) -> str:
        return f"{self.fact} in [{', '.join(_literal(v) for v in self.values)}]"


class Not(_Node):
    node: Literal["not"] = "not"
    item: "Condition"

    def __str__(self) -> str:
        inner = str(self.item)
        return f"not ({inner})" if isinstance(self.item, (And, Or)) else f"not {inner}"


class And(_Node):
    node: Literal["and"] = "and"
    items: tuple["Condition", ...]

    def __str__(self) -> str:
        return " and ".join(f"({i})" if isinstance(i, Or) else str(i) for i in self.items)


class Or(_Node):
    node: Literal["or"] = "or"
    items: tuple["Condition", ...]

    def __str__(self) -> str:
        return " or ".join(f"({i})" if isinstance(i, And) else str(i) for i in self.items)


Condition = Annotated[Union[Compare, In, Not, And, Or], Field(discriminator="node")]
for _cls in (Not, And, Or):
    _cls.model_rebuild()


def _literal(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value) if isinstance(value, float) else str(value)


def facts_of(condition: Any) -> set[str]:
    """Every fact name a condition reads."""
    if isinstance(condition, (Compare, In)):
        return {condition.fact}
    if isinstance(condition, Not):
        return facts_of(condition.item)
    return set().union(*(facts_of(i) for i in condition.items))


class DerivedFact(_Node):
    """A fact that rules assert with the `set` action, for other rules to match."""

    name: str
    type: Literal["number", "string", "bool"]
    description: str
    values: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


class Rule(_Node):
    id: str
    principle: str
    priority: int
    description: str
    when: str = Field(description="the condition as written in the rule file")
    condition: Condition
    then: tuple[Action, ...]
    reason: str
    file: str = ""
    line: int = 0


class FactParams(_Node):
    """Numbers used by fact computation (settings.yml `facts:`)."""

    hard_rpe: int = Field(ge=1, le=10)
    maximal_rpe: int = Field(ge=1, le=10)
    heavy_load: float = Field(gt=0)
    long_run_minutes: float = Field(gt=0)
    form_drift_pct: float = Field(gt=0, le=100)
    easy_hr_window_days: int = Field(ge=1, le=28)
    calibration_pace_pct: float = Field(gt=0, le=50)


class PaceParams(_Node):
    """How much history training paces read (settings.yml `paces:`), for every caller alike."""

    race_window_days: int = Field(default=180, ge=1, le=3650)
    estimate_window_days: int = Field(default=42, ge=1, le=365)
    estimate_min_minutes: float = Field(default=20.0, gt=0)


class LoadParams(_Node):
    """How loads without an RPE join the session-RPE scale (settings.yml `load:`, optional;
    coach.engine.load_methods and coach.engine.physiology say what each number does)."""

    au_per_point: float = Field(gt=0, le=20)
    flat_m_per_m_climb: float = Field(ge=0, le=20)
    hr_rest_default: float = Field(ge=25, le=120)
    threshold_hr_pct_of_max: float = Field(ge=70, le=100)
    hr_max_min_sessions: int = Field(ge=1, le=100)
    ctl_days: float = Field(ge=7, le=120)
    atl_days: float = Field(ge=2, le=28)
    ema: Literal["e", "1/n", "2/(n+1)"]
    brick_run_share_pct: float = Field(default=25.0, ge=0, le=100)


class ReadinessParams(_Node):
    """How morning check-ins become readiness facts (settings.yml `readiness:`, optional;
    coach.engine.readiness says what each number does)."""

    state_days: int = Field(ge=1, le=14)
    hrv_band_sd: float = Field(gt=0, le=3)
    hrv_min_readings: int = Field(ge=3, le=60)


#: a heart-rate zone's band in % of its reference: [low, high]; low None: "below high"
ZoneBand = tuple[Union[float, None], float]
HR_ZONES = (1, 2, 3, 4, 5)


def _check_bands(bands: dict[int, ZoneBand], where: str) -> None:
    if sorted(bands) != list(HR_ZONES):
        raise ValueError(f"{where}: expected zones 1 to 5, got {sorted(bands)}")
    for zone, (low, high) in bands.items():
        if not 0 < high <= 150 or (low is not None and not 0 < low < high):
            raise ValueError(f"{where} zone {zone}: expected 0 < low < high <= 150 (%), got [{low}, {high}]")


class HeartRateZoneParams(_Node):
    """Heart-rate zones in bpm for blocks with a heart-rate zone (settings.yml `heart_rate_zones:`,
    optional; coach.engine.heart_rate says how they are used). Each model names its source."""

    threshold_source: str = Field(min_length=3)
    #: per sport: zone -> [low, high] in % of threshold heart rate (LTHR)
    threshold_pct: dict[Literal["bike", "run"], dict[int, ZoneBand]]
    reserve_source: str = Field(min_length=3)
    #: zone -> [low, high] in % of the heart-rate reserve (max - rest), added to the resting HR
    reserve_pct: dict[int, ZoneBand]

    @model_validator(mode="after")
    def _bands(self) -> "HeartRateZoneParams":
        for sport, bands in self.threshold_pct.items():
            _check_bands(bands, f"threshold_pct.{sport}")
        _check_bands(self.reserve_pct, "reserve_pct")
        return self


class PatternDay(_Node):
    slot: Literal["hard", "light", "rest"]
    kind: Kind


class RuleSettings(_Node):
    """The validated settings.yml of a rule set."""

    facts: FactParams
    intensity_of_kind: dict[Kind, Intensity]
    pattern: tuple[PatternDay, ...]
    paces: PaceParams = PaceParams()
    load: LoadParams | None = None
    readiness: ReadinessParams | None = None
    heart_rate_zones: HeartRateZoneParams | None = None
