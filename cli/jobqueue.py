"""The nightly email over a PostgreSQL job queue (Procrastinate): `coach email --all --queue`
defers the jobs, `coach worker` runs them, on any machine that reaches the database.

One job per range of athlete ids and night (`service.email.id_batches`). Its queueing lock
and lock are the same string, the date and the range, so a second enqueue of the same night
adds nothing and two copies of a job never run together. The job body calls the same
service function as the in-process path (`service.email.email_day`), one athlete per claim:
each athlete's date is claimed in the store before the message goes, so a retried job skips
those already sent, and a worker killed mid-job leaves at most the message in flight
uncertain (reported, never sent again without --force).

A worker that dies stops its heartbeat; the other workers find its job among the stalled
ones (no heartbeat for `stalled_after` seconds) and put it back in the queue.

Procrastinate's tables, types and functions live beside coach's tables, in the store's own
schema (the first of its search_path), and are created on first use. SQLite has none of this.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coach.engine.errors import CoachError

if TYPE_CHECKING:
    from coach.storage.db import Store

#: the task's name in the queue's tables (stable: jobs already queued refer to it)
TASK = "coach.email_batch"
#: the queue the email jobs go to
QUEUE = "coach_email"
#: key of the advisory lock that makes creating the queue's tables and enqueueing one at a time
_ADVISORY_KEY = 0x636F616368  # "coach"
#: a job whose athletes could not all be sent (nothing reached the server) is tried again,
#: this many times at most, this long after
_RETRIES = 4
_RETRY_WAIT_S = 60

log = logging.getLogger("coach.queue")


class QueueUnavailable(CoachError):
    """The job queue cannot be used with this store (SQLite) or this installation."""


class BatchIncomplete(Exception):
    """Some athletes of a job were not sent (nothing reached the server): the job is retried."""


def lock_key(day: dt.date, lo: int, hi: int) -> str:
    """The queueing lock (and lock) of the job for `day` and the ids lo..hi-1."""
    return f"coach email {day.isoformat()} ids {lo}-{hi - 1}"


def require_queue(db_url: str) -> None:
    """Raise QueueUnavailable unless `db_url` is a PostgreSQL store and Procrastinate is installed
    (checked on the URL, so that nothing is created when the answer is no)."""
    from sqlalchemy.engine import make_url

    from coach.storage.db import display_url, normalize_url

    url = make_url(normalize_url(db_url))
    if url.get_backend_name() != "postgresql":
        name = "SQLite" if url.get_backend_name() == "sqlite" else url.get_backend_name()
        raise QueueUnavailable(
            f"the job queue needs a PostgreSQL store, and {display_url(url)} is {name}; "
            "without --queue, `coach email --all` sends from this machine")
    try:
        import procrastinate  # noqa: F401
    except ImportError:
        raise QueueUnavailable("the job queue needs Procrastinate: pip install 'coach[queue]'") from None


def _conninfo(store: Store) -> str:
    """The store's URL for libpq (its options, e.g. search_path, kept)."""
    return store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(store: Store) -> bool:
    """Create Procrastinate's tables in the store's schema unless they are there.

    :returns: True when they were created now
    """
    from importlib.resources import files

    from sqlalchemy import text

    require_queue(str(store.engine.url.render_as_string(hide_password=False)))
    with store.engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
            return False
        schema = (files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
        # no parameters: psycopg sends the script as it is, in this transaction
        conn.connection.driver_connection.execute(schema)
    log.info("created the job queue's tables in %s", store.display_url)
    return True


@dataclass
class WorkerSettings:
    """What a worker needs to run a job: its own store, rule set and SMTP settings."""

    db_url: str
    rules_dir: str | None
    smtp: dict
    config_file: str
    #: prints one line (an athlete's outcome, a job's summary)
    echo: Callable[[str], None] = print
    _state: dict = field(default_factory=dict)

    def store(self) -> Store:
        if "store" not in self._state:
            from coach.storage import open_store

            self._state["store"] = open_store(self.db_url)
        return self._state["store"]

    def rules(self):
        if "rules" not in self._state:
            from coach.cli.rulesets import rule_set_in_use

            ruleset = rule_set_in_use(self.rules_dir)
            self._state["rules"] = (ruleset, ruleset.evaluator())
        return self._state["rules"]

    def close(self) -> None:
        store = self._state.pop("store", None)
        if store is not None:
            store.dispose()


def run_job(settings: WorkerSettings, *, day: str, lo: int, hi: int, deadline: float,
            message_deadline: float, attempt: int = 0, job_id: int | None = None) -> dict:
    """The body of one job: email the athletes with ids lo..hi-1 their session of `day`.

    The same `email_day` as `coach email --all`, over this range of ids, claiming one athlete
    at a time. Raises BatchIncomplete (the queue retries the job) when a message could not
    be sent; athletes already sent, or perhaps sent, are skipped on the retry.
    """
    from coach.cli.mailer import smtp_sender
    from coach.engine.units import parse_date
    from coach.service.email import email_day

    started = time.monotonic()
    on = parse_date(day)
    ruleset, evaluator = settings.rules()
    sender = smtp_sender(settings.smtp, settings.config_file, False, watch=ruleset.planned.watch)
    with sender:
        outcomes = email_day(settings.store().unit_of_work, sender, day=on, ruleset=ruleset, evaluator=evaluator,
                             all_athletes=True, run_deadline_s=deadline, message_deadline_s=message_deadline,
                             batch_size=1, id_range=(lo, hi), on_outcome=lambda o: settings.echo(o.line()))
    counts = {s: sum(o.status == s for o in outcomes) for s in ("sent", "skipped", "failed", "unknown")}
    settings.echo(f"job {job_id} ({lock_key(on, lo, hi)}, attempt {attempt + 1}): {counts['sent']} sent, "
                  f"{counts['skipped']} skipped, {counts['failed']} failed, {counts['unknown']} unknown "
                  f"in {time.monotonic() - started:.1f} s")
    if counts["failed"]:
        raise BatchIncomplete(f"{counts['failed']} of {len(outcomes)} athletes not sent; the job is tried again")
    return counts


def make_app(store: Store, settings: WorkerSettings | None = None):
    """The Procrastinate app over the store's database, with the email task registered.

    :param settings: what the task needs to run (a worker); None to only defer jobs
    """
    from procrastinate import App, PsycopgConnector, RetryStrategy

    app = App(connector=PsycopgConnector(conninfo=_conninfo(store), min_size=1, max_size=4))
    # one thread runs every job of this process, one after another: the rule engine wants one thread
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-job")

    @app.task(name=TASK, queue=QUEUE, pass_context=True,
              retry=RetryStrategy(max_attempts=_RETRIES, wait=_RETRY_WAIT_S,
                                  retry_exceptions={BatchIncomplete}))
    async def email_batch(context, day: str, lo: int, hi: int, deadline: float = 3000.0,
                          message_deadline: float = 60.0) -> dict:
        if settings is None:
            raise RuntimeError("this process only defers jobs")
        job = context.job
        return await asyncio.get_running_loop().run_in_executor(
            executor, lambda: run_job(settings, day=day, lo=lo, hi=hi, deadline=deadline,
                                      message_deadline=message_deadline, attempt=job.attempts, job_id=job.id))

    return app


@dataclass
class Enqueued:
    day: dt.date
    added: list[str]
    present: list[str]


def enqueue_night(store: Store, day: dt.date, batches: list[tuple[int, int]], *, deadline: float = 3000.0,
                  message_deadline: float = 60.0) -> Enqueued:
    """Defer one job per range of ids for `day`, unless that night's job for the range is
    already queued, running or done (a failed or cancelled one is queued again).

    :param batches: (lo, hi) ranges from `service.email.id_batches`
    """
    from procrastinate.exceptions import AlreadyEnqueued
    from sqlalchemy import text

    ensure_schema(store)
    keys = {lock_key(day, lo, hi): (lo, hi) for lo, hi in batches}
    app = make_app(store)
    added, present = [], []
    # the advisory lock makes two enqueues of the same night take turns
    with store.engine.begin() as conn, app.open():
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
        there = set(conn.execute(text(
            "SELECT queueing_lock FROM procrastinate_jobs WHERE queueing_lock = ANY(:keys) "
            "AND status IN ('todo', 'doing', 'succeeded')"), {"keys": list(keys)}).scalars())
        task = app.tasks[TASK]
        for key, (lo, hi) in keys.items():
            if key in there:
                present.append(key)
                continue
            try:
                task.configure(queueing_lock=key, lock=key).defer(
                    day=day.isoformat(), lo=lo, hi=hi, deadline=deadline, message_deadline=message_deadline)
            except AlreadyEnqueued:
                present.append(key)
            else:
                added.append(key)
    return Enqueued(day, added, present)


async def retry_stalled(app, stalled_after: float) -> int:
    """Put back in the queue the email jobs of workers silent for `stalled_after` seconds."""
    retried = 0
    for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_after):
        try:
            await app.job_manager.retry_job(job)
        except Exception as exc:  # another worker retried it first
            log.debug("job %s not retried: %s", job.id, exc)
        else:
            retried += 1
            log.warning("job %s (%s) was running on a worker that stopped answering: queued again",
                        job.id, job.queueing_lock)
    return retried


def run_worker(settings: WorkerSettings, *, wait: bool, stalled_after: float) -> None:
    """Run one worker in this process until stopped (SIGINT/SIGTERM: the running job ends first)
    or, with `wait=False`, until the queue is empty."""
    store = settings.store()
    ensure_schema(store)
    app = make_app(store, settings)

    async def recover_forever():
        while True:
            await asyncio.sleep(max(1.0, stalled_after / 2))
            await retry_stalled(app, stalled_after)

    async def main():
        async with app.open_async():
            await retry_stalled(app, stalled_after)
            recovery = asyncio.create_task(recover_forever()) if wait else None
            try:
                await app.run_worker_async(queues=[QUEUE], wait=wait, concurrency=1,
                                           update_heartbeat_interval=max(0.5, stalled_after / 4),
                                           stalled_worker_timeout=stalled_after)
            finally:
                if recovery is not None:
                    recovery.cancel()

    try:
        asyncio.run(main())
    finally:
        settings.close()


class OneLineFormatter(logging.Formatter):
    """Procrastinate's log lines without tracebacks: the exception's first line instead."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            message = f"{message}: {first}"
        return message


def quiet_logging() -> None:
    """Warnings of the queue on stderr as one line each, no traceback."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    for name in ("procrastinate", "coach.queue"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def describe(enqueued: Enqueued) -> dict[str, Any]:
    return {"date": enqueued.day.isoformat(), "queued": len(enqueued.added),
            "already_queued": len(enqueued.present), "jobs": enqueued.added}
