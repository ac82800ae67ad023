"""`coach rules ...` through click's CliRunner and real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli.main import cli
from coach.engine.rules import builtin_dir
from coach.service.rulesets import read_rule_set


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COACH_RULES", raising=False)
    return tmp_path / "home"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_the_builtin_set(home):
    result = invoke("rules", "check")
    count = len(read_rule_set(None).rules)
    assert result.exit_code == 0, result.output
    assert result.output == f"{count} rules OK in {builtin_dir()}\n"


def test_check_reports_every_problem_and_exits_1(home, tmp_path):
    target = tmp_path / "mine"
    assert invoke("rules", "init", str(target)).exit_code == 0
    mine = target / "mine.yml"
    mine.write_text(
        "rules:\n"
        "  - id: my-rule\n"
        "    principle: P18\n"
        "    priority: 10\n"
        "    description: Mine.\n"
        "    when: load.acrw > 1.3\n"
        "    then: [simplify]\n"
        "    reason: Mine.\n"
    )
    result = invoke("rules", "check", str(target))
    assert result.exit_code == 1
    out = result.output.splitlines()
    assert out[:2] == [
        f'{mine}:3: rule "my-rule": principle "P18" does not exist (P1 to P17)',
        f'{mine}:6: rule "my-rule": unknown fact "load.acrw" (did you mean "load.acwr"?)',
    ]
    assert out[-1] == f"Error: 2 problem(s) in {target}"


def test_list_and_show(home):
    ruleset = read_rule_set(None)
    result = invoke("rules", "list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == [r.id for r in ruleset.rules]
    assert set(rows[0]) == {"id", "principle", "priority", "description", "when", "then", "reason", "file", "line"}
    text = invoke("rules", "list").output
    assert ruleset.rules[0].id in text and f"{len(ruleset.rules)} rules in" in text

    rule = ruleset.rules[0]
    shown = invoke("rules", "show", rule.id)
    assert shown.exit_code == 0
    assert f"{rule.id}  ({rule.file}:{rule.line})" in shown.output and f"when:        {rule.when}" in shown.output
    compiled = json.loads(invoke("rules", "show", rule.id, "--json", "--compiled").output)
    assert compiled["compiled"][0]["m"]["$and"][-1] == {"coach__fact": 1}

    missing = invoke("rules", "show", rule.id + "x")
    assert missing.exit_code == 1
    assert missing.output == f"Error: no rule '{rule.id}x' in {builtin_dir()} (did you mean \"{rule.id}\"?)\n"


def test_init_copies_refuses_to_overwrite_and_the_copy_is_used(home):
    result = invoke("rules", "init")
    target = home / "config" / "rules"
    assert result.exit_code == 0 and str(target) in result.output
    assert (target / "settings.yml").is_file() and (target / "sessions").is_dir()
    assert not (target / "__init__.py").exists()
    assert read_rule_set(target).version == read_rule_set(None).version

    again = invoke("rules", "init")
    assert again.exit_code == 1
    assert again.output == f"Error: {target}: already holds files; use --force to overwrite them\n"
    assert invoke("rules", "init", "--force").exit_code == 0

    first = read_rule_set(None).rules[0]
    path = target / Path(first.file).name
    path.write_text(path.read_text().replace(first.description, "Edited by my coach."))
    listed = json.loads(invoke("rules", "list", "--json").output)
    assert listed[0]["description"] == "Edited by my coach."
    assert listed[0]["file"] == str(path)


def test_rule_set_resolution_order(home, tmp_path, monkeypatch):
    from coach.cli.rulesets import resolve_rules_dir

    assert resolve_rules_dir(None) is None
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text('[rules]\ndir = "club"\n')
    assert resolve_rules_dir(None) == home / "config" / "club"
    monkeypatch.setenv("COACH_RULES", str(tmp_path / "env"))
    assert resolve_rules_dir(None) == tmp_path / "env"
    assert resolve_rules_dir(str(tmp_path / "flag")) == tmp_path / "flag"

    (home / "config" / "config.toml").write_text('[rules]\nfolder = "x"\n')
    monkeypatch.delenv("COACH_RULES")
    result = invoke("rules", "list")
    assert result.exit_code == 1
    assert result.output == f'Error: {home / "config" / "config.toml"}: [rules] takes one setting, dir = "PATH"\n'


def test_rules_option_and_env_pick_the_set(home, tmp_path, monkeypatch):
    result = invoke("rules", "list", "--rules", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nowhere'}:1: rule set directory not found\n"
    monkeypatch.setenv("COACH_RULES", str(tmp_path / "nowhere2"))
    assert f"{tmp_path / 'nowhere2'}:1: rule set directory not found" in invoke("rules", "check").output


def test_facts_and_actions(home):
    facts = json.loads(invoke("rules", "facts", "--json").output)
    acwr = next(f for f in facts if f["name"] == "load.acwr")
    assert acwr == {"name": "load.acwr", "type": "number", "unit": "ratio", "values": [],
                    "meaning": acwr["meaning"]} and acwr["meaning"]
    assert "plan.intensity" in invoke("rules", "facts").output
    actions = json.loads(invoke("rules", "actions", "--json").output)
    swap = next(a for a in actions if a["name"] == "swap")
    assert swap["params"][0]["values"] == ["steady", "easy", "recovery", "cross", "rest", "three_zone", "time_trial"]
    assert "percent: number, optional (1 to 90)" in invoke("rules", "actions").output


def test_help_of_every_rules_command_has_an_example(home):
    for name in ("check", "list", "show", "init", "facts", "actions"):
        result = invoke("rules", name, "--help")
        assert result.exit_code == 0 and "Example:" in result.output and "coach rules" in result.output


def test_real_process_check_and_prompt_exit_after_using_the_engine(tmp_path):
    env_bin = Path(sys.executable).parent
    proc = subprocess.run([str(env_bin / "coach"), "rules", "check"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.endswith(f"rules OK in {builtin_dir()}\n")
    script = (
        "import threading\n"
        "from coach.service.rulesets import read_rule_set\n"
        "from coach.engine.rules.evaluator import Evaluator\n"
        "ev = Evaluator(read_rule_set(None))\n"
        "for i in range(50): ev.evaluate(str(i), {'plan.intensity': 'hard', 'load.acwr': 1.5, 'history.days': 40})\n"
        "print(len(ev.evaluate('x', {'plan.intensity': 'hard', 'load.acwr': 1.5, 'history.days': 40})))\n"
        "print(sorted(t.name for t in threading.enumerate()))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    fired, threads = proc.stdout.splitlines()
    assert int(fired) >= 1
    assert threads == "['MainThread']"  # nothing left running that could hold the exit
