"""Walking a folder of watch files without leaving it.

A folder given to `coach import` is searched recursively, but only inside itself: a
symbolic link (to a file or a folder) whose target lies outside the folder is skipped
with a reason, never read, so a link such as ``shadow.gpx -> /etc/shadow`` in a
downloaded folder reads nothing. Links that stay inside the folder are followed once
(a loop of links is walked once). Only regular files are read: a pipe or device with
a workout's name is skipped (reading it could block forever).

The folder may change while it is imported (someone else may write to it): each file's
identity as checked (device and inode, in `Walk.checked`) goes to the read, which opens it
without following a link and refuses a file that is no longer the one checked
(`coach.storage.readers.safety.read_limited`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

OUTSIDE = "skipped: a link to outside the folder (name its target to import it)"
NOT_REGULAR = "skipped: not a regular file (a pipe or device)"
BROKEN = "skipped: a link to nothing"


@dataclass
class Walk:
    """What a folder holds: files to read (in name order), files skipped with why, others."""

    files: list[Path] = field(default_factory=list)
    #: file as shown -> (the path to open, st_dev, st_ino) of the file that was checked; a
    #: link inside the folder is opened at its target
    checked: dict[Path, tuple[Path, int, int]] = field(default_factory=dict)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    #: files whose names are not workout files (photos, notes)
    ignored: int = 0


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def walk_folder(folder: Path, wanted: Callable[[Path], bool]) -> Walk:
    """The files under `folder` that `wanted` accepts, staying inside `folder`.

    :param folder: the folder named by the user (itself may be a link: its target is walked)
    :param wanted: whether a file's name is one to import
    """
    root = Path(folder).resolve()
    walk = Walk()
    seen_dirs: set[Path] = set()

    def visit(directory: Path, shown: Path) -> None:
        real = directory.resolve()
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            walk.skipped.append((shown, "skipped: folder cannot be read"))
            return
        for entry in entries:
            path = shown / entry.name
            target = opened = Path(entry.path)
            if entry.is_symlink():
                try:
                    resolved = target.resolve(strict=True)
                except (OSError, RuntimeError):
                    if wanted(path):
                        walk.skipped.append((path, BROKEN))
                    continue
                if not _inside(resolved, root):
                    walk.skipped.append((path, OUTSIDE))
                    continue
                opened = resolved
            try:
                info = os.stat(opened, follow_symlinks=False)
            except OSError:
                continue
            mode = info.st_mode
            if stat.S_ISDIR(mode):
                visit(target, path)
            elif not wanted(path):
                walk.ignored += 1
            elif not stat.S_ISREG(mode):
                walk.skipped.append((path, NOT_REGULAR))
            else:
                walk.files.append(path)
                walk.checked[path] = (opened, info.st_dev, info.st_ino)

    visit(Path(folder), Path(folder))
    return walk
