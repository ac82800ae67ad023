"""Settings: directories under COACH_HOME and the database URL order --db > env > config.toml > default."""

from __future__ import annotations

import pytest

from coach.cli.config import config_dir, data_dir, load_settings
from coach.engine.errors import InvalidInput
from coach.storage.db import normalize_url


def test_coach_home_holds_both_directories(coach_home):
    assert data_dir() == coach_home / "data"
    assert config_dir() == coach_home / "config"


def test_without_coach_home_platform_directories_are_used(monkeypatch):
    monkeypatch.delenv("COACH_HOME")
    assert data_dir().name == "coach" and config_dir().name == "coach"


def write_config(coach_home, text):
    (coach_home / "config").mkdir(exist_ok=True)
    (coach_home / "config" / "config.toml").write_text(text)


def test_default_is_a_sqlite_file_in_the_data_dir(coach_home):
    s = load_settings()
    assert (s.database_url, s.database_source) == (str(coach_home / "data" / "coach.db"), "default")


def test_precedence(coach_home, monkeypatch):
    write_config(coach_home, '[database]\nurl = "/srv/from-config.db"\n\n[smtp]\nhost = "localhost"\n')
    s = load_settings()
    assert (s.database_url, s.database_source) == ("/srv/from-config.db", str(coach_home / "config" / "config.toml"))
    assert s.smtp == {"host": "localhost"}
    monkeypatch.setenv("COACH_DATABASE_URL", "/srv/from-env.db")
    assert load_settings().database_url == "/srv/from-env.db"
    s = load_settings("/srv/from-flag.db")
    assert (s.database_url, s.database_source) == ("/srv/from-flag.db", "--db")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[database\nurl = 1", "invalid TOML"),
        ('database = "x"\n', "[database] must be a table"),
        ("[database]\nurl = 3\n", "database.url must be a non-empty string"),
        ("[database]\npath = 'x'\n", "unknown setting 'database.path'"),
        ("[databse]\nurl = 'x'\n", "unknown setting 'databse'"),
    ],
)
def test_bad_config_names_the_file(coach_home, text, message):
    write_config(coach_home, text)
    with pytest.raises(InvalidInput) as info:
        load_settings()
    assert str(info.value).startswith(str(coach_home / "config" / "config.toml") + ": ")
    assert message in str(info.value)


def test_url_normalisation(tmp_path):
    assert normalize_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:////a/b.db") == "sqlite:////a/b.db"
    assert normalize_url(":memory:") == "sqlite://"
