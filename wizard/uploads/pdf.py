"""PDF checks: pikepdf parses the file and anything active is refused; an accepted PDF is kept byte for byte.

PDFs cannot be rewritten without changing how they look. The file is read from the upload's own
temporary file in blocks, never held whole in memory.
"""

from __future__ import annotations

import time

import pikepdf

from .errors import UploadRejected

MAX_PDF_PAGES = 200
MAX_PDF_OBJECTS = 50_000
PDF_CHECK_SECONDS = 5.0
_BLOCK = 1024 * 1024
_ZIP_END_WINDOW = 65535 + 22  # ZIP readers look for their end record in the last 64 kB
_WHITESPACE = b" \t\r\n\f\x00"

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
_TRUNCATED = "The file seems to be incomplete. Please save it again and upload the new copy."
_BAD_KEYS = {"/JavaScript": _JS, "/JS": _JS, "/AA": _AUTO, "/Launch": _LAUNCH, "/EmbeddedFiles": _EMBEDDED,
             "/EF": _EMBEDDED, "/RichMedia": _MEDIA, "/RichMediaContent": _MEDIA, "/XFA": _XFA}
_BAD_NAMES = {"/JavaScript": _JS, "/Launch": _LAUNCH, "/EmbeddedFile": _EMBEDDED, "/FileAttachment": _EMBEDDED,
              "/RichMedia": _MEDIA, "/RichMediaExecute": _MEDIA, "/Movie": _MEDIA, "/Sound": _MEDIA,
              "/Rendition": _MEDIA, "/Screen": _MEDIA, "/3D": _MEDIA, "/SubmitForm": _REMOTE,
              "/ImportData": _REMOTE, "/GoToR": _REMOTE, "/GoToE": _REMOTE}


def check_pdf(f, size: int, out, unreadable: str) -> None:
    """Refuse a PDF with active or hidden content; copy an acceptable one to ``out`` unchanged."""
    f.seek(0)
    head = f.read(1024)
    if not head.startswith(b"%PDF-"):
        raise UploadRejected(unreadable)
    end = _last(f, size, b"%%EOF")
    if end < 0:
        raise UploadRejected(_TRUNCATED)
    # Browsers sniff HTML near the start; ZIP readers look for the end record near the end.
    if not _only_whitespace(f, end + 5, size) or b"<html" in head.lower() or b"<script" in head.lower() \
            or _last(f, size, b"PK\x05\x06", start=max(0, size - _ZIP_END_WINDOW)) >= 0:
        raise UploadRejected(_HIDDEN)
    try:
        # AccessMode.stream: qpdf reads through the file object; a memory map would count the file in the RSS.
        pdf = pikepdf.open(f, attempt_recovery=False, access_mode=pikepdf.AccessMode.stream)
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
            raise UploadRejected(unreadable)
    f.seek(0)
    while block := f.read(_BLOCK):
        out.write(block)


def _last(f, size: int, marker: bytes, start: int = 0) -> int:
    """Where the last ``marker`` at or after ``start`` begins, or -1; reads backwards one block at a time."""
    end = size
    while end > start:
        low = max(start, end - _BLOCK)
        f.seek(low)
        found = f.read(min(size, end + len(marker) - 1) - low).rfind(marker)  # overlap: a marker across blocks
        if found >= 0:
            return low + found
        end = low
    return -1


def _only_whitespace(f, start: int, size: int) -> bool:
    f.seek(start)
    while start < size:
        block = f.read(min(_BLOCK, size - start))
        if not block:
            break
        if block.strip(_WHITESPACE):
            return False
        start += len(block)
    return True


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
