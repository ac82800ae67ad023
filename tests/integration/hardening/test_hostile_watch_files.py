"""Issue 17, findings 3, 5 and 8 (watch files): a corrupt FIT file is imported only when
its content is sane, bombs and oversized files are refused before they cost memory, and
every broken file gives a one-line reason, never a traceback."""

from __future__ import annotations

import datetime as dt
import gzip
import random
import time
import tracemalloc

import pytest

from coach.storage.readers import read_activity_file
from coach.storage.readers.activity import UnreadableFile
from coach.storage.readers.safety import MAX_POINTS

GPX_HEAD = ('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><name>{name}</name>'
            '<type>running</type><trkseg>')
GPX_POINT = ('<trkpt lat="45.{i:04d}" lon="1.0"><time>2026-11-01T10:{m:02d}:{s:02d}Z</time><extensions>'
             '<gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>')


def gpx(points: int = 3, hr: str = "150", name: str = "Run") -> bytes:
    body = "".join(GPX_POINT.format(i=i, m=i // 60 % 60, s=i % 60, hr=hr) for i in range(points))
    return (GPX_HEAD.format(name=name) + body + "</trkseg></trk></gpx>").encode()


def tcx(timer: str = "60", distance: str = "200") -> bytes:
    return ('<?xml version="1.0"?><TrainingCenterDatabase '
            'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
            '<Activity Sport="Running"><Id>2026-11-01T10:00:00Z</Id><Lap StartTime="2026-11-01T10:00:00Z">'
            f'<TotalTimeSeconds>{timer}</TotalTimeSeconds><DistanceMeters>{distance}</DistanceMeters></Lap>'
            '</Activity></Activities></TrainingCenterDatabase>').encode()


def flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    pos = rng.randrange(14, len(out))  # past the header: its own checks refuse a flipped header
    out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def workouts(content):
    return [a.to_workout("test").model_dump(exclude={"source"}) for a in content.activities]


# --- finding 3: a FIT file failing its checksum -------------------------------------------


def _summary_bytes(data: bytes) -> list[int]:
    """Offsets of the bytes of a FIT file's session and lap messages (its totals and times)."""
    import io

    import fitdecode

    offsets: list[int] = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED,
                             keep_raw_chunks=True) as reader:
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name in ("session", "lap"):
                offsets += range(frame.chunk.offset + 1, frame.chunk.offset + len(frame.chunk.bytes))
    return offsets


def test_bit_flipped_fit_totals_are_refused_or_match_what_the_device_recorded(real_data_dir):
    """80 seeded single-bit flips in the session and lap messages of the real FIT files (where
    the dates and totals we store live): each is refused with a reason, or (a flip in a field
    we do not keep, or in the last bits of one) gives the workouts of the original file. No flipped date,
    distance or time is stored as truth."""
    rng = random.Random(2026)
    files = sorted((real_data_dir / "fit").glob("*.fit"), key=lambda p: p.stat().st_size)[:6]  # the quick ones
    originals = {path: workouts(read_activity_file(path)) for path in files}
    targets = {path: _summary_bytes(path.read_bytes()) for path in files}
    refused = accepted = 0
    for _ in range(80):
        path = rng.choice(files)
        data = bytearray(path.read_bytes())
        data[rng.choice(targets[path])] ^= 1 << rng.randrange(8)
        try:
            content = read_activity_file(path, bytes(data))
        except UnreadableFile as exc:
            assert "\n" not in str(exc) and str(exc)
            refused += 1
            continue
        accepted += 1
        got = workouts(content)
        for new, old in zip(got, originals[path], strict=True):
            for field, value in old.items():
                if isinstance(value, float):  # a flip in the last bits of a total is harmless
                    assert new[field] == pytest.approx(value, rel=0.005, abs=1), (path.name, field)
                elif field != "reps":
                    assert new[field] == value, (path.name, field)
    assert refused and accepted  # both happen: many fields of a session are not kept


def test_a_future_date_with_a_bad_checksum_is_refused(real_data_dir):
    """The issue's case: a flip that moved 2012-04-09 to 2046 (the session's start time)."""
    data = bytearray((real_data_dir / "corrupt" / "activity-bad-file-crc.fit").read_bytes())
    content = read_activity_file("a.fit", bytes(data))
    assert content.activities[0].local_date == dt.date(2012, 4, 9)
    import fitdecode

    # find the session's start_time field and push it 34 years on (bit 30 of the seconds)
    import io

    offset = None
    with fitdecode.FitReader(io.BytesIO(bytes(data)), check_crc=fitdecode.CrcCheck.DISABLED,
                                keep_raw_chunks=True) as reader:
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "session":
                pos = 0
                for fdef in frame.def_mesg.field_defs:
                    if fdef.name == "start_time":
                        offset = frame.chunk.offset + 1 + pos
                        top = offset if frame.def_mesg.endian == ">" else offset + 3  # the high byte
                    pos += fdef.size
    assert offset is not None
    data[top] ^= 0x40  # 2**30 s later: 2046
    with pytest.raises(UnreadableFile, match=r"checksum does not match and .* dated 20[4-9]\d-.*device era"):
        read_activity_file("a.fit", bytes(data))


def test_the_real_bad_checksum_file_is_still_accepted_with_a_warning(real_data_dir):
    content = read_activity_file(real_data_dir / "corrupt" / "activity-bad-file-crc.fit")
    assert any("checksum" in w for w in content.warnings)


# --- finding 5: bombs and caps --------------------------------------------------------------


def test_a_gzip_bomb_is_refused_quickly_and_cheaply():
    bomb = gzip.compress(gpx(3)[:-len("</trkseg></trk></gpx>")] + b" " * (250 * 1024 * 1024), 9)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(UnreadableFile, match=r"gzip content expands past 40 MB"):
        read_activity_file("bomb.gpx.gz", bomb)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 5
    assert peak < 120 * 1024 * 1024  # the capped output and little else: not 6 GiB


def test_too_many_points_are_refused_before_parsing():
    many = gpx(3).replace(b"</trkseg>", b'<trkpt lat="1" lon="1"></trkpt>' * (MAX_POINTS + 1) + b"</trkseg>")
    start = time.perf_counter()
    with pytest.raises(UnreadableFile, match=r"more than 100,000 track points"):
        read_activity_file("many.gpx", many)
    assert time.perf_counter() - start < 2  # counted, not parsed


def test_an_oversized_file_is_refused_unread(tmp_path):
    from coach.storage.readers.safety import read_limited

    big = tmp_path / "huge.fit"
    with big.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(UnreadableFile, match=r"file of 100 MB: larger than any workout file \(limit 64 MB\)"):
        read_limited(big)


# --- finding 8: one-line reasons, naming the field --------------------------------------------


@pytest.mark.parametrize("name, data, words", [
    ("a.gpx", gpx(hr="1e400"), "a track point's hr is not a number between 0 and 260"),
    ("a.gpx", gpx(hr="NaN"), "a track point's hr is not a number between 0 and 260"),
    ("a.gpx", gpx(name=' xmlns:a b="x"'), "invalid GPX: text that looks like an XML namespace declaration"),
    ("a.tcx", tcx(timer="NaN"), "TotalTimeSeconds is not a finite number"),
    ("a.tcx", tcx(timer="INF"), "TotalTimeSeconds is not a finite number"),
    ("a.tcx", tcx(timer="1e20"), "lap 1: TotalTimeSeconds 1e+20 is not between 0 and 7 days"),
    ("a.tcx", tcx(distance="1e20"), "lap 1: DistanceMeters 1e+20 is not between 0 and 2,000 km"),
    ("a.tcx", tcx(distance="INF"), "DistanceMeters is not a finite number"),
])
def test_impossible_values_are_refused_naming_the_field(name, data, words):
    with pytest.raises(UnreadableFile) as caught:
        read_activity_file(name, data)
    assert str(caught.value) == words or words in str(caught.value)


def test_a_heart_rate_dropout_is_no_reading_not_a_refusal():
    content = read_activity_file("a.gpx", gpx(hr="0"))
    assert content.activities[0].avg_hr is None


def test_fit_byte_flips_never_escape_as_python_errors(real_data_dir):
    """The issue saw `ValueError: size` and a TypeError from flipped FIT bytes."""
    rng = random.Random(8)
    files = sorted((real_data_dir / "fit").glob("*.fit"), key=lambda p: p.stat().st_size)[:6]
    for _ in range(60):
        path = rng.choice(files)
        data = flip(path.read_bytes(), rng)
        try:
            content = read_activity_file(path, data)
        except UnreadableFile:
            continue
        for activity in content.activities:
            activity.to_workout("test")  # every value a number the model takes, or None
