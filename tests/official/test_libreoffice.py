"""A form made in LibreOffice Writer (another producer, other conventions) maps and fills."""

from __future__ import annotations

import json
import subprocess

import pytest

from ombuds_desktop.official.propose import HIGH, propose
from ombuds_desktop.official.reader import read_official
from ombuds_desktop.packet.official_fill import fill_official
from tests.official import support
from tests.packet.producers import SYSTEM_PYTHON, lo_available

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not lo_available(), reason="LibreOffice with python3-uno not installed"),
]

SPEC = [
    {"name": "Pt5Line1_FamilyName", "kind": "text", "at": [2000, 4000, 7000, 800],
     "tip": "5. Family Name (Last Name)", "expect": "s5.name.family"},
    {"name": "Pt5Line1_GivenName", "kind": "text", "at": [10000, 4000, 7000, 800],
     "tip": "5. Given Name (First Name)", "expect": "s5.name.given"},
    {"name": "Pt5Line2_DateOfBirth", "kind": "text", "at": [2000, 5500, 5000, 800],
     "tip": "5. Date of Birth", "expect": "s5.dob"},
    {"name": "Pt2Line2_Explanation", "kind": "text", "at": [2000, 7000, 16000, 4000],
     "tip": "2. Explanation of the difficulty", "multiline": True, "expect": "s2.explanation"},
    {"name": "Pt2_Reason1", "kind": "checkbox", "at": [2000, 12000, 500, 500],
     "tip": "2. Case outside published processing times", "export": "PT",
     "expect": "s2.reasons"},
    {"name": "Pt2_Reason2", "kind": "checkbox", "at": [2000, 13000, 500, 500],
     "tip": "2. Notice, decision or card not received", "export": "NR",
     "expect": "s2.reasons"},
]  # fmt: skip


@pytest.fixture(scope="module")
def lo_pdf(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("lo") / "official.pdf"
    spec = json.dumps([{k: v for k, v in f.items() if k != "expect"} for f in SPEC])
    script = str(__import__("pathlib").Path(__file__).with_name("lo_official.py"))
    subprocess.run([SYSTEM_PYTHON, script, str(out), spec], check=True, timeout=240)
    return out.read_bytes()


def test_libreoffice_form_maps_and_fills(lo_pdf, definition, draft) -> None:
    o = read_official(lo_pdf)
    assert o.marks.omb == "1601-0004"
    m = propose(o, definition)
    for f in SPEC:
        e = m.entry(f["name"])
        assert e is not None and e.target == f["expect"], (f["name"], e)
        assert e.confidence >= HIGH
    assert m.entry("Pt2_Reason1").on == "PT"
    m.confirmed = True
    filled = fill_official(lo_pdf, o, m, draft, definition)
    support.qpdf_check(filled.pdf)
    words = support.words(filled.pdf)
    rect = o.field("Pt5Line1_FamilyName").widgets[0].rect
    assert any(w[5] == "Muñoz" and support.inside(w, rect) for w in words)
    img = support.render(filled.pdf, 0)
    assert support.dark_fraction(img, o.field("Pt2_Reason1").widgets[0].rect) > 0.05
    assert support.dark_fraction(img, o.field("Pt2_Reason2").widgets[0].rect) < 0.02
