"""The real watch files in tests/data/real are the unchanged copies SOURCES.md describes.

Each row of SOURCES.md's file table names a file and the git blob hash it has in its source
repository; a file edited here (or lost) fails, and every file carries a license notice.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
ROW = re.compile(r"^\| (?P<path>[\w./-]+) \| (?P<source>\w+) \| [^|]+ \| (?P<blob>[0-9a-f]{8}) \|", re.M)


def _rows() -> list[re.Match]:
    return list(ROW.finditer((REAL / "SOURCES.md").read_text(encoding="utf-8")))


def _git_blob(path: Path) -> str:
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def test_sources_lists_every_file_in_the_folder_and_nothing_else():
    listed = {m["path"] for m in _rows()}
    present = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file()} - {"SOURCES.md", "LICENSES.md"}
    assert len(listed) == 19
    assert listed == present


def test_every_file_is_byte_identical_to_its_source():
    for m in _rows():
        assert _git_blob(REAL / m["path"]).startswith(m["blob"]), m["path"]


def test_every_file_has_its_license_notice():
    notices = (REAL / "LICENSES.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", notices, flags=re.M)
    names = {"fitparse": "python-fitparse", "runpandas": "runpandas", "sweatpy": "sweatpy",
             "tcxparser": "python-tcxparser"}
    for m in _rows():
        [section] = [s for s in sections if s.startswith(names[m["source"]] + ":")]
        assert f"`{m['path']}`" in section, m["path"]
        assert "Copyright (c)" in section and ("Permission is hereby granted" in section
                                              or "Redistribution and use" in section)
