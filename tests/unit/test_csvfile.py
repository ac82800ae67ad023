"""Reading workouts CSV files: coach's format and Strava's activities.csv, problems with line numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import InvalidInput
from coach.storage.csvfile import read_csv

HEADER = "date,start_time,sport,kind,distance,duration,rpe,avg_hr,soreness,sleep,splits,rep_distance,form_broke_at,notes\n"


def write(tmp_path, text, name="runs.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_rows_become_workouts_with_their_lines(tmp_path):
    path = write(tmp_path, HEADER
                 + '2026-11-02,07:30,run,intervals,8km,40:00,8,152,3,7.5,"1:28,1:29,1:31",400m,3,"windy, cold"\n'
                 + "\n"
                 + "2026-11-03,,run,easy,6.2mi,50:00,3,,,,,,,\n")
    content = read_csv(path)
    assert content.format == "coach" and content.problems == []
    assert [line for line, _ in content.workouts] == [2, 4]
    first, second = (w for _, w in content.workouts)
    assert first.kind.value == "intervals" and first.notes == "windy, cold" and len(first.reps) == 3
    assert first.form_broke_at == 3 and first.source == "csv"
    assert second.distance_m == pytest.approx(6.2 * 1609.344)
    assert first.dedupe_key.startswith("csv:") and first.dedupe_key != second.dedupe_key


def test_same_content_same_key(tmp_path):
    a = read_csv(write(tmp_path, "date,distance\n2026-11-02,5km\n", "a.csv")).workouts[0][1]
    b = read_csv(write(tmp_path, "Date,Distance\n2026-11-02,5km\n", "b.csv")).workouts[0][1]
    c = read_csv(write(tmp_path, "date,distance\n2026-11-02,6km\n", "c.csv")).workouts[0][1]
    assert a.dedupe_key == b.dedupe_key != c.dedupe_key


def test_bad_rows_are_reported_with_line_numbers(tmp_path):
    path = write(tmp_path, HEADER
                 + "2026-11-02,,run,easy,5km,25:00,11,,,,,,,\n"
                 + "2026-11-03,,run,easy,5km,25:00,4,,,,,,,\n"
                 + "2026-11-04,,run,easy,-5km,25:00,4,,,,,,,\n"
                 + "2026-11-05,,run\n"
                 + "2026-11-06,,jog,easy,5km,25:00,4,,,,,,,\n")
    content = read_csv(path)
    assert [line for line, _ in content.workouts] == [3]
    assert [content.describe(p) for p in content.problems] == [
        "runs.csv:2: rpe: input should be less than or equal to 10 (got '11')",
        "runs.csv:4: distance: distance must not be negative (got '-5km')",
        "runs.csv:5: has 3 fields but the header has 14",
        "runs.csv:6: sport: input should be 'run', 'bike', 'swim', 'brick', 'strength', 'cross' or 'rest' (got 'jog')",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "runs.csv: the file is empty"),
        ("\n\n", "runs.csv: the file is empty"),
        ("date,pace\n2026-11-02,4:30\n", "runs.csv:1: unknown column 'pace'"),
        ("sport,distance\nrun,5km\n", "runs.csv:1: the header has no 'date' column"),
        ("date,rpe,rpe\n", "runs.csv:1: column 'rpe' appears twice"),
        ('date,notes\n2026-11-02,"unclosed\n', "runs.csv:2: malformed CSV"),
    ],
)
def test_whole_file_problems(tmp_path, text, message):
    with pytest.raises(InvalidInput) as info:
        read_csv(write(tmp_path, text))
    assert str(info.value).startswith(message)


def test_unreadable_files(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        read_csv(tmp_path / "missing.csv")
    path = tmp_path / "latin.csv"
    path.write_bytes("date,notes\n2026-11-02,caf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="latin.csv: not UTF-8"):
        read_csv(path)


def test_excel_bom_is_fine(tmp_path):
    content = read_csv(write(tmp_path, "date,distance\n2026-11-02,5km\n", encoding="utf-8-sig"))
    assert len(content.workouts) == 1


STRAVA_HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
                 "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,"
                 "Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,"
                 "Elevation Gain,Elevation Loss,Average Heart Rate,Perceived Exertion,Workout Type\n")


def test_strava_activities_csv(tmp_path):
    path = write(tmp_path, STRAVA_HEADER
                 + '1111,"Nov 2, 2026, 7:30:00 AM",Morning Run,Run,"6x800",2700,"8.05",181,90,false,,,'
                 + 'activities/1111.fit,,,2700.0,2520.0,8050.3,5.5,3.2,45.0,44.0,158.4,8,3.0\n'
                 + '2222,"Nov 3, 2026, 5:00:00 PM",Lunch Ride,Ride,,3600,"30.2",150,40,false,,,,,,3600.0,3500.0,'
                 + '30200.0,12,8.6,120.0,120.0,,,\n'
                 + '3333,"Nov 4, 2026, 6:00:00 PM",Yoga,Yoga,,1800,"0",,,false,,,,,,1800.0,1800.0,0,,,,,,,\n',
                 name="activities.csv")
    content = read_csv(path)
    assert content.format == "strava" and content.problems == []
    run, ride, yoga = (w for _, w in content.workouts)
    assert run.start_time == dt.datetime(2026, 11, 2, 7, 30, tzinfo=dt.timezone.utc)
    assert run.date == run.start_time.astimezone().date()
    assert (run.sport.value, run.distance_m, run.duration_s, run.elapsed_s) == ("run", 8050.3, 2520, 2700)
    assert (run.avg_hr, run.max_hr, run.rpe, run.elevation_gain_m) == (158, 181, 8, 45)
    assert run.notes == "Morning Run - 6x800" and run.dedupe_key == "strava:1111" and run.source == "strava-csv"
    assert (ride.sport.value, ride.distance_m, ride.avg_hr) == ("bike", 30200.0, None)
    assert (yoga.sport.value, yoga.distance_m) == ("cross", None)


def test_strava_bad_row(tmp_path):
    path = write(tmp_path, STRAVA_HEADER + '1111,yesterday,Run,Run,,2700,8,,,,,,,,,2700,2520,8000,,,,,,,\n',
                 name="activities.csv")
    content = read_csv(path)
    assert [content.describe(p) for p in content.problems] == [
        "activities.csv:2: Activity Date: cannot read 'yesterday' (expected e.g. 'Nov 20, 2025, 7:30:00 AM')"]
