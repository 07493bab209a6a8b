"""Word boxes of a PDF (``pdftotext -bbox``) and evidence whose text runs to the paper's edges.

Shared by the stamp-band tests and the script that draws the README's
before-and-after picture.  Everything here is made up.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject
from reportlab.pdfgen.canvas import Canvas

from .support import _run


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page, as pdftotext gives it
    x1: float
    y1: float

    def meets(self, other: Word) -> bool:
        return not (
            self.x1 <= other.x0 or other.x1 <= self.x0 or self.y1 <= other.y0 or other.y1 <= self.y0
        )


@dataclass(frozen=True, slots=True)
class PageWords:
    width: float
    height: float
    words: list[Word]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>'
)


def word_boxes(pdf: bytes) -> list[PageWords]:
    """Every page's size and word boxes, as ``pdftotext -bbox`` reads them."""
    result = _run(["pdftotext", "-enc", "UTF-8", "-bbox", "{}", "-"], pdf)
    assert result.returncode == 0, result.stderr
    pages = []
    for w, h, body in _PAGE.findall(result.stdout):
        words = [
            Word(html.unescape(t), float(a), float(b), float(c), float(d))
            for a, b, c, d, t in _WORD.findall(body)
        ]
        pages.append(PageWords(float(w), float(h), words))
    return pages


def edge_tokens(tag: str) -> list[str]:
    """The words :func:`edge_pdf` prints for ``tag`` (each unique in a packet)."""
    return [f"{tag}{where}" for where in ("Top", "Left", "Mid", "Right", "Foot", "FootEnd", "Base")]


def edge_pdf(
    tag: str,
    size: tuple[float, float],
    *,
    rotate: int = 0,
    crop: tuple[float, float, float, float] | None = None,
    bleed: bool = False,
) -> bytes:
    """One page whose words touch the visible page's four edges (a notice with a footer).

    ``crop`` sets a CropBox (the words go to its edges); ``bleed`` fills the
    whole visible page with dark grey, as a full-bleed scan does.
    """
    buf = BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1)
    x0, y0, x1, y1 = crop or (0.0, 0.0, size[0], size[1])
    if bleed:
        c.setFillGray(0.25)
        c.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        c.setFillGray(1)
    top, left, mid, right, foot, foot_end, base = edge_tokens(tag)
    c.setFont("Helvetica", 9)
    c.drawString(x0 + 1, y1 - 8, f"{top} Department of Homeland Security")
    c.drawString(x0 + 1, (y0 + y1) / 2, left)
    c.drawCentredString((x0 + x1) / 2, (y0 + y1) / 2 + 30, f"{mid} Notice of Action")
    c.drawRightString(x1 - 1, (y0 + y1) / 2, right)
    # a USCIS-style footer on the last lines of the page
    c.drawString(x0 + 1, y0 + 14, f"{foot} Form I-797C 04/01/24 National Benefits Center")
    c.drawRightString(x1 - 1, y0 + 14, foot_end)
    c.drawCentredString((x0 + x1) / 2, y0 + 2.5, f"{base} Page 1 of 1")
    c.showPage()
    c.save()
    data = buf.getvalue()
    if not rotate and crop is None:
        return data
    w = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    for page in w.pages:
        if crop is not None:
            page[NameObject("/CropBox")] = ArrayObject(FloatObject(v) for v in crop)
        if rotate:
            page.rotate(rotate)
    out = BytesIO()
    w.write(out)
    return out.getvalue()
