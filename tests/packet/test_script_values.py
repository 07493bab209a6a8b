"""Issue 12 follow-up: non-Latin form values and annotation text print (fallback font chain).

A value typed into a fillable PDF in Arabic or Chinese, a FreeText box or a stamp
in Hebrew used to be drawn with Noto Sans alone and printed as blank space.
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, NameObject, NumberObject, TextStringObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet import PacketOptions
from ombuds_desktop.packet.exhibits import add_evidence, load_evidence

from . import producers as P
from .support import make_pdf, pdffonts, pdftotext, qpdf_check

ARABIC = "شهادة ميلاد"
CHINESE = "出生证明"
HEBREW = "תעודת לידה"
DEVANAGARI = "जन्म प्रमाणपत्र"
LATIN = "Okonkwo-Halvorsen 4711"

#: field name -> (value, rectangle, field flags)
FIELDS = {
    "arabic": (ARABIC, (72, 600, 372, 624), 0),
    "chinese": (CHINESE, (72, 560, 372, 584), 0),
    "hebrew": (f"{HEBREW}\n{DEVANAGARI}", (72, 460, 372, 540), 4096),  # multi-line
    "comb": ("证明1234", (72, 420, 272, 444), 1 << 24),  # comb, MaxLen 8
    "latin": (LATIN, (72, 380, 372, 404), 0),
}


def _form() -> bytes:
    """A reportlab form with Noto-less Helvetica fields, filled later in a viewer (pypdf)."""
    buf = BytesIO()
    c = Canvas(buf, pagesize=letter)
    c.drawString(72, 720, "A fillable form")
    for name, (_, (x0, y0, x1, y1), _flags) in FIELDS.items():
        extra = {"maxlen": 8} if name == "comb" else {}
        c.acroForm.textfield(
            name=name, value="x", x=x0, y=y0, width=x1 - x0, height=y1 - y0, **extra
        )
    c.showPage()
    c.save()
    w = PdfWriter(clone_from=PdfReader(BytesIO(buf.getvalue())))
    for annot in w.pages[0]["/Annots"]:
        annot = annot.get_object()
        value, _, flags = FIELDS[str(annot["/T"])]
        annot[NameObject("/V")] = TextStringObject(value)
        annot[NameObject("/Ff")] = NumberObject(flags)
        if "/AP" in annot:
            del annot["/AP"]
    w.root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def _flat(data: bytes) -> bytes:
    att = Attachment(category="other", description="Made-up", path="files/f.pdf", id="att-s")
    ev = load_evidence(att, data, PacketOptions())
    w = PdfWriter()
    add_evidence(w, ev)
    out = BytesIO()
    w.write(out)
    pdf = out.getvalue()
    qpdf_check(pdf)
    return pdf


def _norm(text: str) -> str:
    """pdftotext gives Arabic presentation forms: NFKC-normalised, bidi marks and spaces dropped."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", "".join(ch for ch in text if unicodedata.category(ch) != "Cf"))


def _has(expected: str, text: str) -> bool:
    """Every word of ``expected`` is in ``text``; right-to-left words in either order.

    pdftotext writes a right-to-left run in visual or logical order depending on its
    version; the letters, not the order, tell whether the glyphs were drawn.
    """
    got = _norm(text)
    return all(_norm(w) in got or _norm(w)[::-1] in got for w in expected.split())


def _embedded(pdf: bytes) -> set[str]:
    return {f["name"].split("+")[-1] for f in pdffonts(pdf) if f["emb"] == "yes"}


def test_non_latin_form_values_print_in_fallback_fonts():
    pdf = _flat(_form())
    text = pdftotext(pdf)
    for word in (ARABIC, CHINESE, HEBREW, "जन्म", "证明1234", LATIN):
        assert _has(word, text), word
    fonts = _embedded(pdf)
    assert {"NotoSansArabic-Regular", "NotoSansHebrew-Regular"} <= fonts, fonts
    assert any(f.startswith("NotoSansCJK") for f in fonts), fonts
    assert any(f.startswith("NotoSansDevanagari") for f in fonts), fonts
    # each field's box carries ink (the page is drawn, not blank space)
    page = P.render(pdf, dpi=72)[0]
    for name, (_, rect, _) in FIELDS.items():
        assert P.ink_in(page, rect, dpi=72) > 20, name


def test_latin_value_needs_no_fallback_font():
    """Negative case: a Latin-only form embeds Noto Sans and nothing of the chain."""
    data = _form()
    w = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    for annot in w.pages[0]["/Annots"]:
        annot.get_object()[NameObject("/V")] = TextStringObject(LATIN)
    out = BytesIO()
    w.write(out)
    pdf = _flat(out.getvalue())
    assert LATIN in pdftotext(pdf)
    assert not any("Arabic" in f or "CJK" in f or "Hebrew" in f for f in _embedded(pdf))


def test_non_latin_annotation_text_prints():
    """A FreeText box in Arabic, a stamp-less sticky note in Chinese (notes appendix)."""
    annots = P.markup_annotations()
    for a in annots:
        if a["/Subtype"] == "/FreeText":
            a[NameObject("/Contents")] = TextStringObject(f"{ARABIC} 8825")
        elif a["/Subtype"] == "/Text":
            a[NameObject("/Contents")] = TextStringObject(f"{CHINESE} {HEBREW}")
    pdf = _flat(P.annotated_pdf(make_pdf(["Annotated notice"]), annots))
    text = pdftotext(pdf)
    assert _has(f"{ARABIC} 8825", text)
    assert _has(CHINESE, text) and _has(HEBREW, text)
    page = P.render(pdf, dpi=72)[0]
    assert P.ink_in(page, P.MARKUP_AREAS["/FreeText"], dpi=72) > 40
