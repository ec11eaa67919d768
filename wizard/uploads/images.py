"""Images: refuse appended content, then keep only the pixels (no EXIF, GPS, comments, text chunks, ICC profiles).

A PNG is re-written chunk by chunk in bounded memory (png.py). A JPEG, and the rare PNG whose EXIF asks
for a rotation, are decoded and encoded again by Pillow, from the upload's file straight into the output.
A JPEG larger than MAX_PHOTO_SIDE is decoded at 1/2, 1/4 or 1/8 of its size by libjpeg's DCT scaling
(Pillow's draft mode), so its full-size pixels never exist: a 25 Mpx camera photo decoded whole took
95 MB of a worker's memory, at 1/4 it takes 7 MB. A proof of membership needs no 25 Mpx. A large progressive
JPEG, which needs all its coefficients in memory at any scale, is decoded in a short-lived child process.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from contextlib import contextmanager
from functools import partial

from PIL import ExifTags, Image, ImageFile, ImageOps

from . import jpeg, png
from .errors import UploadRejected

MAX_PIXELS = 40_000_000
#: JPEG photos are kept at most this wide and high (the upload step says so).
MAX_PHOTO_SIDE = 2048
#: Progressive JPEGs above this are decoded in a child process: at up to 6 bytes a pixel of coefficients,
#: 2 Mpx stays within the worker's 15 MB budget (reliability.md UP-11).
PROGRESSIVE_IN_WORKER_PIXELS = 2_000_000
APPENDED = ("The image has other content appended to it (such as a script or an archive), which we do not accept. "
            "Please save the image again, for example as a new screenshot, and upload that copy.")
_BLOCK = 64 * 1024
_OPTIMISE_JPEG_PIXELS = 4_000_000
_FORMATS = {"png": "PNG", "jpeg": "JPEG"}
_ROTATIONS = range(2, 9)  # EXIF orientations that ImageOps.exif_transpose turns into a transpose


def clean_image(f, size: int, kind: str, out) -> None:
    """Write the image in ``f`` to ``out`` with only its pixels; UploadRejected, or any parser error, if unfit."""
    layout = png.walk(f, size) if kind == "png" else None
    end = layout.end if layout else jpeg.end(f, size)
    if not _only_zeros(f, end, size):  # zero padding carries nothing; anything else is a polyglot's payload (issue 4)
        raise UploadRejected(APPENDED)
    fmt = _FORMATS[kind]
    with _pillow_guards():
        with Image.open(f, formats=[fmt]) as probe:
            _check_pixels(probe)
            by_pillow = layout is None or layout.orientation_after_pixels or _orientation(probe) in _ROTATIONS
            if by_pillow:
                probe.verify()
            costly = bool(probe.info.get("progressive")) and probe.width * probe.height > PROGRESSIVE_IN_WORKER_PIXELS
        if not by_pillow:
            png.rewrite(f, layout.end, out)
        elif costly:
            _in_child_process(partial(_reencode, f, fmt), out)
        else:
            _reencode(f, fmt, out)


def _reencode(f, fmt: str, out) -> None:
    with Image.open(f, formats=[fmt]) as im:
        if fmt == "JPEG":
            _decode_reduced(im)
        im.load()
        if max(im.size) > MAX_PHOTO_SIDE:  # only a strip more than 8 times the cap long; small in memory
            im.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
        ImageOps.exif_transpose(im, in_place=True)  # in place: a copy would double the memory
        _save(im, fmt, out)


def _in_child_process(work, out) -> None:
    """Runs ``work`` in a forked child that writes the clean copy to a temporary file, then copies it to ``out``.

    A progressive JPEG needs libjpeg's whole coefficient buffer (3 to 6 bytes a pixel) however small it is
    decoded: 85-90 MB for a 25 Mpx photo. A worker that grew by that much keeps most of it after the upload
    (the allocator does not give it back), once per worker; a child returns all of it to the system when it
    exits. The host still needs the buffer for as long as the child runs, one per upload being decoded.
    """
    with tempfile.TemporaryFile() as result:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: no cleanup of the worker's state on the way out (os._exit), only the verdict
            os.close(read_end)
            status = 0
            try:
                work(result)
                result.flush()
            except UploadRejected as exc:
                os.write(write_end, exc.message.encode()[:4096])
                status = 1
            except BaseException:  # noqa: B036 - whatever failed, the parent only needs to know that it did
                status = 2
            os._exit(status)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read()
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == 1:
            raise UploadRejected(message.decode())
        if code != 0:  # the caller turns a parser's failure into "we could not read this file"
            raise ValueError(f"the image could not be decoded (child exit {code})")
        result.seek(0)
        shutil.copyfileobj(result, out, _BLOCK)


@contextmanager
def _pillow_guards():
    # Pillow keeps these as module globals; every caller sets the same values, so a race is harmless.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_big() from exc


def _too_big() -> UploadRejected:
    return UploadRejected(f"The image is too large: it has more than {MAX_PIXELS // 1_000_000} million pixels.")


def _check_pixels(probe: Image.Image) -> None:
    width, height = probe.size
    if width * height > MAX_PIXELS:  # also enforced here in case another thread reset the filter
        raise _too_big()


def _decode_reduced(im: Image.Image) -> None:
    """Asks libjpeg for the largest power-of-two reduction within MAX_PHOTO_SIDE before anything is decoded.

    A progressive JPEG still costs its whole coefficient buffer (about 3 bytes a pixel) while it is
    decoded, in libjpeg as in any decoder: its scans refine every block in turn (`make bench` measures it).
    """
    scale = 1
    while max(im.size) > MAX_PHOTO_SIDE * scale and scale < 8:
        scale *= 2
    if scale > 1:
        im.draft(None, (max(1, im.width // scale), max(1, im.height // scale)))


def _orientation(probe: Image.Image):
    # The base class reads only what Image.open parsed (chunks before the pixels); PngImageFile.getexif
    # would decode the whole image to look further. Chunks after the pixels are covered by png.walk.
    return Image.Image.getexif(probe).get(ExifTags.Base.Orientation)


def _save(image: Image.Image, fmt: str, out) -> None:
    transparency = image.info.get("transparency")
    image.info.clear()  # Pillow copies ICC profiles, comments and EXIF from .info when saving
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("L" if image.mode in ("1", "I", "I;16") else "RGB")
        # Optimised Huffman tables need a second pass over a buffer of the whole image (some 3 bytes a pixel,
        # 36 MB for a 12 Mpx photo); above a few megapixels the few percent they save are not worth that.
        image.save(out, "JPEG", quality=90, optimize=image.width * image.height <= _OPTIMISE_JPEG_PIXELS)
        return
    if image.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
        image = image.convert("RGBA")
    if transparency is not None and image.mode in ("1", "L", "P", "RGB"):
        image.info["transparency"] = transparency
    image.save(out, "PNG")


def _only_zeros(f, start: int, size: int) -> bool:
    f.seek(start)
    while start < size:
        block = f.read(min(_BLOCK, size - start))
        if not block:
            break
        if block.strip(b"\x00"):
            return False
        start += len(block)
    return True

