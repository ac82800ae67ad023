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
    from coach.storage.readers.safety import check_expanded, read_limited

    if data is None:
        data = read_limited(Path(path))
    fmt, data = detect(data, path)
    if fmt == CSV:
        raise UnreadableFile("a CSV file: import it with the CSV reader")
    check_expanded(fmt, len(data))
    try:
        if fmt == FIT:
            from coach.storage.readers.fit import read_fit

            return read_fit(data)
        if fmt == GPX:
            from coach.storage.readers.gpx import read_gpx

            return read_gpx(data)
        from coach.storage.readers.tcx import read_tcx

        return read_tcx(data)
    except UnreadableFile:
        raise
    except (MemoryError, RecursionError):
        raise UnreadableFile(f"the {fmt.upper()} file is too large or too deeply nested to read") from None
    except Exception as exc:  # noqa: BLE001 - a parser failing on a corrupt file is that file's failure
        raise UnreadableFile(unexpected_failure(fmt, exc)) from None


def unexpected_failure(fmt: str | None, exc: BaseException) -> str:
    """One line for a reader that failed in a way it did not foresee (a corrupt file that
    trips the parser): the kind of error only, never the parser's text, which may quote
    the file."""
    what = f"{fmt.upper()} file" if fmt else "file"
    return f"corrupt {what}: the reader failed ({type(exc).__name__}); nothing imported from it"
