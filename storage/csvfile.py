"""Workouts from CSV files: coach's own format, and Strava's bulk-export `activities.csv`.

coach's format: a header line, then one line per workout. Column names are the
fields of `coach log` (lower case, `_` or `-`); only `date` is required, any column may
be left out or left empty:

    date,start_time,sport,kind,distance,duration,elapsed,rpe,avg_hr,max_hr,cadence,
    elevation_gain,soreness,sleep,splits,rep_distance,target_pace,rep_hr,form_broke_at,
    notes,dedupe_key

Values are written as on the command line: distances with a unit (`8km`, `5mi`, `400m`),
times as `mm:ss` or `h:mm:ss`, `splits` and `rep_hr` as quoted comma lists
(`"1:28,1:29,1:31"`). Re-importing a file does not duplicate workouts: each row gets a
dedupe key (the `dedupe_key` column, or one made from date, start, sport, kind, distance
and duration).

Strava's `activities.csv` (from "Download your data") is recognised by its
`Activity ID` / `Activity Date` / `Activity Type` columns; see `_strava_row`.

Reading never writes: it returns the workouts with their line numbers, and the problems
(bad lines) with theirs, for the caller to decide.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coach.engine.errors import InvalidInput
from coach.engine.model import Workout
from coach.storage.logbook import WORKOUT_FIELDS, parse_workout
from coach.storage.plausible import check_workout
from coach.storage.readers.activity import UnreadableFile
from coach.storage.readers.detect import gunzip
from coach.storage.readers.safety import MAX_FILE_BYTES, describe_text, read_limited


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class CsvWorkouts:
    """What a CSV file holds: (line, workout) pairs and the lines that could not be read."""

    path: Path
    format: str  # "coach" or "strava"
    workouts: list[tuple[int, Workout]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def describe(self, problem: Problem) -> str:
        return f"{self.path.name}:{problem.line}: {problem.message}"


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each CSV record; multi-line quoted fields keep the first line."""
    # a field is read whole (up to the file's size cap) so that a too-long one is refused by name
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput(f"line {start}: malformed CSV: {exc}") from None
        yield start, row


def read_csv(path: Path, *, today: dt.date | None = None, data: bytes | None = None) -> CsvWorkouts:
    """Read a workouts CSV (coach's format or Strava's activities.csv).

    :param data: the file's bytes, already read (`path` then only names it in messages)

    :raises InvalidInput: for problems with the whole file (unreadable, empty, bad header),
        as '<file>:<line>: <message>'. Bad rows are returned in `.problems` instead.
    """
    path = Path(path)
    name = path.name
    try:
        if data is None:
            if not path.exists():
                raise FileNotFoundError(path)
            if path.is_dir():
                raise IsADirectoryError(path)
            data = read_limited(path)
        if data.startswith(b"\x1f\x8b"):  # runs.csv.gz, or a gzipped file named .csv
            data = gunzip(data)
        text = data.decode("utf-8-sig")
    except UnreadableFile as exc:
        raise InvalidInput(f"{name}: {exc}") from None
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None
    try:
        rows = _rows(text)
        first = next(((n, r) for n, r in rows if any(c.strip() for c in r)), None)
        if first is None:
            raise InvalidInput(f"{name}: the file is empty (expected a header line such as: date,sport,kind,distance,duration,rpe)")
        header_line, header = first
        if {"Activity ID", "Activity Date", "Activity Type"} <= {h.strip() for h in header}:
            result = CsvWorkouts(path=path, format="strava")
            _read_strava(result, header, rows)
        else:
            result = CsvWorkouts(path=path, format="coach")
            _read_coach(result, header_line, header, rows, today)
    except InvalidInput as exc:
        message = str(exc)
        raise InvalidInput(message if message.startswith(name) else f"{name}:{message.removeprefix('line ')}") from None
    return result


def _column(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _read_coach(result: CsvWorkouts, header_line: int, header: list[str], rows, today) -> None:
    columns = [_column(h) for h in header]
    for number, col in enumerate(columns, start=1):
        if col not in WORKOUT_FIELDS:
            # never quote what is not a column name: the file may be any file (a password file)
            raise InvalidInput(
                f"line {header_line}: unknown column {describe_text(col, number)} "
                f"(known: {', '.join(WORKOUT_FIELDS)})"
            )
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise InvalidInput(f"line {header_line}: column {dupes[0]!r} appears twice")
    if "date" not in columns:
        raise InvalidInput(f"line {header_line}: the header has no 'date' column")
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(columns):
            result.problems.append(Problem(line, f"has {len(row)} fields but the header has {len(columns)}"))
            continue
        fields = dict(zip(columns, row))
        try:
            workout = parse_workout(fields, today=today, source="csv")
            check_workout(workout)
        except InvalidInput as exc:
            result.problems.append(Problem(line, str(exc)))
            continue
        if workout.dedupe_key is None:
            workout = workout.model_copy(update={"dedupe_key": _content_key(workout)})
        result.workouts.append((line, workout))


def _content_key(w: Workout) -> str:
    parts = [
        w.date.isoformat(),
        w.start_time.isoformat() if w.start_time else "",
        w.sport.value,
        w.kind.value if w.kind else "",
        f"{w.distance_m:.0f}" if w.distance_m is not None else "",
        f"{w.duration_s:.0f}" if w.duration_s is not None else "",
    ]
    return "csv:" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


# -- Strava -------------------------------------------------------------------------

_STRAVA_SPORT = {
    "run": "run", "trail run": "run", "virtual run": "run", "trailrun": "run", "virtualrun": "run",
    "ride": "bike", "virtual ride": "bike", "virtualride": "bike", "e-bike ride": "bike", "ebikeride": "bike",
    "gravel ride": "bike", "mountain bike ride": "bike", "velomobile": "bike", "handcycle": "bike",
    "swim": "swim", "weight training": "strength", "weighttraining": "strength", "crossfit": "strength",
}
#: Strava's "Workout Type" codes that name a kind: 1 run race, 2 long run, 11 ride race
_STRAVA_KIND = {"1": "race", "2": "long", "11": "race"}


def _read_strava(result: CsvWorkouts, header: list[str], rows) -> None:
    names = [h.strip() for h in header]

    def first(name: str) -> int | None:
        return names.index(name) if name in names else None

    distances = [i for i, n in enumerate(names) if n == "Distance"]
    index = {
        "id": first("Activity ID"),
        "date": first("Activity Date"),
        "name": first("Activity Name"),
        "type": first("Activity Type"),
        "description": first("Activity Description"),
        "elapsed": first("Elapsed Time"),
        "moving": first("Moving Time"),
        "avg_hr": first("Average Heart Rate"),
        "max_hr": first("Max Heart Rate"),
        "elevation": first("Elevation Gain"),
        "rpe": first("Perceived Exertion"),
        "workout_type": first("Workout Type"),
    }
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(names):
            result.problems.append(Problem(line, f"has {len(row)} fields but the header has {len(names)}"))
            continue
        try:
            workout = _strava_row(row, index, distances)
            check_workout(workout)
            result.workouts.append((line, workout))
        except InvalidInput as exc:
            result.problems.append(Problem(line, str(exc)))


def _cell_number(row: list[str], i: int | None, what: str) -> float | None:
    if i is None or not row[i].strip():
        return None
    text = row[i].strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"{what}: cannot read number {row[i]!r}") from None


def _strava_row(row: list[str], index: dict[str, int | None], distances: list[int]) -> Workout:
    """One Strava activity. Times are seconds; with two `Distance` columns (current exports)
    the second is metres, with one it is kilometres. `Activity Date` is UTC; the workout's
    date is that moment in this computer's time zone."""
    from pydantic import ValidationError

    from coach.storage.logbook import describe_validation_error

    def text(key: str) -> str:
        i = index[key]
        return row[i].strip() if i is not None else ""

    activity_id = text("id")
    if not activity_id:
        raise InvalidInput("Activity ID is empty")
    when_text = text("date")
    try:
        start = dt.datetime.strptime(when_text, "%b %d, %Y, %I:%M:%S %p").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise InvalidInput(f"Activity Date: cannot read {when_text!r} (expected e.g. 'Nov 20, 2025, 7:30:00 AM')") from None
    if len(distances) >= 2:
        distance = _cell_number(row, distances[1], "Distance")
    else:
        km = _cell_number(row, distances[0], "Distance") if distances else None
        distance = None if km is None else km * 1000.0
    elapsed = _cell_number(row, index["elapsed"], "Elapsed Time")
    moving = _cell_number(row, index["moving"], "Moving Time")
    avg_hr = _cell_number(row, index["avg_hr"], "Average Heart Rate")
    max_hr = _cell_number(row, index["max_hr"], "Max Heart Rate")
    rpe = _cell_number(row, index["rpe"], "Perceived Exertion")
    kind_code = text("workout_type").split(".")[0]
    name, description = text("name"), text("description")
    notes = " - ".join(p for p in (name, description) if p) or None
    data = {
        "date": start.astimezone().date(),
        "start_time": start,
        "sport": _STRAVA_SPORT.get(text("type").lower(), "cross"),
        "kind": _STRAVA_KIND.get(kind_code),
        "distance_m": distance or None,
        "duration_s": moving or elapsed or None,
        "elapsed_s": elapsed or None,
        "avg_hr": round(avg_hr) if avg_hr else None,
        "max_hr": round(max_hr) if max_hr else None,
        "elevation_gain_m": _cell_number(row, index["elevation"], "Elevation Gain"),
        "rpe": round(rpe) if rpe else None,
        "notes": notes,
        "source": "strava-csv",
        "dedupe_key": f"strava:{activity_id}",
    }
    try:
        return Workout.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc)) from None
