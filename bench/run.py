"""The engine benchmark (`make bench`). Prints a table and writes bench/results/latest.json.

(a) `coach next --json` as a new process for an athlete with one month and with ten years of
    daily history: the ratio (ten years / one month) must stay under 1.2.
(b) the engine alone, in one process, for 1,000 athletes: one set-based read of their fact
    windows (`between_many`), then facts + rules + composition per athlete, one Evaluator:
    proposals per second (target at least 1,000/s).
(c) `coach next --json` over the bare import of its libraries
    (`python -c "import click, sqlalchemy.orm, pydantic, durable.lang"`): target at most 1.3x.

All three are measured in the same run, medians of several runs; ratios compare figures
from this run only. The databases are built once under bench/results/ and reused.

    python bench/run.py [--runs 9] [--athletes 1000] [--rebuild]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DATA_VERSION = "2"
DAY = "2026-11-19"
BARE_IMPORT = "import click, sqlalchemy.orm, pydantic, durable.lang"

sys.path.insert(0, str(HERE))


def _coach_exe() -> list[str]:
    exe = Path(sys.executable).with_name("coach")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "coach.cli"]


def _build(db: Path, athletes: list[tuple[object, list]]) -> None:
    from coach.storage import open_store

    tmp = db.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    with open_store(str(tmp)) as store, store.unit_of_work() as uow:
        for athlete, workouts in athletes:
            a = uow.athletes.add(athlete)
            uow.workouts.add_many(a.id, workouts)
        uow.commit()
    tmp.replace(db)


def databases(rebuild: bool, n_athletes: int) -> dict[str, Path]:
    import datetime as dt

    from histories import athlete, daily_log

    end = dt.date.fromisoformat(DAY)
    RESULTS.mkdir(exist_ok=True)
    dbs = {
        "month": RESULTS / f"bench-month-v{DATA_VERSION}.db",
        "decade": RESULTS / f"bench-decade-v{DATA_VERSION}.db",
        "club": RESULTS / f"bench-club{n_athletes}-v{DATA_VERSION}.db",
    }
    plans = {
        "month": lambda: [(athlete("Month"), daily_log(end, 30))],
        "decade": lambda: [(athlete("Decade"), daily_log(end, 3652))],
        # a club: five sessions a week (two rest days, varying per athlete) over the last twelve weeks
        "club": lambda: [(athlete(f"athlete-{i:05d}", i),
                          daily_log(end, 84, seed=i, rest_weekdays=(i % 7, (i + 3) % 7)))
                         for i in range(n_athletes)],
    }
    for key, db in dbs.items():
        if rebuild or not db.exists():
            t0 = time.perf_counter()
            print(f"building {db.name} ...", file=sys.stderr, flush=True)
            _build(db, plans[key]())
            print(f"  built in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return dbs


def _time_process(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed


def process_figures(dbs: dict[str, Path], runs: int) -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    # Bytecode caches for all three commands in a folder of the benchmark's own (written by the
    # warm-up), as an installed coach has them: with PYTHONDONTWRITEBYTECODE set, coach's own
    # modules would be compiled again by every run and the bare import's would not.
    env = {**os.environ, "COACH_HOME": str(home), "PYTHONPYCACHEPREFIX": str(RESULTS / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("COACH_DATABASE_URL", None)
    env.pop("COACH_RULES", None)
    coach = _coach_exe()
    cmds = {
        "month": [*coach, "next", "--json", "--db", str(dbs["month"]), "--date", DAY],
        "decade": [*coach, "next", "--json", "--db", str(dbs["decade"]), "--date", DAY],
        "bare": [sys.executable, "-c", BARE_IMPORT],
    }
    for cmd in cmds.values():  # warm the OS file cache and the bytecode caches
        _time_process(cmd, env)
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):  # interleaved, so that drift in machine load hits all three alike
        for key, cmd in cmds.items():
            times[key].append(_time_process(cmd, env))
    shutil.rmtree(home, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "runs": runs,
        "next_month_s": med["month"],
        "next_decade_s": med["decade"],
        "bare_import_s": med["bare"],
        "decade_over_month": med["decade"] / med["month"],
        "next_over_bare_import": med["month"] / med["bare"],
        "samples_s": times,
    }


def engine_figures(db: Path, runs: int) -> dict[str, object]:
    import datetime as dt

    from coach.engine.facts import fact_window
    from coach.service.rulesets import read_rule_set
    from coach.engine.rules.evaluator import Evaluator
    from coach.service.propose import athlete_key, facts_for, propose_many
    from coach.storage import open_store

    day = dt.date.fromisoformat(DAY)
    ruleset = read_rule_set(None)
    evaluator = Evaluator(ruleset)
    totals, loads, facts_t, evals = [], [], [], []
    with open_store(str(db)) as store, store.unit_of_work() as uow:
        athletes = uow.athletes.list()
        propose_many(uow, athletes[:20], day, ruleset, evaluator, save=False)  # warm-up
        for _ in range(runs):
            t0 = time.perf_counter()
            proposals = propose_many(uow, athletes, day, ruleset, evaluator, save=False)
            totals.append(time.perf_counter() - t0)
            assert len(proposals) == len(athletes)
        # Where the time goes (one pass each), timed as propose_many runs them: with the
        # cycle collector paused for the batch, so its walks are not charged to one part.
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            logs = uow.workouts.between_many([a.id for a in athletes], *fact_window(day))
            loads.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            all_facts = [facts_for(a, logs[a.id], day, ruleset) for a in athletes]
            facts_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for a, f in zip(athletes, all_facts):
                evaluator.evaluate(athlete_key(a), f)
            evals.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    n = len(athletes)
    total = statistics.median(totals)
    return {
        "athletes": n,
        "workouts_read": sum(len(v) for v in logs.values()),
        "seconds": total,
        "proposals_per_s": n / total,
        "read_between_many_s": loads[0],
        "facts_s": facts_t[0],
        "rules_s": evals[0],
        "compose_and_rest_s": max(total - loads[0] - facts_t[0] - evals[0], 0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per measurement (median)")
    parser.add_argument("--athletes", type=int, default=1000, help="athletes for the engine-alone figure")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the benchmark databases")
    args = parser.parse_args()

    dbs = databases(args.rebuild, args.athletes)
    proc = process_figures(dbs, args.runs)
    eng = engine_figures(dbs["club"], max(3, args.runs // 3))
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "process": proc,
        "engine": eng,
        "targets": {"decade_over_month": "< 1.2", "proposals_per_s": ">= 1000", "next_over_bare_import": "<= 1.3"},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    def ok(flag: bool) -> str:
        return "ok" if flag else "MISSED"

    rows = [
        ("coach next --json, 1 month of daily history", f"{proc['next_month_s'] * 1000:.0f} ms", ""),
        ("coach next --json, 10 years of daily history", f"{proc['next_decade_s'] * 1000:.0f} ms", ""),
        ("  ratio 10 years / 1 month (target < 1.2)", f"{proc['decade_over_month']:.2f}x",
         ok(proc["decade_over_month"] < 1.2)),
        (f"bare import ({BARE_IMPORT})", f"{proc['bare_import_s'] * 1000:.0f} ms", ""),
        ("  ratio coach next / bare import (target <= 1.3)", f"{proc['next_over_bare_import']:.2f}x",
         ok(proc["next_over_bare_import"] <= 1.3)),
        (f"engine alone, {eng['athletes']} athletes ({eng['workouts_read']} workouts read)",
         f"{eng['seconds'] * 1000:.0f} ms", ""),
        ("  proposals per second (target >= 1000)", f"{eng['proposals_per_s']:.0f}/s",
         ok(eng["proposals_per_s"] >= 1000)),
        ("    of which: read (between_many)", f"{eng['read_between_many_s'] * 1000:.0f} ms", ""),
        ("    of which: facts", f"{eng['facts_s'] * 1000:.0f} ms", ""),
        ("    of which: rules (durable_rules)", f"{eng['rules_s'] * 1000:.0f} ms", ""),
        ("    of which: composition and the rest", f"{eng['compose_and_rest_s'] * 1000:.0f} ms", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"coach benchmark, {result['machine']}, Python {result['python']}, medians of {args.runs} runs")
    for name, value, flag in rows:
        print(f"{name:<{width}}  {value:>10}  {flag}")
    print(f"written: {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()
