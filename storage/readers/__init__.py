"""Readers that turn watch files (FIT, GPX, TCX, gzipped or not) into activities.

See `activity.py` for the conventions every reader follows (units, times, cadence).
"""

from __future__ import annotations


def read_activity_file(path, data: bytes | None = None):
    """Read one watch file (FIT, GPX or TCX, optionally gzipped) into a `FileContent`.

    :param path: the file (read unless `data` is given; its name is used in messages)
    :param data: the file's bytes, if already read
    :raises UnreadableFile: the file is not a workout we can read (one-line reason)
    """
    from pathlib import Path

    from coach.storage.readers.activity import UnreadableFile
    from coach.storage.readers.detect import CSV, FIT, GPX, detect

    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    fmt, data = detect(data, path)
    if fmt == FIT:
        from coach.storage.readers.fit import read_fit

        return read_fit(data)
    if fmt == GPX:
        from coach.storage.readers.gpx import read_gpx

        return read_gpx(data)
    if fmt == CSV:
        raise UnreadableFile("a CSV file: import it with the CSV reader")
    from coach.storage.readers.tcx import read_tcx

    return read_tcx(data)
