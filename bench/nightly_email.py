"""The nightly email benchmark (issue 18): `coach email --all` at club scale, end to end.

For each club size: a store of N athletes with eight weeks of daily history (built with the
project's own API, cached under bench/results/), a local SMTP sink in a process of its own
(aiosmtpd, its port chosen when it binds), and in the same run:

- engine alone: `propose_many` for all N athletes, nothing saved (the ceiling);
- end to end in this process: `email_day` over `SmtpSender` (claims, proposals, MIME, SMTP,
  records), every athlete sent once: athletes per second;
- end to end as cron runs it: `coach email --all` as a new process, with --workers 1 and 2;
- the top costs of the in-process run (cProfile, by own time) with --profile;
- with --queue (PostgreSQL): `coach email --all --queue` then `coach worker --once` with 1
  and 2 worker processes, queueing and start-up included.

The figure before this work was about 20 athletes/s (one TLS context and one SMTP connection
per email, one athlete at a time); the target is at least 10x that.

    python bench/nightly_email.py [--athletes 100 1000] [--db-url postgresql+psycopg://...] [--profile] [--queue]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DAY = dt.date(2026, 11, 19)
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


def _build(url: str, n: int) -> None:
    from histories import athlete, daily_log

    from coach.storage import open_store

    with open_store(url) as store:
        with store.unit_of_work() as uow:
            if uow.athletes.list():
                return
        for start in range(0, n, 100):
            with store.unit_of_work() as uow:
                for i in range(start, min(n, start + 100)):
                    a = athlete(f"Athlete {i:05d}", seed=i)
                    a.email = f"a{i:05d}@example.org"
                    a = uow.athletes.add(a)
                    for w in daily_log(DAY, 56, seed=i):
                        uow.workouts.add(a.id, w)
                uow.commit()


def _clear_deliveries(url: str) -> None:
    from sqlalchemy import delete

    from coach.storage import open_store
    from coach.storage.models import DeliveryRow

    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(delete(DeliveryRow))


def _store_url(base: str | None, n: int) -> str:
    if base:
        return base
    RESULTS.mkdir(exist_ok=True)
    return f"sqlite:///{RESULTS / f'email-{n}.db'}"


def _queue_run(url: str, n: int, env: dict, exe: str, workers: int) -> float:
    """Athletes/s through the job queue: enqueue, then `coach worker --once` in `workers` processes."""
    from sqlalchemy import text

    from coach.storage import open_store

    _clear_deliveries(url)
    with open_store(url) as store, store.engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
            conn.execute(text("DELETE FROM procrastinate_jobs"))
    t = time.perf_counter()
    for args in (["email", "--all", "--queue", "--date", DAY.isoformat(), "--batch-size", "50"],
                 ["worker", "--once", "--concurrency", str(workers)]):
        done = subprocess.run([exe, *args, "--db", url], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
    return round(n / (time.perf_counter() - t), 1)


def measure(n: int, base_url: str | None, profile: bool, queue: bool = False) -> dict[str, object]:
    from coach.cli.mailer import SmtpSender, SmtpSettings
    from coach.service.email import email_day
    from coach.service.propose import propose_many
    from coach.storage import open_store

    from coach.cli.rulesets import rule_set_in_use

    url = _store_url(base_url, n)
    built = time.perf_counter()
    _build(url, n)
    built = time.perf_counter() - built
    ruleset = rule_set_in_use(None)
    evaluator = ruleset.evaluator()
    out: dict[str, object] = {"athletes": n, "store": url.split(":", 1)[0], "build_s": round(built, 1)}
    with open_store(url) as store:
        with store.unit_of_work() as uow:
            athletes = uow.athletes.list()
            t = time.perf_counter()
            propose_many(uow, athletes, DAY, ruleset, evaluator, save=False)
            out["engine_alone_per_s"] = round(n / (time.perf_counter() - t), 1)
    sink, port = _sink()
    try:
        settings = SmtpSettings(host="127.0.0.1", port=port, security="none", **{"from": "coach@example.org"})
        for profiled in (False, True) if profile else (False,):
            _clear_deliveries(url)
            profiler = cProfile.Profile() if profiled else None
            with open_store(url) as store, SmtpSender(settings, None) as sender:
                t = time.perf_counter()
                if profiler:
                    profiler.enable()
                outcomes = email_day(store.unit_of_work, sender, day=DAY, ruleset=ruleset, evaluator=evaluator,
                                     all_athletes=True)
                if profiler:
                    profiler.disable()
                took = time.perf_counter() - t
            sent = sum(o.status == "sent" for o in outcomes)
            assert sent == n, [o.line() for o in outcomes if o.status != "sent"][:3]
            if profiler:  # a second run, under the profiler (which slows it): where the time goes
                text = io.StringIO()
                top = int(os.environ.get("BENCH_TOP", "8"))
                pstats.Stats(profiler, stream=text).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(top)
                out["profile_top"] = [line.strip() for line in text.getvalue().splitlines()
                                      if line.strip() and line.strip()[0].isdigit()][:top + 1]
            else:
                out["in_process_per_s"] = round(n / took, 1)
                out["smtp_connections"] = sender.connections
        env = dict(os.environ, COACH_SMTP_HOST="127.0.0.1", COACH_SMTP_PORT=str(port), COACH_SMTP_SECURITY="none",
                   COACH_SMTP_FROM="coach@example.org")
        exe = str(Path(sys.executable).with_name("coach"))
        for workers in (1, 2):
            _clear_deliveries(url)
            t = time.perf_counter()
            done = subprocess.run([exe, "email", "--all", "--db", url, "--date", DAY.isoformat(),
                                   "--workers", str(workers)], env=env, capture_output=True, text=True)
            took = time.perf_counter() - t
            if done.returncode != 0:
                raise SystemExit(done.stderr[-2000:])
            out[f"cli_workers_{workers}_per_s"] = round(n / took, 1)
        for workers in (1, 2) if queue else ():
            out[f"queue_workers_{workers}_per_s"] = _queue_run(url, n, env, exe, workers)
    finally:
        sink.stdin.close()
        sink.wait(timeout=10)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--db-url", help="a PostgreSQL URL instead of SQLite files (one schema per size is made in it)")
    parser.add_argument("--profile", action="store_true", help="print the top costs of the in-process run")
    parser.add_argument("--queue", action="store_true", help="also through the job queue (needs --db-url)")
    args = parser.parse_args()
    if args.queue and not args.db_url:
        parser.error("--queue needs a PostgreSQL store: give --db-url")
    rows = []
    for n in args.athletes:
        url = None
        if args.db_url:  # one schema per club size, built once and kept (like the SQLite files)
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            schema = f"coach_bench_email_{n}"
            with create_engine(args.db_url).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            url = make_url(args.db_url).update_query_dict({"options": f"-csearch_path={schema}"})
            url = url.render_as_string(hide_password=False)
        row = measure(n, url, args.profile, args.queue)
        rows.append(row)
        print(json.dumps(row, indent=2), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "email-latest.json").write_text(json.dumps(rows, indent=2))
    print(f"{'athletes':>8} {'store':>10} {'engine/s':>9} {'e2e/s':>7} {'cli w1/s':>9} {'cli w2/s':>9}")
    for r in rows:
        print(f"{r['athletes']:>8} {r['store']:>10} {r['engine_alone_per_s']:>9} {r['in_process_per_s']:>7} "
              f"{r['cli_workers_1_per_s']:>9} {r['cli_workers_2_per_s']:>9}")


if __name__ == "__main__":
    main()
