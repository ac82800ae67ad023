"""Issue 18: the nightly email over the PostgreSQL job queue. `coach email --all --queue`
queues one job per batch of athletes, real `coach worker` processes drain it to a real SMTP
server on 127.0.0.1, and every athlete gets exactly one email, also when a worker is killed
with SIGKILL in the middle of a job. On SQLite, --queue is a one-line error."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coach.engine.model import Athlete, RaceResult
from coach.storage import open_store

DAY = dt.date(2026, 11, 24)
COACH = str(Path(sys.executable).parent / "coach")
ATHLETES = 200


def _club(url: str, n: int, *, without_address: int = 0) -> None:
    """n athletes with addresses (and `without_address` more without), built with the store's API."""
    race = [RaceResult(label="5k", distance_m=5000, time_s=1500, date=DAY - dt.timedelta(days=30))]
    with open_store(url) as store, store.unit_of_work() as uow:
        for i in range(n):
            uow.athletes.add(Athlete(name=f"Runner {i:03d}", email=f"r{i:03d}@example.org", recent_races=race))
        for i in range(without_address):
            uow.athletes.add(Athlete(name=f"Walker {i:03d}", recent_races=race))
        uow.commit()


def _env(coach_home, port: int) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(coach_home), "COACH_HOME": str(coach_home),
            "COACH_SMTP_HOST": "127.0.0.1", "COACH_SMTP_PORT": str(port), "COACH_SMTP_SECURITY": "none",
            "COACH_SMTP_FROM": "coach@example.org", "COACH_SMTP_TIMEOUT": "5"}


def _coach(url: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([COACH, *args, "--db", url], env=env, capture_output=True, text=True, timeout=120)


def _enqueue(url: str, *extra: str) -> dict:
    from click.testing import CliRunner

    from tests.e2e.cli_kit import run

    result = run(CliRunner(), "email", "--all", "--queue", "--db", url, "--date", DAY.isoformat(), "--json", *extra)
    return json.loads(result.stdout)


def _jobs_expected(ids, size: int) -> int:
    return len({i // size for i in ids})


def _worker(url: str, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen([COACH, "worker", "--db", url, *extra], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _per_recipient(handler) -> collections.Counter:
    return collections.Counter(m.rcpt_tos[0] for m in handler.messages)


def _jobs(url: str) -> collections.Counter:
    from sqlalchemy import text

    with open_store(url) as store, store.engine.connect() as conn:
        return collections.Counter(conn.execute(text("SELECT status FROM procrastinate_jobs")).scalars())


def _statuses(url: str) -> collections.Counter:
    with open_store(url) as store, store.unit_of_work() as uow:
        return collections.Counter(d.status.value for d in uow.deliveries.list())


def _stop(workers: list[subprocess.Popen]) -> list[str]:
    for w in workers:
        if w.poll() is None:
            w.send_signal(signal.SIGTERM)  # ends its running job, then stops
    errs = []
    for w in workers:
        _, err = w.communicate(timeout=60)
        assert "Traceback" not in err, err
        errs.append(err)
    return errs


def _wait_for(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:g} s waiting for {what}")


@pytest.mark.postgres
def test_workers_drain_the_queue_and_each_athlete_gets_one_email(pg_url, smtp_server, coach_home):
    _club(pg_url, ATHLETES, without_address=3)
    env = _env(coach_home, smtp_server.port)
    jobs = _jobs_expected(range(1, ATHLETES + 4), 25)  # ids from 1; those without an address last
    first = _enqueue(pg_url, "--batch-size", "25")
    assert first["queued"] == jobs and first["already_queued"] == 0
    assert first["jobs"][0] == f"coach email {DAY.isoformat()} ids 0-24"
    again = _enqueue(pg_url, "--batch-size", "25")
    assert again["queued"] == 0 and again["already_queued"] == jobs
    assert _jobs(pg_url) == {"todo": jobs}

    workers = [_worker(pg_url, env, "--once") for _ in range(3)]
    errs = [w.communicate(timeout=120)[1] for w in workers]
    for w, err in zip(workers, errs):
        assert w.returncode == 0 and "Traceback" not in err, err
    counts = _per_recipient(smtp_server.handler)
    assert sorted(counts) == [f"r{i:03d}@example.org" for i in range(ATHLETES)]
    assert set(counts.values()) == {1}
    assert _statuses(pg_url) == {"sent": ATHLETES}
    assert _jobs(pg_url) == {"succeeded": jobs}
    lines = [line for err in errs for line in err.splitlines()]
    assert sum(line.startswith("sent ") for line in lines) == ATHLETES
    assert sum(line.startswith("skipped Walker") and "no email address" in line for line in lines) == 3
    # more than one worker took jobs
    assert sum(any(line.startswith("job ") for line in err.splitlines()) for err in errs) >= 2

    # the night is done: queueing it again adds nothing, and a plain run sends nothing
    assert _enqueue(pg_url, "--batch-size", "25")["queued"] == 0
    plain = _coach(pg_url, env, "email", "--all", "--date", DAY.isoformat())
    assert plain.returncode == 0 and f"0 sent, {ATHLETES + 3} skipped" in plain.stderr, plain.stderr
    assert len(smtp_server.messages) == ATHLETES


@pytest.mark.postgres
def test_a_worker_killed_mid_job_loses_no_athlete_and_sends_none_twice(pg_url, smtp_server, coach_home):
    """SIGKILL while the server holds a message (a slow 250): the killed worker's job is found
    stalled (no heartbeat) and queued again; the retry skips the athletes already sent, does not
    send the one in flight again, and sends the rest. Every athlete has exactly one email."""
    athletes = 80
    _club(pg_url, athletes)
    env = _env(coach_home, smtp_server.port)
    jobs = _jobs_expected(range(1, athletes + 1), 20)
    assert _enqueue(pg_url, "--batch-size", "20")["queued"] == jobs
    handler = smtp_server.handler
    held = threading.Event()
    store_it = handler.handle_DATA

    async def hold_the_sixth(server, session, envelope):
        answer = await store_it(server, session, envelope)  # kept: the server has it
        if len(handler.messages) == 6:
            held.set()
            await asyncio.sleep(30)  # and answers too late: the worker is killed meanwhile
        return answer

    handler.handle_DATA = hold_the_sixth
    doomed = _worker(pg_url, env, "--stalled-after", "3")
    if not held.wait(60):
        doomed.kill()
        pytest.fail("the sixth message did not arrive: " + doomed.communicate()[1])
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.communicate(timeout=30)
    assert len(handler.messages) == 6  # five sent, the sixth in flight, the rest of the job not tried
    assert _jobs(pg_url) == {"doing": 1, "todo": jobs - 1}

    rescuers = [_worker(pg_url, env, "--stalled-after", "3") for _ in range(2)]
    _wait_for(lambda: len(handler.messages) >= athletes and _jobs(pg_url) == {"succeeded": jobs}, 60,
              "the other workers to send everyone")
    errs = _stop(rescuers)
    counts = _per_recipient(handler)
    assert sorted(counts) == [f"r{i:03d}@example.org" for i in range(athletes)]
    assert set(counts.values()) == {1}, [a for a, c in counts.items() if c > 1]
    lines = [line for err in errs for line in err.splitlines()]
    # the retry skips the five sent, and reports the one in flight without sending it again
    assert sum(line.startswith("skipped ") and "already sent" in line for line in lines) == 5, lines
    in_flight = [line for line in lines if line.startswith("skipped ") and "another run is sending it" in line]
    assert len(in_flight) == 1 and "Runner 005" in in_flight[0], lines
    assert any("stopped answering" in line and "queued again" in line for line in lines), lines
    assert _statuses(pg_url) == {"sent": athletes - 1, "sending": 1}


def test_queue_on_a_sqlite_store_is_a_one_line_error_and_creates_nothing(tmp_path, coach_home):
    db = tmp_path / "club.db"
    env = _env(coach_home, 25)
    for args in (["email", "--all", "--queue"], ["worker", "--once"]):
        done = _coach(str(db), env, *args)
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert "needs a PostgreSQL store" in lines[0] and "SQLite" in lines[0] and "without --queue" in lines[0]
    assert not db.exists()


@pytest.mark.postgres
def test_queue_refuses_options_it_cannot_carry(pg_url, coach_home, runner):
    from tests.e2e.cli_kit import run

    for extra in (["--athlete", "Ana"], ["--all", "--force"], ["--all", "--dry-run"], ["--all", "--workers", "2"]):
        result = run(runner, "email", "--queue", "--db", pg_url, *extra, ok=False)
        assert result.exit_code == 2 and "--queue" in result.output, result.output


@pytest.mark.postgres
def test_the_queue_tables_sit_in_the_stores_schema_and_alembic_leaves_them_alone(pg_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect, text

    from coach.cli.jobqueue import ensure_schema
    from coach.migrations import include_name
    from coach.storage.models import Base

    with open_store(pg_url) as store:
        assert ensure_schema(store) is True
        assert ensure_schema(store) is False  # there already: nothing done
        with store.engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar()
            assert schema.startswith("coach_test_")  # the test's own schema, not public
            assert "procrastinate_jobs" in inspect(conn).get_table_names(schema=schema)
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}), Base.metadata)
    assert diff == []


@pytest.mark.postgres
def test_a_job_with_an_unsent_athlete_fails_so_the_queue_retries_it(pg_url, smtp_server, coach_home):
    """The job body (as a worker runs it): a refused recipient makes the job fail, to be retried;
    the retry sends only that athlete, and a job over a range with no one due sends nothing."""
    from coach.cli.jobqueue import BatchIncomplete, WorkerSettings, run_job

    _club(pg_url, 6)
    smtp = {"host": "127.0.0.1", "port": smtp_server.port, "security": "none", "from": "coach@example.org"}
    lines: list[str] = []
    settings = WorkerSettings(db_url=pg_url, rules_dir=None, smtp=smtp, config_file="config.toml", echo=lines.append)
    smtp_server.handler.refuse_rcpt = {"r003@example.org"}
    job = dict(day=DAY.isoformat(), lo=0, hi=10, deadline=60.0, message_deadline=10.0)
    try:
        with pytest.raises(BatchIncomplete, match="1 of 6 athletes not sent"):
            run_job(settings, **job)
        assert sorted(_per_recipient(smtp_server.handler)) == [f"r{i:03d}@example.org" for i in (0, 1, 2, 4, 5)]
        smtp_server.handler.refuse_rcpt = set()
        assert run_job(settings, **job, attempt=1) == {"sent": 1, "skipped": 5, "failed": 0, "unknown": 0}
        assert run_job(settings, **{**job, "lo": 10, "hi": 20}) == {"sent": 0, "skipped": 0, "failed": 0,
                                                                     "unknown": 0}
    finally:
        settings.close()
    counts = _per_recipient(smtp_server.handler)
    assert sorted(counts) == [f"r{i:03d}@example.org" for i in range(6)] and set(counts.values()) == {1}
    assert any("attempt 2): 1 sent, 5 skipped" in line for line in lines), lines


def test_a_job_reads_only_the_athletes_of_its_id_range(store):
    """On SQLite and PostgreSQL: `list(id_range=...)` and the batches of a night."""
    from coach.service.email import id_batches

    race = [RaceResult(label="5k", distance_m=5000, time_s=1500, date=DAY - dt.timedelta(days=30))]
    with store.unit_of_work() as uow:
        ids = [uow.athletes.add(Athlete(name=f"Runner {i:02d}", email=None if i == 7 else f"r{i}@example.org",
                                        recent_races=race)).id for i in range(12)]
        uow.commit()
    lo = ids[0]
    with store.unit_of_work() as uow:
        assert [a.id for a in uow.athletes.list(id_range=(lo + 3, lo + 6))] == [lo + 3, lo + 4, lo + 5]
        assert len(uow.athletes.list()) == 12
    batches = id_batches(store.unit_of_work, 5)
    covered = sorted(i for a, b in batches for i in ids if a <= i < b)
    assert covered == ids and all(b - a == 5 and a % 5 == 0 for a, b in batches)
    assert id_batches(store.unit_of_work, 5) == batches  # the same every time it is asked
