"""The cache of validated rule sets: same result as validating, edits take effect, bad caches are ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import coach.service.rulesets as rulesets_mod
from coach.engine.rules import RuleSetInvalid, builtin_dir
from coach.engine.ruleset import RuleSet
from coach.service import ruleset_cache as cache
from coach.service.rulesets import read_rule_set


@pytest.fixture
def rule_set(tmp_path) -> Path:
    """An editable copy of the built-in rule set."""
    target = tmp_path / "my-rules"
    shutil.copytree(builtin_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.md"))
    return target


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def no_validation(monkeypatch):
    """Makes any full validation fail loudly: a load that succeeds came from the cache."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the rule set was validated again")

    monkeypatch.setattr(rulesets_mod, "validate_directory", refuse)
    monkeypatch.setattr(rulesets_mod, "validate_rule_set", refuse)


def _cache_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob(f"{cache.PREFIX}*.json"))


def test_cached_set_equals_the_validated_one(rule_set, cache_dir, monkeypatch):
    fresh = read_rule_set(rule_set)
    first = read_rule_set(rule_set, cache_dir=cache_dir)
    assert first == fresh
    assert len(_cache_files(cache_dir)) == 1
    with monkeypatch.context() as m:
        m.setattr(rulesets_mod, "validate_directory", lambda *a, **k: pytest.fail("validated again"))
        cached = read_rule_set(rule_set, cache_dir=cache_dir)
    assert cached == fresh
    assert cached.version == fresh.version and cached.directory == rule_set
    assert [r.condition for r in cached.rules] == [r.condition for r in fresh.rules]
    # every part comes from the one cache entry: templates, classify.yml and trends.yml too
    assert cached.templates == fresh.templates and cached.classify == fresh.classify
    assert cached.trends == fresh.trends


def test_the_whole_rule_set_survives_its_json_form():
    original = read_rule_set()
    back = RuleSet.model_validate(json.loads(json.dumps(original.model_dump(mode="json"))))
    assert back == original
    assert back.templates.find("5k", "intervals") == original.templates.find("5k", "intervals")
    assert back.templates.slot_kinds == original.templates.slot_kinds
    assert back.templates.directory == original.templates.directory
    assert back.classify.kinds == original.classify.kinds and back.classify.form == original.classify.form


def test_an_edited_rule_takes_effect(rule_set, cache_dir):
    before = read_rule_set(rule_set, cache_dir=cache_dir)
    form = rule_set / "form.yml"
    form.write_text(form.read_text().replace("shorten: {percent: 25}", "shorten: {percent: 40}"))
    after = read_rule_set(rule_set, cache_dir=cache_dir)
    assert after.version != before.version
    rule = after.rule("form-broke-shorten")
    assert rule.then[0].params == {"percent": 40}
    assert before.rule("form-broke-shorten").then[0].params == {"percent": 25}
    assert len(_cache_files(cache_dir)) == 1  # the stale entry was replaced, not kept beside
    assert read_rule_set(rule_set, cache_dir=cache_dir) == after


def test_an_edited_template_takes_effect(rule_set, cache_dir):
    read_rule_set(rule_set, cache_dir=cache_dir)
    sessions = rule_set / "sessions"
    before = read_rule_set(rule_set, cache_dir=cache_dir)
    assert before.templates.find("5k", "easy").main[0].duration_s == 40 * 60
    common = sessions / "common.yml"
    common.write_text(common.read_text().replace("duration: 40min, pace: easy", "duration: 35min, pace: easy", 1))
    after = read_rule_set(rule_set, cache_dir=cache_dir)
    assert after.templates.find("5k", "easy").main[0].duration_s == 35 * 60


def test_an_edited_classify_file_takes_effect(rule_set, cache_dir):
    before = read_rule_set(rule_set, cache_dir=cache_dir)
    path = rule_set / "classify.yml"
    text = path.read_text()
    assert "work_pace_pct:" in text
    edited = "\n".join(("  work_pace_pct: 33" if line.strip().startswith("work_pace_pct:") else line)
                       for line in text.splitlines()) + "\n"
    path.write_text(edited)
    after = read_rule_set(rule_set, cache_dir=cache_dir)
    assert after.classify.form.work_pace_pct == 33 != before.classify.form.work_pace_pct


def test_a_set_made_invalid_is_refused_with_the_same_messages(rule_set, cache_dir):
    read_rule_set(rule_set, cache_dir=cache_dir)
    fatigue = rule_set / "fatigue.yml"
    fatigue.write_text(fatigue.read_text().replace("load.acwr > 1.3", "load.acwrr > 1.3", 1))
    with pytest.raises(RuleSetInvalid) as uncached:
        read_rule_set(rule_set)
    with pytest.raises(RuleSetInvalid) as cached:
        read_rule_set(rule_set, cache_dir=cache_dir)
    assert [str(p) for p in cached.value.problems] == [str(p) for p in uncached.value.problems]
    assert any("fatigue.yml:" in str(p) and "load.acwrr" in str(p) for p in cached.value.problems)


def test_an_invalid_set_is_never_cached(rule_set, cache_dir):
    (rule_set / "settings.yml").write_text("facts: [\n")
    for _ in range(2):
        with pytest.raises(RuleSetInvalid) as info:
            read_rule_set(rule_set, cache_dir=cache_dir)
        assert any("settings.yml:" in str(p) for p in info.value.problems)
    assert _cache_files(cache_dir) == []


def test_a_missing_directory_is_refused_as_without_cache(tmp_path, cache_dir):
    with pytest.raises(RuleSetInvalid) as info:
        read_rule_set(tmp_path / "nowhere", cache_dir=cache_dir)
    assert "rule set directory not found" in str(info.value)


@pytest.mark.parametrize("content", [
    b"",
    b"\x00\xff not json at all",
    b'{"key": "',  # cut short
    b"[1, 2, 3]",
    b'{"key": null, "ruleset": {}}',
])
def test_a_corrupt_cache_is_ignored_and_rebuilt(rule_set, cache_dir, content):
    fresh = read_rule_set(rule_set, cache_dir=cache_dir)
    (path,) = _cache_files(cache_dir)
    path.write_bytes(content)
    assert read_rule_set(rule_set, cache_dir=cache_dir) == fresh
    assert json.loads(path.read_bytes())["ruleset"]["version"] == fresh.version  # rewritten whole


def test_a_cache_with_the_right_key_but_broken_content_is_ignored(rule_set, cache_dir):
    fresh = read_rule_set(rule_set, cache_dir=cache_dir)
    (path,) = _cache_files(cache_dir)
    data = json.loads(path.read_bytes())
    data["ruleset"]["rules"][0]["condition"] = {"node": "no-such-node"}
    path.write_text(json.dumps(data))
    assert read_rule_set(rule_set, cache_dir=cache_dir) == fresh


def test_a_stale_key_is_ignored(rule_set, cache_dir):
    fresh = read_rule_set(rule_set, cache_dir=cache_dir)
    (path,) = _cache_files(cache_dir)
    data = json.loads(path.read_bytes())
    data["key"] = "0" * 64
    data["ruleset"]["rules"] = []  # what an older coach might have stored
    path.write_text(json.dumps(data))
    assert read_rule_set(rule_set, cache_dir=cache_dir) == fresh


def test_new_engine_code_misses_the_cache(rule_set, cache_dir, monkeypatch):
    version = rulesets_mod.content_version(rule_set)
    key = cache.cache_key(rule_set, version)
    assert cache.cache_key(rule_set, version) == key  # stable
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "another build of coach")
    assert cache.cache_key(rule_set, version) != key
    assert cache.cache_key(rule_set.parent / "elsewhere", version) != key


def test_an_unwritable_cache_folder_only_costs_time(rule_set, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    assert read_rule_set(rule_set, cache_dir=blocker) == read_rule_set(rule_set)
    assert blocker.read_text() == "a file where the cache folder would be"
    assert not list(tmp_path.glob("*.tmp"))


def test_hit_needs_no_validation(rule_set, cache_dir, request):
    fresh = read_rule_set(rule_set, cache_dir=cache_dir)
    request.getfixturevalue("no_validation")
    assert read_rule_set(rule_set, cache_dir=cache_dir) == fresh
    with pytest.raises(AssertionError, match="validated again"):
        read_rule_set(rule_set)  # the check can fail: without the cache it validates


def test_a_set_without_classify_follows_the_built_in_file(rule_set, cache_dir, monkeypatch, tmp_path):
    """A set that leaves classify.yml out uses the built-in one: its version follows that file."""
    (rule_set / "classify.yml").unlink()
    first = read_rule_set(rule_set, cache_dir=cache_dir)
    assert first.classify == read_rule_set().classify
    fake_builtin = tmp_path / "builtin"
    shutil.copytree(builtin_dir(), fake_builtin, ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.md"))
    text = (fake_builtin / "classify.yml").read_text()
    (fake_builtin / "classify.yml").write_text(text.replace("work_pace_pct: 25", "work_pace_pct: 30", 1))
    monkeypatch.setattr(rulesets_mod, "builtin_dir", lambda: fake_builtin)
    second = read_rule_set(rule_set, cache_dir=cache_dir)
    assert second.version != first.version
    assert second.classify.form.work_pace_pct == 30
