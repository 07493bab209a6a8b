"""Overlay stamps: packet page numbers (or Bates numbers), exhibit labels, the DRAFT watermark.

Stamps are drawn on a separate reportlab overlay and merged over each page,
so the exhibits themselves are not altered (``field-conventions.md`` §1.3).
They sit in a band along the bottom of the sheet that nothing else uses:
generated pages end above it, and every evidence page is scaled into
:func:`content_area` (as legal exhibit-stamping tools shrink a page to make
room for the stamp), so a stamp never covers a word of the evidence and needs
no opaque backing.  Nothing is drawn within a quarter inch of the paper's
edge, where printers clip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from ombuds_desktop.packet.appearances import page_as_form
from ombuds_desktop.packet.layout import STAMP_BAND
from ombuds_desktop.printed import fonts
from ombuds_desktop.printed.fonts import BOLD, REGULAR

WATERMARK = "DRAFT - NOT READY TO FILE"
#: The printable margin: nothing of a stamp or of fitted evidence comes closer to the edge.
EDGE = 18.0
#: Baseline of the stamps: their descenders stay above ``EDGE``.
BASELINE = 22.0
STAMP_SIZE = 8.5
_INK = HexColor("#111111")
_WATERMARK = Color(0.78, 0.1, 0.1, alpha=0.28)


@dataclass(frozen=True, slots=True)
class Stamp:
    """What goes on one page: left label (exhibit), right number, watermark flag."""

    left: str = ""
    right: str = ""
    watermark: bool = False


def page_number_text(
    index: int, total: int, bates_prefix: str | None, digits: int = 6, start: int = 1
) -> str:
    if bates_prefix is not None:
        return f"{bates_prefix}{start + index:0{digits}d}"
    return f"Page {index + 1} of {total}"


def content_area(page_w: float, page_h: float) -> tuple[float, float, float, float]:
    """(x, y, w, h) of a sheet that evidence may fill: all but the margins and the stamp band."""
    return EDGE, STAMP_BAND, page_w - 2 * EDGE, page_h - STAMP_BAND - EDGE


def _label(c: Canvas, text: str, x: float, y: float, *, align: str, font: str) -> None:
    c.setFillColor(_INK)
    fonts.draw(c, x, y, text, font, STAMP_SIZE, align)


def overlay(sizes: Sequence[tuple[float, float]], stamps: Sequence[Stamp]) -> PdfReader:
    """One overlay page per packet page, in the same sizes."""
    fonts.register()
    buf = BytesIO()
    # types-reportlab types initialFontName as a float (a stub bug): it is the font's name
    c = Canvas(buf, invariant=1, pageCompression=1, initialFontName=REGULAR)  # type: ignore[arg-type]
    for (w, h), st in zip(sizes, stamps, strict=True):
        c.setPageSize((w, h))
        if st.watermark:
            c.saveState()
            c.setFillColor(_WATERMARK)
            c.setFont(BOLD, 44 if w < h else 52)
            c.translate(w / 2, h / 2)
            c.rotate(54 if w < h else 32)
            c.drawCentredString(0, -15, WATERMARK)
            c.restoreState()
            c.setFillColor(Color(0.78, 0.1, 0.1))
            c.setFont(BOLD, 8)
            c.drawCentredString(w / 2, BASELINE, WATERMARK)
        if st.left:
            _label(c, st.left, 36, BASELINE, align="left", font=BOLD)
        if st.right:
            _label(c, st.right, w - 36, BASELINE, align="right", font=REGULAR)
        c.showPage()
    c.save()
    buf.seek(0)
    return PdfReader(buf)


def apply(writer: PdfWriter, stamps: Sequence[Stamp], first: int = 0) -> None:
    """Draw ``stamps[i]`` over page ``first + i`` of ``writer``.

    Each overlay page becomes a form XObject with its own resources, drawn
    after the page's content (isolated in q/Q).  Nothing of the page itself is
    decoded, renamed or re-compressed, which keeps stamping a 300-page packet
    fast and leaves the exhibits' content streams byte-for-byte as they were.
    """
    pages = list(writer.pages)[first : first + len(stamps)]
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages]
    over = overlay(sizes, stamps)
    push, pop, draw = (_stream(writer, data) for data in (b"q\n", b"\nQ\n", b"q /OmbStamp Do Q\n"))
    for page, (w, h), stamp_page in zip(pages, sizes, over.pages, strict=True):
        form = page_as_form(writer, stamp_page, (0, 0, w, h))
        resources = page.get("/Resources")
        resources = (
            DictionaryObject(resources.get_object().items())
            if resources is not None
            else DictionaryObject()
        )
        xobjects = resources.get("/XObject")
        xobjects = (
            DictionaryObject(xobjects.get_object().items())
            if xobjects is not None
            else DictionaryObject()
        )
        xobjects[NameObject("/OmbStamp")] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        old = page.get("/Contents")
        items: list[Any] = []
        if old is not None:
            obj = old.get_object()
            items = list(obj) if isinstance(obj, ArrayObject) else [old]
        page[NameObject("/Contents")] = ArrayObject([push, *items, pop, draw])


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)
