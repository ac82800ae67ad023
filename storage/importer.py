"""The import use case: watch files and folders -> workouts in the log, once each.

    summary = import_paths(store, "Ana", [Path("~/Downloads/run.fit"), Path("export/")],
                           settings=ImportSettings.load(rules_dir))

For each file, in order: read its bytes, detect the format by content, parse it into
activities (one per session: a triathlon file gives a swim, a ride and a run), map each
to a Workout, name its kind when the file does not (``classify.yml``; stored as
*inferred*), look for a form break in its laps (P8), skip it when the log already has it,
and store it. Each file is ONE transaction: a file either adds all its new workouts or
nothing, and a bad file never stops the others.

Duplicates: a workout's dedupe key is its sport and start time (UTC) rounded to the
minute, so the same activity exported as FIT, GPX and TCX (or re-exported, or the same
file imported twice) is stored once; a start one minute either side also counts, for
exports whose first point is a second off. Files whose only clock is local time (old
devices) use the local start instead. The file's SHA-256 is kept in the workout's
``source`` ("fit:<hash>") for provenance.

CSV files go to the CSV reader (`coach.storage.csvfile`) in their own transaction.
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
class ImportSettings:
    """The numbers an import needs from the rule set: classify.yml and the form drift."""

    classify: Any  # coach.engine.classify.ClassifyConfig
    form_drift_pct: float

    @classmethod
    def of(cls, ruleset: Any) -> "ImportSettings":
        """The import numbers of a loaded (validated) rule set: its classify.yml and its
        settings.yml `facts.form_drift_pct`, the same threshold the facts use."""
        from coach.engine.classify import load_classify

        return cls(load_classify(ruleset.directory), float(ruleset.settings.facts.form_drift_pct))

    @classmethod
    def load(cls, rules_dir: Path | str | None = None) -> "ImportSettings":
        """Load and validate the rule set in `rules_dir` (None: the built-in rules), then `of`.

        :raises RuleSetInvalid: problems in the rule set, each as file:line: message
        :raises InvalidInput: a problem in classify.yml (file:line: message)
        """
        from coach.engine.rules import load_ruleset

        return cls.of(load_ruleset(Path(rules_dir) if rules_dir is not None else None))


# --- files ------------------------------------------------------------------------------


def _is_watch_name(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(WATCH_SUFFIXES) and not name.startswith(".")


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome], int]:
    """Files to import (folders walked recursively, in name order), missing paths as
    failures, and the number of other files found in folders."""
    files: list[Path] = []
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
        elif path.is_file():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                files.append(path)
        else:
            missing.append(FileOutcome(path, "failed", reason="no such file or folder"))
    return files, missing, ignored


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


# --- the use case -----------------------------------------------------------------------


def prepare(workout: Workout, paces: Any | None, settings: ImportSettings) -> Workout:
    """Name the kind (when the file did not) and mark a form break in the laps."""
    from coach.engine.classify import classify
    from coach.engine.form import detect_form_break

    update: dict[str, Any] = {}
    kind = workout.kind
    if kind is None:
        kind, _ = classify(workout, paces, settings.classify)
        update.update(kind=kind, kind_inferred=True)
    form = settings.classify.form
    if workout.reps and kind in form.kinds and workout.form_broke_at is None:
        brk = detect_form_break(workout.reps, settings.form_drift_pct,
                                cadence_drop_pct=form.cadence_drop_pct, work_pace_pct=form.work_pace_pct)
        if brk is not None:
            update["form_broke_at"] = brk.rep
            update["notes"] = f"Form: {brk.describe()} (found in the laps on import)."
    return workout.model_copy(update=update) if update else workout


def import_paths(
    store: Any,
    athlete_name: str | None,
    paths: Sequence[Path],
    settings: ImportSettings,
    *,
    skip_bad_csv_lines: bool = False,
    progress: Callable[[FileOutcome], None] | None = None,
    on_files: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import watch files (FIT, GPX, TCX, gzipped or not), CSV files and folders of them.

    :param store: the store (`coach.storage.open_store`): one unit of work per file
    :param athlete_name: whose log (None: the only athlete)
    :param paths: files and folders (walked recursively)
    :param settings: classify.yml and the form drift threshold (`ImportSettings.load`)
    :param skip_bad_csv_lines: import a CSV's good lines when some are bad
    :param progress: called after each file with its outcome
    :param on_files: called once with the number of files about to be read
    :raises NotFound / InvalidInput: no such athlete (nothing is read then)
    """
    from coach.engine.paces import paces_for

    with store.unit_of_work() as uow:
        athlete: Athlete = uow.athletes.resolve(athlete_name)
        logged = uow.workouts.list(athlete.id)
        seen = uow.workouts.dedupe_keys(athlete.id)
    paces, _ = paces_for(athlete, logged)
    files, missing, ignored = expand_paths(paths)
    summary = ImportSummary(athlete=athlete.name, ignored=ignored)
    if on_files is not None:
        on_files(len(files) + len(missing))
    for outcome in missing:
        summary.files.append(outcome)
        if progress is not None:
            progress(outcome)
    for path in files:
        outcome = _import_file(store, athlete, path, seen, paces, settings, skip_bad_csv_lines)
        summary.files.append(outcome)
        if progress is not None:
            progress(outcome)
    return summary


def _import_file(store, athlete: Athlete, path: Path, seen: set[str], paces, settings: ImportSettings,
                 skip_bad_csv_lines: bool) -> FileOutcome:
    from coach.storage.readers import read_activity_file, unexpected_failure
    from coach.storage.readers.detect import CSV, detect
    from coach.storage.readers.safety import read_limited

    try:
        data = read_limited(path)
        fmt, _ = detect(data, path)
        if fmt == CSV:
            return _import_csv(store, athlete, path, seen, skip_bad_csv_lines)
        content = read_activity_file(path, data)
    except CoachError as exc:
        return FileOutcome(path, "failed", reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - one file's reader failing never stops the others
        return FileOutcome(path, "failed", reason=unexpected_failure(None, exc))
    source = f"{content.format}:{hashlib.sha256(data).hexdigest()[:32]}"
    outcome = FileOutcome(path, "imported", format=content.format, warnings=list(content.warnings))
    added_keys: list[str] = []
    try:
        with store.unit_of_work() as uow:
            for activity in content.activities:
                keys = dedupe_keys(activity.sport.value, activity.start_utc, activity.local_start)
                if any(k in seen for k in keys):
                    outcome.duplicates += 1
                    continue
                workout = activity.to_workout(source).model_copy(update={"dedupe_key": keys[0] if keys else None})
                workout = prepare(workout, paces, settings)
                outcome.imported.append(uow.workouts.add(athlete.id, workout))
                if keys:
                    seen.add(keys[0])
                    added_keys.append(keys[0])
            uow.commit()
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others; nothing of it is kept
        seen.difference_update(added_keys)
        reason = str(exc) if isinstance(exc, CoachError) else f"could not be stored: {type(exc).__name__}: {exc}"
        return FileOutcome(path, "failed", format=content.format, reason=reason.splitlines()[0])
    if not outcome.imported:
        outcome.status = "duplicate"
    return outcome


def _import_csv(store, athlete: Athlete, path: Path, seen: set[str], skip_bad: bool) -> FileOutcome:
    from coach.storage.csvfile import read_csv

    content = read_csv(path)
    problems = [f"line {p.line}: {p.message}" for p in content.problems]
    if problems and not skip_bad:
        more = f" (and {len(problems) - 1} more bad lines)" if len(problems) > 1 else ""
        raise InvalidInput(f"{problems[0]}{more}; nothing imported from this file")
    outcome = FileOutcome(path, "imported", format="csv", warnings=[f"skipped {p}" for p in problems])
    added: list[str] = []
    try:
        with store.unit_of_work() as uow:
            for _, workout in content.workouts:
                if workout.dedupe_key is not None and workout.dedupe_key in seen:
                    outcome.duplicates += 1
                    continue
                outcome.imported.append(uow.workouts.add(athlete.id, workout))
                if workout.dedupe_key is not None:
                    seen.add(workout.dedupe_key)
                    added.append(workout.dedupe_key)
            uow.commit()
    except CoachError as exc:
        seen.difference_update(added)
        return FileOutcome(path, "failed", format="csv", reason=str(exc))
    if not outcome.imported and outcome.duplicates:
        outcome.status = "duplicate"
    return outcome
