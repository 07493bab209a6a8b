"""Evidence import: good files become Letter pages; bad files are refused by name, clearly."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader, PdfWriter

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet import PacketInputError, PacketOptions
from ombuds_desktop.packet.exhibits import add_evidence, load_evidence, sniff

from .support import (
    jpeg_claiming,
    make_annotated_pdf,
    make_bilevel_png,
    make_encrypted_pdf,
    make_fillable_pdf,
    make_jpeg,
    make_pdf,
    make_png,
    make_tiff,
    make_truncated_pdf,
    pdfinfo,
    pdftotext,
    png_header_only,
    qpdf_check,
    zip_bytes,
)

LETTER = {(612.0, 792.0), (792.0, 612.0)}


def _att(name: str, category: str = "other") -> Attachment:
    return Attachment(
        category=category, description="Made-up exhibit", path=f"files/{name}", id="att-x"
    )


def _pages(data: bytes, name: str, **kw) -> tuple[bytes, list]:
    ev = load_evidence(_att(name), data, PacketOptions(), kw.get("password"))
    w = PdfWriter()
    add_evidence(w, ev)
    out = BytesIO()
    w.write(out)
    pdf = out.getvalue()
    qpdf_check(pdf)
    return pdf, ev.notes


def _sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(BytesIO(pdf)).pages
    ]


def _images(pdf: bytes) -> list[tuple[int, int, int, str]]:
    out = []
    for page in PdfReader(BytesIO(pdf)).pages:
        for obj in page["/Resources"].get("/XObject", {}).values():
            obj = obj.get_object()
            if obj.get("/Subtype") == "/Image":
                out.append(
                    (
                        int(obj["/Width"]),
                        int(obj["/Height"]),
                        int(obj["/BitsPerComponent"]),
                        str(obj["/Filter"]),
                    )
                )
    return out


# -- good inputs ----------------------------------------------------------------------------


def test_plain_pdf_pages_kept(tmp_path):
    pdf, notes = _pages(make_pdf(["one", "two", "three"]), "plain.pdf")
    assert _sizes(pdf) == [(612.0, 792.0)] * 3
    assert notes == []
    assert pdftotext(pdf).split() == ["one", "two", "three"]


def test_rotated_page_is_upright_on_letter():
    pdf, _ = _pages(make_pdf(["ROTATED PAGE TEXT"], rotate=90), "rotated.pdf")
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert page.rotation == 0
    assert _sizes(pdf) == [(792.0, 612.0)]  # a portrait page turned 90° reads as landscape
    assert "ROTATED PAGE TEXT" in pdftotext(pdf)


@pytest.mark.parametrize(
    "size",
    [(595.28, 841.89), (288.0, 432.0), (1224.0, 1584.0), (612.0, 1008.0)],
    ids=["A4", "4x6-receipt", "tabloid", "legal"],
)
def test_odd_page_sizes_become_letter(size):
    pdf, _ = _pages(make_pdf(["ODD SIZE"], size=size), "odd.pdf")
    assert set(_sizes(pdf)) <= LETTER
    assert "ODD SIZE" in pdftotext(pdf)


def test_fillable_form_is_flattened():
    pdf, _ = _pages(make_fillable_pdf("Filled-in value 4711"), "form.pdf")
    assert pdfinfo(pdf)["Form"] == "none"
    assert "/Annots" not in PdfReader(BytesIO(pdf)).pages[0]
    assert "Filled-in value" in pdftotext(pdf)


def test_fillable_form_without_appearances_is_drawn_with_the_packet_font():
    pdf, _ = _pages(make_fillable_pdf("Đặng Thị Mỹ 8080", drop_appearance=True), "naf.pdf")
    assert pdfinfo(pdf)["Form"] == "none"
    assert "Đặng Thị Mỹ 8080" in pdftotext(pdf)


def test_annotations_are_flattened_into_the_page():
    pdf, _ = _pages(make_annotated_pdf("REVIEWER NOTE 9931"), "annotated.pdf")
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert "/Annots" not in page
    assert "REVIEWER NOTE 9931" in pdftotext(pdf)


def test_owner_password_only_pdf_opens_without_asking():
    pdf, _ = _pages(make_encrypted_pdf(user=""), "owner-only.pdf")
    assert "Protected evidence 5150" in pdftotext(pdf)
    assert pdfinfo(pdf)["Encrypted"] == "no"


def test_password_pdf_with_the_password():
    pdf, _ = _pages(make_encrypted_pdf("s3cret"), "locked.pdf", password="s3cret")
    assert "Protected evidence 5150" in pdftotext(pdf)
    assert pdfinfo(pdf)["Encrypted"] == "no"


def test_pdf_that_lost_its_end_is_repaired_with_a_note():
    data = make_pdf(["one", "two"])
    pdf, notes = _pages(data[:-40], "cut-short.pdf")
    assert pdftotext(pdf).split() == ["one", "two"]
    assert notes and "cut-short.pdf" in notes[0] and "repaired" in notes[0]


def test_jpeg_photo_on_letter_and_downsampled():
    pdf, _ = _pages(make_jpeg(4000, 3000, noise=True, quality=95), "photo.jpg")
    assert _sizes(pdf) == [(792.0, 612.0)]  # landscape photo, landscape Letter page
    ((w, h, bits, filt),) = _images(pdf)
    assert filt == "/DCTDecode" and bits == 8
    # 200 dpi over at most 10.5 x 8 inches (the page less its margins)
    assert w <= 10.5 * 200 + 1 and h <= 8 * 200 + 1
    assert w < 4000


def test_exif_rotated_phone_photo_is_upright():
    # 800 x 600 pixels stored sideways; EXIF orientation 6 means "rotate 90° to view"
    pdf, _ = _pages(make_jpeg(800, 600, orientation=6), "phone.jpg")
    assert _sizes(pdf) == [(612.0, 792.0)]  # shown portrait
    ((w, h, _, _),) = _images(pdf)
    assert h > w


def test_png_with_transparency_goes_on_white():
    pdf, _ = _pages(make_png(600, 400, "RGBA"), "screen.png")
    ((w, h, bits, filt),) = _images(pdf)
    assert (w, h) == (600, 400) and filt == "/DCTDecode"


def test_black_and_white_scan_stays_one_bit_at_300_dpi():
    pdf, _ = _pages(make_bilevel_png(5100, 6600), "scan600.png")  # a 600 dpi Letter scan
    ((w, h, bits, filt),) = _images(pdf)
    assert bits == 1 and filt == "/FlateDecode"
    assert w <= 7.5 * 300 + 1 and h <= 10.3 * 300 + 1


def test_multi_page_tiff_gives_one_page_per_frame():
    pdf, _ = _pages(make_tiff(3), "fax.tiff")
    assert len(_sizes(pdf)) == 3
    assert set(_sizes(pdf)) == {(612.0, 792.0)}


def test_lying_extension_with_usable_content_is_used_and_reported():
    pdf, notes = _pages(make_jpeg(), "scan.pdf")
    assert len(_images(pdf)) == 1
    assert notes == [
        "scan.pdf is named like a PDF but is really a JPEG image; it was included as a JPEG image."
    ]


# -- bad inputs: a clear error naming the file ------------------------------------------------


def _refused(data: bytes, name: str, **kw) -> PacketInputError:
    with pytest.raises(PacketInputError) as info:
        load_evidence(_att(name), data, PacketOptions(), kw.get("password"))
    err = info.value
    assert err.name == name and str(err).startswith(f"{name}: ")
    assert err.attachment_id == "att-x"
    return err


def test_password_protected_pdf_asks_for_the_password():
    err = _refused(make_encrypted_pdf("s3cret"), "locked.pdf")
    assert err.kind == "password"
    assert "protected by a password" in str(err) and "Enter the password" in str(err)


def test_wrong_password():
    err = _refused(make_encrypted_pdf("s3cret"), "locked.pdf", password="guess")
    assert err.kind == "password" and "not correct" in str(err)


def test_truncated_pdf_is_refused_clearly():
    err = _refused(make_truncated_pdf(0.3), "half.pdf")
    assert err.kind == "damaged"
    assert "damaged and cannot be read" in str(err)


def test_garbage_after_pdf_header():
    err = _refused(b"%PDF-1.7\n" + bytes(range(256)) * 20, "noise.pdf")
    assert err.kind == "damaged"


def test_image_bomb_is_refused_before_decoding():
    err = _refused(png_header_only(50_000, 50_000), "bomb.png")
    assert err.kind == "too_large"
    assert "50,000 × 50,000 pixels" in str(err) and "refused" in str(err)


def test_30000_square_image_is_refused():
    err = _refused(jpeg_claiming(30_000, 30_000), "huge.jpg")
    assert err.kind == "too_large"
    assert "30,000 × 30,000 pixels (900 megapixels)" in str(err)


def test_truncated_image_is_refused():
    data = make_jpeg(800, 600, noise=True)
    err = _refused(data[: len(data) // 3], "cut.jpg")
    assert err.kind == "damaged" and "damaged or incomplete" in str(err)


def test_word_document_named_pdf_is_refused():
    err = _refused(zip_bytes(), "letter.pdf")
    assert err.kind == "wrong_type"
    assert "named like a PDF but is really a ZIP archive or a Word/Excel document" in str(err)


def test_text_file_named_jpg_is_refused():
    err = _refused(b"just some notes, not a photo\n", "photo.jpg")
    assert err.kind == "wrong_type" and "plain-text file" in str(err)


def test_heic_photo_is_refused_with_advice():
    err = _refused(
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "IMG_0001.HEIC"
    )
    assert err.kind == "unsupported" and "HEIC" in str(err) and "JPEG" in str(err)


def test_empty_file_is_refused():
    err = _refused(b"", "empty.pdf")
    assert err.kind == "empty"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.4", "pdf"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"GIF89a", "gif"),
        (b"PK\x03\x04", "zip"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"MZ\x90\x00", "exe"),
        (b"", "empty"),
    ],
)
def test_sniff(head, kind):
    assert sniff(head) == kind
