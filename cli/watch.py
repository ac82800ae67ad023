"""The proposed session on the watch: a FIT workout file (file_id of type workout, one workout
message, its workout_step messages), loadable by Garmin and other FIT-compatible devices.

Steps follow the session's blocks in order: warm-up, each main-set block, recoveries,
taper and cool-down. A block measured by distance (`Block.measure`) becomes a distance step,
one measured by time a time step (a block with neither: an open step ended with the lap key). A
target pace becomes a speed range of +-`pace_range_s_per_km` around it; a main-set block
without a pace gets the watch's heart-rate zone for the session's intensity (both from
the rule set's `planned/planned.yml`). A block of several reps becomes its rep step, its
recovery step, and a "repeat until steps complete" step back to the rep. Each step is
named (at most 15 characters show on most watches) and carries the block's description
as its note.

Swims get the same speed range (a watch shows it per 100 m in a pool); bikes get a speed
range too when a block has a pace; a block with a heart-rate range in bpm (`hr_bpm_low`,
`hr_bpm_high`: a ride without FTP, when the athlete's heart rates are known) gets that range
as a custom heart-rate target, and a heart-rate zone otherwise: a session carries no power
target yet.

The library: `fit-tool` (BSD-3-Clause), chosen over Garmin's `garmin-fit-sdk`. Both
encode workout files, but fit-tool has a typed message class with every sub-field of
workout_step (`duration_time`, `duration_distance`, `custom_target_speed_low/high`,
`target_hr_zone`, `duration_step`, `target_repeat_steps`), applying each field's scale
and the repeat step's meaning for us; Garmin's encoder takes plain dicts of main fields
only and silently drops a name it does not know (a sub-field name writes nothing), so
every scale and sub-field would be hand-coded here. Garmin's SDK is also published under
the FIT Protocol License, not an open-source licence like this project's. Tests decode
the bytes again with fitdecode (CRC checked) to prove the file says what the session says.

`workout_steps` is pure (a Proposal in, step descriptions out), `workout_bytes` encodes
them, `fit_file_name` names a file for a day and `write_workouts` writes a plan's days.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from coach.engine.compliance import WatchSettings
from coach.engine.model import Block, Phase, Proposal, Sport

#: FIT's custom heart-rate target: values up to 100 are % of HRmax, above it bpm + 100.
FIT_BPM_OFFSET = 100
#: the low end of a heart-rate range open below ("under 130 bpm"), in bpm
OPEN_LOW_BPM = 1
#: The longest step name most watches show in full.
NAME_LEN = 15
#: A FIT string field holds at most 255 bytes; notes are cut well before, to what a watch screen shows.
NOTES_LEN = 100

_PHASE_NAMES = {Phase.warmup: "Warm-up", Phase.cooldown: "Cool-down", Phase.taper: "Taper",
                Phase.recovery: "Recover", Phase.main: "Main"}


@dataclass(frozen=True)
class Step:
    """One workout_step as the watch will see it.

    `duration` is "time" (s), "distance" (m), "open" (lap key) or "repeat" (`value` = how many
    times; `repeat_from` = the step index to go back to). `target` is "open", "speed" (m/s range
    in `low`/`high`) or "heart_rate" (a zone in `zone`, or without one a bpm range in `low`/`high`).
    """

    index: int
    name: str
    intensity: Literal["warmup", "active", "recovery", "cooldown"]
    duration: Literal["time", "distance", "open", "repeat"]
    value: float | None = None
    target: Literal["open", "speed", "heart_rate"] = "open"
    low: float | None = None
    high: float | None = None
    zone: int | None = None
    notes: str = ""
    repeat_from: int | None = None


def measured_by(block: Block) -> Literal["distance", "time", "open"]:
    """How a block is measured: its `measure` (what the session asks for: a distance or a time; the
    other follows from the pace), as the terminal shows it; a block saved before blocks said so
    counts as timed unless it has only a distance; with neither, an open step (lap key)."""
    if block.measure == "distance" and block.distance_m:
        return "distance"
    if block.measure == "time" and block.duration_s:
        return "time"
    if block.duration_s:
        return "time"
    return "distance" if block.distance_m else "open"


def _intensity(block: Block) -> Literal["warmup", "active", "recovery", "cooldown"]:
    if block.phase == Phase.warmup:
        return "warmup"
    if block.phase == Phase.cooldown:
        return "cooldown"
    if block.phase == Phase.recovery:
        return "recovery"
    return "active"


def _size(block: Block, measure: str) -> str:
    from coach.engine.presentation import format_distance, format_duration

    if measure == "distance" and block.distance_m:
        return format_distance(block.distance_m)
    if measure == "time" and block.duration_s:
        return format_duration(block.duration_s)
    return ""


def _name(block: Block, measure: str) -> str:
    size = _size(block, measure)
    if size and (block.repeat > 1 or block.phase in (Phase.main, Phase.taper)):
        name = size if block.repeat == 1 else f"{block.repeat}x{size}"
    else:
        name = _PHASE_NAMES[block.phase]
    return name[:NAME_LEN]


def _notes(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    raw = text.encode("utf-8")
    if len(raw) <= NOTES_LEN:
        return text
    return raw[:NOTES_LEN - 3].decode("utf-8", "ignore").rstrip() + "..."


def _target(block: Block, proposal: Proposal, watch: WatchSettings) -> dict[str, Any]:
    if block.pace_s_per_km:
        slow = block.pace_s_per_km + watch.pace_range_s_per_km
        fast = max(block.pace_s_per_km - watch.pace_range_s_per_km, 1.0)
        return {"target": "speed", "low": round(1000.0 / slow, 3), "high": round(1000.0 / fast, 3)}
    if block.hr_bpm_high:  # the block's heart-rate zone in the athlete's bpm (engine/heart_rate.py)
        return {"target": "heart_rate", "low": float(block.hr_bpm_low or OPEN_LOW_BPM), "high": float(block.hr_bpm_high)}
    intensity = proposal.session.intensity.value
    if block.phase == Phase.main and intensity in watch.hr_zone_of_intensity:
        return {"target": "heart_rate", "zone": watch.hr_zone_of_intensity[intensity]}
    return {"target": "open"}


def workout_steps(proposal: Proposal, watch: WatchSettings) -> list[Step]:
    """The workout steps of a proposal, in order (empty for a rest day).

    :param proposal: the proposed session
    :param watch: the targets' settings (planned.yml `watch:`)
    """
    if proposal.session.sport == Sport.rest:
        return []
    steps: list[Step] = []
    for block in proposal.session.blocks:
        measure = measured_by(block)
        value = (block.distance_m if measure == "distance" else block.duration_s if measure == "time" else None)
        first = len(steps)
        steps.append(Step(index=first, name=_name(block, measure), intensity=_intensity(block),
                          duration=measure, value=value, notes=_notes(block.description),
                          **_target(block, proposal, watch)))
        if block.recovery_s:
            steps.append(Step(index=len(steps), name="Recover", intensity="recovery", duration="time",
                              value=block.recovery_s, notes="easy jog" if proposal.session.sport == Sport.run
                              else "easy"))
        if block.repeat > 1:
            steps.append(Step(index=len(steps), name=f"Repeat {block.repeat}x", intensity="active",
                              duration="repeat", value=block.repeat, repeat_from=first))
    return steps


def _fit_sport(sport: Sport) -> Any:
    from fit_tool.profile.profile_type import Sport as FitSport

    return {Sport.run: FitSport.RUNNING, Sport.bike: FitSport.CYCLING, Sport.swim: FitSport.SWIMMING,
            Sport.brick: FitSport.MULTISPORT, Sport.strength: FitSport.TRAINING}.get(sport, FitSport.GENERIC)


def workout_name(proposal: Proposal) -> str:
    """The workout's name on the watch, e.g. 'Run intervals 11-30'."""
    s = proposal.session
    return f"{s.sport.value.capitalize()} {s.kind.value.replace('_', ' ')} {proposal.date:%m-%d}"


def workout_bytes(proposal: Proposal, watch: WatchSettings, *, created: dt.datetime | None = None) -> bytes:
    """A proposal as a FIT workout file.

    :param proposal: the proposed session (not a rest day)
    :param watch: the targets' settings (planned.yml `watch:`)
    :param created: the file's time_created (default: noon UTC of the proposal's day, so the same
        proposal always gives the same bytes)
    :raises InvalidInput: for a rest day, which has no workout
    """
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import (FileType, Intensity, Manufacturer, WorkoutStepDuration,
                                               WorkoutStepTarget)

    from coach.engine.errors import InvalidInput

    steps = workout_steps(proposal, watch)
    if not steps:
        raise InvalidInput(f"{proposal.date}: a rest day has no workout to put on the watch")
    created = created or dt.datetime.combine(proposal.date, dt.time(12), tzinfo=dt.timezone.utc)

    builder = FitFileBuilder(auto_define=True, min_string_size=16)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = proposal.date.toordinal()
    file_id.time_created = round(created.timestamp() * 1000)
    builder.add(file_id)

    workout = WorkoutMessage()
    workout.workout_name = workout_name(proposal)
    workout.sport = _fit_sport(proposal.session.sport)
    workout.num_valid_steps = len(steps)
    builder.add(workout)

    intensities = {"warmup": Intensity.WARMUP, "active": Intensity.ACTIVE, "recovery": Intensity.RECOVERY,
                   "cooldown": Intensity.COOLDOWN}
    for step in steps:
        message = WorkoutStepMessage()
        message.message_index = step.index
        if step.duration == "repeat":
            message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            message.duration_step = step.repeat_from
            message.target_repeat_steps = int(step.value)
            builder.add(message)
            continue
        message.workout_step_name = step.name
        message.intensity = intensities[step.intensity]
        if step.duration == "time":
            message.duration_type = WorkoutStepDuration.TIME
            message.duration_time = float(step.value)
        elif step.duration == "distance":
            message.duration_type = WorkoutStepDuration.DISTANCE
            message.duration_distance = float(step.value)
        else:
            message.duration_type = WorkoutStepDuration.OPEN
        if step.target == "speed":
            message.target_type = WorkoutStepTarget.SPEED
            message.target_value = 0  # 0: a custom range, not one of the watch's speed zones
            message.custom_target_speed_low = step.low
            message.custom_target_speed_high = step.high
        elif step.target == "heart_rate" and step.zone is None:
            message.target_type = WorkoutStepTarget.HEART_RATE
            message.target_value = 0  # 0: a custom range; FIT writes bpm as bpm + 100 (0-100 is % of HRmax)
            message.custom_target_heart_rate_low = int(step.low) + FIT_BPM_OFFSET
            message.custom_target_heart_rate_high = int(step.high) + FIT_BPM_OFFSET
        elif step.target == "heart_rate":
            message.target_type = WorkoutStepTarget.HEART_RATE
            message.target_hr_zone = step.zone
        else:
            message.target_type = WorkoutStepTarget.OPEN
        if step.notes:
            message.notes = step.notes
        builder.add(message)
    return _file_bytes(builder)


def _file_bytes(builder: Any) -> bytes:
    """The file with the 14-byte header (its own CRC) and FIT protocol 1.0, which every FIT device
    reads: a workout needs nothing of protocol 2 (developer fields, 64-bit values), and older
    watches refuse a protocol they do not know. fit-tool's default is a 12-byte header, protocol 2."""
    from fit_tool.fit_file import FitFile
    from fit_tool.fit_file_header import FitFileHeader, ProtocolVersion

    # the records' size, the header's CRC and the file's CRC are worked out by `to_bytes` as it
    # encodes the records (once: working them out here first encoded every record twice more)
    header = FitFileHeader(records_size=0, protocol_version=ProtocolVersion(1, 0), gen_crc=True)
    return FitFile(header, builder.records).to_bytes()


def watch_file(proposal: Proposal, watch: WatchSettings) -> bytes | None:
    """The proposal as a FIT workout file, or None for a day without one (a rest day)."""
    return workout_bytes(proposal, watch) if _trainable([proposal]) else None


def fit_file_name(proposal: Proposal) -> str:
    """A file name for a day's workout, e.g. '2026-11-30-run-intervals.fit'."""
    s = proposal.session
    return f"{proposal.date.isoformat()}-{s.sport.value}-{s.kind.value.replace('_', '-')}.fit"


def write_workouts(folder: str | Path, proposals: Sequence[Proposal], watch: WatchSettings) -> list[Path]:
    """Write one FIT workout per proposed day into `folder` (rest days have none); returns the files.

    Every file is encoded before the first is written, so a bad day writes nothing.

    :raises InvalidInput: the folder does not exist or cannot be written
    """
    from coach.cli.ics import write_atomically
    from coach.engine.errors import InvalidInput

    target = Path(folder).expanduser()
    if not target.is_dir():
        raise InvalidInput(f"--fit: {target} is not a folder")
    files = [(target / fit_file_name(p), workout_bytes(p, watch)) for p in _trainable(proposals)]
    for path, data in files:
        write_atomically(path, data)
    return [path for path, _ in files]


def _trainable(proposals: Iterable[Proposal]) -> list[Proposal]:
    return [p for p in proposals if p.session.sport != Sport.rest and p.session.blocks]
