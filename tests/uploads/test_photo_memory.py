"""A 24 Mpx camera photo costs a worker less than 15 MB of peak memory while it is decoded and re-encoded
(issue 15; reliability.md UP-4 keeps no original bytes, UP-11's budget): libjpeg decodes it at a quarter of
its size. Measured as tests/reliability/test_upload_corpus_costs.py does: a fresh process, warmed up on a
small JPEG, its peak (VmHWM, reset through /proc/self/clear_refs) against its resident size before the photo.
"""
import io
import json
import os
import subprocess
import sys

import pytest
from PIL import Image

from tests.uploads.corpus import picture

pytestmark = pytest.mark.sqlite_only  # no database involved

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_GROWTH_MB = 15

MEASURE = """
import json, sys
from wizard.uploads import PROOF_KINDS, check_upload
def status_kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))
def check(path, out):
    with open(path, "rb") as f, open(out, "wb") as fh:
        check_upload(f, "photo.jpg", PROOF_KINDS, 10 * 2**20, fh)
check(sys.argv[1], sys.argv[3])
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")
baseline = status_kb("VmRSS")
check(sys.argv[2], sys.argv[3])
print(json.dumps({"growth_mb": (status_kb("VmHWM") - baseline) / 1024}))
"""


def jpeg(path, size, progressive=False) -> None:
    buffer = io.BytesIO()
    picture("RGB", size).save(buffer, "JPEG", quality=90, progressive=progressive)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_a_24_megapixel_photo_is_kept_reduced_within_the_memory_budget(tmp_path, progressive):
    small, photo, out = tmp_path / "small.jpg", tmp_path / "photo.jpg", tmp_path / "out.jpg"
    jpeg(small, (640, 480), progressive)
    jpeg(photo, (6000, 4000), progressive)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(small), str(photo), str(out)], capture_output=True,
                          text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": REPO}, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    growth = json.loads(done.stdout)["growth_mb"]
    assert growth < MAX_GROWTH_MB, f"a 24 Mpx photo raised the peak by {growth:.1f} MB"
    with Image.open(out) as kept:
        assert kept.size == (1500, 1000), "reduced by libjpeg to a quarter, within 2,048 px"
        assert not kept.info.get("exif")


def test_a_damaged_large_progressive_photo_is_refused_not_an_error(tmp_path):
    from wizard.uploads import PROOF_KINDS, UploadRejected, check_upload

    photo = tmp_path / "photo.jpg"
    jpeg(photo, (2000, 1500), progressive=True)
    data = photo.read_bytes()
    middle = len(data) // 2  # garbage inside the scans: the child's decoder fails, the worker refuses the file
    photo.write_bytes(data[:middle] + bytes(range(256)) * 50 + data[middle + 12800:])
    with open(photo, "rb") as f, open(tmp_path / "out.jpg", "wb") as out, pytest.raises(UploadRejected):
        check_upload(f, "photo.jpg", PROOF_KINDS, 10 * 2**20, out)
