"""A JPEG's markers, walked without decoding it: where its own bytes end, and a copy without its metadata.

The copy keeps the segments that make the picture (tables, frame, scans with their entropy-coded data)
byte for byte and leaves out those that carry none of it: EXIF and XMP (APP1), ICC profiles (APP2),
Photoshop blocks (APP13), the other APPn and comments. JFIF and Adobe headers stay, cut to their fixed
fields (a JFIF thumbnail goes), since decoders read the colour transform from them. So a large photo is
cleaned in bounded memory; images.py decodes it once at an eighth of its size to know its scans are whole.
"""
from __future__ import annotations

from dataclasses import dataclass

_BLOCK = 64 * 1024
SOI, EOI, SOS, APP0, APP14, COM = 0xD8, 0xD9, 0xDA, 0xE0, 0xEE, 0xFE
#: Segments a decoder needs: SOF0-15 (but DHT C4, JPG C8 and DAC CC, listed apart), DHT, DAC, DQT, DNL, DRI.
_PICTURE = {*range(0xC0, 0xD0), 0xDB, 0xDC, 0xDD} - {0xC8}
_METADATA = {*range(0xE0, 0xF0), COM}
#: A hostile file can hold a marker every two bytes; past this many the copy is left to Pillow.
MAX_SEGMENTS = 4096


class Window:
    """Reads a file through one small block, for walks that mostly move forward."""

    def __init__(self, f, size: int):
        self.f, self.size, self.base, self.block = f, size, 0, b""

    def _load(self, pos: int) -> None:
        self.f.seek(pos)
        self.block, self.base = self.f.read(_BLOCK), pos
        if not self.block:
            raise EOFError(pos)

    def byte(self, pos: int) -> int:
        if not self.base <= pos < self.base + len(self.block):
            self._load(pos)
        return self.block[pos - self.base]

    def find_ff(self, pos: int) -> int:
        """The position of the next 0xFF byte at or after ``pos``, or -1."""
        while pos < self.size:
            if not self.base <= pos < self.base + len(self.block):
                self._load(pos)
            found = self.block.find(b"\xff", pos - self.base)
            if found >= 0:
                return self.base + found
            pos = self.base + len(self.block)
        return -1


@dataclass
class Layout:
    end: int  # where the JPEG's own bytes end; the file's size if the walk got lost
    #: (marker, start, stop) of each segment after SOI up to EOI, a scan's entropy-coded data with its SOS;
    #: empty when the walk got lost or found a marker the copy does not know.
    segments: list[tuple[int, int, int]]


def walk(f, size: int) -> Layout:
    segments: list[tuple[int, int, int]] = []
    data, pos = Window(f, size), 2  # after SOI
    try:
        while pos + 2 <= size and data.byte(pos) == 0xFF:
            marker = data.byte(pos + 1)
            if marker == EOI:
                segments.append((EOI, pos, pos + 2))
                return Layout(pos + 2, segments if _copyable(segments) else [])
            if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # fill byte, RSTn, TEM: no length
                pos += 1 if marker == 0xFF else 2
                continue
            start = pos
            pos += 2 + (data.byte(pos + 2) << 8 | data.byte(pos + 3))
            if marker == SOS:
                pos = _scan_end(data, pos)
            segments.append((marker, start, pos))
    except (EOFError, _Lost):
        pass
    return Layout(size, [])


class _Lost(Exception):
    pass


def _scan_end(data: Window, pos: int) -> int:
    """Entropy-coded data runs to the next marker that is not a stuffed 00, a fill byte or RSTn."""
    while True:
        pos = data.find_ff(pos)
        if pos < 0 or pos + 1 >= data.size:
            raise _Lost
        following = data.byte(pos + 1)
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1 if following == 0xFF else 2
            continue
        return pos


def _copyable(segments: list[tuple[int, int, int]]) -> bool:
    known = all(marker in _PICTURE or marker in _METADATA or marker in (SOS, EOI) for marker, _, _ in segments)
    return known and len(segments) <= MAX_SEGMENTS and any(marker == SOS for marker, _, _ in segments)


def write_without_metadata(f, layout: Layout, out) -> None:
    """The picture's segments of a JPEG whose walk found them all (``layout.segments`` not empty)."""
    out.write(b"\xff\xd8")
    for marker, start, stop in layout.segments:
        if marker in _METADATA:
            out.write(_header(f, marker, start, stop))
            continue
        f.seek(start)
        remaining = stop - start
        while remaining:
            block = f.read(min(_BLOCK, remaining))
            if not block:
                raise EOFError(start)
            out.write(block)
            remaining -= len(block)


def _header(f, marker: int, start: int, stop: int) -> bytes:
    """A JFIF or Adobe header cut to its fixed fields; nothing for any other metadata segment."""
    # (identifier, the length libjpeg requires before it reads the segment, the fields kept)
    wanted = {APP0: (b"JFIF\x00", 14, 12), APP14: (b"Adobe", 12, 12)}.get(marker)
    if wanted is None or stop - start < 4 + wanted[1]:
        return b""
    identifier, _required, kept = wanted
    f.seek(start + 4)
    fields = f.read(kept)
    if not fields.startswith(identifier):
        return b""
    if marker == APP0:
        fields += b"\x00\x00"  # no thumbnail: its width and height are 0
    return bytes([0xFF, marker]) + (len(fields) + 2).to_bytes(2, "big") + fields
