"""A gunicorn worker's peak memory while it receives a 10 MB upload, against the same worker idle.

    python -m benchmarks.memory

Peak memory is the kernel's VmHWM of each worker, reset to the current RSS (`5 > clear_refs`)
after a warm-up of small posts to the same page, so the figure is what the upload itself adds.
Two kinds of case: the bytes arriving on a step that ignores files (Werkzeug spools file parts over
500 kB to disk), and a real proof of membership on the member profile's upload step (checked,
cleaned and stored) when that step exists: a PDF, a PNG and a JPEG photo, baseline and progressive.
"""
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from benchmarks.browser import Browser, HttpTransport, csrf_token
from benchmarks.common import DATABASES, app_env, database_url, dataset_name, free_port, gunicorn, save_result
from benchmarks.pages import member_answers, start_draft, walk

UPLOAD_BYTES = 10 * 1024 * 1024 - 64 * 1024  # just under the 10 MB cap, leaving room for the other fields
UPLOADS = 4
PROFILES = 100
MANUAL_STEP, MANUAL_ROW = "clusters_not_listed", "manual_clusters-0-"


def workers_of(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def random_bytes(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


@dataclass
class UploadCase:
    browser: Browser
    path: str
    fields: dict
    #: {field name: (file name, 10 MB of content, content type)}
    files: dict
    #: The status every post must get (the upload accepted, or the page with its errors).
    expect: int
    #: The same post with a small file, to warm the worker up on this page.
    warm_files: dict


def receive_case(new_browser: Callable[[], Browser]) -> UploadCase:
    """10 MB of bytes posted with the country step, which has no file field: only receiving costs."""
    browser = new_browser()
    public_id = start_draft(browser)
    path = f"/drafts/{public_id}/country"
    fields = {"csrf_token": csrf_token(browser.get(path).text), "country": "DE", "action": "continue"}
    content = random_bytes(UPLOAD_BYTES)
    return UploadCase(browser, path, fields, {"attachment": ("proof.pdf", content, "application/pdf")}, 302,
                      {"attachment": ("proof.pdf", content[:20_000], "application/pdf")})


def noise_png(size: int, seed: int = 7) -> bytes:
    """A PNG of random pixels: incompressible, so `size` bytes hold about size/3 pixels (a photo-like proof)."""
    from PIL import Image

    side = int((size / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), random_bytes(side * side * 3, seed))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def photo_jpeg(size: int, seed: int = 13, progressive: bool = False) -> bytes:
    """A baseline (or progressive) JPEG of just under `size` bytes with a camera photo's density (about 0.4 bytes
    a pixel: 25 Mpx for 10 MB), from grain over a gradient."""
    from PIL import Image

    def encode(side: int) -> bytes:
        grain = Image.effect_noise((side, side), 14)
        gradient = Image.linear_gradient("L").resize((side, side))
        image = Image.merge("RGB", (Image.blend(grain, gradient, 0.3), grain, Image.blend(gradient, grain, 0.5)))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90, progressive=progressive)
        return out.getvalue()

    side = 512
    for _ in range(4):  # each round scales the side by the size it missed by; 2-3 rounds land within 5%
        data = encode(side)
        if 0.9 * size <= len(data) <= size:
            return data
        side = max(16, int(side * (0.97 * size / len(data)) ** 0.5))
    return encode(side)


def big_pdf(size: int) -> bytes:
    """A one-page PDF carrying `size` bytes in an uncompressed, unreferenced-by-content image stream."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    side = int((size / 3) ** 0.5)
    image = pikepdf.Stream(pdf, random_bytes(side * side * 3, 11))
    image.Type, image.Subtype, image.Width, image.Height = pikepdf.Name.XObject, pikepdf.Name.Image, side, side
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def proof_cases(new_browser: Callable[[], Browser]) -> dict[str, UploadCase | str]:
    """A real proof of membership on the member profile's "not listed" step, as a PDF, a PNG and a JPEG photo."""
    cases: dict[str, UploadCase | str] = {}
    for name, (filename, kind, make) in {"proof_pdf": ("proof.pdf", "application/pdf", big_pdf),
                                         "proof_png": ("proof.png", "image/png", noise_png),
                                         "proof_jpeg": ("proof.jpg", "image/jpeg", photo_jpeg),
                                         "proof_jpeg_progressive": ("proof.jpg", "image/jpeg",
                                                                    partial(photo_jpeg, progressive=True))}.items():
        try:
            browser = new_browser()
            public_id = start_draft(browser, "cluster_member")
            clusters = walk(browser, public_id, member_answers(), stop_at="clusters")
            token = csrf_token(browser.get(clusters).text)
            path = browser.post(clusters, {"csrf_token": token, "not_listed": "y", "action": "continue"}).location
            if not path.endswith("/" + MANUAL_STEP):
                raise RuntimeError(f"'not listed' led to {path}")
            fields = {"csrf_token": csrf_token(browser.get(path).text), "action": "continue",
                      f"{MANUAL_ROW}cluster_name": "Unlisted Cluster", f"{MANUAL_ROW}cluster_website":
                      "https://www.unlisted-cluster.eu", f"{MANUAL_ROW}cluster_country": "DE"}
            content, small = make(UPLOAD_BYTES), make(30_000)
            cases[name] = UploadCase(browser, path, fields, {f"{MANUAL_ROW}proof": (filename, content, kind)}, 302,
                                     {f"{MANUAL_ROW}proof": (filename, small, kind)})
        except RuntimeError as error:
            cases[name] = f"the member's proof step could not be used: {error}"
    return cases


def measure_case(name: str, master_pid: int, case: UploadCase) -> dict:
    browser, path, fields, files, expect = case.browser, case.path, case.fields, case.files, case.expect
    for _ in range(6):  # both workers load this page's code and templates first
        browser.post(path, fields, expect=expect, files=case.warm_files)
    workers = workers_of(master_pid)
    idle = {}
    for pid in workers:
        reset_peak(pid)
        idle[pid] = status_kb(pid, "VmRSS")
    for _ in range(UPLOADS):  # several, so each worker most likely gets at least one
        browser.post(path, fields, expect=expect, files=files)
    peaks = {pid: status_kb(pid, "VmHWM") for pid in workers}
    growth = {pid: peaks[pid] - idle[pid] for pid in workers}
    worst = max(growth, key=growth.get)
    result = {"idle_rss_mb": round(idle[worst] / 1024, 1), "peak_mb": round(peaks[worst] / 1024, 1),
              "growth_mb": round(growth[worst] / 1024, 1), "upload_mb": round(UPLOAD_BYTES / 2**20, 2),
              "uploads": UPLOADS, "workers_growth_mb": [round(g / 1024, 1) for g in growth.values()]}
    print(name, result)
    return result


def main() -> None:
    for database in DATABASES:  # the same worker on either database: the rows are checked on both
        url = database_url(database, PROFILES)
        port = free_port()
        with gunicorn("wsgi:app", port, app_env(url, port),
                      f"gunicorn-memory-{dataset_name(database, PROFILES)}") as master:
            def new_browser(port=port) -> Browser:
                return Browser(HttpTransport(f"http://127.0.0.1:{port}"))

            cases = {"receive": receive_case(new_browser), **proof_cases(new_browser)}
            for name, case in cases.items():
                key = f"{database}-{name}"
                if isinstance(case, str):
                    save_result("memory", key, {"pending": case})
                    print(key, "pending:", case)
                else:
                    save_result("memory", key, measure_case(key, master.pid, case))


if __name__ == "__main__":
    main()
