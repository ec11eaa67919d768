"""Images: refuse appended content, then keep only the pixels (no EXIF, GPS, comments, text chunks, ICC profiles).

A PNG is re-written chunk by chunk in bounded memory (png.py). A JPEG, and the rare PNG whose EXIF asks
for a rotation, are decoded and encoded again by Pillow, from the upload's file straight into the output.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

from PIL import ExifTags, Image, ImageFile, ImageOps

from . import jpeg, png
from .errors import UploadRejected

MAX_PIXELS = 40_000_000
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
        if not by_pillow:
            png.rewrite(f, layout.end, out)
            return
        with Image.open(f, formats=[fmt]) as im:
            im.load()
            ImageOps.exif_transpose(im, in_place=True)  # in place: a copy would double the memory
            _save(im, fmt, out)


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

