"""Issue 12: evidence from real producers goes through unaltered, valid and compact.

For every input of the corpus (see ``producers.build_corpus``): the pages look
the same (rendered at 50 dpi, the difference outside the stamp band stays
under a threshold), the words survive (pdftotext), the written file passes
``qpdf --check`` and its size is bounded.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet import PacketOptions
from ombuds_desktop.packet.assemble import clean_pdf
from ombuds_desktop.packet.exhibits import add_evidence, load_evidence
from ombuds_desktop.packet.layout import PAGE_H, PAGE_W, STAMP_BAND

from . import producers as P
from .support import pdftotext, qpdf_check
from .test_clean_outputs import _generated_size

pytestmark = pytest.mark.slow

#: name -> words that must survive (None: an image, no text)
CORPUS = {
    "ps2pdf": ["Ghostscript", "6120", "IOE0912345678"],
    "img2pdf": None,
    "imagemagick-fax": None,
    "imagemagick-cmyk": None,
    "tesseract": ["affidavit", "7310"],
    "reportlab": ["Employment", "5582"],
    "pdftocairo": ["Employment", "5582"],
    "linearized": ["Employment", "5582"],
    "objstm": ["Employment", "5582"],
    "encrypted-empty": ["Employment", "5582"],
    "incremental": ["Employment", "5582"],
    "arabic": ["arabic", "9140"],
    "cjk": ["cjk", "9140"],
    "devanagari": ["devanagari", "9140"],
    "annotations": ["Employment", "5582", P.FREETEXT.split()[-1]],
    "lo-filled": ["Okonkwo-Halvorsen", "20529", "Peru"],
    "lo-viewer-filled": ["Okonkwo-Halvorsen", "20529", "Peru"],
}
#: Mean absolute grey difference (0-255) allowed outside the stamp band.  Forms and
#: annotations are drawn by poppler itself in the input and by the app in the output, in
#: another font: they may differ a little more.
THRESHOLD = {"lo-filled": 6.0, "lo-viewer-filled": 6.0, "annotations": 6.0}
DEFAULT_THRESHOLD = 2.5


def _written(path: Path) -> tuple[bytes, object]:
    att = Attachment("other", "Made-up", f"files/{path.name}", id="att-c", original_name=path.name)
    ev = load_evidence(att, path.read_bytes(), PacketOptions())
    w = PdfWriter()
    add_evidence(w, ev)
    out = BytesIO()
    w.write(out)
    return clean_pdf(out.getvalue()), ev


def _placement(pdf: bytes, page: int) -> list[float] | None:
    content = PdfReader(BytesIO(pdf)).pages[page].get_contents().get_data().decode("latin-1")
    m = re.search(r"q ([-\d. ]+) cm /Omb(?:Page|Im) Do", content)
    return [float(v) for v in m.group(1).split()] if m else None


def _expected(path: Path, pdf: bytes, page: int, dpi: int = 50) -> Image.Image:
    """The input page as it should appear on the output sheet, rendered by poppler."""
    sheet = Image.new("L", (round(PAGE_W * dpi / 72), round(PAGE_H * dpi / 72)), 255)
    m = _placement(pdf, page)
    if path.suffix != ".pdf":
        img = Image.open(path)
        img.seek(page)
        img = img.convert("L")
        assert m is not None
        w, h, x, y = m[0], m[3], m[4], m[5]
        s = dpi / 72
        img = img.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.BOX)
        sheet.paste(img, (round(x * s), round(sheet.height - (y + h) * s)))
        return sheet
    if m is None:  # a Letter page kept as it is
        return P.render(path.read_bytes(), dpi, first=page + 1, last=page + 1)[0]
    scale = m[0]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(path.read_bytes())
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                f"{dpi * scale:.4f}",
                "-gray",
                "-f",
                str(page + 1),
                "-l",
                str(page + 1),
                str(src),
                str(Path(tmp) / "p"),
            ],
            check=True,
            capture_output=True,
        )
        img = Image.open(next(Path(tmp).glob("p*.pgm"))).copy()
    s = dpi / 72
    ih = img.height
    sheet.paste(img, (round(m[4] * s), round(sheet.height - m[5] * s - ih)))
    return sheet


def _difference(a: Image.Image, b: Image.Image, dpi: int = 50) -> float:
    """Mean absolute grey difference outside the stamp band at the bottom."""
    band = round((STAMP_BAND + 4) * dpi / 72)
    h = min(a.height, b.height) - band
    w = min(a.width, b.width)
    diff = ImageChops.difference(a.crop((0, 0, w, h)), b.crop((0, 0, w, h)))
    hist = diff.histogram()
    return sum(i * n for i, n in enumerate(hist)) / max(1, w * h)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_real_producer_input(corpus, name):
    if name not in corpus:
        pytest.skip(f"the producer of {name} is not installed")
    path = corpus[name]
    pdf, ev = _written(path)
    qpdf_check(pdf)
    out_reader = PdfReader(BytesIO(pdf))
    assert not out_reader.is_encrypted
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in out_reader.pages} <= {
        (PAGE_W, PAGE_H),
        (PAGE_H, PAGE_W),
    }
    # the words survive
    words = CORPUS[name]
    if name in P.SCRIPT_WORDS and P.script_font_installed(P.SCRIPT_WORDS[name][0]):
        words = [*words, P.SCRIPT_WORDS[name][1]]
    if words:
        text = pdftotext(pdf)
        flat = re.sub(r"\s+", "", text)
        for word in words:
            assert word in text or word in flat, (name, word, text[:400])
    # the pages look the same
    document_pages = ev.pages - (len(PdfReader(BytesIO(ev.appendix)).pages) if ev.appendix else 0)
    rendered = P.render(pdf)
    for i in range(document_pages):
        expected = _expected(path, pdf, i)
        limit = THRESHOLD.get(name, DEFAULT_THRESHOLD)
        diff = _difference(expected, rendered[i])
        assert diff <= limit, f"{name} page {i + 1} differs by {diff:.2f}"
    # the size is bounded: a little over the input (notes pages, fonts), never a blow-up
    assert len(pdf) <= 1.5 * path.stat().st_size + 80_000, (name, len(pdf), path.stat().st_size)
    assert len(pdf) <= 1.1 * _generated_size(pdf), name  # compact: no unreachable objects


def test_corpus_is_complete_on_a_full_machine(corpus):
    """./dev installs every producer: on such a machine nothing is skipped."""
    if not (P.have("ps2pdf", "img2pdf", "tesseract", "pdftocairo") and P.lo_available()):
        pytest.skip("not every producer is installed")
    missing = sorted(set(CORPUS) - set(corpus))
    assert missing == []
