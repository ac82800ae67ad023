"""Files and folders that hold an athlete's data are readable by their owner only.

The log is health data (heart rates, sleep, soreness, notes): the default data folder is
created 0700, a SQLite database file 0600 before SQLite first opens it (SQLite gives its
``-wal``, ``-shm`` and ``-journal`` files the database file's mode), and files coach
exports (calendars, charts) 0600. A file or folder coach created earlier with wider
permissions is narrowed when coach opens it, if it belongs to the user running coach.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
#: the files SQLite keeps beside a database
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _narrow(path: Path, mode: int) -> None:
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(info.st_mode) & ~0o077 | (mode & 0o700))
    except OSError:
        pass  # not ours to change (a shared folder, a read-only mount): leave it as it is


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if needed; the folder itself is owner-only (0700).

    :param path: a folder that will hold the athlete's data
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _narrow(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty and owner-only (0600) if it does not exist; narrow it if it does.

    :param path: a file that will hold the athlete's data (its folder must exist)
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except FileExistsError:
        _narrow(path, FILE_MODE)
    except OSError:
        return path  # the caller's own open reports a folder that cannot be written
    else:
        os.close(fd)
    return path


def private_sqlite(database: str | os.PathLike[str]) -> None:
    """Make a SQLite database file (and the companions SQLite keeps beside it) owner-only."""
    path = Path(database).expanduser()
    if not path.parent.is_dir():
        return
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _narrow(companion, FILE_MODE)
