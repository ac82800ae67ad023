"""Which format a file is in, by its content (not only its name).

* FIT: the header's size byte (12 or 14) and the ``.FIT`` signature at bytes 8-11;
* GPX / TCX: XML whose root element is ``gpx`` / ``TrainingCenterDatabase``;
* gzip (``.fit.gz``, ``.gpx.gz``, ``.tcx.gz`` as Strava's bulk export ships them):
  the gzip magic bytes; the inner content is detected the same way;
* CSV: a text file named ``*.csv`` (its content is checked by the CSV reader).

Anything else is refused with a one-line reason that says what the file looks like.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from coach.storage.readers.activity import UnreadableFile
from coach.storage.readers.safety import MAX_FIT_BYTES, MAX_XML_BYTES, MB

FIT, GPX, TCX, CSV = "fit", "gpx", "tcx", "csv"

#: decompressed gzip content larger than this is refused (a workout file is a few MB at most)
MAX_DECOMPRESSED = max(MAX_FIT_BYTES, MAX_XML_BYTES)

_GZIP_MAGIC = b"\x1f\x8b"
_OTHER_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (unpack it first)"),
)
_ROOT = re.compile(rb"<\s*(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def xml_root(data: bytes) -> str | None:
    """The local name of the first element of an XML document, without parsing it all."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    pos = 0
    while True:
        start = head.find(b"<", pos)
        if start < 0:
            return None
        if head.startswith(b"<?", start):
            pos = head.find(b"?>", start) + 2
        elif head.startswith(b"<!--", start):
            pos = head.find(b"-->", start) + 3
        elif head.startswith(b"<!", start):
            pos = head.find(b">", start) + 1
        else:
            m = _ROOT.match(head, start)
            return m.group(1).decode("ascii", "replace") if m else None
        if pos <= start:
            return None


def gunzip(data: bytes) -> bytes:
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, MAX_DECOMPRESSED)
        if d.unconsumed_tail:
            raise UnreadableFile(f"gzip content expands past {MAX_DECOMPRESSED // MB} MB: larger than any workout file")
        if not d.eof:
            raise UnreadableFile("truncated gzip file")
        return out
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise UnreadableFile(f"corrupt gzip file: {exc}") from None


def detect(data: bytes, path: Path | str) -> tuple[str, bytes]:
    """The format of a file's content and the content to parse (decompressed if gzipped).

    :param data: the file's bytes
    :param path: the file's path (only its name is used, for CSV and for messages)
    :raises UnreadableFile: empty, not a workout file, or a corrupt gzip
    """
    name = Path(path).name.lower()
    if not data:
        raise UnreadableFile("empty file")
    if data.startswith(_GZIP_MAGIC):
        data = gunzip(data)
        if not data:
            raise UnreadableFile("empty file inside the gzip")
        name = name.removesuffix(".gz")
    if is_fit(data):
        return FIT, data
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(f"not a workout file: it is {what}")
    root = xml_root(data)
    if root == "gpx":
        return GPX, data
    if root == "TrainingCenterDatabase":
        return TCX, data
    if root is not None:
        _raise_xml(data, root)
    if name.endswith(".csv"):
        return CSV, data
    if name.endswith(".fit"):
        raise UnreadableFile("not a FIT file: no .FIT signature in the header")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("not a workout file: unknown binary content")
    raise UnreadableFile("not a workout file: expected FIT, GPX, TCX or CSV content")


def _raise_xml(data: bytes, root: str) -> None:
    from lxml import etree

    try:
        etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"not well-formed XML: {exc.msg}") from None
    raise UnreadableFile(f"not a workout file: XML with root <{root}>, expected <gpx> or <TrainingCenterDatabase>")
