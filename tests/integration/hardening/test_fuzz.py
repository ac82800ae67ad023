"""Issue 17: a bounded, seeded fuzz of the three ways hostile input comes in (command-line
values, watch files, rule files). Each case must end in a clear one-line message or a
success: never a traceback, never a half-written store. About ten seconds in all; the seed
is fixed so a failure reproduces (COACH_FUZZ_SEED changes it for a longer local hunt)."""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest

from coach.cli.main import cli

SEED = int(os.environ.get("COACH_FUZZ_SEED", "17"))
ROUNDS = int(os.environ.get("COACH_FUZZ_ROUNDS", "1"))

NASTY = ["", " ", "0", "-1", "1e20", "1e400", "-1e400", "NaN", "inf", "-inf", "9" * 40, "0001-01-01",
         "9999-12-31", "2026-02-30", "[/]", "[bold]x", "\x1b[2J", "a\x00b", "a\nBcc: e@x.org", "%s%n",
         "x" * 5000, "1:2:3:4", "99:99", "100000000000000000:00:00", "--", "💥", "../../etc/passwd",
         "abc", "12km", "-5km", "5 parsecs", "3:00/km", "1,2,3", ",,,", "true", "null"]


def is_clean(result) -> bool:
    """Exit 0, or a click/usage error: SystemExit only, never another exception."""
    return result.exception is None or isinstance(result.exception, SystemExit)


def one_line(result) -> None:
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert result.exit_code == 0 or len(errors) == 1, result.output


@pytest.fixture
def db(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    assert runner.invoke(cli, ["--db", url, "init", "--name", "Ana"]).exit_code == 0
    return url


def count(runner, db) -> int:
    result = runner.invoke(cli, ["--db", db, "history", "--since", "all", "--json"])
    assert result.exit_code == 0, result.output
    return len(json.loads(result.output)["workouts"])


# --- command-line values ------------------------------------------------------------------

LOG_OPTIONS = ["--date", "--distance", "--duration", "--elapsed", "--rpe", "--avg-hr", "--max-hr", "--cadence",
               "--soreness", "--sleep", "--splits", "--rep-distance", "--target-pace", "--rep-hr",
               "--form-broke-at", "--notes", "--kind", "--sport", "--start"]
OTHER = [(["next", "--date"], None), (["plan", "--date"], None), (["plan", "--days"], None),
         (["history", "--since"], None), (["history", "--until"], None), (["why", "--date"], None),
         (["export", "--ics", "-", "--days"], None), (["export", "--ics", "-", "--date"], None),
         (["trends", "--date"], None), (["email", "--dry-run", "--to"], None),
         (["athlete", "set", "--recent-race"], None), (["athlete", "set", "--email"], None),
         (["athlete", "set", "--rest-day"], None), (["athlete", "set", "--race-date"], None)]


def test_fuzz_command_line_values(runner, db):
    rng = random.Random(SEED)
    for _ in range(60 * ROUNDS):
        if rng.random() < 0.6:
            before = count(runner, db)
            args = ["log", "--date", "2026-11-20", "--distance", "5km", "--duration", "25:00"]
            for option in rng.sample(LOG_OPTIONS, rng.randint(1, 3)):
                args += [option, rng.choice(NASTY)]
            result = runner.invoke(cli, ["--db", db, *args])
            assert is_clean(result), (args, result.exception)
            one_line(result)
            after = count(runner, db)
            assert after == before + (1 if result.exit_code == 0 else 0), args  # nothing half-written
        else:
            prefix, _ = rng.choice(OTHER)
            args = [*prefix, rng.choice(NASTY)]
            result = runner.invoke(cli, ["--db", db, *args])
            assert is_clean(result), (args, repr(result.exception))
            one_line(result)
            assert "\x1b" not in result.output


CSV_HEADER = ["date", "start_time", "sport", "kind", "distance", "duration", "rpe", "avg_hr", "splits",
              "rep_distance", "rep_hr", "notes"]
CSV_ROW = ["2026-11-{day:02d}", "07:30", "run", "intervals", "8km", "40:00", "7", "150", "3:05,3:06",
           "800m", "160,165", "fine"]


def test_fuzz_csv_files(runner, db, tmp_path):
    """CSV files of three lines with nasty cells: all three lines are imported, or none (the
    first bad line is the one-line error naming its line and field)."""
    import csv
    import io

    rng = random.Random(SEED)
    for n in range(25 * ROUNDS):
        rows = [[cell.format(day=1 + (3 * n + i) % 28) for cell in CSV_ROW] for i in range(3)]
        for _ in range(rng.randint(1, 3)):
            rows[rng.randrange(3)][rng.randrange(len(CSV_HEADER))] = rng.choice(NASTY)
        out = io.StringIO()
        csv.writer(out).writerows([CSV_HEADER, *rows])
        path = tmp_path / f"fuzz{n}.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        before = count(runner, db)
        result = runner.invoke(cli, ["--db", db, "import", str(path)])
        assert is_clean(result), (rows, repr(result.exception))
        one_line(result)
        added = count(runner, db) - before
        if result.exit_code == 0:
            assert added <= 3  # duplicates of earlier rounds are skipped, the rest added
        else:
            assert added == 0 and f"fuzz{n}.csv:" in result.output, result.output  # nothing half-written


# --- watch files --------------------------------------------------------------------------


def test_fuzz_watch_files(runner, db, tmp_path, real_data_dir):
    """Truncations and bit flips of the real files, imported as a folder: every file gets one
    outcome line, the command ends with a summary, and whatever was stored reads back."""
    rng = random.Random(SEED)
    sources = sorted(p for kind in ("fit", "gpx", "tcx") for p in (real_data_dir / kind).iterdir()
                     if p.stat().st_size < 160_000)
    folder = tmp_path / "fuzzed"
    folder.mkdir()
    made = 0
    for i in range(30 * ROUNDS):
        source = rng.choice(sources)
        data = bytearray(source.read_bytes())
        how = rng.choice(["truncate", "flip", "flips", "zero"])
        if how == "truncate":
            data = data[: rng.randrange(0, len(data))]
        elif how == "zero":
            start = rng.randrange(len(data))
            data[start:start + 64] = bytes(len(data[start:start + 64]))
        else:
            for _ in range(1 if how == "flip" else 8):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        (folder / f"{i:03d}-{how}{source.suffix}").write_bytes(bytes(data))
        made += 1
    result = runner.invoke(cli, ["--db", db, "import", str(folder)])
    assert is_clean(result), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.split(" ", 1)[0] in ("imported", "failed",
                                                                                        "duplicate")]
    assert len(lines) == made, result.output
    assert "Traceback" not in result.output
    history = runner.invoke(cli, ["--db", db, "history", "--since", "all", "--json"])
    assert history.exit_code == 0, history.output  # nothing stored that cannot be read back
    json.loads(history.output)


# --- rule files ---------------------------------------------------------------------------

VALUES = ["2026-02-30", "1e400", "-1", "999999999999999999999", "{a: 1}", "[1, [2, [3]]]", "''", "null",
          "'" + "(" * 500 + "x" + ")" * 500 + "'", "\"[/]\"", "!!binary AAAA", "&a x", "*a", "~", "yes", "0x1F",
          "'" + " or ".join("plan.kind == \"easy\"" for _ in range(600)) + "'"]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.randrange(len(lines))
    how = rng.choice(["value", "value", "value", "drop", "dup", "indent", "chars"])
    line = lines[i]
    if how == "value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[i] = f"{key}: {rng.choice(VALUES)}"
    elif how == "drop":
        del lines[i]
    elif how == "dup":
        lines.insert(i, line)
    elif how == "indent":
        lines[i] = " " * rng.choice([1, 3, 7]) + line
    else:
        pos = rng.randrange(len(line) + 1)
        lines[i] = line[:pos] + rng.choice(["[", "]", "{", "}", ":", "-", "'", "\"", "#", "&", "*", "!"]) + line[pos:]
    return "\n".join(lines) + "\n"


def test_fuzz_rule_files(runner, db, tmp_path):
    """Mutated copies of the built-in rule set: `coach rules check` either accepts one or lists
    file:line problems; a set it accepts also proposes (`coach next`) without a traceback."""
    from coach.engine.rules import builtin_dir

    rng = random.Random(SEED)
    # the files a proposal reads; scenario files (`coach rules test`) are checked, never proposed from
    files = sorted(p.relative_to(builtin_dir()) for p in builtin_dir().rglob("*.yml")
                   if p.relative_to(builtin_dir()).parts[0] != "scenarios")
    for n in range(30 * ROUNDS):
        target = tmp_path / f"rules{n}"
        shutil.copytree(builtin_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
        for _ in range(rng.randint(1, 2)):
            path = target / rng.choice(files)
            path.write_text(_mutate(path.read_text(), rng))
        checked = runner.invoke(cli, ["rules", "check", "--rules", str(target)])
        assert is_clean(checked), (n, repr(checked.exception))
        assert checked.exit_code in (0, 1), checked.output
        if checked.exit_code == 1:
            problems = [line for line in checked.output.splitlines() if line.startswith(str(target))]
            assert problems, checked.output
            assert all(":" in line.removeprefix(str(target)) for line in problems)
        proposed = runner.invoke(cli, ["--db", db, "next", "--date", "2026-11-20", "--rules", str(target)])
        assert is_clean(proposed), (n, repr(proposed.exception))
        assert (proposed.exit_code == 0) == (checked.exit_code == 0), (n, checked.output, proposed.output)
