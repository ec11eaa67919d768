"""The segment-by-segment JPEG copy: the metadata segments go, the picture's segments stay byte for byte,
the scans are decoded at an eighth of the size to know they are whole, and a large photo is cleaned
without being decoded at full size.

The corpus (test_inspect.py) covers the verdicts; these are the cases the copy adds.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest
from PIL import Image, ImageChops

from tests.uploads.corpus import PHP, SCRIPT, encode, exif, picture
from wizard.uploads import PROOF_KINDS, UploadRejected, inspect_upload

UNREADABLE = "could not read this file"
REPO = __file__.rsplit("/tests/", 1)[0]


def clean(data: bytes, name: str = "a.jpg") -> bytes:
    return inspect_upload(io.BytesIO(data), name, PROOF_KINDS, 10 * 2**20).data


def segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, body) of each segment up to the first scan, then the scan with everything after it."""
    assert data[:2] == b"\xff\xd8"
    found, pos = [], 2
    while data[pos + 1] != 0xDA:
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        found.append((data[pos + 1], data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    found.append((0xDA, data[pos + 2:]))
    return found


def with_segment(data: bytes, marker: int, body: bytes) -> bytes:
    """``data`` with one more segment right after SOI."""
    return data[:2] + bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body + data[2:]


def same_pixels(a: bytes, b: bytes) -> bool:
    with Image.open(io.BytesIO(a)) as first, Image.open(io.BytesIO(b)) as second:
        return first.mode == second.mode and ImageChops.difference(first, second).getbbox() is None


def test_the_metadata_goes_and_the_picture_stays_byte_for_byte():
    source = encode("JPEG", size=(64, 48), quality=85, exif=exif(1, SCRIPT, gps=True),
                    icc_profile=b"ICC" + PHP, comment=SCRIPT)
    cleaned = clean(source)

    kept = [marker for marker, _ in segments(cleaned)]
    assert not {0xE1, 0xE2, 0xFE} & set(kept), "EXIF, ICC profile and comment must go"
    picture_segments = [(m, body) for m, body in segments(source) if m not in range(0xE0, 0xF0) and m != 0xFE]
    assert [(m, body) for m, body in segments(cleaned) if m != 0xE0] == picture_segments
    assert SCRIPT not in cleaned and PHP not in cleaned
    assert same_pixels(source, cleaned)


def test_a_jfif_thumbnail_goes_and_the_jfif_fields_stay():
    thumbnail = bytes([2, 1]) + PHP.ljust(6, b".")[:6]  # 2 x 1 pixels, 3 bytes each
    jfif = b"JFIF\x00\x01\x02\x01\x00\x48\x00\x48" + thumbnail
    source = with_segment(encode("JPEG", size=(32, 24)), 0xE0, jfif)

    cleaned = clean(source)

    assert segments(cleaned)[0] == (0xE0, b"JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x00\x00")
    assert PHP not in cleaned
    assert same_pixels(source, cleaned)


def test_a_cmyk_jpeg_keeps_its_adobe_header_and_its_colours():
    source = encode("JPEG", mode="CMYK", size=(40, 30))
    assert any(m == 0xEE for m, _ in segments(source))

    cleaned = clean(source)

    adobe = [body for m, body in segments(cleaned) if m == 0xEE]
    assert len(adobe) == 1 and adobe[0].startswith(b"Adobe") and len(adobe[0]) == 12
    assert same_pixels(source, cleaned)


def test_a_progressive_jpeg_is_copied_with_all_its_scans():
    source = encode("JPEG", size=(64, 48), progressive=True, exif=exif(1, gps=True))
    cleaned = clean(source)

    assert cleaned.count(b"\xff\xda") == source.count(b"\xff\xda") > 1
    assert same_pixels(source, cleaned)


def test_scans_that_cannot_be_decoded_are_refused_although_the_markers_are_in_order():
    source = encode("JPEG", size=(64, 48))
    scan = source.index(b"\xff\xda")
    components = source[scan + 4]
    # Each component's scan asks for Huffman tables 3, which no segment defines.
    broken = bytearray(source)
    for n in range(components):
        broken[scan + 6 + 2 * n] = 0x33

    with pytest.raises(UploadRejected) as refused:
        clean(bytes(broken))
    assert UNREADABLE in refused.value.message


def test_a_jpeg_whose_markers_cannot_be_walked_is_encoded_again_by_pillow():
    source = encode("JPEG", size=(64, 48))
    first_segment_end = 4 + int.from_bytes(source[4:6], "big")
    # Bytes between two segments: decoders skip them with a warning; the walk cannot know what they are.
    garbled = source[:first_segment_end] + b"junk" + PHP + source[first_segment_end:]

    cleaned = clean(garbled)

    assert PHP not in cleaned and b"junk" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (64, 48)


def test_a_rotated_jpeg_is_still_turned_upright():
    source = encode("JPEG", size=(64, 48), exif=exif(6))
    with Image.open(io.BytesIO(clean(source))) as image:
        assert image.size == (48, 64)
        assert not image.getexif()


PEAK_SCRIPT = textwrap.dedent("""
    import io, sys
    from wizard.uploads import PROOF_KINDS, inspect_upload

    def peak_kb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    data = open(sys.argv[1], "rb").read()
    before = peak_kb()
    cleaned = inspect_upload(io.BytesIO(data), "photo.jpg", PROOF_KINDS, 10 * 2**20)
    print(peak_kb() - before, len(cleaned.data))
""")


def test_a_24_megapixel_photo_is_cleaned_without_decoding_it_at_full_size(tmp_path):
    """Decoded whole it would take 72 MB (3 bytes a pixel); at an eighth of each side, about 1 MB."""
    photo = tmp_path / "photo.jpg"
    image = picture("RGB", (60, 40)).resize((6000, 4000))
    image.save(photo, "JPEG", quality=80, exif=exif(1, gps=True))
    del image

    run = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(photo)], cwd=REPO, capture_output=True,
                         text=True, timeout=120, check=False)

    assert run.returncode == 0, run.stderr
    growth_kb, size = map(int, run.stdout.split())
    assert size > 0
    assert growth_kb < 20 * 1024, f"cleaning the photo raised the peak memory by {growth_kb // 1024} MB"
