"""A real full disk for the upload tests (reliability.md F15): a 1 MB tmpfs, mounted as root.

CI and `make test` run as root; a machine where the mount is refused fails the test with the reason,
since a disk-full test that silently does not run would count as passed.
"""
import subprocess

import pytest


@pytest.fixture
def one_megabyte_disk(tmp_path):
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"cannot mount a 1 MB tmpfs (run the tests as root): {done.stderr.strip() or done.returncode}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)
