"""The import use case: CSV files, watch files and folders -> workouts in the log, once each.

    summary = import_paths(store, "Ana", [Path("~/Downloads/run.fit"), Path("export/")], ruleset)

Every file takes the same path, whatever its format: read its bytes, detect the format by
content, let the file's reader (`coach.storage.readers`, `coach.storage.csvfile`) turn it
into workouts (a triathlon file gives a swim, a ride and a run; a CSV file one per line),
then for each workout skip it when the log already has it (`add_new`, the one dedupe
routine), name its kind when the file does not (``classify.yml``; stored as *inferred*),
look for a form break in its laps (P8), and store it. Each file is ONE transaction: a file
either adds all its new workouts or nothing, and a bad file never stops the others.

Duplicates: a watch-file workout's dedupe key is its sport and start time (UTC) rounded to
the minute, so the same activity exported as FIT, GPX and TCX (or re-exported, or the same
file imported twice) is stored once; a start one minute either side also counts, for
exports whose first point is a second off. Files whose only clock is local time (old
devices) use the local start instead. The file's SHA-256 is kept in the workout's
``source`` ("fit:<hash>") for provenance. A CSV workout's key is its `dedupe_key` column,
Strava's activity id, or one made from its content (see `coach.storage.csvfile`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from coach.engine.errors import CoachError, InvalidInput
from coach.engine.model import Athlete, Workout
from coach.engine.plausibility import check_workout

#: suffixes a folder walk picks up (files named on the command line are read whatever their name)
WATCH_SUFFIXES = (".fit", ".gpx", ".tcx", ".csv", ".fit.gz", ".gpx.gz", ".tcx.gz", ".csv.gz")

Status = Literal["imported", "duplicate", "failed"]


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: Path
    status: Status
    format: str | None = None
    imported: list[Workout] = field(default_factory=list)
    duplicates: int = 0
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: a CSV file's lines that could not be read: (line, message)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the closing summary."""
        if self.status == "failed":
            return f"{self.path}: {self.reason}"
        if self.status == "duplicate":
            return f"{self.path}: already imported"
        parts = [f"{len(self.imported)} workout{'s' if len(self.imported) != 1 else ''}"]
        if self.duplicates:
            parts.append(f"{self.duplicates} already imported")
        text = f"{self.path}: {', '.join(parts)}"
        return text + "".join(f" (warning: {w})" for w in self.warnings)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "status": self.status,
            "format": self.format,
            "imported": [
                {"date": w.date.isoformat(), "sport": w.sport.value, "kind": w.kind.value if w.kind else None,
                 "kind_inferred": w.kind_inferred, "distance_m": w.distance_m, "duration_s": w.duration_s,
                 "reps": len(w.reps), "form_broke_at": w.form_broke_at}
                for w in self.imported
            ],
            "duplicates": self.duplicates,
            "reason": self.reason,
            "warnings": self.warnings,
        }


@dataclass
class ImportSummary:
    athlete: str
    files: list[FileOutcome] = field(default_factory=list)
    #: files found in folders whose names are not workout files (photos, notes)
    ignored: int = 0

    @property
    def imported(self) -> int:
        return sum(len(f.imported) for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]

    def headline(self) -> str:
        return (f"Imported {self.imported} workout{'s' if self.imported != 1 else ''} for {self.athlete} "
                f"from {len(self.files)} file{'s' if len(self.files) != 1 else ''}: "
                f"{self.duplicates} already imported, {len(self.failed)} failed.")

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "athlete": self.athlete,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "failed": len(self.failed),
            "ignored": self.ignored,
            "files": [f.to_json_dict() for f in self.files],
        }


@dataclass(frozen=True)
class ImportRules:
    """What preparing an imported workout needs from the rule set: classify.yml and the
    form drift threshold."""

    classify: Any  # coach.engine.classify.ClassifyConfig
    form_drift_pct: float

    @classmethod
    def of(cls, ruleset: Any) -> "ImportRules":
        """The import numbers of a loaded (validated) rule set: its classify.yml and its
        settings.yml `facts.form_drift_pct`, the same threshold the facts use."""
        return cls(ruleset.classify, float(ruleset.settings.facts.form_drift_pct))


# --- files ------------------------------------------------------------------------------


def _is_watch_name(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(WATCH_SUFFIXES) and not name.startswith(".")


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome], int,
                                                  dict[Path, tuple[Path, int, int]]]:
    """Files to import (folders walked recursively, in name order), missing paths as
    failures, the number of other files found in folders, and what the walk checked of each
    file found in a folder (`Walk.checked`: the read must find the same file)."""
    files: list[Path] = []
    checked: dict[Path, tuple[Path, int, int]] = {}
    missing: list[FileOutcome] = []
    ignored = 0
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            from coach.storage.readers.walk import walk_folder

            walk = walk_folder(path, _is_watch_name)  # stays inside the folder: no links out of it
            ignored += walk.ignored
            missing += [FileOutcome(p, "failed", reason=why) for p, why in walk.skipped]
            for child in walk.files:
                if child.resolve() not in seen:
                    seen.add(child.resolve())
                    files.append(child)
                    checked[child] = walk.checked[child]
        elif path.is_file():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                files.append(path)
        else:
            missing.append(FileOutcome(path, "failed", reason="no such file or folder"))
    return files, missing, ignored, checked


# --- dedupe -----------------------------------------------------------------------------


def _round_minute(t: dt.datetime) -> dt.datetime:
    return (t + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)


def dedupe_keys(sport: str, start_utc: dt.datetime | None, local_start: dt.datetime | None) -> list[str]:
    """The workout's own key first, then the keys one minute either side."""
    if start_utc is not None:
        t, suffix = _round_minute(start_utc.astimezone(dt.timezone.utc).replace(tzinfo=None)), "Z"
    elif local_start is not None:
        t, suffix = _round_minute(local_start), " local"
    else:
        return []
    return [f"{sport}@{(t + dt.timedelta(minutes=m)):%Y-%m-%dT%H:%M}{suffix}" for m in (0, -1, 1)]


def add_new(uow: Any, athlete_id: int, candidates: Iterable[tuple[list[str], Workout]], seen: set[str],
            prepare_one: Callable[[Workout], Workout] = lambda w: w) -> tuple[list[Workout], int, list[str]]:
    """Add each workout the log does not have yet: the one dedupe routine of every import.

    :param candidates: (dedupe keys, workout) pairs; the first key is the workout's own,
        the others also count as "already there"; no keys: always added
    :param seen: the keys the log (and earlier files of this import) holds; grows
    :param prepare_one: applied to each new workout before it is stored
    :returns: (stored workouts, number already there, keys added to `seen`)
    """
    added: list[Workout] = []
    added_keys: list[str] = []
    duplicates = 0
    try:
        for keys, workout in candidates:
            if any(k in seen for k in keys):
                duplicates += 1
                continue
            added.append(uow.workouts.add(athlete_id, prepare_one(workout)))
            if keys:
                seen.add(keys[0])
                added_keys.append(keys[0])
    except BaseException:
        seen.difference_update(added_keys)  # nothing of this batch is kept
        raise
    return added, duplicates, added_keys


# --- the use case -----------------------------------------------------------------------


def prepare(workout: Workout, paces: Any | None, rules: ImportRules) -> Workout:
    """Name the kind (when the file did not) and mark a form break in the laps."""
    from coach.engine.classify import classify
    from coach.engine.form import detect_form_break

    update: dict[str, Any] = {}
    kind = workout.kind
    if kind is None:
        kind, _ = classify(workout, paces, rules.classify)
        update.update(kind=kind, kind_inferred=True)
    form = rules.classify.form
    if workout.reps and kind in form.kinds and workout.form_broke_at is None:
        brk = detect_form_break(workout.reps, rules.form_drift_pct,
                                cadence_drop_pct=form.cadence_drop_pct, work_pace_pct=form.work_pace_pct)
        if brk is not None:
            update["form_broke_at"] = brk.rep
            update["notes"] = f"Form: {brk.describe()} (found in the laps on import)."
    return workout.model_copy(update=update) if update else workout


def import_paths(
    store: Any,
    athlete_name: str | None,
    paths: Sequence[Path],
    ruleset: Any,
    *,
    skip_bad_csv_lines: bool = False,
    dry_run: bool = False,
    progress: Callable[[FileOutcome], None] | None = None,
    on_files: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import watch files (FIT, GPX, TCX, gzipped or not), CSV files and folders of them.

    :param store: the store (`coach.storage.open_store`): one unit of work per file
    :param athlete_name: whose log (None: the only athlete)
    :param paths: files and folders (walked recursively)
    :param ruleset: the loaded rule set (classify.yml, the form drift threshold)
    :param skip_bad_csv_lines: import a CSV's good lines when some are bad (default: a
        CSV file with a bad line imports nothing; its `bad_lines` say which)
    :param dry_run: do everything but keep nothing
    :param progress: called after each file with its outcome
    :param on_files: called once with the number of files about to be read
    :raises NotFound / InvalidInput: no such athlete (nothing is read then)
    """
    from coach.service.propose import paces_of

    rules = ImportRules.of(ruleset)
    with store.unit_of_work() as uow:
        athlete: Athlete = uow.athletes.resolve(athlete_name)
        logged = uow.workouts.list(athlete.id)
        seen = uow.workouts.dedupe_keys(athlete.id)
    paces = paces_of(athlete, logged, None, ruleset)
    files, missing, ignored, checked = expand_paths(paths)
    summary = ImportSummary(athlete=athlete.name, ignored=ignored)
    if on_files is not None:
        on_files(len(files) + len(missing))
    for outcome in missing:
        summary.files.append(outcome)
        if progress is not None:
            progress(outcome)

    def prepare_one(workout: Workout) -> Workout:
        return prepare(workout, paces, rules)

    for path in files:
        outcome = _import_file(store, athlete, path, seen, prepare_one, skip_bad_csv_lines, dry_run,
                               checked.get(path))
        summary.files.append(outcome)
        if progress is not None:
            progress(outcome)
    return summary


@dataclass
class _Read:
    """A file's workouts as (dedupe keys, workout) pairs, ready for `add_new`."""

    format: str
    candidates: list[tuple[list[str], Workout]]
    warnings: list[str] = field(default_factory=list)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)


def _read(path: Path, data: bytes) -> _Read:
    """Turn one file into workouts with the reader its content calls for.

    :raises CoachError: the file cannot be read (one-line reason)
    """
    from coach.storage.readers import read_activity_file
    from coach.storage.readers.detect import CSV, detect

    fmt, _ = detect(data, path)
    if fmt == CSV:
        from coach.storage.csvfile import read_csv

        content = read_csv(path, data=data)  # the bytes read once, not the name again
        bad_lines = [(p.line, p.message) for p in content.problems]
        good = []
        for line, w in content.workouts:
            try:  # what cannot be true is a bad line (coach.engine.plausibility)
                check_workout(w, dt.date.today())
            except InvalidInput as exc:
                bad_lines.append((line, str(exc)))
            else:
                good.append(w)
        return _Read("csv", [([w.dedupe_key] if w.dedupe_key is not None else [], w) for w in good],
                     bad_lines=sorted(bad_lines))
    activities = read_activity_file(path, data)
    source = f"{activities.format}:{hashlib.sha256(data).hexdigest()[:32]}"
    candidates = []
    for activity in activities.activities:
        keys = dedupe_keys(activity.sport.value, activity.start_utc, activity.local_start)
        workout = activity.to_workout(source).model_copy(update={"dedupe_key": keys[0] if keys else None})
        candidates.append((keys, workout))
    return _Read(activities.format, candidates, warnings=list(activities.warnings))


def _import_file(store, athlete: Athlete, path: Path, seen: set[str], prepare_one: Callable[[Workout], Workout],
                 skip_bad_lines: bool, dry_run: bool,
                 checked: tuple[Path, int, int] | None = None) -> FileOutcome:
    from coach.storage.readers import unexpected_failure
    from coach.storage.readers.safety import read_limited

    try:
        if checked is None:  # a file named by the user
            data = read_limited(path)  # a regular file within the size cap, never a pipe
        else:  # found in a folder: the very file the walk checked, not a link swapped in since
            opened, device, inode = checked
            data = read_limited(opened, checked=(device, inode))
        content = _read(path, data)
    except CoachError as exc:
        return FileOutcome(path, "failed", reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - one file's reader failing never stops the others
        return FileOutcome(path, "failed", reason=unexpected_failure(None, exc))
    bad = [f"line {line}: {message}" for line, message in content.bad_lines]
    if bad and not skip_bad_lines:
        more = f" (and {len(bad) - 1} more bad lines)" if len(bad) > 1 else ""
        return FileOutcome(path, "failed", format=content.format, bad_lines=content.bad_lines,
                           reason=f"{bad[0]}{more}; nothing imported from this file")
    outcome = FileOutcome(path, "imported", format=content.format, bad_lines=content.bad_lines,
                          warnings=content.warnings + [f"skipped {b}" for b in bad])
    added_keys: list[str] = []
    try:
        with store.unit_of_work() as uow:
            outcome.imported, outcome.duplicates, added_keys = add_new(
                uow, athlete.id, content.candidates, seen, prepare_one)
            if not dry_run:
                uow.commit()
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others; nothing of it is kept
        seen.difference_update(added_keys)
        reason = str(exc) if isinstance(exc, CoachError) else f"could not be stored: {type(exc).__name__}: {exc}"
        return FileOutcome(path, "failed", format=content.format, reason=reason.splitlines()[0])
    if not outcome.imported and outcome.duplicates:
        outcome.status = "duplicate"
    return outcome
