"""Issue 14: every embedded font subset carries its own tag, made from its glyphs.

reportlab tagged every subset ``AAAAAA+``: the cover letter's, the form's
and the index's different subsets of Noto Sans all had one name (PDF 32000
§9.6.4: different subsets, different tags).  Read with ``pdffonts`` and the
font programs themselves (pikepdf).
"""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

import pikepdf

from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.assemble import clean_pdf
from ombuds_desktop.validation import acknowledge, validate_draft

from .support import BUILD_DATE, pdffonts

TAG = re.compile(r"^([A-Z]{6})\+(.+)$")


def _programs(pdf: bytes) -> dict[str, set[str]]:
    """Subset tag -> the SHA-256 of each embedded font program carrying it."""
    out: dict[str, set[str]] = {}
    with pikepdf.open(BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
                continue
            m = TAG.match(str(obj.get("/FontName", ""))[1:])
            program = next(
                (obj[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in obj), None
            )
            if m and program is not None:
                out.setdefault(m.group(1), set()).add(
                    hashlib.sha256(program.read_bytes()).hexdigest()
                )
    return out


def _check(pdf: bytes) -> None:
    fonts = [f["name"] for f in pdffonts(pdf) if f["sub"] == "yes"]
    assert fonts, "no subset fonts"
    tags = {TAG.match(n).group(1) for n in fonts}
    assert "AAAAAA" not in tags
    programs = _programs(pdf)
    # one tag, one subset; one subset, one tag
    assert all(len(d) == 1 for d in programs.values()), programs
    digests = [next(iter(d)) for d in programs.values()]
    assert len(digests) == len(set(digests))
    # a tag names one font (never NotoSans-Regular and NotoSans-Bold under one tag)
    by_tag: dict[str, set[str]] = {}
    for n in fonts:
        tag, base = TAG.match(n).groups()
        by_tag.setdefault(tag, set()).add(base)
    assert all(len(b) == 1 for b in by_tag.values()), by_tag


def test_packet_subsets_have_distinct_tags(case):
    findings = validate_draft(case.draft, today=BUILD_DATE, base_dir=case.root)
    acknowledge(case.draft, findings, ["all"])
    options = PacketOptions(build_date=BUILD_DATE)
    packet = build_packet(case.draft, case.root, options=options)
    _check(packet.pdf)
    assert len(_programs(packet.pdf)) >= 4  # letter, form, index… each its own subsets
    again = build_packet(case.draft, case.root, options=options)
    assert again.pdf == packet.pdf  # derived from the glyphs: reproducible


def test_evidence_fonts_and_unembedded_fonts(tmp_path):
    """Two reportlab documents, both AAAAAA+, become two tags; Helvetica stays untagged."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from ombuds_desktop.printed.fonts import CHAIN, REGULAR, font_dir

    pdfmetrics.registerFont(TTFont("TagTest", str(font_dir() / CHAIN[REGULAR][0][1])))
    writer = pikepdf.Pdf.new()
    for text in ("Łukasz notice", "Søren Ødegård"):  # subset 0 holds ASCII: differ beyond it
        buf = BytesIO()
        c = Canvas(buf, invariant=1)
        c.setFont("TagTest", 12)
        c.drawString(72, 700, text)
        c.setFont("Helvetica", 12)
        c.drawString(72, 680, "Plain")
        c.showPage()
        c.save()
        with pikepdf.open(BytesIO(buf.getvalue())) as src:
            assert "AAAAAA+" in str(src.pages[0].Resources.Font)  # reportlab's one tag
            writer.pages.extend(src.pages)
    out = BytesIO()
    writer.save(out)
    pdf = clean_pdf(out.getvalue())
    _check(pdf)
    names = [f["name"] for f in pdffonts(pdf)]
    assert "Helvetica" in names  # not embedded: no subset, no tag
    assert len({n for n in names if TAG.match(n)}) == 2
