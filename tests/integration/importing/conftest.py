"""Fixtures for importing watch files: where the real device files are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _real_dir() -> Path:
    env = os.environ.get("COACH_REAL_DATA")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "testdata" / "real"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The folder of real device files (SOURCES.md lists them); tests skip without it."""
    path = _real_dir()
    if not (path / "fit").is_dir():
        pytest.skip(f"real device files not found (set COACH_REAL_DATA or place them at {path})")
    return path
