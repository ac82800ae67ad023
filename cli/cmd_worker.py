"""`coach worker`: run the nightly email jobs that `coach email --all --queue` queued."""

from __future__ import annotations

import click

from coach.cli.options import db_option, handle_errors, rules_option


@click.command("worker")
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes on this machine, each running one job at a time.")
@click.option("--wait/--once", default=True, show_default=True,
              help="Keep waiting for jobs until stopped, or stop once the queue is empty.")
@click.option("--stalled-after", type=click.FloatRange(min=1), default=30.0, show_default=True,
              metavar="SECONDS", help="A worker silent this long is taken for dead and its job is queued again.")
@db_option
@rules_option
@click.pass_context
@handle_errors
def worker_command(ctx, concurrency, wait, stalled_after, db_url, rules_dir) -> None:
    """Send the queued nightly emails (PostgreSQL store): run on any machine that reaches the database.

    \b
    Example:
      coach email --all --queue --db postgresql://coach@db/club  # queue
      coach worker --db postgresql://coach@db/club --concurrency 2  # send
      coach worker --once          # send what is queued, then stop

    Each job emails one batch of athletes with the same exactly-once claims as `coach email`:
    an athlete already sent (or perhaps sent) is skipped. A worker that stops answering for
    --stalled-after seconds (killed, machine down) is taken for dead and its job is queued
    again. SIGTERM or Ctrl-C stops a worker once its running job is done. The SMTP settings
    and the rule set are this machine's (see `coach email --help`).
    """
    from coach.cli.jobqueue import ensure_schema, require_queue
    from coach.cli.mailer import smtp_sender
    from coach.cli.options import app_of
    from coach.cli.rulesets import rule_set_in_use
    from coach.storage import open_store

    require_queue(db_url)
    config = app_of(ctx).settings
    assert config is not None, "--db resolves the settings"
    smtp_sender(config.smtp, str(config.config_file), False)  # bad settings fail here, not in a job
    rule_set_in_use(rules_dir)
    with open_store(db_url) as store:
        ensure_schema(store)
    job = dict(db_url=db_url, rules_dir=rules_dir, smtp=dict(config.smtp or {}), config_file=str(config.config_file))
    if concurrency == 1:
        _work(job, wait, stalled_after)
        return
    import multiprocessing
    import signal

    # SIGTERM stops the workers as Ctrl-C does: each ends its running job, then stops
    signal.signal(signal.SIGTERM, _interrupted)
    context = multiprocessing.get_context("spawn")  # no state of this process is shared
    processes = [context.Process(target=_work, args=(job, wait, stalled_after), name=f"coach-worker-{k}")
                 for k in range(concurrency)]
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.join()
    except KeyboardInterrupt:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()
    if any(p.exitcode for p in processes):
        ctx.exit(1)


def _work(job: dict, wait: bool, stalled_after: float) -> None:
    from coach.cli.jobqueue import WorkerSettings, quiet_logging, run_worker

    quiet_logging()
    settings = WorkerSettings(**job, echo=lambda line: click.echo(line, err=True))
    run_worker(settings, wait=wait, stalled_after=stalled_after)


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt
