"""`coach import FILE.csv`: all or nothing, --skip-bad, re-import adds nothing twice."""

from __future__ import annotations

import json

from coach.cli.main import cli

GOOD = ("date,sport,kind,distance,duration,rpe,splits,rep_distance,form_broke_at,notes\n"
        '2026-11-02,run,intervals,8km,40:00,8,"1:28,1:29,1:31",400m,3,"6x400, windy"\n'
        "2026-11-03,run,easy,6km,33:00,3,,,,\n"
        "2026-11-04,swim,,2000m,45:00,4,,,,\n")
BAD_LINES = ("2026-11-05,run,easy,5km,25:00,11,,,,\n"
             "2026-11-06,run,easy,abc,25:00,4,,,,\n")


def invoke(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def logged(runner, db):
    out = invoke(runner, "history", "--db", db, "--since", "all", "--json").output
    return json.loads(out)["workouts"]


def setup(runner, db, tmp_path, text, name="runs.csv"):
    assert invoke(runner, "init", "--db", db, "--name", "Ana").exit_code == 0
    path = tmp_path / name
    path.write_text(text)
    return path


def test_import_then_reimport_adds_nothing(runner, db_url, tmp_path):
    path = setup(runner, db_url, tmp_path, GOOD)
    result = invoke(runner, "import", path, "--db", db_url)
    assert result.exit_code == 0, result.output
    assert result.output == "Imported 3 workouts for Ana from runs.csv (0 already logged, 0 bad lines skipped).\n"
    workouts = logged(runner, db_url)
    assert [(w["date"], w["sport"], w["kind"], w["distance_m"]) for w in workouts] == [
        ("2026-11-02", "run", "intervals", 8000.0), ("2026-11-03", "run", "easy", 6000.0),
        ("2026-11-04", "swim", "easy", 2000.0)]
    # the swim's line names no kind: it is inferred (classify.yml), as for watch files
    assert [w["kind_inferred"] for w in workouts] == [False, False, True]
    assert [r["duration_s"] for r in workouts[0]["reps"]] == [88.0, 89.0, 91.0]
    assert workouts[0]["notes"] == "6x400, windy" and workouts[0]["source"] == "csv"
    again = invoke(runner, "import", path, "--db", db_url)
    assert again.output == "Imported 0 workouts for Ana from runs.csv (3 already logged, 0 bad lines skipped).\n"
    assert len(logged(runner, db_url)) == 3


def test_a_bad_line_imports_nothing(runner, sqlite_url, tmp_path):
    path = setup(runner, sqlite_url, tmp_path, GOOD + BAD_LINES)
    result = invoke(runner, "import", path, "--db", sqlite_url)
    assert result.exit_code == 1
    assert result.output == ("Error: runs.csv:5: rpe: input should be less than or equal to 10 (got '11') "
                             "(and 1 more bad lines); nothing imported (--skip-bad imports the good lines)\n")
    assert logged(runner, sqlite_url) == []


def test_skip_bad_imports_the_rest_and_reports_each_line(runner, sqlite_url, tmp_path):
    path = setup(runner, sqlite_url, tmp_path, GOOD + BAD_LINES)
    result = runner.invoke(cli, ["import", str(path), "--db", sqlite_url, "--skip-bad"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == (
        "skipped runs.csv:5: rpe: input should be less than or equal to 10 (got '11')\n"
        "skipped runs.csv:6: distance: cannot read distance 'abc': use e.g. 10km, 6.2mi or 800m\n")
    assert result.stdout == "Imported 3 workouts for Ana from runs.csv (0 already logged, 2 bad lines skipped).\n"
    assert len(logged(runner, sqlite_url)) == 3


def test_dry_run_writes_nothing(runner, sqlite_url, tmp_path):
    path = setup(runner, sqlite_url, tmp_path, GOOD)
    result = invoke(runner, "import", path, "--db", sqlite_url, "--dry-run")
    assert result.output.startswith("Would import 3 workouts")
    assert logged(runner, sqlite_url) == []


def test_file_level_errors(runner, sqlite_url, tmp_path):
    setup(runner, sqlite_url, tmp_path, GOOD)
    result = invoke(runner, "import", tmp_path / "nope.csv", "--db", sqlite_url)
    assert result.exit_code == 1 and f"{tmp_path / 'nope.csv'}: no such file" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("when,what\n2026-11-02,run\n")
    result = invoke(runner, "import", bad, "--db", sqlite_url)
    assert result.exit_code == 1 and result.output.startswith("Error: bad.csv:1: unknown column 'when' (known: date,")
    assert logged(runner, sqlite_url) == []


def test_strava_export(runner, sqlite_url, tmp_path):
    text = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Moving Time,Distance,"
            "Average Heart Rate\n"
            '555,"Nov 2, 2026, 7:30:00 AM",Easy one,Run,2000,"5.01",1900,5012.5,141.2\n')
    path = setup(runner, sqlite_url, tmp_path, text, name="activities.csv")
    assert invoke(runner, "import", path, "--db", sqlite_url).exit_code == 0
    assert invoke(runner, "import", path, "--db", sqlite_url).output.startswith("Imported 0 workouts")
    [w] = logged(runner, sqlite_url)
    assert (w["distance_m"], w["duration_s"], w["elapsed_s"], w["avg_hr"], w["dedupe_key"]) == (
        5012.5, 1900.0, 2000.0, 141, "strava:555")


def test_the_readme_csv_example_imports(runner, sqlite_url, tmp_path):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("```csv\n") + len("```csv\n")
    path = setup(runner, sqlite_url, tmp_path, readme[start:readme.index("```", start)], name="example.csv")
    result = invoke(runner, "import", path, "--db", sqlite_url)
    assert result.exit_code == 0 and result.output.startswith("Imported 2 workouts"), result.output
    assert [len(w["reps"]) for w in logged(runner, sqlite_url)] == [4, 0]
