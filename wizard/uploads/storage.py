"""The ``file`` backend (backends.py): accepted uploads on disk under names the app makes up.

The user's file name never reaches the file system. Names read back from the database are
checked against the exact shape we generate, and resolved paths must stay inside the root
(the same checks SecureDrop's store makes), so a tampered row cannot reach another file.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Callable
from contextlib import suppress
from typing import BinaryIO

from .errors import WriteFailed
from .inspect import CleanFile

_NAME = re.compile(r"[A-Za-z0-9_-]{32}\.(?:png|jpg|pdf)")
_TEMP_PREFIX = ".tmp-"  # starts with a dot, so it can never match _NAME and be served half-written
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class StorageFull(Exception):
    """Saving failed (disk full, quota, permissions); ``message`` is safe to show."""

    def __init__(self, message: str = "We could not save your file just now. Please try again later."):
        super().__init__(message)
        self.message = message


def store(root: str, clean: CleanFile) -> str:
    """Write the file atomically and return its storage name."""
    _check_extension(clean.extension)

    def write(fh) -> str:
        fh.write(clean.data)
        return clean.extension

    return save(root, write)


def new_name(extension: str) -> str:
    """A fresh storage name (the same shape in every backend); ValueError for an extension we never store."""
    _check_extension(extension)
    return secrets.token_urlsafe(24) + extension


def check_name(storage_name: str) -> None:
    """ValueError unless the name has exactly the shape new_name makes: a tampered row reaches nothing else."""
    # fullmatch, not match with "$": "$" would also accept a name ending in a newline.
    if not isinstance(storage_name, str) or not _NAME.fullmatch(storage_name):
        raise ValueError(f"not a storage name: {storage_name!r}")


def _check_extension(extension: str) -> None:
    if not _NAME.fullmatch("a" * 32 + extension):
        raise ValueError(f"cannot store files with extension {extension!r}")


def save(root: str, write: Callable[[BinaryIO], str]) -> str:
    """Writes through ``write`` (which returns the extension) atomically; returns the storage name."""
    temp = None
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        root_real = os.path.realpath(root)
        temp = os.path.join(root_real, _TEMP_PREFIX + secrets.token_hex(8))
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            extension = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        name = new_name(extension)
        final = os.path.join(root_real, name)
        # Readers only ever see a complete file: the rename is atomic within one directory.
        os.replace(temp, final)
        temp = None
        try:
            _fsync_dir(root_real)
        except OSError:
            # The caller will not record the name, so the file must not stay behind as an orphan.
            with suppress(OSError):
                os.unlink(final)
            raise
    except (OSError, WriteFailed) as exc:
        raise StorageFull() from exc
    finally:
        if temp is not None:  # refused, failed or interrupted: no half-written file stays behind
            with suppress(OSError):
                os.unlink(temp)
    return name


def path_for(root: str, storage_name: str) -> str:
    """The absolute path of a stored file; FileNotFoundError if it is missing or not ours."""
    root_real = _check_name_and_root(root, storage_name)
    candidate = os.path.join(root_real, storage_name)
    info = os.lstat(candidate)
    # A symlink, directory, device or hard link was planted by someone else: never follow it.
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        raise FileNotFoundError(f"not a stored upload: {storage_name}")
    resolved = os.path.realpath(candidate)
    if os.path.commonpath([resolved, root_real]) != root_real:
        raise FileNotFoundError(f"not a stored upload: {storage_name}")
    return resolved


def open_file(root: str, storage_name: str):
    """Open a stored file for reading, refusing a symlink swapped in after the check."""
    fd = os.open(path_for(root, storage_name), os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    return os.fdopen(fd, "rb")


def delete(root: str, storage_name: str) -> None:
    """Remove a stored file; deleting one that is already gone is not an error."""
    root_real = _check_name_and_root(root, storage_name)
    with suppress(FileNotFoundError):
        os.unlink(os.path.join(root_real, storage_name))  # unlink removes a symlink itself, not its target


def _check_name_and_root(root: str, storage_name: str) -> str:
    check_name(storage_name)
    return os.path.realpath(root)


def _fsync_dir(path: str) -> None:
    # Makes the rename itself durable; without it a power cut can lose a file we reported saved.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stored_names(root: str) -> list[str]:
    """The names in the root that have the shape of a stored upload (for finding orphans)."""
    try:
        entries = os.listdir(root)
    except FileNotFoundError:
        return []
    return [name for name in entries if _NAME.fullmatch(name)]


def remove_stale(root: str, names: list[str], older_than_seconds: float, now: float) -> int:
    """Deletes the given stored names (and half-written temporary files) not modified for a while.

    The age guard leaves alone a file that a request is writing, or has written but not yet recorded.
    """
    removed = 0
    try:
        candidates = [n for n in os.listdir(root) if n.startswith(_TEMP_PREFIX)] + list(names)
    except FileNotFoundError:
        return 0
    root_real = os.path.realpath(root)
    for name in candidates:
        path = os.path.join(root_real, name)
        try:
            info = os.lstat(path)
            if now - info.st_mtime >= older_than_seconds and not stat.S_ISDIR(info.st_mode):
                os.unlink(path)
                removed += 1
        except FileNotFoundError:
            continue
    return removed
