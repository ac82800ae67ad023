"""`coach rules`: check, list, show and copy rule sets; print the words rule files may use."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coach.cli.options import handle_errors, json_option, rules_option


def _load(rules_dir):
    from coach.cli.rulesets import resolve_rules_dir
    from coach.service.rulesets import read_rule_set

    return read_rule_set(resolve_rules_dir(rules_dir))


@click.group("rules")
def rules_group() -> None:
    """Check, list and edit the rule sets that adapt your sessions.

    A rule set is a folder of YAML files: settings.yml, rule files, session
    templates. The rule set in use is --rules DIR (or COACH_RULES), else the
    [rules] dir of config.toml, else your copy from `coach rules init`, else
    the built-in rules. See `coach rules facts` for the words conditions may use.

    \b
    Example:
      coach rules init && coach rules check
    """


@rules_group.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@rules_option
@handle_errors
def check_command(directory, rules_dir) -> None:
    """Check a rule set: print every problem as file:line: message.

    Exits 1 if there is any problem. Without DIR, checks the rule set in use.

    \b
    Example:
      coach rules check ~/my-rules
    """
    from coach.cli.rulesets import resolve_rules_dir
    from coach.engine.rules import builtin_dir
    from coach.service.rulesets import validate_directory

    target = resolve_rules_dir(directory or rules_dir)
    ruleset, problems = validate_directory(target)
    where = target if target is not None else builtin_dir()
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in {where}")
    click.echo(f"{len(ruleset.rules)} rules OK in {where}")


@rules_group.command("list")
@json_option
@rules_option
@handle_errors
def list_command(as_json, rules_dir) -> None:
    """List the rules of the rule set in use, highest priority first.

    \b
    Example:
      coach rules list --json
    """
    ruleset = _load(rules_dir)
    if as_json:
        click.echo(json.dumps([_rule_json(r) for r in ruleset.rules], indent=2, ensure_ascii=False))
        return
    width = max((len(r.id) for r in ruleset.rules), default=2)
    click.echo(f"{'ID':<{width}}  PRINCIPLE  PRIORITY  DESCRIPTION")
    for r in ruleset.rules:
        click.echo(f"{r.id:<{width}}  {r.principle:<9}  {r.priority:>8}  {r.description}")
    click.echo(f"{len(ruleset.rules)} rules in {ruleset.directory} (version {ruleset.version})")


def _rule_json(rule) -> dict:
    return {
        "id": rule.id, "principle": rule.principle, "priority": rule.priority,
        "description": rule.description, "when": rule.when,
        "then": [{a.name: a.params} for a in rule.then], "reason": rule.reason,
        "file": rule.file, "line": rule.line,
    }


@rules_group.command("show")
@click.argument("rule_id")
@json_option
@click.option("--compiled", is_flag=True, help="Also print the durable_rules form the condition compiles to.")
@rules_option
@handle_errors
def show_command(rule_id, as_json, compiled, rules_dir) -> None:
    """Show one rule in full: where it is, its condition, actions and reason.

    \b
    Example:
      coach rules show fatigue-load-spike
    """
    from coach.engine.rules.compiler import compiled_json

    ruleset = _load(rules_dir)
    rule = ruleset.rule(rule_id)
    data = _rule_json(rule)
    if compiled:
        data["compiled"] = compiled_json([rule])["r0"]["all"]
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{rule.id}  ({rule.file}:{rule.line})")
    click.echo(f"  principle:   {rule.principle}")
    click.echo(f"  priority:    {rule.priority}")
    click.echo(f"  description: {rule.description}")
    click.echo(f"  when:        {rule.when}")
    for action in rule.then:
        params = ", ".join(f"{k}: {v}" for k, v in action.params.items())
        click.echo(f"  then:        {action.name}" + (f" {{{params}}}" if params else ""))
    click.echo(f"  reason:      {rule.reason}")
    if compiled:
        click.echo("  compiled:    " + json.dumps(data["compiled"], ensure_ascii=False))


@rules_group.command("init")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files already in DIR.")
@handle_errors
def init_command(directory, force) -> None:
    """Copy the built-in rule set to DIR (default: rules/ in your config directory) to edit.

    The copy in your config directory is used automatically from then on; a copy
    elsewhere is used with --rules DIR. Refuses to overwrite files without --force.

    \b
    Example:
      coach rules init ~/my-rules
    """
    from coach.cli.rulesets import copy_ruleset, user_rules_dir

    target = Path(directory) if directory else user_rules_dir()
    count = copy_ruleset(target, force=force)
    click.echo(f"Copied the built-in rule set ({count} files) to {target}")
    hint = "" if directory is None else f" and use it with --rules {target}"
    click.echo(f"Edit it, check it with `coach rules check {target}`{hint}.")


@rules_group.command("facts")
@json_option
def facts_command(as_json) -> None:
    """The facts rule conditions may use: name, type, unit and meaning.

    \b
    Example:
      coach rules facts --json
    """
    from coach.engine.vocabulary import FACTS

    rows = [{"name": f.name, "type": f.type, "unit": f.unit, "meaning": f.description,
             "values": list(f.values)} for f in FACTS]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        kind = r["type"] + (f" ({r['unit']})" if r["unit"] else "")
        values = f" [{', '.join(r['values'])}]" if r["values"] else ""
        click.echo(f"{r['name']:<{width}}  {kind:<20}  {r['meaning']}{values}")


@rules_group.command("actions")
@json_option
def actions_command(as_json) -> None:
    """The actions rules may take in `then:`, with their parameters.

    \b
    Example:
      coach rules actions
    """
    from coach.engine.vocabulary import ACTIONS

    def param(p) -> dict:
        return {"name": p.name, "type": p.type, "required": p.required, "values": list(p.values),
                "minimum": p.minimum, "maximum": p.maximum}

    rows = [{"name": a.name, "description": a.description, "params": [param(p) for p in a.params]}
            for a in ACTIONS]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for a in ACTIONS:
        click.echo(f"{a.name}: {a.description}")
        for p in a.params:
            limits = []
            if p.values:
                limits.append("one of " + ", ".join(p.values))
            if p.minimum is not None:
                limits.append(f"{p.minimum:g} to {p.maximum:g}")
            extra = f" ({'; '.join(limits)})" if limits else ""
            click.echo(f"    {p.name}: {p.type}{'' if p.required else ', optional'}{extra}")
