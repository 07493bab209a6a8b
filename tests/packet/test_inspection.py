"""Issue 12, Why 7 and 8: one file inspection, before the build, and bounded cost."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet import EvidenceProblems, PacketOptions, build_packet
from ombuds_desktop.packet.exhibits import (
    MAX_FRAMES,
    add_evidence,
    inspect_attachment,
    inspect_document,
    load_evidence,
)

from .support import (
    BUILD_DATE,
    make_encrypted_pdf,
    make_jpeg,
    make_pdf,
    make_truncated_pdf,
    png_header_only,
    qpdf_check,
)
from .test_cli import run

HOSTILE = {
    "locked.pdf": (make_encrypted_pdf, "password"),
    "broken.pdf": (lambda: make_truncated_pdf(0.3)[:400] + b"\x00garbage", "damaged"),
    "garbage.pdf": (lambda: b"\x00\x01\x02 not a document at all \xff" * 40, "wrong_type"),
    "empty.pdf": (lambda: b"", "empty"),
    "photo.pdf": (lambda: make_jpeg(300, 200), None),  # a JPEG named .pdf: used, with a warning
    "huge.png": (lambda: png_header_only(20_000, 20_000), "too_large"),  # 400 megapixels
}


def _hostile_case(case):
    for name, (make, _) in HOSTILE.items():
        case.add("other", f"Made-up {name}", name, make(), id=f"att-{name.split('.')[0]}")
    return case


def test_validate_reports_every_hostile_file(case):
    _hostile_case(case)
    r = run("validate", str(case.save()), "--json", "--today", "2026-11-24")
    assert "Traceback" not in r.stderr
    findings = [f for f in json.loads(r.stdout) if f["code"].startswith("evidence-")]
    by_file = {}
    for f in findings:
        for name in HOSTILE:
            if f"Made-up {name}" in f["message"]:
                by_file.setdefault(name, []).append(f)
    for name, (_, kind) in HOSTILE.items():
        got = by_file.get(name, [])
        if kind is None:
            assert got and all(f["severity"] != "error" for f in got), name
            assert "is named like a PDF but is really a JPEG image" in got[0]["message"]
        else:
            assert [f["code"] for f in got if f["severity"] == "error"] == [f"evidence-{kind}"], (
                name,
                got,
            )
    assert r.returncode != 0
    # the good files raise nothing
    for f in findings:
        assert "Made-up" in f["message"], f


def test_inspection_uses_the_words_of_the_build(case):
    _hostile_case(case)
    with pytest.raises(EvidenceProblems) as err:
        build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE))
    built = {p.attachment_id: str(p) for p in err.value.problems}
    for att in case.draft.attachments:
        result = inspect_attachment(att, case.root)
        if att.id in built:
            assert [p.message for p in result.problems] == [built[att.id]]
        else:
            assert result.ok, result.problems


def test_inspect_document_api(tmp_path):
    good = tmp_path / "three.pdf"
    good.write_bytes(make_pdf(["a", "b", "c"]))
    result = inspect_document(good)
    assert (result.ok, result.pages, result.encrypted, result.type) == (True, 3, False, "pdf")
    locked = inspect_document(make_encrypted_pdf(), "locked.pdf")
    assert locked.encrypted and [p.kind for p in locked.problems] == ["password"]
    assert locked.problems[0].message.startswith("locked.pdf: is protected by a password")
    opened = inspect_document(make_encrypted_pdf(), "locked.pdf", password="s3cret")
    assert opened.ok and opened.encrypted and opened.pages == 1
    empty_pw = inspect_document(make_encrypted_pdf(user=""), "owner-only.pdf")
    assert empty_pw.ok and empty_pw.encrypted
    missing = inspect_document(tmp_path / "nowhere.pdf")
    assert [p.kind for p in missing.problems] == ["missing"]
    photo = inspect_document(make_jpeg(400, 300), "photo.jpg")
    assert photo.ok and photo.pages == 1 and photo.type == "jpeg"


def test_vault_attachment_is_inspected_through_its_bytes():
    att = Attachment("other", "Made-up", "vault:abc", original_name="scan.pdf")
    result = inspect_attachment(att, read_bytes=lambda a: make_pdf(["x", "y"]))
    assert result.ok and result.pages == 2


# -- Why 8: bounded cost ---------------------------------------------------------------------


def _att(name):
    return Attachment("other", "Made-up", f"files/{name}", id="att-l", original_name=name)


def test_too_many_tiff_frames_refused_before_decoding():
    frames = [Image.new("1", (200, 260), 1) for _ in range(MAX_FRAMES + 50)]
    buf = BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="group4")
    start = time.perf_counter()
    result = inspect_document(buf.getvalue(), "fax.tif")
    assert time.perf_counter() - start < 3
    assert [p.kind for p in result.problems] == ["too_large"]
    assert f"has {MAX_FRAMES + 50} pages" in result.problems[0].message
    ok = inspect_document(_tiff(3), "short.tif")
    assert ok.ok and ok.pages == 3


def _tiff(n):
    frames = [Image.new("L", (300, 400), 200) for _ in range(n)]
    buf = BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def _bomb_page(inflated: int) -> bytes:
    """A PDF whose one page's content stream inflates to ``inflated`` bytes of spaces."""
    w = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(["Content bomb"]))))
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    raw = b"".join(comp.compress(chunk) for _ in range(inflated >> 20)) + comp.flush()
    s = StreamObject()
    s._data = raw
    s[NameObject("/Filter")] = NameObject("/FlateDecode")
    w.pages[0][NameObject("/Contents")] = w._add_object(s)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def test_content_stream_bomb_refused_quickly():
    start = time.perf_counter()
    result = inspect_document(_bomb_page(300 << 20), "bomb.pdf")
    assert time.perf_counter() - start < 10
    assert [p.kind for p in result.problems] == ["too_large"]
    assert "drawing instructions expand to more than" in result.problems[0].message
    assert inspect_document(_bomb_page(4 << 20), "fine.pdf").ok


def test_tiny_page_is_enlarged_to_fit():
    data = make_pdf(["x"], size=(3.84, 3.84))
    ev = load_evidence(_att("speck.pdf"), data, PacketOptions())
    assert any("enlarged" in n for n in ev.notes)
    w = PdfWriter()
    add_evidence(w, ev)
    out = BytesIO()
    w.write(out)
    qpdf_check(out.getvalue())
    content = PdfReader(BytesIO(out.getvalue())).pages[0].get_contents().get_data().decode()
    scale = float(content.split()[1])
    assert scale > 100  # 3.84 pt becomes several inches
    normal = load_evidence(_att("a5.pdf"), make_pdf(["x"], size=(420, 595)), PacketOptions())
    assert not any("enlarged" in n for n in normal.notes)


@pytest.mark.slow
def test_big_png_decoded_in_bounded_memory(tmp_path):
    """A 59-megapixel PNG: peak memory of the whole process stays under 400 MB."""
    path = tmp_path / "big.png"
    Image.new("RGB", (8900, 6600), (200, 220, 240)).save(path, compress_level=1)
    code = f"""
import sys
from pathlib import Path
from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet import PacketOptions
from ombuds_desktop.packet.exhibits import load_evidence
att = Attachment("other", "x", "big.png", original_name="big.png")
ev = load_evidence(att, Path({str(path)!r}).read_bytes(), PacketOptions())
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child forked from a big
# pytest process reported the parent's size; VmHWM is this process's own peak.
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(ev.pages, int(hwm.split()[1]) // 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    pages, peak_mb = map(int, out.stdout.split())
    assert pages == 1
    assert peak_mb < 400, peak_mb
