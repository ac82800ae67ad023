"""The nightly email benchmark (issue 18): `coach email --all` at club scale, end to end.

For each club (`--club`: "varied", a night of mixed sessions with their FIT workouts, and
"rest", the club of the first measurement, whose every athlete rests that night: see
`club_member`), each club size N (default 100, 1,000 and 10,000) and each store (SQLite,
and PostgreSQL in a private schema dropped afterwards): a store of N athletes with eight
weeks of daily history each, built with the project's own API (`athletes.add`, `workouts.add_many`; the
SQLite files are kept under bench/results/ and reused), a local SMTP sink in a process of its
own (aiosmtpd, its port chosen when it binds), and in the same run, each phase in a new
process so that its peak memory is its own:

- engine alone: `propose_many` for all N athletes in batches of 1,000, nothing saved (the ceiling);
- end to end in one process: `email_day` over `SmtpSender` (claims, proposals, the message with
  its .ics and FIT workout as `coach email` composes it, SMTP, records), every athlete sent
  once: athletes per second and milliseconds per athlete;
- end to end as cron runs it: `coach email --all` as a new process, --workers 1 and 2;
- peak memory: the resident set's peak (ru_maxrss) of each phase's process, and how much it
  grew over the same process just before the run (store open, rules loaded);
- CPU milliseconds per athlete of the engine, of the delivery and of the SMTP sink (a busy
  machine stretches the wall clock, much less the CPU time);
- with --queue, on PostgreSQL: `coach email --all --queue` then `coach worker --once` with 1
  and 2 worker processes, queueing and start-up included;
- with --profile, at the largest size, a second in-process run under cProfile: its top costs
  by own time.

The figure before this work was about 20 athletes/s on the rest club (one TLS context and one
SMTP connection per email, one athlete at a time); the target is at least 10x that, flat in N.

    python bench/nightly_email.py [--quick] [--athletes 100 1000 10000] [--stores sqlite postgres]
                                  [--club varied rest] [--pg-url URL] [--profile] [--cli-workers 1 2]
                                  [--queue]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DAY = dt.date(2026, 11, 19)
DATA_VERSION = "3"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENGINE_BATCH = 1000
sys.path.insert(0, str(HERE))

_SINK = """
import sys, time
from aiosmtpd.controller import Controller

class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"

class AnyPort(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()

c = AnyPort(Sink(), hostname="127.0.0.1", port=0)
c.start()
print(c.port, flush=True)
sys.stdin.read()
c.stop()
"""


def _sink() -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-c", _SINK], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return proc, int(proc.stdout.readline())


def _cpu_of(pid: int) -> float:
    """The CPU seconds (user + system) a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb() -> float:
    """This process's peak resident set so far, in MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- building the stores -------------------------------------------------------------


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def club_member(i: int, club: str = "varied") -> tuple[object, list[object]]:
    """Athlete i of a club and their eight weeks of history.

    - "varied", as a club is: the rest day by i (the log has none on it), a 5K race 5 to 54
      days ago, a log that ends yesterday or one or two days earlier. On DAY the club is
      proposed a mix of sessions (about half intervals, a fifth easy, a fifth rest, the rest
      time trials; two adaptations in three proposals): full messages with a FIT workout.
    - "rest", the club of the issue's first measurement: every athlete trains every day with
      no rest day and no race date, and on DAY every one of them is proposed a rest day: short
      messages, no FIT workout.
    """
    from histories import athlete as rest_club_athlete, daily_log

    from coach.engine.model import Athlete

    if club == "rest":
        member = rest_club_athlete(f"Athlete {i:05d}", seed=i)
        member.email = f"a{i:05d}@example.org"
        return member, daily_log(DAY, 56, seed=i)
    rest = i % 7
    member = Athlete(name=f"Athlete {i:05d}", email=f"a{i:05d}@example.org", rest_days=[_WEEKDAYS[rest]],
                     recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1140 + i % 240,
                                    "date": DAY - dt.timedelta(days=5 + i % 50)}])
    return member, daily_log(DAY - dt.timedelta(days=(i // 7) % 3), 56, seed=i, rest_weekdays=(rest,))


def build(url: str, n: int, club: str) -> float:
    """Fill an empty store with N athletes of the club (`club_member`); returns seconds."""
    from coach.storage import open_store

    t = time.perf_counter()
    with open_store(url) as store:
        for start in range(0, n, 250):
            with store.unit_of_work() as uow:
                for i in range(start, min(n, start + 250)):
                    member, log = club_member(i, club)
                    a = uow.athletes.add(member)
                    uow.workouts.add_many(a.id, log)
                uow.commit()
            print(f"\r  built {min(n, start + 250)}/{n}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - t


def _sqlite_store(n: int, club: str) -> tuple[str, float | None]:
    RESULTS.mkdir(exist_ok=True)
    db = RESULTS / f"email-{club}-{n}-v{DATA_VERSION}.db"
    if db.exists():
        return f"sqlite:///{db}", None
    tmp = db.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    took = build(f"sqlite:///{tmp}", n, club)
    tmp.replace(db)
    return f"sqlite:///{db}", took


def _pg_schema(base: str, n: int) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"coach_bench_email_{n}_{os.getpid()}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _clear(url: str) -> None:
    """Forget the deliveries and proposals of earlier runs, so that each run does the same work."""
    from sqlalchemy import delete

    from coach.storage import open_store
    from coach.storage.models import DeliveryRow, ProposalRow

    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(delete(DeliveryRow))
        conn.execute(delete(ProposalRow))


# -- the phases, each in a process of its own ----------------------------------------


def phase_engine(url: str) -> dict[str, object]:
    """`propose_many` over every athlete in batches of ENGINE_BATCH, nothing saved."""
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.propose import propose_many
    from coach.storage import open_store

    ruleset = rule_set_in_use(None)
    evaluator = ruleset.evaluator()
    with open_store(url) as store:
        with store.unit_of_work() as uow:
            athletes = uow.athletes.list()
        before = _peak_mb()
        t, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(athletes), ENGINE_BATCH):
            with store.unit_of_work() as uow:
                propose_many(uow, athletes[start:start + ENGINE_BATCH], DAY, ruleset, evaluator, save=False)
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {"seconds": took, "cpu_s": cpu, "athletes": len(athletes), "peak_mb": _peak_mb(), "grew_mb": _peak_mb() - before}


def phase_deliver(url: str, port: int, profile: bool) -> dict[str, object]:
    """`email_day` for every athlete over SMTP to the sink; with `profile`, under cProfile."""
    from coach.cli.mailer import SmtpSender, SmtpSettings
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.email import email_day
    from coach.storage import open_store

    ruleset = rule_set_in_use(None)
    evaluator = ruleset.evaluator()
    settings = SmtpSettings(host="127.0.0.1", port=port, security="none", **{"from": "coach@example.org"})
    profiler = cProfile.Profile() if profile else None
    sent = 0

    def count(outcome) -> None:
        nonlocal sent
        sent += outcome.status == "sent"

    # the message as `coach email` composes it: text, HTML, .ics and the FIT workout
    with open_store(url) as store, SmtpSender(settings, None, ruleset.planned.watch) as sender:
        before = _peak_mb()
        t, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        outcomes = email_day(store.unit_of_work, sender, day=DAY, ruleset=ruleset, evaluator=evaluator,
                             all_athletes=True, on_outcome=count)
        if profiler:
            profiler.disable()
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
    bad = [o.line() for o in outcomes if o.status != "sent"][:3]
    out: dict[str, object] = {"seconds": took, "cpu_s": cpu, "sent": sent, "not_sent": bad, "connections": sender.connections,
                              "peak_mb": _peak_mb(), "grew_mb": _peak_mb() - before}
    if profiler:
        text = io.StringIO()
        top = int(os.environ.get("BENCH_TOP", "12"))
        pstats.Stats(profiler, stream=text).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(top)
        out["profile_top"] = [line.strip() for line in text.getvalue().splitlines()
                              if line.strip() and line.strip()[0].isdigit()][:top + 1]
    return out


def _child(args: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cli(url: str, port: int, workers: int) -> tuple[float, float]:
    """`coach email --all` as cron runs it: (seconds, the peak resident set of the process in MB)."""
    env = dict(os.environ, COACH_SMTP_HOST="127.0.0.1", COACH_SMTP_PORT=str(port), COACH_SMTP_SECURITY="none",
               COACH_SMTP_FROM="coach@example.org")
    exe = str(Path(sys.executable).with_name("coach"))
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen([exe, "email", "--all", "--db", url, "--date", DAY.isoformat(),
                                 "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(err.read().decode()[-2000:])
    # wait4's figure covers the process and its own waited-for children (the --workers pool)
    peak = usage.ru_maxrss
    return took, peak / 1024


def _queue(url: str, port: int, workers: int) -> float:
    """Seconds through the job queue (PostgreSQL): `coach email --all --queue`, then `coach
    worker --once` in `workers` processes; queueing and start-up included."""
    from sqlalchemy import text

    from coach.storage import open_store

    with open_store(url) as store, store.engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
            conn.execute(text("DELETE FROM procrastinate_jobs"))  # a new night for the same date
    env = dict(os.environ, COACH_SMTP_HOST="127.0.0.1", COACH_SMTP_PORT=str(port), COACH_SMTP_SECURITY="none",
               COACH_SMTP_FROM="coach@example.org")
    exe = str(Path(sys.executable).with_name("coach"))
    t = time.perf_counter()
    for args in (["email", "--all", "--queue", "--date", DAY.isoformat(), "--batch-size", "50"],
                 ["worker", "--once", "--concurrency", str(workers)]):
        done = subprocess.run([exe, *args, "--db", url], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
    return time.perf_counter() - t


def measure(n: int, store_kind: str, pg_url: str, profile: bool, cli_workers: tuple[int, ...] = (1, 2),
            queue_workers: tuple[int, ...] = (), club: str = "varied") -> dict[str, object]:
    schema = None
    out: dict[str, object] = {"athletes": n, "store": store_kind, "club": club}
    if store_kind == "sqlite":
        url, built = _sqlite_store(n, club)
    else:
        url, schema = _pg_schema(pg_url, n)
        built = build(url, n, club)
    out["build_s"] = None if built is None else round(built, 1)
    try:
        engine = _child(["engine", url])
        assert engine["athletes"] == n, engine
        out["engine_per_s"] = round(n / engine["seconds"], 1)
        out["engine_peak_mb"] = round(engine["peak_mb"], 1)
        sink, port = _sink()
        try:
            _clear(url)
            sink_cpu = _cpu_of(sink.pid)
            run = _child(["deliver", url, str(port)])
            sink_cpu = _cpu_of(sink.pid) - sink_cpu
            assert run["sent"] == n, run["not_sent"]
            out["e2e_per_s"] = round(n / run["seconds"], 1)
            out["e2e_ms_per_athlete"] = round(1000 * run["seconds"] / n, 2)
            out["e2e_of_engine"] = round(out["e2e_per_s"] / out["engine_per_s"], 3)
            out["e2e_vs_before"] = round(out["e2e_per_s"] / 20.0, 1)
            out["smtp_connections"] = run["connections"]
            # CPU time, which a busy machine does not inflate as it does the wall clock
            out["engine_cpu_ms"] = round(1000 * engine["cpu_s"] / n, 2)
            out["e2e_cpu_ms"] = round(1000 * run["cpu_s"] / n, 2)
            out["sink_cpu_ms"] = round(1000 * sink_cpu / n, 2)
            out["e2e_peak_mb"] = round(run["peak_mb"], 1)
            out["e2e_grew_mb"] = round(run["grew_mb"], 1)
            for workers in cli_workers:
                _clear(url)
                took, peak = _cli(url, port, workers)
                out[f"cli_w{workers}_per_s"] = round(n / took, 1)
                out[f"cli_w{workers}_peak_mb"] = round(peak, 1)
            for workers in queue_workers if store_kind == "postgres" else ():
                _clear(url)
                out[f"queue_w{workers}_per_s"] = round(n / _queue(url, port, workers), 1)
            if profile:
                _clear(url)
                out["profile_top"] = _child(["deliver", url, str(port), "profile"])["profile_top"]
        finally:
            sink.stdin.close()
            sink.wait(timeout=10)
    finally:
        if schema is not None:
            _drop_schema(pg_url, schema)
    return out


def _table(rows: list[dict[str, object]]) -> str:
    head = (f"{'club':>6} {'athletes':>8} {'store':>10} {'engine/s':>9} {'e2e/s':>7} {'ms/ath':>7} {'x20/s':>6} "
            f"{'cli w1/s':>9} {'cli w2/s':>9} {'peak MB':>8} {'grew MB':>8}")
    lines = [head]
    for r in rows:
        lines.append(f"{r.get('club', '-'):>6} {r['athletes']:>8} {r['store']:>10} {r['engine_per_s']:>9} {r['e2e_per_s']:>7} "
                     f"{r['e2e_ms_per_athlete']:>7} {r['e2e_vs_before']:>6} {r.get('cli_w1_per_s', '-'):>9} "
                     f"{r.get('cli_w2_per_s', '-'):>9} {r['e2e_peak_mb']:>8} {r['e2e_grew_mb']:>8}")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        what, url, *rest = sys.argv[2:]
        result = phase_engine(url) if what == "engine" else phase_deliver(url, int(rest[0]), "profile" in rest)
        print(json.dumps(result))
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a stopped run still drops its schema
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 athletes on SQLite only (a few minutes)")
    parser.add_argument("--stores", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--pg-url", default=PG_URL, help=f"the PostgreSQL server (default {PG_URL})")
    parser.add_argument("--profile", action="store_true", help="the top costs of an in-process run at the largest size")
    parser.add_argument("--cli-workers", type=int, nargs="*", default=[1, 2], metavar="N",
                        help="time `coach email --all --workers N` for each N (default 1 2; none: skip)")
    parser.add_argument("--queue", action="store_true",
                        help="on PostgreSQL, also time the job queue (`coach email --all --queue`, then "
                             "`coach worker --once` with 1 and 2 worker processes)")
    parser.add_argument("--club", nargs="+", choices=["varied", "rest"], default=["varied", "rest"],
                        help="varied: a mix of sessions with FIT workouts; rest: every athlete rests that day, "
                             "the club of the first measurement (default both)")
    args = parser.parse_args()
    sizes, stores = (args.athletes, args.stores) if not args.quick else ([100, 1000], ["sqlite"])
    rows = []
    for club in args.club:
        for store_kind in stores:
            for n in sizes:
                print(f"{n} athletes ({club} club) on {store_kind} ...", file=sys.stderr, flush=True)
                row = measure(n, store_kind, args.pg_url, args.profile and n == max(sizes), tuple(args.cli_workers),
                              (1, 2) if args.queue else (), club)
                rows.append(row)
                print(json.dumps(row, indent=2), flush=True)
                RESULTS.mkdir(exist_ok=True)
                (RESULTS / "email-latest.json").write_text(json.dumps(rows, indent=2))  # kept as it goes
    print(_table(rows))


if __name__ == "__main__":
    main()
