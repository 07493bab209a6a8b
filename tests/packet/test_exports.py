"""Online-upload folder, e-mail drafts, mail PDF and the signature page on its own."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.parser import BytesParser
from email.policy import default
from io import BytesIO

import pytest
from pypdf import PdfReader

from ombuds_desktop.draft import Submission
from ombuds_desktop.packet import NotReadyError, PacketOptions, build_packet
from ombuds_desktop.packet.exports import (
    eml_attachments,
    export_eml,
    export_mail,
    export_upload_folder,
    family_group_email,
    signature_page_pdf,
)
from ombuds_desktop.packet.signature_page import filing_fingerprint, page_id
from ombuds_desktop.packet.stamps import WATERMARK
from ombuds_desktop.samples import load_sample

from .support import BUILD_DATE, Case, make_jpeg, page_texts, pdftotext, qpdf_check

KB = 1024


def _opts(**kw):
    return PacketOptions(build_date=BUILD_DATE, **kw)


# -- online upload ------------------------------------------------------------------------------


def test_upload_folder_in_section_8_order(standard_upload):
    result = standard_upload
    names = [p.name for p in result.files]
    assert names == [
        "01_G-28_g28.pdf",
        "02_Exhibit-A_uscis-notice.pdf",
        "03_Exhibit-B_service-request.pdf",
        "04_Exhibit-C_other.pdf",
    ]
    folder = result.copy_sheet.parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(names + ["copy-sheet.pdf"])
    for path in result.files:
        qpdf_check(path.read_bytes())
        assert path.stat().st_size <= PacketOptions().upload_budget
    assert "G-28 page 2" in pdftotext(result.files[0].read_bytes())
    assert "Exhibit A · p. 1 of 1" in pdftotext(result.files[1].read_bytes())


def test_upload_files_stay_under_the_budget(case, tmp_path):
    for i in range(3):
        case.add("other", f"Photo {i}", f"photo{i}.jpg", make_jpeg(600, 800, noise=True))
    budget = 400 * KB
    result = export_upload_folder(
        case.draft, tmp_path / "up", case.root, options=_opts(upload_budget=budget)
    )
    assert len(result.files) == 7 and not result.notes
    for path in result.files:
        assert path.stat().st_size <= budget, path.name
        qpdf_check(path.read_bytes())


def test_oversized_exhibit_is_split_into_parts(case, tmp_path):
    att = case.add("other", "Photo album", "album.tiff", _noise_tiff(4))
    budget = 800 * KB
    result = export_upload_folder(
        case.draft, tmp_path / "up", case.root, options=_opts(upload_budget=budget)
    )
    parts = [p for p in result.files if "_Exhibit-D_" in p.name]
    assert len(parts) >= 2 and parts[0].name.endswith("_Part1.pdf")
    total_pages = sum(len(PdfReader(p).pages) for p in parts)
    assert total_pages == 4
    assert all(p.stat().st_size <= budget for p in parts)
    assert any("split" in n for n in result.notes)
    assert att.id


def _noise_tiff(frames: int) -> bytes:
    import os

    from PIL import Image

    imgs = [Image.frombytes("RGB", (600, 800), os.urandom(600 * 800 * 3)) for _ in range(frames)]
    buf = BytesIO()
    imgs[0].save(buf, "TIFF", save_all=True, append_images=imgs[1:])
    return buf.getvalue()


def test_copy_sheet_lists_answers_in_form_order(standard_upload, definition):
    result = standard_upload
    data = result.copy_sheet.read_bytes()
    qpdf_check(data)
    flat = " ".join(pdftotext(data).split())
    headings = [s.heading for s in definition.sections if s.printed]
    positions = [flat.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions)
    for value in (
        "Żółć",
        "Łukasz",
        "MSC2490077701",
        "11/04/2024",
        "Søren",
        "Ødegård",
        "02_Exhibit-A_uscis-notice.pdf",
        definition.channels["online_url"],
    ):
        assert value in flat, value
    assert WATERMARK not in flat


def test_upload_refused_with_errors_unless_draft(case, tmp_path):
    case.draft.values["s2.explanation"] = ""
    with pytest.raises(NotReadyError):
        export_upload_folder(case.draft, tmp_path / "up", case.root, options=_opts())
    result = export_upload_folder(
        case.draft, tmp_path / "up", case.root, options=_opts(allow_draft=True)
    )
    for path in [*result.files, result.copy_sheet]:
        assert all(WATERMARK in t for t in page_texts(path.read_bytes()))


# -- e-mail ------------------------------------------------------------------------------------


def test_single_eml_is_a_valid_unsent_draft(case, tmp_path, definition):
    result = export_eml(case.draft, tmp_path / "email.eml", case.root, options=_opts())
    assert [p.name for p in result.paths] == ["email.eml"]
    raw = result.paths[0].read_bytes()
    msg = BytesParser(policy=default).parsebytes(raw)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == definition.channels["email_to"] == "cisombudsman@hq.dhs.gov"
    # issue 14: initials and the receipt number, never the full name (e-mail crosses servers)
    assert "Ł.Ż." in msg["Subject"] and "MSC2490077701" in msg["Subject"]
    assert "Żółć" not in msg["Subject"]
    assert "soren@odegard-immigration.example" in msg["From"]
    body = msg.get_body(("plain",)).get_content()
    assert "A208-555-031" not in body and "Form I-485, receipt number MSC2490077701" in body
    ((name, pdf),) = eml_attachments(raw)
    assert name == "DHS-7001-packet.pdf"
    assert pdf == result.packet.pdf


@pytest.mark.slow
def test_large_packet_split_into_numbered_emails_under_budget(case, tmp_path):
    for i in range(4):
        case.add("other", f"Photo {i}", f"photo{i}.jpg", make_jpeg(900, 1200, noise=True))
    budget = 1200 * KB
    result = export_eml(
        case.draft, tmp_path / "email.eml", case.root, options=_opts(email_budget=budget)
    )
    n = len(result.paths)
    assert n >= 2
    assert [p.name for p in result.paths] == [f"email-part{k}.eml" for k in range(1, n + 1)]
    pages = 0
    for k, path in enumerate(result.paths, 1):
        raw = path.read_bytes()
        assert len(raw) <= budget, (path.name, len(raw))
        msg = message_from_bytes(raw, policy=default)
        assert msg["X-Unsent"] == "1"
        assert msg["Subject"].endswith(f"(part {k} of {n})")
        assert not msg.defects
        ((name, pdf),) = eml_attachments(raw)
        assert name == f"DHS-7001-packet_Part{k}-of-{n}.pdf"
        qpdf_check(pdf)
        pages += len(PdfReader(BytesIO(pdf)).pages)
    assert pages == result.packet.pages
    # exhibits are never broken across messages (none is over budget alone)
    first_pages = []
    for path in result.paths:
        ((_, pdf),) = eml_attachments(path.read_bytes())
        first_pages.append(" ".join(pdftotext(pdf).split("\f")[0].split()))
    for text in first_pages[1:]:
        assert "EXHIBIT" in text  # each later part starts with an exhibit's tab page


def test_eml_is_reproducible(case, tmp_path):
    a = export_eml(case.draft, tmp_path / "a.eml", case.root, options=_opts())
    b = export_eml(case.draft, tmp_path / "b.eml", case.root, options=_opts())
    assert a.paths[0].read_bytes() == b.paths[0].read_bytes()


def test_family_group_email_lists_request_numbers():
    drafts = [load_sample(n) for n in ("family-parent", "family-child-a", "family-child-b")]
    for d, number in zip(drafts, ("OMB-2026-1001", "OMB-2026-1002", None), strict=True):
        d.submission = Submission("online", "2026-11-20", number) if number else None
    msg, notes = family_group_email(drafts, options=_opts())
    body = msg.get_content()
    assert msg["X-Unsent"] == "1" and msg["To"] == "cisombudsman@hq.dhs.gov"
    # initials beside the request numbers, which identify the requests (issue 14)
    assert "A.H.: CIS Ombudsman request number OMB-2026-1001" in body
    assert "Y.H.: CIS Ombudsman request number OMB-2026-1002" in body
    assert "L.H.: CIS Ombudsman request number [not yet received]" in body
    assert "Haddad" not in body and "Haddad" not in msg["Subject"]
    assert len(notes) == 1 and "Leila Haddad" in notes[0]  # the notes stay on this computer
    for d in drafts:  # never the family members' receipt numbers (R24)
        for f in d.values.get("s3.filings", []):
            assert f["receipt_number"] not in body


# -- mail -----------------------------------------------------------------------------------------


def test_mail_pdf_has_address_sheet_then_packet(case, tmp_path, definition):
    result = export_mail(case.draft, tmp_path / "mail.pdf", case.root, options=_opts())
    data = result.path.read_bytes()
    qpdf_check(data)
    texts = page_texts(data)
    assert len(texts) == result.packet.pages + 1
    sheet = texts[0]
    for line in definition.channels["mailing_address"]:
        assert line in sheet
    assert "two to three weeks" in " ".join(sheet.split())
    assert "ORIGINAL Section 9 page signed by hand" in " ".join(sheet.split())
    assert "Dear CIS Ombudsman Case Assistance staff" in texts[1]
    reader = PdfReader(BytesIO(data))
    assert reader.outline[0].title == "Mailing sheet (do not enclose)"


# -- the signature page on its own ----------------------------------------------------------------


def test_signature_page_alone(case, definition):
    data = signature_page_pdf(case.draft, definition, _opts())
    qpdf_check(data)
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 1
    flat = " ".join(pdftotext(data).split())
    for part in (
        "Łukasz Żółć",
        "Form I-485",
        "Receipt number MSC2490077701",
        definition.consent["section9"][:60],
        "Signature of applicant or petitioner, in ink",
        "Date (mm/dd/yyyy), written by hand",
        page_id(case.draft, BUILD_DATE),
    ):
        assert part in flat, part
    for instruction in definition.consent["wet_ink_instructions"]:
        assert " ".join(instruction.split()) in flat
    assert not reader.pages[0]["/Resources"].get("/XObject")  # no image: nothing pasted


def test_signature_page_never_prints_a_date_or_a_signature(case, definition):
    case.draft.values["s9.date"] = "2026-11-20"
    flat = " ".join(pdftotext(signature_page_pdf(case.draft, definition, _opts())).split())
    assert "11/20/2026" not in flat
    assert "/s/" not in flat


def test_signature_page_id_is_unique_per_filing(tmp_path):
    a = Case(tmp_path / "a", standard=False)
    b = Case(tmp_path / "b", standard=False)
    b.draft.id = "11111111-2222-4333-8444-555555555555"
    assert page_id(a.draft, BUILD_DATE) != page_id(b.draft, BUILD_DATE)
    c = Case(tmp_path / "c", standard=False)
    c.draft.values["s3.filings"] = [
        {
            "form_number": "I-485",
            "receipt_number": "MSC2490077799",
            "receipt_date": "2024-11-04",
            "primary": True,
        }
    ]
    assert filing_fingerprint(a.draft) != filing_fingerprint(c.draft)
    assert page_id(a.draft, BUILD_DATE) != page_id(a.draft, date(2026, 12, 1))
    # a typo fixed elsewhere does not change it
    before = filing_fingerprint(a.draft)
    a.draft.values["s2.explanation"] += " Typo fixed."
    assert filing_fingerprint(a.draft) == before


def test_exports_reuse_a_built_packet(case, tmp_path):
    packet = build_packet(case.draft, case.root, options=_opts())
    result = export_eml(case.draft, tmp_path / "e.eml", case.root, options=_opts(), packet=packet)
    assert result.packet is packet
