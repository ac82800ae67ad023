"""`coach email`: email each athlete the proposed session (default: tomorrow's)."""

from __future__ import annotations

import json
import signal
import sys
import time

import click

from coach.cli.options import athlete_option, db_option, handle_errors, rules_option


def _one_address(value: str | None) -> str | None:
    """One address on one line: a line break would add headers (Bcc:) to the message."""
    if value is not None and any(c in value for c in "\r\n\x00") or value is not None and not value.strip():
        raise click.BadParameter("give one email address on one line, e.g. ana@example.org")
    return value


@click.command("email")
@click.option("--date", "on_date", default="tomorrow", show_default=True, metavar="YYYY-MM-DD",
              help="The day whose session to send. Also accepts 'today', 'tomorrow'.")
@athlete_option
@click.option("--all", "all_athletes", is_flag=True, help="Email every athlete who has an address.")
@click.option("--to", metavar="ADDR", callback=lambda ctx, param, value: _one_address(value),
              help="Send to this address instead of the athlete's own.")
@click.option("--dry-run", is_flag=True, help="Print the full message instead of sending it; records nothing.")
@click.option("--force", is_flag=True,
              help="Send again even if this date's email was sent, may have been sent, or is claimed.")
@click.option("--deadline", "run_deadline", type=click.FloatRange(min=1), default=3000.0, show_default=True,
              metavar="SECONDS", help="Start no message after this long; the run then ends.")
@click.option("--message-deadline", type=click.FloatRange(min=1), default=60.0, show_default=True,
              metavar="SECONDS", help="Give up on one message after this long, connecting included.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes sharing the athletes by id (for large clubs).")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Athletes claimed, proposed and recorded per transaction. A run killed "
                   "mid-batch leaves at most this many claimed and unsent. With --queue: "
                   "athlete ids per job.")
@click.option("--queue", "use_queue", is_flag=True,
              help="With --all on a PostgreSQL store: queue one job per batch of athletes for "
                   "`coach worker` processes (on any machine) instead of sending from here.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcomes and a summary as JSON on stdout.")
@db_option
@rules_option
@click.pass_context
@handle_errors
def email(ctx, on_date, athlete_name, all_athletes, to, dry_run, force, run_deadline, message_deadline,
          workers, batch_size, use_queue, as_json, db_url, rules_dir) -> None:
    """Propose and email the session for a day, with a calendar (.ics) event attached.

    \b
    Example:
      coach email --all      # everyone with an address, tomorrow's session
      coach email --athlete Ana --dry-run
      coach email --all --workers 2 --deadline 1800
      coach email --all --queue --batch-size 50   # then `coach worker` sends them

    Safe for cron: no prompts, one line per athlete on stderr and a summary line, and each
    athlete gets exactly one email per date, even when two runs overlap: a run claims a
    date before sending it. A failed send (nothing reached the server) is recorded, makes
    the exit status 1, and is retried on the next run. An email the server may have taken
    without confirming it (no answer after the message was sent, or a run killed while
    sending) is reported as 'unknown' (exit status 1) and not sent again unless --force.
    SMTP settings come from [smtp] in config.toml and COACH_SMTP_HOST, COACH_SMTP_PORT,
    COACH_SMTP_SECURITY (starttls|tls|none), COACH_SMTP_USER, COACH_SMTP_FROM,
    COACH_SMTP_CAFILE, COACH_SMTP_TIMEOUT, COACH_SMTP_MAX_PER_CONNECTION; the password from
    COACH_SMTP_PASSWORD or a file readable only by you (COACH_SMTP_PASSWORD_FILE).

    With --queue (PostgreSQL only) nothing is sent from here: one job per --batch-size
    athlete ids is queued in the database, once per date (queueing the same night again
    adds nothing), and `coach worker` sends them, with the same claims, on any machine
    that reaches the database.
    """
    from click.core import ParameterSource

    from coach.cli.mailer import smtp_sender
    from coach.cli.options import app_of, resolve_day
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.email import check_address

    if all_athletes and ctx.get_parameter_source("athlete_name") is ParameterSource.ENVIRONMENT:
        athlete_name = None  # --all on the command line wins over COACH_ATHLETE
    day = resolve_day(on_date)
    if use_queue:
        _enqueue(ctx, day, all_athletes=all_athletes, athlete_name=athlete_name, to=to, dry_run=dry_run,
                 force=force, workers=workers, batch_size=batch_size, run_deadline=run_deadline,
                 message_deadline=message_deadline, as_json=as_json, db_url=db_url)
        return
    # Settings and the password are checked before anything is sent, so that a bad setting
    # fails the whole run at once.
    check_address(to)
    config = app_of(ctx).settings
    assert config is not None, "--db resolves the settings"
    smtp_sender(config.smtp, str(config.config_file), dry_run)
    rule_set_in_use(rules_dir)
    started = time.monotonic()
    job = dict(db_url=db_url, rules_dir=rules_dir, smtp=dict(config.smtp or {}), config_file=str(config.config_file),
               day=day, athlete_name=athlete_name, all_athletes=all_athletes, to=to, dry_run=dry_run, force=force,
               run_deadline=run_deadline, message_deadline=message_deadline, batch_size=batch_size)
    # a cron timeout (SIGTERM) ends the run as Ctrl-C does: outcomes recorded, unsent claims released
    signal.signal(signal.SIGTERM, _interrupted)
    if workers == 1 or dry_run or not all_athletes:
        show = _Progress(as_json)
        outcomes = _run_shard(job, None, show)
        show.close()
    else:
        outcomes = _run_workers(job, workers, as_json)
    outcomes.sort(key=lambda o: o.athlete.lower())
    elapsed = time.monotonic() - started
    counts = {s: sum(o.status == s for o in outcomes) for s in ("sent", "skipped", "failed", "unknown")}
    summary = (f"email {day.isoformat()}: {counts['sent']} sent, {counts['skipped']} skipped, "
               f"{counts['failed']} failed, {counts['unknown']} unknown in {elapsed:.1f} s")
    if as_json:
        click.echo(json.dumps({"date": day.isoformat(), **counts, "seconds": round(elapsed, 3),
                               "outcomes": [_as_dict(o) for o in outcomes]}, indent=2))
    else:
        for outcome in outcomes:
            if outcome.status == "dry-run":
                click.echo(outcome.message.as_string())
    if len(outcomes) > 1 or as_json:
        click.echo(summary, err=True)
    if any(o.status in ("failed", "unknown") for o in outcomes):
        ctx.exit(1)


def _enqueue(ctx, day, *, all_athletes, athlete_name, to, dry_run, force, workers, batch_size, run_deadline,
             message_deadline, as_json, db_url) -> None:
    """`coach email --all --queue`: one job per batch of athlete ids for the night, once."""
    from coach.cli.jobqueue import describe, enqueue_night, require_queue
    from coach.service.email import id_batches
    from coach.storage import open_store

    if not all_athletes or athlete_name:
        raise click.UsageError("--queue sends to every athlete: use it with --all")
    for given, flag in ((to, "--to"), (dry_run, "--dry-run"), (force, "--force"), (workers > 1, "--workers")):
        if given:
            raise click.UsageError(f"--queue does not combine with {flag} (run without --queue for that)")
    require_queue(db_url)
    with open_store(db_url) as store:
        batches = id_batches(store.unit_of_work, batch_size)
        done = enqueue_night(store, day, batches, deadline=run_deadline, message_deadline=message_deadline)
    if as_json:
        click.echo(json.dumps(describe(done), indent=2))
    click.echo(f"email {day.isoformat()}: {len(done.added)} job(s) queued, {len(done.present)} already "
               f"queued; `coach worker` sends them", err=True)


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


def _as_dict(outcome) -> dict:
    return {"athlete": outcome.athlete, "date": outcome.date.isoformat(), "status": outcome.status,
            "recipient": outcome.recipient, "message_id": outcome.message_id, "detail": outcome.detail}


class _Progress:
    """One line per athlete on stderr; on a terminal, a progress bar and only what needs a look."""

    def __init__(self, quiet: bool = False, total: int | None = None):
        self.quiet = quiet
        self._bar = None
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task("emailing", total=total)

    def __call__(self, outcome) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)
            if outcome.status in ("sent", "dry-run"):
                return
            self._bar.console.print(outcome.line(), markup=False, highlight=False)
        elif not self.quiet:
            click.echo(outcome.line(), err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _run_shard(job: dict, shard: tuple[int, int] | None, on_outcome) -> list:
    """Run `coach email` (or one shard of it) in this process; returns the outcomes."""
    from coach.cli.mailer import smtp_sender
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.email import email_day
    from coach.storage import open_store

    ruleset = rule_set_in_use(job["rules_dir"])
    sender = smtp_sender(job["smtp"], job["config_file"], job["dry_run"], watch=ruleset.planned.watch)
    with open_store(job["db_url"]) as store, sender:
        return email_day(store.unit_of_work, sender, day=job["day"], ruleset=ruleset,
                         evaluator=ruleset.evaluator(), athlete_name=job["athlete_name"],
                         all_athletes=job["all_athletes"], to=job["to"], dry_run=job["dry_run"],
                         force=job["force"], run_deadline_s=job["run_deadline"],
                         message_deadline_s=job["message_deadline"], batch_size=job["batch_size"],
                         shard=shard, on_outcome=on_outcome)


def _worker(job: dict, k: int, n: int) -> list:
    outcomes = _run_shard(job, (k, n), None)
    for o in outcomes:
        o.message = None
    return outcomes


def _run_workers(job: dict, workers: int, as_json: bool) -> list:
    """Shard the athletes by id over `workers` processes, each with its own store connection,
    rules and SMTP connection; each prints its own lines as it goes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # no state of this process is shared
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_worker, job, k, workers) for k in range(workers)]
        outcomes = []
        for future in futures:
            outcomes += future.result()
    if not as_json:
        for o in sorted(outcomes, key=lambda o: o.athlete.lower()):
            click.echo(o.line(), err=True)
    return outcomes
