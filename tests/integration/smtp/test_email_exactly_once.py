"""Issue 17: each athlete gets exactly one email per date, under concurrent runs and crashes,
and no SMTP server holds the run past its deadlines. Real `coach email` processes, a real
SMTP server on 127.0.0.1 (aiosmtpd, its port chosen when it binds), SQLite and PostgreSQL."""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import socket
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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def club(request) -> str:
    """A store of 12 athletes with addresses, on SQLite or PostgreSQL."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    race = [RaceResult(label="5k", distance_m=5000, time_s=1500, date=DAY - dt.timedelta(days=30))]
    with open_store(url) as store, store.unit_of_work() as uow:
        for n in range(12):
            uow.athletes.add(Athlete(name=f"Runner {n:02d}", email=f"r{n:02d}@example.org", recent_races=race))
        uow.commit()
    return url


def _env(coach_home, port: int) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(coach_home), "COACH_HOME": str(coach_home),
            "COACH_SMTP_HOST": "127.0.0.1", "COACH_SMTP_PORT": str(port), "COACH_SMTP_SECURITY": "none",
            "COACH_SMTP_FROM": "coach@example.org", "COACH_SMTP_TIMEOUT": "5"}


def _start(url: str, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen([COACH, "email", "--all", "--db", url, "--date", DAY.isoformat(), *extra],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def _per_recipient(handler) -> collections.Counter:
    return collections.Counter(m.rcpt_tos[0] for m in handler.messages)


def _statuses(url: str) -> collections.Counter:
    with open_store(url) as store, store.unit_of_work() as uow:
        return collections.Counter(d.status.value for d in uow.deliveries.list())


def test_two_concurrent_runs_send_each_athlete_exactly_one_email(club, smtp_server, coach_home):
    handler = smtp_server.handler
    env = _env(coach_home, smtp_server.port)
    for trial in range(4):  # a new date each trial: each is a fresh race between the two runs
        day = (DAY + dt.timedelta(days=trial)).isoformat()
        handler.messages.clear()
        runs = [_start(club, env, "--date", day, "--batch-size", str(3 + trial)) for _ in range(2)]
        done = [run.communicate(timeout=120) for run in runs]
        for run, (_, err) in zip(runs, done):
            assert run.returncode == 0, err
            assert "Traceback" not in err and "IntegrityError" not in err
        counts = _per_recipient(handler)
        assert sorted(counts) == [f"r{n:02d}@example.org" for n in range(12)], done
        assert set(counts.values()) == {1}, counts
        # each run's lines: every athlete sent by one run and skipped by the other
        lines = [line for _, err in done for line in err.splitlines()]
        assert sum(line.startswith("sent ") for line in lines) == 12
        assert sum(line.startswith("skipped ") for line in lines) == 12
    assert _statuses(club) == {"sent": 48}
    # and a plain run afterwards sends nothing
    handler.messages.clear()
    again = _start(club, env)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert handler.messages == [] and "12 skipped" in err


def test_two_forced_runs_together_still_send_a_claimed_date_once_each_run_at_most(club, smtp_server, coach_home):
    """--force takes over finished records (and claims), so two forced runs may each send;
    never more than that, and nothing crashes."""
    env = _env(coach_home, smtp_server.port)
    first = _start(club, env)
    assert first.wait(timeout=120) == 0
    smtp_server.handler.messages.clear()
    runs = [_start(club, env, "--force") for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0 and "Traceback" not in err, err
    counts = _per_recipient(smtp_server.handler)
    assert len(counts) == 12 and max(counts.values()) <= 2
    assert _statuses(club) == {"sent": 12}


def test_a_trickling_server_is_abandoned_at_the_deadlines(sqlite_url, coach_home, club):
    """A server sending a `220-` line every second never completes its greeting: the per-read
    timeout (5 s) never fires, the per-message deadline does, and the run ends by its deadline."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    stop = threading.Event()
    threads = []

    def trickle(conn):
        with conn:
            while not stop.is_set():
                try:
                    conn.sendall(b"220-still warming up\r\n")
                except OSError:
                    return
                stop.wait(1.0)

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threads.append(threading.Thread(target=trickle, args=(conn,), daemon=True))
            threads[-1].start()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        started = time.monotonic()
        run = _start(club, _env(coach_home, port), "--message-deadline", "2", "--deadline", "5")
        _, err = run.communicate(timeout=60)
        took = time.monotonic() - started
    finally:
        stop.set()
        server.join()
        listener.close()
        for thread in threads:
            thread.join()
    assert run.returncode == 1
    assert took < 5 + 2 + 10  # the run's deadline, one message's, and starting the process
    failed = [line for line in err.splitlines() if line.startswith("failed ")]
    assert len(failed) == 12
    assert any("before the message's deadline" in line for line in failed)
    assert any("run's deadline" in line for line in failed)
    # nothing reached the server: all retried on the next run
    assert _statuses(club).get("sending", 0) == 0 and _statuses(club).get("unknown", 0) == 0


def test_no_answer_after_the_message_is_uncertain_and_not_sent_again(club, smtp_server, coach_home):
    handler = smtp_server.handler
    handler.delay = 4  # longer than the message deadline
    env = _env(coach_home, smtp_server.port)
    first = _start(club, env, "--message-deadline", "1", "--deadline", "3")
    _, err = first.communicate(timeout=120)
    assert first.returncode == 1
    assert any(line.startswith("unknown ") and "did not confirm" in line for line in err.splitlines()), err
    taken = _per_recipient(handler)
    handler.delay = 0
    second = _start(club, env)
    _, err2 = second.communicate(timeout=120)
    counts = _per_recipient(handler)
    assert set(counts.values()) == {1}, counts  # nobody twice
    assert sorted(counts) == [f"r{n:02d}@example.org" for n in range(12)]
    # the uncertain ones are reported again (exit 1), the rest were sent now
    assert second.returncode == 1 and sum(
        line.startswith("unknown ") for line in err2.splitlines()) == sum(taken.values())


def test_kill_9_during_a_slow_250_gives_no_duplicate(club, smtp_server, coach_home):
    """The killed run had claimed its batch: the message in flight may have arrived, the rest
    of the batch were not sent. The next run sends none of them again (they are reported as
    claimed by a run whose deadline has not passed), and sends everyone else."""
    handler = smtp_server.handler
    handler.delay = 30
    env = _env(coach_home, smtp_server.port)
    run = _start(club, env, "--deadline", "30")
    if not handler.arrived.wait(60):
        run.kill()
        pytest.fail("no message arrived: " + run.communicate()[1])
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=30)
    handler.delay = 0
    rerun = _start(club, env, "--batch-size", "1")
    _, err = rerun.communicate(timeout=120)
    assert "Traceback" not in err
    counts = _per_recipient(handler)
    assert set(counts.values()) == {1}, counts
    lines = err.splitlines()
    held = [line for line in lines if line.startswith("skipped ") and "another run is sending it" in line]
    assert "Runner 00" in held[0]  # the one the server took while the run was killed
    assert len(held) + len(counts) - 1 == 12  # everyone else sent now, or held by the killed run's claim
    assert _statuses(club)["sending"] == len(held)


def test_workers_shard_the_athletes_and_each_is_sent_once(club, smtp_server, coach_home):
    """The one-machine path: two concurrent runs of `--workers 2` (four processes)."""
    env = _env(coach_home, smtp_server.port)
    runs = [_start(club, env, "--workers", "2", "--json") for _ in range(2)]
    done = [run.communicate(timeout=180) for run in runs]
    for run, (_, err) in zip(runs, done):
        assert run.returncode == 0, err
    counts = _per_recipient(smtp_server.handler)
    assert sorted(counts) == [f"r{n:02d}@example.org" for n in range(12)] and set(counts.values()) == {1}
    import json

    reports = [json.loads(out) for out, _ in done]
    assert sum(r["sent"] for r in reports) == 12 and sum(r["skipped"] for r in reports) == 12
    assert all(len(r["outcomes"]) == 12 and r["failed"] == r["unknown"] == 0 for r in reports)


def test_sigterm_while_sending_releases_the_unsent_and_reports_the_one_in_flight(sqlite_url, smtp_server,
                                                                              coach_home):
    race = [RaceResult(label="5k", distance_m=5000, time_s=1500, date=DAY - dt.timedelta(days=30))]
    with open_store(sqlite_url) as store, store.unit_of_work() as uow:
        for n in range(6):
            uow.athletes.add(Athlete(name=f"Runner {n:02d}", email=f"r{n:02d}@example.org", recent_races=race))
        uow.commit()
    handler = smtp_server.handler
    handler.delay = 30
    env = _env(coach_home, smtp_server.port)
    run = _start(sqlite_url, env)
    if not handler.arrived.wait(60):
        run.kill()
        pytest.fail("no message arrived: " + run.communicate()[1])
    run.send_signal(signal.SIGTERM)  # as `timeout` in a cron line does
    run.communicate(timeout=30)
    assert _statuses(sqlite_url) == {"unknown": 1, "failed": 5}
    handler.delay = 0
    rerun = _start(sqlite_url, env)
    _, err = rerun.communicate(timeout=120)
    counts = _per_recipient(handler)
    assert sorted(counts) == [f"r{n:02d}@example.org" for n in range(6)] and set(counts.values()) == {1}
    assert any(line.startswith("unknown Runner 00") for line in err.splitlines()), err
