"""Format detection by content: FIT signature, XML root, gzip magic; refusals with a reason."""

from __future__ import annotations

import gzip

import pytest

from coach.storage.readers.activity import UnreadableFile
from coach.storage.readers.detect import CSV, FIT, GPX, TCX, detect, xml_root

FIT_HEADER = bytes([14, 0x10, 0, 0, 0, 0, 0, 0]) + b".FIT" + b"\x00\x00"
GPX_DOC = b'<?xml version="1.0"?>\n<!-- exported -->\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"></gpx>'
TCX_DOC = b'\xef\xbb\xbf<?xml version="1.0"?><TrainingCenterDatabase xmlns="x"/>'


@pytest.mark.parametrize(
    "data, name, fmt",
    [
        (FIT_HEADER, "a.bin", FIT),
        (GPX_DOC, "track.xml", GPX),
        (TCX_DOC, "noext", TCX),
        (b"date,kind\n2026-01-01,easy\n", "log.csv", CSV),
    ],
)
def test_detects_by_content_not_name(data, name, fmt):
    assert detect(data, name) == (fmt, data)


@pytest.mark.parametrize("inner, fmt", [(FIT_HEADER, FIT), (GPX_DOC, GPX), (TCX_DOC, TCX)])
def test_gzip_variants(inner, fmt):
    assert detect(gzip.compress(inner), "x.gz") == (fmt, inner)


def test_gzipped_csv_by_inner_name():
    data = b"date,kind\n"
    assert detect(gzip.compress(data), "log.csv.gz") == (CSV, data)


@pytest.mark.parametrize(
    "data, name, words",
    [
        (b"", "empty.fit", "empty file"),
        (b"\x89PNG\r\n\x1a\n0000", "photo.fit", "PNG image"),
        (b"%PDF-1.4", "plan.gpx", "PDF"),
        (b"PK\x03\x04zip", "export.zip", "ZIP"),
        (b"hello, this is a note\n", "notes.txt", "not a workout file"),
        (b"\x0e\x10\x00\x00garbage!!!!", "run.fit", "no .FIT signature"),
        (b"<html><body>hi</body></html>", "page.gpx", "root <html>"),
        (b"<?xml version='1.0'?><Activities><a></Activities>", "bad.tcx", "not well-formed XML"),
        (b"\x1f\x8b\x08\x00garbage", "x.fit.gz", "gzip"),
        (gzip.compress(b"")[:-4], "cut.gz", "gzip"),
    ],
)
def test_refusals_say_what_the_file_is(data, name, words):
    with pytest.raises(UnreadableFile) as err:
        detect(data, name)
    assert words in str(err.value)


def test_xml_root_skips_declaration_comments_and_doctype():
    assert xml_root(b'<?xml version="1.0"?><!DOCTYPE x><!-- c --><ns:gpx xmlns:ns="u"/>') == "gpx"
    assert xml_root(b"not xml") is None
