"""Decoding a FIT workout file again with fitdecode, for the tests of `coach.cli.watch`.

fitdecode is an independent decoder (not the library that wrote the file), so a step that
decodes here with the right duration and target is a step the file really carries.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import fitdecode


def decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Every data message of a FIT file by message name, fields by name; warnings are errors.

    The CRC of the header and of the file are checked (fitdecode raises on a bad one).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    out.setdefault(frame.name, []).append({f.name: f.value for f in frame.fields})
    return out


_KEEP = ("message_index", "wkt_step_name", "intensity", "duration_type", "duration_time", "duration_distance",
         "duration_step", "repeat_steps", "target_type", "target_hr_zone", "custom_target_speed_low",
         "custom_target_speed_high", "custom_target_heart_rate_low", "custom_target_heart_rate_high", "notes")


def step_list(data: bytes) -> list[dict[str, Any]]:
    """The decoded workout_step messages, with the fields a watch acts on (for golden files)."""
    return [{k: step[k] for k in _KEEP if step.get(k) is not None} for step in decode(data)["workout_step"]]
