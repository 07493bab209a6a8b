"""inspect_document: the one door from the screens to the packet's file inspection."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet.sources import document_name, inspect_document


def att(name: str) -> Attachment:
    return Attachment(category="other", description="", path=name, original_name=name)


def pdf(pages: int, password: str | None = None) -> bytes:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(612, 792)
    if password:
        w.encrypt(user_password=password, owner_password=None, algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_pages_lock_and_problems():
    info = inspect_document(att("a.pdf"), pdf(4))
    assert (info.kind, info.pages, info.locked, info.problem) == ("pdf", 4, False, None)
    locked = inspect_document(att("b.pdf"), pdf(2, "pw"))
    assert locked.locked and locked.pages == 0 and locked.problem is None
    out = io.BytesIO()
    frames = [Image.new("L", (50, 60), 200), Image.new("L", (50, 60), 100)]
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    assert inspect_document(att("scan.tif"), out.getvalue()).pages == 2
    # Negative: a Word file named .pdf is a problem, named, not a lock.
    bad = inspect_document(att("notice.pdf"), b"PK\x03\x04" + b"\0" * 200)
    assert bad.problem and "notice.pdf" in bad.problem and not bad.locked


def test_document_name_prefers_the_file_name():
    a = Attachment(category="other", description="Receipt", path="vault:x", original_name="r.pdf")
    assert document_name(a) == "r.pdf"
    a.original_name = None
    assert document_name(a) == "Receipt"
