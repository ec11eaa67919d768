"""Where a JPEG's own bytes end, by walking its markers without decoding it (images.py refuses anything
after them but zeros), in bounded time: a hostile file cannot make the walk, or Pillow after it, read
millions of markers one by one.
"""
from __future__ import annotations

import re

_BLOCK = 64 * 1024
EOI, SOS = 0xD9, 0xDA
#: What ends a scan's entropy-coded data: 0xFF followed by anything but a stuffed 00, RSTn or a fill byte.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
#: A photo has a few dozen markers before its EOI (a progressive one, tables and scans, about a hundred).
#: A hostile file can hold one every two bytes, and Pillow reads those before the first scan one by one
#: in Python: 2.5 million comments cost 14 s and 340 MB there. Past this many the file is refused.
MAX_MARKERS = 4096


class Malformed(ValueError):
    """Not a JPEG this app will read (the caller turns any parser error into "we could not read this file")."""


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

    def find_scan_end(self, pos: int) -> int:
        """The position of the marker that ends the entropy-coded data at ``pos``, or -1: a search in C, since
        a hostile scan can hold five million stuffed bytes."""
        while pos + 1 < self.size:
            if not self.base <= pos < self.base + len(self.block) - 1:  # this byte and the next in the block
                self._load(pos)
            found = _SCAN_END.search(self.block, pos - self.base)
            if found:
                return self.base + found.start()
            pos = self.base + len(self.block) - 1  # the last byte again, beside the next block's first
        return -1


def end(f, size: int) -> int:
    """Where the JPEG's own bytes end (after EOI); the file's size if the walk gets lost. Malformed past
    MAX_MARKERS markers, before any parser reads them."""
    data, pos, markers = Window(f, size), 2, 0  # after SOI
    try:
        while pos + 2 <= size:
            if data.byte(pos) != 0xFF:
                # Bytes where a marker belongs: decoders skip them to the next 0xFF, and so does the walk
                # (the markers after them count too).
                pos = data.find_ff(pos)
                if pos < 0:
                    break
                continue
            markers += 1
            if markers > MAX_MARKERS:
                raise Malformed("too many markers")
            marker = data.byte(pos + 1)
            if marker == EOI:
                return pos + 2
            if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # fill byte, RSTn, TEM: no length
                pos += 1 if marker == 0xFF else 2
                continue
            pos += 2 + (data.byte(pos + 2) << 8 | data.byte(pos + 3))
            if marker == SOS:
                pos = _scan_end(data, pos)
    except (EOFError, _Lost):
        pass
    return size


class _Lost(Exception):
    pass


def _scan_end(data: Window, pos: int) -> int:
    found = data.find_scan_end(pos)
    if found < 0:
        raise _Lost
    return found
