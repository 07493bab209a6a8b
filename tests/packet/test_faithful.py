"""Issue 12, Why 1 and 2: typed-in form values, highlights, ink and notes survive flattening."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet import PacketOptions
from ombuds_desktop.packet.exhibits import add_evidence, load_evidence

from . import producers as P
from .support import make_fillable_pdf, make_pdf, pdftotext, qpdf_check

needs_lo = pytest.mark.skipif(not P.lo_available(), reason="LibreOffice (python3-uno) missing")


def _flat(data: bytes, name: str = "form.pdf"):
    att = Attachment(category="other", description="Made-up", path=f"files/{name}", id="att-f")
    ev = load_evidence(att, data, PacketOptions())
    w = PdfWriter()
    add_evidence(w, ev)
    assert len(w.pages) == ev.pages
    out = BytesIO()
    w.write(out)
    pdf = out.getvalue()
    qpdf_check(pdf)
    return pdf, ev


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _no_annots(pdf: bytes) -> None:
    assert all("/Annots" not in p for p in PdfReader(BytesIO(pdf)).pages)


# -- Why 1: form fields -----------------------------------------------------------------------


@pytest.mark.slow
@needs_lo
@pytest.mark.parametrize("variant", ["lo-viewer-filled", "lo-filled"])
def test_libreoffice_form_values_are_printed(corpus, variant):
    """LibreOffice's NeedAppearances form, filled in LibreOffice or later in a viewer."""
    pdf, _ = _flat(corpus[variant].read_bytes())
    _no_annots(pdf)
    text = pdftotext(pdf)
    assert "Okonkwo-Halvorsen" in text
    assert "Filed the petition in March." in text and "The notice never arrived." in text
    assert "20529" in _squash(text)  # comb field
    assert "Peru" in text  # list box
    # the check box and the chosen radio button are drawn; the other radio is not
    reader = PdfReader(BytesIO(corpus[variant].read_bytes()))
    boxes: dict[str, list[list[float]]] = {}
    for ref in reader.pages[0]["/Annots"]:
        a = ref.get_object()
        parent = a.get("/Parent")
        name = str((parent.get_object() if parent else a).get("/T"))
        if name in ("agree", "status"):
            boxes.setdefault(name, []).append([float(v) for v in a["/Rect"]])
    # the A4 page sits on Letter through one transformation: map the boxes with it
    content = PdfReader(BytesIO(pdf)).pages[0].get_contents().get_data().decode()
    m = [float(v) for v in re.search(r"q ([-\d. ]+) cm /OmbPage Do", content).group(1).split()]
    page = P.render(pdf, dpi=100)[0]

    def ink(r):
        x0, y0 = m[0] * r[0] + m[4], m[3] * r[1] + m[5]
        x1, y1 = m[0] * r[2] + m[4], m[3] * r[3] + m[5]
        return P.ink_in(page, (x0 + 2, y0 + 2, x1 - 2, y1 - 2), dpi=100)

    single, married = sorted(boxes["status"], key=lambda r: r[0])
    assert ink(married) > ink(single) + 3
    assert ink(boxes["agree"][0]) > 3


def _stale(value: str, *, need: bool) -> bytes:
    """A reportlab form whose text field has a value but an empty appearance (stale)."""
    data = make_fillable_pdf("placeholder")
    w = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    for annot in w.pages[0]["/Annots"]:
        annot = annot.get_object()
        if annot.get("/FT") == "/Tx":
            empty = DecodedStreamObject()
            empty.set_data(b"/Tx BMC EMC")
            empty.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (0, 0, 300, 24)),
                }
            )
            annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): w._add_object(empty)})
            annot[NameObject("/V")] = TextStringObject(value)
    if need:
        w.root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.mark.parametrize("need", [True, False])
def test_stale_empty_appearance_is_redrawn(need):
    pdf, _ = _flat(_stale("Stale-Value 8812", need=need))
    assert "Stale-Value 8812" in pdftotext(pdf)


def test_appearance_showing_an_older_value_is_redrawn():
    """A tool changed /V but left the old appearance (no NeedAppearances)."""
    w = PdfWriter(clone_from=PdfReader(BytesIO(make_fillable_pdf("Old Value 1111"))))
    for annot in w.pages[0]["/Annots"]:
        annot = annot.get_object()
        if annot.get("/FT") == "/Tx":
            annot[NameObject("/V")] = TextStringObject("New Value 4242")
    out = BytesIO()
    w.write(out)
    pdf, _ = _flat(out.getvalue())
    text = pdftotext(pdf)
    assert "New Value 4242" in text and "Old Value 1111" not in text


def test_appearance_of_a_cleared_field_is_not_printed():
    w = PdfWriter(clone_from=PdfReader(BytesIO(make_fillable_pdf("Cleared Value 2222"))))
    for annot in w.pages[0]["/Annots"]:
        annot = annot.get_object()
        if annot.get("/FT") == "/Tx":
            annot[NameObject("/V")] = TextStringObject("")
    out = BytesIO()
    w.write(out)
    pdf, _ = _flat(out.getvalue())
    assert "Cleared Value 2222" not in pdftotext(pdf)


def test_good_appearance_is_kept_as_drawn():
    """No NeedAppearances and an appearance that shows the value: it is used unchanged."""
    pdf, _ = _flat(make_fillable_pdf("Kept Value 5521"))
    text = pdftotext(pdf)
    assert text.count("Kept Value 5521") == 1


def test_empty_field_prints_nothing():
    pdf, _ = _flat(_stale("", need=True))
    assert pdftotext(pdf).strip() == "A fillable form"


def test_non_latin_field_value_is_printed():
    pdf, _ = _flat(make_fillable_pdf("Nguyễn Thị Ánh", drop_appearance=True))
    assert "Nguyễn Thị Ánh" in pdftotext(pdf)


# -- Why 2: markup annotations ------------------------------------------------------------------


def test_markup_without_appearances_is_drawn_and_noted():
    base = make_pdf(["Annotated notice"])
    data = P.annotated_pdf(base, P.markup_annotations())
    pdf, ev = _flat(data, "notice.pdf")
    _no_annots(pdf)
    # every page is fitted above the stamp band (issue 14): compare with the plain page
    # fitted the same way, in the areas where the placement puts them
    before, after = P.render(_flat(base, "plain.pdf")[0])[0], P.render(pdf)[0]
    content = PdfReader(BytesIO(pdf)).pages[0].get_contents().get_data().decode()
    m = [float(v) for v in re.search(r"q ([-\d. ]+) cm /OmbPage Do", content).group(1).split()]
    for sub, (x0, y0, x1, y1) in P.MARKUP_AREAS.items():
        area = (m[0] * x0 + m[4], m[3] * y0 + m[5], m[0] * x1 + m[4], m[3] * y1 + m[5])
        grown = P.ink_in(after, area) - P.ink_in(before, area)
        assert grown > 5, f"{sub} was not drawn ({grown} pixels)"
    text = pdftotext(pdf)
    assert P.FREETEXT in text
    # the sticky note: an icon on the page, its text on an appendix page after the document
    assert ev.pages == 2
    pages = text.split("\f")
    assert P.NOTE_TEXT in pages[1] and P.NOTE_TEXT not in pages[0]
    assert "Made-up Reviewer" in pages[1]
    assert any("sticky note" in n and "notice.pdf" in n for n in ev.notes)


def test_hidden_annotation_stays_hidden():
    base = make_pdf(["Hidden note page"])
    note = P.markup_annotations()[-1]
    note[NameObject("/F")] = FloatObject(2)  # Hidden
    pdf, ev = _flat(P.annotated_pdf(base, [note]))
    assert ev.pages == 1
    assert P.NOTE_TEXT not in pdftotext(pdf)


def test_annotation_that_cannot_be_drawn_is_named():
    base = make_pdf(["Page with a 3D model"])
    model = P._annot("/3D", (100, 100, 300, 300))
    pdf, ev = _flat(P.annotated_pdf(base, [model]), "model.pdf")
    assert any("3D model" in n and "model.pdf" in n and "page 1" in n for n in ev.notes), ev.notes


def test_annotation_with_its_own_appearance_uses_it():
    from .support import make_annotated_pdf

    pdf, ev = _flat(make_annotated_pdf("OWN APPEARANCE 3390"))
    assert "OWN APPEARANCE 3390" in pdftotext(pdf)
    assert ev.pages == 1


# -- comb fields and the field's own embedded font ------------------------------------------------

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _form_with(field: dict, *, font=None) -> bytes:
    """A one-field form built by hand (NeedAppearances, no appearance stream)."""
    w = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(["Hand-made form"]))))
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (100, 500, 350, 524)),
            NameObject("/F"): NumberObject(4),
            NameObject("/T"): TextStringObject("field"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/DA"): TextStringObject("/FF 12 Tf 0 g"),
        }
    )
    for k, v in field.items():
        widget[NameObject(k)] = v
    ref = w._add_object(widget)
    w.pages[0][NameObject("/Annots")] = ArrayObject([ref])
    dr = DictionaryObject()
    if font is not None:
        dr[NameObject("/Font")] = DictionaryObject({NameObject("/FF"): w._add_object(font(w))})
    w.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([ref]),
            NameObject("/NeedAppearances"): BooleanObject(True),
            NameObject("/DR"): dr,
        }
    )
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def _dejavu(w: PdfWriter) -> DictionaryObject:
    """DejaVu Sans embedded whole (not a subset), WinAnsi-encoded, as an authoring tool does."""
    from pathlib import Path

    from reportlab.pdfbase.ttfonts import TTFontFile

    face = TTFontFile(DEJAVU)
    data = DecodedStreamObject()
    data.set_data(Path(DEJAVU).read_bytes())
    widths = [
        round(face.charWidths.get(ord(bytes([c]).decode("cp1252", "replace")), 0))
        for c in range(32, 256)
    ]
    desc = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/DejaVuSans"),
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontBBox"): ArrayObject(FloatObject(v) for v in face.bbox),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): FloatObject(face.ascent),
            NameObject("/Descent"): FloatObject(face.descent),
            NameObject("/CapHeight"): FloatObject(face.ascent),
            NameObject("/StemV"): NumberObject(87),
            NameObject("/FontFile2"): w._add_object(data.flate_encode()),
        }
    )
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/TrueType"),
            NameObject("/BaseFont"): NameObject("/DejaVuSans"),
            NameObject("/FirstChar"): NumberObject(32),
            NameObject("/LastChar"): NumberObject(255),
            NameObject("/Widths"): ArrayObject(NumberObject(v) for v in widths),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/FontDescriptor"): w._add_object(desc),
        }
    )


def _fonts_used(pdf: bytes) -> set[str]:
    from .support import pdffonts

    return {f["name"].split("+")[-1] for f in pdffonts(pdf)}


def test_value_in_the_fields_embedded_font():
    data = _form_with({"/V": TextStringObject("Müller-Ørsted 6619")}, font=_dejavu)
    pdf, _ = _flat(data)
    assert "Müller-Ørsted 6619" in pdftotext(pdf)
    assert "DejaVuSans" in _fonts_used(pdf) and "NotoSans-Regular" not in _fonts_used(pdf)


def test_value_the_embedded_font_cannot_encode_uses_noto():
    data = _form_with({"/V": TextStringObject("Nguyễn 6620")}, font=_dejavu)
    pdf, _ = _flat(data)
    assert "Nguyễn 6620" in pdftotext(pdf)
    assert "DejaVuSans" not in _fonts_used(pdf)


def test_choice_shows_its_display_text():
    opt = ArrayObject(
        [
            ArrayObject([TextStringObject("PE"), TextStringObject("Peru (Republic) 5150")]),
            ArrayObject([TextStringObject("TD"), TextStringObject("Chad")]),
        ]
    )
    data = _form_with(
        {
            "/FT": NameObject("/Ch"),
            "/Ff": NumberObject(1 << 17),
            "/Opt": opt,
            "/V": TextStringObject("PE"),
        }
    )
    pdf, _ = _flat(data)
    assert "Peru (Republic) 5150" in pdftotext(pdf)


def test_comb_field_spreads_characters_over_its_cells():
    data = _form_with(
        {
            "/V": TextStringObject("20529"),
            "/Ff": NumberObject(1 << 24),
            "/MaxLen": NumberObject(5),
        }
    )
    pdf, _ = _flat(data)
    from .support import _run

    html = _run(["pdftotext", "-bbox", "{}", "-"], pdf).stdout
    xs = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"[^>]*>\d</word>', html)]
    assert len(xs) == 5, html  # each digit in its own cell, read as separate words
    assert xs[-1] - xs[0] > 0.6 * 250


def test_drawings_land_on_their_own_pages_of_a_long_document():
    """One canvas serves the whole document: page k's drawing goes on page k only."""
    base = make_pdf(["Page one", "Page two", "Page three"], size=(500, 700))
    w = PdfWriter(clone_from=PdfReader(BytesIO(base)))
    for k in (0, 2):
        text = P._annot(
            "/FreeText",
            (60, 300, 400, 340),
            Contents=TextStringObject(f"Box on page {k + 1} 77{k}"),
            DA=TextStringObject("/Helv 12 Tf 0 g"),
        )
        w.pages[k][NameObject("/Annots")] = ArrayObject([w._add_object(text)])
    out = BytesIO()
    w.write(out)
    pdf, _ = _flat(out.getvalue())
    pages = pdftotext(pdf).split("\f")
    assert "Box on page 1 770" in pages[0] and "77" not in pages[1]
    assert "Box on page 3 772" in pages[2]
    from .support import pdffonts

    assert sum(1 for f in pdffonts(pdf) if "NotoSans" in f["name"]) == 1
