"""Issue 17, finding 8: each input that gave a traceback, or a refusal that did not name
its field, is now one line naming the field, exit status 1 or 2, and nothing written."""

from __future__ import annotations

import gzip
import json

import pytest

from coach.cli.main import cli


@pytest.fixture
def db(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert runner.invoke(cli, ["--db", url, "init", "--name", "Ana"]).exit_code == 0
    return url


def logged(runner, db) -> list:
    result = runner.invoke(cli, ["--db", db, "history", "--since", "all", "--json"])
    return json.loads(result.output)["workouts"]


def one_line_error(result, *words: str) -> str:
    assert result.exit_code in (1, 2), result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    lines = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("args, words", [
    (["history", "--since", "99999999"], ["--since", "'all'"]),
    (["next", "--date", "0001-01-01"], ["--date", "out of range", "1900-01-01 to 2199-12-31"]),
    (["next", "--date", "9999-12-31"], ["--date", "out of range"]),
    (["plan", "--date", "9999-12-25"], ["--date", "out of range"]),
    (["why", "--date", "9999-12-25"], ["--date", "out of range"]),
    (["export", "--ics", "-", "--days", "100000000"], ["--days", "1<=x<=112"]),
    (["export", "--ics", "-", "--date", "9999-12-31"], ["--date", "out of range"]),
    (["email", "--to", "a@b.co\nBcc: e@x.org", "--dry-run"], ["--to", "one email address on one line"]),
    (["log", "--date", "2026-11-20", "--kind", "intervals", "--splits", "1:00,1:00", "--rep-hr", "abc,150"],
     ["--rep-hr", "value 1 is not a heart rate"]),
    (["log", "--date", "2026-11-20", "--notes", "x" * 5000], ["--notes", "5,000 characters"]),
])
def test_bad_option_values_are_one_line_naming_the_field(runner, db, args, words):
    one_line_error(runner.invoke(cli, ["--db", db, *args]), *words)
    assert logged(runner, db) == []


def test_the_last_dates_in_range_still_work(runner, db):
    for args in (["next", "--date", "2199-12-31"], ["plan", "--date", "2199-12-25", "--days", "7"],
                 ["next", "--date", "1900-01-01"], ["history", "--since", "36500"]):
        result = runner.invoke(cli, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.output)


def test_a_database_without_its_driver_is_one_line(runner):
    line = one_line_error(runner.invoke(cli, ["--db", "mysql://ana:pw@localhost/coach", "history"]),
                          "driver is not installed", "SQLite and PostgreSQL")
    assert "pw" not in line


@pytest.mark.parametrize("content, words", [
    (b"date,notes\n2026-11-01,a\x00b\n", ["runs.csv:2: notes: contains a NUL character"]),
    (b"date,notes\n2026-11-01," + b"x" * 200_000 + b"\n", ["runs.csv:2: notes: 200,000 characters"]),
])
def test_bad_csv_fields_are_named_with_their_line(runner, db, tmp_path, content, words):
    path = tmp_path / "runs.csv"
    path.write_bytes(content)
    one_line_error(runner.invoke(cli, ["--db", db, "import", str(path)]), *words)
    assert logged(runner, db) == []


@pytest.mark.parametrize("name", ["runs.csv.gz", "runs.csv"])
def test_a_gzipped_csv_is_read(runner, db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"date,distance,duration\n2026-11-01,5km,25:00\n"))
    result = runner.invoke(cli, ["--db", db, "import", str(path)])
    assert result.exit_code == 0, result.output
    assert [w["distance_m"] for w in logged(runner, db)] == [5000.0]


def test_one_crashing_file_does_not_stop_a_folder(runner, db, tmp_path, real_data_dir, monkeypatch):
    """Whatever a reader raises for one file is that file's failure line; the others import."""
    import shutil

    from coach.storage.readers import gpx

    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(real_data_dir / "fit" / "fr645m-run-6laps.fit", folder / "a.fit")
    shutil.copy(real_data_dir / "gpx" / "tomtom-run.gpx", folder / "b.gpx")

    def explode(data):
        raise KeyError("surprise")

    monkeypatch.setattr(gpx, "read_gpx", explode)
    result = runner.invoke(cli, ["--db", db, "import", str(folder)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "b.gpx: corrupt GPX file: the reader failed (KeyError)" in result.output
    assert "imported  " in result.output and len(logged(runner, db)) == 1
