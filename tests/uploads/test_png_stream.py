"""The streaming PNG rewrite (issue 7): only the pixel chunks survive, the image data is inflated, checked
against IHDR and deflated again, and the clean copy goes straight to the upload folder.

The corpus (test_inspect.py) covers the verdicts; these are the cases the chunk-by-chunk path adds.
"""

from __future__ import annotations

import errno
import io
import os
import struct
import zlib

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.uploads.corpus import PHP, SCRIPT, chunk, encode, exif, picture, raw_png
from wizard.uploads import (
    PROOF_KINDS,
    StorageFull,
    UploadRejected,
    check_upload,
    inspect_upload,
    store_upload,
)
from wizard.uploads.errors import WriteFailed
from wizard.uploads.png import Malformed

SIGNATURE = b"\x89PNG\r\n\x1a\n"
PIXEL_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
UNREADABLE = "could not read this file"


def clean(data: bytes, name: str = "a.png") -> bytes:
    return inspect_upload(io.BytesIO(data), name, PROOF_KINDS, 10 * 2**20).data


def refusal(data: bytes) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        clean(data)
    return caught.value


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == SIGNATURE
    found, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        found.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return found


def build(*parts: tuple[bytes, bytes]) -> bytes:
    return SIGNATURE + b"".join(chunk(kind, body) for kind, body in parts)


def ihdr(width: int, height: int, depth: int = 8, colour: int = 0, interlace: int = 0) -> tuple[bytes, bytes]:
    return b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)


def inflated(data: bytes) -> bytes:
    return zlib.decompress(b"".join(body for kind, body in chunks(data) if kind == b"IDAT"))


def pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as im:
        return im.mode, im.size, im.convert("RGBA").tobytes() if im.mode == "P" else im.tobytes()


def gray_png(rows: bytes, width: int = 4, height: int = 3, level: int = 9) -> bytes:
    return build(ihdr(width, height), (b"IDAT", zlib.compress(rows, level)), (b"IEND", b""))


def adam7(image: Image.Image) -> bytes:
    """An interlaced RGB PNG by hand (Pillow only reads them): each pass's rows with filter byte 0."""
    width, height = image.size
    raw, rows = image.tobytes(), []
    for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
                           (0, 1, 1, 2)):
        for y in range(y0, height, dy):
            if x0 < width:
                rows.append(b"\0" + b"".join(raw[(y * width + x) * 3:(y * width + x) * 3 + 3]
                                             for x in range(x0, width, dx)))
    return build(ihdr(width, height, 8, 2, 1), (b"IDAT", zlib.compress(b"".join(rows))), (b"IEND", b""))


# ---- what survives ------------------------------------------------------------------------------------------


def test_only_the_pixel_chunks_survive_and_the_pixels_are_equal():
    info = PngInfo()
    info.add_text("Comment", PHP.decode())
    info.add_itxt("Description", SCRIPT.decode())
    info.add_text("Software", PHP.decode(), zip=True)
    original = encode("PNG", "RGBA", pnginfo=info, icc_profile=b"ICC" + PHP, dpi=(300, 300))
    # ... and more of them after the image data, where Pillow only looks when it decodes.
    original = original[:-12] + chunk(b"tEXt", b"Comment\0" + PHP) + chunk(b"prVt", SCRIPT) + original[-12:]
    result = clean(original)
    assert PHP in original and SCRIPT in original
    assert PHP not in result and SCRIPT not in result and b"ICC" not in result
    assert {kind for kind, _ in chunks(result)} == {b"IHDR", b"IDAT", b"IEND"}
    assert pixels(result) == pixels(original)
    with Image.open(io.BytesIO(result)) as im:
        assert not {"icc_profile", "dpi", "Comment", "Description", "Software"} & set(im.info)


def test_a_payload_in_the_compressed_data_does_not_survive_byte_for_byte():
    # Rows stored uncompressed (level 0) carry the payload verbatim; they are deflated again on the way out.
    rows = (b"\0" + PHP) * 40
    original = gray_png(rows, width=len(PHP), height=40, level=0)
    assert PHP in original
    result = clean(original)
    assert PHP not in result
    assert inflated(result) == rows


def test_sixteen_bit_samples_round_trip_exactly():
    original = raw_png(64, 48, 16, 2, b"\0" + bytes(range(256)) + bytes(range(128)))
    result = clean(original)
    assert chunks(result)[0] == chunks(original)[0], "the header (16-bit RGB) is kept"
    assert inflated(result) == inflated(original), "every 16-bit sample, not an 8-bit reduction"
    assert pixels(result) == pixels(original)
    gray16 = encode("PNG", "I;16")
    assert pixels(clean(gray16)) == pixels(gray16)


def test_palette_with_transparency_round_trips():
    image = picture("P")
    image.info["transparency"] = bytes([0, 64, 128, 255] + [255] * 12)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    original = buffer.getvalue()
    result = clean(original)
    kept = dict(chunks(result))
    assert [kind for kind, _ in chunks(result)][:3] == [b"IHDR", b"PLTE", b"tRNS"]
    assert kept[b"PLTE"] == dict(chunks(original))[b"PLTE"] and kept[b"tRNS"][:4] == bytes([0, 64, 128, 255])
    assert pixels(result) == pixels(original)
    with Image.open(io.BytesIO(result)) as im:
        assert im.mode == "P" and im.info["transparency"] == image.info["transparency"]


@pytest.mark.parametrize("mode", ["1", "L", "LA", "RGB", "RGBA"])
def test_other_modes_round_trip(mode):
    original = encode("PNG", mode, size=(37, 23))
    assert pixels(clean(original)) == pixels(original)


@pytest.mark.parametrize("size", [(1, 1), (5, 3), (13, 9), (64, 48)])
def test_interlaced_images_round_trip(size):
    image = picture("RGB", size)
    original = adam7(image)
    result = clean(original)
    assert chunks(result)[0] == chunks(original)[0], "still interlaced"
    assert pixels(result) == pixels(original) == ("RGB", size, image.tobytes())


def test_an_animated_png_keeps_its_first_frame_only():
    original = encode("PNG", save_all=True, append_images=[picture().rotate(180)])
    result = clean(original)
    assert {kind for kind, _ in chunks(result)} == {b"IHDR", b"IDAT", b"IEND"}
    assert pixels(result) == pixels(encode("PNG"))


# ---- what is refused ----------------------------------------------------------------------------------------


def test_a_payload_after_iend_is_refused():
    assert "appended" in refusal(encode("PNG") + PHP).message
    assert "appended" in refusal(encode("PNG") + b"\0" * 10 + PHP).message
    assert clean(encode("PNG") + b"\0" * 64), "zero padding carries nothing"


@pytest.mark.parametrize(("rows", "why"), [
    ((b"\0" + bytes(4)) * 2, "holds 10 bytes, the header says 15"),
    ((b"\0" + bytes(4)) * 3 + b"\0", "more than the 15 bytes"),
    ((b"\0" + bytes(4)) * 4, "more than the 15 bytes"),
], ids=["short", "one-byte-long", "one-row-long"])
def test_image_data_must_inflate_to_what_the_header_says(rows, why):
    rejected = refusal(gray_png(rows))
    assert UNREADABLE in rejected.message
    assert isinstance(rejected.__cause__, Malformed) and why in str(rejected.__cause__)


def test_a_decompression_bomb_is_stopped_at_the_header_size():
    deflate = zlib.compressobj(9)
    bomb = b"".join(deflate.compress(bytes(2**20)) for _ in range(32)) + deflate.flush()  # 32 MB of zeros
    rejected = refusal(gray_png(bomb, width=100, height=100))
    assert "more than the 10100 bytes" in str(rejected.__cause__)


@pytest.mark.parametrize("filter_byte", [5, 255])
def test_unknown_row_filters_are_refused(filter_byte):
    rows = bytearray((b"\0" + bytes(4)) * 3)
    rows[10] = filter_byte
    assert UNREADABLE in refusal(gray_png(bytes(rows))).message
    assert clean(gray_png((b"\4" + bytes(4)) * 3)), "filters 0 to 4 are all fine"


def test_unknown_filters_in_a_late_interlace_pass_are_refused():
    original = adam7(picture("RGB", (13, 9)))
    rows = bytearray(inflated(original))
    rows[-(1 + 13 * 3)] = 7  # the last row of pass 7 starts one row from the end
    tampered = build(*chunks(original)[:1], (b"IDAT", zlib.compress(bytes(rows))), (b"IEND", b""))
    assert "unknown row filter" in str(refusal(tampered).__cause__)


def test_data_after_the_compressed_stream_is_refused():
    rows = (b"\0" + bytes(4)) * 3
    stream = zlib.compress(rows)
    for idat in ([stream + b"<?php"], [stream, b"<?php"]):
        tampered = build(ihdr(4, 3), *[(b"IDAT", part) for part in idat], (b"IEND", b""))
        assert "after the end of the compressed stream" in str(refusal(tampered).__cause__)


def test_image_data_chunks_must_follow_each_other():
    stream = zlib.compress((b"\0" + bytes(4)) * 3)
    split = build(ihdr(4, 3), (b"IDAT", stream[:5]), (b"tEXt", b"a\0b"), (b"IDAT", stream[5:]), (b"IEND", b""))
    assert "consecutive" in str(refusal(split).__cause__)
    assert clean(build(ihdr(4, 3), (b"IDAT", stream[:5]), (b"IDAT", b""), (b"IDAT", stream[5:]), (b"IEND", b"")))


def test_a_bad_crc_in_a_dropped_chunk_is_still_refused():
    original = encode("PNG")
    bad = chunk(b"tEXt", b"Comment\0hello")[:-1] + b"\0"
    assert UNREADABLE in refusal(original[:-12] + bad + original[-12:]).message


@pytest.mark.parametrize("broken", [
    build(ihdr(4, 3, 8, 3), (b"IDAT", zlib.compress(bytes(15))), (b"IEND", b"")),  # palette image, no PLTE
    build(ihdr(4, 3), (b"IEND", b"")),  # no image data
    build(ihdr(4, 3), ihdr(4, 3), (b"IDAT", zlib.compress(bytes(15))), (b"IEND", b"")),  # two headers
    build(ihdr(4, 3), (b"IDAT", zlib.compress(bytes(15)))),  # no IEND
], ids=["palette-without-plte", "no-idat", "two-ihdr", "no-iend"])
def test_broken_structures_are_refused(broken):
    assert UNREADABLE in refusal(broken).message


def test_a_flood_of_tiny_chunks_is_refused_before_any_parser_walks_it():
    original, private = encode("PNG"), chunk(b"prVt", b"")
    before_pixels = original[:33] + private * 1_000 + original[33:]  # 33: signature and IHDR
    assert UNREADABLE in refusal(before_pixels).message
    assert UNREADABLE in refusal(original[:-12] + private * 100_000 + original[-12:]).message
    many = original[:-12] + private * 5_000 + original[-12:]  # as many as a long animation has: fine
    assert pixels(clean(many)) == pixels(original)
    assert pixels(clean(original[:33] + private * 900 + original[33:])) == pixels(original)


# ---- orientation: the rare PNG with one goes through Pillow, as before -----------------------------------------


def exif_after_pixels(orientation: int) -> bytes:
    with_exif = encode("PNG", exif=exif(orientation))
    parts = chunks(with_exif)
    moved = [p for p in parts if p[0] != b"eXIf"]
    return build(*moved[:-1], next(p for p in parts if p[0] == b"eXIf"), moved[-1])


@pytest.mark.parametrize("original", [
    encode("PNG", exif=exif(6)), exif_after_pixels(6),
    encode("PNG", pnginfo=(lambda i: (i.add_itxt("XML:com.adobe.xmp", '<x tiff:Orientation="6"/>'), i)[1])(PngInfo())),
], ids=["exif", "exif-after-pixels", "xmp"])
def test_an_orientation_is_applied_to_the_pixels(original):
    result = clean(original)
    with Image.open(io.BytesIO(result)) as im:
        assert im.size == (48, 64)
        assert not im.getexif() and "XML:com.adobe.xmp" not in im.info
    assert b"eXIf" not in result and b"tiff:Orientation" not in result


def test_orientation_one_is_kept_as_it_is():
    assert pixels(clean(exif_after_pixels(1))) == pixels(encode("PNG"))


# ---- streaming into the upload folder ---------------------------------------------------------------------


def check_into(root, data: bytes, name: str = "a.png"):
    return store_upload(str(root), lambda out: check_upload(io.BytesIO(data), name, PROOF_KINDS, 10 * 2**20, out))


def test_the_clean_copy_is_written_straight_to_the_upload_folder(tmp_path):
    original = encode("PNG", pnginfo=(lambda i: (i.add_text("Comment", PHP.decode()), i)[1])(PngInfo()))
    name, checked = check_into(tmp_path, original)
    stored = (tmp_path / name).read_bytes()
    assert os.listdir(tmp_path) == [name]
    assert stored == clean(original) and checked.size == len(stored) and checked.kind == "png"
    assert PHP not in stored


def test_a_refused_upload_leaves_no_file_behind(tmp_path):
    rows = (b"\0" + bytes(4)) * 2
    with pytest.raises(UploadRejected):
        check_into(tmp_path, gray_png(rows))  # refused after part of the copy was written
    with pytest.raises(UploadRejected):
        check_into(tmp_path, encode("PNG") + PHP)
    assert os.listdir(tmp_path) == []


def test_a_full_disk_is_not_blamed_on_the_file(tmp_path):
    class FullDisk(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    for data, name in [(encode("PNG"), "a.png"), (encode("JPEG"), "a.jpg")]:
        with pytest.raises(WriteFailed):
            check_upload(io.BytesIO(data), name, PROOF_KINDS, 10 * 2**20, FullDisk())

    def full(out):
        raise WriteFailed("No space left on device")

    with pytest.raises(StorageFull):
        store_upload(str(tmp_path), full)
    assert os.listdir(tmp_path) == []


def test_a_stream_that_was_read_from_is_read_from_where_it_stands():
    stream = io.BytesIO(b"junk" + encode("PNG"))
    stream.read(4)
    assert pixels(inspect_upload(stream, "a.png", PROOF_KINDS, 10 * 2**20).data) == pixels(encode("PNG"))
