"""The JPEG marker walk that finds where a JPEG ends (so that appended data is refused): bounded time on
hostile files, and no payload kept from anywhere in the file, since the pixels are encoded again (UP-4).

The corpus (test_inspect.py) covers the verdicts; these are the cases the walk adds.
"""

from __future__ import annotations

import io
import time

import pytest

from tests.uploads.corpus import PHP, ZIP_PAYLOAD, encode
from wizard.uploads import PROOF_KINDS, UploadRejected, inspect_upload
from wizard.uploads.images import APPENDED

UNREADABLE = "could not read this file"


def verdict(data: bytes) -> tuple[bytes | None, str, float]:
    """(the clean copy or None, the refusal or "", CPU seconds of this thread)."""
    started = time.thread_time()
    try:
        cleaned = inspect_upload(io.BytesIO(data), "a.jpg", PROOF_KINDS, 11 * 2**20).data
    except UploadRejected as refusal:
        return None, refusal.message, time.thread_time() - started
    return cleaned, "", time.thread_time() - started


def with_segments(data: bytes, segment: bytes, count: int) -> bytes:
    return data[:2] + segment * count + data[2:]


def first_segment_end(data: bytes) -> int:
    return 4 + int.from_bytes(data[4:6], "big")


def scan_header_end(data: bytes) -> int:
    sos = data.index(b"\xff\xda")
    return sos + 2 + int.from_bytes(data[sos + 2:sos + 4], "big")


def test_a_payload_inside_the_scan_data_does_not_survive():
    source = encode("JPEG", size=(64, 48))
    eoi = source.rindex(b"\xff\xd9")
    # Bytes after the last block of the scan, before EOI: decoders skip them; a copy of the scan would keep them.
    hidden = source[:eoi] + PHP + source[eoi:]

    cleaned, refusal, _ = verdict(hidden)

    assert refusal or PHP not in cleaned


@pytest.mark.parametrize("before", [b"", b"junk"], ids=["between segments", "after bytes that are not a marker"])
def test_a_flood_of_markers_is_refused_before_any_parser_reads_it(before):
    source = encode("JPEG", size=(64, 48))
    at = first_segment_end(source)
    flood = source[:at] + before + b"\xff\xfe\x00\x02" * 2_500_000 + source[at:]  # 10 MB of empty comments

    cleaned, refusal, seconds = verdict(flood)

    assert cleaned is None and UNREADABLE in refusal
    assert seconds < 1.0  # Pillow alone took 14 s and 340 MB over these markers


def test_a_few_hundred_comments_are_fine():
    source = encode("JPEG", size=(64, 48))
    cleaned, refusal, _ = verdict(with_segments(source, b"\xff\xfe\x00\x06" + b"note", 300))
    assert refusal == "" and b"note" not in cleaned


@pytest.mark.parametrize("pair", [b"\xff\x00", b"\xff\xd0"], ids=["stuffed zeros", "restart markers"])
def test_five_million_escapes_in_a_scan_are_walked_in_a_moment(pair):
    source = encode("JPEG", size=(40, 30))
    header = scan_header_end(source)
    long_scan = source[:header] + pair * 5_000_000 + b"\xff\xd9"

    _cleaned, _refusal, seconds = verdict(long_scan)

    assert seconds < 2.0  # F1's bound on a verdict; the walk alone took 4.7 s byte by byte


def test_bytes_between_markers_do_not_hide_data_appended_after_the_image():
    source = encode("JPEG", size=(64, 48))
    at = first_segment_end(source)
    garbled = source[:at] + b"junk" + source[at:]
    assert verdict(garbled)[1] == ""  # decoders skip such bytes, and so does the walk

    cleaned, refusal, _ = verdict(garbled + ZIP_PAYLOAD)

    assert cleaned is None and refusal == APPENDED
