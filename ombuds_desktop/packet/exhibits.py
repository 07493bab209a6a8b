"""Evidence import: every supporting document becomes Letter pages, or a clear refusal.

Inputs are PDF (rotated pages, fillable forms, annotations, odd page sizes,
owner-password protection, damaged files pypdf can repair), JPEG, PNG and TIFF
(multi-page), including phone photos with an EXIF orientation.  The file's
*content* decides its type, not its extension.  A file that cannot be used
raises :class:`PacketInputError` naming it; nothing is ever dropped silently.

Why the rules:
* Letter pages only (``field-conventions.md`` §1.4): images are placed on a
  Letter page, never on an image-sized page; other page sizes are scaled onto
  Letter.
* Photos are downsampled (200 dpi colour, 300 dpi black-and-white by default)
  so a phone picture does not make a 10 MB page.
* Size limits are checked from the image header *before* decoding, so an
  image bomb or a 30,000 x 30,000 picture is refused without using the memory.
* Form fields and annotations are drawn into the page ("flattened") and then
  removed, so every viewer, QtPdf included, shows the same thing; values of
  ``/NeedAppearances`` forms and markup without an appearance are drawn here
  (:mod:`appearances`), comments go on a notes page after the document, and
  what cannot be drawn is named.  Page-level JavaScript actions are removed.
* Costs are bounded before decoding: file size, pages, TIFF pages and pixels,
  image pixels, and what a page's content stream inflates to.
* :func:`inspect_document` / :func:`inspect_attachment` run the same checks
  without converting anything, for ``validate`` and the Section 8 page.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import struct
import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import DependencyError, PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

from ombuds_desktop.draft import Attachment, resolve_attachment_path
from ombuds_desktop.draft.files import AttachmentFileError, check_attachment_path, open_checked
from ombuds_desktop.packet import appearances as ap
from ombuds_desktop.packet.errors import PacketInputError
from ombuds_desktop.packet.layout import PAGE_H, PAGE_W, STAMP_BAND
from ombuds_desktop.packet.options import PacketOptions, megabytes
from ombuds_desktop.packet.stamps import content_area

MAX_FILE_BYTES = 200_000_000
MAX_PDF_PAGES = 2000
#: A multi-page TIFF: pages, and pixels of all pages together (each page costs a decode).
MAX_FRAMES = 100
MAX_TOTAL_PIXELS = 800_000_000
#: What one page's drawing instructions may expand to (a "zip bomb" in a content stream).
MAX_CONTENT_BYTES = 64_000_000
#: A page smaller than this (points, longer side) is enlarged to fit the sheet.
MIN_PAGE_SIDE = 144.0
#: Pixel limits checked before decoding.  JPEGs decode at reduced scale
#: (``draft``), so they may be larger than other images.
MAX_JPEG_PIXELS = 89_478_485  # Pillow's own warning threshold
MAX_IMAGE_PIXELS = 60_000_000
MAX_SIDE = 20_000
IMAGE_MARGIN = 36.0  # around a placed image; the bottom also keeps the stamp band free

EXTENSIONS = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".png": "png",
    ".tif": "tiff",
    ".tiff": "tiff",
}
SUPPORTED = frozenset({"pdf", "jpeg", "png", "tiff"})
TYPE_NAMES = {
    "pdf": "a PDF",
    "jpeg": "a JPEG image",
    "png": "a PNG image",
    "tiff": "a TIFF image",
    "gif": "a GIF image",
    "bmp": "a BMP image",
    "webp": "a WebP image",
    "heic": "an HEIC/HEIF photo (the iPhone format)",
    "zip": "a ZIP archive or a Word/Excel document (.docx/.xlsx)",
    "ole": "an older Word/Excel document (.doc/.xls)",
    "rtf": "an RTF document",
    "html": "a web page (HTML)",
    "exe": "a program",
    "text": "a plain-text file",
    "unknown": "a file of an unknown type",
    "empty": "an empty file",
}

_log = logging.getLogger(__name__)


def sniff(head: bytes) -> str:
    """The real type of a file from its first bytes (magic numbers), whatever its name says."""
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"heim",
        b"heis",
        b"avif",
        b"hevc",
    ):
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return "exe"
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    try:
        head[:512].decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "unknown"


@dataclass(slots=True)
class PreparedImage:
    """One image, already downsampled and encoded, ready to sit on a Letter page."""

    data: bytes
    filter: str  # /DCTDecode or /FlateDecode
    color_space: str  # /DeviceRGB or /DeviceGray
    bits: int
    width: int
    height: int
    page_w: float
    page_h: float
    box: tuple[float, float, float, float]  # x, y, w, h on the page


@dataclass(slots=True)
class Evidence:
    """A supporting document that was read successfully."""

    attachment: Attachment
    name: str
    kind: str
    sha256: str
    size: int
    pages: int
    reader: PdfReader | None = None
    images: list[PreparedImage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Comments of annotations, printed on notes pages after the document (``appendix``).
    comments: list[ap.Comment] = field(default_factory=list)
    comments_per_page: list[int] = field(default_factory=list)
    appendix: bytes | None = None
    #: Files embedded in the PDF; they are never carried into the packet.
    embedded_files: list[str] = field(default_factory=list)


def _fail(att: Attachment, name: str, kind: str, message: str) -> PacketInputError:
    return PacketInputError(name, kind, message, attachment_id=att.id)


def _too_big(size: int) -> str:
    return (
        f"is {megabytes(size)}; supporting documents over {megabytes(MAX_FILE_BYTES)} are "
        "refused. Split or compress it."
    )


def display_name(att: Attachment) -> str:
    return att.original_name or Path(att.path).name or att.description or "attachment"


def read_attachment(
    att: Attachment,
    base_dir: Path | None,
    allow: Sequence[str | os.PathLike[str]] = (),
    *,
    from_draft_file: bool | None = None,
) -> bytes:
    """The bytes of a plain-file attachment (vault attachments come through ``reader``).

    A draft file is untrusted input: with ``base_dir`` (its folder), or with
    ``from_draft_file`` (a draft read from stdin), the file must be inside
    that folder or inside a folder in ``allow`` (:mod:`ombuds_desktop.draft.files`).
    Otherwise the path is one the user picked in this app.  Either way a FIFO,
    a device or a folder is never opened.
    """
    name = display_name(att)
    if att.path.startswith("vault:"):
        raise _fail(
            att,
            name,
            "unreadable",
            "is stored in the encrypted vault; open the draft from the vault to build its packet",
        )
    if from_draft_file is None:
        from_draft_file = base_dir is not None
    if not from_draft_file:  # chosen by the user in this app: its own folder is allowed
        picked = os.path.realpath(Path(att.path).expanduser())
        allow = [*allow, os.path.dirname(picked)]
    real, problem = check_attachment_path(0, att.path, base_dir, allow)
    if problem is not None:
        if problem.kind == "missing":
            where = resolve_attachment_path(att, base_dir)
            raise _fail(
                att,
                name,
                "missing",
                f"was not found at {where}. Re-attach the file or correct its path.",
            )
        kind = {"type": "unreadable", "size": "too_large"}.get(problem.kind, "refused")
        raise _fail(att, name, kind, f'"{problem.path}" was not read: {problem.reason}')
    assert real is not None
    try:
        with open_checked(real) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise _fail(att, name, "too_large", _too_big(size))
            return fh.read(MAX_FILE_BYTES + 1)
    except AttachmentFileError as exc:
        raise _fail(att, name, "unreadable", f"cannot be read ({exc})") from None
    except PermissionError:
        raise _fail(att, name, "unreadable", "cannot be read (permission denied)") from None
    except OSError as exc:
        raise _fail(att, name, "unreadable", f"cannot be read ({exc.strerror})") from None


def load_evidence(
    att: Attachment,
    data: bytes,
    options: PacketOptions,
    password: str | None = None,
    *,
    prepare: bool = True,
) -> Evidence:
    """Check and prepare one supporting document; raise PacketInputError if unusable.

    With ``prepare`` false, images are checked (header, frames, a cheap
    decode) but not converted: the inspection that ``validate`` and Section 8
    use, with the same checks and words as the build.
    """
    name = display_name(att)
    if len(data) > MAX_FILE_BYTES:
        raise _fail(att, name, "too_large", _too_big(len(data)))
    kind = sniff(data[:4096])
    claimed = EXTENSIONS.get(Path(name).suffix.lower())
    notes: list[str] = []
    if kind not in SUPPORTED:
        what = TYPE_NAMES.get(kind, TYPE_NAMES["unknown"])
        hint = (
            "Save it as PDF (or JPEG/PNG for photos) and attach it again."
            if kind != "empty"
            else "Attach the document again."
        )
        if claimed and kind != "empty":
            raise _fail(
                att,
                name,
                "wrong_type",
                f"is named like {TYPE_NAMES[claimed]} but is really {what}. {hint}",
            )
        raise _fail(
            att,
            name,
            "empty" if kind == "empty" else "unsupported",
            f"is {what}; supporting documents must be PDF, JPEG, PNG or TIFF. {hint}",
        )
    if claimed is not None and claimed != kind:
        notes.append(
            f"{name} is named like {TYPE_NAMES[claimed]} but is really "
            f"{TYPE_NAMES[kind]}; it was included as {TYPE_NAMES[kind]}."
        )
    elif claimed is None:
        notes.append(f"{name} has no usual extension; it was read as {TYPE_NAMES[kind]}.")
    sha = hashlib.sha256(data).hexdigest()
    ev = Evidence(att, name, kind, sha, len(data), 0, notes=notes)
    try:
        if kind == "pdf":
            ev.reader = _open_pdf(att, name, data, password, notes)
            ev.pages = len(ev.reader.pages)
            annotation_report(ev)
        elif prepare:
            ev.images = _prepare_images(att, name, kind, data, options)
            ev.pages = len(ev.images)
        else:
            ev.pages = _check_image(att, name, kind, data)
    except PacketInputError:
        raise
    except Exception as exc:  # hostile input must never crash the build
        _log.debug("unexpected failure reading evidence: %s", type(exc).__name__)
        raise _fail(
            att,
            name,
            "damaged",
            f"is {TYPE_NAMES[kind]} that cannot be read "
            f"({type(exc).__name__}). Save or scan it again, then attach the new "
            "file.",
        ) from None
    return ev


# -- PDF ----------------------------------------------------------------------------


def _open_pdf(
    att: Attachment, name: str, data: bytes, password: str | None, notes: list[str]
) -> PdfReader:
    damaged = (
        "is damaged and cannot be read{detail}. Open it in a PDF viewer and save or "
        "print it to a new PDF, then attach that copy."
    )
    reader, repaired = _read_or_repair(data)
    if reader is None:
        raise _fail(att, name, "damaged", damaged.format(detail=""))
    if reader.is_encrypted:
        try:
            result = reader.decrypt(password or "")
        except (DependencyError, NotImplementedError, PdfReadError, PyPdfError):
            raise _fail(
                att,
                name,
                "password",
                "is encrypted in a way Ombuds Desktop cannot "
                "open. Save an unprotected copy and attach it.",
            ) from None
        if not result:
            if password:
                raise _fail(
                    att,
                    name,
                    "password",
                    "is protected by a password, and the password given for it is not correct.",
                )
            raise _fail(
                att,
                name,
                "password",
                "is protected by a password. Enter the password "
                "to include it, or save an unprotected copy and attach that.",
            )
    try:
        count = len(reader.pages)
        if count == 0:
            raise _fail(att, name, "damaged", damaged.format(detail=" (it has no pages)"))
        if count > MAX_PDF_PAGES:
            raise _fail(
                att,
                name,
                "too_large",
                f"has {count} pages; split it into documents of at most {MAX_PDF_PAGES} pages.",
            )
        tiny: list[int] = []
        for number, page in enumerate(reader.pages, 1):
            expanded = _check_page(page)
            if expanded > MAX_CONTENT_BYTES:
                raise _fail(
                    att,
                    name,
                    "too_large",
                    f"has a page (page {number}) whose drawing instructions expand to more "
                    f"than {megabytes(MAX_CONTENT_BYTES)}; it may be a malformed or hostile "
                    "file and would take a viewer minutes to draw. Print it to a new PDF "
                    "or scan the paper copy, then attach that.",
                )
            box = page.cropbox
            if float(box.width) <= 0 or float(box.height) <= 0:
                raise ValueError(f"page {number} has no size")
            if max(float(box.width), float(box.height)) * _num(page.get("/UserUnit", 1)) < (
                MIN_PAGE_SIDE
            ):
                tiny.append(number)
        if tiny:
            notes.append(
                f"{name}: page {', '.join(map(str, tiny[:10]))}"
                f"{' and others' if len(tiny) > 10 else ''} is smaller than two inches; "
                "it was enlarged to fit the sheet. Check that it is legible."
            )
    except PacketInputError:
        raise
    except _PageDamaged as exc:
        raise _fail(
            att,
            name,
            "damaged",
            damaged.format(detail=f" (page {exc.args[0]} is missing or broken)"),
        ) from None
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        RecursionError,
    ):
        raise _fail(att, name, "damaged", damaged.format(detail="")) from None
    if repaired or b"%%EOF" not in data[-2048:]:
        notes.append(
            f"{name} looked incomplete or damaged and was repaired; {count} "
            "page(s) were read. Check that the exhibit is complete."
        )
    return reader


_CATALOG = re.compile(
    rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,400}?/Type\s*/Catalog", re.DOTALL
)


def _read_or_repair(data: bytes) -> tuple[PdfReader | None, bool]:
    """Open a PDF; if its end (cross-reference table, trailer) is lost, rebuild it.

    pypdf rebuilds the cross-reference table by scanning the file once the
    file ends with ``startxref``; a lost trailer also needs the catalog, which
    is found by its ``/Type /Catalog``.
    """

    def lost_trailer() -> bytes:
        catalog = None
        for m in _CATALOG.finditer(data):
            catalog = m
        if catalog is None:
            return b""
        number, generation = catalog.group(1).decode(), catalog.group(2).decode()
        return (f"\ntrailer\n<< /Root {number} {generation} R >>\nstartxref\n0\n%%EOF\n").encode()

    attempts = [lambda: b"", lambda: b"\nstartxref\n0\n%%EOF\n", lost_trailer]
    for n, make_suffix in enumerate(attempts):
        suffix = make_suffix()
        if n and not suffix:
            continue
        try:
            reader = PdfReader(BytesIO(data + suffix), strict=False)
            if reader.is_encrypted:  # its objects can be checked only after decryption
                return reader, n > 0
            _ = ap.obj(reader.trailer["/Root"])["/Pages"]
            return reader, n > 0
        except Exception as exc:  # any parser failure means: try the next repair
            _log.debug("pdf open attempt %d failed: %s", n, type(exc).__name__)
    return None, False


class _PageDamaged(Exception):
    pass


def _check_page(page: Any) -> int:
    """The decoded size of the page's drawing instructions (stops counting past the limit).

    A page whose content stream is referenced but missing would print blank:
    it is refused as damaged.
    """
    if "/Contents" not in page:
        return 0
    contents = page.get("/Contents")
    obj = contents.get_object() if contents is not None else None
    items = obj if isinstance(obj, ArrayObject) else [contents]
    total = 0
    for item in items:
        target = item.get_object() if item is not None else None
        if target is None or isinstance(target, NullObject) or not isinstance(target, StreamObject):
            raise _PageDamaged(page.page_number + 1 if page.page_number is not None else "?")
        total += _decoded_size(target, MAX_CONTENT_BYTES + 1 - total)
        if total > MAX_CONTENT_BYTES:
            break
    return total


def _decoded_size(stream: StreamObject, limit: int) -> int:
    """How many bytes a Flate stream inflates to, counted in bounded memory up to ``limit``."""
    raw = getattr(stream, "_data", b"") or b""
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    if isinstance(filters, ArrayObject):
        filters = filters[0] if len(filters) == 1 else None
    if filters not in ("/FlateDecode", "/Fl"):
        return len(raw)
    d = zlib.decompressobj()
    total, chunk = 0, 1 << 20
    data = raw
    try:
        while data and total <= limit:
            out = d.decompress(data, chunk)
            total += len(out)
            data = d.unconsumed_tail
            if not out and not data:
                break
    except zlib.error:
        return total  # damaged data: pypdf decides later what it can read
    return total


# -- images ---------------------------------------------------------------------------


def header_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header, read before any decoder sees the file."""
    if kind == "png" and len(data) >= 24 and data[12:16] == b"IHDR":
        w, h = struct.unpack(">II", data[16:24])
        return w, h
    if kind == "jpeg":
        i = 2
        while i + 9 < len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return w, h
            i += 2 + length
    return None


def _frame_count(att: Attachment, name: str, img: Image.Image, limit: int) -> int:
    """Pages of a TIFF, refused before any is decoded when there are too many."""
    frames = int(getattr(img, "n_frames", 1) or 1)
    if frames > MAX_FRAMES:
        raise _fail(
            att,
            name,
            "too_large",
            f"has {frames} pages; a TIFF may have at most {MAX_FRAMES}. Split it into "
            "smaller files or convert it to PDF, then attach those.",
        )
    w, h = img.size
    if frames * w * h > MAX_TOTAL_PIXELS:
        raise _fail(
            att,
            name,
            "too_large",
            f"has {frames} pages of {w:,} × {h:,} pixels ({frames * w * h / 1e6:,.0f} "
            f"megapixels in all, over {MAX_TOTAL_PIXELS / 1e6:,.0f}). Split it or save it "
            "at a lower resolution, then attach it again.",
        )
    return frames


def _pil_formats(kind: str) -> list[str]:
    """The one Pillow decoder for a sniffed image type, imported alone.

    ``Image.open`` without ``formats`` imports every Pillow plugin (~50 modules, a
    noticeable part of a small build) as soon as one file is not of the most common
    kinds, and would try decoders for formats the packet never accepts.
    """
    if kind == "jpeg":
        from PIL import JpegImagePlugin  # noqa: F401  (registers the decoder)

        return ["JPEG"]
    if kind == "png":
        from PIL import PngImagePlugin  # noqa: F401

        return ["PNG"]
    from PIL import TiffImagePlugin  # noqa: F401

    return ["TIFF"]


def _open_image(att: Attachment, name: str, kind: str, data: bytes) -> tuple[Image.Image, int]:
    """The image opened (not decoded) after the header, size and page-count checks."""
    limit = MAX_JPEG_PIXELS if kind == "jpeg" else MAX_IMAGE_PIXELS
    size = header_size(data, kind)
    if size is not None:
        _check_size(att, name, size, limit)
    img = Image.open(BytesIO(data), formats=_pil_formats(kind))
    _check_size(att, name, img.size, limit)
    frames = _frame_count(att, name, img, limit) if kind == "tiff" else 1
    return img, frames


def _check_image(att: Attachment, name: str, kind: str, data: bytes) -> int:
    """The inspection of an image without converting it: the number of pages it gives."""

    def run() -> int:
        img, frames = _open_image(att, name, kind, data)
        if kind == "jpeg":
            img.draft(img.mode if img.mode in ("L", "RGB", "CMYK") else "RGB", (64, 64))
            img.load()
        elif kind == "png":
            img.verify()
        else:
            img.load()  # the first page; the others are decoded when the packet is built
        return frames

    return _image_errors(att, name, kind, run)


def _prepare_images(
    att: Attachment, name: str, kind: str, data: bytes, options: PacketOptions
) -> list[PreparedImage]:
    def run() -> list[PreparedImage]:
        img, _ = _open_image(att, name, kind, data)
        limit = MAX_JPEG_PIXELS if kind == "jpeg" else MAX_IMAGE_PIXELS
        out = []
        # Only TIFF pages are separate pages; extra frames of a JPEG (MPO depth maps
        # from phone cameras) or an animated PNG are not part of the document.
        frames = ImageSequence.Iterator(img) if kind == "tiff" else iter([img])
        for frame in frames:
            _check_size(att, name, frame.size, limit)
            out.append(_prepare_frame(frame, kind, options))
        return out

    return _image_errors(att, name, kind, run)


def _image_errors[T](att: Attachment, name: str, kind: str, run: Callable[[], T]) -> T:
    """Run an image step; decoder failures become one clear refusal naming the file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return run()
    except PacketInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        m = re.search(r"\((\d+) pixels\)", str(exc))
        size_text = f" ({int(m.group(1)) / 1e6:,.0f} megapixels)" if m else ""
        raise _fail(
            att,
            name,
            "too_large",
            f"is an image too large to open safely{size_text}; "
            "it may be a malformed or hostile file. Save it at a lower resolution or "
            "as a PDF, then attach it again.",
        ) from None
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        MemoryError,
        IndexError,
        KeyError,
        TypeError,
        ZeroDivisionError,
    ) as exc:
        _log.debug("image decode failed: %s", type(exc).__name__)
        raise _fail(
            att,
            name,
            "damaged",
            f"is {TYPE_NAMES[kind]} that is damaged or incomplete "
            "and cannot be read. Export or scan it again, then attach the new "
            "file.",
        ) from None


def _check_size(att: Attachment, name: str, size: tuple[int, int], limit: int) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise _fail(att, name, "damaged", "is an image with no pixels.")
    if w * h > limit or max(w, h) > MAX_SIDE:
        raise _fail(
            att,
            name,
            "too_large",
            f"is {w:,} × {h:,} pixels ({w * h / 1e6:,.0f} megapixels); images over "
            f"{limit / 1e6:.0f} megapixels or {MAX_SIDE:,} pixels on a side are refused "
            "so that an oversized or hostile picture cannot exhaust memory. Save it at "
            "a lower resolution or as a PDF, then attach it again.",
        )


def _placement(w: int, h: int) -> tuple[float, float, float, float, float, float]:
    """(page_w, page_h, x, y, draw_w, draw_h): fit on a Letter page, portrait or landscape."""
    landscape = w > h
    pw, ph = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    bottom = STAMP_BAND + 18
    box_w, box_h = pw - 2 * IMAGE_MARGIN, ph - IMAGE_MARGIN - bottom
    scale = min(box_w / w, box_h / h, 72 / 75)  # never blow a small image past 75 dpi
    dw, dh = w * scale, h * scale
    x = (pw - dw) / 2
    y = bottom + (box_h - dh) / 2 if dh < box_h else bottom
    return pw, ph, x, y, dw, dh


def _prepare_frame(frame: Image.Image, kind: str, options: PacketOptions) -> PreparedImage:
    bilevel = frame.mode == "1"
    dpi = options.bw_dpi if bilevel else options.color_dpi
    if kind == "jpeg":
        # Decode at a reduced scale right away when the photo is far larger than needed.
        w0, h0 = frame.size
        _, _, _, _, dw0, dh0 = _placement(*_oriented(frame, (w0, h0)))
        target = _oriented(frame, (math.ceil(dw0 / 72 * dpi), math.ceil(dh0 / 72 * dpi)))
        frame.draft("RGB" if frame.mode not in ("L", "1") else frame.mode, target)
    frame.load()
    # Shrink by a whole factor first, in the stored mode, so a big picture is never
    # copied, converted or rotated at full size (memory stays near the decoded size).
    w0, h0 = frame.size
    _, _, _, _, dw0, dh0 = _placement(*_oriented(frame, (w0, h0)))
    tw0, th0 = _oriented(frame, (math.ceil(dw0 / 72 * dpi), math.ceil(dh0 / 72 * dpi)))
    factor = min(w0 // max(tw0, 1), h0 // max(th0, 1))
    if factor >= 2 and frame.mode in ("L", "RGB", "RGBA", "LA", "CMYK"):
        img = _transposed(frame.reduce(factor), _orientation(frame))
    else:
        img = ImageOps.exif_transpose(frame)
    img = _flatten_mode(img)
    w, h = img.size
    pw, ph, x, y, dw, dh = _placement(w, h)
    tw, th = math.ceil(dw / 72 * dpi), math.ceil(dh / 72 * dpi)
    if tw < w or th < h:
        if img.mode == "1":
            img = img.convert("L").resize((tw, th), Image.Resampling.LANCZOS)
            img = img.point(lambda v: 255 if v > 127 else 0).convert("1")
        else:
            # Hamming: made for downscaling, sharp enough for text in a photo, and half
            # the time of Lanczos on a 12-megapixel picture.
            img = img.resize((tw, th), Image.Resampling.HAMMING, reducing_gap=3.0)
    if img.mode == "1":
        data = zlib.compress(img.tobytes(), 6)
        prepared = PreparedImage(
            data, "/FlateDecode", "/DeviceGray", 1, img.width, img.height, pw, ph, (x, y, dw, dh)
        )
    else:
        buf = BytesIO()
        img.save(buf, "JPEG", quality=options.jpeg_quality, optimize=False)
        space = "/DeviceGray" if img.mode == "L" else "/DeviceRGB"
        prepared = PreparedImage(
            buf.getvalue(), "/DCTDecode", space, 8, img.width, img.height, pw, ph, (x, y, dw, dh)
        )
    img.close()
    return prepared


_ROTATING = (5, 6, 7, 8)  # EXIF orientations that swap width and height
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(frame: Image.Image) -> int:
    try:
        return int(frame.getexif().get(0x0112, 1))
    except (OSError, ValueError, SyntaxError, TypeError):
        return 1


def _transposed(img: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return img.transpose(method) if method is not None else img


def _oriented(frame: Image.Image, size: tuple[int, int]) -> tuple[int, int]:
    """``size`` as it will be after the EXIF orientation is applied (or undone)."""
    try:
        orientation = frame.getexif().get(0x0112, 1)
    except (OSError, ValueError, SyntaxError):
        orientation = 1
    return (size[1], size[0]) if orientation in _ROTATING else size


def _flatten_mode(img: Image.Image) -> Image.Image:
    """RGB, L (grey) or 1 (black and white); transparency goes onto white paper."""
    mode = img.mode
    if mode in ("RGB", "L", "1"):
        return img
    if mode == "P" and "transparency" not in img.info:
        return img.convert("RGB")
    if mode in ("RGBA", "LA", "PA", "P", "La", "RGBa"):
        rgba = img.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if mode.startswith("I;16") or mode in ("I", "F"):
        return img.point(lambda v: v / 256).convert("L") if mode != "F" else img.convert("L")
    return img.convert("RGB")


def add_image_page(writer: PdfWriter, image: PreparedImage) -> None:
    """A Letter page holding one prepared image (no reportlab round trip, no re-encoding)."""
    page = writer.add_blank_page(image.page_w, image.page_h)
    xobj = EncodedStreamObject()
    xobj.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width),
            NameObject("/Height"): NumberObject(image.height),
            NameObject("/ColorSpace"): NameObject(image.color_space),
            NameObject("/BitsPerComponent"): NumberObject(image.bits),
            NameObject("/Filter"): NameObject(image.filter),
        }
    )
    xobj._data = image.data
    ref = writer._add_object(xobj)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/OmbIm"): ref})}
    )
    x, y, w, h = image.box
    _set_contents(writer, page, f"q {w:.4f} 0 0 {h:.4f} {x:.4f} {y:.4f} cm /OmbIm Do Q".encode())


# -- PDF pages: flatten and fit on Letter --------------------------------------------------


def _set_contents(writer: PdfWriter, page: Any, data: bytes) -> None:
    stream = DecodedStreamObject()
    stream.set_data(data)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())


def _num(x: Any) -> float:
    return ap.num(x)


def _rect(arr: Any) -> tuple[float, float, float, float]:
    a = [_num(v) for v in arr.get_object()]
    return min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3])


def _fmt(values: Any) -> str:
    return " ".join(
        f"{v:.6f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v)) for v in values
    )


def _inherited(field_dict: Any, key: str) -> Any:
    node, depth = field_dict, 0
    while node is not None and depth < 32:
        if key in node:
            return node[key].get_object() if isinstance(node[key], PdfObject) else node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        depth += 1
    return None


def _page_resources(page: Any) -> DictionaryObject:
    """The page's own copy of its resources (shared dictionaries are never modified)."""
    res = page.get("/Resources")
    res = res.get_object() if res is not None else DictionaryObject()
    own = DictionaryObject(res.items()) if isinstance(res, DictionaryObject) else DictionaryObject()
    page[NameObject("/Resources")] = own
    return own


@dataclass(slots=True)
class Flattened:
    """What flattening one page did: how many annotations were drawn, what could not be."""

    drawn: int = 0
    undrawn: list[str] = field(default_factory=list)


def flatten_annotations(
    writer: PdfWriter,
    page: Any,
    *,
    source: Any = None,
    acroform: DictionaryObject | None = None,
    first_comment: int = 1,
    sheets: ap.Sheets | None = None,
    index: int = 0,
) -> Flattened:
    """Draw every visible annotation into the page, then remove the annotations.

    Stored appearances are used when they are current; form fields of a
    ``/NeedAppearances`` form, fields whose appearance is stale or empty, and
    markup annotations without an appearance are drawn here (see
    :mod:`appearances`).  Annotations with a comment get a numbered tag that
    refers to the notes appendix, starting at ``first_comment``.

    ``source`` is the page as read (its annotations keep their ``/Parent``
    fields, which the copy in ``writer`` lacks); ``page`` is changed.  Drawing
    in the app's font goes to ``sheets`` (page ``index``), which the caller
    finishes with :func:`attach_sheets` once the whole document is flattened;
    without ``sheets`` this page's drawing is attached right away.
    """
    result = Flattened()
    source = page if source is None else source
    annots_ref = page.get("/Annots")
    page.pop("/AA", None)  # page open/close actions (scripts) never survive
    if annots_ref is None:
        return result
    need = bool(acroform is not None and acroform.get("/NeedAppearances") in (True, "true"))
    draws: list[bytes] = []
    names: dict[str, Any] = {}
    own_sheets = sheets is None
    sheets = sheets or ap.Sheets()
    ov = ap.Overlay(
        _box(page) if "/MediaBox" in page else (0.0, 0.0, PAGE_W, PAGE_H), sheets, index
    )
    comment = first_comment
    for i, a in enumerate(ap.visible_annotations(source)):
        sub = a.get("/Subtype")
        if sub in ap.IGNORED:
            continue
        try:
            rect = _rect(a["/Rect"])
        except (KeyError, ValueError, TypeError, IndexError):
            continue
        commented = sub in ap.COMMENTED and ap._clean(ap.text_of(a.get("/Contents"))).strip()
        stream_ref, stream = None, None
        if sub == "/Widget":
            drawn = ap.draw_widget(ov, a, acroform, need)
            if drawn is None:
                continue
            if drawn:
                result.drawn += 1
                continue
            stream_ref, stream = _appearance(a)
        else:
            stream_ref, stream = _appearance(a)
            if stream is None:
                if ap.draw_markup(ov, a, None):
                    result.drawn += 1
                elif sub != "/FileAttachment":  # attached files are reported as embedded files
                    result.undrawn.append(ap.KIND_NAMES.get(str(sub), str(sub)[1:] or "unknown"))
        if commented:
            ap.draw_marker(ov, a, comment)
            comment += 1
        if stream is None:
            continue
        try:
            bbox = _rect(stream.get("/BBox", ArrayObject([0, 0, 1, 1])))
            m = [_num(v) for v in stream.get("/Matrix", [1, 0, 0, 1, 0, 0])]
        except (ValueError, TypeError, IndexError):
            continue
        corners = [
            (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
            for x, y in (
                (bbox[0], bbox[1]),
                (bbox[2], bbox[1]),
                (bbox[0], bbox[3]),
                (bbox[2], bbox[3]),
            )
        ]
        bx0, by0 = min(c[0] for c in corners), min(c[1] for c in corners)
        bx1, by1 = max(c[0] for c in corners), max(c[1] for c in corners)
        if bx1 - bx0 <= 0 or by1 - by0 <= 0 or rect[2] - rect[0] <= 0 or rect[3] - rect[1] <= 0:
            continue
        sx, sy = (rect[2] - rect[0]) / (bx1 - bx0), (rect[3] - rect[1]) / (by1 - by0)
        stream[NameObject("/Type")] = NameObject("/XObject")
        stream[NameObject("/Subtype")] = NameObject("/Form")
        name = f"/OmbAp{i}"
        names[name] = (
            stream_ref.clone(writer)
            if stream_ref is not None
            else writer._add_object(stream.clone(writer))
        )
        cm = _fmt((sx, 0, 0, sy, rect[0] - sx * bx0, rect[1] - sy * by0))
        draws.append(f"q {cm} cm {name} Do Q".encode())
        result.drawn += 1
    del page["/Annots"]
    for name, ref in ov.streams(writer):
        names[name] = ref
        draws.append(f"q {name} Do Q".encode())
    if draws:
        res = _page_resources(page)
        xo = res.get("/XObject")
        xo = DictionaryObject(xo.get_object().items()) if xo is not None else DictionaryObject()
        for k, v in names.items():
            xo[NameObject(k)] = v
        res[NameObject("/XObject")] = xo
        _append_contents(writer, page, b"\n".join(draws))
    if own_sheets:
        attach_sheets(writer, [page], sheets)
    return result


def attach_sheets(writer: PdfWriter, pages: list[Any], sheets: ap.Sheets) -> None:
    """Draw each page's generated appearances (from ``sheets``) over ``pages[index]``."""
    for index, ref in sheets.finish(writer).items():
        page = pages[index]
        res = _page_resources(page)
        xo = res.get("/XObject")
        xo = DictionaryObject(xo.get_object().items()) if xo is not None else DictionaryObject()
        xo[NameObject("/OmbAnnDraw")] = ref
        res[NameObject("/XObject")] = xo
        _append_contents(writer, page, b"q /OmbAnnDraw Do Q")


def _appearance(a: DictionaryObject) -> tuple[IndirectObject | None, StreamObject | None]:
    apd = a.get("/AP")
    apd = apd.get_object() if apd is not None else None
    if not isinstance(apd, DictionaryObject) or "/N" not in apd:
        return None, None
    ref = apd.raw_get("/N")
    normal = apd["/N"].get_object()
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        state = a.get("/AS")
        if state is None or state not in normal:
            return None, None
        ref = normal.raw_get(state)
        normal = normal[state].get_object()
    if not isinstance(normal, StreamObject):
        return None, None
    return (ref if isinstance(ref, IndirectObject) else None), normal


def _append_contents(writer: PdfWriter, page: Any, data: bytes) -> None:
    """Add a content stream after the page's own, which is isolated in q/Q (no re-encoding)."""
    old = page.get("/Contents")
    items: list[Any] = []
    if old is not None:
        obj = old.get_object()
        items = list(obj) if isinstance(obj, ArrayObject) else [old]
    q, big_q, extra = (DecodedStreamObject() for _ in range(3))
    q.set_data(b"q\n")
    big_q.set_data(b"\nQ\n")
    extra.set_data(data)
    page[NameObject("/Contents")] = ArrayObject(
        [
            writer._add_object(q),
            *items,
            writer._add_object(big_q),
            writer._add_object(extra.flate_encode()),
        ]
    )


def _box(page: Any) -> tuple[float, float, float, float]:
    media = _rect(page.get("/MediaBox", ArrayObject([0, 0, PAGE_W, PAGE_H])))
    crop = _rect(page["/CropBox"]) if "/CropBox" in page else media
    x0, y0 = max(media[0], crop[0]), max(media[1], crop[1])
    x1, y1 = min(media[2], crop[2]), min(media[3], crop[3])
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else media


def fit_to_letter(writer: PdfWriter, page: Any) -> None:
    """Place the page's content on a Letter sheet, inside the area the stamps leave free.

    Every page is fitted, Letter pages too (as exhibit-stamping tools shrink
    a page to make room for the stamp): the rotation is applied, the crop box
    is what is shown, and the content is scaled into
    :func:`stamps.content_area`, so the exhibit label and page number in the
    band below never cover a word of the evidence and nothing is drawn over it.
    The old content becomes a form XObject (clipped to the crop box), so the
    exhibit itself is not altered; only where it sits on the sheet changes.
    """
    x0, y0, x1, y1 = _box(page)
    unit = _num(page.get("/UserUnit", 1))
    rot = page.rotation % 360
    w, h = (x1 - x0) * unit, (y1 - y0) * unit
    vw, vh = (h, w) if rot in (90, 270) else (w, h)
    landscape = vw > vh
    pw, ph = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    avail_x, avail_y, avail_w, avail_h = content_area(pw, ph)
    fit = min(avail_w / vw, avail_h / vh)
    scale = fit if max(vw, vh) < MIN_PAGE_SIDE else min(fit, 1.0)  # a speck is enlarged
    t = Transformation().translate(-x0, -y0).scale(unit, unit).rotate(-rot)
    corners = [t.apply_on((x, y)) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    minx, miny = min(c[0] for c in corners), min(c[1] for c in corners)
    t = t.translate(-minx, -miny).scale(scale, scale)
    t = t.translate(avail_x + (avail_w - vw * scale) / 2, avail_y + (avail_h - vh * scale) / 2)
    ctm = [round(v, 6) + 0.0 for v in t.ctm]

    contents = page.get("/Contents")
    resources = page.get("/Resources")
    obj = contents.get_object() if contents is not None else None
    if (
        isinstance(obj, StreamObject)
        and isinstance(contents, IndirectObject)
        and "/Subtype" not in obj  # a stream two pages share is made a form only once
    ):
        form, form_ref = obj, contents  # reuse the stream: no decoding, no re-encoding
    else:
        data = page.get_contents().get_data() if obj is not None else b""
        raw = DecodedStreamObject()
        raw.set_data(data)
        form = raw.flate_encode()
        form_ref = writer._add_object(form)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in (x0, y0, x1, y1))
    if resources is not None:
        form[NameObject("/Resources")] = resources
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"]
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/OmbPage"): form_ref})}
    )
    _set_contents(writer, page, f"q {_fmt(ctm)} cm /OmbPage Do Q".encode())
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate", "/UserUnit"):
        page.pop(key, None)
    page[NameObject("/MediaBox")] = ArrayObject(FloatObject(v) for v in (0, 0, pw, ph))


def add_evidence(writer: PdfWriter, ev: Evidence) -> int:
    """Append the document's pages (flattened, on Letter) to ``writer``; return the first index.

    A notes appendix (the comments of its annotations) follows the pages.
    """
    start = len(writer.pages)
    if ev.reader is not None:
        acroform = _acroform(ev.reader)
        comment = 1
        sheets = ap.Sheets()
        pages = []
        for number, src in enumerate(ev.reader.pages, 1):
            page = writer.add_page(src)
            pages.append(page)
            flatten_annotations(
                writer,
                page,
                source=src,
                acroform=acroform,
                first_comment=comment,
                sheets=sheets,
                index=number - 1,
            )
            comment += ev.comments_per_page[number - 1] if ev.comments_per_page else 0
        attach_sheets(writer, pages, sheets)
        for page in pages:
            fit_to_letter(writer, page)
            for key in _PAGE_JUNK:
                page.pop(key, None)
        if ev.appendix is not None:
            for p in PdfReader(BytesIO(ev.appendix)).pages:
                writer.add_page(p)
    else:
        for image in ev.images:
            add_image_page(writer, image)
    return start


_PAGE_JUNK = ("/StructParents", "/Tabs", "/Thumb", "/B", "/PieceInfo", "/Metadata", "/AA", "/Trans")


def _acroform(reader: PdfReader) -> DictionaryObject | None:
    try:
        form = ap.obj(reader.trailer["/Root"]).get("/AcroForm")
        form = form.get_object() if form is not None else None
    except Exception:
        return None
    return form if isinstance(form, DictionaryObject) else None


def annotation_report(ev: Evidence) -> None:
    """Scan the annotations once at load: comments for the appendix, undrawable kinds, files.

    Runs before the layout, so the appendix's pages are counted like any other.
    """
    assert ev.reader is not None
    comments: list[ap.Comment] = []
    undrawn: dict[str, list[int]] = {}
    for number, page in enumerate(ev.reader.pages, 1):
        found = ap.comments_on(page, number)
        ev.comments_per_page.append(len(found))
        comments += found
        for a in ap.visible_annotations(page):
            sub = a.get("/Subtype")
            if sub in ap.IGNORED or sub == "/Widget" or sub in ap.DRAWN:
                continue
            if sub == "/FileAttachment" or _appearance(a)[1] is not None:
                continue
            kind = ap.KIND_NAMES.get(str(sub), str(sub)[1:] or "unknown")
            undrawn.setdefault(kind, []).append(number)
    for kind, pages in undrawn.items():
        where = ", ".join(str(p) for p in dict.fromkeys(pages))
        ev.notes.append(
            f"{ev.name}: a {kind} annotation on page {where} has no picture of itself and "
            "cannot be drawn on paper; it was left out. Look at the original file if it matters."
        )
    ev.embedded_files = ap.embedded_file_names(ev.reader)
    if comments:
        ev.comments = comments
        ev.appendix = _render_appendix(ev.name, comments)
        extra = len(PdfReader(BytesIO(ev.appendix)).pages)
        kinds = sorted({c.kind for c in comments})
        ev.notes.append(
            f"{ev.name}: {len(comments)} annotation comment(s) ({', '.join(kinds)}) are printed "
            f"on {extra} notes page(s) after the document; each is numbered on its page."
        )
        ev.pages += extra


def _render_appendix(name: str, comments: list[ap.Comment]) -> bytes:
    from ombuds_desktop.packet.layout import LEFT, MUTED, TOP, WIDTH, Sheet, render_paged
    from ombuds_desktop.printed.fonts import BOLD

    def draw(s: Sheet) -> None:
        with s.tag("H1"):
            s.text(LEFT, TOP, "Notes written on this document", font=BOLD, size=13)
        s.y = TOP - 14
        s.paragraph(
            "The comments of the document's annotations (sticky notes and comments on "
            "highlights and drawings), numbered as tagged on its pages.",
            size=8.5,
            color=MUTED,
            after=8,
        )
        for k, c in enumerate(comments, 1):
            s.ensure(30)
            who = f" · {c.author}" if c.author else ""
            s.paragraph(f"{k}. Page {c.page} · {c.kind}{who}", font=BOLD, size=9.5, after=1)
            s.paragraph(c.text, x=LEFT + 12, width=WIDTH - 12, size=9.5, after=6)

    return render_paged("Notes", draw).pdf


# -- one inspection for validate, Section 8 and the build -------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a document cannot go into the packet, in the words the build uses.

    ``kind`` is one of :class:`PacketInputError`'s kinds; ``message`` names the file.
    """

    kind: str
    message: str


@dataclass(slots=True)
class Inspection:
    """What the packet build will find in one document, known before the build."""

    name: str
    type: str  # "pdf", "jpeg", "png", "tiff", or what the file really is when refused
    pages: int  # pages it adds to the packet (notes pages included); 0 when refused
    encrypted: bool
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # included, but the user should know

    @property
    def ok(self) -> bool:
        return not self.problems


def inspect_document(
    source: Path | str | bytes,
    name: str | None = None,
    *,
    password: str | None = None,
    attachment: Attachment | None = None,
) -> Inspection:
    """Inspect a file (path or bytes) with the checks and words of the packet build.

    Password, damage, bombs, wrong or unsupported type, empty files, size,
    frame, pixel and page limits: each becomes a :class:`Problem`.  Nothing is
    converted, so this is fast enough for ``validate`` and the Section 8 page.
    """
    if isinstance(source, bytes):
        data, display = source, name or "document"
    else:
        path = Path(source).expanduser().resolve()
        display = name or path.name
        probe = Attachment("other", "", str(path), original_name=display)
        try:
            data = read_attachment(probe, None)
        except PacketInputError as exc:
            return Inspection(display, "", 0, False, [Problem(exc.kind, str(exc))])
    att = attachment or Attachment("other", "", display)
    if att.original_name != display:
        att = replace(att, original_name=display)
    kind = sniff(data[:4096])
    try:
        ev = load_evidence(att, data, PacketOptions(), password, prepare=False)
    except PacketInputError as exc:
        return Inspection(display, kind, 0, exc.kind == "password", [Problem(exc.kind, str(exc))])
    notes = list(ev.notes)
    notes += [
        f"{f} is embedded in {display} and will be left out; attach it separately if it matters."
        for f in ev.embedded_files
    ]
    encrypted = bool(ev.reader is not None and ev.reader.is_encrypted)
    return Inspection(display, kind, ev.pages, encrypted, [], notes)


def inspect_attachment(
    att: Attachment,
    base_dir: Path | None = None,
    *,
    read_bytes: Callable[[Attachment], bytes] | None = None,
    password: str | None = None,
    allow: Sequence[str | os.PathLike[str]] = (),
) -> Inspection:
    """:func:`inspect_document` for a draft's attachment (a file, or vault bytes)."""
    name = display_name(att)
    try:
        data = read_bytes(att) if read_bytes else read_attachment(att, base_dir, allow)
    except PacketInputError as exc:
        return Inspection(name, "", 0, False, [Problem(exc.kind, str(exc))])
    return inspect_document(data, name, password=password, attachment=att)


def inspect_attachments(
    attachments: list[Attachment],
    base_dir: Path | None = None,
    *,
    read_bytes: Callable[[Attachment], bytes] | None = None,
    passwords: dict[str, str] | None = None,
    allow: Sequence[str | os.PathLike[str]] = (),
) -> dict[str, Inspection]:
    """:func:`inspect_attachment` for each attachment, by attachment id (the Section 8 page)."""
    return {
        att.id: inspect_attachment(
            att,
            base_dir,
            read_bytes=read_bytes,
            password=(passwords or {}).get(att.id),
            allow=allow,
        )
        for att in attachments
    }


def evidence_findings(
    draft: Any,
    base_dir: Path | None,
    *,
    passwords: dict[str, str] | None = None,
    read_bytes: Callable[[Attachment], bytes] | None = None,
    allow: Sequence[str | os.PathLike[str]] = (),
) -> list[Any]:
    """``validate``'s findings about the files themselves (Section 8), one per document.

    Missing files, files the path boundary refuses (outside the draft file's
    folder and ``allow``: never opened) and vault files without ``read_bytes``
    are left to the other attachment checks.
    """
    from ombuds_desktop.validation.findings import Finding

    out: list[Finding] = []
    for i, att in enumerate(draft.attachments):
        if read_bytes is None:
            if att.path.startswith("vault:") or base_dir is None:
                continue
            if check_attachment_path(i, att.path, base_dir, allow)[1] is not None:
                continue
        result = inspect_attachment(
            att,
            base_dir,
            read_bytes=read_bytes,
            password=(passwords or {}).get(att.id),
            allow=allow,
        )
        label = att.description or f"Attachment {i + 1}"
        where = f"s8.documents[{i}].path"
        for p in result.problems:
            hint = (
                f" (or leave it out: packet --skip {att.id})"
                if p.kind != "password"
                else f" (packet --password {att.id}=...)"
            )
            out.append(
                Finding("s8", where, "error", f"evidence-{p.kind}", f"{label}: {p.message}{hint}")
            )
        for note in result.notes:
            worth_a_look = any(
                w in note for w in ("named like", "embedded", "damaged", "enlarged", "left out")
            )
            out.append(
                Finding(
                    "s8",
                    where,
                    "warning" if worth_a_look else "info",
                    "evidence-note",
                    f"{label}: {note}",
                )
            )
    return out
