"""The assembled packet, read back as a reviewer and a case officer would read it."""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from ombuds_desktop.packet import (
    Cancelled,
    CancelToken,
    EvidenceProblems,
    NotReadyError,
    PacketOptions,
    build_packet,
    check_evidence,
)
from ombuds_desktop.packet.stamps import WATERMARK

from .support import (
    BUILD_DATE,
    make_encrypted_pdf,
    make_jpeg,
    make_pdf,
    outlines,
    page_texts,
    pdffonts,
    pdfinfo,
    pdftotext,
    png_header_only,
    qpdf_check,
)


def _build(case, **opts):
    return build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE, **opts))


@pytest.fixture
def packet(standard_packet):
    """The packet of ``standard_case`` (conftest), built once for the tests that only read it."""
    return standard_packet


def test_packet_passes_qpdf_and_is_flat(packet):
    qpdf_check(packet.pdf)
    info = pdfinfo(packet.pdf)
    assert info["Pages"] == str(packet.pages)
    assert info["JavaScript"] == "no"
    assert info["Encrypted"] == "no"
    assert info["Form"] == "none"
    assert info["Page size"].startswith("612 x 792")
    assert info["Title"] == "DHS Form 7001 packet: Łukasz Żółć"
    assert b"/JavaScript" not in packet.pdf and b"/JS " not in packet.pdf
    assert b"/EmbeddedFile" not in packet.pdf


def test_every_page_is_letter(packet):
    for page in PdfReader(BytesIO(packet.pdf)).pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size in ((612.0, 792.0), (792.0, 612.0))
        assert page.rotation == 0


def test_default_order_of_parts(packet):
    assert [p.part for p in packet.parts] == [
        "cover_letter",
        "form",
        "signature",
        "g28",
        "index",
        "exhibits",
    ]
    starts = [p.start for p in packet.parts]
    assert starts == sorted(starts) and starts[0] == 0
    assert sum(p.count for p in packet.parts) == packet.pages
    texts = page_texts(packet.pdf)
    assert "Dear CIS Ombudsman Case Assistance staff" in texts[0]
    assert "DHS Form 7001" in texts[packet.part("form").start]
    assert "signature page" in texts[packet.part("signature").start]
    assert "G-28 page 1" in texts[packet.part("g28").start]
    assert "Exhibit Index" in texts[packet.part("index").start]


def test_continuous_page_numbers_on_every_page(packet):
    texts = page_texts(packet.pdf)
    assert len(texts) == packet.pages
    for i, text in enumerate(texts, 1):
        assert f"Page {i} of {packet.pages}" in text


def test_exhibit_labels_stamped_on_every_exhibit_page(packet):
    texts = page_texts(packet.pdf)
    for ex in packet.exhibits:
        tab, *doc = range(ex.start, ex.start + ex.count)
        assert f"EXHIBIT {ex.label}" in texts[tab]  # the tab page
        for k, page in enumerate(doc, 1):
            assert f"Exhibit {ex.label} · p. {k} of {len(doc)}" in texts[page]


def test_index_lists_exhibits_with_page_ranges_and_dates(packet):
    index = page_texts(packet.pdf)[packet.part("index").start]
    flat = " ".join(index.split())
    assert [e.label for e in packet.exhibits] == ["A", "B", "C"]
    for ex in packet.exhibits:
        first, last = ex.start + 1, ex.start + ex.count
        assert ex.title in flat
        assert f"{first}–{last}" in flat
    assert "11/12/2024" in flat and "10/09/2026" in flat
    sha = packet.manifest["inputs"][-1]["sha256"][:12]
    assert sha in flat


def test_bookmarks_mirror_the_index(packet):
    tree = outlines(packet.pdf)
    assert [o["title"] for o in tree] == [p.title for p in packet.parts]
    assert [o["destpageposfrom1"] for o in tree] == [p.start + 1 for p in packet.parts]
    exhibits = next(o for o in tree if o["title"] == "Exhibits")["kids"]
    assert [k["title"] for k in exhibits] == [
        f"Exhibit {e.label}: {e.title}" for e in packet.exhibits
    ]
    assert [k["destpageposfrom1"] for k in exhibits] == [e.start + 1 for e in packet.exhibits]
    form = next(o for o in tree if o["title"].startswith("DHS Form 7001"))["kids"]
    assert form[0]["title"] == "Section 1. Prior Contact with USCIS"
    reader = PdfReader(BytesIO(packet.pdf))
    assert reader.page_mode == "/UseOutlines"


def test_fonts_embedded(packet):
    ours = [f for f in pdffonts(packet.pdf) if "NotoSans" in f["name"]]
    assert ours
    assert all((f["emb"], f["sub"], f["uni"]) == ("yes", "yes", "yes") for f in ours)


def test_names_and_values_readable(packet):
    flat = " ".join(pdftotext(packet.pdf).split())
    for value in (
        "Łukasz Żółć",
        "Søren Ødegård",
        "José Muñoz",
        "Nguyễn Thị Ánh",
        "MSC2490077701",
        "RECEIPT NOTICE MSC2490077701",
        "AFFIDAVIT PAGE TWO",
    ):
        assert value in flat, value


def test_cover_letter_lists_identifiers_and_enclosures(packet):
    cover = " ".join(page_texts(packet.pdf)[0].split())
    for part in (
        "Office of the Citizenship and Immigration Services Ombudsman",
        "ATTN: Case Assistance",
        "Mail Stop 0180",
        "Washington, D.C. 20528",
        "Łukasz Żółć",
        "A208-555-031",
        "Form I-485, receipt number MSC2490077701",
        "Reason for the request: Case outside published processing times",
        "Exhibit A: Form I-797C receipt notice for Form I-485",
        "November 24, 2026",
    ):
        assert part in cover, part


# -- the signature page: present exactly when required --------------------------------------


def test_signature_page_in_packet_when_wet_ink_required(packet):
    assert packet.signature_page_id is not None
    page = page_texts(packet.pdf)[packet.part("signature").start]
    assert "To be signed by hand, in ink" in page
    assert packet.signature_page_id in page
    assert "Wet-ink signature required (asylee)" in " ".join(pdftotext(packet.pdf).split())


def test_no_signature_page_when_not_required(plain_case):
    packet = _build(plain_case)
    assert packet.part("signature") is None
    assert packet.signature_page_id is None
    assert "To be signed by hand, in ink" not in pdftotext(packet.pdf)
    assert "Wet-ink signature required" not in pdftotext(packet.pdf)


def test_signed_scan_replaces_the_page(case):
    case.add(
        "signed-section-9",
        "Section 9 signed in ink (scan)",
        "signed.pdf",
        make_pdf(["SIGNED SCAN 7070"]),
    )
    packet = _build(case)
    text = pdftotext(packet.pdf)
    assert "To be signed by hand, in ink" not in text
    part = packet.part("signature")
    assert part.title == "Section 9 consent signed in ink (scan)"
    assert "SIGNED SCAN 7070" in page_texts(packet.pdf)[part.start]
    assert all(e.label != "D" for e in packet.exhibits)  # the scan is not also an exhibit


def test_representative_signing_for_protected_client_says_r20(case):
    case.draft.values["s9.capacity"] = "representative"
    case.draft.values["s9.signer_name"] = {"family": "Ødegård", "given": "Søren", "middle": ""}
    case.draft.values["s9.client_consent_date"] = "2026-11-01"
    packet = _build(case)
    flat = " ".join(pdftotext(packet.pdf).split())
    assert "signs Section 9 on the client's behalf" in flat
    assert "client's own wet-ink signature is also provided" in flat
    assert not re.search(r"\bR\d+\b", flat)  # no internal rule codes on filed pages
    assert packet.part("signature") is not None


# -- the DRAFT watermark: exactly when errors remain ------------------------------------------


def test_errors_refuse_a_final_packet(case):
    case.draft.values["s2.explanation"] = ""
    with pytest.raises(NotReadyError) as info:
        _build(case)
    assert info.value.findings and all(f.severity == "error" for f in info.value.findings)


def test_errors_with_allow_draft_watermark_every_page(case):
    case.draft.values["s2.explanation"] = ""
    packet = _build(case, allow_draft=True)
    assert packet.watermarked
    texts = page_texts(packet.pdf)
    assert all(WATERMARK in t for t in texts)


def test_no_watermark_without_errors_even_with_allow_draft(packet, standard_case):
    assert not packet.watermarked
    assert WATERMARK not in pdftotext(packet.pdf)
    again = _build(standard_case, allow_draft=True)
    assert not again.watermarked and WATERMARK not in pdftotext(again.pdf)


# -- manifest and reproducibility -------------------------------------------------------------


def test_manifest_hashes_inputs_and_output(packet, standard_case):
    m = packet.manifest
    assert m["output"]["sha256"] == hashlib.sha256(packet.pdf).hexdigest() == packet.sha256
    assert m["output"]["pages"] == packet.pages
    files = {
        a.id: (standard_case.root / a.path).read_bytes() for a in standard_case.draft.attachments
    }
    assert {i["attachment_id"] for i in m["inputs"]} == set(files)
    for item in m["inputs"]:
        assert item["sha256"] == hashlib.sha256(files[item["attachment_id"]]).hexdigest()
    assert m["built_on"] == "2026-11-24" and m["draft_watermark"] is False


def test_same_inputs_give_byte_identical_packet(case):
    first, second = _build(case), _build(case)
    assert first.pdf == second.pdf
    assert first.manifest == second.manifest


def test_different_date_gives_different_packet(standard_case, packet):
    other = build_packet(
        standard_case.draft,
        standard_case.root,
        options=PacketOptions(build_date=BUILD_DATE.replace(day=25)),
    )
    assert other.pdf != packet.pdf


# -- options --------------------------------------------------------------------------------------


def test_bates_numbers(case):
    packet = _build(case, bates_prefix="ZOLC-")
    texts = page_texts(packet.pdf)
    for i, text in enumerate(texts, 1):
        assert f"ZOLC-{i:06d}" in text
        assert f"Page {i} of {packet.pages}" not in text
    index = " ".join(texts[packet.part("index").start].split())
    ex = packet.exhibits[0]
    assert f"ZOLC-{ex.start + 1:06d}–ZOLC-{ex.start + ex.count:06d}" in index


def test_number_labels_and_no_tabs(case):
    packet = _build(case, label_style="numbers", tab_pages=False)
    assert [e.label for e in packet.exhibits] == ["1", "2", "3"]
    texts = page_texts(packet.pdf)
    assert "EXHIBIT 1" not in pdftotext(packet.pdf)
    first = packet.exhibits[0]
    assert "Exhibit 1 · p. 1 of 1" in texts[first.start]


def test_custom_part_order_and_exhibit_order(case):
    ids = [a.id for a in case.draft.attachments]
    packet = _build(
        case,
        part_order=("cover_letter", "index", "form", "signature", "g28", "consents", "exhibits"),
        exhibit_order=(ids[3], ids[1]),
    )
    assert [p.part for p in packet.parts][:3] == ["cover_letter", "index", "form"]
    assert packet.exhibits[0].title == "Affidavit of José Muñoz"
    assert packet.exhibits[1].title.startswith("Form I-797C")


def test_translation_follows_its_original(case):
    original = case.add(
        "other",
        "Birth certificate (Spanish)",
        "birth.pdf",
        make_pdf(["ACTA DE NACIMIENTO"]),
        foreign_language=True,
    )
    case.add(
        "translation",
        "Certified translation of the birth certificate",
        "tr.pdf",
        make_pdf(["BIRTH CERTIFICATE TRANSLATION"]),
        translation_of=original.id,
    )
    packet = _build(case)
    ex = next(e for e in packet.exhibits if original.id in e.attachment_ids)
    assert ex.title.endswith("(with certified English translation)")
    texts = page_texts(packet.pdf)
    assert "ACTA DE NACIMIENTO" in texts[ex.start + 1]
    assert "BIRTH CERTIFICATE TRANSLATION" in texts[ex.start + 2]
    tree = outlines(packet.pdf)
    kids = next(o for o in tree if o["title"] == "Exhibits")["kids"]
    item = next(k for k in kids if k["title"].startswith(f"Exhibit {ex.label}:"))
    assert item["kids"][0]["title"] == "English translation"
    assert item["kids"][0]["destpageposfrom1"] == ex.start + 3


# -- bad evidence: never a crash, never silently dropped -------------------------------------------


def test_all_bad_files_reported_at_once(case):
    case.add("other", "Locked statement", "locked.pdf", make_encrypted_pdf("pw"), id="bad-1")
    case.add("other", "Huge picture", "huge.png", png_header_only(40000, 40000), id="bad-2")
    with pytest.raises(EvidenceProblems) as info:
        _build(case, allow_draft=True)
    problems = {p.attachment_id: p.kind for p in info.value.problems}
    assert problems == {"bad-1": "password", "bad-2": "too_large"}
    assert "locked.pdf" in str(info.value) and "huge.png" in str(info.value)
    assert {p.attachment_id for p in check_evidence(case.draft, case.root)} == {"bad-1", "bad-2"}


def test_user_can_give_a_password_or_leave_a_file_out(case):
    case.add("other", "Locked statement", "locked.pdf", make_encrypted_pdf("pw"), id="bad-1")
    case.add("other", "Huge picture", "huge.png", png_header_only(40000, 40000), id="bad-2")
    packet = _build(case, passwords={"bad-1": "pw"}, skip=frozenset({"bad-2"}), allow_draft=True)
    assert "Protected evidence 5150" in pdftotext(packet.pdf)
    assert [i["attachment_id"] for i in packet.manifest["left_out"]] == ["bad-2"]
    assert "Huge picture" not in pdftotext(packet.pdf)


def test_missing_file_is_named(case):
    (case.root / case.draft.attachments[1].path).unlink()
    with pytest.raises(EvidenceProblems) as info:
        _build(case, allow_draft=True)
    (problem,) = info.value.problems
    assert problem.kind == "missing" and problem.name == "receipt.pdf"


# -- progress and cancellation ---------------------------------------------------------------------


def test_progress_is_reported_and_increasing(case):
    seen = []
    build_packet(
        case.draft,
        case.root,
        options=PacketOptions(build_date=BUILD_DATE),
        progress=lambda done, total, msg: seen.append((done, total, msg)),
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    assert all(re.search(r"Łukasz|Żółć|receipt", m) is None for _, _, m in seen)  # no PII


def test_cancel_stops_the_build(case):
    token = CancelToken()

    def progress(done, total, msg):
        if done >= 2:
            token.cancel()

    with pytest.raises(Cancelled):
        build_packet(
            case.draft,
            case.root,
            options=PacketOptions(build_date=BUILD_DATE),
            progress=progress,
            cancel=token,
        )


def test_big_photo_does_not_make_a_big_page(case):
    case.add(
        "other",
        "Phone photo of the notice",
        "big.jpg",
        make_jpeg(4032, 3024, noise=True, quality=95),
    )
    packet = _build(case)
    photo = (case.root / "files" / "big.jpg").stat().st_size
    small = _build_without_last(case)
    assert len(packet.pdf) - len(small.pdf) < photo / 2


def _build_without_last(case):
    case.draft.attachments.pop()
    return _build(case)
