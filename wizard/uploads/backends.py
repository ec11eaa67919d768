"""Where accepted uploads are kept: one small interface, chosen by ``UPLOAD_STORAGE``.

``file`` is the upload folder (one host, or a volume every host mounts); ``s3`` is S3-compatible object
storage (s3.py), so that several app hosts share the files as they share the database. The rest of the
app (the uploads service, downloads, the purge, account deletion) talks only to ``Storage``.

Both keep the same promises: a name is handed out only for a complete object, a failed write leaves
nothing behind (StorageFull), ``open`` streams and raises FileNotFoundError for a missing or foreign
name, and ``delete`` of a missing name is not an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO, Protocol

from . import storage as folder
from .inspect import Checked

Writer = Callable[[BinaryIO], str]  # writes the clean bytes and returns the extension


class Storage(Protocol):
    def save(self, write: Writer) -> str: ...

    def open(self, name: str) -> BinaryIO: ...

    def delete(self, name: str) -> None: ...

    def exists(self, name: str) -> bool: ...

    def remove_orphans(self, known: set[str], older_than_seconds: float, now: float) -> int:
        """Deletes stored names not in ``known`` (and half-written leftovers) older than the guard."""


class FileStorage:
    """The upload folder, with the checks of storage.py (generated names only, nothing outside the root)."""

    def __init__(self, root: str):
        self.root = root

    def save(self, write: Writer) -> str:
        return folder.save(self.root, write)

    def open(self, name: str) -> BinaryIO:
        return folder.open_file(self.root, name)

    def delete(self, name: str) -> None:
        folder.delete(self.root, name)

    def exists(self, name: str) -> bool:
        try:
            folder.path_for(self.root, name)
        except (FileNotFoundError, ValueError):
            return False
        return True

    def remove_orphans(self, known: set[str], older_than_seconds: float, now: float) -> int:
        orphans = [name for name in folder.stored_names(self.root) if name not in known]
        return folder.remove_stale(self.root, orphans, older_than_seconds, now)


def save_checked(storage: Storage, check: Callable[[BinaryIO], Checked]) -> tuple[str, Checked]:
    """Let ``check`` write a clean copy into ``storage`` and keep it under a made-up name.

    ``check`` is check_upload with its other arguments bound: the cleaned bytes are streamed, never held
    whole in memory. If it refuses the file (UploadRejected), nothing stays behind and the refusal goes on.
    """
    results: list[Checked] = []

    def write(fh) -> str:
        results.append(check(fh))
        return results[0].extension

    name = storage.save(write)
    return name, results[0]


def store_upload(root: str, check: Callable[[BinaryIO], Checked]) -> tuple[str, Checked]:
    """save_checked into the upload folder ``root``."""
    return save_checked(FileStorage(root), check)


def from_config(config) -> Storage:
    kind = (config.get("UPLOAD_STORAGE") or "file").strip().lower()
    if kind == "file":
        return FileStorage(config["UPLOAD_FOLDER"])
    if kind == "s3":
        from .s3 import S3Storage

        return S3Storage.from_config(config)
    raise ValueError(f"UPLOAD_STORAGE must be 'file' or 's3', not {kind!r}")
