"""Issue 14: the mail packet, its cover letter and its mailing sheet agree about Section 9.

For mail, the ORIGINAL page signed in ink goes in the envelope, right after the
Form 7001 (``dhs-7001.md`` R20 "For mail: the original signed form"); online
and by e-mail its scan goes in.  Read from the text of each sample's exports.
"""

from __future__ import annotations

import re

import pytest

from ombuds_desktop.draft import facts
from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.exports import eml_attachments, export_eml, export_mail
from ombuds_desktop.samples import sample_names

from .support import BUILD_DATE, acknowledged_sample, make_pdf, page_texts, pdftotext

#: What a page says when it claims the scan of Section 9 is what is enclosed.
SCAN_CLAIMS = (
    "Section 9 consent signed in ink (scan)",
    "is enclosed (scan of the signed page)",
    "the scan of the page signed in ink follows",
)
#: The stand-in scan's own heading (``samples._HEADINGS``): the scan's page itself.
SCAN_PAGE = "Section 9 (scan of the page signed in ink)"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _numbers(texts: list[str], total: int) -> list[int]:
    """The packet page number stamped on each printed page ("Page n of N")."""
    out = []
    for t in texts:
        found = [int(n) for n, of in re.findall(r"Page (\d+) of (\d+)", t) if int(of) == total]
        assert len(found) == 1, t[-300:]
        out.append(found[0])
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sample_names())
def test_mail_sheet_letter_and_packet_agree(name, tmp_path):
    draft, base, options = acknowledged_sample(name, tmp_path)
    mail = export_mail(draft, tmp_path / "mail.pdf", base, options=options)
    texts = pdftotext(mail.path.read_bytes(), layout=True).split("\f")[:-1]
    sheet, printed = _flat(texts[0]), [_flat(t) for t in texts[1:]]
    everything = " ".join(printed)
    wet = facts.wet_ink_required(facts.with_forced_answers(draft))
    if not wet:  # negative case: nothing about an original Section 9 anywhere
        assert "ORIGINAL Section 9" not in sheet
        assert "original Section 9" not in everything
        assert len(printed) == mail.packet.pages
        return
    plan = mail.packet.plan
    assert plan is not None and mail.packet.signature_original
    # the sheet, the cover letter and the index say the same: the original goes in
    assert "ORIGINAL Section 9 page signed by hand, in ink" in sheet
    assert "right after the Form 7001" in sheet
    assert "The original Section 9 consent, signed by hand in ink, is enclosed" in printed[0]
    assert "Section 9 consent signed in ink (original)" in printed[0]  # enclosure list
    for claim in SCAN_CLAIMS:
        assert claim not in everything, claim
    slot = mail.packet.part("signature")
    assert slot is not None and slot.count == 1
    number = slot.start + 1
    named = re.search(r'the page numbered "Page (\d+) of (\d+)"', sheet)
    assert named and int(named.group(1)) == number and int(named.group(2)) == mail.packet.pages
    form = mail.packet.part("form")
    assert form is not None and slot.start == form.start + form.count  # right after the form
    index = next(t for t in printed if "Exhibit Index" in t)
    assert re.search(rf"Section 9 consent signed in ink \(original\) {number}\b", index)
    stamped = _numbers(printed, mail.packet.pages)
    if plan.signed_scans:
        # the scan is not printed: its page number is left for the original
        assert SCAN_PAGE not in everything
        assert "this printout leaves that page out" in sheet
        assert stamped == [n for n in range(1, mail.packet.pages + 1) if n != number]
    else:
        # no scan yet: the printed signature page is signed and mailed as it is
        assert stamped == list(range(1, mail.packet.pages + 1))
        assert "sign and date the Section 9 signature page by hand" in sheet
        assert "signature page" in printed[number - 1].lower()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["asylee-attorney", "vawa-self"])
def test_email_and_packet_carry_the_scan(name, tmp_path):
    """Online and by e-mail the scan is what goes in (the seeds): said and attached."""
    draft, base, options = acknowledged_sample(name, tmp_path)
    packet = build_packet(draft, base, options=options)
    assert not packet.signature_original
    text = _flat(pdftotext(packet.pdf))
    assert SCAN_PAGE in text and "Section 9 consent signed in ink (scan)" in text
    assert "original Section 9" not in text
    result = export_eml(draft, tmp_path / "e.eml", base, options=options, packet=packet)
    raw = result.paths[0].read_bytes()
    ((_, pdf),) = eml_attachments(raw)
    assert SCAN_PAGE in _flat(pdftotext(pdf))
    # the mail export from the same packet is built for mail, not reused as it is
    mail = export_mail(draft, tmp_path / "m.pdf", base, options=options, packet=packet)
    assert mail.packet is not packet and mail.packet.signature_original
    assert SCAN_PAGE not in _flat(pdftotext(mail.path.read_bytes()))


def test_mail_packet_without_a_scan_keeps_the_page_to_sign(case, tmp_path):
    """A wet-ink client with no scan yet: the printed page is signed and mailed in place."""
    options = PacketOptions(build_date=BUILD_DATE)
    mail = export_mail(case.draft, tmp_path / "m.pdf", case.root, options=options)
    texts = page_texts(mail.path.read_bytes())
    assert len(texts) == mail.packet.pages + 1
    sheet = _flat(texts[0])
    slot = mail.packet.part("signature")
    assert slot is not None
    assert f'the page numbered "Page {slot.start + 1} of {mail.packet.pages}"' in sheet
    assert "The original Section 9 consent, signed by hand in ink" in _flat(texts[1])


def test_mail_sheet_of_a_plain_client_says_nothing_of_wet_ink(plain_case, tmp_path):
    mail = export_mail(
        plain_case.draft,
        tmp_path / "m.pdf",
        plain_case.root,
        options=PacketOptions(build_date=BUILD_DATE),
    )
    sheet = _flat(page_texts(mail.path.read_bytes())[0])
    assert "Section 9" not in sheet


def test_mail_sheet_follows_a_custom_part_order(case, tmp_path):
    """Section 9 placed after the G-28: the sheet does not say "right after the Form 7001"."""
    order = ("cover_letter", "form", "g28", "signature", "consents", "index", "exhibits")
    options = PacketOptions(build_date=BUILD_DATE, part_order=order)
    mail = export_mail(case.draft, tmp_path / "m.pdf", case.root, options=options)
    sheet = _flat(page_texts(mail.path.read_bytes())[0])
    assert "right after the Form 7001" not in sheet
    assert "where the exhibit index lists it" in sheet


def test_email_is_never_sent_with_the_mail_packet(case, tmp_path):
    """A packet built for mail (it says "original") handed to the e-mail export is rebuilt."""
    case.add(
        "signed-section-9",
        "Section 9 signed in ink (scan)",
        "signed.pdf",
        make_pdf(["SIGNED SCAN PAGE"]),
        date="2026-11-20",
    )
    options = PacketOptions(build_date=BUILD_DATE)
    mail = export_mail(case.draft, tmp_path / "m.pdf", case.root, options=options)
    assert mail.packet.signature_original
    result = export_eml(
        case.draft, tmp_path / "e.eml", case.root, options=options, packet=mail.packet
    )
    assert result.packet is not mail.packet and not result.packet.signature_original
    ((_, pdf),) = eml_attachments(result.paths[0].read_bytes())
    text = _flat(pdftotext(pdf))
    assert "Section 9 consent signed in ink (scan)" in text and "SIGNED SCAN PAGE" in text
    assert "original Section 9" not in text
