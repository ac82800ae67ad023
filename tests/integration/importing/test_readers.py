"""The FIT, GPX and TCX readers against the real device files listed in SOURCES.md.

Expected values are checked two ways: against the figures SOURCES.md states for each file
(sport, distance, lap count), and against the file's own session/lap totals read here
independently of the readers (fitdecode for FIT, lxml for TCX), within 0.5 %.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Sport
from coach.storage.readers import read_activity_file
from coach.storage.readers.activity import UnreadableFile

REL = 0.005

# file -> (sport, distance in km as SOURCES.md writes it, laps)
FIT_FILES = {
    "fr645m-run-6laps.fit": (Sport.run, "5.84", 6),
    "fr110-run-2013-02-06-12-11-14.fit": (Sport.run, "4.84", 5),
    "fenix2-run-small.fit": (Sport.run, "9.0", 4),
    "fr70-run-compressed-speed-distance.fit": (Sport.run, "10.2", 11),
    "stryd-run-developer-fields.fit": (Sport.run, "6.75", 1),
    "edge810-ride-8laps-power.fit": (Sport.bike, "41.3", 8),
    "edge1000-ride-5039744860.fit": (Sport.bike, "0.668", 5),
}
TCX_FILES = {
    "fr620-run-3laps.tcx": (Sport.run, "2.15", 3),
    "fr410-run-3laps.tcx": (Sport.run, "4.69", 3),
    "run-7laps-2020-12-16.tcx": (Sport.run, "6.05", 7),
    "edge1000-ride-5039744860.tcx": (Sport.bike, "0.668", 5),
}
GPX_FILES = {
    "tomtom-run.gpx": (Sport.run, "4.8"),
    "strava-run-hr-cad.gpx": (Sport.run, "12.6"),
    "garminconnect-ride-5039744860.gpx": (Sport.bike, None),
}


def _fit_messages(path):
    import fitdecode

    out: dict[str, list[dict]] = {"session": [], "lap": [], "activity": []}
    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name in out:
                out[frame.name].append({f.name: f.value for f in frame.fields})
    return out


def _close(actual, expected, rel=REL):
    return actual == pytest.approx(expected, rel=rel)


def _stated(actual_m, stated_km: str):
    """Equal to a distance as SOURCES.md writes it, to the precision it is written with."""
    decimals = len(stated_km.partition(".")[2])
    return abs(actual_m / 1000 - float(stated_km)) <= 0.5 * 10**-decimals + 1e-9


@pytest.mark.parametrize("name", sorted(FIT_FILES))
def test_fit_matches_session_and_laps(real_data_dir, name):
    path = real_data_dir / "fit" / name
    sport, km, nlaps = FIT_FILES[name]
    content = read_activity_file(path)
    assert content.format == "fit" and content.warnings == []
    [activity] = content.activities
    w = activity.to_workout("fit")
    msgs = _fit_messages(path)
    [session] = msgs["session"]
    assert w.sport == sport
    assert _stated(w.distance_m, km)
    assert len(w.reps) == nlaps == len(msgs["lap"])
    assert _close(w.distance_m, session["total_distance"])
    assert _close(w.duration_s, session["total_timer_time"])
    assert _close(w.elapsed_s, session["total_elapsed_time"])
    if session.get("avg_heart_rate"):
        assert _close(w.avg_hr, session["avg_heart_rate"])
        assert _close(w.max_hr, session["max_heart_rate"])
    else:
        assert w.avg_hr is None  # no heart rate in the file: none is invented
    for rep, lap in zip(w.reps, msgs["lap"]):
        assert _close(rep.distance_m, lap["total_distance"])
        assert _close(rep.duration_s, lap["total_timer_time"])
        assert rep.avg_hr == lap.get("avg_heart_rate")
        assert rep.pace() == pytest.approx(lap["total_timer_time"] / (lap["total_distance"] / 1000))
    assert sum(r.distance_m for r in w.reps) == pytest.approx(w.distance_m, rel=REL)
    assert sum(r.duration_s for r in w.reps) == pytest.approx(w.duration_s, rel=REL)


def test_fit_running_cadence_is_stored_as_steps(real_data_dir):
    path = real_data_dir / "fit" / "fr645m-run-6laps.fit"
    [session] = _fit_messages(path)["session"]
    w = read_activity_file(path).activities[0].to_workout("fit")
    strides = session["avg_running_cadence"] + session["avg_fractional_cadence"]
    assert w.cadence == pytest.approx(2 * strides)
    assert 120 < w.cadence < 200  # steps per minute for a run


def test_fit_local_date_and_utc_start(real_data_dir):
    a = read_activity_file(real_data_dir / "fit" / "fr645m-run-6laps.fit").activities[0]
    assert a.start_utc == dt.datetime(2019, 9, 14, 15, 22, 5, tzinfo=dt.timezone.utc)
    # activity.local_timestamp is two hours ahead of UTC in this file
    assert a.local_start == dt.datetime(2019, 9, 14, 17, 22, 5)
    assert a.local_date == dt.date(2019, 9, 14)


def test_fit_system_time_file_has_local_start_only(real_data_dir):
    a = read_activity_file(real_data_dir / "fit" / "fr70-run-compressed-speed-distance.fit").activities[0]
    assert a.start_utc is None
    # local end 12:21:03 minus (end - start) in device seconds: 17221751 - 17217864 = 3887 s
    assert a.local_start == dt.datetime(2012, 2, 13, 12, 21, 3) - dt.timedelta(seconds=3887)
    assert a.local_date == dt.date(2012, 2, 13)


def test_fit_multisport_becomes_one_workout_per_leg(real_data_dir):
    path = real_data_dir / "fit" / "fr920xt-triathlon-multisport.fit"
    content = read_activity_file(path)
    sessions = _fit_messages(path)["session"]
    legs = [s for s in sessions if s["sport"] != "transition"]
    assert [a.sport for a in content.activities] == [Sport.swim, Sport.bike, Sport.run]
    for activity, session in zip(content.activities, legs):
        w = activity.to_workout("fit")
        assert _close(w.distance_m, session["total_distance"])
        assert _close(w.duration_s, session["total_timer_time"])
        assert w.avg_hr == session["avg_heart_rate"]
        assert len(w.reps) == session["num_laps"]
        assert w.start_time == session["start_time"].replace(tzinfo=None)


def _tcx_laps(path):
    from lxml import etree

    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    root = etree.parse(str(path)).getroot()
    laps = root.findall(".//t:Lap", ns)
    return [
        (
            float(lap.findtext("t:TotalTimeSeconds", namespaces=ns)),
            float(lap.findtext("t:DistanceMeters", namespaces=ns)),
            lap.findtext("t:AverageHeartRateBpm/t:Value", namespaces=ns),
        )
        for lap in laps
    ]


@pytest.mark.parametrize("name", sorted(TCX_FILES))
def test_tcx_matches_laps(real_data_dir, name):
    path = real_data_dir / "tcx" / name
    sport, km, nlaps = TCX_FILES[name]
    content = read_activity_file(path)
    [activity] = content.activities
    w = activity.to_workout("tcx")
    laps = _tcx_laps(path)
    assert w.sport == sport
    assert _stated(w.distance_m, km)
    assert len(w.reps) == nlaps == len(laps)
    assert _close(w.duration_s, sum(t for t, _, _ in laps))
    assert _close(w.distance_m, sum(d for _, d, _ in laps))
    assert w.elapsed_s >= w.duration_s
    for rep, (t, d, hr) in zip(w.reps, laps):
        assert _close(rep.duration_s, t) and _close(rep.distance_m, d)
        assert rep.avg_hr == int(hr)
    weighted = sum(int(hr) * t for t, _, hr in laps) / sum(t for t, _, _ in laps)
    assert abs(w.avg_hr - weighted) <= 0.5


def test_tcx_run_cadence_is_doubled_to_steps(real_data_dir):
    w = read_activity_file(real_data_dir / "tcx" / "fr620-run-3laps.tcx").activities[0].to_workout("tcx")
    assert 150 < w.cadence < 200
    assert all(150 < r.cadence < 200 for r in w.reps)


def test_tcx_without_cadence_leaves_it_unknown(real_data_dir):
    w = read_activity_file(real_data_dir / "tcx" / "fr410-run-3laps.tcx").activities[0].to_workout("tcx")
    assert w.cadence is None and all(r.cadence is None for r in w.reps)


@pytest.mark.parametrize("name", sorted(GPX_FILES))
def test_gpx_totals_from_points(real_data_dir, name):
    import gpxpy

    path = real_data_dir / "gpx" / name
    sport, km = GPX_FILES[name]
    [activity] = read_activity_file(path).activities
    w = activity.to_workout("gpx")
    gpx = gpxpy.parse(path.read_text(encoding="utf-8"))
    points = [p for t in gpx.tracks for s in t.segments for p in s.points]
    assert w.sport == sport
    assert w.reps == []  # GPX has no laps: none are invented
    if km:
        assert _stated(w.distance_m, km)
    assert w.start_time == points[0].time.replace(tzinfo=None)
    assert w.elapsed_s == pytest.approx((points[-1].time - points[0].time).total_seconds())
    assert 0 < w.duration_s <= w.elapsed_s


def test_gpx_heart_rate_from_extension(real_data_dir):
    path = real_data_dir / "gpx" / "strava-run-hr-cad.gpx"
    w = read_activity_file(path).activities[0].to_workout("gpx")
    import re

    hrs = [int(v) for v in re.findall(r"<gpxtpx:hr>(\d+)</gpxtpx:hr>", path.read_text())]
    assert w.avg_hr == round(sum(hrs) / len(hrs))
    assert w.max_hr == max(hrs)
    assert 150 < w.cadence < 200  # steps per minute


def test_gpx_without_heart_rate(real_data_dir):
    w = read_activity_file(real_data_dir / "gpx" / "tomtom-run.gpx").activities[0].to_workout("gpx")
    assert w.avg_hr is None and w.max_hr is None


def test_same_ride_in_three_formats_has_the_same_start(real_data_dir):
    starts = {
        read_activity_file(real_data_dir / sub / f"{prefix}-5039744860.{sub}").activities[0].start_utc
        for sub, prefix in (("fit", "edge1000-ride"), ("tcx", "edge1000-ride"), ("gpx", "garminconnect-ride"))
    }
    assert starts == {dt.datetime(2020, 6, 1, 14, 52, 40, tzinfo=dt.timezone.utc)}


# --- bad files -------------------------------------------------------------------------


def test_bad_crc_is_accepted_with_a_warning(real_data_dir):
    content = read_activity_file(real_data_dir / "corrupt" / "activity-bad-file-crc.fit")
    assert any("checksum" in w for w in content.warnings)
    assert len(content.activities) == 1


@pytest.mark.parametrize(
    "name, words",
    [
        ("activity-unexpected-eof.fit", "truncated"),
        ("strava-android-run.fit", "corrupt FIT file"),
        ("malformed-no-root.tcx", "not well-formed XML"),
    ],
)
def test_corrupt_files_are_refused_with_a_reason(real_data_dir, name, words):
    with pytest.raises(UnreadableFile) as err:
        read_activity_file(real_data_dir / "corrupt" / name)
    assert words in str(err.value)
    assert "\n" not in str(err.value)


def test_gzipped_files_read_like_the_plain_ones(real_data_dir, tmp_path):
    import gzip

    for sub, name in (("fit", "fr645m-run-6laps.fit"), ("gpx", "tomtom-run.gpx"), ("tcx", "fr410-run-3laps.tcx")):
        src = real_data_dir / sub / name
        gz = tmp_path / (name + ".gz")
        gz.write_bytes(gzip.compress(src.read_bytes()))
        plain = read_activity_file(src).activities[0].to_workout(sub)
        packed = read_activity_file(gz)
        assert packed.format == sub
        assert packed.activities[0].to_workout(sub) == plain
