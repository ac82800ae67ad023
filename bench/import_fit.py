"""Benchmark: importing 200 FIT files, against the bare fitdecode parse of the same files.

The 200 files are copies (under new names, in a temp folder) of the real FIT files in
the test data, `tests/data/real/fit/`. Copies of one activity
would be skipped as duplicates after the first, so the copies are spread over athletes:
25 athletes each import one full set of the 8 files (the triathlon file gives 3 workouts),
so every file is parsed, classified, form-checked, deduplicated and stored for real.

Figures, from the same run:
* bare: fitdecode.FitReader over every file, every frame (the parsing library alone);
* ours: `coach.service.importing.import_paths` for each athlete's folder into a fresh SQLite
  store (hashing, format detection, parsing, mapping, classification, dedupe, one
  transaction per file);
* ratio = ours / bare; target at most 1.5.

Each figure is the median of `--runs` runs (default 3), bare and ours alternating.

    python bench/import_fit.py [--runs 3] [--files 200]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def real_fit_dir() -> Path:
    return HERE.parent / "tests" / "data" / "real" / "fit"


def make_files(src: Path, dest: Path, count: int) -> list[list[Path]]:
    """Copies of the real FIT files, one folder per athlete, `count` files in all."""
    originals = sorted(src.glob("*.fit"))
    if not originals:
        raise SystemExit(f"no FIT files in {src}")
    folders: list[list[Path]] = []
    made = 0
    athlete = 0
    while made < count:
        folder = dest / f"athlete-{athlete:03d}"
        folder.mkdir(parents=True)
        files = []
        for original in originals:
            if made == count:
                break
            copy = folder / f"{made:04d}-{original.name}"
            shutil.copyfile(original, copy)
            files.append(copy)
            made += 1
        folders.append(files)
        athlete += 1
    return folders


def bare(files: list[Path]) -> float:
    import fitdecode

    t0 = time.perf_counter()
    for f in files:
        with fitdecode.FitReader(str(f)) as reader:
            for _ in reader:
                pass
    return time.perf_counter() - t0


def ours(folders: list[list[Path]], db: Path) -> tuple[float, int]:
    from coach.engine.model import Athlete
    from coach.storage import open_store
    from coach.service.rulesets import read_rule_set
    from coach.service.importing import import_paths

    db.unlink(missing_ok=True)
    with open_store(str(db)) as store:
        with store.unit_of_work() as uow:
            for i in range(len(folders)):
                uow.athletes.add(Athlete(name=f"athlete-{i:03d}"))
            uow.commit()
        t0 = time.perf_counter()
        ruleset = read_rule_set(None)
        imported = 0
        for i, files in enumerate(folders):
            summary = import_paths(store, f"athlete-{i:03d}", files, ruleset)
            if summary.failed or summary.duplicates:
                raise SystemExit(f"benchmark data problem: {summary.headline()}")
            imported += summary.imported
        return time.perf_counter() - t0, imported


def run(report=None, runs: int = 3, count: int = 200) -> dict:
    """Measure and return the figures; `report(name, value)` is called for each when given."""
    with tempfile.TemporaryDirectory(prefix="coach-bench-import-") as tmp:
        folders = make_files(real_fit_dir(), Path(tmp) / "files", count)
        files = [f for fs in folders for f in fs]
        bare_times, our_times, workouts = [], [], 0
        for _ in range(runs):
            bare_times.append(bare(files))
            t, workouts = ours(folders, Path(tmp) / "bench.db")
            our_times.append(t)
    result = {
        "files": len(files),
        "athletes": len(folders),
        "workouts": workouts,
        "bare_parse_s": round(statistics.median(bare_times), 3),
        "import_s": round(statistics.median(our_times), 3),
    }
    result["ratio"] = round(result["import_s"] / result["bare_parse_s"], 3)
    result["target_ratio"] = 1.5
    if report is not None:
        for key, value in result.items():
            report(f"import_fit.{key}", value)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args(argv)
    r = run(runs=args.runs, count=args.files)
    print(f"import {r['files']} FIT files ({r['workouts']} workouts, {r['athletes']} athletes)")
    print(f"  bare fitdecode parse : {r['bare_parse_s']:8.2f} s")
    print(f"  coach import         : {r['import_s']:8.2f} s")
    print(f"  ratio                : {r['ratio']:8.2f}x  (target <= {r['target_ratio']}x)")
    return 0 if r["ratio"] <= r["target_ratio"] else 1


if __name__ == "__main__":
    sys.exit(main())
