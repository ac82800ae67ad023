"""The import use case on a real SQLite store: real device files, duplicates, bad files,
one transaction per file."""

from __future__ import annotations

import gzip
import shutil
import struct

import pytest

from coach.engine.model import Athlete, Kind, Rep, Sport, Workout
from coach.storage import open_store
from coach.service.rulesets import read_rule_set
from coach.service.importing import ImportRules, dedupe_keys, import_paths, prepare

RULESET = read_rule_set(None)
SETTINGS = ImportRules.of(RULESET)


@pytest.fixture
def store(sqlite_url):
    with open_store(sqlite_url) as opened:
        with opened.unit_of_work() as uow:
            uow.athletes.add(Athlete(name="Ana"))
            uow.commit()
        yield opened


def logged(store):
    with store.unit_of_work() as uow:
        return uow.workouts.list(uow.athletes.get("Ana").id)


def run(store, *paths, **kw):
    return import_paths(store, None, list(paths), RULESET, **kw)


def test_every_real_file_imports(store, real_data_dir):
    summary = run(store, real_data_dir / "fit", real_data_dir / "tcx", real_data_dir / "gpx")
    by_name = {f.path.name: f for f in summary.files}
    assert len(by_name) == 15
    assert summary.failed == []
    # the triathlon file holds three workouts (transitions are not workouts)
    assert [w.sport for w in by_name["fr920xt-triathlon-multisport.fit"].imported] == [Sport.swim, Sport.bike, Sport.run]
    # the Edge 1000 ride arrives as FIT first (name order), then as GPX and TCX: stored once
    ride = [n for n in by_name if "5039744860" in n]
    assert sorted(by_name[n].status for n in ride) == ["duplicate", "duplicate", "imported"]
    assert all(by_name[n].reason is None for n in ride)
    stored = logged(store)
    assert len(stored) == summary.imported == 7 + 2 + 3 + 3  # 7 FIT + triathlon legs, 3 GPX less the ride, 4 TCX less the ride
    assert all(w.kind is not None and w.kind_inferred for w in stored)
    assert all(w.rpe is None for w in stored)
    assert len({w.dedupe_key for w in stored}) == len(stored)
    assert all(w.source.startswith(("fit:", "gpx:", "tcx:")) for w in stored)


def test_reimport_reports_already_imported_and_adds_nothing(store, real_data_dir):
    first = run(store, real_data_dir / "fit")
    before = logged(store)
    again = run(store, real_data_dir / "fit")
    assert again.imported == 0
    assert all(f.status == "duplicate" for f in again.files)
    assert all(f.describe().endswith("already imported") for f in again.files)
    assert again.duplicates == first.imported
    assert logged(store) == before


def test_same_ride_in_three_formats_is_stored_once(store, real_data_dir):
    paths = [real_data_dir / "gpx" / "garminconnect-ride-5039744860.gpx",
             real_data_dir / "tcx" / "edge1000-ride-5039744860.tcx",
             real_data_dir / "fit" / "edge1000-ride-5039744860.fit"]
    summary = run(store, *paths)
    assert [f.status for f in summary.files] == ["imported", "duplicate", "duplicate"]
    [ride] = logged(store)
    assert ride.sport == Sport.bike and ride.source.startswith("gpx:")


def test_renamed_and_gzipped_copy_is_a_duplicate(store, real_data_dir, tmp_path):
    src = real_data_dir / "fit" / "fr645m-run-6laps.fit"
    (tmp_path / "renamed.bin").write_bytes(src.read_bytes())
    (tmp_path / "copy.fit.gz").write_bytes(gzip.compress(src.read_bytes()))
    summary = run(store, src, tmp_path / "renamed.bin", tmp_path / "copy.fit.gz")
    assert [f.status for f in summary.files] == ["imported", "duplicate", "duplicate"]
    assert len(logged(store)) == 1


def test_fields_stored_match_the_file(store, real_data_dir):
    run(store, real_data_dir / "fit" / "fr645m-run-6laps.fit")
    [w] = logged(store)
    assert w.date.isoformat() == "2019-09-14"
    assert w.start_time.replace(tzinfo=None).isoformat() == "2019-09-14T15:22:05"
    assert w.distance_m == pytest.approx(5839.77)
    assert w.duration_s == pytest.approx(3164.606)
    assert w.avg_hr == 130 and w.max_hr == 160
    assert len(w.reps) == 6 and w.reps[0].distance_m == pytest.approx(1000.0)
    assert w.dedupe_key == "run@2019-09-14T15:22Z"


# --- bad files --------------------------------------------------------------------------


def _fit_file(messages: bytes) -> bytes:
    """A minimal FIT file: 14-byte header, the given records, and a correct CRC."""
    from fitdecode.utils import compute_crc

    header = struct.pack("<BBHI4s", 14, 0x10, 2132, len(messages), b".FIT")
    header += struct.pack("<H", compute_crc(header))
    body = header + messages
    return body + struct.pack("<H", compute_crc(body))


def _device_settings_only_fit() -> bytes:
    # definition (local 0) of file_id (global 0): field 0 type (enum); then one data record: type=settings (2)
    file_id_def = bytes([0x40, 0, 0]) + struct.pack("<HB", 0, 1) + bytes([0, 1, 0x00])
    file_id = bytes([0x00, 2])
    # definition (local 1) of device_settings (global 2): field 0 active_time_zone (uint8); one record
    ds_def = bytes([0x41, 0, 0]) + struct.pack("<HB", 2, 1) + bytes([0, 1, 0x02])
    ds = bytes([0x01, 3])
    return _fit_file(file_id_def + file_id + ds_def + ds)


GPX_NO_TIMES = b"""<?xml version="1.0"?>
<gpx version="1.1" creator="planner" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>Sunday route</name><trkseg>
  <trkpt lat="52.1" lon="4.4"><ele>1</ele></trkpt>
  <trkpt lat="52.2" lon="4.5"><ele>2</ele></trkpt>
 </trkseg></trk></gpx>"""


def test_device_settings_fit_is_built_right():
    import io

    import fitdecode

    with fitdecode.FitReader(io.BytesIO(_device_settings_only_fit()), check_crc=fitdecode.CrcCheck.RAISE) as r:
        names = [f.name for f in r if isinstance(f, fitdecode.FitDataMessage)]
    assert names == ["file_id", "device_settings"]


def test_folder_with_good_and_bad_files(store, real_data_dir, tmp_path):
    folder = tmp_path / "export"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(real_data_dir / "fit" / "fr110-run-2013-02-06-12-11-14.fit", folder / "good.fit")
    shutil.copy(real_data_dir / "tcx" / "fr620-run-3laps.tcx", folder / "nested" / "good.tcx")
    for name in ("activity-unexpected-eof.fit", "strava-android-run.fit", "malformed-no-root.tcx",
                 "activity-bad-file-crc.fit"):
        shutil.copy(real_data_dir / "corrupt" / name, folder / name)
    (folder / "empty.fit").write_bytes(b"")
    (folder / "photo.fit").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    (folder / "notes.gpx").write_text("remember to stretch\n")
    (folder / "settings.fit").write_bytes(_device_settings_only_fit())
    (folder / "route.gpx").write_bytes(GPX_NO_TIMES)
    (folder / "README.txt").write_text("not picked up from a folder")

    summary = run(store, folder)
    outcome = {f.path.name: f for f in summary.files}
    assert summary.ignored == 1  # README.txt
    assert {n for n, f in outcome.items() if f.status == "imported"} == {
        "good.fit", "good.tcx", "activity-bad-file-crc.fit"}
    reasons = {n: f.reason for n, f in outcome.items() if f.status == "failed"}
    assert "truncated" in reasons["activity-unexpected-eof.fit"]
    assert "corrupt FIT file" in reasons["strava-android-run.fit"]
    assert "not well-formed XML" in reasons["malformed-no-root.tcx"]
    assert reasons["empty.fit"] == "empty file"
    assert "PNG image" in reasons["photo.fit"]
    assert "not a workout file" in reasons["notes.gpx"]
    assert "not a recorded activity" in reasons["settings.fit"] and "settings" in reasons["settings.fit"]
    assert "no times" in reasons["route.gpx"]
    assert all("\n" not in r for r in reasons.values())
    assert "checksum" in outcome["activity-bad-file-crc.fit"].describe()
    assert len(logged(store)) == 3
    assert summary.to_json_dict()["failed"] == len(reasons) == 8


def test_missing_path_is_reported(store, tmp_path):
    summary = run(store, tmp_path / "nope.fit")
    assert summary.files[0].reason == "no such file or folder"


def test_a_file_that_fails_to_store_leaves_nothing_behind(store, real_data_dir, monkeypatch):
    """One transaction per file: the triathlon's bike leg failing keeps its swim out too."""
    from coach.service import importing as importer

    real_prepare = importer.prepare

    def failing(workout, paces, settings):
        if workout.sport == Sport.bike:
            raise RuntimeError("disk full")
        return real_prepare(workout, paces, settings)

    monkeypatch.setattr(importer, "prepare", failing)
    summary = run(store, real_data_dir / "fit" / "fr920xt-triathlon-multisport.fit",
                  real_data_dir / "fit" / "fr645m-run-6laps.fit")
    assert [f.status for f in summary.files] == ["failed", "imported"]
    assert "disk full" in summary.files[0].reason
    assert [w.sport for w in logged(store)] == [Sport.run]
    monkeypatch.setattr(importer, "prepare", real_prepare)
    # the keys of the failed file were not remembered: it imports fully next time
    again = run(store, real_data_dir / "fit" / "fr920xt-triathlon-multisport.fit")
    assert len(again.files[0].imported) == 3


def test_progress_is_called_per_file(store, real_data_dir):
    seen, total = [], []
    run(store, real_data_dir / "tcx", progress=seen.append, on_files=total.append)
    assert total == [4] and len(seen) == 4


def test_unknown_athlete_reads_nothing(store, real_data_dir):
    from coach.engine.errors import CoachError

    with pytest.raises(CoachError):
        import_paths(store, "Bob", [real_data_dir / "fit"], RULESET)
    assert logged(store) == []


# --- kind and form on import -------------------------------------------------------------


def _interval_laps(rep_paces):
    reps, i = [], 1
    reps.append(Rep(index=i, distance_m=2000, duration_s=2 * 330)); i += 1
    for p in rep_paces:
        reps.append(Rep(index=i, distance_m=800, duration_s=0.8 * p)); i += 1
        reps.append(Rep(index=i, distance_m=400, duration_s=0.4 * 420)); i += 1
    reps.append(Rep(index=i, distance_m=2000, duration_s=2 * 330))
    return reps


def _workout(reps):
    return Workout(date=__import__("datetime").date(2026, 3, 2), sport=Sport.run,
                   distance_m=sum(r.distance_m for r in reps), duration_s=sum(r.duration_s for r in reps), reps=reps)


def test_prepare_classifies_and_finds_the_form_break():
    w = prepare(_workout(_interval_laps([220, 221, 219, 222, 236, 240])), None, SETTINGS)
    assert w.kind == Kind.intervals and w.kind_inferred
    # laps: 1 warm-up, then reps at 2,4,6,8,10,12; the fifth rep (lap 10) is 7 % off the early pace
    assert w.form_broke_at == 10
    assert "rep 10" in w.notes


def test_prepare_even_intervals_hold_form():
    w = prepare(_workout(_interval_laps([220, 221, 219, 222, 221, 220])), None, SETTINGS)
    assert w.kind == Kind.intervals and w.form_broke_at is None


def test_prepare_keeps_a_stated_kind():
    w = prepare(_workout(_interval_laps([220] * 6)).model_copy(update={"kind": Kind.easy}), None, SETTINGS)
    assert w.kind == Kind.easy and not w.kind_inferred


def test_dedupe_keys_round_to_the_minute():
    import datetime as dt

    utc = dt.timezone.utc
    assert dedupe_keys("run", dt.datetime(2020, 6, 1, 14, 52, 40, tzinfo=utc), None)[0] == "run@2020-06-01T14:53Z"
    assert dedupe_keys("run", dt.datetime(2020, 6, 1, 14, 52, 29, tzinfo=utc), None)[0] == "run@2020-06-01T14:52Z"
    assert dedupe_keys("bike", None, dt.datetime(2012, 2, 13, 11, 16, 16))[0] == "bike@2012-02-13T11:16 local"
    assert dedupe_keys("run", None, None) == []


# --- one path for CSV and watch files ------------------------------------------------------

CSV_LINES = ("date,sport,kind,distance,duration,rpe,splits,rep_distance\n"
             '2026-11-02,run,intervals,8km,40:00,8,"1:28,1:28,1:29,1:28,1:36,1:37",400m\n'
             "2026-11-03,run,,6km,33:00,3,,\n")


def test_csv_workouts_get_the_same_preparation_as_watch_files(store, tmp_path):
    """A CSV line without a kind gets one inferred, and its splits are checked for a form
    break, exactly as a watch file's laps are (issue 11: CSV workouts skipped both)."""
    path = tmp_path / "runs.csv"
    path.write_text(CSV_LINES)
    summary = run(store, path)
    assert [f.status for f in summary.files] == ["imported"]
    intervals, easy = logged(store)
    assert intervals.kind == Kind.intervals and not intervals.kind_inferred
    # reps 1-4 at 1:28-1:29, rep 5 at 1:36 is 9 % slower than the early reps
    assert intervals.form_broke_at == 5 and "rep 5" in intervals.notes
    assert easy.kind == Kind.easy and easy.kind_inferred


def test_csv_and_watch_files_share_one_dedupe(store, real_data_dir, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "runs.csv").write_text(CSV_LINES)
    shutil.copy(real_data_dir / "fit" / "fr645m-run-6laps.fit", folder / "run.fit")
    first = run(store, folder)
    assert [(f.path.name, f.status, len(f.imported)) for f in first.files] == [
        ("run.fit", "imported", 1), ("runs.csv", "imported", 2)]
    again = run(store, folder)
    assert [(f.status, f.duplicates) for f in again.files] == [("duplicate", 1), ("duplicate", 2)]
    assert len(logged(store)) == 3


def test_a_bad_csv_line_fails_the_file_and_names_the_line(store, tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text(CSV_LINES + "2026-11-04,run,easy,abc,25:00,4,,\n")
    [outcome] = run(store, path).files
    assert outcome.status == "failed" and outcome.bad_lines[0][0] == 4
    assert outcome.reason.startswith("line 4: distance: cannot read distance 'abc'")
    assert logged(store) == []
    [outcome] = run(store, path, skip_bad_csv_lines=True).files
    assert outcome.status == "imported" and len(outcome.imported) == 2
    assert outcome.warnings == [f"skipped line 4: {outcome.bad_lines[0][1]}"]


def test_dry_run_keeps_nothing(store, real_data_dir):
    summary = run(store, real_data_dir / "fit" / "fr645m-run-6laps.fit", dry_run=True)
    assert summary.imported == 1
    assert logged(store) == []


def test_add_new_forgets_the_keys_of_a_batch_that_fails():
    from coach.service.importing import add_new

    class Workouts:
        def __init__(self):
            self.stored = []

        def add(self, athlete_id, workout):
            if workout.sport == Sport.bike:
                raise RuntimeError("disk full")
            self.stored.append(workout)
            return workout

    class Uow:
        workouts = Workouts()

    day = __import__("datetime").date(2026, 3, 2)
    run_, bike = Workout(date=day, sport=Sport.run), Workout(date=day, sport=Sport.bike)
    seen = {"old"}
    added, duplicates, keys = add_new(Uow(), 1, [(["old"], run_), (["a", "a-1"], run_), ([], run_)], seen)
    assert (len(added), duplicates, keys, seen) == (2, 1, ["a"], {"old", "a"})
    with pytest.raises(RuntimeError):
        add_new(Uow(), 1, [(["b"], run_), (["c"], bike)], seen)
    assert seen == {"old", "a"}
