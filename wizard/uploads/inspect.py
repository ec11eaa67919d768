"""Decide what an uploaded file really is, and write bytes that are safe to keep.

Images are re-encoded, so only their pixels survive (no EXIF, GPS, comments, text chunks, ICC profiles or
appended data): images.py and png.py. PDFs cannot be rewritten without changing how they look, so pikepdf
parses them and anything active is refused: pdf.py. Nothing here trusts the client's file name or
Content-Type: the content alone decides the type (domain.md §8), so a phone's `IMG_0001` or a PNG saved
as `screenshot.pdf` is taken for what it is, and the names the file is stored and downloaded under are
made by the app with the detected type's extension. The user's name is display text only.

The upload is read from its own (spooled) temporary file and the clean copy is written straight to its
destination, so a 10 MB upload never sits whole in a worker's memory (issue 7).
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import filetype

from .errors import HashingWriter, UploadRejected, WriteFailed
from .images import MAX_PIXELS, clean_image
from .pdf import MAX_PDF_OBJECTS, MAX_PDF_PAGES, check_pdf

__all__ = ["LOGO_KINDS", "MAX_PDF_OBJECTS", "MAX_PDF_PAGES", "MAX_PIXELS", "PROOF_KINDS", "Checked", "CleanFile",
           "UploadRejected", "check_upload", "inspect_upload", "sanitise_filename"]

PROOF_KINDS = ("png", "jpeg", "pdf")
LOGO_KINDS = ("png", "jpeg")
NAME_LIMIT = 120
_PATH_CHARACTERS = ("/", "\\", "\x00")
_SNIFF_BYTES = 8192  # as much as filetype looks at
_COPY_BLOCK = 1024 * 1024
_SPOOL_IN_MEMORY = 1024 * 1024

# kind -> (content type, extension we store)
_TYPES = {"png": ("image/png", ".png"), "jpeg": ("image/jpeg", ".jpg"), "pdf": ("application/pdf", ".pdf")}
_LABELS = {"png": "PNG", "jpeg": "JPEG", "pdf": "PDF"}
# An animated PNG is still a PNG; re-encoding keeps its first frame only.
_FILETYPE_KINDS = {"png": "png", "apng": "png", "jpg": "jpeg", "pdf": "pdf"}
_DROPPED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")
_BIDI_CONTROLS = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


@dataclass(frozen=True)
class Checked:
    """What check_upload found out about the clean copy it wrote."""

    kind: str
    content_type: str
    extension: str
    original_name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class CleanFile:
    """A clean copy held in memory: small files, tests and tools (the app streams with check_upload)."""

    data: bytes
    kind: str
    content_type: str
    extension: str
    original_name: str
    size: int
    sha256: str


def inspect_upload(stream, filename: str, allowed_kinds: tuple[str, ...], max_bytes: int) -> CleanFile:
    """Return a CleanFile for an acceptable upload, or raise UploadRejected with the reason."""
    out = io.BytesIO()
    checked = check_upload(stream, filename, allowed_kinds, max_bytes, out)
    return CleanFile(data=out.getvalue(), **dataclasses.asdict(checked))


def check_upload(stream, filename: str, allowed_kinds: tuple[str, ...], max_bytes: int, out) -> Checked:
    """Write a clean copy of an acceptable upload to ``out`` and describe it; raise UploadRejected if unfit.

    WriteFailed means ``out`` could not take the bytes (a full disk): the caller must not blame the file.
    """
    if isinstance(filename, str) and any(ch in filename for ch in _PATH_CHARACTERS):
        # Browsers send a bare name; folders or a NUL byte mean a hand-made request (path traversal, extension tricks).
        raise UploadRejected("The file name must not contain folders or hidden characters (such as /, \\ or NUL). "
                             "Please rename the file and choose it again.")
    name, writer = _strip_name(filename), HashingWriter(out)
    with _source(stream, max_bytes, allowed_kinds) as (f, size):
        try:
            kind = _detect(f, allowed_kinds)
            if kind == "pdf":
                check_pdf(f, size, writer, _unreadable(PROOF_KINDS))
            else:
                clean_image(f, size, kind, writer)
        except (UploadRejected, WriteFailed):
            raise
        except Exception as exc:  # any parser complaint (or MemoryError) means we cannot vouch for the file
            raise UploadRejected(_unreadable(allowed_kinds)) from exc
    content_type, extension = _TYPES[kind]
    return Checked(kind=kind, content_type=content_type, extension=extension,
                   original_name=_display_name(name, extension), size=writer.size, sha256=writer.hexdigest())


def sanitise_filename(filename: str | None, extension: str) -> str:
    """The user's file name, made safe to show (never to use as a path)."""
    return _display_name(_strip_name(filename), extension)


def _kinds_phrase(kinds: tuple[str, ...]) -> str:
    labels = [_LABELS[k] for k in PROOF_KINDS if k in kinds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _unreadable(kinds: tuple[str, ...]) -> str:
    return f"We could not read this file. Is it a valid {_kinds_phrase(kinds)}?"


@contextmanager
def _source(stream, max_bytes: int, kinds: tuple[str, ...]) -> Iterator[tuple[object, int]]:
    """The upload as a seekable file starting at 0, with its size; refuses an empty or too large one.

    Werkzeug hands over a spooled temporary file (on disk above 500 kB), which is used as it is. Anything
    else (a socket-like stream) is copied, capped, into a spooled temporary file of our own.
    """
    try:
        usable = stream.seekable() and stream.tell() == 0
    except Exception:  # not a file object with the usual methods: read it as a plain stream
        usable = False
    if usable:
        try:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(0)
        except Exception as exc:
            raise UploadRejected(_unreadable(kinds)) from exc
        _check_size(size, max_bytes)
        yield stream, size
        return
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as copy:
        _check_size(_copy_capped(stream, copy, max_bytes, kinds), max_bytes)
        size = copy.tell()
        copy.seek(0)
        yield copy, size


def _copy_capped(stream, copy, max_bytes: int, kinds: tuple[str, ...]) -> int:
    # Read in a loop: sockets and some wrappers return short reads before the end.
    total = 0
    try:
        while total <= max_bytes:
            chunk = stream.read(min(_COPY_BLOCK, max_bytes + 1 - total))
            if not chunk:
                break
            copy.write(chunk)
            total += len(chunk)
    except Exception as exc:
        raise UploadRejected(_unreadable(kinds)) from exc
    return total


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UploadRejected(f"The file is larger than {file_size(max_bytes)}.")
    if size == 0:
        raise UploadRejected("The file is empty.")


def file_size(size: int) -> str:
    """A size as people read it ("10 MB", "1.5 MB", "200 kB"): every page, message and e-mail says sizes this way."""
    for unit, scale in (("MB", 2**20), ("kB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def _detect(f, kinds: tuple[str, ...]) -> str:
    f.seek(0)
    guess = filetype.guess(f.read(_SNIFF_BYTES))
    kind = _FILETYPE_KINDS.get(guess.extension) if guess else None
    if kind not in kinds:
        raise UploadRejected(f"The file must be a {_kinds_phrase(kinds)}.")
    return kind


def _strip_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    # Control characters break headers and logs; bidi overrides make "gnp.exe" look like "exe.png".
    name = "".join(c for c in name if c not in _BIDI_CONTROLS and unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return name.strip()


def _display_name(name: str, extension: str) -> str:
    if name in ("", ".", ".."):
        return "upload" + extension
    if len(name) <= NAME_LIMIT:
        return name
    stem, ext = os.path.splitext(name)
    ext = ext if len(ext) <= 10 else ""
    return stem[: NAME_LIMIT - len(ext)].rstrip() + ext
