"""Where coach keeps things, read once into one validated `Settings` object.

Directories come from platformdirs (your user data, config and cache directories, under the
name "coach"); `COACH_HOME=DIR` puts them under one folder instead (`DIR/data`,
`DIR/config` and `DIR/cache`), which is handy for trying things out and for tests.

The database URL is the first of:

1. `--db URL|PATH` on the command line,
2. the `COACH_DATABASE_URL` environment variable,
3. `[database] url = "..."` in `config.toml` in the config directory,
4. `coach.db` in the data directory (SQLite).

A bare path (no `scheme://`) means a SQLite file. Only the standard library and
platformdirs are imported here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APP_NAME = "coach"
CONFIG_FILE = "config.toml"
DEFAULT_DB_FILE = "coach.db"

_KNOWN_SECTIONS = {"database", "smtp", "athlete", "rules"}


def _home() -> Path | None:
    home = os.environ.get("COACH_HOME", "").strip()
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    """The folder for the default database and other data (not created here)."""
    home = _home()
    if home is not None:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder holding config.toml and your edited rule set (not created here)."""
    home = _home()
    if home is not None:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The folder for caches that are safe to lose, such as validated rule sets (not created here)."""
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything coach reads from the environment and config.toml, validated."""

    data_dir: Path
    config_dir: Path
    config_file: Path
    database_url: str
    #: where database_url came from: "--db", "COACH_DATABASE_URL", "config.toml" or "default"
    database_source: str
    #: the raw [smtp] table of config.toml (validated by the email commands)
    smtp: dict[str, Any] = field(default_factory=dict)
    #: the raw [athlete] table of config.toml (e.g. a default `name`)
    athlete: dict[str, Any] = field(default_factory=dict)

    @property
    def default_database_path(self) -> Path:
        return self.data_dir / DEFAULT_DB_FILE


def _read_config(path: Path) -> dict[str, Any]:
    from coach.engine.errors import InvalidInput

    if not path.is_file():
        return {}
    import tomllib  # only when there is a file to read: not on every command's start-up

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read config file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: invalid TOML: {exc}") from None
    unknown = sorted(set(data) - _KNOWN_SECTIONS)
    if unknown:
        raise InvalidInput(
            f"{path}: unknown setting {unknown[0]!r} (known sections: {', '.join(sorted(_KNOWN_SECTIONS))})"
        )
    for section in _KNOWN_SECTIONS & set(data):
        if not isinstance(data[section], dict):
            raise InvalidInput(f"{path}: [{section}] must be a table, e.g. [{section}] on its own line")
    database = data.get("database", {})
    extra = sorted(set(database) - {"url"})
    if extra:
        raise InvalidInput(f"{path}: unknown setting 'database.{extra[0]}' (known: database.url)")
    if "url" in database and (not isinstance(database["url"], str) or not database["url"].strip()):
        raise InvalidInput(f"{path}: database.url must be a non-empty string")
    return data


def load_settings(db: str | None = None) -> Settings:
    """Read the environment and config.toml once.

    :param db: the value of `--db`, if given (it wins over everything else).
    """
    cfg_dir = config_dir()
    cfg_file = cfg_dir / CONFIG_FILE
    data = _read_config(cfg_file)
    d_dir = data_dir()
    env_url = os.environ.get("COACH_DATABASE_URL", "").strip()
    file_url = str(data.get("database", {}).get("url", "")).strip()
    if db and db.strip():
        url, source = db.strip(), "--db"
    elif env_url:
        url, source = env_url, "COACH_DATABASE_URL"
    elif file_url:
        url, source = file_url, str(cfg_file)
    else:
        url, source = str(d_dir / DEFAULT_DB_FILE), "default"
    return Settings(
        data_dir=d_dir,
        config_dir=cfg_dir,
        config_file=cfg_file,
        database_url=url,
        database_source=source,
        smtp=dict(data.get("smtp", {})),
        athlete=dict(data.get("athlete", {})),
    )


class AppContext:
    """The state of one `coach` run, carried on click's context object (`pass_app`).

    Holds the group-level options given before the command (`coach --db X history`) and the
    `Settings`, read once when the database option is resolved. Nothing here is global.
    """

    def __init__(self) -> None:
        #: option name -> value given before the command
        self.group_values: dict[str, Any] = {}
        #: the settings of this run (None until a command resolves its database)
        self.settings: Settings | None = None

    def resolve_database(self, db: str | None) -> Settings:
        """Read the settings once with `--db` (if given) and return them; the default
        database's folder is created, so that storage only ever receives a URL."""
        self.settings = load_settings(db)
        if self.settings.database_source == "default":
            from coach.storage.private import private_dir

            private_dir(self.settings.data_dir)  # health data: owner-only (0700)
        return self.settings


def _pass_app():
    import click

    return click.make_pass_decorator(AppContext, ensure=True)


#: `@pass_app` gives a command the run's AppContext (created on first use)
pass_app = _pass_app()
