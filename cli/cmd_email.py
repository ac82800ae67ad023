"""`coach email`: email each athlete the proposed session (default: tomorrow's)."""

from __future__ import annotations

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
@click.option("--force", is_flag=True, help="Send again even if this date's email was already sent.")
@db_option
@rules_option
@click.pass_context
@handle_errors
def email(ctx, on_date, athlete_name, all_athletes, to, dry_run, force, db_url, rules_dir) -> None:
    """Propose and email the session for a day, with a calendar (.ics) event attached.

    \b
    Example:
      coach email --all                  # every athlete with an address, tomorrow's session
      coach email --athlete Ana --dry-run

    Safe for cron: no prompts, progress on stderr, and each athlete gets at most one
    email per date (use --force to send again). A failed send is recorded, makes the exit
    status 1, and is retried on the next run. SMTP settings come from [smtp] in
    config.toml and COACH_SMTP_HOST, COACH_SMTP_PORT, COACH_SMTP_SECURITY
    (starttls|tls|none), COACH_SMTP_USER, COACH_SMTP_FROM, COACH_SMTP_CAFILE; the password
    from COACH_SMTP_PASSWORD or a file readable only by you (COACH_SMTP_PASSWORD_FILE).
    """
    from click.core import ParameterSource

    from coach.cli.mailer import smtp_sender
    from coach.cli.options import app_of, resolve_day
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.email import check_address, email_day
    from coach.storage import open_store

    if all_athletes and ctx.get_parameter_source("athlete_name") is ParameterSource.ENVIRONMENT:
        athlete_name = None  # --all on the command line wins over COACH_ATHLETE
    day = resolve_day(on_date)
    # Settings and the password are checked before anything is sent, so that a bad setting
    # fails the whole run at once.
    check_address(to)
    config = app_of(ctx).settings
    assert config is not None, "--db resolves the settings"
    ruleset = rule_set_in_use(rules_dir)
    sender = smtp_sender(config.smtp, str(config.config_file), dry_run, watch=ruleset.planned.watch)
    evaluator = ruleset.evaluator()
    with open_store(db_url) as store:
        outcomes = email_day(store.unit_of_work, sender, day=day, ruleset=ruleset, evaluator=evaluator,
                             athlete_name=athlete_name, all_athletes=all_athletes, to=to,
                             dry_run=dry_run, force=force)
    for outcome in outcomes:
        if outcome.status == "dry-run":
            click.echo(outcome.message.as_string())
        click.echo(outcome.line(), err=True)
    if any(o.status == "failed" for o in outcomes):
        ctx.exit(1)
