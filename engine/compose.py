"""The composer: from "a hard day, adapted by these rules" to a session a runner can go out and do.

    compose(athlete, facts, firings, templates, paces) -> (Session, [Adaptation])

1. The kind of session is the weekly pattern's (`plan.kind`), unless a firing swaps it
   (`swap`, P7) or moves the day to another slot (`set_slot`, P10/P12/P13). The first such
   action in priority order decides; later ones no longer change the day.
2. The template for the athlete's goal and that kind gives purpose, warm-up, main set,
   taper and cool-down, with paces by zone.
3. Modifiers change only the main set of hard and moderate sessions, in this order:
   `simplify` (the template's simple variant, P15), then in priority order `reduce_intensity`
   (main set one pace zone down, P11), `shorten` (fewer or shorter reps at the SAME pace;
   warm-up, taper and cool-down are never cut, P2/P8/P9) and `adjust_pace` (targets moved by a
   percentage, P14). Steps marked `fixed` (relaxed strides, a race) are left alone.
4. Each firing that changed something becomes an Adaptation whose reason is the rule's own
   reason followed by what concretely changed ("8 x 400 m became 6 x 400 m at the same
   1:33 per 400 m"), in the athlete's units (P17).

For triathletes the day's sport is the plan's (`plan.sport`): a swim's blocks carry
`pace_s_per_100m` from the athlete's CSS, a ride's `power_w` / `power_pct_ftp` from their FTP
(else `hr_zone`) and `cadence_rpm`, and every block of a swim, ride or brick says its leg
(`sport`); a swapped swim stays a swim (`find_template`).

Without paces (no race, no timed run) the session is still composed: targets are named by
zone, durations are estimated at the templates' reference fitness, and an adaptation says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from coach.engine.errors import CoachError
from coach.engine.model import Adaptation, Athlete, Block, Firing, Session
from coach.engine.paces import STANDARD_LADDER, TrainingPaces, training_paces
from coach.engine.presentation import format_clock, format_distance, format_duration, format_pace
from coach.engine.multisport import power_target
from coach.engine.vocabulary import NOT_IN_WINDOW
from coach.engine.templates import SWIM_ZONE, PaceRef, Step, Surge, Template, TemplateSet, goal_distance

__all__ = ["NoTemplate", "block_totals", "compose", "demand"]

_EASY_ZONES = ("easy", "recovery")
_KIND_WORDS = {
    "easy": "an easy run", "recovery": "a recovery run", "steady": "a steady run", "long": "a long run",
    "tempo": "a tempo session", "intervals": "an interval session", "repetitions": "a repetitions session",
    "three_zone": "a three-zone session", "race": "a race", "time_trial": "a time trial",
    "cross": "cross-training", "rest": "a rest day",
}


class NoTemplate(CoachError):
    """No session template exists for the athlete's goal and the day's kind."""


@dataclass
class _Work:
    """A mutable copy of one template step while adaptations are applied."""

    phase: str
    what: str
    reps: int
    distance_m: float | None
    duration_s: float | None
    pace: PaceRef | None
    surge: Surge | None
    recovery: str | float | None
    fixed: bool
    step: Step | None = None  # the template step: its leg and bike targets

    @classmethod
    def of(cls, phase: str, step: Step, goal: str) -> "_Work":
        distance = goal_distance(goal) if step.distance_goal else step.distance_m
        return cls(phase, step.what, step.reps, distance, step.duration_s, step.pace, step.surge,
                   step.recovery, step.fixed, step)

    @property
    def leg(self) -> str:
        return self.step.leg if self.step is not None else "run"

    @property
    def paced_work(self) -> bool:
        # run paces only: a swim's CSS pace has no run zone to step down to
        return self.pace is not None and self.pace.zone not in _EASY_ZONES and self.pace.zone != SWIM_ZONE


@lru_cache(maxsize=64)
def _reference_paces(vdot: float, goal: str) -> TrainingPaces:
    """The templates' reference fitness as paces: the same for every athlete without paces of
    their own, so worked out once per rule set and goal rather than once per proposal."""
    return training_paces(vdot, goal)


class _Pacer:
    """Resolves pace references to numbers: the athlete's paces, else the reference fitness."""

    def __init__(self, paces: TrainingPaces | None, templates: TemplateSet, goal: str, units: str,
                 css: float | None = None, ftp: float | None = None):
        self.paces = paces
        self.known = paces is not None
        # swim: the athlete's CSS (s per 100 m), else the templates' reference for durations
        self.css, self.css_known = (css or templates.reference_css or 120.0), css is not None
        self.ftp = ftp
        self.ref = paces if paces is not None else _reference_paces(templates.reference_vdot, goal)
        self.goal = goal
        self.units = units
        self.recovery = templates.recovery

    def value(self, pace: PaceRef) -> float:
        """Seconds per km for a run pace; seconds per 100 m for a swim (CSS) pace."""
        if pace.zone == SWIM_ZONE:
            return (self.css * (1 + pace.offset_pct / 100.0) + pace.offset_s) * pace.scale
        return pace.resolve(self.ref)

    def _per_metre(self, pace: PaceRef) -> float:
        return self.value(pace) / (100.0 if pace.zone == SWIM_ZONE else 1000.0)

    def rep_seconds(self, w: _Work) -> float | None:
        """Duration of one rep, surge included."""
        if w.duration_s is not None:
            seconds = w.duration_s
        elif w.distance_m is not None and w.pace is not None:
            seconds = w.distance_m * self._per_metre(w.pace)
        else:
            return None
        if w.surge is not None:
            seconds += w.surge.duration_s
        return seconds

    def rep_metres(self, w: _Work) -> float | None:
        if w.distance_m is not None:
            metres = w.distance_m
        elif w.duration_s is not None and w.pace is not None:
            metres = w.duration_s / self._per_metre(w.pace)
        else:
            return None
        if w.surge is not None:
            metres += w.surge.duration_s / self.value(w.surge.pace) * 1000.0
        return metres

    def pace_words(self, w: _Work) -> str:
        """'1:33 per 400 m', '4:15/km', or the zone's name when paces are not known."""
        if w.leg == "bike" and w.step is not None:
            return _bike_targets(w, self)[1] or "by feel"
        if w.pace is None:
            return "by feel"
        if w.pace.zone == SWIM_ZONE:
            if not self.css_known:
                return w.pace.label(self.goal)
            return f"{format_clock(self.value(w.pace))} per 100 m"
        if not self.known:
            return w.pace.label(self.goal)
        value = self.value(w.pace)
        if w.distance_m is not None and w.distance_m <= 2000:
            return f"{format_clock(value * w.distance_m / 1000.0)} per {format_distance(w.distance_m, self.units)}"
        return format_pace(value, self.units)


def _rep_label(w: _Work, units: str) -> str:
    size = (format_distance(w.distance_m, units) if w.distance_m is not None
            else format_duration(w.duration_s or 0))
    return f"{w.reps} x {size}" if w.reps > 1 else size


def demand(block: Block) -> float:
    """How demanding one rep of a block is: its duration times the square of its speed.

    Longer and faster both count, so short relaxed strides come before 400 m repeats and
    a surge round before the strong final block (P3). Unitless; only the order matters.
    """
    if not block.duration_s:
        return 0.0
    if not block.pace_s_per_km:
        return block.duration_s / 1e6
    return block.duration_s * (1000.0 / block.pace_s_per_km) ** 2


def block_totals(blocks: list[Block]) -> tuple[float, float]:
    """(total duration s, total distance m): every rep and its recovery; distance of the reps only."""
    duration = sum(b.repeat * ((b.duration_s or 0.0) + (b.recovery_s or 0.0)) for b in blocks)
    distance = sum(b.repeat * (b.distance_m or 0.0) for b in blocks)
    return round(duration, 1), round(distance, 1)


_REST_WORDS = {"run": "easy jog", "swim": "rest at the wall", "bike": "easy spin"}


def _bike_targets(w: _Work, pacer: _Pacer) -> tuple[dict[str, Any], str]:
    """Power (with FTP, or fixed watts), else the heart-rate zone; and the cadence cue."""
    step = w.step
    fields: dict[str, Any] = {}
    words: list[str] = []
    if step is None:
        return fields, ""
    # the words name the target as a coach would ("88 % FTP"); the numbers are the block's fields
    if step.power_pct_ftp is not None and pacer.ftp:
        fields["power_pct_ftp"] = step.power_pct_ftp
        fields["power_w"] = power_target(pacer.ftp, step.power_pct_ftp)
        words.append(f"{step.power_pct_ftp:g} % FTP")
    elif step.power_w is not None:
        fields["power_w"] = step.power_w
        words.append(f"{step.power_w:.0f} W")
    elif step.hr_zone is not None:
        fields["hr_zone"] = step.hr_zone
        words.append(f"heart-rate zone {step.hr_zone}")
    if step.cadence_rpm is not None:
        fields["cadence_rpm"] = step.cadence_rpm
    return fields, "; ".join(words)


def _build_block(w: _Work, pacer: _Pacer, sport: str = "run") -> Block:
    if sport in ("swim", "bike", "brick"):
        return _build_leg_block(w, pacer)
    rep_s = pacer.rep_seconds(w)
    rep_m = pacer.rep_metres(w)
    description = w.what
    if w.pace is not None:
        description += f" ({w.pace.label(pacer.goal)})"
    if w.surge is not None:
        surge_at = (format_pace(pacer.value(w.surge.pace), pacer.units) if pacer.known
                    else w.surge.pace.label(pacer.goal))
        description += f", then a {format_duration(w.surge.duration_s)} surge at {surge_at}"
    recovery = _recovery_of(w, pacer, rep_s)
    if recovery is not None:
        description += f"; {format_duration(recovery)} easy jog between" if w.reps > 1 else f"; {format_duration(recovery)} easy jog after"
    pace_value = pacer.value(w.pace) if (w.pace is not None and pacer.known) else None
    return Block(
        phase=w.phase,
        description=description,
        repeat=w.reps,
        distance_m=round(rep_m, 1) if rep_m is not None else None,
        duration_s=round(rep_s, 1) if rep_s is not None else None,
        pace_s_per_km=round(pace_value, 1) if pace_value is not None else None,
        recovery_s=recovery,
        measure="distance" if w.distance_m is not None else "time" if w.duration_s is not None else None,
    )


def _recovery_of(w: _Work, pacer: _Pacer, rep_s: float | None) -> float | None:
    """The recovery after each rep: sized from the rep (P4, `auto`), as written, or none."""
    if w.recovery == "auto":
        return pacer.recovery.recovery_for(w.pace.zone if w.pace else None, rep_s) if rep_s is not None else None
    if isinstance(w.recovery, (int, float)):
        return float(w.recovery)
    return None


def _build_leg_block(w: _Work, pacer: _Pacer) -> Block:
    """A block of a swim, bike or brick session: its leg's own targets (issue 14)."""
    leg = w.leg if w.pace is not None or w.leg != "run" else "run"
    if w.step is not None and w.step.leg == "run" and w.pace is None and w.step.distance_m is None:
        leg = None  # a by-feel step from a part (mobility): no leg of its own
    rep_s = pacer.rep_seconds(w)
    rep_m = pacer.rep_metres(w) if leg != "bike" else w.distance_m
    description = w.what
    extra: dict[str, Any] = {}
    if leg == "bike":
        extra, words = _bike_targets(w, pacer)
        if words:
            description += f" ({words})"
    elif w.pace is not None:
        description += f" ({w.pace.label(pacer.goal)})"
        if leg == "swim" and pacer.css_known:
            extra["pace_s_per_100m"] = round(pacer.value(w.pace), 1)
    recovery = _recovery_of(w, pacer, rep_s)
    if recovery is not None:
        rest = _REST_WORDS.get(leg or "run", "easy")
        description += f"; {format_duration(recovery)} {rest} {'between' if w.reps > 1 else 'after'}"
    run_pace = pacer.value(w.pace) if (leg == "run" and w.pace is not None and pacer.known) else None
    return Block(
        phase=w.phase, description=description, repeat=w.reps,
        distance_m=round(rep_m, 1) if rep_m is not None else None,
        duration_s=round(rep_s, 1) if rep_s is not None else None,
        pace_s_per_km=round(run_pace, 1) if run_pace is not None else None,
        recovery_s=recovery,
        measure="distance" if w.distance_m is not None else "time" if w.duration_s is not None else None,
        sport=leg, **extra,
    )


def find_template(templates: TemplateSet, goal: str, kind: str, sport: str | None,
                  planned: str | None = None) -> Template | None:
    """The template for the day: the planned sport's for the kind; else, for a hard kind the
    sport has no template of, the sport's planned session; else the sport's easy session (a
    swapped swim stays a swim); else the kind's run template.

    :param sport: the planned sport (`plan.sport`: swim, bike, brick or run), or None
    :param planned: the kind the plan had before the rules (`plan.kind`)
    """
    if sport in (None, "run") and kind == "race":
        # a goal with a multisport race (a triathlon) races every leg of it
        race = templates.find(goal, kind, "brick")
        if race is not None:
            return race
    if sport in ("swim", "bike", "brick") and kind != "rest":
        # a brick that cannot be composed for the kind becomes a bike session of it
        sports = (sport, "bike") if sport == "brick" else (sport,)
        kinds = [kind] + ([planned] if planned and kind not in ("easy", "recovery", "cross") else []) + ["easy"]
        for k, sp in [(k, sp) for k in kinds for sp in sports]:
            found = templates.find(goal, k, sp)
            if found is not None:
                return found
    return templates.find(goal, kind)


# --- the adaptations ---------------------------------------------------------------------------


def _round_length(w: _Work, share: float) -> str | None:
    """Cut one rep's length by `share`, keeping its pace; returns the change in words, or None."""
    if w.distance_m is not None:
        step = 100.0 if w.distance_m >= 1000 else 50.0
        new = max(step, math.floor(w.distance_m * (1 - share) / step + 0.5) * step)
        if new >= w.distance_m:
            return None
        w.distance_m = new
        return "distance"
    if w.duration_s is not None:
        step = 60.0 if w.duration_s >= 300 else 15.0
        new = max(step, math.floor(w.duration_s * (1 - share) / step + 0.5) * step)
        if new >= w.duration_s:
            return None
        w.duration_s = new
        return "duration"
    return None


def _shorten(main: list[_Work], params: Mapping[str, Any], pacer: _Pacer) -> str | None:
    targets = [w for w in main if not w.fixed and (w.distance_m is not None or w.duration_s is not None)]
    if not targets:
        return None
    changes: list[str] = []
    if params.get("percent") is not None:
        share = float(params["percent"]) / 100.0
        for w in targets:
            before = _rep_label(w, pacer.units)
            if w.reps >= 2:
                new = max(1, math.floor(w.reps * (1 - share) + 0.5))
                if new < w.reps:
                    w.reps = new
                elif _round_length(w, share) is None:
                    continue
            elif _round_length(w, share) is None:
                continue
            changes.append(f"{before} became {_rep_label(w, pacer.units)} at the same {pacer.pace_words(w)}")
    elif params.get("reps") is not None:
        left = int(params["reps"])
        for w in reversed(targets):  # the most demanding group loses reps first
            if left <= 0:
                break
            cut = min(left, w.reps - 1)
            if cut <= 0:
                continue
            before = _rep_label(w, pacer.units)
            w.reps -= cut
            left -= cut
            changes.append(f"{before} became {_rep_label(w, pacer.units)} at the same {pacer.pace_words(w)}")
    if not changes:
        return None
    return "Main set shortened, warm-up and cool-down kept: " + "; ".join(changes) + "."


def _zone_down(pace: PaceRef, zones: int, pacer: _Pacer) -> PaceRef:
    current = pacer.value(pace)
    slower = [(z, pace) for z in STANDARD_LADDER if (pace := pacer.ref.zone(z)) > current * 1.005]
    slower.sort(key=lambda item: item[1])  # closest slower zone first
    if not slower:
        return pace
    zone = slower[min(zones, len(slower)) - 1][0]
    return PaceRef(zone)


def _reduce_intensity(main: list[_Work], params: Mapping[str, Any], pacer: _Pacer) -> str | None:
    zones = int(params.get("zones") or 1)
    changes: list[str] = []
    for w in main:
        if w.fixed or not w.paced_work:
            continue
        before_words, before_label = pacer.pace_words(w), w.pace.label(pacer.goal)
        new = _zone_down(w.pace, zones, pacer)
        if new == w.pace:
            continue
        w.pace = new
        size = format_distance(w.distance_m, pacer.units) if w.distance_m is not None else format_duration(w.duration_s or 0)
        w.what = f"{size} {'reps' if w.reps > 1 else 'block'}, eased from {before_label}"
        if w.surge is not None:
            w.surge = replace(w.surge, pace=_zone_down(w.surge.pace, zones, pacer))
        now = new.label(pacer.goal)
        after = f"{now}, {pacer.pace_words(w)}" if pacer.known else now
        was = f"{before_words}" if pacer.known else before_label
        changes.append(f"{_rep_label(w, pacer.units)} at {was} now at {after}")
    if not changes:
        return None
    step = "one pace zone" if zones == 1 else f"{zones} pace zones"
    return f"Main set moved {step} down: " + "; ".join(changes) + "."


def _adjust_pace(main: list[_Work], params: Mapping[str, Any], pacer: _Pacer) -> str | None:
    percent = float(params.get("percent") or 0)
    if not percent:
        return None
    factor = 1 - percent / 100.0
    changes: list[str] = []
    for w in main:
        if w.fixed or not w.paced_work:
            continue
        before = pacer.pace_words(w)
        w.pace = replace(w.pace, scale=w.pace.scale * factor)
        if w.surge is not None:
            w.surge = replace(w.surge, pace=replace(w.surge.pace, scale=w.surge.pace.scale * factor))
        if pacer.known:
            changes.append(f"{_rep_label(w, pacer.units)} {before} -> {pacer.pace_words(w)}")
        else:
            changes.append(f"{_rep_label(w, pacer.units)} at {w.pace.label(pacer.goal)}")
    if not changes:
        return None
    word = "faster" if percent > 0 else "slower"
    return f"Targets {abs(percent):g} % {word}: " + "; ".join(changes) + "."


_MODIFIERS = {"reduce_intensity": _reduce_intensity, "shorten": _shorten, "adjust_pace": _adjust_pace}


def _main_summary(main: list[_Work], pacer: _Pacer) -> str:
    return ", ".join(f"{_rep_label(w, pacer.units)} at {w.pace.label(pacer.goal) if w.pace else 'by feel'}"
                     for w in main)


_PHASE_WORDS = {"base": "Base", "build": "Build", "peak": "Peak", "taper": "Taper", "race": "Race week",
                "recovery": "Recovery", "rolling": "Training block"}


def _phase_words(facts: Mapping[str, Any]) -> str:
    phase = str(facts.get("season.phase", ""))
    week = facts.get("season.week_of_phase")
    words = _PHASE_WORDS.get(phase, phase) + (f" week {week}" if week is not None else "")
    return words + (" (a down week)" if facts.get("season.down_week") else "")


def _season_scale(kind: str, works: dict[str, list[_Work]], facts: Mapping[str, Any], pacer: _Pacer,
                  intensity: Any, sport: str = "run") -> str | None:
    """The season's size of the day (engine/season.py, season.yml), before the rules adapt it.

    A long run or an easy run takes the week's target length (`season.long_run_min`,
    `season.easy_run_min`: the main set's timed steps stretched or cut in proportion,
    warm-up and cool-down kept); a hard session's main set grows or shrinks with
    `season.key_factor` (more or fewer reps, or a longer or shorter block, at the same pace).
    A triathlete's long ride takes `season.long_ride_min`, and an easy session of any sport
    `season.easy_run_min`. Without a calendar week (`season.calendar`) nothing changes.
    """
    if not facts.get("season.calendar"):
        return None
    main = works["main"]
    long_target = facts.get("season.long_ride_min") if sport == "bike" else facts.get("season.long_run_min")
    target = {"long": long_target, "easy": facts.get("season.easy_run_min")}.get(kind)
    if target:
        timed = [w for w in main if not w.fixed and w.duration_s is not None and w.distance_m is None
                 and (w.reps == 1 or sport == "run")]  # a ride's short drills keep their length
        if not timed:
            return None
        # every timed step of the other phases (mobility too) is part of the day's length
        other = sum((pacer.rep_seconds(w) or 0.0) * w.reps for phase in ("warmup", "taper", "cooldown")
                    for w in works[phase])
        fixed = sum((pacer.rep_seconds(w) or 0.0) * w.reps for w in main if w not in timed)
        current = sum(w.duration_s * w.reps for w in timed)
        share = max(60.0 * target - other - fixed, 0.5 * current) / current
        if abs(share - 1.0) < 0.02:
            return None
        for w in timed:
            w.duration_s = max(300.0, round(w.duration_s * share / 300.0) * 300.0)
        total = sum(w.duration_s * w.reps for w in timed) + other + fixed
        what = {("long", "bike"): "long ride", ("long", "run"): "long run", ("easy", "run"): "easy run"}.get(
            (kind, sport), f"easy {sport}" if kind == "easy" else f"{kind} {sport}")
        return f"{_phase_words(facts)}: today's {what} is {format_duration(total)} (the week's target {format_duration(60.0 * target)})."
    factor = facts.get("season.key_factor")
    if str(getattr(intensity, "value", intensity)) != "hard":
        return None
    changes = []
    for w in main:
        if w.fixed or not w.paced_work or not factor or abs(float(factor) - 1.0) < 0.01:
            continue
        before = _rep_label(w, pacer.units)
        if w.reps >= 2:  # whole reps only: a set grows once the factor makes a whole rep more
            grown = w.reps * float(factor)
            w.reps = max(1, math.floor(grown + 1e-9) if factor > 1 else math.floor(grown + 0.5))
        elif w.distance_m is not None:
            w.distance_m = max(400.0, round(w.distance_m * float(factor) / 100.0) * 100.0)
        elif w.duration_s is not None:
            w.duration_s = max(60.0, round(w.duration_s * float(factor) / 60.0) * 60.0)
        after = _rep_label(w, pacer.units)
        if after != before:
            changes.append(f"{before} became {after}")
    budget = facts.get("season.hard_session_max")
    if budget:  # the day's budget: whole reps off the biggest set (recoveries too) while that
        # brings the day closer to it
        goal_s, before_fit = 60.0 * float(budget), _work_seconds(works, pacer)
        while (now := _work_seconds(works, pacer)) > goal_s:
            sets = [w for w in main if not w.fixed and w.paced_work and w.reps >= 2]
            if not sets:
                break
            biggest = max(sets, key=lambda w: (pacer.rep_seconds(w) or 0.0) * w.reps)
            before = _rep_label(biggest, pacer.units)
            biggest.reps -= 1
            if abs(_work_seconds(works, pacer) - goal_s) >= abs(now - goal_s):
                biggest.reps += 1
                break
            changes.append(f"{before} became {_rep_label(biggest, pacer.units)}")
        if _work_seconds(works, pacer) < before_fit:
            changes.append(f"so the day fits its {float(budget):g} min")
    if not changes:
        return None
    factor = float(factor or 1.0)
    grow = "grows" if factor > 1 else "is smaller" if factor < 1 else "is sized"
    return (f"{_phase_words(facts)}: the main set {grow} (x{factor:g}) at the same paces: "
            + "; ".join(changes) + ".")


def _choose_kind(facts: Mapping[str, Any], firings: list[Firing], templates: TemplateSet) -> tuple[str, dict[str, str]]:
    """The day's kind and, per firing, the words for the change it made."""
    planned = facts.get("plan.kind")
    if planned is None:
        planned = templates.slot_kinds.get(str(facts.get("plan.slot", "light")), "easy")
    kind = str(planned)
    changed: dict[str, str] = {}
    decided = False
    for firing in firings:
        for action in firing.actions:
            if action.name == "swap":
                new = str(action.params["to"])
                how = f"{_KIND_WORDS.get(kind, kind)} became {_KIND_WORDS.get(new, new)}."
            elif action.name == "set_slot":
                slot = str(action.params["slot"])
                new = templates.slot_kinds.get(slot, kind)
                how = f"Today becomes a {slot} day: {_KIND_WORDS.get(new, new)} instead of {_KIND_WORDS.get(kind, kind)}."
            else:
                continue
            if decided or new == kind:
                continue
            kind, decided = new, True
            changed[firing.rule] = how[0].upper() + how[1:]
    return kind, changed


# --- the beginner's base (P15): strides after easy runs, sessions sized to the athlete ---------

def _work_seconds(works: Mapping[str, list[_Work]], pacer: _Pacer) -> float:
    """The session's total duration (s) as it would be built: reps, recoveries, every phase."""
    return block_totals([_build_block(w, pacer) for phase in works.values() for w in phase])[0]


def _fit_to_base(facts: Mapping[str, Any], firings: list[Firing], template: Template,
                 works: dict[str, list[_Work]], pacer: _Pacer, notes: dict[str, list[str]],
                 rest_template: Template | None) -> Template | None:
    """Apply `strides` and `cap_minutes` (in place); returns the rest template when a cap
    leaves less than its `min_minutes`, else None.

    A cap is `percent` % of the fact `of`, less the fact `less` (minutes); the smallest cap
    wins. Caps shorten the main set's steps that are not fixed: single steps by duration or
    distance, repeated steps by reps; warm-up and cool-down stay (P2).
    """
    if template.sport != "run" and getattr(template.sport, "value", None) != "run":
        return None
    if template.intensity == "easy" and template.kind != "rest":
        for firing in firings:
            for action in firing.actions:
                if action.name == "strides" and not any(w.what.startswith("relaxed strides") for w in works["taper"]):
                    p = action.params
                    works["taper"].append(_Work(
                        "taper", "relaxed strides, smooth not fast", int(p["reps"]), float(p["distance"]), None,
                        PaceRef("repetition", offset_pct=float(p["slower_pct"])), None, float(p["recovery"]), True))
                    notes[firing.rule].append(
                        f"{int(p['reps'])} x {format_distance(float(p['distance']), pacer.units)} relaxed strides "
                        "added after the easy running.")
    cap: tuple[float, Firing, Mapping[str, Any]] | None = None
    for firing in firings:
        for action in firing.actions:
            if action.name != "cap_minutes":
                continue
            p = action.params
            of = facts.get(str(p["of"]))
            if of is None:
                continue
            less = facts.get(str(p["less"])) if p.get("less") else 0.0
            minutes = float(of) * float(p["percent"]) / 100.0 - float(less or 0.0)
            if cap is None or minutes < cap[0]:
                cap = (minutes, firing, p)
    if cap is None or template.kind == "rest":
        return None
    minutes, firing, p = cap
    before = _work_seconds(works, pacer) / 60.0
    if minutes < float(p["min_minutes"]) and rest_template is not None:
        notes[firing.rule].append(
            f"Only {max(0.0, minutes):.0f} min are left within the cap (under {float(p['min_minutes']):g}), "
            "so today is a rest day.")
        return rest_template
    if before <= minutes:
        return None
    targets = [w for w in works["main"] if not w.fixed]
    main_s = sum(w.reps * (pacer.rep_seconds(w) or 0.0) for w in targets)
    if main_s <= 0:
        return None
    share = max(0.0, min(1.0, (main_s - (before - minutes) * 60.0) / main_s))
    for w in targets:
        if w.reps > 1:
            w.reps = max(1, math.floor(w.reps * share))
        elif w.duration_s is not None:
            w.duration_s = max(60.0, math.floor(w.duration_s * share / 60.0) * 60.0)
        elif w.distance_m is not None:
            w.distance_m = max(100.0, math.floor(w.distance_m * share / 100.0) * 100.0)
    after = _work_seconds(works, pacer) / 60.0
    notes[firing.rule].append(f"The session is {after:.0f} min instead of {before:.0f} min (the cap is {minutes:.0f} min).")
    return None


def compose(
    athlete: Athlete,
    facts: Mapping[str, Any],
    firings: list[Firing],
    templates: TemplateSet,
    paces: TrainingPaces | None,
) -> tuple[Session, list[Adaptation]]:
    """Compose the day's session from the plan, the rules that fired, the templates and the paces.

    :param athlete: the athlete (goal and display units)
    :param facts: the day's facts (`plan.kind`, `plan.slot`)
    :param firings: the rules that fired, in priority order (highest first)
    :param templates: the rule set's session templates
    :param paces: the athlete's training paces, or None to run by feel
    :raises NoTemplate: when no template fits the goal and kind
    """
    goal = str(athlete.goal.value if hasattr(athlete.goal, "value") else athlete.goal)
    units = str(athlete.units.value if hasattr(athlete.units, "value") else athlete.units)
    kind, kind_changes = _choose_kind(facts, firings, templates)
    planned_sport = facts.get("plan.sport")
    template: Template | None = find_template(templates, goal, kind, planned_sport,
                                              str(facts["plan.kind"]) if facts.get("plan.kind") else None)
    rest_template = templates.find(goal, "rest")
    if template is None:
        where = f" in {templates.directory}" if templates.directory else ""
        raise NoTemplate(f"no session template for a {kind} day for goal {goal}{where}")

    pacer = _Pacer(paces, templates, goal, units, css=athlete.physiology.css_s_per_100m,
                   ftp=athlete.physiology.ftp_w)
    works = {phase: [_Work.of(phase, s, goal) for s in steps] for phase, steps in template.phases()}
    purpose = template.purpose
    adaptable = template.intensity in ("hard", "moderate")
    notes: dict[str, list[str]] = {f.rule: [] for f in firings}
    for rule, how in kind_changes.items():
        notes[rule].append(how)

    if adaptable and template.simple is not None:
        for firing in firings:
            if any(a.name == "simplify" for a in firing.actions):
                before = _main_summary(works["main"], pacer)
                works["main"] = [_Work.of("main", s, goal) for s in template.simple.main]
                purpose = template.simple.purpose or purpose
                notes[firing.rule].append(f"Simpler main set: {_main_summary(works['main'], pacer)} instead of {before}.")
                break

    season_note = _season_scale(kind, works, facts, pacer, template.intensity, str(template.sport))

    for firing in firings:
        for action in firing.actions:
            if action.name == "note":
                notes[firing.rule].append(str(action.params.get("text", "")).strip())
            elif action.name in _MODIFIERS and adaptable:
                change = _MODIFIERS[action.name](works["main"], action.params, pacer)
                if change:
                    notes[firing.rule].append(change)

    rested = _fit_to_base(facts, firings, template, works, pacer, notes, rest_template)
    if rested is not None:  # P15: nothing left within the athlete's ramp today
        template, purpose = rested, rested.purpose
        for firing in firings:  # the easy run with strides they changed the day into is not run
            if any(a.name == "strides" for a in firing.actions):
                notes[firing.rule] = []
        works = {phase: [_Work.of(phase, s, goal) for s in steps] for phase, steps in template.phases()}
    sport = str(template.sport)
    blocks = [_build_block(w, pacer, sport) for phase in ("warmup", "main", "taper", "cooldown") for w in works.get(phase, [])]
    total_s, total_m = block_totals(blocks)
    session = Session(
        sport=template.sport, kind=template.kind, intensity=template.intensity, purpose=purpose,
        blocks=blocks, total_duration_s=total_s, total_distance_m=total_m,
    )

    adaptations: list[Adaptation] = []
    if season_note:
        adaptations.append(Adaptation(rule="season-progression", principle="P15", reason=season_note))
    for firing in firings:
        changes = [c for c in notes.get(firing.rule, []) if c]
        if changes:
            reason = " ".join([firing.reason.strip(), *changes]).strip()
            adaptations.append(Adaptation(rule=firing.rule, principle=firing.principle, reason=reason))
    adaptations.extend(_target_notes(works, pacer))
    if any(w.pace is not None and w.leg == "run" for phase in works.values() for w in phase):
        if paces is None:
            adaptations.append(Adaptation(
                rule="paces-by-feel", principle="P5",
                reason="No race, time trial or timed run on file, so targets are given by feel (zone names) "
                       "and durations are estimates; run a 5K time trial to get target paces."))
        elif paces.estimated:
            adaptations.append(Adaptation(rule="paces-estimated", principle="P5", reason=paces.source))
        elif template.intensity == "hard" and int(facts.get("days_since.calibration", NOT_IN_WINDOW)) < NOT_IN_WINDOW:
            # P14: a recent race or time trial sets the paces of every later hard session; say so
            adaptations.append(Adaptation(rule="paces-from-race", principle="P14", reason=paces.source))
    return session, adaptations


def _target_notes(works: Mapping[str, list[_Work]], pacer: _Pacer) -> list[Adaptation]:
    """What a swim or bike session's targets are made from when CSS or FTP is missing."""
    steps = [w for phase in works.values() for w in phase]
    notes: list[Adaptation] = []
    if not pacer.css_known and any(w.leg == "swim" and w.pace is not None for w in steps):
        notes.append(Adaptation(
            rule="swim-by-feel", principle="P5",
            reason=f"No CSS on file, so swim targets are given by feel and durations are estimated at "
                   f"{format_clock(pacer.css)} per 100 m; swim a 400 m and a 200 m test and set it with "
                   "`coach athlete set --css 400=T400,200=T200`."))
    if not pacer.ftp and any(w.leg == "bike" and w.step is not None and w.step.power_pct_ftp is not None
                             for w in steps):
        notes.append(Adaptation(
            rule="bike-by-heart-rate", principle="P5",
            reason="No FTP on file, so bike targets are heart-rate zones; with a power meter, set "
                   "your FTP with `coach athlete set --ftp WATTS` to get power targets."))
    return notes
