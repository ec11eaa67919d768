"""Re-write a PNG chunk by chunk, in bounded memory, keeping only what its pixels need.

Decoding a 10 MB photo-like PNG with Pillow and encoding it again costs some 40 MB per upload (issue 7).
Here the file is read in small pieces instead: the header, palette and transparency chunks are copied,
every other ancillary chunk (text, EXIF, ICC profile, animation, private chunks) is dropped, and the
image data is inflated and deflated again into new IDAT chunks. The recompressed stream is not the
sender's, so bytes crafted into the compressed data do not survive; the inflated rows are checked
against the size IHDR gives (which also stops a decompression bomb early) and each row's filter byte
must be one of the five the format defines. Every chunk's CRC is checked, dropped ones included.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: colour type -> (channels, allowed bit depths)
_COLOUR_TYPES = {0: (1, (1, 2, 4, 8, 16)), 2: (3, (8, 16)), 3: (1, (1, 2, 4, 8)), 4: (2, (8, 16)), 6: (4, (8, 16))}
#: Adam7 passes: (first column, first row, column step, row step)
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_FILTER_TYPES = bytes(range(5))
#: Chunks whose keyword may carry an EXIF orientation that Pillow would apply (see ImageOps.exif_transpose).
_ORIENTATION_KEYWORDS = (b"Raw profile type exif", b"XML:com.adobe.xmp")
_MAX_CHUNK = 2**31 - 1
# Encoders write a handful of chunks before the pixels and IDAT chunks of 8 kB or more (an animation adds
# two chunks a frame): these caps are far above any real file, and keep a verdict well under a second.
_MAX_CHUNKS_BEFORE_PIXELS = 1_000
_MAX_CHUNKS = 100_000
_READ = 64 * 1024
_INFLATE_PIECE = 256 * 1024
_IDAT_SIZE = 64 * 1024
_LEVEL = 6  # zlib's default, as Pillow uses: incompressible photos cost no more time than before


class Malformed(Exception):
    """The PNG's structure or data is not what the format allows."""


@dataclass(frozen=True)
class Layout:
    """What a quick walk over the chunk lengths finds (no data read)."""

    end: int  # where the IEND chunk ends, or the file's size if the walk got lost
    orientation_after_pixels: bool  # metadata after the image data that Pillow would read for the orientation


@dataclass(frozen=True)
class Header:
    width: int
    height: int
    depth: int
    colour: int
    interlace: int

    @classmethod
    def parse(cls, body: bytes) -> Header:
        if len(body) != 13:
            raise Malformed("IHDR length")
        width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", body)
        if not (0 < width <= _MAX_CHUNK and 0 < height <= _MAX_CHUNK) or colour not in _COLOUR_TYPES \
                or depth not in _COLOUR_TYPES[colour][1] or compression or filtering or interlace not in (0, 1):
            raise Malformed("IHDR values")
        return cls(width, height, depth, colour, interlace)

    def body(self) -> bytes:
        return struct.pack(">IIBBBBB", self.width, self.height, self.depth, self.colour, 0, 0, self.interlace)

    def row_groups(self) -> list[tuple[int, int, int]]:
        """(start, end, row stride) of each pass in the inflated data; each row starts with its filter byte."""
        bits = _COLOUR_TYPES[self.colour][0] * self.depth
        passes = _ADAM7 if self.interlace else ((0, 0, 1, 1),)
        groups, start = [], 0
        for x0, y0, dx, dy in passes:
            columns = (self.width - x0 + dx - 1) // dx if self.width > x0 else 0
            rows = (self.height - y0 + dy - 1) // dy if self.height > y0 else 0
            if columns and rows:  # an empty pass has no rows, so no filter bytes either
                stride = 1 + (columns * bits + 7) // 8
                groups.append((start, start + rows * stride, stride))
                start += rows * stride
        return groups


def walk(f, size: int) -> Layout:
    """Where the image's own bytes end, by walking its chunks (a last-"IEND" search could be fooled).

    Lenient by design: a structure that does not parse is left to the full check to refuse. Only a flood
    of tiny chunks is refused here, before Pillow (which walks the chunks before the pixels at some 14 µs
    each) or the rewrite spend seconds on it.
    """
    pos, seen_pixels, orientation, count = 8, False, False, 0
    while pos + 8 <= size:
        f.seek(pos)
        head = f.read(8)
        if len(head) < 8:
            break
        length, kind = int.from_bytes(head[:4], "big"), head[4:]
        count += 1
        if count > (_MAX_CHUNKS if seen_pixels else _MAX_CHUNKS_BEFORE_PIXELS):
            raise Malformed("too many chunks")
        if kind == b"IDAT":
            seen_pixels = True
        elif seen_pixels and (kind == b"eXIf" or kind in (b"tEXt", b"zTXt", b"iTXt")
                              and f.read(80).split(b"\0", 1)[0] in _ORIENTATION_KEYWORDS):
            orientation = True
        pos += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return Layout(pos, orientation)
    return Layout(size, orientation)


def rewrite(f, end: int, out) -> Header:
    """Write a clean copy of the PNG in ``f`` (whose chunks end at ``end``) to ``out``; Malformed if it is not one."""
    f.seek(0)
    if f.read(8) != SIGNATURE:
        raise Malformed("signature")
    out.write(SIGNATURE)
    length, kind = _chunk_head(f, 8, end)
    if kind != b"IHDR":
        raise Malformed("IHDR must come first")
    header = Header.parse(_checked_body(f, kind, length, 13))
    _write_chunk(out, b"IHDR", header.body())
    colours, pixels, pixels_done, pos = _Colours(header, out), None, False, 8 + 12 + length
    while True:
        length, kind = _chunk_head(f, pos, end)
        pos += 12 + length
        if kind == b"IDAT":
            if pixels_done:
                raise Malformed("IDAT chunks must be consecutive")
            pixels = pixels or _Pixels(header, colours.palette_entries, out)
            _stream_body(f, kind, length, pixels.feed)
            continue
        pixels_done = pixels is not None
        if kind == b"IEND":
            _checked_body(f, kind, length, 0)
            break
        if kind == b"IHDR":
            raise Malformed("second IHDR")
        if pixels is not None or not colours.take(f, kind, length):
            _stream_body(f, kind, length, lambda piece: None)  # dropped, but its CRC must still hold
    if pixels is None:
        raise Malformed("no IDAT")
    pixels.finish()
    _write_chunk(out, b"IEND", b"")
    return header


class _Colours:
    """The palette and transparency chunks, the only ones before the pixels that are copied."""

    def __init__(self, header: Header, out):
        self.header, self.out = header, out
        self.palette_entries = 0
        self.transparency_kept = False

    def take(self, f, kind: bytes, length: int) -> bool:
        """Copies the chunk if it is one to keep; False (nothing read) if it is to be dropped."""
        # Outside a palette image a PLTE is only a suggestion for old screens: dropped like the rest.
        if kind == b"PLTE" and self.header.colour == 3:
            body = _checked_body(f, kind, length, 768)
            if self.palette_entries or not body or len(body) % 3:
                raise Malformed("PLTE")
            self.palette_entries = len(body) // 3
            _write_chunk(self.out, kind, body)
            return True
        if kind == b"tRNS" and not self.transparency_kept and length <= 256:
            body = _checked_body(f, kind, length, 256)
            # Anything else is ignored by decoders (libpng calls it a benign error), so it is dropped here too.
            fits = {0: len(body) == 2, 2: len(body) == 6, 3: 0 < len(body) <= self.palette_entries}
            if fits.get(self.header.colour, False):
                _write_chunk(self.out, kind, body)
                self.transparency_kept = True
            return True
        return False


def _chunk_head(f, pos: int, end: int) -> tuple[int, bytes]:
    f.seek(pos)
    head = f.read(8)
    if len(head) < 8:
        raise Malformed("truncated")
    length, kind = int.from_bytes(head[:4], "big"), head[4:]
    if length > _MAX_CHUNK or not kind.isalpha() or pos + 12 + length > end:
        raise Malformed("chunk header")
    return length, kind


def _checked_body(f, kind: bytes, length: int, limit: int) -> bytes:
    """A small chunk's data, after checking its CRC."""
    if length > limit:
        raise Malformed(f"{kind!r} too long")
    body = f.read(length)
    if len(body) != length:
        raise Malformed("truncated")
    _check_crc(f, zlib.crc32(body, zlib.crc32(kind)))
    return body


def _stream_body(f, kind: bytes, length: int, consume) -> None:
    """Hands a chunk's data to ``consume`` in small pieces, then checks its CRC."""
    crc, left = zlib.crc32(kind), length
    while left:
        piece = f.read(min(left, _READ))
        if not piece:
            raise Malformed("truncated")
        crc = zlib.crc32(piece, crc)
        consume(piece)
        left -= len(piece)
    _check_crc(f, crc)


def _check_crc(f, crc: int) -> None:
    stored = f.read(4)
    if len(stored) != 4 or int.from_bytes(stored, "big") != crc:
        raise Malformed("CRC")


def _write_chunk(out, kind: bytes, body: bytes) -> None:
    out.write(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind))))


class _Pixels:
    """Inflates the IDAT stream piece by piece, checks it, and deflates it again into new IDAT chunks."""

    def __init__(self, header: Header, palette_entries: int, out):
        if header.colour == 3 and not palette_entries:
            raise Malformed("palette image without PLTE")
        self.groups = header.row_groups()
        self.expected = self.groups[-1][1]
        self.produced = 0
        self.inflate = zlib.decompressobj()
        self.deflate = zlib.compressobj(_LEVEL)
        self.pending = bytearray()
        self.out = out

    def feed(self, compressed: bytes) -> None:
        if self.inflate.eof:
            raise Malformed("data after the end of the compressed stream")
        data = compressed
        while True:
            piece = self.inflate.decompress(data, _INFLATE_PIECE)
            data = self.inflate.unconsumed_tail
            if piece:
                self._take(piece)
            if self.inflate.eof:
                if data or self.inflate.unused_data:
                    raise Malformed("data after the end of the compressed stream")
                return
            if not data and len(piece) < _INFLATE_PIECE:  # input used up and no output held back
                return

    def finish(self) -> None:
        if not self.inflate.eof or self.produced != self.expected:
            raise Malformed(f"image data holds {self.produced} bytes, the header says {self.expected}")
        self._emit(self.deflate.flush())
        if self.pending:
            _write_chunk(self.out, b"IDAT", bytes(self.pending))
            self.pending.clear()

    def _take(self, piece: bytes) -> None:
        start, stop = self.produced, self.produced + len(piece)
        if stop > self.expected:  # stop before inflating any further: a bomb never gets past the header's size
            raise Malformed(f"image data holds more than the {self.expected} bytes the header says")
        for first, last, stride in self.groups:
            low, high = max(first, start), min(last, stop)
            if low >= high:
                continue
            row = first + -(-(low - first) // stride) * stride  # the first row start at or after `low`
            if row < high and piece[row - start:high - start:stride].translate(None, _FILTER_TYPES):
                raise Malformed("unknown row filter")
        self.produced = stop
        self._emit(self.deflate.compress(piece))

    def _emit(self, data: bytes) -> None:
        self.pending += data
        while len(self.pending) >= _IDAT_SIZE:
            _write_chunk(self.out, b"IDAT", bytes(self.pending[:_IDAT_SIZE]))
            del self.pending[:_IDAT_SIZE]
