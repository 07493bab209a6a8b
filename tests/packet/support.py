"""Helpers for the packet tests: made-up evidence files, fixture drafts, PDF inspection.

Everything here is made up.  Evidence is generated in memory; PDFs are
inspected with the poppler and qpdf command-line tools, as a reviewer would.
"""

from __future__ import annotations

import functools
import json
import re
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from ombuds_desktop.draft import Attachment, Draft, dumps, read_draft_file
from ombuds_desktop.samples import load_sample, write_sample
from ombuds_desktop.validation import acknowledge, validate_draft

BUILD_DATE = date(2026, 11, 24)


def acknowledged_sample(name: str, tmp_path: Path) -> tuple[Draft, Path, Any]:
    """A built-in sample written to ``tmp_path/name`` as a user would have it ready: every
    warning acknowledged; options that allow a draft packet where errors remain.  Returns
    (draft, its folder, PacketOptions)."""
    from ombuds_desktop.packet import PacketOptions

    path = write_sample(name, tmp_path / name)
    draft = read_draft_file(path)
    findings = validate_draft(draft, today=BUILD_DATE, base_dir=path.parent)
    errors = any(f.severity == "error" for f in findings)
    acknowledge(draft, findings, ["all"])
    return draft, path.parent, PacketOptions(build_date=BUILD_DATE, allow_draft=errors)


NAMES = ("Nguyễn Thị Ánh", "Łukasz Żółć", "José Muñoz", "Søren Ødegård")


# -- evidence ----------------------------------------------------------------------------


def make_pdf(
    texts: Iterable[str] = ("Sample evidence page",),
    *,
    size: tuple[float, float] = letter,
    rotate: int = 0,
) -> bytes:
    buf = BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1)
    for text in texts:
        c.setFont("Helvetica", 14)
        c.drawString(72, size[1] - 100, text)
        c.rect(36, 36, size[0] - 72, size[1] - 72)
        c.showPage()
    c.save()
    data = buf.getvalue()
    if not rotate:
        return data
    w = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    for page in w.pages:
        page.rotate(rotate)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def make_fillable_pdf(
    value: str = "Filled-in value 4711", *, drop_appearance: bool = False
) -> bytes:
    buf = BytesIO()
    c = Canvas(buf, pagesize=letter)
    c.drawString(72, 720, "A fillable form")
    c.acroForm.textfield(
        name="answer",
        value=value if value.isascii() else "placeholder",
        x=72,
        y=600,
        width=300,
        height=24,
    )
    c.acroForm.checkbox(name="agree", checked=True, x=72, y=550, size=14)
    c.showPage()
    c.save()
    data = buf.getvalue()
    if not drop_appearance:
        return data
    w = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    for annot in w.pages[0]["/Annots"]:
        annot = annot.get_object()
        if annot.get("/FT") == "/Tx":
            del annot["/AP"]
            annot[NameObject("/V")] = TextStringObject(value)
    w.root_object["/AcroForm"][NameObject("/NeedAppearances")] = NameObject("/true")
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def make_annotated_pdf(note: str = "REVIEWER NOTE 9931") -> bytes:
    """A page with a FreeText annotation that has its own appearance stream."""
    w = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(["Annotated page"]))))
    ap = DecodedStreamObject()
    ap.set_data(f"BT /Helv 12 Tf 4 8 Td ({note}) Tj ET".encode())
    ap.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(220), FloatObject(30)]
            ),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/Font"): DictionaryObject(
                        {
                            NameObject("/Helv"): DictionaryObject(
                                {
                                    NameObject("/Type"): NameObject("/Font"),
                                    NameObject("/Subtype"): NameObject("/Type1"),
                                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                                }
                            )
                        }
                    )
                }
            ),
        }
    )
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FreeText"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (100, 400, 320, 430)]),
            NameObject("/Contents"): TextStringObject(note),
            NameObject("/DA"): TextStringObject("/Helv 12 Tf 0 g"),
            NameObject("/F"): NumberObject(4),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): w._add_object(ap)}),
        }
    )
    w.pages[0][NameObject("/Annots")] = ArrayObject([w._add_object(annot)])
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def make_encrypted_pdf(user: str = "s3cret", owner: str = "owner-pw") -> bytes:
    w = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(["Protected evidence 5150"]))))
    w.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def make_truncated_pdf(keep: float = 0.3) -> bytes:
    data = make_pdf([f"Page {i}" for i in range(1, 6)])
    return data[: int(len(data) * keep)]


def make_jpeg(
    w: int = 800,
    h: int = 600,
    *,
    orientation: int | None = None,
    noise: bool = False,
    color: tuple[int, int, int] = (180, 60, 40),
    quality: int = 90,
) -> bytes:
    if noise:
        import os

        img = Image.frombytes("RGB", (w, h), os.urandom(w * h * 3))
    else:
        img = Image.new("RGB", (w, h), color)
        # a marker in the top-left corner, to see where "up" went
        img.paste((0, 0, 0), (0, 0, w // 4, h // 8))
    buf = BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    img.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def make_png(w: int = 600, h: int = 400, mode: str = "RGBA") -> bytes:
    img = Image.new(mode, (w, h), (20, 120, 200, 128) if mode == "RGBA" else 0)
    buf = BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def make_bilevel_png(w: int = 2550, h: int = 3300) -> bytes:
    img = Image.new("1", (w, h), 1)
    for x in range(0, w, 40):
        img.paste(0, (x, 0, x + 3, h))
    buf = BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def make_tiff(frames: int = 3) -> bytes:
    pages = [Image.new("L", (850, 1100), 255 - 40 * i) for i in range(frames)]
    buf = BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])
    return buf.getvalue()


def png_header_only(w: int, h: int) -> bytes:
    """A PNG that claims w x h pixels (an image bomb): valid header, tiny data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_claiming(w: int, h: int) -> bytes:
    """A real small JPEG whose frame header is patched to claim w x h pixels."""
    data = bytearray(make_jpeg(64, 64))
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5 : i + 9] = struct.pack(">HH", h, w)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF marker")


def zip_bytes() -> bytes:
    import zipfile

    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


# -- drafts ------------------------------------------------------------------------------


def base_values(*, wet_ink: bool = True) -> dict[str, Any]:
    """An attorney-filed draft whose people have non-Latin names (all made up)."""
    values = dict(load_sample("asylee-attorney").values)
    values.update(
        {
            "app.channel": "mail",  # the original signed page is mailed: no scan needed
            "s5.name": {"family": "Żółć", "given": "Łukasz", "middle": ""},
            "s9.signer_name": {"family": "Żółć", "given": "Łukasz", "middle": ""},
            "s9.capacity": "self",
            "s2.explanation": "Mr. Żółć, an asylee, filed Form I-485 on 11/04/2024. The case is "
            "outside the published processing time. José Muñoz, his neighbour, "
            "and Nguyễn Thị Ánh, his caseworker, wrote letters.",
        }
    )
    if not wet_ink:
        values["app.client_category"] = ["none"]
        values["s4.benefit_type"] = "immigrant"
    return values


class Case:
    """A draft file with its evidence files in a folder, as a user would keep them."""

    def __init__(
        self,
        root: Path,
        *,
        wet_ink: bool = True,
        values: dict[str, Any] | None = None,
        standard: bool = True,
    ) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.draft = Draft(
            form="dhs-7001/2022-11",
            values=base_values(wet_ink=wet_ink),
            id="0f1e2d3c-4b5a-4697-8877-665544332211",
        )
        self.draft.values.update(values or {})
        if standard:
            self.add(
                "g28",
                "Form G-28 on file with USCIS for Form I-485",
                "g28.pdf",
                make_pdf(["G-28 page 1", "G-28 page 2"]),
                date="2024-11-04",
            )
            self.add(
                "uscis-notice",
                "Form I-797C receipt notice for Form I-485",
                "receipt.pdf",
                make_pdf(["RECEIPT NOTICE MSC2490077701"]),
                date="2024-11-12",
            )
            self.add(
                "service-request",
                "Letter from Nguyễn Thị Ánh (photo)",
                "letter.jpg",
                make_jpeg(1200, 1600),
                date="2026-10-09",
            )
            self.add(
                "other",
                "Affidavit of José Muñoz",
                "affidavit.pdf",
                make_pdf(["AFFIDAVIT TEXT", "AFFIDAVIT PAGE TWO"]),
                date="2026-10-20",
            )

    def add(
        self, category: str, description: str, filename: str, data: bytes, **extra: Any
    ) -> Attachment:
        path = self.root / "files" / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        att = Attachment(
            category=category,
            description=description,
            path=f"files/{filename}",
            id=extra.pop("id", f"att-{len(self.draft.attachments) + 1:02d}"),
            **extra,
        )
        self.draft.attachments.append(att)
        return att

    def save(self) -> Path:
        path = self.root / "draft.json"
        path.write_text(dumps(self.draft), encoding="utf-8")
        return path

    def errors(self) -> list[str]:
        return [
            f"{f.code}: {f.message}"
            for f in validate_draft(self.draft, today=BUILD_DATE, base_dir=self.root)
            if f.severity == "error"
        ]


# -- inspecting PDFs -------------------------------------------------------------------------


def _run(args: list[str], data: bytes, suffix: str = ".pdf") -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(data)
        return subprocess.run(
            [*args, str(path)] if "{}" not in args else [a.replace("{}", str(path)) for a in args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def qpdf_check(data: bytes) -> str:
    result = _run(["qpdf", "--check"], data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout, result.stdout
    return result.stdout


def pdftotext(
    data: bytes, *, first: int | None = None, last: int | None = None, layout: bool = False
) -> str:
    """The text of ``data`` (pages ``first`` to ``last``), as poppler reads it."""
    return _pdftotext(bytes(data), first, last, layout)


@functools.lru_cache(maxsize=16)
def _pdftotext(data: bytes, first: int | None, last: int | None, layout: bool) -> str:
    """``pdftotext``, cached: tests read the same packet's text many times (a str: nobody can
    change what the next caller gets)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    result = _run([*args, "{}", "-"], data)
    assert result.returncode == 0, result.stderr
    return result.stdout


def page_texts(data: bytes) -> list[str]:
    return pdftotext(data).split("\f")[:-1]


def pdffonts(data: bytes) -> list[dict[str, str]]:
    out = _run(["pdffonts"], data).stdout.splitlines()[2:]
    fonts = []
    for line in out:
        parts = line.split()
        # name type... encoding emb sub uni object id
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def pdfinfo(data: bytes) -> dict[str, str]:
    out = _run(["pdfinfo"], data).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def outlines(data: bytes) -> list[dict[str, Any]]:
    result = _run(["qpdf", "--json", "--json-key=outlines", "{}"], data)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["outlines"]


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)
