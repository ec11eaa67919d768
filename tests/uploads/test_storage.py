"""Storing uploads on a real file system: names, paths, symlinks and a really full disk (F3, F15)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import stat

import pytest

from tests.uploads.corpus import encode
from tests.uploads.test_inspect import NAMES
from wizard.uploads import CleanFile, StorageFull, UploadRejected, delete, inspect_upload, open_file, path_for, store

STORED = re.compile(r"[A-Za-z0-9_-]{32}\.(png|jpg|pdf)")


def clean_file(data: bytes = b"%PDF-1.4 pretend", extension: str = ".pdf") -> CleanFile:
    kind = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg"}[extension]
    return CleanFile(data=data, kind=kind, content_type="application/octet-stream", extension=extension,
                     original_name="x" + extension, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def all_files(top: str) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(top) for f in files]


def test_round_trip(tmp_path):
    root = str(tmp_path / "uploads" / "nested")
    clean = clean_file(encode("PNG"), ".png")
    name = store(root, clean)
    assert STORED.fullmatch(name)
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
    path = path_for(root, name)
    assert path == os.path.join(os.path.realpath(root), name)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open_file(root, name) as fh:
        assert fh.read() == clean.data
    assert os.listdir(root) == [name], "no temporary file may stay behind"
    delete(root, name)
    with pytest.raises(FileNotFoundError):
        path_for(root, name)
    delete(root, name)  # idempotent
    delete(str(tmp_path / "never-created"), name)


def test_names_are_random_and_never_reused(tmp_path):
    names = {store(str(tmp_path), clean_file()) for _ in range(200)}
    assert len(names) == 200 and len(os.listdir(tmp_path)) == 200


def test_an_unknown_extension_is_not_stored(tmp_path):
    with pytest.raises(ValueError):
        store(str(tmp_path), dataclasses.replace(clean_file(), extension=".php"))
    assert os.listdir(tmp_path) == []


A32 = "a" * 32
BAD_NAMES = ["../x.png", "../../etc/passwd", "/etc/passwd", A32 + ".png\n", A32 + ".exe", "", A32[1:] + ".png",
             A32 + ".PNG", "..%2f..%2f" + A32[10:] + ".png", A32 + ".png/../../x", A32 + ".png\x00",
             "." + A32[1:] + ".png", A32[1:] + "/.png", A32[1:] + "\\.png", A32 + "..png", None, A32.encode() + b".png"]


@pytest.mark.parametrize("bad", BAD_NAMES, ids=[repr(b)[:30] for b in BAD_NAMES])
def test_names_that_we_did_not_make_are_refused(tmp_path, bad):
    with pytest.raises(ValueError):
        path_for(str(tmp_path), bad)
    with pytest.raises(ValueError):
        delete(str(tmp_path), bad)


def test_symlink_planted_in_root_is_refused(tmp_path):
    root, secret = tmp_path / "uploads", tmp_path / "secret.txt"
    root.mkdir()
    secret.write_text("top secret")
    planted = "b" * 32 + ".pdf"
    os.symlink(secret, root / planted)
    with pytest.raises(FileNotFoundError):
        path_for(str(root), planted)
    with pytest.raises(FileNotFoundError):
        open_file(str(root), planted)
    delete(str(root), planted)
    assert secret.read_text() == "top secret", "deleting removes the link, never its target"


def test_hard_links_and_directories_are_refused(tmp_path):
    root = tmp_path / "uploads"
    root.mkdir()
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"x")
    os.link(outside, root / ("c" * 32 + ".pdf"))
    (root / ("d" * 32 + ".png")).mkdir()
    for name in ("c" * 32 + ".pdf", "d" * 32 + ".png"):
        with pytest.raises(FileNotFoundError):
            path_for(str(root), name)


def test_a_symlinked_root_is_followed(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "link")
    name = store(str(tmp_path / "link"), clean_file())
    assert path_for(str(tmp_path / "link"), name) == str(real / name)


def test_hostile_names_never_reach_the_disk(tmp_path):
    root = tmp_path / "uploads"
    stored = []
    for raw in [n for n, _ in NAMES] + ["A" * 4096 + ".png"]:
        try:
            clean = inspect_upload(io.BytesIO(encode("PNG")), raw, ("png",), 2**20)
        except UploadRejected:
            continue
        stored.append(store(str(root), clean))
    # Names with folders or NUL bytes are refused outright (issue 4); the rest are stored under our names.
    assert len(stored) >= 15
    files = all_files(str(tmp_path))
    assert sorted(files) == sorted(str(root / n) for n in stored), "0 files outside the root, no other names"
    assert all(STORED.fullmatch(os.path.basename(f)) for f in files)


def test_disk_full_leaves_nothing_behind_and_recovers(one_megabyte_disk):
    root = str(one_megabyte_disk / "uploads")
    first = store(root, clean_file(os.urandom(600 * 1024)))
    with pytest.raises(StorageFull) as caught:
        store(root, clean_file(os.urandom(600 * 1024)))
    assert caught.value.message == "We could not save your file just now. Please try again later."
    assert os.listdir(root) == [first], "no partial or temporary file"
    assert all_files(str(one_megabyte_disk)) == [os.path.join(root, first)]
    with pytest.raises(StorageFull):
        store(root, clean_file(os.urandom(2 * 2**20)))
    assert os.listdir(root) == [first]
    delete(root, first)
    again = store(root, clean_file(os.urandom(600 * 1024)))
    assert os.listdir(root) == [again]
