"""Issue 14: exhibit stamps never cover evidence.

Every evidence page, whatever its size, rotation or crop box, is scaled into
the area above the stamp band; the exhibit label and the page number sit in
the band.  Read from the output: word boxes (``pdftotext -bbox``) of the
stamps never meet a word of the evidence, every word of the evidence is
still there, nothing comes within a quarter inch of the paper's edge, and the
stamps change no pixel of the evidence.
"""

from __future__ import annotations

import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, letter

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet import stamps as st
from ombuds_desktop.packet.exhibits import add_evidence, load_evidence
from ombuds_desktop.samples import sample_names
from ombuds_desktop.validation import acknowledge, validate_draft

from .stampcheck import PageWords, Word, edge_pdf, edge_tokens, word_boxes
from .support import BUILD_DATE, Case, acknowledged_sample, make_pdf, qpdf_check

EDGE = 18.0  # a quarter inch: printers clip closer to the edge

SHAPES = {
    "letter": {"size": letter},
    "legal": {"size": (612.0, 1008.0)},
    "a4": {"size": A4},
    "landscape": {"size": (792.0, 612.0)},
    "rotated90": {"size": letter, "rotate": 90},
    "rotated270": {"size": A4, "rotate": 270},
    "rotated180": {"size": (612.0, 1008.0), "rotate": 180},
    "cropbox": {"size": (700.0, 900.0), "crop": (40.0, 60.0, 652.0, 852.0)},
    "receipt": {"size": (288.0, 432.0)},
}


def _fitted(data: bytes, name: str = "doc.pdf") -> PdfWriter:
    att = Attachment("other", "Made-up", f"files/{name}", id="att-x", original_name=name)
    w = PdfWriter()
    add_evidence(w, load_evidence(att, data, PacketOptions()))
    return w


def _bytes(w: PdfWriter) -> bytes:
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def _stamped(data: bytes, label: str = "Exhibit C · p. 1 of 1") -> tuple[bytes, bytes]:
    """(the fitted evidence without stamps, the same with its stamps)."""
    plain = _bytes(_fitted(data))
    w = _fitted(data)
    st.apply(w, [st.Stamp(label, f"Page {k + 12} of 140") for k in range(len(w.pages))])
    return plain, _bytes(w)


def _key(w: Word) -> tuple[str, int, int]:
    return (w.text, round(w.x0), round(w.y0))


def _split(plain: PageWords, stamped: PageWords) -> tuple[list[Word], list[Word]]:
    """(evidence words, stamp words) of a stamped page: the stamps are what was added."""
    before = {_key(w) for w in plain.words}
    stamp = [w for w in stamped.words if _key(w) not in before]
    evidence = [w for w in stamped.words if _key(w) in before]
    return evidence, stamp


def _check_page(plain: PageWords, stamped: PageWords, tokens: list[str] | None = None) -> None:
    evidence, stamp = _split(plain, stamped)
    assert stamp, "no stamp found on the page"
    # every word of the evidence is still there, where it was
    assert len(evidence) == len(plain.words)
    for t in tokens or []:
        assert any(w.text == t for w in evidence), (t, [w.text for w in evidence])
    # no stamp word meets an evidence word
    for s in stamp:
        hit = [e.text for e in evidence if s.meets(e)]
        assert not hit, f"stamp word {s.text!r} covers {hit}"
    # nothing within a quarter inch of the paper's edge, nothing off the page
    for w in stamped.words:
        assert w.x0 >= EDGE - 0.5 and w.x1 <= stamped.width - EDGE + 0.5, w
        assert w.y0 >= EDGE - 0.5 and w.y1 <= stamped.height - EDGE + 0.5, w


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_stamp_never_covers_evidence_that_runs_to_the_edges(shape):
    data = edge_pdf(shape.title(), **SHAPES[shape])
    plain, stamped = _stamped(data)
    qpdf_check(stamped)
    (p,), (s,) = word_boxes(plain), word_boxes(stamped)
    assert (s.width, s.height) in ((612.0, 792.0), (792.0, 612.0))
    _check_page(p, s, edge_tokens(shape.title()))


def test_letter_page_is_shrunk_to_leave_the_band_free():
    """Before issue 14 a Letter page was kept full size and its footer lay under the stamp."""
    data = edge_pdf("Full", letter)
    plain, _ = _stamped(data)
    (p,) = word_boxes(plain)
    lowest = max(w.y1 for w in p.words)
    assert lowest <= p.height - st.STAMP_BAND, lowest
    assert min(w.y0 for w in p.words) >= EDGE


def _render(pdf: bytes, dpi: int = 60) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(src), f"{tmp}/p"],
            check=True,
            capture_output=True,
        )
        return Image.open(next(Path(tmp).glob("p*.pgm"))).copy()


@pytest.mark.parametrize("shape", ["letter", "landscape", "rotated90"])
def test_stamps_change_no_pixel_of_a_full_bleed_scan(shape):
    """No opaque box: over the evidence's whole area the stamped page looks exactly the same."""
    data = edge_pdf("Bleed", **SHAPES[shape], bleed=True)
    plain, stamped = _stamped(data)
    a, b = _render(plain), _render(stamped)
    dark = a.point(lambda v: 255 if v < 128 else 0).getbbox()  # the evidence on the sheet
    assert dark is not None
    assert ImageChops.difference(a.crop(dark), b.crop(dark)).getbbox() is None
    # and the stamps are there, below it
    assert ImageChops.difference(a, b).getbbox() is not None


def test_a_page_without_stamps_is_unchanged_by_apply_with_empty_stamps():
    """Negative case: an empty stamp draws nothing at all."""
    data = make_pdf(["QUIET PAGE"])
    w = _fitted(data)
    st.apply(w, [st.Stamp()])
    (p,), (s,) = word_boxes(_bytes(_fitted(data))), word_boxes(_bytes(w))
    assert _split(p, s)[1] == []


def test_overlay_draws_no_filled_box():
    """The stamp is text only: no rectangle filled under it (it used to be an opaque white box)."""
    over = st.overlay([(612.0, 792.0)], [st.Stamp("Exhibit C · p. 1 of 1", "Page 3 of 9")])
    content = over.pages[0].get_contents().get_data()
    assert b" re" not in content and b"\nre" not in content


def test_packet_exhibits_of_every_shape(tmp_path):
    """The whole build: evidence of every shape behind its tab, stamped, none of it covered."""
    case = Case(tmp_path / "case", standard=False)
    case.add(
        "g28", "Form G-28 on file with USCIS", "g28.pdf", edge_pdf("Gee", letter), date="2024-11-04"
    )
    for shape in sorted(SHAPES):
        tag = shape.title()
        case.add(
            "other", f"Made-up {shape} document", f"{shape}.pdf", edge_pdf(tag, **SHAPES[shape])
        )
    findings = validate_draft(case.draft, today=BUILD_DATE, base_dir=case.root)
    assert not [f for f in findings if f.severity == "error"]
    acknowledge(case.draft, findings, ["all"])
    packet = build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE))
    assert not packet.watermarked
    pages = word_boxes(packet.pdf)
    checked = 0
    for att in case.draft.attachments:
        tag = Path(att.path).stem.title() if att.category != "g28" else "Gee"
        data = (case.root / att.path).read_bytes()
        (plain,) = word_boxes(_bytes(_fitted(data)))
        tokens = edge_tokens(tag)
        (where,) = [i for i, p in enumerate(pages) if any(w.text == tokens[0] for w in p.words)]
        _check_page(plain, pages[where], tokens)
        checked += 1
    assert checked == len(SHAPES) + 1


@pytest.mark.slow
def test_real_producer_evidence_is_never_covered(corpus):
    """The corpus of real producers (Ghostscript, LibreOffice, tesseract, ...), stamped."""
    done = 0
    for _name, path in sorted(corpus.items()):
        if path.suffix != ".pdf":
            continue
        data = path.read_bytes()
        plain, stamped = _stamped(data, "Exhibit AB · p. 12 of 140")
        for p, s in zip(word_boxes(plain), word_boxes(stamped), strict=True):
            if p.words:
                _check_page(p, s)
        done += 1
    assert done or not corpus


def _sample_packet(name: str, tmp_path: Path):
    draft, folder, options = acknowledged_sample(name, tmp_path)
    return draft, folder, build_packet(draft, folder, options=options)


@pytest.mark.slow
@pytest.mark.parametrize("name", sample_names())
def test_every_sample_packet_keeps_stamps_off_evidence_and_inside_the_page(name, tmp_path):
    draft, base, packet = _sample_packet(name, tmp_path)
    pages = word_boxes(packet.pdf)
    for number, page in enumerate(pages, 1):  # nothing within a quarter inch of the edge
        for w in page.words:
            assert w.x0 >= EDGE - 0.5 and w.x1 <= page.width - EDGE + 0.5, (number, w)
            assert w.y0 >= EDGE - 0.5 and w.y1 <= page.height - EDGE + 0.5, (number, w)
    plan = packet.plan
    assert plan is not None
    by_id = {a.id: a for a in draft.attachments}
    placed: list[tuple[Attachment, int]] = []
    groups = {"signature": plan.signed_scans, "g28": plan.g28, "consents": plan.consents}
    for part in packet.parts:
        at = part.start
        for att in groups.get(part.part, ()):
            placed.append((att, at))
            at += len(_fitted((base / att.path).read_bytes()).pages)
    for ex in packet.exhibits:
        at = ex.start + 1  # behind its tab page
        for att_id in ex.attachment_ids:
            placed.append((by_id[att_id], at))
            at += len(_fitted((base / by_id[att_id].path).read_bytes()).pages)
    assert placed, "no evidence in the sample"
    if packet.watermarked:  # a draft's DRAFT mark crosses every page on purpose
        return
    for att, at in placed:
        plain = word_boxes(_bytes(_fitted((base / att.path).read_bytes())))
        for k, p in enumerate(plain):
            if p.words:
                _check_page(p, pages[at + k])


def test_pages_sharing_one_content_stream_keep_their_own_boxes():
    """Two pages drawing the same stream, one of them cropped: each is fitted by its own box."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    w = PdfWriter(clone_from=PdfReader(BytesIO(edge_pdf("Shared", letter))))
    w.append(PdfReader(BytesIO(edge_pdf("Other", letter))))
    second = w.pages[1]
    second[NameObject("/Contents")] = w.pages[0].raw_get("/Contents")
    second[NameObject("/CropBox")] = ArrayObject(FloatObject(v) for v in (0, 0, 306, 396))
    data = _bytes(w)
    plain, stamped = _stamped(data)
    ref = PdfReader(BytesIO(stamped))
    boxes = [
        [float(v) for v in p["/Resources"]["/XObject"]["/OmbPage"]["/BBox"]] for p in ref.pages
    ]
    assert boxes == [[0, 0, 612, 792], [0, 0, 306, 396]]
    for p, s in zip(word_boxes(plain), word_boxes(stamped), strict=True):
        _check_page(p, s)
