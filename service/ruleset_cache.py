"""A cache of validated rule sets, so that a command does not parse and validate YAML on every run.

One JSON file per rule set directory, in a folder the caller chooses (the CLI uses the user's
cache directory). It holds the whole loaded rule set (pydantic's JSON of `RuleSet`: rules,
settings, session templates, classify.yml and trends.yml), under a key made of:

- the rule set's folder and content hash (`RuleSet.version`: every YAML file, names and bytes),
  so an edited rule file, setting or template misses the cache and is validated again;
- a fingerprint of coach's engine and service code (names, sizes and modification times of
  their modules),
  so a new coach never trusts what an older one validated.

Only a valid set is ever written. The cache is safe to lose: a missing, unreadable, corrupt or
stale file is ignored (and rewritten after a full validation). Reading it only parses JSON into
the same models the validator builds; nothing in it is executed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from coach.engine.ruleset import RuleSet

#: bump when the layout of a cache file changes
FORMAT = 2
PREFIX = "ruleset-"


def _code_fingerprint() -> str:
    import coach.engine

    # the engine validates; this package reads the files (fallbacks included): both shape a set
    digest = hashlib.sha256()
    stack = [Path(coach.engine.__file__).resolve().parent, Path(__file__).resolve().parent]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir() and entry.name != "__pycache__":
                    stack.append(Path(entry.path))
                elif entry.name.endswith(".py"):
                    st = entry.stat()
                    digest.update(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def cache_key(directory: Path, version: str) -> str:
    """The key a rule set's cache entry must carry to be used."""
    import pydantic

    text = f"{FORMAT}\0{directory}\0{version}\0{pydantic.VERSION}\0{_code_fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()


def cache_file(cache_dir: Path, directory: Path) -> Path:
    """The cache file of a rule set directory (one per directory, overwritten when stale)."""
    name = hashlib.sha256(str(directory).encode()).hexdigest()[:20]
    return Path(cache_dir) / f"{PREFIX}{name}.json"


def read(cache_dir: Path, directory: Path, key: str) -> RuleSet | None:
    """The cached rule set of `directory`; None if there is no usable entry."""
    try:
        data = json.loads(cache_file(cache_dir, directory).read_bytes())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        ruleset = RuleSet.model_validate(data["ruleset"])
        if ruleset.directory != directory:
            return None
    except Exception:  # noqa: BLE001 - any unreadable or malformed cache is a miss
        return None
    return ruleset


def write(cache_dir: Path, ruleset: RuleSet, key: str) -> None:
    """Store a validated rule set; failures are ignored."""
    data: dict[str, Any] = {"key": key, "ruleset": ruleset.model_dump(mode="json")}
    target = cache_file(cache_dir, ruleset.directory)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, target)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
