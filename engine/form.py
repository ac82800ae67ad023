"""Form detection for P8: the rep where a set of reps fell apart.

One implementation, called by the importer (on laps from a watch file) and by the
facts (on logged reps), so a break found in imported data and a break found in typed
reps mean the same thing. The thresholds are not here: the pace drift comes from the
rule set's `settings.yml` (`facts.form_drift_pct`), the others from the rule files
(`classify.yml`, `form:` section).

How a set is read:

* The *set* is the reps that carry a target pace, if any do (the work reps of a
  prescribed session); otherwise every rep with a pace. Of those, the *key reps* (the
  reps of one target pace and distance, within 10 %, that cover the most ground) are the
  set, so strides and accelerations put before the main set never count as its early
  reps; this holds for logged reps with targets and for watch laps. With
  ``work_pace_pct`` the set also drops reps slower than the set's fastest rep by more than
  that percentage: the warm-up, recovery jogs and cool-down laps of a watch file.
* The *early* reps are the first third of the set (at least one rep); their mean pace
  (and mean cadence, where every early rep has one) is the set's early pace.
* Form broke at the first rep after the early reps whose pace is slower than the
  early pace by more than ``drift_pct`` percent, or whose cadence is below the early
  cadence by more than ``cadence_drop_pct`` percent.

Which reps are laps: a workout read from a watch file (`recorded`) has every lap of the
file, warm-up and cool-down included, so both the importer and the facts read it with
classify.yml's ``work_pace_pct``; reps logged by hand (or from CSV) are all work reps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coach.engine.model import Rep, Workout

#: `Workout.source` of a workout read from a watch file is "<format>:<file hash>"
RECORDED_FORMATS = frozenset({"fit", "gpx", "tcx"})

#: float noise allowance, so a rep exactly at the threshold (or an even set) never counts as a break
_EPS = 1e-9


@dataclass(frozen=True)
class FormBreak:
    """Where and how a set of reps broke.

    ``rep`` is the rep's own 1-based ``Rep.index`` (the lap number in the workout),
    so it can be stored as ``Workout.form_broke_at`` as it is.
    """

    rep: int
    signal: Literal["pace", "cadence"]
    early_pace_s_per_km: float
    rep_pace_s_per_km: float
    pace_drift_pct: float
    cadence_drop_pct: float | None = None

    def describe(self) -> str:
        """One line for notes and explanations."""
        if self.signal == "cadence" and self.cadence_drop_pct is not None:
            return f"cadence dropped {self.cadence_drop_pct:.1f}% below the early reps at rep {self.rep}"
        return f"pace fell {self.pace_drift_pct:.1f}% off the early reps at rep {self.rep}"


def recorded(workout: Workout) -> bool:
    """True when the workout was read from a watch file, so its reps are the file's laps."""
    return workout.source.partition(":")[0] in RECORDED_FORMATS


def work_set(reps: Sequence[Rep], work_pace_pct: float | None = None) -> list[Rep]:
    """The reps that make up the set, in order (see the module docstring).

    :param reps: the workout's reps or laps, in order
    :param work_pace_pct: drop reps slower than the fastest by more than this percentage
        (None: keep every rep with a pace)
    """
    return [r for r, _ in work_set_paces(reps, work_pace_pct)]


def work_set_paces(reps: Sequence[Rep], work_pace_pct: float | None = None) -> list[tuple[Rep, float]]:
    """`work_set` with each rep's pace (s/km), each pace computed once."""
    with_pace = [(r, p) for r in reps if (p := r.pace()) is not None]
    targeted = [(r, p) for r, p in with_pace if r.target_pace_s_per_km is not None]
    chosen = _key_reps(targeted) if targeted else with_pace
    if work_pace_pct is not None and chosen:
        chosen = _key_reps(chosen)
        limit = min(p for _, p in chosen) * (1.0 + work_pace_pct / 100.0)
        return [(r, p) for r, p in chosen if p <= limit]
    return chosen


#: laps whose distances differ by at most this share are the same rep (GPS laps vary a little)
_SAME_DISTANCE = 0.1


def _key_reps(reps: list[tuple[Rep, float]]) -> list[tuple[Rep, float]]:
    """The main set's key reps: those of one target pace and distance that cover the most ground
    together, so that strides and accelerations before the main set are never its early reps
    (issue 13). A set with a rep of unknown distance is kept as it is."""
    if len(reps) < 3 or any(not r.distance_m for r, _ in reps):
        return reps
    groups: list[tuple[float, float | None, list[tuple[Rep, float]]]] = []
    for r, p in reps:
        for distance, target, members in groups:
            if target == r.target_pace_s_per_km and abs(r.distance_m - distance) <= distance * _SAME_DISTANCE:
                members.append((r, p))
                break
        else:
            groups.append((r.distance_m, r.target_pace_s_per_km, [(r, p)]))
    best = max(groups, key=lambda g: sum(r.distance_m for r, _ in g[2]))[2]
    return best if len(best) >= 2 else reps


def _early_count(n: int) -> int:
    return max(1, n // 3)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def pace_drift_pct(reps: Sequence[Rep], work_pace_pct: float | None = None) -> float | None:
    """How much slower the late reps were than the early reps, in percent (negative: faster).

    Early and late are the first and last thirds of the set. None with fewer than two reps.
    """
    return set_pace_drift_pct(work_set_paces(reps, work_pace_pct))


def set_pace_drift_pct(chosen: Sequence[tuple[Rep, float]]) -> float | None:
    """`pace_drift_pct` of a work set already picked (`work_set_paces`), so that a caller
    reading one set several ways picks it once."""
    if len(chosen) < 2:
        return None
    k = _early_count(len(chosen))
    early = _mean([p for _, p in chosen[:k]])
    late = _mean([p for _, p in chosen[-k:]])
    return (late / early - 1.0) * 100.0


def detect_form_break(
    reps: Sequence[Rep],
    drift_pct: float,
    cadence_drop_pct: float | None = None,
    work_pace_pct: float | None = None,
) -> FormBreak | None:
    """The first rep where pace fell off (or cadence dropped below) the set's early reps.

    :param reps: the workout's reps or laps, in order
    :param drift_pct: a rep slower than the early pace by more than this percentage broke form
    :param cadence_drop_pct: a rep whose cadence is below the early cadence by more than this
        percentage broke form (None: cadence is not checked)
    :param work_pace_pct: see `work_set` (None for reps that are all work reps)
    :returns: the break, or None when the set held (or has fewer than two reps)
    """
    return set_form_break(work_set_paces(reps, work_pace_pct), drift_pct, cadence_drop_pct)


def set_form_break(chosen: Sequence[tuple[Rep, float]], drift_pct: float,
                   cadence_drop_pct: float | None = None) -> FormBreak | None:
    """`detect_form_break` on a work set already picked (`work_set_paces`: each rep with its pace)."""
    if drift_pct < 0:
        raise ValueError("drift_pct must not be negative")
    if len(chosen) < 2:
        return None
    k = _early_count(len(chosen))
    early_reps = [r for r, _ in chosen[:k]]
    early_pace = _mean([p for _, p in chosen[:k]])
    early_cadence = None
    if cadence_drop_pct is not None and all(r.cadence for r in early_reps):
        early_cadence = _mean([r.cadence for r in early_reps])  # type: ignore[misc]
    for rep, pace in chosen[k:]:
        drift = (pace / early_pace - 1.0) * 100.0
        drop = None
        if early_cadence is not None and rep.cadence:
            drop = (1.0 - rep.cadence / early_cadence) * 100.0
        if drift > drift_pct + _EPS:
            return FormBreak(rep.index, "pace", early_pace, pace, drift, drop)
        if drop is not None and cadence_drop_pct is not None and drop > cadence_drop_pct + _EPS:
            return FormBreak(rep.index, "cadence", early_pace, pace, drift, drop)
    return None
