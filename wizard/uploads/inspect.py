"""Decide what an uploaded file really is, and return bytes that are safe to keep.

Images are re-encoded, so only their pixels survive (no EXIF, GPS, comments, text chunks, ICC profiles or
appended data). PDFs cannot be rewritten without changing how they look, so pikepdf parses them and anything
active is refused. Nothing here trusts the client's file name or Content-Type.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import unicodedata
import warnings
from dataclasses import dataclass

import filetype
import pikepdf
from PIL import Image, ImageFile, ImageOps

PROOF_KINDS = ("png", "jpeg", "pdf")
LOGO_KINDS = ("png", "jpeg")
MAX_PIXELS = 40_000_000
MAX_PDF_PAGES = 200
MAX_PDF_OBJECTS = 50_000
PDF_CHECK_SECONDS = 5.0
NAME_LIMIT = 120
_PATH_CHARACTERS = ("/", "\\", "\x00")

# kind -> (content type, extension we store, extensions accepted in the user's file name)
_TYPES = {"png": ("image/png", ".png", (".png",)), "jpeg": ("image/jpeg", ".jpg", (".jpg", ".jpeg")),
          "pdf": ("application/pdf", ".pdf", (".pdf",))}
_LABELS = {"png": "PNG", "jpeg": "JPEG", "pdf": "PDF"}
# An animated PNG is still a PNG; re-encoding keeps its first frame only.
_FILETYPE_KINDS = {"png": "png", "apng": "png", "jpg": "jpeg", "pdf": "pdf"}
_DROPPED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")
_BIDI_CONTROLS = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}

# qpdf decodes object streams while we walk the objects; without a cap a 10 MB Flate bomb
# could expand to gigabytes. These limits are process-wide, which is fine: nothing else in
# the app uses pikepdf, and pikepdf asks for them to be set once, before threads start.
pikepdf.settings.set_qpdf_limits(flate_max_memory=64 * 2**20, png_max_memory=64 * 2**20,
                                 run_length_max_memory=64 * 2**20, doc_max_warnings=50)

_JS = "The PDF contains JavaScript, which we do not accept."
_AUTO = "The PDF starts actions by itself (for example when it is opened), which we do not accept."
_LAUNCH = "The PDF tries to start other programs, which we do not accept."
_EMBEDDED = "The PDF contains attached files, which we do not accept."
_MEDIA = "The PDF contains embedded media (such as Flash, video or sound), which we do not accept."
_XFA = "The PDF contains an XFA form, which we do not accept. Please print it to a plain PDF first."
_REMOTE = "The PDF contains actions that open other files or send data, which we do not accept."
_ENCRYPTED = "The PDF is password-protected or encrypted. Please upload an unprotected copy."
_HIDDEN = "The PDF has other content hidden in it (such as a web page or an archive), which we do not accept."
_APPENDED = ("The image has other content appended to it (such as a script or an archive), which we do not accept. "
             "Please save the image again, for example as a new screenshot, and upload that copy.")
_TRUNCATED = "The file seems to be incomplete. Please save it again and upload the new copy."
_BAD_KEYS = {"/JavaScript": _JS, "/JS": _JS, "/AA": _AUTO, "/Launch": _LAUNCH, "/EmbeddedFiles": _EMBEDDED,
             "/EF": _EMBEDDED, "/RichMedia": _MEDIA, "/RichMediaContent": _MEDIA, "/XFA": _XFA}
_BAD_NAMES = {"/JavaScript": _JS, "/Launch": _LAUNCH, "/EmbeddedFile": _EMBEDDED, "/FileAttachment": _EMBEDDED,
              "/RichMedia": _MEDIA, "/RichMediaExecute": _MEDIA, "/Movie": _MEDIA, "/Sound": _MEDIA,
              "/Rendition": _MEDIA, "/Screen": _MEDIA, "/3D": _MEDIA, "/SubmitForm": _REMOTE,
              "/ImportData": _REMOTE, "/GoToR": _REMOTE, "/GoToE": _REMOTE}


class UploadRejected(Exception):
    """The upload is refused; ``message`` is a sentence to show next to the form field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanFile:
    data: bytes
    kind: str
    content_type: str
    extension: str
    original_name: str
    size: int
    sha256: str


def inspect_upload(stream, filename: str, allowed_kinds: tuple[str, ...], max_bytes: int) -> CleanFile:
    """Return a CleanFile for an acceptable upload, or raise UploadRejected with the reason."""
    if isinstance(filename, str) and any(ch in filename for ch in _PATH_CHARACTERS):
        # Browsers send a bare name; folders or a NUL byte mean a hand-made request (path traversal, extension tricks).
        raise UploadRejected("The file name must not contain folders or hidden characters (such as /, \\ or NUL). "
                             "Please rename the file and choose it again.")
    data = _read_capped(stream, max_bytes, allowed_kinds)
    kind = _detect(data, allowed_kinds)
    name = _strip_name(filename)
    _check_extension(name, kind, allowed_kinds)
    try:
        if kind != "pdf" and data[_image_end(data, kind):].strip(b"\x00"):  # zero padding carries nothing
            raise UploadRejected(_APPENDED)
        clean = _check_pdf(data) if kind == "pdf" else _reencode(data, kind)
    except UploadRejected:
        raise
    except Exception as exc:  # any parser complaint (or MemoryError) means we cannot vouch for the file
        raise UploadRejected(_unreadable(allowed_kinds)) from exc
    content_type, extension, _ = _TYPES[kind]
    return CleanFile(data=clean, kind=kind, content_type=content_type, extension=extension,
                     original_name=_display_name(name, extension), size=len(clean),
                     sha256=hashlib.sha256(clean).hexdigest())


def sanitise_filename(filename: str | None, extension: str) -> str:
    """The user's file name, made safe to show (never to use as a path)."""
    return _display_name(_strip_name(filename), extension)


def _kinds_phrase(kinds: tuple[str, ...]) -> str:
    labels = [_LABELS[k] for k in PROOF_KINDS if k in kinds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _unreadable(kinds: tuple[str, ...]) -> str:
    return f"We could not read this file. Is it a valid {_kinds_phrase(kinds)}?"


def _read_capped(stream, max_bytes: int, kinds: tuple[str, ...]) -> bytes:
    # Read in a loop: sockets and some wrappers return short reads before the end.
    chunks, total = [], 0
    try:
        while total <= max_bytes:
            chunk = stream.read(max_bytes + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except Exception as exc:
        raise UploadRejected(_unreadable(kinds)) from exc
    if total > max_bytes:
        raise UploadRejected(f"The file is larger than {_size_phrase(max_bytes)}.")
    if total == 0:
        raise UploadRejected("The file is empty.")
    return b"".join(chunks)


def _size_phrase(size: int) -> str:
    for unit, scale in (("MB", 2**20), ("kB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def _detect(data: bytes, kinds: tuple[str, ...]) -> str:
    guess = filetype.guess(data)
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


def _check_extension(name: str, kind: str, kinds: tuple[str, ...]) -> None:
    ext = os.path.splitext(name)[1].lower()
    if ext in _TYPES[kind][2]:
        return
    for other in kinds:
        if ext in _TYPES[other][2]:
            raise UploadRejected(f"The file is a {_LABELS[kind]} but its name ends in {ext}. "
                                 "Please check you chose the right file.")
    allowed = [e for k in PROOF_KINDS if k in kinds for e in _TYPES[k][2]]
    raise UploadRejected(f"The file name must end in {', '.join(allowed[:-1])} or {allowed[-1]}.")


def _display_name(name: str, extension: str) -> str:
    if name in ("", ".", ".."):
        return "upload" + extension
    if len(name) <= NAME_LIMIT:
        return name
    stem, ext = os.path.splitext(name)
    ext = ext if len(ext) <= 10 else ""
    return stem[: NAME_LIMIT - len(ext)].rstrip() + ext


def _image_end(data: bytes, kind: str) -> int:
    """Where the image's own bytes end, by walking its structure (a last-"IEND" search could be fooled).

    Anything after that end is a polyglot's payload: re-encoding would drop it, but a file built to carry
    one is refused outright (issue 4). A structure that does not parse is left to Pillow to refuse.
    """
    return _png_end(data) if kind == "png" else _jpeg_end(data)


def _png_end(data: bytes) -> int:
    pos = 8  # the signature
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        chunk = data[pos + 4:pos + 8]
        pos += 12 + length  # length, type, data, CRC
        if chunk == b"IEND":
            return pos
    return len(data)


def _jpeg_end(data: bytes) -> int:
    pos = 2  # SOI
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return len(data)
        marker = data[pos + 1]
        if marker == 0xD9:  # EOI
            return pos + 2
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # fill byte, RSTn, TEM: no length
            pos += 1 if marker == 0xFF else 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next marker that is not 00 or RSTn
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= len(data):
                    return len(data)
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    pos += 1 if following == 0xFF else 2
                    continue
                break
    return len(data)


def _reencode(data: bytes, kind: str) -> bytes:
    fmt = "PNG" if kind == "png" else "JPEG"
    # Pillow keeps these as module globals; every caller sets the same values, so a race is harmless.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    too_big = UploadRejected(f"The image is too large: it has more than {MAX_PIXELS // 1_000_000} million pixels.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:  # also enforced here in case another thread reset the filter
                    raise too_big
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as im:
                im.load()
                image = ImageOps.exif_transpose(im)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise too_big from exc
    transparency = image.info.get("transparency")
    image.info.clear()  # Pillow copies ICC profiles, comments and EXIF from .info when saving
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("L" if image.mode in ("1", "I", "I;16") else "RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        if image.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        if transparency is not None and image.mode in ("1", "L", "P", "RGB"):
            image.info["transparency"] = transparency
        image.save(out, "PNG")
    return out.getvalue()


def _check_pdf(data: bytes) -> bytes:
    if not data.startswith(b"%PDF-"):
        raise UploadRejected(_unreadable(PROOF_KINDS))
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise UploadRejected(_TRUNCATED)
    head = data[:1024].lower()
    # Browsers sniff HTML near the start; ZIP readers look for the end record in the last 64 kB.
    if data[end + 5:].strip(b" \t\r\n\f\x00") or b"<html" in head or b"<script" in head \
            or b"PK\x05\x06" in data[-(65535 + 22):]:
        raise UploadRejected(_HIDDEN)
    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError as exc:
        raise UploadRejected(_ENCRYPTED) from exc
    with pdf:
        if pdf.is_encrypted:
            raise UploadRejected(_ENCRYPTED)
        if int(pdf.trailer.get("/Size", 0)) > MAX_PDF_OBJECTS + 1:
            raise UploadRejected(f"The PDF is too complex to check (more than {MAX_PDF_OBJECTS:,} objects).")
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise UploadRejected(f"The PDF has more than {MAX_PDF_PAGES} pages.")
        _scan_objects(pdf)
        if pdf.get_warnings():  # qpdf repaired something: the file is damaged, and readers may disagree on it
            raise UploadRejected(_unreadable(PROOF_KINDS))
    return data


def _scan_objects(pdf: pikepdf.Pdf) -> None:
    deadline = time.monotonic() + PDF_CHECK_SECONDS
    containers = (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)
    for count, top in enumerate([pdf.trailer, *pdf.objects]):
        if count > MAX_PDF_OBJECTS or time.monotonic() > deadline:
            raise UploadRejected(f"The PDF is too complex to check (more than {MAX_PDF_OBJECTS:,} objects).")
        # An explicit stack: deeply nested arrays must not exhaust Python's recursion limit.
        stack = [top] if isinstance(top, containers) else []
        while stack:
            obj = stack.pop()
            children = obj.as_list() if isinstance(obj, pikepdf.Array) else _check_dict(obj)
            stack.extend(c for c in children if isinstance(c, containers) and not c.is_indirect)


def _check_dict(obj) -> list:
    """Refuse active content in one dictionary (or stream dictionary); return its values."""
    values = []
    for key in obj.keys():
        if key in _BAD_KEYS:
            raise UploadRejected(_BAD_KEYS[key])
        value = obj.get(key)
        if key == "/OpenAction" and not isinstance(value, pikepdf.Array) \
                and not (isinstance(value, pikepdf.Dictionary) and str(value.get("/S")) == "/GoTo"):
            raise UploadRejected(_AUTO)  # a destination array or GoTo only moves the view
        if key in ("/S", "/Type", "/Subtype") and isinstance(value, pikepdf.Name) and str(value) in _BAD_NAMES:
            raise UploadRejected(_BAD_NAMES[str(value)])
        values.append(value)
    return values
