"""The FIT workout encoder (`coach.cli.watch`): steps from a proposal, decoded again with fitdecode."""

from __future__ import annotations

import datetime as dt

import pytest
from fitcheck import decode, step_list

from coach.cli.watch import fit_file_name, measured_by, watch_file, workout_bytes, workout_steps
from coach.engine.compliance import WatchSettings
from coach.engine.errors import InvalidInput
from coach.engine.model import Block, Proposal, Session

DAY = dt.date(2026, 11, 24)
WATCH = WatchSettings(pace_range_s_per_km=5, hr_zone_of_intensity={"easy": 2, "moderate": 3, "hard": 4})


def _proposal(blocks, sport="run", kind="intervals", intensity="hard") -> Proposal:
    session = Session(sport=sport, kind=kind, intensity=intensity, purpose="test", blocks=blocks,
                      total_duration_s=sum((b.duration_s or 0) * b.repeat for b in blocks))
    return Proposal(athlete="Ana", date=DAY, session=session)


INTERVALS = _proposal([
    Block(phase="warmup", description="easy running (easy pace)", distance_m=2206.0, duration_s=720.0,
          pace_s_per_km=326.4, measure="time"),
    Block(phase="main", description="400 m reps at 5K pace", repeat=6, distance_m=400.0, duration_s=94.0,
          pace_s_per_km=235.0, recovery_s=60.0, measure="distance"),
    Block(phase="cooldown", description="easy jog", duration_s=600.0),
])


def test_steps_follow_the_blocks_with_the_reps_as_a_repeat_step():
    steps = workout_steps(INTERVALS, WATCH)
    assert [(s.intensity, s.duration) for s in steps] == [
        ("warmup", "time"), ("active", "distance"), ("recovery", "time"), ("active", "repeat"), ("cooldown", "time")]
    rep, recovery, repeat = steps[1:4]
    assert (rep.value, recovery.value) == (400.0, 60.0)
    assert (repeat.value, repeat.repeat_from) == (6, 1)
    assert rep.name == "6x400 m"


def test_a_target_pace_becomes_a_speed_range_around_it():
    rep = workout_steps(INTERVALS, WATCH)[1]
    assert rep.target == "speed"
    # 235 s/km +-5 s: 240 s/km = 4.167 m/s (slow end), 230 s/km = 4.348 m/s (fast end)
    assert (rep.low, rep.high) == (pytest.approx(4.167, abs=1e-3), pytest.approx(4.348, abs=1e-3))
    wider = WatchSettings(pace_range_s_per_km=10, hr_zone_of_intensity={})
    assert workout_steps(INTERVALS, wider)[1].low == pytest.approx(1000 / 245, abs=1e-3)


def test_a_main_block_by_feel_gets_the_heart_rate_zone_of_the_session_intensity():
    by_feel = _proposal([Block(phase="main", description="steady by feel", duration_s=1800.0)],
                        kind="steady", intensity="moderate")
    (step,) = workout_steps(by_feel, WATCH)
    assert (step.target, step.zone) == ("heart_rate", 3)
    # warm-up and cool-down without a pace stay open
    assert workout_steps(INTERVALS, WATCH)[-1].target == "open"


def test_measured_by_follows_the_block_measure():
    rep = dict(phase="main", description="x", distance_m=400, duration_s=94.3, pace_s_per_km=235.7)
    assert measured_by(Block(**rep, measure="distance")) == "distance"
    assert measured_by(Block(**rep, measure="time")) == "time"
    # a block saved before blocks said so: timed, unless it has only a distance
    assert measured_by(Block(**rep)) == "time"
    assert measured_by(Block(phase="main", description="x", distance_m=400)) == "distance"
    assert measured_by(Block(phase="main", description="x")) == "open"


def test_the_file_decodes_to_the_same_steps():
    data = workout_bytes(INTERVALS, WATCH)
    messages = decode(data)
    assert messages["file_id"][0]["type"] == "workout"
    (workout,) = messages["workout"]
    assert workout["sport"] == "running"
    assert workout["num_valid_steps"] == 5
    steps = step_list(data)
    assert [s["message_index"] for s in steps] == [0, 1, 2, 3, 4]
    assert steps[0]["duration_type"] == "time" and steps[0]["duration_time"] == 720.0
    assert steps[0]["intensity"] == "warmup" and steps[0]["notes"] == "easy running (easy pace)"
    assert steps[1]["duration_type"] == "distance" and steps[1]["duration_distance"] == 400.0
    assert steps[1]["target_type"] == "speed"
    assert steps[1]["custom_target_speed_low"] == pytest.approx(4.167, abs=1e-3)
    assert steps[1]["custom_target_speed_high"] == pytest.approx(4.348, abs=1e-3)
    assert steps[2]["intensity"] == "recovery" and steps[2]["duration_time"] == 60.0
    assert steps[3]["duration_type"] == "repeat_until_steps_cmplt"
    assert (steps[3]["duration_step"], steps[3]["repeat_steps"]) == (1, 6)
    assert steps[4]["intensity"] == "cooldown" and steps[4]["target_type"] == "open"


def test_a_heart_rate_zone_decodes():
    by_feel = _proposal([Block(phase="main", description="easy by feel", duration_s=2400.0)],
                        kind="easy", intensity="easy")
    (step,) = step_list(workout_bytes(by_feel, WATCH))
    assert (step["target_type"], step["target_hr_zone"]) == ("heart_rate", 2)


def test_swim_and_bike_sessions_encode_their_sport():
    swim = _proposal([Block(phase="main", description="100 m repeats", repeat=8, distance_m=100.0,
                            duration_s=110.0, pace_s_per_km=1100.0, recovery_s=20.0, measure="distance")],
                     sport="swim")
    bike = _proposal([Block(phase="main", description="steady", duration_s=3600.0)], sport="bike",
                     kind="steady", intensity="moderate")
    assert decode(workout_bytes(swim, WATCH))["workout"][0]["sport"] == "swimming"
    swim_steps = step_list(workout_bytes(swim, WATCH))
    # 1100 s/km is 1:50 per 100 m; the range is 1:49.5-1:50.5 per 100 m
    assert swim_steps[0]["custom_target_speed_high"] == pytest.approx(1000 / 1095, abs=1e-3)
    assert decode(workout_bytes(bike, WATCH))["workout"][0]["sport"] == "cycling"


def test_the_same_proposal_gives_the_same_bytes():
    assert workout_bytes(INTERVALS, WATCH) == workout_bytes(INTERVALS, WATCH)


def test_the_header_and_the_file_carry_valid_crcs():
    import struct

    from fitdecode.utils import compute_crc

    data = workout_bytes(INTERVALS, WATCH)
    header_size, protocol, _, data_size, magic = struct.unpack("<BBHI4s", data[:12])
    assert (header_size, magic) == (14, b".FIT")
    assert protocol == 0x10  # FIT protocol 1.0: what every FIT device reads
    assert len(data) == header_size + data_size + 2
    # FIT CRC-16 (the FIT protocol's own table, computed by fitdecode) of the header and of the file
    assert struct.unpack("<H", data[12:14])[0] == compute_crc(data, start=0, end=12)
    assert struct.unpack("<H", data[-2:])[0] == compute_crc(data, start=0, end=len(data) - 2)


def test_a_corrupted_file_fails_the_crc_check():
    data = bytearray(workout_bytes(INTERVALS, WATCH))
    data[40] ^= 0xFF
    with pytest.raises(Exception, match="(?i)crc"):
        decode(bytes(data))


def test_long_notes_are_cut_to_what_a_watch_shows():
    long = _proposal([Block(phase="main", description="é" * 80, duration_s=600.0)])
    (step,) = workout_steps(long, WATCH)
    assert len(step.notes.encode("utf-8")) <= 100 and step.notes.endswith("...")
    assert step_list(workout_bytes(long, WATCH))[0]["notes"] == step.notes


def test_a_rest_day_has_no_workout():
    rest = Proposal(athlete="Ana", date=DAY, session=Session(sport="rest", kind="rest", intensity="rest",
                                                             purpose="rest"))
    assert workout_steps(rest, WATCH) == []
    assert watch_file(rest, WATCH) is None and watch_file(INTERVALS, WATCH) == workout_bytes(INTERVALS, WATCH)
    with pytest.raises(InvalidInput, match="rest day"):
        workout_bytes(rest, WATCH)


def test_file_name_names_the_day_and_the_session():
    assert fit_file_name(INTERVALS) == "2026-11-24-run-intervals.fit"


def test_a_heart_rate_range_in_bpm_becomes_a_custom_heart_rate_target():
    ride = _proposal([
        Block(phase="main", description="endurance ride (heart-rate zone 2, 130-142 bpm)", duration_s=3000.0,
              sport="bike", hr_zone=2, hr_bpm_low=130, hr_bpm_high=142, cadence_rpm=90, measure="time"),
        Block(phase="cooldown", description="easy spin (heart-rate zone 1, under 130 bpm)", duration_s=300.0,
              sport="bike", hr_zone=1, hr_bpm_high=130, measure="time"),
        Block(phase="cooldown", description="easy spin (heart-rate zone 1)", duration_s=300.0, sport="bike",
              hr_zone=1, measure="time"),
    ], sport="bike", kind="easy", intensity="easy")
    main, open_below, zone_only = workout_steps(ride, WATCH)
    assert (main.target, main.zone, main.low, main.high) == ("heart_rate", None, 130.0, 142.0)
    assert (open_below.low, open_below.high) == (1.0, 130.0)
    assert zone_only.target == "open"  # a cool-down without bpm stays as before
    first, second, _ = step_list(workout_bytes(ride, WATCH))
    # FIT: bpm are written as bpm + 100 (values up to 100 would be % of HRmax)
    assert (first["target_type"], first["custom_target_heart_rate_low"], first["custom_target_heart_rate_high"]) == (
        "heart_rate", 230, 242)
    assert (second["custom_target_heart_rate_low"], second["custom_target_heart_rate_high"]) == (101, 230)
    assert "target_hr_zone" not in first or first["target_hr_zone"] in (0, None)
