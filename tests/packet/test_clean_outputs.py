"""Issue 12, Why 3-5: every PDF the app writes is valid, compact and carries nothing hidden."""

from __future__ import annotations

import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.exports import (
    eml_attachments,
    export_eml,
    export_mail,
    export_upload_folder,
)

from . import producers as P
from .support import (
    BUILD_DATE,
    make_annotated_pdf,
    make_fillable_pdf,
    make_jpeg,
    make_pdf,
    pdftotext,
)

PAYLOAD = b"MZ\x90\x00EMBEDDED-EXE-PAYLOAD-7731" * 200
PRIVATE = b"PRIVATE-INK-BLOB-5512 " * 3000
WITNESS = "Ingrid Madeup-Witness"
SECRETS = (b"EMBEDDED-EXE-PAYLOAD-7731", b"PRIVATE-INK-BLOB-5512", WITNESS.encode())
FORBIDDEN = (b"/JavaScript", b"/JS ", b"/EmbeddedFile", b"/OpenAction", b"/Launch", b"/AA ")


def _hidden_cargo_pdf() -> bytes:
    """A notice that carries an embedded program, a private blob, scripts and XMP."""
    w = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(["Notice with hidden cargo 3318"]))))
    w.add_attachment("payload.exe", PAYLOAD)
    page = w.pages[0]
    blob = DecodedStreamObject()
    blob.set_data(PRIVATE)
    page[NameObject("/PieceInfo")] = DictionaryObject(
        {NameObject("/Madeup"): DictionaryObject({NameObject("/Private"): w._add_object(blob)})}
    )
    orphan = DecodedStreamObject()  # an object nothing refers to
    orphan.set_data(PRIVATE)
    w._add_object(orphan)
    xmp = DecodedStreamObject()
    xmp.set_data(f"<x:xmpmeta><dc:creator>{WITNESS}</dc:creator></x:xmpmeta>".encode())
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    ref = w._add_object(xmp)
    page[NameObject("/Metadata")] = ref
    w.root_object[NameObject("/Metadata")] = ref
    w.add_metadata({"/Author": WITNESS})
    w.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    page[NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            )
        }
    )
    note = P._annot("/FileAttachment", (300, 300, 320, 320))
    spec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("photo.png"),
        }
    )
    note[NameObject("/FS")] = w._add_object(spec)
    page[NameObject("/Annots")] = ArrayObject([w._add_object(note)])
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def _expanded(data: bytes) -> bytes:
    """The file with every stream uncompressed and no object streams, as a scanner sees it."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        src.write_bytes(data)
        subprocess.run(
            ["qpdf", "--qdf", "--object-streams=disable", "--decode-level=all", str(src), str(dst)],
            capture_output=True,
        )
        return dst.read_bytes()


def _generated_size(data: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        src.write_bytes(data)
        subprocess.run(["qpdf", "--object-streams=generate", str(src), str(dst)], check=True)
        return dst.stat().st_size


def check_written(data: bytes, what: str) -> None:
    """qpdf --check clean (no warnings), nothing hidden, compact."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "f.pdf"
        src.write_bytes(data)
        result = subprocess.run(["qpdf", "--check", str(src)], capture_output=True, text=True)
    assert result.returncode == 0, f"{what}: {result.stdout[-600:]}{result.stderr[-600:]}"
    assert "No syntax or stream encoding errors" in result.stdout, what
    raw = _expanded(data)
    for secret in SECRETS:
        assert secret not in raw and secret not in data, f"{what} carries {secret!r}"
    for key in FORBIDDEN:
        assert key not in raw, f"{what} has {key!r}"
    assert b"/Metadata" not in raw, f"{what} keeps XMP metadata of an input"
    assert len(data) <= 1.1 * _generated_size(data), f"{what} is not compact"
    # every page draws only objects that are in the file
    for page in PdfReader(BytesIO(data)).pages:
        assert page.get_contents() is not None


def _case(case):
    case.add("other", "Notice with hidden cargo", "cargo.pdf", _hidden_cargo_pdf())
    case.add("other", "Annotated notice", "annotated.pdf", make_annotated_pdf("NOTE 77"))
    case.add("other", "Filled form", "form.pdf", make_fillable_pdf(drop_appearance=True))
    case.add(
        "other",
        "Marked-up notice",
        "markup.pdf",
        P.annotated_pdf(make_pdf(["Marked up"], size=(400, 500)), P.markup_annotations()),
    )
    return case


@pytest.mark.slow
def test_every_written_pdf_is_valid_compact_and_clean(case, tmp_path):
    _case(case)
    case.add("other", "Photo", "photo.jpg", make_jpeg(900, 1200, noise=True))
    options = PacketOptions(build_date=BUILD_DATE, email_budget=300 * 1024)
    packet = build_packet(case.draft, case.root, options=options)
    check_written(packet.pdf, "the packet")
    notes = " ".join(packet.notes)
    assert "payload.exe was embedded in Exhibit" in notes and "left out" in notes
    assert "photo.png was embedded in Exhibit" in notes
    upload = export_upload_folder(case.draft, tmp_path / "up", case.root, options=options)
    for path in [*upload.files, upload.copy_sheet]:
        check_written(path.read_bytes(), path.name)
    assert any("payload.exe" in n for n in upload.notes)
    mail = export_mail(case.draft, tmp_path / "mail.pdf", case.root, options=options, packet=packet)
    check_written(mail.path.read_bytes(), "the mail PDF")
    email = export_eml(case.draft, tmp_path / "m.eml", case.root, options=options, packet=packet)
    assert len(email.paths) > 1
    for path in email.paths:
        for name, data in eml_attachments(path.read_bytes()):
            check_written(data, f"{path.name}/{name}")


def test_upload_copy_is_the_packet_pages(case, tmp_path):
    """Per-document upload files are made from the same cleaned pages as the packet."""
    _case(case)
    options = PacketOptions(build_date=BUILD_DATE)
    packet = build_packet(case.draft, case.root, options=options)
    upload = export_upload_folder(case.draft, tmp_path / "up", case.root, options=options)
    packet_text = pdftotext(packet.pdf)
    for path in upload.files:
        for line in pdftotext(path.read_bytes()).splitlines():
            if line.strip() and "·" not in line:
                assert line in packet_text


@pytest.mark.slow
def test_upload_files_of_real_producer_forms_pass_qpdf_check(case, tmp_path, corpus):
    """Why 3: the per-document copy of a LibreOffice form drew objects not in the file."""
    names = [
        n for n in ("lo-filled", "lo-viewer-filled", "annotations", "tesseract") if n in corpus
    ]
    if not names:
        pytest.skip("no real-producer forms (LibreOffice missing)")
    for n in names:
        case.add("other", f"Real {n}", f"{n}.pdf", corpus[n].read_bytes())
    options = PacketOptions(build_date=BUILD_DATE)
    upload = export_upload_folder(case.draft, tmp_path / "up", case.root, options=options)
    for path in upload.files:
        check_written(path.read_bytes(), path.name)
    texts = " ".join(pdftotext(p.read_bytes()) for p in upload.files)
    if "lo-filled" in names:
        assert "Okonkwo-Halvorsen" in texts
