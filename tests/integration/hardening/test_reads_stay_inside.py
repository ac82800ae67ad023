"""Issue 17, finding 6: a folder import reads only what is inside the folder, and no
error quotes a file's content."""

from __future__ import annotations

import os
import shutil

import pytest

from coach.engine.model import Athlete
from coach.storage import open_store
from coach.service.importing import import_paths
from coach.service.rulesets import read_rule_set
from coach.storage.readers.walk import OUTSIDE, walk_folder

RULESET = read_rule_set(None)
SECRET = "root:x:0:0:root:/root:/bin/bash"


@pytest.fixture
def store(sqlite_url):
    with open_store(sqlite_url) as opened:
        with opened.unit_of_work() as uow:
            uow.athletes.add(Athlete(name="Ana"))
            uow.commit()
        yield opened


@pytest.fixture
def outside(tmp_path):
    """A 'secret' file and folder outside the imported folder."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_text(SECRET + "\n")
    (secret / "inner.csv").write_text(SECRET + "\n")
    return secret


def _folder(tmp_path, real_data_dir):
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(real_data_dir / "fit" / "fr645m-run-6laps.fit", folder / "run.fit")
    return folder


def test_links_out_of_the_folder_are_skipped_with_a_reason(store, real_data_dir, tmp_path, outside):
    folder = _folder(tmp_path, real_data_dir)
    os.symlink(outside / "passwd", folder / "shadow.gpx")
    os.symlink(outside / "passwd", folder / "users.csv")
    os.symlink(outside, folder / "linked-folder")
    summary = import_paths(store, None, [folder], RULESET)
    by_name = {f.path.name: f for f in summary.files}
    assert by_name["run.fit"].status == "imported"
    for name in ("shadow.gpx", "users.csv"):
        assert by_name[name].status == "failed"
        assert by_name[name].reason == OUTSIDE
    # the linked folder is not entered: its CSV is neither read nor listed
    assert "inner.csv" not in by_name
    assert summary.imported == 1
    assert all(SECRET not in f.describe() for f in summary.files)


def test_links_inside_the_folder_are_followed_once(tmp_path, real_data_dir):
    folder = _folder(tmp_path, real_data_dir)
    (folder / "sub").mkdir()
    os.symlink(folder / "run.fit", folder / "sub" / "again.fit")
    os.symlink(folder, folder / "sub" / "loop")  # a loop back to the top
    walk = walk_folder(folder, lambda p: p.name.endswith(".fit"))
    assert sorted(p.name for p in walk.files) == ["again.fit", "run.fit"]
    assert walk.skipped == []


def test_a_named_folder_that_is_a_link_is_walked(tmp_path, real_data_dir):
    folder = _folder(tmp_path, real_data_dir)
    os.symlink(folder, tmp_path / "alias")
    walk = walk_folder(tmp_path / "alias", lambda p: p.name.endswith(".fit"))
    assert [p.name for p in walk.files] == ["run.fit"]


def test_a_pipe_named_like_a_workout_is_skipped_not_read(store, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    os.mkfifo(folder / "stuck.fit")
    summary = import_paths(store, None, [folder], RULESET)  # would hang if the pipe were opened for reading
    [outcome] = summary.files
    assert outcome.status == "failed" and "not a regular file" in outcome.reason


def test_a_named_pipe_given_directly_is_refused(store, tmp_path):
    os.mkfifo(tmp_path / "stuck.gpx")
    [outcome] = import_paths(store, None, [tmp_path / "stuck.gpx"], RULESET).files
    assert outcome.status == "failed"  # and the import returned: the pipe was never opened for reading


def test_csv_header_error_does_not_print_the_file(runner, tmp_path, outside):
    from coach.cli.main import cli

    assert runner.invoke(cli, ["init", "--name", "Ana"]).exit_code == 0
    named = tmp_path / "users.csv"
    os.symlink(outside / "passwd", named)  # named on the command line: read, but never quoted
    result = runner.invoke(cli, ["import", str(named)])
    assert result.exit_code == 1
    assert "unknown column 1 (a name of 31 characters, not shown)" in result.output
    assert "root" not in result.output


def test_a_real_column_name_is_still_quoted(tmp_path):
    from coach.engine.errors import InvalidInput
    from coach.storage.csvfile import read_csv

    path = tmp_path / "runs.csv"
    path.write_text("date,distanse\n2026-11-01,5km\n")
    with pytest.raises(InvalidInput, match=r"runs.csv:1: unknown column 'distanse'"):
        read_csv(path)


def _swap_on_read(folder, name, make):
    """An `on_files` hook, called after the folder is walked and before any file is read:
    `make` builds the new entry beside the file, which then replaces it in one rename (the
    old file still exists then, so the new one cannot reuse its inode)."""
    def swap(_count):
        new = folder / (name + ".new")
        make(new)
        os.replace(new, folder / name)
    return swap


def test_a_file_swapped_for_a_link_after_the_walk_is_not_read(store, real_data_dir, tmp_path):
    """The folder is checked, then someone who can write to it swaps a checked file for a
    link to a workout file outside: the read opens with O_NOFOLLOW and refuses it."""
    from coach.storage.readers.safety import CHANGED

    folder = _folder(tmp_path, real_data_dir)
    shutil.copy(real_data_dir / "gpx" / "tomtom-run.gpx", folder / "morning.gpx")
    elsewhere = tmp_path / "elsewhere.gpx"
    shutil.copy(real_data_dir / "gpx" / "strava-run-hr-cad.gpx", elsewhere)
    hook = _swap_on_read(folder, "morning.gpx", lambda path: os.symlink(elsewhere, path))
    summary = import_paths(store, None, [folder], RULESET, on_files=hook)
    by_name = {f.path.name: f for f in summary.files}
    assert os.path.islink(folder / "morning.gpx")
    assert (by_name["morning.gpx"].status, by_name["morning.gpx"].reason) == ("failed", CHANGED)
    assert by_name["run.fit"].status == "imported" and summary.imported == 1


def test_a_file_swapped_for_another_file_after_the_walk_is_not_read(store, real_data_dir, tmp_path):
    from coach.storage.readers.safety import CHANGED

    folder = _folder(tmp_path, real_data_dir)
    shutil.copy(real_data_dir / "gpx" / "tomtom-run.gpx", folder / "morning.gpx")
    other = real_data_dir / "gpx" / "strava-run-hr-cad.gpx"
    hook = _swap_on_read(folder, "morning.gpx", lambda path: shutil.copy(other, path))
    summary = import_paths(store, None, [folder], RULESET, on_files=hook)
    by_name = {f.path.name: f for f in summary.files}
    assert (by_name["morning.gpx"].status, by_name["morning.gpx"].reason) == ("failed", CHANGED)


def test_a_link_inside_the_folder_is_read_at_its_checked_target(store, real_data_dir, tmp_path):
    folder = _folder(tmp_path, real_data_dir)
    (folder / "runs").mkdir()
    shutil.copy(real_data_dir / "gpx" / "tomtom-run.gpx", folder / "runs" / "morning.gpx")
    os.symlink(folder / "runs" / "morning.gpx", folder / "latest.gpx")
    summary = import_paths(store, None, [folder], RULESET)
    by_name = {f.path.name: f for f in summary.files}
    assert by_name["latest.gpx"].status in {"imported", "duplicate"} or by_name["morning.gpx"].status == "imported"
    assert summary.imported == 2 and not any(f.status == "failed" for f in summary.files)


def test_read_limited_with_a_checked_identity_refuses_a_link(tmp_path):
    from coach.storage.readers.activity import UnreadableFile
    from coach.storage.readers.safety import CHANGED, read_limited

    real = tmp_path / "a.gpx"
    real.write_bytes(b"<gpx/>")
    info = os.stat(real)
    assert read_limited(real, checked=(info.st_dev, info.st_ino)) == b"<gpx/>"
    link = tmp_path / "b.gpx"
    os.symlink(real, link)
    assert read_limited(link) == b"<gpx/>"  # a file named by the user may be a link
    with pytest.raises(UnreadableFile, match="swapped for a link"):
        read_limited(link, checked=(info.st_dev, info.st_ino))
    assert CHANGED.endswith("not read")
