"""The storage contract (wizard/uploads/backends.py), run against both backends: the upload folder and
an S3 bucket on a real S3-protocol server (moto's standalone server on loopback)."""
import os
import re
import time

import pytest

from wizard.uploads import FileStorage, StorageFull, UploadRejected
from wizard.uploads.s3 import S3Storage

NAME = re.compile(r"[A-Za-z0-9_-]{32}\.(?:png|jpg|pdf)")
PHOTO = os.urandom(3 * 1024 * 1024 + 17)  # several network reads, an odd length


class Backend:
    """A backend and a way to see everything it holds, bypassing the backend itself."""

    def __init__(self, storage, listing):
        self.storage = storage
        self.listing = listing


@pytest.fixture(params=["file", "s3"])
def backend(request, tmp_path):
    if request.param == "file":
        root = tmp_path / "uploads"
        return Backend(FileStorage(str(root)), lambda: sorted(os.listdir(root)) if root.exists() else [])
    server = request.getfixturevalue("s3_server")
    bucket = server.new_bucket()
    settings = server.settings(bucket)
    return Backend(S3Storage.from_config(settings), lambda: sorted(server.keys(bucket)))


def writing(data: bytes, extension: str = ".png"):
    def write(fh) -> str:
        for start in range(0, len(data), 65536):
            fh.write(data[start:start + 65536])
        return extension
    return write


def test_a_saved_file_streams_back_whole_under_a_made_up_name(backend):
    name = backend.storage.save(writing(PHOTO))
    assert NAME.fullmatch(name) and backend.storage.exists(name)
    assert len(backend.listing()) == 1 and backend.listing()[0].endswith(name)
    with backend.storage.open(name) as handle:
        chunks = []
        while chunk := handle.read(256 * 1024):
            chunks.append(chunk)
    assert len(chunks) > 1, "opened files are read in pieces, not whole"
    assert b"".join(chunks) == PHOTO


def test_a_refused_file_leaves_nothing_and_the_refusal_goes_on(backend):
    def refuse(fh):
        fh.write(PHOTO[:100_000])
        raise UploadRejected("not an image")

    with pytest.raises(UploadRejected):
        backend.storage.save(refuse)
    assert backend.listing() == []


def test_a_failed_write_is_storage_full_and_leaves_nothing(backend):
    def fail(fh):
        fh.write(PHOTO[:100_000])
        raise OSError(28, "No space left on device")

    with pytest.raises(StorageFull):
        backend.storage.save(fail)
    assert backend.listing() == []


def test_an_extension_we_never_store_is_refused_and_leaves_nothing(backend):
    with pytest.raises(ValueError):
        backend.storage.save(writing(b"<?php", extension=".php"))
    assert backend.listing() == []


@pytest.mark.parametrize("bad", ["../../wsgi.py", "a" * 32 + ".png\n", "", "A" * 32 + ".php", "x/" + "a" * 30 + ".png"])
def test_names_not_of_our_shape_reach_nothing(backend, bad):
    backend.storage.save(writing(b"kept"))
    with pytest.raises(ValueError):
        backend.storage.open(bad)
    with pytest.raises(ValueError):
        backend.storage.delete(bad)
    assert len(backend.listing()) == 1


def test_delete_removes_and_a_missing_name_is_not_an_error(backend):
    name = backend.storage.save(writing(b"proof"))
    backend.storage.delete(name)
    backend.storage.delete(name)
    assert not backend.storage.exists(name) and backend.listing() == []
    with pytest.raises(FileNotFoundError):
        backend.storage.open(name)
    with pytest.raises(FileNotFoundError):
        backend.storage.open("B" * 32 + ".pdf")


def test_orphans_are_removed_only_once_old_and_only_if_unknown(backend):
    known = backend.storage.save(writing(b"a row points here"))
    orphan = backend.storage.save(writing(b"no row"))
    assert backend.storage.remove_orphans({known}, 3600, time.time()) == 0, "a young file may still get its row"
    assert backend.storage.remove_orphans({known}, 3600, time.time() + 7200) == 1
    assert backend.storage.exists(known) and not backend.storage.exists(orphan)
