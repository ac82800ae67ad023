"""Limits that keep a hostile or broken file from costing more than a real one.

Every reader goes through these before and while it parses: the size of a file (and of
what a gzip expands to) and the number of records it holds are capped, so that a small
file cannot become a large parse (a "zip bomb" or a file of millions of points), and
memory stays proportional to what real devices write. Each refusal is an
`UnreadableFile` saying which limit was reached.

The caps are far above real files: the largest watch files we test with are under 0.5 MB
(a GPX of about 2,000 points, read in 0.2 s and 48 MB of memory); a 24-hour activity
recorded every second is about 86,400 records, 4-9 MB as FIT and 20-30 MB as GPX or TCX.
Measured at the point cap (100,000 points): a GPX takes about 6 s and 520 MB, a TCX
about 1.3 s and 320 MB; past it, a file is refused before it is parsed.

Messages never quote a file's content: a file named on the command line may be any file
on the machine, and its first line (a password file's, say) must not end up in an error
or a log. `describe_text` turns an untrusted string into something safe to show.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from coach.storage.readers.activity import UnreadableFile

MB = 1024 * 1024
#: a file on disk, before decompression (FIT, GPX, TCX or CSV, gzipped or not)
MAX_FILE_BYTES = 64 * MB
#: what a FIT file may expand to (FIT decodes at about 2 s per MB: this is under a minute)
MAX_FIT_BYTES = 16 * MB
#: what a GPX or TCX file may expand to (a 27-hour GPX at one point a second is about 25 MB)
MAX_XML_BYTES = 40 * MB
#: track points of a GPX or TCX file (27 hours at one point per second)
MAX_POINTS = 100_000
#: FIT data messages of any kind (records, laps, events...)
MAX_FIT_MESSAGES = 400_000
#: laps of one file
MAX_LAPS = 5_000
#: sessions (activities) of one file; a triathlon has five or so
MAX_SESSIONS = 100

#: the longest one recorded activity can be (devices split multi-day events)
MAX_ELAPSED_S = 7 * 24 * 3600.0
#: the farthest one recorded activity can go
MAX_DISTANCE_M = 2_000_000.0

#: a file of a walked folder that is no longer the file the walk checked
CHANGED = "changed after the folder was checked (swapped for a link or another file): not read"
#: what opening a symbolic link with O_NOFOLLOW fails with (Linux, macOS: ELOOP; FreeBSD: EMLINK)
_LINK_ERRNOS = {errno.ELOOP, errno.EMLINK}

_SAFE_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .\-]{0,31}$")


def describe_text(value: str, position: int | None = None) -> str:
    """`value` quoted when it looks like a name (a short word), else only described.

    For messages about untrusted content (a CSV column, an XML tag): a real column name
    is shown as is; anything longer or with other characters is described by its
    position and length, never quoted.

    :param value: text read from a file
    :param position: its 1-based position (a column number), said when it is not quoted
    """
    if _SAFE_WORD.match(value):
        return repr(value)
    where = f"{position} " if position is not None else ""
    return f"{where}(a name of {len(value)} character{'s' if len(value) != 1 else ''}, not shown)"


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, *, checked: tuple[int, int] | None = None) -> bytes:
    """The bytes of a regular file, refused past `limit` bytes.

    Opens without blocking (a FIFO or a device named like a workout file would otherwise
    hang the import) and checks what was opened, not what the name pointed to before.
    With `checked`, the file was found by walking a folder someone else may write to: it
    is opened without following a symbolic link (O_NOFOLLOW) and must be the very file the
    walk checked (same device and inode), so a file swapped for a link, or for another
    file, between the check and the read is refused, not read.

    :param checked: (st_dev, st_ino) of the file as the walk saw it
    :raises UnreadableFile: not a regular file, unreadable, larger than `limit`, or not the
        file that was checked
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if checked is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if checked is not None and exc.errno in _LINK_ERRNOS and os.path.islink(path):
            raise UnreadableFile(CHANGED) from None
        raise UnreadableFile(f"cannot read: {exc.strerror or type(exc).__name__}") from None
    try:
        info = os.fstat(fd)
        if checked is not None and (info.st_dev, info.st_ino) != tuple(checked):
            raise UnreadableFile(CHANGED)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file (a folder, device or pipe): not read")
        if info.st_size > limit:
            raise UnreadableFile(f"file of {info.st_size / MB:.0f} MB: larger than any workout file "
                                 f"(limit {limit // MB} MB)")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or type(exc).__name__}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnreadableFile(f"file larger than any workout file (limit {limit // MB} MB)")
    return data


def check_expanded(fmt: str, size: int) -> None:
    """Refuse a decoded (decompressed) file past the cap for its format."""
    limit = MAX_FIT_BYTES if fmt == "fit" else MAX_XML_BYTES
    if size > limit:
        raise UnreadableFile(f"{fmt.upper()} content of {size / MB:.0f} MB: larger than any workout file "
                             f"(limit {limit // MB} MB)")


def check_count(what: str, count: int, limit: int) -> None:
    """Refuse a file holding more `what` than `limit`."""
    if count > limit:
        raise UnreadableFile(f"more than {limit:,} {what}: larger than any workout file")
