"""What the upload checks raise, and the writer that hashes the cleaned bytes on their way to disk."""

from __future__ import annotations

import hashlib


class UploadRejected(Exception):
    """The upload is refused; ``message`` is a sentence to show next to the form field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WriteFailed(Exception):
    """Writing the cleaned file failed (disk full, quota): the server's trouble, not the upload's."""


class HashingWriter:
    """Passes the cleaned bytes on to ``out`` and keeps their size and SHA-256.

    It has no ``fileno``, on purpose: Pillow would otherwise write past it straight to the descriptor.
    """

    def __init__(self, out):
        self._out = out
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        try:
            written = self._out.write(data)
        except OSError as exc:
            raise WriteFailed(str(exc)) from exc
        self._hash.update(data)
        self.size += len(data)
        return written if written is not None else len(data)

    def flush(self) -> None:
        try:
            self._out.flush()
        except OSError as exc:
            raise WriteFailed(str(exc)) from exc

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
